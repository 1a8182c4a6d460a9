//! A date that records something that already happened lies after today.
//!
//! ## What it does
//! Reports `detected`, `status_date`, `closed.date`, `vendor_dependency.last_checkin`,
//! `vendor_dependency.fix_released` and the date of a `complete` milestone change when it is
//! after today. Such a date counts for nothing in every other rule: a check-in "next year"
//! excuses no lateness, a completion "next week" completes no milestone, a fix release in the
//! future restarts no clock.
//!
//! ## Why it matters
//! These fields record events. A future date is a typo (2027 for 2026, a swapped month) that
//! would otherwise hide lateness: an item 88 days past due with `last_checkin: 2027-11-29`
//! would look excused for a year.
//!
//! ## Example
//! ```yaml
//! vendor_dependency:
//!   product: Acme Load Balancer 9
//!   last_checkin: 2027-11-29   # today is 2026-11-30
//! ```
//!
//! ## How to fix
//! Correct the date: it is the day the event happened, on or before today. Planned dates
//! belong in `milestones`, `due` or a milestone change of kind `update`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide: columns K (Original Detection Date), O (Status
//! Date), N (Milestone Changes) and R (Last Vendor Check-in Date) record past events.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::FutureDate,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for future in &ctx.assessment.future_dates {
        out.push(
            ctx.report(
                Code::FutureDate,
                future.span,
                format!(
                    "`{}` {} is after today ({}): it records something that already happened",
                    future.field, future.date, ctx.today
                ),
            )
            .with_label("in the future")
            .with_help("use the date the event happened, on or before today; until then this date counts for nothing"),
        );
    }
}
