//! `people.yaml`: the people and teams items name as `owner`, defined once.
//!
//! The file is a list of entries `{id, name, email, roles, organization, phone, until, github,
//! keys, aliases}`; a team is an entry with `members` (ids of other entries). `aliases` are
//! the entry's former ids (`poam rename person` adds them): an item naming one still resolves
//! to the entry. It is read leniently: every problem is kept with its place and reported by
//! lint (`people-invalid`, `people-duplicate-id`), and the entries that could be read are used.
//!
//! With git history, [`People::note_history`] records the ids earlier versions of the file
//! defined and a later one removed (and that no entry holds now, as id or alias): an open item
//! still naming one has a departed owner.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;
use std::sync::Mutex;

use chrono::NaiveDate;

use crate::history::FileVersion;
use crate::model::item::{parse_date, suggest};
use crate::model::{Node, Sp, Span, Value};
use crate::parse;
use crate::source::SourceFile;

/// The keys an entry may have.
pub const PERSON_KEYS: &[&str] = &[
    "id",
    "name",
    "email",
    "roles",
    "organization",
    "phone",
    "until",
    "github",
    "keys",
    "members",
    "aliases",
];

/// One person or team.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: Sp<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub roles: Vec<String>,
    pub organization: Option<String>,
    pub phone: Option<String>,
    /// The last day the person is responsible for anything (left the company, changed role).
    pub until: Option<Sp<NaiveDate>>,
    pub github: Option<String>,
    /// Public keys (e.g. SSH signing keys) the person signs with.
    pub keys: Vec<String>,
    /// Ids of the team's members; empty for a person.
    pub members: Vec<Sp<String>>,
    /// Former ids of the entry (a renamed person): they resolve to it.
    pub aliases: Vec<Sp<String>>,
}

impl Person {
    fn new(id: Sp<String>) -> Person {
        Person {
            id,
            name: None,
            email: None,
            roles: Vec::new(),
            organization: None,
            phone: None,
            until: None,
            github: None,
            keys: Vec::new(),
            members: Vec::new(),
            aliases: Vec::new(),
        }
    }

    pub fn is_team(&self) -> bool {
        !self.members.is_empty()
    }
}

/// What is wrong in the file, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A value of the wrong shape, an unknown key, a missing id, a member naming no entry.
    Invalid,
    /// A second entry with an id already used (the span is the second id; `first` the first).
    DuplicateId { first: Span },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// The people file, read.
#[derive(Debug)]
pub struct People {
    /// The file's text, named as findings show it.
    pub source: SourceFile,
    /// The entries that have an id, in file order.
    pub entries: Vec<Person>,
    /// Id → index into `entries` (the first entry of a duplicated id).
    by_id: HashMap<String, usize>,
    /// Alias → index into `entries`, for aliases that are no entry's id.
    by_alias: HashMap<String, usize>,
    /// Ids the file's history defined and removed, that no entry holds now.
    removed: HashMap<String, Removal>,
    pub problems: Vec<Problem>,
    /// What [`People::suggest`] answered, by owner text: repositories repeat a few owners over
    /// thousands of items, and each answer compares the text with every entry.
    suggestions: Mutex<HashMap<String, Suggestion>>,
}

/// An id the people file once had and a later commit removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// The entry's `name` before it was removed.
    pub name: Option<String>,
    /// The date of the commit that removed it (UTC).
    pub date: NaiveDate,
    /// That commit's id, abbreviated as `git log --oneline` shows it.
    pub commit: String,
}

/// The entry an unknown owner text most likely means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Suggestion {
    /// The text contains this entry's name (`Jane Doe - Platform Team` → `jdoe`, `Jane Doe`).
    ByName {
        id: String,
        name: String,
    },
    /// This id is spelt nearly like the text.
    Nearest(String),
    None,
}

