//! The workspace every command starts from: `poam.yaml`, the item files read and parsed in
//! parallel, the KEV catalog, the people file and the inventory.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::Error;
use crate::history::{History, HistoryError, WalkOptions};
use crate::inventory::Inventory;
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::Span;
use crate::parse::{self, ParseError, MAX_FILE_BYTES};
use crate::paths::Listed;
use crate::people::People;
use crate::source::SourceFile;

/// The loaded items of one `poam.yaml`.
pub struct Workspace {
    pub config: Config,
    /// What file names in findings are relative to: the git work tree's root, or the folder
    /// of `poam.yaml` outside git.
    pub display_root: PathBuf,
    /// Every item file under the items folder, sorted by path.
    pub items: Vec<LoadedItem>,
    pub kev: Option<KevCatalog>,
    /// The people file, when there is one.
    pub people: Option<People>,
    /// The inventory, when there is one.
    pub inventory: Option<Inventory>,
}

impl Workspace {
    /// Loads the workspace of `config`, naming files relative to the git work tree that holds
    /// the items (or to the folder of `poam.yaml` outside git).
    pub fn open(config: Config) -> Result<Workspace, Error> {
        Listing::open(config)?.load_all()
    }

    /// [`Workspace::open`] and the full history of the repository holding the items (`None`
    /// outside git), read side by side: the walk is mostly one thread reading git objects, so
    /// it runs on a thread of its own while the pool parses the files. Each keeps its own
    /// outcome, so a caller says whichever failure matters first.
    pub fn open_with_history(
        config: Config,
        progress: bool,
    ) -> (Result<Workspace, Error>, Result<Option<History>, Error>) {
        let items_dir = config.items_dir.clone();
        std::thread::scope(|scope| {
            let walk = std::thread::Builder::new()
                .name("poam-history".to_owned())
                .spawn_scoped(scope, || read_history(&items_dir, progress));
            let workspace = Workspace::open(config);
            let history = match walk {
                Ok(walk) => walk
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                // No thread to be had: the walk waits its turn.
                Err(_) => read_history(&items_dir, progress),
            };
            (workspace, history)
        })
    }

    /// Reads the KEV catalog and every item file of `config`, in parallel.
    pub fn load(config: Config, display_root: PathBuf) -> Result<Workspace, Error> {
        Listing::new(config, display_root)?.load_all()
    }

    /// The parsed items (files that could not be parsed are left out).
    pub fn parsed(&self) -> impl Iterator<Item = (&LoadedItem, &Item)> {
        self.items
            .iter()
            .filter_map(|file| file.item.as_ref().map(|item| (file, item)))
    }

    /// The names of the item files that could not be parsed, the ones [`Workspace::parsed`]
    /// leaves out.
    pub fn unreadable(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .filter(|file| file.item.is_none())
            .map(|file| file.source.name.as_str())
    }

    /// The item with this id, compared exactly.
    pub fn find(&self, id: &str) -> Option<(&LoadedItem, &Item)> {
        self.parsed().find(|(_, item)| item.id_text() == Some(id))
    }

    /// Every item id, sorted.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.parsed().filter_map(|(_, i)| i.id_text()).collect();
        ids.sort_unstable();
        ids
    }
}

/// The full history of the repository holding `items_dir`; `None` outside git.
fn read_history(items_dir: &Path, progress: bool) -> Result<Option<History>, Error> {
    let repo = match crate::history::open(items_dir) {
        Ok(repo) => repo,
        Err(HistoryError::NotARepo { .. }) => return Ok(None),
        Err(err) => return Err(Error::history(err)),
    };
    repo.full_history(WalkOptions { progress })
        .map(Some)
        .map_err(Error::history)
}

/// A workspace whose item files are listed but not yet read: the step before loading all of
/// them, or only the few a change touches.
pub struct Listing {
    config: Config,
    display_root: PathBuf,
    kev: Option<KevCatalog>,
    /// Every item file under the items folder, sorted by path.
    files: Vec<ItemPath>,
}

