//! Charts as SVG, drawn at build time: no script, no fonts to fetch. Each chart carries a title
//! and a text alternative, and its numbers are also given as a table.
//!
//! The history series replay every item's versions from git: at each sample date, the item's
//! latest committed version is assessed as of that date (the assessment decides open, overdue
//! and the effective rating, as everywhere else).

use chrono::{Duration, NaiveDate, Utc};
use rayon::prelude::*;
use serde::Serialize;

use crate::history::{History, ItemHistory};
use crate::model::item::Item;
use crate::policy::{assess, days_between, Policy};
use crate::profiles::{ChartWords, SystemProfile};
use crate::view::{ItemView, State};

use super::markdown::escape_html;

/// Sample dates of the history charts, at most.
const SAMPLES: usize = 48;
const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 56.0;
/// Text size of tick labels and the legend, in drawing units (the drawing is shown at its
/// width or wider, so never smaller on screen).
const FONT: f64 = 13.0;
/// The width of one character of a tick label, generously (digits and `-` at [`FONT`]).
const CHAR_WIDTH: f64 = 8.0;
/// Space kept free between two tick labels.
const LABEL_GAP: f64 = 16.0;
/// A series with at most this many points has each point drawn as a marker too (a single
/// point of a line would be invisible).
const MARKERS_UP_TO: usize = 16;

/// Colours with at least 4.5:1 contrast on white, one per risk bucket.
fn colour(name: &str) -> &'static str {
    match name {
        "high" | "overdue" | "late" | "N5" => "#b00020",
        "moderate" | "N4" => "#8a4b00",
        "low" | "N3" => "#1f5fa8",
        "within deadline" | "N2" => "#2e6b30",
        "N1" => "#6a3d9a",
        _ => "#555555",
    }
}

/// One named series of a chart.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    pub name: &'static str,
    pub values: Vec<usize>,
}

/// A chart ready for a page.
#[derive(Clone, Debug, Serialize)]
pub struct Chart {
    /// Used in ids: `open`, `overdue`, `age`.
    pub key: &'static str,
    pub title: String,
    /// One or two sentences saying what the chart shows.
    pub alt: String,
    /// Labels of the x axis (dates or age ranges).
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// The drawing, standalone SVG markup (escaped values only).
    pub svg: String,
}

/// Counts per sample date, replayed from history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistorySeries {
    pub dates: Vec<NaiveDate>,
    /// The profile's buckets (Rev5: risk; CR26: current N-rating), most severe first.
    pub buckets: &'static [&'static str],
    /// Open items per bucket (in `buckets` order), per date.
    pub open_by_bucket: Vec<Vec<usize>>,
    /// Open items late under the profile, per date.
    pub overdue: Vec<usize>,
    /// The profile's words for the charts.
    pub words: ChartWords,
}

fn commit_date(version: &crate::history::Version) -> Option<NaiveDate> {
    version
        .source
        .commit()
        .map(|c| c.time.with_timezone(&Utc).date_naive())
}

/// Evenly spaced dates from the first change of history to `today`, `today` last.
fn sample_dates(history: &History, today: NaiveDate) -> Vec<NaiveDate> {
    let Some(first) = history
        .changed_commits
        .first()
        .map(|c| c.time.with_timezone(&Utc).date_naive())
        .filter(|d| *d < today)
    else {
        return vec![today];
    };
    let span = days_between(first, today);
    let steps = usize::try_from(span).unwrap_or(0).clamp(1, SAMPLES - 1);
    (0..=steps)
        .map(|i| {
            let offset = span * i64::try_from(i).unwrap_or(0) / i64::try_from(steps).unwrap_or(1);
            first + Duration::days(offset)
        })
        .collect()
}

/// The per-date counts of one item: for each sample, its bucket index when open, and whether
/// it was late.
fn replay(
    item: &ItemHistory,
    dates: &[NaiveDate],
    policy: &Policy,
    profile: &dyn SystemProfile,
) -> Vec<Option<(usize, bool)>> {
    let versions: Vec<(NaiveDate, Option<Item>)> = item
        .versions
        .iter()
        .filter_map(|v| Some((commit_date(v)?, v.node().map(|n| Item::from_node(n, "")))))
        .collect();
    let mut out = Vec::with_capacity(dates.len());
    let mut at = 0usize;
    for date in dates {
        while at < versions.len() && versions[at].0 <= *date {
            at += 1;
        }
        let current = at.checked_sub(1).and_then(|i| versions[i].1.as_ref());
        out.push(
            current
                .and_then(|item| profile.chart_state(&assess(item, policy, *date, None), policy)),
        );
    }
    out
}

