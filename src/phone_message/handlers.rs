//! The phone-message handlers as the Action runs them: a delivery (`send-phone-message`,
//! `custom-phone-provider`) and the post-login Verify feedback, each a machine of
//! [`crate::transport`] steps that ends with what the shim tells Auth0: a log line, and for a
//! delivery that did not happen, the Error that makes Auth0 record the failure.

use super::{
    custom_phone_provider, feedback, feedback_after_lookup, send_phone_message, Delivery, Feedback,
    LoginFacts, Refusal, VerifyAction, VerifyCall, VerifyChannel, VerifyFailure, VerifyResult,
};
use crate::engine::LookupOutcome;
use crate::management::{Lookup, TokenMemory};
use crate::options::HandlerOptions;
use crate::transport::{Budget, CacheEntry, Machine, Outcome, Step};
use serde::Serialize;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;

/// Which trigger a delivery is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    SendPhoneMessage,
    CustomPhoneProvider,
}

impl Trigger {
    pub fn name(self) -> &'static str {
        match self {
            Trigger::SendPhoneMessage => "send-phone-message",
            Trigger::CustomPhoneProvider => "custom-phone-provider",
        }
    }
}

/// How the shim writes a line: `warn()` or `log()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warn,
    Log,
}

/// An Error for Auth0: `code`, `message`, and the properties the shim sets on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandlerError {
    pub code: &'static str,
    pub message: String,
    pub fields: ErrorFields,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorFields {
    pub reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twilio_code: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more_info: Option<String>,
}

/// What a finished handler machine tells the shim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Told {
    pub level: Level,
    /// The line to log (without the `login-claims: ` prefix the shim adds); none for quiet skips.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<HandlerError>,
    /// The feedback handler's answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<FeedbackResult>,
}

/// What the feedback did, as `createVerifyFeedbackHandler`'s handler resolves.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackResult {
    /// `approved`, `skipped` or `failed`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Why the Management API lookup failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookup_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
    /// The number, redacted to its last digits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub twilio_code: Option<u32>,
    pub management_api_calls: u32,
    pub verify_calls: u32,
}

/// Skips that happen on most logins and need no one's attention: not logged.
const QUIET_SKIPS: &[&str] = &["refresh_token", "no_phone_factor", "factor_not_recent"];

/// The handler's options, as checked when it was created.
#[derive(Debug)]
pub struct PhoneMessageHandler {
    options: HandlerOptions,
}

impl PhoneMessageHandler {
    pub fn new(options: HandlerOptions) -> PhoneMessageHandler {
        PhoneMessageHandler { options }
    }

    fn budget(&self, now_ms: f64) -> Budget {
        Budget {
            deadline_ms: now_ms + self.options.deadline_ms,
            timeout_ms: self.options.timeout_ms,
        }
    }

    /// How long the shim waits for the feedback before it abandons it: the deadline and a tick.
    pub fn guard_ms(&self) -> f64 {
        self.options.deadline_ms + 50.0
    }

    /// One delivery: the trigger's fields (`event.message_options` or `event.notification`)
    /// and, for `send-phone-message`, `event.request.language`.
    pub fn deliver(
        &self,
        trigger: Trigger,
        fields: &Value,
        language: Option<&str>,
        now_ms: f64,
    ) -> DeliveryMachine {
        let planned = match trigger {
            Trigger::SendPhoneMessage => send_phone_message(fields, language),
            Trigger::CustomPhoneProvider => custom_phone_provider(fields),
        };
        let state = match planned {
            Err(refusal) => DeliveryState::Done(Box::new(refused(trigger, &refusal))),
            Ok(delivery) => {
                let action = VerifyAction::Send {
                    to: delivery.to.clone(),
                    channel: delivery.channel,
                    code: delivery.code.clone(),
                    locale: delivery.locale.map(str::to_owned),
                };
                let call = VerifyCall::new(
                    action,
                    self.options.verify_base.clone(),
                    self.budget(now_ms),
                );
                DeliveryState::Calling(Box::new(call), delivery)
            }
        };
        DeliveryMachine { trigger, state }
    }

