//! The catalogue of the lookup's failures: one reason code each, with the sentence that explains
//! it (the `MANAGEMENT_FAILURES` of the JavaScript client, word for word).

/// Why a lookup gave no methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MgmtFailure {
    NotConfigured,
    DomainRefused,
    TokenFailed,
    Unauthorized,
    Forbidden,
    UserNotFound,
    RateLimited,
    ServerError,
    Timeout,
    Network,
    BadResponse,
    ResponseTooLarge,
}

impl MgmtFailure {
    /// Every failure, in the catalogue's order.
    pub const ALL: &'static [MgmtFailure] = &[
        MgmtFailure::NotConfigured,
        MgmtFailure::DomainRefused,
        MgmtFailure::TokenFailed,
        MgmtFailure::Unauthorized,
        MgmtFailure::Forbidden,
        MgmtFailure::UserNotFound,
        MgmtFailure::RateLimited,
        MgmtFailure::ServerError,
        MgmtFailure::Timeout,
        MgmtFailure::Network,
        MgmtFailure::BadResponse,
        MgmtFailure::ResponseTooLarge,
    ];

    /// The reason code (`mgmt_timeout`, ...).
    pub const fn code(self) -> &'static str {
        match self {
            MgmtFailure::NotConfigured => "mgmt_not_configured",
            MgmtFailure::DomainRefused => "mgmt_domain_refused",
            MgmtFailure::TokenFailed => "mgmt_token_failed",
            MgmtFailure::Unauthorized => "mgmt_unauthorized",
            MgmtFailure::Forbidden => "mgmt_forbidden",
            MgmtFailure::UserNotFound => "mgmt_user_not_found",
            MgmtFailure::RateLimited => "mgmt_rate_limited",
            MgmtFailure::ServerError => "mgmt_server_error",
            MgmtFailure::Timeout => "mgmt_timeout",
            MgmtFailure::Network => "mgmt_network",
            MgmtFailure::BadResponse => "mgmt_bad_response",
            MgmtFailure::ResponseTooLarge => "mgmt_response_too_large",
        }
    }

    /// One sentence on what the code means.
    pub const fn explain(self) -> &'static str {
        match self {
            MgmtFailure::NotConfigured => "AUTH0_DOMAIN is missing, or neither MANAGEMENT_CLIENT_ID + MANAGEMENT_CLIENT_SECRET nor MANAGEMENT_API_TOKEN is set.",
            MgmtFailure::DomainRefused => "AUTH0_DOMAIN (or AUTH0_TENANT_DOMAIN) is not a host name or an absolute https URL (plain http only for loopback); nothing was sent.",
            MgmtFailure::TokenFailed => "The client-credentials token request failed (non-2xx status or an unusable body) after its retries.",
            MgmtFailure::Unauthorized => "The Management API answered 401 even after one fresh token, or to a static token that cannot be renewed.",
            MgmtFailure::Forbidden => "The Management API answered 403: the token lacks the scope named in the detail.",
            MgmtFailure::UserNotFound => "The Management API answered 404: it has no such user.",
            MgmtFailure::RateLimited => "The Management API answered 429 and waiting as told would pass the deadline, or the retries ran out.",
            MgmtFailure::ServerError => "The Management API answered 5xx, also after the bounded retries.",
            MgmtFailure::Timeout => "A request took longer than its timeout, or the login deadline passed.",
            MgmtFailure::Network => "The connection failed: refused, reset, DNS error, or the body read was cut off.",
            MgmtFailure::BadResponse => "The answer was not usable: not JSON, not application/json, not UTF-8, an unexpected status, or pages that do not add up (a loop, more than 20 pages). An answer of the wrong shape is mfa_bad_response.",
            MgmtFailure::ResponseTooLarge => "A response body was larger than 1 MiB; reading stopped at the cap.",
        }
    }

    /// The lookup was never set up (the secrets are missing or unusable before any request): a
    /// setup state, not a fault.
    pub const fn is_setup(self) -> bool {
        matches!(
            self,
            MgmtFailure::NotConfigured | MgmtFailure::DomainRefused
        )
    }

    /// The failure with this reason code.
    pub fn from_code(code: &str) -> Option<MgmtFailure> {
        MgmtFailure::ALL.iter().copied().find(|f| f.code() == code)
    }
}

/// A failure with its detail: one short sentence that never carries a token, a client secret
/// or a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fail {
    pub failure: MgmtFailure,
    pub detail: String,
}

pub(crate) fn fail(failure: MgmtFailure, detail: impl Into<String>) -> Fail {
    Fail {
        failure,
        detail: detail.into(),
    }
}
