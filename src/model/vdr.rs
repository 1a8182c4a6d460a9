//! The `vdr:` block of an item: the FedRAMP 2026 (CR26) vulnerability evaluation, its
//! completed reductions, the next planned one, acceptance and the final disposition.
//!
//! Read as leniently as the rest of the item: every field optional and spanned, every problem
//! collected. Ranges (a PAIN rating of 7) are left to the `vdr-*` rules, which say why.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::span::{Sp, Span};

/// A point in time written as a date (read as 00:00 UTC) or as an RFC 3339 date-time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Moment {
    pub at: DateTime<Utc>,
    /// False for a bare `YYYY-MM-DD`.
    pub has_time: bool,
}

impl Moment {
    /// Midnight UTC at the start of `date`.
    pub fn start_of(date: NaiveDate) -> Moment {
        Moment {
            at: date.and_time(NaiveTime::MIN).and_utc(),
            has_time: false,
        }
    }

    /// `YYYY-MM-DD` or an RFC 3339 date-time (`2026-11-12T09:00:00Z`, any offset).
    pub fn parse(text: &str) -> Option<Moment> {
        let text = text.trim();
        if let Some(date) = super::date::parse_date(text) {
            return Some(Moment::start_of(date));
        }
        DateTime::parse_from_rfc3339(text).ok().map(|at| Moment {
            at: at.with_timezone(&Utc),
            has_time: true,
        })
    }

    /// RFC 3339 in UTC, to the second (`2026-11-12T00:00:00Z` for a bare date), as JSON
    /// Schema's `date-time` wants it.
    pub fn rfc3339(&self) -> String {
        self.at.format(DATE_TIME).to_string()
    }

    /// The UTC calendar date.
    pub fn date(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

/// A date-time in UTC, to the second; a leap second is written as `:60`.
const DATE_TIME: &str = "%Y-%m-%dT%H:%M:%SZ";

impl std::fmt::Display for Moment {
    /// A bare date as it was written; a date-time in UTC, to the second.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.has_time {
            write!(f, "{}", self.at.format(DATE_TIME))
        } else {
            write!(f, "{}", self.at.date_naive())
        }
    }
}

/// How a closed vulnerability ended (VER-RPT-VDT item 11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Disposition {
    Remediated,
    FullyMitigated,
    PartiallyMitigated,
    FalsePositive,
}

impl Disposition {
    pub const NAMES: &'static [&'static str] = &[
        "remediated",
        "fully-mitigated",
        "partially-mitigated",
        "false-positive",
    ];

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "remediated" => Some(Self::Remediated),
            "fully-mitigated" => Some(Self::FullyMitigated),
            "partially-mitigated" => Some(Self::PartiallyMitigated),
            "false-positive" => Some(Self::FalsePositive),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A completed, evaluated reduction to a lower rating (VER-RPT-VDT item 7).
#[derive(Clone, Debug, Default)]
pub struct Reduction {
    pub span: Span,
    pub at: Option<Sp<Moment>>,
    pub pain: Option<Sp<i64>>,
    /// The re-evaluated reachability, when the reduction changed it.
    pub irv: Option<Sp<bool>>,
    /// The re-evaluated exploitability, when the reduction changed it.
    pub lev: Option<Sp<bool>>,
    pub note: Option<Sp<String>>,
}

/// The next planned reduction (VER-RPT-VDT item 8).
#[derive(Clone, Debug, Default)]
pub struct NextReduction {
    pub span: Span,
    pub at: Option<Sp<Moment>>,
    pub pain: Option<Sp<i64>>,
}

/// The vulnerability is accepted (VER-TFR-MAV, VER-RPT-AVI).
#[derive(Clone, Debug, Default)]
pub struct Accepted {
    pub span: Span,
    pub date: Option<Sp<Moment>>,
    pub rationale: Option<Sp<String>>,
}

/// The whole `vdr:` block.
#[derive(Clone, Debug, Default)]
pub struct Vdr {
    pub span: Span,
    pub key_span: Span,
    /// Refines `detected` with a time.
    pub detected_at: Option<Sp<Moment>>,
    pub evaluated: Option<Sp<Moment>>,
    pub irv: Option<Sp<bool>>,
    pub lev: Option<Sp<bool>>,
    /// The N-rating at evaluation, as written (1..=5 when valid).
    pub pain: Option<Sp<i64>>,
    pub rationale: Option<Sp<String>>,
    pub reductions: Option<Sp<Vec<Reduction>>>,
    pub next_reduction: Option<NextReduction>,
    pub overdue: Option<Sp<String>>,
    pub supplementary: Option<Sp<String>>,
    pub accepted: Option<Accepted>,
    pub disposition: Option<Sp<Disposition>>,
}

impl Vdr {
    /// The recorded reductions, in written order.
    pub fn reductions(&self) -> &[Reduction] {
        self.reductions.as_ref().map_or(&[], |r| r.value.as_slice())
    }
}

pub const VDR_KEYS: &[&str] = &[
    "detected_at",
    "evaluated",
    "irv",
    "lev",
    "pain",
    "rationale",
    "reductions",
    "next_reduction",
    "overdue",
    "supplementary",
    "accepted",
    "disposition",
];
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_display_as_formatted() {
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .expect("leap second")
            .and_utc();
        let moments = [
            Moment::parse("2026-11-12T09:05:07Z"),
            Moment::parse("2026-11-12T23:30:00.25-05:00"),
            Moment::parse("0099-01-02T03:04:05Z"),
            Some(Moment {
                at: leap,
                has_time: true,
            }),
        ];
        for moment in moments {
            let moment = moment.expect("moment");
            let formatted = moment.at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(moment.to_string(), formatted);
        }
    }

    #[test]
    fn moments_read_dates_and_date_times() {
        let date = Moment::parse("2026-11-12").expect("date");
        assert!(!date.has_time);
        assert_eq!(date.to_string(), "2026-11-12");
        let time = Moment::parse("2026-11-12T09:00:00-05:00").expect("date-time");
        assert!(time.has_time);
        assert_eq!(time.to_string(), "2026-11-12T14:00:00Z");
        assert!(Moment::parse("2026-11-12 09:00").is_none());
        assert!(Moment::parse("12/11/2026").is_none());
    }
}
