//! Random edits of random item files through the editor: see fuzz/checks/edit.rs.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../checks/edit.rs"]
mod check;

fuzz_target!(|bytes: &[u8]| check::check(bytes));
