//! The editor schemas: generated from the schema types, committed, in step with the item
//! model's key lists, and they accept every example item and reject broken ones.

use std::fs;
use std::path::{Path, PathBuf};

use poam::model::item::{
    CLOSED_KEYS, DEVIATIONS_KEYS, DEVIATION_KEYS, DOCUMENT_KEYS, ITEM_KEYS, MILESTONE_CHANGE_KEYS,
    MILESTONE_KEYS, RISK_ADJUSTMENT_KEYS, VENDOR_KEYS,
};
use serde_json::Value;

use crate::common::{fixtures, poam};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn committed(name: &str) -> Value {
    let text = fs::read_to_string(repo_root().join(name)).expect("committed schema");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn yaml_as_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).expect("read item");
    poam::parse::parse_str(&text)
        .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message))
        .to_json()
}

fn errors(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("schema compiles");
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn committed_schemas_are_what_poam_schema_prints() {
    for (kind, file) in [
        ("item", poam::schema::ITEM_SCHEMA_FILE),
        ("config", poam::schema::CONFIG_SCHEMA_FILE),
    ] {
        let out = poam().args(["schema", kind]).output().expect("run poam");
        assert!(out.status.success());
        let printed = String::from_utf8(out.stdout).expect("UTF-8");
        let on_disk = fs::read_to_string(repo_root().join(file)).expect("committed schema");
        assert!(
            printed == on_disk,
            "{file} is stale: run `cargo run -- schema {kind} > {file}`"
        );
    }
}

#[test]
fn the_schemas_are_draft_07() {
    for file in [
        poam::schema::ITEM_SCHEMA_FILE,
        poam::schema::CONFIG_SCHEMA_FILE,
    ] {
        assert_eq!(
            committed(file)["$schema"],
            "http://json-schema.org/draft-07/schema#"
        );
    }
}

/// Every key the model reads has a documented property in the schema, and no other.
#[test]
fn every_item_key_is_in_the_schema_with_documentation() {
    let schema = committed(poam::schema::ITEM_SCHEMA_FILE);
    let definition = |name: &str| schema["definitions"][name].clone();
    let cases: [(&str, Value, &[&str]); 9] = [
        ("item", schema.clone(), ITEM_KEYS),
        ("milestones[]", definition("Milestone"), MILESTONE_KEYS),
        (
            "milestone_changes[]",
            definition("MilestoneChange"),
            MILESTONE_CHANGE_KEYS,
        ),
        (
            "vendor_dependency",
            definition("VendorDependency"),
            VENDOR_KEYS,
        ),
        ("deviations", definition("Deviations"), DEVIATIONS_KEYS),
        (
            "deviations.risk_adjustment",
            definition("RiskAdjustment"),
            RISK_ADJUSTMENT_KEYS,
        ),
        (
            "deviations.false_positive",
            definition("Deviation"),
            DEVIATION_KEYS,
        ),
        ("documents[]", definition("Document"), DOCUMENT_KEYS),
        ("closed", definition("Closed"), CLOSED_KEYS),
    ];
    for (place, object, keys) in cases {
        let properties = object["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{place} has properties"));
        let mut in_schema: Vec<&str> = properties.keys().map(String::as_str).collect();
        let mut in_model = keys.to_vec();
        in_schema.sort_unstable();
        in_model.sort_unstable();
        assert_eq!(in_schema, in_model, "keys of {place}");
        for (key, property) in properties {
            assert!(
                property["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{place}.{key} has hover text"
            );
        }
        assert_eq!(object["additionalProperties"], false, "{place} is closed");
    }
}

#[test]
fn the_required_item_keys_are_the_profile_s() {
    let schema = committed(poam::schema::ITEM_SCHEMA_FILE);
    let mut required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // The schema cannot know the profile: it requires what every profile requires.
    let mut profile: Vec<&str> = poam::policy::Profile::default()
        .required_fields()
        .iter()
        .copied()
        .filter(|key| {
            poam::policy::Profile::names().iter().all(|name| {
                poam::policy::Profile::from_name(name)
                    .is_some_and(|p| p.required_fields().contains(key))
            })
        })
        .collect();
    required.sort_unstable();
    profile.sort_unstable();
    assert_eq!(required, profile);
}

#[test]
fn every_config_key_and_rule_is_in_the_config_schema() {
    let schema = committed(poam::schema::CONFIG_SCHEMA_FILE);
    let mut keys: Vec<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    let mut known = poam::config::CONFIG_KEYS.to_vec();
    keys.sort_unstable();
    known.sort_unstable();
    assert_eq!(keys, known);
    let rules: Vec<&str> = schema["properties"]["rules"]["propertyNames"]["enum"]
        .as_array()
        .expect("rule names")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(rules, poam::code::Code::names());
}

fn item_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_item_schema_accepts_every_example_item() {
    let schema = committed(poam::schema::ITEM_SCHEMA_FILE);
    let mut files = item_files(&repo_root().join("examples/demo/poams"));
    files.extend(item_files(&repo_root().join("examples/dod/poams")));
    let mut rule_dirs: Vec<PathBuf> = fs::read_dir(fixtures().join("rules"))
        .expect("rules fixtures")
        .map(|e| e.expect("entry").path().join("near-miss/poams"))
        .filter(|p| p.is_dir())
        .collect();
    rule_dirs.sort();
    for dir in rule_dirs {
        files.extend(item_files(&dir));
    }
    assert!(files.len() > 20, "examples found: {}", files.len());
    for file in files {
        let problems = errors(&schema, &yaml_as_json(&file));
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
}

#[test]
fn the_config_schema_accepts_the_example_configs() {
    let schema = committed(poam::schema::CONFIG_SCHEMA_FILE);
    let mut files = vec![
        repo_root().join("examples/demo/poam.yaml"),
        repo_root().join("examples/dod/poam.yaml"),
    ];
    for entry in fs::read_dir(fixtures().join("rules")).expect("rules fixtures") {
        let config = entry.expect("entry").path().join("near-miss/poam.yaml");
        if config.is_file() {
            files.push(config);
        }
    }
    for file in files {
        let problems = errors(&schema, &yaml_as_json(&file));
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
}

/// What is wrong, and how to make a good item so.
type Breakage = (&'static str, fn(&mut Value));

#[test]
fn the_item_schema_rejects_broken_items() {
    let schema = committed(poam::schema::ITEM_SCHEMA_FILE);
    let good = yaml_as_json(&repo_root().join("examples/demo/poams/V-1001.yaml"));
    assert!(errors(&schema, &good).is_empty());
    let broken: [Breakage; 6] = [
        ("unknown key", |v| v["ownr"] = "x".into()),
        ("missing title", |v| {
            v.as_object_mut().expect("object").remove("title");
        }),
        ("bad risk", |v| v["risk"] = "severe".into()),
        ("bad date", |v| v["detected"] = "14/10/2026".into()),
        ("milestone id 0", |v| v["milestones"][0]["id"] = 0.into()),
        ("bad control", |v| v["controls"][0] = "SC8".into()),
    ];
    for (what, break_it) in broken {
        let mut item = good.clone();
        break_it(&mut item);
        assert!(!errors(&schema, &item).is_empty(), "{what} is rejected");
    }
}
