//! A fast path for the common subset of YAML that item files use (and people and inventory
//! files: the same subset under a list at the root).
//!
//! [`parse`] builds exactly the [`Node`] tree (values and spans) that the full parser's
//! `TreeBuilder` builds, or returns `None` for anything outside the subset or anything it is
//! not sure about, so the caller falls back to the full parser. It never reports errors: every
//! input the full parser rejects must come back as `None`.

use super::resolve_plain;
use crate::bytes::any_byte;
use crate::model::{Entry, Node, Span, Value};

/// Deeper nesting is left to the full parser (items are at most four levels deep).
const MAX_FAST_DEPTH: usize = 16;

/// Parses `text` if it lies in the supported subset; `None` otherwise.
pub(super) fn parse(text: &str) -> Option<Node> {
    if !text.ends_with('\n') {
        return None;
    }
    let printable_ascii = is_printable_ascii(text.as_bytes());
    if !printable_ascii && !text.chars().all(allowed_char) {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 32 + 1);
    let mut start = 0;
    let mut marker = false;
    // The text ends with a newline (checked above): each line ends at one found here.
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        // A newline is ASCII: both ends are character boundaries.
        let content = &text[start..end];
        marker |= content.starts_with("---") || content.starts_with("...");
        let indent = content.len() - content.trim_start_matches(' ').len();
        lines.push(Line {
            start,
            indent,
            content,
        });
        start = end + 1;
    }
    if marker {
        return None;
    }
    let mut parser = Parser {
        text,
        lines,
        pos: 0,
        depth: 0,
    };
    let first = parser.next_significant(None)?;
    if parser.lines[first].indent != 0 {
        return None;
    }
    parser.pos = first;
    // A list at the root: a people or inventory file.
    let root = if parser.lines[first].is_dash() {
        parser.block_seq(0, false)?
    } else {
        parser.block_map(0)?
    };
    if parser.next_significant(Some(0)).is_some() {
        return None;
    }
    Some(root)
}

/// Whether `bytes` are all printable ASCII or `\n`.
fn is_printable_ascii(bytes: &[u8]) -> bool {
    !any_byte(bytes, |b| (b != b'\n') & !(b' '..=b'~').contains(&b))
}

/// Printable characters other than the ones YAML treats as line breaks or marks.
fn allowed_char(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}' | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

struct Line<'a> {
    /// Byte offset of the line's first character.
    start: usize,
    /// Leading spaces.
    indent: usize,
    /// The line without its newline.
    content: &'a str,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.indent == self.content.len()
    }

    fn is_comment(&self) -> bool {
        self.content.as_bytes().get(self.indent) == Some(&b'#')
    }

    /// `-` followed by a space or the end of the line, at the line's indentation.
    fn is_dash(&self) -> bool {
        let rest = &self.content.as_bytes()[self.indent..];
        rest == b"-" || rest.starts_with(b"- ")
    }
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line<'a>>,
    /// The line being parsed.
    pos: usize,
    depth: usize,
}

/// Characters a plain scalar may not start with.
fn is_indicator(b: u8) -> bool {
    b"-?:,[]{}#&*!|>'\"%@`".contains(&b)
}

/// Longer keys are left to the full parser (YAML limits implicit keys to 1024 characters).
const MAX_KEY_LEN: usize = 128;

/// The length of a simple key (`[A-Za-z0-9_]+` followed by `:` and a space or the end).
fn key_len(s: &[u8]) -> Option<usize> {
    let len = s
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
        .count();
    if len == 0 || len > MAX_KEY_LEN || s.get(len) != Some(&b':') {
        return None;
    }
    match s.get(len + 1) {
        None | Some(b' ') => Some(len),
        _ => None,
    }
}

