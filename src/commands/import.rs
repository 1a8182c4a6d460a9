//! `poam import ...`: one subcommand per kind of file.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, ImportArgs, ImportCommand};
use crate::error::Error;

pub fn run(args: &ImportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        ImportCommand::Xlsx(xlsx) => super::import_xlsx::run(xlsx, global),
        ImportCommand::Emass(emass) => super::import_emass::run(emass, global),
        ImportCommand::Scan(scan) => super::import_scan::run(scan, global),
    }
}
