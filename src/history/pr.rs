//! PR mode: the change between the merge base of a base revision and HEAD, plus the working
//! tree. Cost follows the size of the change: only commits in `merge-base..HEAD` are read, and
//! only blobs that differ are parsed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use git2::{ErrorCode, ObjectType, Oid, Sort};

use crate::parse::MAX_FILE_BYTES;

use super::error::git_error;
use super::event::{CommitMeta, ItemHistory, Source};
use super::progress::Progress;
use super::raw;
use super::track::{FileChange, Tracker};
use super::walk::{is_item_file_name, BlobParser, ItemsTrees, TreeDiffer};
use super::{GitRepo, HistoryError, WalkOptions};

/// What a pull request changes, item by item.
#[derive(Clone, Debug, PartialEq)]
pub struct PrHistory {
    /// The base revision as given, resolved.
    pub base: Arc<CommitMeta>,
    /// The merge base of `base` and HEAD: the state the PR starts from.
    pub merge_base: Arc<CommitMeta>,
    pub head: Arc<CommitMeta>,
    /// The PR's commits on HEAD's first-parent line, oldest first. When the branch merged the
    /// base branch in, commits before that merge are folded into it (they did not start from
    /// the merge base), and `folded` is true.
    pub commits: Vec<Arc<CommitMeta>>,
    pub folded: bool,
    /// Every item touched between the merge base and the working tree, sorted by id. An item
    /// that existed at the merge base starts with a `baseline` version from it; the working
    /// tree's version, when it differs from HEAD, comes last with [`Source::WorkingTree`].
    pub items: Vec<ItemHistory>,
    /// The item files (repo-relative paths, sorted) that differ between the merge base and
    /// the working tree: added, changed or deleted, net of changes the PR made and undid.
    pub changed_paths: Vec<String>,
}

/// What a pull request adds, changes or deletes: its item files, net of changes it undid.
/// An item whose id or file name moved is touched through its file (both names, for a move).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Touched {
    /// Repo-relative paths, as the findings name files.
    pub paths: HashSet<String>,
}

impl PrHistory {
    /// The item files the pull request touches, net of changes it undid.
    pub fn touched(&self) -> Touched {
        Touched {
            paths: self.changed_paths.iter().cloned().collect(),
        }
    }

    /// The item known by `id` (its current id or a former one).
    pub fn item(&self, id: &str) -> Option<&ItemHistory> {
        self.items
            .iter()
            .find(|i| i.id == id)
            .or_else(|| self.items.iter().find(|i| i.answers_to(id)))
    }
}

impl GitRepo {
    /// Reads the change from the merge base of `base_rev` and HEAD to the working tree. A
    /// revision that does not resolve (or is missing from a shallow clone) is
    /// [`HistoryError::BaseNotFound`].
    pub fn pr_history(
        &self,
        base_rev: &str,
        options: WalkOptions,
    ) -> Result<PrHistory, HistoryError> {
        self.pr_history_with(base_rev, options, &HashMap::new())
    }

    /// [`GitRepo::pr_history`], given the bytes of working-tree files already read (by
    /// absolute path), which are hashed instead of read again.
    pub fn pr_history_with(
        &self,
        base_rev: &str,
        options: WalkOptions,
        read: &HashMap<&Path, &[u8]>,
    ) -> Result<PrHistory, HistoryError> {
        let repo = &self.repo;
        let head = self.head_commit()?.ok_or(HistoryError::NoCommits)?;
        let not_found = || HistoryError::BaseNotFound {
            rev: base_rev.to_owned(),
            shallow: repo.is_shallow(),
        };
        // Any failure to resolve is the user's revision, not a git malfunction.
        let base = repo
            .revparse_single(base_rev)
            .and_then(|object| object.peel_to_commit())
            .map_err(|_| not_found())?;
        let merge_base = repo.merge_base(base.id(), head.id()).map_err(|err| {
            if err.code() == ErrorCode::NotFound {
                HistoryError::NoMergeBase {
                    rev: base_rev.to_owned(),
                    shallow: repo.is_shallow(),
                }
            } else {
                git_error("finding the merge base", &err)
            }
        })?;
        let mut progress = Progress::new(options.progress);
        let (chain, folded) = self.pr_chain(head.id(), merge_base)?;

        // A pull request reads a few trees: libgit2 alone serves them without loading every
        // pack index first.
        let odb = raw::Objects::open(repo, super::pack::Packs::empty())?;
        let mut items_trees = ItemsTrees::new(&odb, &self.location);
        let mut differ = TreeDiffer::new(&odb, &self.location);
        let mut parser = BlobParser::new(&odb);
        let merge_base_commit = read_commit(&odb, merge_base)?;
        let merge_base_items = items_trees.resolve(merge_base_commit.links.tree)?;
        let mut previous = merge_base_items;
        let mut steps: Vec<(Source, Vec<FileChange>)> = Vec::new();
        let mut commits = Vec::new();
        for (walked, id) in chain.iter().enumerate() {
            progress.walking(walked + 1, Some(parser.count()));
            let commit = read_commit(&odb, *id)?;
            let meta = Arc::new(commit.meta());
            commits.push(Arc::clone(&meta));
            let items = items_trees.resolve(commit.links.tree)?;
            if items == previous {
                continue;
            }
            let mut changes = Vec::new();
            differ.diff(previous, items, &mut changes)?;
            for change in &changes {
                // Old sides too: a file first touched here needs its merge-base version.
                for (_, blob) in change.old.iter().chain(&change.new) {
                    parser.request(*blob)?;
                }
            }
            steps.push((Source::Commit(meta), changes));
            previous = items;
        }

        let head_files = match previous {
            Some(tree) => differ.list(tree)?,
            None => Vec::new(),
        };
        let changes = self.working_tree_changes(&head_files, &mut parser, read)?;
        let mut net = Vec::new();
        differ.diff(merge_base_items, previous, &mut net)?;
        let changed_paths = net_changes(&head_files, &net, &changes);
        steps.push((Source::WorkingTree, changes));

        progress.building();
        let memo = parser.finish();
        let merge_base_meta = Arc::new(merge_base_commit.meta());
        let mut tracker = Tracker::with_lazy_baseline(Source::Commit(Arc::clone(&merge_base_meta)));
        for (source, changes) in &steps {
            tracker.apply(source, changes, &memo, false);
        }
        progress.finish();
        let base_meta = Arc::new(read_commit(&odb, base.id())?.meta());
        let head_meta = Arc::new(read_commit(&odb, head.id())?.meta());
        Ok(PrHistory {
            base: base_meta,
            merge_base: merge_base_meta,
            head: head_meta,
            commits,
            folded,
            items: tracker.finish(),
            changed_paths,
        })
    }

