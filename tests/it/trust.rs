//! Regression tests for answers that were wrong or untrustworthy (issue "trust what lint and
//! log say"): each test failed before its fix.

use std::fs;
use std::path::Path;

use crate::common::{poam, valid_item, TODAY};

/// A folder with `poam.yaml` (`config`) and `poams/` holding `items`.
fn repo(config: &str, items: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    fs::create_dir(dir.path().join("poams")).expect("mkdir");
    fs::write(dir.path().join("poam.yaml"), config).expect("write");
    for (name, text) in items {
        fs::write(dir.path().join("poams").join(name), text).expect("write");
    }
    dir
}

/// Runs poam in `cwd` with `args` (plus `--today`), returning (exit code, stdout, stderr).
fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(cwd)
        .args(args)
        .args(["--today", TODAY])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn codes(stdout: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(stdout).expect("json");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn a_check_in_in_the_future_excuses_nothing() {
    // 88 days past due, waiting on a vendor, last check-in typed as next year.
    let item = valid_item("V-1")
        .replace("detected: 2026-11-01", "detected: 2026-06-01")
        .replace("due: 2027-01-20", "due: 2026-08-29")
        .replace("date: 2026-12-15", "date: 2026-08-01")
        + "vendor_dependency:\n  product: Acme Edge 5\n  last_checkin: 2027-11-20\n";
    let dir = repo("items: poams\n", &[("V-1.yaml", item)]);
    let (code, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "json"]);
    let found = codes(&out);
    assert_eq!(code, 1, "{out}");
    assert!(found.contains(&"overdue".to_owned()), "{found:?}");
    assert!(found.contains(&"future-date".to_owned()), "{found:?}");
    let (_, shown, _) = run(dir.path(), &["show", "V-1", "-f", "json"]);
    let view: serde_json::Value = serde_json::from_str(&shown).expect("json");
    assert_eq!(view["item"]["assessment"]["overdue"], true);
    assert_eq!(
        view["item"]["assessment"]["excuse"],
        serde_json::Value::Null
    );
}

#[test]
fn an_empty_or_comment_only_config_is_the_default() {
    for config in ["", "# every key is optional\n\n", "---\n# nothing here\n"] {
        let dir = repo(config, &[("V-1.yaml", valid_item("V-1"))]);
        let (code, out, err) = run(dir.path(), &["lint", "--no-history", "-f", "short"]);
        assert_eq!(code, 0, "config {config:?}: {out}{err}");
    }
}

