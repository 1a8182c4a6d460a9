//! Turns per-commit file changes into item lineages, events and versions.
//!
//! Items are followed by their `id`, not their path: a file that disappears and reappears
//! elsewhere in the same commit with the same id is a rename; a file whose `id` changes in
//! place (or moves while its other fields stay) keeps its lineage and records the old id.

use std::collections::HashMap;
use std::sync::Arc;

use git2::Oid;
use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use crate::model::{Node, Value};

use super::diff::{diff_nodes, same_value};
use super::event::{Event, EventKind, ItemHistory, Source, Version, VersionState};

/// A parsed blob: the tree, or the parser's message.
pub(crate) type Parsed = Result<Arc<Node>, Arc<str>>;

/// Parsed blobs by id; every blob is parsed once.
pub(crate) type Memo = HashMap<Oid, Parsed>;

/// One path that differs between two trees: present before, after, or both.
#[derive(Clone, Debug)]
pub(crate) struct FileChange {
    pub old: Option<(String, Oid)>,
    pub new: Option<(String, Oid)>,
}

/// The fraction of top-level fields (other than `id`) that must be equal for a removed and an
/// added file with different ids to count as one item that was renamed and re-identified.
const SAME_ITEM_SHARE: f64 = 0.6;

/// Fields that must all be equal (or all absent) for that.
const IDENTIFYING_FIELDS: [&str; 3] = ["title", "description", "detector_id"];

#[derive(Debug)]
struct Lineage {
    id: String,
    /// The id came from the file name because no version so far had a usable `id`.
    id_from_stem: bool,
    former_ids: Vec<String>,
    path: String,
    exists: bool,
    pre_existing: bool,
    last_parsed: Option<Arc<Node>>,
    events: Vec<Event>,
    versions: Vec<Version>,
}

/// A field-level comparison left for [`Tracker::finish`], which runs them in parallel.
#[derive(Debug)]
struct PendingDiff {
    lineage: usize,
    event: usize,
    before: Arc<Node>,
    after: Arc<Node>,
}

#[derive(Debug, Default)]
pub(crate) struct Tracker {
    live: HashMap<String, usize>,
    pending_diffs: Vec<PendingDiff>,
    dead_by_id: HashMap<String, usize>,
    lineages: Vec<Lineage>,
    /// PR mode: paths the tracker has not seen are taken to be unchanged since this source.
    lazy_baseline: Option<Source>,
}

