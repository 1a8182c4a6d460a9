//! CR26 vulnerability arithmetic (VDR and VER), in one place: the class tables, the current
//! rating, the next required reduction's deadline, the evaluation and acceptance deadlines,
//! and whether an item is overdue or likely to become so.
//!
//! Timeframes are anchored at evaluation (the domain notes, §1): the cell for the *current*
//! N-rating, looked up with the current IRV and LEV, counts from the time evaluation was
//! completed. A deadline "has passed" when its UTC date is before `today`.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use crate::model::item::Item;
use crate::model::vdr::{Disposition, Moment};

use super::profile::Cr26Class;

/// VER-TFR-MAV: what is not fully mitigated or remediated within this many days of
/// evaluation must be accepted.
pub const ACCEPT_DAYS: u32 = 192;

/// The force of a FedRAMP rule; it sets the default severity of the rule enforcing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Force {
    Must,
    Should,
    May,
}

/// A column of the VDR-TFR-PVR tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Column {
    /// Likely exploitable and internet-reachable.
    LevIrv,
    /// Likely exploitable, not internet-reachable.
    LevNirv,
    /// Not likely exploitable, reachable or not.
    Nlev,
}

impl Column {
    pub const ALL: [Column; 3] = [Column::LevIrv, Column::LevNirv, Column::Nlev];

    pub fn of(irv: bool, lev: bool) -> Column {
        match (lev, irv) {
            (true, true) => Column::LevIrv,
            (true, false) => Column::LevNirv,
            (false, _) => Column::Nlev,
        }
    }

    /// As FedRAMP's tables head the column.
    pub fn label(self) -> &'static str {
        match self {
            Column::LevIrv => "LEV+IRV",
            Column::LevNirv => "LEV+NIRV",
            Column::Nlev => "NLEV",
        }
    }

    /// The key of the column in `pain_timeframes` of FedRAMP's rules JSON.
    pub fn rules_key(self) -> &'static str {
        match self {
            Column::LevIrv => "irv_lev",
            Column::LevNirv => "nirv_lev",
            Column::Nlev => "nlev",
        }
    }
}

/// A cell of the VDR-TFR-PVR tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Timeframe {
    Hours(u32),
    Days(u32),
}

impl Timeframe {
    pub fn duration(self) -> Duration {
        match self {
            Timeframe::Hours(h) => Duration::hours(i64::from(h)),
            Timeframe::Days(d) => Duration::days(i64::from(d)),
        }
    }
}

/// `12 hours`, `1 day`, `32 days`: written straight into a finding's message.
impl std::fmt::Display for Timeframe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Timeframe::Hours(h) => write!(f, "{h} hours"),
            Timeframe::Days(1) => f.write_str("1 day"),
            Timeframe::Days(d) => write!(f, "{d} days"),
        }
    }
}

/// VDR-TFR-PVR: the time from evaluation to get below `pain` in `column`. `None` for PAIN-1
/// (no row: VDR-TFR-RMN) and for ratings outside 1..=5.
pub fn reduction_timeframe(class: Cr26Class, pain: u8, column: Column) -> Option<Timeframe> {
    use Timeframe::{Days, Hours};
    // Rows PAIN-5 .. PAIN-2; columns LEV+IRV, LEV+NIRV, NLEV (FedRAMP's order).
    let table: [[Timeframe; 3]; 4] = match class {
        Cr26Class::B => [
            [Days(4), Days(8), Days(32)],
            [Days(8), Days(32), Days(64)],
            [Days(32), Days(64), Days(192)],
            [Days(96), Days(160), Days(192)],
        ],
        Cr26Class::C => [
            [Days(2), Days(4), Days(16)],
            [Days(4), Days(8), Days(64)],
            [Days(16), Days(32), Days(128)],
            [Days(48), Days(128), Days(192)],
        ],
        Cr26Class::D => [
            [Hours(12), Days(1), Days(8)],
            [Days(2), Days(8), Days(32)],
            [Days(8), Days(16), Days(64)],
            [Days(24), Days(96), Days(192)],
        ],
    };
    let row = match pain {
        5 => 0,
        4 => 1,
        3 => 2,
        2 => 3,
        _ => return None,
    };
    let col = match column {
        Column::LevIrv => 0,
        Column::LevNirv => 1,
        Column::Nlev => 2,
    };
    Some(table[row][col])
}

