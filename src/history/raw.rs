//! Reading raw tree and commit objects straight from the object database.
//!
//! A history walk reads tens of thousands of trees and commits and needs only a few fields of
//! each; parsing the raw bytes here costs no allocation per entry, where libgit2's tree and
//! commit objects allocate, parse every mode and signature, and go through its object cache.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Offset, Utc};
use git2::{ErrorCode, ObjectType, Odb, OdbObject, Oid, Repository};

use super::error::git_error;
use super::event::{CommitMeta, Person};
use super::pack::{PackReader, Packed, Packs};
use super::HistoryError;

/// Length of a SHA-1 object id in a raw tree entry.
const OID_BYTES: usize = 20;

pub(crate) const MODE_FOLDER: u32 = 0o040_000;
const MODE_FILE: u32 = 0o100_644;
const MODE_EXECUTABLE: u32 = 0o100_755;

/// One thread's view of the object database: packed objects through a [`PackReader`] of its
/// own, anything else (loose objects, alternates, what the reader cannot read) through
/// libgit2. Not `Sync`, like libgit2's handle.
pub(crate) struct Objects<'r> {
    odb: Odb<'r>,
    reader: RefCell<PackReader>,
}

/// An object's type and bytes, from either reader.
pub(crate) enum Object<'o> {
    Git(OdbObject<'o>),
    Packed(Packed),
}

impl Object<'_> {
    pub fn kind(&self) -> ObjectType {
        match self {
            Object::Git(object) => object.kind(),
            Object::Packed(object) => object.kind,
        }
    }

    pub fn data(&self) -> &[u8] {
        match self {
            Object::Git(object) => object.data(),
            Object::Packed(object) => &object.data,
        }
    }
}

impl<'r> Objects<'r> {
    /// The objects of `repo`, reading the pack indexes `packs` (see [`Packs::load`]); threads
    /// walking one repository share them.
    pub fn open(repo: &'r Repository, packs: Arc<Packs>) -> Result<Self, HistoryError> {
        let odb = repo
            .odb()
            .map_err(|e| git_error("opening the object database", &e))?;
        Ok(Self::with_odb(odb, packs))
    }

    pub fn with_odb(odb: Odb<'r>, packs: Arc<Packs>) -> Self {
        Self {
            odb,
            reader: RefCell::new(PackReader::new(packs)),
        }
    }

    /// The pack indexes, for another thread's [`Objects`].
    pub fn packs(&self) -> Arc<Packs> {
        self.reader.borrow().packs()
    }

    /// The object `id`, or `None` when the repository does not have it. Whichever reader
    /// serves it, its content was hashed and found to be `id` (libgit2 checks what it reads
    /// with strict hash verification, on since [`super::open`]); a mismatch is
    /// [`HistoryError::Damaged`].
    pub fn find(&self, id: Oid) -> Result<Option<Object<'_>>, HistoryError> {
        if let Some(packed) = self.reader.borrow_mut().read(id) {
            return Ok(Some(Object::Packed(packed)));
        }
        match self.odb.read(id) {
            Ok(object) => Ok(Some(Object::Git(object))),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            Err(err) => Err(damaged(id, &err)),
        }
    }

    /// The type and size of object `id`, from its header: a large object is not built to learn
    /// its size. `None` when the repository does not have it.
    pub fn header(&self, id: Oid) -> Result<Option<(ObjectType, usize)>, HistoryError> {
        if let Some(header) = self.reader.borrow_mut().header(id) {
            return Ok(Some(header));
        }
        match self.odb.read_header(id) {
            Ok((size, kind)) => Ok(Some((kind, size))),
            Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
            Err(err) => Err(damaged(id, &err)),
        }
    }
}

/// An object libgit2 could not read: its content does not hash to its id, or its pack entry
/// does not inflate. Either way the repository, not poam, is at fault.
fn damaged(id: Oid, err: &git2::Error) -> HistoryError {
    let detail = if err.code() == ErrorCode::HashsumMismatch {
        "its content does not hash to its id".to_owned()
    } else {
        format!("it cannot be read ({})", err.message())
    };
    HistoryError::Damaged {
        id: id.to_string(),
        detail,
    }
}

/// Reads objects of an expected type.
pub(crate) fn read<'o>(
    objects: &'o Objects<'_>,
    id: Oid,
    kind: ObjectType,
) -> Result<Object<'o>, HistoryError> {
    let object = objects.find(id)?.ok_or_else(|| HistoryError::Git {
        context: "reading the object database".to_owned(),
        message: format!("object {id} is missing"),
    })?;
    if object.kind() != kind {
        return Err(HistoryError::Git {
            context: "reading the object database".to_owned(),
            message: format!("object {id} is a {}, expected a {kind}", object.kind()),
        });
    }
    Ok(object)
}

