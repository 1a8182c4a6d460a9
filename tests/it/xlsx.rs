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

#[test]
fn status_date_falls_back_to_the_last_change_in_git() {
    let (_temp, repo) = crate::common::build_repo("timeline");
    let output = poam()
        .current_dir(&repo)
        .args(["export", "csv", "--today", TODAY])
        .output()
        .expect("run poam");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    let first = rows
        .iter()
        .find(|r| &r[0] == "POAM-0001")
        .expect("POAM-0001");
    // No `status_date`: its last commit, 2026-02-21 (UTC).
    assert_eq!(&first[14], "2026-02-21");
}

// ----- round trip: import(export(items)) gives the items back -----

mod round_trip {
    use std::collections::BTreeMap;

    use chrono::NaiveDate;
    use proptest::prelude::*;
    use serde_json::{json, Map, Value};

    use poam::edit::NewValue;
    use poam::export::{xlsx, HeaderBlock};
    use poam::import::xlsx::{read, ImportOptions};

    /// Single-line text: no leading or trailing space, no colon (document types and names
    /// are split at one), nothing that starts a numbered block.
    fn line() -> impl Strategy<Value = String> {
        "[A-Za-z][A-Za-z0-9 .,;()/'&-]{0,30}[A-Za-z0-9.)]".prop_map(|s| s.to_owned())
    }

    /// Multi-line free text (descriptions, plans, comments).
    fn paragraph() -> impl Strategy<Value = String> {
        prop::collection::vec(line(), 1..4).prop_map(|lines| lines.join("\n"))
    }

    fn date() -> impl Strategy<Value = String> {
        (2000i32..2099, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| {
            NaiveDate::from_ymd_opt(y, m, d)
                .expect("valid date")
                .format("%Y-%m-%d")
                .to_string()
        })
    }

