//! OWASP ZAP reports: the traditional JSON and the XML report (`OWASPZAPReport`).
//!
//! - The asset is the site in FedRAMP's form `host (port/TCP)`, like a network finding: a
//!   web finding on a host lines up with that host in the inventory. The alert's URIs
//!   (sorted, unique) are listed at the end of the description, not as assets, so a
//!   re-scan that crawls other pages does not add or drop assets.
//! - Every site of the report is a scanned asset, alerts or not.
//! - The id is the plugin id; `riskcode` 0 is informational, 1 low, 2 moderate, 3 high.
//!   ZAP writes one alert per (plugin, risk): the same plugin at two risks is one item.
//! - The scan date is the report's `generated` stamp.

use quick_xml::events::Event;
use serde::Deserialize;
use serde_json::Value;

use super::json::{self, or_default, text_of};
use super::text::{html_to_text, non_empty, rfc2822ish_date};
use super::xml;
use super::{Finding, Scan, ScanError, ScanFormat};
use crate::model::item::Risk;

pub const XML_ROOT: &str = "OWASPZAPReport";

/// At most this many URIs are listed in a description; the rest are counted.
const MAX_LISTED_URIS: usize = 20;

/// One site as both report forms give it.
#[derive(Default)]
struct Site {
    host: String,
    port: String,
}

impl Site {
    fn asset(&self) -> String {
        if self.port.is_empty() {
            self.host.clone()
        } else {
            format!("{} ({}/TCP)", self.host, self.port)
        }
    }
}

/// One alert as both report forms give it.
#[derive(Default)]
struct Alert {
    plugin_id: String,
    name: String,
    riskcode: String,
    riskdesc: String,
    desc: String,
    solution: String,
    uris: Vec<String>,
}

