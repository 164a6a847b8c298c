use super::*;
use serde_json::json;

fn response(status: u16, headers: &[(&str, &str)]) -> Response {
    Response {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: Body::Text(String::new()),
    }
}

fn origin(raw: &str) -> Result<String, OriginRefusal> {
    parse_origin(raw, true).map(|o| o.as_str().to_owned())
}

#[test]
fn origins_are_serialised_as_url_origin_does() {
    for (raw, expected) in [
        ("tenant.eu.auth0.com", "https://tenant.eu.auth0.com"),
        ("Tenant.EU.auth0.com", "https://tenant.eu.auth0.com"),
        ("https://login.example.com", "https://login.example.com"),
        ("https://login.example.com/", "https://login.example.com"),
        ("HTTPS://login.example.com", "https://login.example.com"),
        ("https://tenant.auth0.com:443", "https://tenant.auth0.com"),
        ("https://tenant.auth0.com:", "https://tenant.auth0.com"),
        ("tenant.auth0.com:8443", "https://tenant.auth0.com:8443"),
        ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
        ("http://127.1:4010", "http://127.0.0.1:4010"),
        ("http://0x7f.0.0.1", "http://127.0.0.1"),
        ("http://0177.0.0.1:80", "http://127.0.0.1"),
        ("http://2130706433", "http://127.0.0.1"),
        ("http://localhost:4010", "http://localhost:4010"),
        ("http://[::1]:4010", "http://[::1]:4010"),
        ("http://[0:0::1]", "http://[::1]"),
        (
            "https://[2001:db8:0:0:1:0:0:1]",
            "https://[2001:db8::1:0:0:1]",
        ),
        ("https://10.0.0.1", "https://10.0.0.1"),
    ] {
        assert_eq!(origin(raw).as_deref(), Ok(expected), "{raw}");
    }
}

#[test]
fn origins_that_are_refused_and_why() {
    use OriginRefusal::*;
    for (raw, why) in [
        ("http://tenant.eu.auth0.com", PlainHttp),
        ("http://10.0.0.1:4010", PlainHttp),
        ("http://192.168.1.10", PlainHttp),
        ("http://localhost.example.com", PlainHttp),
        ("http://127.0.0.1.nip.io", PlainHttp),
        ("http://[::ffff:127.0.0.1]", PlainHttp),
        ("ftp://tenant.eu.auth0.com", Scheme),
        ("https://tenant.eu.auth0.com/api/v2", PathQueryFragment),
        ("https://user:pw@tenant.eu.auth0.com", Credentials),
        ("https://tenant.eu.auth0.com?x=1", PathQueryFragment),
        ("https://tenant.eu.auth0.com#frag", PathQueryFragment),
        ("https://tenant.eu.auth0.com?", PathQueryFragment),
        ("https://tenant.eu.auth0.com//", PathQueryFragment),
        ("tenant.eu.auth0.com/path", Malformed),
        ("tenant.eu.auth0.com?x", Malformed),
        ("user@tenant.eu.auth0.com", Malformed),
        ("tenant .eu.auth0.com", Whitespace),
        ("ten\tant.eu.auth0.com", Whitespace),
        ("tenant\n.eu.auth0.com", Whitespace),
        ("tenant_eu.auth0.com", Malformed),
        ("-tenant.auth0.com", Malformed),
        ("tenant-.auth0.com", Malformed),
        ("tenant..auth0.com", Malformed),
        ("https://", Malformed),
        ("//tenant.eu.auth0.com", Malformed),
        ("https://tenant.auth0.com:99999", Malformed),
        ("https://tenant.auth0.com:44a", Malformed),
        ("https://256.0.0.1", Malformed),
        ("https://1.2.3.4.5", Malformed),
        ("https://tënant.auth0.com", Malformed),
        ("https://ten%41nt.auth0.com", Malformed),
        ("https://[::1", Malformed),
        ("https://[::1]x", Malformed),
    ] {
        assert_eq!(origin(raw), Err(why), "{raw}");
    }
    let label = "a".repeat(63);
    assert!(origin(&format!("{label}.com")).is_ok());
    assert_eq!(
        origin(&format!("a{label}.com")),
        Err(OriginRefusal::Malformed)
    );
    let long = vec!["abcdefghi"; 26].join(".");
    assert_eq!(long.len(), 259);
    assert_eq!(origin(&long), Err(OriginRefusal::Malformed));
    assert!(origin(&long[..253]).is_ok(), "253 characters are allowed");
}

