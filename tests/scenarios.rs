//! The login scenario table (tests/scenarios/logins.json) on the native build. The same table
//! runs in Node and headless Chromium through tests/common/mod.rs.
#![cfg(not(target_arch = "wasm32"))]
#[path = "scenarios/runner.rs"]
mod runner;

#[test]
fn login_scenarios_decide_as_the_table_says() {
    assert!(runner::run_all() >= 15);
}
