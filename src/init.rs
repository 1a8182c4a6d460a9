//! `poam init`: the files a team starts from. Never overwrites: a file that exists is skipped
//! and named, so `init` is safe in an existing repository and a second run changes nothing.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{Config, CONFIG_FILE, DEFAULT_ID_PREFIX};
use crate::edit::{self, EditError, NewValue};
use crate::error::Error;
use crate::model::item::Risk;
use crate::policy::rev5::days_for;

/// The commented `poam.yaml`: every key, its default and what it does.
pub const CONFIG_TEMPLATE: &str = include_str!("../templates/init/poam.yaml");
/// The workflow `init` writes; `{{version}}` becomes this poam's version.
const WORKFLOW_TEMPLATE: &str = include_str!("../templates/init/poam.yml");
/// Where `init` writes the workflow, relative to the folder.
pub const WORKFLOW_FILE: &str = ".github/workflows/poam.yml";
/// The GitLab pipeline `init --ci gitlab` writes; `{{version}}` becomes this poam's version.
const GITLAB_TEMPLATE: &str = include_str!("../templates/init/gitlab-ci.yml");
pub const GITLAB_FILE: &str = ".gitlab-ci.yml";
/// The Bitbucket pipeline `init --ci bitbucket` writes.
const BITBUCKET_TEMPLATE: &str = include_str!("../templates/init/bitbucket-pipelines.yml");
pub const BITBUCKET_FILE: &str = "bitbucket-pipelines.yml";

/// The CI service whose pipeline file `poam init` writes (`--ci`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ci {
    /// A GitHub Actions workflow: the action, SARIF to code scanning, the site on Pages.
    #[default]
    Github,
    /// `.gitlab-ci.yml`: Code Quality and JUnit reports on merge requests, the site on Pages.
    Gitlab,
    /// `bitbucket-pipelines.yml`: JUnit test reports, a nightly custom pipeline.
    Bitbucket,
}

impl Ci {
    /// The pipeline file (relative to the repository root) and its text.
    pub fn pipeline(self) -> (&'static str, String) {
        let version = env!("CARGO_PKG_VERSION");
        match self {
            Ci::Github => (WORKFLOW_FILE, workflow()),
            Ci::Gitlab => (GITLAB_FILE, GITLAB_TEMPLATE.replace("{{version}}", version)),
            Ci::Bitbucket => (
                BITBUCKET_FILE,
                BITBUCKET_TEMPLATE.replace("{{version}}", version),
            ),
        }
    }
}
/// Where `init` writes the editor settings, relative to the folder.
pub const VSCODE_SETTINGS_FILE: &str = ".vscode/settings.json";

/// What `init` did with each file, relative to the folder, in the order written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InitOutcome {
    pub created: Vec<String>,
    /// (file, why it was skipped)
    pub skipped: Vec<(String, String)>,
}

/// The workflow text for this version of poam.
pub fn workflow() -> String {
    WORKFLOW_TEMPLATE.replace("{{version}}", env!("CARGO_PKG_VERSION"))
}

/// `.vscode/settings.json`: the YAML extension validates item files and `poam.yaml` against
/// the published schemas.
pub fn vscode_settings(items_glob: &str) -> String {
    let settings = serde_json::json!({
        "yaml.schemas": {
            crate::schema::ITEM_SCHEMA_URL: [items_glob],
            crate::schema::CONFIG_SCHEMA_URL: [CONFIG_FILE],
        }
    });
    // A JSON value's alternate form is serde_json's pretty printing, and it cannot fail.
    format!("{settings:#}\n")
}

