//! Scanner files, read into one normalized model.
//!
//! Every format has its own parser file; each takes the file's bytes and a display name and
//! returns a [`Scan`]: the scan's date, every asset it reached (clean ones too, so a later
//! reconciliation can tell "fixed" from "not scanned"), and its findings. A row or element
//! that cannot be converted becomes a [`ScanProblem`] and the rest still imports; a file that
//! cannot be read at all is a [`ScanError`] with its location.
//!
//! The format is found from the content ([`detect`]): the XML root element, the JSON
//! top-level keys or the CSV header columns, never the file name.
//!
//! Risk follows FedRAMP, not the scanner's word ([`Finding::risk`]): the CVSSv3 base score
//! when the file has one, else CVSSv2, else the scanner's own rating. [`group`] turns the
//! findings into one [`PlannedItem`] per unique vulnerability per scanner.

mod detect;
mod group;
mod grype;
mod json;
mod nessus;
mod qualys;
mod sarif;
mod table;
mod tenable_csv;
mod text;
mod trivy;
mod xml;
mod zap;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::model::item::Risk;

pub use detect::detect;
pub use group::{group, PlannedItem, SourceLocation, FLAGGED_VENDOR_STATUSES, NOT_AFFECTED};

/// The file formats `poam import scan` reads; names as in `--format`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::Display,
    strum::EnumString,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ScanFormat {
    /// Nessus `.nessus` v2 XML.
    Nessus,
    /// Nessus Pro CSV exports (default and all columns), Tenable VM and Tenable.sc CSV.
    TenableCsv,
    /// Trivy JSON.
    Trivy,
    /// Grype JSON.
    Grype,
    /// SARIF 2.1.0 from any tool.
    Sarif,
    /// Qualys VM host-detection CSV.
    Qualys,
    /// OWASP ZAP traditional JSON or XML report.
    Zap,
}

/// One scanner file, normalized.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scan {
    /// The display name the file was read under.
    pub file: String,
    pub format: ScanFormat,
    /// When the scan ran (the earliest host start, the report's creation time...), if the
    /// file says.
    #[serde(serialize_with = "serialize_date")]
    pub scanned_at: Option<NaiveDate>,
    /// Every target the scan reached, with or without findings, sorted and unique. Network
    /// scans list hosts, container scans the image, SARIF the files, ZAP the sites.
    pub assets_scanned: Vec<String>,
    /// What the file says about some of `assets_scanned` beyond their name (Nessus host
    /// tags; the IP, DNS and NetBIOS columns of Tenable and Qualys CSV), by target.
    pub targets: BTreeMap<String, TargetInfo>,
    pub findings: Vec<Finding>,
    /// Rows or elements that could not be converted; the rest of the file was read.
    pub problems: Vec<ScanProblem>,
}

