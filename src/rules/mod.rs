//! The rules: one file per rule, each declaring itself (`RULE`: code, default severity,
//! check, sets) above its `//!` documentation, and the registry that collects them.
//!
//! Adding a rule is its file, its fixture and one `mod` line in the registry below (in code
//! order); build.rs generates the `Code` enum and the rule table from the same lines. Codes
//! are stable and never reused. Around the registry: `registry.rs` (what a rule declares),
//! `membership.rs` (which rules a profile checks), `item_context.rs` (what an item rule sees)
//! and `history/` (the history-rule engine). The entry points below run the rules that are
//! neither item nor history rules, by name.

use chrono::NaiveDate;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::history::{Cutoff, PrHistory};
use crate::model::Span;
use crate::policy::Profile;
use crate::source::SourceFile;

mod registry;
pub mod history;
mod item_context;
mod membership;

// The registry: one `mod` line per rule file, in code order (the order `poam rules`, the docs
// and the schemas list the codes in; `reorder_modules = false` in rustfmt.toml keeps it).
// build.rs reads these lines to generate the `Code` enum and the table of the rules'
// declarations.
// registry begin
mod parse_error;
mod unknown_field;
mod missing_field;
mod invalid_value;
mod control_character;
mod duplicate_id;
mod id_mismatch;
mod milestone_reference;
mod date_order;
mod future_date;
mod due_beyond_policy;
mod overdue;
mod due_soon;
mod milestone_overdue;
mod milestone_after_due;
mod vendor_checkin_stale;
mod vendor_dependency_high;
mod operational_requirement_high;
mod auto_approve_too_far;
mod closed_operational_requirement;
mod closed_inconsistent;
mod status_stale;
mod kev_mismatch;
mod deadlines_inverted;
mod detected_changed;
mod risk_changed;
mod due_changed;
mod milestones_rewritten;
mod milestone_changes_rewritten;
mod item_deleted;
mod id_changed;
mod reopened;
mod duplicate_id_history;
mod history_unavailable;
mod history_shallow;
mod history_rebase_merge;
mod decision_unauthorized;
mod vdr_not_evaluated;
mod vdr_evaluation_late;
mod vdr_evaluation_incomplete;
mod vdr_nlev_unjustified;
mod vdr_reduction_invalid;
mod vdr_reduction_late;
mod vdr_next_reduction_missing;
mod vdr_next_reduction_invalid;
mod vdr_overdue_unexplained;
mod vdr_must_accept;
mod vdr_accepted_incomplete;
mod vdr_disposition_missing;
mod vdr_false_positive_conflict;
mod vdr_kev_not_remediated;
mod vdr_incident_irv;
mod vdr_incident_nirv;
mod vdr_needs_time;
mod vdr_legacy_field;
mod vdr_evaluation_changed;
mod vdr_reductions_rewritten;
mod vdr_backdated;
mod waiver_unknown_commit;
mod waiver_unmatched;
mod control_unknown;
mod control_withdrawn;
mod control_not_in_baseline;
mod control_spelling;
mod owner_unknown;
mod owner_departed;
mod people_invalid;
mod people_duplicate_id;
mod codeowners_stale;
mod asset_unknown;
mod asset_retired;
mod inventory_invalid;
mod inventory_duplicate_id;
mod inventory_missing_field;
mod inventory_alias_conflict;
mod inventory_not_scanned;
mod rmf_status_fields;
mod rmf_matrix;
mod rmf_length;
mod rmf_office_org;
mod rmf_milestone_after_due;
mod rmf_overdue;
mod cmmc_assessment_invalid;
mod cmmc_unknown_requirement;
mod cmmc_unplanned;
mod cmmc_not_eligible;
mod cmmc_closeout;
mod cmmc_level_one;
mod evidence_missing;
mod evidence_altered;
mod evidence_rewritten;
mod closed_without_evidence;
mod waiver_unknown_item;
mod waiver_expired;
mod baseline_stale;
mod word_case;
// registry end

include!(concat!(env!("OUT_DIR"), "/rule_table.rs"));

pub use crate::code::{is_history_code, Code, RuleKind, RuleSet, Severity, DOCS_BASE, RULE_DOCS};
pub use duplicate_id::IdSite;
pub use history::{check_history, Breach, CurrentFile, HistoryContext, ItemsFolder, Violation};
pub use history_unavailable::Unavailable;
pub use item_context::ItemContext;
pub(crate) use item_context::{
    current_rating_span, days, first_line, never_fixed, year_first_date,
};
pub use membership::{applies, apply_levels, enabled, rules_of};
use registry::{Check, Rule};

