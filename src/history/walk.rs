//! Reading commits and trees: the items subtree of each commit, tree diffs limited to item
//! files, and blob parsing in parallel while the walk goes on.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Offset, Utc};
use git2::{Commit, ObjectType, Oid, Repository, Tree, TreeEntry};

use crate::model::LineIndex;

use super::event::{CommitMeta, Person};
use super::track::{FileChange, Memo, Parsed};
use super::HistoryError;

/// Where the items folder sits inside the repository.
#[derive(Clone, Debug)]
pub(crate) struct ItemsLocation {
    /// Folder names from the repo root down to the items folder (empty: the root itself).
    pub components: Vec<String>,
}

impl ItemsLocation {
    /// The folder as a repo-relative path with `/` separators (`""` for the root).
    pub fn relative(&self) -> String {
        self.components.join("/")
    }

    fn prefix(&self) -> String {
        let mut prefix = self.relative();
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix
    }
}

pub(crate) fn git_error(context: &str, err: &git2::Error) -> HistoryError {
    HistoryError::Git {
        context: context.to_owned(),
        message: err.message().to_owned(),
    }
}

/// Finds the items subtree of commit trees, remembering answers by tree id so unchanged
/// parts of the path are not read again.
pub(crate) struct ItemsTrees<'r> {
    repo: &'r Repository,
    components: Vec<String>,
    known: HashMap<(usize, Oid), Option<Oid>>,
}

impl<'r> ItemsTrees<'r> {
    pub fn new(repo: &'r Repository, location: &ItemsLocation) -> Self {
        Self {
            repo,
            components: location.components.clone(),
            known: HashMap::new(),
        }
    }

    /// The id of the items folder's tree in the commit whose root tree is `root`.
    pub fn resolve(&mut self, root: Oid) -> Result<Option<Oid>, HistoryError> {
        self.resolve_from(0, root)
    }

    fn resolve_from(&mut self, depth: usize, tree: Oid) -> Result<Option<Oid>, HistoryError> {
        let Some(name) = self.components.get(depth) else {
            return Ok(Some(tree));
        };
        if let Some(known) = self.known.get(&(depth, tree)) {
            return Ok(*known);
        }
        let child = {
            let loaded = self
                .repo
                .find_tree(tree)
                .map_err(|e| git_error("reading a tree", &e))?;
            loaded
                .get_name(name)
                .filter(|entry| entry.kind() == Some(ObjectType::Tree))
                .map(|entry| entry.id())
        };
        let found = match child {
            Some(child) => self.resolve_from(depth + 1, child)?,
            None => None,
        };
        // Only the latest few paths matter on a linear walk; keep the map from growing.
        if self.known.len() > 4096 {
            self.known.clear();
        }
        self.known.insert((depth, tree), found);
        Ok(found)
    }
}

/// Compares two items trees and lists the item files (`*.yaml`, `*.yml`, regular files) that
/// differ. Subfolders are followed only where their tree ids differ.
pub(crate) struct TreeDiffer<'r> {
    repo: &'r Repository,
    prefix: String,
    /// The trees of the last comparison: walking backwards one commit's old tree is the next
    /// one's new tree, walking forwards the other way round.
    last: [Option<Tree<'r>>; 2],
}

impl<'r> TreeDiffer<'r> {
    pub fn new(repo: &'r Repository, location: &ItemsLocation) -> Self {
        Self {
            repo,
            prefix: location.prefix(),
            last: [None, None],
        }
    }

    pub fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        out: &mut Vec<FileChange>,
    ) -> Result<(), HistoryError> {
        let old_tree = old.map(|id| self.tree(id)).transpose()?;
        let new_tree = new.map(|id| self.tree(id)).transpose()?;
        let mut prefix = self.prefix.clone();
        diff_trees(
            self.repo,
            old_tree.as_ref(),
            new_tree.as_ref(),
            &mut prefix,
            out,
        )
        .map_err(|e| git_error("comparing trees", &e))?;
        self.last = [old_tree, new_tree];
        Ok(())
    }

    fn tree(&self, id: Oid) -> Result<Tree<'r>, HistoryError> {
        if let Some(tree) = self.last.iter().flatten().find(|t| t.id() == id) {
            return Ok(tree.clone());
        }
        self.repo
            .find_tree(id)
            .map_err(|e| git_error("reading the items folder", &e))
    }

    /// Every item file in the tree, as `(path, blob)`.
    pub fn list(&self, tree: Oid) -> Result<Vec<(String, Oid)>, HistoryError> {
        let mut out = Vec::new();
        self.diff_list(tree, &mut out)?;
        Ok(out.into_iter().filter_map(|change| change.new).collect())
    }

    fn diff_list(&self, tree: Oid, out: &mut Vec<FileChange>) -> Result<(), HistoryError> {
        let tree = self.tree(tree)?;
        let mut prefix = self.prefix.clone();
        diff_trees(self.repo, None, Some(&tree), &mut prefix, out)
            .map_err(|e| git_error("listing the items folder", &e))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Folder,
    ItemFile,
    Other,
}

