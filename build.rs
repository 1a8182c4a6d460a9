//! Generates the rule codes from the registry (`src/rules/mod.rs`) and each rule file's
//! `RULE` declaration and `//!` documentation (see `build/registry.rs`), so the binary can
//! print the docs (`poam rules`) and a test can check that `docs/rules/` is up to date, and
//! records the commit the binary is built from for `poam --version`; turns the built-in
//! control catalog into static tables (`build/catalog.rs`).

use std::path::Path;

#[path = "build/catalog.rs"]
mod catalog;
#[path = "build/registry.rs"]
mod registry;

fn main() {
    record_commit();
    println!("cargo:rerun-if-changed=src/rules");
    println!("cargo:rerun-if-changed=build/registry.rs");
    let rules_dir = Path::new("src/rules");
    let mut files: Vec<String> = std::fs::read_dir(rules_dir)
        .expect("src/rules exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("rs"))
        .filter_map(|path| {
            println!("cargo:rerun-if-changed={}", path.display());
            path.file_stem().and_then(|s| s.to_str()).map(str::to_owned)
        })
        .collect();
    files.sort();
    let mod_rs =
        std::fs::read_to_string(rules_dir.join("mod.rs")).expect("src/rules/mod.rs is UTF-8");
    let read = |module: &str| {
        std::fs::read_to_string(rules_dir.join(format!("{module}.rs")))
            .map_err(|err| format!("src/rules/{module}.rs: {err}"))
    };
    let (codes, table) = match registry::build(&mod_rs, &files, &read) {
        Ok(generated) => generated,
        Err(problems) => {
            // A build error that says what to do, not a compile error in generated code.
            for problem in problems.lines() {
                println!("cargo:warning={problem}");
            }
            panic!("the rule registry is inconsistent:\n{problems}");
        }
    };
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out_dir).join("codes.rs"), codes).expect("write codes.rs");
    std::fs::write(Path::new(&out_dir).join("rule_table.rs"), table).expect("write rule_table.rs");
    write_catalog(Path::new(&out_dir));
}

/// The built-in control catalog as static tables (`build/catalog.rs`).
fn write_catalog(out_dir: &Path) {
    let controls_path = "data/catalogs/sp800-53r5-controls.json";
    let baselines_path = "data/catalogs/fedramp-rev5-baselines.json";
    println!("cargo:rerun-if-changed={controls_path}");
    println!("cargo:rerun-if-changed={baselines_path}");
    println!("cargo:rerun-if-changed=build/catalog.rs");
    let read =
        |path: &str| std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{path}: {err}"));
    match catalog::generate(&read(controls_path), &read(baselines_path)) {
        Ok(tables) => std::fs::write(out_dir.join("catalog_tables.rs"), tables)
            .expect("write catalog_tables.rs"),
        Err(problem) => panic!("the built-in catalog cannot be read: {problem}"),
    }
}

/// Sets `POAM_COMMIT` to the short commit id of the source tree, or `unknown` outside git (a
/// crates.io tarball, a source archive) or without a `git` program: never a build failure.
fn record_commit() {
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_hexdigit()))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=POAM_COMMIT={commit}");
    // Rebuild when HEAD moves (a commit, a checkout). Worktrees keep HEAD and branch refs
    // in different folders, so ask git where each lives.
    let git_path = |name: &str| {
        std::process::Command::new("git")
            .args(["rev-parse", "--git-path", name])
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
            // A missing file would make cargo rerun this script on every build.
            .filter(|path| Path::new(path).exists())
    };
    if let Some(head) = git_path("HEAD") {
        println!("cargo:rerun-if-changed={head}");
        if let Ok(text) = std::fs::read_to_string(&head) {
            if let Some(reference) = text.trim().strip_prefix("ref: ") {
                for name in [reference, "packed-refs"] {
                    if let Some(path) = git_path(name) {
                        println!("cargo:rerun-if-changed={path}");
                    }
                }
            }
        }
    }
}
