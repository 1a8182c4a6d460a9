//! An open item's milestone is past its date and not completed.
//!
//! ## What it does
//! For open items, applies `milestone_changes` to the planned milestones (an `update` moves a
//! milestone's date, a `complete` finishes it, a `new` adds one) and reports each milestone
//! whose effective date is before today and that is not complete.
//!
//! ## Why it matters
//! Milestones are the monthly evidence that remediation is on track. A missed milestone
//! without an update is the first sign of a late item.
//!
//! ## Example
//! ```yaml
//! milestones:
//!   - {id: 1, date: 2026-11-01, description: Patch staging}   # no `complete` change
//! ```
//!
//! ## How to fix
//! Record a `complete` change when the milestone is done, or an `update` with the new date.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, column N (Milestone Changes): status updates are appended as
//! `(##) Update/Complete <date> : <description>`.

use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::MilestoneOverdue,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for m in &ctx.assessment.milestones {
        if m.overdue {
            out.push(
                ctx.report(
                    Code::MilestoneOverdue,
                    m.span,
                    format!(
                        "milestone {} was due {} ({} ago) and is not complete",
                        m.id,
                        m.date,
                        days(days_between(m.date, ctx.today))
                    ),
                )
                .with_help(format!(
                    "when it is done, append to `milestone_changes`: `{{milestone: {id}, kind: complete, date: {today}, description: <what was delivered>}}`; if it slipped: `{{milestone: {id}, kind: update, date: <new date>, description: <why>}}`",
                    id = m.id,
                    today = ctx.today,
                )),
            );
        }
    }
}
