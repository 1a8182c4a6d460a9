//! `poam export xlsx`: the FedRAMP POA&M Template Rev5 workbook, rebuilt from
//! [`crate::fedramp_template`] (rust_xlsxwriter cannot fill the original file).
//!
//! Sheets, header block, header texts, the Open sheet's description and hint rows, list
//! validations and frozen headers follow the template; the Open sheet's example row 8 is left
//! blank, so the first item sits in row 9 as in a filled template. Output depends only on the
//! views and the header block: the workbook's creation date is the POA&M date, not the clock.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet, XlsxError,
};

use super::{is_closed, item_cells, Cell, ExportError, HeaderBlock};
use crate::fedramp_template::{self as template, col, COLUMNS};
use crate::profiles::SystemProfile;
use crate::view::ItemView;

/// Excel refuses longer cell texts.
const MAX_CELL_CHARS: usize = 32_767;
/// List validations reach at least this far (the template's Open sheet covers rows to 4022).
const VALIDATED_ROWS: u32 = 4_022;
const DATE_FORMAT: &str = "yyyy-mm-dd";
/// Where the workbook names its profile: column E of the header block (rows 2 and 3).
const PROFILE_COLUMN: u16 = 4;
pub const PROFILE_LABEL: &str = "Profile";

struct Formats {
    title: Format,
    label: Format,
    value: Format,
    value_date: Format,
    header: Format,
    description: Format,
    hint: Format,
    text: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let border = |f: Format| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(0x00BF_BFBF)
        };
        let text = border(Format::new().set_text_wrap().set_align(FormatAlign::Top));
        Formats {
            title: Format::new().set_bold().set_font_size(16),
            label: border(Format::new().set_bold().set_background_color(0x00D9_E1F2)),
            value: border(Format::new()),
            value_date: border(Format::new().set_num_format(DATE_FORMAT))
                .set_align(FormatAlign::Left),
            header: border(
                Format::new()
                    .set_bold()
                    .set_text_wrap()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_font_color(Color::White)
                    .set_background_color(0x001D_3557),
            ),
            description: border(
                Format::new()
                    .set_text_wrap()
                    .set_italic()
                    .set_align(FormatAlign::Top)
                    .set_background_color(0x00F2_F2F2),
            ),
            hint: border(
                Format::new()
                    .set_text_wrap()
                    .set_align(FormatAlign::Top)
                    .set_background_color(0x00FF_F2CC),
            ),
            date: text.clone().set_num_format(DATE_FORMAT),
            text,
        }
    }
}

fn xlsx_error(error: XlsxError) -> ExportError {
    ExportError(format!("cannot build the workbook: {error}"))
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, ExportError> {
    let (Ok(year), Ok(month), Ok(day)) = (
        u16::try_from(date.year()),
        u8::try_from(date.month()),
        u8::try_from(date.day()),
    ) else {
        return Err(ExportError(format!("date {date} is outside Excel's range")));
    };
    ExcelDateTime::from_ymd(year, month, day)
        .map_err(|_| ExportError(format!("date {date} is outside Excel's range (1900-9999)")))
}

/// The workbook for `views`: open items on the Open sheet, closed ones on the Closed sheet,
/// each sheet in the order given (callers pass views sorted by id), mapped by `profile`.
pub fn workbook(
    views: &[ItemView],
    block: &HeaderBlock,
    profile: &dyn SystemProfile,
) -> Result<Vec<u8>, ExportError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let created = excel_date(block.poam_date)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(template::OPEN_TITLE)
            .set_creation_datetime(&created),
    );

    let open: Vec<&ItemView> = views.iter().filter(|v| !is_closed(v)).collect();
    let closed: Vec<&ItemView> = views.iter().filter(|v| is_closed(v)).collect();
    let sheets: [(&str, &str, &[&ItemView], u32); 3] = [
        (
            template::OPEN_SHEET,
            template::OPEN_TITLE,
            &open,
            template::OPEN_FIRST_DATA_ROW,
        ),
        (
            template::CLOSED_SHEET,
            template::OTHER_TITLE,
            &closed,
            template::OTHER_FIRST_DATA_ROW,
        ),
        (
            template::CONFIGURATION_SHEET,
            template::OTHER_TITLE,
            &[],
            template::OTHER_FIRST_DATA_ROW,
        ),
    ];
    for (name, title, items, first_row) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        write_layout(sheet, &formats, title, block, name == template::OPEN_SHEET)?;
        for (offset, view) in items.iter().enumerate() {
            let row = first_row
                + u32::try_from(offset)
                    .map_err(|_| ExportError("too many items for one sheet".into()))?;
            write_item(sheet, &formats, row, view, profile)?;
        }
        let rows = u32::try_from(items.len()).unwrap_or(u32::MAX);
        let last_row = (first_row.saturating_add(rows)).max(VALIDATED_ROWS - 1);
        add_validations(sheet, first_row, last_row)?;
    }
    write_changes(workbook.add_worksheet(), &formats)?;
    workbook.save_to_buffer().map_err(xlsx_error)
}

