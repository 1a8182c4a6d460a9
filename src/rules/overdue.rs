//! An open item is past its scheduled completion date.
//!
//! ## What it does
//! Reports an open item whose `due` date is before today, unless it is excused: a vendor
//! dependency without `fix_released` whose `last_checkin` is within `vendor_checkin_days`
//! (30 by default) of today, or an approved operational requirement.
//!
//! ## Why it matters
//! Late items drive FedRAMP's performance escalations: five or more High items over 30 days
//! trigger a Detailed Finding Review, and repeated triggers a Corrective Action Plan.
//!
//! ## Example
//! ```yaml
//! status: open
//! due: 2026-10-01   # today is 2026-11-25
//! ```
//!
//! ## How to fix
//! Remediate and close the item. If a vendor fix is pending, record the vendor dependency and
//! check in with the vendor at least every 30 days.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §3 (late items); ConMon Performance Management
//! Guide (escalation thresholds); Continuous Monitoring Strategy Guide App. D (vendor
//! dependencies are not late while check-ins are current).

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::Overdue,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(due) = item.due.as_ref().filter(|_| ctx.assessment.overdue) else {
        return;
    };
    out.push(
        ctx.report(
            Code::Overdue,
            due.span,
            format!(
                "open item is overdue: due {} passed {} ago (today {})",
                due.value,
                days(days_between(due.value, ctx.today)),
                ctx.today
            ),
        )
        .with_label("past due")
        .with_help("remediate and close the item, or record a vendor dependency or an approved operational requirement"),
    );
}
