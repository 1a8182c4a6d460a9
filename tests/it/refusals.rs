//! What poam refuses to read or write when a file is hostile or a path is wrong (issue 20):
//! symlinks in the templates folder, oversized workbooks, outputs over items or `poam.yaml`,
//! formula cells in spreadsheets, ids that cannot be file names, imported text too large for
//! an item, and what killed runs leave behind. Each test builds the files the way the fault
//! was found and runs poam as a process.

use std::os::unix::fs::symlink;
use std::path::Path;

use crate::common::{build_repo, poam, valid_item};

const TODAY: &str = "2026-03-20";

/// Runs poam in `cwd` with `args`; (exit code, stdout, stderr).
fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = poam()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The report fixture with `templates: report-templates` and that folder made.
fn repo_with_templates() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, repo) = build_repo("report");
    std::fs::create_dir(repo.join("report-templates")).expect("mkdir");
    let config = std::fs::read_to_string(repo.join("poam.yaml")).expect("read");
    std::fs::write(
        repo.join("poam.yaml"),
        format!("{config}templates: report-templates\n"),
    )
    .expect("write");
    (temp, repo)
}

#[test]
fn a_symlinked_template_is_refused_and_nothing_is_published() {
    let (temp, repo) = repo_with_templates();
    let dir = repo.join("report-templates");
    symlink("/proc/self/environ", dir.join("x.j2")).expect("symlink");
    std::fs::create_dir(dir.join("site")).expect("mkdir");
    std::fs::write(dir.join("site/index.html.j2"), "{% include \"x.j2\" %}\n").expect("write");
    let out = temp.path().join("public");
    let (code, _, err) = run(
        &repo,
        &["site", "--today", TODAY, "-o", out.to_str().expect("utf-8")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("x.j2") && err.contains("is a symlink"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is published");
    let leftovers: Vec<_> = std::fs::read_dir(temp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .filter(|n| n.to_string_lossy().contains("poam-new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The same include from `poam report`.
    std::fs::write(dir.join("report.md.j2"), "{% include \"x.j2\" %}\n").expect("write");
    let (code, stdout, err) = run(&repo, &["report", "--today", TODAY]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is a symlink"), "{err}");
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn a_template_symlinked_to_a_repository_file_or_through_a_folder_is_refused() {
    let (_temp, repo) = repo_with_templates();
    let dir = repo.join("report-templates");
    // A symlink to a file in the repository (`.git/config`, where checkout keeps the token).
    symlink("../.git/config", dir.join("report.md.j2")).expect("symlink");
    let (code, stdout, err) = run(&repo, &["report", "--today", TODAY]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("report.md.j2") && err.contains("symlink"),
        "{err}"
    );
    assert!(!stdout.contains("[core]"), "{stdout}");

    // A symlinked folder on the way out.
    std::fs::remove_file(dir.join("report.md.j2")).expect("remove");
    std::fs::create_dir(repo.join("elsewhere")).expect("mkdir");
    std::fs::write(repo.join("elsewhere/secret.j2"), "SECRET\n").expect("write");
    symlink("../elsewhere", dir.join("part")).expect("symlink");
    std::fs::write(
        dir.join("report.md.j2"),
        "{% include \"part/secret.j2\" %}\n",
    )
    .expect("write");
    let (code, stdout, err) = run(&repo, &["report", "--today", TODAY]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("resolves outside the templates folder"),
        "{err}"
    );
    assert!(!stdout.contains("SECRET"), "{stdout}");

    // A hidden name is never a template, even from a templates folder at the root.
    std::fs::write(dir.join("report.md.j2"), "{% include \".git/config\" %}\n").expect("write");
    let (code, stdout, _) = run(&repo, &["report", "--today", TODAY]);
    assert_eq!(code, 2);
    assert!(!stdout.contains("[core]"), "{stdout}");
}

#[test]
fn a_symlinked_style_sheet_is_refused() {
    let (temp, repo) = repo_with_templates();
    std::fs::write(repo.join("outside.txt"), "SECRET\n").expect("write");
    symlink("../outside.txt", repo.join("report-templates/style.css")).expect("symlink");
    let out = temp.path().join("public");
    let (code, _, err) = run(
        &repo,
        &["site", "--today", TODAY, "-o", out.to_str().expect("utf-8")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("style.css") && err.contains("is a symlink"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is published");
}

#[test]
fn regular_template_files_still_override() {
    let (_temp, repo) = repo_with_templates();
    let dir = repo.join("report-templates");
    std::fs::write(dir.join("report.md.j2"), "{% include \"part.j2\" %}\n").expect("write");
    std::fs::write(dir.join("part.j2"), "ours\n").expect("write");
    let (code, stdout, err) = run(&repo, &["report", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(stdout, "ours\n");
}

// ----- workbooks -----

/// A template-like workbook: the Open sheet's header row (row 5) and `rows` of (column, text)
/// cells below it, from row 6.
fn workbook(rows: &[&[(u16, &str)]]) -> rust_xlsxwriter::Workbook {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Open POA&M Items").expect("name");
    for (i, column) in poam::fedramp_template::COLUMNS.iter().enumerate() {
        let c = u16::try_from(i).expect("column");
        sheet.write_string(4, c, column.header).expect("write");
    }
    for (n, cells) in rows.iter().enumerate() {
        let r = 5 + u32::try_from(n).expect("row");
        for (c, text) in *cells {
            sheet.write_string(r, *c, *text).expect("write");
        }
    }
    workbook
}

/// A repository with `poam.yaml` (items in `poams/`) and the given items.
fn repo(items: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp");
    std::fs::create_dir(dir.path().join("poams")).expect("mkdir");
    std::fs::write(
        dir.path().join("poam.yaml"),
        "system: {csp: Example, name: Example SaaS, impact: moderate}\nitems: poams\n",
    )
    .expect("write");
    for (name, text) in items {
        std::fs::write(dir.path().join("poams").join(name), text).expect("write");
    }
    dir
}

/// The largest resident size of `poam args...` run in `cwd` under an address-space limit of
/// `limit` bytes (so a regression fails instead of taking the machine): (exit code, stderr,
/// peak RSS in KiB when GNU time is installed).
fn run_limited(cwd: &Path, limit: u64, args: &[&str]) -> (i32, String, Option<u64>) {
    let binary = assert_cmd::cargo::cargo_bin("poam");
    let time = Path::new("/usr/bin/time");
    let mut command = std::process::Command::new("prlimit");
    command.arg(format!("--as={limit}")).arg("--");
    if time.exists() {
        command.arg(time).arg("-f").arg("maxrss=%M");
    }
    let output = command
        .arg(binary)
        .args(args)
        .current_dir(cwd)
        .env("TZ", "UTC")
        .output()
        .expect("prlimit runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let rss = stderr
        .lines()
        .find_map(|l| l.strip_prefix("maxrss="))
        .and_then(|v| v.trim().parse().ok());
    (output.status.code().unwrap_or(-1), stderr, rss)
}

#[test]
fn a_cell_at_xfd1048576_is_refused_within_bounded_memory() {
    let dir = repo(&[]);
    let path = dir.path().join("bomb.xlsx");
    let mut book = workbook(&[&[(0, "V-1"), (2, "Weak TLS")]]);
    let sheet = book.worksheet_from_index(0).expect("sheet");
    sheet.write_string(1_048_575, 16_383, "x").expect("write");
    book.save(&path).expect("save");
    assert!(std::fs::metadata(&path).expect("size").len() < 20_000);
    // Enough for a normal import (threads and the allocator reserve address space), far from
    // the 549 GB a dense grid of that sheet takes.
    let (code, err, rss) = run_limited(
        dir.path(),
        2 << 30,
        &["import", "xlsx", "bomb.xlsx", "--today", TODAY],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bomb.xlsx") && err.contains("XFD1048576") && err.contains("beyond column"),
        "{err}"
    );
    if let Some(rss) = rss {
        assert!(rss < 200 * 1024, "peak RSS {rss} KiB");
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("poams"))
            .expect("list")
            .count(),
        0,
        "nothing is written"
    );
}

#[test]
fn a_workbook_whose_shared_strings_unpack_to_gigabytes_is_refused_within_bounded_memory() {
    let dir = repo(&[]);
    let small = dir.path().join("small.xlsx");
    workbook(&[&[(0, "V-1"), (2, "Weak TLS")]])
        .save(&small)
        .expect("save");
    // The same workbook with 300 MB more of shared strings, packed to a few hundred KB:
    // calamine reads the shared strings whole when it opens a workbook.
    let path = dir.path().join("strings.xlsx");
    let mut archive =
        zip::ZipArchive::new(std::fs::File::open(&small).expect("open")).expect("zip");
    let mut out = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).expect("part");
        let name = part.name().expect("name").into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut bytes).expect("read");
        out.start_file(name.as_str(), options).expect("start");
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(bytes).expect("xml");
            let (head, tail) = text.split_once("</sst>").expect("sst");
            std::io::Write::write_all(&mut out, head.as_bytes()).expect("write");
            std::io::Write::write_all(&mut out, b"<si><t>").expect("write");
            let block = vec![b'A'; 1 << 20];
            for _ in 0..300 {
                std::io::Write::write_all(&mut out, &block).expect("write");
            }
            std::io::Write::write_all(&mut out, format!("</t></si></sst>{tail}").as_bytes())
                .expect("write");
        } else {
            std::io::Write::write_all(&mut out, &bytes).expect("write");
        }
    }
    out.finish().expect("finish");
    assert!(std::fs::metadata(&path).expect("size").len() < 2_000_000);
    for command in [
        &["import", "xlsx", "strings.xlsx", "--today", TODAY][..],
        &[
            "inventory",
            "import",
            "strings.xlsx",
            "--into",
            "assets.yaml",
        ],
        &["import", "emass", "strings.xlsx", "--today", TODAY],
    ] {
        let (code, err, rss) = run_limited(dir.path(), 2 << 30, command);
        assert_eq!(code, 2, "{command:?}: {err}");
        assert!(
            err.contains("strings.xlsx")
                && err.contains("xl/sharedStrings.xml")
                && err.contains("unpacks to"),
            "{command:?}: {err}"
        );
        if let Some(rss) = rss {
            assert!(rss < 200 * 1024, "{command:?}: peak RSS {rss} KiB");
        }
    }
    assert!(!dir.path().join("assets.yaml").exists());
    assert_eq!(
        std::fs::read_dir(dir.path().join("poams"))
            .expect("list")
            .count(),
        0,
        "nothing is written"
    );
}

#[test]
fn a_huge_item_in_a_pull_requests_working_tree_is_refused_without_being_read() {
    let (temp, repo) = crate::common::build_repo("scope");
    // 1.1 GB of nothing (sparse): the pull-request check held the whole file to hash it.
    let huge = std::fs::File::create(repo.join("poams/HUGE.yaml")).expect("create");
    huge.set_len(1_100_000_000).expect("size");
    let report = temp.path().join("report.json");
    // Less address space than the file takes, so reading it fails even without GNU time.
    let (code, err, rss) = run_limited(
        &repo,
        1 << 30,
        &[
            "lint",
            "poams",
            "--today",
            "2026-04-20",
            "--base",
            "main",
            "--format",
            "json",
            "-o",
            report.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let out = std::fs::read_to_string(&report).expect("report");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        json["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["code"] == "parse-error"
                && d["file"] == "poams/HUGE.yaml"
                && d["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("file is 1100000000 bytes"))),
        "{out}"
    );
    if let Some(rss) = rss {
        assert!(rss < 200 * 1024, "peak RSS {rss} KiB");
    }
}

#[test]
fn an_id_too_long_for_a_file_name_is_a_row_problem_and_the_rest_imports() {
    let dir = repo(&[]);
    let long = format!("V-{}", "A".repeat(298));
    let mut book = workbook(&[
        &[(0, long.as_str()), (2, "Long")],
        &[(0, "V-2"), (2, "Short")],
    ]);
    book.save(dir.path().join("in.xlsx")).expect("save");
    let (code, _, err) = run(dir.path(), &["import", "xlsx", "in.xlsx", "--today", TODAY]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("skipped: Open POA&M Items, row 6, column A (POAM ID): `V-AAAAAAAAAAAAAAAAAA…` is 300 characters long"),
        "{err}"
    );
    assert!(err.contains("1 item file created"), "{err}");
    assert!(!err.contains("File name too long"), "{err}");
    assert!(dir.path().join("poams/V-2.yaml").is_file());
}

// ----- formula cells -----

const FORMULA_ASSET: &str = "=HYPERLINK(\"https://evil.example/\",\"click\")";

#[test]
fn csv_export_defuses_formula_cells_and_the_workbook_holds_strings() {
    let item = valid_item("V-1").replace(
        "assets: [web-01.example.internal (443/TCP)]",
        &format!("assets: ['{FORMULA_ASSET}', '@SUM(1)', '+1', '-1']"),
    );
    let dir = repo(&[("V-1.yaml", item)]);
    let (code, csv, err) = run(dir.path(), &["export", "csv", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().expect("a row").expect("record");
    let assets = row
        .iter()
        .find(|cell| cell.contains("HYPERLINK"))
        .expect("the asset cell");
    assert!(assets.starts_with("'=HYPERLINK"), "{assets}");
    for cell in row.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell}"
        );
    }

    let (code, _, err) = run(
        dir.path(),
        &["export", "xlsx", "-o", "out.xlsx", "--today", TODAY],
    );
    assert_eq!(code, 0, "{err}");
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook(dir.path().join("out.xlsx")).expect("open");
    let values = book.worksheet_range("Open POA&M Items").expect("sheet");
    let cell = values
        .used_cells()
        .find(|(_, _, v)| v.to_string().contains("HYPERLINK"))
        .map(|(_, _, v)| v.clone())
        .expect("the asset cell");
    assert!(
        matches!(&cell, calamine::Data::String(s) if s.starts_with("=HYPERLINK")),
        "{cell:?}"
    );
    let formulas = book
        .worksheet_formula("Open POA&M Items")
        .expect("formulas");
    assert!(
        formulas
            .used_cells()
            .all(|(_, _, f)| !f.contains("HYPERLINK")),
        "the cell is no formula"
    );
}

/// A Trivy report of one vulnerability on image `app:1`.
fn trivy(title: &str, description: &str) -> String {
    serde_json::json!({
        "SchemaVersion": 2,
        "CreatedAt": "2026-03-01T10:00:00Z",
        "ArtifactName": "app:1",
        "ArtifactType": "container_image",
        "Results": [{
            "Target": "app:1 (alpine 3.19)",
            "Class": "os-pkgs",
            "Type": "alpine",
            "Vulnerabilities": [{
                "VulnerabilityID": "CVE-2026-0001",
                "PkgName": "libfoo",
                "InstalledVersion": "1.0",
                "FixedVersion": "1.1",
                "Status": "fixed",
                "Title": title,
                "Description": description,
                "Severity": "HIGH",
                "CVSS": {"nvd": {"V3Score": 7.5}}
            }]
        }]
    })
    .to_string()
}

#[test]
fn a_formula_title_imported_from_a_scan_is_defused_in_the_csv() {
    let dir = repo(&[]);
    std::fs::write(
        dir.path().join("trivy.json"),
        trivy("=cmd|' /C calc'!A0", "A formula."),
    )
    .expect("write");
    let (code, _, err) = run(
        dir.path(),
        &["--today", TODAY, "import", "scan", "trivy.json", "--write"],
    );
    assert_eq!(code, 0, "{err}");
    let (code, csv, err) = run(dir.path(), &["export", "csv", "--today", TODAY]);
    assert_eq!(code, 0, "{err}");
    assert!(csv.contains("'=cmd|' /C calc'!A0"), "{csv}");
    assert!(!csv.contains(",=cmd"), "{csv}");
}

// ----- imported text is capped -----

#[test]
fn a_huge_scanner_title_is_capped_so_the_item_reads_back_and_is_not_created_again() {
    let dir = repo(&[]);
    let title = "T".repeat(3 << 20);
    let description = "D".repeat(3 << 20);
    std::fs::write(dir.path().join("trivy.json"), trivy(&title, &description)).expect("write");
    let import = |dir: &Path| {
        run(
            dir,
            &["--today", TODAY, "import", "scan", "trivy.json", "--write"],
        )
    };
    let (code, _, err) = import(dir.path());
    assert_eq!(code, 0, "{err}");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("poams"))
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).expect("read");
    assert!(text.len() < 1 << 20, "{} bytes", text.len());
    assert!(
        text.contains(&format!("(truncated by poam import: {} bytes)", 3 << 20)),
        "the item says it was cut"
    );
    // poam reads it back: no parse-error.
    let (_, out, _) = run(
        dir.path(),
        &["lint", "--no-history", "--format", "json", "--today", TODAY],
    );
    assert!(!out.contains("parse-error"), "{out}");
    // A second import matches the item instead of creating it again.
    let (code, _, err) = import(dir.path());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_dir(dir.path().join("poams"))
            .expect("list")
            .filter(|e| !e
                .as_ref()
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .starts_with('.'))
            .count(),
        1
    );
}

// ----- item size -----

#[test]
fn an_oversized_item_is_reported_with_its_real_size() {
    let mut big = valid_item("V-2");
    big.push_str("comments: |\n");
    while big.len() < 2_000_000 {
        big.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    let size = big.len();
    let dir = repo(&[("V-1.yaml", valid_item("V-1")), ("V-2.yaml", big)]);
    let (_, out, _) = run(
        dir.path(),
        &[
            "lint",
            "--no-history",
            "--format",
            "short",
            "--today",
            TODAY,
        ],
    );
    assert!(
        out.contains(&format!(
            "file is {size} bytes; items may be at most 1048576 bytes"
        )),
        "{out}"
    );
}

// ----- output paths -----

#[test]
fn outputs_over_items_the_configuration_people_or_inventory_are_refused() {
    let dir = repo(&[("V-1.yaml", valid_item("V-1"))]);
    let item = std::fs::read(dir.path().join("poams/V-1.yaml")).expect("read");
    let config = std::fs::read(dir.path().join("poam.yaml")).expect("read");
    let people = "- id: jdoe\n  name: Jane Doe\n";
    std::fs::write(dir.path().join("people.yaml"), people).expect("write");
    std::fs::create_dir(dir.path().join("inventory")).expect("mkdir");
    let hosts = "- id: web-01\n";
    std::fs::write(dir.path().join("inventory/hosts.yaml"), hosts).expect("write");
    symlink("poams/V-1.yaml", dir.path().join("link.txt")).expect("symlink");
    let cases: &[&[&str]] = &[
        &["lint", "--no-history", "-o", "poams/V-1.yaml"],
        &["lint", "--no-history", "-o", "poam.yaml"],
        &["lint", "--no-history", "-o", "poams/new.yaml"],
        &["lint", "--no-history", "-o", "link.txt"],
        &["export", "csv", "-o", "poams/V-1.yaml"],
        &["export", "xlsx", "-o", "poam.yaml"],
        &["export", "oscal", "-o", "poams/V-1.yaml"],
        &["export", "ver", "--period", "2026-03", "-o", "poams"],
        &["report", "-o", "poam.yaml"],
        &["log", "-o", "poams/V-1.yaml"],
        &["lint", "--no-history", "-o", "people.yaml"],
        &["export", "csv", "-o", "inventory/hosts.yaml"],
        &["show", "V-1", "-o", "inventory/new.yaml"],
    ];
    for args in cases {
        let mut all = args.to_vec();
        all.extend(["--today", TODAY]);
        let (code, _, err) = run(dir.path(), &all);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("refusing to write the output"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("poams/V-1.yaml")).expect("read"),
        item
    );
    assert_eq!(
        std::fs::read(dir.path().join("poam.yaml")).expect("read"),
        config
    );
    assert!(!dir.path().join("poams/new.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("people.yaml")).expect("read"),
        people
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("inventory/hosts.yaml")).expect("read"),
        hosts
    );
    assert!(!dir.path().join("inventory/new.yaml").exists());
    // Elsewhere is fine.
    let (code, _, err) = run(
        dir.path(),
        &["lint", "--no-history", "-o", "lint.txt", "--today", TODAY],
    );
    assert!(code < 2, "{err}");
    assert!(dir.path().join("lint.txt").is_file());
}

// ----- what killed runs leave -----

/// A process id no process has: above the kernel's limit (`pid_max` is at most 2^22).
const DEAD_PID: u32 = 99_999_999;

#[test]
fn stale_staging_folders_of_dead_processes_are_removed() {
    let dir = repo(&[]);
    let poams = dir.path().join("poams");
    let dead = poams.join(format!(".poam-staging.{DEAD_PID}.0.3"));
    let alive = poams.join(format!(".poam-staging.{}.0.0", std::process::id()));
    let other = poams.join(".poam-staging-notes");
    for folder in [&dead, &alive, &other] {
        std::fs::create_dir(folder).expect("mkdir");
        std::fs::write(folder.join("0"), "half a file").expect("write");
    }
    std::fs::write(dir.path().join("trivy.json"), trivy("Title", "Text")).expect("write");
    let (code, _, err) = run(
        dir.path(),
        &["--today", TODAY, "import", "scan", "trivy.json", "--write"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(!dead.exists(), "the dead run's folder is removed");
    assert!(alive.exists(), "a live process's folder is kept");
    assert!(other.exists(), "a name poam did not make is kept");

    // `import xlsx` stages in the folder it writes to as well.
    std::fs::create_dir(&dead).expect("mkdir");
    workbook(&[&[(0, "V-9"), (2, "Nine")]])
        .save(dir.path().join("in.xlsx"))
        .expect("save");
    let (code, _, err) = run(dir.path(), &["import", "xlsx", "in.xlsx", "--today", TODAY]);
    assert!(code < 2, "{err}");
    assert!(!dead.exists());
}

#[test]
fn stale_site_folders_of_dead_processes_are_removed() {
    let (temp, repo) = build_repo("report");
    let out = temp.path().join("public");
    let fresh = temp.path().join(format!(".public.poam-new-{DEAD_PID}"));
    let old = temp.path().join(format!(".public.poam-old-{DEAD_PID}"));
    let alive = temp
        .path()
        .join(format!(".public.poam-new-{}", std::process::id()));
    let other_site = temp.path().join(format!(".other.poam-new-{DEAD_PID}"));
    for folder in [&fresh, &old, &alive, &other_site] {
        std::fs::create_dir(folder).expect("mkdir");
        std::fs::write(folder.join("index.html"), "half").expect("write");
    }
    let (code, _, err) = run(
        &repo,
        &["site", "--today", TODAY, "-o", out.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        !fresh.exists() && !old.exists(),
        "the dead build's folders are removed"
    );
    assert!(alive.exists(), "a live build's folder is kept");
    assert!(
        other_site.exists(),
        "another site's folders are that site's business"
    );
}

// ----- fuzz seeds -----

/// The seeds of the `xlsx` fuzz target (fuzz/seeds/xlsx/) and the workbook regression inputs
/// (tests/fixtures/fuzz/xlsx/), written by this test: `cargo test --test it write_xlsx_fuzz_seeds
/// -- --ignored`. Small on purpose: the fuzzer mutates every byte.
#[test]
#[ignore = "writes files into the source tree; run by hand to regenerate the seeds"]
fn write_xlsx_fuzz_seeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("fuzz/seeds/xlsx");
    let regressions = root.join("tests/fixtures/fuzz/xlsx");
    std::fs::create_dir_all(&seeds).expect("mkdir");
    std::fs::create_dir_all(&regressions).expect("mkdir");
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 20).expect("date");
    let properties = rust_xlsxwriter::DocProperties::new().set_creation_datetime(&date);
    let save = |mut book: rust_xlsxwriter::Workbook, path: std::path::PathBuf| {
        book.set_properties(&properties);
        book.save(path).expect("save");
    };
    save(
        workbook(&[&[(0, "V-1"), (2, "Weak TLS"), (18, "High")]]),
        seeds.join("minimal.xlsx"),
    );
    let mut rows = workbook(&[
        &[
            (0, "V-1"),
            (1, "SI-2, RA-5"),
            (2, "Weak TLS"),
            (6, "web-1\nweb-2"),
            (10, "03/04/2026"),
            (11, "2026-06-02"),
            (12, "(1) 2026-04-01: Patch\n(2) 2026-05-01: Verify"),
            (13, "(1) Update 2026-04-10 : moved"),
            (15, "Yes"),
            (18, "critical"),
            (19, "Moderate"),
            (20, "Pending"),
            (24, "Risk Adjustment : compensating control"),
        ],
        &[(0, "V-2"), (10, "next week"), (18, "Severe")],
        &[(2, "no id")],
    ]);
    let closed = rows.add_worksheet();
    closed.set_name("Closed POA&M Items").expect("name");
    for (i, column) in poam::fedramp_template::COLUMNS.iter().enumerate() {
        let c = u16::try_from(i).expect("column");
        closed.write_string(4, c, column.header).expect("write");
    }
    closed.write_string(5, 0, "V-3").expect("write");
    closed.write_number(5, 14, 46_100.0).expect("write");
    save(rows, seeds.join("rows.xlsx"));
    let mut far = workbook(&[&[(0, "V-1")]]);
    far.worksheet_from_index(0)
        .expect("sheet")
        .write_string(1_048_575, 16_383, "x")
        .expect("write");
    save(far, regressions.join("far-cell.xlsx"));
    let long = format!("V-{}", "A".repeat(298));
    save(
        workbook(&[&[(0, long.as_str())]]),
        regressions.join("long-id.xlsx"),
    );
}

/// The first item file of `repo`'s `poams/`, by name.
fn first_item(repo: &Path) -> std::path::PathBuf {
    let mut names: Vec<_> = std::fs::read_dir(repo.join("poams"))
        .expect("items")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    names.remove(0)
}

#[test]
fn every_export_that_lists_the_items_refuses_a_file_that_does_not_parse_and_a_shared_id() {
    // Each profile's item-listing exports, and the site downloads the same profile offers.
    type Case<'a> = (&'a str, &'a [&'a [&'a str]], &'a [&'a str]);
    let cases: [Case; 3] = [
        (
            "demo",
            &[
                &["export", "xlsx", "-o", "out/poam.xlsx"],
                &["export", "csv", "-o", "out/poam.csv"],
                &["export", "oscal", "-o", "out/poam.json"],
            ],
            &["poam.xlsx", "poam-oscal.json"],
        ),
        (
            "cr26",
            &[&["export", "ver", "--period", "2026-11", "-o", "out/ver"]],
            &["vulnerability-detail-report.json", "poam.xlsx"],
        ),
        (
            "dod",
            &[&[
                "export",
                "emass",
                "--template",
                "navy",
                "-o",
                "out/emass.xlsx",
            ]],
            &["poam-emass.xlsx"],
        ),
    ];
    for (example, exports, downloads) in cases {
        for fault in [None, Some("does not parse"), Some("shared id")] {
            let (_temp, repo) = crate::common::copy_example(example);
            std::fs::create_dir(repo.join("out")).expect("mkdir");
            match fault {
                Some("does not parse") => {
                    std::fs::write(repo.join("poams/broken.yaml"), "id: [\n").expect("write")
                }
                Some(_) => {
                    let first = first_item(&repo);
                    std::fs::copy(&first, repo.join("poams/zz-copy.yaml")).expect("copy");
                }
                None => {}
            }
            let expected = match fault {
                Some("does not parse") => "poams/broken.yaml",
                Some(_) => "poams/zz-copy.yaml",
                None => "",
            };
            for args in exports {
                let argv: Vec<&str> = args
                    .iter()
                    .copied()
                    .chain(["--today", "2026-11-25", "-q"])
                    .collect();
                let (code, _, err) = run(&repo, &argv);
                let written = repo.join(args.last().expect("output"));
                if fault.is_none() {
                    assert_eq!(code, 0, "{example} {args:?}: {err}");
                    assert!(written.exists(), "{example} {args:?}");
                    continue;
                }
                assert_eq!(
                    code, 2,
                    "{example} {args:?} with a file that {fault:?}: {err}"
                );
                assert!(
                    err.contains(expected)
                        && (err.contains("do not parse") || err.contains("duplicate item ids")),
                    "{example} {args:?}: {err}"
                );
                assert!(!written.exists(), "{example} {args:?} wrote its output");
            }
            let site = repo.join("out/site");
            let (code, _, err) = run(
                &repo,
                &["site", "--today", "2026-11-25", "-q", "-o", "out/site"],
            );
            assert!(code == 0 || code == 1, "{example} site: {err}");
            let page = std::fs::read_to_string(site.join("downloads.html")).expect("downloads");
            for download in downloads {
                let row = page
                    .split("<tr>")
                    .find(|row| row.contains(&format!(">{download}<")))
                    .unwrap_or_else(|| panic!("{example}: no row for {download}"));
                assert_eq!(
                    row.contains("Not made in this build") && row.contains(expected),
                    fault.is_some(),
                    "{example} {fault:?}: {row}"
                );
            }
        }
    }
}
