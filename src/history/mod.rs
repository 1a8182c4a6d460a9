//! Git as the audit trail: every git call of poam lives under this module.
//!
//! [`open`] finds the repository holding an items folder. [`GitRepo::full_history`] walks the
//! first-parent history of HEAD, oldest to newest, and returns the timeline of every item
//! ([`History`]); [`GitRepo::pr_history`] does the same for the change between a base revision
//! and the working tree ([`PrHistory`]). [`audit`] cuts the versions into the runs the history
//! rules (in `src/rules/`) judge; no rule logic lives here. The rest of poam sees only plain
//! data: no git types.
//!
//! How the walk works, and what it promises:
//! - Commits and trees are read raw from the object database. Only commits whose items-folder
//!   tree id differs from their first parent's are read further; for those, the two items trees
//!   are compared from the bytes they share at both ends inward, so a commit that changes one
//!   file of five hundred looks at a handful of entries. Subfolders are followed only where
//!   their ids differ, and only `*.yaml`/`*.yml` regular files count.
//! - Each blob is parsed once (memoised by blob id), on a helper thread while the walk goes on;
//!   what is left when the walk ends, and the field-level comparisons, run on the rayon pool.
//! - Items are followed by their `id` (the file stem when a version has no usable `id`): a
//!   file that moves within the items folder in one commit keeps its timeline (`renamed`).
//! - A version that does not parse becomes an event with `parse_error` set; the next version
//!   that parses is compared with the last one that did.
//! - Shallow clones: the first-parent walk stops at the shallow boundary; items found there are
//!   `pre_existing` baseline versions, never `created` events, and [`History::shallow_warning`]
//!   says what is missing.

pub mod audit;
mod checksum;
pub mod diff;
mod error;
mod event;
mod file;
mod ids;
mod pack;
mod pr;
mod progress;
mod raw;
mod signature;
mod since;
mod timeline;
mod track;
mod walk;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use git2::{ErrorCode, Oid, Repository};

pub use event::{
    CommitMeta, Event, EventKind, FieldChange, ItemHistory, LastChange, Person, Source, Version,
    VersionState,
};
pub use file::FileVersion;
pub use pr::{PrHistory, Touched};
pub use signature::CommitSignature;
pub use since::{CommitMatch, Cutoff};
pub use timeline::{select, Timeline};
pub use track::item_id;

use error::git_error;
pub use error::HistoryError;
use progress::Progress;
use track::{FileChange, Memo, Tracker};
use walk::{BlobParser, ItemsLocation, ItemsTrees, TreeDiffer};

/// The repository that holds an items folder. Not `Sync`: use it from one thread.
pub struct GitRepo {
    repo: Repository,
    root: PathBuf,
    items_abs: PathBuf,
    location: ItemsLocation,
    shallow_commits: HashSet<Oid>,
    /// Whether packed objects are read by `pack` (else libgit2 reads everything).
    pack_reader: bool,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo")
            .field("root", &self.root)
            .field("items_dir", &self.location.relative())
            .finish_non_exhaustive()
    }
}

/// The canonical root of the git work tree holding `path`, if any.
pub fn work_tree_root(path: &Path) -> Option<PathBuf> {
    let start = absolute(path).ok()?;
    let existing = start.ancestors().find(|p| p.exists())?;
    let repo = Repository::discover(existing).ok()?;
    canonical(repo.workdir()?).ok()
}

