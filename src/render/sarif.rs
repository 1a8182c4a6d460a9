//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

use std::collections::HashMap;

use serde::Serialize;
use strum::IntoEnumIterator;

use crate::code::Code;
use crate::diag::Report;
use crate::diag::{Location, Severity};

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: HashMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// What stays as it is in a SARIF `uri`: RFC 3986's unreserved characters and the `/`
/// between segments. Everything else (spaces, `%`, `#`, `?`, `:`, non-ASCII as UTF-8 bytes)
/// is percent-encoded, so the path is one relative reference and reads back as the file.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

fn physical(location: &Location) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: percent_encoding::utf8_percent_encode(&location.file, URI_PATH).to_string(),
            uri_base_id: "%SRCROOT%",
        },
        region: Region {
            start_line: location.start.line,
            start_column: location.start.column,
            end_line: location.end.line,
            end_column: location.end.column,
        },
    }
}

/// `due-beyond-policy` → `DueBeyondPolicy`, SARIF's convention for rule names.
fn pascal_case(code: &str) -> String {
    code.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    let codes: Vec<Code> = Code::iter().collect();
    let rules = codes
        .iter()
        .map(|code| Rule {
            id: code.as_str(),
            name: pascal_case(code.as_str()),
            short_description: Text {
                text: code.summary().to_owned(),
            },
            full_description: Text {
                text: code.doc().to_owned(),
            },
            help_uri: code.help_uri(),
            default_configuration: Configuration {
                level: level(code.default_severity()),
            },
        })
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let results = report
        .diagnostics
        .iter()
        .map(|d| {
            let base = format!(
                "{}:{}",
                d.item.as_deref().unwrap_or(&d.location.file),
                d.code.as_str()
            );
            let count = seen.entry(base.clone()).or_insert(0);
            *count += 1;
            // Several findings of one code on one item stay distinct, in source order.
            let fingerprint = if *count == 1 {
                base
            } else {
                format!("{base}:{count}")
            };
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            SarifResult {
                rule_id: d.code.as_str(),
                rule_index: codes.iter().position(|c| *c == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text { text: message },
                locations: vec![SarifLocation {
                    id: None,
                    physical_location: physical(&d.location),
                    message: None,
                }],
                related_locations: d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(i, r)| SarifLocation {
                        id: Some(i + 1),
                        physical_location: physical(&r.location),
                        message: Some(Text {
                            text: r.message.clone(),
                        }),
                    })
                    .collect(),
                partial_fingerprints: HashMap::from([("poamItemCode/v1", fingerprint)]),
            }
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "poam",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://github.com/poam-dev/poam",
                    rules,
                },
            },
            results,
        }],
    };
    let mut text = serde_json::to_string_pretty(&log)?;
    text.push('\n');
    Ok(text)
}
