//! A commit of the pull request would leave a history finding on main after a rebase merge.
//!
//! ## What it does
//! In pull-request mode (`poam lint --base`), judges the pull request's commits one by one, as
//! a rebase or fast-forward merge would land them on main's first-parent history, with the same
//! history rules, allowances and waivers as `poam lint` on main. A finding there that the
//! pull request's net change (what `--base` checks, and what a squash or a merge commit lands)
//! does not have is reported at the commit that would cause it, naming that finding. With
//! `approvals:`, decisions are judged the same way: a closure made in the pull request by
//! someone without the role and later redone by an approver passes as a net change, but a
//! rebase merge would land the first one on main (`decision-unauthorized`). Only
//! under `merge_strategy` unset (a warning) or `rebase` (an error); `squash` and `merge` turn
//! it off.
//!
//! ## Why it matters
//! A pull request that moves `due` in one commit and records the vendor's fix release in the
//! next is fine as a whole, so its check passes. Rebased onto main, the first commit moves `due`
//! with no justification recorded yet: `poam lint` on main reports `due-changed` on every run
//! from then on, and the audit trail shows an unjustified change.
//!
//! ## Example
//! ```yaml
//! # pull request, commit 1
//! due: 2026-05-30            # was 2026-04-05
//! # pull request, commit 2
//! vendor_dependency:
//!   fix_released: 2026-03-10
//! ```
//!
//! ## How to fix
//! Squash or merge-commit the pull request, or reorder the commits so that each one passes on
//! its own (record the justification first, then move the date). Set `merge_strategy` in
//! `poam.yaml` to the strategy the repository uses: `squash` or `merge` turn this check off,
//! `rebase` makes it an error.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: the audit trail of columns K, L, M and N is
//! main's history, commit by commit.

use std::collections::HashSet;

use crate::authority::Authority;
use crate::config::{Config, MergeStrategy};
use crate::history::audit::{self, Run};
use crate::history::{Cutoff, PrHistory};

use super::history::{apply_waivers, Breach, Violation};

use super::{enabled, judge_decisions, judge_history, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::HistoryRebaseMerge,
    severity: Severity::Warning,
    check: Check::Repository,
    sets: &[RuleSet::Common],
};

const HELP: &str = "squash or merge-commit this pull request, or reorder the commits";

/// The findings main's history would gain from a rebase merge of the pull request and that
/// its net change does not have, each at the commit that would cause it.
pub fn check(
    config: &Config,
    pr: &PrHistory,
    cutoff: Option<&Cutoff>,
    authority: Option<&Authority>,
) -> Vec<Violation> {
    let severity = match config.merge_strategy {
        Some(MergeStrategy::Squash | MergeStrategy::Merge) => return Vec::new(),
        Some(MergeStrategy::Rebase) => Severity::Error,
        None => Code::HistoryRebaseMerge.default_severity(),
    };
    if !enabled(config, Code::HistoryRebaseMerge) {
        return Vec::new();
    }
    // Compared by rule, item (whatever id it carried) and top-level field: the net change
    // and the commits name the same change at different steps and list indexes.
    let owner = |id: &str| pr.item(id).map_or_else(|| id.to_owned(), |h| h.id.clone());
    let key = |code: Code, id: &str, field: &str| {
        let top = field.split(['.', '[']).next().unwrap_or(field).to_owned();
        (code, owner(id), top)
    };
    let profile = config.policy.profile;
    let mut net = judge_history(&audit::pr_runs(pr, cutoff), profile);
    // Main's full-history check sees every commit, from each item's merge-base version (or
    // its creation in the pull request) on.
    let runs: Vec<Run> = audit::landed_runs(pr, cutoff);
    let mut landed = judge_history(&runs, profile);
    // Decisions too: who made each one is judged per commit on main, so a decision made
    // unsigned in one commit and left as it is by a signed one later is main's finding even
    // when the pull request's net change is blamed on an authorized commit (and the other
    // way round).
    if let Some(authority) = authority {
        net.extend(judge_decisions(
            &audit::pr_decision_runs(pr, cutoff),
            profile,
            authority,
        ));
        landed.extend(judge_decisions(&runs, profile, authority));
    }
    let squashed: HashSet<(Code, String, String)> = net
        .iter()
        .map(|v| key(v.breach.code, &v.item_id, &v.breach.field))
        .collect();
    // A fast-forward keeps the commit ids, so a waiver naming one would hold on main too.
    let landed = apply_waivers(landed, &config.history_waivers).kept;
    let mut out: Vec<Violation> = Vec::new();
    for violation in landed {
        let inner = violation.breach.code;
        if !enabled(config, inner)
            || squashed.contains(&key(inner, &violation.item_id, &violation.breach.field))
        {
            continue;
        }
        let message = format!(
            "a rebase or fast-forward merge would leave `{}` on main: {}",
            inner.as_str(),
            violation.breach.message
        );
        let breach = Breach {
            code: Code::HistoryRebaseMerge,
            severity,
            message,
            help: HELP.to_owned(),
            ..violation.breach
        };
        let found = Violation {
            breach,
            ..violation
        };
        if !out.contains(&found) {
            out.push(found);
        }
    }
    out
}
