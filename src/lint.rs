//! `poam lint`: find the item files, parse them in parallel, run the rules, collect findings.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::history::audit::{self, Violation};
use crate::history::{self, HistoryError, WalkOptions};
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::Span;
use crate::parse::{self, ParseError, MAX_FILE_BYTES};
use crate::rules::duplicate_id::{self, IdSite};
use crate::rules::{self, parse_error, CurrentFile, HistoryContext, ItemContext, ItemsFolder};
use crate::source::SourceFile;

/// Everything a renderer needs.
#[derive(Debug)]
pub struct Report {
    pub today: NaiveDate,
    /// How many item files were found (readable or not).
    pub items: usize,
    /// Sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file a diagnostic points into, by its relative name.
    pub sources: BTreeMap<String, SourceFile>,
}

/// One item file after reading and parsing.
pub struct LoadedItem {
    pub path: PathBuf,
    pub source: SourceFile,
    /// `None` when the file could not be parsed.
    pub item: Option<Item>,
}

/// Which history the history rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryMode {
    /// No history rules (`--no-history`).
    Off,
    /// The whole first-parent history of HEAD.
    Full,
    /// The change from the merge base of this revision and HEAD to the working tree (`--base`).
    Base(String),
}

/// What lint needs besides the config.
#[derive(Clone, Debug)]
pub struct LintInput {
    pub today: NaiveDate,
    pub history: HistoryMode,
    /// Show a progress bar on a terminal when the history walk takes a while.
    pub progress: bool,
}

/// What the field rules need from history.
#[derive(Clone, Debug, Default)]
pub struct RuleInput {
    /// Item id → date the item last changed in git, for a missing `status_date`.
    pub last_changed: HashMap<String, NaiveDate>,
}

/// An item file found in the items folder.
#[derive(Clone, Debug)]
pub struct ItemPath {
    pub path: PathBuf,
    /// What the directory listing said, so regular files need no extra `stat`.
    pub kind: EntryKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Symlink,
    /// A FIFO, socket or device: never opened, since reading a FIFO would block.
    Other,
}

/// Lists the item files under the items folder, sorted, skipping hidden entries.
pub fn item_files(items_dir: &Path) -> Result<Vec<ItemPath>, Error> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(items_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|err| Error::Io {
            path: err.path().unwrap_or(items_dir).to_path_buf(),
            source: err
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
        })?;
        let is_yaml = entry
            .path()
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml");
        let file_type = entry.file_type();
        if !is_yaml || file_type.is_dir() {
            continue;
        }
        let kind = if file_type.is_file() {
            EntryKind::File
        } else if file_type.is_symlink() {
            EntryKind::Symlink
        } else {
            EntryKind::Other
        };
        files.push(ItemPath {
            path: entry.into_path(),
            kind,
        });
    }
    Ok(files)
}

/// Relative name with `/` separators, as findings show it.
pub fn display_name(path: &Path, root: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads one file without following it out of `root`, refusing non-files and huge files.
fn read_item_file(file: &ItemPath, root: &Path) -> Result<Vec<u8>, String> {
    let path = &file.path;
    match file.kind {
        EntryKind::File => {}
        EntryKind::Other => return Err("not a regular file".to_owned()),
        EntryKind::Symlink => {
            let target = std::fs::canonicalize(path).map_err(|e| format!("broken symlink: {e}"))?;
            let root = std::fs::canonicalize(root)
                .map_err(|e| format!("cannot resolve repository root: {e}"))?;
            if !target.starts_with(&root) {
                return Err(format!(
                    "symlink points outside the repository (to {})",
                    target.display()
                ));
            }
            if !std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
                return Err("symlink does not point to a regular file".to_owned());
            }
        }
    }
    let mut handle = std::fs::File::open(path).map_err(|e| format!("cannot read file: {e}"))?;
    // Sizing the buffer from the file's length saves the growth and probe reads.
    let length = handle.metadata().map_or(0, |m| m.len());
    let mut bytes =
        Vec::with_capacity(usize::try_from(length).unwrap_or(0).min(MAX_FILE_BYTES) + 1);
    // Read one byte past the limit so the parser can say the file is too large.
    (&mut handle)
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read file: {e}"))?;
    Ok(bytes)
}

