//! The trace: one entry per claim the configuration could produce, saying whether it was set and
//! why. Reason codes are stable; tools and tests match on them, people read `detail`.
//!
//! A trace never holds a claim value, and never more of a phone number than its last 4 digits.

use crate::claims::Token;
use serde::Serialize;

/// What happened to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The claim is in the plan and will be set.
    Set,
    /// The claim is not set: its source had no usable value, or its scope was not requested.
    Skipped,
    /// The claim had a value but was left out to keep the token under Auth0's size limit.
    Dropped,
    /// Not a decision: something about the event that a person should know (malformed event
    /// data that was read as absent). The entries of the same claim say what was decided.
    Noted,
}

/// Every reason code the trace can carry. The string form (`code()`) is the stable contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "&'static str")]
pub enum Reason {
    // --- set
    /// `phone_number`/`phone_number_verified` came from the source named in `source`.
    PhoneFound,
    /// A custom claim was copied from its event path.
    ValueCopied,
    // --- phone, skipped
    /// The `phone` scope was not requested; Auth0 would remove the phone claims anyway.
    ScopeNotRequested,
    /// This phone source has no number.
    SourceEmpty,
    /// `user.enrolledFactors` lists no phone factor, so no Management API lookup was made.
    MfaNotEnrolled,
    /// The lookup returned no confirmed SMS or voice enrollment.
    MfaNoConfirmedPhone,
    /// The event has no usable `user.user_id` to look the user up by.
    MfaUserIdMissing,
    /// The Action's secrets do not set up the Management API (no `AUTH0_DOMAIN`, or no client
    /// credentials or token, or an unusable one): a setup state, not a fault. No request is
    /// made and the next source is tried.
    MfaNotConfigured,
    /// The Management API answered with something that is not a list of methods.
    MfaBadResponse,
    /// A phone value that is not a string.
    PhoneNotAString,
    PhoneEmpty,
    /// A masked number: the tenant flag `disable_management_api_sms_obfuscation` is off.
    PhoneMasked,
    PhoneNotInternational,
    PhoneBadCharacters,
    PhoneUnknownCountryCode,
    PhoneTooShort,
    PhoneTooLong,
    PhoneBadExtension,
    /// No phone source gave a valid number.
    NoPhoneNumber,
    /// An event field Auth0 documents with another type (`transaction.requested_scopes` as a
    /// string, `user.enrolledFactors` as an object, `phone_verified` as the string "true"); it is
    /// read as absent, and `source` names it.
    MalformedEventData,
    /// The MFA lookup failed; the phone claims are withheld rather than taken from a later
    /// source, so that a network fault never changes which number a user gets.
    LookupFailed,
    // --- custom claims, skipped
    /// The event has no value (or `null`) at the claim's path.
    MissingValue,
    /// Reading the value threw (a getter or Proxy in the event).
    UnreadableValue,
    /// The value cannot be copied as JSON (function, symbol, bigint, cycle, nesting too deep,
    /// invalid UTF-16).
    UnsupportedValue,
    // --- dropped
    /// Left out so that the token's custom claims stay under the size budget.
    TokenSizeBudget,
}

