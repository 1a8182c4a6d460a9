//! A value has the wrong type or is outside its allowed set.
//!
//! ## What it does
//! Reports values poam cannot use: text where a list belongs, dates that are not
//! `YYYY-MM-DD`, ratings and statuses outside their sets, malformed control ids (`AC-2`,
//! `AC-2(1)`), CVE ids (`CVE-2021-44228`) and item ids, non-positive milestone numbers, and
//! multi-line titles.
//!
//! ## Why it matters
//! A field that cannot be read cannot be checked: a due date written `12/31/2026` escapes
//! every deadline rule, and a control id like `AC2` does not map into OSCAL.
//!
//! ## Example
//! ```yaml
//! risk: severe      # must be low, moderate, high or critical
//! due: 12/31/2026   # must be YYYY-MM-DD
//! ```
//!
//! ## How to fix
//! Write the value in the form the message names.
//!
//! ## Automatic fix
//! Safe: a date written year first in another form (`2026/11/05`, `2026.11.5`) becomes
//! `2026-11-05`. Unsafe (`--unsafe-fixes`): a word near an allowed one becomes the word the
//! help suggests (`status: opne` becomes `open`). Neither in a write-once field (`id`,
//! `detected`, `risk`, `milestone_changes`, `vdr`) or a deadline (`due`, `kev_due`, a
//! milestone's `date`).
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Rev5, row 7 and data validation: dates in date columns, ratings
//! from `Low, Moderate, High`, control numbers like `AC-1`.

use crate::diag::{Diagnostic, Fix, FixValue, Safety};
use crate::model::item::Problem;
use crate::model::Span;

use super::{never_fixed, year_first_date, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InvalidValue,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for problem in &ctx.item.problems {
        if let Problem::InvalidValue {
            path,
            span,
            message,
            help,
            suggestion,
        } = problem
        {
            let mut finding = ctx
                .report(Code::InvalidValue, *span, message.clone())
                .with_help(help.clone());
            if let Some(fix) = fix(ctx, path, *span, suggestion.as_deref()) {
                finding = finding.with_fix(fix);
            }
            out.push(finding);
        }
    }
}

/// A year-first date in another form becomes `YYYY-MM-DD` (safe); a word near an allowed
/// one becomes that word (unsafe: a guess). Never in a write-once field or a deadline.
fn fix(ctx: &ItemContext, path: &str, span: Span, suggestion: Option<&str>) -> Option<Fix> {
    if never_fixed(path) {
        return None;
    }
    let written = ctx.file.text.get(span.start..span.end)?;
    if let Some(date) = year_first_date(written) {
        return Some(Fix::replace(
            Safety::Safe,
            format!("write `{path}` as {date}"),
            span,
            FixValue::Date(date),
        ));
    }
    let word = suggestion?;
    Some(Fix::replace(
        Safety::Unsafe,
        format!("write `{word}`"),
        span,
        FixValue::Text(word.to_owned()),
    ))
}
