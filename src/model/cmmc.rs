//! `assessment.yaml`: the result of a CMMC assessment (profile `cmmc-l2`), read leniently.
//!
//! ```yaml
//! level: 2
//! kind: c3pao              # or self
//! assessed: 2026-11-12
//! conditional_date: 2026-11-20   # or null: no Conditional status yet
//! results:
//!   "3.1.1": met
//!   "3.1.20": not-met
//!   "3.10.6": not-applicable
//! partial:
//!   "3.13.11": not-fips-validated
//! ```
//!
//! Every problem (an unknown key, a word that is no result, a date that is no date) is kept
//! with its place and reported by lint (`cmmc-assessment-invalid`); what could be read is used.
//! Which requirement ids exist and what they are worth is the policy's business
//! (`crate::policy::cmmc`), not the reader's.

use chrono::NaiveDate;

use super::item::{parse_date, suggest};
use super::{Node, Sp, Span, Value};
use crate::source::SourceFile;

/// The keys of the file, in the documented order.
pub const ASSESSMENT_KEYS: &[&str] = &[
    "level",
    "kind",
    "assessed",
    "conditional_date",
    "results",
    "partial",
];

/// Who assessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssessmentKind {
    /// A self-assessment (32 CFR 170.16).
    SelfAssessment,
    /// A certification assessment by a C3PAO (32 CFR 170.17).
    C3pao,
}

impl AssessmentKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::SelfAssessment => "self",
            Self::C3pao => "c3pao",
        }
    }
}

/// A requirement's result (32 CFR 170.24: MET, NOT MET, NOT APPLICABLE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Finding {
    Met,
    NotMet,
    NotApplicable,
}

impl Finding {
    pub const NAMES: [&'static str; 3] = ["met", "not-met", "not-applicable"];

    pub fn name(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::NotMet => "not-met",
            Self::NotApplicable => "not-applicable",
        }
    }

    fn parse(text: &str) -> Option<Finding> {
        match text {
            "met" => Some(Self::Met),
            "not-met" => Some(Self::NotMet),
            "not-applicable" => Some(Self::NotApplicable),
            _ => None,
        }
    }
}

/// How far a requirement with a partial value (DoD Assessment Methodology 5.e) is implemented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partial {
    /// 3.5.3: multifactor authentication for remote and privileged users, not for general users.
    RemoteAndPrivilegedOnly,
    /// 3.13.11: encryption is employed but not FIPS-validated.
    NotFipsValidated,
}

impl Partial {
    pub const NAMES: [&'static str; 2] = ["remote-and-privileged-only", "not-fips-validated"];

    pub fn name(self) -> &'static str {
        match self {
            Self::RemoteAndPrivilegedOnly => "remote-and-privileged-only",
            Self::NotFipsValidated => "not-fips-validated",
        }
    }

    fn parse(text: &str) -> Option<Partial> {
        match text {
            "remote-and-privileged-only" => Some(Self::RemoteAndPrivilegedOnly),
            "not-fips-validated" => Some(Self::NotFipsValidated),
            _ => None,
        }
    }
}

/// A problem in the file, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// The file, read.
#[derive(Clone, Debug)]
pub struct CmmcAssessment {
    /// The file's text, named as findings show it.
    pub source: SourceFile,
    /// The whole top-level mapping (or the file's start when it is empty).
    pub span: Span,
    /// 1 or 2.
    pub level: Option<Sp<u8>>,
    pub kind: Option<Sp<AssessmentKind>>,
    pub assessed: Option<Sp<NaiveDate>>,
    /// The Conditional CMMC Status Date; the POA&M closes within 180 days of it.
    pub conditional_date: Option<Sp<NaiveDate>>,
    /// The `results` key, when written.
    pub results_key: Option<Span>,
    /// Requirement id (as written) and its result, in file order; the id's span is the key's.
    pub results: Vec<(Sp<String>, Sp<Finding>)>,
    /// Requirement id and its partial implementation, in file order.
    pub partial: Vec<(Sp<String>, Sp<Partial>)>,
    pub problems: Vec<Problem>,
}

