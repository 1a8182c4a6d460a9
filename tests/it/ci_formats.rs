//! The CI report formats (`--format rdjson`, `gitlab`, `junit`) and the pipelines
//! `poam init --ci` writes, each checked against what its consumer accepts: reviewdog's
//! published JSON schema, GitLab's Code Quality fields, a JUnit XML parse, and the GitLab CI
//! and Bitbucket Pipelines schemas (tests/fixtures/SOURCES.md says where each comes from).

use std::collections::BTreeSet;
use std::fs;

use crate::common::{fixtures, lint, poam, repo_with, valid_item, TODAY};

/// A repository with findings of every severity and a related location (a duplicated id).
fn findings_repo() -> tempfile::TempDir {
    let soon = valid_item("V-3").replace("due: 2027-01-20", "due: 2026-12-01");
    repo_with(&[
        ("V-2.yaml", valid_item("V-1").into_bytes()),
        ("V-3.yaml", soon.into_bytes()),
        ("bad.yaml", b"id: [\n".to_vec()),
    ])
}

fn validate(schema_file: &str, document: &serde_json::Value) -> Vec<String> {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(fixtures().join(schema_file)).expect("schema"))
            .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn rdjson_output_is_valid_against_reviewdogs_schema() {
    let dir = findings_repo();
    let (code, out) = lint(dir.path(), &["--format", "rdjson"]);
    assert_eq!(code, 1);
    let result: serde_json::Value = serde_json::from_str(&out).expect("rdjson is JSON");
    for schema in [
        "rdjson/DiagnosticResult.json",
        "rdjson/DiagnosticResult.jsonschema",
    ] {
        let errors = validate(schema, &result);
        assert!(errors.is_empty(), "{schema}: {errors:#?}");
    }
    let diagnostics = result["diagnostics"].as_array().expect("diagnostics");
    let due = diagnostics
        .iter()
        .find(|d| d["code"]["value"] == "due-beyond-policy")
        .expect("due-beyond-policy");
    insta::assert_json_snapshot!("rdjson-due-beyond-policy", due);
    let severities: BTreeSet<&str> = diagnostics
        .iter()
        .filter_map(|d| d["severity"].as_str())
        .collect();
    assert_eq!(severities, BTreeSet::from(["ERROR", "INFO", "WARNING"]));
    let duplicate = diagnostics
        .iter()
        .find(|d| d["code"]["value"] == "duplicate-id")
        .expect("duplicate-id");
    assert_eq!(
        duplicate["related_locations"].as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn gitlab_output_has_the_code_quality_fields_with_unique_stable_fingerprints() {
    let dir = findings_repo();
    let (code, out) = lint(dir.path(), &["--format", "gitlab"]);
    assert_eq!(code, 1);
    let issues: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let issues = issues.as_array().expect("an array of issues");
    let (_, json) = lint(dir.path(), &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        issues.len(),
        json["diagnostics"].as_array().map_or(0, Vec::len)
    );
    let mut fingerprints = BTreeSet::new();
    for issue in issues {
        // What GitLab requires of each issue.
        assert!(issue["description"].is_string(), "{issue}");
        assert!(issue["check_name"].is_string(), "{issue}");
        assert!(issue["location"]["path"].is_string(), "{issue}");
        assert!(issue["location"]["lines"]["begin"]
            .as_u64()
            .is_some_and(|l| l >= 1));
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap_or_default()),
            "{issue}"
        );
        let fingerprint = issue["fingerprint"].as_str().expect("fingerprint");
        assert!(fingerprints.insert(fingerprint.to_owned()), "unique");
    }
    // Stable: a line added on top of a file moves its findings, not their fingerprints.
    let path = dir.path().join("poams/V-1.yaml");
    let text = fs::read_to_string(&path).expect("item");
    fs::write(&path, format!("# a comment\n{text}")).expect("write");
    let (_, again) = lint(dir.path(), &["--format", "gitlab"]);
    let again: serde_json::Value = serde_json::from_str(&again).expect("JSON");
    let again: BTreeSet<String> = again
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["fingerprint"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(fingerprints, again);
}

#[test]
fn junit_output_is_one_test_case_per_item_failed_by_its_errors() {
    let dir = findings_repo();
    let (code, out) = lint(dir.path(), &["--format", "junit"]);
    assert_eq!(code, 1);
    // Parsed as XML: (name, failed, has system-out) per test case.
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut cases: Vec<(String, bool, bool)> = Vec::new();
    let mut suite_tests = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let attr = |name: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == name)
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .expect("attribute")
                                .into_owned()
                        })
                };
                match e.local_name().as_ref() {
                    "testsuite" => suite_tests = attr("tests"),
                    "testcase" => cases.push((attr("name").expect("name"), false, false)),
                    "failure" => cases.last_mut().expect("in a case").1 = true,
                    "system-out" => cases.last_mut().expect("in a case").2 = true,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(suite_tests.as_deref(), Some("4"));
    assert_eq!(
        cases,
        [
            ("poams/V-1.yaml".to_owned(), true, false),
            ("poams/V-2.yaml".to_owned(), true, false),
            ("poams/V-3.yaml".to_owned(), false, true),
            ("poams/bad.yaml".to_owned(), true, false),
        ]
    );
    insta::assert_snapshot!("junit", out);
}

