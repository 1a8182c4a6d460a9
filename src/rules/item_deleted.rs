//! An item file disappeared from the items folder.
//!
//! ## What it does
//! Reports an item whose file was removed from the items folder (a move or rename inside the
//! folder is not a deletion). An error when the item was open, a warning when it was closed.
//!
//! ## Why it matters
//! POA&M items are closed, never deleted: a closed item moves to the Closed sheet with its
//! evidence, and an open one is a risk the AO still has to see.
//!
//! ## Example
//! ```sh
//! git rm poams/V-12.yaml
//! ```
//!
//! ## How to fix
//! Restore the file (`git checkout <commit>^ -- <path>`) and close the item with `status:
//! closed`, `closed.date` and `closed.evidence`.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.2: closed items move to the Closed sheet.

use crate::diag::{Diagnostic, Severity};
use crate::history::audit::{AuditRule, Violation};

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    let was_closed = matches!(violation.rule, AuditRule::ItemDeleted { was_closed: true });
    let severity = if was_closed {
        Severity::Warning
    } else {
        Severity::Error
    };
    ctx.report(Code::ItemDeleted, violation)
        .with_severity(severity)
        .with_help(format!(
            "restore {} and close the item instead (`status: closed` with `closed.date` and `closed.evidence`)",
            violation.path
        ))
}
