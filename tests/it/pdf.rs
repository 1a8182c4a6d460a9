//! Native PDF (`report --format pdf`, `show --format pdf`, `site --pdf`): the text of the
//! documents as poppler's `pdftotext` reads it (every item id, the totals the Markdown report
//! gives), the tagging (`pdfinfo` says `Tagged: yes`; the catalog has a structure tree and
//! `MarkInfo`), PDF/UA-1 identification, determinism, template overrides and hostile item
//! text. Without `pdftotext` these tests say they were skipped and pass; `.ci/run` installs
//! poppler-utils and sets `POAM_REQUIRE_PDFTOTEXT`, which turns a skip into a failure.
//!
//! The demo's report and one item are written to `POAM_PDF_OUT` when it is set (else a temp
//! folder), for a person to look at.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{copy_example, poam};

const TODAY: &str = "2026-11-25";

fn tool(name: &str) -> Option<PathBuf> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()?;
    let path = String::from_utf8(found.stdout).ok()?.trim().to_owned();
    (found.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
}

/// `pdftotext` and `pdfinfo`, or `None` after saying the test is skipped.
fn poppler(test: &str) -> Option<(PathBuf, PathBuf)> {
    if let (Some(text), Some(info)) = (tool("pdftotext"), tool("pdfinfo")) {
        return Some((text, info));
    }
    assert!(
        std::env::var_os("POAM_REQUIRE_PDFTOTEXT").is_none(),
        "{test}: POAM_REQUIRE_PDFTOTEXT is set but pdftotext (poppler-utils) is not installed"
    );
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: pdftotext is not installed (apt-get install poppler-utils; .ci/run does)"
    );
    None
}

