//! Every rule fires on its fixture at the expected place, and stays quiet on its near-miss.
//!
//! Fixtures live in `tests/fixtures/rules/<code>/{fires,near-miss}/` (a `poam.yaml` and
//! `poams/`); `fires/EXPECT` lists `file:line:col` of every finding of that code.

use std::collections::BTreeSet;

use poam::rules::Code;
use strum::IntoEnumIterator;

use crate::common::{copy_fixture, fixtures, lint_json};

/// Rules checked against git history have repository fixtures of their own (see history.rs).
fn has_directory_fixture(code: Code) -> bool {
    !poam::rules::is_history_code(code)
}

#[test]
fn every_rule_fires_where_expected_and_not_on_its_near_miss() {
    let mut failures = Vec::new();
    for code in Code::iter().filter(|c| has_directory_fixture(*c)) {
        let name = code.as_str();
        let base = format!("rules/{name}");
        if !fixtures().join(&base).join("fires").is_dir()
            || !fixtures().join(&base).join("near-miss").is_dir()
        {
            failures.push(format!(
                "{name}: missing fixtures under tests/fixtures/{base}/"
            ));
            continue;
        }
        let fires = copy_fixture(&format!("{base}/fires"));
        let (_, json) = lint_json(fires.path());
        let all = json["diagnostics"].as_array().cloned().unwrap_or_default();
        let own: Vec<&serde_json::Value> = all.iter().filter(|d| d["code"] == name).collect();
        let found: BTreeSet<String> = own
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{}",
                    d["file"].as_str().unwrap_or_default(),
                    d["line"],
                    d["column"]
                )
            })
            .collect();
        let expected: BTreeSet<String> =
            std::fs::read_to_string(fixtures().join(&base).join("fires/EXPECT"))
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect();
        if own.is_empty() {
            failures.push(format!("{name}: did not fire on its fixture; got {all:#?}"));
        } else if found != expected {
            failures.push(format!(
                "{name}: fired at {found:?}, EXPECT says {expected:?}"
            ));
        }
        // Other error-level rules would make the fixture test more than one thing.
        let others: Vec<&serde_json::Value> = all
            .iter()
            .filter(|d| d["code"] != name && d["severity"] == "error")
            .collect();
        if !others.is_empty() {
            failures.push(format!(
                "{name}: fixture also fires other errors: {others:#?}"
            ));
        }
        insta::assert_json_snapshot!(format!("rule-{name}"), own);

        let near = copy_fixture(&format!("{base}/near-miss"));
        let (code_exit, json) = lint_json(near.path());
        let quiet = json["diagnostics"].as_array().is_some_and(Vec::is_empty);
        if !quiet || code_exit != 0 {
            failures.push(format!(
                "{name}: near-miss is not clean: {:#?}",
                json["diagnostics"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
