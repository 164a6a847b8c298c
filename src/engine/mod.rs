//! The decision for one login: which claims go on which token, and the trace of why.
//!
//! [`CompiledConfig::plan`] decides everything it can from the event alone. Only when the `mfa`
//! phone source is reached, the `phone` scope was requested, no earlier source gave a number and
//! `user.enrolledFactors` does not rule a phone enrollment out does it ask for a lookup
//! ([`Plan::Lookup`]); [`CompiledConfig::finish`] then decides with the lookup's outcome.
//!
//! Size budget: Auth0 fails a login whose custom claims exceed 100 KB on one token. The plan
//! never does: when a token's claims would measure more than [`TOKEN_BUDGET_BYTES`] (names and
//! values as compact JSON), custom claims are dropped, largest first (ties by name), until the
//! rest fits; the phone claims are never dropped. Each drop is in the trace.

pub mod claims;
pub mod config;
pub mod event;
pub mod json;
pub mod login;
pub mod path;
pub mod scope;
pub mod trace;

use crate::claims::{Token, PHONE_NUMBER, PHONE_NUMBER_VERIFIED};
use crate::config::{CompiledConfig, MfaEndpoint, PhoneSlots, PhoneSource};
use crate::countries::{self, Country};
use crate::event::{EventView, Slot, SlotFault};
use crate::mfa::{self, Choice};
use crate::phone::{self, PhoneNumber, PhoneRejection};
use crate::scope::ScopeSource;
use crate::trace::{Outcome, Reason, TraceEntry};
use json::Kind;
use serde::Serialize;
use serde_json::{Map, Value};

/// The most a token's custom claims may measure, in bytes of compact JSON. Auth0's limit is
/// "100 KB"; this takes the smaller reading (10^5, not 2^10 × 100) so that it holds either way.
pub const TOKEN_BUDGET_BYTES: usize = 100_000;

/// A Management API lookup the plan needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LookupRequest {
    pub endpoint: MfaEndpoint,
    pub user_id: String,
}

/// The outcome of the lookup, as the caller saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum LookupOutcome {
    /// The response body (all pages merged): a list of methods or enrollments.
    Methods(Value),
    /// The lookup failed; `code` says why (`mgmt_timeout`, `mgmt_forbidden`, ...).
    Failed { code: String },
    /// The Action's secrets do not set up the Management API, so nothing was asked: a setup
    /// state, not a fault. `code` is the failure code (`mgmt_not_configured`,
    /// `mgmt_domain_refused`), `detail` says which secret to add or fix (never a secret value).
    NotConfigured { code: String, detail: String },
}

/// What a login knows of its lookup when it is decided: the [`LookupOutcome`], or
/// [`NoLookup`] when the event alone decides. A decision made with [`NoLookup`] has no code
/// that reads a lookup's answer (the Management API parsing, the enrollment choice), so the
/// module that decides from the event alone does not carry it.
pub trait KnownLookup {
    fn outcome(&self) -> &LookupOutcome;
}

impl KnownLookup for LookupOutcome {
    fn outcome(&self) -> &LookupOutcome {
        self
    }
}

/// No lookup has run: the login is decided from the event, or asks for one.
#[derive(Debug, Clone, Copy)]
pub enum NoLookup {}

impl KnownLookup for NoLookup {
    fn outcome(&self) -> &LookupOutcome {
        match *self {}
    }
}

/// Failure codes that mean the lookup was never set up rather than that it went wrong: the
/// secrets are missing, or unusable before any request is made.
/// The codes of the catalogue's setup failures ([`crate::management::MgmtFailure::is_setup`]).
pub const SETUP_FAILURES: &[&str] = &[
    crate::management::MgmtFailure::NotConfigured.code(),
    crate::management::MgmtFailure::DomainRefused.code(),
];

impl LookupOutcome {
    /// The outcome of a lookup that failed with `code`: a setup state for the codes of
    /// [`SETUP_FAILURES`], a fault for any other.
    pub fn from_failure(code: &str, detail: &str) -> LookupOutcome {
        if SETUP_FAILURES.contains(&code) {
            LookupOutcome::NotConfigured {
                code: code.to_owned(),
                detail: detail.to_owned(),
            }
        } else {
            LookupOutcome::Failed {
                code: code.to_owned(),
            }
        }
    }
}

