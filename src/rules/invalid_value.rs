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
//! ## FedRAMP reference
//! FedRAMP POA&M Template Rev5, row 7 and data validation: dates in date columns, ratings
//! from `Low, Moderate, High`, control numbers like `AC-1`.

use crate::diag::Diagnostic;
use crate::model::item::Problem;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InvalidValue,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for problem in &ctx.item.problems {
        if let Problem::InvalidValue {
            span,
            message,
            help,
            ..
        } = problem
        {
            out.push(
                ctx.report(Code::InvalidValue, *span, message.clone())
                    .with_help(help.clone()),
            );
        }
    }
}
