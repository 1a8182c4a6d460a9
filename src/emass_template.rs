//! The eMASS POA&M import templates' layout: data both the eMASS export and import read.
//!
//! Four templates: the current Navy, Army and Marine Corps branch templates (2026, as C-PAT
//! vendors them) and the older generic RMF template (2018, as mitre/saf ships it). Headers
//! and cell positions are from `emass-poam-columns.md` of the team's reference notes, which
//! read them from those files; the branch files' licence does not allow copying them, so
//! nothing here is taken from the files themselves: the export writes the layout from these
//! tables. Rows and columns are 0-based (row 6 is Excel's row 7).

/// Which eMASS template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Template {
    Navy,
    Army,
    MarineCorps,
    /// The older generic RMF template: one row per item, milestones as text in one column.
    Rmf,
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Column A: hidden and empty in the branch templates; in the RMF template it repeats
    /// the description header and stays empty.
    Unused,
    ItemId,
    Description,
    Controls,
    SecurityChecks,
    Status,
    ScheduledCompletion,
    RiskAcceptedExpires,
    CompletionDate,
    MilestoneId,
    MilestoneDescription,
    MilestoneStatus,
    MilestoneComments,
    MilestoneScheduled,
    MilestoneCompleted,
    /// RMF template: every milestone on a line, `description YYYY-MM-DD`.
    MilestonesText,
    /// RMF template: milestone changes, as text.
    MilestoneChanges,
    IdentificationSource,
    IdentificationSourceDetails,
    OfficeOrg,
    Resources,
    Comments,
    RawSeverity,
    DevicesAffected,
    Mitigations,
    PredisposingConditions,
    Severity,
    RelevanceOfThreat,
    ThreatDescription,
    Likelihood,
    Impact,
    ImpactDescription,
    ResidualRisk,
    Recommendations,
    ResultingResidualRisk,
    /// An Army resource column: the key of `rmf.costs` it holds.
    Cost(&'static str),
}

impl Field {
    /// Whether the column belongs to a milestone (filled on every row of the item).
    pub fn is_milestone(self) -> bool {
        matches!(
            self,
            Field::MilestoneId
                | Field::MilestoneDescription
                | Field::MilestoneStatus
                | Field::MilestoneComments
                | Field::MilestoneScheduled
                | Field::MilestoneCompleted
        )
    }

    /// Whether the column holds a date.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::ScheduledCompletion
                | Field::RiskAcceptedExpires
                | Field::CompletionDate
                | Field::MilestoneScheduled
                | Field::MilestoneCompleted
        )
    }
}

/// A value of the header block (rows 2-6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockValue {
    DateExported,
    ExportedBy,
    Component,
    SystemName,
    RegistrationNo,
    SystemType,
    OmbProjectId,
    PocName,
    PocPhone,
    PocEmail,
    SecurityCosts,
}

/// A label of the header block and the cells its value goes in.
#[derive(Clone, Copy, Debug)]
pub struct BlockCell {
    pub label: &'static str,
    /// (first row, first column, last row, last column) of the label.
    pub label_at: (u32, u16, u32, u16),
    /// The same for the value.
    pub value_at: (u32, u16, u32, u16),
    pub value: BlockValue,
}

/// The header row (Excel row 7).
pub const HEADER_ROW: u32 = 6;
/// The first item row (Excel row 8).
pub const FIRST_DATA_ROW: u32 = 7;
/// The sheet eMASS reads.
pub const SHEET: &str = "POA&M";

const BRANCH_BANNER: &str = "***** CONTROLLED UNCLASSIFIED INFORMATION *****";
const RMF_BANNER: &str = "***** UNCLASSIFIED//FOR OFFICIAL USE ONLY *****";

use BlockValue as B;
use Field as F;

/// Columns B..O, the same in the three branch templates.
const BRANCH_FIRST: [(&str, Field); 15] = [
    ("", F::Unused),
    ("POA&M Item ID", F::ItemId),
    ("Control Vulnerability Description", F::Description),
    ("Controls / APs", F::Controls),
    ("Security Checks", F::SecurityChecks),
    ("POA&M Status", F::Status),
    ("POA&M Scheduled Completion Date", F::ScheduledCompletion),
    (
        "POA&M Requested Risk Accepted Expiration Date",
        F::RiskAcceptedExpires,
    ),
    ("POA&M Completion Date", F::CompletionDate),
    ("Milestone ID", F::MilestoneId),
    ("Milestone Description", F::MilestoneDescription),
    ("Milestone Status", F::MilestoneStatus),
    ("Milestone Status Comments", F::MilestoneComments),
    ("Milestone Scheduled Completion Date", F::MilestoneScheduled),
    ("Milestone Completion Date", F::MilestoneCompleted),
];

