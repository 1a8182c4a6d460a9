//! `poam import xlsx`: a filled FedRAMP POA&M template back into item fields.
//!
//! Reads the Open and Closed sheets. The header row is found by its text, so inserted columns,
//! shifted rows and extra sheets do no harm; the template's description, hint and example rows
//! are skipped (the example only imports when asked). Each cell is converted to the item
//! format: dates from Excel serial numbers or text, milestone and milestone-change blocks from
//! their text formats, Yes/No/Pending back to deviation states, one asset or service per line,
//! ratings in any case with Critical accepted. A row with a cell that cannot be converted is
//! reported with its sheet, row, column and reason, and the other rows still import.
//!
//! This module only reads: it returns the fields of each item in the item format's key order;
//! writing files is the command's job, through the item editor.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Reader};
use chrono::NaiveDate;

use crate::edit::NewValue;
use crate::fedramp_template::{self as template, col, CLOSURE_EVIDENCE, COLUMNS, COLUMN_COUNT};
use crate::model::item::{is_valid_cve, is_valid_item_id, normalize_control, parse_date};

/// The fields of one item, in the item format's key order.
pub type Fields = Vec<(String, NewValue)>;

#[derive(Clone, Copy, Debug, Default)]
pub struct ImportOptions {
    /// Import the template's own example row (`V-1Example`, Open sheet row 8).
    pub include_example: bool,
}

/// One row that converted.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedRow {
    pub sheet: &'static str,
    /// The Excel row number (1-based).
    pub row: u32,
    pub id: String,
    pub fields: Fields,
}

/// Why a row was not imported, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub sheet: String,
    /// The Excel row number (1-based).
    pub row: u32,
    /// The column letter as it stands in the file, and the template header it carries.
    pub column: Option<(String, &'static str)>,
    pub reason: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}, row {}", self.sheet, self.row)?;
        if let Some((letter, header)) = &self.column {
            write!(f, ", column {letter} ({header})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// Everything read from a workbook.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Imported {
    pub rows: Vec<ImportedRow>,
    pub problems: Vec<RowProblem>,
}

/// The workbook cannot be read at all (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read `{}`: {message}", path.display())]
    Open { path: PathBuf, message: String },
    /// The workbook holds more than the template can: the import refuses it before it costs
    /// memory.
    #[error("`{}` is not a workbook poam imports: {message}", path.display())]
    TooLarge { path: PathBuf, message: String },
    #[error("`{}` has neither an `{}` nor a `{}` sheet with the template's header row (`POAM ID`, `Weakness Name`, …); sheets found: {}", path.display(), template::OPEN_SHEET, template::CLOSED_SHEET, sheets.join(", "))]
    NotATemplate { path: PathBuf, sheets: Vec<String> },
}

/// The longest POAM ID imported: its file `<id>.yaml` must fit the file system's limit on a
/// name (255 bytes on most), with room to spare for file systems that allow less.
pub const MAX_ID_BYTES: usize = 200;

/// The file an imported item is written to: `<id>.yaml`, as `poam` names new items.
pub fn item_file_name(id: &str) -> String {
    format!("{id}.yaml")
}

/// The columns a template sheet can use: its 31 (A..AE) with room for many inserted ones. A
/// filled cell further right (up to XFD, column 16,384) is refused: it would take nothing the
/// import reads, and calamine's dense ranges would take memory for every empty cell before it.
pub const MAX_COLUMNS: u32 = 1024;
/// The filled cells a sheet may hold, about 60,000 rows of the template's 31 columns: each
/// costs memory (~100 bytes with its text) before any row is converted, and a small compressed
/// file can declare millions.
pub const MAX_CELLS: usize = 2_000_000;

/// The filled cells of one sheet by absolute row and column: only what the file holds, never
/// a grid of its bounding box (one cell at XFD1048576 makes that grid 549 GB).
#[derive(Default)]
pub(crate) struct Sheet {
    pub(crate) rows: BTreeMap<u32, BTreeMap<u32, Data>>,
}

impl Sheet {
    pub(crate) fn get(&self, row: u32, column: u32) -> Option<&Data> {
        self.rows.get(&row)?.get(&column)
    }
}

