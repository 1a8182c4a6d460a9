//! The scheduled completion date is later than FedRAMP's remediation deadline.
//!
//! ## What it does
//! Computes the policy deadline: the clock starts at `vendor_dependency.fix_released` when set,
//! else at `detected`; it runs for the days of the effective rating (the approved
//! `adjusted_risk`, else `risk`): 30 for critical and high, 90 for moderate, 180 for low by
//! default, or as set in `deadlines:`; a `kev_due` date earlier than that wins. Reports a
//! `due` date later than the deadline.
//!
//! ## Why it matters
//! FedRAMP does not accept schedules beyond the remediation timeframes; an item planned late is
//! late from the day it is written.
//!
//! ## Example
//! ```yaml
//! risk: high
//! detected: 2026-10-01
//! due: 2026-12-30   # high allows 30 days: 2026-10-31
//! ```
//!
//! ## How to fix
//! Bring `due` within the deadline. If the rating is wrong, request a risk adjustment; if a
//! vendor fix is pending, record the vendor dependency.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Rev5 baseline RA-5(d): High 30, Moderate 90, Low 180 days from discovery; KEV
//! remediation dates supersede. Continuous Monitoring Strategy Guide, App. D: vendor fixes
//! restart the clock at the release date.

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DueBeyondPolicy,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(due), Some(deadline)) = (&ctx.item.due, ctx.assessment.policy_deadline) else {
        return;
    };
    if due.value <= deadline.date {
        return;
    }
    let message = if deadline.kev_bound {
        format!(
            "due {} is {} after the KEV due date {}",
            due.value,
            days(days_between(deadline.date, due.value)),
            deadline.date
        )
    } else {
        format!(
            "due {} is {} after {}; {} allows {} (deadline {})",
            due.value,
            days(days_between(deadline.start, due.value)),
            deadline.start_kind.describe(),
            deadline.rating.rating.name(),
            deadline.days,
            deadline.date
        )
    };
    out.push(
        ctx.report(Code::DueBeyondPolicy, due.span, message)
            .with_label(format!("latest allowed: {}", deadline.date))
            .with_help(format!(
                "set `due` on or before {}; a later date needs an approved risk adjustment or a vendor fix release date",
                deadline.date
            )),
    );
}
