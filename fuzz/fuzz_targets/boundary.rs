//! Config JSON, slot text and the shim's lookup report, separated by a line `---`, through the
//! wasm boundary's functions run natively: its JSON must equal the core's decision.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::boundary(data));
