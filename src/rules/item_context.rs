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
