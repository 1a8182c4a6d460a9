//! `poam site`: links, determinism, hostile item text, and where it may write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{build_repo, poam};

pub const TODAY: &str = "2026-03-20";

/// An item whose text tries every way into a page: script tags, event handlers, `javascript:`
/// links, template syntax. Each payload would set the page title to `pwned`.
pub const HOSTILE_ITEM: &str = r#"id: X-1
title: "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"> {{ 7*7 }}"
description: |
  Raw <script>document.title='pwned'</script> and <img src=x onerror="document.title='pwned'">.

  A [javascript link](javascript:document.title='pwned') and a [safe one](https://example.com/advisory).

  ![pixel](https://tracker.example.com/p.png) {{ 7*7 }} {% raw %}
controls: ["<b>SI-2</b>", RA-5]
detector: Nessus
detector_id: "{{ 7*7 }}"
assets: ["<svg onload=\"document.title='pwned'\">"]
owner: "<img src=x onerror=\"document.title='pwned'\">"
remediation: "<a href=\"javascript:document.title='pwned'\">fix</a>"
detected: 2026-03-01
due: 2026-05-30
risk: moderate
milestones:
  - id: 1
    date: 2026-04-01
    description: "<script>document.title='pwned'</script>"
status: open
comments: "[x](JaVaScRiPt:document.title='pwned') <iframe src=\"https://example.com\"></iframe>"
"#;

/// Builds the site of `repo` into `out`; returns (exit code, stderr).
pub fn build_site(repo: &Path, out: &Path) -> (i32, String) {
    let output = poam()
        .current_dir(repo)
        .args(["site", "--today", TODAY, "-o"])
        .arg(out)
        .output()
        .expect("run poam");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stderr).expect("utf-8"),
    )
}

/// The report fixture plus the hostile item (uncommitted), and its built site.
pub fn hostile_site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (temp, repo) = build_repo("report");
    std::fs::write(repo.join("poams/X-1.yaml"), HOSTILE_ITEM).expect("write");
    let out = temp.path().join("site");
    let (code, err) = build_site(&repo, &out);
    assert_eq!(code, 0, "{err}");
    (temp, repo, out)
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(name, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// Every value of `attr="..."` inside a tag of `html` (text that merely looks like an
/// attribute, such as an escaped payload, does not count).
fn attribute_values<'h>(html: &'h str, attr: &str) -> Vec<&'h str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = html[from..].find(&needle) {
        let at = from + found;
        let start = at + needle.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        let before = &html[..at];
        if before.rfind('<') > before.rfind('>') {
            out.push(&html[start..start + len]);
        }
        from = start + len;
    }
    out
}

#[test]
fn every_internal_link_resolves() {
    let (_temp, _repo, out) = hostile_site();
    let all = files(&out);
    let mut checked = 0;
    for (name, bytes) in all.iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).expect("utf-8");
        let root = "../".repeat(name.matches('/').count());
        let loads = attribute_values(&html, "src");
        assert_eq!(
            loads,
            [format!("{root}site.js")],
            "{name}: pages load nothing but style.css and site.js"
        );
        assert!(out.join("site.js").is_file());
        for target in attribute_values(&html, "href") {
            let target = target.replace("&#x2f;", "/").replace("&amp;", "&");
            if target.starts_with("https://") || target.starts_with("http://") {
                continue;
            }
            assert!(
                !target.starts_with('/') && !target.contains(':'),
                "{name}: `{target}` is not a relative link"
            );
            let path = target.split('#').next().unwrap_or("");
            if path.is_empty() {
                continue;
            }
            let base = Path::new(name).parent().unwrap_or(Path::new(""));
            let resolved = out.join(base).join(path);
            assert!(resolved.is_file(), "{name}: `{target}` does not resolve");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} links checked");
    for expected in [
        "index.html",
        "items.html",
        "controls.html",
        "findings.html",
        "items/h1.html",
        "items/x-1.html",
        "controls/si-2.html",
        "items.json",
        "poam.csv",
        "downloads.html",
        "downloads/poam.xlsx",
        "downloads/poam-oscal.json",
        "site.js",
        "rules/index.html",
        "rules/overdue.html",
        "style.css",
    ] {
        assert!(all.contains_key(expected), "{expected} missing");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let (temp, repo) = build_repo("report");
    let (a, b) = (temp.path().join("a"), temp.path().join("b"));
    assert_eq!(build_site(&repo, &a).0, 0);
    assert_eq!(build_site(&repo, &b).0, 0);
    let (first, second) = (files(&a), files(&b));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(&second[name] == bytes, "{name} differs between builds");
    }
}

