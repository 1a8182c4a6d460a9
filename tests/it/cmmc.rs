//! The `cmmc-l2` profile: the SPRS values shipped in `data/cmmc/`, `poam cmmc score` on
//! hand-checked assessments (each partial case, 3.12.4, the floor, the 88-point bar), the
//! closeout warning, and the example repository `examples/cmmc` (its README's invocations,
//! its score, report and dashboard).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{copy_dir, lint_json, poam, TODAY};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn json_file(relative: &str) -> Value {
    let text = std::fs::read_to_string(root().join(relative)).expect("read data file");
    serde_json::from_str(&text).expect("JSON")
}

/// The 110 Rev 2 requirement ids, in NIST order.
fn requirement_ids() -> Vec<String> {
    json_file("data/cmmc/sp800-171-requirements.json")
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

#[test]
fn sprs_values_have_the_methodology_counts_and_floor() {
    let points = json_file("data/cmmc/sprs-points.json");
    let points = points.as_object().expect("an object of id to value");
    assert_eq!(points.len(), 110);
    let detail = json_file("data/cmmc/sprs-points-detail.json");
    let detail = detail.as_array().expect("a list");
    let partial: BTreeSet<&str> = detail
        .iter()
        .filter(|d| !d["partial_value"].is_null())
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    assert_eq!(partial, BTreeSet::from(["3.5.3", "3.13.11"]));
    for d in detail.iter().filter(|d| !d["partial_value"].is_null()) {
        assert_eq!(d["partial_value"], 3, "{}", d["id"]);
        assert_eq!(d["value"], 5, "{}", d["id"]);
    }
    // The two files agree on every value.
    for d in detail {
        let id = d["id"].as_str().expect("id");
        assert_eq!(points[id], d["value"], "{id}");
    }
    // Counted apart from the two partial requirements, as the methodology lists them.
    let count = |value: Option<u64>| {
        points
            .iter()
            .filter(|(id, _)| !partial.contains(id.as_str()))
            .filter(|(_, v)| v.as_u64() == value)
            .count()
    };
    assert_eq!(count(Some(5)), 42, "five-point requirements");
    assert_eq!(count(Some(3)), 14, "three-point requirements");
    assert_eq!(count(Some(1)), 51, "one-point requirements");
    assert_eq!(partial.len(), 2, "partial requirements");
    assert_eq!(count(None), 1, "requirements without a value");
    assert!(points["3.12.4"].is_null(), "3.12.4 has no value");
    let total: u64 = points.values().filter_map(Value::as_u64).sum();
    assert_eq!(total, 313);
    assert_eq!(
        110 - i64::try_from(total).expect("small"),
        -203,
        "the floor"
    );
    // The same ids, in the same order, as the requirement list.
    let ids: Vec<&String> = points.keys().collect();
    let mut sorted_ids = requirement_ids();
    let mut keys: Vec<String> = ids.into_iter().cloned().collect();
    sorted_ids.sort();
    keys.sort();
    assert_eq!(keys, sorted_ids);
}

/// A `cmmc-l2` repository whose assessment has every requirement met except `not_met`,
/// with `partial` entries and extra top-level lines; no items.
fn repo(not_met: &[&str], partial: &[(&str, &str)], extra: &str) -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp");
    std::fs::create_dir(temp.path().join("poams")).expect("mkdir");
    std::fs::write(
        temp.path().join("poam.yaml"),
        "profile: cmmc-l2\nitems: poams\n",
    )
    .expect("write");
    let mut text = format!("level: 2\nkind: self\nassessed: 2026-11-12\n{extra}results:\n");
    for id in requirement_ids() {
        let result = if not_met.contains(&id.as_str()) {
            "not-met"
        } else {
            "met"
        };
        text.push_str(&format!("  \"{id}\": {result}\n"));
    }
    if !partial.is_empty() {
        text.push_str("partial:\n");
        for (id, how) in partial {
            text.push_str(&format!("  \"{id}\": {how}\n"));
        }
    }
    std::fs::write(temp.path().join("assessment.yaml"), text).expect("write");
    temp
}

