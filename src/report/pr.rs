//! What a pull request does to the POA&M: the net change of every touched item from the merge
//! base to the working tree, in the words of the POA&M (added, closed, reopened, deleted; risk,
//! due date and status changes; milestones added or completed; deviation requests filed or
//! decided; vendor check-ins), each with its before and after values.

use serde::Serialize;

use crate::history::diff::{diff_nodes, lookup};
use crate::history::{ItemHistory, PrHistory, VersionState};
use crate::model::Node;

use super::summary::FindingsSummary;

/// Longest value shown in a before/after column, in characters.
const VALUE_LIMIT: usize = 120;

/// One change to one item.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PrChange {
    /// `risk`, `due`, `status`, `milestone-added`, `milestone-completed`,
    /// `milestone-updated`, `deviation-filed`, `deviation-decided`, `deviation-changed`,
    /// `vendor-checkin`, `vendor-fix-released` or `field`.
    pub kind: &'static str,
    /// The field path, e.g. `due`, `milestone_changes[2]`, `deviations.false_positive.status`.
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One item the change touches.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PrItem {
    pub id: String,
    pub title: Option<String>,
    /// The file, relative to the repository root.
    pub path: String,
    /// `added`, `deleted`, `closed`, `reopened`, `changed`, or `unparseable` (the new
    /// version is not a valid item file).
    pub outcome: &'static str,
    pub changes: Vec<PrChange>,
}

/// The whole change.
#[derive(Clone, Debug, Serialize)]
pub struct PrSummary {
    pub base: String,
    pub merge_base: String,
    pub head: String,
    /// The PR's commits (plus uncommitted files, if any, which are not a commit).
    pub commits: usize,
    pub items: Vec<PrItem>,
    pub added: usize,
    pub closed: usize,
    pub reopened: usize,
    pub deleted: usize,
    pub changed: usize,
    /// Lint findings on the touched items.
    pub findings: FindingsSummary,
    /// How the pull request changed the baseline file (`poam-baseline.json`), when it did:
    /// its check applies the base commit's.
    pub baseline_changed: Option<crate::diag::BaselineChange>,
}

impl PrSummary {
    /// The summary of `pr`; `findings` should hold the findings of the touched items only.
    pub fn new(base_rev: &str, pr: &PrHistory, findings: FindingsSummary) -> PrSummary {
        let items: Vec<PrItem> = pr.items.iter().filter_map(pr_item).collect();
        let count = |outcome: &str| items.iter().filter(|i| i.outcome == outcome).count();
        PrSummary {
            base: base_rev.to_owned(),
            merge_base: pr.merge_base.short_id().to_owned(),
            head: pr.head.short_id().to_owned(),
            commits: pr.commits.len(),
            added: count("added"),
            closed: count("closed"),
            reopened: count("reopened"),
            deleted: count("deleted"),
            changed: count("changed"),
            items,
            findings,
            baseline_changed: None,
        }
    }

    /// The ids and paths of touched items, to select lint findings.
    pub fn touched(pr: &PrHistory) -> (Vec<String>, Vec<String>) {
        let mut ids = Vec::new();
        let mut paths = Vec::new();
        for item in &pr.items {
            ids.push(item.id.clone());
            ids.extend(item.former_ids.iter().cloned());
            paths.extend(item.versions.iter().map(|v| v.path.clone()));
        }
        ids.sort();
        ids.dedup();
        paths.sort();
        paths.dedup();
        (ids, paths)
    }
}

fn text_of(node: &Node, path: &str) -> Option<String> {
    lookup(node, path).and_then(|n| show(&n.to_json()))
}

