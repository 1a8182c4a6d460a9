//! The built-in control catalog: NIST SP 800-53 Rev 5 controls (titles, families, withdrawn
//! flags and what a withdrawn control went into) and the FedRAMP Rev5 baselines.
//!
//! The tables are the derived JSON files in `data/catalogs/` (origin in its SOURCES.md),
//! turned into static tables by build.rs (`build/catalog.rs`), so a run reads nothing.

/// One control or enhancement of SP 800-53 Rev 5.
#[derive(Clone, Copy, Debug)]
pub struct Control {
    /// The canonical label: `AC-2(1)`.
    pub label: &'static str,
    pub title: &'static str,
    /// `AC`.
    pub family: &'static str,
    /// `Access Control`.
    pub family_title: &'static str,
    pub withdrawn: bool,
    /// Labels of the controls a withdrawn one was incorporated into or moved to (or a
    /// family's code, `SR`, when it moved to a whole family).
    pub withdrawn_into: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/catalog_tables.rs"));

/// A FedRAMP Rev5 baseline, as `system.baseline` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Baseline {
    FedrampLow,
    FedrampModerate,
    FedrampHigh,
    FedrampLiSaas,
    /// No baseline: every 800-53 control is in scope.
    None,
}

impl Baseline {
    pub const ALL: [Baseline; 5] = [
        Baseline::FedrampLow,
        Baseline::FedrampModerate,
        Baseline::FedrampHigh,
        Baseline::FedrampLiSaas,
        Baseline::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Baseline::FedrampLow => "fedramp-low",
            Baseline::FedrampModerate => "fedramp-moderate",
            Baseline::FedrampHigh => "fedramp-high",
            Baseline::FedrampLiSaas => "fedramp-li-saas",
            Baseline::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Option<Baseline> {
        Baseline::ALL.into_iter().find(|b| b.name() == name.trim())
    }

    pub fn names() -> Vec<&'static str> {
        Baseline::ALL.iter().map(|b| b.name()).collect()
    }
}

/// The catalog with its lookups.
pub struct Catalog {
    /// In catalog order.
    pub controls: &'static [Control],
}

impl Catalog {
    /// The built-in catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: Catalog = Catalog { controls: CONTROLS };
        &CATALOG
    }

    /// The control with this canonical label (`AC-2(1)`).
    pub fn control(&self, label: &str) -> Option<&Control> {
        BY_LABEL
            .binary_search_by(|&index| self.controls[usize::from(index)].label.cmp(label))
            .ok()
            .map(|at| &self.controls[usize::from(BY_LABEL[at])])
    }

    /// True when `label` is in `baseline` (every control is in `none`).
    pub fn in_baseline(&self, baseline: Baseline, label: &str) -> bool {
        match baseline {
            Baseline::None => true,
            listed => baseline_labels(listed).binary_search(&label).is_ok(),
        }
    }

    /// How many controls `baseline` holds (`none`: the whole catalog).
    #[cfg(test)]
    fn baseline_len(&self, baseline: Baseline) -> usize {
        match baseline {
            Baseline::None => self.controls.len(),
            listed => baseline_labels(listed).len(),
        }
    }

    /// The known control nearest to an unknown `label`: the base control of an unknown
    /// enhancement (`AC-2(99)` → `AC-2`), else the closest spelling in the same family.
    pub fn nearest(&self, label: &str) -> Option<&str> {
        if let Some((base, _)) = label.split_once('(') {
            if let Some(control) = self.control(base) {
                return Some(control.label);
            }
        }
        let family = label.split('-').next().unwrap_or("");
        self.controls
            .iter()
            .filter(|c| c.family == family || family.is_empty())
            .map(|c| (strsim::damerau_levenshtein(label, c.label), c.label))
            .filter(|(distance, _)| *distance <= 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, l)| l)
    }
}

/// The sorted labels of a FedRAMP baseline (`none` lists none: every control is in it).
fn baseline_labels(baseline: Baseline) -> &'static [&'static str] {
    match baseline {
        Baseline::FedrampLow => LOW,
        Baseline::FedrampModerate => MODERATE,
        Baseline::FedrampHigh => HIGH,
        Baseline::FedrampLiSaas => LI_SAAS,
        Baseline::None => &[],
    }
}

/// `AC-02(01)`, `ac-2 (1)`, `ac-2.1` → `AC-2(1)`; `None` when the text is not shaped like an
/// SP 800-53 control id (two letters, a number of one to three digits, an optional
/// enhancement number). Leading zeros and blanks are dropped, letters upper-cased.
pub fn canonical_control(text: &str) -> Option<String> {
    // Nearly every id is written canonically: checked without building anything.
    if is_canonical(text) {
        return Some(text.to_owned());
    }
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let (family, rest) = compact.split_once('-')?;
    if family.len() != 2 || !family.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let (number, enhancement) = match rest.split_once('(') {
        Some((number, tail)) => (number, Some(tail.strip_suffix(')')?)),
        None => match rest.split_once('.') {
            Some((number, tail)) => (number, Some(tail)),
            None => (rest, None),
        },
    };
    let number = canonical_number(number)?;
    match enhancement {
        Some(e) => Some(format!("{family}-{number}({})", canonical_number(e)?)),
        None => Some(format!("{family}-{number}")),
    }
}

