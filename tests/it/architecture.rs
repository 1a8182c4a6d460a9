//! The shape of the code, as ../shared/DESIGN.md in the team's notes and the manual's "Layout" (docs/development.md)
//! draw it: modules import one way, from higher floors to lower ones; no module imports one that
//! imports it back; capabilities do not import each other; the risky crates are named only
//! inside the module that walls them off; and a top-level module is public only when the
//! library's users (the binary, tests/, fuzz/, the doc examples) name it.
//!
//! Each check is a function of the sources as data (module path → text), run once on `src/`
//! and once more on a small bad input that it must catch (`*_catches_*` below).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floor of each top-level module (or sub-module, where it differs from its parent);
/// a module may name only modules on its own floor or below.
const FLOORS: &[(&str, u8)] = &[
    ("bytes", 1),
    ("code", 1),
    // The built-in control catalog: embedded data, below everything that names a control.
    ("catalog", 1),
    // The FedRAMP POA&M template's layout: data both the Excel export and import read.
    ("fedramp_template", 1),
    // The eMASS POA&M templates' layouts: data both the eMASS export and import read.
    ("emass_template", 1),
    ("model", 1),
    ("source", 1),
    ("paths", 1),
    // Profiles are data the config chooses between: below the config, above nothing.
    ("policy::profile", 1),
    ("parse", 2),
    ("diag", 2),
    ("error", 2),
    ("schema", 2),
    ("history", 3),
    ("config", 3),
    ("kev", 3),
    ("people", 3),
    // Evidence files: hashing what documents name, copying new ones in.
    ("evidence", 3),
    ("inventory", 3),
    // Commit signatures checked (SSH, OpenPGP through `gpg`): plain bytes in, a signer out.
    ("signing", 3),
    ("output", 3),
    ("workspace", 4),
    ("policy", 4),
    ("edit", 4),
    ("ids", 4),
    // Who may decide: the approvals of the config, the people file and the signatures.
    ("authority", 4),
    // `.github/CODEOWNERS` from the people file: read by a command and by a lint rule.
    ("codeowners", 4),
    // Applying the fixes findings carry, through the item editor.
    ("fix", 4),
    ("rules", 5),
    ("view", 5),
    // What each profile means for the commands: just above the item view, below the renderers.
    ("profiles", 5),
    ("render", 5),
    // Running the rules over a workspace (every item, with or without history, one item
    // before an edit is written): what the lint command, report and lifecycle all ask, so
    // it sits below the capabilities rather than being one of them.
    ("lint", 5),
    // The baseline file: matched against findings by lint, written by `poam baseline`.
    ("baseline", 5),
    ("init", 6),
    ("lifecycle", 6),
    ("migrate", 6),
    ("rename", 6),
    ("report", 6),
    ("export", 6),
    ("import", 6),
    // The language server: lint, fixes and the item view for an editor.
    ("lsp", 6),
    ("commands", 7),
    ("cli", 7),
];

/// Capabilities: one module each, none naming another (a piece two of them need moves below
/// both).
const CAPABILITIES: &[&str] = &[
    "init",
    "lifecycle",
    "migrate",
    "report",
    "export",
    "import",
    "lsp",
];

/// Crates walled off behind one module each: the paths of the modules that may name them.
const WALLED_CRATES: &[(&str, &[&str])] = &[
    ("git2", &["history"]),
    ("granit_parser", &["parse"]),
    ("ssh_key", &["signing"]),
    // The minijinja environment, its filters and its loader live in `report::templates`; the
    // report and the site name its `context!`, `Value` and `Serde` through it.
    ("minijinja", &["report::templates"]),
    // The language server's protocol and transport.
    ("lsp_server", &["lsp"]),
    ("lsp_types", &["lsp"]),
    // The PDF writer lives in its own module under report (`report::pdf::world`).
    ("typst", &["report::pdf"]),
    ("typst_pdf", &["report::pdf"]),
    // Argument types in `cli.rs`, parsing and exit codes in `main.rs`; the shell completions
    // and the manual page are generated from the same definitions in `cli.rs`.
    ("clap", &["cli", "main"]),
    ("clap_complete", &["cli", "main"]),
    ("clap_mangen", &["cli", "main"]),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS
        .iter()
        .filter(|(prefix, _)| within(module, prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, floor)| *floor)
}

