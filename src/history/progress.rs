//! A progress bar for long walks: only on a terminal, and only once the walk has taken a
//! moment, so quick runs and piped output stay clean.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a walk runs before the bar appears.
const SHOW_AFTER: Duration = Duration::from_millis(200);

pub(crate) struct Progress {
    enabled: bool,
    started: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(wanted: bool) -> Self {
        Self {
            enabled: wanted && std::io::stderr().is_terminal(),
            started: Instant::now(),
            bar: None,
        }
    }

    fn bar(&mut self) -> Option<&ProgressBar> {
        if self.bar.is_none() && self.enabled && self.started.elapsed() >= SHOW_AFTER {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            self.bar = Some(bar);
        }
        self.bar.as_ref()
    }

    /// Called once per commit; cheap when no bar is shown.
    /// `versions`: item versions read so far, when the walk reads them as it goes.
    pub fn walking(&mut self, commits: usize, versions: Option<usize>) {
        if !self.enabled || !commits.is_multiple_of(64) {
            return;
        }
        if let Some(bar) = self.bar() {
            bar.set_message(match versions {
                Some(versions) => {
                    format!("reading history: {commits} commits, {versions} item versions")
                }
                None => format!("reading history: {commits} commits"),
            });
            bar.tick();
        }
    }

    pub fn building(&mut self) {
        if let Some(bar) = self.bar() {
            bar.set_message("building item timelines");
            bar.tick();
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
