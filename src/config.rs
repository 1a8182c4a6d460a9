//! `poam.yaml`: where the items live, the deadline profile and rule severities.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::code::Code;
use crate::code::Severity;
use crate::error::{ConfigError, ConfigProblem, Error};
use crate::model::item::{normalize_control, suggest};
use crate::model::LineCol;
use crate::model::{Node, Sp, Span, Value};
use crate::parse;
pub use crate::policy::profile::{Cr26Class, Deadlines, Policy, Profile};
use crate::source::{Location, SourceFile};
use strum::IntoEnumIterator;

mod approvals;
pub use approvals::{ApprovalSettings, Decision, Signatures, APPROVAL_KEYS};

pub const CONFIG_FILE: &str = "poam.yaml";

pub const CONFIG_KEYS: &[&str] = &[
    "system",
    "items",
    "profile",
    "deadlines",
    "vendor_checkin_days",
    "stale_days",
    "due_soon_days",
    "kev_catalog",
    "rules",
    "history_since",
    "id_prefix",
    "cr26",
    "templates",
    "repo_url",
    "marking",
    "history_waivers",
    "merge_strategy",
    "import",
    "controls",
    "people",
    "inventory",
    "evidence",
    "audiences",
    "emass",
    "approvals",
    "baseline",
    "waivers",
];
const BASELINE_KEYS: &[&str] = &["max_age_days"];
/// The longest `marking:` banner, in characters.
pub const MARKING_LIMIT: usize = 80;
const IMPORT_KEYS: &[&str] = &["default_owner", "default_controls"];
/// Prefix of the ids `poam new` allocates when `id_prefix` is not set.
pub const DEFAULT_ID_PREFIX: &str = "V-";

const CR26_KEYS: &[&str] = &["class", "package_overview_uri"];
/// The keys of `emass:`, in the order the eMASS header block shows them.
pub const EMASS_KEYS: &[&str] = &[
    "exported_by",
    "component",
    "registration_no",
    "system_type",
    "poc",
    "omb_project_id",
    "security_costs",
];
const SYSTEM_KEYS: &[&str] = &["csp", "name", "impact", "fedramp_id", "baseline"];
const CONTROLS_KEYS: &[&str] = &["extra"];
/// The people file beside `poam.yaml` when `people:` does not name one.
pub const DEFAULT_PEOPLE_FILE: &str = "people.yaml";
/// The inventory folder beside `poam.yaml` when `inventory:` does not name one.
pub const DEFAULT_INVENTORY_DIR: &str = "inventory";
/// `inventory.scan_days` when unset: FedRAMP wants the whole inventory scanned every month.
pub const DEFAULT_SCAN_DAYS: u32 = 30;
const INVENTORY_KEYS: &[&str] = &["path", "scan_days"];
const EVIDENCE_KEYS: &[&str] = &["dir"];
const AUDIENCE_KEYS: &[&str] = &["hide", "items"];
const AUDIENCE_ITEM_KEYS: &[&str] = &["controls", "risk"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Note,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Self::Error => Some(Severity::Error),
            Self::Warning => Some(Severity::Warning),
            Self::Note => Some(Severity::Note),
            Self::Off => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct System {
    pub csp: Option<String>,
    pub name: Option<String>,
    pub impact: Option<String>,
    /// The FedRAMP system identifier (e.g. `F1603047866`), exported as OSCAL's `system-id`.
    pub fedramp_id: Option<String>,
}

/// `merge_strategy:`: how pull requests reach the default branch, which decides whether the
/// pull-request check warns about what a rebase merge would leave in main's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeStrategy {
    /// One commit per pull request: its net change, as `--base` judges it.
    Squash,
    /// A merge commit per pull request: main's first parent sees its net change.
    Merge,
    /// Every commit of the pull request lands on main (rebase or fast-forward).
    Rebase,
}

impl MergeStrategy {
    pub const NAMES: &'static [&'static str] = &["squash", "merge", "rebase"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "squash" => Some(Self::Squash),
            "merge" => Some(Self::Merge),
            "rebase" => Some(Self::Rebase),
            _ => None,
        }
    }
}

/// `import:`: what `poam import` fills into new items that the scanner file cannot say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSettings {
    /// The owner of new items; without it they get an empty owner that `poam lint` flags.
    pub default_owner: Option<String>,
    /// Controls of new items (normalized, e.g. `RA-5`); empty means the importer's defaults.
    pub default_controls: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// The config file, when there is one (a bare folder of items has none).
    pub file: Option<PathBuf>,
    /// The folder holding `poam.yaml`, or the bare items folder.
    pub root: PathBuf,
    pub items_dir: PathBuf,
    pub system: System,
    /// The profile with the deadlines and day limits of this file applied.
    pub policy: Policy,
    /// `deadlines:` as written, applied over the profile's defaults once the file is read.
    deadline_overrides: Vec<(String, Span, u32)>,
    pub kev_catalog: Option<PathBuf>,
    pub rules: BTreeMap<Code, Level>,
    pub history_since: Option<Sp<String>>,
    /// Where `deadlines:` is written, for findings about it.
    pub deadlines_span: Option<Span>,
    /// The text of `poam.yaml`, for findings and errors that point into it.
    pub source: Option<SourceFile>,
    /// What `poam new` puts before the number of a new id.
    pub id_prefix: String,
    /// `cr26:` as written (the class also goes into `policy.class`).
    pub cr26: Cr26Settings,
    /// `templates:`: a folder whose files override the built-in report and site templates.
    pub templates: Option<PathBuf>,
    /// `repo_url:`: the repository's web address; commit ids in the site link to
    /// `<repo_url>/commit/<id>`.
    pub repo_url: Option<String>,
    /// `marking:`: a marking banner (e.g. `CUI`) at the top and bottom of every page of the
    /// site and the HTML report, on screen and in print.
    pub marking: Option<String>,
    /// `history_waivers:`: past history violations acknowledged, with a reason.
    pub history_waivers: Vec<HistoryWaiver>,
    /// `import:`: defaults for items created by `poam import scan`.
    pub import: ImportSettings,
    /// `merge_strategy:`, when set.
    pub merge_strategy: Option<MergeStrategy>,
    /// `system.baseline`, `controls:` and `people:`: the elements items refer to.
    pub elements: ElementSettings,
    /// `emass:`: the header block of an eMASS POA&M export, (key, value) as written; keys are
    /// [`EMASS_KEYS`]. `poc` and `exported_by` may name a person of the people file.
    pub emass: Vec<(&'static str, String)>,
    /// The CMMC assessment (`assessment.yaml` beside `poam.yaml`), read by the workspace under
    /// a profile that needs one (`Profile::needs_assessment`); its dates and partial values
    /// also go into `policy.cmmc`.
    pub cmmc: Option<std::sync::Arc<crate::model::cmmc::CmmcAssessment>>,
    /// `evidence.dir` (or `evidence:`), relative to `poam.yaml`, `/`-separated: where `poam
    /// evidence add` copies files [default: `evidence`].
    pub evidence_dir: Option<Sp<String>>,
    /// `audiences:`: who `poam site --audience NAME` builds for, by name.
    pub audiences: BTreeMap<String, Audience>,
    /// `approvals:`: the roles that may make each decision; unset, nobody is checked.
    pub approvals: Option<ApprovalSettings>,
    /// `baseline.max_age_days`: how long a deadline finding may stay in the baseline file.
    pub baseline_max_age_days: Option<u32>,
    /// `waivers:`: findings of one rule on one item accepted until a date, with a reason.
    pub waivers: Vec<Waiver>,
}