impl HistorySeries {
    /// Replays `history` at up to 48 dates up to `today`.
    pub fn new(
        history: &History,
        policy: &Policy,
        profile: &dyn SystemProfile,
        today: NaiveDate,
    ) -> HistorySeries {
        let dates = sample_dates(history, today);
        let buckets = profile.chart_buckets();
        let zero = || vec![0usize; dates.len()];
        let empty = || (vec![zero(); buckets.len()], zero());
        let (open_by_bucket, overdue) = history
            .items
            .par_iter()
            .fold(empty, |mut acc, item| {
                for (i, state) in replay(item, &dates, policy, profile)
                    .into_iter()
                    .enumerate()
                {
                    if let Some((bucket, late)) = state {
                        acc.0[bucket][i] += 1;
                        if late {
                            acc.1[i] += 1;
                        }
                    }
                }
                acc
            })
            .reduce(empty, |mut a, b| {
                for (x, y) in a.0.iter_mut().zip(&b.0) {
                    x.iter_mut().zip(y).for_each(|(x, y)| *x += y);
                }
                a.1.iter_mut().zip(&b.1).for_each(|(x, y)| *x += y);
                a
            });
        HistorySeries {
            dates,
            buckets,
            open_by_bucket,
            overdue,
            words: profile.chart_words(),
        }
    }
}

fn fmt(value: f64) -> String {
    format!("{value:.1}")
}

/// The top of the value axis: four equal whole steps of 1, 2 or 5 times a power of ten.
fn nice_max(max: usize) -> usize {
    let mut magnitude = 1usize;
    loop {
        for step in [1, 2, 5] {
            let top = step * magnitude * 4;
            if top >= max {
                return top;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

fn svg_open(key: &str, title: &str, alt: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         aria-labelledby=\"chart-{key}-title chart-{key}-desc\" class=\"chart\">\
         <title id=\"chart-{key}-title\">{}</title><desc id=\"chart-{key}-desc\">{}</desc>\
         <rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#ffffff\"/>",
        escape_html(title),
        escape_html(alt)
    )
}

fn axes(out: &mut String, max: usize, labels: &[String]) {
    let plot_h = HEIGHT - TOP - BOTTOM;
    for tick in 0..=4 {
        let y = TOP + plot_h - plot_h * f64::from(tick) / 4.0;
        let value = max * usize::try_from(tick).unwrap_or(0) / 4;
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" text-anchor=\"end\" fill=\"#333333\">{value}</text>",
            fmt(WIDTH - RIGHT),
            fmt(LEFT - 6.0),
            fmt(y + 4.0),
            y = fmt(y)
        ));
    }
    let plot_w = WIDTH - LEFT - RIGHT;
    let count = labels.len().max(1);
    let xs: Vec<f64> = (0..labels.len())
        .map(|i| {
            if count == 1 {
                LEFT + plot_w / 2.0
            } else {
                LEFT + plot_w * i as f64 / (count - 1) as f64
            }
        })
        .collect();
    for i in shown_labels(&xs, labels) {
        let anchor = anchor(i, count);
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" text-anchor=\"{anchor}\" fill=\"#333333\">{}</text>",
            fmt(xs[i]),
            fmt(HEIGHT - BOTTOM + 20.0),
            escape_html(&labels[i])
        ));
    }
}

/// How a tick label sits on its position: the first flush left, the last flush right.
fn anchor(i: usize, count: usize) -> &'static str {
    match i {
        0 if count > 1 => "start",
        _ if i + 1 == count && count > 1 => "end",
        _ => "middle",
    }
}

/// The span a tick label takes along the axis, from where it is anchored.
fn label_span(x: f64, label: &str, anchor: &str) -> (f64, f64) {
    let width = CHAR_WIDTH * label.chars().count() as f64;
    match anchor {
        "start" => (x, x + width),
        "end" => (x - width, x),
        _ => (x - width / 2.0, x + width / 2.0),
    }
}

/// Which tick labels to draw at positions `xs`: the first and the last always, then, left to
/// right, each one that keeps [`LABEL_GAP`] free from every label already drawn, at most
/// every other position once positions are dense (the ticks thin out, never collide).
pub fn shown_labels(xs: &[f64], labels: &[String]) -> Vec<usize> {
    let count = labels.len();
    if count == 0 {
        return Vec::new();
    }
    let span = |i: usize| label_span(xs[i], &labels[i], anchor(i, count));
    let mut kept: Vec<(f64, f64)> = vec![span(0)];
    let mut out = vec![0];
    let last = count - 1;
    if last > 0 {
        kept.push(span(last));
    }
    for i in 1..last {
        let (from, to) = span(i);
        let free = kept
            .iter()
            .all(|(a, b)| to + LABEL_GAP <= *a || from >= *b + LABEL_GAP);
        if free {
            kept.push((from, to));
            out.push(i);
        }
    }
    if last > 0 {
        out.push(last);
    }
    out.sort_unstable();
    out
}

