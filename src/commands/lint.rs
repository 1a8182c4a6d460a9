//! `poam lint`.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, LintArgs};
use crate::code::Severity;
use crate::error::Error;
use crate::lint::{self, HistoryMode, LintInput};
use crate::render::{self, Format};
use crate::workspace::Workspace;

use super::{config, emit, exit_for, stdout_is_terminal, today, use_color};

pub fn run(args: LintArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, args.path.as_deref())?;
    let history = match (&args.base, args.no_history) {
        (_, true) => HistoryMode::Off,
        (Some(rev), false) => HistoryMode::Base(rev.clone()),
        (None, false) => HistoryMode::Full,
    };
    let input = LintInput {
        today: today(global),
        history,
        progress: !global.quiet && std::io::stderr().is_terminal(),
    };
    let report = lint::lint(Workspace::open(config)?, &input)?;
    let color = args.format == Format::Human
        && use_color(global.color, stdout_is_terminal(args.output.as_deref()));
    let text = render::render(&report, args.format, color);
    emit(args.output.as_deref(), &text)?;
    let failing = match report.diagnostics.iter().map(|d| d.severity).max() {
        Some(Severity::Error) => true,
        Some(Severity::Warning) => args.strict,
        _ => false,
    };
    Ok(exit_for(failing))
}
