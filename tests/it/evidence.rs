//! Evidence with a chain of custody, end to end in a real repository: `poam evidence add`
//! copies a file and records its hash through the item editor; one altered byte is
//! `evidence-altered`; replacing the file and its hash in one commit is `evidence-rewritten`
//! (full history and pull-request mode agree); a deleted file is `evidence-missing`.

use std::path::Path;

use crate::common::{build_repo, git, poam};

const RESCAN: &str =
    "Nessus rescan 2026-11-18: plugin 104743 not reported on openssl.example.internal.\n";

fn commit(repo: &Path, message: &str, date: &str) -> String {
    git(repo, &["add", "-A"], date);
    git(repo, &["commit", "-q", "-m", message], date);
    git(repo, &["rev-parse", "--short", "HEAD"], date)
}

/// `poam evidence verify` in `repo`: (exit code, the codes and messages of its findings).
fn verify(repo: &Path, extra: &[&str]) -> (i32, Vec<(String, String)>) {
    let output = poam()
        .current_dir(repo)
        .args(["evidence", "verify", "--today", "2026-11-25", "-f", "json"])
        .args(extra)
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("json: {e}: {}", String::from_utf8_lossy(&output.stdout)));
    let findings = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    (output.status.code().unwrap_or(-1), findings)
}

/// The SHA-256 of `bytes`, as `sha256sum` prints it.
fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn codes(findings: &[(String, String)]) -> Vec<&str> {
    findings.iter().map(|(code, _)| code.as_str()).collect()
}

#[test]
fn add_alter_replace_and_delete_evidence() {
    let (temp, repo) = build_repo("evidence");
    let file = temp.path().join("rescan.txt");
    std::fs::write(&file, RESCAN).expect("write");

    // Add: the file is copied into evidence/V-1/ and recorded with its hash and the day.
    let added = poam()
        .current_dir(&repo)
        .args(["evidence", "add", "V-1"])
        .arg(&file)
        .args([
            "--note",
            "rescan after the upgrade",
            "--today",
            "2026-11-18",
        ])
        .output()
        .expect("run poam");
    assert!(added.status.success(), "{added:?}");
    let copied = std::fs::read_to_string(repo.join("evidence/V-1/rescan.txt")).expect("copied");
    assert_eq!(copied, RESCAN);
    let hash = sha256_hex(RESCAN.as_bytes());
    let item = std::fs::read_to_string(repo.join("poams/V-1.yaml")).expect("item");
    let expected_entry = format!(
        "documents:\n  - type: Remediation Evidence\n    name: rescan.txt\n    path: evidence/V-1/rescan.txt\n    sha256: {hash}\n    added: 2026-11-18\n    note: rescan after the upgrade\n"
    );
    assert!(item.ends_with(&expected_entry), "{item}");
    assert_eq!(
        String::from_utf8_lossy(&added.stdout),
        format!("poams/V-1.yaml\n  added evidence/V-1/rescan.txt sha256 {hash}\n")
    );
    // Adding the same file again changes nothing.
    let again = poam()
        .current_dir(&repo)
        .args(["evidence", "add", "V-1"])
        .arg(&file)
        .args(["--today", "2026-11-19"])
        .output()
        .expect("run poam");
    assert!(again.status.success(), "{again:?}");
    assert_eq!(
        std::fs::read_to_string(repo.join("poams/V-1.yaml")).expect("item"),
        item
    );
    let added_at = commit(
        &repo,
        "Add the rescan evidence",
        "2026-11-18T10:00:00+00:00",
    );
    assert_eq!(verify(&repo, &[]), (0, Vec::new()));

    // Alter one byte: the file no longer has the recorded hash.
    let altered = RESCAN.replacen("not reported", "not Reported", 1);
    std::fs::write(repo.join("evidence/V-1/rescan.txt"), &altered).expect("write");
    let (code, findings) = verify(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&findings), ["evidence-altered"], "{findings:?}");
    assert!(
        findings[0]
            .1
            .starts_with("evidence file `evidence/V-1/rescan.txt` has SHA-256 ")
            && findings[0].1.ends_with(&format!("records {}", &hash[..12])),
        "{findings:?}"
    );

    // Replace the file and its recorded hash in one commit: file and record agree, but the
    // record was rewritten after the document was added.
    let new_hash = sha256_hex(altered.as_bytes());
    let text = item.replace(&hash, &new_hash);
    std::fs::write(repo.join("poams/V-1.yaml"), &text).expect("write");
    let replaced_at = commit(&repo, "Refresh the rescan", "2026-11-20T10:00:00+00:00");
    let (code, findings) = verify(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(codes(&findings), ["evidence-rewritten"], "{findings:?}");
    assert_eq!(
        findings[0].1,
        format!(
            "`sha256` of document `evidence/V-1/rescan.txt` changed from `{hash}` to `{new_hash}`: it is written once, when the document is added (commit {replaced_at} by Bob Builder on 2026-11-20)"
        ),
    );
    // Without history the rewrite cannot be seen.
    assert_eq!(verify(&repo, &["--no-history"]), (0, Vec::new()));
    // Pull-request mode sees the same rewrite.
    let pr = poam()
        .current_dir(&repo)
        .args([
            "lint",
            "--today",
            "2026-11-25",
            "-f",
            "json",
            "--base",
            &added_at,
        ])
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&pr.stdout).expect("json");
    let pr_codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["code"].as_str())
        .filter(|c| c.starts_with("evidence-"))
        .collect();
    assert_eq!(pr_codes, ["evidence-rewritten"], "{json:#}");

    // Delete the file: the listed evidence is missing (and the rewrite is still there).
    std::fs::remove_file(repo.join("evidence/V-1/rescan.txt")).expect("remove");
    let (code, findings) = verify(&repo, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        codes(&findings),
        ["evidence-missing", "evidence-rewritten"],
        "{findings:?}"
    );
    assert_eq!(
        findings[0].1,
        "`documents[0].path`: evidence file `evidence/V-1/rescan.txt` is not there"
    );
}

