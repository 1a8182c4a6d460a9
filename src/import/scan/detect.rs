//! The format of a scanner file, from its content: the XML root element, the JSON
//! top-level keys, or the CSV header columns. The file name is never consulted: exports
//! are renamed freely (`.json` SARIF, `.txt` CSV).

use std::fmt;

use quick_xml::events::Event;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::table::Rows;
use super::text::without_bom;
use super::{nessus, qualys, tenable_csv, xml, zap, ScanFormat};

/// The format of `bytes`, or `None` when it is none poam reads.
pub fn detect(bytes: &[u8]) -> Option<ScanFormat> {
    let content = without_bom(bytes);
    match content.iter().find(|b| !b.is_ascii_whitespace())? {
        b'<' => detect_xml(content),
        b'{' => detect_json(content),
        _ => detect_csv(content),
    }
}

fn detect_xml(bytes: &[u8]) -> Option<ScanFormat> {
    let mut reader = xml::reader(bytes);
    loop {
        match reader.read_event().ok()? {
            Event::Start(element) | Event::Empty(element) => {
                return match xml::local_name(&element).as_str() {
                    nessus::ROOT => Some(ScanFormat::Nessus),
                    zap::XML_ROOT => Some(ScanFormat::Zap),
                    _ => None,
                };
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn detect_json(bytes: &[u8]) -> Option<ScanFormat> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let keys = deserializer.deserialize_map(KeysVisitor).ok()?;
    let has = |key: &str| keys.iter().any(|k| k == key);
    if has("SchemaVersion") && (has("Results") || has("ArtifactName")) {
        Some(ScanFormat::Trivy)
    } else if has("matches") && (has("descriptor") || has("source")) {
        Some(ScanFormat::Grype)
    } else if has("runs") && (has("version") || has("$schema")) {
        Some(ScanFormat::Sarif)
    } else if has("site") && (has("@version") || has("@generated") || has("@programName")) {
        Some(ScanFormat::Zap)
    } else {
        None
    }
}

/// Collects the top-level keys of a JSON object and skips the values without building them.
struct KeysVisitor;

impl<'de> Visitor<'de> for KeysVisitor {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut keys = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            map.next_value::<IgnoredAny>()?;
            keys.push(key);
        }
        Ok(keys)
    }
}

fn detect_csv(bytes: &[u8]) -> Option<ScanFormat> {
    let mut rows = Rows::new("", bytes);
    for index in 0..qualys::HEADER_SEARCH_ROWS {
        let (row, _) = rows.next_row().ok()??;
        if index == 0 && tenable_csv::is_header(&row) {
            return Some(ScanFormat::TenableCsv);
        }
        if qualys::is_header(&row) {
            return Some(ScanFormat::Qualys);
        }
    }
    None
}
