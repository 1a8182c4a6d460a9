//! Item text is data in every output (issue 20 item 9): on the scripted repository of
//! tests/fixtures/git/hostile_text.sh, whose items, author and commit summaries carry terminal
//! escapes, GitHub workflow commands and @-mentions, no text output lets a control character
//! through, no line can run as a workflow command, and no Markdown output mentions anyone.

use std::path::Path;

use crate::common::{build_repo, poam};

const TODAY: &str = "2026-03-20";

/// Runs `poam ARGS` in `repo` with a fixed date; returns (exit code, stdout).
fn run(repo: &Path, args: &[&str]) -> (i32, String) {
    let output = poam()
        .current_dir(repo)
        .args(args)
        .args(["--today", TODAY])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
    )
}

/// What the GitHub Actions runner would take from `out` as a command: a line whose first
/// non-blank characters are `::`, or the legacy `##[` anywhere in a line.
fn workflow_commands(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|line| line.trim_start().starts_with("::") || line.contains("##["))
        .collect()
}

/// Control characters other than the line breaks between lines of output.
fn controls(out: &str) -> Vec<char> {
    out.chars()
        .filter(|c| c.is_control() && *c != '\n')
        .collect()
}

fn assert_inert(what: &str, out: &str) {
    assert_eq!(controls(out), Vec::<char>::new(), "{what}:\n{out}");
    assert_eq!(
        workflow_commands(out),
        Vec::<&str>::new(),
        "{what} runs workflow commands:\n{out}"
    );
}

#[test]
fn lint_text_formats_run_no_command_and_reach_no_terminal() {
    let (_temp, repo) = build_repo("hostile_text");
    for format in ["short", "human"] {
        let (code, out) = run(&repo, &["lint", "--format", format]);
        assert_eq!(code, 1, "{out}");
        assert_inert(format, &out);
        // The value is there, escaped where it was cut.
        assert!(out.contains(r"moderate\n::error::boom"), "{format}:\n{out}");
    }
    let (_, human) = run(&repo, &["lint"]);
    // The snippet of a file with raw control characters, escaped, the marker still under
    // the place the parser named.
    assert!(
        human.contains(r"title: raw \u{1b}]0;owned\u{7} ##\u{5b}error]in the file"),
        "{human}"
    );
    assert!(human.contains(r"OpenSSL \e]0;owned\a"), "{human}");
}

#[test]
fn github_format_is_one_well_formed_command_per_finding() {
    let (_temp, repo) = build_repo("hostile_text");
    let (code, out) = run(&repo, &["lint", "--format", "github"]);
    assert_eq!(code, 1, "{out}");
    assert_eq!(controls(&out), Vec::<char>::new(), "{out}");
    let (_, short) = run(&repo, &["lint", "--format", "short"]);
    assert_eq!(out.lines().count(), short.lines().count(), "{out}");
    for line in out.lines() {
        assert!(
            ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|start| line.starts_with(start)),
            "{line}"
        );
        // The message is everything after the second `::`; nothing in it opens a command.
        let message = line.splitn(3, "::").nth(2).expect("a message");
        assert!(
            !message.contains('\n') && !message.contains("##["),
            "{line}"
        );
    }
    assert!(
        out.contains(r"found `moderate\n::error::boom`%0Ahelp:"),
        "{out}"
    );
}

#[test]
fn show_prints_item_text_escaped() {
    let (_temp, repo) = build_repo("hostile_text");
    let (code, out) = run(&repo, &["show", "V-1"]);
    assert_eq!(code, 0, "{out}");
    assert_inert("show", &out);
    assert!(
        out.starts_with(r"V-1  OpenSSL \u{1b}]0;owned\u{7} is out of date"),
        "{out}"
    );
    // A multi-line milestone description keeps its lines, the second under the first.
    assert!(
        out.contains(
            "  Rebuild the image.\n                           \\u{3a}:warning file=x::milestone ##\\u{5b}error]legacy\n"
        ),
        "{out}"
    );
}

#[test]
fn log_text_and_markdown_are_inert() {
    let (_temp, repo) = build_repo("hostile_text");
    let (code, human) = run(&repo, &["log"]);
    assert_eq!(code, 0, "{human}");
    assert_inert("log", &human);
    assert!(
        human.contains(r"Mallory ##\u{5b}error]name <mallory@example.com>"),
        "{human}"
    );
    assert!(
        human.contains("  \\u{3a}:error::summary of the first commit\n"),
        "{human}"
    );
    // Block text keeps its lines, each escaped.
    assert!(
        human.contains("        \\u{3a}:add-mask::hunter2\n        Third \\u{1b}[2J line.\n"),
        "{human}"
    );
    let (code, md) = run(&repo, &["log", "--format", "md"]);
    assert_eq!(code, 0, "{md}");
    assert_inert("log --format md", &md);
    assert!(md.contains("cc @\u{200B}bob for the platform team"), "{md}");
    assert!(md.contains("(alice@example.com)"), "{md}");
}

#[test]
fn markdown_reports_notify_nobody() {
    let (_temp, repo) = build_repo("hostile_text");
    let (code, monthly) = run(&repo, &["report"]);
    assert_eq!(code, 0, "{monthly}");
    let (code, pr) = run(&repo, &["report", "--base", "main"]);
    assert_eq!(code, 0, "{pr}");
    assert!(pr.contains("cc @\u{200B}bob"), "{pr}");
    for (what, out) in [("report", &monthly), ("report --base", &pr)] {
        assert_inert(what, out);
        assert!(
            out.contains("@\u{200B}alice and @\u{200B}acme/security (alice@example.com)"),
            "{what}:\n{out}"
        );
        // Every other `@` is inside a word (an email address).
        for (at, _) in out.match_indices('@') {
            let before = out[..at].chars().next_back();
            let after = out[at + 1..].chars().next();
            assert!(
                after == Some('\u{200B}') || before.is_some_and(char::is_alphanumeric),
                "{what}: a mention at byte {at}:\n{out}"
            );
        }
    }
}

#[test]
fn the_import_report_shows_scan_text_escaped() {
    // A Trivy title that would retitle the terminal and add an annotation to the CI run.
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("poams")).expect("mkdir");
    std::fs::write(dir.join("poam.yaml"), "items: poams\n").expect("write");
    let sample = crate::common::fixtures().join("scans/trivy/trivy_alpine-310.json");
    let text = std::fs::read_to_string(sample).expect("sample");
    let hostile = text.replacen(
        "\"Title\": \"openssl: information disclosure in fork()\"",
        "\"Title\": \"openssl \\u001b]0;owned\\u0007\\n::error::forked\"",
        1,
    );
    assert_ne!(hostile, text, "the sample has the title");
    std::fs::write(dir.join("scan.json"), hostile).expect("write");
    let (code, out) = run(dir, &["import", "scan", "scan.json"]);
    assert_eq!(code, 0, "{out}");
    assert_inert("import scan", &out);
    assert!(
        // (The importer already makes a title one line.)
        out.contains(r"openssl \u{1b}]0;owned\u{7} ::error::forked"),
        "{out}"
    );
}