const NAVY: &[(&str, Field)] = &[
    ("Identification Source", F::IdentificationSource),
    (
        "Identification Source Details",
        F::IdentificationSourceDetails,
    ),
    ("Office/Org", F::OfficeOrg),
    ("Resources Required", F::Resources),
    ("Comments", F::Comments),
    ("Raw Severity", F::RawSeverity),
    ("Devices Affected", F::DevicesAffected),
    (
        "Mitigations (in-house and in conjunction with the Navy CSSP)",
        F::Mitigations,
    ),
    ("Predisposing Conditions", F::PredisposingConditions),
    ("Severity", F::Severity),
    ("Relevance of Threat", F::RelevanceOfThreat),
    ("Threat Description", F::ThreatDescription),
    ("Likelihood", F::Likelihood),
    ("Impact", F::Impact),
    ("Impact Description", F::ImpactDescription),
    ("Residual Risk Level", F::ResidualRisk),
    ("Recommendations", F::Recommendations),
    (
        "Resulting Residual Risk after Proposed Mitigations",
        F::ResultingResidualRisk,
    ),
];

const MARINE_CORPS: &[(&str, Field)] = &[
    ("Identification Source", F::IdentificationSource),
    (
        "Identification Source Details",
        F::IdentificationSourceDetails,
    ),
    ("Office/Org", F::OfficeOrg),
    ("Resources Required", F::Resources),
    ("Comments", F::Comments),
    ("Raw Severity", F::RawSeverity),
    ("Devices Affected", F::DevicesAffected),
    ("Mitigations", F::Mitigations),
    ("Predisposing Conditions", F::PredisposingConditions),
    ("Severity", F::Severity),
    ("Relevance of Threat", F::RelevanceOfThreat),
    ("Threat Description", F::ThreatDescription),
    ("Likelihood", F::Likelihood),
    ("Impact", F::Impact),
    ("Impact Description", F::ImpactDescription),
    ("Residual Risk Level", F::ResidualRisk),
    ("Recommendations", F::Recommendations),
];

const ARMY: &[(&str, Field)] = &[
    // The trailing space is the template's (its Example sheet has none).
    ("Identification Source ", F::IdentificationSource),
    (
        "Identification Source Details",
        F::IdentificationSourceDetails,
    ),
    ("Office/Org", F::OfficeOrg),
    ("Resources Required", F::Resources),
    ("Comments", F::Comments),
    ("Raw Severity", F::RawSeverity),
    ("Devices Affected", F::DevicesAffected),
    ("Mitigations", F::Mitigations),
    ("Severity", F::Severity),
    ("Relevance of Threat", F::RelevanceOfThreat),
    ("Likelihood", F::Likelihood),
    ("Impact", F::Impact),
    ("Impact Description", F::ImpactDescription),
    ("Residual Risk Level", F::ResidualRisk),
    ("Recommendations", F::Recommendations),
    (
        "Identified in CFO Audit or other review",
        F::Cost("cfo_audit"),
    ),
    (
        "Personnel Resources: \nCost Code",
        F::Cost("personnel_cost_code"),
    ),
    (
        "Personnel Resources: Funded Base Hours",
        F::Cost("personnel_funded_hours"),
    ),
    (
        "Personnel Resources: Unfunded Base Hours",
        F::Cost("personnel_unfunded_hours"),
    ),
    (
        "Personnel Resources: \nNon-Funding Obstacle",
        F::Cost("personnel_obstacle"),
    ),
    (
        "Personnel Resources: Non-Funded Obstacle Other Reason",
        F::Cost("personnel_obstacle_other"),
    ),
    (
        "Non-Personnel Resources: Cost Code",
        F::Cost("non_personnel_cost_code"),
    ),
    (
        "Non-Personnel Resources: Funded Amount",
        F::Cost("non_personnel_funded_amount"),
    ),
    (
        "Non-Personnel Resources: Unfunded Amount",
        F::Cost("non_personnel_unfunded_amount"),
    ),
    (
        "Non-Personnel Resources: Non-Funding Obstacle",
        F::Cost("non_personnel_obstacle"),
    ),
    (
        "Non-Personnel Resources: Non-Funding Obstacle Other reason",
        F::Cost("non_personnel_obstacle_other"),
    ),
];

