//! `poam import emass FILE`: item files from an eMASS POA&M workbook (any of the four
//! templates), written through the item editor like `poam import xlsx`. Rows that cannot be
//! converted or written are reported and skipped.

use std::process::ExitCode;

use crate::cli::{GlobalArgs, ImportEmassArgs};
use crate::error::Error;
use crate::import::emass;

use super::config;

pub fn run(args: &ImportEmassArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, None)?;
    let into = match &args.into {
        Some(dir) => dir.clone(),
        None => config.items_dir.clone(),
    };
    std::fs::create_dir_all(&into).map_err(|source| Error::Write {
        path: into.clone(),
        source,
    })?;
    let (_, mut imported) = emass::read(&args.file).map_err(Error::spreadsheet)?;
    // Office/Org names a person by name: the owner is their id when the people file has them.
    let root = crate::workspace::display_root_of(&config);
    if let Some(people) = crate::workspace::load_people(&config, &root)? {
        for row in &mut imported.rows {
            for (key, value) in &mut row.fields {
                if key != "owner" {
                    continue;
                }
                if let crate::edit::NewValue::Str(name) = value {
                    if let Some(person) = people
                        .entries
                        .iter()
                        .find(|p| p.name.as_deref() == Some(name.as_str()))
                    {
                        *name = person.id.value.clone();
                    }
                }
            }
        }
    }
    super::import_xlsx::write_imported(imported, &into, args.force, &config, global)
}
