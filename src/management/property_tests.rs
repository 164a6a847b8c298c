//! Properties of the lookup machine over arbitrary answers, cache entries, clocks and call
//! orders: it always ends within a bound that follows from its limits, never panics, never
//! sends after the deadline, never waits past it, and counts every request it hands out.

use super::lookup::{MAX_PAGES, RETRY_POLICY};
use super::tests::{budget, json_answer, lookup_of, new_memory, response, secrets, token_ok, T0};
use super::*;
use crate::config::MfaEndpoint;
use crate::engine::LookupOutcome;
use crate::transport::{Body, CacheEntry, NetworkPhase, Outcome, Step, TransportError};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Requests of one exchange: the first, then each 429 retry and each 5xx retry.
const SENDS_PER_EXCHANGE: usize =
    1 + RETRY_POLICY.max_rate_limit_retries as usize + RETRY_POLICY.max_server_retries as usize;
/// Its steps: the sends and a wait before each retry.
const STEPS_PER_EXCHANGE: usize = 2 * SENDS_PER_EXCHANGE - 1;
/// Finding a token: api.cache delete (on a refresh) and get, the exchange, the api.cache set.
const STEPS_PER_TOKEN: usize = 2 + STEPS_PER_EXCHANGE + 1;
/// The token at most twice (once more after a 401); a GET per page plus the repeated GET after
/// the refresh; the secrets first and `Done` last. A single lookup never waits for another.
const MAX_STEPS: usize =
    1 + 2 * STEPS_PER_TOKEN + (MAX_PAGES as usize + 1) * STEPS_PER_EXCHANGE + 1;

const SECRET: &str = "demo-secret-0123456789";

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e22f64..1e22).prop_map(|n| json!(n)),
        "[a-z|_0-9 <]{0,8}".prop_map(Value::String),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn item() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => (0u32..80).prop_map(|n| json!({"id": format!("m{n}"), "type": "phone"})),
        1 => Just(json!({"type": "totp"})),
        1 => leaf(),
    ]
}

fn count() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0u32..200).prop_map(|n| json!(n)),
        1 => leaf(),
    ]
}

fn body_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => any_json(),
        3 => (count(), count(), prop::collection::vec(item(), 0..60)).prop_map(|(start, total, items)| {
            json!({"start": start, "limit": 50, "total": total, "authenticators": items})
        }),
        3 => prop::collection::vec(item(), 0..60).prop_map(Value::Array),
        2 => (
            prop_oneof![Just(json!("tok")), Just(json!("a b")), Just(json!("")), leaf()],
            prop_oneof![Just(json!(86400)), Just(json!(50)), Just(json!(100)), Just(json!(-1)), Just(json!(1e12)), leaf()],
            prop::option::of(prop_oneof![Just(json!("Bearer")), Just(json!("mac")), leaf()]),
        )
            .prop_map(|(token, expires, kind)| {
                let mut body = json!({"access_token": token, "expires_in": expires});
                if let (Some(kind), Some(map)) = (kind, body.as_object_mut()) {
                    map.insert("token_type".into(), kind);
                }
                body
            }),
    ]
}

fn header_value(name: &'static str) -> impl Strategy<Value = (String, String)> {
    let value = prop_oneof![
        Just("application/json".to_owned()),
        Just("application/json; charset=utf-8".to_owned()),
        Just("text/html".to_owned()),
        Just(String::new()),
        Just("0".to_owned()),
        Just("1".to_owned()),
        Just("2.5".to_owned()),
        Just("999999999999999".to_owned()),
        Just("Tue, 14 Nov 2023 22:13:21 GMT".to_owned()),
        Just("1700000001".to_owned()),
        "[ -~]{0,12}",
    ];
    value.prop_map(move |v| (name.to_owned(), v))
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        prop::option::weighted(0.9, header_value("content-type")),
        prop::option::weighted(0.3, header_value("retry-after")),
        prop::option::weighted(0.3, header_value("x-ratelimit-reset")),
    )
        .prop_map(|(a, b, c)| [a, b, c].into_iter().flatten().collect())
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        6 => body_value().prop_map(Body::Json),
        2 => "[ -~]{0,20}".prop_map(Body::Text),
        1 => "[ -~]{0,5}".prop_map(Body::InvalidUtf8),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        6 => Just(200u16),
        1 => Just(401u16),
        1 => Just(429u16),
        1 => Just(503u16),
        2 => 0u16..=999,
    ]
}

