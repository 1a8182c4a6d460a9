//! `poam show` on the demo, in each format.

use crate::common::poam;

fn show(id: &str, format: &str) -> (i32, String, String) {
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    let output = poam()
        .current_dir(&demo)
        .args(["show", id, "--today", "2026-11-25", "--format", format])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn human_shows_where_an_item_stands() {
    // V-1003 is late but waiting on a vendor; V-1004's vendor check-in is stale.
    for id in ["V-1003", "V-1004"] {
        let (code, out, err) = show(id, "human");
        assert_eq!(code, 0, "{err}");
        insta::assert_snapshot!(format!("show_human_{id}"), out);
    }
}

#[test]
fn json_is_the_versioned_item_view() {
    let (code, out, err) = show("V-1004", "json");
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["item"]["assessment"]["vendor_checkin"]["stale"], true);
    insta::assert_json_snapshot!("show_json_V-1004", json);
}

#[test]
fn yaml_reads_back_as_the_json_view() {
    let (code, yaml, err) = show("V-1003", "yaml");
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("show_yaml_V-1003", yaml);
    let node = poam::parse::parse_str(&yaml).expect("valid YAML");
    let (_, json, _) = show("V-1003", "json");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    // Numbers come back as numbers, and every string (dates included) as the same string.
    assert_eq!(node.to_json(), json);
}

#[test]
fn an_unknown_id_names_the_nearest() {
    let (code, out, err) = show("V-103", "human");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("no item with id `V-103`"), "{err}");
    assert!(err.contains("`V-1003`"), "{err}");
}

/// An id two files claim is refused by `show` and `export dr`, as by the commands that edit:
/// either file could be the wrong answer. Seven files are named as the first five and a count.
#[test]
fn an_id_claimed_by_several_files_is_refused_not_answered_from_one() {
    let (_dir, repo) = crate::common::copy_example("demo");
    let item = std::fs::read_to_string(repo.join("poams/V-1003.yaml")).expect("item");
    for n in 1..7 {
        std::fs::write(repo.join(format!("poams/copy-{n}.yaml")), &item).expect("write");
    }
    for args in [
        &["show", "V-1003"][..],
        &["export", "dr", "V-1003", "-o", "dr.xlsx"][..],
    ] {
        let output = poam()
            .current_dir(&repo)
            .args(args)
            .args(["--today", "2026-11-25"])
            .output()
            .expect("run poam");
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(
            err.contains("V-1003: the id is claimed by 7 files (poams/V-1003.yaml, poams/copy-1.yaml, poams/copy-2.yaml, poams/copy-3.yaml, poams/copy-4.yaml and 2 more)"),
            "{args:?}: {err}"
        );
    }
    assert!(!repo.join("dr.xlsx").exists());
}