#[test]
fn a_rebuild_rewrites_changed_pages_and_equals_a_first_build() {
    let (temp, repo) = build_repo("report");
    let out = temp.path().join("site");
    assert_eq!(build_site(&repo, &out).0, 0);
    let h2_before = std::fs::read(out.join("items/h2.html")).expect("page");
    let item = repo.join("poams/H1.yaml");
    let text = std::fs::read_to_string(&item).expect("item");
    std::fs::write(&item, text.replacen("title: ", "title: Rebuilt ", 1)).expect("edit");
    assert_eq!(build_site(&repo, &out).0, 0);
    let h1 = std::fs::read_to_string(out.join("items/h1.html")).expect("page");
    assert!(h1.contains("Rebuilt "), "the changed page is written again");
    assert_eq!(
        std::fs::read(out.join("items/h2.html")).expect("page"),
        h2_before,
        "an unchanged page is the same"
    );
    let fresh = temp.path().join("fresh");
    assert_eq!(build_site(&repo, &fresh).0, 0);
    assert_eq!(files(&out), files(&fresh), "a rebuild equals a first build");
    let leftovers: Vec<_> = std::fs::read_dir(temp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn hostile_item_text_is_escaped_everywhere() {
    let (_temp, _repo, out) = hostile_site();
    for (name, bytes) in files(&out) {
        if name.ends_with(".xlsx") {
            continue;
        }
        let text = String::from_utf8(bytes).expect("utf-8");
        let lower = text.to_ascii_lowercase();
        if name.ends_with(".html") {
            // The one script every page loads, from the site itself.
            let root = "../".repeat(name.matches('/').count());
            let lower = lower.replacen(
                &format!("<script src=\"{root}site.js\" defer></script>"),
                "",
                1,
            );
            for tag in ["<script", "<img", "<svg onload", "<iframe", "<b>"] {
                assert!(!lower.contains(tag), "{name} holds `{tag}`");
            }
            assert!(
                attribute_values(&lower, "href")
                    .iter()
                    .all(|h| !h.trim_start().starts_with("javascript")),
                "{name}"
            );
            assert!(
                !text.contains(">49<") && !text.contains(" 49 "),
                "{name} evaluated item text as a template"
            );
        }
    }
    let page = std::fs::read_to_string(out.join("items/x-1.html")).expect("item page");
    assert!(page.contains("{{ 7*7 }}"), "template syntax shown as text");
    assert!(
        page.contains("&lt;script&gt;document.title="),
        "script shown as text"
    );
    assert!(
        page.contains(r#"<a href="https://example.com/advisory">safe one</a>"#),
        "safe link kept"
    );
    assert!(
        page.contains("javascript link"),
        "unsafe link keeps its text"
    );
}

#[test]
fn pages_carry_a_content_security_policy_and_no_remote_resources() {
    let (_temp, _repo, out) = hostile_site();
    for (name, bytes) in files(&out).iter().filter(|(n, _)| n.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).expect("utf-8");
        assert!(
            html.contains(
                r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none';"#
            ),
            "{name} has no CSP"
        );
        assert!(
            html.contains(
                r#"content="default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; base-uri 'none'; form-action 'none'">"#
            ),
            "{name}: scripts from the site itself only, none inline"
        );
        assert!(html.contains("<html lang=\"en\">"), "{name}");
    }
}

#[test]
fn item_pages_show_history_with_commit_links() {
    let (_temp, _repo, out) = hostile_site();
    let page = std::fs::read_to_string(out.join("items/m1.html")).expect("item page");
    assert!(page.contains("Git timeline"), "{page}");
    assert!(
        page.contains("href=\"https://git.example.com/example/poams/commit/"),
        "commit links use repo_url"
    );
    assert!(
        page.contains("<code>vendor_dependency.last_checkin</code>: 2026-01-15 → 2026-03-16"),
        "{page}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(index.contains("Hit: Corrective Action Plan"), "{index}");
    assert!(index.contains("<title id=\"chart-open-title\">Open items over time by risk</title>"));
}

#[test]
fn downloads_hold_the_item_view_and_a_csv() {
    let (_temp, _repo, out) = hostile_site();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("items.json")).expect("read"))
            .expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["today"], TODAY);
    let items = json["items"].as_array().expect("items");
    assert!(items
        .iter()
        .any(|i| i["id"] == "M1" && i["assessment"]["vendor_checkin"]["stale"] == false));
    let csv = std::fs::read_to_string(out.join("poam.csv")).expect("read");
    assert!(
        csv.starts_with("id,title,controls,risk,effective_risk,"),
        "{csv}"
    );
    assert!(csv.lines().any(|l| l.starts_with("H1,")), "{csv}");
    // days_left is a number, as in the other profiles' CSVs: `-5`, not the defused `'-5`.
    let days_left: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(10))
        .collect();
    assert!(
        days_left
            .iter()
            .any(|d| d.parse::<i64>().is_ok_and(|d| d < 0)),
        "{csv}"
    );
    assert!(!csv.contains(",'-"), "{csv}");
}

