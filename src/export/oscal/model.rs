//! The OSCAL shapes poam fills, in OSCAL's key order: serialising a [`Document`] with
//! `serde_json`'s pretty printer gives the exported bytes.

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::{FEDRAMP_NS, POAM_NS};

#[derive(Debug, Serialize)]
pub struct Document {
    #[serde(rename = "plan-of-action-and-milestones")]
    pub poam: Poam,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Poam {
    pub(super) uuid: String,
    pub(super) metadata: Metadata,
    pub(super) import_ssp: ImportSsp,
    pub(super) system_id: SystemId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) local_definitions: Option<LocalDefinitions>,
    #[serde(skip_serializing_if = "Streamed::is_empty")]
    pub(super) observations: Streamed<Observation>,
    #[serde(skip_serializing_if = "Streamed::is_empty")]
    pub(super) risks: Streamed<Risk>,
    pub(super) poam_items: Streamed<PoamItem>,
    pub(super) back_matter: BackMatter,
}

/// One of the document's large arrays (an element or more per item). Whole, it serialises as
/// its elements; in the streaming writer's skeleton it holds only its leading elements and a
/// marker, and the writer streams the items' elements into the marker's place.
#[derive(Debug)]
pub(super) struct Streamed<T> {
    pub(super) elements: Vec<T>,
    pub(super) marker: Option<&'static str>,
}

impl<T> Streamed<T> {
    pub(super) fn whole(elements: Vec<T>) -> Streamed<T> {
        Streamed {
            elements,
            marker: None,
        }
    }

    /// No elements yet: only the place the elements `marker` stands for go.
    pub(super) fn marked(marker: &'static str) -> Streamed<T> {
        Streamed {
            elements: Vec::new(),
            marker: Some(marker),
        }
    }

    fn is_empty(&self) -> bool {
        self.elements.is_empty() && self.marker.is_none()
    }
}

/// The elements, then the marker as one more (string) element.
impl<T: Serialize> Serialize for Streamed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let length = self.elements.len() + usize::from(self.marker.is_some());
        let mut seq = serializer.serialize_seq(Some(length))?;
        for element in &self.elements {
            seq.serialize_element(element)?;
        }
        if let Some(marker) = self.marker {
            seq.serialize_element(marker)?;
        }
        seq.end()
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Metadata {
    pub(super) title: String,
    pub(super) last_modified: String,
    pub(super) version: String,
    pub(super) oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    pub(super) roles: Vec<Role>,
    pub(super) parties: Vec<Party>,
    pub(super) responsible_parties: Vec<ResponsibleParty>,
}

#[derive(Debug, Serialize)]
pub(super) struct Role {
    pub(super) id: String,
    pub(super) title: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Party {
    pub(super) uuid: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) short_name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) email_addresses: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) telephone_numbers: Vec<Telephone>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) member_of_organizations: Vec<String>,
}

