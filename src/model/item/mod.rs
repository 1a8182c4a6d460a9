//! The lenient, typed item model. Built from a [`Node`](super::Node) tree: every field is optional and
//! spanned, and problems (unknown keys, wrong types, bad values) are collected as data for
//! the `unknown-field` and `invalid-value` rules instead of stopping at the first one.
//!
//! Four parts: the types (here), the reader that builds them from a node tree (`reader`), the
//! documented key order of each mapping (`keys`), and "did you mean" for unknown keys and
//! values (`suggest`).

use chrono::NaiveDate;

use super::rmf::{MilestoneStatus, Rmf};
use super::span::{Sp, Span};
use super::vdr::Vdr;

mod keys;
mod reader;
mod suggest;

pub use keys::{
    CLOSED_KEYS, DEVIATIONS_KEYS, DEVIATION_KEYS, DOCUMENT_KEYS, ITEM_KEYS, MILESTONE_CHANGE_KEYS,
    MILESTONE_KEYS, RISK_ADJUSTMENT_KEYS, VENDOR_KEYS,
};
pub(in crate::model) use reader::Reader;
pub use reader::{
    is_valid_cve, is_valid_evidence_path, is_valid_item_id, normalize_control, parse_date,
    FieldPath,
};
pub use suggest::{nearest, suggest};

/// Original or adjusted risk rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Low,
    Moderate,
    High,
    Critical,
}

impl Risk {
    pub const NAMES: &'static [&'static str] = &["low", "moderate", "high", "critical"];

    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Some(Self::Low),
            "moderate" => Some(Self::Moderate),
            "high" => Some(Self::High),
            "critical" => Some(Self::Critical),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// FedRAMP's template knows no Critical: it is reported as High.
    pub fn fedramp_level(self) -> u8 {
        match self {
            Self::Low => 1,
            Self::Moderate => 2,
            Self::High | Self::Critical => 3,
        }
    }

    pub fn is_high_or_critical(self) -> bool {
        self.fedramp_level() >= 3
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Open,
    Closed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    New,
    Update,
    Complete,
}

impl ChangeKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Update => "update",
            Self::Complete => "complete",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeviationStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

