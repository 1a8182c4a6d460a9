//! Item views to the typed document: one observation, risk and poam-item per item, the
//! shared definitions they name, and the document around them. Every UUID is named here.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeZone, Utc};
use uuid::Uuid;

use super::model::*;
use super::{risk_status, ExportInput, ItemLog, FEDRAMP_NS, OSCAL_VERSION};
use crate::inventory::{Asset, AssetKind};
use crate::model::item::normalize_control;
use crate::view::{ItemView, MilestoneChangeView, MilestoneView};

const CVE_SYSTEM: &str = "http://cve.mitre.org";
/// `system-id` identifier type when no FedRAMP id is configured: a UUID of the system.
const RFC4122: &str = "http://ietf.org/rfc/rfc4122";
/// Name of the namespace every poam UUID descends from. Changing it changes every UUID.
const UUID_ROOT: &str = "urn:poam:oscal-export:1";

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

pub(super) fn instant(date: NaiveDate) -> DateTime<FixedOffset> {
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

/// Pushes `text` (an IIW "Name and Version" cell) as `name_prop`, with its last word as
/// `version_prop` when that word holds a digit and something precedes it (`Ubuntu 22.04`:
/// `Ubuntu` and `22.04`); else the whole text as the name.
fn push_name_version(
    props: &mut Vec<Prop>,
    text: &str,
    name_prop: &'static str,
    version_prop: &'static str,
) {
    let text = text.trim();
    match text.rsplit_once(char::is_whitespace) {
        Some((name, version))
            if !name.trim().is_empty() && version.bytes().any(|b| b.is_ascii_digit()) =>
        {
            props.push(Prop::oscal(name_prop, name.trim().to_owned()));
            props.push(Prop::oscal(version_prop, version.to_owned()));
        }
        _ => props.push(Prop::oscal(name_prop, text.to_owned())),
    }
}

/// Builds the document; holds the UUID namespace. Items are built in parallel.
pub(super) struct Builder<'a> {
    pub(super) input: &'a ExportInput<'a>,
    namespace: Uuid,
    csp_party: String,
}

/// Definitions items share (detectors, vendor products, assets, owners), keyed for order.
#[derive(Default)]
pub(super) struct Definitions {
    components: BTreeMap<String, Component>,
    inventory: BTreeMap<String, InventoryItem>,
    owners: BTreeMap<String, Party>,
}

