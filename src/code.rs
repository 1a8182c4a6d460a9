//! Every finding's code and severity: the leaf the rest of poam names findings by.
//!
//! Codes are stable public identifiers and never reused. Each rule's documentation comes from
//! its file's `//!` comment (collected by build.rs).

use std::fmt;

use serde::Serialize;
use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

include!(concat!(env!("OUT_DIR"), "/rule_docs.rs"));

/// The sets rules belong to; a profile is the sets it includes (`Profile::rule_sets`), so no
/// rule names a profile and a new profile picks the sets that fit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleSet {
    /// The item format and the audit trail: rules every profile keeps.
    Common,
    /// The Rev5 POA&M's deadline model: 30/90/180 days, deviations moving deadlines, vendor
    /// dependency excuses, milestones.
    Rev5,
    /// FedRAMP's 2026 vulnerability detection and response rules (VDR).
    Cr26,
}

/// Every finding's code. Kebab-case names are the stable public identifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Code {
    ParseError,
    UnknownField,
    MissingField,
    InvalidValue,
    ControlCharacter,
    DuplicateId,
    IdMismatch,
    MilestoneReference,
    DateOrder,
    FutureDate,
    DueBeyondPolicy,
    Overdue,
    DueSoon,
    MilestoneOverdue,
    MilestoneAfterDue,
    VendorCheckinStale,
    VendorDependencyHigh,
    OperationalRequirementHigh,
    AutoApproveTooFar,
    ClosedOperationalRequirement,
    ClosedInconsistent,
    StatusStale,
    KevMismatch,
    DeadlinesInverted,
    DetectedChanged,
    RiskChanged,
    DueChanged,
    MilestonesRewritten,
    MilestoneChangesRewritten,
    ItemDeleted,
    IdChanged,
    Reopened,
    DuplicateIdHistory,
    HistoryUnavailable,
    HistoryShallow,
    HistoryRebaseMerge,
    VdrNotEvaluated,
    VdrEvaluationLate,
    VdrEvaluationIncomplete,
    VdrNlevUnjustified,
    VdrReductionInvalid,
    VdrReductionLate,
    VdrNextReductionMissing,
    VdrNextReductionInvalid,
    VdrOverdueUnexplained,
    VdrMustAccept,
    VdrAcceptedIncomplete,
    VdrDispositionMissing,
    VdrFalsePositiveConflict,
    VdrKevNotRemediated,
    VdrIncidentIrv,
    VdrIncidentNirv,
    VdrNeedsTime,
    VdrLegacyField,
    VdrEvaluationChanged,
    VdrReductionsRewritten,
    VdrBackdated,
    WaiverUnknownCommit,
    WaiverUnmatched,
    ControlUnknown,
    ControlWithdrawn,
    ControlNotInBaseline,
    ControlSpelling,
    OwnerUnknown,
    OwnerDeparted,
    PeopleInvalid,
    PeopleDuplicateId,
    AssetUnknown,
    AssetRetired,
    InventoryInvalid,
    InventoryDuplicateId,
    InventoryMissingField,
    InventoryAliasConflict,
    InventoryNotScanned,
}

