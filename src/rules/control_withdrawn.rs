//! A control in `controls` was withdrawn from NIST SP 800-53 Rev 5.
//!
//! ## What it does
//! Reports each entry of `controls` that SP 800-53 Rev 5 lists as withdrawn, naming the
//! controls it was incorporated into or moved to (e.g. `AC-2(10)` went into `AC-2`).
//!
//! ## Why it matters
//! A withdrawn control has no requirement of its own any more: assessments, the SSP and the
//! baseline name the control that took it over. A POA&M item that names the withdrawn id is
//! filed under a control nobody assesses.
//!
//! ## Example
//! ```yaml
//! controls: [SC-7(1)]   # withdrawn: incorporated into SC-7
//! ```
//!
//! ## How to fix
//! Replace the id with the control(s) the message names.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! NIST SP 800-53 Rev 5, withdrawn controls and their "incorporated into" notes; FedRAMP POA&M
//! Template Completion Guide, column B (Controls).

use crate::catalog::Catalog;
use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ControlWithdrawn,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(controls) = &ctx.item.controls else {
        return;
    };
    let catalog = Catalog::get();
    for control in &controls.value {
        let Some(found) = catalog.control(&control.value).filter(|c| c.withdrawn) else {
            continue;
        };
        let into = found
            .withdrawn_into
            .iter()
            .map(|c| {
                if c.contains('-') {
                    format!("`{c}`")
                } else {
                    format!("the `{c}` family")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let (message, help) = if into.is_empty() {
            (
                format!(
                    "`{}` ({}) was withdrawn from NIST SP 800-53 Rev 5",
                    found.label, found.title
                ),
                "remove it, or name the control that covers the weakness now".to_owned(),
            )
        } else {
            (
                format!(
                    "`{}` ({}) was withdrawn from NIST SP 800-53 Rev 5: incorporated into {into}",
                    found.label, found.title
                ),
                format!("name {into} instead"),
            )
        };
        out.push(
            ctx.report(Code::ControlWithdrawn, control.span, message)
                .with_label("withdrawn control")
                .with_help(help),
        );
    }
}
