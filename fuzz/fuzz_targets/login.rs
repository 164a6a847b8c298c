//! Config JSON, event JSON and lookup JSON (a JSON string is a failure code), separated by a line
//! `---`: compile, `EventView::from_event`, plan and finish, every promise checked.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| login_claims::invariants::login(data));
