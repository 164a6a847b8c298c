//! Any text as a configuration: `compile_str` and `validateConfig` agree, every issue says where
//! and how to fix it, a valid configuration decides sample logins within the promises.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::config(data));
