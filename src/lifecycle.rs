//! The edits of an item's life after it is written: close, vendor check-in, milestone
//! completion, reopen. Each is a handful of span-splicing edits through [`crate::edit`], so
//! only the touched lines change; [`check_edit`] then refuses a result that rewrites a
//! write-once field or leaves the item invalid, before anything is saved.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::Value as Json;

use crate::code::{Code, Severity};
use crate::config::Config;
use crate::edit::{ItemDocument, Key, NewValue};
use crate::error::Error;
use crate::kev::KevCatalog;
use crate::model::item::{ChangeKind, Item};
use crate::source::SourceFile;

/// One lifecycle edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    /// `status: closed` with `closed: {date, evidence}`; without evidence text, the item must
    /// list a document added on or before `date` (as `closed-without-evidence` asks).
    Close {
        date: NaiveDate,
        evidence: Option<String>,
    },
    /// `vendor_dependency.last_checkin`, and the vendor's answer in `comments`.
    Checkin {
        date: NaiveDate,
        note: Option<String>,
    },
    /// A `complete` entry appended to `milestone_changes`.
    Complete {
        milestone: u32,
        date: NaiveDate,
        description: Option<String>,
    },
    /// `status: open`, `closed` removed, the reason in `comments`.
    Reopen { date: NaiveDate, reason: String },
}

impl Transition {
    /// The date the edit records.
    pub fn date(&self) -> NaiveDate {
        match self {
            Transition::Close { date, .. }
            | Transition::Checkin { date, .. }
            | Transition::Complete { date, .. }
            | Transition::Reopen { date, .. } => *date,
        }
    }
}

/// Refuses a transition dated after `today`: it records what happened, and `future-date`
/// reports a later date as an error, so writing it would only make lint fail.
pub fn check_date(id: &str, transition: &Transition, today: NaiveDate) -> Result<(), Error> {
    let date = transition.date();
    if date > today {
        return Err(Error::Refused(format!(
            "{id}: the date {} is after today ({}); lifecycle edits record what has happened, \
             and `poam lint` reports a future date as an error; nothing was written",
            date_text(date),
            date_text(today)
        )));
    }
    Ok(())
}

/// One changed field, for the command to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Dotted path, list indexes in brackets: `closed.date`, `milestone_changes[2]`.
    pub field: String,
    /// The value before and after, written flow-style in file order; `None` when absent.
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    /// `status: open → closed`.
    pub fn describe(&self) -> String {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_owned());
        format!("{}: {} → {}", self.field, show(&self.old), show(&self.new))
    }
}

