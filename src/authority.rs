//! Who may make a decision, and who made it: the `approvals:` of `poam.yaml` against the people
//! file and the commit that made the decision (its signature, or its author), for
//! `decision-unauthorized`.
//!
//! With `signatures: required` the decider is the person whose `keys:` list the key of a valid
//! signature, as git's `gpg.ssh.allowedSignersFile` names a signer by the key (see
//! `crate::signing`); with `signatures: author`, the person whose `email` is the commit's author
//! email. Either must hold one of the decision's roles on the commit's date (UTC), which is on or
//! before their `until`. A signature by a person holding the role `merge-bot` (a forge's key,
//! signing the squash commits it makes) stands for the commit's author: the decision is
//! authorized when the author holds one of the roles; the review the forge required is what
//! the bot's signature vouches for (docs/approvals.md). A pull request's check under
//! `merge_strategy: squash` judges each decision as that squash commit will be judged
//! ([`Authority::for_squash_merges`]).

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::{ApprovalSettings, Decision, Signatures};
use crate::history::{CommitMeta, GitRepo, Source};
use crate::people::{People, Person};
use crate::policy::Profile;
use crate::signing::{self, OpenPgpKeyring, Signer, Unverified};

/// The role of a key that signs the commits a forge makes (GitHub's squash merges).
pub const MERGE_BOT_ROLE: &str = "merge-bot";

/// Why a decision is not authorized: what the finding says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub help: String,
}

/// What a commit's signature proved.
#[derive(Clone, Debug)]
enum Verdict {
    Unsigned,
    Signed(Signer),
    Unverified(Unverified),
    /// The signature could not be read from the repository.
    Unreadable(String),
}

/// The approvals of `poam.yaml`, the people file and the repository, asked per decision.
pub struct Authority<'a> {
    settings: &'a ApprovalSettings,
    people: Option<&'a People>,
    repo: Option<&'a GitRepo>,
    profile: Profile,
    /// A pull request's check under `merge_strategy: squash`: its decisions land in a squash
    /// commit the merge bot signs, so they are judged as that commit will be (by the author).
    squash: bool,
    verdicts: RefCell<HashMap<String, Verdict>>,
    keyring: RefCell<OpenPgpKeyring>,
}

impl<'a> Authority<'a> {
    pub fn new(
        settings: &'a ApprovalSettings,
        people: Option<&'a People>,
        repo: Option<&'a GitRepo>,
        profile: Profile,
    ) -> Self {
        Self {
            settings,
            people,
            repo,
            profile,
            squash: false,
            verdicts: RefCell::new(HashMap::new()),
            keyring: RefCell::new(OpenPgpKeyring::new(settings.openpgp_keys.as_deref())),
        }
    }

    /// For a pull request that will be squash-merged: with a person holding `merge-bot` in the
    /// people file, each decision is judged as the squash commit the bot signs will be on main,
    /// by the author of the commit that made it (the nearest the pull request can see of the
    /// squash commit's author), whatever that commit's own signature.
    pub fn for_squash_merges(mut self) -> Self {
        self.squash = true;
        self
    }

    /// The profile whose decisions are judged (`crate::policy::profile_decisions`).
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// The roles that may make `decision`: `approvals:`'s, else the profile's default (CAT I
    /// decisions under `dod-rmf`); `None` when anybody may.
    fn roles_for(&self, decision: Decision) -> Option<Vec<String>> {
        if let Some(roles) = self.settings.roles_for(decision) {
            return Some(roles.to_vec());
        }
        crate::policy::default_decision_roles(self.profile, decision)
            .map(|roles| roles.iter().map(|r| (*r).to_owned()).collect())
    }

