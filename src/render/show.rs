//! `poam show` for a person: where one item stands, computed fields first.
//!
//! Item text is escaped ([`super::text`]): one-line fields show a line break as `\n`; text
//! that may run over lines (milestone descriptions, excuses) keeps its lines, each continued
//! under the column it starts in.

use std::fmt::Write as _;

use crate::view::ItemView;

use super::text::{block, inline};

const BOLD: &str = "\u{1b}[1m";
const RED: &str = "\u{1b}[31m";
const YELLOW: &str = "\u{1b}[33m";
const RESET: &str = "\u{1b}[0m";
/// Where a row's value starts: two spaces, a 16-column label, a space.
const VALUE_COLUMN: usize = 19;

/// Block text whose later lines are indented to `column`, so they stay under the first.
fn continued(text: &str, column: usize) -> String {
    block(text)
        .trim_end_matches('\n')
        .replace('\n', &format!("\n{}", " ".repeat(column)))
}

fn days(n: i64) -> String {
    if n.abs() == 1 {
        format!("{n} day")
    } else {
        format!("{n} days")
    }
}

pub fn render(view: &ItemView, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    };
    let a = &view.assessment;
    let mut out = String::new();
    let id = inline(view.id.as_deref().unwrap_or("(no id)"));
    let title = inline(view.title.as_deref().unwrap_or("(no title)"));
    let _ = writeln!(out, "{}", paint(BOLD, &format!("{id}  {title}")));
    let mut row = |label: &str, value: String| {
        let _ = writeln!(out, "  {label:<16} {value}");
    };
    row("file", inline(&view.path).into_owned());
    let status = match (view.status, a.status_age.as_ref()) {
        (Some(status), Some(age)) => {
            let source = if age.source == "status-date" {
                "status date"
            } else {
                "last commit"
            };
            let stale = if age.stale { ", stale" } else { "" };
            format!(
                "{} ({source} {}, {} ago{stale})",
                inline(status),
                age.date,
                days(age.age_days)
            )
        }
        (Some(status), None) => inline(status).into_owned(),
        (None, _) => "(no status)".to_owned(),
    };
    row("status", status);
    // An item about a requirement (CMMC): the requirement, the points it puts at stake and the
    // profile's standing (the closeout); the milestones follow as usual.
    if let Some(requirement) = &view.requirement {
        let points = view
            .standing
            .rating
            .as_ref()
            .map(|r| format!(" ({} at stake)", r.label))
            .unwrap_or_default();
        row("requirement", format!("{}{points}", inline(requirement)));
        standing_rows(&view.standing, &mut row, &paint);
    }
    if let Some(v) = &a.vdr {
        vdr_rows(v, &mut row, &paint);
        standing_rows(&view.standing, &mut row, &paint);
        // Under a profile with its own deadlines, `due`, the vendor check-ins and the
        // milestones judge nothing: the standing above replaces them.
        future_date_rows(a, &mut row, &paint);
        return out;
    }
    if let Some(rmf) = &view.rmf {
        // DoD RMF: the category and its deadline take the place of the effective risk.
        row("eMASS status", rmf.emass_status.to_owned());
        if let (Some(cat), Some(raw)) = (rmf.cat_label, rmf.raw_severity) {
            row("category", format!("{cat} (raw severity {raw})"));
        }
        if let (Some(deadline), Some(days_allowed)) = (a.policy_deadline, a.policy_days) {
            let why = if a.policy_deadline_kev && rmf.iava_comply_by == Some(deadline) {
                "the IAVA comply-by date".to_owned()
            } else if a.policy_deadline_kev {
                "the KEV due date".to_owned()
            } else {
                format!(
                    "{} allows {} from detection",
                    rmf.cat_label.unwrap_or("the category"),
                    days(i64::from(days_allowed))
                )
            };
            row("deadline", format!("{deadline} ({why})"));
        }
        if let Some(iava) = &rmf.iava_id {
            let by = rmf
                .iava_comply_by
                .map(|d| format!(", comply by {d}"))
                .unwrap_or_default();
            row("IAVA", format!("{}{by}", inline(iava)));
        }
        if rmf.emass_status == "Risk Accepted" {
            let until = match (rmf.risk_accepted_expires, rmf.acceptance_expired) {
                (Some(e), true) => paint(RED, &format!("expired {e}")),
                (Some(e), false) => format!("until {e}"),
                (None, _) => "long-term".to_owned(),
            };
            row("risk accepted", until);
        }
    }
    // Under fedramp-cr26 the Rev5 deadline rows are informational and would mislead.
    if let (Some(risk), None, None) = (a.effective_risk, &a.vdr, &view.rmf) {
        let source = match a.effective_risk_source {
            Some("risk-adjustment") => format!(
                "approved risk adjustment; originally {}",
                inline(view.risk.unwrap_or("unrated"))
            ),
            _ => "risk".to_owned(),
        };
        row("effective risk", format!("{risk} (from {source})"));
    }
    if let (Some(start), Some(source), None, None) =
        (a.clock_start, a.clock_start_source, &a.vdr, &view.rmf)
    {
        let what = if source == "fix-released" {
            "the vendor's fix release"
        } else {
            "detection"
        };
        row("clock start", format!("{start} ({what})"));
    }
    if let (Some(deadline), Some(days_allowed), None, None) =
        (a.policy_deadline, a.policy_days, &a.vdr, &view.rmf)
    {
        let why = if a.policy_deadline_kev {
            "the KEV due date".to_owned()
        } else {
            format!(
                "{} allows {}",
                a.effective_risk.unwrap_or("the rating"),
                days(i64::from(days_allowed))
            )
        };
        row("policy deadline", format!("{deadline} ({why})"));
    }
    if let Some(due) = view.due {
        let state = match (a.open, a.days_left) {
            (true, Some(left)) if left < 0 => {
                let late = format!("{} late", days(-left));
                match &a.excuse {
                    // DoD RMF: past the scheduled completion date, in eMASS's words.
                    None if view.rmf.is_some() => paint(RED, &format!("{} overdue", days(-left))),
                    Some(excuse) => format!(
                        "{late}, excused: {}",
                        continued(&excuse.description, VALUE_COLUMN)
                    ),
                    None => paint(RED, &format!("{late}, overdue")),
                }
            }
            (true, Some(0)) => paint(YELLOW, "due today"),
            (true, Some(left)) if a.due_soon => paint(YELLOW, &format!("{} left", days(left))),
            (true, Some(left)) => format!("{} left", days(left)),
            _ => "closed".to_owned(),
        };
        // DoD RMF calls `due` the scheduled completion date, as eMASS does.
        let label = if view.rmf.is_some() {
            "scheduled completion"
        } else {
            "due"
        };
        row(label, format!("{due} ({state})"));
    }
    if let Some(vendor) = &view.vendor_dependency {
        let product = inline(vendor.product.as_deref().unwrap_or("(no product)"));
        let checkin = match &a.vendor_checkin {
            Some(c) if !c.pending => "fix released".to_owned(),
            Some(c) => match (c.last, c.next_due) {
                (Some(last), Some(next)) if c.stale => paint(
                    RED,
                    &format!("last check-in {last}, next was due {next}: stale"),
                ),
                (Some(last), Some(next)) => format!("last check-in {last}, next due {next}"),
                _ => "no check-in recorded".to_owned(),
            },
            None => String::new(),
        };
        row("vendor", format!("{product}; {checkin}"));
    }
    if let Some(next) = &a.next_milestone {
        let when = if next.days_left < 0 {
            paint(RED, &format!("{} overdue", days(-next.days_left)))
        } else {
            format!("in {}", days(next.days_left))
        };
        row(
            "next milestone",
            format!(
                "{} on {} ({when}): {}",
                next.id,
                next.date,
                continued(next.description.as_deref().unwrap_or(""), VALUE_COLUMN)
            ),
        );
    }
    future_date_rows(a, &mut row, &paint);
    if !view.milestones.is_empty() {
        let _ = writeln!(out, "  milestones");
        for m in &view.milestones {
            let state = match (m.completed, emass_status(view, m)) {
                (Some(date), _) => format!("complete {date}"),
                (None, _) if m.overdue => paint(RED, "overdue"),
                // DoD RMF: the milestone's own status (`in-progress`, `archived`...).
                (None, Some(status)) => status.to_owned(),
                (None, None) => "open".to_owned(),
            };
            let moved = match m.planned_date {
                Some(planned) if planned != m.date => format!(" (planned {planned})"),
                _ => String::new(),
            };
            let head = format!("    {:>3}  {}{moved}  ", m.id, m.date);
            // The description's column, counted without the colour codes of `state`.
            let column = head.chars().count() + state_width(view, m) + 2;
            let _ = writeln!(
                out,
                "{head}{state}  {}",
                continued(m.description.as_deref().unwrap_or(""), column)
            );
        }
    }
    out
}