/// The RMF template's columns A..V (the leading and trailing spaces are the template's).
const RMF: &[(&str, Field)] = &[
    ("Control Vulnerability Description", F::Unused),
    ("POA&M Item ID", F::ItemId),
    ("Control Vulnerability Description", F::Description),
    ("Security Control Number (NC/NA controls only)", F::Controls),
    ("Office/Org", F::OfficeOrg),
    ("Security Checks", F::SecurityChecks),
    ("Resources Required", F::Resources),
    ("Scheduled Completion Date", F::ScheduledCompletion),
    ("Milestone with Completion Dates", F::MilestonesText),
    ("Milestone Changes", F::MilestoneChanges),
    ("Source Identifying Vulnerability ", F::IdentificationSource),
    ("Status", F::Status),
    ("Comments", F::Comments),
    (" Raw Severity", F::RawSeverity),
    ("Mitigations", F::Mitigations),
    ("Severity", F::Severity),
    ("Relevance of Threat", F::RelevanceOfThreat),
    ("Likelihood", F::Likelihood),
    ("Impact", F::Impact),
    ("Impact Description", F::ImpactDescription),
    ("Residual Risk Level", F::ResidualRisk),
    ("Recommendations", F::Recommendations),
];

/// The header block of the Navy and Army templates (value columns M-O and Q-S).
const BRANCH_BLOCK: &[BlockCell] = &[
    cell(
        "Date Exported:",
        (1, 0, 1, 2),
        (1, 3, 1, 10),
        B::DateExported,
    ),
    cell(
        "System Type:",
        (1, 11, 2, 11),
        (1, 12, 2, 14),
        B::SystemType,
    ),
    cell(
        "OMB Project ID:",
        (1, 15, 2, 15),
        (1, 16, 2, 18),
        B::OmbProjectId,
    ),
    cell("Exported By:", (2, 0, 2, 2), (2, 3, 2, 10), B::ExportedBy),
    cell("CC/S/A/FA:", (3, 0, 3, 2), (3, 3, 3, 10), B::Component),
    cell("POC Name:", (3, 11, 3, 11), (3, 12, 3, 14), B::PocName),
    cell(
        "System / Project Name:",
        (4, 0, 4, 2),
        (4, 3, 4, 10),
        B::SystemName,
    ),
    cell("POC Phone:", (4, 11, 4, 11), (4, 12, 4, 14), B::PocPhone),
    cell(
        "Security Costs:",
        (4, 15, 4, 15),
        (4, 16, 4, 18),
        B::SecurityCosts,
    ),
    cell(
        "DoW IT Registration No:",
        (5, 0, 5, 2),
        (5, 3, 5, 10),
        B::RegistrationNo,
    ),
    cell("POC E-Mail:", (5, 11, 5, 11), (5, 12, 5, 14), B::PocEmail),
];

/// The Marine Corps block: values in M-N, the OMB and cost labels in O, values P-R.
const MARINE_CORPS_BLOCK: &[BlockCell] = &[
    cell(
        "Date Exported:",
        (1, 0, 1, 2),
        (1, 3, 1, 10),
        B::DateExported,
    ),
    cell(
        "System Type:",
        (1, 11, 2, 11),
        (1, 12, 2, 13),
        B::SystemType,
    ),
    cell(
        "OMB Project ID:",
        (1, 14, 2, 14),
        (1, 15, 2, 17),
        B::OmbProjectId,
    ),
    cell("Exported By:", (2, 0, 2, 2), (2, 3, 2, 10), B::ExportedBy),
    cell("CC/S/A/FA:", (3, 0, 3, 2), (3, 3, 3, 10), B::Component),
    cell("POC Name:", (3, 11, 3, 11), (3, 12, 3, 13), B::PocName),
    cell(
        "System / Project Name:",
        (4, 0, 4, 2),
        (4, 3, 4, 10),
        B::SystemName,
    ),
    cell("POC Phone:", (4, 11, 4, 11), (4, 12, 4, 13), B::PocPhone),
    cell(
        "Security Costs:",
        (4, 14, 4, 14),
        (4, 15, 4, 17),
        B::SecurityCosts,
    ),
    cell(
        "DoW IT Registration No:",
        (5, 0, 5, 2),
        (5, 3, 5, 10),
        B::RegistrationNo,
    ),
    cell("POC E-Mail:", (5, 11, 5, 11), (5, 12, 5, 13), B::PocEmail),
];

