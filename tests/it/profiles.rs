//! The profile decides in every read command: `show`, `report` (monthly and `--base`), `site`
//! and `export ver` on `examples/cr26` speak CR26 only (no Rev5 deadline words), their numbers
//! agree with the VER documents of the same month, and `examples/demo` keeps its Rev5 pages.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{copy_example, poam, TODAY};

/// What only the Rev5 deadline model says: lateness against `due`, the 30/90/180-day
/// escalation triggers, the policy deadline and the effective risk that drives it.
const REV5_WORDS: &[&str] = &[
    "days late",
    ", overdue)",
    "overdue items",
    "due within",
    "escalation trigger",
    "detailed finding review",
    "corrective action plan",
    "policy deadline",
    "effective risk",
    "milestones past due",
];

/// Runs git in `dir` with no user config and fixed people and dates.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_AUTHOR_NAME", "Ada Example")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Example")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(output.status.success(), "git {args:?}: {output:?}");
}

/// `examples/<name>` as a git repository of one commit on `main` (fixed author and date).
fn example_repo(name: &str) -> (tempfile::TempDir, PathBuf) {
    let (temp, repo) = copy_example(name);
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "Import the example"]);
    (temp, repo)
}

/// Runs poam in `repo` with `--today`; returns stdout, asserting it ran with exit code 0 or
/// 1 (findings) and no tool error.
fn run(repo: &Path, args: &[&str]) -> String {
    let output = poam()
        .current_dir(repo)
        .args(args)
        .args(["--today", TODAY, "--color", "never"])
        .output()
        .expect("run poam");
    let code = output.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "poam {args:?}: {output:?}");
    String::from_utf8(output.stdout).expect("utf-8")
}

/// Builds the site of `repo` into `<temp>/site`.
fn build_site(temp: &Path, repo: &Path) -> PathBuf {
    let site = temp.join("site");
    run(repo, &["site", "-o", site.to_str().expect("utf-8 path")]);
    site
}

/// The row of the item `id` in the items table `html`.
fn row_of<'a>(html: &'a str, id: &str) -> &'a str {
    html.split("<tr")
        .find(|r| r.contains(&format!(">{id}</a>")))
        .unwrap_or_else(|| panic!("no {id} row"))
}

fn ids(repo: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo.join("poams"))
        .expect("items")
        .map(|e| {
            e.expect("entry")
                .path()
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    ids.sort();
    ids
}

/// Every read command's output on `repo`, by name: `show` in three formats for every item,
/// `report` (Markdown, HTML, `--base`), every page of the site and, for CR26, the VER export.
fn read_outputs(temp: &Path, repo: &Path, cr26: bool) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    for id in ids(repo) {
        for format in ["human", "json", "yaml"] {
            outputs.push((
                format!("show {id} {format}"),
                run(repo, &["show", &id, "--format", format]),
            ));
        }
    }
    outputs.push(("report md".into(), run(repo, &["report"])));
    outputs.push((
        "report html".into(),
        run(repo, &["report", "--format", "html"]),
    ));
    git(repo, &["checkout", "-q", "-b", "change"]);
    let first = ids(repo).remove(0);
    let file = repo.join("poams").join(format!("{first}.yaml"));
    let text = std::fs::read_to_string(&file).expect("read") + "comments: Looked at again.\n";
    std::fs::write(&file, text).expect("write");
    git(repo, &["commit", "-q", "-am", "Comment on an item"]);
    outputs.push((
        "report --base".into(),
        run(repo, &["report", "--base", "main"]),
    ));
    git(repo, &["checkout", "-q", "main"]);
    let site = build_site(temp, repo);
    let mut pages = Vec::new();
    collect(&site, &site, &mut pages);
    outputs.extend(pages);
    if cr26 {
        let ver = temp.join("ver");
        run(
            repo,
            &[
                "export",
                "ver",
                "--period",
                "2026-11",
                "-o",
                ver.to_str().expect("utf-8 path"),
            ],
        );
        let mut files = Vec::new();
        collect(&ver, &ver, &mut files);
        outputs.extend(files);
    }
    outputs
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            // The rule pages document every rule of both profiles, whichever the site is of.
            if path != root.join("rules") {
                collect(root, &path, out);
            }
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            // The FedRAMP workbook (a download): its text is read in the xlsx tests.
            continue;
        } else {
            let name = path
                .strip_prefix(root)
                .expect("under root")
                .display()
                .to_string();
            out.push((name, std::fs::read_to_string(&path).expect("text")));
        }
    }
}

