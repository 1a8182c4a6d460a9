//! `poam export csv`: the template's 31 columns A..AE with their exact headers, one row per
//! item (open and closed together), plus a final `Status` column (`open` or `closed`). Cells
//! hold the same text as the workbook's; dates are `YYYY-MM-DD`. When the profile is not the
//! Rev5 template's own, a `Profile` column after `Status` names it on every row. Text that a
//! spreadsheet program would run as a formula gets a leading `'`, as in the site's `poam.csv`
//! (the workbook writes such text as string cells, which are never formulas).

use super::{item_cells, Cell, ExportError};
use crate::fedramp_template::COLUMNS;
use crate::profiles::{ExportMarker, SystemProfile};
use crate::view::ItemView;

/// Header of the column added after AE.
pub const STATUS_HEADER: &str = "Status";
/// Header of the column added after `Status` when the export names its profile.
pub const PROFILE_HEADER: &str = "Profile";

/// A cell as CSV text, formula text defused; numbers and dates are left as they are (a
/// negative number is a number, not a formula).
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => crate::output::spreadsheet_text(text).into_owned(),
        other => other.to_text(),
    }
}

/// The CSV text for `views`, in the order given, mapped by `profile`.
pub fn csv(
    views: &[ItemView],
    profile: &dyn SystemProfile,
    marker: Option<&ExportMarker>,
) -> Result<String, ExportError> {
    let extra = |status: &str| {
        std::iter::once(status.to_owned()).chain(marker.map(|m| m.profile.to_owned()))
    };
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let error = |e: ::csv::Error| ExportError(format!("cannot write CSV: {e}"));
    writer
        .write_record(
            COLUMNS
                .iter()
                .map(|c| c.header)
                .chain(std::iter::once(STATUS_HEADER))
                .chain(marker.map(|_| PROFILE_HEADER)),
        )
        .map_err(error)?;
    for view in views {
        let status = view.status.unwrap_or("open");
        writer
            .write_record(
                item_cells(view, profile)
                    .iter()
                    .map(cell_text)
                    .chain(extra(status)),
            )
            .map_err(error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ExportError(format!("CSV is not UTF-8: {e}")))
}
