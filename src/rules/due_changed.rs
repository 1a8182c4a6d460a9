//! The scheduled completion date of an existing item changed without cause.
//!
//! ## What it does
//! Reports a `due` date that was recorded and then changed, unless a justification was
//! recorded in the item since `due` was last set, in the same commit or an earlier one: the
//! vendor released the fix (`vendor_dependency.fix_released` set or changed) or a risk
//! adjustment became `approved`, FedRAMP's two cases where the date is recomputed. Each
//! justification excuses one move. A pull request that approves an adjustment in one commit and
//! moves `due` in a later one therefore passes both `--base` and, once rebased or fast-forwarded
//! onto main, the full-history check.
//!
//! ## Why it matters
//! The Scheduled Completion Date is a permanent column. Slipping it by editing the field hides
//! a late item; slips belong in `milestone_changes`.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! due: 2026-05-01
//! # commit 2 (no fix release, no approved adjustment)
//! due: 2026-06-01
//! ```
//!
//! ## How to fix
//! Restore `due` and record the delay as a milestone change of kind `update`. If the vendor
//! released a fix or the AO approved a risk adjustment, record that first (or in the same
//! commit), then recompute `due`. A past move that an assessor accepted can be acknowledged in
//! `poam.yaml` under `history_waivers`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column L (permanent; vendor dependency exception);
//! Continuous Monitoring Strategy Guide App. D: FedRAMP does not accept date adjustments.

use crate::history::audit::Run;
use crate::history::diff::{same_opt, same_value};
use crate::model::Node;

use super::history::{at_path, changed_write_once, field_values, scalar, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DueChanged,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Rev5],
};

/// Walks the whole run, so a justification recorded in an earlier commit (say, the approval
/// of a risk adjustment) excuses the next move of `due` in a later one. Each justification
/// excuses one move: a second move needs a new release date or a new approval.
pub fn check(run: &Run, out: &mut Vec<Breach>) {
    let mut justified = false;
    for (index, pair) in run.steps.windows(2).enumerate() {
        let (before, after) = (pair[0].node, pair[1].node);
        justified |= justification_recorded(before, after);
        if !changed_write_once(before, after, "due", same_value) {
            continue;
        }
        if justified {
            justified = false;
        } else if pair[1].judged {
            let (old, new) = field_values(before, after, "due");
            let breach = Breach::new(Code::DueChanged, index + 1, "due", old, new);
            let message = format!(
                "`due` moved from {} to {} without a vendor fix release or an approved risk adjustment recorded since it was set",
                breach.old_quoted(),
                breach.new_quoted()
            );
            out.push(breach.message(message).help(
                "restore `due` and record the delay in `milestone_changes`; `due` may only move after a vendor fix release or an approved risk adjustment is recorded (in the same commit or an earlier one)",
            ));
        }
    }
}

/// FedRAMP's two cases where the scheduled completion date is recomputed: the vendor released
/// the fix (`vendor_dependency.fix_released` set or changed), or a risk adjustment was approved.
fn justification_recorded(before: &Node, after: &Node) -> bool {
    let fix_released = ["vendor_dependency", "fix_released"];
    let fix_set = at_path(after, &fix_released).is_some_and(|n| !n.is_empty())
        && !same_opt(
            at_path(before, &fix_released),
            at_path(after, &fix_released),
        );
    let status = ["deviations", "risk_adjustment", "status"];
    let approved_now = scalar(after, &status).as_deref() == Some("approved")
        && scalar(before, &status).as_deref() != Some("approved");
    fix_set || approved_now
}
