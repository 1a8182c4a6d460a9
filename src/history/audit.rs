//! The versions the history rules judge, cut into runs: no rule logic here. The rules
//! themselves (`src/rules/<rule>.rs`) decide what counts as a broken rule; this module only says
//! which versions follow which, which of them may be reported, and which commit a change of the
//! final state is blamed on.
//!
//! - Full mode ([`full_runs`]): the parsed versions of each item along first-parent history, in
//!   order. A version that does not parse is left out, so the next one that parses follows the
//!   last one that did. A baseline version (shallow boundary) is a valid "before" but never
//!   judged, so nothing is reported against the boundary state. A deletion ends a run unless
//!   the item's next version restores the file (a deletion undone, like any change undone by
//!   the next version): the restored version then follows the last one before the deletion.
//! - Runs follow ids, whatever the files do: when a second file starts carrying an id another
//!   file already carries, the run of that id records a [`Duplicate`]; when the first file is
//!   then deleted, the id lives on in the second, whose version becomes the run's next step
//!   (judged against the id's previous version), and nothing was deleted.
//! - PR mode ([`pr_runs`]): only items that existed at the merge base, as two steps: that
//!   version and the PR's final one (working tree, else HEAD), so a PR may create an item and
//!   edit it in later commits freely, and a change made and undone inside the PR never shows.
//!   An item deleted while a file created in the PR carries its id has that file as outcome.
//!   [`Run::blame`] names the commit from which the offending value stayed as it is now.
//!
//! Steps before `history_since` ([`Cutoff`]) are not judged, but rules still see them (a
//! justification recorded before the line still counts after it).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Arc;

use crate::model::Node;

use super::diff::same_opt;
use super::event::{CommitMeta, ItemHistory, Source, Version, VersionState};
use super::pr::PrHistory;
use super::since::Cutoff;
use super::track::{file_stem, item_id};
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

/// A file that started carrying the run's id while another file already carried it.
#[derive(Clone, Copy, Debug)]
pub struct Duplicate<'a> {
    /// How many steps the run had then: the duplicate came after `steps[at - 1]`.
    pub at: usize,
    /// The duplicate file's version that claimed the id.
    pub version: &'a Version,
    /// The file that carried the id already.
    pub incumbent: &'a str,
    pub judged: bool,
}

/// The consecutive parsed versions of one item, until its file is deleted.
#[derive(Clone, Debug)]
pub struct Run<'a> {
    /// The item the run starts with (a run may continue in another file carrying its id).
    pub item: &'a ItemHistory,
    pub steps: Vec<Step<'a>>,
    pub deletion: Option<Deletion<'a>>,
    /// Other files that claimed the run's id while it was carried.
    pub duplicates: Vec<Duplicate<'a>>,
    /// PR mode: the versions after the merge base, for [`Run::blame`]. Empty in full mode.
    pr_versions: &'a [Version],
    cutoff: Option<&'a Cutoff>,
}

impl<'a> Run<'a> {
    fn new(item: &'a ItemHistory, cutoff: Option<&'a Cutoff>) -> Self {
        Self {
            item,
            steps: Vec::new(),
            deletion: None,
            duplicates: Vec::new(),
            pr_versions: &[],
            cutoff,
        }
    }

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

    /// PR mode: the versions after the merge base that led to the outcome, oldest first (those
    /// of the file carrying the item's id in the end). Empty in full mode.
    pub fn pr_versions(&self) -> &'a [Version] {
        self.pr_versions
    }

    /// True when `history_since` puts `version` before the line: not judged.
    pub fn ignores(&self, version: &Version) -> bool {
        ignored(self.cutoff, &version.source)
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

/// Full mode: the runs of every item, in item order, then history order.
pub fn full_runs<'a>(history: &'a History, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    runs_by_id(&history.items, &history.changed_commits, cutoff)
}