/// Dates of past events written after today, each counting for nothing.
fn future_date_rows(
    a: &crate::view::AssessmentView,
    row: &mut impl FnMut(&str, String),
    paint: &impl Fn(&str, &str) -> String,
) {
    for future in &a.future_dates {
        row(
            "future date",
            paint(
                RED,
                &format!(
                    "`{}` {} is after today: it counts for nothing",
                    future.field, future.date
                ),
            ),
        );
    }
}

/// The profile's judgement: the state and the deadline that decides it.
fn standing_rows(
    s: &crate::view::StandingView,
    row: &mut impl FnMut(&str, String),
    paint: &impl Fn(&str, &str) -> String,
) {
    let state = s.state.name().replace('-', " ");
    let state = match (&s.note, s.likely_late) {
        (Some(note), true) => format!("{state}, likely late: {note}"),
        (Some(note), false) => format!("{state}: {note}"),
        (None, true) => format!("{state}, likely late"),
        (None, false) => state,
    };
    let late = s.state == crate::view::State::Late;
    row("standing", if late { paint(RED, &state) } else { state });
    if let Some(d) = &s.next_deadline {
        let target = d
            .target
            .as_ref()
            .map(|t| format!(", to {t} or lower"))
            .unwrap_or_default();
        let when = match d.days_left {
            0 => "today".to_owned(),
            left if left < 0 => format!("passed {} ago", days(-left)),
            left => format!("in {}", days(left)),
        };
        let text = format!("{} {}{target} ({when})", d.kind, d.date);
        row(
            "next deadline",
            if d.passed { paint(RED, &text) } else { text },
        );
    }
}