/// The cells of sheet `name`, read one at a time from the file (calamine's cell reader, which
/// builds no range), refused past [`MAX_COLUMNS`] or [`MAX_CELLS`].
pub(crate) fn read_cells<RS: std::io::Read + std::io::Seek>(
    workbook: &mut calamine::Xlsx<RS>,
    name: &str,
) -> Result<Sheet, String> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|e| e.to_string())?;
    let mut sheet = Sheet::default();
    let mut count = 0usize;
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        if column >= MAX_COLUMNS {
            return Err(format!(
                "sheet `{name}` has a filled cell at {}{}, beyond column {} ({MAX_COLUMNS} columns); the template has {COLUMN_COUNT} (A..AE): clear the cells right of the template's columns",
                column_letter(column),
                u64::from(row) + 1,
                column_letter(MAX_COLUMNS - 1),
            ));
        }
        count += 1;
        if count > MAX_CELLS {
            return Err(format!(
                "sheet `{name}` has more than {MAX_CELLS} filled cells; split the workbook"
            ));
        }
        sheet
            .rows
            .entry(row)
            .or_default()
            .insert(column, cell.get_value().clone().into());
    }
    Ok(sheet)
}

/// The most one part of a workbook (a sheet, the shared strings) may unpack to. calamine
/// holds the shared strings in memory whole, at about three times their size: a 2 MB workbook
/// whose strings unpack to 1.5 GB took 4.6 GB. A template of 60,000 rows is far below this.
pub const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Opens the `.xlsx` workbook at `path` for calamine, refusing one with a part that unpacks to
/// more than [`MAX_PART_BYTES`]; `hint` follows calamine's own error (what poam reads).
pub(crate) fn open_workbook(
    path: &Path,
    hint: &str,
) -> Result<calamine::Xlsx<std::io::BufReader<std::fs::File>>, ImportError> {
    let file = std::fs::File::open(path).map_err(|e| ImportError::Open {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    open_checked(std::io::BufReader::new(file), path, hint)
}

/// [`open_workbook`] of a reader. Only the OOXML workbook: calamine reads every sheet of an
/// `.xls` or `.ods` whole when it opens one, as dense ranges, which a hostile file can make as
/// large as it likes.
fn open_checked<RS: std::io::Read + std::io::Seek>(
    mut reader: RS,
    path: &Path,
    hint: &str,
) -> Result<calamine::Xlsx<RS>, ImportError> {
    let open_error = |message: String| ImportError::Open {
        path: path.to_path_buf(),
        message: format!("{message} ({hint})"),
    };
    {
        // The zip reader stops at each part's declared size, so the declared sizes bound what
        // calamine can unpack.
        let mut archive =
            zip::ZipArchive::new(&mut reader).map_err(|e| open_error(e.to_string()))?;
        for index in 0..archive.len() {
            let part = archive
                .by_index_raw(index)
                .map_err(|e| open_error(e.to_string()))?;
            if part.size() > MAX_PART_BYTES {
                return Err(ImportError::TooLarge {
                    path: path.to_path_buf(),
                    message: format!(
                        "its part `{}` unpacks to {} bytes; a part may hold at most {MAX_PART_BYTES}",
                        String::from_utf8_lossy(part.name_raw()),
                        part.size()
                    ),
                });
            }
        }
    }
    reader
        .seek(std::io::SeekFrom::Start(0))
        .map_err(|e| open_error(e.to_string()))?;
    calamine::Xlsx::new(reader).map_err(|e| open_error(e.to_string()))
}

/// Reads the Open and Closed sheets of the workbook at `path` (`.xlsx`, as the template is).
pub fn read(path: &Path, options: ImportOptions) -> Result<Imported, ImportError> {
    let workbook = open_workbook(
        path,
        "poam reads the template as an `.xlsx` workbook; save other formats as `.xlsx`",
    )?;
    read_workbook(workbook, path, options)
}

/// Like [`read`], from the bytes of a workbook (`path` names it in errors).
pub fn read_bytes(
    bytes: &[u8],
    path: &Path,
    options: ImportOptions,
) -> Result<Imported, ImportError> {
    let workbook = open_checked(
        std::io::Cursor::new(bytes),
        path,
        "poam reads the template as an `.xlsx` workbook",
    )?;
    read_workbook(workbook, path, options)
}

fn read_workbook<RS: std::io::Read + std::io::Seek>(
    mut workbook: calamine::Xlsx<RS>,
    path: &Path,
    options: ImportOptions,
) -> Result<Imported, ImportError> {
    let names = workbook.sheet_names();
    let mut imported = Imported::default();
    let mut found_header = false;
    for (sheet, closed) in [
        (template::OPEN_SHEET, false),
        (template::CLOSED_SHEET, true),
    ] {
        let Some(name) = names.iter().find(|n| same_text(n, sheet)) else {
            continue;
        };
        let cells = read_cells(&mut workbook, name).map_err(|message| ImportError::TooLarge {
            path: path.to_path_buf(),
            message,
        })?;
        let Some(header) = find_header(&cells) else {
            continue;
        };
        found_header = true;
        read_sheet(&cells, &header, sheet, closed, options, &mut imported);
    }
    if !found_header {
        return Err(ImportError::NotATemplate {
            path: path.to_path_buf(),
            sheets: names,
        });
    }
    Ok(imported)
}

/// Where the header row is and which absolute column holds each template column.
struct Header {
    row: u32,
    columns: [Option<u32>; COLUMN_COUNT],
}

pub(crate) fn normalized(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn same_text(a: &str, b: &str) -> bool {
    normalized(a) == normalized(b)
}

/// How far down a sheet the header row is looked for.
const HEADER_SEARCH_ROWS: u32 = 50;

fn find_header(sheet: &Sheet) -> Option<Header> {
    let start_row = *sheet.rows.keys().next()?;
    let wanted: Vec<String> = COLUMNS.iter().map(|c| normalized(c.header)).collect();
    for (&row, cells) in sheet
        .rows
        .range(start_row..=start_row.saturating_add(HEADER_SEARCH_ROWS))
    {
        let mut columns = [None; COLUMN_COUNT];
        for (&column, value) in cells {
            let Data::String(text) = value else {
                continue;
            };
            let text = normalized(text);
            if let Some(index) = wanted.iter().position(|w| *w == text) {
                columns[index].get_or_insert(column);
            }
        }
        let matched = columns.iter().filter(|c| c.is_some()).count();
        if columns[col::ID].is_some() && matched >= 5 {
            return Some(Header { row, columns });
        }
    }
    None
}

/// Excel column letters of a zero-based column number.
pub(crate) fn column_letter(mut column: u32) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(column % 26).unwrap_or(0)));
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// One sheet row being converted: reads cells by template column, collects problems.
struct RowReader<'r> {
    cells: &'r Sheet,
    header: &'r Header,
    sheet: &'static str,
    row: u32,
    problems: Vec<RowProblem>,
}

