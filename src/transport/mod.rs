//! The transport policy: the rules every HTTP exchange of the machines follows, decided here and
//! performed by the shim (the sans-IO pattern).
//!
//! A machine ([`crate::management::Lookup`], the Twilio Verify machines) never does I/O. It
//! answers [`Step`]s: send this [`Request`], wait until a time, read or write an `api.cache`
//! entry, read some secrets, or done. The shim performs exactly that and hands back the raw
//! outcome ([`Outcome`]: the status, the headers the request asked for and the body; or which
//! transport error happened). Whether the answer is usable, whether to retry and how long to
//! wait are decided here and in the machines, never in JavaScript.
//!
//! This module holds what both machines share: the per-request budget within the login's
//! deadline ([`Budget`]), the retry rule for 429 and 5xx answers ([`RetryPolicy`]), the waits a
//! 429 asks for ([`retry_delay_ms`]), the checks of an origin given in a secret or an option
//! ([`parse_origin`]) and of a value that goes into a header ([`header_safe`]), and the two
//! encodings requests need ([`encode_uri_component`], [`form_urlencoded`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod origin;
pub use origin::{parse_origin, Origin, OriginRefusal};

/// A wait that ends exactly at the deadline is useless: the retried request needs time too.
pub const REQUEST_ROOM_MS: f64 = 100.0;
/// The longest timer JavaScript keeps (setTimeout fires after 1 ms when given more).
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;
/// How often a login waiting for another login's token request looks again.
pub const JOIN_POLL_MS: f64 = 10.0;

/// The HTTP methods the machines use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Post,
}

/// How the shim hands back a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyAs {
    /// The value of `JSON.parse(text)`, or the text itself when that throws.
    Json,
    /// The text (UTF-8).
    Text,
}

/// One HTTP exchange the shim must perform: `fetch(url, {method, headers, body, redirect:
/// 'manual'})`, aborted after `timeout_ms`, the body read no further than `max_body_bytes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub method: Method,
    pub url: String,
    /// Header names and values, in order.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// Whole milliseconds, at least 1.
    pub timeout_ms: u32,
    pub max_body_bytes: u32,
    pub body_as: BodyAs,
    /// The response headers the core reads (lower case); the shim hands back only these.
    pub response_headers: &'static [&'static str],
}

/// A response body as the shim read it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// What `JSON.parse` made of the text (asked with [`BodyAs::Json`], and it parsed).
    Json(Value),
    /// The text: asked with [`BodyAs::Text`], or it was not JSON.
    Text(String),
    /// The bytes are not valid UTF-8; this is their lossy decoding (U+FFFD for each bad
    /// sequence), for a service whose answers stay usable without it.
    InvalidUtf8(String),
}

/// An HTTP response: the status, the headers the request asked for, the body.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Response {
    pub status: u16,
    /// Names in lower case; a header the server did not send is left out.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Response {
    /// The value of a header, trimmed; names compare without case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// The media type of `content-type`, lower case, without parameters ("" when absent).
    pub fn media_type(&self) -> String {
        let raw = self.header("content-type").unwrap_or("");
        raw.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// The body as JSON: the shim's parsed value, or the text parsed here. `None` when it is not
    /// JSON.
    pub fn json(&self) -> Option<Value> {
        match &self.body {
            Body::Json(value) => Some(value.clone()),
            Body::Text(text) | Body::InvalidUtf8(text) => serde_json::from_str(text).ok(),
        }
    }

    /// The body text, when the shim handed it over as text (lossy when it was not UTF-8).
    pub fn text(&self) -> Option<&str> {
        match &self.body {
            Body::Text(text) | Body::InvalidUtf8(text) => Some(text),
            Body::Json(_) => None,
        }
    }
}

/// Why no response arrived, as the shim saw it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum TransportError {
    /// The request's timer fired before the body was read.
    Timeout,
    /// `fetch` rejected, or reading the body failed. `code` is the system error code the shim
    /// found on the error or its causes (checked by [`system_error_code`] before any use).
    Network {
        phase: NetworkPhase,
        #[serde(default)]
        code: Option<String>,
    },
    /// The body was longer than `max_body_bytes` (declared or read); reading stopped.
    TooLarge,
    /// `fetch` resolved to something that is not a response.
    NoResponse,
    /// The body could not be read as bytes.
    Unreadable,
}

/// When a connection failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkPhase {
    Connecting,
    ReadingBody,
}

impl NetworkPhase {
    pub fn words(self) -> &'static str {
        match self {
            NetworkPhase::Connecting => "connecting",
            NetworkPhase::ReadingBody => "reading the body",
        }
    }
}