impl Listing {
    /// Lists the item files of `config`, naming them relative to the git work tree that holds
    /// the items (or to the folder of `poam.yaml` outside git).
    pub fn open(config: Config) -> Result<Listing, Error> {
        let display_root = display_root_of(&config);
        Listing::new(config, display_root)
    }

    /// Reads the KEV catalog and lists the item files of `config`.
    pub fn new(mut config: Config, display_root: PathBuf) -> Result<Listing, Error> {
        // Names are relative to the root however the paths were spelt (`./poams`, `poams/`).
        let display_root = std::fs::canonicalize(&display_root).unwrap_or(display_root);
        let kev = load_kev(&config)?;
        load_assessment(&mut config, &display_root)?;
        let files = list_item_files(&config)?;
        // A bare folder is named on purpose: holding no items means it is the wrong folder. An
        // empty items folder under poam.yaml is a fresh start and fine.
        if files.is_empty() && config.file.is_none() {
            return Err(Error::NoItems {
                dir: config.items_dir.clone(),
            });
        }
        Ok(Listing {
            config,
            display_root,
            kev,
            files,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Reads and parses every item file, in parallel, and the people file and the inventory
    /// beside them.
    pub fn load_all(self) -> Result<Workspace, Error> {
        let ((people, inventory), items) = self.each_file_beside_elements(load_item)?;
        Ok(Workspace {
            config: self.config,
            display_root: self.display_root,
            items,
            kev: self.kev,
            people,
            inventory,
        })
    }

    /// Reads every item file (without parsing it), in parallel, and the people file and the
    /// inventory beside them.
    pub fn read(self) -> Result<ReadListing, Error> {
        let ((people, inventory), reads) =
            self.each_file_beside_elements(|file, _| read_item_file(file))?;
        Ok(ReadListing {
            listing: self,
            people,
            inventory,
            reads,
        })
    }

    /// `each` of the item files, in parallel, while the people file and the inventory are
    /// parsed side by side: beside the item files rather than beside the walk of the items
    /// folder, which is too short to hide them (with 20,000 assets and 2,000 people, lint went
    /// from 1.59x to 1.54x of a lint without them; bench/README.md, "2026-12-07, closing").
    fn each_file_beside_elements<T: Send>(
        &self,
        each: impl Fn(&ItemPath, &Path) -> T + Sync,
    ) -> Result<(Elements, Vec<T>), Error> {
        let ((people, inventory), per_file) = rayon::join(
            || {
                rayon::join(
                    || load_people(&self.config, &self.display_root),
                    || load_inventory(&self.config, &self.display_root),
                )
            },
            || {
                self.files
                    .par_iter()
                    .map(|file| each(file, &self.display_root))
                    .collect()
            },
        );
        Ok(((people?, inventory?), per_file))
    }
}

/// The people file and the inventory, when the workspace has them.
type Elements = (Option<People>, Option<Inventory>);

/// A listing whose files have been read but not parsed: `poam report --base` parses only the
/// few its findings depend on.
pub struct ReadListing {
    listing: Listing,
    people: Option<People>,
    inventory: Option<Inventory>,
    /// Per file of the listing, its bytes or why it could not be read.
    reads: Vec<FileRead>,
}

/// A file's bytes, or why it could not be read.
type FileRead = Result<Vec<u8>, String>;

impl ReadListing {
    pub fn config(&self) -> &Config {
        &self.listing.config
    }

    /// The bytes of the regular files read whole, by path, so git can hash the working tree
    /// without reading it again.
    pub fn contents(&self) -> HashMap<&Path, &[u8]> {
        self.listing
            .files
            .iter()
            .zip(&self.reads)
            .filter_map(|(file, read)| {
                let bytes = read.as_ref().ok()?;
                (file.kind == Listed::File && bytes.len() <= MAX_FILE_BYTES)
                    .then_some((file.path.as_path(), bytes.as_slice()))
            })
            .collect()
    }

    /// Parses only what the findings about a change's items depend on: the files at `paths`
    /// (names as findings show them) and every file whose `id` is one of `ids` or one of those
    /// files' ids (for `duplicate-id`, and for history findings that point at an item by id).
    ///
    /// A file is left out when none of those ids occurs in its text. That is exact because an
    /// id without whitespace, quotes or backslashes can only be written literally: YAML folds
    /// line breaks into whitespace, and only double-quoted escapes (`\x2D`) spell characters
    /// otherwise, so files holding a backslash are parsed too. Ids outside that alphabet
    /// parse every file.
    pub fn load_touched(self, paths: &BTreeSet<String>, ids: &[String]) -> Workspace {
        let ReadListing {
            listing,
            people,
            inventory,
            reads,
        } = self;
        let root = &listing.display_root;
        let names: Vec<String> = listing
            .files
            .par_iter()
            .map(|file| display_name(&file.path, root))
            .collect();
        let mut slots: Vec<(Option<String>, FileRead)> =
            names.into_iter().map(Some).zip(reads).collect();
        let mut loaded: Vec<Option<LoadedItem>> = listing
            .files
            .par_iter()
            .zip(slots.par_iter_mut())
            .map(|(file, (name, read))| {
                if !name.as_ref().is_some_and(|n| paths.contains(n)) {
                    return None;
                }
                let name = name.take().unwrap_or_default();
                Some(parse_item(
                    &file.path,
                    name,
                    std::mem::replace(read, Ok(Vec::new())),
                ))
            })
            .collect();
        // A file whose id is `s` holds `s.trim()`; a blank id is no id.
        let mut needles: Vec<&str> = ids
            .iter()
            .map(String::as_str)
            .chain(
                loaded
                    .iter()
                    .flatten()
                    .filter_map(|file| file.item.as_ref()?.id_text()),
            )
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .collect();
        needles.sort_unstable();
        needles.dedup();
        let literal = needles.iter().all(|id| {
            !id.chars()
                .any(|c| c.is_whitespace() || matches!(c, '\'' | '"' | '\\'))
        });
        let others: Vec<Option<LoadedItem>> = listing
            .files
            .par_iter()
            .zip(slots.into_par_iter())
            .map(|(file, (name, read))| {
                let name = name?;
                let wanted = match &read {
                    Ok(bytes) => {
                        !literal
                            || bytes.contains(&b'\\')
                            || needles
                                .iter()
                                .any(|id| contains_bytes(bytes, id.as_bytes()))
                    }
                    // An unreadable file has no id: its finding names no item.
                    Err(_) => !literal,
                };
                wanted.then(|| parse_item(&file.path, name, read))
            })
            .collect();
        for (slot, other) in loaded.iter_mut().zip(others) {
            if slot.is_none() {
                *slot = other;
            }
        }
        Workspace {
            config: listing.config,
            display_root: listing.display_root,
            items: loaded.into_iter().flatten().collect(),
            kev: listing.kev,
            people,
            inventory,
        }
    }
}

/// True when `needle` occurs in `haystack`.
fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    match std::str::from_utf8(haystack) {
        // The standard library's substring search is vectorised for short needles.
        Ok(text) => std::str::from_utf8(needle).is_ok_and(|n| text.contains(n)),
        Err(_) => needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle),
    }
}

/// One item file after reading and parsing.
pub struct LoadedItem {
    pub path: PathBuf,
    pub source: SourceFile,
    /// `None` when the file could not be parsed.
    pub item: Option<Item>,
    /// Why the file could not be read or parsed as an item.
    pub error: Option<ParseError>,
}

/// An item file found in the items folder.
#[derive(Clone, Debug)]
pub struct ItemPath {
    pub path: PathBuf,
    /// What the directory listing said (a link is never read: see [`LINKED_ITEM`] and
    /// [`LINKED_FOLDER`]).
    pub kind: Listed,
}

/// Why an item file that is a link is not read. git records the link, not the file it points
/// at, so the item's history (write-once fields, signed decisions) would be the history of
/// the link: edits made through it would pass every history rule.
pub const LINKED_ITEM: &str = "the item file is a symlink: git records the link, not the item, so the item's history (write-once fields, signed decisions) cannot be checked; replace the link with the file it points to";

/// Why the items behind a linked folder are not read (as for [`LINKED_ITEM`]).
pub const LINKED_FOLDER: &str = "a symlink to a folder: git records the link, not the items behind it, so their history cannot be checked and they are not read; move the items into the items folder";

/// Lists the item files under the items folder, sorted, skipping hidden entries.
pub fn item_files(items_dir: &Path) -> Result<Vec<ItemPath>, Error> {
    let mut files = Vec::new();
    // Unsorted: walkdir's sort re-derives both file names from their paths on every
    // comparison, 7 % of the instructions of a 10,000-item lint, on one thread. The files are
    // sorted below, each key built once.
    let walker = walkdir::WalkDir::new(items_dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|err| Error::Io {
            path: err.path().unwrap_or(items_dir).to_path_buf(),
            source: err
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("filesystem loop")),
        })?;
        let Some(kind) = Listed::of(&entry) else {
            continue;
        };
        files.push(ItemPath {
            path: entry.into_path(),
            kind,
        });
    }
    let walk_root = items_dir.as_os_str().as_encoded_bytes();
    files.sort_by_cached_key(|file| walk_order_key(&file.path, walk_root));
    Ok(files)
}

