//! Tests of the lookup machine, driven by a scripted fake shim. Every expectation comes from the
//! JavaScript client (js/management.js, js/http.js and tests/js/management.test.js) or from the
//! Auth0 docs, never from this code's own output.

use super::*;
use crate::config::MfaEndpoint;
use crate::engine::{LookupOutcome, LookupRequest, SETUP_FAILURES};
use crate::test_support::transport_cases;
use crate::transport::{
    Body, BodyAs, Budget, CacheEntry, Method, NetworkPhase, Outcome, Request, Response, Step,
    TransportError,
};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

pub(super) const T0: f64 = 1_700_000_000_000.0;
const DOMAIN: &str = "tenant.eu.auth0.com";
const ORIGIN: &str = "https://tenant.eu.auth0.com";
const CLIENT_ID: &str = "demo-client";
const CLIENT_SECRET: &str = "demo-secret-0123456789";
const ALICE: &str = "auth0|alice";
const METHODS_0: &str = "https://tenant.eu.auth0.com/api/v2/users/auth0%7Calice/authentication-methods?page=0&per_page=50&include_totals=true";
const ENROLLMENTS: &str = "https://tenant.eu.auth0.com/api/v2/users/auth0%7Calice/enrollments";
const TOKEN_URL: &str = "https://tenant.eu.auth0.com/oauth/token";
const HINT: &str = "AUTH0_DOMAIN must be a host name such as tenant.eu.auth0.com or an origin such as https://login.example.com";

// --- the fake shim ------------------------------------------------------------------------------

/// A scripted shim: a clock, the secrets, the answers to hand back in order, an api.cache.
pub(super) struct Shim {
    pub now: f64,
    pub secrets: Vec<Option<String>>,
    /// Each answer with the time it takes.
    pub script: VecDeque<(Outcome, f64)>,
    pub cache: HashMap<String, CacheEntry>,
    pub sent: Vec<Request>,
    pub send_times: Vec<f64>,
    pub waits: Vec<(f64, f64)>,
    pub cache_log: Vec<String>,
    pub sets: Vec<(String, String, f64)>,
}

impl Shim {
    pub fn new(secrets: Vec<Option<String>>) -> Shim {
        Shim {
            now: T0,
            secrets,
            script: VecDeque::new(),
            cache: HashMap::new(),
            sent: Vec::new(),
            send_times: Vec::new(),
            waits: Vec::new(),
            cache_log: Vec::new(),
            sets: Vec::new(),
        }
    }

    pub fn then(&mut self, outcome: Outcome) -> &mut Shim {
        self.script.push_back((outcome, 20.0));
        self
    }

    pub fn then_after(&mut self, latency: f64, outcome: Outcome) -> &mut Shim {
        self.script.push_back((outcome, latency));
        self
    }

    /// Does one step of `lookup`; `Some` when it is done.
    pub fn step(&mut self, lookup: &mut Lookup, budget: &Budget) -> Option<LookupResult> {
        match lookup.next(self.now) {
            Step::Secrets { names } => {
                assert_eq!(names, SECRET_NAMES);
                lookup.secrets(self.secrets.clone());
            }
            Step::Send(request) => {
                let left = budget.deadline_ms - self.now;
                assert!(left > 0.0, "sent at {} after the deadline", self.now);
                assert!(
                    f64::from(request.timeout_ms) <= left,
                    "timeout past the deadline"
                );
                assert!(f64::from(request.timeout_ms) <= budget.timeout_ms);
                let (outcome, latency) = self.script.pop_front().expect("the script ran out");
                self.send_times.push(self.now);
                self.sent.push(request);
                self.now += latency;
                lookup.received(outcome);
            }
            Step::Wait { until_ms } => {
                assert!(until_ms <= budget.deadline_ms, "a wait past the deadline");
                self.waits.push((self.now, until_ms));
                self.now = until_ms;
            }
            Step::CacheGet { key } => {
                self.cache_log.push(format!("get {key}"));
                lookup.cached(self.cache.get(&key).cloned());
            }
            Step::CacheSet {
                key,
                value,
                expires_at_ms,
            } => {
                self.cache_log.push(format!("set {key}"));
                self.sets.push((key.clone(), value.clone(), expires_at_ms));
                self.cache.insert(
                    key,
                    CacheEntry {
                        value: Some(value),
                        expires_at: Some(expires_at_ms),
                    },
                );
            }
            Step::CacheDelete { key } => {
                self.cache_log.push(format!("delete {key}"));
                self.cache.remove(&key);
            }
            Step::Done => {
                let result = lookup.result().cloned().expect("a result once done");
                assert_eq!(result.requests as usize, self.sent.len());
                return Some(result);
            }
        }
        None
    }

    /// Runs `lookup` to its end; the requests it sent are in `sent`.
    pub fn run(&mut self, lookup: &mut Lookup, budget: &Budget) -> LookupResult {
        for _ in 0..1000 {
            if let Some(result) = self.step(lookup, budget) {
                assert!(self.script.is_empty(), "unused answers: {:?}", self.script);
                // Done stays done.
                assert_eq!(lookup.next(self.now), Step::Done);
                return result;
            }
        }
        panic!("the lookup did not end");
    }

    fn posts(&self) -> usize {
        self.sent
            .iter()
            .filter(|r| r.method == Method::Post)
            .count()
    }

    fn gets(&self) -> usize {
        self.sent.iter().filter(|r| r.method == Method::Get).count()
    }
}

