//! An evaluation lacks its reachability, exploitability or N-rating, the N-rating is not 1-5,
//! or its time is impossible.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports `vdr.evaluated` without `irv`, `lev` or `pain`, a
//! `vdr.pain` outside 1 to 5, and `vdr.evaluated` after today or before detection
//! (`vdr.detected_at`, else `detected`).
//!
//! ## Why it matters
//! The timeframe of every reduction is looked up from the PAIN N-rating and the IRV and LEV
//! evaluation; without all three no deadline can be known, and the report misses required
//! fields.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   evaluated: 2026-11-12
//!   irv: true
//!   pain: 4        # `lev` missing
//! ```
//!
//! ## How to fix
//! Record all three: `irv: true|false`, `lev: true|false`, `pain: 1..5`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-EVA-EIR, VER-EVA-ELX and VER-EVA-EPA (MUST): evaluate internet reachability, likely
//! exploitability and potential agency impact (N1-N5) of each vulnerability.

use crate::diag::Diagnostic;
use crate::policy::cr26::valid_pain;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrEvaluationIncomplete,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(vdr) = &item.vdr else { return };
    if let Some(pain) = vdr.pain.as_ref().filter(|p| valid_pain(p.value).is_none()) {
        out.push(
            ctx.report(
                Code::VdrEvaluationIncomplete,
                pain.span,
                format!("pain {} is not a PAIN N-rating: ratings are 1 to 5", pain.value),
            )
            .with_help("N1 minimal, N2 narrow, N3 disruptive to one agency, N4 debilitating to one or disruptive to several, N5 debilitating to several"),
        );
    }
    let Some(evaluated) = &vdr.evaluated else {
        return;
    };
    let detected = ctx.assessment.vdr.as_ref().and_then(|v| v.detected);
    if evaluated.value.date() > ctx.today {
        out.push(
            ctx.report(
                Code::VdrEvaluationIncomplete,
                evaluated.span,
                format!(
                    "evaluated {} is in the future (today {}): every timeframe would start later",
                    evaluated.value, ctx.today
                ),
            )
            .with_help("record the time the evaluation was completed"),
        );
    } else if let Some(detected) = detected.filter(|d| evaluated.value.at < d.at) {
        out.push(
            ctx.report(
                Code::VdrEvaluationIncomplete,
                evaluated.span,
                format!(
                    "evaluated {} is before detection {detected}",
                    evaluated.value
                ),
            )
            .with_help(
                "a vulnerability is evaluated after it is detected; correct one of the dates",
            ),
        );
    }
    let missing: Vec<&str> = [
        ("irv", vdr.irv.is_none()),
        ("lev", vdr.lev.is_none()),
        ("pain", vdr.pain.is_none()),
    ]
    .into_iter()
    .filter(|(key, absent)| *absent && !item.is_invalid(&format!("vdr.{key}")))
    .map(|(key, _)| key)
    .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        ctx.report(
            Code::VdrEvaluationIncomplete,
            evaluated.span,
            format!(
                "evaluated {} without {list}: no timeframe can be looked up",
                evaluated.value
            ),
        )
        .with_label("incomplete evaluation")
        .with_help("record `irv: true|false`, `lev: true|false` and `pain: 1..5`"),
    );
}
