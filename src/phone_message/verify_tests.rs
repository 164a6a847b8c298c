//! The Twilio Verify machines, driven by a scripted fake: each `Send` pops the next scripted
//! outcome and advances a fake clock, each `Wait` sets the clock to its end. Expected values
//! come from js/verify.js, js/http.js and Twilio's documentation.

use super::*;
use crate::test_support::transport_cases;
use crate::transport::{Body, NetworkPhase};
use proptest::prelude::*;
use serde_json::{json, Value};

const ACCOUNT_SID: &str = "ACa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const AUTH_TOKEN: &str = "authtoken-4f9d2c7e1b8a";
const SERVICE_SID: &str = "VAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
/// base64("ACa1…a1:authtoken-4f9d2c7e1b8a"), computed outside this crate.
const AUTHORIZATION: &str =
    "Basic QUNhMWExYTFhMWExYTFhMWExYTFhMWExYTFhMWExYTFhMTphdXRodG9rZW4tNGY5ZDJjN2UxYjhh";
const TO: &str = "+14155550142";
const CODE: &str = "482910";
const SID: &str = "VEc3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
const VERIFICATIONS: &str =
    "https://verify.twilio.com/v2/Services/VAb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2/Verifications";
/// 2023-11-14T22:13:20Z.
const START: f64 = 1_700_000_000_000.0;

// --- the scripted fake ---------------------------------------------------------------------------

fn secrets() -> Vec<Option<String>> {
    vec![
        Some(ACCOUNT_SID.to_owned()),
        Some(AUTH_TOKEN.to_owned()),
        Some(SERVICE_SID.to_owned()),
    ]
}

fn base() -> Origin {
    parse_verify_base_url(DEFAULT_VERIFY_BASE_URL).unwrap()
}

fn budget(timeout_ms: f64, deadline_ms: f64) -> Budget {
    Budget::new(timeout_ms, deadline_ms).unwrap()
}

/// 1 s per request, 5 s in all.
fn roomy() -> Budget {
    budget(1000.0, START + 5000.0)
}

/// A number as the planning hands it on.
fn number(text: &str) -> PhoneNumber {
    crate::phone::normalize(text).expect("an E.164 number")
}

fn send(locale: Option<&str>) -> VerifyAction {
    VerifyAction::Send {
        to: number(TO),
        channel: VerifyChannel::Sms,
        code: CODE.to_owned(),
        locale: locale.map(str::to_owned),
    }
}

fn approve() -> VerifyAction {
    VerifyAction::Approve { to: number(TO) }
}

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Outcome {
    Outcome::Response(Response {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: Body::Text(body.to_owned()),
    })
}

fn created() -> Outcome {
    answer(
        201,
        &[],
        &json!({"sid": SID, "status": "pending", "to": TO}).to_string(),
    )
}

/// Twilio's error body; its message quotes the number, as Twilio's do.
fn twilio_error(status: u16, code: u32) -> Outcome {
    twilio_error_with(status, code, &[])
}

fn twilio_error_with(status: u16, code: u32, headers: &[(&str, &str)]) -> Outcome {
    let body = json!({
        "code": code,
        "message": format!("Invalid parameter `To`: {TO} (code {CODE})"),
        "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
        "status": status,
    });
    answer(status, headers, &body.to_string())
}

fn transport(error: TransportError) -> Outcome {
    Outcome::Failed(error)
}

/// What a run did: every request with the clock when it was sent, every wait with the clock
/// when it was asked for, and the result.
#[derive(Debug)]
struct Run {
    result: VerifyResult,
    sends: Vec<(f64, Request)>,
    waits: Vec<(f64, f64)>,
    steps: u32,
}

impl Run {
    fn bodies(&self) -> Vec<&str> {
        self.sends
            .iter()
            .map(|(_, r)| r.body.as_deref().unwrap_or(""))
            .collect()
    }

    fn wait_lengths(&self) -> Vec<f64> {
        self.waits.iter().map(|(at, until)| until - at).collect()
    }
}

/// Drives `call` from `start`: secrets as given, each request answered by the next scripted
/// outcome after `elapsed` ms, each wait served exactly.
fn drive_call(
    mut call: VerifyCall,
    secret_values: Vec<Option<String>>,
    start: f64,
    script: Vec<(Outcome, f64)>,
) -> Run {
    let mut script = script.into_iter();
    let mut clock = start;
    let mut run = Run {
        result: VerifyResult::Ok {
            sid: None,
            locale_dropped: false,
            requests: u32::MAX,
        },
        sends: Vec::new(),
        waits: Vec::new(),
        steps: 0,
    };
    loop {
        run.steps += 1;
        assert!(run.steps <= MAX_VERIFY_STEPS, "no end in sight: {run:?}");
        match call.next(clock) {
            Step::Secrets { names } => {
                assert_eq!(names, VERIFY_SECRET_NAMES);
                call.secrets(secret_values.clone());
            }
            Step::Send(request) => {
                run.sends.push((clock, request));
                let (outcome, elapsed) = script
                    .next()
                    .unwrap_or_else(|| panic!("a request the script does not answer: {run:?}"));
                clock += elapsed;
                call.received(outcome);
            }
            Step::Wait { until_ms } => {
                run.waits.push((clock, until_ms));
                clock = until_ms;
            }
            Step::Done => break,
            other => panic!("a step a Verify call never asks for: {other:?}"),
        }
    }
    assert_eq!(call.next(clock), Step::Done, "Done stays done");
    assert!(
        script.next().is_none(),
        "the script was not used up: {run:?}"
    );
    run.result = call.result().cloned().expect("a result once done");
    run
}

fn drive(action: VerifyAction, budget: Budget, script: Vec<Outcome>) -> Run {
    let script = script.into_iter().map(|o| (o, 10.0)).collect();
    drive_call(
        VerifyCall::new(action, base(), budget),
        secrets(),
        START,
        script,
    )
}

#[track_caller]
fn failed(run: &Run) -> (VerifyFailure, &str, Option<u32>, Option<u16>, u32) {
    match &run.result {
        VerifyResult::Failed {
            failure,
            detail,
            twilio_code,
            status,
            requests,
        } => (*failure, detail.as_str(), *twilio_code, *status, *requests),
        ok => panic!("expected a failure, got {ok:?}"),
    }
}

#[track_caller]
fn assert_failed(
    run: &Run,
    failure: VerifyFailure,
    detail: &str,
    twilio_code: Option<u32>,
    status: Option<u16>,
    requests: u32,
) {
    assert_eq!(
        failed(run),
        (failure, detail, twilio_code, status, requests),
        "{run:#?}"
    );
    assert_eq!(run.sends.len() as u32, requests);
}

/// Failed without an answer from Twilio to quote: no Twilio code, no status.
#[track_caller]
fn assert_unanswered(run: &Run, failure: VerifyFailure, detail: &str, requests: u32) {
    assert_failed(run, failure, detail, None, None, requests);
}

#[track_caller]
fn assert_ok(run: &Run, sid: Option<&str>, locale_dropped: bool, requests: u32) {
    assert_eq!(
        run.result,
        VerifyResult::Ok {
            sid: sid.map(str::to_owned),
            locale_dropped,
            requests
        },
        "{run:#?}"
    );
    assert_eq!(run.sends.len() as u32, requests);
}

