//! Trivy JSON (`trivy image|fs|rootfs --format json`, schema version 2).
//!
//! - The scanned asset is the artifact (`ArtifactName`, else the OS result's target without
//!   its "(os version)" suffix, else the file name). A finding's asset is `artifact (package
//!   version)`, with the package path for language packages (`artifact (package version,
//!   path)`), so two copies of one jar are two assets.
//! - Risk: NVD's CVSSv3 score (`CVSS.nvd.V3Score`), else the `SeveritySource`'s, then the
//!   same for CVSSv2, else Trivy's `Severity`. A Debian LOW with NVD 9.8 is critical.
//! - `Status` is kept as the vendor status (`not_affected` makes no item, see `group`).
//! - Misconfigurations (`trivy config`) that FAIL are configuration findings.
//! - The scan date is `CreatedAt`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::json::{self, or_default};
use super::text::{cves_in, iso_date, non_empty, sort_unique};
use super::{risk_from_word, Finding, Scan, ScanError, ScanFormat};

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Report {
    created_at: Option<String>,
    artifact_name: Option<String>,
    #[serde(deserialize_with = "or_default")]
    results: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct TrivyResult {
    target: Option<String>,
    class: Option<String>,
    #[serde(deserialize_with = "or_default")]
    vulnerabilities: Vec<Value>,
    #[serde(deserialize_with = "or_default")]
    misconfigurations: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Vulnerability {
    #[serde(rename = "VulnerabilityID")]
    vulnerability_id: Option<String>,
    pkg_name: Option<String>,
    pkg_path: Option<String>,
    installed_version: Option<String>,
    fixed_version: Option<String>,
    status: Option<String>,
    severity: Option<String>,
    severity_source: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(rename = "CVSS", deserialize_with = "or_default")]
    cvss: BTreeMap<String, Cvss>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cvss {
    #[serde(rename = "V3Score")]
    v3: Option<f64>,
    #[serde(rename = "V2Score")]
    v2: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "PascalCase")]
struct Misconfiguration {
    #[serde(rename = "ID")]
    id: Option<String>,
    #[serde(rename = "AVDID")]
    avd_id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    resolution: Option<String>,
    severity: Option<String>,
    status: Option<String>,
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let report: Report = json::document(file, bytes, "Trivy")?;
    let mut scan = Scan::new(file, ScanFormat::Trivy);
    scan.scanned_at = report.created_at.as_deref().and_then(iso_date);
    let results: Vec<(usize, TrivyResult)> =
        json::elements(&mut scan, report.results, |i| format!("Results[{i}]"));
    let artifact = report
        .artifact_name
        .as_deref()
        .and_then(non_empty)
        .or_else(|| {
            results
                .iter()
                .find(|(_, r)| r.class.as_deref() == Some("os-pkgs"))
                .and_then(|(_, r)| r.target.as_deref())
                .map(strip_os_suffix)
                .and_then(non_empty)
        })
        .unwrap_or_else(|| file.to_owned());
    scan.assets_scanned.push(artifact.clone());

    for (result_index, result) in results {
        let target = result.target.unwrap_or_default();
        let vulnerabilities: Vec<(usize, Vulnerability)> =
            json::elements(&mut scan, result.vulnerabilities, |i| {
                format!("Results[{result_index}].Vulnerabilities[{i}]")
            });
        for (index, vulnerability) in vulnerabilities {
            let location = format!("Results[{result_index}].Vulnerabilities[{index}]");
            match vulnerability_finding(&artifact, vulnerability, location.clone()) {
                Ok(finding) => scan.findings.push(finding),
                Err(reason) => scan.problem(location, reason),
            }
        }
        let misconfigurations: Vec<(usize, Misconfiguration)> =
            json::elements(&mut scan, result.misconfigurations, |i| {
                format!("Results[{result_index}].Misconfigurations[{i}]")
            });
        for (index, misconfiguration) in misconfigurations {
            let location = format!("Results[{result_index}].Misconfigurations[{index}]");
            match misconfiguration_finding(&artifact, &target, misconfiguration, location.clone()) {
                Ok(Some(finding)) => scan.findings.push(finding),
                Ok(None) => {}
                Err(reason) => scan.problem(location, reason),
            }
        }
    }
    Ok(scan)
}

fn vulnerability_finding(
    artifact: &str,
    v: Vulnerability,
    location: String,
) -> Result<Finding, String> {
    let id = v
        .vulnerability_id
        .as_deref()
        .and_then(non_empty)
        .ok_or("no VulnerabilityID")?;
    let package = v
        .pkg_name
        .as_deref()
        .and_then(non_empty)
        .ok_or("no PkgName")?;
    let version = v.installed_version.unwrap_or_default();
    let asset = match v.pkg_path.as_deref().and_then(non_empty) {
        Some(path) => format!("{artifact} ({package} {version}, {path})"),
        None => format!("{artifact} ({package} {version})"),
    };
    // NVD first, as FedRAMP asks; the source Trivy took its severity from otherwise.
    let nvd = v.cvss.get("nvd");
    let vendor = v.severity_source.as_deref().and_then(|s| v.cvss.get(s));
    let pick = |get: fn(&Cvss) -> Option<f64>| {
        nvd.and_then(get)
            .or_else(|| vendor.and_then(get))
            .filter(|s| (0.0..=10.0).contains(s))
    };
    let severity = v.severity.unwrap_or_default();
    let solution = v
        .fixed_version
        .as_deref()
        .and_then(non_empty)
        .map(|fixed| format!("Upgrade {package} to {fixed}."));
    Ok(Finding {
        detector: "Trivy".to_owned(),
        title: v
            .title
            .as_deref()
            .and_then(non_empty)
            .unwrap_or_else(|| id.clone()),
        description: v.description.unwrap_or_default(),
        solution,
        asset,
        cves: sort_unique(cves_in(&id)),
        cvss3: pick(|c| c.v3),
        cvss2: pick(|c| c.v2),
        scanner_risk: risk_from_word(&severity),
        scanner_severity: severity,
        vendor_status: v.status.as_deref().and_then(non_empty),
        location,
        detector_id: id,
        ..Finding::default()
    })
}

fn misconfiguration_finding(
    artifact: &str,
    target: &str,
    m: Misconfiguration,
    location: String,
) -> Result<Option<Finding>, String> {
    if m.status
        .as_deref()
        .is_some_and(|s| !s.eq_ignore_ascii_case("FAIL"))
    {
        return Ok(None);
    }
    let id = m
        .avd_id
        .as_deref()
        .and_then(non_empty)
        .or_else(|| m.id.as_deref().and_then(non_empty))
        .ok_or("no ID")?;
    let severity = m.severity.unwrap_or_default();
    let asset = if target.is_empty() || target == artifact {
        artifact.to_owned()
    } else {
        format!("{artifact} ({target})")
    };
    Ok(Some(Finding {
        detector: "Trivy".to_owned(),
        title: m
            .title
            .as_deref()
            .and_then(non_empty)
            .unwrap_or_else(|| id.clone()),
        description: m.description.unwrap_or_default(),
        solution: m.resolution.as_deref().and_then(non_empty),
        asset,
        scanner_risk: risk_from_word(&severity),
        scanner_severity: severity,
        configuration: true,
        location,
        detector_id: id,
        ..Finding::default()
    }))
}

/// "registry/app:1 (debian 10.13)" → "registry/app:1".
fn strip_os_suffix(target: &str) -> &str {
    match target.rfind(" (") {
        Some(at) if target.ends_with(')') => &target[..at],
        _ => target,
    }
}