/// What the first step of a login decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Done(Decision),
    Lookup(LookupRequest),
}

/// Every claim of one login, decided, without copying a value: the phone claims, and which of
/// the configuration's custom claims to set, by index. The shim applies it with the values it
/// read; [`Verdict::render`] spells the claims out for tools and tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// `phone_number` (E.164) and `phone_number_verified`, for the ID token.
    pub phone: Option<(PhoneNumber, bool)>,
    /// The custom claims to set, as indices into the configuration's claims
    /// ([`CompiledConfig::claim_count`]), in the order they are set: the ID token's in
    /// configuration order, then the access token's.
    pub set: Vec<usize>,
    pub trace: Vec<TraceEntry>,
    /// True when the MFA lookup failed and the phone claims were withheld because of it; the
    /// caller's failure policy (continue or deny) applies.
    pub lookup_failed: bool,
    /// Set when the `mfa` source was skipped because the Management API is not set up: what is
    /// missing. Never a fault; the handler logs it once per Action instance.
    pub mfa_not_configured: Option<String>,
    /// A line for the Action's log, when there is one to write (set by [`login::Handler`]).
    pub log: Option<String>,
    /// The lookup failed and the handler's `onError` is `deny`: the shim denies the login.
    pub deny: bool,
}

impl Verdict {
    /// The claims as name → value maps, the values read from the event's slots.
    pub fn render(self, config: &CompiledConfig, event: &EventView) -> Decision {
        let mut id_token = Map::new();
        let mut access_token = Map::new();
        if let Some((number, verified)) = self.phone {
            id_token.insert(PHONE_NUMBER.to_owned(), Value::String(number.into_string()));
            id_token.insert(PHONE_NUMBER_VERIFIED.to_owned(), Value::Bool(verified));
        }
        for rule in self
            .set
            .iter()
            .filter_map(|&index| config.claims.get(index))
        {
            let claims = match rule.token {
                Token::Id => &mut id_token,
                Token::Access => &mut access_token,
            };
            if let Some(value) = event.slot(rule.slot).to_value() {
                claims.insert(rule.name.clone(), value);
            }
        }
        Decision {
            id_token,
            access_token,
            trace: self.trace,
            lookup_failed: self.lookup_failed,
            mfa_not_configured: self.mfa_not_configured,
            log: self.log,
            deny: self.deny,
        }
    }
}

/// Every claim of one login with its value, and why: a [`Verdict`] rendered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub id_token: Map<String, Value>,
    pub access_token: Map<String, Value>,
    pub trace: Vec<TraceEntry>,
    /// True when the MFA lookup failed and the phone claims were withheld because of it; the
    /// caller's failure policy (continue or deny) applies.
    pub lookup_failed: bool,
    /// Set when the `mfa` source was skipped because the Management API is not set up: what is
    /// missing. Never a fault; the boundary logs it once per Action instance.
    #[serde(skip)]
    pub mfa_not_configured: Option<String>,
    /// A line for the Action's log, when there is one to write (set by [`login::Handler`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// The lookup failed and the handler's `onError` is `deny`: the shim denies the login.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deny: bool,
}

/// The phone claims of one login, or the lookup needed to decide them.
enum PhoneStep<const EXPLAIN: bool> {
    NeedLookup(LookupRequest),
    Decided {
        found: Option<(PhoneNumber, bool)>,
        trace: Trace<EXPLAIN>,
        lookup_failed: bool,
        not_configured: Option<String>,
    },
}

/// The trace under construction. A production login does not read the trace, so it is built
/// only when asked for (`explain`): otherwise entries, and the strings in them, are never made.
/// `EXPLAIN` is a constant, so a decision without the trace has no code that builds one (the
/// module that decides production logins never builds a trace).
struct Trace<const EXPLAIN: bool> {
    entries: Vec<TraceEntry>,
}

impl<const EXPLAIN: bool> Trace<EXPLAIN> {
    fn new() -> Trace<EXPLAIN> {
        Trace {
            entries: Vec::new(),
        }
    }

