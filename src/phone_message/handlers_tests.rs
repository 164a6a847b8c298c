//! The handlers' machines end with what the old shim said and threw, word for word.

use super::*;
use crate::options::{self, HandlerKind, OptionValue};
use crate::transport::{Body, Response, TransportError};
use serde_json::json;

const SID: &str = "AC0123456789abcdef0123456789abcdef";
const SERVICE: &str = "VA0123456789abcdef0123456789abcdef";
const VERIFICATION: &str = "VE0123456789abcdef0123456789abcdef";

fn handler(kind: HandlerKind, extra: &[(&str, OptionValue)]) -> PhoneMessageHandler {
    let entries: Vec<(String, OptionValue)> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    PhoneMessageHandler::new(options::check(kind, Some(&entries)).unwrap())
}

fn twilio_secrets() -> Vec<Option<String>> {
    vec![
        Some(SID.into()),
        Some("auth-token-value".into()),
        Some(SERVICE.into()),
    ]
}

fn reply(status: u16, body: serde_json::Value) -> Outcome {
    Outcome::Response(Response {
        status,
        headers: vec![],
        body: Body::Text(body.to_string()),
    })
}

trait Drivable {
    fn step(&mut self, now: f64) -> Step;
    fn give_secrets(&mut self, values: Vec<Option<String>>);
    fn give(&mut self, outcome: Outcome);
    fn give_cache(&mut self);
}

/// Both machines take their inputs through the same four calls.
macro_rules! drivable {
    ($($machine:ty),*) => {$(
        impl Drivable for $machine {
            fn step(&mut self, now: f64) -> Step {
                self.next(now)
            }
            fn give_secrets(&mut self, values: Vec<Option<String>>) {
                self.secrets(values);
            }
            fn give(&mut self, outcome: Outcome) {
                self.received(outcome);
            }
            fn give_cache(&mut self) {
                self.cached(None);
            }
        }
    )*};
}
drivable!(DeliveryMachine, FeedbackMachine);

/// Drives a machine: secrets by name, `answer` for each request URL. Returns the URLs.
fn run(machine: &mut impl Drivable, answer: impl Fn(&str) -> Outcome) -> Vec<String> {
    let mut now = 1_000.0;
    let mut urls = Vec::new();
    for _ in 0..100 {
        match machine.step(now) {
            Step::Done => return urls,
            Step::Secrets { names } if names.first() == Some(&"TWILIO_ACCOUNT_SID") => {
                machine.give_secrets(twilio_secrets());
            }
            Step::Secrets { .. } => machine.give_secrets(vec![
                Some("tenant.example.com".into()),
                None,
                None,
                None,
                Some("static-token".into()),
            ]),
            Step::Send(request) => {
                now += 5.0;
                urls.push(request.url.clone());
                machine.give(answer(&request.url));
            }
            Step::Wait { until_ms } => now = until_ms,
            Step::CacheGet { .. } => machine.give_cache(),
            Step::CacheSet { .. } | Step::CacheDelete { .. } => {}
        }
    }
    panic!("not done after 100 steps");
}

/// The URL of the test service's Verifications, then `tail`.
fn verifications_url(tail: &str) -> String {
    format!("https://verify.twilio.com/v2/Services/{SERVICE}/Verifications{tail}")
}

fn sms(recipient: &str) -> serde_json::Value {
    json!({"recipient": recipient, "code": "123456", "message_type": "sms"})
}

/// The default sender's delivery of an SMS to +14155550123 asked in French.
fn french_sms_delivery() -> DeliveryMachine {
    let handler = handler(HandlerKind::SendPhoneMessage, &[]);
    handler.deliver(
        Trigger::SendPhoneMessage,
        &sms("+14155550123"),
        Some("fr-FR"),
        0.0,
    )
}

#[test]
fn a_delivery_that_verify_takes_is_logged_with_its_sid_and_locale() {
    let mut machine = french_sms_delivery();
    let urls = run(&mut machine, |_| reply(201, json!({"sid": VERIFICATION})));
    assert_eq!(urls, [verifications_url("")]);
    let told = machine.told().unwrap();
    assert_eq!(told.level, Level::Log);
    assert_eq!(
        told.line.as_deref(),
        Some(format!("send-phone-message: SMS to …0123 handed to Twilio Verify ({VERIFICATION}); locale fr").as_str())
    );
    assert_eq!(told.error, None);
}

