//! The wasm boundary as JavaScript sees it. Compiled twice: `tests/node.rs` runs it in Node,
//! `tests/browser.rs` in headless Chromium.

use js_sys::{Array, Object, Reflect, Uint8Array};
use login_claims::wasm::{validate_config, JsCompiledConfig, JsLogin};
use serde_json::{json, Value};
use wasm_bindgen::convert::TryFromJsValue;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn compile(config: Value) -> JsCompiledConfig {
    match JsCompiledConfig::new(&config.to_string(), JsValue::UNDEFINED) {
        Ok(compiled) => compiled,
        Err(_) => panic!("config should compile: {config}"),
    }
}

/// A JSON value as JavaScript has it (plain objects, as JSON.parse makes them).
fn js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

/// A plan that decided: its JSON.
fn decided(planned: JsValue) -> Value {
    serde_json::from_str(&planned.as_string().expect("decided without a lookup")).unwrap()
}

/// Drives a `Login` from JavaScript values as the shim does: the secrets of a static token, and
/// `answer` for every request (its URL given). Returns the decision JSON and the steps seen.
fn drive_login(planned: JsValue, answer: impl Fn(&str) -> Value) -> (Value, Vec<String>) {
    assert!(planned.as_string().is_none(), "a lookup was expected");
    let mut login = JsLogin::try_from_js_value(planned)
        .ok()
        .expect("a Login object");
    let kinds = drive(&mut login, answer);
    let decision = serde_json::from_str(&login.decision().ok().expect("done")).unwrap();
    (decision, kinds)
}

/// Steps a `Login` to `done` as [`drive_login`] does; the steps seen.
fn drive(login: &mut JsLogin, answer: impl Fn(&str) -> Value) -> Vec<String> {
    let mut kinds = Vec::new();
    let mut now = 1_000.0;
    for _ in 0..50 {
        let step = login.next(now);
        let kind = get(&step, "kind").as_string().unwrap_or_default();
        kinds.push(kind.clone());
        match kind.as_str() {
            "done" => break,
            "secrets" => login.secrets(js(&json!(["tenant.example.com", null, null, null, "tok"]))),
            "send" => {
                let url = get(&step, "url").as_string().unwrap_or_default();
                now += 10.0;
                login.received(js(&answer(&url)));
            }
            "wait" => now = get(&step, "untilMs").as_f64().unwrap_or(now),
            "cacheGet" => login.cached(JsValue::UNDEFINED),
            _ => {}
        }
    }
    kinds
}

/// Slot records for an event, read the way the JS shim reads it (the scenario runner's reader).
fn slots(compiled: &JsCompiledConfig, event: &Value) -> Vec<u8> {
    scenarios::slots_for(compiled, event)
}

/// The wasm memory as the shim sees it: a byte view of `WebAssembly.Memory.buffer`, made anew
/// each time (the buffer is replaced when the memory grows).
fn memory_bytes() -> Uint8Array {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    Uint8Array::new(&memory.buffer())
}

/// One login through the hot path, as the shim runs it: the records written into the buffer
/// `slotBuffer(n)` lends through the memory view, then `decide(n, ...)`. The status, or the
/// error thrown.
/// Its status, or (for [`FAULT`]) the reason `takeFault` gives.
fn decide(compiled: &mut JsCompiledConfig, records: &[u8]) -> Result<u32, String> {
    let at = compiled.slot_buffer(records.len()) as u32;
    memory_bytes().set(&Uint8Array::from(records), at);
    fault_or_status(compiled, records.len())
}

/// `decide` on the first `length` bytes of the slot buffer: the status, or the fault's reason.
fn fault_or_status(compiled: &JsCompiledConfig, length: usize) -> Result<u32, String> {
    let status = compiled.decide(length, false, 0.0);
    if status & FAULT == 0 {
        return Ok(status);
    }
    assert_eq!(status, FAULT, "a fault decides nothing else");
    let reason = compiled.take_fault().expect("a fault says why");
    assert_eq!(compiled.take_fault(), None, "the reason is taken once");
    Err(reason)
}

