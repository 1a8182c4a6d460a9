//! The reader: a [`Node`] tree to an [`Item`], every problem collected as data on the way.

use std::fmt;

use chrono::NaiveDate;

use super::suggest::{suggest, synonym};
use super::*;
use crate::model::node::{Node, Value};
use crate::model::span::{Sp, Span};

impl Item {
    /// Builds the model from a parsed file. `source` is the file's text, used to keep the
    /// written form of scalars (`detector_id: 00123` stays `00123`).
    pub fn from_node(node: &Node, source: &str) -> Item {
        let mut reader = Reader {
            source,
            values_may_hold_control: may_hold_escaped_control(source),
            problems: Vec::new(),
            empty: Vec::new(),
        };
        let mut item = Item {
            span: node.span,
            ..Item::default()
        };
        let Some(fields) = reader.mapping(node, &FieldPath::ROOT, ITEM_KEYS) else {
            item.problems = reader.problems;
            item.empty = reader.empty;
            return item;
        };
        for (key, value, key_span) in fields {
            let r = &mut reader;
            let path = FieldPath::ROOT.key(key);
            let at = &path;
            match key {
                "id" => item.id = r.item_id(value, at),
                "title" => item.title = r.single_line(value, at),
                "description" => item.description = r.text(value, at),
                "controls" => item.controls = r.list(value, at, Reader::control),
                "requirement" => item.requirement = r.single_line(value, at),
                "detector" => item.detector = r.text(value, at),
                "detector_id" => item.detector_id = r.text(value, at),
                "assets" => item.assets = r.list(value, at, Reader::text),
                "owner" => item.owner = r.text(value, at),
                "resources" => item.resources = r.text(value, at),
                "remediation" => item.remediation = r.text(value, at),
                "detected" => item.detected = r.date(value, at),
                "due" => item.due = r.date(value, at),
                "risk" => item.risk = r.risk(value, at),
                "milestones" => item.milestones = r.list(value, at, Reader::milestone),
                "milestone_changes" => {
                    item.milestone_changes = r.list(value, at, Reader::milestone_change)
                }
                "status" => item.status = r.status(value, at),
                "status_date" => item.status_date = r.date(value, at),
                "vendor_dependency" => item.vendor_dependency = r.vendor_dependency(value, at),
                "deviations" => item.deviations = r.deviations(value, at),
                "kev_due" => item.kev_due = r.date(value, at),
                "cves" => item.cves = r.list(value, at, Reader::cve),
                "scanner_severity" => item.scanner_severity = r.text(value, at),
                "services" => item.services = r.list(value, at, Reader::text),
                "documents" => item.documents = r.list(value, at, Reader::document),
                "comments" => item.comments = r.text(value, at),
                "closed" => item.closed = r.closed(value, at, key_span),
                "vdr" => item.vdr = r.vdr(value, at, key_span).map(Box::new),
                "rmf" => item.rmf = r.rmf(value, at, key_span).map(Box::new),
                _ => {}
            }
        }
        item.problems = reader.problems;
        item.empty = reader.empty;
        item
    }
}

pub(in crate::model) struct Reader<'a> {
    pub(in crate::model) source: &'a str,
    /// False when no value of the file can hold a control character (see
    /// [`may_hold_escaped_control`]): the per-value checks are skipped.
    pub(in crate::model) values_may_hold_control: bool,
    pub(in crate::model) problems: Vec<Problem>,
    /// See [`Item::empty`].
    pub(in crate::model) empty: Vec<(String, Span)>,
}

pub(in crate::model) type Fields<'n> = Vec<(&'static str, &'n Node, Span)>;

