//! `poam export ver --period YYYY-MM -o DIR`: FedRAMP's three VER JSON documents.

use std::process::ExitCode;

use crate::cli::{ExportVerArgs, GlobalArgs};
use crate::code::Code;
use crate::error::Error;
use crate::export::ver::{self, Period};
use crate::profiles::cr26::VdrSummary;
use crate::render;
use crate::workspace::Workspace;

use super::{check_output, config, today};

pub fn run(args: &ExportVerArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let Some(period) = Period::parse(&args.period) else {
        return Err(Error::Export(format!(
            "`--period {}` is not a month: write YYYY-MM, e.g. `--period 2026-12`",
            args.period
        )));
    };
    let config = config(global, None)?;
    check_output(&config, Some(&args.output))?;
    let workspace = Workspace::open(config)?;
    let today = today(global);
    let reports = ver::build(&workspace, period, today, ver::generated_at(today))?;
    reports.write(&args.output)?;
    // The same summary `poam report` shows for the month: one source for both.
    let views = crate::profiles::views(&workspace, today, &|_| None);
    let summary = VdrSummary::from_views(
        &views,
        &workspace.config,
        &period.name(),
        period.from,
        period.to,
        today,
    );
    crate::output::write_atomic(
        &args.output.join(ver::MARKDOWN_FILE),
        render::vdr::markdown(&summary),
    )?;
    let unbacked = unbacked_reductions(&workspace)?;
    for violation in &unbacked {
        let by = violation.source.commit().map_or_else(
            || "the working tree".to_owned(),
            |c| format!("commit {}", c.short_id()),
        );
        eprintln!(
            "warning: {} ({}): {} ({by}); the reports carry what the item says",
            violation.path, violation.item_id, violation.breach.message
        );
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
    // Reported reductions git does not back (rewritten, backdated) make the run fail the way
    // lint findings do: the files are written, and the exit code says they need a look.
    Ok(super::exit_for(!unbacked.is_empty()))
}

/// The evaluations and reductions whose record git contradicts: rewritten after the commit
/// that recorded them, or added long after the time they claim (the CR26 history rules).
/// Outside git there is nothing to check.
fn unbacked_reductions(workspace: &Workspace) -> Result<Vec<crate::rules::Violation>, Error> {
    let config = &workspace.config;
    let repo = match crate::history::open(&config.items_dir) {
        Ok(repo) => repo,
        Err(crate::history::HistoryError::NotARepo { .. }) => return Ok(Vec::new()),
        Err(err) => return Err(Error::history(err)),
    };
    let history = repo
        .full_history(crate::history::WalkOptions { progress: false })
        .map_err(Error::history)?;
    let cutoff = config
        .history_since
        .as_ref()
        .and_then(|since| repo.resolve_since(&since.value).ok());
    let runs = crate::history::audit::full_runs(&history, cutoff.as_ref());
    let judged = crate::rules::judge_history(&runs, config.policy.profile);
    // The same waivers as lint's.
    let mut waivers = config.history_waivers.clone();
    crate::rules::history::resolve_waivers(config, &mut waivers, &repo)?;
    let kept = crate::rules::history::apply_waivers(judged, &waivers).kept;
    Ok(kept
        .into_iter()
        .filter(|v| {
            matches!(
                v.breach.code,
                Code::VdrEvaluationChanged | Code::VdrReductionsRewritten | Code::VdrBackdated
            )
        })
        .collect())
}
