//! A DoD RMF item's Office/Org is not `Organization, First Last, Phone, Email`.
//!
//! ## What it does
//! Under `dod-rmf`, checks the Office/Org the eMASS export writes: `rmf.office_org` when
//! written, else built from the owner's entry in the people file (organization, name, phone,
//! email), else the owner as written. Reports one that does not have four non-empty parts
//! separated by commas, and names the people-file fields that are missing.
//!
//! ## Why it matters
//! The templates make Office/Org mandatory in exactly this form; eMASS reviewers send back an
//! upload whose point of contact cannot be reached.
//!
//! ## Example
//! ```yaml
//! owner: Platform team      # not a person of people.yaml, and not the eMASS form
//! ```
//!
//! ## How to fix
//! Name a person of the people file as `owner` and give them `organization`, `name`, `phone`
//! and `email`, or write `rmf.office_org: "NIWC Atlantic, Jane Doe, 555-0100, jane@example.mil"`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not a FedRAMP rule: the eMASS POA&M templates' Instructions ("Office/Org").

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RmfOfficeOrg,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Dod],
};

/// Four non-empty parts separated by commas.
fn well_formed(text: &str) -> bool {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty())
}

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    if let Some(written) = item.rmf.as_ref().and_then(|r| r.office_org.as_ref()) {
        if !well_formed(&written.value) {
            out.push(
                ctx.report(
                    Code::RmfOfficeOrg,
                    written.span,
                    format!(
                        "`rmf.office_org` is `{}`, not `Organization, First Last, Phone, Email`",
                        written.value.trim()
                    ),
                )
                .with_label("four parts, separated by commas")
                .with_help("write e.g. `NIWC Atlantic, Jane Doe, 555-0100, jane.doe@example.mil` (no comma inside the name)"),
            );
        }
        return;
    }
    let Some(owner) = &item.owner else { return };
    match ctx.people.and_then(|p| p.get(&owner.value)) {
        Some(person) => {
            let missing: Vec<&str> = [
                ("organization", person.organization.as_deref()),
                ("name", person.name.as_deref()),
                ("phone", person.phone.as_deref()),
                ("email", person.email.as_deref()),
            ]
            .iter()
            .filter(|(_, v)| v.is_none_or(|v| v.trim().is_empty()))
            .map(|(k, _)| *k)
            .collect();
            if !missing.is_empty() {
                out.push(
                    ctx.report(
                        Code::RmfOfficeOrg,
                        owner.span,
                        format!(
                            "Office/Org of `{}` lacks their {} in the people file",
                            owner.value,
                            missing.join(", ")
                        ),
                    )
                    .with_label("Office/Org is built from this person")
                    .with_help("add the missing fields to the person in the people file"),
                );
            }
        }
        None if !well_formed(&owner.value) => out.push(
            ctx.report(
                Code::RmfOfficeOrg,
                owner.span,
                format!(
                    "owner `{}` is neither a person of the people file nor `Organization, First Last, Phone, Email`",
                    owner.value.trim()
                ),
            )
            .with_label("becomes Office/Org")
            .with_help("name a person of the people file, or write `rmf.office_org` in the eMASS form"),
        ),
        None => {}
    }
}
