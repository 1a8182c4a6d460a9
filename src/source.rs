//! Source files as read from disk, with what is needed to locate spans in them.

use std::sync::{Arc, OnceLock};

use crate::model::{LineCol, LineIndex, Span};

#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Relative to the repository root, with `/` separators.
    pub name: String,
    pub text: Arc<String>,
    /// Built on first use: most files of a run have no finding to locate.
    index: OnceLock<LineIndex>,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> Self {
        Self {
            name,
            // Arc<String>, not Arc<str>: wrapping moves the buffer instead of copying it.
            text: Arc::new(text),
            index: OnceLock::new(),
        }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.index
            .get_or_init(|| LineIndex::new(&self.text))
            .line_col(&self.text, offset)
    }

    pub fn location(&self, span: Span) -> Location {
        Location {
            file: self.name.clone(),
            span,
            start: self.line_col(span.start),
            end: self.line_col(span.end),
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