/// What a site built for one audience leaves out (`audiences.<name>` in `poam.yaml`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audience {
    /// `hide:`: the parts of the site this audience does not see at all.
    pub hide: Vec<Hidden>,
    /// `items.controls`: only items naming one of these controls (or a control of one of
    /// these families, `SI`), canonical; empty means every item.
    pub controls: Vec<String>,
    /// `items.risk`: only items whose effective rating is one of these; empty means every
    /// item.
    pub risk: Vec<crate::model::item::Risk>,
}

/// A part of the site an audience may be denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, strum::EnumIter)]
pub enum Hidden {
    /// `assets` of every item, the assets page and the inventory.
    Assets,
    /// `comments` of every item.
    Comments,
    /// `documents` and `closed.evidence` of every item.
    Evidence,
    /// `owner` of every item, the people page.
    Owners,
    /// The git timelines, commit authors and messages, the charts over time.
    History,
    /// The findings page and every finding.
    Findings,
}

impl Hidden {
    pub fn name(self) -> &'static str {
        match self {
            Hidden::Assets => "assets",
            Hidden::Comments => "comments",
            Hidden::Evidence => "evidence",
            Hidden::Owners => "owners",
            Hidden::History => "history",
            Hidden::Findings => "findings",
        }
    }

    pub fn names() -> Vec<&'static str> {
        Hidden::iter().map(Hidden::name).collect()
    }

    pub fn from_name(name: &str) -> Option<Hidden> {
        Hidden::iter().find(|h| h.name() == name)
    }
}

/// What the items' references are checked against: the system's control baseline, the
/// organisation's own controls, and where the people file is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ElementSettings {
    /// `system.baseline`; unset means no baseline check.
    pub baseline: Option<crate::catalog::Baseline>,
    /// `controls.extra`, canonical (`AC-2(1)`): in scope besides the baseline, and allowed
    /// when not in SP 800-53 (organisation-defined controls).
    pub extra_controls: Vec<String>,
    /// `people:` as written (relative to `poam.yaml`), with its place; unset means
    /// `people.yaml` beside `poam.yaml` when that file exists.
    pub people: Option<Sp<PathBuf>>,
    /// `inventory:` (or `inventory.path`) as written (relative to `poam.yaml`), with its
    /// place; unset means `inventory/` beside `poam.yaml` when that folder exists.
    pub inventory: Option<Sp<PathBuf>>,
    /// `inventory.scan_days`: how long an asset may go unscanned (`inventory-not-scanned`).
    pub scan_days: Option<u32>,
}

/// The `cr26:` block: what the `fedramp-cr26` profile needs to know about the offering.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cr26Settings {
    pub class: Option<Cr26Class>,
    /// The certification package overview; every VER report names it.
    pub package_overview_uri: Option<String>,
}

impl Config {
    /// The configuration of a bare folder of items.
    pub fn for_items_dir(dir: &Path) -> Config {
        Config {
            file: None,
            root: dir.to_path_buf(),
            items_dir: dir.to_path_buf(),
            system: System::default(),
            policy: Policy::default(),
            deadline_overrides: Vec::new(),
            kev_catalog: None,
            rules: BTreeMap::new(),
            history_since: None,
            deadlines_span: None,
            source: None,
            id_prefix: DEFAULT_ID_PREFIX.to_owned(),
            cr26: Cr26Settings::default(),
            emass: Vec::new(),
            templates: None,
            repo_url: None,
            marking: None,
            history_waivers: Vec::new(),
            import: ImportSettings::default(),
            merge_strategy: None,
            elements: ElementSettings::default(),
            cmmc: None,
            evidence_dir: None,
            audiences: BTreeMap::new(),
            approvals: None,
            baseline_max_age_days: None,
            waivers: Vec::new(),
        }
    }

