//! Shared test helpers: a scrubbed `poam` command and fixture copies in temp folders.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub const TODAY: &str = "2026-11-25";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `poam` with the environment scrubbed of everything that changes its output.
pub fn poam() -> Command {
    let mut cmd = Command::cargo_bin("poam").expect("poam binary is built");
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key == "CI"
            || key.starts_with("GITHUB_")
            || key == "NO_COLOR"
            || key.starts_with("POAM_")
        {
            cmd.env_remove(key);
        }
    }
    cmd.env("TZ", "UTC");
    cmd
}

/// Builds the repository of `tests/fixtures/git/<script>.sh` into `<temp>/repo` (fixed people
/// and dates, so commit ids are stable) and returns the temp folder and that path.
pub fn build_repo(script: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let repo = temp.path().join("repo");
    let status = std::process::Command::new("bash")
        .arg(fixtures().join("git").join(format!("{script}.sh")))
        .arg(&repo)
        .status()
        .expect("bash runs");
    assert!(status.success(), "fixture {script} failed");
    (temp, repo)
}

/// `examples/<name>` copied into `<temp>/repo` (not a git repository).
pub fn copy_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let repo = temp.path().join("repo");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(name),
        &repo,
    );
    (temp, repo)
}

/// Copies a fixture folder into a fresh temp folder, outside any git repository.
pub fn copy_fixture(relative: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join(relative), temp.path());
    temp
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
        .map(|e| e.expect("dir entry"))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Runs `poam lint --no-history` on `dir` (a temp folder, outside git) and returns (exit code,
/// stdout). History behaviour has tests of its own.
pub fn lint(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = poam()
        .arg("lint")
        .arg(dir)
        .args(["--today", TODAY, "--no-history"])
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
    )
}

pub fn lint_json(dir: &Path) -> (i32, serde_json::Value) {
    let (code, stdout) = lint(dir, &["--format", "json"]);
    (
        code,
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("json output: {e}\n{stdout}")),
    )
}

/// A repo (`poam.yaml` with `items: poams`) holding V-1, whose due date is beyond policy, and
/// `files` beside it.
pub fn repo_with(files: &[(&str, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::create_dir(dir.path().join("poams")).expect("mkdir");
    std::fs::write(dir.path().join("poam.yaml"), "items: poams\n").expect("write");
    let late = valid_item("V-1").replace("due: 2027-01-20", "due: 2027-09-01");
    std::fs::write(dir.path().join("poams/V-1.yaml"), late).expect("write");
    for (name, bytes) in files {
        std::fs::write(dir.path().join("poams").join(name), bytes).expect("write");
    }
    dir
}

/// A small valid item, for tests that build their own folders.
pub fn valid_item(id: &str) -> String {
    format!(
        "id: {id}
title: OpenSSL 3.0 is out of date
description: The installed OpenSSL package predates the vendor's security release.
controls: [SI-2, RA-5]
detector: Nessus
detector_id: 187315
assets: [web-01.example.internal (443/TCP)]
owner: Jane Doe - Platform Team
remediation: Upgrade OpenSSL through the base image.
detected: 2026-11-01
due: 2027-01-20
risk: moderate
milestones:
  - id: 1
    date: 2026-12-15
    description: Rebuild the base image with the patched package.
status: open
status_date: 2026-11-20
"
    )
}

/// `git` in `repo` as Bob, at `date` (fixed, so commit ids are stable).
pub fn git(repo: &Path, args: &[&str], date: &str) -> String {
    let output = std::process::Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Bob Builder")
        .env("GIT_AUTHOR_EMAIL", "bob@example.com")
        .env("GIT_COMMITTER_NAME", "Bob Builder")
        .env("GIT_COMMITTER_EMAIL", "bob@example.com")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("TZ", "UTC")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}
