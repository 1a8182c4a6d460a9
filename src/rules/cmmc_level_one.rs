//! An open item in a CMMC Level 1 repository: Level 1 allows no POA&M.
//!
//! ## What it does
//! Under `cmmc-l2` with `level: 1` in `assessment.yaml`, reports every open item.
//!
//! ## Why it matters
//! 32 CFR 170.21(a)(1): a POA&M is not permitted for a Level 1 self-assessment. Every one of
//! the 15 Level 1 requirements must be met at the time of the assessment; an open item is a
//! requirement not met, and so no Level 1 status.
//!
//! ## Example
//! ```yaml
//! # assessment.yaml: level: 1
//! requirement: 3.1.1
//! status: open
//! ```
//!
//! ## How to fix
//! Meet the requirement and close the item before affirming the self-assessment.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! Not FedRAMP: CMMC, 32 CFR 170.21(a)(1) and 170.15.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CmmcLevelOne,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cmmc],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let level_one = ctx
        .config
        .cmmc
        .as_ref()
        .and_then(|a| a.level)
        .is_some_and(|l| l.value == 1);
    if !level_one || !item.is_open() {
        return;
    }
    let span = item.status.as_ref().map_or(item.span, |s| s.span);
    out.push(
        ctx.report(
            Code::CmmcLevelOne,
            span,
            "open POA&M item under CMMC Level 1, which allows no POA&M (32 CFR 170.21(a)(1))",
        )
        .with_help("meet the requirement and close the item before the Level 1 self-assessment"),
    );
}
