//! An inventory asset lacks a column the IIW makes mandatory for its kind.
//!
//! ## What it does
//! Reports each asset (not retired, nor a later duplicate of an id) that lacks a field the
//! FedRAMP Integrated Inventory Workbook's row 5 ("Mandatory or Optional?") requires for its
//! inventory, pointing at the asset's `id` and naming every missing field with its IIW header:
//!
//! - every asset: `ip` (for a container, its digests under `aliases` stand for it: they are
//!   what the IIW's column B holds), `virtual`, `public`, `baseline_configuration`,
//!   `diagram_label`, `function`;
//! - OS/infrastructure and containers: `authenticated_scan`, `os`, `asset_type`,
//!   `hardware_model`, `in_latest_scan`;
//! - software and databases: `software_vendor` ("Open Source" when there is none) and
//!   `software`;
//! - on a High system (`system.impact: high` or `system.baseline: fedramp-high`):
//!   `system_owner`.
//!
//! The kind is `kind:` when written, else a container when `asset_type` says "container",
//! software when only the software columns are filled, else infrastructure.
//! `end_of_life` ("for anything reaching EOL") and the columns the IIW makes optional are not
//! checked.
//!
//! ## Why it matters
//! The inventory is delivered with the POA&M every month; a workbook whose mandatory columns
//! are blank is returned, and blank scan columns hide assets nobody scans.
//!
//! ## Example
//! ```yaml
//! - id: web-prod-01.example.internal
//!   ip: 10.20.30.41
//!   virtual: true
//!   public: true
//!   # no os, asset_type, hardware_model, authenticated_scan, in_latest_scan, ...
//! ```
//!
//! ## How to fix
//! Fill in the fields the message names (leave a field out rather than writing "n/a"), or set
//! `kind:` if the asset is of another inventory than poam inferred.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Integrated Inventory Workbook (SSP Appendix M) v3.1, sheet Inventory, row 5.

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::inventory::{Asset, AssetKind, Inventory, FIELDS};

use super::{inventory_report, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::InventoryMissingField,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

const EVERY_ASSET: &[&str] = &[
    "ip",
    "virtual",
    "public",
    "baseline_configuration",
    "diagram_label",
    "function",
];
const SCANNED_ASSETS: &[&str] = &[
    "authenticated_scan",
    "os",
    "asset_type",
    "hardware_model",
    "in_latest_scan",
];
const SOFTWARE_ASSETS: &[&str] = &["software_vendor", "software"];

pub fn check(config: &Config, inventory: &Inventory, today: NaiveDate, out: &mut Vec<Diagnostic>) {
    let high = config.system.impact.as_deref() == Some("high")
        || config.elements.baseline == Some(crate::catalog::Baseline::FedrampHigh);
    for asset in &inventory.assets {
        if asset.is_retired(today) || !inventory.is_first(asset) {
            continue;
        }
        let missing = missing_fields(asset, high);
        if missing.is_empty() {
            continue;
        }
        let kind = asset.kind();
        let names: Vec<String> = missing
            .iter()
            .map(|key| {
                let header = FIELDS
                    .iter()
                    .find(|f| f.key == *key)
                    .map_or("", |f| f.header.trim());
                format!("`{key}` ({})", header.replace('\n', ""))
            })
            .collect();
        out.push(
            inventory_report(
                inventory,
                Code::InventoryMissingField,
                asset.file,
                asset.id.span,
                format!(
                    "asset `{}` ({} inventory) lacks what the IIW makes mandatory: {}",
                    asset.id.value,
                    kind.as_str(),
                    names.join(", ")
                ),
            )
            .with_label("incomplete asset")
            .with_help("fill in the fields named, or set `kind:` if the asset belongs to another inventory"),
        );
    }
}

/// The mandatory fields `asset` lacks, in the IIW's column order.
fn missing_fields(asset: &Asset, high: bool) -> Vec<&'static str> {
    let kind = asset.kind();
    let mut wanted: Vec<&'static str> = EVERY_ASSET.to_vec();
    match kind {
        AssetKind::Infrastructure | AssetKind::Container => wanted.extend(SCANNED_ASSETS),
        AssetKind::Software | AssetKind::Database => wanted.extend(SOFTWARE_ASSETS),
    }
    if high {
        wanted.push("system_owner");
    }
    let mut missing: Vec<&'static str> = wanted
        .into_iter()
        .filter(|key| asset.get(key).is_none() && !asset.unreadable.contains(key))
        // A container's column B is the digests of its production containers.
        .filter(|key| {
            !(*key == "ip" && kind == AssetKind::Container && !asset.aliases().is_empty())
        })
        .collect();
    let position = |key: &&str| FIELDS.iter().position(|f| f.key == *key);
    missing.sort_by_key(position);
    missing
}
