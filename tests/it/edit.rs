//! The item editor: edits change only the edited bytes and read back as intended; saving is
//! atomic and refuses a file that changed underneath.

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use poam::edit::{create_new, render_new_item, EditError, ItemDocument, Key, NewValue};
use poam::model::item::ITEM_KEYS;
use poam::model::Node;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value as Json;

// ----- generated item files -----

/// How a top-level value is written.
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    Scalar,
    List,
    ListOfMaps,
    Map,
}

#[derive(Clone, Debug)]
struct Field {
    key: &'static str,
    /// What follows `key:` up to the end of the value's last line (no final line break).
    body: String,
    comment_before: bool,
    blank_before: bool,
}

#[derive(Clone, Debug)]
struct Item {
    fields: Vec<Field>,
    crlf: bool,
    final_newline: bool,
    header_comment: bool,
}

impl Item {
    fn text(&self) -> String {
        let mut out = String::new();
        if self.header_comment {
            out.push_str("# an item file, edited by hand\n");
        }
        for field in &self.fields {
            if field.blank_before {
                out.push('\n');
            }
            if field.comment_before {
                out.push_str(&format!("# about {}: keep me\n", field.key));
            }
            out.push_str(&format!("{}:{}\n", field.key, field.body));
        }
        if !self.final_newline {
            out.pop();
        }
        if self.crlf {
            out = out.replace('\n', "\r\n");
        }
        out
    }
}

fn scalar_text() -> impl Strategy<Value = String> {
    let plain = prop::sample::select(vec![
        "open",
        "Web Team - Ops",
        "2026-01-02",
        "42",
        "true",
        "portal.example.com (443/TCP)",
        "héllo wörld",
        "a-b_c",
    ])
    .prop_map(|s| format!(" {s}"));
    let single = prop::sample::select(vec![
        "'It''s'",
        "'a: b'",
        "' spaced '",
        "''",
        "'# not a comment'",
    ])
    .prop_map(|s| format!(" {s}"));
    let double = prop::sample::select(vec![
        r#""tab\there""#,
        r#""q\"x""#,
        r#""é\u00e9""#,
        r#""""#,
        r#""line\nbreak""#,
    ])
    .prop_map(|s| format!(" {s}"));
    let block = (
        prop::sample::select(vec!["|", "|-", ">", ">-", "|+"]),
        prop::sample::select(vec![2usize, 4]),
        any::<bool>(),
    )
        .prop_map(|(header, indent, comment)| {
            let pad = " ".repeat(indent);
            let comment = if comment { " # block" } else { "" };
            // `|+` keeps the blank line after it.
            let kept = if header == "|+" { "\n" } else { "" };
            format!(" {header}{comment}\n{pad}first line: with colon\n{pad}second # line{kept}")
        });
    let trailing = prop::sample::select(vec!["", "", " # note"]);
    prop_oneof![
        4 => (plain, trailing.clone()).prop_map(|(s, c)| s + c),
        2 => (single, trailing.clone()).prop_map(|(s, c)| s + c),
        2 => (double, trailing.clone()).prop_map(|(s, c)| s + c),
        2 => block,
        1 => trailing.prop_map(str::to_owned),
    ]
}

fn list_text() -> impl Strategy<Value = String> {
    let item = prop::sample::select(vec!["AC-2", "'SI 2'", "\"CM-6\"", "x.y"]);
    let flow = (
        prop::collection::vec(item.clone(), 0..4),
        prop::sample::select(vec!["", " # list"]),
    )
        .prop_map(|(items, comment)| format!(" [{}]{comment}", items.join(", ")));
    let block = (
        prop::collection::vec(item, 1..4),
        prop::sample::select(vec![0usize, 2, 4]),
        any::<bool>(),
    )
        .prop_map(|(items, indent, comment)| {
            let pad = " ".repeat(indent);
            let mut out = String::new();
            for (i, item) in items.iter().enumerate() {
                if comment && i == 1 {
                    out.push_str(&format!("\n{pad}# between entries"));
                }
                out.push_str(&format!("\n{pad}- {item}"));
            }
            out
        });
    prop_oneof![flow, block]
}

