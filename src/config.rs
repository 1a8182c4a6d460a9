//! `poam.yaml`: where the items live, the deadline profile and rule severities.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::code::Code;
use crate::code::Severity;
use crate::error::{ConfigError, ConfigProblem, Error};
use crate::model::item::suggest;
use crate::model::LineCol;
use crate::model::{Node, Span, Value};
use crate::parse;
pub use crate::policy::profile::{Deadlines, Policy, Profile};
use crate::source::{Location, SourceFile};
use strum::IntoEnumIterator;

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
    "history_waivers",
];
const SYSTEM_KEYS: &[&str] = &["csp", "name", "impact"];
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
    pub history_since: Option<String>,
    /// `history_waivers:`: past history violations acknowledged, with a reason.
    pub history_waivers: Vec<HistoryWaiver>,
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
            history_waivers: Vec::new(),
        }
    }

    /// The severity a finding of `code` gets, `None` when the rule is off.
    pub fn level_of(&self, code: Code, default: Severity) -> Option<Severity> {
        match self.rules.get(&code) {
            Some(level) => level.severity(),
            None => Some(default),
        }
    }

    /// Finds the configuration for `path` (a repo root holding `poam.yaml`, or a bare folder
    /// of items), or by walking up from the working directory when no path is given.
    pub fn discover(path: Option<&Path>, explicit: Option<&Path>) -> Result<Config, Error> {
        if let Some(file) = explicit {
            return Config::load(file);
        }
        match path {
            Some(path) => {
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
                let candidate = path.join(CONFIG_FILE);
                if candidate.is_file() {
                    Config::load(&candidate)
                } else {
                    Ok(Config::for_items_dir(path))
                }
            }
            None => {
                let cwd = std::env::current_dir().map_err(|source| Error::Io {
                    path: PathBuf::from("."),
                    source,
                })?;
                for dir in cwd.ancestors() {
                    let candidate = dir.join(CONFIG_FILE);
                    if candidate.is_file() {
                        return Config::load(&candidate);
                    }
                }
                Err(Error::NoConfig { start: cwd })
            }
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
        let name = file.display().to_string();
        let (text, node) = match parse::parse_bytes(&bytes) {
            Ok(parsed) => parsed,
            Err(err) => {
                let source = SourceFile::new(name, String::from_utf8_lossy(&bytes).into_owned());
                return Err(Error::Config(ConfigError::new(
                    source,
                    vec![ConfigProblem::new(err.span, err.message, None)],
                )));
            }
        };
        let mut problems = Vec::new();
        config.read(&node, &mut problems);
        if !config.history_waivers.is_empty() {
            let located = SourceFile::new(name.clone(), text.clone());
            for waiver in &mut config.history_waivers {
                waiver.location = located.location(waiver.location.span);
            }
        }
        config.apply_deadline_overrides();
        if !config.items_dir.is_dir() && problems.is_empty() {
            let span = node.get("items").map_or(Span::new(0, 0), |e| e.value.span);
            problems.push(ConfigProblem::new(
                span,
                format!(
                    "items folder `{}` does not exist",
                    config.items_dir.display()
                ),
                Some("create it, or point `items:` at the folder that holds the item files".into()),
            ));
        }
        if let Some(kev) = &config.kev_catalog {
            if !kev.is_file() && problems.is_empty() {
                let span = node
                    .get("kev_catalog")
                    .map_or(Span::new(0, 0), |e| e.value.span);
                problems.push(ConfigProblem::new(
                    span,
                    format!("KEV catalog `{}` does not exist", kev.display()),
                    Some("download CISA's known_exploited_vulnerabilities.json, or remove `kev_catalog`".into()),
                ));
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(Error::Config(ConfigError::new(
                SourceFile::new(name, text),
                problems,
            )))
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
                "deadlines" => self.read_deadlines(value, problems),
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
                        self.history_since = Some(since);
                    }
                }
                "history_waivers" => self.history_waivers = read_history_waivers(value, problems),
                other => problems.push(unknown_key(other, entry.key_span, CONFIG_KEYS)),
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

/// One entry of `history_waivers`: a past history violation acknowledged, with a reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryWaiver {
    /// The commit as written (a full id or an abbreviation).
    pub commit: String,
    /// A history rule (`due-changed`, ...).
    pub rule: Code,
    pub reason: String,
    /// The entry in `poam.yaml`.
    pub location: Location,
}

impl HistoryWaiver {
    /// True when the waiver names this full commit id (the id itself or an abbreviation of at
    /// least 4 hex digits, any case).
    pub fn names_commit(&self, commit: &str) -> bool {
        let wanted = self.commit.trim();
        wanted.len() >= 4
            && commit.len() >= wanted.len()
            && commit.is_char_boundary(wanted.len())
            && commit[..wanted.len()].eq_ignore_ascii_case(wanted)
    }
}

const WAIVER_KEYS: &[&str] = &["commit", "rule", "reason"];

/// Reads `history_waivers: [{commit, rule, reason}]`; every problem is pushed at its place.
pub fn read_history_waivers(node: &Node, problems: &mut Vec<ConfigProblem>) -> Vec<HistoryWaiver> {
    let entries = match &node.value {
        Value::Seq(entries) => entries.as_slice(),
        Value::Null => &[],
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`history_waivers` must be a list, found {}", node.kind()),
                Some(
                    "write each waiver as `- {commit: <id>, rule: <history rule>, reason: <why>}`"
                        .into(),
                ),
            ));
            &[]
        }
    };
    let waivable: Vec<&'static str> = Code::iter()
        .filter(|c| c.is_waivable())
        .map(Code::as_str)
        .collect();
    let mut waivers = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("history_waivers[{index}]");
        let Some(fields) = mapping(entry, &path, problems) else {
            if matches!(entry.value, Value::Null) {
                problems.push(ConfigProblem::new(
                    entry.span,
                    format!("`{path}` is empty"),
                    None,
                ));
            }
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
