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

#[test]
fn failure_details_name_the_phase_and_the_bad_number() {
    // The words finish "... connection failed while {words}".
    assert_eq!(NetworkPhase::Connecting.words(), "connecting");
    assert_eq!(NetworkPhase::ReadingBody.words(), "reading the body");
    assert_eq!(
        BudgetError::Timeout.message(),
        "timeoutMs must be a positive number of milliseconds"
    );
    assert_eq!(
        BudgetError::Deadline.message(),
        "deadline must be a finite epoch time in milliseconds"
    );
}

#[test]
fn a_system_error_code_may_hold_up_to_six_digits() {
    // 7 digits or more could be a phone number and are dropped.
    assert_eq!(system_error_code(Some("E123456")), Some("E123456"));
    assert_eq!(
        system_error_code(Some("E1_2_3_4_5_6")),
        Some("E1_2_3_4_5_6")
    );
    assert_eq!(system_error_code(Some("E1234567")), None);
    assert_eq!(system_error_code(Some("E1_2_3_4_5_6_7")), None);
    // 2 to 41 characters.
    assert_eq!(system_error_code(Some("EA")), Some("EA"));
    let longest = "E".repeat(41);
    assert_eq!(system_error_code(Some(&longest)), Some(longest.as_str()));
}

#[test]
fn waits_are_digits_only_and_at_most_fifteen_of_them() {
    let now = 1_700_000_000_000.0;
    let delay = |headers: &[(&str, &str)]| retry_delay_ms(&response(429, headers), now);
    // delta-seconds is 1*DIGIT (RFC 9110 §10.2.3): no sign, no exponent; 15 digits at most on
    // each side of the point, so that the value stays exact.
    for junk in [
        "+1",
        "1.+5",
        "+1.5",
        "1234567890123456",
        "1.1234567890123456",
        "1234567890123456.5",
    ] {
        assert_eq!(delay(&[("retry-after", junk)]), None, "{junk}");
    }
    assert_eq!(
        delay(&[("retry-after", "123456789012345")]),
        Some(123_456_789_012_345_000.0)
    );
    assert_eq!(
        delay(&[("retry-after", "1.123456789012345")]),
        Some(1_123.456_789_012_345)
    );
    // x-ratelimit-reset is Unix seconds, digits only, 15 at most.
    for junk in ["1700000000000000", "+1700000001", "17000 00001", "", "-1"] {
        assert_eq!(delay(&[("x-ratelimit-reset", junk)]), None, "{junk:?}");
    }
    assert_eq!(
        delay(&[("x-ratelimit-reset", "100000000000000")]),
        Some(100_000_000_000_000_000.0 - now)
    );
}

#[test]
fn http_dates_are_read_to_the_edges_of_their_fields() {
    // 1994-11-06T00:00:00Z is 784_111_777 - (8 h 49 min 37 s).
    let midnight = 784_111_777 - (8 * 3600 + 49 * 60 + 37);
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 23:59:59 GMT"),
        Some(midnight + 86_399)
    );
    // RFC 5322 (and so RFC 9110's IMF-fixdate) allows a leap second.
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 23:59:60 GMT"),
        Some(midnight + 86_400)
    );
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_http_date("Wed, 31 Dec 1969 23:59:59 GMT"),
        None,
        "before the epoch no wait is meant"
    );
    assert_eq!(
        parse_http_date("Wed, 31 Dec 2025 00:00:00 UTC"),
        parse_timestamp_of("2025-12-31T00:00:00Z")
    );
    for junk in [
        "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
    ] {
        assert_eq!(parse_http_date(junk), None, "{junk}");
    }
}

fn parse_timestamp_of(text: &str) -> Option<i64> {
    crate::mfa::parse_timestamp(text)
}

#[test]
fn a_scheme_starts_with_a_letter_and_a_port_is_digits_only() {
    use OriginRefusal::*;
    // WHATWG URL: scheme = ASCII alpha, then alphanumerics, "+", "-", "."; anything else
    // before "://" is no scheme, so the text is neither a host nor an absolute URL.
    for raw in [
        "1https://x.example",
        "h_ttps://x.example",
        "-https://x.example",
    ] {
        assert_eq!(origin(raw), Err(Malformed), "{raw}");
    }
    assert_eq!(origin("h.t-t+p://x.example"), Err(Scheme));
    // The port state takes ASCII digits only.
    for raw in [
        "https://x.example:+443",
        "https://x.example:-1",
        "https://x.example: 1",
        "https://x.example:0x1bb",
    ] {
        assert_ne!(origin(raw).as_deref(), Ok("https://x.example"), "{raw}");
        assert!(origin(raw).is_err(), "{raw}");
    }
    assert_eq!(
        origin("https://x.example:65535").as_deref(),
        Ok("https://x.example:65535")
    );
    assert_eq!(origin("https://x.example:65536"), Err(Malformed));
    assert_eq!(
        origin("http://localhost:80").as_deref(),
        Ok("http://localhost")
    );
    assert_eq!(
        origin("http://localhost:443").as_deref(),
        Ok("http://localhost:443")
    );
}

#[test]
fn ipv4_hosts_are_read_part_by_part_as_whatwg_does() {
    use OriginRefusal::*;
    for (raw, expected) in [
        // Each leading part is one byte, from the first one down.
        ("https://10.1.2.3", "https://10.1.2.3"),
        ("https://255.255.255.255", "https://255.255.255.255"),
        ("https://1.2.3", "https://1.2.0.3"),
        ("https://1.2.770", "https://1.2.3.2"),
        ("https://1.65535", "https://1.0.255.255"),
        ("https://10.1.2.3.", "https://10.1.2.3"),
        // Hex (0x) and octal (leading 0) parts, any number of leading zeros.
        ("https://0x0a.0x01.0x00.0x02", "https://10.1.0.2"),
        ("https://012.01.0.02", "https://10.1.0.2"),
        ("https://0x00000a000001", "https://10.0.0.1"),
        ("https://0.0.0.0", "https://0.0.0.0"),
        ("https://0x.0.0.1", "https://0.0.0.1"),
    ] {
        assert_eq!(origin(raw).as_deref(), Ok(expected), "{raw}");
    }
    for raw in [
        "https://1.2.3.4.0",
        "https://1.2.3.256",
        "https://1.2.65536",
        "https://1.256.0.1",
        "https://4294967296",
        "https://08.0.0.1",
        "https://0xg.0.0.1",
        "https://1..2.3",
    ] {
        assert_eq!(origin(raw), Err(Malformed), "{raw}");
    }
}

#[test]
fn ipv6_hosts_compress_the_first_longest_run_of_zeros() {
    // WHATWG IPv6 serializer: the first longest sequence of two or more 0 pieces is "::".
    for (raw, expected) in [
        ("https://[1:0:0:1:0:0:0:1]", "https://[1:0:0:1::1]"),
        ("https://[1:0:0:1:1:0:0:1]", "https://[1::1:1:0:0:1]"),
        ("https://[1:0:1:0:1:0:1:0]", "https://[1:0:1:0:1:0:1:0]"),
        ("https://[0:0:0:0:0:0:0:0]", "https://[::]"),
        ("https://[1:2:3:4:5:6:7:0]", "https://[1:2:3:4:5:6:7:0]"),
        ("https://[1:2:3:4:5:6:0:0]", "https://[1:2:3:4:5:6::]"),
        ("https://[ABCD::EF]", "https://[abcd::ef]"),
    ] {
        assert_eq!(origin(raw).as_deref(), Ok(expected), "{raw}");
    }
}
