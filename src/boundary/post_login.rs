//! The post-login exports: `CompiledConfig` (a handler: configuration and options), `Login` (a
//! login waiting for its Management API lookup), `ManagementLookup` (the lookup alone, for tools
//! and tests) and `validateConfig`.

use super::steps;
use super::{to_json, BoundaryError};
use crate::config::{self, CompiledConfig as NativeCompiledConfig, MfaEndpoint};
use crate::engine::login::{Handler, Login, Planned};
use crate::engine::LookupRequest;
use crate::event::EventView;
use crate::management::{Lookup, TokenMemory};
use crate::options::{self, HandlerKind, OnError};
use crate::transport::Budget;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The Management API tokens of this module instance: as long-lived as the Action instance,
    /// so consecutive logins reuse one token.
    pub(super) static TOKENS: Rc<RefCell<TokenMemory>> = Rc::default();
}

pub(super) fn token_memory() -> Rc<RefCell<TokenMemory>> {
    TOKENS.with(Rc::clone)
}

/// A validated configuration with its checked options, compiled once and reused by every login.
#[wasm_bindgen(js_name = CompiledConfig)]
pub struct JsCompiledConfig {
    handler: Rc<Handler>,
}

#[wasm_bindgen(js_class = CompiledConfig)]
impl JsCompiledConfig {
    /// Compiles configuration JSON (empty text: the default) with the handler's options (the
    /// shim has checked the function-valued ones). Throws `OPTIONS_INVALID`, or `CONFIG_INVALID`
    /// with every issue.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str, options: JsValue) -> Result<JsCompiledConfig, BoundaryError> {
        JsCompiledConfig::with_options(config_json, steps::option_entries(&options).as_deref())
    }

    /// The lines to log once, now that the handler exists: one per configuration warning (a
    /// JSON array of strings, usually `[]`).
    #[wasm_bindgen(js_name = warningLines)]
    pub fn warning_lines(&self) -> String {
        to_json(&self.handler.warning_lines())
    }

    /// The event paths to read, as a JSON array of segment arrays, in slot order.
    #[wasm_bindgen(js_name = pathsJson)]
    pub fn paths_json(&self) -> String {
        let paths: Vec<&[String]> = self
            .handler
            .config()
            .paths()
            .iter()
            .map(|p| p.segments())
            .collect();
        to_json(&paths)
    }

    /// Whether a login that cannot be decided is denied (`onError: 'deny'`).
    #[wasm_bindgen(getter, js_name = denyOnFault)]
    pub fn deny_on_fault(&self) -> bool {
        self.handler.options().on_error == OnError::Deny
    }

    /// A login: the decision as JSON text (`{idToken, accessToken, trace, lookupFailed, log?,
    /// deny?}`) when the event decides it, else a `Login` machine to drive. The trace is built
    /// only when `explain` is true (the simulator). `now_ms` starts the login's deadline.
    pub fn plan(&self, slots: &str, explain: bool, now_ms: f64) -> Result<JsValue, BoundaryError> {
        Ok(match self.plan_native(slots, explain, now_ms)? {
            Planned::Done(decision) => JsValue::from_str(&to_json(&decision)),
            Planned::Lookup(login) => JsLogin {
                handler: Rc::clone(&self.handler),
                login,
            }
            .into(),
        })
    }
}

impl JsCompiledConfig {
    /// [`JsCompiledConfig::new`] with the options already read.
    pub fn with_options(
        config_json: &str,
        options: Option<&[(String, options::OptionValue)]>,
    ) -> Result<JsCompiledConfig, BoundaryError> {
        let options = options::check(HandlerKind::PostLogin, options)
            .map_err(|message| BoundaryError::new("OPTIONS_INVALID", message))?;
        let config = NativeCompiledConfig::compile_str(config_json)
            .map_err(|issues| BoundaryError::config_invalid(&issues))?;
        Ok(JsCompiledConfig {
            handler: Rc::new(Handler::new(config, options)),
        })
    }