#[test]
fn a_rebuild_replaces_the_previous_site() {
    let (temp, repo) = build_repo("report");
    let out = temp.path().join("site");
    assert_eq!(build_site(&repo, &out).0, 0);
    std::fs::write(out.join("items/stale.html"), "old").expect("write");
    assert_eq!(build_site(&repo, &out).0, 0);
    assert!(!out.join("items/stale.html").exists());
    assert!(out.join("index.html").is_file());
    let leftovers: Vec<_> = std::fs::read_dir(temp.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("poam-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refuses_the_repo_root_the_items_folder_and_foreign_folders() {
    let (temp, repo) = build_repo("report");
    for (out, why) in [
        (repo.clone(), "is or holds"),
        (repo.join("poams"), "is or holds"),
        (repo.join("poams/site"), "inside the items folder"),
        (temp.path().to_path_buf(), "is or holds"),
    ] {
        let (code, err) = build_site(&repo, &out);
        assert_eq!(code, 2, "{}", out.display());
        assert!(err.contains(why), "{err}");
    }
    let foreign = temp.path().join("docs");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "keep me").expect("write");
    let (code, err) = build_site(&repo, &foreign);
    assert_eq!(code, 2);
    assert!(err.contains("not a site poam built"), "{err}");
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).expect("kept"),
        "keep me"
    );
    assert!(repo.join("poams/H1.yaml").is_file());
}

