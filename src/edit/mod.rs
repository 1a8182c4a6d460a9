//! Edits of item files that keep the user's file: every change is a splice at the parser's
//! byte spans, so comments, quoting, key order, blank lines and line endings outside the edited
//! value stay byte for byte.
//!
//! Every writing command goes through [`ItemDocument`] (edit an existing file) or
//! [`render_new_item`] plus [`create_new`] (a new file). After each edit the new text is parsed
//! again and the whole tree compared with the intended one; an edit that would read back
//! differently is refused and leaves the document as it was.
//!
//! Concurrent writers: [`ItemDocument::open`] takes an exclusive advisory lock on the file
//! (`flock` through `std::fs::File::try_lock`) and holds it until the document is saved or
//! dropped, so `poam checkin V-1 & poam complete V-1 1` run one after the other and both
//! changes land. A writer waits up to [`LOCK_WAIT`] for the lock, then fails naming the file;
//! the byte comparison in [`ItemDocument::save`] still catches writers that take no lock (an
//! editor, `git checkout`). An item file that is a symlink is refused: renaming the new text
//! over it would replace the link with a copy, and writing through it would change a file
//! whose history poam does not follow.
//!
//! ```
//! use poam::edit::{ItemDocument, Key, NewValue};
//!
//! let text = "id: V-1\n# who fixes it\nowner: 'Ops'\nstatus: open\n";
//! let mut doc = ItemDocument::from_text("V-1.yaml".into(), text.to_owned())?;
//! doc.set(&[Key::from("owner")], NewValue::Str("Web Team".into()))?;
//! doc.set(&[Key::from("title")], NewValue::Str("Reflected XSS".into()))?;
//! assert_eq!(
//!     doc.text(),
//!     "id: V-1\ntitle: Reflected XSS\n# who fixes it\nowner: 'Web Team'\nstatus: open\n"
//! );
//! # Ok::<(), poam::edit::EditError>(())
//! ```

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::model::{Node, Span, Value};
use crate::output::{create_atomically, FolderSyncs, ReplaceSet, Staging};
use crate::parse;

mod emit;
mod new_item;
mod plan;
mod text;

use emit::{date_text, Renderer};
pub use new_item::{render_list_of_mappings, render_new_item};
use plan::Splice;
use text::child;

/// One step of a path into an item: a mapping key or a list position.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    Name(String),
    Index(usize),
}

impl From<&str> for Key {
    fn from(name: &str) -> Self {
        Key::Name(name.to_owned())
    }
}

impl From<usize> for Key {
    fn from(index: usize) -> Self {
        Key::Index(index)
    }
}

/// A value to write. Dates are written `YYYY-MM-DD`; lists and mappings keep the given order.
#[derive(Clone, Debug, PartialEq)]
pub enum NewValue {
    Str(String),
    Date(NaiveDate),
    Int(i64),
    Bool(bool),
    Null,
    List(Vec<NewValue>),
    Map(Vec<(String, NewValue)>),
}

impl NewValue {
    /// The value as [`Node::to_json`] reads it back (a date is its text).
    pub fn to_json(&self) -> Json {
        match self {
            NewValue::Str(s) => Json::String(s.clone()),
            NewValue::Date(d) => Json::String(date_text(*d)),
            NewValue::Int(i) => Json::from(*i),
            NewValue::Bool(b) => Json::Bool(*b),
            NewValue::Null => Json::Null,
            NewValue::List(items) => Json::Array(items.iter().map(NewValue::to_json).collect()),
            NewValue::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Why an edit, a read or a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a readable item file: {message}", path.display())]
    Parse {
        path: PathBuf,
        message: String,
        span: Span,
    },
    #[error("`{}` changed on disk since it was read; nothing was written: read it again and redo the edit", path.display())]
    Changed { path: PathBuf },
    #[error("`{}` already exists; nothing was written", path.display())]
    Exists { path: PathBuf },
    #[error("`{}` is being edited by another poam process (waited {} s for it to finish); nothing was written: try again", path.display(), waited.as_secs())]
    Locked { path: PathBuf, waited: Duration },
    #[error("`{}` is a symlink; poam edits only regular files (writing through a link would change a file whose history poam does not follow, and replacing it would lose the link): edit `{}` by hand, or replace the link with the file", path.display(), target.display())]
    Symlink { path: PathBuf, target: PathBuf },
    #[error("`{}`: no value at `{field}`", path.display())]
    Missing { path: PathBuf, field: String },
    #[error("`{}`: `{field}` is {found}, expected {expected}", path.display())]
    WrongType {
        path: PathBuf,
        field: String,
        found: &'static str,
        expected: &'static str,
    },
    #[error("`{}`: cannot edit `{field}`: {reason}", path.display())]
    Unsupported {
        path: PathBuf,
        field: String,
        reason: String,
    },
    #[error("`{}`: editing `{field}` would not read back as intended ({detail}); the file was left as it was", path.display())]
    Verify {
        path: PathBuf,
        field: String,
        detail: String,
    },
}

/// An item file held in memory for editing, with the bytes it was read from.
#[derive(Debug)]
pub struct ItemDocument {
    path: PathBuf,
    /// What the file held when read (or last saved); [`ItemDocument::save`] refuses otherwise.
    on_disk: Vec<u8>,
    text: String,
    node: Node,
    eol: &'static str,
    /// The open file holding the lock, from [`ItemDocument::open`] until saved or dropped.
    lock: Option<File>,
}

/// A copy without the lock: saving it takes the lock then (and waits while the original
/// holds it).
impl Clone for ItemDocument {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            on_disk: self.on_disk.clone(),
            text: self.text.clone(),
            node: self.node.clone(),
            eol: self.eol,
            lock: None,
        }
    }
}

