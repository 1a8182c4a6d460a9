//! The OSCAL 1.2.1 `plan-of-action-and-milestones` document, built from item views.
//!
//! One `poam-item` per item, each with one discovery observation and one risk (FedRAMP's
//! conventions: facets, deviation props and `POAM-ID` in the `http://fedramp.gov/ns/oscal`
//! namespace), a risk log from the item file and its git history, and documents as
//! back-matter resources. Assets, detectors, vendor products and owners are shared
//! definitions.
//!
//! Deterministic by construction: every UUID is a version 5 UUID of the system, the item id
//! and the object's role, so exporting twice gives the same bytes and changing one item
//! changes only its objects (and shared definitions it alone adds or drops). No clock is read:
//! the caller passes `today` and `last_modified`.
//!
//! OSCAL's string rules hold for every value: text is trimmed, single-line fields have their
//! whitespace collapsed, empty values are left out (or replaced where OSCAL requires one),
//! and every date-time carries a timezone.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::mpsc;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::config::System;
use crate::history::{History, ItemHistory};
use crate::model::item::{normalize_control, Item};
use crate::people::People;
use crate::profiles::{ExportMarker, SystemProfile};
use crate::render::pretty::{append, indent};
use crate::view::{ItemView, MilestoneChangeView, MilestoneView};

/// The OSCAL version the document declares and validates against.
pub const OSCAL_VERSION: &str = "1.2.1";
/// FedRAMP's OSCAL namespace: props, facet system and `system-id` identifier type.
pub const FEDRAMP_NS: &str = "http://fedramp.gov/ns/oscal";
const CVE_SYSTEM: &str = "http://cve.mitre.org";
/// poam's own namespace: the profile the document follows and the profile's item props
/// (CR26's class, N-rating, evaluation and deadline kind, which FedRAMP has no OSCAL names for).
pub const POAM_NS: &str = "urn:poam:oscal";
/// `system-id` identifier type when no FedRAMP id is configured: a UUID of the system.
const RFC4122: &str = "http://ietf.org/rfc/rfc4122";
/// Name of the namespace every poam UUID descends from. Changing it changes every UUID.
const UUID_ROOT: &str = "urn:poam:oscal-export:1";

/// Everything the export reads.
pub struct ExportInput<'a> {
    pub system: &'a System,
    /// The POA&M date: the document's `version`, and the fallback for missing dates.
    pub today: NaiveDate,
    /// `metadata.last-modified`: HEAD's commit time, or `today` at midnight UTC outside git.
    pub last_modified: DateTime<FixedOffset>,
    /// The items, sorted by id (as [`crate::profiles::views`] returns them).
    pub items: &'a [ItemView],
    /// What git history says about each item, by id (empty outside git).
    pub logs: &'a BTreeMap<String, ItemLog>,
    /// Maps each item (the risk's deadline and props).
    pub profile: &'a dyn SystemProfile,
    /// The profile named in `metadata` when it is not the Rev5 POA&M's own.
    pub marker: Option<&'a ExportMarker>,
    /// The people file: its entries become `metadata.parties` (their roles, roles and
    /// responsible parties), and an item whose `owner` is one of them points at its party.
    pub people: Option<&'a People>,
}

/// What git history says about one item, for its risk log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemLog {
    /// Each committed change of the OSCAL risk status, oldest first (the first is the status
    /// the item was created with).
    pub status_changes: Vec<StatusChange>,
    /// Every `vendor_dependency.last_checkin` any committed version recorded.
    pub vendor_checkins: BTreeSet<NaiveDate>,
    /// When each entry of `milestone_changes` (an append-only list) was first committed,
    /// by index.
    pub milestone_changes_committed: Vec<DateTime<FixedOffset>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatusChange {
    pub time: DateTime<FixedOffset>,
    pub status: &'static str,
    pub commit: String,
    pub summary: String,
}

/// The OSCAL risk status of an item: `closed`; else `deviation-requested` while a deviation
/// request is pending; else `deviation-approved` once one is approved; else `open`.
/// `deviations` are the statuses of the risk adjustment, false positive and operational
/// requirement.
pub fn risk_status(closed: bool, deviations: [Option<&str>; 3]) -> &'static str {
    if closed {
        "closed"
    } else if deviations.contains(&Some("pending")) {
        "deviation-requested"
    } else if deviations.contains(&Some("approved")) {
        "deviation-approved"
    } else {
        "open"
    }
}

fn view_status(view: &ItemView) -> &'static str {
    let d = &view.deviations;
    risk_status(
        view.status == Some("closed"),
        [
            d.risk_adjustment.as_ref().and_then(|r| r.status),
            d.false_positive.as_ref().and_then(|r| r.status),
            d.operational_requirement.as_ref().and_then(|r| r.status),
        ],
    )
}

fn item_status(item: &Item) -> &'static str {
    let deviations = item.deviations.as_ref();
    let status = |d: Option<&crate::model::item::Deviation>| {
        d.and_then(|d| d.status.as_ref()).map(|s| s.value.name())
    };
    risk_status(
        item.is_closed(),
        [
            deviations
                .and_then(|d| d.risk_adjustment.as_ref())
                .and_then(|r| r.status.as_ref())
                .map(|s| s.value.name()),
            status(deviations.and_then(|d| d.false_positive.as_ref())),
            status(deviations.and_then(|d| d.operational_requirement.as_ref())),
        ],
    )
}

/// The status changes and vendor check-ins of every item that exists at HEAD, by id. Items
/// are read in parallel.
pub fn item_logs(history: &History) -> BTreeMap<String, ItemLog> {
    use rayon::prelude::*;
    let logs: Vec<(String, ItemLog)> = history
        .items
        .par_iter()
        .filter(|i| i.exists)
        .map(|item| (item.id.clone(), item_log(item)))
        .collect();
    let mut by_id = BTreeMap::new();
    for (id, log) in logs {
        // Two existing files with one id: the later one's log, as before.
        by_id.insert(id, log);
    }
    by_id
}

fn item_log(item: &ItemHistory) -> ItemLog {
    let mut log = ItemLog::default();
    for version in &item.versions {
        let (Some(node), Some(commit)) = (version.node(), version.source.commit()) else {
            continue;
        };
        let parsed = Item::from_node(node, &version.path);
        let status = item_status(&parsed);
        if log.status_changes.last().map(|c| c.status) != Some(status) {
            log.status_changes.push(StatusChange {
                time: commit.time,
                status,
                commit: commit.short_id().to_owned(),
                summary: commit.summary.clone(),
            });
        }
        let changes = parsed
            .milestone_changes
            .as_ref()
            .map_or(0, |c| c.value.len());
        while log.milestone_changes_committed.len() < changes {
            log.milestone_changes_committed.push(commit.time);
        }
        if let Some(date) = parsed
            .vendor_dependency
            .as_ref()
            .and_then(|v| v.last_checkin.as_ref())
        {
            log.vendor_checkins.insert(date.value);
        }
    }
    log
}

