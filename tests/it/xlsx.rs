//! `poam export xlsx|csv` and `poam import xlsx`: the workbook against the real FedRAMP
//! template, cell formats, row placement, import problems and exit codes, the round trip.

use std::path::{Path, PathBuf};

use calamine::{Data, Range, Reader};

use crate::common::{fixtures, poam, TODAY};

fn template_path() -> PathBuf {
    fixtures().join("xlsx/FedRAMP-POAM-Template-Rev5.xlsx")
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

fn open(path: &Path) -> calamine::Sheets<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook_auto(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()))
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    open(path)
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name} of {}: {e}", path.display()))
}

/// The cell at an absolute, zero-based position (calamine ranges start at the first used cell).
fn cell(range: &Range<Data>, row: u32, column: u32) -> Data {
    range
        .get_value((row, column))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn text(range: &Range<Data>, row: u32, column: u32) -> String {
    match cell(range, row, column) {
        Data::String(s) => s,
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// Exports the demo repository's items to `<temp>/poam.xlsx`.
fn export_demo() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp dir");
    let out = temp.path().join("poam.xlsx");
    let output = poam()
        .current_dir(demo_dir())
        .args(["export", "xlsx", "-o"])
        .arg(&out)
        .args(["--today", TODAY])
        .output()
        .expect("run poam");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (temp, out)
}

#[test]
fn sheet_names_and_header_cells_match_the_real_template() {
    let (_temp, exported) = export_demo();
    let template = template_path();
    assert_eq!(open(&exported).sheet_names(), open(&template).sheet_names());
    let data_sheets = [
        "Open POA&M Items",
        "Closed POA&M Items",
        "Configuration Findings",
    ];
    for name in data_sheets {
        let (ours, theirs) = (sheet(&exported, name), sheet(&template, name));
        // Row 1 title, row 2 labels, row 5 headers A..AE.
        assert_eq!(text(&ours, 0, 0), text(&theirs, 0, 0), "{name} title");
        for column in 0..4 {
            assert_eq!(
                text(&ours, 1, column),
                text(&theirs, 1, column),
                "{name} row 2 column {column}"
            );
        }
        for column in 0..31 {
            let header = text(&theirs, 4, column);
            assert!(!header.is_empty(), "template {name} column {column}");
            assert_eq!(
                text(&ours, 4, column),
                header,
                "{name} row 5 column {column}"
            );
        }
        assert_eq!(cell(&ours, 4, 31), Data::Empty, "{name}: no 32nd column");
    }
    // The Open sheet's description and format-hint rows.
    let (ours, theirs) = (
        sheet(&exported, "Open POA&M Items"),
        sheet(&template, "Open POA&M Items"),
    );
    for row in [5, 6] {
        for column in 0..31 {
            assert_eq!(
                text(&ours, row, column),
                text(&theirs, row, column),
                "Open row {} column {column}",
                row + 1
            );
        }
    }
    // Record of Changes: title and headings where the template has them.
    let (ours, theirs) = (
        sheet(&exported, "Record of Changes"),
        sheet(&template, "Record of Changes"),
    );
    for (row, column) in [(1, 1), (2, 1), (2, 2), (2, 3), (2, 4), (3, 2), (4, 2)] {
        assert_eq!(text(&ours, row, column), text(&theirs, row, column));
    }
}

#[test]
fn items_land_on_their_sheet_with_the_template_formats() {
    let (_temp, exported) = export_demo();
    let open_sheet = sheet(&exported, "Open POA&M Items");
    // Header block from poam.yaml and --today.
    assert_eq!(text(&open_sheet, 2, 0), "Example Cloud Co.");
    assert_eq!(text(&open_sheet, 2, 1), "Example SaaS");
    assert_eq!(text(&open_sheet, 2, 2), "Moderate");
    assert!(
        matches!(cell(&open_sheet, 2, 3), Data::DateTime(d) if d.as_f64() == 46351.0),
        "POAM Date is 2026-11-25 as an Excel date: {:?}",
        cell(&open_sheet, 2, 3)
    );
    // Row 8 (the template's example) stays empty; items from row 9, sorted by id.
    assert_eq!(cell(&open_sheet, 7, 0), Data::Empty);
    assert_eq!(text(&open_sheet, 8, 0), "V-1001");
    assert_eq!(text(&open_sheet, 8, 1), "SC-8, SC-8(1), SC-13");
    assert_eq!(cell(&open_sheet, 8, 5), Data::Float(104_743.0));
    assert_eq!(
        text(&open_sheet, 8, 6),
        "web-prod-01.example.internal (443/TCP)\nweb-prod-02.example.internal (443/TCP)"
    );
    // K: 2026-10-14 as a real date.
    assert!(matches!(cell(&open_sheet, 8, 10), Data::DateTime(d) if d.as_f64() == 46309.0));
    assert_eq!(
        text(&open_sheet, 8, 12),
        "(1) 2026-11-06: Apply the TLS 1.2+ policy to the staging listeners and run regression tests.\n\n\
         (2) 2026-12-15: Apply the TLS 1.2+ policy to the production listeners in the December change window."
    );
    assert_eq!(
        text(&open_sheet, 8, 13),
        "(1) Complete 2026-11-05 : Staging listeners switched; regression suite passed.\n\n\
         (3) New 2027-01-08 : Nessus rescan of the production listeners to confirm closure."
    );
    assert_eq!(text(&open_sheet, 8, 15), "No");
    assert_eq!(text(&open_sheet, 8, 18), "Moderate");
    assert_eq!(text(&open_sheet, 8, 19), "N/A");
    for column in 20..23 {
        assert_eq!(text(&open_sheet, 8, column), "No");
    }
    assert_eq!(
        text(&open_sheet, 8, 24),
        "Scan Report : nessus-2026-10-monthly-web.nessus"
    );
    assert_eq!(text(&open_sheet, 8, 27), "No");
    // Closed items are on the Closed sheet from row 6, and only there.
    let closed_sheet = sheet(&exported, "Closed POA&M Items");
    let closed_ids: Vec<String> = (5..12)
        .map(|row| text(&closed_sheet, row, 0))
        .filter(|id| !id.is_empty())
        .collect();
    assert_eq!(closed_ids, ["V-1009", "V-1010"]);
    // V-1009 is critical: the template knows High. V-1010's false positive was approved.
    assert_eq!(text(&closed_sheet, 5, 18), "High");
    assert_eq!(text(&closed_sheet, 6, 21), "Yes");
    assert!(text(&closed_sheet, 6, 23).starts_with("False Positive : The certificate"));
    assert!(text(&closed_sheet, 6, 24)
        .ends_with("\nClosure Evidence : AO approved false positive DR-2026-011 on 2026-09-11."));
    // V-1005 (row 13): an approved operational requirement.
    assert_eq!(text(&open_sheet, 12, 0), "V-1005");
    assert_eq!(text(&open_sheet, 12, 22), "Yes");
    assert!(text(&open_sheet, 12, 23).starts_with("Operational Requirement : The agency"));
    let open_ids: Vec<String> = (8..30)
        .map(|row| text(&open_sheet, row, 0))
        .filter(|id| !id.is_empty())
        .collect();
    assert!(
        open_ids.iter().all(|id| !closed_ids.contains(id)),
        "{open_ids:?}"
    );
    assert_eq!(open_ids.len(), 8);
}

#[test]
fn export_is_deterministic_and_goes_to_stdout_without_o() {
    let (_a, first) = export_demo();
    let (_b, second) = export_demo();
    let first = std::fs::read(first).expect("read");
    assert_eq!(first, std::fs::read(second).expect("read"));
    // Without -o the workbook goes to standard output.
    let output = poam()
        .current_dir(demo_dir())
        .args(["export", "xlsx", "--today", TODAY])
        .output()
        .expect("run poam");
    assert!(output.status.success());
    assert_eq!(output.stdout, first);
}

#[test]
fn csv_has_the_template_columns_and_a_status() {
    let output = poam()
        .current_dir(demo_dir())
        .args(["export", "csv", "--today", TODAY])
        .output()
        .expect("run poam");
    assert!(output.status.success());
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_owned)
        .collect();
    let template = sheet(&template_path(), "Open POA&M Items");
    let mut expected: Vec<String> = (0..31).map(|c| text(&template, 4, c)).collect();
    expected.push("Status".to_owned());
    assert_eq!(headers, expected);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 10);
    assert_eq!(&rows[0][0], "V-1001");
    assert_eq!(&rows[0][10], "2026-10-14");
    assert_eq!(&rows[0][31], "open");
    let closed: Vec<&str> = rows
        .iter()
        .filter(|r| &r[31] == "closed")
        .map(|r| &r[0])
        .collect();
    assert_eq!(closed, ["V-1009", "V-1010"]);
}
