//! Versioned JSON: `{"version": 1, "today", "items", "summary", "diagnostics": [...]}`.

use rayon::prelude::*;
use serde::Serialize;

use super::pretty;

use crate::diag::Report;
use crate::diag::{Severity, Summary};

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

/// Findings serialised per parallel task: enough to make a task worth starting.
const CHUNK: usize = 256;
/// Chunks in memory at once: the output is written wave by wave, never held whole.
const WAVE: usize = 16;

/// Writes what [`render`] returns to `out`, without holding it all in memory first (for
/// thousands of findings, megabytes of fresh memory cost more than the writing). The
/// findings are serialised in parallel, in order, with the bytes `to_writer_pretty` of the
/// whole document would give.
pub fn write(report: &Report, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut head = Vec::with_capacity(256);
    head.extend_from_slice(b"{\n  \"version\": 1,\n  \"today\": ");
    pretty::append(&mut head, &report.today.to_string(), 1);
    head.extend_from_slice(b",\n  \"items\": ");
    pretty::append(&mut head, &report.items, 1);
    head.extend_from_slice(b",\n  \"summary\": ");
    pretty::append(&mut head, &Summary::of(&report.diagnostics), 1);
    head.extend_from_slice(b",\n  \"diagnostics\": [");
    out.write_all(&head)?;
    let mut first = true;
    for wave in report.diagnostics.chunks(CHUNK * WAVE) {
        let parts: Vec<Vec<u8>> = wave
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut part = Vec::with_capacity(chunk.len() * 512);
                for diagnostic in chunk {
                    part.extend_from_slice(b",\n");
                    let _ = pretty::indent(&mut part, 2);
                    pretty::append(&mut part, &JsonDiagnostic::new(diagnostic), 2);
                }
                part
            })
            .collect();
        for part in &parts {
            // The document's first element follows no comma.
            out.write_all(if first { &part[1..] } else { part })?;
            first = false;
        }
    }
    if first {
        out.write_all(b"]\n}\n")
    } else {
        out.write_all(b"\n  ]\n}\n")
    }
}

impl<'a> JsonDiagnostic<'a> {
    fn new(d: &'a crate::diag::Diagnostic) -> Self {
        JsonDiagnostic {
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
        }
    }
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
