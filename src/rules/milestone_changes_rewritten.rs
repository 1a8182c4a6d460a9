//! An existing milestone change was edited or removed.
//!
//! ## What it does
//! Reports an entry of `milestone_changes` that existed in an earlier version and is no longer
//! there unchanged. New entries may be added anywhere; moving an entry does not count.
//!
//! ## Why it matters
//! Milestone Changes is the item's change log: append-only, so the record of delays and
//! completions cannot be rewritten after the fact.
//!
//! ## Example
//! ```yaml
//! milestone_changes:
//!   - {milestone: 1, kind: update, date: 2026-05-01, description: Slipped}   # was 2026-04-20
//! ```
//!
//! ## How to fix
//! Restore the entry as it was and append a new entry with the correction.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, column N; Completion Guide §2.5: every alteration is appended.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    ctx.report(Code::MilestoneChangesRewritten, violation)
        .with_help("restore the entry and append a new one with the correction: `milestone_changes` is append-only")
}
