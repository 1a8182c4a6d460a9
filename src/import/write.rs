//! Items written from imported rows, many at once, through the item editor.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::edit::{self, EditError, ItemDocument, Key};
use crate::error::{Caused, Error};
use crate::import::xlsx::{self, ImportedRow};
use crate::output::{Staging, WRITERS};
use crate::profiles;

/// Each row's file and what writing it did.
pub type Outcomes = Vec<(PathBuf, Result<Written, EditError>)>;

/// What writing one row did.
pub enum Written {
    /// A new item file.
    Created,
    /// An existing file edited in place (`force`).
    Replaced,
}

/// Writes the item file of each of `rows` into `into` (the file named after its id), with
/// the note `notes` holds for its (sheet, row); with `force` an existing file is replaced in
/// place. Returns each row's path and outcome, in the order of `rows`.
///
/// Each new file is synced to disk before it is renamed in: many in flight at once, each
/// writer staging in a folder of its own, keep the disk, not the wait for it, the limit.
pub fn rows(
    into: &Path,
    rows: &[&ImportedRow],
    notes: &HashMap<(&'static str, u32), String>,
    force: bool,
) -> Result<Outcomes, Error> {
    let staging = Staging::new(into, WRITERS);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(WRITERS)
        .build()
        .map_err(|e| Error::spreadsheet(Caused::new("cannot start the writer threads", e)))?;
    Ok(pool.install(|| {
        rows.par_iter()
            .map(|row| {
                let path = into.join(xlsx::item_file_name(&row.id));
                let note = notes.get(&(row.sheet, row.row)).map(String::as_str);
                let outcome = write_row(&path, row, note, force, &staging);
                (path, outcome)
            })
            .collect()
    }))
}

/// A new file through the editor's exclusive create; with `force`, an existing file is edited
/// in place instead (every imported key set, every other key removed), so its comments survive
/// where the keys do.
fn write_row(
    path: &Path,
    row: &ImportedRow,
    vdr_note: Option<&str>,
    force: bool,
    staging: &Staging,
) -> Result<Written, EditError> {
    let text = profiles::render_new_item(&row.fields, vdr_note);
    match edit::create_new_staged(path, &text, staging) {
        Ok(()) => Ok(Written::Created),
        Err(EditError::Exists { .. }) if force => {
            let mut document = ItemDocument::open(path)?;
            for (key, value) in &row.fields {
                document.set(&[Key::from(key.as_str())], value.clone())?;
            }
            let stale: Vec<String> = document
                .node()
                .as_map()
                .unwrap_or_default()
                .iter()
                .map(|entry| entry.key.clone())
                .filter(|key| !row.fields.iter().any(|(k, _)| k == key))
                .collect();
            for key in stale {
                document.remove(&[Key::from(key.as_str())])?;
            }
            document.save()?;
            Ok(Written::Replaced)
        }
        Err(error) => Err(error),
    }
}