#[test]
fn an_absolute_url_can_be_required() {
    assert_eq!(
        parse_origin("verify.twilio.com", false),
        Err(OriginRefusal::Malformed)
    );
    assert_eq!(
        parse_origin("https://verify.twilio.com", false).map(|o| o.as_str().to_owned()),
        Ok("https://verify.twilio.com".to_owned())
    );
}

#[test]
fn a_request_never_outlives_the_deadline() {
    let budget = Budget::new(2500.0, 10_000.0).unwrap();
    assert_eq!(
        budget.request_timeout(1_000.0),
        Some(RequestTimeout {
            ms: 2500,
            cut_by_deadline: false
        })
    );
    assert_eq!(
        budget.request_timeout(9_000.5),
        Some(RequestTimeout {
            ms: 999,
            cut_by_deadline: true
        })
    );
    assert_eq!(
        budget.request_timeout(9_999.9),
        Some(RequestTimeout {
            ms: 1,
            cut_by_deadline: true
        })
    );
    assert_eq!(budget.request_timeout(10_000.0), None);
    assert_eq!(budget.request_timeout(12_000.0), None);
    // Exactly the timeout left: the timeout itself is the limit.
    assert_eq!(
        budget.request_timeout(7_500.0),
        Some(RequestTimeout {
            ms: 2500,
            cut_by_deadline: false
        })
    );
    let huge = Budget::new(1e12, 1e13).unwrap();
    assert_eq!(huge.request_timeout(0.0).map(|t| t.ms), Some(2_147_483_647));
}

#[test]
fn budgets_check_their_numbers() {
    assert_eq!(Budget::new(0.0, 1.0), Err(BudgetError::Timeout));
    assert_eq!(Budget::new(-1.0, 1.0), Err(BudgetError::Timeout));
    assert_eq!(Budget::new(f64::NAN, 1.0), Err(BudgetError::Timeout));
    assert_eq!(Budget::new(f64::INFINITY, 1.0), Err(BudgetError::Timeout));
    assert_eq!(Budget::new(1.0, f64::INFINITY), Err(BudgetError::Deadline));
    assert_eq!(Budget::new(1.0, f64::NAN), Err(BudgetError::Deadline));
    assert!(
        Budget::new(0.5, -5.0).is_ok(),
        "a past deadline is a state, not a bug"
    );
}

#[test]
fn a_wait_leaves_room_for_the_request_after_it() {
    let budget = Budget::new(2500.0, 1_000.0).unwrap();
    assert!(budget.fits(0.0, 900.0));
    assert!(!budget.fits(0.0, 900.5));
    // A per-request timeout shorter than the room is all the room needed.
    let short = Budget::new(50.0, 1_000.0).unwrap();
    assert!(short.fits(0.0, 950.0));
    assert!(!short.fits(0.0, 951.0));
    assert_eq!(budget.wait_until(0.0, 300.0), 300.0);
    assert_eq!(budget.wait_until(900.0, 300.0), 1_000.0);
    assert_eq!(budget.wait_until(10.0, -5.0), 10.0);
}

const POLICY: RetryPolicy = RetryPolicy {
    max_rate_limit_retries: 2,
    max_server_retries: 2,
    server_backoff_ms: &[100.0, 300.0],
    blind_rate_limit_backoff_ms: 250.0,
};

/// What the policy says of `told`, answered `times` times in a row at 0 ms, with 2.5 s per request
/// and a 10 s deadline.
fn verdicts_in_a_row(told: &Response, times: usize) -> Vec<RetryVerdict> {
    let budget = Budget::new(2500.0, 10_000.0).unwrap();
    let mut retries = Retries::default();
    (0..times)
        .map(|_| POLICY.judge(&mut retries, told, 0.0, &budget))
        .collect()
}

#[test]
fn rate_limits_are_retried_as_told_at_most_twice() {
    let told = response(429, &[("retry-after", "1")]);
    assert_eq!(
        verdicts_in_a_row(&told, 3),
        [
            RetryVerdict::Retry { wait_ms: 1000.0 },
            RetryVerdict::Retry { wait_ms: 1000.0 },
            RetryVerdict::GiveUp(GiveUp::RateLimitSpent { retries: 2 })
        ]
    );
}

