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

/// The unescaped value of attribute `name`, if present and readable. An unknown entity is
/// kept as written, as in text ([`push_reference`]): quick-xml refuses the whole value, which
/// made a host named through a DTD entity an empty name.
pub fn attribute(element: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)?;
    match attribute.normalized_value(XmlVersion::Implicit1_0) {
        Ok(value) => Some(value.into_owned()),
        Err(_) => {
            let kept = quick_xml::events::attributes::Attribute {
                key: attribute.key,
                value: unknown_references_escaped(&attribute.value).into(),
            };
            kept.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        }
    }
}

/// `raw` with the `&` of every reference quick-xml cannot resolve written as `&amp;`.
fn unknown_references_escaped(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let known = after.split_once(';').is_some_and(|(name, _)| {
            name.starts_with('#') || resolve_predefined_entity(name).is_some()
        });
        out.push_str(if known { "&" } else { "&amp;" });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The element's name without a namespace prefix, as text.
pub fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_owned()
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;

    use super::*;

    /// The value of `name` on the first element of `xml`.
    fn first_attribute(xml: &str, name: &str) -> Option<String> {
        let mut reader = reader(xml.as_bytes());
        loop {
            match reader.read_event().expect("well-formed") {
                Event::Start(element) | Event::Empty(element) => return attribute(&element, name),
                Event::Eof => return None,
                _ => {}
            }
        }
    }

    #[test]
    fn an_unknown_entity_in_an_attribute_is_kept_as_written_and_known_ones_are_resolved() {
        let host =
            |value: &str| first_attribute(&format!("<ReportHost name=\"{value}\"/>"), "name");
        assert_eq!(host("web-01").as_deref(), Some("web-01"));
        assert_eq!(host("a&amp;b&#65;&#x42;").as_deref(), Some("a&bAB"));
        // quick-xml refuses the whole value here: the host had no name at all.
        assert_eq!(host("&lol9;").as_deref(), Some("&lol9;"));
        assert_eq!(host("x&lol;y&amp;z").as_deref(), Some("x&lol;y&z"));
        assert_eq!(host("a & b").as_deref(), Some("a & b"));
        assert_eq!(first_attribute("<x/>", "name"), None);
    }
}
