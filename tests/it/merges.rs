//! Merge strategies, changes undone, history waivers and the `history-unavailable` note, on
//! repositories built by tests/fixtures/git/merges.sh and empty.sh.

use std::path::Path;

use crate::common::{build_repo, poam};

fn lint_json_in(cwd: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let output = poam()
        .current_dir(cwd)
        .arg("lint")
        .args(["--today", "2026-03-20", "--format", "json"])
        .args(args)
        .output()
        .expect("run poam");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (output.status.code().unwrap_or(-1), json, stderr)
}

/// (code, item or file, line, message) of the history and waiver findings.
fn history_findings(json: &serde_json::Value) -> Vec<(String, String, u64, String)> {
    json["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|d| {
            poam::rules::Code::from_name(d["code"].as_str().unwrap_or_default())
                .is_some_and(poam::rules::is_history_code)
        })
        .map(|d| {
            let text = |key: &str| d[key].as_str().unwrap_or_default().to_owned();
            let place = d["item"]
                .as_str()
                .map_or_else(|| text("file"), str::to_owned);
            (
                text("code"),
                place,
                d["line"].as_u64().unwrap_or(0),
                text("message"),
            )
        })
        .collect()
}

#[test]
fn each_merge_strategy_is_judged_as_its_reviewer_saw_it() {
    let (_temp, repo) = build_repo("merges");
    let (code, json, err) = lint_json_in(&repo, &["poams"]);
    assert_eq!(code, 1, "{err}");
    // R (rebase merge: approval, then due moved in a later commit), F (fast-forward: fix
    // release, then due), S (squash: both in one commit) and V (a move and its undoing in
    // consecutive commits) pass; M's unjustified move is reported at the merge commit.
    let found = history_findings(&json);
    assert_eq!(
        found,
        [(
            "due-changed".to_owned(),
            "M".to_owned(),
            11,
            "`due` moved from `2026-04-05` to `2026-05-05` without a vendor fix release or an approved risk adjustment recorded since it was set (commit d68d23f by Alice Example on 2026-03-13)".to_owned()
        )]
    );
}

#[test]
fn history_waivers_acknowledge_violations_and_are_checked() {
    let (_temp, repo) = build_repo("merges");
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams
history_waivers:
  - commit: d68d23f
    rule: due-changed
    reason: AO accepted the new date (ticket 42).
  - {commit: deadbeef, rule: due-changed, reason: Typo}
  - {commit: 60acff1, rule: risk-changed, reason: Nothing happened here}
",
    )
    .expect("write");
    let (_, json, err) = lint_json_in(&repo, &[]);
    // The unknown commit is an error; the waiver that matches nothing a warning.
    let severities: Vec<&str> = json["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|d| d["file"] == "poam.yaml")
        .filter_map(|d| d["severity"].as_str())
        .collect();
    assert_eq!(severities, ["error", "warning"], "{err}");
    let found: Vec<(String, String, u64)> = history_findings(&json)
        .into_iter()
        .map(|(code, place, line, _)| (code, place, line))
        .collect();
    assert_eq!(
        found,
        [
            (
                "waiver-unknown-commit".to_owned(),
                "poam.yaml".to_owned(),
                6
            ),
            ("waiver-unmatched".to_owned(), "poam.yaml".to_owned(), 7),
        ]
    );
    // Near miss: only the matching waiver left, nothing is reported.
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nhistory_waivers:\n  - {commit: d68d23f, rule: due-changed, reason: AO accepted the new date.}\n",
    )
    .expect("write");
    let (_, json, _) = lint_json_in(&repo, &[]);
    assert!(history_findings(&json).is_empty(), "{json:#}");
}

#[test]
fn bad_history_waivers_are_config_errors_at_their_place() {
    let (_temp, repo) = build_repo("merges");
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams
history_waivers:
  - {commit: d68d23f, rule: due-chnged, reason: x}
  - {commit: 1234567, rule: history-shallow, reason: x, extra: 1}
  - {commit: not-hex, rule: due-changed}
",
    )
    .expect("write");
    let output = poam()
        .current_dir(&repo)
        .args(["lint", "--today", "2026-03-20", "--format", "short"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "error: poam.yaml has 6 problems",
        "poam.yaml:3:29]",
        "`due-chnged` is not a history rule that can be waived",
        "did you mean `due-changed`?",
        "`history_waivers[1].commit` must be a commit id",
        "poam.yaml:4:14]",
        "`history-shallow` is not a history rule that can be waived",
        "unknown key `extra`",
        "`history_waivers[2].commit` must be a commit id",
        "`history_waivers[2]` lacks `reason`",
    ] {
        assert!(err.contains(expected), "{expected:?} not in\n{err}");
    }
}

#[test]
fn history_unavailable_is_one_note_whose_help_fits_the_case() {
    let (_temp, repo) = build_repo("empty");
    let (code, json, err) = lint_json_in(&repo, &["poams"]);
    assert_eq!(code, 0, "{err}");
    let notes: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|d| d["code"] == "history-unavailable")
        .collect();
    assert_eq!(notes.len(), 1, "{json:#}");
    assert_eq!(
        notes[0]["message"],
        "history rules skipped: the repository has no commits yet"
    );
    let help = notes[0]["help"].as_str().unwrap_or_default();
    assert!(help.starts_with("commit the item files"), "{help}");

    // Outside git: the other help.
    let outside = tempfile::tempdir().expect("temp");
    crate::common::copy_dir(&repo.join("poams"), &outside.path().join("poams"));
    let (code, json, err) = lint_json_in(outside.path(), &["poams"]);
    assert_eq!(code, 0, "{err}");
    let notes: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|d| d["code"] == "history-unavailable")
        .collect();
    assert_eq!(notes.len(), 1, "{json:#}");
    let help = notes[0]["help"].as_str().unwrap_or_default();
    assert!(help.contains("inside the git repository"), "{help}");
}

