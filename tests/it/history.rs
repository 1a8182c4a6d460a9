//! The git history engine, PR mode, the history rules' inputs and `poam log` rendering, on
//! repositories built by the scripts in tests/fixtures/git (fixed people and dates, so commit
//! ids and snapshots are stable).

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;
use poam::commands::log::render_log;
use poam::diag::Severity;
use poam::history::audit;
use poam::history::select;
use poam::history::{
    self, EventKind, GitRepo, History, HistoryError, ItemHistory, Source, VersionState, WalkOptions,
};
use poam::render::log::{render, LogFormat};
/// Every history rule of the default profile along the runs.
fn judge(runs: &[audit::Run]) -> Vec<poam::rules::Violation> {
    poam::rules::judge_history(runs, poam::policy::Profile::default())
}
use poam::rules::{Code, Violation};

use crate::common::build_repo;

/// Runs git in `dir` with no user config, as the fixture scripts do.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

fn open(items: &Path) -> GitRepo {
    history::open(items).expect("repository opens")
}

fn full(items: &Path) -> History {
    open(items)
        .full_history(WalkOptions::default())
        .expect("history reads")
}

fn item<'h>(history: &'h History, id: &str) -> &'h ItemHistory {
    history
        .item(id)
        .unwrap_or_else(|| panic!("no item {id} in {:?}", ids(history)))
}

fn ids(history: &History) -> Vec<&str> {
    history.items.iter().map(|i| i.id.as_str()).collect()
}

fn summaries(item: &ItemHistory) -> Vec<(&'static str, &str)> {
    item.events
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.commit().map_or("(working tree)", |c| c.summary.as_str()),
            )
        })
        .collect()
}

fn change_paths(item: &ItemHistory, event: usize) -> Vec<&str> {
    item.events[event]
        .changes
        .iter()
        .map(|c| c.path.as_str())
        .collect()
}

/// (rule code, item id, commit summary or "working tree", field), sorted.
fn described(violations: &[Violation]) -> Vec<(String, String, String, String)> {
    let mut list: Vec<_> = violations
        .iter()
        .map(|v| {
            (
                v.breach.code.as_str().to_owned(),
                v.item_id.clone(),
                v.source
                    .commit()
                    .map_or("working tree".to_owned(), |c| c.summary.clone()),
                v.breach.field.clone(),
            )
        })
        .collect();
    list.sort();
    list
}

fn owned(rows: &[(&str, &str, &str, &str)]) -> Vec<(String, String, String, String)> {
    let mut rows: Vec<_> = rows
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    rows.sort();
    rows
}

#[test]
fn events_follow_items_through_edits_moves_parse_failures_and_deletion() {
    let (_temp, repo) = build_repo("timeline");
    let history = full(&repo.join("compliance/poams"));
    assert_eq!(history.items_dir, "compliance/poams");
    assert_eq!(ids(&history), ["POAM-0001", "POAM-0002", "POAM-0103"]);
    // Ten commits on the first-parent line; the first (no items folder yet) and the
    // README-only one change nothing.
    assert_eq!(history.commits_walked, 10);
    let changed: Vec<&str> = history
        .changed_commits
        .iter()
        .map(|c| c.summary.as_str())
        .collect();
    assert!(!changed.contains(&"Start the compliance repo"));
    assert!(!changed.contains(&"Document owners"));
    assert_eq!(changed.len(), 8);

    let first = item(&history, "POAM-0001");
    assert_eq!(
        summaries(first),
        [
            ("created", "Record the January scan findings"),
            (
                "changed",
                "POAM-0001: move the rollout, request a risk adjustment"
            ),
            ("changed", "WIP: half-edited POAM-0001"),
            ("changed", "Fix POAM-0001 and sharpen its title"),
        ]
    );
    assert_eq!(
        change_paths(first, 1),
        [
            "due",
            "milestones[1].date",
            "deviations.risk_adjustment.status",
            "deviations.risk_adjustment.adjusted_risk",
            "deviations.risk_adjustment.rationale"
        ]
    );
    let due = &first.events[1].changes[0];
    assert_eq!(due.old, Some(serde_json::json!("2026-04-05")));
    assert_eq!(due.new, Some(serde_json::json!("2026-05-05")));
    assert_eq!(first.events[1].changes[2].old, None);
    let commit = first.events[1].commit().expect("a commit");
    assert_eq!(commit.author.name, "Bob Builder");
    assert_eq!(commit.committer.email, "bob@example.com");
    assert_eq!(commit.time_rfc3339(), "2026-02-01T16:30:00-05:00");
    // The broken version is reported, and the fix is compared with the last good version:
    // only the title differs from it.
    let broken = &first.events[2];
    assert!(broken.parse_error.is_some(), "{broken:?}");
    assert!(broken.changes.is_empty());
    assert!(matches!(
        first.versions[2].state,
        VersionState::Unparseable(_)
    ));
    assert_eq!(change_paths(first, 3), ["title"]);
    assert_eq!(first.events[0].path, "compliance/poams/POAM-0001.yaml");

    let second = item(&history, "POAM-0002");
    assert_eq!(
        summaries(second),
        [
            ("created", "Record the January scan findings"),
            ("renamed", "Close POAM-0002"),
            ("deleted", "Remove the closed nginx item"),
        ]
    );
    let moved = &second.events[1];
    assert_eq!(moved.kind, EventKind::Renamed);
    assert_eq!(
        moved.old_path.as_deref(),
        Some("compliance/poams/POAM-0002.yaml")
    );
    assert_eq!(moved.path, "compliance/poams/closed/POAM-0002.yaml");
    assert_eq!(
        change_paths(second, 1),
        ["status", "closed.date", "closed.evidence"]
    );
    assert!(!second.exists);
    assert!(matches!(
        second.versions.last().map(|v| &v.state),
        Some(VersionState::Deleted)
    ));
}