impl Party {
    pub(super) fn named(uuid: String, kind: &'static str, name: String) -> Party {
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
pub(super) struct Telephone {
    pub(super) number: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct ResponsibleParty {
    pub(super) role_id: String,
    pub(super) party_uuids: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(super) struct ImportSsp {
    pub(super) href: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct SystemId {
    pub(super) identifier_type: &'static str,
    pub(super) id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct LocalDefinitions {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) components: Vec<Component>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) inventory_items: Vec<InventoryItem>,
}

#[derive(Debug, Serialize)]
pub(super) struct Component {
    pub(super) uuid: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) status: ComponentStatus,
}

#[derive(Debug, Serialize)]
pub(super) struct ComponentStatus {
    pub(super) state: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct InventoryItem {
    pub(super) uuid: String,
    pub(super) description: String,
    pub(super) props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) responsible_parties: Vec<ResponsibleParty>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) remarks: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub(super) struct Prop {
    pub(super) name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) ns: Option<&'static str>,
    pub(super) value: String,
}

impl Prop {
    pub(super) fn oscal(name: &'static str, value: String) -> Prop {
        Prop {
            name,
            ns: None,
            value,
        }
    }

    pub(super) fn fedramp(name: &'static str, value: String) -> Prop {
        Prop {
            name,
            ns: Some(FEDRAMP_NS),
            value,
        }
    }

    pub(super) fn poam(name: &'static str, value: String) -> Prop {
        Prop {
            name,
            ns: Some(POAM_NS),
            value,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Observation {
    pub(super) uuid: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) methods: Vec<&'static str>,
    pub(super) types: Vec<&'static str>,
    pub(super) origins: Vec<Origin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) subjects: Vec<Subject>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) relevant_evidence: Vec<Evidence>,
    pub(super) collected: String,
}

#[derive(Clone, Debug, Serialize)]
pub(super) struct Origin {
    pub(super) actors: Vec<Actor>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Actor {
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) actor_uuid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Subject {
    pub(super) subject_uuid: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) title: String,
}

#[derive(Debug, Serialize)]
pub(super) struct Evidence {
    pub(super) href: String,
    pub(super) description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Risk {
    pub(super) uuid: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) statement: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    pub(super) status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) characterizations: Vec<Characterization>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) mitigating_factors: Vec<MitigatingFactor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) deadline: Option<String>,
    pub(super) remediations: Vec<Response>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) risk_log: Option<RiskLog>,
}

#[derive(Debug, Serialize)]
pub(super) struct Characterization {
    pub(super) origin: Origin,
    pub(super) facets: Vec<Facet>,
}

#[derive(Debug, Serialize)]
pub(super) struct Facet {
    pub(super) name: &'static str,
    pub(super) system: &'static str,
    pub(super) value: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
}

#[derive(Debug, Serialize)]
pub(super) struct MitigatingFactor {
    pub(super) uuid: String,
    pub(super) description: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Response {
    pub(super) uuid: String,
    pub(super) lifecycle: &'static str,
    pub(super) title: &'static str,
    pub(super) description: String,
    pub(super) origins: Vec<Origin>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) required_assets: Vec<RequiredAsset>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) tasks: Vec<Task>,
}

#[derive(Debug, Serialize)]
pub(super) struct RequiredAsset {
    pub(super) uuid: String,
    pub(super) description: String,
}

#[derive(Debug, Serialize)]
pub(super) struct Task {
    pub(super) uuid: String,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    pub(super) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    pub(super) timing: Timing,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct Timing {
    pub(super) on_date: OnDate,
}

#[derive(Debug, Serialize)]
pub(super) struct OnDate {
    pub(super) date: String,
}

#[derive(Debug, Serialize)]
pub(super) struct RiskLog {
    pub(super) entries: Vec<LogEntry>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct LogEntry {
    pub(super) uuid: String,
    pub(super) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    pub(super) start: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) props: Vec<Prop>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) status_change: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) related_responses: Vec<RelatedResponse>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedResponse {
    pub(super) response_uuid: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) related_tasks: Vec<RelatedTask>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedTask {
    pub(super) task_uuid: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct PoamItem {
    pub(super) uuid: String,
    pub(super) title: String,
    pub(super) description: String,
    pub(super) props: Vec<Prop>,
    pub(super) related_observations: Vec<RelatedObservation>,
    pub(super) related_risks: Vec<RelatedRisk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedObservation {
    pub(super) observation_uuid: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(super) struct RelatedRisk {
    pub(super) risk_uuid: String,
}

#[derive(Debug, Serialize)]
pub(super) struct BackMatter {
    pub(super) resources: Streamed<Resource>,
}

#[derive(Debug, Serialize)]
pub(super) struct Resource {
    pub(super) uuid: String,
    pub(super) title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    pub(super) props: Vec<Prop>,
    /// Where the document is (its `path` or `url`), with its SHA-256 when recorded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) rlinks: Vec<Rlink>,
}

#[derive(Debug, Serialize)]
pub(super) struct Rlink {
    pub(super) href: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) hashes: Vec<Hash>,
}

#[derive(Debug, Serialize)]
pub(super) struct Hash {
    pub(super) algorithm: &'static str,
    pub(super) value: String,
}