/// What follows a scalar or flow collection on its line: spaces, then nothing or a comment.
fn rest_is_empty(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

impl<'a> Parser<'a> {
    /// The next line from `pos` that is neither blank nor a comment. With `limit`, a comment
    /// indented deeper than `limit` is refused (it could belong to a scalar continuation).
    fn next_significant(&self, limit: Option<usize>) -> Option<usize> {
        let mut i = self.pos;
        while let Some(line) = self.lines.get(i) {
            if line.is_blank() {
                i += 1;
            } else if line.is_comment() {
                if limit.is_some_and(|l| line.indent > l) {
                    // Signal "refuse" by pointing at the comment: callers see indent > limit.
                    return Some(i);
                }
                i += 1;
            } else {
                return Some(i);
            }
        }
        None
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_FAST_DEPTH).then_some(())
    }

    /// A block mapping whose keys sit at column `n`; the current line holds its first key.
    fn block_map(&mut self, n: usize) -> Option<Node> {
        self.enter()?;
        let mut entries: Vec<Entry> = Vec::new();
        let mut span: Option<Span> = None;
        loop {
            let line = &self.lines[self.pos];
            let bytes = line.content.as_bytes();
            let len = key_len(bytes.get(n..)?)?;
            let key = &line.content[n..n + len];
            if entries.iter().any(|e| e.key == key) {
                return None;
            }
            let key_span = Span::new(line.start + n, line.start + n + len);
            let value = self.map_value(n, n + len)?;
            let whole = span.unwrap_or(key_span).cover(key_span).cover(value.span);
            span = Some(whole);
            entries.push(Entry {
                key: key.to_owned(),
                key_span,
                value,
            });
            let Some(next) = self.next_significant(Some(n)) else {
                self.pos = self.lines.len();
                break;
            };
            let indent = self.lines[next].indent;
            if indent > n {
                return None;
            }
            self.pos = next;
            if indent < n {
                break;
            }
        }
        self.depth -= 1;
        Some(Node {
            value: Value::Map(entries),
            span: span?,
        })
    }

    /// The value of the key on the current line whose `:` sits at column `colon`. Leaves
    /// `pos` on the line after the value.
    fn map_value(&mut self, n: usize, colon: usize) -> Option<Node> {
        let line = &self.lines[self.pos];
        let after = &line.content[colon + 1..];
        let value_col = colon + 1 + (after.len() - after.trim_start_matches(' ').len());
        let rest = &line.content[value_col..];
        if !rest.is_empty() && !rest.starts_with('#') {
            if rest.starts_with(['|', '>']) {
                return self.block_scalar(n, value_col);
            }
            return self.inline_value(value_col);
        }
        // Nothing on this line: a nested block, or null.
        let colon_at = line.start + colon;
        self.pos += 1;
        if let Some(next) = self.next_significant(None) {
            let next_line = &self.lines[next];
            let indent = next_line.indent;
            if indent > n || (indent == n && next_line.is_dash()) {
                self.pos = next;
                if next_line.is_dash() {
                    return self.block_seq(indent, indent == n);
                }
                key_len(&next_line.content.as_bytes()[indent..])?;
                return self.block_map(indent);
            }
        }
        Some(Node {
            value: Value::Null,
            span: Span::new(colon_at, colon_at),
        })
    }

    /// A block sequence whose dashes sit at column `m`; the current line holds the first.
    fn block_seq(&mut self, m: usize, compact: bool) -> Option<Node> {
        self.enter()?;
        let mut items = Vec::new();
        let mut span: Option<Span> = None;
        loop {
            let line = &self.lines[self.pos];
            let after = &line.content[m + 1..];
            let col = m + 1 + (after.len() - after.trim_start_matches(' ').len());
            let rest = &line.content[col..];
            if rest.is_empty()
                || rest.starts_with('#')
                || rest.starts_with(['-', '|', '>', '?', ':'])
            {
                return None;
            }
            if span.is_none() {
                let at = line.start + if compact { col } else { m };
                span = Some(Span::new(at, at));
            }
            let item = if key_len(rest.as_bytes()).is_some() {
                self.block_map(col)?
            } else {
                let node = self.inline_value(col)?;
                match self.next_significant(Some(m)) {
                    Some(next) => self.pos = next,
                    None => self.pos = self.lines.len(),
                }
                node
            };
            span = span.map(|s| s.cover(item.span));
            items.push(item);
            let Some(next) = self.lines.get(self.pos) else {
                break;
            };
            if next.indent > m {
                return None;
            }
            if next.indent < m || !next.is_dash() {
                break;
            }
        }
        self.depth -= 1;
        Some(Node {
            value: Value::Seq(items),
            span: span?,
        })
    }

    /// A scalar or flow collection that fits on the current line from column `col`. Leaves
    /// `pos` on the next line.
    fn inline_value(&mut self, col: usize) -> Option<Node> {
        let line = &self.lines[self.pos];
        let base = line.start + col;
        let rest = &line.content[col..];
        self.pos += 1;
        match rest.as_bytes().first()? {
            b'\'' => single_quoted(rest, base),
            b'"' => double_quoted(rest, base),
            b'[' => self.flow(rest, base, b']'),
            b'{' => self.flow(rest, base, b'}'),
            _ => plain(rest, base),
        }
    }

    /// A one-line flow sequence or mapping of plain scalars.
    fn flow(&mut self, rest: &str, base: usize, close: u8) -> Option<Node> {
        let end = rest.bytes().position(|b| b == close)?;
        if !rest_is_empty(&rest[end + 1..]) {
            return None;
        }
        let inner = &rest[1..end];
        if inner
            .bytes()
            .any(|b| matches!(b, b'[' | b']' | b'{' | b'}' | b'#' | b'\'' | b'"'))
        {
            return None;
        }
        self.enter()?;
        let mut span = Span::new(base, base);
        let mut items = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        if !inner.trim_matches(' ').is_empty() {
            let mut offset = base + 1;
            for part in inner.split(',') {
                let at = offset + (part.len() - part.trim_start_matches(' ').len());
                offset += part.len() + 1;
                let element = part.trim_matches(' ');
                if close == b']' {
                    let node = flow_plain(element, at)?;
                    span = span.cover(node.span);
                    items.push(node);
                    continue;
                }
                let len = key_len(element.as_bytes())?;
                let key = &element[..len];
                if entries.iter().any(|e| e.key == key) {
                    return None;
                }
                let after = &element[len + 1..];
                let lead = after.len() - after.trim_start_matches(' ').len();
                if lead == 0 {
                    return None;
                }
                let node = flow_plain(&after[lead..], at + len + 1 + lead)?;
                let key_span = Span::new(at, at + len);
                span = span.cover(key_span).cover(node.span);
                entries.push(Entry {
                    key: key.to_owned(),
                    key_span,
                    value: node,
                });
            }
        }
        self.depth -= 1;
        let value = if close == b']' {
            Value::Seq(items)
        } else {
            Value::Map(entries)
        };
        Some(Node { value, span })
    }

    /// A block scalar whose header (`|` or `>`, optional chomping) sits at column `col` of the
    /// current line, inside a collection indented `n`. Leaves `pos` on the terminating line.
    fn block_scalar(&mut self, n: usize, col: usize) -> Option<Node> {
        let header = &self.lines[self.pos].content[col..];
        let folded = header.starts_with('>');
        let (chomp, after) = match header.as_bytes().get(1) {
            Some(b'-') => (Chomp::Strip, &header[2..]),
            Some(b'+') => (Chomp::Keep, &header[2..]),
            _ => (Chomp::Clip, &header[1..]),
        };
        if !(after.is_empty() || (after.starts_with(' ') && rest_is_empty(after))) {
            return None;
        }
        self.pos += 1;
        let first = self.lines.get(self.pos)?;
        let indent = first.indent;
        if first.is_blank() || indent <= n {
            return None;
        }
        let start = first.start + indent;
        let mut out = String::new();
        let mut blanks = 0usize;
        let mut seen = false;
        let mut end = self.text.len();
        while let Some(line) = self.lines.get(self.pos) {
            if line.is_blank() {
                if !line.content.is_empty() {
                    return None;
                }
                blanks += 1;
                self.pos += 1;
                continue;
            }
            if line.indent < indent {
                end = line.start + line.indent;
                break;
            }
            if folded && line.indent > indent {
                return None;
            }
            if seen {
                if folded && blanks == 0 {
                    out.push(' ');
                } else {
                    if !folded {
                        out.push('\n');
                    }
                    out.extend(std::iter::repeat_n('\n', blanks));
                }
            }
            out.push_str(&line.content[indent..]);
            seen = true;
            blanks = 0;
            self.pos += 1;
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => out.push('\n'),
            Chomp::Keep => {
                out.push('\n');
                out.extend(std::iter::repeat_n('\n', blanks));
            }
        }
        Some(Node {
            value: Value::Str(out),
            span: Span::new(start, end),
        })
    }
}

enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// A plain scalar inside a flow collection.
fn flow_plain(element: &str, at: usize) -> Option<Node> {
    let first = *element.as_bytes().first()?;
    // In a flow collection `:` is an indicator only before a space or at the element's end (the
    // caller splits at `,` and refuses brackets), so date-times like 2026-11-15T17:00:00Z stay
    // on the fast path.
    if is_indicator(first) || has_colon_space(element) || element.ends_with(':') {
        return None;
    }
    Some(Node {
        value: resolve_plain(element),
        span: Span::new(at, at + element.len()),
    })
}

/// Whether `text` holds `: ` (a byte scan: a substring search sets up a searcher per call,
/// which costs more than these short elements).
fn has_colon_space(text: &str) -> bool {
    text.as_bytes().windows(2).any(|pair| pair == b": ")
}

/// A one-line plain scalar in block context, up to a ` #` comment.
fn plain(rest: &str, base: usize) -> Option<Node> {
    let bytes = rest.as_bytes();
    let mut end = bytes.len();
    // Most values (prose, dates, names) hold none of `#`, `:` or a bracket: one vector pass
    // tells, and only the others are walked byte by byte.
    if has_plain_marks(bytes) {
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'#' if i > 0 && bytes[i - 1] == b' ' => {
                    end = i - 1;
                    break;
                }
                // `: ` inside the value (before any comment) and brackets are left to the
                // full parser.
                b':' if bytes.get(i + 1) == Some(&b' ') => return None,
                b'[' | b']' | b'{' | b'}' => return None,
                _ => {}
            }
        }
    }
    let text = rest[..end].trim_end_matches(' ');
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if is_indicator(first) && !(first == b'-' && bytes.get(1).is_some_and(|b| *b != b' ')) {
        return None;
    }
    if text.ends_with(':') {
        return None;
    }
    Some(Node {
        value: resolve_plain(text),
        span: Span::new(base, base + text.len()),
    })
}