fn finding(site: &Site, alert: Alert, location: String) -> Result<Finding, String> {
    let plugin_id = non_empty(&alert.plugin_id).ok_or("no pluginid")?;
    let (scanner_risk, informational) = match alert.riskcode.trim() {
        "0" => (None, true),
        "1" => (Some(Risk::Low), false),
        "2" => (Some(Risk::Moderate), false),
        "3" => (Some(Risk::High), false),
        other => return Err(format!("riskcode `{other}` is not a ZAP risk (0 to 3)")),
    };
    let mut uris = alert.uris;
    uris.sort();
    uris.dedup();
    let mut description = html_to_text(&alert.desc);
    if !uris.is_empty() {
        description.push_str("\n\nURIs:");
        for uri in uris.iter().take(MAX_LISTED_URIS) {
            description.push_str("\n- ");
            description.push_str(uri);
        }
        if uris.len() > MAX_LISTED_URIS {
            description.push_str(&format!("\n- and {} more", uris.len() - MAX_LISTED_URIS));
        }
    }
    // "Medium (High)": the risk word, then ZAP's confidence.
    let severity = alert
        .riskdesc
        .split(" (")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    Ok(Finding {
        detector: "OWASP ZAP".to_owned(),
        detector_id: plugin_id,
        title: alert.name.trim().to_owned(),
        description,
        solution: non_empty(&html_to_text(&alert.solution)),
        asset: site.asset(),
        scanner_severity: severity,
        scanner_risk,
        informational,
        location,
        ..Finding::default()
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonReport {
    #[serde(rename = "@generated")]
    generated: Option<String>,
    /// A list of sites; some ZAP versions write a single site as an object.
    site: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonSite {
    #[serde(rename = "@name")]
    name: Option<String>,
    #[serde(rename = "@host")]
    host: Option<String>,
    #[serde(rename = "@port")]
    port: Option<Value>,
    #[serde(deserialize_with = "or_default")]
    alerts: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonAlert {
    pluginid: Option<Value>,
    name: Option<String>,
    alert: Option<String>,
    riskcode: Option<Value>,
    riskdesc: Option<String>,
    desc: Option<String>,
    solution: Option<String>,
    #[serde(deserialize_with = "or_default")]
    instances: Vec<JsonInstance>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct JsonInstance {
    uri: Option<String>,
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let first = super::text::without_bom(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'<') {
        parse_xml(file, bytes)
    } else {
        parse_json(file, bytes)
    }
}

fn parse_json(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let report: JsonReport = json::document(file, bytes, "ZAP")?;
    let mut scan = Scan::new(file, ScanFormat::Zap);
    scan.scanned_at = report.generated.as_deref().and_then(rfc2822ish_date);
    let sites = match report.site {
        Some(Value::Array(sites)) => sites,
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    };
    let sites: Vec<(usize, JsonSite)> = json::elements(&mut scan, sites, |i| format!("site[{i}]"));
    for (site_index, site) in sites {
        let host = site
            .host
            .as_deref()
            .and_then(non_empty)
            .or_else(|| site.name.as_deref().and_then(non_empty));
        let Some(host) = host else {
            scan.problem(format!("site[{site_index}]"), "site without @host or @name");
            continue;
        };
        let site_info = Site {
            host,
            port: site.port.as_ref().and_then(text_of).unwrap_or_default(),
        };
        scan.assets_scanned.push(site_info.asset());
        let alerts: Vec<(usize, JsonAlert)> = json::elements(&mut scan, site.alerts, |i| {
            format!("site[{site_index}].alerts[{i}]")
        });
        for (index, alert) in alerts {
            let location = format!("site[{site_index}].alerts[{index}]");
            let alert = Alert {
                plugin_id: alert
                    .pluginid
                    .as_ref()
                    .and_then(text_of)
                    .unwrap_or_default(),
                name: alert.name.or(alert.alert).unwrap_or_default(),
                riskcode: alert
                    .riskcode
                    .as_ref()
                    .and_then(text_of)
                    .unwrap_or_default(),
                riskdesc: alert.riskdesc.unwrap_or_default(),
                desc: alert.desc.unwrap_or_default(),
                solution: alert.solution.unwrap_or_default(),
                uris: alert.instances.into_iter().filter_map(|i| i.uri).collect(),
            };
            match finding(&site_info, alert, location.clone()) {
                Ok(finding) => scan.findings.push(finding),
                Err(reason) => scan.problem(location, reason),
            }
        }
    }
    Ok(scan)
}

/// Which alert child's text is being collected.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    PluginId,
    Name,
    Alert,
    RiskCode,
    RiskDesc,
    Desc,
    Solution,
    Uri,
}

impl Field {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "pluginid" => Self::PluginId,
            "name" => Self::Name,
            "alert" => Self::Alert,
            "riskcode" => Self::RiskCode,
            "riskdesc" => Self::RiskDesc,
            "desc" => Self::Desc,
            "solution" => Self::Solution,
            "uri" => Self::Uri,
            _ => return None,
        })
    }
}

fn parse_xml(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let bytes = super::text::without_bom(bytes);
    let mut scan = Scan::new(file, ScanFormat::Zap);
    let mut reader = xml::reader(bytes);
    let mut saw_root = false;
    let mut site: Option<Site> = None;
    let mut site_count = 0usize;
    let mut alert_count = 0usize;
    let mut alert: Option<(Alert, String)> = None;
    let mut capture: Option<Field> = None;
    let mut text = String::new();
    let mut open_elements = 0usize;

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
            Event::Start(element) | Event::Empty(element) if !saw_root => {
                let name = xml::local_name(&element);
                if name != XML_ROOT {
                    return Err(ScanError::new(
                        file,
                        xml::position(bytes, reader.buffer_position()),
                        format!(
                            "the root element is <{name}>, not <{XML_ROOT}>: not a ZAP XML report"
                        ),
                    ));
                }
                scan.scanned_at = xml::attribute(&element, "generated")
                    .as_deref()
                    .and_then(rfc2822ish_date);
                saw_root = true;
            }
            Event::Start(element) => match element.local_name().as_ref() {
                "site" => {
                    site_count += 1;
                    alert_count = 0;
                    let found = site_from(&element);
                    if found.host.is_empty() {
                        scan.problem(
                            format!("site {site_count}"),
                            "site without a host or name attribute: its alerts are skipped",
                        );
                        site = None;
                    } else {
                        site = Some(found);
                    }
                }
                "alertitem" if site.is_some() => {
                    alert_count += 1;
                    let location = format!("site {site_count}, alertitem {alert_count}");
                    alert = Some((Alert::default(), location));
                }
                name if alert.is_some() => {
                    capture = Field::of(name);
                    text.clear();
                }
                _ => {}
            },
            Event::Empty(element) => {
                if element.local_name().as_ref() == "site" {
                    site_count += 1;
                    let found = site_from(&element);
                    if !found.host.is_empty() {
                        scan.assets_scanned.push(found.asset());
                    }
                }
            }
            Event::Text(content) => {
                if capture.is_some() {
                    text.push_str(&content.xml10_content());
                }
            }
            Event::CData(content) => {
                if capture.is_some() {
                    text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                if capture.is_some() {
                    xml::push_reference(&mut text, &reference);
                }
            }
            Event::End(element) => match element.local_name().as_ref() {
                "site" => {
                    if let Some(done) = site.take() {
                        scan.assets_scanned.push(done.asset());
                    }
                }
                "alertitem" => {
                    if let (Some(site), Some((done, location))) = (site.as_ref(), alert.take()) {
                        match finding(site, done, location.clone()) {
                            Ok(finding) => scan.findings.push(finding),
                            Err(reason) => scan.problem(location, reason),
                        }
                    }
                }
                name => {
                    if let (Some(field), Some((current, _))) = (capture, alert.as_mut()) {
                        if Field::of(name) == Some(field) {
                            let value = std::mem::take(&mut text);
                            match field {
                                Field::PluginId => current.plugin_id = value,
                                Field::Name => current.name = value,
                                Field::Alert if current.name.is_empty() => current.name = value,
                                Field::Alert => {}
                                Field::RiskCode => current.riskcode = value,
                                Field::RiskDesc => current.riskdesc = value,
                                Field::Desc => current.desc = value,
                                Field::Solution => current.solution = value,
                                Field::Uri => current.uris.push(value.trim().to_owned()),
                            }
                            capture = None;
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
        return Err(xml::missing_root(file, XML_ROOT, "a ZAP XML report"));
    }
    Ok(scan)
}

fn site_from(element: &quick_xml::events::BytesStart<'_>) -> Site {
    let host = xml::attribute(element, "host")
        .or_else(|| xml::attribute(element, "name"))
        .unwrap_or_default();
    Site {
        host,
        port: xml::attribute(element, "port").unwrap_or_default(),
    }
}
