//! The original detection date of an existing item changed.
//!
//! ## What it does
//! Compares consecutive versions of each item along the first-parent history (or, with
//! `--base`, the version at the merge base with the pull request's result) and reports a
//! `detected` date that was recorded and then changed or removed. Names the commit, author and
//! date of the change and points at `detected` in the current file.
//!
//! ## Why it matters
//! Every deadline counts from the Original Detection Date, and it must match the assessment
//! or scan that found the weakness. Moving it later quietly extends every deadline.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! detected: 2026-03-02
//! # commit 2
//! detected: 2026-04-02
//! ```
//!
//! ## How to fix
//! Restore the original date. If the first date was a typo made in the same pull request,
//! fix it before merging (items created in the pull request may change freely); for history
//! that predates adopting poam, set `history_since` in `poam.yaml`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column K: the CSP may not change the Original
//! Detection Date.

use crate::history::audit::Run;
use crate::history::diff::same_value;

use super::history::{changed_write_once, field_values, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DetectedChanged,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Common],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        if changed_write_once(before, after, "detected", same_value) {
            let (old, new) = field_values(before, after, "detected");
            let breach = Breach::new(Code::DetectedChanged, at, "detected", old, new);
            let message = format!(
                "`detected` changed from {} to {}: the original detection date is write-once",
                breach.old_quoted(),
                breach.new_quoted()
            );
            out.push(
                breach
                    .message(message)
                    .help("restore the original detection date; it is write-once"),
            );
        }
    }
}
