//! The YAML parser boundary. Only this module names the parser crate; everything else sees
//! [`Node`] trees with byte spans.

use std::fmt;
use std::io::Read;
use std::path::Path;

use granit_parser::{Event, Options, Parser, ScalarStyle, Span as ParserSpan, StrInput};

use crate::model::{Entry, Node, Span, Value};

mod fast;

/// Item files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Inventory and people files larger than this are refused before parsing. One file may hold
/// every asset of a large system (`poam inventory import` writes one): 20,000 assets of the
/// IIW's mandatory columns are about 7.5 MB.
pub const MAX_ELEMENTS_FILE_BYTES: usize = 32 * 1024 * 1024;

/// How large a YAML file may be, and what the refusal calls such files.
#[derive(Clone, Copy, Debug)]
pub struct SizeLimit {
    pub bytes: usize,
    what: &'static str,
}

/// Item files, `poam.yaml` and the assessment file.
pub const ITEM_FILE: SizeLimit = SizeLimit {
    bytes: MAX_FILE_BYTES,
    what: "items",
};
/// Inventory and people files, and any file the item editor opens (it edits those too).
pub const ELEMENTS_FILE: SizeLimit = SizeLimit {
    bytes: MAX_ELEMENTS_FILE_BYTES,
    what: "inventory and people files",
};

impl SizeLimit {
    /// At most `bytes`; `what` names the files in the refusal ("items").
    pub const fn new(bytes: usize, what: &'static str) -> SizeLimit {
        SizeLimit { bytes, what }
    }

    /// Why a file of `size` bytes (over this limit) is not read.
    pub fn refusal(self, size: u64) -> String {
        format!(
            "file is {size} bytes; {} may be at most {} bytes",
            self.what, self.bytes
        )
    }

    /// Reads a file the repository names (an item, the people file, an inventory file) the
    /// way every such file is read: a symlink only to a regular file inside `root` (the work
    /// tree), never a FIFO or device (opening a FIFO blocks, `/dev/zero` never ends), and at
    /// most this limit, said with the real size. A file named from outside the repository is
    /// not read: its lines would be quoted in findings, in public CI logs.
    pub fn read_inside(self, path: &Path, root: &Path) -> Result<Vec<u8>, ReadError> {
        let link = std::fs::symlink_metadata(path).map_err(ReadError::Io)?;
        let target = std::fs::canonicalize(path).map_err(|e| {
            ReadError::Refused(if link.file_type().is_symlink() {
                format!("broken symlink: {e}")
            } else {
                format!("cannot resolve the path: {e}")
            })
        })?;
        let root = std::fs::canonicalize(root)
            .map_err(|e| ReadError::Refused(format!("cannot resolve the work tree: {e}")))?;
        if !target.starts_with(&root) {
            return Err(ReadError::Refused(if link.file_type().is_symlink() {
                format!(
                    "symlink points outside the repository (to {})",
                    target.display()
                )
            } else {
                format!("{} is outside the repository", target.display())
            }));
        }
        if !std::fs::metadata(&target).is_ok_and(|m| m.is_file()) {
            return Err(ReadError::Refused(if link.file_type().is_symlink() {
                "symlink does not point to a regular file".to_owned()
            } else {
                "not a regular file".to_owned()
            }));
        }
        self.read_regular(path)
    }

    /// Reads a file that may live anywhere (`poam.yaml`, the KEV catalog a CI job downloaded):
    /// through links, but only to a regular file, and at most this limit.
    pub fn read_file(self, path: &Path) -> Result<Vec<u8>, ReadError> {
        if !std::fs::metadata(path).map_err(ReadError::Io)?.is_file() {
            return Err(ReadError::Refused("not a regular file".to_owned()));
        }
        self.read_regular(path)
    }

