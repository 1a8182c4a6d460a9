//! `fedramp-rev5`: the Rev5 POA&M (30/90/180 days, deviation requests, vendor dependencies,
//! milestones, escalation triggers).

use super::SystemProfile;

pub struct Rev5;

impl SystemProfile for Rev5 {
    fn name(&self) -> &'static str {
        crate::policy::Profile::FedrampRev5.name()
    }
}
