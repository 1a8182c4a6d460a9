//! Nessus `.nessus` (v2 XML), read as a stream of pull events: memory stays flat however
//! many hosts the file holds.
//!
//! - Every `ReportHost` is a scanned asset, findings or not. Hosts in the policy's TARGET
//!   list without a `ReportHost` did not answer: they are not scanned (a missing host is not
//!   a fix), so TARGET is not read. Its `host-ip`, `host-fqdn` and `netbios-name` tags are
//!   its other names (to find it in the inventory), its `Credentialed_Scan` tag whether the
//!   scan was authenticated.
//! - The scan date is the earliest `HOST_START_TIMESTAMP` (else `HOST_START`) of the hosts.
//! - Severity 0 is informational. So is an item without a CVSS score whose `risk_factor` is
//!   "None" or missing, outside compliance checks: 2009-era files (ruby-nessus' example) rate
//!   notes such as "Service Detection" severity 1 with risk factor None or none at all.
//! - Compliance checks (`cm:compliance-*` children, `<compliance>true</compliance>` or a
//!   "Compliance" plugin family) are configuration findings; their id is the check's own id
//!   (else its name), since one audit plugin id covers hundreds of distinct checks. A PASSED
//!   check is informational.

use chrono::NaiveDate;
use quick_xml::events::{BytesStart, Event};

use super::text::{ctime_date, cves_in, non_empty, score, unix_date};
use super::xml;
use super::{Finding, Scan, ScanError, ScanFormat};
use crate::model::item::Risk;

pub const ROOT: &str = "NessusClientData_v2";

/// The children of a `ReportItem` that are read; everything else (plugin output, see also,
/// references...) is skipped without copying.
const ITEM_FIELDS: &[&str] = &[
    "cve",
    "cvss3_base_score",
    "cvss_base_score",
    "description",
    "synopsis",
    "solution",
    "risk_factor",
    "plugin_name",
    "compliance",
    "compliance-check-name",
    "compliance-check-id",
    "compliance-result",
    "compliance-info",
    "compliance-solution",
];

