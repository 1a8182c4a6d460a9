//! The pieces two or more profiles build their answers from: the fields every new item starts
//! with, a milestone and a `due` date to start with, the standing of an item judged by its
//! `due` date (Rev5, DoD), the export mapping of a `due` date, the profile's own templates
//! and the site's standing CSV. Each profile keeps only what differs.

use chrono::NaiveDate;

use super::{ExportDeadline, ExportMapping, NewItem, Scanned, StartDeadline, Starting};
use crate::edit::NewValue;
use crate::policy::rev5::Excuse;
use crate::policy::Assessment;
use crate::view::{DeadlineView, ItemView, RatingView, StandingView, State};

/// What the import writes as the milestone of a scanned item.
pub(super) const SCANNED_MILESTONE: &str = "Remediate on every asset and verify with a re-scan.";

/// The fields every profile's new item starts with (`poam new`): what the command was told,
/// today as the detection and status date, and empty placeholders that `poam lint` reports
/// until a person fills them in. The editor writes fields in the documented order, whatever
/// order a profile adds its own in.
pub(super) fn new_item_fields(
    id: &str,
    request: &NewItem<'_>,
    today: NaiveDate,
) -> Vec<(String, NewValue)> {
    let text = |s: Option<&str>| NewValue::Str(s.unwrap_or_default().to_owned());
    let list = |items: &[String]| NewValue::List(items.iter().map(|s| text(Some(s))).collect());
    let mut fields = vec![
        ("id".to_owned(), text(Some(id))),
        ("title".to_owned(), text(request.title)),
        ("description".to_owned(), text(None)),
        ("controls".to_owned(), NewValue::List(Vec::new())),
        ("detector".to_owned(), text(request.detector)),
        ("detector_id".to_owned(), text(None)),
        ("assets".to_owned(), list(request.assets)),
        ("owner".to_owned(), text(None)),
        ("remediation".to_owned(), text(None)),
        ("detected".to_owned(), NewValue::Date(today)),
        ("status".to_owned(), text(Some("open"))),
        ("status_date".to_owned(), NewValue::Date(today)),
    ];
    if !request.cves.is_empty() {
        fields.push(("cves".to_owned(), list(request.cves)));
    }
    fields
}

/// `milestones:` with one milestone, number 1, on `date`, saying `description`; with
/// `status: open` where the profile's milestones carry a status (DoD).
pub(super) fn one_milestone(
    date: NaiveDate,
    description: &str,
    status: bool,
) -> (String, NewValue) {
    let mut milestone = vec![
        ("id".to_owned(), NewValue::Int(1)),
        ("date".to_owned(), NewValue::Date(date)),
        (
            "description".to_owned(),
            NewValue::Str(description.to_owned()),
        ),
    ];
    if status {
        milestone.push(("status".to_owned(), NewValue::Str("open".to_owned())));
    }
    (
        "milestones".to_owned(),
        NewValue::List(vec![NewValue::Map(milestone)]),
    )
}

/// Why `poam new --risk` has no meaning under `profile`, and what rates an item there.
pub(super) fn risk_refused(profile: &str, instead: &str) -> String {
    format!("`--risk` sets a Rev5 rating, which moves no deadline under `{profile}`: {instead}")
}

/// `day` + `days`.
pub(super) fn days_after(day: NaiveDate, days: u32) -> NaiveDate {
    day + chrono::Days::new(u64::from(days))
}

/// The `due` date of a scanned item given `days` for its rating: detection + `days`, capped by
/// the KEV due date; the KEV due date alone when the scan gives no rating.
pub(super) fn scanned_due(scanned: &Scanned<'_>, days: Option<u32>) -> Option<NaiveDate> {
    days.map(|days| {
        let by_rating = days_after(scanned.detected, days);
        scanned.kev_due.map_or(by_rating, |kev| kev.min(by_rating))
    })
    .or(scanned.kev_due)
}

/// An item that starts with `fields`, due on `due` (the deadline the command reports), rated
/// `rating`; with no rating a person must rate it.
pub(super) fn due_start(
    fields: Vec<(String, NewValue)>,
    due: Option<NaiveDate>,
    rating: Option<String>,
) -> Starting {
    Starting {
        fields,
        vdr_note: None,
        deadline: due.map(|date| StartDeadline { kind: "due", date }),
        needs_rating: rating.is_none(),
        rating,
    }
}

/// A deadline's date as written in views: `YYYY-MM-DD`, or RFC 3339 with a time of day.
pub(super) fn deadline(
    kind: &'static str,
    date: String,
    day: NaiveDate,
    today: NaiveDate,
    target: Option<String>,
) -> DeadlineView {
    let days_left = crate::policy::days_between(today, day);
    DeadlineView {
        kind,
        date,
        target,
        days_left,
        passed: days_left < 0,
    }
}

/// The standing of a closed item with nothing more to say: where a profile starts.
pub(super) fn closed_standing(profile: &'static str) -> StandingView {
    StandingView {
        profile,
        state: State::Closed,
        excuse: None,
        likely_late: false,
        next_deadline: None,
        rating: None,
        note: None,
    }
}

