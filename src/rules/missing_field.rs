//! A required key is absent or empty.
//!
//! ## What it does
//! Reports required fields that are missing or empty: under `fedramp-rev5` `id`, `title`,
//! `description`, `controls`, `detector`, `detector_id`, `assets`, `owner`, `remediation`,
//! `detected`, `due`, `risk`, `milestones`, `status`; under `fedramp-cr26` `id`, `title`,
//! `description`, `detector`, `detected`, `status`; under `dod-rmf` `id`, `title`,
//! `description`, `detector`, `owner`, `resources`, `detected`, `status`, `rmf`; `closed` on a closed item; `id`, `date` and `description` of
//! each milestone; all four keys of a milestone change; `product` and `last_checkin` of a
//! vendor dependency; `status` and `rationale` of every deviation and `adjusted_risk` of a
//! risk adjustment; `type` and `name` of a document; `date` of `closed` (its evidence is
//! `closed-without-evidence`'s: text or a document, as the profile says).
//! The finding points at the mapping that should hold the key, or at the empty value of a key
//! written without one (`title: ""`, `description:`).
//!
//! ## Why it matters
//! FedRAMP rejects POA&Ms with blank required columns; a missing point of contact or
//! detection date also blinds every deadline check.
//!
//! ## Example
//! ```yaml
//! id: V-1
//! title: OpenSSL out of date
//! # no `owner`: who fixes it?
//! ```
//!
//! ## How to fix
//! Add the key with a value. Use `detector_id: none` when the detector gives no identifier.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, Table 2 (required columns); Vulnerability
//! Deviation Request Form (rationale for every deviation).

use crate::diag::Diagnostic;
use crate::model::item::{Item, Problem};
use crate::model::Span;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::MissingField,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

fn top_level_present(item: &Item, key: &str) -> bool {
    match key {
        "id" => item.id.is_some(),
        "title" => item.title.is_some(),
        "description" => item.description.is_some(),
        "controls" => item.controls.as_ref().is_some_and(|c| !c.value.is_empty()),
        "requirement" => item.requirement.is_some(),
        "detector" => item.detector.is_some(),
        "detector_id" => item.detector_id.is_some(),
        "assets" => item.assets.as_ref().is_some_and(|a| !a.value.is_empty()),
        "owner" => item.owner.is_some(),
        "remediation" => item.remediation.is_some(),
        "resources" => item.resources.is_some(),
        "rmf" => item.rmf.is_some(),
        "detected" => item.detected.is_some(),
        "due" => item.due.is_some(),
        "risk" => item.risk.is_some(),
        "milestones" => item
            .milestones
            .as_ref()
            .is_some_and(|m| !m.value.is_empty()),
        "status" => item.status.is_some(),
        _ => true,
    }
}

/// The span of a required list that is present but empty, to point at it instead of at the
/// item.
fn empty_list_span(item: &Item, key: &str) -> Option<Span> {
    let span = match key {
        "controls" => item.controls.as_ref().filter(|c| c.value.is_empty())?.span,
        "assets" => item.assets.as_ref().filter(|a| a.value.is_empty())?.span,
        "milestones" => {
            item.milestones
                .as_ref()
                .filter(|m| m.value.is_empty())?
                .span
        }
        _ => return None,
    };
    Some(span)
}

