//! Versioned JSON: `{"version": 1, "today", "items", "summary", "diagnostics": [...]}`.

use serde::Serialize;

use crate::diag::Report;
use crate::diag::{Severity, Summary};

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    today: String,
    items: usize,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    item: Option<&'a str>,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

pub fn render(report: &Report) -> String {
    // Sized up front: growing a buffer of megabytes by doubling copies it again and again.
    let mut buffer = Vec::with_capacity(estimated_len(report));
    if write(report, &mut buffer).is_err() {
        return "\n".to_owned();
    }
    String::from_utf8(buffer).unwrap_or_default()
}

/// Writes what [`render`] returns to `out`, without holding it all in memory first (for
/// thousands of findings, megabytes of fresh memory cost more than the writing).
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let output = Output {
        version: 1,
        today: report.today.to_string(),
        items: report.items,
        summary: Summary::of(&report.diagnostics),
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code.as_str(),
                severity: d.severity,
                item: d.item.as_deref(),
                file: &d.location.file,
                line: d.location.start.line,
                column: d.location.start.column,
                end_line: d.location.end.line,
                end_column: d.location.end.column,
                message: &d.message,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|r| JsonRelated {
                        file: &r.location.file,
                        line: r.location.start.line,
                        column: r.location.start.column,
                        message: &r.message,
                    })
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &output)?;
    out.write_all(b"\n")
}

/// About the length of the rendered report: the strings it carries plus the keys and
/// indentation around them.
fn estimated_len(report: &Report) -> usize {
    const PER_DIAGNOSTIC: usize = 320;
    const PER_RELATED: usize = 120;
    let strings = |d: &crate::diag::Diagnostic| {
        d.message.len()
            + d.location.file.len()
            + d.help.as_ref().map_or(0, String::len)
            + d.item.as_ref().map_or(0, String::len)
            + d.related
                .iter()
                .map(|r| PER_RELATED + r.message.len() + r.location.file.len())
                .sum::<usize>()
    };
    256 + report
        .diagnostics
        .iter()
        .map(|d| PER_DIAGNOSTIC + strings(d))
        .sum::<usize>()
}
