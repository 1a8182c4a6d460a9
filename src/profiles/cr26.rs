//! `fedramp-cr26`: FedRAMP's 2026 vulnerability detection and response rules (evaluation,
//! N-ratings with IRV/LEV, reductions within the class's timeframes, accepted vulnerabilities).
//!
//! The standing and the summary read the CR26 assessment only (`crate::policy::cr26`); `due`,
//! `risk`, milestones, vendor dependencies and deviation requests are informational under
//! this profile and judge nothing. The summary is the one source of the numbers of
//! `poam report` and of `poam export ver` for the same month: both build it with
//! [`VdrSummary::from_views`], and its VER counts use the predicates the VER export uses.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::common::{
    closed_standing, deadline, new_item_fields, own_template, risk_refused, standing_csv, CsvColumn,
};
use super::{
    ChartWords, ExportDeadline, ExportMapping, ExportMarker, NewItem, ProfileSummary, Scanned,
    StartDeadline, Starting, SystemProfile,
};
use crate::config::Config;
use crate::edit::NewValue;
use crate::model::item::Item;
use crate::model::vdr::Moment;
use crate::policy::cr26::{
    active_in_period, evaluation_days, incident_irv_force, incident_nirv_force, Column, Incident,
    ACCEPT_DAYS,
};
use crate::policy::{Assessment, Policy, Profile};
use crate::view::{ItemRef, ItemView, RatingView, StandingView, State, VdrAssessmentView};

pub struct Cr26;

/// The workbook's description of Scheduled Completion Date under CR26.
const SCHEDULED_COMPLETION: &str = "fedramp-cr26: the item's next deadline, not a completion date: evaluate by (not yet evaluated), reduce by (below the current N-rating) or accept by (N1); empty once accepted or closed. The evaluation and every deadline are in Comments.";

/// How the exports' line on an item's CR26 state starts (see [`evaluation_line`]); an
/// imported workbook that poam exported under CR26 is known by it.
const EXPORT_LINE: &str = "fedramp-cr26, Class ";

/// Rev5 fields that move no deadline under CR26 (`vdr-legacy-field` notes the first four);
/// an imported workbook's values of them are kept as text in `comments`.
const REV5_ONLY: &[&str] = &[
    "risk",
    "due",
    "milestones",
    "milestone_changes",
    "vendor_dependency",
    "deviations",
];

/// The chart buckets: current N-rating, most severe first, then not evaluated.
const BUCKETS: [&str; 6] = ["N5", "N4", "N3", "N2", "N1", "not evaluated"];

/// The built-in templates this profile has its own form of.
const OWN_TEMPLATES: [&str; 8] = [
    "cr26/report.md.j2",
    "cr26/report.html.j2",
    "cr26/site/index.html.j2",
    "cr26/site/item.html.j2",
    "cr26/site/items.html.j2",
    "cr26/site/control.html.j2",
    "cr26/site/people.html.j2",
    "cr26/pdf/summary.typ",
];

impl SystemProfile for Cr26 {
    fn profile(&self) -> Profile {
        Profile::FedrampCr26
    }

