//! SARIF output validates against the official SARIF 2.1.0 schema.

use std::fs;

use crate::common::{fixtures, lint, repo_with, valid_item};

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    // Same id twice: related locations are rendered too.
    let dir = repo_with(&[
        ("V-2.yaml", valid_item("V-1").into_bytes()),
        ("bad.yaml", b"id: [\n".to_vec()),
    ]);
    let (code, out) = lint(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&out).expect("sarif is JSON");
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(
        rules.len(),
        poam::rules::Code::names().len(),
        "one rule per code"
    );
    let results = run["results"].as_array().expect("results");
    let due = results
        .iter()
        .find(|r| r["ruleId"] == "due-beyond-policy")
        .expect("due-beyond-policy result");
    assert_eq!(
        due["partialFingerprints"]["poamItemCode/v1"],
        "V-1:due-beyond-policy"
    );
    assert_eq!(
        due["locations"][0]["physicalLocation"]["region"]["startLine"],
        11
    );
    assert_eq!(
        rules[due["ruleIndex"].as_u64().expect("index") as usize]["id"],
        "due-beyond-policy"
    );
    let duplicate = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-id")
        .expect("duplicate-id result");
    assert_eq!(
        duplicate["relatedLocations"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn an_invalid_sarif_log_is_caught_by_the_schema() {
    // The schema check can fail: a result without a message is invalid SARIF.
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "poam"}}, "results": [{"ruleId": "x"}]}]});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn artifact_uris_are_percent_encoded() {
    // A file name with a space, `%`, `#`, `?` and non-ASCII: each would end or change a URI
    // written as it is (`#` starts a fragment, `?` a query, `%` an escape).
    let dir = repo_with(&[("a b%#?é.yaml", valid_item("V-9").into_bytes())]);
    let (code, out) = lint(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 1, "{out}");
    let log: serde_json::Value = serde_json::from_str(&out).expect("sarif is JSON");
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("uri")
        })
        .collect();
    assert!(
        uris.contains(&"poams/a%20b%25%23%3F%C3%A9.yaml"),
        "{uris:#?}"
    );
    assert!(uris.contains(&"poams/V-1.yaml"), "{uris:#?}");
}
