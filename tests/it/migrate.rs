//! `poam migrate cr26`: a dry run writes nothing; `--write` sets the profile and class in
//! poam.yaml and adds `vdr:` stubs through the item editor, keeping comments; a second run has
//! nothing left to stub.

use std::path::Path;

use crate::common::{copy_dir, poam, TODAY};

fn migrate(repo: &Path, extra: &[&str]) -> String {
    let output = poam()
        .args(["migrate", "cr26", "--today", TODAY, "-C"])
        .arg(repo)
        .args(extra)
        .output()
        .expect("run poam");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

fn snapshot_of(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walk(dir)
        .into_iter()
        .map(|p| {
            let name = p.strip_prefix(dir).expect("inside").display().to_string();
            (name, std::fs::read_to_string(&p).expect("read"))
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn dry_run_writes_nothing_and_write_keeps_comments() {
    let temp = tempfile::tempdir().expect("temp");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        temp.path(),
    );
    let before = snapshot_of(temp.path());
    let dry = migrate(temp.path(), &["--uri", "https://example.com/pkg"]);
    assert_eq!(
        before,
        snapshot_of(temp.path()),
        "the dry run wrote something"
    );
    insta::assert_snapshot!("migrate-dry-run", dry);

    let written = migrate(
        temp.path(),
        &["--uri", "https://example.com/pkg", "--write"],
    );
    assert!(
        written.starts_with("Switched from `fedramp-rev5`"),
        "{written}"
    );
    let config = std::fs::read_to_string(temp.path().join("poam.yaml")).expect("config");
    insta::assert_snapshot!("migrate-poam-yaml", config);
    assert!(config.contains("# poam configuration for the demo system."));
    let item = std::fs::read_to_string(temp.path().join("poams/V-1001.yaml")).expect("item");
    let original = before
        .iter()
        .find(|(name, _)| name == "poams/V-1001.yaml")
        .map(|(_, text)| text.clone())
        .expect("V-1001");
    assert!(item.starts_with(&original), "the item's own bytes changed");
    assert_eq!(
        &item[original.len()..],
        "vdr:\n  evaluated: null\n  irv: null\n  lev: null\n  pain: null\n  rationale: null\n"
    );
    // Closed items keep their bytes.
    let closed = std::fs::read_to_string(temp.path().join("poams/V-1009.yaml")).expect("closed");
    assert!(before.contains(&("poams/V-1009.yaml".to_owned(), closed)));

    let again = migrate(temp.path(), &[]);
    assert!(!again.contains("stub"), "{again}");
    assert!(!again.contains("poam.yaml: profile"), "{again}");
}
