//! The audit trail of `poam log` rendered as text, JSON or Markdown: pure functions of a
//! [`History`] and the selected [`Timeline`]s.
//!
//! Every field change is shown in full, leaf by leaf: an added or removed mapping or list is
//! listed field by field (`deviations.risk_adjustment.status: (none) → pending`), long or
//! multi-line text is wrapped, never cut. A `created` event lists the starting values of the
//! write-once and deadline fields ([`INITIAL_FIELDS`]). `history_waivers` from `poam.yaml` are
//! listed, and shown on the events of the commits they name.
//!
//! # JSON shape (`--format json`, version 2)
//!
//! ```json
//! {
//!   "version": 2,
//!   "items_dir": "poams",
//!   "head": "<40-hex commit id of HEAD, or null without commits>",
//!   "shallow_boundary": "<commit where a shallow clone's history stops, or null>",
//!   "warnings": ["history before commit 1a2b3c4 (2026-01-05) is missing: ..."],
//!   "items": [
//!     {
//!       "id": "POAM-0001",
//!       "former_ids": [],
//!       "path": "poams/POAM-0001.yaml",
//!       "exists": true,
//!       "pre_existing": false,
//!       "events": [
//!         {
//!           "commit": "<40-hex commit id>",
//!           "date": "2026-03-01T10:00:00+02:00",
//!           "author": {"name": "Alice Example", "email": "alice@example.com"},
//!           "author_date": "2026-03-01T10:00:00+02:00",
//!           "committer": {"name": "Alice Example", "email": "alice@example.com"},
//!           "summary": "Push the due date of POAM-0001",
//!           "kind": "changed",
//!           "path": "poams/POAM-0001.yaml",
//!           "old_path": null,
//!           "parse_error": null,
//!           "changes": [{"path": "due", "old": "2026-04-01", "new": "2026-05-01"}],
//!           "initial": [],
//!           "waivers": [{"rule": "due-changed", "reason": "AO accepted the new date"}]
//!         }
//!       ]
//!     }
//!   ],
//!   "waivers": [{"commit": "<40-hex commit id>", "rule": "due-changed", "reason": "AO accepted the new date"}]
//! }
//! ```
//!
//! - Keys always appear, in this order. Items are sorted by `id`; events are in first-parent
//!   history order (oldest first). Paths are relative to the repository root, `/`-separated.
//! - `date` is the commit (committer) time with its UTC offset; `author_date` the author's.
//! - `kind` is `created`, `changed`, `renamed` (`old_path` set), `deleted` or `restored` (added
//!   again after a deletion: `changes` compares it with the last version before the deletion).
//! - `parse_error` is the parser's message when the file at that commit is not a valid item
//!   file (`changes` is then empty); the next version that parses is compared with the last
//!   one that did.
//! - `changes` lists every differing leaf: `path` is dotted with 0-based list indexes
//!   (`milestones[2].date`, `deviations.risk_adjustment.status`); `old`/`new` are the values
//!   as JSON, `null` when the field is absent. An added or removed mapping or list is listed
//!   leaf by leaf (an empty one as `{}` or `[]`). Empty for `created` and `deleted` and for
//!   edits that change only formatting or comments.
//! - `initial` (`created` events only, else empty): `{path, value}` of the write-once and
//!   deadline fields the item started with, leaf by leaf.
//! - `waivers`: the `history_waivers` of `poam.yaml` (top level), each with the full id of the
//!   one commit it names (as written when the repository has no such commit), and on each event
//!   those naming its commit.
//! - Version 2 (from version 1): `changes` split added and removed sub-trees into leaves;
//!   `initial`, the event `waivers` and the top-level `waivers` were added.
//! - `former_ids`: ids the item had before an `id` change. `exists` is false when its last
//!   event deleted it. `pre_existing` is true when the item was already there where a shallow
//!   clone's history stops (its creation is not in the log).
//! - With `--since DATE`, only events whose commit time is on or after DATE (00:00 UTC) are
//!   listed, and items without such events are left out unless named.

use std::fmt::Write as _;

use serde::Serialize;

use serde_json::Value as Json;

