//! A count byte (mod 16) and slot record bytes (src/engine/event.rs) through the slot reader:
//! refused exactly when the records do not frame into that many, and each slot read as
//! serde_json reads its text.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::slots(data));
