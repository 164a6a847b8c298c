//! Runs the login scenarios of `logins.json` through the boundary functions the Action uses
//! (`CompiledConfig::new`, `pathsJson`, `plan`, `finish`). Compiled natively by
//! `tests/scenarios.rs` and into the wasm suite by `tests/common/mod.rs`, so the same table shows
//! that Node and Chromium decide exactly as the native build.

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
    let Ok(compiled) = JsCompiledConfig::new(&config.to_string()) else {
        return vec![format!("config does not compile: {config}")];
    };
    let slot_text = slots(&compiled.paths_json(), &event);
    let Ok(plan) = compiled.plan(&slot_text, true) else {
        return vec!["plan refused the slots".to_owned()];
    };
    let mut decision = parse(&plan);
    match (decision["status"].as_str(), scenario.get("lookup")) {
        (Some("lookup"), Some(lookup)) => {
            if decision["lookup"] != lookup["expect"] {
                problems.push(format!(
                    "lookup asked {} expected {}",
                    decision["lookup"], lookup["expect"]
                ));
            }
            match compiled.finish(&slot_text, &lookup["report"].to_string(), true) {
                Ok(done) => decision = parse(&done),
                Err(_) => return vec!["finish refused its input".to_owned()],
            }
        }
        (Some("lookup"), None) => problems.push(format!(
            "asked for a lookup the table does not expect: {}",
            decision["lookup"]
        )),
        (_, Some(_)) => problems.push("expected a lookup, the plan decided without one".to_owned()),
        _ => {}
    }
    if decision["status"] != "done" {
        problems.push(format!("not decided: {decision}"));
        return problems;
    }
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
