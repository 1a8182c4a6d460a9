//! The `dod-rmf` profile's eMASS exchange and its deadlines: `poam export emass` writes each
//! of the four templates with the documented header rows (read back with calamine), `poam
//! import emass` reads workbooks built here from the documented layout (never the branch
//! files), every bad cell is located, export → import → export gives the same cells, and the
//! CAT deadlines come from `deadlines:` capped by an IAVA's comply-by date.
//!
//! The layout is read from `tests/fixtures/emass/emass-poam-columns.md` (a copy of the team's
//! reference notes, which read it from the templates), not from poam's own tables, so a
//! drift in `src/emass_template.rs` fails here.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use serde_json::Value;

use crate::common::{copy_dir, fixtures, poam, TODAY};

const TEMPLATES: [&str; 4] = ["navy", "army", "marine-corps", "rmf"];

/// The section of the notes that describes `template`.
fn section(template: &str) -> String {
    let notes = std::fs::read_to_string(fixtures().join("emass/emass-poam-columns.md"))
        .expect("layout notes");
    let heading = match template {
        "navy" => "### Navy",
        "army" => "### Army",
        "marine-corps" => "### Marine Corps",
        _ => "## mitre/saf generic RMF template",
    };
    let start = notes.find(heading).expect("section");
    let rest = &notes[start + heading.len()..];
    let end = [rest.find("\n### "), rest.find("\n## ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    rest[..end].to_owned()
}

/// `'text'` as the notes write it (Python's repr, `\n` for a line break).
fn unrepr(cell: &str) -> String {
    cell.trim()
        .trim_matches('`')
        .trim_matches('\'')
        .replace("\\n", "\n")
}

/// Column letters to a zero-based index.
fn column(letters: &str) -> u32 {
    letters
        .bytes()
        .fold(0, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1
}

/// `A2:C2` or `L4` to the zero-based (row, column) of its first cell.
fn first_cell(range: &str) -> (u32, u32) {
    let first = range.split(':').next().expect("cell");
    let split = first.find(|c: char| c.is_ascii_digit()).expect("row");
    let row: u32 = first[split..].parse().expect("row number");
    (row - 1, column(&first[..split]))
}

/// The documented row-7 headers of `template`: (column, header).
fn documented_headers(template: &str) -> Vec<(u32, String)> {
    let mut headers = Vec::new();
    for line in section(template).lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [_, cell, header, _] = cells.as_slice() {
            if let Some(letters) = cell.strip_suffix('7') {
                if !letters.is_empty() && letters.bytes().all(|b| b.is_ascii_uppercase()) {
                    headers.push((column(letters), unrepr(header)));
                }
            }
        }
    }
    headers
}

/// The documented header block: (first cell of the label, label).
fn documented_block(template: &str) -> Vec<((u32, u32), String)> {
    let mut block = Vec::new();
    for line in section(template).lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if let [_, at, label, _value, _] = cells.as_slice() {
            if at.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && label.starts_with("`'")
            {
                block.push((first_cell(at), unrepr(label)));
            }
        }
    }
    block
}

/// The cells of the `POA&M` sheet by absolute (row, column).
fn cells(path: &Path) -> Vec<((u32, u32), Data)> {
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).expect("open workbook");
    assert_eq!(workbook.sheet_names(), vec!["POA&M".to_owned()]);
    let range = workbook.worksheet_range("POA&M").expect("sheet");
    let (row0, col0) = range.start().expect("used range");
    let mut out = Vec::new();
    for (r, row) in range.rows().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !matches!(value, Data::Empty) {
                let r = u32::try_from(r).expect("row");
                let c = u32::try_from(c).expect("column");
                out.push(((row0 + r, col0 + c), value.clone()));
            }
        }
    }
    out
}

