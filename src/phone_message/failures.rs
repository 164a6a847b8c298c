//! The reason codes a Twilio Verify call can end with ([`VerifyFailure`]), each with its
//! one-line explanation, and the Twilio error codes whose meaning is known ([`TWILIO_ERRORS`]).
//! The texts are those of `js/verify.js` (`VERIFY_FAILURES`, `TWILIO_ERRORS`), word for word.

/// Why a send or an approve did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerifyFailure {
    NotConfigured,
    Unauthorized,
    NotFound,
    Rejected,
    RateLimited,
    ServerError,
    Timeout,
    Network,
    BadResponse,
}

impl VerifyFailure {
    /// Every reason code, in the order of `VERIFY_FAILURES`.
    pub const ALL: &'static [VerifyFailure] = &[
        VerifyFailure::NotConfigured,
        VerifyFailure::Unauthorized,
        VerifyFailure::NotFound,
        VerifyFailure::Rejected,
        VerifyFailure::RateLimited,
        VerifyFailure::ServerError,
        VerifyFailure::Timeout,
        VerifyFailure::Network,
        VerifyFailure::BadResponse,
    ];

    /// The stable reason code (`verify_not_configured`, ...).
    pub fn code(self) -> &'static str {
        match self {
            VerifyFailure::NotConfigured => "verify_not_configured",
            VerifyFailure::Unauthorized => "verify_unauthorized",
            VerifyFailure::NotFound => "verify_not_found",
            VerifyFailure::Rejected => "verify_rejected",
            VerifyFailure::RateLimited => "verify_rate_limited",
            VerifyFailure::ServerError => "verify_server_error",
            VerifyFailure::Timeout => "verify_timeout",
            VerifyFailure::Network => "verify_network",
            VerifyFailure::BadResponse => "verify_bad_response",
        }
    }

    /// What the reason code means, in one line.
    pub fn explain(self) -> &'static str {
        match self {
            VerifyFailure::NotConfigured => {
                "TWILIO_ACCOUNT_SID (AC + 32 hex), TWILIO_AUTH_TOKEN or TWILIO_VERIFY_SID (VA + 32 hex) is missing or malformed; nothing was sent."
            }
            VerifyFailure::Unauthorized => {
                "Twilio answered 401 or 403: the Account SID and Auth Token do not match, or lack access to the service."
            }
            VerifyFailure::NotFound => {
                "Twilio answered 404: no such Verify service, an unsupported locale (retried once without it), or for feedback no pending verification for that number."
            }
            VerifyFailure::Rejected => {
                "Twilio refused the request (4xx with a Twilio error code, e.g. 60200 invalid parameter, 60203 too many sends, 60410 Fraud Guard)."
            }
            VerifyFailure::RateLimited => {
                "Twilio answered 429 and waiting as told would pass the deadline, or the retries ran out."
            }
            VerifyFailure::ServerError => "Twilio answered 5xx, also after the bounded retries.",
            VerifyFailure::Timeout => {
                "A request took longer than its timeout, or the deadline passed."
            }
            VerifyFailure::Network => {
                "The connection failed: refused, reset, DNS error, or the body read was cut off."
            }
            VerifyFailure::BadResponse => {
                "The answer was not usable: a redirect, an unexpected status, or a body over 64 KiB."
            }
        }
    }
}

/// Twilio error codes whose meaning is certain (twilio.com/docs/errors); any other code is
/// reported by number only.
pub const TWILIO_ERRORS: &[(u32, &str)] = &[
    (
        20003,
        "authentication failed: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
    ),
    (
        20404,
        "not found: check TWILIO_VERIFY_SID (for feedback: no pending verification for that number)",
    ),
    (20429, "too many requests"),
    (60200, "invalid parameter"),
    (60203, "max send attempts reached for this number"),
    (60205, "SMS is not supported by this (landline) number"),
    (60410, "delivery blocked by Verify Fraud Guard"),
];

/// The description of a Twilio error code, when it is one of [`TWILIO_ERRORS`].
pub fn twilio_error_text(code: u32) -> Option<&'static str> {
    TWILIO_ERRORS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, text)| *text)
}

/// A 429 with one of these is a per-number limit, not load: retrying only burns another
/// attempt.
pub(crate) const NOT_RETRYABLE_429: &[u32] = &[60203];
