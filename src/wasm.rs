//! The wasm boundary, and the only module that knows about JavaScript.
//!
//! Data crosses as text in both directions: the configuration and the lookup outcome as JSON,
//! the event as slot text (one line per path the configuration reads; see
//! [`crate::event::EventView::from_slot_text`]), the decision as JSON that the shim turns into
//! plain objects with `JSON.parse` (which, unlike property assignment, keeps a `__proto__` key
//! as data). Errors cross as real `Error` objects with a stable `code` property.

use crate::config::{CompiledConfig as NativeCompiledConfig, ConfigIssue};
use crate::engine::{Decision, LookupOutcome, LookupRequest, Plan};
use crate::event::EventView;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// An error for JavaScript: becomes an `Error` whose `code` is one of `CONFIG_INVALID` (with an
/// `issues` array) or `INPUT_INVALID`.
#[derive(Debug)]
pub struct BoundaryError {
    code: &'static str,
    message: String,
    issues: Option<String>,
}

impl BoundaryError {
    fn config_invalid(issues: &[ConfigIssue]) -> BoundaryError {
        let first = issues.first().map(|i| i.message.as_str()).unwrap_or("");
        let more = match issues.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        BoundaryError {
            code: "CONFIG_INVALID",
            message: format!("invalid login-claims configuration: {first}{more}"),
            issues: Some(to_json(&issues)),
        }
    }
}

impl From<BoundaryError> for JsValue {
    fn from(error: BoundaryError) -> JsValue {
        let js_error = js_sys::Error::new(&error.message);
        // Setting data properties on a fresh Error object cannot throw.
        let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.code.into());
        if let Some(issues) = error.issues {
            let parsed =
                js_sys::JSON::parse(&issues).unwrap_or_else(|_| js_sys::Array::new().into());
            let _ = js_sys::Reflect::set(&js_error, &"issues".into(), &parsed);
        }
        js_error.into()
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Our own types serialize infallibly (no maps with non-string keys, no custom errors).
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
enum PlanOut<'a> {
    Done(&'a Decision),
    Lookup { lookup: &'a LookupRequest },
}

/// A validated configuration, compiled once and reused by every login.
#[wasm_bindgen(js_name = CompiledConfig)]
pub struct JsCompiledConfig {
    native: NativeCompiledConfig,
}

#[wasm_bindgen(js_class = CompiledConfig)]
impl JsCompiledConfig {
    /// Compiles configuration JSON (empty text: the default). Throws `CONFIG_INVALID` with
    /// every issue.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<JsCompiledConfig, BoundaryError> {
        NativeCompiledConfig::compile_str(config_json)
            .map(|native| JsCompiledConfig { native })
            .map_err(|issues| BoundaryError::config_invalid(&issues))
    }

    /// The event paths to read, as a JSON array of segment arrays, in slot order.
    #[wasm_bindgen(js_name = pathsJson)]
    pub fn paths_json(&self) -> String {
        let paths: Vec<&[String]> = self.native.paths().iter().map(|p| p.segments()).collect();
        to_json(&paths)
    }

    /// First step of a login: `{"status":"done", idToken, accessToken, trace, lookupFailed}` or
    /// `{"status":"lookup","lookup":{endpoint,userId}}`.
    pub fn plan(&self, slots: &str) -> Result<String, BoundaryError> {
        let view = self.view(slots)?;
        Ok(match self.native.plan(&view) {
            Plan::Done(decision) => to_json(&PlanOut::Done(&decision)),
            Plan::Lookup(request) => to_json(&PlanOut::Lookup { lookup: &request }),
        })
    }

    /// Second step: `lookup` is `{"ok":true,"methods":[...]}` or `{"ok":false,"reason":"mgmt_..."}`.
    pub fn finish(&self, slots: &str, lookup: &str) -> Result<String, BoundaryError> {
        let view = self.view(slots)?;
        let decision = self.native.finish(&view, &parse_lookup(lookup));
        Ok(to_json(&PlanOut::Done(&decision)))
    }

    fn view(&self, slots: &str) -> Result<EventView, BoundaryError> {
        EventView::from_slot_text(slots, self.native.paths().len()).map_err(|m| BoundaryError {
            code: "INPUT_INVALID",
            message: format!("expected {} event slots, got {}", m.expected, m.found),
            issues: None,
        })
    }
}

/// Reads the shim's report of the lookup. Anything unexpected is a failed lookup, never an error.
fn parse_lookup(text: &str) -> LookupOutcome {
    let failed = |code: &str| LookupOutcome::Failed {
        code: code.to_owned(),
    };
    let Ok(Value::Object(mut report)) = serde_json::from_str::<Value>(text) else {
        return failed("mgmt_bad_response");
    };
    let ok = report.get("ok") == Some(&Value::Bool(true));
    match (ok, report.remove("methods")) {
        (true, Some(methods)) => LookupOutcome::Methods(methods),
        (true, None) => failed("mgmt_bad_response"),
        _ => match report.get("reason").and_then(Value::as_str) {
            Some(code)
                if !code.is_empty()
                    && code.len() <= 40
                    && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                failed(code)
            }
            _ => failed("lookup_failed"),
        },
    }
}

/// Every problem of a configuration as a JSON array (empty when valid). Never throws.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config_json: &str) -> String {
    match NativeCompiledConfig::compile_str(config_json) {
        Ok(_) => "[]".to_owned(),
        Err(issues) => to_json(&issues),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_reports() {
        assert_eq!(
            parse_lookup(r#"{"ok":true,"methods":[1]}"#),
            LookupOutcome::Methods(serde_json::json!([1]))
        );
        let failed = |c: &str| LookupOutcome::Failed { code: c.to_owned() };
        assert_eq!(
            parse_lookup(r#"{"ok":false,"reason":"mgmt_timeout"}"#),
            failed("mgmt_timeout")
        );
        assert_eq!(
            parse_lookup(r#"{"ok":false,"reason":"<script>"}"#),
            failed("lookup_failed")
        );
        assert_eq!(parse_lookup(r#"{"ok":false}"#), failed("lookup_failed"));
        assert_eq!(parse_lookup(r#"{"ok":true}"#), failed("mgmt_bad_response"));
        assert_eq!(parse_lookup("nope"), failed("mgmt_bad_response"));
        assert_eq!(parse_lookup("[]"), failed("mgmt_bad_response"));
    }

    #[test]
    fn validate_lists_issues() {
        assert_eq!(validate_config("{}"), "[]");
        assert_eq!(validate_config(""), "[]");
        assert!(
            validate_config(r#"{"idToken":{"roles":"authorization.roles"}}"#)
                .contains("restricted_claim")
        );
    }
}
