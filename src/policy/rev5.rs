//! Everything computed about one item as of `today`: a pure function of the item, the policy,
//! `today` and (for a missing `status_date`) the date the item last changed in git.
//!
//! Dates that record something that already happened (detection, check-ins, fix release,
//! status date, closing, milestone completions) but lie after `today` are listed in
//! [`Assessment::future_dates`] and never count: a check-in "next year" excuses nothing, a
//! completion "next week" completes nothing.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::item::{ChangeKind, DeviationStatus, Item, Risk};
use crate::model::{Sp, Span};

use super::cr26::{assess_vdr, VdrAssessment};
use super::dod::{assess_rmf, RmfAssessment};
use super::profile::{Deadlines, Policy, Profile};

/// The rating deadlines count from, and where it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EffectiveRating {
    pub rating: Risk,
    pub span: Span,
    /// True when it comes from an approved risk adjustment.
    pub adjusted: bool,
}

/// `deviations.risk_adjustment.adjusted_risk` when that adjustment is approved, else `risk`.
pub fn effective_rating(item: &Item) -> Option<EffectiveRating> {
    if let Some(adjustment) = item
        .deviations
        .as_ref()
        .and_then(|d| d.risk_adjustment.as_ref())
    {
        let approved = adjustment
            .status
            .as_ref()
            .is_some_and(|s| s.value == DeviationStatus::Approved);
        if let (true, Some(adjusted)) = (approved, adjustment.adjusted_risk.as_ref()) {
            return Some(EffectiveRating {
                rating: adjusted.value,
                span: adjusted.span,
                adjusted: true,
            });
        }
    }
    item.risk.as_ref().map(|risk| EffectiveRating {
        rating: risk.value,
        span: risk.span,
        adjusted: false,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockStart {
    Detected,
    FixReleased,
}

impl ClockStart {
    pub fn describe(self) -> &'static str {
        match self {
            Self::Detected => "detection",
            Self::FixReleased => "the vendor's fix release",
        }
    }
}

pub fn days_for(deadlines: &Deadlines, rating: Risk) -> u32 {
    let d = deadlines;
    match rating {
        Risk::Critical => d.critical,
        Risk::High => d.high,
        Risk::Moderate => d.moderate,
        Risk::Low => d.low,
    }
}

/// The deadline the profile sets: clock start + days for the effective rating, capped by
/// `kev_due`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyDeadline {
    pub date: NaiveDate,
    pub start: NaiveDate,
    pub start_kind: ClockStart,
    pub rating: EffectiveRating,
    pub days: u32,
    /// True when the KEV due date is earlier than the rating's deadline.
    pub kev_bound: bool,
}

/// Why an open item past its due date is not counted late.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Excuse {
    /// Waiting on a vendor fix, with a check-in within `vendor_checkin_days`.
    VendorPending { last_checkin: NaiveDate },
    /// An approved operational requirement deviation.
    OperationalRequirement,
    /// DoD RMF: the risk is accepted (`rmf.risk_accepted`), until `until` when it expires.
    RiskAccepted { until: Option<NaiveDate> },
}

impl Excuse {
    pub fn describe(self) -> String {
        match self {
            Excuse::VendorPending { last_checkin } => {
                format!("vendor dependency, last check-in {last_checkin}")
            }
            Excuse::OperationalRequirement => "approved operational requirement".to_owned(),
            Excuse::RiskAccepted { until: Some(until) } => format!("risk accepted until {until}"),
            Excuse::RiskAccepted { until: None } => "risk accepted".to_owned(),
        }
    }
}

/// The state of a vendor dependency's check-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VendorCheckin {
    /// The last check-in that is not after today.
    pub last: Option<Sp<NaiveDate>>,
    /// True until the vendor releases the fix: only then are check-ins required.
    pub pending: bool,
    /// When the next check-in is due (`last` + `vendor_checkin_days`).
    pub next_due: Option<NaiveDate>,
    /// Days since `last`.
    pub age_days: Option<i64>,
    /// Pending, open, and the last check-in is older than `vendor_checkin_days`.
    pub stale: bool,
}

/// Where an item's status date comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusSource {
    StatusDate,
    /// No usable `status_date`: the date of the last commit that changed the item.
    LastCommit,
}

/// How old an item's status is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusAge {
    pub date: NaiveDate,
    /// The `status_date` span when it comes from the file.
    pub span: Option<Span>,
    pub source: StatusSource,
    pub age_days: i64,
    /// Open and older than `stale_days`.
    pub stale: bool,
}