    fn standing(&self, a: &Assessment, policy: &Policy) -> StandingView {
        let mut standing = closed_standing(self.name());
        let Some(v) = &a.vdr else {
            return standing;
        };
        standing.rating = v.current.map(|r| RatingView {
            label: r.to_string(),
            source: if v.current_since == v.evaluated {
                "evaluation"
            } else {
                "reduction"
            },
            pain: Some(r.pain),
            irv: Some(r.irv),
            lev: Some(r.lev),
        });
        if !a.open {
            standing.note = v.disposition.map(|d| format!("closed as {}", d.name()));
            return standing;
        }
        let today = a.today;
        let at = |kind: &'static str, m: crate::model::vdr::Moment, target: Option<String>| {
            deadline(kind, m.to_string(), m.date(), today, target)
        };
        let kev = v
            .kev_due
            .map(|k| deadline("kev", k.to_string(), k, today, None));
        if v.accepted {
            standing.state = if v.kev_late {
                State::Late
            } else {
                State::Accepted
            };
            standing.next_deadline = kev;
            standing.note = Some(match v.accepted_on {
                Some(on) => format!("accepted on {on}"),
                None => "accepted".to_owned(),
            });
            return standing;
        }
        let Some(current) = v.current else {
            standing.state = if v.evaluation_overdue {
                State::Late
            } else {
                State::NotEvaluated
            };
            standing.next_deadline = v.evaluation_deadline.map(|d| at("evaluate-by", d, None));
            standing.note = if v.evaluated.is_some() {
                Some("the evaluation lacks IRV, LEV or an N-rating of 1 to 5".into())
            } else {
                v.report_overdue().1
            };
            return standing;
        };
        let accept_passed = v.accept_deadline.is_some_and(|d| d.date() < today);
        let mut next = match (v.reduction_deadline, v.accept_deadline) {
            (Some(reduce), _) if !(v.must_accept && accept_passed) => Some(at(
                "reduce-by",
                reduce,
                Some(format!("N{}", current.pain.saturating_sub(1))),
            )),
            (_, Some(accept)) => Some(at("accept-by", accept, None)),
            _ => None,
        };
        if let Some(kev) = kev {
            if next.as_ref().is_none_or(|n| kev.days_left < n.days_left) {
                next = Some(kev);
            }
        }
        let late = v.reduction_late || (v.must_accept && accept_passed) || v.kev_late;
        let soon = next
            .as_ref()
            .is_some_and(|n| n.days_left <= i64::from(policy.due_soon_days));
        standing.state = if late {
            State::Late
        } else if soon {
            State::DueSoon
        } else {
            State::OnTime
        };
        standing.likely_late = !late && (v.planned_late || v.must_accept);
        standing.next_deadline = next;
        standing.note = if v.must_accept {
            Some(format!(
                "not fully mitigated or remediated within {ACCEPT_DAYS} days of evaluation: must be accepted (VER-TFR-MAV)"
            ))
        } else if v.kev_late {
            v.kev_due.map(|k| format!("KEV due date {k} has passed"))
        } else {
            v.overdue.then(|| v.overdue_text()).flatten()
        };
        standing
    }

    fn view(&self, path: &str, item: &Item, assessment: &Assessment, policy: &Policy) -> ItemView {
        let mut view = ItemView::new(path, item, assessment, self.standing(assessment, policy));
        view.assessment = view.assessment.without_rev5_deadlines();
        view
    }

    fn summary(
        &self,
        views: &[ItemView],
        refs: &[ItemRef],
        today: NaiveDate,
        config: &Config,
    ) -> ProfileSummary {
        let (from, to) = month_of(today);
        let mut summary = VdrSummary::from_views(
            views,
            config,
            &format!("{:04}-{:02}", from.year(), from.month()),
            from,
            to,
            today,
        );
        summary.pages = refs
            .iter()
            .map(|r| (r.id.clone(), r.page.clone()))
            .collect();
        ProfileSummary::Cr26(Box::new(summary))
    }

    fn sort_open(&self, items: &mut [ItemRef]) {
        // Late first, then the nearest deadline, then id.
        items.sort_by(|a, b| {
            let key = |i: &ItemRef| {
                (
                    i.standing.state,
                    i.standing
                        .next_deadline
                        .as_ref()
                        .map_or(i64::MAX, |d| d.days_left),
                    i.id.clone(),
                )
            };
            key(a).cmp(&key(b))
        });
    }

    fn template(&self, name: &'static str) -> &'static str {
        own_template(&OWN_TEMPLATES, name)
    }

    fn chart_buckets(&self) -> &'static [&'static str] {
        &BUCKETS
    }

    fn chart_state(&self, a: &Assessment, policy: &Policy) -> Option<(usize, bool)> {
        if !a.open {
            return None;
        }
        let v = a.vdr.as_ref()?;
        let bucket = v
            .current
            .map_or(5, |r| 5usize.saturating_sub(usize::from(r.pain)));
        Some((bucket, self.standing(a, policy).state == State::Late))
    }

    fn chart_words(&self) -> ChartWords {
        ChartWords {
            rating: "current N-rating",
            rating_short: "N-rating",
            late: "late",
            late_title: "Late",
        }
    }

    /// The evaluation beside the standing: whether it is accepted and how it was closed.
    fn site_csv(&self, views: &[ItemView]) -> Option<String> {
        fn vdr(view: &ItemView) -> Option<&VdrAssessmentView> {
            view.assessment.vdr.as_ref()
        }
        let lead: [CsvColumn; 4] = [
            ("status", |v| v.status.unwrap_or_default().to_owned()),
            ("detected", |v| {
                vdr(v).and_then(|v| v.detected.clone()).unwrap_or_default()
            }),
            ("evaluated", |v| {
                vdr(v).and_then(|v| v.evaluated.clone()).unwrap_or_default()
            }),
            ("current_rating", |v| {
                v.standing
                    .rating
                    .as_ref()
                    .map(|r| r.label.clone())
                    .unwrap_or_default()
            }),
        ];
        let columns: [CsvColumn; 2] = [
            ("accepted", |v| {
                vdr(v).is_some_and(|v| v.accepted).to_string()
            }),
            ("disposition", |v| {
                vdr(v)
                    .and_then(|v| v.disposition)
                    .unwrap_or_default()
                    .to_owned()
            }),
        ];
        Some(standing_csv(views, &lead, &columns))
    }

    // Writing and exchange

    /// Today's placeholders without the Rev5 rating, due date and milestone, and an empty
    /// `vdr:` evaluation to fill in by the class's evaluation deadline.
    fn new_item(
        &self,
        id: &str,
        request: &NewItem<'_>,
        today: NaiveDate,
        policy: &Policy,
    ) -> Result<Starting, String> {
        if request.risk.is_some() {
            return Err(risk_refused(
                self.name(),
                "leave it out and evaluate the item in its `vdr:` block (irv, lev, pain)",
            ));
        }
        let mut fields = new_item_fields(id, request, today);
        fields.push(("vdr".to_owned(), stub(None)));
        Ok(evaluation_start(fields, Some(today), policy))
    }

    /// An empty `vdr:` evaluation (the CVSS scores as its supplementary information); the
    /// scanner's severity stays in `scanner_severity`. No `risk`, `due` or milestone.
    fn scanned_item(&self, scanned: &Scanned<'_>, policy: &Policy) -> Starting {
        let cvss = cvss_text(scanned);
        let fields = vec![("vdr".to_owned(), stub(cvss))];
        evaluation_start(fields, Some(scanned.detected), policy)
    }

    /// The workbook's Rev5-only columns (ratings, due date, milestones, vendor dependency,
    /// deviations) become a paragraph of `comments`; an open item gets an empty `vdr:`
    /// evaluation. A closed item gets none: its `vdr.disposition` is for a person to say.
    fn imported_row(&self, fields: Vec<(String, NewValue)>, policy: &Policy) -> Starting {
        let mut kept = Vec::with_capacity(fields.len() + 1);
        let mut rev5 = Vec::new();
        let mut comments = None;
        let mut detected = None;
        let mut closed = false;
        for (key, value) in fields {
            match key.as_str() {
                k if REV5_ONLY.contains(&k) => rev5.push((key, value)),
                "comments" => comments = Some(value),
                _ => {
                    if key == "detected" {
                        if let NewValue::Date(date) = value {
                            detected = Some(date);
                        }
                    }
                    if key == "status" {
                        closed = matches!(&value, NewValue::Str(s) if s == "closed");
                    }
                    kept.push((key, value));
                }
            }
        }
        let mut text = match comments {
            Some(NewValue::Str(text)) => text,
            _ => String::new(),
        };
        // A workbook poam exported under CR26: its Comments start with the export's own line
        // and its Scheduled Completion Date is that line's deadline, not a Rev5 due date.
        if text.starts_with(EXPORT_LINE) {
            text = text
                .split_once("\n\n")
                .map_or_else(String::new, |(_, own)| own.to_owned());
            rev5.retain(|(key, _)| key != "due");
        }
        if !rev5.is_empty() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            let _ = write!(
                text,
                "Rev5 POA&M columns of the imported workbook (informational under {}):",
                self.name()
            );
            for (key, value) in &rev5 {
                let _ = write!(text, "\n- {key}: {}", flat(value));
            }
        }
        if !text.is_empty() {
            kept.push(("comments".to_owned(), NewValue::Str(text)));
        }
        if closed {
            return Starting {
                fields: kept,
                ..Starting::default()
            };
        }
        kept.push(("vdr".to_owned(), stub(None)));
        evaluation_start(kept, detected, policy)
    }

    /// Scheduled Completion Date and the OSCAL deadline: the item's standing's next deadline,
    /// the same one `show`, the report and the site give; the evaluation and its deadlines lead
    /// the comments.
    fn export_mapping(&self, view: &ItemView) -> ExportMapping {
        let Some(v) = view.assessment.vdr.as_ref() else {
            return ExportMapping::default();
        };
        let next = standing_deadline(view);
        let deadline = next.map(|(_, moment)| ExportDeadline {
            date: moment.date(),
            at: Some(moment.rfc3339()),
        });
        let mut props = vec![("cr26-class", v.class.to_owned())];
        if let Some(current) = &v.current_label {
            props.push(("pain-rating", current.clone()));
        }
        if let Some(evaluated) = v.evaluated.as_deref().and_then(Moment::parse) {
            props.push(("evaluated", evaluated.rfc3339()));
        }
        if let Some((kind, _)) = next {
            props.push(("deadline-kind", kind.to_owned()));
        }
        if v.accepted {
            props.push(("accepted", "yes".to_owned()));
        }
        ExportMapping {
            scheduled_completion: deadline.as_ref().map(|d| d.date),
            deadline,
            comment: Some(evaluation_line(view, v)),
            risk_props: props,
        }
    }

    fn export_marker(&self, policy: &Policy) -> Option<ExportMarker> {
        Some(ExportMarker {
            profile: self.name(),
            label: format!("{} (Class {})", self.name(), policy.class.label()),
            scheduled_completion: SCHEDULED_COMPLETION,
        })
    }

    /// FedRAMP's VER reports are this profile's.
    fn reports_ver(&self) -> bool {
        true
    }

    fn downloads(&self) -> &'static [super::SiteDownload] {
        use super::SiteDownload;
        &[
            SiteDownload::FedrampWorkbook,
            SiteDownload::Oscal,
            SiteDownload::Ver,
        ]
    }

    /// The same as Rev5: the VER reports a closed item's `vdr.disposition`
    /// (`vdr-disposition-missing` asks for it), which says how it ended, not what shows it;
    /// the evidence behind a disposition is the assessor's to check, as under Rev5, so the
    /// item keeps `closed.evidence` text or a document added by the closing date. A document
    /// is not required over text: a disposition such as `false-positive` is often shown by
    /// a rationale rather than a file.
    fn closure_evidence(&self) -> super::ClosureEvidence {
        super::ClosureEvidence::TextOrDocument
    }
}