fn legend(out: &mut String, series: &[Series]) {
    let mut x = LEFT;
    for s in series {
        out.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" fill=\"#333333\">{}</text>",
            fmt(x),
            fmt(HEIGHT - 20.0),
            colour(s.name),
            fmt(x + 16.0),
            fmt(HEIGHT - 10.0),
            escape_html(s.name)
        ));
        x += 28.0 + CHAR_WIDTH * s.name.len() as f64;
    }
}

/// A line chart over dates.
pub fn line_chart(
    key: &'static str,
    title: String,
    alt: String,
    dates: &[NaiveDate],
    series: Vec<Series>,
) -> Chart {
    let labels: Vec<String> = dates.iter().map(ToString::to_string).collect();
    let max = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0),
    );
    let mut svg = svg_open(key, &title, &alt);
    axes(&mut svg, max, &labels);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = dates.len();
    for s in &series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = if n <= 1 {
                    LEFT + plot_w / 2.0
                } else {
                    LEFT + plot_w * i as f64 / (n - 1) as f64
                };
                let y = TOP + plot_h - plot_h * (*v as f64) / (max as f64);
                format!("{},{}", fmt(x), fmt(y))
            })
            .collect();
        svg.push_str(&format!(
            "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" points=\"{}\"/>",
            colour(s.name),
            points.join(" ")
        ));
        if n <= MARKERS_UP_TO {
            for point in &points {
                let (x, y) = point.split_once(',').unwrap_or(("0", "0"));
                svg.push_str(&format!(
                    "<circle cx=\"{x}\" cy=\"{y}\" r=\"4.5\" fill=\"{}\"/>",
                    colour(s.name)
                ));
            }
        }
    }
    legend(&mut svg, &series);
    svg.push_str("</svg>");
    Chart {
        key,
        title,
        alt,
        labels,
        series,
        svg,
    }
}

/// Stacked bars over categories.
pub fn bar_chart(
    key: &'static str,
    title: String,
    alt: String,
    labels: Vec<String>,
    series: Vec<Series>,
) -> Chart {
    let totals: Vec<usize> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = nice_max(totals.iter().copied().max().unwrap_or(0));
    let mut svg = svg_open(key, &title, &alt);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / labels.len().max(1) as f64;
    for tick in 0..=4 {
        let y = TOP + plot_h - plot_h * f64::from(tick) / 4.0;
        svg.push_str(&format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#d0d0d0\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" text-anchor=\"end\" fill=\"#333333\">{}</text>",
            fmt(WIDTH - RIGHT),
            fmt(LEFT - 6.0),
            fmt(y + 4.0),
            max * usize::try_from(tick).unwrap_or(0) / 4,
            y = fmt(y)
        ));
    }
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.15;
        let mut base = TOP + plot_h;
        for s in &series {
            let value = s.values.get(i).copied().unwrap_or(0);
            if value == 0 {
                continue;
            }
            let h = plot_h * value as f64 / max as f64;
            base -= h;
            svg.push_str(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                fmt(x),
                fmt(base),
                fmt(slot * 0.7),
                fmt(h),
                colour(s.name)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"{FONT}\" text-anchor=\"middle\" fill=\"#333333\">{}</text>",
            fmt(x + slot * 0.35),
            fmt(HEIGHT - BOTTOM + 20.0),
            escape_html(label)
        ));
    }
    legend(&mut svg, &series);
    svg.push_str("</svg>");
    Chart {
        key,
        title,
        alt,
        labels,
        series,
        svg,
    }
}

/// Open items over time, one line per bucket of the profile (Rev5: risk; CR26: N-rating).
pub fn open_over_time(series: &HistorySeries, profile: &dyn SystemProfile) -> Chart {
    let words = profile.chart_words();
    let last = |values: &Vec<usize>| values.last().copied().unwrap_or(0);
    let at_end: Vec<String> = series
        .buckets
        .iter()
        .zip(&series.open_by_bucket)
        .map(|(name, values)| format!("{} {name}", last(values)))
        .collect();
    let alt = format!(
        "Open items by {} at {} dates from {} to {}; on the last date: {}.",
        words.rating,
        series.dates.len(),
        series
            .dates
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
        series
            .dates
            .last()
            .map(ToString::to_string)
            .unwrap_or_default(),
        at_end.join(", "),
    );
    let lines = series
        .buckets
        .iter()
        .zip(&series.open_by_bucket)
        .map(|(name, values)| Series {
            name,
            values: values.clone(),
        })
        .collect();
    line_chart(
        "open",
        format!("Open items over time by {}", words.rating_short),
        alt,
        &series.dates,
        lines,
    )
}

