//! Source files as read from disk, with what is needed to locate spans in them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::model::{scan_line_col, LineCol, LineIndex, Span};

/// Positions located by scanning a file before its line index is built: most files have a
/// finding or two, and scanning the text before a position costs less than indexing every
/// line of the file.
const SCANS_BEFORE_INDEX: usize = 16;

#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the repository root, with `/` separators.
    pub name: String,
    pub text: Arc<String>,
    /// Built once a file has had more positions to locate than are worth scanning for.
    index: OnceLock<LineIndex>,
    /// Positions located so far without the index.
    scans: AtomicUsize,
}

impl Clone for SourceFile {
    fn clone(&self) -> Self {
        Self {
            name: self.name.clone(),
            text: Arc::clone(&self.text),
            index: self.index.clone(),
            scans: AtomicUsize::new(self.scans.load(Ordering::Relaxed)),
        }
    }
}

impl SourceFile {
    pub fn new(name: String, text: String) -> Self {
        Self {
            name,
            // Arc<String>, not Arc<str>: wrapping moves the buffer instead of copying it.
            text: Arc::new(text),
            index: OnceLock::new(),
            scans: AtomicUsize::new(0),
        }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        if let Some(index) = self.index.get() {
            return index.line_col(&self.text, offset);
        }
        if self.scans.fetch_add(1, Ordering::Relaxed) < SCANS_BEFORE_INDEX {
            return scan_line_col(&self.text, offset);
        }
        self.index
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }

    pub fn location(&self, span: Span) -> Location {
        let start = self.line_col(span.start);
        // Most spans lie on one line: the end is counted on from the start rather than
        // located again from the top of the file.
        let end = match self.text.get(span.start..span.end) {
            Some(inside) if !inside.contains('\n') => LineCol {
                line: start.line,
                column: start.column + inside.chars().count(),
            },
            _ => self.line_col(span.end),
        };
        Location {
            file: self.name.clone(),
            span,
            start,
            end,
        }
    }
}

/// A place in a file: byte span plus its resolved 1-based line and column range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Relative to the repository root, with `/` separators.
    pub file: String,
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ends located from the top of the file, as before the end was counted on.
    fn located_twice(file: &SourceFile, span: Span) -> (LineCol, LineCol) {
        (
            scan_line_col(&file.text, span.start),
            scan_line_col(&file.text, span.end),
        )
    }

    #[test]
    fn an_end_counted_on_from_the_start_is_where_a_fresh_scan_finds_it() {
        let text = "id: V-1\ntitle: café au lait\nsteps: |\n  one\n  two\n";
        let file = SourceFile::new("a.yaml".into(), text.into());
        for start in 0..=text.len() {
            for end in start..=text.len() + 2 {
                let span = Span::new(start, end);
                let location = file.location(span);
                assert_eq!(
                    (location.start, location.end),
                    located_twice(&file, span),
                    "{span:?}"
                );
            }
        }
    }
}