    /// Reads a path already known to be a regular file: at most this limit, said with the
    /// real size.
    pub fn read_regular(self, path: &Path) -> Result<Vec<u8>, ReadError> {
        let mut handle = std::fs::File::open(path).map_err(ReadError::Io)?;
        // Sizing the buffer from the file's length saves the growth and probe reads.
        let length = handle.metadata().map_or(0, |m| m.len());
        // Too large is said with the real size, without reading the file.
        if length > self.bytes as u64 {
            return Err(ReadError::Refused(self.refusal(length)));
        }
        let mut bytes =
            Vec::with_capacity(usize::try_from(length).unwrap_or(0).min(self.bytes) + 1);
        // One byte past the limit, so a file that grew since its length was read is still
        // refused by the parser.
        (&mut handle)
            .take(self.bytes as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        Ok(bytes)
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The file system said no (missing, no permission, an I/O error).
    Io(std::io::Error),
    /// poam will not read it: outside the repository, not a regular file, too large.
    Refused(String),
}

impl ReadError {
    /// The error as the file system would have said it, for callers that report I/O errors.
    pub fn into_io(self) -> std::io::Error {
        match self {
            ReadError::Io(e) => e,
            ReadError::Refused(why) => std::io::Error::other(why),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read file: {e}"),
            ReadError::Refused(why) => f.write_str(why),
        }
    }
}
/// Nesting deeper than this is refused: items are at most four levels deep.
pub const MAX_DEPTH: usize = 32;

/// Why a file could not become a [`Node`] tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Parses one YAML document from raw bytes: UTF-8, at most [`MAX_FILE_BYTES`], a single
/// document, no anchors or aliases, bounded depth.
pub fn parse_bytes(bytes: &[u8]) -> Result<(String, Node), ParseError> {
    parse_bytes_within(bytes, ITEM_FILE)
}

/// [`parse_bytes`] of a file that may be as large as `limit`.
pub fn parse_bytes_within(bytes: &[u8], limit: SizeLimit) -> Result<(String, Node), ParseError> {
    if bytes.len() > limit.bytes {
        return Err(ParseError {
            message: limit.refusal(bytes.len() as u64),
            span: Span::new(0, 0),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => {
            let at = err.valid_up_to();
            // The lossy text shown with the error is identical up to `at`, so the span holds.
            return Err(ParseError {
                message: format!(
                    "file is not valid UTF-8 (invalid byte 0x{:02x} at offset {at})",
                    bytes[at]
                ),
                span: Span::new(at, at),
            });
        }
    };
    let node = parse_str(&text)?;
    Ok((text, node))
}

/// Like [`parse_bytes`], but takes the buffer to avoid copying it. On failure it hands back
/// the text to show with the error (invalid UTF-8 replaced).
pub fn parse_owned(bytes: Vec<u8>) -> Result<(String, Node), (String, ParseError)> {
    parse_owned_within(bytes, ITEM_FILE)
}

/// [`parse_owned`] of a file that may be as large as `limit`.
pub fn parse_owned_within(
    bytes: Vec<u8>,
    limit: SizeLimit,
) -> Result<(String, Node), (String, ParseError)> {
    if bytes.len() > limit.bytes {
        let error = parse_bytes_within(&bytes, limit)
            .err()
            .unwrap_or_else(|| ParseError {
                message: "file is too large".to_owned(),
                span: Span::new(0, 0),
            });
        return Err((String::from_utf8_lossy(&bytes).into_owned(), error));
    }
    match String::from_utf8(bytes) {
        Ok(text) => match parse_str(&text) {
            Ok(node) => Ok((text, node)),
            Err(error) => Err((text, error)),
        },
        Err(err) => {
            let bytes = err.into_bytes();
            let error = parse_bytes_within(&bytes, limit)
                .err()
                .unwrap_or_else(|| ParseError {
                    message: "file is not valid UTF-8".to_owned(),
                    span: Span::new(0, 0),
                });
            Err((String::from_utf8_lossy(&bytes).into_owned(), error))
        }
    }
}

/// True when `text` holds no YAML content: only whitespace, comments and document markers.
pub fn is_blank(text: &str) -> bool {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .map(str::trim)
        .all(|line| line.is_empty() || line.starts_with('#') || line == "---" || line == "...")
}

/// Parses one YAML document held in a string.
pub fn parse_str(text: &str) -> Result<Node, ParseError> {
    // The fast path refuses a NUL byte and a blank file itself, so what it accepts needs
    // neither check (a scan of every file for NUL was 2 % of a lint).
    if let Some(node) = fast::parse(text) {
        return Ok(node);
    }
    parse_full(text)
}

/// Whether the fast path agrees with the full parser on `text`: it must give up (`None`) or
/// build exactly the tree (values and spans) the full parser builds. `Err` says how they
/// differ. For the `parse-diff` fuzz target and its regression test.
pub fn check_fast_path(text: &str) -> Result<(), String> {
    let Some(fast) = fast::parse(text) else {
        return Ok(());
    };
    match parse_full(text) {
        Ok(full) if same_tree(&fast, &full) => Ok(()),
        Ok(full) => Err(format!(
            "the fast path and the full parser differ on {text:?}:\nfast: {fast:?}\nfull: {full:?}"
        )),
        Err(error) => Err(format!(
            "the fast path accepts {text:?}, which the full parser refuses: {}",
            error.message
        )),
    }
}

/// Node equality, spans included, where NaN equals NaN.
fn same_tree(a: &Node, b: &Node) -> bool {
    if a.span != b.span {
        return false;
    }
    match (&a.value, &b.value) {
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_tree(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).all(|(a, b)| {
                    a.key == b.key && a.key_span == b.key_span && same_tree(&a.value, &b.value)
                })
        }
        (x, y) => x == y,
    }
}

/// The full parser alone, without the fast path.
fn parse_full(text: &str) -> Result<Node, ParseError> {
    if let Some(at) = text.find('\0') {
        return Err(ParseError {
            message: "file contains a NUL byte: it looks binary, not YAML".to_owned(),
            span: Span::new(at, at),
        });
    }
    let text_without_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text_without_bom.trim().is_empty() {
        return Err(ParseError {
            message: "file is empty: an item is one YAML mapping".to_owned(),
            span: Span::new(0, 0),
        });
    }
    TreeBuilder::new(text)
        .build()
        .map_err(|error| tab_in_indentation(text, &error).unwrap_or(error))
}

/// A tab in a line's indentation near the place the parser gave up: YAML indents with spaces
/// only, and the parser's own message points elsewhere and speaks of its internal context.
fn tab_in_indentation(text: &str, error: &ParseError) -> Option<ParseError> {
    let error_line = text[..error.span.start.min(text.len())]
        .matches('\n')
        .count();
    let mut offset = 0;
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent].find('\t') {
            if number + 1 >= error_line && number <= error_line + 1 {
                let at = offset + tab;
                return Some(ParseError {
                    message: format!(
                        "tab in the indentation of line {}: YAML indentation must be spaces",
                        number + 1
                    ),
                    span: Span::new(at, at + 1),
                });
            }
        }
        offset += line.len();
    }
    None
}

/// Where the quoted scalar that ends at a parse error began, when it began on an earlier line:
/// a quote left open on line 5 runs on to the next quote of its kind, and the parser then
/// complains there (`invalid trailing content after double-quoted scalar` on line 9). The
/// span covers the opening quote, for a second label on the line that needs the fix.
pub fn quote_opened_at(text: &str, error: &ParseError) -> Option<Span> {
    let quote = if error.message.contains("after double-quoted scalar") {
        b'"'
    } else if error.message.contains("after single-quoted scalar") {
        b'\''
    } else {
        return None;
    };
    let bytes = text.as_bytes();
    // The closing quote sits just before the trailing content, spaces aside.
    let closing = text[..error.span.start.min(text.len())]
        .trim_end_matches([' ', '\t'])
        .len()
        .checked_sub(1)?;
    if bytes.get(closing) != Some(&quote) {
        return None;
    }
    // Back to the quote that opened it: inside double quotes `\"` is escaped; inside single
    // quotes `''` is one quote.
    let mut at = closing;
    let opening = loop {
        let found = text[..at].rfind(char::from(quote))?;
        if quote == b'"' {
            let backslashes = bytes[..found]
                .iter()
                .rev()
                .take_while(|b| **b == b'\\')
                .count();
            if backslashes % 2 == 1 {
                at = found;
                continue;
            }
        } else if found > 0 && bytes[found - 1] == b'\'' {
            at = found - 1;
            continue;
        }
        break found;
    };
    text[opening..closing]
        .contains('\n')
        .then(|| Span::new(opening, opening + 1))
}

/// The value of a top-level `key: value` line, read from the text without parsing it: for
/// naming the item of a file that does not parse.
pub fn top_level_scalar(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value = rest.split(" #").next()?.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_owned())
    })
}