    /// The feedback after a login, from its facts (`{methods, phoneNumber, userId, protocol}`,
    /// each as the event holds it).
    pub fn feedback(
        &self,
        facts: &Value,
        now_ms: f64,
        memory: Rc<RefCell<TokenMemory>>,
    ) -> FeedbackMachine {
        let field = |name: &str| facts.get(name).cloned();
        let facts = LoginFacts {
            methods: field("methods"),
            phone_number: field("phoneNumber"),
            user_id: field("userId"),
            protocol: field("protocol"),
            // Whole seconds are enough for a window of minutes.
            now_seconds: (now_ms / 1000.0).floor() as i64,
            max_age_seconds: self.options.max_age_seconds,
            endpoint: self.options.mfa_endpoint,
        };
        let budget = self.budget(now_ms);
        let mut machine = FeedbackMachine {
            state: FeedbackState::Done(Box::new(Told::quiet())),
            base: self.options.verify_base.clone(),
            budget,
            counts: (0, 0),
            deadline_ms: self.options.deadline_ms,
        };
        machine.state = match feedback(&facts) {
            Feedback::Lookup(request) => {
                FeedbackState::Looking(Box::new(Lookup::new(request, budget, memory)))
            }
            planned => machine.after_plan(planned, None),
        };
        machine
    }

    /// What the feedback says when the shim itself failed (a bug, or a broken runtime).
    pub fn internal_error(&self, what: &str) -> Told {
        let what: String = what
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        feedback_told(FeedbackResult {
            status: "failed",
            reason: Some("internal_error"),
            detail: Some(format!("unexpected {what}")),
            ..FeedbackResult::default()
        })
    }
}

fn refused(trigger: Trigger, refusal: &Refusal) -> Told {
    let parts: Vec<&str> = [Some(refusal.reason.code()), refusal.detail]
        .into_iter()
        .flatten()
        .collect();
    let to = if refusal.recipient_redacted.is_empty() {
        String::new()
    } else {
        format!(" for {}", refusal.recipient_redacted)
    };
    Told {
        level: Level::Warn,
        line: Some(format!(
            "{}: refused{to} ({}): {}",
            trigger.name(),
            parts.join(", "),
            refusal.message
        )),
        error: Some(HandlerError {
            code: "PHONE_MESSAGE_REFUSED",
            message: format!("login-claims: {}", refusal.message),
            fields: ErrorFields {
                reason: refusal.reason.code(),
                detail: refusal.detail,
                ..ErrorFields::default()
            },
        }),
        result: None,
    }
}

/// `SMS to …0123`, `voice call to …0123`.
fn describe(delivery: &Delivery) -> String {
    let channel = match delivery.channel {
        VerifyChannel::Call => "voice call",
        VerifyChannel::Sms => "SMS",
    };
    format!("{channel} to {}", delivery.to.redacted())
}

fn delivered(trigger: Trigger, delivery: &Delivery, result: &VerifyResult) -> Told {
    match result {
        VerifyResult::Ok {
            sid,
            locale_dropped,
            ..
        } => {
            let mut notes = Vec::new();
            match delivery.locale {
                Some(locale) if *locale_dropped => {
                    notes.push(format!(
                        "Verify refused locale {locale}, sent again without it"
                    ));
                }
                Some(locale) => notes.push(format!("locale {locale}")),
                None => {}
            }
            if delivery.locale_dropped {
                notes.insert(
                    0,
                    "the event's locale is not one Verify supports, so Verify picks one".to_owned(),
                );
            }
            let sid = sid
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!("; {}", notes.join("; "))
            };
            Told {
                level: Level::Log,
                line: Some(format!(
                    "{}: {} handed to Twilio Verify{sid}{notes}",
                    trigger.name(),
                    describe(delivery)
                )),
                error: None,
                result: None,
            }
        }
        VerifyResult::Failed {
            failure,
            detail,
            twilio_code,
            status,
            ..
        } => {
            let twilio = twilio_code
                .map(|c| format!(", Twilio error {c}"))
                .unwrap_or_default();
            Told {
                level: Level::Warn,
                line: Some(format!(
                    "{}: {} failed ({}{twilio}): {detail}",
                    trigger.name(),
                    describe(delivery),
                    failure.code()
                )),
                error: Some(HandlerError {
                    code: "PHONE_MESSAGE_FAILED",
                    message: format!(
                        "login-claims: Twilio Verify did not take the {}: {detail}",
                        describe(delivery)
                    ),
                    fields: ErrorFields {
                        reason: failure.code(),
                        detail: None,
                        twilio_code: *twilio_code,
                        status: *status,
                        more_info: twilio_code
                            .map(|c| format!("https://www.twilio.com/docs/errors/{c}")),
                    },
                }),
                result: None,
            }
        }
    }
}

enum DeliveryState {
    Calling(Box<VerifyCall>, Delivery),
    Done(Box<Told>),
}

/// One delivery: Verify asked to send, or refused before anything was sent.
pub struct DeliveryMachine {
    trigger: Trigger,
    state: DeliveryState,
}

