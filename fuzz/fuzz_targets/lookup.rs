//! A flags byte and a raw response sequence (see src/invariants/script.rs) through the
//! Management API lookup machine.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::lookup(data));
