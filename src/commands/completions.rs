//! `poam completions SHELL` and `poam man`: generated from the clap definitions, so they list
//! exactly what the binary accepts.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::Error;

use super::emit;

/// The completion script of `shell` for the `poam` command.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "poam", &mut script);
    script
}

/// The man page of `poam`, in roff.
pub fn man_page() -> Result<Vec<u8>, Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|source| Error::Write {
            path: "<man page>".into(),
            source,
        })?;
    Ok(page)
}

pub fn run_completions(args: &CompletionsArgs) -> Result<ExitCode, Error> {
    emit(
        None,
        &String::from_utf8_lossy(&completion_script(args.shell)),
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_man() -> Result<ExitCode, Error> {
    emit(None, &String::from_utf8_lossy(&man_page()?))?;
    Ok(ExitCode::SUCCESS)
}
