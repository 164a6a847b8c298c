//! Runs the login scenarios of `logins.json` through the post-login handler the Action uses
//! (`CompiledConfig`, its paths, `plan`, and the `Login` machine driven to its decision), and
//! each login once more through the hot path the shim takes (`slotBuffer`, `decide`,
//! `answerBuffer`), whose status and answer bytes must agree with the decision.
//! Compiled natively by `tests/scenarios.rs` and into the wasm suite by `tests/common/mod.rs`, so
//! the same table shows that Node and Chromium decide exactly as the native build.
//!
//! A scenario's `lookup.report` says what the Management API lookup came to: `{"ok": true,
//! "methods": [...]}` is answered as the API answers it (one page), a failure by the transport
//! outcome that produces its code, `mgmt_not_configured` by secrets that do not set it up.

use login_claims::engine::login::Planned;
use login_claims::event::{encode_slot, EventView};
use login_claims::transport::{Body, Machine, Outcome, Response, Step, TransportError};
use login_claims::wasm::JsCompiledConfig;
use login_claims::CompiledConfig;
use serde_json::{Map, Value};

const TABLE: &str = include_str!("logins.json");

/// The slot records of an event, read the way js/action/core.js `readSlot` reads it: own keys
/// only, no value (or null) is a missing record, a string or boolean its own record, anything
/// else its JSON (see [`login_claims::event`]).
pub fn slots(paths_json: &str, event: &Value) -> Vec<u8> {
    let paths: Vec<Vec<String>> = serde_json::from_str(paths_json).unwrap_or_default();
    let mut records = Vec::new();
    for segments in &paths {
        encode_slot(&mut records, read(event, segments));
    }
    records
}

/// The value at a path, through own keys only; `None` where the path leaves the event.
fn read<'a>(event: &'a Value, segments: &[String]) -> Option<&'a Value> {
    segments
        .iter()
        .try_fold(event, |value, segment| match value {
            Value::Object(map) => map.get(segment.as_str()),
            // An array's own keys are its indices, written as JS writes them ("1", not "01").
            Value::Array(items) => segment
                .parse::<usize>()
                .ok()
                .filter(|i| i.to_string() == *segment)
                .and_then(|i| items.get(i)),
            _ => None,
        })
}

/// The slot records of an event, for a compiled configuration.
pub fn slots_for(compiled: &JsCompiledConfig, event: &Value) -> Vec<u8> {
    slots(&layout_paths(compiled), event)
}

/// The hot path the shim takes (`slotBuffer`, `decide`, `answerBuffer`), on a handler of its
/// own (a setup line is logged once per handler): its status and answer agree with `decision`,
/// the decision `plan` rendered (`None`: `plan` asked for a lookup). The problems found.
fn check_hot_path(config: &str, records: &[u8], decision: Option<&Value>) -> Vec<String> {
    let Ok(mut compiled) = JsCompiledConfig::with_options(config, Some(&[])) else {
        return vec!["config does not compile for the hot path".to_owned()];
    };
    let status = match decide(&mut compiled, records, true) {
        Ok(status) => status,
        Err(code) => return vec![format!("decide refused the slots that plan took: {code}")],
    };
    let Some(decision) = decision else {
        return if status == status::LOOKUP {
            Vec::new()
        } else {
            vec![format!(
                "decide answered {status:#x} where plan asked for a lookup"
            )]
        };
    };
    let mut problems = Vec::new();
    let flag = |bit: u32| status & bit != 0;
    let phone = decision["idToken"]["phone_number"].as_str();
    let expected = [
        ("LOOKUP", flag(status::LOOKUP), false),
        ("PHONE", flag(status::PHONE), phone.is_some()),
        (
            "VERIFIED",
            flag(status::VERIFIED),
            decision["idToken"]["phone_number_verified"] == true,
        ),
        ("LOG", flag(status::LOG), decision.get("log").is_some()),
        ("DENY", flag(status::DENY), decision["deny"] == true),
        (
            "LOOKUP_FAILED",
            flag(status::LOOKUP_FAILED),
            decision["lookupFailed"] == true,
        ),
    ];
    for (name, got, want) in expected {
        if got != want {
            problems.push(format!(
                "decide's {name} bit is {got}, the decision says {want}"
            ));
        }
    }
    let layout = parse(&compiled.layout_json());
    let claims = layout["claims"].as_array().cloned().unwrap_or_default();
    let length = (status >> 8 & 0xff) as usize;
    let answer = answer_bytes(&compiled, claims.len() + length);
    for (claim, &set) in claims.iter().zip(&answer) {
        let token = claim["token"].as_str().unwrap_or_default();
        let name = claim["name"].as_str().unwrap_or_default();
        let in_decision = decision[token].get(name).is_some();
        if (set == 1) != in_decision || set > 1 {
            problems.push(format!(
                "answer flag {set} for {token}.{name}, set: {in_decision}"
            ));
        }
    }
    let number = answer.get(claims.len()..).unwrap_or_default();
    if phone.map_or(0, str::len) != length || phone.is_some_and(|p| p.as_bytes() != number) {
        problems.push(format!(
            "the answer's number is {:?} ({length} bytes), the decision's {phone:?}",
            String::from_utf8_lossy(number)
        ));
    }
    problems
}

