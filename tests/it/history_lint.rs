//! `poam lint` and `poam log` end to end on real repositories built by tests/fixtures/git.

use std::path::Path;
use std::process::Command;

use crate::common::{build_repo, poam};

fn lint_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(cwd)
        .arg("lint")
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

fn history_findings(json: &serde_json::Value) -> Vec<serde_json::Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| {
            poam::rules::Code::from_name(d["code"].as_str().unwrap_or_default())
                .is_some_and(poam::rules::is_history_code)
        })
        .cloned()
        .collect()
}

#[test]
fn every_history_rule_reports_the_commit_and_the_current_line() {
    let (_temp, repo) = build_repo("rules");
    let (code, out, err) = lint_in(
        &repo,
        &["poams", "--today", "2026-03-20", "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found = history_findings(&json);
    let codes: std::collections::BTreeSet<&str> =
        found.iter().filter_map(|d| d["code"].as_str()).collect();
    for expected in [
        "detected-changed",
        "risk-changed",
        "due-changed",
        "milestones-rewritten",
        "milestone-changes-rewritten",
        "item-deleted",
        "id-changed",
        "reopened",
    ] {
        assert!(
            codes.contains(expected),
            "{expected} missing from {codes:?}"
        );
    }
    // C's `due` was pushed without cause: the finding points at `due` in today's file.
    let due = found
        .iter()
        .find(|d| d["code"] == "due-changed")
        .expect("due-changed");
    assert_eq!(
        (
            due["file"].as_str(),
            due["line"].as_u64(),
            due["column"].as_u64()
        ),
        (Some("poams/C.yaml"), Some(11), Some(6))
    );
    assert!(
        due["message"]
            .as_str()
            .unwrap_or_default()
            .contains("by Bob Builder on 2026-03-04"),
        "{due}"
    );
    // The two exceptions: D (fix released) and E (adjustment approved) moved `due` legally.
    assert_eq!(
        found.iter().filter(|d| d["code"] == "due-changed").count(),
        1
    );
    // Deleting a closed item is a warning, an open one an error.
    let deleted: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d["code"] == "item-deleted")
        .map(|d| {
            (
                d["item"].as_str().unwrap_or_default(),
                d["severity"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(deleted, [("D", "warning"), ("E", "error")]);
    insta::assert_json_snapshot!("lint_history_rules", found);
}

#[test]
fn history_since_silences_older_changes() {
    let (_temp, repo) = build_repo("rules");
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nhistory_since: 2026-03-10\n",
    )
    .expect("write");
    let (_, out, err) = lint_in(&repo, &["--today", "2026-03-20", "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let codes: Vec<String> = history_findings(&json)
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    let codes: std::collections::BTreeSet<String> = codes.into_iter().collect();
    let expected: std::collections::BTreeSet<String> = ["id-changed", "item-deleted", "reopened"]
        .map(String::from)
        .into();
    assert_eq!(codes, expected, "only changes on or after 2026-03-10 count");
}

#[test]
fn pr_mode_checks_only_the_change_and_names_the_offending_commit() {
    let (_temp, repo) = build_repo("pr");
    let (code, out, err) = lint_in(
        &repo,
        &[
            "poams",
            "--today",
            "2026-03-20",
            "--base",
            "main",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found = history_findings(&json);
    let summary: Vec<(&str, &str)> = found
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default(),
                d["item"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    // A existed at the merge base and its due date moved; C was created in the PR and may change,
    // but rebased onto main its second commit would move C's due date and add a planned
    // milestone after C's creation: warned as such.
    assert_eq!(
        summary,
        [
            ("due-changed", "A"),
            ("history-rebase-merge", "C"),
            ("history-rebase-merge", "C")
        ]
    );
    assert!(found[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("by Bob Builder on 2026-03-05"));
}

#[test]
fn pr_mode_with_an_unknown_base_is_exit_two() {
    let (_temp, repo) = build_repo("pr");
    let (code, out, err) = lint_in(&repo, &["poams", "--base", "origin/nope"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("origin/nope"), "{err}");
}

#[test]
fn a_shallow_clone_warns_once_and_blames_nothing_on_the_boundary() {
    let (temp, repo) = build_repo("rules");
    let shallow = temp.path().join("shallow");
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", repo.display()))
        .arg(&shallow)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git clone");
    assert!(status.success());
    let (_, out, _) = lint_in(
        &shallow,
        &["poams", "--today", "2026-03-20", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let found = history_findings(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "history-shallow");
    assert!(found[0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("fetch-depth: 0"));
}

#[test]
fn lint_from_a_subdirectory_finds_the_config_and_the_repository() {
    let (_temp, repo) = build_repo("rules");
    std::fs::write(repo.join("poam.yaml"), "items: poams\n").expect("write");
    let (code, out, err) = lint_in(
        &repo.join("poams"),
        &["--today", "2026-03-20", "--format", "short"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("poams/C.yaml:11:6: error[due-changed]")),
        "{out}"
    );
}

#[test]
fn no_history_skips_the_history_rules() {
    let (_temp, repo) = build_repo("rules");
    let (_, out, _) = lint_in(
        &repo,
        &[
            "poams",
            "--today",
            "2026-03-20",
            "--format",
            "json",
            "--no-history",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(history_findings(&json).is_empty());
}

#[test]
fn log_command_prints_versioned_json() {
    let (_temp, repo) = build_repo("rules");
    let output = poam()
        .current_dir(&repo)
        .args(["log", "-C", "poams", "C", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(json["version"], 2);
    let events = json["items"][0]["events"].as_array().expect("events");
    assert_eq!(events[0]["kind"], "created");
    assert_eq!(events[1]["changes"][0]["path"], "due");
    assert_eq!(events[1]["changes"][0]["old"], "2026-04-05");
    assert_eq!(events[1]["changes"][0]["new"], "2026-05-05");
    let output = poam()
        .current_dir(&repo)
        .args(["log", "-C", "poams", "NOPE"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
}

/// `(code, item, message)` of the history findings of a lint in `repo`.
fn history_summary(repo: &Path, extra: &[&str]) -> (i32, Vec<(String, String, String)>) {
    let mut args = vec!["poams", "--today", "2026-03-20", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = lint_in(repo, &args);
    let json: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    let found = history_findings(&json)
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            (text("code"), text("item"), text("message"))
        })
        .collect();
    (code, found)
}

#[test]
fn an_id_is_judged_across_the_files_that_carry_it() {
    // Issue 20.1: close V-1 while adding a copy with its id, a lower risk, a later due date and
    // status open; delete the closed file; rename the copy to V-1.yaml.
    let (_temp, repo) = build_repo("duplicate");
    let (code, found) = history_summary(&repo, &[]);
    assert_eq!(code, 1, "{found:#?}");
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, item, _)| (code.as_str(), item.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("duplicate-id-history", "V-1"),
            ("due-changed", "V-1"),
            ("risk-changed", "V-1"),
            ("reopened", "V-1"),
        ],
        "{found:#?}"
    );
    assert!(
        found[0].2.starts_with(
            "`poams/V-1-copy.yaml` was given id `V-1`, which `poams/V-1.yaml` already carried"
        ),
        "{found:#?}"
    );
    // The values come from the copy: blamed on the commit that wrote them.
    assert!(
        found[1].2.contains("by Bob Builder on 2026-03-02"),
        "{found:#?}"
    );

    // PR mode: the net change of V-1 is reported, and nothing was deleted; the commits, landed
    // one by one, would leave the duplicate on main.
    let (code, found) = history_summary(&repo, &["--base", "main"]);
    assert_eq!(code, 1, "{found:#?}");
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, item, _)| (code.as_str(), item.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("history-rebase-merge", "V-1"),
            ("due-changed", "V-1"),
            ("risk-changed", "V-1"),
            ("history-rebase-merge", "V-1")
        ],
        "{found:#?}"
    );
    assert!(
        found[0]
            .2
            .contains("would leave `duplicate-id-history` on main"),
        "{found:#?}"
    );
    assert!(
        found[3].2.contains("would leave `reopened` on main"),
        "{found:#?}"
    );
}

#[test]
fn a_copy_removed_again_is_a_duplicate_but_not_a_deletion() {
    // Near miss: the copy goes and the original stays; the original's changes are its own.
    let (_temp, repo) = build_repo("duplicate");
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .current_dir(&repo)
            .args(args)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", "2026-03-05T09:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2026-03-05T09:00:00+00:00")
            .env("GIT_AUTHOR_NAME", "Alice Example")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_COMMITTER_NAME", "Alice Example")
            .env("GIT_COMMITTER_EMAIL", "alice@example.com")
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    };
    git(&["reset", "-q", "--hard", "HEAD~2"]);
    git(&["rm", "-q", "poams/V-1-copy.yaml"]);
    git(&["commit", "-q", "-m", "Drop the copy"]);
    let (_, found) = history_summary(&repo, &[]);
    let codes: Vec<&str> = found.iter().map(|(code, _, _)| code.as_str()).collect();
    assert_eq!(codes, ["duplicate-id-history"], "{found:#?}");
}

#[test]
fn a_deletion_undone_by_the_next_version_nets_out() {
    // Issue 20.9: V-1 deleted and restored by `git revert`; W-2 deleted and added back with a
    // lower risk; X-3 deleted for good.
    let (_temp, repo) = build_repo("restore");
    let (_, found) = history_summary(&repo, &[]);
    let codes: Vec<(&str, &str)> = found
        .iter()
        .map(|(code, item, _)| (code.as_str(), item.as_str()))
        .collect();
    // Near misses: the change that came with a restore is judged; a deletion not undone stays.
    assert_eq!(
        codes,
        [("risk-changed", "W-2"), ("item-deleted", "X-3")],
        "{found:#?}"
    );
    // The log says what happened.
    let output = poam()
        .current_dir(&repo)
        .args(["log", "-C", "poams", "V-1", "W-2", "--format", "json"])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let kinds = |item: usize| -> Vec<String> {
        json["items"][item]["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| e["kind"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(kinds(0), ["created", "deleted", "restored"]);
    assert_eq!(kinds(1), ["created", "deleted", "restored"]);
    let restored = &json["items"][1]["events"][2];
    assert_eq!(restored["changes"][0]["path"], "risk");
    assert_eq!(restored["changes"][0]["new"], "low");
    assert!(json["items"][0]["events"][2]["changes"]
        .as_array()
        .is_some_and(Vec::is_empty));
}
