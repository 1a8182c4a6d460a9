//! Writing commands: `init`, `new`, and the lifecycle edits `close`, `checkin`, `complete`,
//! `reopen`, which change only the lines they must (byte-exact diffs) and refuse bad edits.

use std::fs;
use std::path::Path;

use crate::common::{lint, poam, TODAY};

/// Every file under `dir` with its bytes, sorted by path.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("under dir")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((name, fs::read(&path).expect("read")));
            }
        }
    }
    files.sort();
    files
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(dir)
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

/// The changed lines between two texts: `-N old` and `+N new`, N the 1-based line number on
/// its side, from a longest-common-subsequence alignment.
fn line_diff(before: &str, after: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            out.push_str(&format!("-{} {}\n", i + 1, a[i]));
            i += 1;
        } else {
            out.push_str(&format!("+{} {}\n", j + 1, b[j]));
            j += 1;
        }
    }
    out
}

#[test]
fn init_then_lint_is_clean_and_init_twice_changes_nothing() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("new-repo");
    let (code, out, err) = run(temp.path(), &["init", "new-repo"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "created poam.yaml
created poams/V-0001.yaml
created .github/workflows/poam.yml
created .vscode/settings.json
next: `poam lint`, then `poam new` for your first real item
"
    );
    let (code, out) = lint(&dir, &[]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings, 0 notes in 1 item\n")
    );
    let first = tree(&dir);
    let (code, out, _) = run(&dir, &["init"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "skipped poam.yaml (exists)
skipped poams/V-0001.yaml (poams/ already holds items)
skipped .github/workflows/poam.yml (exists)
skipped .vscode/settings.json (exists)
"
    );
    assert_eq!(tree(&dir), first, "a second init changes nothing");
    let settings: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join(".vscode/settings.json")).expect("settings"))
            .expect("settings are JSON");
    assert_eq!(
        settings["yaml.schemas"][poam::schema::ITEM_SCHEMA_URL],
        serde_json::json!(["poams/**/*.yaml"])
    );
}

#[test]
fn init_in_an_existing_repo_keeps_its_files_and_settings() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    fs::write(dir.join("poam.yaml"), "items: records\nid_prefix: POAM-\n").expect("write");
    fs::create_dir(dir.join("records")).expect("mkdir");
    fs::write(
        dir.join("records/POAM-7.yaml"),
        crate::common::valid_item("POAM-7"),
    )
    .expect("write");
    let before = tree(dir);
    let (code, out, err) = run(dir, &["init"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "created .github/workflows/poam.yml
created .vscode/settings.json
skipped poam.yaml (exists)
skipped records/POAM-0001.yaml (records/ already holds items)
next: `poam lint`, then `poam new` for your first real item
"
    );
    let after = tree(dir);
    for file in &before {
        assert!(after.contains(file), "{} is untouched", file.0);
    }
    let settings = fs::read_to_string(dir.join(".vscode/settings.json")).expect("read");
    assert!(settings.contains("records/**/*.yaml"), "{settings}");
    // `new` follows the repository's prefix and numbering.
    let (code, out, err) = run(dir, &["new"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.trim_end().ends_with("records/POAM-8.yaml"), "{out}");
}

#[test]
fn new_then_filling_the_placeholders_is_clean() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    assert_eq!(run(dir, &["init", "-q"]).0, 0);
    let (code, out, err) = run(
        dir,
        &[
            "new",
            "--risk",
            "high",
            "--title",
            "OpenSSL 3.0 is out of date",
            "--cve",
            "cve-2024-5535",
            "--asset",
            "web-01 (443/TCP)",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let path = Path::new(out.trim_end());
    assert_eq!(path, dir.join("poams/V-0002.yaml"));
    let text = fs::read_to_string(path).expect("read new item");
    assert!(
        text.contains("detected: 2026-11-25\ndue: 2026-12-25\nrisk: high\n"),
        "{text}"
    );
    assert!(text.contains("  - id: 1\n    date: 2026-12-25\n"), "{text}");
    assert!(text.contains("cves: [CVE-2024-5535]"), "{text}");
    let (code, out) = lint(dir, &["-f", "short"]);
    assert_eq!(code, 1);
    let flagged: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split("required field ").nth(1)?.strip_suffix(" is empty"))
        .collect();
    assert!(
        out.contains("required field `controls` is an empty list"),
        "{out}"
    );
    assert_eq!(
        flagged,
        [
            "`description`",
            "`detector`",
            "`detector_id`",
            "`owner`",
            "`remediation`",
            "`milestones[0].description`"
        ]
    );
    let filled = text
        .replace(
            "description: \"\"\n",
            "description: The base image ships OpenSSL 3.0.13.\n",
        )
        .replace("controls: []", "controls: [SI-2]")
        .replace("detector: \"\"", "detector: Trivy")
        .replace("detector_id: \"\"", "detector_id: CVE-2024-5535")
        .replace("owner: \"\"", "owner: Platform Team")
        .replace(
            "remediation: \"\"",
            "remediation: Rebuild on the patched base image.",
        )
        .replace(
            "    description: \"\"",
            "    description: Patched image deployed.",
        );
    fs::write(path, filled).expect("fill");
    let (code, out) = lint(dir, &[]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings, 0 notes in 2 items\n")
    );
}

#[test]
fn concurrent_new_runs_get_different_ids() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    assert_eq!(run(dir, &["init", "-q"]).0, 0);
    // All four start before any is waited for.
    let children: Vec<std::process::Child> = (0..4)
        .map(|_| {
            std::process::Command::new(assert_cmd::cargo::cargo_bin("poam"))
                .current_dir(dir)
                .args(["--today", TODAY, "new"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("start poam")
        })
        .collect();
    let mut paths: Vec<String> = children
        .into_iter()
        .map(|c| {
            let output = c.wait_with_output().expect("run");
            assert!(output.status.success());
            String::from_utf8(output.stdout).expect("UTF-8")
        })
        .collect();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), 4, "{paths:?}");
    let files = fs::read_dir(dir.join("poams")).expect("read").count();
    assert_eq!(files, 5);
}