pub(super) fn secrets(pairs: &[(&str, &str)]) -> Vec<Option<String>> {
    SECRET_NAMES
        .iter()
        .map(|name| {
            pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .collect()
}

fn client_secrets() -> Vec<Option<String>> {
    secrets(&[
        ("AUTH0_DOMAIN", DOMAIN),
        ("MANAGEMENT_CLIENT_ID", CLIENT_ID),
        ("MANAGEMENT_CLIENT_SECRET", CLIENT_SECRET),
    ])
}

fn static_secrets(token: &str) -> Vec<Option<String>> {
    secrets(&[("AUTH0_DOMAIN", DOMAIN), ("MANAGEMENT_API_TOKEN", token)])
}

pub(super) fn budget(timeout_ms: f64, deadline_in_ms: f64) -> Budget {
    Budget {
        deadline_ms: T0 + deadline_in_ms,
        timeout_ms,
    }
}

fn standard() -> Budget {
    budget(1000.0, 5000.0)
}

pub(super) fn new_memory() -> Rc<RefCell<TokenMemory>> {
    Rc::new(RefCell::new(TokenMemory::default()))
}

pub(super) fn lookup_of(
    endpoint: MfaEndpoint,
    user: &str,
    budget: Budget,
    memory: &Rc<RefCell<TokenMemory>>,
) -> Lookup {
    Lookup::new(
        LookupRequest {
            endpoint,
            user_id: user.to_owned(),
        },
        budget,
        Rc::clone(memory),
    )
}

fn methods(budget: Budget, memory: &Rc<RefCell<TokenMemory>>) -> Lookup {
    lookup_of(MfaEndpoint::AuthenticationMethods, ALICE, budget, memory)
}

fn enrollments(budget: Budget, memory: &Rc<RefCell<TokenMemory>>) -> Lookup {
    lookup_of(MfaEndpoint::Enrollments, ALICE, budget, memory)
}

/// Runs one lookup of `endpoint` for alice with `secrets` and `script`, fresh memory.
fn run_with(
    endpoint: MfaEndpoint,
    secrets: Vec<Option<String>>,
    script: Vec<Outcome>,
) -> (LookupResult, Shim) {
    let memory = new_memory();
    let mut shim = Shim::new(secrets);
    for outcome in script {
        shim.then(outcome);
    }
    let b = standard();
    let mut lookup = lookup_of(endpoint, ALICE, b, &memory);
    let result = shim.run(&mut lookup, &b);
    (result, shim)
}

pub(super) fn response(status: u16, headers: &[(&str, &str)], body: Body) -> Outcome {
    Outcome::Response(Response {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body,
    })
}

pub(super) fn json_answer(status: u16, body: Value) -> Outcome {
    response(
        status,
        &[("content-type", "application/json; charset=utf-8")],
        Body::Json(body),
    )
}

fn text_answer(status: u16, content_type: Option<&str>, text: &str) -> Outcome {
    let headers: Vec<(&str, &str)> = content_type
        .map(|c| ("content-type", c))
        .into_iter()
        .collect();
    response(status, &headers, Body::Text(text.to_owned()))
}

pub(super) fn token_ok(token: &str, expires_in: f64) -> Outcome {
    json_answer(
        200,
        json!({"access_token": token, "expires_in": expires_in, "token_type": "Bearer", "scope": "read:users"}),
    )
}

fn page(start: usize, total: usize, items: Vec<Value>) -> Outcome {
    json_answer(
        200,
        json!({"start": start, "limit": 50, "total": total, "authenticators": items}),
    )
}

fn phone(n: usize) -> Value {
    json!({"id": format!("phone|dev_{n}"), "type": "phone", "confirmed": true, "phone_number": "+15551234567"})
}

fn totp(n: usize) -> Value {
    json!({"id": format!("totp|dev_{n}"), "type": "totp", "confirmed": true})
}

fn many(from: usize, count: usize) -> Vec<Value> {
    (from..from + count)
        .map(|i| if i % 2 == 1 { totp(i) } else { phone(i) })
        .collect()
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["id"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn failed(outcome: TransportError) -> Outcome {
    Outcome::Failed(outcome)
}

#[track_caller]
fn assert_failure(result: &LookupResult, failure: MgmtFailure, detail: &str) {
    assert_eq!(result.failure, Some(failure), "{result:?}");
    assert_eq!(result.detail, detail);
    if failure.is_setup() {
        assert_eq!(
            result.outcome,
            LookupOutcome::NotConfigured {
                code: failure.code().to_owned(),
                detail: detail.to_owned()
            }
        );
    } else {
        assert_eq!(
            result.outcome,
            LookupOutcome::Failed {
                code: failure.code().to_owned()
            }
        );
    }
    assert!(!result.detail.is_empty() && result.detail.len() < 300);
    assert!(!result.detail.contains(CLIENT_SECRET));
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.as_str())
}

// --- catalogue ----------------------------------------------------------------------------------

#[test]
fn the_catalogue_names_exactly_the_twelve_javascript_codes_with_their_sentences() {
    let expected = [
        ("mgmt_not_configured", "AUTH0_DOMAIN is missing, or neither MANAGEMENT_CLIENT_ID + MANAGEMENT_CLIENT_SECRET nor MANAGEMENT_API_TOKEN is set."),
        ("mgmt_domain_refused", "AUTH0_DOMAIN (or AUTH0_TENANT_DOMAIN) is not a host name or an absolute https URL (plain http only for loopback); nothing was sent."),
        ("mgmt_token_failed", "The client-credentials token request failed (non-2xx status or an unusable body) after its retries."),
        ("mgmt_unauthorized", "The Management API answered 401 even after one fresh token, or to a static token that cannot be renewed."),
        ("mgmt_forbidden", "The Management API answered 403: the token lacks the scope named in the detail."),
        ("mgmt_user_not_found", "The Management API answered 404: it has no such user."),
        ("mgmt_rate_limited", "The Management API answered 429 and waiting as told would pass the deadline, or the retries ran out."),
        ("mgmt_server_error", "The Management API answered 5xx, also after the bounded retries."),
        ("mgmt_timeout", "A request took longer than its timeout, or the login deadline passed."),
        ("mgmt_network", "The connection failed: refused, reset, DNS error, or the body read was cut off."),
        ("mgmt_bad_response", "The answer was not usable: not JSON, not application/json, not UTF-8, an unexpected status, or pages that do not add up (a loop, more than 20 pages). An answer of the wrong shape is mfa_bad_response."),
        ("mgmt_response_too_large", "A response body was larger than 1 MiB; reading stopped at the cap."),
    ];
    assert_eq!(MgmtFailure::ALL.len(), expected.len());
    for (failure, (code, sentence)) in MgmtFailure::ALL.iter().zip(expected) {
        assert_eq!(failure.code(), code);
        assert_eq!(failure.explain(), sentence);
        assert_eq!(MgmtFailure::from_code(code), Some(*failure));
    }
    let setup: Vec<&str> = MgmtFailure::ALL
        .iter()
        .filter(|f| f.is_setup())
        .map(|f| f.code())
        .collect();
    assert_eq!(setup, ["mgmt_not_configured", "mgmt_domain_refused"]);
    assert_eq!(SETUP_FAILURES, setup.as_slice());
}

#[test]
fn a_token_is_kept_for_its_lifetime_less_a_tenth_or_a_minute_at_most_a_day() {
    // max(10 %, 60 s) off the lifetime, capped at 24 h; nothing left means not kept.
    let t0 = 1_000_000.0;
    assert_eq!(
        tokens::keep_until(t0, Some(86_400.0)),
        Some(t0 + 77_760_000.0)
    );
    assert_eq!(
        tokens::keep_until(t0, Some(3_600.0)),
        Some(t0 + 3_240_000.0)
    );
    assert_eq!(tokens::keep_until(t0, Some(600.0)), Some(t0 + 540_000.0));
    assert_eq!(tokens::keep_until(t0, Some(300.0)), Some(t0 + 240_000.0));
    assert_eq!(tokens::keep_until(t0, Some(61.0)), Some(t0 + 1_000.0));
    assert_eq!(tokens::keep_until(t0, Some(60.0)), None);
    assert_eq!(tokens::keep_until(t0, Some(0.0)), None);
    assert_eq!(tokens::keep_until(t0, None), None);
    // A week-long token is still kept one day at most (api.cache's limit).
    assert_eq!(
        tokens::keep_until(t0, Some(7.0 * 86_400.0)),
        Some(t0 + 86_400_000.0)
    );
}

#[test]
fn a_cached_token_is_usable_while_its_expiry_is_ahead() {
    let entry = |value: &str, expires_at: Option<f64>| {
        Some(CacheEntry {
            value: Some(value.to_owned()),
            expires_at,
        })
    };
    let usable = |e| tokens::usable_cache_entry(e, 5_000.0);
    assert_eq!(
        usable(entry("tok", Some(5_001.0))),
        Some(tokens::CachedToken {
            token: "tok".into(),
            expires_at: Some(5_001.0)
        })
    );
    assert_eq!(usable(entry("tok", Some(5_000.0))), None);
    assert_eq!(usable(entry("tok", Some(4_000.0))), None);
    // No (or no finite) expiry: used, without one.
    for expires_at in [None, Some(f64::NAN), Some(f64::INFINITY)] {
        assert_eq!(
            usable(entry("tok", expires_at)),
            Some(tokens::CachedToken {
                token: "tok".into(),
                expires_at: None
            })
        );
    }
    assert_eq!(usable(entry("to k", Some(9_000.0))), None);
    assert_eq!(usable(entry("", Some(9_000.0))), None);
    assert_eq!(usable(None), None);
    assert_eq!(
        usable(Some(CacheEntry {
            value: None,
            expires_at: Some(9_000.0)
        })),
        None
    );
    // One api.cache value holds 4000 bytes.
    assert!(tokens::cacheable(&"a".repeat(4000)));
    assert!(!tokens::cacheable(&"a".repeat(4001)));
}

#[test]
fn token_memory_keeps_tokens_until_their_expiry_and_flights_by_number() {
    let mut memory = TokenMemory::default();
    memory.keep("k", "tok", 2_000.0);
    assert_eq!(memory.valid("k", 1_999.0), Some("tok"));
    assert_eq!(memory.valid("k", 2_000.0), None);
    assert_eq!(memory.held("k"), Some("tok"));
    assert_eq!(memory.valid("other", 0.0), None);
    memory.forget("k");
    assert_eq!(memory.held("k"), None);

    let first = memory.start_flight("k", 1_000.0);
    assert_eq!(memory.pending("k", 999.0).map(|p| p.flight), Some(first));
    assert_eq!(memory.pending("k", 1_000.0).map(|p| p.flight), None);
    // Only the flight that is pending is extended or dropped.
    memory.extend_flight("k", first + 1, 5_000.0);
    assert_eq!(memory.pending("k", 1_500.0).map(|p| p.flight), None);
    memory.extend_flight("k", first, 5_000.0);
    assert_eq!(
        memory.pending("k", 1_500.0).map(|p| p.ends_at),
        Some(5_000.0)
    );
    memory.drop_flight("k", first + 1);
    assert!(memory.pending("k", 1_500.0).is_some());
    memory.end_flight("k", first, Ok("new".into()));
    assert!(memory.pending("k", 1_500.0).is_none());
    // The answer is for lookups that waited on this flight or an earlier one.
    assert_eq!(memory.answer_since("k", first), Some(Ok("new".into())));
    assert_eq!(memory.answer_since("k", first - 1), Some(Ok("new".into())));
    assert_eq!(memory.answer_since("k", first + 1), None);
    let second = memory.start_flight("k", 9_000.0);
    assert!(second > first);
    memory.clear();
    assert!(memory.pending("k", 0.0).is_none());
    assert_eq!(memory.answer_since("k", 0), None);
}

#[test]
fn the_cache_key_is_the_javascript_fnv1a64_of_origin_audience_and_client() {
    // Expected values computed independently (Python and Node, 64-bit FNV-1a over UTF-8).
    let key = tokens::memory_key(ORIGIN, "https://tenant.eu.auth0.com/api/v2/", CLIENT_ID);
    assert_eq!(tokens::cache_key(&key), "lc:mgmt-token:6edf6455fd37abb7");
    assert_eq!(tokens::fnv1a64(""), "cbf29ce484222325");
    // Zero padded to 16 digits.
    assert_eq!(
        tokens::fnv1a64("https://t133.auth0.com\nhttps://t133.auth0.com/api/v2/\nc"),
        "00a70a95dcc9b325"
    );
    // UTF-8 bytes, not UTF-16 units.
    assert_eq!(
        tokens::fnv1a64("https://ä.example\nx\né"),
        "26f565b641655c4b"
    );

    // The machine asks api.cache under that key.
    let (_, shim) = run_with(
        MfaEndpoint::Enrollments,
        client_secrets(),
        vec![token_ok("tok", 86400.0), json_answer(200, json!([]))],
    );
    assert_eq!(shim.cache_log[0], "get lc:mgmt-token:6edf6455fd37abb7");
    assert!(shim.cache_log[0].len() - 4 <= 64);
}

// --- secrets ------------------------------------------------------------------------------------

#[test]
fn reports_mgmt_not_configured_without_domain_or_credentials_sending_nothing() {
    let none = "the AUTH0_DOMAIN secret is not set";
    let neither = "set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (or MANAGEMENT_API_TOKEN) to read the Management API";
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (vec![], none),
        (
            vec![
                ("MANAGEMENT_CLIENT_ID", "a"),
                ("MANAGEMENT_CLIENT_SECRET", "b"),
            ],
            none,
        ),
        (
            vec![("AUTH0_DOMAIN", "  "), ("MANAGEMENT_API_TOKEN", "x")],
            none,
        ),
        (vec![("AUTH0_DOMAIN", DOMAIN)], neither),
        (
            vec![("AUTH0_DOMAIN", DOMAIN), ("MANAGEMENT_CLIENT_ID", "a")],
            "MANAGEMENT_CLIENT_SECRET is not set (client credentials need both secrets)",
        ),
        (
            vec![("AUTH0_DOMAIN", DOMAIN), ("MANAGEMENT_CLIENT_SECRET", "b")],
            "MANAGEMENT_CLIENT_ID is not set (client credentials need both secrets)",
        ),
        (
            vec![
                ("AUTH0_DOMAIN", DOMAIN),
                ("MANAGEMENT_API_TOKEN", "has space"),
            ],
            "MANAGEMENT_API_TOKEN contains characters that cannot go in an HTTP header",
        ),
        (
            vec![("AUTH0_DOMAIN", DOMAIN), ("MANAGEMENT_API_TOKEN", "tök")],
            "MANAGEMENT_API_TOKEN contains characters that cannot go in an HTTP header",
        ),
        (
            vec![
                ("AUTH0_DOMAIN", DOMAIN),
                ("MANAGEMENT_CLIENT_ID", " \t"),
                ("MANAGEMENT_CLIENT_SECRET", "\n"),
            ],
            neither,
        ),
    ];
    for (pairs, detail) in cases {
        let (result, shim) = run_with(MfaEndpoint::AuthenticationMethods, secrets(&pairs), vec![]);
        assert_failure(&result, MgmtFailure::NotConfigured, detail);
        assert_eq!(result.requests, 0, "{pairs:?}");
        assert!(shim.sent.is_empty() && shim.cache_log.is_empty());
    }
    // No secrets at all (event.secrets undefined): every value missing, or none handed back.
    let (result, _) = run_with(MfaEndpoint::Enrollments, vec![], vec![]);
    assert_failure(&result, MgmtFailure::NotConfigured, none);
}

#[test]
fn refuses_http_to_non_loopback_hosts_and_malformed_domains_without_a_request() {
    let plain = "AUTH0_DOMAIN uses plain http to a host that is not loopback; use https";
    let scheme = "AUTH0_DOMAIN must use https (http only for a loopback test server)";
    let path = "AUTH0_DOMAIN must not contain a path, query or fragment";
    let credentials = "AUTH0_DOMAIN must not contain credentials";
    let space = format!("{HINT} (it contains whitespace)");
    let cases: Vec<(&str, &str)> = vec![
        ("http://tenant.eu.auth0.com", plain),
        ("http://10.0.0.1:4010", plain),
        ("http://192.168.1.10", plain),
        ("http://localhost.example.com", plain),
        ("http://127.0.0.1.nip.io", plain),
        ("http://[::ffff:127.0.0.1]", plain),
        ("ftp://tenant.eu.auth0.com", scheme),
        ("https://tenant.eu.auth0.com/api/v2", path),
        ("https://user:pw@tenant.eu.auth0.com", credentials),
        ("https://tenant.eu.auth0.com?x=1", path),
        ("https://tenant.eu.auth0.com#frag", path),
        ("https://tenant.eu.auth0.com?", path),
        ("tenant.eu.auth0.com/path", HINT),
        ("tenant.eu.auth0.com?x", HINT),
        ("user@tenant.eu.auth0.com", HINT),
        ("tenant .eu.auth0.com", &space),
        ("ten\tant.eu.auth0.com", &space),
        ("tenant_eu.auth0.com", HINT),
        ("-tenant.auth0.com", HINT),
        ("https://", HINT),
        ("//tenant.eu.auth0.com", HINT),
    ];
    for (domain, detail) in cases {
        let pairs = [
            ("AUTH0_DOMAIN", domain),
            ("MANAGEMENT_CLIENT_ID", "a"),
            ("MANAGEMENT_CLIENT_SECRET", "b"),
        ];
        let (result, shim) = run_with(MfaEndpoint::AuthenticationMethods, secrets(&pairs), vec![]);
        assert_failure(&result, MgmtFailure::DomainRefused, detail);
        assert_eq!(result.requests, 0, "{domain}");
        assert!(
            shim.sent.is_empty() && shim.cache_log.is_empty(),
            "{domain}"
        );
    }
    // The domain is judged before the credentials are looked at.
    let (result, _) = run_with(
        MfaEndpoint::Enrollments,
        secrets(&[("AUTH0_DOMAIN", "http://example.com")]),
        vec![],
    );
    assert_failure(&result, MgmtFailure::DomainRefused, plain);
}

#[test]
fn accepts_host_names_https_origins_and_loopback_http_with_the_matching_audience() {
    let cases = [
        ("tenant.eu.auth0.com", "https://tenant.eu.auth0.com"),
        ("Tenant.EU.auth0.com", "https://tenant.eu.auth0.com"),
        ("https://login.example.com", "https://login.example.com"),
        ("https://login.example.com/", "https://login.example.com"),
        ("https://tenant.auth0.com:443", "https://tenant.auth0.com"),
        ("tenant.auth0.com:8443", "https://tenant.auth0.com:8443"),
        ("http://127.0.0.1:4010", "http://127.0.0.1:4010"),
        ("http://127.1:4010", "http://127.0.0.1:4010"),
        ("http://localhost:4010", "http://localhost:4010"),
        ("http://[::1]:4010", "http://[::1]:4010"),
    ];
    for (domain, origin) in cases {
        let pairs = [
            ("AUTH0_DOMAIN", domain),
            ("MANAGEMENT_CLIENT_ID", "a"),
            ("MANAGEMENT_CLIENT_SECRET", "b"),
        ];
        let (result, shim) = run_with(
            MfaEndpoint::AuthenticationMethods,
            secrets(&pairs),
            vec![
                token_ok("tok", 86400.0),
                json_answer(
                    200,
                    json!({"start": 0, "limit": 50, "total": 0, "authenticators": []}),
                ),
            ],
        );
        assert_eq!(
            result.outcome,
            LookupOutcome::Methods(json!([])),
            "{domain}"
        );
        assert_eq!((result.failure, result.requests), (None, 2));
        let token = &shim.sent[0];
        assert_eq!(token.url, format!("{origin}/oauth/token"));
        let body: Value = serde_json::from_str(token.body.as_deref().unwrap_or("")).unwrap();
        assert_eq!(body["audience"], format!("{origin}/api/v2/"));
        let get = &shim.sent[1];
        assert_eq!(
            get.url,
            format!("{origin}/api/v2/users/auth0%7Calice/authentication-methods?page=0&per_page=50&include_totals=true")
        );
        assert_eq!(header(get, "authorization"), Some("Bearer tok"));
        assert_eq!(header(get, "accept"), Some("application/json"));
    }
}

#[test]
fn the_audience_names_auth0_tenant_domain_when_it_is_set() {
    let pairs = [
        ("AUTH0_DOMAIN", "login.example.com"),
        ("AUTH0_TENANT_DOMAIN", "Tenant.EU.auth0.com"),
        ("MANAGEMENT_CLIENT_ID", CLIENT_ID),
        ("MANAGEMENT_CLIENT_SECRET", CLIENT_SECRET),
    ];
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        secrets(&pairs),
        vec![token_ok("tok", 86400.0), json_answer(200, json!([]))],
    );
    assert_eq!(result.outcome, LookupOutcome::Methods(json!([])));
    assert_eq!(shim.sent[0].url, "https://login.example.com/oauth/token");
    let body: Value = serde_json::from_str(shim.sent[0].body.as_deref().unwrap_or("")).unwrap();
    assert_eq!(body["audience"], "https://tenant.eu.auth0.com/api/v2/");
    assert_eq!(
        shim.sent[1].url,
        "https://login.example.com/api/v2/users/auth0%7Calice/enrollments"
    );

    // A refused tenant domain names its own secret.
    let bad = [
        ("AUTH0_DOMAIN", "login.example.com"),
        ("AUTH0_TENANT_DOMAIN", "http://tenant.eu.auth0.com"),
        ("MANAGEMENT_CLIENT_ID", CLIENT_ID),
        ("MANAGEMENT_CLIENT_SECRET", CLIENT_SECRET),
    ];
    let (result, _) = run_with(MfaEndpoint::Enrollments, secrets(&bad), vec![]);
    assert_failure(
        &result,
        MgmtFailure::DomainRefused,
        "AUTH0_TENANT_DOMAIN uses plain http to a host that is not loopback; use https",
    );
    // A blank one is not set.
    let blank = [
        ("AUTH0_DOMAIN", DOMAIN),
        ("AUTH0_TENANT_DOMAIN", "  "),
        ("MANAGEMENT_API_TOKEN", "tok"),
    ];
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        secrets(&blank),
        vec![json_answer(200, json!([]))],
    );
    assert_eq!(result.failure, None);
    assert_eq!(shim.sent[0].url, ENROLLMENTS);
}