#[test]
fn a_folder_outside_git_gets_a_site_without_history_charts() {
    let temp = crate::common::copy_fixture("rules/overdue/fires");
    let elsewhere = tempfile::tempdir().expect("temp");
    let out = elsewhere.path().join("site");
    let output = poam()
        .current_dir(temp.path())
        .args(["site", ".", "--today", TODAY, "-o"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let index = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(index.contains("not in a git repository"), "{index}");
    assert!(index.contains("Age of open items against their deadlines"));
}

#[test]
fn findings_page_matches_poam_lint() {
    let (temp, repo) = build_repo("report");
    let out = temp.path().join("site");
    assert_eq!(build_site(&repo, &out).0, 0);
    let lint = poam()
        .current_dir(&repo)
        .args(["lint", "--today", TODAY, "--format", "json"])
        .output()
        .expect("run poam");
    let json: serde_json::Value = serde_json::from_slice(&lint.stdout).expect("json");
    let expected = json["diagnostics"].as_array().expect("diagnostics").len();
    assert!(expected > 10, "{expected}");
    let page = std::fs::read_to_string(out.join("findings.html")).expect("findings");
    assert_eq!(page.matches("<tr class=\"sev-").count(), expected);
    // The history rules' findings are there too: the site walks history once and shares it.
    assert!(
        page.contains("<code class=\"rule\">item-deleted</code>"),
        "{page}"
    );
}

/// `id -> page` from the items list of the site in `out`, read from each page's title.
fn pages_by_id(out: &Path) -> BTreeMap<String, String> {
    let list = std::fs::read_to_string(out.join("items.html")).expect("items list");
    attribute_values(&list, "href")
        .into_iter()
        .filter(|href| href.starts_with("items/"))
        .map(|href| {
            let page = std::fs::read_to_string(out.join(href)).expect("linked page exists");
            let title = page
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split(" · ").next())
                .expect("a title");
            (title.to_owned(), href.to_owned())
        })
        .collect()
}

#[test]
fn ids_that_differ_in_case_or_meet_a_suffix_get_pages_of_their_own() {
    // `V-1` and `v-1` are one file on a case-insensitive file system; `v-1-2` is what a
    // numbered second `v-1` would be called.
    let ids = ["V-1", "v-1", "v-1-2"];
    let build = |files: [&str; 3]| {
        let temp = tempfile::tempdir().expect("temp");
        let repo = temp.path().join("repo");
        std::fs::create_dir_all(repo.join("poams")).expect("mkdir");
        std::fs::write(repo.join("poam.yaml"), "items: poams\n").expect("write");
        for (id, file) in ids.iter().zip(files) {
            let item = crate::common::valid_item(id);
            std::fs::write(repo.join("poams").join(file), item).expect("write");
        }
        let out = temp.path().join("site");
        let (code, err) = build_site(&repo, &out);
        assert_eq!(code, 0, "{err}");
        let pages = pages_by_id(&out);
        let written = std::fs::read_dir(out.join("items")).expect("items").count();
        (pages, written)
    };
    let (first, written) = build(["a.yaml", "b.yaml", "c.yaml"]);
    assert_eq!(written, 3, "{first:?}");
    assert_eq!(
        first.keys().map(String::as_str).collect::<Vec<_>>(),
        ["V-1", "v-1", "v-1-2"],
        "every item is linked to a page showing it: {first:?}"
    );
    let names: std::collections::BTreeSet<String> =
        first.values().map(|p| p.to_ascii_lowercase()).collect();
    assert_eq!(
        names.len(),
        3,
        "no two pages differ only in case: {first:?}"
    );
    // The same pages whatever order the files are read in.
    let (again, _) = build(["a.yaml", "b.yaml", "c.yaml"]);
    assert_eq!(first, again);
    let (reordered, _) = build(["c.yaml", "a.yaml", "b.yaml"]);
    assert_eq!(first, reordered);
    assert_eq!(first["v-1"], "items/v-1.html");
    assert_eq!(first["v-1-2"], "items/v-1-2.html");
}

/// The open and late counts of a summary table (the people or the assets page), by the name
/// each row links to its section by.
fn summary_counts(html: &str) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    for row in html.split("<tr").skip(1) {
        let Some(owner) = row
            .split("<a href=\"#")
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
        else {
            continue;
        };
        let numbers: Vec<usize> = row
            .split("<td class=\"num\">")
            .skip(1)
            .filter_map(|cell| {
                let cell = cell.trim_start_matches("<span class=\"late\">");
                cell.split('<').next()?.parse().ok()
            })
            .collect();
        if let [open, late] = numbers[..] {
            out.insert(owner.to_owned(), (open, late));
        }
    }
    out
}

