//! `poam lsp`: the language server, over standard input and output.

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::error::Error;

use super::today;

pub fn run(global: &GlobalArgs) -> Result<ExitCode, Error> {
    crate::lsp::run(today(global), global.config.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
