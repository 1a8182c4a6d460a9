//! Generic field-level comparison of two [`Node`] trees, and dotted paths into them.
//!
//! Paths: map keys joined with `.`, list elements as 0-based `[index]`:
//! `due`, `milestones[2].date`, `deviations.risk_adjustment.status`.

use crate::model::{Node, Value};

use super::event::FieldChange;

/// Equal as data: spans and the order of mapping keys are ignored.
pub fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Seq(xs), Value::Seq(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_value(x, y))
        }
        (Value::Map(xs), Value::Map(ys)) => {
            xs.len() == ys.len()
                && xs.iter().enumerate().all(|(i, x)| {
                    // Keys usually keep their order; look further only when they did not.
                    let y = match ys.get(i) {
                        Some(y) if y.key == x.key => Some(y),
                        _ => ys.iter().find(|y| y.key == x.key),
                    };
                    y.is_some_and(|y| same_value(&x.value, &y.value))
                })
        }
        _ => false,
    }
}

/// Equal as data, where `None` means absent.
pub fn same_opt(a: Option<&Node>, b: Option<&Node>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same_value(a, b),
        _ => false,
    }
}

/// Every leaf that differs from `old` to `new`. Mappings are compared by key (new order first,
/// then removed keys in old order), lists element by element. An added or removed mapping or
/// list counts leaf by leaf (`deviations.risk_adjustment.status`), in file order; an empty
/// one, or one that replaces a scalar, is one change of the whole value.
pub fn diff_nodes(old: &Node, new: &Node) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let mut path = String::new();
    diff_into(Some(old), Some(new), &mut path, &mut changes);
    changes
}

fn diff_into(
    old: Option<&Node>,
    new: Option<&Node>,
    path: &mut String,
    out: &mut Vec<FieldChange>,
) {
    match (old.map(|n| &n.value), new.map(|n| &n.value)) {
        (Some(Value::Map(olds)), Some(Value::Map(news))) => {
            for entry in news {
                let before = olds.iter().find(|o| o.key == entry.key).map(|o| &o.value);
                with_key(path, &entry.key, |path| {
                    diff_into(before, Some(&entry.value), path, out)
                });
            }
            for entry in olds {
                if !news.iter().any(|n| n.key == entry.key) {
                    with_key(path, &entry.key, |path| {
                        diff_into(Some(&entry.value), None, path, out)
                    });
                }
            }
        }
        (Some(Value::Seq(olds)), Some(Value::Seq(news))) => {
            for index in 0..olds.len().max(news.len()) {
                with_index(path, index, |path| {
                    diff_into(olds.get(index), news.get(index), path, out)
                });
            }
        }
        (Some(Value::Map(entries)), None) | (None, Some(Value::Map(entries)))
            if !entries.is_empty() =>
        {
            let added = new.is_some();
            for entry in entries {
                let side = Some(&entry.value);
                with_key(path, &entry.key, |path| {
                    let (o, n) = if added { (None, side) } else { (side, None) };
                    diff_into(o, n, path, out)
                });
            }
        }
        (Some(Value::Seq(items)), None) | (None, Some(Value::Seq(items))) if !items.is_empty() => {
            let added = new.is_some();
            for (index, item) in items.iter().enumerate() {
                with_index(path, index, |path| {
                    let (o, n) = if added {
                        (None, Some(item))
                    } else {
                        (Some(item), None)
                    };
                    diff_into(o, n, path, out)
                });
            }
        }
        _ => {
            if !same_opt(old, new) {
                out.push(FieldChange {
                    path: path.clone(),
                    old: old.map(Node::to_json),
                    new: new.map(Node::to_json),
                });
            }
        }
    }
}

fn with_key(path: &mut String, key: &str, f: impl FnOnce(&mut String)) {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
    f(path);
    path.truncate(len);
}

fn with_index(path: &mut String, index: usize, f: impl FnOnce(&mut String)) {
    let len = path.len();
    path.push('[');
    path.push_str(&index.to_string());
    path.push(']');
    f(path);
    path.truncate(len);
}