impl RowReader<'_> {
    fn cell(&self, column: usize) -> Option<&Data> {
        let absolute = self.header.columns[column]?;
        self.cells
            .get(self.row, absolute)
            .filter(|d| !matches!(d, Data::Empty))
    }

    fn problem(&mut self, column: usize, reason: String) {
        let letter = self.header.columns[column].map_or_else(String::new, column_letter);
        self.problems.push(RowProblem {
            sheet: self.sheet.to_owned(),
            row: self.row + 1,
            column: Some((letter, COLUMNS[column].header)),
            reason,
        });
    }

    /// The cell as text, `None` when blank. Numbers print without a trailing `.0`.
    fn text(&mut self, column: usize) -> Option<String> {
        let text = cell_text(self.cell(column)?, ["TRUE", "FALSE"]);
        text.unwrap_or_else(|reason| {
            self.problem(column, reason);
            None
        })
    }

    /// Text as one line (titles are single-line in the item format).
    fn line(&mut self, column: usize) -> Option<String> {
        self.text(column).map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    fn date(&mut self, column: usize) -> Option<NaiveDate> {
        let value = match self.cell(column)? {
            Data::DateTime(d) if d.is_datetime() => {
                let (year, month, day, ..) = d.to_ymd_hms_milli();
                NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
            }
            Data::DateTime(d) => serial_date(d.as_f64()),
            Data::Float(f) => serial_date(*f),
            Data::Int(i) => i32::try_from(*i)
                .ok()
                .and_then(|i| serial_date(f64::from(i))),
            Data::String(s) | Data::DateTimeIso(s) => {
                let s = s.trim();
                if s.is_empty() {
                    return None;
                }
                text_date(s)
            }
            _ => None,
        };
        if value.is_none() {
            let shown = self.text(column).unwrap_or_default();
            self.problem(
                column,
                format!("`{shown}` is not a date (write YYYY-MM-DD, MM/DD/YYYY or an Excel date)"),
            );
        }
        value
    }

    /// Low/Moderate/High (and Critical), any case.
    fn rating(&mut self, column: usize, allow_na: bool) -> Option<&'static str> {
        let text = self.text(column)?;
        let lower = text.to_lowercase();
        match lower.as_str() {
            "low" => Some("low"),
            "moderate" | "medium" => Some("moderate"),
            "high" => Some("high"),
            "critical" => Some("critical"),
            "n/a" | "na" | "none" if allow_na => None,
            _ => {
                let allowed = if allow_na {
                    "Low, Moderate, High, Critical or N/A"
                } else {
                    "Low, Moderate, High or Critical"
                };
                self.problem(column, format!("`{text}` is not a rating ({allowed})"));
                None
            }
        }
    }

    fn answer(&mut self, column: usize, allow_pending: bool) -> Option<Answer> {
        let text = self.text(column)?;
        match text.to_lowercase().as_str() {
            "yes" | "y" | "true" => Some(Answer::Yes),
            "no" | "n" | "false" => Some(Answer::No),
            "pending" if allow_pending => Some(Answer::Pending),
            _ => {
                let allowed = if allow_pending {
                    "Yes, No or Pending"
                } else {
                    "Yes or No"
                };
                self.problem(column, format!("`{text}` is not {allowed}"));
                None
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Yes,
    No,
    Pending,
}

/// A cell as trimmed text with LF line breaks, `None` when blank; numbers print without a
/// trailing `.0`, booleans as `booleans` (true, false). An Excel error is `Err` with the reason.
pub(crate) fn cell_text(cell: &Data, booleans: [&str; 2]) -> Result<Option<String>, String> {
    let text = match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::Bool(b) => booleans[usize::from(!*b)].to_owned(),
        Data::Error(e) => return Err(format!("the cell holds the Excel error {e}")),
        Data::Empty => return Ok(None),
    };
    // Excel writes line breaks as CR LF in some files; POA&M and inventory files want LF.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let trimmed = text.trim();
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
}

pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// An Excel serial date (1900 system): day 1 is 1900-01-01 and Excel counts a 29 February
/// 1900 that never was, so serials from 61 on count from 1899-12-30. Times are dropped.
pub fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Truncation is the point: the fraction is the time of day.
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.floor() as i64;
    let epoch = if days >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)
    }?;
    epoch.checked_add_signed(chrono::Duration::days(days))
}

