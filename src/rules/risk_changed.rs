//! The original risk rating of an existing item changed.
//!
//! ## What it does
//! Reports a `risk` value that was recorded and then changed or removed (case differences do
//! not count), naming the commit that changed it.
//!
//! ## Why it matters
//! The Original Risk Rating is what the scanner or assessor said. Lowering it by editing the
//! field bypasses the deviation request the AO must approve.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! risk: high
//! # commit 2
//! risk: moderate
//! ```
//!
//! ## How to fix
//! Restore `risk` and record the change as `deviations.risk_adjustment` with `adjusted_risk`,
//! a rationale and its status.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, columns S–U: the original rating stays; adjusted
//! ratings need an approved risk adjustment.

use crate::diag::Diagnostic;
use crate::history::audit::Violation;

use super::{Code, HistoryContext};

pub fn check(violation: &Violation, ctx: &HistoryContext) -> Diagnostic {
    ctx.report(Code::RiskChanged, violation)
        .with_help("restore `risk`; request the new rating through `deviations.risk_adjustment`")
}