/// Opens the repository containing `items_dir`, searching upward from it (or from its nearest
/// existing parent). A path outside any repository gives [`HistoryError::NotARepo`]; a pack
/// that does not match its checksums, [`HistoryError::DamagedPack`].
pub fn open(items_dir: &Path) -> Result<GitRepo, HistoryError> {
    // An audit trail must not be built from damaged objects: every pack is checked against
    // its checksums before anything reads it (see `checksum`), libgit2 re-hashes every object
    // it reads (its default, said again here because the setting is process-wide), and the
    // pack reader checks what it builds (see `pack`).
    git2::opts::strict_hash_verification(true);
    let items_abs = absolute(items_dir)?;
    let existing = items_abs
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(&items_abs)
        .to_path_buf();
    let repo = match Repository::discover(&existing) {
        Ok(repo) => repo,
        Err(err) if err.code() == ErrorCode::NotFound => {
            return Err(HistoryError::NotARepo {
                path: items_dir.to_path_buf(),
            })
        }
        Err(err) => return Err(open_error(&err)),
    };
    let workdir = repo.workdir().ok_or_else(|| HistoryError::Bare {
        path: repo.path().to_path_buf(),
    })?;
    let root = canonical(workdir)?;
    let items_abs = canonical(&items_abs)?;
    let relative = items_abs
        .strip_prefix(&root)
        .map_err(|_| HistoryError::OutsideWorkTree {
            items: items_abs.clone(),
            root: root.clone(),
        })?;
    let components = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    // Before anything reads an object: libgit2 must never read a damaged pack.
    checksum::verify_packs(repo.commondir())?;
    let shallow_commits = if repo.is_shallow() {
        read_shallow_file(&repo)
    } else {
        HashSet::new()
    };
    Ok(GitRepo {
        repo,
        root,
        items_abs,
        location: ItemsLocation { components },
        shallow_commits,
        pack_reader: pack_reader_enabled(),
    })
}

/// `POAM_PACK_READER=off` (or `0`, `false`) leaves every object to libgit2: a way round the
/// pack reader should it ever misread, at the cost of speed on large histories.
fn pack_reader_enabled() -> bool {
    !std::env::var("POAM_PACK_READER").is_ok_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        )
    })
}

/// Why libgit2 could not open the repository; a SHA-256 repository by name.
fn open_error(err: &git2::Error) -> HistoryError {
    let message = err.message();
    if let Some(format) = message
        .strip_prefix("unknown object format '")
        .and_then(|rest| rest.strip_suffix('\''))
    {
        let format = match format {
            "sha256" => "SHA-256".to_owned(),
            other => other.to_ascii_uppercase(),
        };
        return HistoryError::UnsupportedObjectFormat { format };
    }
    git_error("opening the repository", err)
}

