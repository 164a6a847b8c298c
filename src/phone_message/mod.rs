//! Phone-message delivery through Twilio Verify, and the "approved" feedback Verify's Fraud Guard
//! needs after a login.
//!
//! Auth0 generates the code and hands it to an Action (`send-phone-message`, or the newer
//! `custom-phone-provider`); the Action asks Verify to deliver it as a `CustomCode`. This module
//! turns the trigger's fields into a [`Delivery`] (E.164 recipient, Verify channel, code, locale)
//! or a [`Refusal`] with a stable reason, so that nothing questionable is ever sent: a code that
//! reaches the wrong phone is a credential handed to someone else.
//!
//! After the login, Verify wants to hear which codes were used ([`feedback`]). Whether this
//! login used a phone factor is read from `event.authentication.methods`: Auth0 documents
//! `{name: "sms"}` for a passwordless-SMS first factor and `{name: "mfa", type: "phone"}` for an
//! SMS or voice second factor (`type` takes the values of `user.enrolledFactors[].type`). The
//! number comes from the profile for passwordless SMS and from the confirmed phone enrollment
//! (a Management API lookup) for MFA.

use crate::config::MfaEndpoint;
use crate::engine::{LookupOutcome, LookupRequest};
use crate::mfa::{self, Choice};
use crate::phone::{self, PhoneNumber, PhoneRejection};
use serde_json::Value;

// The Twilio Verify client: one send or approve as a sans-IO machine, and its reason codes.
pub mod failures;
pub mod handlers;
pub mod verify;
pub use crate::transport::Machine;
pub use failures::{twilio_error_text, VerifyFailure, TWILIO_ERRORS};
pub use verify::{
    parse_verify_base_url, VerifyAction, VerifyCall, VerifyResult, DEFAULT_VERIFY_BASE_URL,
    VERIFY_SECRET_NAMES,
};

/// Twilio Verify accepts a `CustomCode` of 4 to 10 characters; Auth0's codes are 6 digits.
const MIN_CODE_DIGITS: usize = 4;
const MAX_CODE_DIGITS: usize = 10;
/// Longer than any language tag worth reading (`zh-Hant-HK` is 10 bytes).
const MAX_LOCALE_BYTES: usize = 64;
/// `event.authentication.methods` holds a handful of entries; more is not Auth0's doing.
const MAX_METHODS_READ: usize = 64;
/// A factor completed this long before "now" still counts as this login's, for clocks that
/// differ between Auth0's servers.
const CLOCK_SKEW_SECONDS: i64 = 60;
/// Verify's default code lifetime (10 minutes): older factors belong to an earlier login of the
/// same session, whose verification has been approved or has expired.
pub const DEFAULT_FEEDBACK_MAX_AGE_SECONDS: i64 = 600;
/// api.cache's longest lifetime; a bigger window would only approve stale verifications.
pub const MAX_FEEDBACK_MAX_AGE_SECONDS: i64 = 86_400;

/// The locales Verify's templates support (twilio.com/docs/verify/supported-languages). Verify
/// answers 404 to any other `Locale`, so an unknown one is left out and Verify picks the
/// language from the number's country code.
const VERIFY_LOCALES: &[&str] = &[
    "af", "ar", "ca", "cs", "da", "de", "el", "en", "en-GB", "es", "et", "fi", "fr", "he", "hi",
    "hr", "hu", "id", "it", "ja", "kn", "ko", "lt", "mr", "ms", "nb", "nl", "pl", "pt", "pt-BR",
    "ro", "ru", "sk", "sv", "te", "th", "tl", "tr", "uk", "vi", "zh", "zh-CN", "zh-HK",
];

/// How Verify delivers the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyChannel {
    Sms,
    /// A voice call that reads the code out (Auth0's `voice`).
    Call,
}

impl VerifyChannel {
    /// The value of Verify's `Channel` field.
    pub fn name(self) -> &'static str {
        match self {
            VerifyChannel::Sms => "sms",
            VerifyChannel::Call => "call",
        }
    }
}

/// One message for Verify to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// E.164 without an extension.
    pub to: PhoneNumber,
    pub channel: VerifyChannel,
    /// 4 to 10 ASCII digits, as Auth0 generated them.
    pub code: String,
    /// A locale from Verify's list, when the event named one that maps to it.
    pub locale: Option<&'static str>,
    /// The event named a locale that Verify does not support; it was left out.
    pub locale_dropped: bool,
}

/// Why nothing may be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// `event.message_options` / `event.notification` is missing or not an object.
    EventInvalid,
    /// The recipient is not a dialable E.164 number (see [`Refusal::detail`]).
    RecipientInvalid,
    /// `message_type` (or `delivery_method`) is neither SMS nor voice.
    MessageTypeUnknown,
    /// The message carries no code (e.g. a `blocked_account` notification); Verify only
    /// delivers codes.
    CodeMissing,
    /// The code is not a string of 4 to 10 ASCII digits.
    CodeInvalid,
}

impl RefusalReason {
    /// Every reason, in the order of the documentation.
    pub const ALL: [RefusalReason; 5] = [
        RefusalReason::EventInvalid,
        RefusalReason::RecipientInvalid,
        RefusalReason::MessageTypeUnknown,
        RefusalReason::CodeMissing,
        RefusalReason::CodeInvalid,
    ];

    /// A stable reason code.
    pub fn code(self) -> &'static str {
        match self {
            RefusalReason::EventInvalid => "event_invalid",
            RefusalReason::RecipientInvalid => "recipient_invalid",
            RefusalReason::MessageTypeUnknown => "message_type_unknown",
            RefusalReason::CodeMissing => "code_missing",
            RefusalReason::CodeInvalid => "code_invalid",
        }
    }
}

