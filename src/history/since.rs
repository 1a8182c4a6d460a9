//! `history_since`: the starting line before which history rules ignore changes.

use std::collections::HashSet;

use chrono::NaiveDate;
use git2::{ErrorCode, Sort};

use super::error::git_error;
use super::event::{CommitMeta, Source};
use super::{GitRepo, HistoryError};

/// Changes before this line are not checked by history rules (the log still shows them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cutoff {
    /// Commits whose commit time is before this date (00:00 UTC) are ignored.
    Date(NaiveDate),
    /// This commit and every commit reachable from it are ignored: its state is the accepted
    /// starting point.
    Commit {
        id: String,
        ignored: HashSet<String>,
    },
}

impl Cutoff {
    /// True when history rules must not report a change made by `commit`.
    pub fn ignores(&self, commit: &CommitMeta) -> bool {
        match self {
            Cutoff::Date(date) => !commit.is_on_or_after(*date),
            Cutoff::Commit { ignored, .. } => ignored.contains(&commit.id),
        }
    }

    /// As [`Cutoff::ignores`]; the working tree is never before the line.
    pub fn ignores_source(&self, source: &Source) -> bool {
        source.commit().is_some_and(|c| self.ignores(c))
    }
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

impl GitRepo {
    /// Resolves `history_since`: a `YYYY-MM-DD` date, or any commit-ish (`v1.2`, a hash,
    /// `origin/main~10`).
    pub fn resolve_since(&self, spec: &str) -> Result<Cutoff, HistoryError> {
        if let Some(date) = parse_date(spec) {
            return Ok(Cutoff::Date(date));
        }
        let bad = || HistoryError::BadSince {
            spec: spec.to_owned(),
        };
        let commit = match self.repo.revparse_single(spec.trim()) {
            Ok(object) => object.peel_to_commit().map_err(|_| bad())?,
            Err(err)
                if matches!(
                    err.code(),
                    ErrorCode::NotFound | ErrorCode::InvalidSpec | ErrorCode::Ambiguous
                ) =>
            {
                return Err(bad())
            }
            Err(err) => return Err(git_error("resolving history_since", &err)),
        };
        let mut walk = self
            .repo
            .revwalk()
            .map_err(|e| git_error("resolving history_since", &e))?;
        walk.set_sorting(Sort::NONE)
            .and_then(|()| walk.push(commit.id()))
            .map_err(|e| git_error("resolving history_since", &e))?;
        let ignored = walk
            .map(|id| id.map(|id| id.to_string()))
            .collect::<Result<HashSet<_>, _>>()
            .map_err(|e| git_error("resolving history_since", &e))?;
        Ok(Cutoff::Commit {
            id: commit.id().to_string(),
            ignored,
        })
    }
}