/// An item with comments, flow and block styles, and a vendor dependency.
const COMMENTED: &str = "# Terrapin on the storage controllers.
id: V-7
title: SSH Terrapin prefix truncation # CVE-2023-48795
description: >-
  The SSH service offers chacha20-poly1305 without strict key exchange.
controls: [SC-8, SI-2]
detector: Nessus
detector_id: 187315
assets:
  - san-ctrl-a (22/TCP)   # controller A
owner: Maria Garcia
remediation: Apply the vendor's firmware with strict key exchange.
detected: 2026-10-01
due: 2026-12-30
risk: moderate
milestones:
  - id: 1
    date: 2026-10-09
    description: Open a support case.
  - id: 2
    date: 2026-12-16
    description: Install the fixed firmware.
milestone_changes:
  # Support case first.
  - milestone: 1
    kind: complete
    date: 2026-10-08
    description: Vendor case SR-558120 opened.
status: open   # reviewed weekly
status_date: 2026-11-03
vendor_dependency:
  product: StoreGrid 7 firmware
  last_checkin: 2026-10-08   # last call with the vendor
cves: [CVE-2023-48795]
";

fn commented_repo() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    fs::write(temp.path().join("poam.yaml"), "items: poams\n").expect("write");
    fs::create_dir(temp.path().join("poams")).expect("mkdir");
    fs::write(temp.path().join("poams/V-7.yaml"), COMMENTED).expect("write");
    temp
}