#[test]
fn a_refused_locale_is_retried_and_said() {
    let mut machine = french_sms_delivery();
    let count = std::cell::Cell::new(0);
    run(&mut machine, |_| {
        count.set(count.get() + 1);
        if count.get() == 1 {
            reply(404, json!({"code": 20404}))
        } else {
            reply(201, json!({}))
        }
    });
    assert_eq!(
        machine.told().unwrap().line.as_deref(),
        Some("send-phone-message: SMS to …0123 handed to Twilio Verify; Verify refused locale fr, sent again without it")
    );
}

#[test]
fn a_refusal_sends_nothing_and_throws_refused() {
    let handler = handler(HandlerKind::SendPhoneMessage, &[]);
    let mut machine = handler.deliver(
        Trigger::CustomPhoneProvider,
        &json!({"recipient": "XXXXXXXX8730", "code": "123456"}),
        None,
        0.0,
    );
    let urls = run(&mut machine, |_| panic!("nothing is sent"));
    assert!(urls.is_empty());
    let told = machine.told().unwrap();
    assert_eq!(told.level, Level::Warn);
    let line = told.line.as_deref().unwrap();
    assert!(
        line.starts_with(
            "custom-phone-provider: refused for …8730 (recipient_invalid, phone_masked): "
        ),
        "{line}"
    );
    let error = told.error.as_ref().unwrap();
    assert_eq!(error.code, "PHONE_MESSAGE_REFUSED");
    assert!(error.message.starts_with("login-claims: "));
    assert_eq!(error.fields.reason, "recipient_invalid");
    assert_eq!(error.fields.detail, Some("phone_masked"));
    let missing = handler.deliver(
        Trigger::SendPhoneMessage,
        &serde_json::Value::Null,
        None,
        0.0,
    );
    assert_eq!(
        missing
            .told()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .fields
            .reason,
        "event_invalid"
    );
}

#[test]
fn a_delivery_verify_refuses_throws_failed_with_the_twilio_code() {
    let handler = handler(HandlerKind::SendPhoneMessage, &[]);
    let mut machine = handler.deliver(
        Trigger::SendPhoneMessage,
        &json!({"recipient": "+14155550123", "code": "123456", "message_type": "voice"}),
        None,
        0.0,
    );
    run(&mut machine, |_| {
        reply(
            400,
            json!({"code": 60410, "message": "blocked +14155550123"}),
        )
    });
    let told = machine.told().unwrap();
    let line = told.line.as_deref().unwrap();
    assert!(line.starts_with("send-phone-message: voice call to …0123 failed (verify_rejected, Twilio error 60410): "), "{line}");
    assert!(!line.contains("14155550123"));
    let error = told.error.as_ref().unwrap();
    assert_eq!(error.code, "PHONE_MESSAGE_FAILED");
    assert!(error
        .message
        .starts_with("login-claims: Twilio Verify did not take the voice call to …0123: "));
    assert_eq!(error.fields.reason, "verify_rejected");
    assert_eq!(error.fields.twilio_code, Some(60410));
    assert_eq!(error.fields.status, Some(400));
    assert_eq!(
        error.fields.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/60410")
    );
    let wire = serde_json::to_value(error).unwrap();
    assert_eq!(wire["fields"]["twilioCode"], 60410);
    assert_eq!(
        wire["fields"].get("detail"),
        None,
        "absent fields stay absent"
    );
}

fn facts(methods: serde_json::Value) -> serde_json::Value {
    json!({"methods": methods, "phoneNumber": "+14155550123", "userId": "auth0|u1", "protocol": "oidc-basic-profile"})
}

const NOW: f64 = 1_714_557_600_000.0; // 2024-05-01T10:00:00Z

/// The default feedback handler's machine after a passwordless SMS a minute before `NOW`.
fn feedback_after_sms() -> FeedbackMachine {
    let handler = handler(HandlerKind::VerifyFeedback, &[]);
    handler.feedback(
        &facts(json!([{"name": "sms", "timestamp": "2024-05-01T09:59:00Z"}])),
        NOW,
        Rc::default(),
    )
}

#[test]
fn feedback_after_passwordless_sms_approves_the_profile_number() {
    let mut machine = feedback_after_sms();
    let urls = run(&mut machine, |_| reply(200, json!({"sid": VERIFICATION})));
    assert_eq!(urls, [verifications_url("/%2B14155550123")]);
    let told = machine.told().unwrap();
    assert_eq!(
        told.line.as_deref(),
        Some("verify feedback: approved for …0123 (passwordless_sms)")
    );
    let result = told.result.as_ref().unwrap();
    assert_eq!(
        (result.status, result.sid.as_deref()),
        ("approved", Some(VERIFICATION))
    );
    assert_eq!((result.management_api_calls, result.verify_calls), (0, 1));
}

