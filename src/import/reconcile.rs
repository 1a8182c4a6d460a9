//! Reconciliation: the planned items of this month's scans against the items already kept.
//!
//! Existing items are matched by (detector, detector_id). What comes out is a [`Plan`]:
//! - **created**: a vulnerability no open item tracks becomes a new item (fields from the
//!   scanner, the rating and deadline fields from the profile (Rev5: `risk`, `due` and a
//!   milestone; CR26: an empty `vdr:` evaluation), owner and controls from `import:`);
//! - **updated**: an open item gains the assets (and CVEs) the scan newly found it on; nothing
//!   else of it changes, so what people wrote (owner, remediation, milestones, deviations,
//!   comments) stays;
//! - **unchanged**: an open item whose finding is still there with nothing new;
//! - **fixed**: an open item of a scanner whose scans reached every one of its assets and
//!   found the vulnerability on none;
//! - **not scanned**: an open item of that scanner with an asset the scans did not reach (a
//!   host missing from the scan is not a fix), or reached only by scans older than the item;
//! - **skipped**: rows, elements or whole files that could not be read, with their location.
//!
//! A closed item is never reopened: when its vulnerability is found again a new item is
//! created (the `reopened` rule treats reopening as something to explain).
//!
//! Planning reads no clock and writes nothing; [`apply`] writes the plan through the item
//! editor (`crate::edit`), so comments and layout of existing files stay.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::edit::{create_new_staged, EditError, ItemDocument, Key, NewValue};
use crate::ids::{self, IdAllocator};
use crate::import::scan::{PlannedItem, Scan, ScanError, ScanFormat};
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::output::{Staging, WRITERS};
use crate::policy::Policy;
use crate::profiles::{self, render_new_item, Scanned, StartDeadline, SystemProfile};
use crate::workspace::{display_name, Workspace};

/// Controls of a new vulnerability item when `import.default_controls` is not set.
pub const VULNERABILITY_CONTROLS: &[&str] = &["RA-5", "SI-2"];
/// Controls of a new configuration (compliance-check) item when not configured.
pub const CONFIGURATION_CONTROLS: &[&str] = &["CM-6"];

/// What the importer needs besides the scans: settings from `poam.yaml` and the date.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    pub default_owner: Option<&'a str>,
    /// Empty: [`VULNERABILITY_CONTROLS`] or [`CONFIGURATION_CONTROLS`].
    pub default_controls: &'a [String],
    /// The profile's settings: deadlines (Rev5), class (CR26).
    pub policy: &'a Policy,
    /// What the profile writes into a new item.
    pub profile: &'static dyn SystemProfile,
    pub kev: Option<&'a KevCatalog>,
    pub id_prefix: &'a str,
    /// Stands in for a detection date the scan does not give, and bounds closing dates.
    pub today: NaiveDate,
    /// Ids the items folder's history held (see [`crate::ids::ids_in_history`]): never handed
    /// out again.
    pub former_ids: &'a [String],
}

impl<'a> Settings<'a> {
    /// The settings of a workspace's `poam.yaml`.
    pub fn of(workspace: &'a Workspace, today: NaiveDate) -> Settings<'a> {
        let config = &workspace.config;
        Settings {
            default_owner: config.import.default_owner.as_deref(),
            default_controls: &config.import.default_controls,
            policy: &config.policy,
            profile: profiles::of(config.policy.profile),
            kev: workspace.kev.as_ref(),
            id_prefix: &config.id_prefix,
            former_ids: &[],
            today,
        }
    }
}

/// One item as the report names it. `assets` are the ones the entry is about: every asset
/// of a created or unchanged item, the added ones of an updated item, the ones scanned clean
/// of a fixed item, the ones not reached of a not-scanned item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemEntry {
    pub id: String,
    pub detector: String,
    pub detector_id: String,
    pub assets: Vec<String>,
    /// Relative to the repository root.
    pub path: String,
}

/// A new item to write.
#[derive(Clone, Debug, PartialEq)]
pub struct Creation {
    pub entry: ItemEntry,
    pub title: String,
    /// Where the file goes; the id may still move on if another writer takes it first.
    pub file: PathBuf,
    /// Every field but `id`, in any order (the editor writes them in the documented order).
    pub fields: Vec<(String, NewValue)>,
    /// A comment at the top of the `vdr:` block (CR26: the evaluate-by date).
    pub vdr_note: Option<String>,
    /// The rating the report names; `None` when a person must rate the item.
    pub rating: Option<String>,
    pub needs_rating: bool,
    /// The deadline it starts with (Rev5: due; CR26: evaluate by).
    pub deadline: Option<StartDeadline>,
    pub kev_due: Option<NaiveDate>,
    pub vendor_status_flags: Vec<String>,
    /// Open items with the same vulnerability were all closed: it came back.
    pub recurs_closed: Vec<String>,
}