    /// [`JsCompiledConfig::plan`] without JavaScript values, for native callers.
    pub fn plan_native(
        &self,
        slots: &str,
        explain: bool,
        now_ms: f64,
    ) -> Result<Planned, BoundaryError> {
        let view =
            EventView::from_slot_text(slots, self.handler.config().paths().len()).map_err(|m| {
                BoundaryError::new(
                    "INPUT_INVALID",
                    format!("expected {} event slots, got {}", m.expected, m.found),
                )
            })?;
        Ok(self.handler.plan(view, explain, now_ms, &token_memory()))
    }

    /// The decision of a finished login, as JSON text.
    pub fn finish_native(&self, login: &mut Login) -> Option<String> {
        self.handler.finish(login).map(|d| to_json(&d))
    }
}

/// A login waiting for its Management API lookup: `next(now)` answers the step to perform.
#[wasm_bindgen(js_name = Login)]
pub struct JsLogin {
    handler: Rc<Handler>,
    login: Box<Login>,
}

steps::machine_exports!(JsLogin, "Login", login);

#[wasm_bindgen(js_class = Login)]
impl JsLogin {
    /// Requests sent.
    pub fn requests(&self) -> u32 {
        self.login.requests()
    }

    /// The decision as JSON text, once `next` answered `done`.
    pub fn decision(&mut self) -> Result<String, BoundaryError> {
        self.handler
            .finish(&mut self.login)
            .map(|d| to_json(&d))
            .ok_or_else(|| BoundaryError::new("INPUT_INVALID", "the login is not done"))
    }
}

/// The Management API lookup alone (the machine a `Login` drives), for tools and tests.
#[wasm_bindgen(js_name = ManagementLookup)]
pub struct JsManagementLookup {
    lookup: Box<Lookup>,
}

steps::machine_exports!(JsManagementLookup, "ManagementLookup", lookup);

#[wasm_bindgen(js_class = ManagementLookup)]
impl JsManagementLookup {
    /// `endpoint` is `authentication-methods` or `enrollments`; the budget is checked like the
    /// handler's options (`INPUT_INVALID` otherwise).
    #[wasm_bindgen(constructor)]
    pub fn new(
        endpoint: &str,
        user_id: String,
        timeout_ms: f64,
        deadline_ms: f64,
    ) -> Result<JsManagementLookup, BoundaryError> {
        let endpoint = match endpoint {
            "authentication-methods" => MfaEndpoint::AuthenticationMethods,
            "enrollments" => MfaEndpoint::Enrollments,
            _ => {
                return Err(BoundaryError::new(
                    "INPUT_INVALID",
                    "the endpoint must be 'authentication-methods' or 'enrollments'",
                ))
            }
        };
        let budget = Budget::new(timeout_ms, deadline_ms)
            .map_err(|e| BoundaryError::new("INPUT_INVALID", e.message()))?;
        Ok(JsManagementLookup {
            lookup: Box::new(Lookup::new(
                LookupRequest { endpoint, user_id },
                budget,
                token_memory(),
            )),
        })
    }

    /// `{ok: true, methods, requests}` or `{ok: false, reason, detail, requests}` once done;
    /// `undefined` before.
    pub fn report(&self) -> JsValue {
        let Some(result) = self.lookup.result() else {
            return JsValue::UNDEFINED;
        };
        let report = match (&result.outcome, result.failure) {
            (crate::engine::LookupOutcome::Methods(methods), _) => {
                serde_json::json!({"ok": true, "methods": methods, "requests": result.requests})
            }
            (_, failure) => serde_json::json!({
                "ok": false,
                "reason": failure.map_or("mgmt_bad_response", |f| f.code()),
                "detail": result.detail,
                "requests": result.requests,
            }),
        };
        js_sys::JSON::parse(&report.to_string()).unwrap_or(JsValue::UNDEFINED)
    }
}

/// `{"ok": ..., "issues": [...], "managementApi"?: ...}`: every problem of a configuration,
/// errors and warnings. Never throws.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config_json: &str) -> String {
    to_json(&config::validation(config_json))
}
