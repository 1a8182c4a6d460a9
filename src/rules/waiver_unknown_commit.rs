//! A history waiver in `poam.yaml` names a commit that is not in the repository.
//!
//! ## What it does
//! Checks every entry of `history_waivers` against the repository: a `commit` that does not
//! resolve to a commit (a typo, a rewritten history, a clone that lacks it) is reported at the
//! waiver's line in `poam.yaml`.
//!
//! ## Why it matters
//! A waiver is an auditable acknowledgement of a past violation. One that points nowhere
//! acknowledges nothing, and the violation it was meant for is still reported, or was never
//! there.
//!
//! ## Example
//! ```yaml
//! history_waivers:
//!   - {commit: 0badc0de, rule: due-changed, reason: AO accepted the new date on 2026-03-10}
//! ```
//!
//! ## How to fix
//! Copy the id of the commit that broke the rule from the finding (`poam lint` names it) or
//! from `poam log`; in a shallow clone, fetch the full history.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: every alteration of the POA&M is traceable.

use crate::config::HistoryWaiver;
use crate::diag::Diagnostic;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::WaiverUnknownCommit,
    severity: Severity::Error,
    check: Check::Repository,
    sets: &[RuleSet::Common],
};

pub fn check(waiver: &HistoryWaiver) -> Diagnostic {
    Diagnostic {
        code: Code::WaiverUnknownCommit,
        severity: Code::WaiverUnknownCommit.default_severity(),
        item: None,
        location: waiver.location.clone(),
        label: None,
        message: format!(
            "history waiver for `{}` names commit `{}`, which is not in this repository",
            waiver.rule.as_str(),
            waiver.commit
        ),
        help: Some(
            "use the commit id from the finding or from `poam log`; in a shallow clone fetch the full history".into(),
        ),
        related: Vec::new(),
        fix: None,
    }
}