/// An open item that gains assets or CVEs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub entry: ItemEntry,
    pub file: PathBuf,
    pub added_cves: Vec<String>,
    /// Set only when the item has none.
    pub scanner_severity: Option<String>,
    /// The earliest KEV due date of the added CVEs, when the item has no `kev_due`.
    pub kev_due: Option<NaiveDate>,
    pub vendor_status_flags: Vec<String>,
}

/// An open item whose finding is gone from every one of its assets, all of them scanned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub entry: ItemEntry,
    pub file: PathBuf,
    /// The scans that reached the item's assets.
    pub scans: Vec<(String, Option<NaiveDate>)>,
}

/// An open item the scans could not judge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotScanned {
    /// Its assets are the ones not reached, or (for [`NotScannedWhy::OlderScan`]) the ones
    /// reached by scans older than the item.
    pub entry: ItemEntry,
    pub why: NotScannedWhy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotScannedWhy {
    /// Some asset is on a target the scans did not reach.
    Unreached,
    /// The item lists no assets: nothing can show it fixed.
    NoAssets,
    /// Every scan that reached its assets is dated before the item's detection.
    OlderScan,
}

/// A row, element or file that could not be imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub file: String,
    pub location: String,
    pub reason: String,
}

/// One scanner file as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScanSummary {
    pub file: String,
    pub format: ScanFormat,
    #[serde(serialize_with = "serialize_date")]
    pub scanned_at: Option<NaiveDate>,
    pub assets_scanned: Vec<String>,
    /// Not in the JSON report: counts for the human summary.
    #[serde(skip)]
    pub findings: usize,
}

/// Everything an import would do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub scans: Vec<ScanSummary>,
    pub created: Vec<Creation>,
    pub updated: Vec<Update>,
    pub unchanged: Vec<ItemEntry>,
    pub fixed: Vec<Fix>,
    pub not_scanned: Vec<NotScanned>,
    pub skipped: Vec<Skipped>,
    /// Item files that could not be read: their findings may be imported twice.
    pub unreadable_items: Vec<String>,
    /// Scanned targets no inventory asset has (empty without an inventory).
    pub unmatched: Vec<super::assets::Unmatched>,
    /// What the import changes in the inventory (empty without one).
    pub inventory: super::assets::InventoryChanges,
}

/// An existing item, as reconciliation sees it.
struct Existing<'w> {
    id: &'w str,
    file: &'w Path,
    name: &'w str,
    item: &'w Item,
}

impl Existing<'_> {
    fn assets(&self) -> Vec<&str> {
        self.item
            .assets
            .iter()
            .flat_map(|a| a.value.iter())
            .map(|a| a.value.as_str())
            .collect()
    }

    fn entry(&self, assets: Vec<String>) -> ItemEntry {
        ItemEntry {
            id: self.id.to_owned(),
            detector: text(&self.item.detector),
            detector_id: text(&self.item.detector_id),
            assets,
            path: self.name.to_owned(),
        }
    }
}

fn text(field: &Option<crate::model::Sp<String>>) -> String {
    field.as_ref().map(|f| f.value.clone()).unwrap_or_default()
}