/// A date that records a past event but lies after `today`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FutureDate {
    /// Dotted field path (`vendor_dependency.last_checkin`, `milestone_changes[2].date`).
    pub field: String,
    pub date: NaiveDate,
    pub span: Span,
}

/// A planned milestone with `update` and `complete` changes applied, or a `new` one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveMilestone<'a> {
    pub id: u32,
    pub date: NaiveDate,
    /// Where the effective date was written: the milestone, or the change that moved it.
    pub span: Span,
    pub description: Option<&'a str>,
    /// The date of the `complete` change, when there is one not after today.
    pub completed: Option<NaiveDate>,
    /// True for milestones of `milestones:`, false for those added by a `new` change.
    pub planned: bool,
    /// Open item, not complete, and its date has passed.
    pub overdue: bool,
}

impl EffectiveMilestone<'_> {
    pub fn complete(&self) -> bool {
        self.completed.is_some()
    }
}

/// Everything the rules, the item view, reports and exports need to know about one item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment<'a> {
    pub today: NaiveDate,
    pub open: bool,
    pub rating: Option<EffectiveRating>,
    pub clock_start: Option<(NaiveDate, ClockStart)>,
    pub policy_deadline: Option<PolicyDeadline>,
    pub due: Option<NaiveDate>,
    /// Whole days from today to `due`; negative once it has passed.
    pub days_left: Option<i64>,
    /// Why lateness does not count, when it does not (open items past due only).
    pub excuse: Option<Excuse>,
    /// Open, past due and not excused.
    pub overdue: bool,
    /// Open and due today or within `due_soon_days`.
    pub due_soon: bool,
    pub vendor_checkin: Option<VendorCheckin>,
    pub status: Option<StatusAge>,
    pub milestones: Vec<EffectiveMilestone<'a>>,
    pub future_dates: Vec<FutureDate>,
    /// The CR26 evaluation and its deadlines, under `fedramp-cr26` only.
    pub vdr: Option<VdrAssessment>,
    /// The eMASS status, category and risk acceptance, under `dod-rmf` only.
    pub rmf: Option<RmfAssessment>,
}

impl<'a> Assessment<'a> {
    /// Days past due, when the item is open and past due (excused or not).
    pub fn days_late(&self) -> Option<i64> {
        self.days_left.filter(|d| self.open && *d < 0).map(|d| -d)
    }

    /// The first open milestone by effective date.
    pub fn next_milestone(&self) -> Option<&EffectiveMilestone<'a>> {
        self.milestones
            .iter()
            .filter(|m| !m.complete())
            .min_by_key(|m| (m.date, m.id))
    }
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Assesses `item` as of `today`. `last_changed` is when git last saw the item change; it
/// stands in for a missing `status_date`.
pub fn assess<'a>(
    item: &'a Item,
    policy: &Policy,
    today: NaiveDate,
    last_changed: Option<NaiveDate>,
) -> Assessment<'a> {
    let future_dates = future_dates(item, today);
    let recorded = |date: &Sp<NaiveDate>| (date.value <= today).then_some(*date);
    let open = item.is_open();
    let rmf = (policy.profile == Profile::DodRmf).then(|| assess_rmf(item, today));
    let clock_start = clock_start(item, today);
    let (rating, policy_deadline) = if rmf.is_some() {
        dod_deadline(item, &policy.deadlines, clock_start)
    } else {
        let rating = effective_rating(item);
        (
            rating,
            policy_deadline(item, &policy.deadlines, rating, clock_start),
        )
    };
    let due = item.due.as_ref().map(|d| d.value);
    let days_left = due.map(|d| days_between(today, d));
    let vendor_checkin = item.vendor_dependency.as_ref().map(|vendor| {
        let last = vendor.last_checkin.as_ref().and_then(recorded);
        let pending = vendor.fix_released.as_ref().and_then(recorded).is_none();
        let age_days = last.map(|l| days_between(l.value, today));
        let limit = i64::from(policy.vendor_checkin_days);
        VendorCheckin {
            last,
            pending,
            next_due: last
                .map(|l| l.value + chrono::Days::new(u64::from(policy.vendor_checkin_days))),
            age_days,
            stale: open && pending && age_days.is_some_and(|age| age > limit),
        }
    });
    let excuse = days_left
        .filter(|d| open && *d < 0)
        .and_then(|_| match rmf.as_ref() {
            Some(r)
                if r.status == super::dod::EmassStatus::RiskAccepted && !r.acceptance_expired =>
            {
                Some(Excuse::RiskAccepted {
                    until: r.accepted_until,
                })
            }
            _ => excuse(item, vendor_checkin.as_ref(), policy),
        });
    let overdue = open && days_left.is_some_and(|d| d < 0) && excuse.is_none();
    let due_soon =
        open && days_left.is_some_and(|d| (0..=i64::from(policy.due_soon_days)).contains(&d));
    let status = status_age(item, policy, today, last_changed);
    let milestones = effective_milestones(item, today);
    let vdr =
        (policy.profile == Profile::FedrampCr26).then(|| assess_vdr(item, policy.class, today));
    Assessment {
        today,
        open,
        rating,
        clock_start,
        policy_deadline,
        due,
        days_left,
        excuse,
        overdue,
        due_soon,
        vendor_checkin,
        status,
        milestones,
        future_dates,
        vdr,
        rmf,
    }
}