/// The eMASS status a DoD RMF milestone is written with, when it has one.
fn emass_status(view: &ItemView, m: &crate::view::MilestoneView) -> Option<&'static str> {
    view.rmf
        .as_ref()?
        .milestone_status
        .iter()
        .find(|(id, _)| *id == m.id)
        .map(|(_, status)| *status)
}

/// The width of a milestone's state as shown, without colour.
fn state_width(view: &ItemView, m: &crate::view::MilestoneView) -> usize {
    match (m.completed, emass_status(view, m)) {
        (Some(date), _) => format!("complete {date}").len(),
        (None, _) if m.overdue => "overdue".len(),
        (None, Some(status)) => status.len(),
        (None, None) => "open".len(),
    }
}

/// The CR26 rows: class, evaluation, current rating, the next required reduction.
fn vdr_rows(
    v: &crate::view::VdrAssessmentView,
    row: &mut impl FnMut(&str, String),
    paint: &impl Fn(&str, &str) -> String,
) {
    row("class", v.class.to_ascii_uppercase());
    match (&v.evaluated, &v.evaluation_deadline) {
        (Some(evaluated), _) => {
            let late = if v.evaluation_late { " (late)" } else { "" };
            row("evaluated", format!("{evaluated}{late}"));
        }
        (None, Some(deadline)) if v.evaluation_overdue => row(
            "evaluated",
            paint(RED, &format!("not yet; was due {deadline}")),
        ),
        (None, Some(deadline)) => row("evaluated", format!("not yet; due {deadline}")),
        (None, None) => row("evaluated", "not yet".to_owned()),
    }
    if let Some(current) = &v.current_label {
        let since = v
            .current_since
            .as_deref()
            .map(|s| format!(" since {s}"))
            .unwrap_or_default();
        row(
            "current rating",
            format!("{}{}", inline(current), inline(&since)),
        );
    }
    match (&v.reduction_deadline, &v.timeframe) {
        (Some(deadline), Some(timeframe)) => {
            let text = format!("{deadline} ({timeframe} from evaluation)");
            let text = if v.reduction_late {
                paint(RED, &format!("{text}: passed"))
            } else {
                text
            };
            row("reduce by", text);
        }
        _ if v.current.is_some() => row("reduce by", "no timeframe at N1".to_owned()),
        _ => {}
    }
    if let (Some(at), Some(pain)) = (&v.next_reduction_at, v.next_reduction_pain) {
        let late = if v.planned_late {
            ", after the deadline"
        } else {
            ""
        };
        row("next reduction", format!("to N{pain} on {at}{late}"));
    }
    if v.accepted {
        row("accepted", "yes".to_owned());
    } else if let Some(deadline) = &v.accept_deadline {
        let text = format!("{deadline} unless fixed (192 days from evaluation)");
        row(
            "accept by",
            if v.must_accept {
                paint(RED, &text)
            } else {
                text
            },
        );
    }
    if let Some(explanation) = &v.overdue_explanation {
        row("overdue", paint(RED, &continued(explanation, VALUE_COLUMN)));
    }
    if let Some(disposition) = v.disposition {
        row("disposition", inline(disposition).into_owned());
    }
}
