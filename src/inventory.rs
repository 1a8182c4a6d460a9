//! The inventory: the assets items name in `assets`, defined once.
//!
//! `inventory/` beside `poam.yaml` (or the folder or file `inventory:` names) holds YAML files;
//! each file is one asset (a mapping) or a group of assets (a list of mappings), as the
//! repository prefers (one file per host, or one per subnet, image registry or application).
//! Files are read in path order. Every asset carries the FedRAMP Integrated Inventory
//! Workbook's (IIW) columns under the snake_case names of [`FIELDS`], plus `aliases` (other
//! names scanners use for it: IPs, FQDNs, NetBIOS names, image digests), `retired: {date,
//! reason}`, and poam's own `kind` (which of the IIW's mandatory rules apply) and
//! `last_scanned` (when a scan last reached it).
//!
//! Container images follow the IIW: `id: repository/image:version`, the digests of its
//! production containers as `aliases` (they are the IIW's column B).
//!
//! Everything is read leniently: every problem is kept with its file and place and reported
//! by lint (`inventory-invalid`, `inventory-duplicate-id`, `inventory-alias-conflict`), and
//! the assets that could be read are used. Ids and aliases are looked up in hash maps built
//! once.

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::model::item::{parse_date, suggest};
use crate::model::{Node, Sp, Span, Value};
use crate::parse;
use crate::paths::Listed;
use crate::source::SourceFile;

/// How a field's value is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// The IIW's `Yes or No.`: `true`/`false` (or `yes`/`no`).
    YesNo,
    /// `YYYY-MM-DD` (the IIW writes m/d/yyyy).
    Date,
    /// One value or a list (the IIW's Alt+Enter lists).
    List,
}

/// One IIW column: poam's key, how it is written, and the template's header (exact).
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: &'static str,
    pub shape: Shape,
    pub header: &'static str,
}

const fn field(key: &'static str, shape: Shape, header: &'static str) -> Field {
    Field { key, shape, header }
}

/// The IIW's 25 columns, in the template's order (B..Z of sheet `Inventory`, A..Y once
/// column A is deleted), headers spelt as in the template (line break and trailing space
/// included).
pub const FIELDS: &[Field] = &[
    field("id", Shape::Text, "UNIQUE ASSET IDENTIFIER"),
    field("ip", Shape::List, "IPv4 or IPv6 Address"),
    field("virtual", Shape::YesNo, "Virtual"),
    field("public", Shape::YesNo, "Public"),
    field("dns", Shape::Text, "DNS Name or URL"),
    field("netbios", Shape::Text, "NetBIOS Name"),
    field("mac", Shape::Text, "MAC Address"),
    field("authenticated_scan", Shape::YesNo, "Authenticated Scan"),
    field(
        "baseline_configuration",
        Shape::Text,
        "Baseline Configuration Name",
    ),
    field("os", Shape::Text, "OS Name and Version"),
    field("location", Shape::Text, "Location"),
    field("asset_type", Shape::Text, "Asset Type"),
    field("hardware_model", Shape::Text, "Hardware Make/Model"),
    field("in_latest_scan", Shape::YesNo, "In Latest Scan"),
    field("software_vendor", Shape::Text, "Software/ Database Vendor"),
    field("software", Shape::Text, "Software/ Database Name & Version"),
    field("patch_level", Shape::Text, "Patch Level"),
    field("diagram_label", Shape::Text, "Diagram Label"),
    field("comments", Shape::Text, "Comments"),
    field("serial", Shape::Text, "Serial #/Asset Tag#"),
    field("vlan", Shape::Text, "VLAN/\nNetwork ID"),
    field("system_owner", Shape::Text, "System Administrator/ Owner"),
    field(
        "application_owner",
        Shape::Text,
        "Application Administrator/ Owner",
    ),
    field("function", Shape::Text, "Function"),
    field("end_of_life", Shape::Date, "End-of-Life "),
];

/// poam's keys beside the IIW's.
const EXTRA_FIELDS: &[Field] = &[
    field("aliases", Shape::List, ""),
    field("kind", Shape::Text, ""),
    field("last_scanned", Shape::Date, ""),
];

