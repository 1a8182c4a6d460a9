//! The `poam` binary: arguments, format choice, exit codes. Everything else is in the library.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Parser;
use miette::{GraphicalReportHandler, GraphicalTheme};
use strum::IntoEnumIterator;

use poam::cli::{Cli, Command, Common, LintArgs, LogArgs, RulesArgs};
use poam::config::Config;
use poam::diag::Severity;
use poam::error::Error;
use poam::lint::{self, HistoryMode, LintInput};
use poam::render::{self, Format};
use poam::rules::Code;

/// Exit codes: findings at error level, and tool failures.
const EXIT_FINDINGS: u8 = 1;
const EXIT_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Lint(args) => run_lint(args),
        Command::Log(args) => run_log(&args),
        Command::Rules(args) => run_rules(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            report_error(&error);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn color_allowed(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
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

/// The date rules measure against: `--today`, `POAM_TODAY`, else the current UTC date.
fn today(common: &Common) -> NaiveDate {
    common
        .today
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

fn run_lint(args: LintArgs) -> Result<ExitCode, Error> {
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
    let report = lint::lint(&config, &input)?;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let text = render::render(
        &report,
        args.format,
        args.format == Format::Human && color_allowed(to_terminal),
    );
    emit(args.output.as_deref(), &text)?;
    let worst = report.diagnostics.iter().map(|d| d.severity).max();
    let failing = match worst {
        Some(Severity::Error) => true,
        Some(Severity::Warning) => args.strict,
        _ => false,
    };
    Ok(if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_log(args: &LogArgs) -> Result<ExitCode, Error> {
    let config = Config::discover(args.path.as_deref(), args.common.config.as_deref())?;
    let text = poam::log::run_log(&config.items_dir, &args.ids, args.since, args.format)
        .map_err(|err| Error::History(err.to_string()))?;
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

fn emit(output: Option<&std::path::Path>, text: &str) -> Result<(), Error> {
    match output {
        Some(path) => poam::output::write_atomic(path, text),
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

fn run_rules(args: &RulesArgs) -> Result<ExitCode, Error> {
    let text = match &args.code {
        Some(name) => match Code::from_name(name) {
            Some(code) => format!(
                "# {} ({})\n\n{}\n",
                code.as_str(),
                code.default_severity(),
                code.doc()
            ),
            None => {
                let hint = poam::model::item::suggest(name, &Code::names())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                let _ = writeln!(std::io::stderr(), "error: unknown rule `{name}`{hint}");
                return Ok(ExitCode::from(EXIT_FAILURE));
            }
        },
        None => Code::iter()
            .map(|code| {
                format!(
                    "{:<32} {:<8} {}\n",
                    code.as_str(),
                    code.default_severity().as_str(),
                    code.summary()
                )
            })
            .collect(),
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
