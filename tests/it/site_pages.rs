//! What the status site's pages say for the two examples (issue 24): the dashboard's tiles,
//! excused lateness with its reason, closed dates, critical shown as critical, natural control
//! order, findings by severity with rule pages, comments with their line breaks, the downloads
//! with their SHA-256, the marking banner and print margins, and `report --format html` with
//! its stylesheet intact.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::Digest;

use crate::common::{copy_example, poam};

/// The examples' date (the README's `--today`).
pub const TODAY: &str = "2026-11-25";

fn git(repo: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .current_dir(repo)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Example")
        .env("GIT_AUTHOR_EMAIL", "poam@example.com")
        .env("GIT_COMMITTER_NAME", "Example")
        .env("GIT_COMMITTER_EMAIL", "poam@example.com")
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00+00:00"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00+00:00"))
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// `examples/<name>` copied into `<temp>/repo` as a git repository whose history adds each
/// item on the day it was detected (the settings and elements first, on the earliest day), so
/// the charts over time have something to show. Fixed names and dates: stable commit ids.
pub fn example_repo(name: &str) -> (tempfile::TempDir, PathBuf) {
    let (temp, repo) = copy_example(name);
    let items = repo.join("poams");
    let mut dated: Vec<(String, String)> = std::fs::read_dir(&items)
        .expect("items")
        .map(|e| {
            let file = e.expect("entry").file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(items.join(&file)).expect("item");
            let date = text
                .lines()
                .find_map(|l| l.trim_start().strip_prefix("detected:"))
                .map(|d| d.trim().chars().take(10).collect::<String>())
                .unwrap_or_else(|| "2026-01-01".into());
            (date, file)
        })
        .collect();
    dated.sort();
    let first = dated
        .first()
        .map_or("2026-01-01".to_owned(), |d| d.0.clone());
    git(&repo, &["init", "-q", "-b", "main"], &first);
    let mut settings = vec!["add", "--"];
    let others: Vec<String> = std::fs::read_dir(&repo)
        .expect("repo")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "poams" && n != ".git")
        .collect();
    settings.extend(others.iter().map(String::as_str));
    git(&repo, &settings, &first);
    git(&repo, &["commit", "-q", "-m", "Settings"], &first);
    for (date, file) in &dated {
        git(&repo, &["add", &format!("poams/{file}")], date);
        git(&repo, &["commit", "-q", "-m", &format!("Add {file}")], date);
    }
    (temp, repo)
}

/// Builds the site of `repo` into `<repo>/../<dir>` as of [`TODAY`].
pub fn site_of(repo: &Path, dir: &str) -> PathBuf {
    let out = repo.parent().expect("temp").join(dir);
    let output = poam()
        .current_dir(repo)
        .args(["site", "--today", TODAY, "-o"])
        .arg(&out)
        .output()
        .expect("run poam");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `<tr>` of `items.html` (or any page) whose first cell links to `id`.
fn row<'h>(html: &'h str, id: &str) -> &'h str {
    let link = format!(">{id}</a></td>");
    let at = html
        .find(&link)
        .unwrap_or_else(|| panic!("no row for {id}"));
    let start = html[..at].rfind("<tr").expect("row start");
    let end = at + html[at..].find("</tr>").expect("row end");
    &html[start..end]
}

#[test]
fn the_items_list_says_why_lateness_is_excused_and_when_items_closed() {
    let (_temp, repo) = example_repo("demo");
    let out = site_of(&repo, "site");
    let items = read(&out.join("items.html"));
    let excused = row(&items, "V-1005");
    assert!(
        excused.contains("199 days past due, excused"),
        "excused lateness is named: {excused}"
    );
    assert!(
        excused.contains("approved operational requirement"),
        "with its reason as text: {excused}"
    );
    assert!(
        !excused.contains("class=\"late"),
        "not shown as late: {excused}"
    );
    let vendor = row(&items, "V-1003");
    assert!(
        vendor.contains("vendor dependency, last check-in 2026-11-12"),
        "{vendor}"
    );
    let late = row(&items, "V-1007");
    assert!(
        late.contains("<span class=\"late nowrap\">60 days late</span>"),
        "{late}"
    );
    let closed = row(&items, "V-1009");
    assert!(
        closed.contains("<td class=\"date\">2025-04-09</td>"),
        "the closed date: {closed}"
    );
    assert!(
        closed.contains("<span class=\"risk risk-critical\">critical</span>"),
        "critical stays critical: {closed}"
    );
    let page = read(&out.join("items/v-1009.html"));
    assert!(
        page.contains("<span class=\"risk risk-critical\">critical</span></span> closed on"),
        "the badge says critical and the state once: {page}"
    );
    assert!(!page.contains("(status <code>closed</code>)"), "{page}");
}