// --- requests ------------------------------------------------------------------------------------

#[test]
fn the_first_step_asks_for_the_three_secrets_and_nothing_else() {
    let mut call = VerifyCall::new(send(None), base(), roomy());
    assert_eq!(
        call.next(START),
        Step::Secrets {
            names: &[
                "TWILIO_ACCOUNT_SID",
                "TWILIO_AUTH_TOKEN",
                "TWILIO_VERIFY_SID"
            ]
        }
    );
    assert_eq!(call.result(), None);
}

#[test]
fn a_send_posts_to_verifications_with_basic_auth_and_the_form_in_order() {
    let run = drive(send(Some("pt-BR")), roomy(), vec![created()]);
    assert_ok(&run, Some(SID), false, 1);
    let (at, request) = &run.sends[0];
    assert_eq!(*at, START);
    assert_eq!(
        request,
        &Request {
            method: Method::Post,
            url: VERIFICATIONS.to_owned(),
            headers: vec![
                ("authorization", AUTHORIZATION.to_owned()),
                (
                    "content-type",
                    "application/x-www-form-urlencoded".to_owned()
                ),
                ("accept", "application/json".to_owned()),
            ],
            body: Some("To=%2B14155550142&Channel=sms&CustomCode=482910&Locale=pt-BR".to_owned()),
            timeout_ms: 1000,
            max_body_bytes: 65_536,
            body_as: BodyAs::Text,
            response_headers: &["retry-after"],
        }
    );
}

#[test]
fn a_call_channel_and_no_locale_leave_locale_out() {
    let action = VerifyAction::Send {
        to: number("+447700900123"),
        channel: VerifyChannel::Call,
        code: "771203".to_owned(),
        locale: None,
    };
    let run = drive(action, roomy(), vec![created()]);
    assert_eq!(
        run.bodies(),
        ["To=%2B447700900123&Channel=call&CustomCode=771203"]
    );
    // An empty locale is no locale.
    let action = VerifyAction::Send {
        to: number(TO),
        channel: VerifyChannel::Sms,
        code: CODE.to_owned(),
        locale: Some(String::new()),
    };
    let run = drive(action, roomy(), vec![created()]);
    assert_eq!(
        run.bodies(),
        ["To=%2B14155550142&Channel=sms&CustomCode=482910"]
    );
}

#[test]
fn an_approve_posts_status_approved_to_the_verification_of_the_number() {
    let run = drive(
        approve(),
        roomy(),
        vec![answer(
            200,
            &[],
            &json!({"sid": SID, "status": "approved"}).to_string(),
        )],
    );
    assert_ok(&run, Some(SID), false, 1);
    let request = &run.sends[0].1;
    assert_eq!(request.url, format!("{VERIFICATIONS}/%2B14155550142"));
    assert_eq!(request.body.as_deref(), Some("Status=approved"));
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.headers[0],
        ("authorization", AUTHORIZATION.to_owned())
    );
}

#[test]
fn a_loopback_stand_in_is_used_as_the_origin() {
    let origin = parse_verify_base_url("http://127.0.0.1:4010/").unwrap();
    let call = VerifyCall::new(approve(), origin, roomy());
    let run = drive_call(call, secrets(), START, vec![(created(), 5.0)]);
    assert_eq!(
        run.sends[0].1.url,
        format!("http://127.0.0.1:4010/v2/Services/{SERVICE_SID}/Verifications/%2B14155550142")
    );
}

// --- secrets -------------------------------------------------------------------------------------

fn with_secrets(values: Vec<Option<&str>>) -> Run {
    let values = values.into_iter().map(|v| v.map(str::to_owned)).collect();
    let call = VerifyCall::new(send(None), base(), roomy());
    drive_call(call, values, START, vec![])
}

#[test]
fn missing_secrets_are_named_and_nothing_is_sent() {
    let all = "the secret(s) TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SID are not set";
    for values in [
        vec![],
        vec![None, None, None],
        vec![Some(""), Some("  "), Some("\n\t")],
    ] {
        let run = with_secrets(values);
        assert_unanswered(&run, VerifyFailure::NotConfigured, all, 0);
    }
    let run = with_secrets(vec![Some(ACCOUNT_SID), None, Some(" ")]);
    assert_unanswered(
        &run,
        VerifyFailure::NotConfigured,
        "the secret(s) TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SID are not set",
        0,
    );
    let run = with_secrets(vec![Some(ACCOUNT_SID), Some(AUTH_TOKEN)]);
    assert_unanswered(
        &run,
        VerifyFailure::NotConfigured,
        "the secret(s) TWILIO_VERIFY_SID are not set",
        0,
    );
}

#[test]
fn malformed_sids_and_a_token_that_cannot_go_in_a_header_are_not_configured() {
    let account = "TWILIO_ACCOUNT_SID is not AC followed by 32 hex digits";
    let service = "TWILIO_VERIFY_SID is not VA followed by 32 hex digits (the Verify service SID)";
    let token = "TWILIO_AUTH_TOKEN contains characters that cannot go in an HTTP header";
    let hex31 = "a1".repeat(15) + "a";
    let (short, bad_hex, lower) = (
        format!("AC{hex31}"),
        format!("AC{hex31}g"),
        format!("ac{}", "a1".repeat(16)),
    );
    let long_service = format!("{SERVICE_SID}0");
    let cases = [
        (
            vec![Some("AC1"), Some(AUTH_TOKEN), Some(SERVICE_SID)],
            account,
        ),
        (
            vec![Some(short.as_str()), Some(AUTH_TOKEN), Some(SERVICE_SID)],
            account,
        ),
        (
            vec![Some(bad_hex.as_str()), Some(AUTH_TOKEN), Some(SERVICE_SID)],
            account,
        ),
        (
            vec![Some(lower.as_str()), Some(AUTH_TOKEN), Some(SERVICE_SID)],
            account,
        ),
        (
            vec![Some(SERVICE_SID), Some(AUTH_TOKEN), Some(SERVICE_SID)],
            account,
        ),
        (
            vec![Some(ACCOUNT_SID), Some(AUTH_TOKEN), Some("MG123")],
            service,
        ),
        (
            vec![Some(ACCOUNT_SID), Some(AUTH_TOKEN), Some(ACCOUNT_SID)],
            service,
        ),
        (
            vec![
                Some(ACCOUNT_SID),
                Some(AUTH_TOKEN),
                Some(long_service.as_str()),
            ],
            service,
        ),
        (
            vec![Some(ACCOUNT_SID), Some("a b"), Some(SERVICE_SID)],
            token,
        ),
        (
            vec![Some(ACCOUNT_SID), Some("tok\u{e9}n"), Some(SERVICE_SID)],
            token,
        ),
        (
            vec![
                Some(ACCOUNT_SID),
                Some("tok\r\nX-Evil: 1"),
                Some(SERVICE_SID),
            ],
            token,
        ),
        // JavaScript's trim leaves U+0085 (NEL) alone; it cannot go in a header.
        (
            vec![Some(ACCOUNT_SID), Some("\u{85}token"), Some(SERVICE_SID)],
            token,
        ),
        // The account SID is checked first, then the service SID, then the token.
        (vec![Some("AC1"), Some("a b"), Some("MG1")], account),
        (vec![Some(ACCOUNT_SID), Some("a b"), Some("MG1")], service),
    ];
    for (values, detail) in cases {
        let run = with_secrets(values.clone());
        assert_unanswered(&run, VerifyFailure::NotConfigured, detail, 0);
        assert!(!failed(&run).1.contains("a b"), "{values:?}");
    }
}

