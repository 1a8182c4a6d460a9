//! `poam cmmc score`: the SPRS score of `assessment.yaml` and what it allows.

use std::process::ExitCode;

use crate::cli::{CmmcArgs, CmmcCommand, CmmcFormat, GlobalArgs};
use crate::error::Error;
use crate::workspace::{Workspace, ASSESSMENT_FILE};

use super::{config, emit, today, verbose_workspace, EXIT_FINDINGS};

pub fn run(args: &CmmcArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        CmmcCommand::Score(score) => run_score(score.format, global),
    }
}

fn run_score(format: CmmcFormat, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let config = config(global, None)?;
    if !config.policy.profile.needs_assessment() {
        return Err(Error::Refused(format!(
            "`poam cmmc score` scores a CMMC assessment: this repository's profile is `{}`; set `profile: cmmc-l2` in poam.yaml and write {ASSESSMENT_FILE} beside it",
            config.policy.profile.name()
        )));
    }
    let workspace = Workspace::open(config)?;
    verbose_workspace(global, &workspace, started);
    let items = workspace.parsed().map(|(_, item)| item);
    let Some(report) = crate::profiles::cmmc::score_report(&workspace.config, items, today(global))
    else {
        return Err(Error::Refused(format!(
            "no {ASSESSMENT_FILE} beside poam.yaml in `{}`: write the assessment's results there (see docs/profiles/cmmc-l2.md)",
            workspace.config.root.display()
        )));
    };
    let text = match format {
        CmmcFormat::Human => crate::render::cmmc::human(&report),
        CmmcFormat::Json => crate::render::json_document(&report)?,
    };
    emit(None, &text)?;
    Ok(if report.status == "not-eligible" {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}