fn absolute(path: &Path) -> Result<PathBuf, HistoryError> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .map_err(|source| HistoryError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Canonical form of a path whose tail may not exist yet (an items folder deleted on disk).
fn canonical(path: &Path) -> Result<PathBuf, HistoryError> {
    crate::paths::canonical_lenient(path)
        .map_err(|(path, source)| HistoryError::Io { path, source })
}

/// The commits whose parents a shallow clone cut off (`.git/shallow`).
fn read_shallow_file(repo: &Repository) -> HashSet<Oid> {
    std::fs::read_to_string(repo.commondir().join("shallow"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| Oid::from_str(line.trim()).ok())
        .collect()
}

/// The timeline of every item along the first-parent history of HEAD.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    /// The items folder relative to the repo root, `/`-separated (`""`: the root).
    pub items_dir: String,
    /// HEAD, when there is a commit.
    pub head: Option<Arc<CommitMeta>>,
    /// Where a shallow clone's history stops (its first-parent root), when it does.
    pub shallow_boundary: Option<Arc<CommitMeta>>,
    /// Commits on the first-parent chain that were looked at.
    pub commits_walked: usize,
    /// The commits that changed the items folder, oldest first (with the shallow boundary
    /// first when there is one): the order of every event.
    pub changed_commits: Vec<Arc<CommitMeta>>,
    /// Items, sorted by id then path. An id appears twice only when two files claim it.
    pub items: Vec<ItemHistory>,
    /// Commits that changed the items folder whose recorded time cannot be shown (missing, or
    /// outside the dates chrono can hold): each shows as 1970-01-01, and this says so.
    pub time_warnings: Vec<String>,
}

impl History {
    fn empty(items_dir: String) -> Self {
        Self {
            items_dir,
            head: None,
            shallow_boundary: None,
            commits_walked: 0,
            changed_commits: Vec::new(),
            items: Vec::new(),
            time_warnings: Vec::new(),
        }
    }

    /// Every warning to show once with the history: the shallow boundary, then commits whose
    /// times cannot be shown.
    pub fn warnings(&self) -> Vec<String> {
        self.shallow_warning()
            .into_iter()
            .chain(self.time_warnings.iter().cloned())
            .collect()
    }

    /// The warning to show once when history stops at a shallow boundary.
    pub fn shallow_warning(&self) -> Option<String> {
        self.shallow_boundary.as_ref().map(|boundary| {
            format!(
                "history before commit {} ({}) is missing: this is a shallow clone; fetch the full \
                 history (actions/checkout `fetch-depth: 0`, or `git fetch --unshallow`)",
                boundary.short_id(),
                boundary.time.date_naive()
            )
        })
    }

    /// The item known by `id`: the one that exists now, else the latest that had this id.
    pub fn item(&self, id: &str) -> Option<&ItemHistory> {
        let mut named: Vec<&ItemHistory> = self.items.iter().filter(|i| i.id == id).collect();
        if named.is_empty() {
            named = self.items.iter().filter(|i| i.answers_to(id)).collect();
        }
        named
            .iter()
            .find(|i| i.exists)
            .or_else(|| named.last())
            .copied()
    }

    /// The last commit that changed the item: its date is the item's status date when the
    /// file has no `status_date`.
    pub fn last_change(&self, id: &str) -> Option<LastChange> {
        self.item(id)?.last_change()
    }

    /// Every item by id, picked as [`History::item`] picks (the item that exists now, else the
    /// latest with that id; former ids answer too): one pass, for callers that look up
    /// thousands of ids.
    pub fn index(&self) -> std::collections::HashMap<&str, &ItemHistory> {
        let mut index: std::collections::HashMap<&str, &ItemHistory> =
            std::collections::HashMap::with_capacity(self.items.len());
        for item in &self.items {
            match index.get(item.id.as_str()) {
                Some(current) if current.exists => {}
                _ => {
                    index.insert(item.id.as_str(), item);
                }
            }
        }
        // An id no item has now answers with the items that had it: the first that exists,
        // else the last.
        let mut formerly: std::collections::HashMap<&str, &ItemHistory> =
            std::collections::HashMap::new();
        for item in &self.items {
            for former in &item.former_ids {
                if index.contains_key(former.as_str()) {
                    continue;
                }
                match formerly.get(former.as_str()) {
                    Some(current) if current.exists => {}
                    _ => {
                        formerly.insert(former.as_str(), item);
                    }
                }
            }
        }
        index.extend(formerly);
        index
    }
}

impl ItemHistory {
    /// The last commit that changed the item (see [`History::last_change`]).
    pub fn last_change(&self) -> Option<LastChange> {
        if let Some(commit) = self.events.iter().rev().find_map(Event::commit) {
            return Some(LastChange {
                commit: Arc::clone(commit),
                exact: true,
            });
        }
        let baseline = self.versions.first()?.source.commit()?;
        Some(LastChange {
            commit: Arc::clone(baseline),
            exact: false,
        })
    }
}

/// The objects `ids` (hex) as the pack reader alone reads them from the packs of the git
/// folder `git_dir`: no pack checksums checked and no libgit2 to fall back on; `None` for an
/// object it does not find, read or verify. For the `pack` fuzz target, which gives it packs
/// rewritten with fresh checksums.
#[doc(hidden)]
pub fn read_packed_objects(git_dir: &Path, ids: &[String]) -> Vec<Option<(String, Vec<u8>)>> {
    let mut reader = pack::PackReader::new(pack::Packs::load(git_dir));
    ids.iter()
        .map(|id| {
            let object = reader.read(Oid::from_str(id).ok()?)?;
            Some((object.kind.str().to_owned(), object.data.to_vec()))
        })
        .collect()
}

/// Options of a walk.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Show a progress bar on stderr when it is a terminal and the walk takes a while.
    pub progress: bool,
}

/// A commit whose items tree differs from its parent's.
struct Link {
    meta: CommitMeta,
    old: Option<Oid>,
    new: Option<Oid>,
    /// A shallow clone's boundary: its items are the known start, not changes.
    baseline: bool,
}

/// Links below which a walk stays on one thread: starting a second costs more than it saves.
const PARALLEL_WALK_MIN: usize = 256;