/// The document as pretty-printed JSON with a final newline.
pub fn render(input: &ExportInput<'_>) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and serde_json writes UTF-8.
    let _ = write(input, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the document as pretty-printed JSON with a final newline: the same bytes as
/// `serde_json::to_string_pretty` of [`document`] and a newline. Items are built and
/// serialised on the rayon pool a wave at a time while earlier waves are written, so neither
/// the document nor its text is ever whole in memory.
pub fn write(input: &ExportInput<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    Builder::new(input).write(out)
}

/// Items built and serialised together: few enough that the pool stays balanced, enough that
/// the buffers are few.
const BATCH: usize = 32;

/// Items whose serialised objects are in memory at once (and as many more waiting to be
/// written): the document is written while it is built, and never held whole.
const WAVE: usize = 8 * BATCH;

/// Appends `value` as an element of an array at `depth - 1`: `,`, a line break, the
/// indentation, the value.
fn append_element<T: Serialize>(out: &mut Vec<u8>, value: &T, depth: usize) {
    out.extend_from_slice(b",\n");
    let _ = indent(out, depth);
    append(out, value, depth);
}

/// The opening of a document field: `"key": `.
fn field(out: &mut Vec<u8>, key: &str) {
    out.extend_from_slice(b"    \"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\": ");
}

/// The document.
pub fn document(input: &ExportInput<'_>) -> Document {
    Builder::new(input).build()
}

// ---- the OSCAL shapes (only what poam fills), in OSCAL's key order ----

#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(rename = "plan-of-action-and-milestones")]
    pub poam: Poam,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Poam {
    uuid: String,
    metadata: Metadata,
    import_ssp: ImportSsp,
    system_id: SystemId,
    #[serde(skip_serializing_if = "Option::is_none")]
    local_definitions: Option<LocalDefinitions>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    poam_items: Vec<PoamItem>,
    back_matter: BackMatter,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    roles: Vec<Role>,
    parties: Vec<Party>,
    responsible_parties: Vec<ResponsibleParty>,
}

#[derive(Debug, Serialize)]
struct Role {
    id: String,
    title: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Party {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    email_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    telephone_numbers: Vec<Telephone>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    member_of_organizations: Vec<String>,
}

impl Party {
    fn named(uuid: String, kind: &'static str, name: String) -> Party {
        Party {
            uuid,
            kind,
            name,
            short_name: None,
            email_addresses: Vec::new(),
            telephone_numbers: Vec::new(),
            member_of_organizations: Vec::new(),
        }
    }
}

#[derive(Debug, Serialize)]
struct Telephone {
    number: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct ResponsibleParty {
    role_id: String,
    party_uuids: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ImportSsp {
    href: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct SystemId {
    identifier_type: &'static str,
    id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct LocalDefinitions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    components: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    inventory_items: Vec<InventoryItem>,
}

#[derive(Debug, Serialize)]
struct Component {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    description: String,
    status: ComponentStatus,
}

#[derive(Debug, Serialize)]
struct ComponentStatus {
    state: &'static str,
}

#[derive(Debug, Serialize)]
struct InventoryItem {
    uuid: String,
    description: String,
    props: Vec<Prop>,
}

#[derive(Clone, Debug, Serialize)]
struct Prop {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ns: Option<&'static str>,
    value: String,
}

impl Prop {
    fn oscal(name: &'static str, value: String) -> Prop {
        Prop {
            name,
            ns: None,
            value,
        }
    }

    fn fedramp(name: &'static str, value: String) -> Prop {
        Prop {
            name,
            ns: Some(FEDRAMP_NS),
            value,
        }
    }

    fn poam(name: &'static str, value: String) -> Prop {
        Prop {
            name,
            ns: Some(POAM_NS),
            value,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    methods: Vec<&'static str>,
    types: Vec<&'static str>,
    origins: Vec<Origin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subjects: Vec<Subject>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relevant_evidence: Vec<Evidence>,
    collected: String,
}

#[derive(Clone, Debug, Serialize)]
struct Origin {
    actors: Vec<Actor>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Actor {
    #[serde(rename = "type")]
    kind: &'static str,
    actor_uuid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Subject {
    subject_uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
}

#[derive(Debug, Serialize)]
struct Evidence {
    href: String,
    description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    characterizations: Vec<Characterization>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mitigating_factors: Vec<MitigatingFactor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    remediations: Vec<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    risk_log: Option<RiskLog>,
}

#[derive(Debug, Serialize)]
struct Characterization {
    origin: Origin,
    facets: Vec<Facet>,
}

#[derive(Debug, Serialize)]
struct Facet {
    name: &'static str,
    system: &'static str,
    value: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

#[derive(Debug, Serialize)]
struct MitigatingFactor {
    uuid: String,
    description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Response {
    uuid: String,
    lifecycle: &'static str,
    title: &'static str,
    description: String,
    origins: Vec<Origin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    required_assets: Vec<RequiredAsset>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<Task>,
}

#[derive(Debug, Serialize)]
struct RequiredAsset {
    uuid: String,
    description: String,
}

#[derive(Debug, Serialize)]
struct Task {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    timing: Timing,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Timing {
    on_date: OnDate,
}

#[derive(Debug, Serialize)]
struct OnDate {
    date: String,
}

#[derive(Debug, Serialize)]
struct RiskLog {
    entries: Vec<LogEntry>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct LogEntry {
    uuid: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    start: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_change: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_responses: Vec<RelatedResponse>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedResponse {
    response_uuid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_tasks: Vec<RelatedTask>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedTask {
    task_uuid: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: String,
    title: String,
    description: String,
    props: Vec<Prop>,
    related_observations: Vec<RelatedObservation>,
    related_risks: Vec<RelatedRisk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedObservation {
    observation_uuid: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedRisk {
    risk_uuid: String,
}

#[derive(Debug, Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
struct Resource {
    uuid: String,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    props: Vec<Prop>,
}

// ---- OSCAL's string and date rules ----

/// A single-line value (`StringDatatype`, `markup-line`): whitespace runs become one space,
/// ends trimmed; `None` when nothing is left.
fn line(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

/// An OSCAL token (role ids): a letter or `_`, then letters, digits, `.`, `-` or `_`.
fn is_token(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn opt_line(text: Option<&String>) -> Option<String> {
    text.and_then(|t| line(t))
}

/// A multi-line value (`markup-multiline`): ends trimmed; `None` when empty.
fn multiline(text: Option<&String>) -> Option<String> {
    let trimmed = text?.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A date as midnight UTC. `None` outside the years OSCAL's date-time pattern accepts
/// (1900 to 2999).
fn date_time(date: NaiveDate) -> Option<String> {
    (1900..=2999)
        .contains(&date.year())
        .then(|| format!("{date}T00:00:00Z"))
}

fn instant(date: NaiveDate) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
        .fixed_offset()
}

fn time_text(time: DateTime<FixedOffset>) -> Option<String> {
    (1900..=2999)
        .contains(&time.year())
        .then(|| time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A FedRAMP rating: `critical` is reported as `high` (FedRAMP has no Critical level).
fn fedramp_rating(risk: &str) -> &'static str {
    match risk {
        "low" => "low",
        "moderate" => "moderate",
        _ => "high",
    }
}

/// `SC-8(1)` → `sc-8.1`, OSCAL's control id form; `None` when it is not a control id.
fn oscal_control_id(control: &str) -> Option<String> {
    let normal = normalize_control(control)?.to_ascii_lowercase();
    Some(match normal.split_once('(') {
        Some((base, enhancement)) => format!("{base}.{}", enhancement.trim_end_matches(')')),
        None => normal,
    })
}

/// The FedRAMP deviation prop value of a deviation status; a rejected request has none
/// (FedRAMP's values are investigating, pending, approved and withdrawn; the Excel template
/// writes `No`).
fn deviation_value(status: Option<&str>) -> Option<&'static str> {
    match status? {
        "pending" => Some("pending"),
        "approved" => Some("approved"),
        "withdrawn" => Some("withdrawn"),
        _ => None,
    }
}

/// Builds the document; holds the UUID namespace. Items are built in parallel.
struct Builder<'a> {
    input: &'a ExportInput<'a>,
    namespace: Uuid,
    csp_party: String,
}

/// Definitions items share (detectors, vendor products, assets, owners), keyed for order.
#[derive(Default)]
struct Definitions {
    components: BTreeMap<String, Component>,
    inventory: BTreeMap<String, InventoryItem>,
    owners: BTreeMap<String, Party>,
}

impl Definitions {
    fn merge(&mut self, other: Definitions) {
        for (key, value) in other.components {
            self.components.entry(key).or_insert(value);
        }
        for (key, value) in other.inventory {
            self.inventory.entry(key).or_insert(value);
        }
        for (key, value) in other.owners {
            self.owners.entry(key).or_insert(value);
        }
    }
}

/// Everything one item contributes to the document.
struct ItemParts {
    observation: Observation,
    risk: Risk,
    poam_item: PoamItem,
    documents: Vec<Resource>,
    definitions: Definitions,
}

/// Where the pieces of the document go, in order; `None` when they are no longer wanted.
type Sink<'s> = dyn FnMut(Vec<u8>) -> Option<()> + 's;

/// What an item's UUIDs are named after: its id, else its path.
fn item_key(view: &ItemView) -> String {
    view.id.clone().unwrap_or_else(|| view.path.clone())
}

/// The parts of the document that are not an item's.
struct Head {
    uuid: String,
    metadata: Metadata,
    import_ssp: ImportSsp,
    system_id: SystemId,
    local_definitions: Option<LocalDefinitions>,
    system_resource: Resource,
}

/// One risk log entry before sorting: when, then the order of kinds on the same instant.
struct PendingEntry {
    at: DateTime<FixedOffset>,
    order: u8,
    entry: LogEntry,
}

impl<'a> Builder<'a> {
    fn new(input: &'a ExportInput<'a>) -> Builder<'a> {
        let system = input.system;
        let scope = match &system.fedramp_id {
            Some(id) => format!("fedramp-id\u{1f}{}", id.trim()),
            None => format!(
                "system\u{1f}{}\u{1f}{}",
                system.csp.as_deref().unwrap_or_default(),
                system.name.as_deref().unwrap_or_default()
            ),
        };
        let root = Uuid::new_v5(&Uuid::NAMESPACE_URL, UUID_ROOT.as_bytes());
        let namespace = Uuid::new_v5(&root, scope.as_bytes());
        let mut builder = Builder {
            input,
            namespace,
            csp_party: String::new(),
        };
        builder.csp_party = builder.uuid(&["party", "csp"]);
        builder
    }

    /// The version 5 UUID of an object, named by its role and the keys that identify it.
    fn uuid(&self, parts: &[&str]) -> String {
        Uuid::new_v5(&self.namespace, parts.join("\u{1f}").as_bytes()).to_string()
    }

    fn item(&self, view: &ItemView) -> ItemParts {
        let key = item_key(view);
        let mut definitions = Definitions::default();
        let documents = self.documents(view, &key);
        ItemParts {
            observation: self.observation(&mut definitions, view, &key, &documents),
            risk: self.risk(&mut definitions, view, &key),
            poam_item: self.poam_item(view, &key),
            documents,
            definitions,
        }
    }

    fn build(self) -> Document {
        use rayon::prelude::*;
        let parts: Vec<ItemParts> = self.input.items.par_iter().map(|v| self.item(v)).collect();
        let count = parts.len();
        let mut observations = Vec::with_capacity(count);
        let mut risks = Vec::with_capacity(count);
        let mut poam_items = Vec::with_capacity(count);
        let mut documents = Vec::new();
        let mut definitions = Definitions::default();
        for part in parts {
            observations.push(part.observation);
            risks.push(part.risk);
            poam_items.push(part.poam_item);
            documents.extend(part.documents);
            definitions.merge(part.definitions);
        }
        let head = self.head(definitions);
        let mut resources = vec![head.system_resource];
        resources.extend(documents);
        Document {
            poam: Poam {
                uuid: head.uuid,
                metadata: head.metadata,
                import_ssp: head.import_ssp,
                system_id: head.system_id,
                local_definitions: head.local_definitions,
                observations,
                risks,
                poam_items,
                back_matter: BackMatter { resources },
            },
        }
    }

    /// Writes the bytes of [`Builder::build`] serialised, without building the document:
    /// the shared definitions first (they come before the items), then each array of the
    /// document, wave by wave. A helper thread builds and serialises the items of a wave on
    /// the pool while this one writes the wave before it.
    fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        use rayon::prelude::*;
        let definitions = self
            .input
            .items
            .par_chunks(BATCH)
            .map(|views| {
                let mut definitions = Definitions::default();
                for view in views {
                    self.register(&mut definitions, view);
                }
                definitions
            })
            .reduce(Definitions::default, |mut all, more| {
                all.merge(more);
                all
            });
        let head = self.head(definitions);
        let mut text = Vec::with_capacity(1 << 16);
        text.extend_from_slice(b"{\n  \"plan-of-action-and-milestones\": {\n");
        field(&mut text, "uuid");
        append(&mut text, &head.uuid, 2);
        text.extend_from_slice(b",\n");
        field(&mut text, "metadata");
        append(&mut text, &head.metadata, 2);
        text.extend_from_slice(b",\n");
        field(&mut text, "import-ssp");
        append(&mut text, &head.import_ssp, 2);
        text.extend_from_slice(b",\n");
        field(&mut text, "system-id");
        append(&mut text, &head.system_id, 2);
        text.extend_from_slice(b",\n");
        if let Some(local) = &head.local_definitions {
            field(&mut text, "local-definitions");
            append(&mut text, local, 2);
            text.extend_from_slice(b",\n");
        }
        out.write_all(&text)?;
        if rayon::current_thread_index().is_some() {
            // Called on the pool: a helper thread waiting for the pool could be waiting for
            // this very thread. Build and write in turn.
            let mut failure = None;
            self.send_arrays(&head.system_resource, &mut |piece| {
                out.write_all(&piece)
                    .map_err(|err| failure = Some(err))
                    .ok()
            });
            return failure.map_or(Ok(()), Err);
        }
        let (pieces, received) = mpsc::sync_channel::<Vec<u8>>(2 * WAVE / BATCH);
        std::thread::scope(|scope| {
            let renderer = std::thread::Builder::new()
                .name("poam-oscal-render".to_owned())
                .spawn_scoped(scope, move || {
                    self.send_arrays(&head.system_resource, &mut |piece| pieces.send(piece).ok());
                });
            let mut result = Ok(());
            for piece in &received {
                result = out.write_all(&piece);
                if result.is_err() {
                    break;
                }
            }
            // Dropping the receiver stops the renderer at its next piece.
            drop(received);
            match renderer {
                Ok(renderer) => {
                    if let Err(panic) = renderer.join() {
                        std::panic::resume_unwind(panic);
                    }
                }
                Err(err) => result = Err(err),
            }
            result
        })
    }

    /// Sends the document from `"observations"` to its end, in pieces; stops when the sink
    /// wants no more.
    fn send_arrays(&self, system_resource: &Resource, pieces: &mut Sink<'_>) {
        let items = self.input.items;
        let sent = (|| -> Option<()> {
            if !items.is_empty() {
                self.send_array(pieces, "observations", |out, view| {
                    let key = item_key(view);
                    let documents = self.documents(view, &key);
                    let mut defs = Definitions::default();
                    let observation = self.observation(&mut defs, view, &key, &documents);
                    append_element(out, &observation, 3);
                })?;
                self.send_array(pieces, "risks", |out, view| {
                    let mut defs = Definitions::default();
                    append_element(out, &self.risk(&mut defs, view, &item_key(view)), 3);
                })?;
                self.send_array(pieces, "poam-items", |out, view| {
                    append_element(out, &self.poam_item(view, &item_key(view)), 3);
                })?;
            } else {
                let mut empty = Vec::new();
                field(&mut empty, "poam-items");
                empty.extend_from_slice(b"[],\n");
                pieces(empty)?;
            }
            let mut back_matter = Vec::new();
            field(&mut back_matter, "back-matter");
            back_matter.extend_from_slice(b"{\n      \"resources\": [\n        ");
            append(&mut back_matter, system_resource, 4);
            pieces(back_matter)?;
            self.send_elements(pieces, false, |out, view| {
                for document in self.documents(view, &item_key(view)) {
                    append_element(out, &document, 4);
                }
            })?;
            pieces(b"\n      ]\n    }\n  }\n}\n".to_vec())
        })();
        // `None`: the writer stopped; it reports why.
        let _ = sent;
    }

    /// `"key": [`, one element per item (none is empty), `],`.
    fn send_array(
        &self,
        pieces: &mut Sink<'_>,
        key: &str,
        element: impl Fn(&mut Vec<u8>, &ItemView) + Sync,
    ) -> Option<()> {
        let mut open = Vec::new();
        field(&mut open, key);
        open.push(b'[');
        pieces(open)?;
        self.send_elements(pieces, true, element)?;
        pieces(b"\n    ],\n".to_vec())
    }

    /// The elements every item adds, serialised by batch on the pool, a wave at a time, in
    /// order; with `first`, the comma before the very first element is left out.
    fn send_elements(
        &self,
        pieces: &mut Sink<'_>,
        mut first: bool,
        element: impl Fn(&mut Vec<u8>, &ItemView) + Sync,
    ) -> Option<()> {
        use rayon::prelude::*;
        for wave in self.input.items.chunks(WAVE) {
            let batches: Vec<Vec<u8>> = wave
                .par_chunks(BATCH)
                .map(|views| {
                    let mut out = Vec::new();
                    for (n, view) in views.iter().enumerate() {
                        element(&mut out, view);
                        if n == 0 {
                            // Room for the rest if they are like the first, and a quarter more.
                            out.reserve(out.len() * (views.len() - 1) * 5 / 4);
                        }
                    }
                    out
                })
                .collect();
            for mut batch in batches {
                if batch.is_empty() {
                    continue;
                }
                if first {
                    batch.remove(0);
                    first = false;
                }
                pieces(batch)?;
            }
        }
        Some(())
    }

    /// Everything of the document that is not an item's: shared definitions, metadata, the
    /// system's back-matter resource.
    fn head(&self, definitions: Definitions) -> Head {
        let components: Vec<Component> = definitions.components.into_values().collect();
        let inventory_items: Vec<InventoryItem> = definitions.inventory.into_values().collect();
        let local_definitions =
            (!components.is_empty() || !inventory_items.is_empty()).then_some(LocalDefinitions {
                components,
                inventory_items,
            });
        let system_resource = self.system_resource();
        Head {
            uuid: self.uuid(&["document"]),
            metadata: self.metadata(definitions.owners),
            import_ssp: ImportSsp {
                href: format!("#{}", system_resource.uuid),
            },
            system_id: self.system_id(),
            local_definitions,
            system_resource,
        }
    }

    fn system_name(&self) -> Option<String> {
        opt_line(self.input.system.name.as_ref())
    }

    fn metadata(&self, owners: BTreeMap<String, Party>) -> Metadata {
        let system = self.input.system;
        let title = match self.system_name() {
            Some(name) => format!("{name} Plan of Action and Milestones (POA&M)"),
            None => "Plan of Action and Milestones (POA&M)".to_owned(),
        };
        let csp_name = opt_line(system.csp.as_ref())
            .or_else(|| self.system_name().map(|n| format!("Provider of {n}")))
            .unwrap_or_else(|| "Cloud Service Provider".to_owned());
        let mut parties = vec![Party::named(
            self.csp_party.clone(),
            "organization",
            csp_name,
        )];
        let (people, people_roles) = self.people_parties();
        parties.extend(people);
        parties.extend(owners.into_values());
        let mut roles = vec![Role {
            id: "cloud-service-provider".to_owned(),
            title: "Cloud Service Provider".to_owned(),
        }];
        let mut responsible_parties = vec![ResponsibleParty {
            role_id: "cloud-service-provider".to_owned(),
            party_uuids: vec![self.csp_party.clone()],
        }];
        for (role, party_uuids) in people_roles {
            roles.push(Role {
                id: role.clone(),
                title: role.clone(),
            });
            responsible_parties.push(ResponsibleParty {
                role_id: role,
                party_uuids,
            });
        }
        Metadata {
            title,
            last_modified: time_text(self.input.last_modified)
                .or_else(|| date_time(self.input.today))
                .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_owned()),
            version: self.input.today.to_string(),
            oscal_version: OSCAL_VERSION,
            props: self
                .input
                .marker
                .map(|m| Prop::poam("poam-profile", m.profile.to_owned()))
                .into_iter()
                .collect(),
            roles,
            parties,
            responsible_parties,
        }
    }

    /// The party of the people file's entry `id`.
    fn person_party(&self, id: &str) -> String {
        self.uuid(&["party", "person", id])
    }

    /// A party per entry of the people file (in file order, a repeated id once; a team is an
    /// organization its members are members of), and the parties of each role the entries
    /// name, by role (a role that is not an OSCAL token is left out).
    fn people_parties(&self) -> (Vec<Party>, BTreeMap<String, Vec<String>>) {
        let mut parties = Vec::new();
        let mut roles: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let Some(people) = self.input.people else {
            return (parties, roles);
        };
        let mut teams_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for team in people.entries.iter().filter(|p| p.is_team()) {
            for member in &team.members {
                if let Some(person) = people.get(&member.value) {
                    teams_of
                        .entry(person.id.value.as_str())
                        .or_default()
                        .push(self.person_party(&team.id.value));
                }
            }
        }
        let mut seen = BTreeSet::new();
        for person in &people.entries {
            let id = person.id.value.as_str();
            if !seen.insert(id) {
                continue;
            }
            let uuid = self.person_party(id);
            let mut party = Party::named(
                uuid.clone(),
                if person.is_team() {
                    "organization"
                } else {
                    "person"
                },
                opt_line(person.name.as_ref()).unwrap_or_else(|| id.to_owned()),
            );
            party.short_name = line(id);
            party.email_addresses = opt_line(person.email.as_ref())
                .filter(|e| e.contains('@') && !e.contains(' '))
                .into_iter()
                .collect();
            party.telephone_numbers = opt_line(person.phone.as_ref())
                .map(|number| Telephone { number })
                .into_iter()
                .collect();
            party.member_of_organizations = teams_of.remove(id).unwrap_or_default();
            party.member_of_organizations.dedup();
            for role in &person.roles {
                let role = role.trim();
                if is_token(role) && role != "cloud-service-provider" {
                    let holders = roles.entry(role.to_owned()).or_default();
                    if !holders.contains(&uuid) {
                        holders.push(uuid.clone());
                    }
                }
            }
            parties.push(party);
        }
        (parties, roles)
    }

    /// `system.fedramp_id` with FedRAMP's identifier type; else a UUID of the system.
    fn system_id(&self) -> SystemId {
        match opt_line(self.input.system.fedramp_id.as_ref()) {
            Some(id) => SystemId {
                identifier_type: FEDRAMP_NS,
                id,
            },
            None => SystemId {
                identifier_type: RFC4122,
                id: self.uuid(&["system"]),
            },
        }
    }

    /// The back-matter resource `import-ssp` points at: FedRAMP's `no-oscal-ssp` marker,
    /// since poam has no OSCAL SSP to import.
    fn system_resource(&self) -> Resource {
        let system = self.input.system;
        let mut props = vec![Prop::fedramp("type", "no-oscal-ssp".to_owned())];
        if let Some(id) = opt_line(system.fedramp_id.as_ref()) {
            props.push(Prop::fedramp("system-id", id));
        }
        let description = match (
            opt_line(system.csp.as_ref()),
            opt_line(system.impact.as_ref()),
        ) {
            (Some(csp), Some(impact)) => Some(format!(
                "Operated by {csp}; FIPS 199 impact level {impact}."
            )),
            (Some(csp), None) => Some(format!("Operated by {csp}.")),
            (None, Some(impact)) => Some(format!("FIPS 199 impact level {impact}.")),
            (None, None) => None,
        };
        Resource {
            uuid: self.uuid(&["resource", "system"]),
            title: self.system_name().unwrap_or_else(|| "System".to_owned()),
            description,
            props,
        }
    }

    fn detector_actor(&self, defs: &mut Definitions, view: &ItemView, with_ids: bool) -> Actor {
        let Some(detector) = opt_line(view.detector.as_ref()) else {
            return self.csp_actor();
        };
        let uuid = self.uuid(&["component", "detector", &detector]);
        defs.components
            .entry(format!("1\u{1f}{detector}"))
            .or_insert_with(|| Component {
                uuid: uuid.clone(),
                kind: "software",
                title: detector.clone(),
                description: format!(
                    "{detector}, the weakness detector source named by POA&M items."
                ),
                status: ComponentStatus {
                    state: "operational",
                },
            });
        let mut props = Vec::new();
        if with_ids {
            if let Some(id) = opt_line(view.detector_id.as_ref())
                .filter(|id| !matches!(id.to_ascii_lowercase().as_str(), "none" | "n/a"))
            {
                // A number is a scanner plugin (Nessus plugin, Qualys QID); anything else names
                // the vulnerability itself (a CVE, a GHSA).
                let name = if id.chars().all(|c| c.is_ascii_digit()) {
                    "plugin-id"
                } else {
                    "vulnerability-id"
                };
                props.push(Prop::fedramp(name, id));
            }
        }
        Actor {
            kind: "tool",
            actor_uuid: uuid,
            props,
        }
    }

    fn csp_actor(&self) -> Actor {
        Actor {
            kind: "party",
            actor_uuid: self.csp_party.clone(),
            props: Vec::new(),
        }
    }

    fn owner_actor(&self, defs: &mut Definitions, view: &ItemView) -> Actor {
        let Some(owner) = opt_line(view.owner.as_ref()) else {
            return self.csp_actor();
        };
        if let Some(person) = self.input.people.and_then(|p| p.get(&owner)) {
            return Actor {
                kind: "party",
                actor_uuid: self.person_party(&person.id.value),
                props: Vec::new(),
            };
        }
        let uuid = self.uuid(&["party", "owner", &owner]);
        defs.owners
            .entry(owner.clone())
            .or_insert_with(|| Party::named(uuid.clone(), "person", owner));
        Actor {
            kind: "party",
            actor_uuid: uuid,
            props: Vec::new(),
        }
    }

    fn documents(&self, view: &ItemView, key: &str) -> Vec<Resource> {
        let mut seen = BTreeSet::new();
        let mut resources = Vec::new();
        for document in &view.documents {
            let kind = opt_line(document.kind.as_ref());
            let name = opt_line(document.name.as_ref());
            let Some(title) = name.clone().or_else(|| kind.clone()) else {
                continue;
            };
            let kind_key = kind.clone().unwrap_or_default();
            if !seen.insert((kind_key.clone(), title.clone())) {
                continue;
            }
            resources.push(Resource {
                uuid: self.uuid(&["document", key, &kind_key, &title]),
                title,
                description: kind.map(|k| format!("{k} for POA&M item {key}.")),
                props: vec![Prop::oscal("type", "evidence".to_owned())],
            });
        }
        resources
    }

    /// What the observation is about: the item's assets, then the vendor's product; each a
    /// shared definition.
    fn subjects(&self, defs: &mut Definitions, view: &ItemView) -> Vec<Subject> {
        let mut subjects = Vec::new();
        for asset in &view.assets {
            let Some(asset) = line(asset) else { continue };
            let uuid = self.uuid(&["asset", &asset]);
            defs.inventory
                .entry(asset.clone())
                .or_insert_with(|| InventoryItem {
                    uuid: uuid.clone(),
                    description: asset.clone(),
                    props: vec![Prop::oscal("asset-id", asset.clone())],
                });
            subjects.push(Subject {
                subject_uuid: uuid,
                kind: "inventory-item",
                title: asset,
            });
        }
        if let Some(product) = view
            .vendor_dependency
            .as_ref()
            .and_then(|v| opt_line(v.product.as_ref()))
        {
            let uuid = self.uuid(&["component", "vendor-product", &product]);
            defs.components
                .entry(format!("2\u{1f}{product}"))
                .or_insert_with(|| Component {
                    uuid: uuid.clone(),
                    kind: "software",
                    title: product.clone(),
                    description: format!(
                        "{product}: its vendor must supply the fix (vendor dependency)."
                    ),
                    status: ComponentStatus {
                        state: "operational",
                    },
                });
            subjects.push(Subject {
                subject_uuid: uuid,
                kind: "component",
                title: product,
            });
        }
        subjects
    }

    /// Adds the shared definitions `view` uses, as building its objects does.
    fn register(&self, defs: &mut Definitions, view: &ItemView) {
        self.detector_actor(defs, view, false);
        self.subjects(defs, view);
        self.owner_actor(defs, view);
    }

    fn observation(
        &self,
        defs: &mut Definitions,
        view: &ItemView,
        key: &str,
        documents: &[Resource],
    ) -> Observation {
        let actor = self.detector_actor(defs, view, true);
        let has_tool_id = actor.props.iter().any(|p| p.ns.is_some());
        let subjects = self.subjects(defs, view);
        let title = opt_line(view.title.as_ref()).unwrap_or_else(|| format!("POA&M item {key}"));
        let assets = subjects
            .iter()
            .filter(|s| s.kind == "inventory-item")
            .count();
        let description = observed(view, &actor, assets);
        Observation {
            uuid: self.uuid(&["observation", key]),
            description,
            title,
            methods: vec![if has_tool_id { "TEST" } else { "UNKNOWN" }],
            types: vec!["discovery"],
            origins: vec![Origin {
                actors: vec![actor],
            }],
            subjects,
            relevant_evidence: documents
                .iter()
                .map(|d| Evidence {
                    href: format!("#{}", d.uuid),
                    description: d.description.clone().unwrap_or_else(|| d.title.clone()),
                })
                .collect(),
            collected: view
                .detected
                .and_then(date_time)
                .or_else(|| date_time(self.input.today))
                .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_owned()),
        }
    }

    fn risk(&self, defs: &mut Definitions, view: &ItemView, key: &str) -> Risk {
        let title = opt_line(view.title.as_ref()).unwrap_or_else(|| format!("POA&M item {key}"));
        let description = multiline(view.description.as_ref()).unwrap_or_else(|| title.clone());
        let deviations = &view.deviations;
        let mut props: Vec<Prop> = view
            .controls
            .iter()
            .filter_map(|c| oscal_control_id(c))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|c| Prop::fedramp("impacted-control-id", c))
            .collect();
        let ra_status = deviations.risk_adjustment.as_ref().and_then(|r| r.status);
        let fp_status = deviations.false_positive.as_ref().and_then(|r| r.status);
        let or_status = deviations
            .operational_requirement
            .as_ref()
            .and_then(|r| r.status);
        for (name, status) in [
            ("risk-adjustment", ra_status),
            ("false-positive", fp_status),
            ("operational-requirement", or_status),
        ] {
            if let Some(value) = deviation_value(status) {
                props.push(Prop::fedramp(name, value.to_owned()));
            }
        }
        if let Some(vendor) = &view.vendor_dependency {
            let value = if vendor.fix_released.is_some() {
                "resolved"
            } else {
                "tracking"
            };
            props.push(Prop::fedramp("vendor-dependency", value.to_owned()));
        }
        if let Some(kev_due) = view.kev_due {
            props.push(Prop::fedramp("kev-catalog", "yes".to_owned()));
            props.push(Prop::fedramp("kev-due-date", kev_due.to_string()));
        }
        let mapping = self.input.profile.export_mapping(view);
        props.extend(
            mapping
                .risk_props
                .into_iter()
                .filter_map(|(name, value)| Some(Prop::poam(name, line(&value)?))),
        );

        let mut characterizations = Vec::new();
        let mut facets = Vec::new();
        if let Some(risk) = view.risk {
            facets.extend(rating_facets(fedramp_rating(risk), "initial"));
        }
        for cve in view
            .cves
            .iter()
            .filter_map(|c| line(c))
            .collect::<BTreeSet<_>>()
        {
            facets.push(Facet {
                name: "cve-id",
                system: CVE_SYSTEM,
                value: cve,
                props: Vec::new(),
            });
        }
        if !facets.is_empty() {
            characterizations.push(Characterization {
                origin: Origin {
                    actors: vec![self.detector_actor(defs, view, true)],
                },
                facets,
            });
        }
        let adjusted = deviations
            .risk_adjustment
            .as_ref()
            .filter(|r| r.status == Some("approved"))
            .and_then(|r| r.adjusted_risk);
        if let Some(adjusted) = adjusted {
            characterizations.push(Characterization {
                origin: Origin {
                    actors: vec![self.csp_actor()],
                },
                facets: rating_facets(fedramp_rating(adjusted), "adjusted"),
            });
        }

        let mut mitigating_factors = Vec::new();
        if let Some(rationale) = deviations
            .risk_adjustment
            .as_ref()
            .and_then(|r| multiline(r.rationale.as_ref()))
        {
            mitigating_factors.push(MitigatingFactor {
                uuid: self.uuid(&["mitigating-factor", "risk-adjustment", key]),
                description: rationale,
            });
        }
        if let Some(rationale) = deviations
            .operational_requirement
            .as_ref()
            .and_then(|r| multiline(r.rationale.as_ref()))
        {
            mitigating_factors.push(MitigatingFactor {
                uuid: self.uuid(&["mitigating-factor", "operational-requirement", key]),
                description: rationale,
            });
        }

        let remediation = multiline(view.remediation.as_ref())
            .unwrap_or_else(|| "No remediation plan recorded.".to_owned());
        let planned_uuid = self.uuid(&["response", "planned", key]);
        let tasks: Vec<Task> = view
            .milestones
            .iter()
            .filter_map(|m| self.milestone_task(m, key))
            .collect();
        let recommendation = Response {
            uuid: self.uuid(&["response", "recommendation", key]),
            lifecycle: "recommendation",
            title: "Recommended Remediation",
            description: remediation.clone(),
            origins: vec![Origin {
                actors: vec![self.detector_actor(defs, view, false)],
            }],
            required_assets: Vec::new(),
            tasks: Vec::new(),
        };
        let planned = Response {
            uuid: planned_uuid.clone(),
            lifecycle: "planned",
            title: "Remediation Plan",
            description: remediation,
            origins: vec![Origin {
                actors: vec![self.owner_actor(defs, view)],
            }],
            required_assets: multiline(view.resources.as_ref())
                .map(|description| RequiredAsset {
                    uuid: self.uuid(&["required-assets", key]),
                    description,
                })
                .into_iter()
                .collect(),
            tasks,
        };

        let entries = self.risk_log(view, key, &planned_uuid);
        Risk {
            uuid: self.uuid(&["risk", key]),
            title,
            description,
            statement: "No Risk Statement".to_owned(),
            props,
            status: view_status(view),
            characterizations,
            mitigating_factors,
            deadline: mapping
                .deadline
                .and_then(|d| d.at.or_else(|| date_time(d.date))),
            remediations: vec![recommendation, planned],
            risk_log: (!entries.is_empty()).then_some(RiskLog { entries }),
        }
    }

    fn milestone_task(&self, milestone: &MilestoneView, key: &str) -> Option<Task> {
        let date = date_time(milestone.date)?;
        let mut remarks = Vec::new();
        if let Some(planned) = milestone.planned_date.filter(|p| *p != milestone.date) {
            remarks.push(format!("Originally planned for {planned}."));
        }
        if milestone.planned_date.is_none() {
            remarks.push("Added by a milestone change.".to_owned());
        }
        if let Some(done) = milestone.completed {
            remarks.push(format!("Completed on {done}."));
        }
        Some(Task {
            uuid: self.uuid(&["milestone", key, &milestone.id.to_string()]),
            kind: "milestone",
            title: format!("Milestone {}", milestone.id),
            description: multiline(milestone.description.as_ref()),
            timing: Timing {
                on_date: OnDate { date },
            },
            remarks: (!remarks.is_empty()).then(|| remarks.join(" ")),
        })
    }

    /// One entry per milestone change, vendor check-in and status change, oldest first.
    fn risk_log(&self, view: &ItemView, key: &str, planned_uuid: &str) -> Vec<LogEntry> {
        let mut pending: Vec<PendingEntry> = Vec::new();
        let log = view.id.as_ref().and_then(|id| self.input.logs.get(id));
        for (index, change) in view.milestone_changes.iter().enumerate() {
            let committed = log.and_then(|l| l.milestone_changes_committed.get(index).copied());
            if let Some(entry) =
                self.milestone_entry(view, key, planned_uuid, index, change, committed)
            {
                pending.push(entry);
            }
        }
        let mut checkins: BTreeSet<NaiveDate> =
            log.map(|l| l.vendor_checkins.clone()).unwrap_or_default();
        if let Some(vendor) = &view.vendor_dependency {
            checkins.extend(vendor.last_checkin);
            let product = opt_line(vendor.product.as_ref());
            for date in checkins {
                let Some(start) = date_time(date) else {
                    continue;
                };
                pending.push(PendingEntry {
                    at: instant(date),
                    order: 1,
                    entry: LogEntry {
                        uuid: self.uuid(&["log", "vendor-check-in", key, &date.to_string()]),
                        title: "Vendor Check-in".to_owned(),
                        description: product
                            .as_ref()
                            .map(|p| format!("Checked in with the vendor of {p}.")),
                        start,
                        props: vec![Prop::oscal("type", "vendor-check-in".to_owned())],
                        status_change: None,
                        related_responses: Vec::new(),
                    },
                });
            }
        }
        pending.extend(self.status_entries(view, key, log));
        pending.sort_by(|a, b| a.at.cmp(&b.at).then(a.order.cmp(&b.order)));
        pending.into_iter().map(|p| p.entry).collect()
    }

    fn milestone_entry(
        &self,
        view: &ItemView,
        key: &str,
        planned_uuid: &str,
        index: usize,
        change: &MilestoneChangeView,
        committed: Option<DateTime<FixedOffset>>,
    ) -> Option<PendingEntry> {
        let date = change.date?;
        // The change's date is the new milestone date for `new` and `update`: the entry starts
        // when the change was committed, else on that date (never after `today`).
        let at = committed.unwrap_or_else(|| instant(date.min(self.input.today)));
        let start = time_text(at)?;
        let milestone = change
            .milestone
            .map_or_else(|| "Milestone".to_owned(), |n| format!("Milestone {n}"));
        let title = match change.kind {
            Some("new") => format!("{milestone} added, due {date}"),
            Some("update") => format!("{milestone} rescheduled to {date}"),
            Some("complete") => format!("{milestone} completed on {date}"),
            _ => format!("{milestone} changed on {date}"),
        };
        let related_tasks = change
            .milestone
            .filter(|n| view.milestones.iter().any(|m| m.id == *n))
            .map(|n| RelatedTask {
                task_uuid: self.uuid(&["milestone", key, &n.to_string()]),
            })
            .into_iter()
            .collect();
        let kind = if change.kind == Some("complete") {
            "milestone-complete"
        } else {
            "status-update"
        };
        Some(PendingEntry {
            at,
            order: 0,
            entry: LogEntry {
                uuid: self.uuid(&["log", "milestone-change", key, &index.to_string()]),
                title,
                description: multiline(change.description.as_ref()),
                start,
                props: vec![Prop::oscal("type", kind.to_owned())],
                status_change: None,
                related_responses: vec![RelatedResponse {
                    response_uuid: planned_uuid.to_owned(),
                    related_tasks,
                }],
            },
        })
    }

    /// Status changes from git, then the file's status when the last commit does not have it
    /// yet (outside git: `open` at detection, then the status the file has now).
    fn status_entries(
        &self,
        view: &ItemView,
        key: &str,
        log: Option<&ItemLog>,
    ) -> Vec<PendingEntry> {
        let mut entries = Vec::new();
        let mut last = None;
        let current = view_status(view);
        let changes = log.map(|l| l.status_changes.as_slice()).unwrap_or_default();
        for (index, change) in changes.iter().enumerate() {
            let Some(start) = time_text(change.time) else {
                continue;
            };
            let recorded =
                line(&change.summary).map(|s| format!("Recorded in commit {}: {s}", change.commit));
            // The closing evidence belongs to the commit that closed the item for good.
            let evidence = view
                .closed
                .as_ref()
                .filter(|_| change.status == "closed" && current == "closed")
                .filter(|_| index + 1 == changes.len())
                .and_then(|c| multiline(c.evidence.as_ref()));
            let description = match (evidence, recorded) {
                (Some(e), Some(r)) => Some(format!("{e}\n\n{r}")),
                (e, r) => e.or(r),
            };
            entries.push(PendingEntry {
                at: change.time,
                order: 2,
                entry: LogEntry {
                    uuid: self.uuid(&["log", "status", key, &change.commit, change.status]),
                    title: status_title(change.status, last.is_none()),
                    description,
                    start,
                    props: Vec::new(),
                    status_change: Some(change.status),
                    related_responses: Vec::new(),
                },
            });
            last = Some(change.status);
        }
        if last.is_none() {
            // Outside git, or never committed: every item begins open when it is detected.
            let opened = view.detected.unwrap_or(self.input.today);
            if let Some(start) = date_time(opened) {
                entries.push(PendingEntry {
                    at: instant(opened),
                    order: 2,
                    entry: LogEntry {
                        uuid: self.uuid(&["log", "status", key, "detected", "open"]),
                        title: status_title("open", true),
                        description: None,
                        start,
                        props: Vec::new(),
                        status_change: Some("open"),
                        related_responses: Vec::new(),
                    },
                });
            }
            last = Some("open");
        }
        if last != Some(current) {
            let date = match current {
                "closed" => view.closed.as_ref().and_then(|c| c.date),
                _ => None,
            }
            .or(view.status_date)
            .unwrap_or(self.input.today);
            let evidence = view
                .closed
                .as_ref()
                .filter(|_| current == "closed")
                .and_then(|c| multiline(c.evidence.as_ref()));
            if let Some(start) = date_time(date) {
                entries.push(PendingEntry {
                    at: instant(date),
                    order: 2,
                    entry: LogEntry {
                        uuid: self.uuid(&["log", "status", key, "file", current]),
                        title: status_title(current, false),
                        description: evidence,
                        start,
                        props: if current == "closed" {
                            vec![Prop::oscal("type", "closed".to_owned())]
                        } else {
                            Vec::new()
                        },
                        status_change: Some(current),
                        related_responses: Vec::new(),
                    },
                });
            }
        }
        entries
    }

    fn poam_item(&self, view: &ItemView, key: &str) -> PoamItem {
        let title = opt_line(view.title.as_ref()).unwrap_or_else(|| format!("POA&M item {key}"));
        let mut remarks = Vec::new();
        if let Some(comments) = multiline(view.comments.as_ref()) {
            remarks.push(comments);
        }
        if let Some(rationale) = view
            .deviations
            .false_positive
            .as_ref()
            .and_then(|f| multiline(f.rationale.as_ref()))
        {
            remarks.push(format!("False positive: {rationale}"));
        }
        let services: Vec<String> = view.services.iter().filter_map(|s| line(s)).collect();
        if !services.is_empty() {
            remarks.push(format!("Services: {}", services.join(", ")));
        }
        PoamItem {
            uuid: self.uuid(&["poam-item", key]),
            description: multiline(view.description.as_ref()).unwrap_or_else(|| title.clone()),
            title,
            props: vec![Prop::fedramp(
                "POAM-ID",
                line(key).unwrap_or_else(|| key.to_owned()),
            )],
            related_observations: vec![RelatedObservation {
                observation_uuid: self.uuid(&["observation", key]),
            }],
            related_risks: vec![RelatedRisk {
                risk_uuid: self.uuid(&["risk", key]),
            }],
            remarks: (!remarks.is_empty()).then(|| remarks.join("\n\n")),
        }
    }
}

/// What the observation records: who detected the weakness, with which identifier, where.
/// (The weakness itself is described once, on the risk and the poam-item.)
fn observed(view: &ItemView, actor: &Actor, assets: usize) -> String {
    let detector = opt_line(view.detector.as_ref());
    let identifier = actor
        .props
        .first()
        .map(|p| format!(" ({} {})", p.name, p.value))
        .unwrap_or_default();
    let place = match assets {
        0 => String::new(),
        1 => " on 1 asset".to_owned(),
        n => format!(" on {n} assets"),
    };
    match detector {
        Some(detector) => format!("Detected by {detector}{identifier}{place}."),
        None => format!("Detected{place}; the detector source is not recorded."),
    }
}

fn rating_facets(rating: &'static str, state: &'static str) -> Vec<Facet> {
    ["likelihood", "impact"]
        .into_iter()
        .map(|name| Facet {
            name,
            system: FEDRAMP_NS,
            value: rating.to_owned(),
            props: vec![Prop::oscal("state", state.to_owned())],
        })
        .collect()
}

fn status_title(status: &str, first: bool) -> String {
    match (status, first) {
        ("open", true) => "Risk Opened".to_owned(),
        ("open", false) => "Risk Reopened".to_owned(),
        ("closed", _) => "Risk Closed".to_owned(),
        ("deviation-requested", _) => "Deviation Requested".to_owned(),
        ("deviation-approved", _) => "Deviation Approved".to_owned(),
        (other, _) => format!("Risk status: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parallel_json_is_serde_json_pretty() {
        let system = System {
            csp: Some("Example Cloud".into()),
            name: Some("Example SaaS".into()),
            impact: Some("moderate".into()),
            fedramp_id: None,
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let logs = BTreeMap::new();
        // Across batches too, and with items without documents.
        for items in [0, 1, 3, BATCH * 2 + 5, WAVE * 2 + 5] {
            let views: Vec<ItemView> = (0..items).map(|n| sample_view(n, today)).collect();
            let input = ExportInput {
                system: &system,
                today,
                last_modified: instant(today),
                items: &views,
                logs: &logs,
                profile: crate::profiles::of(policy().profile),
                marker: None,
                people: None,
            };
            let mut expected = serde_json::to_string_pretty(&document(&input)).expect("json");
            expected.push('\n');
            assert_eq!(render(&input), expected, "{items} items");
            // On a pool of one thread, which must not wait for itself.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .expect("pool");
            assert_eq!(
                pool.install(|| render(&input)),
                expected,
                "{items} items, pool"
            );
        }
    }

    /// The policy of a folder without `poam.yaml`.
    fn policy() -> crate::policy::Policy {
        crate::config::Config::for_items_dir(std::path::Path::new(".")).policy
    }

    fn sample_view(n: usize, today: NaiveDate) -> ItemView {
        use crate::model::Node;
        let text = format!(
            "id: V-{n}\ntitle: Item {n}\ndescription: \"two\\nlines\"\ncontrols: [AC-2]\n\
             detector: Nessus\ndetector_id: 1{n}\nassets: [host-{n}, shared]\nowner: Jane\n\
             remediation: Patch.\ndetected: 2026-10-01\ndue: 2026-10-31\nrisk: high\n\
             milestones:\n  - id: 1\n    date: 2026-10-20\n    description: Patch.\n\
             status: open\n"
        );
        let documents = format!("documents:\n  - {{type: Scan Report, name: scan-{n}.nessus}}\n");
        let text = if n % 3 == 2 { text } else { text + &documents };
        let (_, node): (String, Node) = crate::parse::parse_bytes(text.as_bytes()).expect("item");
        let item = Item::from_node(&node, "poams/V.yaml");
        let policy = policy();
        let assessment = crate::policy::assess(&item, &policy, today, None);
        crate::profiles::of(policy.profile).view("poams/V.yaml", &item, &assessment, &policy)
    }

    #[test]
    fn control_ids_take_oscal_form() {
        assert_eq!(oscal_control_id("SC-8(1)").as_deref(), Some("sc-8.1"));
        assert_eq!(oscal_control_id("ac-2").as_deref(), Some("ac-2"));
        assert_eq!(oscal_control_id("not a control"), None);
    }

    #[test]
    fn single_line_values_lose_extra_whitespace() {
        assert_eq!(line("  a \n b\t c ").as_deref(), Some("a b c"));
        assert_eq!(line(" \n "), None);
        assert_eq!(
            multiline(Some(&"\n x\n y \n".to_owned())).as_deref(),
            Some("x\n y")
        );
    }

    #[test]
    fn pending_deviation_wins_over_approved() {
        assert_eq!(
            risk_status(false, [Some("approved"), Some("pending"), None]),
            "deviation-requested"
        );
        assert_eq!(
            risk_status(false, [Some("approved"), None, None]),
            "deviation-approved"
        );
        assert_eq!(risk_status(false, [Some("rejected"), None, None]), "open");
        assert_eq!(risk_status(true, [Some("pending"), None, None]), "closed");
    }

    #[test]
    fn dates_outside_oscal_years_are_left_out() {
        let date = |y| NaiveDate::from_ymd_opt(y, 1, 2).expect("date");
        assert_eq!(
            date_time(date(2026)).as_deref(),
            Some("2026-01-02T00:00:00Z")
        );
        assert_eq!(date_time(date(1899)), None);
        assert_eq!(date_time(date(3000)), None);
    }
}
