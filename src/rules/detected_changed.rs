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
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column K: the CSP may not change the Original
//! Detection Date.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    ctx.report(Code::DetectedChanged, violation)
        .with_help("restore the original detection date; it is write-once")
}
