//! The minijinja environment: the built-in templates of the top-level `templates/` folder,
//! embedded in the binary, each overridable by a file of the same name in the folder that
//! config key `templates:` names.
//!
//! Autoescaping follows the template's name: `.html.j2` escapes HTML, `.md.j2` and `.css`
//! do not (Markdown tables escape with the `md_cell` filter). Undefined values are errors, so
//! a misspelt variable fails loudly instead of rendering as nothing. Item text only ever
//! reaches templates as values, never as template source.

use std::path::{Component, Path, PathBuf};

pub(crate) use minijinja::context;
pub(crate) use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use crate::error::Error;

use super::markdown;

/// The built-in templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("report.md.j2", include_str!("../../templates/report.md.j2")),
    (
        "report.html.j2",
        include_str!("../../templates/report.html.j2"),
    ),
    ("pr.md.j2", include_str!("../../templates/pr.md.j2")),
    (
        "unreadable.md.j2",
        include_str!("../../templates/unreadable.md.j2"),
    ),
    (
        "unreadable.html.j2",
        include_str!("../../templates/unreadable.html.j2"),
    ),
    (
        "macros.html.j2",
        include_str!("../../templates/macros.html.j2"),
    ),
    (
        "site/base.html.j2",
        include_str!("../../templates/site/base.html.j2"),
    ),
    (
        "site/index.html.j2",
        include_str!("../../templates/site/index.html.j2"),
    ),
    (
        "site/items.html.j2",
        include_str!("../../templates/site/items.html.j2"),
    ),
    (
        "site/item.html.j2",
        include_str!("../../templates/site/item.html.j2"),
    ),
    (
        "site/controls.html.j2",
        include_str!("../../templates/site/controls.html.j2"),
    ),
    (
        "site/control.html.j2",
        include_str!("../../templates/site/control.html.j2"),
    ),
    (
        "site/people.html.j2",
        include_str!("../../templates/site/people.html.j2"),
    ),
    (
        "site/assets.html.j2",
        include_str!("../../templates/site/assets.html.j2"),
    ),
    (
        "site/findings.html.j2",
        include_str!("../../templates/site/findings.html.j2"),
    ),
    (
        "site/downloads.html.j2",
        include_str!("../../templates/site/downloads.html.j2"),
    ),
    (
        "site/rule.html.j2",
        include_str!("../../templates/site/rule.html.j2"),
    ),
    (
        "site/rules.html.j2",
        include_str!("../../templates/site/rules.html.j2"),
    ),
    ("style.css", include_str!("../../templates/style.css")),
    // The site's one script: sorting and filtering of tables, loaded as a file (the pages'
    // CSP allows `script-src 'self'` and nothing inline).
    ("site.js", include_str!("../../templates/site.js")),
    // The `dod-rmf` profile's own pages (see `crate::profiles`).
    (
        "dod/report.md.j2",
        include_str!("../../templates/dod/report.md.j2"),
    ),
    (
        "dod/report.html.j2",
        include_str!("../../templates/dod/report.html.j2"),
    ),
    (
        "dod/site/index.html.j2",
        include_str!("../../templates/dod/site/index.html.j2"),
    ),
    (
        "dod/site/item.html.j2",
        include_str!("../../templates/dod/site/item.html.j2"),
    ),
    (
        "dod/macros.html.j2",
        include_str!("../../templates/dod/macros.html.j2"),
    ),
    (
        "dod/site/items.html.j2",
        include_str!("../../templates/dod/site/items.html.j2"),
    ),
    (
        "dod/site/control.html.j2",
        include_str!("../../templates/dod/site/control.html.j2"),
    ),
    (
        "dod/site/people.html.j2",
        include_str!("../../templates/dod/site/people.html.j2"),
    ),
    (
        "dod/site/assets.html.j2",
        include_str!("../../templates/dod/site/assets.html.j2"),
    ),
    // The `fedramp-cr26` profile's own pages (see `crate::profiles`).
    (
        "cr26/macros.html.j2",
        include_str!("../../templates/cr26/macros.html.j2"),
    ),
    (
        "cr26/report.md.j2",
        include_str!("../../templates/cr26/report.md.j2"),
    ),
    (
        "cr26/report.html.j2",
        include_str!("../../templates/cr26/report.html.j2"),
    ),
    (
        "cr26/site/index.html.j2",
        include_str!("../../templates/cr26/site/index.html.j2"),
    ),
    (
        "cr26/site/items.html.j2",
        include_str!("../../templates/cr26/site/items.html.j2"),
    ),
    (
        "cr26/site/item.html.j2",
        include_str!("../../templates/cr26/site/item.html.j2"),
    ),
    (
        "cr26/site/control.html.j2",
        include_str!("../../templates/cr26/site/control.html.j2"),
    ),
    (
        "cr26/site/people.html.j2",
        include_str!("../../templates/cr26/site/people.html.j2"),
    ),
    (
        "cr26/site/assets.html.j2",
        include_str!("../../templates/cr26/site/assets.html.j2"),
    ),
    // The `cmmc-l2` profile's own pages.
    (
        "cmmc/macros.html.j2",
        include_str!("../../templates/cmmc/macros.html.j2"),
    ),
    (
        "cmmc/report.md.j2",
        include_str!("../../templates/cmmc/report.md.j2"),
    ),
    (
        "cmmc/report.html.j2",
        include_str!("../../templates/cmmc/report.html.j2"),
    ),
    (
        "cmmc/site/index.html.j2",
        include_str!("../../templates/cmmc/site/index.html.j2"),
    ),
    (
        "cmmc/site/item.html.j2",
        include_str!("../../templates/cmmc/site/item.html.j2"),
    ),
    (
        "cmmc/site/items.html.j2",
        include_str!("../../templates/cmmc/site/items.html.j2"),
    ),
    (
        "cmmc/site/controls.html.j2",
        include_str!("../../templates/cmmc/site/controls.html.j2"),
    ),
    (
        "cmmc/site/control.html.j2",
        include_str!("../../templates/cmmc/site/control.html.j2"),
    ),
    (
        "cmmc/site/people.html.j2",
        include_str!("../../templates/cmmc/site/people.html.j2"),
    ),
    (
        "cmmc/site/assets.html.j2",
        include_str!("../../templates/cmmc/site/assets.html.j2"),
    ),
];

