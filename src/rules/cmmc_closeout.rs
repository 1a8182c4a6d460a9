//! An open item is past the CMMC closeout, or within 30 days of it.
//!
//! ## What it does
//! Under `cmmc-l2`, with a `conditional_date` in `assessment.yaml`: reports an error for each
//! open item after the closeout (the Conditional CMMC Status Date + 180 days), and a warning
//! for each open item when the closeout is today or within the next 30 days.
//!
//! ## Why it matters
//! Every POA&M item must be closed, and pass the closeout assessment, within 180 days of the
//! Conditional CMMC Status Date; otherwise Conditional status expires and with it the
//! contractor's eligibility for contracts that require Level 2.
//!
//! ## Example
//! ```yaml
//! # assessment.yaml: conditional_date: 2026-06-01  → closeout 2026-11-28
//! status: open       # today is 2026-11-25: the closeout is in 3 days
//! ```
//!
//! ## How to fix
//! Finish the work and close the item (`poam close ID --evidence …`) before the closeout, and
//! schedule the closeout assessment.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not FedRAMP: CMMC, 32 CFR 170.21(b) (POA&M closeout within 180 days).

use crate::diag::Diagnostic;
use crate::policy::cmmc::{closeout, CLOSEOUT_WARNING_DAYS};
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CmmcCloseout,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cmmc],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(conditional) = ctx.config.policy.cmmc.conditional_date else {
        return;
    };
    if !item.is_open() {
        return;
    }
    let by = closeout(conditional);
    let left = days_between(ctx.today, by);
    let span = item.status.as_ref().map_or(item.span, |s| s.span);
    if left < 0 {
        out.push(
            ctx.report(
                Code::CmmcCloseout,
                span,
                format!(
                    "open {} after the closeout ({by}, 180 days after the Conditional status date {conditional}): Conditional CMMC status has expired",
                    days(-left)
                ),
            )
            .with_help("close the item; the requirement must be met and re-assessed before a new assessment"),
        );
    } else if left <= CLOSEOUT_WARNING_DAYS {
        let when = if left == 0 {
            "today".to_owned()
        } else {
            format!("in {}", days(left))
        };
        let mut finding = ctx
            .report(
                Code::CmmcCloseout,
                span,
                format!("open item and the closeout is {when} ({by}, 180 days after the Conditional status date {conditional})"),
            )
            .with_help("close the item and schedule the closeout assessment before the closeout");
        finding.severity = Severity::Warning;
        out.push(finding);
    }
}
