//! The elements items refer to: the control baseline and `controls.extra` in `poam.yaml`, and
//! the people file (issue 22's first half).

use std::fs;

use crate::common::{copy_fixture, lint_json, poam, TODAY};

fn lint(dir: &std::path::Path, format: &str) -> std::process::Output {
    poam()
        .args(["lint", "--no-history", "--today", TODAY, "--format", format])
        .arg(dir)
        .output()
        .expect("run poam")
}

#[test]
fn element_settings_are_checked_with_locations_and_exit_two() {
    let dir = copy_fixture("rules/control-spelling/near-miss");
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nsystem:\n  baseline: fedramp-moderat\ncontrols:\n  extra: [AC-2(1), not-a-control]\n  extras: []\npeople: staff.yaml\n",
    )
    .expect("write");
    let output = lint(dir.path(), "short");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "poam.yaml:3:13",
        "unknown baseline `fedramp-moderat`",
        "did you mean `fedramp-moderate`?",
        "poam.yaml:5:20",
        "`not-a-control` is not a control id",
        "poam.yaml:6:3",
        "did you mean `extra`?",
        "poam.yaml:7:9",
        "people file `",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(output.stdout.is_empty());
}

#[test]
fn owners_stay_free_text_without_a_people_file() {
    let dir = copy_fixture("rules/owner-unknown/fires");
    fs::remove_file(dir.path().join("people.yaml")).expect("remove");
    let (code, json) = lint_json(dir.path());
    assert_eq!(code, 0, "{json:#}");
    assert_eq!(json["diagnostics"], serde_json::json!([]));
}

#[test]
fn people_findings_show_the_people_file_and_a_named_file_is_read() {
    let dir = copy_fixture("rules/owner-departed/fires");
    fs::rename(
        dir.path().join("people.yaml"),
        dir.path().join("staff.yaml"),
    )
    .expect("rename");
    // Without the file the owner is free text: quiet.
    let (_, quiet) = lint_json(dir.path());
    assert_eq!(quiet["diagnostics"], serde_json::json!([]));
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\npeople: staff.yaml\n",
    )
    .expect("write");
    let output = lint(dir.path(), "human");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("owner-departed"), "{stdout}");
    // The related place in the people file is shown with its line.
    assert!(stdout.contains("until: 2026-10-31"), "{stdout}");
    assert!(stdout.contains("staff.yaml"), "{stdout}");
}

#[test]
fn noncanonical_controls_read_as_canonical_everywhere() {
    let dir = copy_fixture("rules/control-spelling/fires");
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nsystem:\n  baseline: fedramp-low\n",
    )
    .expect("write");
    let (_, json) = lint_json(dir.path());
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    // `AC-02(01)` is AC-2(1) for the baseline rule too (Moderate and High, not Low).
    assert_eq!(
        codes
            .iter()
            .filter(|c| **c == "control-not-in-baseline")
            .count(),
        3,
        "{json:#}"
    );
    assert!(!codes.contains(&"control-unknown"), "{json:#}");
}

#[test]
fn a_people_file_among_the_items_is_not_an_item() {
    let dir = copy_fixture("rules/owner-unknown/near-miss");
    for entry in fs::read_dir(dir.path().join("poams")).expect("items") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("a name").to_owned();
        fs::rename(&path, dir.path().join(name)).expect("move");
    }
    fs::write(dir.path().join("poam.yaml"), "items: .\n").expect("write");
    let (code, json) = lint_json(dir.path());
    assert_eq!(
        (code, &json["diagnostics"]),
        (0, &serde_json::json!([])),
        "{json:#}"
    );
    assert_eq!(json["items"], 3, "{json:#}");
}

/// Owner findings of a lint of `dir` (`extra` arguments added), as `(code, item, message)`.
fn owner_findings(dir: &std::path::Path, extra: &[&str]) -> Vec<(String, String, String)> {
    let output = poam()
        .args(["lint", "--today", TODAY, "--format", "json"])
        .args(extra)
        .arg(dir)
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json output");
    json["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("owner-")))
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["item"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn an_owner_the_people_files_history_removed_is_departed_and_aliases_resolve() {
    let (_temp, repo) = crate::common::build_repo("people_history");
    // V-1's rlee was removed in the last commit; V-2's jdoe is now jane's alias; V-3's kpatel
    // was removed and came back.
    assert_eq!(
        owner_findings(&repo, &[]),
        [(
            "owner-departed".to_owned(),
            "V-1".to_owned(),
            "owner `rlee` (Rita Lee) was removed from people.yaml on 2026-03-02 (commit f3c5fe2)"
                .to_owned()
        )]
    );
    // Without history the removed id is merely unknown.
    let quiet = owner_findings(&repo, &["--no-history"]);
    assert_eq!(quiet.len(), 1, "{quiet:?}");
    assert_eq!(quiet[0].0, "owner-unknown");
    assert_eq!(quiet[0].1, "V-1");
    // An id added back on disk (not yet committed) is no longer departed.
    let people = std::fs::read_to_string(repo.join("people.yaml")).expect("read");
    fs::write(
        repo.join("people.yaml"),
        format!("{people}- id: rlee\n  name: Rita Lee\n"),
    )
    .expect("write");
    assert_eq!(owner_findings(&repo, &[]), []);
}

#[test]
fn an_alias_naming_another_entry_is_a_people_problem() {
    let dir = copy_fixture("rules/owner-departed/near-miss");
    fs::write(
        dir.path().join("people.yaml"),
        "- id: jdoe\n  aliases: [tnguyen]\n- id: tnguyen\n",
    )
    .expect("write");
    let output = lint(dir.path(), "short");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("alias `tnguyen` of `jdoe` already names `tnguyen`"),
        "{stdout}"
    );
}
