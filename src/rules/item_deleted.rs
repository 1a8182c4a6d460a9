//! An item file disappeared from the items folder.
//!
//! ## What it does
//! Reports an item whose file was removed from the items folder (a move or rename inside the
//! folder is not a deletion). An error when the item was open, a warning when it was closed.
//! A deletion the item's next version undoes (the file restored under its id, e.g. by `git
//! revert`) nets out like any change undone by the next version: the restored version is
//! judged against the last one before the deletion instead. Nor is it a deletion when another
//! file still carries the id (see `duplicate-id-history`).
//!
//! ## Why it matters
//! POA&M items are closed, never deleted: a closed item moves to the Closed sheet with its
//! evidence, and an open one is a risk the AO still has to see.
//!
//! ## Example
//! ```sh
//! git rm poams/V-12.yaml
//! ```
//!
//! ## How to fix
//! Restore the file (`git checkout <commit>^ -- <path>`) and close the item with `status:
//! closed`, `closed.date` and `closed.evidence`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2: closed items move to the Closed sheet.

use crate::history::audit::Run;

use super::history::{scalar, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ItemDeleted,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Common],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    let Some(deletion) = run.deletion.filter(|d| d.judged) else {
        return;
    };
    let was_closed = run
        .last_node()
        .and_then(|n| scalar(n, &["status"]))
        .as_deref()
        == Some("closed");
    let path = &deletion.version.path;
    let breach = Breach::new(Code::ItemDeleted, run.steps.len(), "", None, None)
        .message(format!(
            "item file `{path}` was deleted{}: items are closed, never deleted",
            if was_closed { " (it was closed)" } else { " while open" }
        ))
        .help(format!(
            "restore {path} and close the item instead (`status: closed` with `closed.date` and `closed.evidence`)"
        ));
    // Deleting a closed item is the milder case.
    out.push(if was_closed {
        breach.severity(Severity::Warning)
    } else {
        breach
    });
}
