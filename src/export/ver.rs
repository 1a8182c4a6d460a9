//! FedRAMP 2026 vulnerability evaluation and reporting (VER) JSON: the vulnerability detail
//! report (VER-RPT-VDT), the accepted vulnerability information (VER-RPT-AVI) and the
//! historical VER activity (VER-TFR-MRH), shaped by FedRAMP's schemas (VDT, AVI and history
//! 0.1.1, common definitions 0.3.0).
//!
//! Everything computed (current rating, overdue status) comes from the item assessment. A
//! vulnerability has activity in a period when it was active during it: detected before the
//! period ends and not closed before it starts.

use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use rayon::prelude::*;
use serde::Serialize;

use crate::error::Error;
use crate::model::item::Item;
use crate::model::vdr::{Disposition, Moment};
use crate::policy::assess;
use crate::policy::cr26::{active_in_period, valid_pain, VdrAssessment};
use crate::workspace::Workspace;

pub const DETAIL_FILE: &str = "vulnerability-detail-report.json";
pub const ACCEPTED_FILE: &str = "accepted-vulnerability-info.json";
pub const HISTORY_FILE: &str = "historical-ver-activity.json";
/// The human-readable monthly report (VER-TFR-MHR) written beside the JSON.
pub const MARKDOWN_FILE: &str = "vdr-report.md";

/// A calendar month, `[from, to)` in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// `YYYY-MM`.
    pub fn parse(text: &str) -> Option<Period> {
        let (year, month) = text.trim().split_once('-')?;
        if year.len() != 4 || month.len() != 2 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        let to = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        Some(Period { from, to })
    }

    pub fn name(&self) -> String {
        format!("{:04}-{:02}", self.from.year(), self.from.month())
    }
}

fn midnight(date: NaiveDate) -> String {
    date.and_time(NaiveTime::MIN)
        .and_utc()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportPeriod {
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Detection {
    pub detected_at: String,
    pub detection_source: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProjectedNextReduction {
    pub estimated_at: String,
    pub target_rating: u8,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverdueStatus {
    pub is_overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PainReductionEvent {
    pub reduced_at: String,
    pub rating: u8,
}

/// `vulnerabilityDetail` of the common definitions.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VulnerabilityDetail {
    pub provider_tracking_id: String,
    pub detection: Detection,
    pub vulnerability_description: String,
    /// The rating at evaluation (VER-RPT-VDT item 6 "historical", which has no field of its
    /// own) and the rationale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub potential_agency_impact: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evaluation_completed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_internet_reachable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_likely_exploitable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_rating: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projected_next_reduction: Option<ProjectedNextReduction>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_status: Option<OverdueStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplementary_risk_information: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pain_reduction_events: Vec<PainReductionEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_disposition: Option<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedVulnerabilityInfo {
    pub vulnerability_detail: VulnerabilityDetail,
    pub acceptance_rationale: String,
}

/// VER-RPT-VDT.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DetailReport {
    pub certification_package_overview_uri: String,
    pub report_period: ReportPeriod,
    pub vulnerabilities: Vec<VulnerabilityDetail>,
}

/// VER-RPT-AVI.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedReport {
    pub certification_package_overview_uri: String,
    pub report_period: ReportPeriod,
    pub accepted_vulnerabilities: Vec<AcceptedVulnerabilityInfo>,
}

/// VER-TFR-MRH.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryReport {
    pub certification_package_overview_uri: String,
    pub generated_at: String,
    pub active_vulnerabilities: Vec<VulnerabilityDetail>,
    pub accepted_vulnerabilities: Vec<AcceptedVulnerabilityInfo>,
}

/// An item left out because it lacks what every report entry requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub missing: Vec<&'static str>,
}

/// The three documents, plus the items that could not be reported.
#[derive(Clone, Debug)]
pub struct VerReports {
    pub detail: DetailReport,
    pub accepted: AcceptedReport,
    pub history: HistoryReport,
    pub skipped: Vec<Skipped>,
}