/// A ready environment plus where overrides came from.
pub struct Templates {
    env: Environment<'static>,
    /// The overrides folder (config key `templates`), for the PDF templates
    /// (`crate::report::pdf`), which typst reads rather than minijinja.
    overrides: Option<PathBuf>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates").finish_non_exhaustive()
    }
}

fn auto_escape(name: &str) -> AutoEscape {
    if name.ends_with(".html.j2") || name.ends_with(".html") {
        AutoEscape::Html
    } else {
        AutoEscape::None
    }
}

/// A template name that stays inside the overrides folder: plain components, none hidden (so
/// `.git/config` is never a template name, even when the folder is the repository root).
fn override_path(dir: &Path, name: &str) -> Option<PathBuf> {
    let relative = Path::new(name);
    relative
        .components()
        .all(|c| match c {
            Component::Normal(part) => !part.to_string_lossy().starts_with('.'),
            _ => false,
        })
        .then(|| dir.join(relative))
}

/// The text of override `name` in `dir`, `None` when there is none. A pull request can add
/// files to the templates folder, and what they render is published: a symlink (to
/// `/proc/self/environ`, to `.git/config` where CI keeps its token) or a path that resolves
/// outside the folder is refused, as are FIFOs and devices (reading one could block), like
/// item files.
pub(crate) fn read_override(dir: &Path, name: &str) -> Result<Option<String>, String> {
    let Some(path) = override_path(dir, name) else {
        return Ok(None);
    };
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(err)
            if matches!(
                err.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(None)
        }
        Err(err) => return Err(format!("cannot read `{}`: {err}", path.display())),
    };
    if meta.file_type().is_symlink() {
        return Err(format!(
            "`{}` is a symlink; template files must be regular files inside the templates folder",
            path.display()
        ));
    }
    if meta.is_dir() {
        return Ok(None);
    }
    if !meta.is_file() {
        return Err(format!("`{}` is not a regular file", path.display()));
    }
    // A symlinked folder on the way (`site -> /etc`) leaves the folder too.
    let inside = match (std::fs::canonicalize(&path), std::fs::canonicalize(dir)) {
        (Ok(file), Ok(dir)) => file.starts_with(dir),
        _ => false,
    };
    if !inside {
        return Err(format!(
            "`{}` resolves outside the templates folder `{}` (through a symlinked folder); template files must be inside it",
            path.display(),
            dir.display()
        ));
    }
    std::fs::read_to_string(&path)
        .map(Some)
        .map_err(|err| format!("cannot read `{}`: {err}", path.display()))
}

fn template_error(name: &str, err: minijinja::Error) -> Error {
    let mut message = format!("template `{name}`: {err}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    Error::template(TemplateFailure {
        message,
        source: err,
    })
}

/// A template that failed: the message names the template and spells out minijinja's
/// whole chain (users read only the message); the minijinja error stays the source.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
struct TemplateFailure {
    message: String,
    source: minijinja::Error,
}

fn due_text(days_left: Option<i64>) -> String {
    match days_left {
        Some(0) => "due today".to_owned(),
        Some(1) => "1 day left".to_owned(),
        Some(-1) => "1 day late".to_owned(),
        Some(n) if n > 0 => format!("{n} days left"),
        Some(n) => format!("{} days late", -n),
        None => String::new(),
    }
}

