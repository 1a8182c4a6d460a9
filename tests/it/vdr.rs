//! The `fedramp-cr26` profile: FedRAMP's own numbers, profile membership of rules, config,
//! class-dependent severities and `poam show`.

use poam::policy::cr26::{
    evaluation_days, incident_irv_force, incident_nirv_force, reduction_timeframe, Column, Force,
    Timeframe, ACCEPT_DAYS,
};
use poam::policy::Cr26Class;
use serde_json::Value;

use crate::common::{fixtures, lint_json, poam, TODAY};

const CLASSES: [(Cr26Class, &str); 3] = [
    (Cr26Class::B, "b"),
    (Cr26Class::C, "c"),
    (Cr26Class::D, "d"),
];

fn rules_json() -> Value {
    let text =
        std::fs::read_to_string(fixtures().join("fedramp-2026/fedramp-consolidated-rules.json"))
            .expect("rules json");
    serde_json::from_str(&text).expect("valid json")
}

fn force(value: &Value) -> Force {
    match value["force"].as_str() {
        Some("MUST") => Force::Must,
        Some("SHOULD") => Force::Should,
        Some("MAY") => Force::May,
        other => panic!("unknown force {other:?}"),
    }
}

#[test]
fn timeframes_are_fedramps() {
    let rules = rules_json();
    let pvr = &rules["FRR"]["VDR"]["data"]["all"]["TFR"]["VDR-TFR-PVR"]["varies_by_class"];
    let mut cells = 0;
    for (class, key) in CLASSES {
        let table = &pvr[key]["pain_timeframes"];
        assert_eq!(force(&pvr[key]), Force::Should);
        assert_eq!(table["1"], serde_json::json!({}), "PAIN-1 has no row");
        for column in Column::ALL {
            assert_eq!(reduction_timeframe(class, 1, column), None);
        }
        for pain in 2..=5u8 {
            for column in Column::ALL {
                let cell = &table[pain.to_string()][column.rules_key()];
                let num =
                    u32::try_from(cell["timeframe_num"].as_u64().expect("number")).expect("fits");
                let expected = match cell["timeframe_type"].as_str() {
                    Some("days") => Timeframe::Days(num),
                    Some("hours") => Timeframe::Hours(num),
                    other => panic!("unknown unit {other:?}"),
                };
                assert_eq!(
                    reduction_timeframe(class, pain, column),
                    Some(expected),
                    "class {key}, PAIN-{pain}, {}",
                    column.label()
                );
                cells += 1;
            }
        }
    }
    assert_eq!(cells, 36);
}

#[test]
fn evaluation_acceptance_and_incident_rules_are_fedramps() {
    let rules = rules_json();
    let tfr = &rules["FRR"]["VER"]["data"]["all"]["TFR"];
    for (class, key) in CLASSES {
        let evu = &tfr["VER-TFR-EVU"]["varies_by_class"][key];
        assert_eq!(evu["timeframe_type"], "days");
        assert_eq!(
            evu["timeframe_num"].as_u64(),
            Some(u64::from(evaluation_days(class)))
        );
        assert_eq!(
            force(&tfr["VER-TFR-IRI"]["varies_by_class"][key]),
            incident_irv_force(class)
        );
        assert_eq!(
            force(&tfr["VER-TFR-NRI"]["varies_by_class"][key]),
            incident_nirv_force(class)
        );
    }
    let mav = &tfr["VER-TFR-MAV"];
    assert_eq!(force(mav), Force::Must);
    assert_eq!(mav["timeframe_type"], "days");
    assert_eq!(mav["timeframe_num"].as_u64(), Some(u64::from(ACCEPT_DAYS)));
}

/// A repo with `poam.yaml` = `config` and the given item files.
fn repo(config: &str, items: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::create_dir(dir.path().join("poams")).expect("mkdir");
    std::fs::write(dir.path().join("poam.yaml"), config).expect("write");
    for (name, text) in items {
        std::fs::write(dir.path().join("poams").join(name), text).expect("write");
    }
    dir
}

fn codes(json: &Value) -> Vec<(String, String)> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

const INCIDENT: &str = "id: V-1
title: Upload parser overflow
description: The upload parser overflows on crafted archives.
detector: Nessus
detected: 2026-11-24
status: open
vdr:
  evaluated: 2026-11-24T10:00:00Z
  irv: true
  lev: true
  pain: 4
  rationale: Public upload API; exploit published.
  next_reduction: {at: 2026-11-26, pain: 3}
";

#[test]
fn incident_severity_follows_the_class_force() {
    for (class, severity) in [("b", "note"), ("c", "warning"), ("d", "warning")] {
        let dir = repo(
            &format!("items: poams\nprofile: fedramp-cr26\ncr26: {{class: {class}}}\n"),
            &[("V-1.yaml", INCIDENT)],
        );
        let (_, json) = lint_json(dir.path());
        assert_eq!(
            codes(&json),
            vec![("vdr-incident-irv".to_owned(), severity.to_owned())],
            "class {class}"
        );
    }
}