/// `module` is `prefix` or one of its sub-modules.
fn within(module: &str, prefix: &str) -> bool {
    module == prefix || module.starts_with(&format!("{prefix}::"))
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/history/raw.rs` → `history::raw`; `src/rules/mod.rs` → `rules`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .filter(|p| p != "mod")
        .collect();
    parts.join("::")
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file of the crate, by module path, with its text.
fn sources() -> BTreeMap<String, String> {
    let src = src_dir();
    let mut files = Vec::new();
    source_files(&src, &mut files);
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("read");
            (module_of(&src, file), text)
        })
        .collect()
}

/// A line without its `//` comment (doc comments included).
fn code_of(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// Every `crate::a::b` and `super::x` path the file of `module` names (code only: comments
/// are skipped), as paths from the crate root.
fn references(module: &str, text: &str) -> BTreeSet<String> {
    // `super::` in `a/b.rs` is `a`; in `a/b/mod.rs` it is `a` as well.
    let parent = match module.rsplit_once("::") {
        Some((parent, _)) => parent.to_owned(),
        None => String::new(),
    };
    let mut found = BTreeSet::new();
    for line in text.lines() {
        let code = code_of(line);
        for (marker, base) in [("crate::", String::new()), ("super::", parent.clone())] {
            let mut rest = code;
            while let Some(at) = rest.find(marker) {
                let boundary = at == 0
                    || !rest[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
                rest = &rest[at + marker.len()..];
                if !boundary {
                    continue;
                }
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let path = path.trim_end_matches(':');
                let full = if base.is_empty() {
                    path.to_owned()
                } else {
                    format!("{base}::{path}")
                };
                found.insert(full);
            }
        }
    }
    found
}

/// Which modules each module names (its own parent and children left out: one unit).
fn graph(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<&String> = sources.keys().collect();
    let mut graph = BTreeMap::new();
    for (module, text) in sources {
        if module == "main" || module == "lib" {
            continue;
        }
        let named: BTreeSet<String> = references(module, text)
            .into_iter()
            // The module a path names is its longest prefix that is a module.
            .filter_map(|path| {
                let segments: Vec<&str> = path.split("::").collect();
                (1..=segments.len())
                    .rev()
                    .map(|n| segments[..n].join("::"))
                    .find(|prefix| modules.contains(prefix))
            })
            .filter(|r| r != module)
            // A module naming its own parent or child is one unit (`super::`, `mod x;`).
            .filter(|r| !within(module, r) && !within(r, module))
            .collect();
        graph.insert(module.clone(), named);
    }
    graph
}

/// Modules that name a module on a higher floor, or have no floor.
fn floor_violations(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut violations = Vec::new();
    for (module, named) in graph {
        let Some(own) = floor(module) else {
            violations.push(format!("{module} has no floor in FLOORS"));
            continue;
        };
        for other in named {
            if floor(other).is_some_and(|theirs| theirs > own) {
                violations.push(format!("{module} (floor {own}) names {other}"));
            }
        }
    }
    violations
}

/// Modules that can reach themselves again through what they name.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut cycles = Vec::new();
    for (module, named) in graph {
        for other in named {
            // Reachable back from `other` to `module`?
            let mut seen = BTreeSet::new();
            let mut stack = vec![other.clone()];
            while let Some(next) = stack.pop() {
                if !seen.insert(next.clone()) {
                    continue;
                }
                if next == *module {
                    cycles.push(format!("{module} → {other} → … → {module}"));
                    break;
                }
                if let Some(more) = graph.get(&next) {
                    stack.extend(more.iter().cloned());
                }
            }
        }
    }
    cycles
}

/// Modules of one capability that name another capability.
fn capability_imports(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let capability = |module: &str| CAPABILITIES.iter().find(|c| within(module, c));
    let mut violations = Vec::new();
    for (module, named) in graph {
        let Some(own) = capability(module) else {
            continue;
        };
        for other in named {
            if capability(other).is_some_and(|theirs| theirs != own) {
                violations.push(format!(
                    "{module} names {other}: move what both need below both capabilities"
                ));
            }
        }
    }
    violations
}

/// Whether `code` names the crate `name` as a path (`name::…`, `use name;`).
fn names_crate(code: &str, name: &str) -> bool {
    let mut rest = code;
    while let Some(at) = rest.find(name) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + name.len()..];
        let boundary = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if boundary
            && (after.starts_with("::") || (after.starts_with(';') && rest[..at].ends_with("use ")))
        {
            return true;
        }
        rest = after;
    }
    false
}