/// The standing of an item judged by its `due` date (Rev5, DoD): closed, late, excused, due
/// soon or on time; the next deadline is `due`, else the policy's deadline, named `kev_kind`
/// when the KEV due date set it and `policy_kind` otherwise. No rating and no note.
pub(super) fn due_standing(
    profile: &'static str,
    a: &Assessment,
    kev_kind: &'static str,
    policy_kind: &'static str,
) -> StandingView {
    let state = if !a.open {
        State::Closed
    } else if a.overdue {
        State::Late
    } else if a.excuse.is_some() {
        State::Excused
    } else if a.due_soon {
        State::DueSoon
    } else {
        State::OnTime
    };
    let next_deadline = if !a.open {
        None
    } else if let Some(due) = a.due {
        Some(deadline("due", due.to_string(), due, a.today, None))
    } else {
        a.policy_deadline.map(|p| {
            let kind = if p.kev_bound { kev_kind } else { policy_kind };
            deadline(kind, p.date.to_string(), p.date, a.today, None)
        })
    };
    StandingView {
        state,
        excuse: a.excuse.map(Excuse::describe),
        next_deadline,
        ..closed_standing(profile)
    }
}

/// A rating that is a label and where it comes from (no CR26 parts).
pub(super) fn rating(label: String, source: &'static str) -> RatingView {
    RatingView {
        label,
        source,
        pain: None,
        irv: None,
        lev: None,
    }
}

/// Scheduled Completion Date: `due`; the OSCAL deadline: `due`, else the policy deadline.
pub(super) fn due_mapping(
    view: &ItemView,
    risk_props: Vec<(&'static str, String)>,
) -> ExportMapping {
    ExportMapping {
        scheduled_completion: view.due,
        deadline: view
            .due
            .or(view.assessment.policy_deadline)
            .map(|date| ExportDeadline { date, at: None }),
        comment: None,
        risk_props,
    }
}

/// The profile's own form of the built-in template `name`: the entry of `own` that is `name`
/// in the profile's folder (`dod/report.md.j2` for `report.md.j2`), else `name`.
pub(super) fn own_template(own: &'static [&'static str], name: &'static str) -> &'static str {
    own.iter()
        .copied()
        .find(|t| t.split_once('/').is_some_and(|(_, rest)| rest == name))
        .unwrap_or(name)
}

/// A column of the site's `poam.csv` ([`standing_csv`]): its header and how an item fills it.
pub(crate) type CsvColumn = (&'static str, fn(&ItemView) -> String);

/// The columns between `title` and `state` of a [`standing_csv`] for a profile whose items
/// are the Rev5 kind: owner, status, detection date and the standing's rating.
pub(super) const STANDING_LEAD: [CsvColumn; 4] = [
    ("owner", |v| v.owner.clone().unwrap_or_default()),
    ("status", |v| v.status.unwrap_or_default().to_owned()),
    ("detected", |v| {
        v.detected.map(|d| d.to_string()).unwrap_or_default()
    }),
    ("rating", |v| {
        v.standing
            .rating
            .as_ref()
            .map(|r| r.label.clone())
            .unwrap_or_default()
    }),
];

/// The site's `poam.csv` for a profile whose standing says it all: one row per item with its
/// id and title, the profile's `lead` columns, the standing's state and next deadline, then
/// the profile's own `columns`, the closing date and the path, so the CSV speaks the same
/// deadlines as the pages and the lint.
pub(super) fn standing_csv(
    views: &[ItemView],
    lead: &[CsvColumn],
    columns: &[CsvColumn],
) -> String {
    let mut out = String::from("id,title");
    for (header, _) in lead {
        out.push(',');
        out.push_str(header);
    }
    out.push_str(",state,next_deadline_kind,next_deadline,days_left");
    for (header, _) in columns {
        out.push(',');
        out.push_str(header);
    }
    out.push_str(",closed,path\n");
    let cells = |row: &mut Vec<String>, view: &ItemView, columns: &[CsvColumn]| {
        row.extend(columns.iter().map(|(_, cell)| super::csv_cell(&cell(view))));
    };
    for view in views {
        let s = &view.standing;
        let next = s.next_deadline.as_ref();
        let text = |value: Option<String>| super::csv_cell(&value.unwrap_or_default());
        let mut row = vec![text(view.id.clone()), text(view.title.clone())];
        cells(&mut row, view, lead);
        row.extend([
            s.state.name().to_owned(),
            text(next.map(|d| d.kind.to_owned())),
            text(next.map(|d| d.date.clone())),
            // Numbers are written as they are: only text is defused.
            next.map(|d| d.days_left.to_string()).unwrap_or_default(),
        ]);
        cells(&mut row, view, columns);
        row.push(text(
            view.closed
                .as_ref()
                .and_then(|c| c.date)
                .map(|d| d.to_string()),
        ));
        row.push(text(Some(view.path.clone())));
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