    /// The severity a finding of `code` gets, `None` when the rule is off.
    pub fn level_of(&self, code: Code, default: Severity) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(level) => level.severity(),
            None => Some(default),
        }
    }

    /// Finds the configuration for `path` (a repo root holding `poam.yaml`, its items folder,
    /// or a bare folder of items), or by walking up from the working directory when no path
    /// is given. A folder inside a repository whose `poam.yaml` keeps items elsewhere is an
    /// error: linting it would silently check nothing.
    pub fn discover(path: Option<&Path>, explicit: Option<&Path>) -> Result<Config, Error> {
        if let Some(file) = explicit {
            return Config::load(file);
        }
        let Some(path) = path else {
            let cwd = std::env::current_dir().map_err(|source| Error::Io {
                path: PathBuf::from("."),
                source,
            })?;
            return match find_upward(&cwd) {
                Some(file) => Config::load(&file),
                None => Err(Error::NoConfig { start: cwd }),
            };
        };
        let meta = std::fs::metadata(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if meta.is_file() {
            if path.file_name().is_some_and(|n| n == CONFIG_FILE) {
                return Config::load(path);
            }
            return Err(Error::NotAFolder {
                path: path.to_path_buf(),
            });
        }
        let folder = std::fs::canonicalize(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let Some(file) = find_upward(&folder) else {
            return Ok(Config::for_items_dir(path));
        };
        let config = Config::load(&file)?;
        let items = std::fs::canonicalize(&config.items_dir).unwrap_or(config.items_dir.clone());
        let root = std::fs::canonicalize(&config.root).unwrap_or(config.root.clone());
        if folder == root || folder.starts_with(&items) {
            Ok(config)
        } else {
            Err(Error::OutsideItems {
                path: path.to_path_buf(),
                config: PathBuf::from(name_from_cwd(&file)),
                items: PathBuf::from(name_from_cwd(&config.items_dir)),
            })
        }
    }

    pub fn load(file: &Path) -> Result<Config, Error> {
        let bytes = parse::ITEM_FILE.read_file(file).map_err(|e| Error::Io {
            path: file.to_path_buf(),
            source: e.into_io(),
        })?;
        Config::from_bytes(file, &bytes)
    }

    /// Reads the configuration in `bytes`, the content of `file`.
    pub fn from_bytes(file: &Path, bytes: &[u8]) -> Result<Config, Error> {
        let root = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut config = Config::for_items_dir(&root.join("poams"));
        config.root = root;
        config.file = Some(file.to_path_buf());
        let name = name_from_cwd(file);
        let text = String::from_utf8_lossy(bytes).into_owned();
        let mut problems = Vec::new();
        // Every key is optional: an empty or comment-only file is the default configuration.
        let node = if parse::is_blank(&text) {
            None
        } else {
            match parse::parse_bytes(bytes) {
                Ok((_, node)) => Some(node),
                Err(err) => {
                    problems.push(ConfigProblem::new(err.span, err.message, None));
                    None
                }
            }
        };
        if let Some(node) = &node {
            config.read(node, &mut problems);
        }
        if !config.history_waivers.is_empty() || !config.waivers.is_empty() {
            let located = SourceFile::new(name.clone(), text.clone());
            for waiver in &mut config.history_waivers {
                waiver.location = located.location(waiver.location.span);
            }
            for waiver in &mut config.waivers {
                waiver.location = located.location(waiver.location.span);
            }
        }
        config.apply_deadline_overrides(&mut problems);
        if let Some(node) = &node {
            config.check_cr26(node, &mut problems);
        }
        let span_of = |key: &str| {
            node.as_ref()
                .and_then(|n| n.get(key))
                .map_or(Span::new(0, 0), |e| e.value.span)
        };
        if !config.items_dir.is_dir() {
            problems.push(ConfigProblem::new(
                span_of("items"),
                format!(
                    "items folder `{}` does not exist",
                    name_from_cwd(&config.items_dir)
                ),
                Some("create it, or point `items:` at the folder that holds the item files".into()),
            ));
        }
        if let Some(people) = config
            .elements
            .people
            .as_ref()
            .filter(|p| !p.value.is_file())
        {
            problems.push(ConfigProblem::new(
                people.span,
                format!(
                    "people file `{}` {}",
                    name_from_cwd(&people.value),
                    not_a_file(&people.value)
                ),
                Some(
                    "create it, or remove `people:` (the default is people.yaml beside poam.yaml)"
                        .into(),
                ),
            ));
        }
        if let Some(inventory) = config
            .elements
            .inventory
            .as_ref()
            .filter(|i| !i.value.exists())
        {
            problems.push(ConfigProblem::new(
                inventory.span,
                format!(
                    "inventory `{}` does not exist",
                    name_from_cwd(&inventory.value)
                ),
                Some(
                    "create the folder (one YAML file per asset or group of assets), or remove `inventory:` (the default is inventory/ beside poam.yaml)"
                        .into(),
                ),
            ));
        }
        if let Some(kev) = &config.kev_catalog {
            if !kev.is_file() {
                problems.push(ConfigProblem::new(
                    span_of("kev_catalog"),
                    format!("KEV catalog `{}` {}", name_from_cwd(kev), not_a_file(kev)),
                    Some("download CISA's known_exploited_vulnerabilities.json, or remove `kev_catalog`".into()),
                ));
            }
        }
        let source = SourceFile::new(name, text);
        if problems.is_empty() {
            config.source = Some(source);
            Ok(config)
        } else {
            Err(Error::Config(ConfigError::new(source, problems)))
        }
    }

    /// A problem found after loading (e.g. `history_since` naming no commit), located in
    /// `poam.yaml` when there is one.
    pub fn problem(&self, span: Span, message: String, help: Option<String>) -> Error {
        match &self.source {
            Some(source) => Error::Config(ConfigError::new(
                source.clone(),
                vec![ConfigProblem::new(span, message, help)],
            )),
            None => Error::history(message),
        }
    }

    fn read(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = node.as_map() else {
            problems.push(ConfigProblem::new(
                node.span,
                format!("poam.yaml must be a mapping, found {}", node.kind()),
                None,
            ));
            return;
        };
        for entry in entries {
            let value = &entry.value;
            match entry.key.as_str() {
                "system" => self.read_system(value, problems),
                "items" => {
                    if let Some(dir) = string(value, "items", problems) {
                        self.items_dir = self.root.join(dir);
                    }
                }
                "profile" => {
                    if let Some(name) = string(value, "profile", problems) {
                        match Profile::from_name(&name) {
                            Some(profile) => {
                                self.policy.profile = profile;
                                self.policy.deadlines = profile.default_deadlines();
                            }
                            None => problems.push(ConfigProblem::new(
                                value.span,
                                format!("unknown profile `{name}`"),
                                Some(format!("known profiles: {}", Profile::names().join(", "))),
                            )),
                        }
                    }
                }
                "deadlines" => {
                    self.deadlines_span = Some(value.span);
                    self.read_deadlines(value, problems);
                }
                "vendor_checkin_days" => {
                    if let Some(days) = days(value, "vendor_checkin_days", problems) {
                        self.policy.vendor_checkin_days = days;
                    }
                }
                "stale_days" => {
                    if let Some(days) = days(value, "stale_days", problems) {
                        self.policy.stale_days = days;
                    }
                }
                "due_soon_days" => {
                    if let Some(days) = days(value, "due_soon_days", problems) {
                        self.policy.due_soon_days = days;
                    }
                }
                "kev_catalog" => {
                    if let Some(file) = string(value, "kev_catalog", problems) {
                        self.kev_catalog = Some(self.root.join(file));
                    }
                }
                "rules" => self.read_rules(value, problems),
                "history_since" => {
                    if let Some(since) = string(value, "history_since", problems) {
                        self.history_since = Some(Sp::new(since, value.span));
                    }
                }
                "id_prefix" => {
                    if let Some(prefix) = string(value, "id_prefix", problems) {
                        if crate::model::item::is_valid_item_id(&format!("{prefix}1")) {
                            self.id_prefix = prefix;
                        } else {
                            problems.push(ConfigProblem::new(
                                value.span,
                                format!("`id_prefix` `{prefix}` cannot start an item id"),
                                Some("use letters, digits, `.`, `_` and `-`, starting with a letter or digit (e.g. `V-`)".into()),
                            ));
                        }
                    }
                }
                "cr26" => self.read_cr26(value, problems),
                "emass" => self.read_emass(value, problems),
                "import" => self.read_import(value, problems),
                "controls" => self.read_controls(value, problems),
                "people" => {
                    if let Some(file) = string(value, "people", problems) {
                        self.elements.people = Some(Sp::new(self.root.join(file), value.span));
                    }
                }
                "inventory" => self.read_inventory(value, problems),
                "evidence" => self.read_evidence(value, problems),
                "audiences" => self.read_audiences(value, problems),
                "approvals" => {
                    self.approvals = approvals::read_approvals(value, &self.root, problems);
                }
                "templates" | "repo_url" => self.read_report_key(&entry.key, value, problems),
                "marking" => {
                    if let Some(text) = string(value, "marking", problems) {
                        let text = text.trim();
                        if text.chars().count() > MARKING_LIMIT
                            || text.chars().any(char::is_control)
                        {
                            problems.push(ConfigProblem::new(
                                value.span,
                                format!("`marking` must be one line of at most {MARKING_LIMIT} characters"),
                                Some("e.g. `marking: CUI` or `marking: \"CUI//SP-PRVCY\"`".into()),
                            ));
                        } else {
                            self.marking = Some(text.to_owned());
                        }
                    }
                }
                "history_waivers" => self.history_waivers = read_history_waivers(value, problems),
                "waivers" => self.waivers = read_waivers(value, problems),
                "baseline" => {
                    if let Some(entries) = mapping(value, "baseline", problems) {
                        for entry in entries {
                            match entry.key.as_str() {
                                "max_age_days" => {
                                    self.baseline_max_age_days =
                                        days(&entry.value, "baseline.max_age_days", problems);
                                }
                                other => {
                                    problems.push(unknown_key(other, entry.key_span, BASELINE_KEYS))
                                }
                            }
                        }
                    }
                }
                "merge_strategy" => {
                    if let Some(name) = string(value, "merge_strategy", problems) {
                        match MergeStrategy::from_name(&name) {
                            Some(strategy) => self.merge_strategy = Some(strategy),
                            None => problems.push(ConfigProblem::new(
                                value.span,
                                format!("`merge_strategy` must be `squash`, `merge` or `rebase`, found `{name}`"),
                                Some(match suggest(&name, MergeStrategy::NAMES) {
                                    Some(s) => format!("did you mean `{s}`?"),
                                    None => "how pull requests reach the default branch: `squash`, `merge` (a merge commit) or `rebase` (rebase or fast-forward)".into(),
                                }),
                            )),
                        }
                    }
                }
                other => problems.push(unknown_key(other, entry.key_span, CONFIG_KEYS)),
            }
        }
    }

    /// `cr26: {class: b|c|d, package_overview_uri: <url>}`.
    fn read_cr26(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "cr26", problems) else {
            return;
        };
        for entry in entries {
            match entry.key.as_str() {
                "class" => {
                    let Some(name) = string(&entry.value, "cr26.class", problems) else {
                        continue;
                    };
                    match Cr26Class::from_name(&name) {
                        Some(class) => {
                            self.cr26.class = Some(class);
                            self.policy.class = class;
                        }
                        None => problems.push(ConfigProblem::new(
                            entry.value.span,
                            format!("`cr26.class` must be `b`, `c` or `d`, found `{name}`"),
                            Some("Rev5 offerings are Class B, C or D; Class A is 20x only".into()),
                        )),
                    }
                }
                "package_overview_uri" => {
                    let uri = string(&entry.value, "cr26.package_overview_uri", problems);
                    match uri {
                        Some(uri) if !uri.contains("://") => problems.push(ConfigProblem::new(
                            entry.value.span,
                            format!("`cr26.package_overview_uri` must be an absolute URI, found `{uri}`"),
                            Some("write the full address, e.g. https://example.com/fedramp/package".into()),
                        )),
                        uri => self.cr26.package_overview_uri = uri,
                    }
                }
                other => problems.push(unknown_key(other, entry.key_span, CR26_KEYS)),
            }
        }
    }

    /// The `fedramp-cr26` profile cannot pick timeframes without a class.
    fn check_cr26(&self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        if !self.policy.profile.needs_class() || self.cr26.class.is_some() {
            return;
        }
        let span = node
            .get("cr26")
            .or_else(|| node.get("profile"))
            .map_or(Span::new(0, 0), |e| e.value.span);
        problems.push(ConfigProblem::new(
            span,
            "profile `fedramp-cr26` needs `cr26.class`".to_owned(),
            Some("add `cr26: {class: c}` (b, c or d: the timeframes depend on it)".into()),
        ));
    }

    /// The keys of `poam report` and `poam site`: `templates` (a folder, relative to the
    /// config file) and `repo_url` (an http or https address).
    fn read_report_key(&mut self, key: &str, value: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(text) = string(value, key, problems) else {
            return;
        };
        if key == "templates" {
            self.templates = Some(self.root.join(text));
        } else if text.starts_with("https://") || text.starts_with("http://") {
            self.repo_url = Some(text.trim_end_matches('/').to_owned());
        } else {
            problems.push(ConfigProblem::new(
                value.span,
                format!("`repo_url` must start with https:// or http://, found `{text}`"),
                Some("e.g. `repo_url: https://github.com/example/poams`".into()),
            ));
        }
    }

    fn read_import(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "import", problems) else {
            return;
        };
        for entry in entries {
            match entry.key.as_str() {
                "default_owner" => {
                    self.import.default_owner =
                        string(&entry.value, "import.default_owner", problems);
                }
                "default_controls" => self.import.default_controls.extend(control_list(
                    &entry.value,
                    "import.default_controls",
                    "e.g. `default_controls: [RA-5, SI-2]`",
                    "write NIST SP 800-53 ids such as `RA-5` or `AC-2(1)`",
                    problems,
                )),
                other => problems.push(unknown_key(other, entry.key_span, IMPORT_KEYS)),
            }
        }
    }

    fn read_emass(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "emass", problems) else {
            return;
        };
        for entry in entries {
            let Some(key) = EMASS_KEYS.iter().find(|k| **k == entry.key) else {
                problems.push(unknown_key(&entry.key, entry.key_span, EMASS_KEYS));
                continue;
            };
            if let Some(value) = string(&entry.value, &format!("emass.{key}"), problems) {
                self.emass.push((key, value));
            }
        }
    }

    /// `emass.<key>`, when set.
    pub fn emass(&self, key: &str) -> Option<&str> {
        self.emass
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }

    fn read_system(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "system", problems) else {
            return;
        };
        for entry in entries {
            match entry.key.as_str() {
                "csp" => self.system.csp = string(&entry.value, "system.csp", problems),
                "name" => self.system.name = string(&entry.value, "system.name", problems),
                "fedramp_id" => {
                    self.system.fedramp_id = string(&entry.value, "system.fedramp_id", problems)
                        .map(|id| id.trim().to_owned());
                }
                "impact" => {
                    let impact = string(&entry.value, "system.impact", problems);
                    match impact.as_deref() {
                        Some("low" | "moderate" | "high") | None => self.system.impact = impact,
                        Some(other) => problems.push(ConfigProblem::new(
                            entry.value.span,
                            format!("`system.impact` must be `low`, `moderate` or `high`, found `{other}`"),
                            None,
                        )),
                    }
                }
                "baseline" => self.read_baseline(&entry.value, problems),
                other => problems.push(unknown_key(other, entry.key_span, SYSTEM_KEYS)),
            }
        }
    }

    /// `system.baseline: fedramp-low|fedramp-moderate|fedramp-high|fedramp-li-saas|none`.
    fn read_baseline(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(name) = string(node, "system.baseline", problems) else {
            return;
        };
        match crate::catalog::Baseline::from_name(&name) {
            Some(baseline) => self.elements.baseline = Some(baseline),
            None => {
                let names = crate::catalog::Baseline::names();
                let help = match suggest(&name, &names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("known baselines: {}", names.join(", ")),
                };
                problems.push(ConfigProblem::new(
                    node.span,
                    format!("unknown baseline `{name}`"),
                    Some(help),
                ));
            }
        }
    }

    /// `controls: {extra: [AC-2(100), ...]}`: controls in scope besides the baseline.
    fn read_controls(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "controls", problems) else {
            return;
        };
        for entry in entries {
            if entry.key != "extra" {
                problems.push(unknown_key(&entry.key, entry.key_span, CONTROLS_KEYS));
                continue;
            }
            self.elements.extra_controls.extend(control_list(
                &entry.value,
                "controls.extra",
                "e.g. `extra: [AC-2(100), SI-4(25)]`",
                "write control ids such as `AC-2(100)`: two letters, a number, an optional enhancement",
                problems,
            ));
        }
    }

    /// `inventory: inventory/` or `inventory: {path: inventory/, scan_days: 30}`.
    fn read_inventory(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        if let Value::Str(_) = node.value {
            if let Some(path) = string(node, "inventory", problems) {
                self.elements.inventory = Some(Sp::new(self.root.join(path), node.span));
            }
            return;
        }
        let Some(entries) = mapping(node, "inventory", problems) else {
            return;
        };
        for entry in entries {
            match entry.key.as_str() {
                "path" => {
                    if let Some(path) = string(&entry.value, "inventory.path", problems) {
                        self.elements.inventory =
                            Some(Sp::new(self.root.join(path), entry.value.span));
                    }
                }
                "scan_days" => {
                    self.elements.scan_days = days(&entry.value, "inventory.scan_days", problems);
                }
                other => problems.push(unknown_key(other, entry.key_span, INVENTORY_KEYS)),
            }
        }
    }

    /// `evidence: evidence/` or `evidence: {dir: evidence/}`.
    fn read_evidence(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let (dir, span) = if let Value::Str(_) = node.value {
            (string(node, "evidence", problems), node.span)
        } else {
            let Some(entries) = mapping(node, "evidence", problems) else {
                return;
            };
            let mut found = (None, node.span);
            for entry in entries {
                if entry.key == "dir" {
                    found = (
                        string(&entry.value, "evidence.dir", problems),
                        entry.value.span,
                    );
                } else {
                    problems.push(unknown_key(&entry.key, entry.key_span, EVIDENCE_KEYS));
                }
            }
            found
        };
        let Some(dir) = dir else { return };
        let dir = dir.trim().trim_end_matches('/').to_owned();
        if crate::model::item::is_valid_evidence_path(&dir) {
            self.evidence_dir = Some(Sp::new(dir, span));
        } else {
            problems.push(ConfigProblem::new(
                span,
                format!("`evidence.dir` `{dir}` is not a folder inside the repository"),
                Some(
                    "write a path relative to poam.yaml with `/` and no `..`, e.g. `evidence`"
                        .into(),
                ),
            ));
        }
    }

    /// Where `poam evidence add` copies files: `evidence.dir`, else `evidence`.
    pub fn evidence_dir(&self) -> &str {
        self.evidence_dir
            .as_ref()
            .map_or(crate::evidence::DEFAULT_EVIDENCE_DIR, |d| d.value.as_str())
    }

    /// `audiences: {NAME: {hide: [...], items: {controls: [...], risk: [...]}}}`.
    fn read_audiences(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "audiences", problems) else {
            return;
        };
        for entry in entries {
            let name = entry.key.clone();
            let path = format!("audiences.{name}");
            let mut audience = Audience::default();
            for part in mapping(&entry.value, &path, problems).unwrap_or_default() {
                match part.key.as_str() {
                    "hide" => {
                        for (text, span) in
                            string_list(&part.value, &format!("{path}.hide"), problems)
                        {
                            match Hidden::from_name(&text) {
                                Some(hidden) => audience.hide.push(hidden),
                                None => {
                                    let names = Hidden::names();
                                    problems.push(ConfigProblem::new(
                                        span,
                                        format!("`{path}.hide` cannot hide `{text}`"),
                                        Some(match suggest(&text, &names) {
                                            Some(near) => format!("did you mean `{near}`?"),
                                            None => {
                                                format!("what can be hidden: {}", names.join(", "))
                                            }
                                        }),
                                    ));
                                }
                            }
                        }
                    }
                    "items" => {
                        self.read_audience_items(&part.value, &path, &mut audience, problems)
                    }
                    other => problems.push(unknown_key(other, part.key_span, AUDIENCE_KEYS)),
                }
            }
            audience.hide.sort();
            audience.hide.dedup();
            self.audiences.insert(name, audience);
        }
    }

    fn read_audience_items(
        &self,
        node: &Node,
        path: &str,
        audience: &mut Audience,
        problems: &mut Vec<ConfigProblem>,
    ) {
        for entry in mapping(node, &format!("{path}.items"), problems).unwrap_or_default() {
            let list_path = format!("{path}.items.{}", entry.key);
            match entry.key.as_str() {
                "controls" => {
                    for (text, span) in string_list(&entry.value, &list_path, problems) {
                        let family = text.trim().to_ascii_uppercase();
                        if family.len() == 2 && family.chars().all(|c| c.is_ascii_alphabetic()) {
                            audience.controls.push(family);
                        } else if let Some(id) = normalize_control(&text) {
                            audience.controls.push(id);
                        } else {
                            problems.push(ConfigProblem::new(
                                span,
                                format!("`{text}` is not a control id or family"),
                                Some(
                                    "write control ids such as `SI-2` or families such as `SI`"
                                        .into(),
                                ),
                            ));
                        }
                    }
                }
                "risk" => {
                    for (text, span) in string_list(&entry.value, &list_path, problems) {
                        match crate::model::item::Risk::parse(&text) {
                            Some(risk) => audience.risk.push(risk),
                            None => problems.push(ConfigProblem::new(
                                span,
                                format!("`{text}` is not a rating"),
                                Some("write `low`, `moderate`, `high` or `critical`".into()),
                            )),
                        }
                    }
                }
                other => problems.push(unknown_key(other, entry.key_span, AUDIENCE_ITEM_KEYS)),
            }
        }
    }

    /// The inventory: `inventory:` when set, else `inventory/` beside `poam.yaml` when it
    /// exists; `None` for a bare folder of items. A folder, or one file.
    pub fn inventory_path(&self) -> Option<PathBuf> {
        match &self.elements.inventory {
            Some(path) => Some(path.value.clone()),
            None => {
                self.file.as_ref()?;
                Some(self.root.join(DEFAULT_INVENTORY_DIR)).filter(|d| d.is_dir())
            }
        }
    }

    /// How many days an asset may go unscanned before `inventory-not-scanned`.
    pub fn scan_days(&self) -> u32 {
        self.elements.scan_days.unwrap_or(DEFAULT_SCAN_DAYS)
    }

    /// The people file: `people:` when set, else `people.yaml` beside `poam.yaml` when it
    /// exists; `None` for a bare folder of items.
    pub fn people_file(&self) -> Option<PathBuf> {
        match &self.elements.people {
            Some(file) => Some(file.value.clone()),
            None => {
                self.file.as_ref()?;
                Some(self.root.join(DEFAULT_PEOPLE_FILE)).filter(|f| f.is_file())
            }
        }
    }

    /// `deadlines:` wins over the profile's defaults, wherever the two keys stand in the file.
    /// The keys are the profile's (`Profile::deadline_keys`): read once the profile is known.
    fn apply_deadline_overrides(&mut self, problems: &mut Vec<ConfigProblem>) {
        let keys = self.policy.profile.deadline_keys();
        for (key, span, days) in std::mem::take(&mut self.deadline_overrides) {
            let Some((_, slots)) = keys.iter().find(|(k, _)| *k == key) else {
                let names: Vec<&str> = keys.iter().map(|(k, _)| *k).collect();
                problems.push(unknown_key(&key, span, &names));
                continue;
            };
            let d = &mut self.policy.deadlines;
            for slot in slots.iter() {
                match slot {
                    0 => d.critical = days,
                    1 => d.high = days,
                    2 => d.moderate = days,
                    _ => d.low = days,
                }
            }
        }
    }

    fn read_deadlines(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "deadlines", problems) else {
            return;
        };
        for entry in entries {
            if let Some(days) = days(&entry.value, &format!("deadlines.{}", entry.key), problems) {
                self.deadline_overrides
                    .push((entry.key.clone(), entry.key_span, days));
            }
        }
    }

    fn read_rules(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "rules", problems) else {
            return;
        };
        for entry in entries {
            let Some(code) = Code::from_name(&entry.key) else {
                problems.push(unknown_key(&entry.key, entry.key_span, &Code::names()));
                continue;
            };
            let level = match &entry.value.value {
                Value::Str(s) => match s.as_str() {
                    "error" => Some(Level::Error),
                    "warning" => Some(Level::Warning),
                    "note" => Some(Level::Note),
                    "off" => Some(Level::Off),
                    _ => None,
                },
                // `off` without quotes is still a string under strict booleans, but `false` is not.
                Value::Bool(false) => Some(Level::Off),
                _ => None,
            };
            match level {
                Some(level) => {
                    self.rules.insert(code, level);
                }
                None => problems.push(ConfigProblem::new(
                    entry.value.span,
                    format!(
                        "rule level for `{}` must be `error`, `warning`, `note` or `off`",
                        entry.key
                    ),
                    None,
                )),
            }
        }
    }
}

