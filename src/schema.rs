//! The JSON Schemas (draft-07) of an item file and of `poam.yaml`, for editors: the YAML
//! language server validates against them and shows each key's documentation on hover.
//!
//! The types here exist only to be described. The lenient model (`Sp<T>` fields, problems
//! collected as data) is what poam reads with; these plain types say what a valid file looks
//! like, and their doc comments become the hover text. Tests keep the key lists of
//! [`crate::model::item`] and [`crate::config`] and these types in step.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::Value as Json;

use crate::code::Code;

/// Where the committed item schema is published, for the `$schema` modeline.
pub const ITEM_SCHEMA_FILE: &str = "schema/poam-item.schema.json";
/// Where the committed `poam.yaml` schema is published.
pub const CONFIG_SCHEMA_FILE: &str = "schema/poam-config.schema.json";

/// The published item schema, for the `# yaml-language-server: $schema=` modeline and
/// `.vscode/settings.json`.
pub const ITEM_SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/poam-dev/poam/main/schema/poam-item.schema.json";
/// The published `poam.yaml` schema.
pub const CONFIG_SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/poam-dev/poam/main/schema/poam-config.schema.json";

/// The schema of one item file, as pretty JSON with a final newline.
pub fn item_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<PoamItem>();
    pretty(schema.to_value())
}

/// The schema of `poam.yaml`, as pretty JSON with a final newline.
pub fn config_schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<PoamConfig>();
    let mut value = schema.to_value();
    // Rule names come from the `Code` enum, so the list cannot be written as a Rust type.
    if let Some(rules) = value.pointer_mut("/properties/rules") {
        if let Some(object) = rules.as_object_mut() {
            object.insert(
                "propertyNames".to_owned(),
                serde_json::json!({ "enum": Code::names() }),
            );
        }
    }
    pretty(value)
}

fn pretty(value: Json) -> String {
    // A JSON value's alternate form is serde_json's pretty printing, and it cannot fail.
    format!("{value:#}\n")
}

/// A date written `YYYY-MM-DD`.
pub struct Date;

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$"
        })
    }
}

/// Text; a number or boolean is read as the text it was written with.
pub struct Text;

impl JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": ["string", "number", "boolean"] })
    }
}

