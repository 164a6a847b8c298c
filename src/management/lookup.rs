//! The lookup as a sans-IO state machine: [`Lookup::next`] says what to do ([`Step`]), the shim
//! does it and hands the answer back ([`Lookup::secrets`], [`Lookup::received`],
//! [`Lookup::cached`]); every decision (which URL, whether an answer is usable, whether to retry,
//! how long to wait, which token) is made here.
//!
//! The order of a lookup: the secrets; a token (memory, api.cache, another lookup's request,
//! or the token endpoint); the GET of the enrollments, or of the authentication-methods pages
//! one after the other; on a 401 one fresh token and the same GET again.

use super::failures::{fail, Fail, MgmtFailure};
use super::secrets::{self, Config, Credentials, SECRET_NAMES};
use super::tokens::{self, TokenMemory};
use crate::config::MfaEndpoint;
use crate::engine::{LookupOutcome, LookupRequest};
use crate::transport::js_space;
use crate::transport::{
    encode_uri_component, header_safe, Body, BodyAs, Budget, CacheEntry, GiveUp, Machine, Method,
    Outcome, Request, RequestTimeout, Response, Retries, RetryPolicy, RetryVerdict, Step,
    TransportError,
};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

/// The most a response body may hold.
pub const MAX_BODY_BYTES: u32 = 1024 * 1024;
/// The most pages of authentication methods read.
pub const MAX_PAGES: u32 = 20;
/// Authentication methods asked per page.
pub const PER_PAGE: usize = 50;
/// The retries of 429 and 5xx answers, for both the token endpoint and the Management API.
pub const RETRY_POLICY: RetryPolicy = RetryPolicy {
    max_rate_limit_retries: 2,
    max_server_retries: 2,
    server_backoff_ms: &[100.0, 300.0],
    blind_rate_limit_backoff_ms: 250.0,
};
/// The response headers the lookup reads.
pub const RESPONSE_HEADERS: &[&str] = &["content-type", "retry-after", "x-ratelimit-reset"];
/// The most internal moves one [`Lookup::next`] makes before it answers; more would be a bug,
/// and the lookup then ends as a bad response instead of looping.
const MAX_MOVES_PER_STEP: usize = 16;

const UNEXPECTED: &str = "an unexpected error occurred while handling the Management API answer";
const LATE_FOR_TOKEN: &str = "the login deadline passed while waiting for a token";

/// How a lookup ended.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupResult {
    /// What the engine gets: the methods, a failure, or "not set up".
    pub outcome: LookupOutcome,
    /// Why it failed; `None` on success.
    pub failure: Option<MgmtFailure>,
    /// One sentence on what happened (empty on success). Never a token, a client secret or a
    /// phone number.
    pub detail: String,
    /// The requests handed out ([`Step::Send`]).
    pub requests: u32,
}

/// The services a lookup talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    TokenEndpoint,
    Api,
}

impl Service {
    fn what(self) -> &'static str {
        match self {
            Service::TokenEndpoint => "the token endpoint",
            Service::Api => "the Management API",
        }
    }
}

/// One request with its retries (the JavaScript `sendWithRetries`).
#[derive(Debug, Clone)]
struct Exchange {
    service: Service,
    retries: Retries,
    /// Set while a request is out: its timeout, and its answer once it came.
    sent: Option<(RequestTimeout, Option<Outcome>)>,
}

/// What an exchange needs next, or how it ended.
enum Progress {
    Send(RequestTimeout),
    Wait(f64),
    Answer(Response),
    Failed(Fail),
}

impl Exchange {
    fn new(service: Service) -> Exchange {
        Exchange {
            service,
            retries: Retries::default(),
            sent: None,
        }
    }

    fn awaits_answer(&self) -> bool {
        matches!(self.sent, Some((_, None)))
    }

    fn receive(&mut self, outcome: Outcome) {
        if let Some((_, answer @ None)) = &mut self.sent {
            *answer = Some(outcome);
        }
    }