    /// HEAD's first-parent commits after the merge base, oldest first. Only commits that
    /// descend from the merge base count: older commits of a branch that later merged the
    /// base branch in are folded into that merge.
    fn pr_chain(&self, head: Oid, merge_base: Oid) -> Result<(Vec<Oid>, bool), HistoryError> {
        if head == merge_base {
            return Ok((Vec::new(), false));
        }
        let repo = &self.repo;
        let fail = |e: git2::Error| git_error("listing the PR's commits", &e);
        let mut walk = repo.revwalk().map_err(fail)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)
            .map_err(fail)?;
        walk.push(head).map_err(fail)?;
        walk.hide(merge_base).map_err(fail)?;
        // Parents come before children, so one pass settles who descends from the merge base.
        let mut descends: HashMap<Oid, bool> = HashMap::new();
        let mut first_parent: HashMap<Oid, Oid> = HashMap::new();
        for id in walk {
            let id = id.map_err(fail)?;
            let commit = repo.find_commit(id).map_err(fail)?;
            let from_base = commit
                .parent_ids()
                .any(|p| p == merge_base || descends.get(&p).copied().unwrap_or(false));
            descends.insert(id, from_base);
            if let Ok(parent) = commit.parent_id(0) {
                first_parent.insert(id, parent);
            }
        }
        let mut chain = Vec::new();
        let mut at = head;
        let mut folded = false;
        while at != merge_base {
            match descends.get(&at) {
                Some(true) => chain.push(at),
                Some(false) => {
                    folded = true;
                    break;
                }
                None => break,
            }
            match first_parent.get(&at) {
                Some(parent) => at = *parent,
                None => break,
            }
        }
        chain.reverse();
        Ok((chain, folded))
    }

    /// Item files on disk that differ from HEAD (by content hash), as changes.
    fn working_tree_changes(
        &self,
        head_files: &[(String, Oid)],
        parser: &mut BlobParser<'_>,
        read: &HashMap<&Path, &[u8]>,
    ) -> Result<Vec<FileChange>, HistoryError> {
        let in_head: HashMap<&str, Oid> = head_files
            .iter()
            .map(|(path, blob)| (path.as_str(), *blob))
            .collect();
        let mut on_disk: BTreeMap<String, Oid> = BTreeMap::new();
        let prefix = {
            let mut prefix = self.items_dir();
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix
        };
        if self.items_abs.is_dir() {
            for entry in walkdir::WalkDir::new(&self.items_abs)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.file_name() != ".git")
            {
                let entry = entry.map_err(|err| HistoryError::Io {
                    path: err.path().unwrap_or(&self.items_abs).to_path_buf(),
                    source: err.into(),
                })?;
                if !entry.file_type().is_file()
                    || !is_item_file_name(entry.file_name().as_encoded_bytes())
                {
                    continue;
                }
                let io_error = |source| HistoryError::Io {
                    path: entry.path().to_path_buf(),
                    source,
                };
                let path = format!(
                    "{prefix}{}",
                    relative_slash_path(&self.items_abs, entry.path())
                );
                let size = entry.metadata().map_or(0, |m| m.len());
                if !read.contains_key(entry.path()) && size > MAX_FILE_BYTES as u64 {
                    // Hashed as it streams by, never held: the workspace refused it as too
                    // large, and a version this size is refused unread.
                    let blob = Oid::hash_file(ObjectType::Blob, entry.path())
                        .map_err(|e| git_error("hashing a working-tree file", &e))?;
                    if in_head.get(path.as_str()) != Some(&blob) {
                        parser.refuse_too_large(blob, usize::try_from(size).unwrap_or(usize::MAX));
                    }
                    on_disk.insert(path, blob);
                    continue;
                }
                let bytes = match read.get(entry.path()) {
                    Some(bytes) => std::borrow::Cow::Borrowed(*bytes),
                    None => std::borrow::Cow::Owned(std::fs::read(entry.path()).map_err(io_error)?),
                };
                let blob = Oid::hash_object(ObjectType::Blob, &bytes)
                    .map_err(|e| git_error("hashing a working-tree file", &e))?;
                if in_head.get(path.as_str()) != Some(&blob) {
                    parser.parse(blob, bytes.into_owned());
                }
                on_disk.insert(path, blob);
            }
        }
        let mut changes = Vec::new();
        for (path, blob) in &on_disk {
            match in_head.get(path.as_str()) {
                Some(head_blob) if head_blob == blob => {}
                Some(head_blob) => {
                    parser.request(*head_blob)?;
                    changes.push(FileChange {
                        old: Some((path.clone(), *head_blob)),
                        new: Some((path.clone(), *blob)),
                    });
                }
                None => changes.push(FileChange {
                    old: None,
                    new: Some((path.clone(), *blob)),
                }),
            }
        }
        let disk_paths: HashSet<&str> = on_disk.keys().map(String::as_str).collect();
        for (path, blob) in head_files {
            if !disk_paths.contains(path.as_str()) {
                parser.request(*blob)?;
                changes.push(FileChange {
                    old: Some((path.clone(), *blob)),
                    new: None,
                });
            }
        }
        Ok(changes)
    }
}