/// A delivery that was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub reason: RefusalReason,
    /// For [`RefusalReason::RecipientInvalid`]: a phone reason code (`phone_masked`,
    /// `phone_too_short`, ..., or `phone_has_extension`).
    pub detail: Option<&'static str>,
    /// What to change; never holds the code or more than the last 4 digits of the recipient.
    pub message: String,
    /// At most the last 4 digits of the recipient ("" when it has fewer).
    pub recipient_redacted: String,
}

/// The reason code of a recipient with an extension. Verify dials or texts the main number
/// only, so the code would reach whoever answers a shared line; such a recipient is refused
/// rather than stripped.
pub const PHONE_HAS_EXTENSION: &str = "phone_has_extension";

/// Plans a `send-phone-message` delivery from `event.message_options` and
/// `event.request.language`.
///
/// `message_type` `sms` (or absent: the trigger predates voice) is an SMS, `voice` a call.
pub fn send_phone_message(
    message_options: &Value,
    request_language: Option<&str>,
) -> Result<Delivery, Refusal> {
    let trigger = TriggerFields {
        object: "event.message_options",
        channel_field: "message_type",
        sms_word: "sms",
        expected: "'sms' or 'voice'",
    };
    let (fields, to, channel) = trigger.recipient_and_channel(message_options)?;
    let code = code(fields.get("code"), &to, None)?;
    Ok(with_locale(to, channel, code, request_language))
}

/// Plans a `custom-phone-provider` delivery from `event.notification`.
///
/// `delivery_method` `text` (or absent) is an SMS, `voice` a call; the locale is
/// `notification.locale`.
pub fn custom_phone_provider(notification: &Value) -> Result<Delivery, Refusal> {
    let trigger = TriggerFields {
        object: "event.notification",
        channel_field: "delivery_method",
        sms_word: "text",
        expected: "'text' or 'voice'",
    };
    let (fields, to, channel) = trigger.recipient_and_channel(notification)?;
    let message_type = fields.get("message_type").and_then(Value::as_str);
    let code = code(fields.get("code"), &to, message_type)?;
    let locale = fields.get("locale").and_then(Value::as_str);
    Ok(with_locale(to, channel, code, locale))
}

/// How a trigger names its fields: the object, the field that picks the channel, and its word
/// for an SMS (`voice` is a call in both).
struct TriggerFields {
    object: &'static str,
    channel_field: &'static str,
    sms_word: &'static str,
    expected: &'static str,
}

impl TriggerFields {
    /// The trigger's fields, the recipient and the channel (absent: SMS, as before voice).
    fn recipient_and_channel<'a>(
        &self,
        event_object: &'a Value,
    ) -> Result<
        (
            &'a serde_json::Map<String, Value>,
            PhoneNumber,
            VerifyChannel,
        ),
        Refusal,
    > {
        let Value::Object(fields) = event_object else {
            return Err(event_invalid(self.object));
        };
        let to = recipient(fields.get("recipient"))?;
        let channel = match fields.get(self.channel_field) {
            None | Some(Value::Null) => VerifyChannel::Sms,
            Some(Value::String(t)) if t == self.sms_word => VerifyChannel::Sms,
            Some(Value::String(t)) if t == "voice" => VerifyChannel::Call,
            Some(other) => return Err(unknown_type(&to, self.channel_field, other, self.expected)),
        };
        Ok((fields, to, channel))
    }
}

fn with_locale(
    to: PhoneNumber,
    channel: VerifyChannel,
    code: String,
    raw_locale: Option<&str>,
) -> Delivery {
    let raw_locale = raw_locale.filter(|raw| !raw.trim().is_empty());
    let locale = raw_locale.and_then(verify_locale);
    Delivery {
        to,
        channel,
        code,
        locale,
        locale_dropped: raw_locale.is_some() && locale.is_none(),
    }
}

fn event_invalid(what: &str) -> Refusal {
    Refusal {
        reason: RefusalReason::EventInvalid,
        detail: None,
        message: format!("{what} is missing or not an object, so there is nothing to send"),
        recipient_redacted: String::new(),
    }
}

fn recipient(raw: Option<&Value>) -> Result<PhoneNumber, Refusal> {
    let refuse = |detail: &'static str, redacted: String, hint: &str| Refusal {
        reason: RefusalReason::RecipientInvalid,
        detail: Some(detail),
        message: format!(
            "the recipient cannot receive a code ({detail}): {hint}; nothing was sent"
        ),
        recipient_redacted: redacted,
    };
    let Some(Value::String(text)) = raw else {
        let rejection = PhoneRejection::NotAString;
        return Err(refuse(
            rejection.code(),
            String::new(),
            "the recipient is missing or not a string",
        ));
    };
    match phone::normalize(text) {
        Ok(number) if number.as_str().contains(';') => Err(refuse(
            PHONE_HAS_EXTENSION,
            number.redacted(),
            "Verify cannot dial an extension, so the code would reach whoever answers the main line",
        )),
        Ok(number) => Ok(number),
        Err(rejection) => Err(refuse(
            rejection.code(),
            phone::redact_raw(text),
            recipient_hint(rejection),
        )),
    }
}

/// Short hints for delivery logs. (`PhoneRejection::explain` addresses whoever maintains
/// profile data, and one of its sentences quotes a full example number, which a log scan for
/// leaked numbers could not tell from a real one.)
fn recipient_hint(rejection: PhoneRejection) -> &'static str {
    match rejection {
        PhoneRejection::Masked => {
            "it is masked (contains X or *), so there is no real number to send to"
        }
        PhoneRejection::Empty | PhoneRejection::NotAString => "the recipient is empty",
        PhoneRejection::NotInternational => "it must start with + and the country code",
        PhoneRejection::BadCharacters => "it may hold only digits after the +",
        PhoneRejection::UnknownCountryCode => {
            "it does not start with an assigned country calling code"
        }
        PhoneRejection::TooShort => "it has fewer than 7 digits",
        PhoneRejection::TooLong => "it has more than 15 digits",
        PhoneRejection::BadExtension => "it has a malformed ; parameter",
    }
}

