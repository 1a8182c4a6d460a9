//! The poam block of `.github/CODEOWNERS` no longer says what the people file says.
//!
//! ## What it does
//! When `.github/CODEOWNERS` has the block `poam codeowners` writes (between its `# poam
//! codeowners begin` and `# poam codeowners end` lines), compares it with the block the items,
//! the people file and `approvals:` make now, and reports the first line that differs. A
//! CODEOWNERS file without the block is the team's own and is not checked.
//!
//! ## Why it matters
//! GitHub requires the review of the code owners the file names, not of the people the people
//! file names: after an item changes owner, or an ISSO leaves, a stale block asks the wrong
//! person to approve, or nobody.
//!
//! ## Example
//! ```yaml
//! # poams/V-1.yaml
//! owner: asmith          # was jdoe
//! # .github/CODEOWNERS, in the block
//! /poams/V-1.yaml @jdoe
//! ```
//!
//! ## How to fix
//! Run `poam codeowners` and commit `.github/CODEOWNERS`; `poam codeowners --check` in CI
//! catches it too.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! NIST SP 800-53 CM-5 (access restrictions for change) and AC-5 (separation of duties): the
//! review rule is part of who may change the POA&M.

use chrono::NaiveDate;

use crate::codeowners;
use crate::diag::Diagnostic;
use crate::source::SourceFile;
use crate::workspace::Workspace;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::CodeownersStale,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

/// The finding about `.github/CODEOWNERS`, with the file's text for snippets.
pub fn check(workspace: &Workspace, today: NaiveDate) -> Option<(Diagnostic, SourceFile)> {
    // A file that cannot be read is not checked; `poam codeowners` says why.
    let text = codeowners::read(workspace).ok()??;
    let span = codeowners::find(&text)?;
    let block = codeowners::block(workspace, today);
    codeowners::stale(&text, &block)?;
    let found: Vec<&str> = text[span.start..span.end].lines().collect();
    let wanted: Vec<&str> = block.lines().collect();
    let first = (0..found.len().max(wanted.len()))
        .find(|&i| found.get(i) != wanted.get(i))
        .unwrap_or(0);
    let message = match (found.get(first), wanted.get(first)) {
        (Some(has), Some(should)) => format!(
            "the poam block of `{}` is stale: it has `{has}` where `poam codeowners` writes `{should}`",
            codeowners::FILE_NAME
        ),
        (Some(has), None) => format!(
            "the poam block of `{}` is stale: `poam codeowners` no longer writes `{has}`",
            codeowners::FILE_NAME
        ),
        (None, Some(should)) => format!(
            "the poam block of `{}` is stale: it lacks `{should}`",
            codeowners::FILE_NAME
        ),
        (None, None) => format!("the poam block of `{}` is stale", codeowners::FILE_NAME),
    };
    // The line that differs, within the block.
    let offset: usize = text[span.start..span.end]
        .split_inclusive('\n')
        .take(first.min(found.len().saturating_sub(1)))
        .map(str::len)
        .sum();
    let line_start = span.start + offset;
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |end| line_start + end);
    let source = SourceFile::new(codeowners::FILE_NAME.to_owned(), text);
    let diagnostic = Diagnostic {
        code: Code::CodeownersStale,
        severity: Code::CodeownersStale.default_severity(),
        item: None,
        location: source.location(crate::model::Span::new(line_start, line_end)),
        label: Some("stale".into()),
        message,
        help: Some("run `poam codeowners` and commit `.github/CODEOWNERS`".into()),
        related: Vec::new(),
        fix: None,
    };
    Some((diagnostic, source))
}
