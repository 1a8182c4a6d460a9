//! The CR26 history rules on a repository built by `tests/fixtures/git/vdr.sh`, in full and
//! PR mode.

use crate::common::{build_repo, poam};

/// `code item file:line:col commit <id>` of every CR26 history finding.
fn vdr_history_findings(repo: &std::path::Path, extra: &[&str]) -> Vec<String> {
    let output = poam()
        .current_dir(repo)
        .args(["lint", "--today", "2026-11-25", "--format", "json"])
        .args(extra)
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| {
            matches!(
                d["code"].as_str(),
                Some("vdr-evaluation-changed" | "vdr-reductions-rewritten" | "vdr-backdated")
            )
        })
        .map(|d| {
            let message = d["message"].as_str().unwrap_or_default();
            let commit = message
                .rsplit_once("(commit ")
                .map_or("", |(_, rest)| rest.get(..7).unwrap_or(rest));
            format!(
                "{} {} {}:{}:{} commit {commit}",
                d["code"].as_str().unwrap_or_default(),
                d["item"].as_str().unwrap_or_default(),
                d["file"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
            )
        })
        .collect()
}

#[test]
fn full_history_finds_rewrites_and_backdating_but_not_imported_past() {
    let (_temp, repo) = build_repo("vdr");
    let found = vdr_history_findings(&repo, &[]);
    assert_eq!(
        found,
        [
            "vdr-evaluation-changed A poams/A.yaml:10:8 commit 1ea2b23",
            "vdr-evaluation-changed A poams/A.yaml:11:9 commit a17697f",
            "vdr-backdated B poams/B.yaml:8:14 commit f6526e6",
            "vdr-backdated B poams/B.yaml:14:7 commit b6dcc36",
            "vdr-reductions-rewritten C poams/C.yaml:14:7 commit 78ce6ae",
        ],
        "C's reduction of 2026-10-01 and D's evaluation came with their first commits and are not judged"
    );
}

#[test]
fn pr_mode_judges_only_the_pull_request() {
    let (_temp, repo) = build_repo("vdr");
    let found = vdr_history_findings(&repo, &["--base", "main"]);
    assert_eq!(
        found,
        [
            "vdr-evaluation-changed A poams/A.yaml:10:8 commit 1ea2b23",
            "vdr-backdated B poams/B.yaml:14:7 commit b6dcc36",
        ]
    );
}

#[test]
fn rev5_repositories_get_no_cr26_history_findings() {
    let (_temp, repo) = build_repo("vdr");
    let config = repo.join("poam.yaml");
    std::fs::write(&config, "items: poams\n").expect("write");
    assert!(vdr_history_findings(&repo, &[]).is_empty());
}

#[test]
fn export_ver_checks_the_reported_reductions_against_git() {
    let (temp, repo) = build_repo("vdr");
    let out = temp.path().join("ver");
    let output = poam()
        .current_dir(&repo)
        .args([
            "export",
            "ver",
            "--period",
            "2026-11",
            "--today",
            "2026-11-25",
            "-o",
        ])
        .arg(&out)
        .output()
        .expect("run poam");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The files are written; the reductions git contradicts are named and fail the run.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(out.join("vulnerability-detail-report.json").is_file());
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") && l.contains("(commit "))
        .collect();
    assert_eq!(
        warnings.len(),
        vdr_history_findings(&repo, &[]).len(),
        "one warning per CR26 history finding of lint: {stderr}"
    );
}

#[test]
fn history_waivers_acknowledge_cr26_history_findings() {
    // Issue 19.2: a waiver of `vdr-backdated` was accepted, silenced nothing and was itself
    // reported `waiver-unmatched`.
    let (_temp, repo) = build_repo("vdr");
    let config = repo.join("poam.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(
        &config,
        format!("{text}history_waivers:\n  - commit: f6526e6\n    rule: vdr-backdated\n    reason: Evaluated on time, recorded late (ticket 7).\n"),
    )
    .expect("write");
    let found = vdr_history_findings(&repo, &[]);
    assert_eq!(
        found,
        [
            "vdr-evaluation-changed A poams/A.yaml:10:8 commit 1ea2b23",
            "vdr-evaluation-changed A poams/A.yaml:11:9 commit a17697f",
            "vdr-backdated B poams/B.yaml:14:7 commit b6dcc36",
            "vdr-reductions-rewritten C poams/C.yaml:14:7 commit 78ce6ae",
        ]
    );
    let output = poam()
        .current_dir(&repo)
        .args(["lint", "--today", "2026-11-25", "--format", "json"])
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let waiver_findings: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("waiver-")))
        .collect();
    assert!(waiver_findings.is_empty(), "{waiver_findings:#?}");
}
