//! The site in a real browser: headless Chromium (Debian's `chromium`) opens the dashboard and
//! an item page, the rendered text is checked, screenshots are taken, and the hostile item's
//! payloads must not run. Without Chromium these tests say they were skipped and pass;
//! `.ci/run` installs it and sets `POAM_REQUIRE_BROWSER`, which turns a skip into a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::site::hostile_site;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("POAM_TEST_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let found = Command::new("sh")
                .args(["-c", &format!("command -v {name}")])
                .output()
                .ok()?;
            let path = String::from_utf8(found.stdout).ok()?.trim().to_owned();
            (found.status.success() && !path.is_empty()).then(|| PathBuf::from(path))
        })
}

fn skip(test: &str) {
    assert!(
        std::env::var_os("POAM_REQUIRE_BROWSER").is_none(),
        "{test}: POAM_REQUIRE_BROWSER is set but Chromium is not installed"
    );
    // Written to the real stderr, past the test harness's capture, so `cargo test` shows it.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: Chromium is not installed (apt-get install chromium; .ci/run does)"
    );
}

/// Runs headless Chromium on `page` with `extra` arguments; returns stdout.
fn run_chromium(binary: &Path, page: &Path, extra: &[String]) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let output = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Give any script that got in the time to run before the DOM is dumped.
            "--virtual-time-budget=2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn dump_dom(binary: &Path, page: &Path) -> String {
    run_chromium(binary, page, &["--dump-dom".to_owned()])
}

fn screenshot(binary: &Path, page: &Path, file: &Path, size: &str) {
    run_chromium(
        binary,
        page,
        &[
            format!("--screenshot={}", file.display()),
            format!("--window-size={size}"),
            "--hide-scrollbars".to_owned(),
        ],
    );
    let bytes = std::fs::read(file).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        bytes.len() > 10_000,
        "screenshot of {} is nearly empty",
        page.display()
    );
}

/// The text of `<title>` in a dumped DOM.
fn title(dom: &str) -> &str {
    let start = dom.find("<title>").map_or(0, |i| i + "<title>".len());
    let end = dom[start..].find("</title>").map_or(start, |i| start + i);
    &dom[start..end]
}

#[test]
fn dashboard_and_item_page_render() {
    let Some(binary) = chromium() else {
        return skip("browser::dashboard_and_item_page_render");
    };
    let (temp, _repo, out) = hostile_site();
    let dom = dump_dom(&binary, &out.join("index.html"));
    assert_eq!(title(&dom), "Dashboard · Example SaaS");
    assert!(dom.contains("POA&amp;M dashboard"), "{dom}");
    assert!(dom.contains("Hit: Corrective Action Plan"), "{dom}");
    assert!(dom.contains("Open items over time by risk"), "{dom}");
    let item = dump_dom(&binary, &out.join("items/m1.html"));
    assert_eq!(title(&item), "M1 · Example SaaS");
    assert!(item.contains("Acme Edge 5"), "{item}");
    assert!(item.contains("Git timeline"), "{item}");
    let shots = std::env::var_os("POAM_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    screenshot(
        &binary,
        &out.join("index.html"),
        &shots.join("dashboard.png"),
        "1280,2000",
    );
    screenshot(
        &binary,
        &out.join("items/m1.html"),
        &shots.join("item-phone.png"),
        "390,1800",
    );
}

#[test]
fn hostile_item_runs_nothing() {
    let Some(binary) = chromium() else {
        return skip("browser::hostile_item_runs_nothing");
    };
    let (_temp, _repo, out) = hostile_site();
    for page in [
        "items/x-1.html",
        "items.html",
        "index.html",
        "controls.html",
    ] {
        let dom = dump_dom(&binary, &out.join(page));
        assert!(!title(&dom).contains("pwned"), "{page}: a payload ran");
        let root = "../".repeat(page.matches('/').count());
        let lower = dom.to_ascii_lowercase().replacen(
            &format!("<script src=\"{root}site.js\" defer=\"\"></script>"),
            "",
            1,
        );
        for tag in ["<script", "<img", "<iframe", "<svg onload"] {
            assert!(!lower.contains(tag), "{page}: the DOM holds {tag}");
        }
    }
    let dom = dump_dom(&binary, &out.join("items/x-1.html"));
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "{dom}"
    );
    assert!(dom.contains("{{ 7*7 }}"), "{dom}");
    assert!(
        !dom.to_ascii_lowercase().contains("<a href=\"javascript"),
        "{dom}"
    );
}

