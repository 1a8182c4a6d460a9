//! A waiver in `poam.yaml` has expired: the findings it accepted are back.
//!
//! ## What it does
//! Reports an entry of `waivers` whose `expires` date is before today, at the waiver's line in
//! `poam.yaml`, saying since when. The findings of its rule on its item are no longer waived:
//! they are reported again as usual.
//!
//! ## Why it matters
//! An accepted risk is accepted for a time. When that time is over the acceptance must be
//! renewed (a new decision, a new date) or the weakness fixed; a waiver left to lapse silently
//! would either hide the finding for ever or bring it back without a word.
//!
//! ## Example
//! ```yaml
//! waivers:   # today is 2026-11-25
//!   - {item: V-12, rule: overdue, reason: AO accepted the delay, expires: 2026-10-31}
//! ```
//!
//! ## How to fix
//! Fix what the finding reports, or record a renewed acceptance with a new `expires` date
//! (and its ticket), or remove the waiver.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide §3 (risk adjustments and operational requirements
//! are reviewed, not granted for ever).

use chrono::NaiveDate;

use crate::config::Waiver;
use crate::diag::Diagnostic;
use crate::policy::days_between;

use super::{days, Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::WaiverExpired,
    severity: Severity::Warning,
    check: Check::Config,
    sets: &[RuleSet::Common],
};

pub fn check(waiver: &Waiver, today: NaiveDate) -> Option<Diagnostic> {
    if waiver.expires >= today {
        return None;
    }
    Some(Diagnostic {
        code: Code::WaiverExpired,
        severity: Code::WaiverExpired.default_severity(),
        item: Some(waiver.item.clone()),
        location: waiver.location.clone(),
        label: None,
        message: format!(
            "waiver of `{}` on `{}` expired on {} ({} ago): its findings are reported again",
            waiver.rule.as_str(),
            waiver.item,
            waiver.expires,
            days(days_between(waiver.expires, today))
        ),
        help: Some(
            "fix the finding, or renew the acceptance with a new `expires` date, or remove the waiver"
                .into(),
        ),
        related: Vec::new(),
        fix: None,
    })
}