    fn rating() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["low", "moderate", "high"])
    }

    fn list(of: impl Strategy<Value = String>) -> impl Strategy<Value = Option<Vec<String>>> {
        prop::option::of(prop::collection::vec(of, 1..4))
    }

    /// A deviation: approved and pending as they are; rejected always with a rationale (a
    /// bare No in the template is indistinguishable from no request at all).
    fn deviation() -> impl Strategy<Value = Option<Map<String, Value>>> {
        prop::option::of(
            (
                prop::sample::select(vec!["approved", "pending", "rejected"]),
                prop::option::of(line()),
            )
                .prop_map(|(status, rationale)| {
                    let mut map = Map::new();
                    map.insert("status".into(), json!(status));
                    let rationale = match (status, rationale) {
                        ("rejected", None) => Some("Denied by the AO".to_owned()),
                        (_, r) => r,
                    };
                    if let Some(r) = rationale {
                        map.insert("rationale".into(), json!(r));
                    }
                    map
                }),
        )
    }

    fn item(index: usize) -> impl Strategy<Value = Value> {
        let text_fields = (
            line(),
            prop::option::of(paragraph()),
            list(
                prop::sample::select(vec!["AC-2", "SI-2", "SC-8(1)", "RA-5", "CM-6"])
                    .prop_map(str::to_owned),
            ),
            prop::option::of(line()),
            prop::option::of(prop_oneof![
                "[1-9][0-9]{0,8}",
                "0[0-9]{1,4}",
                "[A-Z]{2,4}-[0-9]{1,5}"
            ]),
            list(line()),
            prop::option::of(line()),
            prop::option::of(paragraph()),
            prop::option::of(paragraph()),
        );
        let dates = (
            prop::option::of(date()),
            prop::option::of(date()),
            prop::option::of(rating()),
            prop::option::of(date()),
            prop::option::of(date()),
            any::<bool>(),
        );
        let plan = (
            prop::collection::vec((date(), prop::option::of(line())), 0..4),
            prop::collection::vec(
                (
                    1u32..6,
                    prop::sample::select(vec!["new", "update", "complete"]),
                    date(),
                    prop::option::of(line()),
                ),
                0..3,
            ),
        );
        let extras = (
            prop::option::of((prop::option::of(line()), prop::option::of(date()))),
            prop::option::of((
                prop::sample::select(vec!["approved", "pending", "rejected"]),
                prop::option::of(rating()),
                prop::option::of(line()),
                prop::option::of(any::<bool>()),
            )),
            deviation(),
            deviation(),
            list(
                (1000u32..99999, 1000u32..9999)
                    .prop_map(|(n, y)| format!("CVE-{}-{n}", 1000 + y % 9000)),
            ),
            list(line()),
            prop::collection::vec(
                (
                    prop::option::of(prop::sample::select(vec![
                        "Scan Report",
                        "Deviation Request",
                        "Evidence",
                    ])),
                    line(),
                ),
                0..3,
            ),
            prop::option::of(line()),
        );
        (text_fields, dates, plan, extras).prop_map(move |(t, d, p, e)| {
            let mut item = Map::new();
            let mut put = |key: &str, value: Option<Value>| {
                if let Some(v) = value {
                    item.insert(key.to_owned(), v);
                }
            };
            let (
                title,
                description,
                controls,
                detector,
                detector_id,
                assets,
                owner,
                resources,
                remediation,
            ) = t;
            put("id", Some(json!(format!("V-{}", index + 1))));
            put("title", Some(json!(title)));
            put("description", description.map(|v| json!(v)));
            put("controls", controls.map(|v| json!(v)));
            put("detector", detector.map(|v| json!(v)));
            put("detector_id", detector_id.map(|v| json!(v)));
            put("assets", assets.map(|v| json!(v)));
            put("owner", owner.map(|v| json!(v)));
            put("resources", resources.map(|v| json!(v)));
            put("remediation", remediation.map(|v| json!(v)));
            let (detected, due, risk, status_date, kev_due, closed) = d;
            put("detected", detected.map(|v| json!(v)));
            put("due", due.map(|v| json!(v)));
            put("risk", risk.map(|v| json!(v)));
            let (milestones, changes) = p;
            if !milestones.is_empty() {
                let list: Vec<Value> = milestones
                    .iter()
                    .enumerate()
                    .map(|(i, (date, description))| {
                        let mut m = json!({"id": i + 1, "date": date});
                        if let Some(d) = description {
                            m["description"] = json!(d);
                        }
                        m
                    })
                    .collect();
                put("milestones", Some(json!(list)));
            }
            if !changes.is_empty() {
                let list: Vec<Value> = changes
                    .iter()
                    .map(|(milestone, kind, date, description)| {
                        let mut c = json!({"milestone": milestone, "kind": kind, "date": date});
                        if let Some(d) = description {
                            c["description"] = json!(d);
                        }
                        c
                    })
                    .collect();
                put("milestone_changes", Some(json!(list)));
            }
            put(
                "status",
                Some(json!(if closed { "closed" } else { "open" })),
            );
            put("status_date", status_date.clone().map(|v| json!(v)));
            let (
                vendor,
                adjustment,
                false_positive,
                operational,
                cves,
                services,
                documents,
                comments,
            ) = e;
            if let Some((product, checkin)) = vendor {
                let mut v = Map::new();
                if let Some(p) = product {
                    v.insert("product".into(), json!(p));
                }
                if let Some(c) = checkin {
                    v.insert("last_checkin".into(), json!(c));
                }
                put("vendor_dependency", Some(Value::Object(v)));
            }
            let mut deviations = Map::new();
            if let Some((status, adjusted, rationale, auto)) = adjustment {
                let mut ra = Map::new();
                ra.insert("status".into(), json!(status));
                if let Some(r) = adjusted {
                    ra.insert("adjusted_risk".into(), json!(r));
                }
                let rationale = match (status, rationale) {
                    ("rejected", None) => Some("Denied by the AO".to_owned()),
                    (_, r) => r,
                };
                if let Some(r) = rationale {
                    ra.insert("rationale".into(), json!(r));
                }
                if let Some(a) = auto {
                    ra.insert("auto_approved".into(), json!(a));
                }
                deviations.insert("risk_adjustment".into(), Value::Object(ra));
            }
            if let Some(fp) = false_positive {
                deviations.insert("false_positive".into(), Value::Object(fp));
            }
            if let Some(or) = operational {
                deviations.insert("operational_requirement".into(), Value::Object(or));
            }
            if !deviations.is_empty() {
                put("deviations", Some(Value::Object(deviations)));
            }
            put("kev_due", kev_due.map(|v| json!(v)));
            put("cves", cves.map(|v| json!(v)));
            put("services", services.map(|v| json!(v)));
            if !documents.is_empty() {
                let list: Vec<Value> = documents
                    .iter()
                    .map(|(kind, name)| match kind {
                        Some(k) => json!({"type": k, "name": name}),
                        None => json!({"name": name}),
                    })
                    .collect();
                put("documents", Some(json!(list)));
            }
            put("comments", comments.map(|v| json!(v)));
            if closed {
                let mut c = Map::new();
                if let Some(d) = &status_date {
                    c.insert("date".into(), json!(d));
                }
                c.insert("evidence".into(), json!("Rescan clean"));
                put("closed", Some(Value::Object(c)));
            }
            Value::Object(item)
        })
    }

    fn items() -> impl Strategy<Value = Vec<Value>> {
        (1usize..5).prop_flat_map(|n| (0..n).map(item).collect::<Vec<_>>())
    }

    pub fn field_json(value: &NewValue) -> Value {
        value.to_json()
    }

    /// The views of items given as data (YAML is a superset of JSON: the item file is its JSON).
    fn views(items: &[Value], today: NaiveDate) -> Vec<poam::view::ItemView> {
        let policy = poam::config::Config::for_items_dir(std::path::Path::new(".")).policy;
        items
            .iter()
            .map(|value| {
                let text = value.to_string();
                let node = poam::parse::parse_str(&text).expect("generated item parses");
                assert_eq!(node.to_json(), *value, "the parser reads the JSON back");
                let item = poam::model::item::Item::from_node(&node, &text);
                assert!(item.problems.is_empty(), "{:?}\n{text}", item.problems);
                let assessment = poam::policy::assess(&item, &policy, today, None);
                poam::profiles::of(policy.profile).view("item.yaml", &item, &assessment, &policy)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        #[test]
        fn import_of_export_gives_the_items_back(items in items()) {
            let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
            let views = views(&items, today);
            let block = HeaderBlock {
                csp: "CSP".into(),
                system_name: "System".into(),
                impact: "Moderate".into(),
                poam_date: today,
                marker: None,
            };
            let profile = poam::profiles::of(poam::policy::Profile::default());
            let bytes = xlsx::workbook(&views, &block, profile).expect("export");
            let temp = tempfile::tempdir().expect("temp");
            let path = temp.path().join("poam.xlsx");
            std::fs::write(&path, bytes).expect("write");
            let imported = read(&path, ImportOptions::default()).expect("import");
            prop_assert!(imported.problems.is_empty(), "{:?}", imported.problems);
            let back: BTreeMap<String, Value> = imported
                .rows
                .iter()
                .map(|row| {
                    // Through the item editor's rendering of a new file, and back.
                    let text = poam::edit::render_new_item(&row.fields);
                    let node = poam::parse::parse_str(&text).expect("a new item parses");
                    let item = poam::model::item::Item::from_node(&node, &text);
                    assert!(item.problems.is_empty(), "{:?}\n{text}", item.problems);
                    (row.id.clone(), node.to_json())
                })
                .collect();
            let expected: BTreeMap<String, Value> = items
                .iter()
                .map(|item| (item["id"].as_str().expect("id").to_owned(), item.clone()))
                .collect();
            prop_assert_eq!(back, expected);
        }
    }
}

// ----- import -----

mod import {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    use serde_json::json;

    use poam::edit::NewValue;
    use poam::fedramp_template::COLUMNS;
    use poam::import::xlsx::{read, ImportOptions, RowProblem};

    use super::round_trip::field_json;
    use super::template_path;

    #[test]
    fn the_template_imports_nothing_unless_its_example_is_asked_for() {
        let plain = read(&template_path(), ImportOptions::default()).expect("import");
        assert_eq!(plain.rows, []);
        assert_eq!(plain.problems, []);

        let with_example = read(
            &template_path(),
            ImportOptions {
                include_example: true,
            },
        )
        .expect("import");
        assert_eq!(with_example.problems, []);
        let [row] = with_example.rows.as_slice() else {
            panic!("one row: {:?}", with_example.rows);
        };
        assert_eq!(
            (row.sheet, row.row, row.id.as_str()),
            ("Open POA&M Items", 8, "V-1Example")
        );
        assert_eq!(
            field_json(&NewValue::Map(row.fields.clone())),
            json!({
                "id": "V-1Example",
                "title": "Open port on Example Firewall",
                "description": "Unprovisioned port left open on example firewall",
                "controls": ["AC-1"],
                "detector": "Nessus",
                "detector_id": "12345",
                "assets": ["172.246.15.3 (80/TCP)", "http://vuln.gov/queries", "172.246.16.17 (80/tcp)"],
                "owner": "John Doe -  Example CSP",
                "remediation": "Implement a technical solution to the problem.",
                "detected": "2014-05-05",
                "due": "2014-08-03",
                "risk": "high",
                "milestones": [
                    {"id": 1, "date": "2014-05-23", "description": "Milestone Description"},
                    {"id": 2, "date": "2014-06-12", "description": "Milestone Description"}
                ],
                "milestone_changes": [
                    {"milestone": 2, "kind": "update", "date": "2014-06-18",
                     "description": "That milestone was delayed due to a Vendor Dependency"},
                    {"milestone": 3, "kind": "new", "date": "2014-06-13",
                     "description": "This is the details of this new milestone"}
                ],
                "status": "open",
                "status_date": "2014-08-05",
                "vendor_dependency": {"product": "Example Firewall", "last_checkin": "2014-08-05"},
                "deviations": {
                    "risk_adjustment": {
                        "status": "approved",
                        "adjusted_risk": "moderate",
                        "rationale": "The example firewall scanned is just preliminary",
                        "auto_approved": false
                    },
                    "operational_requirement": {
                        "status": "pending",
                        "rationale": "The port is needed for service example."
                    }
                },
                "kev_due": "2021-08-05",
                "cves": ["CVE-1234-1234"],
                "services": ["Flux Capacitor", "Fire Bolt", "Clean Sweep", "Aeromancer"],
                "documents": [
                    {"type": "Remediation Evidence", "name": "filename.doc"},
                    {"type": "Deviation Request", "name": "DR-123-Example-1.doc"}
                ],
                "comments": "none"
            })
        );
    }

    /// A workbook laid out by hand: header in row 3 instead of 5, an extra column inserted
    /// before the template's, and rows good and bad.
    pub fn hand_made(path: &std::path::Path) {
        let mut workbook = Workbook::new();
        let date_format = Format::new().set_num_format("mm/dd/yyyy");
        let sheet = workbook.add_worksheet();
        sheet.set_name("Open POA&M Items").expect("name");
        sheet.write_string(0, 0, "Our POA&M").expect("write");
        sheet.write_string(2, 0, "Internal Ref").expect("write");
        for (i, column) in COLUMNS.iter().enumerate() {
            let c = u16::try_from(i + 1).expect("column");
            sheet.write_string(2, c, column.header).expect("write");
        }
        // Columns shift by one: B is POAM ID, L is detection date, T is the rating.
        let row = |sheet: &mut rust_xlsxwriter::Worksheet, r: u32, cells: &[(u16, &str)]| {
            for (c, text) in cells {
                sheet.write_string(r, *c, *text).expect("write");
            }
        };
        // Row 4: good, with an Excel date and lowercase critical.
        row(
            sheet,
            3,
            &[
                (0, "x-1"),
                (1, "V-10"),
                (3, "Weak TLS"),
                (19, "critical"),
                (7, "db-1\n\ndb-2\n"),
            ],
        );
        sheet
            .write_datetime_with_format(
                3,
                11,
                ExcelDateTime::from_ymd(2026, 3, 4).expect("date"),
                &date_format,
            )
            .expect("write");
        // Row 5: a date that is not one, and a rating that is not one.
        row(sheet, 4, &[(1, "V-11"), (11, "next week"), (19, "Severe")]);
        // Row 6: data but no id.
        row(sheet, 5, &[(3, "Orphan finding")]);
        // Row 7: blank. Row 8: text date forms and a serial number in a plain cell.
        row(
            sheet,
            7,
            &[(1, "V-12"), (11, "03/04/2026"), (12, "2026/06/02")],
        );
        sheet.write_number(7, 15, 46_100.0).expect("write");
        let closed = workbook.add_worksheet();
        closed.set_name("Closed POA&M Items").expect("name");
        for (i, column) in COLUMNS.iter().enumerate() {
            let c = u16::try_from(i).expect("column");
            closed.write_string(4, c, column.header).expect("write");
        }
        row(
            closed,
            5,
            &[
                (0, "V-20"),
                (14, "2026-02-01"),
                (24, "Closure Evidence : CHG-7"),
                (18, "HIGH"),
            ],
        );
        workbook.save(path).expect("save");
    }

    #[test]
    fn headers_are_found_by_text_and_bad_rows_are_reported_with_their_place() {
        let temp = tempfile::tempdir().expect("temp");
        let path = temp.path().join("hand.xlsx");
        hand_made(&path);
        let imported = read(&path, ImportOptions::default()).expect("import");
        let ids: Vec<(&str, u32, &str)> = imported
            .rows
            .iter()
            .map(|r| (r.sheet, r.row, r.id.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("Open POA&M Items", 4, "V-10"),
                ("Open POA&M Items", 8, "V-12"),
                ("Closed POA&M Items", 6, "V-20"),
            ]
        );
        let problems: Vec<String> = imported
            .problems
            .iter()
            .map(RowProblem::to_string)
            .collect();
        assert_eq!(
            problems,
            [
                "Open POA&M Items, row 5, column L (Original Detection Date): `next week` is not a date (write YYYY-MM-DD, MM/DD/YYYY or an Excel date)",
                "Open POA&M Items, row 5, column T (Original Risk Rating): `Severe` is not a rating (Low, Moderate, High or Critical)",
                "Open POA&M Items, row 6, column B (POAM ID): the row has data but no POAM ID",
            ]
        );
        let fields = |i: usize| field_json(&NewValue::Map(imported.rows[i].fields.clone()));
        let first = fields(0);
        assert_eq!(first["risk"], "critical");
        assert_eq!(first["detected"], "2026-03-04");
        assert_eq!(first["assets"], json!(["db-1", "db-2"]));
        let second = fields(1);
        assert_eq!(second["detected"], "2026-03-04");
        assert_eq!(second["due"], "2026-06-02");
        // Serial 46100 in a cell without a date format.
        assert_eq!(second["status_date"], "2026-03-19");
        let closed = fields(2);
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["risk"], "high");
        assert_eq!(
            closed["closed"],
            json!({"date": "2026-02-01", "evidence": "CHG-7"})
        );
        assert_eq!(closed.get("documents"), None);
    }

    #[test]
    fn a_file_that_is_not_a_template_is_an_error() {
        let temp = tempfile::tempdir().expect("temp");
        let path = temp.path().join("other.xlsx");
        let mut workbook = Workbook::new();
        workbook
            .add_worksheet()
            .write_string(0, 0, "hello")
            .expect("write");
        workbook.save(&path).expect("save");
        let error = read(&path, ImportOptions::default()).expect_err("not a template");
        assert!(
            error.to_string().contains("sheets found: Sheet1"),
            "{error}"
        );
        let missing =
            read(&temp.path().join("nope.xlsx"), ImportOptions::default()).expect_err("missing");
        assert!(missing.to_string().starts_with("cannot read"), "{missing}");
    }
}

