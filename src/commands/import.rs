//! `poam import xlsx FILE`: item files from a filled FedRAMP POA&M template.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, ImportArgs, ImportCommand};
use crate::error::Error;

pub fn run(args: &ImportArgs, _global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        ImportCommand::Xlsx(_) => Err(Error::Spreadsheet("not yet wired".to_owned())),
    }
}