/// What main's full-history check would walk after a rebase or fast-forward merge of the pull
/// request: each item's versions from the merge base on, commit by commit, with ids followed
/// across files as [`full_runs`] follows them.
pub fn landed_runs<'a>(pr: &'a PrHistory, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    let mut commits = Vec::with_capacity(pr.commits.len() + 1);
    commits.push(Arc::clone(&pr.merge_base));
    commits.extend(pr.commits.iter().cloned());
    runs_by_id(&pr.items, &commits, cutoff)
}

/// The runs of `items`, whose versions come from `commits` (oldest first), in item order.
fn runs_by_id<'a>(
    items: &'a [ItemHistory],
    commits: &[Arc<CommitMeta>],
    cutoff: Option<&'a Cutoff>,
) -> Vec<Run<'a>> {
    let groups = id_groups(items);
    // Commit positions are needed only where files share an id, which is rare.
    let mut order: Option<HashMap<&str, usize>> = None;
    let mut runs = Vec::new();
    for group in groups {
        if let [only] = group[..] {
            item_runs(&items[only], cutoff, &mut runs);
            continue;
        }
        let order = order.get_or_insert_with(|| {
            commits
                .iter()
                .enumerate()
                .map(|(at, commit)| (commit.id.as_str(), at))
                .collect()
        });
        let members: Vec<&ItemHistory> = group.iter().map(|&i| &items[i]).collect();
        shared_id_runs(&members, order, cutoff, &mut runs);
    }
    runs
}

