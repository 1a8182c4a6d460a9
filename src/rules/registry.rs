//! What a rule declares about itself, and the table the registry collects.
//!
//! Each rule file declares `pub(crate) const RULE: Rule` (code, default severity, check, sets);
//! the registry's `mod` lines in `rules/mod.rs` declare the rule modules, and build.rs reads
//! them and the declarations to generate the table of the `RULE`s ([`RULES`](super::RULES), in
//! code order) and the `Code` enum with each code's severity, kind and sets (`code.rs`), for
//! the modules below the rules; a test here checks both readings agree.

use crate::code::{Code, RuleKind, RuleSet, Severity};
use crate::diag::Diagnostic;

use super::history::{DecisionRule, HistoryRule};
use super::item_context::ItemContext;

/// An item rule: findings about one item.
pub(crate) type ItemRule = fn(&ItemContext, &mut Vec<Diagnostic>);

/// One rule, as its file declares it.
pub(crate) struct Rule {
    pub code: Code,
    /// Read through `Code::default_severity`, which build.rs generates from this line (every
    /// module, not only the rules, needs it); the test below checks both agree.
    #[cfg_attr(not(test), allow(dead_code))]
    pub severity: Severity,
    pub check: Check,
    /// Read through `Code::rule_sets`, generated the same way.
    #[cfg_attr(not(test), allow(dead_code))]
    pub sets: &'static [RuleSet],
}

/// How the rule is run: item and history rules by the engines, from the table; the others by
/// their entry point in `rules/mod.rs`, which calls the file by name.
pub(crate) enum Check {
    Item(ItemRule),
    History(HistoryRule),
    Decision(DecisionRule),
    Files,
    Config,
    Repository,
}

impl Check {
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn kind(&self) -> RuleKind {
        match self {
            Check::Item(_) => RuleKind::Item,
            Check::History(_) => RuleKind::History,
            Check::Decision(_) => RuleKind::Decision,
            Check::Files => RuleKind::Files,
            Check::Config => RuleKind::Config,
            Check::Repository => RuleKind::Repository,
        }
    }
}

/// The item rules, in code order.
pub(crate) fn item_rules() -> impl Iterator<Item = (Code, ItemRule)> {
    super::RULES.iter().filter_map(|rule| match rule.check {
        Check::Item(check) => Some((rule.code, check)),
        _ => None,
    })
}

/// The decision rules, in code order.
pub(crate) fn decision_rules() -> impl Iterator<Item = (Code, DecisionRule)> {
    super::RULES.iter().filter_map(|rule| match rule.check {
        Check::Decision(check) => Some((rule.code, check)),
        _ => None,
    })
}

/// The history rules, in code order.
pub(crate) fn history_rules() -> impl Iterator<Item = (Code, HistoryRule)> {
    super::RULES.iter().filter_map(|rule| match rule.check {
        Check::History(check) => Some((rule.code, check)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use crate::code::Code;
    use crate::rules::{RULES, RULE_FILES};

    #[test]
    fn every_rule_is_registered_once_in_code_order_as_named_by_its_file() {
        let codes: Vec<Code> = Code::iter().collect();
        let declared: Vec<Code> = RULES.iter().map(|rule| rule.code).collect();
        assert_eq!(
            declared, codes,
            "the registry lists the codes in their order"
        );
        for (rule, file) in RULES.iter().zip(RULE_FILES) {
            assert_eq!(
                rule.code.as_str(),
                file.replace('_', "-"),
                "src/rules/{file}.rs declares `{:?}`: a rule's code is its file name",
                rule.code
            );
        }
    }

    #[test]
    fn the_generated_codes_say_what_the_rule_files_declare() {
        for rule in RULES {
            let code = rule.code;
            assert_eq!(code.default_severity(), rule.severity, "{code:?}");
            assert_eq!(code.kind(), rule.check.kind(), "{code:?}");
            assert_eq!(code.rule_sets(), rule.sets, "{code:?}");
        }
    }
}