/// Whether `bytes` hold `#`, `:` or a bracket (`| 0x20` folds `[` onto `{` and `]` onto `}`).
fn has_plain_marks(bytes: &[u8]) -> bool {
    any_byte(bytes, |b| {
        (b == b'#') | (b == b':') | (b | 0x20 == b'{') | (b | 0x20 == b'}')
    })
}

/// A single-quoted scalar on one line (`''` is a quote).
fn single_quoted(rest: &str, base: usize) -> Option<Node> {
    let mut value = String::new();
    let body = &rest[1..];
    let mut i = 0;
    loop {
        let j = i + body[i..].find('\'')?;
        value.push_str(&body[i..j]);
        if body.as_bytes().get(j + 1) == Some(&b'\'') {
            value.push('\'');
            i = j + 2;
        } else {
            i = j + 1;
            break;
        }
    }
    if !rest_is_empty(&body[i..]) {
        return None;
    }
    Some(Node {
        value: Value::Str(value),
        span: Span::new(base, base + 1 + i),
    })
}

/// A double-quoted scalar on one line without escapes.
fn double_quoted(rest: &str, base: usize) -> Option<Node> {
    let body = &rest[1..];
    let j = body.find('"')?;
    let value = &body[..j];
    if value.contains('\\') || !rest_is_empty(&body[j + 1..]) {
        return None;
    }
    Some(Node {
        value: Value::Str(value.to_owned()),
        span: Span::new(base, base + j + 2),
    })
}

#[cfg(test)]
mod tests {
    use super::super::TreeBuilder;
    use super::parse;
    use crate::model::{Node, Value};
    use proptest::prelude::*;
    use std::path::{Path, PathBuf};

    /// The full parser's answer.
    fn full(text: &str) -> Result<Node, super::super::ParseError> {
        TreeBuilder::new(text).build()
    }

    /// Node equality where NaN equals NaN.
    fn same(a: &Node, b: &Node) -> bool {
        if a.span != b.span {
            return false;
        }
        match (&a.value, &b.value) {
            (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
            (Value::Seq(x), Value::Seq(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (Value::Map(x), Value::Map(y)) => {
                x.len() == y.len()
                    && x.iter().zip(y).all(|(a, b)| {
                        a.key == b.key && a.key_span == b.key_span && same(&a.value, &b.value)
                    })
            }
            (x, y) => x == y,
        }
    }

    /// Fast must be `None` or equal to the full parser's `Ok`.
    fn check(text: &str) -> Result<(), String> {
        match (parse(text), full(text)) {
            (None, _) => Ok(()),
            (Some(fast), Ok(full)) if same(&fast, &full) => Ok(()),
            (Some(fast), full) => {
                let a = format!("{fast:#?}");
                let b = format!("{:#?}", full.clone());
                let al: Vec<&str> = a.lines().map(str::trim).collect();
                let bl: Vec<&str> = b.lines().skip(1).map(str::trim).collect();
                let k = al.iter().zip(&bl).position(|(x, y)| x != y).unwrap_or(0);
                let lo = k.saturating_sub(12);
                Err(format!(
                    "fast path disagrees on {text:?}\nfast: {}\nfull: {}\nfull result head: {}",
                    al[lo..(k + 3).min(al.len())].join("\n"),
                    bl[lo..(k + 3).min(bl.len())].join("\n"),
                    b.lines().next().unwrap_or("")
                ))
            }
        }
    }

    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }

    fn real_files() -> Vec<(PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        yaml_files(&root.join("tests/fixtures"), &mut paths);
        yaml_files(&root.join("examples/demo"), &mut paths);
        paths.sort();
        paths
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                Some((p, text))
            })
            .collect()
    }