/// Plans the import of `scans` (and the files that failed, `failed`) into `workspace`.
pub fn plan(
    workspace: &Workspace,
    scans: &[Scan],
    failed: &[ScanError],
    settings: &Settings<'_>,
) -> Plan {
    let planned = crate::import::scan::group(scans);
    let mut plan = Plan {
        scans: scans.iter().map(summary).collect(),
        ..Plan::default()
    };
    for scan in scans {
        plan.skipped.extend(scan.problems.iter().map(|p| Skipped {
            file: scan.file.clone(),
            location: p.location.clone(),
            reason: p.reason.clone(),
        }));
    }
    plan.skipped.extend(failed.iter().map(|e| Skipped {
        file: e.file.clone(),
        location: e.location.clone(),
        reason: e.reason.clone(),
    }));
    plan.unreadable_items = workspace.unreadable().map(str::to_owned).collect();

    // Existing items by (detector, detector_id), sorted by id so the choice is stable.
    let mut existing: Vec<Existing<'_>> = workspace
        .parsed()
        .filter_map(|(file, item)| {
            Some(Existing {
                id: item.id_text()?,
                file: &file.path,
                name: &file.source.name,
                item,
            })
        })
        .collect();
    existing.sort_by(|a, b| a.id.cmp(b.id));
    let mut by_key: HashMap<(&str, &str), Vec<&Existing<'_>>> = HashMap::new();
    for e in &existing {
        if let (Some(detector), Some(detector_id)) = (&e.item.detector, &e.item.detector_id) {
            by_key
                .entry((detector.value.as_str(), detector_id.value.as_str()))
                .or_default()
                .push(e);
        }
    }

    let mut allocator = allocator(workspace, settings);
    let mut present: HashSet<(&str, &str)> = HashSet::new();
    for item in &planned {
        let key = (item.detector.as_str(), item.detector_id.as_str());
        present.insert(key);
        let matches = by_key.get(&key).map(Vec::as_slice).unwrap_or_default();
        match matches.iter().find(|e| !e.item.is_closed()) {
            Some(open) => match update(open, item, settings.kev) {
                Some(update) => plan.updated.push(update),
                None => plan.unchanged.push(open.entry(item.assets.clone())),
            },
            None => {
                let closed = matches.iter().map(|e| e.id.to_owned()).collect();
                let creation = create(
                    item,
                    closed,
                    &mut allocator,
                    settings,
                    &workspace.display_root,
                );
                plan.created.push(creation);
            }
        }
    }

    // Open items of the scanners read here whose vulnerability this scan did not find.
    let coverage = Coverage::new(scans);
    for e in &existing {
        let (Some(detector), Some(detector_id)) = (&e.item.detector, &e.item.detector_id) else {
            continue;
        };
        if e.item.is_closed()
            || present.contains(&(detector.value.as_str(), detector_id.value.as_str()))
        {
            continue;
        }
        let Some(targets) = coverage.by_detector.get(detector.value.as_str()) else {
            continue;
        };
        let assets = e.assets();
        let (clean, missed): (Vec<&str>, Vec<&str>) =
            assets.iter().partition(|a| targets.covers(a));
        if assets.is_empty() || !missed.is_empty() {
            plan.not_scanned.push(NotScanned {
                entry: e.entry(missed.iter().map(|a| (*a).to_owned()).collect()),
                why: if assets.is_empty() {
                    NotScannedWhy::NoAssets
                } else {
                    NotScannedWhy::Unreached
                },
            });
            continue;
        }
        let scans = targets.scans_covering(&clean);
        // A scan dated before the item was detected says nothing about a fix.
        let latest = scans.iter().filter_map(|(_, date)| *date).max();
        let detected = e.item.detected.as_ref().map(|d| d.value);
        if let (Some(latest), Some(detected)) = (latest, detected) {
            if latest < detected {
                plan.not_scanned.push(NotScanned {
                    entry: e.entry(clean.iter().map(|a| (*a).to_owned()).collect()),
                    why: NotScannedWhy::OlderScan,
                });
                continue;
            }
        }
        plan.fixed.push(Fix {
            entry: e.entry(clean.iter().map(|a| (*a).to_owned()).collect()),
            file: e.file.to_path_buf(),
            scans,
        });
    }
    plan
}

/// Ids count from every id in use: those of the parsed items, the names of every item file,
/// readable or not, and every id the history held.
fn allocator(workspace: &Workspace, settings: &Settings<'_>) -> IdAllocator {
    let mut taken: Vec<&str> = workspace.ids();
    taken.extend(settings.former_ids.iter().map(String::as_str));
    taken.extend(
        workspace
            .items
            .iter()
            .filter_map(|f| f.path.file_stem().and_then(|s| s.to_str())),
    );
    ids::allocate(&workspace.config.items_dir, settings.id_prefix, &taken)
}

fn summary(scan: &Scan) -> ScanSummary {
    ScanSummary {
        file: scan.file.clone(),
        format: scan.format,
        scanned_at: scan.scanned_at,
        assets_scanned: scan.assets_scanned.clone(),
        findings: scan.findings.len(),
    }
}