#[test]
fn secrets_are_trimmed_and_the_token_body_is_written_in_the_javascript_key_order() {
    let pairs = [
        ("AUTH0_DOMAIN", " \ttenant.eu.auth0.com\n"),
        ("MANAGEMENT_CLIENT_ID", "  demo-client "),
        (
            "MANAGEMENT_CLIENT_SECRET",
            "\u{a0}demo-secret-0123456789\u{feff}",
        ),
    ];
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        secrets(&pairs),
        vec![token_ok("tok", 86400.0), json_answer(200, json!([]))],
    );
    assert_eq!(result.failure, None);
    let token = &shim.sent[0];
    assert_eq!(token.method, Method::Post);
    assert_eq!(token.url, TOKEN_URL);
    assert_eq!(
        token.headers,
        vec![
            ("content-type", "application/json".to_owned()),
            ("accept", "application/json".to_owned())
        ]
    );
    // JSON.stringify of {grant_type, client_id, client_secret, audience}.
    assert_eq!(
        token.body.as_deref(),
        Some(
            r#"{"grant_type":"client_credentials","client_id":"demo-client","client_secret":"demo-secret-0123456789","audience":"https://tenant.eu.auth0.com/api/v2/"}"#
        )
    );
    for request in &shim.sent {
        assert_eq!(request.max_body_bytes, 1024 * 1024);
        assert_eq!(request.body_as, BodyAs::Json);
        assert_eq!(
            request.response_headers,
            &["content-type", "retry-after", "x-ratelimit-reset"]
        );
    }
    let get = &shim.sent[1];
    assert_eq!(get.method, Method::Get);
    assert_eq!(get.body, None);
    assert_eq!(
        get.headers,
        vec![
            ("authorization", "Bearer tok".to_owned()),
            ("accept", "application/json".to_owned())
        ]
    );
    // Quotes and control characters in a secret stay inside their JSON string.
    let odd = [
        ("AUTH0_DOMAIN", DOMAIN),
        ("MANAGEMENT_CLIENT_ID", "a\"b"),
        ("MANAGEMENT_CLIENT_SECRET", "c\\d\u{1}e"),
    ];
    let (_, shim) = run_with(
        MfaEndpoint::Enrollments,
        secrets(&odd),
        vec![token_ok("tok", 86400.0), json_answer(200, json!([]))],
    );
    assert_eq!(
        shim.sent[0].body.as_deref(),
        Some(
            r#"{"grant_type":"client_credentials","client_id":"a\"b","client_secret":"c\\d\u0001e","audience":"https://tenant.eu.auth0.com/api/v2/"}"#
        )
    );
}

#[test]
fn a_static_token_is_used_only_without_a_client_pair_and_never_cached() {
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("  static-tok "),
        vec![json_answer(
            200,
            json!([{"id": "sms|dev_1", "status": "confirmed"}]),
        )],
    );
    assert_eq!(result.failure, None);
    assert_eq!(result.requests, 1);
    assert_eq!(
        header(&shim.sent[0], "authorization"),
        Some("Bearer static-tok")
    );
    assert!(shim.cache_log.is_empty());

    // Both present: client credentials win.
    let mut both = client_secrets();
    both[4] = Some("stale".to_owned());
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        both,
        vec![token_ok("fresh", 86400.0), json_answer(200, json!([]))],
    );
    assert_eq!(result.failure, None);
    assert_eq!(shim.posts(), 1);
    assert_eq!(header(&shim.sent[1], "authorization"), Some("Bearer fresh"));

    // A static token with only half a client pair is still used.
    let half = secrets(&[
        ("AUTH0_DOMAIN", DOMAIN),
        ("MANAGEMENT_CLIENT_ID", "a"),
        ("MANAGEMENT_API_TOKEN", "tok"),
    ]);
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        half,
        vec![json_answer(200, json!([]))],
    );
    assert_eq!((result.failure, shim.posts()), (None, 0));
}