    fn push(&mut self, entry: impl FnOnce() -> TraceEntry) {
        if EXPLAIN {
            self.entries.push(entry());
        }
    }
}

impl CompiledConfig {
    /// First step of a login, with the trace.
    pub fn plan(&self, event: &EventView) -> Plan {
        self.plan_with(event, true)
    }

    /// First step of a login; the trace is built only when `explain` is true, and the claims
    /// never depend on it.
    pub fn plan_with(&self, event: &EventView, explain: bool) -> Plan {
        match self.verdict(event, None::<&NoLookup>, explain) {
            Ok(verdict) => Plan::Done(verdict.render(self, event)),
            Err(request) => Plan::Lookup(request),
        }
    }

    /// The verdict of a login, or the lookup it needs first (never asked for when `lookup` is
    /// given). The trace is built only when `explain` is true; nothing else depends on it.
    #[inline(always)]
    pub fn verdict<L: KnownLookup>(
        &self,
        event: &EventView,
        lookup: Option<&L>,
        explain: bool,
    ) -> Result<Verdict, LookupRequest> {
        if explain {
            self.verdict_as::<L, true>(event, lookup)
        } else {
            self.verdict_as::<L, false>(event, lookup)
        }
    }

    fn verdict_as<L: KnownLookup, const EXPLAIN: bool>(
        &self,
        event: &EventView,
        lookup: Option<&L>,
    ) -> Result<Verdict, LookupRequest> {
        match self.phone_step::<L, EXPLAIN>(event, lookup) {
            PhoneStep::NeedLookup(request) => Err(request),
            decided => Ok(self.decide(event, decided)),
        }
    }

    /// How many custom claims the configuration has: [`Verdict::set`] indexes them.
    pub fn claim_count(&self) -> usize {
        self.claims.len()
    }

    /// Second step, with the lookup's outcome. Called without a prior plan it still decides
    /// correctly: the lookup is simply used if the `mfa` source is reached.
    pub fn finish(&self, event: &EventView, lookup: &LookupOutcome) -> Decision {
        self.finish_with(event, lookup, true)
    }

    /// [`CompiledConfig::finish`], with the trace only when `explain` is true.
    pub fn finish_with(
        &self,
        event: &EventView,
        lookup: &LookupOutcome,
        explain: bool,
    ) -> Decision {
        let verdict = if explain {
            let step = self.phone_step::<LookupOutcome, true>(event, Some(lookup));
            self.decide(event, step)
        } else {
            let step = self.phone_step::<LookupOutcome, false>(event, Some(lookup));
            self.decide(event, step)
        };
        verdict.render(self, event)
    }

    fn decide<const EXPLAIN: bool>(&self, event: &EventView, phone: PhoneStep<EXPLAIN>) -> Verdict {
        let mut decision = Verdict {
            phone: None,
            // At most every claim: one allocation, no growth.
            set: Vec::with_capacity(self.claims.len()),
            trace: Vec::new(),
            lookup_failed: false,
            mfa_not_configured: None,
            log: None,
            deny: false,
        };
        let mut trace = Trace::new();
        if let PhoneStep::Decided {
            found,
            trace: phone_trace,
            lookup_failed,
            not_configured,
        } = phone
        {
            trace = phone_trace;
            decision.lookup_failed = lookup_failed;
            decision.mfa_not_configured = not_configured;
            decision.phone = found;
        }
        for token in [Token::Id, Token::Access] {
            self.custom_claims(token, event, &mut decision, &mut trace);
        }
        decision.trace = trace.entries;
        decision
    }

