//! The rule registry and the rule files agree: build.rs refuses to build when a rule file has
//! no registry line, a registry line has no file, or a rule's code is not its file name. The
//! same checker (`build/registry.rs`) runs here on the real tree and on broken copies.

use std::path::Path;

#[path = "../../build/registry.rs"]
#[allow(dead_code)]
pub mod checker;

fn rules_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules")
}

fn rule_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(rules_dir())
        .expect("src/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .collect();
    files.sort();
    files
}

fn read(module: &str) -> Result<String, String> {
    std::fs::read_to_string(rules_dir().join(format!("{module}.rs"))).map_err(|e| e.to_string())
}

fn mod_rs() -> String {
    read("mod").expect("src/rules/mod.rs")
}

#[test]
fn the_tree_is_consistent() {
    checker::build(&mod_rs(), &rule_files(), &read).expect("registry and rule files agree");
}

#[test]
fn a_rule_file_without_a_registry_line_fails_the_build() {
    let mut files = rule_files();
    files.push("brand_new_rule".to_owned());
    let err = checker::build(&mod_rs(), &files, &read).expect_err("unregistered file");
    assert!(
        err.contains("src/rules/brand_new_rule.rs has no registry line"),
        "{err}"
    );
}

#[test]
fn a_registry_line_without_a_file_fails_the_build() {
    let begin = format!("{}\n", checker::BEGIN);
    let text = mod_rs().replace(&begin, &format!("{begin}mod gone_rule;\n"));
    let err = checker::build(&text, &rule_files(), &read).expect_err("line without file");
    assert!(
        err.contains("`mod gone_rule;` in src/rules/mod.rs has no file src/rules/gone_rule.rs"),
        "{err}"
    );
}

#[test]
fn a_rule_whose_code_is_not_its_file_name_fails_the_build() {
    let text = read("due_soon").expect("due_soon.rs");
    let renamed = text.replace("code: Code::DueSoon,", "code: Code::Overdue,");
    let err = checker::declared("due_soon", &renamed).expect_err("wrong code");
    assert!(err.contains("a rule's code is its file name"), "{err}");
    // Near miss: the file as it is.
    let rule = checker::declared("due_soon", &text).expect("declared");
    assert_eq!(
        (
            rule.variant.as_str(),
            rule.severity.as_str(),
            rule.kind.as_str()
        ),
        ("DueSoon", "Note", "Item")
    );
    assert_eq!(rule.sets, ["Rev5"]);
}

#[test]
fn a_rule_file_without_a_declaration_fails_the_build() {
    let err = checker::declared("due_soon", "//! Docs only.\n").expect_err("no RULE");
    assert!(err.contains("declares no `pub(crate) const RULE"), "{err}");
}

#[test]
fn every_rule_file_is_registered_in_code_order() {
    // The registry's order is the codes' order (`poam rules`, docs/rules/README.md).
    let registry = checker::registry_lines(&mod_rs()).expect("registry");
    let codes: Vec<String> = poam::rules::Code::names()
        .into_iter()
        .map(|name| name.replace('-', "_"))
        .collect();
    assert_eq!(registry, codes);
}