/// What an open matched item gains; `None` when nothing.
fn update(
    existing: &Existing<'_>,
    planned: &PlannedItem,
    kev: Option<&KevCatalog>,
) -> Option<Update> {
    let have: HashSet<&str> = existing.assets().into_iter().collect();
    let added: Vec<String> = planned
        .assets
        .iter()
        .filter(|a| !have.contains(a.as_str()))
        .cloned()
        .collect();
    let have_cves: HashSet<&str> = existing
        .item
        .cves
        .iter()
        .flat_map(|c| c.value.iter())
        .map(|c| c.value.as_str())
        .collect();
    let added_cves: Vec<String> = planned
        .cves
        .iter()
        .filter(|c| !have_cves.contains(c.as_str()))
        .cloned()
        .collect();
    let scanner_severity = (existing.item.scanner_severity.is_none()
        && !planned.scanner_severity.trim().is_empty())
    .then(|| planned.scanner_severity.trim().to_owned());
    // An added CVE in the KEV catalog brings its due date, when the item has none yet.
    let kev_due = if existing.item.kev_due.is_none() {
        kev_due_of(kev, &added_cves)
    } else {
        None
    };
    if added.is_empty() && added_cves.is_empty() && scanner_severity.is_none() {
        return None;
    }
    Some(Update {
        entry: existing.entry(added),
        file: existing.file.to_path_buf(),
        added_cves,
        scanner_severity,
        kev_due,
        vendor_status_flags: planned.vendor_status_flags.clone(),
    })
}

/// The earliest KEV due date of `cves`, when the catalog lists any.
fn kev_due_of(kev: Option<&KevCatalog>, cves: &[String]) -> Option<NaiveDate> {
    let kev = kev?;
    cves.iter()
        .filter_map(|cve| kev.due_dates.get(cve))
        .min()
        .copied()
}

/// A new item from a planned one.
fn create(
    planned: &PlannedItem,
    recurs_closed: Vec<String>,
    allocator: &mut IdAllocator,
    settings: &Settings<'_>,
    display_root: &Path,
) -> Creation {
    let new = allocator.next_id();
    let detected = planned.detected.unwrap_or(settings.today);
    let kev_due = kev_due_of(settings.kev, &planned.cves);
    let start = settings.profile.scanned_item(
        &Scanned {
            detected,
            risk: planned.risk,
            kev_due,
            cvss3: planned.cvss3,
            cvss2: planned.cvss2,
            scanner_severity: &planned.scanner_severity,
            detector: &planned.detector,
        },
        settings.policy,
    );
    let controls: Vec<String> = if !settings.default_controls.is_empty() {
        settings.default_controls.to_vec()
    } else if planned.configuration {
        CONFIGURATION_CONTROLS
            .iter()
            .map(|c| (*c).to_owned())
            .collect()
    } else {
        VULNERABILITY_CONTROLS
            .iter()
            .map(|c| (*c).to_owned())
            .collect()
    };
    let strings =
        |values: &[String]| NewValue::List(values.iter().cloned().map(NewValue::Str).collect());
    let mut fields: Vec<(String, NewValue)> = vec![
        ("title".into(), NewValue::Str(single_line(&planned.title))),
        ("controls".into(), strings(&controls)),
        ("detector".into(), NewValue::Str(planned.detector.clone())),
        (
            "detector_id".into(),
            NewValue::Str(planned.detector_id.clone()),
        ),
        ("assets".into(), strings(&planned.assets)),
        (
            "owner".into(),
            NewValue::Str(settings.default_owner.unwrap_or_default().to_owned()),
        ),
        ("detected".into(), NewValue::Date(detected)),
        ("status".into(), NewValue::Str("open".into())),
    ];
    let description = planned.description.trim();
    if !description.is_empty() {
        fields.push(("description".into(), NewValue::Str(description.to_owned())));
    }
    if let Some(solution) = planned
        .solution
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        fields.push(("remediation".into(), NewValue::Str(solution.to_owned())));
    }
    fields.extend(start.fields);
    if let Some(kev_due) = kev_due {
        fields.push(("kev_due".into(), NewValue::Date(kev_due)));
    }
    if !planned.cves.is_empty() {
        fields.push(("cves".into(), strings(&planned.cves)));
    }
    let severity = planned.scanner_severity.trim();
    if !severity.is_empty() {
        fields.push((
            "scanner_severity".into(),
            NewValue::Str(severity.to_owned()),
        ));
    }
    if !planned.vendor_status_flags.is_empty() {
        fields.push((
            "comments".into(),
            NewValue::Str(format!(
                "{} vendor status: {}.",
                planned.detector,
                planned.vendor_status_flags.join(", ")
            )),
        ));
    }
    Creation {
        entry: ItemEntry {
            id: new.id,
            detector: planned.detector.clone(),
            detector_id: planned.detector_id.clone(),
            assets: planned.assets.clone(),
            path: display_name(&new.path, display_root),
        },
        file: new.path,
        title: single_line(&planned.title),
        fields,
        vdr_note: start.vdr_note,
        rating: start.rating,
        needs_rating: start.needs_rating,
        deadline: start.deadline,
        kev_due,
        vendor_status_flags: planned.vendor_status_flags.clone(),
        recurs_closed,
    }
}

