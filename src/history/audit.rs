//! The versions the history rules judge, cut into runs: no rule logic here. The rules
//! themselves (`src/rules/<rule>.rs`) decide what counts as a broken rule; this module only says
//! which versions follow which, which of them may be reported, and which commit a change of the
//! final state is blamed on.
//!
//! - Full mode ([`full_runs`]): the parsed versions of each item along first-parent history, in
//!   order. A version that does not parse is left out, so the next one that parses follows the
//!   last one that did. A baseline version (shallow boundary) is a valid "before" but never
//!   judged, so nothing is reported against the boundary state. A deletion ends a run; a file
//!   with the same id added later starts a new one.
//! - PR mode ([`pr_runs`]): only items that existed at the merge base, as two steps: that
//!   version and the PR's final one (working tree, else HEAD), so a PR may create an item and
//!   edit it in later commits freely, and a change made and undone inside the PR never shows.
//!   [`Run::blame`] names the commit from which the offending value stayed as it is now.
//!
//! Steps before `history_since` ([`Cutoff`]) are not judged, but rules still see them (a
//! justification recorded before the line still counts after it).

use crate::model::Node;

use super::diff::same_opt;
use super::event::{ItemHistory, Source, Version, VersionState};
use super::pr::PrHistory;
use super::since::Cutoff;
use super::History;

/// One parsed version of an item, as the rules see it.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    pub node: &'a Node,
    pub version: &'a Version,
    /// False for a baseline (shallow boundary, merge base) and for versions before
    /// `history_since`: such a step is a "before", never the change reported.
    pub judged: bool,
}

/// The removal of an item's file, ending a run.
#[derive(Clone, Copy, Debug)]
pub struct Deletion<'a> {
    pub version: &'a Version,
    pub judged: bool,
}

/// The consecutive parsed versions of one item, until its file is deleted.
#[derive(Clone, Debug)]
pub struct Run<'a> {
    pub item: &'a ItemHistory,
    pub steps: Vec<Step<'a>>,
    pub deletion: Option<Deletion<'a>>,
    /// PR mode: the versions after the merge base, for [`Run::blame`]. Empty in full mode.
    pr_versions: &'a [Version],
    cutoff: Option<&'a Cutoff>,
}

impl<'a> Run<'a> {
    /// Pairs of consecutive steps whose later one is judged: `(index of the later step,
    /// before, after)`.
    pub fn judged_pairs(&self) -> impl Iterator<Item = (usize, &'a Node, &'a Node)> + '_ {
        self.steps
            .windows(2)
            .enumerate()
            .filter(|(_, pair)| pair[1].judged)
            .map(|(index, pair)| (index + 1, pair[0].node, pair[1].node))
    }

    /// The last version before the deletion that parsed.
    pub fn last_node(&self) -> Option<&'a Node> {
        self.steps.last().map(|s| s.node)
    }

    /// True in PR mode (two steps: the merge base and the outcome).
    pub fn is_pr(&self) -> bool {
        !self.pr_versions.is_empty()
    }

    /// The version to blame for a change of `field` found at step `at`: the step itself in
    /// full mode; in PR mode the earliest version from which the field's top-level value
    /// stayed as in the outcome. `None` when that version is before `history_since`.
    pub fn blame(&self, at: usize, field: &str) -> Option<&'a Version> {
        let step = self.steps.get(at)?;
        let version = if self.is_pr() {
            blame(self.pr_versions, field)
        } else {
            step.version
        };
        (!ignored(self.cutoff, &version.source)).then_some(version)
    }
}

fn ignored(cutoff: Option<&Cutoff>, source: &Source) -> bool {
    cutoff.is_some_and(|c| c.ignores_source(source))
}

/// Full mode: the runs of every item, sorted by item id, then history order.
pub fn full_runs<'a>(history: &'a History, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    let mut runs = Vec::new();
    for item in &history.items {
        item_runs(item, cutoff, &mut runs);
    }
    runs
}

/// The runs of one item along its versions.
pub fn item_runs<'a>(item: &'a ItemHistory, cutoff: Option<&'a Cutoff>, out: &mut Vec<Run<'a>>) {
    let new_run = || Run {
        item,
        steps: Vec::new(),
        deletion: None,
        pr_versions: &[],
        cutoff,
    };
    let mut run = new_run();
    let mut present = false;
    for version in &item.versions {
        let judged = !version.baseline && !ignored(cutoff, &version.source);
        match &version.state {
            VersionState::Parsed(node) => {
                run.steps.push(Step {
                    node,
                    version,
                    judged,
                });
                present = true;
            }
            VersionState::Unparseable(_) => present = true,
            VersionState::Deleted => {
                if present {
                    run.deletion = Some(Deletion { version, judged });
                }
                // A later file with this id is a new item: nothing to compare it with.
                out.push(std::mem::replace(&mut run, new_run()));
                present = false;
            }
        }
    }
    if !run.steps.is_empty() {
        out.push(run);
    }
}

/// PR mode: items that existed at the merge base, as their merge-base version and the PR's
/// outcome; items created in the PR are free to change until it merges.
pub fn pr_runs<'a>(pr: &'a PrHistory, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    pr.items
        .iter()
        .filter_map(|item| pr_run(item, cutoff))
        .collect()
}

fn pr_run<'a>(item: &'a ItemHistory, cutoff: Option<&'a Cutoff>) -> Option<Run<'a>> {
    let baseline = item.versions.first().filter(|v| v.baseline)?;
    let before = baseline.node()?;
    let changes = &item.versions[1..];
    // The PR's outcome: its last version that is not a parse failure.
    let last = changes
        .iter()
        .rposition(|v| !matches!(v.state, VersionState::Unparseable(_)))?;
    let outcome = &changes[last];
    let mut run = Run {
        item,
        steps: vec![Step {
            node: before,
            version: baseline,
            judged: false,
        }],
        deletion: None,
        pr_versions: &changes[..=last],
        cutoff,
    };
    match &outcome.state {
        VersionState::Deleted => {
            run.deletion = Some(Deletion {
                version: outcome,
                judged: !ignored(cutoff, &outcome.source),
            });
        }
        // Judged here; [`Run::blame`] applies the cut-off to the commit it blames.
        VersionState::Parsed(after) => run.steps.push(Step {
            node: after,
            version: outcome,
            judged: true,
        }),
        VersionState::Unparseable(_) => return None,
    }
    Some(run)
}

/// The earliest version from which the field's top-level value stayed as in the last one.
fn blame<'a>(versions: &'a [Version], field: &str) -> &'a Version {
    let key = field.split(['.', '[']).next().unwrap_or(field);
    fn value_of<'v>(version: &'v Version, key: &str) -> Option<&'v Node> {
        version.node().and_then(|n| n.get(key)).map(|e| &e.value)
    }
    let last = &versions[versions.len() - 1];
    let target = value_of(last, key);
    let mut blamed = last;
    for version in versions.iter().rev() {
        match version.state {
            VersionState::Unparseable(_) => continue,
            VersionState::Deleted => break,
            VersionState::Parsed(_) => {
                if same_opt(value_of(version, key), target) {
                    blamed = version;
                } else {
                    break;
                }
            }
        }
    }
    blamed
}
