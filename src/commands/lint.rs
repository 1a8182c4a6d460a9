//! `poam lint`: a repo root or items folder, or several item files (as pre-commit passes
//! them: the whole folder is still loaded, since rules such as duplicate-id look across items,
//! and only the named files are reported on).

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{GlobalArgs, LintArgs};
use crate::code::Severity;
use crate::config::{Config, CONFIG_FILE};
use crate::diag::Safety;
use crate::error::Error;
use crate::fix;
use crate::lint::{self, HistoryMode, LintInput};
use crate::render::text::plural;
use crate::render::{self, Format};
use crate::workspace::Workspace;

use super::{
    check_output, config, elapsed, emit, emit_with, exit_for, keep_until_exit, stdout_is_terminal,
    today, use_color, verbose, verbose_workspace,
};

/// What the paths on the command line name.
enum Target {
    /// A repo root, a bare items folder, `poam.yaml`, or nothing (search upward).
    Folder(Option<PathBuf>),
    /// Item files: report on these only.
    Files(Vec<PathBuf>),
}

fn target(paths: &[PathBuf]) -> Target {
    match paths {
        [] => Target::Folder(None),
        [one] if !one.is_file() || one.file_name().is_some_and(|n| n == CONFIG_FILE) => {
            Target::Folder(Some(one.clone()))
        }
        // A changed poam.yaml among changed items affects every item.
        many if many
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == CONFIG_FILE)) =>
        {
            let config = many
                .iter()
                .find(|p| p.file_name().is_some_and(|n| n == CONFIG_FILE))
                .cloned();
            Target::Folder(config)
        }
        many => Target::Files(many.to_vec()),
    }
}

pub fn run(args: LintArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let (config, named) = match target(&args.paths) {
        Target::Folder(path) => (config(global, path.as_deref())?, None),
        Target::Files(files) => {
            let config = config_for_files(global, &files)?;
            let named = named_files(&config, &files, global)?;
            (config, Some(named))
        }
    };
    check_output(&config, args.output.as_deref())?;
    let history = match (&args.base, args.no_history) {
        (_, true) => HistoryMode::Off,
        (Some(rev), false) => HistoryMode::Base(rev.clone()),
        (None, false) => HistoryMode::Full,
    };
    let input = LintInput {
        today: today(global),
        history,
        progress: !global.quiet && args.format == Format::Human && std::io::stderr().is_terminal(),
        sources: args.format == Format::Human,
    };
    let fixing = args.fix || args.diff;
    let again = fixing.then(|| config.clone());
    let workspace = Workspace::open(config)?;
    verbose_workspace(global, &workspace, started);
    let root = workspace.display_root.clone();
    let named = named.map(|paths| display_names(&workspace, &paths));
    let checked = Instant::now();
    let mut report = lint::lint_in_scope(workspace, &input, args.scope)?;
    report.show_suppressed = args.show_suppressed;
    if let Some(names) = &named {
        lint::keep_files(&mut report, names);
    }
    if let Some(config) = again {
        let fixed = fix::fix_files(&root, &report.diagnostics, args.unsafe_fixes, args.fix)?;
        let findings: usize = fixed.iter().map(|file| file.applied).sum();
        let unsafe_left = !args.unsafe_fixes
            && report
                .diagnostics
                .iter()
                .any(|d| d.fix.as_ref().is_some_and(|f| f.safety == Safety::Unsafe));
        if args.diff {
            let text: String = fixed.iter().map(fix::unified_diff).collect();
            emit(args.output.as_deref(), &text)?;
            if !global.quiet {
                eprintln!(
                    "poam: would fix {} in {}{}",
                    plural(findings, "finding"),
                    plural(fixed.len(), "file"),
                    unsafe_hint(unsafe_left)
                );
            }
            keep_until_exit(report);
            return Ok(exit_for(!fixed.is_empty()));
        }
        if !global.quiet {
            eprintln!(
                "poam: fixed {} in {}{}",
                plural(findings, "finding"),
                plural(fixed.len(), "file"),
                unsafe_hint(unsafe_left)
            );
        }
        if !fixed.is_empty() {
            // What is left, as the files now read.
            keep_until_exit(report);
            report = lint::lint_in_scope(Workspace::open(config)?, &input, args.scope)?;
            if let Some(names) = &named {
                lint::keep_files(&mut report, names);
            }
        }
    }
    verbose(
        global,
        1,
        &format!(
            "{} in {} in {}",
            plural(report.diagnostics.len(), "finding"),
            plural(report.items, "item"),
            elapsed(checked)
        ),
    );
    let color = args.format == Format::Human
        && use_color(global.color, stdout_is_terminal(args.output.as_deref()));
    let text = if args.format == Format::Json {
        // Streamed: a migrated repository can have tens of thousands of findings.
        emit_with(args.output.as_deref(), |mut out| {
            render::json::write(&report, &mut out)
        })?;
        String::new()
    } else {
        let text = if global.quiet && args.format == Format::Human {
            render::human::findings(&report, color)
        } else {
            render::render(&report, args.format, color)?
        };
        emit(args.output.as_deref(), &text)?;
        text
    };
    let failing = match report.diagnostics.iter().map(|d| d.severity).max() {
        Some(Severity::Error) => true,
        Some(Severity::Warning) => args.strict,
        _ => false,
    };
    keep_until_exit((report, text));
    Ok(exit_for(failing))
}