fn show(value: &serde_json::Value) -> Option<String> {
    let text = match value {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Some(if text.chars().count() > VALUE_LIMIT {
        let cut: String = text.chars().take(VALUE_LIMIT).collect();
        format!("{cut}…")
    } else {
        text
    })
}

fn is_closed(node: Option<&Node>) -> bool {
    node.and_then(|n| text_of(n, "status")).as_deref() == Some("closed")
}

fn pr_item(history: &ItemHistory) -> Option<PrItem> {
    let first = history.versions.first()?;
    let last = history.versions.last()?;
    let before = if first.baseline { first.node() } else { None };
    let existed = first.baseline && !matches!(first.state, VersionState::Deleted);
    let title_node = last.node().or(before);
    let mut item = PrItem {
        id: history.id.clone(),
        title: title_node.and_then(|n| text_of(n, "title")),
        path: last.path.clone(),
        outcome: "changed",
        changes: Vec::new(),
    };
    match (&last.state, existed) {
        (VersionState::Deleted, false) => return None,
        (VersionState::Deleted, true) => {
            item.outcome = "deleted";
            return Some(item);
        }
        (VersionState::Unparseable(message), _) => {
            item.outcome = "unparseable";
            item.changes.push(PrChange {
                kind: "field",
                field: String::new(),
                before: None,
                after: show(&serde_json::Value::String(message.clone())),
            });
            return Some(item);
        }
        (VersionState::Parsed(after), _) => {
            if !existed {
                item.outcome = "added";
                return Some(item);
            }
            match before {
                Some(before) => {
                    item.changes = changes(before, after);
                    item.outcome = match (is_closed(Some(before)), is_closed(Some(after))) {
                        (false, true) => "closed",
                        (true, false) => "reopened",
                        _ => "changed",
                    };
                }
                // The merge base's version did not parse: everything is new information.
                None => item.outcome = "changed",
            }
        }
    }
    (!item.changes.is_empty() || item.outcome != "changed").then_some(item)
}

const DEVIATIONS: [&str; 3] = [
    "risk_adjustment",
    "false_positive",
    "operational_requirement",
];

/// The POA&M-level changes from `before` to `after`.
pub fn changes(before: &Node, after: &Node) -> Vec<PrChange> {
    let mut out = Vec::new();
    let simple = |kind: &'static str, field: &str, out: &mut Vec<PrChange>| {
        let (b, a) = (text_of(before, field), text_of(after, field));
        if b != a {
            out.push(PrChange {
                kind,
                field: field.to_owned(),
                before: b,
                after: a,
            });
        }
    };
    simple("status", "status", &mut out);
    simple("risk", "risk", &mut out);
    simple("risk", "deviations.risk_adjustment.adjusted_risk", &mut out);
    simple("due", "due", &mut out);
    simple("vendor-checkin", "vendor_dependency.last_checkin", &mut out);
    simple(
        "vendor-fix-released",
        "vendor_dependency.fix_released",
        &mut out,
    );
    for kind in DEVIATIONS {
        let field = format!("deviations.{kind}.status");
        let (b, a) = (text_of(before, &field), text_of(after, &field));
        if b == a {
            continue;
        }
        let change = match (b.as_deref(), a.as_deref()) {
            (None | Some("withdrawn" | "rejected"), Some("pending")) => "deviation-filed",
            (Some("pending"), Some(_)) => "deviation-decided",
            _ => "deviation-changed",
        };
        out.push(PrChange {
            kind: change,
            field,
            before: b,
            after: a,
        });
    }
    milestone_changes(before, after, &mut out);
    // Every other field, leaf by leaf.
    for change in diff_nodes(before, after) {
        let mut leaves = Vec::new();
        flatten(
            &change.path,
            change.old.as_ref(),
            change.new.as_ref(),
            &mut leaves,
        );
        for (field, old, new) in leaves {
            if is_covered(&field) {
                continue;
            }
            out.push(PrChange {
                kind: "field",
                before: old.and_then(show),
                after: new.and_then(show),
                field,
            });
        }
    }
    out
}