impl Scan {
    /// An empty scan of `file`; the parsers fill it.
    pub fn new(file: &str, format: ScanFormat) -> Self {
        Self {
            file: file.to_owned(),
            format,
            scanned_at: None,
            assets_scanned: Vec::new(),
            targets: BTreeMap::new(),
            findings: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Whether `asset` (as a finding names it) lies on a target this scan reached: the asset
    /// is a scanned target itself, or a target followed by ` (port/protocol)` or
    /// ` (package version)`.
    pub fn covers(&self, asset: &str) -> bool {
        self.assets_scanned.iter().any(|target| {
            asset == target
                || asset
                    .strip_prefix(target.as_str())
                    .is_some_and(|rest| rest.starts_with(" ("))
        })
    }

    /// Caps the text of every finding and target (see [`TextCaps`]), then sorts and
    /// deduplicates `assets_scanned`; every parser ends with it.
    fn finish(mut self) -> Self {
        for finding in &mut self.findings {
            finding.cap_text();
        }
        for asset in &mut self.assets_scanned {
            cap(asset, TextCaps::LINE);
        }
        self.targets = std::mem::take(&mut self.targets)
            .into_iter()
            .map(|(mut target, mut info)| {
                cap(&mut target, TextCaps::LINE);
                for name in &mut info.names {
                    cap(name, TextCaps::LINE);
                }
                info.names.sort();
                info.names.dedup();
                (target, info)
            })
            .collect();
        self.assets_scanned.sort();
        self.assets_scanned.dedup();
        self
    }

    /// Records what a row says about `target`: its other `names` (blank ones and the
    /// target's own name skipped) and whether the scan logged in to it. Authenticated when any
    /// row says so (a later row cannot take back what an earlier one showed).
    fn note_target<'a>(
        &mut self,
        target: &str,
        names: impl IntoIterator<Item = &'a str>,
        credentialed: Option<bool>,
    ) {
        let mut info = self.targets.remove(target).unwrap_or_default();
        for name in names {
            let name = name.trim();
            if !name.is_empty() && name != target && !info.names.iter().any(|n| n == name) {
                info.names.push(name.to_owned());
            }
        }
        info.credentialed = match (info.credentialed, credentialed) {
            (Some(a), Some(b)) => Some(a || b),
            (a, b) => a.or(b),
        };
        if info != TargetInfo::default() {
            self.targets.insert(target.to_owned(), info);
        }
    }

    fn problem(&mut self, location: impl Into<String>, reason: impl Into<String>) {
        self.problems.push(ScanProblem {
            location: location.into(),
            reason: reason.into(),
        });
    }
}

/// A scanned target's other names and whether the scan logged in to it, where the file says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TargetInfo {
    /// Other names of the target (IP address, FQDN, NetBIOS name), as the scanner found them.
    pub names: Vec<String>,
    /// Whether the scan was authenticated (credentialed) on this target.
    pub credentialed: Option<bool>,
}

/// One vulnerability (or failed check) on one asset, as the scanner reported it.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Finding {
    /// The scanner's name: "Nessus", "Trivy", "Grype", "Qualys", "OWASP ZAP", or the SARIF
    /// tool's name.
    pub detector: String,
    /// The scanner's id of the vulnerability: plugin id, vulnerability id, rule id, QID, ZAP
    /// plugin id (for Nessus compliance checks the check's own id, see `nessus.rs`).
    pub detector_id: String,
    pub title: String,
    pub description: String,
    pub solution: Option<String>,
    /// `host (port/PROTO)` for network findings (`host` alone without a port), `image
    /// (package version)` for containers, the file path for SARIF.
    pub asset: String,
    /// CVE ids, sorted and unique.
    pub cves: Vec<String>,
    pub cvss3: Option<f64>,
    pub cvss2: Option<f64>,
    /// The scanner's own rating word, as written.
    pub scanner_severity: String,
    /// The scanner's rating mapped to a risk by the parser (each scanner has its own scale),
    /// used when the file has no CVSS score.
    #[serde(serialize_with = "serialize_risk")]
    pub scanner_risk: Option<Risk>,
    /// When the scanner first saw this finding, for formats that track it.
    #[serde(serialize_with = "serialize_date")]
    pub first_seen: Option<NaiveDate>,
    /// The vendor's fix status where the format carries it (Trivy's `Status`: fixed,
    /// affected, will_not_fix, fix_deferred, end_of_life, not_affected...).
    pub vendor_status: Option<String>,
    /// Informational: no POA&M item (Nessus severity 0, Qualys "Ig", ZAP informational,
    /// SARIF level "none").
    pub informational: bool,
    /// A configuration (compliance-check) finding: CM-6 rather than RA-5/SI-2.
    pub configuration: bool,
    /// Where in the file, e.g. "line 120" or "ReportHost web-01, ReportItem 7".
    pub location: String,
}

