//! Deadline policy: the profiles and the assessment of one item as of `today`.
//!
//! Every date computed about an item (effective rating, clock start, policy deadline, days
//! left, excuses, check-in and status ages, effective milestone dates) is computed once, in
//! [`rev5::assess`], and read by the rules, the item view, reports and exports.

pub mod cmmc;
pub mod cr26;
pub mod dod;
pub mod profile;
pub mod rev5;

pub use cr26::VdrAssessment;
pub use profile::{CmmcPolicy, Cr26Class, Deadlines, Policy, Profile};
pub use rev5::{assess, days_between, Assessment};

use crate::config::Decision;
use crate::model::Node;

/// The decisions a profile adds to a change that makes the `common` decisions (each with its
/// field), for `decision-unauthorized`: under `dod-rmf`, closing or risk-accepting an item that
/// is CAT I before or after the change is also a `cat-i` decision (so lowering the severity in
/// the same commit does not escape it). `before` is `None` for an item's first version.
pub fn profile_decisions(
    profile: Profile,
    before: Option<&Node>,
    after: &Node,
    common: &[(Decision, &str)],
) -> Vec<(Decision, String)> {
    match profile {
        Profile::DodRmf => {
            let cat_i = dod::is_cat_i(after) || before.is_some_and(dod::is_cat_i);
            if !cat_i {
                return Vec::new();
            }
            common
                .iter()
                .filter(|(decision, field)| {
                    *decision == Decision::Close
                        || (*decision == Decision::Accept && *field == "rmf.risk_accepted")
                })
                .map(|(_, field)| (Decision::CatI, (*field).to_owned()))
                .collect()
        }
        Profile::FedrampRev5 | Profile::FedrampCr26 | Profile::CmmcL2 => Vec::new(),
    }
}

/// The roles a profile reserves a decision to when `approvals:` does not name the decision:
/// under `dod-rmf`, a CAT I decision is the `cat-i-approver`'s (C-PAT's separate CAT I
/// approver). `None`: anybody's, as for any decision `approvals:` does not name.
pub fn default_decision_roles(
    profile: Profile,
    decision: Decision,
) -> Option<&'static [&'static str]> {
    match (profile, decision) {
        (Profile::DodRmf, Decision::CatI) => Some(&["cat-i-approver"]),
        _ => None,
    }
}
