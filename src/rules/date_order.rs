//! Dates are in an impossible order.
//!
//! ## What it does
//! Reports a `due` date before `detected`, and a milestone, milestone change or `closed.date`
//! before `detected`. (A `detected` date after today is `future-date`.)
//!
//! ## Why it matters
//! Deadlines count from detection. A plan that ends before the weakness was found is a typo
//! that corrupts every deadline check.
//!
//! ## Example
//! ```yaml
//! detected: 2026-03-10
//! due: 2026-02-10     # before detection
//! ```
//!
//! ## How to fix
//! Correct the date that is wrong; usually a transposed month or year.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column K: the Original Detection Date is the date
//! the weakness was first found.

use crate::diag::Diagnostic;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DateOrder,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(detected) = &item.detected else {
        return;
    };
    let mut before = |span, what: String, date: chrono::NaiveDate| {
        let gap = (detected.value - date).num_days();
        out.push(
            ctx.report(
                Code::DateOrder,
                span,
                format!(
                    "{what} {date} is {} before detection on {}",
                    days(gap),
                    detected.value
                ),
            )
            .with_help("dates of the plan cannot precede the detection date"),
        );
    };
    if let Some(due) = item.due.as_ref().filter(|d| d.value < detected.value) {
        before(due.span, "due".to_owned(), due.value);
    }
    for m in item.milestones.iter().flat_map(|m| m.value.iter()) {
        if let Some(date) = m.date.as_ref().filter(|d| d.value < detected.value) {
            let what = m.id.as_ref().map_or("milestone on".to_owned(), |id| {
                format!("milestone {} on", id.value)
            });
            before(date.span, what, date.value);
        }
    }
    for c in item.milestone_changes.iter().flat_map(|c| c.value.iter()) {
        if let Some(date) = c.date.as_ref().filter(|d| d.value < detected.value) {
            let what = c
                .milestone
                .as_ref()
                .map_or("milestone change on".to_owned(), |id| {
                    format!("change to milestone {} on", id.value)
                });
            before(date.span, what, date.value);
        }
    }
    if let Some(date) = item
        .closed
        .as_ref()
        .and_then(|c| c.date.as_ref())
        .filter(|d| d.value < detected.value)
    {
        before(date.span, "closing date".to_owned(), date.value);
    }
}
