//! The rule registry: every code, its default severity, its documentation, and the checks.
//!
//! One rule per file. Codes are stable and never reused.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::history::audit::{AuditRule, Violation};
use crate::history::diff::lookup_nearest;
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::{Node, Span};
use crate::policy::{Assessment, Profile};
use crate::source::SourceFile;
use strum::IntoEnumIterator;

mod auto_approve_too_far;
mod closed_inconsistent;
mod closed_operational_requirement;
mod date_order;
mod deadlines_inverted;
mod detected_changed;
mod due_beyond_policy;
mod due_changed;
mod due_soon;
pub mod duplicate_id;
mod future_date;
mod history_shallow;
mod history_unavailable;
mod id_changed;
mod id_mismatch;
mod invalid_value;
mod item_deleted;
mod kev_mismatch;
mod milestone_after_due;
mod milestone_changes_rewritten;
mod milestone_overdue;
mod milestone_reference;
mod milestones_rewritten;
mod missing_field;
mod operational_requirement_high;
mod overdue;
pub mod parse_error;
mod reopened;
mod risk_changed;
mod status_stale;
mod unknown_field;
mod vendor_checkin_stale;
mod vendor_dependency_high;

pub use crate::code::{is_history_code, Code, DOCS_BASE, HISTORY_CODES, RULE_DOCS};

/// The current file of an item, for pointing history findings at today's line.
pub struct CurrentFile<'a> {
    pub source: &'a SourceFile,
    pub node: std::rc::Rc<Node>,
}

/// What a history rule sees: the violation found by [`crate::history::audit`] and the
/// current files to point into.
pub struct HistoryContext<'a> {
    /// Item id, and file name, → the current file.
    pub current: HashMap<String, CurrentFile<'a>>,
}

impl HistoryContext<'_> {
    /// A finding at the violated field's line in the current file (or at the path the change
    /// touched, when the item no longer exists), naming the change that broke the rule.
    pub fn report(&self, code: Code, violation: &Violation) -> Diagnostic {
        let current = self
            .current
            .get(&violation.item_id)
            .or_else(|| self.current.get(&violation.path));
        let location = match current {
            Some(current) => {
                let node = if violation.field.is_empty() {
                    &current.node
                } else {
                    lookup_nearest(&current.node, &violation.field)
                };
                current.source.location(node.span)
            }
            None => file_start(&violation.path),
        };
        let by = match violation.source.commit() {
            Some(commit) => format!(
                "commit {} by {} on {}",
                commit.short_id(),
                commit.author.name,
                commit.time.date_naive()
            ),
            None => "uncommitted change in the working tree".to_owned(),
        };
        Diagnostic {
            code,
            severity: code.default_severity(),
            item: Some(violation.item_id.clone()),
            location,
            label: Some(by.clone()),
            message: format!("{} ({by})", violation.message()),
            help: None,
            related: Vec::new(),
        }
    }
}

/// Turns the audit's violations into findings, one rule file per kind.
pub fn check_history(
    config: &Config,
    violations: &[Violation],
    ctx: &HistoryContext,
) -> Vec<Diagnostic> {
    let diagnostics = violations
        .iter()
        .map(|v| match v.rule {
            AuditRule::DetectedChanged => detected_changed::check(v, ctx),
            AuditRule::RiskChanged => risk_changed::check(v, ctx),
            AuditRule::DueChanged => due_changed::check(v, ctx),
            AuditRule::MilestonesRewritten => milestones_rewritten::check(v, ctx),
            AuditRule::MilestoneChangesRewritten => milestone_changes_rewritten::check(v, ctx),
            AuditRule::ItemDeleted { .. } => item_deleted::check(v, ctx),
            AuditRule::IdChanged => id_changed::check(v, ctx),
            AuditRule::Reopened => reopened::check(v, ctx),
        })
        .collect();
    apply_levels(config, diagnostics)
}

/// Findings about `poam.yaml` itself.
pub fn check_config(config: &Config, source: &SourceFile) -> Vec<Diagnostic> {
    apply_levels(
        config,
        deadlines_inverted::check(config, source)
            .into_iter()
            .collect(),
    )
}

/// Where folder-level findings point: `poam.yaml` when there is one, else the items folder.
pub struct ItemsFolder {
    pub name: String,
}

impl ItemsFolder {
    fn report(&self, code: Code, message: String) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            item: None,
            location: file_start(&self.name),
            label: None,
            message,
            help: None,
            related: Vec::new(),
        }
    }
}

pub fn history_unavailable(config: &Config, folder: &ItemsFolder, reason: &str) -> Vec<Diagnostic> {
    apply_levels(config, vec![history_unavailable::check(folder, reason)])
}

pub fn history_shallow(config: &Config, folder: &ItemsFolder, warning: &str) -> Vec<Diagnostic> {
    apply_levels(config, vec![history_shallow::check(folder, warning)])
}

fn file_start(file: &str) -> Location {
    let start = crate::model::LineCol { line: 1, column: 1 };
    Location {
        file: file.to_owned(),
        span: Span::new(0, 0),
        start,
        end: start,
    }
}

/// What an item rule sees: one parsed item and everything around it.
pub struct ItemContext<'a> {
    pub file: &'a SourceFile,
    pub item: &'a Item,
    pub config: &'a Config,
    pub today: NaiveDate,
    pub kev: Option<&'a KevCatalog>,
    /// The file name without extension.
    pub file_stem: &'a str,
    /// Everything computed about the item as of `today`.
    pub assessment: &'a Assessment,
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
    (Code::FutureDate, future_date::check),
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

/// Every profile.
const EVERY_PROFILE: &[Profile] = &[Profile::FedrampRev5];
/// The Rev5 POA&M's deadline model: 30/90/180 days, deviations moving deadlines, vendor
/// dependency excuses.
const REV5: &[Profile] = &[Profile::FedrampRev5];

/// The profiles a rule belongs to. Rules about the item format and the audit trail apply to
/// every profile; deadline rules to the profile whose deadline model they judge.
pub fn profiles(code: Code) -> &'static [Profile] {
    match code {
        Code::DueBeyondPolicy
        | Code::Overdue
        | Code::DueSoon
        | Code::MilestoneOverdue
        | Code::MilestoneAfterDue
        | Code::VendorCheckinStale
        | Code::VendorDependencyHigh
        | Code::OperationalRequirementHigh
        | Code::AutoApproveTooFar
        | Code::DueChanged => REV5,
        _ => EVERY_PROFILE,
    }
}

/// The rules of `profile`, in code order.
pub fn rules_of(profile: Profile) -> Vec<Code> {
    Code::iter()
        .filter(|code| profiles(*code).contains(&profile))
        .collect()
}

/// Whether findings of `code` are reported: the rule belongs to the configured profile and
/// `rules:` does not turn it off.
pub fn enabled(config: &Config, code: Code) -> bool {
    profiles(code).contains(&config.policy.profile)
        && config.level_of(code, code.default_severity()).is_some()
}

/// Runs every enabled item rule and applies the configured severities.
pub fn check_item(ctx: &ItemContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (code, rule) in ITEM_RULES {
        if enabled(ctx.config, *code) {
            rule(ctx, &mut out);
        }
    }
    apply_levels(ctx.config, out)
}

/// Applies the profile and `rules:` from the config: drops findings of rules outside the
/// profile or turned off, and overrides severities.
pub fn apply_levels(config: &Config, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter_map(|mut d| {
            if !profiles(d.code).contains(&config.policy.profile) {
                return None;
            }
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
