//! Runs the first step of a login (`plan`, without the trace, as the post-login handler does)
//! over the slot texts that bench/callgrind.sh wrote from the warm benchmark's events, and the
//! serialisation of each decision, so that callgrind sees the work the wasm does per login.
//!
//! Usage: login-claims-bench-native INPUT.json [ITERATIONS]
//! INPUT.json: {"config": <configuration>, "slots": ["slot text", ...]}

use login_claims::{CompiledConfig, EventView, Plan};
use serde_json::Value;
use std::time::Instant;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let input = args
        .next()
        .ok_or("usage: login-claims-bench-native INPUT.json [ITERATIONS]")?;
    let iterations: usize = match args.next() {
        Some(text) => text.parse().map_err(|_| format!("not a count: {text}"))?,
        None => 100_000,
    };
    let text = std::fs::read_to_string(&input).map_err(|e| format!("{input}: {e}"))?;
    let input: Value = serde_json::from_str(&text).map_err(|e| format!("{e}"))?;
    let config = input.get("config").ok_or("no config")?.to_string();
    let slots: Vec<&str> = input
        .get("slots")
        .and_then(Value::as_array)
        .ok_or("no slots")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if slots.is_empty() {
        return Err("no slot texts".to_owned());
    }
    let compiled = CompiledConfig::compile_str(&config)
        .map_err(|issues| format!("invalid configuration: {} issue(s)", issues.len()))?;
    let expected = compiled.paths().len();
    let started = Instant::now();
    let mut bytes = 0usize;
    for i in 0..iterations {
        let slot_text = slots[i % slots.len()];
        let view = EventView::from_slot_text(slot_text, expected)
            .map_err(|m| format!("expected {} slots, got {}", m.expected, m.found))?;
        bytes += match compiled.plan_with(&view, false) {
            Plan::Done(decision) => serde_json::to_string(&decision).map_or(0, |s| s.len()),
            Plan::Lookup(request) => serde_json::to_string(&request).map_or(0, |s| s.len()),
        };
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{} plans, {:.0} ns each natively ({} bytes of decisions)",
        iterations,
        elapsed.as_nanos() as f64 / iterations as f64,
        bytes
    );
    Ok(())
}