/// One entry of a raw tree: `<octal mode> <name>\0<20-byte id>`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawEntry<'a> {
    pub mode: u32,
    pub name: &'a [u8],
    id: &'a [u8],
    /// The whole entry: equal bytes mean equal mode, name and object.
    pub bytes: &'a [u8],
}

impl RawEntry<'_> {
    pub fn id(&self) -> Oid {
        // Twenty bytes were checked when the entry was cut out.
        Oid::from_bytes(self.id).unwrap_or(Oid::ZERO_SHA1)
    }

    pub fn is_folder(&self) -> bool {
        self.mode == MODE_FOLDER
    }

    pub fn is_regular_file(&self) -> bool {
        matches!(self.mode, MODE_FILE | MODE_EXECUTABLE)
    }
}

/// The entries of a raw tree, in stored order. A malformed tree ends the iteration early and
/// sets `malformed`.
pub(crate) struct RawEntries<'a> {
    rest: &'a [u8],
    pub malformed: bool,
}

impl<'a> RawEntries<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self {
            rest: data,
            malformed: false,
        }
    }
}

impl<'a> Iterator for RawEntries<'a> {
    type Item = RawEntry<'a>;

    fn next(&mut self) -> Option<RawEntry<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let entry = cut_entry(self.rest);
        match entry {
            Some(entry) => {
                self.rest = &self.rest[entry.bytes.len()..];
                Some(entry)
            }
            None => {
                self.malformed = true;
                self.rest = &[];
                None
            }
        }
    }
}

fn cut_entry(data: &[u8]) -> Option<RawEntry<'_>> {
    let space = data.iter().position(|&b| b == b' ')?;
    let mut mode = 0u32;
    for &digit in &data[..space] {
        if !(b'0'..=b'7').contains(&digit) {
            return None;
        }
        mode = mode.checked_mul(8)? + u32::from(digit - b'0');
    }
    let name_start = space + 1;
    let nul = name_start + data.get(name_start..)?.iter().position(|&b| b == 0)?;
    let end = nul + 1 + OID_BYTES;
    Some(RawEntry {
        mode,
        name: &data[name_start..nul],
        id: data.get(nul + 1..end)?,
        bytes: &data[..end],
    })
}

/// Git's tree order: names compared bytewise, folders as if they ended in `/`.
pub(crate) fn git_order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> Ordering {
    let common = a.name.len().min(b.name.len());
    match a.name[..common].cmp(&b.name[..common]) {
        Ordering::Equal => {
            let next = |entry: &RawEntry<'_>| match entry.name.get(common) {
                Some(&byte) => byte,
                None if entry.is_folder() => b'/',
                None => 0,
            };
            next(a).cmp(&next(b)).then(a.name.len().cmp(&b.name.len()))
        }
        other => other,
    }
}

/// The entry called `name` in a raw tree.
pub(crate) fn find_entry<'a>(
    tree: &'a [u8],
    name: &[u8],
) -> Result<Option<RawEntry<'a>>, HistoryError> {
    let mut entries = RawEntries::new(tree);
    let found = entries.by_ref().find(|e| e.name == name);
    if found.is_none() && entries.malformed {
        return Err(malformed_tree());
    }
    Ok(found)
}

pub(crate) fn malformed_tree() -> HistoryError {
    HistoryError::Git {
        context: "reading a tree".to_owned(),
        message: "malformed tree object".to_owned(),
    }
}

/// What a history walk needs from a commit: its tree and parents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CommitLinks {
    pub tree: Oid,
    pub first_parent: Option<Oid>,
}

/// A commit object and the links read from it.
pub(crate) struct RawCommit<'o> {
    pub id: Oid,
    pub links: CommitLinks,
    object: Object<'o>,
}

