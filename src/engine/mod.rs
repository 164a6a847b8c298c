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

/// Every claim of one login, and why.
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
enum PhoneStep {
    NeedLookup(LookupRequest),
    Decided {
        found: Option<(PhoneNumber, bool)>,
        trace: Trace,
        lookup_failed: bool,
        not_configured: Option<String>,
    },
}

/// The trace under construction. A production login does not read the trace, so it is built
/// only when asked for (`explain`): otherwise entries, and the strings in them, are never made.
struct Trace {
    explain: bool,
    entries: Vec<TraceEntry>,
}

impl Trace {
    fn new(explain: bool) -> Trace {
        Trace {
            explain,
            entries: Vec::new(),
        }
    }

    fn push(&mut self, entry: impl FnOnce() -> TraceEntry) {
        if self.explain {
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
        match self.phone_step(event, None, explain) {
            PhoneStep::NeedLookup(request) => Plan::Lookup(request),
            decided => Plan::Done(self.decide(event, decided, explain)),
        }
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
        let step = self.phone_step(event, Some(lookup), explain);
        self.decide(event, step, explain)
    }

    fn decide(&self, event: &EventView, phone: PhoneStep, explain: bool) -> Decision {
        let mut decision = Decision {
            id_token: Map::new(),
            access_token: Map::new(),
            trace: Vec::new(),
            lookup_failed: false,
            mfa_not_configured: None,
            log: None,
            deny: false,
        };
        let mut trace = Trace::new(explain);
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
            if let Some((number, verified)) = found {
                decision
                    .id_token
                    .insert(PHONE_NUMBER.to_owned(), Value::String(number.into_string()));
                decision
                    .id_token
                    .insert(PHONE_NUMBER_VERIFIED.to_owned(), Value::Bool(verified));
            }
        }
        for token in [Token::Id, Token::Access] {
            self.custom_claims(token, event, &mut decision, &mut trace);
        }
        decision.trace = trace.entries;
        decision
    }

