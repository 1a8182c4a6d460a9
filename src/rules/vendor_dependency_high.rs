//! A vendor-dependent item is still High or Critical more than 30 days after detection.
//!
//! ## What it does
//! Reports an open item with a vendor dependency whose effective rating is High or Critical
//! more than 30 days after `detected`.
//!
//! ## Why it matters
//! FedRAMP lets vendor dependencies stay open, but not at High: the CSP must mitigate them to
//! Moderate with compensating controls within 30 days and record an approved risk adjustment.
//!
//! ## Example
//! ```yaml
//! risk: high
//! detected: 2026-08-01
//! vendor_dependency: {product: Acme VPN 4, last_checkin: 2026-11-20}
//! ```
//!
//! ## How to fix
//! Apply compensating controls and request a risk adjustment to Moderate
//! (`deviations.risk_adjustment` with `adjusted_risk: moderate`).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Continuous Monitoring Strategy Guide App. D; Vulnerability Deviation Request Form
//! instructions: High vendor dependencies must be mitigated to Moderate within 30 days.

use chrono::Days;

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VendorDependencyHigh,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

const MITIGATION_DAYS: u64 = 30;

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    if !item.is_open() || item.vendor_dependency.is_none() {
        return;
    }
    let (Some(rating), Some(detected)) = (ctx.assessment.rating, &item.detected) else {
        return;
    };
    let limit = detected.value + Days::new(MITIGATION_DAYS);
    if rating.rating.is_high_or_critical() && ctx.today > limit {
        out.push(
            ctx.report(
                Code::VendorDependencyHigh,
                rating.span,
                format!(
                    "vendor-dependent item is still {} {} after detection ({}); it had to be mitigated to moderate by {}",
                    rating.rating.name(),
                    days(days_between(detected.value, ctx.today)),
                    detected.value,
                    limit
                ),
            )
            .with_help("mitigate with compensating controls and record an approved risk adjustment to moderate"),
        );
    }
}