/// How much of each scanner text an item takes. Scanner files are written by others and can
/// hold anything (a 50 MB plugin name); an item file over the parser's limit (1 MiB) could not
/// be read back, so the import would create it again on every run. With these caps a new item
/// holds at most ~140 KiB of scanner text plus its assets (1 KiB each).
pub struct TextCaps;

impl TextCaps {
    /// Names and ids: detector, detector id, severity, vendor status, CVE ids.
    pub const NAME: usize = 256;
    /// One-line texts: the title, each asset and scanned target.
    pub const LINE: usize = 1024;
    /// Long texts: description and solution.
    pub const TEXT: usize = 64 * 1024;
}

/// Cuts `text` to at most `limit` bytes (at a character boundary), noting the cut and the
/// original size in the text itself, so the item says it is not the whole of it. The same
/// input is always cut the same way, so a re-import matches the item it made.
pub fn cap(text: &mut String, limit: usize) {
    if text.len() <= limit {
        return;
    }
    let note = format!(" … (truncated by poam import: {} bytes)", text.len());
    let mut end = limit.saturating_sub(note.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push_str(&note);
}

impl Finding {
    /// Caps every text field (see [`TextCaps`]).
    fn cap_text(&mut self) {
        for name in [
            &mut self.detector,
            &mut self.detector_id,
            &mut self.scanner_severity,
        ] {
            cap(name, TextCaps::NAME);
        }
        cap(&mut self.title, TextCaps::LINE);
        cap(&mut self.asset, TextCaps::LINE);
        cap(&mut self.description, TextCaps::TEXT);
        for text in self.solution.iter_mut() {
            cap(text, TextCaps::TEXT);
        }
        for text in self.vendor_status.iter_mut().chain(self.cves.iter_mut()) {
            cap(text, TextCaps::NAME);
        }
    }

    /// The risk FedRAMP asks for: the CVSSv3 base score's band when there is one, else the
    /// CVSSv2 score's, else the scanner's rating. `None` when the file gives no rating at all.
    pub fn risk(&self) -> Option<Risk> {
        self.cvss3
            .and_then(risk_from_score)
            .or_else(|| self.cvss2.and_then(risk_from_score))
            .or(self.scanner_risk)
    }
}

/// A row or element that could not be converted; the rest of the file was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ScanProblem {
    pub location: String,
    pub reason: String,
}

/// A file that cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {location}: {reason}")]
pub struct ScanError {
    pub file: String,
    pub location: String,
    pub reason: String,
}

impl ScanError {
    fn new(file: &str, location: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: location.into(),
            reason: reason.into(),
        }
    }
}

/// Reads `bytes` as `format`. `file` is the name used in locations and in [`Scan::file`].
pub fn parse(format: ScanFormat, file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let scan = match format {
        ScanFormat::Nessus => nessus::parse(file, bytes),
        ScanFormat::TenableCsv => tenable_csv::parse(file, bytes),
        ScanFormat::Trivy => trivy::parse(file, bytes),
        ScanFormat::Grype => grype::parse(file, bytes),
        ScanFormat::Sarif => sarif::parse(file, bytes),
        ScanFormat::Qualys => qualys::parse(file, bytes),
        ScanFormat::Zap => zap::parse(file, bytes),
    }?;
    Ok(scan.finish())
}

/// Detects the format from the content, then reads the file.
pub fn parse_detected(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let format = detect(bytes).ok_or_else(|| {
        ScanError::new(
            file,
            "start of file",
            "not a scanner file poam reads (Nessus .nessus, Tenable/Nessus CSV, Trivy JSON, \
             Grype JSON, SARIF 2.1.0, Qualys CSV, ZAP JSON or XML); pass --format to force one",
        )
    })?;
    parse(format, file, bytes)
}