/// Every history rule of `profile` broken along the runs (`crate::history::audit`), per run in
/// history order, each naming the commit that broke it.
pub fn judge_history(runs: &[crate::history::audit::Run], profile: Profile) -> Vec<Violation> {
    let rules: Vec<history::HistoryRule> = registry::history_rules()
        .filter(|(code, _)| applies(*code, profile))
        .map(|(_, rule)| rule)
        .collect();
    history::judge(runs, &rules)
}

/// Every decision rule of the profile (`decision-unauthorized`) broken along the runs, judged
/// by `authority`, each naming the commit that made the decision.
pub fn judge_decisions(
    runs: &[crate::history::audit::Run],
    profile: Profile,
    authority: &crate::authority::Authority,
) -> Vec<Violation> {
    let rules: Vec<history::DecisionRule> = registry::decision_rules()
        .filter(|(code, _)| applies(*code, profile))
        .map(|(_, rule)| rule)
        .collect();
    history::judge_decisions(runs, &rules, authority)
}

/// Runs every enabled item rule of the profile and applies the configured severities.
pub fn check_item(ctx: &ItemContext) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (code, rule) in registry::item_rules() {
        if enabled(ctx.config, code) {
            rule(ctx, &mut out);
        }
    }
    apply_levels(ctx.config, out)
}

/// A file that does not parse (`parse-error`).
pub fn parse_error(file: &SourceFile, error: &crate::parse::ParseError) -> Diagnostic {
    parse_error::diagnostic(file, error)
}

/// Ids that more than one item file carries (`duplicate-id`).
pub fn duplicate_ids(sites: &[IdSite]) -> Vec<Diagnostic> {
    duplicate_id::check(sites)
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

/// Findings about the people file itself.
pub fn check_people(config: &Config, people: &crate::people::People) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    people_invalid::check(people, &mut out);
    people_duplicate_id::check(people, &mut out);
    apply_levels(config, out)
}

/// The finding about a stale poam block of `.github/CODEOWNERS` (`codeowners-stale`), with
/// that file's text.
pub fn check_codeowners(
    workspace: &crate::workspace::Workspace,
    today: NaiveDate,
) -> Option<(Diagnostic, SourceFile)> {
    if !enabled(&workspace.config, Code::CodeownersStale) {
        return None;
    }
    let (diagnostic, source) = codeowners_stale::check(workspace, today)?;
    let mut found = apply_levels(&workspace.config, vec![diagnostic]);
    found.pop().map(|d| (d, source))
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

/// Findings about the CMMC assessment (`assessment.yaml`): what cannot be read, requirement
/// ids that do not exist, NOT MET requirements no item plans (`planned`: the requirement ids
/// the items name) and why Conditional status is not possible.
pub fn check_assessment(
    config: &Config,
    assessment: &crate::model::cmmc::CmmcAssessment,
    planned: &[&str],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    cmmc_assessment_invalid::check(assessment, &mut out);
    cmmc_unknown_requirement::check_assessment(assessment, &mut out);
    cmmc_unplanned::check(assessment, planned, &mut out);
    cmmc_not_eligible::check(assessment, &mut out);
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
        .map_or_else(|| history::file_start(""), |source| source.location(span));
    Diagnostic {
        code,
        severity: code.default_severity(),
        item: None,
        location,
        label: None,
        message,
        help: None,
        related: Vec::new(),
        fix: None,
    }
}

/// Pull-request mode: what a rebase or fast-forward merge of the pull request would leave in
/// main's history that its net change does not (`history-rebase-merge`).
pub fn rebase_merge_violations(
    config: &Config,
    pr: &PrHistory,
    cutoff: Option<&Cutoff>,
    authority: Option<&crate::authority::Authority>,
) -> Vec<Violation> {
    history_rebase_merge::check(config, pr, cutoff, authority)
}

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
/// Findings about the per-item `waivers` of `poam.yaml`: an item no file has, an expired
/// waiver, a waiver (neither) that matched no finding. `matches[i]` counts the findings
/// waiver `i` silenced.
pub fn check_item_waivers(
    config: &Config,
    today: NaiveDate,
    known_item: &dyn Fn(&str) -> bool,
    matches: &[usize],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (index, waiver) in config.waivers.iter().enumerate() {
        if !known_item(&waiver.item) {
            out.push(waiver_unknown_item::check(waiver));
        } else if let Some(expired) = waiver_expired::check(waiver, today) {
            out.push(expired);
        } else if matches.get(index) == Some(&0) {
            out.push(waiver_unmatched::check_item_waiver(waiver));
        }
    }
    apply_levels(config, out)
}

/// A baseline entry that matches no finding (`baseline-stale`), at `location` in the baseline
/// file; `None` when the rule is off.
pub fn baseline_stale(
    config: &Config,
    location: crate::source::Location,
    item: &str,
    rule: &str,
    recorded: NaiveDate,
) -> Option<Diagnostic> {
    apply_levels(
        config,
        vec![baseline_stale::check(location, item, rule, recorded)],
    )
    .pop()
}

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
