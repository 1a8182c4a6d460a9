//! The `edit` check, shared by the fuzz target (fuzz/fuzz_targets/edit.rs) and its regression
//! test (tests/it/fuzz_regressions.rs). The first bytes pick an edit (set, append, remove, or
//! set as lines), a path (an existing one or a new key) and a value; the rest is an item file.
//! An edit the editor makes must read back as exactly the intended change (no other value
//! changed), keep every other top-level entry's text and every top-level comment line outside
//! the edited entry, and a refused edit must leave the document as it was.

use chrono::NaiveDate;
use poam::edit::{ItemDocument, Key, NewValue};
use poam::model::{Node, Value};
use serde_json::Value as Json;

fn values() -> Vec<NewValue> {
    let date = NaiveDate::from_ymd_opt(2026, 11, 30).map_or(NewValue::Null, NewValue::Date);
    vec![
        NewValue::Str("Web Team".into()),
        NewValue::Str("two\nlines\n".into()),
        NewValue::Str("two\nlines".into()),
        NewValue::Str("it's: \"quoted\" # not a comment".into()),
        NewValue::Str(String::new()),
        NewValue::Str(" lead and trail ".into()),
        NewValue::Str("true".into()),
        NewValue::Str("- dash".into()),
        NewValue::Str("tab\there\u{85}".into()),
        date,
        NewValue::Int(42),
        NewValue::Bool(false),
        NewValue::Null,
        NewValue::List(vec![
            NewValue::Str("SI-2".into()),
            NewValue::Str("a, b".into()),
        ]),
        NewValue::List(Vec::new()),
        NewValue::Map(vec![
            ("milestone".into(), NewValue::Int(1)),
            ("kind".into(), NewValue::Str("complete".into())),
            (
                "description".into(),
                NewValue::Str("Done: rescan\nclean".into()),
            ),
        ]),
        NewValue::Map(Vec::new()),
    ]
}

const NEW_KEYS: &[&str] = &["title", "comments", "status_date", "x-note", "due"];

