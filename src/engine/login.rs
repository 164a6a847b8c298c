//! One post-login handler and its logins, as the Action runs them.
//!
//! A [`Handler`] is what `createPostLoginHandler` makes: a compiled configuration with its
//! checked options. Each login is decided from the event alone ([`Planned::Done`]) or becomes a
//! [`Login`] machine that drives the Management API lookup (see [`crate::transport`]) and then
//! decides. Either way the decision carries what the shim must do besides setting claims: the
//! line to log, and whether to deny.

use super::{json, LookupOutcome, LookupRequest, NoLookup, Verdict};
use crate::config::CompiledConfig;
use crate::event::EventView;
use crate::management::{Lookup, LookupResult, TokenMemory};
use crate::options::{HandlerOptions, OnError};
use crate::transport::{Budget, CacheEntry, Machine, Outcome, Step};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A compiled configuration with the handler's options: one per Action instance.
#[derive(Debug)]
pub struct Handler {
    config: Rc<CompiledConfig>,
    options: HandlerOptions,
    /// Whether the missing Management API setup was already logged: a setup state is said once
    /// per Action instance, not on every login.
    setup_logged: Cell<bool>,
}

/// The first answer for a login.
pub enum Planned {
    Done(Verdict),
    Lookup(Box<Login>),
}

impl Handler {
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn new(config: CompiledConfig, options: HandlerOptions) -> Handler {
        Handler {
            config: Rc::new(config),
            options,
            setup_logged: Cell::new(false),
        }
    }

    pub fn config(&self) -> &CompiledConfig {
        &self.config
    }

    pub fn options(&self) -> &HandlerOptions {
        &self.options
    }

    /// The lines the shim logs once, when the handler is created: one per configuration warning.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn warning_lines(&self) -> Vec<String> {
        self.config
            .warnings()
            .iter()
            .map(|issue| {
                cat!(
                    "configuration warning (",
                    issue.code.code(),
                    ") at ",
                    issue.at,
                    ": ",
                    issue.message,
                    "; ",
                    issue.fix
                )
            })
            .collect()
    }

    /// What the shim needs once, as JSON: `{"paths", "claims", "warnings"}`: the event paths to
    /// read (segment arrays, in slot order), the custom claims (`{"token", "name", "slot"}`, in
    /// the order of the answer's flags) and the [`Handler::warning_lines`] to log.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn layout_json(&self) -> String {
        let mut out = String::from("{\"paths\":[");
        for (index, path) in self.config.paths().iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            write_strings(&mut out, path.segments());
        }
        out.push_str("],\"claims\":[");
        for (index, (token, name, slot)) in self.config.claim_rules().enumerate() {
            if index > 0 {
                out.push(',');
            }
            out.push_str("{\"token\":\"");
            out.push_str(token.key());
            out.push_str("\",\"name\":");
            json::write_quoted(&mut out, name);
            out.push_str(",\"slot\":");
            json::write_usize(&mut out, slot);
            out.push('}');
        }
        out.push_str("],\"warnings\":");
        write_strings(&mut out, &self.warning_lines());
        out.push('}');
        out
    }

    /// Decides a login from the event, or starts its lookup at `now_ms` (epoch ms), with the
    /// handler's timeout and deadline and the process's token memory.
    pub fn plan(
        &self,
        event: EventView<'_>,
        explain: bool,
        now_ms: f64,
        memory: &Rc<RefCell<TokenMemory>>,
    ) -> Planned {
        match self.decide(&event, explain) {
            Ok(verdict) => Planned::Done(verdict),
            Err(request) => {
                // The deadline is finite and the timeout positive: both were checked with the
                // options, and `now_ms` comes from the clock.
                let budget = Budget {
                    deadline_ms: now_ms + self.options.deadline_ms,
                    timeout_ms: self.options.timeout_ms,
                };
                Planned::Lookup(Box::new(Login {
                    event: event.into_owned(),
                    explain,
                    lookup: Lookup::new(request, budget, Rc::clone(memory)),
                }))
            }
        }
    }

    /// Decides a login from the event, with its log line and failure policy, or answers the
    /// lookup it needs (which [`Handler::plan`] starts). Inlined, so that a caller that never
    /// explains (the module that decides production logins) has no trace-building code.
    #[inline(always)]
    pub fn decide(&self, event: &EventView<'_>, explain: bool) -> Result<Verdict, LookupRequest> {
        let mut verdict = self.config.verdict(event, None::<&NoLookup>, explain)?;
        self.settle(&mut verdict, None);
        Ok(verdict)
    }

    /// The decision after the lookup; `None` until the machine is done.
    pub fn finish(&self, login: &mut Login) -> Option<Verdict> {
        let result = login.lookup.result()?;
        let mut verdict = self
            .config
            .verdict(&login.event, Some(&result.outcome), login.explain)
            .ok()?;
        self.settle(&mut verdict, Some(result));
        Some(verdict)
    }

    /// The log line and the failure policy.
    fn settle(&self, decision: &mut Verdict, lookup: Option<&LookupResult>) {
        if let Some(detail) = &decision.mfa_not_configured {
            if !self.setup_logged.replace(true) {
                decision.log = Some(cat!(
                    "the mfa phone source is skipped because the Management API is not set up (",
                    detail,
                    "); the next sources are tried. Logged once per Action instance."
                ));
            }
        }
        if decision.lookup_failed {
            decision.log = match lookup.map(|r| (&r.outcome, r.detail.as_str())) {
                Some((LookupOutcome::Failed { code }, detail)) => Some(cat!("phone lookup failed (", code, "): ", detail, "; phone claims withheld")),
                // The API answered, with something that is not a list of methods.
                Some((LookupOutcome::Methods(_), _)) => Some(
                    "phone lookup failed (mfa_bad_response): the Management API answer is not a list of authentication methods; phone claims withheld".to_owned(),
                ),
                _ => decision.log.take(),
            };
            decision.deny = self.options.on_error == OnError::Deny;
        }
    }
}

/// A login waiting for its Management API lookup.
pub struct Login {
    event: EventView<'static>,
    explain: bool,
    lookup: Lookup,
}

/// A login is driven as its lookup is.
impl Machine for Login {
    fn next(&mut self, now_ms: f64) -> Step {
        self.lookup.next(now_ms)
    }

    fn secrets(&mut self, values: Vec<Option<String>>) {
        self.lookup.secrets(values);
    }

    fn received(&mut self, outcome: Outcome) {
        self.lookup.received(outcome);
    }

    fn cached(&mut self, entry: Option<CacheEntry>) {
        self.lookup.cached(entry);
    }
}

impl Login {
    /// Requests sent so far.
    pub fn requests(&self) -> u32 {
        self.lookup.result().map_or(0, |r| r.requests)
    }

    /// The slots of the login.
    pub fn event(&self) -> &EventView<'static> {
        &self.event
    }

    /// The lookup's result, once done.
    pub fn lookup_result(&self) -> Option<&LookupResult> {
        self.lookup.result()
    }
}

/// A JSON array of strings.
#[cfg_attr(login_claims_size, optimize(size))]
fn write_strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        json::write_quoted(out, item);
    }
    out.push(']');
}

#[cfg(test)]
#[path = "login_tests.rs"]
mod tests;
