//! An existing milestone change was edited or removed.
//!
//! ## What it does
//! Reports an entry of `milestone_changes` that existed in an earlier version and is no longer
//! there unchanged. New entries may be added anywhere; moving an entry does not count.
//!
//! ## Why it matters
//! Milestone Changes is the item's change log: append-only, so the record of delays and
//! completions cannot be rewritten after the fact.
//!
//! ## Example
//! ```yaml
//! milestone_changes:
//!   - {milestone: 1, kind: update, date: 2026-05-01, description: Slipped}   # was 2026-04-20
//! ```
//!
//! ## How to fix
//! Restore the entry as it was and append a new entry with the correction.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, column N; Completion Guide §2.5: every alteration is appended.

use crate::history::audit::Run;
use crate::history::diff::{diff_nodes, same_value};
use crate::model::Node;

use super::history::{element_path, list, quoted, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::MilestoneChangesRewritten,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Rev5],
};

const HELP: &str = "restore the entry and append a new one with the correction: `milestone_changes` is append-only";

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        milestone_changes(at, before, after, out);
    }
}

/// Append-only: every earlier entry must still be there unchanged. New entries may go
/// anywhere; an entry moved elsewhere in the list still counts as kept.
fn milestone_changes(at: usize, before: &Node, after: &Node, out: &mut Vec<Breach>) {
    let old = list(before, "milestone_changes");
    let new = list(after, "milestone_changes");
    let mut used = vec![false; new.len()];
    let mut unmatched = Vec::new();
    for (index, entry) in old.iter().enumerate() {
        let same_place = new
            .get(index)
            .filter(|n| !used[index] && same_value(entry, n));
        let found = match same_place {
            Some(_) => Some(index),
            None => new
                .iter()
                .enumerate()
                .position(|(to, n)| !used[to] && same_value(entry, n)),
        };
        match found {
            Some(to) => used[to] = true,
            None => unmatched.push(index),
        }
    }
    for index in unmatched {
        match new.get(index).filter(|_| !used[index]) {
            Some(edited) => {
                used[index] = true;
                for change in diff_nodes(&old[index], edited) {
                    let field = element_path(format!("milestone_changes[{index}]"), &change.path);
                    let breach = Breach::new(
                        Code::MilestoneChangesRewritten,
                        at,
                        field,
                        change.old,
                        change.new,
                    );
                    let message = format!(
                        "`{}` changed from {} to {}: `milestone_changes` is append-only",
                        breach.field,
                        breach.old_quoted(),
                        breach.new_quoted()
                    );
                    out.push(breach.message(message).help(HELP));
                }
            }
            None => {
                let old = Some(old[index].to_json());
                let message = format!(
                    "milestone change {} was removed: `milestone_changes` is append-only",
                    quoted(old.as_ref())
                );
                out.push(
                    Breach::new(
                        Code::MilestoneChangesRewritten,
                        at,
                        "milestone_changes",
                        old,
                        None,
                    )
                    .message(message)
                    .help(HELP),
                );
            }
        }
    }
}
