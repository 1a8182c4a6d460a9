//! An operational requirement is requested or approved for a High or Critical item.
//!
//! ## What it does
//! Reports an operational requirement whose status is `pending` or `approved` while the
//! item's effective rating is High or Critical.
//!
//! ## Why it matters
//! FedRAMP does not approve operational requirements for High vulnerabilities. The CSP must
//! first lower the rating through an approved risk adjustment (an "OR RA" request).
//!
//! ## Example
//! ```yaml
//! risk: high
//! deviations:
//!   operational_requirement: {status: pending, rationale: Breaks the legacy client}
//! ```
//!
//! ## How to fix
//! Request a risk adjustment with compensating controls first; file the operational
//! requirement once the item is Moderate or Low.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Vulnerability Deviation Request Form instructions; Continuous Monitoring Strategy
//! Guide App. D.

use crate::diag::Diagnostic;
use crate::model::item::DeviationStatus;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::OperationalRequirementHigh,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(or) = ctx
        .item
        .deviations
        .as_ref()
        .and_then(|d| d.operational_requirement.as_ref())
    else {
        return;
    };
    let Some(status) = or.status.as_ref().filter(|s| {
        matches!(
            s.value,
            DeviationStatus::Pending | DeviationStatus::Approved
        )
    }) else {
        return;
    };
    let Some(rating) = ctx
        .assessment
        .rating
        .filter(|r| r.rating.is_high_or_critical())
    else {
        return;
    };
    let state = if status.value == DeviationStatus::Approved {
        "approved"
    } else {
        "requested"
    };
    out.push(
        ctx.report(
            Code::OperationalRequirementHigh,
            status.span,
            format!(
                "operational requirement is {state} while the effective rating is {}",
                rating.rating.name()
            ),
        )
        .with_help("FedRAMP does not approve operational requirements for High items: get a risk adjustment to moderate first"),
    );
}