fn unknown_type(to: &PhoneNumber, field: &str, value: &Value, allowed: &str) -> Refusal {
    let shown = match value.as_str() {
        // Auth0's values are short lowercase words; anything else is not quoted.
        Some(text)
            if !text.is_empty()
                && text.len() <= 24
                && text
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b == b'-') =>
        {
            format!("'{text}'")
        }
        _ => "an unexpected value".to_owned(),
    };
    Refusal {
        reason: RefusalReason::MessageTypeUnknown,
        detail: None,
        message: format!("{field} is {shown}; expected {allowed}; nothing was sent"),
        recipient_redacted: to.redacted(),
    }
}

fn code(
    raw: Option<&Value>,
    to: &PhoneNumber,
    message_type: Option<&str>,
) -> Result<String, Refusal> {
    let refuse = |reason: RefusalReason, message: String| Refusal {
        reason,
        detail: None,
        message,
        recipient_redacted: to.redacted(),
    };
    match raw {
        None | Some(Value::Null) => {
            let kind = message_type
                .filter(|t| {
                    !t.is_empty()
                        && t.len() <= 40
                        && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                })
                .map(|t| format!(" ({t})"))
                .unwrap_or_default();
            Err(refuse(
                RefusalReason::CodeMissing,
                format!("this message{kind} carries no code, and Twilio Verify only delivers one-time codes; send it through another provider"),
            ))
        }
        Some(Value::String(text))
            if (MIN_CODE_DIGITS..=MAX_CODE_DIGITS).contains(&text.len())
                && text.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Ok(text.clone())
        }
        Some(_) => Err(refuse(
            RefusalReason::CodeInvalid,
            format!("the code is not a string of {MIN_CODE_DIGITS} to {MAX_CODE_DIGITS} digits, which Verify's CustomCode requires; nothing was sent"),
        )),
    }
}

/// Maps a language tag (`pt_BR`, `en-US`, `en-GB,en;q=0.9`, `no`) to the closest locale
/// Verify supports, or `None` when there is none: then Verify chooses by the number's country.
///
/// A region is kept only when Verify has that exact variant (`pt-BR`, `en-GB`, `zh-HK`);
/// otherwise the language alone is used (`en-US` → `en`). Traditional Chinese outside Hong Kong
/// (`zh-TW`, `zh-Hant`) gives `None`: Verify has no such template, and Simplified Chinese
/// would be the wrong script.
pub fn verify_locale(raw: &str) -> Option<&'static str> {
    if raw.len() > MAX_LOCALE_BYTES {
        return None;
    }
    // The first entry of an Accept-Language list, without its weight.
    let first = raw.split(',').next()?.split(';').next()?.trim();
    let mut subtags = first.split(['-', '_']);
    let language = subtags.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut script = None;
    let mut region = None;
    for subtag in subtags {
        if subtag.is_empty()
            || subtag.len() > 8
            || !subtag.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        let alpha = subtag.bytes().all(|b| b.is_ascii_alphabetic());
        match subtag.len() {
            4 if alpha && script.is_none() && region.is_none() => {
                script = Some(subtag.to_ascii_lowercase())
            }
            2 if alpha && region.is_none() => region = Some(subtag.to_ascii_uppercase()),
            3 if subtag.bytes().all(|b| b.is_ascii_digit()) && region.is_none() => {
                region = Some(subtag.to_owned())
            }
            // Variants and extensions do not change the template.
            _ => {}
        }
    }
    let language = match language.as_str() {
        "no" | "nn" => "nb",
        "iw" => "he",
        "in" => "id",
        "fil" => "tl",
        other => other,
    };
    if let Some(region) = &region {
        let tag = format!("{language}-{region}");
        if let Some(found) = supported(&tag) {
            return Some(found);
        }
    }
    if language == "zh" {
        let traditional =
            script.as_deref() == Some("hant") || matches!(region.as_deref(), Some("TW" | "MO"));
        if traditional {
            return None;
        }
    }
    supported(language)
}

fn supported(tag: &str) -> Option<&'static str> {
    VERIFY_LOCALES.iter().copied().find(|known| *known == tag)
}

// ---- feedback -------------------------------------------------------------------------------

/// What the feedback reads from a post-login event. The JS shim fills it; every field that
/// comes from the event is kept as the JSON it was, so that odd shapes are decided here.
#[derive(Debug, Clone, PartialEq)]
pub struct LoginFacts {
    /// `event.authentication.methods`.
    pub methods: Option<Value>,
    /// `event.user.phone_number` (passwordless SMS users).
    pub phone_number: Option<Value>,
    /// `event.user.user_id`.
    pub user_id: Option<Value>,
    /// `event.transaction.protocol`.
    pub protocol: Option<Value>,
    /// The time of the login, in seconds since the epoch.
    pub now_seconds: i64,
    /// How old the phone factor may be for this login to count as its use.
    pub max_age_seconds: i64,
    /// Where the MFA phone enrollment is looked up.
    pub endpoint: MfaEndpoint,
}

/// Where the approved number came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedbackSource {
    /// `user.phone_number` after a passwordless-SMS login.
    PasswordlessSms,
    /// The confirmed SMS/voice enrollment after an MFA phone challenge.
    MfaPhone,
}

impl FeedbackSource {
    pub fn name(self) -> &'static str {
        match self {
            FeedbackSource::PasswordlessSms => "passwordless_sms",
            FeedbackSource::MfaPhone => "mfa_phone",
        }
    }
}

/// Why no feedback is sent for a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A refresh-token exchange: no code was sent.
    RefreshToken,
    /// No SMS or voice factor in `event.authentication.methods`.
    NoPhoneFactor,
    /// The phone factor is older than the window, or its time cannot be read: it belongs to
    /// an earlier login of the same session.
    FactorNotRecent,
    /// Passwordless SMS, but `user.phone_number` does not normalize.
    ProfileNumberInvalid,
    /// MFA, but `user.user_id` is missing, so no lookup can be made.
    UserIdMissing,
    /// The lookup failed (the detail is the Management API reason code).
    LookupFailed,
    /// The lookup found no confirmed SMS or voice enrollment.
    NoPhoneEnrollment,
    /// The enrollments' numbers are unusable (the detail is the phone reason code; masked
    /// numbers need `disable_management_api_sms_obfuscation`).
    EnrollmentNumberInvalid,
}