impl Machine for DeliveryMachine {
    fn next(&mut self, now_ms: f64) -> Step {
        let DeliveryState::Calling(call, delivery) = &mut self.state else {
            return Step::Done;
        };
        match call.next(now_ms) {
            Step::Done => {
                let told = call
                    .result()
                    .map(|result| delivered(self.trigger, delivery, result));
                if let Some(told) = told {
                    self.state = DeliveryState::Done(Box::new(told));
                }
                Step::Done
            }
            step => step,
        }
    }

    fn secrets(&mut self, values: Vec<Option<String>>) {
        if let DeliveryState::Calling(call, _) = &mut self.state {
            call.secrets(values);
        }
    }

    fn received(&mut self, outcome: Outcome) {
        if let DeliveryState::Calling(call, _) = &mut self.state {
            call.received(outcome);
        }
    }

    /// Verify's calls need no cache.
    fn cached(&mut self, _entry: Option<CacheEntry>) {}
}

impl DeliveryMachine {
    /// What to tell Auth0, once `next` answered done.
    pub fn told(&self) -> Option<&Told> {
        match &self.state {
            DeliveryState::Done(told) => Some(told),
            DeliveryState::Calling(..) => None,
        }
    }
}

enum FeedbackState {
    Looking(Box<Lookup>),
    Approving(Box<VerifyCall>, Approval),
    Done(Box<Told>),
}

/// The approval under way: who, and how the number was found.
struct Approval {
    to: String,
    source: &'static str,
    lookup_detail: Option<String>,
}

/// The feedback after one login: maybe a Management API lookup, then maybe one approval.
pub struct FeedbackMachine {
    state: FeedbackState,
    base: crate::transport::Origin,
    budget: Budget,
    /// Requests sent to the Management API and to Verify.
    counts: (u32, u32),
    deadline_ms: f64,
}

impl Told {
    fn quiet() -> Told {
        Told {
            level: Level::Log,
            line: None,
            error: None,
            result: None,
        }
    }
}

/// The line the feedback writes for its result.
fn feedback_told(result: FeedbackResult) -> Told {
    let to = result
        .to
        .as_deref()
        .map(|t| format!(" for {t}"))
        .unwrap_or_default();
    let reason = result.reason.unwrap_or("");
    let (level, line) = match result.status {
        "approved" => (
            Level::Log,
            Some(format!(
                "verify feedback: approved{to} ({})",
                result.source.unwrap_or("")
            )),
        ),
        "failed" => {
            let twilio = result
                .twilio_code
                .map(|c| format!(", Twilio error {c}"))
                .unwrap_or_default();
            let detail = result.detail.as_deref().unwrap_or("");
            (
                Level::Warn,
                Some(format!(
                    "verify feedback: not sent{to} ({reason}{twilio}): {detail}; the login goes on"
                )),
            )
        }
        _ if reason == "verify_nothing_pending" => (
            Level::Log,
            Some(format!(
                "verify feedback: no pending verification{to}; nothing to approve"
            )),
        ),
        _ if QUIET_SKIPS.contains(&reason) => (Level::Log, None),
        _ => {
            let detail: Vec<&str> = [result.detail.as_deref(), result.lookup_detail.as_deref()]
                .into_iter()
                .flatten()
                .filter(|d| !d.is_empty())
                .collect();
            let detail = if detail.is_empty() {
                String::new()
            } else {
                format!(", {}", detail.join(": "))
            };
            (
                Level::Warn,
                Some(format!(
                    "verify feedback: skipped ({reason}{detail}); the login goes on"
                )),
            )
        }
    };
    Told {
        level,
        line,
        error: None,
        result: Some(result),
    }
}

impl Machine for FeedbackMachine {
    fn next(&mut self, now_ms: f64) -> Step {
        loop {
            match &mut self.state {
                FeedbackState::Done(_) => return Step::Done,
                FeedbackState::Looking(lookup) => {
                    let step = lookup.next(now_ms);
                    if step != Step::Done {
                        return step;
                    }
                    let Some(result) = lookup.result().cloned() else {
                        return Step::Done;
                    };
                    self.counts.0 = result.requests;
                    let detail = match result.outcome {
                        LookupOutcome::Methods(_) => None,
                        _ => Some(result.detail.clone()),
                    };
                    let planned = feedback_after_lookup(&result.outcome);
                    self.state = self.after_plan(planned, detail);
                }
                FeedbackState::Approving(call, approval) => {
                    let step = call.next(now_ms);
                    if step != Step::Done {
                        return step;
                    }
                    let Some(result) = call.result().cloned() else {
                        return Step::Done;
                    };
                    let approval = Approval {
                        to: approval.to.clone(),
                        source: approval.source,
                        lookup_detail: approval.lookup_detail.take(),
                    };
                    self.state = FeedbackState::Done(Box::new(self.approved(&result, approval)));
                }
            }
        }
    }

