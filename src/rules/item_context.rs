//! What an item rule sees ([`ItemContext`]) and the helpers item rules share.

use chrono::NaiveDate;

use crate::code::Code;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::kev::KevCatalog;
use crate::model::item::Item;
use crate::model::Span;
use crate::policy::Assessment;
use crate::source::SourceFile;

/// What an item rule sees: one parsed item and everything around it.
pub struct ItemContext<'a> {
    pub file: &'a SourceFile,
    pub item: &'a Item,
    pub config: &'a Config,
    pub today: NaiveDate,
    pub kev: Option<&'a KevCatalog>,
    /// The file name without extension.
    pub file_stem: &'a str,
    /// Everything computed about the item as of `today`.
    pub assessment: &'a Assessment<'a>,
    /// The people file, when the repository has one.
    pub people: Option<&'a crate::people::People>,
    /// The inventory, when the repository has one.
    pub inventory: Option<&'a crate::inventory::Inventory>,
    /// What is at the paths the items' documents name, when the files were looked at (a
    /// whole lint does; the check of a single edit does not).
    pub evidence: Option<&'a crate::evidence::EvidenceFiles>,
}

impl ItemContext<'_> {
    /// A finding of `code` at `span` in this item's file, at the code's default severity.
    pub fn report(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.default_severity(),
            item: self.item.id_text().map(str::to_owned),
            location: self.file.location(span),
            label: None,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }
}

/// `n day(s)`, written straight into a finding's message.
pub(crate) fn days(n: i64) -> Days {
    Days(n)
}

pub(crate) struct Days(i64);

impl std::fmt::Display for Days {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0;
        if n.abs() == 1 {
            write!(f, "{n} day")
        } else {
            write!(f, "{n} days")
        }
    }
}

/// Where an item's current CR26 rating was written: the last recorded reduction's `pain`
/// that counts, else `vdr.pain`, else the `vdr` key.
pub(crate) fn current_rating_span(item: &Item, today: NaiveDate) -> Span {
    let Some(vdr) = &item.vdr else {
        return item.status.as_ref().map_or(item.span, |s| s.span);
    };
    vdr.reductions()
        .iter()
        .rev()
        .find_map(|r| {
            let at = r.at.as_ref()?;
            let pain = r.pain.as_ref()?;
            (at.value.date() <= today && crate::policy::cr26::valid_pain(pain.value).is_some())
                .then_some(pain.span)
        })
        .or_else(|| vdr.pain.as_ref().map(|p| p.span))
        .unwrap_or(vdr.key_span)
}

/// The first line of `span` in `text`: a finding on a whole mapping underlines its first line.
pub(crate) fn first_line(text: &str, span: Span) -> Span {
    let end = text
        .get(span.start..span.end)
        .and_then(|s| s.find('\n'))
        .map_or(span.end, |i| span.start + i);
    Span::new(span.start, end)
}

/// Fields no fix writes (`poam lint --fix`): the write-once fields the history rules guard
/// (`id`, `detected`, `risk`, the recorded milestone changes, the CR26 evaluation and its
/// reductions) and the deadlines (`due`, `kev_due`, the milestones' dates). `path` is a field
/// path as the item model names it (`milestones[0].date`).
pub(crate) fn never_fixed(path: &str) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or(path);
    matches!(
        top,
        "id" | "detected" | "risk" | "due" | "kev_due" | "milestone_changes" | "vdr"
    ) || (top == "milestones" && path.ends_with(".date"))
}

/// A date written year first with another separator or without leading zeros
/// (`2026/11/05`, `2026.11.5`, `2026-11-5`): the date it can only mean.
pub(crate) fn year_first_date(text: &str) -> Option<chrono::NaiveDate> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, '/' | '.' | '-') {
        return None;
    }
    let mut parts = text.split(separator);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || year.len() != 4
        || !(1..=2).contains(&month.len())
        || !(1..=2).contains(&day.len())
    {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

#[cfg(test)]
mod fix_tests {
    use super::*;

    #[test]
    fn year_first_dates_are_read_and_others_are_not() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 5);
        assert_eq!(year_first_date("2026/11/05"), date);
        assert_eq!(year_first_date("'2026.11.5'"), date);
        assert_eq!(year_first_date("2026-11-5"), date);
        assert_eq!(year_first_date("11/05/2026"), None);
        assert_eq!(year_first_date("2026/02/30"), None);
        assert_eq!(year_first_date("2026/11/05/1"), None);
    }

    #[test]
    fn write_once_fields_and_deadlines_are_never_fixed() {
        for path in [
            "id",
            "detected",
            "risk",
            "due",
            "kev_due",
            "milestones[2].date",
        ] {
            assert!(never_fixed(path), "{path}");
        }
        for path in ["milestone_changes[0].date", "vdr.reductions[1].at"] {
            assert!(never_fixed(path), "{path}");
        }
        for path in [
            "status",
            "status_date",
            "closed.date",
            "milestones[0].description",
        ] {
            assert!(!never_fixed(path), "{path}");
        }
    }
}
