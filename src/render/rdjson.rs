//! reviewdog's Diagnostic Format (rdjson), which reviewdog turns into review comments on
//! GitHub, GitLab and Bitbucket: `poam lint -f rdjson | reviewdog -f=rdjson -reporter=...`.
//!
//! Validated in a test against reviewdog's published JSON schema
//! (`proto/rdf/jsonschema/DiagnosticResult.json`, copied into the test fixtures). Lines and
//! columns are 1-based and the range end is exclusive, as rdjson wants; columns count
//! characters, as in every poam output, which is rdjson's byte count on ASCII lines.

use serde::Serialize;

use crate::diag::{Diagnostic, Location, Report, Severity};

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
    url: &'static str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: String,
    location: RdLocation<'a>,
    severity: &'static str,
    source: Source,
    code: Code,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
}

#[derive(Serialize)]
struct RdLocation<'a> {
    path: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct Code {
    value: &'static str,
    url: String,
}

#[derive(Serialize)]
struct RelatedLocation<'a> {
    message: &'a str,
    location: RdLocation<'a>,
}

const SOURCE: Source = Source {
    name: "poam",
    url: "https://github.com/poam-dev/poam",
};

fn location(l: &Location) -> RdLocation<'_> {
    RdLocation {
        path: &l.file,
        range: Range {
            start: Position {
                line: l.start.line,
                column: l.start.column,
            },
            end: Position {
                line: l.end.line,
                column: l.end.column,
            },
        },
    }
}

fn diagnostic(d: &Diagnostic) -> RdDiagnostic<'_> {
    let message = match (&d.item, &d.help) {
        (Some(item), Some(help)) => format!("{item}: {}\nhelp: {help}", d.message),
        (Some(item), None) => format!("{item}: {}", d.message),
        (None, Some(help)) => format!("{}\nhelp: {help}", d.message),
        (None, None) => d.message.clone(),
    };
    RdDiagnostic {
        message,
        location: location(&d.location),
        severity: match d.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
            Severity::Note => "INFO",
        },
        source: SOURCE,
        code: Code {
            value: d.code.as_str(),
            url: d.code.help_uri(),
        },
        related_locations: d
            .related
            .iter()
            .map(|r| RelatedLocation {
                message: &r.message,
                location: location(&r.location),
            })
            .collect(),
    }
}

pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    super::json_document(&DiagnosticResult {
        source: SOURCE,
        diagnostics: report.diagnostics.iter().map(diagnostic).collect(),
    })
}
