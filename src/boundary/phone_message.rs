//! The phone-message exports ([`crate::phone_message`]): `PhoneMessageHandler` (the checked
//! options of one handler), and the `Delivery` and `Feedback` machines it starts. Compiled only
//! with the `phone-messages` feature: the post-login Action loads a module built without it, so
//! that it does not carry code it never calls.

use super::steps;
use super::BoundaryError;
use crate::options::{self, HandlerKind};
use crate::phone_message::handlers::{
    DeliveryMachine, FeedbackMachine, PhoneMessageHandler, Told, Trigger,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

fn told_value(told: Option<&Told>) -> JsValue {
    // Plain objects: the Told has no maps.
    told.and_then(|t| serde_wasm_bindgen::to_value(t).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

fn json_or_null(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The options of one phone-message handler, checked.
#[wasm_bindgen(js_name = PhoneMessageHandler)]
pub struct JsPhoneMessageHandler {
    native: PhoneMessageHandler,
    trigger: Option<Trigger>,
}

#[wasm_bindgen(js_class = PhoneMessageHandler)]
impl JsPhoneMessageHandler {
    /// `kind` is `send-phone-message`, `custom-phone-provider` or `verify-feedback`. Throws
    /// `OPTIONS_INVALID` for options that are not what the handler takes.
    #[wasm_bindgen(constructor)]
    pub fn new(kind: &str, options: JsValue) -> Result<JsPhoneMessageHandler, BoundaryError> {
        let (handler_kind, trigger) = match kind {
            "send-phone-message" => (
                HandlerKind::SendPhoneMessage,
                Some(Trigger::SendPhoneMessage),
            ),
            "custom-phone-provider" => (
                HandlerKind::SendPhoneMessage,
                Some(Trigger::CustomPhoneProvider),
            ),
            "verify-feedback" => (HandlerKind::VerifyFeedback, None),
            _ => return Err(BoundaryError::new("INPUT_INVALID", "unknown handler kind")),
        };
        let checked = options::check(handler_kind, steps::option_entries(&options).as_deref())
            .map_err(|message| BoundaryError::new("OPTIONS_INVALID", message))?;
        Ok(JsPhoneMessageHandler {
            native: PhoneMessageHandler::new(checked),
            trigger,
        })
    }

    /// A delivery from the trigger's fields (JSON text; `null` when absent) and, for
    /// send-phone-message, `event.request.language`.
    pub fn deliver(
        &self,
        fields: &str,
        language: Option<String>,
        now_ms: f64,
    ) -> Result<JsDelivery, BoundaryError> {
        let trigger = self
            .trigger
            .ok_or_else(|| BoundaryError::new("INPUT_INVALID", "not a delivery handler"))?;
        Ok(JsDelivery {
            native: Box::new(self.native.deliver(
                trigger,
                &json_or_null(fields),
                language.as_deref(),
                now_ms,
            )),
        })
    }

    /// The feedback after a login, from its facts (JSON text).
    pub fn feedback(&self, facts: &str, now_ms: f64) -> JsFeedback {
        JsFeedback {
            native: Box::new(self.native.feedback(
                &json_or_null(facts),
                now_ms,
                super::lookup::token_memory(),
            )),
        }
    }

    /// How long the shim waits for a feedback before abandoning it, in ms.
    #[wasm_bindgen(getter, js_name = guardMs)]
    pub fn guard_ms(&self) -> f64 {
        self.native.guard_ms()
    }

    /// What the feedback says when the shim failed (`what` names the error's code or name).
    #[wasm_bindgen(js_name = internalError)]
    pub fn internal_error(&self, what: &str) -> JsValue {
        told_value(Some(&self.native.internal_error(what)))
    }
}

/// One delivery: the steps of the Verify call, then what to tell Auth0.
#[wasm_bindgen(js_name = Delivery)]
pub struct JsDelivery {
    native: Box<DeliveryMachine>,
}

steps::machine_exports!(JsDelivery, "Delivery", native);

#[wasm_bindgen(js_class = Delivery)]
impl JsDelivery {
    /// `{level, line, error?}` once done.
    pub fn outcome(&self) -> JsValue {
        told_value(self.native.told())
    }
}

/// The feedback after one login: maybe a Management API lookup, then maybe one approval.
#[wasm_bindgen(js_name = Feedback)]
pub struct JsFeedback {
    native: Box<FeedbackMachine>,
}

steps::machine_exports!(JsFeedback, "Feedback", native);

#[wasm_bindgen(js_class = Feedback)]
impl JsFeedback {
    /// `{level, line?, result}` once done.
    pub fn outcome(&self) -> JsValue {
        told_value(self.native.told())
    }
    /// Gives up: `{level, line, result}` of a feedback that took too long.
    pub fn abandon(&mut self) -> JsValue {
        told_value(Some(&self.native.abandon()))
    }
}
