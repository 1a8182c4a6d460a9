//! A vulnerability closed as a false positive has recorded reductions.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports `vdr.disposition: false-positive` on an item with
//! `vdr.reductions`.
//!
//! ## Why it matters
//! A false positive was never present in an exploitable state; a vulnerability that was
//! reduced was present, so it was remediated or mitigated, not a false positive.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   reductions: [{at: 2026-11-15, pain: 2}]
//!   disposition: false-positive
//! ```
//!
//! ## How to fix
//! Use `remediated`, `fully-mitigated` or `partially-mitigated`, or remove the reductions if
//! they were recorded by mistake.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FRD-FPV: a remediated or fully mitigated vulnerability is never a false positive;
//! VER-EVA-EFP.

use crate::diag::Diagnostic;
use crate::model::vdr::Disposition;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrFalsePositiveConflict,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(vdr) = &ctx.item.vdr else { return };
    let Some(disposition) = vdr
        .disposition
        .as_ref()
        .filter(|d| d.value == Disposition::FalsePositive)
    else {
        return;
    };
    let count = vdr.reductions().len();
    if count == 0 {
        return;
    }
    out.push(
        ctx.report(
            Code::VdrFalsePositiveConflict,
            disposition.span,
            format!(
                "closed as a false positive but {count} reduction{} recorded: it was present",
                if count == 1 { " is" } else { "s are" }
            ),
        )
        .with_help("use remediated, fully-mitigated or partially-mitigated"),
    );
}
