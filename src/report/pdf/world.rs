//! Native PDF, no browser: typst used as a library (the only module that names it) typesets
//! a typst template of the top-level `templates/pdf/` folder with the report's data and
//! writes a tagged PDF/UA-1 document (Section 508 deliverables need one) with its fonts
//! embedded.
//!
//! The templates are typst source, embedded in the binary and overridable by name like the
//! minijinja ones (a file `pdf/report.typ` in the folder that config key `templates:` names
//! replaces the built-in one; a profile may have its own, see
//! [`crate::profiles::SystemProfile::template`]). They read their data from the JSON file
//! `/data.json`: item text only ever reaches typst as string values, never as markup or
//! code, so an item's `#` or `]` is printed, not run. The typst world holds nothing else:
//! no file of the system, no package, no clock (`datetime.today()` is `--today`).
//!
//! Output is deterministic: the same data and `--today` give the same bytes (the document
//! date is `--today`, the document identifier a hash of a fixed string, and typst writes no
//! creation time of its own when it is given none).

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::error::Error;

use crate::report::templates::{read_override, Templates};

/// The built-in PDF templates, by name (the folder `templates/` is their root).
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "pdf/lib.typ",
        include_str!("../../../templates/pdf/lib.typ"),
    ),
    (
        "pdf/summary.typ",
        include_str!("../../../templates/pdf/summary.typ"),
    ),
    (
        "pdf/report.typ",
        include_str!("../../../templates/pdf/report.typ"),
    ),
    (
        "pdf/item.typ",
        include_str!("../../../templates/pdf/item.typ"),
    ),
    (
        "pdf/site.typ",
        include_str!("../../../templates/pdf/site.typ"),
    ),
    (
        "cr26/pdf/summary.typ",
        include_str!("../../../templates/cr26/pdf/summary.typ"),
    ),
    (
        "dod/pdf/summary.typ",
        include_str!("../../../templates/dod/pdf/summary.typ"),
    ),
    (
        "cmmc/pdf/summary.typ",
        include_str!("../../../templates/cmmc/pdf/summary.typ"),
    ),
];

/// The fonts compiled in (`templates/pdf/fonts/SOURCES.md` says where they come from).
const FONTS: &[&[u8]] = &[
    include_bytes!("../../../templates/pdf/fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../../../templates/pdf/fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../../../templates/pdf/fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../../../templates/pdf/fonts/DejaVuSansMono.ttf"),
];

/// Where the templates read their data.
const DATA_PATH: &str = "/data.json";
/// The folder of a templates override that may hold extra fonts.
const FONT_DIR: &str = "pdf/fonts";

/// One PDF to typeset: the main template, its data and the document's identity.
pub struct PdfJob<'a, T: Serialize> {
    /// The main template's name (`pdf/report.typ`).
    pub template: &'a str,
    /// What `/data.json` holds.
    pub data: &'a T,
    /// `--today`: the document date and typst's `datetime.today()`.
    pub today: NaiveDate,
    /// A stable string the PDF's document identifier is a hash of (the same kind of
    /// document for the same system gets the same identifier).
    pub ident: &'a str,
}

/// Typesets `job` with `templates` (overrides applied) into PDF/UA-1 bytes.
pub fn render<T: Serialize>(templates: &Templates, job: &PdfJob<'_, T>) -> Result<Vec<u8>, Error> {
    let data = serde_json::to_vec(job.data)?;
    let world = PdfWorld::new(templates.overrides(), job.template, data, job.today)?;
    let warned = typst::compile::<PagedDocument>(&world);
    let document = warned
        .output
        .map_err(|errors| world.error(job.template, &errors))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1])
        .map_err(|message| Error::Template(format!("PDF standard: {message}")))?;
    let options = PdfOptions {
        ident: Smart::Custom(job.ident),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| world.error(job.template, &errors))
}

/// The files, fonts and date typst sees: the templates, `/data.json` and nothing else.
struct PdfWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    data: Bytes,
    today: NaiveDate,
    overrides: Option<PathBuf>,
}

