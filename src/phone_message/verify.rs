//! The Twilio Verify client as sans-IO state machines (the port of `js/verify.js`).
//!
//! A [`VerifyCall`] is one send (Verify delivers a code Auth0 made, as `CustomCode`) or one
//! approve (the verification of a number is reported as approved after the login, the feedback
//! Fraud Guard learns from). It never does I/O: it asks for the three Twilio secrets, then for
//! requests and waits ([`Step`]), and reads the raw outcomes the shim hands back. Every problem
//! ends as one [`VerifyFailure`] with a `detail` sentence; no detail ever carries the auth
//! token, the code, the full number or Twilio's own message text (which can quote the number).
//!
//! Every request is bounded by its timeout and by the login's deadline ([`Budget`]): nothing is
//! sent once the deadline has passed, a request's timeout never outlasts the time left, and a
//! wait never ends past the deadline.

use super::VerifyChannel;
use crate::phone::PhoneNumber;
use crate::transport::{
    base64, encode_uri_component, form_urlencoded, header_safe, parse_origin, BodyAs, Budget,
    CacheEntry, GiveUp, Machine, Method, Origin, OriginRefusal, Outcome, Request, RequestTimeout,
    Response, Retries, RetryPolicy, RetryVerdict, Step, TransportError,
};

use super::failures::NOT_RETRYABLE_429;
pub use super::failures::{twilio_error_text, VerifyFailure, TWILIO_ERRORS};

/// The secrets a call reads, in the order [`VerifyCall::secrets`] takes their values.
pub const VERIFY_SECRET_NAMES: &[&str] = &[
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_VERIFY_SID",
];
/// Twilio Verify's origin.
pub const DEFAULT_VERIFY_BASE_URL: &str = "https://verify.twilio.com";
/// The longest Twilio answer read; Verify's are a few hundred bytes.
pub const MAX_BODY_BYTES: u32 = 64 * 1024;
pub const MAX_RATE_LIMIT_RETRIES: u8 = 2;
pub const MAX_SERVER_RETRIES: u8 = 2;
/// The wait before each 5xx retry.
pub const SERVER_BACKOFF_MS: &[f64] = &[200.0, 600.0];
/// Without Retry-After nobody knows when Twilio takes the request again: one short guess.
pub const BLIND_RATE_LIMIT_BACKOFF_MS: f64 = 300.0;
/// The most requests one call sends: a send may post twice (once more without its locale after
/// a 404), and each post is retried at most this often.
pub const MAX_VERIFY_REQUESTS: u32 =
    2 * (1 + MAX_RATE_LIMIT_RETRIES as u32 + MAX_SERVER_RETRIES as u32);
/// The most steps [`VerifyCall::next`] returns before [`Step::Done`] when the shim answers each
/// one: the secrets, a send and at most one wait per request, and the final done.
pub const MAX_VERIFY_STEPS: u32 = 1 + 2 * MAX_VERIFY_REQUESTS + 1;

const POLICY: RetryPolicy = RetryPolicy {
    max_rate_limit_retries: MAX_RATE_LIMIT_RETRIES,
    max_server_retries: MAX_SERVER_RETRIES,
    server_backoff_ms: SERVER_BACKOFF_MS,
    blind_rate_limit_backoff_ms: BLIND_RATE_LIMIT_BACKOFF_MS,
};

/// The catch-all of verify.js: something happened that the machine did not expect (here: it
/// was asked for its next step before the outcome of its request was handed back).
const UNEXPECTED: &str = "an unexpected error occurred while handling the Twilio answer";

/// Checks `options.verifyBaseUrl`: https to any host, plain http only to a loopback host (a
/// local stand-in), and nothing but an origin. `Err` is the sentence that follows
/// `options.` in the shim's error.
pub fn parse_verify_base_url(raw: &str) -> Result<Origin, &'static str> {
    parse_origin(raw, false).map_err(|refusal| match refusal {
        OriginRefusal::Whitespace => "verifyBaseUrl must be an absolute URL without whitespace",
        OriginRefusal::Malformed => {
            "verifyBaseUrl must be an absolute URL such as https://verify.twilio.com"
        }
        OriginRefusal::Scheme => "verifyBaseUrl must use https",
        OriginRefusal::Credentials => "verifyBaseUrl must not contain credentials",
        OriginRefusal::PathQueryFragment => {
            "verifyBaseUrl must be an origin, without a path, query or fragment"
        }
        OriginRefusal::PlainHttp => {
            "verifyBaseUrl may use plain http only for a loopback host (a local stand-in); use https"
        }
    })
}

