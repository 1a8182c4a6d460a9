//! GitLab Code Quality (a CodeClimate subset): a JSON array of issues that GitLab shows in the
//! merge request's widget and diff when a job publishes it as `artifacts:reports:codequality`.
//!
//! Each issue's `fingerprint` must be unique in the report and stable across runs, so that
//! GitLab can tell new findings from fixed ones: it is the baseline fingerprint (item, rule,
//! message with its numbers folded; see `crate::baseline`) with the finding's occurrence
//! number, hashed again.

use std::collections::HashMap;

use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::diag::{Report, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'static str,
    description: String,
    severity: &'static str,
    fingerprint: String,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn render(report: &Report) -> Result<String, serde_json::Error> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue> = report
        .diagnostics
        .iter()
        .map(|d| {
            let base = crate::baseline::fingerprint(d);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let mut hasher = Sha1::new();
            hasher.update(format!("{base}:{n}").as_bytes());
            let fingerprint = hasher
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            Issue {
                kind: "issue",
                check_name: d.code.as_str(),
                description: match &d.item {
                    Some(item) => format!("{item}: {}", d.message),
                    None => d.message.clone(),
                },
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Note => "info",
                },
                fingerprint,
                location: Location {
                    path: &d.location.file,
                    lines: Lines {
                        begin: d.location.start.line,
                        end: d.location.end.line,
                    },
                },
            }
        })
        .collect();
    super::json_document(&issues)
}
