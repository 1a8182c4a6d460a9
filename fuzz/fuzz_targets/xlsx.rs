//! Mutated workbooks through `poam import xlsx`'s reader: imported rows, row problems or an
//! error, never a panic; memory stays bounded (libFuzzer's `-rss_limit_mb`, 2 GB in `.ci/run`),
//! since the reader streams cells and refuses sheets past the template's reach.
#![no_main]

use libfuzzer_sys::fuzz_target;
use poam::import::xlsx::{read_bytes, ImportOptions};

fuzz_target!(|bytes: &[u8]| {
    let path = std::path::Path::new("fuzz.xlsx");
    let options = ImportOptions {
        include_example: true,
    };
    if let Ok(imported) = read_bytes(bytes, path, options) {
        for row in &imported.rows {
            assert!(!row.id.is_empty());
            assert!(row.id.len() <= poam::import::xlsx::MAX_ID_BYTES);
        }
    }
});