#[test]
fn a_static_token_that_gets_401_explains_its_24_h_expiry_and_is_not_refreshed() {
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![json_answer(401, json!({"statusCode": 401}))],
    );
    assert_failure(
        &result,
        MgmtFailure::Unauthorized,
        "the Management API rejected MANAGEMENT_API_TOKEN (HTTP 401); a static token expires after 24 h, so set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET instead",
    );
    assert_eq!(result.requests, 1);
    assert!(shim.cache_log.is_empty());
}

#[test]
fn an_empty_user_id_is_no_user_and_asks_nothing() {
    let memory = new_memory();
    let mut shim = Shim::new(client_secrets());
    let b = standard();
    let mut lookup = lookup_of(MfaEndpoint::Enrollments, "", b, &memory);
    let result = shim.run(&mut lookup, &b);
    assert_failure(
        &result,
        MgmtFailure::UserNotFound,
        "the user id is empty, so there is no user to look up",
    );
    assert!(shim.sent.is_empty() && shim.cache_log.is_empty());
    // The secrets are judged first.
    let mut shim = Shim::new(secrets(&[]));
    let mut lookup = lookup_of(MfaEndpoint::Enrollments, "", b, &memory);
    assert_eq!(
        shim.run(&mut lookup, &b).failure,
        Some(MgmtFailure::NotConfigured)
    );
}

#[test]
fn the_user_id_is_encoded_into_the_path() {
    let memory = new_memory();
    let mut shim = Shim::new(static_secrets("tok"));
    shim.then(json_answer(200, json!([])));
    let b = standard();
    let mut lookup = lookup_of(
        MfaEndpoint::AuthenticationMethods,
        "sms|+1/555?#",
        b,
        &memory,
    );
    assert_eq!(shim.run(&mut lookup, &b).failure, None);
    assert!(shim.sent[0].url.starts_with(
        "https://tenant.eu.auth0.com/api/v2/users/sms%7C%2B1%2F555%3F%23/authentication-methods?"
    ));
}

// --- tokens -------------------------------------------------------------------------------------

#[test]
fn one_token_serves_many_lookups_of_one_process() {
    let memory = new_memory();
    let b = standard();
    let mut shim = Shim::new(client_secrets());
    shim.then(token_ok("tok", 86400.0))
        .then(json_answer(200, json!([phone(1), totp(2)])));
    let first = shim.run(&mut methods(b, &memory), &b);
    assert_eq!(first.requests, 2);
    assert_eq!(
        first.outcome,
        LookupOutcome::Methods(json!([phone(1), totp(2)]))
    );
    for i in 0..5 {
        let mut again = Shim::new(client_secrets());
        again.now = shim.now + 1000.0 * f64::from(i);
        again.then(json_answer(200, json!([])));
        let mut lookup = if i % 2 == 1 {
            enrollments(b, &memory)
        } else {
            methods(b, &memory)
        };
        let result = again.run(&mut lookup, &b);
        assert_eq!((result.failure, result.requests), (None, 1));
        assert_eq!(header(&again.sent[0], "authorization"), Some("Bearer tok"));
        // Memory first: api.cache is not even asked.
        assert!(again.cache_log.is_empty());
    }
}

#[test]
fn a_new_process_finds_the_token_in_api_cache_with_an_expiry_of_90_percent() {
    let b = standard();
    let mut shim = Shim::new(client_secrets());
    shim.then(token_ok("tok", 86400.0))
        .then(json_answer(200, json!([])));
    shim.run(&mut enrollments(b, &new_memory()), &b);
    // expires_in 86400: 10 % (8640 s) is more than 60 s; obtained when the request started.
    assert_eq!(
        shim.sets,
        vec![(
            "lc:mgmt-token:6edf6455fd37abb7".to_owned(),
            "tok".to_owned(),
            T0 + 86_400_000.0 * 0.9
        )]
    );

    // A fresh process: memory is gone, api.cache is not.
    let memory = new_memory();
    let mut next = Shim::new(client_secrets());
    next.cache = shim.cache.clone();
    next.now = T0 + 60_000.0;
    next.then(json_answer(200, json!([])));
    let b2 = budget(1000.0, 65_000.0);
    let result = next.run(&mut enrollments(b2, &memory), &b2);
    assert_eq!((result.failure, result.requests), (None, 1));
    assert_eq!(header(&next.sent[0], "authorization"), Some("Bearer tok"));
    // The entry's expiry came along into memory: a third lookup does not ask api.cache.
    let mut third = Shim::new(client_secrets());
    third.now = next.now;
    third.then(json_answer(200, json!([])));
    assert_eq!(third.run(&mut enrollments(b2, &memory), &b2).requests, 1);
    assert!(third.cache_log.is_empty());
}

#[test]
fn the_margin_is_max_of_10_percent_and_60_s_and_24_h_at_most() {
    for (expires_in, kept) in [
        (86_400.0, Some(77_760_000.0)),
        (100.0, Some(40_000.0)),
        (70.0, Some(10_000.0)),
        (172_800.0, Some(86_400_000.0)),
        (60.0, None),
        (50.0, None),
    ] {
        let b = standard();
        let mut shim = Shim::new(client_secrets());
        shim.then(token_ok("tok", expires_in))
            .then(json_answer(200, json!([])));
        let memory = new_memory();
        shim.run(&mut enrollments(b, &memory), &b);
        let sets: Vec<f64> = shim.sets.iter().map(|s| s.2).collect();
        let expected: Vec<f64> = kept.map(|k| (T0 + k).floor()).into_iter().collect();
        assert_eq!(sets, expected, "expires_in {expires_in}");
        // Memory holds it exactly as long.
        let held = memory
            .borrow()
            .valid(
                &tokens::memory_key(ORIGIN, &format!("{ORIGIN}/api/v2/"), CLIENT_ID),
                T0,
            )
            .is_some();
        assert_eq!(held, kept.is_some(), "expires_in {expires_in}");
    }
}

#[test]
fn a_token_is_never_used_past_its_margin_from_memory_or_from_api_cache() {
    let memory = new_memory();
    let mut cache = HashMap::new();
    let at = |ms: f64, cache: &mut HashMap<String, CacheEntry>, script: Vec<Outcome>| {
        let mut shim = Shim::new(client_secrets());
        shim.now = T0 + ms;
        shim.cache = cache.clone();
        for outcome in script {
            shim.then_after(0.0, outcome);
        }
        let b = budget(1000.0, ms + 5000.0);
        let result = shim.run(&mut enrollments(b, &memory), &b);
        *cache = shim.cache.clone();
        (result, shim)
    };
    // expires_in 100 s: usable for 40 s.
    let (_, first) = at(
        0.0,
        &mut cache,
        vec![token_ok("one", 100.0), json_answer(200, json!([]))],
    );
    assert_eq!(first.posts(), 1);
    let (_, inside) = at(39_999.0, &mut cache, vec![json_answer(200, json!([]))]);
    assert_eq!(header(&inside.sent[0], "authorization"), Some("Bearer one"));
    // At the margin memory and api.cache both refuse it.
    let (_, past) = at(
        40_000.0,
        &mut cache,
        vec![token_ok("two", 100.0), json_answer(200, json!([]))],
    );
    assert_eq!(past.posts(), 1);
    assert_eq!(past.cache_log.first().map(|s| &s[..3]), Some("get"));
    assert_eq!(header(&past.sent[1], "authorization"), Some("Bearer two"));

    // An api.cache entry alone, past its expiry, is ignored too.
    memory.borrow_mut().clear();
    let key = "lc:mgmt-token:6edf6455fd37abb7".to_owned();
    cache.insert(
        key.clone(),
        CacheEntry {
            value: Some("old".into()),
            expires_at: Some(T0 + 100_000.0 - 1.0),
        },
    );
    let (_, expired) = at(
        100_000.0,
        &mut cache,
        vec![token_ok("three", 100.0), json_answer(200, json!([]))],
    );
    assert_eq!(expired.posts(), 1);
    assert_eq!(
        header(&expired.sent[1], "authorization"),
        Some("Bearer three")
    );
}

#[test]
fn a_short_lived_token_is_used_once_and_neither_kept_nor_cached() {
    let memory = new_memory();
    for round in 0..2 {
        let b = standard();
        let mut shim = Shim::new(client_secrets());
        shim.then(token_ok("short", 50.0))
            .then(json_answer(200, json!([])));
        let result = shim.run(&mut enrollments(b, &memory), &b);
        assert_eq!(
            (result.failure, result.requests),
            (None, 2),
            "round {round}"
        );
        assert!(shim.sets.is_empty());
    }
    // No expires_in: no lifetime is known, so nothing is kept.
    let b = standard();
    let mut shim = Shim::new(client_secrets());
    shim.then(json_answer(200, json!({"access_token": "tok"})))
        .then(json_answer(200, json!([])));
    assert_eq!(shim.run(&mut enrollments(b, &memory), &b).failure, None);
    assert!(shim.sets.is_empty());
    let mut shim = Shim::new(client_secrets());
    shim.then(json_answer(
        200,
        json!({"access_token": "tok", "expires_in": "86400"}),
    ))
    .then(json_answer(200, json!([])));
    assert_eq!(shim.run(&mut enrollments(b, &memory), &b).failure, None);
    assert!(shim.sets.is_empty());
}

#[test]
fn a_token_over_4000_bytes_is_kept_in_memory_but_not_in_api_cache() {
    for (length, cached) in [(4000, true), (4001, false)] {
        let token = "a".repeat(length);
        let memory = new_memory();
        let b = standard();
        let mut shim = Shim::new(client_secrets());
        shim.then(token_ok(&token, 86400.0))
            .then(json_answer(200, json!([])));
        shim.run(&mut enrollments(b, &memory), &b);
        assert_eq!(shim.sets.len(), usize::from(cached), "{length}");
        let mut again = Shim::new(client_secrets());
        again.then(json_answer(200, json!([])));
        assert_eq!(again.run(&mut enrollments(b, &memory), &b).requests, 1);
    }
}