impl CmmcAssessment {
    /// Reads the parsed file `node` whose text is `source`.
    pub fn from_node(node: &Node, source: SourceFile) -> CmmcAssessment {
        let mut out = CmmcAssessment {
            source,
            span: node.span,
            level: None,
            kind: None,
            assessed: None,
            conditional_date: None,
            results_key: None,
            results: Vec::new(),
            partial: Vec::new(),
            problems: Vec::new(),
        };
        let Some(entries) = node.as_map() else {
            if !node.is_empty() {
                out.problem(
                    node.span,
                    format!("expected the assessment to be a mapping, found {}", node.kind()),
                    "write `level:`, `kind:`, `assessed:`, `conditional_date:`, `results:` and `partial:`",
                );
            }
            return out;
        };
        for entry in entries {
            let value = &entry.value;
            match entry.key.as_str() {
                "level" => {
                    out.level = match value.value {
                        Value::Int(n @ 1..=2) => Some(Sp::new(n as u8, value.span)),
                        _ => {
                            out.problem(
                                value.span,
                                format!("`level` is 1 or 2, found {}", shown(value)),
                                "CMMC Level 3 assessments are not supported; write 1 or 2",
                            );
                            None
                        }
                    }
                }
                "kind" => {
                    out.kind = match text_of(value) {
                        Some("self") => Some(Sp::new(AssessmentKind::SelfAssessment, value.span)),
                        Some("c3pao") => Some(Sp::new(AssessmentKind::C3pao, value.span)),
                        _ => {
                            out.problem(
                                value.span,
                                format!("`kind` is `self` or `c3pao`, found {}", shown(value)),
                                "`self` for a self-assessment, `c3pao` for a certification assessment",
                            );
                            None
                        }
                    }
                }
                "assessed" => out.assessed = out.date(value, "assessed"),
                "conditional_date" => {
                    if !matches!(value.value, Value::Null) {
                        out.conditional_date = out.date(value, "conditional_date");
                    }
                }
                "results" => {
                    out.results_key = Some(entry.key_span);
                    out.results = out.pairs(value, "results", Finding::parse, &Finding::NAMES);
                }
                "partial" => {
                    out.partial = out.pairs(value, "partial", Partial::parse, &Partial::NAMES);
                }
                key => {
                    let help = suggest(key, ASSESSMENT_KEYS).map_or_else(
                        || format!("the keys are {}", ASSESSMENT_KEYS.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                    out.problem(entry.key_span, format!("unknown key `{key}`"), help);
                }
            }
        }
        out
    }

    /// The result written for requirement `id`.
    pub fn result(&self, id: &str) -> Option<&Sp<Finding>> {
        self.results
            .iter()
            .find(|(key, _)| key.value == id)
            .map(|(_, finding)| finding)
    }

    /// The partial implementation written for requirement `id`.
    pub fn partial_of(&self, id: &str) -> Option<Partial> {
        self.partial
            .iter()
            .find(|(key, _)| key.value == id)
            .map(|(_, partial)| partial.value)
    }

    /// Where findings about the whole assessment point: the `results` key, else the file.
    pub fn anchor(&self) -> Span {
        self.results_key.unwrap_or(self.span)
    }

    fn problem(&mut self, span: Span, message: String, help: impl Into<String>) {
        self.problems.push(Problem {
            span,
            message,
            help: Some(help.into()),
        });
    }

    fn date(&mut self, node: &Node, key: &str) -> Option<Sp<NaiveDate>> {
        match text_of(node).and_then(parse_date) {
            Some(date) => Some(Sp::new(date, node.span)),
            None => {
                self.problem(
                    node.span,
                    format!("`{key}` is a date, found {}", shown(node)),
                    "write the date as YYYY-MM-DD",
                );
                None
            }
        }
    }

    /// The `"id": word` entries of the mapping `node`, each word read by `parse`.
    fn pairs<T: Copy>(
        &mut self,
        node: &Node,
        key: &str,
        parse: impl Fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Vec<(Sp<String>, Sp<T>)> {
        let Some(entries) = node.as_map() else {
            if !node.is_empty() {
                self.problem(
                    node.span,
                    format!("expected `{key}` to be a mapping, found {}", node.kind()),
                    "write one `\"3.1.1\": met` per line",
                );
            }
            return Vec::new();
        };
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            let value = &entry.value;
            match text_of(value).and_then(&parse) {
                Some(parsed) => out.push((
                    Sp::new(entry.key.clone(), entry.key_span),
                    Sp::new(parsed, value.span),
                )),
                None => self.problem(
                    value.span,
                    format!(
                        "`{key}.\"{}\"` is one of {}, found {}",
                        entry.key,
                        names.join(", "),
                        shown(value)
                    ),
                    format!("write one of {}", names.join(", ")),
                ),
            }
        }
        out
    }
}

fn text_of(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Str(text) => Some(text.trim()),
        _ => None,
    }
}

/// A value as a message quotes it.
fn shown(node: &Node) -> String {
    match &node.value {
        Value::Str(text) => format!("`{text}`"),
        Value::Int(n) => format!("`{n}`"),
        Value::Float(f) => format!("`{f}`"),
        Value::Bool(b) => format!("`{b}`"),
        _ => node.kind().to_owned(),
    }
}
