//! `poam site -o DIR`: the static status site.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::cli::{GlobalArgs, SiteArgs};
use crate::error::Error;
use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::export;
use crate::export::oscal;
use crate::export::ver::{self, Period};
use crate::history::History;
use crate::report::site::{self, Download, SiteInput};
use crate::report::{self, Summary, Templates};
use crate::view::ItemView;
use crate::workspace::Workspace;

use super::{config, today};

/// The exports the site offers on its downloads page, made from the same workspace and
/// history as the pages: the FedRAMP POA&M workbook, the OSCAL POA&M and, under a profile that
/// reports them, the month's three VER documents. An export that cannot be made (an item file
/// that does not parse, no `package_overview_uri`) is listed with the reason instead.
fn downloads(
    workspace: &Workspace,
    history: Option<&History>,
    views: &[ItemView],
    today: NaiveDate,
) -> Vec<Download> {
    let config = &workspace.config;
    let profile = crate::profiles::of(config.policy.profile);
    let (xlsx, oscal) = rayon::join(
        || {
            let block = export::HeaderBlock::new(config, today);
            export::xlsx::workbook(views, &block, profile).map_err(|e| e.to_string())
        },
        || -> Result<Vec<u8>, String> {
            export::refuse_unexportable(workspace).map_err(|e| e.to_string())?;
            let (views, logs) =
                export::oscal_items(workspace, today, history).map_err(|e| e.to_string())?;
            let last_modified = history
                .and_then(|h| h.head.as_ref())
                .map(|head| head.time)
                .unwrap_or_else(|| {
                    Utc.from_utc_datetime(&today.and_time(NaiveTime::MIN))
                        .fixed_offset()
                });
            let marker = profile.export_marker(&config.policy);
            let input = oscal::ExportInput {
                system: &config.system,
                today,
                last_modified,
                items: &views,
                logs: &logs,
                profile,
                marker: marker.as_ref(),
                people: workspace.people.as_ref(),
            };
            let mut out = Vec::new();
            oscal::write(&input, &mut out).map_err(|e| e.to_string())?;
            Ok(out)
        },
    );
    let mut files = vec![
        Download {
            file: "poam.xlsx".into(),
            title: "FedRAMP POA&M workbook (poam export xlsx)".into(),
            contents: xlsx,
        },
        Download {
            file: "poam-oscal.json".into(),
            title: "OSCAL POA&M (poam export oscal)".into(),
            contents: oscal,
        },
    ];
    let month = Period::parse(&format!("{:04}-{:02}", today.year(), today.month()));
    if let Some(period) = month.filter(|_| profile.reports_ver()) {
        let titles = [
            "VER vulnerability detail report (VER-RPT-VDT)",
            "VER accepted vulnerability information (VER-RPT-AVI)",
            "VER historical activity (VER-TFR-MRH)",
        ];
        match ver::build(workspace, period, today, ver::generated_at(today))
            .map_err(|e| e.to_string())
            .and_then(|reports| reports.files().map_err(|e| e.to_string()))
        {
            Ok(made) => {
                for ((name, text), title) in made.into_iter().zip(titles) {
                    files.push(Download {
                        file: name.to_owned(),
                        title: format!("{title}, {}", period.name()),
                        contents: Ok(text.into_bytes()),
                    });
                }
            }
            Err(why) => {
                for (name, title) in [ver::DETAIL_FILE, ver::ACCEPTED_FILE, ver::HISTORY_FILE]
                    .into_iter()
                    .zip(titles)
                {
                    files.push(Download {
                        file: name.to_owned(),
                        title: format!("{title}, {}", period.name()),
                        contents: Err(why.clone()),
                    });
                }
            }
        }
    }
    files
}

pub fn run(args: &SiteArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let config = config(global, args.path.as_deref())?;
    let work_tree = crate::history::work_tree_root(&config.items_dir);
    let mut protected = vec![config.root.as_path(), config.items_dir.as_path()];
    if let Some(root) = &work_tree {
        protected.push(root);
    }
    let target = site::check_output(&args.output, &protected, &config.items_dir)?;
    let templates = Templates::new(config.templates.as_deref())?;
    let today = today(global);
    let progress = !global.quiet && std::io::stderr().is_terminal();
    let (inputs, downloads) =
        report::gather_with(config, today, progress, |workspace, history, views| {
            downloads(workspace, history, views, today)
        })?;
    let pages = site::item_pages(&inputs.views);
    let profile = crate::profiles::of(inputs.config.policy.profile);
    let summary = Summary::new(
        &inputs.views,
        today,
        &inputs.lint,
        &|i| pages.get(i).cloned().unwrap_or_default(),
        profile,
        &inputs.config,
    );
    let (people, inventory) = inputs.elements()?;
    let input = SiteInput {
        meta: &inputs.meta,
        views: &inputs.views,
        summary: &summary,
        history: inputs.history.as_ref(),
        policy: &inputs.config.policy,
        profile,
        repo_url: inputs.config.repo_url.as_deref(),
        people: people.as_ref(),
        inventory: inventory.as_ref(),
        downloads: &downloads,
    };
    let written = site::publish(&target, |sink| site::render(&input, &templates, sink))?;
    if !global.quiet {
        super::emit(
            None,
            &format!("wrote {written} files to {}\n", args.output.display()),
        )?;
    }
    // Freeing the gathered history, items and findings piece by piece takes ~0.15 s for
    // 20,000 commits.
    super::keep_until_exit((inputs, summary, pages, downloads));
    Ok(ExitCode::SUCCESS)
}
