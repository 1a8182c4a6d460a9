//! The monthly human-readable VDR report (VER-TFR-MHR) under `fedramp-cr26` in Markdown, as
//! `poam export ver` writes it beside the JSON: a pure renderer of the CR26 profile's summary
//! ([`VdrSummary`], the same data `poam report` shows under that profile).

use std::fmt::Write as _;

use crate::profiles::cr26::{VdrRow, VdrSummary};

/// A Markdown table cell: no pipes or line breaks, control characters shown as escapes and
/// @-mentions neutralised (the report may be posted as a comment).
fn cell(text: &str) -> String {
    let text = text.replace('|', "\\|").replace(['\n', '\r'], " ");
    super::text::mentions(&super::text::inline(&text)).into_owned()
}

fn table(out: &mut String, title: &str, rows: &[VdrRow], note_header: &str) {
    let _ = writeln!(out, "\n## {title}\n");
    if rows.is_empty() {
        let _ = writeln!(out, "None.");
        return;
    }
    let _ = writeln!(
        out,
        "| Id | Title | Current rating | Reduce by | Next reduction | {note_header} |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for row in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&row.id),
            cell(&row.title),
            cell(&row.rating),
            cell(row.reduction_deadline.as_deref().unwrap_or("")),
            cell(row.next_reduction.as_deref().unwrap_or("")),
            cell(row.note.as_deref().unwrap_or(""))
        );
    }
}

/// The report as Markdown.
pub fn markdown(summary: &VdrSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Vulnerability detection and response report, {}\n",
        summary.period
    );
    let _ = writeln!(
        out,
        "Class {} · as of {} · FedRAMP VER-TFR-MHR",
        summary.class, summary.today
    );
    if let Some(uri) = &summary.package_overview_uri {
        let _ = writeln!(out, "\nCertification package overview: <{uri}>");
    }
    let c = &summary.counts;
    let _ = writeln!(out, "\n## Summary\n");
    let _ = writeln!(out, "| | Count |\n|---|---|");
    let _ = writeln!(out, "| Open vulnerabilities | {} |", c.open);
    let _ = writeln!(out, "| Accepted | {} |", c.accepted);
    let _ = writeln!(out, "| Not evaluated | {} |", c.not_evaluated);
    let _ = writeln!(
        out,
        "| Overdue or likely overdue | {} |",
        summary.overdue.len()
    );
    let _ = writeln!(out, "| Closed in the period | {} |", c.closed_in_period);
    let _ = writeln!(
        out,
        "\n| Current rating | LEV+IRV | LEV+NIRV | NLEV |\n|---|---|---|---|"
    );
    let _ = writeln!(
        out,
        "| All | {} | {} | {} |",
        c.by_column.get("LEV+IRV").copied().unwrap_or(0),
        c.by_column.get("LEV+NIRV").copied().unwrap_or(0),
        c.by_column.get("NLEV").copied().unwrap_or(0)
    );
    let ratings: Vec<String> = (1..=5)
        .rev()
        .map(|n| {
            format!(
                "N{n}: {}",
                c.by_rating.get(&format!("N{n}")).copied().unwrap_or(0)
            )
        })
        .collect();
    let _ = writeln!(out, "\nBy current rating: {}.", ratings.join(", "));
    table(
        &mut out,
        "Overdue and likely overdue",
        &summary.overdue,
        "Explanation",
    );
    table(
        &mut out,
        "Accepted vulnerabilities",
        &summary.accepted,
        "Why accepted",
    );
    table(
        &mut out,
        "Next reductions",
        &summary.next_reductions,
        "Note",
    );
    table(
        &mut out,
        "Known exploited vulnerabilities",
        &summary.kev,
        "KEV",
    );
    table(&mut out, "Incident treatment", &summary.incidents, "Rule");
    table(
        &mut out,
        "Not evaluated",
        &summary.not_evaluated,
        "Evaluation",
    );
    out
}