/// Builds a [`Node`] tree from the parser's event stream, refusing what items never need.
struct TreeBuilder<'a> {
    text: &'a str,
    events: Parser<'a, StrInput<'a>>,
    depth: usize,
}

/// What the builder does with one event in a node position.
enum Step {
    Node(Node),
    End,
}

impl<'a> TreeBuilder<'a> {
    fn new(text: &'a str) -> Self {
        let mut options = Options::default();
        options.flow_nesting_limit = MAX_DEPTH;
        options.block_nesting_limit = MAX_DEPTH + 1;
        options.emit_comments = false;
        Self {
            text,
            events: Parser::new_from_str_with_options(text, options),
            depth: 0,
        }
    }

    fn span(&self, span: &ParserSpan) -> Span {
        let start = span.start.byte_offset().unwrap_or(0).min(self.text.len());
        let end = span
            .end
            .byte_offset()
            .unwrap_or(start)
            .clamp(start, self.text.len());
        Span::new(start, end)
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), ParseError> {
        match self.events.next_event() {
            Some(Ok((event, span))) => {
                let span = self.span(&span);
                Ok((event, span))
            }
            Some(Err(err)) => {
                let at = err.marker().byte_offset().unwrap_or(0).min(self.text.len());
                Err(ParseError {
                    message: err.info(),
                    span: Span::new(at, at),
                })
            }
            None => Err(ParseError {
                message: "unexpected end of file".to_owned(),
                span: Span::new(self.text.len(), self.text.len()),
            }),
        }
    }