/// `length` bytes of the answer buffer, read through the memory view.
fn answer(compiled: &JsCompiledConfig, length: usize) -> Vec<u8> {
    let at = compiled.answer_buffer() as u32;
    memory_bytes().subarray(at, at + length as u32).to_vec()
}

/// The `code` of a thrown error (which must be an `Error`).
fn error_code(error: &JsValue) -> String {
    assert!(error.is_instance_of::<js_sys::Error>(), "{error:?}");
    get(error, "code").as_string().unwrap_or_default()
}

/// The status bits of `decide` and `Login.verdict` (src/boundary/post_login.rs `status`; that
/// module is not reachable from outside the crate, so the documented values).
use scenarios::status::{FAULT, LOG, LOOKUP, LOOKUP_FAILED, PHONE, VERIFIED};

#[wasm_bindgen_test]
fn invalid_config_is_a_real_error_with_code_and_plain_issues() {
    let config = json!({"idToken": {"roles": "authorization.roles"}, "accessToken": {"email": "user.email"}});
    let Err(error) = JsCompiledConfig::new(&config.to_string(), JsValue::UNDEFINED) else {
        panic!("must be refused");
    };
    let error: JsValue = error.into();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&error, "code").as_string().as_deref(),
        Some("CONFIG_INVALID")
    );
    let message = get(&error, "message").as_string().unwrap_or_default();
    assert!(message.contains("roles"), "{message}");
    let issues = get(&error, "issues");
    assert!(Array::is_array(&issues));
    let issues: Array = issues.unchecked_into();
    assert_eq!(issues.length(), 2);
    for issue in issues.iter() {
        // Plain objects, not Maps: the prototype is Object.prototype.
        assert_eq!(
            Object::get_prototype_of(&issue),
            Object::get_prototype_of(&Object::new())
        );
        assert!(get(&issue, "fix")
            .as_string()
            .is_some_and(|f| !f.is_empty()));
    }
    let codes: Vec<String> = issues
        .iter()
        .map(|i| get(&i, "code").as_string().unwrap_or_default())
        .collect();
    // idToken entries are checked before accessToken entries.
    assert_eq!(
        codes,
        ["restricted_claim", "standard_claim_in_access_token"]
    );
}

#[wasm_bindgen_test]
fn non_json_config_is_refused() {
    let Err(error) = JsCompiledConfig::new("{not json", JsValue::UNDEFINED) else {
        panic!("must be refused");
    };
    let error: JsValue = error.into();
    assert_eq!(
        get(&error, "code").as_string().as_deref(),
        Some("CONFIG_INVALID")
    );
}

#[wasm_bindgen_test]
fn wrong_slot_count_is_input_invalid() {
    let compiled = compile(json!({}));
    let mut records = slots(&compiled, &json!({}));
    // One missing record more than there are paths.
    records.push(0);
    let Err(error) = compiled.plan(&records, true, 0.0) else {
        panic!("must be refused");
    };
    let error: JsValue = error.into();
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(
        get(&error, "code").as_string().as_deref(),
        Some("INPUT_INVALID")
    );
}

#[wasm_bindgen_test]
fn passwordless_login_decided_without_lookup() {
    let compiled = compile(
        json!({"accessToken": {"https://my-app.example.com/roles": "authorization.roles"}}),
    );
    let event = json!({
        "user": {"user_id": "sms|65f0", "phone_number": "+14155550123", "phone_verified": true},
        "transaction": {"requested_scopes": ["openid", "phone"]},
        "authorization": {"roles": ["admin", "editor"]}
    });
    let out = decided(compiled.plan(&slots(&compiled, &event), true, 0.0).unwrap());
    assert_eq!(
        out["idToken"],
        json!({"phone_number": "+14155550123", "phone_number_verified": true})
    );
    assert_eq!(
        out["accessToken"],
        json!({"https://my-app.example.com/roles": ["admin", "editor"]})
    );
    assert_eq!(out["lookupFailed"], false);
}

