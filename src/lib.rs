//! poam: POA&M items as YAML files in a Git repo, linted against FedRAMP's rules.
pub mod model;
pub mod parse;
