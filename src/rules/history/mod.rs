//! The history-rule engine: the [`Breach`] a rule reports, the [`Violation`] it becomes once
//! the commit to blame is known, judging the runs (`judge.rs`: undone-change netting, PR mode,
//! locations), where findings point (`context.rs`), the history waivers of `poam.yaml`
//! (`waivers.rs`), and the helpers rule files use to read fields. Each rule's comparison,
//! message and exceptions live in its own file; the registry hands the profile's history rules
//! to [`judge`] ([`crate::rules::judge_history`]), every profile's alike: the Rev5 ones and the
//! CR26 ones (`vdr-*`) read the same runs and go through the same netting, locations and
//! waivers. This module imports no rule file, so the rule files can import it.

use serde_json::Value as Json;

use crate::code::{Code, Severity};
use crate::history::audit::Run;
use crate::history::diff::join_key;
use crate::history::{item_id, Source, Version};
use crate::model::item::Item;
use crate::model::{Node, Value};

mod context;
mod judge;
mod waivers;

pub(crate) use context::file_start;
pub use context::{check_history, CurrentFile, HistoryContext, ItemsFolder};
pub use judge::{judge, judge_decisions, DecisionRule, HistoryRule};
pub use waivers::{apply_waivers, resolve_waivers, Waived};

/// A history rule's judgement of one run: which rule, at which step, about which field.
#[derive(Clone, Debug, PartialEq)]
pub struct Breach {
    pub code: Code,
    /// The step that broke the rule; `run.steps.len()` for the run's deletion.
    pub at: usize,
    /// Dotted path in the later version (`due`, `milestones[1].date`); for a removed list
    /// entry, the list (`milestones`); `""` for a deleted item.
    pub field: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
    pub severity: Severity,
    /// One line naming the field and both values, quoted.
    pub message: String,
    pub help: String,
    /// Where the breach happened when it is not the step `at` (or the run's deletion): a
    /// version of another file, or one commit of a pull request.
    pub site: Option<Site>,
}

/// The version a breach names: its commit, its file and the id it carried.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    pub source: Source,
    pub path: String,
    pub item_id: Option<String>,
}

/// A broken history rule, with the change that broke it.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub breach: Breach,
    /// The item's id in the version that broke the rule (before the deletion, for
    /// `item-deleted`).
    pub item_id: String,
    /// The commit that broke the rule, or the working tree.
    pub source: Source,
    /// The file of that version (the removed file, for `item-deleted`), repo-relative.
    pub path: String,
}

// Helpers the rule files share.

/// What a CR26 history rule reports about one change: the field and the message.
pub(crate) type VdrChange = (String, String);

/// An item version as the CR26 history rules read it (typed: dates, booleans, numbers).
pub(crate) fn version_item(node: &Node) -> Item {
    // Scalars the VDR rules compare are typed: no source text needed.
    Item::from_node(node, "")
}

/// Runs a CR26 comparison over each judged pair of consecutive versions of the run, as
/// breaches of `code` (in PR mode: the merge base against the outcome).
pub(crate) fn judge_pairs(
    run: &Run,
    code: Code,
    compare: fn(&Item, &Item) -> Vec<VdrChange>,
    out: &mut Vec<Breach>,
) {
    for (at, before, after) in run.judged_pairs() {
        for (field, message) in compare(&version_item(before), &version_item(after)) {
            out.push(Breach::new(code, at, field, None, None).message(message));
        }
    }
}

