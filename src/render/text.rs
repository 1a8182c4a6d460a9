//! Item text made safe to print: every text renderer (human, short, github, `show`, `log`,
//! the Markdown outputs) passes values from item files and git through these functions.
//!
//! A value is data, never terminal or CI control. What is escaped:
//! - control characters (C0, DEL, C1): shown as `\n`, `\r`, `\t` or `\u{1b}`, so no escape
//!   sequence reaches a terminal (a title can't retitle the window or hide text) and no line
//!   break makes a value's second line a line of its own. [`block`] keeps `\n` and `\t`
//!   for fields shown as blocks of lines; it still escapes the rest.
//! - GitHub Actions workflow commands: the runner takes a line whose first non-blank
//!   characters are `::` as a command (`::error::`, `::add-mask::`), and the legacy `##[`
//!   form anywhere in a line. A value's leading `::` becomes `\u{3a}:`, and `##[` becomes
//!   `##\u{5b}`, wherever the renderer places the value.
//!
//! Backslashes are left alone: the escapes are for reading, not for decoding back.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `1 finding`, `2 findings`: a count and its word, which takes an `s` unless the count is one.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The first `shown` of `names`, joined with commas, and how many more there are: one line,
/// however many names (an id copied into 5,000 files named them all).
pub fn first_of(names: &[&str], shown: usize) -> String {
    let mut text = names[..names.len().min(shown)].join(", ");
    if names.len() > shown {
        text.push_str(&format!(" and {} more", names.len() - shown));
    }
    text
}

/// A character the escaping leaves alone, in the common case of plain text.
fn plain(c: char) -> bool {
    !c.is_control() && c != ':' && c != '#'
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

/// Escapes one line (without line breaks of its own, unless `keep` lets `\n` through).
fn escape(text: &str, keep: fn(char) -> bool) -> Cow<'_, str> {
    if text.chars().all(|c| plain(c) || keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    // At the start of a line, before anything but blanks: where `::` starts a command.
    let mut line_start = true;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if c == '\n' && keep(c) {
            out.push('\n');
            line_start = true;
        } else if c.is_control() && !keep(c) {
            push_escaped(&mut out, c);
            line_start = false;
        } else if c == ':' && line_start && after.starts_with(':') {
            out.push_str("\\u{3a}");
            line_start = false;
        } else if c == '[' && out.ends_with("##") {
            out.push_str("\\u{5b}");
            line_start = false;
        } else {
            out.push(c);
            line_start = line_start && (c == ' ' || c == '\t');
        }
        rest = after;
    }
    Cow::Owned(out)
}

/// A value shown on one line: every control character escaped, `\n` included.
pub fn inline(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// A value shown as a block of lines (a description under its label): line breaks and tabs
/// kept, every other control character escaped, each line as safe as an [`inline`] value.
pub fn block(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

/// Where the escaping of a source text moved its bytes: `(old, new)` offsets from which on
/// the text is shifted by `new - old`, in order.
#[derive(Debug, Default)]
pub struct Shifts(Vec<(usize, usize)>);

impl Shifts {
    /// The offset in the escaped text of byte `offset` of the original.
    pub fn map(&self, offset: usize) -> usize {
        let index = self.0.partition_point(|&(old, _)| old <= offset);
        match index.checked_sub(1).and_then(|i| self.0.get(i)) {
            Some(&(old, new)) => new + (offset - old),
            None => offset,
        }
    }
}

/// A whole source file (for a snippet under a finding) escaped like [`block`] text, with
/// `\r\n` kept as it is, and where its bytes moved, so a finding's span can follow.
pub fn source(text: &str) -> (Cow<'_, str>, Shifts) {
    // Line by line, so a change in one line shifts only what follows it.
    let clean = |c: char| !c.is_control() || c == '\t';
    let mut out = String::with_capacity(text.len() + 16);
    let mut shifts = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix("\r\n") {
            Some(body) => (body, "\r\n"),
            None => match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            },
        };
        // A source line starts with its line number in a snippet, so `::` cannot start it:
        // only the controls and `##[` matter here.
        if body.chars().all(clean) && !body.contains("##[") {
            out.push_str(line);
            offset += line.len();
            continue;
        }
        let mut at = offset;
        for c in body.chars() {
            let before = out.len();
            if c.is_control() && c != '\t' {
                push_escaped(&mut out, c);
            } else if c == '[' && out.ends_with("##") {
                out.push_str("\\u{5b}");
            } else {
                out.push(c);
            }
            at += c.len_utf8();
            if out.len() - before != c.len_utf8() {
                shifts.push((at, out.len()));
            }
        }
        out.push_str(end);
        offset += line.len();
    }
    if shifts.is_empty() {
        return (Cow::Borrowed(text), Shifts::default());
    }
    (Cow::Owned(out), Shifts(shifts))
}