/// `[first of the month, first of the next month)` of `day`.
pub fn month_of(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = day.with_day(1).unwrap_or(day);
    let to = from
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(from);
    (from, to)
}

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
    /// When it was accepted (`vdr.accepted.date`), for accepted vulnerabilities.
    pub accepted_on: Option<String>,
    /// The evaluation deadline (detection + the class's days), for unevaluated ones.
    pub evaluate_by: Option<String>,
}

/// Open, evaluated vulnerabilities at one current N-rating, by column.
#[derive(Clone, Debug, Serialize)]
pub struct RatingRow {
    /// `N5` .. `N1`.
    pub rating: String,
    pub lev_irv: usize,
    pub lev_nirv: usize,
    pub nlev: usize,
    pub total: usize,
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
    /// The VER documents' entries for the period: the vulnerability detail report's
    /// (active during the period, not accepted), the accepted vulnerability information's
    /// (active during the period, accepted), and the history's active and accepted ones (open).
    /// Items the reports cannot carry (no id, description, detector or detection) are not
    /// counted here.
    pub ver_detail: usize,
    pub ver_accepted: usize,
    pub ver_active: usize,
    pub ver_active_accepted: usize,
    /// Open items the VER reports leave out: no id, description, detector or detection.
    pub not_reportable: usize,
}