#[wasm_bindgen_test]
fn mfa_user_is_looked_up_through_the_steps_the_shim_performs() {
    let compiled = compile(json!({}));
    let event = json!({
        "user": {"user_id": "auth0|65f1", "enrolledFactors": [{"type": "phone"}, {"type": "otp"}]},
        "transaction": {"requested_scopes": ["openid", "phone"]}
    });
    let records = slots(&compiled, &event);
    let methods = json!([
        {"id": "totp|dev_1", "type": "totp", "confirmed": true},
        {"id": "phone|dev_2", "type": "phone", "confirmed": true, "phone_number": "+447700900123", "preferred_authentication_method": "sms"}
    ]);
    let (done, kinds) = drive_login(compiled.plan(&records, true, 1_000.0).unwrap(), |url| {
        assert_eq!(url, "https://tenant.example.com/api/v2/users/auth0%7C65f1/authentication-methods?page=0&per_page=50&include_totals=true");
        json!({"kind": "response", "status": 200, "headers": [["content-type", "application/json"]], "body": {"json": methods}})
    });
    assert_eq!(kinds, ["secrets", "send", "done"]);
    assert_eq!(
        done["idToken"],
        json!({"phone_number": "+447700900123", "phone_number_verified": true})
    );
    assert_eq!(done["lookupFailed"], false);
    let (failed, _) = drive_login(
        compiled.plan(&records, true, 1_000.0).unwrap(),
        |_| json!({"kind": "failed", "error": "timeout"}),
    );
    assert_eq!(failed["idToken"], json!({}));
    assert_eq!(failed["lookupFailed"], true);
    assert!(failed["log"]
        .as_str()
        .unwrap()
        .starts_with("phone lookup failed (mgmt_timeout)"));
    // Whatever comes back that is no outcome at all is no response, never an exception.
    let (junk, _) = drive_login(compiled.plan(&records, true, 1_000.0).unwrap(), |_| {
        json!(42)
    });
    assert_eq!(junk["lookupFailed"], true);
}

#[wasm_bindgen_test]
fn proto_keys_stay_data() {
    let compiled =
        compile(json!({"idToken": {"https://x.example.com/meta": "user.app_metadata.m"}}));
    let event = json!({"user": {"app_metadata": {"m": {"__proto__": {"polluted": true}}}}, "transaction": {"requested_scopes": ["openid"]}});
    let text = compiled.plan(&slots(&compiled, &event), true, 0.0).unwrap();
    let parsed = js_sys::JSON::parse(&text.as_string().unwrap()).unwrap();
    let claims = get(&get(&parsed, "idToken"), "https://x.example.com/meta");
    // JSON.parse defines __proto__ as an own data property; the prototype is untouched.
    assert!(get(&Object::new(), "polluted").is_undefined());
    assert!(Object::get_prototype_of(&claims) == Object::get_prototype_of(&Object::new()));
    assert!(Reflect::has(&claims, &JsValue::from_str("__proto__")).unwrap_or(false));
}

#[wasm_bindgen_test]
fn validate_config_never_throws() {
    let valid: Value = serde_json::from_str(&validate_config("{}")).unwrap();
    assert_eq!(
        valid,
        json!({"ok": true, "issues": [], "managementApi": true})
    );
    for text in ["[1,2]", "\u{0}"] {
        let report: Value = serde_json::from_str(&validate_config(text)).unwrap();
        assert_eq!(report["ok"], false);
        assert_eq!(report["issues"][0]["code"], "not_an_object");
        assert_eq!(report["issues"][0]["severity"], "error");
    }
    // A doubt is a warning: the configuration is still ok.
    let report: Value = serde_json::from_str(&validate_config(
        r#"{"idToken":{"https://my-app.example.com/auth0.com":"user.email"}}"#,
    ))
    .unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["issues"][0]["code"], "namespace_lookalike");
    assert_eq!(report["issues"][0]["severity"], "warning");
}