fn list_of_maps_text() -> impl Strategy<Value = String> {
    (1..4usize, prop::sample::select(vec![2usize, 4]), 1..4usize, any::<bool>()).prop_map(
        |(count, indent, gap, flow)| {
            let pad = " ".repeat(indent);
            let mut out = String::new();
            for n in 1..=count {
                if flow {
                    out.push_str(&format!(
                        "\n{pad}- {{milestone: {n}, kind: update, date: 2026-0{n}-01}}"
                    ));
                } else {
                    let spaces = " ".repeat(gap);
                    let inner = " ".repeat(indent + 1 + gap);
                    out.push_str(&format!(
                        "\n{pad}-{spaces}milestone: {n}\n{inner}kind: 'update' # why\n{inner}description: >-\n{inner}  folded text"
                    ));
                }
            }
            out
        },
    )
}

fn map_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(" {product: Fancy DB, last_checkin: 2026-01-01}".to_owned()),
        Just("\n  product: \"Fancy DB\" # vendor\n  last_checkin: 2026-01-01".to_owned()),
        Just("\n    # the vendor\n    product: Fancy DB\n    fix_released: ''".to_owned()),
    ]
}

fn field(key: &'static str, kind: Kind) -> impl Strategy<Value = Field> {
    let body = match kind {
        Kind::Scalar => scalar_text().boxed(),
        Kind::List => list_text().boxed(),
        Kind::ListOfMaps => list_of_maps_text().boxed(),
        Kind::Map => map_text().boxed(),
    };
    (body, any::<bool>(), prop::bool::weighted(0.2)).prop_map(
        move |(body, comment_before, blank_before)| Field {
            key,
            body,
            comment_before,
            blank_before,
        },
    )
}

/// Top-level keys in documented order, with the kind of value each is written as.
const LAYOUT: &[(&str, Kind)] = &[
    ("id", Kind::Scalar),
    ("title", Kind::Scalar),
    ("description", Kind::Scalar),
    ("controls", Kind::List),
    ("assets", Kind::List),
    ("owner", Kind::Scalar),
    ("detected", Kind::Scalar),
    ("due", Kind::Scalar),
    ("milestones", Kind::ListOfMaps),
    ("milestone_changes", Kind::ListOfMaps),
    ("status", Kind::Scalar),
    ("vendor_dependency", Kind::Map),
    ("cves", Kind::List),
    ("comments", Kind::Scalar),
];

fn item() -> impl Strategy<Value = Item> {
    let fields: Vec<_> = LAYOUT
        .iter()
        .map(|(key, kind)| (any::<bool>(), field(key, kind.clone())))
        .collect();
    (
        fields,
        any::<bool>(),
        prop::bool::weighted(0.8),
        any::<bool>(),
    )
        .prop_map(|(fields, crlf, final_newline, header_comment)| {
            // `id` and `status` are always there, so every item has at least two keys.
            let fields = fields
                .into_iter()
                .filter(|(keep, f)| *keep || f.key == "id" || f.key == "status")
                .map(|(_, f)| f)
                .collect();
            Item {
                fields,
                crlf,
                final_newline,
                header_comment,
            }
        })
}

fn scalar_value() -> impl Strategy<Value = NewValue> {
    let strings = prop::sample::select(vec![
        "plain words",
        "It's",
        "a: b",
        "x #y",
        "#x",
        "- x",
        "[x]",
        "{x}",
        "true",
        "null",
        "12",
        "2026-01-02",
        "",
        " lead",
        "trail ",
        "quote \"d\"",
        "back\\slash",
        "tab\there",
        "two\nlines",
        "ends\n",
        "é ü ß",
        "%percent",
        "@at",
        "`tick`",
        "a, b",
    ]);
    prop_oneof![
        6 => strings.prop_map(|s| NewValue::Str(s.to_owned())),
        1 => (2020i32..2030, 1u32..13, 1u32..29).prop_map(|(y, m, d)| NewValue::Date(
            NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
        )),
        1 => (-5i64..100_000).prop_map(NewValue::Int),
        1 => any::<bool>().prop_map(NewValue::Bool),
        1 => Just(NewValue::Null),
    ]
}

