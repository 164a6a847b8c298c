//! Runs what the post-login module's `decide` runs per login (the slot records framed into an
//! [`EventView`], the decision from the event alone, without the trace) over the records that
//! bench/callgrind.sh wrote from the warm benchmark's events with the shim's own writer, so that
//! callgrind sees the work the wasm does per login.
//!
//! Usage: login-claims-bench-native INPUT.json [ITERATIONS]
//! INPUT.json: {"config": <configuration>, "records": [[byte, ...], ...]}

use login_claims::engine::login::Handler;
use login_claims::options::{self, HandlerKind};
use login_claims::{CompiledConfig, EventView};
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
    let records: Vec<Vec<u8>> = input
        .get("records")
        .and_then(Value::as_array)
        .ok_or("no records")?
        .iter()
        .map(|login| {
            login
                .as_array()
                .map(|bytes| {
                    bytes
                        .iter()
                        .filter_map(Value::as_u64)
                        .map(|b| b as u8)
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    if records.is_empty() {
        return Err("no slot records".to_owned());
    }
    let compiled = CompiledConfig::compile_str(&config)
        .map_err(|issues| format!("invalid configuration: {} issue(s)", issues.len()))?;
    let expected = compiled.paths().len();
    let options = options::check(HandlerKind::PostLogin, Some(&[]))?;
    let handler = Handler::new(compiled, options);
    let started = Instant::now();
    let mut claims = 0usize;
    for i in 0..iterations {
        let bytes = &records[i % records.len()];
        let view =
            EventView::from_slot_bytes(bytes.as_slice(), expected).map_err(|e| e.message())?;
        match handler.decide(&view, false) {
            Ok(verdict) => claims += verdict.set.len() + usize::from(verdict.phone.is_some()),
            Err(_) => return Err("a benchmark login asked for a lookup".to_owned()),
        }
    }
    let elapsed = started.elapsed();
    eprintln!(
        "{} decisions, {:.0} ns each natively ({} claims set)",
        iterations,
        elapsed.as_nanos() as f64 / iterations as f64,
        claims
    );
    Ok(())
}
