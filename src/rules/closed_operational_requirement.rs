//! An item with an approved operational requirement is closed.
//!
//! ## What it does
//! Reports a closed item whose operational requirement is approved.
//!
//! ## Why it matters
//! An operational requirement accepts a risk that cannot be remediated: it stays on the Open
//! sheet and is reassessed periodically. Closing it hides an open risk from the AO.
//!
//! ## Example
//! ```yaml
//! status: closed
//! deviations:
//!   operational_requirement: {status: approved, rationale: …}
//! ```
//!
//! ## How to fix
//! Set `status: open` and remove `closed`; keep reassessing the requirement.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Rev5 playbook, POA&M page: vendor dependencies and operational requirements are
//! open risks and are not moved to the Closed sheet.

use crate::diag::Diagnostic;
use crate::model::item::DeviationStatus;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ClosedOperationalRequirement,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let approved = item
        .deviations
        .as_ref()
        .and_then(|d| d.operational_requirement.as_ref())
        .and_then(|or| or.status.as_ref())
        .is_some_and(|s| s.value == DeviationStatus::Approved);
    if let Some(status) = item
        .status
        .as_ref()
        .filter(|_| approved && item.is_closed())
    {
        out.push(
            ctx.report(
                Code::ClosedOperationalRequirement,
                status.span,
                "item with an approved operational requirement is closed",
            )
            .with_help(
                "operational requirements stay open: set `status: open` and remove `closed`",
            ),
        );
    }
}
