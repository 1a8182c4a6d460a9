//! `poam export oscal [-o FILE]`: the OSCAL POA&M document of the workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use chrono::{NaiveTime, TimeZone, Utc};

use crate::cli::{ExportOscalArgs, GlobalArgs};
use crate::error::Error;
use crate::export::oscal::{self, ExportInput};
use crate::history::{self, History, HistoryError, WalkOptions};
use crate::profiles;
use crate::view;
use crate::workspace::Workspace;

use super::{check_output, config, emit_with, today};

pub fn run(args: &ExportOscalArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, None)?;
    check_output(&config, args.output.as_deref())?;
    let items_dir = config.items_dir.clone();
    let progress = !global.quiet;
    // Walking the history and reading the item files are independent: the walk runs on its
    // own thread while the pool parses the files.
    let (workspace, history) = std::thread::scope(|scope| {
        let walk = std::thread::Builder::new()
            .name("poam-export-history".to_owned())
            .spawn_scoped(scope, || read_history(&items_dir, progress));
        let workspace = Workspace::open(config);
        let history = match walk {
            Ok(walk) => walk
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => read_history(&items_dir, progress),
        };
        (workspace, history)
    });
    let workspace = workspace?;
    refuse_unexportable(&workspace)?;
    let today = today(global);
    let history = history?;
    if let Some(warning) = history.as_ref().and_then(History::shallow_warning) {
        if !global.quiet {
            let _ = writeln!(std::io::stderr(), "warning: {warning}");
        }
    }
    // One lookup per item: an index, not a search of every item's history.
    let index = history.as_ref().map(History::index);
    let last_changed = |id: &str| {
        let item = index.as_ref()?.get(id)?;
        Some(item.last_change()?.commit.time.date_naive())
    };
    // The views and the risk logs are independent: built side by side.
    let (views, logs) = rayon::join(
        || crate::profiles::views(&workspace, today, &last_changed),
        || history.as_ref().map(oscal::item_logs).unwrap_or_default(),
    );
    drop(index);
    if views.is_empty() {
        return Err(Error::Export(format!(
            "no items to export in `{}`: an OSCAL POA&M needs at least one poam-item",
            workspace.config.items_dir.display()
        )));
    }
    refuse_duplicate_ids(&views)?;
    // The document changes when a commit changes the items; outside git, on the POA&M date.
    let last_modified = history
        .as_ref()
        .and_then(|h| h.head.as_ref())
        .map(|head| head.time)
        .unwrap_or_else(|| {
            Utc.from_utc_datetime(&today.and_time(NaiveTime::MIN))
                .fixed_offset()
        });
    let policy = &workspace.config.policy;
    let profile = profiles::of(policy.profile);
    let marker = profile.export_marker(policy);
    let input = ExportInput {
        system: &workspace.config.system,
        today,
        last_modified,
        items: &views,
        logs: &logs,
        profile,
        marker: marker.as_ref(),
        people: workspace.people.as_ref(),
    };
    emit_with(args.output.as_deref(), |out| oscal::write(&input, out))?;
    // Freeing the items and the history takes a noticeable share of the run, and nobody
    // waits for it: another thread does it while the process ends.
    let _ = std::thread::Builder::new()
        .name("poam-export-free".to_owned())
        .spawn(move || drop((views, logs, history, workspace)));
    Ok(ExitCode::SUCCESS)
}

/// The history of the repository holding the items; `None` outside git.
fn read_history(items_dir: &Path, progress: bool) -> Result<Option<History>, Error> {
    let repo = match history::open(items_dir) {
        Ok(repo) => repo,
        Err(HistoryError::NotARepo { .. }) => return Ok(None),
        Err(err) => return Err(Error::History(err.to_string())),
    };
    repo.full_history(WalkOptions { progress })
        .map(Some)
        .map_err(|err| Error::History(err.to_string()))
}

/// An export that silently drops an item is worse than none: files that do not parse stop it.
fn refuse_unexportable(workspace: &Workspace) -> Result<(), Error> {
    let broken: Vec<&str> = workspace
        .items
        .iter()
        .filter(|file| file.item.is_none())
        .map(|file| file.source.name.as_str())
        .collect();
    if broken.is_empty() {
        return Ok(());
    }
    Err(Error::Export(format!(
        "{} item file(s) do not parse, so the export would leave them out: {}\n  run `poam lint` to see what is wrong",
        broken.len(),
        broken.join(", ")
    )))
}

/// Two items with one id would share every UUID.
fn refuse_duplicate_ids(views: &[view::ItemView]) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    let mut duplicates: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for v in views {
        if let Some(id) = v.id.as_deref() {
            if !seen.insert(id) {
                duplicates.entry(id).or_default();
            }
        }
    }
    if duplicates.is_empty() {
        return Ok(());
    }
    for v in views {
        if let Some(paths) = v.id.as_deref().and_then(|id| duplicates.get_mut(id)) {
            paths.push(&v.path);
        }
    }
    let list: Vec<String> = duplicates
        .iter()
        .map(|(id, paths)| format!("`{id}` ({})", paths.join(", ")))
        .collect();
    Err(Error::Export(format!(
        "duplicate item ids, each must be unique in the POA&M: {}",
        list.join("; ")
    )))
}
