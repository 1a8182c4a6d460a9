//! An accepted vulnerability lacks its rationale or its evaluation.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports `vdr.accepted` without `rationale`, and an accepted item
//! without `vdr.evaluated`, `irv`, `lev` or `pain`.
//!
//! ## Why it matters
//! The accepted vulnerability information reports, for each one, the time of evaluation, IRV,
//! LEV, the current N-rating and why it is accepted.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   accepted: {date: 2026-11-20}   # no rationale
//! ```
//!
//! ## How to fix
//! Write `accepted.rationale`, and record the evaluation.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-AVI items 3-7 (MUST).

use crate::diag::Diagnostic;

use super::{first_line, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrAcceptedIncomplete,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(vdr) = &ctx.item.vdr else { return };
    let Some(accepted) = &vdr.accepted else {
        return;
    };
    let missing: Vec<&str> = [
        ("accepted.rationale", accepted.rationale.is_none()),
        ("evaluated", vdr.evaluated.is_none()),
        ("irv", vdr.irv.is_none()),
        ("lev", vdr.lev.is_none()),
        ("pain", vdr.pain.is_none()),
    ]
    .into_iter()
    .filter(|(key, absent)| *absent && !ctx.item.is_invalid(&format!("vdr.{key}")))
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
            Code::VdrAcceptedIncomplete,
            first_line(&ctx.file.text, accepted.span),
            format!("accepted vulnerability without {list}"),
        )
        .with_help("the accepted vulnerability report needs the evaluation and why it is accepted"),
    );
}
