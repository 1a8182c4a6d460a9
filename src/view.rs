//! The item view: an item's fields plus its assessment, as plain serializable data. The one
//! shape that JSON outputs, templates and exports read.
//!
//! Versioned: [`VIEW_VERSION`] changes when a key is removed or changes meaning; new keys may
//! be added within a version. Every key is always present (`null` or `[]` when unset), except
//! `rmf`, which only `dod-rmf` items carry (so the other profiles' outputs stay as they were);
//! dates are `YYYY-MM-DD`, enumerations are lower-case words.
//!
//! `standing` (added within version 1) is the profile's judgement of the item: its state, the
//! next deadline and the rating that drives it (`crate::profiles` fills it). Under a profile
//! other than `fedramp-rev5` the Rev5 deadline keys of `assessment` (`effective_risk` to
//! `next_milestone`) are `null` (`false` for the flags): they do not apply there, `standing`
//! and `assessment.vdr` say where the item stands.
//!
//! Also here: the row an item is listed under in summaries and pages ([`ItemRef`]).

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::item::{Deviation, Item, RiskAdjustment};
use crate::model::vdr::{Disposition, Moment, Vdr};
use crate::model::Sp;
use crate::policy::cr26::{Incident, Rating, VdrAssessment};
use crate::policy::rev5::{ClockStart, Excuse, StatusSource};
use crate::policy::{days_between, Assessment};

/// Version of the item view's shape.
pub const VIEW_VERSION: u32 = 1;

/// One item as written plus everything computed about it.
#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    pub id: Option<String>,
    /// The item file, relative to the repository root, `/`-separated.
    pub path: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub controls: Vec<String>,
    /// The SP 800-171 Rev 2 requirement (`cmmc-l2`); left out when the item names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirement: Option<String>,
    pub detector: Option<String>,
    pub detector_id: Option<String>,
    pub assets: Vec<String>,
    pub owner: Option<String>,
    pub resources: Option<String>,
    pub remediation: Option<String>,
    pub detected: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub risk: Option<&'static str>,
    pub milestones: Vec<MilestoneView>,
    pub milestone_changes: Vec<MilestoneChangeView>,
    pub status: Option<&'static str>,
    pub status_date: Option<NaiveDate>,
    pub vendor_dependency: Option<VendorView>,
    pub deviations: DeviationsView,
    pub kev_due: Option<NaiveDate>,
    pub cves: Vec<String>,
    pub services: Vec<String>,
    pub documents: Vec<DocumentView>,
    pub comments: Option<String>,
    pub closed: Option<ClosedView>,
    /// The `vdr:` block as written (CR26), `null` when absent.
    pub vdr: Option<VdrView>,
    /// The `rmf:` block as written with its eMASS status and category (DoD RMF); the key is
    /// left out under the other profiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rmf: Option<RmfView>,
    pub assessment: AssessmentView,
    /// Where the item stands under the system's profile.
    pub standing: StandingView,
}

/// Where an item stands under its system's profile, as of `today`.
#[derive(Clone, Debug, Serialize)]
pub struct StandingView {
    /// The profile judging: `fedramp-rev5`, `fedramp-cr26`.
    pub profile: &'static str,
    pub state: State,
    /// What excuses the lateness, when `state` is `excused`.
    pub excuse: Option<String>,
    /// Not late yet, but planned to miss the next deadline (CR26: the next reduction is
    /// planned after the reduction deadline, or beyond the acceptance deadline).
    pub likely_late: bool,
    /// The deadline that decides the state (`null` when none applies).
    pub next_deadline: Option<DeadlineView>,
    /// The rating that drives the deadline (`null` when unrated or not evaluated).
    pub rating: Option<RatingView>,
    /// One line a person reads: why it is late or likely late, or what the rule says.
    pub note: Option<String>,
}

