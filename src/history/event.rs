//! Plain data produced by the history engine: commits, events, versions. Nothing here names git.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};

use crate::model::Node;

/// A person as recorded in a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One commit on the walked history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitMeta {
    /// Full hex object id.
    pub id: String,
    pub author: Person,
    pub committer: Person,
    /// Committer time with the committer's UTC offset.
    pub time: DateTime<FixedOffset>,
    /// Author time with the author's UTC offset.
    pub author_time: DateTime<FixedOffset>,
    /// First line of the message.
    pub summary: String,
}

impl CommitMeta {
    /// The first 7 hex digits of the id, as `git log --oneline` prints them.
    pub fn short_id(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }

    /// Commit time as RFC 3339 with the recorded offset, e.g. `2026-03-01T10:00:00+02:00`.
    pub fn time_rfc3339(&self) -> String {
        self.time.to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    pub fn author_time_rfc3339(&self) -> String {
        self.author_time.to_rfc3339_opts(SecondsFormat::Secs, false)
    }

    /// True when the commit time is on or after `date` at 00:00 UTC.
    pub fn is_on_or_after(&self, date: NaiveDate) -> bool {
        self.time.with_timezone(&Utc).date_naive() >= date
    }
}

/// Where a version or event comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Commit(Arc<CommitMeta>),
    /// Uncommitted files on disk (PR mode only).
    WorkingTree,
}

impl Source {
    pub fn commit(&self) -> Option<&Arc<CommitMeta>> {
        match self {
            Source::Commit(meta) => Some(meta),
            Source::WorkingTree => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    Created,
    Changed,
    Renamed,
    Deleted,
    /// Added again under the id of an item deleted earlier: its timeline continues.
    Restored,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Changed => "changed",
            EventKind::Renamed => "renamed",
            EventKind::Deleted => "deleted",
            EventKind::Restored => "restored",
        }
    }
}

/// One field that differs between two versions of an item.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    /// Dotted path with 0-based list indexes: `due`, `milestones[2].date`,
    /// `deviations.risk_adjustment.status`.
    pub path: String,
    /// `None` when the field did not exist (or the whole item did not).
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// Something that happened to one item in one commit.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub source: Source,
    pub kind: EventKind,
    /// Path of the file after the event (the removed path for `deleted`), relative to the repo
    /// root with `/` separators.
    pub path: String,
    /// For `renamed`: the path before.
    pub old_path: Option<String>,
    /// Field-level changes against the last version that parsed (for `restored`, the last
    /// before the deletion). Empty for `created`, `deleted`, formatting-only edits and when
    /// this version does not parse.
    pub changes: Vec<FieldChange>,
    /// Set when the file at this commit is not a valid item file: the parser's message.
    pub parse_error: Option<String>,
    /// For `created`: the file as created, when it parsed (the log lists starting values).
    pub initial: Option<Arc<Node>>,
}

impl Event {
    pub fn commit(&self) -> Option<&Arc<CommitMeta>> {
        self.source.commit()
    }
}

/// The content of an item file at one point of history.
#[derive(Clone, Debug, PartialEq)]
pub enum VersionState {
    Parsed(Arc<Node>),
    Unparseable(String),
    /// The file was removed here.
    Deleted,
}

/// One version of an item along history.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    pub source: Source,
    pub path: String,
    pub state: VersionState,
    /// The state was there before the walked range began (shallow boundary, PR merge base):
    /// accepted as-is, never reported as a creation or compared with anything earlier.
    pub baseline: bool,
}

impl Version {
    pub fn node(&self) -> Option<&Node> {
        match &self.state {
            VersionState::Parsed(node) => Some(node),
            _ => None,
        }
    }
}

/// The history of one item (one file lineage, followed across renames and id changes).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemHistory {
    /// The item's id at its latest version (the file stem when it never had a usable `id`).
    pub id: String,
    /// Ids the item carried before, oldest first.
    pub former_ids: Vec<String>,
    /// Path of the latest version, relative to the repo root.
    pub path: String,
    /// False when the latest event deleted the file.
    pub exists: bool,
    /// The item was already there at the start of the walked range (shallow boundary or merge
    /// base), so its creation is not part of this history.
    pub pre_existing: bool,
    /// Events, oldest first.
    pub events: Vec<Event>,
    /// Versions, oldest first: the baseline (if any) then one per event.
    pub versions: Vec<Version>,
}

impl ItemHistory {
    /// True when `id` is the item's id now or was one of its ids before.
    pub fn answers_to(&self, id: &str) -> bool {
        self.id == id || self.former_ids.iter().any(|f| f == id)
    }
}

/// When an item last changed.
#[derive(Clone, Debug, PartialEq)]
pub struct LastChange {
    pub commit: Arc<CommitMeta>,
    /// False when the item has not changed since a shallow boundary: it changed at or before
    /// `commit`, exactly when is unknown.
    pub exact: bool,
}
