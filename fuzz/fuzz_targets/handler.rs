//! Config JSON, slot text and a response sequence, separated by a line `---`, through the
//! post-login handler: a decided login, or a lookup driven through the responses to its decision.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::handler(data));