#[test]
fn an_empty_closed_table_says_none() {
    let (_temp, repo) = example_repo("demo");
    for file in ["V-1009.yaml", "V-1010.yaml"] {
        std::fs::remove_file(repo.join("poams").join(file)).expect("remove");
    }
    let out = site_of(&repo, "site");
    let items = read(&out.join("items.html"));
    let closed = &items[items.find("<h2 id=\"closed\">").expect("closed")..];
    assert!(
        closed.starts_with("<h2 id=\"closed\">Closed</h2>\n<p>None.</p>"),
        "{closed}"
    );
}

#[test]
fn the_dashboard_leads_with_tiles_and_one_escalation_block() {
    let (_temp, repo) = example_repo("demo");
    let out = site_of(&repo, "site");
    let index = read(&out.join("index.html"));
    let tiles = &index[index.find("<ul class=\"tiles\"").expect("tiles")..];
    let tiles = &tiles[..tiles.find("</ul>").expect("end")];
    for (count, what, href) in [
        (8, "open items", "items.html#open"),
        (1, "overdue", "#overdue"),
        (1, "due in 30 days", "#soon"),
        (0, "deviation requests pending", "#deviations"),
        (12, "lint errors", "findings.html"),
    ] {
        assert!(
            tiles.contains(&format!(
                "<a href=\"{href}\"><span class=\"count\">{count}</span><span class=\"what\">{what}</span></a>"
            )),
            "{what}: {tiles}"
        );
    }
    assert!(
        index.find("class=\"tiles\"") < index.find("Items by effective risk"),
        "the tiles come first"
    );
    assert_eq!(index.matches("Not hit").count(), 0, "{index}");
    assert_eq!(index.matches("None hit: ").count(), 1, "{index}");
    assert!(index.contains("<h2 id=\"by-owner\">"), "per-owner summary");
    assert!(
        index.contains("<h2 id=\"by-control\">"),
        "per-control summary"
    );

    let (_temp, repo) = example_repo("cr26");
    let out = site_of(&repo, "site");
    let index = read(&out.join("index.html"));
    for what in [
        "evaluation backlog",
        "reductions late or due in",
        "accepted",
        "known exploited (KEV)",
    ] {
        assert!(
            index.contains(&format!("<span class=\"what\">{what}")),
            "{what}"
        );
    }
}

#[test]
fn controls_sort_by_number_and_findings_by_severity_with_rule_pages() {
    let (_temp, repo) = example_repo("demo");
    let out = site_of(&repo, "site");
    let controls = read(&out.join("controls.html"));
    let at = |c: &str| {
        controls
            .find(&format!(">{c}</a></th>"))
            .unwrap_or_else(|| panic!("{c} listed"))
    };
    assert!(at("SC-8") < at("SC-13"), "SC-8 before SC-13");
    assert!(at("AC-2(1)") < at("AC-2(3)") && at("AC-2(3)") < at("AC-2(11)"));

    let findings = read(&out.join("findings.html"));
    let errors = findings.find("<h2 id=\"sev-error\"").expect("errors");
    let warnings = findings.find("<h2 id=\"sev-warning\"").expect("warnings");
    let notes = findings.find("<h2 id=\"sev-note\"").expect("notes");
    assert!(errors < warnings && warnings < notes);
    assert!(
        findings.contains("<a href=\"rules/overdue.html\"><code class=\"rule\">overdue</code></a>"),
        "codes link to their rule page"
    );
    assert!(!findings[errors..warnings].contains("sev-row-warning"));
    assert!(
        !findings.contains("`"),
        "help texts show code, not backticks"
    );
    let rule = read(&out.join("rules/overdue.html"));
    assert!(
        rule.contains("<h1><code class=\"rule\">overdue</code></h1>"),
        "{rule}"
    );
    assert!(
        rule.contains("<h2>"),
        "the rule's documentation, rendered: {rule}"
    );
}