#[test]
fn log_shows_every_leaf_in_full_the_starting_values_and_the_waivers() {
    let (_temp, repo) = build_repo("merges");
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nhistory_waivers:\n  - {commit: d68d23f, rule: due-changed, reason: AO accepted the new date (ticket 42).}\n",
    )
    .expect("write");
    let log = |format: &str| {
        let output = poam()
            .current_dir(&repo)
            .args(["log", "M", "R", "S", "--format", format])
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stdout).expect("utf-8")
    };
    let human = log("human");
    assert!(!human.contains('…'), "{human}");
    insta::assert_snapshot!("log_merges_human", human);
    insta::assert_snapshot!("log_merges_md", log("md"));
    let json: serde_json::Value = serde_json::from_str(&log("json")).expect("json");
    assert_eq!(json["version"], 2);
    assert_eq!(
        json["waivers"][0],
        serde_json::json!({"commit": "d68d23f63f6dc9fbadc098c4ee9034710a53bca3", "rule": "due-changed", "reason": "AO accepted the new date (ticket 42)."})
    );
    let merge = &json["items"][0]["events"][1];
    assert_eq!(merge["summary"], "Merge pull request #5 from pr-m");
    assert_eq!(merge["waivers"][0]["rule"], "due-changed");
    let created = &json["items"][0]["events"][0];
    assert_eq!(
        created["initial"][1],
        serde_json::json!({"path": "detected", "value": "2026-01-05"})
    );
}

/// Runs git in `repo` with the fixtures' fixed identity and no user configuration.
fn git(repo: &Path, args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write as _;
    let mut child = std::process::Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    let output = child.wait_with_output().expect("git ends");
    assert!(output.status.success(), "git {args:?}");
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_owned()
}

#[test]
fn a_waiver_covers_one_commit_not_every_commit_sharing_its_prefix() {
    // Issue 20.2: a commit forged to share the waived commit's prefix moves V's due date.
    let (_temp, repo) = build_repo("merges");
    let waived = git(&repo, &["rev-parse", "d68d23f"], None);
    let prefix = &waived[..4];
    let item = repo.join("poams/V.yaml");
    let text = std::fs::read_to_string(&item).expect("read");
    std::fs::write(&item, text.replace("due: 2026-04-05", "due: 2026-06-05")).expect("write");
    git(&repo, &["add", "-A"], None);
    let tree = git(&repo, &["write-tree"], None);
    let parent = git(&repo, &["rev-parse", "HEAD"], None);
    // 2026-03-15T09:00:00Z; the message varies until the id starts like the waived one's.
    let forged = (0..2_000_000u32)
        .map(|n| {
            format!(
                "tree {tree}\nparent {parent}\nauthor Bob Builder <bob@example.com> 1773565200 +0000\ncommitter Bob Builder <bob@example.com> 1773565200 +0000\n\nV: push due ({n})\n"
            )
        })
        .find(|body| {
            git2::Oid::hash_object(git2::ObjectType::Commit, body.as_bytes())
                .is_ok_and(|id| id.to_string().starts_with(prefix))
        })
        .expect("a commit sharing the prefix");
    let id = git(
        &repo,
        &["hash-object", "-t", "commit", "-w", "--stdin"],
        Some(&forged),
    );
    assert!(id.starts_with(prefix) && id != waived);
    git(&repo, &["update-ref", "refs/heads/main", &id], None);

    // The prefix both commits share names neither: a configuration error naming both.
    let waiver = |commit: &str| {
        std::fs::write(
            repo.join("poam.yaml"),
            format!("items: poams\nhistory_waivers:\n  - {{commit: {commit}, rule: due-changed, reason: AO accepted the new date.}}\n"),
        )
        .expect("write");
    };
    waiver(prefix);
    let (code, _, err) = lint_json_in(&repo, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is ambiguous"), "{err}");
    assert!(err.contains(&waived) && err.contains(&id), "{err}");

    // Named unambiguously, the waiver covers M's merge only: V's move is reported.
    waiver(&waived[..7]);
    let (code, json, err) = lint_json_in(&repo, &[]);
    assert_eq!(code, 1, "{err}");
    let found: Vec<(String, String)> = history_findings(&json)
        .into_iter()
        .map(|(code, place, _, _)| (code, place))
        .collect();
    assert_eq!(found, [("due-changed".to_owned(), "V".to_owned())]);

    // The log shows the full id of the waived commit.
    let output = poam()
        .current_dir(&repo)
        .args(["log", "M", "--format", "json"])
        .output()
        .expect("run");
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(log["waivers"][0]["commit"], waived.as_str());
    assert_eq!(
        log["items"][0]["events"][1]["waivers"][0]["rule"],
        "due-changed"
    );
}
