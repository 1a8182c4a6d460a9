//! The monthly human-readable VDR report (VER-TFR-MHR) under `fedramp-cr26`: its data
//! ([`VdrSummary`], serializable, for templates and the HTML report) and its Markdown form.
//!
//! The data is read from the item assessments only; nothing here computes a deadline.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::Serialize;

use crate::policy::cr26::{incident_irv_force, incident_nirv_force, Incident};
use crate::policy::{assess, Profile};
use crate::workspace::Workspace;

/// One vulnerability in a table of the report.
#[derive(Clone, Debug, Serialize)]
pub struct VdrRow {
    pub id: String,
    pub title: String,
    /// `N4 LEV+IRV`, or `not evaluated`.
    pub rating: String,
    /// The deadline to go below the current rating (RFC 3339 or a date).
    pub reduction_deadline: Option<String>,
    pub next_reduction: Option<String>,
    /// Why it is (likely to become) overdue, why it is accepted, or what the rule says.
    pub note: Option<String>,
}

/// Counts of open vulnerabilities.
#[derive(Clone, Debug, Default, Serialize)]
pub struct VdrCounts {
    pub open: usize,
    pub accepted: usize,
    pub not_evaluated: usize,
    pub closed_in_period: usize,
    /// `N1`..`N5` → open, evaluated vulnerabilities at that current rating.
    pub by_rating: BTreeMap<String, usize>,
    /// `LEV+IRV`, `LEV+NIRV`, `NLEV` → open, evaluated vulnerabilities.
    pub by_column: BTreeMap<String, usize>,
}

/// Everything the monthly VDR report shows.
#[derive(Clone, Debug, Serialize)]
pub struct VdrSummary {
    /// `YYYY-MM`.
    pub period: String,
    pub today: NaiveDate,
    /// `B`, `C` or `D`.
    pub class: &'static str,
    pub package_overview_uri: Option<String>,
    pub counts: VdrCounts,
    /// Overdue now, or likely to become so (next reduction planned after its deadline).
    pub overdue: Vec<VdrRow>,
    pub accepted: Vec<VdrRow>,
    /// Open, not accepted vulnerabilities with a planned next reduction, soonest first.
    pub next_reductions: Vec<VdrRow>,
    /// Items with a KEV due date (open, or closed in the period).
    pub kev: Vec<VdrRow>,
    /// Open items under VER-TFR-IRI or VER-TFR-NRI.
    pub incidents: Vec<VdrRow>,
    /// Open items without a completed evaluation.
    pub not_evaluated: Vec<VdrRow>,
}

