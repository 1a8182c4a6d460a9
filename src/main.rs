//! The `poam` binary: arguments, the command, exit codes. Everything else is in the library.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use miette::{GraphicalReportHandler, GraphicalTheme};

use poam::cli::{Cli, Command};
use poam::commands::{self, color_allowed, EXIT_FAILURE};
use poam::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lint(args) => commands::lint::run(args),
        Command::Log(args) => commands::log::run(&args),
        Command::Rules(args) => commands::rules::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            report_error(&error);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn report_error(error: &Error) {
    let mut stderr = std::io::stderr();
    if let Error::Config(config) = error {
        let theme = if color_allowed(stderr.is_terminal()) {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
        let mut text = format!("error: {error}\n");
        for report in config.reports() {
            let _ = handler.render_report(&mut text, &report);
        }
        let _ = stderr.write_all(text.as_bytes());
    } else {
        let _ = writeln!(stderr, "error: {error}");
    }
}
