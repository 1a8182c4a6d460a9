//! Where history findings point: today's line of the item's current file, naming the change
//! that broke the rule ([`HistoryContext`]), or the items folder for findings about the
//! history as a whole ([`ItemsFolder`]).

use std::borrow::Cow;
use std::collections::HashMap;

use crate::code::Code;
use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::history::diff::lookup_nearest;
use crate::history::Source;
use crate::model::{Node, Span};
use crate::source::SourceFile;

use super::Violation;
use crate::rules::membership::apply_levels;

/// The current file of an item, for pointing history findings at today's line.
pub struct CurrentFile<'a> {
    pub source: &'a SourceFile,
    pub node: std::rc::Rc<Node>,
}

/// What a history finding needs to point at today's line: the current files.
pub struct HistoryContext<'a> {
    /// Item id, and file name, → the current file.
    pub current: HashMap<String, CurrentFile<'a>>,
}

impl HistoryContext<'_> {
    /// A finding at the violated field's line in the current file (or at the path the change
    /// touched, when the item no longer exists), naming the change that broke the rule.
    pub fn report(&self, violation: &Violation) -> Diagnostic {
        let breach = &violation.breach;
        let mut diagnostic = self.report_change(
            breach.code,
            &violation.item_id,
            &violation.path,
            &breach.field,
            &violation.source,
            breach.message.clone(),
        );
        diagnostic.severity = breach.severity;
        diagnostic.help = Some(breach.help.clone().into()).filter(|h: &Cow<str>| !h.is_empty());
        diagnostic
    }

    /// A finding of `code` at `field` of the item's current file (else at `path`), naming
    /// the change (`source`) that broke the rule.
    pub fn report_change(
        &self,
        code: Code,
        item_id: &str,
        path: &str,
        field: &str,
        source: &Source,
        message: String,
    ) -> Diagnostic {
        let current = self.current.get(item_id).or_else(|| self.current.get(path));
        let location = match current {
            Some(current) => {
                let node = if field.is_empty() {
                    &current.node
                } else {
                    lookup_nearest(&current.node, field)
                };
                current.source.location(node.span)
            }
            None => file_start(path),
        };
        let by = match source.commit() {
            Some(commit) => format!(
                "commit {} by {} on {}",
                commit.short_id(),
                commit.author.name,
                commit.time.date_naive()
            ),
            None => "uncommitted change in the working tree".to_owned(),
        };
        Diagnostic {
            code,
            severity: code.default_severity(),
            item: Some(item_id.to_owned()),
            location,
            label: Some(by.clone().into()),
            message: format!("{message} ({by})"),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }
}

/// Turns the history rules' violations into findings.
pub fn check_history(
    config: &Config,
    violations: &[Violation],
    ctx: &HistoryContext,
) -> Vec<Diagnostic> {
    let diagnostics = violations.iter().map(|v| ctx.report(v)).collect();
    apply_levels(config, diagnostics)
}

/// Where folder-level findings point: `poam.yaml` when there is one, else the items folder.
pub struct ItemsFolder {
    pub name: String,
}

impl ItemsFolder {
    pub(crate) fn report(&self, code: Code, message: String) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            item: None,
            location: file_start(&self.name),
            label: None,
            message,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }
}

pub(crate) fn file_start(file: &str) -> Location {
    let start = crate::model::LineCol { line: 1, column: 1 };
    Location {
        file: file.to_owned(),
        span: Span::new(0, 0),
        start,
        end: start,
    }
}
