//! The command line: every format, exit codes, config errors, output files.

use std::fs;

use crate::common::{lint, lint_json, poam, valid_item, TODAY};

/// A repo with one clean item, one with errors, one with a warning only.
fn mixed_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir(dir.path().join("poams")).expect("mkdir");
    fs::write(
        dir.path().join("poam.yaml"),
        "system: {csp: Example Cloud, name: Example SaaS, impact: moderate}\nitems: poams\n",
    )
    .expect("write");
    fs::write(dir.path().join("poams/V-1.yaml"), valid_item("V-1")).expect("write");
    let broken = valid_item("V-2")
        .replace("due: 2027-01-20", "due: 2027-06-20")
        .replace(
            "owner: Jane Doe - Platform Team\n",
            "point_of_contact: Jane Doe\n",
        );
    fs::write(dir.path().join("poams/V-2.yaml"), broken).expect("write");
    let stale = valid_item("V-3").replace("status_date: 2026-11-20", "status_date: 2026-09-01");
    fs::write(dir.path().join("poams/V-3.yaml"), stale).expect("write");
    dir
}

fn only_item(dir: &std::path::Path, id: &str) {
    for entry in fs::read_dir(dir.join("poams")).expect("read") {
        let path = entry.expect("entry").path();
        if path.file_stem().is_some_and(|s| s != id) {
            fs::remove_file(path).expect("remove");
        }
    }
}

#[test]
fn clean_items_exit_zero() {
    let dir = mixed_repo();
    only_item(dir.path(), "V-1");
    let (code, out) = lint(dir.path(), &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "0 errors, 0 warnings, 0 notes in 1 item\n");
}

#[test]
fn errors_exit_one_in_every_format() {
    let dir = mixed_repo();
    for format in ["human", "short", "json", "github", "sarif"] {
        let (code, out) = lint(dir.path(), &["--format", format]);
        assert_eq!(code, 1, "format {format}: {out}");
        assert!(
            out.contains("missing-field"),
            "format {format} names the code: {out}"
        );
    }
}

#[test]
fn warnings_alone_exit_zero_unless_strict() {
    let dir = mixed_repo();
    only_item(dir.path(), "V-3");
    assert_eq!(lint(dir.path(), &[]).0, 0);
    assert_eq!(lint(dir.path(), &["--strict"]).0, 1);
}

#[test]
fn rule_levels_from_config_change_severity_and_exit_code() {
    let dir = mixed_repo();
    only_item(dir.path(), "V-3");
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nrules: {status-stale: error}\n",
    )
    .expect("write");
    let (code, json) = lint_json(dir.path());
    assert_eq!(code, 1);
    assert_eq!(json["diagnostics"][0]["severity"], "error");
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nrules: {status-stale: off}\n",
    )
    .expect("write");
    let (code, json) = lint_json(dir.path());
    assert_eq!(code, 0);
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(0));
}

#[test]
fn short_format_is_one_line_per_finding() {
    let dir = mixed_repo();
    let (_, out) = lint(dir.path(), &["--format", "short"]);
    insta::assert_snapshot!(out, @r"
    poams/V-2.yaml:1:1: error[missing-field] missing required field `owner`
    poams/V-2.yaml:8:1: error[unknown-field] unknown field `point_of_contact`
    poams/V-2.yaml:11:6: error[due-beyond-policy] due 2027-06-20 is 231 days after detection; moderate allows 90 (deadline 2027-01-30)
    poams/V-3.yaml:18:14: warning[status-stale] status date 2026-09-01 is 85 days old (limit 30 days)
    ");
}

#[test]
fn human_format_shows_snippets_and_a_summary() {
    let dir = mixed_repo();
    let (_, out) = lint(dir.path(), &[]);
    insta::assert_snapshot!("human_mixed", out);
}

#[test]
fn json_format_has_the_documented_shape() {
    let dir = mixed_repo();
    let (_, json) = lint_json(dir.path());
    insta::assert_json_snapshot!("json_mixed", json);
    assert_eq!(json["version"], 1);
    assert_eq!(json["today"], TODAY);
    assert_eq!(json["items"], 3);
    assert_eq!(json["summary"]["error"], 3);
}

#[test]
fn github_format_escapes_workflow_commands() {
    let dir = mixed_repo();
    let (_, out) = lint(dir.path(), &["--format", "github"]);
    let first = out.lines().next().expect("a line");
    assert_eq!(
        first,
        "::error file=poams/V-2.yaml,line=1,col=1,endLine=1,endColumn=8,title=missing-field::missing required field `owner`%0Ahelp: add `owner:` with the point of contact"
    );
    assert!(out
        .lines()
        .any(|l| l.starts_with("::warning file=poams/V-3.yaml,line=18,col=14")));
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = mixed_repo();
    let report = dir.path().join("report.json");
    let output = poam()
        .args(["lint", "--today", TODAY, "--format", "json", "-o"])
        .arg(&report)
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&report).expect("report written")).expect("json");
    assert_eq!(written["summary"]["error"], 3);
}