/// Every key an asset may have.
pub const ASSET_KEYS: &[&str] = &[
    "id",
    "ip",
    "virtual",
    "public",
    "dns",
    "netbios",
    "mac",
    "authenticated_scan",
    "baseline_configuration",
    "os",
    "location",
    "asset_type",
    "hardware_model",
    "in_latest_scan",
    "software_vendor",
    "software",
    "patch_level",
    "diagram_label",
    "comments",
    "serial",
    "vlan",
    "system_owner",
    "application_owner",
    "function",
    "end_of_life",
    "aliases",
    "retired",
    "kind",
    "last_scanned",
];

const RETIRED_KEYS: &[&str] = &["date", "reason"];

/// Which of the IIW's inventories an asset belongs to: it decides which columns are
/// mandatory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssetKind {
    /// OS/Infrastructure: hosts, network devices, appliances.
    Infrastructure,
    /// A container image (`repository/image:version`).
    Container,
    Software,
    Database,
}

impl AssetKind {
    pub const NAMES: &'static [&'static str] =
        &["infrastructure", "container", "software", "database"];

    pub fn from_name(name: &str) -> Option<AssetKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "infrastructure" => Some(AssetKind::Infrastructure),
            "container" => Some(AssetKind::Container),
            "software" => Some(AssetKind::Software),
            "database" => Some(AssetKind::Database),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AssetKind::Infrastructure => "infrastructure",
            AssetKind::Container => "container",
            AssetKind::Software => "software",
            AssetKind::Database => "database",
        }
    }
}

/// A field's value, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    YesNo(bool),
    Date(NaiveDate),
    List(Vec<Sp<String>>),
}

/// `retired: {date, reason}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retired {
    /// The `retired` key.
    pub span: Span,
    pub date: Option<Sp<NaiveDate>>,
    pub reason: Option<String>,
}

