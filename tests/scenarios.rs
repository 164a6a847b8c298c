//! The login scenario table (tests/scenarios/logins.json) on the native build. The same table
//! runs in Node and headless Chromium through tests/common/mod.rs.
#![cfg(not(target_arch = "wasm32"))]
#[path = "scenarios/runner.rs"]
mod runner;

#[test]
fn login_scenarios_decide_as_the_table_says() {
    assert!(runner::run_all() >= 15);
}

/// Slots that cannot be framed (the shim's bug) are answered with the FAULT bit alone, and the
/// reason is taken once; the handler decides the next login as if nothing happened.
#[test]
fn a_fault_says_why_once_and_spoils_nothing() {
    use login_claims::wasm::JsCompiledConfig;
    let Ok(mut compiled) = JsCompiledConfig::with_options("{}", Some(&[])) else {
        panic!("the default configuration compiles");
    };
    // An unknown tag, then a record too few: neither frames into the configuration's slots.
    for records in [&[7u8][..], &[]] {
        let buffer = compiled.slot_buffer(records.len().max(1));
        // SAFETY: `slotBuffer(n)` lends at least n writable bytes until the handler's next call.
        unsafe { std::slice::from_raw_parts_mut(buffer, records.len()) }.copy_from_slice(records);
        let status = compiled.decide(records.len(), false, 0.0);
        assert_eq!(status, runner::status::FAULT, "{records:?}");
        let reason = compiled.take_fault().unwrap_or_default();
        assert!(reason.contains("slot"), "{reason}");
        assert_eq!(compiled.take_fault(), None, "the reason is taken once");
    }
    // A length past the buffer is a fault too.
    assert_eq!(compiled.decide(1 << 20, false, 0.0), runner::status::FAULT);
    assert!(compiled
        .take_fault()
        .is_some_and(|reason| reason.contains("past the slot buffer")));
    // Every path missing: decided, the answer's flags only.
    let layout: serde_json::Value = serde_json::from_str(&compiled.layout_json()).unwrap();
    let missing = vec![0u8; layout["paths"].as_array().map_or(0, Vec::len)];
    assert!(!missing.is_empty());
    let buffer = compiled.slot_buffer(missing.len());
    // SAFETY: as above.
    unsafe { std::slice::from_raw_parts_mut(buffer, missing.len()) }.copy_from_slice(&missing);
    assert_eq!(compiled.decide(missing.len(), false, 0.0), 0);
    assert_eq!(compiled.take_fault(), None);
    // A reason nobody took is not the next login's: a decided login clears it.
    assert_eq!(compiled.decide(1 << 20, false, 0.0), runner::status::FAULT);
    assert_eq!(compiled.decide(missing.len(), false, 0.0), 0);
    assert_eq!(
        compiled.take_fault(),
        None,
        "a stale reason outlived a decided login"
    );
}