#[test]
fn feedback_after_mfa_looks_the_number_up_first() {
    let handler = handler(
        HandlerKind::VerifyFeedback,
        &[("mfaEndpoint", OptionValue::Text("enrollments".into()))],
    );
    let mut machine = handler.feedback(
        &facts(json!([{"name": "mfa", "type": "phone", "timestamp": "2024-05-01T09:59:30Z"}])),
        NOW,
        Rc::default(),
    );
    let urls = run(&mut machine, |url| {
        if url.contains("/api/v2/") {
            Outcome::Response(Response {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: Body::Json(
                    json!([{"status": "confirmed", "auth_method": "sms", "phone_number": "+447700900123"}]),
                ),
            })
        } else {
            reply(404, json!({"code": 20404}))
        }
    });
    assert_eq!(urls.len(), 2);
    assert!(urls[0].ends_with("/api/v2/users/auth0%7Cu1/enrollments"));
    assert!(urls[1].ends_with("/Verifications/%2B447700900123"));
    let told = machine.told().unwrap();
    assert_eq!(
        told.line.as_deref(),
        Some("verify feedback: no pending verification for …0123; nothing to approve")
    );
    let result = told.result.as_ref().unwrap();
    assert_eq!(result.reason, Some("verify_nothing_pending"));
    assert_eq!((result.management_api_calls, result.verify_calls), (1, 1));
}

#[test]
fn a_failed_lookup_skips_with_its_detail() {
    let handler = handler(HandlerKind::VerifyFeedback, &[]);
    let mut machine = handler.feedback(
        &facts(json!([{"name": "mfa", "type": "phone", "timestamp": "2024-05-01T09:59:30Z"}])),
        NOW,
        Rc::default(),
    );
    run(&mut machine, |_| Outcome::Failed(TransportError::Timeout));
    let told = machine.told().unwrap();
    assert_eq!(told.level, Level::Warn);
    let line = told.line.as_deref().unwrap();
    assert!(
        line.starts_with("verify feedback: skipped (lookup_failed, mgmt_timeout: "),
        "{line}"
    );
    assert!(line.ends_with("; the login goes on"));
    assert!(told.result.as_ref().unwrap().lookup_detail.is_some());
}

#[test]
fn quiet_skips_are_not_logged() {
    let handler = handler(HandlerKind::VerifyFeedback, &[]);
    for methods in [
        json!([]),
        json!([{"name": "sms", "timestamp": "2024-05-01T08:00:00Z"}]),
    ] {
        let mut machine = handler.feedback(&facts(methods), NOW, Rc::default());
        assert!(run(&mut machine, |_| panic!("nothing is sent")).is_empty());
        let told = machine.told().unwrap();
        assert_eq!(told.line, None);
        assert_eq!(told.result.as_ref().unwrap().status, "skipped");
    }
    let mut refresh = handler.feedback(
        &json!({"protocol": "oauth2-refresh-token"}),
        NOW,
        Rc::default(),
    );
    run(&mut refresh, |_| panic!("nothing is sent"));
    assert_eq!(
        refresh.told().unwrap().result.as_ref().unwrap().reason,
        Some("refresh_token")
    );
    assert_eq!(refresh.told().unwrap().line, None);
}

#[test]
fn a_failed_approval_is_logged_with_the_twilio_code() {
    let mut machine = feedback_after_sms();
    run(&mut machine, |_| reply(401, json!({"code": 20003})));
    let told = machine.told().unwrap();
    let line = told.line.as_deref().unwrap();
    assert!(
        line.starts_with(
            "verify feedback: not sent for …0123 (verify_unauthorized, Twilio error 20003): "
        ),
        "{line}"
    );
    assert!(!line.contains("auth-token-value"));
}

#[test]
fn an_abandoned_feedback_is_done_and_says_how_long_it_had() {
    let handler = handler(HandlerKind::VerifyFeedback, &[]);
    assert_eq!(handler.guard_ms(), 1_550.0);
    let mut machine = handler.feedback(
        &facts(json!([{"name": "sms", "timestamp": "2024-05-01T09:59:00Z"}])),
        NOW,
        Rc::default(),
    );
    assert!(matches!(machine.next(NOW), Step::Secrets { .. }));
    let told = machine.abandon();
    let result = told.result.as_ref().unwrap();
    assert_eq!((result.status, result.reason), ("failed", Some("deadline")));
    assert_eq!(
        result.detail.as_deref(),
        Some("the feedback took longer than 1500 ms and was abandoned")
    );
    assert_eq!(machine.next(NOW), Step::Done);
    assert_eq!(machine.told(), Some(&told));
    let internal = handler.internal_error("TypeError<script>");
    assert_eq!(
        internal.result.unwrap().detail.as_deref(),
        Some("unexpected TypeErrorscript")
    );
}
