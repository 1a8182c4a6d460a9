//! The `rmf:` block of an item: the DoD RMF (eMASS) fields of the `dod-rmf` profile: the raw
//! severity (CAT I/II/III or the five-level scale), the risk analysis of the eMASS POA&M
//! templates (severity, relevance of threat, likelihood, impact, residual risk), the
//! security checks and identification source, an IAVA with its comply-by date, and a risk
//! acceptance.
//!
//! Read as leniently as the rest of the item: every field optional and spanned, every problem
//! collected. Whether the values agree (the 5x5 matrix, the status-dependent required fields)
//! is left to the `rmf-*` rules.

use chrono::NaiveDate;

use super::span::{Sp, Span};

/// The five-level scale of the eMASS templates (`Very Low` .. `Very High`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    VeryLow,
    Low,
    Moderate,
    High,
    VeryHigh,
}

impl Level {
    /// As the item file writes them.
    pub const NAMES: &'static [&'static str] =
        &["very-low", "low", "moderate", "high", "very-high"];
    /// As the eMASS templates write them.
    pub const LABELS: &'static [&'static str] =
        &["Very Low", "Low", "Moderate", "High", "Very High"];
    pub const ALL: [Level; 5] = [
        Level::VeryLow,
        Level::Low,
        Level::Moderate,
        Level::High,
        Level::VeryHigh,
    ];

    /// `very-low`, `Very Low`, `very low` (any case) and the like.
    pub fn parse(text: &str) -> Option<Level> {
        let word = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Self::NAMES
            .iter()
            .position(|n| *n == word)
            .map(|i| Self::ALL[i])
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// `Very Low`, as eMASS writes it.
    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }
}

/// A raw severity: a DoD category (CAT I/II/III) or a level of the five-level scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RawSeverity {
    CatI,
    CatII,
    CatIII,
    Level(Level),
}

impl RawSeverity {
    pub const NAMES: &'static [&'static str] = &[
        "cat-i",
        "cat-ii",
        "cat-iii",
        "very-low",
        "low",
        "moderate",
        "high",
        "very-high",
    ];

    /// `cat-i`, `CAT I`, `I` (the legacy template's word), or a level.
    pub fn parse(text: &str) -> Option<RawSeverity> {
        let word = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        match word.as_str() {
            "cat-i" | "i" => Some(Self::CatI),
            "cat-ii" | "ii" => Some(Self::CatII),
            "cat-iii" | "iii" => Some(Self::CatIII),
            _ => Level::parse(&word).map(Self::Level),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::CatI => "cat-i",
            Self::CatII => "cat-ii",
            Self::CatIII => "cat-iii",
            Self::Level(level) => level.name(),
        }
    }
}

/// A milestone's status in eMASS terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MilestoneStatus {
    Open,
    InProgress,
    Completed,
    Archived,
}

impl MilestoneStatus {
    pub const NAMES: &'static [&'static str] = &["open", "in-progress", "completed", "archived"];
    pub const LABELS: &'static [&'static str] = &["Open", "In Progress", "Completed", "Archived"];

    pub fn parse(text: &str) -> Option<MilestoneStatus> {
        let word = text.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        match word.as_str() {
            "open" | "ongoing" => Some(Self::Open),
            "in-progress" => Some(Self::InProgress),
            "completed" | "complete" => Some(Self::Completed),
            "archived" => Some(Self::Archived),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// As the eMASS templates write it.
    pub fn label(self) -> &'static str {
        Self::LABELS[self as usize]
    }

    /// Completed or archived: nothing left to do.
    pub fn is_done(self) -> bool {
        matches!(self, Self::Completed | Self::Archived)
    }
}

/// An IAVA (information assurance vulnerability alert) and its comply-by date.
#[derive(Clone, Debug, Default)]
pub struct Iava {
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub comply_by: Option<Sp<NaiveDate>>,
}

/// The item's risk is accepted (eMASS status `Risk Accepted`).
#[derive(Clone, Debug, Default)]
pub struct RiskAccepted {
    pub span: Span,
    pub key_span: Span,
    pub date: Option<Sp<NaiveDate>>,
    /// Blank: a long-term acceptance (column H of the templates).
    pub expires: Option<Sp<NaiveDate>>,
}

/// The Army template's resource columns (AE-AO), kept as written.
#[derive(Clone, Debug, Default)]
pub struct Costs {
    pub span: Span,
    /// (key, value) in written order; keys are [`COSTS_KEYS`].
    pub fields: Vec<(&'static str, Sp<String>)>,
}

impl Costs {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.value.as_str())
    }
}

/// The whole `rmf:` block.
#[derive(Clone, Debug, Default)]
pub struct Rmf {
    pub span: Span,
    pub key_span: Span,
    pub raw_severity: Option<Sp<RawSeverity>>,
    pub severity: Option<Sp<Level>>,
    pub relevance_of_threat: Option<Sp<Level>>,
    pub likelihood: Option<Sp<Level>>,
    pub impact: Option<Sp<Level>>,
    pub impact_description: Option<Sp<String>>,
    pub residual_risk: Option<Sp<Level>>,
    pub mitigations: Option<Sp<String>>,
    pub predisposing_conditions: Option<Sp<String>>,
    pub threat_description: Option<Sp<String>>,
    pub recommendations: Option<Sp<String>>,
    pub resulting_residual_risk: Option<Sp<Level>>,
    pub security_checks: Option<Sp<Vec<Sp<String>>>>,
    pub identification_source: Option<Sp<String>>,
    /// Office/Org as written, when it is not built from the owner.
    pub office_org: Option<Sp<String>>,
    pub iava: Option<Iava>,
    pub risk_accepted: Option<RiskAccepted>,
    /// When eMASS approved the item (an approved item's milestones may pass its scheduled
    /// completion date: "pending extension").
    pub approved: Option<Sp<NaiveDate>>,
    pub costs: Option<Costs>,
}

pub const RMF_KEYS: &[&str] = &[
    "raw_severity",
    "severity",
    "relevance_of_threat",
    "likelihood",
    "impact",
    "impact_description",
    "residual_risk",
    "mitigations",
    "predisposing_conditions",
    "threat_description",
    "recommendations",
    "resulting_residual_risk",
    "security_checks",
    "identification_source",
    "office_org",
    "iava",
    "risk_accepted",
    "approved",
    "costs",
];
pub const IAVA_KEYS: &[&str] = &["id", "comply_by"];
pub const RISK_ACCEPTED_KEYS: &[&str] = &["date", "expires"];
pub const COSTS_KEYS: &[&str] = &[
    "cfo_audit",
    "personnel_cost_code",
    "personnel_funded_hours",
    "personnel_unfunded_hours",
    "personnel_obstacle",
    "personnel_obstacle_other",
    "non_personnel_cost_code",
    "non_personnel_funded_amount",
    "non_personnel_unfunded_amount",
    "non_personnel_obstacle",
    "non_personnel_obstacle_other",
];