fn rev5_words(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    REV5_WORDS
        .iter()
        .copied()
        .filter(|w| lower.contains(w))
        .collect()
}

#[test]
fn no_cr26_output_speaks_rev5_deadlines() {
    let (temp, repo) = example_repo("cr26");
    let outputs = read_outputs(temp.path(), &repo, true);
    assert!(outputs.len() > 60, "{}", outputs.len());
    let mut found = Vec::new();
    for (name, text) in &outputs {
        for word in rev5_words(text) {
            found.push(format!("{name}: {word:?}"));
        }
    }
    assert!(
        found.is_empty(),
        "Rev5 words in CR26 outputs:\n{}",
        found.join("\n")
    );
    // The JSON item view judges by the profile: a standing object, no Rev5 lateness.
    let (_, json) = outputs
        .iter()
        .find(|(name, _)| name == "show VDR-006 json")
        .expect("show json");
    let json: Value = serde_json::from_str(json).expect("json");
    let item = &json["item"];
    assert_eq!(item["standing"]["profile"], "fedramp-cr26");
    assert_eq!(item["standing"]["state"], "late");
    assert_eq!(item["standing"]["next_deadline"]["kind"], "reduce-by");
    assert_eq!(item["standing"]["next_deadline"]["target"], "N2");
    assert_eq!(item["standing"]["rating"]["label"], "N3 LEV+NIRV");
    assert_eq!(item["assessment"]["overdue"], false);
    assert_eq!(item["assessment"]["days_late"], Value::Null);
    assert_eq!(item["assessment"]["vdr"]["reduction_late"], true);
}

#[test]
fn rev5_outputs_keep_their_deadline_words() {
    // The same check finds the Rev5 words where they belong: it can fail.
    let (temp, repo) = example_repo("demo");
    let outputs = read_outputs(temp.path(), &repo, false);
    let report = &outputs
        .iter()
        .find(|(name, _)| name == "report md")
        .expect("report")
        .1;
    for word in ["overdue items", "escalation trigger", "due within"] {
        assert!(rev5_words(report).contains(&word), "{word}: {report}");
    }
    let index = &outputs
        .iter()
        .find(|(name, _)| name == "index.html")
        .expect("dashboard")
        .1;
    assert!(rev5_words(index).contains(&"escalation trigger"), "{index}");
    let (_, json) = outputs
        .iter()
        .find(|(name, _)| name == "show V-1003 json")
        .expect("show json");
    let json: Value = serde_json::from_str(json).expect("json");
    assert_eq!(json["item"]["standing"]["profile"], "fedramp-rev5");
    assert_eq!(json["item"]["standing"]["state"], "excused");
    assert_eq!(json["item"]["standing"]["next_deadline"]["kind"], "due");
}

/// The number in the row of a Markdown table whose first cell is `label`.
fn table_number(markdown: &str, label: &str) -> usize {
    let prefix = format!("| {label} | ");
    markdown
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|rest| rest.trim_end_matches(" |").trim().parse().ok())
        .unwrap_or_else(|| panic!("no row `{label}` in:\n{markdown}"))
}

fn length(document: &Value, key: &str) -> usize {
    document[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}"))
        .len()
}

