//! The YAML parser boundary. Only this module names the parser crate; everything else sees
//! [`Node`] trees with byte spans.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use crate::model::{Entry, Node, Span, Value};

/// Item files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Nesting deeper than this is refused: items are at most four levels deep.
pub const MAX_DEPTH: usize = 32;

/// Why a file could not become a [`Node`] tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses one YAML document from raw bytes: UTF-8, at most [`MAX_FILE_BYTES`], a single
/// document, no anchors or aliases, bounded depth.
pub fn parse_bytes(bytes: &[u8]) -> Result<(String, Node), ParseError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ParseError {
            message: format!(
                "file is {} bytes; items may be at most {} bytes",
                bytes.len(),
                MAX_FILE_BYTES
            ),
            span: Span::new(0, 0),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => {
            let at = err.valid_up_to();
            return Err(ParseError {
                message: format!("file is not valid UTF-8 (invalid byte at offset {at})"),
                span: Span::new(0, 0),
            });
        }
    };
    let node = parse_str(&text)?;
    Ok((text, node))
}

/// Parses one YAML document held in a string.
pub fn parse_str(text: &str) -> Result<Node, ParseError> {
    if text.contains('\0') {
        let at = text.find('\0').unwrap_or(0);
        return Err(ParseError {
            message: "file contains a NUL byte: it looks binary, not YAML".to_owned(),
            span: Span::new(at, at),
        });
    }
    let text_without_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text_without_bom.trim().is_empty() {
        return Err(ParseError {
            message: "file is empty: an item is one YAML mapping".to_owned(),
            span: Span::new(0, 0),
        });
    }
    let raw: Spanned<RawNode> = serde_saphyr::from_str_with_options(text, options())
        .map_err(|err| convert_error(text, &err))?;
    Ok(raw.into_node(text.len()))
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_anchors = 0;
    budget.max_aliases = 0;
    budget.max_depth = MAX_DEPTH;
    budget.max_documents = 1;
    budget.max_nodes = 100_000;
    budget.max_events = 200_000;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES * 2;
    serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        with_snippet: false,
    }
}

fn convert_error(text: &str, err: &serde_saphyr::Error) -> ParseError {
    let span = err
        .location()
        .and_then(|loc| loc.span().byte_offset())
        .and_then(|offset| usize::try_from(offset).ok())
        .map_or(Span::new(0, 0), |offset| {
            let offset = offset.min(text.len());
            Span::new(offset, offset)
        });
    let mut message = err.to_string();
    // The parser repeats the position in its message; ours is in the span.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    if let Some(cut) = message.find(", set DuplicateKeyPolicy") {
        message.truncate(cut);
    }
    let lower = message.to_lowercase();
    if lower.contains("alias") || lower.contains("anchor") {
        message = "anchors and aliases are not allowed in poam files".to_owned();
    } else if lower.contains("documents") {
        message = "file holds more than one YAML document; an item is exactly one".to_owned();
    } else if lower.contains("budget breached") {
        message = format!("file is too large or too deeply nested ({message})");
    }
    ParseError { message, span }
}

fn span_of<T>(spanned: &Spanned<T>, text_len: usize) -> Span {
    let span = spanned.referenced.span();
    let start = span
        .byte_offset()
        .and_then(|o| usize::try_from(o).ok())
        .unwrap_or(0)
        .min(text_len);
    let len = span
        .byte_len()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(0);
    Span::new(start, (start + len).min(text_len))
}

/// What the parser produces; converted at once into the parser-free [`Node`].
enum RawNode {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<RawKey>, Spanned<RawNode>)>),
}

/// Keys are scalars; non-string scalars keep their text.
struct RawKey(String);

trait IntoNode {
    fn into_node(self, text_len: usize) -> Node;
}

impl IntoNode for Spanned<RawNode> {
    fn into_node(self, text_len: usize) -> Node {
        let mut span = span_of(&self, text_len);
        let value = match self.value {
            RawNode::Null => Value::Null,
            RawNode::Bool(b) => Value::Bool(b),
            RawNode::Int(i) => Value::Int(i),
            RawNode::Float(f) => Value::Float(f),
            RawNode::Str(s) => Value::Str(s),
            RawNode::Seq(items) => {
                let items: Vec<Node> = items.into_iter().map(|n| n.into_node(text_len)).collect();
                // The parser gives containers an empty span at their start; widen it to the content.
                for item in &items {
                    span = span.cover(item.span);
                }
                Value::Seq(items)
            }
            RawNode::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(key, value)| {
                        let key_span = span_of(&key, text_len);
                        Entry {
                            key: key.value.0,
                            key_span,
                            value: value.into_node(text_len),
                        }
                    })
                    .collect(),
            ),
        };
        if let Value::Map(entries) = &value {
            for entry in entries {
                span = span.cover(entry.key_span).cover(entry.value.span);
            }
        }
        Node { value, span }
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v.into()))
    }
    fn visit_i128<E>(self, v: i128) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawNode, E> {
        Ok(i128::try_from(v).map_or_else(|_| RawNode::Str(v.to_string()), RawNode::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<RawKey>>()? {
            let value = map.next_value::<Spanned<RawNode>>()?;
            entries.push((key, value));
        }
        Ok(RawNode::Map(entries))
    }
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawNodeVisitor)
    }
}

struct RawKeyVisitor;

impl Visitor<'_> for RawKeyVisitor {
    type Value = RawKey;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawKey, E> {
        Ok(RawKey(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawKey, E> {
        Ok(RawKey(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawKey, E> {
        Ok(RawKey(v))
    }
    fn visit_unit<E>(self) -> Result<RawKey, E> {
        Ok(RawKey("null".to_owned()))
    }
}

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RawKeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of<'a>(text: &'a str, span: Span) -> &'a str {
        &text[span.start..span.end]
    }

    #[test]
    fn spans_are_byte_ranges_of_keys_and_values() {
        let text = "title: Héllo wörld\ndue: 2026-01-02\nlist:\n  - a\n  - 7\nmap: {k: true}\n";
        let node = parse_str(text).expect("parses");
        let entries = node.as_map().expect("map");
        assert_eq!(entries[0].key, "title");
        assert_eq!(text_of(text, entries[0].key_span), "title");
        assert_eq!(text_of(text, entries[0].value.span), "Héllo wörld");
        assert_eq!(text_of(text, entries[1].value.span), "2026-01-02");
        let Value::Seq(items) = &entries[2].value.value else {
            panic!("expected a list")
        };
        assert_eq!(items[1].value, Value::Int(7));
        assert_eq!(text_of(text, items[1].span), "7");
        let inner = entries[3].value.get("k").expect("k");
        assert_eq!(inner.value.value, Value::Bool(true));
    }

    #[test]
    fn refuses_anchors_documents_and_binary() {
        for bad in [
            "a: &x 1\nb: *x\n",
            "a: 1\n---\nb: 2\n",
            "a: [1, 2\n",
            "",
            "   \n",
            "a: \0\n",
        ] {
            assert!(parse_str(bad).is_err(), "{bad:?} should fail");
        }
        assert!(parse_bytes(b"a: \xff\xfe\n").is_err());
        assert!(parse_bytes(&vec![b'#'; MAX_FILE_BYTES + 1]).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_str(&deep).is_err());
    }

    #[test]
    fn yes_stays_a_string() {
        let node = parse_str("a: yes\n").expect("parses");
        assert_eq!(
            node.get("a").map(|e| &e.value.value),
            Some(&Value::Str("yes".into()))
        );
    }
}