#[test]
fn rev5_deadline_rules_stay_out_of_cr26_and_vdr_rules_out_of_rev5() {
    // A Rev5 item long past its `due`, with deviations, linted under each profile.
    let rev5_item = crate::common::valid_item("V-1").replace("due: 2027-01-20", "due: 2026-11-10");
    let dir = repo(
        "items: poams\nprofile: fedramp-cr26\ncr26: {class: c}\n",
        &[("V-1.yaml", &rev5_item)],
    );
    let (_, json) = lint_json(dir.path());
    let found = codes(&json);
    assert!(
        found.iter().all(|(c, _)| c.starts_with("vdr-")),
        "only CR26 rules under cr26: {found:?}"
    );
    assert!(
        found.iter().any(|(c, _)| c == "vdr-not-evaluated"),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(c, _)| c == "vdr-legacy-field"),
        "{found:?}"
    );

    let dir = repo(
        "items: poams\n",
        &[("V-1.yaml", &rev5_item), ("V-2.yaml", INCIDENT)],
    );
    let (_, json) = lint_json(dir.path());
    let found = codes(&json);
    assert!(found.iter().any(|(c, _)| c == "overdue"), "{found:?}");
    assert!(
        found.iter().all(|(c, _)| !c.starts_with("vdr-")),
        "no CR26 rules under rev5: {found:?}"
    );
}

#[test]
fn cr26_needs_a_class_and_checks_the_block() {
    let dir = repo("items: poams\nprofile: fedramp-cr26\n", &[]);
    let out = poam()
        .arg("lint")
        .arg(dir.path())
        .args(["--today", TODAY, "--no-history"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs `cr26.class`"), "{stderr}");

    let dir = repo(
        "items: poams\nprofile: fedramp-cr26\ncr26: {class: a, package_overview_uri: nope, clas: b}\n",
        &[],
    );
    let out = poam()
        .arg("lint")
        .arg(dir.path())
        .args(["--today", TODAY, "--no-history"])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("must be `b`, `c` or `d`, found `a`"),
        "{stderr}"
    );
    assert!(stderr.contains("must be an absolute URI"), "{stderr}");
    assert!(stderr.contains("did you mean `class`?"), "{stderr}");
}

#[test]
fn vdr_block_problems_are_all_reported_with_suggestions() {
    let item = "id: V-1
title: T
description: D
detector: Nessus
detected: 2026-11-24
status: open
vdr:
  evaluatd: 2026-11-24
  irv: yes
  pain: four
  next_reduction: {at: soon, pain: 2}
  disposition: fixed
";
    let dir = repo(
        "items: poams\nprofile: fedramp-cr26\ncr26: {class: c}\n",
        &[("V-1.yaml", item)],
    );
    let (_, json) = lint_json(dir.path());
    let messages: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{} {}:{} {} ({})",
                d["code"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or(""),
                d["help"].as_str().unwrap_or("")
            )
        })
        .collect();
    let joined = messages.join("\n");
    for expected in [
        "unknown-field 8:3",
        "invalid-value 9:8",
        "invalid-value 10:9",
        "invalid-value 11:24",
        "invalid-value 12:16",
    ] {
        assert!(joined.contains(expected), "{expected} missing in\n{joined}");
    }
    assert!(
        joined.contains("did you mean `evaluated`"),
        "suggestion for `evaluatd`:\n{joined}"
    );
}

#[test]
fn show_states_the_current_rating_and_the_next_reduction_deadline() {
    let dir = repo(
        "items: poams\nprofile: fedramp-cr26\ncr26: {class: b}\n",
        &[("V-1.yaml", INCIDENT)],
    );
    let out = poam()
        .args(["show", "V-1", "--today", TODAY, "--color", "never", "-C"])
        .arg(dir.path())
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("current rating   N4 LEV+IRV since 2026-11-24T10:00:00Z"),
        "{stdout}"
    );
    assert!(
        stdout.contains("reduce by        2026-12-02T10:00:00Z (8 days from evaluation)"),
        "{stdout}"
    );
    assert!(!stdout.contains("policy deadline"), "{stdout}");
    let out = poam()
        .args(["show", "V-1", "--today", TODAY, "--format", "json", "-C"])
        .arg(dir.path())
        .output()
        .expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let vdr = &json["item"]["assessment"]["vdr"];
    assert_eq!(vdr["current_label"], "N4 LEV+IRV");
    assert_eq!(vdr["reduction_deadline"], "2026-12-02T10:00:00Z");
    assert_eq!(vdr["incident"], "irv");
    assert_eq!(json["item"]["vdr"]["pain"], 4);
}

#[test]
fn the_cr26_example_shows_every_class_c_item_rule() {
    let temp = tempfile::tempdir().expect("temp");
    crate::common::copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cr26"),
        temp.path(),
    );
    let (code, json) = lint_json(temp.path());
    assert_eq!(code, 1);
    let found: std::collections::BTreeSet<String> =
        codes(&json).into_iter().map(|(c, _)| c).collect();
    use strum::IntoEnumIterator;
    for code in poam::rules::Code::iter() {
        let name = code.as_str();
        // Class D's 12-hour cell and VER-TFR-NRI's warning need Class D; history rules need git.
        let class_c = !matches!(name, "vdr-needs-time" | "vdr-incident-nirv");
        if name.starts_with("vdr-") && class_c && !poam::rules::is_history_code(code) {
            assert!(found.contains(name), "{name} missing from {found:?}");
        }
    }
    assert!(found.iter().all(|c| c.starts_with("vdr-")), "{found:?}");
}
