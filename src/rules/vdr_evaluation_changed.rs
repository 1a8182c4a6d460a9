//! The recorded evaluation (time, IRV, LEV or PAIN at evaluation) was rewritten.
//!
//! ## What it does
//! Under `fedramp-cr26`, compares each committed version of an item with the one before it
//! (in PR mode: the merge base's version with the PR's result) and reports `vdr.evaluated`,
//! `vdr.irv`, `vdr.lev` or `vdr.pain` changed or removed once recorded.
//!
//! ## Why it matters
//! The evaluation is the report's "historical" rating and the start of every timeframe; a
//! later rewrite moves deadlines and hides what was known when. Changes of the rating are
//! recorded as reductions, with their own re-evaluated IRV and LEV.
//!
//! ## Example
//! ```yaml
//! vdr:
//!   evaluated: 2026-11-12
//!   pain: 3        # was 4 in the commit that recorded the evaluation
//! ```
//!
//! ## How to fix
//! Restore the recorded values and add a reduction (`vdr.reductions`) for the new rating. If
//! the first evaluation was a typo, say so in the commit and turn the finding off for it.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT items 3-6 (time of evaluation, IRV, LEV, historical and current N-rating);
//! VDR-CSO-RES (persistently track all detected vulnerabilities).

use crate::model::item::Item;

use crate::history::audit::Run;

use super::history::{judge_pairs, Breach, VdrChange};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrEvaluationChanged,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    judge_pairs(run, Code::VdrEvaluationChanged, compare, out);
}

pub fn compare(before: &Item, after: &Item) -> Vec<VdrChange> {
    let (Some(old), new) = (before.vdr.as_ref(), after.vdr.as_ref()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut check = |key: &str, old: Option<String>, new: Option<String>| {
        if let Some(old) = old {
            if new.as_ref() != Some(&old) {
                let new = new.unwrap_or_else(|| "(absent)".to_owned());
                out.push((
                    format!("vdr.{key}"),
                    format!("`vdr.{key}` changed from {old} to {new}: the recorded evaluation is write-once; record a reduction instead"),
                ));
            }
        }
    };
    check(
        "evaluated",
        old.evaluated.as_ref().map(|e| e.value.to_string()),
        new.and_then(|n| n.evaluated.as_ref())
            .map(|e| e.value.to_string()),
    );
    check(
        "irv",
        old.irv.as_ref().map(|b| b.value.to_string()),
        new.and_then(|n| n.irv.as_ref())
            .map(|b| b.value.to_string()),
    );
    check(
        "lev",
        old.lev.as_ref().map(|b| b.value.to_string()),
        new.and_then(|n| n.lev.as_ref())
            .map(|b| b.value.to_string()),
    );
    check(
        "pain",
        old.pain.as_ref().map(|p| p.value.to_string()),
        new.and_then(|n| n.pain.as_ref())
            .map(|p| p.value.to_string()),
    );
    out
}
