//! The handler around the engine: a login decided from the event, a login driven through its
//! lookup, the log lines and the failure policy.

use super::*;
use crate::engine::Decision;
use crate::options::{self, HandlerKind, OptionValue};
use crate::transport::{Body, CacheEntry, Response, TransportError};
use serde_json::{json, Value};

fn handler(config: &str, on_error: &str) -> Handler {
    let entries = vec![("onError".to_owned(), OptionValue::Text(on_error.to_owned()))];
    let options = options::check(HandlerKind::PostLogin, Some(&entries)).unwrap();
    Handler::new(CompiledConfig::compile_str(config).unwrap(), options)
}

/// The event of an MFA user who asked for the phone scope and has no profile number.
fn mfa_event(handler: &Handler, app_metadata_number: Option<&str>) -> EventView<'static> {
    let mut event = json!({
        "user": {"user_id": "auth0|u1", "enrolledFactors": [{"type": "phone"}]},
        "transaction": {"requested_scopes": ["openid", "phone"]}
    });
    if let Some(number) = app_metadata_number {
        event["user"]["app_metadata"] = json!({"phone_number": number});
    }
    EventView::from_event(&event, handler.config().paths())
}

fn memory() -> Rc<RefCell<TokenMemory>> {
    Rc::default()
}

/// Drives a login: the secrets given, every request answered by `answer`, the clock moving
/// 10 ms per request. Returns the decision and the URLs asked.
fn drive(
    handler: &Handler,
    login: &mut Login,
    secrets: Vec<Option<String>>,
    answer: impl Fn(&str) -> Outcome,
) -> (Decision, Vec<String>) {
    let mut now = 1_000.0;
    let mut urls = Vec::new();
    for _ in 0..200 {
        match login.next(now) {
            Step::Done => break,
            Step::Secrets { .. } => login.secrets(secrets.clone()),
            Step::Send(request) => {
                now += 10.0;
                urls.push(request.url.clone());
                login.received(answer(&request.url));
            }
            Step::Wait { until_ms } => now = until_ms,
            Step::CacheGet { .. } => login.cached(None),
            Step::CacheSet { .. } | Step::CacheDelete { .. } => {}
        }
    }
    let verdict = handler.finish(login).expect("the login is done");
    (verdict.render(handler.config(), login.event()), urls)
}

fn static_token() -> Vec<Option<String>> {
    vec![
        Some("tenant.example.com".into()),
        None,
        None,
        None,
        Some("tok".into()),
    ]
}

fn methods(number: &str) -> Outcome {
    Outcome::Response(Response {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: Body::Json(json!([{"id": "phone|1", "type": "phone", "confirmed": true,
            "phone_number": number, "preferred_authentication_method": "sms"}])),
    })
}

fn lookup(planned: Planned) -> Box<Login> {
    match planned {
        Planned::Lookup(login) => login,
        Planned::Done(decision) => panic!("expected a lookup, got {decision:?}"),
    }
}

#[test]
fn an_event_that_decides_needs_no_machine() {
    let handler = handler("{}", "deny");
    let event = json!({"user": {"phone_number": "+14155550123", "phone_verified": true},
        "transaction": {"requested_scopes": ["openid", "phone"]}});
    let view = EventView::from_event(&event, handler.config().paths());
    let Planned::Done(decision) = handler.plan(view, false, 0.0, &memory()) else {
        panic!("the profile number decides");
    };
    let number = decision.phone.as_ref().map(|(n, v)| (n.as_str(), *v));
    assert_eq!(number, Some(("+14155550123", true)));
    assert!(!decision.deny && decision.log.is_none());
}

#[test]
fn a_lookup_is_driven_to_its_claims() {
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), true, 1_000.0, &memory()));
    let (decision, urls) = drive(&handler, &mut login, static_token(), |_| {
        methods("+447700900123")
    });
    assert_eq!(
        decision.id_token.get("phone_number"),
        Some(&json!("+447700900123"))
    );
    assert_eq!(
        decision.id_token.get("phone_number_verified"),
        Some(&json!(true))
    );
    assert_eq!(
        urls,
        ["https://tenant.example.com/api/v2/users/auth0%7Cu1/authentication-methods?page=0&per_page=50&include_totals=true"]
    );
    assert_eq!(login.requests(), 1);
    assert!(!decision.lookup_failed && !decision.deny && decision.log.is_none());
}

#[test]
fn a_failed_lookup_is_logged_and_denied_only_when_configured() {
    for (on_error, denied) in [("continue", false), ("deny", true)] {
        let handler = handler("{}", on_error);
        let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 1_000.0, &memory()));
        let (decision, _) = drive(&handler, &mut login, static_token(), |_| {
            Outcome::Failed(TransportError::Timeout)
        });
        assert!(decision.lookup_failed);
        assert_eq!(decision.deny, denied, "{on_error}");
        let log = decision.log.unwrap_or_default();
        assert!(
            log.starts_with("phone lookup failed (mgmt_timeout): "),
            "{log}"
        );
        assert!(log.ends_with("; phone claims withheld"), "{log}");
        assert!(decision.id_token.is_empty());
    }
}

