//! The machines' envelopes as JavaScript values (serde-wasm-bindgen): the steps going out, the
//! outcomes, secrets, cache entries and options coming back. Anything malformed that comes back
//! becomes the "no usable answer" value of its kind, never an exception: judging it is the
//! machine's work.

use crate::options::OptionValue;
use crate::transport::{CacheEntry, Outcome, Step, TransportError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A step as a plain object: `{kind: 'send', url, headers: [[name, value]], ...}`.
pub fn step_value(step: &Step) -> JsValue {
    serde_wasm_bindgen::to_value(step).unwrap_or(JsValue::NULL)
}

/// What the shim saw after a send; a value that is no outcome at all is "no response".
pub fn outcome(value: JsValue) -> Outcome {
    serde_wasm_bindgen::from_value(value).unwrap_or(Outcome::Failed(TransportError::NoResponse))
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
