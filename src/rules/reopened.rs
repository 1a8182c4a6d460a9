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
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2: closing requires remediation evidence;
//! a reopened item means that evidence no longer holds.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    ctx.report(Code::Reopened, violation)
        .with_help("explain why in `comments`, or track the recurrence as a new item")
}