/// Everything the monthly VDR report and the CR26 dashboard show.
#[derive(Clone, Debug, Default, Serialize)]
pub struct VdrSummary {
    /// `YYYY-MM`.
    pub period: String,
    /// Not a template key of its own: the report's `summary.today` says it.
    #[serde(skip)]
    pub today: NaiveDate,
    /// `B`, `C` or `D`.
    pub class: &'static str,
    /// VER-TFR-EVU: days from detection to a completed evaluation for the class.
    pub evaluation_days: u32,
    /// The window of "due soon" (`due_soon_days` of `poam.yaml`).
    pub due_soon_days: u32,
    pub package_overview_uri: Option<String>,
    pub counts: VdrCounts,
    /// Open, evaluated vulnerabilities by current N-rating (N5 first) and column.
    pub by_rating: Vec<RatingRow>,
    /// Overdue now, or likely to become so (next reduction planned after its deadline).
    pub overdue: Vec<VdrRow>,
    /// Open, not accepted, evaluated vulnerabilities whose reduction deadline has passed or
    /// falls within `due_soon_days`, nearest first.
    pub reductions_due: Vec<VdrRow>,
    pub accepted: Vec<VdrRow>,
    /// Open, not accepted vulnerabilities with a planned next reduction, soonest first.
    pub next_reductions: Vec<VdrRow>,
    /// Items with a KEV due date (open, or closed in the period).
    pub kev: Vec<VdrRow>,
    /// Open items under VER-TFR-IRI or VER-TFR-NRI.
    pub incidents: Vec<VdrRow>,
    /// Open items without a completed evaluation (the evaluation backlog).
    pub not_evaluated: Vec<VdrRow>,
    /// Item id → its site page (filled for reports and the site).
    pub pages: BTreeMap<String, String>,
}

