//! The rule registry: every code, its default severity, its documentation, and the checks.
//!
//! One rule per file. Codes are stable and never reused.

use chrono::NaiveDate;
use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};

use crate::config::Config;
use crate::diag::{Diagnostic, Severity};
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::Span;
use crate::source::SourceFile;

mod auto_approve_too_far;
mod closed_inconsistent;
mod closed_operational_requirement;
mod date_order;
mod due_beyond_policy;
mod due_soon;
pub mod duplicate_id;
mod id_mismatch;
mod invalid_value;
mod kev_mismatch;
mod milestone_after_due;
mod milestone_overdue;
mod milestone_reference;
mod missing_field;
mod operational_requirement_high;
mod overdue;
pub mod parse_error;
mod status_stale;
mod unknown_field;
mod vendor_checkin_stale;
mod vendor_dependency_high;

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// Every finding's code. Kebab-case names are the stable public identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    ParseError,
    UnknownField,
    MissingField,
    InvalidValue,
    DuplicateId,
    IdMismatch,
    MilestoneReference,
    DateOrder,
    DueBeyondPolicy,
    Overdue,
    DueSoon,
    MilestoneOverdue,
    MilestoneAfterDue,
    VendorCheckinStale,
    VendorDependencyHigh,
    OperationalRequirementHigh,
    AutoApproveTooFar,
    ClosedOperationalRequirement,
    ClosedInconsistent,
    StatusStale,
    KevMismatch,
}

impl Code {
    pub const NAMES: &'static [&'static str] = &[
        "parse-error",
        "unknown-field",
        "missing-field",
        "invalid-value",
        "duplicate-id",
        "id-mismatch",
        "milestone-reference",
        "date-order",
        "due-beyond-policy",
        "overdue",
        "due-soon",
        "milestone-overdue",
        "milestone-after-due",
        "vendor-checkin-stale",
        "vendor-dependency-high",
        "operational-requirement-high",
        "auto-approve-too-far",
        "closed-operational-requirement",
        "closed-inconsistent",
        "status-stale",
        "kev-mismatch",
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<Code> {
        Code::iter().find(|c| c.as_str() == name)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::DueSoon => Severity::Note,
            Code::MilestoneOverdue | Code::MilestoneAfterDue | Code::StatusStale => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// The rule's documentation, from its file's `//!` comment.
    pub fn doc(self) -> &'static str {
        RULE_DOCS
            .iter()
            .find(|(code, _)| *code == self.as_str())
            .map_or("", |(_, doc)| doc)
    }

    /// The first line of the documentation.
    pub fn summary(self) -> &'static str {
        self.doc().lines().next().unwrap_or("")
    }

    /// Where the rule's documentation page lives.
    pub fn help_uri(self) -> String {
        format!("{DOCS_BASE}/{}.md", self.as_str())
    }
}

pub const DOCS_BASE: &str = "https://github.com/poam-dev/poam/blob/main/docs/rules";

/// Rules that compare versions of an item along git history.
pub fn is_history_code(code: Code) -> bool {
    HISTORY_CODES.contains(&code)
}

pub const HISTORY_CODES: &[Code] = &[];

/// What an item rule sees: one parsed item and everything around it.
pub struct ItemContext<'a> {
    pub file: &'a SourceFile,
    pub item: &'a Item,
    pub config: &'a Config,
    pub today: NaiveDate,
    pub kev: Option<&'a KevCatalog>,
    /// The file name without extension.
    pub file_stem: &'a str,
    /// When the item last changed in git history; stands in for a missing `status_date`.
    pub last_changed: Option<NaiveDate>,
}

impl ItemContext<'_> {
    /// A finding of `code` at `span` in this item's file, at the code's default severity.
    pub fn report(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            item: self.item.id_text().map(str::to_owned),
            location: self.file.location(span),
            label: None,
            message: message.into(),
            help: None,
            related: Vec::new(),
        }
    }
}

type ItemRule = fn(&ItemContext, &mut Vec<Diagnostic>);

/// Rules that look at one item at a time, in code order.
pub const ITEM_RULES: &[(Code, ItemRule)] = &[
    (Code::UnknownField, unknown_field::check),
    (Code::MissingField, missing_field::check),
    (Code::InvalidValue, invalid_value::check),
    (Code::IdMismatch, id_mismatch::check),
    (Code::MilestoneReference, milestone_reference::check),
    (Code::DateOrder, date_order::check),
    (Code::DueBeyondPolicy, due_beyond_policy::check),
    (Code::Overdue, overdue::check),
    (Code::DueSoon, due_soon::check),
    (Code::MilestoneOverdue, milestone_overdue::check),
    (Code::MilestoneAfterDue, milestone_after_due::check),
    (Code::VendorCheckinStale, vendor_checkin_stale::check),
    (Code::VendorDependencyHigh, vendor_dependency_high::check),
    (
        Code::OperationalRequirementHigh,
        operational_requirement_high::check,
    ),
    (Code::AutoApproveTooFar, auto_approve_too_far::check),
    (
        Code::ClosedOperationalRequirement,
        closed_operational_requirement::check,
    ),
    (Code::ClosedInconsistent, closed_inconsistent::check),
    (Code::StatusStale, status_stale::check),
    (Code::KevMismatch, kev_mismatch::check),
];

/// Runs every enabled item rule and applies the configured severities.
pub fn check_item(ctx: &ItemContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (code, rule) in ITEM_RULES {
        if ctx
            .config
            .level_of(*code, code.default_severity())
            .is_some()
        {
            rule(ctx, &mut out);
        }
    }
    apply_levels(ctx.config, out)
}

/// Applies `rules:` from the config: overrides severities and drops what is off.
pub fn apply_levels(config: &Config, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.severity = config.level_of(d.code, d.severity)?;
            Some(d)
        })
        .collect()
}

/// `n day(s)`.
pub(crate) fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}
