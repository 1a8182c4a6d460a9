//! Item text in pages and reports: Markdown fields rendered safely for HTML, and plain values
//! escaped for Markdown tables.
//!
//! HTML: pulldown-cmark renders `description`, `remediation` and `comments`; raw HTML is
//! dropped (shown as text), images become their alt text (a page makes no network request),
//! and a link keeps its target only when it is http, https or relative.

use pulldown_cmark::{html, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

/// True for link targets kept in rendered Markdown: `http:`, `https:`, or relative (no
/// scheme, not protocol-relative).
pub fn is_safe_link(target: &str) -> bool {
    let target = target.trim();
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return true;
    }
    if target.starts_with("//") || target.starts_with("\\\\") {
        return false;
    }
    // A scheme is letters, digits, `+`, `-`, `.` before a `:` that comes before any of `/?#`.
    let head = target.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':') && !target.chars().any(char::is_control)
}

/// Markdown to HTML safe to place in a page: no raw HTML, no images, only safe links.
pub fn to_html(text: &str) -> String {
    render(text, false)
}

/// [`to_html`], keeping every line break of the text: for `comments`, where the tools add
/// one dated line per note and a year of check-ins must not run into one paragraph.
pub fn to_html_lines(text: &str) -> String {
    render(text, true)
}

/// Plain text (a finding's message or help) as HTML: escaped, with `` `code` `` spans shown
/// as code.
pub fn code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in text.split('`').enumerate() {
        let odd = i % 2 == 1;
        // An unpaired backtick stays as it is.
        let paired = !odd || text.split('`').count() > i + 1;
        match (odd, paired) {
            (true, true) => {
                out.push_str("<code>");
                out.push_str(&escape_html(part));
                out.push_str("</code>");
            }
            (true, false) => {
                out.push('`');
                out.push_str(&escape_html(part));
            }
            _ => out.push_str(&escape_html(part)),
        }
    }
    out
}

fn render(text: &str, keep_lines: bool) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    // Links whose target is dropped: their end tag must go too.
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    let events = parser.filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = is_safe_link(&dest_url) && !matches!(link_type, LinkType::Email);
            dropped_links.push(!keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => match dropped_links.pop() {
            Some(true) => None,
            _ => Some(Event::End(TagEnd::Link)),
        },
        Event::Text(text) if in_image > 0 => Some(Event::Text(text)),
        Event::FootnoteReference(label) => Some(Event::Text(CowStr::from(format!("[^{label}]")))),
        Event::SoftBreak if keep_lines => Some(Event::HardBreak),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    html::push_html(&mut out, events);
    out
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = write_escaped_html(&mut out, text);
    out
}

/// Writes `text` escaped as [`escape_html`] does to `out`, each run without a character to
/// escape in one piece: the site's templates print every value through this.
pub fn write_escaped_html(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut start = 0;
    for (index, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // The five are ASCII, so `index` is on a character boundary.
        out.write_str(&text[start..index])?;
        out.write_str(entity)?;
        start = index + 1;
    }
    out.write_str(&text[start..])
}

/// Escapes a value for one cell of a GitHub-flavoured Markdown table (or one line of text):
/// `|` and Markdown punctuation are backslash-escaped, `<` and `>` become entities (no raw
/// HTML reaches the rendered comment) and line breaks become `<br>`. Other control
/// characters are shown as escapes and @-mentions are neutralised, so a comment posted from
/// the report notifies nobody ([`crate::render::text`]).
pub fn escape_md_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let text = text.trim().replace("\r\n", "\n");
    // Line breaks become `<br>` below; everything else is escaped as in any text output.
    let lines: Vec<_> = text.split('\n').map(crate::render::text::inline).collect();
    let text = lines.join("\n");
    for c in text.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
    crate::render::text::mentions(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_their_line_breaks() {
        let text =
            "2026-01-05 vendor check-in: no fix yet\n2026-02-05 vendor check-in: fix in March";
        let html = to_html_lines(text);
        assert_eq!(
            html,
            "<p>2026-01-05 vendor check-in: no fix yet<br />\n2026-02-05 vendor check-in: fix in March</p>\n"
        );
        assert!(
            !to_html(text).contains("<br"),
            "descriptions flow as Markdown does"
        );
    }

    #[test]
    fn code_spans_are_code_and_the_rest_is_escaped() {
        assert_eq!(
            code_spans("set `due` <b>now</b>"),
            "set <code>due</code> &lt;b&gt;now&lt;/b&gt;"
        );
        assert_eq!(code_spans("a ` b"), "a ` b");
        assert_eq!(code_spans("`<x>`"), "<code>&lt;x&gt;</code>");
    }

    #[test]
    fn html_is_escaped_around_any_text() {
        for (text, escaped) in [
            ("", ""),
            ("plain", "plain"),
            ("<b>&\"'</b>", "&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt;"),
            ("é<ü>ß", "é&lt;ü&gt;ß"),
            ("&", "&amp;"),
            ("a&b", "a&amp;b"),
        ] {
            assert_eq!(escape_html(text), escaped);
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hi <script>alert(1)</script> and <img src=x onerror=alert(1)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn only_safe_link_targets_are_kept() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](https://example.com/x) [c](../y.html) [d](data:text/html,hi) [e](//evil.example)",
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("evil.example"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/x">b</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<a href="../y.html">c</a>"#), "{html}");
        assert!(html.contains(">a<") || html.contains("a "), "{html}");
    }

    #[test]
    fn images_become_their_alt_text() {
        let html = to_html("![tracking pixel](https://example.com/p.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("tracking pixel"), "{html}");
    }

    #[test]
    fn table_cells_escape_pipes_newlines_and_html() {
        assert_eq!(
            escape_md_cell("a | b\nc <script>"),
            r"a \| b<br>c &lt;script&gt;"
        );
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(is_safe_link("HTTPS://x"));
        assert!(is_safe_link("page.html#top"));
        assert!(is_safe_link("a/b:c"));
        assert!(!is_safe_link(" JavaScript:alert(1)"));
        assert!(!is_safe_link("mailto:x@example.com"));
    }
}
