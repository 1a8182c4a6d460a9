//! `poam inventory export` and `poam inventory import`: the FedRAMP Integrated Inventory
//! Workbook, compared with the real template in `tests/fixtures/inventory/` and filled by
//! `tests/fixtures/inventory/fill_iiw.py`.

use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::common::{fixtures, poam, TODAY};

fn template() -> PathBuf {
    fixtures().join("inventory/SSP-Appendix-M-Integrated-Inventory-Workbook-Template.xlsx")
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo")
}

/// The strings of `row` (0-based) of sheet `Inventory`, by 0-based column.
fn row_texts(path: &Path, row: u32) -> Vec<(u32, String)> {
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).expect("a workbook");
    let range = workbook
        .worksheet_range("Inventory")
        .expect("sheet Inventory");
    let (first_row, first_column) = range.start().expect("cells");
    range
        .rows()
        .nth(usize::try_from(row - first_row).expect("row"))
        .expect("the row")
        .iter()
        .enumerate()
        .filter_map(|(index, cell)| match cell {
            Data::String(text) => Some((
                first_column + u32::try_from(index).expect("column"),
                text.clone(),
            )),
            _ => None,
        })
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = poam()
        .current_dir(dir)
        .args(args)
        .args(["--today", TODAY])
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `poam inventory export -o out.xlsx`, then `poam inventory import out.xlsx --into
/// again.yaml` in `dir`: the import's standard error and the file it wrote.
fn export_and_import_again(dir: &Path) -> (String, String) {
    let (code, stderr) = run(dir, &["inventory", "export", "-o", "out.xlsx"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = run(
        dir,
        &["inventory", "import", "out.xlsx", "--into", "again.yaml"],
    );
    assert_eq!(code, 0, "{stderr}");
    let again = fs::read_to_string(dir.join("again.yaml")).expect("written");
    (stderr, again)
}

#[test]
fn the_export_has_the_templates_group_labels_headers_and_column_order() {
    let dir = tempfile::tempdir().expect("temp");
    let out = dir.path().join("iiw.xlsx");
    let (code, stderr) = run(&demo_dir(), &["inventory", "export", "-o"]);
    assert_eq!(code, 2, "-o needs a value: {stderr}");
    let output = poam()
        .current_dir(demo_dir())
        .args(["inventory", "export", "--today", TODAY, "-o"])
        .arg(&out)
        .output()
        .expect("run poam");
    assert!(output.status.success(), "{output:?}");
    // The template's column A (guidance) is deleted on submission: B..Z become A..Y.
    let shift = |cells: Vec<(u32, String)>| -> Vec<(u32, String)> {
        cells
            .into_iter()
            .filter(|(c, _)| *c >= 1)
            .map(|(c, t)| (c - 1, t))
            .collect()
    };
    let template_labels = shift(row_texts(&template(), 0));
    let template_headers = shift(row_texts(&template(), 1));
    assert_eq!(template_headers.len(), 25);
    assert_eq!(row_texts(&out, 0), template_labels);
    assert_eq!(row_texts(&out, 1), template_headers);
    // One row per asset: the demo's current assets, retired and duplicate ones left out.
    let first = row_texts(&out, 2);
    // Files in path order: `hosts.yaml` first.
    assert_eq!(first[0], (0, "xfer-01.example.internal".to_owned()));
    let csv = poam()
        .current_dir(demo_dir())
        .args(["inventory", "export", "--format", "csv", "--today", TODAY])
        .output()
        .expect("run poam");
    let text = String::from_utf8_lossy(&csv.stdout);
    assert!(
        text.starts_with("UNIQUE ASSET IDENTIFIER,IPv4 or IPv6 Address,Virtual,Public,"),
        "{text}"
    );
    assert!(text.contains("\"VLAN/\nNetwork ID\""), "{text}");
    assert!(!text.contains("docs.example-saas.com"), "retired: {text}");
    assert_eq!(
        text.matches("xfer-01.example.internal").count(),
        1,
        "{text}"
    );
}

#[test]
fn the_filled_template_imports_and_export_then_import_gives_the_same_inventory() {
    let dir = tempfile::tempdir().expect("temp");
    fs::create_dir(dir.path().join("poams")).expect("mkdir");
    fs::write(dir.path().join("poam.yaml"), "items: poams\n").expect("write");
    let filled = fixtures().join("inventory/IIW-filled.xlsx");
    let filled = filled.to_str().expect("a path");
    let (code, stderr) = run(dir.path(), &["inventory", "import", filled]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.trim(),
        format!(
            "4 asset(s) written to `{}`",
            dir.path().join("inventory/iiw.yaml").display()
        )
    );
    let first = fs::read_to_string(dir.path().join("inventory/iiw.yaml")).expect("written");
    // The template's guidance and example rows are not assets.
    assert!(!first.contains("123.45."), "{first}");
    for expected in [
        "- id: web-prod-01.example.internal\n  ip: [10.20.30.41, 10.20.30.141]\n  virtual: true\n",
        "  end_of_life: 2029-12-31\n",
        "- id: registry.example.com/portal/api:1.4.2\n  aliases: [sha256:9f3c2a7d",
        "  software_vendor: Open Source\n",
    ] {
        assert!(first.contains(expected), "{expected}: {first}");
    }
    // Never over the file (it may hold hand edits) without --force.
    let (code, stderr) = run(dir.path(), &["inventory", "import", filled]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pass --force"), "{stderr}");
    assert_eq!(
        fs::read_to_string(dir.path().join("inventory/iiw.yaml")).expect("kept"),
        first
    );
    let (code, stderr) = run(dir.path(), &["inventory", "import", filled, "--force"]);
    assert_eq!(code, 0, "{stderr}");
    // Export, import again: the same assets, field for field.
    let (_, again) = export_and_import_again(dir.path());
    let body = |text: &str| text.split_once('\n').map(|(_, b)| b.to_owned());
    assert_eq!(body(&again), body(&first));
}

#[test]
fn every_refused_cell_is_located_by_sheet_row_and_column() {
    let dir = tempfile::tempdir().expect("temp");
    fs::create_dir(dir.path().join("poams")).expect("mkdir");
    fs::write(dir.path().join("poam.yaml"), "items: poams\n").expect("write");
    let filled = fixtures().join("inventory/IIW-filled-problems.xlsx");
    let (code, stderr) = run(
        dir.path(),
        &[
            "inventory",
            "import",
            filled.to_str().expect("a path"),
            "--into",
            "assets.yaml",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        "skipped: Inventory, row 13, column D (Virtual): `Maybe` is not Yes or No\n\
         skipped: Inventory, row 15, column Z (End-of-Life): `end of 2027` is not a date (write m/d/yyyy, YYYY-MM-DD or an Excel date)\n\
         skipped: Inventory, row 17, column B (UNIQUE ASSET IDENTIFIER): the row has data but no UNIQUE ASSET IDENTIFIER\n\
         4 asset(s) written to `assets.yaml`; 3 cell(s) or row(s) skipped\n"
    );
}

#[test]
fn an_inventory_file_of_thousands_of_assets_is_read_edited_exported_and_imported() {
    // 6,000 assets in one file (2.6 MB): what `poam inventory import` writes for a large
    // system, and more than an item file may hold (1 MB).
    let dir = tempfile::tempdir().expect("temp");
    fs::create_dir(dir.path().join("poams")).expect("mkdir");
    fs::create_dir(dir.path().join("inventory")).expect("mkdir");
    fs::write(dir.path().join("poam.yaml"), "items: poams\n").expect("write");
    let assets: String = (0..6_000)
        .map(|n| {
            format!(
                "- id: host-{n:05}.example.internal\n  ip: 10.{}.{}.{}\n  aliases: [HOST{n:05}]\n  virtual: true\n  public: false\n  authenticated_scan: true\n  baseline_configuration: CIS Level 2\n  os: Ubuntu 22.04.5 LTS\n  asset_type: Server\n  hardware_model: AWS EC2 m6i.large\n  in_latest_scan: true\n  last_scanned: {TODAY}\n  diagram_label: Tier {}\n  function: Application server of the large inventory test\n",
                n / 65_536,
                n / 256 % 256,
                n % 256,
                n % 3
            )
        })
        .collect();
    assert!(
        assets.len() > 2 * poam::parse::MAX_FILE_BYTES,
        "{}",
        assets.len()
    );
    fs::write(dir.path().join("inventory/iiw.yaml"), &assets).expect("write");
    let lint = poam()
        .current_dir(dir.path())
        .args(["lint", "--format", "json", "--today", TODAY])
        .output()
        .expect("lint");
    let report: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("json");
    let inventory_findings: Vec<_> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["file"] == "inventory/iiw.yaml")
        .collect();
    assert!(
        inventory_findings.is_empty(),
        "{} findings, the first: {:?}",
        inventory_findings.len(),
        inventory_findings.first()
    );
    // The editor opens it too.
    let (code, stderr) = run(
        dir.path(),
        &[
            "rename",
            "asset",
            "host-00007.example.internal",
            "host-seven.example.internal",
            "--write",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let renamed = fs::read_to_string(dir.path().join("inventory/iiw.yaml")).expect("read");
    assert!(
        renamed.contains("- id: host-seven.example.internal\n"),
        "the rename was written"
    );
    // Export, import again: every asset comes back in one readable file.
    let (stderr, again) = export_and_import_again(dir.path());
    assert!(stderr.contains("6000 asset(s) written"), "{stderr}");
    assert!(again.contains("- id: host-05999.example.internal\n"));
}
