//! Reads the rule registry (the `mod` lines between `// registry begin` and `// registry end`
//! in `src/rules/mod.rs`) and each rule file's `RULE` declaration, checks that they agree, and
//! writes the `Code` enum with every rule's default severity, kind and sets, for `src/code.rs`
//! (the leaf every module names findings by, so it cannot import the rule files themselves),
//! and the table of the rules' declarations, for `src/rules/mod.rs`. Plain line parsing: the
//! registry lines and the `RULE` block have one fixed shape, which rustfmt keeps. Shared by
//! build.rs and a test (`tests/it/registry.rs`) that feeds it broken registries.

use std::fmt::Write as _;

/// Files of `src/rules/` that are the engine, not rules: everything else there is a rule.
pub const ENGINE_FILES: &[&str] = &["mod", "registry", "membership", "item_context"];

/// One rule as its file declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    /// The file name without `.rs`: `due_soon`.
    pub module: String,
    /// The `Code` variant: `DueSoon`.
    pub variant: String,
    /// `Note`, `Warning` or `Error`.
    pub severity: String,
    /// The `RuleKind` variant, from the `Check` variant: `Item`, `History`, ...
    pub kind: String,
    /// The `RuleSet` variants.
    pub sets: Vec<String>,
    /// The `//!` documentation.
    pub doc: String,
}

