//! `poam export ver --period YYYY-MM -o DIR`: FedRAMP's three VER JSON documents.

use std::process::ExitCode;

use crate::cli::{ExportVerArgs, GlobalArgs};
use crate::error::Error;
use crate::export::ver::{self, Period};
use crate::render::{self, vdr::VdrSummary};
use crate::workspace::Workspace;

use super::{config, today};

pub fn run(args: &ExportVerArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let Some(period) = Period::parse(&args.period) else {
        return Err(Error::Export(format!(
            "`--period {}` is not a month: write YYYY-MM, e.g. `--period 2026-12`",
            args.period
        )));
    };
    let workspace = Workspace::open(config(global, None)?)?;
    let today = today(global);
    let reports = ver::build(&workspace, period, today, ver::generated_at(today))?;
    reports.write(&args.output)?;
    if let Some(summary) =
        VdrSummary::build(&workspace, &period.name(), period.from, period.to, today)
    {
        crate::output::write_atomic(
            &args.output.join(ver::MARKDOWN_FILE),
            render::vdr::markdown(&summary),
        )?;
    }
    if !global.quiet {
        for skip in &reports.skipped {
            eprintln!(
                "warning: {} left out of the reports: no {}",
                skip.file,
                skip.missing.join(", ")
            );
        }
        eprintln!(
            "wrote {} ({} vulnerabilities), {} ({} accepted), {} ({} active, {} accepted) and {} for {} to {}",
            ver::DETAIL_FILE,
            reports.detail.vulnerabilities.len(),
            ver::ACCEPTED_FILE,
            reports.accepted.accepted_vulnerabilities.len(),
            ver::HISTORY_FILE,
            reports.history.active_vulnerabilities.len(),
            reports.history.accepted_vulnerabilities.len(),
            ver::MARKDOWN_FILE,
            period.name(),
            args.output.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