/// True when `text` is a control id written as NIST writes it: `AC-2`, `AC-2(1)`.
fn is_canonical(text: &str) -> bool {
    let bytes = text.as_bytes();
    // One to three digits without a leading zero (`0` itself stays `0`); returns how many.
    let number = |rest: &[u8]| -> Option<usize> {
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        ((1..=3).contains(&digits) && (digits == 1 || rest[0] != b'0')).then_some(digits)
    };
    if bytes.len() < 4
        || !bytes[0].is_ascii_uppercase()
        || !bytes[1].is_ascii_uppercase()
        || bytes[2] != b'-'
    {
        return false;
    }
    let Some(digits) = number(&bytes[3..]) else {
        return false;
    };
    let rest = &bytes[3 + digits..];
    match rest {
        [] => true,
        [b'(', inner @ .., b')'] => number(inner).is_some_and(|d| d == inner.len()),
        _ => false,
    }
}

/// `007` → `7`: one to three digits, leading zeros dropped.
fn canonical_number(text: &str) -> Option<&str> {
    if !(1..=3).contains(&text.len()) || !text.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let trimmed = text.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn control_ids_become_canonical() {
        for (text, canonical) in [
            ("AC-2(1)", "AC-2(1)"),
            ("AC-02(01)", "AC-2(1)"),
            ("ac-2 (1)", "AC-2(1)"),
            ("ac-2.1", "AC-2(1)"),
            (" si-2 ", "SI-2"),
            ("SC-008", "SC-8"),
        ] {
            assert_eq!(
                canonical_control(text).as_deref(),
                Some(canonical),
                "{text}"
            );
        }
        for bad in [
            "AC2", "A-2", "AC-", "AC-2(", "AC-2()", "AC-2(1", "ACC-2", "AC-1234", "AC-2.",
        ] {
            assert_eq!(canonical_control(bad), None, "{bad}");
        }
        for canonical in ["AC-2", "AC-2(1)", "SI-10(100)", "AC-0"] {
            assert!(is_canonical(canonical), "{canonical}");
        }
        for other in [
            "AC-02", "AC-2(01)", "ac-2", "AC-2 (1)", "AC-2()", "AC-2(1", "AC-1234", "AC-",
        ] {
            assert!(!is_canonical(other), "{other}");
        }
    }

    /// The embedded tables hold what the copied files say (data/catalogs/SOURCES.md): the
    /// counts derive.py printed, every baseline control current.
    #[test]
    fn the_embedded_tables_match_the_source_files() {
        let catalog = Catalog::get();
        assert_eq!(catalog.controls.len(), 1189);
        assert_eq!(catalog.controls.iter().filter(|c| c.withdrawn).count(), 182);
        let families: HashSet<&str> = catalog.controls.iter().map(|c| c.family).collect();
        assert_eq!(families.len(), 20);
        for (baseline, count) in [
            (Baseline::FedrampLow, 156),
            (Baseline::FedrampModerate, 323),
            (Baseline::FedrampHigh, 410),
            (Baseline::FedrampLiSaas, 156),
            (Baseline::None, 1189),
        ] {
            assert_eq!(catalog.baseline_len(baseline), count, "{}", baseline.name());
        }
        for set in [LOW, MODERATE, HIGH, LI_SAAS] {
            for label in set {
                let control = catalog
                    .control(label)
                    .expect("a baseline control is in the catalog");
                assert!(!control.withdrawn, "{label}");
            }
        }
        // Every label is canonical, and every withdrawn control points at known ones.
        for control in catalog.controls {
            assert_eq!(
                canonical_control(control.label).as_deref(),
                Some(control.label)
            );
            for into in control.withdrawn_into {
                assert!(
                    catalog.control(into).is_some() || families.contains(into),
                    "{} → {into}",
                    control.label
                );
            }
        }
        // The generated tables hold the files' entries in their order.
        let raw: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../data/catalogs/sp800-53r5-controls.json"))
                .expect("JSON");
        assert_eq!(raw.len(), catalog.controls.len());
        for (entry, control) in raw.iter().zip(catalog.controls) {
            assert_eq!(entry["label"].as_str(), Some(control.label));
            assert_eq!(entry["title"].as_str(), Some(control.title));
            assert_eq!(entry["withdrawn"].as_bool(), Some(control.withdrawn));
            assert_eq!(
                catalog.control(control.label).map(|c| c.label),
                Some(control.label)
            );
        }
    }

    #[test]
    fn the_catalog_answers_lookups() {
        let catalog = Catalog::get();
        let ac21 = catalog.control("AC-2(1)").expect("AC-2(1)");
        assert_eq!(ac21.title, "Automated System Account Management");
        assert_eq!(ac21.family_title, "Access Control");
        let ac2_10 = catalog.control("AC-2(10)").expect("AC-2(10)");
        assert!(ac2_10.withdrawn);
        assert_eq!(ac2_10.withdrawn_into, ["AC-2"]);
        assert_eq!(
            catalog.control("AC-13").expect("AC-13").withdrawn_into,
            ["AC-2", "AU-6"]
        );
        assert!(catalog.in_baseline(Baseline::FedrampModerate, "AC-2(1)"));
        assert!(!catalog.in_baseline(Baseline::FedrampLow, "AC-2(1)"));
        assert_eq!(catalog.nearest("AC-2(99)"), Some("AC-2"));
        assert_eq!(catalog.nearest("AC-200"), Some("AC-20"));
    }
}
