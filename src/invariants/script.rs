//! Response sequences from raw bytes, and a driver that plays them to a machine while checking
//! what the machine asks for.
//!
//! The bytes are chunks separated by `0xFF`. A chunk is `[kind, status_hi, status_lo, latency,
//! headers, body...]`: `kind % 8` below 5 is an HTTP response, 5 a timeout, 6 a network error,
//! 7 another transport failure; `kind & 0x80` moves the clock backwards instead of forwards;
//! the status is taken modulo 1000; the latency is 20 ms steps; `headers` bits add a JSON or
//! HTML content type, `retry-after` (seconds or a date), `x-ratelimit-reset`, a Twilio-style
//! `content-type` with parameters. The body is JSON when it parses and the request asked for
//! JSON, else text, else (not UTF-8) its lossy decoding. A script that has run out answers
//! every request with a refused connection.

use crate::transport::{
    Body, BodyAs, CacheEntry, Machine, NetworkPhase, Outcome, Response, Step, TransportError,
};
use std::collections::HashMap;

/// More steps than any machine may take: 20 pages, each with its retries and waits, a token
/// with its retries, a 401 refresh and its retries, joins, cache calls.
pub const MAX_STEPS: usize = 2_000;

/// Secrets a detail must never quote.
pub const FUZZ_SECRET_VALUES: &[&str] = &["fuzz-client-secret-0123", "fuzz-static-token-0123"];

/// The Management API secrets of a fuzzed lookup, in `SECRET_NAMES` order.
pub fn fuzz_secrets(static_token: bool) -> Vec<Option<String>> {
    let some = |s: &str| Some(s.to_owned());
    if static_token {
        vec![
            some("tenant.example.com"),
            None,
            None,
            None,
            some(FUZZ_SECRET_VALUES[1]),
        ]
    } else {
        vec![
            some("tenant.example.com"),
            None,
            some("fuzz-client"),
            some(FUZZ_SECRET_VALUES[0]),
            None,
        ]
    }
}

/// The answers a fuzz input gives.
pub struct Script<'a> {
    chunks: Vec<&'a [u8]>,
    next: usize,
    secrets: Vec<Option<String>>,
    cache: HashMap<String, (String, f64)>,
}

impl<'a> Script<'a> {
    pub fn new(bytes: &'a [u8]) -> Script<'a> {
        Script {
            chunks: bytes.split(|b| *b == 0xFF).collect(),
            next: 0,
            secrets: fuzz_secrets(false),
            cache: HashMap::new(),
        }
    }

    pub fn with_secrets(mut self, secrets: Vec<Option<String>>) -> Script<'a> {
        self.secrets = secrets;
        self
    }

    /// The next answer to a request, and how far the clock moves (negative: backwards).
    fn answer(&mut self, body_as: BodyAs) -> (Outcome, f64) {
        let Some(chunk) = self.chunks.get(self.next).copied() else {
            let refused = TransportError::Network {
                phase: NetworkPhase::Connecting,
                code: Some("ECONNREFUSED".to_owned()),
            };
            return (Outcome::Failed(refused), 1.0);
        };
        self.next += 1;
        let byte = |i: usize| chunk.get(i).copied().unwrap_or(0);
        let kind = byte(0);
        let latency = f64::from(byte(3)) * 20.0;
        let clock = if kind & 0x80 == 0 { latency } else { -latency };
        let outcome = match kind % 8 {
            5 => Outcome::Failed(TransportError::Timeout),
            6 => Outcome::Failed(TransportError::Network {
                phase: if kind & 8 == 0 {
                    NetworkPhase::Connecting
                } else {
                    NetworkPhase::ReadingBody
                },
                code: std::str::from_utf8(chunk.get(5..).unwrap_or(&[]))
                    .ok()
                    .map(str::to_owned),
            }),
            7 => Outcome::Failed(match (kind >> 3) % 3 {
                0 => TransportError::TooLarge,
                1 => TransportError::NoResponse,
                _ => TransportError::Unreadable,
            }),
            _ => Outcome::Response(response(chunk, body_as)),
        };
        (outcome, clock)
    }
}