impl SkipReason {
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::RefreshToken => "refresh_token",
            SkipReason::NoPhoneFactor => "no_phone_factor",
            SkipReason::FactorNotRecent => "factor_not_recent",
            SkipReason::ProfileNumberInvalid => "profile_number_invalid",
            SkipReason::UserIdMissing => "user_id_missing",
            SkipReason::LookupFailed => "lookup_failed",
            SkipReason::NoPhoneEnrollment => "no_phone_enrollment",
            SkipReason::EnrollmentNumberInvalid => "enrollment_number_invalid",
        }
    }
}

/// The feedback decision for one login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feedback {
    /// Post `Status=approved` for this number.
    Approve {
        to: PhoneNumber,
        source: FeedbackSource,
    },
    /// The number is the MFA enrollment's: look it up, then call [`feedback_after_lookup`].
    Lookup(LookupRequest),
    /// Nothing to report; `detail` is a reason code when there is one to add.
    Skip {
        reason: SkipReason,
        detail: Option<String>,
    },
}

fn skip(reason: SkipReason, detail: Option<&str>) -> Feedback {
    Feedback::Skip {
        reason,
        detail: detail.map(str::to_owned),
    }
}

/// First step of the feedback: decides from the event whether this login used an SMS or voice
/// factor and where its number comes from.
pub fn feedback(facts: &LoginFacts) -> Feedback {
    if facts.protocol.as_ref().and_then(Value::as_str) == Some("oauth2-refresh-token") {
        return skip(SkipReason::RefreshToken, None);
    }
    let Some(Value::Array(methods)) = &facts.methods else {
        return skip(SkipReason::NoPhoneFactor, None);
    };
    // The latest phone factor decides; one without a readable time cannot be placed in this
    // login and is passed over.
    let mut latest: Option<(FeedbackSource, i64)> = None;
    let mut undated = false;
    for method in methods.iter().take(MAX_METHODS_READ) {
        let name = method.get("name").and_then(Value::as_str);
        let kind = method.get("type").and_then(Value::as_str);
        let source = match (name, kind) {
            (Some("sms"), _) => FeedbackSource::PasswordlessSms,
            (Some("mfa"), Some("phone")) => FeedbackSource::MfaPhone,
            _ => continue,
        };
        match method
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(mfa::parse_timestamp)
        {
            Some(at) if latest.map_or(true, |(_, best)| at > best) => latest = Some((source, at)),
            Some(_) => {}
            None => undated = true,
        }
    }
    let Some((source, at)) = latest else {
        return if undated {
            skip(SkipReason::FactorNotRecent, Some("timestamp_unreadable"))
        } else {
            skip(SkipReason::NoPhoneFactor, None)
        };
    };
    let age = facts.now_seconds.saturating_sub(at);
    if age < -CLOCK_SKEW_SECONDS || age > facts.max_age_seconds {
        return skip(SkipReason::FactorNotRecent, None);
    }
    match source {
        FeedbackSource::PasswordlessSms => {
            let normalized = match &facts.phone_number {
                Some(Value::String(raw)) => phone::normalize(raw),
                Some(Value::Null) | None => Err(PhoneRejection::Empty),
                Some(_) => Err(PhoneRejection::NotAString),
            };
            match normalized {
                Ok(number) if number.as_str().contains(';') => {
                    skip(SkipReason::ProfileNumberInvalid, Some(PHONE_HAS_EXTENSION))
                }
                Ok(to) => Feedback::Approve { to, source },
                Err(rejection) => skip(SkipReason::ProfileNumberInvalid, Some(rejection.code())),
            }
        }
        FeedbackSource::MfaPhone => match facts
            .user_id
            .as_ref()
            .and_then(Value::as_str)
            .filter(|id| !id.is_empty())
        {
            Some(user_id) => Feedback::Lookup(LookupRequest {
                endpoint: facts.endpoint,
                user_id: user_id.to_owned(),
            }),
            None => skip(SkipReason::UserIdMissing, None),
        },
    }
}

/// Second step after an MFA phone login: the number of the confirmed phone enrollment, chosen
/// as the phone claims choose it (SMS before voice, then the latest).
pub fn feedback_after_lookup(lookup: &LookupOutcome) -> Feedback {
    let response = match lookup {
        LookupOutcome::Failed { code } | LookupOutcome::NotConfigured { code, .. } => {
            return Feedback::Skip {
                reason: SkipReason::LookupFailed,
                detail: Some(code.clone()),
            }
        }
        LookupOutcome::Methods(response) => response,
    };
    let Ok(enrollments) = mfa::phone_enrollments(response) else {
        return skip(SkipReason::LookupFailed, Some("mgmt_bad_response"));
    };
    match mfa::choose(enrollments, &|| None) {
        Choice::NoneConfirmed => skip(SkipReason::NoPhoneEnrollment, None),
        Choice::Unusable { rejection, .. } => {
            skip(SkipReason::EnrollmentNumberInvalid, Some(rejection.code()))
        }
        Choice::Chosen { number, .. } if number.as_str().contains(';') => skip(
            SkipReason::EnrollmentNumberInvalid,
            Some(PHONE_HAS_EXTENSION),
        ),
        Choice::Chosen { number, .. } => Feedback::Approve {
            to: number,
            source: FeedbackSource::MfaPhone,
        },
    }
}

