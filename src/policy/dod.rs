//! DoD RMF (eMASS) arithmetic, in one place: the category (CAT I/II/III) of a raw severity,
//! the deadline from the configured CAT days capped by an IAVA's comply-by date (and a KEV due
//! date), the eMASS status an item's fields imply, and the 5x5 matrix the templates compute
//! Likelihood and Residual Risk Level with.
//!
//! The CAT days are configuration: `deadlines: {cat-i: 30, cat-ii: 180, cat-iii: 365}` is the
//! default, the one C-PAT ships with (a common tool default, not DoD policy: no single public
//! DoD-wide number exists). An IAVA's comply-by date caps the deadline as a KEV due date does.

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::item::{Item, Risk};
use crate::model::rmf::{Level, RawSeverity};
use crate::model::Span;

use super::profile::Deadlines;

/// The defaults: C-PAT's (`api/Services/migrations/0011.js`), configurable.
pub const DEFAULT_DEADLINES: Deadlines = Deadlines::DOD_CAT;

/// A DoD severity category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cat {
    CatI,
    CatII,
    CatIII,
}

impl Cat {
    pub const ALL: [Cat; 3] = [Cat::CatI, Cat::CatII, Cat::CatIII];

    /// `cat-i`, as `deadlines:` and the item file write it.
    pub fn name(self) -> &'static str {
        match self {
            Cat::CatI => "cat-i",
            Cat::CatII => "cat-ii",
            Cat::CatIII => "cat-iii",
        }
    }

    /// `CAT I`, for people.
    pub fn label(self) -> &'static str {
        match self {
            Cat::CatI => "CAT I",
            Cat::CatII => "CAT II",
            Cat::CatIII => "CAT III",
        }
    }

    /// The category of a raw severity. The five-level scale maps as C-PAT's export does
    /// (`CAT I - Critical` Very High, `CAT I - High` High, `CAT II` Moderate, `CAT III` Low
    /// and Very Low).
    pub fn of(raw: RawSeverity) -> Cat {
        match raw {
            RawSeverity::CatI | RawSeverity::Level(Level::VeryHigh | Level::High) => Cat::CatI,
            RawSeverity::CatII | RawSeverity::Level(Level::Moderate) => Cat::CatII,
            RawSeverity::CatIII | RawSeverity::Level(Level::Low | Level::VeryLow) => Cat::CatIII,
        }
    }

    /// The configured days (`deadlines:` keys `cat-i`, `cat-ii`, `cat-iii`, kept in the
    /// `high`, `moderate` and `low` slots).
    pub fn days(self, deadlines: &Deadlines) -> u32 {
        match self {
            Cat::CatI => deadlines.high,
            Cat::CatII => deadlines.moderate,
            Cat::CatIII => deadlines.low,
        }
    }

    /// The rating slot the category's days are kept in (the shared assessment's rating).
    pub fn as_risk(self) -> Risk {
        match self {
            Cat::CatI => Risk::High,
            Cat::CatII => Risk::Moderate,
            Cat::CatIII => Risk::Low,
        }
    }

    /// The category kept in a rating slot (the inverse of [`Cat::as_risk`]).
    pub fn from_risk(risk: Risk) -> Cat {
        match risk {
            Risk::Critical | Risk::High => Cat::CatI,
            Risk::Moderate => Cat::CatII,
            Risk::Low => Cat::CatIII,
        }
    }

    /// The raw severity eMASS's current templates write for the category.
    pub fn level(self) -> Level {
        match self {
            Cat::CatI => Level::High,
            Cat::CatII => Level::Moderate,
            Cat::CatIII => Level::Low,
        }
    }
}

/// An item's status in eMASS terms, derived from its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EmassStatus {
    Ongoing,
    RiskAccepted,
    Completed,
}

impl EmassStatus {
    /// As the templates write it (column F, `POA&M Status`).
    pub fn label(self) -> &'static str {
        match self {
            EmassStatus::Ongoing => "Ongoing",
            EmassStatus::RiskAccepted => "Risk Accepted",
            EmassStatus::Completed => "Completed",
        }
    }

    /// Closed → Completed; open with `rmf.risk_accepted` → Risk Accepted; else Ongoing.
    pub fn of(item: &Item) -> EmassStatus {
        if item.is_closed() {
            EmassStatus::Completed
        } else if item.rmf.as_ref().is_some_and(|r| r.risk_accepted.is_some()) {
            EmassStatus::RiskAccepted
        } else {
            EmassStatus::Ongoing
        }
    }

    pub fn parse(label: &str) -> Option<EmassStatus> {
        match label.trim().to_ascii_lowercase().as_str() {
            "ongoing" => Some(EmassStatus::Ongoing),
            "risk accepted" => Some(EmassStatus::RiskAccepted),
            "completed" => Some(EmassStatus::Completed),
            _ => None,
        }
    }
}