#[test]
fn a_blind_rate_limit_is_retried_once_after_a_short_guess() {
    let blind = response(429, &[]);
    assert_eq!(
        verdicts_in_a_row(&blind, 2),
        [
            RetryVerdict::Retry { wait_ms: 250.0 },
            RetryVerdict::GiveUp(GiveUp::RateLimitSpent { retries: 1 })
        ]
    );
}

#[test]
fn a_wait_past_the_deadline_is_not_taken() {
    let budget = Budget::new(2500.0, 1_500.0).unwrap();
    let mut retries = Retries::default();
    assert_eq!(
        POLICY.judge(
            &mut retries,
            &response(429, &[("retry-after", "5")]),
            0.0,
            &budget
        ),
        RetryVerdict::GiveUp(GiveUp::RateLimitPastDeadline { wait_ms: 5000.0 })
    );
    assert_eq!(
        retries,
        Retries::default(),
        "a refused retry is not counted"
    );
    let mut retries = Retries::default();
    assert_eq!(
        POLICY.judge(&mut retries, &response(503, &[]), 1_350.0, &budget),
        RetryVerdict::GiveUp(GiveUp::ServerPastDeadline)
    );
}

#[test]
fn server_errors_back_off_then_give_up() {
    let budget = Budget::new(2500.0, 10_000.0).unwrap();
    let mut retries = Retries::default();
    for (status, wait) in [(500, 100.0), (599, 300.0)] {
        assert_eq!(
            POLICY.judge(&mut retries, &response(status, &[]), 0.0, &budget),
            RetryVerdict::Retry { wait_ms: wait }
        );
    }
    assert_eq!(
        POLICY.judge(&mut retries, &response(502, &[]), 0.0, &budget),
        RetryVerdict::GiveUp(GiveUp::ServerSpent { retries: 2 })
    );
    let fewer = RetryPolicy {
        max_server_retries: 1,
        ..POLICY
    };
    let mut retries = Retries::default();
    assert!(matches!(
        fewer.judge(&mut retries, &response(500, &[]), 0.0, &budget),
        RetryVerdict::Retry { .. }
    ));
    assert_eq!(
        fewer.judge(&mut retries, &response(500, &[]), 0.0, &budget),
        RetryVerdict::GiveUp(GiveUp::ServerSpent { retries: 1 })
    );
    for status in [200, 204, 301, 400, 401, 404, 428, 430, 499, 600] {
        assert_eq!(
            POLICY.judge(
                &mut Retries::default(),
                &response(status, &[]),
                0.0,
                &budget
            ),
            RetryVerdict::Answer,
            "{status}"
        );
    }
}

#[test]
fn waits_read_retry_after_and_x_ratelimit_reset() {
    let now = 1_700_000_000_000.0;
    let delay = |headers: &[(&str, &str)]| retry_delay_ms(&response(429, headers), now);
    assert_eq!(delay(&[("retry-after", "2")]), Some(2000.0));
    assert_eq!(delay(&[("Retry-After", " 0.5 ")]), Some(500.0));
    assert_eq!(
        delay(&[("retry-after", "Tue, 14 Nov 2023 22:13:25 GMT")]),
        Some(5000.0)
    );
    assert_eq!(
        delay(&[("retry-after", "Tue, 14 Nov 2023 22:13:15 GMT")]),
        Some(0.0)
    );
    assert_eq!(delay(&[("x-ratelimit-reset", "1700000003")]), Some(3000.0));
    assert_eq!(delay(&[("x-ratelimit-reset", "1600000000")]), Some(0.0));
    assert_eq!(
        delay(&[("retry-after", "soon"), ("x-ratelimit-reset", "1700000001")]),
        Some(1000.0)
    );
    for junk in ["-1", "1e3", ".5", "5.", "", "0x10"] {
        assert_eq!(delay(&[("retry-after", junk)]), None, "{junk}");
    }
    assert_eq!(delay(&[("x-ratelimit-reset", "1.5")]), None);
    assert_eq!(delay(&[]), None);
}

