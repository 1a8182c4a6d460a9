//! Positions: byte offsets in poam, lines and UTF-16 columns in the protocol; file URIs.

use std::path::{Path, PathBuf};

use lsp_types as lsp;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

use crate::model::Span;

/// The protocol position of byte `offset` of `text`.
pub fn position(text: &str, offset: usize) -> lsp::Position {
    let offset = floor_char(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = before[line_start..].encode_utf16().count();
    lsp::Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

/// The byte offset of a protocol position in `text` (the line's end when the column is past
/// it, the text's end when the line is).
pub fn offset(text: &str, position: lsp::Position) -> usize {
    let mut start = 0;
    for _ in 0..position.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0u32;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || units >= position.character {
            return start + i;
        }
        units += u32::try_from(c.len_utf16()).unwrap_or(2);
    }
    text.len()
}

pub fn range(text: &str, span: Span) -> lsp::Range {
    lsp::Range {
        start: position(text, span.start),
        end: position(text, span.end),
    }
}

fn floor_char(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One text edit turning `before` into `after`: the part between their common start and end.
pub fn minimal_edit(before: &str, after: &str) -> Option<lsp::TextEdit> {
    if before == after {
        return None;
    }
    let prefix = before
        .char_indices()
        .zip(after.chars())
        .find(|((_, a), b)| a != b)
        .map_or(before.len().min(after.len()), |((i, _), _)| i);
    let suffix = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    Some(lsp::TextEdit {
        range: range(before, Span::new(prefix, before.len() - suffix)),
        new_text: after[prefix..after.len() - suffix].to_owned(),
    })
}

/// The path of a `file:` URI.
pub fn uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let decoded = percent_decode_str(rest).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// What a path's URI escapes: controls, blanks and the characters URIs reserve.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The `file:` URI of a path (made absolute).
pub fn path_uri(path: &Path) -> Option<lsp::Uri> {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_str()?;
    format!("file://{}", utf8_percent_encode(text, PATH))
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let text = "id: V-1\ntitle: café 𝄞 x\n";
        let x = text.find(" x").unwrap_or(0) + 1;
        let at = position(text, x);
        // `title: café ` is 12 units, the clef two more, then a blank.
        assert_eq!((at.line, at.character), (1, 15));
        assert_eq!(offset(text, at), x);
        assert_eq!(
            offset(
                text,
                lsp::Position {
                    line: 9,
                    character: 0
                }
            ),
            text.len()
        );
    }

    #[test]
    fn the_minimal_edit_covers_only_the_change() {
        let edit = minimal_edit("status: Open\n", "status: open\n").expect("differs");
        assert_eq!(edit.new_text, "o");
        assert_eq!(
            (edit.range.start.character, edit.range.end.character),
            (8, 9)
        );
    }

    #[test]
    fn uris_and_paths_convert_both_ways() {
        let uri = "file:///tmp/a%20b/V-1.yaml";
        assert_eq!(uri_path(uri), Some(PathBuf::from("/tmp/a b/V-1.yaml")));
    }
}
