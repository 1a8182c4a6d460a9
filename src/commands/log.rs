//! `poam log`: each item's timeline from git history.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::{GlobalArgs, LogArgs};
use crate::config::HistoryWaiver;
use crate::config::Waiver;
use crate::diag::Leftovers;
use crate::error::Error;
use crate::history::{self, HistoryError, WalkOptions};
use crate::render::log::{render_with_all_waivers, LogFormat};

use super::{check_output, config, elapsed, emit, verbose};

pub fn run(args: &LogArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let config = config(global, None)?;
    check_output(&config, args.output.as_deref())?;
    verbose(
        global,
        1,
        &format!(
            "config: {}; items folder {}",
            config
                .file
                .as_ref()
                .map_or_else(|| "none".to_owned(), |f| f.display().to_string()),
            config.items_dir.display()
        ),
    );
    let progress = !global.quiet && args.format == LogFormat::Human;
    // Each waiver shows (and marks the events of) the one commit it names, by full id.
    let mut waivers = config.history_waivers.clone();
    if !waivers.is_empty() {
        if let Ok(repo) = history::open(&config.items_dir) {
            crate::rules::history::resolve_waivers(&config, &mut waivers, &repo)?;
        }
    }
    let (text, leftovers) = render_log_keeping(
        &config.items_dir,
        &args.ids,
        args.since,
        args.format,
        progress,
        &waivers,
        (&config.waivers, super::today(global)),
    )
    .map_err(Error::history)?;
    verbose(
        global,
        1,
        &format!("history read and rendered in {}", elapsed(started)),
    );
    emit(args.output.as_deref(), &text)?;
    super::keep_until_exit(leftovers);
    Ok(ExitCode::SUCCESS)
}

/// `poam log`: reads the history of the repository holding `items_dir` and renders the
/// timelines of `ids` (all items when empty). Shows a progress bar on a terminal when the
/// walk takes a while. Ids with no committed history are an error.
pub fn render_log(
    items_dir: &Path,
    ids: &[String],
    since: Option<NaiveDate>,
    format: LogFormat,
    progress: bool,
) -> Result<String, HistoryError> {
    render_log_with_waivers(items_dir, ids, since, format, progress, &[])
}

/// As [`render_log`], listing `history_waivers` and showing them on the events they name.
pub fn render_log_with_waivers(
    items_dir: &Path,
    ids: &[String],
    since: Option<NaiveDate>,
    format: LogFormat,
    progress: bool,
    waivers: &[HistoryWaiver],
) -> Result<String, HistoryError> {
    let today = chrono::NaiveDate::default();
    render_log_keeping(
        items_dir,
        ids,
        since,
        format,
        progress,
        waivers,
        (&[], today),
    )
    .map(|(text, _)| text)
}

/// As [`render_log_with_waivers`], handing back the history read (freeing every parsed
/// version takes a tenth of a long walk: the caller decides when).
fn render_log_keeping(
    items_dir: &Path,
    ids: &[String],
    since: Option<NaiveDate>,
    format: LogFormat,
    progress: bool,
    waivers: &[HistoryWaiver],
    (item_waivers, today): (&[Waiver], NaiveDate),
) -> Result<(String, Leftovers), HistoryError> {
    let repo = history::open(items_dir)?;
    let history = repo.full_history(WalkOptions { progress })?;
    let text = {
        let timelines = history::select(&history, ids, since)?;
        render_with_all_waivers(&history, &timelines, waivers, item_waivers, today, format)
    };
    let mut leftovers = Leftovers::default();
    leftovers.keep((history, repo));
    Ok((text, leftovers))
}