impl TransportError {
    /// The sentence for this failure of a request to `service` ("the Management API",
    /// "Twilio") sent with `timeout`; `deadline` names the deadline that cut it ("the login
    /// deadline"), `max_body_bytes` the cap of the read. Never quotes what the server sent; a
    /// system error code only when [`system_error_code`] accepts it.
    pub fn detail(
        &self,
        service: &str,
        timeout: RequestTimeout,
        deadline: &str,
        max_body_bytes: u32,
    ) -> String {
        match self {
            TransportError::Timeout if timeout.cut_by_deadline => format!(
                "{service} did not answer before {deadline} ({} ms left)",
                timeout.ms
            ),
            TransportError::Timeout => {
                format!("{service} did not answer within {} ms", timeout.ms)
            }
            TransportError::Network { phase, code } => {
                let code = system_error_code(code.as_deref())
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                format!(
                    "the connection to {service} failed while {}{code}",
                    phase.words()
                )
            }
            TransportError::TooLarge => {
                format!("{service} sent more than {max_body_bytes} bytes; reading stopped")
            }
            TransportError::NoResponse => format!("{service} gave no HTTP response"),
            TransportError::Unreadable => format!("the body from {service} cannot be read"),
        }
    }
}

/// A system error code such as `ECONNREFUSED` or `UND_ERR_SOCKET`, when `raw` looks like one;
/// anything else is dropped (it could quote anything). Real codes hold a digit or two
/// (`ERR_HTTP2_STREAM_ERROR`); one with 7 or more could be a phone number (`E14155550142`)
/// and is dropped too.
pub fn system_error_code(raw: Option<&str>) -> Option<&str> {
    let code = raw?;
    let bytes = code.as_bytes();
    let well_formed = (2..=41).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_uppercase)
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_')
        && bytes.iter().filter(|b| b.is_ascii_digit()).count() < 7;
    well_formed.then_some(code)
}

/// What the shim hands back after a [`Step::Send`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Outcome {
    Response(Response),
    Failed(TransportError),
}

/// An `api.cache` entry as `api.cache.get` returned it; the machine decides whether it is usable.
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
pub struct CacheEntry {
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub expires_at: Option<f64>,
}

/// What a machine asks the shim to do next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Step {
    /// Read these secrets (own string properties of `event.secrets`) and hand them back in
    /// this order, `undefined` for a missing one.
    Secrets { names: &'static [&'static str] },
    /// Perform the request and hand back its [`Outcome`].
    Send(Request),
    /// Wait until this epoch time (ms), then ask again.
    Wait { until_ms: f64 },
    /// `api.cache.get(key)`, handed back as a [`CacheEntry`] (or nothing).
    CacheGet { key: String },
    /// `api.cache.set(key, value, {expires_at})`; its answer does not matter.
    CacheSet {
        key: String,
        value: String,
        expires_at_ms: f64,
    },
    /// `api.cache.delete(key)`; its answer does not matter.
    CacheDelete { key: String },
    /// Finished: ask the machine for its result.
    Done,
}

/// A machine of this module: the shim asks it for the next [`Step`] and hands back what the
/// step asked for. Every machine (the Management API lookup, a login waiting for it, a Twilio
/// Verify call, the phone-message handlers) answers the same four calls, so one driver serves
/// them all.
pub trait Machine {
    /// What to do next, at `now_ms` (epoch ms). After [`Step::Done`] it stays `Done`.
    fn next(&mut self, now_ms: f64) -> Step;
    /// The secrets asked for by [`Step::Secrets`], in that order.
    fn secrets(&mut self, values: Vec<Option<String>>);
    /// The outcome of the request of the last [`Step::Send`].
    fn received(&mut self, outcome: Outcome);
    /// The answer of the last [`Step::CacheGet`].
    fn cached(&mut self, entry: Option<CacheEntry>);
}

/// The time one login may spend on the network: a per-request timeout inside a deadline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Epoch ms by which all network work must end.
    pub deadline_ms: f64,
    /// The longest one request may take, in ms (> 0).
    pub timeout_ms: f64,
}

/// How long one request may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimeout {
    /// Whole ms, at least 1.
    pub ms: u32,
    /// The deadline, not the per-request timeout, set the limit.
    pub cut_by_deadline: bool,
}

/// Checks the numbers a caller gives: a positive per-request timeout, a finite deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetError {
    Timeout,
    Deadline,
}

impl BudgetError {
    pub fn message(self) -> &'static str {
        match self {
            BudgetError::Timeout => "timeoutMs must be a positive number of milliseconds",
            BudgetError::Deadline => "deadline must be a finite epoch time in milliseconds",
        }
    }
}

