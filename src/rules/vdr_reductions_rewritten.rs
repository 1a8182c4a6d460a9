//! A recorded reduction was changed or removed: `vdr.reductions` is append-only.
//!
//! ## What it does
//! Under `fedramp-cr26`, compares each committed version of an item with the one before it
//! (in PR mode: the merge base's version with the PR's result) and reports an entry of
//! `vdr.reductions` that is no longer there, in its place, with the same `at`, `pain`, `irv`,
//! `lev` and `note`.
//!
//! ## Why it matters
//! Completed reductions are the evidence behind the current rating and the report's reduction
//! history; rewriting them rewrites what agencies were told.
//!
//! ## Example
//! ```yaml
//! reductions:
//!   - {at: 2026-11-15, pain: 2}   # was {at: 2026-11-20, pain: 3}
//! ```
//!
//! ## How to fix
//! Restore the entry; append a new reduction for what changed since.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! VER-RPT-VDT item 7 (time and N-rating of each completed and evaluated reduction).

use crate::model::item::Item;
use crate::model::vdr::Reduction;

use crate::history::audit::Run;

use super::history::{judge_pairs, Breach, VdrChange};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::VdrReductionsRewritten,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Cr26],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    judge_pairs(run, Code::VdrReductionsRewritten, compare, out);
}

/// An entry as comparable text: `{at: …, pain: …, irv: …, lev: …, note: …}`.
fn describe(r: &Reduction) -> String {
    let mut parts = Vec::new();
    if let Some(at) = &r.at {
        parts.push(format!("at: {}", at.value));
    }
    if let Some(pain) = &r.pain {
        parts.push(format!("pain: {}", pain.value));
    }
    if let Some(irv) = &r.irv {
        parts.push(format!("irv: {}", irv.value));
    }
    if let Some(lev) = &r.lev {
        parts.push(format!("lev: {}", lev.value));
    }
    if let Some(note) = &r.note {
        parts.push(format!("note: {}", note.value.trim()));
    }
    format!("{{{}}}", parts.join(", "))
}

pub fn compare(before: &Item, after: &Item) -> Vec<VdrChange> {
    let old = before.vdr.as_ref().map_or(&[][..], |v| v.reductions());
    let new = after.vdr.as_ref().map_or(&[][..], |v| v.reductions());
    let mut out = Vec::new();
    for (index, entry) in old.iter().enumerate() {
        let was = describe(entry);
        match new.get(index).map(describe) {
            Some(now) if now == was => {}
            Some(now) => out.push((
                format!("vdr.reductions[{index}]"),
                format!("reduction {index} changed from {was} to {now}: `vdr.reductions` is append-only"),
            )),
            None => out.push((
                "vdr.reductions".to_owned(),
                format!("reduction {was} was removed: `vdr.reductions` is append-only"),
            )),
        }
    }
    out
}
