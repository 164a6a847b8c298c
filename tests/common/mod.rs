//! The wasm boundary as JavaScript sees it. Compiled twice: `tests/node.rs` runs it in Node,
//! `tests/browser.rs` in headless Chromium.

use js_sys::{Array, Object, Reflect};
use login_claims::wasm::{validate_config, JsCompiledConfig};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn compile(config: Value) -> JsCompiledConfig {
    match JsCompiledConfig::new(&config.to_string()) {
        Ok(compiled) => compiled,
        Err(_) => panic!("config should compile: {config}"),
    }
}

/// Slot text for an event, read the way the JS shim reads it (the scenario runner's reader).
fn slots(compiled: &JsCompiledConfig, event: &Value) -> String {
    scenarios::slots(&compiled.paths_json(), event)
}

#[wasm_bindgen_test]
fn invalid_config_is_a_real_error_with_code_and_plain_issues() {
    let config = json!({"idToken": {"roles": "authorization.roles"}, "accessToken": {"email": "user.email"}});
    let Err(error) = JsCompiledConfig::new(&config.to_string()) else {
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
    let Err(error) = JsCompiledConfig::new("{not json") else {
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
    let Err(error) = compiled.plan("only one slot", true) else {
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
    let out: Value =
        serde_json::from_str(&compiled.plan(&slots(&compiled, &event), true).unwrap()).unwrap();
    assert_eq!(out["status"], "done");
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
fn mfa_user_needs_lookup_then_finishes() {
    let compiled = compile(json!({}));
    let event = json!({
        "user": {"user_id": "auth0|65f1", "enrolledFactors": [{"type": "phone"}, {"type": "otp"}]},
        "transaction": {"requested_scopes": ["openid", "phone"]}
    });
    let slot_text = slots(&compiled, &event);
    let out: Value = serde_json::from_str(&compiled.plan(&slot_text, true).unwrap()).unwrap();
    assert_eq!(
        out,
        json!({"status": "lookup", "lookup": {"endpoint": "authentication-methods", "userId": "auth0|65f1"}})
    );
    let lookup = json!({"ok": true, "methods": [
        {"id": "totp|dev_1", "type": "totp", "confirmed": true},
        {"id": "phone|dev_2", "type": "phone", "confirmed": true, "phone_number": "+447700900123", "preferred_authentication_method": "sms"}
    ]});
    let done: Value = serde_json::from_str(
        &compiled
            .finish(&slot_text, &lookup.to_string(), true)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        done["idToken"],
        json!({"phone_number": "+447700900123", "phone_number_verified": true})
    );
    let failed: Value = serde_json::from_str(
        &compiled
            .finish(&slot_text, r#"{"ok":false,"reason":"mgmt_timeout"}"#, true)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(failed["idToken"], json!({}));
    assert_eq!(failed["lookupFailed"], true);
}

#[wasm_bindgen_test]
fn proto_keys_stay_data() {
    let compiled =
        compile(json!({"idToken": {"https://x.example.com/meta": "user.app_metadata.m"}}));
    let event = json!({"user": {"app_metadata": {"m": {"__proto__": {"polluted": true}}}}, "transaction": {"requested_scopes": ["openid"]}});
    let text = compiled.plan(&slots(&compiled, &event), true).unwrap();
    let parsed = js_sys::JSON::parse(&text).unwrap();
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
    let config = JsCompiledConfig::new("").unwrap();
    let paths: Value = serde_json::from_str(&config.paths_json()).unwrap();
    let slots: Vec<String> = paths
        .as_array()
        .unwrap()
        .iter()
        .map(|path| {
            let path: Vec<&str> = path
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            match path.join(".").as_str() {
                "user.user_id" => "\"auth0|1\"".to_owned(),
                "user.app_metadata.phone_number" => "\"+44 (0)20 7946 0958\"".to_owned(),
                "transaction.requested_scopes" => "[\"openid\",\"phone\"]".to_owned(),
                _ => String::new(),
            }
        })
        .collect();
    let slot_text = slots.join("\n");
    let report = r#"{"ok":false,"reason":"mgmt_not_configured","detail":"the AUTH0_DOMAIN secret is not set"}"#;
    let first: Value =
        serde_json::from_str(&config.finish(&slot_text, report, true).unwrap()).unwrap();
    assert_eq!(first["lookupFailed"], false);
    assert_eq!(first["idToken"]["phone_number"], "+442079460958");
    assert!(first["log"].as_str().unwrap().contains("AUTH0_DOMAIN"));
    let second: Value =
        serde_json::from_str(&config.finish(&slot_text, report, false).unwrap()).unwrap();
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