/// A mapping that appeared or went away as a whole, split into its leaves (so a new
/// `deviations` block reports its status once, as a filing, and `closed` shows its date and
/// evidence one by one).
fn flatten<'v>(
    path: &str,
    old: Option<&'v serde_json::Value>,
    new: Option<&'v serde_json::Value>,
    out: &mut Vec<(
        String,
        Option<&'v serde_json::Value>,
        Option<&'v serde_json::Value>,
    )>,
) {
    use serde_json::Value as J;
    match (old, new) {
        (None | Some(J::Null), Some(J::Object(map))) => {
            for (key, value) in map {
                flatten(&format!("{path}.{key}"), None, Some(value), out);
            }
        }
        (Some(J::Object(map)), None | Some(J::Null)) => {
            for (key, value) in map {
                flatten(&format!("{path}.{key}"), Some(value), None, out);
            }
        }
        _ => out.push((path.to_owned(), old, new)),
    }
}

fn is_covered(path: &str) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or("");
    matches!(
        path,
        "status"
            | "risk"
            | "due"
            | "vendor_dependency.last_checkin"
            | "vendor_dependency.fix_released"
            | "deviations.risk_adjustment.adjusted_risk"
    ) || (top == "deviations" && path.ends_with(".status"))
        || top == "milestones"
        || top == "milestone_changes"
}

fn list<'n>(node: &'n Node, key: &str) -> &'n [Node] {
    match lookup(node, key).map(|n| &n.value) {
        Some(crate::model::Value::Seq(items)) => items,
        _ => &[],
    }
}

fn milestone_line(entry: &Node) -> Option<String> {
    let id = text_of(entry, "id").or_else(|| text_of(entry, "milestone"));
    let date = text_of(entry, "date");
    let description = text_of(entry, "description");
    let mut text = String::new();
    if let Some(id) = id {
        text.push_str(&format!("({id}) "));
    }
    if let Some(date) = date {
        text.push_str(&date);
        text.push_str(": ");
    }
    text.push_str(description.as_deref().unwrap_or(""));
    show(&serde_json::Value::String(
        text.trim_end_matches([' ', ':']).to_owned(),
    ))
}

fn milestone_changes(before: &Node, after: &Node, out: &mut Vec<PrChange>) {
    let old_ids: Vec<Option<String>> = list(before, "milestones")
        .iter()
        .map(|m| text_of(m, "id"))
        .collect();
    for (index, milestone) in list(after, "milestones").iter().enumerate() {
        let id = text_of(milestone, "id");
        if !old_ids.contains(&id) {
            out.push(PrChange {
                kind: "milestone-added",
                field: format!("milestones[{index}]"),
                before: None,
                after: milestone_line(milestone),
            });
        }
    }
    let old_changes = list(before, "milestone_changes");
    let new_changes = list(after, "milestone_changes");
    for (index, entry) in new_changes.iter().enumerate() {
        let unchanged = old_changes
            .get(index)
            .is_some_and(|old| crate::history::diff::same_value(old, entry));
        if unchanged {
            continue;
        }
        let kind = match text_of(entry, "kind").as_deref() {
            Some("new") => "milestone-added",
            Some("complete") => "milestone-completed",
            _ => "milestone-updated",
        };
        out.push(PrChange {
            kind,
            field: format!("milestone_changes[{index}]"),
            before: old_changes.get(index).and_then(milestone_line),
            after: milestone_line(entry),
        });
    }
    for (index, entry) in old_changes.iter().enumerate().skip(new_changes.len()) {
        out.push(PrChange {
            kind: "milestone-updated",
            field: format!("milestone_changes[{index}]"),
            before: milestone_line(entry),
            after: None,
        });
    }
    // Planned milestones edited in place (a write-once field: lint says so too).
    for (index, (old, new)) in list(before, "milestones")
        .iter()
        .zip(list(after, "milestones"))
        .enumerate()
    {
        if !crate::history::diff::same_value(old, new) && text_of(old, "id") == text_of(new, "id") {
            out.push(PrChange {
                kind: "milestone-updated",
                field: format!("milestones[{index}]"),
                before: milestone_line(old),
                after: milestone_line(new),
            });
        }
    }
}
