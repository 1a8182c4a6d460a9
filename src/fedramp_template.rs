//! The FedRAMP POA&M Template Rev5 layout, as data: sheet names, titles, the header block, the
//! 31 columns A..AE with their header, description and format-hint text, and the rows where
//! each part sits. Export rebuilds the workbook from it; import finds columns by its headers.
//! Data both read, so it sits below both (capabilities do not import each other).
//!
//! The texts are the template's own, character for character (`tests/it/xlsx.rs` compares them
//! with the real template in `tests/fixtures/xlsx/`).

/// Sheet names, in the template's order.
pub const OPEN_SHEET: &str = "Open POA&M Items";
pub const CLOSED_SHEET: &str = "Closed POA&M Items";
pub const CONFIGURATION_SHEET: &str = "Configuration Findings";
pub const CHANGES_SHEET: &str = "Record of Changes";
pub const SHEETS: [&str; 4] = [OPEN_SHEET, CLOSED_SHEET, CONFIGURATION_SHEET, CHANGES_SHEET];

/// Row 1 of the Open sheet (A1:E1 merged); the other two data sheets lack the ®.
pub const OPEN_TITLE: &str = "FedRAMP® Plan of Action and Milestones (POA&M) Template";
pub const OTHER_TITLE: &str = "FedRAMP Plan of Action and Milestones (POA&M) Template";

/// Row 2 labels of the header block; row 3 holds their values.
pub const BLOCK_LABELS: [&str; 4] = ["CSP", "System Name", "Impact Level", "POAM Date"];

/// Zero-based rows (Excel row minus one).
pub const TITLE_ROW: u32 = 0;
pub const BLOCK_LABEL_ROW: u32 = 1;
pub const BLOCK_VALUE_ROW: u32 = 2;
pub const HEADER_ROW: u32 = 4;
/// Open sheet only: column descriptions, format hints, the `V-1Example` row.
pub const DESCRIPTION_ROW: u32 = 5;
pub const HINT_ROW: u32 = 6;
pub const EXAMPLE_ROW: u32 = 7;
pub const OPEN_FIRST_DATA_ROW: u32 = 8;
/// Closed and Configuration Findings sheets.
pub const OTHER_FIRST_DATA_ROW: u32 = 5;

/// The template's example item id (Open sheet, row 8).
pub const EXAMPLE_ID: &str = "V-1Example";

/// One column of the data sheets.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub letter: &'static str,
    /// Row 5, exact.
    pub header: &'static str,
    /// Row 6 of the Open sheet.
    pub description: &'static str,
    /// Row 7 of the Open sheet: the expected format or values.
    pub hint: &'static str,
    /// Export width in characters (the template uses 20.8 for every column).
    pub width: f64,
}

const fn column(
    letter: &'static str,
    header: &'static str,
    description: &'static str,
    hint: &'static str,
    width: f64,
) -> Column {
    Column {
        letter,
        header,
        description,
        hint,
        width,
    }
}

/// Columns A..AE, in order.
pub const COLUMNS: [Column; COLUMN_COUNT] = [
    column("A", "POAM ID", "Unique identifier for each POAM Item", "Unique Identifier", 14.0),
    column("B", "Controls", "Applicable  800-53 Control(s)", "Control Number", 14.0),
    column("C", "Weakness Name", "Name of the weakness as provided by the scanner or otherwise summarizing the weakness", "Text", 30.0),
    column("D", "Weakness Description", "Description of the weakness and other information", "Text", 50.0),
    column("E", "Weakness Detector Source", "The scanner name or other source that detected the vulnerability", "[Nessus, Qualys, Webinspect, Security Assessment Report, etc]", 18.0),
    column("F", "Weakness Source Identifier", "Vulnerability identifier (Plugin ID) as provided by scanner\n(plugin ID/None)", "Identifier", 16.0),
    column("G", "Asset Identifier", "Identifier Specified in the Inventory\nThis is a unique string associated with the asset, it could just be IP, or any arbitrary naming scheme\nThis Field should include the complete identifier (no short hand), along with the port and protocol when provided by the scanner.\nEach Asset should be separated by a new line (Alt+Enter)", "Identifier (port/protocol)", 34.0),
    column("H", "Point of Contact", "Person Responsible for implementing this task", "Text", 24.0),
    column("I", "Resources Required", "Specify resources needed beyond current resources to mitigate task", "Text", 28.0),
    column("J", "Overall Remediation Plan", "General overview of the remediation plan", "Text", 44.0),
    column("K", "Original Detection Date", "Date the weakness was first identified\n(aka Discovery Date)", "Date", 14.0),
    column("L", "Scheduled Completion Date", "Permanent Column\nDate of intended completion", "Date", 14.0),
    column("M", "Planned Milestones", "Permanent Column\nList of proposed Milestones, separated with a blank line (Alt+Enter)\nAny alterations should be made in \"Milestone Changes\" \nMilestone Number should be unique to each milestone", "(##) xxxx-xx-xx: Milestone Description", 50.0),
    column("N", "Milestone Changes", "Any alterations, status updates, or additions to the milestones.\n\n(Milestone Number) [Type of update] [milestone date] : How and why the date changed, or the milestone was altered\nCreate a new Milestone Number for new Milestones", "(##) New/Update/Complete xxxx-xx-xx  : Description of change", 50.0),
    column("O", "Status Date", "Date POA&M item was last changed or closed", "Date", 14.0),
    column("P", "Vendor Dependency", "Whether or not this item is vendor dependent.", "Yes, No", 12.0),
    column("Q", "Last Vendor Check-in Date", "Date of last vendor check-in, if applicable", "Date", 14.0),
    column("R", "Vendor Dependent Product Name", "Name of the product that is dependent upon the vendor", "Product Name", 24.0),
    column("S", "Original Risk Rating", "Provide the Original Risk Rating from the scanner", "Low, Moderate, High", 12.0),
    column("T", "Adjusted Risk Rating", "Provide the Adjusted Risk Rating as approved by the CIO", "Low, Moderate, High, N/A", 12.0),
    column("U", "Risk Adjustment", "Whether there was a Risk Adjustment", "Yes, No, Pending", 12.0),
    column("V", "False Positive", "Whether this weakness should be considered a False Positive", "Yes, No, Pending", 12.0),
    column("W", "Operational Requirement", "Whether this weakness should be considered an Operational Requirement", "Yes, No, Pending", 14.0),
    column("X", "Deviation Rationale", "Information about the Deviation", "Deviation Type : Rationale", 40.0),
    column("Y", "Supporting Documents", "List any supporting documents that are associated with this item\n(e.g. Deviation Request, Evidence of Remediation, Evidence of Vendor Dependency, etc)", "Document Type : Document Name", 36.0),
    column("Z", "Comments", "This column is for additional information, not specified in another column", "Text", 36.0),
    column("AA", "Auto-Approve", "Whether the deviation request was auto-approved or manually approved", "Yes, No", 12.0),
    column("AB", "Binding Operational Directive 22-01 tracking", "Whether this vulnerability is listed among the CISA Known Exploited Vulnerability Catalog (https://www.cisa.gov/known-exploited-vulnerabilities-catalog)", "Yes, No", 16.0),
    column("AC", "Binding Operational Directive 22-01 Due Date", "If this vulnerability is listed among the CISA Known Exploited Vulnerability Catalog (https://www.cisa.gov/known-exploited-vulnerabilities-catalog) include the due date given by CISA for this vulnerability", "Date", 16.0),
    column("AD", "CVE", "The associated CVE numbers for this vulnerability", "Text", 18.0),
    column("AE", "Service Name", "The associated service this vulnerability affects on the CSPs system.\nThis should be the unique name (no shorthand) of the service/offering as the purchaser would see it\nEach service/offering should be separated by a new line (Alt+Enter)", "Text", 24.0),
];