/// What one call asks of Verify. The call checks nothing of it again: the number is a
/// [`PhoneNumber`] (E.164 by its type) and the code is the one the delivery planning accepted
/// ([`crate::phone_message::send_phone_message`]: 4 to 10 digits), so each rule has one owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyAction {
    /// Create a verification: Verify delivers `code` to `to` by `channel`.
    Send {
        to: PhoneNumber,
        channel: VerifyChannel,
        code: String,
        /// Verify's `Locale`; `None` or empty leaves it out.
        locale: Option<String>,
    },
    /// Mark the pending verification of `to` as approved.
    Approve { to: PhoneNumber },
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyResult {
    Ok {
        /// The verification SID (VE + 32 hex) when Twilio's answer carried a well-formed one.
        sid: Option<String>,
        /// Verify refused the locale with 404; the send went out again without it.
        locale_dropped: bool,
        requests: u32,
    },
    Failed {
        failure: VerifyFailure,
        /// One sentence; never the auth token, the code, the full number or Twilio's message.
        detail: String,
        /// Twilio's error `code` (1..=999999) from the error body.
        twilio_code: Option<u32>,
        /// The HTTP status of the answer that decided the failure.
        status: Option<u16>,
        requests: u32,
    },
}

/// The credentials and service, once the secrets have been read and checked.
#[derive(Clone)]
struct Config {
    service_sid: String,
    /// `Basic base64(sid:token)`.
    authorization: String,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("service_sid", &self.service_sid)
            .field("authorization", &"<redacted>")
            .finish()
    }
}

/// A failure as it is built, before the request count is added.
#[derive(Debug)]
struct Fail {
    failure: VerifyFailure,
    detail: String,
    twilio_code: Option<u32>,
    status: Option<u16>,
}

fn fail(failure: VerifyFailure, detail: impl Into<String>) -> Fail {
    Fail {
        failure,
        detail: detail.into(),
        twilio_code: None,
        status: None,
    }
}

fn fail_with(
    failure: VerifyFailure,
    detail: String,
    twilio_code: Option<u32>,
    status: u16,
) -> Fail {
    Fail {
        failure,
        detail,
        twilio_code,
        status: Some(status),
    }
}

#[derive(Debug)]
enum Phase {
    /// Nothing asked yet.
    Start,
    /// [`Step::Secrets`] was returned; waiting for [`VerifyCall::secrets`].
    AskedSecrets,
    /// The secrets were handed over; the next step reads them and sends the first request.
    HaveSecrets(Vec<Option<String>>),
    /// A request is out; `outcome` is its answer once handed back.
    Sending {
        timeout: RequestTimeout,
        outcome: Option<Outcome>,
    },
    /// A [`Step::Wait`] was returned; the next step sends the request again.
    Waiting,
    Done,
}

/// One Twilio Verify send or approve. Drive it with [`VerifyCall::next`] until it returns
/// [`Step::Done`], answering [`Step::Secrets`] with [`VerifyCall::secrets`] and [`Step::Send`]
/// with [`VerifyCall::received`]; then read [`VerifyCall::result`]. Calls out of order never
/// panic: an answer nobody asked for is ignored.
pub struct VerifyCall {
    action: VerifyAction,
    base: Origin,
    budget: Budget,
    phase: Phase,
    config: Option<Config>,
    requests: u32,
    retries: Retries,
    /// The locale was refused with 404 and is left out from now on.
    locale_dropped: bool,
    result: Option<VerifyResult>,
}