/// One entry of `history_waivers`: a past history violation acknowledged, with a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryWaiver {
    /// The commit as written (a full id or an abbreviation).
    pub commit: String,
    /// The full id of the one commit `commit` names, once resolved against the repository
    /// (`None`: not resolved, or no such commit).
    pub resolved: Option<String>,
    /// A history rule (`due-changed`, ...).
    pub rule: Code,
    pub reason: String,
    /// The entry in `poam.yaml`.
    pub location: Location,
}

impl HistoryWaiver {
    /// True when the waiver names this full commit id: the one commit its id resolved to,
    /// never any commit that merely starts like it.
    pub fn names_commit(&self, commit: &str) -> bool {
        self.resolved
            .as_deref()
            .is_some_and(|resolved| resolved.eq_ignore_ascii_case(commit))
    }

    /// The commit as shown: its full id once resolved, else as written.
    pub fn shown_commit(&self) -> &str {
        self.resolved.as_deref().unwrap_or(&self.commit)
    }
}

const WAIVER_KEYS: &[&str] = &["commit", "rule", "reason"];

/// Reads `history_waivers: [{commit, rule, reason}]`; every problem is pushed at its place.
pub fn read_history_waivers(node: &Node, problems: &mut Vec<ConfigProblem>) -> Vec<HistoryWaiver> {
    let entries = list(
        node,
        "history_waivers",
        "write each waiver as `- {commit: <id>, rule: <history rule>, reason: <why>}`",
        problems,
    );
    let waivable: Vec<&'static str> = Code::iter()
        .filter(|c| c.is_waivable())
        .map(Code::as_str)
        .collect();
    let mut waivers = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("history_waivers[{index}]");
        let Some(fields) = entry_mapping(entry, &path, problems) else {
            continue;
        };
        let (mut commit, mut rule, mut reason) = (None, None, None);
        for field in fields {
            let value = &field.value;
            match field.key.as_str() {
                "commit" => match &value.value {
                    Value::Str(s) if is_commit_id(s.trim()) => commit = Some(s.trim().to_owned()),
                    _ => problems.push(ConfigProblem::new(
                        value.span,
                        format!("`{path}.commit` must be a commit id of 4 to 40 hex digits"),
                        Some("quote an id made of digits only: `commit: \"1234567\"`".into()),
                    )),
                },
                "rule" => {
                    let name = string(value, &format!("{path}.rule"), problems);
                    match name.as_deref().map(|n| (n, Code::from_name(n))) {
                        Some((_, Some(code))) if code.is_waivable() => rule = Some(code),
                        Some((name, _)) => problems.push(ConfigProblem::new(
                            value.span,
                            format!("`{name}` is not a history rule that can be waived"),
                            Some(match suggest(name, &waivable) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => format!("history rules: {}", waivable.join(", ")),
                            }),
                        )),
                        None => {}
                    }
                }
                "reason" => reason = string(value, &format!("{path}.reason"), problems),
                other => problems.push(unknown_key(other, field.key_span, WAIVER_KEYS)),
            }
        }
        let missing: Vec<&str> = [
            ("commit", commit.is_none()),
            ("rule", rule.is_none()),
            ("reason", reason.is_none()),
        ]
        .into_iter()
        .filter(|(key, absent)| *absent && !fields.iter().any(|f| f.key == *key))
        .map(|(key, _)| key)
        .collect();
        if !missing.is_empty() {
            problems.push(ConfigProblem::new(
                entry.span,
                format!("`{path}` lacks `{}`", missing.join("`, `")),
                Some("a waiver names the `commit`, the `rule` it broke and the `reason` it is accepted".into()),
            ));
        }
        if let (Some(commit), Some(rule), Some(reason)) = (commit, rule, reason) {
            waivers.push(HistoryWaiver {
                commit,
                resolved: None,
                rule,
                reason,
                location: Location {
                    file: String::new(),
                    span: entry.span,
                    start: LineCol { line: 1, column: 1 },
                    end: LineCol { line: 1, column: 1 },
                },
            });
        }
    }
    waivers
}

