//! Client-credentials tokens: where a lookup finds one before it asks the token endpoint.
//!
//! 1. Process memory ([`TokenMemory`], kept by the boundary for the Action instance): valid
//!    while its expiry (the token's lifetime less a margin) is ahead.
//! 2. `api.cache`, under `lc:mgmt-token:` + the FNV-1a-64 hex of `origin\naudience\nclientId`
//!    (the key the JavaScript client wrote, so its entries still hit).
//! 3. Single flight: when another lookup of this process is asking the token endpoint for the
//!    same key, wait for its answer instead of asking too.
//!
//! A token is used until its lifetime less max(10 %, 60 s) (clocks differ and a login takes
//! time), at most 24 h (api.cache's limit); one with less left is used once and not kept.

use super::failures::Fail;
use crate::transport::{header_safe, CacheEntry};
use std::collections::HashMap;

pub(crate) const TOKEN_CACHE_PREFIX: &str = "lc:mgmt-token:";
/// api.cache allows at most 24 h.
pub(crate) const MAX_CACHE_LIFETIME_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
pub(crate) const MAX_CACHE_VALUE_BYTES: usize = 4000;
/// The least margin before a token's expiry.
pub(crate) const MIN_MARGIN_MS: f64 = 60_000.0;

/// Tokens and token requests of this process (one Action instance), shared by its lookups.
#[derive(Debug, Default)]
pub struct TokenMemory {
    tokens: HashMap<String, Held>,
    pending: HashMap<String, Pending>,
    finished: HashMap<String, Finished>,
    next_flight: u64,
}

#[derive(Debug, Clone)]
struct Held {
    token: String,
    expires_at: f64,
}

/// A token request under way: which one, and when it must have ended.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pending {
    pub flight: u64,
    pub ends_at: f64,
}

/// The answer of the last token request that ended, for the lookups that waited for it.
#[derive(Debug, Clone)]
struct Finished {
    flight: u64,
    result: Result<String, Fail>,
}

impl TokenMemory {
    /// Forgets every token and token request, as if the Action instance had just started.
    pub fn clear(&mut self) {
        self.tokens.clear();
        self.pending.clear();
        self.finished.clear();
    }

    /// The token held for `key`, when it is still valid at `now`.
    pub(crate) fn valid(&self, key: &str, now: f64) -> Option<&str> {
        self.tokens
            .get(key)
            .filter(|held| held.expires_at > now)
            .map(|held| held.token.as_str())
    }

    pub(crate) fn held(&self, key: &str) -> Option<&str> {
        self.tokens.get(key).map(|held| held.token.as_str())
    }

    pub(crate) fn forget(&mut self, key: &str) {
        self.tokens.remove(key);
    }

    pub(crate) fn keep(&mut self, key: &str, token: &str, expires_at: f64) {
        self.tokens.insert(
            key.to_owned(),
            Held {
                token: token.to_owned(),
                expires_at,
            },
        );
    }

    /// The token request under way for `key`, unless its time is up at `now` (its owner is
    /// gone or late: nobody waits for it any more).
    pub(crate) fn pending(&self, key: &str, now: f64) -> Option<Pending> {
        self.pending
            .get(key)
            .copied()
            .filter(|pending| pending.ends_at > now)
    }

    /// Marks a new token request for `key` as under way until `ends_at`; returns its number.
    pub(crate) fn start_flight(&mut self, key: &str, ends_at: f64) -> u64 {
        self.next_flight += 1;
        let flight = self.next_flight;
        self.pending
            .insert(key.to_owned(), Pending { flight, ends_at });
        flight
    }

    /// Moves the end of a request under way (each retry has its own timeout).
    pub(crate) fn extend_flight(&mut self, key: &str, flight: u64, ends_at: f64) {
        if let Some(pending) = self.pending.get_mut(key) {
            if pending.flight == flight {
                pending.ends_at = ends_at;
            }
        }
    }

    /// The request `flight` ended with `result`: the mark goes, the answer stays for those who
    /// waited.
    pub(crate) fn end_flight(&mut self, key: &str, flight: u64, result: Result<String, Fail>) {
        self.drop_flight(key, flight);
        self.finished
            .insert(key.to_owned(), Finished { flight, result });
    }

    /// Removes the mark of `flight` (its owner gave up without an answer).
    pub(crate) fn drop_flight(&mut self, key: &str, flight: u64) {
        if self.pending.get(key).is_some_and(|p| p.flight == flight) {
            self.pending.remove(key);
        }
    }

    /// The answer of `flight` or of a later request for `key`, once one has ended.
    pub(crate) fn answer_since(&self, key: &str, flight: u64) -> Option<Result<String, Fail>> {
        self.finished
            .get(key)
            .filter(|finished| finished.flight >= flight)
            .map(|finished| finished.result.clone())
    }
}

/// The memory key of a token: site, audience and client; two tenants or two applications never
/// share one.
pub(crate) fn memory_key(origin: &str, audience: &str, client_id: &str) -> String {
    format!("{origin}\n{audience}\n{client_id}")
}

/// The api.cache key of a memory key: short (≤ 64 bytes), stable, and it does not spell out the
/// domain or the client id.
pub(crate) fn cache_key(memory_key: &str) -> String {
    format!("{TOKEN_CACHE_PREFIX}{}", fnv1a64(memory_key))
}

/// FNV-1a, 64 bit, of the UTF-8 bytes, as 16 lower-case hex digits. Not a security boundary.
pub(crate) fn fnv1a64(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A token found in api.cache: usable when it is a header-safe string and its expiry (when it
/// has a finite one) is ahead. `expires_at` is `None` for an entry without an expiry: it is used
/// but not copied to memory (nobody knows how long it lasts).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CachedToken {
    pub token: String,
    pub expires_at: Option<f64>,
}

pub(crate) fn usable_cache_entry(entry: Option<CacheEntry>, now: f64) -> Option<CachedToken> {
    let entry = entry?;
    let token = entry.value.filter(|v| header_safe(v))?;
    match entry.expires_at.filter(|at| at.is_finite()) {
        Some(at) if at > now => Some(CachedToken {
            token,
            expires_at: Some(at),
        }),
        Some(_) => None,
        None => Some(CachedToken {
            token,
            expires_at: None,
        }),
    }
}

/// Until when a token obtained at `obtained_at` with `expires_in_seconds` may be kept: its
/// lifetime less max(10 %, 60 s), at most 24 h. `None` when nothing is left (or no lifetime was
/// given): the token is used for this lookup only.
pub(crate) fn keep_until(obtained_at: f64, expires_in_seconds: Option<f64>) -> Option<f64> {
    let lifetime_ms = expires_in_seconds? * 1000.0;
    let margin_ms = (lifetime_ms * 0.1).max(MIN_MARGIN_MS);
    let usable_ms = (lifetime_ms - margin_ms).min(MAX_CACHE_LIFETIME_MS);
    (usable_ms > 0.0).then_some(obtained_at + usable_ms)
}

/// Whether a token fits in one api.cache value.
pub(crate) fn cacheable(token: &str) -> bool {
    token.len() <= MAX_CACHE_VALUE_BYTES
}