impl Reader<'_> {
    pub(in crate::model) fn invalid(
        &mut self,
        path: &FieldPath<'_>,
        span: Span,
        message: String,
        help: impl Into<String>,
    ) {
        self.problems.push(Problem::InvalidValue {
            path: path.to_string(),
            span,
            message,
            help: help.into(),
            suggestion: None,
        });
    }

    /// The known entries of a mapping; unknown keys become problems. `None` when the node
    /// is not a mapping (reported) or is empty.
    pub(in crate::model) fn mapping<'n>(
        &mut self,
        node: &'n Node,
        path: &FieldPath<'_>,
        known: &'static [&'static str],
    ) -> Option<Fields<'n>> {
        let Some(entries) = node.as_map() else {
            if !node.is_empty() {
                let what = if path.is_root() {
                    "an item".to_owned()
                } else {
                    format!("`{path}`")
                };
                self.invalid(
                    path,
                    node.span,
                    format!("expected {what} to be a mapping, found {}", node.kind()),
                    "write `key: value` pairs, one per line",
                );
            }
            return None;
        };
        let mut fields = Vec::with_capacity(entries.len());
        for entry in entries {
            match known.iter().find(|k| **k == entry.key) {
                Some(key) => {
                    let blank = match &entry.value.value {
                        Value::Null => true,
                        Value::Str(s) => is_blank(s),
                        _ => false,
                    };
                    if blank {
                        let span = if entry.value.span.is_empty() {
                            entry.key_span
                        } else {
                            entry.value.span
                        };
                        self.empty.push((path.key(key).to_string(), span));
                    }
                    fields.push((*key, &entry.value, entry.key_span))
                }
                None => self.problems.push(Problem::UnknownKey {
                    path: path.key(&entry.key).to_string(),
                    key: entry.key.clone(),
                    span: entry.key_span,
                    suggestion: suggest(&entry.key, known),
                }),
            }
        }
        Some(fields)
    }

    /// Any scalar as the text it was written with; `None` for null and blank strings.
    pub(in crate::model) fn text(
        &mut self,
        node: &Node,
        path: &FieldPath<'_>,
    ) -> Option<Sp<String>> {
        match &node.value {
            Value::Null => None,
            Value::Str(s) if is_blank(s) => None,
            Value::Str(s) => {
                self.control_character(s, node.span, path, |c| c == '\n' || c == '\t');
                Some(Sp::new(s.clone(), node.span))
            }
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let written = self
                    .source
                    .get(node.span.start..node.span.end)
                    .unwrap_or("");
                Some(Sp::new(written.trim().to_owned(), node.span))
            }
            Value::Seq(_) | Value::Map(_) => {
                self.invalid(
                    path,
                    node.span,
                    format!("`{path}` must be text, found {}", node.kind()),
                    "write the value as a plain or quoted string",
                );
                None
            }
        }
    }

    /// Notes the first control character of `text` that `allowed` does not let through.
    fn control_character(
        &mut self,
        text: &str,
        span: Span,
        path: &FieldPath<'_>,
        allowed: fn(char) -> bool,
    ) {
        if !self.values_may_hold_control || !may_hold_control(text) {
            return;
        }
        if let Some(character) = text.chars().find(|c| c.is_control() && !allowed(*c)) {
            self.problems.push(Problem::ControlCharacter {
                path: path.to_string(),
                span,
                character,
            });
        }
    }

    fn single_line(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let text = self.text(node, path)?;
        // `text` let a tab through, as text that may run over lines; not on one line.
        if self.values_may_hold_control
            && may_hold_control(&text.value)
            && !text
                .value
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            self.control_character(&text.value, node.span, path, |c| c == '\n');
        }
        if text.value.trim_end().contains('\n') {
            self.invalid(
                path,
                node.span,
                format!("`{path}` must be a single line"),
                "put details in `description`",
            );
            return None;
        }
        Some(text.map(|t| t.trim_end().to_owned()))
    }

    fn item_id(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let id = self.text(node, path)?;
        if !is_valid_item_id(&id.value) {
            self.invalid(
                path,
                node.span,
                format!("item id `{}` is not valid", id.value),
                "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` (e.g. `V-123`)",
            );
            return None;
        }
        Some(id)
    }

    pub(in crate::model) fn date(
        &mut self,
        node: &Node,
        path: &FieldPath<'_>,
    ) -> Option<Sp<NaiveDate>> {
        let text = self.text(node, path)?;
        match parse_date(&text.value) {
            Some(date) => Some(Sp::new(date, node.span)),
            None => {
                let shaped_like_a_date = text.value.len() == 10
                    && text.value.bytes().enumerate().all(|(i, b)| {
                        if i == 4 || i == 7 {
                            b == b'-'
                        } else {
                            b.is_ascii_digit()
                        }
                    });
                let message = if shaped_like_a_date {
                    format!(
                        "`{path}` is `{}`, a date that does not exist (no such day in that month)",
                        text.value
                    )
                } else {
                    format!("`{path}` must be a date YYYY-MM-DD, found `{}`", text.value)
                };
                self.invalid(
                    path,
                    node.span,
                    message,
                    "write dates as YYYY-MM-DD, e.g. 2026-01-31",
                );
                None
            }
        }
    }

    pub(in crate::model) fn enumerated<T>(
        &mut self,
        node: &Node,
        path: &FieldPath<'_>,
        names: &[&'static str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let text = self.text(node, path)?;
        // `Open`, `HIGH` and `high` are the same word in every enumerated field (lower case,
        // the common spelling, needs no copy).
        let word = text.value.trim();
        let parsed = parse(word).or_else(|| {
            word.bytes()
                .any(|b| b.is_ascii_uppercase())
                .then(|| parse(&word.to_ascii_lowercase()))
                .flatten()
        });
        match parsed {
            Some(value) => {
                if word.bytes().any(|b| b.is_ascii_uppercase()) {
                    self.problems.push(Problem::WordCase {
                        path: path.to_string(),
                        span: node.span,
                        word: word.to_ascii_lowercase(),
                    });
                }
                Some(Sp::new(value, node.span))
            }
            None => {
                let allowed = names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let synonym = synonym(&text.value, names);
                let suggestion = synonym
                    .is_none()
                    .then(|| suggest(&text.value.to_ascii_lowercase(), names))
                    .flatten();
                let hint = synonym
                    .or_else(|| suggestion.map(|s| format!("did you mean `{s}`? ")))
                    .unwrap_or_default();
                self.invalid(
                    path,
                    node.span,
                    format!("`{path}` must be one of {allowed}, found `{}`", text.value),
                    format!("{hint}allowed values: {allowed}"),
                );
                if let (
                    Some(Problem::InvalidValue {
                        suggestion: slot, ..
                    }),
                    Some(word),
                ) = (self.problems.last_mut(), suggestion)
                {
                    *slot = Some(word.to_owned());
                }
                None
            }
        }
    }

    fn risk(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<Risk>> {
        self.enumerated(node, path, Risk::NAMES, Risk::parse)
    }

    fn status(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<Status>> {
        self.enumerated(node, path, &["open", "closed"], |t| match t {
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            _ => None,
        })
    }

    fn deviation_status(
        &mut self,
        node: &Node,
        path: &FieldPath<'_>,
    ) -> Option<Sp<DeviationStatus>> {
        self.enumerated(
            node,
            path,
            &["pending", "approved", "rejected", "withdrawn"],
            |t| match t {
                "pending" => Some(DeviationStatus::Pending),
                "approved" => Some(DeviationStatus::Approved),
                "rejected" => Some(DeviationStatus::Rejected),
                "withdrawn" => Some(DeviationStatus::Withdrawn),
                _ => None,
            },
        )
    }

    pub(in crate::model) fn bool(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<bool>> {
        match node.value {
            Value::Null => None,
            Value::Bool(b) => Some(Sp::new(b, node.span)),
            _ => {
                self.invalid(
                    path,
                    node.span,
                    format!("`{path}` must be `true` or `false`, found {}", node.kind()),
                    "write `true` or `false`",
                );
                None
            }
        }
    }

    fn positive_int(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<u32>> {
        match node.value {
            Value::Null => None,
            Value::Int(i) if i >= 1 && i <= i128::from(u32::MAX) => {
                u32::try_from(i).ok().map(|n| Sp::new(n, node.span))
            }
            _ => {
                let found = match &node.value {
                    Value::Int(i) => format!("`{i}`"),
                    _ => node.kind().to_owned(),
                };
                self.invalid(
                    path,
                    node.span,
                    format!("`{path}` must be a positive integer, found {found}"),
                    "number milestones 1, 2, 3, …",
                );
                None
            }
        }
    }

    fn control(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let text = self.text(node, path)?;
        match normalize_control(&text.value) {
            Some(control) => Some(Sp::new(control, node.span)),
            None => {
                self.invalid(
                    path,
                    node.span,
                    format!("`{}` is not a NIST SP 800-53 control id", text.value),
                    "write control ids like `AC-2`, `SI-2` or `AC-2(1)`",
                );
                None
            }
        }
    }

    fn cve(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let text = self.text(node, path)?;
        let upper = text.value.trim().to_ascii_uppercase();
        if is_valid_cve(&upper) {
            Some(Sp::new(upper, node.span))
        } else {
            self.invalid(
                path,
                node.span,
                format!("`{}` is not a CVE id", text.value),
                "write CVE ids like `CVE-2021-44228`",
            );
            None
        }
    }

    pub(in crate::model) fn list<T>(
        &mut self,
        node: &Node,
        path: &FieldPath<'_>,
        read: impl Fn(&mut Self, &Node, &FieldPath<'_>) -> Option<T>,
    ) -> Option<Sp<Vec<T>>> {
        match &node.value {
            Value::Null => None,
            Value::Seq(items) => {
                let values = items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| read(self, n, &path.index(i)))
                    .collect::<Vec<_>>();
                if values.is_empty() && !items.is_empty() {
                    // Every element was invalid: the list is present but unusable.
                    return None;
                }
                Some(Sp::new(values, node.span))
            }
            _ => {
                self.invalid(
                    path,
                    node.span,
                    format!("`{path}` must be a list, found {}", node.kind()),
                    "write one `- entry` per line",
                );
                None
            }
        }
    }

    fn milestone(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Milestone> {
        let fields = self.mapping(node, path, MILESTONE_KEYS)?;
        let mut milestone = Milestone {
            span: node.span,
            ..Milestone::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "id" => milestone.id = self.positive_int(value, &path),
                "date" => milestone.date = self.date(value, &path),
                "description" => milestone.description = self.text(value, &path),
                "status" => {
                    milestone.status = self.enumerated(
                        value,
                        &path,
                        crate::model::rmf::MilestoneStatus::NAMES,
                        crate::model::rmf::MilestoneStatus::parse,
                    )
                }
                _ => {}
            }
        }
        Some(milestone)
    }

    fn milestone_change(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<MilestoneChange> {
        let fields = self.mapping(node, path, MILESTONE_CHANGE_KEYS)?;
        let mut change = MilestoneChange {
            span: node.span,
            ..MilestoneChange::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "milestone" => change.milestone = self.positive_int(value, &path),
                "kind" => {
                    change.kind =
                        self.enumerated(value, &path, &["new", "update", "complete"], |t| match t {
                            "new" => Some(ChangeKind::New),
                            "update" => Some(ChangeKind::Update),
                            "complete" => Some(ChangeKind::Complete),
                            _ => None,
                        })
                }
                "date" => change.date = self.date(value, &path),
                "description" => change.description = self.text(value, &path),
                _ => {}
            }
        }
        Some(change)
    }

    fn vendor_dependency(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<VendorDependency> {
        let fields = self.mapping(node, path, VENDOR_KEYS)?;
        let mut vendor = VendorDependency {
            span: node.span,
            ..VendorDependency::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "product" => vendor.product = self.text(value, &path),
                "last_checkin" => vendor.last_checkin = self.date(value, &path),
                "fix_released" => vendor.fix_released = self.date(value, &path),
                _ => {}
            }
        }
        Some(vendor)
    }

    fn deviations(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Deviations> {
        let fields = self.mapping(node, path, DEVIATIONS_KEYS)?;
        let mut deviations = Deviations {
            span: node.span,
            ..Deviations::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "risk_adjustment" => {
                    deviations.risk_adjustment = self.risk_adjustment(value, &path)
                }
                "false_positive" => deviations.false_positive = self.deviation(value, &path),
                "operational_requirement" => {
                    deviations.operational_requirement = self.deviation(value, &path)
                }
                _ => {}
            }
        }
        Some(deviations)
    }

    fn risk_adjustment(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<RiskAdjustment> {
        let fields = self.mapping(node, path, RISK_ADJUSTMENT_KEYS)?;
        let mut adjustment = RiskAdjustment {
            span: node.span,
            ..RiskAdjustment::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "status" => adjustment.status = self.deviation_status(value, &path),
                "adjusted_risk" => adjustment.adjusted_risk = self.risk(value, &path),
                "rationale" => adjustment.rationale = self.text(value, &path),
                "auto_approved" => adjustment.auto_approved = self.bool(value, &path),
                _ => {}
            }
        }
        Some(adjustment)
    }

    fn deviation(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Deviation> {
        let fields = self.mapping(node, path, DEVIATION_KEYS)?;
        let mut deviation = Deviation {
            span: node.span,
            ..Deviation::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "status" => deviation.status = self.deviation_status(value, &path),
                "rationale" => deviation.rationale = self.text(value, &path),
                _ => {}
            }
        }
        Some(deviation)
    }

    fn document(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Document> {
        let fields = self.mapping(node, path, DOCUMENT_KEYS)?;
        let mut document = Document {
            span: node.span,
            ..Document::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "type" => document.kind = self.text(value, &path),
                "name" => document.name = self.text(value, &path),
                "path" => document.path = self.evidence_path(value, &path),
                "url" => document.url = self.url(value, &path),
                "sha256" => document.sha256 = self.sha256(value, &path),
                "added" => document.added = self.date(value, &path),
                "note" => document.note = self.text(value, &path),
                _ => {}
            }
        }
        Some(document)
    }

    /// A document's `path`: relative, `/`-separated, no `..` step, so it cannot point out of
    /// the repository.
    fn evidence_path(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let text = self.text(node, path)?;
        if is_valid_evidence_path(&text.value) {
            Some(text)
        } else {
            self.invalid(
                path,
                node.span,
                format!("`{}` is not a relative path inside the repository", text.value),
                "write the path relative to the folder of poam.yaml with `/` and no `..`, e.g. `evidence/V-1/rescan.pdf`",
            );
            None
        }
    }

    fn url(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let text = self.text(node, path)?;
        let value = text.value.trim();
        if (value.starts_with("https://") || value.starts_with("http://"))
            && !value.contains(char::is_whitespace)
        {
            Some(text)
        } else {
            self.invalid(
                path,
                node.span,
                format!("`{}` is not an http or https address", text.value),
                "write the full address of the document, e.g. `https://evidence.example.com/V-1/scan.zip`",
            );
            None
        }
    }

    fn sha256(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<String>> {
        let text = self.text(node, path)?;
        let value = text.value.trim();
        if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some(Sp::new(value.to_ascii_lowercase(), text.span))
        } else {
            self.invalid(
                path,
                node.span,
                format!("`{}` is not a SHA-256 (64 hex digits)", text.value),
                "let `poam evidence add` record it, or write the output of `sha256sum FILE`",
            );
            None
        }
    }

    fn closed(&mut self, node: &Node, path: &FieldPath<'_>, key_span: Span) -> Option<Closed> {
        let mut closed = Closed {
            span: if node.span.is_empty() {
                key_span
            } else {
                node.span
            },
            key_span,
            ..Closed::default()
        };
        // An empty `closed:` is still present: `closed-inconsistent` and `missing-field` need it.
        let Some(fields) = self.mapping(node, path, CLOSED_KEYS) else {
            return node.is_empty().then_some(closed);
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "date" => closed.date = self.date(value, &path),
                "evidence" => closed.evidence = self.text(value, &path),
                _ => {}
            }
        }
        Some(closed)
    }
}

/// True for a relative, `/`-separated path with no empty, `.` or `..` step and no backslash:
/// a document's `path`, which must stay inside the repository.
pub fn is_valid_evidence_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|step| !step.is_empty() && step != "." && step != "..")
}

/// Where a value sits in an item (`milestones[0].date`), rendered only when a problem needs it.
#[derive(Clone, Copy, Debug)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> FieldPath<'a> {
    pub const ROOT: FieldPath<'static> = FieldPath {
        parent: None,
        step: Step::Root,
    };

    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    pub fn is_root(&self) -> bool {
        matches!(self.step, Step::Root)
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            parent.fmt(f)?;
        }
        match self.step {
            Step::Root => Ok(()),
            Step::Key(key) if self.parent.is_some_and(|p| !p.is_root()) => write!(f, ".{key}"),
            Step::Key(key) => f.write_str(key),
            Step::Index(index) => write!(f, "[{index}]"),
        }
    }
}