    fn build(mut self) -> Result<Node, ParseError> {
        let mut root = None;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd => {}
                Event::DocumentStart(..) => {
                    if root.is_some() {
                        return Err(ParseError {
                            message:
                                "file holds more than one YAML document; an item is exactly one"
                                    .to_owned(),
                            span,
                        });
                    }
                    let (event, span) = self.next()?;
                    match self.node(event, span)? {
                        Step::Node(node) => root = Some(node),
                        _ => return Err(unexpected(span)),
                    }
                }
                Event::StreamEnd => break,
                _ => return Err(unexpected(span)),
            }
        }
        root.ok_or_else(|| ParseError {
            message: "file is empty: an item is one YAML mapping".to_owned(),
            span: Span::new(0, 0),
        })
    }

    fn node(&mut self, event: Event<'a>, span: Span) -> Result<Step, ParseError> {
        match event {
            Event::Scalar(value, style, anchor, tag) => {
                self.refuse_anchor(anchor, span)?;
                let quoted = !matches!(style, ScalarStyle::Plain);
                let forced_string = tag
                    .as_ref()
                    .is_some_and(|t| t.is_yaml_core_schema_tag("str"));
                let value = if quoted || forced_string {
                    Value::Str(value.into_owned())
                } else {
                    resolve_plain(&value)
                };
                Ok(Step::Node(Node { value, span }))
            }
            Event::SequenceStart(_, anchor, _) => {
                self.refuse_anchor(anchor, span)?;
                self.enter(span)?;
                let mut items = Vec::new();
                let mut whole = Span::new(span.start, span.start);
                loop {
                    let (event, span) = self.next()?;
                    match self.node(event, span)? {
                        Step::Node(node) => {
                            whole = whole.cover(node.span);
                            items.push(node);
                        }
                        Step::End => break,
                    }
                }
                self.depth -= 1;
                Ok(Step::Node(Node {
                    value: Value::Seq(items),
                    span: whole,
                }))
            }
            Event::MappingStart(_, anchor, _) => {
                self.refuse_anchor(anchor, span)?;
                self.enter(span)?;
                let mut entries: Vec<Entry> = Vec::new();
                let mut whole = Span::new(span.start, span.start);
                loop {
                    let (event, key_span) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => break,
                        Event::Scalar(key, _, anchor, _) => {
                            self.refuse_anchor(anchor, key_span)?;
                            key.into_owned()
                        }
                        Event::Alias(_) => return Err(alias(key_span)),
                        _ => {
                            return Err(ParseError {
                                message: "mapping keys must be plain scalars".to_owned(),
                                span: key_span,
                            })
                        }
                    };
                    if entries.iter().any(|e| e.key == key) {
                        return Err(ParseError {
                            message: format!("duplicate key `{key}`"),
                            span: key_span,
                        });
                    }
                    let (event, span) = self.next()?;
                    let value = match self.node(event, span)? {
                        Step::Node(node) => node,
                        _ => return Err(unexpected(span)),
                    };
                    whole = whole.cover(key_span).cover(value.span);
                    entries.push(Entry {
                        key,
                        key_span,
                        value,
                    });
                }
                self.depth -= 1;
                Ok(Step::Node(Node {
                    value: Value::Map(entries),
                    span: whole,
                }))
            }
            Event::SequenceEnd | Event::MappingEnd => Ok(Step::End),
            Event::Alias(_) | Event::UnresolvedAlias(_) => Err(alias(span)),
            _ => Err(unexpected(span)),
        }
    }

    /// Refuses an anchored node, pointing at its `&name` rather than at the node.
    fn refuse_anchor(&self, anchor: usize, span: Span) -> Result<(), ParseError> {
        if anchor == 0 {
            return Ok(());
        }
        let before = self.text.get(..span.start).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let at = before[line_start..]
            .rfind('&')
            .map_or(span.start, |i| line_start + i);
        let end = self.text[at..]
            .find(|c: char| c.is_whitespace())
            .map_or(self.text.len(), |i| at + i);
        Err(ParseError {
            message: "anchors and aliases are not allowed in poam files".to_owned(),
            span: Span::new(at, end.max(at)),
        })
    }

    fn enter(&mut self, span: Span) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                message: format!("nesting is deeper than {MAX_DEPTH} levels"),
                span,
            });
        }
        Ok(())
    }
}

