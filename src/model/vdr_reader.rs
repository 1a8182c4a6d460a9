//! Reading the `vdr:` block into [`Vdr`], leniently like the rest of the item (kept apart
//! from the types so that `item` and `vdr` do not import each other).

use super::item::{FieldPath, Reader};
use super::node::{Node, Value};
use super::span::{Sp, Span};
use super::vdr::{Accepted, Disposition, Moment, NextReduction, Reduction, Vdr, VDR_KEYS};

const REDUCTION_KEYS: &[&str] = &["at", "pain", "irv", "lev", "note"];
const NEXT_REDUCTION_KEYS: &[&str] = &["at", "pain"];
const ACCEPTED_KEYS: &[&str] = &["date", "rationale"];

impl Reader<'_> {
    pub(super) fn vdr(&mut self, node: &Node, path: &FieldPath<'_>, key_span: Span) -> Option<Vdr> {
        let mut vdr = Vdr {
            span: if node.span.is_empty() {
                key_span
            } else {
                node.span
            },
            key_span,
            ..Vdr::default()
        };
        let Some(fields) = self.mapping(node, path, VDR_KEYS) else {
            // An empty `vdr:` is a stub still to be filled in: present, with nothing evaluated.
            return node.is_empty().then_some(vdr);
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            let at = &path;
            match key {
                "detected_at" => vdr.detected_at = self.moment(value, at),
                "evaluated" => vdr.evaluated = self.moment(value, at),
                "irv" => vdr.irv = self.bool(value, at),
                "lev" => vdr.lev = self.bool(value, at),
                "pain" => vdr.pain = self.integer(value, at),
                "rationale" => vdr.rationale = self.text(value, at),
                "reductions" => vdr.reductions = self.list(value, at, Reader::reduction),
                "next_reduction" => vdr.next_reduction = self.next_reduction(value, at),
                "overdue" => vdr.overdue = self.text(value, at),
                "supplementary" => vdr.supplementary = self.text(value, at),
                "accepted" => vdr.accepted = self.accepted(value, at),
                "disposition" => {
                    vdr.disposition =
                        self.enumerated(value, at, Disposition::NAMES, Disposition::parse)
                }
                _ => {}
            }
        }
        Some(vdr)
    }

    fn moment(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<Moment>> {
        // The usual case, a string that parses, needs no copy of it.
        if let Value::Str(text) = &node.value {
            if let Some(moment) = Moment::parse(text) {
                return Some(Sp::new(moment, node.span));
            }
        }
        let text = self.text(node, path)?;
        match Moment::parse(&text.value) {
            Some(moment) => Some(Sp::new(moment, node.span)),
            None => {
                self.invalid(
                    path,
                    node.span,
                    format!(
                        "`{path}` must be a date YYYY-MM-DD or an RFC 3339 date-time, found `{}`",
                        text.value
                    ),
                    "write e.g. 2026-11-12 (00:00 UTC) or 2026-11-12T09:00:00Z",
                );
                None
            }
        }
    }

    fn integer(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<i64>> {
        match node.value {
            Value::Null => None,
            Value::Int(i) => match i64::try_from(i) {
                Ok(n) => Some(Sp::new(n, node.span)),
                Err(_) => {
                    self.invalid(
                        path,
                        node.span,
                        format!("`{path}` is out of range: `{i}`"),
                        "PAIN ratings are 1 to 5",
                    );
                    None
                }
            },
            _ => {
                self.invalid(
                    path,
                    node.span,
                    format!("`{path}` must be a whole number, found {}", node.kind()),
                    "PAIN ratings are 1 to 5, written as a plain number",
                );
                None
            }
        }
    }

    fn reduction(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Reduction> {
        let fields = self.mapping(node, path, REDUCTION_KEYS)?;
        let mut reduction = Reduction {
            span: node.span,
            ..Reduction::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "at" => reduction.at = self.moment(value, &path),
                "pain" => reduction.pain = self.integer(value, &path),
                "irv" => reduction.irv = self.bool(value, &path),
                "lev" => reduction.lev = self.bool(value, &path),
                "note" => reduction.note = self.text(value, &path),
                _ => {}
            }
        }
        Some(reduction)
    }

    fn next_reduction(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<NextReduction> {
        let fields = self.mapping(node, path, NEXT_REDUCTION_KEYS)?;
        let mut next = NextReduction {
            span: node.span,
            ..NextReduction::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "at" => next.at = self.moment(value, &path),
                "pain" => next.pain = self.integer(value, &path),
                _ => {}
            }
        }
        Some(next)
    }

    fn accepted(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Accepted> {
        let fields = self.mapping(node, path, ACCEPTED_KEYS)?;
        let mut accepted = Accepted {
            span: node.span,
            ..Accepted::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "date" => accepted.date = self.moment(value, &path),
                "rationale" => accepted.rationale = self.text(value, &path),
                _ => {}
            }
        }
        Some(accepted)
    }
}
