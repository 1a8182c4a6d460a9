//! The README matches the binary: every subcommand has a synopsis listing exactly its
//! options, the global options are all documented, and every `poam ...` line of the README's
//! `sh` blocks runs (in a copy of the demo repository) without a usage error.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;

use clap::CommandFactory;

use crate::common::{copy_dir, poam};

fn readme() -> String {
    fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md")
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
    for sub in command.get_subcommands() {
        let name = sub.get_name();
        assert!(
            text.contains(&format!("| `poam {name}")),
            "the command table lists `poam {name}`"
        );
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
        assert!(
            !lines.is_empty(),
            "the README has a synopsis of `poam {name}`"
        );
        // An option is documented by its long name, or by its short one (`-o FILE`).
        let mut documented: BTreeSet<String> = long_options(&lines)
            .into_iter()
            .filter(|o| !global.contains(o))
            .collect();
        for arg in &own_args {
            if let (Some(short), Some(long)) = (arg.get_short(), arg.get_long()) {
                if lines.contains(&format!("[-{short} ")) || lines.contains(&format!("-{short}|")) {
                    documented.insert(long.to_owned());
                }
            }
        }
        assert_eq!(documented, own, "options of `poam {name}` in the README");
    }
}

#[test]
fn every_global_option_is_documented() {
    let text = readme();
    let section = text
        .split("### Global options")
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
    let text = readme();
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
        assert!(
            matches!(output.status.code(), Some(0 | 1)) && stderr.is_empty(),
            "`{line}` exited {:?}: {stderr}",
            output.status.code()
        );
    }
}

#[test]
fn the_config_example_names_every_key() {
    let text = readme();
    for key in poam::config::CONFIG_KEYS {
        assert!(
            text.contains(&format!("\n{key}:")),
            "the poam.yaml example in the README shows `{key}`"
        );
    }
}