fn alias(span: Span) -> ParseError {
    ParseError {
        message: "anchors and aliases are not allowed in poam files".to_owned(),
        span,
    }
}

fn unexpected(span: Span) -> ParseError {
    ParseError {
        message: "unexpected YAML structure".to_owned(),
        span,
    }
}

/// YAML 1.2 core schema resolution of a plain scalar, with booleans only as `true`/`false`
/// (so `yes`, `no`, `on` and `off` stay strings).
fn resolve_plain(text: &str) -> Value {
    if is_plainly_text(text) {
        return Value::Str(text.to_owned());
    }
    resolve_by_schema(text)
}

/// [`resolve_plain`] without the shortcut for text.
fn resolve_by_schema(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<i128>()
            .map_or_else(|_| Value::Str(text.to_owned()), Value::Int);
    }
    // `0x[0-9a-fA-F]+` and `0o[0-7]+`: `from_str_radix` alone would also take a sign (`0x+e`).
    if let Some(hex) = text.strip_prefix("0x") {
        if hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(n) = i128::from_str_radix(hex, 16) {
                return Value::Int(n);
            }
        }
    }
    if let Some(octal) = text.strip_prefix("0o") {
        if octal.bytes().all(|b| matches!(b, b'0'..=b'7')) {
            if let Ok(n) = i128::from_str_radix(octal, 8) {
                return Value::Int(n);
            }
        }
    }
    if looks_like_float(digits) {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_owned())
}

/// Whether `text` is a string without looking further: every null, boolean, integer and float
/// of the core schema starts with a digit, a sign, `.`, `~` or the first letter of `null`,
/// `true` or `false`, and none of those words is longer than five letters.
fn is_plainly_text(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(b'0'..=b'9') => digit_led_text(text.as_bytes()),
        Some(b'-' | b'+' | b'.' | b'~') | None => false,
        Some(b'n' | b'N' | b't' | b'T' | b'f' | b'F') => text.len() > 5,
        Some(_) => true,
    }
}

/// Whether `bytes`, starting with a digit, are text: a number holds nothing but digits, hex
/// letters, `.`, `x`, `o`, and a sign only after an exponent's `e`. So `2026-11-02` and
/// `2026-11-02T09:00:00Z` are text without trying every number form.
fn digit_led_text(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().skip(1).any(|(i, &b)| match b {
        b'0'..=b'9' | b'a'..=b'f' | b'A'..=b'F' | b'.' | b'x' | b'o' => false,
        b'-' | b'+' => !matches!(bytes[i - 1], b'e' | b'E'),
        _ => true,
    })
}