/// Joins a parent path and a key the way [`diff_nodes`] does.
pub fn join_key(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// The node at a dotted path (`milestones[2].date`), if there is one.
pub fn lookup<'a>(node: &'a Node, path: &str) -> Option<&'a Node> {
    let mut current = node;
    for segment in path.split('.') {
        let (key, indexes) = match segment.find('[') {
            Some(at) => segment.split_at(at),
            None => (segment, ""),
        };
        if !key.is_empty() {
            current = &current.get(key)?.value;
        }
        for index in indexes.split('[').skip(1) {
            let index: usize = index.strip_suffix(']')?.parse().ok()?;
            match &current.value {
                Value::Seq(items) => current = items.get(index)?,
                _ => return None,
            }
        }
    }
    Some(current)
}

/// Like [`lookup`], but falls back to the closest enclosing node that exists, so a finding
/// about a removed field can still point somewhere in the current file.
pub fn lookup_nearest<'a>(node: &'a Node, path: &str) -> &'a Node {
    let mut path = path;
    loop {
        if let Some(found) = lookup(node, path) {
            return found;
        }
        match path.rfind(['.', '[']) {
            Some(cut) => path = &path[..cut],
            None => return node,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    fn node(text: &str) -> Node {
        parse_str(text).expect("fixture parses")
    }

    #[test]
    fn key_order_and_spans_do_not_count() {
        let a = node("a: 1\nb: [x, {c: 2, d: 3}]\n");
        let b = node("b:   [x, {d: 3, c: 2}]\na: 1\n");
        assert!(same_value(&a, &b));
        assert!(diff_nodes(&a, &b).is_empty());
        assert!(!same_value(&a, &node("a: 1\nb: [x, {c: 2}]\n")));
        assert!(!same_value(&node("a: '1'"), &node("a: 1")));
    }

    #[test]
    fn diff_reports_dotted_paths_with_zero_based_indexes() {
        let old = node(
            "due: 2026-04-01\nmilestones:\n  - {id: 1, date: 2026-02-01}\n  - {id: 2, date: 2026-03-01}\ngone: x\ndeviations: {risk_adjustment: {status: pending}}\n",
        );
        let new = node(
            "due: 2026-05-01\nmilestones:\n  - {id: 1, date: 2026-02-01}\n  - {id: 2, date: 2026-03-15}\n  - {id: 3, date: 2026-04-01}\ndeviations: {risk_adjustment: {status: approved}}\nadded: true\n",
        );
        let changes = diff_nodes(&old, &new);
        let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
        // An added milestone counts field by field, in file order.
        assert_eq!(
            paths,
            [
                "due",
                "milestones[1].date",
                "milestones[2].id",
                "milestones[2].date",
                "deviations.risk_adjustment.status",
                "added",
                "gone"
            ]
        );
        assert_eq!(changes[0].old, Some(serde_json::json!("2026-04-01")));
        assert_eq!(changes[0].new, Some(serde_json::json!("2026-05-01")));
        assert_eq!(changes[2].old, None);
        assert_eq!(changes[2].new, Some(serde_json::json!(3)));
        assert_eq!(changes[3].new, Some(serde_json::json!("2026-04-01")));
        assert_eq!(changes[5].old, None);
        assert_eq!(changes[6].new, None);
        // Near miss: an empty mapping added is one change.
        let empty = diff_nodes(&node("a: 1\n"), &node("a: 1\nb: {}\n"));
        assert_eq!(empty.len(), 1);
        assert_eq!(empty[0].path, "b");
    }

    #[test]
    fn a_type_change_is_one_change_of_the_whole_value() {
        let changes = diff_nodes(&node("a: {b: 1}\n"), &node("a: [1]\n"));
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, "a");
    }

    #[test]
    fn lookup_follows_keys_and_indexes() {
        let n = node("milestones:\n  - {id: 1, date: 2026-02-01}\n  - {id: 2, date: 2026-03-01}\nd: {r: {s: ok}}\n");
        let date = lookup(&n, "milestones[1].date").expect("found");
        assert_eq!(date.value, Value::Str("2026-03-01".into()));
        assert_eq!(
            lookup(&n, "d.r.s").map(|n| &n.value),
            Some(&Value::Str("ok".into()))
        );
        assert!(lookup(&n, "milestones[5].date").is_none());
        assert!(lookup(&n, "d.r.x").is_none());
        let nearest = lookup_nearest(&n, "milestones[5].date");
        assert!(matches!(nearest.value, Value::Seq(_)));
        assert!(std::ptr::eq(lookup_nearest(&n, "nope"), &n));
    }
}
