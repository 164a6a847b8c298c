//! The post-login exports only a lookup login or a tool needs: `CompiledConfig.takeLogin`,
//! `traceJson` and `plan`, `Login` (a login waiting for its Management API lookup),
//! `ManagementLookup` (the lookup alone, for tools and tests), `validateConfig`, the catalogue
//! and the token memory. The `lookup` feature; `login_claims_decide` is built without it.

use super::post_login::{Answer, JsCompiledConfig};
use super::steps;
use super::{to_json, BoundaryError};
use crate::config::{self, MfaEndpoint};
use crate::engine::login::{Handler, Login, Planned};
use crate::engine::{LookupRequest, Verdict};
use crate::management::{Lookup, TokenMemory};
use crate::transport::Budget;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The Management API tokens of this module instance: as long-lived as the Action instance,
    /// so consecutive logins reuse one token.
    static TOKENS: Rc<RefCell<TokenMemory>> = Rc::default();
}

pub(super) fn token_memory() -> Rc<RefCell<TokenMemory>> {
    TOKENS.with(Rc::clone)
}

/// Every code and name the package documents, from the one place each is defined: reason codes,
/// configuration issue codes, Management API and Verify failures with their explanations, the
/// options with their defaults, the secrets read. JSON text; for the CLI, the README's tests and
/// generated types.
#[wasm_bindgen]
pub fn catalogue() -> String {
    to_json(&crate::catalogue::Catalogue::new())
}

/// Forgets every Management API token held in this module's memory, as if the Action instance
/// had just started (the playground shows every case as a fresh instance; tests start clean).
#[wasm_bindgen(js_name = resetTokenMemory)]
pub fn reset_token_memory() {
    TOKENS.with(|memory| memory.borrow_mut().clear());
}

#[wasm_bindgen(js_class = CompiledConfig)]
impl JsCompiledConfig {
    /// The login `decide` answered `status.LOOKUP` for.
    #[wasm_bindgen(js_name = takeLogin)]
    pub fn take_login(&mut self) -> Result<JsLogin, BoundaryError> {
        let login =
            self.pending.borrow_mut().take().ok_or_else(|| {
                BoundaryError::new("INPUT_INVALID", "no login waits for a lookup")
            })?;
        Ok(JsLogin {
            handler: Rc::clone(&self.handler),
            answer: Rc::clone(&self.answer),
            login,
        })
    }

    /// The trace of the last verdict, as JSON (empty unless it was asked for with `explain`).
    #[wasm_bindgen(js_name = traceJson)]
    pub fn trace_json(&self) -> String {
        to_json(&self.answer.borrow().trace)
    }

    /// A login, for tools and tests: the decision as JSON text (`{idToken, accessToken, trace,
    /// lookupFailed, log?, deny?}`, the claims with their values) when the event decides it,
    /// else a `Login` machine to drive. `slots` are encoded as for `decide`.
    pub fn plan(&self, slots: &[u8], explain: bool, now_ms: f64) -> Result<JsValue, BoundaryError> {
        let view = self.view(slots)?;
        Ok(
            match self
                .handler
                .plan(view.clone(), explain, now_ms, &token_memory())
            {
                Planned::Done(verdict) => {
                    JsValue::from_str(&to_json(&verdict.render(self.handler.config(), &view)))
                }
                Planned::Lookup(login) => JsLogin {
                    handler: Rc::clone(&self.handler),
                    answer: Rc::clone(&self.answer),
                    login,
                }
                .into(),
            },
        )
    }
}

impl JsCompiledConfig {
    /// [`JsCompiledConfig::plan`] without JavaScript values, for native callers.
    pub fn plan_native(
        &self,
        slots: &[u8],
        explain: bool,
        now_ms: f64,
    ) -> Result<Planned, BoundaryError> {
        let view = self.view(slots)?;
        Ok(self.handler.plan(view, explain, now_ms, &token_memory()))
    }

    /// The decision of a finished login, as JSON text.
    pub fn finish_native(&self, login: &mut Login) -> Option<String> {
        let verdict = self.handler.finish(login)?;
        Some(to_json(
            &verdict.render(self.handler.config(), login.event()),
        ))
    }
}

/// A login waiting for its Management API lookup: `next(now)` answers the step to perform.
#[wasm_bindgen(js_name = Login)]
pub struct JsLogin {
    handler: Rc<Handler>,
    answer: Rc<RefCell<Answer>>,
    login: Box<Login>,
}

steps::machine_exports!(JsLogin, "Login", login);

#[wasm_bindgen(js_class = Login)]
impl JsLogin {
    /// Requests sent.
    pub fn requests(&self) -> u32 {
        self.login.requests()
    }

    /// Once `next` answered `done`: the status, with the verdict in the handler's answer buffer
    /// (read it before the handler's next login), as `decide` answers.
    pub fn verdict(&mut self) -> Result<u32, BoundaryError> {
        let verdict = self.done()?;
        let claims = self.handler.config().claim_count();
        Ok(self.answer.borrow_mut().write(verdict, claims))
    }

    /// The decision as JSON text, with the claims' values, once `next` answered `done`.
    pub fn decision(&mut self) -> Result<String, BoundaryError> {
        let verdict = self.done()?;
        Ok(to_json(
            &verdict.render(self.handler.config(), self.login.event()),
        ))
    }
}

impl JsLogin {
    fn done(&mut self) -> Result<Verdict, BoundaryError> {
        self.handler
            .finish(&mut self.login)
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
    config::validation(config_json).to_json()
}
