//! Bad input never panics, hangs or stops the other files from being linted.

use std::fs;

use proptest::prelude::*;

use crate::common::{git, lint_json, repo_with, valid_item};

fn parse_errors(json: &serde_json::Value) -> Vec<(String, u64, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "parse-error")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_kind_of_bad_file_is_a_located_parse_error_and_the_rest_is_linted() {
    let alias_bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
    let deep = format!("id: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let huge = format!(
        "id: V-1\ndescription: \"{}\"\n",
        "x".repeat(1024 * 1024 + 10)
    );
    let dir = repo_with(&[
        ("alias-bomb.yaml", alias_bomb.as_bytes().to_vec()),
        (
            "binary.yaml",
            vec![0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 0xff, 0xfe],
        ),
        ("deep.yaml", deep.into_bytes()),
        ("empty.yaml", Vec::new()),
        ("huge.yaml", huge.into_bytes()),
        ("latin1.yaml", b"title: caf\xe9\n".to_vec()),
        ("list.yaml", b"- id: V-2\n".to_vec()),
        (
            "syntax.yaml",
            b"id: V-3\ntitle: [unclosed\nowner: x\n".to_vec(),
        ),
        ("two-docs.yaml", b"id: V-4\n---\nid: V-5\n".to_vec()),
    ]);
    let (code, json) = lint_json(dir.path());
    assert_eq!(code, 1);
    let errors = parse_errors(&json);
    let files: Vec<&str> = errors.iter().map(|(f, _, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "poams/alias-bomb.yaml",
            "poams/binary.yaml",
            "poams/deep.yaml",
            "poams/empty.yaml",
            "poams/huge.yaml",
            "poams/latin1.yaml",
            "poams/list.yaml",
            "poams/syntax.yaml",
            "poams/two-docs.yaml"
        ]
    );
    let message = |file: &str| {
        errors
            .iter()
            .find(|(f, _, _)| f.ends_with(file))
            .map(|(_, _, m)| m.clone())
            .unwrap_or_default()
    };
    assert!(message("alias-bomb.yaml").contains("anchors and aliases"));
    assert!(message("huge.yaml").contains("at most 1048576 bytes"));
    assert!(message("latin1.yaml").contains("UTF-8"));
    assert!(message("empty.yaml").contains("empty"));
    assert!(message("list.yaml").contains("mapping"));
    assert!(message("two-docs.yaml").contains("more than one YAML document"));
    // The valid item was still linted: its due date is beyond policy.
    assert!(json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .any(|d| d["code"] == "due-beyond-policy" && d["file"] == "poams/V-1.yaml"));
    assert_eq!(json["items"], 10);
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_repo_is_refused_and_a_fifo_does_not_hang() {
    let outside = tempfile::tempdir().expect("temp");
    fs::write(outside.path().join("secret.yaml"), valid_item("secret")).expect("write");
    let dir = repo_with(&[]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        dir.path().join("poams/secret.yaml"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(
        dir.path().join("poams/V-1.yaml"),
        dir.path().join("poams/V-1-link.yaml"),
    )
    .expect("symlink");
    mkfifo(&dir.path().join("poams/fifo.yaml"));
    let (_, json) = lint_json(dir.path());
    let errors = parse_errors(&json);
    assert!(
        errors
            .iter()
            .any(|(f, _, m)| f == "poams/secret.yaml" && m.contains("is a symlink")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(f, _, m)| f == "poams/fifo.yaml" && m.contains("not a regular file")),
        "{errors:?}"
    );
    // A link inside the repo is not read either (see the test below for why).
    assert!(
        errors
            .iter()
            .any(|(f, _, m)| f == "poams/V-1-link.yaml" && m.contains("is a symlink")),
        "{errors:?}"
    );

    // An items folder that is itself a link out of the repository is refused as a whole.
    let dir = repo_with(&[]);
    fs::remove_dir_all(dir.path().join("poams")).expect("remove");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("poams")).expect("symlink");
    let (code, stdout, stderr) = lint_raw(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("outside the repository") && !stderr.contains("OpenSSL"),
        "{stderr}"
    );
    assert!(stdout.is_empty());
}

/// The findings of rule `code`, as (file, message).
/// git records a symlink, not the file it points at: an item read through a link had the
/// link's history, so a write-once date changed in the link's target passed every history
/// rule, and the items behind a linked folder were left out of the POA&M without a word.
#[cfg(unix)]
#[test]
fn an_item_behind_a_link_is_refused_so_its_history_cannot_be_walked_around() {
    let dir = repo_with(&[]);
    let repo = dir.path();
    fs::create_dir_all(repo.join("shared/more")).expect("mkdir");
    fs::write(repo.join("shared/V-2.yaml"), valid_item("V-2")).expect("write");
    fs::write(repo.join("shared/more/V-3.yaml"), valid_item("V-3")).expect("write");
    std::os::unix::fs::symlink("../shared/V-2.yaml", repo.join("poams/V-2.yaml")).expect("link");
    std::os::unix::fs::symlink("../shared/more", repo.join("poams/more")).expect("link");
    git(repo, &["init", "-q", "-b", "main"], "2026-11-02T10:00:00Z");
    git(repo, &["add", "-A"], "2026-11-02T10:00:00Z");
    git(
        repo,
        &["commit", "-q", "-m", "items"],
        "2026-11-02T10:00:00Z",
    );
    let moved = valid_item("V-2").replace("detected: 2026-11-01", "detected: 2026-11-20");
    fs::write(repo.join("shared/V-2.yaml"), moved).expect("write");
    git(
        repo,
        &["commit", "-q", "-am", "later"],
        "2026-11-21T10:00:00Z",
    );

    let (code, json) = lint_json(repo);
    assert_eq!(code, 1);
    let errors = parse_errors(&json);
    assert!(
        errors.iter().any(|(f, line, m)| f == "poams/V-2.yaml"
            && *line == 1
            && m.contains("is a symlink")
            && m.contains("replace the link with the file")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|(f, _, m)| f == "poams/more"
            && m.contains("symlink to a folder")
            && m.contains("move the items into the items folder")),
        "{errors:?}"
    );
    // Neither is read: no finding quotes their content, and only V-1 is an item.
    let diagnostics = json["diagnostics"].as_array().expect("list");
    assert!(
        diagnostics
            .iter()
            .all(|d| d["code"] == "parse-error" || d["file"] == "poams/V-1.yaml"),
        "{diagnostics:?}"
    );
    // The count is of files, as for any unreadable file.
    assert_eq!(json["items"], 3, "{json}");
}

fn findings_of(json: &serde_json::Value, code: &str) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A pull request controls `poam.yaml` and every file: the people file, the inventory and the
/// assessment are read as items are, never from outside the work tree (a finding quotes the
/// file's lines into public CI logs) and never from a FIFO or device (lint would hang).
#[cfg(unix)]
#[test]
fn the_people_inventory_and_assessment_files_are_never_read_from_outside_the_repo_or_a_fifo() {
    let outside = tempfile::tempdir().expect("temp");
    let secret = outside.path().join("id_ed25519");
    fs::write(
        &secret,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n",
    )
    .expect("write");

    // The people file named by absolute path, and inventory files that are a link out of the
    // repository and a FIFO.
    let dir = repo_with(&[]);
    fs::write(
        dir.path().join("poam.yaml"),
        format!("items: poams\npeople: {}\n", secret.display()),
    )
    .expect("write");
    fs::create_dir(dir.path().join("inventory")).expect("mkdir");
    fs::write(dir.path().join("inventory/web.yaml"), "- id: web-01\n").expect("write");
    std::os::unix::fs::symlink(&secret, dir.path().join("inventory/key.yaml")).expect("symlink");
    mkfifo(&dir.path().join("inventory/pipe.yaml"));
    // A linked folder (inside the repository or out) is reported, not skipped in silence.
    fs::create_dir(dir.path().join("more-assets")).expect("mkdir");
    fs::write(dir.path().join("more-assets/db.yaml"), "- id: db-01\n").expect("write");
    std::os::unix::fs::symlink("../more-assets", dir.path().join("inventory/more")).expect("link");
    let (code, json) = lint_json(dir.path());
    assert_eq!(code, 1, "{json}");
    let people = findings_of(&json, "people-invalid");
    assert!(
        people.len() == 1 && people[0].1.contains("is outside the repository"),
        "{people:?}"
    );
    let inventory = findings_of(&json, "inventory-invalid");
    assert!(
        inventory.iter().any(|(f, m)| f == "inventory/key.yaml"
            && m.contains("symlink points outside the repository")),
        "{inventory:?}"
    );
    assert!(
        inventory
            .iter()
            .any(|(f, m)| f == "inventory/pipe.yaml" && m.contains("not a regular file")),
        "{inventory:?}"
    );
    assert!(
        inventory.iter().any(|(f, m)| f == "inventory/more"
            && m.contains("symlink to a folder")
            && m.contains("not read")),
        "{inventory:?}"
    );
    assert!(
        !json.to_string().contains("b3BlbnNzaC1rZXktdjEAAAAA"),
        "{json}"
    );

    // An inventory folder outside the repository is refused as a whole, before any of it is
    // walked; a people file that is a FIFO is the configuration's problem.
    let dir = repo_with(&[]);
    fs::write(
        dir.path().join("poam.yaml"),
        format!("items: poams\ninventory: {}\n", outside.path().display()),
    )
    .expect("write");
    let (code, _, stderr) = lint_raw(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the inventory folder is outside the repository"),
        "{stderr}"
    );
    mkfifo(&dir.path().join("team.yaml"));
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\npeople: team.yaml\n",
    )
    .expect("write");
    let (code, _, stderr) = lint_raw(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("team.yaml` is not a regular file"),
        "{stderr}"
    );

    // The CMMC assessment beside `poam.yaml`, linked out of the repository.
    let dir = repo_with(&[]);
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nprofile: cmmc-l2\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(&secret, dir.path().join("assessment.yaml")).expect("symlink");
    let (_, json) = lint_json(dir.path());
    let assessment = findings_of(&json, "cmmc-assessment-invalid");
    assert!(
        assessment
            .iter()
            .any(|(_, m)| m.contains("symlink points outside the repository")),
        "{json}"
    );
    assert!(
        !json.to_string().contains("b3BlbnNzaC1rZXktdjEAAAAA"),
        "{json}"
    );
}

/// Runs poam with `args`, failing the test (not hanging it) when poam has not finished
/// within a minute: (exit code, stdout, stderr).
fn poam_within_a_minute(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let output = crate::common::poam()
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run poam");
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("poam {args:?} did not finish within a minute"));
    (
        code,
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `poam lint DIR` on 2026-12-01 without history, with `extra` arguments, within a minute:
/// (exit code, stdout, stderr).
fn lint_raw(dir: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<&std::ffi::OsStr> = ["lint", "--today", "2026-12-01", "--no-history"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    args.push(dir.as_os_str());
    poam_within_a_minute(&args)
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo");
    assert!(status.success());
}

/// `poam.yaml`, the KEV catalog, `.github/CODEOWNERS` and the baseline file are never opened
/// when they are a FIFO (opening one blocks) and are bounded in size; those the repository
/// holds are not read through a link out of it.
#[cfg(unix)]
#[test]
fn the_config_kev_codeowners_and_baseline_files_are_refused_when_a_fifo_or_a_link_out() {
    let dir = repo_with(&[]);
    let config = dir.path().join("poam.yaml");
    fs::remove_file(&config).expect("remove");
    mkfifo(&config);
    let config_arg = format!("--config={}", config.display());
    let (code, _, stderr) = lint_raw(dir.path(), &[&config_arg]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");

    let dir = repo_with(&[]);
    fs::write(
        dir.path().join("poam.yaml"),
        "items: poams\nkev_catalog: kev.json\n",
    )
    .expect("write");
    mkfifo(&dir.path().join("kev.json"));
    let (code, _, stderr) = lint_raw(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("kev.json` is not a regular file"),
        "{stderr}"
    );

    // CODEOWNERS: lint leaves a file it cannot read unchecked; `poam codeowners` says why.
    let dir = repo_with(&[]);
    fs::create_dir(dir.path().join(".github")).expect("mkdir");
    mkfifo(&dir.path().join(".github/CODEOWNERS"));
    let (code, _, stderr) = lint_raw(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let (code, _, stderr) = poam_within_a_minute(&[
        "codeowners".as_ref(),
        "--check".as_ref(),
        "--config".as_ref(),
        dir.path().join("poam.yaml").as_os_str(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(".github/CODEOWNERS: not a regular file"),
        "{stderr}"
    );

    // The baseline file, linked out of the repository.
    let outside = tempfile::tempdir().expect("temp");
    fs::write(outside.path().join("baseline.json"), "{}").expect("write");
    let dir = repo_with(&[]);
    std::os::unix::fs::symlink(
        outside.path().join("baseline.json"),
        dir.path().join("poam-baseline.json"),
    )
    .expect("symlink");
    let (code, _, stderr) = lint_raw(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("symlink points outside the repository"),
        "{stderr}"
    );
}

/// Files poam writes on its own account (not named by `-o` or `--into`) are never written
/// through a committed link out of the repository.
#[cfg(unix)]
#[test]
fn codeowners_and_inventory_import_never_write_through_a_link_out_of_the_repo() {
    let outside = tempfile::tempdir().expect("temp");
    let dir = repo_with(&[]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".github")).expect("symlink");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("inventory")).expect("symlink");
    let run = |args: &[&str]| {
        let output = crate::common::poam()
            .current_dir(dir.path())
            .args(args)
            .args(["--today", "2026-12-01"])
            .output()
            .expect("run");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["codeowners"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("outside the repository"), "{stderr}");
    let filled = crate::common::fixtures().join("inventory/IIW-filled.xlsx");
    let (code, stderr) = run(&["inventory", "import", filled.to_str().expect("a path")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("outside the repository"), "{stderr}");
    assert_eq!(
        fs::read_dir(outside.path()).expect("list").count(),
        0,
        "nothing is written outside"
    );
}

/// A finding on a very long line (a minified file) is shown by its place, not its snippet:
/// miette panicked on a column past 65,535, and the whole line printed once per finding. The
/// configuration's problems are shown as findings are: escaped, and bounded the same way.
#[test]
fn a_finding_on_a_very_long_line_is_located_without_its_snippet_and_config_errors_are_escaped() {
    let dir = repo_with(&[]);
    fs::create_dir(dir.path().join("inventory")).expect("mkdir");
    let assets: Vec<String> = (0..5000).map(|i| format!("{{id: host-{i:05}}}")).collect();
    fs::write(
        dir.path().join("inventory/hosts.yaml"),
        format!("[{}]\n", assets.join(", ")),
    )
    .expect("write");
    let (code, stdout, stderr) = lint_raw(dir.path(), &["--color=never"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stdout.contains("inventory/hosts.yaml:1:7\n"),
        "{}",
        &stdout[..2000]
    );
    // The last asset, past column 65,535.
    assert!(stdout.contains(&format!("inventory/hosts.yaml:1:{}\n", 4999 * 18 + 7)));
    let longest = stdout.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 200, "a line of {longest} bytes");
    // A short line of the same file still gets its snippet.
    fs::write(
        dir.path().join("inventory/hosts.yaml"),
        format!("[{}]\n", assets[..3].join(", ")),
    )
    .expect("write");
    let (_, text) = crate::common::lint(dir.path(), &["--color=never"]);
    assert!(text.contains("1 │ [{id: host-00000}"), "{text}");

    let config_errors = |text: String| {
        fs::write(dir.path().join("poam.yaml"), text).expect("write");
        let (code, _, stderr) = lint_raw(dir.path(), &["--color=never"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.lines().all(|l| l.len() < 400), "{stderr}");
        stderr
    };
    let long = "x".repeat(70_000);
    let stderr = config_errors(format!("items: poams\nmarking: \"{long}\"\n"));
    assert!(
        stderr.contains("poam.yaml:2:10: invalid configuration: `marking`"),
        "{stderr}"
    );
    let stderr = config_errors("items: poams\nred\u{1b}[31m: 1\n".to_owned());
    assert!(stderr.contains("2 │ red"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok((text, node)) = poam::parse::parse_bytes(&bytes) {
            let item = poam::model::item::Item::from_node(&node, &text);
            for problem in &item.problems {
                let span = match problem {
                    poam::model::item::Problem::UnknownKey { span, .. }
                    | poam::model::item::Problem::InvalidValue { span, .. }
                    | poam::model::item::Problem::ControlCharacter { span, .. }
                    | poam::model::item::Problem::WordCase { span, .. } => *span,
                };
                prop_assert!(span.end <= text.len() && text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
    }

    #[test]
    fn mutated_items_never_panic(cut in 0usize..600, insert in "[ -~\\n]{0,12}") {
        let mut text = valid_item("V-7");
        let at = cut.min(text.len());
        text.insert_str(at, &insert);
        if let Ok(node) = poam::parse::parse_str(&text) {
            let item = poam::model::item::Item::from_node(&node, &text);
            let config = poam::config::Config::for_items_dir(std::path::Path::new("."));
            let file = poam::source::SourceFile::new("V-7.yaml".into(), text.clone());
            let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
            for d in poam::lint::check_item(&config, today, None, &file, &item, "V-7", None) {
                prop_assert!(d.location.span.end <= text.len());
                prop_assert!(d.location.start.line >= 1);
            }
        }
    }
}

/// A quote left open on line 5 runs on to the next quote (line 9), where the parser gives up:
/// the finding also points at the opening quote, the line to fix. Double and single quotes,
/// and a doubled single quote inside, which does not close the value.
#[test]
fn an_unclosed_quote_is_pointed_at_where_it_opens() {
    let double = "id: V-2\ntitle: x\ndescription: y\ncontrols: [SI-2]\nowner: \"Jane Doe\nremediation: z\ndetected: 2026-01-01\ndue: 2026-02-01\nrisk: \"low\"\nstatus: open\n";
    let single = "id: V-3\ntitle: x\ndescription: y\ncontrols: [SI-2]\nowner: 'Jane O''Doe\nremediation: z\ndetected: 2026-01-01\ndue: 2026-02-01\nrisk: 'low'\nstatus: open\n";
    // Closed on its own line: nothing to add.
    let same_line = "id: V-4\ntitle: \"x\"y\n";
    let dir = repo_with(&[
        ("V-2.yaml", double.as_bytes().to_vec()),
        ("V-3.yaml", single.as_bytes().to_vec()),
        ("V-4.yaml", same_line.as_bytes().to_vec()),
    ]);
    let (_, json) = lint_json(dir.path());
    let findings: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "parse-error")
        .collect();
    let at = |file: &str| {
        findings
            .iter()
            .find(|d| d["file"] == file)
            .unwrap_or_else(|| panic!("{file}: {findings:#?}"))
    };
    for file in ["poams/V-2.yaml", "poams/V-3.yaml"] {
        let finding = at(file);
        assert_eq!(finding["line"], 9, "{finding:#}");
        let related = &finding["related"][0];
        assert_eq!(
            (&related["line"], &related["column"]),
            (&serde_json::json!(5), &serde_json::json!(8)),
            "{finding:#}"
        );
        assert!(
            related["message"]
                .as_str()
                .is_some_and(|m| m.contains("runs on to line 9")),
            "{finding:#}"
        );
    }
    assert_eq!(at("poams/V-4.yaml")["related"], serde_json::json!([]));
}

/// 10,000 findings in one item: each snippet is cut from the lines around its finding, in
/// time, with the file's own line numbers. Before, every snippet scanned the file from its
/// start: 65 s for these in a test build, 30 s for twice as many in a release build.
#[test]
fn a_file_with_many_findings_renders_each_snippet_from_its_own_lines() {
    let entries = "  - ZZ-1\n".repeat(10_000);
    let item =
        valid_item("V-2").replace("controls: [SI-2, RA-5]\n", &format!("controls:\n{entries}"));
    let first = item
        .lines()
        .position(|l| l == "  - ZZ-1")
        .expect("the list")
        + 1;
    let dir = repo_with(&[("V-2.yaml", item.into_bytes())]);
    let output = crate::common::poam()
        .arg("lint")
        .arg(dir.path())
        .args([
            "--today",
            crate::common::TODAY,
            "--no-history",
            "--color",
            "never",
        ])
        .timeout(std::time::Duration::from_secs(40))
        .output()
        .expect("run poam");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [first, first + 5_000, first + 9_999] {
        let place = format!("╭─[poams/V-2.yaml:{line}:5]");
        let snippet = format!("{line} │   - ZZ-1");
        assert!(stdout.contains(&place), "no {place}");
        assert!(stdout.contains(&snippet), "no {snippet}");
    }
    assert_eq!(stdout.matches("error[control-unknown]").count(), 10_000);
}

#[test]
fn a_today_whose_deadlines_an_item_cannot_hold_is_refused_and_the_latest_one_writes_dates() {
    for example in ["demo", "cr26", "dod", "cmmc"] {
        let (_temp, repo) = crate::common::copy_example(example);
        let items = repo.join("poams");
        let names = || {
            let mut names: Vec<String> = fs::read_dir(&items)
                .expect("list")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let before = names();
        let new = |today: &str| {
            crate::common::poam()
                .current_dir(&repo)
                .args(["new", "--title", "x", "--today", today])
                .output()
                .expect("run poam")
        };
        // The next day's deadlines would be written as `+10000-...`, which no item can hold.
        let refused = new("9990-01-01");
        assert_eq!(refused.status.code(), Some(2), "{example}");
        let err = String::from_utf8_lossy(&refused.stderr);
        assert!(
            err.contains("too late") && err.contains("9989-12-31"),
            "{err}"
        );
        assert_eq!(names(), before, "{example}: nothing written");
        let made = new("9989-12-31");
        assert!(
            made.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let added: Vec<String> = names()
            .into_iter()
            .filter(|n| !before.contains(n))
            .collect();
        assert_eq!(added.len(), 1, "{example}: {added:?}");
        let (_, json) = crate::common::lint_json(&repo);
        let unreadable: Vec<_> = json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(&added[0])))
            .filter(|d| d["code"] == "invalid-value" || d["code"] == "parse-error")
            .collect();
        assert!(unreadable.is_empty(), "{example}: {unreadable:?}");
    }
}
