//! Small text helpers the parsers share: scores, CVE ids, dates and byte positions.

use chrono::{DateTime, NaiveDate};

/// `bytes` without a leading UTF-8 byte-order mark (Excel and Windows tools write one).
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A CVSS base score at the start of `text` ("7.5", "8.1 (AV:N/...)"); `None` when there is
/// none or it lies outside 0-10.
pub fn score(text: &str) -> Option<f64> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let value: f64 = text[..end].parse().ok()?;
    (0.0..=10.0).contains(&value).then_some(value)
}

/// A score from a JSON value that may be a number or a string.
pub fn json_score(value: &serde_json::Value) -> Option<f64> {
    match value {
        serde_json::Value::Number(n) => n.as_f64().filter(|v| (0.0..=10.0).contains(v)),
        serde_json::Value::String(s) => score(s),
        _ => None,
    }
}

/// Every CVE id (`CVE-<year>-<number>`) in `text`, in order of appearance.
pub fn cves_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(offset) = text[start..].find("CVE-") {
        let at = start + offset;
        let year_end = digits_end(bytes, at + 4);
        let mut next = at + 4;
        if year_end == at + 8 && bytes.get(year_end) == Some(&b'-') {
            let number_end = digits_end(bytes, year_end + 1);
            if number_end >= year_end + 5 {
                found.push(text[at..number_end].to_owned());
                next = number_end;
            }
        }
        start = next;
    }
    found
}

fn digits_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    end
}

/// Sorts and deduplicates CVE ids.
pub fn sort_unique(mut list: Vec<String>) -> Vec<String> {
    list.sort();
    list.dedup();
    list
}

/// The date of an ISO 8601 date or date-time ("2023-06-08T01:58:56.166Z", "2024-01-15").
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim().get(..10)?, "%Y-%m-%d").ok()
}

/// The date of "MM/DD/YYYY[ HH:MM:SS]" (Qualys).
pub fn us_date(text: &str) -> Option<NaiveDate> {
    let day = text.split_whitespace().next()?;
    NaiveDate::parse_from_str(day, "%m/%d/%Y").ok()
}

/// The date of "Jan 5, 2021 10:24:08 MST" (Tenable.sc).
pub fn month_day_year(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    NaiveDate::parse_from_str(&words.join(" "), "%b %d, %Y").ok()
}

/// The date of a ctime-style stamp "Tue Mar 22 14:54:47 2022" (Nessus HOST_START).
pub fn ctime_date(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() != 5 {
        return None;
    }
    NaiveDate::parse_from_str(
        &format!("{} {} {}", words[1], words[2], words[4]),
        "%b %d %Y",
    )
    .ok()
}

/// The date of "Wed, 5 Dec 2018 19:00:19" (ZAP's `generated`).
pub fn rfc2822ish_date(text: &str) -> Option<NaiveDate> {
    let after_weekday = text.split_once(',').map_or(text, |(_, rest)| rest);
    let words: Vec<&str> = after_weekday.split_whitespace().take(3).collect();
    NaiveDate::parse_from_str(&words.join(" "), "%d %b %Y").ok()
}

/// The UTC date of a Unix timestamp in seconds.
pub fn unix_date(text: &str) -> Option<NaiveDate> {
    let seconds: i64 = text.trim().parse().ok()?;
    DateTime::from_timestamp(seconds, 0).map(|t| t.date_naive())
}

/// 1-based line and column of a byte offset.
pub fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    (line, offset - line_start + 1)
}

/// Markup-free text of a short HTML fragment (ZAP writes `<p>` paragraphs): tags dropped,
/// paragraph and line breaks kept as newlines, the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].trim().to_ascii_lowercase();
        if tag == "/p" || tag.starts_with("br") || tag == "/li" {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// `text` trimmed, or `None` when that leaves nothing.
pub fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The FedRAMP asset form `host (port/PROTO)`; the host alone when there is no port.
pub fn network_asset(host: &str, port: &str, protocol: &str) -> String {
    let port = port.trim();
    if port.is_empty() || port == "0" {
        host.to_owned()
    } else {
        let protocol = protocol.trim();
        let protocol = if protocol.is_empty() { "tcp" } else { protocol };
        format!("{host} ({port}/{})", protocol.to_ascii_uppercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores() {
        assert_eq!(score("7.5"), Some(7.5));
        assert_eq!(score(" 8.1 (AV:N/AC:H)"), Some(8.1));
        assert_eq!(score(""), None);
        assert_eq!(score("11"), None);
        assert_eq!(score("abc"), None);
        assert_eq!(json_score(&serde_json::json!(9.8)), Some(9.8));
        assert_eq!(json_score(&serde_json::json!("5.3")), Some(5.3));
        assert_eq!(json_score(&serde_json::json!("HIGH")), None);
    }

    #[test]
    fn cve_ids() {
        assert_eq!(
            cves_in("CVE-2021-31192, CVE-2021-1720 and CVE-20-1 or xCVE-2008-0732-geronimo"),
            ["CVE-2021-31192", "CVE-2021-1720", "CVE-2008-0732"]
        );
        assert!(cves_in("CVE-").is_empty());
    }

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(iso_date("2023-06-08T01:58:56.166Z"), d(2023, 6, 8));
        assert_eq!(us_date("05/13/2021 07:08:28"), d(2021, 5, 13));
        assert_eq!(month_day_year("Jan 5, 2021 10:24:08 MST"), d(2021, 1, 5));
        assert_eq!(ctime_date("Tue Mar  1 14:54:47 2022"), d(2022, 3, 1));
        assert_eq!(rfc2822ish_date("Wed, 5 Dec 2018 19:00:19"), d(2018, 12, 5));
        assert_eq!(unix_date("1647975287"), d(2022, 3, 22));
        assert_eq!(iso_date("2023"), None);
    }

    #[test]
    fn positions_and_html() {
        assert_eq!(line_col(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_col(b"ab", 99), (1, 3));
        assert_eq!(
            html_to_text("<p>One &amp; two.</p><p>Three</p>"),
            "One & two.\nThree"
        );
        assert_eq!(html_to_text("a <b"), "a <b");
    }

    #[test]
    fn assets() {
        assert_eq!(network_asset("h", "0", "tcp"), "h");
        assert_eq!(network_asset("h", "443", "tcp"), "h (443/TCP)");
        assert_eq!(network_asset("h", "53", "UDP"), "h (53/UDP)");
    }
}
