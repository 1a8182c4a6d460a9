//! `poam export oscal`: every document validates against NIST's OSCAL 1.2.1 POA&M schema,
//! follows OSCAL's string and date rules and FedRAMP's POA&M checks, is deterministic, and
//! imports into compliance-trestle when it is installed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::{copy_dir, copy_fixture, fixtures, poam, valid_item, TODAY};

const FEDRAMP_NS: &str = "http://fedramp.gov/ns/oscal";

fn oscal_fixture(name: &str) -> PathBuf {
    fixtures().join("oscal").join(name)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        jsonschema::validator_for(&read_json(&oscal_fixture("oscal_poam_schema_1.2.1.json")))
            .expect("the OSCAL schema compiles")
    })
}

fn schema_errors(doc: &Value) -> Vec<String> {
    schema()
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// OSCAL's string rules: no empty value, no leading or trailing whitespace; every date-time
/// has a timezone.
fn string_rule_violations(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::String(s) => {
            if s.is_empty() || s.trim() != s {
                out.push(format!(
                    "{path}: {s:?} is empty or has surrounding whitespace"
                ));
            }
            let key = path.rsplit('/').next().unwrap_or_default();
            let is_date_time = matches!(
                key,
                "collected" | "start" | "end" | "deadline" | "date" | "last-modified" | "published"
            );
            if is_date_time && chrono::DateTime::parse_from_rfc3339(s).is_err() {
                out.push(format!("{path}: {s:?} is not a date-time with a timezone"));
            }
        }
        Value::Array(list) => {
            for (i, v) in list.iter().enumerate() {
                string_rule_violations(v, &format!("{path}/{i}"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                string_rule_violations(v, &format!("{path}/{k}"), out);
            }
        }
        _ => {}
    }
}

fn assert_valid(doc: &Value, what: &str) {
    let errors = schema_errors(doc);
    assert!(
        errors.is_empty(),
        "{what}: OSCAL schema errors: {errors:#?}"
    );
    let mut violations = Vec::new();
    string_rule_violations(doc, "", &mut violations);
    assert!(
        violations.is_empty(),
        "{what}: string rules: {violations:#?}"
    );
}

fn date_of(text: &str) -> NaiveDate {
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .date_naive()
}

fn props<'v>(object: &'v Value, name: &str) -> Vec<&'v str> {
    object["props"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == name)
        .filter_map(|p| p["value"].as_str())
        .collect()
}

/// FedRAMP's POA&M checks (its Schematron rules for the POA&M, read over the JSON): each
/// poam-item has a related observation and exactly one risk; the risk has a deadline, a
/// recommendation and a planned response with at least one milestone that has timing, and an
/// impact facet; the deadline is within 30/90/180 days of the observation's collection for a
/// High/Moderate/Low last impact facet unless a deviation or vendor dependency applies.
fn fedramp_problems(doc: &Value) -> Vec<String> {
    let poam = &doc["plan-of-action-and-milestones"];
    let by_uuid = |key: &str| -> BTreeMap<String, &Value> {
        poam[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|o| (o["uuid"].as_str().unwrap_or_default().to_owned(), o))
            .collect()
    };
    let observations = by_uuid("observations");
    let risks = by_uuid("risks");
    let mut problems = Vec::new();
    for item in poam["poam-items"].as_array().expect("poam-items") {
        let id = props(item, "POAM-ID")
            .first()
            .copied()
            .unwrap_or("?")
            .to_owned();
        let mut say = |problem: String| problems.push(format!("{id}: {problem}"));
        let related_risks: Vec<&str> = item["related-risks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["risk-uuid"].as_str())
            .collect();
        let related_observations: Vec<&Value> = item["related-observations"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| observations.get(r["observation-uuid"].as_str()?).copied())
            .collect();
        if related_observations.is_empty() {
            say("no related observation".into());
        }
        if related_risks.len() != 1 {
            say(format!(
                "{} risks, FedRAMP wants exactly one",
                related_risks.len()
            ));
            continue;
        }
        let Some(risk) = risks.get(related_risks[0]) else {
            say("its risk does not exist".into());
            continue;
        };
        let remediations = risk["remediations"].as_array().cloned().unwrap_or_default();
        if !remediations
            .iter()
            .any(|r| r["lifecycle"] == "recommendation")
        {
            say("no recommendation".into());
        }
        let planned: Vec<&Value> = remediations
            .iter()
            .filter(|r| r["lifecycle"] == "planned")
            .collect();
        if planned.is_empty() {
            say("no planned response".into());
        }
        let milestones: Vec<&Value> = planned
            .iter()
            .flat_map(|r| r["tasks"].as_array().into_iter().flatten())
            .filter(|t| t["type"] == "milestone")
            .collect();
        if milestones.is_empty() {
            say("no milestone".into());
        }
        for m in &milestones {
            let timing = &m["timing"];
            if timing["on-date"]["date"].is_null() && timing["within-date-range"]["end"].is_null() {
                say(format!("milestone {} has no timing", m["title"]));
            }
        }
        let impact = risk["characterizations"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|c| c["facets"].as_array().into_iter().flatten())
            .filter(|f| f["name"] == "impact")
            .filter_map(|f| f["value"].as_str())
            .next_back();
        let Some(impact) = impact else {
            say("no impact facet".into());
            continue;
        };
        let Some(deadline) = risk["deadline"].as_str() else {
            say("no deadline".into());
            continue;
        };
        let excused = [
            "risk-adjustment",
            "false-positive",
            "operational-requirement",
            "vendor-dependency",
        ]
        .iter()
        .any(|name| !props(risk, name).is_empty());
        let days = match impact {
            "high" => 30,
            "moderate" => 90,
            "low" => 180,
            other => {
                say(format!(
                    "impact facet `{other}` is not low, moderate or high"
                ));
                continue;
            }
        };
        for observation in &related_observations {
            let collected = date_of(observation["collected"].as_str().expect("collected"));
            let allowed = collected + chrono::Days::new(days);
            if !excused && date_of(deadline) > allowed {
                say(format!(
                    "deadline {deadline} is later than {allowed} ({days} days after collection)"
                ));
            }
        }
    }
    problems
}

/// `poam export oscal` in `dir`, `--today` fixed; returns (exit code, stdout, stderr).
fn export_in(dir: &Path) -> (i32, String, String) {
    let output = poam()
        .arg("-C")
        .arg(dir)
        .args(["export", "oscal", "--today", TODAY])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

fn export_ok(dir: &Path) -> (String, Value) {
    let (code, out, err) = export_in(dir);
    assert_eq!(code, 0, "export failed: {err}");
    let doc = serde_json::from_str(&out).unwrap_or_else(|e| panic!("export is JSON: {e}"));
    (out, doc)
}

/// The demo, copied outside any git repository (so its export does not follow this
/// project's own commits).
fn demo() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        temp.path(),
    );
    temp
}