/// One POA&M item: one weakness, who fixes it, how and by when. One file per item, named
/// after its `id`. Letters in brackets are the FedRAMP Rev5 POA&M template columns.
#[derive(JsonSchema)]
#[schemars(title = "poam item", deny_unknown_fields)]
pub struct PoamItem {
    /// [A] POAM ID: unique, equal to the file name without `.yaml`, e.g. `V-1001`.
    #[schemars(pattern(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"))]
    pub id: String,
    /// [C] Weakness Name: one line.
    pub title: Text,
    /// [D] Weakness Description: what was found and why it matters.
    pub description: Text,
    /// [B] Controls: NIST SP 800-53 control ids such as `AC-2`, `SI-2` or `AC-2(1)`.
    /// Required under fedramp-rev5.
    #[schemars(
        length(min = 1),
        inner(pattern(r"^[A-Za-z]{2}-\d{1,3}(\(\d{1,3}\))?$"))
    )]
    pub controls: Option<Vec<String>>,
    /// The NIST SP 800-171 Rev 2 requirement the item plans to meet, e.g. `3.5.3` (profile
    /// cmmc-l2, where it is required).
    #[schemars(pattern(r"^3\.\d{1,2}\.\d{1,2}$"))]
    pub requirement: Option<String>,
    /// [E] Weakness Detector Source: the scanner, 3PAO or assessment that found it.
    pub detector: Text,
    /// [F] Weakness Source Identifier: the detector's id (plugin, rule); `none` when it gives
    /// none. A number is kept as written (`00123` stays `00123`). Required under fedramp-rev5.
    pub detector_id: Option<Text>,
    /// [G] Asset Identifier: hosts, images, URLs with ports. Required under fedramp-rev5.
    #[schemars(length(min = 1))]
    pub assets: Option<Vec<Text>>,
    /// [H] Point of Contact: who owns the fix. Required under fedramp-rev5.
    pub owner: Option<Text>,
    /// [I] Resources Required: people, time, funding.
    pub resources: Option<Text>,
    /// [J] Overall Remediation Plan. Required under fedramp-rev5.
    pub remediation: Option<Text>,
    /// [K] Original Detection Date. Write-once: history rules flag a change.
    pub detected: Date,
    /// [L] Scheduled Completion Date, within the profile's deadline for the rating (30 days
    /// high and critical, 90 moderate, 180 low under fedramp-rev5). Moves only with a vendor
    /// fix release or an approved risk adjustment. Required under fedramp-rev5 (informational
    /// under fedramp-cr26).
    pub due: Option<Date>,
    /// [S] Original Risk Rating. Write-once: ratings change through
    /// `deviations.risk_adjustment`. Required under fedramp-rev5 (informational under
    /// fedramp-cr26).
    pub risk: Option<Risk>,
    /// [M] Planned Milestones. Write-once: record later changes in `milestone_changes`.
    /// Required under fedramp-rev5.
    #[schemars(length(min = 1))]
    pub milestones: Option<Vec<Milestone>>,
    /// [N] Milestone Changes: append-only log of new, updated and completed milestones.
    pub milestone_changes: Option<Vec<MilestoneChange>>,
    /// Open or closed (the Open and Closed sheets of the template).
    pub status: Status,
    /// [O] Status Date: when the status was last reviewed.
    pub status_date: Option<Date>,
    /// [P, Q, R] A fix that waits on a vendor.
    pub vendor_dependency: Option<VendorDependency>,
    /// [T to X] Deviation requests: risk adjustment, false positive, operational requirement.
    pub deviations: Option<Deviations>,
    /// [AC] The CISA KEV (BOD 22-01) due date of a listed CVE.
    pub kev_due: Option<Date>,
    /// [AD] CVE ids, e.g. `CVE-2021-44228`.
    pub cves: Option<Vec<Cve>>,
    /// [AE] Service Name: the services affected.
    pub services: Option<Vec<Text>>,
    /// [Y] Supporting Documents.
    pub documents: Option<Vec<Document>>,
    /// [Z] Comments.
    pub comments: Option<Text>,
    /// How the item was closed; required when `status` is `closed`, absent while open.
    pub closed: Option<Closed>,
    /// The scanner's own rating of the finding (kept beside `risk`, which follows FedRAMP's
    /// CVSS bands); written by `poam import scan`.
    pub scanner_severity: Option<Text>,
    /// FedRAMP 2026 vulnerability detection and response (profile fedramp-cr26): the
    /// evaluation, reductions, acceptance and disposition.
    pub vdr: Option<VdrBlock>,
    /// DoD RMF (profile dod-rmf): the eMASS fields (raw severity, the risk analysis, security
    /// checks, identification source, IAVA, risk acceptance). Required under dod-rmf.
    pub rmf: Option<RmfBlock>,
}

/// A level of the eMASS five-level scale.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum RmfLevel {
    VeryLow,
    Low,
    Moderate,
    High,
    VeryHigh,
}

/// A raw severity: a DoD category or a level of the five-level scale.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum RmfRawSeverity {
    CatI,
    CatIi,
    CatIii,
    VeryLow,
    Low,
    Moderate,
    High,
    VeryHigh,
}

