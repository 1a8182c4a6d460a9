//! A milestone of an unapproved DoD RMF item is after the item's scheduled completion date.
//!
//! ## What it does
//! Under `dod-rmf`, reports a milestone whose date (after `update` changes) is after `due` on
//! an item eMASS has not approved (`rmf.approved` unset). An approved item's milestones may
//! pass it ("pending extension").
//!
//! ## Why it matters
//! The templates' instructions: for unapproved items a milestone date may not exceed the
//! item's Scheduled Completion Date; eMASS refuses the row.
//!
//! ## Example
//! ```yaml
//! due: 2027-01-31
//! milestones:
//!   - {id: 1, date: 2027-02-15, description: Patch production, status: open}
//! ```
//!
//! ## How to fix
//! Plan the milestone on or before `due`, or record the approval date in `rmf.approved` when
//! eMASS approved the item and the milestone is a pending extension.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not a FedRAMP rule: the eMASS POA&M templates' Instructions (milestone dates).

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RmfMilestoneAfterDue,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Dod],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(due) = &ctx.item.due else { return };
    if ctx.item.rmf.as_ref().is_some_and(|r| r.approved.is_some()) {
        return;
    }
    for m in &ctx.assessment.milestones {
        if m.date > due.value {
            out.push(
                ctx.report(
                    Code::RmfMilestoneAfterDue,
                    m.span,
                    format!(
                        "milestone {} on {} is {} after the scheduled completion date ({}) of an unapproved item",
                        m.id,
                        m.date,
                        days(days_between(due.value, m.date)),
                        due.value
                    ),
                )
                .with_label("after `due`")
                .with_help("plan it on or before `due`, or record eMASS's approval in `rmf.approved`"),
            );
        }
    }
}