#[test]
fn the_schema_accepts_the_reference_documents_and_rejects_a_broken_one() {
    for name in [
        "nist-oscal-content_ifa_plan-of-action-and-milestones.json",
        "FedRAMP-POAM-OSCAL-Template-rev5.json",
    ] {
        let errors = schema_errors(&read_json(&oscal_fixture(name)));
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    let reference = read_json(&oscal_fixture(
        "nist-oscal-content_ifa_plan-of-action-and-milestones.json",
    ));
    let mut no_timezone = reference.clone();
    no_timezone["plan-of-action-and-milestones"]["metadata"]["last-modified"] =
        Value::from("2026-11-25T00:00:00");
    assert!(
        !schema_errors(&no_timezone).is_empty(),
        "a date-time without timezone"
    );
    let mut v7 = reference.clone();
    v7["plan-of-action-and-milestones"]["uuid"] =
        Value::from("0190d5b0-0000-7000-8000-000000000000");
    assert!(!schema_errors(&v7).is_empty(), "a version 7 UUID");
    let mut padded = reference;
    padded["plan-of-action-and-milestones"]["metadata"]["version"] = Value::from(" 1.0");
    assert!(
        !schema_errors(&padded).is_empty(),
        "a string with leading whitespace"
    );
    let mut violations = Vec::new();
    string_rule_violations(
        &serde_json::json!({"a": " x", "b": ""}),
        "",
        &mut violations,
    );
    assert_eq!(violations.len(), 2);
}

#[test]
fn demo_export_is_valid_meets_fedramp_checks_and_matches_the_snapshot() {
    let dir = demo();
    let (text, doc) = export_ok(dir.path());
    assert_valid(&doc, "demo");
    assert_eq!(fedramp_problems(&doc), Vec::<String>::new());
    let poam = &doc["plan-of-action-and-milestones"];
    assert_eq!(poam["metadata"]["oscal-version"], "1.2.1");
    assert_eq!(
        poam["metadata"]["title"],
        "Example SaaS Plan of Action and Milestones (POA&M)"
    );
    assert_eq!(poam["metadata"]["last-modified"], "2026-11-25T00:00:00Z");
    assert_eq!(poam["poam-items"].as_array().map(Vec::len), Some(10));
    assert_eq!(poam["observations"].as_array().map(Vec::len), Some(10));
    assert_eq!(poam["risks"].as_array().map(Vec::len), Some(10));
    for (i, item) in poam["poam-items"]
        .as_array()
        .expect("items")
        .iter()
        .enumerate()
    {
        assert_eq!(
            props(item, "POAM-ID"),
            vec![format!("V-{}", 1001 + i).as_str()]
        );
    }
    insta::assert_snapshot!("demo_export", text);
}

/// The people file becomes `metadata.parties` (teams as organizations their members belong
/// to), its roles become roles with responsible parties, and an item whose owner is an entry
/// points at that entry's party; a free-text owner keeps a party of its own.
#[test]
fn people_become_parties_and_owners_point_at_them() {
    let dir = demo();
    let (_, doc) = export_ok(dir.path());
    let metadata = &doc["plan-of-action-and-milestones"]["metadata"];
    let parties = metadata["parties"].as_array().expect("parties");
    let party = |short: &str| {
        parties
            .iter()
            .find(|p| p["short-name"] == short)
            .unwrap_or_else(|| panic!("a party for {short}"))
    };
    let jane = party("jdoe");
    assert_eq!(jane["type"], "person");
    assert_eq!(jane["name"], "Jane Doe");
    assert_eq!(
        jane["email-addresses"],
        serde_json::json!(["jane.doe@example.com"])
    );
    let team = party("platform-team");
    assert_eq!(team["type"], "organization");
    assert_eq!(
        jane["member-of-organizations"],
        serde_json::json!([team["uuid"]])
    );
    // The repeated `jdoe` entry is one party.
    assert_eq!(
        parties.iter().filter(|p| p["short-name"] == "jdoe").count(),
        1
    );
    // `platfrom-team` (a typo, owner-unknown) names no entry: a party of its own, by its text.
    assert!(parties
        .iter()
        .any(|p| p["name"] == "platfrom-team" && p.get("short-name").is_none()));
    let roles: Vec<&str> = metadata["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        roles,
        [
            "cloud-service-provider",
            "asset-owner",
            "approver",
            "isso",
            "system-owner"
        ]
    );
    let isso = metadata["responsible-parties"]
        .as_array()
        .expect("responsible parties")
        .iter()
        .find(|r| r["role-id"] == "isso")
        .expect("isso");
    assert_eq!(
        isso["party-uuids"],
        serde_json::json!([party("rpatel")["uuid"]])
    );
    // V-1001's owner is jdoe: its risk's remediation names Jane's party.
    let text = doc.to_string();
    let jane_uuid = jane["uuid"].as_str().expect("uuid");
    assert!(
        text.matches(&format!("\"actor-uuid\":\"{jane_uuid}\""))
            .count()
            >= 1,
        "an actor points at Jane's party"
    );
}

/// Under `fedramp-cr26` each risk's deadline is the item's next CR26 deadline (evaluate by,
/// reduce by, accept by), never a Rev5 due date, and the document names its profile.
#[test]
fn cr26_export_is_valid_names_its_profile_and_carries_the_cr26_deadlines() {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cr26"),
        temp.path(),
    );
    // A migrated item keeps its Rev5 `due`: informational only.
    let migrated = temp.path().join("poams/VDR-015.yaml");
    let text = fs::read_to_string(&migrated).expect("read");
    let text = text.replace("status: open", "due: 2026-12-31\nrisk: high\nstatus: open");
    fs::write(&migrated, text).expect("write");
    let (text, doc) = export_ok(temp.path());
    assert_valid(&doc, "cr26");
    let poam = &doc["plan-of-action-and-milestones"];
    assert_eq!(
        poam["metadata"]["props"],
        serde_json::json!([{"name": "poam-profile", "ns": "urn:poam:oscal", "value": "fedramp-cr26"}])
    );
    let risks = poam["risks"].as_array().expect("risks");
    let deadline_of = |title: &str| {
        risks
            .iter()
            .find(|r| r["title"].as_str().is_some_and(|t| t.starts_with(title)))
            .map(|r| r["deadline"].clone())
            .expect(title)
    };
    // VDR-015: N4 LEV+IRV evaluated 2026-11-24T10:00Z, Class C: below N4 within 4 days.
    assert!(
        !text.contains("2026-12-31T"),
        "a Rev5 due date is no CR26 deadline"
    );
    let vdr015 = fs::read_to_string(&migrated).expect("read");
    let title = vdr015
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .expect("title");
    assert_eq!(deadline_of(title), "2026-11-28T10:00:00Z");
    insta::assert_snapshot!("cr26_export", text);
}

