//! The item `id` differs from the file name.
//!
//! ## What it does
//! Reports an item whose `id` is not its file name without the `.yaml`/`.yml` extension.
//!
//! ## Why it matters
//! Reviewers, links and tooling find items by file name; an id that disagrees with it sends
//! people to the wrong weakness.
//!
//! ## Example
//! ```yaml
//! # poams/V-12.yaml
//! id: V-21
//! ```
//!
//! ## How to fix
//! Rename the file to `<id>.yaml`, or correct the id if the file name is right.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column A (POAM ID): one stable identifier per item.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::IdMismatch,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(id) = &ctx.item.id else {
        return;
    };
    if id.value != ctx.file_stem {
        out.push(
            ctx.report(
                Code::IdMismatch,
                id.span,
                format!(
                    "id `{}` differs from the file name `{}`",
                    id.value, ctx.file_stem
                ),
            )
            .with_help(format!(
                "rename the file to `{}.yaml`, or set `id: {}`",
                id.value, ctx.file_stem
            )),
        );
    }
}
