//! The machines' envelopes as JavaScript values (serde-wasm-bindgen): the steps going out, the
//! outcomes, secrets, cache entries and options coming back. Anything malformed that comes back
//! becomes the "no usable answer" value of its kind, never an exception: judging it is the
//! machine's work.

use crate::options::OptionValue;
use crate::transport::{Body, CacheEntry, NetworkPhase, Outcome, Response, Step, TransportError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The four exports of a machine class, written once: `next(now)` answers the step to perform;
/// `secrets`, `received` and `cached` take what the step asked for. `$field` is the exported
/// struct's field that holds the native [`crate::transport::Machine`].
#[cfg(feature = "lookup")]
macro_rules! machine_exports {
    ($export:ident, $class:literal, $field:ident) => {
        #[wasm_bindgen::prelude::wasm_bindgen(js_class = $class)]
        impl $export {
            /// The next step: `{kind: 'secrets' | 'send' | 'wait' | 'cacheGet' | 'cacheSet' |
            /// 'cacheDelete' | 'done', ...}`.
            pub fn next(&mut self, now_ms: f64) -> wasm_bindgen::JsValue {
                $crate::boundary::steps::step_value(&$crate::transport::Machine::next(
                    &mut *self.$field,
                    now_ms,
                ))
            }

            /// The secrets asked for, in order.
            pub fn secrets(&mut self, values: wasm_bindgen::JsValue) {
                let values = $crate::boundary::steps::secrets(values);
                $crate::transport::Machine::secrets(&mut *self.$field, values);
            }

            /// The outcome of the request asked for.
            pub fn received(&mut self, outcome: wasm_bindgen::JsValue) {
                let outcome = $crate::boundary::steps::outcome(outcome);
                $crate::transport::Machine::received(&mut *self.$field, outcome);
            }

            /// What `api.cache.get` returned.
            pub fn cached(&mut self, entry: wasm_bindgen::JsValue) {
                let entry = $crate::boundary::steps::cache_entry(entry);
                $crate::transport::Machine::cached(&mut *self.$field, entry);
            }
        }
    };
}
#[cfg(feature = "lookup")]
pub(crate) use machine_exports;

/// A step as a plain object: `{kind: 'send', url, headers: [[name, value]], ...}`.
pub fn step_value(step: &Step) -> JsValue {
    serde_wasm_bindgen::to_value(step).unwrap_or(JsValue::NULL)
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// What the shim saw after a send (`{kind: 'response', status, headers: [[name, value]], body:
/// {json} | {text} | {invalid_utf8}}` or `{kind: 'failed', error, phase?, code?}`); a value that
/// is no outcome at all is "no response". Read field by field: a derived deserializer of these
/// tagged shapes costs more wasm than the rest of the boundary.
pub fn outcome(value: JsValue) -> Outcome {
    read_outcome(&value).unwrap_or(Outcome::Failed(TransportError::NoResponse))
}

fn read_outcome(value: &JsValue) -> Option<Outcome> {
    if !value.is_object() {
        return None;
    }
    match field(value, "kind").as_string()?.as_str() {
        "response" => {
            let status = field(value, "status").as_f64()?;
            if !(0.0..=999.0).contains(&status) || status.fract() != 0.0 {
                return None;
            }
            let headers = js_sys::Array::from(&field(value, "headers"))
                .iter()
                .filter_map(|pair| {
                    let pair = js_sys::Array::from(&pair);
                    Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
                })
                .collect();
            let body = field(value, "body");
            let body = if let Some(text) = field(&body, "text").as_string() {
                Body::Text(text)
            } else if let Some(text) = field(&body, "invalid_utf8").as_string() {
                Body::InvalidUtf8(text)
            } else if js_sys::Reflect::has(&body, &JsValue::from_str("json")).ok()? {
                Body::Json(serde_wasm_bindgen::from_value(field(&body, "json")).ok()?)
            } else {
                return None;
            };
            // In 0..=999 and whole: exact.
            let status = status as u16;
            Some(Outcome::Response(Response {
                status,
                headers,
                body,
            }))
        }
        "failed" => Some(Outcome::Failed(
            match field(value, "error").as_string()?.as_str() {
                "timeout" => TransportError::Timeout,
                "network" => TransportError::Network {
                    phase: if field(value, "phase").as_string().as_deref() == Some("reading_body") {
                        NetworkPhase::ReadingBody
                    } else {
                        NetworkPhase::Connecting
                    },
                    code: field(value, "code").as_string(),
                },
                "too_large" => TransportError::TooLarge,
                "unreadable" => TransportError::Unreadable,
                _ => TransportError::NoResponse,
            },
        )),
        _ => None,
    }
}

/// The secrets in the order asked; anything but an array of strings and `undefined` is none.
pub fn secrets(value: JsValue) -> Vec<Option<String>> {
    serde_wasm_bindgen::from_value(value).unwrap_or_default()
}

/// An `api.cache` entry; anything else is no entry.
pub fn cache_entry(value: JsValue) -> Option<CacheEntry> {
    serde_wasm_bindgen::from_value(value).unwrap_or(None)
}

/// The own keys and values of an options object; `None` when it is not an object (`undefined`
/// and `null` are no options).
pub fn option_entries(options: &JsValue) -> Option<Vec<(String, OptionValue)>> {
    if options.is_undefined() || options.is_null() {
        return Some(Vec::new());
    }
    if !options.is_object() {
        return None;
    }
    let object: &js_sys::Object = options.unchecked_ref();
    let entries = js_sys::Object::keys(object)
        .iter()
        .filter_map(|key| {
            let name = key.as_string()?;
            let value = js_sys::Reflect::get(object, &key)
                .map(|v| option_value(&v))
                .unwrap_or(OptionValue::Other("unreadable"));
            Some((name, value))
        })
        .collect();
    Some(entries)
}

fn option_value(value: &JsValue) -> OptionValue {
    if value.is_undefined() {
        OptionValue::Undefined
    } else if let Some(number) = value.as_f64() {
        OptionValue::Number(number)
    } else if let Some(text) = value.as_string() {
        OptionValue::Text(text)
    } else if value.is_function() {
        OptionValue::Other("function")
    } else if value.is_null() || value.is_object() {
        OptionValue::Other("object")
    } else {
        OptionValue::Other("other")
    }
}
