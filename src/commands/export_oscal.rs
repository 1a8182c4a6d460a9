//! `poam export oscal [-o FILE]`: the OSCAL POA&M document of the workspace.

use std::io::Write;
use std::process::ExitCode;

use chrono::{NaiveTime, TimeZone, Utc};

use crate::cli::{ExportOscalArgs, GlobalArgs};
use crate::error::Error;
use crate::export;
use crate::export::oscal::{self, ExportInput};
use crate::history::History;
use crate::profiles;
use crate::workspace::Workspace;

use super::{check_output, config, emit_with, today};

pub fn run(args: &ExportOscalArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, None)?;
    check_output(&config, args.output.as_deref())?;
    let (workspace, history) = Workspace::open_with_history(config, !global.quiet);
    let workspace = workspace?;
    export::refuse_unexportable(&workspace)?;
    let today = today(global);
    let history = history?;
    if let Some(warning) = history.as_ref().and_then(History::shallow_warning) {
        if !global.quiet {
            let _ = writeln!(std::io::stderr(), "warning: {warning}");
        }
    }
    let (views, logs) = export::oscal_items(&workspace, today, history.as_ref())?;
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
        inventory: workspace.inventory.as_ref(),
    };
    emit_with(args.output.as_deref(), |out| oscal::write(&input, out))?;
    // Freeing the items and the history takes a noticeable share of the run.
    super::keep_until_exit((views, logs, history, workspace));
    Ok(ExitCode::SUCCESS)
}
