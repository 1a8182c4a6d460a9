//! Every input in tests/fixtures/fuzz/ goes through the code of the fuzz targets (fuzz/) and
//! gives findings or located errors, never a panic.

use std::path::Path;

use crate::common::fixtures;

fn inputs(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fixtures().join("fuzz").join(kind);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| (f.display().to_string(), std::fs::read(&f).expect("read")))
        .collect()
}

#[test]
fn item_inputs_never_panic() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
    let config = poam::config::Config::for_items_dir(Path::new("."));
    let all = inputs("item");
    assert!(!all.is_empty());
    for (name, bytes) in all {
        let Ok((text, node)) = poam::parse::parse_owned(bytes) else {
            continue;
        };
        let item = poam::model::item::Item::from_node(&node, &text);
        let source = poam::source::SourceFile::new("V-1.yaml".into(), text.clone());
        for finding in poam::lint::check_item(&config, today, None, &source, &item, "V-1", None) {
            assert!(finding.location.span.end <= text.len(), "{name}");
        }
    }
}

#[test]
fn config_inputs_never_panic() {
    let all = inputs("config");
    assert!(!all.is_empty());
    for (name, bytes) in all {
        let file = Path::new("/nonexistent-poam-fuzz/poam.yaml");
        if let Err(poam::error::Error::Config(error)) =
            poam::config::Config::from_bytes(file, &bytes)
        {
            for problem in &error.problems {
                assert!(problem.span.end <= error.source.text.len(), "{name}");
            }
        }
    }
}

#[path = "../../fuzz/checks/edit.rs"]
mod edit_check;

#[path = "../../fuzz/checks/parse_diff.rs"]
mod parse_diff_check;

/// The `edit` target's check (fuzz/checks/edit.rs) on every input of tests/fixtures/fuzz/edit/:
/// three bytes choosing the edit, then the item file.
#[test]
fn edit_inputs_read_back_as_the_intended_change() {
    let all = inputs("edit");
    assert!(!all.is_empty());
    for (name, bytes) in all {
        let outcome = std::panic::catch_unwind(|| edit_check::check(&bytes));
        assert!(outcome.is_ok(), "{name}");
    }
}

/// The `parse-diff` target's check on every input of tests/fixtures/fuzz/parse-diff/.
#[test]
fn parse_diff_inputs_agree() {
    let all = inputs("parse-diff");
    assert!(!all.is_empty());
    for (name, bytes) in all {
        let outcome = std::panic::catch_unwind(|| parse_diff_check::check(&bytes));
        assert!(outcome.is_ok(), "{name}");
    }
}

#[path = "../../fuzz/checks/pack.rs"]
mod pack_check;

/// The `pack` target's check on every input of tests/fixtures/fuzz/pack/: a first byte
/// choosing the repository and whether to reseal, then edits to its pack and index.
#[test]
fn pack_inputs_give_an_error_or_the_pristine_answer() {
    let all = inputs("pack");
    assert!(!all.is_empty());
    let temp = tempfile::tempdir().expect("temp dir");
    let checker = pack_check::Checker::new(temp.path(), &fixtures().join("git/objects.sh"));
    for (name, bytes) in all {
        let outcome = std::panic::catch_unwind(|| checker.check(&bytes));
        assert!(outcome.is_ok(), "{name}");
    }
}

#[test]
fn xlsx_inputs_never_panic() {
    let all = inputs("xlsx");
    assert!(!all.is_empty());
    let options = poam::import::xlsx::ImportOptions {
        include_example: true,
    };
    for (name, bytes) in all {
        // Rows, row problems or an error; the far cell and the long id are refused.
        match poam::import::xlsx::read_bytes(&bytes, Path::new(&name), options) {
            Ok(imported) => assert!(
                imported.rows.is_empty() && !imported.problems.is_empty(),
                "{name}"
            ),
            Err(error) => assert!(!error.to_string().is_empty(), "{name}"),
        }
    }
}
