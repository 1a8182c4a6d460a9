//! poam: POA&M items as YAML files in a Git repo, linted against FedRAMP's rules.
//!
//! Data flows one way: files → [`parse`] → [`model`] → [`rules`] and [`policy`] →
//! [`diag::Diagnostic`] → [`render`].

pub mod bytes;
pub mod catalog;
pub mod cli;
pub mod code;
pub mod commands;
pub mod config;
pub mod diag;
pub mod edit;
pub mod error;
pub mod export;
pub mod history;
pub mod ids;
pub mod import;
pub mod init;
pub mod kev;
pub mod lifecycle;
pub mod lint;
pub mod migrate;

pub mod model;
pub mod output;
pub mod parse;
pub mod paths;
pub mod people;
pub mod policy;
pub mod profiles;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod source;
pub mod view;
pub mod workspace;
