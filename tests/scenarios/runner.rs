//! Runs the login scenarios of `logins.json` through the post-login handler the Action uses
//! (`CompiledConfig`, its paths, `plan`, and the `Login` machine driven to its decision).
//! Compiled natively by `tests/scenarios.rs` and into the wasm suite by `tests/common/mod.rs`, so
//! the same table shows that Node and Chromium decide exactly as the native build.
//!
//! A scenario's `lookup.report` says what the Management API lookup came to: `{"ok": true,
//! "methods": [...]}` is answered as the API answers it (one page), a failure by the transport
//! outcome that produces its code, `mgmt_not_configured` by secrets that do not set it up.

use login_claims::engine::login::Planned;
use login_claims::transport::{Body, Machine, Outcome, Response, Step, TransportError};
use login_claims::wasm::JsCompiledConfig;
use serde_json::{Map, Value};

const TABLE: &str = include_str!("logins.json");

/// The slot text of an event, read the way js/core.js `readSlot` reads it: own keys only, no
/// value (or null) is an empty line, anything else its JSON.
pub fn slots(paths_json: &str, event: &Value) -> String {
    let paths: Vec<Vec<String>> = serde_json::from_str(paths_json).unwrap_or_default();
    paths
        .iter()
        .map(|segments| {
            let mut value = event;
            for segment in segments {
                let next = match value {
                    Value::Object(map) => map.get(segment.as_str()),
                    Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                match next {
                    Some(v) => value = v,
                    None => return String::new(),
                }
            }
            if value.is_null() {
                String::new()
            } else {
                value.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// The problems of one scenario; empty when the engine decided as the table says.
fn check(scenario: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let config = scenario.get("config").cloned().unwrap_or(Value::Null);
    let event = scenario.get("event").cloned().unwrap_or(Value::Null);
    let Ok(compiled) = JsCompiledConfig::with_options(&config.to_string(), Some(&[])) else {
        return vec![format!("config does not compile: {config}")];
    };
    let slot_text = slots(&compiled.paths_json(), &event);
    let Ok(planned) = compiled.plan_native(&slot_text, true, 1_000.0) else {
        return vec!["plan refused the slots".to_owned()];
    };
    let decision = match (planned, scenario.get("lookup")) {
        (Planned::Done(decision), None) => serde_json::to_value(&decision).unwrap_or_default(),
        (Planned::Done(_), Some(_)) => {
            return vec!["expected a lookup, the plan decided without one".to_owned()]
        }
        (Planned::Lookup(mut login), Some(lookup)) => {
            let report = &lookup["report"];
            let mut now = 1_000.0;
            let mut asked = Vec::new();
            for _ in 0..100 {
                match login.next(now) {
                    Step::Done => break,
                    Step::Secrets { .. } => login.secrets(secrets(report)),
                    Step::Send(request) => {
                        asked.push(request.url.clone());
                        now += 5.0;
                        login.received(answer(report));
                    }
                    Step::Wait { until_ms } => now = until_ms,
                    Step::CacheGet { .. } => login.cached(None),
                    Step::CacheSet { .. } | Step::CacheDelete { .. } => {}
                }
            }
            let expect = &lookup["expect"];
            let path = match expect["endpoint"].as_str() {
                Some("enrollments") => "/enrollments",
                _ => "/authentication-methods",
            };
            let user = expect["userId"].as_str().unwrap_or("");
            let wanted = format!("/users/{}{path}", user.replace('|', "%7C"));
            if report["ok"] == true && !asked.iter().any(|url| url.contains(&wanted)) {
                problems.push(format!("lookup asked {asked:?}, expected {wanted}"));
            }
            match compiled.finish_native(&mut login) {
                Some(text) => parse(&text),
                None => return vec!["the login machine never finished".to_owned()],
            }
        }
        (Planned::Lookup(_), None) => {
            return vec!["asked for a lookup the table does not expect".to_owned()]
        }
    };
    for token in ["idToken", "accessToken"] {
        if decision[token] != scenario[token] {
            problems.push(format!(
                "{token} is {} expected {}",
                decision[token], scenario[token]
            ));
        }
    }
    let lookup_failed = scenario
        .get("lookupFailed")
        .cloned()
        .unwrap_or(Value::Bool(false));
    if decision["lookupFailed"] != lookup_failed {
        problems.push(format!(
            "lookupFailed is {} expected {lookup_failed}",
            decision["lookupFailed"]
        ));
    }
    let trace = decision["trace"].as_array().cloned().unwrap_or_default();
    let keys = ["token", "claim", "outcome", "reason", "source"];
    for wanted in scenario["reasons"].as_array().into_iter().flatten() {
        let wanted = wanted.as_array().cloned().unwrap_or_default();
        let found = trace.iter().any(|entry| {
            wanted
                .iter()
                .zip(keys)
                .all(|(value, key)| entry.get(key) == Some(value))
        });
        if !found {
            problems.push(format!(
                "no trace entry {} in {}",
                Value::Array(wanted),
                Value::Array(trace.clone())
            ));
        }
    }
    problems
}

/// The secrets of a scenario: a static token on a tenant, or none for `mgmt_not_configured`.
fn secrets(report: &Value) -> Vec<Option<String>> {
    if report["reason"] == "mgmt_not_configured" {
        return vec![None; 5];
    }
    vec![
        Some("tenant.example.com".to_owned()),
        None,
        None,
        None,
        Some("static-token".to_owned()),
    ]
}

/// What the API answers: the methods, or the outcome that fails with the report's reason.
fn answer(report: &Value) -> Outcome {
    let json = |status: u16, body: Value| {
        Outcome::Response(Response {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: Body::Json(body),
        })
    };
    match report["reason"].as_str() {
        None => json(200, report["methods"].clone()),
        Some("mgmt_timeout") => Outcome::Failed(TransportError::Timeout),
        Some("mgmt_forbidden") => json(403, Value::Null),
        Some("mgmt_user_not_found") => json(404, Value::Null),
        Some(_) => json(500, Value::Null),
    }
}

/// Every scenario of the table; panics naming each one that decided otherwise.
pub fn run_all() -> usize {
    let table = parse(TABLE);
    let scenarios = table["scenarios"].as_array().cloned().unwrap_or_default();
    assert!(
        scenarios.len() >= 15,
        "the table did not parse: {TABLE:.80}"
    );
    let mut failures = Vec::new();
    for scenario in &scenarios {
        let name = scenario["name"].as_str().unwrap_or("(unnamed)");
        let Some(fields) = scenario.as_object() else {
            failures.push(format!("{name}: not an object"));
            continue;
        };
        for problem in check(fields) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    scenarios.len()
}