/// A key that sorts paths as a walk visiting each folder's entries by name does: name by name
/// under the walk's root. The separators become a zero byte, which sorts before every byte a
/// name can hold, so `a/z` comes before `a-b` as the folder `a` comes before the file `a-b`.
/// The walk yields each path as its root joined with names, so every path starts with the same
/// root bytes and only what follows them decides the order; reading bytes instead of walking
/// `Path::components` saved 12 M of the 10,000-item lint's 1,050 M instructions (callgrind,
/// 2026-12-07).
fn walk_order_key(path: &Path, walk_root: &[u8]) -> Vec<u8> {
    let bytes = path.as_os_str().as_encoded_bytes();
    let below_root = bytes.strip_prefix(walk_root).unwrap_or(bytes);
    below_root
        .iter()
        .map(|&byte| {
            if std::path::is_separator(char::from(byte)) {
                0
            } else {
                byte
            }
        })
        .collect()
}

/// Relative name with `/` separators, as findings show it.
pub fn display_name(path: &Path, root: &Path) -> String {
    // A path spelled as `root/...` needs no component-wise `strip_prefix`, which cost 17 M of
    // the 10,000-item lint's 1,050 M instructions (callgrind, 2026-12-07).
    let spelled_below_root = path
        .to_str()
        .zip(root.to_str())
        .and_then(|(path, root)| path.strip_prefix(root)?.strip_prefix('/'));
    if let Some(name) = spelled_below_root.and_then(|rest| clean_unix_name(Path::new(rest))) {
        return name.to_owned();
    }
    let relative = path.strip_prefix(root).unwrap_or(path);
    if let Some(name) = clean_unix_name(relative) {
        return name.to_owned();
    }
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `path` as it is when joining its components with `/` would give the same text (Unix, valid
/// UTF-8, relative, no `.` component, doubled or trailing separator): the common case, which
/// then costs no component walk and no allocation per component.
fn clean_unix_name(path: &Path) -> Option<&str> {
    if !cfg!(unix) {
        return None;
    }
    let text = path.to_str()?;
    let clean = !text.is_empty()
        && text != "."
        && !text.starts_with('/')
        && !text.starts_with("./")
        && !text.ends_with('/')
        && !text.ends_with("/.")
        && !text.contains("//")
        && !text.contains("/./");
    clean.then_some(text)
}

/// Reads one item file, refusing links, non-files and huge files.
fn read_item_file(file: &ItemPath) -> Result<Vec<u8>, String> {
    match file.kind {
        Listed::File => parse::ITEM_FILE
            .read_regular(&file.path)
            .map_err(|e| e.to_string()),
        Listed::Other => Err("not a regular file".to_owned()),
        Listed::Symlink => Err(LINKED_ITEM.to_owned()),
        Listed::LinkedFolder => Err(LINKED_FOLDER.to_owned()),
    }
}

/// Reads and parses one file. Never fails: problems are kept in [`LoadedItem::error`].
pub fn load_item(file: &ItemPath, display_root: &Path) -> LoadedItem {
    let name = display_name(&file.path, display_root);
    parse_item(&file.path, name, read_item_file(file))
}

/// Parses the bytes read from `path` (named `name` in findings), or keeps why they could not
/// be read.
fn parse_item(path: &Path, name: String, read: Result<Vec<u8>, String>) -> LoadedItem {
    let parsed = read
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
            LoadedItem {
                path: path.to_path_buf(),
                source: SourceFile::new(name, text),
                item,
                error,
            }
        }
        Err((text, err)) => LoadedItem {
            path: path.to_path_buf(),
            source: SourceFile::new(name, text),
            item: None,
            error: Some(err),
        },
    }
}

