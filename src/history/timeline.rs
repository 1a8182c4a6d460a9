//! Timelines: the events of the items `poam log` and reports show, picked from a history.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Event, History, HistoryError};

/// The events of one item id, ready to render.
#[derive(Clone, Debug)]
pub struct Timeline<'a> {
    pub id: &'a str,
    pub former_ids: Vec<&'a str>,
    pub path: &'a str,
    pub exists: bool,
    pub pre_existing: bool,
    pub events: Vec<&'a Event>,
}

/// Picks the timelines to show: `ids` (matching current or former ids; all when empty),
/// events on or after `since`. Files that claim the same id share one timeline.
pub fn select<'a>(
    history: &'a History,
    ids: &[String],
    since: Option<NaiveDate>,
) -> Result<Vec<Timeline<'a>>, HistoryError> {
    let unknown: Vec<String> = ids
        .iter()
        .filter(|id| !history.items.iter().any(|item| item.answers_to(id)))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(HistoryError::UnknownItems { ids: unknown });
    }
    let order: HashMap<&str, usize> = history
        .changed_commits
        .iter()
        .enumerate()
        .map(|(index, commit)| (commit.id.as_str(), index))
        .collect();
    let position = |event: &Event| {
        event
            .commit()
            .and_then(|c| order.get(c.id.as_str()))
            .copied()
            .unwrap_or(usize::MAX)
    };
    let mut timelines: Vec<Timeline<'a>> = Vec::new();
    for item in &history.items {
        let named = ids.iter().any(|id| item.answers_to(id));
        if !ids.is_empty() && !named {
            continue;
        }
        let events = item
            .events
            .iter()
            .filter(|e| match (since, e.commit()) {
                (Some(date), Some(commit)) => commit.is_on_or_after(date),
                _ => true,
            })
            .collect::<Vec<_>>();
        let quiet = since.is_some() && events.is_empty() && !named;
        if quiet {
            continue;
        }
        // `history.items` is sorted by id, so a shared id is always the previous timeline.
        match timelines.last_mut().filter(|t| t.id == item.id) {
            Some(timeline) => {
                timeline.events.extend(events);
                timeline.events.sort_by_key(|e| position(e));
                timeline
                    .former_ids
                    .extend(item.former_ids.iter().map(String::as_str));
                if item.exists {
                    timeline.exists = true;
                    timeline.path = &item.path;
                }
                timeline.pre_existing |= item.pre_existing;
            }
            None => timelines.push(Timeline {
                id: &item.id,
                former_ids: item.former_ids.iter().map(String::as_str).collect(),
                path: &item.path,
                exists: item.exists,
                pre_existing: item.pre_existing,
                events,
            }),
        }
    }
    Ok(timelines)
}