/// The file changes of each link, in order, and the parsed new blobs.
fn diff_range(
    odb: &raw::Objects<'_>,
    location: &ItemsLocation,
    links: &[Link],
) -> Result<(Vec<Vec<FileChange>>, Memo), HistoryError> {
    let mut differ = TreeDiffer::new(odb, location);
    let mut parser = BlobParser::new(odb);
    let mut out = Vec::with_capacity(links.len());
    for link in links {
        let mut changes = Vec::new();
        differ.diff(link.old, link.new, &mut changes)?;
        for change in &changes {
            if let Some((_, blob)) = &change.new {
                parser.request(*blob)?;
            }
        }
        out.push(changes);
    }
    Ok((out, parser.finish()))
}

enum Parent<'o> {
    Commit(raw::RawCommit<'o>),
    Root,
    ShallowBoundary,
}

impl GitRepo {
    /// The repository's working tree root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The items folder relative to the repo root, `/`-separated.
    pub fn items_dir(&self) -> String {
        self.location.relative()
    }

    /// True when the repository is a shallow clone.
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// Every item's timeline along the first-parent history of HEAD (commits only: the
    /// working tree is not part of it). A repository without commits has an empty history.
    pub fn full_history(&self, options: WalkOptions) -> Result<History, HistoryError> {
        let Some(head) = self.head_commit()? else {
            return Ok(History::empty(self.items_dir()));
        };
        let mut progress = Progress::new(options.progress);
        let odb = self.objects()?;
        let mut items_trees = ItemsTrees::new(&odb, &self.location);
        // The first-parent chain, newest first: each commit whose items tree differs from its
        // parent's, with both trees. Reading commits is cheap; diffing the trees is not.
        let mut links: Vec<Link> = Vec::new();
        let mut boundary = None;
        let mut walked = 0usize;
        let mut time_warnings = Vec::new();
        let mut commit = raw::read_commit(&odb, head.id())?.ok_or_else(|| HistoryError::Git {
            context: "reading HEAD".to_owned(),
            message: format!("commit {} is missing", head.id()),
        })?;
        let head_meta = Arc::new(commit.meta());
        let mut items = items_trees.resolve(commit.links.tree)?;
        loop {
            walked += 1;
            // The item versions are read after the commits, when the trees are compared.
            progress.walking(walked, None);
            let (parent, parent_items, baseline) = match self.first_parent(&odb, &commit)? {
                Parent::Commit(parent) => {
                    let parent_items = items_trees.resolve(parent.links.tree)?;
                    (Some(parent), parent_items, false)
                }
                Parent::Root => (None, None, false),
                Parent::ShallowBoundary => {
                    boundary = Some(commit.meta());
                    (None, None, true)
                }
            };
            if parent_items != items {
                if let Some(warning) = commit.time_warning() {
                    time_warnings.push(warning);
                }
                links.push(Link {
                    meta: commit.meta(),
                    old: parent_items,
                    new: items,
                    baseline,
                });
            }
            match parent {
                Some(parent) => {
                    commit = parent;
                    items = parent_items;
                }
                None => break,
            }
        }
        let (changes, memo) = self.diff_links(&odb, &links)?;
        let mut steps: Vec<(CommitMeta, Vec<FileChange>, bool)> = links
            .into_iter()
            .zip(changes)
            .map(|(link, changes)| (link.meta, changes, link.baseline))
            .collect();
        steps.reverse();
        progress.building();
        let mut tracker = Tracker::new();
        let mut changed_commits = Vec::with_capacity(steps.len());
        for (meta, changes, baseline) in steps {
            let meta = Arc::new(meta);
            tracker.apply(
                &Source::Commit(Arc::clone(&meta)),
                &changes,
                &memo,
                baseline,
            );
            changed_commits.push(meta);
        }
        let items = tracker.finish();
        let shallow_boundary = boundary.map(Arc::new);
        progress.finish();
        Ok(History {
            items_dir: self.items_dir(),
            head: Some(head_meta),
            shallow_boundary,
            commits_walked: walked,
            changed_commits,
            items,
            // Oldest first, as the events.
            time_warnings: time_warnings.into_iter().rev().collect(),
        })
    }