/// Under `dod-rmf`: the category as the rating (kept in its slot, see
/// [`super::dod::Cat::as_risk`]) and detection + the category's days, capped by the IAVA
/// comply-by or KEV due date (`kev_bound`).
fn dod_deadline(
    item: &Item,
    deadlines: &Deadlines,
    clock_start: Option<(NaiveDate, ClockStart)>,
) -> (Option<EffectiveRating>, Option<PolicyDeadline>) {
    let Some(raw) = item.rmf.as_ref().and_then(|r| r.raw_severity.as_ref()) else {
        return (None, None);
    };
    let rating = EffectiveRating {
        rating: super::dod::Cat::of(raw.value).as_risk(),
        span: raw.span,
        adjusted: false,
    };
    let deadline = super::dod::deadline(item, deadlines).and_then(|(date, _, days, capped)| {
        let (start, start_kind) = clock_start?;
        Some(PolicyDeadline {
            date,
            start,
            start_kind,
            rating,
            days,
            kev_bound: capped,
        })
    });
    (Some(rating), deadline)
}

/// `vendor_dependency.fix_released` when set and not in the future, else `detected`.
fn clock_start(item: &Item, today: NaiveDate) -> Option<(NaiveDate, ClockStart)> {
    if let Some(released) = item
        .vendor_dependency
        .as_ref()
        .and_then(|v| v.fix_released.as_ref())
        .filter(|r| r.value <= today)
    {
        return Some((released.value, ClockStart::FixReleased));
    }
    item.detected
        .as_ref()
        .map(|d| (d.value, ClockStart::Detected))
}

fn policy_deadline(
    item: &Item,
    deadlines: &Deadlines,
    rating: Option<EffectiveRating>,
    clock_start: Option<(NaiveDate, ClockStart)>,
) -> Option<PolicyDeadline> {
    let rating = rating?;
    let (start, start_kind) = clock_start?;
    let days = days_for(deadlines, rating.rating);
    let (date, kev_bound) = capped_deadline(
        deadlines,
        rating.rating,
        start,
        item.kev_due.as_ref().map(|k| k.value),
    );
    Some(PolicyDeadline {
        date,
        start,
        start_kind,
        rating,
        days,
        kev_bound,
    })
}

/// Clock start + the rating's days, or the KEV due date when earlier (then `true`).
fn capped_deadline(
    deadlines: &Deadlines,
    rating: Risk,
    start: NaiveDate,
    kev_due: Option<NaiveDate>,
) -> (NaiveDate, bool) {
    let by_rating = start + chrono::Days::new(u64::from(days_for(deadlines, rating)));
    match kev_due {
        Some(kev) if kev < by_rating => (kev, true),
        _ => (by_rating, false),
    }
}

fn excuse(item: &Item, vendor: Option<&VendorCheckin>, policy: &Policy) -> Option<Excuse> {
    if let Some(vendor) = vendor.filter(|v| v.pending) {
        if let (Some(last), Some(age)) = (vendor.last, vendor.age_days) {
            if age <= i64::from(policy.vendor_checkin_days) {
                return Some(Excuse::VendorPending {
                    last_checkin: last.value,
                });
            }
        }
    }
    let approved_or = item
        .deviations
        .as_ref()
        .and_then(|d| d.operational_requirement.as_ref())
        .and_then(|or| or.status.as_ref())
        .is_some_and(|s| s.value == DeviationStatus::Approved);
    approved_or.then_some(Excuse::OperationalRequirement)
}

fn status_age(
    item: &Item,
    policy: &Policy,
    today: NaiveDate,
    last_changed: Option<NaiveDate>,
) -> Option<StatusAge> {
    let from_file = item
        .status_date
        .as_ref()
        .filter(|d| d.value <= today)
        .map(|d| (d.value, Some(d.span), StatusSource::StatusDate));
    let (date, span, source) =
        from_file.or_else(|| last_changed.map(|d| (d, None, StatusSource::LastCommit)))?;
    let age_days = days_between(date, today);
    Some(StatusAge {
        date,
        span,
        source,
        age_days,
        stale: item.is_open() && age_days > i64::from(policy.stale_days),
    })
}