fn any_value() -> impl Strategy<Value = NewValue> {
    prop_oneof![
        4 => scalar_value(),
        1 => prop::collection::vec(scalar_value(), 0..3).prop_map(NewValue::List),
        1 => (scalar_value(), scalar_value()).prop_map(|(a, b)| NewValue::Map(vec![
            ("kind".to_owned(), a),
            ("note".to_owned(), b)
        ])),
    ]
}

/// An edit, its targets chosen by index among the generated item's fields.
#[derive(Clone, Debug)]
enum Edit {
    SetTop(Index, NewValue),
    AddTop(Index, NewValue),
    AppendTop(Index, NewValue),
    RemoveTop(Index),
    SetInEntry(Index, Index, NewValue),
    RemoveEntry(Index, Index),
    SetInMap(Index, NewValue),
    /// A key two levels down, its parent mappings created when missing.
    SetDeep(Index, NewValue),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<Index>(), any_value()).prop_map(|(i, v)| Edit::SetTop(i, v)),
        2 => (any::<Index>(), any_value()).prop_map(|(i, v)| Edit::AddTop(i, v)),
        2 => (any::<Index>(), any_value()).prop_map(|(i, v)| Edit::AppendTop(i, v)),
        2 => any::<Index>().prop_map(Edit::RemoveTop),
        2 => (any::<Index>(), any::<Index>(), scalar_value()).prop_map(|(i, j, v)| Edit::SetInEntry(i, j, v)),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(i, j)| Edit::RemoveEntry(i, j)),
        1 => (any::<Index>(), scalar_value()).prop_map(|(i, v)| Edit::SetInMap(i, v)),
        1 => (any::<Index>(), any_value()).prop_map(|(i, v)| Edit::SetDeep(i, v)),
    ]
}

// ----- checking one edit -----

enum Op {
    Set(Vec<Key>, NewValue),
    Append(Vec<Key>, NewValue),
    Remove(Vec<Key>),
}

/// The edit as an operation on the current document, or `None` when it has no target there.
fn resolve(edit: &Edit, node: &Node) -> Option<Op> {
    let entries = node.as_map()?;
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    let of_kind = |want: &dyn Fn(&Json) -> bool| -> Vec<&str> {
        entries
            .iter()
            .filter(|e| want(&e.value.to_json()))
            .map(|e| e.key.as_str())
            .collect()
    };
    fn name(k: &str) -> Key {
        Key::Name(k.to_owned())
    }
    Some(match edit {
        Edit::SetTop(i, v) => Op::Set(vec![name(pick(i, &keys))], v.clone()),
        Edit::AddTop(i, v) => {
            let absent: Vec<&str> = LAYOUT
                .iter()
                .map(|(k, _)| *k)
                .chain(["x_custom", "resources", "kev_due"])
                .filter(|k| !keys.contains(k))
                .collect();
            if absent.is_empty() {
                return None;
            }
            Op::Set(vec![name(pick(i, &absent))], v.clone())
        }
        Edit::AppendTop(i, v) => {
            let lists = of_kind(&|j| j.is_array() || j.is_null());
            if lists.is_empty() {
                return None;
            }
            Op::Append(vec![name(pick(i, &lists))], v.clone())
        }
        Edit::RemoveTop(_) if keys.len() == 1 => return None,
        Edit::RemoveTop(i) => Op::Remove(vec![name(pick(i, &keys))]),
        Edit::SetInEntry(i, j, _) | Edit::RemoveEntry(i, j) => {
            let lists = of_kind(&|j| j.as_array().is_some_and(|a| !a.is_empty()));
            if lists.is_empty() {
                return None;
            }
            let list = pick(i, &lists);
            let len = node.get(list)?.value.to_json().as_array()?.len();
            let at = j.index(len);
            let path = vec![name(list), Key::Index(at)];
            match edit {
                Edit::SetInEntry(_, _, v) => {
                    let item = node.get(list)?.value.to_json();
                    if item[at].is_object() {
                        Op::Set([path, vec![name("kind")]].concat(), v.clone())
                    } else {
                        Op::Set(path, v.clone())
                    }
                }
                _ => Op::Remove(path),
            }
        }
        Edit::SetDeep(i, v) => {
            let targets: &[&[&str]] = &[
                &["deviations", "risk_adjustment", "status"],
                &["closed", "evidence"],
                &["vendor_dependency", "fix_released"],
            ];
            let target = targets[i.index(targets.len())];
            // Only through mappings or absent keys: the editor refuses other shapes.
            if let Some(parent) = node.get(target[0]) {
                if parent.value.as_map().is_none() && !parent.value.to_json().is_null() {
                    return None;
                }
            }
            Op::Set(target.iter().map(|k| name(k)).collect(), v.clone())
        }
        Edit::SetInMap(i, v) => {
            let maps = of_kind(&|j| j.as_object().is_some_and(|m| !m.is_empty()));
            if maps.is_empty() {
                return None;
            }
            let map = pick(i, &maps);
            let inner = if map == "vendor_dependency" {
                "last_checkin"
            } else {
                "note"
            };
            Op::Set(vec![name(map), name(inner)], v.clone())
        }
    })
}