fn entry_kind(entry: &TreeEntry<'_>) -> EntryKind {
    match entry.kind() {
        Some(ObjectType::Tree) => EntryKind::Folder,
        // Regular files only: symlinks and submodules are not items.
        Some(ObjectType::Blob)
            if matches!(entry.filemode(), 0o100_644 | 0o100_755)
                && is_item_file_name(entry.name_bytes()) =>
        {
            EntryKind::ItemFile
        }
        _ => EntryKind::Other,
    }
}

/// Item files end in `.yaml` or `.yml`.
pub(crate) fn is_item_file_name(name: &[u8]) -> bool {
    name.ends_with(b".yaml") || name.ends_with(b".yml")
}

/// Git's tree order: names compared bytewise, folders as if they ended in `/`.
fn git_order(a: &TreeEntry<'_>, b: &TreeEntry<'_>) -> Ordering {
    let folder = |e: &TreeEntry<'_>| e.kind() == Some(ObjectType::Tree);
    let (a_name, b_name) = (a.name_bytes(), b.name_bytes());
    let common = a_name.len().min(b_name.len());
    match a_name[..common].cmp(&b_name[..common]) {
        Ordering::Equal => {
            let next = |name: &[u8], is_folder: bool| match name.get(common) {
                Some(&byte) => byte,
                None if is_folder => b'/',
                None => 0,
            };
            next(a_name, folder(a))
                .cmp(&next(b_name, folder(b)))
                .then(a_name.len().cmp(&b_name.len()))
        }
        other => other,
    }
}

fn diff_trees(
    repo: &Repository,
    old: Option<&Tree<'_>>,
    new: Option<&Tree<'_>>,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), git2::Error> {
    let mut olds = old.into_iter().flat_map(Tree::iter).peekable();
    let mut news = new.into_iter().flat_map(Tree::iter).peekable();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(a), Some(b)) => git_order(a, b),
        };
        let (before, after) = match order {
            Ordering::Less => (olds.next(), None),
            Ordering::Greater => (None, news.next()),
            Ordering::Equal => (olds.next(), news.next()),
        };
        if let (Some(a), Some(b)) = (&before, &after) {
            if a.id() == b.id() && a.filemode() == b.filemode() {
                continue;
            }
        }
        let kinds = (
            before.as_ref().map_or(EntryKind::Other, entry_kind),
            after.as_ref().map_or(EntryKind::Other, entry_kind),
        );
        let name = before
            .as_ref()
            .or(after.as_ref())
            .map(|e| String::from_utf8_lossy(e.name_bytes()).into_owned())
            .unwrap_or_default();
        let len = prefix.len();
        prefix.push_str(&name);
        match kinds {
            (EntryKind::Folder, EntryKind::Folder) => {
                descend(repo, before.as_ref(), after.as_ref(), prefix, out)?;
            }
            (EntryKind::ItemFile, EntryKind::ItemFile) => out.push(FileChange {
                old: before.as_ref().map(|e| (prefix.clone(), e.id())),
                new: after.as_ref().map(|e| (prefix.clone(), e.id())),
            }),
            (old_kind, new_kind) => {
                // Different kinds under one name (a file that became a symlink): a removal
                // and an addition.
                side(repo, old_kind, before.as_ref(), true, prefix, out)?;
                side(repo, new_kind, after.as_ref(), false, prefix, out)?;
            }
        }
        prefix.truncate(len);
    }
    Ok(())
}

fn side(
    repo: &Repository,
    kind: EntryKind,
    entry: Option<&TreeEntry<'_>>,
    removed: bool,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), git2::Error> {
    let Some(entry) = entry else { return Ok(()) };
    match kind {
        EntryKind::Folder if removed => descend(repo, Some(entry), None, prefix, out),
        EntryKind::Folder => descend(repo, None, Some(entry), prefix, out),
        EntryKind::ItemFile => {
            let file = Some((prefix.clone(), entry.id()));
            out.push(if removed {
                FileChange {
                    old: file,
                    new: None,
                }
            } else {
                FileChange {
                    old: None,
                    new: file,
                }
            });
            Ok(())
        }
        EntryKind::Other => Ok(()),
    }
}