pub use crate::model::date::parse_date;

pub fn is_valid_item_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `ac-2(1)`, `AC-02(01)` → `AC-2(1)`; `None` when it is not a control id.
pub fn normalize_control(text: &str) -> Option<String> {
    crate::catalog::canonical_control(text)
}

pub fn is_valid_cve(text: &str) -> bool {
    let mut parts = text.split('-');
    parts.next() == Some("CVE")
        && parts
            .next()
            .is_some_and(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|n| n.len() >= 4 && n.chars().all(|c| c.is_ascii_digit()))
        && parts.next().is_none()
}

/// Whether `text` may hold a control character other than a line break: C0 and DEL are the
/// bytes below 0x20 and 0x7F, and C1 characters start with the byte 0xC2. Nearly no value
/// has one, and this byte scan spares decoding every character of every value (a fifth of a
/// lint's instructions otherwise, measured on the 10,000-item set).
fn may_hold_control(text: &str) -> bool {
    crate::bytes::any_byte(text.as_bytes(), |b| {
        ((b < 0x20) & (b != b'\n')) | (b == 0x7f) | (b == 0xc2)
    })
}

/// Whether a value read from `source` may hold a control character: false when the file is
/// printable ASCII and line breaks without a backslash, since only raw bytes or a
/// double-quoted escape (`"\t"`) make one. One pass over the file instead of one per value:
/// 58 M of the 1,085 M instructions of a lint of the 10,000-item set went to the per-value
/// scans (callgrind, 2026-12-06), most of the gap to the build before the profile interface.
fn may_hold_escaped_control(source: &str) -> bool {
    crate::bytes::any_byte(source.as_bytes(), |b| {
        ((b != b'\n') & !(b' '..=b'~').contains(&b)) | (b == b'\\')
    })
}

