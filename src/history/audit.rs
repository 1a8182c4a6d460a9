//! The write-once and append-only checks behind the history rules, as pure functions of item
//! versions. No git here: the inputs are [`Node`] trees and the versions the walk produced.
//!
//! - Full mode ([`audit_history`]): consecutive versions of each item along first-parent
//!   history. A version that does not parse is skipped: the next one that parses is compared
//!   with the last one that did. A baseline version (shallow boundary) is a valid "before" but
//!   never an "after", so nothing is reported against the boundary state.
//! - PR mode ([`audit_pr`]): only items that existed at the merge base, comparing that version
//!   with the PR's final one (working tree, else HEAD), so a PR may create an item and edit it
//!   in later commits freely. Each finding names the commit from which the offending value
//!   stayed as it is now.

use std::sync::Arc;

use crate::model::{Node, Value};

use super::diff::{diff_nodes, join_key, same_opt, same_value};
use super::event::{ItemHistory, Source, Version, VersionState};
use super::pr::PrHistory;
use super::since::Cutoff;
use super::track::item_id;
use super::History;

/// The history rules. Codes match the lint rule codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditRule {
    DetectedChanged,
    RiskChanged,
    DueChanged,
    MilestonesRewritten,
    MilestoneChangesRewritten,
    /// `was_closed`: the last version before the deletion had `status: closed` (a warning
    /// rather than an error).
    ItemDeleted {
        was_closed: bool,
    },
    IdChanged,
    Reopened,
}

impl AuditRule {
    pub fn code(self) -> &'static str {
        match self {
            AuditRule::DetectedChanged => "detected-changed",
            AuditRule::RiskChanged => "risk-changed",
            AuditRule::DueChanged => "due-changed",
            AuditRule::MilestonesRewritten => "milestones-rewritten",
            AuditRule::MilestoneChangesRewritten => "milestone-changes-rewritten",
            AuditRule::ItemDeleted { .. } => "item-deleted",
            AuditRule::IdChanged => "id-changed",
            AuditRule::Reopened => "reopened",
        }
    }
}

/// One broken rule between two versions, before knowing which commit broke it.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: AuditRule,
    /// Dotted path in the later version (`due`, `milestones[1].date`); for a removed list entry,
    /// the list (`milestones`); `""` for a deleted item.
    pub field: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

/// A broken history rule, with the change that broke it.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub rule: AuditRule,
    /// The item's id in the version that broke the rule (before the deletion, for
    /// `item-deleted`).
    pub item_id: String,
    /// The commit that broke the rule, or the working tree.
    pub source: Source,
    /// The file of that version (the removed file, for `item-deleted`), repo-relative.
    pub path: String,
    pub field: String,
    pub old: Option<serde_json::Value>,
    pub new: Option<serde_json::Value>,
}

impl Violation {
    /// A one-line message naming the field and both values.
    pub fn message(&self) -> String {
        let (old, new) = (show(self.old.as_ref()), show(self.new.as_ref()));
        match self.rule {
            AuditRule::DetectedChanged => format!(
                "`detected` changed from {old} to {new}: the original detection date is write-once"
            ),
            AuditRule::RiskChanged => format!(
                "`risk` changed from {old} to {new}: the original rating is write-once; ratings move through `deviations.risk_adjustment`"
            ),
            AuditRule::DueChanged => format!(
                "`due` changed from {old} to {new} without a vendor fix release or an approved risk adjustment in the same commit"
            ),
            AuditRule::MilestonesRewritten => match (&self.old, &self.new) {
                (None, Some(_)) => format!(
                    "planned milestone `{}` was added after the item was created: add it to `milestone_changes` with kind `new`",
                    self.field
                ),
                (Some(_), None) => format!(
                    "planned milestone {old} was removed: planned milestones are write-once"
                ),
                _ => format!(
                    "planned milestone field `{}` changed from {old} to {new}: record the change in `milestone_changes`",
                    self.field
                ),
            },
            AuditRule::MilestoneChangesRewritten => match &self.new {
                None => format!("milestone change {old} was removed: `milestone_changes` is append-only"),
                Some(_) => format!(
                    "`{}` changed from {old} to {new}: `milestone_changes` is append-only",
                    self.field
                ),
            },
            AuditRule::ItemDeleted { was_closed } => format!(
                "item file {} was deleted{}: items are closed, never deleted",
                self.path,
                if was_closed { " (it was closed)" } else { " while open" }
            ),
            AuditRule::IdChanged => format!("`id` changed from {old} to {new}"),
            AuditRule::Reopened => "item went from `closed` back to `open`".to_owned(),
        }
    }
}

