//! `poam show` for a person: where one item stands, computed fields first.

use std::fmt::Write as _;

use crate::view::ItemView;

const BOLD: &str = "\u{1b}[1m";
const RED: &str = "\u{1b}[31m";
const YELLOW: &str = "\u{1b}[33m";
const RESET: &str = "\u{1b}[0m";

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
    let id = view.id.as_deref().unwrap_or("(no id)");
    let title = view.title.as_deref().unwrap_or("(no title)");
    let _ = writeln!(out, "{}", paint(BOLD, &format!("{id}  {title}")));
    let mut row = |label: &str, value: String| {
        let _ = writeln!(out, "  {label:<16} {value}");
    };
    row("file", view.path.clone());
    let status = match (view.status, a.status_age.as_ref()) {
        (Some(status), Some(age)) => {
            let source = if age.source == "status-date" {
                "status date"
            } else {
                "last commit"
            };
            let stale = if age.stale { ", stale" } else { "" };
            format!(
                "{status} ({source} {}, {} ago{stale})",
                age.date,
                days(age.age_days)
            )
        }
        (Some(status), None) => status.to_owned(),
        (None, _) => "(no status)".to_owned(),
    };
    row("status", status);
    if let Some(risk) = a.effective_risk {
        let source = match a.effective_risk_source {
            Some("risk-adjustment") => format!(
                "approved risk adjustment; originally {}",
                view.risk.unwrap_or("unrated")
            ),
            _ => "risk".to_owned(),
        };
        row("effective risk", format!("{risk} (from {source})"));
    }
    if let (Some(start), Some(source)) = (a.clock_start, a.clock_start_source) {
        let what = if source == "fix-released" {
            "the vendor's fix release"
        } else {
            "detection"
        };
        row("clock start", format!("{start} ({what})"));
    }
    if let (Some(deadline), Some(days_allowed)) = (a.policy_deadline, a.policy_days) {
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
                    Some(excuse) => format!("{late}, excused: {}", excuse.description),
                    None => paint(RED, &format!("{late}, overdue")),
                }
            }
            (true, Some(0)) => paint(YELLOW, "due today"),
            (true, Some(left)) if a.due_soon => paint(YELLOW, &format!("{} left", days(left))),
            (true, Some(left)) => format!("{} left", days(left)),
            _ => "closed".to_owned(),
        };
        row("due", format!("{due} ({state})"));
    }
    if let Some(vendor) = &view.vendor_dependency {
        let product = vendor.product.as_deref().unwrap_or("(no product)");
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
                next.description.as_deref().unwrap_or("")
            ),
        );
    }
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
    if !view.milestones.is_empty() {
        let _ = writeln!(out, "  milestones");
        for m in &view.milestones {
            let state = match m.completed {
                Some(date) => format!("complete {date}"),
                None if m.overdue => paint(RED, "overdue"),
                None => "open".to_owned(),
            };
            let moved = match m.planned_date {
                Some(planned) if planned != m.date => format!(" (planned {planned})"),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "    {:>3}  {}{moved}  {state}  {}",
                m.id,
                m.date,
                m.description.as_deref().unwrap_or("")
            );
        }
    }
    out
}
