//! The manual (README.md and the mdBook under docs/) matches the binary: every subcommand,
//! at every depth, has a synopsis listing exactly its options, the global options are all
//! documented, every `poam ...` line of an `sh` block runs (in a copy of the demo repository)
//! without a usage error, a command whose `sh` block is followed by a `text` block prints what
//! that block shows, every relative link and anchor resolves, and SUMMARY.md lists every page.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use clap::CommandFactory;

use crate::common::{copy_dir, poam};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every Markdown page under docs/ (paths relative to the root), sorted.
fn pages() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("read docs").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "book") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut files = vec![root().join("README.md")];
    walk(&root().join("docs"), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let name = f
                .strip_prefix(root())
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            (name, fs::read_to_string(&f).expect("read page"))
        })
        .collect()
}

/// The whole manual as one text.
fn readme() -> String {
    pages().into_iter().map(|(_, text)| text + "\n").collect()
}

fn page(name: &str) -> String {
    fs::read_to_string(root().join(name)).unwrap_or_else(|_| panic!("{name}"))
}

/// The contents of the README's fenced blocks of `language`.
fn blocks(text: &str, language: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start() == format!("```{language}") => current = Some(String::new()),
            Some(block) if line.trim_start() == "```" => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// Every `--long` option in `text`.
fn long_options(text: &str) -> BTreeSet<String> {
    text.match_indices("--")
        .filter(|(at, _)| *at == 0 || !text[..*at].ends_with(|c: char| c.is_alphanumeric()))
        .map(|(at, _)| {
            text[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

#[test]
fn every_subcommand_has_a_synopsis_with_exactly_its_options() {
    let text = readme();
    let synopses: Vec<String> = blocks(&text, "text")
        .into_iter()
        .filter(|b| b.starts_with("poam "))
        .collect();
    let command = poam::cli::Cli::command();
    let global: BTreeSet<String> = command
        .get_arguments()
        .filter_map(|a| a.get_long().map(str::to_owned))
        .collect();
    let table = page("docs/commands.md");
    let mut queue: Vec<(String, &clap::Command)> = command
        .get_subcommands()
        .map(|s| (s.get_name().to_owned(), s))
        .collect();
    for (name, _) in &queue {
        assert!(
            table.contains(&format!("| `poam {name}")),
            "the command table of docs/commands.md lists `poam {name}`"
        );
    }
    let mut problems = Vec::new();
    while let Some((name, sub)) = queue.pop() {
        for nested in sub.get_subcommands() {
            queue.push((format!("{name} {}", nested.get_name()), nested));
        }
        if sub.has_subcommands() {
            continue;
        }
        let name = name.as_str();
        let own_args: Vec<&clap::Arg> = sub
            .get_arguments()
            .filter(|a| a.get_long().is_some_and(|l| !global.contains(l)))
            .collect();
        let own: BTreeSet<String> = own_args
            .iter()
            .filter_map(|a| a.get_long().map(str::to_owned))
            .collect();
        if own.is_empty() && sub.get_positionals().next().is_none() {
            continue;
        }
        let lines: String = synopses
            .iter()
            .flat_map(|b| {
                // A block may hold several synopses; continuation lines are indented.
                let mut keep = false;
                b.lines()
                    .filter(move |l| {
                        if l.starts_with("poam ") {
                            keep = l.starts_with(&format!("poam {name} "))
                                || *l == format!("poam {name}");
                        }
                        keep
                    })
                    .map(|l| format!("{l}\n"))
                    .collect::<Vec<_>>()
            })
            .collect();
        if lines.is_empty() {
            problems.push(format!(
                "no synopsis of `poam {name}` (a `text` block line)"
            ));
            continue;
        }
        // An option is documented by its long name, or by its short one (`-o FILE`).
        let mut documented: BTreeSet<String> = long_options(&lines)
            .into_iter()
            .filter(|o| !global.contains(o))
            .collect();
        for arg in &own_args {
            if let (Some(short), Some(long)) = (arg.get_short(), arg.get_long()) {
                if lines.contains(&format!("[-{short} "))
                    || lines.contains(&format!("-{short}|"))
                    || lines.contains(&format!(" -{short} "))
                {
                    documented.insert(long.to_owned());
                }
            }
        }
        if documented != own {
            problems.push(format!(
                "the synopsis of `poam {name}` names {documented:?}, the command has {own:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_global_option_is_documented() {
    let text = page("docs/commands.md");
    let section = text
        .split("## Global options")
        .nth(1)
        .and_then(|rest| rest.split("\n##").next())
        .expect("a Global options section");
    for arg in poam::cli::Cli::command().get_arguments() {
        let spelled = match (arg.get_long(), arg.get_short()) {
            (Some(long), _) => format!("`--{long}"),
            (None, Some(short)) => format!("`-{short} "),
            (None, None) => continue,
        };
        if matches!(arg.get_long(), Some("help" | "version")) {
            continue;
        }
        assert!(
            section.contains(&spelled),
            "{spelled}` is in Global options"
        );
        if let Some(short) = arg.get_short() {
            assert!(
                section.contains(&format!("`-{short}")),
                "-{short} is documented"
            );
        }
    }
}

/// Splits a shell line into words: spaces separate, double or single quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ') => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(word);
    }
    out
}

#[test]
fn every_documented_invocation_runs() {
    // The rule pages' examples are generated from the rule sources and show situations, not
    // commands to run here.
    let text: String = pages()
        .into_iter()
        .filter(|(name, _)| !name.starts_with("docs/rules/"))
        .map(|(_, text)| text + "\n")
        .collect();
    let lines: Vec<String> = blocks(&text, "sh")
        .iter()
        .flat_map(|b| b.lines().map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| l.starts_with("poam "))
        .collect();
    assert!(lines.len() >= 8, "documented invocations: {lines:?}");
    let temp = tempfile::tempdir().expect("temp dir");
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/demo");
    copy_dir(&demo, temp.path());
    for line in lines {
        // ` #` starts a comment, as in the shell.
        let line = line
            .split(" #")
            .next()
            .unwrap_or_default()
            .trim_end()
            .to_owned();
        assert!(
            !line.contains(['|', '>', '<', ';', '&', '$', '`']),
            "a plain invocation: {line}"
        );
        let args = words(&line);
        let output = poam()
            .current_dir(temp.path())
            .env("POAM_TODAY", "2026-11-25")
            .args(&args[1..])
            .output()
            .expect("run poam");
        let stderr = String::from_utf8_lossy(&output.stderr);
        // 1 means findings (the demo has some on purpose); 2 would be a usage or tool error.
        // A note on stderr is part of some commands' answer (`export dr` lists the form's
        // fields left to fill); an error is not.
        assert!(
            matches!(output.status.code(), Some(0 | 1)) && !stderr.contains("error"),
            "`{line}` exited {:?}: {stderr}",
            output.status.code()
        );
    }
}

#[test]
fn the_config_example_names_every_key() {
    let text = page("docs/configuration.md");
    for key in poam::config::CONFIG_KEYS {
        assert!(
            text.contains(&format!("\n{key}:")),
            "the poam.yaml example in docs/configuration.md shows `{key}`"
        );
    }
}

/// Each `sh` block followed (after blank lines only) by a `text` block: the block's last
/// command and the output shown.
fn shown_outputs(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        if lines[at].trim_start() != "```sh" {
            at += 1;
            continue;
        }
        let end = (at + 1..lines.len())
            .find(|&i| lines[i].trim_start() == "```")
            .expect("closed sh block");
        let mut next = end + 1;
        while next < lines.len() && lines[next].trim().is_empty() {
            next += 1;
        }
        if next < lines.len() && lines[next].trim_start() == "```text" {
            let close = (next + 1..lines.len())
                .find(|&i| lines[i].trim_start() == "```")
                .expect("closed text block");
            let command = lines[at + 1..end]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| (*l).to_owned())
                .unwrap_or_default();
            out.push((command, lines[next + 1..close].join("\n")));
            at = close + 1;
        } else {
            at = end + 1;
        }
    }
    out
}

/// Whether `output` shows `shown`: its lines in order, a `...` line standing for any lines.
fn shows(output: &str, shown: &str) -> bool {
    let have: Vec<&str> = output.lines().map(str::trim_end).collect();
    let parts: Vec<Vec<&str>> = shown
        .split("\n...\n")
        .map(|p| p.lines().map(str::trim_end).collect())
        .collect();
    let mut at = 0;
    for (index, part) in parts.iter().enumerate() {
        let found = if index == 0 {
            have.starts_with(part).then_some(0)
        } else if index + 1 == parts.len() {
            (have.len() >= part.len() + at && have.ends_with(part)).then(|| have.len() - part.len())
        } else {
            (at..=have.len().saturating_sub(part.len())).find(|&i| have[i..].starts_with(part))
        };
        match found {
            Some(i) => at = i + part.len(),
            None => return false,
        }
    }
    parts.len() > 1 || at == have.len()
}

#[test]
fn every_shown_output_is_what_the_command_prints() {
    let mut checked = 0;
    for (name, text) in pages() {
        for (command, shown) in shown_outputs(&text) {
            let args = words(&command);
            let args: &[String] = match args.first().map(String::as_str) {
                Some("poam") => &args[1..],
                Some("cargo")
                    if args.get(1..4) == Some(&["run".into(), "--release".into(), "--".into()]) =>
                {
                    &args[4..]
                }
                _ => panic!("{name}: output shown after `{command}`, which is not a poam command"),
            };
            let output = poam()
                .current_dir(root())
                .env("POAM_TODAY", "2026-11-25")
                .args(args)
                .output()
                .expect("run poam");
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                shows(&stdout, &shown),
                "{name}: `{command}` printed\n{stdout}\nbut the manual shows\n{shown}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 1, "the quick start shows its output");
}

#[test]
fn shown_output_matching_allows_only_the_elided_lines() {
    assert!(shows("a\nb\nc\nd\n", "a\n...\nd"));
    assert!(shows("a\nb\n", "a\nb"));
    assert!(!shows("a\nb\nc\n", "a\nb"));
    assert!(!shows("a\nb\nc\nd\n", "a\n...\nc"));
    assert!(!shows("a\nd\n", "a\n...\nb\n...\nd"));
    assert!(shows("a\nx\nb\ny\nd\n", "a\n...\nb\n...\nd"));
}

/// GitHub's and mdBook's anchor of a heading.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a page's headings (outside code blocks), duplicates numbered.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if fence || hashes == 0 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = anchor(&line[hashes..]);
        let mut name = base.clone();
        let mut n = 0;
        while out.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        out.insert(name);
    }
    out
}

/// The targets of a page's Markdown links (outside code blocks and code spans).
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let outside: String = line
            .split('`')
            .enumerate()
            .map(|(i, part)| if i % 2 == 0 { part } else { "x" })
            .collect();
        for (at, _) in outside.match_indices("](") {
            let rest = &outside[at + 2..];
            if let Some(end) = rest.find(')') {
                out.push(rest[..end].to_owned());
            }
        }
    }
    out
}

const GITHUB: &str = "https://github.com/poam-dev/poam/";

#[test]
fn every_relative_link_and_anchor_resolves() {
    let pages = pages();
    let mut broken = Vec::new();
    for (name, text) in &pages {
        let dir = Path::new(name).parent().unwrap_or(Path::new(""));
        for target in links(text) {
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p.to_owned(), Some(f.to_owned())),
                None => (target.clone(), None),
            };
            // Links from the book to the repository's other files go through GitHub.
            let file = if let Some(rest) = path.strip_prefix(GITHUB) {
                match rest
                    .strip_prefix("blob/main/")
                    .or_else(|| rest.strip_prefix("tree/main/"))
                {
                    Some(file) => PathBuf::from(file),
                    None => continue,
                }
            } else if path.contains("://") || path.starts_with("mailto:") {
                continue;
            } else if path.is_empty() {
                PathBuf::from(name)
            } else {
                dir.join(&path)
            };
            let on_disk = root().join(&file);
            if !on_disk.exists() {
                broken.push(format!("{name}: {target} (no {})", file.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                let target_text = fs::read_to_string(&on_disk).unwrap_or_default();
                if !anchors(&target_text).contains(&fragment) {
                    broken.push(format!("{name}: {target} (no such heading)"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_book_lists_every_page_and_stays_short_where_it_must() {
    let summary = page("docs/SUMMARY.md");
    let listed: BTreeSet<String> = links(&summary).into_iter().collect();
    let missing: Vec<String> = pages()
        .into_iter()
        .filter_map(|(name, _)| name.strip_prefix("docs/").map(str::to_owned))
        .filter(|name| name != "SUMMARY.md" && !listed.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/SUMMARY.md does not list {missing:?} (mdBook renders only listed pages)"
    );
    let readme = page("README.md");
    assert!(
        readme.lines().count() < 300,
        "README.md has {} lines: the reference belongs in docs/",
        readme.lines().count()
    );
}
