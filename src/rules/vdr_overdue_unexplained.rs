//! A vulnerability is overdue, or planned to become so, and `vdr.overdue` does not explain why.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports an open, not accepted item whose reduction deadline (the
//! VDR-TFR-PVR cell of the current rating, from evaluation) has passed, or whose
//! `next_reduction.at` is after that deadline ("likely to become overdue"), when
//! `vdr.overdue` is empty.
//!
//! ## Why it matters
//! The vulnerability detail report must say whether each vulnerability is overdue or likely to
//! become so, and if so explain it.
//!
//! ## Example
//! ```yaml
//! vdr:                  # Class C: N4 LEV+IRV within 4 days, until 2026-11-16
//!   evaluated: 2026-11-12
//!   pain: 4
//!   next_reduction: {at: 2026-11-30, pain: 3}
//! ```
//!
//! ## How to fix
//! Write the reason in `vdr.overdue`, or plan the reduction within the deadline.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT item 9 (MUST): overdue now or likely, with an explanation; FRD-ODV.

use crate::diag::Diagnostic;

use super::{current_rating_span, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrOverdueUnexplained,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.assessment.vdr.as_ref().filter(|v| v.overdue) else {
        return;
    };
    if v.overdue_explanation.is_some() {
        return;
    }
    let Some(reason) = v.overdue_reason() else {
        return;
    };
    let planned = ctx
        .item
        .vdr
        .as_ref()
        .and_then(|vdr| vdr.next_reduction.as_ref())
        .and_then(|n| n.at.as_ref());
    let (span, what) = match planned {
        Some(at) if !v.reduction_late => (at.span, "likely to become overdue"),
        _ => (current_rating_span(ctx.item, ctx.today), "overdue"),
    };
    out.push(
        ctx.report(
            Code::VdrOverdueUnexplained,
            span,
            format!("{what} without an explanation: {reason}"),
        )
        .with_label(what)
        .with_help("explain why in `vdr.overdue`"),
    );
}
