//! Output formats. Each is a pure function of what it renders: the findings [`Report`], the
//! audit trail, an item view.

pub mod cmmc;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod log;
pub mod pretty;
pub mod rdjson;
pub mod sarif;
pub mod short;
pub mod show;
pub mod text;
pub mod vdr;
pub mod yaml;

use crate::diag::Report;
use text::plural;

/// Output format of the findings (`--format`; its command-line names are in `crate::cli`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Short,
    Json,
    Github,
    Sarif,
    /// reviewdog's Diagnostic Format.
    Rdjson,
    /// GitLab Code Quality.
    Gitlab,
    /// JUnit XML, one test case per item.
    Junit,
}

pub fn render(report: &Report, format: Format, color: bool) -> Result<String, serde_json::Error> {
    Ok(match format {
        Format::Human => human::render(report, color),
        Format::Short => short::render(report),
        Format::Json => json::render(report)?,
        Format::Github => github::render(report),
        Format::Sarif => sarif::render(report)?,
        Format::Rdjson => rdjson::render(report)?,
        Format::Gitlab => gitlab::render(report)?,
        Format::Junit => junit::render(report),
    })
}

/// `3 errors, 5 warnings, 1 note in 42 items`.
pub fn summary_line(report: &Report) -> String {
    let s = crate::diag::Summary::of(&report.diagnostics);
    format!(
        "{}, {}, {} in {}",
        plural(s.error, "error"),
        plural(s.warning, "warning"),
        plural(s.note, "note"),
        plural(report.items, "item")
    )
}

/// The flag that applies a fix of this safety.
pub fn fix_flag(safety: crate::diag::Safety) -> &'static str {
    match safety {
        crate::diag::Safety::Safe => "--fix",
        crate::diag::Safety::Unsafe => "--fix --unsafe-fixes",
    }
}

/// `[*] 3 fixable with --fix (2 more with --unsafe-fixes)`, as ruff says it, when findings
/// carry fixes.
pub fn fixable_line(report: &Report) -> Option<String> {
    let count = |safety| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|fix| fix.safety == safety))
            .count()
    };
    let (safe, unsafe_) = (
        count(crate::diag::Safety::Safe),
        count(crate::diag::Safety::Unsafe),
    );
    match (safe, unsafe_) {
        (0, 0) => None,
        (0, n) => Some(format!("[*] {n} fixable with --fix --unsafe-fixes")),
        (n, 0) => Some(format!("[*] {n} fixable with --fix")),
        (n, m) => Some(format!(
            "[*] {n} fixable with --fix ({m} more with --unsafe-fixes)"
        )),
    }
}

/// A pull request's check: `12 findings on 9 items this pull request does not touch (run
/// `poam lint`)`, when it left any out.
pub fn untouched_line(report: &Report) -> Option<String> {
    let untouched = report.untouched.filter(|u| u.findings > 0)?;
    Some(format!(
        "{} on {} this pull request does not touch (run `poam lint`)",
        plural(untouched.findings, "finding"),
        plural(untouched.items, "item")
    ))
}

/// `312 findings suppressed: 300 by the baseline, 12 by waivers (--show-suppressed lists
/// them)`, when any were.
pub fn suppressed_line(report: &Report) -> Option<String> {
    let s = report.suppression;
    let total = s.baseline + s.waived;
    if total == 0 {
        return None;
    }
    let mut parts = Vec::new();
    if s.baseline > 0 {
        parts.push(format!("{} by the baseline", s.baseline));
    }
    if s.waived > 0 {
        parts.push(format!("{} by waivers", s.waived));
    }
    let hint = if report.show_suppressed {
        ""
    } else {
        " (--show-suppressed lists them)"
    };
    Some(format!(
        "{total} {} suppressed: {}{hint}",
        if total == 1 { "finding" } else { "findings" },
        parts.join(", ")
    ))
}

/// A pull request's check whose baseline file changed: `the baseline file changed in this
/// pull request: 3 entries added, 1 removed (the base commit's baseline applies)`.
pub fn baseline_changed_line(report: &Report) -> Option<String> {
    let change = report.suppression.baseline_changed?;
    Some(format!(
        "the baseline file changed in this pull request: {} added, {} removed (the base commit's baseline applies)",
        if change.added == 1 { "1 entry".to_owned() } else { format!("{} entries", change.added) },
        change.removed
    ))
}

/// Pretty JSON with a final newline, for any serializable document.
pub fn json_document<T: serde::Serialize>(document: &T) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(document)?;
    text.push('\n');
    Ok(text)
}