    /// `Ok` when the change from `source` may make `decision`; else why not.
    pub fn judge(&self, decision: Decision, source: &Source) -> Result<(), Refusal> {
        let Some(roles) = self.roles_for(decision) else {
            return Ok(());
        };
        let roles = roles.as_slice();
        if self.settings.signatures == Signatures::Off {
            return Ok(());
        }
        let what = decision_phrase(decision);
        let allowed = roles_phrase(roles);
        let Source::Commit(commit) = source else {
            return Err(Refusal {
                message: format!(
                    "{what} is an uncommitted change: nobody is recorded as making it"
                ),
                help: format!("commit it as a person holding {allowed}"),
            });
        };
        let date = commit.time.with_timezone(&chrono::Utc).date_naive();
        match self.settings.signatures {
            Signatures::Required => self.judge_signed(commit, date, roles, &what, &allowed),
            _ => self.judge_author(commit, date, roles, &what, &allowed, None),
        }
    }

    fn judge_author(
        &self,
        commit: &CommitMeta,
        date: NaiveDate,
        roles: &[String],
        what: &str,
        allowed: &str,
        bot: Option<&Person>,
    ) -> Result<(), Refusal> {
        let email = &commit.author.email;
        let by_bot = bot.map_or_else(String::new, |bot| {
            if self.squash {
                format!(
                    "to be squash-merged and signed by the merge bot `{}`, ",
                    bot.id.value
                )
            } else {
                format!("signed by the merge bot `{}`, ", bot.id.value)
            }
        });
        let Some(person) = self.person_by_email(email) else {
            return Err(Refusal {
                message: format!(
                    "{what} was {by_bot}authored by {email}, who is not in the people file; may decide: {allowed}"
                ),
                help: "add the person with their `email` and `roles` to the people file, or have a person holding the role make the change".to_owned(),
            });
        };
        self.holds(person, date, roles).map_err(|why| Refusal {
            message: format!(
                "{what} was {by_bot}authored by `{}` ({email}), {why}; may decide: {allowed}",
                person.id.value
            ),
            help: "have a person holding one of the roles make the change".to_owned(),
        })
    }

    fn judge_signed(
        &self,
        commit: &CommitMeta,
        date: NaiveDate,
        roles: &[String],
        what: &str,
        allowed: &str,
    ) -> Result<(), Refusal> {
        if self.squash {
            if let Some(bot) = self.merge_bot(date) {
                return self.judge_author(commit, date, roles, what, allowed, Some(bot));
            }
        }
        let help_sign = "sign decisions with a key listed under `keys:` for a person holding the role (docs/approvals.md)";
        let signer = match self.verdict(&commit.id) {
            Verdict::Signed(signer) => signer,
            Verdict::Unsigned => {
                let author = match self.person_by_email(&commit.author.email) {
                    Some(person) => format!(" (its author is `{}`)", person.id.value),
                    None => String::new(),
                };
                return Err(Refusal {
                    message: format!(
                        "{what} is in an unsigned commit{author}; `approvals.signatures: required` wants a signature by a person holding {allowed}"
                    ),
                    help: help_sign.to_owned(),
                });
            }
            Verdict::Unverified(Unverified::Bad(why)) => {
                return Err(Refusal {
                    message: format!("{what} is in a commit whose signature is not valid: {why}"),
                    help: help_sign.to_owned(),
                })
            }
            Verdict::Unverified(Unverified::Unsupported(why)) => {
                return Err(Refusal {
                    message: format!(
                        "{what} is in a commit whose signature cannot be verified: {why}"
                    ),
                    help: help_sign.to_owned(),
                })
            }
            Verdict::Unreadable(why) => {
                return Err(Refusal {
                    message: format!("{what}: the commit's signature cannot be read: {why}"),
                    help: help_sign.to_owned(),
                })
            }
        };
        let holders = self.key_holders(&signer);
        if holders.is_empty() {
            return Err(Refusal {
                message: format!(
                    "{what} is signed with {}, which no person of the people file lists under `keys:`; may decide: {allowed}",
                    signer.describe()
                ),
                help: help_sign.to_owned(),
            });
        }
        let mut refusals = Vec::new();
        for person in &holders {
            match self.holds(person, date, roles) {
                Ok(()) => return Ok(()),
                Err(why) => {
                    let bot = [MERGE_BOT_ROLE.to_owned()];
                    if self.holds(person, date, &bot).is_ok() {
                        return self.judge_author(commit, date, roles, what, allowed, Some(person));
                    }
                    refusals.push(format!("`{}`, {why}", person.id.value));
                }
            }
        }
        Err(Refusal {
            message: format!(
                "{what} is signed with {} by {}; may decide: {allowed}",
                signer.describe(),
                refusals.join(", and by ")
            ),
            help: "have a person holding one of the roles sign the change".to_owned(),
        })
    }

