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
//! Lint the items inside their repository, or pass `--no-history` to say history is not wanted.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: columns K, L and M are write-once.

use crate::diag::Diagnostic;

use super::{Code, ItemsFolder};

pub fn check(folder: &ItemsFolder, reason: &str) -> Diagnostic {
    folder
        .report(
            Code::HistoryUnavailable,
            format!("history rules skipped: {reason}"),
        )
        .with_help("lint inside the git repository, or pass `--no-history`")
}
