//! A file is not a readable poam item: invalid YAML, not one mapping, or refused input.
//!
//! ## What it does
//! Reports files in the items folder that cannot be read as one YAML mapping: syntax errors,
//! a list or scalar at the top level, anchors or aliases, more than one document, bytes that
//! are not UTF-8 (binary files), empty files, files over 1 MiB, nesting deeper than 32 levels,
//! files that are not regular files, and symlinks: an item file that is a link, and a link to
//! a folder in the items folder (git records the link, not the item, so edits made through it
//! would pass every history rule: write-once fields, signed decisions). A quote left open runs
//! on to the next quote of its kind, where the parser gives up; the finding then also points
//! at the opening quote, the line to fix.
//!
//! ## Why it matters
//! An item that cannot be read is an item nobody checks: its deadlines silently drop out of
//! the POA&M. poam reports it and goes on linting every other file.
//!
//! ## Example
//! ```yaml
//! id: V-1
//! title: [unclosed
//! ```
//!
//! ## How to fix
//! Fix the YAML at the reported position. Items need no anchors (`&a`, `*a`) and no `---`
//! document separators; write each item as one plain mapping.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2: every weakness is one row with all columns
//! completed; an unreadable entry is an incomplete POA&M.

use crate::diag::Diagnostic;
use crate::parse::ParseError;
use crate::source::SourceFile;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ParseError,
    severity: Severity::Error,
    check: Check::Files,
    sets: &[RuleSet::Common],
};

pub fn diagnostic(file: &SourceFile, error: &ParseError) -> Diagnostic {
    let diagnostic = Diagnostic {
        code: Code::ParseError,
        severity: Code::ParseError.default_severity(),
        item: crate::parse::top_level_scalar(&file.text, "id")
            .filter(|id| crate::model::item::is_valid_item_id(id)),
        location: file.location(error.span),
        label: None,
        message: error.message.clone(),
        help: Some(if error.message.starts_with("tab in the indentation") {
            "replace the tab with spaces (set your editor to insert spaces for Tab in YAML files)"
                .into()
        } else {
            "each item file holds one YAML mapping; see the item format in poam's manual (docs/item-format.md)".into()
        }),
        related: Vec::new(),
        fix: None,
    };
    match crate::parse::quote_opened_at(&file.text, error) {
        Some(opening) => {
            let line = file.line_col(error.span.start).line;
            diagnostic.with_related(
                file.location(opening),
                format!(
                    "the quote opened here is not closed on its line, so the value runs on to line {line}: close it here"
                ),
            )
        }
        None => diagnostic,
    }
}
