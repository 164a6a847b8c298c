//! The wasm boundary, and the only module that knows about JavaScript. Each export delegates to
//! the native core; nothing here decides.
//!
//! What crosses, and how:
//! - a login, once: the shim writes the event's slots into a buffer in the wasm memory (records,
//!   see [`crate::event`]) and `decide` answers a status number, with which custom claims to set
//!   and the phone number in a second buffer ([`status`]); the shim sets each claim with the
//!   value it read (an object's copied from its JSON text by `JSON.parse`, which keeps a key
//!   named `__proto__` as data). No JSON and no string crosses on that path;
//! - the configuration, the layout the shim needs once, the trace and the tools' decision as
//!   JSON text;
//! - the options, the machines' steps and the outcomes the shim hands back as JavaScript values
//!   through serde-wasm-bindgen ([`steps`]);
//! - errors as real `Error` objects with a stable `code` property.

#[cfg(feature = "lookup")]
mod lookup;
mod post_login;
pub mod steps;

#[cfg(feature = "phone-messages")]
mod phone_message;

#[cfg(feature = "lookup")]
pub use lookup::{catalogue, reset_token_memory, validate_config, JsLogin, JsManagementLookup};
pub use post_login::{status, JsCompiledConfig};

use crate::config::ConfigIssue;
use wasm_bindgen::prelude::*;

/// An error for JavaScript: becomes an `Error` whose `code` is one of `CONFIG_INVALID` (with an
/// `issues` array), `OPTIONS_INVALID` or `INPUT_INVALID`.
#[derive(Debug)]
pub struct BoundaryError {
    code: &'static str,
    message: String,
    issues: Option<String>,
}

impl BoundaryError {
    #[cfg_attr(login_claims_size, optimize(size))]
    fn config_invalid(issues: &[ConfigIssue]) -> BoundaryError {
        let first = issues.first().map(|i| i.message.as_str()).unwrap_or("");
        let more = match issues.len() {
            0 | 1 => String::new(),
            n => cat!(" (and ", crate::engine::json::decimal(n - 1), " more)"),
        };
        BoundaryError {
            code: "CONFIG_INVALID",
            message: cat!("invalid login-claims configuration: ", first, more),
            issues: Some(crate::config::issues_json(issues)),
        }
    }

    fn new(code: &'static str, message: impl Into<String>) -> BoundaryError {
        BoundaryError {
            code,
            message: message.into(),
            issues: None,
        }
    }

    /// The error's `code`, for native tests.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

impl From<BoundaryError> for JsValue {
    #[cfg_attr(login_claims_size, optimize(size))]
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

/// The lookup module's envelopes (the decision, the trace, the catalogue) as JSON text.
#[cfg(feature = "lookup")]
fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Our own types serialize infallibly (no maps with non-string keys, no custom errors).
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}
