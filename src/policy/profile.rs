//! Profiles: the set of FedRAMP rules a system is held to, chosen by `profile:` in `poam.yaml`.
//!
//! A profile owns its default deadlines, its required fields and the rule sets it checks
//! ([`Profile::rule_sets`]; each rule says which sets it is in, `RULE.sets` in its file), and
//! `crate::profiles` says what it means for the commands. Adding a profile means a variant
//! here, its tables below, its math beside `rev5` and `cr26`, its `crate::profiles`
//! implementation and its rule sets (docs/development.md, "Adding a profile", lists every step).

use serde::Serialize;
use strum::{EnumIter, IntoEnumIterator, IntoStaticStr};

use crate::code::RuleSet;

/// Remediation days per rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    pub critical: u32,
    pub high: u32,
    pub moderate: u32,
    pub low: u32,
}

impl Deadlines {
    /// FedRAMP Rev5 RA-5(d): High (and Critical) 30, Moderate 90, Low 180 days.
    pub const FEDRAMP_REV5: Deadlines = Deadlines {
        critical: 30,
        high: 30,
        moderate: 90,
        low: 180,
    };

    /// `dod-rmf`: CAT I 30 (kept in the Critical and High slots), CAT II 180 (Moderate),
    /// CAT III 365 days (Low): C-PAT's defaults (`api/Services/migrations/0011.js`), a common
    /// tool default, not DoD policy.
    pub const DOD_CAT: Deadlines = Deadlines {
        critical: 30,
        high: 30,
        moderate: 180,
        low: 365,
    };
}

/// The FedRAMP model a system follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, EnumIter, IntoStaticStr, Serialize)]
#[strum(serialize_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// The Rev5 POA&M: 30/90/180-day deadlines from detection, deviation requests, vendor
    /// dependencies (FedRAMP ConMon Strategy Guide, POA&M Template Completion Guide).
    #[default]
    FedrampRev5,
    /// FedRAMP Consolidated Rules 2026, VDR and VER: each vulnerability is evaluated (IRV,
    /// LEV, PAIN N-rating) and reduced within timeframes per class from evaluation; what will
    /// not be fixed within 192 days is accepted; monthly JSON reports.
    FedrampCr26,
    /// DoD RMF: POA&Ms kept in eMASS; CAT I/II/III deadlines from configuration (30/180/365
    /// days by default), capped by an IAVA's comply-by date; eMASS statuses, the templates'
    /// status-dependent required fields and their 5x5 risk matrix.
    DodRmf,
    /// CMMC Level 2 (32 CFR part 170): the POA&M of an assessment's NOT MET requirements
    /// (NIST SP 800-171 Rev 2), scored by the DoD Assessment Methodology (SPRS) and closed
    /// within 180 days of the Conditional CMMC Status Date (32 CFR 170.21).
    CmmcL2,
}

/// A CR26 certification class (Rev5 has classes B, C and D; Class A is 20x only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, EnumIter, IntoStaticStr, Serialize)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Cr26Class {
    B,
    #[default]
    C,
    D,
}

impl Cr26Class {
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<Cr26Class> {
        Cr26Class::iter().find(|c| c.name() == name.to_ascii_lowercase())
    }

    /// `B`, `C` or `D`, as FedRAMP writes it.
    pub fn label(self) -> &'static str {
        match self {
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
        }
    }
}

/// Required item fields of the Rev5 POA&M: the template columns FedRAMP rejects when blank.
const REV5_REQUIRED: &[&str] = &[
    "id",
    "title",
    "description",
    "controls",
    "detector",
    "detector_id",
    "assets",
    "owner",
    "remediation",
    "detected",
    "due",
    "risk",
    "milestones",
    "status",
];

/// Required item fields under DoD RMF: what every eMASS status needs (description, Office/Org
/// from `owner`, resources; the identification source and raw severity in `rmf:`), the
/// detector (Identification Source Details) and the detection date the deadline counts from.
const DOD_REQUIRED: &[&str] = &[
    "id",
    "title",
    "description",
    "detector",
    "owner",
    "resources",
    "detected",
    "status",
    "rmf",
];

/// The `deadlines:` keys of the FedRAMP profiles, and the slots of [`Deadlines`] each sets
/// (0 critical, 1 high, 2 moderate, 3 low).
const RATING_DEADLINE_KEYS: &[(&str, &[u8])] = &[
    ("critical", &[0]),
    ("high", &[1]),
    ("moderate", &[2]),
    ("low", &[3]),
];

/// The `deadlines:` keys of `dod-rmf`: CAT I sets the Critical and High slots.
const CAT_DEADLINE_KEYS: &[(&str, &[u8])] =
    &[("cat-i", &[0, 1]), ("cat-ii", &[2]), ("cat-iii", &[3])];

