//! The history waivers of `poam.yaml`: each names a commit and a rule, and silences that
//! rule's violations at that commit, for every profile's history rules alike.

use crate::config::{Config, HistoryWaiver};
use crate::error::Error;
use crate::history::{CommitMatch, GitRepo};

use super::Violation;

/// What the waivers of `poam.yaml` did to a list of violations.
#[derive(Clone, Debug, Default)]
pub struct Waived {
    /// The violations no waiver matched.
    pub kept: Vec<Violation>,
    /// For each waiver (same order as given), how many violations it matched.
    pub matches: Vec<usize>,
}

/// Resolves each waiver's commit to the full id of the one commit it names. A commit the
/// repository lacks stays unresolved (`waiver-unknown-commit` reports it); an abbreviation
/// several commits share is a configuration error naming them, since a waiver covers one
/// commit only.
pub fn resolve_waivers(
    config: &Config,
    waivers: &mut [HistoryWaiver],
    repo: &GitRepo,
) -> Result<(), Error> {
    for waiver in waivers {
        waiver.resolved = match repo.match_commit(&waiver.commit).map_err(Error::history)? {
            CommitMatch::Found(id) => Some(id),
            CommitMatch::Unknown => None,
            CommitMatch::Ambiguous(ids) => {
                return Err(config.problem(
                    waiver.location.span,
                    format!(
                        "history waiver commit `{}` is ambiguous: commits {} start with it",
                        waiver.commit,
                        ids.join(", ")
                    ),
                    Some("write the full commit id (or enough of it to name one commit)".into()),
                ))
            }
        };
    }
    Ok(())
}

/// Drops the violations a waiver acknowledges (same commit, same rule).
pub fn apply_waivers(violations: Vec<Violation>, waivers: &[HistoryWaiver]) -> Waived {
    let mut matches = vec![0; waivers.len()];
    let mut kept = Vec::new();
    for violation in violations {
        let commit = violation.source.commit().map(|c| c.id.as_str());
        let waiver = commit.and_then(|commit| {
            waivers
                .iter()
                .position(|w| w.rule == violation.breach.code && w.names_commit(commit))
        });
        match waiver {
            Some(index) => matches[index] += 1,
            None => kept.push(violation),
        }
    }
    Waived { kept, matches }
}
