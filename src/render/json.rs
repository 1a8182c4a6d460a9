//! Versioned JSON: `{"version": 1, "today", "items", "summary", "diagnostics": [...]}`, with
//! `"untouched": {"findings", "items"}` before `diagnostics` in a pull request's check.

use rayon::prelude::*;

use super::pretty;

use crate::diag::Report;
use crate::diag::Summary;

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
    // Only a pull request's check has findings it left out.
    if let Some(untouched) = &report.untouched {
        head.extend_from_slice(b",\n  \"untouched\": ");
        pretty::append(&mut head, untouched, 1);
    }
    head.extend_from_slice(b",\n  \"diagnostics\": [");
    out.write_all(&head)?;
    let mut first = true;
    for wave in report.diagnostics.chunks(CHUNK * WAVE) {
        let parts: Vec<Vec<u8>> = wave
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut part = Vec::with_capacity(chunk.len() * 512);
                for diagnostic in chunk {
                    part.extend_from_slice(b",\n    ");
                    write_diagnostic(&mut part, diagnostic);
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

/// One finding as `serde_json`'s pretty printer writes a [`JsonDiagnostic`] two levels deep,
/// written directly: a migrated repository has a finding in nearly every file, and going
/// through serde's field-by-field machinery was most of the report's cost. A test checks the
/// bytes against serde's.
fn write_diagnostic(out: &mut Vec<u8>, d: &crate::diag::Diagnostic) {
    out.extend_from_slice(b"{\n      \"code\": ");
    string(out, d.code.as_str());
    out.extend_from_slice(b",\n      \"severity\": ");
    string(out, d.severity.as_str());
    out.extend_from_slice(b",\n      \"item\": ");
    optional_string(out, d.item.as_deref());
    out.extend_from_slice(b",\n      \"file\": ");
    string(out, &d.location.file);
    out.extend_from_slice(b",\n      \"line\": ");
    number(out, d.location.start.line);
    out.extend_from_slice(b",\n      \"column\": ");
    number(out, d.location.start.column);
    out.extend_from_slice(b",\n      \"end_line\": ");
    number(out, d.location.end.line);
    out.extend_from_slice(b",\n      \"end_column\": ");
    number(out, d.location.end.column);
    out.extend_from_slice(b",\n      \"message\": ");
    string(out, &d.message);
    out.extend_from_slice(b",\n      \"help\": ");
    optional_string(out, d.help.as_deref());
    out.extend_from_slice(b",\n      \"related\": [");
    for (index, related) in d.related.iter().enumerate() {
        out.extend_from_slice(if index == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(b"        {\n          \"file\": ");
        string(out, &related.location.file);
        out.extend_from_slice(b",\n          \"line\": ");
        number(out, related.location.start.line);
        out.extend_from_slice(b",\n          \"column\": ");
        number(out, related.location.start.column);
        out.extend_from_slice(b",\n          \"message\": ");
        string(out, &related.message);
        out.extend_from_slice(b"\n        }");
    }
    if !d.related.is_empty() {
        out.extend_from_slice(b"\n      ");
    }
    out.extend_from_slice(b"]\n    }");
}

/// A JSON string. Text with nothing to escape (nearly all) is copied as it is; anything else
/// goes through `serde_json`, so the escapes are exactly its own.
fn string(out: &mut Vec<u8>, text: &str) {
    if !needs_escape(text.as_bytes()) {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        // Writing a string into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, text);
    }
}

/// Whether JSON must escape any of `bytes`.
fn needs_escape(bytes: &[u8]) -> bool {
    crate::bytes::any_byte(bytes, |b| (b < 0x20) | (b == b'"') | (b == b'\\'))
}

fn optional_string(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

fn number(out: &mut Vec<u8>, n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// About the length of the rendered report: the strings it carries plus the keys and
/// indentation around them.
fn estimated_len(report: &Report) -> usize {
    const PER_DIAGNOSTIC: usize = 320;
    const PER_RELATED: usize = 120;
    let strings = |d: &crate::diag::Diagnostic| {
        d.message.len()
            + d.location.file.len()
            + d.help.as_ref().map_or(0, |h| h.len())
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::Serialize;

    use super::*;
    use crate::code::Code;
    use crate::diag::{Diagnostic, Related, Severity};
    use crate::model::{LineCol, Span};
    use crate::source::Location;

    /// The shape `serde_json` prints, to check [`write_diagnostic`] against.
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

    fn location(file: &str, line: usize) -> Location {
        Location {
            file: file.to_owned(),
            span: Span::new(0, 1),
            start: LineCol { line, column: 3 },
            end: LineCol {
                line: line + 1,
                column: 12_345_678,
            },
        }
    }

    fn diagnostic(
        text: &str,
        item: Option<&str>,
        help: Option<&str>,
        related: usize,
    ) -> Diagnostic {
        Diagnostic {
            code: Code::VdrLegacyField,
            severity: crate::diag::Severity::Note,
            item: item.map(str::to_owned),
            location: location(text, 0),
            label: None,
            message: text.to_owned(),
            help: help.map(|h| h.to_owned().into()),
            related: (0..related)
                .map(|n| Related {
                    location: location(&format!("{text}{n}"), n * 1000),
                    message: format!("{n}: {text}"),
                })
                .collect(),
        }
    }

    fn serde_bytes(d: &Diagnostic) -> Vec<u8> {
        let mut out = Vec::new();
        pretty::append(&mut out, &JsonDiagnostic::new(d), 2);
        out
    }

    fn direct_bytes(d: &Diagnostic) -> Vec<u8> {
        let mut out = Vec::new();
        write_diagnostic(&mut out, d);
        out
    }

    #[test]
    fn an_escape_is_found_at_every_position_of_the_blocks() {
        for len in 0..50 {
            assert!(!needs_escape("a".repeat(len).as_bytes()));
            for at in 0..len {
                for special in [b'"', b'\\', b'\n', 0x1f] {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = special;
                    assert!(needs_escape(&bytes), "{special} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn every_escape_is_written_as_serde_writes_it() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            every_ascii.as_str(),
            "",
            "plain",
            "a \"quote\" and a \\",
            "é ü 日本 🦀",
        ] {
            for related in 0..3 {
                for (item, help) in [(None, None), (Some(text), Some(text))] {
                    let d = diagnostic(text, item, help, related);
                    assert_eq!(
                        String::from_utf8(direct_bytes(&d)).expect("utf-8"),
                        String::from_utf8(serde_bytes(&d)).expect("utf-8")
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_finding_is_written_as_serde_writes_it(
            text in "\\PC*|[\\x00-\\x7f]*",
            related in 0usize..3,
        ) {
            let d = diagnostic(&text, Some(&text), Some(&text), related);
            prop_assert_eq!(direct_bytes(&d), serde_bytes(&d));
        }
    }
}