fn show(value: Option<&serde_json::Value>) -> String {
    match value {
        None => "(absent)".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// Every history rule broken going from `before` to `after` (two parsed versions of one
/// item, `after` made by a single change).
pub fn compare_versions(before: &Node, after: &Node) -> Vec<Finding> {
    let mut findings = Vec::new();
    write_once(
        before,
        after,
        "detected",
        AuditRule::DetectedChanged,
        &mut findings,
    );
    if changed_write_once(before, after, "risk", normalised_eq) {
        findings.push(field_finding(before, after, "risk", AuditRule::RiskChanged));
    }
    if changed_write_once(before, after, "due", same_value) && !due_may_move(before, after) {
        findings.push(field_finding(before, after, "due", AuditRule::DueChanged));
    }
    planned_milestones(before, after, &mut findings);
    milestone_changes(before, after, &mut findings);
    if let Some(old_id) = item_id(before) {
        if item_id(after).as_deref() != Some(old_id.as_str()) {
            findings.push(field_finding(before, after, "id", AuditRule::IdChanged));
        }
    }
    if scalar(before, &["status"]).as_deref() == Some("closed")
        && scalar(after, &["status"]).as_deref() == Some("open")
    {
        findings.push(field_finding(before, after, "status", AuditRule::Reopened));
    }
    findings
}

fn write_once(before: &Node, after: &Node, key: &str, rule: AuditRule, out: &mut Vec<Finding>) {
    if changed_write_once(before, after, key, same_value) {
        out.push(field_finding(before, after, key, rule));
    }
}

/// The field was recorded (non-empty) before and differs now.
fn changed_write_once(
    before: &Node,
    after: &Node,
    key: &str,
    equal: fn(&Node, &Node) -> bool,
) -> bool {
    let Some(old) = before.get(key).map(|e| &e.value).filter(|n| !n.is_empty()) else {
        return false;
    };
    match after.get(key) {
        Some(new) => !equal(old, &new.value),
        None => true,
    }
}

/// Enumerated values: `High` and `high` are the same rating.
fn normalised_eq(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Str(x), Value::Str(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        _ => same_value(a, b),
    }
}

fn field_finding(before: &Node, after: &Node, key: &str, rule: AuditRule) -> Finding {
    Finding {
        rule,
        field: key.to_owned(),
        old: before.get(key).map(|e| e.value.to_json()),
        new: after.get(key).map(|e| e.value.to_json()),
    }
}

/// A trimmed, lower-cased scalar at a key path.
fn scalar(node: &Node, keys: &[&str]) -> Option<String> {
    let mut current = node;
    for key in keys {
        current = &current.get(key)?.value;
    }
    match &current.value {
        Value::Str(s) => Some(s.trim().to_ascii_lowercase()),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
    }
}

fn at_path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    let mut current = node;
    for key in keys {
        current = &current.get(key)?.value;
    }
    Some(current)
}

/// FedRAMP's two cases where the scheduled completion date is recomputed: the vendor released
/// the fix (set or changed `vendor_dependency.fix_released`), or a risk adjustment was approved.
fn due_may_move(before: &Node, after: &Node) -> bool {
    let fix_released = ["vendor_dependency", "fix_released"];
    let fix_set = at_path(after, &fix_released).is_some_and(|n| !n.is_empty())
        && !same_opt(
            at_path(before, &fix_released),
            at_path(after, &fix_released),
        );
    let status = ["deviations", "risk_adjustment", "status"];
    let approved_now = scalar(after, &status).as_deref() == Some("approved")
        && scalar(before, &status).as_deref() != Some("approved");
    fix_set || approved_now
}

fn list<'a>(node: &'a Node, key: &str) -> Option<&'a [Node]> {
    match &node.get(key)?.value.value {
        Value::Seq(items) => Some(items),
        _ => None,
    }
}