    fn custom_claims<const EXPLAIN: bool>(
        &self,
        token: Token,
        event: &EventView,
        decision: &mut Verdict,
        trace: &mut Trace<EXPLAIN>,
    ) {
        // Each claim counts `"name":value,`: one comma more than the object has, which the
        // braces outweigh by one, so the token's JSON is the sum plus 1.
        let mut used: usize = 1;
        if token == Token::Id {
            if let Some((number, verified)) = &decision.phone {
                used += phone_claims_size(number.as_str(), *verified);
            }
        }
        let rules = || {
            self.claims
                .iter()
                .enumerate()
                .filter(move |(_, rule)| rule.token == token)
        };
        let first = decision.set.len();
        for (index, rule) in rules() {
            let entry = |outcome, reason| {
                TraceEntry::new(token, &rule.name, outcome, reason).source(rule.path.to_string())
            };
            match event.slot(rule.slot) {
                Slot::Missing => trace.push(|| entry(Outcome::Skipped, Reason::MissingValue)),
                Slot::Fault(SlotFault::Unreadable) => {
                    trace.push(|| entry(Outcome::Skipped, Reason::UnreadableValue))
                }
                Slot::Fault(SlotFault::Unsupported) => {
                    trace.push(|| entry(Outcome::Skipped, Reason::UnsupportedValue))
                }
                value => {
                    used = used.saturating_add(claim_size(rule, value));
                    decision.set.push(index);
                }
            }
        }
        if used > TOKEN_BUDGET_BYTES {
            self.fit_budget(token, event, &mut decision.set, first, used, trace);
        }
        for &index in decision.set.get(first..).unwrap_or_default() {
            if let Some(rule) = self.claims.get(index) {
                trace.push(|| {
                    TraceEntry::new(token, &rule.name, Outcome::Set, Reason::ValueCopied)
                        .source(rule.path.to_string())
                });
            }
        }
    }

    /// Drops custom claims from `set[first..]` (this token's), largest first, ties by name, so
    /// that the fewest are lost and the choice never depends on the configuration's order,
    /// until the token's claims measure at most [`TOKEN_BUDGET_BYTES`] (`used` now).
    fn fit_budget<const EXPLAIN: bool>(
        &self,
        token: Token,
        event: &EventView,
        set: &mut Vec<usize>,
        first: usize,
        mut used: usize,
        trace: &mut Trace<EXPLAIN>,
    ) {
        let size = |index: usize| {
            self.claims
                .get(index)
                .map_or(0, |rule| claim_size(rule, event.slot(rule.slot)))
        };
        let name = |index: usize| self.claims.get(index).map(|rule| rule.name.as_str());
        let mut by_size: Vec<(usize, usize)> = set
            .get(first..)
            .unwrap_or_default()
            .iter()
            .map(|&index| (size(index), index))
            .collect();
        sort_small(&mut by_size, |&(size_a, a), &(size_b, b)| {
            size_a > size_b || (size_a == size_b && name(a) < name(b))
        });
        let mut dropped = Vec::new();
        for (size, index) in by_size {
            if used <= TOKEN_BUDGET_BYTES {
                break;
            }
            used -= size;
            dropped.push(index);
        }
        let considered = set.split_off(first);
        for index in considered {
            if !dropped.contains(&index) {
                set.push(index);
            } else if let Some(rule) = self.claims.get(index) {
                let size = size(index);
                trace.push(|| {
                    TraceEntry::new(token, &rule.name, Outcome::Dropped, Reason::TokenSizeBudget)
                        .source(rule.path.to_string())
                        .detail(format!(
                            "{size} bytes; the {} custom claims must stay within {TOKEN_BUDGET_BYTES} bytes, and the largest claims are dropped first",
                            token.key()
                        ))
                });
            }
        }
    }

