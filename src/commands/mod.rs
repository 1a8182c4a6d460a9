//! One file per subcommand. A command parses nothing and decides nothing: it wires a workspace
//! to a capability and a renderer, and says which exit code the outcome means.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::cli::Common;
use crate::error::Error;

pub mod lint;
pub mod log;
pub mod rules;

/// Findings at error level (or warnings with `--strict`).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage errors and tool failures.
pub const EXIT_FAILURE: u8 = 2;

/// The date rules measure against: `--today`, `POAM_TODAY`, else the current UTC date. The
/// one place poam reads the clock.
pub fn today(common: &Common) -> NaiveDate {
    common
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
pub fn color_allowed(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// True when standard output is a terminal and nothing redirects the output to a file.
pub fn stdout_is_terminal(output: Option<&Path>) -> bool {
    output.is_none() && std::io::stdout().is_terminal()
}

/// Writes `text` to `output` atomically, or to standard output.
pub fn emit(output: Option<&Path>, text: &str) -> Result<(), Error> {
    match output {
        Some(path) => crate::output::write_atomic(path, text),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|source| Error::Write {
                    path: "<stdout>".into(),
                    source,
                })
        }
    }
}

/// Exit code 1 when `failing`, else 0.
pub fn exit_for(failing: bool) -> ExitCode {
    if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}
