//! `poam inventory import`: a filled FedRAMP Integrated Inventory Workbook (IIW) becomes
//! inventory assets.
//!
//! The sheet is `Inventory` (else the first sheet with the header row). The header row is found
//! by its text (`UNIQUE ASSET IDENTIFIER` and at least four more of the 25 headers, compared
//! without case and whitespace, so the line break in `VLAN/ Network ID` and the trailing space
//! of `End-of-Life ` do not matter), in the template's layout or the submitted one (column A and
//! the guidance rows deleted). The template's guidance and example rows are skipped: a row with
//! text left of the UNIQUE ASSET IDENTIFIER column (the template's column A: `GUIDANCE`,
//! `Valid Values`, `... Example`), or whose identifier is the guidance's own text. Each other
//! row with data is one asset; every problem is reported by sheet, row and column and the cell
//! left out. Yes/No cells become `true`/`false`; dates (Excel dates, `m/d/yyyy`, `YYYY-MM-DD`)
//! `YYYY-MM-DD`; several addresses in one cell (Alt+Enter) a list. For a container (Asset Type
//! says so) the `sha256:` digests of the IP column become `aliases`, as the IIW's container rule
//! puts them there.

use std::path::Path;

use calamine::{Data, Reader};

use super::xlsx::{
    cell_text, column_letter, normalized, open_workbook, read_cells, serial_date, text_date,
    ImportError, RowProblem, Sheet,
};
use crate::edit::NewValue;
use crate::inventory::{Shape, FIELDS};

/// The sheet the template keeps the inventory on.
const SHEET: &str = "Inventory";
/// How far down a sheet the header row is looked for.
const HEADER_SEARCH_ROWS: u32 = 50;
/// The template's own text in the UNIQUE ASSET IDENTIFIER column of its guidance rows 3-5.
const GUIDANCE: [&str; 3] = [
    "unique identifier associated with the asset",
    "must be unique.",
    "mandatory for all inventory records.",
];

/// One asset read from a row: its fields in the template's column order.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedAsset {
    /// The Excel row number (1-based).
    pub row: u32,
    pub id: String,
    pub fields: Vec<(String, NewValue)>,
}

/// Everything read from a workbook.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportedInventory {
    pub sheet: String,
    pub assets: Vec<ImportedAsset>,
    pub problems: Vec<RowProblem>,
}

/// Reads the inventory sheet of the workbook at `path`.
pub fn read(path: &Path) -> Result<ImportedInventory, ImportError> {
    let mut workbook = open_workbook(
        path,
        "poam reads the Integrated Inventory Workbook as an `.xlsx` workbook",
    )?;
    let mut names = workbook.sheet_names();
    // The template's sheet first, then the others in workbook order.
    names.sort_by_key(|n| normalized(n) != normalized(SHEET));
    for name in &names {
        let cells = read_cells(&mut workbook, name).map_err(|message| ImportError::TooLarge {
            path: path.to_path_buf(),
            message,
        })?;
        if let Some(header) = find_header(&cells) {
            return Ok(read_sheet(&cells, &header, name));
        }
    }
    Err(ImportError::Open {
        path: path.to_path_buf(),
        message: format!(
            "no sheet has the Integrated Inventory Workbook's header row (`UNIQUE ASSET IDENTIFIER`, `IPv4 or IPv6 Address`, …); sheets found: {}",
            workbook.sheet_names().join(", ")
        ),
    })
}

/// The header row and the absolute column of each of the 25 fields.
struct Header {
    row: u32,
    columns: Vec<Option<u32>>,
}

fn find_header(sheet: &Sheet) -> Option<Header> {
    let start = *sheet.rows.keys().next()?;
    let wanted: Vec<String> = FIELDS.iter().map(|f| normalized(f.header)).collect();
    for (&row, cells) in sheet
        .rows
        .range(start..=start.saturating_add(HEADER_SEARCH_ROWS))
    {
        let mut columns = vec![None; FIELDS.len()];
        for (&column, value) in cells {
            let Data::String(text) = value else {
                continue;
            };
            if let Some(index) = wanted.iter().position(|w| *w == normalized(text)) {
                columns[index].get_or_insert(column);
            }
        }
        if columns[0].is_some() && columns.iter().flatten().count() >= 5 {
            return Some(Header { row, columns });
        }
    }
    None
}