/// Required item fields under CMMC Level 2: the requirement the item plans to meet, the
/// assessment that found it (`detector`), who owns it, how and by when (milestones), as 32 CFR
/// 170.21 and an assessor read a POA&M.
const CMMC_L2_REQUIRED: &[&str] = &[
    "id",
    "title",
    "description",
    "requirement",
    "detector",
    "owner",
    "remediation",
    "detected",
    "milestones",
    "status",
];

/// Required item fields under CR26: what the vulnerability detail report needs
/// (`providerTrackingId`, `detection`, `vulnerabilityDescription`) plus a title and a status.
const CR26_REQUIRED: &[&str] = &[
    "id",
    "title",
    "description",
    "detector",
    "detected",
    "status",
];

impl Profile {
    pub fn name(self) -> &'static str {
        self.into()
    }

    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::iter().find(|p| p.name() == name)
    }

    pub fn names() -> Vec<&'static str> {
        Profile::iter().map(Profile::name).collect()
    }

    /// Remediation days per rating when `deadlines:` does not override them.
    pub fn default_deadlines(self) -> Deadlines {
        match self {
            // CR26 has no rating deadlines; `due` and `risk` are informational there.
            // Nor has CMMC: the POA&M closes 180 days after the Conditional status date.
            Profile::FedrampRev5 | Profile::FedrampCr26 | Profile::CmmcL2 => {
                Deadlines::FEDRAMP_REV5
            }
            Profile::DodRmf => Deadlines::DOD_CAT,
        }
    }

    /// The keys `deadlines:` takes under the profile, each with the slots of [`Deadlines`]
    /// it sets (0 critical, 1 high, 2 moderate, 3 low).
    pub fn deadline_keys(self) -> &'static [(&'static str, &'static [u8])] {
        match self {
            Profile::FedrampRev5 | Profile::FedrampCr26 | Profile::CmmcL2 => RATING_DEADLINE_KEYS,
            Profile::DodRmf => CAT_DEADLINE_KEYS,
        }
    }

    /// Whether the profile's timeframes depend on a certification class (`cr26.class`).
    pub fn needs_class(self) -> bool {
        matches!(self, Profile::FedrampCr26)
    }

    /// The rule sets the profile checks (`Code::rule_sets` says which sets each rule is in, as
    /// its file declares).
    pub fn rule_sets(self) -> &'static [RuleSet] {
        match self {
            Profile::FedrampRev5 => &[RuleSet::Common, RuleSet::Rev5],
            Profile::FedrampCr26 => &[RuleSet::Common, RuleSet::Cr26],
            Profile::DodRmf => &[RuleSet::Common, RuleSet::Dod],
            Profile::CmmcL2 => &[RuleSet::Common, RuleSet::Cmmc],
        }
    }

    /// Top-level item keys that must be present and non-empty.
    pub fn required_fields(self) -> &'static [&'static str] {
        match self {
            Profile::FedrampRev5 => REV5_REQUIRED,
            Profile::FedrampCr26 => CR26_REQUIRED,
            Profile::DodRmf => DOD_REQUIRED,
            Profile::CmmcL2 => CMMC_L2_REQUIRED,
        }
    }

    /// Whether the profile reads an assessment's results (`assessment.yaml` beside
    /// `poam.yaml`).
    pub fn needs_assessment(self) -> bool {
        matches!(self, Profile::CmmcL2)
    }
}

/// The settings deadline arithmetic reads: the profile with the config's overrides applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub profile: Profile,
    pub deadlines: Deadlines,
    pub vendor_checkin_days: u32,
    pub stale_days: u32,
    pub due_soon_days: u32,
    /// The CR26 class (`cr26.class`); read only under `fedramp-cr26`.
    pub class: Cr26Class,
    /// What the CMMC assessment (`assessment.yaml`) sets; read only under `cmmc-l2`.
    pub cmmc: CmmcPolicy,
}

/// The settings of a CMMC assessment that an item's deadline and points read: filled from
/// `assessment.yaml` when the workspace loads it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CmmcPolicy {
    /// The Conditional CMMC Status Date: open items close within 180 days of it.
    pub conditional_date: Option<chrono::NaiveDate>,
    /// 3.5.3 is implemented for remote and privileged users only (3 points, not 5).
    pub partial_mfa: bool,
    /// 3.13.11: encryption is employed but not FIPS-validated (3 points, not 5).
    pub partial_crypto: bool,
}

/// The default profile's defaults: what a bare folder of items is held to.
impl Default for Policy {
    fn default() -> Policy {
        Policy::of(Profile::default())
    }
}

impl Policy {
    /// A profile's defaults.
    pub fn of(profile: Profile) -> Policy {
        Policy {
            profile,
            deadlines: profile.default_deadlines(),
            vendor_checkin_days: 30,
            stale_days: 30,
            due_soon_days: 14,
            class: Cr26Class::default(),
            cmmc: CmmcPolicy::default(),
        }
    }
}
