//! A Rev5 POA&M field is present under `fedramp-cr26`, where it moves no deadline.
//!
//! ## What it does
//! Under `fedramp-cr26`, notes the first of `risk`, `due`, `deviations` and
//! `vendor_dependency` in an item and names all that are present. They stay readable and
//! exported but are informational.
//!
//! ## Why it matters
//! CR26 has no deviation request, risk adjustment, operational requirement or vendor
//! dependency process: timeframes come from the evaluation. A reader may think a legacy `due`
//! or an approved deviation still counts.
//!
//! ## Example
//! ```yaml
//! risk: high
//! due: 2026-12-20
//! ```
//!
//! ## How to fix
//! Keep them for the record, or remove them once the item is evaluated under `vdr:`.
//! Turn the note off with `rules: {vdr-legacy-field: off}`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Inference from the CR26 rules (no deviation or vendor dependency process); FedRAMP
//! `providers/updating/changes.md`: POA&Ms are replaced by accepted vulnerabilities.

use crate::diag::Diagnostic;
use crate::model::Span;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrLegacyField,
    severity: Severity::Note,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    // An array, not a Vec: a migrated repository has this note on nearly every item.
    let mut fields: [(Option<Span>, &str); 4] = [
        (item.risk.as_ref().map(|r| r.span), "risk"),
        (item.due.as_ref().map(|d| d.span), "due"),
        (item.deviations.as_ref().map(|d| d.span), "deviations"),
        (
            item.vendor_dependency.as_ref().map(|v| v.span),
            "vendor_dependency",
        ),
    ];
    // Present fields first, in the order they are written.
    fields.sort_by_key(|(span, _)| span.map_or(usize::MAX, |s| s.start));
    let Some(first) = fields[0].0 else {
        return;
    };
    const WHY: &str =
        ": Rev5 POA&M fields are informational under fedramp-cr26 and move no deadline";
    let mut message = String::with_capacity(64 + WHY.len());
    for (index, (_, name)) in fields.iter().filter(|(span, _)| span.is_some()).enumerate() {
        if index > 0 {
            message.push_str(", ");
        }
        message.push('`');
        message.push_str(name);
        message.push('`');
    }
    message.push_str(WHY);
    out.push(
        ctx.report(
            Code::VdrLegacyField,
            super::first_line(&ctx.file.text, first),
            message,
        )
        .with_help("timeframes come from `vdr:`; keep these for the record or remove them"),
    );
}
