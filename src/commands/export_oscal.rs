//! `poam export oscal [-o FILE]`: the OSCAL POA&M document of the workspace.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{ExportOscalArgs, GlobalArgs};
use crate::error::Error;
use crate::export;
use crate::history::History;
use crate::profiles;
use crate::workspace::Workspace;

use super::{check_output, config, emit_with, today};

pub fn run(args: &ExportOscalArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, None)?;
    check_output(&config, args.output.as_deref())?;
    let (workspace, history) = Workspace::open_with_history(config, !global.quiet);
    let workspace = workspace?;
    export::refuse_incomplete(&workspace)?;
    let today = today(global);
    let history = history?;
    if let Some(warning) = history.as_ref().and_then(History::shallow_warning) {
        if !global.quiet {
            let _ = writeln!(std::io::stderr(), "warning: {warning}");
        }
    }
    let (views, logs) = export::oscal_items(&workspace, today, history.as_ref())?;
    let profile = profiles::of(workspace.config.policy.profile);
    emit_with(args.output.as_deref(), |out| {
        export::write_oscal(
            &workspace,
            &views,
            &logs,
            history.as_ref(),
            today,
            profile,
            out,
        )
    })?;
    // Freeing the items and the history takes a noticeable share of the run.
    super::keep_until_exit((views, logs, history, workspace));
    Ok(ExitCode::SUCCESS)
}
