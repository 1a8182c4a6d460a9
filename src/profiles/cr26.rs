//! `fedramp-cr26`: FedRAMP's 2026 vulnerability detection and response rules (evaluation,
//! N-ratings with IRV/LEV, reductions within the class's timeframes, accepted vulnerabilities).

use super::SystemProfile;

pub struct Cr26;

impl SystemProfile for Cr26 {
    fn name(&self) -> &'static str {
        crate::policy::Profile::FedrampCr26.name()
    }
}
