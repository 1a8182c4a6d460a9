//! A closed vulnerability has no final disposition, or an open one has one.
//!
//! ## What it does
//! Under `fedramp-cr26`, reports a closed item without `vdr.disposition` (`remediated`,
//! `fully-mitigated`, `partially-mitigated` or `false-positive`), and an open item that has
//! one.
//!
//! ## Why it matters
//! The vulnerability detail report states each vulnerability's final disposition once it is
//! no longer active, and only then.
//!
//! ## Example
//! ```yaml
//! status: closed
//! closed: {date: 2026-11-20, evidence: CHG-1}
//! vdr:
//!   evaluated: 2026-11-12
//!   # no disposition
//! ```
//!
//! ## How to fix
//! Set `vdr.disposition` on closed items; remove it from open ones.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT item 11 (MUST): final disposition.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrDispositionMissing,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let disposition = item.vdr.as_ref().and_then(|v| v.disposition.as_ref());
    if item.is_closed() && disposition.is_none() && !item.is_invalid("vdr.disposition") {
        let span = item
            .vdr
            .as_ref()
            .map(|v| v.key_span)
            .or_else(|| item.status.as_ref().map(|s| s.span))
            .unwrap_or(item.span);
        out.push(
            ctx.report(
                Code::VdrDispositionMissing,
                span,
                "closed vulnerability has no `vdr.disposition`",
            )
            .with_help("set `disposition:` to remediated, fully-mitigated, partially-mitigated or false-positive"),
        );
    }
    if let Some(disposition) = disposition.filter(|_| item.is_open()) {
        out.push(
            ctx.report(
                Code::VdrDispositionMissing,
                disposition.span,
                format!(
                    "open vulnerability has a final disposition ({})",
                    disposition.value.name()
                ),
            )
            .with_help("close the item, or remove `disposition` while it is active"),
        );
    }
}