#[test]
fn secrets_are_trimmed_as_javascript_trims_and_hex_may_be_upper_case() {
    let upper_account = format!("AC{}", "A1".repeat(16));
    let values = vec![
        Some(format!("  {upper_account}\n")),
        Some(format!("\u{feff}{AUTH_TOKEN}\u{a0}\t")),
        Some(format!("\u{2028}{SERVICE_SID} ")),
    ];
    let call = VerifyCall::new(send(None), base(), roomy());
    let run = drive_call(call, values, START, vec![(created(), 10.0)]);
    assert_ok(&run, Some(SID), false, 1);
    // base64("ACA1…A1:authtoken-4f9d2c7e1b8a"), computed outside this crate.
    assert_eq!(
        run.sends[0].1.headers[0].1,
        "Basic QUNBMUExQTFBMUExQTFBMUExQTFBMUExQTFBMUExQTFBMTphdXRodG9rZW4tNGY5ZDJjN2UxYjhh"
    );
    assert_eq!(run.sends[0].1.url, VERIFICATIONS);
}

#[test]
fn a_misconfiguration_is_reported_before_anything_is_sent() {
    let action = VerifyAction::Approve { to: number(TO) };
    let call = VerifyCall::new(action, base(), roomy());
    let run = drive_call(call, vec![], START, vec![]);
    assert_eq!(failed(&run).0, VerifyFailure::NotConfigured);
}

// --- the base URL --------------------------------------------------------------------------------