/// Planned milestones with `update` and `complete` changes applied, plus `new` ones. Changes
/// dated after today are not applied.
fn effective_milestones(item: &Item, today: NaiveDate) -> Vec<EffectiveMilestone<'_>> {
    let mut out: Vec<EffectiveMilestone> = item
        .milestones
        .iter()
        .flat_map(|m| m.value.iter())
        .filter_map(|m| {
            Some(EffectiveMilestone {
                id: m.id.as_ref()?.value,
                date: m.date.as_ref()?.value,
                span: m.date.as_ref()?.span,
                description: m.description.as_ref().map(|d| d.value.as_str()),
                completed: None,
                planned: true,
                overdue: false,
            })
        })
        .collect();
    for change in item.milestone_changes.iter().flat_map(|c| c.value.iter()) {
        let (Some(id), Some(kind)) = (&change.milestone, &change.kind) else {
            continue;
        };
        // A completion dated after today has not happened yet.
        let future = change.date.as_ref().is_some_and(|d| d.value > today);
        if kind.value == ChangeKind::Complete && future {
            continue;
        }
        let existing = out.iter_mut().find(|m| m.id == id.value);
        match (kind.value, existing) {
            (ChangeKind::Update, Some(m)) => {
                if let Some(date) = &change.date {
                    m.date = date.value;
                    m.span = date.span;
                }
            }
            (ChangeKind::Complete, Some(m)) => {
                m.completed = Some(change.date.as_ref().map_or(today, |d| d.value));
            }
            (ChangeKind::New, None) => {
                if let Some(date) = &change.date {
                    out.push(EffectiveMilestone {
                        id: id.value,
                        date: date.value,
                        span: date.span,
                        description: change.description.as_ref().map(|d| d.value.as_str()),
                        completed: None,
                        planned: false,
                        overdue: false,
                    });
                }
            }
            _ => {}
        }
    }
    let open = item.is_open();
    for m in &mut out {
        m.overdue = open && !m.complete() && m.date < today;
    }
    out
}

/// Where a date recording a past event is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventField {
    Detected,
    StatusDate,
    LastCheckin,
    FixReleased,
    /// The n-th entry of `milestone_changes`, a `complete` one.
    Completion(usize),
    ClosedDate,
}

impl EventField {
    /// The dotted field path.
    pub fn path(self) -> String {
        match self {
            Self::Detected => "detected".into(),
            Self::StatusDate => "status_date".into(),
            Self::LastCheckin => "vendor_dependency.last_checkin".into(),
            Self::FixReleased => "vendor_dependency.fix_released".into(),
            Self::Completion(index) => format!("milestone_changes[{index}].date"),
            Self::ClosedDate => "closed.date".into(),
        }
    }
}

/// Every date of the item that records an event which has already happened.
pub fn event_dates(item: &Item) -> Vec<(EventField, Sp<NaiveDate>)> {
    let mut dates = Vec::new();
    let mut push = |field: EventField, date: Option<&Sp<NaiveDate>>| {
        if let Some(date) = date {
            dates.push((field, *date));
        }
    };
    push(EventField::Detected, item.detected.as_ref());
    push(EventField::StatusDate, item.status_date.as_ref());
    if let Some(vendor) = &item.vendor_dependency {
        push(EventField::LastCheckin, vendor.last_checkin.as_ref());
        push(EventField::FixReleased, vendor.fix_released.as_ref());
    }
    // An `update` or `new` change's date is a planned date; a `complete` one records the event.
    for (index, change) in item
        .milestone_changes
        .iter()
        .flat_map(|c| c.value.iter())
        .enumerate()
    {
        if change
            .kind
            .as_ref()
            .is_some_and(|k| k.value == ChangeKind::Complete)
        {
            push(EventField::Completion(index), change.date.as_ref());
        }
    }
    if let Some(closed) = &item.closed {
        push(EventField::ClosedDate, closed.date.as_ref());
    }
    dates
}

fn future_dates(item: &Item, today: NaiveDate) -> Vec<FutureDate> {
    event_dates(item)
        .into_iter()
        .filter(|(_, date)| date.value > today)
        .map(|(field, date)| FutureDate {
            field: field.path(),
            date: date.value,
            span: date.span,
        })
        .collect()
}