/// `[0-9]*(.[0-9]*)?([eE][-+]?[0-9]+)?` with at least one digit before the exponent.
fn looks_like_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        all_digits(whole) && all_digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok && (mantissa.contains('.') || exponent.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The shortcut only ever answers what the schema would: a string.
        #[test]
        fn plainly_text_is_text_by_the_schema(text in "[-+.~0-9a-fA-FxoeET_ :]{0,12}|[0-9][-+.0-9eExo]{0,8}|(?s).{0,12}") {
            if is_plainly_text(&text) {
                prop_assert_eq!(resolve_by_schema(&text), Value::Str(text.clone()));
            }
        }
    }

    /// Found by the property above: `from_str_radix` reads a sign after the prefix, so
    /// `0x+e` was the integer 14; the core schema makes it a string.
    #[test]
    fn a_sign_after_a_radix_prefix_is_text() {
        for text in ["0x+e", "0x-1", "0o+7", "0o-7", "0x", "0o"] {
            assert_eq!(
                resolve_by_schema(text),
                Value::Str(text.to_owned()),
                "{text}"
            );
        }
        assert_eq!(resolve_by_schema("0x1F"), Value::Int(31));
        assert_eq!(resolve_by_schema("0o17"), Value::Int(15));
    }

    #[test]
    fn dates_and_prose_take_the_shortcut() {
        for text in [
            "2026-11-02",
            "2026-11-02T09:00:00Z",
            "09:30",
            "Malformed requests",
            "nullable",
        ] {
            assert!(is_plainly_text(text), "{text}");
        }
    }

    #[test]
    fn every_word_of_the_schema_is_left_to_it() {
        for word in [
            "", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE",
            ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "0x1f", "0o17", "12", "-3", "+4", "1e5",
            "2.5", ".5", "1e-5", "1E+3", "0x1F", "0o17", "12.5e-3",
        ] {
            assert!(!is_plainly_text(word), "{word}");
            assert_ne!(resolve_plain(word), Value::Str(word.to_owned()), "{word}");
        }
    }

    fn text_of(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn spans_are_byte_ranges_of_keys_and_values() {
        let text = "title: Héllo wörld\ndue: 2026-01-02\nlist:\n  - a\n  - 7\nmap: {k: true}\n";
        let node = parse_str(text).expect("parses");
        let entries = node.as_map().expect("map");
        assert_eq!(entries[0].key, "title");
        assert_eq!(text_of(text, entries[0].key_span), "title");
        assert_eq!(text_of(text, entries[0].value.span), "Héllo wörld");
        assert_eq!(text_of(text, entries[1].value.span), "2026-01-02");
        let Value::Seq(items) = &entries[2].value.value else {
            panic!("expected a list")
        };
        assert_eq!(items[1].value, Value::Int(7));
        assert_eq!(text_of(text, items[1].span), "7");
        let inner = entries[3].value.get("k").expect("k");
        assert_eq!(inner.value.value, Value::Bool(true));
    }

    #[test]
    fn refuses_anchors_documents_and_binary() {
        for bad in [
            "a: &x 1\nb: *x\n",
            "a: 1\n---\nb: 2\n",
            "a: [1, 2\n",
            "",
            "   \n",
            "a: \0\n",
        ] {
            assert!(parse_str(bad).is_err(), "{bad:?} should fail");
        }
        assert!(parse_bytes(b"a: \xff\xfe\n").is_err());
        assert!(parse_bytes(&vec![b'#'; MAX_FILE_BYTES + 1]).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_str(&deep).is_err());
    }

    /// Both parsers refuse a quote left open (the fast path by giving up, the full parser
    /// with the error), and the opening quote is found from the error.
    #[test]
    fn an_open_quote_is_found_where_it_opens() {
        let text = "id: V-1\nowner: \"Jane Doe\nrisk: \"low\"\n";
        assert!(fast::parse(text).is_none());
        let error = parse_str(text).expect_err("refused");
        let opening = quote_opened_at(text, &error).expect("found");
        assert_eq!(opening.start, text.find('"').expect("quote"));
        let escaped = "id: V-1\nowner: \"Jane \\\" Doe\nrisk: \"low\"\n";
        let error = parse_str(escaped).expect_err("refused");
        assert_eq!(
            quote_opened_at(escaped, &error).map(|s| s.start),
            escaped.find('"')
        );
    }

    #[test]
    fn yes_stays_a_string() {
        let node = parse_str("a: yes\n").expect("parses");
        assert_eq!(
            node.get("a").map(|e| &e.value.value),
            Some(&Value::Str("yes".into()))
        );
    }
}
