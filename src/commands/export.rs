//! `poam export FORMAT`: hands each format to its command.

use std::process::ExitCode;

use crate::cli::{ExportArgs, ExportCommand, GlobalArgs};
use crate::error::Error;

use super::export_oscal as oscal;

pub fn run(args: ExportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match args.what {
        ExportCommand::Oscal(args) => oscal::run(&args, global),
    }
}
