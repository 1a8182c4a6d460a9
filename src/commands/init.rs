//! `poam init [DIR]`: the starting files, never overwriting one.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, InitArgs};
use crate::error::Error;
use crate::init;

use super::{elapsed, emit, today, verbose};

pub fn run(args: &InitArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let dir = args.dir.as_deref().unwrap_or(Path::new("."));
    let outcome = init::init(dir, today(global), args.ci)?;
    verbose(
        global,
        1,
        &format!(
            "{}: {} files created, {} skipped in {}",
            dir.display(),
            outcome.created.len(),
            outcome.skipped.len(),
            elapsed(started)
        ),
    );
    if !global.quiet {
        let mut text = String::new();
        for name in &outcome.created {
            text.push_str(&format!("created {name}\n"));
        }
        for (name, why) in &outcome.skipped {
            text.push_str(&format!("skipped {name} ({why})\n"));
        }
        if !outcome.created.is_empty() {
            text.push_str("next: `poam lint`, then `poam new` for your first real item\n");
        }
        emit(None, &text)?;
    }
    Ok(ExitCode::SUCCESS)
}
