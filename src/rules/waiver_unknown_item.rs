//! A waiver in `poam.yaml` names an item no file holds.
//!
//! ## What it does
//! Checks the `item` of every entry of `waivers` against the ids of the item files: a waiver
//! for an id that no item carries is reported at the waiver's line in `poam.yaml`.
//!
//! ## Why it matters
//! A waiver is an accepted risk on one item. One that names no item accepts nothing: a typo in
//! the id leaves the finding it was meant for in place, or the item was renamed or deleted and
//! the acceptance no longer has an object.
//!
//! ## Example
//! ```yaml
//! waivers:
//!   - {item: V-9999, rule: overdue, reason: AO accepted the delay, expires: 2027-01-31}
//! ```
//!
//! ## How to fix
//! Write the id of the item as its file has it (`poam show ID`), or remove the waiver.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §2.5: every alteration of the POA&M is traceable.

use crate::config::Waiver;
use crate::diag::Diagnostic;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::WaiverUnknownItem,
    severity: Severity::Error,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(waiver: &Waiver) -> Diagnostic {
    Diagnostic {
        code: Code::WaiverUnknownItem,
        severity: Code::WaiverUnknownItem.default_severity(),
        item: None,
        location: waiver.location.clone(),
        label: None,
        message: format!(
            "waiver for `{}` names item `{}`, which no item file has",
            waiver.rule.as_str(),
            waiver.item
        ),
        help: Some("write the item's id as its file has it, or remove the waiver".into()),
        related: Vec::new(),
        fix: None,
    }
}