fn transport_error() -> impl Strategy<Value = TransportError> {
    prop_oneof![
        Just(TransportError::Timeout),
        Just(TransportError::TooLarge),
        Just(TransportError::NoResponse),
        Just(TransportError::Unreadable),
        (
            prop_oneof![
                Just(NetworkPhase::Connecting),
                Just(NetworkPhase::ReadingBody)
            ],
            prop::option::of("[A-Za-z_ 0-9]{0,12}")
        )
            .prop_map(|(phase, code)| TransportError::Network { phase, code }),
    ]
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        4 => (status(), headers(), body()).prop_map(|(status, headers, body)| {
            Outcome::Response(crate::transport::Response { status, headers, body })
        }),
        1 => transport_error().prop_map(Outcome::Failed),
        // Well-formed answers too, so that long runs (many pages, retries, refreshes) happen.
        6 => (prop_oneof![3 => Just(50usize), 1 => 0usize..50], 0u32..10_000).prop_map(|(n, offset)| {
            let items: Vec<Value> = (0..n).map(|i| json!({"id": format!("p{}", offset + i as u32)})).collect();
            json_answer(200, Value::Array(items))
        }),
        2 => Just(token_ok("tok", 86400.0)),
        1 => Just(response(429, &[("retry-after", "0")], Body::Text(String::new()))),
        1 => Just(json_answer(503, json!({}))),
        1 => Just(json_answer(401, json!({}))),
    ]
}

fn cache_entry() -> impl Strategy<Value = Option<CacheEntry>> {
    prop::option::of(
        (
            prop::option::of(prop_oneof![Just("tok".to_owned()), "[ -~]{0,6}"]),
            prop::option::of(prop_oneof![
                (-100_000f64..100_000.0).prop_map(|d| T0 + d),
                Just(f64::NAN),
                Just(f64::INFINITY)
            ]),
        )
            .prop_map(|(value, expires_at)| CacheEntry { value, expires_at }),
    )
}

/// How the clock moves between steps.
fn clock_move() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (0i64..50).prop_map(|d| d as f64),
        2 => (0i64..5000).prop_map(|d| d as f64),
        1 => (-20_000i64..0).prop_map(|d| d as f64),
        1 => (1_000_000_000i64..1_000_000_000_000).prop_map(|d| d as f64),
    ]
}

/// What the shim does besides answering: nothing, or a call out of order, or no answer at all.
#[derive(Debug, Clone)]
enum Extra {
    None,
    Received(Outcome),
    Cached(Option<CacheEntry>),
    Secrets,
    Skip,
}

fn extra() -> impl Strategy<Value = Extra> {
    prop_oneof![
        20 => Just(Extra::None),
        1 => outcome().prop_map(Extra::Received),
        1 => cache_entry().prop_map(Extra::Cached),
        1 => Just(Extra::Secrets),
        1 => Just(Extra::Skip),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    client_credentials: bool,
    endpoint: MfaEndpoint,
    empty_user: bool,
    timeout_ms: u32,
    deadline_in_ms: i64,
    outcomes: Vec<Outcome>,
    entries: Vec<Option<CacheEntry>>,
    moves: Vec<f64>,
    extras: Vec<Extra>,
    /// Waits the shim sleeps through exactly (else the clock moves as `moves` say).
    exact_waits: bool,
    /// The first answer is a good token (so that client-credentials runs go on to the API).
    lead_token: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        any::<bool>(),
        prop_oneof![
            Just(MfaEndpoint::AuthenticationMethods),
            Just(MfaEndpoint::Enrollments)
        ],
        prop::bool::weighted(0.05),
        1u32..3000,
        -100i64..20_000,
        prop::collection::vec(outcome(), 0..40),
        prop::collection::vec(cache_entry(), 0..3),
        prop::collection::vec(clock_move(), 1..40),
        prop::collection::vec(extra(), 1..40),
        (any::<bool>(), prop::bool::weighted(0.8)),
    )
        // By position: the fields in the order of the strategies above.
        .prop_map(|t| Case {
            client_credentials: t.0,
            endpoint: t.1,
            empty_user: t.2,
            timeout_ms: t.3,
            deadline_in_ms: t.4,
            outcomes: t.5,
            entries: t.6,
            moves: t.7,
            extras: t.8,
            exact_waits: t.9 .0,
            lead_token: t.9 .1,
        })
}

