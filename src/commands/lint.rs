//! `poam lint`.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::LintArgs;
use crate::code::Severity;
use crate::config::Config;
use crate::error::Error;
use crate::lint::{self, HistoryMode, LintInput};
use crate::render::{self, Format};
use crate::workspace::Workspace;

use super::{color_allowed, emit, exit_for, stdout_is_terminal, today};

pub fn run(args: LintArgs) -> Result<ExitCode, Error> {
    let config = Config::discover(args.path.as_deref(), args.common.config.as_deref())?;
    let history = match (&args.base, args.no_history) {
        (_, true) => HistoryMode::Off,
        (Some(rev), false) => HistoryMode::Base(rev.clone()),
        (None, false) => HistoryMode::Full,
    };
    let input = LintInput {
        today: today(&args.common),
        history,
        progress: std::io::stderr().is_terminal(),
    };
    let report = lint::lint(Workspace::open(config)?, &input)?;
    let color =
        args.format == Format::Human && color_allowed(stdout_is_terminal(args.output.as_deref()));
    let text = render::render(&report, args.format, color);
    emit(args.output.as_deref(), &text)?;
    let failing = match report.diagnostics.iter().map(|d| d.severity).max() {
        Some(Severity::Error) => true,
        Some(Severity::Warning) => args.strict,
        _ => false,
    };
    Ok(exit_for(failing))
}