    fn secrets(&mut self, values: Vec<Option<String>>) {
        match &mut self.state {
            FeedbackState::Looking(lookup) => lookup.secrets(values),
            FeedbackState::Approving(call, _) => call.secrets(values),
            FeedbackState::Done(_) => {}
        }
    }

    fn received(&mut self, outcome: Outcome) {
        match &mut self.state {
            FeedbackState::Looking(lookup) => lookup.received(outcome),
            FeedbackState::Approving(call, _) => call.received(outcome),
            FeedbackState::Done(_) => {}
        }
    }

    fn cached(&mut self, entry: Option<CacheEntry>) {
        if let FeedbackState::Looking(lookup) = &mut self.state {
            lookup.cached(entry);
        }
    }
}

impl FeedbackMachine {
    /// The state after the plan (or after the lookup): approve, or done with a skip.
    fn after_plan(&self, planned: Feedback, lookup_detail: Option<String>) -> FeedbackState {
        match planned {
            Feedback::Approve { to, source } => {
                let call = VerifyCall::new(
                    VerifyAction::Approve { to: to.clone() },
                    self.base.clone(),
                    self.budget,
                );
                FeedbackState::Approving(
                    Box::new(call),
                    Approval {
                        to: to.redacted(),
                        source: source.name(),
                        lookup_detail,
                    },
                )
            }
            Feedback::Skip { reason, detail } => {
                FeedbackState::Done(Box::new(self.counted(FeedbackResult {
                    status: "skipped",
                    reason: Some(reason.code()),
                    detail: detail.filter(|d| !d.is_empty()),
                    lookup_detail,
                    ..FeedbackResult::default()
                })))
            }
            // A lookup after a lookup cannot be planned; treat it as the failed lookup it is.
            Feedback::Lookup(_) => FeedbackState::Done(Box::new(self.counted(FeedbackResult {
                status: "skipped",
                reason: Some("lookup_failed"),
                lookup_detail,
                ..FeedbackResult::default()
            }))),
        }
    }

    fn counted(&self, mut result: FeedbackResult) -> Told {
        result.management_api_calls = self.counts.0;
        result.verify_calls = self.counts.1;
        feedback_told(result)
    }

    fn approved(&mut self, result: &VerifyResult, approval: Approval) -> Told {
        let base = FeedbackResult {
            source: Some(approval.source),
            to: Some(approval.to),
            ..FeedbackResult::default()
        };
        match result {
            VerifyResult::Ok { sid, requests, .. } => {
                self.counts.1 = *requests;
                self.counted(FeedbackResult {
                    status: "approved",
                    sid: sid.clone(),
                    ..base
                })
            }
            // Nothing pending for that number: the code was not sent through this Verify
            // service, or was already approved (another Action, an SSO login moments earlier).
            VerifyResult::Failed {
                failure: VerifyFailure::NotFound,
                requests,
                ..
            } => {
                self.counts.1 = *requests;
                self.counted(FeedbackResult {
                    status: "skipped",
                    reason: Some("verify_nothing_pending"),
                    ..base
                })
            }
            VerifyResult::Failed {
                failure,
                detail,
                twilio_code,
                requests,
                ..
            } => {
                self.counts.1 = *requests;
                self.counted(FeedbackResult {
                    status: "failed",
                    reason: Some(failure.code()),
                    detail: Some(detail.clone()),
                    twilio_code: *twilio_code,
                    ..base
                })
            }
        }
    }

    /// What the feedback did, once `next` answered done.
    pub fn told(&self) -> Option<&Told> {
        match &self.state {
            FeedbackState::Done(told) => Some(told),
            _ => None,
        }
    }

    /// The shim gave up waiting (a fetch or stream that ignores its abort signal): the feedback
    /// is abandoned, and the machine answers done from now on.
    pub fn abandon(&mut self) -> Told {
        let told = self.counted(FeedbackResult {
            status: "failed",
            reason: Some("deadline"),
            detail: Some(format!(
                "the feedback took longer than {} ms and was abandoned",
                self.deadline_ms
            )),
            ..FeedbackResult::default()
        });
        self.state = FeedbackState::Done(Box::new(told.clone()));
        told
    }
}

#[cfg(test)]
#[path = "handlers_tests.rs"]
mod tests;
