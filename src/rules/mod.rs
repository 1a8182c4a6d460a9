//! The rule registry: every code, its default severity, its documentation, and the checks.
//!
//! One rule per file. Codes are stable and never reused.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::history::diff::lookup_nearest;
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::{Node, Span};
use crate::policy::Assessment;
use crate::source::SourceFile;

mod auto_approve_too_far;
mod closed_inconsistent;
mod closed_operational_requirement;
mod date_order;
mod detected_changed;
mod due_beyond_policy;
mod due_changed;
mod due_soon;
pub mod duplicate_id;
pub mod history;
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
mod waiver_unknown_commit;
mod waiver_unmatched;

pub use crate::code::{is_history_code, Code, DOCS_BASE, HISTORY_CODES, RULE_DOCS};
pub use history::{Breach, Violation};

/// The current file of an item, for pointing history findings at today's line.
pub struct CurrentFile<'a> {
    pub source: &'a SourceFile,
    pub node: std::rc::Rc<Node>,
}

/// What a history finding needs to point at today's line: the current files.
pub struct HistoryContext<'a> {
    /// Item id, and file name, → the current file.
    pub current: HashMap<String, CurrentFile<'a>>,
}

impl HistoryContext<'_> {
    /// A finding at the violated field's line in the current file (or at the path the change
    /// touched, when the item no longer exists), naming the change that broke the rule.
    pub fn report(&self, violation: &Violation) -> Diagnostic {
        let breach = &violation.breach;
        let current = self
            .current
            .get(&violation.item_id)
            .or_else(|| self.current.get(&violation.path));
        let location = match current {
            Some(current) => {
                let node = if breach.field.is_empty() {
                    &current.node
                } else {
                    lookup_nearest(&current.node, &breach.field)
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
            code: breach.code,
            severity: breach.severity,
            item: Some(violation.item_id.clone()),
            location,
            label: Some(by.clone()),
            message: format!("{} ({by})", breach.message),
            help: Some(breach.help.clone()).filter(|h| !h.is_empty()),
            related: Vec::new(),
        }
    }
}

/// Turns the history rules' violations into findings.
pub fn check_history(
    config: &Config,
    violations: &[Violation],
    ctx: &HistoryContext,
) -> Vec<Diagnostic> {
    let diagnostics = violations.iter().map(|v| ctx.report(v)).collect();
    apply_levels(config, diagnostics)
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

pub use history_unavailable::Unavailable;

pub fn history_unavailable(
    config: &Config,
    folder: &ItemsFolder,
    why: Unavailable,
) -> Vec<Diagnostic> {
    apply_levels(config, vec![history_unavailable::check(folder, why)])
}

pub fn history_shallow(config: &Config, folder: &ItemsFolder, warning: &str) -> Vec<Diagnostic> {
    apply_levels(config, vec![history_shallow::check(folder, warning)])
}

/// Findings about `history_waivers`: waivers whose commit is not in the repository, and (in
/// full-history mode, `matches` given per waiver) waivers that matched no violation.
pub fn check_waivers(
    config: &Config,
    unknown: &[bool],
    matches: Option<&[usize]>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, waiver) in config.history_waivers.iter().enumerate() {
        if unknown.get(index).copied().unwrap_or(false) {
            out.push(waiver_unknown_commit::check(waiver));
        } else if matches.is_some_and(|m| m.get(index) == Some(&0)) {
            out.push(waiver_unmatched::check(waiver));
        }
    }
    apply_levels(config, out)
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