#[test]
fn api_cache_entries_that_are_junk_are_no_cache() {
    let key = "lc:mgmt-token:6edf6455fd37abb7";
    for entry in [
        CacheEntry {
            value: Some(String::new()),
            expires_at: Some(T0 + 60_000.0),
        },
        CacheEntry {
            value: None,
            expires_at: Some(T0 + 60_000.0),
        },
        CacheEntry {
            value: Some("a b".into()),
            expires_at: Some(T0 + 60_000.0),
        },
        CacheEntry {
            value: Some("tok".into()),
            expires_at: Some(T0),
        },
    ] {
        let memory = new_memory();
        let b = standard();
        let mut shim = Shim::new(client_secrets());
        shim.cache.insert(key.into(), entry.clone());
        shim.then(token_ok("new", 86400.0))
            .then(json_answer(200, json!([])));
        let result = shim.run(&mut enrollments(b, &memory), &b);
        assert_eq!((result.failure, shim.posts()), (None, 1), "{entry:?}");
    }
    // Without an expiry the entry is used, but not copied to memory (its end is unknown).
    let memory = new_memory();
    let b = standard();
    for _ in 0..2 {
        let mut shim = Shim::new(client_secrets());
        shim.cache.insert(
            key.into(),
            CacheEntry {
                value: Some("tok".into()),
                expires_at: None,
            },
        );
        shim.then(json_answer(200, json!([])));
        let result = shim.run(&mut enrollments(b, &memory), &b);
        assert_eq!((result.failure, result.requests), (None, 1));
        assert_eq!(shim.cache_log, vec![format!("get {key}")]);
    }
    // A non-finite expiry counts as none.
    let mut shim = Shim::new(client_secrets());
    shim.cache.insert(
        key.into(),
        CacheEntry {
            value: Some("tok".into()),
            expires_at: Some(f64::NAN),
        },
    );
    shim.then(json_answer(200, json!([])));
    assert_eq!(shim.run(&mut enrollments(b, &new_memory()), &b).requests, 1);
}

#[test]
fn after_a_401_the_token_is_dropped_and_a_fresh_one_fetched_once() {
    let key = "lc:mgmt-token:6edf6455fd37abb7";
    let memory = new_memory();
    let b = standard();
    let mut shim = Shim::new(client_secrets());
    shim.cache.insert(
        key.into(),
        CacheEntry {
            value: Some("old".into()),
            expires_at: Some(T0 + 3_600_000.0),
        },
    );
    shim.then(json_answer(401, json!({"statusCode": 401})))
        .then(token_ok("new", 86400.0))
        .then(json_answer(200, json!([phone(1)])));
    let result = shim.run(&mut methods(b, &memory), &b);
    assert_eq!(result.outcome, LookupOutcome::Methods(json!([phone(1)])));
    assert_eq!(result.requests, 3);
    assert_eq!(
        shim.cache_log,
        vec![
            format!("get {key}"),
            format!("delete {key}"),
            format!("set {key}")
        ]
    );
    assert_eq!(header(&shim.sent[0], "authorization"), Some("Bearer old"));
    assert_eq!(header(&shim.sent[2], "authorization"), Some("Bearer new"));
    assert_eq!(shim.sent[2].url, METHODS_0);
    assert_eq!(shim.cache[key].value.as_deref(), Some("new"));
    // The fresh token is in memory.
    let mut again = Shim::new(client_secrets());
    again.then(json_answer(200, json!([])));
    assert_eq!(again.run(&mut enrollments(b, &memory), &b).requests, 1);
    assert_eq!(header(&again.sent[0], "authorization"), Some("Bearer new"));
}

#[test]
fn a_401_to_the_fresh_token_too_is_mgmt_unauthorized_after_exactly_one_refresh() {
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        client_secrets(),
        vec![
            token_ok("one", 86400.0),
            json_answer(401, json!({"statusCode": 401})),
            token_ok("two", 86400.0),
            json_answer(401, json!({"statusCode": 401})),
        ],
    );
    assert_failure(
        &result,
        MgmtFailure::Unauthorized,
        "the Management API answered 401 even to a freshly issued token",
    );
    assert_eq!((shim.posts(), shim.gets(), result.requests), (2, 2, 4));
    // A 401 on a later page refreshes too, and still only once per lookup.
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        client_secrets(),
        vec![
            token_ok("one", 86400.0),
            page(0, 60, many(0, 50)),
            json_answer(401, json!({})),
            token_ok("two", 86400.0),
            json_answer(401, json!({})),
        ],
    );
    assert_eq!(result.failure, Some(MgmtFailure::Unauthorized));
    assert_eq!(shim.posts(), 2);
    assert!(shim.sent[4].url.contains("page=1&"));
}

#[test]
fn the_token_endpoint_failures_are_mgmt_token_failed() {
    let rejected =
        "the token endpoint rejected MANAGEMENT_CLIENT_ID / MANAGEMENT_CLIENT_SECRET (HTTP 401)";
    let html = "the token response has content type text/html and looks like an HTML page, not application/json";
    let cases: Vec<(Vec<Outcome>, &str)> = vec![
        (vec![json_answer(401, json!({"error": "access_denied"}))], rejected),
        (
            vec![json_answer(403, json!({}))],
            "the token endpoint refused the grant (HTTP 403): authorize the application for the Management API audience",
        ),
        (vec![json_answer(400, json!({}))], "the token endpoint answered HTTP 400"),
        (
            vec![
                json_answer(500, json!({})),
                json_answer(500, json!({})),
                json_answer(500, json!({})),
            ],
            "token request: the token endpoint answered HTTP 500, also after 2 retries",
        ),
        (
            vec![text_answer(200, Some("text/html"), "<html>oops</html>")],
            html,
        ),
        (
            vec![json_answer(200, json!({"token_type": "Bearer"}))],
            "the token response has no usable access_token",
        ),
        (
            vec![json_answer(200, json!({"access_token": "a b"}))],
            "the token response has no usable access_token",
        ),
        (
            vec![json_answer(200, json!(["tok"]))],
            "the token response has no usable access_token",
        ),
        (
            vec![json_answer(200, json!({"access_token": "abc", "token_type": "mac"}))],
            "the token response is not a Bearer token",
        ),
        (
            vec![json_answer(200, json!({"access_token": "abc", "token_type": null}))],
            "the token response is not a Bearer token",
        ),
        (
            vec![json_answer(200, json!({"access_token": "abc", "token_type": ["Bearer"]}))],
            "the token response is not a Bearer token",
        ),
        (
            vec![response(429, &[("retry-after", "60")], Body::Text(String::new()))],
            "token request: the token endpoint answered 429 and asked to wait 60000 ms, which would pass the login deadline",
        ),
        (
            vec![text_answer(200, Some("application/json"), "{\"access_token\":")],
            "the token response is not valid JSON",
        ),
        (
            vec![failed(TransportError::TooLarge)],
            "token request: the token endpoint sent more than 1048576 bytes; reading stopped",
        ),
        (
            vec![response(200, &[("content-type", "application/json")], Body::InvalidUtf8("{}".into()))],
            "token request: the token endpoint is not valid UTF-8",
        ),
        (
            vec![failed(TransportError::NoResponse)],
            "token request: the token endpoint gave no HTTP response",
        ),
    ];
    for (script, detail) in cases {
        let (result, shim) = run_with(MfaEndpoint::Enrollments, client_secrets(), script);
        assert_failure(&result, MgmtFailure::TokenFailed, detail);
        assert_eq!(shim.gets(), 0, "no lookup without a token: {detail}");
    }
    // A 401 from the token endpoint is not retried.
    let (result, _) = run_with(
        MfaEndpoint::Enrollments,
        client_secrets(),
        vec![json_answer(401, json!({}))],
    );
    assert_eq!(result.requests, 1);
    // Token types compare without case (RFC 6749, section 5.1).
    for kind in [json!("bearer"), json!("BEARER"), json!("Bearer")] {
        let (result, _) = run_with(
            MfaEndpoint::Enrollments,
            client_secrets(),
            vec![
                json_answer(200, json!({"access_token": "abc", "token_type": kind})),
                json_answer(200, json!([])),
            ],
        );
        assert_eq!(result.failure, None, "{kind}");
    }
}

#[test]
fn transport_failures_of_the_token_endpoint_keep_their_own_code() {
    let (result, _) = run_with(
        MfaEndpoint::Enrollments,
        client_secrets(),
        vec![failed(TransportError::Network {
            phase: NetworkPhase::Connecting,
            code: Some("ECONNREFUSED".into()),
        })],
    );
    assert_failure(
        &result,
        MgmtFailure::Network,
        "the connection to the token endpoint failed while connecting (ECONNREFUSED)",
    );
    assert_eq!(result.requests, 1);
    let (result, _) = run_with(
        MfaEndpoint::Enrollments,
        client_secrets(),
        vec![failed(TransportError::Timeout)],
    );
    assert_failure(
        &result,
        MgmtFailure::Timeout,
        "the token endpoint did not answer within 1000 ms",
    );
}

// --- reading ------------------------------------------------------------------------------------

#[test]
fn follows_pages_120_methods_in_3_pages_merged_in_order() {
    let all = many(0, 120);
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![
            page(0, 120, all[..50].to_vec()),
            page(50, 120, all[50..100].to_vec()),
            page(100, 120, all[100..].to_vec()),
        ],
    );
    assert_eq!(result.outcome, LookupOutcome::Methods(Value::Array(all)));
    assert_eq!(result.requests, 3);
    for (i, request) in shim.sent.iter().enumerate() {
        assert_eq!(
            request.url,
            format!("https://tenant.eu.auth0.com/api/v2/users/auth0%7Calice/authentication-methods?page={i}&per_page=50&include_totals=true")
        );
    }
}

#[test]
fn pages_end_on_an_empty_page_a_short_bare_array_or_the_total() {
    // A bare array of 50 asks for the next page; an empty one ends.
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![
            json_answer(200, Value::Array(many(0, 50))),
            json_answer(200, json!([])),
        ],
    );
    assert_eq!(
        ids(&match result.outcome {
            LookupOutcome::Methods(v) => v,
            other => panic!("{other:?}"),
        })
        .len(),
        50
    );
    assert_eq!(shim.sent.len(), 2);
    // A total reached ends even with a full page.
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![page(0, 50, many(0, 50))],
    );
    assert_eq!(result.failure, None);
    assert_eq!(shim.sent.len(), 1);
    // A total of 0 with an empty page.
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![page(0, 0, vec![])],
    );
    assert_eq!(result.outcome, LookupOutcome::Methods(json!([])));
}

#[test]
fn a_pagination_loop_is_stopped_with_mgmt_bad_response() {
    // A server that ignores ?page=: page 1 starts at item 0 again.
    let first = many(0, 50);
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![page(0, 120, first.clone()), page(0, 120, first.clone())],
    );
    assert_failure(
        &result,
        MgmtFailure::BadResponse,
        "pagination loop: page 1 starts at item 0, expected 50",
    );
    assert_eq!(shim.gets(), 2);
    // Bare arrays carry no start: a repeated page is caught by its ids.
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![
            json_answer(200, Value::Array(first.clone())),
            json_answer(200, Value::Array(first.clone())),
        ],
    );
    assert_failure(
        &result,
        MgmtFailure::BadResponse,
        "pagination loop: page 1 repeats items already read",
    );
    assert_eq!(shim.gets(), 2);
    // A total that grows as fast as pages are read.
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![page(0, 60, many(0, 50)), page(50, 110, many(50, 50))],
    );
    assert_failure(
        &result,
        MgmtFailure::BadResponse,
        "pagination loop: the total grows as fast as pages are read (page 1)",
    );
    // Items without ids are never taken for repeats (the other checks still apply).
    let anonymous: Vec<Value> = (0..50).map(|_| json!({"type": "totp"})).collect();
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![
            json_answer(200, Value::Array(anonymous.clone())),
            json_answer(200, Value::Array(anonymous[..3].to_vec())),
        ],
    );
    assert_eq!(result.failure, None);
    assert_eq!(shim.gets(), 2);
    // A start beyond JavaScript's safe integers is no count at all.
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![json_answer(
            200,
            json!({"start": 1e21, "total": 5, "authenticators": [phone(1)]}),
        )],
    );
    assert_eq!(
        result.detail,
        "the authentication-methods page has no numeric start and total"
    );
}