/// A test script, beside the site (so the pages' `script-src 'self'` lets it run), that
/// clicks every sort button twice, tries every option of every filter, types the hostile text
/// into every search box, then marks the page done.
const EXERCISE: &str = r#"window.addEventListener('load', function () {
  var buttons = document.querySelectorAll('th button.sort');
  buttons.forEach(function (b) { b.click(); b.click(); });
  document.querySelectorAll('.filters select').forEach(function (s) {
    for (var i = 0; i < s.options.length; i++) {
      s.selectedIndex = i;
      s.dispatchEvent(new Event('change'));
    }
    s.selectedIndex = 0;
    s.dispatchEvent(new Event('change'));
  });
  document.querySelectorAll('.filters input').forEach(function (input) {
    input.value = '<img src=x onerror=alert(1)>';
    input.dispatchEvent(new Event('input'));
    input.value = '';
    input.dispatchEvent(new Event('input'));
  });
  document.body.setAttribute('data-exercised', String(buttons.length));
});
"#;

#[test]
fn the_table_script_sorts_and_filters_hostile_text_and_runs_none_of_it() {
    let Some(binary) = chromium() else {
        return skip(
            "browser::the_table_script_sorts_and_filters_hostile_text_and_runs_none_of_it",
        );
    };
    let (_temp, _repo, out) = hostile_site();
    std::fs::write(out.join("exercise.js"), EXERCISE).expect("write");
    for page in [
        "items.html",
        "index.html",
        "controls.html",
        "findings.html",
        "people.html",
        "assets.html",
    ] {
        let html = std::fs::read_to_string(out.join(page)).expect("page");
        let html = html.replacen(
            "<script src=\"site.js\" defer></script>",
            "<script src=\"site.js\" defer></script>\n<script src=\"exercise.js\" defer></script>",
            1,
        );
        let exercised = out.join(format!("exercised-{page}"));
        std::fs::write(&exercised, html).expect("write");
        let dom = dump_dom(&binary, &exercised);
        assert!(!title(&dom).contains("pwned"), "{page}: a payload ran");
        assert!(
            dom.contains("data-exercised=\""),
            "{page}: the test script did not run"
        );
        if page == "items.html" {
            assert!(
                dom.contains("<button type=\"button\" class=\"sort\">"),
                "{page}: sort buttons"
            );
            assert!(dom.contains("<select id=\"filter-"), "{page}: filters");
            assert!(
                dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;</option>")
                    || dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;"),
                "{page}: the hostile owner is a filter option, as text"
            );
        }
        let lower = dom.to_ascii_lowercase();
        let lower = lower
            .replacen("<script src=\"site.js\" defer=\"\"></script>", "", 1)
            .replacen("<script src=\"exercise.js\" defer=\"\"></script>", "", 1);
        for tag in ["<script", "<img", "<iframe", "<svg onload"] {
            assert!(!lower.contains(tag), "{page}: the DOM holds {tag}");
        }
    }
}

/// Where the screenshots go: `POAM_SCREENSHOTS`, else `screenshots/` in the build folder
/// (`target/screenshots`), which CI keeps as an artifact.
fn screenshot_dir() -> PathBuf {
    std::env::var_os("POAM_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .parent()
                .unwrap_or(Path::new("target"))
                .join("screenshots")
        })
}

#[test]
fn screenshots_of_both_examples_at_desktop_and_phone_width() {
    let Some(binary) = chromium() else {
        return skip("browser::screenshots_of_both_examples_at_desktop_and_phone_width");
    };
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    for (example, item) in [
        ("demo", "items/v-1003.html"),
        ("cr26", "items/vdr-006.html"),
    ] {
        let (_temp, repo) = crate::site_pages::example_repo(example);
        let out = crate::site_pages::site_of(&repo, "site");
        for (name, page, tall) in [
            ("dashboard", "index.html", 2600),
            ("items", "items.html", 1500),
            ("item", item, 2200),
            ("findings", "findings.html", 1800),
        ] {
            for (width, label) in [(1400, "desktop"), (390, "phone")] {
                let height = if width < 600 { tall * 2 } else { tall };
                screenshot(
                    &binary,
                    &out.join(page),
                    &shots.join(format!("{example}-{name}-{label}.png")),
                    &format!("{width},{height}"),
                );
            }
        }
    }
}

