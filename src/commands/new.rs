//! `poam new`: the next item, with today's dates, the profile's starting fields (Rev5: the
//! policy's due date; CR26: an empty evaluation) and placeholders that `poam lint` flags until
//! they are filled.

use std::process::ExitCode;
use std::time::Instant;

use crate::cli::{GlobalArgs, NewArgs, RiskArg};
use crate::error::Error;
use crate::model::item::{is_valid_cve, Risk};
use crate::profiles::{self, NewItem};
use crate::workspace::Workspace;

use super::{config, emit, today, verbose, verbose_workspace};

pub fn run(args: &NewArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let workspace = Workspace::open(config(global, None)?)?;
    verbose_workspace(global, &workspace, started);
    let cves: Vec<String> = args
        .cves
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    if let Some(bad) = cves.iter().find(|c| !is_valid_cve(c)) {
        return Err(Error::Refused(format!(
            "`{bad}` is not a CVE id; write CVE ids like `CVE-2021-44228`"
        )));
    }
    let request = NewItem {
        risk: args.risk.map(|risk| match risk {
            RiskArg::Low => Risk::Low,
            RiskArg::Moderate => Risk::Moderate,
            RiskArg::High => Risk::High,
            RiskArg::Critical => Risk::Critical,
        }),
        title: args.title.as_deref(),
        detector: args.detector.as_deref(),
        cves: &cves,
        assets: &args.assets,
    };
    let today = today(global);
    // Ids and file names both count as taken: a broken file still holds its name.
    let stems: Vec<String> = workspace
        .items
        .iter()
        .filter_map(|f| f.path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    // So are the ids of items deleted from the history: a reused id mixes two items' logs.
    let former_ids = crate::ids::ids_in_history(&workspace.config.items_dir)?;
    let mut taken: Vec<&str> = workspace.ids();
    taken.extend(stems.iter().map(String::as_str));
    taken.extend(former_ids.iter().map(String::as_str));
    let config = &workspace.config;
    let profile = profiles::of(config.policy.profile);
    // Asked once before any id is taken (the id does not change the answer): a refused
    // request writes nothing.
    profile
        .new_item("V-0", &request, today, &config.policy)
        .map_err(Error::Refused)?;
    let (id, path) =
        crate::ids::create_next_item(&config.items_dir, &config.id_prefix, &taken, |id| {
            profile
                .new_item(id, &request, today, &config.policy)
                .map(|start| start.render())
                .unwrap_or_default()
        })?;
    verbose(global, 1, &format!("allocated {id}"));
    emit(None, &format!("{}\n", path.display()))?;
    if args.edit {
        open_editor(&path)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens `path` in `$VISUAL` or `$EDITOR` (which may carry arguments, e.g. `code --wait`) and
/// waits for it.
fn open_editor(path: &std::path::Path) -> Result<(), Error> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().into_owned())
        .find(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            Error::Refused(format!(
                "--edit needs $VISUAL or $EDITOR; the item was created at {}",
                path.display()
            ))
        })?;
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or_default();
    let status = std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .map_err(|source| Error::Io {
            path: program.into(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "the editor `{editor}` exited with {status}; the item is at {}",
            path.display()
        )))
    }
}