/// One asset.
#[derive(Clone, Debug)]
pub struct Asset {
    /// Index into [`Inventory::files`].
    pub file: usize,
    /// The asset's mapping.
    pub span: Span,
    pub id: Sp<String>,
    /// Every other field written, in file order, by key (see [`FIELDS`]).
    pub fields: Vec<(&'static str, Sp<FieldValue>)>,
    pub retired: Option<Retired>,
    /// Keys written with a value poam could not read (reported as invalid, so not missing).
    pub unreadable: Vec<&'static str>,
    /// A later asset with the id of an earlier one (set when the inventory is indexed).
    duplicate: bool,
}

impl Asset {
    /// The field written under `key`, with its place.
    pub fn get(&self, key: &str) -> Option<&Sp<FieldValue>> {
        self.fields
            .iter()
            .find_map(|(k, v)| (*k == key).then_some(v))
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        match &self.get(key)?.value {
            FieldValue::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn yes_no(&self, key: &str) -> Option<bool> {
        match self.get(key)?.value {
            FieldValue::YesNo(yes) => Some(yes),
            _ => None,
        }
    }

    pub fn date(&self, key: &str) -> Option<NaiveDate> {
        match self.get(key)?.value {
            FieldValue::Date(date) => Some(date),
            _ => None,
        }
    }

    pub fn list(&self, key: &str) -> &[Sp<String>] {
        match self.get(key).map(|v| &v.value) {
            Some(FieldValue::List(values)) => values,
            _ => &[],
        }
    }

    pub fn aliases(&self) -> &[Sp<String>] {
        self.list("aliases")
    }

    /// `kind` when written, else what the other fields say: a container when the asset type
    /// says so, software when only the software columns are filled, else infrastructure.
    pub fn kind(&self) -> AssetKind {
        if let Some(kind) = self.text("kind").and_then(AssetKind::from_name) {
            return kind;
        }
        let asset_type = self.text("asset_type").unwrap_or("").to_ascii_lowercase();
        if asset_type.contains("container") {
            return AssetKind::Container;
        }
        let software = self.get("software").is_some() || self.get("software_vendor").is_some();
        // Software and database rows share the IIW's rules: either will do.
        if software && self.get("os").is_none() && asset_type.is_empty() {
            return AssetKind::Software;
        }
        AssetKind::Infrastructure
    }

    /// Retired as of `today`: `retired` is written and its date (if any) has come.
    pub fn is_retired(&self, today: NaiveDate) -> bool {
        self.retired
            .as_ref()
            .is_some_and(|r| r.date.as_ref().is_none_or(|d| d.value <= today))
    }
}

/// What is wrong in the inventory, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A value of the wrong shape, an unknown key, a missing id, a file that cannot be read.
    Invalid,
    /// A second asset with an id already used; `first` is the first one's id (file, span).
    DuplicateId { first: (usize, Span) },
    /// An alias another asset already has (as an alias or as its id); `first` is where.
    AliasConflict { first: (usize, Span) },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Index into [`Inventory::files`].
    pub file: usize,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// How an item's asset name resolved.
#[derive(Clone, Copy, Debug)]
pub enum Resolved<'a> {
    /// The asset's own id.
    Id(&'a Asset),
    /// One of the asset's aliases (compared without case).
    Alias(&'a Asset),
}

impl<'a> Resolved<'a> {
    pub fn asset(self) -> &'a Asset {
        match self {
            Resolved::Id(asset) | Resolved::Alias(asset) => asset,
        }
    }
}

/// The inventory, read.
#[derive(Debug, Default)]
pub struct Inventory {
    /// The files' texts, named as findings show them, in path order.
    pub files: Vec<SourceFile>,
    /// Where each of `files` was read from (empty when built from texts alone): what
    /// `poam rename asset` edits.
    pub paths: Vec<PathBuf>,
    /// The assets that have an id, in file order.
    pub assets: Vec<Asset>,
    /// Id → index into `assets` (the first asset of a duplicated id).
    by_id: HashMap<String, usize>,
    /// Lower-case alias → index into `assets` (the first asset that has it).
    by_alias: HashMap<String, usize>,
    /// Lower-case id, and lower-case first DNS label of an id (`web-01` of
    /// `web-01.example.internal`) → index into `assets`: suggestions without a scan.
    by_loose_name: HashMap<String, usize>,
    pub problems: Vec<Problem>,
    /// Nearest ids already computed, by name: a typo repeats over many items and each answer
    /// compares the name with every id.
    nearest: Mutex<HashMap<String, Option<String>>>,
}

impl Inventory {
    /// Reads the inventory at `path` (a folder of `.yaml`/`.yml` files, read recursively in
    /// path order, or one file) inside the work tree `root`, naming each file by `name_of`.
    /// `Err` only when a file or the folder cannot be read, or the folder is outside `root`;
    /// a file poam will not read (outside `root`, not a regular file, too large) is a problem
    /// of that file, as a parse error is.
    pub fn load(
        path: &Path,
        root: &Path,
        name_of: impl Fn(&Path) -> String + Sync,
    ) -> Result<Inventory, (PathBuf, std::io::Error)> {
        let paths = if path.is_dir() {
            let inside = std::fs::canonicalize(path)
                .ok()
                .zip(std::fs::canonicalize(root).ok())
                .is_some_and(|(folder, root)| folder.starts_with(root));
            if !inside {
                return Err((
                    path.to_path_buf(),
                    std::io::Error::other(
                        "the inventory folder is outside the repository; name a folder inside it",
                    ),
                ));
            }
            yaml_files(path)?
        } else {
            // Named, not listed: checked when read, as anything but a regular file is.
            vec![(path.to_path_buf(), Listed::Other)]
        };
        let reads: Vec<(String, Result<Vec<u8>, String>)> = paths
            .par_iter()
            .map(|(p, listed)| {
                // A plain file found in a folder inside `root` is inside it; anything else is
                // checked.
                let read = match listed {
                    Listed::File => parse::ELEMENTS_FILE.read_regular(p),
                    Listed::LinkedFolder => Err(parse::ReadError::Refused(
                        "it is a symlink to a folder, which poam does not follow: the assets under it are not read; move them into the inventory folder".to_owned(),
                    )),
                    Listed::Symlink | Listed::Other => parse::ELEMENTS_FILE.read_inside(p, root),
                };
                match read {
                    Ok(bytes) => Ok((name_of(p), Ok(bytes))),
                    Err(parse::ReadError::Refused(why)) => Ok((name_of(p), Err(why))),
                    Err(parse::ReadError::Io(e)) => Err((p.clone(), e)),
                }
            })
            .collect::<Result<_, _>>()?;
        let mut inventory = Inventory::from_reads(reads);
        inventory.paths = paths.into_iter().map(|(p, _)| p).collect();
        Ok(inventory)
    }

    /// Reads inventory files given as (name, bytes), in the order given.
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Inventory {
        Inventory::from_reads(
            files
                .into_iter()
                .map(|(name, bytes)| (name, Ok(bytes)))
                .collect(),
        )
    }

    /// Reads inventory files given as (name, bytes or why they were not read), in the order
    /// given.
    fn from_reads(files: Vec<(String, Result<Vec<u8>, String>)>) -> Inventory {
        // Parsed in parallel; numbered by file so the merge below is in file order.
        let parsed: Vec<(SourceFile, Vec<Asset>, Vec<Problem>)> = files
            .into_par_iter()
            .enumerate()
            .map(|(index, (name, bytes))| read_file(index, name, bytes))
            .collect();
        let mut inventory = Inventory::default();
        // Reserved once: growing a vector of 20,000 assets step by step copied it again and
        // again into fresh pages (12 % of reading the bench inventory).
        inventory.files.reserve_exact(parsed.len());
        inventory
            .assets
            .reserve_exact(parsed.iter().map(|(_, assets, _)| assets.len()).sum());
        for (source, assets, problems) in parsed {
            inventory.files.push(source);
            inventory.assets.extend(assets);
            inventory.problems.extend(problems);
        }
        inventory.index();
        inventory
    }

    /// Builds the id and alias maps, reporting repeated ids and aliases claimed twice.
    fn index(&mut self) {
        let assets = &self.assets;
        let mut by_id: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(assets.len(), Default::default());
        let mut duplicates = Vec::new();
        // Each id without case → the first asset with it, in file order.
        let mut ids_lower: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(assets.len(), Default::default());
        let mut by_loose_name: HashMap<String, usize> = HashMap::default();
        for (index, asset) in assets.iter().enumerate() {
            match by_id.entry(asset.id.value.clone()) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    duplicates.push((index, *first.get()));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(index);
                }
            }
            let lower = asset.id.value.to_lowercase();
            if let Some((label, _)) = lower.split_once('.').filter(|(l, _)| is_host_label(l)) {
                by_loose_name.entry(label.to_owned()).or_insert(index);
            }
            by_loose_name.entry(lower.clone()).or_insert(index);
            ids_lower.entry(lower).or_insert(index);
        }
        self.by_id = by_id;
        self.by_loose_name = by_loose_name;
        for &(index, first) in &duplicates {
            let asset = &self.assets[index];
            let first = &self.assets[first];
            self.problems.push(Problem {
                kind: ProblemKind::DuplicateId {
                    first: (first.file, first.id.span),
                },
                file: asset.file,
                span: asset.id.span,
                message: format!("`{}` is the id of an earlier asset", asset.id.value),
                help: Some(
                    "give every asset its own unique asset identifier; a second name of the same asset belongs in `aliases`"
                        .into(),
                ),
            });
        }
        for (index, _) in duplicates {
            self.assets[index].duplicate = true;
        }
        for (index, asset) in self.assets.iter().enumerate() {
            for alias in asset.aliases() {
                let key = alias.value.to_lowercase();
                let owner = ids_lower
                    .get(&key)
                    .copied()
                    .filter(|&owner| owner != index)
                    .map(|owner| (owner, true))
                    .or_else(|| {
                        self.by_alias
                            .get(&key)
                            .copied()
                            .filter(|&owner| owner != index)
                            .map(|owner| (owner, false))
                    });
                match owner {
                    Some((owner, is_id)) => {
                        let other = &self.assets[owner];
                        let first = if is_id {
                            other.id.span
                        } else {
                            other
                                .aliases()
                                .iter()
                                .find(|a| a.value.to_lowercase() == key)
                                .map_or(other.id.span, |a| a.span)
                        };
                        let what = if is_id { "the id" } else { "an alias" };
                        self.problems.push(Problem {
                            kind: ProblemKind::AliasConflict {
                                first: (other.file, first),
                            },
                            file: asset.file,
                            span: alias.span,
                            message: format!(
                                "alias `{}` of `{}` is also {what} of `{}`",
                                alias.value, asset.id.value, other.id.value
                            ),
                            help: Some(
                                "a scanned name must lead to one asset: remove the alias from one of them"
                                    .into(),
                            ),
                        });
                    }
                    None => {
                        self.by_alias.entry(key).or_insert(index);
                    }
                }
            }
        }
    }