impl std::fmt::Debug for VerifyCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the code nor the secrets: a Debug line may end up in a log.
        f.debug_struct("VerifyCall")
            .field("phase", &self.phase_name())
            .field("requests", &self.requests)
            .field("locale_dropped", &self.locale_dropped)
            .field("result", &self.result.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Machine for VerifyCall {
    /// What the shim must do next, at epoch time `now_ms`. The first step is
    /// [`Step::Secrets`]; after [`Step::Done`] every call returns `Done` again. The step after a
    /// [`Step::Wait`] sends the request again whatever `now_ms` says (the shim waited), unless
    /// the deadline has passed; so a call ends within [`MAX_VERIFY_STEPS`] steps even with a
    /// clock that goes backwards.
    fn next(&mut self, now_ms: f64) -> Step {
        let step = match std::mem::replace(&mut self.phase, Phase::Done) {
            // Done without a result cannot happen; should it, the call still ends with one.
            Phase::Done if self.result.is_none() => {
                Err(fail(VerifyFailure::BadResponse, UNEXPECTED))
            }
            Phase::Done => Ok(Step::Done),
            Phase::Start | Phase::AskedSecrets => {
                self.phase = Phase::AskedSecrets;
                Ok(Step::Secrets {
                    names: VERIFY_SECRET_NAMES,
                })
            }
            Phase::HaveSecrets(values) => self.start(&values, now_ms),
            Phase::Sending {
                outcome: None,
                timeout: _,
            } => Err(fail(VerifyFailure::BadResponse, UNEXPECTED)),
            Phase::Sending {
                outcome: Some(outcome),
                timeout,
            } => self.judge(outcome, timeout, now_ms),
            Phase::Waiting => self.send(now_ms),
        };
        match step {
            Ok(step) => step,
            Err(failure) => {
                self.finish(VerifyResult::Failed {
                    failure: failure.failure,
                    detail: failure.detail,
                    twilio_code: failure.twilio_code,
                    status: failure.status,
                    requests: self.requests,
                });
                Step::Done
            }
        }
    }

    /// The values of [`VERIFY_SECRET_NAMES`], in that order (`None` for a missing one or one
    /// that is not a string). Ignored unless the secrets are awaited.
    fn secrets(&mut self, values: Vec<Option<String>>) {
        if matches!(self.phase, Phase::Start | Phase::AskedSecrets) {
            self.phase = Phase::HaveSecrets(values);
        }
    }

    /// The outcome of the request of the last [`Step::Send`]. Ignored unless one is awaited.
    fn received(&mut self, outcome: Outcome) {
        if let Phase::Sending {
            outcome: pending @ None,
            ..
        } = &mut self.phase
        {
            *pending = Some(outcome);
        }
    }

    /// Verify's calls read no cache.
    fn cached(&mut self, _entry: Option<CacheEntry>) {}
}

impl VerifyCall {
    /// A call against `base` (see [`parse_verify_base_url`]) within `budget`.
    pub fn new(action: VerifyAction, base: Origin, budget: Budget) -> VerifyCall {
        VerifyCall {
            action,
            base,
            budget,
            phase: Phase::Start,
            config: None,
            requests: 0,
            retries: Retries::default(),
            locale_dropped: false,
            result: None,
        }
    }

    /// How the call ended: `Some` once [`VerifyCall::next`] has returned [`Step::Done`].
    pub fn result(&self) -> Option<&VerifyResult> {
        self.result.as_ref()
    }

    fn phase_name(&self) -> &'static str {
        match self.phase {
            Phase::Start => "start",
            Phase::AskedSecrets => "asked_secrets",
            Phase::HaveSecrets(_) => "have_secrets",
            Phase::Sending { .. } => "sending",
            Phase::Waiting => "waiting",
            Phase::Done => "done",
        }
    }

    fn finish(&mut self, result: VerifyResult) {
        self.phase = Phase::Done;
        self.result = Some(result);
    }

    /// Reads the secrets, sends the first request.
    fn start(&mut self, values: &[Option<String>], now_ms: f64) -> Result<Step, Fail> {
        self.config = Some(resolve_config(values)?);
        self.send(now_ms)
    }

    /// Sends the current request, unless the deadline has passed.
    fn send(&mut self, now_ms: f64) -> Result<Step, Fail> {
        let Some(timeout) = self.budget.request_timeout(now_ms) else {
            return Err(fail(
                VerifyFailure::Timeout,
                "the deadline passed before Twilio could be asked",
            ));
        };
        let Some(config) = &self.config else {
            return Err(fail(VerifyFailure::BadResponse, UNEXPECTED));
        };
        let verifications = format!(
            "{}/v2/Services/{}/Verifications",
            self.base.as_str(),
            config.service_sid
        );
        let (url, body) = match &self.action {
            VerifyAction::Send {
                to, channel, code, ..
            } => {
                let mut form = vec![
                    ("To", to.as_str()),
                    ("Channel", channel.name()),
                    ("CustomCode", code.as_str()),
                ];
                if let Some(locale) = self.locale() {
                    form.push(("Locale", locale));
                }
                (verifications, form_urlencoded(&form))
            }
            VerifyAction::Approve { to } => (
                format!("{verifications}/{}", encode_uri_component(to.as_str())),
                form_urlencoded(&[("Status", "approved")]),
            ),
        };
        let request = Request {
            method: Method::Post,
            url,
            headers: vec![
                ("authorization", config.authorization.clone()),
                (
                    "content-type",
                    "application/x-www-form-urlencoded".to_owned(),
                ),
                ("accept", "application/json".to_owned()),
            ],
            body: Some(body),
            timeout_ms: timeout.ms,
            max_body_bytes: MAX_BODY_BYTES,
            body_as: BodyAs::Text,
            response_headers: &["retry-after"],
        };
        self.requests += 1;
        self.phase = Phase::Sending {
            timeout,
            outcome: None,
        };
        Ok(Step::Send(request))
    }

    /// The `Locale` the next send carries: the action's, unless empty or dropped after a 404.
    fn locale(&self) -> Option<&str> {
        match &self.action {
            VerifyAction::Send {
                locale: Some(locale),
                ..
            } if !locale.is_empty() && !self.locale_dropped => Some(locale),
            _ => None,
        }
    }

    /// Reads the outcome of a request: a retry, a wait, another post, or the end.
    fn judge(
        &mut self,
        outcome: Outcome,
        timeout: RequestTimeout,
        now_ms: f64,
    ) -> Result<Step, Fail> {
        let response = match outcome {
            Outcome::Failed(error) => return Err(transport_failure(&error, timeout)),
            Outcome::Response(response) => response,
        };
        let status = response.status;
        let twilio_code = twilio_code_of(&response);
        if status == 429 && twilio_code.is_some_and(|code| NOT_RETRYABLE_429.contains(&code)) {
            return Err(fail_with(
                VerifyFailure::Rejected,
                format!("Twilio answered HTTP 429{}", describe(twilio_code)),
                twilio_code,
                status,
            ));
        }
        match POLICY.judge(&mut self.retries, &response, now_ms, &self.budget) {
            RetryVerdict::Retry { wait_ms } => {
                self.phase = Phase::Waiting;
                Ok(Step::Wait {
                    until_ms: self.budget.wait_until(now_ms, wait_ms),
                })
            }
            RetryVerdict::GiveUp(give_up) => Err(give_up_failure(give_up, status, twilio_code)),
            RetryVerdict::Answer => self.answer(&response, twilio_code, now_ms),
        }
    }

    /// An answer that is neither 429 nor 5xx.
    fn answer(
        &mut self,
        response: &Response,
        twilio_code: Option<u32>,
        now_ms: f64,
    ) -> Result<Step, Fail> {
        let status = response.status;
        // Verify answers 404 to a locale it does not support; Twilio's advice is to retry
        // without it, so that the number's country picks the language. The second post has
        // retries of its own.
        if status == 404 && self.locale().is_some() {
            self.locale_dropped = true;
            self.retries = Retries::default();
            return self.send(now_ms);
        }
        if !(200..=299).contains(&status) {
            let what = match self.action {
                VerifyAction::Send { .. } => "the verification",
                VerifyAction::Approve { .. } => "the feedback",
            };
            return Err(status_failure(status, twilio_code, what));
        }
        // A 2xx is Twilio's word that the message is on its way, even when the body is odd.
        let sid = verification_sid(response);
        self.finish(VerifyResult::Ok {
            sid,
            locale_dropped: self.locale_dropped,
            requests: self.requests,
        });
        Ok(Step::Done)
    }
}