/// Runs a command that edits V-7 and returns (its stdout, the diff of the file).
fn edit(dir: &Path, args: &[&str]) -> (String, String) {
    let file = dir.join("poams/V-7.yaml");
    let before = fs::read_to_string(&file).expect("read");
    let (code, out, err) = run(dir, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    let after = fs::read_to_string(&file).expect("read");
    (out, line_diff(&before, &after))
}

#[test]
fn lifecycle_edits_change_only_their_lines_and_keep_comments() {
    let temp = commented_repo();
    let dir = temp.path();

    let (out, diff) = edit(dir, &["checkin", "V-7", "--note", "fix due in January"]);
    assert_eq!(
        out,
        "poams/V-7.yaml
  vendor_dependency.last_checkin: 2026-10-08 → 2026-11-25
  status_date: 2026-11-03 → 2026-11-25
  comments: (none) → 2026-11-25 vendor check-in: fix due in January
"
    );
    assert_eq!(
        diff,
        "-30 status_date: 2026-11-03
+30 status_date: 2026-11-25
-33   last_checkin: 2026-10-08   # last call with the vendor
+33   last_checkin: 2026-11-25   # last call with the vendor
+35 comments: \"2026-11-25 vendor check-in: fix due in January\"
"
    );

    let (out, diff) = edit(
        dir,
        &[
            "complete",
            "V-7",
            "2",
            "--date",
            "2026-11-24",
            "--description",
            "Firmware 7.4.2 installed.",
        ],
    );
    assert_eq!(
        out,
        "poams/V-7.yaml
  milestone_changes[1]: (none) → {milestone: 2, kind: complete, date: 2026-11-24, description: Firmware 7.4.2 installed.}
  status_date: 2026-11-25 → 2026-11-24
"
    );
    assert_eq!(
        diff,
        "+29   - milestone: 2
+30     kind: complete
+31     date: 2026-11-24
+32     description: Firmware 7.4.2 installed.
-30 status_date: 2026-11-25
+34 status_date: 2026-11-24
"
    );

    let (out, diff) = edit(
        dir,
        &[
            "close",
            "V-7",
            "--evidence",
            "Rescan clean",
            "--date",
            "2026-11-25",
        ],
    );
    assert_eq!(
        out,
        "poams/V-7.yaml
  status: open → closed
  status_date: 2026-11-24 → 2026-11-25
  closed.date: (none) → 2026-11-25
  closed.evidence: (none) → Rescan clean
"
    );
    assert_eq!(
        diff,
        "-33 status: open   # reviewed weekly
-34 status_date: 2026-11-24
+33 status: closed   # reviewed weekly
+34 status_date: 2026-11-25
+40 closed:
+41   date: 2026-11-25
+42   evidence: Rescan clean
"
    );

    let (out, diff) = edit(
        dir,
        &["reopen", "V-7", "--reason", "Controller B still vulnerable"],
    );
    assert_eq!(
        out,
        "poams/V-7.yaml
  status: closed → open
  closed: {date: 2026-11-25, evidence: Rescan clean} → (none)
  comments: 2026-11-25 vendor check-in: fix due in January → 2026-11-25 vendor check-in: fix due in January\\n2026-11-25 reopened: Controller B still vulnerable
"
    );
    assert_eq!(
        diff,
        "-33 status: closed   # reviewed weekly
+33 status: open   # reviewed weekly
-39 comments: \"2026-11-25 vendor check-in: fix due in January\"
-40 closed:
-41   date: 2026-11-25
-42   evidence: Rescan clean
+39 comments: |-
+40   2026-11-25 vendor check-in: fix due in January
+41   2026-11-25 reopened: Controller B still vulnerable
"
    );

    let text = fs::read_to_string(dir.join("poams/V-7.yaml")).expect("read");
    for comment in [
        "# Terrapin on the storage controllers.",
        "# CVE-2023-48795",
        "# controller A",
        "  # Support case first.",
        "# last call with the vendor",
    ] {
        assert!(text.contains(comment), "{comment} kept:\n{text}");
    }
    let (code, out) = lint(dir, &["-f", "short"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn edits_that_do_not_fit_are_refused_and_write_nothing() {
    let temp = commented_repo();
    let dir = temp.path();
    let file = dir.join("poams/V-7.yaml");
    let cases: [(&[&str], &str); 6] = [
        (&["reopen", "V-7", "--reason", "x"], "V-7: is not closed"),
        (
            &["complete", "V-7", "1"],
            "V-7: milestone 1 is already complete",
        ),
        (
            &["complete", "V-7", "5"],
            "V-7: has no milestone 5 (milestones: 1, 2)",
        ),
        (
            &[
                "close",
                "V-7",
                "--evidence",
                "clean",
                "--date",
                "2026-09-01",
            ],
            "V-7: the edit would leave the item invalid; nothing was written:\n  error[date-order]",
        ),
        (
            &["close", "V-7", "--evidence", " "],
            "closing needs evidence",
        ),
        (
            &["close", "V-8", "--evidence", "x"],
            "no item with id `V-8`; the nearest ids are `V-7`",
        ),
    ];
    for (args, message) in cases {
        let (code, _, err) = run(dir, args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert_eq!(
            fs::read_to_string(&file).expect("read"),
            COMMENTED,
            "{args:?}"
        );
    }
    fs::write(&file, COMMENTED.replace("vendor_dependency:\n  product: StoreGrid 7 firmware\n  last_checkin: 2026-10-08   # last call with the vendor\n", "")).expect("write");
    let (code, _, err) = run(dir, &["checkin", "V-7"]);
    assert_eq!(code, 2);
    assert!(err.contains("has no `vendor_dependency`"), "{err}");
}

#[test]
fn a_write_once_change_is_refused() {
    let before = COMMENTED;
    let after = COMMENTED.replace("detected: 2026-10-01", "detected: 2026-10-02");
    let config = poam::config::Config::for_items_dir(Path::new("."));
    let context = poam::lifecycle::RuleContext {
        config: &config,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 25).expect("date"),
        kev: None,
        name: "poams/V-7.yaml",
        file_stem: "V-7",
    };
    let err = poam::lifecycle::check_edit(&context, before, &after).expect_err("refused");
    assert!(
        err.to_string()
            .contains("would change `detected`, which is written once"),
        "{err}"
    );
    let rewritten = COMMENTED.replace("Vendor case SR-558120 opened.", "Case opened.");
    let err = poam::lifecycle::check_edit(&context, before, &rewritten).expect_err("refused");
    assert!(err.to_string().contains("append-only"), "{err}");
    poam::lifecycle::check_edit(&context, before, before).expect("no change is fine");
}

#[test]
fn completions_generate_for_each_shell_and_the_man_page_lists_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = poam().args(["completions", shell]).output().expect("run");
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).expect("UTF-8");
        for word in ["checkin", "lint", "today"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
    let output = poam().arg("man").output().expect("run");
    assert!(output.status.success());
    let page = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH poam"),
        "{page}"
    );
    for command in [
        "init", "new", "close", "checkin", "complete", "reopen", "schema",
    ] {
        assert!(page.contains(command), "man page names {command}");
    }
}

#[test]
fn quiet_and_verbose_mean_the_same_on_writing_commands() {
    let temp = commented_repo();
    let dir = temp.path();
    let (code, out, err) = run(dir, &["-q", "checkin", "V-7"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let (code, out, err) = run(dir, &["new", "-v"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("poams/V-8.yaml\n"), "{out}");
    assert!(err.contains("poam: config: "), "{err}");
    assert!(
        err.contains("poam: read 1 item files (0 unreadable)"),
        "{err}"
    );
    assert!(err.contains("poam: allocated V-8"), "{err}");
    let (code, out, err) = run(dir, &["init", "-q"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
}

#[cfg(unix)]
#[test]
fn new_edit_opens_the_editor_on_the_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path();
    assert_eq!(run(dir, &["init", "-q"]).0, 0);
    let editor = dir.join("editor.sh");
    fs::write(&editor, "#!/bin/sh\necho \"# seen by $1\" >> \"$2\"\n").expect("write");
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).expect("chmod");
    let output = poam()
        .current_dir(dir)
        .env("EDITOR", format!("{} --wait", editor.display()))
        .env_remove("VISUAL")
        .args(["--today", TODAY, "new", "--edit"])
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = fs::read_to_string(dir.join("poams/V-0002.yaml")).expect("read");
    assert!(text.ends_with("# seen by --wait\n"), "{text}");
    // Without an editor the item is still created, and the error says where.
    let output = poam()
        .current_dir(dir)
        .env_remove("EDITOR")
        .env_remove("VISUAL")
        .args(["--today", TODAY, "new", "--edit"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("--edit needs $VISUAL or $EDITOR; the item was created at"),
        "{err}"
    );
    assert!(dir.join("poams/V-0003.yaml").is_file());
}

#[test]
fn version_names_the_commit() {
    let output = poam().arg("--version").output().expect("run");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let rest = text
        .strip_prefix(&format!("poam {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|r| r.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        rest == "unknown" || (rest.len() >= 7 && rest.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}

/// V-1 with two open milestones and a vendor dependency: `checkin`, `complete V-1 1` and
/// `complete V-1 2` each change it differently.
fn racing_item() -> String {
    crate::common::valid_item("V-1").replace(
        "status: open\n",
        "  - id: 2\n    date: 2026-12-20\n    description: Roll the image out.\nstatus: open\nvendor_dependency:\n  product: Base image\n  last_checkin: 2026-11-02\n",
    )
}

fn racing_repo() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    fs::write(temp.path().join("poam.yaml"), "items: poams\n").expect("write");
    fs::create_dir(temp.path().join("poams")).expect("mkdir");
    fs::write(temp.path().join("poams/V-1.yaml"), racing_item()).expect("write");
    temp
}

/// `poam checkin V-1 & poam complete V-1 1 & poam complete V-1 2`, round after round, as real
/// processes: every command that exits 0 has its change in the file at the end (the lock
/// makes them take turns), and none is lost silently.
#[test]
fn concurrent_lifecycle_edits_lose_nothing() {
    let temp = racing_repo();
    let dir = temp.path();
    let file = dir.join("poams/V-1.yaml");
    let binary = assert_cmd::cargo::cargo_bin("poam");
    let started = std::time::Instant::now();
    let mut rounds = 0;
    while rounds < 6 || (started.elapsed().as_secs() < 4 && rounds < 40) {
        rounds += 1;
        fs::write(&file, racing_item()).expect("reset");
        let commands: [&[&str]; 3] = [
            &["checkin", "V-1", "--date", "2026-11-24"],
            &["complete", "V-1", "1"],
            &["complete", "V-1", "2"],
        ];
        let children: Vec<_> = commands
            .iter()
            .map(|args| {
                std::process::Command::new(&binary)
                    .current_dir(dir)
                    .args(["--today", TODAY, "--quiet"])
                    .args(*args)
                    .env("TZ", "UTC")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn poam")
            })
            .collect();
        let outcomes: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("poam runs"))
            .collect();
        let text = fs::read_to_string(&file).expect("read");
        let landed = [
            text.contains("last_checkin: 2026-11-24"),
            text.contains("  - milestone: 1\n    kind: complete"),
            text.contains("  - milestone: 2\n    kind: complete"),
        ];
        for ((args, outcome), landed) in commands.iter().zip(&outcomes).zip(landed) {
            let stderr = String::from_utf8_lossy(&outcome.stderr);
            match outcome.status.code() {
                Some(0) => assert!(
                    landed,
                    "round {rounds}: `{args:?}` exited 0 but its change is missing:\n{text}"
                ),
                // Reported, not lost: a refusal names the file and writes nothing of its own.
                Some(2) => assert!(stderr.contains("V-1"), "round {rounds}: {stderr}"),
                other => panic!("round {rounds}: `{args:?}` exited {other:?}: {stderr}"),
            }
        }
        // With the lock they take turns, so all three land.
        assert_eq!(landed, [true; 3], "round {rounds}:\n{text}");
    }
}

/// A writer holding an item's lock makes another wait; one that holds it too long makes the
/// other fail (exit 2) with a message, writing nothing.
#[test]
fn a_held_lock_makes_the_writer_wait_then_fail() {
    let temp = racing_repo();
    let dir = temp.path();
    let file = dir.join("poams/V-1.yaml");
    let held = fs::File::open(&file).expect("open");
    held.lock().expect("lock");
    let started = std::time::Instant::now();
    let (code, _, err) = run(dir, &["complete", "V-1", "1"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("being edited by another poam process"),
        "{err}"
    );
    assert!(started.elapsed() >= poam::edit::LOCK_WAIT, "it waited");
    assert_eq!(fs::read_to_string(&file).expect("read"), racing_item());

    // Released while the writer waits: it goes ahead.
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(700));
        drop(held);
    });
    let (code, _, err) = run(dir, &["complete", "V-1", "1"]);
    releaser.join().expect("thread");
    assert_eq!(code, 0, "{err}");
    assert!(fs::read_to_string(&file)
        .expect("read")
        .contains("  - milestone: 1\n    kind: complete"));
}

/// A command naming an item whose file cannot be read says which file and why, rather than
/// that no such item exists.
#[test]
fn an_item_whose_file_cannot_be_read_is_named_with_why() {
    let temp = racing_repo();
    let dir = temp.path();
    fs::write(dir.join("poams/V-3.yaml"), "id: V-3\ntitle: [unclosed\n").expect("write");
    for args in [
        &["close", "V-3", "--evidence", "Rescan clean"][..],
        &["show", "V-3"],
    ] {
        let (code, out, err) = run(dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("V-3: `poams/V-3.yaml` cannot be read:") && err.contains("parse-error"),
            "{args:?}: {err}"
        );
        assert!(out.is_empty(), "{out}");
    }
    // An id no file is named after is still unknown, with the nearest ids.
    let (code, _, err) = run(dir, &["show", "V-4"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no item with id `V-4`"), "{err}");
}

/// An item file that is a symlink is refused (decided: poam reads and edits regular files
/// only), with why, and the link and its target stay as they were.
#[cfg(unix)]
#[test]
fn an_item_that_is_a_symlink_is_refused_and_the_link_kept() {
    let temp = racing_repo();
    let dir = temp.path();
    fs::create_dir(dir.join("shared")).expect("mkdir");
    fs::write(
        dir.join("shared/V-2.yaml"),
        crate::common::valid_item("V-2"),
    )
    .expect("write");
    std::os::unix::fs::symlink("../shared/V-2.yaml", dir.join("poams/V-2.yaml")).expect("link");
    let (code, _, err) = run(dir, &["close", "V-2", "--evidence", "Rescan clean"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("V-2: `poams/V-2.yaml` cannot be read: the item file is a symlink"),
        "{err}"
    );
    let link = fs::symlink_metadata(dir.join("poams/V-2.yaml")).expect("stat");
    assert!(link.file_type().is_symlink(), "the link stays a link");
    assert_eq!(
        fs::read_to_string(dir.join("shared/V-2.yaml")).expect("read"),
        crate::common::valid_item("V-2")
    );
}

/// Two files with one id: the edit is refused, naming both files, and neither changes.
#[test]
fn an_id_in_two_files_is_refused_naming_both() {
    let temp = racing_repo();
    let dir = temp.path();
    fs::create_dir(dir.join("poams/old")).expect("mkdir");
    fs::write(dir.join("poams/old/V-1-copy.yaml"), racing_item()).expect("write");
    let (code, _, err) = run(dir, &["complete", "V-1", "1"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("poams/V-1.yaml") && err.contains("poams/old/V-1-copy.yaml"),
        "{err}"
    );
    for path in ["poams/V-1.yaml", "poams/old/V-1-copy.yaml"] {
        assert_eq!(
            fs::read_to_string(dir.join(path)).expect("read"),
            racing_item()
        );
    }
}

/// A lifecycle date after today is refused (lint would call it a `future-date` error).
#[test]
fn lifecycle_dates_after_today_are_refused() {
    let temp = racing_repo();
    let dir = temp.path();
    for args in [
        &[
            "close",
            "V-1",
            "--evidence",
            "Rescan clean",
            "--date",
            "2026-11-26",
        ][..],
        &["complete", "V-1", "1", "--date", "2026-12-01"],
        &["checkin", "V-1", "--date", "2027-01-01"],
    ] {
        let (code, _, err) = run(dir, args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains("is after today (2026-11-25)"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.join("poams/V-1.yaml")).expect("read"),
            racing_item()
        );
    }
    // Today itself is fine.
    let (code, _, err) = run(dir, &["complete", "V-1", "1", "--date", TODAY]);
    assert_eq!(code, 0, "{err}");
}

/// An id deleted in git is never handed out again, by `poam new` or `poam import scan`: the
/// allocator counts every id the history held (V-3, deleted; V-5, renumbered in place).
#[test]
fn ids_deleted_in_history_are_not_reused() {
    let (_temp, repo) = crate::common::build_repo("deleted_ids");
    let (code, out, err) = run(&repo, &["new", "--title", "A new finding"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.ends_with("/poams/V-6.yaml\n"), "{out}{err}");
    let text = fs::read_to_string(repo.join("poams/V-6.yaml")).expect("read");
    assert!(text.contains("id: V-6\n"), "{text}");

    // `poam import scan` likewise.
    fs::remove_file(repo.join("poams/V-6.yaml")).expect("remove");
    let scan = crate::common::fixtures().join("scans/trivy/trivy_spring4shell-jre8.json");
    let (code, out, err) = run(
        &repo,
        &[
            "import",
            "scan",
            scan.to_str().expect("utf-8"),
            "--write",
            "--report",
            "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("json");
    let created: Vec<&str> = report["created"]
        .as_array()
        .expect("created")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert!(!created.is_empty(), "{out}");
    assert!(
        created.iter().all(|id| !["V-3", "V-4", "V-5"].contains(id)) && created[0] == "V-6",
        "{created:?}"
    );
}

/// `poam import xlsx` likewise: a row under an id that a deleted item carried is skipped, not
/// made into a new item under that id.
#[test]
fn import_xlsx_skips_ids_deleted_in_history() {
    let (temp, repo) = crate::common::build_repo("deleted_ids");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(&repo)
            .status()
            .expect("git");
        assert!(status.success(), "git {args:?}");
    };
    // The workbook of the January items, V-3 among them.
    let workbook = temp.path().join("january.xlsx");
    git(&["checkout", "-q", "HEAD~2"]);
    let (code, _, err) = run(
        &repo,
        &["export", "xlsx", "-o", workbook.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    git(&["checkout", "-q", "-"]);
    let (code, _, err) = run(
        &repo,
        &["import", "xlsx", workbook.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("POAM ID `V-3` belonged to an item deleted from the repository's history"),
        "{err}"
    );
    assert!(!repo.join("poams/V-3.yaml").exists());
}
