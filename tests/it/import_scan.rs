//! `poam import scan`: every real sample imports as the expected items; a re-scan reconciles
//! to exactly the expected fixed and not-scanned items; what people wrote survives; a second
//! import changes nothing; written items lint clean apart from the data's own problems; bad
//! files give located skips, never a panic.

use std::path::Path;

use poam::config::Config;
use poam::model::item::Risk;
use poam::workspace::Workspace;

use crate::common::{fixtures, poam};

/// A repository with `poam.yaml` (plus `config`) and an empty `poams/`.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("poams")).expect("poams");
    std::fs::write(
        dir.path().join("poam.yaml"),
        format!("system: {{name: Test}}\n{config}"),
    )
    .expect("poam.yaml");
    dir
}

/// Copies a sample into `<dir>/scans/` and returns the relative path to pass.
fn add_scan(dir: &Path, relative: &str) -> String {
    let bytes = std::fs::read(fixtures().join("scans").join(relative)).expect("sample");
    add_scan_bytes(dir, relative, &bytes)
}

fn add_scan_bytes(dir: &Path, relative: &str, bytes: &[u8]) -> String {
    let target = dir.join("scans").join(relative);
    std::fs::create_dir_all(target.parent().expect("parent")).expect("scans dir");
    std::fs::write(&target, bytes).expect("write scan");
    format!("scans/{relative}")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn import(dir: &Path, today: &str, args: &[&str]) -> Run {
    let out = poam()
        .current_dir(dir)
        .args(["--today", today, "import", "scan"])
        .args(args)
        .output()
        .expect("poam runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

/// The `detector_id`s of one outcome list of the JSON report, sorted.
fn detector_ids(report: &serde_json::Value, outcome: &str) -> Vec<String> {
    let mut ids: Vec<String> = report[outcome]
        .as_array()
        .unwrap_or_else(|| panic!("no `{outcome}` in {report}"))
        .iter()
        .map(|e| e["detector_id"].as_str().expect("detector_id").to_owned())
        .collect();
    ids.sort();
    ids
}

fn workspace(dir: &Path) -> Workspace {
    Workspace::open(Config::load(&dir.join("poam.yaml")).expect("config")).expect("workspace")
}

/// Items per risk: critical, high, moderate, low, unrated.
fn risks(dir: &Path) -> [usize; 5] {
    let mut counts = [0; 5];
    for (_, item) in workspace(dir).parsed() {
        let slot = match item.risk.as_ref().map(|r| r.value) {
            Some(Risk::Critical) => 0,
            Some(Risk::High) => 1,
            Some(Risk::Moderate) => 2,
            Some(Risk::Low) => 3,
            None => 4,
        };
        counts[slot] += 1;
    }
    counts
}

/// Every sample, its item count and its items per risk (critical, high, moderate, low,
/// unrated), as counted for the parser tests in `scan.rs`.
const SAMPLES: &[(&str, usize, [usize; 5])] = &[
    (
        "nessus/defectdojo_nessus_with_cvssv3.trimmed.nessus",
        25,
        [1, 11, 12, 1, 0],
    ),
    (
        "nessus/mitre-saf_sample_3hosts.trimmed.nessus",
        8,
        [1, 1, 4, 2, 0],
    ),
    ("nessus/ruby-nessus_example_v2.nessus", 4, [0, 0, 3, 1, 0]),
    ("tenable-csv/nessus-pro_all-columns.csv", 1, [0, 0, 1, 0, 0]),
    (
        "tenable-csv/nessus-pro_default-columns.csv",
        1,
        [0, 0, 1, 0, 0],
    ),
    ("tenable-csv/tenable-sc_export.csv", 4, [0, 1, 3, 0, 0]),
    ("tenable-csv/tenable-vm_export.csv", 7, [0, 3, 4, 0, 0]),
    ("trivy/trivy_alpine-310.json", 2, [0, 0, 2, 0, 0]),
    ("trivy/trivy_debian-all-statuses.json", 7, [1, 4, 0, 2, 0]),
    ("trivy/trivy_spring4shell-jre8.json", 1, [1, 0, 0, 0, 0]),
    (
        "grype/grype-0.75.0_ubuntu-fix-available.json",
        1,
        [0, 1, 0, 0, 0],
    ),
    ("grype/grype-0.79.3_amazonlinux2.json", 16, [2, 6, 4, 1, 3]),
    ("sarif/grype-0.34.7_cxf-3.4.6.sarif", 22, [1, 11, 4, 6, 0]),
    ("sarif/semgrep-1.69.0.sarif", 17, [6, 1, 10, 0, 0]),
    ("sarif/trivy_alpine-310.sarif", 2, [0, 0, 2, 0, 0]),
    ("qualys/qualys_vm_detections.csv", 3, [1, 2, 0, 0, 0]),
    ("zap/zap-2.10.0_bodgeit_scan1.xml", 11, [0, 4, 3, 4, 0]),
    ("zap/zap-2.10.0_bodgeit_scan2.xml", 13, [0, 4, 3, 6, 0]),
    (
        "zap/zap-2.7.0_zero-webappsecurity.json",
        10,
        [0, 5, 2, 3, 0],
    ),
];

const TODAY: &str = "2026-11-25";

#[test]
fn every_sample_imports_as_the_expected_items() {
    for (sample, items, expected_risks) in SAMPLES {
        let dir = repo("");
        let file = add_scan(dir.path(), sample);
        let dry = import(dir.path(), TODAY, &[&file, "--report", "json"]);
        let written = import(dir.path(), TODAY, &[&file, "--write", "--report", "json"]);
        assert_eq!(written.code, 0, "{sample}: {}", written.stderr);
        assert_eq!(
            dry.stdout, written.stdout,
            "{sample}: dry run and write differ"
        );
        let report = json(&written);
        assert_eq!(
            report["created"].as_array().map(Vec::len),
            Some(*items),
            "{sample}"
        );
        assert_eq!(risks(dir.path()), *expected_risks, "{sample}");
        let name = sample.replace(['/', '.'], "_");
        insta::assert_snapshot!(format!("import_{name}"), written.stdout);
    }
}

/// The mitre-saf sample: 10.0.0.1 has plugins 33850, 104743, 57582, 51192 (443), 153953 and
/// 10663; 10.0.0.3 has 156888, 154345 and 51192 (8834); 10.0.0.2 is clean.
const THREE_HOSTS: &str = "nessus/mitre-saf_sample_3hosts.trimmed.nessus";

fn three_hosts() -> String {
    std::fs::read_to_string(fixtures().join("scans").join(THREE_HOSTS)).expect("sample")
}

/// `text` without the element that starts at the last `<open` before `marker` and ends at the
/// first `</close>` after it.
fn without_element(text: &str, marker: &str, open: &str, close: &str) -> String {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} not found"));
    let start = text[..at + open.len()].rfind(open).expect("element start");
    let end_tag = format!("</{close}>");
    let end = at + text[at..].find(&end_tag).expect("element end") + end_tag.len();
    format!("{}{}", &text[..start], &text[end..])
}

/// The sample with plugin 57582 gone from 10.0.0.1 (a fix) and host 10.0.0.3 missing.
fn trimmed_rescan() -> String {
    let text = three_hosts();
    let text = without_element(&text, "pluginID=\"57582\"", "<ReportItem", "ReportItem");
    without_element(
        &text,
        "<ReportHost name=\"10.0.0.3\">",
        "<ReportHost",
        "ReportHost",
    )
}

#[test]
fn a_rescan_reconciles_to_the_expected_fixed_and_not_scanned_items() {
    let dir = repo("");
    let first = add_scan(dir.path(), THREE_HOSTS);
    assert_eq!(import(dir.path(), TODAY, &[&first, "--write"]).code, 0);
    let rescan = add_scan_bytes(dir.path(), "rescan.nessus", trimmed_rescan().as_bytes());

    let human = import(dir.path(), TODAY, &[&rescan]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    insta::assert_snapshot!("rescan_dry_run_human", human.stdout);
    let report = json(&import(dir.path(), TODAY, &[&rescan, "--report", "json"]));
    assert_eq!(detector_ids(&report, "fixed"), ["57582"]);
    assert_eq!(detector_ids(&report, "not_scanned"), ["154345", "156888"]);
    assert_eq!(
        detector_ids(&report, "unchanged"),
        ["104743", "10663", "153953", "33850", "51192"]
    );
    assert_eq!(detector_ids(&report, "created"), Vec::<String>::new());
    assert_eq!(detector_ids(&report, "updated"), Vec::<String>::new());
    assert_eq!(
        report["fixed"][0]["assets"],
        serde_json::json!(["10.0.0.1 (443/TCP)"])
    );
    assert_eq!(report["not_scanned"][0]["assets"][0], "10.0.0.3");
    assert_eq!(
        report["scans"][0]["assets_scanned"],
        serde_json::json!(["10.0.0.1", "10.0.0.2"])
    );

    // Without --close-fixed nothing is closed; with it, the fixed item is, with its evidence.
    let run = import(dir.path(), TODAY, &[&rescan, "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("--close-fixed"), "{}", run.stdout);
    let fixed_path = report["fixed"][0]["path"]
        .as_str()
        .expect("path")
        .to_owned();
    let before = std::fs::read_to_string(dir.path().join(&fixed_path)).expect("item");
    assert!(before.contains("status: open"));
    let run = import(dir.path(), TODAY, &[&rescan, "--write", "--close-fixed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = std::fs::read_to_string(dir.path().join(&fixed_path)).expect("item");
    insta::assert_snapshot!("closed_by_rescan", after);
    assert!(after.contains("status: closed"), "{after}");
    // Closed, it is no longer reported; the items on the missing host stay open.
    let again = json(&import(dir.path(), TODAY, &[&rescan, "--report", "json"]));
    assert_eq!(detector_ids(&again, "fixed"), Vec::<String>::new());
    assert_eq!(detector_ids(&again, "not_scanned"), ["154345", "156888"]);
}

#[test]
fn edited_owner_and_remediation_survive_a_reimport_that_adds_assets() {
    let dir = repo("");
    // First the scan without 10.0.0.3: plugin 51192 is on 10.0.0.1 only.
    let partial = add_scan_bytes(
        dir.path(),
        "partial.nessus",
        without_element(
            &three_hosts(),
            "<ReportHost name=\"10.0.0.3\">",
            "<ReportHost",
            "ReportHost",
        )
        .as_bytes(),
    );
    assert_eq!(import(dir.path(), TODAY, &[&partial, "--write"]).code, 0);
    let report = json(&import(dir.path(), TODAY, &[&partial, "--report", "json"]));
    let entry = report["unchanged"]
        .as_array()
        .expect("unchanged")
        .iter()
        .find(|e| e["detector_id"] == "51192")
        .expect("51192")
        .clone();
    let path = dir.path().join(entry["path"].as_str().expect("path"));
    let text = std::fs::read_to_string(&path).expect("item");
    let edited = text
        .replace("owner: \"\"", "owner: Jane Doe - Platform Team # on call")
        .replace(
            "remediation: Purchase or generate a proper SSL certificate for this service.",
            "remediation: Replace the certificate with one from the internal CA.",
        );
    assert_ne!(edited, text, "the test edits the owner and the remediation");
    std::fs::write(&path, &edited).expect("edit");

    let full = add_scan(dir.path(), THREE_HOSTS);
    let report = json(&import(
        dir.path(),
        TODAY,
        &[&full, "--write", "--report", "json"],
    ));
    assert_eq!(detector_ids(&report, "updated"), ["51192"]);
    assert_eq!(
        report["updated"][0]["assets"],
        serde_json::json!(["10.0.0.3 (8834/TCP)"])
    );
    let after = std::fs::read_to_string(&path).expect("item");
    assert!(
        after.contains("owner: Jane Doe - Platform Team # on call"),
        "{after}"
    );
    assert!(after.contains("remediation: Replace the certificate with one from the internal CA."));
    assert_eq!(
        after,
        edited.replace(
            "assets: [10.0.0.1 (443/TCP)]",
            "assets: [10.0.0.1 (443/TCP), 10.0.0.3 (8834/TCP)]"
        ),
        "only the new asset was added"
    );
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn importing_the_same_files_twice_changes_nothing() {
    let dir = repo("");
    git(dir.path(), &["init", "-q"]);
    let files: Vec<String> = [
        THREE_HOSTS,
        "trivy/trivy_debian-all-statuses.json",
        "zap/zap-2.10.0_bodgeit_scan1.xml",
        "sarif/semgrep-1.69.0.sarif",
    ]
    .iter()
    .map(|s| add_scan(dir.path(), s))
    .collect();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.push("--write");
    assert_eq!(import(dir.path(), TODAY, &args).code, 0);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "import"]);
    let second = import(dir.path(), TODAY, &args);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stdout.contains("Nothing written"),
        "{}",
        second.stdout
    );
    assert_eq!(git(dir.path(), &["status", "--porcelain"]), "");
}

/// Codes a freshly imported item may get from `poam lint`, when the scan itself lacks the
/// data (no rating, no solution, no description), is old (overdue by now) or carries control
/// characters (the Grype sample's Java version holds a NUL, kept as the scanner wrote it).
const DATA_PROBLEMS: &[&str] = &[
    "missing-field",
    "overdue",
    "milestone-overdue",
    "due-soon",
    "control-character",
];

#[test]
fn written_items_lint_clean_apart_from_the_data() {
    for (sample, _, _) in SAMPLES {
        let dir = repo("import: {default_owner: Jane Doe - Platform Team}\n");
        let file = add_scan(dir.path(), sample);
        assert_eq!(import(dir.path(), TODAY, &[&file, "--write"]).code, 0);
        let (_, report) = crate::common::lint_json(dir.path());
        for finding in report["diagnostics"].as_array().expect("diagnostics") {
            let code = finding["code"].as_str().expect("code");
            assert!(DATA_PROBLEMS.contains(&code), "{sample}: {finding}");
            if code == "missing-field" {
                let message = finding["message"].as_str().expect("message");
                assert!(
                    ["remediation", "risk", "due", "milestones", "description"]
                        .iter()
                        .any(|f| message.contains(&format!("`{f}`"))),
                    "{sample}: {message}"
                );
            }
        }
    }
    // Imported on its scan date, a sample with every field lints without a finding.
    let dir = repo("import: {default_owner: Jane Doe - Platform Team}\n");
    let file = add_scan(dir.path(), THREE_HOSTS);
    assert_eq!(
        import(dir.path(), "2022-03-23", &[&file, "--write"]).code,
        0
    );
    let lint = poam()
        .arg("lint")
        .arg(dir.path())
        .args(["--today", "2022-03-23", "--no-history"])
        .output()
        .expect("poam runs");
    let output = String::from_utf8_lossy(&lint.stdout);
    assert_eq!(
        lint.status.code(),
        Some(0),
        "{output}{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    assert!(
        output.contains("0 errors, 0 warnings, 0 notes in 8 items"),
        "{output}"
    );
}

#[test]
fn new_items_take_the_configured_owner_controls_prefix_and_kev_dates() {
    let dir = repo(
        "import: {default_owner: Web Team, default_controls: [si-2, ra-5(2)]}\nid_prefix: POAM-\nkev_catalog: kev.json\n",
    );
    std::fs::write(
        dir.path().join("kev.json"),
        r#"{"vulnerabilities": [{"cveID": "CVE-2022-22965", "dueDate": "2022-04-25"}]}"#,
    )
    .expect("kev");
    std::fs::write(
        dir.path().join("poams/POAM-007.yaml"),
        crate::common::valid_item("POAM-007"),
    )
    .expect("item");
    let file = add_scan(dir.path(), "trivy/trivy_spring4shell-jre8.json");
    let report = json(&import(
        dir.path(),
        TODAY,
        &[&file, "--write", "--report", "json"],
    ));
    assert_eq!(report["created"][0]["id"], "POAM-008");
    let text = std::fs::read_to_string(dir.path().join("poams/POAM-008.yaml")).expect("item");
    assert!(text.contains("owner: Web Team"), "{text}");
    assert!(text.contains("controls: [SI-2, RA-5(2)]"), "{text}");
    assert!(text.contains("kev_due: 2022-04-25"), "{text}");
    assert!(
        text.contains("due: 2022-04-25"),
        "the KEV date caps the deadline: {text}"
    );
    assert!(text.contains("risk: critical"), "{text}");
}

#[test]
fn vendor_statuses_are_recorded_and_flagged() {
    let dir = repo("");
    let file = add_scan(dir.path(), "trivy/trivy_debian-all-statuses.json");
    let run = import(dir.path(), TODAY, &[&file, "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("trivy_statuses_human", run.stdout);
    let flagged: Vec<String> = workspace(dir.path())
        .parsed()
        .filter_map(|(_, item)| item.comments.as_ref().map(|c| c.value.clone()))
        .collect();
    assert!(!flagged.is_empty());
    assert!(flagged
        .iter()
        .all(|c| c.starts_with("Trivy vendor status: ")));
}

#[test]
fn a_closed_item_is_not_reopened_when_its_finding_comes_back() {
    let dir = repo("");
    let file = add_scan(dir.path(), "trivy/trivy_spring4shell-jre8.json");
    assert_eq!(import(dir.path(), TODAY, &[&file, "--write"]).code, 0);
    let path = dir.path().join("poams/V-1.yaml");
    let text = std::fs::read_to_string(&path).expect("item");
    std::fs::write(
        &path,
        text.replace(
            "status: open",
            "status: closed\nclosed: {date: 2026-11-20, evidence: Upgraded.}",
        ),
    )
    .expect("close");
    let report = json(&import(dir.path(), TODAY, &[&file, "--report", "json"]));
    assert_eq!(report["created"][0]["id"], "V-2");
    assert_eq!(report["unchanged"], serde_json::json!([]));
}

#[test]
fn bad_files_are_skipped_with_their_location_and_the_rest_imports() {
    for (sample, _, _) in SAMPLES {
        let bytes = std::fs::read(fixtures().join("scans").join(sample)).expect("sample");
        for cut in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 7] {
            let dir = repo("");
            let good = add_scan(dir.path(), THREE_HOSTS);
            let bad = add_scan_bytes(dir.path(), &format!("bad/{sample}"), &bytes[..cut]);
            let format = sample.split('/').next().expect("format folder");
            let run = import(
                dir.path(),
                TODAY,
                &[&bad, "--format", format, "--report", "json"],
            );
            assert!(
                matches!(run.code, 0 | 1),
                "{sample} cut at {cut}: {}",
                run.stderr
            );
            let report = json(&run);
            for skipped in report["skipped"].as_array().expect("skipped") {
                assert_eq!(skipped["file"], bad.as_str());
                assert!(
                    !skipped["location"].as_str().unwrap_or("").is_empty(),
                    "{skipped}"
                );
                assert!(
                    !skipped["reason"].as_str().unwrap_or("").is_empty(),
                    "{skipped}"
                );
            }
            assert_eq!(
                run.code == 1,
                !report["skipped"].as_array().expect("skipped").is_empty()
            );
            // With a good file beside it, the good one still imports.
            let both = import(dir.path(), TODAY, &[&good, &bad, "--report", "json"]);
            assert!(matches!(both.code, 0 | 1), "{sample}: {}", both.stderr);
            assert!(json(&both)["created"].as_array().expect("created").len() >= 8);
        }
    }
    // Not a scanner file at all: skipped, exit 1.
    let dir = repo("");
    let file = add_scan_bytes(dir.path(), "notes.txt", b"just some notes\n");
    let run = import(dir.path(), TODAY, &[&file, "--report", "json"]);
    assert_eq!(run.code, 1);
    insta::assert_json_snapshot!("not_a_scan", json(&run)["skipped"]);
}

#[test]
fn usage_and_io_errors_exit_2() {
    let dir = repo("");
    let missing = import(dir.path(), TODAY, &["scans/none.nessus"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("scans/none.nessus"),
        "{}",
        missing.stderr
    );
    let no_files = import(dir.path(), TODAY, &[]);
    assert_eq!(no_files.code, 2);
    let file = add_scan(dir.path(), THREE_HOSTS);
    let close_without_write = import(dir.path(), TODAY, &[&file, "--close-fixed"]);
    assert_eq!(close_without_write.code, 2);
}

#[test]
fn bad_import_settings_are_located_config_errors() {
    let dir =
        repo("import: {default_ownr: Ops, default_controls: [RA-5, XYZ]}\nid_prefix: \"-V\"\n");
    let file = add_scan(dir.path(), THREE_HOSTS);
    let run = import(dir.path(), TODAY, &[&file]);
    assert_eq!(run.code, 2);
    for expected in [
        "unknown key `default_ownr`",
        "did you mean `default_owner`?",
        "`XYZ` is not a control id",
        "`id_prefix` `-V` cannot start an item id",
        "poam.yaml:2:",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
}

#[test]
fn a_scan_older_than_the_item_proves_no_fix() {
    let dir = repo("");
    let first = add_scan(dir.path(), THREE_HOSTS);
    let report = json(&import(
        dir.path(),
        TODAY,
        &[&first, "--write", "--report", "json"],
    ));
    let entry = report["created"]
        .as_array()
        .expect("created")
        .iter()
        .find(|e| e["detector_id"] == "57582")
        .expect("57582")
        .clone();
    let path = dir.path().join(entry["path"].as_str().expect("path"));
    let text = std::fs::read_to_string(&path).expect("item");
    std::fs::write(
        &path,
        text.replace("detected: 2022-03-22", "detected: 2022-04-01"),
    )
    .expect("edit");
    let rescan = add_scan_bytes(dir.path(), "rescan.nessus", trimmed_rescan().as_bytes());
    let report = json(&import(dir.path(), TODAY, &[&rescan, "--report", "json"]));
    assert_eq!(detector_ids(&report, "fixed"), Vec::<String>::new());
    assert_eq!(
        detector_ids(&report, "not_scanned"),
        ["154345", "156888", "57582"]
    );
}

#[test]
fn new_ids_follow_unreadable_item_files_too() {
    let dir = repo("");
    std::fs::write(dir.path().join("poams/V-09.yaml"), "id: [unclosed\n").expect("item");
    let file = add_scan(dir.path(), "trivy/trivy_alpine-310.json");
    let run = import(dir.path(), TODAY, &[&file]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("  V-10  Trivy"), "{}", run.stdout);
    assert!(run.stdout.contains("  V-11  Trivy"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Unreadable item files") && run.stdout.contains("poams/V-09.yaml"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_added_kev_cve_brings_its_due_date_and_nothing_else_moves() {
    let dir = repo("kev_catalog: kev.json\n");
    std::fs::write(
        dir.path().join("kev.json"),
        r#"{"vulnerabilities": [{"cveID": "CVE-2022-22965", "dueDate": "2022-04-25"}]}"#,
    )
    .expect("kev");
    // A hand-written item for the finding, without its CVE.
    let item = crate::common::valid_item("V-1")
        .replace("detector: Nessus", "detector: Trivy")
        .replace("detector_id: 187315", "detector_id: CVE-2022-22965");
    std::fs::write(dir.path().join("poams/V-1.yaml"), &item).expect("item");
    let file = add_scan(dir.path(), "trivy/trivy_spring4shell-jre8.json");
    let run = import(dir.path(), TODAY, &[&file, "--write"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("kev_due 2022-04-25"), "{}", run.stdout);
    let after = std::fs::read_to_string(dir.path().join("poams/V-1.yaml")).expect("item");
    assert!(after.contains("kev_due: 2022-04-25"), "{after}");
    assert!(after.contains("cves:\n  - CVE-2022-22965\n"), "{after}");
    // The person's due date and everything else stay.
    assert!(after.contains("due: 2027-01-20"), "{after}");
    assert!(after.contains("owner: Jane Doe - Platform Team"), "{after}");
    // Debian rates it LOW; the NVD score makes the risk critical.
    assert!(after.contains("scanner_severity: LOW"), "{after}");
}

#[test]
fn scanned_targets_become_inventory_ids_and_the_rest_are_listed_unmatched() {
    let dir = repo("");
    std::fs::create_dir_all(dir.path().join("inventory")).expect("inventory");
    std::fs::write(
        dir.path().join("inventory/hosts.yaml"),
        "- id: app-01.example.internal\n  aliases: [10.0.0.1]\n- id: 10.0.0.2\n",
    )
    .expect("write");
    let scan = add_scan(dir.path(), "nessus/mitre-saf_sample_3hosts.trimmed.nessus");
    let run = import(dir.path(), "2026-11-25", &[&scan, "--report", "json"]);
    let report = json(&run);
    assert_eq!(
        report["unmatched"],
        serde_json::json!([{"file": scan, "target": "10.0.0.3"}]),
        "{report:#}"
    );
    let assets = created_assets(&report);
    assert!(
        assets
            .iter()
            .any(|a| a.starts_with("app-01.example.internal")),
        "{assets:?}"
    );
    assert!(
        !assets.iter().any(|a| a.starts_with("10.0.0.1")),
        "{assets:?}"
    );
    let human = import(dir.path(), "2026-11-25", &[&scan]);
    assert!(
        human
            .stdout
            .contains("1 scanned target no inventory asset has (add them to the inventory, or an alias):\n  10.0.0.3 ("),
        "{}",
        human.stdout
    );
}

#[test]
fn the_import_records_each_asset_in_the_latest_scan_and_adds_stubs_for_unknown_targets() {
    let dir = repo("");
    std::fs::create_dir_all(dir.path().join("inventory")).expect("inventory");
    let hosts = "# Hosts of the test system.\n\
                 - id: app-01.example.internal   # the application server\n  aliases: [10.0.0.1]\n  in_latest_scan: false\n\
                 - id: desktop-01\n  aliases: [desktop-lsfl6kc.localdomain]\n  last_scanned: 2022-01-05\n\
                 - id: db-01\n  ip: 10.0.0.9\n  last_scanned: 2022-02-01\n\
                 - id: old-01\n  retired: {date: 2021-01-01, reason: gone}\n\
                 - id: registry.example.io/api:1.0\n  kind: container\n";
    std::fs::write(dir.path().join("inventory/hosts.yaml"), hosts).expect("write");
    let scan = add_scan(dir.path(), "nessus/mitre-saf_sample_3hosts.trimmed.nessus");
    let dry = import(
        dir.path(),
        "2026-11-25",
        &[&scan, "--add-unknown-assets", "--report", "json"],
    );
    let report = json(&dry);
    // 10.0.0.3 is found by its `host-fqdn` tag (an alias of desktop-01, without case), with
    // its `Credentialed_Scan` tag; 10.0.0.2 is no asset's name.
    assert_eq!(
        report["inventory"],
        serde_json::json!({
            "scanned": [
                {"id": "app-01.example.internal", "last_scanned": "2022-03-22", "authenticated_scan": false},
                {"id": "desktop-01", "last_scanned": "2022-03-22", "authenticated_scan": true},
            ],
            "missed": ["db-01"],
            "added": [
                {"id": "10.0.0.2", "last_scanned": "2022-03-22", "authenticated_scan": false, "kind": "infrastructure"},
            ],
            "added_to": "inventory/added-by-scan.yaml",
        }),
        "{report:#}"
    );
    assert_eq!(
        report["unmatched"],
        serde_json::json!([{"file": scan, "target": "10.0.0.2"}])
    );
    // The dry run wrote nothing.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("inventory/hosts.yaml")).expect("read"),
        hosts
    );
    assert!(!dir.path().join("inventory/added-by-scan.yaml").exists());

    let run = import(
        dir.path(),
        "2026-11-25",
        &[&scan, "--add-unknown-assets", "--write"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("Inventory: 2 assets in the latest scan, 1 not (set `in_latest_scan`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "Added 1 stub asset to inventory/added-by-scan.yaml (complete their fields):\n  10.0.0.2\n"
        ),
        "{}",
        run.stdout
    );
    // Only the values are added or changed: comments and layout stay; the retired asset and
    // the container (no container scan was imported) are left alone.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("inventory/hosts.yaml")).expect("read"),
        "# Hosts of the test system.\n\
         - id: app-01.example.internal   # the application server\n  aliases: [10.0.0.1]\n  in_latest_scan: true\n  last_scanned: 2022-03-22\n  authenticated_scan: false\n\
         - id: desktop-01\n  aliases: [desktop-lsfl6kc.localdomain]\n  last_scanned: 2022-03-22\n  in_latest_scan: true\n  authenticated_scan: true\n\
         - id: db-01\n  ip: 10.0.0.9\n  last_scanned: 2022-02-01\n  in_latest_scan: false\n\
         - id: old-01\n  retired: {date: 2021-01-01, reason: gone}\n\
         - id: registry.example.io/api:1.0\n  kind: container\n"
    );
    let stubs =
        std::fs::read_to_string(dir.path().join("inventory/added-by-scan.yaml")).expect("stubs");
    assert!(
        stubs.contains(&format!(
            "- id: 10.0.0.2\n  kind: infrastructure\n  ip: [10.0.0.2]\n  dns: splunk.cmoo.rs\n  aliases: [splunk.cmoo.rs]\n  authenticated_scan: false\n  in_latest_scan: true\n  last_scanned: 2022-03-22\n  comments: added from {scan}\n"
        )),
        "{stubs}"
    );
    // Items name the assets by their ids, the stub's too.
    let items: String = std::fs::read_dir(dir.path().join("poams"))
        .expect("poams")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("item"))
        .collect();
    assert!(items.contains("desktop-01 ("), "{items}");
    assert!(!items.contains("10.0.0.3"), "{items}");

    // Lint now has real data: the missed asset is reported, the scanned ones are not (a month
    // after the scan); the stub is found, and lacks the IIW's mandatory fields.
    let lint = poam()
        .current_dir(dir.path())
        .args(["--today", "2022-04-01", "lint", "--format", "json"])
        .output()
        .expect("lint");
    let findings: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("json");
    let of = |code: &str| -> Vec<String> {
        findings["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|f| f["code"] == code)
            .map(|f| f["message"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    let not_scanned = of("inventory-not-scanned");
    assert_eq!(not_scanned.len(), 1, "{not_scanned:?}");
    assert!(not_scanned[0].contains("`db-01`"), "{not_scanned:?}");
    assert!(of("asset-unknown").is_empty(), "{:?}", of("asset-unknown"));
    assert!(of("inventory-missing-field")
        .iter()
        .any(|m| m.contains("`10.0.0.2`")));

    // A second import changes nothing.
    let before = (
        std::fs::read(dir.path().join("inventory/hosts.yaml")).expect("read"),
        std::fs::read(dir.path().join("inventory/added-by-scan.yaml")).expect("read"),
    );
    let again = import(
        dir.path(),
        "2026-11-25",
        &[&scan, "--add-unknown-assets", "--write", "--report", "json"],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(json(&again)["unmatched"].is_null(), "{}", again.stdout);
    let after = (
        std::fs::read(dir.path().join("inventory/hosts.yaml")).expect("read"),
        std::fs::read(dir.path().join("inventory/added-by-scan.yaml")).expect("read"),
    );
    assert!(before == after, "the second import changed the inventory");
}

#[test]
fn tenable_and_qualys_csv_hosts_are_found_by_their_ip_dns_and_netbios_columns() {
    let dir = repo("");
    std::fs::create_dir_all(dir.path().join("inventory")).expect("inventory");
    // Each asset is known by a name the scanner did not use as the host: Tenable VM's
    // `IP Address`, Tenable.sc's `IP Address`, Nessus Pro's `Host`, Qualys' `NetBIOS` and
    // `DNS`.
    let hosts = "- id: vm-01\n  aliases: [127.0.0.1]\n\
                 - id: sc-01\n  aliases: [10.1.1.1]\n\
                 - id: edge-01\n  aliases: [52.208.101.182]\n  authenticated_scan: true\n\
                 - id: agent-180\n  aliases: [EC2AMAZ-IU0C43L]\n\
                 - id: agent-151\n  aliases: [ip-10-98-57-151.eu-west-1.compute.internal]\n  authenticated_scan: true\n\
                 - id: db-01\n";
    std::fs::write(dir.path().join("inventory/hosts.yaml"), hosts).expect("write");
    let scans = [
        add_scan(dir.path(), "tenable-csv/tenable-vm_export.csv"),
        add_scan(dir.path(), "tenable-csv/tenable-sc_export.csv"),
        add_scan(dir.path(), "tenable-csv/nessus-pro_default-columns.csv"),
        add_scan(dir.path(), "qualys/qualys_vm_detections.csv"),
    ];
    let mut args: Vec<&str> = scans.iter().map(String::as_str).collect();
    args.extend(["--add-unknown-assets", "--report", "json"]);
    let report = json(&import(dir.path(), "2026-11-25", &args));
    // Tenable VM's results are authenticated (the last authenticated results date is after
    // the host start); Nessus Pro's scan information plugin says `Credentialed checks : no`
    // (which overrides the inventory's `true`); Tenable.sc (remote checks only) and Qualys
    // do not say, so `authenticated_scan` stays as it is.
    assert_eq!(
        report["inventory"]["scanned"],
        serde_json::json!([
            {"id": "agent-151", "last_scanned": "2021-06-08"},
            {"id": "agent-180", "last_scanned": "2021-06-08"},
            {"id": "edge-01", "last_scanned": "2026-11-25", "authenticated_scan": false},
            {"id": "sc-01", "last_scanned": "2021-01-05"},
            {"id": "vm-01", "last_scanned": "2023-06-08", "authenticated_scan": true},
        ]),
        "{report:#}"
    );
    assert_eq!(report["inventory"]["missed"], serde_json::json!(["db-01"]));
    let unmatched: Vec<&str> = report["unmatched"]
        .as_array()
        .expect("unmatched")
        .iter()
        .filter_map(|u| u["target"].as_str())
        .collect();
    assert_eq!(
        unmatched,
        [
            "10.98.35.11",
            "10.98.49.209",
            "10.2.1.1",
            "ip-192-168-1-110.us-west-2.compute.internal"
        ],
        "{report:#}"
    );
    // Items carry the unique asset identifiers, ports kept.
    let assets = created_assets(&report);
    for id in [
        "vm-01",
        "sc-01 (443/TCP)",
        "edge-01 (443/TCP)",
        "agent-180",
        "agent-151",
    ] {
        assert!(assets.iter().any(|a| a.starts_with(id)), "{id}: {assets:?}");
    }
    for scanner_name in [
        "127.0.0.1",
        "ip-127-0-0-1",
        "10.1.1.1",
        "52.208.101.182",
        "10.98.57.180",
    ] {
        assert!(
            !assets.iter().any(|a| a.starts_with(scanner_name)),
            "{scanner_name}: {assets:?}"
        );
    }

    let mut args: Vec<&str> = scans.iter().map(String::as_str).collect();
    args.extend(["--add-unknown-assets", "--write"]);
    let run = import(dir.path(), "2026-11-25", &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let stubs =
        std::fs::read_to_string(dir.path().join("inventory/added-by-scan.yaml")).expect("stubs");
    // The stubs carry the scanner's other names as fields and aliases; the NetBIOS name two
    // Qualys hosts share (a cloned image) is no alias, so the stubs do not conflict.
    for stub in [
        "- id: ip-192-168-1-110.us-west-2.compute.internal\n  kind: infrastructure\n  ip: [192.167.1.110, 192.168.1.110]\n  dns: ip-192-168-1-110.us-west-2.compute.internal\n  aliases: [192.167.1.110, 192.168.1.110]\n  authenticated_scan: true\n  in_latest_scan: true\n  last_scanned: 2023-06-08\n",
        "- id: 10.98.35.11\n  kind: infrastructure\n  ip: [10.98.35.11]\n  dns: ip-10-98-35-11.eu-west-1.compute.internal\n  netbios: EC2AMAZ-N4OQ6HS\n  aliases: [ip-10-98-35-11.eu-west-1.compute.internal]\n  in_latest_scan: true\n  last_scanned: 2021-06-08\n",
        "- id: 10.2.1.1\n  kind: infrastructure\n  ip: [10.2.1.1]\n  in_latest_scan: true\n  last_scanned: 2021-01-05\n",
    ] {
        assert!(stubs.contains(stub), "{stub}\nnot in:\n{stubs}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("inventory/hosts.yaml")).expect("read"),
        "- id: vm-01\n  aliases: [127.0.0.1]\n  in_latest_scan: true\n  last_scanned: 2023-06-08\n  authenticated_scan: true\n\
         - id: sc-01\n  aliases: [10.1.1.1]\n  in_latest_scan: true\n  last_scanned: 2021-01-05\n\
         - id: edge-01\n  aliases: [52.208.101.182]\n  authenticated_scan: false\n  in_latest_scan: true\n  last_scanned: 2026-11-25\n\
         - id: agent-180\n  aliases: [EC2AMAZ-IU0C43L]\n  in_latest_scan: true\n  last_scanned: 2021-06-08\n\
         - id: agent-151\n  aliases: [ip-10-98-57-151.eu-west-1.compute.internal]\n  authenticated_scan: true\n  in_latest_scan: true\n  last_scanned: 2021-06-08\n\
         - id: db-01\n  in_latest_scan: false\n"
    );
    // The stubs make no alias conflict, and the next import finds every host.
    let lint = poam()
        .current_dir(dir.path())
        .args(["--today", "2026-11-25", "lint", "--format", "json"])
        .output()
        .expect("lint");
    let findings: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("json");
    let conflicts = findings["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|f| f["code"] == "inventory-alias-conflict")
        .count();
    assert_eq!(conflicts, 0, "{findings:#}");
    let mut args: Vec<&str> = scans.iter().map(String::as_str).collect();
    args.extend(["--report", "json"]);
    let again = json(&import(dir.path(), "2026-11-25", &args));
    assert!(again["unmatched"].is_null(), "{again:#}");
}

#[test]
fn add_unknown_assets_appends_to_the_stub_file_and_starts_an_inventory_when_there_is_none() {
    let dir = repo("");
    let trivy = add_scan(dir.path(), "trivy/trivy_alpine-310.json");
    let run = import(
        dir.path(),
        "2026-11-25",
        &[&trivy, "--add-unknown-assets", "--write"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let stubs =
        std::fs::read_to_string(dir.path().join("inventory/added-by-scan.yaml")).expect("stubs");
    assert!(stubs.contains("  kind: container\n"), "{stubs}");
    assert!(!stubs.contains("ip:"), "{stubs}");
    // A second scan's unknown target joins the same file, the first stub kept.
    let nessus = add_scan(
        dir.path(),
        "nessus/defectdojo_nessus_with_cvssv3.trimmed.nessus",
    );
    let run = import(
        dir.path(),
        "2026-11-25",
        &[&nessus, "--add-unknown-assets", "--write"],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let after =
        std::fs::read_to_string(dir.path().join("inventory/added-by-scan.yaml")).expect("stubs");
    assert!(after.starts_with(&stubs), "{after}");
    assert!(
        after.contains("- id: testphp.vulnweb.com\n  kind: infrastructure\n  ip:\n    - 44.228.249.3\n  dns: testphp.vulnweb.com\n  aliases:\n    - 44.228.249.3\n  authenticated_scan: false\n"),
        "{after}"
    );
    // The container stub is a container: the network scan does not mark it missed.
    assert!(!run.stdout.contains("not scanned:"), "{}", run.stdout);
}

/// Every asset the items an import report says it created name, in order.
fn created_assets(report: &serde_json::Value) -> Vec<String> {
    report["created"]
        .as_array()
        .expect("created")
        .iter()
        .flat_map(|e| e["assets"].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(str::to_owned))
        .collect()
}

#[test]
fn no_asset_is_marked_missed_when_a_scan_file_could_not_be_read() {
    let dir = repo("");
    std::fs::create_dir_all(dir.path().join("inventory")).expect("inventory");
    let hosts = "- id: app-01.example.internal\n  aliases: [10.0.0.1]\n\
                 - id: db-01\n  ip: 10.0.0.9\n  last_scanned: 2022-02-01\n  in_latest_scan: true\n";
    std::fs::write(dir.path().join("inventory/hosts.yaml"), hosts).expect("write");
    let scan = add_scan(dir.path(), "nessus/mitre-saf_sample_3hosts.trimmed.nessus");
    // The near miss: with every file read, db-01 (no scan reached it) is missed.
    let report = json(&import(
        dir.path(),
        "2026-11-25",
        &[&scan, "--report", "json"],
    ));
    assert_eq!(report["inventory"]["missed"], serde_json::json!(["db-01"]));
    assert!(
        report["inventory"].get("unread_files").is_none(),
        "{report:#}"
    );
    // A second file, cut short: it may have reached db-01, so db-01 is not marked missed.
    let whole = std::fs::read(dir.path().join(&scan)).expect("scan");
    let cut = add_scan_bytes(dir.path(), "db-scan.nessus", &whole[..whole.len() / 2]);
    let run = import(dir.path(), "2026-11-25", &[&scan, &cut, "--write"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "no asset marked as not scanned: 1 scan file could not be read, and an asset only it reached would look missed"
        ),
        "{}",
        run.stdout
    );
    let written = std::fs::read_to_string(dir.path().join("inventory/hosts.yaml")).expect("read");
    assert!(
        written.contains(
            "- id: db-01\n  ip: 10.0.0.9\n  last_scanned: 2022-02-01\n  in_latest_scan: true\n"
        ),
        "{written}"
    );
    assert!(
        written.contains(
            "- id: app-01.example.internal\n  aliases: [10.0.0.1]\n  in_latest_scan: true\n"
        ),
        "the asset the readable file reached is still recorded: {written}"
    );
    let report = json(&import(
        dir.path(),
        "2026-11-25",
        &[&scan, &cut, "--report", "json"],
    ));
    assert_eq!(report["inventory"]["unread_files"], 1, "{report:#}");
    assert_eq!(report["inventory"]["missed"], serde_json::json!([]));
}
