//! `poam inventory export`: the workspace's inventory written as the FedRAMP Integrated
//! Inventory Workbook or as CSV; `poam inventory import`: a filled workbook read into one
//! inventory file.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{
    GlobalArgs, InventoryArgs, InventoryCommand, InventoryExportArgs, InventoryFormat,
    InventoryImportArgs,
};
use crate::error::Error;
use crate::export;

use super::{check_inventory_output, check_output, config, emit, today};

pub fn run(args: &InventoryArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    match &args.what {
        InventoryCommand::Export(export) => export_inventory(export, global),
        InventoryCommand::Import(import) => import_inventory(import, global),
    }
}

/// The file an import writes into when `--into` is not given.
pub const IMPORT_FILE: &str = "iiw.yaml";

fn import_inventory(args: &InventoryImportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, None)?;
    let target = match &args.into {
        Some(file) => file.clone(),
        None => match config.inventory_path() {
            Some(path) if path.is_file() => path,
            Some(dir) => dir.join(IMPORT_FILE),
            None => config
                .root
                .join(crate::config::DEFAULT_INVENTORY_DIR)
                .join(IMPORT_FILE),
        },
    };
    check_inventory_output(&config, &target)?;
    if args.into.is_none() {
        let root = crate::workspace::display_root_of(&config);
        super::refuse_outside_repository(&root, &target, "the inventory")?;
    }
    let imported = crate::import::inventory::read(&args.file).map_err(Error::spreadsheet)?;
    let entries: Vec<Vec<(String, crate::edit::NewValue)>> =
        imported.assets.iter().map(|a| a.fields.clone()).collect();
    let file_name = args
        .file
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = crate::edit::render_list_of_mappings(
        &format!(
            "Imported from the Integrated Inventory Workbook `{file_name}` (sheet `{}`) by `poam inventory import`.",
            imported.sheet
        ),
        &entries,
    );
    // What is written must read back as the same assets, with nothing to complain about.
    let check = crate::inventory::Inventory::from_files(vec![(
        target.display().to_string(),
        text.clone().into_bytes(),
    )]);
    if let Some(problem) = check.problems.first() {
        return Err(Error::spreadsheet(format!(
            "the imported inventory would not read back: {}",
            problem.message
        )));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let mut stderr = std::io::stderr();
    for problem in &imported.problems {
        let _ = writeln!(stderr, "skipped: {problem}");
    }
    let written = if args.force {
        crate::output::replace_atomically(&target, text.as_bytes())
    } else {
        crate::output::create_atomically(&target, text.as_bytes(), None)
    };
    match written {
        Ok(()) => {}
        Err(source) if source.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Refused(format!(
                "`{}` exists and may hold hand edits; nothing was written (pass --force to replace it, or --into another file)",
                target.display()
            )));
        }
        Err(source) => {
            return Err(Error::Write {
                path: target,
                source,
            })
        }
    }
    let _ = writeln!(
        stderr,
        "{} asset(s) written to `{}`{}",
        imported.assets.len(),
        target.display(),
        if imported.problems.is_empty() {
            String::new()
        } else {
            format!("; {} cell(s) or row(s) skipped", imported.problems.len())
        }
    );
    Ok(if imported.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn export_inventory(args: &InventoryExportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let output = args.output.as_deref();
    if args.format == InventoryFormat::Xlsx && output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::spreadsheet(
            "refusing to write a binary workbook to the terminal; pass `-o FILE.xlsx` or redirect standard output".to_owned(),
        ));
    }
    let config = config(global, None)?;
    check_output(&config, output)?;
    let inventory = crate::workspace::load_inventory(&config, &config.root)?.ok_or_else(|| {
        Error::Export(
            "the repository has no inventory: create inventory/ beside poam.yaml (one YAML file per asset or group of assets), or set `inventory:` in poam.yaml".to_owned(),
        )
    })?;
    if !inventory.problems.is_empty() {
        let mut stderr = std::io::stderr();
        let _ = writeln!(
            stderr,
            "warning: the inventory has {} problem(s); assets that could not be read are left out (run `poam lint` for details)",
            inventory.problems.len()
        );
    }
    let today = today(global);
    let failed = |e: export::ExportError| Error::Export(e.to_string());
    match args.format {
        InventoryFormat::Csv => {
            let text = export::inventory::csv(&inventory, today).map_err(failed)?;
            emit(output, &text)?;
        }
        InventoryFormat::Xlsx => {
            let bytes = export::inventory::workbook(&inventory, today).map_err(failed)?;
            super::emit_bytes(output, &bytes)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
