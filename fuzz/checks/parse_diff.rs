//! The `parse-diff` check, shared by the fuzz target (fuzz/fuzz_targets/parse_diff.rs) and its
//! regression test (tests/it/fuzz_regressions.rs): the fast path and the full parser give the
//! same tree, or the fast path gives up.

pub fn check(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Err(difference) = poam::parse::check_fast_path(text) {
        panic!("{difference}");
    }
}