/// Markdown text with GitHub @-mentions (`@user`, `@org/team`) neutralised: a zero-width
/// space after the `@`, so the comment reads the same and notifies nobody (GitHub links a
/// mention only when a letter or digit follows the `@` directly). An `@` inside a word, as
/// in an email address, is no mention and is left alone.
pub fn mentions(text: &str) -> Cow<'_, str> {
    if !text.contains('@') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let starts_word = previous.is_none_or(|p| !(p.is_alphanumeric() || p == '_'));
        if c == '@' && starts_word && chars.peek().is_some_and(char::is_ascii_alphanumeric) {
            out.push('\u{200B}');
        }
        previous = Some(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_take_an_s_unless_one() {
        assert_eq!(plural(0, "finding"), "0 findings");
        assert_eq!(plural(1, "item file"), "1 item file");
        assert_eq!(plural(2, "file"), "2 files");
    }

    #[test]
    fn controls_become_visible() {
        assert_eq!(inline("plain text"), "plain text");
        assert_eq!(
            inline("a\nb\r\tc\u{1b}]0;x\u{7}\u{7f}\u{85}\u{9b}"),
            r"a\nb\r\tc\u{1b}]0;x\u{7}\u{7f}\u{85}\u{9b}"
        );
        assert_eq!(block("a\n\tb\u{1b}[31m"), "a\n\tb\\u{1b}[31m");
    }

    #[test]
    fn workflow_commands_are_broken() {
        assert_eq!(inline("::error::x"), r"\u{3a}:error::x");
        assert_eq!(inline("  ::add-mask::x"), r"  \u{3a}:add-mask::x");
        assert_eq!(inline("a ::b::"), "a ::b::");
        assert_eq!(inline("see ##[error]x"), r"see ##\u{5b}error]x");
        assert_eq!(inline("x\n::warning::y"), r"x\n::warning::y");
        assert_eq!(
            block("one\n ::error::two\nthree ::"),
            "one\n \\u{3a}:error::two\nthree ::"
        );
        assert_eq!(inline("C:: drive, # tag, [x]"), "C:: drive, # tag, [x]");
    }

    #[test]
    fn source_spans_follow_the_escaping() {
        let text = "id: V-1\ntitle: a\u{1b}b ##[error]\r\nrisk: x\n";
        let (escaped, shifts) = source(text);
        assert_eq!(
            escaped,
            "id: V-1\ntitle: a\\u{1b}b ##\\u{5b}error]\r\nrisk: x\n"
        );
        let risk = text.find("risk").expect("risk");
        assert_eq!(&escaped[shifts.map(risk)..shifts.map(risk) + 4], "risk");
        let esc = text.find('\u{1b}').expect("esc");
        assert_eq!(&escaped[shifts.map(esc)..shifts.map(esc) + 6], "\\u{1b}");
        assert_eq!(shifts.map(3), 3);
    }

    #[test]
    fn mentions_notify_nobody() {
        assert_eq!(mentions("ask @alice"), "ask @\u{200B}alice");
        assert_eq!(mentions("@org/team"), "@\u{200B}org/team");
        assert_eq!(mentions("(@bob)"), "(@\u{200B}bob)");
        assert_eq!(mentions("jane@example.com"), "jane@example.com");
        assert_eq!(mentions("a @ b"), "a @ b");
    }
}
