//! Reading the `rmf:` block into [`Rmf`], leniently like the rest of the item (kept apart
//! from the types so that `item` and `rmf` do not import each other).

use super::item::{FieldPath, Reader};
use super::node::Node;
use super::rmf::{
    Costs, Iava, Level, RawSeverity, RiskAccepted, Rmf, COSTS_KEYS, IAVA_KEYS, RISK_ACCEPTED_KEYS,
    RMF_KEYS,
};
use super::span::{Sp, Span};

impl Reader<'_> {
    pub(super) fn rmf(&mut self, node: &Node, path: &FieldPath<'_>, key_span: Span) -> Option<Rmf> {
        let mut rmf = Rmf {
            span: if node.span.is_empty() {
                key_span
            } else {
                node.span
            },
            key_span,
            ..Rmf::default()
        };
        let Some(fields) = self.mapping(node, path, RMF_KEYS) else {
            return node.is_empty().then_some(rmf);
        };
        for (key, value, key_span) in fields {
            let path = path.key(key);
            let at = &path;
            match key {
                "raw_severity" => {
                    rmf.raw_severity =
                        self.enumerated(value, at, RawSeverity::NAMES, RawSeverity::parse)
                }
                "severity" => rmf.severity = self.level(value, at),
                "relevance_of_threat" => rmf.relevance_of_threat = self.level(value, at),
                "likelihood" => rmf.likelihood = self.level(value, at),
                "impact" => rmf.impact = self.level(value, at),
                "impact_description" => rmf.impact_description = self.text(value, at),
                "residual_risk" => rmf.residual_risk = self.level(value, at),
                "mitigations" => rmf.mitigations = self.text(value, at),
                "predisposing_conditions" => rmf.predisposing_conditions = self.text(value, at),
                "threat_description" => rmf.threat_description = self.text(value, at),
                "recommendations" => rmf.recommendations = self.text(value, at),
                "resulting_residual_risk" => rmf.resulting_residual_risk = self.level(value, at),
                "security_checks" => rmf.security_checks = self.list(value, at, Reader::text),
                "identification_source" => rmf.identification_source = self.text(value, at),
                "office_org" => rmf.office_org = self.text(value, at),
                "iava" => rmf.iava = self.iava(value, at),
                "risk_accepted" => rmf.risk_accepted = self.risk_accepted(value, at, key_span),
                "approved" => rmf.approved = self.date(value, at),
                "costs" => rmf.costs = self.costs(value, at),
                _ => {}
            }
        }
        Some(rmf)
    }

    pub(super) fn level(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Sp<Level>> {
        self.enumerated(node, path, Level::NAMES, Level::parse)
    }

    fn iava(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Iava> {
        let fields = self.mapping(node, path, IAVA_KEYS)?;
        let mut iava = Iava {
            span: node.span,
            ..Iava::default()
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "id" => iava.id = self.text(value, &path),
                "comply_by" => iava.comply_by = self.date(value, &path),
                _ => {}
            }
        }
        Some(iava)
    }

    fn risk_accepted(
        &mut self,
        node: &Node,
        path: &FieldPath<'_>,
        key_span: Span,
    ) -> Option<RiskAccepted> {
        let mut accepted = RiskAccepted {
            span: if node.span.is_empty() {
                key_span
            } else {
                node.span
            },
            key_span,
            ..RiskAccepted::default()
        };
        let Some(fields) = self.mapping(node, path, RISK_ACCEPTED_KEYS) else {
            return node.is_empty().then_some(accepted);
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            match key {
                "date" => accepted.date = self.date(value, &path),
                "expires" => accepted.expires = self.date(value, &path),
                _ => {}
            }
        }
        Some(accepted)
    }

    fn costs(&mut self, node: &Node, path: &FieldPath<'_>) -> Option<Costs> {
        let fields = self.mapping(node, path, COSTS_KEYS)?;
        let mut costs = Costs {
            span: node.span,
            fields: Vec::new(),
        };
        for (key, value, _) in fields {
            let path = path.key(key);
            if let Some(text) = self.text(value, &path) {
                costs.fields.push((key, text));
            }
        }
        Some(costs)
    }
}
