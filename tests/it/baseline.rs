//! Adoption: the baseline file (`poam baseline`, suppressed findings, `--prune`,
//! `baseline-stale`, expiring deadline entries, the base commit's baseline in a pull
//! request's check) and the expiring per-item waivers of `poam.yaml`.

use std::path::{Path, PathBuf};

use crate::common::{poam, repo_with, valid_item, TODAY};

/// (exit code, stdout, stderr) of `poam ARGS` in `dir`.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// `poam lint` of `dir` as JSON on `today`, without history (the generated set is no git
/// repository): (exit code, report).
fn lint_at(dir: &Path, today: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec![
        "lint",
        ".",
        "--no-history",
        "--today",
        today,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(dir, &args);
    assert!(code == 0 || code == 1, "lint failed: {err}");
    (code, json(&out))
}

fn count(report: &serde_json::Value) -> usize {
    report["diagnostics"].as_array().map_or(0, Vec::len)
}

fn entries(dir: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(dir.join("poam-baseline.json")).expect("baseline file");
    json(&text)["entries"].as_array().cloned().expect("entries")
}

/// A repository made by the benchmark's item generator (`bench/gen_items.py`), smaller than
/// its 10,000 items so that the test stays quick in a debug build.
fn generated(n: usize) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/gen_items.py");
    let status = std::process::Command::new("python3")
        .arg(script)
        .arg(temp.path())
        .arg(n.to_string())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs bench/gen_items.py");
    assert!(status.success(), "gen_items.py failed");
    temp
}

/// Seven weeks after the generator's day: hundreds of late items, milestones and stale
/// statuses, as on the day a template's items are moved into poam.
const DAY_ONE: &str = "2027-01-15";

