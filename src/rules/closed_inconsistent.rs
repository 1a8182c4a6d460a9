//! `closed` is present on an open item.
//!
//! ## What it does
//! Reports an item with `status: open` that also has a `closed` block.
//!
//! ## Why it matters
//! The item says both that it is open and that it was closed; reports and exports would have
//! to guess which is true.
//!
//! ## Example
//! ```yaml
//! status: open
//! closed: {date: 2026-11-01, evidence: CHG-1234}
//! ```
//!
//! ## How to fix
//! Set `status: closed` if the work is done, or remove `closed` if it is not.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2: closed items move to the Closed sheet with the
//! completion date as status date.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ClosedInconsistent,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    if let Some(closed) = ctx.item.closed.as_ref().filter(|_| ctx.item.is_open()) {
        out.push(
            ctx.report(
                Code::ClosedInconsistent,
                closed.key_span,
                "`closed` is set on an open item",
            )
            .with_help("set `status: closed`, or remove `closed` while the item is open"),
        );
    }
}