#[test]
fn dod_export_is_valid_names_its_profile_and_carries_the_emass_status() {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dod"),
        temp.path(),
    );
    let (_, doc) = export_ok(temp.path());
    assert_valid(&doc, "dod");
    let poam = &doc["plan-of-action-and-milestones"];
    assert_eq!(
        poam["metadata"]["props"],
        serde_json::json!([{"name": "poam-profile", "ns": "urn:poam:oscal", "value": "dod-rmf"}])
    );
    let risks = poam["risks"].as_array().expect("risks");
    let risk = |title: &str| {
        risks
            .iter()
            .find(|r| r["title"].as_str().is_some_and(|t| t.starts_with(title)))
            .expect(title)
    };
    // DOD-003 is risk accepted; DOD-001 is CAT I under an IAVA, due 2026-11-30.
    let accepted = risk("Legacy reporting service");
    assert_eq!(props(accepted, "emass-status"), vec!["Risk Accepted"]);
    let iava = risk("OpenSSL on the web tier");
    assert_eq!(props(iava, "dod-category"), vec!["cat-i"]);
    assert_eq!(props(iava, "iava"), vec!["2026-A-0042"]);
    assert!(iava["deadline"]
        .as_str()
        .is_some_and(|d| d.starts_with("2026-11-30")));
}

