//! Rule codes are unique, documented in fixed sections, and docs/rules/ is up to date.
//! Run with `POAM_UPDATE_DOCS=1` to regenerate the pages.

use std::collections::BTreeSet;
use std::path::Path;

use poam::rules::{Code, RULE_DOCS};
use strum::IntoEnumIterator;

const SECTIONS: &[&str] = &[
    "## What it does",
    "## Why it matters",
    "## Example",
    "## How to fix",
    "## Automatic fix",
    "## FedRAMP reference",
];

fn page(code: Code) -> String {
    let doc = code.doc();
    let (summary, body) = doc.split_once('\n').unwrap_or((doc, ""));
    format!(
        "# `{}`\n\n{summary}\n\nDefault severity: **{}**. Change it in `poam.yaml` with `rules: {{{}: error|warning|note|off}}`.\n{body}\n",
        code.as_str(),
        code.default_severity(),
        code.as_str()
    )
}

fn index() -> String {
    let mut text = String::from("# Rules\n\nGenerated from the rule sources; do not edit by hand.\n\n| code | default | what it checks |\n|---|---|---|\n");
    for code in Code::iter() {
        text.push_str(&format!(
            "| [`{0}`]({0}.md) | {1} | {2} |\n",
            code.as_str(),
            code.default_severity(),
            code.summary()
        ));
    }
    text
}

#[test]
fn codes_are_unique_and_match_their_names() {
    let names: Vec<&str> = Code::iter().map(Code::as_str).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "duplicate codes: {names:?}");
    for name in &names {
        assert_eq!(Code::from_name(name).map(Code::as_str), Some(*name));
    }
}

#[test]
fn every_code_has_a_rule_file_with_all_doc_sections() {
    let codes: BTreeSet<&str> = Code::iter().map(Code::as_str).collect();
    let files: BTreeSet<&str> = RULE_DOCS.iter().map(|(code, _)| *code).collect();
    assert_eq!(
        codes, files,
        "every code needs exactly one src/rules/<code>.rs"
    );
    for code in Code::iter() {
        let doc = code.doc();
        assert!(
            !code.summary().is_empty(),
            "{} has no summary line",
            code.as_str()
        );
        let mut at = 0;
        for section in SECTIONS {
            let found = doc[at..].find(section).unwrap_or_else(|| {
                panic!(
                    "{} lacks `{section}` (or it is out of order)",
                    code.as_str()
                )
            });
            at += found + section.len();
        }
    }
}

#[test]
fn rule_pages_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut expected: Vec<(String, String)> = Code::iter()
        .map(|code| (format!("{}.md", code.as_str()), page(code)))
        .collect();
    expected.push(("README.md".to_owned(), index()));
    if std::env::var_os("POAM_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).expect("write rule page");
        }
    }
    let mut stale = Vec::new();
    for (name, text) in &expected {
        if std::fs::read_to_string(dir.join(name)).ok().as_deref() != Some(text.as_str()) {
            stale.push(name.clone());
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let wanted: BTreeSet<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    let extra: Vec<&String> = on_disk.difference(&wanted).collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is stale ({stale:?}) or has pages of no rule ({extra:?}); run `POAM_UPDATE_DOCS=1 cargo test --test it docs`"
    );
}

/// The backticked words of the profile page bullet of a profile that starts with `label`.
fn profile_list(readme: &str, profile: &str, label: &str) -> Vec<String> {
    let heading = format!("## `{profile}`");
    let section = readme
        .split_once(&heading)
        .map(|(_, rest)| rest.split("\n#").next().unwrap_or(rest))
        .unwrap_or_else(|| panic!("the page has no section {heading}"));
    let bullet = section
        .split("\n- ")
        .find(|b| b.starts_with(label))
        .unwrap_or_else(|| panic!("the page {heading} has no `- {label}` list"));
    bullet
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The profile page bullet listing a profile's rules, generated from the registry (code order),
/// wrapped at 100 columns.
fn rules_bullet(rules: &[String]) -> String {
    let mut out = String::from("- Rules:");
    let mut line = out.len();
    for (index, rule) in rules.iter().enumerate() {
        let word = if index + 1 == rules.len() {
            format!("`{rule}`.")
        } else {
            format!("`{rule}`,")
        };
        if line + 1 + word.len() > 100 {
            out.push_str("\n  ");
            line = 2;
        } else {
            out.push(' ');
            line += 1;
        }
        out.push_str(&word);
        line += word.len();
    }
    out
}

/// The profile page bullet of `profile` that starts with `label`, as written (up to the next bullet
/// or blank line).
fn bullet_text<'r>(readme: &'r str, profile: &str, label: &str) -> &'r str {
    let heading = format!("## `{profile}`");
    let at = readme
        .find(&heading)
        .unwrap_or_else(|| panic!("the page has no section {heading}"));
    let start = at
        + readme[at..]
            .find(&format!("\n- {label}"))
            .unwrap_or_else(|| panic!("the page {heading} has no `- {label}` list"))
        + 1;
    let rest = &readme[start..];
    let end = rest[2..]
        .find("\n- ")
        .map(|i| i + 2)
        .into_iter()
        .chain(rest.find("\n\n"))
        .min()
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn each_profile_is_documented_as_it_is_built() {
    for profile in poam::policy::Profile::names() {
        let profile = poam::policy::Profile::from_name(profile).expect("known profile");
        // A profile's section is in docs/profiles.md, or in its own page `docs/profiles/<name>.md`.
        let page = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/profiles")
            .join(format!("{}.md", profile.name()));
        let heading = format!("#### `{}`", profile.name());
        let on_page = std::fs::read_to_string(&page).is_ok_and(|text| text.contains(&heading));
        let path = if on_page {
            page
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/profiles.md")
        };
        check_profile_section(&path, profile);
    }
}