use chrono::NaiveDate;

use crate::config::{HistoryWaiver, Waiver};
use crate::history::{Event, EventKind, History, Timeline};
use crate::model::{Node, Value};

use super::text::{block, inline, mentions};

/// The fields whose starting values a `created` event lists: the write-once fields and the
/// fields a deadline is computed from.
pub const INITIAL_FIELDS: &[&str] = &[
    "id",
    "detected",
    "risk",
    "due",
    "milestones",
    "vendor_dependency.fix_released",
    "deviations.risk_adjustment.status",
    "deviations.risk_adjustment.adjusted_risk",
    "status",
];

/// Text formats wrap long values to this width.
const WIDTH: usize = 100;

/// One leaf change as shown.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct Leaf {
    path: String,
    old: Option<Json>,
    new: Option<Json>,
}

/// Splits a change whose side is a mapping or list (added, removed, or replacing a scalar)
/// into one change per leaf.
fn leaves(path: &str, old: Option<&Json>, new: Option<&Json>, out: &mut Vec<Leaf>) {
    let container = |v: Option<&Json>| match v {
        Some(Json::Object(map)) if !map.is_empty() => true,
        Some(Json::Array(items)) if !items.is_empty() => true,
        _ => false,
    };
    match (old, new) {
        (Some(Json::Object(a)), Some(Json::Object(b))) => {
            for (key, value) in b {
                leaves(&join(path, key), a.get(key), Some(value), out);
            }
            for (key, value) in a {
                if !b.contains_key(key) {
                    leaves(&join(path, key), Some(value), None, out);
                }
            }
        }
        (Some(Json::Array(a)), Some(Json::Array(b))) => {
            for index in 0..a.len().max(b.len()) {
                leaves(&format!("{path}[{index}]"), a.get(index), b.get(index), out);
            }
        }
        _ if container(old) || container(new) => {
            // One side is a sub-tree, the other absent or a scalar: the scalar first, then
            // each leaf of the sub-tree.
            let (tree, other, tree_is_new) = if container(new) {
                (new, old, true)
            } else {
                (old, new, false)
            };
            if let Some(scalar) = other {
                let (o, n) = if tree_is_new {
                    (Some(scalar.clone()), None)
                } else {
                    (None, Some(scalar.clone()))
                };
                out.push(Leaf {
                    path: path.to_owned(),
                    old: o,
                    new: n,
                });
            }
            let mut inner = Vec::new();
            match tree {
                Some(Json::Object(map)) => {
                    for (key, value) in map {
                        inner.push((join(path, key), value));
                    }
                }
                Some(Json::Array(items)) => {
                    for (index, value) in items.iter().enumerate() {
                        inner.push((format!("{path}[{index}]"), value));
                    }
                }
                _ => {}
            }
            for (sub, value) in inner {
                if tree_is_new {
                    leaves(&sub, None, Some(value), out);
                } else {
                    leaves(&sub, Some(value), None, out);
                }
            }
        }
        _ => out.push(Leaf {
            path: path.to_owned(),
            old: old.cloned(),
            new: new.cloned(),
        }),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The event's field changes, leaf by leaf.
fn event_leaves(event: &Event) -> Vec<Leaf> {
    let mut out = Vec::new();
    for change in &event.changes {
        leaves(
            &change.path,
            change.old.as_ref(),
            change.new.as_ref(),
            &mut out,
        );
    }
    out
}

/// The starting values of a `created` event's write-once and deadline fields, leaf by leaf in
/// file order.
fn initial_values(event: &Event) -> Vec<(String, Json)> {
    let Some(node) = event.initial.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for field in INITIAL_FIELDS {
        if let Some(value) = at_path(node, field) {
            node_leaves(field.to_string(), value, &mut out);
        }
    }
    out
}

fn node_leaves(path: String, node: &Node, out: &mut Vec<(String, Json)>) {
    match &node.value {
        Value::Map(entries) if !entries.is_empty() => {
            for entry in entries {
                node_leaves(join(&path, &entry.key), &entry.value, out);
            }
        }
        Value::Seq(items) if !items.is_empty() => {
            for (index, item) in items.iter().enumerate() {
                node_leaves(format!("{path}[{index}]"), item, out);
            }
        }
        _ => out.push((path, node.to_json())),
    }
}

fn at_path<'a>(node: &'a Node, dotted: &str) -> Option<&'a Node> {
    let mut current = node;
    for key in dotted.split('.') {
        current = &current.get(key)?.value;
    }
    Some(current)
}