/// An item's state under its profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Late,
    NotEvaluated,
    DueSoon,
    OnTime,
    Excused,
    Accepted,
    Closed,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Late => "late",
            State::NotEvaluated => "not-evaluated",
            State::DueSoon => "due-soon",
            State::OnTime => "on-time",
            State::Excused => "excused",
            State::Accepted => "accepted",
            State::Closed => "closed",
        }
    }
}

/// A deadline an item is held to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadlineView {
    /// Rev5: `due`, `policy-deadline` or `kev`; CR26: `evaluate-by`, `reduce-by`,
    /// `accept-by` or `kev`.
    pub kind: &'static str,
    /// `YYYY-MM-DD`, or RFC 3339 when the deadline has a time of day.
    pub date: String,
    /// The rating the item must reach by then (CR26 `reduce-by`: `N3` means N3 or lower).
    pub target: Option<String>,
    /// Whole days from today to the deadline's date; negative once it has passed.
    pub days_left: i64,
    /// The deadline has passed.
    pub passed: bool,
}

/// The rating that drives an item's deadlines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatingView {
    /// `high`, `N4 LEV+IRV`.
    pub label: String,
    /// Rev5: `risk` or `risk-adjustment`; CR26: `evaluation` or `reduction`.
    pub source: &'static str,
    /// The N-rating (CR26).
    pub pain: Option<u8>,
    /// Internet-reachable (CR26).
    pub irv: Option<bool>,
    /// Likely exploitable (CR26).
    pub lev: Option<bool>,
}

/// The risk buckets, most severe first.
pub const RISKS: [&str; 4] = ["high", "moderate", "low", "unrated"];

/// The bucket of an item: its effective rating, Critical counted as High.
pub fn risk_bucket(view: &ItemView) -> &'static str {
    match view.assessment.effective_risk {
        Some("critical" | "high") => "high",
        Some("moderate") => "moderate",
        Some("low") => "low",
        _ => "unrated",
    }
}

/// An item as listed in a summary table or a page's list.
#[derive(Clone, Debug, Serialize)]
pub struct ItemRef {
    pub id: String,
    pub title: Option<String>,
    /// The risk bucket (see [`risk_bucket`]): Critical counted as High, for counting.
    pub risk: &'static str,
    /// The effective rating as it is (`critical` stays `critical`), `null` when unrated.
    pub rating: Option<&'static str>,
    pub owner: Option<String>,
    /// The controls the item names, as written.
    pub controls: Vec<String>,
    pub status: Option<&'static str>,
    pub open: bool,
    pub detected: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub days_late: Option<i64>,
    pub overdue: bool,
    /// Days since `detected`.
    pub age_days: Option<i64>,
    /// The closing date of a closed item (`closed.date`, else `status_date`).
    pub closed_on: Option<NaiveDate>,
    /// What excuses an open item's lateness, in words (Rev5: an approved operational
    /// requirement, a vendor dependency with a current check-in).
    pub excuse: Option<String>,
    /// The item's page in the site, relative to the site root.
    pub page: String,
    /// Where the item stands under the profile.
    pub standing: StandingView,
    /// The SP 800-171 Rev 2 requirement (`cmmc-l2`); `null` when the item names none.
    pub requirement: Option<String>,
    /// What a DoD RMF list shows of the item; `null` under the other profiles.
    pub rmf: Option<RmfRef>,
}

/// The columns of a DoD RMF item in a list: its category, eMASS status and IAVA.
#[derive(Clone, Debug, Serialize)]
pub struct RmfRef {
    /// `CAT I`, for people; `null` when unrated.
    pub cat_label: Option<&'static str>,
    /// `Ongoing`, `Risk Accepted` or `Completed`.
    pub emass_status: &'static str,
    pub iava_id: Option<String>,
    pub iava_comply_by: Option<NaiveDate>,
    /// When a risk acceptance ends (`null`: long-term or none).
    pub risk_accepted_expires: Option<NaiveDate>,
}