/// Appends `sub` (a path inside a list element) to `base` (`milestones[2]`).
fn element_path(base: String, sub: &str) -> String {
    if sub.is_empty() {
        base
    } else if sub.starts_with('[') {
        base + sub
    } else {
        join_key(&base, sub)
    }
}

fn planned_milestones(before: &Node, after: &Node, out: &mut Vec<Finding>) {
    let old = list(before, "milestones").unwrap_or_default();
    if old.is_empty() {
        // Nothing was recorded yet: the first milestones are the plan, not a rewrite.
        return;
    }
    let new = list(after, "milestones").unwrap_or_default();
    let milestone_id = |m: &Node| m.get("id").map(|e| e.value.to_json());
    // Match by milestone id when every old milestone has one; otherwise by position.
    let by_id = old.iter().all(|m| milestone_id(m).is_some());
    let partner = |index: usize, milestone: &Node| -> Option<usize> {
        if by_id {
            let id = milestone_id(milestone);
            new.iter().position(|n| milestone_id(n) == id)
        } else {
            (index < new.len()).then_some(index)
        }
    };
    let mut matched = vec![false; new.len()];
    for (index, milestone) in old.iter().enumerate() {
        match partner(index, milestone) {
            Some(at) => {
                matched[at] = true;
                for change in diff_nodes(milestone, &new[at]) {
                    out.push(Finding {
                        rule: AuditRule::MilestonesRewritten,
                        field: element_path(format!("milestones[{at}]"), &change.path),
                        old: change.old,
                        new: change.new,
                    });
                }
            }
            None => out.push(Finding {
                rule: AuditRule::MilestonesRewritten,
                field: "milestones".to_owned(),
                old: Some(milestone.to_json()),
                new: None,
            }),
        }
    }
    for (at, milestone) in new.iter().enumerate() {
        if !matched[at] {
            out.push(Finding {
                rule: AuditRule::MilestonesRewritten,
                field: format!("milestones[{at}]"),
                old: None,
                new: Some(milestone.to_json()),
            });
        }
    }
}

/// Append-only: every earlier entry must still be there unchanged. New entries may go
/// anywhere; an entry moved elsewhere in the list still counts as kept.
fn milestone_changes(before: &Node, after: &Node, out: &mut Vec<Finding>) {
    let old = list(before, "milestone_changes").unwrap_or_default();
    let new = list(after, "milestone_changes").unwrap_or_default();
    let mut used = vec![false; new.len()];
    let mut unmatched = Vec::new();
    for (index, entry) in old.iter().enumerate() {
        let same_place = new
            .get(index)
            .filter(|n| !used[index] && same_value(entry, n));
        let found = match same_place {
            Some(_) => Some(index),
            None => new
                .iter()
                .enumerate()
                .position(|(at, n)| !used[at] && same_value(entry, n)),
        };
        match found {
            Some(at) => used[at] = true,
            None => unmatched.push(index),
        }
    }
    for index in unmatched {
        match new.get(index).filter(|_| !used[index]) {
            Some(edited) => {
                used[index] = true;
                for change in diff_nodes(&old[index], edited) {
                    out.push(Finding {
                        rule: AuditRule::MilestoneChangesRewritten,
                        field: element_path(format!("milestone_changes[{index}]"), &change.path),
                        old: change.old,
                        new: change.new,
                    });
                }
            }
            None => out.push(Finding {
                rule: AuditRule::MilestoneChangesRewritten,
                field: "milestone_changes".to_owned(),
                old: Some(old[index].to_json()),
                new: None,
            }),
        }
    }
}

fn deletion(before: Option<&Node>, item: &ItemHistory, version: &Version) -> Violation {
    Violation {
        rule: AuditRule::ItemDeleted {
            was_closed: before.and_then(|b| scalar(b, &["status"])).as_deref() == Some("closed"),
        },
        item_id: before.and_then(item_id).unwrap_or_else(|| item.id.clone()),
        source: version.source.clone(),
        path: version.path.clone(),
        field: String::new(),
        old: None,
        new: None,
    }
}

fn ignored(cutoff: Option<&Cutoff>, source: &Source) -> bool {
    cutoff.is_some_and(|c| c.ignores_source(source))
}

