//! The `vdr:` block of an item: the FedRAMP 2026 (CR26) vulnerability evaluation, its
//! completed reductions, the next planned one, acceptance and the final disposition.
//!
//! Read as leniently as the rest of the item: every field optional and spanned, every problem
//! collected. Ranges (a PAIN rating of 7) are left to the `vdr-*` rules, which say why.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};

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
        if text.len() < 20 {
            return None;
        }
        if let Some(at) = parse_utc_seconds(text) {
            return Some(Moment { at, has_time: true });
        }
        DateTime::parse_from_rfc3339(text).ok().map(|at| Moment {
            at: at.with_timezone(&Utc),
            has_time: true,
        })
    }

    /// RFC 3339 in UTC, to the second (`2026-11-12T00:00:00Z` for a bare date), as JSON
    /// Schema's `date-time` wants it. Written by `Display`, which gives chrono's
    /// `%Y-%m-%dT%H:%M:%SZ` digit for digit (tested below) without parsing a format.
    pub fn rfc3339(&self) -> String {
        Moment {
            at: self.at,
            has_time: true,
        }
        .to_string()
    }

    /// The UTC calendar date.
    pub fn date(&self) -> NaiveDate {
        self.at.date_naive()
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`, the form nearly every date-time in an item takes, read without
/// chrono's general RFC 3339 parser (a CR26 item holds several). Anything else, a leap second
/// included, is left to that parser.
fn parse_utc_seconds(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    if bytes.len() != 20 || bytes[10] != b'T' || bytes[19] != b'Z' {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let date = super::date::parse_date(text.get(..10)?)?;
    let number = |at: usize| {
        let (tens, ones) = (bytes[at], bytes[at + 1]);
        (tens.is_ascii_digit() && ones.is_ascii_digit())
            .then(|| u32::from(tens - b'0') * 10 + u32::from(ones - b'0'))
    };
    let time = NaiveTime::from_hms_opt(number(11)?, number(14)?, number(17)?)?;
    Some(date.and_time(time).and_utc())
}

impl std::fmt::Display for Moment {
    /// A bare date as it was written; a date-time in UTC, to the second.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let date = self.at.date_naive();
        let time = self.at.time();
        // A leap second is written as :60, as `format("%S")` writes it.
        let second = time.second() + time.nanosecond() / 1_000_000_000;
        // Written digit by digit: CR26 findings name several moments each, and going through
        // chrono's general formatting for every one was a visible share of a lint.
        let year = u32::try_from(date.year()).ok().filter(|y| *y <= 9999);
        let Some(year) = year else {
            return if self.has_time {
                write!(
                    f,
                    "{date}T{:02}:{:02}:{second:02}Z",
                    time.hour(),
                    time.minute()
                )
            } else {
                write!(f, "{date}")
            };
        };
        let mut text = *b"0000-00-00T00:00:00Z";
        let mut put = |at: usize, value: u32, width: usize| {
            let mut rest = value;
            for slot in text[at..at + width].iter_mut().rev() {
                *slot = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
        };
        put(0, year, 4);
        put(5, date.month(), 2);
        put(8, date.day(), 2);
        put(11, time.hour(), 2);
        put(14, time.minute(), 2);
        put(17, second, 2);
        let len = if self.has_time { text.len() } else { 10 };
        // Only ASCII digits and separators were written.
        f.write_str(std::str::from_utf8(&text[..len]).map_err(|_| std::fmt::Error)?)
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
    fn a_moment_is_written_as_chrono_formats_it() {
        use chrono::TimeZone;
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500))
            .map(|t| t.and_utc());
        let moments = [
            Utc.with_ymd_and_hms(2026, 11, 2, 16, 0, 0).single(),
            Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).single(),
            Utc.with_ymd_and_hms(999, 9, 9, 9, 9, 9).single(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).single(),
            Utc.with_ymd_and_hms(0, 6, 15, 12, 30, 45).single(),
            Utc.with_ymd_and_hms(-1, 6, 15, 12, 30, 45).single(),
            leap,
        ];
        for at in moments.into_iter().map(|m| m.expect("a valid moment")) {
            let with_time = Moment { at, has_time: true };
            let formatted = at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            assert_eq!(with_time.to_string(), formatted);
            assert_eq!(with_time.rfc3339(), formatted);
            let bare = Moment::start_of(at.date_naive());
            assert_eq!(bare.to_string(), at.date_naive().to_string());
            assert_eq!(
                bare.rfc3339(),
                bare.at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
        }
    }

    #[test]
    fn the_utc_fast_path_reads_as_chrono_does() {
        for text in [
            "2026-11-12T09:00:00Z",
            "2024-02-29T23:59:59Z",
            "2023-02-29T10:00:00Z",
            "2026-11-12T24:00:00Z",
            "2026-11-12T09:60:00Z",
            "2026-11-12T09:00:60Z",
            "2026-11-12t09:00:00z",
            "2026-11-12 09:00:00Z",
            "2026-11-12T09:00:00+02:00",
            "2026-11-12T9:00:000Z",
            "2026-11-12T09:0a:00Z",
        ] {
            let chrono = DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|at| at.with_timezone(&Utc));
            let expected = chrono.map(|at| Moment { at, has_time: true });
            assert_eq!(Moment::parse(text), expected, "{text}");
        }
    }

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
