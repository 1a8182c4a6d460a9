//! What the cursor is on: a key or value in the parsed tree (hover, definition), or what
//! the line being typed expects (completion).

use crate::model::{Node, Span, Value};

/// The scalar (or key) under the cursor.
pub struct Cursor<'a> {
    /// Keys from the top, list positions written `[n]`.
    pub path: Vec<String>,
    /// The value's text, when it is a string.
    pub scalar: Option<&'a str>,
    pub span: Span,
}

impl<'a> Cursor<'a> {
    pub fn find(node: &'a Node, offset: usize) -> Option<Cursor<'a>> {
        let mut path = Vec::new();
        let (scalar, span) = walk(node, offset, &mut path)?;
        Some(Cursor { path, scalar, span })
    }

    pub fn path_is(&self, keys: &[&str]) -> bool {
        self.path.len() == keys.len() && self.path.iter().zip(keys).all(|(a, b)| a == b)
    }

    /// The top-level key the cursor is under.
    pub fn top(&self) -> Option<&str> {
        self.path.first().map(String::as_str)
    }
}

fn contains(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

fn scalar(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Str(s) => Some(s),
        _ => None,
    }
}

fn walk<'a>(
    node: &'a Node,
    offset: usize,
    path: &mut Vec<String>,
) -> Option<(Option<&'a str>, Span)> {
    match &node.value {
        Value::Map(entries) => entries.iter().find_map(|entry| {
            if contains(entry.key_span, offset) {
                path.push(entry.key.clone());
                return Some((scalar(&entry.value), entry.key_span));
            }
            if !contains(entry.value.span, offset) {
                return None;
            }
            path.push(entry.key.clone());
            let found = walk(&entry.value, offset, path);
            if found.is_none() {
                path.pop();
            }
            found
        }),
        Value::Seq(items) => items.iter().enumerate().find_map(|(index, item)| {
            if !contains(item.span, offset) {
                return None;
            }
            path.push(format!("[{index}]"));
            let found = walk(item, offset, path);
            if found.is_none() {
                path.pop();
            }
            found
        }),
        _ => contains(node.span, offset).then(|| (scalar(node), node.span)),
    }
}

/// What the line being typed expects at the cursor.
#[derive(Debug, PartialEq, Eq)]
pub enum Context {
    /// A key of the mapping under the named key (`None`: the top level).
    Key(Option<String>),
    /// A value of the named key (or an entry of the list it holds).
    Value(String),
    Nothing,
}

/// Lists whose entries are values (rather than mappings).
const VALUE_LISTS: &[&str] = &["controls", "assets", "cves", "services"];

pub fn context(text: &str, offset: usize) -> Context {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    let trimmed = before.trim_start();
    let indent = before.len() - trimmed.len();
    let (entry, dash) = match trimmed.strip_prefix('-') {
        Some(rest) if rest.is_empty() || rest.starts_with(' ') => (rest.trim_start(), true),
        _ => (trimmed, false),
    };
    if let Some(colon) = entry.find(':') {
        let key = entry[..colon].trim();
        if key.is_empty() || key.contains(' ') {
            return Context::Nothing;
        }
        return Context::Value(key.to_owned());
    }
    if !entry.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Context::Nothing;
    }
    if dash {
        let parent = parent_key(text, line_start, indent, true);
        return match parent {
            Some(key) if VALUE_LISTS.contains(&key.as_str()) => Context::Value(key),
            parent => Context::Key(parent),
        };
    }
    Context::Key(parent_key(text, line_start, indent, false))
}

/// The key of the mapping a line at `indent` (before `line_start`) belongs to.
fn parent_key(text: &str, line_start: usize, indent: usize, dash: bool) -> Option<String> {
    let (mut limit, mut inclusive) = (indent, dash);
    for line in text[..line_start].lines().rev() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = line.len() - trimmed.len();
        if !(at < limit || (inclusive && at == limit)) {
            continue;
        }
        if trimmed == "-" || trimmed.starts_with("- ") {
            // An entry of a list: the list's key is further up.
            (limit, inclusive) = (at, true);
            continue;
        }
        return trimmed.split(':').next().map(|k| k.trim().to_owned());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Context {
        let offset = text.find('|').unwrap_or(text.len());
        let text = text.replacen('|', "", 1);
        context(&text, offset)
    }

    #[test]
    fn the_line_being_typed_tells_keys_from_values() {
        assert_eq!(at("id: V-1\nri|"), Context::Key(None));
        assert_eq!(at("id: V-1\nrisk: h|"), Context::Value("risk".into()));
        assert_eq!(at("controls: [AC-2, |"), Context::Value("controls".into()));
        assert_eq!(
            at("assets:\n  - web-01\n  - |"),
            Context::Value("assets".into())
        );
        assert_eq!(
            at("milestones:\n  - id: 1\n    da|"),
            Context::Key(Some("milestones".into()))
        );
        assert_eq!(
            at("milestones:\n- id: 1\n- |"),
            Context::Key(Some("milestones".into()))
        );
        assert_eq!(at("title: some words |"), Context::Value("title".into()));
        assert_eq!(at("a b|"), Context::Nothing);
    }
}
