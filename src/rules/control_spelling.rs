//! A control id in `controls` is not written in its canonical form.
//!
//! ## What it does
//! Reports each entry of `controls` written otherwise than NIST writes it: leading zeros
//! (`AC-02(01)`), blanks (`AC-2 (1)`), lower case (`ac-2`) or the OSCAL form (`ac-2.1`). poam
//! reads every such spelling as the canonical id (`AC-2(1)`), so no other rule is affected;
//! the help gives the canonical spelling.
//!
//! ## Why it matters
//! Other tools, the FedRAMP template's readers and a plain text search compare control ids as
//! text: `AC-02(01)` and `AC-2(1)` look like two controls to them, and a search for `AC-2(1)`
//! misses the item.
//!
//! ## Example
//! ```yaml
//! controls: [AC-02(01)]   # write AC-2(1)
//! ```
//!
//! ## How to fix
//! Write the id as the help says.
//!
//! ## Automatic fix
//! Safe: the id is rewritten in its canonical spelling, in the quoting it had.
//!
//! ## FedRAMP reference
//! NIST SP 800-53 Rev 5 control identifiers (e.g. `AC-2(1)`); FedRAMP POA&M Template
//! Completion Guide, column B (Controls), "Control number (e.g. AC-1)".

use crate::diag::{Diagnostic, Fix, FixValue, Safety};

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ControlSpelling,
    severity: Severity::Note,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(controls) = &ctx.item.controls else {
        return;
    };
    for control in &controls.value {
        let canonical = control.value.as_str();
        let written = ctx
            .file
            .text
            .get(control.span.start..control.span.end)
            .unwrap_or(canonical);
        // A quoted scalar's span holds its quotes; the id itself has none.
        let written = written.trim().trim_matches(|c| c == '"' || c == '\'');
        if written == canonical {
            continue;
        }
        out.push(
            ctx.report(
                Code::ControlSpelling,
                control.span,
                format!("control `{written}` is written `{canonical}` by NIST"),
            )
            .with_label("non-canonical spelling")
            .with_help(format!("write `{canonical}`"))
            .with_fix(Fix::replace(
                Safety::Safe,
                format!("write `{canonical}`"),
                control.span,
                FixValue::Text(canonical.to_owned()),
            )),
        );
    }
}