/// `items:` (or a committed link on its way) may not lead out of the repository that holds
/// `poam.yaml`: its files would be read and quoted in findings. A folder of items named
/// without `poam.yaml` is read wherever it is.
fn refuse_items_outside_repository(config: &Config, items_dir: &Path) -> Result<(), Error> {
    if config.file.is_none() {
        return Ok(());
    }
    let root = std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone());
    if items_dir.starts_with(&root) {
        return Ok(());
    }
    let repository = crate::history::work_tree_root(&root).unwrap_or(root);
    if items_dir.starts_with(&repository) {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "the items folder `{}` is `{}`, outside the repository `{}`; poam reads items only inside the repository that holds poam.yaml",
        crate::config::name_from_cwd(&config.items_dir),
        items_dir.display(),
        repository.display()
    )))
}

/// The item files of `config`, sorted, without `poam.yaml` itself.
fn list_item_files(config: &Config) -> Result<Vec<ItemPath>, Error> {
    let items_dir =
        std::fs::canonicalize(&config.items_dir).unwrap_or_else(|_| config.items_dir.clone());
    refuse_items_outside_repository(config, &items_dir)?;
    let mut files = item_files(&items_dir)?;
    // With `items: .` the config file (and the people file and the inventory) sit among the
    // items; they are not items.
    if let Some(inventory) = config
        .inventory_path()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .filter(|p| p.starts_with(&items_dir))
    {
        files.retain(|f| !f.path.starts_with(&inventory));
    }
    let not_items = [config.file.clone(), config.people_file()];
    for other in not_items
        .iter()
        .flatten()
        .filter_map(|f| std::fs::canonicalize(f).ok())
    {
        files.retain(|f| {
            f.path.file_name() != other.file_name()
                || std::fs::canonicalize(&f.path).map_or(true, |p| p != other)
        });
    }
    Ok(files)
}

