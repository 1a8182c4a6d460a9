//! Reading commits and trees: the items subtree of each commit, tree diffs limited to item
//! files, and blob parsing in parallel while the walk goes on.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;

use git2::{ObjectType, Oid};
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::model::LineIndex;
use crate::parse::MAX_FILE_BYTES;

use super::raw::{self, Object, Objects, RawEntries, RawEntry};
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

/// Finds the items subtree of commit trees, remembering answers by tree id so unchanged
/// parts of the path are not read again.
pub(crate) struct ItemsTrees<'o> {
    odb: &'o Objects<'o>,
    components: Vec<String>,
    known: HashMap<(usize, Oid), Option<Oid>>,
}

impl<'o> ItemsTrees<'o> {
    pub fn new(odb: &'o Objects<'o>, location: &ItemsLocation) -> Self {
        Self {
            odb,
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
            let object = raw::read(self.odb, tree, ObjectType::Tree)?;
            raw::find_entry(object.data(), name.as_bytes())?
                .filter(RawEntry::is_folder)
                .map(|entry| entry.id())
        };
        let found = match child {
            Some(child) => self.resolve_from(depth + 1, child)?,
            None => None,
        };
        // On a walk only the latest few answers are asked again; keep the map small.
        if self.known.len() > 4096 {
            self.known.clear();
        }
        self.known.insert((depth, tree), found);
        Ok(found)
    }
}

/// A tree object with the byte offset of each entry (and its length as the last offset).
struct IndexedTree<'o> {
    id: Oid,
    object: Object<'o>,
    starts: Vec<usize>,
}

/// The byte offset of each entry of a raw tree, and its length.
fn entry_starts(data: &[u8]) -> Result<Vec<usize>, HistoryError> {
    let mut starts = vec![0];
    let mut entries = RawEntries::new(data);
    let mut at = 0;
    for entry in entries.by_ref() {
        at += entry.bytes.len();
        starts.push(at);
    }
    if entries.malformed {
        return Err(raw::malformed_tree());
    }
    Ok(starts)
}

impl<'o> IndexedTree<'o> {
    fn new(id: Oid, object: Object<'o>) -> Result<Self, HistoryError> {
        let starts = entry_starts(object.data())?;
        Ok(Self { id, object, starts })
    }

    fn id(&self) -> Oid {
        self.id
    }

    fn data(&self) -> &[u8] {
        self.object.data()
    }
}

/// Where two versions of a tree differ, found from the bytes they share at both ends.
struct Alignment {
    /// Entry offsets of the tree that had none.
    fresh_starts: Vec<usize>,
    /// Byte ranges (whole entries) that differ, in the indexed tree and in the other.
    known_middle: Range<usize>,
    fresh_middle: Range<usize>,
}

/// Aligns `fresh` with `known` (whose entry offsets are known). Entries inside the common
/// prefix keep their offsets; entries inside the common suffix keep theirs, shifted by the
/// difference in length; only the entries in between are parsed. A commit that changes one
/// item file of five hundred parses a handful of entries instead of a thousand.
fn align(
    known_data: &[u8],
    known_starts: &[usize],
    fresh: &[u8],
) -> Result<Alignment, HistoryError> {
    let prefix = common_prefix(known_data, fresh);
    // The first entry that is not wholly inside the common prefix.
    let first = known_starts
        .partition_point(|&s| s <= prefix)
        .saturating_sub(1);
    let from = known_starts[first];
    let suffix = common_suffix(&known_data[from..], &fresh[from..]);
    let fresh_suffix_start = fresh.len() - suffix;
    let mut fresh_starts = known_starts[..=first].to_vec();
    let mut at = from;
    loop {
        if at >= fresh_suffix_start {
            // From here on the bytes are the known tree's: stop once on one of its boundaries.
            let known_at = at + known_data.len() - fresh.len();
            if let Ok(next) = known_starts.binary_search(&known_at) {
                fresh_starts.extend(
                    known_starts[next + 1..]
                        .iter()
                        .map(|&s| s + fresh.len() - known_data.len()),
                );
                return Ok(Alignment {
                    fresh_starts,
                    known_middle: from..known_at,
                    fresh_middle: from..at,
                });
            }
        }
        // Both trees end on a boundary, so this is reached only before the end.
        let entry = RawEntries::new(&fresh[at..])
            .next()
            .ok_or_else(raw::malformed_tree)?;
        at += entry.bytes.len();
        fresh_starts.push(at);
    }
}

