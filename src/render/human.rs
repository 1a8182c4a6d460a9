//! miette reports with the source snippet, then a summary line.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use crate::diag::Report;
use crate::diag::{Diagnostic, Severity};

use super::text::{inline, Shifts};

struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    /// The file's text escaped (no control character reaches the terminal), and where
    /// the escaping moved its bytes.
    source: Option<(NamedSource<String>, Shifts)>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&inline(&self.diagnostic.message))
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&inline(&self.diagnostic.message))
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let code = match &d.item {
            Some(item) => format!("{}[{}] {}", d.severity, d.code.as_str(), inline(item)),
            None => format!("{}[{}]", d.severity, d.code.as_str()),
        };
        Some(Box::new(code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let d = self.diagnostic;
        let mut lines: Vec<String> = d.help.iter().map(|h| inline(h).into_owned()).collect();
        if let Some(fix) = &d.fix {
            lines.push(format!(
                "[*] fixable with {}: {}",
                super::fix_flag(fix.safety),
                inline(&fix.title)
            ));
        }
        for related in &d.related {
            lines.push(format!(
                "{} ({}:{}:{})",
                inline(&related.message),
                inline(&related.location.file),
                related.location.start.line,
                related.location.start.column
            ));
        }
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|(s, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, shifts) = self.source.as_ref()?;
        let span = self.diagnostic.location.span;
        let (start, end) = (shifts.map(span.start), shifts.map(span.end));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            self.diagnostic
                .label
                .as_deref()
                .map(|l| inline(l).into_owned()),
            (start, end - start),
        ))))
    }
}

/// The findings, then the summary line.
pub fn render(report: &Report, color: bool) -> String {
    let mut out = findings(report, color);
    out.push_str(&super::summary_line(report));
    out.push('\n');
    if let Some(line) = super::untouched_line(report) {
        out.push_str(&line);
        out.push('\n');
    }
    for line in [
        super::fixable_line(report),
        super::suppressed_line(report),
        super::baseline_changed_line(report),
    ]
    .into_iter()
    .flatten()
    {
        out.push_str(&line);
        out.push('\n');
    }
    if report.show_suppressed && !report.suppressed.is_empty() {
        out.push_str("suppressed:\n");
        out.push_str(&super::short::lines(&report.suppressed, "  "));
    }
    out
}

/// The findings alone (`--quiet`).
pub fn findings(report: &Report, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let mut out = String::new();
    for diagnostic in &report.diagnostics {
        let source = report
            .sources
            .get(&diagnostic.location.file)
            .and_then(|file| {
                // An empty or unreadable file has no snippet worth showing.
                (!file.text.is_empty()).then(|| {
                    let (text, shifts) = super::text::source(&file.text);
                    (
                        NamedSource::new(inline(&file.name), text.into_owned()),
                        shifts,
                    )
                })
            });
        let rendered = Rendered { diagnostic, source };
        let mut text = String::new();
        if handler.render_report(&mut text, &rendered).is_err() {
            text = format!(
                "{}: {}\n",
                inline(&diagnostic.location.file),
                inline(&diagnostic.message)
            );
        }
        if rendered.source.is_none() {
            // Without a snippet miette does not name the file; say where it is.
            text = format!(
                "{}:{}:{}\n{text}",
                inline(&diagnostic.location.file),
                diagnostic.location.start.line,
                diagnostic.location.start.column
            );
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}
