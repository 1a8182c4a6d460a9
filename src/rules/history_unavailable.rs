//! History rules were skipped: the items are not in a git repository.
//!
//! ## What it does
//! Notes once, at the items folder, that the history rules (`detected-changed`,
//! `risk-changed`, `due-changed`, `milestones-rewritten`, `milestone-changes-rewritten`,
//! `item-deleted`, `id-changed`, `reopened`) did not run because the path is not inside a git
//! repository, or the repository has no commits yet. Field rules still run.
//!
//! ## Why it matters
//! Without history, nothing enforces that write-once fields stay written; the note keeps a
//! missing checkout from passing silently.
//!
//! ## Example
//! ```sh
//! poam lint /tmp/exported-items
//! ```
//!
//! ## How to fix
//! Outside a repository: lint the items inside the repository that holds them (or start one
//! with `git init` and commit them). In a repository without commits: commit the item files;
//! the history rules start from that first commit. Either way `--no-history` says history is
//! not wanted and silences the note.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: columns K, L and M are write-once.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemsFolder, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::HistoryUnavailable,
    severity: Severity::Note,
    check: Check::Repository,
    sets: &[RuleSet::Common],
};

/// Why there is no history to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// The items are not inside a git work tree.
    NotARepo,
    /// The repository exists but has no commit yet.
    NoCommits,
}

pub fn check(folder: &ItemsFolder, why: Unavailable) -> Diagnostic {
    let (reason, help) = match why {
        Unavailable::NotARepo => (
            "the items are not in a git repository",
            "lint the items inside the git repository that holds them (or `git init` and commit them to start their history), or pass `--no-history`",
        ),
        Unavailable::NoCommits => (
            "the repository has no commits yet",
            "commit the item files to start their history (the history rules check changes from the first commit on), or pass `--no-history`",
        ),
    };
    folder
        .report(
            Code::HistoryUnavailable,
            format!("history rules skipped: {reason}"),
        )
        .with_help(help)
}
