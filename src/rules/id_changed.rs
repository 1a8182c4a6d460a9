//! An item file kept its history but its `id` changed.
//!
//! ## What it does
//! Reports a file, followed across commits by its path or by rename detection, whose `id`
//! changed from one version to the next.
//!
//! ## Why it matters
//! The POAM ID is how the agency, the 3PAO and earlier deliverables refer to the weakness.
//! Renumbering breaks that trail.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! id: V-12
//! # commit 2, same file
//! id: V-120
//! ```
//!
//! ## How to fix
//! Restore the original id. A new weakness gets a new file with a new id.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column A: a unique identifier per item, kept for
//! its whole life.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    ctx.report(Code::IdChanged, violation)
        .with_help("restore the original id; a different weakness gets a new item")
}
