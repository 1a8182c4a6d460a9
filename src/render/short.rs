//! `path:line:col: severity[code] message`, one finding per line (item text escaped: a
//! value's line break or escape sequence never starts a line or reaches the terminal).

use std::fmt::Write;

use crate::diag::{Diagnostic, Report};

use super::text::inline;

/// The findings, then with `--show-suppressed` the suppressed ones, each marked
/// `suppressed[code]`.
pub fn render(report: &Report) -> String {
    let mut out = lines(&report.diagnostics, "");
    if report.show_suppressed {
        for d in &report.suppressed {
            let _ = writeln!(
                out,
                "{}:{}:{}: suppressed[{}] {}",
                inline(&d.location.file),
                d.location.start.line,
                d.location.start.column,
                d.code.as_str(),
                inline(&d.message)
            );
        }
    }
    out
}

/// One line per finding, each after `indent`.
pub fn lines(diagnostics: &[Diagnostic], indent: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let _ = writeln!(
            out,
            "{indent}{}:{}:{}: {}[{}] {}",
            inline(&d.location.file),
            d.location.start.line,
            d.location.start.column,
            d.severity,
            d.code.as_str(),
            inline(&d.message)
        );
    }
    out
}