    fn phone_step<L: KnownLookup, const EXPLAIN: bool>(
        &self,
        event: &EventView,
        lookup: Option<&L>,
    ) -> PhoneStep<EXPLAIN> {
        let mut trace = Trace::new();
        let Some(policy) = &self.phone else {
            return PhoneStep::Decided {
                found: None,
                trace,
                lookup_failed: false,
                not_configured: None,
            };
        };
        let both = |trace: &mut Trace<EXPLAIN>, outcome, reason, source: &str, detail: &str| {
            for claim in [PHONE_NUMBER, PHONE_NUMBER_VERIFIED] {
                trace.push(|| {
                    TraceEntry::new(Token::Id, claim, outcome, reason)
                        .source(source)
                        .detail(detail)
                });
            }
        };
        let scope = scope::check(
            "phone",
            &event.slot(policy.requested_scopes),
            &event.slot(policy.body_scope),
            &event.slot(policy.query_scope),
            &event.slot(policy.protocol),
        );
        if EXPLAIN {
            let slots = [
                (
                    ScopeSource::RequestedScopes,
                    policy.requested_scopes,
                    "an array of strings",
                ),
                (
                    ScopeSource::RequestBody,
                    policy.body_scope,
                    "a space-separated string",
                ),
                (
                    ScopeSource::RequestQuery,
                    policy.query_scope,
                    "a space-separated string",
                ),
            ];
            for (place, slot, expected) in slots {
                if scope.malformed.contains(&place) {
                    let detail = malformed_detail(place.path(), event.slot(slot), expected);
                    both(
                        &mut trace,
                        Outcome::Noted,
                        Reason::MalformedEventData,
                        place.path(),
                        &detail,
                    );
                }
            }
        }
        if !scope.requested {
            let (reason, detail) = if scope.source == ScopeSource::Nowhere
                && !scope.malformed.is_empty()
            {
                (
                    Reason::MalformedEventData,
                    "no well-formed scope in the event, so the phone scope cannot be shown to be requested",
                )
            } else {
                (
                    Reason::ScopeNotRequested,
                    "the phone scope was not requested; Auth0 removes phone claims without it",
                )
            };
            both(
                &mut trace,
                Outcome::Skipped,
                reason,
                scope.source.path(),
                detail,
            );
            return PhoneStep::Decided {
                found: None,
                trace,
                lookup_failed: false,
                not_configured: None,
            };
        }
        // Looked up only for a number written without `+` (and for the trace of one).
        let country = || region(policy, event).map(|r| r.country);
        let mut not_configured = None;
        for &source in &policy.sources {
            let skip = |trace: &mut Trace<EXPLAIN>, reason: Reason, detail: String| {
                trace.push(|| {
                    TraceEntry::new(Token::Id, PHONE_NUMBER, Outcome::Skipped, reason)
                        .source(source.name())
                        .detail(detail)
                });
            };
            let attempt = match source {
                PhoneSource::Profile => profile_number::<EXPLAIN>(policy, event, &country),
                PhoneSource::AppMetadata => metadata_number::<EXPLAIN>(policy, event, &country),
                PhoneSource::Mfa => {
                    match mfa_number(policy, event, lookup, &country, &mut trace) {
                        MfaAttempt::NeedLookup(request) => return PhoneStep::NeedLookup(request),
                        MfaAttempt::NotConfigured { code, detail } => {
                            trace.push(|| {
                                failure_entry(
                                    Reason::MfaNotConfigured,
                                    format!("no Management API lookup: {detail}; the next source is tried"),
                                    &code,
                                )
                            });
                            not_configured = Some(detail);
                            continue;
                        }
                        MfaAttempt::Failed(reason, code) => {
                            trace.push(|| {
                                failure_entry(
                                    reason,
                                    format!("the Management API lookup failed ({code})"),
                                    &code,
                                )
                            });
                            both(
                            &mut trace,
                            Outcome::Skipped,
                            Reason::LookupFailed,
                            "mfa",
                            "withheld: the MFA lookup failed, and a later source could give a different number than the one the user enrolled",
                        );
                            return PhoneStep::Decided {
                                found: None,
                                trace,
                                lookup_failed: true,
                                not_configured,
                            };
                        }
                        MfaAttempt::Done(attempt) => attempt,
                    }
                }
            };
            match attempt {
                Attempt::Found {
                    number,
                    verified,
                    detail,
                } => {
                    trace.push(|| {
                        let mut text = format!("{} {detail}", number.redacted());
                        if let Some(region) =
                            region(policy, event).filter(|_| number.was_national())
                        {
                            text.push_str(&format!(
                                "; converted from national format with {} (+{}, from {})",
                                region.country.iso, region.country.calling_code, region.from
                            ));
                        }
                        TraceEntry::new(Token::Id, PHONE_NUMBER, Outcome::Set, Reason::PhoneFound)
                            .source(source.name())
                            .detail(text)
                    });
                    trace.push(|| {
                        let (reason, note) = match verified.malformed {
                            Some(note) => (Reason::MalformedEventData, format!("; {note}")),
                            None => (Reason::PhoneFound, String::new()),
                        };
                        TraceEntry::new(Token::Id, PHONE_NUMBER_VERIFIED, Outcome::Set, reason)
                            .source(source.name())
                            .detail(format!(
                                "{}: describes {}, the number set{note}",
                                verified.value,
                                number.redacted()
                            ))
                    });
                    return PhoneStep::Decided {
                        found: Some((number, verified.value)),
                        trace,
                        lookup_failed: false,
                        not_configured,
                    };
                }
                Attempt::Skipped(reason, detail) => skip(&mut trace, reason, detail),
            }
        }
        if EXPLAIN {
            let sources: Vec<&str> = policy.sources.iter().map(|s| s.name()).collect();
            both(
                &mut trace,
                Outcome::Skipped,
                Reason::NoPhoneNumber,
                &sources.join(", "),
                "no phone source gave a valid number",
            );
        }
        PhoneStep::Decided {
            found: None,
            trace,
            lookup_failed: false,
            not_configured,
        }
    }
}