    /// The asset with this id.
    pub fn get(&self, id: &str) -> Option<&Asset> {
        self.by_id.get(id).map(|&index| &self.assets[index])
    }

    /// True when `asset` is the one its id designates (not a later duplicate, which
    /// `inventory-duplicate-id` reports and the other rules leave alone).
    pub fn is_first(&self, asset: &Asset) -> bool {
        // A flag rather than a lookup: the inventory rules ask for every asset, and a hash
        // lookup of each was 2 % of a lint with 20,000 assets (cache misses).
        !asset.duplicate
    }

    /// The asset `name` designates: by id, else by alias (without case).
    pub fn resolve(&self, name: &str) -> Option<Resolved<'_>> {
        if let Some(asset) = self.get(name) {
            return Some(Resolved::Id(asset));
        }
        let index = if name.bytes().any(|b| b.is_ascii_uppercase()) || !name.is_ascii() {
            self.by_alias.get(&name.to_lowercase())
        } else {
            self.by_alias.get(name)
        };
        index.map(|&index| Resolved::Alias(&self.assets[index]))
    }

    /// The asset an item's `assets` entry names: the entry itself, or the part before a
    /// ` (port/PROTO)` or ` (package version)` suffix.
    pub fn resolve_entry(&self, entry: &str) -> Option<Resolved<'_>> {
        let entry = entry.trim();
        self.resolve(entry)
            .or_else(|| self.resolve(asset_name(entry)))
    }

    /// The known id nearest to `name`, for "did you mean": the id spelt with other case, or
    /// whose first DNS label `name` is (or the other way round), found by hash; else, in an
    /// inventory of at most [`NEAREST_SCAN_LIMIT`] assets, the id nearest in spelling.
    /// Remembered per name.
    pub fn nearest(&self, name: &str) -> Option<String> {
        if let Some(known) = self.nearest.lock().ok().and_then(|n| n.get(name).cloned()) {
            return known;
        }
        let wanted = name.trim().to_ascii_lowercase();
        let label = wanted.split('.').next().unwrap_or("");
        let loose = self
            .by_loose_name
            .get(&wanted)
            .or_else(|| {
                self.by_loose_name
                    .get(label)
                    .filter(|_| is_host_label(label))
            })
            .map(|&index| self.assets[index].id.value.clone());
        let found = loose.or_else(|| self.nearest_by_spelling(&wanted));
        if let Ok(mut cache) = self.nearest.lock() {
            cache.insert(name.to_owned(), found.clone());
        }
        found
    }

    /// The id nearest to `wanted` (lower case) in spelling, comparing it with every id; `None`
    /// in a larger inventory, where a lint with many distinct unknown names would spend
    /// seconds here.
    fn nearest_by_spelling(&self, wanted: &str) -> Option<String> {
        if self.assets.len() > NEAREST_SCAN_LIMIT {
            return None;
        }
        self.assets
            .iter()
            .map(|a| {
                let known = a.id.value.to_ascii_lowercase();
                (
                    strsim::damerau_levenshtein(wanted, &known),
                    strsim::jaro_winkler(wanted, &known),
                    a.id.value.as_str(),
                )
            })
            .filter(|(distance, similarity, known)| {
                *distance <= (known.len() / 3).max(1) || *similarity >= 0.9
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(b.2)))
            .map(|(_, _, known)| known.to_owned())
    }

    /// The file an asset or problem is in.
    pub fn file(&self, index: usize) -> Option<&SourceFile> {
        self.files.get(index)
    }
}

