//! `poam export dr ID`: FedRAMP's Vulnerability Deviation Request form filled from one item
//! and poam.yaml; the required cells it could not fill are listed on standard error.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{ExportDrArgs, GlobalArgs};
use crate::error::Error;
use crate::export::dr;
use crate::workspace::Workspace;

use super::{check_output, config, emit_bytes, refuse_binary_to_terminal, today};

pub fn run(args: &ExportDrArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let output = args.output.as_deref();
    let config = config(global, None)?;
    check_output(&config, output)?;
    refuse_binary_to_terminal(output, "a binary workbook", "FILE.xlsx")?;
    let workspace = Workspace::open(config)?;
    let today = today(global);
    let (file, item) = super::the_item(&workspace, &args.id)?;
    let view = crate::profiles::view(&file.source.name, item, &workspace.config.policy, today);
    let fields = dr::mapping(&view, &workspace.config.system, today)
        .map_err(|e| Error::Export(e.to_string()))?;
    let bytes = dr::workbook(&fields).map_err(|e| Error::Export(e.to_string()))?;
    emit_bytes(output, &bytes)?;
    let missing: Vec<&dr::Field> = fields
        .iter()
        .filter(|f| f.required && f.value.is_none())
        .collect();
    if !missing.is_empty() && !global.quiet {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "note: {} required fields of the deviation request form are left for you to fill:",
            missing.len()
        );
        for field in missing {
            let _ = writeln!(
                stderr,
                "  {} {} ({})",
                field.cell, field.label, field.source
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
