//! `poam export FORMAT`: hands each format to its command.

use std::process::ExitCode;

use crate::cli::{ExportArgs, ExportCommand, GlobalArgs};
use crate::error::Error;

pub fn run(args: &ExportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        ExportCommand::Ver(ver) => super::export_ver::run(ver, global),
        ExportCommand::Oscal(oscal) => super::export_oscal::run(oscal, global),
        ExportCommand::Xlsx(xlsx) => super::export_xlsx::xlsx(xlsx, global),
        ExportCommand::Dr(dr) => super::export_dr::run(dr, global),
        ExportCommand::Csv(csv) => super::export_xlsx::csv(csv, global),
        ExportCommand::Emass(emass) => super::export_xlsx::emass(emass, global),
    }
}