/// Under `cmmc-l2` each risk names its SP 800-171 requirement and the SPRS points at stake,
/// and its deadline is the closeout (Conditional CMMC Status Date + 180 days), never a Rev5
/// due date.
#[test]
fn cmmc_export_is_valid_names_its_profile_and_carries_requirements_and_the_closeout() {
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cmmc"),
        temp.path(),
    );
    let (_, doc) = export_ok(temp.path());
    assert_valid(&doc, "cmmc");
    let poam = &doc["plan-of-action-and-milestones"];
    assert_eq!(
        poam["metadata"]["props"],
        serde_json::json!([{"name": "poam-profile", "ns": "urn:poam:oscal", "value": "cmmc-l2"}])
    );
    let risks = poam["risks"].as_array().expect("risks");
    let risk = |title: &str| {
        risks
            .iter()
            .find(|r| r["title"].as_str().is_some_and(|t| t.starts_with(title)))
            .expect(title)
    };
    // CM-3: 3.13.11 with encryption that is not FIPS-validated, 3 points; the example's
    // Conditional status date is 2026-11-20, so every item closes by 2027-05-19.
    let fips = risk("Use FIPS-validated cryptography");
    assert_eq!(props(fips, "cmmc-requirement"), vec!["3.13.11"]);
    assert_eq!(props(fips, "sprs-points"), vec!["3"]);
    assert!(fips["deadline"]
        .as_str()
        .is_some_and(|d| d.starts_with("2027-05-19")));
    let lockout = risk("Lock accounts");
    assert_eq!(props(lockout, "cmmc-requirement"), vec!["3.1.8"]);
    assert_eq!(props(lockout, "sprs-points"), vec!["1"]);
}

