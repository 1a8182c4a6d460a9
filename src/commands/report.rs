//! `poam report`: the monthly summary, or with `--base` what a pull request changes.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, ReportArgs, ReportFormatArg};
use crate::error::Error;
use crate::report::{self, ReportFormat, Summary, Templates};
use crate::workspace::Listing;

use super::{check_output, config, emit, today};

pub fn run(args: &ReportArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, args.path.as_deref())?;
    check_output(&config, args.output.as_deref())?;
    let templates = Templates::new(config.templates.as_deref())?;
    let today = today(global);
    let progress = !global.quiet && std::io::stderr().is_terminal();
    if args.format == ReportFormatArg::Pdf {
        super::refuse_binary_to_terminal(args.output.as_deref(), "a PDF", "FILE.pdf")?;
    }
    let text = match &args.base {
        Some(base) => {
            if args.format != ReportFormatArg::Md {
                return Err(Error::template(
                    "`poam report --base` writes Markdown only; drop `--format`",
                ));
            }
            let (meta, pr) = report::gather_pr(Listing::open(config)?, base, today, progress)?;
            report::pull_request(&templates, &meta, &pr)?
        }
        None => {
            let inputs = report::gather(config, today, progress)?;
            let pages = report::site::item_pages(&inputs.views);
            let profile = crate::profiles::of(inputs.config.policy.profile);
            let summary = Summary::new(
                &inputs.views,
                today,
                &inputs.lint,
                &|i| pages.get(i).cloned().unwrap_or_default(),
                profile,
                &inputs.config,
            );
            let format = match args.format {
                ReportFormatArg::Md => ReportFormat::Markdown,
                ReportFormatArg::Html => ReportFormat::Html,
                ReportFormatArg::Pdf => {
                    let bytes = report::pdf::report(
                        &templates,
                        &inputs.meta,
                        &summary,
                        &inputs.views,
                        profile,
                    )?;
                    super::emit_bytes(args.output.as_deref(), &bytes)?;
                    super::keep_until_exit((inputs, summary, pages));
                    return Ok(ExitCode::SUCCESS);
                }
            };
            let text = report::monthly(&templates, format, &inputs.meta, &summary, profile)?;
            // Freeing the gathered history, items and findings takes a noticeable moment.
            super::keep_until_exit((inputs, summary, pages));
            text
        }
    };
    emit(args.output.as_deref(), &text)?;
    Ok(ExitCode::SUCCESS)
}