/// The waivers naming the event's commit.
fn event_waivers<'w>(event: &Event, waivers: &'w [HistoryWaiver]) -> Vec<&'w HistoryWaiver> {
    match event.commit() {
        Some(commit) => waivers
            .iter()
            .filter(|w| w.names_commit(&commit.id))
            .collect(),
        None => Vec::new(),
    }
}

/// Output format of `poam log` (its command-line names are in `crate::cli`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Human,
    Json,
    Md,
}

pub fn render(history: &History, timelines: &[Timeline<'_>], format: LogFormat) -> String {
    render_with_waivers(history, timelines, &[], format)
}

/// As [`render`], listing `history_waivers` and showing them on the events they name.
pub fn render_with_waivers(
    history: &History,
    timelines: &[Timeline<'_>],
    waivers: &[HistoryWaiver],
    format: LogFormat,
) -> String {
    match format {
        LogFormat::Human => render_human(history, timelines, waivers),
        LogFormat::Json => render_json(history, timelines, waivers, &[], None),
        LogFormat::Md => render_md(history, timelines, waivers),
    }
}

/// As [`render_with_waivers`], listing too the `waivers` of `poam.yaml` (per item and rule,
/// with their expiry as of `today`) of the items shown.
pub fn render_with_all_waivers(
    history: &History,
    timelines: &[Timeline<'_>],
    waivers: &[HistoryWaiver],
    item_waivers: &[Waiver],
    today: NaiveDate,
    format: LogFormat,
) -> String {
    let shown: Vec<&Waiver> = item_waivers
        .iter()
        .filter(|w| timelines.iter().any(|t| t.id == w.item))
        .collect();
    if shown.is_empty() {
        return render_with_waivers(history, timelines, waivers, format);
    }
    let standing = |w: &Waiver| {
        if w.expires < today {
            format!("expired {}", w.expires)
        } else {
            format!("until {}", w.expires)
        }
    };
    match format {
        LogFormat::Json => render_json(history, timelines, waivers, &shown, Some(today)),
        LogFormat::Human => {
            let mut out = String::from("waivers (poam.yaml):\n");
            for w in &shown {
                let ticket = w
                    .ticket
                    .as_deref()
                    .map(|t| format!(", {t}"))
                    .unwrap_or_default();
                write_value(
                    &mut out,
                    2,
                    &format!(
                        "{} {} ({}{})",
                        inline(&w.item),
                        w.rule.as_str(),
                        standing(w),
                        inline(&ticket)
                    ),
                    &w.reason,
                );
            }
            out.push('\n');
            out.push_str(&render_human(history, timelines, waivers));
            out
        }
        LogFormat::Md => {
            let text = render_md(history, timelines, waivers);
            let (title, rest) = text.split_once('\n').unwrap_or((&text, ""));
            let mut out = format!("{title}\n\n## Waivers\n\n");
            for w in &shown {
                let ticket = w
                    .ticket
                    .as_deref()
                    .map(|t| format!(", {}", md_code(t)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "- {} {} ({}{ticket}): {}",
                    md_code(&w.item),
                    md_code(w.rule.as_str()),
                    standing(w),
                    md_value(&w.reason)
                );
            }
            out.push_str(rest);
            out
        }
    }
}

#[derive(Serialize)]
struct JsonLog<'a> {
    version: u32,
    items_dir: &'a str,
    head: Option<&'a str>,
    shallow_boundary: Option<&'a str>,
    warnings: Vec<String>,
    items: Vec<JsonItem<'a>>,
    waivers: Vec<JsonWaiver<'a>>,
    /// The per-item `waivers` of `poam.yaml`, when any concern the items shown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    item_waivers: Vec<JsonItemWaiver<'a>>,
}

#[derive(Serialize)]
struct JsonItemWaiver<'a> {
    item: &'a str,
    rule: &'static str,
    reason: &'a str,
    expires: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket: Option<&'a str>,
    expired: bool,
}

#[derive(Serialize)]
struct JsonWaiver<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    rule: &'static str,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonInitial {
    path: String,
    value: Json,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    former_ids: &'a [&'a str],
    path: &'a str,
    exists: bool,
    pre_existing: bool,
    events: Vec<JsonEvent<'a>>,
}

