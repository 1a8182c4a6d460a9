//! A commit gave a second file an id that another item file already carried.
//!
//! ## What it does
//! Reports each commit after which two item files carry the same `id`, naming the file that
//! claimed the id and the one that had it already. History rules follow an id whatever its
//! files do: when the first file is later deleted or replaced, the second file's version is
//! judged against the id's previous version (`risk-changed`, `due-changed`, `reopened` and the
//! others), and no `item-deleted` is reported while the id lives on.
//!
//! ## Why it matters
//! A copy of an item with the same id, edited and then put in the original's place, changes
//! write-once fields and deadlines while every single commit looks like an addition or a
//! deletion. The POA&M ID names one weakness for its whole life: one file per id.
//!
//! ## Example
//! ```sh
//! cp poams/V-1.yaml poams/V-1-copy.yaml   # same id: V-1, then risk and due edited
//! git add poams && git commit -m "Add V-1 again"
//! ```
//!
//! ## How to fix
//! Edit the item's own file instead of adding a copy. A new weakness gets a new id (`poam new`).
//! Once the duplicate is in main's history, acknowledge it with a `history_waivers` entry if it
//! was harmless.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column A: a unique identifier for each POA&M item.

use serde_json::Value as Json;

use crate::history::audit::Run;

use super::history::Breach;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DuplicateIdHistory,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Common],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for duplicate in run.duplicates.iter().filter(|d| d.judged) {
        let path = &duplicate.version.path;
        let id = duplicate
            .version
            .node()
            .and_then(crate::history::item_id)
            .unwrap_or_else(|| run.item.id.clone());
        out.push(
            Breach::new(
                Code::DuplicateIdHistory,
                duplicate.at,
                "id",
                None,
                Some(Json::String(id.clone())),
            )
            .message(format!(
                "`{path}` was given id `{id}`, which `{}` already carried: one item file per id",
                duplicate.incumbent
            ))
            .help("edit the item's own file instead of adding a copy; a new weakness gets a new id")
            .site(duplicate.version),
        );
    }
}
