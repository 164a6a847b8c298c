//! Any text through `phone::normalize` (E.164 out, idempotent, digits kept), the redactions and
//! `mfa::parse_timestamp`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::phone(data));