/// The section `#### `name`` of the file at `path` lists the profile's required fields and,
/// generated from the registry, its rules.
fn check_profile_section(path: &Path, profile: poam::policy::Profile) {
    let mut readme = std::fs::read_to_string(path).expect("the profile page");
    // The rule lists are generated from the registry: `POAM_UPDATE_DOCS=1` rewrites them.
    let mut stale = Vec::new();
    {
        let rules: Vec<String> = poam::rules::rules_of(profile)
            .into_iter()
            .map(|c| c.as_str().to_owned())
            .collect();
        let wanted = rules_bullet(&rules);
        let written = bullet_text(&readme, profile.name(), "Rules:").to_owned();
        if written != wanted {
            if std::env::var_os("POAM_UPDATE_DOCS").is_some() {
                readme = readme.replacen(&written, &wanted, 1);
            } else {
                stale.push(profile.name());
            }
        }
        let required: Vec<String> = profile
            .required_fields()
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            profile_list(&readme, profile.name(), "Required fields:"),
            required,
            "required fields of {}",
            profile.name()
        );
    }
    if std::env::var_os("POAM_UPDATE_DOCS").is_some() {
        std::fs::write(path, &readme).expect("write the profile page");
    }
    assert!(
        stale.is_empty(),
        "the rule lists of {stale:?} in the profile pages are stale; run `POAM_UPDATE_DOCS=1 cargo test --test it docs`"
    );
}

/// The README's profile table: every profile, what it is for, and the rules only some profiles
/// run (the rules every profile runs are named once, below the table). Generated from the
/// registry between the `profiles` markers: `POAM_UPDATE_DOCS=1` rewrites it.
fn readme_profile_table() -> String {
    use poam::policy::Profile;
    let what = |profile: Profile| {
        match profile.name() {
        "fedramp-rev5" => "FedRAMP Rev5 POA&M: risk deadlines 30/90/180 days, deviation requests, vendor check-ins ([profiles](docs/profiles.md))",
        "fedramp-cr26" => "FedRAMP 2026 rules: PAIN ratings, VDR deadlines, monthly VER reports ([profiles](docs/profiles.md#fedramp-2026-vdr-and-ver-profile-fedramp-cr26))",
        "dod-rmf" => "DoD RMF POA&M for eMASS: CAT I/II/III, IAVAs, risk acceptance, `export emass` ([dod-rmf](docs/profiles/dod-rmf.md))",
        "cmmc-l2" => "CMMC Level 2 assessment POA&M: SPRS score, Conditional status, 180-day closeout ([cmmc-l2](docs/profiles/cmmc-l2.md))",
        other => panic!("describe the profile {other} in the README's profile table"),
    }
    };
    let profiles: Vec<Profile> = Profile::names()
        .iter()
        .map(|name| Profile::from_name(name).expect("known profile"))
        .collect();
    let every: Vec<Code> = Code::iter()
        .filter(|code| {
            profiles
                .iter()
                .all(|p| poam::rules::rules_of(*p).contains(code))
        })
        .collect();
    let mut out = String::from("| profile | for | its own rules |\n|---|---|---|\n");
    for profile in &profiles {
        let own: Vec<String> = poam::rules::rules_of(*profile)
            .into_iter()
            .filter(|code| !every.contains(code))
            .map(|code| format!("`{}`", code.as_str()))
            .collect();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            profile.name(),
            what(*profile),
            own.join(", ")
        ));
    }
    assert!(!every.is_empty(), "no rule runs under every profile");
    out.push_str(
        "\nEvery profile also runs the rules of item form, people, controls, inventory and history ([rules](docs/rules.md)).\n",
    );
    out
}

#[test]
fn the_readme_profile_table_lists_every_profile_with_its_rules() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README");
    let (begin, end) = ("<!-- profiles begin -->\n", "<!-- profiles end -->");
    let start = readme
        .find(begin)
        .expect("the README has a profiles begin marker")
        + begin.len();
    let stop = readme[start..].find(end).expect("profiles end marker") + start;
    let wanted = readme_profile_table();
    if readme[start..stop] != wanted {
        if std::env::var_os("POAM_UPDATE_DOCS").is_some() {
            let text = format!("{}{}{}", &readme[..start], wanted, &readme[stop..]);
            std::fs::write(&path, text).expect("write the README");
        } else {
            panic!("the README's profile table is stale; run `POAM_UPDATE_DOCS=1 cargo test --test it docs`");
        }
    }
    for name in poam::policy::Profile::names() {
        assert!(wanted.contains(&format!("| `{name}` |")), "{name}");
    }
}
