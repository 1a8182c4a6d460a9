//! The audit trail of `poam log` rendered as text, JSON or Markdown: pure functions of a
//! [`History`] and the selected [`Timeline`]s.
//!
//! # JSON shape (`--format json`, version 1)
//!
//! ```json
//! {
//!   "version": 1,
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
//!           "changes": [{"path": "due", "old": "2026-04-01", "new": "2026-05-01"}]
//!         }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! - Keys always appear, in this order. Items are sorted by `id`; events are in first-parent
//!   history order (oldest first). Paths are relative to the repository root, `/`-separated.
//! - `date` is the commit (committer) time with its UTC offset; `author_date` the author's.
//! - `kind` is `created`, `changed`, `renamed` (`old_path` set) or `deleted`.
//! - `parse_error` is the parser's message when the file at that commit is not a valid item
//!   file (`changes` is then empty); the next version that parses is compared with the last
//!   one that did.
//! - `changes` lists every differing leaf: `path` is dotted with 0-based list indexes
//!   (`milestones[2].date`, `deviations.risk_adjustment.status`); `old`/`new` are the values
//!   as JSON, `null` when the field is absent. Empty for `created` and `deleted` and for edits
//!   that change only formatting or comments.
//! - `former_ids`: ids the item had before an `id` change. `exists` is false when its last
//!   event deleted it. `pre_existing` is true when the item was already there where a shallow
//!   clone's history stops (its creation is not in the log).
//! - With `--since DATE`, only events whose commit time is on or after DATE (00:00 UTC) are
//!   listed, and items without such events are left out unless named.

use std::fmt::Write as _;

use serde::Serialize;

use crate::history::{Event, EventKind, FieldChange, History, Timeline};

/// Output format of `poam log`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Human,
    Json,
    Md,
}

pub fn render(history: &History, timelines: &[Timeline<'_>], format: LogFormat) -> String {
    match format {
        LogFormat::Human => render_human(history, timelines),
        LogFormat::Json => render_json(history, timelines),
        LogFormat::Md => render_md(history, timelines),
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
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    path: &'a str,
    old: &'a Option<serde_json::Value>,
    new: &'a Option<serde_json::Value>,
}

pub fn render_json(history: &History, timelines: &[Timeline<'_>]) -> String {
    let items = timelines
        .iter()
        .map(|t| JsonItem {
            id: t.id,
            former_ids: &t.former_ids,
            path: t.path,
            exists: t.exists,
            pre_existing: t.pre_existing,
            events: t.events.iter().map(|e| json_event(e)).collect(),
        })
        .collect();
    let log = JsonLog {
        version: 1,
        items_dir: &history.items_dir,
        head: history.head.as_ref().map(|c| c.id.as_str()),
        shallow_boundary: history.shallow_boundary.as_ref().map(|c| c.id.as_str()),
        warnings: history.shallow_warning().into_iter().collect(),
        items,
    };
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_else(|err| {
        // Only plain strings, numbers and JSON values go in: this cannot fail.
        format!("{{\"version\": 1, \"error\": {:?}}}", err.to_string())
    });
    text.push('\n');
    text
}

fn json_event(event: &Event) -> JsonEvent<'_> {
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
        changes: event
            .changes
            .iter()
            .map(|c| JsonChange {
                path: &c.path,
                old: &c.old,
                new: &c.new,
            })
            .collect(),
    }
}

/// Longest value shown in text formats; the JSON form always has the whole value.
const SHOWN_VALUE_CHARS: usize = 72;

fn shown_value(value: Option<&serde_json::Value>) -> String {
    let text = match value {
        None => return "(none)".to_owned(),
        Some(serde_json::Value::String(s)) if !s.is_empty() && !s.contains('\n') => s.clone(),
        Some(other) => other.to_string(),
    };
    if text.chars().count() > SHOWN_VALUE_CHARS {
        let cut: String = text.chars().take(SHOWN_VALUE_CHARS - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn heading_notes(t: &Timeline<'_>) -> String {
    let mut notes = Vec::new();
    if !t.former_ids.is_empty() {
        notes.push(format!("formerly {}", t.former_ids.join(", ")));
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
        (EventKind::Renamed, Some(old)) => format!("renamed {old} → {}", event.path),
        (kind, _) => format!("{} {}", kind.as_str(), event.path),
    }
}

fn change_line(change: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        change.path,
        shown_value(change.old.as_ref()),
        shown_value(change.new.as_ref())
    )
}

pub fn render_human(history: &History, timelines: &[Timeline<'_>]) -> String {
    let mut out = String::new();
    if let Some(warning) = history.shallow_warning() {
        let _ = writeln!(out, "warning: {warning}\n");
    }
    if timelines.is_empty() {
        out.push_str("no item history to show\n");
        return out;
    }
    for (index, timeline) in timelines.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "== {}{} ==", timeline.id, heading_notes(timeline));
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
                        commit.author.name,
                        commit.author.email,
                        commit.summary
                    );
                }
                None => out.push_str("working tree (uncommitted)\n"),
            }
            let _ = writeln!(out, "  {}", what_happened(event));
            if let Some(error) = &event.parse_error {
                let _ = writeln!(out, "    does not parse: {error}");
            }
            for change in &event.changes {
                let _ = writeln!(out, "    {}", change_line(change));
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

/// Inline Markdown text with the characters that would format escaped.
fn md_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// An inline code span that survives backticks inside the text.
fn md_code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

pub fn render_md(history: &History, timelines: &[Timeline<'_>]) -> String {
    let mut out = String::from("# POA&M item history\n");
    if let Some(warning) = history.shallow_warning() {
        let _ = writeln!(out, "\n> **Warning:** {}", md_text(&warning));
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
            for change in &event.changes {
                let _ = writeln!(
                    out,
                    "  - {}: {} → {}",
                    md_code(&change.path),
                    md_code(&shown_value(change.old.as_ref())),
                    md_code(&shown_value(change.new.as_ref()))
                );
            }
        }
    }
    out
}
