//! Tenable CSV exports: Nessus Pro (default and all columns), Tenable VM (Tenable.io) and
//! Tenable.sc. Columns are found by header name with the aliases each product uses.
//!
//! - The asset host is `Host` (Nessus Pro, Tenable VM), else `IP Address` (Tenable.sc),
//!   else `DNS Name`; with `Port` and `Protocol` it becomes `host (port/PROTO)`. The other
//!   names in the row (`IP Address`, `DNS Name` / `FQDN`, `NetBIOS Name` / `NetBios`) are the
//!   host's other names, by which the import finds it in the inventory.
//! - Whether the scan logged in to a host: the "Nessus Scan Information" plugin (19506) says
//!   `Credentialed checks : yes` or `: no` in its `Plugin Output` (Nessus Pro, Tenable VM) or
//!   `Plugin Text` (Tenable.sc); a Tenable.sc row whose `Check Type` is `local` is a check
//!   that only runs logged in; Tenable VM's `Last Authenticated Results Date` (or
//!   `Last Unauthenticated Results Date`) at or after the row's `Host Start` says this scan's
//!   results were (or were not) authenticated. A host none of these speak for is left unsaid.
//! - Tenable VM writes one row per CVE: rows of the same plugin on the same asset are one
//!   finding with every CVE.
//! - Rows whose `Vulnerability State` is "Fixed" are no finding; their host still counts as
//!   scanned.
//! - The scan date is the earliest `Host Start` when the export has it, else the latest
//!   `Last Observed` / `Last Found`; Nessus Pro exports carry no date.
//! - `Risk` / `Severity` / `Risk Factor` (a word, or Tenable's 0-4) is the scanner's rating;
//!   "None", "Info" and 0 are informational.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};

use super::table::{is_blank, Columns, Rows};
use super::text::{
    cves_in, iso_date, month_day_year, network_asset, non_empty, score, sort_unique,
};
use super::{risk_from_word, Finding, Scan, ScanError, ScanFormat};
use crate::model::item::Risk;

const PLUGIN_ID: usize = 0;
const NAME: usize = 1;
const HOST: usize = 2;
const IP: usize = 3;
const DNS: usize = 4;
const PORT: usize = 5;
const PROTOCOL: usize = 6;
const RATING: usize = 7;
const CVSS3: usize = 8;
const CVSS2: usize = 9;
const CVE: usize = 10;
const SYNOPSIS: usize = 11;
const DESCRIPTION: usize = 12;
const SOLUTION: usize = 13;
const FIRST_SEEN: usize = 14;
const HOST_START: usize = 15;
const LAST_SEEN: usize = 16;
const STATE: usize = 17;
const FAMILY: usize = 18;
const NETBIOS: usize = 19;
const PLUGIN_OUTPUT: usize = 20;
const CHECK_TYPE: usize = 21;
const LAST_AUTHENTICATED: usize = 22;
const LAST_UNAUTHENTICATED: usize = 23;

/// Tenable's "Nessus Scan Information" plugin: its output says whether checks logged in.
const SCAN_INFORMATION_PLUGIN: &str = "19506";

const WANTED: &[&[&str]] = &[
    &["Plugin ID", "Plugin"],
    &["Name", "Plugin Name"],
    &["Host"],
    &["IP Address"],
    &["DNS Name", "FQDN"],
    &["Port"],
    &["Protocol"],
    &["Risk", "Severity", "Risk Factor"],
    &[
        "CVSS v3.0 Base Score",
        "CVSS3 Base Score",
        "CVSS V3 Base Score",
        "CVSS v3 Base Score",
    ],
    &[
        "CVSS v2.0 Base Score",
        "CVSS Base Score",
        "CVSS V2 Base Score",
        "CVSS",
    ],
    &["CVE", "CVEs"],
    &["Synopsis"],
    &["Description"],
    &["Solution"],
    &["First Found", "First Discovered", "First Seen"],
    &["Host Start"],
    &["Last Observed", "Last Found", "Last Seen"],
    &["Vulnerability State", "State"],
    &["Plugin Family", "Family"],
    &["NetBIOS Name", "NetBios", "NetBIOS"],
    &["Plugin Output", "Plugin Text"],
    &["Check Type"],
    &["Last Authenticated Results Date"],
    &["Last Unauthenticated Results Date"],
];