/// One entry of `waivers`: the findings of one rule on one item, accepted until a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiver {
    /// The item id as written.
    pub item: String,
    pub rule: Code,
    pub reason: String,
    /// The last day the waiver holds; from the day after, the findings return.
    pub expires: NaiveDate,
    /// The ticket that tracks the acceptance, when given.
    pub ticket: Option<String>,
    /// The entry in `poam.yaml`.
    pub location: Location,
}

const ITEM_WAIVER_KEYS: &[&str] = &["item", "rule", "reason", "expires", "ticket"];

/// Reads `waivers: [{item, rule, reason, expires, ticket}]`; every problem is pushed at its
/// place. The rule must exist and be one a waiver can silence (a finding about items, not
/// about the waivers, the baseline or the repository); whether the item exists is known only
/// once the items are read (`waiver-unknown-item`).
pub fn read_waivers(node: &Node, problems: &mut Vec<ConfigProblem>) -> Vec<Waiver> {
    let entries = list(
        node,
        "waivers",
        "write each waiver as `- {item: V-1, rule: overdue, reason: <why>, expires: 2027-01-31}`",
        problems,
    );
    let waivable: Vec<&'static str> = Code::iter()
        .filter(|c| c.is_item_waivable())
        .map(Code::as_str)
        .collect();
    let mut waivers = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("waivers[{index}]");
        let Some(fields) = entry_mapping(entry, &path, problems) else {
            continue;
        };
        let (mut item, mut rule, mut reason, mut expires, mut ticket) =
            (None, None, None, None, None);
        for field in fields {
            let value = &field.value;
            match field.key.as_str() {
                "item" => item = string(value, &format!("{path}.item"), problems),
                "rule" => {
                    let name = string(value, &format!("{path}.rule"), problems);
                    match name.as_deref().map(|n| (n, Code::from_name(n))) {
                        Some((_, Some(code))) if code.is_item_waivable() => rule = Some(code),
                        Some((name, known)) => problems.push(ConfigProblem::new(
                            value.span,
                            match known {
                                Some(_) => format!("`{name}` cannot be waived per item: it is not a finding about an item"),
                                None => format!("`{name}` is not a rule"),
                            },
                            Some(match suggest(name, &waivable) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "`poam rules` lists the rules".into(),
                            }),
                        )),
                        None => {}
                    }
                }
                "reason" => reason = string(value, &format!("{path}.reason"), problems),
                "ticket" => ticket = string(value, &format!("{path}.ticket"), problems),
                "expires" => {
                    let text = string(value, &format!("{path}.expires"), problems);
                    match text
                        .as_deref()
                        .map(|t| (t, crate::model::item::parse_date(t)))
                    {
                        Some((_, Some(date))) => expires = Some(date),
                        Some((text, None)) => problems.push(ConfigProblem::new(
                            value.span,
                            format!("`{path}.expires` must be a date YYYY-MM-DD, found `{text}`"),
                            None,
                        )),
                        None => {}
                    }
                }
                other => problems.push(unknown_key(other, field.key_span, ITEM_WAIVER_KEYS)),
            }
        }
        let missing: Vec<&str> = [
            ("item", item.is_none()),
            ("rule", rule.is_none()),
            ("reason", reason.is_none()),
            ("expires", expires.is_none()),
        ]
        .into_iter()
        .filter(|(key, absent)| *absent && !fields.iter().any(|f| f.key == *key))
        .map(|(key, _)| key)
        .collect();
        if !missing.is_empty() {
            problems.push(ConfigProblem::new(
                entry.span,
                format!("`{path}` lacks `{}`", missing.join("`, `")),
                Some("a waiver names the `item`, the `rule`, the `reason` it is accepted and the date it `expires`".into()),
            ));
        }
        if let (Some(item), Some(rule), Some(reason), Some(expires)) = (item, rule, reason, expires)
        {
            waivers.push(Waiver {
                item,
                rule,
                reason,
                expires,
                ticket,
                location: Location {
                    file: String::new(),
                    span: entry.span,
                    start: LineCol { line: 1, column: 1 },
                    end: LineCol { line: 1, column: 1 },
                },
            });
        }
    }
    waivers
}