impl People {
    /// Reads `path`, naming it `name` in findings. `Err` only when the file cannot be read; a
    /// file poam will not read (outside the work tree `root`, not a regular file, too large)
    /// is a problem of the file, as a parse error is.
    pub fn load(path: &Path, name: String, root: &Path) -> Result<People, std::io::Error> {
        match parse::ELEMENTS_FILE.read_inside(path, root) {
            Ok(bytes) => Ok(People::from_bytes(name, &bytes)),
            Err(parse::ReadError::Io(e)) => Err(e),
            Err(parse::ReadError::Refused(why)) => Ok(People::unreadable(
                name,
                String::new(),
                Span::new(0, 0),
                &why,
            )),
        }
    }

    /// Reads the text of a people file.
    pub fn from_bytes(name: String, bytes: &[u8]) -> People {
        match parse::parse_bytes_within(bytes, parse::ELEMENTS_FILE) {
            Ok((text, node)) => {
                let mut problems = Vec::new();
                let entries = read_entries(&node, &mut problems);
                People::new(name, text, entries, problems)
            }
            Err(err) => People::unreadable(
                name,
                String::from_utf8_lossy(bytes).into_owned(),
                err.span,
                &err.message,
            ),
        }
    }

    /// A people file with no entries, for the one problem that kept it from being read.
    fn unreadable(name: String, text: String, span: Span, why: &str) -> People {
        let problem = Problem {
            kind: ProblemKind::Invalid,
            span,
            message: format!("the people file cannot be read: {why}"),
            help: None,
        };
        People::new(name, text, Vec::new(), vec![problem])
    }

    /// The file's entries indexed, with the problems between them (a shared id or alias, an
    /// unknown team member) added to `problems`.
    fn new(name: String, text: String, entries: Vec<Person>, mut problems: Vec<Problem>) -> People {
        let mut by_id: HashMap<String, usize> =
            HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for (index, person) in entries.iter().enumerate() {
            if let Some(&first) = by_id.get(&person.id.value) {
                problems.push(Problem {
                    kind: ProblemKind::DuplicateId {
                        first: entries[first].id.span,
                    },
                    span: person.id.span,
                    message: format!("`{}` is the id of an earlier entry", person.id.value),
                    help: Some("give every person and team its own id".into()),
                });
            } else {
                by_id.insert(person.id.value.clone(), index);
            }
        }
        let mut by_alias: HashMap<String, usize> = HashMap::default();
        for (index, person) in entries.iter().enumerate() {
            for alias in &person.aliases {
                let holder = by_id
                    .get(&alias.value)
                    .or_else(|| by_alias.get(&alias.value));
                match holder {
                    Some(&other) if other == index => {}
                    Some(&other) => problems.push(Problem {
                        kind: ProblemKind::Invalid,
                        span: alias.span,
                        message: format!(
                            "alias `{}` of `{}` already names `{}`",
                            alias.value, person.id.value, entries[other].id.value
                        ),
                        help: Some("an alias must name one entry only; remove one of them".into()),
                    }),
                    None => {
                        by_alias.insert(alias.value.clone(), index);
                    }
                }
            }
        }
        let mut people = People {
            source: SourceFile::new(name, text),
            entries,
            by_id,
            by_alias,
            removed: HashMap::default(),
            problems,
            suggestions: Mutex::new(HashMap::default()),
        };
        people.check_members();
        people
    }

    /// The person or team with this id, or with this id among its aliases.
    pub fn get(&self, id: &str) -> Option<&Person> {
        self.by_id
            .get(id)
            .or_else(|| self.by_alias.get(id))
            .map(|&index| &self.entries[index])
    }