/// The example item: detected today, due at the profile's deadline for a moderate finding,
/// every required field filled, so a fresh repository lints clean.
pub fn example_item(id: &str, today: NaiveDate, config: &Config) -> String {
    let due = today
        + chrono::Days::new(u64::from(days_for(
            &config.policy.deadlines,
            Risk::Moderate,
        )));
    let milestone = today + chrono::Days::new(14);
    let text = |s: &str| NewValue::Str(s.to_owned());
    let fields: Vec<(String, NewValue)> = vec![
        ("id".into(), text(id)),
        ("title".into(), text("Example: TLS 1.0 enabled on the public load balancer")),
        (
            "description".into(),
            text("An example item written by `poam init`. Replace it with a real finding, or delete it."),
        ),
        ("controls".into(), NewValue::List(vec![text("SC-8"), text("SC-13")])),
        ("detector".into(), text("Nessus")),
        ("detector_id".into(), text("104743")),
        ("assets".into(), NewValue::List(vec![text("lb-prod-01.example.internal (443/TCP)")])),
        ("owner".into(), text("Platform Team")),
        (
            "remediation".into(),
            text("Move the listener to a TLS 1.2+ policy and confirm with a rescan."),
        ),
        ("detected".into(), NewValue::Date(today)),
        ("due".into(), NewValue::Date(due)),
        ("risk".into(), text(Risk::Moderate.name())),
        (
            "milestones".into(),
            NewValue::List(vec![NewValue::Map(vec![
                ("id".into(), NewValue::Int(1)),
                ("date".into(), NewValue::Date(milestone)),
                ("description".into(), text("Switch the listener and rescan.")),
            ])]),
        ),
        ("status".into(), text("open")),
        ("status_date".into(), NewValue::Date(today)),
    ];
    edit::render_new_item(&fields)
}

/// Writes the starting files into `dir` (created when missing): `poam.yaml`, the items
/// folder with an example item (only when the folder holds no items yet), the workflow and
/// the editor settings. Existing files are skipped.
pub fn init(dir: &Path, today: NaiveDate, ci: Ci) -> Result<InitOutcome, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut outcome = InitOutcome::default();
    let config_path = dir.join(CONFIG_FILE);
    let config = if config_path.exists() {
        outcome
            .skipped
            .push((CONFIG_FILE.to_owned(), "exists".to_owned()));
        // Keep using the repository's own settings (its items folder, its id prefix).
        Config::load(&config_path)?
    } else {
        create_file(&config_path, CONFIG_TEMPLATE, CONFIG_FILE, &mut outcome)?;
        let mut config = Config::for_items_dir(&dir.join("poams"));
        config.root = dir.to_path_buf();
        config
    };
    let items_name = relative(&config.items_dir, dir);
    std::fs::create_dir_all(&config.items_dir).map_err(|source| Error::Write {
        path: config.items_dir.clone(),
        source,
    })?;
    let existing = crate::workspace::item_files(&config.items_dir)?;
    let prefix = if config.id_prefix.is_empty() {
        DEFAULT_ID_PREFIX
    } else {
        &config.id_prefix
    };
    let example_id = crate::ids::format_id(prefix, 1, 4);
    let example_name = format!("{items_name}/{example_id}.yaml");
    if existing.is_empty() {
        let text = example_item(&example_id, today, &config);
        match edit::create_new(&config.items_dir.join(format!("{example_id}.yaml")), &text) {
            Ok(()) => outcome.created.push(example_name),
            Err(EditError::Exists { .. }) => {
                outcome.skipped.push((example_name, "exists".to_owned()));
            }
            Err(err) => return Err(err.into()),
        }
    } else {
        outcome
            .skipped
            .push((example_name, format!("{items_name}/ already holds items")));
    }
    let (pipeline, text) = ci.pipeline();
    create_file(&dir.join(pipeline), &text, pipeline, &mut outcome)?;
    let settings = vscode_settings(&format!("{items_name}/**/*.yaml"));
    create_file(
        &dir.join(VSCODE_SETTINGS_FILE),
        &settings,
        VSCODE_SETTINGS_FILE,
        &mut outcome,
    )?;
    Ok(outcome)
}

/// `path` relative to `dir` with `/` separators.
fn relative(path: &Path, dir: &Path) -> String {
    let name = crate::workspace::display_name(path, dir);
    if name.is_empty() {
        ".".to_owned()
    } else {
        name
    }
}

/// Creates `path` holding `text` unless something is there ([`crate::output::create_atomically`]:
/// a reader never sees half of it).
fn create_file(
    path: &Path,
    text: &str,
    name: &str,
    outcome: &mut InitOutcome,
) -> Result<(), Error> {
    let write_error = |source| Error::Write {
        path: PathBuf::from(path),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(write_error)?;
    }
    match crate::output::create_atomically(path, text.as_bytes(), None) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            outcome.skipped.push((name.to_owned(), "exists".to_owned()));
            return Ok(());
        }
        Err(source) => return Err(write_error(source)),
    }
    outcome.created.push(name.to_owned());
    Ok(())
}
