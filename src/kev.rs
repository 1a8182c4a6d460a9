//! CISA's Known Exploited Vulnerabilities catalog (`known_exploited_vulnerabilities.json`).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::Error;
use crate::model::item::parse_date;

#[derive(Clone, Debug, Default)]
pub struct KevCatalog {
    /// CVE id (upper case) → CISA due date.
    pub due_dates: HashMap<String, NaiveDate>,
}

#[derive(Deserialize)]
struct RawCatalog {
    vulnerabilities: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    due_date: String,
}

/// CISA's catalog is about 1.5 MB; a file many times that is not one.
const SIZE_LIMIT: crate::parse::SizeLimit =
    crate::parse::SizeLimit::new(64 * 1024 * 1024, "KEV catalogs");

impl KevCatalog {
    pub fn load(path: &Path) -> Result<KevCatalog, Error> {
        let bytes = SIZE_LIMIT.read_file(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e.into_io(),
        })?;
        Self::from_json(&bytes).map_err(|message| Error::Kev {
            path: path.to_path_buf(),
            message,
        })
    }

    pub fn from_json(bytes: &[u8]) -> Result<KevCatalog, String> {
        // serde_json's message already names the line and column.
        let raw: RawCatalog =
            serde_json::from_slice(bytes).map_err(|e| format!("not a KEV catalog: {e}"))?;
        let mut due_dates = HashMap::with_capacity(raw.vulnerabilities.len());
        for entry in raw.vulnerabilities {
            let due = parse_date(&entry.due_date).ok_or_else(|| {
                format!(
                    "{}: dueDate `{}` is not YYYY-MM-DD",
                    entry.cve_id, entry.due_date
                )
            })?;
            due_dates.insert(entry.cve_id.trim().to_ascii_uppercase(), due);
        }
        Ok(KevCatalog { due_dates })
    }
}
