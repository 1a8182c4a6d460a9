//! Text positions: where keys, values, dashes, brackets and lines start and end in the text
//! around the parser's spans, and where a node sits in its parent.

use super::emit::Style;
use super::{Key, NewValue};
use crate::model::item::{
    CLOSED_KEYS, DEVIATIONS_KEYS, DEVIATION_KEYS, DOCUMENT_KEYS, ITEM_KEYS, MILESTONE_CHANGE_KEYS,
    MILESTONE_KEYS, RISK_ADJUSTMENT_KEYS, VENDOR_KEYS,
};
use crate::model::{Entry, Node, Value};

#[derive(Clone, Copy)]
pub(super) enum Slot<'n> {
    Entry(&'n Node, usize),
    Item(&'n Node, usize),
}

pub(super) fn map_entries(node: &Node) -> &[Entry] {
    match &node.value {
        Value::Map(entries) => entries,
        _ => &[],
    }
}

pub(super) fn seq_items(node: &Node) -> &[Node] {
    match &node.value {
        Value::Seq(items) => items,
        _ => &[],
    }
}

pub(super) fn child<'n>(node: &'n Node, key: &Key) -> Option<&'n Node> {
    match (&node.value, key) {
        (Value::Map(entries), Key::Name(name)) => {
            entries.iter().find(|e| e.key == *name).map(|e| &e.value)
        }
        (Value::Seq(items), Key::Index(i)) => items.get(*i),
        _ => None,
    }
}

pub(super) fn slot_of<'n>(parent: &'n Node, key: &Key) -> Option<Slot<'n>> {
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
pub(super) fn nest(rest: &[Key], value: &NewValue) -> Option<NewValue> {
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
pub(super) fn known_keys(path: &[Key]) -> Option<&'static [&'static str]> {
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
            "rmf" => Some(crate::model::rmf::RMF_KEYS),
            _ => None,
        },
        [a, b] if name(a)? == "rmf" => match name(b)? {
            "iava" => Some(crate::model::rmf::IAVA_KEYS),
            "risk_accepted" => Some(crate::model::rmf::RISK_ACCEPTED_KEYS),
            "costs" => Some(crate::model::rmf::COSTS_KEYS),
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
pub(super) fn is_flow(text: &str, node: &Node) -> bool {
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
pub(super) fn colon_end(text: &str, entry: &Entry) -> Option<usize> {
    let rest = &text[entry.key_span.end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (rest.as_bytes().get(skipped) == Some(&b':')).then_some(entry.key_span.end + skipped + 1)
}

/// Where an entry ends: its value's end, or the `:` of an empty value.
pub(super) fn entry_end(text: &str, entry: &Entry) -> usize {
    let colon = colon_end(text, entry).unwrap_or(entry.key_span.end);
    node_end(text, &entry.value).max(colon)
}

/// The end of a node's text: closing brackets included, a block scalar's trailing line breaks
/// excluded (spans stop at the last child and include a block scalar's line breaks).
pub(super) fn node_end(text: &str, node: &Node) -> usize {
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
pub(super) fn closing_bracket(text: &str, from: usize, close: u8) -> usize {
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
pub(super) fn dash_before(text: &str, start: usize) -> Option<usize> {
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
pub(super) fn after_dash(text: &str, dash: usize) -> usize {
    let rest = &text[dash + 1..];
    dash + 1 + rest.len() - rest.trim_start_matches(' ').len()
}

pub(super) fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `pos`, before its line break.
pub(super) fn line_end(text: &str, pos: usize) -> usize {
    let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    if end > pos && text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

/// The start of the line after the one holding `pos` (the end of the text on the last line).
pub(super) fn after_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

pub(super) fn column(text: &str, pos: usize) -> usize {
    pos - line_start(text, pos)
}

/// How the scalar `node`, written after `indicator_end` (a `:` or `-`), is quoted.
pub(super) fn scalar_style(text: &str, indicator_end: usize, node: &Node) -> Style {
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
