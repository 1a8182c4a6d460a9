//! The documented key order of each mapping of an item file: what the reader accepts, what
//! "did you mean" suggests, and the order new keys are written in.

pub const ITEM_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "controls",
    "requirement",
    "detector",
    "detector_id",
    "assets",
    "owner",
    "resources",
    "remediation",
    "detected",
    "due",
    "risk",
    "milestones",
    "milestone_changes",
    "status",
    "status_date",
    "vendor_dependency",
    "deviations",
    "kev_due",
    "cves",
    "scanner_severity",
    "services",
    "documents",
    "comments",
    "closed",
    "vdr",
    "rmf",
];
pub const MILESTONE_KEYS: &[&str] = &["id", "date", "description", "status"];
pub const MILESTONE_CHANGE_KEYS: &[&str] = &["milestone", "kind", "date", "description"];
pub const VENDOR_KEYS: &[&str] = &["product", "last_checkin", "fix_released"];
pub const DEVIATIONS_KEYS: &[&str] = &[
    "risk_adjustment",
    "false_positive",
    "operational_requirement",
];
pub const RISK_ADJUSTMENT_KEYS: &[&str] =
    &["status", "adjusted_risk", "rationale", "auto_approved"];
pub const DEVIATION_KEYS: &[&str] = &["status", "rationale"];
pub const DOCUMENT_KEYS: &[&str] = &["type", "name", "path", "url", "sha256", "added", "note"];
pub const CLOSED_KEYS: &[&str] = &["date", "evidence"];