/// Full mode: every history rule broken along one item's versions.
pub fn audit_item(item: &ItemHistory, cutoff: Option<&Cutoff>) -> Vec<Violation> {
    let mut violations = Vec::new();
    let mut last_parsed: Option<&Arc<Node>> = None;
    let mut present = false;
    for version in &item.versions {
        match &version.state {
            VersionState::Parsed(node) => {
                if let Some(before) = last_parsed.filter(|_| !ignored(cutoff, &version.source)) {
                    let id = item_id(node).unwrap_or_else(|| item.id.clone());
                    violations.extend(compare_versions(before, node).into_iter().map(|f| {
                        Violation {
                            rule: f.rule,
                            item_id: id.clone(),
                            source: version.source.clone(),
                            path: version.path.clone(),
                            field: f.field,
                            old: f.old,
                            new: f.new,
                        }
                    }));
                }
                last_parsed = Some(node);
                present = true;
            }
            VersionState::Unparseable(_) => present = true,
            VersionState::Deleted => {
                if present && !ignored(cutoff, &version.source) {
                    violations.push(deletion(last_parsed.map(|n| &**n), item, version));
                }
                // A later file with this id is a new item: nothing to compare it with.
                last_parsed = None;
                present = false;
            }
        }
    }
    violations
}

/// Full mode over every item, sorted by item id, then history order.
pub fn audit_history(history: &History, cutoff: Option<&Cutoff>) -> Vec<Violation> {
    history
        .items
        .iter()
        .flat_map(|item| audit_item(item, cutoff))
        .collect()
}

/// PR mode: items that existed at the merge base keep their write-once fields and their
/// milestone changes; items created in the PR are free to change until it merges.
pub fn audit_pr(pr: &PrHistory, cutoff: Option<&Cutoff>) -> Vec<Violation> {
    pr.items
        .iter()
        .flat_map(|item| audit_pr_item(item, cutoff))
        .collect()
}

fn audit_pr_item(item: &ItemHistory, cutoff: Option<&Cutoff>) -> Vec<Violation> {
    let Some(baseline) = item.versions.first().filter(|v| v.baseline) else {
        return Vec::new();
    };
    let Some(before) = baseline.node() else {
        return Vec::new();
    };
    let changes = &item.versions[1..];
    // The PR's outcome: its last version that is not a parse failure.
    let Some((last, final_version)) = changes
        .iter()
        .enumerate()
        .rev()
        .find(|(_, v)| !matches!(v.state, VersionState::Unparseable(_)))
    else {
        return Vec::new();
    };
    let mut violations = Vec::new();
    match &final_version.state {
        VersionState::Deleted => {
            if !ignored(cutoff, &final_version.source) {
                violations.push(deletion(Some(before), item, final_version));
            }
        }
        VersionState::Parsed(after) => {
            let id = item_id(after).unwrap_or_else(|| item.id.clone());
            for finding in compare_versions(before, after) {
                let blamed = blame(&changes[..=last], &finding.field);
                if ignored(cutoff, &blamed.source) {
                    continue;
                }
                violations.push(Violation {
                    rule: finding.rule,
                    item_id: id.clone(),
                    source: blamed.source.clone(),
                    path: final_version.path.clone(),
                    field: finding.field,
                    old: finding.old,
                    new: finding.new,
                });
            }
        }
        VersionState::Unparseable(_) => {}
    }
    violations
}

/// The earliest version from which the field's top-level value stayed as in the last one.
fn blame<'a>(versions: &'a [Version], field: &str) -> &'a Version {
    let key = field.split(['.', '[']).next().unwrap_or(field);
    fn value_of<'v>(version: &'v Version, key: &str) -> Option<&'v Node> {
        version.node().and_then(|n| n.get(key)).map(|e| &e.value)
    }
    let last = &versions[versions.len() - 1];
    let target = value_of(last, key);
    let mut blamed = last;
    for version in versions.iter().rev() {
        match version.state {
            VersionState::Unparseable(_) => continue,
            VersionState::Deleted => break,
            VersionState::Parsed(_) => {
                if same_opt(value_of(version, key), target) {
                    blamed = version;
                } else {
                    break;
                }
            }
        }
    }
    blamed
}