fn short_commit(id: String) -> String {
    id.chars().take(7).collect()
}

impl Templates {
    /// The built-in templates, with the files of `overrides` (when given) taking their place
    /// by name; other names (for `{% include %}`) are loaded from that folder on demand.
    pub fn new(overrides: Option<&Path>) -> Result<Templates, Error> {
        if let Some(dir) = overrides.filter(|dir| !dir.is_dir()) {
            return Err(Error::template(format!(
                "templates folder `{}` (config key `templates`) does not exist",
                dir.display()
            )));
        }
        if let Some(dir) = overrides.filter(|dir| dir.is_symlink()) {
            return Err(Error::template(format!(
                "templates folder `{}` (config key `templates`) is a symlink; name the folder itself",
                dir.display()
            )));
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(auto_escape);
        // minijinja's HTML escaping also encodes `/` (`&#x2f;`), which is safe but makes every
        // link and date hard to read in the page source; these five characters are enough for
        // element content and quoted attributes.
        env.set_formatter(
            |out, state, value| match (state.auto_escape(), value.as_str()) {
                (AutoEscape::Html, Some(text)) if !value.is_safe() => {
                    markdown::write_escaped_html(out, text).map_err(|_| {
                        minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "writing output")
                    })
                }
                _ => minijinja::escape_formatter(out, state, value),
            },
        );
        // Block tags on lines of their own leave no blank lines behind.
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .map_err(|err| template_error("syntax", err))?;
        env.set_syntax(syntax);
        env.add_filter("md_cell", |value: Value| -> String {
            if value.is_none() || value.is_undefined() {
                String::new()
            } else {
                markdown::escape_md_cell(&value.to_string())
            }
        });
        env.add_filter("markdown", |text: Option<String>| -> Value {
            Value::from_safe_string(text.as_deref().map(markdown::to_html).unwrap_or_default())
        });
        env.add_filter("markdown_lines", |text: Option<String>| -> Value {
            Value::from_safe_string(
                text.as_deref()
                    .map(markdown::to_html_lines)
                    .unwrap_or_default(),
            )
        });
        env.add_filter("code_spans", |text: Option<String>| -> Value {
            Value::from_safe_string(
                text.as_deref()
                    .map(markdown::code_spans)
                    .unwrap_or_default(),
            )
        });
        env.add_filter("due_text", due_text);
        env.add_filter("short_commit", short_commit);
        for (name, source) in BUILT_IN {
            let text = match overrides.map(|dir| read_override(dir, name)) {
                Some(Ok(Some(text))) => text,
                Some(Err(message)) => return Err(Error::template(message)),
                _ => (*source).to_owned(),
            };
            env.add_template_owned(*name, text)
                .map_err(|err| template_error(name, err))?;
        }
        if let Some(dir) = overrides {
            let dir = dir.to_path_buf();
            env.set_loader(move |name| {
                read_override(&dir, name).map_err(|message| {
                    minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, message)
                })
            });
        }
        Ok(Templates {
            env,
            overrides: overrides.map(Path::to_path_buf),
        })
    }

    /// The overrides folder, when config names one.
    pub fn overrides(&self) -> Option<&Path> {
        self.overrides.as_deref()
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|err| template_error(name, err))
    }

    /// The text of a non-template file of the set (`style.css`), overrides applied.
    pub fn raw(&self, name: &str) -> Result<String, Error> {
        self.env
            .get_template(name)
            .map(|template| template.source().to_owned())
            .map_err(|err| template_error(name, err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_text_reads_naturally() {
        assert_eq!(due_text(Some(3)), "3 days left");
        assert_eq!(due_text(Some(-2)), "2 days late");
        assert_eq!(due_text(Some(0)), "due today");
        assert_eq!(due_text(None), "");
    }

    #[test]
    fn names_cannot_leave_the_overrides_folder() {
        let dir = Path::new("/x");
        assert!(override_path(dir, "../etc/passwd").is_none());
        assert!(override_path(dir, "/etc/passwd").is_none());
        assert!(override_path(dir, ".git/config").is_none());
        assert_eq!(
            override_path(dir, "site/a.j2"),
            Some(PathBuf::from("/x/site/a.j2"))
        );
    }

    #[test]
    fn item_text_is_never_template_source() {
        let templates = Templates::new(None).expect("built-in templates compile");
        let out = templates
            .env
            .render_str(
                "{{ t }}|{{ t|md_cell }}",
                minijinja::context! { t => "{{ 7*7 }}" },
            )
            .expect("renders");
        assert!(!out.contains("49"), "{out}");
    }
}
