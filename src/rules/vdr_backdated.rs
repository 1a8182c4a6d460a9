//! An evaluation or reduction was added to an existing item more than 7 days after the time it
//! claims.
//!
//! ## What it does
//! Under `fedramp-cr26`, for each commit that adds `vdr.evaluated` to an item that already
//! existed, or appends to `vdr.reductions`, compares the commit's time with the time the entry
//! claims and warns when the commit is more than 7 days later. What an item holds when it is
//! first committed is its imported past and is not judged; uncommitted changes are not judged.
//!
//! ## Why it matters
//! The report's evaluation times and completed reductions are only as trustworthy as their
//! recording: an evaluation written down weeks later, dated back to make a deadline, is what
//! git can reveal.
//!
//! ## Example
//! A commit of 2026-11-25 adds `reductions: [{at: 2026-11-02, pain: 3}]`.
//!
//! ## How to fix
//! Record evaluations and reductions when they happen. If one was genuinely recorded late,
//! say why in the commit message and in `vdr.supplementary`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT items 3 and 7; VDR-CSO-RES (persistently track, evaluate and monitor).

use chrono::Duration;

use crate::history::audit::Run;
use crate::history::{Source, Version};
use crate::model::item::Item;
use crate::model::vdr::Moment;
use crate::model::Node;

use super::history::{version_item, Breach, VdrChange};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrBackdated,
    severity: Severity::Warning,
    check: Check::History(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    let mut judge = |version: &Version, at: usize, before: &Node, after: &Node| {
        let (before, after) = (version_item(before), version_item(after));
        for (field, message) in compare(&before, &after, &version.source) {
            out.push(
                Breach::new(Code::VdrBackdated, at, field, None, None)
                    .message(message)
                    .site(version),
            );
        }
    };
    if !run.is_pr() {
        for (at, before, after) in run.judged_pairs() {
            judge(run.steps[at].version, at, before, after);
        }
        return;
    }
    // PR mode: a record is back-dated by the commit that added it, so each of the pull
    // request's versions is judged against the one before it, not only the net change.
    let Some(mut previous) = run.steps.first().map(|step| step.node) else {
        return;
    };
    for version in run.pr_versions() {
        let Some(after) = version.node() else {
            continue;
        };
        if !run.ignores(version) {
            judge(version, 1, previous, after);
        }
        previous = after;
    }
}

/// How long after the claimed time a record may be committed.
const GRACE_DAYS: i64 = 7;

pub fn compare(before: &Item, after: &Item, source: &Source) -> Vec<VdrChange> {
    let Some(commit) = source.commit() else {
        return Vec::new();
    };
    let Some(new) = after.vdr.as_ref() else {
        return Vec::new();
    };
    let committed = commit.time.with_timezone(&chrono::Utc);
    let mut out = Vec::new();
    let mut judge = |field: String, what: &str, claimed: Moment| {
        let lag = committed - claimed.at;
        if lag > Duration::days(GRACE_DAYS) {
            out.push((
                field,
                format!(
                    "{what} dated {claimed} was committed {} days later, on {} (more than {GRACE_DAYS} days)",
                    lag.num_days(),
                    committed.format("%Y-%m-%d")
                ),
            ));
        }
    };
    let old = before.vdr.as_ref();
    if old.and_then(|o| o.evaluated.as_ref()).is_none() {
        if let Some(evaluated) = &new.evaluated {
            judge("vdr.evaluated".to_owned(), "evaluation", evaluated.value);
        }
    }
    let kept = old.map_or(0, |o| o.reductions().len());
    for (index, reduction) in new.reductions().iter().enumerate().skip(kept) {
        if let Some(at) = &reduction.at {
            judge(format!("vdr.reductions[{index}]"), "reduction", at.value);
        }
    }
    out
}