#[test]
fn every_config_problem_is_reported_once_and_together() {
    let dir = repo(
        "items: nowhere\nkev_catalog: missing.json\nstale_days: 0\nbogus: 1\n",
        &[],
    );
    let (code, _, err) = run(dir.path(), &["lint"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.starts_with("error: poam.yaml has 4 problems"), "{err}");
    for message in [
        "items folder `nowhere` does not exist",
        "KEV catalog `missing.json` does not exist",
        "`stale_days` must be a whole number",
        "unknown key `bogus`",
    ] {
        assert_eq!(err.matches(message).count(), 1, "{message} once in {err}");
    }
    // Relative to where poam was run, not to the config's folder.
    let parent = dir.path().parent().expect("parent");
    let name = dir.path().file_name().expect("name").to_string_lossy();
    let (_, _, err) = run(parent, &["lint", &name]);
    assert!(
        err.contains(&format!("{name}/poam.yaml has 4 problems")),
        "{err}"
    );
}

#[test]
fn history_since_problems_point_at_the_key() {
    let dir = repo(
        "items: poams\nhistory_since: 2027-01-01\n",
        &[("V-1.yaml", valid_item("V-1"))],
    );
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .current_dir(dir.path())
            .args(args)
            .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
            .status()
            .expect("git");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&[
        "-c",
        "user.name=A",
        "-c",
        "user.email=a@example.com",
        "commit",
        "-qm",
        "start",
    ]);
    let (code, _, err) = run(dir.path(), &["lint"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("poam.yaml:2:16"), "{err}");
    assert!(err.contains("after today"), "{err}");
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nhistory_since: v9\n",
    )
    .expect("write");
    let (code, _, err) = run(dir.path(), &["lint"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("poam.yaml:2:16"), "{err}");
    assert!(err.contains("neither a date"), "{err}");
}

#[test]
fn inverted_deadlines_warn() {
    let dir = repo(
        "items: poams\ndeadlines: {high: 120, moderate: 90}\n",
        &[("V-1.yaml", valid_item("V-1"))],
    );
    let (code, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "short"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("poam.yaml:2:12: warning[deadlines-inverted]"),
        "{out}"
    );
}

#[test]
fn an_items_folder_uses_the_config_above_it_and_names_stay_the_same() {
    let late = valid_item("POAM-3").replace("status_date: 2026-11-20", "status_date: 2026-08-01");
    let dir = repo(
        "items: poams\nrules: {status-stale: off}\n",
        &[("POAM-3.yaml", late)],
    );
    let mut outputs = Vec::new();
    for (cwd, path) in [
        (dir.path().to_path_buf(), None),
        (dir.path().to_path_buf(), Some("poams")),
        (dir.path().to_path_buf(), Some("./poams")),
        (dir.path().to_path_buf(), Some("./poams/")),
        (dir.path().join("poams"), Some(".")),
    ] {
        let mut args = vec!["lint", "--no-history", "-f", "json"];
        args.extend(path);
        let (code, out, err) = run(&cwd, &args);
        assert_eq!(code, 0, "{path:?} in {}: {out}{err}", cwd.display());
        outputs.push(out);
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    // A finding names the file from the config's folder, however the folder was given.
    let broken = repo(
        "items: poams\n",
        &[("POAM-3.yaml", "id: POAM-3\n".to_owned())],
    );
    let mut names = Vec::new();
    for (cwd, path) in [
        (broken.path().to_path_buf(), "poams"),
        (broken.path().to_path_buf(), "./poams"),
        (broken.path().join("poams"), "."),
    ] {
        let (_, out, _) = run(&cwd, &["lint", "--no-history", "-f", "json", path]);
        let json: serde_json::Value = serde_json::from_str(&out).expect("json");
        names.push(
            json["diagnostics"][0]["file"]
                .as_str()
                .unwrap_or("")
                .to_owned(),
        );
    }
    assert_eq!(names, ["poams/POAM-3.yaml"; 3]);
}

#[test]
fn a_folder_without_items_is_an_error() {
    let dir = repo("items: poams\n", &[("V-1.yaml", valid_item("V-1"))]);
    fs::create_dir(dir.path().join("docs")).expect("mkdir");
    fs::write(dir.path().join("docs/readme.md"), "# docs\n").expect("write");
    let (code, _, err) = run(dir.path(), &["lint", "docs"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`docs` is not where items are kept"), "{err}");
    let bare = tempfile::tempdir().expect("temp");
    let (code, _, err) = run(bare.path(), &["lint", "."]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no item files"), "{err}");
    // An empty items folder under poam.yaml is a fresh start.
    let fresh = repo("items: poams\n", &[]);
    let (code, out, err) = run(fresh.path(), &["lint", "--no-history", "-f", "short"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_tab_is_reported_at_the_tab_with_the_item_id() {
    let text = valid_item("V-1").replace("  - id: 1\n", "\t- id: 1\n");
    let dir = repo("items: poams\n", &[("V-1.yaml", text)]);
    let (code, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let finding = &json["diagnostics"][0];
    assert_eq!(finding["code"], "parse-error");
    assert_eq!(finding["item"], "V-1");
    assert_eq!(finding["line"], 14);
    assert_eq!(finding["column"], 1);
    assert!(finding["message"]
        .as_str()
        .unwrap_or_default()
        .contains("YAML indentation must be spaces"));
}

#[test]
fn value_words_accept_case_and_suggest_synonyms() {
    let cased = valid_item("V-1")
        .replace("status: open", "status: Open")
        .replace("risk: moderate", "risk: Moderate");
    let medium = valid_item("V-2").replace("risk: moderate", "risk: medium");
    let done = valid_item("V-3").replace("status: open", "status: done");
    let dir = repo(
        "items: poams\n",
        &[
            ("V-1.yaml", cased),
            ("V-2.yaml", medium),
            ("V-3.yaml", done),
        ],
    );
    let (_, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let findings = json["diagnostics"].as_array().expect("list");
    // Read as the lower-case word; only `word-case` notes the spelling (and fixes it).
    assert!(
        findings
            .iter()
            .all(|d| d["item"] != "V-1" || (d["code"] == "word-case" && d["severity"] == "note")),
        "case variants are accepted: {findings:#?}"
    );
    assert_eq!(
        findings.iter().filter(|d| d["item"] == "V-1").count(),
        2,
        "{findings:#?}"
    );
    let help = |id: &str| {
        findings
            .iter()
            .find(|d| d["item"] == id && d["code"] == "invalid-value")
            .and_then(|d| d["help"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        help("V-2").contains("`medium` means `moderate`"),
        "{}",
        help("V-2")
    );
    assert!(
        help("V-3").contains("`done` means `closed`"),
        "{}",
        help("V-3")
    );
}

#[test]
fn empty_lists_and_misspelt_keys_are_reported_where_they_are() {
    let empty = valid_item("V-1").replace(
        "milestones:\n  - id: 1\n    date: 2026-12-15\n    description: Rebuild the base image with the patched package.\n",
        "milestones: []\n",
    );
    let misspelt = valid_item("V-2").replace("remediation:", "remediaton:");
    let dir = repo(
        "items: poams\n",
        &[("V-1.yaml", empty), ("V-2.yaml", misspelt)],
    );
    let (_, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "short"]);
    assert!(
        out.contains("poams/V-1.yaml:13:13: error[missing-field] required field `milestones` is an empty list"),
        "{out}"
    );
    assert!(
        out.contains("error[unknown-field] unknown field `remediaton`"),
        "{out}"
    );
    assert!(
        !out.contains("missing required field `remediation`"),
        "{out}"
    );
}

#[test]
fn impossible_dates_and_fix_suggestions_are_exact() {
    let feb = valid_item("V-1").replace("due: 2027-01-20", "due: 2027-02-30");
    let dir = repo("items: poams\n", &[("V-1.yaml", feb)]);
    let (_, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "short"]);
    assert!(
        out.contains("`due` is `2027-02-30`, a date that does not exist"),
        "{out}"
    );

    let late_milestone = valid_item("V-2").replace("date: 2026-12-15", "date: 2026-11-10");
    let vendor = valid_item("V-3").replace("date: 2026-12-15", "date: 2027-03-01")
        + "vendor_dependency:\n  product: Acme Edge 5\n  last_checkin: 2026-11-20\n";
    let dir = repo(
        "items: poams\n",
        &[("V-2.yaml", late_milestone), ("V-3.yaml", vendor)],
    );
    let (_, out, _) = run(dir.path(), &["lint", "--no-history", "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    let findings = json["diagnostics"].as_array().expect("list");
    let overdue = findings
        .iter()
        .find(|d| d["code"] == "milestone-overdue")
        .expect("milestone-overdue");
    assert!(overdue["help"]
        .as_str()
        .unwrap_or_default()
        .contains("{milestone: 1, kind: complete, date: 2026-11-25, description:"));
    assert!(
        findings.iter().all(|d| d["code"] != "milestone-after-due"),
        "a vendor-dependent item's milestones follow the vendor: {findings:#?}"
    );
}

#[test]
fn an_unknown_rule_names_the_nearest() {
    let (code, _, err) = run(Path::new("."), &["rules", "overdu"]);
    assert_eq!(code, 2);
    assert!(err.contains("`overdue`"), "{err}");
    assert!(err.contains("run `poam rules`"), "{err}");
}
