//! An entry of the baseline file matches no finding any more.
//!
//! ## What it does
//! Reports each entry of `poam-baseline.json` that no current finding matches (same item, same
//! rule, same fingerprint), at the entry's line in the file. `poam baseline --prune` removes
//! them.
//!
//! ## Why it matters
//! The baseline exists to let a repository adopt poam with the findings it already had; each
//! entry fixed should leave it, so that the same finding coming back later is reported, not
//! silently suppressed by an old entry.
//!
//! ## Example
//! ```json
//! {"item": "V-12", "rule": "missing-field", "fingerprint": "9c1e…", "message": "missing `owner`", …}
//! ```
//! after `owner:` was added to V-12.
//!
//! ## How to fix
//! Run `poam baseline --prune` and commit the smaller file.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! None: this is about poam's own baseline file.

use chrono::NaiveDate;

use crate::diag::{Diagnostic, Location};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::BaselineStale,
    severity: Severity::Warning,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

/// An entry of the baseline file at `location`, for `rule` on `item`, recorded on `recorded`.
pub fn check(location: Location, item: &str, rule: &str, recorded: NaiveDate) -> Diagnostic {
    Diagnostic {
        code: Code::BaselineStale,
        severity: Code::BaselineStale.default_severity(),
        item: (!item.is_empty()).then(|| item.to_owned()),
        location,
        label: None,
        message: format!(
            "baseline entry for `{rule}` on `{item}` (recorded {recorded}) matches no finding any more"
        ),
        help: Some("run `poam baseline --prune` to remove the entries that no longer occur".into()),
        related: Vec::new(),
        fix: None,
    }
}