    /// `Ok` when `person` holds one of `roles` on `date`; else why not ("who holds ...").
    fn holds(&self, person: &Person, date: NaiveDate, roles: &[String]) -> Result<(), String> {
        if !person.roles.iter().any(|r| roles.contains(r)) {
            return Err(if person.roles.is_empty() {
                "who holds no role".to_owned()
            } else {
                format!("who holds {}", roles_phrase(&person.roles))
            });
        }
        match &person.until {
            Some(until) if date > until.value => {
                Err(format!("on {date}, after their `until: {}`", until.value))
            }
            _ => Ok(()),
        }
    }

    /// A person holding `merge-bot` on `date`.
    fn merge_bot(&self, date: NaiveDate) -> Option<&'a Person> {
        let bot = [MERGE_BOT_ROLE.to_owned()];
        self.people?
            .entries
            .iter()
            .find(|p| !p.is_team() && self.holds(p, date, &bot).is_ok())
    }

    fn person_by_email(&self, email: &str) -> Option<&'a Person> {
        let people = self.people?;
        people.entries.iter().find(|p| {
            !p.is_team()
                && p.email
                    .as_deref()
                    .is_some_and(|e| e.trim().eq_ignore_ascii_case(email.trim()))
        })
    }

    fn key_holders(&self, signer: &Signer) -> Vec<&'a Person> {
        let Some(people) = self.people else {
            return Vec::new();
        };
        people
            .entries
            .iter()
            .filter(|p| !p.is_team() && p.keys.iter().any(|k| signer.is_listed_as(k)))
            .collect()
    }

    fn verdict(&self, commit: &str) -> Verdict {
        if let Some(known) = self.verdicts.borrow().get(commit) {
            return known.clone();
        }
        let verdict = match self.repo.map(|repo| repo.commit_signature(commit)) {
            None => Verdict::Unreadable("no repository".to_owned()),
            Some(Err(err)) => Verdict::Unreadable(err.to_string()),
            Some(Ok(None)) => Verdict::Unsigned,
            Some(Ok(Some(signed))) => {
                let mut keyring = self.keyring.borrow_mut();
                match signing::verify(&signed.signature, &signed.signed_data, &mut keyring) {
                    Ok(signer) => Verdict::Signed(signer),
                    Err(why) => Verdict::Unverified(why),
                }
            }
        };
        self.verdicts
            .borrow_mut()
            .insert(commit.to_owned(), verdict.clone());
        verdict
    }
}

/// `closing the item`, as messages name a decision.
pub fn decision_phrase(decision: Decision) -> String {
    match decision {
        Decision::Close => "closing the item",
        Decision::DeviationDecision => "deciding a deviation",
        Decision::Accept => "accepting the vulnerability",
        Decision::DueChange => "moving `due`",
        Decision::Reopen => "reopening the item",
        Decision::CatI => "closing or risk-accepting a CAT I item",
    }
    .to_owned()
}

/// `` `isso` or `system-owner` ``; `nobody` for an empty list.
fn roles_phrase(roles: &[String]) -> String {
    if roles.is_empty() {
        return "nobody".to_owned();
    }
    roles
        .iter()
        .map(|r| format!("`{r}`"))
        .collect::<Vec<_>>()
        .join(" or ")
}
