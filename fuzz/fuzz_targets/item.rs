//! Arbitrary bytes through the parser, the item model and every item rule of one file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok((text, node)) = poam::parse::parse_owned(bytes.to_vec()) else {
        return;
    };
    let item = poam::model::item::Item::from_node(&node, &text);
    let config = poam::config::Config::for_items_dir(std::path::Path::new("."));
    let source = poam::source::SourceFile::new("V-1.yaml".into(), text.clone());
    let Some(today) = chrono::NaiveDate::from_ymd_opt(2026, 11, 30) else {
        return;
    };
    for finding in poam::lint::check_item(&config, today, None, &source, &item, "V-1", None) {
        assert!(finding.location.span.end <= text.len());
    }
});
