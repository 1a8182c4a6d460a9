//! What the JSON parsers share: the document read into typed, lenient structs (every field
//! optional), and lists whose elements are converted one by one, so one malformed element
//! is a located problem and the others still import.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::text::without_bom;
use super::{Scan, ScanError};

/// The whole document as `T`; a syntax error is a [`ScanError`] at its line and column.
pub fn document<T: DeserializeOwned>(file: &str, bytes: &[u8], what: &str) -> Result<T, ScanError> {
    serde_json::from_slice(without_bom(bytes)).map_err(|err| {
        ScanError::new(
            file,
            format!("line {}, column {}", err.line(), err.column()),
            format!("not a readable {what} report: {err}"),
        )
    })
}

/// Converts each element of `values` to `T`; an element that does not fit becomes a problem
/// located by `path(index)`.
pub fn elements<T: DeserializeOwned>(
    scan: &mut Scan,
    values: Vec<Value>,
    path: impl Fn(usize) -> String,
) -> Vec<(usize, T)> {
    let mut out = Vec::with_capacity(values.len());
    for (index, value) in values.into_iter().enumerate() {
        match serde_json::from_value(value) {
            Ok(element) => out.push((index, element)),
            Err(err) => scan.problem(path(index), format!("cannot be read: {err}")),
        }
    }
    out
}

/// A JSON string or number as text (ids are written both ways).
pub fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// For `#[serde(deserialize_with)]`: `null` reads as the default (scanners write `null` for
/// empty lists).
pub fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