impl Reason {
    pub const ALL: &'static [Reason] = &[
        Reason::PhoneFound,
        Reason::ValueCopied,
        Reason::ScopeNotRequested,
        Reason::SourceEmpty,
        Reason::MfaNotEnrolled,
        Reason::MfaNoConfirmedPhone,
        Reason::MfaUserIdMissing,
        Reason::MfaNotConfigured,
        Reason::MfaBadResponse,
        Reason::PhoneNotAString,
        Reason::PhoneEmpty,
        Reason::PhoneMasked,
        Reason::PhoneNotInternational,
        Reason::PhoneBadCharacters,
        Reason::PhoneUnknownCountryCode,
        Reason::PhoneTooShort,
        Reason::PhoneTooLong,
        Reason::PhoneBadExtension,
        Reason::NoPhoneNumber,
        Reason::MalformedEventData,
        Reason::LookupFailed,
        Reason::MissingValue,
        Reason::UnreadableValue,
        Reason::UnsupportedValue,
        Reason::TokenSizeBudget,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::PhoneFound => "phone_found",
            Reason::ValueCopied => "value_copied",
            Reason::ScopeNotRequested => "scope_not_requested",
            Reason::SourceEmpty => "source_empty",
            Reason::MfaNotEnrolled => "mfa_not_enrolled",
            Reason::MfaNoConfirmedPhone => "mfa_no_confirmed_phone",
            Reason::MfaUserIdMissing => "mfa_user_id_missing",
            Reason::MfaNotConfigured => "mfa_not_configured",
            Reason::MfaBadResponse => "mfa_bad_response",
            Reason::PhoneNotAString => "phone_not_a_string",
            Reason::PhoneEmpty => "phone_empty",
            Reason::PhoneMasked => "phone_masked",
            Reason::PhoneNotInternational => "phone_not_international",
            Reason::PhoneBadCharacters => "phone_bad_characters",
            Reason::PhoneUnknownCountryCode => "phone_unknown_country_code",
            Reason::PhoneTooShort => "phone_too_short",
            Reason::PhoneTooLong => "phone_too_long",
            Reason::PhoneBadExtension => "phone_bad_extension",
            Reason::NoPhoneNumber => "no_phone_number",
            Reason::MalformedEventData => "malformed_event_data",
            Reason::LookupFailed => "lookup_failed",
            Reason::MissingValue => "missing_value",
            Reason::UnreadableValue => "unreadable_value",
            Reason::UnsupportedValue => "unsupported_value",
            Reason::TokenSizeBudget => "token_size_budget",
        }
    }

    /// The reason for a phone value the normalizer refused.
    pub fn from_rejection(rejection: crate::phone::PhoneRejection) -> Reason {
        use crate::phone::PhoneRejection as R;
        match rejection {
            R::NotAString => Reason::PhoneNotAString,
            R::Empty => Reason::PhoneEmpty,
            R::Masked => Reason::PhoneMasked,
            R::NotInternational => Reason::PhoneNotInternational,
            R::BadCharacters => Reason::PhoneBadCharacters,
            R::UnknownCountryCode => Reason::PhoneUnknownCountryCode,
            R::TooShort => Reason::PhoneTooShort,
            R::TooLong => Reason::PhoneTooLong,
            R::BadExtension => Reason::PhoneBadExtension,
        }
    }
}

impl From<Reason> for &'static str {
    fn from(reason: Reason) -> &'static str {
        reason.code()
    }
}

/// One line of the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    /// `idToken` or `accessToken`.
    pub token: &'static str,
    pub claim: String,
    pub outcome: Outcome,
    pub reason: Reason,
    /// Where the value came from or was looked for: a phone source (`profile`, `mfa`,
    /// `app_metadata`), an event path, or the scope location consulted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A sentence for people: never a claim value, at most the last 4 digits of a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For lookup failures: the Management API failure code (`mgmt_timeout`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl TraceEntry {
    pub fn new(token: Token, claim: &str, outcome: Outcome, reason: Reason) -> TraceEntry {
        TraceEntry {
            token: token.key(),
            claim: claim.to_owned(),
            outcome,
            reason,
            source: None,
            detail: None,
            failure: None,
        }
    }

    pub fn source(mut self, source: impl Into<String>) -> TraceEntry {
        self.source = Some(source.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> TraceEntry {
        self.detail = Some(detail.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut seen = std::collections::BTreeSet::new();
        for reason in Reason::ALL {
            let code = reason.code();
            assert!(seen.insert(code), "duplicate {code}");
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
        }
    }

    #[test]
    fn serializes_with_codes() {
        let entry = TraceEntry::new(
            Token::Access,
            "x",
            Outcome::Dropped,
            Reason::TokenSizeBudget,
        )
        .source("user.app_metadata.x");
        let json = serde_json::to_string(&entry).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"token":"accessToken","claim":"x","outcome":"dropped","reason":"token_size_budget","source":"user.app_metadata.x"}"#
        );
    }
}
