//! `poam lint --fix`, `--unsafe-fixes` and `--diff` on real item files: what each writes,
//! what it leaves (write-once fields and deadlines), and what it reports after.

use std::path::Path;

use crate::common::{copy_fixture, poam, TODAY};

fn lint(dir: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut command = poam();
    command
        .current_dir(dir)
        .args([
            "--today",
            TODAY,
            "lint",
            "--no-history",
            "--format",
            "short",
        ])
        .args(extra);
    command
}

fn run(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = lint(dir, extra).output().expect("poam runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join("poams").join(name)).expect("read item")
}

#[test]
fn diff_shows_the_safe_fixes_and_writes_nothing() {
    let dir = copy_fixture("fix");
    let before = (read(dir.path(), "V-1.yaml"), read(dir.path(), "V-2.yaml"));
    let (code, stdout, stderr) = run(dir.path(), &["--diff"]);
    assert_eq!(code, 1, "something to fix: {stderr}");
    insta::assert_snapshot!("fix-diff", stdout);
    assert_eq!(
        stderr,
        "poam: would fix 3 findings in 1 file (more with --unsafe-fixes)\n"
    );
    assert_eq!(
        before,
        (read(dir.path(), "V-1.yaml"), read(dir.path(), "V-2.yaml"))
    );
}

#[test]
fn fix_writes_safe_fixes_keeping_comments_and_reports_what_is_left() {
    let dir = copy_fixture("fix");
    let v2 = read(dir.path(), "V-2.yaml");
    let (code, stdout, stderr) = run(dir.path(), &["--fix"]);
    assert_eq!(
        stderr,
        "poam: fixed 3 findings in 1 file (more with --unsafe-fixes)\n"
    );
    let v1 = read(dir.path(), "V-1.yaml");
    assert!(
        v1.contains("controls: [AC-2(1), SC-8]   # as the scanner wrote them\n"),
        "{v1}"
    );
    assert!(v1.contains("\nstatus: open\n"), "{v1}");
    assert!(
        v1.contains("status_date: \"2026-11-20\"   # reviewed with the ISSO\n"),
        "{v1}"
    );
    // Write-once fields and deadlines stay as written, even where a fix is obvious.
    assert_eq!(read(dir.path(), "V-2.yaml"), v2);
    assert_eq!(code, 1, "V-2's errors are left: {stdout}");
    insta::assert_snapshot!("fix-left", stdout);

    // Nothing more to fix safely.
    let (_, _, stderr) = run(dir.path(), &["--fix"]);
    assert_eq!(
        stderr,
        "poam: fixed 0 findings in 0 files (more with --unsafe-fixes)\n"
    );
}

#[test]
fn unsafe_fixes_apply_the_suggested_word_only_when_asked() {
    let dir = copy_fixture("fix");
    let (_, _, stderr) = run(dir.path(), &["--fix", "--unsafe-fixes"]);
    assert_eq!(stderr, "poam: fixed 4 findings in 2 files\n");
    let v2 = read(dir.path(), "V-2.yaml");
    assert!(v2.contains("\nstatus: open\n"), "{v2}");
    for untouched in [
        "detected: 2026/10/01",
        "due: 2026/12/29",
        "risk: MODERATE",
        "date: 2026/12/10",
    ] {
        assert!(v2.contains(untouched), "{untouched} changed:\n{v2}");
    }
}

/// 10,000 fixes in one item are written as one edit, in time: one by one, each parsed the
/// whole file again (14 s in a release build; minutes in a test build).
#[test]
fn ten_thousand_fixes_in_one_item_are_written_at_once() {
    let dir = copy_fixture("fix");
    let v1 = read(dir.path(), "V-1.yaml");
    let many = format!("controls:\n{}", "  - ac-02\n".repeat(10_000));
    let v1 = v1.replace(
        "controls: [AC-02(01), SC-8]   # as the scanner wrote them\n",
        &many,
    );
    std::fs::write(dir.path().join("poams/V-1.yaml"), &v1).expect("write");
    let out = lint(dir.path(), &["--fix"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("poam runs");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "poam: fixed 10002 findings in 1 file (more with --unsafe-fixes)\n"
    );
    let fixed = read(dir.path(), "V-1.yaml");
    assert_eq!(
        fixed,
        v1.replace("  - ac-02\n", "  - AC-2\n")
            .replace("status: Open", "status: open")
            .replace("status_date: \"2026/11/20\"", "status_date: \"2026-11-20\"")
    );
}