impl VdrSummary {
    /// The summary of the workspace for the month `[from, to)`, assessed as of `today`.
    /// `None` unless the profile is `fedramp-cr26`.
    pub fn build(
        workspace: &Workspace,
        period: &str,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Option<VdrSummary> {
        let config = &workspace.config;
        if config.policy.profile != Profile::FedrampCr26 {
            return None;
        }
        let class = config.policy.class;
        let mut summary = VdrSummary {
            period: period.to_owned(),
            today,
            class: class.label(),
            package_overview_uri: config.cr26.package_overview_uri.clone(),
            counts: VdrCounts::default(),
            overdue: Vec::new(),
            accepted: Vec::new(),
            next_reductions: Vec::new(),
            kev: Vec::new(),
            incidents: Vec::new(),
            not_evaluated: Vec::new(),
        };
        let mut planned = Vec::new();
        let mut parsed: Vec<_> = workspace.parsed().collect();
        parsed.sort_by(|a, b| a.1.id_text().cmp(&b.1.id_text()));
        for (_, item) in parsed {
            let assessment = assess(item, &config.policy, today, None);
            let Some(v) = &assessment.vdr else { continue };
            let closed_on = item
                .closed
                .as_ref()
                .and_then(|c| c.date.as_ref())
                .map(|d| d.value);
            let closed_in_period =
                item.is_closed() && closed_on.is_some_and(|c| c >= from && c < to);
            let row = |note: Option<String>| VdrRow {
                id: item.id_text().unwrap_or("(no id)").to_owned(),
                title: item
                    .title
                    .as_ref()
                    .map(|t| t.value.clone())
                    .unwrap_or_default(),
                rating: v
                    .current
                    .map_or_else(|| "not evaluated".to_owned(), |c| c.to_string()),
                reduction_deadline: v.reduction_deadline.map(|d| d.to_string()),
                next_reduction: v.next_reduction.map(|n| format!("N{} by {}", n.pain, n.at)),
                note,
            };
            if v.kev_due.is_some() && (item.is_open() || closed_in_period) {
                let note = match (v.kev_due, v.kev_late, item.is_open()) {
                    (Some(due), true, _) => format!("KEV due {due}: passed"),
                    (Some(due), false, true) => format!("KEV due {due}"),
                    _ => format!(
                        "closed as {}",
                        v.disposition.map_or("(no disposition)", |d| d.name())
                    ),
                };
                summary.kev.push(row(Some(note)));
            }
            if closed_in_period {
                summary.counts.closed_in_period += 1;
            }
            if !item.is_open() {
                continue;
            }
            summary.counts.open += 1;
            if let Some(current) = v.current {
                *summary
                    .counts
                    .by_rating
                    .entry(format!("N{}", current.pain))
                    .or_default() += 1;
                *summary
                    .counts
                    .by_column
                    .entry(current.column().label().to_owned())
                    .or_default() += 1;
            } else {
                summary.counts.not_evaluated += 1;
                let note = v.evaluation_deadline.map(|d| {
                    let state = if v.evaluation_overdue {
                        "was due"
                    } else {
                        "due"
                    };
                    format!("evaluation {state} {d}")
                });
                summary.not_evaluated.push(row(note));
            }
            if v.accepted {
                summary.counts.accepted += 1;
                let rationale = item
                    .vdr
                    .as_ref()
                    .and_then(|vdr| vdr.accepted.as_ref())
                    .and_then(|a| a.rationale.as_ref())
                    .map(|r| r.value.trim().to_owned());
                summary.accepted.push(row(rationale));
            } else {
                let (overdue, explanation) = v.report_overdue();
                if overdue {
                    summary.overdue.push(row(explanation));
                }
                if let Some(next) = v.next_reduction {
                    let note = v.planned_late.then(|| "after the deadline".to_owned());
                    planned.push((next.at, row(note)));
                }
            }
            if let Some(incident) = v.incident {
                let (rule, force, below) = match incident {
                    Incident::Irv => ("VER-TFR-IRI", incident_irv_force(class), "N3"),
                    Incident::Nirv => ("VER-TFR-NRI", incident_nirv_force(class), "N4"),
                };
                summary.incidents.push(row(Some(format!(
                    "{rule} ({force:?}): reportable incident until {below} or below"
                ))));
            }
        }
        planned.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        summary.next_reductions = planned.into_iter().map(|(_, row)| row).collect();
        Some(summary)
    }
}

/// A Markdown table cell: no pipes or line breaks, control characters shown as escapes and
/// @-mentions neutralised (the report may be posted as a comment).
fn cell(text: &str) -> String {
    let text = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    super::text::mentions(&super::text::inline(&text)).into_owned()
}

fn table(out: &mut String, title: &str, rows: &[VdrRow], note_header: &str) {
    let _ = writeln!(out, "\n## {title}\n");
    if rows.is_empty() {
        let _ = writeln!(out, "None.");
        return;
    }
    let _ = writeln!(
        out,
        "| Id | Title | Current rating | Reduce by | Next reduction | {note_header} |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&row.id),
            cell(&row.title),
            cell(&row.rating),
            cell(row.reduction_deadline.as_deref().unwrap_or("")),
            cell(row.next_reduction.as_deref().unwrap_or("")),
            cell(row.note.as_deref().unwrap_or(""))
        );
    }
}

/// The report as Markdown.
pub fn markdown(summary: &VdrSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Vulnerability detection and response report, {}\n",
        summary.period
    );
    let _ = writeln!(
        out,
        "Class {} · as of {} · FedRAMP VER-TFR-MHR",
        summary.class, summary.today
    );
    if let Some(uri) = &summary.package_overview_uri {
        let _ = writeln!(out, "\nCertification package overview: <{uri}>");
    }
    let c = &summary.counts;
    let _ = writeln!(out, "\n## Summary\n");
    let _ = writeln!(out, "| | Count |\n|---|---|");
    let _ = writeln!(out, "| Open vulnerabilities | {} |", c.open);
    let _ = writeln!(out, "| Accepted | {} |", c.accepted);
    let _ = writeln!(out, "| Not evaluated | {} |", c.not_evaluated);
    let _ = writeln!(
        out,
        "| Overdue or likely overdue | {} |",
        summary.overdue.len()
    );
    let _ = writeln!(out, "| Closed in the period | {} |", c.closed_in_period);
    let _ = writeln!(
        out,
        "\n| Current rating | LEV+IRV | LEV+NIRV | NLEV |\n|---|---|---|---|"
    );
    let _ = writeln!(
        out,
        "| All | {} | {} | {} |",
        c.by_column.get("LEV+IRV").copied().unwrap_or(0),
        c.by_column.get("LEV+NIRV").copied().unwrap_or(0),
        c.by_column.get("NLEV").copied().unwrap_or(0)
    );
    let ratings: Vec<String> = (1..=5)
        .rev()
        .map(|n| {
            format!(
                "N{n}: {}",
                c.by_rating.get(&format!("N{n}")).copied().unwrap_or(0)
            )
        })
        .collect();
    let _ = writeln!(out, "\nBy current rating: {}.", ratings.join(", "));
    table(
        &mut out,
        "Overdue and likely overdue",
        &summary.overdue,
        "Explanation",
    );
    table(
        &mut out,
        "Accepted vulnerabilities",
        &summary.accepted,
        "Why accepted",
    );
    table(
        &mut out,
        "Next reductions",
        &summary.next_reductions,
        "Note",
    );
    table(
        &mut out,
        "Known exploited vulnerabilities",
        &summary.kev,
        "KEV",
    );
    table(&mut out, "Incident treatment", &summary.incidents, "Rule");
    table(
        &mut out,
        "Not evaluated",
        &summary.not_evaluated,
        "Evaluation",
    );
    out
}