impl Budget {
    pub fn new(timeout_ms: f64, deadline_ms: f64) -> Result<Budget, BudgetError> {
        if !(timeout_ms.is_finite() && timeout_ms > 0.0) {
            return Err(BudgetError::Timeout);
        }
        if !deadline_ms.is_finite() {
            return Err(BudgetError::Deadline);
        }
        Ok(Budget {
            deadline_ms,
            timeout_ms,
        })
    }

    /// The timeout of a request sent at `now`: min(timeout, time left), or `None` once the
    /// deadline has passed (then nothing may be sent).
    pub fn request_timeout(&self, now_ms: f64) -> Option<RequestTimeout> {
        let remaining = self.deadline_ms - now_ms;
        if remaining.is_nan() || remaining <= 0.0 {
            return None;
        }
        let budget = self.timeout_ms.min(remaining).min(MAX_TIMER_MS).floor();
        Some(RequestTimeout {
            // In 1..=MAX_TIMER_MS, so the conversion is exact.
            ms: budget.max(1.0) as u32,
            cut_by_deadline: remaining < self.timeout_ms,
        })
    }

    /// True when waiting `wait_ms` from `now` still leaves room for one more request.
    pub fn fits(&self, now_ms: f64, wait_ms: f64) -> bool {
        now_ms + wait_ms + REQUEST_ROOM_MS.min(self.timeout_ms) <= self.deadline_ms
    }

    /// The end of a wait of `wait_ms` from `now`, never past the deadline.
    pub fn wait_until(&self, now_ms: f64, wait_ms: f64) -> f64 {
        (now_ms + wait_ms.max(0.0)).min(self.deadline_ms)
    }
}

/// How a service's 429 and 5xx answers are retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub max_rate_limit_retries: u8,
    pub max_server_retries: u8,
    /// The wait before each 5xx retry, in ms (one entry per retry).
    pub server_backoff_ms: &'static [f64],
    /// Without `retry-after` / `x-ratelimit-reset` nobody knows when the bucket refills: one
    /// short guess only, since a second blind retry would mostly burn the same bucket again.
    pub blind_rate_limit_backoff_ms: f64,
}

/// The retries one request has used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retries {
    pub rate_limited: u8,
    pub server: u8,
}

/// What to do with an answer whose status may call for a retry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RetryVerdict {
    /// Not a 429 or 5xx: the caller reads the answer.
    Answer,
    /// Wait this many ms, then send the request again.
    Retry { wait_ms: f64 },
    /// Stop; the answer stays a failure.
    GiveUp(GiveUp),
}

/// Why retrying stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum GiveUp {
    /// 429, and the retries are used up (`retries` of them were made).
    RateLimitSpent { retries: u8 },
    /// 429, and the wait it asks for would pass the deadline.
    RateLimitPastDeadline { wait_ms: f64 },
    /// 5xx, also after `retries` retries.
    ServerSpent { retries: u8 },
    /// 5xx, and no time is left to retry.
    ServerPastDeadline,
}

impl RetryPolicy {
    /// Decides on an answer with `status`, counting the retry in `retries`.
    pub fn judge(
        &self,
        retries: &mut Retries,
        response: &Response,
        now_ms: f64,
        budget: &Budget,
    ) -> RetryVerdict {
        let status = response.status;
        if status == 429 {
            let told = retry_delay_ms(response, now_ms);
            let spent = retries.rate_limited >= self.max_rate_limit_retries
                || (told.is_none() && retries.rate_limited >= 1);
            if spent {
                return RetryVerdict::GiveUp(GiveUp::RateLimitSpent {
                    retries: retries.rate_limited,
                });
            }
            let wait_ms = told.unwrap_or(self.blind_rate_limit_backoff_ms);
            if !budget.fits(now_ms, wait_ms) {
                return RetryVerdict::GiveUp(GiveUp::RateLimitPastDeadline { wait_ms });
            }
            retries.rate_limited += 1;
            return RetryVerdict::Retry { wait_ms };
        }
        if (500..=599).contains(&status) {
            let Some(&wait_ms) = self.server_backoff_ms.get(usize::from(retries.server)) else {
                return RetryVerdict::GiveUp(GiveUp::ServerSpent {
                    retries: retries.server,
                });
            };
            if retries.server >= self.max_server_retries {
                return RetryVerdict::GiveUp(GiveUp::ServerSpent {
                    retries: retries.server,
                });
            }
            if !budget.fits(now_ms, wait_ms) {
                return RetryVerdict::GiveUp(GiveUp::ServerPastDeadline);
            }
            retries.server += 1;
            return RetryVerdict::Retry { wait_ms };
        }
        RetryVerdict::Answer
    }
}

