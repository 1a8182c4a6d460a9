//! What a profile writes and exchanges: the fields `poam new`, `poam import scan` and
//! `poam import xlsx` start an item with, and how the xlsx, CSV and OSCAL exports map an item,
//! under `fedramp-cr26` (the Rev5 outputs are pinned by the other modules' tests).

use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::common::{copy_dir, fixtures, poam, TODAY};

const CR26_CONFIG: &str = "items: poams\nprofile: fedramp-cr26\ncr26:\n  class: c\n  package_overview_uri: https://example.com/package\n";

/// An empty CR26 (Class C) repository outside git.
fn cr26_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    fs::create_dir(dir.path().join("poams")).expect("mkdir");
    fs::write(dir.path().join("poam.yaml"), CR26_CONFIG).expect("write");
    dir
}

fn run(dir: &Path, today: &str, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(dir)
        .args(["--today", today])
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

/// The codes `poam lint` reports on each item file, as `(file, code)`.
fn lint_codes(dir: &Path, today: &str) -> Vec<(String, String)> {
    let (_, out, err) = run(
        dir,
        today,
        &["lint", "--no-history", "--format", "json", "--quiet"],
    );
    let doc: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("lint JSON: {e}\n{out}\n{err}"));
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The item files under `poams/`, by name.
fn items(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = fs::read_dir(dir.join("poams"))
        .expect("read poams")
        .map(|e| {
            let path = e.expect("entry").path();
            (
                path.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned(),
                fs::read_to_string(&path).expect("read item"),
            )
        })
        .collect();
    files.sort();
    files
}

/// The top-level keys of an item file.
fn top_keys(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.starts_with([' ', '#', '-']) && !l.is_empty())
        .filter_map(|l| l.split(':').next())
        .collect()
}

const REV5_KEYS: [&str; 6] = [
    "due",
    "risk",
    "milestones",
    "milestone_changes",
    "vendor_dependency",
    "deviations",
];

fn assert_no_rev5_fields(name: &str, text: &str) {
    let keys = top_keys(text);
    for key in REV5_KEYS {
        assert!(!keys.contains(&key), "{name} has `{key}`:\n{text}");
    }
}