/// Compared in large blocks, then small ones, then bytes: slice equality is a `memcmp`, and
/// trees of ten thousand entries share hundreds of kilobytes at each end.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let mut at = 0;
    for block in [4096, 64] {
        while at + block <= len && a[at..at + block] == b[at..at + block] {
            at += block;
        }
    }
    while at < len && a[at] == b[at] {
        at += 1;
    }
    at
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let (a_end, b_end) = (a.len(), b.len());
    let mut n = 0;
    for block in [4096, 64] {
        while n + block <= len && a[a_end - n - block..a_end - n] == b[b_end - n - block..b_end - n]
        {
            n += block;
        }
    }
    while n < len && a[a_end - n - 1] == b[b_end - n - 1] {
        n += 1;
    }
    n
}

/// Compares two items trees and lists the item files (`*.yaml`, `*.yml`, regular files) that
/// differ. Subfolders are followed only where their tree ids differ.
pub(crate) struct TreeDiffer<'o> {
    odb: &'o Objects<'o>,
    prefix: String,
    /// The trees of the last comparison: walking backwards one commit's old tree is the next
    /// one's new tree, walking forwards the other way round.
    last: Vec<IndexedTree<'o>>,
}

impl<'o> TreeDiffer<'o> {
    pub fn new(odb: &'o Objects<'o>, location: &ItemsLocation) -> Self {
        Self {
            odb,
            prefix: location.prefix(),
            last: Vec::with_capacity(2),
        }
    }

    pub fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        out: &mut Vec<FileChange>,
    ) -> Result<(), HistoryError> {
        let mut prefix = self.prefix.clone();
        match (old, new) {
            (Some(old), Some(new)) => {
                let (known, fresh, fresh_id, known_is_new) = match self.take_cached(new) {
                    Some(known) => (known, self.read(old)?, old, true),
                    None => match self.take_cached(old) {
                        Some(known) => (known, self.read(new)?, new, false),
                        None => (
                            IndexedTree::new(new, self.read(new)?)?,
                            self.read(old)?,
                            old,
                            true,
                        ),
                    },
                };
                let alignment = align(known.data(), &known.starts, fresh.data())?;
                let known_part = &known.data()[alignment.known_middle];
                let fresh_part = &fresh.data()[alignment.fresh_middle];
                let (old_part, new_part) = if known_is_new {
                    (fresh_part, known_part)
                } else {
                    (known_part, fresh_part)
                };
                diff_trees(self.odb, Some(old_part), Some(new_part), &mut prefix, out)?;
                let fresh = IndexedTree {
                    id: fresh_id,
                    object: fresh,
                    starts: alignment.fresh_starts,
                };
                self.last = vec![known, fresh];
            }
            (old, new) => {
                let Some(id) = old.or(new) else { return Ok(()) };
                let tree = match self.take_cached(id) {
                    Some(tree) => tree,
                    None => IndexedTree::new(id, self.read(id)?)?,
                };
                let data = Some(tree.data());
                let (old_data, new_data) = if old.is_some() {
                    (data, None)
                } else {
                    (None, data)
                };
                diff_trees(self.odb, old_data, new_data, &mut prefix, out)?;
                self.last = vec![tree];
            }
        }
        Ok(())
    }

    fn take_cached(&mut self, id: Oid) -> Option<IndexedTree<'o>> {
        let at = self.last.iter().position(|t| t.id() == id)?;
        Some(self.last.swap_remove(at))
    }

    fn read(&self, id: Oid) -> Result<Object<'o>, HistoryError> {
        raw::read(self.odb, id, ObjectType::Tree)
    }

    /// Every item file in the tree, as `(path, blob)`.
    pub fn list(&mut self, tree: Oid) -> Result<Vec<(String, Oid)>, HistoryError> {
        let mut out = Vec::new();
        self.diff(None, Some(tree), &mut out)?;
        Ok(out.into_iter().filter_map(|change| change.new).collect())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Folder,
    ItemFile,
    Other,
}

