//! `poam new`: the next item, with today's dates, the policy's due date and placeholders that
//! `poam lint` flags until they are filled.

use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;

use crate::cli::{GlobalArgs, NewArgs, RiskArg};
use crate::config::Config;
use crate::edit::{self, NewValue};
use crate::error::Error;
use crate::model::item::{is_valid_cve, Risk};
use crate::policy::rev5::days_for;
use crate::workspace::Workspace;

use super::{config, emit, today, verbose, verbose_workspace};

/// What `poam new` was asked for.
pub struct NewItem<'a> {
    pub risk: Risk,
    pub title: Option<&'a str>,
    pub detector: Option<&'a str>,
    pub cves: &'a [String],
    pub assets: &'a [String],
}

/// The fields of a new item `id`: detected and status date `today`, due at the policy's
/// deadline for the rating, one milestone at the due date, empty placeholders elsewhere.
pub fn new_item_fields(
    id: &str,
    request: &NewItem<'_>,
    today: NaiveDate,
    config: &Config,
) -> Vec<(String, NewValue)> {
    let days = days_for(&config.policy.deadlines, request.risk);
    let due = today + chrono::Days::new(u64::from(days));
    let text = |s: Option<&str>| NewValue::Str(s.unwrap_or_default().to_owned());
    let list = |items: &[String]| NewValue::List(items.iter().map(|s| text(Some(s))).collect());
    let mut fields = vec![
        ("id".to_owned(), text(Some(id))),
        ("title".to_owned(), text(request.title)),
        ("description".to_owned(), text(None)),
        ("controls".to_owned(), NewValue::List(Vec::new())),
        ("detector".to_owned(), text(request.detector)),
        ("detector_id".to_owned(), text(None)),
        ("assets".to_owned(), list(request.assets)),
        ("owner".to_owned(), text(None)),
        ("remediation".to_owned(), text(None)),
        ("detected".to_owned(), NewValue::Date(today)),
        ("due".to_owned(), NewValue::Date(due)),
        ("risk".to_owned(), text(Some(request.risk.name()))),
        (
            "milestones".to_owned(),
            NewValue::List(vec![NewValue::Map(vec![
                ("id".to_owned(), NewValue::Int(1)),
                ("date".to_owned(), NewValue::Date(due)),
                ("description".to_owned(), text(None)),
            ])]),
        ),
        ("status".to_owned(), text(Some("open"))),
        ("status_date".to_owned(), NewValue::Date(today)),
    ];
    if !request.cves.is_empty() {
        fields.push(("cves".to_owned(), list(request.cves)));
    }
    fields
}

pub fn run(args: &NewArgs, global: &GlobalArgs) -> Result<ExitCode, Error> {
    let started = Instant::now();
    let workspace = Workspace::open(config(global, None)?)?;
    verbose_workspace(global, &workspace, started);
    let cves: Vec<String> = args
        .cves
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .collect();
    if let Some(bad) = cves.iter().find(|c| !is_valid_cve(c)) {
        return Err(Error::Refused(format!(
            "`{bad}` is not a CVE id; write CVE ids like `CVE-2021-44228`"
        )));
    }
    let request = NewItem {
        risk: match args.risk {
            RiskArg::Low => Risk::Low,
            RiskArg::Moderate => Risk::Moderate,
            RiskArg::High => Risk::High,
            RiskArg::Critical => Risk::Critical,
        },
        title: args.title.as_deref(),
        detector: args.detector.as_deref(),
        cves: &cves,
        assets: &args.assets,
    };
    let today = today(global);
    // Ids and file names both count as taken: a broken file still holds its name.
    let stems: Vec<String> = workspace
        .items
        .iter()
        .filter_map(|f| f.path.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    // So are the ids of items deleted from the history: a reused id mixes two items' logs.
    let former_ids = crate::ids::ids_in_history(&workspace.config.items_dir)?;
    let mut taken: Vec<&str> = workspace.ids();
    taken.extend(stems.iter().map(String::as_str));
    taken.extend(former_ids.iter().map(String::as_str));
    let config = &workspace.config;
    let (id, path) =
        crate::ids::create_next_item(&config.items_dir, &config.id_prefix, &taken, |id| {
            edit::render_new_item(&new_item_fields(id, &request, today, config))
        })
        .map_err(|err| Error::Edit(err.to_string()))?;
    verbose(global, 1, &format!("allocated {id}"));
    emit(None, &format!("{}\n", path.display()))?;
    if args.edit {
        open_editor(&path)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens `path` in `$VISUAL` or `$EDITOR` (which may carry arguments, e.g. `code --wait`) and
/// waits for it.
fn open_editor(path: &std::path::Path) -> Result<(), Error> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|v| v.to_string_lossy().into_owned())
        .find(|v| !v.trim().is_empty())
        .ok_or_else(|| {
            Error::Refused(format!(
                "--edit needs $VISUAL or $EDITOR; the item was created at {}",
                path.display()
            ))
        })?;
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or_default();
    let status = std::process::Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .map_err(|source| Error::Io {
            path: program.into(),
            source,
        })?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Refused(format!(
            "the editor `{editor}` exited with {status}; the item is at {}",
            path.display()
        )))
    }
}
