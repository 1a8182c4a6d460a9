//! `poam export dr ID`: FedRAMP's deviation request form filled from an item. The workbook is
//! read back with calamine and each filled cell checked against the item; the form's own
//! structure (sheets, data validations, merged cells, styles, protection, every other part of
//! the package) is compared with the form itself.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};

use crate::common::poam;

const TODAY: &str = "2026-11-25";
const FORM: &str = "templates/dr/FedRAMP-Vulnerability-Deviation-Request-Form.xlsx";

fn form_bytes() -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(FORM)).expect("the form")
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    crate::common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        &repo,
    );
    (temp, repo)
}

fn export(repo: &Path, id: &str) -> (i32, Vec<u8>, String) {
    let output = poam()
        .current_dir(repo)
        .args(["export", "dr", id, "--today", TODAY])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

/// Every non-empty cell of sheet `name`, by Excel reference (`B12`).
fn cells(bytes: &[u8], name: &str) -> BTreeMap<String, Data> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book.worksheet_range(name).expect("the sheet");
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut out = BTreeMap::new();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if *cell != Data::Empty {
                let col = col0 as usize + c;
                let mut letters = String::new();
                let mut n = col + 1;
                while n > 0 {
                    letters.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
                    n = (n - 1) / 26;
                }
                out.insert(format!("{letters}{}", row0 as usize + r + 1), cell.clone());
            }
        }
    }
    out
}

fn text(cells: &BTreeMap<String, Data>, cell: &str) -> String {
    match cells.get(cell) {
        Some(Data::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn date(cells: &BTreeMap<String, Data>, cell: &str) -> String {
    match cells.get(cell) {
        Some(Data::DateTime(d)) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("epoch");
            (epoch + chrono::Duration::days(d.as_f64() as i64)).to_string()
        }
        other => panic!("{cell} is not a date: {other:?}"),
    }
}

/// The package's parts by name.
fn parts(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("read");
            (entry.name().expect("name").into_owned(), data)
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} missing"));
    let to = text[from..]
        .find(end)
        .map_or(text.len(), |i| from + i + end.len());
    &text[from..to]
}

#[test]
fn the_form_is_filled_from_an_operational_requirement_item() {
    let (_temp, repo) = demo();
    let (code, bytes, err) = export(&repo, "V-1005");
    assert_eq!(code, 0, "{err}");
    let dr = cells(&bytes, "DR Sheet");
    // poam.yaml
    assert_eq!(text(&dr, "A3"), "Example Cloud Co.");
    assert_eq!(text(&dr, "B3"), "Example SaaS");
    assert_eq!(text(&dr, "C3"), "Moderate");
    assert_eq!(text(&dr, "E3"), TODAY);
    // The item (examples/demo/poams/V-1005.yaml), row 12.
    assert_eq!(text(&dr, "A12"), "1");
    assert_eq!(text(&dr, "B12"), "V-1005");
    assert_eq!(text(&dr, "C12"), "57608");
    assert_eq!(text(&dr, "E12"), "xfer-01.example.internal (445/TCP)");
    assert_eq!(text(&dr, "F12"), "SMB Signing not required");
    assert_eq!(text(&dr, "G12"), "Nessus");
    assert_eq!(text(&dr, "H12"), "Moderate");
    assert_eq!(date(&dr, "J12"), "2026-02-09");
    assert!(text(&dr, "K12").starts_with("The file transfer server that exchanges batch files"));
    assert!(text(&dr, "L12").starts_with("Requiring SMB signing breaks the agency's legacy"));
    assert_eq!(text(&dr, "N12"), "OR");
    assert_eq!(date(&dr, "Q12"), TODAY);
    let rationale = "The agency's transfer client does not support SMB signing. The service is reachable only from the agency subnet through an IPsec VPN, so the traffic is already integrity-protected in transit. Reassessed monthly.";
    assert_eq!(text(&dr, "R12"), rationale);
    assert_eq!(text(&dr, "U12"), rationale);
    assert_eq!(
        text(&dr, "W12"),
        "Deviation Request : DR-2026-003-smb-signing.xlsx\nAO Approval : DR-2026-003-approval.pdf"
    );
    assert_eq!(
        text(&dr, "AO12"),
        "Operational requirements stay on the Open sheet; last monthly reassessment 2026-11-02."
    );
    // Nothing of an OR-only request in the FP and RA sections, and FedRAMP's examples are gone.
    for cell in ["O12", "S12", "T12", "X12", "AN12", "B13", "N13", "X14"] {
        assert_eq!(text(&dr, cell), "", "{cell}");
    }
    // The form's own texts are still there.
    assert_eq!(text(&dr, "A1"), "FedRAMP DR Request Form");
    assert_eq!(text(&dr, "B10"), "POA&M ID");
    assert_eq!(text(&dr, "A7"), "Text Field");
    // The required cells poam cannot fill are listed.
    for line in [
        "A7 CSP Primary POC: Name",
        "D7 CSP Primary POC: Email",
        "V12 Justification",
    ] {
        assert!(err.contains(line), "{line} missing from:\n{err}");
    }
    assert!(!err.contains("B12"), "{err}");
}

#[test]
fn a_risk_adjustment_fills_the_requested_rating_and_lists_the_cvss_metrics() {
    let (_temp, repo) = demo();
    let item = repo.join("poams/V-1001.yaml");
    let mut text_of_item = std::fs::read_to_string(&item).expect("read");
    assert!(!text_of_item.contains("deviations:"), "{text_of_item}");
    text_of_item.push_str(
        "deviations:\n  risk_adjustment:\n    status: pending\n    adjusted_risk: low\n    rationale: Reachable only from the bastion.\n",
    );
    std::fs::write(&item, &text_of_item).expect("write");
    let (code, bytes, err) = export(&repo, "V-1001");
    assert_eq!(code, 0, "{err}");
    let dr = cells(&bytes, "DR Sheet");
    assert_eq!(text(&dr, "B12"), "V-1001");
    assert_eq!(text(&dr, "N12"), "RA");
    assert_eq!(text(&dr, "O12"), "Low");
    assert_eq!(text(&dr, "R12"), "Reachable only from the bastion.");
    for line in [
        "X12 Attack Vector",
        "AM12 Remediation Level Explanation",
        "P12 Adjusted CVSS Score",
    ] {
        assert!(err.contains(line), "{line} missing from:\n{err}");
    }
    // The rating is written as the form's list writes it.
    let risk = text_of_item
        .lines()
        .find_map(|l| l.strip_prefix("risk: "))
        .expect("risk");
    let expected = match risk.trim() {
        "critical" | "high" => "High",
        "moderate" => "Moderate",
        _ => "Low",
    };
    assert_eq!(text(&dr, "H12"), expected);
}

#[test]
fn an_item_without_a_deviation_is_refused() {
    let (_temp, repo) = demo();
    let item = repo.join("poams/V-1001.yaml");
    assert!(!std::fs::read_to_string(&item)
        .expect("read")
        .contains("deviations:"));
    let (code, out, err) = export(&repo, "V-1001");
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("item `V-1001` requests no deviation"), "{err}");
    let (code, _, err) = export(&repo, "V-9999");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no item with id `V-9999`"), "{err}");
}