#[test]
fn new_under_cr26_writes_an_evaluation_stub_and_no_rev5_fields() {
    let dir = cr26_repo();
    let (code, out, err) = run(
        dir.path(),
        TODAY,
        &[
            "new",
            "--title",
            "OpenSSL 3.0 is out of date",
            "--cve",
            "cve-2024-5535",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.trim_end().ends_with("V-1.yaml"), "{out}");
    let text = fs::read_to_string(dir.path().join("poams/V-1.yaml")).expect("read");
    insta::assert_snapshot!("cr26_new_item", text);
    assert_no_rev5_fields("V-1", &text);
    // Class C evaluates within 5 days of detection.
    assert!(
        text.contains("  # Evaluate by 2026-11-30: Class C allows 5 days"),
        "{text}"
    );
    let codes = lint_codes(dir.path(), TODAY);
    assert!(
        !codes
            .iter()
            .any(|(_, c)| c == "vdr-legacy-field" || c == "vdr-not-evaluated"),
        "{codes:?}"
    );
    // Only the placeholders a person fills in are missing; no milestone is asked for.
    let missing: Vec<&str> = codes
        .iter()
        .filter(|(_, c)| c == "missing-field")
        .map(|(f, _)| f.as_str())
        .collect();
    assert_eq!(missing.len(), 2, "{codes:?}");
    let (_, out, _) = run(dir.path(), TODAY, &["lint", "--no-history", "-f", "short"]);
    assert!(!out.contains("milestones"), "{out}");

    // Filled in and evaluated, the item is clean.
    let filled = text
        .replace(
            "description: \"\"\n",
            "description: The base image ships OpenSSL 3.0.13.\n",
        )
        .replace("detector: \"\"", "detector: Trivy")
        .replace("  evaluated: null", "  evaluated: 2026-11-25")
        .replace("  irv: null", "  irv: false")
        .replace("  lev: null", "  lev: false")
        .replace("  pain: null", "  pain: 2")
        .replace(
            "  rationale: null",
            "  rationale: Only reachable from the build network.\n  next_reduction: {at: 2027-01-15, pain: 1}",
        );
    fs::write(dir.path().join("poams/V-1.yaml"), filled).expect("fill");
    let (code, out, _) = run(dir.path(), TODAY, &["lint", "--no-history"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 errors, 0 warnings, 0 notes in 1 item\n")
    );
}

#[test]
fn new_under_cr26_refuses_a_rev5_rating_and_writes_nothing() {
    let dir = cr26_repo();
    let (code, _, err) = run(dir.path(), TODAY, &["new", "--risk", "high"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`--risk` sets a Rev5 rating"), "{err}");
    assert!(items(dir.path()).is_empty());
}

#[test]
fn import_scan_under_cr26_writes_evaluation_stubs_with_the_scanner_ratings() {
    let dir = cr26_repo();
    let scan = fixtures().join("scans/nessus/defectdojo_nessus_with_cvssv3.trimmed.nessus");
    let scan = scan.to_string_lossy();
    let (code, out, err) = run(dir.path(), TODAY, &["import", "scan", &scan, "--write"]);
    assert_eq!(code, 0, "{err}");
    // The report names the evaluation deadline, not a Rev5 due date.
    assert!(!out.contains(", due "), "{out}");
    assert!(
        out.contains(": not evaluated, evaluate by 2022-03-28, 1 asset"),
        "{out}"
    );
    let written = items(dir.path());
    assert_eq!(written.len(), 25);
    for (name, text) in &written {
        assert_no_rev5_fields(name, text);
        assert!(top_keys(text).contains(&"vdr"), "{name}:\n{text}");
        assert!(text.contains("scanner_severity: "), "{name}:\n{text}");
        assert!(
            text.contains("vdr:\n  # Evaluate by 2022-03-28: Class C allows 5 days"),
            "{name}:\n{text}"
        );
    }
    // The CVSS scores are kept as the evaluation's supplementary information.
    let (_, php) = written
        .iter()
        .find(|(_, t)| t.contains("detector_id: \"142591\""))
        .expect("PHP 7.3.24 item");
    assert!(
        php.contains("  supplementary: \"CVSS v3 base score 7.5, CVSS v2 base score 5.0 (Nessus: Medium)\"\n"),
        "{php}"
    );
    let codes = lint_codes(dir.path(), "2022-03-25");
    assert!(
        codes
            .iter()
            .all(|(_, c)| c != "vdr-legacy-field" && c != "missing-field"),
        "{codes:?}"
    );
}

/// The demo's Rev5 workbook, exported by poam.
fn demo_workbook(into: &Path) -> PathBuf {
    let out = into.join("demo.xlsx");
    let (code, _, err) = run(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        TODAY,
        &["export", "xlsx", "-o", &out.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn import_xlsx_under_cr26_keeps_the_rev5_columns_as_comments() {
    let dir = cr26_repo();
    let workbook = demo_workbook(dir.path());
    let (code, _, err) = run(
        dir.path(),
        TODAY,
        &["import", "xlsx", &workbook.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    let written = items(dir.path());
    assert_eq!(written.len(), 10);
    for (name, text) in &written {
        assert_no_rev5_fields(name, text);
        let closed = text.contains("status: closed");
        assert_eq!(top_keys(text).contains(&"vdr"), !closed, "{name}:\n{text}");
        assert!(
            text.contains(
                "Rev5 POA&M columns of the imported workbook (informational under fedramp-cr26):"
            ),
            "{name}:\n{text}"
        );
    }
    let (_, curl) = written
        .iter()
        .find(|(name, _)| name == "V-1002.yaml")
        .expect("V-1002");
    for kept in [
        "  - due: 2027-01-04\n",
        "  - risk: high\n",
        "  - deviations: risk_adjustment: (status: approved, adjusted_risk: moderate,",
        "vdr:\n  # Evaluate by 2026-10-11: Class C allows 5 days from detection",
    ] {
        assert!(curl.contains(kept), "{kept}\n{curl}");
    }
    let codes = lint_codes(dir.path(), TODAY);
    assert!(
        codes
            .iter()
            .all(|(_, c)| c != "vdr-legacy-field" && c != "missing-field"),
        "{codes:?}"
    );
}

/// A CR26 repository holding a migrated item (legacy `due` and `risk`, evaluated N4 LEV+IRV),
/// one not yet evaluated and one accepted.
fn cr26_exports_repo() -> tempfile::TempDir {
    let dir = cr26_repo();
    let common = "controls: [RA-5]\ndetector: Nessus\ndetector_id: \"1\"\nassets: [web-01]\nowner: Platform Team\nremediation: Patch.\n";
    let files = [
        (
            "VDR-1.yaml",
            format!("id: VDR-1\ntitle: Migrated item\ndescription: Was a Rev5 item.\n{common}detected: 2026-11-18\ndue: 2026-12-18\nrisk: high\nmilestones:\n  - {{id: 1, date: 2026-12-18, description: Patch}}\nstatus: open\nvdr:\n  evaluated: 2026-11-20\n  irv: true\n  lev: true\n  pain: 4\n  rationale: Public exploit, internet facing.\n"),
        ),
        (
            "VDR-2.yaml",
            format!("id: VDR-2\ntitle: Not evaluated\ndescription: Found yesterday.\n{common}detected: 2026-11-24\nstatus: open\nvdr:\n  evaluated: null\n"),
        ),
        (
            "VDR-3.yaml",
            format!("id: VDR-3\ntitle: Accepted\ndescription: Will not be fixed.\n{common}detected: 2026-10-01\nstatus: open\ncomments: Agreed with the agency.\nvdr:\n  evaluated: 2026-10-02\n  irv: false\n  lev: false\n  pain: 2\n  rationale: Internal only.\n  accepted:\n    date: 2026-10-03\n    rationale: The vendor has no fix.\n"),
        ),
    ];
    for (name, text) in files {
        fs::write(dir.path().join("poams").join(name), text).expect("write");
    }
    dir
}

#[test]
fn csv_under_cr26_carries_the_cr26_deadlines_and_names_its_profile() {
    let dir = cr26_exports_repo();
    let (code, out, err) = run(dir.path(), TODAY, &["export", "csv"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("cr26_export_csv", out);
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(headers.iter().next_back(), Some("Profile"));
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (due, comments, profile) = (
        column("Scheduled Completion Date"),
        column("Comments"),
        column("Profile"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let cells: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (&r[due], &r[profile], &r[comments]))
        .collect();
    // Reduce below N4 within 4 days of evaluation (Class C, LEV+IRV), not the legacy `due`;
    // evaluate within 5 days of detection; an accepted vulnerability has no deadline.
    assert_eq!(cells[0].0, "2026-11-24");
    assert_eq!(cells[1].0, "2026-11-29");
    assert_eq!(cells[2].0, "");
    assert!(cells.iter().all(|c| c.1 == "fedramp-cr26"), "{cells:?}");
    assert!(
        cells[0].2.starts_with(
            "fedramp-cr26, Class C: N4 LEV+IRV, evaluated 2026-11-20; reduce below N4 by 2026-11-24"
        ),
        "{cells:?}"
    );
    // The legacy `due` is in no cell; the date stays only as the recorded milestone's.
    assert_eq!(out.matches("2026-12-18").count(), 1, "{out}");
    assert!(out.contains("(1) 2026-12-18: Patch"), "{out}");
    assert!(
        cells[2]
            .2
            .ends_with("accepted on 2026-10-03.\n\nAgreed with the agency."),
        "{cells:?}"
    );
}

#[test]
fn xlsx_under_cr26_carries_the_cr26_deadlines_and_names_its_profile() {
    let dir = cr26_exports_repo();
    let out = dir.path().join("poam.xlsx");
    let (code, _, err) = run(
        dir.path(),
        TODAY,
        &["export", "xlsx", "-o", &out.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    let mut workbook = calamine::open_workbook_auto(&out).expect("open");
    let sheet = workbook
        .worksheet_range("Open POA&M Items")
        .expect("open sheet");
    let cell = |row: u32, column: u32| sheet.get_value((row, column)).cloned();
    let text = |row: u32, column: u32| match cell(row, column) {
        Some(Data::String(s)) => s,
        other => format!("{other:?}"),
    };
    assert_eq!(text(1, 4), "Profile");
    assert_eq!(text(2, 4), "fedramp-cr26 (Class C)");
    assert!(text(5, 11).starts_with("fedramp-cr26: the item's next deadline"));
    // Excel serial dates: 2026-11-24 and 2026-11-29; the accepted item's cell is empty.
    let serial = |row: u32| match cell(row, 11) {
        Some(Data::DateTime(d)) => Some(d.as_f64()),
        _ => None,
    };
    assert_eq!(
        [serial(8), serial(9), serial(10)],
        [Some(46350.0), Some(46355.0), None]
    );
    assert!(text(8, 25).starts_with("fedramp-cr26, Class C: N4 LEV+IRV"));
}

#[test]
fn the_demo_exports_name_no_profile() {
    let temp = tempfile::tempdir().expect("temp");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        temp.path(),
    );
    let (code, out, err) = run(temp.path(), TODAY, &["export", "csv"]);
    assert_eq!(code, 0, "{err}");
    let header = out.lines().next().expect("header");
    assert!(header.ends_with(",Service Name,Status"), "{header}");
    let (_, oscal, _) = run(temp.path(), TODAY, &["export", "oscal"]);
    assert!(!oscal.contains("poam-profile"));
}

#[test]
fn a_cr26_workbook_imports_without_its_export_line_or_deadline_as_rev5_data() {
    let source = cr26_exports_repo();
    let out = source.path().join("cr26.xlsx");
    let (code, _, err) = run(
        source.path(),
        TODAY,
        &["export", "xlsx", "-o", &out.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    let dir = cr26_repo();
    let (code, _, err) = run(
        dir.path(),
        TODAY,
        &["import", "xlsx", &out.to_string_lossy()],
    );
    assert_eq!(code, 0, "{err}");
    let written = items(dir.path());
    let text = |name: &str| {
        written
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .expect(name)
    };
    // The accepted item's own comment comes back alone.
    assert!(
        text("VDR-3.yaml").contains("comments: Agreed with the agency.\n"),
        "{}",
        text("VDR-3.yaml")
    );
    // The migrated item keeps its recorded Rev5 fields, not the CR26 deadline as a `due`.
    let migrated = text("VDR-1.yaml");
    assert!(!migrated.contains("fedramp-cr26, Class C"), "{migrated}");
    assert!(!migrated.contains("due: 2026-11-24"), "{migrated}");
    assert!(migrated.contains("  - risk: high\n"), "{migrated}");
    assert!(
        !text("VDR-2.yaml").contains("comments:"),
        "{}",
        text("VDR-2.yaml")
    );
}