#[test]
fn http_dates() {
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        parse_http_date("06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(parse_http_date("2024-05-01T10:00:00Z"), Some(1_714_557_600));
    for junk in [
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT x",
        "Sun, 06 Nov 1969 08:49:37 GMT",
    ] {
        assert_eq!(parse_http_date(junk), None, "{junk}");
    }
}

#[test]
fn header_values() {
    assert!(header_safe("eyJhbGciOi.x-_~"));
    for bad in ["", "has space", "tab\t", "line\nbreak", "é", "\u{7f}"] {
        assert!(!header_safe(bad), "{bad:?}");
    }
}

#[test]
fn encodings_match_the_web_platform() {
    // encodeURIComponent('auth0|alice ä/?#') in any browser.
    assert_eq!(
        encode_uri_component("auth0|alice ä/?#"),
        "auth0%7Calice%20%C3%A4%2F%3F%23"
    );
    assert_eq!(encode_uri_component("A-z_0.9!~*'()"), "A-z_0.9!~*'()");
    // new URLSearchParams({To: '+14155550123', Status: 'a b~'}).toString()
    assert_eq!(
        form_urlencoded(&[("To", "+14155550123"), ("Status", "a b~*")]),
        "To=%2B14155550123&Status=a+b%7E*"
    );
    assert_eq!(form_urlencoded(&[]), "");
}

#[test]
fn base64_vectors_of_rfc_4648() {
    for (input, output) in [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64(input.as_bytes()), output);
    }
    assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
}

#[test]
fn system_error_codes() {
    assert_eq!(
        system_error_code(Some("ECONNREFUSED")),
        Some("ECONNREFUSED")
    );
    assert_eq!(
        system_error_code(Some("UND_ERR_SOCKET")),
        Some("UND_ERR_SOCKET")
    );
    for bad in [
        "",
        "E",
        "econnrefused",
        "1ABC",
        "ECONN REFUSED",
        &"E".repeat(42),
        "E14155550142",
        "ERR_415_555_0142",
    ] {
        assert_eq!(system_error_code(Some(bad)), None, "{bad}");
    }
    assert_eq!(
        system_error_code(Some("ERR_HTTP2_STREAM_ERROR")),
        Some("ERR_HTTP2_STREAM_ERROR")
    );
    assert_eq!(system_error_code(None), None);
}

#[test]
fn responses_answer_headers_and_bodies() {
    let mut r = response(200, &[("Content-Type", " Application/JSON; charset=utf-8")]);
    assert_eq!(r.media_type(), "application/json");
    assert_eq!(
        r.header("content-type"),
        Some("Application/JSON; charset=utf-8")
    );
    assert_eq!(r.json(), None);
    r.body = Body::Text("[1]".to_owned());
    assert_eq!(r.json(), Some(json!([1])));
    assert_eq!(r.text(), Some("[1]"));
    r.body = Body::Json(json!({"a": 1}));
    assert_eq!(r.json(), Some(json!({"a": 1})));
    assert_eq!(r.text(), None);
    assert_eq!(response(200, &[]).media_type(), "");
}

#[test]
fn steps_and_outcomes_have_a_stable_wire_form() {
    let step = Step::Wait { until_ms: 5.0 };
    assert_eq!(
        serde_json::to_value(&step).unwrap(),
        json!({"kind": "wait", "untilMs": 5.0})
    );
    let step = Step::CacheSet {
        key: "k".into(),
        value: "v".into(),
        expires_at_ms: 9.0,
    };
    assert_eq!(
        serde_json::to_value(&step).unwrap(),
        json!({"kind": "cacheSet", "key": "k", "value": "v", "expiresAtMs": 9.0})
    );
    let outcome: Outcome = serde_json::from_value(json!({"kind": "response", "status": 200,
        "headers": [["content-type", "application/json"]], "body": {"json": null}}))
    .unwrap();
    assert_eq!(
        outcome,
        Outcome::Response(Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Json(Value::Null),
        })
    );
    let failed: Outcome = serde_json::from_value(
        json!({"kind": "failed", "error": "network", "phase": "reading_body", "code": "ECONNRESET"}),
    )
    .unwrap();
    assert_eq!(
        failed,
        Outcome::Failed(TransportError::Network {
            phase: NetworkPhase::ReadingBody,
            code: Some("ECONNRESET".into())
        })
    );
}

#[test]
fn numbers_in_details_are_whole() {
    assert_eq!(ceil_text(1000.0), "1000");
    assert_eq!(ceil_text(0.2), "1");
    assert_eq!(ceil_text(-0.5), "0");
    assert_eq!(ceil_text(0.0), "0");
    assert_eq!(ceil_text(f64::NAN), "0");
    assert_eq!(ceil_text(29_999.01), "30000");
    assert_eq!(ceil_text(1e300), "9007199254740992");
}
