//! The options of the handlers (`createPostLoginHandler(config, options)` and the phone-message
//! handlers): which exist, their defaults and their checks. The shim checks only the options
//! that are functions (`fetch`, `now`) or an object of functions (`logger`); everything else is
//! checked here, once, when a handler is created.

use crate::config::MfaEndpoint;

/// Which handler the options are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerKind {
    /// `createPostLoginHandler` and `simulatePostLogin`.
    PostLogin,
    /// `createSendPhoneMessageHandler` and `createCustomPhoneProviderHandler`.
    SendPhoneMessage,
    /// `createVerifyFeedbackHandler`.
    VerifyFeedback,
}

/// What a lookup failure does to the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// The login goes on without the phone claims.
    Continue,
    /// The login is denied with a generic reason.
    Deny,
}

/// An option's value as the boundary saw it; only its type matters for the ones the shim checks.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    Undefined,
    Number(f64),
    Text(String),
    /// Any other JavaScript value; the name of its type (`function`, `object`, `boolean`, ...).
    Other(&'static str),
}

/// The options of one handler, checked, with every default filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerOptions {
    pub timeout_ms: f64,
    pub deadline_ms: f64,
    pub on_error: OnError,
    pub max_age_seconds: i64,
    pub mfa_endpoint: MfaEndpoint,
    /// The Verify origin (`verifyBaseUrl`, default `https://verify.twilio.com`).
    #[cfg(feature = "phone-messages")]
    pub verify_base: crate::transport::Origin,
}

/// One option: its name, the handlers that accept it, and its default as the README shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    pub name: &'static str,
    pub kinds: &'static [HandlerKind],
    /// The default per handler kind, in the order of `kinds`; `None` when it has none (a
    /// function option defaults to the runtime's own).
    pub defaults: &'static [Option<&'static str>],
}

use HandlerKind::{PostLogin, SendPhoneMessage, VerifyFeedback};

const ALL_KINDS: &[HandlerKind] = &[PostLogin, SendPhoneMessage, VerifyFeedback];
const NO_DEFAULT: &[Option<&str>] = &[None, None, None];

/// Every option, in the order the "allowed" list of an error names them.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec {
        name: "fetch",
        kinds: ALL_KINDS,
        defaults: NO_DEFAULT,
    },
    OptionSpec {
        name: "timeoutMs",
        kinds: ALL_KINDS,
        defaults: &[Some("2500"), Some("3000"), Some("1000")],
    },
    OptionSpec {
        name: "deadlineMs",
        kinds: ALL_KINDS,
        defaults: &[Some("5000"), Some("8000"), Some("1500")],
    },
    OptionSpec {
        name: "onError",
        kinds: &[PostLogin],
        defaults: &[Some("continue")],
    },
    OptionSpec {
        name: "logger",
        kinds: ALL_KINDS,
        defaults: NO_DEFAULT,
    },
    OptionSpec {
        name: "now",
        kinds: ALL_KINDS,
        defaults: NO_DEFAULT,
    },
    OptionSpec {
        name: "verifyBaseUrl",
        kinds: &[SendPhoneMessage, VerifyFeedback],
        defaults: &[
            Some("https://verify.twilio.com"),
            Some("https://verify.twilio.com"),
        ],
    },
    OptionSpec {
        name: "maxAgeSeconds",
        kinds: &[VerifyFeedback],
        defaults: &[Some("600")],
    },
    OptionSpec {
        name: "mfaEndpoint",
        kinds: &[VerifyFeedback],
        defaults: &[Some("authentication-methods")],
    },
];

impl OptionSpec {
    /// The default of this option for `kind`, when it applies and has one.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn default_for(&self, kind: HandlerKind) -> Option<&'static str> {
        let at = self.kinds.iter().position(|k| *k == kind)?;
        self.defaults.get(at).copied().flatten()
    }
}

/// The names of the options `kind` accepts, in order.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn accepted(kind: HandlerKind) -> impl Iterator<Item = &'static str> {
    OPTIONS
        .iter()
        .filter(move |spec| spec.kinds.contains(&kind))
        .map(|spec| spec.name)
}