fn run(tool: &Path, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool.ends_with("pdftotext") {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .expect("poppler runs");
    assert!(
        output.status.success(),
        "{}: {}",
        tool.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// The text of `pdf`, one line per line, runs of spaces made one.
fn text_of(pdftotext: &Path, pdf: &Path) -> String {
    run(pdftotext, &["-layout"], pdf)
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn poam_in(repo: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let output = poam()
        .current_dir(repo)
        .args(args)
        .args(["--today", TODAY])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

/// Runs `poam COMMAND --format pdf -o PDF` in `repo` (`poam site --pdf PDF` for the site),
/// checks it exits 0 and returns what it printed.
fn write_pdf(repo: &Path, command: &[&str], pdf: &Path) -> String {
    let path = pdf.to_str().expect("path");
    let mut args = command.to_vec();
    if command == ["site"] {
        args.extend(["--pdf", path]);
    } else {
        args.extend(["--format", "pdf", "-o", path]);
    }
    let (code, out, err) = poam_in(repo, &args);
    assert_eq!(code, 0, "{args:?}: {err}");
    String::from_utf8(out).expect("utf-8")
}

/// The Markdown report of `repo`.
fn markdown_report(repo: &Path) -> String {
    let (code, out, err) = poam_in(repo, &["report"]);
    assert_eq!(code, 0, "{err}");
    String::from_utf8(out).expect("utf-8")
}

/// Appends `text` to the `poam.yaml` of `repo`; returns the file as it was.
fn add_to_config(repo: &Path, text: &str) -> String {
    let config = repo.join("poam.yaml");
    let before = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("{before}{text}")).expect("write");
    before
}

/// The ids of the item files of `repo/poams` (each file's `id:` line).
fn item_ids(repo: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo.join("poams"))
        .expect("items")
        .filter_map(|entry| {
            let text = std::fs::read_to_string(entry.ok()?.path()).ok()?;
            text.lines()
                .find_map(|line| line.strip_prefix("id: "))
                .map(|id| id.trim().trim_matches('"').to_owned())
        })
        .collect();
    ids.sort();
    ids
}

/// The output folder for the PDFs a person may want to look at.
fn keep_dir(temp: &Path) -> PathBuf {
    let dir = std::env::var_os("POAM_PDF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| temp.join("pdf-out"));
    std::fs::create_dir_all(&dir).expect("pdf output folder");
    dir
}

/// Tagged PDF/UA-1: poppler says `Tagged: yes`, the catalog names a structure tree and
/// marks the content (`/MarkInfo << /Marked true >>`), the metadata claims PDF/UA part 1,
/// and the document has a title and a language.
fn assert_accessible(pdfinfo: &Path, pdf: &Path) {
    let info = run(pdfinfo, &[], pdf);
    assert!(
        info.lines()
            .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
        "{info}"
    );
    assert!(info.lines().any(|l| l.starts_with("Title:")), "{info}");
    let bytes = std::fs::read(pdf).expect("pdf");
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    assert!(has(b"/StructTreeRoot"), "no structure tree");
    assert!(has(b"/MarkInfo"), "no MarkInfo");
    assert!(has(b"pdfuaid:part"), "no PDF/UA identification");
    assert!(has(b"/Lang"), "no document language");
    assert_fonts_embedded(pdf);
}

/// Every font of `pdf` is embedded (poppler's `pdffonts` says `yes` in its `emb` column).
fn assert_fonts_embedded(pdf: &Path) {
    let Some(pdffonts) = tool("pdffonts") else {
        assert!(
            std::env::var_os("POAM_REQUIRE_PDFTOTEXT").is_none(),
            "pdffonts (poppler-utils) is not installed"
        );
        return;
    };
    let fonts = run(&pdffonts, &[], pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts:\n{fonts}");
    for row in rows {
        // name, type (one or two words), encoding, then emb sub uni and the object id.
        let cells: Vec<&str> = row.split_whitespace().collect();
        let emb = cells[cells.len() - 5];
        assert_eq!(emb, "yes", "font not embedded: {row}\n{fonts}");
    }
}

/// The pages of `pdf`: pdftotext ends each page with a form feed.
fn pages_of(pdftotext: &Path, pdf: &Path) -> Vec<String> {
    let text = run(pdftotext, &["-layout"], pdf);
    let mut pages: Vec<String> = text
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// What only the Rev5 deadline model says, never said under another profile.
const REV5_WORDS: &[&str] = &[
    "escalation trigger",
    "detailed finding review",
    "corrective action plan",
    "policy deadline",
    "effective risk",
    "counted as high",
    "deviation request",
    "vendor dependencies",
];

fn rev5_words(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    REV5_WORDS
        .iter()
        .copied()
        .filter(|w| lower.contains(w))
        .collect()
}

/// The totals of the Markdown report: the open and closed counts of its total row.
fn markdown_totals(repo: &Path) -> (String, String) {
    let out = markdown_report(repo);
    let row = out
        .lines()
        .find(|l| l.starts_with("| **total** |"))
        .expect("total row");
    let cells: Vec<&str> = row.split('|').map(|c| c.trim().trim_matches('*')).collect();
    (cells[2].to_owned(), cells[3].to_owned())
}

/// Writes the PDF of `poam COMMAND` (see [`write_pdf`]) to `<kept dir>/FILE` in a copy of the
/// example `name`, checks it is tagged and accessible, and returns its text and the repository
/// (with the temporary folder that holds it); `None` without poppler (`test` names the skipped
/// test).
fn accessible_pdf(
    test: &str,
    name: &str,
    command: &[&str],
    file: &str,
) -> Option<(String, tempfile::TempDir, PathBuf)> {
    let (pdftotext, pdfinfo) = poppler(test)?;
    let (temp, repo) = copy_example(name);
    let pdf = keep_dir(temp.path()).join(file);
    write_pdf(&repo, command, &pdf);
    assert_accessible(&pdfinfo, &pdf);
    Some((text_of(&pdftotext, &pdf), temp, repo))
}

#[test]
fn the_demo_report_pdf_names_every_item_and_the_totals_and_is_tagged() {
    let Some((text, _temp, repo)) =
        accessible_pdf("demo_report_pdf", "demo", &["report"], "demo-report.pdf")
    else {
        return;
    };
    assert!(text.contains("POA&M summary: Example SaaS"), "{text}");
    let ids = item_ids(&repo);
    assert_eq!(ids.len(), 10);
    for id in &ids {
        assert!(text.contains(id.as_str()), "{id} missing from:\n{text}");
    }
    let (open, closed) = markdown_totals(&repo);
    assert!(
        text.contains(&format!("Open items: {open}. Closed items: {closed}.")),
        "totals {open}/{closed} missing from:\n{text}"
    );
    assert!(text.contains(&format!("Total {open} {closed}")), "{text}");
    assert!(text.contains("Lint findings"), "{text}");
    assert!(text.contains("Page 1 of"), "{text}");
}

#[test]
fn one_item_as_pdf_for_a_deviation_request_packet() {
    let Some((text, _temp, _repo)) =
        accessible_pdf("item_pdf", "demo", &["show", "V-1005"], "demo-V-1005.pdf")
    else {
        return;
    };
    for expected in [
        "V-1005: SMB Signing not required",
        "Operational requirement approved",
        "The agency's transfer client does not support SMB signing.",
        "Deviation Request DR-2026-003-smb-signing.xlsx",
        "AO Approval DR-2026-003-approval.pdf",
        "Limit 445/TCP to the agency transfer subnet",
        "xfer-01.example.internal (445/TCP)",
        "Example SaaS",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }
}

#[test]
fn pdf_output_is_byte_identical_for_the_same_input_and_date() {
    if poppler("pdf_determinism").is_none() {
        return;
    }
    let (_temp, repo) = copy_example("demo");
    let render = || {
        let (code, out, err) = poam_in(&repo, &["report", "--format", "pdf"]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let first = render();
    assert!(first.starts_with(b"%PDF-"));
    assert!(first == render(), "two runs differ");
    let item = || poam_in(&repo, &["show", "V-1001", "--format", "pdf"]).1;
    assert!(item() == item(), "two item runs differ");
    let site = |name: &str| {
        let pdf = repo.join(format!("../{name}.pdf"));
        write_pdf(&repo, &["site"], &pdf);
        std::fs::read(pdf).expect("site pdf")
    };
    assert!(site("one") == site("two"), "two site PDF runs differ");
    // No creation time from the clock: the date is --today's.
    let has = |needle: &[u8]| first.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"20261125"), "the document date is not --today");
}

#[test]
fn the_cr26_report_pdf_says_what_the_cr26_report_says() {
    let Some((text, _temp, repo)) =
        accessible_pdf("cr26_report_pdf", "cr26", &["report"], "cr26-report.pdf")
    else {
        return;
    };
    let md = markdown_report(&repo);
    // Every count of the Markdown report's summary tables is in the PDF beside its label.
    for label in [
        "Open vulnerabilities",
        "Accepted",
        "Not evaluated",
        "Overdue or likely overdue",
        "Closed in the period",
        "Vulnerability detail report (VER-RPT-VDT)",
        "Accepted vulnerability information (VER-RPT-AVI)",
    ] {
        let count = md
            .lines()
            .find_map(|l| l.strip_prefix(&format!("| {label} | ")))
            .and_then(|rest| rest.strip_suffix(" |"))
            .unwrap_or_else(|| panic!("{label} not in the Markdown report:\n{md}"));
        assert!(
            text.contains(&format!("{label} {count}")),
            "{label} {count} missing from:\n{text}"
        );
    }
    let heading = md
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("## "))
        .expect("title");
    assert!(text.contains(heading), "{heading} missing from:\n{text}");
    for section in [
        "Evaluation backlog",
        "Open vulnerabilities by current N-rating",
        "Known exploited vulnerabilities",
    ] {
        assert!(text.contains(section), "{section} missing");
    }
    for id in item_ids(&repo) {
        assert!(text.contains(id.as_str()), "{id} missing from:\n{text}");
    }
}

#[test]
fn the_site_pdf_has_contents_and_every_item_page() {
    let Some((pdftotext, pdfinfo)) = poppler("site_pdf") else {
        return;
    };
    let (temp, repo) = copy_example("demo");
    let pdf = temp.path().join("site.pdf");
    let out = write_pdf(&repo, &["site"], &pdf);
    assert!(out.contains("site.pdf"), "{out}");
    assert_accessible(&pdfinfo, &pdf);
    let text = text_of(&pdftotext, &pdf);
    assert!(text.contains("Status of Example SaaS"), "{text}");
    assert!(text.contains("Contents"), "{text}");
    for section in [
        "Dashboard",
        "Items (10)",
        "Controls",
        "People",
        "Assets",
        "Lint findings",
    ] {
        assert!(text.contains(section), "{section} missing from:\n{text}");
    }
    for id in item_ids(&repo) {
        // In the items list and as the heading of its own section (listed in the contents).
        assert!(
            text.matches(&format!("{id}:")).count() >= 2,
            "{id} has no section:\n{text}"
        );
    }
    // `-o DIR` and `--pdf` together build both.
    let out_dir = temp.path().join("site");
    let (code, _, err) = poam_in(
        &repo,
        &[
            "site",
            "-o",
            out_dir.to_str().expect("path"),
            "--pdf",
            pdf.to_str().expect("path"),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out_dir.join("index.html").is_file());
}

#[test]
fn item_text_is_printed_never_run_as_typst() {
    let Some((pdftotext, _)) = poppler("hostile_pdf") else {
        return;
    };
    let (_temp, repo) = copy_example("demo");
    let item = repo.join("poams/V-1001.yaml");
    let text = std::fs::read_to_string(&item).expect("read");
    let title = text
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("title")
        .to_owned();
    std::fs::write(
        &item,
        text.replace(
            &title,
            r#"title: '#panic("boom") ] #{1+1} $x^2$ <lbl> @ref *bold* `raw`'"#,
        ),
    )
    .expect("write");
    let pdf = repo.join("../hostile.pdf");
    write_pdf(&repo, &["show", "V-1001"], &pdf);
    let text = text_of(&pdftotext, &pdf);
    assert!(
        text.contains(r#"#panic("boom") ] #{1+1} $x^2$ <lbl> @ref *bold* `raw`"#),
        "{text}"
    );
}

#[test]
fn a_repository_overrides_a_pdf_template_and_template_errors_are_located() {
    let Some((pdftotext, _)) = poppler("pdf_override") else {
        return;
    };
    let (_temp, repo) = copy_example("demo");
    add_to_config(&repo, "templates: tpl\n");
    std::fs::create_dir_all(repo.join("tpl/pdf")).expect("mkdir");
    std::fs::write(
        repo.join("tpl/pdf/item.typ"),
        "#import \"/pdf/lib.typ\": *\n#show: setup.with(title: \"Closure packet\", meta: data.meta)\n= Closure packet for #data.item.id\n#item-section(data.item, level: 2)\n",
    )
    .expect("write");
    let pdf = repo.join("../override.pdf");
    write_pdf(&repo, &["show", "V-1001"], &pdf);
    let text = text_of(&pdftotext, &pdf);
    assert!(text.contains("Closure packet for V-1001"), "{text}");
    // A mistake in a template is named with its file and line.
    std::fs::write(
        repo.join("tpl/pdf/item.typ"),
        "#import \"/pdf/lib.typ\": *\n\n#show: setup.with(title: \"x\", meta: data.meta)\n#data.item.no_such_key\n",
    )
    .expect("write");
    let (code, out, err) = poam_in(&repo, &["show", "V-1001", "--format", "pdf"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("template `pdf/item.typ`, line 4: "), "{err}");
    assert!(err.contains("no_such_key"), "{err}");
}

#[test]
fn every_page_of_every_pdf_carries_the_marking_banner_system_date_and_page_number() {
    let Some((pdftotext, _)) = poppler("pdf_marking") else {
        return;
    };
    let (temp, repo) = copy_example("demo");
    let config = add_to_config(&repo, "marking: CUI//SP-PRVCY\n");
    let out = temp.path();
    let report = out.join("report.pdf");
    let item = out.join("item.pdf");
    let site = out.join("site.pdf");
    write_pdf(&repo, &["report"], &report);
    write_pdf(&repo, &["show", "V-1005"], &item);
    write_pdf(&repo, &["site"], &site);
    for pdf in [&report, &item, &site] {
        let pages = pages_of(&pdftotext, pdf);
        assert!(!pages.is_empty());
        let total = pages.len();
        for (n, page) in pages.iter().enumerate() {
            let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
            let name = format!("{} page {}", pdf.display(), n + 1);
            assert_eq!(lines.first(), Some(&"CUI//SP-PRVCY"), "{name}:\n{page}");
            assert_eq!(lines.last(), Some(&"CUI//SP-PRVCY"), "{name}:\n{page}");
            assert!(
                lines[1].starts_with("Example SaaS") && lines[1].ends_with("As of 2026-11-25"),
                "{name}: {}",
                lines[1]
            );
            assert!(
                lines[lines.len() - 2].ends_with(&format!("Page {} of {total}", n + 1)),
                "{name}: {}",
                lines[lines.len() - 2]
            );
        }
    }
    assert!(pages_of(&pdftotext, &site).len() > 5);
    // Without `marking:` no banner.
    std::fs::write(repo.join("poam.yaml"), config).expect("write");
    write_pdf(&repo, &["report"], &report);
    assert!(!text_of(&pdftotext, &report).contains("CUI"));
}

/// The rows of the Markdown table under `heading` of `md`, as trimmed cells.
fn md_rows(md: &str, heading: &str) -> Vec<Vec<String>> {
    md.lines()
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('*').to_owned())
                .collect()
        })
        .collect()
}

/// `report`, `show` (every item) and `site --pdf` of an example: each exits 0, is tagged and
/// speaks no Rev5 deadline words. Returns the report's text.
fn profile_pdfs(name: &str) -> Option<(String, tempfile::TempDir, PathBuf)> {
    let (pdftotext, pdfinfo) = poppler(&format!("{name}_pdfs"))?;
    let (temp, repo) = copy_example(name);
    let dir = keep_dir(temp.path());
    let report = dir.join(format!("{name}-report.pdf"));
    let site = dir.join(format!("{name}-site.pdf"));
    let mut found = Vec::new();
    let ids = item_ids(&repo);
    for (command, pdf) in [
        (vec!["report"], report.clone()),
        (vec!["site"], site.clone()),
    ]
    .into_iter()
    .chain(ids.iter().map(|id| {
        let pdf = dir.join(format!("{name}-{id}.pdf"));
        (vec!["show", id.as_str()], pdf)
    })) {
        write_pdf(&repo, &command, &pdf);
        assert_accessible(&pdfinfo, &pdf);
        for word in rev5_words(&text_of(&pdftotext, &pdf)) {
            found.push(format!("{}: {word}", pdf.display()));
        }
    }
    assert!(
        found.is_empty(),
        "Rev5 words under {name}:\n{}",
        found.join("\n")
    );
    let text = text_of(&pdftotext, &report);
    for id in ids {
        assert!(
            text_of(&pdftotext, &site).contains(&format!("{id}:")),
            "{id} has no section in the {name} site PDF"
        );
    }
    Some((text, temp, repo))
}

#[test]
fn the_dod_pdfs_show_the_dod_summary_and_no_rev5_words() {
    let Some((text, _temp, repo)) = profile_pdfs("dod") else {
        return;
    };
    let md = markdown_report(&repo);
    // The counts by category are the Markdown report's, row by row.
    let cats = md_rows(&md, "### Items by category");
    assert!(cats.len() >= 4, "{md}");
    for row in cats.iter().filter(|r| r[0].starts_with("CAT")) {
        let line = format!("{} {} {} {}", row[0], row[1], row[2], row[3]);
        assert!(text.contains(&line), "{line} missing from:\n{text}");
    }
    for heading in ["Items by category", "IAVAs (1)", "Risk accepted (1)"] {
        assert!(text.contains(heading), "{heading} missing from:\n{text}");
    }
    // The IAVA and its comply-by date; the risk acceptance and its expiry.
    for row in md_rows(&md, "### IAVAs")
        .iter()
        .chain(&md_rows(&md, "### Risk accepted"))
    {
        let line = format!("{} {}", row[0], row[1]);
        assert!(
            text.contains(&row[0]) && text.contains(&row[2]),
            "{line}:\n{text}"
        );
    }
    assert!(text.contains("2027-06-30"), "{text}");
    let overdue = md
        .lines()
        .find_map(|l| l.strip_prefix("### Overdue by category "))
        .expect("overdue heading");
    assert!(
        text.contains(&format!("Past scheduled completion {overdue}")),
        "{overdue}: {text}"
    );
}

#[test]
fn the_cmmc_pdfs_show_the_score_points_closeout_and_families() {
    let Some((text, _temp, repo)) = profile_pdfs("cmmc") else {
        return;
    };
    let md = markdown_report(&repo);
    let score = md_rows(&md, "### SPRS score")[0][0].replace("**", "");
    assert!(text.contains(&score), "{score} missing from:\n{text}");
    let at_stake = md
        .lines()
        .find_map(|l| l.strip_prefix("### Points at stake "))
        .expect("points at stake");
    assert!(
        text.contains(&format!("Points at stake {at_stake}")),
        "{at_stake} missing from:\n{text}"
    );
    let closeout = md
        .lines()
        .find(|l| l.starts_with("Conditional CMMC Status Date"))
        .expect("closeout")
        .replace("**", "");
    let closeout: String = closeout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(&closeout),
        "{closeout} missing from:\n{text}"
    );
    for row in md_rows(&md, "### Requirements by family") {
        let line = row.join(" ");
        assert!(text.contains(&line), "{line} missing from:\n{text}");
    }
    for row in md_rows(&md, "### Points at stake") {
        assert!(
            text.contains(&format!("{} ", row[0])) && text.contains(&row[2]),
            "{row:?} missing from:\n{text}"
        );
    }
}

#[test]
fn the_cr26_show_and_site_pdfs_speak_cr26_only() {
    let Some((text, _temp, _repo)) = profile_pdfs("cr26") else {
        return;
    };
    assert!(text.contains("Evaluation backlog"), "{text}");
}
