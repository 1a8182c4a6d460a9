//! `approvals:` in `poam.yaml`: which roles of the people file may make each decision an item
//! records, and what proves who made it (`decision-unauthorized`, `poam codeowners`).
//!
//! ```yaml
//! approvals:
//!   close: [isso, system-owner]       # who may set `status: closed`
//!   deviation-decision: [isso]        # approved/rejected on any deviation
//!   accept: [authorizing-official]    # CR26 `vdr.accepted`
//!   due-change: [isso]                # a move of `due`
//!   reopen: [isso]                    # `closed` back to another status
//!   cat-i: [cat-i-approver]           # dod-rmf: closing or risk-accepting a CAT I item
//!   signatures: required              # required | author (default) | off
//!   openpgp_keys: keys/openpgp        # public keys of the OpenPGP fingerprints listed
//! ```

use std::path::PathBuf;

use crate::error::ConfigProblem;
use crate::model::item::suggest;
use crate::model::{Node, Span, Value};

/// A decision an item records, which `approvals:` may reserve to roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    /// `status` becomes `closed`.
    Close,
    /// A deviation's `status` becomes `approved` or `rejected`.
    DeviationDecision,
    /// CR26: `vdr.accepted` is recorded.
    Accept,
    /// `due` moves.
    DueChange,
    /// `status` goes from `closed` to another status.
    Reopen,
    /// A CAT I item is closed or its risk accepted, under a profile with CAT I items
    /// (`crate::policy::profile_decisions`): a decision of its own, beside `close` or
    /// `accept`.
    CatI,
}

impl Decision {
    pub const ALL: [Decision; 6] = [
        Decision::Close,
        Decision::DeviationDecision,
        Decision::Accept,
        Decision::DueChange,
        Decision::Reopen,
        Decision::CatI,
    ];
    pub const NAMES: &'static [&'static str] = &[
        "close",
        "deviation-decision",
        "accept",
        "due-change",
        "reopen",
        "cat-i",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Close => "close",
            Decision::DeviationDecision => "deviation-decision",
            Decision::Accept => "accept",
            Decision::DueChange => "due-change",
            Decision::Reopen => "reopen",
            Decision::CatI => "cat-i",
        }
    }

    pub fn from_name(name: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == name)
    }
}

/// `approvals.signatures`: who is taken to have made a decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Signatures {
    /// The commit's signer, proven by a valid signature made with a key the people file lists
    /// for that person.
    Required,
    /// The commit's author, by email (no proof: anyone can write any author).
    #[default]
    Author,
    /// Nobody is checked: the roles serve `poam codeowners` only.
    Off,
}

impl Signatures {
    pub const NAMES: &'static [&'static str] = &["required", "author", "off"];

    pub fn from_name(name: &str) -> Option<Signatures> {
        match name {
            "required" => Some(Signatures::Required),
            "author" => Some(Signatures::Author),
            "off" => Some(Signatures::Off),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Signatures::Required => "required",
            Signatures::Author => "author",
            Signatures::Off => "off",
        }
    }
}

/// `approvals:` as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApprovalSettings {
    /// The roles that may make each decision, in the order written; a decision not listed is
    /// anybody's.
    pub roles: Vec<(Decision, Vec<String>)>,
    pub signatures: Signatures,
    /// `openpgp_keys:`: a file or folder of OpenPGP public keys (armored or binary), relative
    /// to `poam.yaml`, whose keys the fingerprints of the people file name.
    pub openpgp_keys: Option<PathBuf>,
    /// Where `approvals:` is written.
    pub span: Span,
}

impl ApprovalSettings {
    /// The roles that may make `decision`, `None` when any person may.
    pub fn roles_for(&self, decision: Decision) -> Option<&[String]> {
        self.roles
            .iter()
            .find(|(d, _)| *d == decision)
            .map(|(_, roles)| roles.as_slice())
    }

    /// Every role named, once, in the order first written.
    pub fn approver_roles(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for (_, roles) in &self.roles {
            for role in roles {
                if !out.contains(&role.as_str()) {
                    out.push(role);
                }
            }
        }
        out
    }
}

/// The keys `approvals:` may have.
pub const APPROVAL_KEYS: &[&str] = &[
    "close",
    "deviation-decision",
    "accept",
    "due-change",
    "reopen",
    "cat-i",
    "signatures",
    "openpgp_keys",
];

/// Reads `approvals:`; `root` is the folder of `poam.yaml`.
pub fn read_approvals(
    node: &Node,
    root: &std::path::Path,
    problems: &mut Vec<ConfigProblem>,
) -> Option<ApprovalSettings> {
    let entries = match &node.value {
        Value::Map(entries) => entries,
        Value::Null => return None,
        _ => {
            problems.push(ConfigProblem::new(
                node.span,
                format!("`approvals` must be a mapping, found {}", node.kind()),
                Some(
                    "write `approvals:` with a list of roles per decision, e.g. `close: [isso]`"
                        .into(),
                ),
            ));
            return None;
        }
    };
    let mut settings = ApprovalSettings {
        span: node.span,
        ..ApprovalSettings::default()
    };
    for entry in entries {
        let key = entry.key.as_str();
        let value = &entry.value;
        if let Some(decision) = Decision::from_name(key) {
            settings.roles.push((decision, roles(value, key, problems)));
            continue;
        }
        match key {
            "signatures" => match &value.value {
                Value::Str(name) => match Signatures::from_name(name.trim()) {
                    Some(mode) => settings.signatures = mode,
                    None => problems.push(ConfigProblem::new(
                        value.span,
                        format!(
                            "`approvals.signatures` must be `required`, `author` or `off`, found `{name}`"
                        ),
                        Some(match suggest(name, Signatures::NAMES) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "`required`: a signature by a key of the people file; `author`: the commit's author; `off`: nobody is checked".into(),
                        }),
                    )),
                },
                _ => problems.push(ConfigProblem::new(
                    value.span,
                    format!("`approvals.signatures` must be text, found {}", value.kind()),
                    None,
                )),
            },
            "openpgp_keys" => match &value.value {
                Value::Str(path) if !path.trim().is_empty() => {
                    settings.openpgp_keys = Some(root.join(path.trim()));
                }
                _ => problems.push(ConfigProblem::new(
                    value.span,
                    "`approvals.openpgp_keys` must be the path of a file or folder of OpenPGP public keys".to_owned(),
                    None,
                )),
            },
            other => {
                let help = match suggest(other, APPROVAL_KEYS) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known keys: {}", APPROVAL_KEYS.join(", ")),
                };
                problems.push(ConfigProblem::new(
                    entry.key_span,
                    format!("unknown key `{other}` in `approvals`"),
                    Some(help),
                ));
            }
        }
    }
    Some(settings)
}

/// A list of role names, or one name as a list of one.
fn roles(node: &Node, key: &str, problems: &mut Vec<ConfigProblem>) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |node: &Node| match &node.value {
        Value::Str(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        _ => problems.push(ConfigProblem::new(
            node.span,
            format!(
                "`approvals.{key}` must list role names, found {}",
                node.kind()
            ),
            Some(
                "write the roles of the people file that may make this decision, e.g. `[isso]`"
                    .into(),
            ),
        )),
    };
    match &node.value {
        Value::Seq(values) => values.iter().for_each(&mut push),
        _ => push(node),
    }
    out
}