/// The `rmf:` block (profile dod-rmf). Letters are the eMASS Navy template's columns.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RmfBlock {
    /// [U] Raw Severity: `cat-i`, `cat-ii`, `cat-iii` or a level; CAT I (and very-high, high)
    /// counts `deadlines.cat-i` days from detection.
    pub raw_severity: Option<RmfRawSeverity>,
    /// [Y] Severity.
    pub severity: Option<RmfLevel>,
    /// [Z] Relevance of Threat.
    pub relevance_of_threat: Option<RmfLevel>,
    /// [AB] Likelihood: the matrix of relevance of threat and severity (rule rmf-matrix).
    pub likelihood: Option<RmfLevel>,
    /// [AC] Impact.
    pub impact: Option<RmfLevel>,
    /// [AD] Impact Description.
    pub impact_description: Option<Text>,
    /// [AE] Residual Risk Level: the matrix of likelihood and impact (rule rmf-matrix).
    pub residual_risk: Option<RmfLevel>,
    /// [W] Mitigations.
    pub mitigations: Option<Text>,
    /// [X] Predisposing Conditions.
    pub predisposing_conditions: Option<Text>,
    /// [AA] Threat Description.
    pub threat_description: Option<Text>,
    /// [AF] Recommendations (else `remediation` is exported).
    pub recommendations: Option<Text>,
    /// [AG] Resulting Residual Risk after Proposed Mitigations.
    pub resulting_residual_risk: Option<RmfLevel>,
    /// [E] Security Checks: STIG rule ids, IAVM ids, plugin ids.
    pub security_checks: Option<Vec<Text>>,
    /// [P] Identification Source, e.g. `Vulnerability Management`.
    pub identification_source: Option<Text>,
    /// [R] Office/Org as `Organization, First Last, Phone, Email`, when it is not built from
    /// the owner's entry in the people file.
    pub office_org: Option<Text>,
    /// An IAVA and its comply-by date (caps the deadline).
    pub iava: Option<RmfIava>,
    /// The risk is accepted: eMASS status Risk Accepted.
    pub risk_accepted: Option<RmfRiskAccepted>,
    /// When eMASS approved the item (its milestones may then pass `due`).
    pub approved: Option<Date>,
    /// The Army template's resource columns (AE-AO).
    pub costs: Option<RmfCosts>,
}

/// An IAVA.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RmfIava {
    pub id: Option<Text>,
    pub comply_by: Option<Date>,
}

/// A risk acceptance.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RmfRiskAccepted {
    pub date: Option<Date>,
    /// [H] Blank: long-term.
    pub expires: Option<Date>,
}

/// The Army template's resource columns, as text.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RmfCosts {
    pub cfo_audit: Option<Text>,
    pub personnel_cost_code: Option<Text>,
    pub personnel_funded_hours: Option<Text>,
    pub personnel_unfunded_hours: Option<Text>,
    pub personnel_obstacle: Option<Text>,
    pub personnel_obstacle_other: Option<Text>,
    pub non_personnel_cost_code: Option<Text>,
    pub non_personnel_funded_amount: Option<Text>,
    pub non_personnel_unfunded_amount: Option<Text>,
    pub non_personnel_obstacle: Option<Text>,
    pub non_personnel_obstacle_other: Option<Text>,
}

/// A milestone's eMASS status (profile dod-rmf).
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum MilestoneStatusName {
    Open,
    InProgress,
    Completed,
    Archived,
}

/// A date `YYYY-MM-DD` (00:00 UTC) or an RFC 3339 date-time.
pub struct Moment;

impl JsonSchema for Moment {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Moment".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?$"
        })
    }
}

/// The `vdr:` block (profile fedramp-cr26).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VdrBlock {
    /// When the vulnerability was detected, with a time (refines `detected`).
    pub detected_at: Option<Moment>,
    /// When it was evaluated (VER-TFR-EVU).
    pub evaluated: Option<Moment>,
    /// Internet-reachable at evaluation.
    pub irv: Option<bool>,
    /// Likely exploitable at evaluation.
    pub lev: Option<bool>,
    /// Potential adverse impact N1 to N5 at evaluation.
    #[schemars(range(min = 1, max = 5))]
    pub pain: Option<u8>,
    /// How the ratings were reached.
    pub rationale: Option<Text>,
    /// Completed, evaluated reductions to lower ratings, oldest first (append-only).
    pub reductions: Option<Vec<VdrReduction>>,
    /// The next planned reduction.
    pub next_reduction: Option<VdrNextReduction>,
    /// Why the vulnerability is (or will be) past its timeframe.
    pub overdue: Option<Text>,
    /// Supplementary information for agencies.
    pub supplementary: Option<Text>,
    /// Declared accepted: not fully remediated within 192 days of evaluation.
    pub accepted: Option<VdrAccepted>,
    /// How a closed vulnerability ended.
    pub disposition: Option<Disposition>,
}

