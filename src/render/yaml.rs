//! Plain data as block-style YAML (`poam show --format yaml`). Strings are written plain only
//! when they read back as the same string; otherwise double-quoted with JSON escapes, which
//! are valid YAML.

use serde_json::Value;

pub fn render(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(_) | Value::Array(_) => block(value, 0, &mut out),
        scalar_value => {
            out.push_str(&scalar(scalar_value));
            out.push('\n');
        }
    }
    out
}

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                out.push_str(&pad);
                out.push_str(&string(key));
                out.push(':');
                nested(value, indent, out);
            }
        }
        Value::Array(items) => {
            for value in items {
                out.push_str(&pad);
                out.push('-');
                match value {
                    Value::Object(map) if !map.is_empty() => {
                        // The first key shares the dash's line; the rest align under it.
                        let mut text = String::new();
                        block(value, indent + 2, &mut text);
                        out.push(' ');
                        out.push_str(&text[indent + 2..]);
                    }
                    _ => nested(value, indent, out),
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// The value after `key:` or `-`: on the same line when scalar or empty, else indented below.
fn nested(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            block(value, indent + 2, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            block(value, indent + 2, out);
        }
        Value::Object(_) => out.push_str(" {}\n"),
        Value::Array(_) => out.push_str(" []\n"),
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) | Value::Object(_) => String::new(),
    }
}

/// A string that reads back as itself.
fn string(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "null" | "~" | "true" | "false" | "yes" | "no" | "on" | "off" | ".nan" | ".inf" | "-.inf"
    );
    let looks_numeric = text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | '_' | ':'))
        || first.is_ascii_digit();
    !reserved
        && !looks_numeric
        && (first.is_alphanumeric() || first == '/' || first == '(')
        && !text.ends_with(' ')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && text.chars().all(|c| {
            !c.is_control()
                && !matches!(
                    c,
                    '"' | '\''
                        | '\\'
                        | '`'
                        | '{'
                        | '}'
                        | '['
                        | ']'
                        | ','
                        | '&'
                        | '*'
                        | '!'
                        | '|'
                        | '>'
                        | '%'
                        | '@'
                )
        })
}
