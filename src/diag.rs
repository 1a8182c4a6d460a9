//! Findings as data. Every output format is a pure renderer of [`Diagnostic`]s.
use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::code::{Code, Severity};
pub use crate::model::Span;
pub use crate::source::{Location, SourceFile};

/// A further place the finding concerns (the other file of a duplicate id, say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// The item id, when the file got far enough to have one.
    pub item: Option<String>,
    pub location: Location,
    /// Short text shown under the source snippet.
    pub label: Option<Cow<'static, str>>,
    pub message: String,
    /// Fixed text for most rules: borrowed, so thousands of findings allocate none.
    pub help: Option<Cow<'static, str>>,
    pub related: Vec<Related>,
    /// How to fix the finding, when a rule knows (`poam lint --fix`, the language server's
    /// code actions).
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn with_help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<Cow<'static, str>>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The order every renderer uses: file, line, column, code.
    pub fn sort_key(&self) -> (&str, usize, usize, &'static str, &str) {
        (
            &self.location.file,
            self.location.start.line,
            self.location.start.column,
            self.code.as_str(),
            &self.message,
        )
    }
}

pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Whether a fix may be applied without asking (`--fix`) or only when asked for
/// (`--unsafe-fixes`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Cannot change what the item means: a spelling, a word's case, a date's form.
    Safe,
    /// Changes what the item says, as the finding suggests: applied only with
    /// `--unsafe-fixes`.
    Unsafe,
}

/// A fix a rule offers with its finding: values to write into the item file, each at a path
/// of keys and list positions. The item editor (`crate::edit`) writes them, so comments,
/// quoting and layout stay; `crate::fix` applies them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub safety: Safety,
    /// What the fix does, in a few words (the title of an editor's code action).
    pub title: String,
    pub edits: Vec<FixEdit>,
}

/// One value a fix writes: in place of the scalar the parser read at `span` of the item file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixEdit {
    pub span: Span,
    pub value: FixValue,
}

/// A value a fix writes: text (written in the old value's quoting where it can be) or a
/// date (`YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixValue {
    Text(String),
    Date(NaiveDate),
}

impl Fix {
    /// A fix writing one value in place of the scalar at `span`.
    pub fn replace(safety: Safety, title: impl Into<String>, span: Span, value: FixValue) -> Self {
        Fix {
            safety,
            title: title.into(),
            edits: vec![FixEdit { span, value }],
        }
    }
}

/// Counts by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub error: usize,
    pub warning: usize,
    pub note: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let mut summary = Self::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => summary.error += 1,
                Severity::Warning => summary.warning += 1,
                Severity::Note => summary.note += 1,
            }
        }
        summary
    }
}

/// Everything a renderer needs.
#[derive(Debug)]
pub struct Report {
    pub today: NaiveDate,
    /// How many item files were found (readable or not).
    pub items: usize,
    /// Their names, sorted (relative to the repository root, like findings' files).
    pub files: Vec<String>,
    /// Sorted by file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file a diagnostic points into, by its relative name.
    pub sources: BTreeMap<String, SourceFile>,
    /// A pull request's check (`lint --base`, scope `pr`): what it left out, being about
    /// items the pull request does not touch. `None` in every other mode.
    pub untouched: Option<Untouched>,
    /// Findings the baseline file or a waiver of `poam.yaml` suppressed: counted, listed only
    /// with `--show-suppressed`, never failing.
    pub suppressed: Vec<Diagnostic>,
    /// How many of them each suppressed, and how the baseline changed in a pull request.
    pub suppression: Suppression,
    /// List the suppressed findings too (`--show-suppressed`).
    pub show_suppressed: bool,
    /// What the check read and is done with (parsed items, the history walk), kept here
    /// rather than freed: see [`Leftovers`].
    pub leftovers: Leftovers,
}

/// Large values a library function is done with, handed back to its caller instead of freed.
///
/// Freeing tens of thousands of parsed items or history versions one allocation at a time
/// costs tens of milliseconds (3-8 % of a lint, a log or a site build). A caller that keeps
/// running drops them like any value; the binary, which exits right after, leaves them to the
/// operating system (`commands::keep_until_exit`), the one place poam does so.
#[derive(Default)]
pub struct Leftovers(Vec<Box<dyn std::any::Any + Send>>);

impl Leftovers {
    /// Keeps `value` until these leftovers are dropped.
    pub fn keep<T: Send + 'static>(&mut self, value: T) {
        self.0.push(Box::new(value));
    }
}

impl std::fmt::Debug for Leftovers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Leftovers({} values)", self.0.len())
    }
}

/// What the baseline and the waivers suppressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// Findings the baseline file holds.
    pub baseline: usize,
    /// Findings a waiver of `poam.yaml` accepts.
    pub waived: usize,
    /// A pull request's check: the baseline file differs from the base commit's (whose
    /// entries apply).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_changed: Option<BaselineChange>,
}

/// Entries added to and removed from the baseline file by a pull request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BaselineChange {
    pub added: usize,
    pub removed: usize,
}

/// Findings a pull request's check leaves out: on items it does not touch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Untouched {
    pub findings: usize,
    /// The files those findings are in.
    pub items: usize,
}