/// A completed reduction.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VdrReduction {
    /// When the reduction was completed.
    pub at: Moment,
    /// The rating after it.
    #[schemars(range(min = 1, max = 5))]
    pub pain: u8,
    /// Internet-reachable after the reduction, when it changed.
    pub irv: Option<bool>,
    /// Likely exploitable after the reduction, when it changed.
    pub lev: Option<bool>,
    /// What was done.
    pub note: Option<Text>,
}

/// The next planned reduction.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VdrNextReduction {
    /// When it is planned.
    pub at: Moment,
    /// The rating it will reach.
    #[schemars(range(min = 1, max = 5))]
    pub pain: u8,
}

/// An accepted vulnerability.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VdrAccepted {
    /// When it was accepted.
    pub date: Moment,
    /// Why it will not be fully remediated.
    pub rationale: Text,
}

/// The final disposition of a closed vulnerability.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum Disposition {
    Remediated,
    FullyMitigated,
    PartiallyMitigated,
    FalsePositive,
}

/// A CVE id.
#[derive(JsonSchema)]
#[schemars(transparent)]
pub struct Cve(#[schemars(pattern(r"^[Cc][Vv][Ee]-\d{4}-\d{4,}$"))] pub String);

/// A risk rating.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum Risk {
    /// 180 days under fedramp-rev5.
    Low,
    /// 90 days under fedramp-rev5.
    Moderate,
    /// 30 days under fedramp-rev5.
    High,
    /// 30 days under fedramp-rev5; reported to FedRAMP as High.
    Critical,
}

/// Whether the weakness is still there.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum Status {
    /// Still to be fixed.
    Open,
    /// Fixed, with `closed.date` and `closed.evidence`.
    Closed,
}

/// A planned milestone.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Milestone {
    /// The milestone's number, unique in the item: 1, 2, 3, …
    #[schemars(range(min = 1))]
    pub id: u32,
    /// When it is planned.
    pub date: Date,
    /// What will be done.
    pub description: Text,
    /// Its eMASS status (dod-rmf).
    pub status: Option<MilestoneStatusName>,
}

/// What happened to a milestone.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A milestone added after the plan: `milestone` is a fresh number.
    New,
    /// The milestone moved to `date`.
    Update,
    /// The milestone is done.
    Complete,
}

/// One entry of the milestone change log.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct MilestoneChange {
    /// The milestone's number.
    #[schemars(range(min = 1))]
    pub milestone: u32,
    /// New, update or complete.
    pub kind: ChangeKind,
    /// When: the new date of an update, the day of a completion.
    pub date: Date,
    /// What changed and why.
    pub description: Text,
}

/// A fix that waits on a vendor.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct VendorDependency {
    /// [R] The vendor's product.
    pub product: Text,
    /// [Q] Last vendor check-in; needed at least every `vendor_checkin_days` while open.
    pub last_checkin: Date,
    /// When the vendor released a fix: the deadline clock starts again there.
    pub fix_released: Option<Date>,
}

/// Where a deviation request stands.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum DeviationStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
}

/// Deviation requests.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Deviations {
    /// [T, U, V] A change of the rating; an approved one sets the effective rating.
    pub risk_adjustment: Option<RiskAdjustment>,
    /// [W] The finding is not a weakness of this system.
    pub false_positive: Option<Deviation>,
    /// [X] The weakness stays, for a documented operational need.
    pub operational_requirement: Option<Deviation>,
}

/// A risk adjustment request.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RiskAdjustment {
    /// Pending, approved, rejected or withdrawn.
    pub status: Option<DeviationStatus>,
    /// The requested rating.
    pub adjusted_risk: Risk,
    /// Why.
    pub rationale: Option<Text>,
    /// Approved automatically (lowers the rating at most one level).
    pub auto_approved: Option<bool>,
}

