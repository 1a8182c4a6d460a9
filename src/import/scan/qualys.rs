//! Qualys VM host-detection CSV. Qualys exports open with a report preamble (title, company,
//! date, filters); the header row is found by its text: the first row with `IP` and `QID`
//! columns. Rows before it are skipped.
//!
//! - `Type` "Ig" (information gathered) is informational; "Vuln" and "Practice" (potential)
//!   are findings. `Vuln Status` "Fixed" is no finding; the host still counts as scanned.
//! - Qualys severity 1-5 maps to low (1-2), moderate (3), high (4) and critical (5); the
//!   CVSS3 base score (`CVSS3 Base`, "8.1 (AV:N/...)") or CVSS base comes first.
//! - The asset is the IP with `(port/PROTO)` when the row has a port. The row's `DNS`,
//!   `NetBIOS` and `FQDN` are the host's other names, by which the import finds it in the
//!   inventory.
//! - The export does not say whether the scan logged in to a host (`Tracking Method` says how
//!   Qualys tells hosts apart, `QAGENT` for its agent, not whether a scanner authenticated), so
//!   an import of it leaves `authenticated_scan` as it is.
//! - The scan date is the latest `Last Detected`; `First Detected` is the first-seen date.

use chrono::NaiveDate;

use super::table::{has_column, is_blank, Columns, Rows};
use super::text::{cves_in, network_asset, non_empty, score, sort_unique, us_date};
use super::{Finding, Scan, ScanError, ScanFormat};
use crate::model::item::Risk;

const IP: usize = 0;
const DNS: usize = 1;
const QID: usize = 2;
const TITLE: usize = 3;
const VULN_STATUS: usize = 4;
const TYPE: usize = 5;
const SEVERITY: usize = 6;
const PORT: usize = 7;
const PROTOCOL: usize = 8;
const FIRST_DETECTED: usize = 9;
const LAST_DETECTED: usize = 10;
const CVE: usize = 11;
const CVSS3: usize = 12;
const CVSS2: usize = 13;
const THREAT: usize = 14;
const IMPACT: usize = 15;
const SOLUTION: usize = 16;
const NETBIOS: usize = 17;
const FQDN: usize = 18;

const WANTED: &[&[&str]] = &[
    &["IP"],
    &["DNS", "DNS Name"],
    &["QID"],
    &["Title"],
    &["Vuln Status", "Status"],
    &["Type"],
    &["Severity"],
    &["Port"],
    &["Protocol"],
    &["First Detected"],
    &["Last Detected"],
    &["CVE ID", "CVE"],
    &["CVSS3 Base", "CVSS3.1 Base", "CVSS V3 Base"],
    &["CVSS Base", "CVSS V2 Base"],
    &["Threat"],
    &["Impact"],
    &["Solution"],
    &["NetBIOS", "NetBIOS Name"],
    &["FQDN"],
];

/// How many rows of preamble are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 50;

pub fn is_header(row: &[String]) -> bool {
    has_column(row, "IP") && has_column(row, "QID")
}

pub fn parse(file: &str, bytes: &[u8]) -> Result<Scan, ScanError> {
    let mut scan = Scan::new(file, ScanFormat::Qualys);
    let mut rows = Rows::new(file, bytes);
    let mut columns = None;
    for _ in 0..HEADER_SEARCH_ROWS {
        match rows.next_row()? {
            Some((row, _)) if is_header(&row) => {
                columns = Some(Columns::find(&row, WANTED));
                break;
            }
            Some(_) => {}
            None => break,
        }
    }
    let Some(columns) = columns else {
        return Err(ScanError::new(
            file,
            format!("lines 1-{HEADER_SEARCH_ROWS}"),
            "no header row with `IP` and `QID` columns: not a Qualys detection CSV",
        ));
    };
    let mut last_detected: Vec<NaiveDate> = Vec::new();

    while let Some((row, line)) = rows.next_row()? {
        if is_blank(&row) {
            continue;
        }
        let location = format!("line {line}");
        let cell = |column| columns.get(&row, column);
        let host = if cell(IP).is_empty() {
            cell(DNS)
        } else {
            cell(IP)
        };
        if host.is_empty() {
            scan.problem(location, "no host: `IP` and `DNS` are empty");
            continue;
        }
        scan.assets_scanned.push(host.to_owned());
        scan.note_target(host, [cell(IP), cell(DNS), cell(NETBIOS), cell(FQDN)], None);
        last_detected.extend(us_date(cell(LAST_DETECTED)));
        if cell(VULN_STATUS).eq_ignore_ascii_case("fixed") {
            continue;
        }
        let qid = cell(QID);
        if qid.is_empty() || !qid.chars().all(|c| c.is_ascii_digit()) {
            scan.problem(location, format!("QID `{qid}` is not a Qualys id number"));
            continue;
        }
        let severity = cell(SEVERITY);
        let scanner_risk = match severity {
            "1" | "2" => Some(Risk::Low),
            "3" => Some(Risk::Moderate),
            "4" => Some(Risk::High),
            "5" => Some(Risk::Critical),
            _ => None,
        };
        let kind = cell(TYPE);
        let informational =
            kind.eq_ignore_ascii_case("ig") || kind.to_ascii_lowercase().starts_with("info");
        if scanner_risk.is_none() && !informational {
            scan.problem(
                location,
                format!("severity `{severity}` is not a Qualys severity (1 to 5)"),
            );
            continue;
        }
        let description = [cell(THREAT), cell(IMPACT)]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n");
        scan.findings.push(Finding {
            detector: "Qualys".to_owned(),
            detector_id: qid.to_owned(),
            title: cell(TITLE).to_owned(),
            description,
            solution: non_empty(cell(SOLUTION)),
            asset: network_asset(host, cell(PORT), cell(PROTOCOL)),
            cves: sort_unique(cves_in(cell(CVE))),
            cvss3: score(cell(CVSS3)),
            cvss2: score(cell(CVSS2)),
            scanner_severity: severity.to_owned(),
            scanner_risk,
            first_seen: us_date(cell(FIRST_DETECTED)),
            informational,
            location,
            ..Finding::default()
        });
    }
    scan.scanned_at = last_detected.into_iter().max();
    Ok(scan)
}