/// A value as quoted in messages: `` `2026-04-01` ``, or `(absent)`.
pub(crate) fn quoted(value: Option<&Json>) -> String {
    match value {
        None => "(absent)".to_owned(),
        Some(Json::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}

/// The field was recorded (non-empty) before and differs now.
pub(crate) fn changed_write_once(
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

/// The old and new value of a top-level field, as JSON.
pub(crate) fn field_values(before: &Node, after: &Node, key: &str) -> (Option<Json>, Option<Json>) {
    (
        before.get(key).map(|e| e.value.to_json()),
        after.get(key).map(|e| e.value.to_json()),
    )
}

/// A trimmed, lower-cased scalar at a key path.
pub(crate) fn scalar(node: &Node, keys: &[&str]) -> Option<String> {
    match &at_path(node, keys)?.value {
        Value::Str(s) => Some(s.trim().to_ascii_lowercase()),
        Value::Null | Value::Seq(_) | Value::Map(_) => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
    }
}

pub(crate) fn at_path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    let mut current = node;
    for key in keys {
        current = &current.get(key)?.value;
    }
    Some(current)
}

pub(crate) fn list<'a>(node: &'a Node, key: &str) -> &'a [Node] {
    match node.get(key).map(|e| &e.value.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// Appends `sub` (a path inside a list element) to `base` (`milestones[2]`).
pub(crate) fn element_path(base: String, sub: &str) -> String {
    if sub.is_empty() {
        base
    } else if sub.starts_with('[') {
        base + sub
    } else {
        join_key(&base, sub)
    }
}

impl Breach {
    /// A breach of `code` at its default severity; the rule adds the message and help.
    pub fn new(
        code: Code,
        at: usize,
        field: impl Into<String>,
        old: Option<Json>,
        new: Option<Json>,
    ) -> Self {
        Self {
            code,
            at,
            field: field.into(),
            old,
            new,
            severity: code.default_severity(),
            message: String::new(),
            help: String::new(),
            site: None,
        }
    }

    /// Names `version` as the change that broke the rule.
    pub fn site(mut self, version: &Version) -> Self {
        self.site = Some(Site {
            source: version.source.clone(),
            path: version.path.clone(),
            item_id: version.node().and_then(item_id),
        });
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The old value, quoted for a message.
    pub fn old_quoted(&self) -> String {
        quoted(self.old.as_ref())
    }

    /// The new value, quoted for a message.
    pub fn new_quoted(&self) -> String {
        quoted(self.new.as_ref())
    }
}
#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::config::HistoryWaiver;
    use crate::history::audit::{item_runs, pr_runs};
    use crate::history::{
        CommitMeta, Cutoff, ItemHistory, Person, PrHistory, Version, VersionState,
    };
    use crate::parse::parse_str;

    fn judge(runs: &[crate::history::audit::Run]) -> Vec<Violation> {
        crate::rules::judge_history(runs, crate::policy::Policy::default().profile)
    }

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

    fn rules(findings: &[Breach]) -> Vec<(&'static str, &str)> {
        findings
            .iter()
            .map(|f| (f.code.as_str(), f.field.as_str()))
            .collect()
    }

    /// What the rules find going through `nodes` in one commit each.
    fn judge_nodes(nodes: &[&Node]) -> Vec<Breach> {
        let versions = nodes
            .iter()
            .enumerate()
            .map(|(n, node)| {
                let day = u32::try_from(n + 1).expect("few versions");
                version(
                    &meta(n as u8, day),
                    VersionState::Parsed(Arc::new((*node).clone())),
                    false,
                )
            })
            .collect();
        audit_item(&history(versions), None)
            .into_iter()
            .map(|v| v.breach)
            .collect()
    }

    fn compare_versions(before: &Node, after: &Node) -> Vec<Breach> {
        judge_nodes(&[before, after])
    }

    fn audit_item(item: &ItemHistory, cutoff: Option<&Cutoff>) -> Vec<Violation> {
        let mut runs = Vec::new();
        item_runs(item, cutoff, &mut runs);
        judge(&runs)
    }

    fn audit_pr(pr: &PrHistory, cutoff: Option<&Cutoff>) -> Vec<Violation> {
        judge(&pr_runs(pr, cutoff))
    }

    fn check(after: &Node) -> Vec<(&'static str, String)> {
        compare_versions(&node(BASE), after)
            .into_iter()
            .map(|f| (f.code.as_str(), f.field))
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
                    v.breach.code.as_str(),
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
        assert_eq!(found[1].breach.severity, Severity::Error);
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
            audit_item(&closed, None)[0].breach.severity,
            Severity::Warning
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
            changed_paths: Vec::new(),
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
    fn messages_quote_the_values() {
        let found = check_messages(&edited("due: 2026-04-05", "due: 2026-05-05"));
        assert_eq!(
            found,
            ["`due` moved from `2026-04-05` to `2026-05-05` without a vendor fix release or an approved risk adjustment recorded since it was set"]
        );
        let found = check_messages(&edited("id: A", "id: B"));
        assert_eq!(found, ["`id` changed from `A` to `B`"]);
    }

    fn check_messages(after: &Node) -> Vec<String> {
        compare_versions(&node(BASE), after)
            .into_iter()
            .map(|b| b.message)
            .collect()
    }

    fn adjusted(status: &str, due: &str) -> Arc<Node> {
        node(&format!(
            "{}deviations:\n  risk_adjustment: {{status: {status}, adjusted_risk: low}}\n",
            BASE.replace("due: 2026-04-05", due)
        ))
    }

    #[test]
    fn due_may_move_in_a_later_commit_than_its_justification_once() {
        let pending = adjusted("pending", "due: 2026-04-05");
        let approved = adjusted("approved", "due: 2026-04-05");
        let moved = adjusted("approved", "due: 2026-07-04");
        // Approved in one commit, due moved in the next (a rebase-merged pull request).
        assert!(judge_nodes(&[&pending, &approved, &moved]).is_empty());
        // With an unrelated commit between them.
        let commented = node(&format!("{}comments: ok\n", text_of_approved()));
        assert!(judge_nodes(&[&pending, &approved, &commented, &moved]).is_empty());
        // One justification, one move: moving it again is reported.
        let again = adjusted("approved", "due: 2026-08-01");
        assert_eq!(
            rules(&judge_nodes(&[&pending, &approved, &moved, &again])),
            [("due-changed", "due")]
        );
        // Near miss: moved before the approval is recorded.
        let early = adjusted("pending", "due: 2026-07-04");
        assert_eq!(
            rules(&judge_nodes(&[&pending, &early, &moved])),
            [("due-changed", "due")]
        );
    }

    fn text_of_approved() -> String {
        format!("{BASE}deviations:\n  risk_adjustment: {{status: approved, adjusted_risk: low}}\n")
    }

    #[test]
    fn a_change_undone_by_the_next_version_is_no_change() {
        let base = node(BASE);
        let moved = edited("due: 2026-04-05", "due: 2026-05-05");
        let risk = edited("risk: moderate", "risk: low");
        assert!(judge_nodes(&[&base, &moved, &base]).is_empty());
        assert!(judge_nodes(&[&base, &risk, &base]).is_empty());
        let removed = edited(
            "  - {id: 2, date: 2026-03-01, description: Roll out.}\n",
            "",
        );
        assert!(judge_nodes(&[&base, &removed, &base]).is_empty());
        // Near miss: undone only after another change of the item, both moves are reported.
        let moved_commented = node(&format!(
            "{}comments: ok\n",
            BASE.replace("due: 2026-04-05", "due: 2026-05-05")
        ));
        let back_commented = node(&format!("{BASE}comments: ok\n"));
        assert_eq!(
            rules(&judge_nodes(&[
                &base,
                &moved,
                &moved_commented,
                &back_commented
            ])),
            [("due-changed", "due"), ("due-changed", "due")]
        );
        // Near miss: changed to a third value, not back.
        let third = edited("due: 2026-04-05", "due: 2026-06-05");
        assert_eq!(rules(&judge_nodes(&[&base, &moved, &third])).len(), 2);
    }

    #[test]
    fn waivers_match_their_resolved_commit_and_rules() {
        let base = node(BASE);
        let moved = edited("due: 2026-04-05", "due: 2026-05-05");
        let item = history(vec![
            version(&meta(1, 1), VersionState::Parsed(base), false),
            version(&meta(2, 2), VersionState::Parsed(moved), false),
        ]);
        let waiver = |commit: &str, resolved: Option<&str>, rule: Code| HistoryWaiver {
            commit: commit.to_owned(),
            resolved: resolved.map(str::to_owned),
            rule,
            reason: "accepted".to_owned(),
            location: crate::source::Location {
                file: "poam.yaml".to_owned(),
                span: crate::model::Span::new(0, 0),
                start: crate::model::LineCol { line: 1, column: 1 },
                end: crate::model::LineCol { line: 1, column: 1 },
            },
        };
        let id = format!("{:040x}", 2);
        let waivers = [
            waiver(&id[..8], Some(&id), Code::DueChanged),
            waiver(&id, Some(&id), Code::RiskChanged),
        ];
        let waived = apply_waivers(audit_item(&item, None), &waivers);
        assert!(waived.kept.is_empty());
        assert_eq!(waived.matches, [1, 0]);
        // Near miss: another commit.
        let three = format!("{:040x}", 3);
        let other = [waiver(&three, Some(&three), Code::DueChanged)];
        let waived = apply_waivers(audit_item(&item, None), &other);
        assert_eq!(waived.kept.len(), 1);
        assert_eq!(waived.matches, [0]);
        // Near miss: a prefix of the commit that resolved to another commit matches nothing.
        let prefix = [waiver(&id[..8], Some(&three), Code::DueChanged)];
        let waived = apply_waivers(audit_item(&item, None), &prefix);
        assert_eq!(waived.kept.len(), 1);
    }
}
