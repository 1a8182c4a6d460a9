//! A control in `controls` is not in NIST SP 800-53 Rev 5.
//!
//! ## What it does
//! Reports each entry of `controls` whose id (after normalisation: `AC-02(01)` reads as
//! `AC-2(1)`) is neither a control or enhancement of the SP 800-53 Rev 5 catalog built into
//! poam nor listed in `controls.extra` of `poam.yaml` (organisation-defined controls). The help
//! names the nearest known control: the base control of an unknown enhancement, else the
//! closest id in the same family.
//!
//! ## Why it matters
//! Column B (Controls) ties a weakness to the controls it affects; assessors and the
//! authorizing official read the POA&M by control. An id that does not exist (`AC-200` for
//! `AC-20`, `SI-2(9)`) ties the weakness to nothing, and reports by control leave it out.
//!
//! ## Example
//! ```yaml
//! controls: [AC-200, SC-8]   # AC-200 does not exist; AC-20 does
//! ```
//!
//! ## How to fix
//! Correct the id, or list an organisation-defined control under `controls.extra` in
//! `poam.yaml`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column B (Controls): the applicable NIST SP 800-53
//! control(s) affected by the weakness.

use crate::catalog::Catalog;
use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ControlUnknown,
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
        let id = control.value.as_str();
        if catalog.control(id).is_some()
            || ctx.config.elements.extra_controls.iter().any(|e| e == id)
        {
            continue;
        }
        let help = match catalog.nearest(id) {
            Some(near) => format!("did you mean `{near}`? (or list an organisation-defined control under `controls.extra` in poam.yaml)"),
            None => "use a NIST SP 800-53 Rev 5 control id, or list an organisation-defined control under `controls.extra` in poam.yaml".to_owned(),
        };
        out.push(
            ctx.report(
                Code::ControlUnknown,
                control.span,
                format!("`{id}` is not a control of NIST SP 800-53 Rev 5"),
            )
            .with_label("unknown control")
            .with_help(help),
        );
    }
}