#[test]
fn unwritable_output_is_exit_two() {
    let dir = mixed_repo();
    let output = poam()
        .args(["lint", "--today", TODAY, "-o"])
        .arg(dir.path().join("no/such/dir/report.txt"))
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
}

#[test]
fn today_comes_from_the_environment_when_not_given() {
    let dir = mixed_repo();
    only_item(dir.path(), "V-1");
    // On 2027-02-01 the item is overdue.
    let output = poam()
        .arg("lint")
        .arg(dir.path())
        .env("POAM_TODAY", "2027-02-01")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("overdue"));
}

#[test]
fn bad_today_is_a_usage_error() {
    let output = poam()
        .args(["lint", "--today", "2026-13-01", "."])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn config_errors_are_reported_with_locations_and_exit_two() {
    let dir = mixed_repo();
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nstale_dayz: 30\ndeadlines: {high: -3}\nrules: {overdeu: off}\n",
    )
    .expect("write");
    let output = poam()
        .args(["lint", "--today", TODAY])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("poam.yaml:2:1"), "{stderr}");
    assert!(stderr.contains("did you mean `stale_days`?"), "{stderr}");
    assert!(
        stderr.contains("`deadlines.high` must be a whole number"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `overdue`?"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn missing_items_folder_is_exit_two() {
    let dir = tempfile::tempdir().expect("temp");
    fs::write(dir.path().join("poam.yaml"), "items: nowhere\n").expect("write");
    let output = poam()
        .args(["lint", "--today", TODAY])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("items folder"));
}