/// A parsed value, one line, keys in file order.
fn show_node(node: &crate::model::Node) -> String {
    use crate::model::Value;
    match &node.value {
        Value::Seq(items) => format!(
            "[{}]",
            items.iter().map(show_node).collect::<Vec<_>>().join(", ")
        ),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|e| format!("{}: {}", e.key, show_node(&e.value)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => match node.to_json() {
            Json::String(s) => one_line(&s),
            other => other.to_string(),
        },
    }
}

/// Line breaks written `\n`, so each change stays on one line.
fn one_line(text: &str) -> String {
    text.trim_end().replace('\n', "\\n")
}

/// A value to write, one line, keys in the given order.
fn show_value(value: &NewValue) -> String {
    match value {
        NewValue::Str(s) => one_line(s),
        NewValue::Date(d) => date_text(*d),
        NewValue::Int(i) => i.to_string(),
        NewValue::Bool(b) => b.to_string(),
        NewValue::Null => "null".to_owned(),
        NewValue::List(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
        NewValue::Map(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{k}: {}", show_value(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Fields an edit may never rewrite (history rules flag a change of them), compared whole.
const WRITE_ONCE: &[&str] = &["id", "detected", "due", "risk", "milestones"];

/// The codes that make an item invalid (as opposed to late or stale): an edit that brings
/// one of them in is refused.
const INVALIDATING: &[Code] = &[
    Code::ParseError,
    Code::UnknownField,
    Code::MissingField,
    Code::InvalidValue,
    Code::IdMismatch,
    Code::MilestoneReference,
    Code::DateOrder,
    Code::ClosedInconsistent,
    Code::ClosedOperationalRequirement,
];

struct Editor<'d> {
    doc: &'d mut ItemDocument,
    changes: Vec<Change>,
}

impl Editor<'_> {
    fn old(&self, path: &[Key]) -> Option<String> {
        self.doc
            .get(path)
            .filter(|n| !matches!(n.value, crate::model::Value::Null))
            .map(show_node)
    }

    fn set(&mut self, path: &[Key], value: NewValue) -> Result<(), Error> {
        if self.doc.get(path).map(crate::model::Node::to_json) == Some(value.to_json()) {
            return Ok(());
        }
        let old = self.old(path);
        let new = show_value(&value);
        self.doc.set(path, value).map_err(edit_failure)?;
        self.changes.push(Change {
            field: field_name(path),
            old,
            new: Some(new),
        });
        Ok(())
    }

    fn append(&mut self, path: &[Key], value: NewValue) -> Result<(), Error> {
        let index = self
            .doc
            .get(path)
            .and_then(|n| match &n.value {
                crate::model::Value::Seq(items) => Some(items.len()),
                _ => None,
            })
            .unwrap_or(0);
        let new = show_value(&value);
        self.doc.append(path, value).map_err(edit_failure)?;
        let mut entry = path.to_vec();
        entry.push(Key::Index(index));
        self.changes.push(Change {
            field: field_name(&entry),
            old: None,
            new: Some(new),
        });
        Ok(())
    }

    fn remove(&mut self, path: &[Key]) -> Result<(), Error> {
        let Some(old) = self.old(path) else {
            return Ok(());
        };
        self.doc.remove(path).map_err(edit_failure)?;
        self.changes.push(Change {
            field: field_name(path),
            old: Some(old),
            new: None,
        });
        Ok(())
    }

    /// Adds a dated line to `comments`, keeping what is there. Several lines are written as
    /// a literal block (`|`), one line per note.
    fn note(&mut self, line: String) -> Result<(), Error> {
        let path = [Key::from("comments")];
        let text = match self.doc.get(&path).map(crate::model::Node::to_json) {
            Some(Json::String(old)) if !old.trim().is_empty() => {
                format!("{}\n{line}", old.trim_end())
            }
            _ => line,
        };
        if self.doc.get(&path).map(crate::model::Node::to_json) == Some(Json::from(text.as_str())) {
            return Ok(());
        }
        let old = self.old(&path);
        let new = one_line(&text);
        self.doc.set_lines(&path, text).map_err(edit_failure)?;
        self.changes.push(Change {
            field: field_name(&path),
            old,
            new: Some(new),
        });
        Ok(())
    }
}

/// An editor failure as a command error.
pub fn edit_failure(err: crate::edit::EditError) -> Error {
    err.into()
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
    out
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// True when the item lists a document added on or before `date`: closure evidence for
/// `closed-without-evidence`.
fn documented_by(item: &Item, date: NaiveDate) -> bool {
    item.documents.as_ref().is_some_and(|documents| {
        documents
            .value
            .iter()
            .any(|d| d.added.as_ref().is_some_and(|added| added.value <= date))
    })
}

/// Applies `transition` to `doc`, whose parsed model is `item`. Refuses a transition that does
/// not fit the item (closing a closed item, a check-in without a vendor dependency, completing
/// a milestone that does not exist or is complete). Returns what changed.
pub fn apply(
    doc: &mut ItemDocument,
    item: &Item,
    transition: &Transition,
) -> Result<Vec<Change>, Error> {
    let id = item.id_text().unwrap_or("the item").to_owned();
    let refuse = |why: String| Err(Error::Refused(format!("{id}: {why}")));
    let mut editor = Editor {
        doc,
        changes: Vec::new(),
    };
    let key = Key::from;
    match transition {
        Transition::Close { date, evidence } => {
            if item.is_closed() {
                return refuse("is already closed".into());
            }
            let text = evidence.as_deref().filter(|e| !e.trim().is_empty());
            if evidence.is_some() && text.is_none() {
                return refuse("closing needs evidence (`--evidence`) that is not blank".into());
            }
            if text.is_none() && !documented_by(item, *date) {
                return refuse(format!(
                    "closing needs evidence: `--evidence TEXT`, or a document added on or before {} (`--document FILE`, or `poam evidence add {id} FILE` first)",
                    date_text(*date)
                ));
            }
            editor.set(&[key("status")], NewValue::Str("closed".into()))?;
            editor.set(&[key("status_date")], NewValue::Date(*date))?;
            editor.set(&[key("closed"), key("date")], NewValue::Date(*date))?;
            if let Some(text) = text {
                editor.set(
                    &[key("closed"), key("evidence")],
                    NewValue::Str(text.to_owned()),
                )?;
            }
        }
        Transition::Checkin { date, note } => {
            if item.vendor_dependency.is_none() {
                return refuse(
                    "has no `vendor_dependency`; add one (product, last_checkin) to record check-ins"
                        .into(),
                );
            }
            if item.is_closed() {
                return refuse("is closed; vendor check-ins are for open items".into());
            }
            editor.set(
                &[key("vendor_dependency"), key("last_checkin")],
                NewValue::Date(*date),
            )?;
            editor.set(&[key("status_date")], NewValue::Date(*date))?;
            if let Some(note) = note {
                editor.note(format!("{} vendor check-in: {note}", date_text(*date)))?;
            }
        }
        Transition::Complete {
            milestone,
            date,
            description,
        } => {
            let planned = item
                .milestones
                .iter()
                .flat_map(|m| m.value.iter())
                .filter_map(|m| m.id.as_ref().map(|id| id.value));
            let changes: Vec<_> = item
                .milestone_changes
                .iter()
                .flat_map(|c| c.value.iter())
                .collect();
            let added = changes
                .iter()
                .filter(|c| c.kind.as_ref().map(|k| k.value) == Some(ChangeKind::New))
                .filter_map(|c| c.milestone.as_ref().map(|m| m.value));
            let known: BTreeSet<u32> = planned.chain(added).collect();
            if !known.contains(milestone) {
                let list = known
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                return refuse(format!(
                    "has no milestone {milestone} (milestones: {})",
                    if list.is_empty() { "none" } else { &list }
                ));
            }
            let done = changes.iter().any(|c| {
                c.kind.as_ref().map(|k| k.value) == Some(ChangeKind::Complete)
                    && c.milestone.as_ref().map(|m| m.value) == Some(*milestone)
            });
            if done {
                return refuse(format!("milestone {milestone} is already complete"));
            }
            let description = description
                .clone()
                .unwrap_or_else(|| format!("Milestone {milestone} completed."));
            editor.append(
                &[key("milestone_changes")],
                NewValue::Map(vec![
                    ("milestone".into(), NewValue::Int(i64::from(*milestone))),
                    ("kind".into(), NewValue::Str("complete".into())),
                    ("date".into(), NewValue::Date(*date)),
                    ("description".into(), NewValue::Str(description)),
                ]),
            )?;
            editor.set(&[key("status_date")], NewValue::Date(*date))?;
        }
        Transition::Reopen { date, reason } => {
            if !item.is_closed() {
                return refuse("is not closed".into());
            }
            if reason.trim().is_empty() {
                return refuse("reopening needs a reason (`--reason`)".into());
            }
            editor.set(&[key("status")], NewValue::Str("open".into()))?;
            editor.remove(&[key("closed")])?;
            editor.set(&[key("status_date")], NewValue::Date(*date))?;
            editor.note(format!("{} reopened: {reason}", date_text(*date)))?;
        }
    }
    Ok(editor.changes)
}

/// What [`check_edit`] needs to run the item rules.
pub struct RuleContext<'a> {
    pub config: &'a Config,
    pub today: NaiveDate,
    pub kev: Option<&'a KevCatalog>,
    /// The file's name in findings.
    pub name: &'a str,
    /// The file name without extension, which the id must equal.
    pub file_stem: &'a str,
}

/// Refuses an edit from `before` to `after` that rewrites a write-once field, rewrites or
/// removes a `milestone_changes` entry, or brings in a finding that makes the item invalid
/// (missing or bad values, date order, a closed item with an operational requirement). Late
/// and stale are not invalid: reopening an overdue item is allowed, and lint says it is late.
pub fn check_edit(context: &RuleContext<'_>, before: &str, after: &str) -> Result<(), Error> {
    let parse = |text: &str| {
        crate::parse::parse_str(text)
            .map_err(|e| Error::Refused(format!("{}: {}", context.name, e.message)))
    };
    let (old, new) = (parse(before)?, parse(after)?);
    let (old_json, new_json) = (old.to_json(), new.to_json());
    let id = old_json["id"].as_str().unwrap_or(context.name).to_owned();
    for field in WRITE_ONCE {
        if old_json.get(field) != new_json.get(field) {
            return Err(Error::Refused(format!(
                "{id}: the edit would change `{field}`, which is written once; nothing was written"
            )));
        }
    }
    let entries = |v: &Json| {
        v["milestone_changes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let (old_changes, new_changes) = (entries(&old_json), entries(&new_json));
    if new_changes.len() < old_changes.len() || new_changes[..old_changes.len()] != old_changes[..]
    {
        return Err(Error::Refused(format!(
            "{id}: the edit would rewrite `milestone_changes`, which is append-only; nothing was written"
        )));
    }
    let invalid = |node: &crate::model::Node, text: &str| {
        let item = Item::from_node(node, text);
        let source = SourceFile::new(context.name.to_owned(), text.to_owned());
        crate::lint::check_item(
            context.config,
            context.today,
            context.kev,
            &source,
            &item,
            context.file_stem,
            None,
        )
        .into_iter()
        .filter(|d| d.severity == Severity::Error && INVALIDATING.contains(&d.code))
        .collect::<Vec<_>>()
    };
    let already: BTreeSet<Code> = invalid(&old, before).iter().map(|d| d.code).collect();
    let brought: Vec<String> = invalid(&new, after)
        .into_iter()
        .filter(|d| !already.contains(&d.code))
        .map(|d| format!("  {}[{}] {}", d.severity, d.code.as_str(), d.message))
        .collect();
    if brought.is_empty() {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "{id}: the edit would leave the item invalid; nothing was written:\n{}",
            brought.join("\n")
        )))
    }
}