#[derive(Serialize)]
struct JsonPerson<'a> {
    name: &'a str,
    email: &'a str,
}

#[derive(Serialize)]
struct JsonEvent<'a> {
    commit: Option<&'a str>,
    date: Option<String>,
    author: Option<JsonPerson<'a>>,
    author_date: Option<String>,
    committer: Option<JsonPerson<'a>>,
    summary: Option<&'a str>,
    kind: &'static str,
    path: &'a str,
    old_path: Option<&'a str>,
    parse_error: Option<&'a str>,
    changes: Vec<Leaf>,
    initial: Vec<JsonInitial>,
    waivers: Vec<JsonWaiver<'a>>,
}

pub fn render_json(
    history: &History,
    timelines: &[Timeline<'_>],
    waivers: &[HistoryWaiver],
    item_waivers: &[&Waiver],
    today: Option<NaiveDate>,
) -> String {
    let items = timelines
        .iter()
        .map(|t| JsonItem {
            id: t.id,
            former_ids: &t.former_ids,
            path: t.path,
            exists: t.exists,
            pre_existing: t.pre_existing,
            events: t.events.iter().map(|e| json_event(e, waivers)).collect(),
        })
        .collect();
    let log = JsonLog {
        version: 2,
        items_dir: &history.items_dir,
        head: history.head.as_ref().map(|c| c.id.as_str()),
        shallow_boundary: history.shallow_boundary.as_ref().map(|c| c.id.as_str()),
        warnings: history.warnings(),
        items,
        waivers: waivers
            .iter()
            .map(|w| JsonWaiver {
                commit: Some(w.shown_commit()),
                rule: w.rule.as_str(),
                reason: &w.reason,
            })
            .collect(),
        item_waivers: item_waivers
            .iter()
            .map(|w| JsonItemWaiver {
                item: &w.item,
                rule: w.rule.as_str(),
                reason: &w.reason,
                expires: w.expires.to_string(),
                ticket: w.ticket.as_deref(),
                expired: today.is_some_and(|today| w.expires < today),
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|err| {
        // Only plain strings, numbers and JSON values go in: this cannot fail.
        format!("{{\"version\": 2, \"error\": {:?}}}", err.to_string())
    });
    text.push('\n');
    text
}

fn json_event<'a>(event: &'a Event, waivers: &'a [HistoryWaiver]) -> JsonEvent<'a> {
    let commit = event.commit();
    JsonEvent {
        commit: commit.map(|c| c.id.as_str()),
        date: commit.map(|c| c.time_rfc3339()),
        author: commit.map(|c| JsonPerson {
            name: &c.author.name,
            email: &c.author.email,
        }),
        author_date: commit.map(|c| c.author_time_rfc3339()),
        committer: commit.map(|c| JsonPerson {
            name: &c.committer.name,
            email: &c.committer.email,
        }),
        summary: commit.map(|c| c.summary.as_str()),
        kind: event.kind.as_str(),
        path: &event.path,
        old_path: event.old_path.as_deref(),
        parse_error: event.parse_error.as_deref(),
        changes: event_leaves(event),
        initial: initial_values(event)
            .into_iter()
            .map(|(path, value)| JsonInitial { path, value })
            .collect(),
        waivers: event_waivers(event, waivers)
            .into_iter()
            .map(|w| JsonWaiver {
                commit: None,
                rule: w.rule.as_str(),
                reason: &w.reason,
            })
            .collect(),
    }
}

/// A value in full, as text formats show it.
fn shown_value(value: Option<&Json>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `text` wrapped at word boundaries to lines of at most `width` characters (a longer word
/// stays whole), keeping its own line breaks.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for source_line in text.split('\n') {
        let mut line = String::new();
        for word in source_line.split(' ') {
            let needed =
                line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
            if !line.is_empty() && needed > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Writes `label: value` at `indent`, on one line when it fits, else wrapped below the label.
fn write_value(out: &mut String, indent: usize, label: &str, value: &str) {
    // Item text keeps its lines here, escaped like every text output.
    let (label, value) = (inline(label), block(value));
    // A block scalar's final line break is not part of what a reader needs to see.
    let value = value.trim_end_matches('\n');
    let pad = " ".repeat(indent);
    let one_line = format!("{pad}{label}: {value}");
    if !value.contains('\n') && one_line.chars().count() <= WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    let _ = writeln!(out, "{pad}{label}:");
    let inner = indent + 2;
    for line in wrap(value, WIDTH.saturating_sub(inner).max(20)) {
        let _ = writeln!(out, "{}{line}", " ".repeat(inner));
    }
}

/// One leaf change in the human form: `path: old → new`, or the two values wrapped below it.
fn write_change(out: &mut String, leaf: &Leaf) {
    let (old, new) = (
        shown_value(leaf.old.as_ref()),
        shown_value(leaf.new.as_ref()),
    );
    let (old, new) = (block(&old), block(&new));
    let (old, new) = (old.trim_end_matches('\n'), new.trim_end_matches('\n'));
    let path = inline(&leaf.path);
    let line = format!("    {path}: {old} → {new}");
    if !old.contains('\n') && !new.contains('\n') && line.chars().count() <= WIDTH {
        out.push_str(&line);
        out.push('\n');
        return;
    }
    let _ = writeln!(out, "    {path}:");
    write_value(out, 6, "was", old);
    write_value(out, 6, "now", new);
}

fn heading_notes(t: &Timeline<'_>) -> String {
    let mut notes = Vec::new();
    if !t.former_ids.is_empty() {
        notes.push(format!("formerly {}", inline(&t.former_ids.join(", "))));
    }
    if !t.exists {
        notes.push("deleted".to_owned());
    }
    if t.pre_existing {
        notes.push("created before the available history".to_owned());
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    }
}

fn no_events(timeline: &Timeline<'_>) -> &'static str {
    if timeline.pre_existing {
        "no changes since the available history begins"
    } else {
        "no changes in this range"
    }
}

fn what_happened(event: &Event) -> String {
    match (event.kind, &event.old_path) {
        (EventKind::Renamed, Some(old)) => {
            format!("renamed {} → {}", inline(old), inline(&event.path))
        }
        (kind, _) => format!("{} {}", kind.as_str(), inline(&event.path)),
    }
}

pub fn render_human(
    history: &History,
    timelines: &[Timeline<'_>],
    waivers: &[HistoryWaiver],
) -> String {
    let mut out = String::new();
    for warning in history.warnings() {
        let _ = writeln!(out, "warning: {warning}\n");
    }
    if !waivers.is_empty() {
        out.push_str("history waivers (poam.yaml):\n");
        for waiver in waivers {
            write_value(
                &mut out,
                2,
                &format!("{} {}", waiver.shown_commit(), waiver.rule.as_str()),
                &waiver.reason,
            );
        }
        out.push('\n');
    }
    if timelines.is_empty() {
        out.push_str("no item history to show\n");
        return out;
    }
    for (index, timeline) in timelines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "== {}{} ==",
            inline(timeline.id),
            heading_notes(timeline)
        );
        if timeline.events.is_empty() {
            let _ = writeln!(out, "{}", no_events(timeline));
        }
        for (index, event) in timeline.events.iter().enumerate() {
            if index > 0 {
                out.push('\n');
            }
            match event.commit() {
                Some(commit) => {
                    let _ = writeln!(
                        out,
                        "{} {} {} <{}>\n  {}",
                        commit.short_id(),
                        commit.time_rfc3339(),
                        inline(&commit.author.name),
                        inline(&commit.author.email),
                        inline(&commit.summary)
                    );
                }
                None => out.push_str("working tree (uncommitted)\n"),
            }
            let _ = writeln!(out, "  {}", what_happened(event));
            if let Some(error) = &event.parse_error {
                let _ = writeln!(out, "    does not parse: {}", inline(error));
            }
            for (path, value) in initial_values(event) {
                write_value(&mut out, 4, &path, &shown_value(Some(&value)));
            }
            for leaf in event_leaves(event) {
                write_change(&mut out, &leaf);
            }
            for waiver in event_waivers(event, waivers) {
                write_value(
                    &mut out,
                    4,
                    &format!("waived {}", waiver.rule.as_str()),
                    &waiver.reason,
                );
            }
            if event.kind == EventKind::Changed
                && event.changes.is_empty()
                && event.parse_error.is_none()
            {
                out.push_str("    (formatting only)\n");
            }
        }
    }
    out
}

/// Inline Markdown text with the characters that would format escaped, control characters
/// shown as escapes and @-mentions neutralised (the text may be posted as a comment).
fn md_text(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let text = inline(&text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    mentions(&out).into_owned()
}

/// An inline code span that survives backticks inside the text.
fn md_code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let text = inline(&text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A value in Markdown: a code span when short and on one line, else escaped text with its
/// line breaks kept (hard breaks), never cut.
fn md_value(value: &str) -> String {
    let value = value.trim_end_matches('\n');
    if value.chars().count() <= 60 && !value.contains('\n') {
        return md_code(value);
    }
    value
        .split('\n')
        .map(md_text)
        .collect::<Vec<_>>()
        .join("\\\n    ")
}

pub fn render_md(
    history: &History,
    timelines: &[Timeline<'_>],
    waivers: &[HistoryWaiver],
) -> String {
    let mut out = String::from("# POA&M item history\n");
    for warning in history.warnings() {
        let _ = writeln!(out, "\n> **Warning:** {}", md_text(&warning));
    }
    if !waivers.is_empty() {
        out.push_str("\n## History waivers\n\n");
        for waiver in waivers {
            let _ = writeln!(
                out,
                "- {} {}: {}",
                md_code(waiver.shown_commit()),
                md_code(waiver.rule.as_str()),
                md_value(&waiver.reason)
            );
        }
    }
    if timelines.is_empty() {
        out.push_str("\nNo item history to show.\n");
        return out;
    }
    for timeline in timelines {
        let _ = writeln!(
            out,
            "\n## {}{}\n",
            md_text(timeline.id),
            md_text(&heading_notes(timeline))
        );
        if timeline.events.is_empty() {
            let _ = writeln!(out, "{}.", no_events(timeline));
        }
        for event in &timeline.events {
            let who = match event.commit() {
                Some(c) => format!(
                    "**{}** {} {}: {}",
                    c.time.date_naive(),
                    md_code(c.short_id()),
                    md_text(&c.author.name),
                    md_text(&c.summary)
                ),
                None => "**working tree** (uncommitted)".to_owned(),
            };
            let what = match (event.kind, &event.old_path) {
                (EventKind::Renamed, Some(old)) => {
                    format!("renamed {} → {}", md_code(old), md_code(&event.path))
                }
                (kind, _) => format!("{} {}", kind.as_str(), md_code(&event.path)),
            };
            let _ = writeln!(out, "- {who} — {what}");
            if let Some(error) = &event.parse_error {
                let _ = writeln!(out, "  - does not parse: {}", md_text(error));
            }
            for (path, value) in initial_values(event) {
                let _ = writeln!(
                    out,
                    "  - {}: {}",
                    md_code(&path),
                    md_value(&shown_value(Some(&value)))
                );
            }
            for leaf in event_leaves(event) {
                let _ = writeln!(
                    out,
                    "  - {}: {} → {}",
                    md_code(&leaf.path),
                    md_value(&shown_value(leaf.old.as_ref())),
                    md_value(&shown_value(leaf.new.as_ref()))
                );
            }
            for waiver in event_waivers(event, waivers) {
                let _ = writeln!(
                    out,
                    "  - **waived** {}: {}",
                    md_code(waiver.rule.as_str()),
                    md_value(&waiver.reason)
                );
            }
        }
    }
    out
}