#[test]
fn the_base_url_is_an_https_origin_or_plain_http_to_loopback() {
    for (raw, origin) in [
        ("https://verify.twilio.com", "https://verify.twilio.com"),
        ("https://verify.twilio.com/", "https://verify.twilio.com"),
        ("HTTPS://Verify.Twilio.com:443", "https://verify.twilio.com"),
        (
            "https://verify.example.com:8443",
            "https://verify.example.com:8443",
        ),
        ("http://localhost:8080/", "http://localhost:8080"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
    ] {
        assert_eq!(
            parse_verify_base_url(raw).map(|o| o.as_str().to_owned()),
            Ok(origin.to_owned()),
            "{raw}"
        );
    }
    for (raw, sentence) in [
        (" https://verify.twilio.com", "verifyBaseUrl must be an absolute URL without whitespace"),
        ("https://verify.twilio.com\n", "verifyBaseUrl must be an absolute URL without whitespace"),
        ("https://verify .twilio.com", "verifyBaseUrl must be an absolute URL without whitespace"),
        ("", "verifyBaseUrl must be an absolute URL such as https://verify.twilio.com"),
        ("verify.twilio.com", "verifyBaseUrl must be an absolute URL such as https://verify.twilio.com"),
        ("https://", "verifyBaseUrl must be an absolute URL such as https://verify.twilio.com"),
        ("https://verify.twilio.com:99999", "verifyBaseUrl must be an absolute URL such as https://verify.twilio.com"),
        ("ftp://127.0.0.1", "verifyBaseUrl must use https"),
        ("wss://verify.twilio.com", "verifyBaseUrl must use https"),
        ("https://user:pass@verify.twilio.com", "verifyBaseUrl must not contain credentials"),
        ("https://user@verify.twilio.com", "verifyBaseUrl must not contain credentials"),
        ("https://verify.twilio.com/v2", "verifyBaseUrl must be an origin, without a path, query or fragment"),
        ("https://verify.twilio.com?", "verifyBaseUrl must be an origin, without a path, query or fragment"),
        ("https://verify.twilio.com/#top", "verifyBaseUrl must be an origin, without a path, query or fragment"),
        ("http://verify.example.com", "verifyBaseUrl may use plain http only for a loopback host (a local stand-in); use https"),
        ("http://10.0.0.1:4010", "verifyBaseUrl may use plain http only for a loopback host (a local stand-in); use https"),
    ] {
        assert_eq!(parse_verify_base_url(raw), Err(sentence), "{raw:?}");
    }
    assert_eq!(
        parse_verify_base_url(DEFAULT_VERIFY_BASE_URL).map(|o| o.as_str().to_owned()),
        Ok("https://verify.twilio.com".to_owned())
    );
}

// --- the caller's bugs ---------------------------------------------------------------------------

#[test]
fn the_shortest_and_longest_numbers_and_codes_are_sent_as_planned() {
    // The shortest and longest E.164 numbers and codes are sent.
    for (to, c) in [("+1234567", "1234"), ("+123456789012345", "1234567890")] {
        let action = VerifyAction::Send {
            to: number(to),
            channel: VerifyChannel::Sms,
            code: c.to_owned(),
            locale: None,
        };
        assert_ok(
            &drive(action, roomy(), vec![created()]),
            Some(SID),
            false,
            1,
        );
    }
}

// --- 2xx -----------------------------------------------------------------------------------------

#[test]
fn any_2xx_is_delivered_and_the_sid_is_kept_only_when_it_is_ve_and_32_hex() {
    let upper = format!("VE{}", "C3".repeat(16));
    let cases: Vec<(u16, Body, Option<&str>)> = vec![
        (201, Body::Text(json!({"sid": SID}).to_string()), Some(SID)),
        (
            200,
            Body::Text(json!({"sid": upper}).to_string()),
            Some(&upper),
        ),
        (202, Body::Json(json!({"sid": SID})), Some(SID)),
        (299, Body::Text(json!({"sid": SID}).to_string()), Some(SID)),
        (201, Body::Text(json!({"sid": "VE123"}).to_string()), None),
        (
            201,
            Body::Text(json!({"sid": format!("{SID}0")}).to_string()),
            None,
        ),
        (
            201,
            Body::Text(json!({"sid": format!("{SID}\n")}).to_string()),
            None,
        ),
        (
            201,
            Body::Text(json!({"sid": format!("VA{}", &SID[2..])}).to_string()),
            None,
        ),
        (
            201,
            Body::Text(json!({"sid": format!("VE{}", "g".repeat(32))}).to_string()),
            None,
        ),
        (201, Body::Text(json!({"sid": 7}).to_string()), None),
        (201, Body::Text(json!([{"sid": SID}]).to_string()), None),
        (201, Body::Text(json!(SID).to_string()), None),
        (201, Body::Text("OK".to_owned()), None),
        (201, Body::Text(String::new()), None),
        (201, Body::Text("<html>accepted</html>".to_owned()), None),
        (201, Body::Json(json!("queued")), None),
        // Not UTF-8: the lossy text stays usable, and so does a sid in it.
        (
            201,
            Body::InvalidUtf8(format!(
                "{{\"sid\":\"{SID}\",\"friendly_name\":\"Caf\u{fffd}\"}}"
            )),
            Some(SID),
        ),
        (
            201,
            Body::InvalidUtf8("\u{fffd}\u{fffd}PNG".to_owned()),
            None,
        ),
    ];
    for (status, body, sid) in cases {
        let outcome = Outcome::Response(Response {
            status,
            headers: vec![],
            body: body.clone(),
        });
        for action in [send(None), approve()] {
            let run = drive(action, roomy(), vec![outcome.clone()]);
            assert_ok(&run, sid, false, 1);
        }
    }
}

// --- statuses that are not retried ---------------------------------------------------------------

#[test]
fn unauthorized_not_found_rejected_and_redirects_map_as_verify_js_does() {
    let fraud_guard = answer(
        400,
        &[],
        &json!({"code": 60410, "message": "Verification delivery attempt blocked for +14155550142", "more_info": "https://www.twilio.com/docs/errors/60410", "status": 400}).to_string(),
    );
    let cases: Vec<(Outcome, VerifyFailure, &str, Option<u32>, u16)> = vec![
        (twilio_error(401, 20003), VerifyFailure::Unauthorized, "Twilio answered HTTP 401 to the verification (Twilio error 20003: authentication failed: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)", Some(20003), 401),
        (answer(403, &[], ""), VerifyFailure::Unauthorized, "Twilio answered HTTP 403 to the verification", None, 403),
        (twilio_error(404, 20404), VerifyFailure::NotFound, "Twilio answered HTTP 404 to the verification (Twilio error 20404: not found: check TWILIO_VERIFY_SID (for feedback: no pending verification for that number))", Some(20404), 404),
        (twilio_error(400, 60200), VerifyFailure::Rejected, "Twilio answered HTTP 400 to the verification (Twilio error 60200: invalid parameter)", Some(60200), 400),
        (fraud_guard, VerifyFailure::Rejected, "Twilio answered HTTP 400 to the verification (Twilio error 60410: delivery blocked by Verify Fraud Guard)", Some(60410), 400),
        (twilio_error(400, 60205), VerifyFailure::Rejected, "Twilio answered HTTP 400 to the verification (Twilio error 60205: SMS is not supported by this (landline) number)", Some(60205), 400),
        (twilio_error(409, 60999), VerifyFailure::Rejected, "Twilio answered HTTP 409 to the verification (Twilio error 60999)", Some(60999), 409),
        (answer(400, &[], "Bad Request"), VerifyFailure::Rejected, "Twilio answered HTTP 400 to the verification", None, 400),
        (answer(302, &[("location", "https://elsewhere.example/")], ""), VerifyFailure::BadResponse, "Twilio answered HTTP 302 to the verification: a redirect, which is not followed", None, 302),
        (answer(304, &[], ""), VerifyFailure::BadResponse, "Twilio answered HTTP 304 to the verification: a redirect, which is not followed", None, 304),
        (answer(0, &[], ""), VerifyFailure::BadResponse, "Twilio answered HTTP 0 to the verification", None, 0),
        (answer(101, &[], ""), VerifyFailure::BadResponse, "Twilio answered HTTP 101 to the verification", None, 101),
        (twilio_error(600, 1), VerifyFailure::BadResponse, "Twilio answered HTTP 600 to the verification (Twilio error 1)", Some(1), 600),
        (answer(999, &[], ""), VerifyFailure::BadResponse, "Twilio answered HTTP 999 to the verification", None, 999),
    ];
    for (outcome, failure, detail, code, status) in cases {
        let run = drive(send(None), roomy(), vec![outcome]);
        assert_failed(&run, failure, detail, code, Some(status), 1);
    }
}

#[test]
fn an_approve_404_is_not_found_after_one_request() {
    let run = drive(approve(), roomy(), vec![twilio_error(404, 20404)]);
    assert_failed(
        &run,
        VerifyFailure::NotFound,
        "Twilio answered HTTP 404 to the feedback (Twilio error 20404: not found: check TWILIO_VERIFY_SID (for feedback: no pending verification for that number))",
        Some(20404),
        Some(404),
        1,
    );
    let run = drive(approve(), roomy(), vec![twilio_error(401, 20003)]);
    assert_eq!(failed(&run).0, VerifyFailure::Unauthorized);
}

#[test]
fn only_an_integer_code_from_1_to_999999_is_twilios_code() {
    for (body, code) in [
        (r#"{"code":60410}"#, Some(60410)),
        (r#"{"code":60410.0}"#, Some(60410)),
        (r#"{"code":6.041e4}"#, Some(60410)),
        (r#"{"code":1}"#, Some(1)),
        (r#"{"code":999999}"#, Some(999_999)),
        (r#"{"code":1000000}"#, None),
        (r#"{"code":0}"#, None),
        (r#"{"code":-60410}"#, None),
        (r#"{"code":60410.5}"#, None),
        (r#"{"code":"60410"}"#, None),
        (r#"{"code":null}"#, None),
        (r#"{"code":18446744073709551617}"#, None),
        (r#"[{"code":60410}]"#, None),
        (r#"{"error":{"code":60410}}"#, None),
        ("60410", None),
        ("code 60410", None),
    ] {
        let run = drive(send(None), roomy(), vec![answer(400, &[], body)]);
        assert_eq!(failed(&run).2, code, "{body}");
    }
}

// --- the locale retry ----------------------------------------------------------------------------

#[test]
fn a_404_to_a_send_with_a_locale_is_sent_once_more_without_it() {
    let run = drive(
        send(Some("ko")),
        roomy(),
        vec![twilio_error(404, 20404), created()],
    );
    assert_ok(&run, Some(SID), true, 2);
    assert_eq!(
        run.bodies(),
        [
            "To=%2B14155550142&Channel=sms&CustomCode=482910&Locale=ko",
            "To=%2B14155550142&Channel=sms&CustomCode=482910",
        ]
    );
    assert!(run.waits.is_empty(), "the second post goes at once");
}

#[test]
fn a_second_404_is_not_found_and_a_send_without_a_locale_gets_no_second_try() {
    let run = drive(
        send(Some("ko")),
        roomy(),
        vec![twilio_error(404, 20404), twilio_error(404, 20404)],
    );
    assert_failed(
        &run,
        VerifyFailure::NotFound,
        "Twilio answered HTTP 404 to the verification (Twilio error 20404: not found: check TWILIO_VERIFY_SID (for feedback: no pending verification for that number))",
        Some(20404),
        Some(404),
        2,
    );
    let run = drive(send(None), roomy(), vec![answer(404, &[], "")]);
    assert_failed(
        &run,
        VerifyFailure::NotFound,
        "Twilio answered HTTP 404 to the verification",
        None,
        Some(404),
        1,
    );
}

#[test]
fn only_a_404_drops_the_locale() {
    for outcome in [
        twilio_error(400, 60200),
        twilio_error(401, 20003),
        answer(302, &[], ""),
    ] {
        let run = drive(send(Some("ko")), roomy(), vec![outcome]);
        assert_eq!(run.sends.len(), 1);
        assert!(matches!(run.result, VerifyResult::Failed { .. }));
    }
}

#[test]
fn the_post_without_the_locale_has_retries_of_its_own() {
    // verify.js counts retries per post: two 5xx retries before the 404, two more after it.
    let run = drive(
        send(Some("ko")),
        budget(1000.0, START + 10_000.0),
        vec![
            answer(503, &[], ""),
            answer(503, &[], ""),
            answer(404, &[], ""),
            answer(503, &[], ""),
            answer(503, &[], ""),
            created(),
        ],
    );
    assert_ok(&run, Some(SID), true, 6);
    assert_eq!(run.wait_lengths(), [200.0, 600.0, 200.0, 600.0]);
    assert!(run.bodies()[2].ends_with("&Locale=ko"));
    assert!(!run.bodies()[3].contains("Locale"));
}

// --- 429 -----------------------------------------------------------------------------------------

#[test]
fn a_429_waits_as_retry_after_asks_then_sends_again() {
    let run = drive(
        send(None),
        roomy(),
        vec![
            twilio_error_with(429, 20429, &[("retry-after", "1")]),
            created(),
        ],
    );
    assert_ok(&run, Some(SID), false, 2);
    assert_eq!(run.wait_lengths(), [1000.0]);
    assert_eq!(run.sends[1].0, START + 10.0 + 1000.0);
    assert_eq!(run.bodies()[0], run.bodies()[1], "the same request again");
}

#[test]
fn a_429_with_an_http_date_waits_until_that_date() {
    // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 s after the epoch; the answer arrives 2 s
    // before it.
    let arrives = 1_445_412_478_000.0;
    let call = VerifyCall::new(send(None), base(), budget(1000.0, arrives + 5000.0));
    let script = vec![
        (
            twilio_error_with(
                429,
                20429,
                &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
            ),
            10.0,
        ),
        (created(), 10.0),
    ];
    let run = drive_call(call, secrets(), arrives - 10.0, script);
    assert_ok(&run, Some(SID), false, 2);
    assert_eq!(run.waits, [(arrives, 1_445_412_480_000.0)]);
}

#[test]
fn a_429_is_retried_at_most_twice_when_told_when() {
    let told = || twilio_error_with(429, 20429, &[("retry-after", "0.5")]);
    let run = drive(send(None), roomy(), vec![told(), told(), told()]);
    assert_failed(
        &run,
        VerifyFailure::RateLimited,
        "Twilio still answered 429 after 2 retries (Twilio error 20429: too many requests)",
        Some(20429),
        Some(429),
        3,
    );
    assert_eq!(run.wait_lengths(), [500.0, 500.0]);
}

#[test]
fn a_429_without_retry_after_is_retried_once_after_300_ms() {
    let run = drive(
        send(None),
        roomy(),
        vec![twilio_error(429, 20429), twilio_error(429, 20429)],
    );
    assert_failed(
        &run,
        VerifyFailure::RateLimited,
        "Twilio still answered 429 after 1 retries (Twilio error 20429: too many requests)",
        Some(20429),
        Some(429),
        2,
    );
    assert_eq!(run.wait_lengths(), [300.0]);
    // Told, then not told: the blind retry is not taken after a first retry.
    let run = drive(
        send(None),
        roomy(),
        vec![
            twilio_error_with(429, 20429, &[("retry-after", "0")]),
            answer(429, &[], ""),
        ],
    );
    assert_failed(
        &run,
        VerifyFailure::RateLimited,
        "Twilio still answered 429 after 1 retries",
        None,
        Some(429),
        2,
    );
    // An unreadable retry-after is no retry-after.
    let run = drive(
        send(None),
        roomy(),
        vec![answer(429, &[("retry-after", "soon")], ""), created()],
    );
    assert_ok(&run, Some(SID), false, 2);
    assert_eq!(run.wait_lengths(), [300.0]);
}

#[test]
fn a_429_whose_wait_would_pass_the_deadline_fails_at_once() {
    let run = drive(
        send(None),
        roomy(),
        vec![twilio_error_with(429, 20429, &[("retry-after", "30")])],
    );
    assert_failed(
        &run,
        VerifyFailure::RateLimited,
        "Twilio answered 429 and asked to wait 30000 ms, which would pass the deadline",
        Some(20429),
        Some(429),
        1,
    );
    assert!(run.waits.is_empty());
    // A fraction of a ms is rounded up; the blind wait is refused the same way.
    let run = drive(
        send(None),
        budget(1000.0, START + 4000.0),
        vec![answer(429, &[("retry-after", "3.9001")], "")],
    );
    assert_eq!(
        failed(&run).1,
        "Twilio answered 429 and asked to wait 3901 ms, which would pass the deadline"
    );
    let run = drive(
        send(None),
        budget(1000.0, START + 400.0),
        vec![answer(429, &[], "")],
    );
    assert_failed(
        &run,
        VerifyFailure::RateLimited,
        "Twilio answered 429 and asked to wait 300 ms, which would pass the deadline",
        None,
        Some(429),
        1,
    );
    // 10 ms + 300 ms + 100 ms of room for the request fit in 410 ms exactly.
    let run = drive(
        send(None),
        budget(1000.0, START + 410.0),
        vec![answer(429, &[], ""), created()],
    );
    assert_ok(&run, Some(SID), false, 2);
}

#[test]
fn a_429_with_60203_is_a_per_number_limit_and_never_retried() {
    for headers in [&[][..], &[("retry-after", "1")][..]] {
        let run = drive(
            send(None),
            roomy(),
            vec![twilio_error_with(429, 60203, headers)],
        );
        assert_failed(
            &run,
            VerifyFailure::Rejected,
            "Twilio answered HTTP 429 (Twilio error 60203: max send attempts reached for this number)",
            Some(60203),
            Some(429),
            1,
        );
        assert!(run.waits.is_empty());
    }
}

// --- 5xx -----------------------------------------------------------------------------------------

#[test]
fn a_5xx_is_retried_twice_after_200_and_600_ms() {
    let run = drive(
        send(None),
        roomy(),
        vec![
            twilio_error(503, 20503),
            twilio_error(503, 20503),
            twilio_error(503, 20503),
        ],
    );
    assert_failed(
        &run,
        VerifyFailure::ServerError,
        "Twilio answered HTTP 503, also after 2 retries (Twilio error 20503)",
        Some(20503),
        Some(503),
        3,
    );
    assert_eq!(run.wait_lengths(), [200.0, 600.0]);
    let run = drive(send(None), roomy(), vec![answer(500, &[], ""), created()]);
    assert_ok(&run, Some(SID), false, 2);
    let run = drive(
        approve(),
        roomy(),
        vec![
            answer(599, &[], ""),
            answer(502, &[], ""),
            answer(200, &[], "{}"),
        ],
    );
    assert_ok(&run, None, false, 3);
}

#[test]
fn a_5xx_with_no_time_left_to_retry_fails_at_once() {
    // 10 ms spent, 200 ms wait and 100 ms room: 310 ms do not fit in 300.
    let run = drive(
        send(None),
        budget(1000.0, START + 300.0),
        vec![twilio_error(500, 20500)],
    );
    assert_failed(
        &run,
        VerifyFailure::ServerError,
        "Twilio answered HTTP 500 and no time is left to retry (Twilio error 20500)",
        Some(20500),
        Some(500),
        1,
    );
    // The first retry fits (10 + 200 + 100 <= 800), the second does not (220 + 600 + 100).
    let run = drive(
        send(None),
        budget(1000.0, START + 800.0),
        vec![answer(502, &[], ""), answer(502, &[], "")],
    );
    assert_failed(
        &run,
        VerifyFailure::ServerError,
        "Twilio answered HTTP 502 and no time is left to retry",
        None,
        Some(502),
        2,
    );
    assert_eq!(run.wait_lengths(), [200.0]);
}

#[test]
fn rate_limit_and_server_retries_are_counted_apart() {
    let run = drive(
        send(None),
        roomy(),
        vec![
            answer(429, &[("retry-after", "0")], ""),
            answer(500, &[], ""),
            answer(429, &[("retry-after", "0")], ""),
            answer(500, &[], ""),
            created(),
        ],
    );
    assert_ok(&run, Some(SID), false, 5);
    assert_eq!(run.wait_lengths(), [0.0, 200.0, 0.0, 600.0]);
}

// --- the deadline --------------------------------------------------------------------------------

#[test]
fn nothing_is_sent_once_the_deadline_has_passed() {
    for deadline in [START, START - 1.0] {
        let run = drive(send(None), budget(1000.0, deadline), vec![]);
        assert_unanswered(
            &run,
            VerifyFailure::Timeout,
            "the deadline passed before Twilio could be asked",
            0,
        );
    }
}

#[test]
fn each_timeout_is_the_per_request_timeout_or_the_time_left() {
    let run = drive(send(None), budget(1000.0, START + 300.0), vec![created()]);
    assert_eq!(run.sends[0].1.timeout_ms, 300);
    let run = drive(send(None), budget(250.0, START + 300.0), vec![created()]);
    assert_eq!(run.sends[0].1.timeout_ms, 250);
    // After a wait, the time left is shorter: 5000 - 10 - 200 = 4790 ms.
    let run = drive(
        send(None),
        budget(10_000.0, START + 5000.0),
        vec![answer(500, &[], ""), created()],
    );
    assert_eq!(run.sends[0].1.timeout_ms, 5000);
    assert_eq!(run.sends[1].1.timeout_ms, 4790);
}

#[test]
fn a_timeout_is_reported_with_its_budget_and_not_retried() {
    let run = drive(
        send(None),
        budget(200.0, START + 5000.0),
        vec![transport(TransportError::Timeout)],
    );
    assert_unanswered(
        &run,
        VerifyFailure::Timeout,
        "Twilio did not answer within 200 ms",
        1,
    );
    let run = drive(
        send(None),
        budget(1000.0, START + 300.0),
        vec![transport(TransportError::Timeout)],
    );
    assert_unanswered(
        &run,
        VerifyFailure::Timeout,
        "Twilio did not answer before the deadline (300 ms left)",
        1,
    );
}

#[test]
fn a_wait_never_passes_the_deadline_and_an_overslept_retry_is_not_sent() {
    let mut call = VerifyCall::new(send(None), base(), budget(1000.0, START + 1000.0));
    assert!(matches!(call.next(START), Step::Secrets { .. }));
    call.secrets(secrets());
    assert!(matches!(call.next(START), Step::Send(_)));
    call.received(answer(503, &[], ""));
    let Step::Wait { until_ms } = call.next(START + 50.0) else {
        panic!("a wait");
    };
    assert_eq!(until_ms, START + 250.0);
    // The shim slept far longer than asked.
    assert_eq!(call.next(START + 1000.0), Step::Done);
    assert_eq!(
        call.result(),
        Some(&VerifyResult::Failed {
            failure: VerifyFailure::Timeout,
            detail: "the deadline passed before Twilio could be asked".to_owned(),
            twilio_code: None,
            status: None,
            requests: 1,
        })
    );
}

#[test]
fn the_post_without_the_locale_is_not_sent_after_the_deadline() {
    let call = VerifyCall::new(send(Some("ko")), base(), budget(1000.0, START + 500.0));
    let run = drive_call(call, secrets(), START, vec![(answer(404, &[], ""), 500.0)]);
    assert_unanswered(
        &run,
        VerifyFailure::Timeout,
        "the deadline passed before Twilio could be asked",
        1,
    );
}

// --- transport errors ----------------------------------------------------------------------------

#[test]
fn transport_errors_are_network_or_bad_response_with_the_js_details() {
    let connection_failed = "the connection to Twilio failed";
    let others = [
        (
            TransportError::TooLarge,
            VerifyFailure::BadResponse,
            "Twilio sent more than 65536 bytes; reading stopped",
        ),
        (
            TransportError::NoResponse,
            VerifyFailure::BadResponse,
            "Twilio gave no HTTP response",
        ),
        (
            TransportError::Unreadable,
            VerifyFailure::BadResponse,
            "the body from Twilio cannot be read",
        ),
    ];
    let cases = transport_cases(connection_failed, VerifyFailure::Network, &others);
    for (error, failure, detail) in cases {
        for action in [send(Some("ko")), approve()] {
            let run = drive(action, roomy(), vec![transport(error.clone())]);
            assert_unanswered(&run, failure, &detail, 1);
        }
    }
}

// --- calls out of order --------------------------------------------------------------------------

#[test]
fn calls_out_of_order_never_panic() {
    // Asked again before the outcome was handed back: the call ends, nothing is sent twice.
    let mut call = VerifyCall::new(send(None), base(), roomy());
    call.received(created()); // nobody asked: ignored
    assert!(matches!(call.next(START), Step::Secrets { .. }));
    assert!(
        matches!(call.next(START), Step::Secrets { .. }),
        "asks again"
    );
    call.received(created()); // still nobody asked
    call.secrets(secrets());
    call.secrets(vec![]); // a second answer is ignored
    assert!(matches!(call.next(START), Step::Send(_)));
    assert_eq!(call.result(), None);
    assert_eq!(call.next(START + 5.0), Step::Done);
    assert_eq!(
        call.result(),
        Some(&VerifyResult::Failed {
            failure: VerifyFailure::BadResponse,
            detail: "an unexpected error occurred while handling the Twilio answer".to_owned(),
            twilio_code: None,
            status: None,
            requests: 1,
        })
    );
    let before = call.result().cloned();
    call.received(created());
    call.secrets(secrets());
    for now in [START, f64::NAN, f64::INFINITY, -1.0] {
        assert_eq!(call.next(now), Step::Done);
    }
    assert_eq!(call.result().cloned(), before);

    // Secrets handed over before they were asked for are used; a second outcome is ignored.
    let mut call = VerifyCall::new(approve(), base(), roomy());
    call.secrets(secrets());
    assert!(matches!(call.next(START), Step::Send(_)));
    call.received(created());
    call.received(answer(500, &[], ""));
    assert_eq!(call.next(START + 5.0), Step::Done);
    assert_eq!(
        call.result(),
        Some(&VerifyResult::Ok {
            sid: Some(SID.to_owned()),
            locale_dropped: false,
            requests: 1
        })
    );

    // A clock that is not a number sends nothing.
    let mut call = VerifyCall::new(approve(), base(), roomy());
    call.secrets(secrets());
    assert_eq!(call.next(f64::NAN), Step::Done);
    assert!(matches!(
        call.result(),
        Some(VerifyResult::Failed {
            failure: VerifyFailure::Timeout,
            requests: 0,
            ..
        })
    ));
}

// --- what never reaches a detail -----------------------------------------------------------------

/// Digit runs of 7 or more (a phone number?), as the JS tests scrub their logs.
fn has_long_digit_run(text: &str) -> bool {
    let mut run = 0;
    for b in text.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 7 {
            return true;
        }
    }
    false
}

#[track_caller]
fn assert_redacted(result: &VerifyResult) {
    if let VerifyResult::Failed { detail, .. } = result {
        for secret in [
            AUTH_TOKEN,
            CODE,
            TO,
            &TO[1..],
            &TO[TO.len() - 7..],
            "Basic ",
            "Invalid parameter",
        ] {
            assert!(!detail.contains(secret), "{secret} in {detail}");
        }
    }
}

#[test]
fn details_never_carry_the_token_the_code_the_number_or_twilios_message() {
    let hostile = |status: u16| {
        answer(
            status,
            &[],
            &json!({"code": 60410, "message": format!("blocked {TO} code {CODE} token {AUTH_TOKEN}"), "more_info": format!("https://example.com/{TO}"), "status": status}).to_string(),
        )
    };
    let mut results = Vec::new();
    for status in [400, 401, 403, 404, 302, 600, 0] {
        // A 404 to a send with a locale is sent again without it.
        let script = if status == 404 {
            vec![hostile(status), hostile(status)]
        } else {
            vec![hostile(status)]
        };
        results.push(drive(send(Some("ko")), roomy(), script).result);
        results.push(drive(approve(), roomy(), vec![hostile(status)]).result);
    }
    results.push(drive(send(None), roomy(), vec![hostile(429), hostile(429)]).result);
    results.push(
        drive(
            send(None),
            roomy(),
            vec![hostile(503), hostile(503), hostile(503)],
        )
        .result,
    );
    results.push(
        drive(
            send(None),
            budget(1000.0, START + 200.0),
            vec![hostile(503)],
        )
        .result,
    );
    results.push(
        drive(
            send(None),
            roomy(),
            vec![transport(TransportError::Network {
                phase: NetworkPhase::Connecting,
                code: Some(format!("E{}", &TO[1..])),
            })],
        )
        .result,
    );
    for result in &results {
        assert!(matches!(result, VerifyResult::Failed { .. }), "{result:?}");
        assert_redacted(result);
        if let VerifyResult::Failed { detail, .. } = result {
            assert!(!has_long_digit_run(detail), "{detail}");
        }
    }
    // The Fraud Guard answer of the JS test, word for word.
    let run = drive(send(None), roomy(), vec![hostile(400)]);
    assert_eq!(
        failed(&run).1,
        "Twilio answered HTTP 400 to the verification (Twilio error 60410: delivery blocked by Verify Fraud Guard)"
    );
}

#[test]
fn debug_output_holds_neither_the_secrets_nor_the_code() {
    let mut call = VerifyCall::new(send(None), base(), roomy());
    call.secrets(secrets());
    let Step::Send(_) = call.next(START) else {
        panic!("a request");
    };
    let text = format!("{call:?}");
    assert!(
        !text.contains(AUTH_TOKEN) && !text.contains(CODE) && !text.contains("Basic"),
        "{text}"
    );
}

// --- the catalogue -------------------------------------------------------------------------------

#[test]
fn the_failure_catalogue_is_verify_failures_word_for_word() {
    let expected = [
        ("verify_not_configured", "TWILIO_ACCOUNT_SID (AC + 32 hex), TWILIO_AUTH_TOKEN or TWILIO_VERIFY_SID (VA + 32 hex) is missing or malformed; nothing was sent."),
        ("verify_unauthorized", "Twilio answered 401 or 403: the Account SID and Auth Token do not match, or lack access to the service."),
        ("verify_not_found", "Twilio answered 404: no such Verify service, an unsupported locale (retried once without it), or for feedback no pending verification for that number."),
        ("verify_rejected", "Twilio refused the request (4xx with a Twilio error code, e.g. 60200 invalid parameter, 60203 too many sends, 60410 Fraud Guard)."),
        ("verify_rate_limited", "Twilio answered 429 and waiting as told would pass the deadline, or the retries ran out."),
        ("verify_server_error", "Twilio answered 5xx, also after the bounded retries."),
        ("verify_timeout", "A request took longer than its timeout, or the deadline passed."),
        ("verify_network", "The connection failed: refused, reset, DNS error, or the body read was cut off."),
        ("verify_bad_response", "The answer was not usable: a redirect, an unexpected status, or a body over 64 KiB."),
    ];
    let built: Vec<_> = VerifyFailure::ALL
        .iter()
        .map(|f| (f.code(), f.explain()))
        .collect();
    assert_eq!(built, expected);
}

#[test]
fn twilio_error_texts_are_verify_js_twilio_errors() {
    for (code, text) in [
        (20003, "authentication failed: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"),
        (20404, "not found: check TWILIO_VERIFY_SID (for feedback: no pending verification for that number)"),
        (20429, "too many requests"),
        (60200, "invalid parameter"),
        (60203, "max send attempts reached for this number"),
        (60205, "SMS is not supported by this (landline) number"),
        (60410, "delivery blocked by Verify Fraud Guard"),
    ] {
        assert_eq!(twilio_error_text(code), Some(text), "{code}");
    }
    assert_eq!(TWILIO_ERRORS.len(), 7);
    for code in [0, 20500, 20503, 60202, 999_999] {
        assert_eq!(twilio_error_text(code), None);
    }
}

#[test]
fn the_step_bound_follows_from_the_retry_limits() {
    // Two posts (the locale retry), each with 1 + 2 + 2 requests, each request followed by at
    // most one wait; the secrets and the final done.
    assert_eq!(MAX_VERIFY_REQUESTS, 10);
    assert_eq!(MAX_VERIFY_STEPS, 22);
    // The longest run there is: both posts use every retry.
    let told = || answer(429, &[("retry-after", "0")], "");
    let server = || answer(500, &[], "");
    let run = drive(
        send(Some("ko")),
        budget(1000.0, START + 100_000.0),
        vec![
            told(),
            told(),
            server(),
            server(),
            answer(404, &[], ""),
            told(),
            told(),
            server(),
            server(),
            created(),
        ],
    );
    assert_ok(&run, Some(SID), true, MAX_VERIFY_REQUESTS);
    assert_eq!(
        run.steps,
        MAX_VERIFY_STEPS - 2,
        "no wait after the last answers of each post"
    );
}

// --- properties ----------------------------------------------------------------------------------

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,3}",
        "[0-9]{1,2}\\.[0-9]{1,3}",
        "[0-9]{16,20}",
        Just("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()),
        Just("Tue, 14 Nov 2023 22:13:21 GMT".to_owned()),
        Just("2023-11-14T22:13:25Z".to_owned()),
        ".{0,12}",
    ]
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("retry-after".to_owned()),
        Just("Retry-After".to_owned()),
        Just("x-ratelimit-reset".to_owned()),
        Just("content-type".to_owned()),
    ];
    prop::collection::vec((name, header_value()), 0..3)
}

fn code_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u32..1_100_000).prop_map(|c| json!(c)),
        prop::sample::select(vec![20003u32, 20404, 20429, 20503, 60200, 60203, 60410])
            .prop_map(|c| json!(c)),
        any::<i64>().prop_map(|c| json!(c)),
        any::<f64>().prop_map(|c| json!(c)),
        ".{0,8}".prop_map(|c| json!(c)),
        Just(Value::Null),
    ]
}

fn twilio_error_body() -> impl Strategy<Value = String> {
    (code_value(), any::<u16>()).prop_map(|(code, status)| {
        json!({"code": code, "message": format!("blocked {TO} with {CODE}"), "status": status})
            .to_string()
    })
}

fn sid_body() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(SID.to_owned()),
        "VE[0-9a-fA-F]{30,34}",
        "[A-Z]{2}[0-9a-f]{32}",
        ".{0,10}",
    ]
    .prop_map(|sid| json!({"sid": sid, "status": "pending"}).to_string())
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        twilio_error_body().prop_map(Body::Text),
        sid_body().prop_map(Body::Text),
        ".{0,40}".prop_map(Body::Text),
        twilio_error_body().prop_map(|t| Body::InvalidUtf8(format!("{t}\u{fffd}"))),
        sid_body().prop_map(|t| Body::InvalidUtf8(format!("\u{fffd}{t}"))),
        code_value().prop_map(|code| Body::Json(json!({"code": code, "sid": SID}))),
        Just(Body::Json(json!([1, 2]))),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(vec![200u16, 201, 404, 429, 429, 500, 503, 401, 400, 302]),
        1 => 0u16..=999,
    ]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    let response = (status(), headers(), body()).prop_map(|(status, headers, body)| {
        Outcome::Response(Response {
            status,
            headers,
            body,
        })
    });
    let error = prop_oneof![
        Just(TransportError::Timeout),
        (any::<bool>(), proptest::option::of("[A-Z_]{1,12}|.{0,12}")).prop_map(
            |(connecting, code)| {
                TransportError::Network {
                    phase: if connecting {
                        NetworkPhase::Connecting
                    } else {
                        NetworkPhase::ReadingBody
                    },
                    code,
                }
            }
        ),
        Just(TransportError::TooLarge),
        Just(TransportError::NoResponse),
        Just(TransportError::Unreadable),
    ]
    .prop_map(Outcome::Failed);
    prop_oneof![5 => response, 1 => error]
}

/// How the fake clock moves after a request (its duration) or a wait (how late the shim
/// wakes): usually forwards a little, sometimes far, sometimes backwards.
fn clock_move() -> impl Strategy<Value = i64> {
    prop_oneof![
        4 => 0i64..200,
        1 => -5_000i64..0,
        1 => 0i64..20_000,
        1 => Just(i64::from(i32::MAX)),
    ]
}

fn action() -> impl Strategy<Value = VerifyAction> {
    let locale = proptest::option::of(prop_oneof![
        Just("ko".to_owned()),
        Just(String::new()),
        "[a-z]{2}(-[A-Z]{2})?"
    ]);
    prop_oneof![
        (any::<bool>(), locale).prop_map(|(call, locale)| VerifyAction::Send {
            to: number(TO),
            channel: if call {
                VerifyChannel::Call
            } else {
                VerifyChannel::Sms
            },
            code: CODE.to_owned(),
            locale,
        }),
        Just(approve()),
    ]
}

fn secret_values() -> impl Strategy<Value = Vec<Option<String>>> {
    prop_oneof![
        8 => Just(secrets()),
        1 => prop::collection::vec(proptest::option::of(".{0,40}"), 0..4),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    action: VerifyAction,
    secrets: Vec<Option<String>>,
    timeout_ms: f64,
    /// Deadline minus start.
    window_ms: i64,
    /// Each request's outcome and the clock move that comes with it.
    outcomes: Vec<(Outcome, i64)>,
    /// The clock move after each wait.
    wake: Vec<i64>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        action(),
        secret_values(),
        prop_oneof![1.0..5000.0f64, Just(1.0), Just(1000.0), Just(f64::MAX)],
        prop_oneof![-100i64..20_000, Just(0), Just(i64::from(i32::MAX) * 4)],
        prop::collection::vec((outcome(), clock_move()), 0..12),
        prop::collection::vec(clock_move(), 0..12),
    )
        .prop_map(
            |(action, secrets, timeout_ms, window_ms, outcomes, wake)| Case {
                action,
                secrets,
                timeout_ms,
                window_ms,
                outcomes,
                wake,
            },
        )
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let deadline = START + case.window_ms as f64;
    let budget = budget(case.timeout_ms, deadline);
    let mut call = VerifyCall::new(case.action.clone(), base(), budget);
    let mut clock = START;
    let mut outcomes = case.outcomes.iter().cycle();
    let mut wakes = case.wake.iter().chain(std::iter::repeat(&0));
    let fallback = (created(), 10);
    let mut sends = 0u32;
    let mut last_status = None;
    let mut steps = 0u32;
    loop {
        steps += 1;
        prop_assert!(
            steps <= MAX_VERIFY_STEPS,
            "more than {} steps",
            MAX_VERIFY_STEPS
        );
        prop_assert!(call.result().is_none());
        match call.next(clock) {
            Step::Secrets { names } => {
                prop_assert_eq!(names, VERIFY_SECRET_NAMES);
                prop_assert_eq!(steps, 1);
                call.secrets(case.secrets.clone());
            }
            Step::Send(request) => {
                sends += 1;
                let left = deadline - clock;
                prop_assert!(
                    left > 0.0,
                    "sent at {} with the deadline at {}",
                    clock,
                    deadline
                );
                prop_assert!(request.timeout_ms >= 1);
                prop_assert!(f64::from(request.timeout_ms) <= left.max(1.0));
                prop_assert!(f64::from(request.timeout_ms) <= case.timeout_ms.max(1.0));
                let body = request.body.clone().unwrap_or_default();
                prop_assert!(request.url.starts_with(VERIFICATIONS));
                prop_assert!(
                    body.contains("Status=approved") || body.contains("CustomCode=482910")
                );
                let (outcome, moved) = outcomes.next().unwrap_or(&fallback);
                last_status = match outcome {
                    Outcome::Response(r) => Some(r.status),
                    Outcome::Failed(_) => None,
                };
                clock += *moved as f64;
                call.received(outcome.clone());
            }
            Step::Wait { until_ms } => {
                prop_assert!(
                    until_ms <= deadline,
                    "waits until {} past {}",
                    until_ms,
                    deadline
                );
                prop_assert!(until_ms >= clock, "waits into the past");
                clock = until_ms + *wakes.next().unwrap_or(&0) as f64;
            }
            Step::Done => break,
            other => prop_assert!(false, "unexpected step {:?}", other),
        }
    }
    prop_assert!(sends <= MAX_VERIFY_REQUESTS);
    prop_assert_eq!(call.next(clock), Step::Done);
    prop_assert_eq!(call.next(clock - 1e9), Step::Done);
    let result = call.result().cloned();
    prop_assert!(result.is_some());
    let result = result.unwrap_or(VerifyResult::Ok {
        sid: None,
        locale_dropped: false,
        requests: u32::MAX,
    });
    match &result {
        VerifyResult::Ok {
            requests,
            sid,
            locale_dropped,
        } => {
            prop_assert_eq!(*requests, sends);
            prop_assert!(last_status.is_some_and(|s| (200..=299).contains(&s)));
            prop_assert!(sid
                .as_deref()
                .map_or(true, |s| s.len() == 34 && s.starts_with("VE")));
            let is_send = matches!(case.action, VerifyAction::Send { .. });
            prop_assert!(!locale_dropped || is_send);
        }
        VerifyResult::Failed {
            requests,
            twilio_code,
            status,
            ..
        } => {
            prop_assert_eq!(*requests, sends);
            prop_assert!(twilio_code.map_or(true, |c| (1..=999_999).contains(&c)));
            prop_assert!(status.is_none() || *status == last_status);
            assert_redacted(&result);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_outcomes_and_clocks_end_within_the_bound_and_keep_the_deadline(case in case()) {
        check(&case)?;
    }
}