/// The people page lists each owner's open items and counts the late ones by the profile's
/// standing (the same that items.json and the dashboard carry), under Rev5 and CR26 alike; the
/// control pages name the control's title and family from the catalog.
#[test]
fn the_people_page_counts_late_items_by_standing_and_control_pages_show_titles() {
    for example in ["demo", "cr26"] {
        let (temp, repo) = crate::common::copy_example(example);
        let out = temp.path().join("site");
        let output = poam()
            .current_dir(&repo)
            .args(["site", "--today", crate::common::TODAY, "-o"])
            .arg(&out)
            .output()
            .expect("run poam");
        assert!(output.status.success(), "{example}: {output:?}");
        let people = std::fs::read_to_string(out.join("people.html")).expect("people page");
        assert!(people.contains("<h1>People</h1>"), "{example}");
        let counts = summary_counts(&people);
        let items: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("items.json")).expect("items.json"))
                .expect("json");
        let mut expected: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for item in items["items"].as_array().expect("items") {
            if item["assessment"]["open"] != true {
                continue;
            }
            let owner = item["owner"].as_str().unwrap_or("no owner").to_owned();
            let entry = expected.entry(owner).or_default();
            entry.0 += 1;
            if item["standing"]["state"] == "late" {
                entry.1 += 1;
            }
        }
        for (owner, (open, late)) in &expected {
            assert_eq!(
                counts.get(owner),
                Some(&(*open, *late)),
                "{example}: {owner} in {counts:?}"
            );
        }
        assert!(
            expected.values().any(|(_, late)| *late > 0),
            "{example}: some owner has a late item"
        );
        // Every people-file entry is listed, with its name, even without open items.
        assert!(counts.len() >= expected.len(), "{example}: {counts:?}");
        let base = std::fs::read_to_string(out.join("index.html")).expect("index");
        assert!(
            base.contains("<a href=\"people.html\">People</a>"),
            "{example}"
        );
    }
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    crate::common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        &repo,
    );
    let out = temp.path().join("site");
    let (code, err) = build_site(&repo, &out);
    assert_eq!(code, 0, "{err}");
    let control = std::fs::read_to_string(out.join("controls/sc-8.html")).expect("SC-8 page");
    assert!(
        control.contains("<h1>Control SC-8: Transmission Confidentiality and Integrity</h1>"),
        "{control}"
    );
    assert!(
        control.contains("Family SC, System and Communications Protection"),
        "{control}"
    );
    let list = std::fs::read_to_string(out.join("controls.html")).expect("controls page");
    assert!(
        list.contains("<td>Transmission Confidentiality and Integrity</td><td>SC System and Communications Protection</td>"),
        "{list}"
    );
}

/// The assets page lists every inventory asset with the open items naming it, by its id or an
/// alias, late ones counted by the profile's standing; a retired asset and a name the inventory
/// lacks say so.
#[test]
fn the_assets_page_lists_each_asset_with_the_open_items_naming_it() {
    let temp = tempfile::tempdir().expect("temp");
    let repo = temp.path().join("repo");
    crate::common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/demo"),
        &repo,
    );
    // An open item naming a host the inventory does not hold (`asset-unknown`).
    let item = repo.join("poams/V-1004.yaml");
    let text = std::fs::read_to_string(&item).expect("read");
    std::fs::write(
        &item,
        text.replace(
            "  - san-ctrl-b.example.internal (22/TCP)\n",
            "  - ghost-01 (22/TCP)\n",
        ),
    )
    .expect("write");
    let out = temp.path().join("site");
    // The demo's own date: its retired host retired before it.
    let output = poam()
        .current_dir(&repo)
        .args(["site", "--today", crate::common::TODAY, "-o"])
        .arg(&out)
        .output()
        .expect("run poam");
    assert!(output.status.success(), "{output:?}");
    let html = std::fs::read_to_string(out.join("assets.html")).expect("assets page");
    let counts = summary_counts(&html);
    // V-1006 names the Okta tenant by an alias; V-1007 is still open on a retired host.
    assert_eq!(
        counts.get("example-saas.okta.com"),
        Some(&(1, 0)),
        "{counts:?}"
    );
    let items: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("items.json")).expect("items.json"))
            .expect("json");
    let late = |id: &str| {
        items["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|item| item["id"] == id && item["standing"]["state"] == "late")
    };
    assert_eq!(
        counts.get("docs.example-saas.com"),
        Some(&(1, usize::from(late("V-1007")))),
        "{counts:?}"
    );
    assert_eq!(
        counts.get("metrics-01.example.internal"),
        Some(&(0, 0)),
        "{counts:?}"
    );
    assert_eq!(
        counts.get("san-ctrl-b.example.internal"),
        Some(&(0, 0)),
        "{counts:?}"
    );
    assert_eq!(counts.get("ghost-01"), Some(&(1, 0)), "{counts:?}");
    assert!(
        html.contains("docs.example-saas.com</a> (retired)"),
        "{html}"
    );
    assert!(
        html.contains("ghost-01</a> (not in the inventory)"),
        "{html}"
    );
    let section = html
        .split("<h2 id=\"asset-example-saas.okta.com\">")
        .nth(1)
        .and_then(|rest| rest.split("<h2").next())
        .expect("the tenant's section");
    assert!(section.contains("V-1006"), "{section}");
    let index = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(
        index.contains("<a href=\"assets.html\">Assets</a>"),
        "{index}"
    );
}
