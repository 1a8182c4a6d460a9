//! `path:line:col: severity[code] message`, one finding per line (item text escaped: a
//! value's line break or escape sequence never starts a line or reaches the terminal).

use std::fmt::Write;

use crate::diag::Report;

use super::text::inline;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
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
