//! JUnit XML, for CI systems that show test reports (GitLab's `artifacts:reports:junit`,
//! Bitbucket Pipelines' test reports, Jenkins): one test case per item file, failed by its
//! errors; warnings and notes are in its `system-out`. Findings about other files
//! (`poam.yaml`, the baseline, the people file) get a test case of their own file.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::diag::{Diagnostic, Report, Severity};

use super::text::inline;

/// Escapes text for an XML attribute or element: the five special characters, and control
/// characters (shown as `\u{…}` by [`inline`], since XML 1.0 cannot carry most of them).
fn xml(text: &str) -> String {
    let text = inline(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        d.location.file,
        d.location.start.line,
        d.location.start.column,
        d.severity,
        d.code.as_str(),
        d.message
    )
}

pub fn render(report: &Report) -> String {
    let mut cases: BTreeMap<&str, Vec<&Diagnostic>> = report
        .files
        .iter()
        .map(|f| (f.as_str(), Vec::new()))
        .collect();
    for d in &report.diagnostics {
        cases.entry(d.location.file.as_str()).or_default().push(d);
    }
    let failures = cases
        .values()
        .filter(|ds| ds.iter().any(|d| d.severity == Severity::Error))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"poam\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        cases.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"poam lint\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" timestamp=\"{}T00:00:00\">",
        cases.len(),
        report.today
    );
    for (file, findings) in &cases {
        let name = xml(file);
        if findings.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase classname=\"poam\" name=\"{name}\" file=\"{name}\"/>"
            );
            continue;
        }
        let _ = writeln!(
            out,
            "    <testcase classname=\"poam\" name=\"{name}\" file=\"{name}\">"
        );
        let errors: Vec<&&Diagnostic> = findings
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if let Some(first) = errors.first() {
            let message = if errors.len() == 1 {
                first.message.clone()
            } else {
                format!("{} errors, the first: {}", errors.len(), first.message)
            };
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">",
                first.code.as_str(),
                xml(&message)
            );
            for d in &errors {
                let _ = writeln!(out, "{}", xml(&line(d)));
            }
            out.push_str("      </failure>\n");
        }
        let others: Vec<&&Diagnostic> = findings
            .iter()
            .filter(|d| d.severity != Severity::Error)
            .collect();
        if !others.is_empty() {
            out.push_str("      <system-out>\n");
            for d in others {
                let _ = writeln!(out, "{}", xml(&line(d)));
            }
            out.push_str("      </system-out>\n");
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn markup_and_control_characters_are_escaped() {
        assert_eq!(
            xml("a<b & \"c\"\u{1b}"),
            "a&lt;b &amp; &quot;c&quot;\\u{1b}"
        );
    }
}