#[test]
fn merge_commits_are_seen_through_their_first_parent_and_renumbering_keeps_the_timeline() {
    let (_temp, repo) = build_repo("timeline");
    let history = full(&repo.join("compliance/poams"));
    let renumbered = item(&history, "POAM-0103");
    assert_eq!(renumbered.former_ids, ["POAM-0003"]);
    assert!(renumbered.answers_to("POAM-0003"));
    // The branch's two commits arrive as the one merge commit.
    assert_eq!(
        summaries(renumbered),
        [
            ("created", "Record libxml2 finding"),
            ("renamed", "Merge branch 'renumber'"),
        ]
    );
    assert_eq!(change_paths(renumbered, 1), ["id", "owner"]);
    let changed: Vec<&str> = history
        .changed_commits
        .iter()
        .map(|c| c.summary.as_str())
        .collect();
    assert!(!changed.contains(&"Renumber POAM-0003 as POAM-0103"));
    assert!(!changed.contains(&"Hand POAM-0103 to Sam"));
}

#[test]
fn last_change_gives_the_status_date_commit() {
    let (_temp, repo) = build_repo("timeline");
    let history = full(&repo.join("compliance/poams"));
    let last = history.last_change("POAM-0001").expect("changed");
    assert!(last.exact);
    assert_eq!(last.commit.summary, "Fix POAM-0001 and sharpen its title");
    assert_eq!(last.commit.time.date_naive().to_string(), "2026-02-21");
    assert!(history.last_change("POAM-0999").is_none());
}

#[test]
fn detached_head_walks_from_the_checked_out_commit() {
    let (_temp, repo) = build_repo("timeline");
    git(&repo, &["checkout", "-q", "--detach", "HEAD~1"]);
    let history = full(&repo.join("compliance/poams"));
    assert_eq!(
        history.head.as_ref().map(|h| h.summary.as_str()),
        Some("Merge branch 'renumber'")
    );
    let second = item(&history, "POAM-0002");
    assert!(second.exists);
    assert_eq!(second.events.len(), 2);
}

