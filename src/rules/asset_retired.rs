//! An open item names an asset the inventory has retired.
//!
//! ## What it does
//! Reports every `assets` entry of an open item that names (by id or alias) an inventory
//! asset with `retired:` whose `date` is today or earlier (or that has no date).
//!
//! ## Why it matters
//! A weakness on an asset that no longer exists is either fixed (the item can close, with the
//! decommissioning as evidence) or has moved to the asset that replaced it (which the item
//! should name). Left open on a retired asset, it is late without anyone able to fix it, and
//! the monthly inventory no longer lists the asset the POA&M names.
//!
//! ## Example
//! ```yaml
//! # inventory/web.yaml
//! - id: web-old-01.example.internal
//!   retired: {date: 2026-11-01, reason: replaced by web-prod-02}
//! # poams/V-1001.yaml
//! status: open
//! assets: [web-old-01.example.internal (443/TCP)]
//! ```
//!
//! ## How to fix
//! Close the item if the retirement removed the weakness, or name the asset that replaced the
//! retired one.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Integrated Inventory Workbook (SSP Appendix M) instructions: the inventory must
//! align with the scans and the POA&M every month.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::AssetRetired,
    severity: Severity::Warning,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(inventory), Some(assets)) = (ctx.inventory, &ctx.item.assets) else {
        return;
    };
    if !ctx.item.is_open() {
        return;
    }
    for entry in &assets.value {
        let Some(asset) = inventory.resolve_entry(&entry.value).map(|r| r.asset()) else {
            continue;
        };
        if !asset.is_retired(ctx.today) {
            continue;
        }
        let Some(retired) = &asset.retired else {
            continue;
        };
        let when = retired
            .date
            .as_ref()
            .map_or_else(String::new, |d| format!(" on {}", d.value));
        let reason = retired
            .reason
            .as_deref()
            .map_or_else(String::new, |r| format!(" ({r})"));
        let mut diagnostic = ctx
            .report(
                Code::AssetRetired,
                entry.span,
                format!(
                    "asset `{}` was retired{when}{reason}, but this open item still names it",
                    asset.id.value
                ),
            )
            .with_label("retired asset")
            .with_help("close the item if the retirement removed the weakness, or name the asset that replaced it");
        if let Some(file) = inventory.file(asset.file) {
            diagnostic = diagnostic.with_related(file.location(retired.span), "retired here");
        }
        out.push(diagnostic);
    }
}
