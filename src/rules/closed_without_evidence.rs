//! A closed item shows no evidence of its closing.
//!
//! ## What it does
//! Reports a closed item that has neither `closed.evidence` text nor a document (`documents`)
//! added on or before `closed.date`. What counts is the profile's: under `fedramp-rev5` and
//! `fedramp-cr26` either one does. A document counts only with an `added` date (`poam
//! evidence add` records it), since evidence added after the closing did not support it.
//! An item without `closed` at all is `missing-field`'s.
//!
//! ## Why it matters
//! FedRAMP lets an item move to the Closed sheet only when the corrective actions are applied
//! and the evidence is available (or a false-positive deviation was approved); the 3PAO checks
//! it at assessments and the authorizing official may ask for it at any time.
//!
//! ## Example
//! ```yaml
//! status: closed
//! closed: {date: 2026-11-01}
//! documents:
//!   - {type: Remediation Evidence, name: rescan.txt, path: evidence/V-1/rescan.txt,
//!      sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08,
//!      added: 2026-11-05}   # after the closing
//! ```
//!
//! ## How to fix
//! Write what shows the weakness is gone in `closed.evidence` (a rescan, a change record), or
//! add the file with `poam evidence add ID FILE` before closing.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2: an item is closed when all corrective actions
//! are applied and evidence is available.

use crate::diag::Diagnostic;
use crate::profiles::ClosureEvidence;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ClosedWithoutEvidence,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    let item = ctx.item;
    let Some(closed) = item.closed.as_ref().filter(|_| item.is_closed()) else {
        return;
    };
    let requirement = crate::profiles::of(ctx.config.policy.profile).closure_evidence();
    let text = closed.evidence.is_some();
    let closing = closed.date.as_ref().map(|d| d.value);
    let documents = item.documents.as_ref().map_or(&[][..], |d| &d.value[..]);
    let in_time = documents.iter().any(|d| {
        d.added
            .as_ref()
            .is_some_and(|added| closing.is_none_or(|c| added.value <= c))
    });
    let shown = match requirement {
        ClosureEvidence::TextOrDocument => text || in_time,
        ClosureEvidence::Document => in_time,
        ClosureEvidence::Nothing => true,
    };
    if shown {
        return;
    }
    let by = closing.map_or_else(String::new, |c| format!(" on or before {c}"));
    let late = documents
        .iter()
        .filter_map(|d| d.added.as_ref())
        .map(|a| a.value)
        .min();
    let mut message = match requirement {
        ClosureEvidence::Document => format!("closed item has no document added{by}"),
        _ => format!("closed item has no `closed.evidence` and no document added{by}"),
    };
    if let Some(late) = late {
        message.push_str(&format!(" (the first was added {late})"));
    }
    out.push(
        ctx.report(Code::ClosedWithoutEvidence, closed.key_span, message)
            .with_label("closed without evidence")
            .with_help(match requirement {
                ClosureEvidence::Document => "add the evidence file with `poam evidence add ID FILE` (it records the date and the SHA-256)",
                _ => "write what shows the weakness is gone in `closed.evidence`, or add the evidence file with `poam evidence add ID FILE`",
            }),
    );
}
