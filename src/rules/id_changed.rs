//! An item file kept its history but its `id` changed.
//!
//! ## What it does
//! Reports a file, followed across commits by its path or by rename detection, whose `id`
//! changed from one version to the next.
//!
//! ## Why it matters
//! The POAM ID is how the agency, the 3PAO and earlier deliverables refer to the weakness.
//! Renumbering breaks that trail.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! id: V-12
//! # commit 2, same file
//! id: V-120
//! ```
//!
//! ## How to fix
//! Restore the original id. A new weakness gets a new file with a new id.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column A: a unique identifier per item, kept for
//! its whole life.

use crate::history::audit::Run;
use crate::history::item_id;

use super::history::{field_values, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::IdChanged,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Common],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        let Some(old_id) = item_id(before) else {
            continue;
        };
        if item_id(after).as_deref() != Some(old_id.as_str()) {
            let (old, new) = field_values(before, after, "id");
            let breach = Breach::new(Code::IdChanged, at, "id", old, new);
            let message = format!(
                "`id` changed from {} to {}",
                breach.old_quoted(),
                breach.new_quoted()
            );
            out.push(
                breach
                    .message(message)
                    .help("restore the original id; a different weakness gets a new item"),
            );
        }
    }
}