/// One item ready to report.
struct Entry {
    id: String,
    detail: VulnerabilityDetail,
    /// `Some(rationale)` when accepted.
    accepted: Option<String>,
    open: bool,
    /// Detected before the period ends and not closed before it starts.
    in_period: bool,
}

fn disposition_name(d: Disposition) -> &'static str {
    match d {
        Disposition::Remediated => "Remediated",
        Disposition::FullyMitigated => "Fully Mitigated",
        Disposition::PartiallyMitigated => "Partially Mitigated",
        Disposition::FalsePositive => "False Positive",
    }
}

fn entry(
    file: &str,
    item: &Item,
    v: &VdrAssessment,
    period: Period,
    today: NaiveDate,
) -> Result<Entry, Skipped> {
    let vdr = item.vdr.as_ref();
    let id = item.id_text();
    let description = item.description.as_ref();
    let source = item.detector.as_ref();
    let (Some(id), Some(description), Some(source), Some(detected)) =
        (id, description, source, v.detected)
    else {
        let missing = [
            ("id", id.is_none()),
            ("description", description.is_none()),
            ("detector", source.is_none()),
            ("detected", v.detected.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, absent)| absent.then_some(k))
        .collect();
        return Err(Skipped {
            file: file.to_owned(),
            missing,
        });
    };
    let open = item.is_open();
    let impact = v.initial.map(|initial| {
        let now = match v.current.filter(|c| *c != initial) {
            Some(current) => format!("; now {current}"),
            None => String::new(),
        };
        let why = vdr
            .and_then(|v| v.rationale.as_ref())
            .map(|r| format!(". {}", r.value.trim()))
            .unwrap_or_default();
        format!("{initial} at evaluation{now}{why}")
    });
    let events = vdr
        .map(|vdr| {
            vdr.reductions()
                .iter()
                .filter_map(|r| {
                    let at = r.at.as_ref()?.value;
                    let rating = valid_pain(r.pain.as_ref()?.value)?;
                    (at.date() <= today).then(|| PainReductionEvent {
                        reduced_at: at.rfc3339(),
                        rating,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let overdue_status = (open && !v.accepted).then(|| {
        let (is_overdue, explanation) = v.report_overdue();
        OverdueStatus {
            is_overdue,
            explanation,
        }
    });
    let detail = VulnerabilityDetail {
        provider_tracking_id: id.to_owned(),
        detection: Detection {
            detected_at: detected.rfc3339(),
            detection_source: source.value.trim().to_owned(),
        },
        vulnerability_description: description.value.trim().to_owned(),
        potential_agency_impact: impact,
        evaluation_completed_at: v.evaluated.map(|e| e.rfc3339()),
        is_internet_reachable: v.current.map(|c| c.irv),
        is_likely_exploitable: v.current.map(|c| c.lev),
        current_rating: v.current.map(|c| c.pain),
        projected_next_reduction: v.next_reduction.filter(|_| open).map(|n| {
            ProjectedNextReduction {
                estimated_at: n.at.rfc3339(),
                target_rating: n.pain,
            }
        }),
        overdue_status,
        supplementary_risk_information: vdr
            .and_then(|v| v.supplementary.as_ref())
            .map(|s| s.value.trim().to_owned()),
        pain_reduction_events: events,
        final_disposition: if open {
            None
        } else {
            v.disposition.map(disposition_name)
        },
    };
    let closed_on = item
        .closed
        .as_ref()
        .and_then(|c| c.date.as_ref())
        .map(|d| d.value);
    let in_period = active_in_period(detected.date(), open, closed_on, period.from, period.to);
    let accepted = vdr.and_then(|v| v.accepted.as_ref()).map(|a| {
        a.rationale
            .as_ref()
            .map_or_else(String::new, |r| r.value.trim().to_owned())
    });
    Ok(Entry {
        id: id.to_owned(),
        detail,
        accepted,
        open,
        in_period,
    })
}

/// Builds the three reports for `period` from the workspace, assessed as of `today`.
/// `generated_at` stamps the history document.
pub fn build(
    workspace: &Workspace,
    period: Period,
    today: NaiveDate,
    generated_at: DateTime<Utc>,
) -> Result<VerReports, Error> {
    let config = &workspace.config;
    if !crate::profiles::of(config.policy.profile).reports_ver() {
        return Err(Error::Export(format!(
            "`poam export ver` needs `profile: fedramp-cr26` in poam.yaml (this repository uses `{}`); `poam migrate cr26` switches it",
            config.policy.profile.name()
        )));
    }
    let Some(uri) = config.cr26.package_overview_uri.clone() else {
        return Err(Error::Export(
            "`poam export ver` needs `cr26.package_overview_uri` in poam.yaml: every report names the certification package overview".to_owned(),
        ));
    };
    super::refuse_incomplete(workspace)?;
    let policy = &config.policy;
    let results: Vec<Result<Entry, Skipped>> = workspace
        .items
        .par_iter()
        .filter_map(|file| {
            let item = file.item.as_ref()?;
            let assessment = assess(item, policy, today, None);
            let v = assessment.vdr.as_ref()?;
            Some(entry(&file.source.name, item, v, period, today))
        })
        .collect();
    let mut entries = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(entry) => entries.push(entry),
            Err(skip) => skipped.push(skip),
        }
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    let report_period = ReportPeriod {
        from: midnight(period.from),
        to: midnight(period.to),
    };
    let accepted_info = |e: &Entry| {
        e.accepted
            .as_ref()
            .map(|rationale| AcceptedVulnerabilityInfo {
                vulnerability_detail: e.detail.clone(),
                acceptance_rationale: rationale.clone(),
            })
    };
    let detail = DetailReport {
        certification_package_overview_uri: uri.clone(),
        report_period: report_period.clone(),
        vulnerabilities: entries
            .iter()
            .filter(|e| e.in_period && e.accepted.is_none())
            .map(|e| e.detail.clone())
            .collect(),
    };
    let accepted = AcceptedReport {
        certification_package_overview_uri: uri.clone(),
        report_period,
        accepted_vulnerabilities: entries
            .iter()
            .filter(|e| e.in_period)
            .filter_map(accepted_info)
            .collect(),
    };
    let history = HistoryReport {
        certification_package_overview_uri: uri,
        generated_at: generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        active_vulnerabilities: entries
            .iter()
            .filter(|e| e.open && e.accepted.is_none())
            .map(|e| e.detail.clone())
            .collect(),
        accepted_vulnerabilities: entries
            .iter()
            .filter(|e| e.open)
            .filter_map(accepted_info)
            .collect(),
    };
    Ok(VerReports {
        detail,
        accepted,
        history,
        skipped,
    })
}

/// Pretty JSON with a final newline.
fn json(value: &impl Serialize) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    Ok(text)
}

impl VerReports {
    /// (file name, contents) of the three documents.
    pub fn files(&self) -> Result<[(&'static str, String); 3], serde_json::Error> {
        Ok([
            (DETAIL_FILE, json(&self.detail)?),
            (ACCEPTED_FILE, json(&self.accepted)?),
            (HISTORY_FILE, json(&self.history)?),
        ])
    }

    /// Writes the three documents into `dir` (created if needed), each atomically.
    pub fn write(&self, dir: &Path) -> Result<(), Error> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        for (name, text) in self.files()? {
            crate::output::write_atomic(&dir.join(name), &text)?;
        }
        Ok(())
    }
}

/// The history document's time stamp when poam is run for `today`: its midnight, UTC.
pub fn generated_at(today: NaiveDate) -> DateTime<Utc> {
    Moment::start_of(today).at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_calendar_months() {
        let p = Period::parse("2026-12").expect("period");
        assert_eq!(p.from.to_string(), "2026-12-01");
        assert_eq!(p.to.to_string(), "2027-01-01");
        assert_eq!(p.name(), "2026-12");
        for bad in ["2026-13", "2026-1", "26-01", "2026/01", ""] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }
}
