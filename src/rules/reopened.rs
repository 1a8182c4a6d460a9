//! An item went from `closed` back to `open`.
//!
//! ## What it does
//! Reports a change of `status` from `closed` to `open` between consecutive versions.
//!
//! ## Why it matters
//! Reopening can be right (the fix regressed), but it changes what was reported to the AO as
//! remediated. It deserves a reviewer's attention and an explanation.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! status: closed
//! # commit 2
//! status: open
//! ```
//!
//! ## How to fix
//! If the weakness came back, consider a new item with a new detection date; otherwise
//! explain the reopening in `comments` and a milestone change.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2: closing requires remediation evidence;
//! a reopened item means that evidence no longer holds.

use crate::history::audit::Run;

use super::history::{field_values, scalar, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::Reopened,
    severity: Severity::Warning,
    check: Check::History(check),
    sets: &[RuleSet::Common],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        if scalar(before, &["status"]).as_deref() == Some("closed")
            && scalar(after, &["status"]).as_deref() == Some("open")
        {
            let (old, new) = field_values(before, after, "status");
            out.push(
                Breach::new(Code::Reopened, at, "status", old, new)
                    .message("item went from `closed` back to `open`")
                    .help("explain why in `comments`, or track the recurrence as a new item"),
            );
        }
    }
}