/// Titles are one line in the item format.
fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The targets each scanner's scans reached, for telling fixed from not scanned.
struct Coverage<'s> {
    by_detector: HashMap<String, Targets<'s>>,
}

struct Targets<'s> {
    /// Target → the scans (file, date) that reached it.
    reached: HashMap<&'s str, BTreeSet<(&'s str, Option<NaiveDate>)>>,
}

impl<'s> Coverage<'s> {
    fn new(scans: &'s [Scan]) -> Self {
        let mut by_detector: HashMap<String, Targets<'s>> = HashMap::new();
        for scan in scans {
            for detector in detectors(scan) {
                let targets = by_detector.entry(detector).or_insert_with(|| Targets {
                    reached: HashMap::new(),
                });
                for target in &scan.assets_scanned {
                    targets
                        .reached
                        .entry(target.as_str())
                        .or_default()
                        .insert((scan.file.as_str(), scan.scanned_at));
                }
            }
        }
        Coverage { by_detector }
    }
}

impl Targets<'_> {
    /// The target part of `asset` that a scan reached: the asset itself, or what precedes
    /// one of its ` (` (as [`Scan::covers`] reads an asset).
    fn target_of<'a>(&self, asset: &'a str) -> Option<&'a str> {
        if self.reached.contains_key(asset) {
            return Some(asset);
        }
        asset
            .match_indices(" (")
            .map(|(at, _)| &asset[..at])
            .find(|target| self.reached.contains_key(target))
    }

    fn covers(&self, asset: &str) -> bool {
        self.target_of(asset).is_some()
    }

    fn scans_covering(&self, assets: &[&str]) -> Vec<(String, Option<NaiveDate>)> {
        let mut scans = BTreeSet::new();
        for asset in assets {
            if let Some(target) = self.target_of(asset) {
                scans.extend(self.reached[target].iter().copied());
            }
        }
        scans
            .into_iter()
            .map(|(file, date)| (file.to_owned(), date))
            .collect()
    }
}

/// The detector names a scan speaks for: its findings' and its format's scanner, so that a
/// clean scan (no findings at all) still proves fixes. A SARIF file names its tool only in
/// its findings.
fn detectors(scan: &Scan) -> BTreeSet<String> {
    let mut names: BTreeSet<String> = scan.findings.iter().map(|f| f.detector.clone()).collect();
    let own = match scan.format {
        ScanFormat::Nessus | ScanFormat::TenableCsv => Some("Nessus"),
        ScanFormat::Trivy => Some("Trivy"),
        ScanFormat::Grype => Some("Grype"),
        ScanFormat::Qualys => Some("Qualys"),
        ScanFormat::Zap => Some("OWASP ZAP"),
        ScanFormat::Sarif => None,
    };
    names.extend(own.map(str::to_owned));
    names
}

/// What [`apply`] did: the plan with the ids and paths actually written, and the fixed items
/// it closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Applied {
    pub closed: Vec<String>,
}

