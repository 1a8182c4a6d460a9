//! miette reports with the source snippet, then a summary line.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::diag::Report;
use crate::diag::{Diagnostic, Severity};
use crate::error::{ConfigError, ConfigProblem};
use crate::model::LineIndex;

use super::text::{inline, Shifts};

struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: Option<&'a Snippets<'a>>,
}

/// A file as its snippets show it, prepared once for all of its findings: its text escaped
/// (no control character reaches the terminal), where the escaping moved its bytes, and where
/// its lines start.
///
/// A snippet is cut from the lines around its finding. miette's own sources find those lines
/// by scanning from the start of the file, once per finding: 20,000 findings in one 180 KB
/// item took 30 s that way.
struct Snippets<'a> {
    name: String,
    text: Cow<'a, str>,
    shifts: Shifts,
    lines: LineIndex,
}

impl<'a> Snippets<'a> {
    fn new(name: &str, text: &'a str) -> Snippets<'a> {
        let (text, shifts) = super::text::source(text);
        // The escaped text breaks lines at `\n` only (a lone `\r` is escaped), as miette does.
        let lines = LineIndex::new(&text);
        Snippets {
            name: inline(name).into_owned(),
            text,
            shifts,
            lines,
        }
    }
}

/// The lines of source a snippet shows on either side of its finding's lines.
const CONTEXT_LINES: usize = 1;

/// A snippet whose lines are longer than this is not shown, only its place: miette panics on a
/// column past 65,535, and a CI log gains nothing from a whole minified file printed once per
/// finding (5,000 assets on one line, each with a finding, printed 450 MB).
const MAX_SNIPPET_LINE_BYTES: usize = 4096;

impl Snippets<'_> {
    /// Whether every line a snippet of the escaped bytes `start..end` shows is short enough.
    fn fits(&self, start: usize, end: usize) -> bool {
        let first = self.lines.line_of(start).saturating_sub(CONTEXT_LINES);
        let last = self.lines.line_of(end) + CONTEXT_LINES;
        (first..=last).all(|line| {
            let from = self.lines.line_start(line);
            let next = self.lines.line_start(line + 1);
            // Past the last line start, the line runs to the end of the text.
            let to = if next > from { next } else { self.text.len() };
            to - from <= MAX_SNIPPET_LINE_BYTES
        })
    }
}

impl SourceCode for Snippets<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        // miette reads the window from the start of its first line: the same lines it would
        // find in the whole text, numbered from there.
        let first = self
            .lines
            .line_of(span.offset())
            .saturating_sub(context_lines_before);
        let start = self.lines.line_start(first);
        let window = &self.text.as_bytes()[start..];
        let local = SourceSpan::new((span.offset() - start).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
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
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let shifts = &self.source?.shifts;
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

/// One problem of `poam.yaml`, shown as findings are: escaped, and without a snippet whose
/// lines are too long.
struct ConfigRendered<'a> {
    problem: &'a ConfigProblem,
    source: Option<&'a Snippets<'a>>,
}

impl fmt::Debug for ConfigRendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for ConfigRendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid configuration: {}",
            inline(&self.problem.message)
        )
    }
}

impl std::error::Error for ConfigRendered<'_> {}

impl miette::Diagnostic for ConfigRendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new("config"))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let help = self.problem.help.as_deref()?;
        Some(Box::new(inline(help).into_owned()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let shifts = &self.source?.shifts;
        let span = self.problem.span;
        let (start, end) = (shifts.map(span.start), shifts.map(span.end));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None,
            (start, end - start),
        ))))
    }
}

/// Every problem of a configuration file, each with its snippet, after a header line.
pub fn config_error(error: &ConfigError, color: bool) -> String {
    let handler = handler(color);
    let count = error.problems.len();
    let noun = if count == 1 { "problem" } else { "problems" };
    let name = inline(&error.source.name);
    let mut out = format!("error: {name} has {count} {noun}\n");
    let snippets = Snippets::new(&error.source.name, &error.source.text);
    for problem in &error.problems {
        let (start, end) = (
            snippets.shifts.map(problem.span.start),
            snippets.shifts.map(problem.span.end),
        );
        let source = snippets.fits(start, end).then_some(&snippets);
        let rendered = ConfigRendered { problem, source };
        let mut text = String::new();
        if source.is_none() || handler.render_report(&mut text, &rendered).is_err() {
            let at = error.source.line_col(problem.span.start);
            text = format!("{name}:{}:{}: {rendered}\n", at.line, at.column);
        }
        out.push_str(&text);
    }
    out
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

/// How findings and configuration problems are drawn.
fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES)
}

/// The findings alone (`--quiet`).
pub fn findings(report: &Report, color: bool) -> String {
    let handler = handler(color);
    let mut out = String::new();
    let mut snippets: HashMap<&str, Option<Snippets<'_>>> = HashMap::new();
    for diagnostic in &report.diagnostics {
        let file = diagnostic.location.file.as_str();
        let source = snippets
            .entry(file)
            .or_insert_with(|| {
                let source = report.sources.get(file)?;
                // An empty or unreadable file has no snippet worth showing.
                (!source.text.is_empty()).then(|| Snippets::new(&source.name, &source.text))
            })
            .as_ref()
            .filter(|source| {
                let span = diagnostic.location.span;
                source.fits(source.shifts.map(span.start), source.shifts.map(span.end))
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