#[test]
fn comments_keep_their_line_breaks() {
    let (_temp, repo) = example_repo("demo");
    let item = repo.join("poams/V-1001.yaml");
    let text = read(&item);
    let text = text
        .lines()
        .filter(|l| !l.starts_with("comments:"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(
        &item,
        format!(
            "{text}\ncomments: |-\n  2026-09-05 vendor check-in: no fix yet\n  2026-10-05 vendor check-in: fix in November\n"
        ),
    )
    .expect("write");
    let out = site_of(&repo, "site");
    let page = read(&out.join("items/v-1001.html"));
    assert!(
        page.contains("2026-09-05 vendor check-in: no fix yet<br />\n2026-10-05 vendor check-in"),
        "{page}"
    );
}

/// (path, SHA-256) of each row of the downloads page that offers a file.
fn offered(html: &str) -> Vec<(String, String)> {
    html.split("<tr><td class=\"nowrap\"><a href=\"")
        .skip(1)
        .map(|rest| {
            let path = rest[..rest.find('"').expect("href end")].to_owned();
            let sha = rest.split("<td class=\"sha\">").nth(1).expect("sha");
            (path, sha[..sha.find('<').expect("sha end")].to_owned())
        })
        .collect()
}

/// The standard output of `poam ARGS --today TODAY` in `repo`.
fn stdout_of(repo: &Path, args: &[&str]) -> Vec<u8> {
    let output = poam()
        .current_dir(repo)
        .args(args)
        .args(["--today", TODAY])
        .output()
        .expect("run poam");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn the_downloads_page_lists_each_export_the_profile_names_with_its_sha256() {
    for (example, expected) in [
        (
            "demo",
            &[
                "items.json",
                "poam.csv",
                "downloads/poam.xlsx",
                "downloads/poam-oscal.json",
            ][..],
        ),
        (
            "cr26",
            &[
                "items.json",
                "poam.csv",
                "downloads/poam.xlsx",
                "downloads/poam-oscal.json",
                "downloads/vulnerability-detail-report.json",
                "downloads/accepted-vulnerability-info.json",
                "downloads/historical-ver-activity.json",
            ][..],
        ),
        (
            "dod",
            &[
                "items.json",
                "poam.csv",
                "downloads/poam-emass.xlsx",
                "downloads/poam-oscal.json",
            ][..],
        ),
        (
            "cmmc",
            &[
                "items.json",
                "poam.csv",
                "downloads/poam-oscal.json",
                "downloads/poam-export.csv",
                "downloads/cmmc-score.json",
            ][..],
        ),
    ] {
        let (_temp, repo) = example_repo(example);
        let out = site_of(&repo, "site");
        let rows = offered(&read(&out.join("downloads.html")));
        let paths: Vec<&str> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, expected, "{example}");
        for (path, sha) in &rows {
            let bytes = std::fs::read(out.join(path)).expect("offered file exists");
            let digest: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(&digest, sha, "{example}: {path}");
        }
        let oscal: serde_json::Value = serde_json::from_slice(
            &std::fs::read(out.join("downloads/poam-oscal.json")).expect("read"),
        )
        .expect("OSCAL JSON");
        assert!(oscal["plan-of-action-and-milestones"]["poam-items"].is_array());
        // Each download is the export run on its own, byte for byte.
        let same = |file: &str, args: &[&str]| {
            assert!(
                stdout_of(&repo, args) == std::fs::read(out.join(file)).expect("read"),
                "{example}: {file} is not `poam {}`",
                args.join(" ")
            );
        };
        same("downloads/poam-oscal.json", &["export", "oscal"]);
        if paths.contains(&"downloads/poam.xlsx") {
            let mut workbook: calamine::Xlsx<_> =
                calamine::open_workbook(out.join("downloads/poam.xlsx")).expect("xlsx opens");
            use calamine::Reader;
            let sheets = workbook.sheet_names();
            assert!(sheets.iter().any(|s| s.contains("Open")), "{sheets:?}");
            let open = workbook.worksheet_range(&sheets[0]).expect("first sheet");
            assert!(
                open.rows().count() > 5,
                "{example}: the items are in the workbook"
            );
        }
        match example {
            // examples/dod names `component: Navy`: the Navy template.
            "dod" => same(
                "downloads/poam-emass.xlsx",
                &["export", "emass", "--template", "navy"],
            ),
            "cmmc" => {
                same("downloads/poam-export.csv", &["export", "csv"]);
                same(
                    "downloads/cmmc-score.json",
                    &["cmmc", "score", "--format", "json"],
                );
            }
            _ => {}
        }
        // The same build again: the same files.
        let again = site_of(&repo, "site-again");
        for path in &paths {
            assert!(
                std::fs::read(out.join(path)).expect("read")
                    == std::fs::read(again.join(path)).expect("read"),
                "{example}: {path} differs between two builds"
            );
        }
    }
}

#[test]
fn the_marking_banner_is_on_every_page_and_in_the_print_margins() {
    let (_temp, repo) = example_repo("demo");
    let config = repo.join("poam.yaml");
    let original = read(&config);
    std::fs::write(&config, format!("marking: \"CUI//SP-PRVCY\"\n{original}")).expect("write");
    let out = site_of(&repo, "site");
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "html") {
            let html = read(entry.path());
            assert!(
                html.contains("<p class=\"marking top\">CUI//SP-PRVCY</p>")
                    && html.contains("<p class=\"marking bottom\">CUI//SP-PRVCY</p>"),
                "{}",
                entry.path().display()
            );
            pages += 1;
        }
    }
    assert!(pages > 20, "{pages}");
    let css = read(&out.join("style.css"));
    assert!(
        css.contains("@top-center { content: \"CUI//SP-PRVCY\";")
            && css.contains("@bottom-center { content: \"CUI//SP-PRVCY\";"),
        "{css}"
    );
    assert!(
        css.contains(
            "@bottom-left { content: \"Example Cloud Co. · Example SaaS · as of 2026-11-25\";"
        ),
        "{css}"
    );
    assert!(css.contains("counter(page) \" of \" counter(pages)"));
    let report = poam()
        .current_dir(&repo)
        .args(["report", "--format", "html", "--today", TODAY])
        .output()
        .expect("report");
    let html = String::from_utf8(report.stdout).expect("utf-8");
    assert!(
        html.contains("@top-center { content: \"CUI//SP-PRVCY\";"),
        "{html}"
    );

    std::fs::write(&config, format!("marking: \"two\\nlines\"\n{original}")).expect("write");
    let bad = poam()
        .current_dir(&repo)
        .args(["site", "--today", TODAY, "-o", "../other"])
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("`marking` must be one line"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn the_html_report_keeps_its_font_rule() {
    let (_temp, repo) = example_repo("demo");
    let report = poam()
        .current_dir(&repo)
        .args(["report", "--format", "html", "--today", TODAY])
        .output()
        .expect("report");
    let html = String::from_utf8(report.stdout).expect("utf-8");
    assert!(
        html.contains("font: 16px/1.5 system-ui, -apple-system, \"Segoe UI\""),
        "the stylesheet is inlined as written"
    );
    assert!(!html.contains("&quot;Segoe UI&quot;"), "not HTML-escaped");
}

#[test]
fn ids_dates_and_codes_never_break_inside() {
    let (_temp, repo) = example_repo("demo");
    let out = site_of(&repo, "site");
    let css = read(&out.join("style.css"));
    assert!(
        css.contains(".id, .date, .code, .nowrap, td.num, .risk, .control, code.rule { white-space: nowrap; }"),
        "{css}"
    );
    let items = read(&out.join("items.html"));
    for id in ["V-1001", "V-1007", "V-1009"] {
        let row = row(&items, id);
        assert!(
            row.starts_with("<tr") && row.contains("<td class=\"id\"><a"),
            "{row}"
        );
        assert!(row.contains("<td class=\"date\">20"), "{row}");
        assert!(row.contains("<span class=\"control\">"), "{row}");
    }
    let findings = read(&out.join("findings.html"));
    assert!(findings.contains("<code class=\"rule\">overdue</code>"));
    let index = read(&out.join("index.html"));
    assert!(
        index.contains("<tr><th scope=\"row\" class=\"nowrap\">2026-11-25</th>"),
        "chart data dates"
    );
}