/// A false positive or operational requirement request.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Deviation {
    /// Pending, approved, rejected or withdrawn.
    pub status: Option<DeviationStatus>,
    /// Why.
    pub rationale: Option<Text>,
}

/// A supporting document.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Document {
    /// What it is: scan report, ticket, change record.
    #[schemars(rename = "type")]
    pub kind: Option<Text>,
    /// Its file name or reference.
    pub name: Option<Text>,
    /// The evidence file, relative to the folder of poam.yaml, `/`-separated, no `..`
    /// (`poam evidence add` copies it to `evidence/<ID>/`).
    #[schemars(pattern(r"^[^/\\:]"))]
    pub path: Option<String>,
    /// Where a document kept outside the repository is (http or https).
    #[schemars(pattern(r"^https?://"))]
    pub url: Option<String>,
    /// The SHA-256 of the file when it was added (64 hex digits); `evidence-altered` and
    /// `evidence-rewritten` hold the file and the record to it.
    #[schemars(pattern(r"^[0-9a-fA-F]{64}$"))]
    pub sha256: Option<String>,
    /// The day the document was added.
    pub added: Option<Date>,
    /// What the document shows.
    pub note: Option<Text>,
}

/// How the item was closed.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Closed {
    /// The closing date.
    pub date: Date,
    /// What shows the weakness is gone: a rescan, a ticket, a change record. Under
    /// fedramp-rev5 and fedramp-cr26 it may be left out when a document was added on or
    /// before the closing date (`closed-without-evidence`).
    pub evidence: Option<Text>,
}

/// `poam.yaml`: where the items live, the deadline profile and rule severities. Every key is
/// optional.
#[derive(JsonSchema)]
#[schemars(title = "poam configuration", deny_unknown_fields)]
pub struct PoamConfig {
    /// The system the POA&M belongs to.
    pub system: Option<SystemInfo>,
    /// The folder of item files, relative to poam.yaml [default: `poams`].
    pub items: Option<String>,
    /// The deadline profile [default: `fedramp-rev5`].
    pub profile: Option<ProfileName>,
    /// Days to remediate per rating; overrides the profile.
    pub deadlines: Option<DeadlineDays>,
    /// Days between vendor check-ins of a vendor-dependent item [default: 30].
    #[schemars(range(min = 1, max = 3650))]
    pub vendor_checkin_days: Option<u32>,
    /// Days after which an open item's `status_date` is stale [default: 30].
    #[schemars(range(min = 1, max = 3650))]
    pub stale_days: Option<u32>,
    /// An open item due within this many days gets a `due-soon` note [default: 14].
    #[schemars(range(min = 1, max = 3650))]
    pub due_soon_days: Option<u32>,
    /// CISA's known_exploited_vulnerabilities.json, relative to poam.yaml.
    pub kev_catalog: Option<String>,
    /// Rule severities by rule code: error, warning, note or off.
    pub rules: Option<BTreeMap<String, Level>>,
    /// History rules ignore changes before this date or commit.
    pub history_since: Option<String>,
    /// Past history violations acknowledged, each with its commit, rule and reason; checked
    /// (an unknown commit or a waiver matching nothing is reported) and shown by `poam log`.
    pub history_waivers: Option<Vec<HistoryWaiverEntry>>,
    /// Findings of one rule on one item accepted until a date, each with a reason; checked (an
    /// unknown item is an error, an expired waiver or one matching nothing a warning) and shown
    /// by `poam log` and the site.
    pub waivers: Option<Vec<WaiverEntry>>,
    /// The baseline file `poam-baseline.json` (`poam baseline`).
    pub baseline: Option<BaselineSettings>,
    /// How pull requests reach the default branch. Unset: `poam lint --base` warns when a
    /// rebase or fast-forward merge would leave a history finding on main that the squashed
    /// change does not (`history-rebase-merge`); `rebase` makes that an error; `squash` and
    /// `merge` turn it off.
    pub merge_strategy: Option<MergeStrategyName>,
    /// What `poam new` puts before the number of a new id [default: `V-`].
    #[schemars(pattern(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"))]
    pub id_prefix: Option<String>,
    /// The offering under profile fedramp-cr26 (required there).
    pub cr26: Option<Cr26>,
    /// The header block of `poam export emass` (profile dod-rmf).
    pub emass: Option<EmassHeaderBlock>,
    /// Defaults for items `poam import scan` creates.
    pub import: Option<ImportDefaults>,
    /// A folder (relative to poam.yaml) whose files override the built-in report and site
    /// templates by name.
    pub templates: Option<String>,
    /// The repository's web address (http or https); the site links commit ids to
    /// `<repo_url>/commit/<id>`.
    #[schemars(pattern(r"^https?://"))]
    pub repo_url: Option<String>,
    /// A marking banner (e.g. `CUI`) shown at the top and bottom of every page of the site
    /// and the HTML report, on screen and in print; one line.
    #[schemars(length(min = 1, max = 80))]
    pub marking: Option<String>,
    /// Controls in scope besides the baseline.
    pub controls: Option<ControlSettings>,
    /// The people file items name as `owner`, relative to poam.yaml [default: `people.yaml`
    /// beside poam.yaml, when it exists].
    pub people: Option<String>,
    /// The inventory items name in `assets`: a folder of YAML files (one asset, or a list of
    /// assets, per file) or one file, relative to poam.yaml [default: `inventory/` beside
    /// poam.yaml, when it exists]; or `{path, scan_days}`.
    pub inventory: Option<InventorySetting>,
    /// Where `poam evidence add` copies evidence files: a folder relative to poam.yaml
    /// [default: `evidence`], or `{dir}`.
    pub evidence: Option<EvidenceSetting>,
    /// Who `poam site --audience NAME` builds for: what each audience does not see, and which
    /// items it gets.
    pub audiences: Option<BTreeMap<String, AudienceSetting>>,
    /// Which roles of the people file may make each decision items record, and what proves
    /// who made it (`decision-unauthorized`, `poam codeowners`). A decision not listed is
    /// anybody's.
    pub approvals: Option<Approvals>,
}