fn pick<'a>(index: &Index, from: &[&'a str]) -> &'a str {
    from[index.index(from.len())]
}

fn json_path<'j>(root: &'j mut Json, path: &[Key]) -> Option<&'j mut Json> {
    let mut node = root;
    for key in path {
        node = match key {
            Key::Name(n) => node.get_mut(n.as_str())?,
            Key::Index(i) => node.get_mut(*i)?,
        };
    }
    Some(node)
}

fn to_json(value: &NewValue) -> Json {
    match value {
        NewValue::Str(s) => Json::from(s.as_str()),
        NewValue::Date(d) => Json::from(d.format("%Y-%m-%d").to_string()),
        NewValue::Int(i) => Json::from(*i),
        NewValue::Bool(b) => Json::from(*b),
        NewValue::Null => Json::Null,
        NewValue::List(items) => Json::Array(items.iter().map(to_json).collect()),
        NewValue::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// The tree the edit should produce, computed without the editor.
fn intended(before: &Json, op: &Op) -> Json {
    let mut after = before.clone();
    match op {
        Op::Set(path, value) => {
            let (last, parents) = path.split_last().expect("non-empty path");
            let mut parent = &mut after;
            for key in parents {
                parent = match key {
                    Key::Name(n) => {
                        if parent.is_null() {
                            *parent = Json::Object(serde_json::Map::new());
                        }
                        parent
                            .as_object_mut()
                            .expect("a mapping")
                            .entry(n.clone())
                            .or_insert(Json::Null)
                    }
                    Key::Index(i) => &mut parent[*i],
                };
            }
            match last {
                Key::Name(n) => {
                    if parent.is_null() {
                        *parent = Json::Object(serde_json::Map::new());
                    }
                    parent
                        .as_object_mut()
                        .expect("a mapping")
                        .insert(n.clone(), to_json(value));
                }
                Key::Index(i) => parent[*i] = to_json(value),
            }
        }
        Op::Append(path, value) => match json_path(&mut after, path) {
            Some(Json::Array(items)) => items.push(to_json(value)),
            Some(slot) => *slot = Json::Array(vec![to_json(value)]),
            None => unreachable!("append targets exist"),
        },
        Op::Remove(path) => {
            let (last, parent) = path.split_last().expect("non-empty path");
            let parent = json_path(&mut after, parent).expect("parent exists");
            match last {
                Key::Name(n) => {
                    parent.as_object_mut().expect("a mapping").remove(n);
                }
                Key::Index(i) => {
                    parent.as_array_mut().expect("a list").remove(*i);
                }
            }
        }
    }
    after
}

/// `[start, end)` of the top-level entry `key`: from its key to the next top-level key's line.
fn entry_window(text: &str, node: &Node, key: &str) -> (usize, usize) {
    let entries = node.as_map().expect("a mapping");
    let i = entries
        .iter()
        .position(|e| e.key == key)
        .expect("key exists");
    let start = entries[i].key_span.start;
    let end = entries.get(i + 1).map_or(text.len(), |next| {
        text[..next.key_span.start].rfind('\n').map_or(0, |n| n + 1)
    });
    (start, end)
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &str, b: &str, limit: usize) -> usize {
    a.bytes()
        .rev()
        .zip(b.bytes().rev())
        .take(limit)
        .take_while(|(x, y)| x == y)
        .count()
}

/// True when `after` is `before` with one piece inserted at a line boundary (or at the end).
fn is_line_insertion(before: &str, after: &str) -> bool {
    if after.len() <= before.len() {
        return false;
    }
    let added = after.len() - before.len();
    let p = common_prefix(before, after);
    let line_start = before[..p].rfind('\n').map_or(0, |n| n + 1);
    [line_start, p].iter().any(|&at| {
        after.is_char_boundary(at + added)
            && after[..at] == before[..at]
            && after[at + added..] == before[at..]
            && (at == 0 || at == before.len() || before[..at].ends_with('\n'))
    })
}

fn check_edit(before: &str, op: &Op) -> Result<String, TestCaseError> {
    let mut doc = ItemDocument::from_text("item.yaml".into(), before.to_owned())
        .map_err(|e| TestCaseError::fail(format!("generated item does not parse: {e}")))?;
    let old = doc.node().clone();
    let result = match op {
        Op::Set(path, v) => doc.set(path, v.clone()),
        Op::Append(path, v) => doc.append(path, v.clone()),
        Op::Remove(path) => doc.remove(path),
    };
    result.map_err(|e| TestCaseError::fail(format!("edit refused: {e}")))?;
    let after = doc.text().to_owned();

    // The result parses, and to exactly the intended tree.
    let node = poam::parse::parse_str(&after)
        .map_err(|e| TestCaseError::fail(format!("result does not parse: {e}\n{after}")))?;
    prop_assert_eq!(
        node.to_json(),
        intended(&old.to_json(), op),
        "result:\n{}",
        after
    );

    // Only bytes inside the edited top-level entry changed (or new lines were inserted).
    let top = match op {
        Op::Set(p, _) | Op::Append(p, _) | Op::Remove(p) => match &p[0] {
            Key::Name(n) => n.clone(),
            Key::Index(_) => unreachable!("top-level keys are names"),
        },
    };
    let p = common_prefix(before, &after);
    let s = common_suffix(before, &after, before.len().min(after.len()));
    if before == after {
        // Nothing to locate.
    } else if old.get(&top).is_some() {
        let (start, end) = entry_window(before, &old, &top);
        let removed_line_break = matches!(op, Op::Remove(_)) && !before.ends_with('\n');
        let start = if removed_line_break {
            before[..start].trim_end_matches(['\r', '\n']).len()
        } else {
            start
        };
        // Some split before = A + X + C, after = A + Y + C has X inside the entry: the
        // earliest A allowed gives the longest C.
        let kept_suffix = s
            .min(before.len() - start.min(before.len()))
            .min(after.len().saturating_sub(start));
        let (changed_start, changed_end) = (start, before.len() - kept_suffix);
        prop_assert!(
            start <= p && changed_end <= end,
            "changed {changed_start}..{changed_end} outside the entry {start}..{end}\nbefore:\n{before}\nafter:\n{after}"
        );
    } else {
        prop_assert!(
            is_line_insertion(before, &after),
            "a new key is not an insertion of lines\nbefore:\n{before}\nafter:\n{after}"
        );
        // The generated keys are in documented order, and stay so with the new key.
        let rank = |key: &str| {
            ITEM_KEYS
                .iter()
                .position(|k| *k == key)
                .unwrap_or(usize::MAX)
        };
        let ranks: Vec<usize> = node
            .as_map()
            .expect("a mapping")
            .iter()
            .map(|e| rank(&e.key))
            .collect();
        prop_assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "keys out of order:\n{after}"
        );
    }

    // Line endings and the final newline stay as they were; comments outside the entry stay.
    if before.contains("\r\n") {
        prop_assert!(
            !after.replace("\r\n", "").contains('\n'),
            "a bare LF in {after:?}"
        );
    }
    // (Removing the last key after a `|+` block must leave the line breaks that block keeps.)
    if !before.contains("|+") {
        prop_assert_eq!(before.ends_with('\n'), after.ends_with('\n'));
    }
    Ok(after)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn edits_change_only_the_edited_bytes_and_read_back(item in item(), edits in prop::collection::vec(edit(), 1..4)) {
        let mut text = item.text();
        for edit in &edits {
            let node = poam::parse::parse_str(&text).expect("parses");
            let Some(op) = resolve(edit, &node) else { continue };
            text = check_edit(&text, &op)?;
        }
        // Comments the generator wrote before keys that are still there survive every edit.
        let node = poam::parse::parse_str(&text).expect("parses");
        for field in item.fields.iter().filter(|f| f.comment_before) {
            if node.get(field.key).is_some() {
                let comment = format!("# about {}: keep me", field.key);
                prop_assert!(text.contains(&comment), "lost {comment:?}:\n{text}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn new_items_read_back_as_their_fields(
        chosen in prop::sample::subsequence(ITEM_KEYS.to_vec(), 1..12),
        values in prop::collection::vec(any_value(), 12),
    ) {
        let fields: Vec<(String, NewValue)> = chosen
            .iter()
            .zip(values)
            .map(|(k, v)| ((*k).to_owned(), v))
            .collect();
        let text = render_new_item(&fields);
        let node = poam::parse::parse_str(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let expected: serde_json::Map<String, Json> =
            fields.iter().map(|(k, v)| (k.clone(), to_json(v))).collect();
        prop_assert_eq!(node.to_json(), Json::Object(expected), "{}", text);
        let keys: Vec<&str> = node.as_map().expect("a mapping").iter().map(|e| e.key.as_str()).collect();
        prop_assert_eq!(keys, chosen);
    }
}

// ----- saving -----

fn temp_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    names.sort();
    names
}

const ITEM: &str = "# my notes\r\nid: V-1\r\nstatus: open # still\r\n";

#[test]
fn save_writes_the_edit_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("V-1.yaml");
    fs::write(&path, ITEM).expect("write");
    let mut doc = ItemDocument::open(&path).expect("open");
    doc.set(&[Key::from("status")], NewValue::Str("closed".into()))
        .expect("set");
    doc.save().expect("save");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "# my notes\r\nid: V-1\r\nstatus: closed # still\r\n"
    );
    assert!(temp_files(dir.path()).is_empty());
    // A second edit and save of the same document works: it knows what it wrote.
    doc.set(&[Key::from("title")], NewValue::Str("t".into()))
        .expect("set");
    doc.save().expect("save again");
    assert!(fs::read_to_string(&path)
        .expect("read")
        .contains("title: t\r\n"));
}

#[test]
fn save_refuses_a_file_changed_or_removed_underneath() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("V-1.yaml");
    fs::write(&path, ITEM).expect("write");
    let mut doc = ItemDocument::open(&path).expect("open");
    doc.remove(&[Key::from("status")]).expect("remove");

    let theirs = format!("{ITEM}title: someone else's edit\r\n");
    fs::write(&path, &theirs).expect("write");
    let err = doc.save().expect_err("refused");
    assert!(matches!(err, EditError::Changed { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), theirs);
    assert!(temp_files(dir.path()).is_empty());

    fs::remove_file(&path).expect("remove");
    assert!(matches!(doc.save(), Err(EditError::Changed { .. })));
    assert!(!path.exists());
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn save_fails_cleanly_when_the_file_became_a_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("V-1.yaml");
    fs::write(&path, ITEM).expect("write");
    let mut doc = ItemDocument::open(&path).expect("open");
    doc.set(&[Key::from("status")], NewValue::Str("closed".into()))
        .expect("set");
    fs::remove_file(&path).expect("remove");
    fs::create_dir(&path).expect("mkdir");
    fs::write(path.join("inside"), "x").expect("write");
    assert!(doc.save().is_err());
    assert!(path.is_dir());
    assert!(temp_files(dir.path()).is_empty());
}

#[test]
fn create_new_is_exclusive_and_checks_the_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("V-2.yaml");
    let text = render_new_item(&[
        ("id".into(), NewValue::Str("V-2".into())),
        ("status".into(), NewValue::Str("open".into())),
    ]);
    create_new(&path, &text).expect("create");
    assert_eq!(fs::read_to_string(&path).expect("read"), text);
    let err = create_new(&path, "id: other\n").expect_err("exists");
    assert!(matches!(err, EditError::Exists { .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), text);

    let bad = dir.path().join("bad.yaml");
    assert!(matches!(
        create_new(&bad, "id: [unclosed\n"),
        Err(EditError::Parse { .. })
    ));
    assert!(!bad.exists());
    assert!(temp_files(dir.path()).is_empty());

    let doc = ItemDocument::open(&path).expect("a new item opens for editing");
    assert_eq!(doc.text(), text);
}

#[test]
fn open_reports_unreadable_and_invalid_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = ItemDocument::open(&dir.path().join("nope.yaml")).expect_err("missing");
    assert!(matches!(missing, EditError::Read { .. }), "{missing}");
    let path = dir.path().join("bad.yaml");
    fs::write(&path, "a: &x 1\n").expect("write");
    let err = ItemDocument::open(&path).expect_err("invalid");
    assert!(matches!(err, EditError::Parse { .. }), "{err}");
    assert!(err.to_string().contains("anchors"), "{err}");
}

type EditFn<'a> = Box<dyn Fn(&mut ItemDocument) -> Result<(), EditError> + 'a>;

/// Every edit of every key of every fixture item file succeeds and reads back (the editor
/// checks the read-back itself), and each leaves the bytes before the entry alone.
#[test]
fn every_fixture_item_can_be_edited_key_by_key() {
    let mut files: Vec<_> = walk(&crate::common::fixtures())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("poams")))
        .collect();
    files.sort();
    let mut edits = 0;
    for file in &files {
        let Ok(doc) = ItemDocument::open(file) else {
            continue; // fixtures of parse errors
        };
        let Some(entries) = doc.node().as_map() else {
            continue;
        };
        let keys: Vec<String> = entries.iter().map(|e| e.key.clone()).collect();
        for key in &keys {
            let path = [Key::Name(key.clone())];
            let value = doc.get(&path).expect("present").to_json();
            let mut ops: Vec<EditFn<'_>> = vec![
                Box::new(|d| d.set(&path, NewValue::Str("edited: value".into()))),
                Box::new(|d| d.set(&path, NewValue::List(vec![NewValue::Int(1)]))),
            ];
            if keys.len() > 1 {
                ops.push(Box::new(|d| d.remove(&path)));
            }
            if value.is_array() {
                ops.push(Box::new(|d| {
                    d.append(
                        &path,
                        NewValue::Map(vec![("milestone".into(), NewValue::Int(9))]),
                    )
                }));
            }
            for op in ops {
                let mut edited = doc.clone();
                op(&mut edited).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
                let start = entries
                    .iter()
                    .find(|e| e.key == *key)
                    .expect("key")
                    .key_span
                    .start;
                let keep = doc.text()[..start].trim_end_matches(['\r', '\n']).len();
                assert_eq!(
                    edited.text()[..keep],
                    doc.text()[..keep],
                    "{}",
                    file.display()
                );
                edits += 1;
            }
        }
        let mut added = doc.clone();
        added
            .set(
                &[Key::from("closed"), Key::from("evidence")],
                NewValue::Str("ticket 12".into()),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
    assert!(edits > 1000, "only {edits} edits");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
