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
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