#[test]
fn report_and_ver_export_of_the_same_month_agree() {
    let (temp, repo) = example_repo("cr26");
    let report = run(&repo, &["report"]);
    let out = temp.path().join("ver");
    run(
        &repo,
        &[
            "export",
            "ver",
            "--period",
            "2026-11",
            "-o",
            out.to_str().expect("utf-8 path"),
        ],
    );
    let read = |file: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(file)).expect("read")).expect("json")
    };
    let detail = read("vulnerability-detail-report.json");
    let accepted = read("accepted-vulnerability-info.json");
    let history = read("historical-ver-activity.json");
    let pairs = [
        (
            "Vulnerability detail report (VER-RPT-VDT)",
            length(&detail, "vulnerabilities"),
        ),
        (
            "Accepted vulnerability information (VER-RPT-AVI)",
            length(&accepted, "acceptedVulnerabilities"),
        ),
        (
            "Historical VER activity (VER-TFR-MRH): active",
            length(&history, "activeVulnerabilities"),
        ),
        (
            "Historical VER activity (VER-TFR-MRH): accepted",
            length(&history, "acceptedVulnerabilities"),
        ),
        (
            "Open vulnerabilities",
            length(&history, "activeVulnerabilities") + length(&history, "acceptedVulnerabilities"),
        ),
        ("Accepted", length(&history, "acceptedVulnerabilities")),
    ];
    for (label, expected) in pairs {
        assert_eq!(table_number(&report, label), expected, "{label}");
    }
    let overdue = detail["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .filter(|v| v["overdueStatus"]["isOverdue"] == true)
        .count();
    assert_eq!(table_number(&report, "Overdue or likely overdue"), overdue);
    // The Markdown written beside the JSON reads the same summary.
    let markdown = std::fs::read_to_string(out.join("vdr-report.md")).expect("md");
    for label in ["Open vulnerabilities", "Accepted", "Not evaluated"] {
        assert_eq!(
            table_number(&markdown, label),
            table_number(&report, label),
            "{label}"
        );
    }
}

