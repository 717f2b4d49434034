#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| planspor::harness::heading_attributes(data));
