//! New item files: the given fields in the documented key order, under section comments.

use super::emit::{Renderer, Style};
use super::text::known_keys;
use super::{Key, NewValue};
use crate::model::item::ITEM_KEYS;

/// Sections of a new item file: the comment above the first key present of each.
pub(super) const SECTIONS: &[(&str, &str)] = &[
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
    (
        "rmf",
        "The DoD RMF (eMASS) fields (dod-rmf): severity, risk analysis, IAVA, risk acceptance.",
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
        "# A POA&M item. Keys and formats: see docs/item-format.md in poam's repository.\n",
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
pub(super) fn in_documented_order(value: &NewValue, path: &[Key]) -> NewValue {
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

/// A YAML list of mappings (e.g. inventory assets), each mapping's keys in the order given and
/// values written as in a new item file, after a `# comment` line.
pub fn render_list_of_mappings(comment: &str, entries: &[Vec<(String, NewValue)>]) -> String {
    let r = Renderer { eol: "\n" };
    let mut out = format!("# {comment}\n");
    for entry in entries {
        let mut first = true;
        for (key, value) in entry {
            let lead = if first { "- " } else { "  " };
            first = false;
            let rendered = match value {
                NewValue::List(items) if !items.is_empty() && items.iter().all(is_scalar) => {
                    format!(" {}", r.flow(value))
                }
                _ => r.after_key(value, 4, Style::New),
            };
            out.push_str(&format!("{lead}{}:{rendered}\n", r.key(key)));
        }
    }
    out
}

pub(super) fn is_scalar(value: &NewValue) -> bool {
    !matches!(value, NewValue::List(_) | NewValue::Map(_))
}
