//! `poam log`: each item's timeline from git history.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::{GlobalArgs, LogArgs};
use crate::error::Error;
use crate::history::{self, HistoryError, WalkOptions};
use crate::render::log::{render, LogFormat};

use super::{config, emit};

pub fn run(args: &LogArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, None)?;
    let progress = !global.quiet;
    let text = render_log(
        &config.items_dir,
        &args.ids,
        args.since,
        args.format,
        progress,
    )
    .map_err(|err| Error::History(err.to_string()))?;
    emit(args.output.as_deref(), &text)?;
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
    let repo = history::open(items_dir)?;
    let history = repo.full_history(WalkOptions { progress })?;
    let text = {
        let timelines = history::select(&history, ids, since)?;
        render(&history, &timelines, format)
    };
    // Freeing every parsed version and closing the object database take a tenth of a long
    // walk, and nobody waits for them: let another thread do it while the output is written.
    let _ = std::thread::Builder::new()
        .name("poam-history-free".to_owned())
        .spawn(move || drop((history, repo)));
    Ok(text)
}
