//! The rule registry: every code, its default severity, its documentation, and the checks.
//!
//! One rule per file. Codes are stable and never reused.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::{Diagnostic, Location};
use crate::history::audit::{Run, Step};
use crate::history::diff::{lookup, lookup_nearest, same_opt};
use crate::history::item_id;
use crate::history::Source;
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::{Node, Span};
use crate::policy::{Assessment, Profile};
use crate::source::SourceFile;
use strum::IntoEnumIterator;

mod asset_retired;
mod asset_unknown;
mod auto_approve_too_far;
mod closed_inconsistent;
mod closed_operational_requirement;
mod control_character;
mod control_not_in_baseline;
mod control_spelling;
mod control_unknown;
mod control_withdrawn;
mod date_order;
mod deadlines_inverted;
mod detected_changed;
mod due_beyond_policy;
mod due_changed;
mod due_soon;
pub mod duplicate_id;
mod duplicate_id_history;
mod future_date;
pub mod history;
mod history_rebase_merge;
mod history_shallow;
mod history_unavailable;
mod id_changed;
mod id_mismatch;
mod invalid_value;
mod inventory_alias_conflict;
mod inventory_duplicate_id;
mod inventory_invalid;
mod inventory_missing_field;
mod inventory_not_scanned;
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
mod owner_departed;
mod owner_unknown;
pub mod parse_error;
mod people_duplicate_id;
mod people_invalid;
mod reopened;
mod risk_changed;
mod status_stale;
mod unknown_field;
mod vdr_accepted_incomplete;
mod vdr_backdated;
mod vdr_disposition_missing;
mod vdr_evaluation_changed;
mod vdr_evaluation_incomplete;
mod vdr_evaluation_late;
mod vdr_false_positive_conflict;
mod vdr_incident_irv;
mod vdr_incident_nirv;
mod vdr_kev_not_remediated;
mod vdr_legacy_field;
mod vdr_must_accept;
mod vdr_needs_time;
mod vdr_next_reduction_invalid;
mod vdr_next_reduction_missing;
mod vdr_nlev_unjustified;
mod vdr_not_evaluated;
mod vdr_overdue_unexplained;
mod vdr_reduction_invalid;
mod vdr_reduction_late;
mod vdr_reductions_rewritten;
mod vendor_checkin_stale;
mod vendor_dependency_high;
mod waiver_unknown_commit;
mod waiver_unmatched;