/// What findings name files relative to, and what files the repository names must stay
/// inside: the git work tree that holds the items, or the folder of `poam.yaml` outside git.
pub fn display_root_of(config: &Config) -> PathBuf {
    crate::history::work_tree_root(&config.items_dir).unwrap_or_else(|| config.root.clone())
}

/// Reads the people file of `config` (see [`Config::people_file`]), named in findings
/// relative to `display_root`.
pub fn load_people(config: &Config, display_root: &Path) -> Result<Option<People>, Error> {
    let Some(file) = config.people_file() else {
        return Ok(None);
    };
    let name = display_name(
        &std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone()),
        display_root,
    );
    People::load(&file, name, display_root)
        .map(Some)
        .map_err(|source| Error::Io { path: file, source })
}

/// Reads the inventory of `config` (see [`Config::inventory_path`]), its files named in
/// findings relative to `display_root`.
pub fn load_inventory(config: &Config, display_root: &Path) -> Result<Option<Inventory>, Error> {
    let Some(path) = config.inventory_path() else {
        return Ok(None);
    };
    // A missing folder named by `inventory:` is the config's finding.
    if !path.exists() {
        return Ok(None);
    }
    let path = std::fs::canonicalize(&path).unwrap_or(path);
    Inventory::load(&path, display_root, |file| display_name(file, display_root))
        .map(Some)
        .map_err(|(path, source)| Error::Io { path, source })
}