    fn custom_claims(
        &self,
        token: Token,
        event: &EventView,
        decision: &mut Decision,
        trace: &mut Trace,
    ) {
        let claims = match token {
            Token::Id => &mut decision.id_token,
            Token::Access => &mut decision.access_token,
        };
        // Each claim counts `"name":value,`: one comma more than the object has, which the
        // braces outweigh by one, so the token's JSON is the sum plus 1.
        let mut used: usize = 1 + claims.iter().map(|(n, v)| claim_size(n, v)).sum::<usize>();
        let mut candidates = Vec::new();
        for rule in self.claims.iter().filter(|r| r.token == token) {
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
                Slot::Value(value) => {
                    let size = claim_size(&rule.name, value);
                    used = used.saturating_add(size);
                    candidates.push((rule, value, size));
                }
            }
        }
        if used > TOKEN_BUDGET_BYTES {
            // Largest first, ties by name, so that the fewest claims are lost and the choice
            // never depends on the configuration's order.
            let mut by_size: Vec<usize> = (0..candidates.len()).collect();
            by_size.sort_by(|&a, &b| {
                let (ra, _, sa) = candidates
                    .get(a)
                    .map_or((None, None, 0), |(r, v, s)| (Some(&r.name), Some(*v), *s));
                let (rb, _, sb) = candidates
                    .get(b)
                    .map_or((None, None, 0), |(r, v, s)| (Some(&r.name), Some(*v), *s));
                sb.cmp(&sa).then(ra.cmp(&rb))
            });
            let mut dropped = vec![false; candidates.len()];
            for index in by_size {
                if used <= TOKEN_BUDGET_BYTES {
                    break;
                }
                if let (Some(flag), Some((_, _, size))) =
                    (dropped.get_mut(index), candidates.get(index))
                {
                    *flag = true;
                    used -= size;
                }
            }
            let mut kept = Vec::new();
            for ((rule, value, size), dropped) in candidates.into_iter().zip(dropped) {
                if dropped {
                    trace.push(|| {
                        TraceEntry::new(token, &rule.name, Outcome::Dropped, Reason::TokenSizeBudget)
                            .source(rule.path.to_string())
                            .detail(format!(
                                "{size} bytes; the {} custom claims must stay within {TOKEN_BUDGET_BYTES} bytes, and the largest claims are dropped first",
                                token.key()
                            ))
                    });
                } else {
                    kept.push((rule, value, size));
                }
            }
            candidates = kept;
        }
        let claims = match token {
            Token::Id => &mut decision.id_token,
            Token::Access => &mut decision.access_token,
        };
        for (rule, value, _) in candidates {
            claims.insert(rule.name.clone(), value.clone());
            trace.push(|| {
                TraceEntry::new(token, &rule.name, Outcome::Set, Reason::ValueCopied)
                    .source(rule.path.to_string())
            });
        }
    }

    fn phone_step(
        &self,
        event: &EventView,
        lookup: Option<&LookupOutcome>,
        explain: bool,
    ) -> PhoneStep {
        let mut trace = Trace::new(explain);
        let Some(policy) = &self.phone else {
            return PhoneStep::Decided {
                found: None,
                trace,
                lookup_failed: false,
                not_configured: None,
            };
        };
        let both = |trace: &mut Trace, outcome, reason, source: &str, detail: &str| {
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
            event.slot(policy.requested_scopes),
            event.slot(policy.body_scope),
            event.slot(policy.query_scope),
            event.slot(policy.protocol),
        );
        if trace.explain {
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
            let skip = |trace: &mut Trace, reason: Reason, detail: String| {
                trace.push(|| {
                    TraceEntry::new(Token::Id, PHONE_NUMBER, Outcome::Skipped, reason)
                        .source(source.name())
                        .detail(detail)
                });
            };
            let attempt = match source {
                PhoneSource::Profile => profile_number(policy, event, &country),
                PhoneSource::AppMetadata => metadata_number(policy, event, &country),
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
        if trace.explain {
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
            let country = event.slot(*slot).as_str().and_then(countries::by_iso)?;
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

/// A trace detail for a field that holds the wrong type: its path, what it holds, and what
/// Auth0 documents there.
fn malformed_detail(path: &str, slot: &Slot, expected: &str) -> String {
    let found = slot.value().map_or("nothing usable", json_type_name);
    format!("{path} is {found}, not {expected} (malformed event data); read as absent")
}

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(items) if items.iter().any(|i| !i.is_string()) => {
            "an array with non-string items"
        }
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
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
    fn from_slot(slot: &Slot, path: &str) -> Verified {
        match slot {
            Slot::Value(Value::Bool(value)) => Verified {
                value: *value,
                malformed: None,
            },
            Slot::Missing => Verified {
                value: false,
                malformed: None,
            },
            _ => Verified {
                value: false,
                malformed: Some(malformed_detail(path, slot, "true or false")),
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
fn event_number<'a>(
    slot: &Slot,
    path: &'a str,
    verified: Verified,
    verified_path: &'a str,
    country: &dyn Fn() -> Option<Country>,
) -> Attempt<'a> {
    let raw = match slot {
        Slot::Missing => {
            return Attempt::Skipped(Reason::SourceEmpty, format!("no number at {path}"))
        }
        Slot::Fault(SlotFault::Unreadable) => {
            return Attempt::Skipped(Reason::UnreadableValue, format!("reading {path} threw"))
        }
        Slot::Fault(SlotFault::Unsupported) => {
            return Attempt::Skipped(
                Reason::UnsupportedValue,
                format!("{path} cannot be read as JSON"),
            )
        }
        Slot::Value(_) => match slot.as_str() {
            Some(raw) => raw,
            None => {
                let rejection = PhoneRejection::NotAString;
                return Attempt::Skipped(
                    Reason::from_rejection(rejection),
                    format!("{path}: {}", rejection.explain()),
                );
            }
        },
    };
    match phone::normalize_lazily(raw, country) {
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
            format!("{path} {}: {}", phone::redact_raw(raw), rejection.explain()),
        ),
    }
}

fn profile_number(
    policy: &PhoneSlots,
    event: &EventView,
    country: &dyn Fn() -> Option<Country>,
) -> Attempt<'static> {
    let verified_path = "user.phone_verified";
    event_number(
        event.slot(policy.number),
        "user.phone_number",
        Verified::from_slot(event.slot(policy.verified), verified_path),
        verified_path,
        country,
    )
}

fn metadata_number<'a>(
    policy: &'a PhoneSlots,
    event: &EventView,
    country: &dyn Fn() -> Option<Country>,
) -> Attempt<'a> {
    event_number(
        event.slot(policy.metadata_number),
        &policy.metadata_number_path,
        Verified::from_slot(
            event.slot(policy.metadata_verified),
            &policy.metadata_verified_path,
        ),
        &policy.metadata_verified_path,
        country,
    )
}

fn mfa_number(
    policy: &PhoneSlots,
    event: &EventView,
    lookup: Option<&LookupOutcome>,
    country: &dyn Fn() -> Option<Country>,
    trace: &mut Trace,
) -> MfaAttempt {
    // enrolledFactors names factor types without numbers; when it is present and has no phone, a
    // lookup cannot find one. Absent or malformed, it proves nothing. Checked before the lookup's
    // outcome, so that finish() agrees with plan() even when handed a lookup it did not need.
    match event.slot(policy.enrolled_factors) {
        Slot::Value(Value::Array(factors)) => {
            let has_phone = factors
                .iter()
                .any(|f| f.get("type").and_then(Value::as_str) == Some("phone"));
            if !has_phone {
                return MfaAttempt::Done(Attempt::Skipped(
                    Reason::MfaNotEnrolled,
                    "user.enrolledFactors lists no phone factor; no lookup made".to_owned(),
                ));
            }
        }
        Slot::Missing => {}
        malformed => trace.push(|| {
            TraceEntry::new(
                Token::Id,
                PHONE_NUMBER,
                Outcome::Noted,
                Reason::MalformedEventData,
            )
            .source("user.enrolledFactors")
            .detail(malformed_detail(
                "user.enrolledFactors",
                malformed,
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
            "user.user_id is missing or not a string".to_owned(),
        ));
    };
    let response = match lookup {
        Some(LookupOutcome::Failed { code }) => {
            return MfaAttempt::Failed(Reason::LookupFailed, code.clone())
        }
        Some(LookupOutcome::NotConfigured { code, detail }) => {
            return MfaAttempt::NotConfigured {
                code: code.clone(),
                detail: detail.clone(),
            }
        }
        Some(LookupOutcome::Methods(response)) => response,
        None => {
            return MfaAttempt::NeedLookup(LookupRequest {
                endpoint: policy.endpoint,
                user_id: user_id.to_owned(),
            })
        }
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

/// Bytes the claim adds to the token's JSON: `"name":value,`.
fn claim_size(name: &str, value: &Value) -> usize {
    json_len(name) + json_len(value) + 2
}

/// Length of compact JSON without building it.
pub(crate) fn json_len<T: Serialize + ?Sized>(value: &T) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self.0.saturating_add(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    // Writing to a counter cannot fail, and serializing a Value cannot either.
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}

// Native only: these tests use proptest, which has no wasm32 randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "engine_tests.rs"]
mod tests;