    fn next(&mut self, now: f64, budget: &Budget) -> Progress {
        let what = self.service.what();
        let Some((timeout, answer)) = self.sent.take() else {
            return match budget.request_timeout(now) {
                Some(timeout) => {
                    self.sent = Some((timeout, None));
                    Progress::Send(timeout)
                }
                None => Progress::Failed(fail(
                    MgmtFailure::Timeout,
                    format!("the login deadline passed before {what} could be asked"),
                )),
            };
        };
        // Asked again without an answer: the shim has none to give.
        let response = match answer.unwrap_or(Outcome::Failed(TransportError::NoResponse)) {
            Outcome::Failed(error) => {
                return Progress::Failed(transport_failure(error, timeout, what))
            }
            Outcome::Response(response) => response,
        };
        if let Body::InvalidUtf8(_) = response.body {
            return Progress::Failed(fail(
                MgmtFailure::BadResponse,
                format!("{what} is not valid UTF-8"),
            ));
        }
        let status = response.status;
        match RETRY_POLICY.judge(&mut self.retries, &response, now, budget) {
            RetryVerdict::Answer => Progress::Answer(response),
            RetryVerdict::Retry { wait_ms } => Progress::Wait(budget.wait_until(now, wait_ms)),
            RetryVerdict::GiveUp(why) => Progress::Failed(give_up(why, status, what)),
        }
    }
}

fn transport_failure(error: TransportError, timeout: RequestTimeout, what: &str) -> Fail {
    let failure = match error {
        TransportError::Timeout => MgmtFailure::Timeout,
        TransportError::Network { .. } => MgmtFailure::Network,
        TransportError::TooLarge => MgmtFailure::ResponseTooLarge,
        TransportError::NoResponse | TransportError::Unreadable => MgmtFailure::BadResponse,
    };
    fail(
        failure,
        error.detail(what, timeout, "the login deadline", MAX_BODY_BYTES),
    )
}

fn give_up(why: GiveUp, status: u16, what: &str) -> Fail {
    match why {
        GiveUp::RateLimitSpent { retries } => fail(
            MgmtFailure::RateLimited,
            format!("{what} still answered 429 after {retries} retries"),
        ),
        GiveUp::RateLimitPastDeadline { wait_ms } => fail(
            MgmtFailure::RateLimited,
            format!(
                "{what} answered 429 and asked to wait {} ms, which would pass the login deadline",
                crate::transport::ceil_text(wait_ms)
            ),
        ),
        GiveUp::ServerSpent { retries } => fail(
            MgmtFailure::ServerError,
            format!("{what} answered HTTP {status}, also after {retries} retries"),
        ),
        GiveUp::ServerPastDeadline => fail(
            MgmtFailure::ServerError,
            format!("{what} answered HTTP {status} and no time is left to retry"),
        ),
    }
}

/// The media type of `content-type` as the JavaScript client read it: before any `;`, trimmed,
/// lower case ("" when absent).
fn media_type(response: &Response) -> String {
    let raw = response
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .map_or("", |(_, value)| value.as_str());
    let first = raw.split(';').next().unwrap_or("");
    first.trim_matches(js_space).to_lowercase()
}

/// `type/subtype` of 1 to 40 characters each from `a-z 0-9 . + -`: safe to quote in a detail.
fn plain_media_type(media_type: &str) -> bool {
    let part = |s: &str| {
        (1..=40).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+.-".contains(&b))
    };
    media_type
        .split_once('/')
        .is_some_and(|(kind, sub)| part(kind) && part(sub))
}

/// The body of an answer that must be `application/json` (the JavaScript `parseJsonBody`).
fn parse_json_body(response: &Response, failure: MgmtFailure, what: &str) -> Result<Value, Fail> {
    let media_type = media_type(response);
    if media_type != "application/json" {
        let looks_html = response
            .text()
            .is_some_and(|text| text.trim_start_matches(js_space).starts_with('<'));
        // Quote the server's header only when it is a plain media type: it must not smuggle
        // data into the detail.
        let shown = if media_type.is_empty() {
            "no content type".to_owned()
        } else if plain_media_type(&media_type) {
            format!("content type {media_type}")
        } else {
            "an unexpected content type".to_owned()
        };
        let html = if looks_html {
            " and looks like an HTML page"
        } else {
            ""
        };
        return Err(fail(
            failure,
            format!("{what} has {shown}{html}, not application/json"),
        ));
    }
    response
        .json()
        .ok_or_else(|| fail(failure, format!("{what} is not valid JSON")))
}

