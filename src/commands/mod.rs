//! One file per subcommand. A command parses nothing and decides nothing: it wires a workspace
//! to a capability and a renderer, and says which exit code the outcome means.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::config::Config;
use crate::error::Error;
use crate::model::item::Item;
use crate::workspace::{LoadedItem, Workspace};

pub mod cmmc;
pub mod codeowners;
pub mod baseline;
pub mod completions;
pub mod evidence;
pub mod export;
pub mod export_dr;
pub mod export_oscal;
pub mod export_ver;
pub mod export_xlsx;
pub mod import;
pub mod import_scan;
pub mod import_emass;
pub mod import_xlsx;
pub mod init;
pub mod inventory;
pub mod lifecycle;
pub mod lint;
pub mod log;
pub mod lsp;
pub mod migrate;
pub mod new;
pub mod rename;
pub mod report;
pub mod rules;
pub mod schema;
pub mod show;
pub mod site;

/// Findings at error level (or warnings with `--strict`).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage errors and tool failures.
pub const EXIT_FAILURE: u8 = 2;

/// The date rules measure against: `--today`, `POAM_TODAY`, else the current UTC date. The
/// one place poam reads the clock.
pub fn today(global: &GlobalArgs) -> NaiveDate {
    global
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Whether to colour a stream: `--color always|never`, else only on a terminal and never
/// with `NO_COLOR` set.
pub fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The configuration for a command: `--config`, else `path`, else the folder `-C` named,
/// else `poam.yaml` found upward from the working directory.
pub fn config(global: &GlobalArgs, path: Option<&Path>) -> Result<Config, Error> {
    let named_folder = global.directory.as_ref().map(|_| Path::new("."));
    Config::discover(path.or(named_folder), global.config.as_deref())
}

/// True when standard output is a terminal and nothing redirects the output to a file.
pub fn stdout_is_terminal(output: Option<&Path>) -> bool {
    output.is_none() && std::io::stdout().is_terminal()
}

/// Refuses `-o PATH` when it would replace one of poam's inputs: an item file, `poam.yaml`,
/// the people file or an inventory file (see [`crate::output::refuse_protected_output`]);
/// standard output is always fine.
pub fn check_output(config: &Config, output: Option<&Path>) -> Result<(), Error> {
    output.map_or(Ok(()), |path| refuse_over_inputs(config, path, true))
}

/// [`check_output`] for `poam inventory import`, whose output belongs in the inventory.
pub fn check_inventory_output(config: &Config, path: &Path) -> Result<(), Error> {
    refuse_over_inputs(config, path, false)
}

/// Refuses a file poam would write on its own account (`what`: not one the user named with
/// `-o` or `--into`) that resolves outside the repository: a committed link on the way
/// (`.github -> /home/runner/.config`) would have it write there. `root` is the work tree
/// (`Workspace::display_root`, or `workspace::display_root_of` without a workspace).
pub fn refuse_outside_repository(root: &Path, path: &Path, what: &str) -> Result<(), Error> {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let resolved = crate::paths::canonical_lenient(path)
        .map_err(|(path, source)| Error::Io { path, source })?;
    if resolved.starts_with(&root) {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "`{}` resolves to `{}`, outside the repository `{}`; nothing was written: poam writes {what} only inside the repository",
        path.display(),
        resolved.display(),
        root.display()
    )))
}

fn refuse_over_inputs(config: &Config, path: &Path, over_inventory: bool) -> Result<(), Error> {
    let people = config.people_file().map(|file| (file, "the people file"));
    let inventory = over_inventory
        .then(|| config.inventory_path())
        .flatten()
        .map(|path| (path, "the inventory"));
    let elements: Vec<(std::path::PathBuf, &str)> =
        [people, inventory].into_iter().flatten().collect();
    crate::output::refuse_protected_output(
        path,
        &config.items_dir,
        config.file.as_deref(),
        &elements,
    )
}

/// Writes `text` to `output` atomically, or to standard output.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), Error> {
    emit_bytes(output, text.as_bytes())
}

/// Refuses to write `what` (a binary document) to standard output when it is a terminal.
pub fn refuse_binary_to_terminal(
    output: Option<&Path>,
    what: &str,
    file: &str,
) -> Result<(), Error> {
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::Refused(format!(
            "refusing to write {what} to the terminal; pass `-o {file}` or redirect standard output"
        )));
    }
    Ok(())
}

/// Like [`emit`], for bytes that are not text (a workbook).
pub fn emit_bytes(output: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    emit_with(output, |out| out.write_all(bytes))
}

/// Like [`emit`], with the text written by `write`: to `output` atomically, else to
/// standard output, buffered either way.
pub fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match output {
        Some(path) => crate::output::write_atomic_with(path, write),
        None => {
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut stdout)
                .and_then(|()| stdout.flush())
                .map_err(Error::stdout)
        }
    }
}