/// Reads and parses one file. Never fails: problems become a `parse-error` source.
pub fn load_item(file: &ItemPath, display_root: &Path) -> (LoadedItem, Option<ParseError>) {
    let path = &file.path;
    let name = display_name(path, display_root);
    let parsed = read_item_file(file, display_root)
        .map_err(|message| {
            (
                String::new(),
                ParseError {
                    message,
                    span: Span::new(0, 0),
                },
            )
        })
        .and_then(parse::parse_owned);
    match parsed {
        Ok((text, node)) => {
            let item = if node.as_map().is_some() {
                Some(Item::from_node(&node, &text))
            } else {
                None
            };
            let error = item.is_none().then(|| ParseError {
                message: format!("an item must be a YAML mapping, found {}", node.kind()),
                span: node.span,
            });
            (
                LoadedItem {
                    path: path.to_path_buf(),
                    source: SourceFile::new(name, text),
                    item,
                },
                error,
            )
        }
        Err((text, err)) => (
            LoadedItem {
                path: path.to_path_buf(),
                source: SourceFile::new(name, text),
                item: None,
            },
            Some(err),
        ),
    }
}

/// Loads every item file in parallel.
pub fn load_items(
    config: &Config,
    display_root: &Path,
) -> Result<Vec<(LoadedItem, Option<ParseError>)>, Error> {
    let mut files = item_files(&config.items_dir)?;
    // With `items: .` the config file sits among the items; it is not one.
    if let Some(config_file) = config
        .file
        .as_deref()
        .and_then(|f| std::fs::canonicalize(f).ok())
    {
        files.retain(|f| {
            f.path.file_name() != config_file.file_name()
                || std::fs::canonicalize(&f.path).map_or(true, |p| p != config_file)
        });
    }
    Ok(files
        .par_iter()
        .map(|path| load_item(path, display_root))
        .collect())
}

pub fn load_kev(config: &Config) -> Result<Option<KevCatalog>, Error> {
    config
        .kev_catalog
        .as_deref()
        .map(KevCatalog::load)
        .transpose()
}

/// Runs the field and deadline rules over the loaded items.
pub fn check_items(
    config: &Config,
    today: NaiveDate,
    input: &RuleInput,
    kev: Option<&KevCatalog>,
    loaded: &[(LoadedItem, Option<ParseError>)],
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = loaded
        .par_iter()
        .flat_map_iter(|(file, error)| {
            if let Some(error) = error {
                return rules::apply_levels(
                    config,
                    vec![parse_error::diagnostic(&file.source, error)],
                );
            }
            let Some(item) = &file.item else {
                return Vec::new();
            };
            let stem = file
                .path
                .file_stem()
                .map(|s| s.to_string_lossy())
                .unwrap_or_default();
            let ctx = ItemContext {
                file: &file.source,
                item,
                config,
                today,
                kev,
                file_stem: &stem,
                last_changed: item
                    .id_text()
                    .and_then(|id| input.last_changed.get(id).copied()),
            };
            rules::check_item(&ctx)
        })
        .collect();
    let sites: Vec<IdSite> = loaded
        .iter()
        .filter_map(|(file, _)| {
            let id = file.item.as_ref()?.id.as_ref()?;
            Some(IdSite {
                id: id.value.clone(),
                location: file.source.location(id.span),
            })
        })
        .collect();
    diagnostics.extend(rules::apply_levels(config, duplicate_id::check(&sites)));
    diagnostics
}

/// Assembles the final report: sorted findings plus the sources they point into.
pub fn finish(
    today: NaiveDate,
    loaded: Vec<(LoadedItem, Option<ParseError>)>,
    mut diagnostics: Vec<Diagnostic>,
) -> Report {
    let items = loaded.len();
    diag::sort(&mut diagnostics);
    let wanted: std::collections::BTreeSet<&str> = diagnostics
        .iter()
        .flat_map(|d| {
            std::iter::once(d.location.file.as_str())
                .chain(d.related.iter().map(|r| r.location.file.as_str()))
        })
        .collect();
    let (kept, unused): (Vec<_>, Vec<_>) = loaded
        .into_iter()
        .partition(|(file, _)| wanted.contains(file.source.name.as_str()));
    let sources = kept
        .into_iter()
        .map(|(file, _)| (file.source.name.clone(), file.source))
        .collect();
    // Freeing thousands of parsed items takes a noticeable moment; nothing waits for it.
    std::thread::spawn(move || drop(unused));
    Report {
        today,
        items,
        diagnostics,
        sources,
    }
}