#[derive(Default)]
struct Item {
    port: String,
    protocol: String,
    severity: String,
    plugin_id: String,
    plugin_name: String,
    plugin_family: String,
    fields: Vec<(&'static str, String)>,
}

impl Item {
    fn from_start(element: &BytesStart<'_>) -> Self {
        let attribute = |name| xml::attribute(element, name).unwrap_or_default();
        Self {
            port: attribute("port"),
            protocol: attribute("protocol"),
            severity: attribute("severity"),
            plugin_id: attribute("pluginID"),
            plugin_name: attribute("pluginName"),
            plugin_family: attribute("pluginFamily"),
            fields: Vec::new(),
        }
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }
}

#[derive(Default)]
struct Host {
    name: String,
    item_count: usize,
    start_timestamp: Option<NaiveDate>,
    start_text: Option<NaiveDate>,
    /// The host's other names (`host-ip`, `host-fqdn`, `netbios-name` tags).
    names: Vec<String>,
    /// The `Credentialed_Scan` tag: whether Nessus logged in to the host.
    credentialed: Option<bool>,
}

/// The host tags that are read; others can be large (`pd-*`).
const HOST_TAGS: &[&str] = &[
    "HOST_START",
    "HOST_START_TIMESTAMP",
    "Credentialed_Scan",
    "host-ip",
    "host-fqdn",
    "netbios-name",
];

/// Which text is being collected and into what.
enum Capture {
    None,
    HostTag(String),
    ItemField(&'static str),
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let bytes = super::text::without_bom(bytes);
    let mut scan = Scan::new(file, ScanFormat::Nessus);
    let mut reader = xml::reader(bytes);
    let mut saw_root = false;
    let mut host: Option<Host> = None;
    let mut item: Option<Item> = None;
    let mut capture = Capture::None;
    let mut text = String::new();
    let mut open_elements = 0usize;
    let mut host_dates: Vec<NaiveDate> = Vec::new();

    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(err) => return Err(xml::error(file, bytes, &reader, &err)),
        };
        match &event {
            Event::Start(_) => open_elements += 1,
            Event::End(_) => open_elements = open_elements.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Start(element) | Event::Empty(element)
                if !saw_root && matches!(capture, Capture::None) =>
            {
                let name = xml::local_name(&element);
                if name != ROOT {
                    return Err(ScanError::new(
                        file,
                        xml::position(bytes, reader.buffer_position()),
                        format!(
                            "the root element is <{name}>, not <{ROOT}>: not a .nessus v2 file"
                        ),
                    ));
                }
                saw_root = true;
            }
            Event::Start(element) => {
                let name = element.local_name();
                match name.as_ref() {
                    "ReportHost" => {
                        let name = xml::attribute(&element, "name").unwrap_or_default();
                        host = Some(Host {
                            name,
                            ..Host::default()
                        });
                    }
                    "tag" if host.is_some() && item.is_none() => {
                        let name = xml::attribute(&element, "name").unwrap_or_default();
                        if HOST_TAGS.contains(&name.as_str()) {
                            capture = Capture::HostTag(name);
                            text.clear();
                        }
                    }
                    "ReportItem" if host.is_some() => {
                        item = Some(Item::from_start(&element));
                    }
                    field if item.is_some() => {
                        if let Some(known) = ITEM_FIELDS.iter().find(|f| **f == field) {
                            capture = Capture::ItemField(known);
                            text.clear();
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(element) => {
                if element.local_name().as_ref() == "ReportItem" {
                    if let Some(host) = host.as_mut() {
                        let empty = Item::from_start(&element);
                        finish_item(&mut scan, host, empty);
                    }
                }
            }
            Event::Text(content) => {
                if !matches!(capture, Capture::None) {
                    text.push_str(&content.xml10_content());
                }
            }
            Event::CData(content) => {
                if !matches!(capture, Capture::None) {
                    text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                if !matches!(capture, Capture::None) {
                    xml::push_reference(&mut text, &reference);
                }
            }
            Event::End(element) => match element.local_name().as_ref() {
                "ReportHost" => {
                    if let Some(host) = host.take() {
                        if let Some(date) = host.start_timestamp.or(host.start_text) {
                            host_dates.push(date);
                        }
                        scan.note_target(
                            &host.name,
                            host.names.iter().map(String::as_str),
                            host.credentialed,
                        );
                        scan.assets_scanned.push(host.name);
                    }
                }
                "ReportItem" => {
                    if let (Some(host), Some(done)) = (host.as_mut(), item.take()) {
                        finish_item(&mut scan, host, done);
                    }
                }
                "tag" => {
                    if let (Capture::HostTag(name), Some(host)) = (&capture, host.as_mut()) {
                        match name.as_str() {
                            "HOST_START_TIMESTAMP" => host.start_timestamp = unix_date(&text),
                            "HOST_START" => host.start_text = ctime_date(&text),
                            "Credentialed_Scan" => {
                                host.credentialed = match text.trim() {
                                    t if t.eq_ignore_ascii_case("true") => Some(true),
                                    t if t.eq_ignore_ascii_case("false") => Some(false),
                                    _ => None,
                                }
                            }
                            _ => host.names.push(text.clone()),
                        }
                    }
                    capture = Capture::None;
                }
                name => {
                    if let (Capture::ItemField(field), Some(item)) = (&capture, item.as_mut()) {
                        if *field == name {
                            item.fields.push((field, std::mem::take(&mut text)));
                            capture = Capture::None;
                        }
                    }
                }
            },
            Event::Eof if open_elements > 0 => return Err(xml::truncated(file)),
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !saw_root {
        return Err(xml::missing_root(file, ROOT, "a .nessus v2 file"));
    }
    scan.scanned_at = host_dates.into_iter().min();
    Ok(scan)
}

fn finish_item(scan: &mut Scan, host: &mut Host, item: Item) {
    host.item_count += 1;
    let location = format!("ReportHost {}, ReportItem {}", host.name, host.item_count);
    let severity = match item.severity.trim().parse::<u8>() {
        Ok(severity) if severity <= 4 => severity,
        _ => {
            scan.problem(
                location,
                format!(
                    "severity `{}` is not a Nessus severity (0 to 4)",
                    item.severity
                ),
            );
            return;
        }
    };
    if item.plugin_id.trim().is_empty() {
        scan.problem(location, "ReportItem without a pluginID");
        return;
    }
    let configuration = item.field("compliance") == Some("true")
        || item.field("compliance-check-name").is_some()
        || item.field("compliance-result").is_some()
        || item.plugin_family.contains("Compliance");
    let risk_factor = item.field("risk_factor");
    let cvss3 = item.field("cvss3_base_score").and_then(score);
    let cvss2 = item.field("cvss_base_score").and_then(score);
    let informational = severity == 0
        || (configuration
            && item
                .field("compliance-result")
                .is_some_and(|r| r.eq_ignore_ascii_case("PASSED")))
        || (!configuration
            && cvss3.is_none()
            && cvss2.is_none()
            && risk_factor.is_none_or(|r| r.eq_ignore_ascii_case("none")));

    let (detector_id, title, description, solution) = if configuration {
        let check_name = item.field("compliance-check-name");
        (
            item.field("compliance-check-id")
                .or(check_name)
                .unwrap_or(item.plugin_id.trim())
                .to_owned(),
            check_name.unwrap_or(item.plugin_name.trim()).to_owned(),
            item.field("compliance-info")
                .or(item.field("description"))
                .unwrap_or_default()
                .to_owned(),
            item.field("compliance-solution").or(item.field("solution")),
        )
    } else {
        let title = if item.plugin_name.trim().is_empty() {
            item.field("plugin_name").unwrap_or_default()
        } else {
            item.plugin_name.trim()
        };
        (
            item.plugin_id.trim().to_owned(),
            title.to_owned(),
            item.field("description")
                .or(item.field("synopsis"))
                .unwrap_or_default()
                .to_owned(),
            item.field("solution"),
        )
    };
    let cves = item
        .fields
        .iter()
        .filter(|(name, _)| *name == "cve")
        .flat_map(|(_, value)| cves_in(value))
        .collect();
    scan.findings.push(Finding {
        detector: "Nessus".to_owned(),
        detector_id,
        title,
        description,
        solution: solution
            .filter(|s| !s.eq_ignore_ascii_case("n/a"))
            .and_then(non_empty),
        asset: super::text::network_asset(&host.name, &item.port, &item.protocol),
        cves: super::text::sort_unique(cves),
        cvss3,
        cvss2,
        scanner_severity: risk_factor
            .unwrap_or(SEVERITY_NAMES[usize::from(severity)])
            .to_owned(),
        scanner_risk: severity_risk(severity),
        informational,
        configuration,
        location,
        ..Finding::default()
    });
}

const SEVERITY_NAMES: [&str; 5] = ["Info", "Low", "Medium", "High", "Critical"];

fn severity_risk(severity: u8) -> Option<Risk> {
    match severity {
        1 => Some(Risk::Low),
        2 => Some(Risk::Moderate),
        3 => Some(Risk::High),
        4 => Some(Risk::Critical),
        _ => None,
    }
}
