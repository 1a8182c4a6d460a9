//! `poam completions SHELL` and `poam man`: generated from the clap definitions, so they list
//! exactly what the binary accepts.

use std::process::ExitCode;

use crate::cli::{completion_script, man_page, CompletionsArgs};
use crate::error::Error;

use super::emit;

pub fn run_completions(args: &CompletionsArgs) -> Result<ExitCode, Error> {
    emit(
        None,
        &String::from_utf8_lossy(&completion_script(args.shell)),
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn run_man() -> Result<ExitCode, Error> {
    let page = man_page().map_err(|source| Error::Write {
        path: "<man page>".into(),
        source,
    })?;
    emit(None, &String::from_utf8_lossy(&page))?;
    Ok(ExitCode::SUCCESS)
}
