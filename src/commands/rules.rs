//! `poam rules [CODE]`: list the rules, or explain one.

use std::process::ExitCode;

use strum::IntoEnumIterator;

use crate::cli::RulesArgs;
use crate::code::Code;
use crate::error::Error;

use super::emit;

pub fn run(args: &RulesArgs) -> Result<ExitCode, Error> {
    let text = match &args.code {
        Some(name) => match Code::from_name(name) {
            Some(code) => format!(
                "# {} ({})\n\n{}\n",
                code.as_str(),
                code.default_severity(),
                code.doc()
            ),
            None => return Err(Error::UnknownRule { name: name.clone() }),
        },
        None => Code::iter()
            .map(|code| {
                format!(
                    "{:<32} {:<8} {}\n",
                    code.as_str(),
                    code.default_severity().as_str(),
                    code.summary()
                )
            })
            .collect(),
    };
    emit(None, &text)?;
    Ok(ExitCode::SUCCESS)
}