#[test]
fn evidence_is_never_overwritten_and_links_stay_outside() {
    let (temp, repo) = build_repo("evidence");
    let file = temp.path().join("rescan.txt");
    std::fs::write(&file, RESCAN).expect("write");
    let run = |args: &[&str]| {
        poam()
            .current_dir(&repo)
            .args(args)
            .args(["--today", "2026-11-18"])
            .output()
            .expect("run poam")
    };
    let path = file.to_str().expect("UTF-8 temp path");
    assert!(run(&["evidence", "add", "V-1", path]).status.success());
    // A different file under the same name is refused; the first stays as it was.
    std::fs::write(&file, "another scan\n").expect("write");
    let refused = run(&["evidence", "add", "V-1", path]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("evidence is never overwritten"),
        "{refused:?}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("evidence/V-1/rescan.txt")).expect("read"),
        RESCAN
    );
    // --link records the hash and the address; nothing is copied.
    let big = temp.path().join("full-scan.nessus");
    std::fs::write(&big, "<NessusClientData_v2/>\n").expect("write");
    let linked = run(&[
        "evidence",
        "add",
        "V-1",
        big.to_str().expect("UTF-8"),
        "--type",
        "Scan Report",
        "--link",
        "https://evidence.example.com/V-1/full-scan.nessus",
    ]);
    assert!(linked.status.success(), "{linked:?}");
    assert!(!repo.join("evidence/V-1/full-scan.nessus").exists());
    let item = std::fs::read_to_string(repo.join("poams/V-1.yaml")).expect("item");
    assert!(
        item.contains("    url: https://evidence.example.com/V-1/full-scan.nessus\n"),
        "{item}"
    );
    assert!(
        item.contains(&format!(
            "    sha256: {}\n",
            sha256_hex(b"<NessusClientData_v2/>\n")
        )),
        "{item}"
    );
    // An unknown item is refused with a suggestion, and nothing is copied.
    let unknown = run(&["evidence", "add", "V-2", path]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(!repo.join("evidence/V-2").exists());

    // A committed link on the way out of the repository: nothing is written through it, and
    // lint does not vouch for what is behind it.
    let outside = tempfile::tempdir().expect("temp");
    std::fs::rename(repo.join("evidence"), outside.path().join("evidence")).expect("move");
    std::os::unix::fs::symlink(outside.path().join("evidence"), repo.join("evidence"))
        .expect("symlink");
    let other = temp.path().join("other.txt");
    std::fs::write(&other, "other\n").expect("write");
    let through = run(&["evidence", "add", "V-1", other.to_str().expect("UTF-8")]);
    assert_eq!(through.status.code(), Some(2), "{through:?}");
    assert!(
        String::from_utf8_lossy(&through.stderr).contains("is inside a symlinked folder"),
        "{through:?}"
    );
    assert!(!outside.path().join("evidence/V-1/other.txt").exists());
    let lint = run(&["lint", "--no-history", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("json");
    assert!(
        json["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["code"] == "evidence-missing"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("inside a symlinked folder"))),
        "{json}"
    );
}

/// `poam ARGS` in `repo`: (exit code, stdout, stderr).
fn run_in(repo: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(repo)
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn close_takes_a_document_added_by_the_closing_date_as_its_evidence() {
    let (temp, repo) = build_repo("evidence");
    let file = temp.path().join("rescan.txt");
    std::fs::write(&file, RESCAN).expect("write");
    let rescan = file.to_str().expect("utf-8 path");
    let item = repo.join("poams/V-1.yaml");
    let original = std::fs::read_to_string(&item).expect("item");
    // No text and no document: refused, nothing written.
    let close = [
        "close",
        "V-1",
        "--date",
        "2026-11-18",
        "--today",
        "2026-11-25",
    ];
    let (code, _, err) = run_in(&repo, &close);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("V-1: closing needs evidence: `--evidence TEXT`, or a document added on or before 2026-11-18"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&item).expect("item"), original);
    // A document added the day after the closing date is no evidence for it (near miss).
    let (code, _, err) = run_in(
        &repo,
        &["evidence", "add", "V-1", rescan, "--today", "2026-11-19"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run_in(&repo, &close);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("on or before 2026-11-18"), "{err}");
    // Closed on the day it was added: accepted, no `closed.evidence` written, and the
    // evidence rules agree.
    let (code, out, err) = run_in(
        &repo,
        &[
            "close",
            "V-1",
            "--date",
            "2026-11-19",
            "--today",
            "2026-11-25",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "poams/V-1.yaml\n  status: open → closed\n  status_date: (none) → 2026-11-19\n  closed.date: (none) → 2026-11-19\n"
    );
    let closed = std::fs::read_to_string(&item).expect("item");
    assert!(
        closed.ends_with("closed:\n  date: 2026-11-19\n"),
        "{closed}"
    );
    assert_eq!(verify(&repo, &[]), (0, Vec::new()));
}

#[test]
fn close_with_a_document_records_it_in_the_same_edit() {
    let (temp, repo) = build_repo("evidence");
    let file = temp.path().join("rescan.txt");
    std::fs::write(&file, RESCAN).expect("write");
    let hash = sha256_hex(RESCAN.as_bytes());
    let (code, out, err) = run_in(
        &repo,
        &[
            "close",
            "V-1",
            "--document",
            file.to_str().expect("utf-8 path"),
            "--today",
            "2026-11-20",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("poams/V-1.yaml\n  added evidence/V-1/rescan.txt sha256 {hash}\n  status: open → closed\n  status_date: (none) → 2026-11-20\n  closed.date: (none) → 2026-11-20\n")
    );
    let item = std::fs::read_to_string(repo.join("poams/V-1.yaml")).expect("item");
    assert!(
        item.ends_with(&format!("documents:\n  - type: Remediation Evidence\n    name: rescan.txt\n    path: evidence/V-1/rescan.txt\n    sha256: {hash}\n    added: 2026-11-20\nclosed:\n  date: 2026-11-20\n")),
        "{item}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("evidence/V-1/rescan.txt")).expect("copied"),
        RESCAN
    );
    assert_eq!(verify(&repo, &[]), (0, Vec::new()));
}

#[test]
fn evidence_for_an_id_two_files_claim_is_refused_and_nothing_is_copied() {
    let (temp, repo) = build_repo("evidence");
    let file = temp.path().join("rescan.txt");
    std::fs::write(&file, RESCAN).expect("write");
    // A second file claiming V-1: which one the evidence belongs to cannot be told.
    let item = std::fs::read_to_string(repo.join("poams/V-1.yaml")).expect("item");
    std::fs::write(repo.join("poams/V-1-copy.yaml"), &item).expect("write");
    let (code, _, err) = run_in(
        &repo,
        &[
            "evidence",
            "add",
            "V-1",
            file.to_str().expect("UTF-8"),
            "--today",
            "2026-11-18",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("V-1: the id is claimed by 2 files"), "{err}");
    assert!(!repo.join("evidence/V-1").exists());
    assert_eq!(
        std::fs::read_to_string(repo.join("poams/V-1.yaml")).expect("item"),
        item
    );
}
