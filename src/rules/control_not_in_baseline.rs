//! A control in `controls` is not in the system's baseline nor in `controls.extra`.
//!
//! ## What it does
//! When `poam.yaml` sets `system.baseline` (`fedramp-low`, `fedramp-moderate`, `fedramp-high`,
//! `fedramp-li-saas`), reports each entry of `controls` that is a current SP 800-53 Rev 5
//! control but not one of that FedRAMP Rev5 baseline's controls, and not listed in
//! `controls.extra`. Unknown and withdrawn ids are left to `control-unknown` and
//! `control-withdrawn`; `system.baseline: none` or no baseline turns the rule off.
//!
//! ## Why it matters
//! A system is assessed against the controls of its baseline. A weakness filed under a
//! control outside it (often a typo for a neighbouring enhancement, or a control copied from
//! another system's POA&M) is filed under a control the system was never assessed on.
//!
//! ## Example
//! ```yaml
//! # poam.yaml: system: {baseline: fedramp-low}
//! controls: [AC-2(1)]   # AC-2(1) is in Moderate and High, not in Low
//! ```
//!
//! ## How to fix
//! Name the baseline control the weakness affects, or add the control to `controls.extra` in
//! `poam.yaml` when the system implements it beyond its baseline.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Rev5 baselines (LOW, MODERATE, HIGH, LI-SaaS profiles); FedRAMP POA&M Template
//! Completion Guide, column B (Controls).

use crate::catalog::{Baseline, Catalog};
use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ControlNotInBaseline,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let elements = &ctx.config.elements;
    let Some(baseline) = elements.baseline.filter(|b| *b != Baseline::None) else {
        return;
    };
    let Some(controls) = &ctx.item.controls else {
        return;
    };
    let catalog = Catalog::get();
    for control in &controls.value {
        let id = control.value.as_str();
        let current = catalog.control(id).is_some_and(|c| !c.withdrawn);
        if !current
            || catalog.in_baseline(baseline, id)
            || elements.extra_controls.iter().any(|e| e == id)
        {
            continue;
        }
        out.push(
            ctx.report(
                Code::ControlNotInBaseline,
                control.span,
                format!("`{id}` is not a control of the system's baseline (`{}`)", baseline.name()),
            )
            .with_label("not in the baseline")
            .with_help("name a control of the baseline, or list this one under `controls.extra` in poam.yaml"),
        );
    }
}
