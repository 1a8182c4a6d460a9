//! An auto-approved risk adjustment lowers the rating by more than one level.
//!
//! ## What it does
//! Reports a risk adjustment with `auto_approved: true` whose `adjusted_risk` is more than one
//! level below `risk` (Critical counts as High).
//!
//! ## Why it matters
//! Auto-approval lets a CSP downgrade by pre-approved criteria, but only one level: High to
//! Moderate or Moderate to Low, never High to Low.
//!
//! ## Example
//! ```yaml
//! risk: high
//! deviations:
//!   risk_adjustment: {status: approved, adjusted_risk: low, auto_approved: true, rationale: …}
//! ```
//!
//! ## How to fix
//! Auto-approve one level only, or submit a regular deviation request for the AO.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Automated Vulnerability Risk Adjustment Framework (draft v0.1); POA&M Template
//! column AA (Auto-Approve).

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::AutoApproveTooFar,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(ra) = ctx
        .item
        .deviations
        .as_ref()
        .and_then(|d| d.risk_adjustment.as_ref())
    else {
        return;
    };
    if !ra.auto_approved.as_ref().is_some_and(|a| a.value) {
        return;
    }
    let (Some(original), Some(adjusted)) = (&ctx.item.risk, &ra.adjusted_risk) else {
        return;
    };
    let drop =
        i16::from(original.value.fedramp_level()) - i16::from(adjusted.value.fedramp_level());
    if drop > 1 {
        out.push(
            ctx.report(
                Code::AutoApproveTooFar,
                adjusted.span,
                format!(
                    "auto-approved adjustment lowers {} to {}: {drop} levels; auto-approval allows one",
                    original.value.name(),
                    adjusted.value.name()
                ),
            )
            .with_help("auto-approve one level only, or set `auto_approved: false` and get the AO's approval"),
        );
    }
}
