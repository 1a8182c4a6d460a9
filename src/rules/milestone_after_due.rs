//! A milestone is planned after the item's scheduled completion date.
//!
//! ## What it does
//! Reports each milestone whose effective date (after `update` changes) is later than `due`,
//! except on an item waiting on a vendor fix: there the vendor sets the pace, and `due` stays
//! as scheduled while the check-ins excuse the delay.
//!
//! ## Why it matters
//! FedRAMP presumes completion at the last milestone. A milestone after `due` means the plan
//! itself says the item will be late.
//!
//! ## Example
//! ```yaml
//! due: 2026-12-01
//! milestones:
//!   - {id: 1, date: 2026-12-15, description: Deploy fix}
//! ```
//!
//! ## How to fix
//! Plan the milestone on or before `due`, or pull the work forward.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Guide to OSCAL-based FedRAMP POA&M §4: the scheduled completion date is the latest
//! milestone date.

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::MilestoneAfterDue,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(due) = &ctx.item.due else { return };
    // The vendor, not the plan, sets when a vendor-dependent item can finish: its milestones
    // follow the vendor's release, and the due date is not the limit for them.
    if ctx.assessment.vendor_checkin.is_some_and(|v| v.pending) {
        return;
    }
    for m in &ctx.assessment.milestones {
        if m.date > due.value {
            out.push(
                ctx.report(
                    Code::MilestoneAfterDue,
                    m.span,
                    format!(
                        "milestone {} on {} is {} after due ({})",
                        m.id,
                        m.date,
                        days(days_between(due.value, m.date)),
                        due.value
                    ),
                )
                .with_help("plan every milestone on or before the scheduled completion date"),
            );
        }
    }
}