    #[test]
    fn a_byte_outside_printable_ascii_is_found_at_every_position_of_the_blocks() {
        for len in 0..70 {
            assert!(super::is_printable_ascii("a\n~ ".repeat(len).as_bytes()));
            for at in 0..len {
                for odd in [b'\t', b'\r', 0x7f, 0xc3, 0] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = odd;
                    assert!(!super::is_printable_ascii(&bytes), "{odd} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_full_parser_on_every_real_file() {
        let files = real_files();
        assert!(files.len() > 50, "found only {} files", files.len());
        let mut fast = 0;
        for (path, text) in &files {
            if let Err(msg) = check(text) {
                panic!("{}: {msg}", path.display());
            }
            fast += usize::from(parse(text).is_some());
        }
        assert!(fast > 0);
    }

    #[test]
    fn takes_the_fast_path_for_every_demo_item() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo/poams");
        let mut paths = Vec::new();
        yaml_files(&root, &mut paths);
        assert!(!paths.is_empty());
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("readable");
            assert!(parse(&text).is_some(), "{} is not fast", path.display());
        }
    }

    #[test]
    fn takes_the_fast_path_for_the_demo_inventory_and_people_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
        let mut paths = vec![root.join("people.yaml")];
        yaml_files(&root.join("inventory"), &mut paths);
        assert!(paths.len() > 3);
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("readable");
            assert!(parse(&text).is_some(), "{} is not fast", path.display());
            check(&text).expect("agrees");
        }
        let nested =
            "- id: a\n  aliases:\n    - x\n    - y\n- id: b\n  retired: {date: 2026-01-01}\n";
        assert!(parse(nested).is_some());
        check(nested).expect("agrees");
        for other in ["- a\n- b\n", "- a\nkey: b\n", "-\n- b\n", "- [a]\n  - b\n"] {
            check(other).expect("agrees or falls back");
        }
    }

    #[test]
    fn takes_the_fast_path_for_every_cr26_example_item() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cr26/poams");
        let mut paths = Vec::new();
        yaml_files(&root, &mut paths);
        assert!(!paths.is_empty());
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("readable");
            assert!(parse(&text).is_some(), "{} is not fast", path.display());
        }
    }

    /// A tiny deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[self.below(xs.len())]
        }
    }

    const WORDS: &[&str] = &[
        "The",
        "service",
        "accepts",
        "TLS",
        "1.0",
        "connections;",
        "weak",
        "ciphers",
        "(3DES)",
        "assessor's",
        "50%",
        "CVE-2023-48795",
        "key=value",
        "a#b",
        "x,y",
        "-flag",
        "100",
        "3.5",
        "true",
        "null",
        "é",
        "über",
        "'quoted'",
        "\"dq\"",
    ];

    fn sentence(rng: &mut Rng, words: usize) -> String {
        (0..words)
            .map(|_| rng.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn quote(s: &str) -> String {
        if s.contains([
            ':', '#', '\'', '"', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`',
        ]) || s.starts_with('-')
            || matches!(s, "true" | "null" | "100" | "3.5" | "1.0")
        {
            format!("'{}'", s.replace('\'', "''"))
        } else {
            s.to_owned()
        }
    }

    fn folded(rng: &mut Rng, indent: &str) -> String {
        let lines = 1 + rng.below(3);
        (0..lines)
            .map(|_| {
                let n = 3 + rng.below(8);
                format!("{indent}{}", sentence(rng, n).replace(" #", " x#"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// An item shaped like bench/gen_items.py's output, with some extra variety.
    fn item(n: u64) -> String {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (n.wrapping_mul(0x1000_0000_01b3) + 1));
        let mut out = Vec::new();
        if rng.below(4) == 0 {
            out.push("# generated item".to_owned());
        }
        out.push(format!("id: V-{n}"));
        let title_words = 2 + rng.below(6);
        out.push(format!(
            "title: {}",
            quote(&sentence(&mut rng, title_words))
        ));
        out.push(format!("description: >{}", rng.pick(&["-", "", "+"])));
        out.push(folded(&mut rng, "  "));
        if rng.below(3) == 0 {
            out.push(String::new());
            out.push("notes: |".to_owned());
            out.push("  first line".to_owned());
            out.push("    indented more".to_owned());
            out.push(String::new());
            out.push("  last line".to_owned());
        }
        out.push(format!(
            "controls: [{}]",
            ["SC-8", "SC-13", "AC-2(3)", "SI-2"][..rng.below(4)].join(", ")
        ));
        out.push(format!(
            "detector: {}",
            rng.pick(&["Nessus", "Qualys", "OWASP ZAP", "'3PAO: annual'"])
        ));
        out.push(format!("detector_id: {}", rng.below(200_000)));
        out.push("assets:".to_owned());
        let dash_indent = rng.pick(&["", "  "]);
        for i in 0..1 + rng.below(3) {
            out.push(format!(
                "{dash_indent}- web-prod-{i:02}.example.internal (443/TCP)"
            ));
        }
        out.push("owner: Jane Doe - Platform Team  # owner".to_owned());
        out.push("remediation: >-".to_owned());
        out.push(folded(&mut rng, "  "));
        out.push("detected: 2026-07-17".to_owned());
        out.push(format!(
            "due: 2026-{:02}-{:02}",
            1 + rng.below(12),
            1 + rng.below(28)
        ));
        out.push(format!(
            "risk: {}",
            rng.pick(&["low", "moderate", "high", "critical"])
        ));
        out.push("milestones:".to_owned());
        for i in 0..1 + rng.below(4) {
            out.push(format!("{dash_indent}- id: {}", i + 1));
            out.push(format!(
                "{dash_indent}  date: 2026-08-{:02}",
                1 + rng.below(28)
            ));
            let w = 3 + rng.below(6);
            if rng.below(3) == 0 {
                out.push(format!("{dash_indent}  description: >-"));
                out.push(folded(&mut rng, &format!("{dash_indent}    ")));
            } else {
                out.push(format!(
                    "{dash_indent}  description: {}",
                    quote(&sentence(&mut rng, w))
                ));
            }
        }
        out.push(format!("status: {}", rng.pick(&["open", "closed"])));
        if rng.below(2) == 0 {
            out.push("vendor_dependency:".to_owned());
            out.push("  product: Contoso Edge Gateway 5.4".to_owned());
            out.push("  last_checkin: 2026-11-05".to_owned());
        }
        if rng.below(2) == 0 {
            out.push("deviations:".to_owned());
            out.push("  risk_adjustment:".to_owned());
            out.push("    status: approved".to_owned());
            out.push(format!(
                "    auto_approved: {}",
                rng.pick(&["true", "false"])
            ));
            out.push("    rationale: >-".to_owned());
            out.push(folded(&mut rng, "      "));
            out.push("  # a comment".to_owned());
        }
        out.push("services: []".to_owned());
        out.push("documents:".to_owned());
        out.push(format!(
            "{dash_indent}- {{type: Scan Report, name: nessus-2026-07-monthly.zip}}"
        ));
        if rng.below(3) == 0 {
            out.push("comments: Reviewed at the 2026-11 ConMon meeting.  ".to_owned());
            out.push("empty:".to_owned());
        }
        if rng.below(3) == 0 {
            out.push("closed:".to_owned());
            out.push("  date: 2026-10-01".to_owned());
            out.push("  evidence: Authenticated rescan no longer reports the finding.".to_owned());
        }
        out.join("\n") + "\n"
    }

    #[test]
    fn takes_the_fast_path_for_generated_items_and_agrees() {
        for n in 0..400 {
            let text = item(n);
            check(&text).unwrap_or_else(|msg| panic!("{msg}"));
            assert!(parse(&text).is_some(), "not fast:\n{text}");
        }
    }

    fn base_text() -> impl Strategy<Value = String> {
        (0u64..200).prop_map(item)
    }

    #[derive(Debug, Clone)]
    enum Edit {
        Insert(usize, String),
        Delete(usize, usize),
        Replace(usize, String),
        DupLine(usize),
        DropLine(usize),
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                ":", "-", "#", "'", "\"", " ", "  ", "\t", "|", ">", "[", "]", "{", "}", "\n", ",",
                ": ", "- ", " #", "&a ", "*a", "!", "?", "%", "\\", "\r", "|-", ">+", "---\n",
                "\n  ", "\n- ", "x: ", "é", "\u{feff}", "\u{85}", "0x1F", ".5", "~", "\n\n",
            ])
            .prop_map(str::to_owned),
            "[ -~]{1,3}",
        ]
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            (any::<usize>(), piece()).prop_map(|(i, s)| Edit::Insert(i, s)),
            (any::<usize>(), 1usize..4).prop_map(|(i, n)| Edit::Delete(i, n)),
            (any::<usize>(), piece()).prop_map(|(i, s)| Edit::Replace(i, s)),
            any::<usize>().prop_map(Edit::DupLine),
            any::<usize>().prop_map(Edit::DropLine),
        ]
    }

    fn boundary(text: &str, i: usize) -> usize {
        let mut i = i % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    fn apply(text: &str, edit: &Edit) -> String {
        let mut text = text.to_owned();
        match edit {
            Edit::Insert(i, s) => {
                let i = boundary(&text, *i);
                text.insert_str(i, s);
            }
            Edit::Delete(i, n) => {
                let i = boundary(&text, *i);
                let j = boundary(&text, i + n).max(i);
                text.replace_range(i..j, "");
            }
            Edit::Replace(i, s) => {
                let i = boundary(&text, *i);
                let j = text[i..].chars().next().map_or(i, |c| i + c.len_utf8());
                text.replace_range(i..j, s);
            }
            Edit::DupLine(i) | Edit::DropLine(i) => {
                let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
                if !lines.is_empty() {
                    let k = i % lines.len();
                    if matches!(edit, Edit::DupLine(_)) {
                        lines.insert(k, lines[k]);
                    } else {
                        lines.remove(k);
                    }
                }
                text = lines.concat();
            }
        }
        text
    }

    /// Edge cases of every supported construct and of what must be refused.
    const TRICKY: &[&str] = &[
        "a: -1\nb: -.inf\nc: .nan\nd: 0x1F\ne: 1e3\nf: +5\ng: 0o17\nh: 1.5\ni: ~\nj: Null\nk: FALSE\nl: yes\n",
        "a: -\n", "a: --x\n", "a: ---\n", "a: -x y\n", "a: x:y\n", "a: http://x.y/z\n", "a: x :y\n",
        "a: 'x' # c\n", "a: 'x'#c\n", "a: \"x\"  # c\n", "a: \"x\" y\n", "a: 'x' y\n",
        "a: [a, b,]\n", "a: [ ]\n", "a: { }\n", "a: [a b, c]\n", "a: {a: 1,b: 2}\n", "a: {a:1}\n",
        "a: [a,b]\n", "a: [ a , b ]\n", "a: {a: 1, a: 2}\n", "a: {a: }\n", "a: [x]  # c\n", "a: [x]#c\n",
        "a: >-  # c\n  x\n", "a: |2\n  x\n", "a: |\n\n  x\n", "a: |\n  x\n  \n  y\n", "a: |\n  x\n\n  y\n",
        "a: >\n  x\n\n\n  y\n  z\n", "a: >\n  x\n   y\n", "a: |\n  x\n   y\n", "a: |\n   x\n  y\n",
        "a: |\n  x\n\n", "a: |+\n  x\n\n", "a: |-\n  x\n\n", "a: >+\n  x\n\n\nb: 1\n",
        "a: |\nb: 1\n", "a: |\n  # not a comment\nb: 1\n", "a: >\n  x\n # c\nb: 1\n", "a: >\n  x\n# c\nb: 1\n",
        "- |\n  x\n", "a:\n- |\n  x\n", "a:\n  - x\n  -  y\n", "a:\n-   id: 1\n    b: 2\n",
        "a: x\n  # c\nb: 1\n", "a:\n# c\n  b: 1\n", "a: b #c\n", "a: b#c\n", "a:   \n", "a:\n",
        "a: 'multi\n  line'\n", "a: multi\n  line\n", "a: multi\n\n  line\n", "1: x\ntrue: y\nnull: z\n_: w\n",
        "a: 1\na: 2\n", "a: é\n", "a: x\u{a0}\n", "a: '  '\nb: ''\nc: \"\"\n", "a: x\n\n\n", "a: x  \n",
        "a: 'it''s'\n", "a: !t x\n", "a: &x 1\n", "a: *x\n", "a:\n  b: 1\n c: 2\n", "a:\n  b:\n  - x\n  c: 1\n",
        "- id: 1\n", "s:\n- id: 1\n  tags:\n  - x\n  - y\n- id: 2\n", "s:\n  - id: 1\n    t: [a]\n  - {a: b}\n",
        "a:\n  - - x\n", "a:\n  -\n    b: 1\n", "a: b: c\n", "a: b:\n", "a: ? x\n", "? a\n: b\n",
        "a: x\n---\nb: y\n", "%YAML 1.2\n---\na: 1\n", "  a: 1\n", "a: 1\n  b: 2\n", "a:\n  b: 1\n  b: 2\n",
        "a: {a: [b]}\n", "a: [a: b]\n", "a: [x\n", "a: {x: y\n", "a: x]\n", "a: x}\n", "a: x,y\n",
        "a: |\n  x\n  y", "a: x", "a: 'x\n", "a: \"x\\n\"\n", "a:\n  x: >-\n    y\n  z: 1\n",
        "a:\n  x: >-\n    y\n\n  z: 1\n", "a: >-\n    y\n  z\n", "a:\n  b: >\n  c\n", "a: |\n x\n",
        "a: 12345678901234567890123456789012345678901234567890\n", "a: 1_000\n", "a: 0x\n", "a: 1.\n", "a: .5\n",
        "a: 1e\n", "a: +.inf\n", "a: .NaN\n", "a: 2026-01-01 10:00\n", "key_1: v\nKey2: V\n",
        "a: x # c # d\n", "a: x \\ y\n", "a: 'x \\ y'\n", "a: @x\n", "a: `x\n", "a: %x\n",
        "a: x\n# trailing\n", "# only\na: 1\n\n# end\n", "a:\n  # c\n  b: 1\n", "a:\n  b: 1\n  # c\nc: 2\n",
        "a: [-1, .5, ~, true]\n", "a: {x: -1}\n", "a: [a, 'b']\n", "a: [a#b]\n", "a: [ ]  \n",
        "a: x\u{a0}#c\n", "a: x\u{3000}y\n", "a: \u{3000}\n", "a: [x\u{a0}, y]\n",
        "a: >\n  x\n\n  y\n\n", "a: >+\n  x\n\n  y\n\n\n", "a: >-\n  x\n\n\nb: c\n",
        "a: {at: 2026-11-15T17:00:00Z, pain: 3}\n", "a: [x:y, z]\n", "a: {x: y:}\n", "a: [x:]\n",
        "a: {x: a:b}\n", "a: [http://x, y]\n", "a: {x: a: b}\n", "a: [:x]\n", "a: {x: :}\n",
    ];

    #[test]
    fn tricky_snippets_are_refused_or_parsed_identically() {
        let mut fast = 0;
        for text in TRICKY {
            check(text).unwrap_or_else(|m| panic!("{m}"));
            fast += usize::from(parse(text).is_some());
        }
        // Most of them are in the subset, so the comparison is not vacuous.
        assert!(fast > 60, "only {fast} snippets took the fast path");
    }

    /// `parse_str` relies on this to skip its own checks for what the fast path accepts.
    #[test]
    fn nul_bytes_and_blank_files_are_left_to_the_full_parser() {
        for text in [
            "",
            "\n",
            "  \n\n",
            "# only a comment\n",
            "\u{feff}\n",
            "a: b\0\n",
            "a: \0\n",
            "\0a: b\n",
            "a: b\nc: \0d\n",
            "a: [x, \0]\n",
            "a: >\n  x\0\n",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn limits_are_left_to_the_full_parser() {
        let long_key = format!("{}: 1\n", "k".repeat(2000));
        assert!(parse(&long_key).is_none());
        check(&long_key).unwrap_or_else(|m| panic!("{m}"));
        let deep: String = (0..40)
            .map(|d| format!("{}k{d}:\n", "  ".repeat(d)))
            .collect::<String>()
            + &format!("{}leaf: 1\n", "  ".repeat(40));
        assert!(parse(&deep).is_none());
        check(&deep).unwrap_or_else(|m| panic!("{m}"));
        let wide = format!(
            "a: [{}]\nb: {}\n",
            vec!["x"; 5000].join(", "),
            "y".repeat(100_000)
        );
        assert!(parse(&wide).is_some());
        check(&wide).unwrap_or_else(|m| panic!("{m}"));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn mutated_items_are_refused_or_parsed_identically(
            base in base_text(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let mut text = base;
            for e in &edits {
                text = apply(&text, e);
            }
            if let Err(msg) = check(&text) {
                prop_assert!(false, "{}", msg);
            }
        }
    }
}