#[test]
fn demo_export_maps_the_fedramp_columns() {
    let dir = demo();
    let (_, doc) = export_ok(dir.path());
    let poam = &doc["plan-of-action-and-milestones"];
    let risk_of = |id: &str| -> Value {
        let item = poam["poam-items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| props(i, "POAM-ID") == vec![id])
            .expect("item");
        let uuid = &item["related-risks"][0]["risk-uuid"];
        poam["risks"]
            .as_array()
            .expect("risks")
            .iter()
            .find(|r| &r["uuid"] == uuid)
            .expect("risk")
            .clone()
    };
    // V-1001: controls in OSCAL form, Nessus plugin id on the tool actor, milestones on-date.
    let v1001 = risk_of("V-1001");
    assert_eq!(
        props(&v1001, "impacted-control-id"),
        vec!["sc-13", "sc-8", "sc-8.1"]
    );
    let actor = &v1001["characterizations"][0]["origin"]["actors"][0];
    assert_eq!(actor["type"], "tool");
    assert_eq!(props(actor, "plugin-id"), vec!["104743"]);
    assert_eq!(v1001["deadline"], "2027-01-12T00:00:00Z");
    assert_eq!(v1001["status"], "open");
    let planned = &v1001["remediations"][1];
    assert_eq!(planned["lifecycle"], "planned");
    assert_eq!(
        planned["tasks"][0]["timing"]["on-date"]["date"],
        "2026-11-06T00:00:00Z"
    );
    assert_eq!(
        planned["tasks"][2]["title"], "Milestone 3",
        "the milestone a change added"
    );
    // V-1002: approved risk adjustment High → Moderate: initial and adjusted facets.
    let v1002 = risk_of("V-1002");
    assert_eq!(v1002["status"], "deviation-approved");
    assert_eq!(props(&v1002, "risk-adjustment"), vec!["approved"]);
    let facets: Vec<(String, String, String)> = v1002["characterizations"]
        .as_array()
        .expect("characterizations")
        .iter()
        .flat_map(|c| c["facets"].as_array().expect("facets").iter())
        .map(|f| {
            (
                f["name"].as_str().unwrap_or_default().to_owned(),
                f["value"].as_str().unwrap_or_default().to_owned(),
                props(f, "state").join(""),
            )
        })
        .collect();
    let facet = |n: &str, v: &str, s: &str| (n.to_owned(), v.to_owned(), s.to_owned());
    assert_eq!(
        facets,
        vec![
            facet("likelihood", "high", "initial"),
            facet("impact", "high", "initial"),
            facet("cve-id", "CVE-2023-38545", ""),
            facet("likelihood", "moderate", "adjusted"),
            facet("impact", "moderate", "adjusted"),
        ]
    );
    assert_eq!(
        props(
            &v1002["characterizations"][0]["origin"]["actors"][0],
            "vulnerability-id"
        ),
        vec!["CVE-2023-38545"]
    );
    // V-1003: vendor dependency tracked, check-in in the risk log.
    let v1003 = risk_of("V-1003");
    assert_eq!(props(&v1003, "vendor-dependency"), vec!["tracking"]);
    let titles: Vec<&str> = v1003["risk-log"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert!(titles.contains(&"Vendor Check-in"), "{titles:?}");
    assert!(
        titles.contains(&"Milestone 2 rescheduled to 2026-07-31"),
        "{titles:?}"
    );
    // V-1009: closed KEV item, Critical reported as High.
    let v1009 = risk_of("V-1009");
    assert_eq!(v1009["status"], "closed");
    assert_eq!(props(&v1009, "kev-catalog"), vec!["yes"]);
    assert_eq!(props(&v1009, "kev-due-date"), vec!["2025-04-22"]);
    let last = v1009["risk-log"]["entries"]
        .as_array()
        .and_then(|e| e.last())
        .expect("an entry");
    assert_eq!(last["status-change"], "closed");
    // FedRAMP's system id, or a UUID of the system when none is configured.
    assert_eq!(
        poam["system-id"]["identifier-type"],
        "http://ietf.org/rfc/rfc4122"
    );
    // Assets are inventory items the observations point at.
    let inventory: BTreeSet<&str> = poam["local-definitions"]["inventory-items"]
        .as_array()
        .expect("inventory")
        .iter()
        .filter_map(|i| i["uuid"].as_str())
        .collect();
    for observation in poam["observations"].as_array().expect("observations") {
        assert_eq!(observation["types"], serde_json::json!(["discovery"]));
        for subject in observation["subjects"].as_array().into_iter().flatten() {
            if subject["type"] == "inventory-item" {
                assert!(inventory.contains(subject["subject-uuid"].as_str().expect("uuid")));
            }
        }
    }
    // Documents are back-matter resources the observations cite.
    let resources: BTreeSet<String> = poam["back-matter"]["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| Some(format!("#{}", r["uuid"].as_str()?)))
        .collect();
    let cited: Vec<&str> = poam["observations"]
        .as_array()
        .expect("observations")
        .iter()
        .flat_map(|o| o["relevant-evidence"].as_array().into_iter().flatten())
        .filter_map(|e| e["href"].as_str())
        .collect();
    assert_eq!(cited.len(), 10, "one per document of the demo");
    assert!(cited.iter().all(|href| resources.contains(*href)));
}

#[test]
fn fedramp_props_use_fedramp_names() {
    let registry = read_json(&oscal_fixture("FedRAMP_extensions_rev5.json"));
    let names: BTreeSet<&str> = registry["extensions"]["extension"]
        .as_array()
        .expect("extensions")
        .iter()
        .filter_map(|e| e["extension-name"].as_str())
        .collect();
    let dir = demo();
    let (_, doc) = export_ok(dir.path());
    let mut used = BTreeSet::new();
    collect_fedramp_props(&doc, &mut used);
    assert!(used.contains("impacted-control-id") && used.contains("kev-catalog"));
    // The registry spells it `poam-id`; FedRAMP's template, guide and examples write `POAM-ID`.
    let unknown: Vec<&String> = used
        .iter()
        .filter(|n| *n != "POAM-ID" && !names.contains(n.as_str()))
        .collect();
    assert!(unknown.is_empty(), "not in FedRAMP's registry: {unknown:?}");
}

fn collect_fedramp_props(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if map.get("ns").and_then(Value::as_str) == Some(FEDRAMP_NS) {
                if let Some(name) = map.get("name").and_then(Value::as_str) {
                    out.insert(name.to_owned());
                }
            }
            map.values().for_each(|v| collect_fedramp_props(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| collect_fedramp_props(v, out)),
        _ => {}
    }
}

#[test]
fn every_rule_fixture_that_parses_exports_a_valid_document() {
    let mut exported = 0;
    let mut refused = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("rules"))
        .expect("rules fixtures")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
        .flat_map(|rule| ["fires", "near-miss"].map(|case| rule.join(case)))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let relative = dir.strip_prefix(fixtures()).expect("under fixtures");
        let temp = copy_fixture(&relative.to_string_lossy());
        let (code, out, err) = export_in(temp.path());
        if code == 0 {
            let doc: Value = serde_json::from_str(&out).expect("JSON");
            assert_valid(&doc, &relative.display().to_string());
            exported += 1;
        } else {
            assert_eq!(code, 2, "{}: {err}", relative.display());
            assert!(
                err.contains("do not parse") || err.contains("duplicate item ids"),
                "{}: {err}",
                relative.display()
            );
            refused += 1;
        }
    }
    assert!(exported >= 30, "{exported} fixtures exported");
    assert!(
        refused >= 2,
        "parse-error and duplicate-id fixtures are refused ({refused})"
    );
}

#[test]
fn unparseable_files_and_empty_folders_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::write(dir.path().join("poam.yaml"), "items: poams\n").expect("write");
    std::fs::create_dir(dir.path().join("poams")).expect("mkdir");
    let (code, _, err) = export_in(dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("no items to export"), "{err}");
    std::fs::write(dir.path().join("poams/V-1.yaml"), valid_item("V-1")).expect("write");
    std::fs::write(dir.path().join("poams/V-2.yaml"), "id: [\n").expect("write");
    let (code, out, err) = export_in(dir.path());
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("poams/V-2.yaml"), "{err}");
}