// ----- the commands -----

mod commands {
    use std::path::Path;

    use crate::common::{copy_dir, poam, TODAY};

    use super::{demo_dir, template_path};

    /// A repository with `poam.yaml` (items in `poams/`) and no items.
    fn empty_repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::create_dir(dir.path().join("poams")).expect("mkdir");
        std::fs::write(
            dir.path().join("poam.yaml"),
            "system: {csp: Example, name: Example SaaS, impact: high}\nitems: poams\n",
        )
        .expect("write");
        dir
    }

    fn run(dir: &Path, args: &[&str]) -> (i32, String) {
        let output = poam()
            .current_dir(dir)
            .args(args)
            .args(["--today", TODAY])
            .output()
            .expect("run poam");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    /// `poam lint --format short`, without the file and line of each finding.
    fn findings(dir: &Path) -> Vec<String> {
        let output = poam()
            .current_dir(dir)
            .args([
                "lint",
                "--no-history",
                "--format",
                "short",
                "--today",
                TODAY,
            ])
            .output()
            .expect("run poam");
        let mut lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| {
                let file = line.split(':').next().unwrap_or_default();
                let rest = line.splitn(4, ':').nth(3).unwrap_or_default();
                let name = Path::new(file)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                format!("{}:{rest}", name.unwrap_or_default())
            })
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn the_template_example_imports_into_items_that_lint_only_for_their_dates() {
        let repo = empty_repo();
        let template = template_path();
        let template = template.to_str().expect("utf-8 path");
        let (code, stderr) = run(repo.path(), &["import", "xlsx", template]);
        assert_eq!(
            (code, stderr.as_str()),
            (0, "0 item files created in `poams`; 0 rows skipped\n")
        );
        let (code, stderr) = run(
            repo.path(),
            &["import", "xlsx", template, "--include-example"],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(repo.path().join("poams/V-1Example.yaml").is_file());
        let codes: Vec<String> = findings(repo.path())
            .iter()
            .filter_map(|f| f.split('[').nth(1)?.split(']').next().map(str::to_owned))
            .collect();
        // A 2014 example is overdue and stale, and that is all.
        assert!(!codes.is_empty());
        for code in &codes {
            assert!(
                [
                    "overdue",
                    "milestone-overdue",
                    "status-stale",
                    "vendor-checkin-stale"
                ]
                .contains(&code.as_str()),
                "{codes:?}"
            );
        }
    }

    #[test]
    fn the_demo_exported_and_imported_lints_exactly_as_the_demo() {
        let repo = empty_repo();
        std::fs::copy(demo_dir().join("poam.yaml"), repo.path().join("poam.yaml")).expect("copy");
        std::fs::copy(demo_dir().join("kev.json"), repo.path().join("kev.json")).expect("copy");
        std::fs::copy(
            demo_dir().join("people.yaml"),
            repo.path().join("people.yaml"),
        )
        .expect("copy");
        let workbook = repo.path().join("demo.xlsx");
        let output = poam()
            .current_dir(demo_dir())
            .args(["export", "xlsx", "-o"])
            .arg(&workbook)
            .args(["--today", TODAY])
            .output()
            .expect("run poam");
        assert!(output.status.success());
        let (code, stderr) = run(repo.path(), &["import", "xlsx", "demo.xlsx"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.starts_with("10 item files created"), "{stderr}");
        let demo = tempfile::tempdir().expect("temp");
        copy_dir(&demo_dir(), demo.path());
        // The workbook holds control ids as NIST writes them, so the demo's one
        // non-canonical spelling (`control-spelling`) does not come back.
        let mut expected = findings(demo.path());
        let before = expected.len();
        expected.retain(|f| !f.contains("[control-spelling]"));
        assert_eq!(expected.len(), before - 1);
        assert_eq!(findings(repo.path()), expected);
    }

    #[test]
    fn exit_codes_skipped_rows_existing_files_and_force() {
        let repo = empty_repo();
        let workbook = repo.path().join("in.xlsx");
        super::import::hand_made(&workbook);
        let (code, stderr) = run(repo.path(), &["import", "xlsx", "in.xlsx", "--into", "out"]);
        assert_eq!(code, 1, "{stderr}");
        assert_eq!(
            stderr,
            "skipped: Open POA&M Items, row 5, column L (Original Detection Date): `next week` is not a date (write YYYY-MM-DD, MM/DD/YYYY or an Excel date)\n\
             skipped: Open POA&M Items, row 5, column T (Original Risk Rating): `Severe` is not a rating (Low, Moderate, High or Critical)\n\
             skipped: Open POA&M Items, row 6, column B (POAM ID): the row has data but no POAM ID\n\
             3 item files created in `out`; 3 rows skipped\n"
        );
        let first = std::fs::read_to_string(repo.path().join("out/V-10.yaml")).expect("written");
        // Again: the files exist and are left alone.
        let (code, stderr) = run(
            repo.path(),
            &["-q", "import", "xlsx", "in.xlsx", "--into", "out"],
        );
        assert_eq!(code, 1);
        assert!(stderr.contains("skipped: Open POA&M Items, row 4: `out/V-10.yaml` exists; nothing was written (pass --force to overwrite it)"), "{stderr}");
        // With --force, an edited file is brought back to the workbook's values, keeping its comment.
        let edited = first.replace(
            "title: Weak TLS",
            "# checked by Ann\ntitle: Weaker TLS\nextra: 1",
        );
        std::fs::write(repo.path().join("out/V-10.yaml"), &edited).expect("write");
        let (code, stderr) = run(
            repo.path(),
            &["import", "xlsx", "in.xlsx", "--into", "out", "--force"],
        );
        assert_eq!(code, 1, "the bad rows are still bad: {stderr}");
        assert!(
            stderr.ends_with("0 item files created, 3 replaced in `out`; 3 rows skipped\n"),
            "{stderr}"
        );
        let replaced = std::fs::read_to_string(repo.path().join("out/V-10.yaml")).expect("read");
        assert!(
            replaced.contains("# checked by Ann\ntitle: Weak TLS\n"),
            "{replaced}"
        );
        let data = |text: &str| poam::parse::parse_str(text).expect("parses").to_json();
        assert_eq!(data(&replaced), data(&first));
        // Not a workbook at all: a tool failure.
        std::fs::write(repo.path().join("bad.xlsx"), "not a zip").expect("write");
        let (code, stderr) = run(repo.path(), &["import", "xlsx", "bad.xlsx"]);
        assert_eq!(code, 2);
        assert!(
            stderr.starts_with("error: cannot read `bad.xlsx`"),
            "{stderr}"
        );
    }
}
