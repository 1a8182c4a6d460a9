//! Scalar emitting: YAML text for a new value, in the style the old one was written in (plain,
//! quoted or block) when that reads back as the value, else double-quoted.

use chrono::NaiveDate;

use super::NewValue;
use crate::model::Value;
use crate::parse;

/// How a scalar was written, so a replacement can keep it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Style {
    New,
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

pub(super) struct Renderer {
    pub(super) eol: &'static str,
}

impl Renderer {
    /// A mapping key: plain when simple, else double-quoted.
    pub(super) fn key(&self, name: &str) -> String {
        let simple = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && !name.starts_with('-')
            && matches!(reads_as(name, false), Some(Value::Str(s)) if s == name);
        if simple {
            name.to_owned()
        } else {
            double_quoted(name)
        }
    }

    /// What follows `key:` in block context; children are indented by `indent`.
    pub(super) fn after_key(&self, value: &NewValue, indent: usize, style: Style) -> String {
        let eol = self.eol;
        match value {
            NewValue::List(items) if items.is_empty() => " []".to_owned(),
            NewValue::Map(entries) if entries.is_empty() => " {}".to_owned(),
            NewValue::List(items) => items
                .iter()
                .map(|item| {
                    let pad = " ".repeat(indent);
                    format!("{eol}{pad}-{}", self.seq_item(item, indent + 2, Style::New))
                })
                .collect(),
            NewValue::Map(entries) => entries
                .iter()
                .map(|(key, value)| {
                    let pad = " ".repeat(indent);
                    let key = self.key(key);
                    let rest = self.after_key(value, indent + 2, Style::New);
                    format!("{eol}{pad}{key}:{rest}")
                })
                .collect(),
            scalar => self.block_scalar(scalar, indent, style),
        }
    }

    /// What follows a list dash in block context; the entry's content sits at `indent`.
    pub(super) fn seq_item(&self, value: &NewValue, indent: usize, style: Style) -> String {
        match value {
            NewValue::Map(entries) if !entries.is_empty() => {
                let pad = " ".repeat(indent);
                entries
                    .iter()
                    .enumerate()
                    .map(|(i, (key, value))| {
                        let lead = if i == 0 {
                            " ".to_owned()
                        } else {
                            format!("{}{pad}", self.eol)
                        };
                        let key = self.key(key);
                        let rest = self.after_key(value, indent + 2, Style::New);
                        format!("{lead}{key}:{rest}")
                    })
                    .collect()
            }
            NewValue::List(_) | NewValue::Map(_) => format!(" {}", self.flow(value)),
            scalar => self.block_scalar(scalar, indent, style),
        }
    }

    /// A scalar after `key:` or `-` in block context, with its leading space.
    pub(super) fn block_scalar(&self, value: &NewValue, indent: usize, style: Style) -> String {
        let text = match value {
            NewValue::Str(s) => s.clone(),
            NewValue::Date(d) => date_text(*d),
            other => return format!(" {}", plain_non_string(other)),
        };
        let try_block = |folded| {
            block_text(&text, indent, folded, self.eol)
                .filter(|b| reads_back_block(b, &text, self.eol))
        };
        let quoted = match style {
            Style::Literal | Style::Folded => {
                let block = if style == Style::Folded {
                    try_block(true).or_else(|| try_block(false))
                } else {
                    try_block(false)
                };
                if let Some(block) = block {
                    return block;
                }
                None
            }
            Style::Single => single_quoted(&text),
            Style::Double => Some(double_quoted(&text)),
            Style::New if text.contains('\n') => {
                if let Some(block) = try_block(false) {
                    return block;
                }
                None
            }
            Style::New | Style::Plain => plain_ok(&text, false).then(|| text.clone()),
        };
        format!(
            " {}",
            quoted
                .filter(|q| matches!(reads_as(q, false), Some(Value::Str(s)) if s == text))
                .unwrap_or_else(|| double_quoted(&text))
        )
    }

    /// A value in flow style: `[a, b]`, `{k: v}`, plain or double-quoted scalars.
    pub(super) fn flow(&self, value: &NewValue) -> String {
        match value {
            NewValue::Str(s) => flow_string(s),
            NewValue::Date(d) => date_text(*d),
            NewValue::List(items) => {
                let items: Vec<String> = items.iter().map(|v| self.flow(v)).collect();
                format!("[{}]", items.join(", "))
            }
            NewValue::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", self.key(k), self.flow(v)))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
            other => plain_non_string(other),
        }
    }
}

pub(super) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(super) fn plain_non_string(value: &NewValue) -> String {
    match value {
        NewValue::Int(i) => i.to_string(),
        NewValue::Bool(b) => b.to_string(),
        _ => "null".to_owned(),
    }
}

pub(super) fn flow_string(s: &str) -> String {
    if plain_ok(s, true) {
        s.to_owned()
    } else {
        double_quoted(s)
    }
}

/// True when `s` written plain reads back as the string `s` (in flow context when `flow`).
pub(super) fn plain_ok(s: &str, flow: bool) -> bool {
    let simple = !s.is_empty()
        && s.trim() == s
        && !s.chars().any(|c| c.is_control() || is_special_space(c))
        && !s.starts_with('\u{feff}');
    simple && matches!(reads_as(s, flow), Some(Value::Str(read)) if read == s)
}

pub(super) fn is_special_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{a0}'
    )
}

/// How the YAML text `s` (a scalar as written) reads in a one-key document.
pub(super) fn reads_as(s: &str, flow: bool) -> Option<Value> {
    let doc = if flow {
        format!("k: [{s}]\n")
    } else {
        format!("k: {s}\n")
    };
    let node = parse::parse_str(&doc).ok()?;
    let value = node.get("k")?.value.value.clone();
    if flow {
        match value {
            Value::Seq(mut items) if items.len() == 1 => items.pop().map(|n| n.value),
            _ => None,
        }
    } else {
        Some(value)
    }
}

pub(super) fn reads_back_block(block: &str, expected: &str, eol: &str) -> bool {
    let doc = format!("k:{block}{eol}");
    parse::parse_str(&doc)
        .ok()
        .and_then(|node| node.get("k").map(|e| e.value.value.clone()))
        == Some(Value::Str(expected.to_owned()))
}

/// ` |-` or ` >` and the lines of `text` indented by `indent`, when the block style can hold it.
pub(super) fn block_text(text: &str, indent: usize, folded: bool, eol: &str) -> Option<String> {
    let chomp = if text.ends_with("\n\n") {
        return None;
    } else if text.ends_with('\n') {
        ""
    } else {
        "-"
    };
    let body = text.strip_suffix('\n').unwrap_or(text);
    let bad_char = body
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_special_space(c));
    if body.is_empty()
        || bad_char
        || body.starts_with([' ', '\t'])
        || (folded && body.contains('\n'))
    {
        return None;
    }
    let mut out = format!(" {}{chomp}", if folded { '>' } else { '|' });
    let pad = " ".repeat(indent.max(1));
    for line in body.split('\n') {
        out.push_str(eol);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

pub(super) fn single_quoted(s: &str) -> Option<String> {
    if s.chars().any(|c| c.is_control() || is_special_space(c)) {
        return None;
    }
    Some(format!("'{}'", s.replace('\'', "''")))
}

pub(super) fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() || is_special_space(c) => {
                let code = u32::from(c);
                if code <= 0xffff {
                    out.push_str(&format!("\\u{code:04X}"));
                } else {
                    out.push_str(&format!("\\U{code:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
