//! `poam.yaml`: where the items live, the deadline profile and rule severities.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::code::Code;
use crate::code::Severity;
use crate::error::{ConfigError, ConfigProblem, Error};
use crate::model::item::{normalize_control, suggest};
use crate::model::{Node, Sp, Span, Value};
use crate::parse;
pub use crate::policy::profile::{Deadlines, Policy, Profile};
use crate::source::SourceFile;

pub const CONFIG_FILE: &str = "poam.yaml";

const CONFIG_KEYS: &[&str] = &[
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
    "import",
    "id_prefix",
];
const SYSTEM_KEYS: &[&str] = &["csp", "name", "impact"];
const IMPORT_KEYS: &[&str] = &["default_owner", "default_controls"];
/// What new item ids start with when `id_prefix:` does not say.
pub const DEFAULT_ID_PREFIX: &str = "V-";
const DEADLINE_KEYS: &[&str] = &["critical", "high", "moderate", "low"];

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
    deadline_overrides: [Option<u32>; 4],
    pub kev_catalog: Option<PathBuf>,
    pub rules: BTreeMap<Code, Level>,
    pub history_since: Option<Sp<String>>,
    pub import: ImportSettings,
    /// What new item ids start with ([`DEFAULT_ID_PREFIX`] unless set).
    pub id_prefix: String,
    /// Where `deadlines:` is written, for findings about it.
    pub deadlines_span: Option<Span>,
    /// The text of `poam.yaml`, for findings and errors that point into it.
    pub source: Option<SourceFile>,
}

impl Config {
    /// The configuration of a bare folder of items.
    pub fn for_items_dir(dir: &Path) -> Config {
        Config {
            file: None,
            root: dir.to_path_buf(),
            items_dir: dir.to_path_buf(),
            system: System::default(),
            policy: Policy::of(Profile::default()),
            deadline_overrides: [None; 4],
            kev_catalog: None,
            rules: BTreeMap::new(),
            history_since: None,
            import: ImportSettings::default(),
            id_prefix: DEFAULT_ID_PREFIX.to_owned(),
            deadlines_span: None,
            source: None,
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
        let bytes = std::fs::read(file).map_err(|source| Error::Io {
            path: file.to_path_buf(),
            source,
        })?;
        let root = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut config = Config::for_items_dir(&root.join("poams"));
        config.root = root;
        config.file = Some(file.to_path_buf());
        let name = name_from_cwd(file);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut problems = Vec::new();
        // Every key is optional: an empty or comment-only file is the default configuration.
        let node = if parse::is_blank(&text) {
            None
        } else {
            match parse::parse_bytes(&bytes) {
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
        config.apply_deadline_overrides();
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
        if let Some(kev) = &config.kev_catalog {
            if !kev.is_file() {
                problems.push(ConfigProblem::new(
                    span_of("kev_catalog"),
                    format!("KEV catalog `{}` does not exist", name_from_cwd(kev)),
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
            None => Error::History(message),
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
                "import" => self.read_import(value, problems),
                "id_prefix" => {
                    if let Some(prefix) = string(value, "id_prefix", problems) {
                        // The prefix plus a number must be a valid item id.
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
                other => problems.push(unknown_key(other, entry.key_span, CONFIG_KEYS)),
            }
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
                "default_controls" => {
                    let Value::Seq(controls) = &entry.value.value else {
                        problems.push(ConfigProblem::new(
                            entry.value.span,
                            "`import.default_controls` must be a list of control ids".into(),
                            Some("e.g. `default_controls: [RA-5, SI-2]`".into()),
                        ));
                        continue;
                    };
                    for control in controls {
                        let text = string(control, "import.default_controls[]", problems);
                        match text.as_deref().map(normalize_control) {
                            Some(Some(id)) => self.import.default_controls.push(id),
                            Some(None) => problems.push(ConfigProblem::new(
                                control.span,
                                format!("`{}` is not a control id", text.unwrap_or_default()),
                                Some("write NIST SP 800-53 ids such as `RA-5` or `AC-2(1)`".into()),
                            )),
                            None => {}
                        }
                    }
                }
                other => problems.push(unknown_key(other, entry.key_span, IMPORT_KEYS)),
            }
        }
    }

    fn read_system(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "system", problems) else {
            return;
        };
        for entry in entries {
            match entry.key.as_str() {
                "csp" => self.system.csp = string(&entry.value, "system.csp", problems),
                "name" => self.system.name = string(&entry.value, "system.name", problems),
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
                other => problems.push(unknown_key(other, entry.key_span, SYSTEM_KEYS)),
            }
        }
    }

    /// `deadlines:` wins over the profile's defaults, wherever the two keys stand in the file.
    fn apply_deadline_overrides(&mut self) {
        let [critical, high, moderate, low] = self.deadline_overrides;
        let d = &mut self.policy.deadlines;
        d.critical = critical.unwrap_or(d.critical);
        d.high = high.unwrap_or(d.high);
        d.moderate = moderate.unwrap_or(d.moderate);
        d.low = low.unwrap_or(d.low);
    }

    fn read_deadlines(&mut self, node: &Node, problems: &mut Vec<ConfigProblem>) {
        let Some(entries) = mapping(node, "deadlines", problems) else {
            return;
        };
        for entry in entries {
            let slot = match entry.key.as_str() {
                "critical" => &mut self.deadline_overrides[0],
                "high" => &mut self.deadline_overrides[1],
                "moderate" => &mut self.deadline_overrides[2],
                "low" => &mut self.deadline_overrides[3],
                other => {
                    problems.push(unknown_key(other, entry.key_span, DEADLINE_KEYS));
                    continue;
                }
            };
            if let Some(days) = days(&entry.value, &format!("deadlines.{}", entry.key), problems) {
                *slot = Some(days);
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

fn unknown_key(key: &str, span: Span, known: &[&'static str]) -> ConfigProblem {
    let help = match suggest(key, known) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("known keys: {}", known.join(", ")),
    };
    ConfigProblem::new(span, format!("unknown key `{key}`"), Some(help))
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