#[test]
fn a_generated_repository_goes_green_with_a_baseline_red_on_a_new_finding_and_after_expiry() {
    let temp = generated(400);
    let dir = temp.path();

    // Day one: hundreds of findings, the check is red.
    let (code, report) = lint_at(dir, DAY_ONE, &[]);
    let before = count(&report);
    assert_eq!(code, 1);
    assert!(before >= 300, "hundreds of findings, got {before}");

    // Without an expiry the deadline findings stay out of the baseline, and still fail.
    let (code, out, err) = run(dir, &["baseline", "--no-history", "--today", DAY_ONE]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("deadline findings: they are baselined only with an expiry"),
        "{out}"
    );
    let (code, report) = lint_at(dir, DAY_ONE, &[]);
    assert_eq!(code, 1);
    assert!(report["diagnostics"]
        .as_array()
        .expect("findings")
        .iter()
        .all(|d| [
            "overdue",
            "due-soon",
            "milestone-overdue",
            "vendor-checkin-stale"
        ]
        .contains(&d["code"].as_str().unwrap_or_default())));

    // With one, the rest join (kept entries keep their dates): green.
    let (code, out, err) = run(
        dir,
        &[
            "baseline",
            "--no-history",
            "--today",
            DAY_ONE,
            "--expires",
            "2027-01-31",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("wrote "), "{out}");
    let recorded = entries(dir);
    assert_eq!(recorded.len(), before);
    let (code, report) = lint_at(dir, DAY_ONE, &[]);
    assert_eq!((code, count(&report)), (0, 0), "{report:#}");
    assert_eq!(report["suppression"]["baseline"], before);
    // The human summary says so; `--show-suppressed` lists them, still green.
    let (code, out, _) = run(dir, &["lint", ".", "--no-history", "--today", DAY_ONE]);
    assert_eq!(code, 0);
    assert!(
        out.ends_with(&format!(
            "0 errors, 0 warnings, 0 notes in 400 items\n{before} findings suppressed: {before} by the baseline (--show-suppressed lists them)\n"
        )),
        "{out}"
    );
    let (code, report) = lint_at(dir, DAY_ONE, &["--show-suppressed"]);
    assert_eq!(code, 0);
    assert_eq!(report["suppressed"].as_array().map(Vec::len), Some(before));

    // Lines moving do not matter: a comment on top of every item shifts all of them.
    let item = dir.join("poams/V-7.yaml");
    let original = std::fs::read_to_string(&item).expect("item");
    std::fs::write(&item, format!("# moved down\n\n{original}")).expect("write");
    let (code, report) = lint_at(dir, DAY_ONE, &[]);
    assert_eq!((code, count(&report)), (0, 0), "{report:#}");

    // One new finding: red, on that finding alone.
    std::fs::write(&item, original.replacen("title:", "titel:", 1)).expect("write");
    let (code, report) = lint_at(dir, DAY_ONE, &[]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(codes, ["unknown-field"], "{report:#}");
    std::fs::write(&item, &original).expect("write");

    // Items fixed (here: gone): their entries are stale, a warning; --prune drops them.
    let mut removed = 0;
    for n in 1..=20 {
        let path = dir.join(format!("poams/V-{n}.yaml"));
        let id = format!("V-{n}");
        if recorded.iter().any(|e| e["item"] == id.as_str()) {
            std::fs::remove_file(path).expect("remove");
            removed += 1;
        }
    }
    assert!(removed > 0);
    let (code, report) = lint_at(dir, DAY_ONE, &[]);
    assert_eq!(code, 0, "stale entries only warn");
    let stale = report["diagnostics"].as_array().expect("findings");
    assert!(!stale.is_empty());
    assert!(stale.iter().all(|d| d["code"] == "baseline-stale"
        && d["file"] == "poam-baseline.json"
        && d["severity"] == "warning"));
    let (code, _) = lint_at(dir, DAY_ONE, &["--strict"]);
    assert_eq!(code, 1, "--strict fails on stale entries");
    let (code, out, err) = run(
        dir,
        &["baseline", "--prune", "--no-history", "--today", DAY_ONE],
    );
    assert_eq!(code, 0, "{err}");
    let pruned = entries(dir);
    assert_eq!(pruned.len(), recorded.len() - stale.len());
    assert_eq!(
        out,
        format!(
            "pruned {}: {} entries removed, {} left\n",
            dir.join("poam-baseline.json").display(),
            stale.len(),
            pruned.len()
        )
    );
    let (code, report) = lint_at(dir, DAY_ONE, &["--strict"]);
    assert_eq!((code, count(&report)), (0, 0), "{report:#}");

    // The deadline entries hold through their last day, and then the findings return.
    let (_, report) = lint_at(dir, "2027-01-31", &[]);
    let late: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|d| d["code"] == "overdue")
        .collect();
    let baselined_overdue: Vec<&serde_json::Value> =
        pruned.iter().filter(|e| e["rule"] == "overdue").collect();
    assert!(!baselined_overdue.is_empty());
    assert!(
        late.iter()
            .all(|d| !baselined_overdue.iter().any(|e| e["item"] == d["item"])),
        "a baselined item is still suppressed on the expiry day"
    );
    let (code, report) = lint_at(dir, "2027-02-01", &[]);
    assert_eq!(code, 1);
    let back: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|d| d["code"] == "overdue")
        .collect();
    for entry in &baselined_overdue {
        assert!(
            back.iter().any(|d| d["item"] == entry["item"]),
            "{} is overdue again after the expiry",
            entry["item"]
        );
    }
    // Re-recording does not renew an expired entry.
    let (code, _, err) = run(
        dir,
        &[
            "baseline",
            "--no-history",
            "--today",
            "2027-02-01",
            "--expires",
            "2027-03-31",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let again = entries(dir);
    for entry in &baselined_overdue {
        assert!(again
            .iter()
            .any(|e| e["fingerprint"] == entry["fingerprint"]
                && e["expires"] == "2027-01-31"
                && e["recorded"] == DAY_ONE));
    }
}

#[test]
fn the_baseline_file_is_sorted_with_a_stable_key_order() {
    let dir = repo_with(&[("V-2.yaml", b"id: V-2\n".to_vec())]);
    let (code, _, err) = run(dir.path(), &["baseline", "--no-history", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("poam-baseline.json")).expect("file");
    insta::assert_snapshot!("baseline-file", text);
    // Recording again changes nothing.
    run(
        dir.path(),
        &["baseline", "--no-history", "--today", "2026-11-30"],
    );
    let again = std::fs::read_to_string(dir.path().join("poam-baseline.json")).expect("file");
    assert_eq!(text, again);
}

#[test]
fn a_broken_baseline_file_is_a_located_error() {
    let dir = repo_with(&[]);
    std::fs::write(
        dir.path().join("poam-baseline.json"),
        "{\"version\": 1,\n \"entries\": [}\n",
    )
    .expect("write");
    let (code, _, err) = run(dir.path(), &["lint", ".", "--no-history", "--today", TODAY]);
    assert_eq!(code, 2);
    assert!(err.contains("poam-baseline.json:2:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn an_expiry_beyond_max_age_days_is_refused() {
    let dir = repo_with(&[]);
    std::fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nbaseline:\n  max_age_days: 30\n",
    )
    .expect("write");
    let (code, _, err) = run(
        dir.path(),
        &[
            "baseline",
            "--no-history",
            "--today",
            TODAY,
            "--expires",
            "2027-06-01",
        ],
    );
    assert_eq!(code, 2);
    assert!(err.contains("beyond `baseline.max_age_days`"), "{err}");
}

/// `git ARGS` in `repo` with fixed people and dates.
fn git(repo: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-21T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-21T10:00:00Z")
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_pull_request_is_judged_by_the_base_commits_baseline_and_its_change_is_reported() {
    let temp = repo_with(&[]);
    let repo = temp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "V-1"]);
    let (code, _, err) = run(repo, &["baseline", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "baseline"]);
    let (code, out, _) = run(repo, &["lint", "--today", TODAY]);
    assert_eq!(code, 0, "main is green with its baseline: {out}");

    // The pull request adds a late item and records it in the baseline too.
    git(repo, &["checkout", "-q", "-b", "pr"]);
    let late = valid_item("V-2").replace("due: 2027-01-20", "due: 2027-09-01");
    std::fs::write(repo.join("poams/V-2.yaml"), late).expect("write");
    let (code, _, err) = run(repo, &["baseline", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "V-2, baselined"]);

    // Nightly, with the branch's own file, it would pass; the pull request's check does not.
    let (code, _, _) = run(repo, &["lint", "--today", TODAY]);
    assert_eq!(code, 0);
    let (code, out, err) = run(repo, &["lint", "--base", "main", "--today", TODAY]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("error[due-beyond-policy] V-2"), "{out}");
    assert!(
        out.ends_with(
            "1 error, 0 warnings, 0 notes in 2 items\n1 finding suppressed: 1 by the baseline (--show-suppressed lists them)\nthe baseline file changed in this pull request: 1 entry added, 0 removed (the base commit's baseline applies)\n"
        ),
        "{out}"
    );
    let (_, out, _) = run(
        repo,
        &[
            "lint", "--base", "main", "--today", TODAY, "--format", "json",
        ],
    );
    assert_eq!(
        json(&out)["suppression"],
        serde_json::json!({"baseline": 1, "waived": 0, "baseline_changed": {"added": 1, "removed": 0}})
    );
    // The pull request's summary says so too.
    let (code, out, err) = run(repo, &["report", "--base", "main", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.ends_with("\n### Baseline\n\nThe baseline file `poam-baseline.json` changed in this pull request: 1 entry added, 0 removed. This check applies the base commit's baseline; the new one applies once merged.\n"),
        "{out}"
    );
}

#[test]
fn waivers_suppress_until_they_expire_and_are_checked() {
    let dir = repo_with(&[]);
    let config = |expires: &str| {
        format!(
            "items: poams\nwaivers:\n  - item: V-1\n    rule: due-beyond-policy\n    reason: The AO approved the later date in the March review\n    expires: {expires}\n    ticket: RISK-17\n"
        )
    };
    std::fs::write(dir.path().join("poam.yaml"), config("2026-12-31")).expect("write");
    let (code, out, _) = run(dir.path(), &["lint", ".", "--no-history", "--today", TODAY]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "0 errors, 0 warnings, 0 notes in 1 item\n1 finding suppressed: 1 by waivers (--show-suppressed lists them)\n"
    );
    let (code, out, _) = run(
        dir.path(),
        &[
            "lint",
            ".",
            "--no-history",
            "--today",
            TODAY,
            "--format",
            "short",
            "--show-suppressed",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "poams/V-1.yaml:11:6: suppressed[due-beyond-policy] due 2027-09-01 is 304 days after detection; moderate allows 90 (deadline 2027-01-30)\n"
    );

    // Expired: the finding is back, and the waiver says since when.
    std::fs::write(dir.path().join("poam.yaml"), config("2026-11-20")).expect("write");
    let (code, out, _) = run(
        dir.path(),
        &[
            "lint",
            ".",
            "--no-history",
            "--today",
            TODAY,
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "poam.yaml:3:5: warning[waiver-expired] waiver of `due-beyond-policy` on `V-1` expired on 2026-11-20 (5 days ago): its findings are reported again\npoams/V-1.yaml:11:6: error[due-beyond-policy] due 2027-09-01 is 304 days after detection; moderate allows 90 (deadline 2027-01-30)\n"
    );

    // An unknown rule is a configuration error; an unknown item a finding.
    std::fs::write(
        dir.path().join("poam.yaml"),
        config("2026-12-31").replace("due-beyond-policy", "due-beyond-polcy"),
    )
    .expect("write");
    let (code, _, err) = run(dir.path(), &["lint", ".", "--no-history", "--today", TODAY]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `due-beyond-policy`?"), "{err}");
    std::fs::write(
        dir.path().join("poam.yaml"),
        config("2026-12-31").replace("item: V-1", "item: V-9"),
    )
    .expect("write");
    let (code, out, _) = run(
        dir.path(),
        &[
            "lint",
            ".",
            "--no-history",
            "--today",
            TODAY,
            "--format",
            "short",
        ],
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("poam.yaml:3:5: error[waiver-unknown-item] waiver for `due-beyond-policy` names item `V-9`"), "{out}");
    // A waiver without an expiry is refused: every acceptance ends.
    std::fs::write(
        dir.path().join("poam.yaml"),
        config("2026-12-31").replace("    expires: 2026-12-31\n", ""),
    )
    .expect("write");
    let (code, _, err) = run(dir.path(), &["lint", ".", "--no-history", "--today", TODAY]);
    assert_eq!(code, 2);
    assert!(err.contains("lacks `expires`"), "{err}");
}

#[test]
fn poam_log_and_the_site_list_the_waivers() {
    let temp = repo_with(&[("V-2.yaml", valid_item("V-2").into_bytes())]);
    let repo = temp.path();
    std::fs::write(
        repo.join("poam.yaml"),
        "items: poams\nwaivers:\n  - {item: V-1, rule: due-beyond-policy, reason: Approved in the March review, expires: 2026-12-31, ticket: RISK-17}\n  - {item: V-2, rule: overdue, reason: Vendor patch pending, expires: 2026-11-01}\n",
    )
    .expect("write");
    git(repo, &["init", "-q", "-b", "main"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "items"]);
    let (code, out, err) = run(repo, &["log", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("log-waivers", out.split("\n\n").next().unwrap_or_default());
    let (_, out, _) = run(repo, &["log", "V-2", "--today", TODAY, "--format", "json"]);
    assert_eq!(
        json(&out)["item_waivers"],
        serde_json::json!([{"item": "V-2", "rule": "overdue", "reason": "Vendor patch pending", "expires": "2026-11-01", "expired": true}])
    );
    let (_, out, _) = run(repo, &["log", "V-1", "--today", TODAY, "--format", "md"]);
    assert!(
        out.starts_with("# POA&M item history\n\n## Waivers\n\n- `V-1` `due-beyond-policy` (until 2026-12-31, `RISK-17`): `Approved in the March review`\n"),
        "{out}"
    );
    // The site's findings page lists them, the expired one marked.
    let site = tempfile::tempdir().expect("temp");
    let out_dir = site.path().join("site");
    let (code, _, err) = run(
        repo,
        &[
            "site",
            "-o",
            out_dir.to_str().expect("utf-8"),
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(out_dir.join("findings.html")).expect("findings page");
    assert!(page.contains("<tr><td>V-1</td><td><code>due-beyond-policy</code></td><td>2026-12-31</td><td>RISK-17</td><td>Approved in the March review</td></tr>"), "{page}");
    assert!(page.contains("<tr class=\"sev-warning\"><td>V-2</td><td><code>overdue</code></td><td>2026-11-01 (expired)</td>"), "{page}");
}