impl DeviationStatus {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Milestone {
    pub span: Span,
    pub id: Option<Sp<u32>>,
    pub date: Option<Sp<NaiveDate>>,
    pub description: Option<Sp<String>>,
    /// The milestone's eMASS status (`dod-rmf` profile).
    pub status: Option<Sp<MilestoneStatus>>,
}

#[derive(Clone, Debug, Default)]
pub struct MilestoneChange {
    pub span: Span,
    pub milestone: Option<Sp<u32>>,
    pub kind: Option<Sp<ChangeKind>>,
    pub date: Option<Sp<NaiveDate>>,
    pub description: Option<Sp<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct VendorDependency {
    pub span: Span,
    pub product: Option<Sp<String>>,
    pub last_checkin: Option<Sp<NaiveDate>>,
    pub fix_released: Option<Sp<NaiveDate>>,
}

#[derive(Clone, Debug, Default)]
pub struct RiskAdjustment {
    pub span: Span,
    pub status: Option<Sp<DeviationStatus>>,
    pub adjusted_risk: Option<Sp<Risk>>,
    pub rationale: Option<Sp<String>>,
    pub auto_approved: Option<Sp<bool>>,
}

#[derive(Clone, Debug, Default)]
pub struct Deviation {
    pub span: Span,
    pub status: Option<Sp<DeviationStatus>>,
    pub rationale: Option<Sp<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct Deviations {
    pub span: Span,
    pub risk_adjustment: Option<RiskAdjustment>,
    pub false_positive: Option<Deviation>,
    pub operational_requirement: Option<Deviation>,
}

#[derive(Clone, Debug, Default)]
pub struct Document {
    pub span: Span,
    pub kind: Option<Sp<String>>,
    pub name: Option<Sp<String>>,
    /// The evidence file, relative to the folder of `poam.yaml`, `/`-separated
    /// (`evidence/V-1/rescan.pdf`).
    pub path: Option<Sp<String>>,
    /// Where a document kept outside the repository is (`poam evidence add --link`).
    pub url: Option<Sp<String>>,
    /// The SHA-256 of the file when it was added: 64 lower-case hex digits.
    pub sha256: Option<Sp<String>>,
    /// The day the document was added.
    pub added: Option<Sp<NaiveDate>>,
    pub note: Option<Sp<String>>,
}

#[derive(Clone, Debug, Default)]
pub struct Closed {
    pub span: Span,
    pub key_span: Span,
    pub date: Option<Sp<NaiveDate>>,
    pub evidence: Option<Sp<String>>,
}

/// A problem found while building the model; rules turn these into diagnostics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    UnknownKey {
        path: String,
        key: String,
        span: Span,
        suggestion: Option<&'static str>,
    },
    InvalidValue {
        path: String,
        span: Span,
        message: String,
        help: String,
        /// The allowed word the value is nearest to, when there is one ("did you mean").
        suggestion: Option<String>,
    },
    /// An enumerated word (a status, a rating, a kind) written with capitals: read as its
    /// lower-case `word`, which is how the schema spells it.
    WordCase {
        path: String,
        span: Span,
        word: String,
    },
    /// A text value holds a control character (C0, DEL or C1) other than a line break or,
    /// in text that may run over lines, a tab: the first one, at the value.
    ControlCharacter {
        path: String,
        span: Span,
        character: char,
    },
}

/// One POA&M item as written, every field optional and spanned.
#[derive(Clone, Debug, Default)]
pub struct Item {
    /// The whole top-level mapping.
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
    pub controls: Option<Sp<Vec<Sp<String>>>>,
    /// The NIST SP 800-171 Rev 2 requirement the item plans to meet (`cmmc-l2` profile).
    pub requirement: Option<Sp<String>>,
    pub detector: Option<Sp<String>>,
    pub detector_id: Option<Sp<String>>,
    pub assets: Option<Sp<Vec<Sp<String>>>>,
    pub owner: Option<Sp<String>>,
    pub resources: Option<Sp<String>>,
    pub remediation: Option<Sp<String>>,
    pub detected: Option<Sp<NaiveDate>>,
    pub due: Option<Sp<NaiveDate>>,
    pub risk: Option<Sp<Risk>>,
    pub milestones: Option<Sp<Vec<Milestone>>>,
    pub milestone_changes: Option<Sp<Vec<MilestoneChange>>>,
    pub status: Option<Sp<Status>>,
    pub status_date: Option<Sp<NaiveDate>>,
    pub vendor_dependency: Option<VendorDependency>,
    pub deviations: Option<Deviations>,
    pub kev_due: Option<Sp<NaiveDate>>,
    pub cves: Option<Sp<Vec<Sp<String>>>>,
    /// The scanner's own rating word, kept beside `risk` (which follows FedRAMP's CVSS bands).
    pub scanner_severity: Option<Sp<String>>,
    pub services: Option<Sp<Vec<Sp<String>>>>,
    pub documents: Option<Sp<Vec<Document>>>,
    pub comments: Option<Sp<String>>,
    pub closed: Option<Closed>,
    /// The CR26 vulnerability evaluation (`fedramp-cr26` profile).
    pub vdr: Option<Box<Vdr>>,
    /// The DoD RMF (eMASS) fields (`dod-rmf` profile).
    pub rmf: Option<Box<Rmf>>,
    /// Problems met while reading the fields, in source order.
    pub problems: Vec<Problem>,
    /// Known keys written with no value (`title: ""`, `description:`), by path (as
    /// `missing-field` names them: `milestones[0].description`), each with the span to point
    /// at: the empty value, or the key when nothing follows its colon.
    pub empty: Vec<(String, Span)>,
}

impl Item {
    /// True when a value was present at `path` but could not be read; `missing-field`
    /// stays quiet about it because `invalid-value` already speaks.
    pub fn is_invalid(&self, path: &str) -> bool {
        self.problems
            .iter()
            .any(|p| matches!(p, Problem::InvalidValue { path: p, .. } if p == path))
    }

    pub fn is_open(&self) -> bool {
        matches!(self.status.as_ref().map(|s| s.value), Some(Status::Open))
    }

    pub fn is_closed(&self) -> bool {
        matches!(self.status.as_ref().map(|s| s.value), Some(Status::Closed))
    }

    pub fn id_text(&self) -> Option<&str> {
        self.id.as_ref().map(|id| id.value.as_str())
    }
}
