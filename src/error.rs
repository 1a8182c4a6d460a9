//! Tool failures (exit code 2). Findings about items are diagnostics, not errors.

use std::path::PathBuf;

use crate::model::Span;
use crate::source::SourceFile;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no poam.yaml found in `{}` or any parent folder; pass the folder to lint, e.g. `poam lint poams/`", start.display())]
    NoConfig { start: PathBuf },
    #[error("`{}` is a file: pass the repository root (holding poam.yaml) or a folder of items; every item of the folder is linted together, since rules such as duplicate-id look across items", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{0}")]
    Config(ConfigError),
    #[error("`{}` is not where items are kept: {} keeps them in `{}`; run `poam lint` in the repository or pass `{}`", path.display(), config.display(), items.display(), items.display())]
    OutsideItems {
        path: PathBuf,
        config: PathBuf,
        items: PathBuf,
    },
    #[error("no item files (*.yaml, *.yml) in `{}`: pass the folder that holds the items, or the repository root with its poam.yaml", dir.display())]
    NoItems { dir: PathBuf },
    #[error("KEV catalog `{}`: {message}", path.display())]
    Kev { path: PathBuf, message: String },
    /// The git history could not be read: the history error itself (its message, and its
    /// cause for whoever walks the chain), or a message about it.
    #[error(transparent)]
    History(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The history could not be read while doing `context`.
    #[error("{context}: {source}")]
    HistoryWhile {
        context: &'static str,
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A template could not be loaded or rendered (its message, and its cause for whoever
    /// walks the chain).
    #[error(transparent)]
    Template(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The site could not be built or published (its message, and its cause for whoever
    /// walks the chain).
    #[error(transparent)]
    Site(Box<dyn std::error::Error + Send + Sync + 'static>),
    #[error(
        "unknown rule `{name}`; the nearest are {}\n  run `poam rules` to list every rule",
        nearest_codes(name)
    )]
    UnknownRule { name: String },
    /// A spreadsheet export or import that could not be done (not a row-level problem): its
    /// message, and its cause for whoever walks the chain.
    #[error(transparent)]
    Spreadsheet(Box<dyn std::error::Error + Send + Sync + 'static>),
    #[error("no item with id `{id}`{}", nearest_ids(candidates))]
    UnknownItem { id: String, candidates: Vec<String> },
    /// A request poam refuses, with why and what to do instead.
    #[error("{0}")]
    Refused(String),
    /// An item file the editor could not read, change or write: the editor's error (its
    /// message names the file; an I/O failure stays its source).
    #[error(transparent)]
    Edit(Box<dyn std::error::Error + Send + Sync + 'static>),
    /// An export cannot be produced from this repository as configured.
    #[error("{0}")]
    Export(String),
    /// A document could not be written as JSON.
    #[error("cannot write the JSON output: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// [`Error::History`] from a history error (or a message), keeping it as the source.
    pub fn history(error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Error {
        Error::History(error.into())
    }

    /// [`Error::Template`] from a message or an underlying error, kept as the source.
    pub fn template(error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Error {
        Error::Template(error.into())
    }

    /// [`Error::Site`] from a message or an underlying error, kept as the source.
    pub fn site(error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Error {
        Error::Site(error.into())
    }

    /// [`Error::Spreadsheet`] from a message or an underlying error, kept as the source.
    pub fn spreadsheet(
        error: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Error {
        Error::Spreadsheet(error.into())
    }

    /// A failed write to standard output.
    pub fn stdout(source: std::io::Error) -> Error {
        Error::Write {
            path: STDOUT.into(),
            source,
        }
    }

    /// Standard output's reader stopped reading (`poam lint | head`): nothing to tell it.
    pub fn is_reader_gone(&self) -> bool {
        matches!(self, Error::Write { path, source }
            if path.as_os_str() == STDOUT && source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// How a write error names standard output.
const STDOUT: &str = "<stdout>";

/// A message about what was being done, with the error that stopped it as its source:
/// displayed `context: source`, as the string-built errors it replaces were.
#[derive(Debug, thiserror::Error)]
#[error("{context}: {source}")]
pub struct Caused {
    context: String,
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl Caused {
    pub fn new(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Caused {
        Caused {
            context: context.into(),
            source: source.into(),
        }
    }
}

fn nearest_codes(name: &str) -> String {
    crate::model::item::nearest(name, &crate::code::Code::names(), 3)
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn nearest_ids(candidates: &[String]) -> String {
    if candidates.is_empty() {
        return "; the workspace has no items".to_owned();
    }
    let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
    format!("; the nearest ids are {}", list.join(", "))
}

/// Every problem of one config file, each with its location.
#[derive(Debug)]
pub struct ConfigError {
    pub source: SourceFile,
    pub problems: Vec<ConfigProblem>,
}

#[derive(Clone, Debug)]
pub struct ConfigProblem {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl ConfigProblem {
    pub fn new(span: Span, message: String, help: Option<String>) -> Self {
        Self {
            span,
            message,
            help,
        }
    }
}

impl ConfigError {
    pub fn new(source: SourceFile, problems: Vec<ConfigProblem>) -> Self {
        Self { source, problems }
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.problems.as_slice() {
            [only] => {
                let position = self.source.line_col(only.span.start);
                write!(
                    f,
                    "{}:{}:{}: {}",
                    self.source.name, position.line, position.column, only.message
                )
            }
            many => write!(f, "{}: {} problems", self.source.name, many.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    /// The chain a `{:#}` or a report handler walks, outermost first.
    fn chain(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
        let mut out = Vec::new();
        let mut next = Some(error);
        while let Some(e) = next {
            out.push(e.to_string());
            next = e.source();
        }
        out
    }

    #[test]
    fn a_caused_error_reads_as_before_and_keeps_its_source() {
        let io = std::io::Error::other("no threads");
        let error = Error::spreadsheet(Caused::new("cannot start the writer threads", io));
        assert_eq!(
            chain(&error),
            ["cannot start the writer threads: no threads", "no threads"]
        );
    }

    #[test]
    fn a_message_alone_has_no_source() {
        let error = Error::template("`poam report --base` writes Markdown only");
        assert_eq!(
            error.to_string(),
            "`poam report --base` writes Markdown only"
        );
        assert!(error.source().is_none());
    }
}