/// `approvals:`: the roles that may make each decision.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Approvals {
    /// Roles that may set `status: closed`.
    pub close: Option<Vec<String>>,
    /// Roles that may set a deviation's `status` to `approved` or `rejected`.
    #[serde(rename = "deviation-decision")]
    pub deviation_decision: Option<Vec<String>>,
    /// Roles that may record CR26 `vdr.accepted` or the RMF `rmf.risk_accepted`.
    pub accept: Option<Vec<String>>,
    /// Roles that may move `due`.
    #[serde(rename = "due-change")]
    pub due_change: Option<Vec<String>>,
    /// Roles that may take an item from `closed` back to another status.
    pub reopen: Option<Vec<String>>,
    /// `dod-rmf`: roles that may close or risk-accept a CAT I item, beside `close` or
    /// `accept` [default under `dod-rmf`: `[cat-i-approver]`].
    #[serde(rename = "cat-i")]
    pub cat_i: Option<Vec<String>>,
    /// Who is taken to have decided [default: `author`].
    pub signatures: Option<SignaturesName>,
    /// A file or folder of OpenPGP public keys (relative to poam.yaml) whose fingerprints the
    /// people file lists under `keys:`; verified with the `gpg` program.
    pub openpgp_keys: Option<String>,
}

/// `approvals.signatures`.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum SignaturesName {
    /// The commit's signer: a valid SSH or OpenPGP signature by a key listed under the
    /// person's `keys:`.
    Required,
    /// The commit's author, by email.
    Author,
    /// Nobody is checked: the roles serve `poam codeowners` only.
    Off,
}

/// `evidence:` as a folder, or as `{dir}`.
pub struct EvidenceSetting;

impl JsonSchema for EvidenceSetting {
    fn schema_name() -> Cow<'static, str> {
        "EvidenceSetting".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let block = generator.subschema_for::<EvidenceBlock>();
        json_schema!({
            "description": "The evidence folder, or `{dir}`.",
            "oneOf": [{ "type": "string", "minLength": 1 }, block]
        })
    }
}

