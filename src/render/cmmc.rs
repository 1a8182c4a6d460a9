//! `poam cmmc score`: the SPRS score report for people (JSON is the report serialized).

use std::fmt::Write as _;

use crate::profiles::cmmc::ScoreReport;

/// The report as lines a person reads.
pub fn human(r: &ScoreReport) -> String {
    let mut out = String::new();
    let who = match (r.kind, r.assessed) {
        (Some(kind), Some(on)) => format!(" ({kind}, assessed {on})"),
        (Some(kind), None) => format!(" ({kind})"),
        (None, Some(on)) => format!(" (assessed {on})"),
        (None, None) => String::new(),
    };
    let _ = writeln!(out, "CMMC Level {} assessment{who}: {}", r.level, r.file);
    match (r.score, r.ratio) {
        (Some(score), Some(ratio)) => {
            let _ = writeln!(
                out,
                "SPRS score: {score} of {} (ratio {ratio:.2}; {} points lost; floor {})",
                r.maximum, r.points_lost, r.floor
            );
        }
        _ => {
            let _ = writeln!(
                out,
                "SPRS score: none (3.12.4, the system security plan, is not met: no assessment without one)"
            );
        }
    }
    let _ = writeln!(
        out,
        "Requirements: {} met, {} not met, {} not applicable, {} not assessed",
        r.met,
        r.not_met,
        r.not_applicable,
        r.not_assessed.len()
    );
    let status = match r.status {
        "final" => "Final (every requirement met or not applicable: no POA&M needed)".to_owned(),
        "conditional" => format!(
            "Conditional status possible (at least {} points, every requirement not met allowed on a POA&M)",
            r.conditional_minimum
        ),
        _ => "Conditional status not possible".to_owned(),
    };
    let _ = writeln!(out, "Status: {status}");
    for reason in &r.reasons {
        let _ = writeln!(out, "  - {}", reason.text);
    }
    match (r.conditional_date, r.closeout, r.closeout_days_left) {
        (Some(conditional), Some(closeout), Some(left)) => {
            let when = if left < 0 {
                format!("passed {} days ago", -left)
            } else {
                format!("{left} days left")
            };
            let _ = writeln!(
                out,
                "Closeout: {closeout} (Conditional status date {conditional} + 180 days), {when}, {} open",
                if r.open_items == 1 {
                    "1 item".to_owned()
                } else {
                    format!("{} items", r.open_items)
                }
            );
        }
        _ => {
            let _ = writeln!(out, "Closeout: no Conditional status date yet");
        }
    }
    if !r.deductions.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Not met ({}):", r.deductions.len());
        let width = r.deductions.iter().map(|d| d.id.len()).max().unwrap_or(0);
        for d in &r.deductions {
            let points = match d.points {
                Some(1) => "1 point".to_owned(),
                Some(n) => format!("{n} points"),
                None => "no value".to_owned(),
            };
            let partial = d.partial.map_or_else(String::new, |p| format!(" ({p})"));
            let poam = if d.poam_allowed {
                "may be on a POA&M"
            } else {
                "not allowed on a POA&M"
            };
            let items = if d.items.is_empty() {
                "no item".to_owned()
            } else {
                d.items.join(", ")
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {points}{partial}, {poam}; {items}",
                d.id
            );
        }
    }
    out
}
