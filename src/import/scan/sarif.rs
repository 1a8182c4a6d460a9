//! SARIF 2.1.0 from any tool (Trivy, Grype, Semgrep, CodeQL...).
//!
//! - The detector is the run's `tool.driver.name`, the id the result's rule id (`ruleId`,
//!   `rule.id`, or the id of the rule at `ruleIndex`). Tools choose their rule ids: Grype's
//!   are `<vulnerability>-<package>`, so its items are per package.
//! - The asset is the first location's file (`artifactLocation.uri`); every file the run
//!   lists in `artifacts` or names in a result counts as scanned.
//! - Risk: the rule's CVSS scores when the tool writes them (Trivy's `cvssv3_baseScore`,
//!   `cvssv2_score`), else `security-severity` (a 0-10 score or a word), else the level:
//!   error high, warning moderate, note low; level "none" and results whose `kind` is not
//!   "fail" are informational.
//! - The scan date is the earliest invocation start.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::json::{self, or_default, text_of};
use super::text::{cves_in, iso_date, json_score, non_empty, sort_unique};
use super::{risk_from_score, risk_from_word, Finding, Scan, ScanError, ScanFormat};
use crate::model::item::Risk;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Log {
    #[serde(deserialize_with = "or_default")]
    runs: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Run {
    tool: Tool,
    #[serde(deserialize_with = "or_default")]
    results: Vec<Value>,
    #[serde(deserialize_with = "or_default")]
    artifacts: Vec<Artifact>,
    #[serde(deserialize_with = "or_default")]
    invocations: Vec<Invocation>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tool {
    driver: Driver,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Driver {
    name: Option<String>,
    #[serde(deserialize_with = "or_default")]
    rules: Vec<Rule>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Rule {
    id: Option<String>,
    name: Option<String>,
    short_description: Option<Message>,
    full_description: Option<Message>,
    default_configuration: Option<Configuration>,
    #[serde(deserialize_with = "or_default")]
    properties: Map<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Message {
    text: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Configuration {
    level: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct SarifResult {
    rule_id: Option<String>,
    rule_index: Option<usize>,
    rule: Option<RuleReference>,
    level: Option<String>,
    kind: Option<String>,
    message: Option<Message>,
    #[serde(deserialize_with = "or_default")]
    locations: Vec<Location>,
    #[serde(deserialize_with = "or_default")]
    properties: Map<String, Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RuleReference {
    id: Option<String>,
    index: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Location {
    physical_location: Option<PhysicalLocation>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: Option<ArtifactLocation>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ArtifactLocation {
    uri: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Artifact {
    location: Option<ArtifactLocation>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Invocation {
    start_time_utc: Option<String>,
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let log: Log = json::document(file, bytes, "SARIF")?;
    let mut scan = Scan::new(file, ScanFormat::Sarif);
    let runs: Vec<(usize, Run)> = json::elements(&mut scan, log.runs, |i| format!("runs[{i}]"));
    let mut dates = Vec::new();
    for (run_index, run) in runs {
        dates.extend(
            run.invocations
                .iter()
                .filter_map(|i| i.start_time_utc.as_deref().and_then(iso_date)),
        );
        scan.assets_scanned.extend(
            run.artifacts
                .iter()
                .filter_map(|a| a.location.as_ref()?.uri.as_deref().and_then(non_empty)),
        );
        let detector = run
            .tool
            .driver
            .name
            .as_deref()
            .and_then(non_empty)
            .unwrap_or_else(|| "SARIF".to_owned());
        let rules = &run.tool.driver.rules;
        let results: Vec<(usize, SarifResult)> = json::elements(&mut scan, run.results, |i| {
            format!("runs[{run_index}].results[{i}]")
        });
        for (index, result) in results {
            let location = format!("runs[{run_index}].results[{index}]");
            match finding(&detector, rules, result, location.clone()) {
                Ok(finding) => {
                    scan.assets_scanned.push(finding.asset.clone());
                    scan.findings.push(finding);
                }
                Err(reason) => scan.problem(location, reason),
            }
        }
    }
    scan.scanned_at = dates.into_iter().min();
    Ok(scan)
}

fn finding(
    detector: &str,
    rules: &[Rule],
    result: SarifResult,
    location: String,
) -> Result<Finding, String> {
    let index = result
        .rule_index
        .or_else(|| result.rule.as_ref().and_then(|r| r.index));
    let rule_id = result
        .rule_id
        .as_deref()
        .and_then(non_empty)
        .or_else(|| result.rule.as_ref()?.id.as_deref().and_then(non_empty))
        .or_else(|| rules.get(index?)?.id.as_deref().and_then(non_empty))
        .ok_or("no rule id (ruleId, rule.id or a ruleIndex into the tool's rules)")?;
    let rule = index
        .and_then(|i| rules.get(i))
        .filter(|r| r.id.as_deref() == Some(rule_id.as_str()))
        .or_else(|| {
            rules
                .iter()
                .find(|r| r.id.as_deref() == Some(rule_id.as_str()))
        });
    let asset = result
        .locations
        .iter()
        .find_map(|l| {
            l.physical_location
                .as_ref()?
                .artifact_location
                .as_ref()?
                .uri
                .as_deref()
                .and_then(non_empty)
        })
        .ok_or("no location with a file (physicalLocation.artifactLocation.uri)")?;
    let property = |name: &str| {
        result
            .properties
            .get(name)
            .or_else(|| rule.and_then(|r| r.properties.get(name)))
    };
    let level = result
        .level
        .as_deref()
        .or_else(|| rule?.default_configuration.as_ref()?.level.as_deref())
        .unwrap_or("warning")
        .to_owned();
    let security_severity = property("security-severity");
    let scanner_risk = security_severity
        .and_then(|value| match value {
            Value::String(word) => risk_from_word(word),
            _ => None,
        })
        .or_else(|| {
            security_severity
                .and_then(json_score)
                .and_then(risk_from_score)
        })
        .or_else(|| level_risk(&level));
    let not_a_failure = result
        .kind
        .as_deref()
        .is_some_and(|kind| !kind.eq_ignore_ascii_case("fail"));
    let text = |m: &Option<Message>| m.as_ref()?.text.as_deref().and_then(non_empty);
    Ok(Finding {
        detector: detector.to_owned(),
        title: rule
            .and_then(|r| text(&r.short_description).or_else(|| r.name.clone()))
            .unwrap_or_else(|| rule_id.clone()),
        description: rule
            .and_then(|r| text(&r.full_description))
            .or_else(|| text(&result.message))
            .unwrap_or_default(),
        asset,
        cves: sort_unique(cves_in(&rule_id)),
        cvss3: property("cvssv3_baseScore").and_then(json_score),
        cvss2: property("cvssv2_score").and_then(json_score),
        scanner_severity: security_severity
            .and_then(text_of)
            .unwrap_or_else(|| level.clone()),
        scanner_risk,
        informational: level == "none" || not_a_failure,
        location,
        detector_id: rule_id,
        ..Finding::default()
    })
}

fn level_risk(level: &str) -> Option<Risk> {
    match level {
        "error" => Some(Risk::High),
        "warning" => Some(Risk::Moderate),
        "note" => Some(Risk::Low),
        _ => None,
    }
}