impl Tracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// A tracker that materialises unseen old-side files as baseline versions from `source`.
    pub fn with_lazy_baseline(source: Source) -> Self {
        Self {
            lazy_baseline: Some(source),
            ..Self::default()
        }
    }

    /// Applies one commit's (or the working tree's) changes. With `baseline`, additions are
    /// the state found at the start of the walked range: no events, versions marked baseline.
    pub fn apply(&mut self, source: &Source, changes: &[FileChange], memo: &Memo, baseline: bool) {
        let mut removed: Vec<(&str, Oid)> = Vec::new();
        let mut added: Vec<(&str, Oid)> = Vec::new();
        for change in changes {
            match (&change.old, &change.new) {
                (Some((old_path, old_blob)), Some((new_path, new_blob)))
                    if old_path == new_path =>
                {
                    self.modify(source, new_path, *old_blob, *new_blob, memo);
                }
                (old, new) => {
                    if let Some((path, blob)) = old {
                        removed.push((path, *blob));
                    }
                    if let Some((path, blob)) = new {
                        added.push((path, *blob));
                    }
                }
            }
        }
        removed.sort_unstable();
        added.sort_unstable();

        let mut removed: Vec<(&str, usize)> = removed
            .into_iter()
            .filter_map(|(path, blob)| Some((path, self.lineage_at(path, blob, memo)?)))
            .collect();
        let mut unmatched_added = Vec::new();
        for (path, blob) in added {
            let parsed = lookup(memo, blob);
            let id = parsed
                .as_ref()
                .ok()
                .and_then(|node| item_id(node))
                .unwrap_or_else(|| file_stem(path));
            match removed
                .iter()
                .position(|(_, lineage)| self.lineages[*lineage].id == id)
            {
                Some(at) => {
                    let (old_path, lineage) = removed.remove(at);
                    self.rename(source, lineage, old_path, path, &parsed);
                }
                None => unmatched_added.push((path, parsed, id)),
            }
        }
        // A move that also changed the id: pair what is left by content.
        let mut still_added = Vec::new();
        for (path, parsed, id) in unmatched_added {
            let partner = parsed.as_ref().ok().and_then(|node| {
                removed.iter().position(|(_, lineage)| {
                    self.lineages[*lineage]
                        .last_parsed
                        .as_ref()
                        .is_some_and(|before| same_item(before, node))
                })
            });
            match partner {
                Some(at) => {
                    let (old_path, lineage) = removed.remove(at);
                    self.rename(source, lineage, old_path, path, &parsed);
                }
                None => still_added.push((path, parsed, id)),
            }
        }
        for (path, lineage) in removed {
            self.delete(source, lineage, path);
        }
        for (path, parsed, id) in still_added {
            self.create(source, path, parsed, id, baseline);
        }
    }

    /// The lineage of the file at `path`, materialising it from the lazy baseline if needed.
    fn lineage_at(&mut self, path: &str, old_blob: Oid, memo: &Memo) -> Option<usize> {
        if let Some(&index) = self.live.get(path) {
            return Some(index);
        }
        let source = self.lazy_baseline.clone()?;
        let parsed = lookup(memo, old_blob);
        let (id, id_from_stem) = identify(&parsed, path);
        let index = self.lineages.len();
        self.lineages.push(Lineage {
            id,
            id_from_stem,
            former_ids: Vec::new(),
            path: path.to_owned(),
            exists: true,
            pre_existing: true,
            last_parsed: parsed.as_ref().ok().cloned(),
            events: Vec::new(),
            versions: vec![Version {
                source,
                path: path.to_owned(),
                state: state_of(&parsed),
                baseline: true,
            }],
        });
        self.live.insert(path.to_owned(), index);
        Some(index)
    }

    fn modify(&mut self, source: &Source, path: &str, old_blob: Oid, new_blob: Oid, memo: &Memo) {
        let parsed = lookup(memo, new_blob);
        match self.lineage_at(path, old_blob, memo) {
            Some(index) => {
                self.record(source, index, EventKind::Changed, path, None, &parsed);
            }
            // An old side we never saw: only possible on a history we could not read whole.
            None => {
                let (id, _) = identify(&parsed, path);
                self.create(source, path, parsed, id, false);
            }
        }
    }

    fn rename(
        &mut self,
        source: &Source,
        index: usize,
        old_path: &str,
        new_path: &str,
        parsed: &Parsed,
    ) {
        self.live.remove(old_path);
        self.live.insert(new_path.to_owned(), index);
        let kind = if old_path == new_path {
            EventKind::Changed
        } else {
            EventKind::Renamed
        };
        self.record(source, index, kind, new_path, Some(old_path), parsed);
    }

    /// Records a new version of an existing lineage and its event.
    fn record(
        &mut self,
        source: &Source,
        index: usize,
        kind: EventKind,
        path: &str,
        old_path: Option<&str>,
        parsed: &Parsed,
    ) {
        let lineage = &mut self.lineages[index];
        let (diff, parse_error) = match parsed {
            Ok(node) => {
                let diff = lineage.last_parsed.as_ref().map(|before| PendingDiff {
                    lineage: index,
                    event: lineage.events.len(),
                    before: Arc::clone(before),
                    after: Arc::clone(node),
                });
                if let Some(id) = item_id(node) {
                    if id != lineage.id {
                        if !lineage.id_from_stem {
                            let before = std::mem::replace(&mut lineage.id, id);
                            lineage.former_ids.push(before);
                        } else {
                            lineage.id = id;
                        }
                    }
                    lineage.id_from_stem = false;
                }
                lineage.last_parsed = Some(Arc::clone(node));
                (diff, None)
            }
            Err(message) => (None, Some(message.to_string())),
        };
        lineage.path = path.to_owned();
        lineage.events.push(Event {
            source: source.clone(),
            kind,
            path: path.to_owned(),
            old_path: old_path.map(str::to_owned),
            changes: Vec::new(),
            parse_error,
            initial: None,
        });
        lineage.versions.push(Version {
            source: source.clone(),
            path: path.to_owned(),
            state: state_of(parsed),
            baseline: false,
        });
        self.pending_diffs.extend(diff);
    }

    fn delete(&mut self, source: &Source, index: usize, path: &str) {
        self.live.remove(path);
        let lineage = &mut self.lineages[index];
        lineage.exists = false;
        lineage.events.push(Event {
            source: source.clone(),
            kind: EventKind::Deleted,
            path: path.to_owned(),
            old_path: None,
            changes: Vec::new(),
            parse_error: None,
            initial: None,
        });
        lineage.versions.push(Version {
            source: source.clone(),
            path: path.to_owned(),
            state: VersionState::Deleted,
            baseline: false,
        });
        self.dead_by_id.insert(lineage.id.clone(), index);
    }

    fn create(&mut self, source: &Source, path: &str, parsed: Parsed, id: String, baseline: bool) {
        let id_from_stem = parsed.as_ref().ok().and_then(|n| item_id(n)).is_none();
        let version = Version {
            source: source.clone(),
            path: path.to_owned(),
            state: state_of(&parsed),
            baseline,
        };
        // An item deleted earlier and added again under the same id continues its timeline:
        // it is restored, and compared with its last version before the deletion.
        let revived = self
            .dead_by_id
            .remove(&id)
            .filter(|&index| !self.lineages[index].exists && !baseline);
        let kind = if revived.is_some() {
            EventKind::Restored
        } else {
            EventKind::Created
        };
        let event = (!baseline).then(|| Event {
            source: source.clone(),
            kind,
            path: path.to_owned(),
            old_path: None,
            changes: Vec::new(),
            parse_error: parsed.as_ref().err().map(|m| m.to_string()),
            initial: match kind {
                EventKind::Created => parsed.as_ref().ok().cloned(),
                _ => None,
            },
        });
        let index = match revived {
            Some(index) => {
                let lineage = &mut self.lineages[index];
                if let (Ok(after), Some(before)) = (&parsed, &lineage.last_parsed) {
                    self.pending_diffs.push(PendingDiff {
                        lineage: index,
                        event: lineage.events.len(),
                        before: Arc::clone(before),
                        after: Arc::clone(after),
                    });
                }
                lineage.exists = true;
                lineage.path = path.to_owned();
                lineage.id_from_stem = id_from_stem;
                if let Ok(node) = &parsed {
                    lineage.last_parsed = Some(Arc::clone(node));
                }
                index
            }
            None => {
                self.lineages.push(Lineage {
                    id,
                    id_from_stem,
                    former_ids: Vec::new(),
                    path: path.to_owned(),
                    exists: true,
                    pre_existing: baseline,
                    last_parsed: parsed.as_ref().ok().cloned(),
                    events: Vec::new(),
                    versions: Vec::new(),
                });
                self.lineages.len() - 1
            }
        };
        let lineage = &mut self.lineages[index];
        lineage.events.extend(event);
        lineage.versions.push(version);
        self.live.insert(path.to_owned(), index);
    }

    /// The lineages as item histories, sorted by id then path.
    pub fn finish(mut self) -> Vec<ItemHistory> {
        let pending = std::mem::take(&mut self.pending_diffs);
        let diffs: Vec<_> = pending
            .par_iter()
            .map(|d| diff_nodes(&d.before, &d.after))
            .collect();
        for (diff, changes) in pending.iter().zip(diffs) {
            self.lineages[diff.lineage].events[diff.event].changes = changes;
        }
        let mut items: Vec<ItemHistory> = self
            .lineages
            .into_iter()
            .map(|l| ItemHistory {
                id: l.id,
                former_ids: l.former_ids,
                path: l.path,
                exists: l.exists,
                pre_existing: l.pre_existing,
                events: l.events,
                versions: l.versions,
            })
            .collect();
        items.sort_by(|a, b| (&a.id, &a.path).cmp(&(&b.id, &b.path)));
        items
    }
}