/// The RMF block: values D-I, K-L and N-P; "DoD" where the branch templates say "DoW" and
/// `DoD Component:` for `CC/S/A/FA:`.
const RMF_BLOCK: &[BlockCell] = &[
    cell(
        "Date Exported:",
        (1, 0, 1, 2),
        (1, 3, 1, 8),
        B::DateExported,
    ),
    cell("System Type:", (1, 9, 2, 9), (1, 10, 2, 11), B::SystemType),
    cell(
        "OMB Project ID:",
        (1, 12, 2, 12),
        (1, 13, 2, 15),
        B::OmbProjectId,
    ),
    cell("Exported By:", (2, 0, 2, 2), (2, 3, 2, 8), B::ExportedBy),
    cell("DoD Component:", (3, 0, 3, 2), (3, 3, 3, 8), B::Component),
    cell("POC Name:", (3, 9, 3, 9), (3, 10, 3, 11), B::PocName),
    cell(
        "System / Project Name:",
        (4, 0, 4, 2),
        (4, 3, 4, 8),
        B::SystemName,
    ),
    cell("POC Phone:", (4, 9, 4, 9), (4, 10, 4, 11), B::PocPhone),
    cell(
        "Security Costs:",
        (4, 12, 4, 12),
        (4, 13, 4, 15),
        B::SecurityCosts,
    ),
    cell(
        "DoD IT Registration No:",
        (5, 0, 5, 2),
        (5, 3, 5, 8),
        B::RegistrationNo,
    ),
    cell("POC E-Mail:", (5, 9, 5, 9), (5, 10, 5, 11), B::PocEmail),
];

const fn cell(
    label: &'static str,
    label_at: (u32, u16, u32, u16),
    value_at: (u32, u16, u32, u16),
    value: BlockValue,
) -> BlockCell {
    BlockCell {
        label,
        label_at,
        value_at,
        value,
    }
}

impl Template {
    pub const ALL: [Template; 4] = [
        Template::Navy,
        Template::Army,
        Template::MarineCorps,
        Template::Rmf,
    ];
    pub const NAMES: [&'static str; 4] = ["navy", "army", "marine-corps", "rmf"];

    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The template a system of `component` (`emass.component` of poam.yaml) sends: the
    /// Navy, Army and Marine Corps templates by that name (case and spaces aside), else the
    /// DoD-wide RMF template.
    pub fn for_component(component: Option<&str>) -> Template {
        let name = component
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '_'], "-");
        match name.as_str() {
            "navy" => Template::Navy,
            "army" => Template::Army,
            "marine-corps" | "usmc" => Template::MarineCorps,
            _ => Template::Rmf,
        }
    }

    /// The template's name for people: `Navy`, `Army`, `Marine Corps`, `RMF`.
    pub fn label(self) -> &'static str {
        match self {
            Template::Navy => "Navy",
            Template::Army => "Army",
            Template::MarineCorps => "Marine Corps",
            Template::Rmf => "RMF",
        }
    }

    pub fn from_name(name: &str) -> Option<Template> {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map(|i| Self::ALL[i])
    }

    /// Row 1's classification banner.
    pub fn banner(self) -> &'static str {
        match self {
            Template::Rmf => RMF_BANNER,
            _ => BRANCH_BANNER,
        }
    }

    /// Rows 2-6.
    pub fn block(self) -> &'static [BlockCell] {
        match self {
            Template::Navy | Template::Army => BRANCH_BLOCK,
            Template::MarineCorps => MARINE_CORPS_BLOCK,
            Template::Rmf => RMF_BLOCK,
        }
    }

    /// Row 7, from column A: (header, what the column holds).
    pub fn columns(self) -> Vec<(&'static str, Field)> {
        let tail = match self {
            Template::Navy => NAVY,
            Template::Army => ARMY,
            Template::MarineCorps => MARINE_CORPS,
            Template::Rmf => return RMF.to_vec(),
        };
        BRANCH_FIRST.iter().chain(tail).copied().collect()
    }

    /// One row per milestone (the branch templates), or one row per item (RMF).
    pub fn row_per_milestone(self) -> bool {
        self != Template::Rmf
    }

    /// Whether column A is hidden (the branch templates).
    pub fn hides_column_a(self) -> bool {
        self != Template::Rmf
    }

    /// Raw Severity as this template writes it: I/II/III (RMF) or the five-level scale.
    pub fn legacy_raw_severity(self) -> bool {
        self == Template::Rmf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_component_names_the_template_and_rmf_is_the_default() {
        assert_eq!(Template::for_component(Some("Navy")), Template::Navy);
        assert_eq!(Template::for_component(Some(" army ")), Template::Army);
        assert_eq!(
            Template::for_component(Some("Marine Corps")),
            Template::MarineCorps
        );
        assert_eq!(Template::for_component(Some("USMC")), Template::MarineCorps);
        assert_eq!(Template::for_component(Some("Air Force")), Template::Rmf);
        assert_eq!(Template::for_component(None), Template::Rmf);
        for t in Template::ALL {
            assert_eq!(Template::for_component(Some(t.label())), t);
        }
    }

    #[test]
    fn widths_are_the_templates() {
        // Navy A-AG, Army A-AO, Marine Corps A-AF, RMF A-V.
        assert_eq!(Template::Navy.columns().len(), 33);
        assert_eq!(Template::Army.columns().len(), 41);
        assert_eq!(Template::MarineCorps.columns().len(), 32);
        assert_eq!(Template::Rmf.columns().len(), 22);
    }
}
