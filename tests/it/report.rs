//! `poam report`: the monthly summary and the pull-request summary on a scripted repository
//! (tests/fixtures/git/report.sh) with a fixed date.

use std::path::Path;

use crate::common::{build_repo, poam};

const TODAY: &str = "2026-03-20";

fn report_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(cwd)
        .arg("report")
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

#[test]
fn monthly_markdown_report() {
    let (_temp, repo) = build_repo("report");
    let (code, out, err) = report_in(&repo, &[]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("monthly_markdown", out);
}

#[test]
fn monthly_report_names_the_escalation_triggers_and_their_items() {
    let (_temp, repo) = build_repo("report");
    let (_, out, _) = report_in(&repo, &[]);
    // H6 is closed on the branch: H1-H5 are five High items open 69 days.
    assert!(
        out.contains("**Detailed Finding Review**: 5 high items open longer than 30 days (trigger: 5): H1, H2, H3, H4, H5"),
        "{out}"
    );
    assert!(
        out.contains("**Corrective Action Plan**: 5 high items open longer than 60 days"),
        "{out}"
    );
    assert!(!out.contains("moderate items open longer than 90"), "{out}");
}

#[test]
fn markdown_tables_escape_pipes() {
    let (_temp, repo) = build_repo("report");
    // M4 (title with a pipe) exists on main only.
    std::process::Command::new("git")
        .args(["checkout", "-q", "main"])
        .current_dir(&repo)
        .status()
        .expect("git checkout");
    let (_, out, _) = report_in(&repo, &[]);
    assert!(out.contains(r"sqlite \| cli is out of date"), "{out}");
}

#[test]
fn html_report_is_one_self_contained_file() {
    let (_temp, repo) = build_repo("report");
    let (code, out, err) = report_in(&repo, &["--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    assert!(out.contains("Content-Security-Policy"));
    assert!(out.contains("<style>"));
    for external in ["<link", "<script", "src=", "url("] {
        assert!(!out.contains(external), "{external} in the HTML report");
    }
    assert!(out.contains("Corrective Action Plan"));
}

#[test]
fn pull_request_summary() {
    let (_temp, repo) = build_repo("report");
    let (code, out, err) = report_in(&repo, &["--base", "main"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("pull_request", out);
}

#[test]
fn pull_request_summary_counts_uncommitted_changes() {
    let (_temp, repo) = build_repo("report");
    let file = repo.join("poams/L2.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("owner: Jane Doe", "owner: Kim Lee")).expect("write");
    let (_, out, _) = report_in(&repo, &["--base", "main"]);
    // L2 is new on the branch: still "added", whatever its owner.
    assert!(out.contains("| L2 | tar is out of date | added |"), "{out}");
    let (_, out, _) = report_in(&repo, &["--base", "HEAD"]);
    assert!(
        out.contains("| L2 | tar is out of date | changed |"),
        "{out}"
    );
    assert!(
        out.contains("| field | owner | Jane Doe | Kim Lee |"),
        "{out}"
    );
}

#[test]
fn nothing_changed_is_one_line() {
    let (_temp, repo) = build_repo("report");
    let (code, out, err) = report_in(&repo, &["--base", "HEAD"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "**POA&M**: no POA&M changes (against `HEAD`).\n");
}

#[test]
fn unknown_base_is_a_clear_error() {
    let (_temp, repo) = build_repo("report");
    let (code, _, err) = report_in(&repo, &["--base", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-branch"), "{err}");
}

#[test]
fn templates_are_overridden_by_name() {
    let (_temp, repo) = build_repo("report");
    let dir = repo.join("my-templates");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(
        dir.join("report.md.j2"),
        "{% include \"part.md.j2\" %}{{ summary.open }} open as of {{ today }}; {{ summary.escalations[0].action }}\n",
    )
    .expect("write");
    std::fs::write(dir.join("part.md.j2"), "Ours: ").expect("write");
    let config = std::fs::read_to_string(repo.join("poam.yaml")).expect("read");
    std::fs::write(
        repo.join("poam.yaml"),
        format!("{config}templates: my-templates\n"),
    )
    .expect("write");
    let (code, out, err) = report_in(&repo, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "Ours: 10 open as of 2026-03-20; Detailed Finding Review\n"
    );
}

#[test]
fn a_misspelt_variable_is_an_error_not_an_empty_string() {
    let (_temp, repo) = build_repo("report");
    let dir = repo.join("t");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("report.md.j2"), "{{ summary.opne }}\n").expect("write");
    let config = std::fs::read_to_string(repo.join("poam.yaml")).expect("read");
    std::fs::write(repo.join("poam.yaml"), format!("{config}templates: t\n")).expect("write");
    let (code, out, err) = report_in(&repo, &[]);
    assert_eq!(code, 2, "{out}");
    assert!(err.contains("report.md.j2"), "{err}");
    assert!(err.contains("undefined"), "{err}");
}

#[test]
fn repo_url_must_be_a_web_address() {
    let (_temp, repo) = build_repo("report");
    let config = std::fs::read_to_string(repo.join("poam.yaml")).expect("read");
    std::fs::write(
        repo.join("poam.yaml"),
        config.replace(
            "https://git.example.com/example/poams",
            "javascript:alert(1)",
        ),
    )
    .expect("write");
    let (code, _, err) = report_in(&repo, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("`repo_url` must start with https://"), "{err}");
}

#[test]
fn a_missing_templates_folder_is_an_error() {
    let (_temp, repo) = build_repo("report");
    let config = std::fs::read_to_string(repo.join("poam.yaml")).expect("read");
    std::fs::write(
        repo.join("poam.yaml"),
        format!("{config}templates: no-such-folder\n"),
    )
    .expect("write");
    let (code, _, err) = report_in(&repo, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-folder"), "{err}");
}

/// `poam report --base` parses only the files its findings depend on; its findings must be
/// those of linting every file and keeping the touched items' (what it did before).
#[test]
fn pull_request_findings_match_a_lint_of_every_file() {
    use poam::lint::{HistoryMode, LintInput};
    use poam::report::summary::FindingsSummary;
    use poam::report::PrSummary;
    use poam::workspace::{Listing, Workspace};

    let (_temp, repo) = build_repo("report_partial");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 20).expect("date");
    let config = poam::config::Config::discover(Some(&repo), None).expect("config");
    let pr = poam::history::open(&config.items_dir)
        .expect("repo")
        .pr_history("main", poam::history::WalkOptions { progress: false })
        .expect("pr history");
    let (ids, paths) = PrSummary::touched(&pr);
    let mut full = poam::lint::lint(
        Workspace::open(config.clone()).expect("workspace"),
        &LintInput {
            today,
            history: HistoryMode::Base("main".into()),
            progress: false,
            sources: true,
        },
    )
    .expect("lint");
    full.diagnostics.retain(|d| {
        d.item
            .as_ref()
            .is_some_and(|id| ids.binary_search(id).is_ok())
            || paths.binary_search(&d.location.file).is_ok()
    });
    let expected = serde_json::to_value(FindingsSummary::new(&full)).expect("json");
    let (_, summary) = poam::report::gather_pr(
        Listing::open(config.clone()).expect("listing"),
        "main",
        today,
        false,
    )
    .expect("gather");
    let found = serde_json::to_value(&summary.findings).expect("json");
    assert_eq!(found, expected);
    // Every kind of finding the fixture is built for is there.
    let findings: Vec<(String, String, String)> = found["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap_or_default().to_owned();
            (text("code"), text("item"), text("file"))
        })
        .collect();
    for (code, item, file) in [
        // an untouched copy of the id, sorting first, that the history finding points at
        ("due-changed", "A1", "poams/0dup.yaml"),
        ("duplicate-id", "A1", "poams/escaped.yaml"),
        ("parse-error", "A1", "poams/broken.yaml"),
        ("milestone-overdue", "R1", "poams/old/R1.yaml"),
        ("item-deleted", "D1", "poams/z/D1.yaml"),
    ] {
        let wanted = (code.to_owned(), item.to_owned(), file.to_owned());
        assert!(
            findings.contains(&wanted),
            "{wanted:?} missing: {findings:?}"
        );
    }
    assert!(
        !findings.iter().any(|(_, _, file)| file == "poams/B1.yaml"),
        "{findings:?}"
    );

    // And only those files were parsed: not B1, whose text names no touched id.
    let workspace = Listing::open(config)
        .expect("listing")
        .read()
        .expect("read")
        .load_touched(&paths.iter().cloned().collect(), &ids);
    let loaded: Vec<&str> = workspace
        .items
        .iter()
        .map(|f| f.source.name.as_str())
        .collect();
    assert!(!loaded.contains(&"poams/B1.yaml"), "{loaded:?}");
    assert!(loaded.contains(&"poams/escaped.yaml"), "{loaded:?}");
    assert!(loaded.contains(&"poams/broken.yaml"), "{loaded:?}");
}

/// An id that could be written in more than one way (here with a space) parses every file.
#[test]
fn unusual_ids_parse_every_file() {
    let (_temp, repo) = build_repo("report_partial");
    let config = poam::config::Config::discover(Some(&repo), None).expect("config");
    let workspace = poam::workspace::Listing::open(config)
        .expect("listing")
        .read()
        .expect("read")
        .load_touched(&Default::default(), &["A 1".to_owned()]);
    let loaded: Vec<&str> = workspace
        .items
        .iter()
        .map(|f| f.source.name.as_str())
        .collect();
    assert!(loaded.contains(&"poams/B1.yaml"), "{loaded:?}");
    assert_eq!(loaded.len(), 10, "{loaded:?}");
}

#[test]
fn the_report_and_the_dashboard_name_item_files_they_could_not_count() {
    let notice = "item file(s) could not be read, so no count or list below holds them";
    for example in ["demo", "cr26", "dod", "cmmc"] {
        for broken in [false, true] {
            let (temp, repo) = crate::common::copy_example(example);
            if broken {
                std::fs::write(repo.join("poams/broken.yaml"), "id: [\n").expect("write");
            }
            let markdown = report_in(&repo, &[]).1;
            let html = report_in(&repo, &["--format", "html"]).1;
            let site = temp.path().join("site");
            let built = poam()
                .current_dir(&repo)
                .args(["site", "-q", "--today", TODAY, "-o"])
                .arg(&site)
                .output()
                .expect("site");
            assert!(built.status.code().is_some_and(|c| c <= 1), "{built:?}");
            let dashboard = std::fs::read_to_string(site.join("index.html")).expect("index");
            for (what, text) in [
                ("markdown", &markdown),
                ("html", &html),
                ("dashboard", &dashboard),
            ] {
                assert_eq!(
                    text.contains(notice) && text.contains("poams/broken.yaml"),
                    broken,
                    "{example} {what} with a broken file: {broken}"
                );
            }
            // The notice sits apart from the header table (a Markdown paragraph, not a row).
            if broken {
                assert!(
                    markdown.contains(&format!(
                        "|\n\n:warning: **1 {notice}:** poams/broken.yaml."
                    )),
                    "{example}: {markdown}"
                );
            }
        }
    }
}