#[test]
fn printed_pages_carry_the_marking_page_numbers_and_open_disclosures() {
    let Some(binary) = chromium() else {
        return skip("browser::printed_pages_carry_the_marking_page_numbers_and_open_disclosures");
    };
    let (temp, repo) = crate::site_pages::example_repo("demo");
    let config = repo.join("poam.yaml");
    let text = std::fs::read_to_string(&config).expect("config");
    std::fs::write(&config, format!("marking: CUI\n{text}")).expect("write");
    let out = crate::site_pages::site_of(&repo, "site");
    let pdf = temp.path().join("dashboard.pdf");
    run_chromium(
        &binary,
        &out.join("index.html"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    let bytes = std::fs::read(&pdf).expect("printed");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let Ok(text) = Command::new("pdftotext").arg(&pdf).arg("-").output() else {
        let _ = writeln!(
            std::io::stderr(),
            "NOTE browser::printed_pages…: pdftotext (poppler-utils) is not installed; the PDF's text is not checked"
        );
        return;
    };
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    let pages = text.matches("\u{c}").count().max(1);
    assert!(pages >= 2, "{text}");
    assert_eq!(
        text.matches("CUI").count(),
        2 * pages,
        "the banner at the top and bottom of each of {pages} pages:\n{text}"
    );
    assert!(text.contains(&format!("Page 1 of {pages}")), "{text}");
    assert!(
        text.contains("Example Cloud Co. · Example SaaS · as of 2026-11-25"),
        "{text}"
    );
    // The charts' data tables are in collapsed disclosures on screen and open on paper.
    assert!(
        text.contains("Data of “Open items over time by risk”"),
        "{text}"
    );
    // Closed, the two history charts' 48 sample dates would be printed only as axis labels.
    let dates = text.matches("2026-").count() + text.matches("2025-").count();
    assert!(
        dates > 100,
        "{dates} dates: the data rows are printed:\n{text}"
    );
}

#[test]
fn dod_and_cmmc_dashboards_render_in_their_profiles_words() {
    let Some(binary) = chromium() else {
        return skip("browser::dod_and_cmmc_dashboards_render_in_their_profiles_words");
    };
    // What only the Rev5 deadline model says (its escalation triggers, its effective risk and
    // policy deadline, FedRAMP's counting of Critical as High).
    const REV5_ONLY: &[&str] = &[
        "escalation trigger",
        "detailed finding review",
        "corrective action plan",
        "policy deadline",
        "effective risk",
        "counted as high",
    ];
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).expect("screenshot dir");
    for (example, title_text, must) in [
        (
            "dod",
            "Example Logistics Portal",
            &["CAT I", "CAT II", "CAT III", "IAVA"][..],
        ),
        (
            "cmmc",
            "Engineering enclave",
            &["SPRS", "110", "closeout"][..],
        ),
    ] {
        let (_temp, repo) = crate::site_pages::example_repo(example);
        let out = crate::site_pages::site_of(&repo, "site");
        let dom = dump_dom(&binary, &out.join("index.html"));
        assert!(
            title(&dom).contains(title_text),
            "{example}: {}",
            title(&dom)
        );
        for word in must {
            assert!(dom.contains(word), "{example}: {word} missing from:\n{dom}");
        }
        let lower = dom.to_lowercase();
        let found: Vec<&&str> = REV5_ONLY.iter().filter(|w| lower.contains(*w)).collect();
        assert!(
            found.is_empty(),
            "{example} dashboard says {found:?}:\n{dom}"
        );
        for (width, label) in [(1400, "desktop"), (390, "phone")] {
            let height = if width < 600 { 4000 } else { 2200 };
            screenshot(
                &binary,
                &out.join("index.html"),
                &shots.join(format!("{example}-dashboard-{label}.png")),
                &format!("{width},{height}"),
            );
        }
    }
}