#[test]
fn stops_after_20_pages_with_mgmt_bad_response() {
    let script: Vec<Outcome> = (0..20)
        .map(|p| page(p * 50, 1100, many(p * 50, 50)))
        .collect();
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        script,
    );
    assert_failure(
        &result,
        MgmtFailure::BadResponse,
        "the authentication methods span more than 20 pages",
    );
    assert_eq!(shim.gets(), 20);
    // Bare full pages, all new: the same cap.
    let script: Vec<Outcome> = (0..20)
        .map(|p| json_answer(200, Value::Array(many(p * 50, 50))))
        .collect();
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        script,
    );
    assert_eq!(
        result.detail,
        "the authentication methods span more than 20 pages"
    );
    assert_eq!(shim.gets(), 20);
}

#[test]
fn a_bare_array_page_is_accepted_and_its_items_are_the_engines_to_judge() {
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![json_answer(200, json!([phone(9)]))],
    );
    assert_eq!(result.outcome, LookupOutcome::Methods(json!([phone(9)])));
    // Items that are not objects are merged as they are: whether the list is usable is the
    // engine's rule (enrollments.rs, `mfa_bad_response`), never the transport's too.
    for (body, merged) in [
        (
            json!({"start": 0, "limit": 50, "total": 1, "authenticators": ["x"]}),
            json!(["x"]),
        ),
        (json!([phone(1), null]), json!([phone(1), null])),
    ] {
        let (result, _) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![json_answer(200, body.clone())],
        );
        assert_eq!(result.outcome, LookupOutcome::Methods(merged), "{body}");
        assert_eq!(result.failure, None);
    }
    for body in [
        json!({"start": "0", "total": 1, "authenticators": [phone(1)]}),
        json!({"start": 0, "authenticators": [phone(1)]}),
        json!({"start": -1, "total": 1, "authenticators": [phone(1)]}),
        json!({"start": 0.5, "total": 1, "authenticators": [phone(1)]}),
    ] {
        let (result, _) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![json_answer(200, body.clone())],
        );
        assert_failure(
            &result,
            MgmtFailure::BadResponse,
            "the authentication-methods page has no numeric start and total",
        );
    }
    // A first answer that is no page at all is handed on whole, for the engine to refuse.
    for body in [
        json!({"users": []}),
        json!(null),
        json!("x"),
        json!({"authenticators": {}}),
    ] {
        let (result, _) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![json_answer(200, body.clone())],
        );
        assert_eq!(result.outcome, LookupOutcome::Methods(body.clone()));
        assert!(crate::mfa::phone_enrollments(&body).is_err(), "{body}");
    }
    // On a later page the same answer breaks the pagination.
    let first: Vec<Value> = (0..50).map(phone).collect();
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![
            json_answer(200, Value::Array(first)),
            json_answer(200, json!({"users": []})),
        ],
    );
    assert_failure(
        &result,
        MgmtFailure::BadResponse,
        "the authentication-methods answer is neither a list nor a page of authenticators",
    );
    // A whole number written with a fraction is a count (JSON.parse reads 0.0 as 0).
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![json_answer(
            200,
            json!({"start": 0.0, "total": 1.0, "authenticators": [phone(1)]}),
        )],
    );
    assert_eq!(result.failure, None);
}

#[test]
fn enrollments_are_handed_on_as_the_api_answered() {
    let list = json!([{"id": "sms|dev_3", "status": "confirmed", "type": "sms", "phone_number": "+15559998888", "auth_method": "sms"}]);
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![json_answer(200, list.clone())],
    );
    assert_eq!(result.outcome, LookupOutcome::Methods(list));
    assert_eq!(shim.sent[0].url, ENROLLMENTS);
    // Whether the answer is a list of enrollments is the engine's question.
    for body in [json!({"enrollments": []}), json!([1]), json!(null)] {
        let (result, _) = run_with(
            MfaEndpoint::Enrollments,
            static_secrets("tok"),
            vec![json_answer(200, body.clone())],
        );
        assert_eq!(result.outcome, LookupOutcome::Methods(body.clone()));
        assert_eq!(result.failure, None);
        assert!(crate::mfa::phone_enrollments(&body).is_err(), "{body}");
    }
}

#[test]
fn a_403_names_the_missing_scope_for_each_endpoint_and_is_not_retried() {
    let body = json!({"statusCode": 403, "error": "Forbidden", "message": "Insufficient scope"});
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![json_answer(403, body.clone())],
    );
    assert_failure(
        &result,
        MgmtFailure::Forbidden,
        "the Management API token lacks the read:authentication_methods scope needed for /authentication-methods (HTTP 403)",
    );
    assert_eq!(shim.sent.len(), 1);
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![json_answer(403, body)],
    );
    assert_failure(
        &result,
        MgmtFailure::Forbidden,
        "the Management API token lacks the read:users scope needed for /enrollments (HTTP 403)",
    );
    assert_eq!(shim.sent.len(), 1);
}

#[test]
fn a_404_is_no_such_user_and_other_statuses_are_bad_responses() {
    let (result, _) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![json_answer(
            404,
            json!({"statusCode": 404, "error": "Not Found", "message": "The user does not exist.", "errorCode": "inexistent_user"}),
        )],
    );
    assert_failure(
        &result,
        MgmtFailure::UserNotFound,
        "the Management API has no such user (HTTP 404)",
    );
    for (status, detail) in [
        (
            302,
            "the Management API answered HTTP 302 (a redirect: AUTH0_DOMAIN may name the wrong host)",
        ),
        (
            399,
            "the Management API answered HTTP 399 (a redirect: AUTH0_DOMAIN may name the wrong host)",
        ),
        (400, "the Management API answered HTTP 400"),
        (199, "the Management API answered HTTP 199"),
        (0, "the Management API answered HTTP 0"),
        (600, "the Management API answered HTTP 600"),
    ] {
        let (result, shim) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![response(status, &[("location", ORIGIN)], Body::Text(String::new()))],
        );
        assert_failure(&result, MgmtFailure::BadResponse, detail);
        assert_eq!(shim.sent.len(), 1);
    }
}

#[test]
fn content_types_html_pages_and_malformed_json_are_bad_responses() {
    let what = "the Management API answer";
    let cases: Vec<(Outcome, String)> = vec![
        (
            text_answer(200, Some("text/html; charset=utf-8"), "<!doctype html><h1>Service Unavailable</h1>"),
            format!("{what} has content type text/html and looks like an HTML page, not application/json"),
        ),
        (
            text_answer(200, Some("text/plain"), "  \n<p>x</p>"),
            format!("{what} has content type text/plain and looks like an HTML page, not application/json"),
        ),
        (
            response(200, &[("content-type", "text/plain")], Body::Json(json!({"start": 0, "total": 0, "authenticators": []}))),
            format!("{what} has content type text/plain, not application/json"),
        ),
        (
            text_answer(200, Some(""), "[]"),
            format!("{what} has no content type, not application/json"),
        ),
        (
            text_answer(200, None, "[]"),
            format!("{what} has no content type, not application/json"),
        ),
        // A plain media type (letters, digits, `.`, `+`, `-`) is quoted as it is.
        (
            text_answer(200, Some("application/vnd.api+json"), "{}"),
            format!("{what} has content type application/vnd.api+json, not application/json"),
        ),
        (
            text_answer(200, Some("audio/mp4"), "x"),
            format!("{what} has content type audio/mp4, not application/json"),
        ),
        (
            text_answer(200, Some("text/html<script>"), "x"),
            format!("{what} has an unexpected content type, not application/json"),
        ),
        (
            text_answer(200, Some("application/json-but-a-very-long-subtype-name-that-goes-on"), "x"),
            format!("{what} has an unexpected content type, not application/json"),
        ),
        (
            text_answer(200, Some("application/json"), "{\"start\":0,"),
            format!("{what} is not valid JSON"),
        ),
        (
            text_answer(200, Some("application/json"), ""),
            format!("{what} is not valid JSON"),
        ),
        (
            response(200, &[("content-type", "application/json")], Body::InvalidUtf8("[]".into())),
            "the Management API is not valid UTF-8".to_owned(),
        ),
    ];
    for (outcome, detail) in cases {
        let (result, shim) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![outcome],
        );
        assert_failure(&result, MgmtFailure::BadResponse, &detail);
        assert_eq!(shim.sent.len(), 1);
    }
    // Media types compare without case and parameters; JSON handed over as text is parsed.
    for outcome in [
        text_answer(200, Some("Application/JSON; charset=utf-8"), "[]"),
        text_answer(200, Some(" application/json "), " [] "),
    ] {
        let (result, _) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![outcome],
        );
        assert_eq!(result.outcome, LookupOutcome::Methods(json!([])));
    }
}

#[test]
fn transport_errors_map_to_their_failures() {
    let connection_failed = "the connection to the Management API failed";
    let others = [
        (
            TransportError::TooLarge,
            MgmtFailure::ResponseTooLarge,
            "the Management API sent more than 1048576 bytes; reading stopped",
        ),
        (
            TransportError::NoResponse,
            MgmtFailure::BadResponse,
            "the Management API gave no HTTP response",
        ),
        (
            TransportError::Unreadable,
            MgmtFailure::BadResponse,
            "the body from the Management API cannot be read",
        ),
        (
            TransportError::Timeout,
            MgmtFailure::Timeout,
            "the Management API did not answer within 1000 ms",
        ),
    ];
    let cases = transport_cases(connection_failed, MgmtFailure::Network, &others);
    for (error, failure, detail) in cases {
        let (result, shim) = run_with(
            MfaEndpoint::AuthenticationMethods,
            static_secrets("tok"),
            vec![failed(error)],
        );
        assert_failure(&result, failure, &detail);
        assert_eq!(shim.sent.len(), 1);
    }
}

// --- deadlines, rate limits, retries ------------------------------------------------------------

