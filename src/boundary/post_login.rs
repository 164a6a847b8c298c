//! The post-login export every Action loads: `CompiledConfig`, a handler (configuration and
//! options) that decides a login from its event in one call. What only a lookup login or a tool
//! needs is in [`super::lookup`], which the `login_claims_decide` module leaves out.

use super::steps;
use super::BoundaryError;
use crate::config::CompiledConfig as NativeCompiledConfig;
use crate::engine::login::Handler;
#[cfg(feature = "lookup")]
use crate::engine::login::Login;
use crate::engine::Verdict;
use crate::event::EventView;
use crate::options::{self, HandlerKind, OnError};
use crate::trace::TraceEntry;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

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
    /// `decide` only: the slots could not be framed (the shim's bug, `INPUT_INVALID`), and
    /// nothing was decided; `takeFault()` says why. The answer buffer is unchanged.
    pub const FAULT: u32 = 64;
}

/// What the shim reads after a login, besides the status: the trace (`explain` only) and the
/// line to log. Shared by the handler and its logins.
#[derive(Default)]
pub(super) struct Answer {
    /// One byte per custom claim (1: set), then the phone number's bytes.
    bytes: Vec<u8>,
    pub(super) trace: Vec<TraceEntry>,
    log: Option<String>,
    /// Why the last `decide` answered [`status::FAULT`]; none once a later `decide` frames
    /// its slots, or once taken.
    fault: Option<String>,
}

impl Answer {
    #[cfg_attr(login_claims_size, optimize(size))]
    fn new(claims: usize) -> Answer {
        Answer {
            bytes: vec![0; claims + usize::from(u8::MAX)],
            ..Answer::default()
        }
    }

    /// Writes the verdict for the shim; the status.
    pub(super) fn write(&mut self, verdict: Verdict, claims: usize) -> u32 {
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
    pub(super) handler: Rc<Handler>,
    slots: Vec<u8>,
    pub(super) answer: Rc<RefCell<Answer>>,
    /// The login `decide` answered [`status::LOOKUP`] for, until `takeLogin`.
    #[cfg(feature = "lookup")]
    pub(super) pending: RefCell<Option<Box<Login>>>,
}

#[wasm_bindgen(js_class = CompiledConfig)]
impl JsCompiledConfig {
    /// Compiles configuration JSON (empty text: the default) with the handler's options (the
    /// shim has checked the function-valued ones). Throws `OPTIONS_INVALID`, or `CONFIG_INVALID`
    /// with every issue.
    #[wasm_bindgen(constructor)]
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn new(config_json: &str, options: JsValue) -> Result<JsCompiledConfig, BoundaryError> {
        JsCompiledConfig::with_options(config_json, steps::option_entries(&options).as_deref())
    }

    /// What the shim needs once, as JSON: `{paths, claims, warnings}`: the paths to read (segment
    /// arrays, in slot order), the custom claims (`{token, name, slot}`, in the order of the
    /// answer's flags) and the warning lines to log.
    #[wasm_bindgen(js_name = layoutJson)]
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn layout_json(&self) -> String {
        self.handler.layout_json()
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
    /// With [`status::LOOKUP`], `takeLogin()` hands over the login to drive; with
    /// [`status::FAULT`] (slots that cannot be framed, or a length past the buffer) nothing was
    /// decided and `takeFault()` says why; otherwise the answer buffer holds the verdict. The
    /// trace is built only when `explain` is true. `now_ms` starts the login's deadline.
    ///
    /// It never throws, so the glue reads a plain number back: no return area, no error slot.
    pub fn decide(&self, length: usize, explain: bool, now_ms: f64) -> u32 {
        let expected = self.handler.config().paths().len();
        let framed = match self.slots.get(..length) {
            Some(bytes) => EventView::from_slot_bytes(bytes, expected).map_err(|e| e.message()),
            None => Err("the slot length is past the slot buffer".to_owned()),
        };
        match framed {
            Ok(view) => {
                // A reason left untaken belongs to an earlier login, not to this one.
                self.answer.borrow_mut().fault = None;
                self.start(view, explain, now_ms)
            }
            Err(error) => {
                self.answer.borrow_mut().fault = Some(error);
                status::FAULT
            }
        }
    }

    /// Why the last `decide` answered [`status::FAULT`], once; none when it answered anything
    /// else.
    #[wasm_bindgen(js_name = takeFault)]
    pub fn take_fault(&self) -> Option<String> {
        self.answer.borrow_mut().fault.take()
    }

    /// The line to log of the last verdict (with [`status::LOG`]).
    #[wasm_bindgen(js_name = takeLog)]
    pub fn take_log(&self) -> Option<String> {
        self.answer.borrow_mut().log.take()
    }
}

impl JsCompiledConfig {
    /// [`JsCompiledConfig::new`] with the options already read.
    #[cfg_attr(login_claims_size, optimize(size))]
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
            #[cfg(feature = "lookup")]
            pending: RefCell::new(None),
        })
    }

    pub(super) fn claims(&self) -> usize {
        self.handler.config().claim_count()
    }

    /// The slots framed, for the lookup module's `plan`; `INPUT_INVALID` when they cannot be.
    #[cfg(feature = "lookup")]
    pub(super) fn view<'a>(&self, slots: &'a [u8]) -> Result<EventView<'a>, BoundaryError> {
        EventView::from_slot_bytes(slots, self.handler.config().paths().len())
            .map_err(|e| BoundaryError::new("INPUT_INVALID", e.message()))
    }

    /// Decides a login, or keeps it for `takeLogin` when it needs a lookup: the status.
    #[cfg(feature = "lookup")]
    fn start(&self, view: EventView<'_>, explain: bool, now_ms: f64) -> u32 {
        use crate::engine::login::Planned;
        match self
            .handler
            .plan(view, explain, now_ms, &super::lookup::token_memory())
        {
            Planned::Done(verdict) => self.answer.borrow_mut().write(verdict, self.claims()),
            Planned::Lookup(login) => {
                *self.pending.borrow_mut() = Some(login);
                status::LOOKUP
            }
        }
    }

    /// Decides a login, or answers [`status::LOOKUP`]: a module without the lookup leaves the
    /// login to one with it. It builds no trace (it has no `traceJson`).
    #[cfg(not(feature = "lookup"))]
    fn start(&self, view: EventView<'_>, _explain: bool, _now_ms: f64) -> u32 {
        match self.handler.decide(&view, false) {
            Ok(verdict) => self.answer.borrow_mut().write(verdict, self.claims()),
            Err(_) => status::LOOKUP,
        }
    }
}