#[test]
fn a_missing_setup_is_said_once_per_handler_and_never_denies() {
    let handler = handler("{}", "deny");
    let run = || {
        let mut login = lookup(handler.plan(
            mfa_event(&handler, Some("+44 (0)20 7946 0958")),
            false,
            1_000.0,
            &memory(),
        ));
        drive(&handler, &mut login, vec![None; 5], |_| {
            panic!("nothing is sent")
        })
        .0
    };
    let first = run();
    assert_eq!(
        first.id_token.get("phone_number"),
        Some(&json!("+442079460958"))
    );
    assert!(!first.lookup_failed && !first.deny);
    assert_eq!(
        first.log.as_deref(),
        Some("the mfa phone source is skipped because the Management API is not set up (the AUTH0_DOMAIN secret is not set); the next sources are tried. Logged once per Action instance.")
    );
    let second = run();
    assert_eq!(second.log, None);
    assert_eq!(second.id_token, first.id_token);
}

#[test]
fn the_deadline_starts_when_the_login_does() {
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 50_000.0, &memory()));
    assert!(matches!(login.next(50_000.0), Step::Secrets { .. }));
    login.secrets(static_token());
    let Step::Send(request) = login.next(50_000.0) else {
        panic!("the lookup is asked");
    };
    assert_eq!(request.timeout_ms, 2500);
    // 5 s after the start (the default deadline) nothing more is sent.
    login.received(Outcome::Failed(TransportError::Timeout));
    assert_eq!(login.next(55_000.0), Step::Done);
    assert!(handler.finish(&mut login).is_some_and(|d| d.lookup_failed));
}

#[test]
fn a_login_that_is_not_done_has_no_decision() {
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 0.0, &memory()));
    assert!(handler.finish(&mut login).is_none());
    let _: Value = json!(null);
}

#[test]
fn warnings_are_one_line_each() {
    let quiet = handler("{}", "continue");
    assert!(quiet.warning_lines().is_empty());
    let doubtful = handler(
        r#"{"idToken":{"https://a.example.com/auth0.com":"user.email"}}"#,
        "continue",
    );
    let lines = doubtful.warning_lines();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("configuration warning (namespace_lookalike) at idToken[\"https://a.example.com/auth0.com\"]: "),
        "{}",
        lines[0]
    );
}

/// The layout the shim reads once: every path as its segments, in slot order; every claim with
/// its token, exact name and slot, in the order of the answer's flags; the warning lines.
#[test]
fn the_layout_lists_paths_claims_and_warnings() {
    let handler = handler(
        r#"{"phone": false,
            "idToken": {"https://a.example.com/\"q\\\n\u0001é": "user.identities.0.user_id",
                        "https://a.example.com/auth0.com": "user.app_metadata.plan"},
            "accessToken": {"__proto__": "organization.id",
                            "https://b.example.com/plan": "user.app_metadata.plan"}}"#,
        "continue",
    );
    let layout: Value = serde_json::from_str(&handler.layout_json()).unwrap();
    let (quoted_name, plan, lookalike) = (
        "https://a.example.com/\"q\\\n\u{1}é",
        "https://b.example.com/plan",
        "https://a.example.com/auth0.com",
    );
    assert_eq!(
        layout,
        json!({
            "paths": [
                ["user", "identities", "0", "user_id"],
                ["user", "app_metadata", "plan"],
                ["organization", "id"]
            ],
            "claims": [
                {"token": "idToken", "name": quoted_name, "slot": 0},
                {"token": "idToken", "name": lookalike, "slot": 1},
                {"token": "accessToken", "name": "__proto__", "slot": 2},
                {"token": "accessToken", "name": plan, "slot": 1}
            ],
            "warnings": [handler.warning_lines()[0]]
        })
    );
    assert!(handler.warning_lines()[0].contains("namespace_lookalike"));
    let quiet = self::handler(r#"{"phone": false}"#, "continue");
    assert_eq!(
        quiet.layout_json(),
        r#"{"paths":[],"claims":[],"warnings":[]}"#
    );
}

