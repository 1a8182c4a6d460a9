//! Grype JSON (`grype -o json`).
//!
//! - The scanned asset is the source: the image as the user named it (`source.target
//!   .userInput`), or the scanned directory or file. A finding's asset is `image (package
//!   version)`.
//! - The id is Grype's vulnerability id (CVE, GHSA, ALAS...); the CVEs are that id and the
//!   related vulnerabilities' ids.
//! - Risk: the NVD record's CVSSv3 score (NVD's own, `nvd@nist.gov`, before a CNA's; the
//!   highest over the related CVEs), then CVSSv2 the same way, else Grype's `severity`.
//! - `fix.state` "wont-fix" is kept as the vendor status `will_not_fix`.
//! - The scan date is `descriptor.timestamp`.

use serde::Deserialize;
use serde_json::Value;

use super::json::{self, or_default};
use super::text::{cves_in, iso_date, non_empty, sort_unique};
use super::{risk_from_word, Finding, Scan, ScanError, ScanFormat};

#[derive(Deserialize, Default)]
#[serde(default)]
struct Document {
    #[serde(deserialize_with = "or_default")]
    matches: Vec<Value>,
    source: Option<Source>,
    descriptor: Option<Descriptor>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Source {
    target: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Descriptor {
    timestamp: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Match {
    vulnerability: Vulnerability,
    #[serde(deserialize_with = "or_default")]
    related_vulnerabilities: Vec<Vulnerability>,
    artifact: Artifact,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Vulnerability {
    id: Option<String>,
    namespace: Option<String>,
    severity: Option<String>,
    description: Option<String>,
    #[serde(deserialize_with = "or_default")]
    cvss: Vec<Cvss>,
    fix: Option<Fix>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Cvss {
    source: Option<String>,
    version: Option<String>,
    metrics: Option<Metrics>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Metrics {
    base_score: Option<f64>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Fix {
    state: Option<String>,
    #[serde(deserialize_with = "or_default")]
    versions: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Artifact {
    name: Option<String>,
    version: Option<String>,
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let document: Document = json::document(file, bytes, "Grype")?;
    let mut scan = Scan::new(file, ScanFormat::Grype);
    scan.scanned_at = document
        .descriptor
        .and_then(|d| d.timestamp)
        .as_deref()
        .and_then(iso_date);
    let source = document
        .source
        .and_then(|s| s.target)
        .and_then(|target| match target {
            Value::String(path) => non_empty(&path),
            Value::Object(fields) => fields
                .get("userInput")
                .and_then(Value::as_str)
                .and_then(non_empty),
            _ => None,
        })
        .unwrap_or_else(|| file.to_owned());
    scan.assets_scanned.push(source.clone());
    let matches: Vec<(usize, Match)> =
        json::elements(&mut scan, document.matches, |i| format!("matches[{i}]"));
    for (index, found) in matches {
        let location = format!("matches[{index}]");
        match finding(&source, found, location.clone()) {
            Ok(finding) => scan.findings.push(finding),
            Err(reason) => scan.problem(location, reason),
        }
    }
    Ok(scan)
}

fn finding(source: &str, found: Match, location: String) -> Result<Finding, String> {
    let vulnerability = found.vulnerability;
    let id = vulnerability
        .id
        .as_deref()
        .and_then(non_empty)
        .ok_or("no vulnerability.id")?;
    let package = found
        .artifact
        .name
        .as_deref()
        .and_then(non_empty)
        .ok_or("no artifact.name")?;
    let version = found.artifact.version.unwrap_or_default();
    let is_nvd = |v: &Vulnerability| v.namespace.as_deref().is_some_and(|n| n.starts_with("nvd"));
    let nvd_records: Vec<&Vulnerability> = std::iter::once(&vulnerability)
        .chain(found.related_vulnerabilities.iter())
        .filter(|v| is_nvd(v))
        .collect();
    let best = |major: &str| {
        let scores = |nvd_only: bool| {
            nvd_records
                .iter()
                .flat_map(|v| v.cvss.iter())
                .filter(|c| c.version.as_deref().is_some_and(|v| v.starts_with(major)))
                .filter(|c| !nvd_only || c.source.as_deref() == Some("nvd@nist.gov"))
                .filter_map(|c| c.metrics.as_ref().and_then(|m| m.base_score))
                .filter(|s| (0.0..=10.0).contains(s))
                .reduce(f64::max)
        };
        scores(true).or_else(|| scores(false))
    };
    let (cvss3, cvss2) = (best("3"), best("2"));
    let mut cves = cves_in(&id);
    for related in &found.related_vulnerabilities {
        cves.extend(related.id.as_deref().map(cves_in).unwrap_or_default());
    }
    let fix = vulnerability.fix.unwrap_or_default();
    let vendor_status = match fix.state.as_deref() {
        Some("wont-fix") => Some("will_not_fix".to_owned()),
        Some("not-fixed") => Some("affected".to_owned()),
        Some("fixed") => Some("fixed".to_owned()),
        _ => None,
    };
    let solution = (!fix.versions.is_empty())
        .then(|| format!("Upgrade {package} to {}.", fix.versions.join(" or ")));
    let description = vulnerability
        .description
        .as_deref()
        .and_then(non_empty)
        .or_else(|| {
            found
                .related_vulnerabilities
                .iter()
                .find_map(|r| r.description.as_deref().and_then(non_empty))
        })
        .unwrap_or_default();
    let severity = vulnerability.severity.unwrap_or_default();
    Ok(Finding {
        detector: "Grype".to_owned(),
        title: title(&id, &description),
        description,
        solution,
        asset: format!("{source} ({package} {version})"),
        cves: sort_unique(cves),
        cvss3,
        cvss2,
        scanner_risk: risk_from_word(&severity),
        scanner_severity: severity,
        vendor_status,
        location,
        detector_id: id,
        ..Finding::default()
    })
}

/// How much of the description a title takes.
const TITLE_CHARS: usize = 100;

/// Grype has no titles: the id and the description's first sentence, kept short.
fn title(id: &str, description: &str) -> String {
    let first_line = description.lines().next().unwrap_or_default();
    let sentence = first_line
        .find(". ")
        .map_or(first_line, |end| &first_line[..end]);
    let sentence = sentence.trim().trim_end_matches('.');
    if sentence.is_empty() {
        return id.to_owned();
    }
    if sentence.chars().count() <= TITLE_CHARS {
        return format!("{id}: {sentence}");
    }
    let cut: String = sentence.chars().take(TITLE_CHARS).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(words, _)| words);
    format!("{id}: {}…", cut.trim_end())
}