    /// True when `id` is the id of an entry (not an alias).
    pub fn has_id(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// When and where `id` was removed from the file, if its history removed it and no entry
    /// holds it now.
    pub fn removal(&self, id: &str) -> Option<&Removal> {
        self.removed.get(id)
    }

    /// Records the ids that earlier versions of the file defined (as id or alias) and a later
    /// version dropped, from its versions oldest first. An id that comes back is forgotten
    /// again; one the file holds now never counts.
    pub fn note_history(&mut self, versions: &[FileVersion]) {
        let mut before: HashMap<String, Option<String>> = HashMap::default();
        let mut removed: HashMap<String, Removal> = HashMap::default();
        for version in versions {
            let mut now: HashMap<String, Option<String>> = HashMap::default();
            if let Some(bytes) = &version.bytes {
                if let Ok((_, node)) = parse::parse_bytes_within(bytes, parse::ELEMENTS_FILE) {
                    for person in read_entries(&node, &mut Vec::new()) {
                        for alias in &person.aliases {
                            now.insert(alias.value.clone(), person.name.clone());
                        }
                        now.insert(person.id.value, person.name);
                    }
                } else {
                    // A version that does not parse says nothing about who left.
                    continue;
                }
            }
            for (id, name) in &before {
                if !now.contains_key(id) {
                    let commit = &version.commit;
                    removed.insert(
                        id.clone(),
                        Removal {
                            name: name.clone(),
                            date: commit.time.with_timezone(&chrono::Utc).date_naive(),
                            commit: commit.short_id().to_owned(),
                        },
                    );
                }
            }
            for id in now.keys() {
                removed.remove(id);
            }
            before = now;
        }
        removed.retain(|id, _| self.get(id).is_none());
        self.removed = removed;
    }

    /// The known id nearest to `id`, for "did you mean".
    pub fn nearest(&self, id: &str) -> Option<&str> {
        let wanted = id.trim().to_ascii_lowercase();
        self.entries
            .iter()
            .map(|p| {
                let known = p.id.value.to_ascii_lowercase();
                (
                    strsim::damerau_levenshtein(&wanted, &known),
                    strsim::jaro_winkler(&wanted, &known),
                    p.id.value.as_str(),
                )
            })
            .filter(|(distance, similarity, known)| {
                *distance <= (known.len() / 3).max(1) || *similarity >= 0.88
            })
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
            .map(|(_, _, known)| known)
    }

    /// The entry an unknown owner text most likely means: one whose name the text contains,
    /// else the nearest id. Remembered per text.
    pub fn suggest(&self, owner: &str) -> Suggestion {
        if let Some(known) = self
            .suggestions
            .lock()
            .ok()
            .and_then(|s| s.get(owner).cloned())
        {
            return known;
        }
        let by_name = self.entries.iter().find_map(|p| {
            let name = p.name.as_deref()?.trim();
            (!name.is_empty() && owner.contains(name)).then(|| Suggestion::ByName {
                id: p.id.value.clone(),
                name: name.to_owned(),
            })
        });
        let suggestion = by_name
            .or_else(|| {
                self.nearest(owner)
                    .map(|id| Suggestion::Nearest(id.to_owned()))
            })
            .unwrap_or(Suggestion::None);
        if let Ok(mut cache) = self.suggestions.lock() {
            cache.insert(owner.to_owned(), suggestion.clone());
        }
        suggestion
    }

    /// A team's members must be entries of the file.
    fn check_members(&mut self) {
        let mut found = Vec::new();
        for person in &self.entries {
            for member in &person.members {
                if self.get(&member.value).is_none() {
                    let help = match self.nearest(&member.value) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "add the member as an entry of the people file".to_owned(),
                    };
                    found.push(Problem {
                        kind: ProblemKind::Invalid,
                        span: member.span,
                        message: format!(
                            "team `{}` names member `{}`, who has no entry",
                            person.id.value, member.value
                        ),
                        help: Some(help),
                    });
                }
            }
        }
        self.problems.extend(found);
    }
}

fn invalid(problems: &mut Vec<Problem>, span: Span, message: String, help: Option<&str>) {
    problems.push(Problem {
        kind: ProblemKind::Invalid,
        span,
        message,
        help: help.map(str::to_owned),
    });
}

fn read_entries(node: &Node, problems: &mut Vec<Problem>) -> Vec<Person> {
    let list = match &node.value {
        Value::Seq(list) => list,
        Value::Null => return Vec::new(),
        _ => {
            invalid(
                problems,
                node.span,
                format!(
                    "the people file must be a list of entries, found {}",
                    node.kind()
                ),
                Some("write one `- id: ...` entry per person or team"),
            );
            return Vec::new();
        }
    };
    list.iter()
        .filter_map(|entry| read_person(entry, problems))
        .collect()
}