/// The `phone_number` entry of the `mfa` source when no lookup answer could be used, with the
/// Management API failure code.
fn failure_entry(reason: Reason, detail: String, code: &str) -> TraceEntry {
    let mut entry = TraceEntry::new(Token::Id, PHONE_NUMBER, Outcome::Skipped, reason)
        .source(PhoneSource::Mfa.name())
        .detail(detail);
    entry.failure = Some(code.to_owned());
    entry
}

/// The country of numbers stored without `+`, and where it came from.
struct Region<'a> {
    country: Country,
    from: &'a str,
}

/// `phone.countryPath` when its slot holds a known ISO code, else `phone.defaultCountry`.
fn region<'a>(policy: &'a PhoneSlots, event: &EventView) -> Option<Region<'a>> {
    policy
        .country
        .as_ref()
        .and_then(|(slot, path)| {
            let country = event
                .slot(*slot)
                .as_str()
                .and_then(|iso| countries::by_iso(&iso))?;
            Some(Region {
                country,
                from: path.as_str(),
            })
        })
        .or_else(|| {
            policy.default_country.map(|country| Region {
                country,
                from: "phone.defaultCountry",
            })
        })
}

/// A detail of the trace: made only when the trace is built, an empty string (no allocation)
/// otherwise.
fn detail<const EXPLAIN: bool>(make: impl FnOnce() -> String) -> String {
    if EXPLAIN {
        make()
    } else {
        String::new()
    }
}

/// A trace detail for a field that holds the wrong type: its path, what it holds, and what
/// Auth0 documents there.
fn malformed_detail(path: &str, slot: Slot<'_>, expected: &str) -> String {
    let found = match slot.kind() {
        None => "nothing usable",
        Some(Kind::Null) => "null",
        Some(Kind::Bool) => "a boolean",
        Some(Kind::Number) => "a number",
        Some(Kind::String) => "a string",
        Some(Kind::Array) if slot.items().any(|i| i.kind() != Kind::String) => {
            "an array with non-string items"
        }
        Some(Kind::Array) => "an array",
        Some(Kind::Object) => "an object",
    };
    format!("{path} is {found}, not {expected} (malformed event data); read as absent")
}

enum Attempt<'a> {
    Found {
        number: PhoneNumber,
        verified: Verified,
        detail: FoundDetail<'a>,
    },
    Skipped(Reason, String),
}

/// The verified flag of a found number, and a note when its field held the wrong type.
struct Verified {
    value: bool,
    /// The trace note for a flag that is not a boolean (`"true"`, `1`): read as not verified.
    malformed: Option<String>,
}

impl Verified {
    /// Only the boolean `true` verifies; `null` or nothing is simply false; any other value is
    /// false and malformed.
    fn from_slot<const EXPLAIN: bool>(slot: Slot<'_>, path: &str) -> Verified {
        match slot {
            Slot::Bool(value) => Verified {
                value,
                malformed: None,
            },
            Slot::Missing => Verified {
                value: false,
                malformed: None,
            },
            _ => Verified {
                value: false,
                malformed: Some(detail::<EXPLAIN>(|| {
                    malformed_detail(path, slot, "true or false")
                })),
            },
        }
    }
}

/// Where a number was found, rendered into the trace only when one is built.
enum FoundDetail<'a> {
    Event {
        path: &'a str,
        verified_path: &'a str,
    },
    Mfa(String),
}