#[test]
fn unreadable_path_is_exit_two() {
    let output = poam()
        .args(["lint", "--today", TODAY, "/no/such/path"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/no/such/path"));
}

#[test]
fn a_bare_folder_of_items_needs_no_config() {
    let dir = tempfile::tempdir().expect("temp");
    fs::write(dir.path().join("V-9.yaml"), valid_item("V-9")).expect("write");
    let (code, out) = lint(dir.path(), &["--format", "short"]);
    assert_eq!((code, out.as_str()), (0, ""));
}

#[test]
fn rules_command_lists_and_explains() {
    let output = poam().arg("rules").output().expect("run");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.lines().any(|l| l.starts_with("due-beyond-policy")));
    let output = poam().args(["rules", "overdue"]).output().expect("run");
    assert!(String::from_utf8_lossy(&output.stdout).contains("## How to fix"));
    let output = poam().args(["rules", "overdeu"]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn lint_never_writes_to_the_items() {
    let dir = mixed_repo();
    let before = snapshot_tree(dir.path());
    lint(dir.path(), &[]);
    lint(dir.path(), &["--format", "sarif"]);
    assert_eq!(before, snapshot_tree(dir.path()));
}

fn snapshot_tree(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| (p.display().to_string(), fs::read(&p).expect("read")))
        .collect();
    files.sort();
    files
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn outside_git_the_history_rules_are_skipped_with_one_note() {
    let dir = mixed_repo();
    only_item(dir.path(), "V-1");
    let output = poam()
        .args(["lint", "--today", TODAY, "--format", "short"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "poam.yaml:1:1: note[history-unavailable] history rules skipped: the items are not in a git repository\n"
    );
    // PR mode needs git: outside a repository it is a tool error.
    let output = poam()
        .args(["lint", "--today", TODAY, "--base", "main"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not inside a git repository"));
}

#[test]
fn a_broken_kev_catalog_is_exit_two_with_its_position() {
    let dir = mixed_repo();
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nkev_catalog: kev.json\n",
    )
    .expect("write");
    fs::write(
        dir.path().join("kev.json"),
        "{\"vulnerabilities\": [\n  {\"cveID\": 1}\n]}\n",
    )
    .expect("write");
    let output = poam()
        .args(["lint", "--today", TODAY])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("kev.json") && stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn items_beside_the_config_do_not_include_the_config() {
    let dir = tempfile::tempdir().expect("temp");
    fs::write(dir.path().join("poam.yaml"), "items: .\n").expect("write");
    fs::write(dir.path().join("V-1.yaml"), valid_item("V-1")).expect("write");
    let (code, out) = lint(dir.path(), &[]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings, 0 notes in 1 item\n")
    );
}

#[test]
fn item_files_are_checked_with_their_folder_and_reported_alone() {
    let dir = mixed_repo();
    // V-1 is clean; the folder's other items have errors that are not reported.
    let output = poam()
        .args(["lint", "--no-history", "--today", TODAY])
        .arg(dir.path().join("poams/V-1.yaml"))
        .output()
        .expect("run");
    assert_eq!(
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).as_ref()
        ),
        (Some(0), "0 errors, 0 warnings, 0 notes in 1 item\n")
    );
    // Two files, as pre-commit passes them, plus a file outside the items folder.
    let output = poam()
        .args(["lint", "--no-history", "--today", TODAY, "-f", "short"])
        .arg(dir.path().join("poams/V-1.yaml"))
        .arg(dir.path().join("poams/V-3.yaml"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("V-3.yaml") && stdout.contains("status-stale"),
        "{stdout}"
    );
    assert!(!stdout.contains("V-2.yaml"), "{stdout}");
    // Across items: a new file that reuses an id is reported, the old one is not.
    fs::write(dir.path().join("poams/V-9.yaml"), valid_item("V-1")).expect("write");
    let output = poam()
        .args(["lint", "--no-history", "--today", TODAY, "-f", "short"])
        .arg(dir.path().join("poams/V-9.yaml"))
        .arg(dir.path().join("poam.yaml").with_file_name("README.md"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2), "README.md does not exist");
    fs::write(dir.path().join("README.md"), "# notes\n").expect("write");
    let output = poam()
        .args(["lint", "--no-history", "--today", TODAY, "-f", "short"])
        .arg(dir.path().join("poams/V-9.yaml"))
        .arg(dir.path().join("README.md"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("poams/V-9.yaml") && stdout.contains("duplicate-id"));
    assert!(
        !stdout.lines().any(|l| l.starts_with("poams/V-1.yaml")),
        "{stdout}"
    );
    // poam.yaml itself is accepted as the config to use.
    let output = poam()
        .args(["lint", "--no-history", "--today", TODAY])
        .arg(dir.path().join("poam.yaml"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn quiet_drops_the_summary_and_verbose_says_what_was_read() {
    let dir = mixed_repo();
    let run = |flag: &str| {
        poam()
            .args(["lint", "--no-history", "--today", TODAY, flag])
            .arg(dir.path().join("poams/V-1.yaml"))
            .output()
            .expect("run")
    };
    let quiet = run("-q");
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&quiet.stdout), "");
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    let verbose = run("-v");
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    assert!(stderr.contains("poam: config: "), "{stderr}");
    assert!(
        stderr.contains("read 3 item files (0 unreadable)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("poam: 0 findings in 1 item in "),
        "{stderr}"
    );
    assert_eq!(
        String::from_utf8_lossy(&verbose.stdout),
        "0 errors, 0 warnings, 0 notes in 1 item\n"
    );
}

/// A reader that stops reading (`poam completions bash | head`) is told nothing, as git and
/// ripgrep tell it nothing; the status says the output was not all delivered. The script is
/// over 64 KiB, more than a pipe holds, so the write meets the closed pipe.
#[test]
fn a_reader_that_leaves_early_gets_no_error_message() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("poam"))
        .args(["completions", "bash"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run poam");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("poam ends");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