/// Reads and checks the three secrets (trimmed as JavaScript's `trim` does).
fn resolve_config(values: &[Option<String>]) -> Result<Config, Fail> {
    let value = |name: &str| crate::transport::secret(VERIFY_SECRET_NAMES, values, name);
    let (account_sid, auth_token, service_sid) = (
        value("TWILIO_ACCOUNT_SID"),
        value("TWILIO_AUTH_TOKEN"),
        value("TWILIO_VERIFY_SID"),
    );
    let missing: Vec<&str> = [account_sid, auth_token, service_sid]
        .iter()
        .zip(VERIFY_SECRET_NAMES)
        .filter(|(value, _)| value.is_none())
        .map(|(_, name)| *name)
        .collect();
    let (Some(account_sid), Some(auth_token), Some(service_sid)) =
        (account_sid, auth_token, service_sid)
    else {
        return Err(fail(
            VerifyFailure::NotConfigured,
            format!("the secret(s) {} are not set", missing.join(", ")),
        ));
    };
    if !is_sid(account_sid, "AC") {
        return Err(fail(
            VerifyFailure::NotConfigured,
            "TWILIO_ACCOUNT_SID is not AC followed by 32 hex digits",
        ));
    }
    if !is_sid(service_sid, "VA") {
        return Err(fail(
            VerifyFailure::NotConfigured,
            "TWILIO_VERIFY_SID is not VA followed by 32 hex digits (the Verify service SID)",
        ));
    }
    if !header_safe(auth_token) {
        return Err(fail(
            VerifyFailure::NotConfigured,
            "TWILIO_AUTH_TOKEN contains characters that cannot go in an HTTP header",
        ));
    }
    Ok(Config {
        service_sid: service_sid.to_owned(),
        authorization: format!(
            "Basic {}",
            base64(format!("{account_sid}:{auth_token}").as_bytes())
        ),
    })
}