impl std::fmt::Display for FoundDetail<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FoundDetail::Event {
                path,
                verified_path,
            } => write!(f, "from {path}; verified from {verified_path}"),
            FoundDetail::Mfa(text) => f.write_str(text),
        }
    }
}

enum MfaAttempt {
    NeedLookup(LookupRequest),
    Failed(Reason, String),
    NotConfigured { code: String, detail: String },
    Done(Attempt<'static>),
}

/// A number read from the event (profile or app_metadata), with the verified flag of the same
/// source.
fn event_number<'a, const EXPLAIN: bool>(
    slot: Slot<'_>,
    path: &'a str,
    verified: Verified,
    verified_path: &'a str,
    country: &dyn Fn() -> Option<Country>,
) -> Attempt<'a> {
    let raw = match slot {
        Slot::Missing => {
            return Attempt::Skipped(
                Reason::SourceEmpty,
                detail::<EXPLAIN>(|| format!("no number at {path}")),
            )
        }
        Slot::Fault(SlotFault::Unreadable) => {
            return Attempt::Skipped(
                Reason::UnreadableValue,
                detail::<EXPLAIN>(|| format!("reading {path} threw")),
            )
        }
        Slot::Fault(SlotFault::Unsupported) => {
            return Attempt::Skipped(
                Reason::UnsupportedValue,
                detail::<EXPLAIN>(|| format!("{path} cannot be read as JSON")),
            )
        }
        value => match value.as_str() {
            Some(raw) => raw,
            None => {
                let rejection = PhoneRejection::NotAString;
                return Attempt::Skipped(
                    Reason::from_rejection(rejection),
                    detail::<EXPLAIN>(|| format!("{path}: {}", rejection.explain())),
                );
            }
        },
    };
    match phone::normalize_lazily(&raw, country) {
        Ok(number) => Attempt::Found {
            number,
            verified,
            detail: FoundDetail::Event {
                path,
                verified_path,
            },
        },
        Err(rejection) => Attempt::Skipped(
            Reason::from_rejection(rejection),
            detail::<EXPLAIN>(|| {
                format!(
                    "{path} {}: {}",
                    phone::redact_raw(&raw),
                    rejection.explain()
                )
            }),
        ),
    }
}

fn profile_number<const EXPLAIN: bool>(
    policy: &PhoneSlots,
    event: &EventView,
    country: &dyn Fn() -> Option<Country>,
) -> Attempt<'static> {
    let verified_path = "user.phone_verified";
    event_number::<EXPLAIN>(
        event.slot(policy.number),
        "user.phone_number",
        Verified::from_slot::<EXPLAIN>(event.slot(policy.verified), verified_path),
        verified_path,
        country,
    )
}

fn metadata_number<'a, const EXPLAIN: bool>(
    policy: &'a PhoneSlots,
    event: &EventView,
    country: &dyn Fn() -> Option<Country>,
) -> Attempt<'a> {
    event_number::<EXPLAIN>(
        event.slot(policy.metadata_number),
        &policy.metadata_number_path,
        Verified::from_slot::<EXPLAIN>(
            event.slot(policy.metadata_verified),
            &policy.metadata_verified_path,
        ),
        &policy.metadata_verified_path,
        country,
    )
}