/// Items late under the profile over time.
pub fn overdue_over_time(series: &HistorySeries, profile: &dyn SystemProfile) -> Chart {
    let words = profile.chart_words();
    let peak = series.overdue.iter().copied().max().unwrap_or(0);
    let alt = format!(
        "{} open items at {} dates; {} on the last date, {} at most.",
        words.late_title,
        series.dates.len(),
        series.overdue.last().copied().unwrap_or(0),
        peak
    );
    line_chart(
        "overdue",
        format!("{} items over time", words.late_title),
        alt,
        &series.dates,
        vec![Series {
            name: words.late,
            values: series.overdue.clone(),
        }],
    )
}

const AGE_BINS: [(i64, &str); 7] = [
    (30, "0–30"),
    (60, "31–60"),
    (90, "61–90"),
    (120, "91–120"),
    (180, "121–180"),
    (365, "181–365"),
    (i64::MAX, "over 365"),
];

/// Open items by age (days since `detected`), split into late (under the profile) and within
/// deadline.
pub fn age_against_deadline(views: &[ItemView], profile: &dyn SystemProfile) -> Chart {
    let words = profile.chart_words();
    let mut within = vec![0usize; AGE_BINS.len()];
    let mut late = vec![0usize; AGE_BINS.len()];
    for view in views.iter().filter(|v| v.assessment.open) {
        let Some(detected) = view.detected else {
            continue;
        };
        let age = days_between(detected, view.assessment.today);
        let bin = AGE_BINS
            .iter()
            .position(|(limit, _)| age <= *limit)
            .unwrap_or(0);
        if view.standing.state == State::Late {
            late[bin] += 1;
        } else {
            within[bin] += 1;
        }
    }
    let alt = format!(
        "Open items by days since detection: {}. {} in total: {}.",
        AGE_BINS
            .iter()
            .enumerate()
            .map(|(i, (_, label))| format!(
                "{label} days {} ({} {})",
                within[i] + late[i],
                late[i],
                words.late
            ))
            .collect::<Vec<_>>()
            .join("; "),
        words.late_title,
        late.iter().sum::<usize>()
    );
    bar_chart(
        "age",
        "Age of open items against their deadlines".into(),
        alt,
        AGE_BINS.iter().map(|(_, l)| format!("{l} d")).collect(),
        vec![
            Series {
                name: "within deadline",
                values: within,
            },
            Series {
                name: words.late,
                values: late,
            },
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn a_single_date_is_drawn_as_a_marker() {
        let chart = line_chart(
            "open",
            "Open".into(),
            "One date".into(),
            &[date("2026-11-25")],
            vec![Series {
                name: "high",
                values: vec![3],
            }],
        );
        assert!(chart.svg.contains("<circle "), "{}", chart.svg);
        let many: Vec<NaiveDate> = (0..40)
            .map(|i| date("2026-01-01") + Duration::days(i))
            .collect();
        let chart = line_chart(
            "open",
            "Open".into(),
            "Many dates".into(),
            &many,
            vec![Series {
                name: "high",
                values: vec![1; 40],
            }],
        );
        assert!(
            !chart.svg.contains("<circle "),
            "a long line needs no markers"
        );
    }

    #[test]
    fn date_labels_never_overlap_and_keep_both_ends() {
        for n in [1usize, 2, 3, 5, 13, 47, 48, 200] {
            let labels: Vec<String> = (0..n)
                .map(|i| (date("2026-01-01") + Duration::days(i as i64)).to_string())
                .collect();
            let plot_w = WIDTH - LEFT - RIGHT;
            let xs: Vec<f64> = (0..n)
                .map(|i| {
                    if n == 1 {
                        LEFT + plot_w / 2.0
                    } else {
                        LEFT + plot_w * i as f64 / (n - 1) as f64
                    }
                })
                .collect();
            let shown = shown_labels(&xs, &labels);
            assert_eq!(shown.first(), Some(&0), "{n}");
            assert_eq!(shown.last(), Some(&(n - 1)), "{n}");
            let spans: Vec<(f64, f64)> = shown
                .iter()
                .map(|&i| label_span(xs[i], &labels[i], anchor(i, n)))
                .collect();
            for pair in spans.windows(2) {
                assert!(
                    pair[0].1 + LABEL_GAP <= pair[1].0,
                    "{n} labels: {:?} meets {:?}",
                    pair[0],
                    pair[1]
                );
            }
            for (from, to) in &spans {
                assert!(*from >= 0.0 && *to <= WIDTH, "{n}: inside the drawing");
            }
        }
    }
}
