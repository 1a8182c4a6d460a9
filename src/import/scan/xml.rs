//! What the two XML parsers (Nessus, ZAP) share around quick-xml's pull reader: a reader
//! over the bytes, text with its entity references resolved, and errors with a line.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesRef, BytesStart};
use quick_xml::{Reader, XmlVersion};

use super::text::line_col;
use super::ScanError;

pub fn reader(bytes: &[u8]) -> Reader<&[u8]> {
    let mut reader = Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    reader
}

/// "line L, column C" of a byte offset.
pub fn position(bytes: &[u8], offset: u64) -> String {
    let (line, column) = line_col(bytes, usize::try_from(offset).unwrap_or(usize::MAX));
    format!("line {line}, column {column}")
}

/// A reader error as a located [`ScanError`].
pub fn error(
    file: &str,
    bytes: &[u8],
    reader: &Reader<&[u8]>,
    err: &quick_xml::Error,
) -> ScanError {
    ScanError::new(
        file,
        position(bytes, reader.error_position()),
        format!("not well-formed XML: {err}"),
    )
}

/// The file ended while elements were still open: truncated, so nothing of it is trusted (a
/// partial scan would make the findings after the cut look fixed).
pub fn truncated(file: &str) -> ScanError {
    ScanError::new(
        file,
        "end of file",
        "the file ends inside an element: truncated or not well-formed XML",
    )
}

/// The file held no `<root>` element: not the format it was read as.
pub fn missing_root(file: &str, root: &str, format: &str) -> ScanError {
    ScanError::new(
        file,
        "end of file",
        format!("no <{root}> element: not {format}"),
    )
}

/// Appends a `&name;` or `&#N;` reference to `out`; an unknown entity is kept as written.
pub fn push_reference(out: &mut String, reference: &BytesRef<'_>) {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        out.push(c);
    } else if let Some(text) = resolve_predefined_entity(reference) {
        out.push_str(text);
    } else {
        out.push('&');
        out.push_str(reference);
        out.push(';');
    }
}

/// The unescaped value of attribute `name`, if present and readable.
pub fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The element's name without a namespace prefix, as text.
pub fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_owned()
}