#[wasm_bindgen_test]
fn a_missing_management_api_setup_is_logged_once_and_never_a_fault() {
    let config = compile(json!({}));
    let event = json!({
        "user": {"user_id": "auth0|1", "app_metadata": {"phone_number": "+44 (0)20 7946 0958"}},
        "transaction": {"requested_scopes": ["openid", "phone"]}
    });
    let records = slots(&config, &event);
    let run = || {
        let planned = config.plan(&records, true, 0.0).unwrap();
        let mut login = JsLogin::try_from_js_value(planned)
            .ok()
            .expect("a Login object");
        assert_eq!(
            get(&login.next(0.0), "kind").as_string().as_deref(),
            Some("secrets")
        );
        login.secrets(JsValue::UNDEFINED);
        assert_eq!(
            get(&login.next(0.0), "kind").as_string().as_deref(),
            Some("done")
        );
        serde_json::from_str::<Value>(&login.decision().ok().unwrap()).unwrap()
    };
    let first = run();
    assert_eq!(first["lookupFailed"], false);
    assert_eq!(first["idToken"]["phone_number"], "+442079460958");
    assert!(first["log"].as_str().unwrap().contains("AUTH0_DOMAIN"));
    let second = run();
    assert!(
        second.get("log").is_none(),
        "said once per instance: {second}"
    );
}

/// Two custom claims, one per token: the answer buffer's flags, in layout order.
fn two_claims() -> JsCompiledConfig {
    let compiled = compile(json!({
        "idToken": {"https://my-app.example.com/plan": "user.app_metadata.plan"},
        "accessToken": {"https://my-app.example.com/roles": "authorization.roles"}
    }));
    let layout: Value = serde_json::from_str(&compiled.layout_json()).unwrap();
    let claims: Vec<(&str, &str)> = layout["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["token"].as_str().unwrap(), c["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        claims,
        [
            ("idToken", "https://my-app.example.com/plan"),
            ("accessToken", "https://my-app.example.com/roles")
        ]
    );
    compiled
}

#[wasm_bindgen_test]
fn the_hot_path_answers_in_status_bits_and_answer_bytes() {
    let mut compiled = two_claims();
    let event = json!({
        "user": {"user_id": "sms|65f0", "phone_number": "+14155550123", "phone_verified": true, "app_metadata": {"plan": "pro"}},
        "transaction": {"requested_scopes": ["openid", "phone"]}
    });
    let records = slots(&compiled, &event);
    let status = decide(&mut compiled, &records).unwrap();
    assert_eq!(status, PHONE | VERIFIED | 12 << 8, "{status:#x}");
    let mut expected = vec![1, 0];
    expected.extend_from_slice(b"+14155550123");
    assert_eq!(answer(&compiled, 2 + 12), expected);

    // The next login on the same handler rewrites every flag: the other claim only, no phone
    // scope, an unverified number.
    let event = json!({
        "user": {"user_id": "sms|65f0", "phone_number": "+14155550123", "phone_verified": false},
        "transaction": {"requested_scopes": ["openid"]},
        "authorization": {"roles": ["admin"]}
    });
    let records = slots(&compiled, &event);
    let status = decide(&mut compiled, &records).unwrap();
    assert_eq!(status, 0, "{status:#x}");
    assert_eq!(answer(&compiled, 2), [0, 1]);
    assert_eq!(compiled.take_log(), None);
    assert_eq!(compiled.trace_json(), "[]", "no trace unless explained");

    // Both claims, and a number that is not verified: PHONE without VERIFIED.
    let event = json!({
        "user": {"user_id": "sms|65f0", "phone_number": "+1 415 555 0199", "phone_verified": false, "app_metadata": {"plan": "pro"}},
        "transaction": {"requested_scopes": ["openid", "phone"]},
        "authorization": {"roles": ["admin"]}
    });
    let records = slots(&compiled, &event);
    let status = decide(&mut compiled, &records).unwrap();
    assert_eq!(status, PHONE | 12 << 8, "{status:#x}");
    let mut expected = vec![1, 1];
    expected.extend_from_slice(b"+14155550199");
    assert_eq!(answer(&compiled, 2 + 12), expected);
}