/// Each path's blob on one side of `changes` (the old side when `old`); a path that only the
/// other side has is absent (`None`) on this one.
fn sides(changes: &[FileChange], old: bool) -> HashMap<&str, Option<Oid>> {
    let mut side: HashMap<&str, Option<Oid>> = HashMap::new();
    for change in changes {
        let (here, there) = if old {
            (&change.old, &change.new)
        } else {
            (&change.new, &change.old)
        };
        if let Some((path, _)) = there {
            side.entry(path.as_str()).or_insert(None);
        }
        if let Some((path, blob)) = here {
            side.insert(path.as_str(), Some(*blob));
        }
    }
    side
}

/// The paths whose blob differs between the merge base and the working tree, sorted: `net`
/// holds the changes from the merge base to HEAD, `working` those from HEAD to the disk.
fn net_changes(
    head_files: &[(String, Oid)],
    net: &[FileChange],
    working: &[FileChange],
) -> Vec<String> {
    let in_head: HashMap<&str, Oid> = head_files
        .iter()
        .map(|(path, blob)| (path.as_str(), *blob))
        .collect();
    let at_base = sides(net, true);
    let on_disk = sides(working, false);
    let mut changed: Vec<String> = at_base
        .keys()
        .chain(on_disk.keys())
        .filter(|path| {
            let head = in_head.get(**path).copied();
            let base = at_base.get(**path).copied().unwrap_or(head);
            let last = on_disk.get(**path).copied().unwrap_or(head);
            base != last
        })
        .map(|path| (*path).to_owned())
        .collect();
    changed.sort_unstable();
    changed.dedup();
    changed
}

fn read_commit<'o>(odb: &'o raw::Objects<'_>, id: Oid) -> Result<raw::RawCommit<'o>, HistoryError> {
    raw::read_commit(odb, id)?.ok_or_else(|| HistoryError::Git {
        context: "reading the PR's commits".to_owned(),
        message: format!("commit {id} is missing"),
    })
}

fn relative_slash_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blob(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).expect("20 bytes")
    }

    fn change(old: Option<(&str, u8)>, new: Option<(&str, u8)>) -> FileChange {
        let side = |s: Option<(&str, u8)>| s.map(|(path, n)| (path.to_owned(), blob(n)));
        FileChange {
            old: side(old),
            new: side(new),
        }
    }

    #[test]
    fn the_net_change_leaves_out_what_the_working_tree_undid() {
        // HEAD: a.yaml edited (1 → 2), b.yaml renamed to c.yaml, d.yaml added; on disk a.yaml
        // is back as it was at the merge base, d.yaml removed again, e.yaml edited.
        let head = [
            ("a.yaml".to_owned(), blob(2)),
            ("c.yaml".to_owned(), blob(3)),
            ("d.yaml".to_owned(), blob(4)),
            ("e.yaml".to_owned(), blob(5)),
        ];
        let net = [
            change(Some(("a.yaml", 1)), Some(("a.yaml", 2))),
            change(Some(("b.yaml", 3)), None),
            change(None, Some(("c.yaml", 3))),
            change(None, Some(("d.yaml", 4))),
        ];
        let working = [
            change(Some(("a.yaml", 2)), Some(("a.yaml", 1))),
            change(Some(("d.yaml", 4)), None),
            change(Some(("e.yaml", 5)), Some(("e.yaml", 6))),
        ];
        assert_eq!(
            net_changes(&head, &net, &working),
            ["b.yaml", "c.yaml", "e.yaml"]
        );
    }
}