/// Whether a header row looks like a Tenable export: a plugin id and a host column.
pub fn is_header(row: &[String]) -> bool {
    let columns = Columns::find(row, WANTED);
    columns.has(PLUGIN_ID) && (columns.has(HOST) || columns.has(IP)) && columns.has(NAME)
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let mut scan = Scan::new(file, ScanFormat::TenableCsv);
    let mut rows = Rows::new(file, bytes);
    let Some((header, _)) = rows.next_row()? else {
        return Err(ScanError::new(file, "line 1", "empty file: no header row"));
    };
    if !is_header(&header) {
        return Err(ScanError::new(
            file,
            "line 1",
            "the header row lacks the `Plugin ID` (or `Plugin`), `Name` and `Host` (or `IP Address`) \
             columns of a Tenable or Nessus CSV export",
        ));
    }
    let columns = Columns::find(&header, WANTED);
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    let mut host_starts: Vec<NaiveDate> = Vec::new();
    let mut last_seen: Vec<NaiveDate> = Vec::new();

    while let Some((row, line)) = rows.next_row()? {
        if is_blank(&row) {
            continue;
        }
        let location = format!("line {line}");
        let cell = |column| columns.get(&row, column);
        let host = [cell(HOST), cell(IP), cell(DNS)]
            .into_iter()
            .find(|h| !h.is_empty());
        let Some(host) = host else {
            scan.problem(
                location,
                "no host: `Host`, `IP Address` and `DNS Name` are empty",
            );
            continue;
        };
        scan.assets_scanned.push(host.to_owned());
        let credentialed = credentialed(cell(PLUGIN_ID), cell(PLUGIN_OUTPUT))
            .or_else(|| {
                cell(CHECK_TYPE)
                    .eq_ignore_ascii_case("local")
                    .then_some(true)
            })
            .or_else(|| {
                results_of_this_scan(
                    cell(HOST_START),
                    cell(LAST_AUTHENTICATED),
                    cell(LAST_UNAUTHENTICATED),
                )
            });
        scan.note_target(
            host,
            [cell(HOST), cell(IP), cell(DNS), cell(NETBIOS)],
            credentialed,
        );
        host_starts.extend(date(cell(HOST_START)));
        last_seen.extend(date(cell(LAST_SEEN)));
        if cell(STATE).eq_ignore_ascii_case("fixed") {
            continue;
        }
        let plugin_id = cell(PLUGIN_ID);
        if plugin_id.is_empty() || !plugin_id.chars().all(|c| c.is_ascii_digit()) {
            scan.problem(
                location,
                format!("plugin id `{plugin_id}` is not a Tenable plugin number"),
            );
            continue;
        }
        let asset = network_asset(host, cell(PORT), cell(PROTOCOL));
        let key = (plugin_id.to_owned(), asset.clone());
        if let Some(&index) = by_key.get(&key) {
            // Tenable VM repeats the row once per CVE.
            let finding: &mut Finding = &mut scan.findings[index];
            let mut cves = std::mem::take(&mut finding.cves);
            cves.extend(cves_in(cell(CVE)));
            finding.cves = sort_unique(cves);
            continue;
        }
        let rating = cell(RATING);
        let (scanner_risk, informational) = rating_risk(rating);
        let description = non_empty(cell(DESCRIPTION))
            .or_else(|| non_empty(cell(SYNOPSIS)))
            .unwrap_or_default();
        by_key.insert(key, scan.findings.len());
        scan.findings.push(Finding {
            detector: "Nessus".to_owned(),
            detector_id: plugin_id.to_owned(),
            title: cell(NAME).to_owned(),
            description,
            solution: non_empty(cell(SOLUTION)).filter(|s| !s.eq_ignore_ascii_case("n/a")),
            asset,
            cves: sort_unique(cves_in(cell(CVE))),
            cvss3: score(cell(CVSS3)),
            cvss2: score(cell(CVSS2)),
            scanner_severity: rating.to_owned(),
            scanner_risk,
            first_seen: date(cell(FIRST_SEEN)),
            informational,
            configuration: cell(FAMILY).contains("Compliance"),
            location,
            ..Finding::default()
        });
    }
    scan.scanned_at = host_starts
        .into_iter()
        .min()
        .or_else(|| last_seen.into_iter().max());
    Ok(scan)
}

