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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::event::{CommitMeta, Person};
    use crate::parse::parse_str;

    const BASE: &str = "id: A
detected: 2026-01-05
due: 2026-04-05
risk: moderate
milestones:
  - {id: 1, date: 2026-02-01, description: Rebuild the image.}
  - {id: 2, date: 2026-03-01, description: Roll out.}
milestone_changes:
  - {milestone: 1, kind: complete, date: 2026-02-01, description: Done.}
status: open
";

    fn node(text: &str) -> Arc<Node> {
        Arc::new(parse_str(text).expect("fixture parses"))
    }

    /// `BASE` with `from` replaced by `to` (which must occur).
    fn edited(from: &str, to: &str) -> Arc<Node> {
        assert!(BASE.contains(from), "{from:?} not in BASE");
        node(&BASE.replace(from, to))
    }

    fn rules(findings: &[Finding]) -> Vec<(&'static str, &str)> {
        findings
            .iter()
            .map(|f| (f.rule.code(), f.field.as_str()))
            .collect()
    }

    fn check(after: &Node) -> Vec<(&'static str, String)> {
        compare_versions(&node(BASE), after)
            .into_iter()
            .map(|f| (f.rule.code(), f.field))
            .collect()
    }

    fn one(code: &'static str, field: &str) -> Vec<(&'static str, String)> {
        vec![(code, field.to_owned())]
    }

    #[test]
    fn unchanged_and_formatting_only_versions_break_nothing() {
        assert!(check(&node(BASE)).is_empty());
        let reordered = "status: open\nid: A\nrisk: moderate\ndue: 2026-04-05\ndetected: 2026-01-05\nmilestones:\n  - {id: 1, date: 2026-02-01, description: Rebuild the image.}\n  - {id: 2, date: 2026-03-01, description: Roll out.}\nmilestone_changes:\n  - {milestone: 1, kind: complete, date: 2026-02-01, description: Done.}\n";
        assert!(check(&node(reordered)).is_empty());
    }

    #[test]
    fn detected_is_write_once() {
        let after = edited("detected: 2026-01-05", "detected: 2026-01-04");
        assert_eq!(check(&after), one("detected-changed", "detected"));
        let removed = edited("detected: 2026-01-05\n", "");
        assert_eq!(check(&removed), one("detected-changed", "detected"));
        // Near miss: recording it for the first time.
        let before = node(&BASE.replace("detected: 2026-01-05\n", ""));
        assert!(compare_versions(&before, &node(BASE)).is_empty());
    }

    #[test]
    fn risk_is_write_once_but_case_is_not_a_change() {
        let after = edited("risk: moderate", "risk: low");
        let findings = compare_versions(&node(BASE), &after);
        assert_eq!(rules(&findings), [("risk-changed", "risk")]);
        assert_eq!(findings[0].old, Some(serde_json::json!("moderate")));
        assert_eq!(findings[0].new, Some(serde_json::json!("low")));
        assert!(check(&edited("risk: moderate", "risk: Moderate")).is_empty());
        // An approved risk adjustment lowers the effective rating without touching `risk`.
        let adjusted = node(&format!(
            "{BASE}deviations:\n  risk_adjustment: {{status: approved, adjusted_risk: low}}\n"
        ));
        assert!(check(&adjusted).is_empty());
    }

    #[test]
    fn due_moves_only_with_a_fix_release_or_an_approved_adjustment() {
        assert_eq!(
            check(&edited("due: 2026-04-05", "due: 2026-05-05")),
            one("due-changed", "due")
        );
        let vendor = |fix: &str, due: &str| {
            node(&format!(
                "{}vendor_dependency:\n  product: Acme\n  last_checkin: 2026-02-01\n{fix}",
                BASE.replace("due: 2026-04-05", due)
            ))
        };
        let waiting = vendor("", "due: 2026-04-05");
        // Near miss: the fix release is recorded in the same commit.
        let released = vendor("  fix_released: 2026-03-01\n", "due: 2026-05-31");
        assert!(compare_versions(&waiting, &released).is_empty());
        // A later move with the release date unchanged is not excused.
        let moved_again = vendor("  fix_released: 2026-03-01\n", "due: 2026-06-30");
        assert_eq!(
            rules(&compare_versions(&released, &moved_again)),
            [("due-changed", "due")]
        );
        // Changing the release date recomputes the date again.
        let rereleased = vendor("  fix_released: 2026-03-10\n", "due: 2026-06-09");
        assert!(compare_versions(&released, &rereleased).is_empty());

        let adjustment = |status: &str, due: &str| {
            node(&format!(
                "{}deviations:\n  risk_adjustment: {{status: {status}, adjusted_risk: low}}\n",
                BASE.replace("due: 2026-04-05", due)
            ))
        };
        let pending = adjustment("pending", "due: 2026-04-05");
        // Near miss: approved in the same commit that moves the date.
        let approved = adjustment("approved", "due: 2026-07-04");
        assert!(compare_versions(&pending, &approved).is_empty());
        // Moving it while still pending, or after approval, is not excused.
        let pending_moved = adjustment("pending", "due: 2026-07-04");
        assert_eq!(
            rules(&compare_versions(&pending, &pending_moved)),
            [("due-changed", "due")]
        );
        let approved_moved = adjustment("approved", "due: 2026-08-01");
        assert_eq!(
            rules(&compare_versions(&approved, &approved_moved)),
            [("due-changed", "due")]
        );
    }

    #[test]
    fn planned_milestones_may_not_be_edited_removed_or_added() {
        assert_eq!(
            check(&edited("date: 2026-03-01", "date: 2026-03-15")),
            one("milestones-rewritten", "milestones[1].date")
        );
        let removed = edited(
            "  - {id: 2, date: 2026-03-01, description: Roll out.}\n",
            "",
        );
        let findings = compare_versions(&node(BASE), &removed);
        assert_eq!(rules(&findings), [("milestones-rewritten", "milestones")]);
        assert_eq!(
            findings[0].old,
            Some(serde_json::json!({"id": 2, "date": "2026-03-01", "description": "Roll out."}))
        );
        let added = edited(
            "description: Roll out.}\n",
            "description: Roll out.}\n  - {id: 3, date: 2026-03-20, description: Rescan.}\n",
        );
        assert_eq!(check(&added), one("milestones-rewritten", "milestones[2]"));
        // Near miss: reordering keeps every milestone as planned (matched by id).
        let reordered = edited(
            "  - {id: 1, date: 2026-02-01, description: Rebuild the image.}\n  - {id: 2, date: 2026-03-01, description: Roll out.}\n",
            "  - {id: 2, date: 2026-03-01, description: Roll out.}\n  - {id: 1, date: 2026-02-01, description: Rebuild the image.}\n",
        );
        assert!(check(&reordered).is_empty());
        // Near miss: a new milestone goes in milestone_changes with kind `new`.
        let with_new = edited(
            "description: Done.}\n",
            "description: Done.}\n  - {milestone: 3, kind: new, date: 2026-03-20, description: Rescan.}\n",
        );
        assert!(check(&with_new).is_empty());
    }

    #[test]
    fn milestone_changes_are_append_only() {
        assert_eq!(
            check(&edited(
                "description: Done.",
                "description: Done and signed."
            )),
            one(
                "milestone-changes-rewritten",
                "milestone_changes[0].description"
            )
        );
        let removed = edited(
            "milestone_changes:\n  - {milestone: 1, kind: complete, date: 2026-02-01, description: Done.}\n",
            "",
        );
        assert_eq!(
            check(&removed),
            one("milestone-changes-rewritten", "milestone_changes")
        );
        // Near miss: entries added before or after the old one.
        let inserted = edited(
            "milestone_changes:\n",
            "milestone_changes:\n  - {milestone: 2, kind: update, date: 2026-02-10, description: Later.}\n",
        );
        assert!(check(&inserted).is_empty());
    }

    #[test]
    fn id_changes_and_reopening_are_reported() {
        assert_eq!(check(&edited("id: A", "id: B")), one("id-changed", "id"));
        let closed = edited("status: open", "status: closed");
        assert_eq!(
            rules(&compare_versions(&closed, &node(BASE))),
            [("reopened", "status")]
        );
        // Near miss: closing is fine.
        assert!(check(&closed).is_empty());
    }

    fn meta(n: u8, day: u32) -> Arc<CommitMeta> {
        let person = Person {
            name: "Alice".into(),
            email: "alice@example.com".into(),
        };
        let time = chrono::NaiveDate::from_ymd_opt(2026, 3, day)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("date")
            .and_utc()
            .fixed_offset();
        Arc::new(CommitMeta {
            id: format!("{n:040x}"),
            author: person.clone(),
            committer: person,
            time,
            author_time: time,
            summary: format!("commit {n}"),
        })
    }

    fn version(commit: &Arc<CommitMeta>, state: VersionState, baseline: bool) -> Version {
        Version {
            source: Source::Commit(Arc::clone(commit)),
            path: "poams/A.yaml".into(),
            state,
            baseline,
        }
    }

    fn history(versions: Vec<Version>) -> ItemHistory {
        ItemHistory {
            id: "A".into(),
            former_ids: Vec::new(),
            path: "poams/A.yaml".into(),
            exists: true,
            pre_existing: versions.first().is_some_and(|v| v.baseline),
            events: Vec::new(),
            versions,
        }
    }

    fn summaries(violations: &[Violation]) -> Vec<(&'static str, String)> {
        violations
            .iter()
            .map(|v| {
                (
                    v.rule.code(),
                    v.source
                        .commit()
                        .map_or("working tree".into(), |c| c.summary.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn full_mode_compares_across_unparseable_versions_and_reports_deletions() {
        let (c1, c2, c3, c4) = (meta(1, 1), meta(2, 2), meta(3, 3), meta(4, 4));
        let item = history(vec![
            version(&c1, VersionState::Parsed(node(BASE)), false),
            version(&c2, VersionState::Unparseable("bad".into()), false),
            version(
                &c3,
                VersionState::Parsed(edited("detected: 2026-01-05", "detected: 2026-01-06")),
                false,
            ),
            version(&c4, VersionState::Deleted, false),
        ]);
        let found = audit_item(&item, None);
        assert_eq!(
            summaries(&found),
            [
                ("detected-changed", "commit 3".to_owned()),
                ("item-deleted", "commit 4".to_owned())
            ]
        );
        assert_eq!(found[1].rule, AuditRule::ItemDeleted { was_closed: false });
        // A cut-off at the third commit's date leaves only the deletion.
        let cutoff = Cutoff::Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 4).expect("date"));
        assert_eq!(
            summaries(&audit_item(&item, Some(&cutoff))),
            [("item-deleted", "commit 4".to_owned())]
        );
        // Deleting a closed item is the milder case.
        let closed = history(vec![
            version(
                &c1,
                VersionState::Parsed(edited("status: open", "status: closed")),
                false,
            ),
            version(&c2, VersionState::Deleted, false),
        ]);
        assert_eq!(
            audit_item(&closed, None)[0].rule,
            AuditRule::ItemDeleted { was_closed: true }
        );
    }

    #[test]
    fn full_mode_never_reports_against_a_shallow_baseline() {
        let (c1, c2) = (meta(1, 1), meta(2, 2));
        // Only the baseline: nothing to compare, however odd its content.
        let alone = history(vec![version(
            &c1,
            VersionState::Parsed(node("id: A\n")),
            true,
        )]);
        assert!(audit_item(&alone, None).is_empty());
        // The change after the boundary is checked against the boundary state.
        let changed = history(vec![
            version(&c1, VersionState::Parsed(node(BASE)), true),
            version(
                &c2,
                VersionState::Parsed(edited("risk: moderate", "risk: high")),
                false,
            ),
        ]);
        assert_eq!(
            summaries(&audit_item(&changed, None)),
            [("risk-changed", "commit 2".to_owned())]
        );
    }

    fn pr(items: Vec<ItemHistory>) -> PrHistory {
        let base = meta(9, 9);
        PrHistory {
            base: Arc::clone(&base),
            merge_base: Arc::clone(&base),
            head: base,
            commits: Vec::new(),
            folded: false,
            items,
        }
    }

    #[test]
    fn pr_mode_lets_a_new_item_change_until_it_merges() {
        let (c1, c2, c3) = (meta(1, 10), meta(2, 11), meta(3, 12));
        // Created in the PR, then its dates and planned milestones edited: allowed.
        let created = history(vec![
            version(&c1, VersionState::Parsed(node(BASE)), false),
            version(
                &c2,
                VersionState::Parsed(edited("due: 2026-04-05", "due: 2026-03-30")),
                false,
            ),
            version(
                &c3,
                VersionState::Parsed(edited("date: 2026-03-01", "date: 2026-03-02")),
                false,
            ),
        ]);
        assert!(audit_pr(&pr(vec![created]), None).is_empty());
    }

    #[test]
    fn pr_mode_compares_the_merge_base_with_the_outcome_and_names_the_commit() {
        let (base, c1, c2) = (meta(9, 9), meta(1, 10), meta(2, 11));
        // Due moved in the first commit, an unrelated edit in the second, a detection date
        // changed in the working tree.
        let moved = edited("due: 2026-04-05", "due: 2026-05-05");
        let mut worktree_text = BASE.replace("due: 2026-04-05", "due: 2026-05-05");
        worktree_text = worktree_text.replace("detected: 2026-01-05", "detected: 2026-01-02");
        let item = history(vec![
            version(&base, VersionState::Parsed(node(BASE)), true),
            version(&c1, VersionState::Parsed(Arc::clone(&moved)), false),
            version(
                &c2,
                VersionState::Parsed(node(&format!(
                    "{}comments: ok\n",
                    BASE.replace("due: 2026-04-05", "due: 2026-05-05")
                ))),
                false,
            ),
            Version {
                source: Source::WorkingTree,
                path: "poams/A.yaml".into(),
                state: VersionState::Parsed(node(&worktree_text)),
                baseline: false,
            },
        ]);
        let mut found = summaries(&audit_pr(&pr(vec![item]), None));
        found.sort();
        assert_eq!(
            found,
            [
                ("detected-changed", "working tree".to_owned()),
                ("due-changed", "commit 1".to_owned()),
            ]
        );
        // A change made and undone within the PR does not land: nothing to report.
        let undone = history(vec![
            version(&base, VersionState::Parsed(node(BASE)), true),
            version(&c1, VersionState::Parsed(moved), false),
            version(&c2, VersionState::Parsed(node(BASE)), false),
        ]);
        assert!(audit_pr(&pr(vec![undone]), None).is_empty());
        // Deleting an item that existed at the merge base.
        let deleted = history(vec![
            version(&base, VersionState::Parsed(node(BASE)), true),
            version(&c1, VersionState::Deleted, false),
        ]);
        assert_eq!(
            summaries(&audit_pr(&pr(vec![deleted]), None)),
            [("item-deleted", "commit 1".to_owned())]
        );
    }

    #[test]
    fn messages_name_the_values() {
        let violation = Violation {
            rule: AuditRule::DueChanged,
            item_id: "A".into(),
            source: Source::WorkingTree,
            path: "poams/A.yaml".into(),
            field: "due".into(),
            old: Some(serde_json::json!("2026-04-05")),
            new: Some(serde_json::json!("2026-05-05")),
        };
        assert!(violation
            .message()
            .contains("from 2026-04-05 to 2026-05-05"));
    }
}
