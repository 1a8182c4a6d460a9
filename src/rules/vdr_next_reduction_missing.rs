//! An open vulnerability above N1 has no planned next reduction.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports an open, evaluated, not accepted item whose current
//! N-rating is 2 or more and that has no `vdr.next_reduction`.
//!
//! ## Why it matters
//! The vulnerability detail report states the estimated time and target N-rating of the next
//! reduction for every active vulnerability.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   evaluated: 2026-11-20
//!   pain: 3
//!   # no next_reduction
//! ```
//!
//! ## How to fix
//! Add `next_reduction: {at: <date>, pain: <lower rating>}`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT item 8 (MUST): estimated time and target N-rating of the next reduction.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrNextReductionMissing,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = &ctx.assessment.vdr else { return };
    let Some(vdr) = &ctx.item.vdr else { return };
    let Some(current) = v.current.filter(|c| c.pain >= 2) else {
        return;
    };
    if !ctx.item.is_open() || v.accepted || vdr.next_reduction.is_some() {
        return;
    }
    let by = match (v.reduction_deadline, v.timeframe) {
        (Some(deadline), Some(timeframe)) => format!(
            "; it must go below N{} by {deadline} ({timeframe} from evaluation)",
            current.pain
        ),
        _ => String::new(),
    };
    out.push(
        ctx.report(
            Code::VdrNextReductionMissing,
            vdr.key_span,
            format!("open {current} vulnerability has no `next_reduction`{by}"),
        )
        .with_label("no next reduction planned")
        .with_help(format!(
            "add `next_reduction: {{at: <date>, pain: <{}}}`",
            current.pain - 1
        )),
    );
}