/// `poam cmmc score --format json` in `dir`: (exit code, the report).
fn score(dir: &Path) -> (i32, Value) {
    let output = poam()
        .current_dir(dir)
        .args(["cmmc", "score", "--format", "json", "--today", TODAY])
        .output()
        .expect("run poam");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    (
        output.status.code().unwrap_or(-1),
        serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{e}: {stdout} {:?}", output.stderr)),
    )
}

fn reasons(report: &Value) -> Vec<String> {
    report["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r["reason"].as_str().expect("reason").to_owned())
        .collect()
}

#[test]
fn mfa_for_remote_and_privileged_users_only_costs_three_points() {
    // Not met: 3.5.3 MFA for remote and privileged users only (partial: 3, not 5),
    // 3.1.1 authorized access (5), 3.3.2 user accountability (3), 3.1.3 CUI flow (1).
    // By hand: 110 - (3 + 5 + 3 + 1) = 110 - 12 = 98; ratio 98 / 110 = 0.89.
    // Conditional status is not possible: 3.5.3 (3 points), 3.1.1 (5) and 3.3.2 (3) are each
    // worth more than 1 point (32 CFR 170.21(a)(2)(ii)), even though 98 >= 88.
    let temp = repo(
        &["3.5.3", "3.1.1", "3.3.2", "3.1.3"],
        &[("3.5.3", "remote-and-privileged-only")],
        "",
    );
    let (code, report) = score(temp.path());
    assert_eq!(report["score"], 98);
    assert_eq!(report["points_lost"], 12);
    assert!((report["ratio"].as_f64().expect("ratio") - 98.0 / 110.0).abs() < 1e-12);
    assert_eq!(report["status"], "not-eligible");
    assert_eq!(reasons(&report), ["worth-more", "worth-more", "worth-more"]);
    assert_eq!(code, 1, "not eligible: exit 1");

    // Without the partial implementation MFA costs its full 5:
    // 110 - (5 + 5 + 3 + 1) = 110 - 14 = 96.
    let temp = repo(&["3.5.3", "3.1.1", "3.3.2", "3.1.3"], &[], "");
    assert_eq!(score(temp.path()).1["score"], 96);
}

#[test]
fn encryption_that_is_not_fips_validated_costs_three_points_and_may_wait_on_the_poam() {
    // Not met: 3.13.11 with encryption employed but not FIPS-validated (partial: 3),
    // 3.8.9 backup CUI (1), 3.10.6 alternate work sites (1).
    // By hand: 110 - (3 + 1 + 1) = 105; ratio 0.95. Conditional status is possible: 105 >= 88,
    // 3.8.9 and 3.10.6 are worth 1 point, and 3.13.11 with not-FIPS-validated encryption is
    // the one exception 32 CFR 170.21(a)(2)(ii) allows; the closeout is 2026-11-20 + 180 days.
    let temp = repo(
        &["3.13.11", "3.8.9", "3.10.6"],
        &[("3.13.11", "not-fips-validated")],
        "conditional_date: 2026-11-20\n",
    );
    let (code, report) = score(temp.path());
    assert_eq!(report["score"], 105);
    assert_eq!(report["status"], "conditional");
    assert!(reasons(&report).is_empty());
    assert_eq!(report["closeout"], "2027-05-19");
    assert_eq!(report["closeout_days_left"], 175);
    assert_eq!(code, 0);

    // With no encryption at all 3.13.11 costs 5: 110 - (5 + 1 + 1) = 103, and a 5-point
    // requirement may not be on the POA&M.
    let temp = repo(&["3.13.11", "3.8.9", "3.10.6"], &[], "");
    let (_, report) = score(temp.path());
    assert_eq!(report["score"], 103);
    assert_eq!(reasons(&report), ["worth-more"]);
}

#[test]
fn without_a_security_plan_there_is_no_score_and_the_floor_is_minus_203() {
    // 3.12.4 has no value: not met, there is no assessment and so no score.
    let temp = repo(&["3.12.4", "3.1.3"], &[], "");
    let (_, report) = score(temp.path());
    assert!(report["score"].is_null());
    assert!(report["ratio"].is_null());
    assert_eq!(reasons(&report), ["no-security-plan"]);

    // Every requirement with a value not met, 3.12.4 met: 110 - 313 = -203.
    let ids = requirement_ids();
    let all: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| *id != "3.12.4")
        .collect();
    let temp = repo(&all, &[], "");
    let (_, report) = score(temp.path());
    assert_eq!(report["score"], -203);
    assert_eq!(report["floor"], -203);
    assert_eq!(report["not_met"], 109);
}