/// Where evidence files go.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EvidenceBlock {
    /// The evidence folder, relative to poam.yaml, no `..` [default: `evidence`].
    pub dir: Option<String>,
}

/// One audience of `poam site --audience`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AudienceSetting {
    /// What the audience does not see: left out of every page and file of its site.
    pub hide: Option<Vec<HiddenPart>>,
    /// Which items it gets [default: every item].
    pub items: Option<AudienceItems>,
}

/// A part of the site an audience may be denied.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum HiddenPart {
    /// Every item's `assets`, and the assets page.
    Assets,
    /// Every item's `comments`.
    Comments,
    /// Every item's `documents` and `closed.evidence`.
    Evidence,
    /// Every item's `owner`, and the people page.
    Owners,
    /// The git timelines and the charts over time.
    History,
    /// The findings page and every finding.
    Findings,
}

/// Which items an audience gets: those matching every list given.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AudienceItems {
    /// Items naming one of these controls (`SI-2`) or a control of one of these families (`SI`).
    #[schemars(inner(pattern(r"^[A-Za-z]{2}(-\d{1,3}(\(\d{1,3}\))?)?$")))]
    pub controls: Option<Vec<String>>,
    /// Items whose effective rating is one of these.
    pub risk: Option<Vec<Risk>>,
}

/// `inventory:` as a path, or as `{path, scan_days}`.
pub struct InventorySetting;

impl JsonSchema for InventorySetting {
    fn schema_name() -> Cow<'static, str> {
        "InventorySetting".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let block = generator.subschema_for::<InventoryBlock>();
        json_schema!({
            "description": "The inventory folder (or file), or `{path, scan_days}`.",
            "oneOf": [{ "type": "string", "minLength": 1 }, block]
        })
    }
}

/// Where the inventory is and how long its assets may go unscanned.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct InventoryBlock {
    /// The inventory folder (or file), relative to poam.yaml [default: `inventory/`].
    pub path: Option<String>,
    /// Days an asset may go without a scan before `inventory-not-scanned` [default: 30].
    #[schemars(range(min = 1, max = 3650))]
    pub scan_days: Option<u32>,
}

/// Controls in scope besides the baseline.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ControlSettings {
    /// Controls the system implements beyond its baseline, and organisation-defined controls
    /// (not in NIST SP 800-53 Rev 5).
    #[schemars(inner(pattern(r"^[A-Za-z]{2}-\d{1,3}(\(\d{1,3}\))?$")))]
    pub extra: Option<Vec<String>>,
}

/// A FedRAMP Rev5 control baseline.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum BaselineName {
    FedrampLow,
    FedrampModerate,
    FedrampHigh,
    FedrampLiSaas,
    /// No baseline check.
    None,
}

/// Defaults for items `poam import scan` creates.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct ImportDefaults {
    /// The owner of new items; without it they get an empty owner that `poam lint` flags.
    pub default_owner: Option<String>,
    /// Controls of new items [default: RA-5 and SI-2, CM-6 for configuration findings].
    #[schemars(inner(pattern(r"^[A-Za-z]{2}-\d{1,3}(\(\d{1,3}\))?$")))]
    pub default_controls: Option<Vec<String>>,
}

/// The offering under FedRAMP's 2026 rules.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Cr26 {
    /// The certification class: the timeframes depend on it.
    pub class: Option<Cr26ClassName>,
    /// The package overview URI every VER report names.
    pub package_overview_uri: Option<String>,
}

/// A certification class.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum Cr26ClassName {
    B,
    C,
    D,
}

/// The findings of one rule on one item, accepted until a date.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct WaiverEntry {
    /// The item's id.
    pub item: String,
    /// The rule whose findings on the item are accepted (e.g. `overdue`).
    pub rule: String,
    /// Why it is acceptable, for the assessor.
    pub reason: String,
    /// The last day the waiver holds; from the next, the findings return (`waiver-expired`).
    pub expires: Date,
    /// The ticket that tracks the acceptance.
    pub ticket: Option<String>,
}

