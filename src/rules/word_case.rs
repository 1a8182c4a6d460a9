//! A status, rating or kind word is written with capitals.
//!
//! ## What it does
//! Reports an enumerated word (`status`, a deviation's `status`, `adjusted_risk`, a
//! milestone change's `kind`, the CR26 words) written otherwise than in lower case: `Open`,
//! `HIGH`. poam reads it as the lower-case word, so no other rule is affected.
//!
//! ## Why it matters
//! The schema, the editor's completion and other tools reading the files spell these words in
//! lower case; `grep 'status: open'` misses `status: Open`, and a diff that only changes case
//! distracts a reviewer.
//!
//! ## Example
//! ```yaml
//! status: Open   # write open
//! ```
//!
//! ## How to fix
//! Write the word in lower case.
//!
//! ## Automatic fix
//! Safe: the word is written in lower case, except in a write-once field (`risk`, a recorded
//! milestone change, the CR26 evaluation), which no fix touches.
//!
//! ## FedRAMP reference
//! None: a convention of poam's item format (`poam schema`).

use crate::diag::{Diagnostic, Fix, FixValue, Safety};
use crate::model::item::Problem;

use super::{never_fixed, Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::WordCase,
    severity: Severity::Note,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for problem in &ctx.item.problems {
        if let Problem::WordCase { path, span, word } = problem {
            let mut finding = ctx
                .report(
                    Code::WordCase,
                    *span,
                    format!("`{path}` is written with capitals; it reads as `{word}`"),
                )
                .with_label("not lower case")
                .with_help(format!("write `{word}`"));
            if !never_fixed(path) {
                finding = finding.with_fix(Fix::replace(
                    Safety::Safe,
                    format!("write `{word}`"),
                    *span,
                    FixValue::Text(word.clone()),
                ));
            }
            out.push(finding);
        }
    }
}
