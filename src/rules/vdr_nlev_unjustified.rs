//! An internet-reachable vulnerability is rated not likely exploitable without a rationale.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports `vdr.lev: false` next to `vdr.irv: true` when `vdr.rationale`
//! is missing.
//!
//! ## Why it matters
//! Anything an automated, unauthenticated system can exploit over the internet is likely
//! exploitable, and exploitation is assumed automatable unless evidence proves otherwise.
//! FedRAMP counts reckless NLEV ratings against the provider's certification.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   irv: true
//!   lev: false     # why?
//! ```
//!
//! ## How to fix
//! Write the evidence in `vdr.rationale`, or rate the vulnerability `lev: true`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-EVA-AIA (MUST): assume exploitation can be automated unless evidence proves otherwise;
//! FRD-LEV and the VER-EVA-ELX notes.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrNlevUnjustified,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let Some(vdr) = &ctx.item.vdr else { return };
    let (Some(irv), Some(lev)) = (&vdr.irv, &vdr.lev) else {
        return;
    };
    if !irv.value || lev.value || vdr.rationale.is_some() {
        return;
    }
    out.push(
        ctx.report(
            Code::VdrNlevUnjustified,
            lev.span,
            "internet-reachable (`irv: true`) but rated not likely exploitable (`lev: false`) with no `rationale`",
        )
        .with_label("NLEV without evidence")
        .with_help("write the evidence against automated exploitation in `vdr.rationale`, or set `lev: true`"),
    );
}