impl ItemRef {
    pub fn new(view: &ItemView, page: String) -> ItemRef {
        ItemRef {
            id: display_id(view),
            title: view.title.clone(),
            risk: risk_bucket(view),
            rating: view.assessment.effective_risk,
            owner: view.owner.clone(),
            controls: view.controls.clone(),
            status: view.status,
            open: view.assessment.open,
            detected: view.detected,
            due: view.due,
            days_left: view.assessment.days_left,
            days_late: view.assessment.days_late,
            overdue: view.assessment.overdue,
            age_days: view
                .detected
                .map(|d| days_between(d, view.assessment.today)),
            closed_on: (!view.assessment.open)
                .then(|| {
                    view.closed
                        .as_ref()
                        .and_then(|c| c.date)
                        .or(view.status_date)
                })
                .flatten(),
            excuse: view
                .assessment
                .excuse
                .as_ref()
                .map(|e| e.description.clone())
                .or_else(|| view.standing.excuse.clone()),
            page,
            standing: view.standing.clone(),
            requirement: view.requirement.clone(),
            rmf: view.rmf.as_ref().map(|r| RmfRef {
                cat_label: r.cat_label,
                emass_status: r.emass_status,
                iava_id: r.iava_id.clone(),
                iava_comply_by: r.iava_comply_by,
                risk_accepted_expires: r.risk_accepted_expires,
            }),
        }
    }
}

/// The id an item is listed under: its `id`, else its file.
pub fn display_id(view: &ItemView) -> String {
    view.id.clone().unwrap_or_else(|| view.path.clone())
}