/// Title, header block, column headers (and on the Open sheet the description and hint rows).
fn write_layout(
    sheet: &mut Worksheet,
    formats: &Formats,
    title: &str,
    block: &HeaderBlock,
    open_sheet: bool,
) -> Result<(), ExportError> {
    sheet
        .merge_range(
            template::TITLE_ROW,
            0,
            template::TITLE_ROW,
            4,
            title,
            &formats.title,
        )
        .map_err(xlsx_error)?;
    sheet
        .set_row_height(template::TITLE_ROW, 23)
        .map_err(xlsx_error)?;
    for (column, label) in (0u16..).zip(template::BLOCK_LABELS) {
        sheet
            .write_string_with_format(template::BLOCK_LABEL_ROW, column, label, &formats.label)
            .map_err(xlsx_error)?;
    }
    let values = [&block.csp, &block.system_name, &block.impact];
    for (column, value) in (0u16..).zip(values) {
        sheet
            .write_string_with_format(template::BLOCK_VALUE_ROW, column, value, &formats.value)
            .map_err(xlsx_error)?;
    }
    sheet
        .write_datetime_with_format(
            template::BLOCK_VALUE_ROW,
            3,
            excel_date(block.poam_date)?,
            &formats.value_date,
        )
        .map_err(xlsx_error)?;
    // The profile, beside the template's block, when the sheet is not the Rev5 template's own.
    if let Some(marker) = &block.marker {
        sheet
            .write_string_with_format(
                template::BLOCK_LABEL_ROW,
                PROFILE_COLUMN,
                PROFILE_LABEL,
                &formats.label,
            )
            .map_err(xlsx_error)?;
        sheet
            .write_string_with_format(
                template::BLOCK_VALUE_ROW,
                PROFILE_COLUMN,
                &marker.label,
                &formats.value,
            )
            .map_err(xlsx_error)?;
    }
    let impact = DataValidation::new()
        .allow_list_strings(&["Low", "Moderate", "High"])
        .map_err(xlsx_error)?;
    sheet
        .add_data_validation(
            template::BLOCK_VALUE_ROW,
            2,
            template::BLOCK_VALUE_ROW,
            2,
            &impact,
        )
        .map_err(xlsx_error)?;

    for (column, spec) in (0u16..).zip(COLUMNS.iter()) {
        sheet
            .set_column_width(column, spec.width)
            .map_err(xlsx_error)?;
        sheet
            .write_string_with_format(template::HEADER_ROW, column, spec.header, &formats.header)
            .map_err(xlsx_error)?;
        if open_sheet {
            let description = match &block.marker {
                Some(marker) if usize::from(column) == col::DUE => marker.scheduled_completion,
                _ => spec.description,
            };
            sheet
                .write_string_with_format(
                    template::DESCRIPTION_ROW,
                    column,
                    description,
                    &formats.description,
                )
                .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(template::HINT_ROW, column, spec.hint, &formats.hint)
                .map_err(xlsx_error)?;
        }
    }
    sheet
        .set_row_height(template::HEADER_ROW, 42)
        .map_err(xlsx_error)?;
    if open_sheet {
        sheet
            .set_row_height(template::DESCRIPTION_ROW, 224)
            .map_err(xlsx_error)?;
        sheet
            .set_row_height(template::HINT_ROW, 56)
            .map_err(xlsx_error)?;
    }
    sheet
        .set_freeze_panes(template::HEADER_ROW + 1, 0)
        .map_err(xlsx_error)?;
    Ok(())
}

