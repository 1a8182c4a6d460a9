//! Scanner files (`import::scan`): every real sample parses with the expected counts and
//! risks, the format is detected from the content, findings group into one planned item per
//! vulnerability, and bad input gives located errors or problems, never a panic.

use std::path::PathBuf;

use poam::import::scan::{self, PlannedItem, Scan, ScanFormat};
use poam::model::item::Risk;
use proptest::prelude::*;

use crate::common::fixtures;

fn sample(relative: &str) -> Vec<u8> {
    let path: PathBuf = fixtures().join("scans").join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn parse(relative: &str) -> Scan {
    scan::parse_detected(relative, &sample(relative)).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_text(format: ScanFormat, text: &str) -> Scan {
    scan::parse(format, "test", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// Expected shape of one sample, counted independently of poam (by hand and with Python's
/// XML, CSV and JSON readers) from the files in tests/fixtures/scans.
struct Expected {
    file: &'static str,
    format: ScanFormat,
    findings: usize,
    informational: usize,
    assets_scanned: usize,
    scanned_at: Option<&'static str>,
    items: usize,
    /// Items per risk: critical, high, moderate, low, unrated.
    risks: [usize; 5],
}

const SAMPLES: &[Expected] = &[
    Expected {
        file: "nessus/defectdojo_nessus_with_cvssv3.trimmed.nessus",
        format: ScanFormat::Nessus,
        findings: 49,
        informational: 23,
        assets_scanned: 1,
        scanned_at: Some("2022-03-23"),
        // 26 findings, plugin 58987 twice on the one host.
        items: 25,
        risks: [1, 11, 12, 1, 0],
    },
    Expected {
        file: "nessus/mitre-saf_sample_3hosts.trimmed.nessus",
        format: ScanFormat::Nessus,
        findings: 147,
        informational: 138,
        // 10.0.0.4 is in TARGET but has no ReportHost: not scanned.
        assets_scanned: 3,
        scanned_at: Some("2022-03-22"),
        // 9 findings, plugin 51192 on two hosts.
        items: 8,
        risks: [1, 1, 4, 2, 0],
    },
    Expected {
        file: "nessus/ruby-nessus_example_v2.nessus",
        format: ScanFormat::Nessus,
        findings: 69,
        // 19 severity 0, and 46 severity 1 without a CVSS score: 33 with risk factor None,
        // 13 without a risk factor.
        informational: 65,
        assets_scanned: 2,
        scanned_at: Some("2009-12-11"),
        items: 4,
        risks: [0, 0, 3, 1, 0],
    },
    Expected {
        file: "tenable-csv/nessus-pro_all-columns.csv",
        format: ScanFormat::TenableCsv,
        findings: 29,
        informational: 28,
        assets_scanned: 1,
        scanned_at: None,
        items: 1,
        risks: [0, 0, 1, 0, 0],
    },
    Expected {
        file: "tenable-csv/nessus-pro_default-columns.csv",
        format: ScanFormat::TenableCsv,
        findings: 29,
        informational: 28,
        assets_scanned: 1,
        scanned_at: None,
        items: 1,
        risks: [0, 0, 1, 0, 0],
    },
    Expected {
        file: "tenable-csv/tenable-sc_export.csv",
        format: ScanFormat::TenableCsv,
        // 4 rows, then 529 blank ones.
        findings: 4,
        informational: 0,
        assets_scanned: 2,
        scanned_at: Some("2021-01-05"),
        items: 4,
        risks: [0, 1, 3, 0, 0],
    },
    Expected {
        file: "tenable-csv/tenable-vm_export.csv",
        format: ScanFormat::TenableCsv,
        // 20 rows, one per CVE: 9 (plugin, asset) pairs.
        findings: 9,
        informational: 0,
        assets_scanned: 2,
        scanned_at: Some("2023-06-08"),
        items: 7,
        risks: [0, 3, 4, 0, 0],
    },
    Expected {
        file: "trivy/trivy_alpine-310.json",
        format: ScanFormat::Trivy,
        findings: 4,
        informational: 0,
        assets_scanned: 1,
        scanned_at: Some("2021-08-25"),
        // Two CVEs, each in libcrypto1.1 and libssl1.1.
        items: 2,
        risks: [0, 0, 2, 0, 0],
    },
    Expected {
        file: "trivy/trivy_debian-all-statuses.json",
        format: ScanFormat::Trivy,
        findings: 8,
        informational: 0,
        assets_scanned: 1,
        scanned_at: Some("2024-01-15"),
        // not_affected makes no item.
        items: 7,
        risks: [1, 4, 0, 2, 0],
    },
    Expected {
        file: "trivy/trivy_spring4shell-jre8.json",
        format: ScanFormat::Trivy,
        findings: 1,
        informational: 0,
        assets_scanned: 1,
        scanned_at: Some("2021-08-25"),
        items: 1,
        risks: [1, 0, 0, 0, 0],
    },
    Expected {
        file: "grype/grype-0.75.0_ubuntu-fix-available.json",
        format: ScanFormat::Grype,
        findings: 1,
        informational: 0,
        assets_scanned: 1,
        scanned_at: Some("2024-04-10"),
        items: 1,
        risks: [0, 1, 0, 0, 0],
    },
    Expected {
        file: "grype/grype-0.79.3_amazonlinux2.json",
        format: ScanFormat::Grype,
        findings: 16,
        informational: 0,
        assets_scanned: 1,
        scanned_at: Some("2024-08-29"),
        items: 16,
        // Three "Unknown" without any CVSS score.
        risks: [2, 6, 4, 1, 3],
    },
    Expected {
        file: "sarif/grype-0.34.7_cxf-3.4.6.sarif",
        format: ScanFormat::Sarif,
        findings: 22,
        informational: 0,
        assets_scanned: 6,
        scanned_at: None,
        items: 22,
        risks: [1, 11, 4, 6, 0],
    },
    Expected {
        file: "sarif/semgrep-1.69.0.sarif",
        format: ScanFormat::Sarif,
        findings: 77,
        informational: 0,
        assets_scanned: 36,
        scanned_at: None,
        items: 17,
        risks: [6, 1, 10, 0, 0],
    },
    Expected {
        file: "sarif/trivy_alpine-310.sarif",
        format: ScanFormat::Sarif,
        findings: 4,
        informational: 0,
        assets_scanned: 1,
        scanned_at: None,
        items: 2,
        risks: [0, 0, 2, 0, 0],
    },
    Expected {
        file: "qualys/qualys_vm_detections.csv",
        format: ScanFormat::Qualys,
        findings: 6,
        informational: 0,
        assets_scanned: 4,
        scanned_at: Some("2021-06-08"),
        // QID 105971 on four hosts.
        items: 3,
        risks: [1, 2, 0, 0, 0],
    },
    Expected {
        file: "zap/zap-2.10.0_bodgeit_scan1.xml",
        format: ScanFormat::Zap,
        findings: 15,
        informational: 4,
        assets_scanned: 1,
        scanned_at: Some("2021-06-20"),
        items: 11,
        risks: [0, 4, 3, 4, 0],
    },
    Expected {
        file: "zap/zap-2.10.0_bodgeit_scan2.xml",
        format: ScanFormat::Zap,
        findings: 18,
        informational: 5,
        assets_scanned: 1,
        scanned_at: Some("2021-06-18"),
        items: 13,
        risks: [0, 4, 3, 6, 0],
    },
    Expected {
        file: "zap/zap-2.7.0_zero-webappsecurity.json",
        format: ScanFormat::Zap,
        findings: 13,
        informational: 2,
        // The https site has no alerts and still counts.
        assets_scanned: 2,
        scanned_at: Some("2018-12-05"),
        // Plugins 90027 and 40025 each appear at two risks.
        items: 10,
        risks: [0, 5, 2, 3, 0],
    },
];

fn risk_counts(items: &[PlannedItem]) -> [usize; 5] {
    let mut counts = [0; 5];
    for item in items {
        let slot = match item.risk {
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

#[test]
fn every_sample_parses_with_the_expected_counts_and_risks() {
    for expected in SAMPLES {
        let scan = parse(expected.file);
        let file = expected.file;
        assert_eq!(scan.format, expected.format, "{file}");
        assert_eq!(scan.problems, [], "{file}");
        assert_eq!(scan.findings.len(), expected.findings, "{file}: findings");
        let informational = scan.findings.iter().filter(|f| f.informational).count();
        assert_eq!(
            informational, expected.informational,
            "{file}: informational"
        );
        assert_eq!(
            scan.assets_scanned.len(),
            expected.assets_scanned,
            "{file}: assets scanned {:?}",
            scan.assets_scanned
        );
        assert_eq!(
            scan.scanned_at.map(|d| d.to_string()).as_deref(),
            expected.scanned_at,
            "{file}: scan date"
        );
        for finding in &scan.findings {
            assert!(
                scan.covers(&finding.asset),
                "{file}: {} is not on a scanned target",
                finding.asset
            );
            assert!(!finding.detector_id.is_empty(), "{file}: {finding:?}");
            assert!(!finding.location.is_empty(), "{file}: {finding:?}");
        }
        let items = scan::group(std::slice::from_ref(&scan));
        assert_eq!(items.len(), expected.items, "{file}: items");
        assert_eq!(risk_counts(&items), expected.risks, "{file}: risks");
    }
}

/// The planned items of every sample, as JSON. Descriptions and solutions are cut to their
/// first line (at most 80 characters) to keep the snapshots readable; the rest is whole.
#[test]
fn grouped_items_of_every_sample() {
    for expected in SAMPLES {
        let scan = parse(expected.file);
        let items = scan::group(std::slice::from_ref(&scan));
        let mut json = serde_json::to_value(&items).expect("items serialize");
        for item in json.as_array_mut().expect("array") {
            for field in ["description", "solution"] {
                if let Some(text) = item[field].as_str() {
                    let first: String =
                        text.lines().next().unwrap_or("").chars().take(80).collect();
                    item[field] = serde_json::Value::String(first);
                }
            }
        }
        let name = expected.file.replace(['/', '.'], "_");
        insta::assert_json_snapshot!(format!("scan_items_{name}"), json);
    }
}

#[test]
fn grouping_is_deterministic_and_sorted() {
    let scans: Vec<Scan> = SAMPLES.iter().map(|e| parse(e.file)).collect();
    let items = scan::group(&scans);
    let again = scan::group(&scans);
    assert_eq!(items, again);
    let keys: Vec<(&str, &str)> = items
        .iter()
        .map(|i| (i.detector.as_str(), i.detector_id.as_str()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted, "one item per (detector, id), sorted");
    for item in &items {
        let mut assets = item.assets.clone();
        assets.sort();
        assets.dedup();
        assert_eq!(item.assets, assets);
        assert!(!item.assets.is_empty());
    }
}

#[test]
fn detection_reads_the_content_not_the_name() {
    for expected in SAMPLES {
        assert_eq!(
            scan::detect(&sample(expected.file)),
            Some(expected.format),
            "{}",
            expected.file
        );
    }
    let not_scans: &[&str] = &[
        r#"{"name": "x", "items": [1, 2, {"runs": 3}]}"#,
        r#"{"version": "2.1.0"}"#,
        "[1, 2, 3]",
        r#"<?xml version="1.0"?><catalog><book id="1"/></catalog>"#,
        "<html><body>NessusClientData_v2</body></html>",
        "name,age,city\nann,31,Oslo\n",
        "Plugin ID,Risk\n1,High\n",
        "",
        "   \n",
        "\u{feff}",
    ];
    for text in not_scans {
        assert_eq!(scan::detect(text.as_bytes()), None, "{text:?}");
    }
    let error = scan::parse_detected("notes.csv", b"a,b\n1,2\n").expect_err("not a scan");
    assert_eq!(error.file, "notes.csv");
    assert!(error.reason.contains("--format"), "{error}");
}

#[test]
fn a_byte_order_mark_changes_nothing() {
    for expected in SAMPLES {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(sample(expected.file));
        assert_eq!(
            scan::detect(&bytes),
            Some(expected.format),
            "{}",
            expected.file
        );
        let with_bom =
            scan::parse(expected.format, expected.file, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(with_bom, parse(expected.file), "{}", expected.file);
    }
}

#[test]
fn a_qualys_report_preamble_is_skipped() {
    let preamble =
        "\"Scan Results\"\n\"Acme Corp\",\"123 Road\"\n\"Report date\",\"06/09/2021\"\n\n";
    let mut bytes = preamble.as_bytes().to_vec();
    bytes.extend(sample("qualys/qualys_vm_detections.csv"));
    assert_eq!(scan::detect(&bytes), Some(ScanFormat::Qualys));
    let scan = scan::parse(ScanFormat::Qualys, "q.csv", &bytes).expect("parses");
    assert_eq!(scan.findings.len(), 6);
    assert_eq!(scan.problems, []);
    // Lines count from the top of the file, preamble included.
    assert_eq!(scan.findings[0].location, "line 6");
}

#[test]
fn trivy_low_with_nvd_9_8_is_critical_and_vendor_statuses_are_kept() {
    let scan = parse("trivy/trivy_debian-all-statuses.json");
    let finding = scan
        .findings
        .iter()
        .find(|f| f.detector_id == "CVE-2018-12699")
        .expect("CVE-2018-12699");
    assert_eq!(finding.scanner_severity, "LOW");
    assert_eq!(finding.cvss3, Some(9.8));
    assert_eq!(finding.risk(), Some(Risk::Critical));
    assert_eq!(finding.vendor_status.as_deref(), Some("fix_deferred"));
    assert_eq!(
        finding.asset,
        "noppaknopsta/example-app:main-159 (binutils 2.31.1-16)"
    );

    let items = scan::group(&[scan]);
    let item = |id: &str| items.iter().find(|i| i.detector_id == id);
    let critical = item("CVE-2018-12699").expect("item");
    assert_eq!(critical.risk, Some(Risk::Critical));
    assert_eq!(critical.scanner_severity, "LOW");
    assert_eq!(critical.vendor_status_flags, ["fix_deferred"]);
    assert_eq!(
        item("CVE-2018-12698").expect("item").vendor_status_flags,
        ["will_not_fix"]
    );
    assert_eq!(
        item("CVE-2018-12934").expect("item").vendor_status_flags,
        ["end_of_life"]
    );
    assert!(item("CVE-2018-1000876")
        .expect("item")
        .vendor_status_flags
        .is_empty());
    assert!(
        item("CVE-2019-18276").is_none(),
        "not_affected makes no item"
    );
}

#[test]
fn network_assets_carry_port_and_protocol_and_clean_hosts_count_as_scanned() {
    let scan = parse("nessus/mitre-saf_sample_3hosts.trimmed.nessus");
    assert_eq!(scan.assets_scanned, ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
    assert!(!scan.covers("10.0.0.4"));
    let items = scan::group(std::slice::from_ref(&scan));
    let shared = items
        .iter()
        .find(|i| i.detector_id == "51192")
        .expect("plugin 51192");
    assert_eq!(shared.assets.len(), 2);
    assert!(
        shared.assets.iter().all(|a| a.ends_with("/TCP)")),
        "{:?}",
        shared.assets
    );
    let zap = parse("zap/zap-2.10.0_bodgeit_scan1.xml");
    assert_eq!(
        zap.assets_scanned,
        ["bodgeit.securecodebox-demo.svc (8080/TCP)"]
    );
    let with_uris = zap
        .findings
        .iter()
        .find(|f| f.detector_id == "10020")
        .expect("plugin 10020");
    assert!(with_uris
        .description
        .contains("\n\nURIs:\n- http://bodgeit"));
}

#[test]
fn nessus_compliance_checks_are_configuration_findings_keyed_by_check() {
    let file = r#"<?xml version="1.0" ?>
<NessusClientData_v2><Report name="r" xmlns:cm="http://www.nessus.org/cm">
<ReportHost name="db-01"><HostProperties><tag name="HOST_START_TIMESTAMP">1700000000</tag></HostProperties>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="3" pluginID="21156" pluginName="Unix Compliance Checks" pluginFamily="Policy Compliance">
<compliance>true</compliance>
<cm:compliance-check-name>1.1 Ensure /tmp is a separate partition</cm:compliance-check-name>
<cm:compliance-check-id>abc123</cm:compliance-check-id>
<cm:compliance-result>FAILED</cm:compliance-result>
<cm:compliance-info>/tmp should be its own file system &amp; mounted noexec.</cm:compliance-info>
<cm:compliance-solution>Mount /tmp separately.</cm:compliance-solution>
<risk_factor>None</risk_factor>
</ReportItem>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="0" pluginID="21156" pluginName="Unix Compliance Checks" pluginFamily="Policy Compliance">
<cm:compliance-check-name>1.2 Ensure nodev on /tmp</cm:compliance-check-name>
<cm:compliance-check-id>def456</cm:compliance-check-id>
<cm:compliance-result>PASSED</cm:compliance-result>
</ReportItem>
</ReportHost></Report></NessusClientData_v2>"#;
    assert_eq!(scan::detect(file.as_bytes()), Some(ScanFormat::Nessus));
    let scan = parse_text(ScanFormat::Nessus, file);
    assert_eq!(
        scan.scanned_at.map(|d| d.to_string()).as_deref(),
        Some("2023-11-14")
    );
    let failed = &scan.findings[0];
    assert!(failed.configuration && !failed.informational);
    assert_eq!(failed.detector_id, "abc123");
    assert_eq!(failed.title, "1.1 Ensure /tmp is a separate partition");
    assert_eq!(
        failed.description,
        "/tmp should be its own file system & mounted noexec."
    );
    assert_eq!(failed.risk(), Some(Risk::High));
    assert!(scan.findings[1].informational, "PASSED is no finding");
    let items = scan::group(&[scan]);
    assert_eq!(items.len(), 1);
    assert!(items[0].configuration);
    assert_eq!(items[0].assets, ["db-01"]);
}

#[test]
fn a_row_or_element_that_cannot_be_converted_is_a_problem_and_the_rest_imports() {
    let csv = "Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name\n\
               10,,5.0,Medium,h1,tcp,80,Good\n\
               abc,,5.0,Medium,h1,tcp,80,Bad id\n\
               11,,,High,,tcp,80,No host\n\
               12,,7.5,High,h2,tcp,443,Good too\n";
    let scan = parse_text(ScanFormat::TenableCsv, csv);
    let ids: Vec<&str> = scan
        .findings
        .iter()
        .map(|f| f.detector_id.as_str())
        .collect();
    assert_eq!(ids, ["10", "12"]);
    let problems: Vec<(&str, &str)> = scan
        .problems
        .iter()
        .map(|p| (p.location.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            ("line 3", "plugin id `abc` is not a Tenable plugin number"),
            (
                "line 4",
                "no host: `Host`, `IP Address` and `DNS Name` are empty"
            ),
        ]
    );

    let qualys = "\"IP\",\"QID\",\"Title\",\"Type\",\"Severity\"\n\
                  \"10.0.0.1\",\"1\",\"ok\",\"Vuln\",\"4\"\n\
                  \"10.0.0.2\",\"2\",\"bad\",\"Vuln\",\"9\"\n";
    let scan = parse_text(ScanFormat::Qualys, qualys);
    assert_eq!(scan.findings.len(), 1);
    assert_eq!(scan.problems[0].location, "line 3");
    assert_eq!(scan.assets_scanned, ["10.0.0.1", "10.0.0.2"]);

    let trivy = r#"{"SchemaVersion": 2, "ArtifactName": "img:1", "Results": [
        {"Target": "img:1 (debian 12)", "Class": "os-pkgs", "Vulnerabilities": [
            {"VulnerabilityID": "CVE-2024-0001", "PkgName": "a", "InstalledVersion": "1", "Severity": "HIGH"},
            {"VulnerabilityID": "CVE-2024-0002", "PkgName": 7},
            {"VulnerabilityID": "CVE-2024-0003", "InstalledVersion": "1"},
            {"VulnerabilityID": "CVE-2024-0004", "PkgName": "b", "InstalledVersion": "2", "CVSS": {"nvd": {"V3Score": 4.2}}}
        ]},
        "not an object"
    ]}"#;
    let scan = parse_text(ScanFormat::Trivy, trivy);
    let ids: Vec<&str> = scan
        .findings
        .iter()
        .map(|f| f.detector_id.as_str())
        .collect();
    assert_eq!(ids, ["CVE-2024-0001", "CVE-2024-0004"]);
    let locations: Vec<&str> = scan.problems.iter().map(|p| p.location.as_str()).collect();
    assert_eq!(
        locations,
        [
            "Results[1]",
            "Results[0].Vulnerabilities[1]",
            "Results[0].Vulnerabilities[2]"
        ]
    );
    assert_eq!(scan.findings[1].risk(), Some(Risk::Moderate));

    let nessus = r#"<NessusClientData_v2><Report name="r"><ReportHost name="h">
<ReportItem port="22" protocol="tcp" severity="9" pluginID="1" pluginName="bad"/>
<ReportItem port="22" protocol="tcp" severity="2" pluginID="2" pluginName="good"><risk_factor>Medium</risk_factor></ReportItem>
</ReportHost></Report></NessusClientData_v2>"#;
    let scan = parse_text(ScanFormat::Nessus, nessus);
    assert_eq!(scan.findings.len(), 1);
    assert_eq!(scan.findings[0].asset, "h (22/TCP)");
    assert!(!scan.findings[0].informational);
    assert_eq!(scan.findings[0].risk(), Some(Risk::Moderate));
    assert_eq!(scan.problems[0].location, "ReportHost h, ReportItem 1");

    let zap = r#"{"@version": "2.11.0", "site": [{"@host": "h", "@port": "443", "alerts": [
        {"pluginid": "1", "name": "a", "riskcode": "7"},
        {"pluginid": 2, "name": "b", "riskcode": 2}
    ]}]}"#;
    let scan = parse_text(ScanFormat::Zap, zap);
    assert_eq!(scan.findings.len(), 1);
    assert_eq!(scan.findings[0].detector_id, "2");
    assert_eq!(scan.problems[0].location, "site[0].alerts[0]");
    // Some ZAP versions write a lone site as an object, not a list.
    let lone = zap
        .replacen("\"site\": [", "\"site\": ", 1)
        .replacen("]}]}", "]}}", 1);
    assert_eq!(parse_text(ScanFormat::Zap, &lone).findings.len(), 1);
}

#[test]
fn a_file_that_cannot_be_read_is_a_located_error() {
    let cases: &[(ScanFormat, &str, &str)] = &[
        (
            ScanFormat::Nessus,
            "<NessusClientData_v2>\n<Report>\n<ReportHost name=\"h\">\n</Report>",
            "line 4",
        ),
        (ScanFormat::Nessus, "<catalog/>", "line 1"),
        (
            ScanFormat::Trivy,
            "{\"Results\": [\n{\"Target\": ",
            "line 2",
        ),
        (ScanFormat::Sarif, "[1]", "line 1"),
        (ScanFormat::Zap, "<OWASPZAPReport><site>", "end of file"),
        (ScanFormat::TenableCsv, "a,b\n1,2\n", "line 1"),
        (ScanFormat::Qualys, "a,b\n1,2\n", "lines 1-50"),
    ];
    for (format, text, location) in cases {
        let error = scan::parse(*format, "f", text.as_bytes()).expect_err(text);
        assert!(
            error.location.starts_with(location),
            "{format}: {error} (expected at {location})"
        );
        assert!(!error.reason.is_empty());
    }
}

/// One small sample per format (and both ZAP forms) for the property tests.
const FUZZ_SAMPLES: &[(&str, ScanFormat)] = &[
    ("nessus/ruby-nessus_example_v2.nessus", ScanFormat::Nessus),
    ("tenable-csv/tenable-vm_export.csv", ScanFormat::TenableCsv),
    ("trivy/trivy_debian-all-statuses.json", ScanFormat::Trivy),
    (
        "grype/grype-0.75.0_ubuntu-fix-available.json",
        ScanFormat::Grype,
    ),
    ("sarif/trivy_alpine-310.sarif", ScanFormat::Sarif),
    ("qualys/qualys_vm_detections.csv", ScanFormat::Qualys),
    ("zap/zap-2.10.0_bodgeit_scan2.xml", ScanFormat::Zap),
    ("zap/zap-2.7.0_zero-webappsecurity.json", ScanFormat::Zap),
];

fn check_outcome(format: ScanFormat, bytes: &[u8]) -> Result<(), TestCaseError> {
    match scan::parse(format, "fuzz", bytes) {
        Ok(scan) => {
            for problem in &scan.problems {
                prop_assert!(!problem.location.is_empty() && !problem.reason.is_empty());
            }
        }
        Err(error) => {
            prop_assert!(!error.location.is_empty() && !error.reason.is_empty());
        }
    }
    // Detection must not panic either.
    let _ = scan::detect(bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn truncated_files_give_located_errors_or_problems(pick in 0..FUZZ_SAMPLES.len(), cut in 0.0f64..1.0) {
        let (file, format) = FUZZ_SAMPLES[pick];
        let bytes = sample(file);
        let end = ((bytes.len() as f64) * cut) as usize;
        let truncated = &bytes[..end];
        check_outcome(format, truncated)?;
        // XML and JSON cut before their last element cannot be whole documents.
        let whole_up_to = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).unwrap_or(0);
        if end < whole_up_to && !matches!(format, ScanFormat::TenableCsv | ScanFormat::Qualys) {
            let error = scan::parse(format, "fuzz", truncated);
            prop_assert!(error.is_err(), "{file} cut at {end} parsed");
        }
    }

    #[test]
    fn mutated_files_never_panic(
        pick in 0..FUZZ_SAMPLES.len(),
        edits in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 1..8),
    ) {
        let (file, format) = FUZZ_SAMPLES[pick];
        let mut bytes = sample(file);
        for (at, byte) in edits {
            let index = ((bytes.len() as f64) * at) as usize;
            if let Some(slot) = bytes.get_mut(index) {
                *slot = byte;
            }
        }
        check_outcome(format, &bytes)?;
    }
}