/// Lints the items of `config`: field and deadline rules, then history rules.
pub fn lint(config: &Config, input: &LintInput) -> Result<Report, Error> {
    let kev = load_kev(config)?;
    let mut diagnostics = Vec::new();
    let repo = match input.history {
        HistoryMode::Off => None,
        HistoryMode::Full | HistoryMode::Base(_) => match history::open(&config.items_dir) {
            Ok(repo) => Some(repo),
            Err(HistoryError::NotARepo { .. }) if input.history == HistoryMode::Full => None,
            Err(err) => return Err(Error::History(err.to_string())),
        },
    };
    let display_root = repo
        .as_ref()
        .map_or_else(|| config.root.clone(), |r| r.root().to_path_buf());
    let folder_name = display_name(
        config.file.as_deref().unwrap_or(&config.items_dir),
        &display_root,
    );
    let folder = ItemsFolder {
        name: if folder_name.is_empty() {
            ".".to_owned()
        } else {
            folder_name
        },
    };
    if input.history == HistoryMode::Full && repo.is_none() {
        diagnostics.extend(rules::history_unavailable(
            config,
            &folder,
            "the items are not in a git repository",
        ));
    }
    let loaded = load_items(config, &display_root)?;
    let mut rule_input = RuleInput::default();
    let mut violations = Vec::new();
    if let Some(repo) = &repo {
        let options = WalkOptions {
            progress: input.progress,
        };
        let history_error = |err: HistoryError| Error::History(err.to_string());
        let cutoff = config
            .history_since
            .as_deref()
            .map(|spec| repo.resolve_since(spec))
            .transpose()
            .map_err(history_error)?;
        match &input.history {
            HistoryMode::Base(rev) => {
                let pr = repo.pr_history(rev, options).map_err(history_error)?;
                violations = audit::audit_pr(&pr, cutoff.as_ref());
            }
            _ => {
                let history = repo.full_history(options).map_err(history_error)?;
                if history.head.is_none() {
                    diagnostics.extend(rules::history_unavailable(
                        config,
                        &folder,
                        "the repository has no commits yet",
                    ));
                }
                if let Some(warning) = history.shallow_warning() {
                    diagnostics.extend(rules::history_shallow(config, &folder, &warning));
                }
                for (file, _) in &loaded {
                    let Some(id) = file.item.as_ref().and_then(Item::id_text) else {
                        continue;
                    };
                    // At a shallow boundary the last change is unknown: better no date than a wrong one.
                    if let Some(change) = history.last_change(id).filter(|c| c.exact) {
                        let date = change.commit.time.with_timezone(&chrono::Utc).date_naive();
                        rule_input.last_changed.insert(id.to_owned(), date);
                    }
                }
                violations = audit::audit_history(&history, cutoff.as_ref());
                // Freeing a large history takes a noticeable moment; nothing waits for it.
                std::thread::spawn(move || drop(history));
            }
        }
    }
    diagnostics.extend(check_items(
        config,
        input.today,
        &rule_input,
        kev.as_ref(),
        &loaded,
    ));
    if !violations.is_empty() {
        let ctx = history_context(&loaded, &violations);
        diagnostics.extend(rules::check_history(config, &violations, &ctx));
    }
    Ok(finish(input.today, loaded, diagnostics))
}

/// The current files of the items the violations concern, re-parsed for field lookup (few
/// items have violations, so the trees of the others are not kept).
fn history_context<'a>(
    loaded: &'a [(LoadedItem, Option<ParseError>)],
    violations: &[Violation],
) -> HistoryContext<'a> {
    let ids: std::collections::HashSet<&str> =
        violations.iter().map(|v| v.item_id.as_str()).collect();
    let paths: std::collections::HashSet<&str> =
        violations.iter().map(|v| v.path.as_str()).collect();
    let mut current = HashMap::new();
    for (file, _) in loaded {
        let id = file.item.as_ref().and_then(Item::id_text);
        let by_id = id.filter(|id| ids.contains(id));
        let by_path = paths.contains(file.source.name.as_str());
        if by_id.is_none() && !by_path {
            continue;
        }
        let Ok(node) = parse::parse_str(&file.source.text) else {
            continue;
        };
        let node = std::rc::Rc::new(node);
        // A file is found by its current id, or by its path when the id changed since.
        if let Some(id) = by_id {
            current.entry(id.to_owned()).or_insert_with(|| CurrentFile {
                source: &file.source,
                node: node.clone(),
            });
        }
        if by_path {
            current
                .entry(file.source.name.clone())
                .or_insert(CurrentFile {
                    source: &file.source,
                    node,
                });
        }
    }
    HistoryContext { current }
}