impl RawCommit<'_> {
    /// Who, when and why, parsed from the raw header and message.
    pub fn meta(&self) -> CommitMeta {
        parse_commit_meta(self.id, self.object.data())
    }

    /// What to say when the committer or author time cannot be shown (missing, malformed or
    /// outside chrono's dates): [`RawCommit::meta`] then gives the epoch, 1970-01-01.
    pub fn time_warning(&self) -> Option<String> {
        let data = self.object.data();
        let header = data
            .windows(2)
            .position(|w| w == b"\n\n")
            .map_or(data, |at| &data[..at]);
        let mut odd = Vec::new();
        for role in ["committer", "author"] {
            let prefix = format!("{role} ");
            let line = header
                .split(|&b| b == b'\n')
                .find_map(|line| line.strip_prefix(prefix.as_bytes()));
            let when = line.and_then(|line| {
                let close = line.iter().rposition(|&b| b == b'>')?;
                Some(
                    String::from_utf8_lossy(&line[close + 1..])
                        .trim()
                        .to_owned(),
                )
            });
            let readable = when.as_deref().is_some_and(|when| {
                when.split_whitespace()
                    .next()
                    .and_then(|s| s.parse::<i64>().ok())
                    .is_some_and(|seconds| DateTime::from_timestamp(seconds, 0).is_some())
            });
            if !readable {
                let shown = when.map_or_else(|| "none".to_owned(), |when| format!("`{when}`"));
                odd.push(format!("{role} time {shown}"));
            }
        }
        if odd.is_empty() {
            return None;
        }
        Some(format!(
            "commit {} records a {} that is missing or outside the dates poam can show: its \
             changes are dated 1970-01-01",
            self.id,
            odd.join(" and a ")
        ))
    }
}

/// Reads a commit and its `tree` and first `parent` header lines; `None` when the object is
/// not in the repository (a shallow clone's cut-off parent).
pub(crate) fn read_commit<'o>(
    objects: &'o Objects<'_>,
    id: Oid,
) -> Result<Option<RawCommit<'o>>, HistoryError> {
    let Some(object) = objects.find(id)? else {
        return Ok(None);
    };
    if object.kind() != ObjectType::Commit {
        return Err(HistoryError::Git {
            context: "reading a commit".to_owned(),
            message: format!("object {id} is a {}, not a commit", object.kind()),
        });
    }
    let links = parse_commit_links(object.data()).ok_or_else(|| HistoryError::Git {
        context: "reading a commit".to_owned(),
        message: format!("commit {id} has no readable tree line"),
    })?;
    Ok(Some(RawCommit { id, links, object }))
}

/// Author, committer, times and summary from a raw commit. Missing or malformed lines give
/// empty names and the epoch rather than an error: the walk must go on.
fn parse_commit_meta(id: Oid, data: &[u8]) -> CommitMeta {
    let (header, message) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let mut author = None;
    let mut committer = None;
    for line in header.split(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"author ") {
            author = Some(parse_signature(rest));
        } else if let Some(rest) = line.strip_prefix(b"committer ") {
            committer = Some(parse_signature(rest));
        }
    }
    let (author, author_time) = author.unwrap_or_else(unknown_signature);
    let (committer, time) = committer.unwrap_or_else(unknown_signature);
    CommitMeta {
        id: id.to_string(),
        author,
        committer,
        time,
        author_time,
        summary: summary(message),
    }
}

fn unknown_signature() -> (Person, DateTime<FixedOffset>) {
    (
        Person {
            name: String::new(),
            email: String::new(),
        },
        datetime(0, 0),
    )
}

/// `Name <email> 1700000000 +0200`
fn parse_signature(text: &[u8]) -> (Person, DateTime<FixedOffset>) {
    let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_owned();
    let (Some(open), Some(close)) = (
        text.iter().position(|&b| b == b'<'),
        text.iter().rposition(|&b| b == b'>'),
    ) else {
        return (
            Person {
                name: lossy(text),
                email: String::new(),
            },
            datetime(0, 0),
        );
    };
    let person = Person {
        name: lossy(&text[..open]),
        email: lossy(text.get(open + 1..close).unwrap_or_default()),
    };
    let when = String::from_utf8_lossy(&text[close + 1..]);
    let mut parts = when.split_whitespace();
    let seconds = parts
        .next()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or(0);
    let offset = parts.next().map_or(0, parse_offset);
    (person, datetime(seconds, offset))
}

/// `+0200` → 120 minutes.
fn parse_offset(text: &str) -> i32 {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    let Ok(value) = digits.parse::<i32>() else {
        return 0;
    };
    sign * ((value / 100) * 60 + value % 100)
}

/// Git's subject line: the first paragraph of the message, its lines joined by spaces.
fn summary(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    let mut lines = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if lines.is_empty() {
                continue;
            }
            break;
        }
        lines.push(line);
    }
    lines.join(" ")
}

fn parse_commit_links(data: &[u8]) -> Option<CommitLinks> {
    let mut tree = None;
    let mut first_parent = None;
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            break; // end of the header
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = Some(parse_hex_oid(hex)?);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            if first_parent.is_none() {
                first_parent = Some(parse_hex_oid(hex)?);
            }
        } else if tree.is_some() && !line.starts_with(b"parent ") {
            break; // `tree` and `parent` lead the header
        }
    }
    Some(CommitLinks {
        tree: tree?,
        first_parent,
    })
}

