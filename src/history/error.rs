//! Why history could not be read.

use std::path::PathBuf;

/// Why history could not be read. [`HistoryError::NotARepo`] is not a failure for `lint`: it
/// skips the history rules with one note.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{} is not inside a git repository", path.display())]
    NotARepo { path: PathBuf },
    #[error("the git repository at {} has no working tree", path.display())]
    Bare { path: PathBuf },
    #[error("the items folder {} is outside the git working tree {}", items.display(), root.display())]
    OutsideWorkTree { items: PathBuf, root: PathBuf },
    #[error("HEAD has no commits yet")]
    NoCommits,
    #[error("base revision `{rev}` was not found in this repository{}", shallow_hint(*shallow))]
    BaseNotFound { rev: String, shallow: bool },
    #[error("`{rev}` and HEAD have no common ancestor{}", shallow_hint(*shallow))]
    NoMergeBase { rev: String, shallow: bool },
    #[error(
        "history_since `{spec}` is neither a date (YYYY-MM-DD) nor a commit in this repository"
    )]
    BadSince { spec: String },
    #[error("no committed history for {}", ids.join(", "))]
    UnknownItems { ids: Vec<String> },
    #[error(
        "the repository uses {format} object ids; poam reads SHA-1 repositories only (its git \
         library, libgit2, cannot open {format} ones yet)"
    )]
    UnsupportedObjectFormat { format: String },
    #[error(
        "git object {id} is damaged: {detail}; poam will not build an audit trail from it. \
         Run `git fsck --full` to find the damage, then restore the object from another clone"
    )]
    Damaged { id: String, detail: String },
    #[error(
        "git pack file {} is damaged: {detail}; poam will not build an audit trail from it. Run \
         `git fsck --full` to see the damage, then restore the pack from another clone",
        path.display()
    )]
    DamagedPack { path: PathBuf, detail: String },
    #[error("git failed while {context}: {message}")]
    Git { context: String, message: String },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn shallow_hint(shallow: bool) -> &'static str {
    if shallow {
        "; this is a shallow clone: fetch the full history (actions/checkout `fetch-depth: 0`)"
    } else {
        ""
    }
}

pub(crate) fn git_error(context: &str, err: &git2::Error) -> HistoryError {
    HistoryError::Git {
        context: context.to_owned(),
        message: err.message().to_owned(),
    }
}