fn write_item(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    view: &ItemView,
    profile: &dyn SystemProfile,
) -> Result<(), ExportError> {
    for (column, cell) in (0u16..).zip(item_cells(view, profile)) {
        match cell {
            Cell::Empty => {}
            Cell::Text(text) => {
                if text.chars().count() > MAX_CELL_CHARS {
                    return Err(ExportError(format!(
                        "item `{}`: `{}` has more than {MAX_CELL_CHARS} characters, Excel's limit for a cell",
                        view.id.as_deref().unwrap_or(&view.path),
                        COLUMNS[usize::from(column)].header,
                    )));
                }
                sheet
                    .write_string_with_format(row, column, text, &formats.text)
                    .map_err(xlsx_error)?;
            }
            Cell::Date(date) => {
                sheet
                    .write_datetime_with_format(row, column, excel_date(date)?, &formats.date)
                    .map_err(xlsx_error)?;
            }
            Cell::Number(number) => {
                sheet
                    .write_number_with_format(row, column, number, &formats.text)
                    .map_err(xlsx_error)?;
            }
        }
    }
    Ok(())
}

/// The template's list validations on the data rows: ratings and Yes/No(/Pending) answers.
fn add_validations(sheet: &mut Worksheet, first: u32, last: u32) -> Result<(), ExportError> {
    let list = |values: &[&str], prompt: &str| {
        DataValidation::new()
            .allow_list_strings(values)
            .and_then(|v| v.set_input_message(prompt))
            .map_err(xlsx_error)
    };
    let column = |c: usize| u16::try_from(c).unwrap_or(u16::MAX);
    let rules = [
        (
            col::RISK,
            col::RISK,
            list(&["Low", "Moderate", "High"], "Low, Moderate, High")?,
        ),
        (
            col::ADJUSTED_RISK,
            col::ADJUSTED_RISK,
            list(
                &["Low", "Moderate", "High", "N/A"],
                "Low, Moderate, High, N/A",
            )?,
        ),
        (
            col::VENDOR_DEPENDENCY,
            col::VENDOR_DEPENDENCY,
            list(&["Yes", "No"], "Yes, No")?,
        ),
        (
            col::RISK_ADJUSTMENT,
            col::OPERATIONAL_REQUIREMENT,
            list(&["Yes", "No", "Pending"], "Yes, No, Pending")?,
        ),
    ];
    for (from, to, rule) in rules {
        sheet
            .add_data_validation(first, column(from), last, column(to), &rule)
            .map_err(xlsx_error)?;
    }
    Ok(())
}

/// The Record of Changes sheet as the template has it (the template's own versions).
fn write_changes(sheet: &mut Worksheet, formats: &Formats) -> Result<(), ExportError> {
    sheet
        .set_name(template::CHANGES_SHEET)
        .map_err(xlsx_error)?;
    sheet.set_column_width(0, 3.3).map_err(xlsx_error)?;
    sheet.set_column_width(1, 14).map_err(xlsx_error)?;
    sheet.set_column_width(2, 80).map_err(xlsx_error)?;
    sheet.set_column_width(3, 10).map_err(xlsx_error)?;
    sheet.set_column_width(4, 16).map_err(xlsx_error)?;
    sheet
        .merge_range(1, 1, 1, 4, template::CHANGES_TITLE, &formats.title)
        .map_err(xlsx_error)?;
    for (column, heading) in (1u16..).zip(template::CHANGES_HEADINGS) {
        sheet
            .write_string_with_format(2, column, heading, &formats.label)
            .map_err(xlsx_error)?;
    }
    for (row, (date, description, version, author)) in (3u32..).zip(template::TEMPLATE_CHANGES) {
        let date = crate::model::item::parse_date(date)
            .ok_or_else(|| ExportError(format!("bad template date {date}")))?;
        sheet
            .write_datetime_with_format(row, 1, excel_date(date)?, &formats.value_date)
            .map_err(xlsx_error)?;
        sheet
            .write_string_with_format(row, 2, description, &formats.text)
            .map_err(xlsx_error)?;
        sheet
            .write_number_with_format(row, 3, version, &formats.value)
            .map_err(xlsx_error)?;
        sheet
            .write_string_with_format(row, 4, author, &formats.value)
            .map_err(xlsx_error)?;
    }
    Ok(())
}