#[test]
fn exports_are_deterministic_and_a_changed_item_changes_only_its_objects() {
    let dir = demo();
    let (first, before) = export_ok(dir.path());
    let (second, _) = export_ok(dir.path());
    assert_eq!(first, second, "two exports are byte-identical");

    let file = dir.path().join("poams/V-1004.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let changed = text.replace("last_checkin: 2026-10-08", "last_checkin: 2026-11-20");
    assert_ne!(changed, text);
    std::fs::write(&file, changed).expect("write");
    let (_, after) = export_ok(dir.path());
    assert_valid(&after, "changed demo");

    let objects = |doc: &Value| -> BTreeMap<String, Value> {
        let poam = &doc["plan-of-action-and-milestones"];
        let mut all = BTreeMap::new();
        for list in [
            &poam["observations"],
            &poam["risks"],
            &poam["poam-items"],
            &poam["back-matter"]["resources"],
            &poam["local-definitions"]["components"],
            &poam["local-definitions"]["inventory-items"],
            &poam["metadata"]["parties"],
        ] {
            for object in list.as_array().expect("a list") {
                all.insert(
                    object["uuid"].as_str().expect("uuid").to_owned(),
                    object.clone(),
                );
            }
        }
        all
    };
    let (old, new) = (objects(&before), objects(&after));
    assert_eq!(
        old.keys().collect::<Vec<_>>(),
        new.keys().collect::<Vec<_>>(),
        "no UUID churn"
    );
    let differing: Vec<&String> = old.keys().filter(|k| old[*k] != new[*k]).collect();
    let v1004_risk = before["plan-of-action-and-milestones"]["poam-items"][3]["related-risks"][0]
        ["risk-uuid"]
        .as_str()
        .expect("V-1004's risk");
    assert_eq!(differing, vec![v1004_risk], "only V-1004's risk changed");
}

#[test]
fn git_history_fills_the_risk_log() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    let status = std::process::Command::new("bash")
        .arg(oscal_fixture("history.sh"))
        .arg(&repo)
        .status()
        .expect("bash runs");
    assert!(status.success(), "history fixture");
    let (first, doc) = export_ok(&repo);
    let (second, _) = export_ok(&repo);
    assert_eq!(first, second);
    assert_valid(&doc, "history fixture");
    let poam = &doc["plan-of-action-and-milestones"];
    assert_eq!(
        poam["metadata"]["last-modified"], "2026-04-02T08:00:00Z",
        "HEAD's commit time"
    );
    assert_eq!(
        poam["system-id"],
        serde_json::json!({"identifier-type": FEDRAMP_NS, "id": "F1234567890"})
    );
    let entries: Vec<(String, String, String)> = poam["risks"][0]["risk-log"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["start"].as_str().unwrap_or_default().to_owned(),
                e["title"].as_str().unwrap_or_default().to_owned(),
                e["status-change"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let entry = |start: &str, title: &str, status: &str| {
        (start.to_owned(), title.to_owned(), status.to_owned())
    };
    assert_eq!(
        entries,
        vec![
            entry("2026-01-02T09:00:00Z", "Risk Opened", "open"),
            entry("2026-01-30T00:00:00Z", "Vendor Check-in", ""),
            entry("2026-02-27T00:00:00Z", "Vendor Check-in", ""),
            entry(
                "2026-03-01T10:00:00+01:00",
                "Milestone 3 added, due 2026-04-15",
                ""
            ),
            entry(
                "2026-03-01T10:00:00+01:00",
                "Deviation Requested",
                "deviation-requested"
            ),
            entry(
                "2026-03-20T12:00:00Z",
                "Deviation Approved",
                "deviation-approved"
            ),
            entry("2026-04-02T08:00:00Z", "Risk Closed", "closed"),
        ]
    );
    assert_eq!(poam["risks"][0]["status"], "closed");
    let closing = &poam["risks"][0]["risk-log"]["entries"][6];
    assert_eq!(
        closing["description"],
        "Rescan on 2026-04-01 no longer finds the weakness.\n\nRecorded in commit 95eca43: Close V-1"
    );
    let closing = &poam["risks"][0]["risk-log"]["entries"][6];
    assert_eq!(
        closing["description"],
        "Rescan on 2026-04-01 no longer finds the weakness.\n\nRecorded in commit 95eca43: Close V-1"
    );
    let untouched = poam["risks"][1]["risk-log"]["entries"]
        .as_array()
        .expect("entries");
    assert_eq!(untouched.len(), 1, "V-2 was only created");
}

#[test]
fn compliance_trestle_imports_the_demo_export() {
    let Some(trestle) = find_trestle() else {
        // Written past the test harness's capture, so the skip shows in every run.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED oscal::compliance_trestle_imports_the_demo_export: `trestle` is not \
             installed (pip install compliance-trestle, or set POAM_TRESTLE to its path)"
        );
        return;
    };
    let dir = demo();
    let (text, _) = export_ok(dir.path());
    let workspace = tempfile::tempdir().expect("temp");
    let run = |args: &[&str]| {
        let output = std::process::Command::new(&trestle)
            .args(args)
            .current_dir(workspace.path())
            .output()
            .expect("run trestle");
        assert!(
            output.status.success(),
            "trestle {args:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&["init"]);
    // trestle imports only files from outside its workspace.
    let file = dir.path().join("demo-poam.json");
    std::fs::write(&file, text).expect("write");
    run(&[
        "import",
        "-f",
        file.to_str().expect("utf-8 path"),
        "-o",
        "demo",
    ]);
    let imported = workspace
        .path()
        .join("plan-of-action-and-milestones/demo/plan-of-action-and-milestones.json");
    let doc = read_json(&imported);
    assert_eq!(
        doc["plan-of-action-and-milestones"]["poam-items"]
            .as_array()
            .map(Vec::len),
        Some(10)
    );
}

/// `POAM_TRESTLE`, else `trestle` on the `PATH`.
fn find_trestle() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("POAM_TRESTLE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("trestle"))
        .find(|candidate| candidate.is_file())
}

// ---- generated items ----

fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("string")
}

prop_compose! {
    /// Text with the whitespace, line breaks and symbols OSCAL's string rules care about.
    fn awkward_text()(words in prop::collection::vec(
        prop::sample::select(vec![
            "TLS", "  padded ", "line\nbreak", "tab\there", "ünïcode", "<b>", "*md*", "x", " ",
        ]),
        1..5,
    )) -> String {
        words.concat()
    }
}

prop_compose! {
    fn generated_item(n: usize)(
        title in awkward_text(),
        description in awkward_text(),
        risk in prop::sample::select(vec!["low", "moderate", "high", "critical"]),
        detector_id in prop::sample::select(vec!["104743", "none", "CVE-2024-0001", " 42 "]),
        closed in any::<bool>(),
        deviation in prop::sample::select(vec!["", "pending", "approved", "rejected", "withdrawn"]),
        vendor in any::<bool>(),
        kev in any::<bool>(),
        asset in awkward_text(),
        document_name in prop::option::of(awkward_text()),
    ) -> String {
        let mut item = format!(
            "id: V-{n}\ntitle: {}\ndescription: {}\ncontrols: [AC-2, SC-8(1), not-a-control]\n\
             detector: Nessus\ndetector_id: {}\nassets: [{}]\nowner: Jane Doe\n\
             remediation: Patch it.\ndetected: 2026-10-01\ndue: 2026-10-31\nrisk: {risk}\n\
             milestones:\n  - id: 1\n    date: 2026-10-20\n    description: {}\n",
            quoted(&title), quoted(&description), quoted(detector_id), quoted(&asset), quoted(&title),
        );
        item.push_str(if closed {
            "status: closed\nclosed:\n  date: 2026-10-25\n  evidence: Rescan is clean.\n"
        } else {
            "status: open\n"
        });
        if !deviation.is_empty() {
            item.push_str(&format!(
                "deviations:\n  risk_adjustment:\n    status: {deviation}\n    adjusted_risk: low\n    rationale: {}\n",
                quoted(&description)
            ));
        }
        if vendor {
            item.push_str("vendor_dependency:\n  product: Acme 1.0\n  last_checkin: 2026-10-15\n");
        }
        if kev {
            item.push_str("kev_due: 2026-10-22\ncves: [CVE-2024-0001]\n");
        }
        if let Some(name) = document_name {
            item.push_str(&format!("documents:\n  - {{type: Scan Report, name: {}}}\n", quoted(&name)));
        }
        item
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generated_items_export_valid_documents(
        items in (generated_item(1), generated_item(2), generated_item(3)),
    ) {
        let dir = tempfile::tempdir().expect("temp");
        for (n, text) in [items.0, items.1, items.2].iter().enumerate() {
            std::fs::write(dir.path().join(format!("V-{}.yaml", n + 1)), text).expect("write");
        }
        let config = poam::config::Config::for_items_dir(dir.path());
        let workspace =
            poam::workspace::Workspace::load(config, dir.path().to_path_buf()).expect("load");
        prop_assert!(workspace.items.iter().all(|f| f.item.is_some()), "generated items parse");
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let views = poam::profiles::views(&workspace, today, &|_| None);
        let logs = BTreeMap::new();
        let system = poam::config::System::default();
        let text = poam::export::oscal::render(&poam::export::oscal::ExportInput {
            system: &system,
            today,
            last_modified: chrono::DateTime::parse_from_rfc3339("2026-11-25T00:00:00Z").expect("time"),
            items: &views,
            logs: &logs,
            profile: poam::profiles::of(poam::policy::Profile::default()),
            marker: None,
            people: None,
            inventory: None,
        }).expect("renders");
        let doc: Value = serde_json::from_str(&text).expect("JSON");
        assert_valid(&doc, &text);
        prop_assert_eq!(fedramp_problems(&doc), Vec::<String>::new());
    }
}

#[test]
fn inventory_assets_become_inventory_items_and_observations_point_at_them() {
    let dir = demo();
    let (_, doc) = export_ok(dir.path());
    let poam = &doc["plan-of-action-and-milestones"];
    let inventory = poam["local-definitions"]["inventory-items"]
        .as_array()
        .expect("inventory-items");
    let prop = |item: &Value, name: &str| -> Option<String> {
        item["props"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["value"].as_str().map(str::to_owned))
    };
    let by_id: BTreeMap<String, &Value> = inventory
        .iter()
        .map(|i| (prop(i, "asset-id").expect("asset-id"), i))
        .collect();
    // Every inventory asset is there, by its unique asset identifier, with the IIW's columns
    // under FedRAMP's prop names.
    let okta = by_id["example-saas.okta.com"];
    assert_eq!(prop(okta, "ipv4-address").as_deref(), Some("10.20.60.1"));
    assert_eq!(prop(okta, "virtual").as_deref(), Some("yes"));
    assert_eq!(prop(okta, "public").as_deref(), Some("yes"));
    assert_eq!(
        prop(okta, "baseline-configuration-name").as_deref(),
        Some("Okta tenant hardening baseline v2")
    );
    assert_eq!(prop(okta, "vendor-name").as_deref(), Some("Okta"));
    assert_eq!(
        prop(okta, "software-name").as_deref(),
        Some("Okta Workforce Identity Cloud")
    );
    assert_eq!(
        prop(okta, "diagram-label").as_deref(),
        Some("Identity provider")
    );
    assert_eq!(
        prop(okta, "function").as_deref(),
        Some("Workforce single sign-on and MFA")
    );
    // V-1006 names the tenant by an alias: its observation points at the asset's item, and
    // no inventory item is made of the alias.
    assert!(!by_id.contains_key("Okta tenant example-saas.okta.com"));
    let observation = poam["observations"]
        .as_array()
        .expect("observations")
        .iter()
        .find(|o| {
            o["subjects"].as_array().is_some_and(|s| {
                s.iter()
                    .any(|s| s["title"] == "Okta tenant example-saas.okta.com")
            })
        })
        .expect("V-1006's observation");
    let subject = observation["subjects"]
        .as_array()
        .expect("subjects")
        .iter()
        .find(|s| s["type"] == "inventory-item")
        .expect("an inventory-item subject");
    assert_eq!(subject["subject-uuid"], okta["uuid"]);
    // An owner that is a people-file entry is the asset's responsible party, in a role the
    // metadata defines.
    let web = inventory
        .iter()
        .find(|i| i["responsible-parties"].is_array())
        .expect("an asset with an owner");
    let party = &web["responsible-parties"][0];
    assert_eq!(party["role-id"], "asset-owner");
    let team = poam["metadata"]["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|p| p["short-name"] == "platform-team")
        .expect("the team's party");
    assert_eq!(party["party-uuids"], serde_json::json!([team["uuid"]]));
    // Every subject of type inventory-item names an inventory item.
    let uuids: BTreeSet<&str> = inventory
        .iter()
        .filter_map(|i| i["uuid"].as_str())
        .collect();
    for observation in poam["observations"].as_array().expect("observations") {
        for subject in observation["subjects"].as_array().into_iter().flatten() {
            if subject["type"] == "inventory-item" {
                assert!(
                    uuids.contains(subject["subject-uuid"].as_str().unwrap_or("")),
                    "{subject}"
                );
            }
        }
    }
}
