//! `poam schema [item|config]`: the JSON Schema (draft-07) of an item file or of `poam.yaml`.

use std::process::ExitCode;

use crate::cli::{SchemaArgs, SchemaKind};
use crate::error::Error;
use crate::schema;

use super::emit;

pub fn run(args: &SchemaArgs) -> Result<ExitCode, Error> {
    let text = match args.kind {
        SchemaKind::Item => schema::item_schema(),
        SchemaKind::Config => schema::config_schema(),
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
