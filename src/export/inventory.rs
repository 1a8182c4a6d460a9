//! `poam inventory export`: the inventory as the FedRAMP Integrated Inventory Workbook (IIW,
//! SSP Appendix M), or as CSV with the same columns.
//!
//! The workbook is the template's `Inventory` sheet in its submitted form: the template says to
//! delete its guidance column A and its guidance and example rows 3-12 before submission, so
//! row 1 holds the group labels (`All Inventories` over A, `OS/Infrastructure Inventory` over
//! F, `Software and Database Inventories` over O, `Any Inventory` over R), row 2 the 25
//! headers A..Y spelt exactly as the template spells them, and assets start in row 3.
//!
//! **One row per asset**, not one per IP address: the template's guidance asks for a row per
//! IP, but its "Valid Values" row lists several addresses in one cell (Alt+Enter), and one row
//! per asset keeps the unique asset identifier unique, as its own row 4 requires. Several
//! `ip` values are written on separate lines of one cell. A container image without `ip` gets
//! its digests (the `aliases` that start with `sha256:`) there, as the IIW's container rule
//! says. Yes/No fields are written `Yes`/`No`; End-of-Life is a date cell (`m/d/yyyy`). Assets
//! retired as of the export date, and later duplicates of an id, are left out; the rest keep
//! the inventory's file order.

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook};

use chrono::NaiveDate;

use super::xlsx::{excel_date, xlsx_error};
use super::{Cell, ExportError};
use crate::inventory::{Asset, AssetKind, FieldValue, Inventory, FIELDS};

/// The sheet the template keeps the inventory on.
pub const SHEET: &str = "Inventory";
/// Row 1's group labels, by zero-based column of the submitted sheet (template column minus
/// one).
pub const GROUP_LABELS: [(u16, &str); 4] = [
    (0, "All Inventories"),
    (5, "OS/Infrastructure Inventory"),
    (14, "Software and Database Inventories"),
    (17, "Any Inventory"),
];
/// Zero-based rows of the submitted sheet.
pub const GROUP_ROW: u32 = 0;
pub const HEADER_ROW: u32 = 1;
pub const FIRST_DATA_ROW: u32 = 2;

/// The assets exported as of `today`, in file order.
pub fn exported(inventory: &Inventory, today: NaiveDate) -> impl Iterator<Item = &Asset> {
    inventory
        .assets
        .iter()
        .filter(move |a| !a.is_retired(today) && inventory.is_first(a))
}

/// The 25 cells of one asset, in the template's column order.
pub fn asset_cells(asset: &Asset) -> Vec<Cell> {
    FIELDS
        .iter()
        .map(|field| {
            if field.key == "id" {
                return Cell::text(asset.id.value.clone());
            }
            match asset.get(field.key).map(|v| &v.value) {
                None if field.key == "ip" && asset.kind() == AssetKind::Container => {
                    let digests: Vec<&str> = asset
                        .aliases()
                        .iter()
                        .map(|a| a.value.as_str())
                        .filter(|a| a.starts_with("sha256:"))
                        .collect();
                    Cell::text(digests.join("\n"))
                }
                None => Cell::Empty,
                Some(FieldValue::Text(text)) => Cell::text(text.clone()),
                Some(FieldValue::YesNo(yes)) => Cell::text(if *yes { "Yes" } else { "No" }),
                Some(FieldValue::Date(date)) => Cell::Date(*date),
                Some(FieldValue::List(values)) => Cell::text(
                    values
                        .iter()
                        .map(|v| v.value.as_str())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        })
        .collect()
}

/// The workbook: the template's `Inventory` sheet, submitted form.
pub fn workbook(inventory: &Inventory, today: NaiveDate) -> Result<Vec<u8>, ExportError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("FedRAMP Integrated Inventory Workbook")
            .set_creation_datetime(&excel_date(today)?),
    );
    let border = |f: Format| {
        f.set_border(FormatBorder::Thin)
            .set_border_color(0x00BF_BFBF)
    };
    let group = Format::new().set_bold().set_background_color(0x00D9_E1F2);
    let header = border(
        Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(0x00D9_E1F2),
    );
    let text = border(Format::new().set_text_wrap().set_align(FormatAlign::Top));
    let date = text.clone().set_num_format("m/d/yyyy");
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET).map_err(xlsx_error)?;
    for (column, label) in GROUP_LABELS {
        sheet
            .write_string_with_format(GROUP_ROW, column, label, &group)
            .map_err(xlsx_error)?;
    }
    for (column, field) in (0u16..).zip(FIELDS) {
        sheet.set_column_width(column, 20).map_err(xlsx_error)?;
        sheet
            .write_string_with_format(HEADER_ROW, column, field.header, &header)
            .map_err(xlsx_error)?;
    }
    sheet.set_row_height(HEADER_ROW, 42).map_err(xlsx_error)?;
    sheet
        .set_freeze_panes(FIRST_DATA_ROW, 0)
        .map_err(xlsx_error)?;
    for (row, asset) in (FIRST_DATA_ROW..).zip(exported(inventory, today)) {
        for (column, cell) in (0u16..).zip(asset_cells(asset)) {
            match cell {
                Cell::Empty => {}
                Cell::Text(value) => {
                    sheet
                        .write_string_with_format(row, column, &value, &text)
                        .map_err(xlsx_error)?;
                }
                Cell::Date(day) => {
                    sheet
                        .write_datetime_with_format(row, column, excel_date(day)?, &date)
                        .map_err(xlsx_error)?;
                }
                Cell::Number(number) => {
                    sheet
                        .write_number_with_format(row, column, number, &text)
                        .map_err(xlsx_error)?;
                }
            }
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// The CSV: the 25 headers, then one row per asset; dates `YYYY-MM-DD`; formula text defused
/// with a leading `'` as in `poam export csv`.
pub fn csv(inventory: &Inventory, today: NaiveDate) -> Result<String, ExportError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let error = |e: ::csv::Error| ExportError(format!("cannot write CSV: {e}"));
    writer
        .write_record(FIELDS.iter().map(|f| f.header))
        .map_err(error)?;
    for asset in exported(inventory, today) {
        writer
            .write_record(asset_cells(asset).iter().map(|cell| match cell {
                Cell::Text(text) => crate::output::spreadsheet_text(text).into_owned(),
                other => other.to_text(),
            }))
            .map_err(error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| ExportError(format!("cannot write CSV: {e}")))
}
