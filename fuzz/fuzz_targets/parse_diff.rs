//! The fast path against the full parser: see fuzz/checks/parse_diff.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/parse_diff.rs"]
mod check;

fuzz_target!(|bytes: &[u8]| check::check(bytes));
