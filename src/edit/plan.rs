//! Planning: each edit becomes one splice of the document's text, placed by the parser's
//! spans and written in the style of what is around it.

use super::emit::{block_text, reads_back_block, Style};
use super::text::{
    after_dash, after_line, colon_end, column, dash_before, entry_end, is_flow, known_keys,
    line_end, line_start, map_entries, nest, node_end, scalar_style, seq_items, slot_of, Slot,
};
use super::{child, EditError, ItemDocument, Key, NewValue};
use crate::model::{Node, Value};

/// One contiguous replacement of `text[start..end]`.
pub(super) struct Splice {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) replacement: String,
}

impl ItemDocument {
    // ----- planning: each edit becomes one splice -----

    pub(super) fn plan_set(&self, path: &[Key], value: &NewValue) -> Result<Splice, EditError> {
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
    pub(super) fn plan_literal(&self, path: &[Key], value: &NewValue) -> Option<Splice> {
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

    pub(super) fn plan_append(
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

    pub(super) fn plan_remove(&self, path: &[Key]) -> Result<Splice, EditError> {
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

pub(super) fn insert_at(at: usize, replacement: String) -> Splice {
    Splice {
        start: at,
        end: at,
        replacement,
    }
}
