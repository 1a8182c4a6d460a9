//! `history_since`: the starting line before which history rules ignore changes.

use std::collections::HashSet;

use chrono::NaiveDate;
use git2::{ErrorCode, ObjectType, Sort};

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

/// What a commit id or abbreviation names in a repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CommitMatch {
    /// One commit: its full id.
    Found(String),
    Unknown,
    /// Several commits start with it: their full ids, sorted.
    Ambiguous(Vec<String>),
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

impl GitRepo {
    /// The full id of the commit an id or abbreviation names, if the repository has it
    /// (`None` also when an abbreviation is ambiguous).
    pub fn find_commit(&self, id: &str) -> Option<String> {
        let object = self.repo.revparse_single(id.trim()).ok()?;
        let commit = object.peel_to_commit().ok()?;
        Some(commit.id().to_string())
    }

    /// The commit an id or abbreviation (hex digits only) names. Unlike [`GitRepo::find_commit`]
    /// this tells an abbreviation two commits share from one no commit has, and names them.
    pub fn match_commit(&self, prefix: &str) -> Result<CommitMatch, HistoryError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        match self.repo.find_commit_by_prefix(&prefix) {
            Ok(commit) => Ok(CommitMatch::Found(commit.id().to_string())),
            // Ambiguous among all objects: blobs and trees may share it, commits count.
            Err(err) if err.code() == ErrorCode::Ambiguous => self.commits_with_prefix(&prefix),
            Err(_) => Ok(CommitMatch::Unknown),
        }
    }

    fn commits_with_prefix(&self, prefix: &str) -> Result<CommitMatch, HistoryError> {
        let fail = |e: git2::Error| git_error("looking up a commit", &e);
        let odb = self.repo.odb().map_err(fail)?;
        let mut matching = Vec::new();
        odb.foreach(|id| {
            if id.to_string().starts_with(prefix) {
                matching.push(*id);
            }
            true
        })
        .map_err(fail)?;
        let mut commits: Vec<String> = matching
            .into_iter()
            .filter(|id| matches!(odb.read_header(*id), Ok((_, ObjectType::Commit))))
            .map(|id| id.to_string())
            .collect();
        commits.sort();
        commits.dedup();
        Ok(match commits.len() {
            0 => CommitMatch::Unknown,
            1 => CommitMatch::Found(commits.remove(0)),
            _ => CommitMatch::Ambiguous(commits),
        })
    }

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
