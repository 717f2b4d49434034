//! Replays every input in `fuzz/regressions/<target>/` through the same harness the
//! fuzzers drive (`planspor::harness`): hand-written nasty cases plus every crash or
//! hang the fuzzers ever found. A panic here is a regression.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for p in &entries {
        let data = std::fs::read(p).unwrap();
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target} panics on {}", p.display());
    }
    entries.len()
}

#[test]
fn front_matter_inputs() {
    assert!(replay("front_matter", planspor::harness::front_matter) > 0);
}

#[test]
fn heading_attribute_inputs() {
    assert!(replay("heading_attributes", planspor::harness::heading_attributes) > 0);
}

#[test]
fn page_pipeline_inputs() {
    assert!(replay("page_pipeline", planspor::harness::page_pipeline) > 0);
    // The harness's scratch site.
    let _ = std::fs::remove_dir_all(
        std::env::temp_dir().join(format!("planspor-fuzz-{}", std::process::id())),
    );
}