/// Files outside a walled crate's modules that name the crate.
fn wall_breaches(sources: &BTreeMap<String, String>) -> Vec<String> {
    let mut breaches = Vec::new();
    for (module, text) in sources {
        for (name, homes) in WALLED_CRATES {
            if homes.iter().any(|home| within(module, home)) {
                continue;
            }
            for (number, line) in text.lines().enumerate() {
                if names_crate(code_of(line), name) {
                    breaches.push(format!(
                        "{module} (line {}) names `{name}`, which only {} may name",
                        number + 1,
                        homes.join(", ")
                    ));
                }
            }
        }
    }
    breaches
}

/// The top-level modules `lib.rs` declares `pub`.
fn public_modules(lib: &str) -> BTreeSet<String> {
    lib.lines()
        .filter_map(|line| line.trim().strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches(';').trim().to_owned())
        .collect()
}

/// Every top-level module `text` names as `poam::module`.
fn library_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("poam::") {
        let boundary = !rest[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        rest = &rest[at + "poam::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if boundary && !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

/// Public modules nobody outside names yet, each with the reason it stays public.
const PUBLIC_FOR_NOW: &[(&str, &str)] = &[];

/// Public top-level modules no user of the library names: they should be `pub(crate)`.
fn needlessly_public(lib: &str, used: &BTreeSet<String>) -> Vec<String> {
    public_modules(lib)
        .into_iter()
        .filter(|module| !used.contains(module))
        .filter(|module| !PUBLIC_FOR_NOW.iter().any(|(name, _)| name == module))
        .map(|module| {
            format!("`pub mod {module}` in lib.rs: nothing outside the crate names it; make it `pub(crate)`")
        })
        .collect()
}

/// What the library's users name: the binary, the integration tests, the fuzz targets and
/// checks, and the doc examples in `src/` (which run as a user of the crate).
fn library_users() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["tests", "fuzz/fuzz_targets", "fuzz/checks", "src"] {
        let dir = root.join(dir);
        if dir.is_dir() {
            source_files(&dir, &mut files);
        }
    }
    let mut used = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        let in_src = file.starts_with(root.join("src"));
        if in_src && !file.ends_with("main.rs") {
            // Only the doc examples: `///` and `//!` lines.
            let docs: String = text
                .lines()
                .map(str::trim_start)
                .filter(|l| l.starts_with("///") || l.starts_with("//!"))
                .collect::<Vec<_>>()
                .join("\n");
            used.extend(library_paths(&docs));
        } else {
            used.extend(library_paths(&text));
        }
    }
    used
}

#[test]
fn lower_floors_never_name_higher_ones() {
    let violations = floor_violations(&graph(&sources()));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let cycles = cycles(&graph(&sources()));
    assert!(cycles.is_empty(), "{}", cycles.join("\n"));
}

#[test]
fn capabilities_do_not_import_each_other() {
    let violations = capability_imports(&graph(&sources()));
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn walled_crates_are_named_only_inside_their_modules() {
    let breaches = wall_breaches(&sources());
    assert!(breaches.is_empty(), "{}", breaches.join("\n"));
}

#[test]
fn modules_are_public_only_when_the_library_api_needs_them() {
    let lib = std::fs::read_to_string(src_dir().join("lib.rs")).expect("lib.rs");
    let violations = needlessly_public(&lib, &library_users());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// A small crate as the checks see one: module path → source text.
fn crate_of(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(module, text)| ((*module).to_owned(), (*text).to_owned()))
        .collect()
}

#[test]
fn the_floor_check_catches_a_lower_module_naming_a_higher_one() {
    let bad = crate_of(&[
        ("model", "use crate::report::Summary;\n"),
        ("report", "use crate::model::Item;\n"),
    ]);
    assert_eq!(
        floor_violations(&graph(&bad)),
        ["model (floor 1) names report"]
    );
    let unknown = crate_of(&[("newcomer", "")]);
    assert_eq!(
        floor_violations(&graph(&unknown)),
        ["newcomer has no floor in FLOORS"]
    );
    // A comment naming it is not an import.
    let commented = crate_of(&[("model", "// see crate::report\n"), ("report", "")]);
    assert!(floor_violations(&graph(&commented)).is_empty());
}

#[test]
fn the_cycle_check_catches_two_modules_naming_each_other() {
    let bad = crate_of(&[
        ("rules", "use crate::view::ItemView;\n"),
        ("view", "use crate::rules::Code;\n"),
    ]);
    assert_eq!(
        cycles(&graph(&bad)),
        ["rules → view → … → rules", "view → rules → … → view"]
    );
}

#[test]
fn the_capability_check_catches_import_naming_export() {
    let bad = crate_of(&[
        ("import::xlsx", "use crate::export::template::COLUMNS;\n"),
        ("export", "pub mod template;\n"),
        ("export::template", ""),
        ("import", "pub mod xlsx;\n"),
    ]);
    assert_eq!(
        capability_imports(&graph(&bad)),
        ["import::xlsx names export::template: move what both need below both capabilities"]
    );
    // A module naming another part of its own capability is fine.
    let good = crate_of(&[
        ("export::xlsx", "use crate::export::template::COLUMNS;\n"),
        ("export::template", ""),
    ]);
    assert!(capability_imports(&graph(&good)).is_empty());
}

#[test]
fn the_wall_check_catches_a_walled_crate_named_outside_its_module() {
    let bad = crate_of(&[
        ("report::site", "use git2::Repository;\n"),
        ("render", "#[derive(Clone, clap::ValueEnum)]\n"),
        ("history::raw", "use git2::Oid;\n"),
        ("cli", "use clap::Parser;\n"),
        ("render::html", "use minijinja::context;\n"),
        ("report::templates", "use minijinja::Environment;\n"),
        ("report", "let world = typst::compile(&source);\n"),
        ("report::pdf::world", "use typst::World;\n"),
        ("view", "let event = granit_parser::Parser::new(text);\n"),
        ("parse::fast", "use granit_parser::Event;\n"),
        // Mentions, not uses: a comment and a longer name.
        (
            "export",
            "// minijinja::Value would do\nlet my_git2::x = 1;\n",
        ),
    ]);
    assert_eq!(
        wall_breaches(&bad),
        [
            "render (line 1) names `clap`, which only cli, main may name",
            "render::html (line 1) names `minijinja`, which only report::templates may name",
            "report (line 1) names `typst`, which only report::pdf may name",
            "report::site (line 1) names `git2`, which only history may name",
            "view (line 1) names `granit_parser`, which only parse may name",
        ]
    );
}

#[test]
fn the_visibility_check_catches_a_public_module_nobody_outside_names() {
    let lib = "pub mod edit;\npub mod kev;\npub(crate) mod output;\n";
    let used = library_paths("use poam::edit::ItemDocument;\nlet x = notpoam::kev::X;\n");
    assert_eq!(
        needlessly_public(lib, &used),
        ["`pub mod kev` in lib.rs: nothing outside the crate names it; make it `pub(crate)`"]
    );
}

#[test]
fn only_policy_and_profiles_name_a_profile_variant() {
    let src = src_dir();
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if within(&module, "policy") || within(&module, "profiles") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read");
        for (number, line) in text.lines().enumerate() {
            let code = code_of(line);
            // `Profile::FedrampCr26`, or the variants imported by name (`use ...Profile::{...}`).
            // `Profile::default()` picks one by name too.
            let named = code.contains("Profile::Fedramp")
                || code.contains("Profile::Dod")
                || code.contains("Profile::Cmmc")
                || code.contains("Profile::default")
                || (code.contains("Profile::{")
                    && (code.contains("Fedramp")
                        || code.contains("DodRmf")
                        || code.contains("Cmmc")));
            if named {
                violations.push(format!("{module} ({}:{})", file.display(), number + 1));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "these modules name a profile variant; ask `crate::profiles::of(profile)` instead:\n{}",
        violations.join("\n")
    );
}

/// The rule modules: `rules::<file>` for every file of `src/rules/` that is not the engine.
fn rule_modules() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    std::fs::read_dir(dir)
        .expect("src/rules")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_owned))
        .filter(|stem| !super::registry::checker::ENGINE_FILES.contains(&stem.as_str()))
        .map(|stem| format!("rules::{stem}"))
        .collect()
}

