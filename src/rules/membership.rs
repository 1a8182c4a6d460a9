//! Which rules a profile checks, and which findings `rules:` in `poam.yaml` keeps.

use strum::IntoEnumIterator;

use crate::code::Code;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::policy::Profile;

/// True when `code` is checked under `profile`: the profile includes one of the rule's sets.
pub fn applies(code: Code, profile: Profile) -> bool {
    code.in_sets(profile.rule_sets())
}

/// The rules of `profile`, in code order.
pub fn rules_of(profile: Profile) -> Vec<Code> {
    Code::iter()
        .filter(|code| applies(*code, profile))
        .collect()
}

/// Whether findings of `code` are reported: the rule belongs to the configured profile and
/// `rules:` does not turn it off.
pub fn enabled(config: &Config, code: Code) -> bool {
    applies(code, config.policy.profile) && config.level_of(code, code.default_severity()).is_some()
}

/// Applies the profile and `rules:` from the config: drops findings of rules outside the
/// profile or turned off, and overrides severities.
pub fn apply_levels(config: &Config, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let profile = config.policy.profile;
    diagnostics
        .into_iter()
        .filter(|d| applies(d.code, profile))
        .filter_map(|mut d| {
            d.severity = config.level_of(d.code, d.severity)?;
            Some(d)
        })
        .collect()
}