/// Every path to a node in the tree, parents first.
fn paths(node: &Node, prefix: &mut Vec<Key>, out: &mut Vec<Vec<Key>>) {
    match &node.value {
        Value::Map(entries) => {
            for entry in entries {
                prefix.push(Key::Name(entry.key.clone()));
                out.push(prefix.clone());
                paths(&entry.value, prefix, out);
                prefix.pop();
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                prefix.push(Key::Index(i));
                out.push(prefix.clone());
                paths(item, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn get_mut<'j>(root: &'j mut Json, path: &[Key]) -> Option<&'j mut Json> {
    let mut node = root;
    for key in path {
        node = match key {
            Key::Name(name) => node.get_mut(name.as_str())?,
            Key::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

/// The intended result of the edit, as plain data; `None` when the edit cannot apply.
fn intended(before: &Json, op: u8, path: &[Key], value: &Json) -> Option<Json> {
    let mut after = before.clone();
    let (last, parents) = path.split_last()?;
    match op {
        // set, set as lines
        0 | 3 => {
            let parent = get_mut(&mut after, parents)?;
            match (parent, last) {
                (Json::Object(map), Key::Name(name)) => {
                    map.insert(name.clone(), value.clone());
                }
                (Json::Array(items), Key::Index(i)) => *items.get_mut(*i)? = value.clone(),
                _ => return None,
            }
        }
        // append
        1 => match get_mut(&mut after, path) {
            Some(Json::Array(items)) => items.push(value.clone()),
            Some(slot @ Json::Null) => *slot = Json::Array(vec![value.clone()]),
            None => {
                let Json::Object(map) = get_mut(&mut after, parents)? else {
                    return None;
                };
                let Key::Name(name) = last else { return None };
                map.insert(name.clone(), Json::Array(vec![value.clone()]));
            }
            Some(_) => return None,
        },
        // remove
        _ => match (get_mut(&mut after, parents)?, last) {
            (Json::Object(map), Key::Name(name)) => {
                map.remove(name.as_str())?;
            }
            (Json::Array(items), Key::Index(i)) if *i < items.len() => {
                items.remove(*i);
            }
            _ => return None,
        },
    }
    Some(after)
}

/// Lines that are a comment from their first column. A lone carriage return ends a line in
/// YAML too.
fn top_comments(text: &str, skip: std::ops::Range<usize>) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let end = start + line.len();
        if line.starts_with('#') && (end <= skip.start || start >= skip.end) {
            out.push(line.trim_end());
        }
        start = end;
    }
    out
}

pub fn check(bytes: &[u8]) {
    let [op, which, pick, ..] = *bytes else {
        return;
    };
    let Ok(text) = std::str::from_utf8(&bytes[3..]) else {
        return;
    };
    let Ok(mut doc) = ItemDocument::from_text("V-1.yaml".into(), text.to_owned()) else {
        return;
    };
    let mut all = Vec::new();
    paths(doc.node(), &mut Vec::new(), &mut all);
    all.extend(NEW_KEYS.iter().map(|k| vec![Key::from(*k)]));
    let path = all[usize::from(which) % all.len()].clone();
    let values = values();
    let value = values[usize::from(pick) % values.len()].clone();
    let op = op % 4;
    let before_json = doc.node().to_json();
    let before_text = doc.text().to_owned();
    // The top-level entry the edit is in, from its key to the next key: the only place its
    // bytes may change.
    let entries = doc.node().as_map().map(<[_]>::to_vec).unwrap_or_default();
    let touched = entries
        .iter()
        .position(|e| Key::Name(e.key.clone()) == path[0]);
    let region = match touched {
        Some(i) => {
            let start = entries[i].key_span.start;
            let end = entries
                .get(i + 1)
                .map_or(before_text.len(), |next| next.key_span.start);
            start..end
        }
        None => before_text.len()..before_text.len(),
    };
    let result = match op {
        0 => doc.set(&path, value.clone()),
        1 => doc.append(&path, value.clone()),
        2 => doc.remove(&path),
        _ => match &value {
            NewValue::Str(s) => doc.set_lines(&path, s.clone()),
            _ => doc.set(&path, value.clone()),
        },
    };
    let after_text = doc.text().to_owned();
    if result.is_err() {
        assert_eq!(after_text, before_text, "a refused edit changed the text");
        return;
    }
    let read = poam::parse::parse_str(&after_text)
        .unwrap_or_else(|e| panic!("edited text does not parse ({}):\n{after_text}", e.message));
    let expected = intended(&before_json, op, &path, &value.to_json())
        .unwrap_or_else(|| panic!("an edit that cannot apply was made: {path:?}"));
    assert_eq!(
        read.to_json(),
        expected,
        "{op} {path:?} {value:?}:\n{before_text}\n--- became ---\n{after_text}"
    );
    for (i, entry) in entries.iter().enumerate() {
        if Some(i) == touched {
            continue;
        }
        let written =
            &before_text[entry.key_span.start..entry.value.span.end.max(entry.key_span.end)];
        // A block scalar's span ends with its line break and any blank lines after it, which
        // are no part of the value: in a file without a final newline, the entry that becomes
        // the last one rightly loses its line break, and an entry added after a block keeps
        // the blank lines at the end of the file.
        let written = written.trim_end();
        assert!(
            after_text.contains(written),
            "entry `{}` changed: {written:?}\n{before_text}\n--- became ---\n{after_text}",
            entry.key
        );
    }
    // Comments are placed by the top-level entries around them; a document that is not a
    // mapping (no item, but the editor may still edit it) has none to place them by.
    if entries.is_empty() {
        return;
    }
    let kept = top_comments(&before_text, region);
    let now = top_comments(&after_text, 0..0);
    for comment in kept {
        assert!(
            now.contains(&comment),
            "comment {comment:?} lost\n{before_text}\n--- became ---\n{after_text}"
        );
    }
}
