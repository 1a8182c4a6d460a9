//! Scanned targets mapped to inventory assets: `poam import scan` names every asset by its
//! unique asset identifier, whatever the scanner called it.
//!
//! A target (a host, IP, FQDN, NetBIOS name or image, with or without its ` (port/PROTO)` or
//! ` (package version)` suffix) that is an inventory asset's `id`, or one of its `aliases`
//! (compared without case), becomes that `id`, suffix kept. A target no asset has is listed as
//! unmatched (once per scan file) and kept as the scanner wrote it; lint then reports items
//! naming it (`asset-unknown`). SARIF results name source files, not assets, and are left as
//! they are.

use serde::Serialize;

use super::scan::{Scan, ScanFormat};
use crate::inventory::{asset_name, Inventory};

/// A scanned target that matches no inventory asset.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Unmatched {
    /// The scan file that reached it.
    pub file: String,
    pub target: String,
}

/// Rewrites the targets of `scans` to inventory ids; returns the targets no asset has, sorted.
pub fn map_to_inventory(scans: &mut [Scan], inventory: &Inventory) -> Vec<Unmatched> {
    let mut unmatched = Vec::new();
    for scan in scans.iter_mut().filter(|s| s.format != ScanFormat::Sarif) {
        let mut missing = std::collections::BTreeSet::new();
        for finding in &mut scan.findings {
            match resolved(&finding.asset, inventory) {
                Some(name) => finding.asset = name,
                None => {
                    missing.insert(asset_name(&finding.asset).to_owned());
                }
            }
        }
        for target in &mut scan.assets_scanned {
            match resolved(target, inventory) {
                Some(name) => *target = name,
                None => {
                    missing.insert(asset_name(target).to_owned());
                }
            }
        }
        scan.assets_scanned.sort();
        scan.assets_scanned.dedup();
        unmatched.extend(missing.into_iter().map(|target| Unmatched {
            file: scan.file.clone(),
            target,
        }));
    }
    unmatched.sort();
    unmatched
}

/// `entry` with its asset part replaced by the inventory id it designates.
fn resolved(entry: &str, inventory: &Inventory) -> Option<String> {
    let name = asset_name(entry);
    let asset = inventory.resolve_entry(entry)?.asset();
    let suffix = entry.trim().strip_prefix(name).unwrap_or("");
    Some(format!("{}{suffix}", asset.id.value))
}