impl ItemDocument {
    /// Locks, reads and parses `path`. The lock is held until the document is saved or
    /// dropped, so read, check and rename happen as one step for every poam writer.
    pub fn open(path: &Path) -> Result<ItemDocument, EditError> {
        let mut lock = lock_file(path)?;
        let length = lock.metadata().map_or(0, |m| m.len());
        if length > parse::ELEMENTS_FILE.bytes as u64 {
            return Err(EditError::Parse {
                path: path.to_path_buf(),
                message: parse::ELEMENTS_FILE.refusal(length),
                span: Span::new(0, 0),
            });
        }
        let mut bytes = Vec::new();
        // One byte past the limit, for the parser to refuse a file that grew meanwhile.
        let limit = parse::ELEMENTS_FILE.bytes as u64 + 1;
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut lock, limit), &mut bytes)
            .map_err(|source| EditError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        // Items over their limit never get here (the workspace refused them); the inventory
        // and people files the editor also writes may be larger.
        let (text, node) =
            parse::parse_bytes_within(&bytes, parse::ELEMENTS_FILE).map_err(|e| {
                EditError::Parse {
                    path: path.to_path_buf(),
                    message: e.message,
                    span: e.span,
                }
            })?;
        let mut doc = Self::with(path.to_path_buf(), bytes, text, node);
        doc.lock = Some(lock);
        Ok(doc)
    }

    /// A document from text the caller read from `path` (or will create there): `save`
    /// refuses unless the file still holds exactly this text.
    pub fn from_text(path: PathBuf, text: String) -> Result<ItemDocument, EditError> {
        let node = parse::parse_str(&text).map_err(|e| EditError::Parse {
            path: path.clone(),
            message: e.message,
            span: e.span,
        })?;
        let bytes = text.clone().into_bytes();
        Ok(Self::with(path, bytes, text, node))
    }

    fn with(path: PathBuf, on_disk: Vec<u8>, text: String, node: Node) -> Self {
        let eol = match text.find('\n') {
            Some(i) if text[..i].ends_with('\r') => "\r\n",
            _ => "\n",
        };
        Self {
            path,
            on_disk,
            text,
            node,
            eol,
            lock: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current text, with every edit so far applied.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The parsed current text.
    pub fn node(&self) -> &Node {
        &self.node
    }

    /// The value at `path`, if there is one.
    pub fn get(&self, path: &[Key]) -> Option<&Node> {
        let mut node = &self.node;
        for key in path {
            node = child(node, key)?;
        }
        Some(node)
    }

    /// Sets the value at `path`: replaces a scalar (keeping its quoting or block style when
    /// the new value can be written in it) or a whole value, or adds the key to its mapping
    /// at the position the documented key order gives, creating missing parent mappings.
    pub fn set(&mut self, path: &[Key], value: NewValue) -> Result<(), EditError> {
        self.set_styled(path, value, false)
    }

    /// Sets the text at `path` like [`ItemDocument::set`], but text with line breaks becomes a
    /// literal block scalar (`|`) whatever the old value's style, when a block can hold it:
    /// for text the tools write line by line, such as `comments`, which a reader should see
    /// as lines rather than as one quoted line of `\n` escapes.
    pub fn set_lines(&mut self, path: &[Key], text: String) -> Result<(), EditError> {
        self.set_styled(path, NewValue::Str(text), true)
    }

    fn set_styled(
        &mut self,
        path: &[Key],
        value: NewValue,
        literal: bool,
    ) -> Result<(), EditError> {
        let splice = match self.plan_set(path, &value) {
            Ok(splice) if literal => self.plan_literal(path, &value).unwrap_or(splice),
            other => other?,
        };
        let mut expected = self.node.to_json();
        if !json_set(&mut expected, path, value.to_json()) {
            return Err(self.missing(path));
        }
        self.apply(splice, &expected, path)
    }

    /// Sets the values at several paths as one edit, all or none, as [`ItemDocument::set`]
    /// would one after the other: each is planned in the current text, and the result is
    /// parsed and checked once. Refused when two of them would touch the same place.
    pub fn set_all(&mut self, edits: &[(Vec<Key>, NewValue)]) -> Result<(), EditError> {
        let mut expected = self.node.to_json();
        let mut splices = Vec::with_capacity(edits.len());
        for (path, value) in edits {
            splices.push((self.plan_set(path, value)?, path));
            if !json_set(&mut expected, path, value.to_json()) {
                return Err(self.missing(path));
            }
        }
        splices.sort_by_key(|(splice, _)| (splice.start, splice.end));
        if let Some(pair) = splices
            .windows(2)
            .find(|pair| pair[0].0.end > pair[1].0.start || pair[0].0.start == pair[1].0.start)
        {
            return Err(self.unsupported(pair[1].1, "another edit changes the same text"));
        }
        let added: usize = splices.iter().map(|(s, _)| s.replacement.len()).sum();
        let mut text = String::with_capacity(self.text.len() + added);
        let mut copied = 0;
        for (splice, _) in &splices {
            text.push_str(&self.text[copied..splice.start]);
            text.push_str(&splice.replacement);
            copied = splice.end;
        }
        text.push_str(&self.text[copied..]);
        let path = splices.first().map_or(&[][..], |(_, path)| path.as_slice());
        let node = parse::parse_str(&text).map_err(|e| self.verify(path, e.message))?;
        if node.to_json() != expected {
            return Err(self.verify(path, "the result differs from the intended values".into()));
        }
        self.text = text;
        self.node = node;
        Ok(())
    }

    /// Appends `value` to the list at `path` (block or flow style, as the list is written);
    /// a missing or null list becomes a one-entry list.
    pub fn append(&mut self, path: &[Key], value: NewValue) -> Result<(), EditError> {
        let splice = match self.get(path) {
            None => self.plan_set(path, &NewValue::List(vec![value.clone()]))?,
            Some(node) if matches!(node.value, Value::Null) => {
                self.plan_set(path, &NewValue::List(vec![value.clone()]))?
            }
            Some(node) => self.plan_append(path, node, &value)?,
        };
        let mut expected = self.node.to_json();
        if !json_append(&mut expected, path, value.to_json()) {
            return Err(self.missing(path));
        }
        self.apply(splice, &expected, path)
    }

    /// Removes the key or list entry at `path`, with its whole lines in block style.
    pub fn remove(&mut self, path: &[Key]) -> Result<(), EditError> {
        let splice = self.plan_remove(path)?;
        let mut expected = self.node.to_json();
        if !json_remove(&mut expected, path) {
            return Err(self.missing(path));
        }
        let (start, end) = (splice.start, splice.end);
        let first = self.apply(splice, &expected, path);
        if !matches!(first, Err(EditError::Verify { .. })) {
            return first;
        }
        // A `|+` block before the removed lines keeps the blank lines that follow it: also
        // remove the blank lines after them, or keep the line breaks before them.
        let rest = &self.text[end..];
        let blank = rest.len() - rest.trim_start_matches([' ', '\r', '\n']).len();
        let blank = rest[..blank].rfind('\n').map_or(0, |i| i + 1);
        // The removed lines without the line breaks before them (taken when they end a file
        // without a final newline): from the start of their first line.
        let removed = &self.text[start..end];
        let own_lines = start + removed.len() - removed.trim_start_matches(['\r', '\n']).len();
        for (start, end) in [(start, end + blank), (own_lines, end)] {
            let splice = Splice {
                start,
                end,
                replacement: String::new(),
            };
            if self.apply(splice, &expected, path).is_ok() {
                return Ok(());
            }
        }
        first
    }

    /// Writes the text back through a temporary file in the same folder and a rename, under
    /// the file's lock (taken now when [`ItemDocument::open`] did not). Refuses when the file
    /// no longer holds the bytes it was read from; a failed write leaves the file as it was
    /// and no temporary file behind. The lock is released when this returns.
    pub fn save(&mut self) -> Result<(), EditError> {
        self.save_noting(None)
    }

    /// Like [`ItemDocument::save`], but the file's folder is noted in `syncs` to be synced
    /// once at the end of a batch of saves ([`FolderSyncs::sync`]) instead of now.
    pub fn save_deferring_folder_sync(&mut self, syncs: &FolderSyncs) -> Result<(), EditError> {
        self.save_noting(Some(syncs))
    }

    fn save_noting(&mut self, syncs: Option<&FolderSyncs>) -> Result<(), EditError> {
        let lock = match self.lock.take() {
            Some(lock) => lock,
            None => match lock_file(&self.path) {
                Ok(lock) => lock,
                // Removed since it was read: a change like any other.
                Err(EditError::Read { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    return Err(EditError::Changed {
                        path: self.path.clone(),
                    })
                }
                Err(other) => return Err(other),
            },
        };
        let result = self.save_locked(syncs);
        drop(lock);
        result
    }

    /// Stages the text in `set` (see [`ReplaceSet`]) instead of writing it: for a change of
    /// many files that is written whole or not at all. Takes the file's lock (when
    /// [`ItemDocument::open`] did not) and keeps it until the document is dropped, after the
    /// set's commit; refuses, like [`ItemDocument::save`], when the file no longer holds the
    /// bytes it was read from. Returns false when the text is unchanged (nothing staged).
    pub fn stage(&mut self, set: &mut ReplaceSet) -> Result<bool, EditError> {
        if self.lock.is_none() {
            self.lock = Some(lock_file(&self.path).map_err(|err| match err {
                EditError::Read { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                    EditError::Changed {
                        path: self.path.clone(),
                    }
                }
                other => other,
            })?);
        }
        let now = std::fs::read(&self.path).map_err(|source| EditError::Read {
            path: self.path.clone(),
            source,
        })?;
        if now != self.on_disk {
            return Err(EditError::Changed {
                path: self.path.clone(),
            });
        }
        if now == self.text.as_bytes() {
            return Ok(false);
        }
        set.stage(&self.path, self.text.as_bytes())
            .map_err(|source| EditError::Write {
                path: self.path.clone(),
                source,
            })?;
        Ok(true)
    }

    fn save_locked(&mut self, syncs: Option<&FolderSyncs>) -> Result<(), EditError> {
        let now = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(EditError::Changed {
                    path: self.path.clone(),
                })
            }
            Err(source) => {
                return Err(EditError::Read {
                    path: self.path.clone(),
                    source,
                })
            }
        };
        if now != self.on_disk {
            return Err(EditError::Changed {
                path: self.path.clone(),
            });
        }
        if now == self.text.as_bytes() {
            return Ok(());
        }
        match syncs {
            None => write_atomic(&self.path, &self.text)?,
            Some(syncs) => crate::output::replace_atomically_deferring_folder_sync(
                &self.path,
                self.text.as_bytes(),
                syncs,
            )
            .map_err(|source| EditError::Write {
                path: self.path.clone(),
                source,
            })?,
        }
        self.on_disk = self.text.clone().into_bytes();
        Ok(())
    }

    fn apply(&mut self, splice: Splice, expected: &Json, path: &[Key]) -> Result<(), EditError> {
        let mut text = String::with_capacity(self.text.len() + splice.replacement.len());
        text.push_str(&self.text[..splice.start]);
        text.push_str(&splice.replacement);
        text.push_str(&self.text[splice.end..]);
        let node = parse::parse_str(&text).map_err(|e| self.verify(path, e.message))?;
        if node.to_json() != *expected {
            return Err(self.verify(path, "the result differs from the intended value".into()));
        }
        self.text = text;
        self.node = node;
        Ok(())
    }

    fn missing(&self, path: &[Key]) -> EditError {
        EditError::Missing {
            path: self.path.clone(),
            field: field_name(path),
        }
    }

    fn verify(&self, path: &[Key], detail: String) -> EditError {
        EditError::Verify {
            path: self.path.clone(),
            field: field_name(path),
            detail,
        }
    }

    fn unsupported(&self, path: &[Key], reason: &str) -> EditError {
        EditError::Unsupported {
            path: self.path.clone(),
            field: field_name(path),
            reason: reason.to_owned(),
        }
    }

    fn wrong_type(&self, path: &[Key], node: &Node, expected: &'static str) -> EditError {
        EditError::WrongType {
            path: self.path.clone(),
            field: field_name(path),
            found: node.kind(),
            expected,
        }
    }

    fn renderer(&self) -> Renderer {
        Renderer { eol: self.eol }
    }
}

