//! `poam lsp`: the language server, over standard input and output.

use std::process::ExitCode;

use crate::cli::GlobalArgs;
use crate::error::Error;

use super::today;

pub fn run(global: &GlobalArgs) -> Result<ExitCode, Error> {
    // Tests only: hold the history runs' findings until the test releases them, so that the
    // order of a session does not depend on how long a run takes (see `crate::lsp`).
    let hold_history = std::env::var_os("POAM_LSP_HOLD_HISTORY").is_some_and(|v| v == "1");
    crate::lsp::run(today(global), global.config.as_deref(), hold_history)?;
    Ok(ExitCode::SUCCESS)
}