fn is_commit_id(text: &str) -> bool {
    (4..=40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn unknown_key(key: &str, span: Span, known: &[&'static str]) -> ConfigProblem {
    let help = match suggest(key, known) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("known keys: {}", known.join(", ")),
    };
    ConfigProblem::new(span, format!("unknown key `{key}`"), Some(help))
}

/// The control ids of the list at `key`, each written canonically; a value that is not a list
/// (`example` shows one) or an entry that is not a control id (`help` says what is) is
/// reported.
fn control_list(
    node: &Node,
    key: &str,
    example: &str,
    help: &str,
    problems: &mut Vec<ConfigProblem>,
) -> Vec<String> {
    let Value::Seq(controls) = &node.value else {
        problems.push(ConfigProblem::new(
            node.span,
            format!("`{key}` must be a list of control ids"),
            Some(example.to_owned()),
        ));
        return Vec::new();
    };
    let mut ids = Vec::new();
    for control in controls {
        let text = string(control, &format!("{key}[]"), problems);
        match text.as_deref().map(normalize_control) {
            Some(Some(id)) => ids.push(id),
            Some(None) => problems.push(ConfigProblem::new(
                control.span,
                format!("`{}` is not a control id", text.unwrap_or_default()),
                Some(help.to_owned()),
            )),
            None => {}
        }
    }
    ids
}

/// The entries of the list at `key` (none when it is empty, or is not a list: reported with
/// `help`).
fn list<'n>(
    node: &'n Node,
    key: &str,
    help: &str,
    problems: &mut Vec<ConfigProblem>,
) -> &'n [Node] {
    match &node.value {
        Value::Seq(entries) => entries.as_slice(),
        Value::Null => &[],
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`{key}` must be a list, found {}", node.kind()),
                Some(help.to_owned()),
            ));
            &[]
        }
    }
}