fn check(case: &Case) -> Result<LookupResult, TestCaseError> {
    let memory = new_memory();
    let b = budget(f64::from(case.timeout_ms), case.deadline_in_ms as f64);
    let user = if case.empty_user { "" } else { "auth0|alice" };
    let mut lookup = lookup_of(case.endpoint, user, b, &memory);
    let values = if case.client_credentials {
        secrets(&[
            ("AUTH0_DOMAIN", "tenant.eu.auth0.com"),
            ("MANAGEMENT_CLIENT_ID", "demo-client"),
            ("MANAGEMENT_CLIENT_SECRET", SECRET),
        ])
    } else {
        secrets(&[
            ("AUTH0_DOMAIN", "tenant.eu.auth0.com"),
            ("MANAGEMENT_API_TOKEN", "static"),
        ])
    };
    let lead = (case.lead_token && case.client_credentials).then(|| token_ok("tok", 86400.0));
    let mut outcomes = lead.into_iter().chain(case.outcomes.iter().cloned());
    let mut entries = case.entries.iter().cloned();
    let mut now = T0;
    let mut latest = now;
    let mut sends = 0u32;
    for step_number in 0..MAX_STEPS {
        let pick = |list: &[Extra]| list.get(step_number % list.len().max(1)).cloned();
        let extra = pick(&case.extras).unwrap_or(Extra::None);
        let clock = case
            .moves
            .get(step_number % case.moves.len())
            .copied()
            .unwrap_or(0.0);
        latest = latest.max(now);
        let step = lookup.next(now);
        let skip = matches!(extra, Extra::Skip);
        match step {
            Step::Secrets { names } => {
                prop_assert_eq!(names, SECRET_NAMES);
                if !skip {
                    lookup.secrets(values.clone());
                }
            }
            Step::Send(request) => {
                sends += 1;
                let left = b.deadline_ms - now;
                prop_assert!(left > 0.0, "sent {} ms after the deadline", -left);
                prop_assert!(f64::from(request.timeout_ms) <= left);
                prop_assert!(request.timeout_ms >= 1 && request.timeout_ms <= case.timeout_ms);
                now += clock;
                if !skip {
                    lookup.received(
                        outcomes
                            .next()
                            .unwrap_or(Outcome::Failed(TransportError::Timeout)),
                    );
                }
            }
            Step::Wait { until_ms } => {
                prop_assert!(until_ms <= b.deadline_ms, "a wait past the deadline");
                now = if case.exact_waits {
                    until_ms
                } else {
                    now + clock
                };
            }
            Step::CacheGet { .. } => {
                if !skip {
                    lookup.cached(entries.next().flatten());
                }
            }
            Step::CacheSet {
                value,
                expires_at_ms,
                ..
            } => {
                prop_assert!(value.len() <= 4000);
                // Obtained at some time this run has seen, kept at most 24 h.
                prop_assert!(expires_at_ms <= latest + 24.0 * 3_600_000.0);
            }
            Step::CacheDelete { .. } => {}
            Step::Done => {
                let Some(result) = lookup.result().cloned() else {
                    return Err(TestCaseError::fail("done without a result"));
                };
                prop_assert_eq!(result.requests, sends);
                prop_assert!(!result.detail.contains(SECRET));
                match (&result.outcome, result.failure) {
                    (LookupOutcome::Methods(_), None) => {
                        prop_assert!(result.detail.is_empty())
                    }
                    (LookupOutcome::NotConfigured { code, detail }, Some(f)) => {
                        prop_assert!(f.is_setup());
                        prop_assert_eq!(code.as_str(), f.code());
                        prop_assert_eq!(detail, &result.detail);
                    }
                    (LookupOutcome::Failed { code }, Some(f)) => {
                        prop_assert!(!f.is_setup());
                        prop_assert_eq!(code.as_str(), f.code());
                        prop_assert!(!result.detail.is_empty() && result.detail.len() < 300);
                    }
                    (outcome, failure) => {
                        prop_assert!(false, "{outcome:?} with {failure:?}");
                    }
                }
                for _ in 0..3 {
                    prop_assert_eq!(lookup.next(now + clock), Step::Done);
                }
                return Ok(result);
            }
        }
        match extra {
            Extra::Received(outcome) => lookup.received(outcome),
            Extra::Cached(entry) => lookup.cached(entry),
            Extra::Secrets => lookup.secrets(values.clone()),
            Extra::None | Extra::Skip => {}
        }
    }
    Err(TestCaseError::fail(format!(
        "not done within {MAX_STEPS} steps"
    )))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn the_lookup_always_ends_within_its_bound_and_keeps_to_its_deadline(case in case()) {
        check(&case)?;
    }
}

#[test]
fn the_step_bound_follows_from_the_limits() {
    // 5 sends and 4 waits per exchange; 12 steps per token; 21 exchanges of pages.
    assert_eq!(SENDS_PER_EXCHANGE, 5);
    assert_eq!(MAX_STEPS, 1 + 2 * 12 + 21 * 9 + 1);
}

#[test]
fn a_long_well_formed_run_reaches_the_page_cap_within_the_bound() {
    // The longest path: a refresh, then every page with all its retries, up to the cap.
    let mut outcomes = vec![token_ok("one", 86400.0)];
    let limited = || response(429, &[("retry-after", "0")], Body::Text(String::new()));
    let five = || json_answer(500, json!({}));
    outcomes.extend([
        limited(),
        limited(),
        five(),
        five(),
        json_answer(401, json!({})),
    ]);
    outcomes.push(token_ok("two", 86400.0));
    for p in 0..20u32 {
        outcomes.extend([limited(), limited(), five(), five()]);
        let items: Vec<Value> = (0..50)
            .map(|i| json!({"id": format!("p{}", p * 50 + i)}))
            .collect();
        outcomes.push(json_answer(200, Value::Array(items)));
    }
    let case = Case {
        client_credentials: true,
        endpoint: MfaEndpoint::AuthenticationMethods,
        empty_user: false,
        timeout_ms: 1000,
        deadline_in_ms: 1_000_000,
        outcomes,
        entries: vec![],
        moves: vec![1.0],
        extras: vec![Extra::None],
        exact_waits: true,
        lead_token: false,
    };
    let result = check(&case).unwrap();
    assert_eq!(
        result.detail,
        "the authentication methods span more than 20 pages"
    );
    assert_eq!(result.requests, 2 + 5 + 20 * 5);
}