/// The date of a view's moment (`YYYY-MM-DD` or RFC 3339).
fn moment_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// What every VER report entry requires (see `crate::export::ver`).
fn reportable(view: &ItemView, v: &VdrAssessmentView) -> bool {
    view.id.is_some()
        && view.description.is_some()
        && view.detector.is_some()
        && v.detected.is_some()
}

impl VdrSummary {
    /// The summary of `views` for the month `[from, to)`, assessed as of `today`.
    pub fn from_views(
        views: &[ItemView],
        config: &Config,
        period: &str,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> VdrSummary {
        let class = config.policy.class;
        let mut summary = VdrSummary {
            period: period.to_owned(),
            today,
            class: class.label(),
            evaluation_days: evaluation_days(class),
            due_soon_days: config.policy.due_soon_days,
            package_overview_uri: config.cr26.package_overview_uri.clone(),
            ..VdrSummary::default()
        };
        let mut planned = Vec::new();
        let mut due = Vec::new();
        let mut by_rating: BTreeMap<(u8, Column), usize> = BTreeMap::new();
        for view in views {
            let Some(v) = &view.assessment.vdr else {
                continue;
            };
            let open = view.assessment.open;
            let closed_on = view.closed.as_ref().and_then(|c| c.date);
            let closed = view.status == Some("closed");
            let closed_in_period = closed && closed_on.is_some_and(|c| c >= from && c < to);
            let accepted_on = view
                .vdr
                .as_ref()
                .and_then(|vdr| vdr.accepted.as_ref())
                .and_then(|a| a.date.clone());
            let row = |note: Option<String>| VdrRow {
                id: view.id.clone().unwrap_or_else(|| "(no id)".to_owned()),
                title: view.title.clone().unwrap_or_default(),
                rating: v
                    .current_label
                    .clone()
                    .unwrap_or_else(|| "not evaluated".to_owned()),
                reduction_deadline: v.reduction_deadline.clone(),
                next_reduction: match (v.next_reduction_pain, &v.next_reduction_at) {
                    (Some(pain), Some(at)) => Some(format!("N{pain} by {at}")),
                    _ => None,
                },
                note,
                accepted_on: accepted_on.clone().filter(|_| v.accepted),
                evaluate_by: v
                    .evaluation_deadline
                    .clone()
                    .filter(|_| v.current.is_none()),
            };
            if reportable(view, v) {
                let detected = v.detected.as_deref().and_then(moment_date);
                let in_period =
                    detected.is_some_and(|d| active_in_period(d, open, closed_on, from, to));
                match (in_period, v.accepted) {
                    (true, false) => summary.counts.ver_detail += 1,
                    (true, true) => summary.counts.ver_accepted += 1,
                    _ => {}
                }
                match (open, v.accepted) {
                    (true, false) => summary.counts.ver_active += 1,
                    (true, true) => summary.counts.ver_active_accepted += 1,
                    _ => {}
                }
            } else if open {
                summary.counts.not_reportable += 1;
            }
            if view.kev_due.is_some() && (open || closed_in_period) {
                let note = match (view.kev_due, v.kev_late, open) {
                    (Some(due), true, _) => format!("KEV due {due}: passed"),
                    (Some(due), false, true) => format!("KEV due {due}"),
                    _ => format!("closed as {}", v.disposition.unwrap_or("(no disposition)")),
                };
                summary.kev.push(row(Some(note)));
            }
            if closed_in_period {
                summary.counts.closed_in_period += 1;
            }
            if !open {
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
                *by_rating
                    .entry((current.pain, current.column()))
                    .or_default() += 1;
            } else {
                summary.counts.not_evaluated += 1;
                let note = v.evaluation_deadline.as_ref().map(|d| {
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
                let rationale = view
                    .vdr
                    .as_ref()
                    .and_then(|vdr| vdr.accepted.as_ref())
                    .and_then(|a| a.rationale.as_ref())
                    .map(|r| r.trim().to_owned());
                summary.accepted.push(row(rationale));
            } else {
                let (overdue, explanation) = report_overdue(view, v, class);
                if overdue {
                    summary.overdue.push(row(explanation));
                }
                if let (Some(_), Some(at)) = (v.next_reduction_pain, &v.next_reduction_at) {
                    let note = v.planned_late.then(|| "after the deadline".to_owned());
                    planned.push((at.clone(), moment_key(at), row(note)));
                }
                if let Some(deadline) = view
                    .standing
                    .next_deadline
                    .as_ref()
                    .filter(|d| d.kind == "reduce-by")
                {
                    if deadline.passed
                        || deadline.days_left <= i64::from(config.policy.due_soon_days)
                    {
                        let note = if deadline.passed {
                            format!("passed {} days ago", -deadline.days_left)
                        } else {
                            format!("in {} days", deadline.days_left)
                        };
                        due.push((deadline.days_left, row(Some(note))));
                    }
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
        planned.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.2.id.cmp(&b.2.id)));
        summary.next_reductions = planned.into_iter().map(|(_, _, row)| row).collect();
        due.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
        summary.reductions_due = due.into_iter().map(|(_, row)| row).collect();
        summary.by_rating = (1..=5u8)
            .rev()
            .map(|pain| {
                let n = |column| by_rating.get(&(pain, column)).copied().unwrap_or(0);
                let (lev_irv, lev_nirv, nlev) =
                    (n(Column::LevIrv), n(Column::LevNirv), n(Column::Nlev));
                RatingRow {
                    rating: format!("N{pain}"),
                    lev_irv,
                    lev_nirv,
                    nlev,
                    total: lev_irv + lev_nirv + nlev,
                }
            })
            .collect();
        summary
    }
}

/// A planned moment's order: its instant (a bare date is 00:00 UTC).
fn moment_key(text: &str) -> String {
    if text.len() == 10 {
        format!("{text}T00:00:00Z")
    } else {
        text.to_owned()
    }
}

/// What the reports' `overdueStatus` says (see
/// [`crate::policy::cr26::VdrAssessment::report_overdue`]), read from the view.
fn report_overdue(
    view: &ItemView,
    v: &VdrAssessmentView,
    class: crate::policy::Cr26Class,
) -> (bool, Option<String>) {
    let own = view.vdr.as_ref().and_then(|vdr| vdr.overdue.clone());
    if v.overdue {
        return (true, v.overdue_explanation.clone());
    }
    if v.evaluation_overdue {
        let reason = v.evaluation_deadline.as_ref().map(|d| {
            format!(
                "not evaluated within {} days of detection (by {d})",
                evaluation_days(class)
            )
        });
        return (true, own.or(reason));
    }
    (false, own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_month_is_the_calendar_month_of_today() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(
            month_of(day(2026, 12, 31)),
            (day(2026, 12, 1), day(2027, 1, 1))
        );
        assert_eq!(
            month_of(day(2026, 2, 1)),
            (day(2026, 2, 1), day(2026, 3, 1))
        );
    }

    #[test]
    fn moments_read_as_their_utc_date() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21);
        assert_eq!(moment_date("2026-11-21"), day);
        assert_eq!(moment_date("2026-11-21T10:00:00Z"), day);
        assert_eq!(moment_date("soon"), None);
        assert_eq!(moment_key("2026-11-21"), "2026-11-21T00:00:00Z");
    }
}

/// The keys of an evaluation, empty, in the documented order; `supplementary` when given.
fn stub(supplementary: Option<String>) -> NewValue {
    let mut entries: Vec<(String, NewValue)> = ["evaluated", "irv", "lev", "pain", "rationale"]
        .into_iter()
        .map(|k| (k.to_owned(), NewValue::Null))
        .collect();
    if let Some(text) = supplementary {
        entries.push(("supplementary".to_owned(), NewValue::Str(text)));
    }
    NewValue::Map(entries)
}

/// `fields` with the evaluate-by date (detection + the class's evaluation days) as the
/// `vdr:` comment and the reported deadline.
fn evaluation_start(
    fields: Vec<(String, NewValue)>,
    detected: Option<NaiveDate>,
    policy: &Policy,
) -> Starting {
    let days = evaluation_days(policy.class);
    let class = policy.class.label();
    let by = detected.map(|d| d + chrono::Days::new(u64::from(days)));
    let when = match by {
        Some(date) => format!("Evaluate by {date}"),
        None => "Evaluate".to_owned(),
    };
    Starting {
        fields,
        vdr_note: Some(format!(
            "{when}: Class {class} allows {days} days from detection (VER-TFR-EVU).\nRecord when it was evaluated, irv and lev (true/false), pain (1-5) and the rationale."
        )),
        deadline: by.map(|date| StartDeadline {
            kind: "evaluate by",
            date,
        }),
        rating: Some("not evaluated".to_owned()),
        needs_rating: false,
    }
}

/// `CVSS v3 base score 9.8 (Nessus: Critical)`; `None` without a score.
fn cvss_text(scanned: &Scanned<'_>) -> Option<String> {
    let mut scores = Vec::new();
    if let Some(score) = scanned.cvss3 {
        scores.push(format!("CVSS v3 base score {score:.1}"));
    }
    if let Some(score) = scanned.cvss2 {
        scores.push(format!("CVSS v2 base score {score:.1}"));
    }
    if scores.is_empty() {
        return None;
    }
    let severity = scanned.scanner_severity.trim();
    let source = if severity.is_empty() {
        scanned.detector.to_owned()
    } else {
        format!("{}: {severity}", scanned.detector)
    };
    Some(format!("{} ({source})", scores.join(", ")))
}

/// A value of the item format on one line: lists `a; b`, mappings `key: value, …`.
fn flat(value: &NewValue) -> String {
    match value {
        NewValue::Str(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        NewValue::Date(d) => d.to_string(),
        NewValue::Int(i) => i.to_string(),
        NewValue::Bool(b) => b.to_string(),
        NewValue::Null => String::new(),
        NewValue::List(items) => items
            .iter()
            .map(|item| match item {
                NewValue::Map(_) => format!("({})", flat(item)),
                _ => flat(item),
            })
            .collect::<Vec<_>>()
            .join("; "),
        NewValue::Map(entries) => entries
            .iter()
            .map(|(k, v)| match v {
                NewValue::Map(_) => format!("{k}: ({})", flat(v)),
                _ => format!("{k}: {}", flat(v)),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The deadline the item's standing holds it to now, with its kind (`evaluate-by`,
/// `reduce-by`, `accept-by` or `kev`): the exports read the standing so that they give the
/// deadline `show`, the report and the site give.
fn standing_deadline(view: &ItemView) -> Option<(&'static str, Moment)> {
    let next = view.standing.next_deadline.as_ref()?;
    Moment::parse(&next.date).map(|moment| (next.kind, moment))
}

/// One line on the item's CR26 state for the exports' comments.
fn evaluation_line(view: &ItemView, v: &VdrAssessmentView) -> String {
    let mut out = format!("{EXPORT_LINE}{}: ", v.class.to_ascii_uppercase());
    match (&v.evaluated, &v.current_label) {
        (None, _) => out.push_str("not evaluated"),
        (Some(at), None) => {
            let _ = write!(out, "evaluation of {at} incomplete");
        }
        (Some(at), Some(current)) => {
            let _ = write!(out, "{current}, evaluated {at}");
            if let (Some(since), Some(initial)) = (&v.current_since, v.initial) {
                if Some(since) != v.evaluated.as_ref() {
                    let _ = write!(out, ", reduced from N{} on {since}", initial.pain);
                }
            }
        }
    }
    if v.accepted {
        out.push_str("; accepted");
        let on = view
            .vdr
            .as_ref()
            .and_then(|b| b.accepted.as_ref()?.date.as_ref());
        if let Some(on) = on {
            let _ = write!(out, " on {on}");
        }
    }
    let accept = |out: &mut String| {
        if let Some(accept) = &v.accept_deadline {
            let _ = write!(
                out,
                "; accept by {accept} unless fully mitigated or remediated"
            );
        }
    };
    match standing_deadline(view) {
        Some(("evaluate-by", at)) => {
            let _ = write!(out, "; evaluate by {at}");
        }
        Some(("reduce-by", at)) => {
            let pain = v.current.map_or(0, |c| c.pain);
            let _ = write!(out, "; reduce below N{pain} by {at}");
            if v.accept_deadline != v.reduction_deadline {
                accept(&mut out);
            }
        }
        Some(("kev", at)) => {
            let _ = write!(out, "; remediate by {} (CISA KEV due date)", at.date());
            if !v.accepted {
                accept(&mut out);
            }
        }
        Some(_) => accept(&mut out),
        None => {}
    }
    if let Some(next) = &v.next_reduction_at {
        let pain = v
            .next_reduction_pain
            .map_or_else(String::new, |p| format!(" to N{p}"));
        let _ = write!(out, "; next reduction{pain} planned {next}");
    }
    if v.overdue {
        out.push_str("; overdue");
    }
    if let Some(disposition) = v.disposition {
        let _ = write!(out, "; disposition {disposition}");
    }
    out.push('.');
    out
}

#[cfg(test)]
mod exchange_tests {
    use super::*;

    #[test]
    fn the_note_heads_the_vdr_block_and_nothing_else_moves() {
        let fields = vec![
            ("id".to_owned(), NewValue::Str("V-1".into())),
            // A value that mentions `vdr:` at the start of a line of its own.
            ("description".to_owned(), NewValue::Str("a\nvdr: b".into())),
            ("vdr".to_owned(), stub(None)),
        ];
        let plain = crate::edit::render_new_item(&fields);
        let noted = super::super::render_new_item(&fields, Some("one\ntwo"));
        assert_eq!(
            noted,
            plain.replace("\nvdr:\n", "\nvdr:\n  # one\n  # two\n"),
            "{noted}"
        );
        assert_eq!(super::super::render_new_item(&fields, None), plain);
    }

    #[test]
    fn flat_values_keep_every_part() {
        let milestones = NewValue::List(vec![NewValue::Map(vec![
            ("id".into(), NewValue::Int(1)),
            ("date".into(), NewValue::Date(NaiveDate::MIN)),
            ("description".into(), NewValue::Str("Patch\n it".into())),
        ])]);
        assert_eq!(
            flat(&milestones),
            format!("(id: 1, date: {}, description: Patch it)", NaiveDate::MIN)
        );
    }
}