fn entry_kind(entry: &RawEntry<'_>) -> EntryKind {
    if entry.is_folder() {
        EntryKind::Folder
    } else if entry.is_regular_file() && is_item_file_name(entry.name) {
        // Regular files only: symlinks and submodules are not items.
        EntryKind::ItemFile
    } else {
        EntryKind::Other
    }
}

/// Item files end in `.yaml` or `.yml`.
pub(crate) fn is_item_file_name(name: &[u8]) -> bool {
    name.ends_with(b".yaml") || name.ends_with(b".yml")
}

fn diff_trees(
    odb: &Objects<'_>,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), HistoryError> {
    let mut olds = RawEntries::new(old.unwrap_or_default());
    let mut news = RawEntries::new(new.unwrap_or_default());
    let (mut before, mut after) = (olds.next(), news.next());
    loop {
        let order = match (&before, &after) {
            (None, None) => break,
            (Some(a), Some(b)) => {
                // Most entries are untouched: same bytes, same name, mode and object.
                if a.bytes == b.bytes {
                    before = olds.next();
                    after = news.next();
                    continue;
                }
                raw::git_order(a, b)
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
        };
        let (old_entry, new_entry) = match order {
            Ordering::Less => (before.take(), None),
            Ordering::Greater => (None, after.take()),
            Ordering::Equal => (before.take(), after.take()),
        };
        compare_entries(odb, old_entry, new_entry, prefix, out)?;
        if before.is_none() {
            before = olds.next();
        }
        if after.is_none() {
            after = news.next();
        }
    }
    if olds.malformed || news.malformed {
        return Err(raw::malformed_tree());
    }
    Ok(())
}

/// One name present in either tree (or both, with different content).
fn compare_entries(
    odb: &Objects<'_>,
    before: Option<RawEntry<'_>>,
    after: Option<RawEntry<'_>>,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), HistoryError> {
    let kinds = (
        before.as_ref().map_or(EntryKind::Other, entry_kind),
        after.as_ref().map_or(EntryKind::Other, entry_kind),
    );
    let Some(name) = before.as_ref().or(after.as_ref()).map(|e| e.name) else {
        return Ok(());
    };
    let len = prefix.len();
    prefix.push_str(&String::from_utf8_lossy(name));
    let result = match kinds {
        (EntryKind::Folder, EntryKind::Folder) => {
            descend(odb, before.as_ref(), after.as_ref(), prefix, out)
        }
        (EntryKind::ItemFile, EntryKind::ItemFile) => {
            out.push(FileChange {
                old: before.as_ref().map(|e| (prefix.clone(), e.id())),
                new: after.as_ref().map(|e| (prefix.clone(), e.id())),
            });
            Ok(())
        }
        (old_kind, new_kind) => {
            // Different kinds under one name (a file that became a symlink): a removal and
            // an addition.
            side(odb, old_kind, before.as_ref(), true, prefix, out)
                .and_then(|()| side(odb, new_kind, after.as_ref(), false, prefix, out))
        }
    };
    prefix.truncate(len);
    result
}

fn side(
    odb: &Objects<'_>,
    kind: EntryKind,
    entry: Option<&RawEntry<'_>>,
    removed: bool,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), HistoryError> {
    let Some(entry) = entry else { return Ok(()) };
    match kind {
        EntryKind::Folder if removed => descend(odb, Some(entry), None, prefix, out),
        EntryKind::Folder => descend(odb, None, Some(entry), prefix, out),
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
    odb: &Objects<'_>,
    before: Option<&RawEntry<'_>>,
    after: Option<&RawEntry<'_>>,
    prefix: &mut String,
    out: &mut Vec<FileChange>,
) -> Result<(), HistoryError> {
    let old = before
        .map(|e| raw::read(odb, e.id(), ObjectType::Tree))
        .transpose()?;
    let new = after
        .map(|e| raw::read(odb, e.id(), ObjectType::Tree))
        .transpose()?;
    prefix.push('/');
    diff_trees(
        odb,
        old.as_ref().map(Object::data),
        new.as_ref().map(Object::data),
        prefix,
        out,
    )
}

/// Blobs waiting to be parsed, by id.
type Pending = Vec<(Oid, Vec<u8>)>;

/// Most blobs handed to the helper at once: small enough that what it holds when the walk
/// ends is quickly done, large enough that handing over is rare.
const HELPER_BATCH: usize = 64;

/// Parses blobs on another thread while the caller keeps walking.
///
/// During the walk one helper thread takes everything queued so far whenever it is idle, so
/// one core parses while the walking thread reads git objects on the other, and batches grow
/// by themselves when parsing falls behind. The helper sleeps while it waits (a rayon worker
/// would spin and take the walker's core). [`BlobParser::finish`] parses what is left on the
/// rayon pool.
pub(crate) struct BlobParser<'o> {
    odb: &'o Objects<'o>,
    requested: HashSet<Oid>,
    pending: VecDeque<(Oid, Vec<u8>)>,
    /// Blobs over the item size limit, refused from their header without being read.
    refused: Vec<(Oid, Parsed)>,
    helper: Option<Helper>,
}

struct Helper {
    idle: Arc<AtomicBool>,
    work: Sender<Pending>,
    thread: std::thread::JoinHandle<Vec<(Oid, Parsed)>>,
}

impl Helper {
    fn start() -> Option<Self> {
        let (work, inbox) = mpsc::channel::<Pending>();
        let idle = Arc::new(AtomicBool::new(true));
        let idle_flag = Arc::clone(&idle);
        let thread = std::thread::Builder::new()
            .name("poam-history-parse".to_owned())
            .spawn(move || {
                let mut done = Vec::new();
                for batch in inbox {
                    done.extend(
                        batch
                            .into_iter()
                            .map(|(blob, bytes)| (blob, parse_blob(&bytes))),
                    );
                    idle_flag.store(true, AtomicOrdering::Release);
                }
                done
            })
            .ok()?;
        Some(Self { idle, work, thread })
    }
}

impl<'o> BlobParser<'o> {
    pub fn new(odb: &'o Objects<'o>) -> Self {
        Self {
            odb,
            requested: HashSet::new(),
            pending: VecDeque::new(),
            refused: Vec::new(),
            // On a single core a helper only adds switching.
            helper: (rayon::current_num_threads() > 1)
                .then(Helper::start)
                .flatten(),
        }
    }

    /// Reads the blob now (git objects stay on this thread: the repository is not `Sync`) and
    /// queues it for parsing, once per blob id.
    pub fn request(&mut self, blob: Oid) -> Result<(), HistoryError> {
        if self.requested.contains(&blob) {
            return Ok(());
        }
        // The size first: a version far over the limit (a 1 GB file committed by mistake) is
        // a parse error of that version without being inflated.
        if let Some((ObjectType::Blob, size)) = self.odb.header(blob)? {
            if size > MAX_FILE_BYTES {
                self.requested.insert(blob);
                self.refused.push((blob, Err(Arc::from(too_large(size)))));
                return Ok(());
            }
        }
        let bytes = raw::read(self.odb, blob, ObjectType::Blob)?.data().to_vec();
        self.parse(blob, bytes);
        Ok(())
    }

    /// Records a working-tree version over the item size limit as refused, unread.
    pub fn refuse_too_large(&mut self, blob: Oid, size: usize) {
        if self.requested.insert(blob) {
            self.refused.push((blob, Err(Arc::from(too_large(size)))));
        }
    }

    /// Queues bytes that did not come from the object database (the working tree).
    pub fn parse(&mut self, blob: Oid, bytes: Vec<u8>) {
        if !self.requested.insert(blob) {
            return;
        }
        self.pending.push_back((blob, bytes));
        if let Some(helper) = &self.helper {
            if helper.idle.swap(false, AtomicOrdering::AcqRel) {
                let take = self.pending.len().min(HELPER_BATCH);
                let batch: Pending = self.pending.drain(..take).collect();
                if let Err(returned) = helper.work.send(batch) {
                    // The helper is gone; parse its share at the end.
                    self.pending.extend(returned.0);
                    self.helper = None;
                }
            }
        }
    }

    pub fn count(&self) -> usize {
        self.requested.len()
    }

    /// Parses what is still queued on the rayon pool, waits for the helper and returns all
    /// results by blob id.
    pub fn finish(self) -> Memo {
        let rest: Vec<(Oid, Parsed)> = self
            .pending
            .into_par_iter()
            .map(|(blob, bytes)| (blob, parse_blob(&bytes)))
            .collect();
        let mut memo: Memo = rest.into_iter().collect();
        memo.extend(self.refused);
        if let Some(helper) = self.helper {
            drop(helper.work);
            // A helper that panicked parsed nothing we can use; its blobs read as unparsed.
            if let Ok(done) = helper.thread.join() {
                memo.extend(done);
            }
        }
        memo
    }
}

/// Why a version over the item size limit was not read.
fn too_large(size: usize) -> String {
    format!(
        "file is {size} bytes; items may be at most {MAX_FILE_BYTES} bytes (this version was not \
         read)"
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, u8)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for (name, id) in entries {
            bytes.extend(format!("100644 {name}\0").into_bytes());
            bytes.extend([*id; 20]);
        }
        bytes
    }

    /// The item files that differ, by a full merge of both trees.
    fn full_diff(old: &[u8], new: &[u8]) -> Vec<(Option<String>, Option<String>)> {
        let mut out = Vec::new();
        let mut prefix = String::new();
        let odb = Objects::with_odb(
            git2::Odb::new().expect("in-memory odb"),
            super::super::pack::Packs::empty(),
        );
        diff_trees(&odb, Some(old), Some(new), &mut prefix, &mut out).expect("diff");
        out.into_iter()
            .map(|c| (c.old.map(|o| o.0), c.new.map(|n| n.0)))
            .collect()
    }

    fn aligned_diff(
        known: &[u8],
        fresh: &[u8],
        known_is_new: bool,
    ) -> Vec<(Option<String>, Option<String>)> {
        let starts = entry_starts(known).expect("valid");
        let alignment = align(known, &starts, fresh).expect("aligns");
        assert_eq!(alignment.fresh_starts, entry_starts(fresh).expect("valid"));
        let k = &known[alignment.known_middle];
        let f = &fresh[alignment.fresh_middle];
        let (old, new) = if known_is_new { (f, k) } else { (k, f) };
        full_diff(old, new)
    }

    #[test]
    fn aligned_diffs_equal_full_diffs() {
        let names: Vec<String> = (0..40).map(|i| format!("POAM-{i:04}.yaml")).collect();
        // Every entry has the same object id, so neighbouring entries look much alike.
        let base: Vec<(&str, u8)> = names.iter().map(|n| (n.as_str(), 1)).collect();
        let mut variants: Vec<Vec<(&str, u8)>> = Vec::new();
        // One changed blob at the start, middle and end; several at once.
        for at in [0, 20, 39] {
            let mut v = base.clone();
            v[at].1 = 2;
            variants.push(v);
        }
        let mut many = base.clone();
        for at in [1, 7, 30] {
            many[at].1 = 3;
        }
        variants.push(many);
        // Added and removed entries.
        let mut added = base.clone();
        added.insert(10, ("POAM-0009a.yaml", 1));
        variants.push(added);
        let mut removed = base.clone();
        removed.remove(25);
        variants.push(removed);
        let mut both = base.clone();
        both.remove(0);
        both.push(("POAM-9999.yaml", 1));
        variants.push(both);
        variants.push(Vec::new());
        let base_tree = tree(&base);
        for variant in &variants {
            let other = tree(variant);
            let expected = full_diff(&base_tree, &other);
            assert!(!expected.is_empty());
            assert_eq!(aligned_diff(&base_tree, &other, false), expected);
            assert_eq!(aligned_diff(&other, &base_tree, true), expected);
            let reverse = full_diff(&other, &base_tree);
            assert_eq!(aligned_diff(&base_tree, &other, true), reverse);
        }
    }

    #[test]
    fn common_ends_are_counted_across_blocks() {
        let a: Vec<u8> = (0..200u8).collect();
        let mut b = a.clone();
        b[130] = 0;
        assert_eq!(common_prefix(&a, &b), 130);
        assert_eq!(common_suffix(&a, &b), 69);
        assert_eq!(common_prefix(&a, &a[..50]), 50);
        assert_eq!(common_suffix(&a, &a[150..]), 50);
    }
}