/// The 5x5 matrix of the eMASS templates' Instructions ("DO NOT CHANGE"): Likelihood is
/// `matrix(relevance of threat, severity)`, Residual Risk Level is `matrix(likelihood,
/// impact)`. Rows from the Navy Instructions C1:I20 (equal to NIST SP 800-30 Table I-2):
/// Very High and High `VL L M H VH`, Moderate `VL L M M H`, Low `VL L L L M`, Very Low
/// `VL VL L L L`.
pub fn matrix(row: Level, column: Level) -> Level {
    use Level::{High as H, Low as L, Moderate as M, VeryHigh as VH, VeryLow as VL};
    const TABLE: [[Level; 5]; 5] = [
        // row Very Low
        [VL, VL, L, L, L],
        // row Low
        [VL, L, L, L, M],
        // row Moderate
        [VL, L, M, M, H],
        // row High
        [VL, L, M, H, VH],
        // row Very High
        [VL, L, M, H, VH],
    ];
    TABLE[row as usize][column as usize]
}

/// Everything computed about one item under `dod-rmf`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RmfAssessment {
    pub status: EmassStatus,
    pub cat: Option<Cat>,
    /// Where the raw severity is written.
    pub cat_span: Option<Span>,
    pub iava_comply_by: Option<NaiveDate>,
    /// The acceptance's expiry, when risk accepted with one.
    pub accepted_until: Option<NaiveDate>,
    /// Risk accepted and the acceptance expired before today.
    pub acceptance_expired: bool,
}

/// The deadline of `item`: detection + the category's days, or the IAVA comply-by date (or
/// the KEV due date) when earlier; with the days and whether a cap set it.
pub fn deadline(item: &Item, deadlines: &Deadlines) -> Option<(NaiveDate, Cat, u32, bool)> {
    let cat = Cat::of(item.rmf.as_ref()?.raw_severity.as_ref()?.value);
    let days = cat.days(deadlines);
    let detected = item.detected.as_ref()?.value;
    let by_cat = detected + chrono::Days::new(u64::from(days));
    let caps = [
        item.rmf
            .as_ref()
            .and_then(|r| r.iava.as_ref())
            .and_then(|i| i.comply_by.as_ref())
            .map(|c| c.value),
        item.kev_due.as_ref().map(|k| k.value),
    ];
    let cap = caps.into_iter().flatten().min();
    match cap {
        Some(cap) if cap < by_cat => Some((cap, cat, days, true)),
        _ => Some((by_cat, cat, days, false)),
    }
}

/// The RMF part of the assessment of `item` as of `today`.
pub fn assess_rmf(item: &Item, today: NaiveDate) -> RmfAssessment {
    let rmf = item.rmf.as_deref();
    let raw = rmf.and_then(|r| r.raw_severity.as_ref());
    let status = EmassStatus::of(item);
    let accepted_until = rmf
        .and_then(|r| r.risk_accepted.as_ref())
        .and_then(|a| a.expires.as_ref())
        .map(|e| e.value)
        .filter(|_| status == EmassStatus::RiskAccepted);
    RmfAssessment {
        status,
        cat: raw.map(|r| Cat::of(r.value)),
        cat_span: raw.map(|r| r.span),
        iava_comply_by: rmf
            .and_then(|r| r.iava.as_ref())
            .and_then(|i| i.comply_by.as_ref())
            .map(|c| c.value),
        accepted_until,
        acceptance_expired: accepted_until.is_some_and(|e| e < today),
    }
}

/// True when an item's version (its parsed tree, as history reads it) is CAT I by its
/// `rmf.raw_severity`.
pub fn is_cat_i(node: &crate::model::Node) -> bool {
    let severity = node
        .get("rmf")
        .and_then(|rmf| rmf.value.get("raw_severity"))
        .map(|e| &e.value.value);
    match severity {
        Some(crate::model::Value::Str(text)) => {
            RawSeverity::parse(text).is_some_and(|raw| Cat::of(raw) == Cat::CatI)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_rows_are_the_templates() {
        use Level::*;
        let row = |r: Level| Level::ALL.map(|c| matrix(r, c));
        assert_eq!(row(VeryHigh), [VeryLow, Low, Moderate, High, VeryHigh]);
        assert_eq!(row(High), [VeryLow, Low, Moderate, High, VeryHigh]);
        assert_eq!(row(Moderate), [VeryLow, Low, Moderate, Moderate, High]);
        assert_eq!(row(Low), [VeryLow, Low, Low, Low, Moderate]);
        assert_eq!(row(VeryLow), [VeryLow, VeryLow, Low, Low, Low]);
    }

    #[test]
    fn categories_of_raw_severities() {
        assert_eq!(Cat::of(RawSeverity::Level(Level::VeryHigh)), Cat::CatI);
        assert_eq!(Cat::of(RawSeverity::Level(Level::High)), Cat::CatI);
        assert_eq!(Cat::of(RawSeverity::Level(Level::Moderate)), Cat::CatII);
        assert_eq!(Cat::of(RawSeverity::Level(Level::VeryLow)), Cat::CatIII);
        assert_eq!(Cat::of(RawSeverity::CatII), Cat::CatII);
        assert_eq!(Cat::CatI.days(&DEFAULT_DEADLINES), 30);
        assert_eq!(Cat::CatII.days(&DEFAULT_DEADLINES), 180);
        assert_eq!(Cat::CatIII.days(&DEFAULT_DEADLINES), 365);
        for cat in Cat::ALL {
            assert_eq!(Cat::from_risk(cat.as_risk()), cat);
        }
    }
}