/// A host name's first label, not an IP address's first number.
fn is_host_label(label: &str) -> bool {
    label.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Up to this many assets, an unknown name is compared with every id for a suggestion.
pub const NEAREST_SCAN_LIMIT: usize = 5_000;

/// The asset part of an item's `assets` entry: what precedes ` (port/PROTO)` or
/// ` (package version)`.
pub fn asset_name(entry: &str) -> &str {
    let entry = entry.trim();
    match entry.find(" (") {
        Some(at) if entry.ends_with(')') => entry[..at].trim_end(),
        _ => entry,
    }
}

/// The `.yaml` and `.yml` files under `dir`, and links to folders, hidden ones left out,
/// sorted by path.
fn yaml_files(dir: &Path) -> Result<Vec<(PathBuf, Listed)>, (PathBuf, std::io::Error)> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|err| {
            (
                err.path().unwrap_or(dir).to_path_buf(),
                err.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
            )
        })?;
        if let Some(listed) = Listed::of(&entry) {
            files.push((entry.into_path(), listed));
        }
    }
    Ok(files)
}

/// Reads one file: its assets and problems (numbered `file`).
fn read_file(
    file: usize,
    name: String,
    read: Result<Vec<u8>, String>,
) -> (SourceFile, Vec<Asset>, Vec<Problem>) {
    let mut reader = Reader {
        file,
        text: "",
        problems: Vec::new(),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(why) => {
            reader.invalid(
                Span::new(0, 0),
                format!("the inventory file cannot be read: {why}"),
                None,
            );
            return (
                SourceFile::new(name, String::new()),
                Vec::new(),
                reader.problems,
            );
        }
    };
    // An empty group file (a placeholder, or every asset commented out) holds no assets.
    if std::str::from_utf8(&bytes).is_ok_and(parse::is_blank) {
        let text = String::from_utf8(bytes).unwrap_or_default();
        return (SourceFile::new(name, text), Vec::new(), Vec::new());
    }
    match parse::parse_owned_within(bytes, parse::ELEMENTS_FILE) {
        Ok((text, node)) => {
            reader.text = &text;
            let assets = reader.read_document(node);
            let problems = reader.problems;
            (SourceFile::new(name, text), assets, problems)
        }
        Err((text, err)) => {
            reader.invalid(
                err.span,
                format!("the inventory file cannot be read: {}", err.message),
                None,
            );
            (SourceFile::new(name, text), Vec::new(), reader.problems)
        }
    }
}