/// `due_soon` → `DueSoon`.
pub fn variant_of(module: &str) -> String {
    module
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The line before the registry's `mod` lines in `src/rules/mod.rs`, and the line after them.
pub const BEGIN: &str = "// registry begin";
pub const END: &str = "// registry end";

/// The modules the registry of `mod_rs` declares, one `mod <rule>;` line each, in order.
pub fn registry_lines(mod_rs: &str) -> Result<Vec<String>, String> {
    let mut lines = mod_rs.lines();
    lines
        .by_ref()
        .find(|l| l.trim() == BEGIN)
        .ok_or(format!("src/rules/mod.rs has no `{BEGIN}` line"))?;
    let mut modules = Vec::new();
    for line in lines {
        let line = line.trim();
        if line == END {
            return Ok(modules);
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let module = line
            .strip_prefix("mod ")
            .and_then(|l| l.strip_suffix(';'))
            .filter(|m| {
                !m.is_empty()
                    && m.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .ok_or_else(|| format!("registry line `{line}` is not `mod rule_file_name;`"))?;
        if modules.iter().any(|m| m == module) {
            return Err(format!("`{module}` is registered twice"));
        }
        modules.push(module.to_owned());
    }
    Err(format!(
        "the registry of src/rules/mod.rs is not closed by a `{END}` line"
    ))
}

/// The `RULE` declaration and `//!` docs of the rule file `module` (its text).
pub fn declared(module: &str, text: &str) -> Result<Declared, String> {
    let file = format!("src/rules/{module}.rs");
    let doc: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| {
            l.strip_prefix("//! ")
                .unwrap_or(l.trim_start_matches("//!"))
        })
        .collect();
    let mut lines = text.lines();
    lines
        .by_ref()
        .find(|l| l.trim() == "pub(crate) const RULE: Rule = Rule {")
        .ok_or_else(|| {
            format!("{file} declares no `pub(crate) const RULE: Rule = Rule {{ ... }};`")
        })?;
    let (mut code, mut severity, mut kind, mut sets) = (None, None, None, None);
    for line in lines {
        let line = line.trim();
        if line == "};" {
            break;
        }
        let (field, value) = line
            .strip_suffix(',')
            .and_then(|l| l.split_once(": "))
            .ok_or_else(|| format!("{file}: write each field of `RULE` on a line of its own (`field: value,`), found `{line}`"))?;
        let variant = |prefix: &str| {
            value
                .strip_prefix(prefix)
                .map(|v| v.split('(').next().unwrap_or(v).to_owned())
                .ok_or_else(|| {
                    format!("{file}: `RULE.{field}` must be `{prefix}...`, found `{value}`")
                })
        };
        match field {
            "code" => code = Some(variant("Code::")?),
            "severity" => severity = Some(variant("Severity::")?),
            "check" => kind = Some(variant("Check::")?),
            "sets" => {
                let inner = value
                    .strip_prefix("&[")
                    .and_then(|v| v.strip_suffix(']'))
                    .ok_or_else(|| {
                        format!("{file}: `RULE.sets` must be `&[RuleSet::..., ...]` on one line")
                    })?;
                sets = Some(
                    inner
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            s.strip_prefix("RuleSet::").map(str::to_owned).ok_or_else(|| {
                                format!("{file}: `RULE.sets` names `{s}`, not a `RuleSet::` variant")
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                );
            }
            other => return Err(format!("{file}: `RULE` has no field `{other}`")),
        }
    }
    let missing = |field: &str| format!("{file}: `RULE` lacks `{field}`");
    let code = code.ok_or_else(|| missing("code"))?;
    let variant = variant_of(module);
    if code != variant {
        return Err(format!(
            "{file} declares `Code::{code}`, but its file name makes it `Code::{variant}`: a rule's code is its file name"
        ));
    }
    Ok(Declared {
        module: module.to_owned(),
        variant,
        severity: severity.ok_or_else(|| missing("severity"))?,
        kind: kind.ok_or_else(|| missing("check"))?,
        sets: sets.ok_or_else(|| missing("sets"))?,
        doc: doc.join("\n"),
    })
}

/// Checks that the registry and the rule files name the same rules: `files` are the file
/// names (without `.rs`) in `src/rules/`, engine files included.
pub fn check_files(registry: &[String], files: &[String]) -> Result<(), String> {
    let mut problems = Vec::new();
    for file in files {
        if !ENGINE_FILES.contains(&file.as_str()) && !registry.contains(file) {
            problems.push(format!(
                "src/rules/{file}.rs has no registry line: add `mod {file};` to the registry of src/rules/mod.rs (in code order)"
            ));
        }
    }
    for module in registry {
        if !files.contains(module) {
            problems.push(format!(
                "the registry line `mod {module};` in src/rules/mod.rs has no file src/rules/{module}.rs"
            ));
        }
        if ENGINE_FILES.contains(&module.as_str()) {
            problems.push(format!(
                "`{module}` is an engine file of src/rules/, not a rule"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The `Code` enum and what each rule declares about itself, in registry order.
pub fn generate(rules: &[Declared]) -> String {
    let mut out = String::from(
        "/// Every finding's code, in the registry's order (the order `poam rules` lists them\n\
         /// in). Kebab-case names are the stable public identifiers. Generated by build.rs from\n\
         /// the registry of `src/rules/mod.rs`.\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, EnumIter, IntoStaticStr)]\n\
         #[strum(serialize_all = \"kebab-case\")]\npub enum Code {\n",
    );
    for rule in rules {
        let summary = rule.doc.lines().next().unwrap_or("");
        writeln!(out, "    #[doc = {summary:?}]\n    {},", rule.variant).expect("write to string");
    }
    out.push_str("}\n\nimpl Code {\n");
    let mut arms = |name: &str, doc: &str, ty: &str, value: &dyn Fn(&Declared) -> String| {
        writeln!(
            out,
            "    /// {doc}\n    pub const fn {name}(self) -> {ty} {{\n        match self {{"
        )
        .expect("write to string");
        for rule in rules {
            writeln!(
                out,
                "            Code::{} => {},",
                rule.variant,
                value(rule)
            )
            .expect("write to string");
        }
        out.push_str("        }\n    }\n\n");
    };
    arms(
        "default_severity",
        "The severity the rule's file declares (`poam.yaml`'s `rules:` may change it).",
        "Severity",
        &|r| format!("Severity::{}", r.severity),
    );
    arms(
        "kind",
        "What the rule judges, from the check its file declares.",
        "RuleKind",
        &|r| format!("RuleKind::{}", r.kind),
    );
    arms(
        "rule_sets",
        "The sets the rule belongs to; a profile checks the rules of the sets it includes.",
        "&'static [RuleSet]",
        &|r| {
            let sets: Vec<String> = r.sets.iter().map(|s| format!("RuleSet::{s}")).collect();
            format!("&[{}]", sets.join(", "))
        },
    );
    out.push_str("}\n\n/// (code, documentation) of every rule file, from its `//!` comment.\npub const RULE_DOCS: &[(&str, &str)] = &[\n");
    for rule in rules {
        writeln!(
            out,
            "    ({:?}, {:?}),",
            rule.module.replace('_', "-"),
            rule.doc
        )
        .expect("write to string");
    }
    out.push_str("];\n");
    out
}

/// The table of the rules' declarations, in registry order, for `src/rules/mod.rs`.
pub fn generate_table(rules: &[Declared]) -> String {
    let mut out = String::from(
        "/// Every rule's declaration, in code order. Generated by build.rs from the registry.\n\
         pub(crate) const RULES: &[Rule] = &[\n",
    );
    for rule in rules {
        writeln!(out, "    {}::RULE,", rule.module).expect("write to string");
    }
    out.push_str(
        "];\n\n/// The file of each rule in [`RULES`], for the test that a rule's code is its name.\n\
         #[cfg(test)]\nconst RULE_FILES: &[&str] = &[\n",
    );
    for rule in rules {
        writeln!(out, "    {:?},", rule.module).expect("write to string");
    }
    out.push_str("];\n");
    out
}

/// Everything above, from the text of `src/rules/mod.rs`, the file names of `src/rules/` and
/// a reader of each rule file: the generated sources (codes, table), or every problem found.
pub fn build(
    mod_rs: &str,
    files: &[String],
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<(String, String), String> {
    let registry = registry_lines(mod_rs)?;
    check_files(&registry, files)?;
    let mut rules = Vec::new();
    let mut problems = Vec::new();
    for module in &registry {
        match read(module).and_then(|text| declared(module, &text)) {
            Ok(rule) => rules.push(rule),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok((generate(&rules), generate_table(&rules)))
    } else {
        Err(problems.join("\n"))
    }
}