fn mfa_number<L: KnownLookup, const EXPLAIN: bool>(
    policy: &PhoneSlots,
    event: &EventView,
    lookup: Option<&L>,
    country: &dyn Fn() -> Option<Country>,
    trace: &mut Trace<EXPLAIN>,
) -> MfaAttempt {
    // enrolledFactors names factor types without numbers; when it is present and has no phone, a
    // lookup cannot find one. Absent or malformed, it proves nothing. Checked before the lookup's
    // outcome, so that finish() agrees with plan() even when handed a lookup it did not need.
    let factors = event.slot(policy.enrolled_factors);
    match factors.kind() {
        Some(Kind::Array) => {
            let has_phone = factors.items().any(|factor| {
                factor
                    .get("type")
                    .and_then(|kind| kind.as_str())
                    .is_some_and(|kind| kind == "phone")
            });
            if !has_phone {
                return MfaAttempt::Done(Attempt::Skipped(
                    Reason::MfaNotEnrolled,
                    detail::<EXPLAIN>(|| {
                        "user.enrolledFactors lists no phone factor; no lookup made".to_owned()
                    }),
                ));
            }
        }
        None if factors == Slot::Missing => {}
        _ => trace.push(|| {
            TraceEntry::new(
                Token::Id,
                PHONE_NUMBER,
                Outcome::Noted,
                Reason::MalformedEventData,
            )
            .source("user.enrolledFactors")
            .detail(malformed_detail(
                "user.enrolledFactors",
                factors,
                "an array of factors",
            ))
        }),
    }
    // Without a user id there is nothing to look up; checked before the lookup's outcome for the
    // same reason as enrolledFactors.
    let Some(user_id) = event
        .slot(policy.user_id)
        .as_str()
        .filter(|id| !id.is_empty())
    else {
        return MfaAttempt::Done(Attempt::Skipped(
            Reason::MfaUserIdMissing,
            detail::<EXPLAIN>(|| "user.user_id is missing or not a string".to_owned()),
        ));
    };
    let Some(lookup) = lookup else {
        return MfaAttempt::NeedLookup(LookupRequest {
            endpoint: policy.endpoint,
            user_id: user_id.into_owned(),
        });
    };
    let response = match lookup.outcome() {
        LookupOutcome::Failed { code } => {
            return MfaAttempt::Failed(Reason::LookupFailed, code.clone())
        }
        LookupOutcome::NotConfigured { code, detail } => {
            return MfaAttempt::NotConfigured {
                code: code.clone(),
                detail: detail.clone(),
            }
        }
        LookupOutcome::Methods(response) => response,
    };
    let Ok(enrollments) = mfa::phone_enrollments(response) else {
        return MfaAttempt::Failed(Reason::MfaBadResponse, "mfa_bad_response".to_owned());
    };
    MfaAttempt::Done(match mfa::choose(enrollments, country) {
        Choice::NoneConfirmed => Attempt::Skipped(
            Reason::MfaNoConfirmedPhone,
            format!("no confirmed SMS or voice enrollment in /{}", policy.endpoint.name()),
        ),
        Choice::Unusable {
            rejection,
            considered,
        } => Attempt::Skipped(
            Reason::from_rejection(rejection),
            format!(
                "{considered} confirmed phone enrollment(s), none with a usable number: {}",
                rejection.explain()
            ),
        ),
        Choice::Chosen {
            enrollment,
            number,
            considered,
        } => Attempt::Found {
            number,
            verified: Verified {
                value: true,
                malformed: None,
            },
            detail: FoundDetail::Mfa(format!(
                "from the {} enrollment {}, chosen among {considered} confirmed phone enrollment(s) (SMS before voice, then the latest); verified: confirmed by a code sent to it",
                enrollment.channel.name(),
                enrollment.id,
            )),
        },
    })
}

/// Sorts `items` stably by `less`, by insertion. What it sorts is short (a token's claims, an
/// object's keys in a configuration), and the standard library's sorts take several KB of wasm
/// for each element type.
pub(crate) fn sort_small<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for end in 1..items.len() {
        let mut at = end;
        while at > 0 {
            let (Some(before), Some(item)) = (items.get(at - 1), items.get(at)) else {
                break;
            };
            if !less(item, before) {
                break;
            }
            items.swap(at - 1, at);
            at -= 1;
        }
    }
}

/// Bytes a custom claim adds to the token's JSON: `"name":value,`.
fn claim_size(rule: &crate::config::ClaimRule, value: Slot<'_>) -> usize {
    rule.overhead + value.json_len()
}

/// Bytes the two phone claims add to the ID token's JSON.
fn phone_claims_size(number: &str, verified: bool) -> usize {
    let flag = if verified { 4 } else { 5 };
    json::quoted_len(PHONE_NUMBER)
        + json::quoted_len(number)
        + json::quoted_len(PHONE_NUMBER_VERIFIED)
        + flag
        + 4
}

// Native only: these tests use proptest, which has no wasm32 randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "engine_tests.rs"]
mod tests;