#[test]
fn nothing_is_sent_once_the_deadline_has_passed() {
    for (secrets, detail) in [
        (
            static_secrets("tok"),
            "the login deadline passed before the Management API could be asked",
        ),
        (
            client_secrets(),
            "the login deadline passed while waiting for a token",
        ),
    ] {
        for deadline_in in [-1.0, 0.0] {
            let memory = new_memory();
            let b = budget(1000.0, deadline_in);
            let mut shim = Shim::new(secrets.clone());
            let result = shim.run(&mut enrollments(b, &memory), &b);
            assert_failure(&result, MgmtFailure::Timeout, detail);
            assert_eq!(result.requests, 0);
        }
    }
    // A token in memory is still used; the lookup itself then cannot be asked.
    let memory = new_memory();
    let b = standard();
    let mut shim = Shim::new(client_secrets());
    shim.then(token_ok("tok", 86400.0))
        .then(json_answer(200, json!([])));
    shim.run(&mut enrollments(b, &memory), &b);
    let mut late = Shim::new(client_secrets());
    late.now = T0 + 10_000.0;
    let result = late.run(&mut enrollments(b, &memory), &b);
    assert_failure(
        &result,
        MgmtFailure::Timeout,
        "the login deadline passed before the Management API could be asked",
    );
}

#[test]
fn a_request_timeout_is_cut_by_the_deadline_and_says_so() {
    let memory = new_memory();
    let b = budget(2000.0, 300.0);
    let mut shim = Shim::new(client_secrets());
    shim.then_after(300.0, failed(TransportError::Timeout));
    let result = shim.run(&mut enrollments(b, &memory), &b);
    assert_failure(
        &result,
        MgmtFailure::Timeout,
        "the token endpoint did not answer before the login deadline (300 ms left)",
    );
    assert_eq!(shim.sent[0].timeout_ms, 300);
    // With the token warm, the same for the lookup itself; fractions of a ms are dropped.
    let warm = standard();
    let mut shim = Shim::new(client_secrets());
    shim.then(token_ok("tok", 86400.0))
        .then(json_answer(200, json!([])));
    shim.run(&mut enrollments(warm, &memory), &warm);
    let tight = budget(2000.0, 300.5);
    let mut shim = Shim::new(client_secrets());
    shim.then_after(300.0, failed(TransportError::Timeout));
    let result = shim.run(&mut enrollments(tight, &memory), &tight);
    assert_failure(
        &result,
        MgmtFailure::Timeout,
        "the Management API did not answer before the login deadline (300 ms left)",
    );
    assert_eq!(result.requests, 1);
}

#[test]
fn retry_after_and_x_ratelimit_reset_are_honoured() {
    // Seconds.
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![
            response(429, &[("retry-after", "1")], Body::Text(String::new())),
            json_answer(200, json!([])),
        ],
    );
    assert_eq!((result.failure, result.requests), (None, 2));
    assert_eq!(shim.waits, vec![(T0 + 20.0, T0 + 1020.0)]);
    assert_eq!(shim.send_times[1], T0 + 1020.0);
    // An HTTP date, and x-ratelimit-reset in Unix seconds (T0 is a whole second).
    let at = "Tue, 14 Nov 2023 22:13:21 GMT"; // T0 + 1 s
    for headers in [
        vec![("retry-after", at)],
        vec![("x-ratelimit-reset", "1700000001")],
    ] {
        let (result, shim) = run_with(
            MfaEndpoint::Enrollments,
            static_secrets("tok"),
            vec![
                response(429, &headers, Body::Text(String::new())),
                json_answer(200, json!([])),
            ],
        );
        assert_eq!(result.failure, None, "{headers:?}");
        assert_eq!(shim.waits, vec![(T0 + 20.0, T0 + 1000.0)], "{headers:?}");
    }
}

#[test]
fn a_429_whose_wait_would_pass_the_deadline_gives_up_at_once() {
    for (headers, wait) in [
        (vec![("retry-after", "5")], "5000"),
        (vec![("x-ratelimit-reset", "1700000030")], "29980"),
    ] {
        let (result, shim) = run_with(
            MfaEndpoint::Enrollments,
            static_secrets("tok"),
            vec![response(429, &headers, Body::Text(String::new()))],
        );
        assert_failure(
            &result,
            MgmtFailure::RateLimited,
            &format!("the Management API answered 429 and asked to wait {wait} ms, which would pass the login deadline"),
        );
        assert_eq!(shim.sent.len(), 1);
        assert!(shim.waits.is_empty());
    }
}

#[test]
fn a_429_is_retried_at_most_twice_and_blindly_only_once() {
    let limited = || response(429, &[("retry-after", "0")], Body::Text(String::new()));
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![limited(), limited(), limited()],
    );
    assert_failure(
        &result,
        MgmtFailure::RateLimited,
        "the Management API still answered 429 after 2 retries",
    );
    assert_eq!(shim.sent.len(), 3);
    // Without headers: one wait of 250 ms, one retry.
    let blind = || response(429, &[], Body::Text(String::new()));
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![blind(), json_answer(200, json!([]))],
    );
    assert_eq!(result.failure, None);
    assert_eq!(shim.waits, vec![(T0 + 20.0, T0 + 270.0)]);
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![blind(), blind()],
    );
    assert_failure(
        &result,
        MgmtFailure::RateLimited,
        "the Management API still answered 429 after 1 retries",
    );
    assert_eq!(shim.sent.len(), 2);
}

#[test]
fn a_5xx_is_retried_twice_after_100_and_300_ms() {
    let (result, shim) = run_with(
        MfaEndpoint::AuthenticationMethods,
        static_secrets("tok"),
        vec![
            json_answer(503, json!({"statusCode": 503})),
            json_answer(503, json!({"statusCode": 503})),
            json_answer(200, json!([])),
        ],
    );
    assert_eq!((result.failure, result.requests), (None, 3));
    assert_eq!(
        shim.waits,
        vec![(T0 + 20.0, T0 + 120.0), (T0 + 140.0, T0 + 440.0)]
    );
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        static_secrets("tok"),
        vec![
            json_answer(500, json!({})),
            json_answer(500, json!({})),
            json_answer(500, json!({})),
        ],
    );
    assert_failure(
        &result,
        MgmtFailure::ServerError,
        "the Management API answered HTTP 500, also after 2 retries",
    );
    assert_eq!(shim.sent.len(), 3);
    // No time left to retry.
    let memory = new_memory();
    let b = budget(1000.0, 150.0);
    let mut shim = Shim::new(static_secrets("tok"));
    shim.then(json_answer(502, json!({})));
    let result = shim.run(&mut enrollments(b, &memory), &b);
    assert_failure(
        &result,
        MgmtFailure::ServerError,
        "the Management API answered HTTP 502 and no time is left to retry",
    );
    assert_eq!(shim.sent.len(), 1);
}

#[test]
fn retries_start_afresh_for_the_request_after_a_token_refresh() {
    // Two 5xx before the 401 and two after: each GET has its own two retries.
    let five = || json_answer(500, json!({}));
    let (result, shim) = run_with(
        MfaEndpoint::Enrollments,
        client_secrets(),
        vec![
            token_ok("one", 86400.0),
            five(),
            five(),
            json_answer(401, json!({})),
            token_ok("two", 86400.0),
            five(),
            five(),
            json_answer(200, json!([])),
        ],
    );
    assert_eq!(result.failure, None);
    assert_eq!(result.requests, 8);
    assert_eq!(shim.posts(), 2);
}

// --- single flight ------------------------------------------------------------------------------

/// Steps `lookup` at `now` until it sends, waits or is done, answering secrets and cache steps
/// (api.cache is empty).
fn pump(lookup: &mut Lookup, now: f64, secrets: &[Option<String>]) -> Step {
    for _ in 0..20 {
        match lookup.next(now) {
            Step::Secrets { .. } => lookup.secrets(secrets.to_vec()),
            Step::CacheGet { .. } => lookup.cached(None),
            Step::CacheSet { .. } | Step::CacheDelete { .. } => {}
            other => return other,
        }
    }
    panic!("no send, wait or end");
}

fn sent(step: Step) -> Request {
    match step {
        Step::Send(request) => request,
        other => panic!("expected a send, got {other:?}"),
    }
}

fn waits_until(step: Step) -> f64 {
    match step {
        Step::Wait { until_ms } => until_ms,
        other => panic!("expected a wait, got {other:?}"),
    }
}

#[test]
fn two_interleaved_lookups_share_one_token_request() {
    let memory = new_memory();
    let s = client_secrets();
    let b = standard();
    let mut a = enrollments(b, &memory);
    let mut c = enrollments(b, &memory);
    let token = sent(pump(&mut a, T0, &s));
    assert_eq!(token.url, TOKEN_URL);
    // c finds a's request under way and polls.
    assert_eq!(waits_until(pump(&mut c, T0 + 1.0, &s)), T0 + 11.0);
    assert_eq!(waits_until(pump(&mut c, T0 + 11.0, &s)), T0 + 21.0);
    a.received(token_ok("shared", 86400.0));
    let a_get = sent(pump(&mut a, T0 + 25.0, &s));
    assert_eq!(header(&a_get, "authorization"), Some("Bearer shared"));
    let c_get = sent(pump(&mut c, T0 + 31.0, &s));
    assert_eq!(c_get.url, ENROLLMENTS);
    assert_eq!(header(&c_get, "authorization"), Some("Bearer shared"));
    for lookup in [&mut a, &mut c] {
        lookup.received(json_answer(200, json!([])));
        assert_eq!(pump(lookup, T0 + 50.0, &s), Step::Done);
    }
    assert_eq!(a.result().map(|r| r.requests), Some(2));
    assert_eq!(c.result().map(|r| r.requests), Some(1));

    // A token used once (too short-lived to keep) is still shared with those who waited.
    let memory = new_memory();
    let mut a = enrollments(b, &memory);
    let mut c = enrollments(b, &memory);
    sent(pump(&mut a, T0, &s));
    waits_until(pump(&mut c, T0, &s));
    a.received(token_ok("brief", 30.0));
    sent(pump(&mut a, T0 + 10.0, &s));
    let c_get = sent(pump(&mut c, T0 + 10.0, &s));
    assert_eq!(header(&c_get, "authorization"), Some("Bearer brief"));
}

