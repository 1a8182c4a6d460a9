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

use crate::model::item::{
    CLOSED_KEYS, DEVIATIONS_KEYS, DEVIATION_KEYS, DOCUMENT_KEYS, ITEM_KEYS, MILESTONE_CHANGE_KEYS,
    MILESTONE_KEYS, RISK_ADJUSTMENT_KEYS, VENDOR_KEYS,
};
use crate::model::{Entry, Node, Span, Value};
use crate::output::{create_atomically, ReplaceSet, Staging};
use crate::parse;

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

/// One contiguous replacement of `text[start..end]`.
struct Splice {
    start: usize,
    end: usize,
    replacement: String,
}

/// How a scalar was written, so a replacement can keep it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    New,
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

/// Where a node sits in its parent.
#[derive(Clone, Copy)]
enum Slot<'n> {
    Entry(&'n Node, usize),
    Item(&'n Node, usize),
}

impl ItemDocument {
    /// Locks, reads and parses `path`. The lock is held until the document is saved or
    /// dropped, so read, check and rename happen as one step for every poam writer.
    pub fn open(path: &Path) -> Result<ItemDocument, EditError> {
        let mut lock = lock_file(path)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut lock, &mut bytes).map_err(|source| EditError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let (text, node) = parse::parse_bytes(&bytes).map_err(|e| EditError::Parse {
            path: path.to_path_buf(),
            message: e.message,
            span: e.span,
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
        let result = self.save_locked();
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

    fn save_locked(&mut self) -> Result<(), EditError> {
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
        write_atomic(&self.path, &self.text)?;
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

    // ----- planning: each edit becomes one splice -----

    fn plan_set(&self, path: &[Key], value: &NewValue) -> Result<Splice, EditError> {
        let Some((last, parent_path)) = path.split_last() else {
            return Err(self.unsupported(path, "the item as a whole cannot be replaced"));
        };
        // The deepest existing node along the path, and what is missing below it.
        let mut node = &self.node;
        let mut depth = 0;
        while depth < path.len() {
            match child(node, &path[depth]) {
                Some(next) => {
                    node = next;
                    depth += 1;
                }
                None => break,
            }
        }
        if depth == path.len() {
            let parent = self.get(parent_path).ok_or_else(|| self.missing(path))?;
            let slot = slot_of(parent, last).ok_or_else(|| self.missing(path))?;
            return self.plan_replace(path, slot, value);
        }
        let nested = nest(&path[depth + 1..], value).ok_or_else(|| self.missing(path))?;
        match (&node.value, &path[depth]) {
            (Value::Map(_), Key::Name(name)) => {
                self.plan_add_key(&path[..depth], node, name, &nested)
            }
            (Value::Null, Key::Name(name)) if depth > 0 => {
                let whole = NewValue::Map(vec![(name.clone(), nested)]);
                let parent = self
                    .get(&path[..depth - 1])
                    .ok_or_else(|| self.missing(path))?;
                let slot = slot_of(parent, &path[depth - 1]).ok_or_else(|| self.missing(path))?;
                self.plan_replace(&path[..depth], slot, &whole)
            }
            (Value::Seq(_), Key::Index(_)) => Err(self.missing(path)),
            (Value::Seq(_) | Value::Null, Key::Name(_)) => {
                Err(self.wrong_type(&path[..depth], node, "a mapping"))
            }
            (_, Key::Index(_)) => Err(self.wrong_type(&path[..depth], node, "a list")),
            _ => Err(self.wrong_type(&path[..depth], node, "a mapping")),
        }
    }

    /// Replaces the block-context mapping value at `path` with `value` as a literal block,
    /// when it is multi-line text a block can hold; `None` otherwise (the caller keeps its own
    /// plan).
    fn plan_literal(&self, path: &[Key], value: &NewValue) -> Option<Splice> {
        let NewValue::Str(new) = value else {
            return None;
        };
        if !new.contains('\n') {
            return None;
        }
        let (last, parent_path) = path.split_last()?;
        let parent = self.get(parent_path)?;
        let Slot::Entry(map, i) = slot_of(parent, last)? else {
            return None;
        };
        let text = self.text.as_str();
        if is_flow(text, map) {
            return None;
        }
        let entry = &map_entries(map)[i];
        let old = &entry.value;
        if matches!(old.value, Value::Seq(_) | Value::Map(_)) {
            return None;
        }
        let colon = colon_end(text, entry)?;
        let indent = column(text, entry.key_span.start) + 2;
        let block = block_text(new, indent, false, self.eol)
            .filter(|b| reads_back_block(b, new, self.eol))?;
        let old_end = node_end(text, old).max(colon);
        let line_end = line_end(text, old_end);
        // A comment after the old value stays on the key's line, before the block's lines.
        let trailing = &text[old_end..line_end];
        let (head, tail) = block
            .find(self.eol)
            .map_or((block.as_str(), ""), |i| block.split_at(i));
        Some(Splice {
            start: colon,
            end: line_end,
            replacement: format!("{head}{trailing}{tail}"),
        })
    }

    /// Replaces the whole value in `slot` (its key, dash and surroundings stay).
    fn plan_replace(
        &self,
        path: &[Key],
        slot: Slot<'_>,
        value: &NewValue,
    ) -> Result<Splice, EditError> {
        let text = self.text.as_str();
        let r = self.renderer();
        let (container, old) = match slot {
            Slot::Entry(map, i) => (map, &map_entries(map)[i].value),
            Slot::Item(seq, i) => (seq, &seq_items(seq)[i]),
        };
        if is_flow(text, container) {
            let start = match slot {
                Slot::Entry(map, i) => {
                    let colon = colon_end(text, &map_entries(map)[i])
                        .ok_or_else(|| self.unsupported(path, "its key has no `:`"))?;
                    old.span.start.max(colon)
                }
                Slot::Item(..) => old.span.start,
            };
            let end = node_end(text, old).max(start);
            let mut replacement = r.flow(value);
            if start == end && !text[..start].ends_with([' ', '[', '{']) {
                replacement.insert(0, ' ');
            }
            return Ok(Splice {
                start,
                end,
                replacement,
            });
        }
        let (start, child_indent) = match slot {
            Slot::Entry(map, i) => {
                let entry = &map_entries(map)[i];
                let colon = colon_end(text, entry)
                    .ok_or_else(|| self.unsupported(path, "its key has no `:`"))?;
                (colon, column(text, entry.key_span.start) + 2)
            }
            Slot::Item(..) => {
                // The dash and the spaces after it stay; the entry's content starts after them.
                let dash = dash_before(text, old.span.start)
                    .ok_or_else(|| self.unsupported(path, "its list dash was not found"))?;
                let content = after_dash(text, dash);
                (content, column(text, content))
            }
        };
        let old_end = node_end(text, old).max(start);
        let line_end = line_end(text, old_end);
        let style = scalar_style(text, start, old);
        let indent = match style {
            Style::Literal | Style::Folded => column(text, old.span.start).max(1),
            _ => child_indent,
        };
        let rendered = match slot {
            Slot::Entry(..) => r.after_key(value, indent, style),
            Slot::Item(..) => {
                let content = r.seq_item(value, child_indent, style);
                content.strip_prefix(' ').unwrap_or(&content).to_owned()
            }
        };
        let (head, tail) = rendered
            .find(self.eol)
            .map_or((rendered.as_str(), ""), |i| rendered.split_at(i));
        Ok(Splice {
            start,
            end: line_end,
            replacement: format!("{head}{}{tail}", &text[old_end..line_end]),
        })
    }

    /// Adds `name: value` to the mapping `map` found at `map_path`.
    fn plan_add_key(
        &self,
        map_path: &[Key],
        map: &Node,
        name: &str,
        value: &NewValue,
    ) -> Result<Splice, EditError> {
        let text = self.text.as_str();
        let r = self.renderer();
        let entries = map_entries(map);
        let key = r.key(name);
        if is_flow(text, map) {
            let entry = format!("{key}: {}", r.flow(value));
            return Ok(match entries.last() {
                Some(last) => insert_at(entry_end(text, last), format!(", {entry}")),
                None => insert_at(map.span.start + 1, entry),
            });
        }
        let Some(first) = entries.first() else {
            return Err(self.unsupported(map_path, "an empty block mapping"));
        };
        let indent = column(text, first.key_span.start);
        let line = format!("{key}:{}", r.after_key(value, indent + 2, Style::New));
        let after = known_keys(map_path).and_then(|order| {
            let rank = order.iter().position(|k| *k == name)?;
            Some(
                entries
                    .iter()
                    .filter(|e| {
                        order
                            .iter()
                            .position(|k| *k == e.key)
                            .is_some_and(|p| p < rank)
                    })
                    .max_by_key(|e| order.iter().position(|k| *k == e.key)),
            )
        });
        let anchor = match after {
            // A known key with no known key before it goes first.
            Some(None) => None,
            Some(Some(entry)) => Some(entry),
            None => entries.last(),
        };
        Ok(match anchor {
            None => insert_at(
                first.key_span.start,
                format!("{line}{}{}", self.eol, " ".repeat(indent)),
            ),
            Some(entry) => self.insert_line_after(entry_end(text, entry), indent, &line),
        })
    }

    /// Inserts `line` (indented by `indent`) on a new line after the line holding `pos`.
    fn insert_line_after(&self, pos: usize, indent: usize, line: &str) -> Splice {
        let text = self.text.as_str();
        let at = after_line(text, pos);
        let pad = " ".repeat(indent);
        if text[..at].ends_with('\n') {
            insert_at(at, format!("{pad}{line}{}", self.eol))
        } else {
            // The file ends without a newline: keep it that way.
            insert_at(at, format!("{}{pad}{line}", self.eol))
        }
    }

    fn plan_append(
        &self,
        path: &[Key],
        list: &Node,
        value: &NewValue,
    ) -> Result<Splice, EditError> {
        let text = self.text.as_str();
        let r = self.renderer();
        let Value::Seq(items) = &list.value else {
            return Err(self.wrong_type(path, list, "a list"));
        };
        if is_flow(text, list) {
            return Ok(match items.last() {
                Some(last) => insert_at(node_end(text, last), format!(", {}", r.flow(value))),
                None => insert_at(list.span.start + 1, r.flow(value)),
            });
        }
        let Some(last) = items.last() else {
            return Err(self.unsupported(path, "an empty block list"));
        };
        let dash = dash_before(text, last.span.start)
            .ok_or_else(|| self.unsupported(path, "the list's last dash was not found"))?;
        let dash_col = column(text, dash);
        let gap = after_dash(text, dash) - dash - 1;
        let item_col = dash_col + 1 + gap;
        let flow_maps = matches!(last.value, Value::Map(_)) && is_flow(text, last);
        let content = if flow_maps && matches!(value, NewValue::Map(_)) {
            format!(" {}", r.flow(value))
        } else {
            r.seq_item(value, item_col, Style::New)
        };
        let content = format!("{}{}", " ".repeat(gap.saturating_sub(1)), content);
        Ok(self.insert_line_after(node_end(text, last), dash_col, &format!("-{content}")))
    }

    fn plan_remove(&self, path: &[Key]) -> Result<Splice, EditError> {
        let text = self.text.as_str();
        let Some((last, parent_path)) = path.split_last() else {
            return Err(self.unsupported(path, "the item as a whole cannot be removed"));
        };
        let parent = self.get(parent_path).ok_or_else(|| self.missing(path))?;
        let slot = slot_of(parent, last).ok_or_else(|| self.missing(path))?;
        let (count, index, start, end) = match slot {
            Slot::Entry(map, i) => {
                let entry = &map_entries(map)[i];
                (
                    map_entries(map).len(),
                    i,
                    entry.key_span.start,
                    entry_end(text, entry),
                )
            }
            Slot::Item(seq, i) => {
                let item = &seq_items(seq)[i];
                (
                    seq_items(seq).len(),
                    i,
                    item.span.start,
                    node_end(text, item),
                )
            }
        };
        let starts = |i: usize| match slot {
            Slot::Entry(map, _) => map_entries(map)[i].key_span.start,
            Slot::Item(seq, _) => seq_items(seq)[i].span.start,
        };
        let ends = |i: usize| match slot {
            Slot::Entry(map, _) => entry_end(text, &map_entries(map)[i]),
            Slot::Item(seq, _) => node_end(text, &seq_items(seq)[i]),
        };
        if is_flow(text, parent) {
            let (start, end) = if count == 1 {
                (start, end)
            } else if index + 1 < count {
                (start, starts(index + 1))
            } else {
                (ends(index - 1), end)
            };
            return Ok(Splice {
                start,
                end,
                replacement: String::new(),
            });
        }
        if count == 1 {
            if parent_path.is_empty() {
                return Err(self.unsupported(path, "an item file must keep at least one key"));
            }
            // A block collection cannot be empty: the parent becomes `{}` or `[]`.
            let empty = match slot {
                Slot::Entry(..) => NewValue::Map(Vec::new()),
                Slot::Item(..) => NewValue::List(Vec::new()),
            };
            return self.plan_set(parent_path, &empty);
        }
        let first_on_line = match slot {
            Slot::Entry(..) => start,
            Slot::Item(..) => dash_before(text, start)
                .ok_or_else(|| self.unsupported(path, "its list dash was not found"))?,
        };
        let line_start = line_start(text, first_on_line);
        if !text[line_start..first_on_line].bytes().all(|b| b == b' ') {
            // `- key: value` as the first key of a list entry: the next key takes its place.
            return match slot {
                Slot::Entry(..) if index + 1 < count => Ok(Splice {
                    start,
                    end: starts(index + 1),
                    replacement: String::new(),
                }),
                _ => Err(self.unsupported(path, "it shares its line with other content")),
            };
        }
        let after = after_line(text, end);
        let start = if !text[..after].ends_with('\n') && line_start > 0 {
            // The last line of a file without a final newline: take the line breaks before it.
            text[..line_start].trim_end_matches(['\r', '\n']).len()
        } else {
            line_start
        };
        Ok(Splice {
            start,
            end: after,
            replacement: String::new(),
        })
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

fn insert_at(at: usize, replacement: String) -> Splice {
    Splice {
        start: at,
        end: at,
        replacement,
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

/// Sections of a new item file: the comment above the first key present of each.
const SECTIONS: &[(&str, &str)] = &[
    ("id", "The weakness: what was found, where, and by whom."),
    ("owner", "Who fixes it, and how."),
    ("detected", "Dates and risk. Dates are YYYY-MM-DD."),
    (
        "milestones",
        "The plan. Planned milestones stay as first written; record changes in milestone_changes.",
    ),
    ("status", "Where it stands."),
    ("vendor_dependency", "Optional details."),
    ("closed", "Closing: the date and the evidence."),
    (
        "vdr",
        "The CR26 evaluation (fedramp-cr26): reachability, exploitability, N-rating, reductions.",
    ),
];

/// A new item file: the given fields in the documented key order, at the top and inside the
/// mappings the item format knows (unknown keys last, in the given order), under fixed section
/// comments. Lists of scalars are written `[a, b]`, lists of
/// mappings and mappings in block style, multi-line text as a `|` block.
pub fn render_new_item(fields: &[(String, NewValue)]) -> String {
    let r = Renderer { eol: "\n" };
    let rank = |key: &str| {
        ITEM_KEYS
            .iter()
            .position(|k| *k == key)
            .unwrap_or(usize::MAX)
    };
    let mut sorted: Vec<&(String, NewValue)> = fields.iter().collect();
    sorted.sort_by_key(|(key, _)| rank(key));
    let mut out = String::from(
        "# A POA&M item. Keys and formats: see \"The item format\" in poam's README.\n",
    );
    let mut next_section = 0;
    for (key, value) in sorted {
        let key_rank = rank(key);
        let mut comment = None;
        while let Some((first_key, text)) = SECTIONS.get(next_section) {
            if key_rank == usize::MAX {
                break;
            }
            if rank(first_key) > key_rank {
                break;
            }
            comment = Some(*text);
            next_section += 1;
        }
        if let Some(text) = comment {
            out.push_str(&format!("\n# {text}\n"));
        }
        let value = &in_documented_order(value, &[Key::Name(key.clone())]);
        let rendered = match value {
            NewValue::List(items) if !items.is_empty() && items.iter().all(is_scalar) => {
                format!(" {}", r.flow(value))
            }
            _ => r.after_key(value, 2, Style::New),
        };
        out.push_str(&format!("{}:{rendered}\n", r.key(key)));
    }
    out
}

/// `value` with the keys of every mapping the item format knows in documented order.
fn in_documented_order(value: &NewValue, path: &[Key]) -> NewValue {
    match value {
        NewValue::Map(entries) => {
            let order = known_keys(path).unwrap_or(&[]);
            let rank = |key: &str| order.iter().position(|k| *k == key).unwrap_or(usize::MAX);
            let mut entries: Vec<(String, NewValue)> = entries
                .iter()
                .map(|(k, v)| {
                    let path = [path, &[Key::Name(k.clone())]].concat();
                    (k.clone(), in_documented_order(v, &path))
                })
                .collect();
            entries.sort_by_key(|(k, _)| rank(k));
            NewValue::Map(entries)
        }
        NewValue::List(items) => {
            let path = [path, &[Key::Index(0)]].concat();
            NewValue::List(
                items
                    .iter()
                    .map(|v| in_documented_order(v, &path))
                    .collect(),
            )
        }
        scalar => scalar.clone(),
    }
}

fn is_scalar(value: &NewValue) -> bool {
    !matches!(value, NewValue::List(_) | NewValue::Map(_))
}

// ----- rendering -----

struct Renderer {
    eol: &'static str,
}

impl Renderer {
    /// A mapping key: plain when simple, else double-quoted.
    fn key(&self, name: &str) -> String {
        let simple = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && !name.starts_with('-')
            && matches!(reads_as(name, false), Some(Value::Str(s)) if s == name);
        if simple {
            name.to_owned()
        } else {
            double_quoted(name)
        }
    }

    /// What follows `key:` in block context; children are indented by `indent`.
    fn after_key(&self, value: &NewValue, indent: usize, style: Style) -> String {
        let eol = self.eol;
        match value {
            NewValue::List(items) if items.is_empty() => " []".to_owned(),
            NewValue::Map(entries) if entries.is_empty() => " {}".to_owned(),
            NewValue::List(items) => items
                .iter()
                .map(|item| {
                    let pad = " ".repeat(indent);
                    format!("{eol}{pad}-{}", self.seq_item(item, indent + 2, Style::New))
                })
                .collect(),
            NewValue::Map(entries) => entries
                .iter()
                .map(|(key, value)| {
                    let pad = " ".repeat(indent);
                    let key = self.key(key);
                    let rest = self.after_key(value, indent + 2, Style::New);
                    format!("{eol}{pad}{key}:{rest}")
                })
                .collect(),
            scalar => self.block_scalar(scalar, indent, style),
        }
    }

    /// What follows a list dash in block context; the entry's content sits at `indent`.
    fn seq_item(&self, value: &NewValue, indent: usize, style: Style) -> String {
        match value {
            NewValue::Map(entries) if !entries.is_empty() => {
                let pad = " ".repeat(indent);
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, (key, value))| {
                        let lead = if i == 0 {
                            " ".to_owned()
                        } else {
                            format!("{}{pad}", self.eol)
                        };
                        let key = self.key(key);
                        let rest = self.after_key(value, indent + 2, Style::New);
                        format!("{lead}{key}:{rest}")
                    })
                    .collect()
            }
            NewValue::List(_) | NewValue::Map(_) => format!(" {}", self.flow(value)),
            scalar => self.block_scalar(scalar, indent, style),
        }
    }

    /// A scalar after `key:` or `-` in block context, with its leading space.
    fn block_scalar(&self, value: &NewValue, indent: usize, style: Style) -> String {
        let text = match value {
            NewValue::Str(s) => s.clone(),
            NewValue::Date(d) => date_text(*d),
            other => return format!(" {}", plain_non_string(other)),
        };
        let try_block = |folded| {
            block_text(&text, indent, folded, self.eol)
                .filter(|b| reads_back_block(b, &text, self.eol))
        };
        let quoted = match style {
            Style::Literal | Style::Folded => {
                let block = if style == Style::Folded {
                    try_block(true).or_else(|| try_block(false))
                } else {
                    try_block(false)
                };
                if let Some(block) = block {
                    return block;
                }
                None
            }
            Style::Single => single_quoted(&text),
            Style::Double => Some(double_quoted(&text)),
            Style::New if text.contains('\n') => {
                if let Some(block) = try_block(false) {
                    return block;
                }
                None
            }
            Style::New | Style::Plain => plain_ok(&text, false).then(|| text.clone()),
        };
        format!(
            " {}",
            quoted
                .filter(|q| matches!(reads_as(q, false), Some(Value::Str(s)) if s == text))
                .unwrap_or_else(|| double_quoted(&text))
        )
    }

    /// A value in flow style: `[a, b]`, `{k: v}`, plain or double-quoted scalars.
    fn flow(&self, value: &NewValue) -> String {
        match value {
            NewValue::Str(s) => flow_string(s),
            NewValue::Date(d) => date_text(*d),
            NewValue::List(items) => {
                let items: Vec<String> = items.iter().map(|v| self.flow(v)).collect();
                format!("[{}]", items.join(", "))
            }
            NewValue::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", self.key(k), self.flow(v)))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
            other => plain_non_string(other),
        }
    }
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn plain_non_string(value: &NewValue) -> String {
    match value {
        NewValue::Int(i) => i.to_string(),
        NewValue::Bool(b) => b.to_string(),
        _ => "null".to_owned(),
    }
}

fn flow_string(s: &str) -> String {
    if plain_ok(s, true) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

/// True when `s` written plain reads back as the string `s` (in flow context when `flow`).
fn plain_ok(s: &str, flow: bool) -> bool {
    let simple = !s.is_empty()
        && s.trim() == s
        && !s.chars().any(|c| c.is_control() || is_special_space(c))
        && !s.starts_with('\u{feff}');
    simple && matches!(reads_as(s, flow), Some(Value::Str(read)) if read == s)
}

fn is_special_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{a0}'
    )
}

/// How the YAML text `s` (a scalar as written) reads in a one-key document.
fn reads_as(s: &str, flow: bool) -> Option<Value> {
    let doc = if flow {
        format!("k: [{s}]\n")
    } else {
        format!("k: {s}\n")
    };
    let node = parse::parse_str(&doc).ok()?;
    let value = node.get("k")?.value.value.clone();
    if flow {
        match value {
            Value::Seq(mut items) if items.len() == 1 => items.pop().map(|n| n.value),
            _ => None,
        }
    } else {
        Some(value)
    }
}

fn reads_back_block(block: &str, expected: &str, eol: &str) -> bool {
    let doc = format!("k:{block}{eol}");
    parse::parse_str(&doc)
        .ok()
        .and_then(|node| node.get("k").map(|e| e.value.value.clone()))
        == Some(Value::Str(expected.to_owned()))
}

/// ` |-` or ` >` and the lines of `text` indented by `indent`, when the block style can hold it.
fn block_text(text: &str, indent: usize, folded: bool, eol: &str) -> Option<String> {
    let chomp = if text.ends_with("\n\n") {
        return None;
    } else if text.ends_with('\n') {
        ""
    } else {
        "-"
    };
    let body = text.strip_suffix('\n').unwrap_or(text);
    let bad_char = body
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_special_space(c));
    if body.is_empty()
        || bad_char
        || body.starts_with([' ', '\t'])
        || (folded && body.contains('\n'))
    {
        return None;
    }
    let mut out = format!(" {}{chomp}", if folded { '>' } else { '|' });
    let pad = " ".repeat(indent.max(1));
    for line in body.split('\n') {
        out.push_str(eol);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

fn single_quoted(s: &str) -> Option<String> {
    if s.chars().any(|c| c.is_control() || is_special_space(c)) {
        return None;
    }
    Some(format!("'{}'", s.replace('\'', "''")))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || is_special_space(c) => {
                let code = u32::from(c);
                if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04X}"));
                } else {
                    out.push_str(&format!("\\U{code:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ----- reading the text around spans -----

fn map_entries(node: &Node) -> &[Entry] {
    match &node.value {
        Value::Map(entries) => entries,
        _ => &[],
    }
}

fn seq_items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(items) => items,
        _ => &[],
    }
}

fn child<'n>(node: &'n Node, key: &Key) -> Option<&'n Node> {
    match (&node.value, key) {
        (Value::Map(entries), Key::Name(name)) => {
            entries.iter().find(|e| e.key == *name).map(|e| &e.value)
        }
        (Value::Seq(items), Key::Index(i)) => items.get(*i),
        _ => None,
    }
}

fn slot_of<'n>(parent: &'n Node, key: &Key) -> Option<Slot<'n>> {
    match (&parent.value, key) {
        (Value::Map(entries), Key::Name(name)) => entries
            .iter()
            .position(|e| e.key == *name)
            .map(|i| Slot::Entry(parent, i)),
        (Value::Seq(items), Key::Index(i)) if *i < items.len() => Some(Slot::Item(parent, *i)),
        _ => None,
    }
}

/// `value` wrapped in one mapping per remaining key; `None` when a list index is missing.
fn nest(rest: &[Key], value: &NewValue) -> Option<NewValue> {
    let mut value = value.clone();
    for key in rest.iter().rev() {
        match key {
            Key::Name(name) => value = NewValue::Map(vec![(name.clone(), value)]),
            Key::Index(_) => return None,
        }
    }
    Some(value)
}

/// The documented key order of the mapping at `path`, for mappings the item format knows.
fn known_keys(path: &[Key]) -> Option<&'static [&'static str]> {
    fn name(key: &Key) -> Option<&str> {
        match key {
            Key::Name(n) => Some(n.as_str()),
            Key::Index(_) => None,
        }
    }
    match path {
        [] => Some(ITEM_KEYS),
        [a, Key::Index(_)] => match name(a)? {
            "milestones" => Some(MILESTONE_KEYS),
            "milestone_changes" => Some(MILESTONE_CHANGE_KEYS),
            "documents" => Some(DOCUMENT_KEYS),
            _ => None,
        },
        [a] => match name(a)? {
            "vendor_dependency" => Some(VENDOR_KEYS),
            "deviations" => Some(DEVIATIONS_KEYS),
            "closed" => Some(CLOSED_KEYS),
            _ => None,
        },
        [a, b] if name(a)? == "deviations" => match name(b)? {
            "risk_adjustment" => Some(RISK_ADJUSTMENT_KEYS),
            "false_positive" | "operational_requirement" => Some(DEVIATION_KEYS),
            _ => None,
        },
        _ => None,
    }
}

/// True for a collection written `[...]` or `{...}`. A block collection's span starts at its
/// first dash or key, never at a bracket of its own.
fn is_flow(text: &str, node: &Node) -> bool {
    let first_child_start = match &node.value {
        Value::Map(entries) => entries.first().map(|e| e.key_span.start),
        Value::Seq(items) => items.first().map(|n| n.span.start),
        _ => return false,
    };
    let opener = match node.value {
        Value::Map(_) => b'{',
        _ => b'[',
    };
    text.as_bytes().get(node.span.start) == Some(&opener)
        && first_child_start.is_none_or(|s| s > node.span.start)
}

/// The offset just after the `:` that follows an entry's key.
fn colon_end(text: &str, entry: &Entry) -> Option<usize> {
    let rest = &text[entry.key_span.end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (rest.as_bytes().get(skipped) == Some(&b':')).then_some(entry.key_span.end + skipped + 1)
}

/// Where an entry ends: its value's end, or the `:` of an empty value.
fn entry_end(text: &str, entry: &Entry) -> usize {
    let colon = colon_end(text, entry).unwrap_or(entry.key_span.end);
    node_end(text, &entry.value).max(colon)
}

/// The end of a node's text: closing brackets included, a block scalar's trailing line breaks
/// excluded (spans stop at the last child and include a block scalar's line breaks).
fn node_end(text: &str, node: &Node) -> usize {
    match &node.value {
        Value::Map(entries) => {
            let last = entries.last().map(|e| entry_end(text, e));
            if is_flow(text, node) {
                closing_bracket(text, last.unwrap_or(node.span.start + 1), b'}')
            } else {
                last.unwrap_or(node.span.end)
            }
        }
        Value::Seq(items) => {
            let last = items.last().map(|n| node_end(text, n));
            if is_flow(text, node) {
                closing_bracket(text, last.unwrap_or(node.span.start + 1), b']')
            } else {
                last.unwrap_or(node.span.end)
            }
        }
        _ => {
            let span_text = &text[node.span.start..node.span.end];
            if span_text.ends_with(['\n', ' ']) {
                // A block scalar (no other scalar's span ends in white space): its span runs
                // on to the next token; stop at the end of its last line with content, or with
                // `|+` at the last blank line its value keeps.
                let kept = span_text.trim_end_matches(['\n', '\r', ' ']).len();
                let mut end = line_end(text, node.span.start + kept);
                if let Value::Str(value) = &node.value {
                    let kept_breaks = value.len() - value.trim_end_matches('\n').len();
                    for _ in 1..kept_breaks {
                        end = line_end(text, after_line(text, end));
                    }
                }
                end.min(node.span.end)
            } else {
                node.span.end
            }
        }
    }
}

/// Just after the bracket `close` that ends a flow collection, searching from `from` over
/// spaces, line breaks, commas and comments.
fn closing_bracket(text: &str, from: usize, close: u8) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' | b',' => i += 1,
            b'#' => i = line_end(text, i),
            b if b == close => return i + 1,
            _ => break,
        }
    }
    from
}

/// The `-` before a block list entry starting at `start`, on the same line.
fn dash_before(text: &str, start: usize) -> Option<usize> {
    let before = &text[..start];
    let trimmed = before.trim_end_matches(' ');
    if trimmed.ends_with('-') {
        return Some(trimmed.len() - 1);
    }
    // A block scalar entry starts on the line after `- |`.
    let line = line_start(text, start);
    let header_line = line_start(text, line.checked_sub(1)?);
    let header = &text[header_line..line];
    let indent = header.len() - header.trim_start_matches(' ').len();
    let after_dash = header[indent..].strip_prefix('-')?;
    after_dash
        .trim_start_matches(' ')
        .starts_with(['|', '>'])
        .then_some(header_line + indent)
}

/// The offset after a list entry's dash and the spaces that follow it.
fn after_dash(text: &str, dash: usize) -> usize {
    let rest = &text[dash + 1..];
    dash + 1 + rest.len() - rest.trim_start_matches(' ').len()
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `pos`, before its line break.
fn line_end(text: &str, pos: usize) -> usize {
    let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    if end > pos && text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

/// The start of the line after the one holding `pos` (the end of the text on the last line).
fn after_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

fn column(text: &str, pos: usize) -> usize {
    pos - line_start(text, pos)
}

/// How the scalar `node`, written after `indicator_end` (a `:` or `-`), is quoted.
fn scalar_style(text: &str, indicator_end: usize, node: &Node) -> Style {
    if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
        return Style::New;
    }
    match text.as_bytes().get(node.span.start) {
        Some(b'\'') if node.span.len() > 1 => return Style::Single,
        Some(b'"') if node.span.len() > 1 => return Style::Double,
        _ => {}
    }
    let between = text
        .get(indicator_end..node.span.start)
        .unwrap_or("")
        .trim_start();
    if between.starts_with('|') {
        Style::Literal
    } else if between.starts_with('>') {
        Style::Folded
    } else {
        Style::Plain
    }
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

/// A failed edit is a tool failure of the command that asked for it (exit 2); the message names
/// the file.
impl From<EditError> for crate::error::Error {
    fn from(err: EditError) -> Self {
        crate::error::Error::Edit(err.to_string())
    }
}

#[cfg(test)]
mod tests {
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

    /// What `close` and `complete` will do to the README's example item.
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
            "# A POA&M item. Keys and formats: see \"The item format\" in poam's README.\n\
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
}
