//! The original risk rating of an existing item changed.
//!
//! ## What it does
//! Reports a `risk` value that was recorded and then changed or removed (case differences do
//! not count), naming the commit that changed it.
//!
//! ## Why it matters
//! The Original Risk Rating is what the scanner or assessor said. Lowering it by editing the
//! field bypasses the deviation request the AO must approve.
//!
//! ## Example
//! ```yaml
//! # commit 1
//! risk: high
//! # commit 2
//! risk: moderate
//! ```
//!
//! ## How to fix
//! Restore `risk` and record the change as `deviations.risk_adjustment` with `adjusted_risk`,
//! a rationale and its status.
//!
//! ## Automatic fix
//! None: `poam lint --fix` leaves this finding to you.
//!
//! ## FedRAMP reference
//! FedRAMP POA&M Template Completion Guide, columns S–U: the original rating stays; adjusted
//! ratings need an approved risk adjustment.

use crate::history::audit::Run;
use crate::history::diff::same_value;
use crate::model::{Node, Value};

use super::history::{changed_write_once, field_values, Breach};

use super::{Check, Code, Rule, RuleSet, Severity};

pub(crate) const RULE: Rule = Rule {
    code: Code::RiskChanged,
    severity: Severity::Error,
    check: Check::History(check),
    sets: &[RuleSet::Rev5],
};

pub fn check(run: &Run, out: &mut Vec<Breach>) {
    for (at, before, after) in run.judged_pairs() {
        if changed_write_once(before, after, "risk", same_rating) {
            let (old, new) = field_values(before, after, "risk");
            let breach = Breach::new(Code::RiskChanged, at, "risk", old, new);
            let message = format!(
                "`risk` changed from {} to {}: the original rating is write-once; ratings move through `deviations.risk_adjustment`",
                breach.old_quoted(),
                breach.new_quoted()
            );
            out.push(breach.message(message).help(
                "restore `risk`; request the new rating through `deviations.risk_adjustment`",
            ));
        }
    }
}

/// Enumerated values: `High` and `high` are the same rating.
fn same_rating(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Str(x), Value::Str(y)) => x.trim().eq_ignore_ascii_case(y.trim()),
        _ => same_value(a, b),
    }
}