/// Whether `text` holds nothing but whitespace: what `trim().is_empty()` says, without trimming
/// both ends of every value (the 10,000-item lint read 292,000 values through `trim`: 15 M of its
/// 1,050 M instructions, callgrind, 2026-12-07).
fn is_blank(text: &str) -> bool {
    text.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_are_normalized() {
        assert_eq!(normalize_control("ac-2(1)").as_deref(), Some("AC-2(1)"));
        assert_eq!(normalize_control("SI-2").as_deref(), Some("SI-2"));
        for bad in [
            "AC2", "A-2", "AC-", "AC-2(", "AC-2()", "AC-2(1", "ACC-2", "AC-1234",
        ] {
            assert_eq!(normalize_control(bad), None, "{bad}");
        }
    }

    #[test]
    fn cve_and_ids() {
        assert!(is_valid_cve("CVE-2021-44228"));
        assert!(!is_valid_cve("CVE-21-44228"));
        assert!(!is_valid_cve("CVE-2021-442"));
        assert!(is_valid_item_id("V-1.a_b"));
        assert!(!is_valid_item_id("-V1"));
        assert!(!is_valid_item_id("V 1"));
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2026-01-31").is_some());
        assert!(parse_date("2026-1-31").is_none());
        assert!(parse_date("2026-02-30").is_none());
    }
}
