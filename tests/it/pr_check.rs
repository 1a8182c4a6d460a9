//! The pull-request check (`poam lint --base`): its scope (findings on items the pull request
//! does not touch are counted, not failed) and its foresight of rebase merges
//! (`history-rebase-merge`), on repositories built by tests/fixtures/git/scope.sh and rebase.sh.

use std::path::Path;

use crate::common::{build_repo, poam};

/// `git ARGS` in `repo`, with no user configuration.
fn git(repo: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// (exit code, stdout, stderr) of `poam lint ARGS` in `repo`.
fn lint(repo: &Path, today: &str, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(repo)
        .args(["lint", "poams", "--today", today])
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// (code, file) of each finding.
fn findings(json: &serde_json::Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["file"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// After O1 and O2 fell due (2026-04-05).
const LATE: &str = "2026-04-20";

#[test]
fn a_pull_request_adding_a_clean_item_passes_beside_overdue_items_it_does_not_touch() {
    let (_temp, repo) = build_repo("scope");
    let (code, out, err) = lint(&repo, LATE, &["--base", "main"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 notes in 3 items\n6 findings on 2 items this pull request does not touch (run `poam lint`)\n"
    );
    // The findings left out, counted apart in JSON.
    let (code, out, _) = lint(&repo, LATE, &["--base", "main", "--format", "json"]);
    assert_eq!(code, 0);
    let report = json(&out);
    assert_eq!(
        report["untouched"],
        serde_json::json!({"findings": 6, "items": 2})
    );
    assert_eq!(report["summary"]["error"], 0);
    assert!(findings(&report).is_empty(), "{report:#}");
    // Annotations and code scanning show the pull request's findings only: none here.
    let (code, out, _) = lint(&repo, LATE, &["--base", "main", "--format", "github"]);
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = lint(&repo, LATE, &["--base", "main", "--format", "sarif"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["runs"][0]["results"], serde_json::json!([]));
    // `--scope all`: every finding decides, as before.
    let (code, out, _) = lint(
        &repo,
        LATE,
        &["--base", "main", "--scope", "all", "--format", "json"],
    );
    assert_eq!(code, 1);
    let report = json(&out);
    assert_eq!(report["summary"]["error"], 2);
    assert!(report.get("untouched").is_none(), "{report:#}");
    // The nightly check is unchanged: no `untouched` count, every finding.
    let (code, out, _) = lint(&repo, LATE, &["--format", "json"]);
    assert_eq!(code, 1);
    assert!(json(&out).get("untouched").is_none());
}

#[test]
fn a_pull_request_touching_an_overdue_item_fails_on_it_alone() {
    let (_temp, repo) = build_repo("scope");
    git(&repo, &["checkout", "-q", "touch-overdue"]);
    let (code, out, err) = lint(&repo, LATE, &["--base", "main", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    let files: Vec<String> = findings(&report).into_iter().map(|(_, f)| f).collect();
    assert_eq!(files, ["poams/O1.yaml"; 3]);
    assert_eq!(
        report["untouched"],
        serde_json::json!({"findings": 3, "items": 1})
    );
    // Near miss: the same edit made and undone in the working tree touches nothing.
    std::fs::write(
        repo.join("poams/O1.yaml"),
        std::fs::read_to_string(repo.join("poams/O1.yaml"))
            .expect("read")
            .replace("owner: Sam Roe", "owner: Jane Doe"),
    )
    .expect("write");
    let (code, out, _) = lint(&repo, LATE, &["--base", "main", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&out)["untouched"]["findings"], 6);
}

#[test]
fn a_new_item_reusing_an_untouched_items_id_is_the_pull_requests_finding() {
    let (_temp, repo) = build_repo("scope");
    let copy = std::fs::read_to_string(repo.join("poams/N.yaml"))
        .expect("read")
        .replace("id: N", "id: O2");
    std::fs::write(repo.join("poams/N2.yaml"), copy).expect("write");
    let (code, out, _) = lint(&repo, LATE, &["--base", "main", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    let duplicates: Vec<String> = findings(&report)
        .into_iter()
        .filter(|(code, _)| code == "duplicate-id")
        .map(|(_, file)| file)
        .collect();
    assert!(!duplicates.is_empty(), "{report:#}");
    // O2's own lateness is still not the pull request's.
    assert!(!findings(&report).contains(&("overdue".to_owned(), "poams/O2.yaml".to_owned())));
}

/// Before X's milestones or due date are late.
const EARLY: &str = "2026-03-20";

fn rebase_findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "history-rebase-merge")
        .map(|d| {
            (
                d["severity"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_justification_recorded_after_the_move_it_excuses_warns_of_a_rebase_merge() {
    let (_temp, repo) = build_repo("rebase");
    let (code, out, err) = lint(&repo, EARLY, &["--base", "main", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report = json(&out);
    let found = rebase_findings(&report);
    assert_eq!(found.len(), 1, "{report:#}");
    assert_eq!(found[0].0, "warning");
    assert!(
        found[0].1.starts_with("a rebase or fast-forward merge would leave `due-changed` on main: `due` moved from `2026-04-05` to `2026-05-30`"),
        "{}",
        found[0].1
    );
    let commit = found[0]
        .1
        .rsplit_once("(commit ")
        .and_then(|(_, rest)| rest.split(' ').next())
        .expect("names the commit")
        .to_owned();
    assert!(found[0].1.ends_with("by Bob Builder on 2026-03-02)"));
    let rebased = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["code"] == "history-rebase-merge")
        .expect("finding");
    assert_eq!(
        (&rebased["file"], &rebased["line"], &rebased["help"]),
        (
            &serde_json::json!("poams/X.yaml"),
            &serde_json::json!(11),
            &serde_json::json!("squash or merge-commit this pull request, or reorder the commits")
        )
    );
    // The squashed change itself passes: no history finding of its own.
    assert!(!out.contains("\"due-changed\""), "{out}");

    // What it foresaw: fast-forwarded, main reports that very commit for ever.
    git(&repo, &["checkout", "-q", "main"]);
    git(&repo, &["merge", "-q", "--ff-only", "pr-rebase"]);
    let (code, out, _) = lint(&repo, EARLY, &["--format", "json"]);
    assert_eq!(code, 1);
    let main_report = json(&out);
    let on_main: Vec<&serde_json::Value> = main_report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "due-changed")
        .collect();
    assert_eq!(on_main.len(), 1);
    assert!(on_main[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains(&format!("(commit {commit} "))));
}

#[test]
fn merge_strategy_decides_the_rebase_merge_finding() {
    let (_temp, repo) = build_repo("rebase");
    let with = |strategy: &str| {
        std::fs::write(
            repo.join("poam.yaml"),
            format!("items: poams\nmerge_strategy: {strategy}\n"),
        )
        .expect("write");
        let output = poam()
            .current_dir(&repo)
            .args([
                "lint", "--today", EARLY, "--base", "main", "--format", "json",
            ])
            .output()
            .expect("run poam");
        let out = String::from_utf8(output.stdout).expect("utf-8");
        (
            output.status.code().unwrap_or(-1),
            rebase_findings(&json(&out)),
        )
    };
    let (code, found) = with("rebase");
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "error");
    for strategy in ["squash", "merge"] {
        assert_eq!(with(strategy), (0, Vec::new()), "{strategy}");
    }
    // A wrong value is a configuration error at its place.
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nmerge_strategy: rebse\n",
    )
    .expect("write");
    let output = poam()
        .current_dir(&repo)
        .args(["lint", "--today", EARLY, "--base", "main"])
        .output()
        .expect("run poam");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "poam.yaml:2:17]",
        "`merge_strategy` must be `squash`, `merge` or `rebase`, found `rebse`",
        "did you mean `rebase`?",
    ] {
        assert!(err.contains(expected), "{expected:?} not in\n{err}");
    }
}

#[test]
fn a_justification_recorded_first_leaves_nothing_to_foresee() {
    let (_temp, repo) = build_repo("rebase");
    git(&repo, &["checkout", "-q", "pr-ordered"]);
    let (code, out, err) = lint(&repo, EARLY, &["--base", "main", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report = json(&out);
    assert!(rebase_findings(&report).is_empty(), "{report:#}");
    // And main after a fast-forward agrees.
    git(&repo, &["checkout", "-q", "main"]);
    git(&repo, &["merge", "-q", "--ff-only", "pr-ordered"]);
    let (_, out, _) = lint(&repo, EARLY, &["--format", "json"]);
    assert!(!out.contains("\"due-changed\""), "{out}");
}

#[test]
fn only_findings_main_would_report_are_foreseen() {
    // Under fedramp-cr26 `due` is informational: moving it breaks nothing on main.
    let (_temp, repo) = build_repo("rebase");
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nprofile: fedramp-cr26\ncr26: {class: c}\n",
    )
    .expect("write");
    let output = poam()
        .current_dir(&repo)
        .args([
            "lint", "--today", EARLY, "--base", "main", "--format", "json",
        ])
        .output()
        .expect("run poam");
    let out = String::from_utf8(output.stdout).expect("utf-8");
    assert!(rebase_findings(&json(&out)).is_empty(), "{out}");
    // Nor when the rule is turned off.
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nrules: {history-rebase-merge: off}\n",
    )
    .expect("write");
    let output = poam()
        .current_dir(&repo)
        .args([
            "lint", "--today", EARLY, "--base", "main", "--format", "json",
        ])
        .output()
        .expect("run poam");
    let out = String::from_utf8(output.stdout).expect("utf-8");
    assert!(rebase_findings(&json(&out)).is_empty(), "{out}");
}