#[test]
fn a_wait_for_another_lookup_never_passes_its_own_deadline_or_that_requests_end() {
    let memory = new_memory();
    let s = client_secrets();
    let mut a = enrollments(budget(1000.0, 5000.0), &memory);
    let mut c = enrollments(budget(1000.0, 15.0), &memory);
    sent(pump(&mut a, T0, &s)); // ends by T0 + 1000
    assert_eq!(waits_until(pump(&mut c, T0 + 8.0, &s)), T0 + 15.0);
    assert_eq!(pump(&mut c, T0 + 15.0, &s), Step::Done);
    let result = c.result().cloned().unwrap();
    assert_failure(
        &result,
        MgmtFailure::Timeout,
        "the login deadline passed while waiting for a token",
    );
    assert_eq!(result.requests, 0);
    // The poll never passes the end of the request it waits for.
    let mut d = enrollments(budget(1000.0, 5000.0), &memory);
    assert_eq!(waits_until(pump(&mut d, T0 + 995.0, &s)), T0 + 1000.0);
}

#[test]
fn a_joiner_whose_owner_timed_out_asks_again_within_its_own_deadline() {
    let memory = new_memory();
    let s = client_secrets();
    let hurried = budget(2000.0, 150.0);
    let patient = budget(2000.0, 3000.0);
    let mut a = enrollments(hurried, &memory);
    let mut c = enrollments(patient, &memory);
    let first = sent(pump(&mut a, T0, &s));
    assert_eq!(first.timeout_ms, 150);
    waits_until(pump(&mut c, T0 + 1.0, &s));
    // Polling the flight it joined, while it runs, keeps c's one chance to ask again.
    waits_until(pump(&mut c, T0 + 11.0, &s));
    a.received(failed(TransportError::Timeout));
    assert_eq!(pump(&mut a, T0 + 150.0, &s), Step::Done);
    assert_eq!(
        a.result().and_then(|r| r.failure),
        Some(MgmtFailure::Timeout)
    );
    // c notices at its next poll and starts its own request.
    let second = sent(pump(&mut c, T0 + 151.0, &s));
    assert_eq!(second.url, TOKEN_URL);
    assert_eq!(second.timeout_ms, 2000);
    c.received(token_ok("tok", 86400.0));
    sent(pump(&mut c, T0 + 200.0, &s));
    c.received(json_answer(200, json!([])));
    assert_eq!(pump(&mut c, T0 + 220.0, &s), Step::Done);
    let result = c.result().cloned().unwrap();
    assert_eq!((result.failure, result.requests), (None, 2));
}

#[test]
fn a_token_request_waiting_to_retry_is_still_joined() {
    let memory = new_memory();
    let s = client_secrets();
    let b = standard();
    let mut a = enrollments(b, &memory);
    let mut c = enrollments(b, &memory);
    sent(pump(&mut a, T0, &s));
    a.received(json_answer(503, json!({})));
    // a backs off 100 ms before asking again; its request is still under way for c.
    assert_eq!(waits_until(pump(&mut a, T0 + 10.0, &s)), T0 + 110.0);
    assert_eq!(waits_until(pump(&mut c, T0 + 20.0, &s)), T0 + 30.0);
    assert_eq!(waits_until(pump(&mut c, T0 + 1_100.0, &s)), T0 + 1_110.0);
    // An owner that never came back from its wait holds nobody past the retry's own timeout.
    assert_eq!(sent(pump(&mut c, T0 + 1_115.0, &s)).url, TOKEN_URL);
}

/// What a joiner makes of its owner's failure: `cases` are (the owner's answer, the budget of
/// both, when both look again, the failure and detail the joiner must share, sending nothing).
#[test]
fn a_joiner_shares_its_owners_failure_when_it_cannot_ask_again() {
    let cases = [
        // Without time left, even a timeout is shared.
        (
            failed(TransportError::Timeout),
            budget(2000.0, 150.0),
            150.0,
            MgmtFailure::Timeout,
            "the token endpoint did not answer before the login deadline (150 ms left)",
        ),
        // Any other failure is shared, with time left or not.
        (
            json_answer(401, json!({"error": "access_denied"})),
            standard(),
            20.0,
            MgmtFailure::TokenFailed,
            "the token endpoint rejected MANAGEMENT_CLIENT_ID / MANAGEMENT_CLIENT_SECRET (HTTP 401)",
        ),
    ];
    let s = client_secrets();
    for (answer, joiner_budget, later, failure, detail) in cases {
        let memory = new_memory();
        let mut a = enrollments(joiner_budget, &memory);
        let mut c = enrollments(joiner_budget, &memory);
        sent(pump(&mut a, T0, &s));
        waits_until(pump(&mut c, T0 + 1.0, &s));
        a.received(answer);
        assert_eq!(pump(&mut a, T0 + later, &s), Step::Done);
        assert_eq!(pump(&mut c, T0 + later, &s), Step::Done);
        let result = c.result().cloned().unwrap();
        assert_failure(&result, failure, detail);
        assert_eq!(result.requests, 0);
    }
}

#[test]
fn a_stale_pending_mark_is_ignored_and_a_dropped_owner_takes_its_mark_along() {
    let memory = new_memory();
    let s = client_secrets();
    let b = standard();
    let mut a = enrollments(b, &memory);
    let first = sent(pump(&mut a, T0, &s));
    assert_eq!(first.timeout_ms, 1000);
    // a never answers; at its request's end nobody waits for it any more.
    let mut c = enrollments(budget(1000.0, 6000.0), &memory);
    assert_eq!(sent(pump(&mut c, T0 + 1000.0, &s)).url, TOKEN_URL);

    // An owner dropped mid-request: the lookup that waited asks at its next poll.
    let memory = new_memory();
    let mut a = enrollments(b, &memory);
    let mut c = enrollments(b, &memory);
    sent(pump(&mut a, T0, &s));
    waits_until(pump(&mut c, T0, &s));
    drop(a);
    assert_eq!(sent(pump(&mut c, T0 + 10.0, &s)).url, TOKEN_URL);
    // And clearing the memory mid-request leaves no one waiting forever.
    let mut d = enrollments(b, &memory);
    waits_until(pump(&mut d, T0 + 11.0, &s));
    memory.borrow_mut().clear();
    assert_eq!(sent(pump(&mut d, T0 + 21.0, &s)).url, TOKEN_URL);
}

#[test]
fn a_refresh_uses_a_token_another_lookup_already_renewed() {
    let memory = new_memory();
    let s = client_secrets();
    let b = standard();
    let mut shim = Shim::new(s.clone());
    shim.then(token_ok("old", 86400.0))
        .then(json_answer(200, json!([])));
    shim.run(&mut enrollments(b, &memory), &b);
    // Two lookups get 401 with "old"; the first renews, the second uses the renewed token.
    let mut a = enrollments(b, &memory);
    let mut c = enrollments(b, &memory);
    sent(pump(&mut a, T0 + 100.0, &s));
    sent(pump(&mut c, T0 + 100.0, &s));
    a.received(json_answer(401, json!({})));
    assert_eq!(sent(pump(&mut a, T0 + 120.0, &s)).url, TOKEN_URL);
    a.received(token_ok("new", 86400.0));
    sent(pump(&mut a, T0 + 140.0, &s));
    c.received(json_answer(401, json!({})));
    let retry = sent(pump(&mut c, T0 + 150.0, &s));
    assert_eq!(header(&retry, "authorization"), Some("Bearer new"));
}

// --- out of order -------------------------------------------------------------------------------

#[test]
fn calls_out_of_order_never_panic_and_are_ignored_or_read_as_no_answer() {
    let memory = new_memory();
    let b = standard();
    let mut lookup = enrollments(b, &memory);
    // Answers before any question.
    lookup.received(json_answer(200, json!([])));
    lookup.cached(Some(CacheEntry::default()));
    assert!(lookup.result().is_none());
    assert_eq!(
        lookup.next(T0),
        Step::Secrets {
            names: SECRET_NAMES
        }
    );
    lookup.received(json_answer(200, json!([])));
    lookup.cached(None);
    lookup.secrets(static_secrets("tok"));
    lookup.secrets(secrets(&[])); // a second answer is ignored
    let request = sent(lookup.next(T0));
    assert_eq!(header(&request, "authorization"), Some("Bearer tok"));
    lookup.secrets(secrets(&[]));
    lookup.cached(None);
    lookup.received(json_answer(200, json!([{"id": "x"}])));
    lookup.received(json_answer(500, json!({}))); // ignored: one answer per request
    assert_eq!(lookup.next(T0 + 10.0), Step::Done);
    assert_eq!(
        lookup.result().map(|r| r.outcome.clone()),
        Some(LookupOutcome::Methods(json!([{"id": "x"}])))
    );
    // After the end everything is ignored.
    lookup.received(json_answer(500, json!({})));
    lookup.secrets(vec![]);
    lookup.cached(None);
    assert_eq!(lookup.next(T0 + 20.0), Step::Done);
    assert_eq!(lookup.result().map(|r| r.requests), Some(1));

    // Asked again without an answer: no secrets, no cache entry, no response.
    let mut lookup = enrollments(b, &memory);
    lookup.next(T0);
    assert_eq!(lookup.next(T0), Step::Done);
    assert_eq!(
        lookup.result().and_then(|r| r.failure),
        Some(MgmtFailure::NotConfigured)
    );
    let mut lookup = enrollments(b, &new_memory());
    lookup.next(T0);
    lookup.secrets(client_secrets());
    assert!(matches!(lookup.next(T0), Step::CacheGet { .. }));
    let token = sent(lookup.next(T0)); // no cache answer: no entry
    assert_eq!(token.url, TOKEN_URL);
    assert_eq!(lookup.next(T0 + 5.0), Step::Done); // no response
    let result = lookup.result().cloned().unwrap();
    assert_failure(
        &result,
        MgmtFailure::TokenFailed,
        "token request: the token endpoint gave no HTTP response",
    );
    assert_eq!(result.requests, 1);
    let mut lookup = enrollments(b, &memory);
    lookup.next(T0);
    lookup.secrets(static_secrets("tok"));
    sent(lookup.next(T0));
    assert_eq!(lookup.next(T0), Step::Done);
    assert_eq!(
        lookup.result().map(|r| r.detail.as_str()),
        Some("the Management API gave no HTTP response")
    );
    // A result answered during a wait is not taken for the retried request's answer.
    let mut lookup = enrollments(b, &memory);
    lookup.next(T0);
    lookup.secrets(static_secrets("tok"));
    sent(lookup.next(T0));
    lookup.received(json_answer(503, json!({})));
    waits_until(lookup.next(T0));
    lookup.received(json_answer(200, json!([{"id": "early"}])));
    sent(lookup.next(T0 + 100.0));
    lookup.received(json_answer(200, json!([])));
    assert_eq!(lookup.next(T0 + 120.0), Step::Done);
    assert_eq!(
        lookup.result().map(|r| (r.outcome.clone(), r.requests)),
        Some((LookupOutcome::Methods(json!([])), 2))
    );
}
