//! A waiver in `poam.yaml` matches no violation.
//!
//! ## What it does
//! In full-history mode, reports an entry of `history_waivers` whose commit exists but broke
//! no rule of the kind the waiver names: the waiver acknowledges nothing. Waivers are not
//! checked for matches with `--base` (a pull request sees only its own commits). Likewise an
//! entry of `waivers` (per item and rule) that has not expired and whose item has no finding
//! of its rule.
//!
//! ## Why it matters
//! Waivers are part of the audit trail. A stale or mistyped waiver (wrong rule, a commit off the
//! first-parent history) suggests a violation was accepted when none is on record.
//!
//! ## Example
//! ```yaml
//! history_waivers:
//!   - {commit: 4f1c2d9, rule: risk-changed, reason: Typo fixed the same day}   # 4f1c2d9 moved `due`
//! ```
//!
//! ## How to fix
//! Name the rule the commit broke (the code in the finding), or remove the waiver. A commit that
//! reached main inside a merge commit is judged at the merge commit: waive that one.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: every alteration of the POA&M is traceable.

use crate::config::{HistoryWaiver, Waiver};
use crate::diag::Diagnostic;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::WaiverUnmatched,
    severity: Severity::Warning,
    check: Check::Repository,
    sets: &[RuleSet::Common],
};

pub fn check(waiver: &HistoryWaiver) -> Diagnostic {
    Diagnostic {
        code: Code::WaiverUnmatched,
        severity: Code::WaiverUnmatched.default_severity(),
        item: None,
        location: waiver.location.clone(),
        label: None,
        message: format!(
            "history waiver for `{}` at commit `{}` matches no violation",
            waiver.rule.as_str(),
            waiver.shown_commit()
        ),
        help: Some(
            "name the rule the commit broke (see `poam lint` without the waiver), or remove the waiver".into(),
        ),
        related: Vec::new(),
        fix: None,
    }
}

/// An entry of `waivers` whose item has no finding of its rule.
pub fn check_item_waiver(waiver: &Waiver) -> Diagnostic {
    Diagnostic {
        code: Code::WaiverUnmatched,
        severity: Code::WaiverUnmatched.default_severity(),
        item: Some(waiver.item.clone()),
        location: waiver.location.clone(),
        label: None,
        message: format!(
            "waiver of `{}` on `{}` matches no finding",
            waiver.rule.as_str(),
            waiver.item
        ),
        help: Some("the finding is gone: remove the waiver".into()),
        related: Vec::new(),
    }
}