/// Writes `plan`: new files (exclusive create; when another writer took an id first the item
/// takes the next free one and `plan` is corrected), assets and CVEs appended to updated
/// items, and with `close_fixed` the fixed items closed with a note naming the scans. Stops at
/// the first write that fails; what was written before stays.
pub fn apply(
    plan: &mut Plan,
    workspace: &Workspace,
    settings: &Settings<'_>,
    close_fixed: bool,
) -> Result<Applied, EditError> {
    let pool = write_pool();
    let pool = pool.as_ref();
    let render = |creation: &Creation, id: &str| {
        let mut fields = vec![("id".to_owned(), NewValue::Str(id.to_owned()))];
        fields.extend(creation.fields.iter().cloned());
        render_new_item(&fields, creation.vdr_note.as_deref())
    };
    let outcomes: Vec<Result<(), EditError>> = if plan.created.is_empty() {
        Vec::new()
    } else {
        let staging = Staging::new(&workspace.config.items_dir, WRITERS);
        install(pool, || {
            plan.created
                .par_iter()
                .map(|c| create_new_staged(&c.file, &render(c, &c.entry.id), &staging))
                .collect()
        })
    };
    // Ids another writer took meanwhile move on to the next free one, one at a time.
    let mut allocator = allocator(workspace, settings);
    for (creation, outcome) in plan.created.iter_mut().zip(outcomes) {
        match outcome {
            Ok(()) => {}
            Err(EditError::Exists { .. }) => {
                let new = allocator.create(|id| render(creation, id))?;
                creation.entry.path = display_name(&new.path, &workspace.display_root);
                creation.entry.id = new.id;
                creation.file = new.path;
            }
            Err(other) => return Err(other),
        }
    }
    install(pool, || plan.updated.par_iter().try_for_each(write_update))?;
    let mut applied = Applied::default();
    if close_fixed {
        install(pool, || {
            plan.fixed
                .par_iter()
                .try_for_each(|fix| close(fix, settings.today))
        })?;
        applied.closed = plan.fixed.iter().map(|f| f.entry.id.clone()).collect();
    }
    Ok(applied)
}

/// Writing thousands of small files waits on the disk (each save is synced), not on the
/// CPU: more writers than cores let the file system commit them together. Without a pool of
/// its own the import writes on the current thread's pool.
fn write_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(WRITERS)
        .build()
        .ok()
}

fn install<R: Send>(pool: Option<&rayon::ThreadPool>, work: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

fn write_update(update: &Update) -> Result<(), EditError> {
    let mut doc = ItemDocument::open(&update.file)?;
    for asset in &update.entry.assets {
        doc.append(&[Key::from("assets")], NewValue::Str(asset.clone()))?;
    }
    for cve in &update.added_cves {
        doc.append(&[Key::from("cves")], NewValue::Str(cve.clone()))?;
    }
    if let Some(severity) = &update.scanner_severity {
        doc.set(
            &[Key::from("scanner_severity")],
            NewValue::Str(severity.clone()),
        )?;
    }
    if let Some(kev_due) = update.kev_due {
        doc.set(&[Key::from("kev_due")], NewValue::Date(kev_due))?;
    }
    doc.save()
}

fn close(fix: &Fix, today: NaiveDate) -> Result<(), EditError> {
    let date = closing_date(fix, today);
    let mut doc = ItemDocument::open(&fix.file)?;
    doc.set(&[Key::from("status")], NewValue::Str("closed".into()))?;
    doc.set(&[Key::from("status_date")], NewValue::Date(date))?;
    doc.set(
        &[Key::from("closed")],
        NewValue::Map(vec![
            ("date".into(), NewValue::Date(date)),
            ("evidence".into(), NewValue::Str(closing_note(fix))),
        ]),
    )?;
    doc.save()
}

/// The latest date of the scans that proved the fix, never after today.
pub fn closing_date(fix: &Fix, today: NaiveDate) -> NaiveDate {
    fix.scans
        .iter()
        .filter_map(|(_, date)| *date)
        .max()
        .map_or(today, |date| date.min(today))
}

/// The evidence written when a fixed item is closed.
pub fn closing_note(fix: &Fix) -> String {
    let scans: Vec<String> = fix
        .scans
        .iter()
        .map(|(file, date)| match date {
            Some(date) => format!("{file} (scan of {date})"),
            None => format!("{file} (undated scan)"),
        })
        .collect();
    format!(
        "Not found by {} {} in {}; assets scanned clean: {}.",
        fix.entry.detector,
        fix.entry.detector_id,
        scans.join(", "),
        fix.entry.assets.join(", ")
    )
}

fn serialize_date<S: serde::Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.collect_str(&date.format("%Y-%m-%d")),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_cover_assets_as_scan_covers_them() {
        let scan = Scan {
            assets_scanned: vec!["10.0.0.1".into(), "img (a) b".into(), "img:1".into()],
            ..Scan::new("f", ScanFormat::Nessus)
        };
        let scans = [scan];
        let coverage = Coverage::new(&scans);
        let targets = &coverage.by_detector["Nessus"];
        for asset in [
            "10.0.0.1",
            "10.0.0.1 (443/TCP)",
            "10.0.0.10 (443/TCP)",
            "img (a) b (openssl 1.1)",
            "img (a) c",
            "img:1 (zlib 1.2)",
            "img:2 (zlib 1.2)",
            "",
        ] {
            assert_eq!(targets.covers(asset), scans[0].covers(asset), "{asset}");
        }
    }
}