#[test]
fn the_forms_structure_is_preserved() {
    let (_temp, repo) = demo();
    let (code, bytes, err) = export(&repo, "V-1005");
    assert_eq!(code, 0, "{err}");
    let form = form_bytes();
    // Same sheets, in order.
    let names = |b: &[u8]| {
        Xlsx::new(Cursor::new(b.to_vec()))
            .map(|x: Xlsx<_>| x.sheet_names())
            .expect("workbook")
    };
    assert_eq!(
        names(&bytes),
        [
            "Instructions",
            "DR Sheet",
            "Data Dictionary - Do Not Remove",
            "Record of Changes"
        ]
    );
    assert_eq!(names(&bytes), names(&form));
    // Every part but the DR Sheet is the form's, byte for byte.
    let before = parts(&form);
    let after = parts(&bytes);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, data) in &before {
        if name != "xl/worksheets/sheet2.xml" {
            assert!(after[name] == *data, "{name} changed");
        }
    }
    // In the DR Sheet, everything around the cells is the form's: columns, merged cells, the
    // 15 drop-down validations (in the x14 extension), page set-up.
    let sheet_before = String::from_utf8(before["xl/worksheets/sheet2.xml"].clone()).expect("xml");
    let sheet_after = String::from_utf8(after["xl/worksheets/sheet2.xml"].clone()).expect("xml");
    assert_eq!(
        between(&sheet_before, "<?xml", "<sheetData>"),
        between(&sheet_after, "<?xml", "<sheetData>")
    );
    assert_eq!(
        between(&sheet_before, "</sheetData>", "</worksheet>"),
        between(&sheet_after, "</sheetData>", "</worksheet>")
    );
    assert!(sheet_after.contains("<x14:dataValidations count=\"15\""));
    assert!(sheet_after.contains("<mergeCell ref=\"B9:M9\"/>"));
    assert!(sheet_after.contains("<xm:sqref>N12:N1001</xm:sqref>"));
    // The Data Dictionary's validations too (its sheet is unchanged, checked above).
    assert!(String::from_utf8_lossy(&after["xl/worksheets/sheet3.xml"])
        .contains("<dataValidations count=\"13\">"));
    // Protection as the form has it: FedRAMP ships it unprotected, and poam adds none.
    for (name, data) in &after {
        let text = String::from_utf8_lossy(data);
        assert_eq!(
            text.contains("<sheetProtection") || text.contains("<workbookProtection"),
            String::from_utf8_lossy(&before[name]).contains("<sheetProtection")
                || String::from_utf8_lossy(&before[name]).contains("<workbookProtection"),
            "{name}"
        );
    }
    // Filled cells keep the form's style for their cell (B12's s="88", J12's date style 89).
    assert!(
        sheet_after.contains("<c r=\"B12\" s=\"88\" t=\"inlineStr\">"),
        "B12"
    );
    assert!(
        sheet_after.contains("<c r=\"J12\" s=\"89\"><v>46062</v></c>"),
        "J12"
    );
    // Every other sheet reads the same as the form's.
    for sheet in [
        "Instructions",
        "Data Dictionary - Do Not Remove",
        "Record of Changes",
    ] {
        assert_eq!(cells(&bytes, sheet), cells(&form, sheet), "{sheet}");
    }
    // The DR Sheet's cells outside rows 3, 12-14 are the form's.
    let keep = |cells: BTreeMap<String, Data>| -> BTreeMap<String, Data> {
        cells
            .into_iter()
            .filter(|(cell, _)| {
                let row: u32 = cell
                    .trim_start_matches(|c: char| c.is_ascii_uppercase())
                    .parse()
                    .expect("row");
                row != 3 && !(12..=14).contains(&row)
            })
            .collect()
    };
    assert_eq!(
        keep(cells(&bytes, "DR Sheet")),
        keep(cells(&form, "DR Sheet"))
    );
}

#[test]
fn the_form_is_byte_identical_for_the_same_item_and_date() {
    let (_temp, repo) = demo();
    let first = export(&repo, "V-1005").1;
    assert!(!first.is_empty());
    assert!(first == export(&repo, "V-1005").1);
}
