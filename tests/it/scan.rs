//! Scanner files: every sample parses, detection, risks, grouping, bad input.

use std::path::PathBuf;

use poam::import::scan::{self, Scan, ScanFormat};

use crate::common::fixtures;

fn sample(relative: &str) -> (String, Vec<u8>) {
    let path: PathBuf = fixtures().join("scans").join(relative);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    (relative.to_owned(), bytes)
}

fn parse(relative: &str) -> Scan {
    let (name, bytes) = sample(relative);
    scan::parse_detected(&name, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn explore() {
    for f in SAMPLES {
        let s = parse(f.0);
        let items = scan::group(std::slice::from_ref(&s));
        let mut risks = std::collections::BTreeMap::new();
        for i in &items {
            *risks.entry(i.risk.map(|r| r.name())).or_insert(0) += 1;
        }
        eprintln!(
            "{} {:?} date={:?} findings={} info={} assets={} problems={:?} items={} risks={:?}",
            f.0,
            s.format,
            s.scanned_at,
            s.findings.len(),
            s.findings.iter().filter(|x| x.informational).count(),
            s.assets_scanned.len(),
            s.problems,
            items.len(),
            risks
        );
    }
}

const SAMPLES: &[(&str, ScanFormat)] = &[
    (
        "nessus/defectdojo_nessus_with_cvssv3.trimmed.nessus",
        ScanFormat::Nessus,
    ),
    (
        "nessus/mitre-saf_sample_3hosts.trimmed.nessus",
        ScanFormat::Nessus,
    ),
    ("nessus/ruby-nessus_example_v2.nessus", ScanFormat::Nessus),
    (
        "tenable-csv/nessus-pro_all-columns.csv",
        ScanFormat::TenableCsv,
    ),
    (
        "tenable-csv/nessus-pro_default-columns.csv",
        ScanFormat::TenableCsv,
    ),
    ("tenable-csv/tenable-sc_export.csv", ScanFormat::TenableCsv),
    ("tenable-csv/tenable-vm_export.csv", ScanFormat::TenableCsv),
    ("trivy/trivy_alpine-310.json", ScanFormat::Trivy),
    ("trivy/trivy_debian-all-statuses.json", ScanFormat::Trivy),
    ("trivy/trivy_spring4shell-jre8.json", ScanFormat::Trivy),
    (
        "grype/grype-0.75.0_ubuntu-fix-available.json",
        ScanFormat::Grype,
    ),
    ("grype/grype-0.79.3_amazonlinux2.json", ScanFormat::Grype),
    ("sarif/grype-0.34.7_cxf-3.4.6.sarif", ScanFormat::Sarif),
    ("sarif/semgrep-1.69.0.sarif", ScanFormat::Sarif),
    ("sarif/trivy_alpine-310.sarif", ScanFormat::Sarif),
    ("qualys/qualys_vm_detections.csv", ScanFormat::Qualys),
    ("zap/zap-2.10.0_bodgeit_scan1.xml", ScanFormat::Zap),
    ("zap/zap-2.10.0_bodgeit_scan2.xml", ScanFormat::Zap),
    ("zap/zap-2.7.0_zero-webappsecurity.json", ScanFormat::Zap),
];