    /// The file changes of each link, in order, with every new blob parsed. A long history
    /// is cut in two halves diffed at once, the second on a thread with a handle of its own
    /// on the repository (git2's is not `Sync`): reading the trees is most of a walk.
    fn diff_links(
        &self,
        odb: &raw::Objects<'_>,
        links: &[Link],
    ) -> Result<(Vec<Vec<FileChange>>, Memo), HistoryError> {
        let second_repo = (links.len() >= PARALLEL_WALK_MIN && rayon::current_num_threads() > 1)
            .then(|| Repository::open(self.repo.path()).ok())
            .flatten();
        let Some(second_repo) = second_repo else {
            return diff_range(odb, &self.location, links);
        };
        let (first, second) = links.split_at(links.len() / 2);
        let location = &self.location;
        std::thread::scope(|scope| {
            let packs = odb.packs();
            let other = scope.spawn(move || {
                let odb = raw::Objects::open(&second_repo, packs)?;
                diff_range(&odb, location, second)
            });
            let mine = diff_range(odb, location, first);
            let theirs = other.join().map_err(|_| HistoryError::Git {
                context: "reading history".to_owned(),
                message: "a history walker thread failed".to_owned(),
            })?;
            let (mut changes, mut memo) = mine?;
            let (more, more_memo) = theirs?;
            changes.extend(more);
            memo.extend(more_memo);
            Ok((changes, memo))
        })
    }

    /// The object database for this thread (see [`raw::Objects`]).
    fn objects(&self) -> Result<raw::Objects<'_>, HistoryError> {
        let packs = if self.pack_reader {
            pack::Packs::load(self.repo.commondir())
        } else {
            pack::Packs::empty()
        };
        raw::Objects::open(&self.repo, packs)
    }

    /// The type and bytes of object `id` (hex), read as a walk reads it: through the pack
    /// reader unless it is off, and verified. For the `pack` fuzz target.
    #[doc(hidden)]
    pub fn read_object(&self, id: &str) -> Result<Option<(String, Vec<u8>)>, HistoryError> {
        let id = Oid::from_str(id).map_err(|e| git_error("reading an object id", &e))?;
        let odb = self.objects()?;
        let object = odb.find(id)?;
        Ok(object.map(|o| (o.kind().str().to_owned(), o.data().to_vec())))
    }

    /// Turns the pack reader on or off for this handle, as `POAM_PACK_READER` does for a run
    /// (for the `pack` fuzz target, which compares both).
    #[doc(hidden)]
    pub fn set_pack_reader(&mut self, on: bool) {
        self.pack_reader = on;
    }

    /// HEAD's commit, or `None` in a repository without commits. Works on a detached HEAD.
    fn head_commit(&self) -> Result<Option<git2::Commit<'_>>, HistoryError> {
        let head = match self.repo.head() {
            Ok(head) => head,
            Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
                return Ok(None)
            }
            Err(err) => return Err(git_error("reading HEAD", &err)),
        };
        head.peel_to_commit()
            .map(Some)
            .map_err(|e| git_error("reading HEAD", &e))
    }

    /// The first parent of `commit`, or why there is none. A shallow clone's boundary commits
    /// have their parents cut off: the graft list says which they are.
    fn first_parent<'o>(
        &self,
        odb: &'o raw::Objects<'_>,
        commit: &raw::RawCommit<'_>,
    ) -> Result<Parent<'o>, HistoryError> {
        if self.shallow_commits.contains(&commit.id) {
            return Ok(Parent::ShallowBoundary);
        }
        let Some(parent) = commit.links.first_parent else {
            return Ok(Parent::Root);
        };
        match raw::read_commit(odb, parent)? {
            Some(parent) => Ok(Parent::Commit(parent)),
            // A parent missing from a shallow clone whose graft list did not name its child.
            None if self.repo.is_shallow() => Ok(Parent::ShallowBoundary),
            None => Err(HistoryError::Git {
                context: "reading history".to_owned(),
                message: format!("commit {parent}, a parent of {}, is missing", commit.id),
            }),
        }
    }
}
