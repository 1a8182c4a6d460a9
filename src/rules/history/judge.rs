//! Judging: every history rule over every run, the same way for every profile's rules; a
//! change undone by the item's next version netted out (full mode); each breach located at the
//! commit to blame. The rules come from the registry (`rules::judge_history`): this module
//! imports no rule file.

use crate::authority::Authority;
use crate::history::audit::{Run, Step};
use crate::history::diff::{lookup, same_opt};
use crate::history::item_id;

use super::{Breach, Violation};

/// A history rule: breaches along one run of an item's versions.
pub type HistoryRule = fn(&Run, &mut Vec<Breach>);

/// A decision rule: breaches along one run of an item's versions, judged by who made each
/// change ([`Authority`]).
pub type DecisionRule = fn(&Run, &Authority, &mut Vec<Breach>);

/// Every one of `rules` broken along the runs (`crate::history::audit`), per run in
/// history order, each naming the commit that broke it.
pub fn judge(runs: &[Run], rules: &[HistoryRule]) -> Vec<Violation> {
    judge_with(runs, |run, breaches| {
        for rule in rules {
            rule(run, breaches);
        }
    })
}

/// [`judge`] for the decision rules, which also ask who made each change.
pub fn judge_decisions(
    runs: &[Run],
    rules: &[DecisionRule],
    authority: &Authority,
) -> Vec<Violation> {
    judge_with(runs, |run, breaches| {
        for rule in rules {
            rule(run, authority, breaches);
        }
    })
}

fn judge_with(runs: &[Run], mut rules: impl FnMut(&Run, &mut Vec<Breach>)) -> Vec<Violation> {
    let mut violations = Vec::new();
    for run in runs {
        let mut breaches = Vec::new();
        rules(run, &mut breaches);
        if !run.is_pr() {
            undone_pairs(run, &mut breaches);
        }
        // Stable: within one change, rule order.
        breaches.sort_by_key(|b| b.at);
        for breach in breaches {
            if let Some(violation) = locate(run, breach) {
                violations.push(violation);
            }
        }
    }
    violations
}

/// Full mode cannot see where a rebase-merged or fast-forwarded pull request began and ended,
/// but it can see a change that broke a rule and that the item's very next version undid,
/// breaking the same rule on the same field back: the file's net change over the two commits
/// is nothing, which is what a reviewer of the pull request saw. Both are left unreported (the
/// log still shows them). A legitimate change undone later (closing, then reopening) is not a
/// pair of breaches and stays reported.
fn undone_pairs(run: &Run, breaches: &mut Vec<Breach>) {
    // Compared by top-level key: removing a planned milestone (`milestones`) and adding it
    // back (`milestones[1]`) is one undone change of `milestones`.
    let key = |b: &Breach| -> String { b.field.split(['.', '[']).next().unwrap_or("").to_owned() };
    let restores = |first: &Breach, second: &Breach| {
        let field = key(first);
        // A breach of one version of its own (a duplicate file) is not a change of the item.
        // A breach at the first step (an item written already decided) has no version
        // before it to be restored.
        first.at > 0
            && first.site.is_none()
            && second.site.is_none()
            && second.at == first.at + 1
            && second.code == first.code
            && !field.is_empty()
            && key(second) == field
            && second.at < run.steps.len()
            && same_opt(
                lookup(run.steps[second.at].node, &field),
                lookup(run.steps[first.at - 1].node, &field),
            )
    };
    let undone: Vec<bool> = breaches
        .iter()
        .map(|b| breaches.iter().any(|o| restores(b, o) || restores(o, b)))
        .collect();
    let mut index = 0;
    breaches.retain(|_| {
        index += 1;
        !undone[index - 1]
    });
}

fn locate(run: &Run, breach: Breach) -> Option<Violation> {
    if let Some(site) = &breach.site {
        return Some(Violation {
            item_id: site.item_id.clone().unwrap_or_else(|| run.item.id.clone()),
            source: site.source.clone(),
            path: site.path.clone(),
            breach,
        });
    }
    if breach.at >= run.steps.len() {
        let deletion = run.deletion?;
        let item_id = run
            .last_node()
            .and_then(item_id)
            .unwrap_or_else(|| run.item.id.clone());
        return Some(Violation {
            item_id,
            source: deletion.version.source.clone(),
            path: deletion.version.path.clone(),
            breach,
        });
    }
    let step: &Step = &run.steps[breach.at];
    let blamed = run.blame(breach.at, &breach.field)?;
    Some(Violation {
        item_id: item_id(step.node).unwrap_or_else(|| run.item.id.clone()),
        source: blamed.source.clone(),
        path: step.version.path.clone(),
        breach,
    })
}
