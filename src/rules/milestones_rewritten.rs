//! A planned milestone was edited, removed, or added after the item was created.
//!
//! ## What it does
//! Matches planned milestones of consecutive versions by `id` and reports any field of an
//! existing milestone that changed, a milestone that disappeared, and a planned milestone added
//! once the item already had milestones.
//!
//! ## Why it matters
//! Planned Milestones are a permanent column: the plan as first recorded is what progress is
//! measured against. Changes are appended in Milestone Changes instead.
//!
//! ## Example
//! ```yaml
//! milestones:
//!   - {id: 1, date: 2026-04-01, description: Patch staging}   # was 2026-03-15
//! ```
//!
//! ## How to fix
//! Restore the planned milestone and append a `milestone_changes` entry: kind `update` for a
//! new date, `complete` when done, `new` (with a fresh number) for an added milestone.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, columns M and N; Completion Guide: milestones are never edited,
//! changes go to Milestone Changes.

use crate::history::audit::Run;
use crate::history::diff::diff_nodes;
use crate::model::Node;

use super::history::{element_path, list, quoted, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::MilestonesRewritten,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        planned_milestones(at, before, after, out);
    }
}

const RESTORE: &str = "restore the planned milestone and record the change in `milestone_changes` (kind `update` or `complete`)";

fn edited(
    at: usize,
    field: String,
    old: Option<serde_json::Value>,
    new: Option<serde_json::Value>,
) -> Breach {
    let breach = Breach::new(Code::MilestonesRewritten, at, field, old, new);
    let message = format!(
        "planned milestone field `{}` changed from {} to {}: record the change in `milestone_changes`",
        breach.field,
        breach.old_quoted(),
        breach.new_quoted()
    );
    breach.message(message).help(RESTORE)
}

fn planned_milestones(at: usize, before: &Node, after: &Node, out: &mut Vec<Breach>) {
    let old = list(before, "milestones");
    if old.is_empty() {
        // Nothing was recorded yet: the first milestones are the plan, not a rewrite.
        return;
    }
    let new = list(after, "milestones");
    let milestone_id = |m: &Node| m.get("id").map(|e| e.value.to_json());
    // Match by milestone id when every old milestone has one; otherwise by position.
    let by_id = old.iter().all(|m| milestone_id(m).is_some());
    let partner = |index: usize, milestone: &Node| -> Option<usize> {
        if by_id {
            let id = milestone_id(milestone);
            new.iter().position(|n| milestone_id(n) == id)
        } else {
            (index < new.len()).then_some(index)
        }
    };
    let mut matched = vec![false; new.len()];
    for (index, milestone) in old.iter().enumerate() {
        match partner(index, milestone) {
            Some(to) => {
                matched[to] = true;
                for change in diff_nodes(milestone, &new[to]) {
                    let field = element_path(format!("milestones[{to}]"), &change.path);
                    out.push(edited(at, field, change.old, change.new));
                }
            }
            None => {
                let old = Some(milestone.to_json());
                let message = format!(
                    "planned milestone {} was removed: planned milestones are write-once",
                    quoted(old.as_ref())
                );
                out.push(
                    Breach::new(Code::MilestonesRewritten, at, "milestones", old, None)
                        .message(message)
                        .help(RESTORE),
                );
            }
        }
    }
    for (to, milestone) in new.iter().enumerate() {
        if !matched[to] {
            let field = format!("milestones[{to}]");
            let message = format!(
                "planned milestone `{field}` was added after the item was created: add it to `milestone_changes` with kind `new`"
            );
            out.push(
                Breach::new(Code::MilestonesRewritten, at, field, None, Some(milestone.to_json()))
                    .message(message)
                    .help("add new milestones as a `milestone_changes` entry with kind `new` and a fresh number"),
            );
        }
    }
}