fn read_person(node: &Node, problems: &mut Vec<Problem>) -> Option<Person> {
    let Some(entries) = node.as_map() else {
        invalid(
            problems,
            node.span,
            format!("a people entry must be a mapping, found {}", node.kind()),
            Some("write `- id: jdoe` with `name:`, `email:` and the other keys below it"),
        );
        return None;
    };
    let mut person = Person::new(Sp::new(String::new(), node.span));
    let mut id = None;
    for entry in entries {
        let value = &entry.value;
        let key = entry.key.as_str();
        match key {
            "id" => {
                id = text(value, key, problems).map(|t| Sp::new(t.trim().to_owned(), value.span))
            }
            "name" => person.name = text(value, key, problems),
            "email" => person.email = text(value, key, problems),
            "organization" => person.organization = text(value, key, problems),
            "phone" => person.phone = text(value, key, problems),
            "github" => person.github = text(value, key, problems),
            "roles" => {
                person.roles = list(value, key, problems)
                    .into_iter()
                    .map(|s| s.value)
                    .collect()
            }
            "keys" => {
                let keys = list(value, key, problems);
                for listed in &keys {
                    if let crate::signing::ListedKey::Invalid(why) =
                        crate::signing::classify_key(&listed.value)
                    {
                        invalid(
                            problems,
                            listed.span,
                            format!("a key of `keys` is {why}"),
                            Some("list SSH public keys as `ssh-keygen` writes them (`ssh-ed25519 AAAA... comment`) and OpenPGP keys by fingerprint"),
                        );
                    }
                }
                person.keys = keys.into_iter().map(|s| s.value).collect();
            }
            "members" => person.members = list(value, key, problems),
            "aliases" => person.aliases = list(value, key, problems),
            "until" => {
                person.until = text(value, key, problems).and_then(|t| match parse_date(&t) {
                    Some(date) => Some(Sp::new(date, value.span)),
                    None => {
                        invalid(
                            problems,
                            value.span,
                            format!("`until` must be a date YYYY-MM-DD, found `{t}`"),
                            Some("write the person's last day, e.g. 2026-01-31"),
                        );
                        None
                    }
                });
            }
            other => {
                let help = suggest(other, PERSON_KEYS).map_or_else(
                    || format!("known keys: {}", PERSON_KEYS.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                problems.push(Problem {
                    kind: ProblemKind::Invalid,
                    span: entry.key_span,
                    message: format!("unknown key `{other}` in a people entry"),
                    help: Some(help),
                });
            }
        }
    }
    match id {
        Some(id) if !id.value.is_empty() => {
            person.id = id;
            Some(person)
        }
        _ => {
            let span = entries.first().map_or(node.span, |e| e.key_span);
            invalid(
                problems,
                span,
                "a people entry has no `id`".to_owned(),
                Some("add `id:` with the short name items use as `owner` (e.g. `jdoe`)"),
            );
            None
        }
    }
}

/// A scalar as text (numbers and dates are written as they read).
fn text(node: &Node, key: &str, problems: &mut Vec<Problem>) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Null => None,
        _ => {
            invalid(
                problems,
                node.span,
                format!("`{key}` must be text, found {}", node.kind()),
                None,
            );
            None
        }
    }
}