/// How long a 429 asks to wait, in ms: `retry-after` (seconds, or an HTTP date), else
/// `x-ratelimit-reset` (Unix seconds, the Management API's header). `None` when neither reads.
pub fn retry_delay_ms(response: &Response, now_ms: f64) -> Option<f64> {
    let retry_after = response.header("retry-after").unwrap_or("");
    if let Some(seconds) = decimal_seconds(retry_after) {
        return Some(seconds * 1000.0);
    }
    if retry_after.bytes().any(|b| b.is_ascii_alphabetic()) {
        if let Some(at) = parse_http_date(retry_after) {
            return Some((at as f64 * 1000.0 - now_ms).max(0.0));
        }
    }
    let reset = response.header("x-ratelimit-reset").unwrap_or("");
    if !reset.is_empty() && reset.len() <= 15 && reset.bytes().all(|b| b.is_ascii_digit()) {
        let seconds: u64 = reset.parse().ok()?;
        // At most 15 digits: exact as f64.
        return Some((seconds as f64 * 1000.0 - now_ms).max(0.0));
    }
    None
}

/// `1`, `2.5`: digits with an optional fraction, as seconds.
fn decimal_seconds(text: &str) -> Option<f64> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    // Integer parsing only (no float parser in the wasm): at most 15 digits on each side, so
    // both are exact as f64.
    let whole: u64 = whole.parse().ok()?;
    let fraction = match fraction {
        Some(f) => f.parse::<u64>().ok()? as f64 / 10f64.powi(f.len() as i32),
        None => 0.0,
    };
    Some(whole as f64 + fraction)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, the IMF-fixdate of RFC 9110) or an RFC 3339
/// time, as seconds since the epoch.
pub fn parse_http_date(text: &str) -> Option<i64> {
    if let Some(at) = crate::mfa::parse_timestamp(text) {
        return Some(at);
    }
    let rest = text.split_once(", ").map_or(text, |(_, r)| r);
    let mut parts = rest.split(' ');
    let day: i64 = parts.next()?.parse().ok()?;
    let month_name = parts.next()?;
    let month = MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(month_name))? as i64
        + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let mut field = || -> Option<i64> { clock.next()?.parse().ok() };
    let (hour, minute, second) = (field()?, field()?, field()?);
    if !matches!(parts.next(), Some("GMT" | "UTC")) || parts.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 || year < 1970 {
        return None;
    }
    let stamp = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z");
    crate::mfa::parse_timestamp(&stamp)
}

/// A number as a detail shows it: `Math.ceil(x)` in JavaScript's digits, for waits in ms and
/// counts (beyond 2^53, which only a server's odd answer reaches, it is capped).
pub fn ceil_text(x: f64) -> String {
    let ceiled = x.ceil();
    if ceiled.is_nan() || ceiled == 0.0 {
        return "0".to_owned();
    }
    // Within ±2^53 the conversion is exact; beyond, it saturates, which no real wait reaches.
    (ceiled.clamp(-9_007_199_254_740_992.0, 9_007_199_254_740_992.0) as i64).to_string()
}

/// JavaScript's `String.prototype.trim` white space: WhiteSpace and LineTerminator (which differ
/// from Rust's: U+FEFF is trimmed, U+0085 is not).
pub fn js_space(c: char) -> bool {
    matches!(
        c,
        '\u{9}'..='\u{d}'
            | ' '
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
            | '\u{feff}'
    )
}

/// The secret named `name` of `values` (handed back in the order of `names`), trimmed as the
/// Auth0 dashboard's users would expect JavaScript to trim it; `None` when missing or blank.
pub fn secret<'a>(names: &[&str], values: &'a [Option<String>], name: &str) -> Option<&'a str> {
    let index = names.iter().position(|n| *n == name)?;
    let value = values.get(index)?.as_deref()?.trim_matches(js_space);
    (!value.is_empty()).then_some(value)
}

/// Visible ASCII only: anything else would make `fetch` throw on the header, or could smuggle
/// a second header line.
pub fn header_safe(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// `encodeURIComponent`: every byte but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as `%XX`.
pub fn encode_uri_component(text: &str) -> String {
    percent_encode(
        text,
        |b| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b),
        false,
    )
}

/// `application/x-www-form-urlencoded` of name/value pairs, as `URLSearchParams` writes it.
pub fn form_urlencoded(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        percent_encode(
            s,
            |b| b.is_ascii_alphanumeric() || b"*-._".contains(&b),
            true,
        )
    };
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str, keep: impl Fn(u8) -> bool, space_as_plus: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else if b == b' ' && space_as_plus {
            out.push('+');
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 15] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
    out
}

/// Base64 (standard alphabet, padded), for HTTP Basic credentials.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                let sextet = ((n >> shift) & 63) as usize;
                out.push(char::from(ALPHABET.get(sextet).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
