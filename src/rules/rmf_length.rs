//! A DoD RMF field is longer than eMASS accepts.
//!
//! ## What it does
//! Under `dod-rmf`, reports a value longer than eMASS's limit for its field: Office/Org (as
//! the export writes it) 100 characters; `resources` 250; `description`, `comments`,
//! `rmf.identification_source`, `rmf.recommendations`, `rmf.mitigations` and each milestone's
//! `description` 2,000.
//!
//! ## Why it matters
//! eMASS refuses the upload of a row with a longer value; the rest of the workbook waits.
//!
//! ## Example
//! ```yaml
//! resources: |
//!   (300 characters of budget detail)
//! ```
//!
//! ## How to fix
//! Shorten the value; keep the detail in a document the item links to (`documents`).
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not a FedRAMP rule: the eMASS API's POA&M business rules (mitre/saf `docs/emasser`,
//! "post poams": 100 / 250 / 2,000 characters).

use crate::diag::Diagnostic;
use crate::model::{Sp, Span};

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RmfLength,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Dod],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let rmf = item.rmf.as_deref();
    let mut fields: Vec<(&str, Option<&Sp<String>>, usize)> = vec![
        ("resources", item.resources.as_ref(), 250),
        ("description", item.description.as_ref(), 2000),
        ("comments", item.comments.as_ref(), 2000),
        (
            "rmf.identification_source",
            rmf.and_then(|r| r.identification_source.as_ref()),
            2000,
        ),
        (
            "rmf.recommendations",
            rmf.and_then(|r| r.recommendations.as_ref()),
            2000,
        ),
        (
            "rmf.mitigations",
            rmf.and_then(|r| r.mitigations.as_ref()),
            2000,
        ),
        (
            "rmf.office_org",
            rmf.and_then(|r| r.office_org.as_ref()),
            100,
        ),
    ];
    let milestone_paths: Vec<String> = (0..item.milestones.as_ref().map_or(0, |m| m.value.len()))
        .map(|i| format!("milestones[{i}].description"))
        .collect();
    for (milestone, path) in item
        .milestones
        .iter()
        .flat_map(|m| m.value.iter())
        .zip(&milestone_paths)
    {
        fields.push((path.as_str(), milestone.description.as_ref(), 2000));
    }
    for (path, value, limit) in fields {
        let Some(value) = value else { continue };
        let length = value.value.trim().chars().count();
        if length > limit {
            let span: Span = value.span;
            out.push(
                ctx.report(
                    Code::RmfLength,
                    span,
                    format!("`{path}` has {length} characters; eMASS takes at most {limit}"),
                )
                .with_label(format!("{} too many", length - limit))
                .with_help("shorten it; keep the detail in a linked document"),
            );
        }
    }
    // Office/Org built from the owner's entry in the people file.
    if rmf.and_then(|r| r.office_org.as_ref()).is_none() {
        if let (Some(owner), Some(people)) = (&item.owner, ctx.people) {
            if let Some(person) = people.get(&owner.value) {
                let built = [
                    person.organization.as_deref(),
                    person.name.as_deref(),
                    person.phone.as_deref(),
                    person.email.as_deref(),
                ]
                .map(|p| p.unwrap_or_default().trim().to_owned())
                .join(", ");
                let length = built.chars().count();
                if length > 100 {
                    out.push(
                        ctx.report(
                            Code::RmfLength,
                            owner.span,
                            format!(
                                "Office/Org built from `{}` has {length} characters; eMASS takes at most 100",
                                owner.value
                            ),
                        )
                        .with_label("Office/Org too long")
                        .with_help("shorten the organization in the people file, or write `rmf.office_org`"),
                    );
                }
            }
        }
    }
}