/// VER-TFR-EVU: days from detection to a completed evaluation.
pub fn evaluation_days(class: Cr26Class) -> u32 {
    match class {
        Cr26Class::B => 7,
        Cr26Class::C => 5,
        Cr26Class::D => 2,
    }
}

/// VER-TFR-IRI: LEV+IRV above N3 is treated as a reportable incident.
pub fn incident_irv_force(class: Cr26Class) -> Force {
    match class {
        Cr26Class::B => Force::May,
        Cr26Class::C | Cr26Class::D => Force::Should,
    }
}

/// VER-TFR-NRI: LEV+NIRV at N5 is treated as a reportable incident.
pub fn incident_nirv_force(class: Cr26Class) -> Force {
    match class {
        Cr26Class::B | Cr26Class::C => Force::May,
        Cr26Class::D => Force::Should,
    }
}

/// A complete evaluation: N-rating, reachability and exploitability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub pain: u8,
    pub irv: bool,
    pub lev: bool,
}

impl Rating {
    pub fn column(self) -> Column {
        Column::of(self.irv, self.lev)
    }
}

/// `N4 LEV+IRV`: written straight into a finding's message.
impl std::fmt::Display for Rating {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "N{} {}", self.pain, self.column().label())
    }
}

/// A PAIN value as written, when it is a valid rating.
pub fn valid_pain(pain: i64) -> Option<u8> {
    u8::try_from(pain).ok().filter(|p| (1..=5).contains(p))
}

/// Which incident-treatment rule an open item falls under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Incident {
    /// VER-TFR-IRI: LEV+IRV, N4 or N5.
    Irv,
    /// VER-TFR-NRI: LEV+NIRV, N5.
    Nirv,
}

/// The planned next reduction, when complete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedReduction {
    pub at: Moment,
    pub pain: u8,
}

/// Everything computed about one item under `fedramp-cr26`, as of `today`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VdrAssessment {
    pub class: Cr26Class,
    /// `vdr.detected_at`, else `detected` at 00:00 UTC.
    pub detected: Option<Moment>,
    /// Detection + the class's evaluation days (VER-TFR-EVU).
    pub evaluation_deadline: Option<Moment>,
    pub evaluated: Option<Moment>,
    /// Open, not evaluated, and the evaluation deadline has passed.
    pub evaluation_overdue: bool,
    /// Evaluated after the evaluation deadline.
    pub evaluation_late: bool,
    /// The complete evaluation (the "historical" rating).
    pub initial: Option<Rating>,
    /// The last recorded reduction's rating (IRV and LEV carried over when not re-evaluated),
    /// else the evaluation's.
    pub current: Option<Rating>,
    /// When the current rating was reached.
    pub current_since: Option<Moment>,
    /// The VDR-TFR-PVR cell of the current rating (`None` at N1).
    pub timeframe: Option<Timeframe>,
    /// Evaluation + the cell: when the item must be below its current rating.
    pub reduction_deadline: Option<Moment>,
    /// Open, not accepted, and the reduction deadline has passed.
    pub reduction_late: bool,
    pub next_reduction: Option<PlannedReduction>,
    /// Open, not accepted, and the next reduction is planned after the reduction deadline.
    pub planned_late: bool,
    /// Evaluation + 192 days (VER-TFR-MAV).
    pub accept_deadline: Option<Moment>,
    pub accepted: bool,
    pub accepted_on: Option<Moment>,
    /// Open, not accepted, and past the acceptance deadline or planned beyond it.
    pub must_accept: bool,
    /// Overdue now or likely to become so (FRD-ODV, VER-RPT-VDT item 9).
    pub overdue: bool,
    /// `vdr.overdue` as written.
    pub overdue_explanation: Option<String>,
    pub kev_due: Option<NaiveDate>,
    /// Open and past `kev_due`, accepted or not (VDR-TFR-KEV).
    pub kev_late: bool,
    pub incident: Option<Incident>,
    pub disposition: Option<Disposition>,
}

