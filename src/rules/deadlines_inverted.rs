//! The configured deadlines give a higher rating more time than a lower one.
//!
//! ## What it does
//! Warns when `deadlines:` in `poam.yaml` allows more days for a higher rating than for a
//! lower one: critical more than high, high more than moderate, or moderate more than low.
//!
//! ## Why it matters
//! An inverted table is almost always a typo (`high: 90, moderate: 30`), and every deadline
//! rule then measures against it: High items get three months and nobody notices.
//!
//! ## Example
//! ```yaml
//! deadlines: {critical: 30, high: 90, moderate: 30, low: 180}
//! ```
//!
//! ## How to fix
//! Give each rating at most the days of the rating below it; FedRAMP Rev5 allows 30 (High and
//! Critical), 90 (Moderate) and 180 (Low) days.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP Continuous Monitoring Strategy Guide, RA-5(d): High 30, Moderate 90, Low 180 days.

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::source::SourceFile;

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::DeadlinesInverted,
    severity: Severity::Warning,
    check: Check::Config,
    sets: &[RuleSet::Rev5],
};

/// `source` is `poam.yaml` named as findings name files (relative to the repository root).
pub fn check(config: &Config, source: &SourceFile) -> Option<Diagnostic> {
    let d = config.policy.deadlines;
    let steps = [
        ("critical", d.critical, "high", d.high),
        ("high", d.high, "moderate", d.moderate),
        ("moderate", d.moderate, "low", d.low),
    ];
    let inverted: Vec<String> = steps
        .iter()
        .filter(|(_, higher_days, _, lower_days)| higher_days > lower_days)
        .map(|(higher, higher_days, lower, lower_days)| {
            format!("{higher} ({higher_days} days) is longer than {lower} ({lower_days} days)")
        })
        .collect();
    if inverted.is_empty() {
        return None;
    }
    let span = config.deadlines_span?;
    Some(Diagnostic {
        code: Code::DeadlinesInverted,
        severity: Code::DeadlinesInverted.default_severity(),
        item: None,
        location: source.location(span),
        label: Some("inverted".into()),
        message: format!("deadlines are inverted: {}", inverted.join("; ")),
        help: Some(
            "a higher rating gets at most the days of a lower one (FedRAMP Rev5: 30/30/90/180)"
                .into(),
        ),
        related: Vec::new(),
        fix: None,
    })
}
