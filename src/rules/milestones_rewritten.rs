//! A planned milestone was edited, removed, or added after the item was created.
//!
//! ## What it does
//! Matches planned milestones of consecutive versions by `id` and reports any field of an
//! existing milestone that changed, a milestone that disappeared, and a planned milestone added
//! once the item already had milestones.
//!
//! ## Why it matters
//! Planned Milestones are a permanent column: the plan as first recorded is what progress is
//! measured against. Changes are appended in Milestone Changes instead.
//!
//! ## Example
//! ```yaml
//! milestones:
//!   - {id: 1, date: 2026-04-01, description: Patch staging}   # was 2026-03-15
//! ```
//!
//! ## How to fix
//! Restore the planned milestone and append a `milestone_changes` entry: kind `update` for a
//! new date, `complete` when done, `new` (with a fresh number) for an added milestone.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template, columns M and N; Completion Guide: milestones are never edited,
//! changes go to Milestone Changes.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    let help = if violation.old.is_none() {
        "add new milestones as a `milestone_changes` entry with kind `new` and a fresh number"
    } else {
        "restore the planned milestone and record the change in `milestone_changes` (kind `update` or `complete`)"
    };
    ctx.report(Code::MilestonesRewritten, violation)
        .with_help(help)
}