/// The note after a fix count when unsafe fixes were left out.
fn unsafe_hint(left: bool) -> &'static str {
    if left {
        " (more with --unsafe-fixes)"
    } else {
        ""
    }
}

/// The configuration of item files: `--config`, else the nearest `poam.yaml` above the
/// first file, else the file's folder as a bare items folder.
fn config_for_files(global: &GlobalArgs, files: &[PathBuf]) -> Result<Config, Error> {
    if let Some(file) = &global.config {
        return Config::load(file);
    }
    let first = files.first().map_or(Path::new("."), PathBuf::as_path);
    let absolute = std::fs::canonicalize(first).map_err(|source| Error::Io {
        path: first.to_path_buf(),
        source,
    })?;
    let folder = absolute.parent().unwrap_or(Path::new("/"));
    for dir in folder.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Config::load(&candidate);
        }
    }
    Ok(Config::for_items_dir(folder))
}

/// The named files inside the items folder, canonical. Files elsewhere (pre-commit passes
/// every changed YAML file its `files:` pattern matches) are skipped, and said so with `-v`.
fn named_files(
    config: &Config,
    files: &[PathBuf],
    global: &GlobalArgs,
) -> Result<BTreeSet<PathBuf>, Error> {
    let items_dir = std::fs::canonicalize(&config.items_dir).map_err(|source| Error::Io {
        path: config.items_dir.clone(),
        source,
    })?;
    let mut named = BTreeSet::new();
    for file in files {
        let path = std::fs::canonicalize(file).map_err(|source| Error::Io {
            path: file.clone(),
            source,
        })?;
        if path.is_dir() {
            return Err(Error::Refused(format!(
                "`{}` is a folder: pass one folder, or item files",
                file.display()
            )));
        }
        if path.starts_with(&items_dir) {
            named.insert(path);
        } else {
            verbose(
                global,
                1,
                &format!(
                    "skipped {}: not in the items folder {}",
                    file.display(),
                    config.items_dir.display()
                ),
            );
        }
    }
    Ok(named)
}

/// The report names of the workspace files among `paths`.
fn display_names(workspace: &Workspace, paths: &BTreeSet<PathBuf>) -> BTreeSet<String> {
    workspace
        .items
        .iter()
        .filter(|file| {
            std::fs::canonicalize(&file.path).is_ok_and(|p| paths.contains(&p))
                || paths.contains(&file.path)
        })
        .map(|file| file.source.name.clone())
        .collect()
}
