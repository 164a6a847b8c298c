//! Inputs that once broke a promise of the core, minimized, each with the fix it needed. Found by
//! the fuzz targets (`./build.sh fuzz`) and the property tests; each runs through the same driver
//! in `invariants` that found it, and checks the fixed behaviour directly.

use crate::config::{CompiledConfig, IssueCode};
use crate::engine::{LookupOutcome, Plan};
use crate::event::EventView;
use crate::invariants::{self, PART_SEPARATOR};
use serde_json::json;

/// Fuzz target `config`, 122 046 executions in: `{"": 1}` gave an unknown-key issue whose `at`
/// was empty (and `phone.` for the same key inside `phone`), so it said nowhere where the
/// problem was. Fixed in `Compiler::unknown_keys`: an empty key is shown as `""`.
#[test]
fn an_empty_unknown_key_is_located() {
    invariants::config(br#"{"":1}"#);
    invariants::config(
        br#"{"phone":{"":1},"idToken":{"https://a.example.com/x":{"path":"user.email","":1}}}"#,
    );
    let Err(issues) = CompiledConfig::compile_str(r#"{"":1,"phone":{"":true}}"#) else {
        panic!("unknown keys must be refused");
    };
    let places: Vec<(&str, IssueCode)> = issues.iter().map(|i| (i.at.as_str(), i.code)).collect();
    assert_eq!(
        places,
        [
            ("\"\"", IssueCode::UnknownKey),
            ("phone.\"\"", IssueCode::UnknownKey)
        ]
    );
    assert_eq!(issues[0].message, "unknown key `\"\"`");
}

/// Found by the `login` driver's plan/finish agreement check: without a usable user.user_id the
/// plan skips the `mfa` source, but finish() handed a lookup used it and emitted a verified
/// number the plan would never have asked for. Fixed in `engine::mfa_number`: the user id is
/// checked before the lookup's outcome, as enrolledFactors already was.
#[test]
fn finish_agrees_with_plan_when_the_user_id_is_missing() {
    let config = r#"{"phone":{"sources":["mfa","app_metadata"]}}"#;
    let lookup =
        r#"[{"id":"phone|1","type":"phone","confirmed":true,"phone_number":"+14155550123"}]"#;
    for user in [
        json!({"app_metadata": {"phone_number": "+44 20 7946 0958"}}),
        json!({"user_id": 7}),
        json!({"user_id": ""}),
    ] {
        let event = json!({"transaction": {"requested_scopes": ["phone"]}, "user": user});
        let input = [config, &event.to_string(), lookup].join(PART_SEPARATOR);
        invariants::login(input.as_bytes());

        let Ok(compiled) = CompiledConfig::compile_str(config) else {
            panic!("valid config");
        };
        let view = EventView::from_event(&event, compiled.paths());
        let Plan::Done(planned) = compiled.plan(&view) else {
            panic!("no user id, no lookup");
        };
        let response = serde_json::from_str(lookup).unwrap_or_default();
        let finished = compiled.finish(&view, &LookupOutcome::Methods(response));
        assert_eq!(finished, planned, "{user}");
    }
}

/// Found by the `handler` driver once slots were scanned instead of parsed by serde_json: a
/// number past f64's range (`1e999`, which JSON.stringify never writes) passed the scanner, the
/// verdict set its claim, and the rendered decision (serde_json) could not hold it. Fixed in
/// `json::Scanner::number`: such a number is refused, so the slot is unsupported.
#[test]
fn a_number_beyond_a_double_is_an_unsupported_slot() {
    let config = r#"{"idToken":{"https://my-app.example.com/plan":"user.app_metadata.plan"}}"#;
    let Ok(compiled) = CompiledConfig::compile_str(config) else {
        panic!("valid config");
    };
    let lines = vec!["1e999"; compiled.paths().len()].join("\n");
    invariants::handler([config, &lines, ""].join(PART_SEPARATOR).as_bytes());
    let Ok(view) = EventView::from_slot_bytes(invariants::slot_records("1e999"), 1) else {
        panic!("one record");
    };
    assert_eq!(
        view.slot(0),
        crate::event::Slot::Fault(crate::event::SlotFault::Unsupported)
    );
}