/// The fields of the list entry at `path`; `None`, reported, when it is empty or not a
/// mapping.
fn entry_mapping<'n>(
    entry: &'n Node,
    path: &str,
    problems: &mut Vec<ConfigProblem>,
) -> Option<&'n [crate::model::Entry]> {
    let fields = mapping(entry, path, problems);
    if fields.is_none() && matches!(entry.value, Value::Null) {
        problems.push(ConfigProblem::new(
            entry.span,
            format!("`{path}` is empty"),
            None,
        ));
    }
    fields
}

fn mapping<'n>(
    node: &'n Node,
    path: &str,
    problems: &mut Vec<ConfigProblem>,
) -> Option<&'n [crate::model::Entry]> {
    match &node.value {
        Value::Map(entries) => Some(entries),
        Value::Null => None,
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`{path}` must be a mapping, found {}", node.kind()),
                None,
            ));
            None
        }
    }
}

fn string(node: &Node, path: &str, problems: &mut Vec<ConfigProblem>) -> Option<String> {
    match &node.value {
        Value::Str(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Null => None,
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`{path}` must be a non-empty string, found {}", node.kind()),
                None,
            ));
            None
        }
    }
}

/// A list of non-empty strings (or one string), each with its place.
fn string_list(node: &Node, path: &str, problems: &mut Vec<ConfigProblem>) -> Vec<(String, Span)> {
    match &node.value {
        Value::Seq(values) => values
            .iter()
            .filter_map(|v| string(v, &format!("{path}[]"), problems).map(|s| (s, v.span)))
            .collect(),
        Value::Str(_) => string(node, path, problems)
            .map(|s| vec![(s, node.span)])
            .unwrap_or_default(),
        Value::Null => Vec::new(),
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`{path}` must be a list of words, found {}", node.kind()),
                None,
            ));
            Vec::new()
        }
    }
}