/// A list of text, or one text as a list of one.
fn list(node: &Node, key: &str, problems: &mut Vec<Problem>) -> Vec<Sp<String>> {
    match &node.value {
        Value::Seq(values) => values
            .iter()
            .filter_map(|v| text(v, key, problems).map(|t| Sp::new(t.trim().to_owned(), v.span)))
            .collect(),
        Value::Null => Vec::new(),
        _ => text(node, key, problems)
            .map(|t| vec![Sp::new(t.trim().to_owned(), node.span)])
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> People {
        People::from_bytes("people.yaml".into(), text.as_bytes())
    }

    #[test]
    fn people_and_teams_are_read_with_their_places() {
        let people = read(
            "- id: jdoe\n  name: Jane Doe\n  until: 2026-10-31\n  roles: [isso]\n\
             - id: platform-team\n  members: [jdoe]\n",
        );
        assert!(people.problems.is_empty(), "{:?}", people.problems);
        let jane = people.get("jdoe").expect("jdoe");
        assert_eq!(jane.name.as_deref(), Some("Jane Doe"));
        assert_eq!(jane.roles, ["isso"]);
        assert_eq!(
            jane.until.as_ref().map(|u| u.value),
            NaiveDate::from_ymd_opt(2026, 10, 31)
        );
        assert!(people.get("platform-team").expect("team").is_team());
        assert_eq!(people.nearest("platform-tem"), Some("platform-team"));
        let by_name = Suggestion::ByName {
            id: "jdoe".into(),
            name: "Jane Doe".into(),
        };
        for _ in 0..2 {
            assert_eq!(people.suggest("Jane Doe - Platform Team"), by_name);
            assert_eq!(
                people.suggest("platfrom-team"),
                Suggestion::Nearest("platform-team".into())
            );
            assert_eq!(people.suggest("Someone Else"), Suggestion::None);
        }
    }

    fn version(day: u32, text: Option<&str>) -> FileVersion {
        let who = crate::history::Person {
            name: "A".into(),
            email: "a@example.com".into(),
        };
        let time = chrono::DateTime::parse_from_rfc3339(&format!("2026-03-{day:02}T10:00:00Z"))
            .expect("time");
        FileVersion {
            commit: std::sync::Arc::new(crate::history::CommitMeta {
                id: format!("{day:040}"),
                author: who.clone(),
                committer: who,
                time,
                author_time: time,
                summary: String::new(),
            }),
            bytes: text.map(|t| t.as_bytes().to_vec()),
        }
    }

    #[test]
    fn aliases_resolve_and_history_knows_who_was_removed() {
        let mut people = read("- id: jane\n  aliases: [jdoe]\n- id: kim\n");
        assert_eq!(
            people.get("jdoe").map(|p| p.id.value.as_str()),
            Some("jane")
        );
        assert!(!people.has_id("jdoe"));
        people.note_history(&[
            version(
                1,
                Some("- id: jdoe\n- id: rlee\n  name: Rita Lee\n- id: kim\n"),
            ),
            // A version that does not parse says nothing.
            version(2, Some("- id: [\n")),
            version(3, Some("- id: jane\n  aliases: [jdoe]\n")),
            // The file deleted, then written again with kim back.
            version(4, None),
            version(5, Some("- id: jane\n  aliases: [jdoe]\n- id: kim\n")),
        ]);
        let rita = people.removal("rlee").expect("rlee was removed");
        assert_eq!(rita.name.as_deref(), Some("Rita Lee"));
        assert_eq!(
            rita.date,
            NaiveDate::from_ymd_opt(2026, 3, 3).expect("date")
        );
        assert_eq!(rita.commit, "0000000");
        // jdoe lives on as an alias; kim came back.
        assert_eq!(people.removal("jdoe"), None);
        assert_eq!(people.removal("kim"), None);
    }

    #[test]
    fn every_problem_is_kept_with_its_place() {
        let text = "- id: jdoe\n- id: jdoe\n- name: No Id\n- id: x\n  mail: x@example.com\n  until: soon\n- id: t\n  members: [jdo]\n";
        let people = read(text);
        let found: Vec<(&ProblemKind, &str)> = people
            .problems
            .iter()
            .map(|p| (&p.kind, &text[p.span.start..p.span.end]))
            .collect();
        assert_eq!(
            found,
            [
                (&ProblemKind::Invalid, "name"),
                (&ProblemKind::Invalid, "mail"),
                (&ProblemKind::Invalid, "soon"),
                (
                    &ProblemKind::DuplicateId {
                        first: Span::new(6, 10)
                    },
                    "jdoe"
                ),
                (&ProblemKind::Invalid, "jdo"),
            ]
        );
        assert_eq!(
            people.problems[4].help.as_deref(),
            Some("did you mean `jdoe`?")
        );
        let broken = read("- id: [\n");
        assert_eq!(broken.problems.len(), 1);
        assert!(broken.entries.is_empty());
    }
}