/// Reads every `(name, bytes)` file, in parallel: as `format`, or detected when `None`. The
/// scans read come first, the files that could not be read second, each in the given order.
pub fn parse_all(
    files: &[(String, Vec<u8>)],
    format: Option<ScanFormat>,
) -> (Vec<Scan>, Vec<ScanError>) {
    use rayon::prelude::*;
    let results: Vec<Result<Scan, ScanError>> = files
        .par_iter()
        .map(|(name, bytes)| match format {
            Some(format) => parse(format, name, bytes),
            None => parse_detected(name, bytes),
        })
        .collect();
    let mut scans = Vec::new();
    let mut failed = Vec::new();
    for result in results {
        match result {
            Ok(scan) => scans.push(scan),
            Err(error) => failed.push(error),
        }
    }
    (scans, failed)
}

/// FedRAMP's bands over a CVSS base score: 0.1-3.9 low, 4.0-6.9 moderate, 7.0-8.9 high,
/// 9.0-10.0 critical. A score of 0 (or outside 0-10) gives no risk.
pub fn risk_from_score(score: f64) -> Option<Risk> {
    if !(score > 0.0 && score <= 10.0) {
        return None;
    }
    Some(if score < 4.0 {
        Risk::Low
    } else if score < 7.0 {
        Risk::Moderate
    } else if score < 9.0 {
        Risk::High
    } else {
        Risk::Critical
    })
}

/// A common rating word ("Critical", "High", "Medium", "Moderate", "Low") as a risk; `None`
/// for words that carry no rating ("None", "Info", "Unknown", "Negligible"...).
fn risk_from_word(word: &str) -> Option<Risk> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" | "urgent" => Some(Risk::Critical),
        "high" | "serious" => Some(Risk::High),
        "medium" | "moderate" => Some(Risk::Moderate),
        "low" | "minimal" => Some(Risk::Low),
        _ => None,
    }
}

fn serialize_date<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => s.collect_str(&date.format("%Y-%m-%d")),
        None => s.serialize_none(),
    }
}

fn serialize_risk<S: Serializer>(risk: &Option<Risk>, s: S) -> Result<S::Ok, S::Error> {
    match risk {
        Some(risk) => s.serialize_str(risk.name()),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_fedramp() {
        assert_eq!(risk_from_score(0.0), None);
        assert_eq!(risk_from_score(0.1), Some(Risk::Low));
        assert_eq!(risk_from_score(3.9), Some(Risk::Low));
        assert_eq!(risk_from_score(4.0), Some(Risk::Moderate));
        assert_eq!(risk_from_score(6.9), Some(Risk::Moderate));
        assert_eq!(risk_from_score(7.0), Some(Risk::High));
        assert_eq!(risk_from_score(8.9), Some(Risk::High));
        assert_eq!(risk_from_score(9.0), Some(Risk::Critical));
        assert_eq!(risk_from_score(10.0), Some(Risk::Critical));
        assert_eq!(risk_from_score(10.1), None);
        assert_eq!(risk_from_score(f64::NAN), None);
    }

    #[test]
    fn cvss3_wins_over_cvss2_and_the_scanner_word() {
        let mut finding = Finding {
            cvss3: Some(9.8),
            cvss2: Some(5.0),
            scanner_risk: Some(Risk::Low),
            ..Finding::default()
        };
        assert_eq!(finding.risk(), Some(Risk::Critical));
        finding.cvss3 = None;
        assert_eq!(finding.risk(), Some(Risk::Moderate));
        finding.cvss2 = None;
        assert_eq!(finding.risk(), Some(Risk::Low));
    }

    #[test]
    fn covers_matches_the_target_part_of_an_asset() {
        let scan = Scan {
            assets_scanned: vec!["10.0.0.1".into(), "img:1".into()],
            ..Scan::new("f", ScanFormat::Nessus)
        };
        assert!(scan.covers("10.0.0.1"));
        assert!(scan.covers("10.0.0.1 (443/TCP)"));
        assert!(scan.covers("img:1 (openssl 1.1)"));
        assert!(!scan.covers("10.0.0.10 (443/TCP)"));
        assert!(!scan.covers("img:2 (openssl 1.1)"));
    }
}