fn parse_hex_oid(hex: &[u8]) -> Option<Oid> {
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}

/// A commit time: seconds since the epoch shown at a UTC offset in minutes.
pub(crate) fn datetime(seconds: i64, offset_minutes: i32) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(offset_minutes.saturating_mul(60)).unwrap_or(Utc.fix());
    DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, name: &str, id: u8) -> Vec<u8> {
        let mut bytes = format!("{mode} {name}\0").into_bytes();
        bytes.extend([id; OID_BYTES]);
        bytes
    }

    #[test]
    fn entries_are_cut_from_raw_trees() {
        let mut tree = entry("100644", "a.yaml", 1);
        tree.extend(entry("40000", "closed", 2));
        tree.extend(entry("120000", "link.yaml", 3));
        let entries: Vec<RawEntry<'_>> = RawEntries::new(&tree).collect();
        assert_eq!(entries.len(), 3);
        assert!(entries[0].is_regular_file());
        assert_eq!(entries[0].name, b"a.yaml");
        assert_eq!(entries[0].id(), Oid::from_bytes(&[1; 20]).expect("oid"));
        assert!(entries[1].is_folder());
        assert!(!entries[2].is_regular_file() && !entries[2].is_folder());
        assert_eq!(
            find_entry(&tree, b"closed").expect("valid").map(|e| e.mode),
            Some(MODE_FOLDER)
        );
    }

    #[test]
    fn a_truncated_tree_is_malformed_not_a_panic() {
        let tree = entry("100644", "a.yaml", 1);
        let mut entries = RawEntries::new(&tree[..tree.len() - 3]);
        assert!(entries.next().is_none());
        assert!(entries.malformed);
        assert!(find_entry(b"100644 x", b"y").is_err());
    }

    #[test]
    fn folders_sort_as_if_they_ended_in_a_slash() {
        let file = entry("100644", "a.yaml", 1);
        let folder = entry("40000", "a", 2);
        let plain = entry("100644", "a", 3);
        fn e(bytes: &[u8]) -> RawEntry<'_> {
            RawEntries::new(bytes).next().expect("entry")
        }
        // "a/" sorts after "a.yaml" ('/' > '.'), a file "a" before it.
        assert_eq!(git_order(&e(&folder), &e(&file)), Ordering::Greater);
        assert_eq!(git_order(&e(&plain), &e(&file)), Ordering::Less);
        assert_eq!(git_order(&e(&plain), &e(&folder)), Ordering::Less);
    }

    #[test]
    fn commit_meta_is_read_from_the_raw_commit() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor Alice Example <alice@example.com> 1767348000 +0200\ncommitter Bob <bob@example.com> 1767351600 -0530\ngpgsig -----BEGIN-----\n abc\n -----END-----\n\nFirst line\ncontinues here\n\nBody.\n";
        let id = Oid::from_str("1111111111111111111111111111111111111111").expect("oid");
        let meta = parse_commit_meta(id, raw);
        assert_eq!(meta.author.name, "Alice Example");
        assert_eq!(meta.author.email, "alice@example.com");
        assert_eq!(meta.committer.name, "Bob");
        assert_eq!(meta.author_time_rfc3339(), "2026-01-02T12:00:00+02:00");
        assert_eq!(meta.time_rfc3339(), "2026-01-02T05:30:00-05:30");
        assert_eq!(meta.summary, "First line continues here");
        let broken = parse_commit_meta(id, b"tree x\nauthor nobody\n\n");
        assert_eq!(broken.author.name, "nobody");
        assert_eq!(broken.summary, "");
    }

    #[test]
    fn commit_headers_give_tree_and_first_parent() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nparent 1111111111111111111111111111111111111111\nparent 2222222222222222222222222222222222222222\nauthor A <a@x> 1 +0000\n\nmsg\n";
        let links = parse_commit_links(raw).expect("parses");
        assert_eq!(
            links.tree.to_string(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(
            links.first_parent.map(|p| p.to_string()),
            Some("1111111111111111111111111111111111111111".to_owned())
        );
        let root =
            b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\n\nmsg\n";
        assert_eq!(parse_commit_links(root).expect("parses").first_parent, None);
        assert!(parse_commit_links(b"author A <a@x> 1 +0000\n\n").is_none());
    }

    #[test]
    fn commit_times_keep_their_offset() {
        let time = datetime(1_767_348_000, -330);
        assert_eq!(time.to_rfc3339(), "2026-01-02T04:30:00-05:30");
        // An offset chrono cannot represent falls back to UTC instead of failing.
        assert_eq!(
            datetime(0, 100_000).to_rfc3339(),
            "1970-01-01T00:00:00+00:00"
        );
    }
}
