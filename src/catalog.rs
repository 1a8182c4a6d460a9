//! The built-in control catalog: NIST SP 800-53 Rev 5 controls (titles, families, withdrawn
//! flags and what a withdrawn control went into) and the FedRAMP Rev5 baselines.
//!
//! The tables are the derived JSON files in `data/catalogs/` (origin in its SOURCES.md),
//! embedded in the binary and read into hash maps once, on first use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

const CONTROLS_JSON: &str = include_str!("../data/catalogs/sp800-53r5-controls.json");
const BASELINES_JSON: &str = include_str!("../data/catalogs/fedramp-rev5-baselines.json");

/// One control or enhancement of SP 800-53 Rev 5.
#[derive(Clone, Debug, Deserialize)]
pub struct Control {
    /// The canonical label: `AC-2(1)`.
    pub label: String,
    pub title: String,
    /// `AC`.
    pub family: String,
    /// `Access Control`.
    pub family_title: String,
    pub withdrawn: bool,
    /// Labels of the controls a withdrawn one was incorporated into or moved to (or a
    /// family's code, `SR`, when it moved to a whole family).
    pub withdrawn_into: Vec<String>,
}

/// The file's shape: `withdrawn_into` holds OSCAL ids (`ac-2.1`), turned into labels on load.
#[derive(Deserialize)]
struct RawControl {
    id: String,
    label: String,
    title: String,
    family: String,
    family_title: String,
    withdrawn: bool,
    withdrawn_into: Vec<String>,
}

#[derive(Deserialize)]
struct RawBaselines {
    low: Vec<String>,
    moderate: Vec<String>,
    high: Vec<String>,
    #[serde(rename = "li-saas")]
    li_saas: Vec<String>,
}

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
    pub controls: Vec<Control>,
    by_label: HashMap<String, usize>,
    low: HashSet<String>,
    moderate: HashSet<String>,
    high: HashSet<String>,
    li_saas: HashSet<String>,
}

impl Catalog {
    /// The built-in catalog, read once.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog::from_json(CONTROLS_JSON, BASELINES_JSON))
    }

    /// Reads the two derived files. They are embedded and checked by tests, so a broken file
    /// is a build defect: it yields an empty catalog rather than a panic.
    fn from_json(controls: &str, baselines: &str) -> Catalog {
        let raw: Vec<RawControl> = serde_json::from_str(controls).unwrap_or_default();
        let label_of: HashMap<&str, &str> = raw
            .iter()
            .map(|c| (c.id.as_str(), c.label.as_str()))
            .collect();
        let controls: Vec<Control> = raw
            .iter()
            .map(|c| Control {
                label: c.label.clone(),
                title: c.title.clone(),
                family: c.family.clone(),
                family_title: c.family_title.clone(),
                withdrawn: c.withdrawn,
                withdrawn_into: c
                    .withdrawn_into
                    .iter()
                    .map(|id| {
                        // A control's id becomes its label; a family's (`sr`) its code (`SR`).
                        label_of
                            .get(id.as_str())
                            .map_or_else(|| id.to_ascii_uppercase(), |l| (*l).to_owned())
                    })
                    .collect(),
            })
            .collect();
        let by_label = controls
            .iter()
            .enumerate()
            .map(|(index, c)| (c.label.clone(), index))
            .collect();
        let baselines: Option<RawBaselines> = serde_json::from_str(baselines).ok();
        let set = |pick: fn(&RawBaselines) -> &Vec<String>| -> HashSet<String> {
            baselines
                .as_ref()
                .map(|b| pick(b).iter().cloned().collect())
                .unwrap_or_default()
        };
        Catalog {
            by_label,
            low: set(|b| &b.low),
            moderate: set(|b| &b.moderate),
            high: set(|b| &b.high),
            li_saas: set(|b| &b.li_saas),
            controls,
        }
    }

    /// The control with this canonical label (`AC-2(1)`).
    pub fn control(&self, label: &str) -> Option<&Control> {
        self.by_label.get(label).map(|&index| &self.controls[index])
    }

    /// True when `label` is in `baseline` (every control is in `none`).
    pub fn in_baseline(&self, baseline: Baseline, label: &str) -> bool {
        match baseline {
            Baseline::FedrampLow => self.low.contains(label),
            Baseline::FedrampModerate => self.moderate.contains(label),
            Baseline::FedrampHigh => self.high.contains(label),
            Baseline::FedrampLiSaas => self.li_saas.contains(label),
            Baseline::None => true,
        }
    }

    /// How many controls `baseline` holds (`none`: the whole catalog).
    #[cfg(test)]
    fn baseline_len(&self, baseline: Baseline) -> usize {
        match baseline {
            Baseline::FedrampLow => self.low.len(),
            Baseline::FedrampModerate => self.moderate.len(),
            Baseline::FedrampHigh => self.high.len(),
            Baseline::FedrampLiSaas => self.li_saas.len(),
            Baseline::None => self.controls.len(),
        }
    }

    /// The known control nearest to an unknown `label`: the base control of an unknown
    /// enhancement (`AC-2(99)` → `AC-2`), else the closest spelling in the same family.
    pub fn nearest(&self, label: &str) -> Option<&str> {
        if let Some((base, _)) = label.split_once('(') {
            if let Some(control) = self.control(base) {
                return Some(&control.label);
            }
        }
        let family = label.split('-').next().unwrap_or("");
        self.controls
            .iter()
            .filter(|c| c.family == family || family.is_empty())
            .map(|c| (strsim::damerau_levenshtein(label, &c.label), &c.label))
            .filter(|(distance, _)| *distance <= 2)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, l)| l.as_str())
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
        let families: HashSet<&str> = catalog.controls.iter().map(|c| c.family.as_str()).collect();
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
        for set in [
            &catalog.low,
            &catalog.moderate,
            &catalog.high,
            &catalog.li_saas,
        ] {
            for label in set {
                let control = catalog
                    .control(label)
                    .expect("a baseline control is in the catalog");
                assert!(!control.withdrawn, "{label}");
            }
        }
        // Every label is canonical, and every withdrawn control points at known ones.
        for control in &catalog.controls {
            assert_eq!(
                canonical_control(&control.label).as_deref(),
                Some(control.label.as_str())
            );
            for into in &control.withdrawn_into {
                assert!(
                    catalog.control(into).is_some() || families.contains(into.as_str()),
                    "{} → {into}",
                    control.label
                );
            }
        }
        let raw: serde_json::Value = serde_json::from_str(CONTROLS_JSON).expect("JSON");
        assert_eq!(raw.as_array().map(Vec::len), Some(1189));
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
