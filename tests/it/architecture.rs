//! The shape of the code: modules import one way, from higher floors to lower ones, and no
//! module imports one that imports it back (see ../shared/DESIGN.md in the team's notes and the
//! README's "Layout").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floor of each top-level module (or sub-module, where it differs from its parent);
/// a module may name only modules on its own floor or below.
const FLOORS: &[(&str, u8)] = &[
    ("bytes", 1),
    ("code", 1),
    // The built-in control catalog: embedded data, below everything that names a control.
    ("catalog", 1),
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
    ("output", 3),
    ("workspace", 4),
    ("policy", 4),
    ("edit", 4),
    ("ids", 4),
    ("rules", 5),
    ("view", 5),
    // What each profile means for the commands: just above the item view, below the renderers.
    ("profiles", 5),
    ("render", 5),
    ("lint", 6),
    ("init", 6),
    ("lifecycle", 6),
    ("migrate", 6),
    ("report", 6),
    ("export", 6),
    ("import", 6),
    ("commands", 7),
    ("cli", 7),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS
        .iter()
        .filter(|(prefix, _)| module == *prefix || module.starts_with(&format!("{prefix}::")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, floor)| *floor)
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
        let code = line.split("//").next().unwrap_or("");
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

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "main" || module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read");
        let named: BTreeSet<String> = references(&module, &text)
            .into_iter()
            // The module a path names is its longest prefix that is a module.
            .filter_map(|path| {
                let segments: Vec<&str> = path.split("::").collect();
                (1..=segments.len())
                    .rev()
                    .map(|n| segments[..n].join("::"))
                    .find(|prefix| modules.contains(prefix))
            })
            .filter(|r| *r != module)
            // A module naming its own parent or child is one unit (`super::`, `mod x;`).
            .filter(|r| {
                !module.starts_with(&format!("{r}::")) && !r.starts_with(&format!("{module}::"))
            })
            .collect();
        graph.insert(module, named);
    }
    graph
}

#[test]
fn lower_floors_never_name_higher_ones() {
    let mut violations = Vec::new();
    for (module, named) in graph() {
        let Some(own) = floor(&module) else {
            violations.push(format!("{module} has no floor in FLOORS"));
            continue;
        };
        for other in named {
            if floor(&other).is_some_and(|theirs| theirs > own) {
                violations.push(format!("{module} (floor {own}) names {other}"));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let graph = graph();
    let mut cycles = Vec::new();
    for (module, named) in &graph {
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
    assert!(cycles.is_empty(), "{}", cycles.join("\n"));
}

#[test]
fn only_policy_and_profiles_name_a_profile_variant() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let inside = |prefix: &str| module == prefix || module.starts_with(&format!("{prefix}::"));
        if inside("policy") || inside("profiles") {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read");
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // `Profile::FedrampCr26`, or the variants imported by name (`use ...Profile::{...}`).
            // `Profile::default()` picks one by name too.
            let named = code.contains("Profile::Fedramp")
                || code.contains("Profile::default")
                || (code.contains("Profile::{") && code.contains("Fedramp"));
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
