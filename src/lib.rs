//! poam: POA&M items as YAML files in a Git repo, linted against FedRAMP's rules.
//!
//! Data flows one way: files → [`parse`] → [`model`] → [`rules`] and [`policy`] →
//! [`diag::Diagnostic`] → [`render`].

pub(crate) mod authority;
pub(crate) mod bytes;
pub(crate) mod catalog;
pub mod cli;
pub mod code;
pub(crate) mod codeowners;
pub mod commands;
pub(crate) mod baseline;
pub mod config;
pub mod diag;
pub mod edit;
pub(crate) mod emass_template;
pub mod error;
pub(crate) mod evidence;
pub mod export;
pub mod fedramp_template;
pub(crate) mod fix;
pub mod history;
pub(crate) mod ids;
pub mod import;
pub mod init;
pub(crate) mod inventory;
pub(crate) mod kev;
pub mod lifecycle;
pub mod lint;
pub(crate) mod lsp;
pub(crate) mod migrate;

pub mod model;
pub(crate) mod output;
pub mod parse;
pub(crate) mod paths;
pub(crate) mod people;
pub mod policy;
pub mod profiles;
pub mod rename;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub(crate) mod signing;
pub mod source;
pub mod view;
pub mod workspace;
