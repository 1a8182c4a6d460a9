//! An open vulnerability has not been evaluated within the class's evaluation timeframe.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports an open item without `vdr.evaluated` once detection
//! (`vdr.detected_at`, else `detected`) plus the class's evaluation days has passed:
//! 7 days for Class B, 5 for Class C, 2 for Class D.
//!
//! ## Why it matters
//! Every CR26 timeframe runs from evaluation; until an item is evaluated nobody knows whether
//! it is internet-reachable, likely exploitable or how much it could hurt agencies.
//!
//! ## Example
//! ```yaml
//! detected: 2026-11-10   # Class C, today 2026-11-25
//! status: open
//! vdr:                   # not evaluated yet
//! ```
//!
//! ## How to fix
//! Evaluate the vulnerability: record `vdr.evaluated`, `irv`, `lev`, `pain` and a `rationale`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-TFR-EVU (SHOULD): evaluate all vulnerabilities within 7/5/2 days of detection for
//! Class B/C/D; VER-EVA.

use crate::diag::Diagnostic;
use crate::policy::cr26::evaluation_days;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrNotEvaluated,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(v) = ctx.assessment.vdr.as_ref().filter(|v| v.evaluation_overdue) else {
        return;
    };
    let (Some(detected), Some(deadline)) = (v.detected, v.evaluation_deadline) else {
        return;
    };
    let item = ctx.item;
    let span = item
        .vdr
        .as_ref()
        .map(|vdr| vdr.key_span)
        .or_else(|| item.detected.as_ref().map(|d| d.span))
        .unwrap_or(item.span);
    out.push(
        ctx.report(
            Code::VdrNotEvaluated,
            span,
            format!(
                "open vulnerability detected {detected} is not evaluated: Class {} allows {} (until {deadline}), {} past (today {})",
                v.class.label(),
                days(i64::from(evaluation_days(v.class))),
                days(days_between(deadline.date(), ctx.today)),
                ctx.today
            ),
        )
        .with_label("not evaluated")
        .with_help("record `vdr.evaluated`, `irv`, `lev`, `pain` and a `rationale`"),
    );
}
