//! `poam export csv`: the template's 31 columns A..AE with their exact headers, one row per
//! item (open and closed together), plus a final `Status` column (`open` or `closed`). Cells
//! hold the same text as the workbook's; dates are `YYYY-MM-DD`. Text that a spreadsheet
//! program would run as a formula gets a leading `'`, as in the site's `poam.csv` (the workbook
//! writes such text as string cells, which are never formulas).

use super::template::COLUMNS;
use super::{item_cells, Cell, ExportError};
use crate::view::ItemView;

/// Header of the column added after AE.
pub const STATUS_HEADER: &str = "Status";

/// A cell as CSV text, formula text defused; numbers and dates are left as they are (a
/// negative number is a number, not a formula).
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => crate::output::spreadsheet_text(text).into_owned(),
        other => other.to_text(),
    }
}

/// The CSV text for `views`, in the order given.
pub fn csv(views: &[ItemView]) -> Result<String, ExportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let error = |e: ::csv::Error| ExportError(format!("cannot write CSV: {e}"));
    writer
        .write_record(
            COLUMNS
                .iter()
                .map(|c| c.header)
                .chain(std::iter::once(STATUS_HEADER)),
        )
        .map_err(error)?;
    for view in views {
        let status = view.status.unwrap_or("open");
        writer
            .write_record(
                item_cells(view)
                    .iter()
                    .map(cell_text)
                    .chain(std::iter::once(status.to_owned())),
            )
            .map_err(error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ExportError(format!("CSV is not UTF-8: {e}")))
}