/// The keys that misspelt keys were probably meant to be (`remediaton` → `remediation`), by
/// path: `unknown-field` already speaks about them.
fn meant_by_misspelling(item: &Item) -> Vec<String> {
    item.problems
        .iter()
        .filter_map(|problem| match problem {
            Problem::UnknownKey {
                path,
                key,
                suggestion: Some(meant),
                ..
            } => Some(format!("{}{meant}", path.strip_suffix(key.as_str())?)),
            _ => None,
        })
        .collect()
}

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let text = &ctx.file.text;
    let misspelt = meant_by_misspelling(item);
    let mut missing = |span: Span, path: String, what: &str| {
        if misspelt.contains(&path) {
            return;
        }
        // Written with no value: point at the empty value itself.
        if let Some((_, span)) = item.empty.iter().find(|(p, _)| *p == path) {
            if !item.is_invalid(&path) {
                out.push(
                    ctx.report(
                        Code::MissingField,
                        *span,
                        format!("required field `{path}` is empty"),
                    )
                    .with_label("empty")
                    .with_help(format!(
                        "write {what} after `{}:`",
                        path.rsplit('.').next().unwrap_or(&path)
                    )),
                );
            }
            return;
        }
        // Point at the first line of the mapping, not all of it: a whole-file underline helps nobody.
        let line_end = text
            .get(span.start..span.end)
            .and_then(|s| s.find('\n'))
            .map_or(span.end, |i| span.start + i);
        let span = Span::new(span.start, line_end);
        if !item.is_invalid(&path) {
            out.push(
                ctx.report(
                    Code::MissingField,
                    span,
                    format!("missing required field `{path}`"),
                )
                .with_label(format!("`{path}` belongs here"))
                .with_help(format!(
                    "add `{}:` with {what}",
                    path.rsplit('.').next().unwrap_or(&path)
                )),
            );
        }
    };
    let mut empty_lists = Vec::new();
    for key in ctx.config.policy.profile.required_fields() {
        if top_level_present(item, key) {
            continue;
        }
        match empty_list_span(item, key) {
            Some(span) => empty_lists.push(
                ctx.report(
                    Code::MissingField,
                    span,
                    format!("required field `{key}` is an empty list"),
                )
                .with_label("empty")
                .with_help(format!("list at least one entry: {}", what_for(key))),
            ),
            None => missing(item.span, (*key).to_owned(), what_for(key)),
        }
    }
    if item.is_closed() && item.closed.is_none() {
        missing(
            item.span,
            "closed".into(),
            "the closing `date` and `evidence`",
        );
    }
    for (i, m) in item
        .milestones
        .iter()
        .flat_map(|m| m.value.iter())
        .enumerate()
    {
        let path = |k: &str| format!("milestones[{i}].{k}");
        if m.id.is_none() {
            missing(m.span, path("id"), "a positive milestone number");
        }
        if m.date.is_none() {
            missing(m.span, path("date"), "the planned date");
        }
        if m.description.is_none() {
            missing(m.span, path("description"), "what the milestone delivers");
        }
    }
    for (i, c) in item
        .milestone_changes
        .iter()
        .flat_map(|c| c.value.iter())
        .enumerate()
    {
        let path = |k: &str| format!("milestone_changes[{i}].{k}");
        if c.milestone.is_none() {
            missing(c.span, path("milestone"), "the milestone number it changes");
        }
        if c.kind.is_none() {
            missing(c.span, path("kind"), "`new`, `update` or `complete`");
        }
        if c.date.is_none() {
            missing(c.span, path("date"), "a date");
        }
        if c.description.is_none() {
            missing(c.span, path("description"), "what changed and why");
        }
    }
    if let Some(v) = &item.vendor_dependency {
        if v.product.is_none() {
            missing(
                v.span,
                "vendor_dependency.product".into(),
                "the vendor's product name",
            );
        }
        if v.last_checkin.is_none() {
            missing(
                v.span,
                "vendor_dependency.last_checkin".into(),
                "the date of the last vendor check-in",
            );
        }
    }
    if let Some(d) = &item.deviations {
        if let Some(ra) = &d.risk_adjustment {
            let path = |k: &str| format!("deviations.risk_adjustment.{k}");
            if ra.status.is_none() {
                missing(
                    ra.span,
                    path("status"),
                    "`pending`, `approved`, `rejected` or `withdrawn`",
                );
            }
            if ra.adjusted_risk.is_none() {
                missing(ra.span, path("adjusted_risk"), "the requested rating");
            }
            if ra.rationale.is_none() {
                missing(ra.span, path("rationale"), "the mitigating factors");
            }
        }
        for (name, deviation) in [
            ("false_positive", &d.false_positive),
            ("operational_requirement", &d.operational_requirement),
        ] {
            if let Some(dev) = deviation {
                if dev.status.is_none() {
                    missing(
                        dev.span,
                        format!("deviations.{name}.status"),
                        "`pending`, `approved`, `rejected` or `withdrawn`",
                    );
                }
                if dev.rationale.is_none() {
                    missing(
                        dev.span,
                        format!("deviations.{name}.rationale"),
                        "the justification",
                    );
                }
            }
        }
    }
    for (i, doc) in item
        .documents
        .iter()
        .flat_map(|d| d.value.iter())
        .enumerate()
    {
        if doc.kind.is_none() {
            missing(
                doc.span,
                format!("documents[{i}].type"),
                "the document type",
            );
        }
        if doc.name.is_none() {
            missing(
                doc.span,
                format!("documents[{i}].name"),
                "the document name",
            );
        }
    }
    if let Some(closed) = &item.closed {
        if closed.date.is_none() {
            missing(closed.span, "closed.date".into(), "the completion date");
        }
    }
    out.extend(empty_lists);
}

fn what_for(key: &str) -> &'static str {
    match key {
        "id" => "the item id, equal to the file name",
        "title" => "the weakness name",
        "description" => "the weakness description",
        "controls" => "a list of NIST SP 800-53 control ids",
        "detector" => "the scanner or assessor that found it",
        "detector_id" => "the scanner's plugin id, or `none`",
        "assets" => "a list of affected assets",
        "owner" => "the point of contact",
        "remediation" => "the overall remediation plan",
        "resources" => "the resources required (eMASS's Resources Required)",
        "rmf" => "the DoD RMF block, with at least `raw_severity` and `identification_source`",
        "detected" => "the original detection date",
        "due" => "the scheduled completion date",
        "risk" => "`low`, `moderate`, `high` or `critical`",
        "milestones" => "at least one planned milestone",
        "status" => "`open` or `closed`",
        _ => "a value",
    }
}
