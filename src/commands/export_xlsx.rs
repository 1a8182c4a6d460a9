//! `poam export xlsx` and `poam export csv`: the item views of the workspace, written as the
//! FedRAMP template workbook or as CSV.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::{ExportCsvArgs, ExportEmassArgs, ExportXlsxArgs, GlobalArgs};
use crate::error::Error;
use crate::export::{self, HeaderBlock};
use crate::profiles::{self, SystemProfile};
use crate::view::ItemView;
use crate::workspace::Workspace;

use super::{check_output, config, emit, today};

/// `poam export xlsx`.
pub fn xlsx(args: &ExportXlsxArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let output = args.output.as_deref();
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::spreadsheet(
            "refusing to write a binary workbook to the terminal; pass `-o FILE.xlsx` or redirect standard output".to_owned(),
        ));
    }
    let (views, block, profile) = load(global, output)?;
    let bytes = export::xlsx::workbook(&views, &block, profile).map_err(Error::spreadsheet)?;
    super::emit_bytes(output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// `poam export emass`.
pub fn emass(args: &ExportEmassArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let output = args.output.as_deref();
    if output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::spreadsheet(
            "refusing to write a binary workbook to the terminal; pass `-o FILE.xlsx` or redirect standard output".to_owned(),
        ));
    }
    let template = crate::emass_template::Template::from_name(&args.template)
        .ok_or_else(|| Error::spreadsheet(format!("unknown eMASS template `{}`", args.template)))?;
    let config = config(global, None)?;
    check_output(&config, output)?;
    let workspace = Workspace::open(config)?;
    export::refuse_incomplete(&workspace)?;
    let today = today(global);
    let views = crate::profiles::views(&workspace, today, &|_| None);
    let header =
        export::emass::EmassHeader::new(&workspace.config, workspace.people.as_ref(), today);
    let bytes = export::emass::workbook(&views, template, &header, workspace.people.as_ref())
        .map_err(Error::spreadsheet)?;
    super::emit_bytes(output, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// `poam export csv`.
pub fn csv(args: &ExportCsvArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let (views, block, profile) = load(global, args.output.as_deref())?;
    let text =
        export::csv::csv(&views, profile, block.marker.as_ref()).map_err(Error::spreadsheet)?;
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}

/// The views of every item, the header block and the profile that maps them; refused when an
/// item file does not parse or two items share an id ([`export::refuse_incomplete`]).
/// `output` (`-o`) is checked first.
fn load(
    global: &GlobalArgs,
    output: Option<&Path>,
) -> Result<(Vec<ItemView>, HeaderBlock, &'static dyn SystemProfile), Error> {
    let config = config(global, None)?;
    check_output(&config, output)?;
    let workspace = Workspace::open(config)?;
    let today = today(global);
    export::refuse_incomplete(&workspace)?;
    // Status Date falls back to git only for items without `status_date`: skip the walk when
    // none needs it.
    let needs_history = workspace
        .parsed()
        .any(|(_, item)| item.status_date.is_none());
    let last_changes = if needs_history {
        export::last_changes(&workspace.config)?
    } else {
        Default::default()
    };
    let views = crate::profiles::views(&workspace, today, &|id| last_changes.get(id).copied());
    let block = HeaderBlock::new(&workspace.config, today);
    Ok((views, block, profiles::of(workspace.config.policy.profile)))
}
