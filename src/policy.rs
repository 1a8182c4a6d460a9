//! Deadline arithmetic of the `fedramp-rev5` profile: effective rating, clock start, policy
//! deadline and the two excuses from lateness. Pure functions of an item, the config and `today`.

use chrono::NaiveDate;

use crate::config::Config;
use crate::model::item::{DeviationStatus, Item, Risk};
use crate::model::Span;

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

/// `vendor_dependency.fix_released` when set, else `detected`.
pub fn clock_start(item: &Item) -> Option<(NaiveDate, ClockStart)> {
    if let Some(released) = item
        .vendor_dependency
        .as_ref()
        .and_then(|v| v.fix_released.as_ref())
    {
        return Some((released.value, ClockStart::FixReleased));
    }
    item.detected
        .as_ref()
        .map(|d| (d.value, ClockStart::Detected))
}

pub fn days_for(config: &Config, rating: Risk) -> u32 {
    let d = config.deadlines;
    match rating {
        Risk::Critical => d.critical,
        Risk::High => d.high,
        Risk::Moderate => d.moderate,
        Risk::Low => d.low,
    }
}

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

/// Start + days(effective rating), capped by `kev_due`.
pub fn policy_deadline(item: &Item, config: &Config) -> Option<PolicyDeadline> {
    let rating = effective_rating(item)?;
    let (start, start_kind) = clock_start(item)?;
    let days = days_for(config, rating.rating);
    let by_rating = start + chrono::Days::new(u64::from(days));
    let kev = item.kev_due.as_ref().map(|k| k.value);
    let (date, kev_bound) = match kev {
        Some(kev) if kev < by_rating => (kev, true),
        _ => (by_rating, false),
    };
    Some(PolicyDeadline {
        date,
        start,
        start_kind,
        rating,
        days,
        kev_bound,
    })
}

/// Why an open item past its due date is not counted late.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Excuse {
    /// Waiting on a vendor fix, with a check-in within `vendor_checkin_days`.
    VendorPending {
        last_checkin: NaiveDate,
    },
    OperationalRequirement,
}

pub fn excuse(item: &Item, config: &Config, today: NaiveDate) -> Option<Excuse> {
    if let Some(vendor) = &item.vendor_dependency {
        if vendor.fix_released.is_none() {
            if let Some(checkin) = &vendor.last_checkin {
                if days_between(checkin.value, today) <= i64::from(config.vendor_checkin_days) {
                    return Some(Excuse::VendorPending {
                        last_checkin: checkin.value,
                    });
                }
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

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// Milestone id → effective date after `update` changes, and whether it is complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectiveMilestone {
    pub id: u32,
    pub date: NaiveDate,
    /// Where the effective date was written: the milestone, or the change that moved it.
    pub span: Span,
    pub complete: bool,
    pub planned: bool,
}

/// Planned milestones with `update` and `complete` changes applied, plus `new` ones.
pub fn effective_milestones(item: &Item) -> Vec<EffectiveMilestone> {
    let mut out: Vec<EffectiveMilestone> = item
        .milestones
        .iter()
        .flat_map(|m| m.value.iter())
        .filter_map(|m| {
            Some(EffectiveMilestone {
                id: m.id.as_ref()?.value,
                date: m.date.as_ref()?.value,
                span: m.date.as_ref()?.span,
                complete: false,
                planned: true,
            })
        })
        .collect();
    use crate::model::item::ChangeKind;
    for change in item.milestone_changes.iter().flat_map(|c| c.value.iter()) {
        let (Some(id), Some(kind)) = (&change.milestone, &change.kind) else {
            continue;
        };
        let existing = out.iter_mut().find(|m| m.id == id.value);
        match (kind.value, existing) {
            (ChangeKind::Update, Some(m)) => {
                if let Some(date) = &change.date {
                    m.date = date.value;
                    m.span = date.span;
                }
            }
            (ChangeKind::Complete, Some(m)) => m.complete = true,
            (ChangeKind::New, None) => {
                if let Some(date) = &change.date {
                    out.push(EffectiveMilestone {
                        id: id.value,
                        date: date.value,
                        span: date.span,
                        complete: false,
                        planned: false,
                    });
                }
            }
            _ => {}
        }
    }
    out
}