/// Dates as the template accepts them in text: `YYYY-MM-DD`, `YYYY/MM/DD`, `MM/DD/YYYY`,
/// `MM-DD-YYYY` and `MM/DD/YY` (20YY), optionally followed by a time.
pub fn text_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    if let Some(date) = parse_date(date_part) {
        return Some(date);
    }
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (number(a)?, number(b)?, number(c)?);
    let (year, month, day) = if a.len() == 4 {
        (a_n, b_n, c_n)
    } else if c.len() == 4 {
        (c_n, a_n, b_n)
    } else if c.len() == 2 {
        (2000 + c_n, a_n, b_n)
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Blocks that start with `(n)` at the start of a line; continuation lines belong to the
/// block above. Text before the first block is an error.
fn numbered_blocks(text: &str) -> Result<Vec<(u32, String)>, String> {
    let mut blocks: Vec<(u32, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let number = trimmed
            .strip_prefix('(')
            .and_then(|rest| rest.split_once(')'))
            .and_then(|(n, rest)| Some((n.trim().parse::<u32>().ok()?, rest)));
        match (number, blocks.last_mut()) {
            (Some((n, rest)), _) => blocks.push((n, rest.trim().to_owned())),
            (None, Some((_, body))) => {
                if !body.is_empty() {
                    body.push(' ');
                }
                body.push_str(trimmed);
            }
            (None, None) => {
                return Err(format!(
                    "`{trimmed}` does not start with a milestone number `(n)`"
                ))
            }
        }
    }
    Ok(blocks)
}

/// `(n) YYYY-MM-DD: description` blocks.
pub fn parse_milestones(text: &str) -> Result<Vec<Fields>, String> {
    let mut out = Vec::new();
    for (id, body) in numbered_blocks(text)? {
        let (date_text, description) = body.split_once(':').unwrap_or((body.as_str(), ""));
        let date = text_date(date_text).ok_or_else(|| {
            format!(
                "milestone ({id}): `{}` is not a date; write `({id}) YYYY-MM-DD: description`",
                date_text.trim()
            )
        })?;
        let mut fields = vec![
            ("id".to_owned(), NewValue::Int(i64::from(id))),
            ("date".to_owned(), NewValue::Date(date)),
        ];
        let description = description.trim();
        if !description.is_empty() {
            fields.push((
                "description".to_owned(),
                NewValue::Str(description.to_owned()),
            ));
        }
        out.push(fields);
    }
    Ok(out)
}

/// `(n) New|Update|Complete YYYY-MM-DD : description` blocks.
pub fn parse_milestone_changes(text: &str) -> Result<Vec<Fields>, String> {
    let mut out = Vec::new();
    for (id, body) in numbered_blocks(text)? {
        let (head, description) = body.split_once(':').unwrap_or((body.as_str(), ""));
        let mut words = head.split_whitespace();
        let kind = match words.next().map(str::to_lowercase).as_deref() {
            Some("new") => "new",
            Some("update") => "update",
            Some("complete" | "completed") => "complete",
            other => {
                return Err(format!(
                    "milestone change ({id}): `{}` is not New, Update or Complete",
                    other.unwrap_or("")
                ))
            }
        };
        let mut fields = vec![
            ("milestone".to_owned(), NewValue::Int(i64::from(id))),
            ("kind".to_owned(), NewValue::Str(kind.to_owned())),
        ];
        let rest: Vec<&str> = words.collect();
        if !rest.is_empty() {
            let date_text = rest.join(" ");
            let date = text_date(&date_text).ok_or_else(|| {
                format!("milestone change ({id}): `{date_text}` is not a date; write `({id}) {} YYYY-MM-DD : description`", capitalized(kind))
            })?;
            fields.push(("date".to_owned(), NewValue::Date(date)));
        }
        let description = description.trim();
        if !description.is_empty() {
            fields.push((
                "description".to_owned(),
                NewValue::Str(description.to_owned()),
            ));
        }
        out.push(fields);
    }
    Ok(out)
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Deviation Rationale: `Type : rationale` blocks; a line starting with a deviation type and
/// a colon starts a block, other lines continue the one above.
fn parse_rationales(text: &str) -> Result<[Option<String>; 3], String> {
    let kinds = [
        template::RISK_ADJUSTMENT,
        template::FALSE_POSITIVE,
        template::OPERATIONAL_REQUIREMENT,
    ];
    let mut out: [Option<String>; 3] = [None, None, None];
    let mut current: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        let start = kinds.iter().position(|k| {
            trimmed.len() > k.len()
                && trimmed.is_char_boundary(k.len())
                && trimmed[..k.len()].eq_ignore_ascii_case(k)
                && trimmed[k.len()..].trim_start().starts_with(':')
        });
        if let Some(index) = start {
            let rest = trimmed[kinds[index].len()..].trim_start();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
            out[index] = Some(rest.to_owned());
            current = Some(index);
        } else if trimmed.is_empty() {
            continue;
        } else if let Some(slot) = current.and_then(|i| out[i].as_mut()) {
            if !slot.is_empty() {
                slot.push('\n');
            }
            slot.push_str(trimmed);
        } else {
            return Err(format!(
                "`{trimmed}` names no deviation type; write `Risk Adjustment : …`, `False Positive : …` or `Operational Requirement : …`"
            ));
        }
    }
    Ok(out)
}

fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn strings(values: Vec<String>) -> NewValue {
    NewValue::List(values.into_iter().map(NewValue::Str).collect())
}

/// The template's description and hint texts of each column, normalized once per sheet.
struct TemplateTexts(Vec<[String; 2]>);

impl TemplateTexts {
    fn new() -> TemplateTexts {
        TemplateTexts(
            COLUMNS
                .iter()
                .map(|c| [normalized(c.description), normalized(c.hint)])
                .collect(),
        )
    }

    /// True when the row repeats the template's description or hint texts.
    fn in_row(&self, reader: &RowReader<'_>) -> bool {
        let mut matches = 0;
        for (index, texts) in self.0.iter().enumerate() {
            if let Some(Data::String(text)) = reader.cell(index) {
                if texts.contains(&normalized(text)) {
                    matches += 1;
                }
            }
        }
        matches >= 3
    }
}

fn read_sheet(
    cells: &Sheet,
    header: &Header,
    sheet: &'static str,
    closed: bool,
    options: ImportOptions,
    imported: &mut Imported,
) {
    let template_texts = TemplateTexts::new();
    // Only rows that hold a cell: the others are blank, and skipped anyway.
    for &row in cells
        .rows
        .range(header.row.saturating_add(1)..)
        .map(|(row, _)| row)
    {
        let mut reader = RowReader {
            cells,
            header,
            sheet,
            row,
            problems: Vec::new(),
        };
        let filled: Vec<usize> = (0..COLUMN_COUNT)
            .filter(|c| reader.cell(*c).is_some())
            .collect();
        // Blank rows, and the template's rows that hold only the Scheduled Completion formula.
        if filled.iter().all(|c| *c == col::DUE) {
            continue;
        }
        let id = reader.line(col::ID);
        // A row with a usable id is data; only others can be the template's own text rows.
        let usable_id = id.as_deref().is_some_and(is_valid_item_id);
        if !usable_id && template_texts.in_row(&reader) {
            continue;
        }
        if id.as_deref() == Some(template::EXAMPLE_ID) && !options.include_example {
            continue;
        }
        match convert_row(&mut reader, id, closed) {
            Some((id, fields)) if reader.problems.is_empty() => imported.rows.push(ImportedRow {
                sheet,
                row: row + 1,
                id,
                fields,
            }),
            _ => imported.problems.append(&mut reader.problems),
        }
    }
}

/// The fields of one row; problems go to the reader.
fn convert_row(
    r: &mut RowReader<'_>,
    id: Option<String>,
    closed: bool,
) -> Option<(String, Fields)> {
    let id = match id {
        Some(id) if id.len() > MAX_ID_BYTES => {
            let start: String = id.chars().take(20).collect();
            r.problem(
                col::ID,
                format!(
                    "`{start}…` is {} characters long; an item id names its file (`<id>.yaml`) and may be at most {MAX_ID_BYTES}",
                    id.len()
                ),
            );
            None
        }
        Some(id) if is_valid_item_id(&id) => Some(id),
        Some(id) => {
            r.problem(
                col::ID,
                format!(
                    "`{id}` is not a valid item id (letters, digits, `.`, `_`, `-`, e.g. `V-123`)"
                ),
            );
            None
        }
        None => {
            r.problem(col::ID, "the row has data but no POAM ID".to_owned());
            None
        }
    };
    let mut fields: Fields = Vec::new();
    let mut put = |key: &str, value: Option<NewValue>| {
        if let Some(value) = value {
            fields.push((key.to_owned(), value));
        }
    };
    put("id", id.clone().map(NewValue::Str));
    put("title", r.line(col::TITLE).map(NewValue::Str));
    put("description", r.text(col::DESCRIPTION).map(NewValue::Str));

    let controls = r.text(col::CONTROLS).map(|text| {
        let mut out = Vec::new();
        for control in split_list(&text, &[',', ';', '\n']) {
            match normalize_control(&control) {
                Some(c) => out.push(c),
                None => r.problem(
                    col::CONTROLS,
                    format!(
                        "`{control}` is not a NIST SP 800-53 control id (e.g. `AC-2`, `SI-2(1)`)"
                    ),
                ),
            }
        }
        out
    });
    put("controls", controls.filter(|c| !c.is_empty()).map(strings));
    put("detector", r.text(col::DETECTOR).map(NewValue::Str));
    put("detector_id", r.line(col::DETECTOR_ID).map(NewValue::Str));
    put(
        "assets",
        r.text(col::ASSETS)
            .map(|t| split_list(&t, &['\n']))
            .filter(|a| !a.is_empty())
            .map(strings),
    );
    put("owner", r.text(col::OWNER).map(NewValue::Str));
    put("resources", r.text(col::RESOURCES).map(NewValue::Str));
    put("remediation", r.text(col::REMEDIATION).map(NewValue::Str));
    put("detected", r.date(col::DETECTED).map(NewValue::Date));
    put("due", r.date(col::DUE).map(NewValue::Date));
    put(
        "risk",
        r.rating(col::RISK, false)
            .map(|s| NewValue::Str(s.to_owned())),
    );
    if let Some(text) = r.text(col::MILESTONES) {
        match parse_milestones(&text) {
            Ok(list) => put(
                "milestones",
                Some(NewValue::List(
                    list.into_iter().map(NewValue::Map).collect(),
                )),
            ),
            Err(reason) => r.problem(col::MILESTONES, reason),
        }
    }
    if let Some(text) = r.text(col::MILESTONE_CHANGES) {
        match parse_milestone_changes(&text) {
            Ok(list) => put(
                "milestone_changes",
                Some(NewValue::List(
                    list.into_iter().map(NewValue::Map).collect(),
                )),
            ),
            Err(reason) => r.problem(col::MILESTONE_CHANGES, reason),
        }
    }
    let status_date = r.date(col::STATUS_DATE);
    put(
        "status",
        Some(NewValue::Str(
            if closed { "closed" } else { "open" }.to_owned(),
        )),
    );
    // On the Closed sheet the Status Date is the closing date; it is kept as both.
    put("status_date", status_date.map(NewValue::Date));

    // Vendor dependency: Yes, or a check-in date or product given anyway.
    let vendor_answer = r.answer(col::VENDOR_DEPENDENCY, false);
    let product = r.text(col::VENDOR_PRODUCT);
    let checkin = r.date(col::VENDOR_CHECKIN);
    if vendor_answer == Some(Answer::Yes) || product.is_some() || checkin.is_some() {
        let mut vendor = Vec::new();
        if let Some(product) = product {
            vendor.push(("product".to_owned(), NewValue::Str(product)));
        }
        if let Some(date) = checkin {
            vendor.push(("last_checkin".to_owned(), NewValue::Date(date)));
        }
        put("vendor_dependency", Some(NewValue::Map(vendor)));
    }

    // Deviations.
    let rationales = match r
        .text(col::DEVIATION_RATIONALE)
        .map(|t| parse_rationales(&t))
    {
        Some(Ok(found)) => found,
        Some(Err(reason)) => {
            r.problem(col::DEVIATION_RATIONALE, reason);
            [None, None, None]
        }
        None => [None, None, None],
    };
    let [ra_rationale, fp_rationale, or_rationale] = rationales;
    let adjusted = r.rating(col::ADJUSTED_RISK, true);
    let auto_approved = r.answer(col::AUTO_APPROVE, false);
    let mut deviations = Vec::new();
    let ra_answer = r.answer(col::RISK_ADJUSTMENT, true);
    if matches!(ra_answer, Some(Answer::Yes | Answer::Pending))
        || adjusted.is_some()
        || ra_rationale.is_some()
        || auto_approved.is_some()
    {
        let mut ra = deviation_status(ra_answer);
        if let Some(risk) = adjusted {
            ra.push(("adjusted_risk".to_owned(), NewValue::Str(risk.to_owned())));
        }
        if let Some(text) = ra_rationale {
            ra.push(("rationale".to_owned(), NewValue::Str(text)));
        }
        if let Some(answer) = auto_approved {
            ra.push((
                "auto_approved".to_owned(),
                NewValue::Bool(answer == Answer::Yes),
            ));
        }
        deviations.push(("risk_adjustment".to_owned(), NewValue::Map(ra)));
    }
    for (key, column, rationale) in [
        ("false_positive", col::FALSE_POSITIVE, fp_rationale),
        (
            "operational_requirement",
            col::OPERATIONAL_REQUIREMENT,
            or_rationale,
        ),
    ] {
        let answer = r.answer(column, true);
        if matches!(answer, Some(Answer::Yes | Answer::Pending)) || rationale.is_some() {
            let mut deviation = deviation_status(answer);
            if let Some(text) = rationale {
                deviation.push(("rationale".to_owned(), NewValue::Str(text)));
            }
            deviations.push((key.to_owned(), NewValue::Map(deviation)));
        }
    }
    if !deviations.is_empty() {
        put("deviations", Some(NewValue::Map(deviations)));
    }

    // BOD 22-01: only the due date is kept; `Yes` without a date has nowhere to go.
    let _ = r.answer(col::KEV, false);
    put("kev_due", r.date(col::KEV_DUE).map(NewValue::Date));
    let cves = r.text(col::CVES).map(|text| {
        let mut out = Vec::new();
        for cve in split_list(&text, &[',', ';', '\n', ' ']) {
            let upper = cve.to_ascii_uppercase();
            if is_valid_cve(&upper) {
                out.push(upper);
            } else {
                r.problem(
                    col::CVES,
                    format!("`{cve}` is not a CVE id (e.g. `CVE-2021-44228`)"),
                );
            }
        }
        out
    });
    put("cves", cves.filter(|c| !c.is_empty()).map(strings));
    put(
        "services",
        r.text(col::SERVICES)
            .map(|t| split_list(&t, &['\n']))
            .filter(|s| !s.is_empty())
            .map(strings),
    );

    let mut evidence = None;
    let documents: Vec<NewValue> = r
        .text(col::DOCUMENTS)
        .map(|text| {
            split_list(&text, &['\n'])
                .into_iter()
                .filter_map(|line| {
                    let (kind, name) = match line.split_once(" : ").or_else(|| line.split_once(':'))
                    {
                        Some((kind, name)) => (Some(kind.trim()), name.trim()),
                        None => (None, line.as_str()),
                    };
                    if closed && kind.is_some_and(|k| same_text(k, CLOSURE_EVIDENCE)) {
                        evidence = Some(name.to_owned());
                        return None;
                    }
                    let mut document = Vec::new();
                    if let Some(kind) = kind.filter(|k| !k.is_empty()) {
                        document.push(("type".to_owned(), NewValue::Str(kind.to_owned())));
                    }
                    if !name.is_empty() {
                        document.push(("name".to_owned(), NewValue::Str(name.to_owned())));
                    }
                    Some(NewValue::Map(document))
                })
                .collect()
        })
        .unwrap_or_default();
    if !documents.is_empty() {
        put("documents", Some(NewValue::List(documents)));
    }
    put("comments", r.text(col::COMMENTS).map(NewValue::Str));
    if closed {
        let mut closing = Vec::new();
        if let Some(date) = status_date {
            closing.push(("date".to_owned(), NewValue::Date(date)));
        }
        if let Some(evidence) = evidence {
            closing.push(("evidence".to_owned(), NewValue::Str(evidence)));
        }
        put("closed", Some(NewValue::Map(closing)));
    }
    Some((id?, fields))
}

fn deviation_status(answer: Option<Answer>) -> Fields {
    let status = match answer {
        Some(Answer::Yes) => "approved",
        Some(Answer::Pending) => "pending",
        // The template's No is "denied or not requested": with a rationale or rating, denied.
        Some(Answer::No) => "rejected",
        None => return Vec::new(),
    };
    vec![("status".to_owned(), NewValue::Str(status.to_owned()))]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn serials_and_text_dates() {
        assert_eq!(serial_date(41764.0), Some(date(2014, 5, 5)));
        assert_eq!(serial_date(45168.75), Some(date(2023, 8, 30)));
        assert_eq!(serial_date(0.0), None);
        assert_eq!(text_date("2014/05/23"), Some(date(2014, 5, 23)));
        assert_eq!(text_date("05/23/2014"), Some(date(2014, 5, 23)));
        assert_eq!(text_date("5-23-14"), Some(date(2014, 5, 23)));
        assert_eq!(text_date("2014-06-12 00:00:00"), Some(date(2014, 6, 12)));
        assert_eq!(text_date("23.14"), None);
        assert_eq!(text_date("2014-02-30"), None);
    }

    #[test]
    fn milestone_blocks_of_the_template_example() {
        let text =
            "(1) 2014/05/23: Milestone Description\n\n(2) 2014-06-12: Milestone \nDescription";
        let parsed = parse_milestones(text).expect("parses");
        assert_eq!(parsed.len(), 2);
        assert_eq!(
            parsed[1],
            vec![
                ("id".to_owned(), NewValue::Int(2)),
                ("date".to_owned(), NewValue::Date(date(2014, 6, 12))),
                (
                    "description".to_owned(),
                    NewValue::Str("Milestone Description".to_owned())
                ),
            ]
        );
        assert!(parse_milestones("first do this").is_err());
        assert!(parse_milestones("(1) soon: do this").is_err());
    }

    #[test]
    fn milestone_change_blocks() {
        let text = "(2) Update 2014-06-18 : delayed\n\n(3) new 2014-06-13 : added";
        let parsed = parse_milestone_changes(text).expect("parses");
        assert_eq!(
            parsed[1][1],
            ("kind".to_owned(), NewValue::Str("new".to_owned()))
        );
        assert_eq!(
            parsed[0][2],
            ("date".to_owned(), NewValue::Date(date(2014, 6, 18)))
        );
        assert!(parse_milestone_changes("(2) Moved 2014-06-18 : x").is_err());
    }

    #[test]
    fn rationale_blocks() {
        let text = "Risk Adjustment : preliminary\n\nOperational Requirement: needed\nfor service";
        let [ra, fp, or] = parse_rationales(text).expect("parses");
        assert_eq!(ra.as_deref(), Some("preliminary"));
        assert_eq!(fp, None);
        assert_eq!(or.as_deref(), Some("needed\nfor service"));
        assert!(parse_rationales("just because").is_err());
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(30), "AE");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