#[test]
fn uncommitted_edits_are_not_history() {
    let (_temp, repo) = build_repo("timeline");
    let items = repo.join("compliance/poams");
    let before = full(&items);
    let file = items.join("POAM-0001.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("risk: moderate", "risk: high")).expect("write");
    std::fs::write(items.join("POAM-0999.yaml"), "id: POAM-0999\n").expect("write");
    assert_eq!(full(&items), before);
}

#[test]
fn items_dir_may_be_named_through_other_folders_of_the_repo() {
    let (_temp, repo) = build_repo("timeline");
    let roundabout = repo.join("compliance/../compliance/./poams");
    let opened = open(&roundabout);
    assert_eq!(opened.items_dir(), "compliance/poams");
    assert_eq!(
        opened.root(),
        repo.canonicalize().expect("canonical").as_path()
    );
    // A folder that does not exist (yet) still maps into the repository.
    assert_eq!(open(&repo.join("later/poams")).items_dir(), "later/poams");
    let history = full(&repo.join("later/poams"));
    assert!(history.items.is_empty());
    assert_eq!(history.commits_walked, 10);
}

#[test]
fn a_repository_without_commits_has_an_empty_history() {
    let (_temp, repo) = build_repo("empty");
    let opened = open(&repo.join("poams"));
    let history = opened
        .full_history(WalkOptions::default())
        .expect("no error");
    assert!(history.items.is_empty());
    assert!(history.head.is_none());
    assert_eq!(history.commits_walked, 0);
    assert!(matches!(
        opened.pr_history("main", WalkOptions::default()),
        Err(HistoryError::NoCommits)
    ));
    let text = render(&history, &[], LogFormat::Human);
    assert_eq!(text, "no item history to show\n");
}

#[test]
fn a_folder_outside_any_repository_is_reported_as_such() {
    let temp = tempfile::tempdir().expect("temp dir");
    let items = temp.path().join("poams");
    std::fs::create_dir_all(&items).expect("mkdir");
    match history::open(&items) {
        Err(HistoryError::NotARepo { path }) => assert_eq!(path, items),
        other => panic!("expected NotARepo, got {other:?}"),
    }
    let err = render_log(&items, &[], None, LogFormat::Json, false).expect_err("not a repo");
    assert!(err.to_string().contains("is not inside a git repository"));
}

#[test]
fn shallow_clones_do_not_invent_creations_at_the_boundary() {
    let (_temp, root) = build_repo("shallow");
    let clone = root.join("shallow");
    let opened = open(&clone.join("poams"));
    assert!(opened.is_shallow());
    let history = opened
        .full_history(WalkOptions::default())
        .expect("history reads");
    let boundary = history.shallow_boundary.as_ref().expect("boundary found");
    assert_eq!(boundary.summary, "Hand B to Sam");
    let warning = history.shallow_warning().expect("warning");
    assert!(warning.contains(&boundary.id[..7]), "{warning}");
    assert!(warning.contains("fetch-depth: 0"), "{warning}");

    let a = item(&history, "A");
    let b = item(&history, "B");
    assert!(a.pre_existing && b.pre_existing);
    assert!(a.versions[0].baseline && b.versions[0].baseline);
    assert!(b.events.is_empty(), "{:?}", b.events);
    assert_eq!(summaries(a), [("changed", "Correct A's detection date")]);
    let c = item(&history, "C");
    assert!(!c.pre_existing);
    assert_eq!(summaries(c), [("created", "Record C")]);
    assert!(history
        .items
        .iter()
        .flat_map(|i| &i.events)
        .all(|e| e.kind != EventKind::Created
            || e.commit().map(|c| c.id.as_str()) != Some(boundary.id.as_str())));

    // B last changed at or before the boundary: the date is a bound, not exact.
    let last = history.last_change("B").expect("known");
    assert!(!last.exact);
    assert_eq!(last.commit.id, boundary.id);

    // Rules see the change after the boundary, nothing about the boundary itself.
    assert_eq!(
        described(&judge(&audit::full_runs(&history, None))),
        owned(&[(
            "detected-changed",
            "A",
            "Correct A's detection date",
            "detected"
        )])
    );

    // The same repository in full has A and B created, and no warning.
    let complete = full(&root.join("full/poams"));
    assert!(complete.shallow_boundary.is_none());
    assert_eq!(
        summaries(item(&complete, "B")),
        [("created", "Record A and B"), ("changed", "Hand B to Sam")]
    );
}

#[test]
fn shallow_clone_without_the_base_is_a_clear_pr_mode_error() {
    let (_temp, root) = build_repo("shallow");
    let opened = open(&root.join("shallow/poams"));
    let err = opened
        .pr_history("HEAD~4", WalkOptions::default())
        .expect_err("base is cut off");
    assert!(
        matches!(&err, HistoryError::BaseNotFound { rev, shallow: true } if rev == "HEAD~4"),
        "{err:?}"
    );
    assert!(err.to_string().contains("fetch-depth: 0"), "{err}");
}

#[test]
fn an_unknown_base_revision_is_an_error() {
    let (_temp, repo) = build_repo("pr");
    let err = open(&repo.join("poams"))
        .pr_history("origin/nope", WalkOptions::default())
        .expect_err("no such revision");
    assert!(
        matches!(&err, HistoryError::BaseNotFound { shallow: false, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "base revision `origin/nope` was not found in this repository"
    );
}

#[test]
fn pr_mode_reads_only_the_change_and_allows_creating_then_editing() {
    let (_temp, repo) = build_repo("pr");
    let opened = open(&repo.join("poams"));
    let pr = opened
        .pr_history("main", WalkOptions::default())
        .expect("pr reads");
    assert_eq!(pr.merge_base.summary, "Hand B to Sam");
    assert_eq!(pr.base.summary, "Retitle B");
    assert!(!pr.folded);
    let commits: Vec<&str> = pr.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(
        commits,
        [
            "Record C",
            "Plan C's rescan",
            "Push A's rollout and due date"
        ]
    );
    // B is untouched by the PR (main's later edit is not part of it).
    let touched: Vec<&str> = pr.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(touched, ["A", "C"]);
    let a = pr.item("A").expect("A");
    assert!(a.pre_existing);
    assert!(a.versions[0].baseline);
    assert_eq!(
        a.versions[0].source.commit().map(|c| c.summary.as_str()),
        Some("Hand B to Sam")
    );
    assert_eq!(a.versions.len(), 2);
    let c = pr.item("C").expect("C");
    assert!(!c.pre_existing);
    assert_eq!(
        summaries(c),
        [("created", "Record C"), ("changed", "Plan C's rescan")]
    );

    assert_eq!(
        described(&judge(&audit::pr_runs(&pr, None))),
        owned(&[("due-changed", "A", "Push A's rollout and due date", "due")])
    );
}

#[test]
fn pr_mode_includes_the_working_tree() {
    let (_temp, repo) = build_repo("pr");
    let items = repo.join("poams");
    let file = items.join("A.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(
        &file,
        text.replace("detected: 2026-01-05", "detected: 2026-01-04"),
    )
    .expect("write");
    let b = items.join("B.yaml");
    std::fs::remove_file(&b).expect("remove B");
    std::fs::write(items.join("D.yaml"), "id: D\ntitle: new\ndue: 2026-05-01\n").expect("write D");

    let pr = open(&items)
        .pr_history("main", WalkOptions::default())
        .expect("pr reads");
    let a = pr.item("A").expect("A");
    let last = a.versions.last().expect("versions");
    assert_eq!(last.source, Source::WorkingTree);
    let touched: Vec<&str> = pr.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(touched, ["A", "B", "C", "D"]);
    assert_eq!(
        described(&judge(&audit::pr_runs(&pr, None))),
        owned(&[
            ("detected-changed", "A", "working tree", "detected"),
            ("due-changed", "A", "Push A's rollout and due date", "due"),
            ("item-deleted", "B", "working tree", ""),
        ])
    );
}

#[test]
fn pr_mode_folds_commits_before_a_merge_of_the_base_branch() {
    let (_temp, repo) = build_repo("pr");
    git(&repo, &["checkout", "-q", "feature-merged"]);
    let pr = open(&repo.join("poams"))
        .pr_history("main", WalkOptions::default())
        .expect("pr reads");
    assert_eq!(pr.merge_base.summary, "Retitle B");
    assert!(pr.folded);
    let commits: Vec<&str> = pr.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(commits, ["Merge main into feature-merged", "Hand C to Sam"]);
    // B changed only on main: not part of the PR even though the merge brought it in.
    assert!(pr.item("B").is_none());
    assert_eq!(
        described(&judge(&audit::pr_runs(&pr, None))),
        owned(&[("due-changed", "A", "Merge main into feature-merged", "due")])
    );
}

#[test]
fn every_history_rule_fires_on_its_commit_and_the_due_exceptions_hold() {
    let (_temp, repo) = build_repo("rules");
    let history = full(&repo.join("poams"));
    let violations = judge(&audit::full_runs(&history, None));
    assert_eq!(
        described(&violations),
        owned(&[
            ("detected-changed", "A", "A: detected-changed", "detected"),
            ("risk-changed", "B", "B: risk-changed", "risk"),
            ("due-changed", "C", "C: due-changed", "due"),
            (
                "milestones-rewritten",
                "A",
                "A, B: milestones-rewritten",
                "milestones[1].date"
            ),
            (
                "milestones-rewritten",
                "B",
                "A, B: milestones-rewritten",
                "milestones[2]"
            ),
            (
                "milestone-changes-rewritten",
                "C",
                "C: milestone-changes-rewritten",
                "milestone_changes[0].description"
            ),
            ("reopened", "F", "F: reopened", "status"),
            ("item-deleted", "E", "E: item-deleted while open", ""),
            ("item-deleted", "D", "D: item-deleted after closing", ""),
            ("id-changed", "A2", "A: id-changed in place", "id"),
        ])
    );
    let deleted: Vec<Severity> = violations
        .iter()
        .filter(|v| v.breach.code == Code::ItemDeleted)
        .map(|v| v.breach.severity)
        .collect();
    assert!(deleted.contains(&Severity::Warning));
    assert!(deleted.contains(&Severity::Error));
    let id_change = violations
        .iter()
        .find(|v| v.breach.code == Code::IdChanged)
        .map(|v| &v.breach)
        .expect("id-changed");
    assert_eq!(id_change.old, Some(serde_json::json!("A")));
    assert_eq!(id_change.new, Some(serde_json::json!("A2")));
    assert_eq!(id_change.message, "`id` changed from `A` to `A2`");
}

#[test]
fn history_since_sets_the_starting_line_by_date_or_commit() {
    let (_temp, repo) = build_repo("rules");
    let opened = open(&repo.join("poams"));
    let history = opened
        .full_history(WalkOptions::default())
        .expect("history reads");
    let all = judge(&audit::full_runs(&history, None)).len();
    let early = ["A: detected-changed", "B: risk-changed", "C: due-changed"];

    let by_date = opened.resolve_since("2026-03-05").expect("date");
    assert_eq!(
        by_date,
        history::Cutoff::Date(NaiveDate::from_ymd_opt(2026, 3, 5).expect("date"))
    );
    let kept = judge(&audit::full_runs(&history, Some(&by_date)));
    assert_eq!(kept.len(), all - 3);
    assert!(kept
        .iter()
        .all(|v| !early.contains(&v.source.commit().expect("commit").summary.as_str())));

    let cut = git(&repo, &["rev-parse", "HEAD~11"]);
    let by_commit = opened.resolve_since(&cut).expect("commit");
    assert_eq!(judge(&audit::full_runs(&history, Some(&by_commit))), kept);
    // The log still shows the early changes.
    assert!(item(&history, "B")
        .events
        .iter()
        .any(|e| e.commit().is_some_and(|c| c.summary == "B: risk-changed")));

    assert!(matches!(
        opened.resolve_since("not-a-rev"),
        Err(HistoryError::BadSince { .. })
    ));
}

#[test]
fn log_filters_by_id_and_date() {
    let (_temp, repo) = build_repo("timeline");
    let items = repo.join("compliance/poams");
    let history = full(&items);
    let picked = select(&history, &["POAM-0003".to_owned()], None).expect("known id");
    assert_eq!(picked.len(), 1);
    assert_eq!(picked[0].id, "POAM-0103");

    let since = NaiveDate::from_ymd_opt(2026, 2, 21);
    let recent = select(&history, &[], since).expect("select");
    let ids: Vec<&str> = recent.iter().map(|t| t.id).collect();
    assert_eq!(ids, ["POAM-0001", "POAM-0002", "POAM-0103"]);
    assert_eq!(recent[0].events.len(), 1);
    let later = select(&history, &[], NaiveDate::from_ymd_opt(2026, 3, 2)).expect("select");
    let ids: Vec<&str> = later.iter().map(|t| t.id).collect();
    assert_eq!(ids, ["POAM-0002", "POAM-0103"]);

    let err = select(&history, &["POAM-0001".into(), "NOPE".into()], None).expect_err("unknown id");
    assert_eq!(err.to_string(), "no committed history for NOPE");
}

#[test]
fn log_json_snapshot() {
    let (_temp, repo) = build_repo("timeline");
    let text = render_log(
        &repo.join("compliance/poams"),
        &[],
        None,
        LogFormat::Json,
        false,
    )
    .expect("log renders");
    let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(parsed["version"], 2);
    insta::assert_snapshot!("log_timeline_json", text);
}

#[test]
fn log_human_snapshot() {
    let (_temp, repo) = build_repo("timeline");
    let text = render_log(
        &repo.join("compliance/poams"),
        &[],
        None,
        LogFormat::Human,
        false,
    )
    .expect("log renders");
    insta::assert_snapshot!("log_timeline_human", text);
}

#[test]
fn log_markdown_snapshot() {
    let (_temp, repo) = build_repo("timeline");
    let text = render_log(
        &repo.join("compliance/poams"),
        &["POAM-0001".to_owned(), "POAM-0002".to_owned()],
        None,
        LogFormat::Md,
        false,
    )
    .expect("log renders");
    insta::assert_snapshot!("log_timeline_md", text);
}

#[test]
fn log_of_a_shallow_clone_carries_the_warning() {
    let (_temp, root) = build_repo("shallow");
    let text = render_log(
        &root.join("shallow/poams"),
        &[],
        None,
        LogFormat::Human,
        false,
    )
    .expect("log renders");
    insta::assert_snapshot!("log_shallow_human", text);
    let json = render_log(
        &root.join("shallow/poams"),
        &[],
        None,
        LogFormat::Json,
        false,
    )
    .expect("log renders");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed["warnings"].as_array().map(Vec::len), Some(1));
    assert_eq!(parsed["items"][0]["pre_existing"], true);
    assert_eq!(parsed["items"][0]["events"][0]["kind"], "changed");
}

#[test]
fn log_from_a_subdirectory_finds_the_repository_and_its_items() {
    let (_temp, repo) = build_repo("timeline");
    let expected = render_log(
        &repo.join("compliance/poams"),
        &[],
        None,
        LogFormat::Json,
        false,
    )
    .expect("log renders");
    let output = crate::common::poam()
        .current_dir(repo.join("compliance"))
        .args(["log", "--format", "json"])
        .output()
        .expect("poam runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8(output.stdout).expect("utf-8"), expected);
}

#[test]
fn a_long_history_read_in_two_halves_equals_one_read_in_order() {
    let (_temp, repo) = build_repo("long");
    let history = full(&repo.join("poams"));
    assert_eq!(history.commits_walked, 321);
    // The later moves find V-14 moved already: seven commits change no item.
    assert_eq!(history.changed_commits.len(), 314);
    // Created, moved once, and eight change logs appended.
    assert_eq!(item(&history, "V-14").events.len(), 10);
    let log = |threads: &str| {
        let output = crate::common::poam()
            .current_dir(&repo)
            .env("RAYON_NUM_THREADS", threads)
            .args(["log", "--format", "json", "--today", "2026-01-01"])
            .output()
            .expect("run poam");
        assert!(output.status.success(), "{output:?}");
        output.stdout
    };
    let (one_thread, two_threads) = (log("1"), log("2"));
    assert!(
        one_thread == two_threads,
        "the split walk reads the history differently"
    );
}

/// The walk reads packed objects with a reader of its own (and libgit2 for the rest): a
/// repository packed with offset deltas, then with deltas naming their base by id, and then
/// holding a pack and loose objects at once, reads exactly as its loose objects did.
#[test]
fn a_packed_history_reads_as_the_loose_one() {
    let (_temp, repo) = build_repo("long");
    let log = || {
        let output = crate::common::poam()
            .current_dir(&repo)
            .env("RAYON_NUM_THREADS", "2")
            .args(["log", "--format", "json", "--today", "2026-01-01"])
            .output()
            .expect("run poam");
        assert!(output.status.success(), "{output:?}");
        output.stdout
    };
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .current_dir(&repo)
            .args(args)
            .output()
            .expect("git runs");
        assert!(output.status.success(), "git {args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let loose = log();
    let deltas = |pack_listing: String| {
        pack_listing
            .lines()
            .filter(|line| line.split_whitespace().count() >= 7)
            .count()
    };
    for offsets in ["true", "false"] {
        git(&[
            "-c",
            &format!("repack.useDeltaBaseOffset={offsets}"),
            "repack",
            "-adfq",
            "--depth=50",
            "--window=50",
        ]);
        let pack = std::fs::read_dir(repo.join(".git/objects/pack"))
            .expect("pack folder")
            .map(|e| e.expect("entry").path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .expect("a pack index");
        let listing = git(&["verify-pack", "-v", pack.to_str().expect("utf-8 path")]);
        assert!(deltas(listing) > 100, "the pack holds deltas");
        assert!(
            log() == loose,
            "a pack (offset deltas: {offsets}) reads differently"
        );
    }
    // One more commit leaves loose objects beside the pack.
    let item = repo.join("poams/V-01.yaml");
    let mut text = std::fs::read_to_string(&item).expect("item");
    text.push_str("comments: after the pack\n");
    std::fs::write(&item, text).expect("write item");
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=Alice",
        "-c",
        "user.email=alice@example.com",
        "commit",
        "-qm",
        "After the pack",
    ]);
    let mixed = String::from_utf8(log()).expect("utf-8");
    assert!(mixed.contains("After the pack"), "{mixed}");
}
