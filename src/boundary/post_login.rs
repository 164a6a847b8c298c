//! The post-login exports: `CompiledConfig` (a handler: configuration and options), `Login` (a
//! login waiting for its Management API lookup), `ManagementLookup` (the lookup alone, for tools
//! and tests) and `validateConfig`.

use super::steps;
use super::{to_json, BoundaryError};
use crate::claims::Token;
use crate::config::{self, CompiledConfig as NativeCompiledConfig, MfaEndpoint};
use crate::engine::login::{Handler, Login, Planned};
use crate::engine::{LookupRequest, Verdict};
use crate::event::EventView;
use crate::management::{Lookup, TokenMemory};
use crate::options::{self, HandlerKind, OnError};
use crate::trace::TraceEntry;
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

/// The answer of a login, as `decide` and `Login.verdict` return it: these flags, and in bits
/// 8–15 the length of the phone number written after the claim flags of the answer buffer.
pub mod status {
    /// A lookup is needed: `takeLogin()` hands over the `Login` machine to drive.
    pub const LOOKUP: u32 = 1;
    /// `phone_number` and `phone_number_verified` are set (the number is in the answer buffer).
    pub const PHONE: u32 = 2;
    /// `phone_number_verified` is true.
    pub const VERIFIED: u32 = 4;
    /// A line to log: `takeLog()`.
    pub const LOG: u32 = 8;
    /// Deny the login (the lookup failed and `onError` is `deny`).
    pub const DENY: u32 = 16;
    /// The lookup failed and the phone claims were withheld.
    pub const LOOKUP_FAILED: u32 = 32;
}

/// What the shim reads after a login, besides the status: the trace (`explain` only) and the
/// line to log. Shared by the handler and its logins.
#[derive(Default)]
struct Answer {
    /// One byte per custom claim (1: set), then the phone number's bytes.
    bytes: Vec<u8>,
    trace: Vec<TraceEntry>,
    log: Option<String>,
}

impl Answer {
    fn new(claims: usize) -> Answer {
        Answer {
            bytes: vec![0; claims + usize::from(u8::MAX)],
            ..Answer::default()
        }
    }

    /// Writes the verdict for the shim; the status.
    fn write(&mut self, verdict: Verdict, claims: usize) -> u32 {
        let mut status = 0;
        let split = claims.min(self.bytes.len());
        let (flags, number) = self.bytes.split_at_mut(split);
        flags.fill(0);
        for &index in &verdict.set {
            if let Some(flag) = flags.get_mut(index) {
                *flag = 1;
            }
        }
        if let Some((phone, verified)) = &verdict.phone {
            let bytes = phone.as_str().as_bytes();
            // An E.164 number with an extension is at most 31 bytes; the area holds 255.
            if let Some(area) = number.get_mut(..bytes.len()) {
                area.copy_from_slice(bytes);
                status |= status::PHONE | (bytes.len() as u32) << 8;
                if *verified {
                    status |= status::VERIFIED;
                }
            }
        }
        if verdict.log.is_some() {
            status |= status::LOG;
        }
        if verdict.deny {
            status |= status::DENY;
        }
        if verdict.lookup_failed {
            status |= status::LOOKUP_FAILED;
        }
        self.trace = verdict.trace;
        self.log = verdict.log;
        status
    }
}