impl Definitions {
    pub(super) fn merge(&mut self, other: Definitions) {
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

/// What an item's UUIDs are named after: its id, else its path.
pub(super) fn item_key(view: &ItemView) -> String {
    view.id.clone().unwrap_or_else(|| view.path.clone())
}

/// The parts of the document that are not an item's.
pub(super) struct Head {
    uuid: String,
    metadata: Metadata,
    import_ssp: ImportSsp,
    system_id: SystemId,
    local_definitions: Option<LocalDefinitions>,
    system_resource: Resource,
}

impl Head {
    /// The document: the head's parts, the item arrays, and the back matter (the system's
    /// resource, then the items' documents).
    pub(super) fn document(
        self,
        observations: Streamed<Observation>,
        risks: Streamed<Risk>,
        poam_items: Streamed<PoamItem>,
        documents: Streamed<Resource>,
    ) -> Document {
        let mut resources = vec![self.system_resource];
        resources.extend(documents.elements);
        Document {
            poam: Poam {
                uuid: self.uuid,
                metadata: self.metadata,
                import_ssp: self.import_ssp,
                system_id: self.system_id,
                local_definitions: self.local_definitions,
                observations,
                risks,
                poam_items,
                back_matter: BackMatter {
                    resources: Streamed {
                        elements: resources,
                        marker: documents.marker,
                    },
                },
            },
        }
    }
}

/// One risk log entry before sorting: when, then the order of kinds on the same instant.
struct PendingEntry {
    at: DateTime<FixedOffset>,
    order: u8,
    entry: LogEntry,
}

impl<'a> Builder<'a> {
    pub(super) fn new(input: &'a ExportInput<'a>) -> Builder<'a> {
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

    pub(super) fn build(self) -> Document {
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
        self.head(definitions).document(
            Streamed::whole(observations),
            Streamed::whole(risks),
            Streamed::whole(poam_items),
            Streamed::whole(documents),
        )
    }

    /// Everything of the document that is not an item's: shared definitions, metadata, the
    /// system's back-matter resource.
    pub(super) fn head(&self, mut definitions: Definitions) -> Head {
        self.inventory_items(&mut definitions);
        let asset_roles: BTreeSet<String> = definitions
            .inventory
            .values()
            .flat_map(|i| i.responsible_parties.iter().map(|r| r.role_id.clone()))
            .collect();
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
            metadata: self.metadata(definitions.owners, asset_roles),
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

    fn metadata(&self, owners: BTreeMap<String, Party>, asset_roles: BTreeSet<String>) -> Metadata {
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
        for role in asset_roles {
            if !people_roles.contains_key(&role) {
                let title = match role.as_str() {
                    "asset-owner" => "Asset Owner",
                    _ => "Asset Administrator",
                };
                roles.push(Role {
                    id: role,
                    title: title.to_owned(),
                });
            }
        }
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
            rlinks: Vec::new(),
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

    pub(super) fn documents(&self, view: &ItemView, key: &str) -> Vec<Resource> {
        let mut seen = BTreeSet::new();
        let mut resources = Vec::new();
        for document in &view.documents {
            let kind = opt_line(document.kind.as_ref());
            let name = opt_line(document.name.as_ref());
            let Some(title) = name.clone().or_else(|| kind.clone()) else {
                continue;
            };
            let kind_key = kind.clone().unwrap_or_default();
            // Where the document is: the evidence file (relative to poam.yaml, which OSCAL
            // reads as a URI reference) or the address it is kept at.
            let place =
                opt_line(document.path.as_ref()).or_else(|| opt_line(document.url.as_ref()));
            if !seen.insert((kind_key.clone(), title.clone(), place.clone())) {
                continue;
            }
            let mut parts = vec!["document", key, &kind_key, &title];
            if let Some(place) = &place {
                parts.push(place);
            }
            let rlinks = place
                .as_deref()
                .map(|href| Rlink {
                    href: href_of(href),
                    hashes: document
                        .sha256
                        .iter()
                        .map(|sha256| Hash {
                            algorithm: "SHA-256",
                            value: sha256.clone(),
                        })
                        .collect(),
                })
                .into_iter()
                .collect();
            let uuid = self.uuid(&parts);
            resources.push(Resource {
                uuid,
                title,
                description: kind.map(|k| format!("{k} for POA&M item {key}.")),
                props: vec![Prop::oscal("type", "evidence".to_owned())],
                rlinks,
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
            let known = self
                .input
                .inventory
                .and_then(|inventory| inventory.resolve_entry(&asset))
                .map(|found| found.asset());
            let key = known.map_or_else(|| asset.clone(), |a| a.id.value.clone());
            let uuid = self.uuid(&["asset", &key]);
            if !defs.inventory.contains_key(&key) {
                let item = match known {
                    Some(known) => self.inventory_item(defs, known),
                    None => InventoryItem {
                        uuid: uuid.clone(),
                        description: asset.clone(),
                        props: vec![Prop::oscal("asset-id", asset.clone())],
                        responsible_parties: Vec::new(),
                        remarks: None,
                    },
                };
                defs.inventory.insert(key, item);
            }
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

    /// Every asset of the inventory (the first of a repeated id; a retired one only when an
    /// item names it) as an inventory item, as the SSP's inventory is copied into a POA&M.
    pub(super) fn inventory_items(&self, defs: &mut Definitions) {
        let Some(inventory) = self.input.inventory else {
            return;
        };
        for asset in &inventory.assets {
            let id = &asset.id.value;
            if !inventory.is_first(asset)
                || defs.inventory.contains_key(id)
                || asset.is_retired(self.input.today)
            {
                continue;
            }
            let item = self.inventory_item(defs, asset);
            defs.inventory.insert(id.clone(), item);
        }
    }

    /// One inventory asset with the Integrated Inventory Workbook's columns as FedRAMP's
    /// OSCAL props (GSA's flat IIW mapping): `asset-id`, `ipv4-address`/`ipv6-address`,
    /// `virtual`, `public`, `fqdn` (or `uri`), `netbios-name`, `mac-address`,
    /// `allows-authenticated-scan`, `baseline-configuration-name`, `os-name`/`os-version`,
    /// `physical-location`, `asset-type`, `hardware-model`, `is-scanned`, `vendor-name`,
    /// `software-name`/`version`, `patch-level`, `diagram-label`, `serial-number`, `vlan-id`,
    /// `function`, and `vendor-name` and `scan-type` in FedRAMP's namespace (its extension
    /// registry has those two, not `diagram-label`); `end-of-life` in poam's namespace
    /// (FedRAMP names none); comments as remarks; the system and application owners as
    /// responsible parties `asset-owner` and `asset-administrator` (a people-file entry's
    /// party, else a party of that name).
    fn inventory_item(&self, defs: &mut Definitions, asset: &Asset) -> InventoryItem {
        let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_owned();
        let mut props = vec![Prop::oscal("asset-id", asset.id.value.clone())];
        for ip in asset.list("ip") {
            let name = match ip.value.parse::<std::net::IpAddr>() {
                Ok(std::net::IpAddr::V6(_)) => "ipv6-address",
                _ => "ipv4-address",
            };
            props.push(Prop::oscal(name, ip.value.clone()));
        }
        for (key, name) in [("virtual", "virtual"), ("public", "public")] {
            if let Some(yes) = asset.yes_no(key) {
                props.push(Prop::oscal(name, yes_no(yes)));
            }
        }
        if let Some(dns) = asset.text("dns") {
            let name = if dns.contains("://") { "uri" } else { "fqdn" };
            props.push(Prop::oscal(name, dns.to_owned()));
        }
        for (key, name) in [("netbios", "netbios-name"), ("mac", "mac-address")] {
            if let Some(text) = asset.text(key) {
                props.push(Prop::oscal(name, text.to_owned()));
            }
        }
        if let Some(yes) = asset.yes_no("authenticated_scan") {
            props.push(Prop::oscal("allows-authenticated-scan", yes_no(yes)));
        }
        if let Some(text) = asset.text("baseline_configuration") {
            props.push(Prop::oscal("baseline-configuration-name", text.to_owned()));
        }
        if let Some(os) = asset.text("os") {
            push_name_version(&mut props, os, "os-name", "os-version");
        }
        for (key, name) in [
            ("location", "physical-location"),
            ("asset_type", "asset-type"),
            ("hardware_model", "hardware-model"),
        ] {
            if let Some(text) = asset.text(key) {
                props.push(Prop::oscal(name, text.to_owned()));
            }
        }
        if let Some(yes) = asset.yes_no("in_latest_scan") {
            props.push(Prop::oscal("is-scanned", yes_no(yes)));
        }
        if let Some(text) = asset.text("software_vendor") {
            props.push(Prop::fedramp("vendor-name", text.to_owned()));
        }
        if let Some(software) = asset.text("software") {
            push_name_version(&mut props, software, "software-name", "version");
        }
        if let Some(text) = asset.text("patch_level") {
            props.push(Prop::oscal("patch-level", text.to_owned()));
        }
        if let Some(text) = asset.text("diagram_label") {
            props.push(Prop::oscal("diagram-label", text.to_owned()));
        }
        for (key, name) in [
            ("serial", "serial-number"),
            ("vlan", "vlan-id"),
            ("function", "function"),
        ] {
            if let Some(text) = asset.text(key) {
                props.push(Prop::oscal(name, text.to_owned()));
            }
        }
        if let Some(date) = asset.date("end_of_life") {
            props.push(Prop::poam("end-of-life", date.to_string()));
        }
        let scan_type = match asset.kind() {
            AssetKind::Infrastructure | AssetKind::Container => Some("infrastructure"),
            AssetKind::Database => Some("database"),
            AssetKind::Software => None,
        };
        if let Some(scan_type) = scan_type {
            props.push(Prop::fedramp("scan-type", scan_type.to_owned()));
        }
        let mut responsible_parties = Vec::new();
        for (key, role) in [
            ("system_owner", "asset-owner"),
            ("application_owner", "asset-administrator"),
        ] {
            let Some(name) = asset.text(key).and_then(line) else {
                continue;
            };
            let party = match self.input.people.and_then(|p| p.get(&name)) {
                Some(person) => self.person_party(&person.id.value),
                None => {
                    let uuid = self.uuid(&["party", "owner", &name]);
                    defs.owners
                        .entry(name.clone())
                        .or_insert_with(|| Party::named(uuid.clone(), "person", name));
                    uuid
                }
            };
            responsible_parties.push(ResponsibleParty {
                role_id: role.to_owned(),
                party_uuids: vec![party],
            });
        }
        let kind = asset.kind().as_str();
        InventoryItem {
            uuid: self.uuid(&["asset", &asset.id.value]),
            description: format!("{} ({kind} asset of the inventory).", asset.id.value),
            props,
            responsible_parties,
            remarks: asset.text("comments").map(str::to_owned),
        }
    }

    /// Adds the shared definitions `view` uses, as building its objects does.
    pub(super) fn register(&self, defs: &mut Definitions, view: &ItemView) {
        self.detector_actor(defs, view, false);
        self.subjects(defs, view);
        self.owner_actor(defs, view);
    }

    pub(super) fn observation(
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

    pub(super) fn risk(&self, defs: &mut Definitions, view: &ItemView, key: &str) -> Risk {
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

    pub(super) fn poam_item(&self, view: &ItemView, key: &str) -> PoamItem {
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

/// A document's place as an OSCAL `href` (a URI reference): an address as written, a
/// relative path with each step percent-encoded (`evidence/V-1/scan%20report.pdf`).
fn href_of(place: &str) -> String {
    if place.starts_with("https://") || place.starts_with("http://") {
        return place.to_owned();
    }
    const STEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    place
        .split('/')
        .map(|step| percent_encoding::utf8_percent_encode(step, STEP).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

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
