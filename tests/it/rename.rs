//! `poam rename person|asset OLD NEW`: one id changed in every file that writes it, through the
//! item editor, as one set of writes; a dry run unless `--write`.

use std::fs;
use std::path::Path;

use crate::common::{copy_dir, poam, TODAY};

/// The demo, copied outside any git repository, without its duplicated `jdoe` entry (a rename
/// of a duplicated id is refused, see below).
fn demo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        dir.path(),
    );
    let people = dir.path().join("people.yaml");
    let text = fs::read_to_string(&people).expect("read");
    let text = text.replace(
        "- id: jdoe                     # people-duplicate-id: a second entry with this id\n  name: John Doe\n",
        "",
    );
    fs::write(&people, text).expect("write");
    dir
}

fn rename(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(dir)
        .arg("rename")
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every file of `dir` with its bytes, for before/after comparisons.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("entry");
        if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            out.push((name, fs::read(entry.path()).expect("read")));
        }
    }
    out
}

#[test]
fn a_person_is_renamed_everywhere_and_the_old_id_becomes_an_alias() {
    let dir = demo();
    let before = snapshot(dir.path());
    let (code, stdout, stderr) = rename(dir.path(), &["person", "jdoe", "jane"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "Would rename person `jdoe` to `jane`:\n\
         \x20 people.yaml: [0].id: `jdoe` -> `jane`\n\
         \x20 people.yaml: [0].aliases: + jdoe\n\
         \x20 people.yaml: [6].members[0]: `jdoe` -> `jane`\n\
         \x20 poams/V-1001.yaml: owner: `jdoe` -> `jane`\n\
         4 changes in 2 files.\n\
         Nothing was written: run again with --write.\n"
    );
    assert_eq!(snapshot(dir.path()), before, "a dry run writes nothing");

    let (code, stdout, stderr) = rename(dir.path(), &["person", "jdoe", "jane", "--write"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("Renamed person `jdoe` to `jane`:\n"),
        "{stdout}"
    );
    let people = fs::read_to_string(dir.path().join("people.yaml")).expect("read");
    // Comments and layout stay; only the values change.
    assert!(
        people.starts_with(
            "# The people and teams of the demo system: items name them by id as `owner`.\n\
             # Two entries show what lint reports about the file itself (see README.md).\n\
             - id: jane\n  name: Jane Doe\n"
        ),
        "{people}"
    );
    assert!(people.contains("  aliases:\n    - jdoe\n"), "{people}");
    assert!(people.contains("  members: [jane]\n"), "{people}");
    assert!(
        people.contains("  until: 2026-10-31            # left the company"),
        "{people}"
    );
    let item = fs::read_to_string(dir.path().join("poams/V-1001.yaml")).expect("read");
    assert!(item.contains("\nowner: jane\n"), "{item}");
    // Only those two files changed, and no temporary file is left.
    let after = snapshot(dir.path());
    let changed: Vec<&str> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a.0.as_str())
        .collect();
    assert_eq!(after.len(), before.len());
    assert_eq!(changed, ["people.yaml", "poams/V-1001.yaml"]);
    // The old id still resolves: an item not yet changed is no `owner-unknown`.
    fs::write(
        dir.path().join("poams/V-1002.yaml"),
        fs::read_to_string(dir.path().join("poams/V-1002.yaml"))
            .expect("read")
            .replace("owner: rpatel", "owner: jdoe"),
    )
    .expect("write");
    let lint = poam()
        .args(["lint", "--no-history", "--today", TODAY, "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("lint");
    let json: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("json");
    let owner_unknown: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| d["code"] == "owner-unknown")
        .collect();
    assert!(
        owner_unknown
            .iter()
            .all(|d| d["item"] != "V-1002" && d["item"] != "V-1001"),
        "{owner_unknown:?}"
    );
    // A second rename of the same id finds only the alias: refused, pointing at the new id.
    let (code, _, stderr) = rename(dir.path(), &["person", "jdoe", "jdoe2"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`jdoe` is an alias of `jane`: rename `jane` instead"),
        "{stderr}"
    );
}

#[test]
fn unknown_old_ids_taken_new_ids_and_duplicated_ids_are_refused_and_nothing_is_written() {
    let dir = demo();
    let before = snapshot(dir.path());
    for (args, expected) in [
        (
            vec!["person", "jdeo", "jane"],
            "`jdeo` is not a person or team of people.yaml; did you mean `jdoe`?",
        ),
        (
            vec!["person", "jdoe", "rpatel", "--write"],
            "`rpatel` is already an entry's id in people.yaml",
        ),
        (
            vec!["person", "jdoe", "jdoe"],
            "needs two different, non-empty ids",
        ),
        (
            vec!["asset", "db-prod-01", "db-01", "--write"],
            "no item names asset `db-prod-01`",
        ),
    ] {
        let (code, stdout, stderr) = rename(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stdout}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    let duplicated = tempfile::tempdir().expect("temp");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        duplicated.path(),
    );
    let (code, _, stderr) = rename(duplicated.path(), &["person", "jdoe", "jane", "--write"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`jdoe` is the id of 2 entries of people.yaml (people-duplicate-id)"),
        "{stderr}"
    );
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn an_asset_is_renamed_in_every_item_keeping_its_port() {
    let dir = demo();
    let (code, stdout, stderr) = rename(
        dir.path(),
        &[
            "asset",
            "san-ctrl-a.example.internal",
            "san-ctrl-a",
            "--write",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "Renamed asset `san-ctrl-a.example.internal` to `san-ctrl-a`:\n\
         \x20 inventory/storage.yaml: [0].id: `san-ctrl-a.example.internal` -> `san-ctrl-a`\n\
         \x20 inventory/storage.yaml: [0].aliases: + san-ctrl-a.example.internal\n\
         \x20 poams/V-1004.yaml: assets[0]: `san-ctrl-a.example.internal (22/TCP)` -> `san-ctrl-a (22/TCP)`\n\
         3 changes in 2 files.\n"
    );
    let inventory = fs::read_to_string(dir.path().join("inventory/storage.yaml")).expect("read");
    assert!(inventory.contains("- id: san-ctrl-a\n"), "{inventory}");
    let (code, stdout, stderr) = rename(dir.path(), &["asset", "san-ctrl-a.example.internal", "x"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("`san-ctrl-a.example.internal` is an alias of the asset `san-ctrl-a`"),
        "{stderr}"
    );
    let item = fs::read_to_string(dir.path().join("poams/V-1004.yaml")).expect("read");
    assert!(
        item.contains(
            "assets:\n  - san-ctrl-a (22/TCP)\n  - san-ctrl-b.example.internal (22/TCP)\n"
        ),
        "{item}"
    );
}

#[test]
fn a_file_changed_after_the_plan_stops_the_whole_rename() {
    let dir = demo();
    let config = poam::config::Config::discover(Some(dir.path()), None).expect("config");
    let workspace =
        poam::workspace::Workspace::load(config, dir.path().to_path_buf()).expect("workspace");
    let mut plan = poam::rename::plan(&workspace, poam::rename::Element::Person, "jdoe", "jane")
        .expect("plan");
    // Someone edits the item between the plan and the write: the people file, staged first,
    // must not be written either.
    let item = dir.path().join("poams/V-1001.yaml");
    let hand_edit = format!(
        "{}# a hand edit\n",
        fs::read_to_string(&item).expect("read")
    );
    fs::write(&item, &hand_edit).expect("write");
    let before = snapshot(dir.path());
    let err = poam::rename::write(&mut plan).expect_err("refused");
    assert!(err.to_string().contains("V-1001.yaml"), "{err}");
    assert_eq!(
        snapshot(dir.path()),
        before,
        "nothing written, nothing left behind"
    );
}

#[test]
fn an_asset_the_inventory_does_not_hold_is_renamed_in_the_items_only_and_taken_ids_are_refused() {
    let dir = demo();
    let before = snapshot(dir.path());
    let (code, stdout, stderr) = rename(
        dir.path(),
        &[
            "asset",
            "san-ctrl-a.example.internal",
            "san-ctrl-b.example.internal",
        ],
    );
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains(
            "`san-ctrl-b.example.internal` already names the asset `san-ctrl-b.example.internal`"
        ),
        "{stderr}"
    );
    assert_eq!(snapshot(dir.path()), before);

    // An item names an asset the inventory lacks (asset-unknown): the items change, the
    // inventory does not, and the output says so.
    let item = dir.path().join("poams/V-1004.yaml");
    let text = fs::read_to_string(&item).expect("read");
    fs::write(
        &item,
        text.replace(
            "san-ctrl-b.example.internal (22/TCP)",
            "san-ctrl-z (22/TCP)",
        ),
    )
    .expect("write");
    let (code, stdout, stderr) = rename(dir.path(), &["asset", "san-ctrl-z", "san-ctrl-y"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.ends_with(
            "1 change in 1 file.\n`san-ctrl-z` is not an asset of the inventory: only the items' `assets` are changed.\nNothing was written: run again with --write.\n"
        ),
        "{stdout}"
    );
}

#[test]
fn a_team_renamed_is_renamed_as_the_inventory_assets_owner_too() {
    let dir = demo();
    let (code, stdout, stderr) = rename(
        dir.path(),
        &["person", "platform-team", "platform", "--write"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("inventory/web.yaml: [0].system_owner: `platform-team` -> `platform`"),
        "{stdout}"
    );
    let web = fs::read_to_string(dir.path().join("inventory/web.yaml")).expect("read");
    assert!(!web.contains("platform-team"), "{web}");
    assert!(web.contains("  system_owner: platform\n"), "{web}");
    let people = fs::read_to_string(dir.path().join("people.yaml")).expect("read");
    assert!(people.contains("- id: platform\n"), "{people}");
}