impl Code {
    /// Every code's name, in declaration order.
    pub fn names() -> Vec<&'static str> {
        Code::iter().map(Code::as_str).collect()
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<Code> {
        Code::iter().find(|c| c.as_str() == name)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            // MAY, and notes about the profile itself.
            Code::DueSoon
            | Code::HistoryUnavailable
            | Code::VdrNeedsTime
            | Code::VdrLegacyField
            | Code::ControlSpelling => Severity::Note,
            Code::MilestoneOverdue
            | Code::MilestoneAfterDue
            | Code::StatusStale
            | Code::Reopened
            | Code::DeadlinesInverted
            | Code::HistoryShallow
            | Code::HistoryRebaseMerge
            | Code::WaiverUnmatched
            | Code::ControlNotInBaseline
            | Code::OwnerDeparted
            | Code::AssetRetired
            | Code::InventoryNotScanned => Severity::Warning,
            // CR26 rules of SHOULD force (the incident rules lower themselves to a note
            // for the classes where FedRAMP says MAY).
            Code::VdrNotEvaluated
            | Code::VdrEvaluationLate
            | Code::VdrNlevUnjustified
            | Code::VdrReductionLate
            | Code::VdrNextReductionMissing
            | Code::VdrFalsePositiveConflict
            | Code::VdrKevNotRemediated
            | Code::VdrIncidentIrv
            | Code::VdrIncidentNirv
            | Code::VdrBackdated => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The set the rule belongs to.
    pub fn rule_set(self) -> RuleSet {
        match self {
            Code::DueBeyondPolicy
            | Code::Overdue
            | Code::DueSoon
            | Code::MilestoneReference
            | Code::MilestoneOverdue
            | Code::MilestoneAfterDue
            | Code::VendorCheckinStale
            | Code::VendorDependencyHigh
            | Code::OperationalRequirementHigh
            | Code::AutoApproveTooFar
            | Code::ClosedOperationalRequirement
            | Code::RiskChanged
            | Code::DueChanged
            | Code::MilestonesRewritten
            | Code::MilestoneChangesRewritten
            | Code::DeadlinesInverted => RuleSet::Rev5,
            Code::VdrNotEvaluated
            | Code::VdrEvaluationLate
            | Code::VdrEvaluationIncomplete
            | Code::VdrNlevUnjustified
            | Code::VdrReductionInvalid
            | Code::VdrReductionLate
            | Code::VdrNextReductionMissing
            | Code::VdrNextReductionInvalid
            | Code::VdrOverdueUnexplained
            | Code::VdrMustAccept
            | Code::VdrAcceptedIncomplete
            | Code::VdrDispositionMissing
            | Code::VdrFalsePositiveConflict
            | Code::VdrKevNotRemediated
            | Code::VdrIncidentIrv
            | Code::VdrIncidentNirv
            | Code::VdrNeedsTime
            | Code::VdrLegacyField
            | Code::VdrEvaluationChanged
            | Code::VdrReductionsRewritten
            | Code::VdrBackdated => RuleSet::Cr26,
            _ => RuleSet::Common,
        }
    }

    /// A history rule whose past findings `history_waivers` in `poam.yaml` may acknowledge.
    pub fn is_waivable(self) -> bool {
        is_history_code(self)
            && !matches!(
                self,
                Code::HistoryUnavailable
                    | Code::HistoryShallow
                    | Code::HistoryRebaseMerge
                    | Code::WaiverUnknownCommit
                    | Code::WaiverUnmatched
            )
    }

    /// The rule's documentation, from its file's `//!` comment.
    pub fn doc(self) -> &'static str {
        RULE_DOCS
            .iter()
            .find(|(code, _)| *code == self.as_str())
            .map_or("", |(_, doc)| doc)
    }

    /// The first line of the documentation.
    pub fn summary(self) -> &'static str {
        self.doc().lines().next().unwrap_or("")
    }

    /// Where the rule's documentation page lives.
    pub fn help_uri(self) -> String {
        format!("{DOCS_BASE}/{}.md", self.as_str())
    }
}

pub const DOCS_BASE: &str = "https://github.com/poam-dev/poam/blob/main/docs/rules";

/// Rules that compare versions of an item along git history.
pub fn is_history_code(code: Code) -> bool {
    HISTORY_CODES.contains(&code)
}

pub const HISTORY_CODES: &[Code] = &[
    Code::DetectedChanged,
    Code::RiskChanged,
    Code::DueChanged,
    Code::MilestonesRewritten,
    Code::MilestoneChangesRewritten,
    Code::ItemDeleted,
    Code::IdChanged,
    Code::Reopened,
    Code::DuplicateIdHistory,
    Code::HistoryUnavailable,
    Code::HistoryShallow,
    Code::HistoryRebaseMerge,
    Code::VdrEvaluationChanged,
    Code::VdrReductionsRewritten,
    Code::VdrBackdated,
    Code::WaiverUnknownCommit,
    Code::WaiverUnmatched,
];
