//! An open vulnerability is still at a rating whose reduction timeframe from evaluation has
//! passed.
//!
//! ## What it does
//! Under `fedramp-cr26`, for an open item that is not accepted, looks up the VDR-TFR-PVR cell
//! of the class for the current N-rating (the last reduction's, else the evaluated one) with
//! the current IRV and LEV, adds it to `vdr.evaluated`, and reports when that moment's date is
//! before today. N1 has no timeframe.
//!
//! ## Why it matters
//! The timeframes are FedRAMP's expectation for partial mitigation; missing them makes the
//! vulnerability overdue in the monthly report.
//!
//! ## Example
//! ```yaml
//! vdr:                       # Class C, today 2026-11-25
//!   evaluated: 2026-11-12
//!   irv: true
//!   lev: true
//!   pain: 4                  # N4 LEV+IRV: 4 days, until 2026-11-16
//! ```
//!
//! ## How to fix
//! Mitigate and record the reduction in `vdr.reductions`; explain the delay in `vdr.overdue`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VDR-TFR-PVR (SHOULD): partially mitigate, fully mitigate or remediate to a lower N-rating
//! within the timeframes from evaluation; timeframes anchored at evaluation (domain notes §1).

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{current_rating_span, days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrReductionLate,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.assessment.vdr.as_ref().filter(|v| v.reduction_late) else {
        return;
    };
    let (Some(current), Some(deadline), Some(timeframe), Some(evaluated)) =
        (v.current, v.reduction_deadline, v.timeframe, v.evaluated)
    else {
        return;
    };
    out.push(
        ctx.report(
            Code::VdrReductionLate,
            current_rating_span(ctx.item, ctx.today),
            format!(
                "{current} must be reduced within {timeframe} of evaluation {evaluated} (Class {}): deadline {deadline} passed {} ago (today {})",
                v.class.label(),
                days(days_between(deadline.date(), ctx.today)),
                ctx.today
            ),
        )
        .with_label("reduction overdue")
        .with_help("mitigate and record the reduction in `vdr.reductions`; explain the delay in `vdr.overdue`"),
    );
}