/// A Tenable rating word or 0-4 number as (risk, informational).
fn rating_risk(rating: &str) -> (Option<Risk>, bool) {
    match rating.trim() {
        "0" => (None, true),
        "1" => (Some(Risk::Low), false),
        "2" => (Some(Risk::Moderate), false),
        "3" => (Some(Risk::High), false),
        "4" => (Some(Risk::Critical), false),
        word => {
            let informational = ["none", "info", "informational"]
                .iter()
                .any(|w| word.eq_ignore_ascii_case(w));
            (risk_from_word(word), informational)
        }
    }
}

/// What the "Nessus Scan Information" plugin's output says about logging in:
/// `Credentialed checks : yes` (newer versions add "as 'root' via ssh") or `: no`.
fn credentialed(plugin_id: &str, output: &str) -> Option<bool> {
    if plugin_id != SCAN_INFORMATION_PLUGIN {
        return None;
    }
    let answer = output.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case("credentialed checks")
            .then(|| value.trim().to_ascii_lowercase())
    })?;
    if answer.starts_with("yes") {
        Some(true)
    } else if answer.starts_with("no") {
        Some(false)
    } else {
        None
    }
}

/// Tenable VM: whether the latest results of the host, when they are from this scan (at or
/// after its `Host Start`), were authenticated.
fn results_of_this_scan(
    host_start: &str,
    authenticated: &str,
    unauthenticated: &str,
) -> Option<bool> {
    let start = DateTime::parse_from_rfc3339(host_start).ok()?;
    let of_this_scan = |text: &str| DateTime::parse_from_rfc3339(text).is_ok_and(|at| at >= start);
    if of_this_scan(authenticated) {
        Some(true)
    } else if of_this_scan(unauthenticated) {
        Some(false)
    } else {
        None
    }
}

/// Tenable VM writes ISO date-times, Tenable.sc "Jan 5, 2021 10:24:08 MST".
fn date(text: &str) -> Option<NaiveDate> {
    iso_date(text).or_else(|| month_day_year(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(csv: &str) -> std::collections::BTreeMap<String, super::super::TargetInfo> {
        super::super::parse(ScanFormat::TenableCsv, "t.csv", csv.as_bytes())
            .expect("parse")
            .targets
    }

    #[test]
    fn a_local_check_or_the_scan_information_plugin_says_the_scan_logged_in() {
        let sc = "Plugin,Plugin Name,Severity,IP Address,DNS Name,NetBIOS Name,Check Type,Plugin Text\n\
                  22869,Software Enumeration,Info,10.0.0.1,a.example,A,local,\n\
                  19506,Nessus Scan Information,Info,10.0.0.2,,,remote,\"Scan type : Normal\nCredentialed checks : yes, as 'root' via ssh\n\"\n\
                  19506,Nessus Scan Information,Info,10.0.0.3,,,remote,Credentialed checks : no\n\
                  11219,Port scan,Info,10.0.0.4,,,remote,\n";
        let found = targets(sc);
        assert_eq!(found["10.0.0.1"].credentialed, Some(true));
        assert_eq!(found["10.0.0.1"].names, ["A", "a.example"]);
        assert_eq!(found["10.0.0.2"].credentialed, Some(true));
        assert_eq!(found["10.0.0.3"].credentialed, Some(false));
        // A remote check says nothing.
        assert!(!found.contains_key("10.0.0.4"));
    }

    #[test]
    fn tenable_vm_results_count_only_when_they_are_of_this_scan() {
        let vm = "Plugin ID,Name,Host,IP Address,Host Start,Last Authenticated Results Date,Last Unauthenticated Results Date\n\
                  1,a,h1,10.0.0.1,2023-06-08T01:00:00Z,2023-06-08T01:30:00Z,\n\
                  1,a,h2,10.0.0.2,2023-06-08T01:00:00Z,2023-05-01T00:00:00Z,2023-06-08T01:10:00Z\n\
                  1,a,h3,10.0.0.3,2023-06-08T01:00:00Z,2023-05-01T00:00:00Z,\n";
        let found = targets(vm);
        assert_eq!(found["h1"].credentialed, Some(true));
        assert_eq!(found["h2"].credentialed, Some(false));
        assert_eq!(found["h3"].credentialed, None);
        assert_eq!(found["h3"].names, ["10.0.0.3"]);
    }
}