// Native only: proptest has no wasm32-unknown-unknown randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn sent(options: Value, language: Option<&str>) -> Delivery {
        match send_phone_message(&options, language) {
            Ok(delivery) => delivery,
            Err(refusal) => panic!("{options} was refused: {refusal:?}"),
        }
    }

    fn refused(options: Value) -> Refusal {
        match send_phone_message(&options, None) {
            Ok(delivery) => panic!("{options} was accepted: {delivery:?}"),
            Err(refusal) => refusal,
        }
    }

    fn notified(notification: Value) -> Result<Delivery, Refusal> {
        custom_phone_provider(&notification)
    }

    fn options(recipient: Value, code: Value, message_type: &str) -> Value {
        json!({
            "action": "second-factor-authentication",
            "code": code,
            "message_type": message_type,
            "recipient": recipient,
            "text": "Your code is 123456",
        })
    }

    #[test]
    fn sms_and_voice_pick_the_verify_channel() {
        let sms = sent(
            options(json!("+1 (415) 555-0123"), json!("123456"), "sms"),
            None,
        );
        assert_eq!(sms.to.as_str(), "+14155550123");
        assert_eq!(sms.channel, VerifyChannel::Sms);
        assert_eq!(sms.channel.name(), "sms");
        assert_eq!(sms.code, "123456");
        let voice = sent(
            options(json!("+447700900123"), json!("123456"), "voice"),
            None,
        );
        assert_eq!(voice.channel, VerifyChannel::Call);
        assert_eq!(voice.channel.name(), "call");
    }

    #[test]
    fn absent_message_type_is_sms() {
        let delivery = sent(json!({"recipient": "+14155550123", "code": "123456"}), None);
        assert_eq!(delivery.channel, VerifyChannel::Sms);
        let null = sent(
            json!({"recipient": "+14155550123", "code": "123456", "message_type": null}),
            None,
        );
        assert_eq!(null.channel, VerifyChannel::Sms);
    }

    #[test]
    fn unknown_message_types_are_refused_and_quoted_only_when_tame() {
        let r = refused(options(json!("+14155550123"), json!("123456"), "whatsapp"));
        assert_eq!(r.reason, RefusalReason::MessageTypeUnknown);
        assert_eq!(r.reason.code(), "message_type_unknown");
        assert!(r.message.contains("'whatsapp'"), "{}", r.message);
        assert_eq!(r.recipient_redacted, "…0123");
        let r = refused(options(
            json!("+14155550123"),
            json!("123456"),
            "<b>SMS</b>",
        ));
        assert!(r.message.contains("an unexpected value"), "{}", r.message);
        let r = refused(json!({"recipient": "+14155550123", "code": "123456", "message_type": 1}));
        assert_eq!(r.reason, RefusalReason::MessageTypeUnknown);
    }

    #[test]
    fn invalid_recipients_are_refused_with_the_phone_reason() {
        for (raw, detail) in [
            (json!("XXXXXXXX8730"), "phone_masked"),
            (json!("+1123XXXXX"), "phone_masked"),
            (json!("4155550123"), "phone_not_international"),
            (json!("+1 415"), "phone_too_short"),
            (json!("+999 1234 5678"), "phone_unknown_country_code"),
            (json!(""), "phone_empty"),
            (json!(14155550123u64), "phone_not_a_string"),
            (json!(null), "phone_not_a_string"),
        ] {
            let r = refused(options(raw.clone(), json!("123456"), "sms"));
            assert_eq!(r.reason, RefusalReason::RecipientInvalid, "{raw}");
            assert_eq!(r.detail, Some(detail), "{raw}");
            assert!(r.message.contains(detail), "{}", r.message);
            assert!(!r.message.contains("123456"));
        }
        let masked = refused(options(json!("XXXXXXXX8730"), json!("123456"), "sms"));
        assert_eq!(masked.recipient_redacted, "…8730");
        assert!(masked.message.contains("masked"));
    }

    #[test]
    fn extensions_are_refused_not_stripped() {
        let r = refused(options(
            json!("+1 415 555 0123;ext=89"),
            json!("123456"),
            "voice",
        ));
        assert_eq!(r.reason, RefusalReason::RecipientInvalid);
        assert_eq!(r.detail, Some(PHONE_HAS_EXTENSION));
        assert_eq!(r.recipient_redacted, "…0123");
        assert!(
            !r.message.contains("89"),
            "the extension is not echoed: {}",
            r.message
        );
    }

    #[test]
    fn codes_must_be_4_to_10_ascii_digits() {
        for good in ["1234", "123456", "0000000000"] {
            assert_eq!(
                sent(options(json!("+14155550123"), json!(good), "sms"), None).code,
                good
            );
        }
        for bad in [
            json!("123"),
            json!("12345678901"),
            json!("12 345"),
            json!("12345a"),
            json!("١٢٣٤٥٦"),
            json!(""),
            json!(123456),
            json!(["123456"]),
        ] {
            let r = refused(options(json!("+14155550123"), bad.clone(), "sms"));
            assert_eq!(r.reason, RefusalReason::CodeInvalid, "{bad}");
            assert_eq!(r.reason.code(), "code_invalid");
        }
        let missing = refused(json!({"recipient": "+14155550123", "message_type": "sms"}));
        assert_eq!(missing.reason, RefusalReason::CodeMissing);
    }

    #[test]
    fn the_recipient_is_checked_before_the_code() {
        let r = refused(options(json!("XXXX"), json!("x"), "fax"));
        assert_eq!(r.reason, RefusalReason::RecipientInvalid);
    }

    #[test]
    fn event_must_be_an_object() {
        for bad in [json!(null), json!("x"), json!([1]), json!(7)] {
            assert_eq!(
                refused(bad.clone()).reason,
                RefusalReason::EventInvalid,
                "{bad}"
            );
            assert_eq!(
                notified(bad).map(|_| ()).map_err(|r| r.reason),
                Err(RefusalReason::EventInvalid)
            );
        }
        assert_eq!(RefusalReason::EventInvalid.code(), "event_invalid");
    }

    #[test]
    fn refusal_messages_never_carry_the_code_or_the_number() {
        let cases = [
            options(json!("+14155550123"), json!("98765"), "fax"),
            options(json!("+14155550123;ext=4321"), json!("98765"), "sms"),
            options(json!("+14155550123"), json!("98765x"), "sms"),
            options(json!("+1415555012X"), json!("98765"), "sms"),
        ];
        for case in cases {
            let r = refused(case);
            assert!(!r.message.contains("98765"), "{}", r.message);
            assert!(!r.message.contains("4155550"), "{}", r.message);
            assert!(!r.message.contains("4321"), "{}", r.message);
        }
    }

    #[test]
    fn locale_from_the_request_language() {
        let with = |lang: &str| {
            sent(
                options(json!("+5511987654321"), json!("123456"), "sms"),
                Some(lang),
            )
        };
        assert_eq!(with("pt-BR").locale, Some("pt-BR"));
        assert_eq!(with("pt_br").locale, Some("pt-BR"));
        assert_eq!(with("en").locale, Some("en"));
        let dropped = with("tlh");
        assert_eq!(dropped.locale, None);
        assert!(dropped.locale_dropped);
        let none = sent(
            options(json!("+5511987654321"), json!("123456"), "sms"),
            None,
        );
        assert_eq!((none.locale, none.locale_dropped), (None, false));
        let blank = with("  ");
        assert_eq!((blank.locale, blank.locale_dropped), (None, false));
    }

    #[test]
    fn verify_locales() {
        for (raw, expected) in [
            ("en", Some("en")),
            ("EN", Some("en")),
            ("en-US", Some("en")),
            ("en-GB", Some("en-GB")),
            ("en_gb", Some("en-GB")),
            ("en-AU", Some("en")),
            ("pt-BR", Some("pt-BR")),
            ("pt-PT", Some("pt")),
            ("es-419", Some("es")),
            ("es-MX", Some("es")),
            ("de-CH-1996", Some("de")),
            ("fr-CA,fr;q=0.9,en;q=0.8", Some("fr")),
            ("de;q=0.7", Some("de")),
            ("no", Some("nb")),
            ("nn-NO", Some("nb")),
            ("nb-NO", Some("nb")),
            ("iw", Some("he")),
            ("in", Some("id")),
            ("fil-PH", Some("tl")),
            ("zh", Some("zh")),
            ("zh-CN", Some("zh-CN")),
            ("zh-Hans-CN", Some("zh-CN")),
            ("zh-Hans", Some("zh")),
            ("zh-HK", Some("zh-HK")),
            ("zh-Hant-HK", Some("zh-HK")),
            ("zh-TW", None),
            ("zh-Hant", None),
            ("zh-Hant-TW", None),
            ("tlh", None),
            ("klingon", None),
            ("e", None),
            ("", None),
            ("*", None),
            ("en-", None),
            ("en--US", None),
            ("en US", None),
            ("énglish", None),
            ("en-US<script>", None),
        ] {
            assert_eq!(verify_locale(raw), expected, "{raw:?}");
        }
        assert_eq!(verify_locale(&format!("en-{}", "a".repeat(100))), None);
    }

    #[test]
    fn locale_table_is_unique_and_well_formed() {
        for (i, a) in VERIFY_LOCALES.iter().enumerate() {
            assert!(
                VERIFY_LOCALES.iter().skip(i + 1).all(|b| a != b),
                "{a} twice"
            );
            // Every entry maps to itself, so the table and the parser agree.
            assert_eq!(verify_locale(a), Some(*a), "{a}");
        }
    }

    #[test]
    fn custom_phone_provider_notifications() {
        let base = json!({
            "as_text": "Your code is 482910", "as_voice": "Your code is 4 8 2 9 1 0",
            "code": "482910", "delivery_method": "text", "locale": "pt-BR",
            "message_type": "otp_verify", "recipient": "+55 11 98765-4321",
        });
        let delivery = notified(base.clone()).expect("valid notification");
        assert_eq!(delivery.to.as_str(), "+5511987654321");
        assert_eq!(delivery.channel, VerifyChannel::Sms);
        assert_eq!(delivery.code, "482910");
        assert_eq!(delivery.locale, Some("pt-BR"));

        let mut voice = base.clone();
        voice["delivery_method"] = json!("voice");
        assert_eq!(notified(voice).expect("voice").channel, VerifyChannel::Call);

        let mut email = base.clone();
        email["delivery_method"] = json!("email");
        let r = notified(email).expect_err("email is not a phone channel");
        assert_eq!(r.reason, RefusalReason::MessageTypeUnknown);
        assert!(r.message.contains("delivery_method"));

        let mut blocked = base.clone();
        blocked["message_type"] = json!("blocked_account");
        blocked.as_object_mut().expect("object").remove("code");
        let r = notified(blocked).expect_err("no code");
        assert_eq!(r.reason, RefusalReason::CodeMissing);
        assert_eq!(r.reason.code(), "code_missing");
        assert!(r.message.contains("(blocked_account)"), "{}", r.message);

        let mut bad_locale = base.clone();
        bad_locale["locale"] = json!("xx-YY");
        let d = notified(bad_locale).expect("an invalid locale is dropped, not fatal");
        assert_eq!((d.locale, d.locale_dropped), (None, true));

        let mut masked = base;
        masked["recipient"] = json!("+55XXXXXXXX321");
        assert_eq!(
            notified(masked).expect_err("masked").detail,
            Some("phone_masked")
        );
    }

    // ---- feedback ----

    const NOW: i64 = 1_714_557_600; // 2024-05-01T10:00:00Z

    fn facts(methods: Value) -> LoginFacts {
        LoginFacts {
            methods: Some(methods),
            phone_number: Some(json!("+1 415 555 0123")),
            user_id: Some(json!("auth0|u1")),
            protocol: Some(json!("oidc-basic-profile")),
            now_seconds: NOW,
            max_age_seconds: DEFAULT_FEEDBACK_MAX_AGE_SECONDS,
            endpoint: MfaEndpoint::AuthenticationMethods,
        }
    }

    fn skipped(feedback: Feedback) -> (SkipReason, Option<String>) {
        match feedback {
            Feedback::Skip { reason, detail } => (reason, detail),
            other => panic!("expected a skip, got {other:?}"),
        }
    }

    #[test]
    fn passwordless_sms_approves_the_profile_number() {
        let f = facts(json!([{"name": "sms", "timestamp": "2024-05-01T09:59:30.000Z"}]));
        match feedback(&f) {
            Feedback::Approve { to, source } => {
                assert_eq!(to.as_str(), "+14155550123");
                assert_eq!(source, FeedbackSource::PasswordlessSms);
                assert_eq!(source.name(), "passwordless_sms");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mfa_phone_asks_for_a_lookup() {
        let f = facts(json!([
            {"name": "pwd", "timestamp": "2024-05-01T09:58:00.000Z"},
            {"name": "mfa", "type": "phone", "timestamp": "2024-05-01T09:59:00.000Z"},
        ]));
        assert_eq!(
            feedback(&f),
            Feedback::Lookup(LookupRequest {
                endpoint: MfaEndpoint::AuthenticationMethods,
                user_id: "auth0|u1".to_owned()
            })
        );
        let mut no_id = f;
        no_id.user_id = Some(json!(""));
        assert_eq!(skipped(feedback(&no_id)).0, SkipReason::UserIdMissing);
    }

    #[test]
    fn other_factors_are_not_phone_factors() {
        for methods in [
            json!([{"name": "pwd", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([{"name": "federated", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([{"name": "email", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([{"name": "mfa", "type": "otp", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([{"name": "mfa", "type": "push-notification", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([{"name": "mfa", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([{"name": "phone_number", "timestamp": "2024-05-01T09:59:00Z"}]),
            json!([]),
            json!({"name": "sms"}),
            json!("sms"),
            json!([null, 7, "sms"]),
        ] {
            assert_eq!(
                skipped(feedback(&facts(methods.clone()))).0,
                SkipReason::NoPhoneFactor,
                "{methods}"
            );
        }
        let mut none = facts(json!([]));
        none.methods = None;
        assert_eq!(skipped(feedback(&none)).0, SkipReason::NoPhoneFactor);
        assert_eq!(SkipReason::NoPhoneFactor.code(), "no_phone_factor");
    }

    #[test]
    fn only_a_recent_factor_counts() {
        let at = |ts: &str| facts(json!([{"name": "sms", "timestamp": ts}]));
        // 10 minutes exactly still counts; a second more does not.
        assert!(matches!(
            feedback(&at("2024-05-01T09:50:00Z")),
            Feedback::Approve { .. }
        ));
        assert_eq!(
            skipped(feedback(&at("2024-05-01T09:49:59Z"))).0,
            SkipReason::FactorNotRecent
        );
        // An earlier login of the same session (SSO) is not this login's.
        assert_eq!(
            skipped(feedback(&at("2024-04-30T10:00:00Z"))).0,
            SkipReason::FactorNotRecent
        );
        // Clock skew: up to a minute in the future is accepted.
        assert!(matches!(
            feedback(&at("2024-05-01T10:01:00Z")),
            Feedback::Approve { .. }
        ));
        assert_eq!(
            skipped(feedback(&at("2024-05-01T10:01:01Z"))).0,
            SkipReason::FactorNotRecent
        );
        let unreadable = skipped(feedback(&at("yesterday")));
        assert_eq!(
            unreadable,
            (
                SkipReason::FactorNotRecent,
                Some("timestamp_unreadable".to_owned())
            )
        );
        let mut wide = at("2024-05-01T09:00:00Z");
        wide.max_age_seconds = 3600;
        assert!(matches!(feedback(&wide), Feedback::Approve { .. }));
    }

    #[test]
    fn the_latest_phone_factor_decides() {
        let f = facts(json!([
            {"name": "sms", "timestamp": "2024-05-01T09:00:00Z"},
            {"name": "mfa", "type": "phone", "timestamp": "2024-05-01T09:59:00Z"},
            {"name": "mfa", "type": "phone", "timestamp": "not a time"},
        ]));
        assert!(matches!(feedback(&f), Feedback::Lookup(_)));
        let g = facts(json!([
            {"name": "mfa", "type": "phone", "timestamp": "2024-05-01T09:00:00Z"},
            {"name": "sms", "timestamp": "2024-05-01T09:59:00Z"},
        ]));
        assert!(matches!(
            feedback(&g),
            Feedback::Approve {
                source: FeedbackSource::PasswordlessSms,
                ..
            }
        ));
    }

    #[test]
    fn refresh_tokens_never_give_feedback() {
        let mut f = facts(json!([{"name": "sms", "timestamp": "2024-05-01T09:59:30Z"}]));
        f.protocol = Some(json!("oauth2-refresh-token"));
        assert_eq!(skipped(feedback(&f)).0, SkipReason::RefreshToken);
    }

    #[test]
    fn unusable_profile_numbers_skip_with_the_reason() {
        let mut f = facts(json!([{"name": "sms", "timestamp": "2024-05-01T09:59:30Z"}]));
        for (number, detail) in [
            (json!("XXXXXXXX8730"), "phone_masked"),
            (json!(null), "phone_empty"),
            (json!(1), "phone_not_a_string"),
            (json!("+14155550123;ext=1"), PHONE_HAS_EXTENSION),
        ] {
            f.phone_number = Some(number);
            assert_eq!(
                skipped(feedback(&f)),
                (SkipReason::ProfileNumberInvalid, Some(detail.to_owned()))
            );
        }
    }

    fn phone_method(number: &str, channel: &str) -> Value {
        json!({"id": "phone|1", "type": "phone", "confirmed": true, "phone_number": number,
               "preferred_authentication_method": channel,
               "authentication_methods": [{"type": channel}], "enrolled_at": "2024-01-01T00:00:00Z"})
    }

    #[test]
    fn after_lookup_the_confirmed_enrollment_is_approved() {
        let found = feedback_after_lookup(&LookupOutcome::Methods(json!([
            {"id": "totp|1", "type": "totp", "confirmed": true},
            phone_method("+44 7700 900123", "voice"),
        ])));
        match found {
            Feedback::Approve { to, source } => {
                assert_eq!(to.as_str(), "+447700900123");
                assert_eq!(source, FeedbackSource::MfaPhone);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn after_lookup_problems_skip_with_their_codes() {
        let failed = LookupOutcome::Failed {
            code: "mgmt_timeout".to_owned(),
        };
        assert_eq!(
            skipped(feedback_after_lookup(&failed)),
            (SkipReason::LookupFailed, Some("mgmt_timeout".to_owned()))
        );
        assert_eq!(
            skipped(feedback_after_lookup(&LookupOutcome::Methods(json!("x")))),
            (
                SkipReason::LookupFailed,
                Some("mgmt_bad_response".to_owned())
            )
        );
        assert_eq!(
            skipped(feedback_after_lookup(&LookupOutcome::Methods(
                json!([{"type": "totp", "confirmed": true}])
            )))
            .0,
            SkipReason::NoPhoneEnrollment
        );
        assert_eq!(
            skipped(feedback_after_lookup(&LookupOutcome::Methods(json!([
                phone_method("XXXXXXXX0123", "sms")
            ])))),
            (
                SkipReason::EnrollmentNumberInvalid,
                Some("phone_masked".to_owned())
            )
        );
        assert_eq!(
            skipped(feedback_after_lookup(&LookupOutcome::Methods(json!([
                phone_method("+14155550123;ext=7", "sms")
            ])))),
            (
                SkipReason::EnrollmentNumberInvalid,
                Some(PHONE_HAS_EXTENSION.to_owned())
            )
        );
    }

    #[test]
    fn reason_codes_are_stable() {
        let refusals: Vec<&str> = RefusalReason::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(
            refusals,
            [
                "event_invalid",
                "recipient_invalid",
                "message_type_unknown",
                "code_missing",
                "code_invalid"
            ]
        );
        let skips: Vec<&str> = [
            SkipReason::RefreshToken,
            SkipReason::NoPhoneFactor,
            SkipReason::FactorNotRecent,
            SkipReason::ProfileNumberInvalid,
            SkipReason::UserIdMissing,
            SkipReason::LookupFailed,
            SkipReason::NoPhoneEnrollment,
            SkipReason::EnrollmentNumberInvalid,
        ]
        .iter()
        .map(|r| r.code())
        .collect();
        assert_eq!(
            skips,
            [
                "refresh_token",
                "no_phone_factor",
                "factor_not_recent",
                "profile_number_invalid",
                "user_id_missing",
                "lookup_failed",
                "no_phone_enrollment",
                "enrollment_number_invalid"
            ]
        );
        assert_eq!(FeedbackSource::MfaPhone.name(), "mfa_phone");
    }

    fn count_ascii_digits_in_a_row(s: &str) -> usize {
        let mut best = 0;
        let mut run = 0;
        for b in s.bytes() {
            run = if b.is_ascii_digit() { run + 1 } else { 0 };
            best = best.max(run);
        }
        best
    }

    proptest! {
        #[test]
        fn any_event_gives_a_sendable_delivery_or_a_clean_refusal(
            recipient in prop_oneof![any::<String>(), "[+]?[0-9 ()X.;ext=-]{0,24}"],
            code in prop_oneof![any::<String>(), "[0-9]{0,12}"],
            message_type in prop_oneof![Just("sms".to_owned()), Just("voice".to_owned()), any::<String>()],
            language in prop::option::of(prop_oneof![any::<String>(), "[a-zA-Z_-]{0,12}"]),
        ) {
            let event = json!({"recipient": recipient, "code": code, "message_type": message_type});
            match send_phone_message(&event, language.as_deref()) {
                Ok(d) => {
                    let to = d.to.as_str();
                    prop_assert!(to.starts_with('+') && !to.contains(';'));
                    prop_assert!(to.len() <= 16 && to[1..].bytes().all(|b| b.is_ascii_digit()));
                    prop_assert!((4..=10).contains(&d.code.len()) && d.code.bytes().all(|b| b.is_ascii_digit()));
                    prop_assert_eq!(&d.code, &code);
                    if let Some(locale) = d.locale {
                        prop_assert!(VERIFY_LOCALES.contains(&locale));
                    }
                }
                Err(r) => {
                    prop_assert!(r.recipient_redacted.bytes().filter(u8::is_ascii_digit).count() <= 4);
                    // Neither the code nor the number can be in it: no 4 digits in a row.
                    prop_assert!(count_ascii_digits_in_a_row(&r.message) < 4, "{}", r.message);
                }
            }
        }

        #[test]
        fn verify_locale_only_returns_table_entries(raw in any::<String>()) {
            if let Some(locale) = verify_locale(&raw) {
                prop_assert!(VERIFY_LOCALES.contains(&locale));
            }
        }

        #[test]
        fn feedback_never_approves_an_undialable_number(
            number in any::<String>(),
            name in prop_oneof![Just("sms"), Just("mfa"), Just("pwd")],
            offset in -1000i64..2000,
        ) {
            let mut f = facts(json!([{"name": name, "type": "phone", "timestamp": "2024-05-01T10:00:00Z"}]));
            f.phone_number = Some(json!(number));
            f.now_seconds = NOW + offset;
            if let Feedback::Approve { to, .. } = feedback(&f) {
                prop_assert!(!to.as_str().contains(';'));
                prop_assert!((-CLOCK_SKEW_SECONDS..=DEFAULT_FEEDBACK_MAX_AGE_SECONDS).contains(&offset));
            }
        }
    }
}