fn text_at(cells: &[((u32, u32), Data)], at: (u32, u32)) -> Option<String> {
    cells.iter().find(|(p, _)| *p == at).map(|(_, d)| match d {
        Data::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// `examples/dod` copied outside any git repository.
fn example() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dod"),
        temp.path(),
    );
    temp
}

/// A repository with the example's settings and people and no items.
fn empty_repo() -> tempfile::TempDir {
    let temp = example();
    std::fs::remove_dir_all(temp.path().join("poams")).expect("clear");
    std::fs::create_dir(temp.path().join("poams")).expect("items folder");
    temp
}

fn export(dir: &Path, template: &str, out: &Path) {
    let output = poam()
        .current_dir(dir)
        .args([
            "export",
            "emass",
            "--template",
            template,
            "--today",
            TODAY,
            "-o",
        ])
        .arg(out)
        .output()
        .expect("run poam");
    assert!(output.status.success(), "{output:?}");
}

/// `poam import emass FILE` in `dir`: (exit code, stderr).
fn import(dir: &Path, file: &Path) -> (i32, String) {
    let output = poam()
        .current_dir(dir)
        .args(["import", "emass"])
        .arg(file)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

#[test]
fn the_layout_notes_name_every_column() {
    // Navy B-AG, Army B-AO, Marine Corps B-AF, RMF A-V.
    let counts: Vec<usize> = TEMPLATES
        .iter()
        .map(|t| documented_headers(t).len())
        .collect();
    assert_eq!(counts, vec![32, 40, 31, 22]);
    for template in TEMPLATES {
        assert_eq!(documented_block(template).len(), 12, "{template}");
    }
}

#[test]
fn every_template_has_the_documented_banner_block_and_headers() {
    let repo = example();
    for template in TEMPLATES {
        let file = repo.path().join(format!("{template}.xlsx"));
        export(repo.path(), template, &file);
        let cells = cells(&file);
        for ((row, col), label) in documented_block(template) {
            assert_eq!(
                text_at(&cells, (row, col)).as_deref(),
                Some(label.as_str()),
                "{template}: label at row {} column {col}",
                row + 1
            );
        }
        let headers = documented_headers(template);
        for (col, header) in &headers {
            assert_eq!(
                text_at(&cells, (6, *col)).as_deref(),
                Some(header.as_str()),
                "{template}: header of column {col}"
            );
        }
        // Nothing right of the documented columns, and column A empty below the headers.
        let last = headers.iter().map(|(c, _)| *c).max().expect("columns");
        for ((row, col), value) in &cells {
            assert!(
                *col <= last,
                "{template}: cell beyond the template at {row},{col}"
            );
            assert!(
                *col != 0 || *row <= 6,
                "{template}: column A holds {value:?} at row {}",
                row + 1
            );
        }
        // The header block's values: the system name and the POC from the people file.
        let all: Vec<String> = cells.iter().map(|(_, d)| d.to_string()).collect();
        for wanted in [
            "Example Logistics Portal",
            "Jane Doe",
            "555-0100",
            "Navy",
            "12345",
        ] {
            assert!(all.iter().any(|t| t == wanted), "{template}: no {wanted}");
        }
    }
}

#[test]
fn branch_templates_take_a_row_per_milestone_with_item_cells_once() {
    let repo = example();
    let file = repo.path().join("navy.xlsx");
    export(repo.path(), "navy", &file);
    let cells = cells(&file);
    // DOD-001 (two milestones) fills rows 8 and 9; row 9 holds only milestone cells (J-O).
    assert_eq!(text_at(&cells, (7, 1)).as_deref(), Some("DOD-001"));
    assert_eq!(text_at(&cells, (7, 5)).as_deref(), Some("Ongoing"));
    assert_eq!(text_at(&cells, (7, 11)).as_deref(), Some("Completed"));
    let row9: Vec<u32> = cells
        .iter()
        .filter(|((r, _), _)| *r == 8)
        .map(|((_, c), _)| *c)
        .collect();
    assert!(
        !row9.is_empty() && row9.iter().all(|c| (9..=14).contains(c)),
        "{row9:?}"
    );
    assert_eq!(text_at(&cells, (8, 11)).as_deref(), Some("In Progress"));
    // Office/Org from the people file, CAT I as the five-level scale's High.
    assert_eq!(
        text_at(&cells, (7, 17)).as_deref(),
        Some("NIWC Atlantic, Jane Doe, 555-0100, jane.doe@example.mil")
    );
    assert_eq!(text_at(&cells, (7, 20)).as_deref(), Some("High"));
    // The risk-accepted item: its expiry in H, no milestone.
    let accepted = cells
        .iter()
        .find(|(_, d)| matches!(d, Data::String(s) if s == "DOD-003"))
        .map(|((r, _), _)| *r)
        .expect("DOD-003");
    assert_eq!(
        text_at(&cells, (accepted, 5)).as_deref(),
        Some("Risk Accepted")
    );
    assert!(text_at(&cells, (accepted, 7)).is_some(), "expiry date");
    assert!(text_at(&cells, (accepted, 10)).is_none(), "no milestone");
}

#[test]
fn export_import_export_gives_the_same_cells_for_every_template() {
    let source = example();
    for template in TEMPLATES {
        let first = source.path().join(format!("{template}-1.xlsx"));
        export(source.path(), template, &first);
        let target = empty_repo();
        let (code, err) = import(target.path(), &first);
        assert_eq!(code, 0, "{template}: {err}");
        let second = target.path().join(format!("{template}-2.xlsx"));
        export(target.path(), template, &second);
        assert_eq!(cells(&first), cells(&second), "{template}");
    }
}

/// An Army workbook built from the documented layout: banner, block labels and row-7 headers,
/// then `rows` of (column letter, value) from row 8.
fn army_workbook(path: &Path, rows: &[&[(&str, &str)]]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("POA&M").expect("name");
    sheet
        .write_string(0, 0, "***** CONTROLLED UNCLASSIFIED INFORMATION *****")
        .expect("banner");
    for ((row, col), label) in documented_block("army") {
        sheet
            .write_string(row, u16::try_from(col).expect("col"), label)
            .expect("label");
    }
    for (col, header) in documented_headers("army") {
        sheet
            .write_string(6, u16::try_from(col).expect("col"), header)
            .expect("header");
    }
    for (offset, cells) in rows.iter().enumerate() {
        let row = 7 + u32::try_from(offset).expect("row");
        for (letters, value) in cells.iter() {
            let col = u16::try_from(column(letters)).expect("col");
            sheet.write_string(row, col, *value).expect("cell");
        }
    }
    workbook.save(path).expect("save");
}

#[test]
fn import_regroups_milestone_rows_into_items() {
    let repo = empty_repo();
    let file = repo.path().join("army.xlsx");
    army_workbook(
        &file,
        &[
            &[
                ("B", "1001"),
                (
                    "C",
                    "Accounts are not locked after failed logons.\nSee the STIG.",
                ),
                ("D", "AC-7"),
                ("E", "SV-230334r627750_rule; SV-230335r627750_rule"),
                ("F", "Ongoing"),
                ("G", "01/31/2027"),
                ("J", "1"),
                ("K", "Apply the setting in staging"),
                ("L", "Completed"),
                ("N", "12/01/2026"),
                ("O", "11/20/2026"),
                ("P", "Vulnerability Management"),
                (
                    "R",
                    "NIWC Atlantic, Raj Patel, 555-0101, raj.patel@example.mil",
                ),
                ("S", "One administrator"),
                ("U", "Moderate"),
                ("X", "Moderate"),
                ("Y", "Moderate"),
                ("Z", "Moderate"),
                ("AA", "Moderate"),
                ("AC", "Moderate"),
                ("AF", "CC-1234"),
            ],
            &[
                ("J", "2"),
                ("K", "Apply the setting in production"),
                ("L", "In Progress"),
                ("N", "01/15/2027"),
            ],
            &[
                ("J", "3"),
                ("K", "Verify with a re-scan"),
                ("L", "Open"),
                ("N", "01/31/2027"),
            ],
            &[
                ("B", "1002"),
                ("C", "TLS 1.1 on the reporting service"),
                ("F", "Risk Accepted"),
                ("H", "2027-06-30"),
                ("P", "Vulnerability Management"),
                (
                    "R",
                    "NIWC Atlantic, Jane Doe, 555-0100, jane.doe@example.mil",
                ),
                ("S", "None"),
                ("T", "Accepted by the AO."),
                ("U", "Low"),
            ],
        ],
    );
    let (code, err) = import(repo.path(), &file);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(repo.path().join("poams/1001.yaml")).expect("1001");
    for wanted in [
        "title: Accounts are not locked after failed logons.",
        "controls: [AC-7]",
        "owner: rpatel",
        "due: 2027-01-31",
        "  - id: 3\n    date: 2027-01-31\n    description: Verify with a re-scan\n    status: open",
        "    status: in-progress",
        "    kind: complete\n    date: 2026-11-20",
        "  raw_severity: moderate",
        "    - SV-230335r627750_rule",
        "    personnel_cost_code: CC-1234",
    ] {
        assert!(first.contains(wanted), "no {wanted:?} in\n{first}");
    }
    let second = std::fs::read_to_string(repo.path().join("poams/1002.yaml")).expect("1002");
    assert!(second.contains("status: open"), "{second}");
    assert!(
        second.contains("  risk_accepted:\n    expires: 2027-06-30"),
        "{second}"
    );
    assert!(!second.contains("milestones"), "{second}");
    // The imported items read back under the profile: 1002 is Risk Accepted until its expiry.
    let show = poam()
        .current_dir(repo.path())
        .args(["show", "1002", "--format", "json", "--today", TODAY])
        .output()
        .expect("show");
    let shown: Value = serde_json::from_slice(&show.stdout).expect("json");
    let view = &shown["item"];
    assert_eq!(view["rmf"]["emass_status"], "Risk Accepted");
    assert_eq!(view["standing"]["state"], "accepted");
}

#[test]
fn import_locates_every_bad_cell_and_imports_the_rest() {
    let repo = empty_repo();
    let file = repo.path().join("bad.xlsx");
    army_workbook(
        &file,
        &[
            &[("B", "2001"), ("C", "Bad status"), ("F", "Done")],
            &[
                ("B", "2002"),
                ("C", "Bad date"),
                ("F", "Ongoing"),
                ("G", "next spring"),
            ],
            &[
                ("B", "2003"),
                ("C", "Bad level"),
                ("F", "Ongoing"),
                ("X", "Severe"),
            ],
            &[
                ("B", "2004"),
                ("C", "Fine"),
                ("F", "Ongoing"),
                ("G", "2027-01-31"),
            ],
        ],
    );
    let (code, err) = import(repo.path(), &file);
    assert_eq!(code, 1, "{err}");
    for wanted in [
        "skipped: POA&M, row 8, column F (POA&M Status): POA&M Status `Done` is not Ongoing, Risk Accepted or Completed",
        "skipped: POA&M, row 9, column G (POA&M Scheduled Completion Date): `next spring` is not a date",
        "skipped: POA&M, row 10, column X (Severity): `Severe` is not one of Very Low, Low, Moderate, High, Very High",
        "1 item file created",
    ] {
        assert!(err.contains(wanted), "no {wanted:?} in\n{err}");
    }
    assert!(repo.path().join("poams/2004.yaml").is_file());
    assert!(!repo.path().join("poams/2001.yaml").exists());
}

#[test]
fn import_refuses_a_workbook_that_is_no_emass_template() {
    let repo = empty_repo();
    let file = repo.path().join("other.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(6, 1, "POAM ID").expect("cell");
    workbook.save(&file).expect("save");
    let (code, err) = import(repo.path(), &file);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("not the header row of an eMASS POA&M template"),
        "{err}"
    );
}

/// A repository under dod-rmf with `config` appended and one item.
fn repo_with(config: &str, item: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp");
    std::fs::write(
        temp.path().join("poam.yaml"),
        format!("items: poams\nprofile: dod-rmf\n{config}"),
    )
    .expect("config");
    std::fs::create_dir(temp.path().join("poams")).expect("items");
    std::fs::write(temp.path().join("poams/D-1.yaml"), item).expect("item");
    temp
}

fn show_json(dir: &Path) -> Value {
    let output = poam()
        .current_dir(dir)
        .args(["show", "D-1", "--format", "json", "--today", TODAY])
        .output()
        .expect("show");
    assert!(output.status.success(), "{output:?}");
    let shown: Value = serde_json::from_slice(&output.stdout).expect("json");
    shown["item"].clone()
}

const CAT_I_ITEM: &str =
    "id: D-1\ntitle: t\ndetected: 2026-11-01\nstatus: open\nrmf:\n  raw_severity: very-high\n";

#[test]
fn cat_deadlines_are_configuration_and_an_iava_caps_them() {
    // The default: CAT I (very-high counts as CAT I) 30 days from detection.
    let view = show_json(repo_with("", CAT_I_ITEM).path());
    assert_eq!(view["assessment"]["policy_deadline"], "2026-12-01");
    assert_eq!(view["assessment"]["policy_days"], 30);
    assert_eq!(view["standing"]["rating"]["label"], "CAT I");
    // `deadlines:` sets the days.
    let view = show_json(repo_with("deadlines: {cat-i: 15, cat-iii: 400}\n", CAT_I_ITEM).path());
    assert_eq!(view["assessment"]["policy_deadline"], "2026-11-16");
    // An IAVA comply-by date earlier than the CAT deadline caps it; a later one does not.
    let capped = format!("{CAT_I_ITEM}  iava: {{id: 2026-A-0001, comply_by: 2026-11-20}}\n");
    let view = show_json(repo_with("", &capped).path());
    assert_eq!(view["assessment"]["policy_deadline"], "2026-11-20");
    assert_eq!(view["assessment"]["policy_deadline_kev"], true);
    let later = format!("{CAT_I_ITEM}  iava: {{id: 2026-A-0001, comply_by: 2026-12-20}}\n");
    let view = show_json(repo_with("", &later).path());
    assert_eq!(view["assessment"]["policy_deadline"], "2026-12-01");
    assert_eq!(view["assessment"]["policy_deadline_kev"], false);
    // The FedRAMP rating keys mean nothing here: refused with the profile's keys.
    let output = poam()
        .current_dir(repo_with("deadlines: {high: 10}\n", CAT_I_ITEM).path())
        .args(["lint", "--no-history", "--today", TODAY])
        .output()
        .expect("lint");
    let err = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("cat-i"), "{err}");
}

#[test]
fn the_example_lints_as_its_readme_says_and_its_pages_show_the_categories() {
    let repo = example();
    let output = poam()
        .current_dir(repo.path())
        .args([
            "lint",
            "--no-history",
            "--format",
            "short",
            "--today",
            TODAY,
        ])
        .output()
        .expect("lint");
    let out = String::from_utf8(output.stdout).expect("utf-8");
    // Only the item the README names as wrong on purpose.
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        vec!["poams/DOD-005.yaml:26:15: error[rmf-matrix] `likelihood` is High but the eMASS matrix gives Moderate for relevance of threat High and severity Moderate"],
    );
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dod/README.md"),
    )
    .expect("README");
    assert!(readme.contains("DOD-005") && readme.contains("rmf-matrix"));
    let site: PathBuf = repo.path().join("site");
    let output = poam()
        .current_dir(repo.path())
        .args(["site", "--today", TODAY, "-o"])
        .arg(&site)
        .output()
        .expect("site");
    assert!(output.status.success(), "{output:?}");
    let index = std::fs::read_to_string(site.join("index.html")).expect("index");
    for wanted in [
        "Items by category",
        "<th scope=\"row\">CAT I</th><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">0</td>",
        "2026-A-0042",
        "2027-06-30",
    ] {
        assert!(index.contains(wanted), "no {wanted:?} in the dashboard");
    }
    assert!(
        !index.contains("escalation"),
        "FedRAMP escalation triggers on a DoD dashboard"
    );
    let report = poam()
        .current_dir(repo.path())
        .args(["report", "--today", TODAY])
        .output()
        .expect("report");
    let report = String::from_utf8(report.stdout).expect("utf-8");
    assert!(report.contains("| CAT II | 1 | 0 | 1 |"), "{report}");
    assert!(report.contains("### Risk accepted (1)"), "{report}");
}
