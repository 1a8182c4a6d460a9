//! `poam import scan FILE...`: scanner files become and update items (a dry run unless
//! `--write`).

use std::process::ExitCode;

use crate::cli::{GlobalArgs, ImportReportFormat, ImportScanArgs, ScanFormatArg};
use crate::error::Error;
use crate::import::assets;
use crate::import::reconcile::{self, Settings};
use crate::import::report::{self, Mode};
use crate::import::scan::{self, ScanFormat};
use crate::inventory::Inventory;
use crate::workspace::{display_name, Workspace};

use super::{config, emit, exit_for, today};

pub fn run(args: &ImportScanArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let workspace = Workspace::open(config(global, None)?)?;
    let today = today(global);
    let format = scan_format(args.format);
    // Every file is read first: an unreadable file is an I/O error and nothing is imported.
    let files = args
        .files
        .iter()
        .map(|path| {
            std::fs::read(path)
                .map(|bytes| (path.display().to_string(), bytes))
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (mut scans, failed) = scan::parse_all(&files, format);
    // Items name assets by their inventory id, whatever the scanner called them. Without an
    // inventory, `--add-unknown-assets` starts one: every target is unknown.
    let empty = Inventory::default();
    let inventory = match &workspace.inventory {
        Some(inventory) => Some(inventory),
        None => args.add_unknown_assets.then_some(&empty),
    };
    let unmatched = inventory
        .map(|inventory| assets::map_to_inventory(&mut scans, inventory))
        .unwrap_or_default();
    let inventory_changes = inventory
        .map(|inventory| {
            assets::plan_inventory(
                &scans,
                inventory,
                &unmatched,
                args.add_unknown_assets,
                failed.len(),
                today,
            )
        })
        .unwrap_or_default();
    let inventory_path = workspace.config.inventory_path().unwrap_or_else(|| {
        workspace
            .config
            .root
            .join(crate::config::DEFAULT_INVENTORY_DIR)
    });
    let former_ids = crate::ids::ids_in_history(&workspace.config.items_dir)?;
    let settings = Settings {
        former_ids: &former_ids,
        ..Settings::of(&workspace, today)
    };
    let mut plan = reconcile::plan(&workspace, &scans, &failed, &settings);
    plan.unmatched = unmatched;
    plan.inventory = inventory_changes;
    if !plan.inventory.added.is_empty() {
        let stubs = assets::stubs_path(&inventory_path);
        plan.inventory.added_to = Some(display_name(&stubs, &workspace.config.root));
    }
    let mode = if args.write {
        reconcile::apply(&mut plan, &workspace, &settings, args.close_fixed)?;
        if let Some(inventory) = inventory {
            assets::write_inventory(&plan.inventory, inventory, &inventory_path)?;
        }
        Mode::Write {
            close_fixed: args.close_fixed,
        }
    } else {
        Mode::DryRun
    };
    let text = match args.report {
        ImportReportFormat::Human => report::render_human(&plan, mode),
        ImportReportFormat::Json => report::render_json(&plan)?,
    };
    if !(global.quiet && args.report == ImportReportFormat::Human) {
        emit(None, &text)?;
    }
    Ok(exit_for(!plan.skipped.is_empty()))
}

fn scan_format(arg: ScanFormatArg) -> Option<ScanFormat> {
    match arg {
        ScanFormatArg::Auto => None,
        ScanFormatArg::Nessus => Some(ScanFormat::Nessus),
        ScanFormatArg::TenableCsv => Some(ScanFormat::TenableCsv),
        ScanFormatArg::Trivy => Some(ScanFormat::Trivy),
        ScanFormatArg::Grype => Some(ScanFormat::Grype),
        ScanFormatArg::Sarif => Some(ScanFormat::Sarif),
        ScanFormatArg::Qualys => Some(ScanFormat::Qualys),
        ScanFormatArg::Zap => Some(ScanFormat::Zap),
    }
}
