//! An `assets` entry is not a unique asset identifier of the inventory.
//!
//! ## What it does
//! When the repository has an inventory (`inventory/` beside `poam.yaml`, or what
//! `inventory:` names), reports every `assets` entry whose asset is not the `id` of an
//! inventory asset. A ` (port/PROTO)` or ` (package version)` suffix is allowed and not
//! compared. When the name is an alias of an asset (an IP, FQDN, NetBIOS name or image digest
//! listed under its `aliases`), the help names the asset's unique asset identifier to write
//! instead; otherwise it suggests the nearest id. Without an inventory `assets` stays free
//! text and this rule is quiet.
//!
//! ## Why it matters
//! FedRAMP requires the POA&M's Asset Identifier to be the inventory's unique asset
//! identifier, in full (containers: `repository/image:version`), and the inventory to agree
//! with the raw scans; a package whose scans do not validate the inventory is rejected. A
//! shorthand or a scanner's other name for a host breaks that chain, and a typo hides which
//! asset is vulnerable.
//!
//! ## Example
//! ```yaml
//! assets:
//!   - web-prod-01 (443/TCP)            # the inventory's id is web-prod-01.example.internal
//!   - 10.20.30.41 (443/TCP)            # an alias of web-prod-01.example.internal
//! ```
//!
//! ## How to fix
//! Write the asset's `id` from the inventory (keep the port or package suffix), or add the
//! asset to the inventory.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column G (Asset Identifier); Integrated Inventory
//! Workbook (SSP Appendix M) instructions: the unique asset identifier "is what should be put
//! into the IIW, POA&M, and any Deviations".

use crate::diag::Diagnostic;
use crate::inventory::{asset_name, Resolved};

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::AssetUnknown,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let (Some(inventory), Some(assets)) = (ctx.inventory, &ctx.item.assets) else {
        return;
    };
    for entry in &assets.value {
        let text = entry.value.trim();
        // An empty entry is `missing-field`'s and `invalid-value`'s.
        if text.is_empty() {
            continue;
        }
        let (message, help) = match inventory.resolve_entry(text) {
            Some(Resolved::Id(_)) => continue,
            Some(Resolved::Alias(asset)) => {
                let name = asset_name(text);
                let suffix = text.strip_prefix(name).unwrap_or("");
                (
                    format!(
                        "`{name}` is an alias of inventory asset `{}`, not its unique asset identifier",
                        asset.id.value
                    ),
                    format!(
                        "use the unique asset identifier `{}`: write `{}{suffix}`",
                        asset.id.value, asset.id.value
                    ),
                )
            }
            None => {
                let name = asset_name(text);
                let help = match inventory.nearest(name) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => {
                        "write the unique asset identifier of an inventory asset, or add the asset to the inventory".to_owned()
                    }
                };
                (format!("asset `{name}` is not in the inventory"), help)
            }
        };
        out.push(
            ctx.report(Code::AssetUnknown, entry.span, message)
                .with_label("unknown asset")
                .with_help(help),
        );
    }
}
