//! `poam baseline [PATH]`: records the findings lint reports today in `poam-baseline.json`, or
//! with `--prune` drops the entries no finding matches any more.

use std::process::ExitCode;

use crate::baseline;
use crate::cli::{BaselineArgs, GlobalArgs};
use crate::error::Error;
use crate::lint::{self, HistoryMode, LintInput};
use crate::output::write_atomic;
use crate::workspace::Workspace;

use super::{config, emit, keep_until_exit, today};

pub fn run(args: &BaselineArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, args.path.as_deref())?;
    let today = today(global);
    let path = baseline::path(&config);
    let name = path.display().to_string();
    let expires = expiry(args, config.baseline_max_age_days, today)?;
    let old = baseline::load(&path, &crate::workspace::display_root_of(&config), &name)?;
    let input = LintInput {
        today,
        history: if args.no_history {
            HistoryMode::Off
        } else {
            HistoryMode::Full
        },
        progress: false,
        sources: false,
    };
    let report = lint::lint_without_baseline(Workspace::open(config)?, &input)?;
    let text = if args.prune {
        let Some(old) = &old else {
            return Err(Error::Refused(format!(
                "no baseline to prune: `{name}` does not exist; run `poam baseline` to write one"
            )));
        };
        let (pruned, removed) = baseline::prune(&old.file, &report.diagnostics);
        write_atomic(&path, baseline::to_text(&pruned)?)?;
        format!(
            "pruned {name}: {removed} entries removed, {} left\n",
            pruned.entries.len()
        )
    } else {
        let recorded = baseline::record(
            &report.diagnostics,
            old.as_ref().map(|o| &o.file),
            today,
            expires,
        );
        write_atomic(&path, baseline::to_text(&recorded.file)?)?;
        let mut text = format!(
            "wrote {name}: {} entries ({} new, {} kept, {} removed)\n",
            recorded.file.entries.len(),
            recorded.added,
            recorded.kept,
            recorded.removed
        );
        if recorded.deadline_skipped > 0 {
            text.push_str(&format!(
                "left out {} deadline findings: they are baselined only with an expiry (`--expires DATE` or `baseline.max_age_days` in poam.yaml)\n",
                recorded.deadline_skipped
            ));
        }
        text
    };
    if !global.quiet {
        emit(None, &text)?;
    }
    keep_until_exit(report);
    Ok(ExitCode::SUCCESS)
}

/// The expiry of new deadline entries: `--expires`, else today plus `baseline.max_age_days`;
/// `--expires` beyond that limit is refused.
fn expiry(
    args: &BaselineArgs,
    max_age_days: Option<u32>,
    today: chrono::NaiveDate,
) -> Result<Option<chrono::NaiveDate>, Error> {
    let limit = max_age_days.map(|days| today + chrono::Days::new(u64::from(days)));
    match (args.expires, limit) {
        (Some(expires), _) if expires < today => Err(Error::Refused(format!(
            "`--expires {expires}` is before today ({today})"
        ))),
        (Some(expires), Some(limit)) if expires > limit => Err(Error::Refused(format!(
            "`--expires {expires}` is beyond `baseline.max_age_days` ({} days, until {limit})",
            max_age_days.unwrap_or_default()
        ))),
        (Some(expires), _) => Ok(Some(expires)),
        (None, limit) => Ok(limit),
    }
}