impl VdrAssessment {
    /// One line on why the item is overdue or likely to become so, from the numbers.
    pub fn overdue_reason(&self) -> Option<String> {
        let (current, deadline, timeframe) =
            (self.current?, self.reduction_deadline?, self.timeframe?);
        if self.reduction_late {
            return Some(format!(
                "{current} must be reduced within {timeframe} of evaluation, by {deadline}, which has passed"
            ));
        }
        if self.planned_late {
            let next = self.next_reduction?;
            return Some(format!(
                "the next reduction is planned for {}, after the {timeframe} deadline {deadline} for {current}",
                next.at
            ));
        }
        None
    }

    /// What the reports' `overdueStatus` says: overdue (or likely to become so) against the
    /// reduction timeframes, or not evaluated in time (VER-TFR-EVU), with the item's own
    /// explanation, else the computed reason.
    pub fn report_overdue(&self) -> (bool, Option<String>) {
        if self.overdue {
            return (true, self.overdue_text());
        }
        if self.evaluation_overdue {
            let reason = self.evaluation_deadline.map(|d| {
                format!(
                    "not evaluated within {} days of detection (by {d})",
                    evaluation_days(self.class)
                )
            });
            return (true, self.overdue_explanation.clone().or(reason));
        }
        (false, self.overdue_explanation.clone())
    }

    /// The explanation reports carry: the item's own, else the computed reason.
    pub fn overdue_text(&self) -> Option<String> {
        self.overdue_explanation
            .clone()
            .or_else(|| self.overdue_reason())
    }
}

/// Whether a vulnerability has activity in the period `[from, to)`: detected before the period
/// ends and not closed before it starts (the VER reports' "with activity in this period").
pub fn active_in_period(
    detected: NaiveDate,
    open: bool,
    closed_on: Option<NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
) -> bool {
    detected < to && (open || closed_on.is_none_or(|c| c >= from))
}

