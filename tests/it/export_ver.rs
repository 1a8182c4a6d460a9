//! `poam export ver`: the three FedRAMP VER documents, valid against FedRAMP's schemas
//! (registered under their `$id`s, nothing fetched), deterministic, and refused without the
//! profile.

use std::collections::HashMap;
use std::path::Path;

use jsonschema::{Retrieve, Uri};
use serde_json::Value;

use crate::common::{copy_fixture, fixtures, poam, TODAY};

/// Serves FedRAMP's schemas from `tests/fixtures/fedramp-2026/schemas/` by `$id`; any other
/// URI is an error, so a test can never reach the network.
struct LocalSchemas(HashMap<String, Value>);

impl LocalSchemas {
    fn load() -> LocalSchemas {
        let dir = fixtures().join("fedramp-2026/schemas");
        let mut schemas = HashMap::new();
        for entry in std::fs::read_dir(dir).expect("schemas") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("read");
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            let id = schema["$id"].as_str().expect("$id").to_owned();
            schemas.insert(id, schema);
        }
        LocalSchemas(schemas)
    }

    fn get(&self, file: &str) -> Value {
        self.0[&format!("https://fedramp.gov/schemas/{file}")].clone()
    }
}

impl Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .get(uri.as_str())
            .cloned()
            .ok_or_else(|| format!("schema {} is not stored locally", uri.as_str()).into())
    }
}

fn validate(schema_file: &str, document: &Value) -> Vec<String> {
    let schemas = LocalSchemas::load();
    let schema = schemas.get(schema_file);
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(schemas)
        .build(&schema)
        .expect("schema compiles offline");
    validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn export(repo: &Path, out: &Path) -> std::process::Output {
    poam()
        .args([
            "export", "ver", "--period", "2026-11", "--today", TODAY, "-o",
        ])
        .arg(out)
        .arg("-C")
        .arg(repo)
        .output()
        .expect("run poam")
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

const FILES: [(&str, &str); 3] = [
    (
        "vulnerability-detail-report.json",
        "fedramp-vulnerability-detail-report-schema-2026-06-24.json",
    ),
    (
        "accepted-vulnerability-info.json",
        "fedramp-accepted-vulnerability-info-schema-2026-06-24.json",
    ),
    (
        "historical-ver-activity.json",
        "fedramp-historical-ver-activity-schema-2026-06-24.json",
    ),
];

#[test]
fn reports_are_valid_against_fedramps_schemas_and_deterministic() {
    let repo = copy_fixture("export/ver");
    let out = tempfile::tempdir().expect("temp");
    let first = export(repo.path(), &out.path().join("a"));
    assert!(first.status.success(), "{first:?}");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains("poams/V-6.yaml left out of the reports: no detector"),
        "{stderr}"
    );
    let second = export(repo.path(), &out.path().join("b"));
    assert!(second.status.success());
    for (file, schema) in FILES {
        let a = std::fs::read(out.path().join("a").join(file)).expect("a");
        let b = std::fs::read(out.path().join("b").join(file)).expect("b");
        assert_eq!(a, b, "{file} differs between two runs");
        let document = read(&out.path().join("a").join(file));
        let errors = validate(schema, &document);
        assert!(errors.is_empty(), "{file}: {errors:#?}");
        insta::assert_json_snapshot!(format!("ver-{file}"), document);
    }
    let markdown = std::fs::read_to_string(out.path().join("a/vdr-report.md")).expect("md");
    assert_eq!(
        markdown,
        std::fs::read_to_string(out.path().join("b/vdr-report.md")).expect("md b")
    );
    insta::assert_snapshot!("ver-vdr-report-md", markdown);
}

#[test]
fn the_schemas_reject_what_they_should() {
    // The validator really checks: a bare date and a missing explanation fail.
    let document = serde_json::json!({
        "certificationPackageOverviewUri": "https://example.com/p",
        "reportPeriod": {"from": "2026-11-01", "to": "2026-12-01T00:00:00Z"},
        "vulnerabilities": [{
            "providerTrackingId": "V-1",
            "detection": {"detectedAt": "2026-11-01T00:00:00Z", "detectionSource": "x"},
            "vulnerabilityDescription": "d",
            "overdueStatus": {"isOverdue": true},
            "currentRating": 6
        }]
    });
    let errors = validate(FILES[0].1, &document);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn export_needs_the_cr26_profile_a_uri_and_a_month() {
    let out = tempfile::tempdir().expect("temp");
    let rev5 = copy_fixture("rules/overdue/near-miss");
    let result = export(rev5.path(), out.path());
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("needs `profile: fedramp-cr26`"));

    let repo = copy_fixture("export/ver");
    let config = repo.path().join("poam.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(
        &config,
        text.replace(
            "  package_overview_uri: https://example.com/fedramp/package-overview\n",
            "",
        ),
    )
    .expect("write");
    let result = export(repo.path(), out.path());
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("package_overview_uri"));

    let result = poam()
        .args(["export", "ver", "--period", "2026-13", "-o"])
        .arg(out.path())
        .arg("-C")
        .arg(repo.path())
        .output()
        .expect("run");
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("is not a month"));
    assert!(std::fs::read_dir(out.path()).expect("dir").next().is_none());
}