impl PdfWorld {
    fn new(
        overrides: Option<&Path>,
        main: &str,
        data: Vec<u8>,
        today: NaiveDate,
    ) -> Result<PdfWorld, Error> {
        let mut fonts: Vec<Font> = FONTS
            .iter()
            .flat_map(|bytes| Font::iter(Bytes::new(*bytes)))
            .collect();
        if let Some(dir) = overrides {
            fonts.extend(extra_fonts(&dir.join(FONT_DIR))?);
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(PdfWorld {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(book),
            fonts,
            main: FileId::new(None, VirtualPath::new(main)),
            data: Bytes::new(data),
            today,
            overrides: overrides.map(Path::to_path_buf),
        })
    }

    /// The text of template `name` (`pdf/lib.typ`): the override's, else the built-in one.
    fn template(&self, name: &str) -> FileResult<String> {
        if let Some(dir) = &self.overrides {
            match read_override(dir, name) {
                Ok(Some(text)) => return Ok(text),
                Ok(None) => {}
                Err(message) => return Err(FileError::Other(Some(message.into()))),
            }
        }
        BUILT_IN
            .iter()
            .find(|(built_in, _)| *built_in == name)
            .map(|(_, text)| (*text).to_owned())
            .ok_or_else(|| FileError::NotFound(PathBuf::from(name)))
    }

    /// A located message for typst's first errors (`template `pdf/report.typ` line 12: ...`).
    fn error(&self, main: &str, errors: &[SourceDiagnostic]) -> Error {
        let mut messages = Vec::new();
        for error in errors.iter().take(5) {
            let mut place = format!("`{main}`");
            if let Some(id) = error.span.id() {
                place = format!("`{}`", name_of(id));
                if let Ok(source) = self.source(id) {
                    if let Some(range) = source.range(error.span) {
                        let before = &source.text()[..range.start.min(source.text().len())];
                        place.push_str(&format!(", line {}", before.matches('\n').count() + 1));
                    }
                }
            }
            let mut message = format!("template {place}: {}", error.message);
            for hint in &error.hints {
                message.push_str(&format!(" (hint: {hint})"));
            }
            messages.push(message);
        }
        if messages.is_empty() {
            messages.push(format!("template `{main}`: typst failed without a message"));
        }
        Error::Template(messages.join("\n"))
    }
}

/// A file id's name as the templates folder spells it (`pdf/lib.typ`).
fn name_of(id: FileId) -> String {
    id.vpath()
        .as_rootless_path()
        .to_string_lossy()
        .replace('\\', "/")
}

/// The `.otf` and `.ttf` files of `dir` (a templates override's `pdf/fonts/`), sorted by
/// name; none when the folder does not exist.
fn extra_fonts(dir: &Path) -> Result<Vec<Font>, Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => {
            return Err(Error::Template(format!(
                "cannot read the fonts folder `{}`: {err}",
                dir.display()
            )))
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "otf" | "ttf"))
        })
        .collect();
    paths.sort();
    let mut fonts = Vec::new();
    for path in paths {
        let meta = std::fs::symlink_metadata(&path)
            .map_err(|err| Error::Template(format!("cannot read `{}`: {err}", path.display())))?;
        if !meta.is_file() {
            return Err(Error::Template(format!(
                "`{}` is not a regular file; font files must be regular files inside the templates folder",
                path.display()
            )));
        }
        let bytes = std::fs::read(&path)
            .map_err(|err| Error::Template(format!("cannot read `{}`: {err}", path.display())))?;
        let before = fonts.len();
        fonts.extend(Font::iter(Bytes::new(bytes)));
        if fonts.len() == before {
            return Err(Error::Template(format!(
                "`{}` is not a font typst can read",
                path.display()
            )));
        }
    }
    Ok(fonts)
}

impl World for PdfWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id.package().is_some() {
            return Err(FileError::AccessDenied);
        }
        let name = name_of(id);
        if !name.ends_with(".typ") {
            return Err(FileError::NotSource);
        }
        Ok(Source::new(id, self.template(&name)?))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id.package().is_some() {
            return Err(FileError::AccessDenied);
        }
        if id.vpath().as_rooted_path() == Path::new(DATA_PATH) {
            return Ok(self.data.clone());
        }
        let name = name_of(id);
        self.template(&name).map(Bytes::from_string)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        let month = u8::try_from(self.today.month()).ok()?;
        let day = u8::try_from(self.today.day()).ok()?;
        Datetime::from_ymd(self.today.year(), month, day)
    }
}