fn descend(
    repo: &Repository,
    before: Option<&TreeEntry<'_>>,
    after: Option<&TreeEntry<'_>>,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), git2::Error> {
    let old = before.map(|e| repo.find_tree(e.id())).transpose()?;
    let new = after.map(|e| repo.find_tree(e.id())).transpose()?;
    prefix.push('/');
    diff_trees(repo, old.as_ref(), new.as_ref(), prefix, out)
}

/// Blobs parsed on the rayon pool while the caller keeps walking.
pub(crate) struct BlobParser<'r> {
    repo: &'r Repository,
    requested: HashSet<Oid>,
    sender: Option<Sender<(Oid, Parsed)>>,
    receiver: Receiver<(Oid, Parsed)>,
    /// Parse on the calling thread: it is itself a pool thread, and blocking it on work queued
    /// behind it could starve the pool.
    inline: bool,
    memo: Memo,
}

impl<'r> BlobParser<'r> {
    pub fn new(repo: &'r Repository) -> Self {
        let (sender, receiver) = mpsc::channel();
        Self {
            repo,
            requested: HashSet::new(),
            sender: Some(sender),
            receiver,
            inline: rayon::current_thread_index().is_some(),
            memo: Memo::new(),
        }
    }

    /// Reads the blob now (git objects stay on this thread: `Repository` is not `Sync`) and
    /// parses it on the pool, once per blob id.
    pub fn request(&mut self, blob: Oid) -> Result<(), HistoryError> {
        if self.requested.contains(&blob) {
            return Ok(());
        }
        let bytes = self
            .repo
            .find_blob(blob)
            .map_err(|e| git_error("reading an item file", &e))?
            .content()
            .to_vec();
        self.parse(blob, bytes);
        Ok(())
    }

    /// Parses bytes that did not come from the object database (the working tree).
    pub fn parse(&mut self, blob: Oid, bytes: Vec<u8>) {
        if !self.requested.insert(blob) {
            return;
        }
        match &self.sender {
            Some(sender) if !self.inline => {
                let sender = sender.clone();
                rayon::spawn(move || {
                    // The receiver outlives every task: `finish` drains it.
                    let _ = sender.send((blob, parse_blob(&bytes)));
                });
            }
            _ => {
                self.memo.insert(blob, parse_blob(&bytes));
            }
        }
    }

    pub fn count(&self) -> usize {
        self.requested.len()
    }

    /// Waits for every parse and returns the results by blob id.
    pub fn finish(mut self) -> Memo {
        drop(self.sender.take());
        for (blob, parsed) in self.receiver.iter() {
            self.memo.insert(blob, parsed);
        }
        self.memo
    }
}

/// Parses one item file, keeping the parser's message (with its line) on failure.
pub(crate) fn parse_blob(bytes: &[u8]) -> Parsed {
    match crate::parse::parse_bytes(bytes) {
        Ok((_, node)) => Ok(Arc::new(node)),
        Err(err) => {
            let located = std::str::from_utf8(bytes)
                .ok()
                .filter(|_| err.span.start > 0)
                .map(|text| LineIndex::new(text).line_col(text, err.span.start));
            Err(Arc::from(match located {
                Some(at) => format!("{} (line {}, column {})", err.message, at.line, at.column),
                None => err.message,
            }))
        }
    }
}

fn to_datetime(time: git2::Time) -> DateTime<FixedOffset> {
    let offset =
        FixedOffset::east_opt(time.offset_minutes().saturating_mul(60)).unwrap_or(Utc.fix());
    DateTime::from_timestamp(time.seconds(), 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

fn person(signature: &git2::Signature<'_>) -> Person {
    Person {
        name: String::from_utf8_lossy(signature.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(signature.email_bytes()).into_owned(),
    }
}

pub(crate) fn commit_meta(commit: &Commit<'_>) -> CommitMeta {
    let author = commit.author();
    CommitMeta {
        id: commit.id().to_string(),
        author: person(&author),
        committer: person(&commit.committer()),
        time: to_datetime(commit.time()),
        author_time: to_datetime(author.when()),
        summary: commit
            .summary_bytes()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .unwrap_or_default(),
    }
}

pub(crate) fn find_meta(repo: &Repository, id: Oid) -> Result<CommitMeta, HistoryError> {
    let commit = repo
        .find_commit(id)
        .map_err(|e| git_error("reading a commit", &e))?;
    Ok(commit_meta(&commit))
}