/// The file a profile that needs an assessment reads its results from, beside `poam.yaml`.
pub const ASSESSMENT_FILE: &str = "assessment.yaml";

/// Reads `assessment.yaml` beside `poam.yaml` when the profile needs one
/// (`Profile::needs_assessment`) into `config.cmmc`, and its dates and partial values into
/// `config.policy.cmmc`. A missing file leaves both empty; one that does not parse is kept
/// with its problem for lint to report.
pub fn load_assessment(config: &mut Config, display_root: &Path) -> Result<(), Error> {
    if !config.policy.profile.needs_assessment() || config.cmmc.is_some() {
        return Ok(());
    }
    let path = config.root.join(ASSESSMENT_FILE);
    let read = parse::ITEM_FILE.read_inside(&path, display_root);
    let name = display_name(
        &std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone()),
        display_root,
    );
    let assessment = match read {
        Ok(bytes) => crate::policy::cmmc::read_assessment(name, &bytes),
        Err(parse::ReadError::Io(err)) if err.kind() == std::io::ErrorKind::NotFound => {
            return Ok(())
        }
        Err(parse::ReadError::Io(source)) => return Err(Error::Io { path, source }),
        Err(parse::ReadError::Refused(why)) => crate::policy::cmmc::unreadable_assessment(
            SourceFile::new(name, String::new()),
            crate::model::Span::new(0, 0),
            &why,
        ),
    };
    config.policy.cmmc = crate::policy::cmmc::policy_of(&assessment);
    config.cmmc = Some(std::sync::Arc::new(assessment));
    Ok(())
}

pub fn load_kev(config: &Config) -> Result<Option<KevCatalog>, Error> {
    config
        .kev_catalog
        .as_deref()
        .map(KevCatalog::load)
        .transpose()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// [`display_name`] without its shortcut.
    fn joined_components(path: &Path) -> String {
        path.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    #[test]
    fn item_files_come_in_the_order_of_a_walk_sorted_by_name() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        let names = [
            "a.yaml",
            "a/z.yaml",
            "a/b/c.yaml",
            "a-b.yaml",
            "a0.yaml",
            "B.yaml",
            "b/a.yaml",
            "é.yaml",
            "z/y/x.yml",
            "z.yaml",
            ".hidden/x.yaml",
            "a/.x.yaml",
        ];
        for name in names {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(&path, "id: X\n").expect("a file");
        }
        let listed: Vec<PathBuf> = item_files(root)
            .expect("a listing")
            .into_iter()
            .map(|f| f.path)
            .collect();
        let walked: Vec<PathBuf> = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .collect();
        assert_eq!(listed, walked);
        assert_eq!(listed.len(), 10);
    }

    #[test]
    fn display_names_join_components_with_slashes() {
        let root = Path::new("/repo");
        for path in [
            "/repo/poams/a.yaml",
            "/repo/poams/sub/b.yaml",
            "/elsewhere/c.yaml",
            "relative/./d.yaml",
            "./e.yaml",
            "f//g.yaml",
            "h/",
            "i/.",
            ".",
            "",
            "../j.yaml",
        ] {
            let path = Path::new(path);
            let relative = path.strip_prefix(root).unwrap_or(path);
            assert_eq!(
                display_name(path, root),
                joined_components(relative),
                "{path:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_display_name_shortcut_answers_what_the_components_give(text in "[a./é]{0,12}") {
            let path = Path::new(&text);
            prop_assert_eq!(display_name(path, Path::new("/nowhere")), joined_components(path));
        }
    }
}