/// A validated configuration with its checked options, compiled once and reused by every login.
///
/// A login crosses once: the shim writes the slots into the buffer `slotBuffer` lends (see
/// [`crate::event`] for the encoding) and calls `decide`, which answers a status number and
/// writes which claims to set, and the phone number, into the buffer `answerBuffer` points at.
/// No JSON and no string crosses on that path.
#[wasm_bindgen(js_name = CompiledConfig)]
pub struct JsCompiledConfig {
    handler: Rc<Handler>,
    slots: Vec<u8>,
    answer: Rc<RefCell<Answer>>,
    pending: Option<Box<Login>>,
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
        to_json(&self.layout().paths)
    }

    /// What the shim needs once, as JSON: `{paths, claims, warnings}`: the paths to read (segment
    /// arrays, in slot order), the custom claims (`{token, name, slot}`, in the order of the
    /// answer's flags) and the warning lines to log.
    #[wasm_bindgen(js_name = layoutJson)]
    pub fn layout_json(&self) -> String {
        to_json(&self.layout())
    }

    /// Whether a login that cannot be decided is denied (`onError: 'deny'`).
    #[wasm_bindgen(getter, js_name = denyOnFault)]
    pub fn deny_on_fault(&self) -> bool {
        self.handler.options().on_error == OnError::Deny
    }

    /// The buffer the shim writes a login's slots into, at least `capacity` bytes: its address
    /// in the wasm memory. Valid until the next call to this method.
    #[wasm_bindgen(js_name = slotBuffer)]
    pub fn slot_buffer(&mut self, capacity: usize) -> *mut u8 {
        if self.slots.len() < capacity {
            self.slots.resize(capacity, 0);
        }
        self.slots.as_mut_ptr()
    }

    /// The answer buffer's address: one byte per custom claim of the layout (1: set), then the
    /// phone number (ASCII). Fixed for the handler's life.
    #[wasm_bindgen(js_name = answerBuffer)]
    pub fn answer_buffer(&self) -> *const u8 {
        self.answer.borrow().bytes.as_ptr()
    }

    /// A login from the first `length` bytes of the slot buffer: its status (see [`status`]).
    /// With [`status::LOOKUP`], `takeLogin()` hands over the login to drive; otherwise the
    /// answer buffer holds the verdict. The trace is built only when `explain` is true.
    /// `now_ms` starts the login's deadline. Throws `INPUT_INVALID` for slots that cannot be
    /// framed.
    pub fn decide(
        &mut self,
        length: usize,
        explain: bool,
        now_ms: f64,
    ) -> Result<u32, BoundaryError> {
        let bytes = self.slots.get(..length).ok_or_else(|| {
            BoundaryError::new("INPUT_INVALID", "the slot length is past the slot buffer")
        })?;
        let view = EventView::from_slot_bytes(bytes, self.handler.config().paths().len())
            .map_err(|e| BoundaryError::new("INPUT_INVALID", e.message()))?;
        Ok(
            match self.handler.plan(view, explain, now_ms, &token_memory()) {
                Planned::Done(verdict) => self.answer.borrow_mut().write(verdict, self.claims()),
                Planned::Lookup(login) => {
                    self.pending = Some(login);
                    status::LOOKUP
                }
            },
        )
    }

    /// The login `decide` answered [`status::LOOKUP`] for.
    #[wasm_bindgen(js_name = takeLogin)]
    pub fn take_login(&mut self) -> Result<JsLogin, BoundaryError> {
        let login = self
            .pending
            .take()
            .ok_or_else(|| BoundaryError::new("INPUT_INVALID", "no login waits for a lookup"))?;
        Ok(JsLogin {
            handler: Rc::clone(&self.handler),
            answer: Rc::clone(&self.answer),
            login,
        })
    }

    /// The line to log of the last verdict (with [`status::LOG`]).
    #[wasm_bindgen(js_name = takeLog)]
    pub fn take_log(&self) -> Option<String> {
        self.answer.borrow_mut().log.take()
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

/// What `layoutJson` describes.
#[derive(serde::Serialize)]
struct Layout<'a> {
    paths: Vec<&'a [String]>,
    claims: Vec<LayoutClaim<'a>>,
    warnings: Vec<String>,
}

#[derive(serde::Serialize)]
struct LayoutClaim<'a> {
    token: &'static str,
    name: &'a str,
    slot: usize,
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
        let answer = Rc::new(RefCell::new(Answer::new(config.claim_count())));
        Ok(JsCompiledConfig {
            handler: Rc::new(Handler::new(config, options)),
            slots: Vec::new(),
            answer,
            pending: None,
        })
    }

    fn claims(&self) -> usize {
        self.handler.config().claim_count()
    }

    fn layout(&self) -> Layout<'_> {
        let config = self.handler.config();
        Layout {
            paths: config.paths().iter().map(|p| p.segments()).collect(),
            claims: config
                .claim_rules()
                .map(|(token, name, slot)| LayoutClaim {
                    token: match token {
                        Token::Id => "idToken",
                        Token::Access => "accessToken",
                    },
                    name,
                    slot,
                })
                .collect(),
            warnings: self.handler.warning_lines(),
        }
    }

    fn view<'a>(&self, slots: &'a [u8]) -> Result<EventView<'a>, BoundaryError> {
        EventView::from_slot_bytes(slots, self.handler.config().paths().len())
            .map_err(|e| BoundaryError::new("INPUT_INVALID", e.message()))
    }

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
    to_json(&config::validation(config_json))
}
