//! An open vulnerability is not accepted although it is not, or will not be, fixed within 192
//! days of evaluation.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports an open item without `vdr.accepted` when `vdr.evaluated` +
//! 192 days is before today, or when `next_reduction.at` is after that moment.
//!
//! ## Why it matters
//! Such a vulnerability MUST be categorized as accepted and reported in the accepted
//! vulnerability information instead of the detail report.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   evaluated: 2026-05-01   # 192 days ended 2026-11-09
//!   pain: 2
//! ```
//!
//! ## How to fix
//! Add `accepted: {date: <today>, rationale: <why it stays>}`, or fix the vulnerability and
//! close the item.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-TFR-MAV (MUST): categorize any vulnerability not or not to be fully mitigated or
//! remediated within 192 days of evaluation as accepted; FRD-ACV.

use crate::diag::Diagnostic;
use crate::policy::cr26::ACCEPT_DAYS;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrMustAccept,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.assessment.vdr.as_ref().filter(|v| v.must_accept) else {
        return;
    };
    let Some(vdr) = &ctx.item.vdr else { return };
    let (Some(evaluated), Some(deadline)) = (&vdr.evaluated, v.accept_deadline) else {
        return;
    };
    let message = if deadline.date() < ctx.today {
        format!(
            "open vulnerability evaluated {} is not accepted: {ACCEPT_DAYS} days from evaluation ended {deadline}, {} ago (today {})",
            evaluated.value,
            days(days_between(deadline.date(), ctx.today)),
            ctx.today
        )
    } else {
        let planned = v
            .next_reduction
            .map(|n| n.at.to_string())
            .unwrap_or_default();
        format!(
            "open vulnerability evaluated {} is not accepted: the next reduction is planned for {planned}, after {ACCEPT_DAYS} days from evaluation ({deadline})",
            evaluated.value
        )
    };
    out.push(
        ctx.report(Code::VdrMustAccept, evaluated.span, message)
            .with_label("must be accepted")
            .with_help("add `accepted: {date: <date>, rationale: <why>}` under `vdr`, or fix and close the item"),
    );
}
