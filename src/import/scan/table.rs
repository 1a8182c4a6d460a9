//! What the CSV parsers (Tenable/Nessus, Qualys) share: rows read with the `csv` crate as
//! bytes (a stray non-UTF-8 byte spoils one cell, not the file), a header found by its text,
//! and columns looked up by name with known aliases.

use csv::{ByteRecord, Reader, ReaderBuilder};

use super::text::without_bom;
use super::ScanError;

/// Rows of a CSV file, each with the line it starts on.
pub struct Rows<'a> {
    file: &'a str,
    reader: Reader<&'a [u8]>,
    record: ByteRecord,
}

impl<'a> Rows<'a> {
    pub fn new(file: &'a str, bytes: &'a [u8]) -> Self {
        let reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(without_bom(bytes));
        Self {
            file,
            reader,
            record: ByteRecord::new(),
        }
    }

    /// The next row as text cells and its first line; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<(Vec<String>, u64)>, ScanError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let line = self.record.position().map_or(0, csv::Position::line);
                let cells = self
                    .record
                    .iter()
                    .map(|cell| String::from_utf8_lossy(cell).into_owned())
                    .collect();
                Ok(Some((cells, line)))
            }
            Err(err) => {
                let location = err
                    .position()
                    .map_or_else(|| "somewhere".to_owned(), |p| format!("line {}", p.line()));
                Err(ScanError::new(
                    self.file,
                    location,
                    format!("not readable as CSV: {err}"),
                ))
            }
        }
    }
}

/// Column positions by canonical name, found in a header row by any of their aliases
/// (compared trimmed and without case).
pub struct Columns {
    positions: Vec<Option<usize>>,
}

impl Columns {
    /// `wanted` lists, per canonical column, its aliases in order of preference.
    pub fn find(header: &[String], wanted: &[&[&str]]) -> Self {
        let positions = wanted
            .iter()
            .map(|aliases| {
                aliases.iter().find_map(|alias| {
                    header
                        .iter()
                        .position(|cell| cell.trim().eq_ignore_ascii_case(alias))
                })
            })
            .collect();
        Self { positions }
    }

    pub fn has(&self, column: usize) -> bool {
        self.positions.get(column).copied().flatten().is_some()
    }

    /// The trimmed cell of `column` in `row`; empty when the column or cell is missing.
    pub fn get<'r>(&self, row: &'r [String], column: usize) -> &'r str {
        self.positions
            .get(column)
            .copied()
            .flatten()
            .and_then(|at| row.get(at))
            .map_or("", |cell| cell.trim())
    }
}

/// Whether every cell of a row is blank (Tenable.sc pads its export with such rows).
pub fn is_blank(row: &[String]) -> bool {
    row.iter().all(|cell| cell.trim().is_empty())
}

/// Whether `header` holds a cell equal to `name` (trimmed, without case).
pub fn has_column(header: &[String], name: &str) -> bool {
    header
        .iter()
        .any(|cell| cell.trim().eq_ignore_ascii_case(name))
}
