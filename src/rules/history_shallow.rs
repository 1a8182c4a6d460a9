//! The repository is a shallow clone, so part of the history is missing.
//!
//! ## What it does
//! Warns once when the history walk stops at a shallow clone's boundary. Items that exist at
//! the boundary are treated as pre-existing: nothing is reported against the boundary commit,
//! and changes after it are still checked.
//!
//! ## Why it matters
//! A shallow checkout (the default of `actions/checkout`) hides every change before its
//! boundary, so write-once violations there cannot be seen.
//!
//! ## Example
//! ```sh
//! git clone --depth 1 https://example.com/poams.git
//! ```
//!
//! ## How to fix
//! Fetch the full history: `fetch-depth: 0` in `actions/checkout`, or `git fetch --unshallow`.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: the audit trail of columns K, L, M and N.

use crate::diag::Diagnostic;

use super::{Check, Code, ItemsFolder, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::HistoryShallow,
    severity: Severity::Warning,
    check: Check::Repository,
    sets: &[RuleSet::Common],
};

pub fn check(folder: &ItemsFolder, warning: &str) -> Diagnostic {
    folder
        .report(Code::HistoryShallow, warning.to_owned())
        .with_help(
        "fetch the full history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`",
    )
}
