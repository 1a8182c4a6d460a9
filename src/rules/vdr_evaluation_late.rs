//! A vulnerability was evaluated later than the class's evaluation timeframe allows.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports `vdr.evaluated` when it is after detection
//! (`vdr.detected_at`, else `detected` at 00:00 UTC) plus 7 days (Class B), 5 (Class C) or
//! 2 (Class D).
//!
//! ## Why it matters
//! Late evaluation delays every reduction deadline that follows, and the monthly report shows
//! both times side by side.
//!
//! ## Example
//! ```yaml
//! detected: 2026-11-01
//! vdr:
//!   evaluated: 2026-11-09   # Class C allows 5 days
//! ```
//!
//! ## How to fix
//! Nothing can change a past evaluation; explain the delay in `vdr.supplementary` and
//! evaluate faster. Correct `evaluated` only if it was recorded wrongly.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-TFR-EVU (SHOULD): evaluate all vulnerabilities within 7/5/2 days of detection for
//! Class B/C/D.

use crate::diag::Diagnostic;
use crate::policy::cr26::evaluation_days;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrEvaluationLate,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.assessment.vdr.as_ref().filter(|v| v.evaluation_late) else {
        return;
    };
    let (Some(detected), Some(deadline)) = (v.detected, v.evaluation_deadline) else {
        return;
    };
    let Some(evaluated) = ctx.item.vdr.as_ref().and_then(|vdr| vdr.evaluated.as_ref()) else {
        return;
    };
    let taken = evaluated.value.at - detected.at;
    let late = evaluated.value.at - deadline.at;
    let amount = |d: chrono::Duration| {
        if d.num_days() >= 1 || !evaluated.value.has_time {
            days(d.num_days().max(1)).to_string()
        } else {
            match d.num_hours().max(1) {
                1 => "1 hour".to_owned(),
                h => format!("{h} hours"),
            }
        }
    };
    out.push(
        ctx.report(
            Code::VdrEvaluationLate,
            evaluated.span,
            format!(
                "evaluated {} {} after detection {detected}: Class {} allows {} (until {deadline}), {} late",
                evaluated.value,
                amount(taken),
                v.class.label(),
                days(i64::from(evaluation_days(v.class))),
                amount(late)
            ),
        )
        .with_label("late evaluation")
        .with_help("explain the delay in `vdr.supplementary`; correct `evaluated` only if it was recorded wrongly"),
    );
}
