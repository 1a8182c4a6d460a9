//! A Class D N5 LEV+IRV evaluation is a bare date, but its timeframe is 12 hours.
//!
//! ## What it does
//! Under `fedramp-cr26` with `cr26.class: d`, reports `vdr.evaluated` written as a date
//! without a time when the evaluation rated the vulnerability N5, likely exploitable and
//! internet-reachable.
//!
//! ## Why it matters
//! The cell is 12 hours from evaluation; a bare date is read as 00:00 UTC, which can move the
//! deadline by up to a day.
//!
//! ## Example
//! ```yaml
//! vdr: {evaluated: 2026-11-24, irv: true, lev: true, pain: 5}
//! ```
//!
//! ## How to fix
//! Write the time of evaluation: `evaluated: 2026-11-24T15:30:00Z`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VDR-TFR-PVR, Class D table: PAIN-5 LEV+IRV is 12 hours (`timeframe_type: hours`).

use crate::diag::Diagnostic;
use crate::policy::cr26::{reduction_timeframe, Timeframe};

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrNeedsTime,
    severity: Severity::Note,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = &ctx.assessment.vdr else { return };
    let Some(initial) = v.initial else { return };
    let Some(Timeframe::Hours(hours)) =
        reduction_timeframe(v.class, initial.pain, initial.column())
    else {
        return;
    };
    let Some(evaluated) = ctx
        .item
        .vdr
        .as_ref()
        .and_then(|vdr| vdr.evaluated.as_ref())
        .filter(|e| !e.value.has_time)
    else {
        return;
    };
    out.push(
        ctx.report(
            Code::VdrNeedsTime,
            evaluated.span,
            format!(
                "{initial} in Class {} must be reduced within {hours} hours of evaluation, but `evaluated` {} has no time (read as 00:00 UTC)",
                v.class.label(),
                evaluated.value
            ),
        )
        .with_help(format!("write the time, e.g. `evaluated: {}T15:30:00Z`", evaluated.value)),
    );
}