fn lookup(memo: &Memo, blob: Oid) -> Parsed {
    memo.get(&blob)
        .cloned()
        .unwrap_or_else(|| Err(Arc::from(format!("blob {blob} could not be read"))))
}

fn state_of(parsed: &Parsed) -> VersionState {
    match parsed {
        Ok(node) => VersionState::Parsed(Arc::clone(node)),
        Err(message) => VersionState::Unparseable(message.to_string()),
    }
}

fn identify(parsed: &Parsed, path: &str) -> (String, bool) {
    match parsed.as_ref().ok().and_then(|n| item_id(n)) {
        Some(id) => (id, false),
        None => (file_stem(path), true),
    }
}

/// The item's top-level `id` when it is a non-empty string or an integer.
pub fn item_id(node: &Node) -> Option<String> {
    match &node.get("id")?.value.value {
        Value::Str(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// The file name without its `.yaml`/`.yml` extension.
pub fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name)
        .to_owned()
}

/// Whether two versions with different ids are the same item: the fields that describe the
/// weakness agree, and so do most others. Findings from one scan share owner, dates and
/// controls, so those alone must not pair two items.
fn same_item(before: &Node, after: &Node) -> bool {
    let (Some(old), Some(new)) = (before.as_map(), after.as_map()) else {
        return false;
    };
    let equal = |key: &str| match (before.get(key), after.get(key)) {
        (Some(a), Some(b)) => same_value(&a.value, &b.value),
        (None, None) => true,
        _ => false,
    };
    if !IDENTIFYING_FIELDS.iter().all(|key| equal(key)) {
        return false;
    }
    let ignored = |key: &str| key == "id" || key == "status_date";
    let mut keys: Vec<&str> = old
        .iter()
        .chain(new)
        .map(|e| e.key.as_str())
        .filter(|k| !ignored(k))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return false;
    }
    let kept = keys.iter().filter(|key| equal(key)).count();
    #[allow(clippy::cast_precision_loss)] // field counts are tiny
    let share = kept as f64 / keys.len() as f64;
    share >= SAME_ITEM_SHARE
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::event::{CommitMeta, Person};
    use crate::parse::parse_str;

    struct Repo {
        memo: Memo,
        next: u8,
    }

    impl Repo {
        fn new() -> Self {
            Self {
                memo: Memo::new(),
                next: 1,
            }
        }

        /// A blob with this content.
        fn blob(&mut self, text: &str) -> Oid {
            let id = Oid::from_bytes(&[self.next; 20]).expect("oid");
            self.next += 1;
            let parsed = parse_str(text)
                .map(Arc::new)
                .map_err(|e| Arc::from(e.message));
            self.memo.insert(id, parsed);
            id
        }
    }

    fn commit(n: u8) -> Source {
        let person = Person {
            name: "A".into(),
            email: "a@x".into(),
        };
        let time = chrono::DateTime::from_timestamp(i64::from(n) * 86_400, 0)
            .expect("time")
            .fixed_offset();
        Source::Commit(Arc::new(CommitMeta {
            id: format!("{n:040x}"),
            author: person.clone(),
            committer: person,
            time,
            author_time: time,
            summary: format!("c{n}"),
        }))
    }

    fn add(path: &str, blob: Oid) -> FileChange {
        FileChange {
            old: None,
            new: Some((path.into(), blob)),
        }
    }

    fn remove(path: &str, blob: Oid) -> FileChange {
        FileChange {
            old: Some((path.into(), blob)),
            new: None,
        }
    }

    fn item(id: &str, title: &str) -> String {
        format!("id: {id}\ntitle: {title}\ndescription: {title} is old.\ndetector_id: {title}\nowner: Jane\ndetected: 2026-01-05\ndue: 2026-04-05\nrisk: moderate\nstatus: open\n")
    }

    fn kinds(item: &ItemHistory) -> Vec<&'static str> {
        item.events.iter().map(|e| e.kind.as_str()).collect()
    }

    #[test]
    fn unrelated_items_swapped_in_one_commit_are_not_a_rename() {
        let mut repo = Repo::new();
        let a = repo.blob(&item("A", "OpenSSL"));
        let b = repo.blob(&item("B", "nginx"));
        let mut tracker = Tracker::new();
        tracker.apply(&commit(1), &[add("p/A.yaml", a)], &repo.memo, false);
        tracker.apply(
            &commit(2),
            &[remove("p/A.yaml", a), add("p/B.yaml", b)],
            &repo.memo,
            false,
        );
        let items = tracker.finish();
        assert_eq!(items.len(), 2);
        assert_eq!(kinds(&items[0]), ["created", "deleted"]);
        assert_eq!(kinds(&items[1]), ["created"]);
        assert!(items[1].former_ids.is_empty());
    }

    #[test]
    fn a_moved_item_with_a_new_id_keeps_its_timeline() {
        let mut repo = Repo::new();
        let a = repo.blob(&item("A", "OpenSSL"));
        let renamed = repo.blob(&item("A1", "OpenSSL"));
        let mut tracker = Tracker::new();
        tracker.apply(&commit(1), &[add("p/A.yaml", a)], &repo.memo, false);
        tracker.apply(
            &commit(2),
            &[remove("p/A.yaml", a), add("p/A1.yaml", renamed)],
            &repo.memo,
            false,
        );
        let items = tracker.finish();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].id, "A1");
        assert_eq!(items[0].former_ids, ["A"]);
        assert_eq!(kinds(&items[0]), ["created", "renamed"]);
        assert_eq!(items[0].events[1].old_path.as_deref(), Some("p/A.yaml"));
    }

    #[test]
    fn an_item_deleted_and_added_again_continues_its_timeline() {
        let mut repo = Repo::new();
        let a = repo.blob(&item("A", "OpenSSL"));
        let again = repo.blob(&item("A", "OpenSSL 3"));
        let mut tracker = Tracker::new();
        tracker.apply(&commit(1), &[add("p/A.yaml", a)], &repo.memo, false);
        tracker.apply(&commit(2), &[remove("p/A.yaml", a)], &repo.memo, false);
        tracker.apply(&commit(3), &[add("p/sub/A.yaml", again)], &repo.memo, false);
        let items = tracker.finish();
        assert_eq!(items.len(), 1);
        assert_eq!(kinds(&items[0]), ["created", "deleted", "restored"]);
        // The restore is compared with the version before the deletion.
        assert!(items[0].events[2].changes.iter().any(|c| c.path == "title"));
        assert!(items[0].exists);
        assert_eq!(items[0].path, "p/sub/A.yaml");
        assert_eq!(items[0].versions.len(), 3);
    }

    #[test]
    fn a_copy_under_the_same_id_is_a_second_item() {
        let mut repo = Repo::new();
        let a = repo.blob(&item("A", "OpenSSL"));
        let mut tracker = Tracker::new();
        tracker.apply(&commit(1), &[add("p/A.yaml", a)], &repo.memo, false);
        tracker.apply(&commit(2), &[add("p/copy.yaml", a)], &repo.memo, false);
        let items = tracker.finish();
        assert_eq!(items.len(), 2);
        assert!(items.iter().all(|i| i.id == "A" && i.exists));
    }

    #[test]
    fn an_unparseable_new_file_is_named_by_its_stem_until_it_parses() {
        let mut repo = Repo::new();
        let broken = repo.blob("id: [A\n");
        let fixed = repo.blob(&item("A", "OpenSSL"));
        let mut tracker = Tracker::new();
        tracker.apply(&commit(1), &[add("p/A.yml", broken)], &repo.memo, false);
        tracker.apply(
            &commit(2),
            &[FileChange {
                old: Some(("p/A.yml".into(), broken)),
                new: Some(("p/A.yml".into(), fixed)),
            }],
            &repo.memo,
            false,
        );
        let items = tracker.finish();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].id, "A");
        assert!(items[0].former_ids.is_empty());
        assert!(items[0].events[0].parse_error.is_some());
        assert!(items[0].events[1].parse_error.is_none());
        // Nothing parsed before, so nothing to compare with.
        assert!(items[0].events[1].changes.is_empty());
        assert_eq!(file_stem("a/b/X.yml"), "X");
    }

    #[test]
    fn baseline_files_are_pre_existing_without_events() {
        let mut repo = Repo::new();
        let a = repo.blob(&item("A", "OpenSSL"));
        let changed = repo.blob(&item("A", "OpenSSL 3"));
        let mut tracker = Tracker::new();
        tracker.apply(&commit(1), &[add("p/A.yaml", a)], &repo.memo, true);
        tracker.apply(
            &commit(2),
            &[FileChange {
                old: Some(("p/A.yaml".into(), a)),
                new: Some(("p/A.yaml".into(), changed)),
            }],
            &repo.memo,
            false,
        );
        let items = tracker.finish();
        assert!(items[0].pre_existing);
        assert!(items[0].versions[0].baseline);
        assert_eq!(kinds(&items[0]), ["changed"]);
        let paths: Vec<&str> = items[0].events[0]
            .changes
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        assert_eq!(paths, ["title", "description", "detector_id"]);
    }
}
