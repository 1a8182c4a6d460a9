//! The `poam` binary: arguments, the command, exit codes. Everything else is in the library.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use poam::cli::{Cli, ColorChoice, Command};
use poam::commands::{self, use_color, EXIT_FAILURE};
use poam::error::Error;

#[cfg(all(
    unix,
    not(target_os = "openbsd"),
    any(target_arch = "x86_64", target_arch = "aarch64")
))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let global = &cli.global;
    if let Some(dir) = &global.directory {
        if let Err(source) = std::env::set_current_dir(dir) {
            report_error(
                &Error::Io {
                    path: dir.clone(),
                    source,
                },
                global.color,
            );
            return ExitCode::from(EXIT_FAILURE);
        }
    }
    let result = match cli.command {
        Command::Lint(args) => commands::lint::run(args, global),
        Command::Baseline(args) => commands::baseline::run(&args, global),
        Command::Log(args) => commands::log::run(&args, global),
        Command::Show(args) => commands::show::run(&args, global),
        Command::Rules(args) => commands::rules::run(&args),
        Command::Schema(args) => commands::schema::run(&args),
        Command::Completions(args) => commands::completions::run_completions(&args),
        Command::Man => commands::completions::run_man(),
        Command::Lsp => commands::lsp::run(global),
        Command::Init(args) => commands::init::run(&args, global),
        Command::New(args) => commands::new::run(&args, global),
        Command::Close(args) => commands::lifecycle::close(&args, global),
        Command::Checkin(args) => commands::lifecycle::checkin(&args, global),
        Command::Complete(args) => commands::lifecycle::complete(&args, global),
        Command::Reopen(args) => commands::lifecycle::reopen(&args, global),
        Command::Export(args) => commands::export::run(&args, global),
        Command::Migrate(args) => commands::migrate::run(&args, global),
        Command::Rename(args) => commands::rename::run(&args, global),
        Command::Codeowners(args) => commands::codeowners::run(&args, global),
        Command::Report(args) => commands::report::run(&args, global),
        Command::Site(args) => commands::site::run(&args, global),
        Command::Import(args) => commands::import::run(&args, global),
        Command::Inventory(args) => commands::inventory::run(&args, global),
        Command::Cmmc(args) => commands::cmmc::run(&args, global),
        Command::Evidence(args) => commands::evidence::run(&args, global),
    };
    match result {
        Ok(code) => code,
        // As git and ripgrep do, nothing is said to a reader that left; the status still says
        // the output was not all delivered.
        Err(error) if error.is_reader_gone() => ExitCode::from(EXIT_FAILURE),
        Err(error) => {
            report_error(&error, global.color);
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn report_error(error: &Error, color: ColorChoice) {
    let mut stderr = std::io::stderr();
    if let Error::Config(config) = error {
        let color = use_color(color, stderr.is_terminal());
        let text = poam::render::human::config_error(config, color);
        let _ = stderr.write_all(text.as_bytes());
    } else {
        let _ = writeln!(stderr, "error: {error}");
    }
}