/// The documented status bits of `decide` (src/boundary/post_login.rs `status`).
pub mod status {
    pub const LOOKUP: u32 = 1;
    pub const PHONE: u32 = 2;
    pub const VERIFIED: u32 = 4;
    pub const LOG: u32 = 8;
    pub const DENY: u32 = 16;
    pub const LOOKUP_FAILED: u32 = 32;
    pub const FAULT: u32 = 64;
}

/// Writes `records` into the buffer `slotBuffer` lends, as the shim does through the wasm
/// memory, and calls `decide`: its status, or the code the shim throws for a fault.
pub fn decide(
    compiled: &mut JsCompiledConfig,
    records: &[u8],
    explain: bool,
) -> Result<u32, &'static str> {
    let buffer = compiled.slot_buffer(records.len());
    // SAFETY: `slotBuffer(n)` lends at least n writable bytes, valid until the handler's next
    // call; the slice is gone before `decide`.
    unsafe { std::slice::from_raw_parts_mut(buffer, records.len()) }.copy_from_slice(records);
    let status = compiled.decide(records.len(), explain, 1_000.0);
    if status & status::FAULT != 0 {
        // The shim throws INPUT_INVALID with the engine's reason.
        return Err(match compiled.take_fault() {
            Some(_) => "INPUT_INVALID",
            None => "FAULT without a reason",
        });
    }
    Ok(status)
}

/// The first `length` bytes of the answer buffer.
pub fn answer_bytes(compiled: &JsCompiledConfig, length: usize) -> Vec<u8> {
    // SAFETY: the answer buffer holds one byte per custom claim and 255 for the number; it is
    // fixed for the handler's life and read before its next call.
    unsafe { std::slice::from_raw_parts(compiled.answer_buffer(), length) }.to_vec()
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

/// How many slots the configuration reads.
fn compiled_paths(compiled: &JsCompiledConfig) -> usize {
    parse(&layout_paths(compiled))
        .as_array()
        .map_or(0, Vec::len)
}

/// The `paths` of the layout the shim reads once, as JSON text.
fn layout_paths(compiled: &JsCompiledConfig) -> String {
    parse(&compiled.layout_json())["paths"].to_string()
}

/// The problems of one scenario; empty when the engine decided as the table says.
fn check(scenario: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    let config = scenario.get("config").cloned().unwrap_or(Value::Null);
    let event = scenario.get("event").cloned().unwrap_or(Value::Null);
    let Ok(compiled) = JsCompiledConfig::with_options(&config.to_string(), Some(&[])) else {
        return vec![format!("config does not compile: {config}")];
    };
    let records = slots_for(&compiled, &event);
    let Ok(planned) = compiled.plan_native(&records, true, 1_000.0) else {
        return vec!["plan refused the slots".to_owned()];
    };
    let decision = match (planned, scenario.get("lookup")) {
        (Planned::Done(verdict), None) => {
            // The boundary renders a verdict with its handler's configuration; the same text
            // compiles to the same configuration.
            let (Ok(native), Ok(view)) = (
                CompiledConfig::compile_str(&config.to_string()),
                EventView::from_slot_bytes(&records[..], compiled_paths(&compiled)),
            ) else {
                return vec!["the configuration or the slots do not read natively".to_owned()];
            };
            let decision = serde_json::to_value(verdict.render(&native, &view)).unwrap_or_default();
            problems.extend(check_hot_path(
                &config.to_string(),
                &records,
                Some(&decision),
            ));
            decision
        }
        (Planned::Done(_), Some(_)) => {
            return vec!["expected a lookup, the plan decided without one".to_owned()]
        }
        (Planned::Lookup(mut login), Some(lookup)) => {
            problems.extend(check_hot_path(&config.to_string(), &records, None));
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
