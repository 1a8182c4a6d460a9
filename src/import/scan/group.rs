//! Findings become planned items: one per unique vulnerability per scanner, as FedRAMP asks
//! (never several vulnerabilities in one item; one vulnerability on several assets is one
//! item listing every asset).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{serialize_date, serialize_risk, Finding, Scan};
use crate::model::item::Risk;

/// Vendor statuses that keep the finding open but matter for vendor-dependency and
/// operational-requirement decisions; the item is flagged with them.
pub const FLAGGED_VENDOR_STATUSES: &[&str] = &["will_not_fix", "fix_deferred", "end_of_life"];

/// The vendor status that makes no item: the vendor says the package is not affected.
pub const NOT_AFFECTED: &str = "not_affected";

/// What one POA&M item would hold, from every finding of one (detector, detector_id).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedItem {
    pub detector: String,
    pub detector_id: String,
    /// From the first finding (scan order, then file order).
    pub title: String,
    pub description: String,
    pub solution: Option<String>,
    /// Every affected asset, sorted and unique.
    pub assets: Vec<String>,
    /// Sorted and unique.
    pub cves: Vec<String>,
    /// The highest risk over the findings; `None` when no finding carries a score or a
    /// rating (Grype's "Unknown", Trivy's "UNKNOWN"): a person must rate it.
    #[serde(serialize_with = "serialize_risk")]
    pub risk: Option<Risk>,
    /// The scanner's own word on the finding that gave the risk.
    pub scanner_severity: String,
    /// The CVSS base scores of the finding that gave the risk (kept by CR26 items).
    #[serde(skip)]
    pub cvss3: Option<f64>,
    #[serde(skip)]
    pub cvss2: Option<f64>,
    /// The earliest first-seen date of the findings, else the earliest scan date.
    #[serde(serialize_with = "serialize_date")]
    pub detected: Option<NaiveDate>,
    /// Vendor statuses among [`FLAGGED_VENDOR_STATUSES`] seen on the findings, sorted.
    pub vendor_status_flags: Vec<String>,
    /// A configuration (compliance-check) finding: CM-6.
    pub configuration: bool,
    /// Where each finding came from, in scan and file order.
    pub sources: Vec<SourceLocation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceLocation {
    pub file: String,
    pub location: String,
}

/// Groups the findings of `scans` into planned items, sorted by (detector, detector_id).
/// Informational findings and findings the vendor marks `not_affected` make none.
pub fn group(scans: &[Scan]) -> Vec<PlannedItem> {
    let mut items: BTreeMap<(String, String), PlannedItem> = BTreeMap::new();
    for scan in scans {
        for finding in scan.findings.iter().filter(|f| makes_item(f)) {
            let key = (finding.detector.clone(), finding.detector_id.clone());
            let item = items
                .entry(key)
                .or_insert_with(|| PlannedItem::first(finding));
            item.add(scan, finding);
        }
    }
    items
        .into_values()
        .map(|mut item| {
            item.assets.sort();
            item.assets.dedup();
            item.cves.sort();
            item.cves.dedup();
            item.vendor_status_flags.sort();
            item.vendor_status_flags.dedup();
            item
        })
        .collect()
}

fn makes_item(finding: &Finding) -> bool {
    !finding.informational && finding.vendor_status.as_deref() != Some(NOT_AFFECTED)
}

impl PlannedItem {
    fn first(finding: &Finding) -> Self {
        Self {
            detector: finding.detector.clone(),
            detector_id: finding.detector_id.clone(),
            title: finding.title.clone(),
            description: finding.description.clone(),
            solution: finding.solution.clone(),
            assets: Vec::new(),
            cves: Vec::new(),
            risk: None,
            scanner_severity: finding.scanner_severity.clone(),
            cvss3: None,
            cvss2: None,
            detected: None,
            vendor_status_flags: Vec::new(),
            configuration: false,
            sources: Vec::new(),
        }
    }

    fn add(&mut self, scan: &Scan, finding: &Finding) {
        self.assets.push(finding.asset.clone());
        self.cves.extend(finding.cves.iter().cloned());
        if let Some(risk) = finding.risk() {
            if self.risk.is_none_or(|current| risk > current) {
                self.risk = Some(risk);
                self.scanner_severity = finding.scanner_severity.clone();
                self.cvss3 = finding.cvss3;
                self.cvss2 = finding.cvss2;
            }
        }
        if self.solution.is_none() {
            self.solution = finding.solution.clone();
        }
        if self.description.is_empty() {
            self.description = finding.description.clone();
        }
        if let Some(detected) = finding.first_seen.or(scan.scanned_at) {
            self.detected = Some(self.detected.map_or(detected, |d| d.min(detected)));
        }
        if let Some(status) = finding
            .vendor_status
            .as_deref()
            .filter(|s| FLAGGED_VENDOR_STATUSES.contains(s))
        {
            self.vendor_status_flags.push(status.to_owned());
        }
        self.configuration |= finding.configuration;
        self.sources.push(SourceLocation {
            file: scan.file.clone(),
            location: finding.location.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::scan::ScanFormat;

    fn finding(id: &str, asset: &str) -> Finding {
        Finding {
            detector: "Nessus".into(),
            detector_id: id.into(),
            title: format!("Plugin {id}"),
            asset: asset.into(),
            location: format!("{id} on {asset}"),
            ..Finding::default()
        }
    }

    #[test]
    fn one_item_per_vulnerability_with_every_asset_and_the_highest_risk() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d);
        let scan = Scan {
            scanned_at: day(20),
            findings: vec![
                Finding {
                    cvss3: Some(5.0),
                    scanner_severity: "Medium".into(),
                    cves: vec!["CVE-2020-0002".into()],
                    ..finding("1", "b (443/TCP)")
                },
                Finding {
                    cvss3: Some(9.1),
                    scanner_severity: "Critical".into(),
                    cves: vec!["CVE-2020-0001".into(), "CVE-2020-0002".into()],
                    first_seen: day(3),
                    ..finding("1", "a (443/TCP)")
                },
                finding("1", "a (443/TCP)"),
                Finding {
                    informational: true,
                    ..finding("2", "a")
                },
                Finding {
                    vendor_status: Some("not_affected".into()),
                    ..finding("3", "a")
                },
                Finding {
                    vendor_status: Some("will_not_fix".into()),
                    ..finding("4", "a")
                },
            ],
            ..Scan::new("a.nessus", ScanFormat::Nessus)
        };
        let items = group(&[scan]);
        let ids: Vec<&str> = items.iter().map(|i| i.detector_id.as_str()).collect();
        assert_eq!(ids, ["1", "4"]);
        let first = &items[0];
        assert_eq!(first.assets, ["a (443/TCP)", "b (443/TCP)"]);
        assert_eq!(first.cves, ["CVE-2020-0001", "CVE-2020-0002"]);
        assert_eq!(first.risk, Some(Risk::Critical));
        assert_eq!(first.scanner_severity, "Critical");
        assert_eq!(first.detected, day(3));
        assert_eq!(first.sources.len(), 3);
        assert_eq!(items[1].vendor_status_flags, ["will_not_fix"]);
        assert_eq!(items[1].risk, None);
        assert_eq!(items[1].detected, day(20));
    }
}