fn days(node: &Node, path: &str, problems: &mut Vec<ConfigProblem>) -> Option<u32> {
    match node.value {
        Value::Int(i) if (1..=3650).contains(&i) => u32::try_from(i).ok(),
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`{path}` must be a whole number of days between 1 and 3650"),
                None,
            ));
            None
        }
    }
}

/// The nearest `poam.yaml` in `dir` or a folder above it.
fn find_upward(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|candidate| candidate.is_file())
}

/// Why `path`, which is not a file, cannot be read as one.
fn not_a_file(path: &Path) -> &'static str {
    if path.exists() {
        "is not a regular file"
    } else {
        "does not exist"
    }
}

/// `path` as the user would type it from the working directory: relative when it lies below
/// it, else as it is.
pub fn name_from_cwd(path: &Path) -> String {
    let absolute = std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let cwd = std::fs::canonicalize(cwd).ok()?;
            let full = std::fs::canonicalize(path).ok().or_else(|| {
                // A path that does not exist yet: canonicalize its parent.
                let parent = std::fs::canonicalize(path.parent()?).ok()?;
                Some(parent.join(path.file_name()?))
            })?;
            full.strip_prefix(&cwd).ok().map(Path::to_path_buf)
        })
        .filter(|relative| !relative.as_os_str().is_empty());
    absolute
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}