pub use crate::code::{is_history_code, Code, RuleSet, DOCS_BASE, HISTORY_CODES, RULE_DOCS};
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
        let mut diagnostic = self.report_change(
            breach.code,
            &violation.item_id,
            &violation.path,
            &breach.field,
            &violation.source,
            breach.message.clone(),
        );
        diagnostic.severity = breach.severity;
        diagnostic.help = Some(breach.help.clone().into()).filter(|h: &Cow<str>| !h.is_empty());
        diagnostic
    }

    /// A finding of `code` at `field` of the item's current file (else at `path`), naming
    /// the change (`source`) that broke the rule.
    pub fn report_change(
        &self,
        code: Code,
        item_id: &str,
        path: &str,
        field: &str,
        source: &Source,
        message: String,
    ) -> Diagnostic {
        let current = self.current.get(item_id).or_else(|| self.current.get(path));
        let location = match current {
            Some(current) => {
                let node = if field.is_empty() {
                    &current.node
                } else {
                    lookup_nearest(&current.node, field)
                };
                current.source.location(node.span)
            }
            None => file_start(path),
        };
        let by = match source.commit() {
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
            item: Some(item_id.to_owned()),
            location,
            label: Some(by.clone().into()),
            message: format!("{message} ({by})"),
            help: None,
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

/// Findings about `poam.yaml` itself.
pub fn check_config(config: &Config, source: &SourceFile) -> Vec<Diagnostic> {
    apply_levels(
        config,
        deadlines_inverted::check(config, source)
            .into_iter()
            .collect(),
    )
}

type HistoryRule = fn(&Run, &mut Vec<Breach>);

/// The history rules, in the order their findings are listed within one change.
pub const HISTORY_RULES: &[(Code, HistoryRule)] = &[
    (Code::DetectedChanged, detected_changed::check),
    (Code::RiskChanged, risk_changed::check),
    (Code::DueChanged, due_changed::check),
    (Code::MilestonesRewritten, milestones_rewritten::check),
    (
        Code::MilestoneChangesRewritten,
        milestone_changes_rewritten::check,
    ),
    (Code::IdChanged, id_changed::check),
    (Code::Reopened, reopened::check),
    (Code::DuplicateIdHistory, duplicate_id_history::check),
    (Code::ItemDeleted, item_deleted::check),
    (Code::VdrEvaluationChanged, vdr_evaluation_changed::check),
    (
        Code::VdrReductionsRewritten,
        vdr_reductions_rewritten::check,
    ),
    (Code::VdrBackdated, vdr_backdated::check),
];

/// Every history rule of `profile` broken along the runs (`crate::history::audit`), per run in
/// history order, each naming the commit that broke it.
pub fn judge_history(runs: &[Run], profile: Profile) -> Vec<Violation> {
    let rules: Vec<HistoryRule> = HISTORY_RULES
        .iter()
        .filter(|(code, _)| applies(*code, profile))
        .map(|(_, rule)| *rule)
        .collect();
    let mut violations = Vec::new();
    for run in runs {
        let mut breaches = Vec::new();
        for rule in &rules {
            rule(run, &mut breaches);
        }
        if !run.is_pr() {
            undone_pairs(run, &mut breaches);
        }
        // Stable: within one change, rule order.
        breaches.sort_by_key(|b| b.at);
        for breach in breaches {
            if let Some(violation) = locate(run, breach) {
                violations.push(violation);
            }
        }
    }
    violations
}

/// Full mode cannot see where a rebase-merged or fast-forwarded pull request began and ended,
/// but it can see a change that broke a rule and that the item's very next version undid,
/// breaking the same rule on the same field back: the file's net change over the two commits
/// is nothing, which is what a reviewer of the pull request saw. Both are left unreported (the
/// log still shows them). A legitimate change undone later (closing, then reopening) is not a
/// pair of breaches and stays reported.
fn undone_pairs(run: &Run, breaches: &mut Vec<Breach>) {
    // Compared by top-level key: removing a planned milestone (`milestones`) and adding it
    // back (`milestones[1]`) is one undone change of `milestones`.
    let key = |b: &Breach| -> String { b.field.split(['.', '[']).next().unwrap_or("").to_owned() };
    let restores = |first: &Breach, second: &Breach| {
        let field = key(first);
        // A breach of one version of its own (a duplicate file) is not a change of the item.
        first.site.is_none()
            && second.site.is_none()
            && second.at == first.at + 1
            && second.code == first.code
            && !field.is_empty()
            && key(second) == field
            && second.at < run.steps.len()
            && same_opt(
                lookup(run.steps[second.at].node, &field),
                lookup(run.steps[first.at - 1].node, &field),
            )
    };
    let undone: Vec<bool> = breaches
        .iter()
        .map(|b| breaches.iter().any(|o| restores(b, o) || restores(o, b)))
        .collect();
    let mut index = 0;
    breaches.retain(|_| {
        index += 1;
        !undone[index - 1]
    });
}

fn locate(run: &Run, breach: Breach) -> Option<Violation> {
    if let Some(site) = &breach.site {
        return Some(Violation {
            item_id: site.item_id.clone().unwrap_or_else(|| run.item.id.clone()),
            source: site.source.clone(),
            path: site.path.clone(),
            breach,
        });
    }
    if breach.at >= run.steps.len() {
        let deletion = run.deletion?;
        let item_id = run
            .last_node()
            .and_then(item_id)
            .unwrap_or_else(|| run.item.id.clone());
        return Some(Violation {
            item_id,
            source: deletion.version.source.clone(),
            path: deletion.version.path.clone(),
            breach,
        });
    }
    let step: &Step = &run.steps[breach.at];
    let blamed = run.blame(breach.at, &breach.field)?;
    Some(Violation {
        item_id: item_id(step.node).unwrap_or_else(|| run.item.id.clone()),
        source: blamed.source.clone(),
        path: step.version.path.clone(),
        breach,
    })
}

/// Pull-request mode: what a rebase or fast-forward merge of the pull request would leave in
/// main's history that its net change does not (`history-rebase-merge`).
pub fn rebase_merge_violations(
    config: &Config,
    pr: &crate::history::PrHistory,
    cutoff: Option<&crate::history::Cutoff>,
) -> Vec<Violation> {
    history_rebase_merge::check(config, pr, cutoff)
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
    pub assessment: &'a Assessment<'a>,
    /// The people file, when the repository has one.
    pub people: Option<&'a crate::people::People>,
    /// The inventory, when the repository has one.
    pub inventory: Option<&'a crate::inventory::Inventory>,
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
    (Code::ControlCharacter, control_character::check),
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
    (Code::VdrNotEvaluated, vdr_not_evaluated::check),
    (Code::VdrEvaluationLate, vdr_evaluation_late::check),
    (
        Code::VdrEvaluationIncomplete,
        vdr_evaluation_incomplete::check,
    ),
    (Code::VdrNlevUnjustified, vdr_nlev_unjustified::check),
    (Code::VdrReductionInvalid, vdr_reduction_invalid::check),
    (Code::VdrReductionLate, vdr_reduction_late::check),
    (
        Code::VdrNextReductionMissing,
        vdr_next_reduction_missing::check,
    ),
    (
        Code::VdrNextReductionInvalid,
        vdr_next_reduction_invalid::check,
    ),
    (Code::VdrOverdueUnexplained, vdr_overdue_unexplained::check),
    (Code::VdrMustAccept, vdr_must_accept::check),
    (Code::VdrAcceptedIncomplete, vdr_accepted_incomplete::check),
    (Code::VdrDispositionMissing, vdr_disposition_missing::check),
    (
        Code::VdrFalsePositiveConflict,
        vdr_false_positive_conflict::check,
    ),
    (Code::VdrKevNotRemediated, vdr_kev_not_remediated::check),
    (Code::VdrIncidentIrv, vdr_incident_irv::check),
    (Code::VdrIncidentNirv, vdr_incident_nirv::check),
    (Code::VdrNeedsTime, vdr_needs_time::check),
    (Code::VdrLegacyField, vdr_legacy_field::check),
    (Code::ControlUnknown, control_unknown::check),
    (Code::ControlWithdrawn, control_withdrawn::check),
    (Code::ControlNotInBaseline, control_not_in_baseline::check),
    (Code::ControlSpelling, control_spelling::check),
    (Code::OwnerUnknown, owner_unknown::check),
    (Code::OwnerDeparted, owner_departed::check),
    (Code::AssetUnknown, asset_unknown::check),
    (Code::AssetRetired, asset_retired::check),
];

/// Findings about the people file itself.
pub fn check_people(config: &Config, people: &crate::people::People) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    people_invalid::check(people, &mut out);
    people_duplicate_id::check(people, &mut out);
    apply_levels(config, out)
}

/// Findings about the inventory itself, each in the inventory file it concerns.
pub fn check_inventory(
    config: &Config,
    inventory: &crate::inventory::Inventory,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    inventory_invalid::check(inventory, &mut out);
    inventory_duplicate_id::check(inventory, &mut out);
    inventory_alias_conflict::check(inventory, &mut out);
    if enabled(config, Code::InventoryMissingField) {
        inventory_missing_field::check(config, inventory, today, &mut out);
    }
    if enabled(config, Code::InventoryNotScanned) {
        inventory_not_scanned::check(config, inventory, today, &mut out);
    }
    apply_levels(config, out)
}

/// A finding of `code` about the inventory, at `span` of its file number `file`.
fn inventory_report(
    inventory: &crate::inventory::Inventory,
    code: Code,
    file: usize,
    span: Span,
    message: String,
) -> Diagnostic {
    let location = inventory
        .file(file)
        .map_or_else(|| file_start(""), |source| source.location(span));
    Diagnostic {
        code,
        severity: code.default_severity(),
        item: None,
        location,
        label: None,
        message,
        help: None,
        related: Vec::new(),
    }
}

/// True when `code` is checked under `profile`: the profile includes the rule's set.
pub fn applies(code: Code, profile: Profile) -> bool {
    profile.rule_sets().contains(&code.rule_set())
}

/// The rules of `profile`, in code order.
pub fn rules_of(profile: Profile) -> Vec<Code> {
    Code::iter()
        .filter(|code| applies(*code, profile))
        .collect()
}

/// Whether findings of `code` are reported: the rule belongs to the configured profile and
/// `rules:` does not turn it off.
pub fn enabled(config: &Config, code: Code) -> bool {
    applies(code, config.policy.profile) && config.level_of(code, code.default_severity()).is_some()
}

/// Runs every enabled item rule of the profile and applies the configured severities.
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
    let profile = config.policy.profile;
    diagnostics
        .into_iter()
        .filter(|d| applies(d.code, profile))
        .filter_map(|mut d| {
            d.severity = config.level_of(d.code, d.severity)?;
            Some(d)
        })
        .collect()
}

