//! The scheduled completion date of an existing item changed without cause.
//!
//! ## What it does
//! Reports a `due` date that was recorded and then changed, except in the same commit that
//! sets or changes `vendor_dependency.fix_released`, or that makes a risk adjustment
//! `approved`: FedRAMP's two cases where the date is recomputed.
//!
//! ## Why it matters
//! The Scheduled Completion Date is a permanent column. Slipping it by editing the field hides
//! a late item; slips belong in `milestone_changes`.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! due: 2026-05-01
//! # commit 2 (no fix release, no approved adjustment)
//! due: 2026-06-01
//! ```
//!
//! ## How to fix
//! Restore `due` and record the delay as a milestone change of kind `update`. If the vendor
//! released a fix or the AO approved a risk adjustment, change `due` in that same commit.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, column L (permanent; vendor dependency exception);
//! Continuous Monitoring Strategy Guide App. D: FedRAMP does not accept date adjustments.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    ctx.report(Code::DueChanged, violation).with_help(
        "restore `due` and record the delay in `milestone_changes`; `due` may only move with a vendor fix release or an approved risk adjustment, in the same commit",
    )
}