/// `text` without its leading and trailing whitespace, reusing its buffer when it has none
/// (nearly always: one allocation per value fewer).
fn trimmed(text: String) -> String {
    let trimmed = text.trim();
    if trimmed.len() == text.len() {
        text
    } else {
        trimmed.to_owned()
    }
}

struct Reader<'t> {
    file: usize,
    text: &'t str,
    problems: Vec<Problem>,
}

impl Reader<'_> {
    fn invalid(&mut self, span: Span, message: String, help: Option<&str>) {
        self.problems.push(Problem {
            kind: ProblemKind::Invalid,
            file: self.file,
            span,
            message,
            help: help.map(str::to_owned),
        });
    }

    // The tree is taken by value so its strings move into the assets rather than being
    // copied and then freed with it.
    fn read_document(&mut self, node: Node) -> Vec<Asset> {
        match node.value {
            Value::Map(_) => self.read_asset(node).into_iter().collect(),
            Value::Seq(list) => list
                .into_iter()
                .filter_map(|n| self.read_asset(n))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.invalid(
                    node.span,
                    format!(
                        "an inventory file must hold one asset (a mapping) or a list of assets, found {}",
                        node.kind()
                    ),
                    Some("write `id: web-01` with the asset's fields, or a list of `- id: ...` entries"),
                );
                Vec::new()
            }
        }
    }

    fn read_asset(&mut self, node: Node) -> Option<Asset> {
        let span = node.span;
        let entries = match node.value {
            Value::Map(entries) => entries,
            _ => {
                self.invalid(
                    span,
                    format!("an asset must be a mapping, found {}", node.kind()),
                    Some("write `- id: web-01` with `ip:`, `os:` and the other fields below it"),
                );
                return None;
            }
        };
        let first_key = entries.first().map_or(span, |e| e.key_span);
        let mut id = None;
        let mut fields = Vec::with_capacity(entries.len());
        let mut retired = None;
        let mut unreadable = Vec::new();
        for entry in entries {
            let value = entry.value;
            let value_span = value.span;
            let key = entry.key.as_str();
            if key == "id" {
                id = self
                    .text(value, key)
                    .map(|t| Sp::new(trimmed(t), value_span));
                continue;
            }
            if key == "retired" {
                retired = self.retired(entry.key_span, value);
                continue;
            }
            let Some(field) = FIELDS.iter().chain(EXTRA_FIELDS).find(|f| f.key == key) else {
                let help = suggest(key, ASSET_KEYS).map_or_else(
                    || format!("known keys: {}", ASSET_KEYS.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                self.problems.push(Problem {
                    kind: ProblemKind::Invalid,
                    file: self.file,
                    span: entry.key_span,
                    message: format!("unknown key `{key}` in an asset"),
                    help: Some(help),
                });
                continue;
            };
            let before = self.problems.len();
            if let Some(read) = self.value(field, value) {
                fields.push((field.key, Sp::new(read, value_span)));
            } else if self.problems.len() > before {
                unreadable.push(field.key);
            }
        }
        match id {
            Some(id) if !id.value.is_empty() => Some(Asset {
                file: self.file,
                span,
                id,
                fields,
                retired,
                unreadable,
                duplicate: false,
            }),
            _ => {
                self.invalid(
                    first_key,
                    "an asset has no `id`".to_owned(),
                    Some("add `id:` with the asset's unique asset identifier (the name scans and POA&M items use)"),
                );
                None
            }
        }
    }

    /// A field's value in its shape; `None` (with a problem) when it has another shape, and
    /// `None` for an empty value (the IIW leaves unknown fields blank).
    fn value(&mut self, field: &Field, node: Node) -> Option<FieldValue> {
        let key = field.key;
        match field.shape {
            Shape::Text => {
                let span = node.span;
                let text = self.text(node, key)?;
                if key == "kind" && AssetKind::from_name(&text).is_none() {
                    let help = match suggest(&text, AssetKind::NAMES) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => format!("one of: {}", AssetKind::NAMES.join(", ")),
                    };
                    self.problems.push(Problem {
                        kind: ProblemKind::Invalid,
                        file: self.file,
                        span,
                        message: format!("`kind` must be an IIW inventory, found `{text}`"),
                        help: Some(help),
                    });
                    return None;
                }
                (!text.trim().is_empty()).then(|| FieldValue::Text(trimmed(text)))
            }
            Shape::YesNo => match &node.value {
                Value::Bool(yes) => Some(FieldValue::YesNo(*yes)),
                Value::Null => None,
                Value::Str(s) if s.eq_ignore_ascii_case("yes") => Some(FieldValue::YesNo(true)),
                Value::Str(s) if s.eq_ignore_ascii_case("no") => Some(FieldValue::YesNo(false)),
                _ => {
                    self.invalid(
                        node.span,
                        format!("`{key}` must be `true` or `false` (the IIW's Yes or No)"),
                        None,
                    );
                    None
                }
            },
            Shape::Date => {
                let span = node.span;
                let text = self.text(node, key)?;
                match parse_date(text.trim()) {
                    Some(date) => Some(FieldValue::Date(date)),
                    None => {
                        self.invalid(
                            span,
                            format!("`{key}` must be a date YYYY-MM-DD, found `{text}`"),
                            None,
                        );
                        None
                    }
                }
            }
            Shape::List => {
                let values = self.list(node, key);
                (!values.is_empty()).then_some(FieldValue::List(values))
            }
        }
    }

    fn retired(&mut self, key_span: Span, node: Node) -> Option<Retired> {
        let mut retired = Retired {
            span: key_span,
            date: None,
            reason: None,
        };
        let span = node.span;
        let kind = node.kind();
        match node.value {
            Value::Map(entries) => {
                for entry in entries {
                    let value_span = entry.value.span;
                    match entry.key.as_str() {
                        "date" => {
                            let text = self.text(entry.value, "retired.date");
                            retired.date = text.and_then(|t| match parse_date(t.trim()) {
                                Some(date) => Some(Sp::new(date, value_span)),
                                None => {
                                    self.invalid(
                                        value_span,
                                        format!(
                                            "`retired.date` must be a date YYYY-MM-DD, found `{t}`"
                                        ),
                                        None,
                                    );
                                    None
                                }
                            });
                        }
                        "reason" => retired.reason = self.text(entry.value, "retired.reason"),
                        other => {
                            let help = suggest(other, RETIRED_KEYS).map_or_else(
                                || "`retired` has `date` and `reason`".to_owned(),
                                |s| format!("did you mean `{s}`?"),
                            );
                            self.problems.push(Problem {
                                kind: ProblemKind::Invalid,
                                file: self.file,
                                span: entry.key_span,
                                message: format!("unknown key `{other}` in `retired`"),
                                help: Some(help),
                            });
                        }
                    }
                }
                Some(retired)
            }
            Value::Null => None,
            _ => {
                self.invalid(
                    span,
                    format!("`retired` must be a mapping, found {kind}"),
                    Some("write `retired: {date: 2026-11-01, reason: replaced by web-03}`"),
                );
                None
            }
        }
    }

    /// A scalar as text: numbers and booleans as they are written in the file.
    fn text(&mut self, node: Node, key: &str) -> Option<String> {
        let kind = node.kind();
        match node.value {
            Value::Str(s) => Some(s),
            Value::Null => None,
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => self
                .text
                .get(node.span.start..node.span.end)
                .map(str::to_owned),
            _ => {
                self.invalid(
                    node.span,
                    format!("`{key}` must be text, found {kind}"),
                    None,
                );
                None
            }
        }
    }

    /// A list of text, or one text as a list of one; blank entries left out.
    fn list(&mut self, node: Node, key: &str) -> Vec<Sp<String>> {
        let one = |reader: &mut Self, n: Node| {
            let span = n.span;
            reader
                .text(n, key)
                .map(|t| Sp::new(trimmed(t), span))
                .filter(|t| !t.value.is_empty())
        };
        match node.value {
            Value::Seq(values) => values.into_iter().filter_map(|v| one(self, v)).collect(),
            Value::Null => Vec::new(),
            _ => one(self, node).into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(files: &[(&str, &str)]) -> Inventory {
        Inventory::from_files(
            files
                .iter()
                .map(|(name, text)| ((*name).to_owned(), text.as_bytes().to_vec()))
                .collect(),
        )
    }

    #[test]
    fn one_asset_or_a_group_per_file_with_lookups_by_id_and_alias() {
        let inventory = read(&[
            (
                "inventory/web.yaml",
                "- id: web-01\n  ip: 10.0.0.1\n  aliases: [web-01.acme.internal, 10.0.0.1]\n  virtual: true\n  public: no\n  patch_level: 1.10\n\
                 - id: web-02\n  retired: {date: 2026-11-01, reason: replaced}\n",
            ),
            (
                "inventory/registry.yaml",
                "id: registry.acme.io/api:1.4.2\nkind: container\naliases: sha256:abcd\n",
            ),
        ]);
        assert!(inventory.problems.is_empty(), "{:?}", inventory.problems);
        assert_eq!(inventory.assets.len(), 3);
        let web = inventory.get("web-01").expect("web-01");
        assert_eq!(web.yes_no("virtual"), Some(true));
        assert_eq!(web.yes_no("public"), Some(false));
        assert_eq!(web.text("patch_level"), Some("1.10"));
        assert_eq!(web.list("ip").len(), 1);
        assert!(matches!(
            inventory.resolve_entry("WEB-01.acme.internal (443/TCP)"),
            Some(Resolved::Alias(a)) if a.id.value == "web-01"
        ));
        assert!(matches!(
            inventory.resolve_entry("registry.acme.io/api:1.4.2 (openssl 3.0.1)"),
            Some(Resolved::Id(a)) if a.kind() == AssetKind::Container
        ));
        assert!(inventory.resolve_entry("web-03").is_none());
        assert_eq!(inventory.nearest("web-0l").as_deref(), Some("web-01"));
        assert_eq!(inventory.nearest("WEB-02").as_deref(), Some("web-02"));
        assert_eq!(
            inventory.nearest("web-02.other.zone").as_deref(),
            Some("web-02")
        );
        assert_eq!(inventory.nearest("10.9.9.9"), None);
        let retired = inventory.get("web-02").expect("web-02");
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("a date");
        assert!(retired.is_retired(day(1)));
        assert!(!retired.is_retired(day(1) - chrono::Days::new(1)));
        assert_eq!(inventory.files[1].name, "inventory/registry.yaml");
    }

    #[test]
    fn every_problem_is_kept_with_its_file_and_place() {
        let first = "- id: a\n  aliases: [x]\n- id: a\n- ip: 1.2.3.4\n- id: b\n  virtual: maybe\n  mac_address: 00\n  kind: vm\n  aliases: [X, a]\n";
        let inventory = read(&[("one.yaml", first), ("two.yaml", "just text\n")]);
        let found: Vec<(usize, &ProblemKind, &str)> = inventory
            .problems
            .iter()
            .map(|p| {
                let text: &str = if p.file == 0 { first } else { "just text\n" };
                (p.file, &p.kind, &text[p.span.start..p.span.end])
            })
            .collect();
        assert_eq!(found.len(), 8, "{found:?}");
        assert_eq!(found[0], (0, &ProblemKind::Invalid, "ip"));
        assert_eq!(found[1], (0, &ProblemKind::Invalid, "maybe"));
        assert_eq!(found[2], (0, &ProblemKind::Invalid, "mac_address"));
        assert_eq!(found[3], (0, &ProblemKind::Invalid, "vm"));
        assert_eq!(found[4].0, 1);
        assert!(matches!(found[5].1, ProblemKind::DuplicateId { .. }));
        assert!(matches!(
            found[6],
            (0, ProblemKind::AliasConflict { .. }, "X")
        ));
        assert!(matches!(
            found[7],
            (0, ProblemKind::AliasConflict { .. }, "a")
        ));
        assert_eq!(asset_name("web-01 (443/TCP)"), "web-01");
        assert_eq!(asset_name("web (01)x"), "web (01)x");
    }
}