#[test]
fn below_88_points_conditional_status_is_not_possible() {
    // Five 5-point requirements not met: 110 - 25 = 85 < 88, and each is worth more than 1.
    let temp = repo(&["3.1.1", "3.1.2", "3.2.1", "3.2.2", "3.3.1"], &[], "");
    let (_, report) = score(temp.path());
    assert_eq!(report["score"], 85);
    let r = reasons(&report);
    assert_eq!(r[0], "below-minimum");
    assert_eq!(r.len(), 6, "below 88 and five requirements worth 5: {r:?}");
    // One of the six requirements 170.21 keeps off POA&Ms, worth only 1 point: 109, still
    // not eligible.
    let temp = repo(&["3.10.3"], &[], "");
    let (_, report) = score(temp.path());
    assert_eq!(report["score"], 109);
    assert_eq!(reasons(&report), ["excluded"]);
}

#[test]
fn the_closeout_warns_within_30_days_and_errs_after_it() {
    // conditional_date 2026-06-15 + 180 days = 2026-12-12: 17 days after TODAY.
    let temp = repo(&["3.1.8"], &[], "conditional_date: 2026-06-15\n");
    let item = "id: CM-1\ntitle: Lockout\ndescription: No lockout.\nrequirement: 3.1.8\ndetector: C3PAO assessment\nowner: jdoe\nremediation: GPO.\ndetected: 2026-06-01\nmilestones:\n  - id: 1\n    date: 2026-12-01\n    description: GPO deployed.\nstatus: open\nstatus_date: 2026-11-20\n";
    std::fs::write(temp.path().join("poams/CM-1.yaml"), item).expect("write");
    let (code, json) = lint_json(temp.path());
    let found: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                d["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(found, [("cmmc-closeout".to_owned(), "warning".to_owned())]);
    assert_eq!(code, 0, "a warning alone passes");
    let message = json["diagnostics"][0]["message"].as_str().expect("message");
    assert!(message.contains("in 17 days (2026-12-12"), "{message}");
}

#[test]
fn score_refuses_other_profiles_and_a_missing_assessment() {
    let output = poam()
        .args(["cmmc", "score", "-C"])
        .arg(root().join("examples/demo"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("profile: cmmc-l2"));
    let temp = repo(&[], &[], "");
    std::fs::remove_file(temp.path().join("assessment.yaml")).expect("rm");
    let output = poam()
        .current_dir(temp.path())
        .args(["cmmc", "score"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no assessment.yaml"));
}

/// `examples/cmmc` copied to a temp folder outside git.
fn example() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp");
    copy_dir(&root().join("examples/cmmc"), temp.path());
    temp
}

fn run(dir: &Path, args: &[&str]) -> String {
    let output = poam()
        .current_dir(dir)
        .args(args)
        .args(["--today", TODAY, "--color", "never"])
        .output()
        .expect("run poam");
    assert_eq!(output.status.code(), Some(0), "poam {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn the_example_scores_103_and_its_report_and_dashboard_show_it() {
    let temp = example();
    let human = run(temp.path(), &["cmmc", "score"]);
    insta::assert_snapshot!("cmmc-example-score", human);
    let report = run(temp.path(), &["report"]);
    insta::assert_snapshot!("cmmc-example-report-md", report);
    for words in [
        "**103** of 110",
        "| 0.94 |",
        "closed by **2027-05-19**",
        "175 days left, 4 items open",
        "Points at stake (4 open items, 6 points)",
        "| CM-3 | Use FIPS-validated cryptography for CUI at rest | 3.13.11 | not-met | 3 |",
        "| 3.13 System and Communications Protection | 15 | 1 | 0 | 0 |",
    ] {
        assert!(report.contains(words), "report lacks {words:?}:\n{report}");
    }
    // No Rev5 deadline words: lateness here is the closeout only.
    for rev5 in [
        "effective risk",
        "Overdue",
        "escalation trigger",
        "Vendor dependencies",
    ] {
        assert!(!report.contains(rev5), "{rev5}");
    }
    let html = run(temp.path(), &["report", "--format", "html"]);
    assert!(html.contains("<strong>103</strong> of 110"));
    let site = temp.path().join("site-out");
    let output = poam()
        .current_dir(temp.path())
        .args(["site", "--today", TODAY, "-o"])
        .arg(&site)
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");
    let index = std::fs::read_to_string(site.join("index.html")).expect("dashboard");
    assert!(index.contains("CMMC Level 2 POA&amp;M dashboard"));
    assert!(index.contains("<strong>103</strong> of 110"));
    assert!(index.contains("<strong>175</strong> days left"));
    assert!(
        index.contains("<a href=\"items/cm-3.html\">CM-3</a>"),
        "items link to their pages"
    );
    let page = std::fs::read_to_string(site.join("items/cm-3.html")).expect("item page");
    assert!(
        page.contains("<strong>3 points</strong> at stake"),
        "{page}"
    );
    assert!(
        page.contains("closeout 2027-05-19, 175 days left"),
        "{page}"
    );
    assert!(
        !page.contains("Effective risk"),
        "no Rev5 rating on a CMMC item page"
    );
    let show = run(temp.path(), &["show", "CM-3", "--format", "json"]);
    let view: Value = serde_json::from_str(&show).expect("json");
    assert_eq!(view["item"]["requirement"], "3.13.11");
    assert_eq!(view["item"]["standing"]["rating"]["label"], "3 points");
    assert_eq!(
        view["item"]["standing"]["next_deadline"]["kind"],
        "closeout"
    );
    assert_eq!(
        view["item"]["standing"]["next_deadline"]["date"],
        "2027-05-19"
    );
}

/// The README of `examples/cmmc`: every `poam` line of its `sh` block runs (exit 0) from the
/// repository root, and the example lints clean.
#[test]
fn the_example_readme_invocations_run() {
    let text = std::fs::read_to_string(root().join("examples/cmmc/README.md")).expect("README");
    let lines: Vec<&str> = text
        .split("```sh\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .flat_map(str::lines)
        .filter(|l| l.starts_with("poam "))
        .collect();
    assert!(lines.len() >= 3, "{lines:?}");
    let temp = tempfile::tempdir().expect("temp");
    copy_dir(
        &root().join("examples/cmmc"),
        &temp.path().join("examples/cmmc"),
    );
    for line in lines {
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let output = poam()
            .current_dir(temp.path())
            .args(&args)
            .output()
            .expect("run poam");
        assert!(
            output.status.code() == Some(0) && output.stderr.is_empty(),
            "`{line}` exited {:?}: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let (code, json) = lint_json(&temp.path().join("examples/cmmc"));
    assert_eq!(code, 0);
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(0));
}

/// `requirement` is required under `cmmc-l2`: `poam new` writes it empty and lint asks for it.
#[test]
fn a_new_item_asks_for_its_requirement() {
    let temp = repo(&[], &[], "conditional_date: 2026-11-20\n");
    let output = poam()
        .current_dir(temp.path())
        .args(["new", "--title", "Encrypt mobile devices", "--today", TODAY])
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(temp.path().join("poams/V-1.yaml")).expect("new item");
    assert!(text.contains("requirement: \"\"\n"), "{text}");
    assert!(
        text.contains("    date: 2027-05-19\n"),
        "one milestone at the closeout: {text}"
    );
    let (_, json) = lint_json(temp.path());
    let missing: Vec<&str> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "missing-field")
        .filter_map(|d| d["message"].as_str())
        .collect();
    assert!(
        missing.contains(&"required field `requirement` is empty"),
        "{missing:?}"
    );
    // The site renders an item that names no requirement yet.
    let output = poam()
        .current_dir(temp.path())
        .args(["site", "--today", TODAY, "-o"])
        .arg(temp.path().join("site-out"))
        .output()
        .expect("run");
    assert!(output.status.success(), "{output:?}");
}