/// A token endpoint answer: the token and its lifetime in seconds, when it gave a usable one.
fn read_token(response: &Response) -> Result<(String, Option<f64>), Fail> {
    let token_failed = |detail: &str| fail(MgmtFailure::TokenFailed, detail);
    let status = response.status;
    if !(200..=299).contains(&status) {
        return Err(token_failed(&match status {
            401 => "the token endpoint rejected MANAGEMENT_CLIENT_ID / MANAGEMENT_CLIENT_SECRET (HTTP 401)".to_owned(),
            403 => "the token endpoint refused the grant (HTTP 403): authorize the application for the Management API audience".to_owned(),
            _ => format!("the token endpoint answered HTTP {status}"),
        }));
    }
    let body = parse_json_body(response, MgmtFailure::TokenFailed, "the token response")?;
    let token = match &body {
        Value::Object(map) => map
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| header_safe(t)),
        _ => None,
    };
    let Some(token) = token else {
        return Err(token_failed(
            "the token response has no usable access_token",
        ));
    };
    // OAuth 2.0 token types compare without case (RFC 6749, 5.1); a token_type that is not a
    // string is no type at all.
    if let Some(kind) = body.get("token_type") {
        if !kind
            .as_str()
            .is_some_and(|k| k.eq_ignore_ascii_case("bearer"))
        {
            return Err(token_failed("the token response is not a Bearer token"));
        }
    }
    let expires_in = body
        .get("expires_in")
        .and_then(Value::as_f64)
        .filter(|s| s.is_finite() && *s > 0.0);
    Ok((token.to_owned(), expires_in))
}

/// Transport problems keep their own code (the fix differs); any unusable HTTP answer of the
/// token endpoint is a token failure.
fn token_failure(failure: Fail) -> Fail {
    match failure.failure {
        MgmtFailure::Timeout | MgmtFailure::Network | MgmtFailure::TokenFailed => failure,
        _ => fail(
            MgmtFailure::TokenFailed,
            format!("token request: {}", failure.detail),
        ),
    }
}

/// A count as the pages carry it: a whole number ≥ 0 (`Number.isInteger(v) && v >= 0`).
/// A count of items: a whole number from 0 to 2^53 (JavaScript's safe integers); anything
/// larger is no count a real page carries.
fn count(value: Option<&Value>) -> Option<f64> {
    let n = value?.as_f64()?;
    (n.fract() == 0.0 && (0.0..=9_007_199_254_740_991.0).contains(&n)).then_some(n)
}

/// Finding a token.
#[derive(Debug, Clone)]
enum TokenState {
    /// Look in memory (and then in api.cache, unless a rejected token is being replaced).
    Memory,
    /// api.cache was asked; its answer once it came.
    Cache(Option<Option<CacheEntry>>),
    /// Wait for another lookup's request, or ask the token endpoint.
    Flight { may_restart: bool },
    /// Waiting for another lookup's request.
    Joined { flight: u64, may_restart: bool },
    /// This lookup's own request.
    Own {
        flight: u64,
        obtained_at: f64,
        exchange: Exchange,
    },
}

#[derive(Debug, Clone)]
enum State {
    Start,
    /// The secrets were asked for; their values once they came.
    Secrets(Option<Vec<Option<String>>>),
    Token(TokenState),
    /// The GET of the enrollments or of the current page.
    Api(Exchange),
    Done,
}

/// Where a client-credentials token is kept.
#[derive(Debug, Clone)]
struct Keys {
    memory: String,
    cache: String,
}

/// One Management API lookup of one login.
pub struct Lookup {
    request: LookupRequest,
    budget: Budget,
    memory: Rc<RefCell<TokenMemory>>,
    state: State,
    config: Option<Config>,
    keys: Option<Keys>,
    token: Option<String>,
    /// The token the Management API answered 401 to, while a fresh one is found.
    rejected: Option<String>,
    refreshed: bool,
    page: u32,
    items: Vec<Value>,
    seen_ids: HashSet<String>,
    previous_remaining: f64,
    /// Cache writes and deletes, handed out before anything else (their answers do not matter).
    outbox: VecDeque<Step>,
    requests: u32,
    result: Option<LookupResult>,
}

