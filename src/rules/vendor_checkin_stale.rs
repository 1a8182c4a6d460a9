//! A pending vendor dependency has not been checked in on recently enough.
//!
//! ## What it does
//! Reports an open item with a vendor dependency and no `fix_released` whose `last_checkin` is
//! more than `vendor_checkin_days` (30 by default) before today.
//!
//! ## Why it matters
//! A vendor-dependent item is only excused from lateness while the CSP checks in with the
//! vendor at least every 30 days; with a stale check-in it counts as late.
//!
//! ## Example
//! ```yaml
//! vendor_dependency:
//!   product: Acme Load Balancer 9
//!   last_checkin: 2026-09-01   # 85 days before 2026-11-25
//! ```
//!
//! ## How to fix
//! Check in with the vendor, keep the evidence, and update `last_checkin`. When the vendor
//! ships the fix, set `fix_released`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, columns P–R; Continuous Monitoring Strategy Guide
//! App. D: check in at least every 30 days.

use crate::diag::Diagnostic;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VendorCheckinStale,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(vendor) = ctx.assessment.vendor_checkin.filter(|v| v.stale) else {
        return;
    };
    let (Some(checkin), Some(age)) = (vendor.last, vendor.age_days) else {
        return;
    };
    {
        out.push(
            ctx.report(
                Code::VendorCheckinStale,
                checkin.span,
                format!(
                    "last vendor check-in {} is {} old; check in at least every {}",
                    checkin.value,
                    days(age),
                    days(i64::from(ctx.config.policy.vendor_checkin_days))
                ),
            )
            .with_help("check in with the vendor and update `vendor_dependency.last_checkin`"),
        );
    }
}