/// How long a writer waits for another writer's lock on an item file before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// Opens `path` and takes an exclusive advisory lock on it, waiting up to [`LOCK_WAIT`]. A
/// writer that held the lock renames a new file over the path, so a lock won on the file
/// that was there before is let go and the path opened again. Refuses a symlink. Where the
/// platform or file system has no locks, the file is returned unlocked (the byte comparison
/// in [`ItemDocument::save`] still refuses a changed file).
fn lock_file(path: &Path) -> Result<File, EditError> {
    let started = Instant::now();
    let read_error = |source| EditError::Read {
        path: path.to_path_buf(),
        source,
    };
    loop {
        let meta = std::fs::symlink_metadata(path).map_err(read_error)?;
        if meta.file_type().is_symlink() {
            return Err(EditError::Symlink {
                path: path.to_path_buf(),
                target: std::fs::read_link(path).unwrap_or_default(),
            });
        }
        // Opening a FIFO blocks, and a device never ends.
        if !meta.is_file() {
            return Err(read_error(std::io::Error::other("not a regular file")));
        }
        let file = File::open(path).map_err(read_error)?;
        match file.try_lock() {
            Ok(()) => {
                let now = std::fs::symlink_metadata(path).ok();
                let locked = file.metadata().ok();
                if same_file(locked.as_ref(), now.as_ref()) {
                    return Ok(file);
                }
                // Replaced while we opened it: lock what is there now.
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                if started.elapsed() >= LOCK_WAIT {
                    return Err(EditError::Locked {
                        path: path.to_path_buf(),
                        waited: LOCK_WAIT,
                    });
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(file)
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(read_error(source)),
        }
    }
}

/// Whether two metadata describe the same file (always true where that cannot be told).
fn same_file(a: Option<&std::fs::Metadata>, b: Option<&std::fs::Metadata>) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (a, b) {
            (Some(a), Some(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        true
    }
}
/// Writes `contents` to `path` atomically (see [`crate::output::replace_atomically`]).
fn write_atomic(path: &Path, contents: &str) -> Result<(), EditError> {
    crate::output::replace_atomically(path, contents.as_bytes()).map_err(|source| {
        EditError::Write {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Creates `path` holding `text`, refusing when the file exists: the file appears whole and
/// only where nothing was (see [`create_atomically`]), so two concurrent `poam new` never
/// write the same file. `text` must parse as an item file.
pub fn create_new(path: &Path, text: &str) -> Result<(), EditError> {
    create_new_in(path, text, None)
}

/// [`create_new`] for one of many new files in one folder, with its temporary file in the
/// writer thread's [`Staging`] folder.
pub fn create_new_staged(path: &Path, text: &str, staging: &Staging) -> Result<(), EditError> {
    create_new_in(path, text, staging.for_this_thread())
}

fn create_new_in(path: &Path, text: &str, staging: Option<&Path>) -> Result<(), EditError> {
    parse::parse_str(text).map_err(|e| EditError::Parse {
        path: path.to_path_buf(),
        message: e.message,
        span: e.span,
    })?;
    create_atomically(path, text.as_bytes(), staging).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            EditError::Exists {
                path: path.to_path_buf(),
            }
        } else {
            EditError::Write {
                path: path.to_path_buf(),
                source,
            }
        }
    })
}
fn field_name(path: &[Key]) -> String {
    let mut out = String::new();
    for key in path {
        match key {
            Key::Name(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Key::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        out.push_str("(the item)");
    }
    out
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Name(name) => f.write_str(name),
            Key::Index(i) => write!(f, "[{i}]"),
        }
    }
}
// ----- the intended result, as plain data -----

fn json_set(root: &mut Json, path: &[Key], value: Json) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = root;
    for key in parents {
        let next = match key {
            Key::Name(name) => {
                if node.is_null() {
                    *node = Json::Object(serde_json::Map::new());
                }
                match node {
                    Json::Object(map) => map
                        .entry(name.clone())
                        .or_insert(Json::Object(serde_json::Map::new())),
                    _ => return false,
                }
            }
            Key::Index(i) => match node.get_mut(*i) {
                Some(next) => next,
                None => return false,
            },
        };
        node = next;
    }
    match last {
        Key::Name(name) => {
            if node.is_null() {
                *node = Json::Object(serde_json::Map::new());
            }
            match node {
                Json::Object(map) => {
                    map.insert(name.clone(), value);
                    true
                }
                _ => false,
            }
        }
        Key::Index(i) => match node.get_mut(*i) {
            Some(slot) => {
                *slot = value;
                true
            }
            None => false,
        },
    }
}

fn json_get_mut<'j>(root: &'j mut Json, path: &[Key]) -> Option<&'j mut Json> {
    let mut node = root;
    for key in path {
        node = match key {
            Key::Name(name) => node.get_mut(name.as_str())?,
            Key::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

fn json_append(root: &mut Json, path: &[Key], value: Json) -> bool {
    match json_get_mut(root, path) {
        Some(Json::Array(items)) => {
            items.push(value);
            true
        }
        Some(Json::Null) | None => json_set(root, path, Json::Array(vec![value])),
        Some(_) => false,
    }
}

fn json_remove(root: &mut Json, path: &[Key]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    match (json_get_mut(root, parents), last) {
        (Some(Json::Object(map)), Key::Name(name)) => map.remove(name.as_str()).is_some(),
        (Some(Json::Array(items)), Key::Index(i)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    }
}

/// A failed edit is a tool failure of the command that asked for it (exit 2); the message
/// names the file, and an I/O failure stays the source.
impl From<EditError> for crate::error::Error {
    fn from(err: EditError) -> Self {
        crate::error::Error::Edit(Box::new(err))
    }
}

#[cfg(test)]
mod tests {
    use super::text::{colon_end, dash_before, is_flow, node_end, seq_items};
    use super::*;

    fn doc(text: &str) -> ItemDocument {
        ItemDocument::from_text("item.yaml".into(), text.to_owned()).expect("parses")
    }

    fn k(name: &str) -> Key {
        Key::from(name)
    }

    fn s(text: &str) -> NewValue {
        NewValue::Str(text.to_owned())
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    /// Several values set as one edit read back as [`ItemDocument::set`] one by one would
    /// write them; edits of the same text are refused, and the document is left as it was.
    #[test]
    fn set_all_writes_every_value_at_once_or_none() {
        let text = "id: V-1\ncontrols: [ac-2, 'sc-8']   # as scanned\nstatus: Open\nl:\n  - x\n  - \"y\"\n";
        let edits = vec![
            (vec![k("controls"), Key::Index(1)], s("SC-8")),
            (vec![k("status")], s("open")),
            (vec![k("controls"), Key::Index(0)], s("AC-2")),
            (vec![k("l"), Key::Index(1)], s("Y")),
        ];
        let mut one_by_one = doc(text);
        for (path, value) in &edits {
            one_by_one.set(path, value.clone()).expect("set");
        }
        let mut together = doc(text);
        together.set_all(&edits).expect("set_all");
        assert_eq!(together.text(), one_by_one.text());
        assert_eq!(
            together.text(),
            "id: V-1\ncontrols: [AC-2, SC-8]   # as scanned\nstatus: open\nl:\n  - x\n  - \"Y\"\n"
        );
        let mut clash = doc(text);
        let twice = vec![
            (vec![k("status")], s("open")),
            (vec![k("status")], s("closed")),
        ];
        assert!(matches!(
            clash.set_all(&twice),
            Err(EditError::Unsupported { .. })
        ));
        assert_eq!(clash.text(), text);
    }

    /// The span facts the splicing relies on.
    #[test]
    fn spans_cover_what_the_editor_expects() {
        let text =
            "a: |\n  x\n\nb: 'q'\nc:\nl:\n  - id: 1\n    d: x\nf: [a, {k: [1]}]\ng: []\nm:\n- a\n";
        let node = parse::parse_str(text).expect("parses");
        let get = |key: &str| &node.get(key).expect(key).value;
        // A block scalar's span starts at its content and keeps its line breaks.
        assert_eq!(slice(text, get("a").span), "x\n\n");
        assert_eq!(node_end(text, get("a")), text.find("x\n").expect("x") + 1);
        // Quoted scalars include their quotes.
        assert_eq!(slice(text, get("b").span), "'q'");
        // An empty value's span sits on the colon.
        let c = node.get("c").expect("c");
        assert_eq!(get("c").span.start, c.key_span.end);
        assert_eq!(colon_end(text, c), Some(c.key_span.end + 1));
        // A block list starts at its dash; its map entries at their first key.
        let l = get("l");
        assert_eq!(&text[l.span.start..l.span.start + 1], "-");
        assert_eq!(slice(text, seq_items(l)[0].span), "id: 1\n    d: x");
        assert!(!is_flow(text, l));
        // Flow collections start at the bracket and end at their last child.
        let f = get("f");
        assert_eq!(slice(text, f.span), "[a, {k: [1");
        assert!(is_flow(text, f));
        assert_eq!(&text[f.span.start..node_end(text, f)], "[a, {k: [1]}]");
        let g = get("g");
        assert_eq!(
            (g.span.start, node_end(text, g)),
            (g.span.start, g.span.start + 2)
        );
        // An indentless list starts at its first entry, not at the dash.
        let m = get("m");
        assert_eq!(slice(text, m.span), "a");
        assert!(!is_flow(text, m));
        assert_eq!(dash_before(text, m.span.start), Some(m.span.start - 2));
        // A nested block scalar's span runs on to the next token, indentation included; a
        // `|+` block keeps the blank lines after it.
        let text = "l:\n  - d: >-\n      x\n    e: 1\nc: |+\n  y\n\nz: 2\n";
        let node = parse::parse_str(text).expect("parses");
        let item = &seq_items(&node.get("l").expect("l").value)[0];
        let d = &item.get("d").expect("d").value;
        assert_eq!(slice(text, d.span), "x\n    ");
        assert_eq!(&text[d.span.start..node_end(text, d)], "x");
        let c = &node.get("c").expect("c").value;
        assert_eq!(&text[c.span.start..node_end(text, c)], "y\n");
        assert_eq!(dash_before(text, item.span.start), Some(5));
    }

    #[test]
    fn replacing_a_scalar_keeps_its_quoting_and_comment() {
        let mut d = doc("title: 'Old' # keep\nowner: \"A\"\nrisk: low\n");
        d.set(&[k("title")], s("It's new")).expect("set");
        d.set(&[k("owner")], s("B \"C\"")).expect("set");
        d.set(&[k("risk")], s("high")).expect("set");
        assert_eq!(
            d.text(),
            "title: 'It''s new' # keep\nowner: \"B \\\"C\\\"\"\nrisk: high\n"
        );
    }

    #[test]
    fn plain_falls_back_to_double_quotes_when_needed() {
        for value in [
            "true", "12", "a: b", "x #y", "- a", "", " lead", "null", "[x]",
        ] {
            let mut d = doc("title: plain\n");
            d.set(&[k("title")], s(value)).expect("set");
            assert!(d.text().starts_with("title: \""), "{value:?}: {}", d.text());
        }
        let mut d = doc("title: plain\n");
        d.set(&[k("title")], NewValue::Int(12)).expect("set");
        assert_eq!(d.text(), "title: 12\n");
    }

    #[test]
    fn block_scalars_keep_their_style_and_indentation() {
        let mut d = doc("description: >-\n    folded\n    text\n\nowner: x\n");
        d.set(&[k("description")], s("one line")).expect("set");
        assert_eq!(d.text(), "description: >-\n    one line\n\nowner: x\n");
        let mut d = doc("description: |\r\n  a\r\n  b\r\nowner: x\r\n");
        d.set(&[k("description")], s("c\nd\n")).expect("set");
        assert_eq!(d.text(), "description: |\r\n  c\r\n  d\r\nowner: x\r\n");
        let mut d = doc("id: V-1\ncomments: short\n");
        d.set(&[k("comments")], s("two\nlines")).expect("set");
        assert_eq!(d.text(), "id: V-1\ncomments: \"two\\nlines\"\n");
    }

    #[test]
    fn lines_become_a_literal_block_whatever_the_old_style() {
        let mut d = doc("id: V-1\ncomments: \"one: line\" # kept\nstatus: open\n");
        d.set_lines(&[k("comments")], "one: line\ntwo".into())
            .expect("set");
        assert_eq!(
            d.text(),
            "id: V-1\ncomments: |- # kept\n  one: line\n  two\nstatus: open\n"
        );
        // One line stays as it is written; a new key is a block too.
        let mut d = doc("id: V-1\ncomments: 'x'\n");
        d.set_lines(&[k("comments")], "y".into()).expect("set");
        assert_eq!(d.text(), "id: V-1\ncomments: 'y'\n");
        let mut d = doc("id: V-1\n");
        d.set_lines(&[k("comments")], "a\nb".into()).expect("set");
        assert_eq!(d.text(), "id: V-1\ncomments: |-\n  a\n  b\n");
        // Text a block cannot hold (leading spaces) stays double-quoted.
        let mut d = doc("id: V-1\ncomments: x\n");
        d.set_lines(&[k("comments")], "  a\nb".into()).expect("set");
        assert_eq!(d.text(), "id: V-1\ncomments: \"  a\\nb\"\n");
    }

    #[test]
    fn new_keys_follow_the_documented_order() {
        let mut d = doc("# head\nid: V-1\n\n# the plan\ndue: 2026-01-01 # c\nstatus: open");
        d.set(
            &[k("detected")],
            NewValue::Date(NaiveDate::from_ymd_opt(2025, 12, 1).expect("date")),
        )
        .expect("set");
        d.set(&[k("closed"), k("date")], s("2026-02-01"))
            .expect("set");
        d.set(&[k("x-custom")], NewValue::Bool(true)).expect("set");
        assert_eq!(
            d.text(),
            "# head\nid: V-1\ndetected: 2025-12-01\n\n# the plan\ndue: 2026-01-01 # c\nstatus: open\nclosed:\n  date: 2026-02-01\nx-custom: true"
        );
        let mut d = doc("title: t\n");
        d.set(&[k("id")], s("V-2")).expect("set");
        assert_eq!(d.text(), "id: V-2\ntitle: t\n");
    }

    #[test]
    fn appending_copies_the_list_style() {
        let mut d = doc("controls: [AC-2]\nmilestone_changes:\n    -   milestone: 1\n        kind: new\nservices: []\n");
        d.append(&[k("controls")], s("SI-2")).expect("append");
        d.append(
            &[k("milestone_changes")],
            NewValue::Map(vec![
                ("milestone".into(), NewValue::Int(2)),
                ("kind".into(), s("update")),
            ]),
        )
        .expect("append");
        d.append(&[k("services")], s("web")).expect("append");
        d.append(&[k("cves")], s("CVE-2026-0001")).expect("append");
        assert_eq!(
            d.text(),
            "controls: [AC-2, SI-2]\nmilestone_changes:\n    -   milestone: 1\n        kind: new\n    -   milestone: 2\n        kind: update\ncves:\n  - CVE-2026-0001\nservices: [web]\n"
        );
        let mut d = doc("milestones:\n  - {id: 1, date: 2026-01-01}\n");
        d.append(
            &[k("milestones")],
            NewValue::Map(vec![("id".into(), NewValue::Int(2))]),
        )
        .expect("append");
        assert_eq!(
            d.text(),
            "milestones:\n  - {id: 1, date: 2026-01-01}\n  - {id: 2}\n"
        );
    }

    #[test]
    fn removing_takes_whole_lines_and_keeps_the_rest() {
        let mut d = doc(
            "a: 1 # gone\n# stays\nb: |\n  x\n\nc: [1, 2, 3]\nl:\n  - id: 1\n    d: x\n  - id: 2\n",
        );
        d.remove(&[k("b")]).expect("remove");
        d.remove(&[k("c"), Key::Index(1)]).expect("remove");
        d.remove(&[k("l"), Key::Index(0), k("id")]).expect("remove");
        d.remove(&[k("l"), Key::Index(1)]).expect("remove");
        d.remove(&[k("a")]).expect("remove");
        assert_eq!(d.text(), "# stays\n\nc: [1, 3]\nl:\n  - d: x\n");
        d.remove(&[k("l"), Key::Index(0)]).expect("remove");
        assert_eq!(d.text(), "# stays\n\nc: [1, 3]\nl: []\n");
        let mut d = doc("a: 1\r\nb: 2");
        d.remove(&[k("b")]).expect("remove");
        assert_eq!(d.text(), "a: 1");
    }

    #[test]
    fn unexpected_shapes_are_errors_not_panics() {
        let mut d = doc("title: t\nlist: [1]\n");
        assert!(matches!(
            d.set(&[k("title"), k("x")], s("y")),
            Err(EditError::WrongType { .. })
        ));
        assert!(matches!(
            d.append(&[k("title")], s("y")),
            Err(EditError::WrongType { .. })
        ));
        assert!(matches!(
            d.remove(&[k("nope")]),
            Err(EditError::Missing { .. })
        ));
        assert!(matches!(
            d.set(&[k("list"), Key::Index(5)], s("y")),
            Err(EditError::Missing { .. })
        ));
        assert!(matches!(
            d.set(&[], s("y")),
            Err(EditError::Unsupported { .. })
        ));
        assert_eq!(d.text(), "title: t\nlist: [1]\n");
    }

    /// What `close` and `complete` will do to the manual's example item.
    #[test]
    fn closing_the_readme_example_touches_only_what_closing_changes() {
        let before = "id: V-1007\ntitle: Cross-Site Scripting (Reflected) in the search page\nmilestones:\n  - {id: 1, date: 2026-08-15, description: Fix merged and deployed to staging.}\nmilestone_changes:\n  - {milestone: 1, kind: update, date: 2026-09-20, description: Waiting on the framework upgrade.}\nstatus: open\nstatus_date: 2026-09-28\n";
        let date = |d| NewValue::Date(NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"));
        let mut d = doc(before);
        d.append(
            &[k("milestone_changes")],
            NewValue::Map(vec![
                ("milestone".into(), NewValue::Int(1)),
                ("kind".into(), s("complete")),
                ("date".into(), date("2026-10-01")),
                ("description".into(), s("Deployed: verified by rescan")),
            ]),
        )
        .expect("append");
        d.set(&[k("status")], s("closed")).expect("set");
        d.set(&[k("status_date")], date("2026-10-02")).expect("set");
        d.set(
            &[k("closed")],
            NewValue::Map(vec![
                ("date".into(), date("2026-10-02")),
                ("evidence".into(), s("Rescan 2026-10-02 shows no finding.")),
            ]),
        )
        .expect("set");
        assert_eq!(
            d.text(),
            "id: V-1007\ntitle: Cross-Site Scripting (Reflected) in the search page\nmilestones:\n  - {id: 1, date: 2026-08-15, description: Fix merged and deployed to staging.}\nmilestone_changes:\n  - {milestone: 1, kind: update, date: 2026-09-20, description: Waiting on the framework upgrade.}\n  - {milestone: 1, kind: complete, date: 2026-10-01, description: \"Deployed: verified by rescan\"}\nstatus: closed\nstatus_date: 2026-10-02\nclosed:\n  date: 2026-10-02\n  evidence: Rescan 2026-10-02 shows no finding.\n"
        );
    }

    #[test]
    fn a_failed_atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        // Renaming a file over a non-empty folder fails after the temporary file was written.
        let target = dir.path().join("V-1.yaml");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("keep"), "x").expect("write");
        let err = write_atomic(&target, "id: V-1\n").expect_err("rename fails");
        assert!(matches!(err, EditError::Write { .. }), "{err}");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("read dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("V-1.yaml")]);
    }

    #[test]
    fn new_items_render_in_documented_order_and_parse() {
        let date = |d| NewValue::Date(NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"));
        let text = render_new_item(&[
            ("status".into(), s("open")),
            ("title".into(), s("XSS: reflected")),
            ("id".into(), s("V-1")),
            (
                "controls".into(),
                NewValue::List(vec![s("SI-10"), s("SI-2")]),
            ),
            ("detected".into(), date("2026-06-28")),
            ("description".into(), s("Line one.\nLine two.\n")),
            (
                "milestones".into(),
                NewValue::List(vec![NewValue::Map(vec![
                    ("description".into(), s("Fix deployed.")),
                    ("id".into(), NewValue::Int(1)),
                    ("date".into(), date("2026-08-15")),
                ])]),
            ),
        ]);
        assert_eq!(
            text,
            "# A POA&M item. Keys and formats: see docs/item-format.md in poam's repository.\n\
             \n# The weakness: what was found, where, and by whom.\n\
             id: V-1\ntitle: \"XSS: reflected\"\ndescription: |\n  Line one.\n  Line two.\n\
             controls: [SI-10, SI-2]\n\
             \n# Dates and risk. Dates are YYYY-MM-DD.\n\
             detected: 2026-06-28\n\
             \n# The plan. Planned milestones stay as first written; record changes in milestone_changes.\n\
             milestones:\n  - id: 1\n    date: 2026-08-15\n    description: Fix deployed.\n\
             \n# Where it stands.\nstatus: open\n"
        );
        let node = parse::parse_str(&text).expect("parses");
        assert_eq!(
            node.get("description").map(|e| e.value.to_json()),
            Some(Json::from("Line one.\nLine two.\n"))
        );
    }

    #[test]
    fn an_editor_failure_keeps_its_io_cause() {
        use std::error::Error as _;
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let error = crate::error::Error::from(EditError::Write {
            path: PathBuf::from("items/V-1.yaml"),
            source: io,
        });
        assert_eq!(error.to_string(), "cannot write `items/V-1.yaml`: denied");
        let cause = error.source().expect("the I/O error is the source");
        assert!(
            cause.downcast_ref::<std::io::Error>().is_some(),
            "{cause:?}"
        );
    }
}