#[wasm_bindgen_test]
fn the_hot_path_hands_over_a_login_that_answers_its_verdict_in_the_buffer() {
    let mut compiled = compile(json!({}));
    let event = json!({
        "user": {"user_id": "auth0|65f1", "enrolledFactors": [{"type": "phone"}]},
        "transaction": {"requested_scopes": ["openid", "phone"]}
    });
    let records = slots(&compiled, &event);
    let methods = json!([
        {"id": "phone|dev_2", "type": "phone", "confirmed": true, "phone_number": "+447700900123"}
    ]);
    assert_eq!(decide(&mut compiled, &records), Ok(LOOKUP));
    let mut login = compiled.take_login().ok().expect("the login that waits");
    let Err(error) = compiled.take_login() else {
        panic!("handed over twice");
    };
    assert_eq!(error_code(&error.into()), "INPUT_INVALID");
    drive(
        &mut login,
        |_| json!({"kind": "response", "status": 200, "headers": [["content-type", "application/json"]], "body": {"json": methods}}),
    );
    let status = login.verdict().ok().expect("done");
    assert_eq!(status, PHONE | VERIFIED | 13 << 8, "{status:#x}");
    // No custom claims: the number starts the answer.
    assert_eq!(answer(&compiled, 13), b"+447700900123");

    assert_eq!(decide(&mut compiled, &records), Ok(LOOKUP));
    let mut login = compiled.take_login().ok().expect("the login that waits");
    drive(
        &mut login,
        |_| json!({"kind": "failed", "error": "timeout"}),
    );
    let status = login.verdict().ok().expect("done");
    assert_eq!(status, LOOKUP_FAILED | LOG, "{status:#x}");
    let log = compiled.take_log().unwrap_or_default();
    assert!(
        log.starts_with("phone lookup failed (mgmt_timeout)"),
        "{log}"
    );
}

#[wasm_bindgen_test]
fn decide_answers_a_fault_past_the_buffer_or_for_slots_that_do_not_frame() {
    let mut compiled = two_claims();
    let event = json!({"user": {"app_metadata": {"plan": "pro"}}});
    let good = slots(&compiled, &event);
    assert!(!good.is_empty());
    assert_eq!(decide(&mut compiled, &good), Ok(0));
    // A fresh handler's buffer is as large as asked.
    compiled.slot_buffer(good.len());
    for length in [good.len() + 1, 1 << 20] {
        let Err(reason) = fault_or_status(&compiled, length) else {
            panic!("a length of {length} past a buffer of {}", good.len());
        };
        assert!(reason.contains("past the slot buffer"), "{reason}");
    }
    let mut too_many = good.clone();
    too_many.push(0);
    // Lengths are four bytes of seven bits each, least significant first.
    let bad: [(&str, Vec<u8>); 7] = [
        ("unknown tag", vec![7]),
        ("truncated header", vec![3, 1, 0]),
        ("length past the end", vec![6, 5, 0, 0, 0, b'1']),
        (
            "largest length past the end",
            vec![3, 0x7f, 0x7f, 0x7f, 0x7f, b'1'],
        ),
        (
            "length byte above 0x7f",
            vec![6, 0xff, 0xff, 0xff, 0xff, b'1'],
        ),
        ("no records", Vec::new()),
        ("one record too many", too_many),
    ];
    for (name, records) in bad {
        let Err(reason) = decide(&mut compiled, &records) else {
            panic!("{name} must be refused");
        };
        assert!(reason.contains("slot"), "{name}: {reason}");
        // The answer buffer keeps the last verdict: a fault writes nothing.
        assert_eq!(answer(&compiled, 2), [1, 0], "{name}");
    }
    // A refused login spoils nothing: the handler decides the next one.
    assert_eq!(decide(&mut compiled, &good), Ok(0));
    assert_eq!(answer(&compiled, 2), [1, 0]);
    assert_eq!(
        compiled.take_fault(),
        None,
        "a decided login leaves no fault"
    );
}

#[path = "../scenarios/runner.rs"]
mod scenarios;

/// The login scenario table that `cargo test` runs natively (tests/scenarios.rs), here in the
/// wasm build: Node and Chromium decide exactly as the native build.
#[wasm_bindgen_test]
fn login_scenarios_decide_as_the_native_build() {
    assert!(scenarios::run_all() >= 15);
}
