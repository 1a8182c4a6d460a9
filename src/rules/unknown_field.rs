//! A key is not part of the item format.
//!
//! ## What it does
//! Reports every key, at any depth, that the item format does not define, and suggests the
//! nearest known key when the key looks like a typo.
//!
//! ## Why it matters
//! A misspelt key is a field that is silently missing: `deu: 2026-01-31` leaves the item
//! without a scheduled completion date as far as every check and export is concerned.
//!
//! ## Example
//! ```yaml
//! deu: 2026-01-31   # did you mean `due`?
//! ```
//!
//! ## How to fix
//! Rename the key to the one suggested, or remove it. Free-form notes go in `comments`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §1: CSPs must not alter or delete the template's
//! columns; poam's keys map one-to-one to them.

use crate::diag::Diagnostic;
use crate::model::item::Problem;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::UnknownField,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for problem in &ctx.item.problems {
        if let Problem::UnknownKey {
            path,
            key,
            span,
            suggestion,
        } = problem
        {
            let help = match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "remove the key; free-form notes belong in `comments`".to_owned(),
            };
            out.push(
                ctx.report(Code::UnknownField, *span, format!("unknown field `{path}`"))
                    .with_label(format!("`{key}` is not part of the item format"))
                    .with_help(help),
            );
        }
    }
}