#[test]
fn cr26_pages_snapshots() {
    let (temp, repo) = example_repo("cr26");
    insta::assert_snapshot!("cr26_show_human_VDR-006", run(&repo, &["show", "VDR-006"]));
    insta::assert_snapshot!("cr26_show_human_VDR-003", run(&repo, &["show", "VDR-003"]));
    insta::assert_snapshot!("cr26_report_md", run(&repo, &["report"]));
    insta::assert_snapshot!(
        "cr26_report_html",
        run(&repo, &["report", "--format", "html"])
    );
    let site = build_site(temp.path(), &repo);
    insta::assert_snapshot!("cr26_site_index", page_of(&site, "index.html"));
    // Every relative link of the CR26 pages leads to a page of the site.
    let mut pages = Vec::new();
    collect(&site, &site, &mut pages);
    let mut checked = 0;
    for (name, html) in pages.iter().filter(|(n, _)| n.ends_with(".html")) {
        for target in html.split(" href=\"").skip(1) {
            let target = target.split('"').next().unwrap_or("");
            if target.starts_with("https://") || target.starts_with("http://") {
                continue;
            }
            let base = Path::new(name).parent().unwrap_or(Path::new(""));
            let path = target.split('#').next().unwrap_or("");
            assert!(
                path.is_empty() || site.join(base).join(path).is_file(),
                "{name}: `{target}` does not resolve"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    insta::assert_snapshot!(
        "cr26_site_item_VDR-006",
        page_of(&site, "items/vdr-006.html")
    );
}

/// What only FedRAMP says: its escalation triggers, the effective risk and deviation requests.
const FEDRAMP_WORDS: &[&str] = &[
    "escalation trigger",
    "detailed finding review",
    "corrective action plan",
    "effective risk",
    "deviation request",
    "fedramp",
];

#[test]
fn dod_outputs_speak_categories_not_fedramp() {
    let (temp, repo) = example_repo("dod");
    let outputs = read_outputs(temp.path(), &repo, false);
    assert!(outputs.len() > 20, "{}", outputs.len());
    let mut found = Vec::new();
    // The site's downloads are the exports as they are (the OSCAL document names FedRAMP's
    // extension namespace, as `poam export oscal` does under every profile), and its rule
    // pages document every profile's rules: the pages and reports are what must speak DoD.
    let spoken = outputs
        .iter()
        .filter(|(name, _)| !name.starts_with("downloads/") && !name.starts_with("rules/"));
    for (name, text) in spoken {
        let lower = text.to_lowercase();
        for word in FEDRAMP_WORDS.iter().filter(|w| lower.contains(*w)) {
            found.push(format!("{name}: {word:?}"));
        }
    }
    assert!(
        found.is_empty(),
        "FedRAMP words in DoD outputs:\n{}",
        found.join("\n")
    );
    let text = |name: &str| {
        &outputs
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name}"))
            .1
    };
    // CAT I under an IAVA: the comply-by date caps the deadline; the standing names the CAT.
    let json: Value = serde_json::from_str(text("show DOD-001 json")).expect("json");
    let item = &json["item"];
    assert_eq!(item["standing"]["profile"], "dod-rmf");
    assert_eq!(item["standing"]["rating"]["label"], "CAT I");
    assert_eq!(item["assessment"]["policy_deadline"], "2026-12-01");
    assert_eq!(item["rmf"]["emass_status"], "Ongoing");
    assert!(text("show DOD-001 human").contains("2026-12-01 (the IAVA comply-by date)"));
    // The risk-accepted item stands accepted until its expiry.
    let json: Value = serde_json::from_str(text("show DOD-003 json")).expect("json");
    assert_eq!(json["item"]["standing"]["state"], "accepted");
    assert_eq!(
        json["item"]["standing"]["next_deadline"]["date"],
        "2027-06-30"
    );
    assert!(text("report md").contains("### Items by category"));
    assert!(text("index.html").contains("Items by category"));
}

/// Every output of `examples/<name>` that must speak its profile: every `show` (three
/// formats), the reports and every page and file of the site, except the rule pages (they
/// document every profile's rules, the same in every build) and the downloads (the exports as
/// they are, whose choice per profile belongs to the downloads page).
fn spoken_outputs(name: &str) -> Vec<(String, String)> {
    let (temp, repo) = example_repo(name);
    read_outputs(temp.path(), &repo, false)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("downloads/") && !name.starts_with("rules/"))
        .collect()
}

/// The Rev5 deadline words and the FedRAMP words found in `outputs`, as `file: "word"` lines.
fn foreign_words(outputs: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (name, text) in outputs {
        let lower = text.to_lowercase();
        for word in REV5_WORDS.iter().chain(FEDRAMP_WORDS) {
            if lower.contains(word) {
                found.push(format!("{name}: {word:?}"));
            }
        }
    }
    found
}

#[test]
fn no_dod_or_cmmc_output_speaks_rev5_deadlines() {
    // Under dod-rmf "overdue" means past the CAT deadline or the IAVA comply-by date, and is
    // said so; the Rev5 phrases (days late against `due`, "due within", milestones past due,
    // the policy deadline, the effective risk, the escalation triggers) must not appear.
    for name in ["dod", "cmmc"] {
        let outputs = spoken_outputs(name);
        assert!(outputs.len() > 30, "{name}: {}", outputs.len());
        for page in [
            "index.html",
            "items.html",
            "people.html",
            "assets.html",
            "controls.html",
        ] {
            assert!(outputs.iter().any(|(n, _)| n == page), "{name}: no {page}");
        }
        let found = foreign_words(&outputs);
        assert!(
            found.is_empty(),
            "Rev5 or FedRAMP words in {name} outputs:\n{}",
            found.join("\n")
        );
        // The site's CSV carries the profile's standing, not the Rev5 columns.
        let (_, csv) = outputs
            .iter()
            .find(|(n, _)| n == "poam.csv")
            .unwrap_or_else(|| panic!("{name}: no poam.csv"));
        let header = csv.lines().next().unwrap_or_default();
        assert!(
            header.contains(",rating,state,next_deadline_kind,next_deadline,days_left,"),
            "{name}: {header}"
        );
        for rev5 in [
            "effective_risk",
            "policy_deadline",
            "overdue",
            "vendor_product",
            "last_checkin",
        ] {
            assert!(!header.contains(rev5), "{name}: {rev5} in {header}");
        }
    }
}

#[test]
fn the_words_check_finds_rev5_words_in_rev5_pages() {
    // The same filter and word list, on the Rev5 demo: the check can fail.
    let found = foreign_words(&spoken_outputs("demo"));
    for page in ["index.html", "items.html", "report md"] {
        assert!(
            found.iter().any(|f| f.starts_with(&format!("{page}: "))),
            "{page}: {found:?}"
        );
    }
}

/// The text of the site page `page` of `site`.
fn page_of(site: &Path, page: &str) -> String {
    std::fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

#[test]
fn dod_pages_speak_categories_emass_status_and_iavas() {
    let (temp, repo) = example_repo("dod");
    let site = build_site(temp.path(), &repo);
    // Every list of items has the DoD columns, on every page that lists items.
    let header = "<th scope=\"col\" data-filter>CAT</th><th scope=\"col\" data-filter>Owner</th><th scope=\"col\" data-filter>eMASS status</th>";
    for page in [
        "index.html",
        "items.html",
        "people.html",
        "assets.html",
        "controls/si-2.html",
    ] {
        let html = page_of(&site, page);
        assert!(html.contains(header), "{page}: {html}");
        assert!(!html.contains(">Risk</th>"), "{page}");
    }
    let items = page_of(&site, "items.html");
    let row = row_of(&items, "DOD-001");
    for cell in [
        "CAT I",
        "Ongoing",
        "2026-11-30",
        "2026-12-01",
        "5 days left",
    ] {
        assert!(row.contains(cell), "{cell}: {row}");
    }
    let accepted = row_of(&items, "DOD-003");
    assert!(accepted.contains("Risk Accepted") && accepted.contains("accepted until 2027-06-30"));
    // The dashboard: counts by CAT, IAVAs and the risk-accepted items with their expiry.
    let index = page_of(&site, "index.html");
    for part in [
        "Items by category",
        "IAVAs",
        "Risk accepted",
        "Overdue by category",
        "2027-06-30",
    ] {
        assert!(index.contains(part), "{part}");
    }
    insta::assert_snapshot!("dod_site_index", index);
    // The item page: the eMASS fields and each milestone with its status.
    let item = page_of(&site, "items/dod-001.html");
    assert!(
        item.contains("<td class=\"nowrap\">in progress</td>"),
        "{item}"
    );
    insta::assert_snapshot!("dod_site_item_DOD-001", item);
    insta::assert_snapshot!("dod_report_md", run(&repo, &["report"]));
    // `show` says the milestone's status and calls `due` the scheduled completion.
    let show = run(&repo, &["show", "DOD-001"]);
    assert!(
        show.contains("scheduled completion 2026-11-30 (5 days left)"),
        "{show}"
    );
    assert!(show.contains("in-progress  Patch production"), "{show}");
}

#[test]
fn cmmc_pages_speak_requirements_points_and_the_closeout() {
    let (temp, repo) = example_repo("cmmc");
    let site = build_site(temp.path(), &repo);
    let header = "<th scope=\"col\" data-filter>Requirement</th><th scope=\"col\" data-filter>Points at stake</th>";
    for page in ["items.html", "people.html"] {
        let html = page_of(&site, page);
        assert!(html.contains(header), "{page}: {html}");
        assert!(!html.contains(">Risk</th>"), "{page}");
    }
    let items = page_of(&site, "items.html");
    let row = row_of(&items, "CM-3");
    for cell in ["3.13.11", "3 points", "2027-05-19", "175 days left"] {
        assert!(row.contains(cell), "{cell}: {row}");
    }
    // The controls page is the requirement table by family.
    let controls = page_of(&site, "controls.html");
    assert!(
        controls.contains("3.13 System and Communications Protection"),
        "{controls}"
    );
    let index = page_of(&site, "index.html");
    for part in [
        "<strong>103</strong> of 110",
        "0.94",
        "Conditional CMMC status <strong>possible</strong>",
        "Points at stake",
        "2027-05-19",
    ] {
        assert!(index.contains(part), "{part}");
    }
    insta::assert_snapshot!("cmmc_site_index", index);
    let item = page_of(&site, "items/cm-3.html");
    assert!(
        !item.contains("Vendor dependency") && !item.contains("Deviation"),
        "{item}"
    );
    insta::assert_snapshot!("cmmc_site_item_CM-3", item);
    insta::assert_snapshot!("cmmc_report_md", run(&repo, &["report"]));
}
