//! `path:line:col: severity[code] message`, one finding per line.

use std::fmt::Write;

use crate::diag::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            d.location.file,
            d.location.start.line,
            d.location.start.column,
            d.severity,
            d.code.as_str(),
            d.message
        );
    }
    out
}