impl Machine for Lookup {
    /// What to do next, at `now_ms` (epoch ms). The first step is [`Step::Secrets`]; after
    /// [`Step::Done`] it stays `Done`. Asked again before the answer of the last step came, the
    /// lookup goes on as if that answer were empty (no secrets, no cache entry, no response).
    fn next(&mut self, now_ms: f64) -> Step {
        for _ in 0..MAX_MOVES_PER_STEP {
            if let Some(step) = self.outbox.pop_front() {
                return step;
            }
            if let Some(step) = self.advance(now_ms) {
                return step;
            }
        }
        self.outbox.clear();
        self.finish(Err(fail(MgmtFailure::BadResponse, UNEXPECTED)));
        Step::Done
    }

    /// The values of [`SECRET_NAMES`], in that order (`None` for a missing one or one that is
    /// not a string), after [`Step::Secrets`]. Ignored at any other time.
    fn secrets(&mut self, values: Vec<Option<String>>) {
        if let State::Secrets(slot @ None) = &mut self.state {
            *slot = Some(values);
        }
    }

    /// The outcome of the request of the last [`Step::Send`]. Ignored when no request is out.
    fn received(&mut self, outcome: Outcome) {
        match &mut self.state {
            State::Api(exchange) | State::Token(TokenState::Own { exchange, .. })
                if exchange.awaits_answer() =>
            {
                exchange.receive(outcome);
            }
            _ => {}
        }
    }

    /// The answer of the last [`Step::CacheGet`]. Ignored at any other time.
    fn cached(&mut self, entry: Option<CacheEntry>) {
        if let State::Token(TokenState::Cache(slot @ None)) = &mut self.state {
            *slot = Some(entry);
        }
    }
}

impl Lookup {
    pub fn new(request: LookupRequest, budget: Budget, memory: Rc<RefCell<TokenMemory>>) -> Lookup {
        Lookup {
            request,
            budget,
            memory,
            state: State::Start,
            config: None,
            keys: None,
            token: None,
            rejected: None,
            refreshed: false,
            page: 0,
            items: Vec::new(),
            seen_ids: HashSet::new(),
            previous_remaining: f64::INFINITY,
            outbox: VecDeque::new(),
            requests: 0,
            result: None,
        }
    }

    /// How the lookup ended, once [`Lookup::next`] answered [`Step::Done`].
    pub fn result(&self) -> Option<&LookupResult> {
        self.result.as_ref()
    }