/// Assesses the `vdr:` block (or its absence) of `item` as of `today`.
pub fn assess_vdr(item: &Item, class: Cr26Class, today: NaiveDate) -> VdrAssessment {
    let vdr = item.vdr.as_ref();
    let open = item.is_open();
    let happened = |m: &Moment| m.date() <= today;
    let detected = vdr
        .and_then(|v| v.detected_at.as_ref())
        .map(|d| d.value)
        .or_else(|| item.detected.as_ref().map(|d| Moment::start_of(d.value)));
    let evaluation_deadline = detected.map(|d| Moment {
        at: d.at + Duration::days(i64::from(evaluation_days(class))),
        has_time: d.has_time,
    });
    let evaluated = vdr.and_then(|v| v.evaluated.as_ref()).map(|e| e.value);
    let evaluation_overdue =
        open && evaluated.is_none() && evaluation_deadline.is_some_and(|d| d.date() < today);
    let evaluation_late = match (evaluated, evaluation_deadline) {
        (Some(e), Some(d)) => e.at > d.at,
        _ => false,
    };
    let initial = vdr.and_then(|v| {
        evaluated?;
        Some(Rating {
            pain: valid_pain(v.pain.as_ref()?.value)?,
            irv: v.irv.as_ref()?.value,
            lev: v.lev.as_ref()?.value,
        })
    });
    let mut current = initial;
    let mut current_since = evaluated.filter(|_| initial.is_some());
    if let (Some(vdr), Some(rating)) = (vdr, current.as_mut()) {
        for reduction in vdr.reductions() {
            let (Some(at), Some(pain)) = (&reduction.at, &reduction.pain) else {
                continue;
            };
            let Some(pain) = valid_pain(pain.value).filter(|_| happened(&at.value)) else {
                continue;
            };
            rating.pain = pain;
            if let Some(irv) = &reduction.irv {
                rating.irv = irv.value;
            }
            if let Some(lev) = &reduction.lev {
                rating.lev = lev.value;
            }
            current_since = Some(at.value);
        }
    }
    let timeframe = current.and_then(|r| reduction_timeframe(class, r.pain, r.column()));
    let deadline_after = |start: Moment, span: Duration, hours: bool| Moment {
        at: start.at + span,
        has_time: start.has_time || hours,
    };
    let reduction_deadline = match (evaluated, timeframe) {
        (Some(e), Some(t)) => Some(deadline_after(
            e,
            t.duration(),
            matches!(t, Timeframe::Hours(_)),
        )),
        _ => None,
    };
    let accepted_block = vdr.and_then(|v| v.accepted.as_ref());
    let accepted = accepted_block.is_some();
    let accepted_on = accepted_block
        .and_then(|a| a.date.as_ref())
        .map(|d| d.value);
    let active = open && !accepted;
    let reduction_late = active && reduction_deadline.is_some_and(|d| d.date() < today);
    let next_reduction = vdr.and_then(|v| v.next_reduction.as_ref()).and_then(|n| {
        Some(PlannedReduction {
            at: n.at.as_ref()?.value,
            pain: valid_pain(n.pain.as_ref()?.value)?,
        })
    });
    let planned_late = active
        && match (next_reduction, reduction_deadline) {
            (Some(next), Some(deadline)) => next.at.at > deadline.at,
            _ => false,
        };
    let accept_deadline =
        evaluated.map(|e| deadline_after(e, Duration::days(i64::from(ACCEPT_DAYS)), false));
    let must_accept = active
        && accept_deadline
            .is_some_and(|d| d.date() < today || next_reduction.is_some_and(|n| n.at.at > d.at));
    let kev_due = item.kev_due.as_ref().map(|k| k.value);
    let incident = current.filter(|_| open).and_then(|r| match r.column() {
        Column::LevIrv if r.pain >= 4 => Some(Incident::Irv),
        Column::LevNirv if r.pain == 5 => Some(Incident::Nirv),
        _ => None,
    });
    VdrAssessment {
        class,
        detected,
        evaluation_deadline,
        evaluated,
        evaluation_overdue,
        evaluation_late,
        initial,
        current,
        current_since,
        timeframe,
        reduction_deadline,
        reduction_late,
        next_reduction,
        planned_late,
        accept_deadline,
        accepted,
        accepted_on,
        must_accept,
        overdue: reduction_late || planned_late,
        overdue_explanation: vdr
            .and_then(|v| v.overdue.as_ref())
            .map(|o| o.value.clone()),
        kev_due,
        kev_late: open && kev_due.is_some_and(|k| k < today),
        incident,
        disposition: vdr.and_then(|v| v.disposition.as_ref()).map(|d| d.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_reachability_and_exploitability() {
        assert_eq!(Column::of(true, true), Column::LevIrv);
        assert_eq!(Column::of(false, true), Column::LevNirv);
        assert_eq!(Column::of(true, false), Column::Nlev);
        assert_eq!(Column::of(false, false), Column::Nlev);
    }

    #[test]
    fn pain_one_has_no_timeframe() {
        for class in [Cr26Class::B, Cr26Class::C, Cr26Class::D] {
            for column in Column::ALL {
                assert_eq!(reduction_timeframe(class, 1, column), None);
                assert_eq!(reduction_timeframe(class, 6, column), None);
            }
        }
        assert_eq!(
            reduction_timeframe(Cr26Class::D, 5, Column::LevIrv),
            Some(Timeframe::Hours(12))
        );
    }
}