/// The items, grouped where they ever carried a common id (now or formerly), in item order.
fn id_groups(items: &[ItemHistory]) -> Vec<Vec<usize>> {
    // Union-find whose roots are each group's first item.
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    let mut parent: Vec<usize> = (0..items.len()).collect();
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        for id in std::iter::once(&item.id).chain(&item.former_ids) {
            match first.entry(id.as_str()) {
                Entry::Vacant(entry) => {
                    entry.insert(index);
                }
                Entry::Occupied(entry) => {
                    let (a, b) = (root(&mut parent, *entry.get()), root(&mut parent, index));
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut group_of = vec![usize::MAX; items.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for index in 0..items.len() {
        let at = root(&mut parent, index);
        if group_of[at] == usize::MAX {
            group_of[at] = groups.len();
            groups.push(Vec::new());
        }
        groups[group_of[at]].push(index);
    }
    groups
}

/// One item file's state while [`shared_id_runs`] walks the commits.
struct Member<'a> {
    alive: bool,
    /// The id it carries now.
    id: String,
    path: &'a str,
    /// The run its versions go to.
    run: Option<usize>,
    /// Its last parsed version.
    last: Option<Step<'a>>,
    /// The run its deletion ended, which a restore of the file continues.
    deleted: Option<usize>,
}

/// The runs of items that carried a common id at some time, walking their versions commit
/// by commit: an id carried by two files is a duplicate in the run of the file that had it
/// first; when that file goes and the other stays, the other continues the run.
fn shared_id_runs<'a>(
    members: &[&'a ItemHistory],
    order: &HashMap<&str, usize>,
    cutoff: Option<&'a Cutoff>,
    out: &mut Vec<Run<'a>>,
) {
    let position = |version: &Version| match &version.source {
        Source::Commit(commit) => order.get(commit.id.as_str()).copied().unwrap_or(usize::MAX),
        Source::WorkingTree => usize::MAX,
    };
    let mut timeline: Vec<(usize, usize, usize)> = members
        .iter()
        .enumerate()
        .flat_map(|(member, item)| {
            item.versions
                .iter()
                .enumerate()
                .map(move |(at, version)| (position(version), member, at))
        })
        .collect();
    timeline.sort_unstable();
    let mut state: Vec<Member<'a>> = members
        .iter()
        .map(|item| Member {
            alive: false,
            id: item.id.clone(),
            path: &item.path,
            run: None,
            last: None,
            deleted: None,
        })
        .collect();
    let mut runs: Vec<Run<'a>> = Vec::new();
    // Which file's run is each id's run.
    let mut owner: HashMap<String, usize> = HashMap::new();
    for commit in timeline.chunk_by(|a, b| a.0 == b.0) {
        let mut deleted = Vec::new();
        let mut arrived = Vec::new();
        for &(_, index, at) in commit {
            let item = members[index];
            let version = &item.versions[at];
            let judged = !version.baseline && !ignored(cutoff, &version.source);
            let member = &mut state[index];
            member.path = &version.path;
            let node = match &version.state {
                VersionState::Deleted => {
                    if member.alive {
                        member.alive = false;
                        deleted.push((index, version, judged));
                    }
                    continue;
                }
                VersionState::Parsed(node) => Some(node),
                VersionState::Unparseable(_) => None,
            };
            let id = node.and_then(|n| item_id(n));
            if !member.alive {
                member.alive = true;
                member.id = id.clone().unwrap_or_else(|| file_stem(&version.path));
                let run = match member.deleted.take() {
                    // Restored: the deletion is undone.
                    Some(run) => {
                        runs[run].deletion = None;
                        run
                    }
                    None => {
                        runs.push(Run::new(item, cutoff));
                        runs.len() - 1
                    }
                };
                member.run = Some(run);
                arrived.push((index, version, judged));
            } else if let Some(id) = id.filter(|id| *id != member.id) {
                let before = std::mem::replace(&mut member.id, id);
                release(&mut owner, &state, index, &before);
                arrived.push((index, version, judged));
            }
            if let Some(node) = node {
                let member = &mut state[index];
                let step = Step {
                    node,
                    version,
                    judged,
                };
                if let Some(run) = member.run {
                    runs[run].steps.push(step);
                }
                member.last = Some(step);
            }
        }
        for (index, version, judged) in deleted {
            let id = state[index].id.clone();
            let Some(run) = state[index].run.take() else {
                continue;
            };
            let owned = owner.get(&id) == Some(&index);
            let survivor =
                (0..state.len()).find(|&other| state[other].alive && state[other].id == id);
            match survivor {
                // The id lives on in another file: nothing was deleted. When the deleted file
                // held the id's run, the survivor's version is the id's next one.
                Some(heir) => {
                    if owned {
                        owner.insert(id, heir);
                        state[heir].run = Some(run);
                        if let Some(step) = state[heir].last {
                            runs[run].steps.push(step);
                        }
                    }
                }
                None => {
                    runs[run].deletion = Some(Deletion { version, judged });
                    state[index].deleted = Some(run);
                    if owned {
                        owner.remove(&id);
                    }
                }
            }
        }
        for (index, version, judged) in arrived {
            let id = &state[index].id;
            let incumbent = owner
                .get(id)
                .copied()
                .filter(|&o| o != index && state[o].alive && state[o].id == *id);
            match incumbent {
                Some(incumbent) => {
                    if let Some(run) = state[incumbent].run {
                        let at = runs[run].steps.len();
                        runs[run].duplicates.push(Duplicate {
                            at,
                            version,
                            incumbent: state[incumbent].path,
                            judged,
                        });
                    }
                }
                None => {
                    owner.insert(id.clone(), index);
                }
            }
        }
    }
    out.extend(
        runs.into_iter()
            .filter(|r| !r.steps.is_empty() || r.deletion.is_some() || !r.duplicates.is_empty()),
    );
}

/// `index` no longer carries `id`: another live file that carries it, if any, holds it now.
fn release(owner: &mut HashMap<String, usize>, state: &[Member<'_>], index: usize, id: &str) {
    if owner.get(id) != Some(&index) {
        return;
    }
    match (0..state.len())
        .find(|&other| other != index && state[other].alive && state[other].id == id)
    {
        Some(other) => {
            owner.insert(id.to_owned(), other);
        }
        None => {
            owner.remove(id);
        }
    }
}

/// The runs of one item along its versions. A file restored after its deletion (its next
/// version after the deletion, under the same id) undoes the deletion, as any change undone by
/// the item's next version: the run goes on, and the restored version is judged against the
/// last one before the deletion.
pub fn item_runs<'a>(item: &'a ItemHistory, cutoff: Option<&'a Cutoff>, out: &mut Vec<Run<'a>>) {
    let mut run = Run::new(item, cutoff);
    let mut present = false;
    for version in &item.versions {
        let judged = !version.baseline && !ignored(cutoff, &version.source);
        match &version.state {
            VersionState::Parsed(node) => {
                run.deletion = None;
                run.steps.push(Step {
                    node,
                    version,
                    judged,
                });
                present = true;
            }
            VersionState::Unparseable(_) => {
                run.deletion = None;
                present = true;
            }
            VersionState::Deleted => {
                if present {
                    run.deletion = Some(Deletion { version, judged });
                }
                present = false;
            }
        }
    }
    if !run.steps.is_empty() || run.deletion.is_some() {
        out.push(run);
    }
}

/// PR mode: items that existed at the merge base, as their merge-base version and the PR's
/// outcome; items created in the PR are free to change until it merges.
pub fn pr_runs<'a>(pr: &'a PrHistory, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    pr.items
        .iter()
        .filter_map(|item| pr_run(pr, item, cutoff))
        .collect()
}

/// PR mode, for the decision rules: [`pr_runs`] and [`pr_created_runs`].
pub fn pr_decision_runs<'a>(pr: &'a PrHistory, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    let mut runs = pr_runs(pr, cutoff);
    runs.extend(pr_created_runs(pr, cutoff));
    runs
}

/// PR mode, for the decision rules only: the items the pull request creates (not carrying on
/// an item of the merge base), each as one judged step, its outcome, so that a file added
/// already decided (`status: closed`) is judged as the decision it records; [`Run::blame`]
/// names the commit from which the decided value stayed as it is. The other history rules
/// leave a new item free until it merges, so they never see these runs.
pub fn pr_created_runs<'a>(pr: &'a PrHistory, cutoff: Option<&'a Cutoff>) -> Vec<Run<'a>> {
    // A file that carries on a deleted item of the merge base is judged in that item's run.
    let heir_of_deleted = |item: &ItemHistory| {
        pr.items.iter().any(|other| {
            other.pre_existing
                && other.id == item.id
                && matches!(
                    other.versions.last().map(|v| &v.state),
                    Some(VersionState::Deleted)
                )
        })
    };
    let mut out = Vec::new();
    for item in pr.items.iter().filter(|item| !item.pre_existing) {
        if heir_of_deleted(item) {
            continue;
        }
        let Some(last) = item
            .versions
            .iter()
            .rposition(|v| !matches!(v.state, VersionState::Unparseable(_)))
        else {
            continue;
        };
        let changes = &item.versions[..=last];
        let outcome = &changes[last];
        let VersionState::Parsed(node) = &outcome.state else {
            continue;
        };
        let mut run = Run::new(item, cutoff);
        run.steps.push(Step {
            node,
            version: outcome,
            judged: true,
        });
        run.pr_versions = changes;
        out.push(run);
    }
    out
}

fn pr_run<'a>(
    pr: &'a PrHistory,
    item: &'a ItemHistory,
    cutoff: Option<&'a Cutoff>,
) -> Option<Run<'a>> {
    let baseline = item.versions.first().filter(|v| v.baseline)?;
    let before = baseline.node()?;
    // The PR's outcome: its last version that is not a parse failure.
    let outcome_of = |versions: &'a [Version]| {
        let last = versions
            .iter()
            .rposition(|v| !matches!(v.state, VersionState::Unparseable(_)))?;
        Some(&versions[..=last])
    };
    let mut changes = outcome_of(&item.versions[1..])?;
    // Deleted while a file created in the PR carries its id: that file is the item now.
    if matches!(
        changes.last().map(|v| &v.state),
        Some(VersionState::Deleted)
    ) {
        let heir = pr
            .items
            .iter()
            .find(|other| !other.pre_existing && other.exists && other.id == item.id);
        if let Some(heir) = heir.and_then(|h| outcome_of(&h.versions)) {
            changes = heir;
        }
    }
    let outcome = changes.last()?;
    let mut run = Run::new(item, cutoff);
    run.steps.push(Step {
        node: before,
        version: baseline,
        judged: false,
    });
    run.pr_versions = changes;
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
