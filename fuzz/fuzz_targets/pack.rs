//! The pack reader, libgit2 and the pack checksums on damaged packs: see fuzz/checks/pack.rs.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../checks/pack.rs"]
mod check;

fn checker() -> &'static check::Checker {
    static CHECKER: OnceLock<check::Checker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("poam-fuzz-pack-{}", std::process::id()));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/git/objects.sh");
        check::Checker::new(&root, &script)
    })
}

fuzz_target!(|data: &[u8]| checker().check(data));