/// `n day(s)`, written straight into a finding's message.
pub(crate) fn days(n: i64) -> Days {
    Days(n)
}

pub(crate) struct Days(i64);

impl std::fmt::Display for Days {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0;
        if n.abs() == 1 {
            write!(f, "{n} day")
        } else {
            write!(f, "{n} days")
        }
    }
}

/// Where an item's current CR26 rating was written: the last recorded reduction's `pain`
/// that counts, else `vdr.pain`, else the `vdr` key.
pub(crate) fn current_rating_span(item: &Item, today: NaiveDate) -> Span {
    let Some(vdr) = &item.vdr else {
        return item.status.as_ref().map_or(item.span, |s| s.span);
    };
    vdr.reductions()
        .iter()
        .rev()
        .find_map(|r| {
            let at = r.at.as_ref()?;
            let pain = r.pain.as_ref()?;
            (at.value.date() <= today && crate::policy::cr26::valid_pain(pain.value).is_some())
                .then_some(pain.span)
        })
        .or_else(|| vdr.pain.as_ref().map(|p| p.span))
        .unwrap_or(vdr.key_span)
}

/// The first line of `span` in `text`: a finding on a whole mapping underlines its first line.
pub(crate) fn first_line(text: &str, span: Span) -> Span {
    let end = text
        .get(span.start..span.end)
        .and_then(|s| s.find('\n'))
        .map_or(span.end, |i| span.start + i);
    Span::new(span.start, end)
}