#[test]
fn an_answer_that_is_no_list_of_methods_is_mfa_bad_response() {
    for body in [
        json!({"users": []}),
        json!([{"id": "phone|1"}, "junk"]),
        json!(null),
    ] {
        let handler = handler("{}", "continue");
        let mut login = lookup(handler.plan(mfa_event(&handler, None), true, 1_000.0, &memory()));
        let (decision, urls) = drive(&handler, &mut login, static_token(), |_| {
            Outcome::Response(Response {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: Body::Json(body.clone()),
            })
        });
        assert_eq!(urls.len(), 1);
        assert!(decision.lookup_failed, "{body}");
        assert!(decision.id_token.is_empty());
        let reasons: Vec<&str> = decision.trace.iter().map(|e| e.reason.code()).collect();
        assert!(reasons.contains(&"mfa_bad_response"), "{body}: {reasons:?}");
        assert_eq!(
            decision.log.as_deref(),
            Some("phone lookup failed (mfa_bad_response): the Management API answer is not a list of authentication methods; phone claims withheld")
        );
    }
}

#[test]
fn a_login_counts_every_request_it_sent() {
    // A 503 is retried after a back-off (the transport's retry rule): two requests in all.
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 1_000.0, &memory()));
    let sent = std::cell::Cell::new(0);
    let (decision, urls) = drive(&handler, &mut login, static_token(), |_| {
        sent.set(sent.get() + 1);
        if sent.get() == 1 {
            Outcome::Response(Response {
                status: 503,
                headers: vec![],
                body: Body::Text(String::new()),
            })
        } else {
            methods("+447700900123")
        }
    });
    assert_eq!(urls.len(), 2);
    assert_eq!(login.requests(), 2);
    let result = login.lookup_result().expect("the lookup is done");
    assert_eq!(result.requests, 2);
    assert!(result.failure.is_none());
    assert_eq!(
        decision.id_token.get("phone_number"),
        Some(&json!("+447700900123"))
    );
    // Before it is done, a login has no result.
    let waiting = lookup(handler.plan(mfa_event(&handler, None), false, 1_000.0, &memory()));
    assert!(waiting.lookup_result().is_none());
    assert_eq!(waiting.requests(), 0);
}

#[test]
fn the_handler_keeps_its_options() {
    assert_eq!(handler("{}", "deny").options().on_error, OnError::Deny);
    assert_eq!(
        handler("{}", "continue").options().on_error,
        OnError::Continue
    );
    assert_eq!(handler("{}", "continue").options().timeout_ms, 2500.0);
}

#[test]
fn a_failed_lookup_line_carries_the_code_and_the_detail() {
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 1_000.0, &memory()));
    let (decision, _) = drive(&handler, &mut login, static_token(), |_| {
        Outcome::Failed(TransportError::Timeout)
    });
    let result = login.lookup_result().expect("the lookup is done");
    let LookupOutcome::Failed { code } = &result.outcome else {
        panic!("{:?}", result.outcome);
    };
    assert_eq!(
        decision.log,
        Some(format!(
            "phone lookup failed ({code}): {}; phone claims withheld",
            result.detail
        ))
    );
    assert!(!result.detail.is_empty());
}

#[test]
fn the_deadline_is_the_start_plus_the_deadline_option() {
    // Default deadlineMs 5000 from a start at 50 s: a request sent at 53 s has 2 s left, less
    // than the 2.5 s timeout, so the deadline cuts it.
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 50_000.0, &memory()));
    assert!(matches!(login.next(53_000.0), Step::Secrets { .. }));
    login.secrets(static_token());
    let Step::Send(request) = login.next(53_000.0) else {
        panic!("the lookup is asked");
    };
    assert_eq!(request.timeout_ms, 2000);
}

#[test]
fn a_token_found_in_api_cache_is_used_without_asking_for_one() {
    let handler = handler("{}", "continue");
    let mut login = lookup(handler.plan(mfa_event(&handler, None), false, 1_000.0, &memory()));
    let client = vec![
        Some("tenant.example.com".into()),
        None,
        Some("client-id".into()),
        Some("client-secret".into()),
        None,
    ];
    let mut asked_cache = false;
    let mut sent = Vec::new();
    for _ in 0..50 {
        match login.next(1_000.0) {
            Step::Done => break,
            Step::Secrets { .. } => login.secrets(client.clone()),
            Step::CacheGet { .. } => {
                asked_cache = true;
                login.cached(Some(CacheEntry {
                    value: Some("cached-token".into()),
                    expires_at: Some(1e15),
                }));
            }
            Step::Send(request) => {
                sent.push(request.clone());
                login.received(methods("+447700900123"));
            }
            Step::Wait { .. } | Step::CacheSet { .. } | Step::CacheDelete { .. } => {}
        }
    }
    assert!(asked_cache);
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].url.contains("/authentication-methods"),
        "{}",
        sent[0].url
    );
    assert!(
        sent[0]
            .headers
            .iter()
            .any(|(name, value)| name.eq_ignore_ascii_case("authorization")
                && value == "Bearer cached-token"),
        "{:?}",
        sent[0].headers
    );
    let verdict = handler.finish(&mut login).expect("the login is done");
    let decision = verdict.render(handler.config(), login.event());
    assert_eq!(
        decision.id_token.get("phone_number"),
        Some(&json!("+447700900123"))
    );
}