/// Every module of `rules::` (a rule file or the engine) that names a rule file of `rules`.
/// The registry (`rules` itself) declares the rule modules and is the one exception.
fn rule_file_imports(
    graph: &BTreeMap<String, BTreeSet<String>>,
    rules: &BTreeSet<String>,
) -> Vec<String> {
    let mut violations = Vec::new();
    for (module, named) in graph {
        if !module.starts_with("rules::") {
            continue;
        }
        for other in named.intersection(rules) {
            violations.push(format!("{module} names the rule file {other}"));
        }
    }
    violations
}

#[test]
fn rule_files_import_the_engine_never_each_other_and_the_engine_imports_none() {
    let rules = rule_modules();
    assert!(rules.contains("rules::due_soon"), "{rules:?}");
    let violations = rule_file_imports(&graph(&sources()), &rules);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_rule_file_check_catches_a_rule_or_the_engine_importing_a_rule_file() {
    let rules: BTreeSet<String> = ["rules::due_soon", "rules::overdue"]
        .map(str::to_owned)
        .into();
    let edges = |from: &str, to: &[&str]| {
        (
            from.to_owned(),
            to.iter().map(|t| (*t).to_owned()).collect::<BTreeSet<_>>(),
        )
    };
    let bad: BTreeMap<String, BTreeSet<String>> = [
        edges("rules::due_soon", &["rules::overdue", "rules::history"]),
        edges("rules::history::judge", &["rules::overdue"]),
    ]
    .into();
    assert_eq!(
        rule_file_imports(&bad, &rules),
        [
            "rules::due_soon names the rule file rules::overdue",
            "rules::history::judge names the rule file rules::overdue"
        ]
    );
    // Near miss: rule files naming the engine, and the registry naming the rule files.
    let good: BTreeMap<String, BTreeSet<String>> = [
        edges(
            "rules::due_soon",
            &["rules::history", "rules::item_context"],
        ),
        edges("rules", &["rules::due_soon", "rules::overdue"]),
    ]
    .into();
    assert!(rule_file_imports(&good, &rules).is_empty());
}

/// What a command must not do itself, with the library function's job named: a command wires
/// a workspace to a capability and a renderer, so threads and freeing belong below it. The
/// one exception is the edge function `keep_until_exit` (in `commands/mod.rs`), which leaves
/// what a finished command holds to the operating system.
const NOT_IN_COMMANDS: &[(&str, &str)] = &[
    ("thread::", "spawns or scopes threads"),
    ("rayon::", "runs work on a thread pool"),
    ("par_iter", "runs work on a thread pool"),
    ("mem::forget", "leaks a value"),
    ("Box::leak", "leaks a value"),
    (".leak()", "leaks a value"),
];

/// The lines of the command module file `name` (relative to `src/commands/`) that do what
/// [`NOT_IN_COMMANDS`] forbids: comments are skipped, and so is the body of
/// `keep_until_exit` in `mod.rs`.
fn command_violations(name: &str, text: &str) -> Vec<String> {
    let mut violations = Vec::new();
    let mut in_edge = false;
    for (number, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        if name == "mod.rs" && code.starts_with("pub fn keep_until_exit") {
            in_edge = true;
        }
        if !in_edge {
            for (pattern, what) in NOT_IN_COMMANDS {
                if code.contains(pattern) {
                    violations.push(format!(
                        "commands/{name}:{}: {what} (`{pattern}`)",
                        number + 1
                    ));
                }
            }
        }
        if in_edge && code.starts_with('}') {
            in_edge = false;
        }
    }
    violations
}

#[test]
fn commands_spawn_no_threads_and_leak_nothing_but_at_the_edge() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    source_files(&dir, &mut files);
    let mut violations = Vec::new();
    let mut edges = 0;
    for file in &files {
        let name = file
            .strip_prefix(&dir)
            .expect("under commands")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(file).expect("read");
        edges += text.matches("pub fn keep_until_exit").count();
        violations.extend(command_violations(&name, &text));
    }
    assert_eq!(edges, 1, "one edge function, `commands::keep_until_exit`");
    assert!(
        violations.is_empty(),
        "commands wire; threads and freeing belong to the library function doing the work:\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_commands_check_catches_threads_and_leaks() {
    let bad = "\
use rayon::prelude::*;
pub fn run() {
    // std::thread::spawn in a comment is fine
    let handle = std::thread::spawn(|| 1);
    let items: Vec<u8> = vec![1].par_iter().copied().collect();
    std::mem::forget(items);
    let text: &'static str = Box::leak(String::new().into_boxed_str());
}
";
    let found = command_violations("bad.rs", bad);
    let lines: Vec<&str> = found
        .iter()
        .map(|v| v.split(':').nth(1).expect("line"))
        .collect();
    assert_eq!(lines, ["1", "4", "5", "6", "7"], "{found:#?}");
    // The edge function's own forget is allowed in mod.rs, and only there.
    let edge = "pub fn keep_until_exit<T>(value: T) {\n    std::mem::forget(value);\n}\n";
    assert!(command_violations("mod.rs", edge).is_empty());
    assert_eq!(command_violations("lint.rs", edge).len(), 1);
}