#[cfg_attr(login_claims_size, optimize(size))]
fn default_number(kind: HandlerKind, name: &str) -> f64 {
    OPTIONS
        .iter()
        .find(|spec| spec.name == name)
        .and_then(|spec| spec.default_for(kind))
        // Whole milliseconds or seconds: read as an integer (no float parser in the module).
        .and_then(|text| text.parse::<u32>().ok())
        .map_or(1000.0, f64::from)
}

/// Checks the options of a handler. `entries` are the option object's own keys and values;
/// `None` when the options are not an object at all (`undefined` and `null` are no options).
/// The error is the sentence the shim puts in its `OPTIONS_INVALID` error.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn check(
    kind: HandlerKind,
    entries: Option<&[(String, OptionValue)]>,
) -> Result<HandlerOptions, String> {
    let entries = entries.ok_or_else(|| "options must be an object".to_owned())?;
    let unknown: Vec<&str> = entries
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| !accepted(kind).any(|name| name == *key))
        .collect();
    if !unknown.is_empty() {
        let allowed: Vec<&str> = accepted(kind).collect();
        return Err(cat!(
            "unknown option(s): ",
            unknown.join(", "),
            "; allowed: ",
            allowed.join(", ")
        ));
    }
    let value = |name: &str| {
        entries
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v)
            .filter(|v| **v != OptionValue::Undefined)
    };
    let milliseconds = |name: &str| match value(name) {
        None => Ok(default_number(kind, name)),
        Some(OptionValue::Number(ms)) if ms.is_finite() && *ms > 0.0 => Ok(*ms),
        Some(_) => Err(cat!(
            "options.",
            name,
            " must be a positive number of milliseconds"
        )),
    };
    let timeout_ms = milliseconds("timeoutMs")?;
    let deadline_ms = milliseconds("deadlineMs")?;
    let on_error = match value("onError") {
        None => OnError::Continue,
        Some(OptionValue::Text(text)) if text == "continue" => OnError::Continue,
        Some(OptionValue::Text(text)) if text == "deny" => OnError::Deny,
        Some(_) => return Err("options.onError must be 'continue' or 'deny'".to_owned()),
    };
    let max_age_seconds = match value("maxAgeSeconds") {
        None => DEFAULT_MAX_AGE_SECONDS,
        Some(OptionValue::Number(s)) if s.fract() == 0.0 && (1.0..=86_400.0).contains(s) => {
            // A whole number from 1 to 86400: exact as an integer.
            *s as i64
        }
        Some(_) => {
            return Err(
                "options.maxAgeSeconds must be a whole number of seconds from 1 to 86400"
                    .to_owned(),
            )
        }
    };
    let mfa_endpoint = match value("mfaEndpoint") {
        None => MfaEndpoint::AuthenticationMethods,
        Some(OptionValue::Text(text)) if text == "authentication-methods" => {
            MfaEndpoint::AuthenticationMethods
        }
        Some(OptionValue::Text(text)) if text == "enrollments" => MfaEndpoint::Enrollments,
        Some(_) => {
            return Err(
                "options.mfaEndpoint must be 'authentication-methods' or 'enrollments'".to_owned(),
            )
        }
    };
    Ok(HandlerOptions {
        timeout_ms,
        deadline_ms,
        on_error,
        max_age_seconds,
        mfa_endpoint,
        #[cfg(feature = "phone-messages")]
        verify_base: verify_base(value("verifyBaseUrl"))?,
    })
}

/// Verify's default code lifetime: a phone factor older than this belongs to an earlier login.
pub const DEFAULT_MAX_AGE_SECONDS: i64 = 600;

#[cfg(feature = "phone-messages")]
#[cfg_attr(login_claims_size, optimize(size))]
fn verify_base(value: Option<&OptionValue>) -> Result<crate::transport::Origin, String> {
    use crate::phone_message::verify::{parse_verify_base_url, DEFAULT_VERIFY_BASE_URL};
    let raw = match value {
        None => DEFAULT_VERIFY_BASE_URL,
        Some(OptionValue::Text(text)) => text.as_str(),
        Some(_) => {
            return Err(
                "options.verifyBaseUrl must be an absolute URL without whitespace".to_owned(),
            )
        }
    };
    parse_verify_base_url(raw).map_err(|sentence| cat!("options.", sentence))
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
