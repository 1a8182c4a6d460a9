//! Scanned targets mapped to inventory assets: `poam import scan` names every asset by its
//! unique asset identifier, whatever the scanner called it.
//!
//! A target (a host, IP, FQDN, NetBIOS name or image, with or without its ` (port/PROTO)` or
//! ` (package version)` suffix) that is an inventory asset's `id`, or one of its `aliases`
//! (compared without case), becomes that `id`, suffix kept. A target no asset has is listed as
//! unmatched (once per scan file) and kept as the scanner wrote it; lint then reports items
//! naming it (`asset-unknown`). A host whose target matches no asset is also looked up by its
//! other names, IPs and FQDNs before NetBIOS names: Nessus' `host-ip`, `host-fqdn` and
//! `netbios-name` host tags, the `Host`, `IP Address`, `DNS Name` / `FQDN` and `NetBIOS Name`
//! columns of Tenable CSV exports, and the `IP`, `DNS`, `NetBIOS` and `FQDN` columns of
//! Qualys'. SARIF results name source files, not assets, and are left as they are.
//!
//! The import then keeps the inventory in step with the scans ([`plan_inventory`],
//! [`write_inventory`]): every asset a scan reached gets `in_latest_scan: true` and
//! `last_scanned` (the newest scan date that reached it, today for an undated scan), and
//! `authenticated_scan` where the file says whether the scan logged in (Nessus'
//! `Credentialed_Scan` host tag; in Tenable CSV exports the scan information plugin's
//! `Credentialed checks`, a `local` check type or Tenable VM's last authenticated results
//! date, see `scan/tenable_csv.rs`; Qualys exports do not say); every asset of a kind the imported scans cover
//! (infrastructure for Nessus, Tenable and Qualys, containers for Trivy and Grype) that no
//! scan reached gets `in_latest_scan: false` (its `last_scanned` stays, so
//! `inventory-not-scanned` can tell a miss from a stale asset). Retired assets are left alone.
//! With `--add-unknown-assets` each unmatched target becomes a stub asset (id, kind, the
//! scan's fields, `ip`, `dns` or `netbios` from its names, and its other names as `aliases`
//! so a later scan that names it otherwise still finds it) in `added-by-scan.yaml` of the inventory folder
//! (or at the end of a one-file inventory), for a person to complete: lint's
//! `inventory-missing-field` says what is left. Every file is edited through the item editor
//! (comments and layout kept) and all are written as one set.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use super::scan::{Scan, ScanFormat};
use crate::edit::{render_list_of_mappings, EditError, ItemDocument, Key, NewValue};
use crate::error::Error;
use crate::inventory::{asset_name, AssetKind, Inventory};
use crate::model::Value;
use crate::output::ReplaceSet;

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
        let mut missing = BTreeSet::new();
        // The scanner's name of each target → the asset's id.
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let mut targets = BTreeMap::new();
        for target in &mut scan.assets_scanned {
            let info = scan.targets.remove(target.as_str());
            let found = resolved(target, inventory).or_else(|| {
                let mut names: Vec<&String> = info.iter().flat_map(|i| i.names.iter()).collect();
                // IPs and FQDNs first: a NetBIOS name is the least unique (cloned machine
                // images share theirs).
                names.sort_by_key(|name| !name.contains(['.', ':']));
                names.into_iter().find_map(|name| resolved(name, inventory))
            });
            match found {
                Some(id) => {
                    renamed.insert(asset_name(target).to_owned(), asset_name(&id).to_owned());
                    if let Some(info) = info {
                        targets.insert(id.clone(), info);
                    }
                    *target = id;
                }
                None => {
                    missing.insert(asset_name(target).to_owned());
                    if let Some(info) = info {
                        targets.insert(target.clone(), info);
                    }
                }
            }
        }
        scan.targets = targets;
        for finding in &mut scan.findings {
            let name = asset_name(&finding.asset);
            let found = resolved(&finding.asset, inventory).or_else(|| {
                let id = renamed.get(name)?;
                let suffix = finding.asset.trim().strip_prefix(name).unwrap_or("");
                Some(format!("{id}{suffix}"))
            });
            match found {
                Some(entry) => finding.asset = entry,
                None => {
                    missing.insert(name.to_owned());
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

/// The file stubs go to in an inventory folder.
pub const STUBS_FILE: &str = "added-by-scan.yaml";

/// What an import changes in the inventory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct InventoryChanges {
    /// Assets a scan reached, by id.
    pub scanned: Vec<ScannedAsset>,
    /// Assets of a kind the scans cover that no scan reached: `in_latest_scan: false`.
    pub missed: Vec<String>,
    /// Scanner files that could not be read: no asset is marked missed then, since one they
    /// reached would look missed.
    #[serde(skip_serializing_if = "is_zero")]
    pub unread_files: usize,
    /// Stub assets for the unmatched targets (`--add-unknown-assets`).
    pub added: Vec<ScannedAsset>,
    /// The file the stubs go to, as findings name it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub added_to: Option<String>,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

impl InventoryChanges {
    pub fn is_empty(&self) -> bool {
        self.scanned.is_empty() && self.missed.is_empty() && self.added.is_empty()
    }
}

/// An asset a scan reached, as the inventory will record it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScannedAsset {
    pub id: String,
    pub last_scanned: NaiveDate,
    /// Whether the scan logged in, where the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authenticated_scan: Option<bool>,
    /// The stub's `kind` (stubs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<&'static str>,
    /// The target's other names (stubs only).
    #[serde(skip)]
    pub names: Vec<String>,
    /// The scan file that reached it (stubs only).
    #[serde(skip)]
    pub file: String,
}

/// The inventory kind a format's targets are; `None` for formats that reach no one kind
/// (ZAP's web sites, SARIF's source files).
fn kind_of(format: ScanFormat) -> Option<AssetKind> {
    match format {
        ScanFormat::Nessus | ScanFormat::TenableCsv | ScanFormat::Qualys => {
            Some(AssetKind::Infrastructure)
        }
        ScanFormat::Trivy | ScanFormat::Grype => Some(AssetKind::Container),
        ScanFormat::Zap | ScanFormat::Sarif => None,
    }
}

/// What `scans` (already mapped by [`map_to_inventory`]) change in `inventory`; stubs for
/// `unmatched` when `add_unknown`. An undated scan counts as run `today`. With `unread_files`
/// (scanner files of the set that could not be read), no asset is marked missed.
pub fn plan_inventory(
    scans: &[Scan],
    inventory: &Inventory,
    unmatched: &[Unmatched],
    add_unknown: bool,
    unread_files: usize,
    today: NaiveDate,
) -> InventoryChanges {
    let mut reached: BTreeMap<String, ScannedAsset> = BTreeMap::new();
    let mut unknown: BTreeMap<String, ScannedAsset> = BTreeMap::new();
    let wanted: BTreeSet<(&str, &str)> = unmatched
        .iter()
        .map(|u| (u.file.as_str(), u.target.as_str()))
        .collect();
    let mut covered = BTreeSet::new();
    for scan in scans.iter().filter(|s| s.format != ScanFormat::Sarif) {
        covered.extend(kind_of(scan.format).map(AssetKind::as_str));
        let date = scan.scanned_at.unwrap_or(today);
        for target in &scan.assets_scanned {
            let info = scan.targets.get(target);
            let credentialed = info.and_then(|i| i.credentialed);
            let known = inventory.get(target).filter(|a| inventory.is_first(a));
            let (into, kind) = match known {
                Some(_) => (&mut reached, None),
                None if add_unknown && wanted.contains(&(scan.file.as_str(), target.as_str())) => (
                    &mut unknown,
                    Some(kind_of(scan.format).unwrap_or(AssetKind::Software).as_str()),
                ),
                None => continue,
            };
            let entry = into.entry(target.clone()).or_insert_with(|| ScannedAsset {
                id: target.clone(),
                last_scanned: date,
                authenticated_scan: None,
                kind,
                names: info.map(|i| i.names.clone()).unwrap_or_default(),
                file: scan.file.clone(),
            });
            entry.last_scanned = entry.last_scanned.max(date);
            // Authenticated when any scan that reached it logged in.
            entry.authenticated_scan = match (entry.authenticated_scan, credentialed) {
                (Some(a), Some(b)) => Some(a || b),
                (a, b) => a.or(b),
            };
        }
    }
    // An asset only an unreadable file reached would look missed.
    let missed = if unread_files > 0 {
        Vec::new()
    } else {
        inventory
            .assets
            .iter()
            .filter(|a| inventory.is_first(a) && !a.is_retired(today))
            .filter(|a| covered.contains(a.kind().as_str()))
            .filter(|a| !reached.contains_key(&a.id.value))
            .map(|a| a.id.value.clone())
            .collect()
    };
    InventoryChanges {
        scanned: reached.into_values().collect(),
        missed,
        unread_files,
        added: unknown.into_values().collect(),
        added_to: None,
    }
}

/// An asset's new values, by key.
type Values = Vec<(&'static str, NewValue)>;

/// Where stubs go: `added-by-scan.yaml` in an inventory folder, else the inventory file.
pub fn stubs_path(inventory_path: &std::path::Path) -> PathBuf {
    if inventory_path.is_file() {
        inventory_path.to_path_buf()
    } else {
        inventory_path.join(STUBS_FILE)
    }
}

/// Writes `changes` into the inventory (at `inventory_path`) as one set of writes; only the
/// values that differ are written. Returns how many files changed.
pub fn write_inventory(
    changes: &InventoryChanges,
    inventory: &Inventory,
    inventory_path: &std::path::Path,
) -> Result<usize, Error> {
    // Inventory file → the assets to edit in it, each with its new values.
    let mut edits: BTreeMap<usize, Vec<(&str, Values)>> = BTreeMap::new();
    for scanned in &changes.scanned {
        let Some(asset) = inventory.get(&scanned.id) else {
            continue;
        };
        let mut values = Vec::new();
        if asset.yes_no("in_latest_scan") != Some(true) {
            values.push(("in_latest_scan", NewValue::Bool(true)));
        }
        if asset
            .date("last_scanned")
            .is_none_or(|d| d < scanned.last_scanned)
        {
            values.push(("last_scanned", NewValue::Date(scanned.last_scanned)));
        }
        if let Some(yes) = scanned.authenticated_scan {
            if asset.yes_no("authenticated_scan") != Some(yes) {
                values.push(("authenticated_scan", NewValue::Bool(yes)));
            }
        }
        if !values.is_empty() {
            edits
                .entry(asset.file)
                .or_default()
                .push((&asset.id.value, values));
        }
    }
    for id in &changes.missed {
        let Some(asset) = inventory.get(id) else {
            continue;
        };
        if asset.yes_no("in_latest_scan") != Some(false) {
            edits.entry(asset.file).or_default().push((
                &asset.id.value,
                vec![("in_latest_scan", NewValue::Bool(false))],
            ));
        }
    }
    let stubs = stubs_path(inventory_path);
    let stubs_file = inventory.paths.iter().position(|p| *p == stubs);
    let mut documents = Vec::new();
    for (file, assets) in edits {
        let (Some(source), Some(path)) = (inventory.file(file), inventory.paths.get(file)) else {
            continue;
        };
        let mut doc = ItemDocument::from_text(path.clone(), source.text.to_string())?;
        for (id, values) in assets {
            let Some(at) = position_of(&doc, id) else {
                return Err(Error::Refused(format!(
                    "asset `{id}` was not found where {} was read",
                    source.name
                )));
            };
            for (key, value) in values {
                let path: Vec<Key> = at.iter().cloned().chain([Key::from(key)]).collect();
                doc.set(&path, value)?;
            }
        }
        documents.push(doc);
    }
    let mut set = ReplaceSet::new();
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    if !changes.added.is_empty() {
        // A name two stubs share (cloned machine images keep one NetBIOS name), or that an
        // asset already has, would make an alias conflict: it stays out of `aliases`.
        let mut uses: BTreeMap<&str, usize> = BTreeMap::new();
        for name in changes.added.iter().flat_map(|a| a.names.iter()) {
            *uses.entry(name.as_str()).or_default() += 1;
        }
        let unique = |name: &str| uses.get(name) == Some(&1) && inventory.resolve(name).is_none();
        let entries: Vec<Vec<(String, NewValue)>> =
            changes.added.iter().map(|a| stub(a, &unique)).collect();
        // The stubs file may already hold assets (and be edited above).
        let existing = stubs_file.map(|index| {
            let at = documents
                .iter()
                .position(|d| d.path() == inventory.paths[index]);
            (index, at)
        });
        match existing {
            Some((index, at)) => {
                let mut doc = match at {
                    Some(at) => documents.remove(at),
                    None => ItemDocument::from_text(
                        stubs.clone(),
                        inventory.files[index].text.to_string(),
                    )?,
                };
                if !matches!(doc.node().value, Value::Seq(_)) {
                    return Err(Error::Refused(format!(
                        "{} is not a list of assets: cannot add the scanned targets to it",
                        inventory.files[index].name
                    )));
                }
                for entry in entries {
                    doc.append(&[], NewValue::Map(entry))?;
                }
                documents.push(doc);
            }
            None => {
                if stubs.exists() {
                    return Err(Error::Refused(format!(
                        "{} exists but is not an inventory file poam read",
                        stubs.display()
                    )));
                }
                if let Some(folder) = stubs.parent() {
                    std::fs::create_dir_all(folder).map_err(io(folder))?;
                }
                let text = render_list_of_mappings(
                    "Assets added by `poam import scan --add-unknown-assets`: scanned targets no asset had. Complete the IIW fields (see `poam lint`), or give an existing asset the name as an alias.",
                    &entries,
                );
                set.stage(&stubs, text.as_bytes()).map_err(io(&stubs))?;
            }
        }
    }
    for doc in &mut documents {
        doc.stage(&mut set).map_err(|e: EditError| Error::from(e))?;
    }
    let count = set.len();
    set.commit().map_err(io(inventory_path))?;
    Ok(count)
}

/// The path of the asset with id `id` in an inventory file: the root mapping, or an entry
/// of the root list.
fn position_of(doc: &ItemDocument, id: &str) -> Option<Vec<Key>> {
    let has_id = |node: &crate::model::Node| {
        node.as_map()
            .and_then(|m| m.iter().find(|e| e.key == "id"))
            .is_some_and(|e| match &e.value.value {
                Value::Str(s) => s.trim() == id,
                _ => false,
            })
    };
    match &doc.node().value {
        Value::Seq(entries) => entries
            .iter()
            .position(has_id)
            .map(|index| vec![Key::from(index)]),
        _ => has_id(doc.node()).then(Vec::new),
    }
}

/// A stub asset's fields: its id and kind, what the scan says, its name (or other names) as
/// `ip`, `dns` or `netbios`, and its other names that are `unique` as `aliases`.
fn stub(asset: &ScannedAsset, unique: &dyn Fn(&str) -> bool) -> Vec<(String, NewValue)> {
    let mut fields = vec![
        ("id".to_owned(), NewValue::Str(asset.id.clone())),
        (
            "kind".to_owned(),
            NewValue::Str(asset.kind.unwrap_or("infrastructure").to_owned()),
        ),
    ];
    let names: Vec<&str> = std::iter::once(asset.id.as_str())
        .chain(asset.names.iter().map(String::as_str))
        .collect();
    if asset.kind != Some(AssetKind::Container.as_str()) {
        let ips: Vec<NewValue> = names
            .iter()
            .filter(|n| n.parse::<std::net::IpAddr>().is_ok())
            .map(|n| NewValue::Str((*n).to_owned()))
            .collect();
        if !ips.is_empty() {
            fields.push(("ip".to_owned(), NewValue::List(ips)));
        }
        let host = |n: &&&str| n.parse::<std::net::IpAddr>().is_err();
        if let Some(dns) = names.iter().filter(host).find(|n| n.contains('.')) {
            fields.push(("dns".to_owned(), NewValue::Str((*dns).to_owned())));
        }
        if let Some(netbios) = names
            .iter()
            .filter(host)
            .find(|n| !n.contains('.') && !n.contains(':') && !n.contains('/'))
        {
            fields.push(("netbios".to_owned(), NewValue::Str((*netbios).to_owned())));
        }
        // The other names the scanner used: a later scan naming the host by its IP or FQDN
        // finds it.
        let aliases: Vec<NewValue> = asset
            .names
            .iter()
            .filter(|n| **n != asset.id && unique(n))
            .map(|n| NewValue::Str(n.clone()))
            .collect();
        if !aliases.is_empty() {
            fields.push(("aliases".to_owned(), NewValue::List(aliases)));
        }
    }
    if let Some(yes) = asset.authenticated_scan {
        fields.push(("authenticated_scan".to_owned(), NewValue::Bool(yes)));
    }
    fields.push(("in_latest_scan".to_owned(), NewValue::Bool(true)));
    fields.push((
        "last_scanned".to_owned(),
        NewValue::Date(asset.last_scanned),
    ));
    fields.push((
        "comments".to_owned(),
        NewValue::Str(format!("added from {}", asset.file)),
    ));
    fields
}
