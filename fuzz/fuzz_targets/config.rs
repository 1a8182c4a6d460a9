//! Arbitrary bytes as `poam.yaml`: every outcome is a configuration or a located error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let file = std::path::Path::new("/nonexistent-poam-fuzz/poam.yaml");
    if let Err(poam::error::Error::Config(error)) = poam::config::Config::from_bytes(file, bytes) {
        for problem in &error.problems {
            assert!(problem.span.end <= error.source.text.len());
        }
    }
});
