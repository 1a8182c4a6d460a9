//! `poam site --audience NAME`: what an audience may not see is nowhere in its build. Each
//! test greps every file of the build for the hidden values, after checking that the full
//! build (no audience) does hold each of them, so the grep can fail.

use std::path::Path;

use crate::common::{build_repo, poam};

/// Every file under `dir`, as (relative path, text).
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            let text =
                String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned();
            out.push((relative, text));
        }
    }
    out
}

fn build(repo: &Path, out: &Path, audience: Option<&str>) -> Vec<(String, String)> {
    let mut cmd = poam();
    cmd.current_dir(repo)
        .args(["site", "--today", "2026-11-25", "-o"])
        .arg(out);
    if let Some(name) = audience {
        cmd.args(["--audience", name]);
    }
    let output = cmd.output().expect("run poam");
    assert!(output.status.success(), "{output:?}");
    files(out)
}

/// The files of `build` that hold `value`.
fn holding<'b>(build: &'b [(String, String)], value: &str) -> Vec<&'b str> {
    build
        .iter()
        .filter(|(_, text)| text.contains(value))
        .map(|(name, _)| name.as_str())
        .collect()
}

#[test]
fn an_audience_build_holds_no_hidden_value() {
    let (temp, repo) = build_repo("audience");
    let full = build(&repo, &temp.path().join("full"), None);
    let agency = build(&repo, &temp.path().join("agency"), Some("agency"));
    // Assets, comments, evidence (file name, path, hash, note), owners (id and name), and the
    // item the audience does not get (V-2, moderate: its id, title, asset and detector id).
    let sum = {
        use sha2::Digest;
        let bytes = std::fs::read(repo.join("evidence/V-1/rescan-quokka.txt")).expect("read");
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let hidden = [
        "vault-primary-7",
        "SEC-4711",
        "rescan-quokka",
        "nightjar",
        sum.as_str(),
        "kpatel",
        "Quartermaine",
        "V-2",
        "ZetaLib",
    ];
    // The rule pages' content is poam's own documentation (an example there names `V-2`):
    // the same in every build, so it carries nothing of the repository. Checked, then the
    // page's frame (header, navigation, footer) is searched like every other file.
    let main_of = |text: &str| -> String {
        let start = text.find("<main").unwrap_or(0);
        let end = text
            .find("</main>")
            .map_or(text.len(), |at| at + "</main>".len());
        text[start..end].to_owned()
    };
    let rule_mains = |build: &[(String, String)]| -> Vec<(String, String)> {
        build
            .iter()
            .filter(|(name, _)| name.starts_with("rules/"))
            .map(|(name, text)| (name.clone(), main_of(text)))
            .collect()
    };
    assert!(!rule_mains(&agency).is_empty());
    assert_eq!(rule_mains(&full), rule_mains(&agency));
    let agency: Vec<(String, String)> = agency
        .into_iter()
        .map(|(name, text)| {
            if name.starts_with("rules/") {
                let frame = text.replace(&main_of(&text), "");
                (name, frame)
            } else {
                (name, text)
            }
        })
        .collect();
    for value in hidden {
        assert!(
            !holding(&full, value).is_empty(),
            "the full build shows `{value}`, so the test can tell"
        );
        assert_eq!(
            holding(&agency, value),
            Vec::<&str>::new(),
            "`{value}` is hidden from the agency"
        );
    }
    // What the agency does see is there: V-1, its title, its history.
    for value in [
        "V-1",
        "OpenSSL is out of date",
        "Track the January findings",
    ] {
        assert!(!holding(&agency, value).is_empty(), "{value}");
    }
    let names: Vec<&str> = agency.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        !names.contains(&"people.html") && !names.contains(&"assets.html"),
        "{names:?}"
    );
    assert!(names.contains(&"findings.html"), "{names:?}");
    let page = |name: &str| {
        agency
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("{name} in {names:?}"))
    };
    assert!(!page("index.html").contains("people.html"));
    // No key of a hidden field in items.json, no owner column in poam.csv.
    let json: serde_json::Value = serde_json::from_str(page("items.json")).expect("json");
    let item = &json["items"][0];
    for key in ["assets", "owner", "comments", "documents"] {
        assert!(item.get(key).is_none(), "{key} in {item:#}");
    }
    assert_eq!(json["items"].as_array().map(Vec::len), Some(1));
    assert!(page("poam.csv").starts_with("id,title,controls,risk,effective_risk,status,"));
    // The commit message that quotes a hidden value is left out of the timeline; the commit
    // itself (date, author) stays.
    let v1 = page("items/v-1.html");
    assert!(v1.contains("Bob Builder"), "{v1}");
}

#[test]
fn history_and_findings_can_be_hidden_and_items_chosen_by_control_family() {
    let (temp, repo) = build_repo("audience");
    let full = build(&repo, &temp.path().join("full"), None);
    let assessor = build(&repo, &temp.path().join("assessor"), Some("assessor"));
    for value in [
        "Track the January findings",
        "Bob Builder",
        "OpenSSL is out of date",
    ] {
        assert!(!holding(&full, value).is_empty(), "{value}");
        assert_eq!(holding(&assessor, value), Vec::<&str>::new(), "{value}");
    }
    let names: Vec<&str> = assessor.iter().map(|(name, _)| name.as_str()).collect();
    assert!(!names.contains(&"findings.html"), "{names:?}");
    assert!(names.contains(&"items/v-2.html"), "{names:?}");
    // An unknown audience is refused before anything is built.
    let output = poam()
        .current_dir(&repo)
        .args([
            "site",
            "--today",
            "2026-11-25",
            "--audience",
            "agencie",
            "-o",
        ])
        .arg(temp.path().join("nothing"))
        .output()
        .expect("run poam");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("no audience `agencie` in poam.yaml (it defines agency, assessor)"),
        "{output:?}"
    );
    assert!(!temp.path().join("nothing").exists());
}