/// Says `message` on standard error with `-v` (level 1) or `-vv` (level 2). What `-v` reports
/// is the same on every command: which configuration and how many items were read, and how
/// long each step took.
pub fn verbose(global: &GlobalArgs, level: u8, message: &str) {
    if global.verbose >= level {
        eprintln!("poam: {message}");
    }
}

/// Reports the loaded workspace with `-v`: the config file, the items folder, how many item
/// files were read, and the time it took since `started`.
pub fn verbose_workspace(
    global: &GlobalArgs,
    workspace: &crate::workspace::Workspace,
    started: std::time::Instant,
) {
    if global.verbose == 0 {
        return;
    }
    let config = &workspace.config;
    let file = config.file.as_ref().map_or_else(
        || "none (a bare folder of items, default settings)".to_owned(),
        |f| f.display().to_string(),
    );
    verbose(global, 1, &format!("config: {file}"));
    verbose(
        global,
        1,
        &format!(
            "read {} item files ({} unreadable) from {} in {}",
            workspace.items.len(),
            workspace.unreadable().count(),
            config.items_dir.display(),
            elapsed(started)
        ),
    );
    if let Some(kev) = &config.kev_catalog {
        verbose(global, 1, &format!("KEV catalog: {}", kev.display()));
    }
    verbose(
        global,
        2,
        &format!(
            "profile {}, today {}",
            config.policy.profile.name(),
            today(global)
        ),
    );
}

/// `12 ms` since `started`, for `-v`.
pub fn elapsed(started: std::time::Instant) -> String {
    format!("{} ms", started.elapsed().as_millis())
}

/// Leaves `value` to the operating system, which takes a process's memory back at once when it
/// exits: freeing a large report, history or set of items piece by piece takes 3-8 % of a run
/// (see [`crate::diag::Leftovers`]). Call it only with what a command is done with, just before
/// it returns to `main`: the one place poam does not free what it allocated.
pub fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Exit code 1 when `failing`, else 0.
pub fn exit_for(failing: bool) -> ExitCode {
    if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The one file holding item `id`, and its item. Two files claiming the id are refused:
/// which one is meant cannot be told, so `show` or `export dr` could answer for the wrong
/// item, and editing either would hide the other from the history rules (`duplicate-id`
/// reports it). A file named after the id that cannot be read is named with why; no file at
/// all is an unknown item, with the nearest ids.
pub(super) fn the_item<'w>(
    workspace: &'w Workspace,
    id: &str,
) -> Result<(&'w LoadedItem, &'w Item), Error> {
    let claiming: Vec<&str> = workspace
        .parsed()
        .filter(|(_, item)| item.id_text() == Some(id))
        .map(|(file, _)| file.source.name.as_str())
        .collect();
    if claiming.len() > 1 {
        let named = crate::render::text::first_of(&claiming, 5);
        return Err(Error::Refused(format!(
            "{id}: the id is claimed by {} files ({named}); make the ids unique first (`poam \
             lint` reports `duplicate-id`)",
            claiming.len(),
        )));
    }
    if let Some(found) = workspace.find(id) {
        return Ok(found);
    }
    if let Some((name, error)) = unreadable_file_named(workspace, id) {
        return Err(Error::Refused(format!(
            "{id}: `{name}` cannot be read: {error} (`poam lint` reports it as `parse-error`)"
        )));
    }
    Err(Error::UnknownItem {
        id: id.to_owned(),
        candidates: crate::model::item::nearest(id, &workspace.ids(), 3)
            .into_iter()
            .map(str::to_owned)
            .collect(),
    })
}

/// The file named after `id` that could not be read (a symlink, broken YAML), when no item
/// claims the id: its name and why, which says more than "no item".
fn unreadable_file_named<'w>(workspace: &'w Workspace, id: &str) -> Option<(&'w str, &'w str)> {
    workspace.items.iter().find_map(|file| {
        let error = file.error.as_ref()?;
        // A file with an error holds no item.
        let named = file.path.file_stem().is_some_and(|stem| stem == id);
        named.then_some((file.source.name.as_str(), error.message.as_str()))
    })
}

/// Checks the edit of `file` (its text `before`, the document's text now) with the rules an
/// edit must pass, then saves the document.
pub(super) fn check_and_save(
    workspace: &crate::workspace::Workspace,
    file: &crate::workspace::LoadedItem,
    today: chrono::NaiveDate,
    before: &str,
    doc: &mut crate::edit::ItemDocument,
) -> Result<(), Error> {
    let stem = file
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let context = crate::lifecycle::RuleContext {
        config: &workspace.config,
        today,
        kev: workspace.kev.as_ref(),
        name: &file.source.name,
        file_stem: &stem,
    };
    crate::lifecycle::check_edit(&context, before, doc.text())?;
    doc.save().map_err(crate::lifecycle::edit_failure)
}