fn response(chunk: &[u8], body_as: BodyAs) -> Response {
    let byte = |i: usize| chunk.get(i).copied().unwrap_or(0);
    let status = u16::from_be_bytes([byte(1), byte(2)]) % 1000;
    let flags = byte(4);
    let mut headers = Vec::new();
    let mut header = |name: &str, value: String| headers.push((name.to_owned(), value));
    match flags & 3 {
        1 => header("content-type", "application/json".to_owned()),
        2 => header("content-type", "text/html; charset=utf-8".to_owned()),
        3 => header("content-type", "Application/JSON; charset=utf-8".to_owned()),
        _ => {}
    }
    if flags & 4 != 0 {
        header("retry-after", (byte(3) % 4).to_string());
    }
    if flags & 8 != 0 {
        header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT".to_owned());
    }
    if flags & 16 != 0 {
        header("x-ratelimit-reset", "1001".to_owned());
    }
    if flags & 32 != 0 {
        header("retry-after", "junk".to_owned());
    }
    let raw = chunk.get(5..).unwrap_or(&[]);
    let body = match std::str::from_utf8(raw) {
        Err(_) => Body::InvalidUtf8(String::from_utf8_lossy(raw).into_owned()),
        Ok(text) => match (body_as, serde_json::from_str(text)) {
            (BodyAs::Json, Ok(value)) => Body::Json(value),
            _ => Body::Text(text.to_owned()),
        },
    };
    Response {
        status,
        headers,
        body,
    }
}

/// What a machine asked for while it was driven.
#[derive(Debug, Default)]
pub struct Driven {
    pub steps: usize,
    pub sends: usize,
    /// Every promise the machine broke, in words.
    pub broken: Vec<String>,
    pub done: bool,
}

impl Driven {
    /// Panics with every broken promise, or when the machine never finished.
    pub fn check(&self, _deadline: f64) {
        assert!(self.broken.is_empty(), "{}", self.broken.join("\n"));
        assert!(self.done, "not done after {} steps", self.steps);
    }
}

/// Plays `script` to `machine` from `start` until it is done, checking each step against
/// `deadline` (epoch ms).
pub fn drive(
    script: &mut Script<'_>,
    start: f64,
    deadline: f64,
    machine: &mut impl Machine,
) -> Driven {
    let mut now = start;
    let mut driven = Driven::default();
    while driven.steps < MAX_STEPS {
        driven.steps += 1;
        match machine.next(now) {
            Step::Done => {
                driven.done = true;
                // Done stays done.
                if machine.next(now + 1.0) != Step::Done {
                    driven
                        .broken
                        .push("a second next() after done is not done".to_owned());
                }
                break;
            }
            Step::Secrets { names } => {
                let mut values = script.secrets.clone();
                values.resize(names.len(), None);
                machine.secrets(values);
            }
            Step::Send(request) => {
                driven.sends += 1;
                if now >= deadline {
                    driven
                        .broken
                        .push(format!("sent at {now} after the deadline {deadline}"));
                }
                let left = (deadline - now).floor().max(1.0);
                if f64::from(request.timeout_ms) > left || request.timeout_ms == 0 {
                    driven.broken.push(format!(
                        "a timeout of {} ms with {left} ms left",
                        request.timeout_ms
                    ));
                }
                let (outcome, clock) = script.answer(request.body_as);
                now += clock;
                machine.received(outcome);
            }
            Step::Wait { until_ms } => {
                if until_ms > deadline {
                    driven.broken.push(format!(
                        "a wait until {until_ms} past the deadline {deadline}"
                    ));
                }
                now = now.max(until_ms);
            }
            Step::CacheGet { key } => {
                let entry = script.cache.get(&key).map(|(value, at)| CacheEntry {
                    value: Some(value.clone()),
                    expires_at: Some(*at),
                });
                machine.cached(entry);
            }
            Step::CacheSet {
                key,
                value,
                expires_at_ms,
            } => {
                script.cache.insert(key, (value, expires_at_ms));
            }
            Step::CacheDelete { key } => {
                script.cache.remove(&key);
            }
        }
    }
    driven
}