fn read_sheet(cells: &Sheet, header: &Header, sheet: &str) -> ImportedInventory {
    let mut imported = ImportedInventory {
        sheet: sheet.to_owned(),
        ..ImportedInventory::default()
    };
    let id_column = header.columns[0].unwrap_or(0);
    let mut seen = std::collections::HashMap::new();
    for (&row, values) in cells.rows.range(header.row + 1..) {
        // The template's column A labels its guidance and example rows.
        if values
            .iter()
            .any(|(&column, value)| column < id_column && !is_blank(value))
        {
            continue;
        }
        let mut reader = RowReader {
            cells,
            header,
            sheet,
            row,
            problems: Vec::new(),
        };
        let id = reader.text(0);
        let Some(id) = id else {
            let has_data = header
                .columns
                .iter()
                .flatten()
                .any(|&c| cells.get(row, c).is_some_and(|v| !is_blank(v)));
            if has_data {
                reader.problem(0, "the row has data but no UNIQUE ASSET IDENTIFIER".into());
            }
            imported.problems.extend(reader.problems);
            continue;
        };
        if GUIDANCE.iter().any(|g| id.to_lowercase().starts_with(g)) {
            continue;
        }
        if let Some(first) = seen.get(&id) {
            reader.problem(
                0,
                format!("`{id}` is also the identifier of row {first}; only the first is imported"),
            );
            imported.problems.extend(reader.problems);
            continue;
        }
        seen.insert(id.clone(), row + 1);
        let asset = reader.asset(id);
        imported.problems.extend(reader.problems);
        imported.assets.push(asset);
    }
    imported
}

fn is_blank(value: &Data) -> bool {
    match value {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

struct RowReader<'r> {
    cells: &'r Sheet,
    header: &'r Header,
    sheet: &'r str,
    row: u32,
    problems: Vec<RowProblem>,
}

impl RowReader<'_> {
    fn cell(&self, field: usize) -> Option<&Data> {
        let column = self.header.columns[field]?;
        self.cells
            .rows
            .get(&self.row)?
            .get(&column)
            .filter(|v| !is_blank(v))
    }

    fn problem(&mut self, field: usize, reason: String) {
        let letter = self.header.columns[field].map_or_else(String::new, column_letter);
        self.problems.push(RowProblem {
            sheet: self.sheet.to_owned(),
            row: self.row + 1,
            column: Some((letter, FIELDS[field].header.trim())),
            reason,
        });
    }

    /// The cell as trimmed text with LF line breaks; `None` when blank or an Excel error.
    fn text(&mut self, field: usize) -> Option<String> {
        let text = cell_text(self.cell(field)?, ["Yes", "No"]);
        text.unwrap_or_else(|reason| {
            self.problem(field, reason);
            None
        })
    }

    fn asset(&mut self, id: String) -> ImportedAsset {
        let mut fields = vec![("id".to_owned(), NewValue::Str(id.clone()))];
        let container = self
            .text(
                FIELDS
                    .iter()
                    .position(|f| f.key == "asset_type")
                    .unwrap_or(0),
            )
            .is_some_and(|t| t.to_lowercase().contains("container"));
        let mut aliases = Vec::new();
        for (index, field) in FIELDS.iter().enumerate().skip(1) {
            let value = match field.shape {
                Shape::Text => self.text(index).map(NewValue::Str),
                Shape::YesNo => self.yes_no(index),
                Shape::Date => self.date(index),
                Shape::List => self.text(index).and_then(|text| {
                    let mut lines: Vec<String> = text
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if container && field.key == "ip" {
                        let (digests, addresses): (Vec<String>, Vec<String>) =
                            lines.into_iter().partition(|l| l.starts_with("sha256:"));
                        aliases.extend(digests);
                        lines = addresses;
                    }
                    match lines.len() {
                        0 => None,
                        1 => lines.pop().map(NewValue::Str),
                        _ => Some(NewValue::List(
                            lines.into_iter().map(NewValue::Str).collect(),
                        )),
                    }
                }),
            };
            if let Some(value) = value {
                fields.push((field.key.to_owned(), value));
            }
            if field.key == "ip" && !aliases.is_empty() {
                fields.push((
                    "aliases".to_owned(),
                    NewValue::List(aliases.drain(..).map(NewValue::Str).collect()),
                ));
            }
        }
        ImportedAsset {
            row: self.row + 1,
            id,
            fields,
        }
    }

    fn yes_no(&mut self, field: usize) -> Option<NewValue> {
        if let Some(Data::Bool(yes)) = self.cell(field) {
            return Some(NewValue::Bool(*yes));
        }
        let text = self.text(field)?;
        match text.to_lowercase().trim_end_matches('.') {
            "yes" | "y" | "true" => Some(NewValue::Bool(true)),
            "no" | "n" | "false" => Some(NewValue::Bool(false)),
            _ => {
                self.problem(field, format!("`{text}` is not Yes or No"));
                None
            }
        }
    }

    fn date(&mut self, field: usize) -> Option<NewValue> {
        let date = match self.cell(field)? {
            Data::DateTime(d) => serial_date(d.as_f64()),
            Data::Float(f) => serial_date(*f),
            Data::Int(i) => i32::try_from(*i)
                .ok()
                .and_then(|i| serial_date(f64::from(i))),
            _ => None,
        };
        if let Some(date) = date {
            return Some(NewValue::Date(date));
        }
        let text = self.text(field)?;
        match text_date(&text) {
            Some(date) => Some(NewValue::Date(date)),
            None => {
                self.problem(
                    field,
                    format!("`{text}` is not a date (write m/d/yyyy, YYYY-MM-DD or an Excel date)"),
                );
                None
            }
        }
    }
}