/// How the baseline file is written.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct BaselineSettings {
    /// Days a deadline finding (overdue, due-soon, ...) may stay in the baseline: `poam
    /// baseline` gives new deadline entries this expiry unless `--expires` is earlier.
    #[schemars(range(min = 1, max = 3650))]
    pub max_age_days: Option<u32>,
}

/// One acknowledged history violation.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct HistoryWaiverEntry {
    /// The commit (7 to 40 hex digits) whose change is waived.
    #[schemars(pattern(r"^[0-9a-fA-F]{7,40}$"))]
    pub commit: String,
    /// The history rule the change broke (e.g. `due-changed`).
    pub rule: String,
    /// Why it is acceptable, for the assessor.
    pub reason: String,
}

/// The system the POA&M belongs to.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct SystemInfo {
    /// The cloud service provider.
    pub csp: Option<String>,
    /// The system's name.
    pub name: Option<String>,
    /// The FIPS 199 impact level.
    pub impact: Option<Impact>,
    /// The FedRAMP package id (e.g. `F1234567890`): the OSCAL export's `system-id`.
    pub fedramp_id: Option<String>,
    /// The FedRAMP Rev5 baseline whose controls items may name (`control-not-in-baseline`).
    pub baseline: Option<BaselineName>,
}

/// A FIPS 199 impact level.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum Impact {
    Low,
    Moderate,
    High,
}

/// A deadline profile.
#[derive(JsonSchema)]
#[schemars(rename_all = "kebab-case")]
pub enum ProfileName {
    /// FedRAMP Rev5: 30 days high and critical, 90 moderate, 180 low.
    FedrampRev5,
    /// FedRAMP Consolidated Rules 2026: vulnerability detection and response (VDR/VER).
    FedrampCr26,
    /// CMMC Level 2: the POA&M of an assessment's NOT MET requirements, the SPRS score from
    /// assessment.yaml and the 180-day closeout.
    CmmcL2,
    /// DoD RMF (eMASS): CAT I/II/III deadlines (30/180/365 days by default), IAVA comply-by dates.
    DodRmf,
}

/// The eMASS export's header block; `poc` and `exported_by` may name a person of the people
/// file.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct EmassHeaderBlock {
    pub exported_by: Option<String>,
    /// CC/S/A/FA (DoD Component in the RMF template).
    pub component: Option<String>,
    /// DoW (DoD) IT Registration No.
    pub registration_no: Option<String>,
    pub system_type: Option<String>,
    pub poc: Option<String>,
    pub omb_project_id: Option<String>,
    pub security_costs: Option<String>,
}

/// Days to remediate per rating.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct DeadlineDays {
    #[schemars(range(min = 1, max = 3650))]
    pub critical: Option<u32>,
    #[schemars(range(min = 1, max = 3650))]
    pub high: Option<u32>,
    #[schemars(range(min = 1, max = 3650))]
    pub moderate: Option<u32>,
    #[schemars(range(min = 1, max = 3650))]
    pub low: Option<u32>,
    /// `dod-rmf`: days for CAT I [default: 30].
    #[schemars(rename = "cat-i", range(min = 1, max = 3650))]
    pub cat_i: Option<u32>,
    /// `dod-rmf`: days for CAT II [default: 180].
    #[schemars(rename = "cat-ii", range(min = 1, max = 3650))]
    pub cat_ii: Option<u32>,
    /// `dod-rmf`: days for CAT III [default: 365].
    #[schemars(rename = "cat-iii", range(min = 1, max = 3650))]
    pub cat_iii: Option<u32>,
}

/// How pull requests reach the default branch.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum MergeStrategyName {
    /// One commit per pull request (GitHub "Squash and merge").
    Squash,
    /// A merge commit per pull request (GitHub "Create a merge commit").
    Merge,
    /// Every commit lands on main (GitHub "Rebase and merge", or a fast-forward).
    Rebase,
}

/// A rule's severity.
#[derive(JsonSchema)]
#[schemars(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Note,
    /// The rule does not run.
    Off,
}
