//! The wasm boundary as JavaScript sees it. Compiled twice: `tests/node.rs` runs it in Node,
//! `tests/browser.rs` in headless Chromium.

use js_sys::{Array, Object, Reflect};
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
    let decision = serde_json::from_str(&login.decision().ok().expect("done")).unwrap();
    (decision, kinds)
}

/// Slot text for an event, read the way the JS shim reads it (the scenario runner's reader).
fn slots(compiled: &JsCompiledConfig, event: &Value) -> String {
    scenarios::slots(&compiled.paths_json(), event)
}

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
    let Err(error) = compiled.plan("only one slot", true, 0.0) else {
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
    let slot_text = slots(&compiled, &event);
    let methods = json!([
        {"id": "totp|dev_1", "type": "totp", "confirmed": true},
        {"id": "phone|dev_2", "type": "phone", "confirmed": true, "phone_number": "+447700900123", "preferred_authentication_method": "sms"}
    ]);
    let (done, kinds) = drive_login(compiled.plan(&slot_text, true, 1_000.0).unwrap(), |url| {
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
        compiled.plan(&slot_text, true, 1_000.0).unwrap(),
        |_| json!({"kind": "failed", "error": "timeout"}),
    );
    assert_eq!(failed["idToken"], json!({}));
    assert_eq!(failed["lookupFailed"], true);
    assert!(failed["log"]
        .as_str()
        .unwrap()
        .starts_with("phone lookup failed (mgmt_timeout)"));
    // Whatever comes back that is no outcome at all is no response, never an exception.
    let (junk, _) = drive_login(compiled.plan(&slot_text, true, 1_000.0).unwrap(), |_| {
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
    let slot_text = slots(&config, &event);
    let run = || {
        let planned = config.plan(&slot_text, true, 0.0).unwrap();
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

#[path = "../scenarios/runner.rs"]
mod scenarios;

/// The login scenario table that `cargo test` runs natively (tests/scenarios.rs), here in the
/// wasm build: Node and Chromium decide exactly as the native build.
#[wasm_bindgen_test]
fn login_scenarios_decide_as_the_native_build() {
    assert!(scenarios::run_all() >= 15);
}
