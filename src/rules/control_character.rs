//! A text value holds a control character.
//!
//! ## What it does
//! Reports a text value that holds a C0 control character (U+0000 to U+001F), DEL (U+007F)
//! or a C1 control character (U+0080 to U+009F), usually written as an escape in a
//! double-quoted string (`"\e[2J"`, `"\a"`, `"\r"`). A line break is allowed in text that may
//! run over lines (`description`, `remediation`, milestone descriptions) and a tab there too;
//! a one-line value such as `title` allows neither (a line break there is `invalid-value`).
//! One finding per value, at the value, naming the first such character.
//!
//! ## Why it matters
//! Control characters are invisible in an editor and in a diff, and mean something to
//! whatever prints them: `\e]0;…\a` retitles a terminal, `\e[2J` clears it, a carriage return
//! overwrites the line it is on. poam's own outputs escape them, but exports, spreadsheets
//! and other tools that read the items may not; a value that holds one was pasted from a
//! terminal, imported from a scanner's raw output, or written to deceive a reviewer.
//!
//! ## Example
//! ```yaml
//! title: "OpenSSL \e]0;patched\a is out of date"   # ESC and BEL
//! ```
//!
//! ## How to fix
//! Remove the character, or write what it stood for in words. Use a block scalar (`|`) for
//! text that runs over lines instead of `\r` or `\n` escapes.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide: every column holds plain text that an assessor
//! reads in the spreadsheet; the OSCAL POA&M model's text fields are plain or Markdown text.

use crate::diag::Diagnostic;
use crate::model::item::Problem;

use super::{Check, Code, ItemContext, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::ControlCharacter,
    severity: Severity::Error,
    check: Check::Item(check),
    sets: &[RuleSet::Common],
};

/// `U+001B (ESC)`: the code point, with the usual name of the common ones.
fn describe(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (backspace)",
        '\t' => " (tab)",
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        '\u{85}' => " (NEL)",
        '\u{9b}' => " (CSI)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

pub fn check(ctx: &ItemContext, out: &mut Vec<Diagnostic>) {
    for problem in &ctx.item.problems {
        if let Problem::ControlCharacter {
            path,
            span,
            character,
        } = problem
        {
            out.push(
                ctx.report(
                    Code::ControlCharacter,
                    *span,
                    format!(
                        "`{path}` holds the control character {}",
                        describe(*character)
                    ),
                )
                .with_label("control character")
                .with_help("remove it; text that runs over lines belongs in a block scalar (`|`)"),
            );
        }
    }
}