/// A milestone of `milestones:` or one added by a `new` change, with changes applied.
#[derive(Clone, Debug, Serialize)]
pub struct MilestoneView {
    pub id: u32,
    /// The date as planned in `milestones:` (`null` for a milestone added by a change).
    pub planned_date: Option<NaiveDate>,
    /// The date after `update` changes.
    pub date: NaiveDate,
    pub description: Option<String>,
    pub completed: Option<NaiveDate>,
    pub overdue: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneChangeView {
    pub milestone: Option<u32>,
    pub kind: Option<&'static str>,
    pub date: Option<NaiveDate>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VendorView {
    pub product: Option<String>,
    pub last_checkin: Option<NaiveDate>,
    pub fix_released: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct DeviationsView {
    pub risk_adjustment: Option<RiskAdjustmentView>,
    pub false_positive: Option<DeviationView>,
    pub operational_requirement: Option<DeviationView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RiskAdjustmentView {
    pub status: Option<&'static str>,
    pub adjusted_risk: Option<&'static str>,
    pub rationale: Option<String>,
    pub auto_approved: Option<bool>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeviationView {
    pub status: Option<&'static str>,
    pub rationale: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocumentView {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    /// The evidence file, relative to the folder of `poam.yaml` (added within version 1, as
    /// are `url`, `sha256`, `added` and `note`).
    pub path: Option<String>,
    pub url: Option<String>,
    pub sha256: Option<String>,
    pub added: Option<NaiveDate>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ClosedView {
    pub date: Option<NaiveDate>,
    pub evidence: Option<String>,
}

/// What poam computed about the item as of `today`.
#[derive(Clone, Debug, Serialize)]
pub struct AssessmentView {
    pub today: NaiveDate,
    pub open: bool,
    /// The rating deadlines count from: an approved risk adjustment's, else `risk`.
    pub effective_risk: Option<&'static str>,
    /// `risk` or `risk-adjustment`.
    pub effective_risk_source: Option<&'static str>,
    pub clock_start: Option<NaiveDate>,
    /// `detected` or `fix-released`.
    pub clock_start_source: Option<&'static str>,
    /// The days the profile allows for the effective rating.
    pub policy_days: Option<u32>,
    /// Clock start + policy days, or the KEV due date when earlier.
    pub policy_deadline: Option<NaiveDate>,
    pub policy_deadline_kev: bool,
    /// Days from today to `due` (negative once passed).
    pub days_left: Option<i64>,
    /// Days past `due` for an open item.
    pub days_late: Option<i64>,
    pub overdue: bool,
    pub due_soon: bool,
    pub excuse: Option<ExcuseView>,
    pub vendor_checkin: Option<VendorCheckinView>,
    pub status_age: Option<StatusAgeView>,
    pub next_milestone: Option<NextMilestoneView>,
    /// Dates of past events that lie after `today` (each is an error and counts for nothing).
    pub future_dates: Vec<FutureDateView>,
    /// The CR26 assessment, under `fedramp-cr26` only (`null` otherwise).
    pub vdr: Option<VdrAssessmentView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExcuseView {
    /// `vendor-dependency` or `operational-requirement`.
    pub kind: &'static str,
    pub description: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct VendorCheckinView {
    pub last: Option<NaiveDate>,
    pub next_due: Option<NaiveDate>,
    pub age_days: Option<i64>,
    /// True until the vendor has released the fix.
    pub pending: bool,
    pub stale: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct StatusAgeView {
    pub date: NaiveDate,
    /// `status-date` or `last-commit`.
    pub source: &'static str,
    pub age_days: i64,
    pub stale: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct NextMilestoneView {
    pub id: u32,
    pub date: NaiveDate,
    pub description: Option<String>,
    pub days_left: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct FutureDateView {
    pub field: String,
    pub date: NaiveDate,
}

fn text(value: Option<&Sp<String>>) -> Option<String> {
    value.map(|v| v.value.clone())
}

fn texts(value: Option<&Sp<Vec<Sp<String>>>>) -> Vec<String> {
    value
        .map(|list| list.value.iter().map(|v| v.value.clone()).collect())
        .unwrap_or_default()
}

fn date(value: Option<&Sp<NaiveDate>>) -> Option<NaiveDate> {
    value.map(|v| v.value)
}

fn deviation(d: &Deviation) -> DeviationView {
    DeviationView {
        status: d.status.as_ref().map(|s| s.value.name()),
        rationale: text(d.rationale.as_ref()),
    }
}

fn risk_adjustment(r: &RiskAdjustment) -> RiskAdjustmentView {
    RiskAdjustmentView {
        status: r.status.as_ref().map(|s| s.value.name()),
        adjusted_risk: r.adjusted_risk.as_ref().map(|r| r.value.name()),
        rationale: text(r.rationale.as_ref()),
        auto_approved: r.auto_approved.as_ref().map(|a| a.value),
    }
}

impl ItemView {
    /// The view of `item`, read from the file named `path`, assessed as `assessment`, standing
    /// as its profile judges (see `crate::profiles`).
    pub fn new(
        path: &str,
        item: &Item,
        assessment: &Assessment,
        standing: StandingView,
    ) -> ItemView {
        let planned: Vec<(u32, NaiveDate)> = item
            .milestones
            .iter()
            .flat_map(|m| m.value.iter())
            .filter_map(|m| Some((m.id.as_ref()?.value, m.date.as_ref()?.value)))
            .collect();
        ItemView {
            id: text(item.id.as_ref()),
            path: path.to_owned(),
            title: text(item.title.as_ref()),
            description: text(item.description.as_ref()),
            controls: texts(item.controls.as_ref()),
            requirement: text(item.requirement.as_ref()),
            detector: text(item.detector.as_ref()),
            detector_id: text(item.detector_id.as_ref()),
            assets: texts(item.assets.as_ref()),
            owner: text(item.owner.as_ref()),
            resources: text(item.resources.as_ref()),
            remediation: text(item.remediation.as_ref()),
            detected: date(item.detected.as_ref()),
            due: date(item.due.as_ref()),
            risk: item.risk.as_ref().map(|r| r.value.name()),
            milestones: assessment
                .milestones
                .iter()
                .map(|m| MilestoneView {
                    id: m.id,
                    planned_date: planned
                        .iter()
                        .find(|(id, _)| *id == m.id && m.planned)
                        .map(|(_, d)| *d),
                    date: m.date,
                    description: m.description.map(str::to_owned),
                    completed: m.completed,
                    overdue: m.overdue,
                })
                .collect(),
            milestone_changes: item
                .milestone_changes
                .iter()
                .flat_map(|c| c.value.iter())
                .map(|c| MilestoneChangeView {
                    milestone: c.milestone.as_ref().map(|m| m.value),
                    kind: c.kind.as_ref().map(|k| k.value.name()),
                    date: date(c.date.as_ref()),
                    description: text(c.description.as_ref()),
                })
                .collect(),
            status: item.status.as_ref().map(|s| s.value.name()),
            status_date: date(item.status_date.as_ref()),
            vendor_dependency: item.vendor_dependency.as_ref().map(|v| VendorView {
                product: text(v.product.as_ref()),
                last_checkin: date(v.last_checkin.as_ref()),
                fix_released: date(v.fix_released.as_ref()),
            }),
            deviations: item
                .deviations
                .as_ref()
                .map(|d| DeviationsView {
                    risk_adjustment: d.risk_adjustment.as_ref().map(risk_adjustment),
                    false_positive: d.false_positive.as_ref().map(deviation),
                    operational_requirement: d.operational_requirement.as_ref().map(deviation),
                })
                .unwrap_or_default(),
            kev_due: date(item.kev_due.as_ref()),
            cves: texts(item.cves.as_ref()),
            services: texts(item.services.as_ref()),
            documents: item
                .documents
                .iter()
                .flat_map(|d| d.value.iter())
                .map(|d| DocumentView {
                    kind: text(d.kind.as_ref()),
                    name: text(d.name.as_ref()),
                    path: text(d.path.as_ref()),
                    url: text(d.url.as_ref()),
                    sha256: text(d.sha256.as_ref()),
                    added: date(d.added.as_ref()),
                    note: text(d.note.as_ref()),
                })
                .collect(),
            comments: text(item.comments.as_ref()),
            closed: item.closed.as_ref().map(|c| ClosedView {
                date: date(c.date.as_ref()),
                evidence: text(c.evidence.as_ref()),
            }),
            vdr: item.vdr.as_deref().map(VdrView::new),
            rmf: assessment.rmf.as_ref().map(|r| RmfView::new(item, r)),
            assessment: AssessmentView::new(assessment),
            standing,
        }
    }
}

impl AssessmentView {
    /// The Rev5 deadline keys set to `null` (`false` for the flags): for profiles whose
    /// deadlines are not Rev5's, where those numbers would contradict the item's standing.
    pub fn without_rev5_deadlines(self) -> AssessmentView {
        AssessmentView {
            effective_risk: None,
            effective_risk_source: None,
            clock_start: None,
            clock_start_source: None,
            policy_days: None,
            policy_deadline: None,
            policy_deadline_kev: false,
            days_left: None,
            days_late: None,
            overdue: false,
            due_soon: false,
            excuse: None,
            vendor_checkin: None,
            next_milestone: None,
            ..self
        }
    }

    pub fn new(a: &Assessment) -> AssessmentView {
        AssessmentView {
            today: a.today,
            open: a.open,
            effective_risk: a.rating.map(|r| r.rating.name()),
            effective_risk_source: a.rating.map(|r| {
                if r.adjusted {
                    "risk-adjustment"
                } else {
                    "risk"
                }
            }),
            clock_start: a.clock_start.map(|(d, _)| d),
            clock_start_source: a.clock_start.map(|(_, kind)| match kind {
                ClockStart::Detected => "detected",
                ClockStart::FixReleased => "fix-released",
            }),
            policy_days: a.policy_deadline.map(|p| p.days),
            policy_deadline: a.policy_deadline.map(|p| p.date),
            policy_deadline_kev: a.policy_deadline.is_some_and(|p| p.kev_bound),
            days_left: a.days_left,
            days_late: a.days_late(),
            overdue: a.overdue,
            due_soon: a.due_soon,
            excuse: a.excuse.map(|e| ExcuseView {
                kind: match e {
                    Excuse::VendorPending { .. } => "vendor-dependency",
                    Excuse::OperationalRequirement => "operational-requirement",
                    Excuse::RiskAccepted { .. } => "risk-accepted",
                },
                description: e.describe(),
            }),
            vendor_checkin: a.vendor_checkin.map(|v| VendorCheckinView {
                last: v.last.map(|l| l.value),
                next_due: v.next_due,
                age_days: v.age_days,
                pending: v.pending,
                stale: v.stale,
            }),
            status_age: a.status.map(|s| StatusAgeView {
                date: s.date,
                source: match s.source {
                    StatusSource::StatusDate => "status-date",
                    StatusSource::LastCommit => "last-commit",
                },
                age_days: s.age_days,
                stale: s.stale,
            }),
            next_milestone: a.next_milestone().map(|m| NextMilestoneView {
                id: m.id,
                date: m.date,
                description: m.description.map(str::to_owned),
                days_left: crate::policy::days_between(a.today, m.date),
            }),
            future_dates: a
                .future_dates
                .iter()
                .map(|f| FutureDateView {
                    field: f.field.clone(),
                    date: f.date,
                })
                .collect(),
            vdr: a.vdr.as_ref().map(VdrAssessmentView::new),
        }
    }
}

/// A versioned JSON document holding one item view (`poam show --format json`).
#[derive(Serialize)]
pub struct ShowDocument<'a> {
    pub version: u32,
    pub item: &'a ItemView,
}

/// A versioned JSON document holding every item view (`items.json`).
#[derive(Serialize)]
pub struct ItemsDocument<'a> {
    pub version: u32,
    pub today: NaiveDate,
    pub items: &'a [ItemView],
}

/// A date or date-time of the `vdr:` block: `YYYY-MM-DD` when written as a date, else RFC 3339
/// in UTC.
fn moment(value: Option<&Sp<Moment>>) -> Option<String> {
    value.map(|m| m.value.to_string())
}

/// The `vdr:` block as written.
#[derive(Clone, Debug, Serialize)]
pub struct VdrView {
    pub detected_at: Option<String>,
    pub evaluated: Option<String>,
    pub irv: Option<bool>,
    pub lev: Option<bool>,
    pub pain: Option<i64>,
    pub rationale: Option<String>,
    pub reductions: Vec<ReductionView>,
    pub next_reduction: Option<NextReductionView>,
    pub overdue: Option<String>,
    pub supplementary: Option<String>,
    pub accepted: Option<AcceptedView>,
    pub disposition: Option<&'static str>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReductionView {
    pub at: Option<String>,
    pub pain: Option<i64>,
    pub irv: Option<bool>,
    pub lev: Option<bool>,
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NextReductionView {
    pub at: Option<String>,
    pub pain: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AcceptedView {
    pub date: Option<String>,
    pub rationale: Option<String>,
}

impl VdrView {
    pub fn new(v: &Vdr) -> VdrView {
        let flag = |b: Option<&Sp<bool>>| b.map(|b| b.value);
        VdrView {
            detected_at: moment(v.detected_at.as_ref()),
            evaluated: moment(v.evaluated.as_ref()),
            irv: flag(v.irv.as_ref()),
            lev: flag(v.lev.as_ref()),
            pain: v.pain.as_ref().map(|p| p.value),
            rationale: text(v.rationale.as_ref()),
            reductions: v
                .reductions()
                .iter()
                .map(|r| ReductionView {
                    at: moment(r.at.as_ref()),
                    pain: r.pain.as_ref().map(|p| p.value),
                    irv: flag(r.irv.as_ref()),
                    lev: flag(r.lev.as_ref()),
                    note: text(r.note.as_ref()),
                })
                .collect(),
            next_reduction: v.next_reduction.as_ref().map(|n| NextReductionView {
                at: moment(n.at.as_ref()),
                pain: n.pain.as_ref().map(|p| p.value),
            }),
            overdue: text(v.overdue.as_ref()),
            supplementary: text(v.supplementary.as_ref()),
            accepted: v.accepted.as_ref().map(|a| AcceptedView {
                date: moment(a.date.as_ref()),
                rationale: text(a.rationale.as_ref()),
            }),
            disposition: v.disposition.as_ref().map(|d| d.value.name()),
        }
    }
}

/// What poam computed about the item under `fedramp-cr26`.
#[derive(Clone, Debug, Serialize)]
pub struct VdrAssessmentView {
    /// `b`, `c` or `d`.
    pub class: &'static str,
    pub detected: Option<String>,
    /// Detection + the class's evaluation days (VER-TFR-EVU).
    pub evaluation_deadline: Option<String>,
    pub evaluated: Option<String>,
    pub evaluation_overdue: bool,
    pub evaluation_late: bool,
    /// The evaluated rating (`null` when the evaluation is incomplete).
    pub initial: Option<Rating>,
    /// The last reduction's rating, else the evaluated one.
    pub current: Option<Rating>,
    /// `N4 LEV+IRV`.
    pub current_label: Option<String>,
    pub current_since: Option<String>,
    /// The VDR-TFR-PVR cell of the current rating, e.g. `4 days` (`null` at N1).
    pub timeframe: Option<String>,
    /// When the current rating must be reduced by (evaluation + timeframe).
    pub reduction_deadline: Option<String>,
    pub reduction_late: bool,
    pub next_reduction_at: Option<String>,
    pub next_reduction_pain: Option<u8>,
    pub planned_late: bool,
    /// Evaluation + 192 days (VER-TFR-MAV).
    pub accept_deadline: Option<String>,
    pub accepted: bool,
    pub must_accept: bool,
    /// Overdue now or likely to become so.
    pub overdue: bool,
    /// `vdr.overdue`, else the computed reason, when overdue.
    pub overdue_explanation: Option<String>,
    pub kev_late: bool,
    /// `irv` (VER-TFR-IRI) or `nirv` (VER-TFR-NRI).
    pub incident: Option<Incident>,
    pub disposition: Option<&'static str>,
}

impl VdrAssessmentView {
    pub fn new(v: &VdrAssessment) -> VdrAssessmentView {
        let show = |m: Option<Moment>| m.map(|m| m.to_string());
        VdrAssessmentView {
            class: v.class.name(),
            detected: show(v.detected),
            evaluation_deadline: show(v.evaluation_deadline),
            evaluated: show(v.evaluated),
            evaluation_overdue: v.evaluation_overdue,
            evaluation_late: v.evaluation_late,
            initial: v.initial,
            current: v.current,
            current_label: v.current.map(|r| r.to_string()),
            current_since: show(v.current_since),
            timeframe: v.timeframe.map(|t| t.to_string()),
            reduction_deadline: show(v.reduction_deadline),
            reduction_late: v.reduction_late,
            next_reduction_at: show(v.next_reduction.map(|n| n.at)),
            next_reduction_pain: v.next_reduction.map(|n| n.pain),
            planned_late: v.planned_late,
            accept_deadline: show(v.accept_deadline),
            accepted: v.accepted,
            must_accept: v.must_accept,
            overdue: v.overdue,
            overdue_explanation: if v.overdue { v.overdue_text() } else { None },
            kev_late: v.kev_late,
            incident: v.incident,
            disposition: v.disposition.map(Disposition::name),
        }
    }
}

/// The `rmf:` block of an item (DoD RMF) with its derived eMASS status and category.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RmfView {
    /// `Ongoing`, `Risk Accepted` or `Completed`, as eMASS writes it.
    pub emass_status: &'static str,
    /// `cat-i`, `cat-ii`, `cat-iii`.
    pub cat: Option<&'static str>,
    /// `CAT I`, for people.
    pub cat_label: Option<&'static str>,
    pub raw_severity: Option<&'static str>,
    pub severity: Option<&'static str>,
    pub relevance_of_threat: Option<&'static str>,
    pub likelihood: Option<&'static str>,
    pub impact: Option<&'static str>,
    pub impact_description: Option<String>,
    pub residual_risk: Option<&'static str>,
    pub mitigations: Option<String>,
    pub security_checks: Vec<String>,
    pub identification_source: Option<String>,
    pub iava_id: Option<String>,
    pub iava_comply_by: Option<NaiveDate>,
    pub risk_accepted: Option<NaiveDate>,
    pub risk_accepted_expires: Option<NaiveDate>,
    pub acceptance_expired: bool,
    pub predisposing_conditions: Option<String>,
    pub threat_description: Option<String>,
    pub recommendations: Option<String>,
    pub resulting_residual_risk: Option<&'static str>,
    /// Office/Org as written in `rmf.office_org` (else built from the owner by the export).
    pub office_org: Option<String>,
    /// When eMASS approved the item.
    pub approved: Option<NaiveDate>,
    /// The Army resource columns, (key, value) in `rmf.costs` order.
    pub costs: Vec<(&'static str, String)>,
    /// Each planned milestone's eMASS status, by milestone id.
    pub milestone_status: Vec<(u32, &'static str)>,
}

impl RmfView {
    fn new(item: &Item, a: &crate::policy::dod::RmfAssessment) -> RmfView {
        let text = |s: Option<&Sp<String>>| s.map(|s| s.value.clone());
        let level = |l: Option<&Sp<crate::model::rmf::Level>>| l.map(|l| l.value.label());
        let milestone_status: Vec<(u32, &'static str)> = item
            .milestones
            .iter()
            .flat_map(|m| m.value.iter())
            .filter_map(|m| Some((m.id.as_ref()?.value, m.status.as_ref()?.value.name())))
            .collect();
        let Some(rmf) = item.rmf.as_deref() else {
            return RmfView {
                emass_status: a.status.label(),
                milestone_status,
                ..RmfView::default()
            };
        };
        let iava = rmf.iava.as_ref();
        let accepted = rmf.risk_accepted.as_ref();
        RmfView {
            emass_status: a.status.label(),
            cat: a.cat.map(|c| c.name()),
            cat_label: a.cat.map(|c| c.label()),
            raw_severity: rmf.raw_severity.as_ref().map(|r| r.value.name()),
            severity: level(rmf.severity.as_ref()),
            relevance_of_threat: level(rmf.relevance_of_threat.as_ref()),
            likelihood: level(rmf.likelihood.as_ref()),
            impact: level(rmf.impact.as_ref()),
            impact_description: text(rmf.impact_description.as_ref()),
            residual_risk: level(rmf.residual_risk.as_ref()),
            mitigations: text(rmf.mitigations.as_ref()),
            security_checks: rmf
                .security_checks
                .as_ref()
                .map(|l| l.value.iter().map(|c| c.value.clone()).collect())
                .unwrap_or_default(),
            identification_source: text(rmf.identification_source.as_ref()),
            iava_id: text(iava.and_then(|i| i.id.as_ref())),
            iava_comply_by: a.iava_comply_by,
            risk_accepted: accepted.and_then(|r| r.date.as_ref()).map(|d| d.value),
            risk_accepted_expires: accepted.and_then(|r| r.expires.as_ref()).map(|d| d.value),
            acceptance_expired: a.acceptance_expired,
            predisposing_conditions: text(rmf.predisposing_conditions.as_ref()),
            threat_description: text(rmf.threat_description.as_ref()),
            recommendations: text(rmf.recommendations.as_ref()),
            resulting_residual_risk: level(rmf.resulting_residual_risk.as_ref()),
            office_org: text(rmf.office_org.as_ref()),
            approved: rmf.approved.as_ref().map(|d| d.value),
            costs: rmf
                .costs
                .as_ref()
                .map(|c| {
                    c.fields
                        .iter()
                        .map(|(k, v)| (*k, v.value.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            milestone_status,
        }
    }
}