    /// One move. `Some` when the shim has something to do, `None` to move on at once.
    fn advance(&mut self, now: f64) -> Option<Step> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Start => {
                self.state = State::Secrets(None);
                Some(Step::Secrets {
                    names: SECRET_NAMES,
                })
            }
            State::Secrets(values) => {
                self.configure(&values.unwrap_or_default());
                None
            }
            State::Token(token) => self.advance_token(token, now),
            State::Api(exchange) => self.advance_api(exchange, now),
            State::Done => Some(Step::Done),
        }
    }

    fn configure(&mut self, values: &[Option<String>]) {
        let config = match secrets::resolve(values) {
            Ok(config) => config,
            Err(failure) => return self.finish(Err(failure)),
        };
        if self.request.user_id.is_empty() {
            return self.finish(Err(fail(
                MgmtFailure::UserNotFound,
                "the user id is empty, so there is no user to look up",
            )));
        }
        match &config.credentials {
            Credentials::Static(token) => {
                self.token = Some(token.clone());
                self.state = State::Api(Exchange::new(Service::Api));
            }
            Credentials::Client { client_id, .. } => {
                let memory =
                    tokens::memory_key(&config.site.origin, &config.site.audience, client_id);
                self.keys = Some(Keys {
                    cache: tokens::cache_key(&memory),
                    memory,
                });
                self.state = State::Token(TokenState::Memory);
            }
        }
        self.config = Some(config);
    }

    /// Runs `f` on the process's token memory (never held across steps, so always free).
    fn with_memory<R>(&self, f: impl FnOnce(&mut TokenMemory) -> R) -> Option<R> {
        self.memory
            .try_borrow_mut()
            .ok()
            .map(|mut memory| f(&mut memory))
    }

    fn advance_token(&mut self, state: TokenState, now: f64) -> Option<Step> {
        let Some(keys) = self.keys.clone() else {
            self.finish(Err(fail(MgmtFailure::BadResponse, UNEXPECTED)));
            return None;
        };
        let deadline = self.budget.deadline_ms;
        let time_left = deadline - now > 0.0;
        match state {
            TokenState::Memory => {
                let rejected = self.rejected.clone();
                if rejected.is_some() {
                    self.outbox.push_back(Step::CacheDelete {
                        key: keys.cache.clone(),
                    });
                }
                let held = self
                    .with_memory(|memory| {
                        if rejected.is_some() && memory.held(&keys.memory) == rejected.as_deref() {
                            memory.forget(&keys.memory);
                        }
                        let valid = memory.valid(&keys.memory, now).map(str::to_owned);
                        if valid.is_none() {
                            memory.forget(&keys.memory);
                        }
                        valid
                    })
                    .flatten();
                if let Some(token) = held {
                    return self.use_token(token);
                }
                if rejected.is_none() {
                    self.state = State::Token(TokenState::Cache(None));
                    return Some(Step::CacheGet { key: keys.cache });
                }
                self.state = State::Token(TokenState::Flight { may_restart: true });
                None
            }
            TokenState::Cache(answer) => {
                match tokens::usable_cache_entry(answer.flatten(), now) {
                    Some(cached) => {
                        if let Some(at) = cached.expires_at {
                            self.with_memory(|memory| memory.keep(&keys.memory, &cached.token, at));
                        }
                        return self.use_token(cached.token);
                    }
                    None => self.state = State::Token(TokenState::Flight { may_restart: true }),
                }
                None
            }
            TokenState::Flight { may_restart } => {
                if !time_left {
                    self.finish(Err(fail(MgmtFailure::Timeout, LATE_FOR_TOKEN)));
                    return None;
                }
                let pending = self
                    .with_memory(|memory| memory.pending(&keys.memory, now))
                    .flatten();
                if let Some(pending) = pending {
                    self.state = State::Token(TokenState::Joined {
                        flight: pending.flight,
                        may_restart,
                    });
                    return Some(Step::Wait {
                        until_ms: self.join_wait(now, pending.ends_at),
                    });
                }
                let ends_at = self
                    .budget
                    .request_timeout(now)
                    .map_or(deadline, |t| now + f64::from(t.ms));
                let Some(flight) =
                    self.with_memory(|memory| memory.start_flight(&keys.memory, ends_at))
                else {
                    self.finish(Err(fail(MgmtFailure::BadResponse, UNEXPECTED)));
                    return None;
                };
                self.state = State::Token(TokenState::Own {
                    flight,
                    obtained_at: now,
                    exchange: Exchange::new(Service::TokenEndpoint),
                });
                None
            }
            TokenState::Joined {
                flight,
                may_restart,
            } => {
                let running = self
                    .with_memory(|memory| memory.pending(&keys.memory, now))
                    .flatten()
                    .filter(|pending| pending.flight == flight);
                if let Some(pending) = running {
                    if !time_left {
                        self.finish(Err(fail(MgmtFailure::Timeout, LATE_FOR_TOKEN)));
                        return None;
                    }
                    self.state = State::Token(TokenState::Joined {
                        flight,
                        may_restart,
                    });
                    return Some(Step::Wait {
                        until_ms: self.join_wait(now, pending.ends_at),
                    });
                }
                let answer = self
                    .with_memory(|memory| memory.answer_since(&keys.memory, flight))
                    .flatten();
                match answer {
                    Some(Ok(token)) => return self.use_token(token),
                    Some(Err(failure)) if failure.failure != MgmtFailure::Timeout => {
                        self.finish(Err(failure));
                    }
                    // The request this lookup waited for ran out of its owner's time (or its
                    // owner vanished): with time left, ask within this lookup's own deadline.
                    _ if may_restart && time_left => {
                        self.state = State::Token(TokenState::Flight { may_restart: false });
                    }
                    Some(Err(failure)) => self.finish(Err(failure)),
                    None => self.finish(Err(fail(MgmtFailure::Timeout, LATE_FOR_TOKEN))),
                }
                None
            }
            TokenState::Own {
                flight,
                obtained_at,
                mut exchange,
            } => match exchange.next(now, &self.budget) {
                Progress::Send(timeout) => {
                    let Some(request) = self.token_request(timeout.ms) else {
                        self.finish(Err(fail(MgmtFailure::BadResponse, UNEXPECTED)));
                        return None;
                    };
                    let ends_at = now + f64::from(timeout.ms);
                    self.with_memory(|memory| memory.extend_flight(&keys.memory, flight, ends_at));
                    self.state = State::Token(TokenState::Own {
                        flight,
                        obtained_at,
                        exchange,
                    });
                    self.requests += 1;
                    Some(Step::Send(request))
                }
                Progress::Wait(until_ms) => {
                    let ends_at = (until_ms + self.budget.timeout_ms).min(deadline);
                    self.with_memory(|memory| memory.extend_flight(&keys.memory, flight, ends_at));
                    self.state = State::Token(TokenState::Own {
                        flight,
                        obtained_at,
                        exchange,
                    });
                    Some(Step::Wait { until_ms })
                }
                Progress::Answer(response) => match read_token(&response) {
                    Ok((token, expires_in)) => {
                        if let Some(until) = tokens::keep_until(obtained_at, expires_in) {
                            self.with_memory(|memory| memory.keep(&keys.memory, &token, until));
                            if tokens::cacheable(&token) {
                                self.outbox.push_back(Step::CacheSet {
                                    key: keys.cache.clone(),
                                    value: token.clone(),
                                    expires_at_ms: until.floor(),
                                });
                            }
                        }
                        let answer = Ok(token.clone());
                        self.with_memory(|memory| memory.end_flight(&keys.memory, flight, answer));
                        self.use_token(token)
                    }
                    Err(failure) => self.end_own_flight(&keys, flight, failure),
                },
                Progress::Failed(failure) => {
                    self.end_own_flight(&keys, flight, token_failure(failure))
                }
            },
        }
    }

    fn end_own_flight(&mut self, keys: &Keys, flight: u64, failure: Fail) -> Option<Step> {
        let answer = Err(failure.clone());
        self.with_memory(|memory| memory.end_flight(&keys.memory, flight, answer));
        self.finish(Err(failure));
        None
    }

    /// The end of one wait for another lookup's token request: a short poll, never past that
    /// request's end or this lookup's deadline.
    fn join_wait(&self, now: f64, ends_at: f64) -> f64 {
        (now + crate::transport::JOIN_POLL_MS)
            .min(ends_at)
            .min(self.budget.deadline_ms)
    }

    fn use_token(&mut self, token: String) -> Option<Step> {
        self.token = Some(token);
        self.rejected = None;
        self.state = State::Api(Exchange::new(Service::Api));
        None
    }

    fn token_request(&self, timeout_ms: u32) -> Option<Request> {
        let config = self.config.as_ref()?;
        let Credentials::Client {
            client_id,
            client_secret,
        } = &config.credentials
        else {
            return None;
        };
        let text = |s: &str| Value::String(s.to_owned()).to_string();
        // The keys in this order, as the JavaScript client wrote them.
        let body = format!(
            "{{\"grant_type\":\"client_credentials\",\"client_id\":{},\"client_secret\":{},\"audience\":{}}}",
            text(client_id),
            text(client_secret),
            text(&config.site.audience)
        );
        Some(Request {
            method: Method::Post,
            url: format!("{}/oauth/token", config.site.origin),
            headers: vec![
                ("content-type", "application/json".to_owned()),
                ("accept", "application/json".to_owned()),
            ],
            body: Some(body),
            timeout_ms,
            max_body_bytes: MAX_BODY_BYTES,
            body_as: BodyAs::Json,
            response_headers: RESPONSE_HEADERS,
        })
    }

    fn api_request(&self, timeout_ms: u32) -> Option<Request> {
        let config = self.config.as_ref()?;
        let token = self.token.as_deref()?;
        let user = format!(
            "{}/api/v2/users/{}",
            config.site.origin,
            encode_uri_component(&self.request.user_id)
        );
        let url = match self.request.endpoint {
            MfaEndpoint::Enrollments => format!("{user}/enrollments"),
            MfaEndpoint::AuthenticationMethods => format!(
                "{user}/authentication-methods?page={}&per_page={PER_PAGE}&include_totals=true",
                self.page
            ),
        };
        Some(Request {
            method: Method::Get,
            url,
            headers: vec![
                ("authorization", format!("Bearer {token}")),
                ("accept", "application/json".to_owned()),
            ],
            body: None,
            timeout_ms,
            max_body_bytes: MAX_BODY_BYTES,
            body_as: BodyAs::Json,
            response_headers: RESPONSE_HEADERS,
        })
    }

    fn advance_api(&mut self, mut exchange: Exchange, now: f64) -> Option<Step> {
        match exchange.next(now, &self.budget) {
            Progress::Send(timeout) => {
                let Some(request) = self.api_request(timeout.ms) else {
                    self.finish(Err(fail(MgmtFailure::BadResponse, UNEXPECTED)));
                    return None;
                };
                self.state = State::Api(exchange);
                self.requests += 1;
                Some(Step::Send(request))
            }
            Progress::Wait(until_ms) => {
                self.state = State::Api(exchange);
                Some(Step::Wait { until_ms })
            }
            Progress::Failed(failure) => {
                self.finish(Err(failure));
                None
            }
            Progress::Answer(response) => {
                if let Err(failure) = self.read_api(&response) {
                    self.finish(Err(failure));
                }
                None
            }
        }
    }

    /// Reads one Management API answer; sets the next state (or finishes on success).
    fn read_api(&mut self, response: &Response) -> Result<(), Fail> {
        let endpoint = self.request.endpoint;
        let status = response.status;
        if status == 401 {
            let static_token = matches!(
                self.config.as_ref().map(|c| &c.credentials),
                Some(Credentials::Static(_))
            );
            if static_token {
                return Err(fail(
                    MgmtFailure::Unauthorized,
                    "the Management API rejected MANAGEMENT_API_TOKEN (HTTP 401); a static token expires after 24 h, so set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET instead",
                ));
            }
            if self.refreshed {
                return Err(fail(
                    MgmtFailure::Unauthorized,
                    "the Management API answered 401 even to a freshly issued token",
                ));
            }
            self.refreshed = true;
            self.rejected = self.token.take();
            self.state = State::Token(TokenState::Memory);
            return Ok(());
        }
        if status == 403 {
            let scope = match endpoint {
                MfaEndpoint::AuthenticationMethods => "read:authentication_methods",
                MfaEndpoint::Enrollments => "read:users",
            };
            return Err(fail(
                MgmtFailure::Forbidden,
                format!(
                    "the Management API token lacks the {scope} scope needed for /{} (HTTP 403)",
                    endpoint.name()
                ),
            ));
        }
        if status == 404 {
            return Err(fail(
                MgmtFailure::UserNotFound,
                "the Management API has no such user (HTTP 404)",
            ));
        }
        if !(200..=299).contains(&status) {
            let hint = if (300..=399).contains(&status) {
                " (a redirect: AUTH0_DOMAIN may name the wrong host)"
            } else {
                ""
            };
            return Err(fail(
                MgmtFailure::BadResponse,
                format!("the Management API answered HTTP {status}{hint}"),
            ));
        }
        let body = parse_json_body(
            response,
            MgmtFailure::BadResponse,
            "the Management API answer",
        )?;
        match endpoint {
            // One answer, read as it is: whether it is a list of enrollments is the engine's
            // question (`mfa_bad_response`), not the transport's.
            MfaEndpoint::Enrollments => {
                self.finish(Ok(body));
                Ok(())
            }
            MfaEndpoint::AuthenticationMethods => self.read_page(body),
        }
    }

    /// One page of authentication methods: merged, then the next page or the end.
    fn read_page(&mut self, body: Value) -> Result<(), Fail> {
        let bad = |detail: String| fail(MgmtFailure::BadResponse, detail);
        let page = self.page;
        let (page_items, start, total) = match body {
            Value::Array(items) => (items, None, None),
            Value::Object(mut map) if map.get("authenticators").is_some_and(Value::is_array) => {
                let (start, total) = (count(map.get("start")), count(map.get("total")));
                let (Some(start), Some(total), Some(Value::Array(items))) =
                    (start, total, map.remove("authenticators"))
                else {
                    return Err(bad(
                        "the authentication-methods page has no numeric start and total".into(),
                    ));
                };
                (items, Some(start), Some(total))
            }
            // The first answer is not a page at all: it is handed on as it is, and the engine
            // says what it makes of it (`mfa_bad_response`). Later, it breaks the pagination.
            other if page == 0 => {
                self.finish(Ok(other));
                return Ok(());
            }
            _ => return Err(bad(
                "the authentication-methods answer is neither a list nor a page of authenticators"
                    .into(),
            )),
        };
        if page_items.is_empty() {
            self.finish_pages();
            return Ok(());
        }
        // A server that ignores ?page= would hand back page 0 forever; both checks catch that.
        let read = self.items.len();
        if let Some(start) = start {
            if start != read as f64 {
                return Err(bad(format!(
                    "pagination loop: page {page} starts at item {}, expected {read}",
                    crate::transport::ceil_text(start)
                )));
            }
        }
        let ids: Vec<&str> = page_items
            .iter()
            .filter_map(|item| item.get("id").and_then(Value::as_str))
            .collect();
        if ids.len() == page_items.len() && ids.iter().all(|id| self.seen_ids.contains(*id)) {
            return Err(bad(format!(
                "pagination loop: page {page} repeats items already read"
            )));
        }
        self.seen_ids.extend(ids.into_iter().map(str::to_owned));
        let short_page = page_items.len() < PER_PAGE;
        self.items.extend(page_items);
        match total {
            Some(total) => {
                let remaining = total - self.items.len() as f64;
                if remaining <= 0.0 {
                    self.finish_pages();
                    return Ok(());
                }
                if remaining >= self.previous_remaining {
                    return Err(bad(format!(
                        "pagination loop: the total grows as fast as pages are read (page {page})"
                    )));
                }
                self.previous_remaining = remaining;
            }
            None if short_page => {
                self.finish_pages();
                return Ok(());
            }
            None => {}
        }
        self.page += 1;
        if self.page >= MAX_PAGES {
            return Err(bad(format!(
                "the authentication methods span more than {MAX_PAGES} pages"
            )));
        }
        self.state = State::Api(Exchange::new(Service::Api));
        Ok(())
    }

    fn finish_pages(&mut self) {
        let items = std::mem::take(&mut self.items);
        self.finish(Ok(Value::Array(items)));
    }

    fn finish(&mut self, result: Result<Value, Fail>) {
        let (outcome, failure, detail) = match result {
            Ok(methods) => (LookupOutcome::Methods(methods), None, String::new()),
            Err(Fail { failure, detail }) => {
                let code = failure.code().to_owned();
                let outcome = if failure.is_setup() {
                    LookupOutcome::NotConfigured {
                        code,
                        detail: detail.clone(),
                    }
                } else {
                    LookupOutcome::Failed { code }
                };
                (outcome, Some(failure), detail)
            }
        };
        self.result = Some(LookupResult {
            outcome,
            failure,
            detail,
            requests: self.requests,
        });
        self.state = State::Done;
    }
}

impl Drop for Lookup {
    /// A lookup dropped while its token request is out takes the mark with it, so that the
    /// lookups waiting for that request ask themselves instead of waiting for its end.
    fn drop(&mut self) {
        if let (State::Token(TokenState::Own { flight, .. }), Some(keys)) =
            (&self.state, &self.keys)
        {
            if let Ok(mut memory) = self.memory.try_borrow_mut() {
                memory.drop_flight(&keys.memory, *flight);
            }
        }
    }
}