/// `prefix` followed by 32 hex digits (either case).
fn is_sid(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix)
        .is_some_and(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Twilio's error body `{code, message, more_info, status}`: only an integer code in
/// 1..=999999 is kept (the message can quote the number).
fn twilio_code_of(response: &Response) -> Option<u32> {
    let body = response.json()?;
    let code = body.as_object()?.get("code")?.as_f64()?;
    // `Number.isInteger`: 60410.0 is an integer too.
    let integer = code.is_finite() && code.fract() == 0.0 && code > 0.0 && code < 1_000_000.0;
    // In 1..=999999, so the conversion is exact.
    integer.then_some(code as u32)
}

/// The verification SID of a 2xx answer, when it is VE followed by 32 hex digits.
fn verification_sid(response: &Response) -> Option<String> {
    let body = response.json()?;
    let sid = body.as_object()?.get("sid")?.as_str()?;
    is_sid(sid, "VE").then(|| sid.to_owned())
}

/// ` (Twilio error 60410: delivery blocked by Verify Fraud Guard)`, or "" without a code.
fn describe(twilio_code: Option<u32>) -> String {
    match twilio_code {
        None => String::new(),
        Some(code) => match twilio_error_text(code) {
            Some(text) => format!(" (Twilio error {code}: {text})"),
            None => format!(" (Twilio error {code})"),
        },
    }
}

fn give_up_failure(give_up: GiveUp, status: u16, twilio_code: Option<u32>) -> Fail {
    let code_text = describe(twilio_code);
    let (failure, detail) = match give_up {
        GiveUp::RateLimitSpent { retries } => (
            VerifyFailure::RateLimited,
            format!("Twilio still answered 429 after {retries} retries{code_text}"),
        ),
        GiveUp::RateLimitPastDeadline { wait_ms } => (
            VerifyFailure::RateLimited,
            format!(
                "Twilio answered 429 and asked to wait {} ms, which would pass the deadline",
                crate::transport::ceil_text(wait_ms)
            ),
        ),
        GiveUp::ServerSpent { retries } => (
            VerifyFailure::ServerError,
            format!("Twilio answered HTTP {status}, also after {retries} retries{code_text}"),
        ),
        GiveUp::ServerPastDeadline => (
            VerifyFailure::ServerError,
            format!("Twilio answered HTTP {status} and no time is left to retry{code_text}"),
        ),
    };
    fail_with(failure, detail, twilio_code, status)
}

/// An answer that is not 2xx (and neither 429 nor 5xx, or no longer retried).
fn status_failure(status: u16, twilio_code: Option<u32>, what: &str) -> Fail {
    let detail = format!(
        "Twilio answered HTTP {status} to {what}{}",
        describe(twilio_code)
    );
    let (failure, detail) = match status {
        401 | 403 => (VerifyFailure::Unauthorized, detail),
        404 => (VerifyFailure::NotFound, detail),
        300..=399 => (
            VerifyFailure::BadResponse,
            format!("{detail}: a redirect, which is not followed"),
        ),
        400..=499 => (VerifyFailure::Rejected, detail),
        _ => (VerifyFailure::BadResponse, detail),
    };
    fail_with(failure, detail, twilio_code, status)
}

/// Why no answer arrived.
fn transport_failure(error: &TransportError, timeout: RequestTimeout) -> Fail {
    let failure = match error {
        TransportError::Timeout => VerifyFailure::Timeout,
        TransportError::Network { .. } => VerifyFailure::Network,
        _ => VerifyFailure::BadResponse,
    };
    fail(
        failure,
        error.detail("Twilio", timeout, "the deadline", MAX_BODY_BYTES),
    )
}

// Native only: the property tests use proptest, which has no wasm32 randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "verify_tests.rs"]
mod tests;
