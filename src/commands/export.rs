//! `poam export <format>`: dispatch to one file per format.

use std::process::ExitCode;

use crate::cli::{ExportArgs, ExportCommand, GlobalArgs};
use crate::error::Error;

pub fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        ExportCommand::Ver(ver) => super::export_ver::run(ver, global),
    }
}
