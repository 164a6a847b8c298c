//! A flags byte and a raw response sequence (see src/invariants/script.rs) through one Twilio
//! Verify call: a send with or without a locale, or an approve.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::verify(data));
