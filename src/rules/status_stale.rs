//! An open item's status date is older than `stale_days`.
//!
//! ## What it does
//! Reports an open item whose `status_date` (or, when it is absent, the date of the last
//! commit that changed the item) is more than `stale_days` (30 by default) before today.
//!
//! ## Why it matters
//! POA&Ms are delivered monthly; an item nobody has touched in a month is probably out of
//! date, and its status date tells the AO so.
//!
//! ## Example
//! ```yaml
//! status: open
//! status_date: 2026-08-01
//! ```
//!
//! ## How to fix
//! Review the item, record progress (a milestone change), and update `status_date`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, column O (Status Date); Rev5 baseline CA-5: POA&Ms at least monthly.

use crate::diag::Diagnostic;
use crate::policy::rev5::StatusSource;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::StatusStale,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(status) = ctx.assessment.status.filter(|s| s.stale) else {
        return;
    };
    let limit = i64::from(ctx.config.policy.stale_days);
    let age = status.age_days;
    match (status.source, status.span) {
        (StatusSource::StatusDate, Some(span)) => {
            out.push(
                ctx.report(
                    Code::StatusStale,
                    span,
                    format!(
                        "status date {} is {} old (limit {})",
                        status.date,
                        days(age),
                        days(limit)
                    ),
                )
                .with_help("review the item and update `status_date`"),
            );
        }
        _ => {
            let changed = status.date;
            let span = item.status.as_ref().map_or(item.span, |s| s.span);
            out.push(
                ctx.report(
                    Code::StatusStale,
                    span,
                    format!(
                        "item last changed on {changed} ({} ago, limit {}) and has no `status_date`",
                        days(age),
                        days(limit)
                    ),
                )
                .with_help("review the item and record the review with `status_date`"),
            );
        }
    }
}