pub const COLUMN_COUNT: usize = 31;

/// Zero-based column positions, named after the item data they hold.
pub mod col {
    pub const ID: usize = 0;
    pub const CONTROLS: usize = 1;
    pub const TITLE: usize = 2;
    pub const DESCRIPTION: usize = 3;
    pub const DETECTOR: usize = 4;
    pub const DETECTOR_ID: usize = 5;
    pub const ASSETS: usize = 6;
    pub const OWNER: usize = 7;
    pub const RESOURCES: usize = 8;
    pub const REMEDIATION: usize = 9;
    pub const DETECTED: usize = 10;
    pub const DUE: usize = 11;
    pub const MILESTONES: usize = 12;
    pub const MILESTONE_CHANGES: usize = 13;
    pub const STATUS_DATE: usize = 14;
    pub const VENDOR_DEPENDENCY: usize = 15;
    pub const VENDOR_CHECKIN: usize = 16;
    pub const VENDOR_PRODUCT: usize = 17;
    pub const RISK: usize = 18;
    pub const ADJUSTED_RISK: usize = 19;
    pub const RISK_ADJUSTMENT: usize = 20;
    pub const FALSE_POSITIVE: usize = 21;
    pub const OPERATIONAL_REQUIREMENT: usize = 22;
    pub const DEVIATION_RATIONALE: usize = 23;
    pub const DOCUMENTS: usize = 24;
    pub const COMMENTS: usize = 25;
    pub const AUTO_APPROVE: usize = 26;
    pub const KEV: usize = 27;
    pub const KEV_DUE: usize = 28;
    pub const CVES: usize = 29;
    pub const SERVICES: usize = 30;
}

/// Columns holding dates.
pub const DATE_COLUMNS: [usize; 5] = [
    col::DETECTED,
    col::DUE,
    col::STATUS_DATE,
    col::VENDOR_CHECKIN,
    col::KEV_DUE,
];

/// The template's Record of Changes sheet: B2 title, B3:E3 headings, then one row per version.
pub const CHANGES_TITLE: &str = "Record of Changes for Template";
pub const CHANGES_HEADINGS: [&str; 4] = ["Date", "Description", "Version", "Author"];
/// (date, description, version, author) of the template's own versions.
pub const TEMPLATE_CHANGES: [(&str, &str, f64, &str); 2] = [
    (
        "2023-08-30",
        "Updated to align with FedRAMP branding and minor editorial changes.",
        2.0,
        "FedRAMP PMO",
    ),
    (
        "2024-03-29",
        "Added Tab for Configuration Findings. Added Column in 'Open POA&M' tab for Service level information",
        2.1,
        "FedRAMP PMO",
    ),
];

/// Deviation types as the template writes them in Deviation Rationale (`Type : Rationale`).
pub const RISK_ADJUSTMENT: &str = "Risk Adjustment";
pub const FALSE_POSITIVE: &str = "False Positive";
pub const OPERATIONAL_REQUIREMENT: &str = "Operational Requirement";

/// The document type under which a closed item's evidence is listed in Supporting Documents
/// (the template has no column of its own for it).
pub const CLOSURE_EVIDENCE: &str = "Closure Evidence";