/// `poam init --ci SERVICE` in a fresh folder: the pipeline file it wrote.
fn init_pipeline(service: &str, file: &str) -> String {
    let dir = tempfile::tempdir().expect("temp");
    let output = poam()
        .arg("init")
        .arg(dir.path())
        .args(["--today", TODAY, "--ci", service])
        .output()
        .expect("run poam");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(stdout.contains(&format!("created {file}\n")), "{stdout}");
    for other in [
        ".github/workflows/poam.yml",
        ".gitlab-ci.yml",
        "bitbucket-pipelines.yml",
    ] {
        assert_eq!(
            dir.path().join(other).exists(),
            other == file,
            "only the {service} pipeline is written"
        );
    }
    fs::read_to_string(dir.path().join(file)).expect("pipeline")
}

fn yaml(text: &str) -> serde_json::Value {
    poam::parse::parse_str(text)
        .unwrap_or_else(|e| panic!("does not parse: {} at {:?}", e.message, e.span))
        .to_json()
}

#[test]
fn init_ci_github_writes_the_workflow_checked_with_the_action() {
    // ci_files.rs checks this workflow against the action and with actionlint.
    assert_eq!(
        init_pipeline("github", ".github/workflows/poam.yml"),
        poam::init::workflow()
    );
}

#[test]
fn init_ci_gitlab_writes_a_pipeline_valid_against_the_gitlab_ci_schema() {
    let text = init_pipeline("gitlab", ".gitlab-ci.yml");
    let pipeline = yaml(&text);
    let errors = validate("ci-schemas/gitlab-ci.json", &pipeline);
    assert!(errors.is_empty(), "{errors:#?}");
    let reports = &pipeline["poam"]["artifacts"]["reports"];
    assert_eq!(reports["codequality"], "gl-code-quality-report.json");
    assert_eq!(reports["junit"], "poam-junit.xml");
    let script = pipeline["poam"]["script"][0].as_str().expect("script");
    assert!(script.contains("--format gitlab -o gl-code-quality-report.json"));
    assert!(script.contains("--format junit -o poam-junit.xml"));
    assert_eq!(pipeline["pages"]["artifacts"]["paths"][0], "public");
    assert!(text.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn init_ci_bitbucket_writes_a_pipeline_valid_against_the_bitbucket_schema() {
    let text = init_pipeline("bitbucket", "bitbucket-pipelines.yml");
    let pipeline = yaml(&text);
    // The schema (SchemaStore's, of 2019) predates two things Bitbucket documents and this
    // pipeline needs: `clone: depth: full` (the history rules read the whole history) and
    // glob patterns such as `"**"` as pull-request branch names. Those two, and nothing else.
    let errors = validate("ci-schemas/bitbucket-pipelines.json", &pipeline);
    assert_eq!(
        errors,
        [
            "\"full\" is not of type \"integer\" at /clone/depth",
            "\"**\" does not match \"^[A-Za-z_][A-Za-z0-9_]*$\" at /pipelines/pull-requests",
        ],
        "{errors:#?}"
    );
    let pr = &pipeline["pipelines"]["pull-requests"]["**"][0]["step"]["script"];
    let lines: Vec<&str> = pr
        .as_array()
        .expect("script")
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    assert!(lines
        .iter()
        .any(|l| l.contains("--format junit -o test-results/poam.xml")));
    assert!(pipeline["pipelines"]["custom"]["nightly"].is_array());
    assert_eq!(pipeline["clone"]["depth"], "full");
}
