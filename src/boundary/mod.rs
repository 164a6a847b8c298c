//! The wasm boundary, and the only module that knows about JavaScript.
//!
//! Data crosses as text in both directions: the configuration and the lookup outcome as JSON,
//! the event as slot text (one line per path the configuration reads; see
//! [`crate::event::EventView::from_slot_text`]), the decision as JSON that the shim turns into
//! plain objects with `JSON.parse` (which, unlike property assignment, keeps a `__proto__` key
//! as data). Errors cross as real `Error` objects with a stable `code` property.

use crate::config::{CompiledConfig as NativeCompiledConfig, ConfigIssue};
use crate::engine::{Decision, LookupOutcome, LookupRequest, Plan};
use crate::event::EventView;
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// An error for JavaScript: becomes an `Error` whose `code` is one of `CONFIG_INVALID` (with an
/// `issues` array) or `INPUT_INVALID`.
#[derive(Debug)]
pub struct BoundaryError {
    code: &'static str,
    message: String,
    issues: Option<String>,
}

impl BoundaryError {
    fn config_invalid(issues: &[ConfigIssue]) -> BoundaryError {
        let first = issues.first().map(|i| i.message.as_str()).unwrap_or("");
        let more = match issues.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        BoundaryError {
            code: "CONFIG_INVALID",
            message: format!("invalid login-claims configuration: {first}{more}"),
            issues: Some(to_json(&issues)),
        }
    }
}

impl From<BoundaryError> for JsValue {
    fn from(error: BoundaryError) -> JsValue {
        let js_error = js_sys::Error::new(&error.message);
        // Setting data properties on a fresh Error object cannot throw.
        let _ = js_sys::Reflect::set(&js_error, &"code".into(), &error.code.into());
        if let Some(issues) = error.issues {
            let parsed =
                js_sys::JSON::parse(&issues).unwrap_or_else(|_| js_sys::Array::new().into());
            let _ = js_sys::Reflect::set(&js_error, &"issues".into(), &parsed);
        }
        js_error.into()
    }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Our own types serialize infallibly (no maps with non-string keys, no custom errors).
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
enum PlanOut<'a> {
    Done(&'a Decision),
    Lookup { lookup: &'a LookupRequest },
}

/// A validated configuration, compiled once and reused by every login.
#[wasm_bindgen(js_name = CompiledConfig)]
pub struct JsCompiledConfig {
    native: NativeCompiledConfig,
    /// Whether the missing Management API setup was already logged: a setup state is said once
    /// per Action instance (one compiled configuration), not on every login.
    setup_logged: std::cell::Cell<bool>,
}

#[wasm_bindgen(js_class = CompiledConfig)]
impl JsCompiledConfig {
    /// Compiles configuration JSON (empty text: the default). Throws `CONFIG_INVALID` with
    /// every issue.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<JsCompiledConfig, BoundaryError> {
        NativeCompiledConfig::compile_str(config_json)
            .map(|native| JsCompiledConfig {
                native,
                setup_logged: std::cell::Cell::new(false),
            })
            .map_err(|issues| BoundaryError::config_invalid(&issues))
    }

    /// The warnings of the configuration (a JSON array of issues, usually `[]`): doubts that do
    /// not stop the handler; the shim logs them once.
    #[wasm_bindgen(js_name = warningsJson)]
    pub fn warnings_json(&self) -> String {
        to_json(self.native.warnings())
    }

    /// The event paths to read, as a JSON array of segment arrays, in slot order.
    #[wasm_bindgen(js_name = pathsJson)]
    pub fn paths_json(&self) -> String {
        let paths: Vec<&[String]> = self.native.paths().iter().map(|p| p.segments()).collect();
        to_json(&paths)
    }

    /// First step of a login: `{"status":"done", idToken, accessToken, trace, lookupFailed}` or
    /// `{"status":"lookup","lookup":{endpoint,userId}}`. The trace is built only when
    /// `explain` is true (the simulator); a production login skips that work.
    pub fn plan(&self, slots: &str, explain: bool) -> Result<String, BoundaryError> {
        let view = self.view(slots)?;
        Ok(match self.native.plan_with(&view, explain) {
            Plan::Done(mut decision) => self.done_json(&mut decision),
            Plan::Lookup(request) => to_json(&PlanOut::Lookup { lookup: &request }),
        })
    }

    /// Second step: `lookup` is `{"ok":true,"methods":[...]}` or `{"ok":false,"reason":"mgmt_..."}`.
    pub fn finish(
        &self,
        slots: &str,
        lookup: &str,
        explain: bool,
    ) -> Result<String, BoundaryError> {
        let view = self.view(slots)?;
        let mut decision = self
            .native
            .finish_with(&view, &parse_lookup(lookup), explain);
        Ok(self.done_json(&mut decision))
    }

    fn done_json(&self, decision: &mut Decision) -> String {
        if let Some(detail) = &decision.mfa_not_configured {
            if !self.setup_logged.replace(true) {
                decision.log = Some(setup_log_line(detail));
            }
        }
        to_json(&PlanOut::Done(decision))
    }

    fn view(&self, slots: &str) -> Result<EventView, BoundaryError> {
        EventView::from_slot_text(slots, self.native.paths().len()).map_err(|m| BoundaryError {
            code: "INPUT_INVALID",
            message: format!("expected {} event slots, got {}", m.expected, m.found),
            issues: None,
        })
    }
}

/// The log line for a Management API that is not set up.
fn setup_log_line(detail: &str) -> String {
    format!("the mfa phone source is skipped because the Management API is not set up ({detail}); the next sources are tried. Logged once per Action instance.")
}

/// Longest `detail` taken from the shim's report; the shim writes its own fixed sentences.
const MAX_DETAIL_CHARS: usize = 300;

/// Reads the shim's report of the lookup. Anything unexpected is a failed lookup, never an error.
fn parse_lookup(text: &str) -> LookupOutcome {
    let failed = |code: &str| LookupOutcome::Failed {
        code: code.to_owned(),
    };
    let Ok(Value::Object(mut report)) = serde_json::from_str::<Value>(text) else {
        return failed("mgmt_bad_response");
    };
    let ok = report.get("ok") == Some(&Value::Bool(true));
    match (ok, report.remove("methods")) {
        (true, Some(methods)) => LookupOutcome::Methods(methods),
        (true, None) => failed("mgmt_bad_response"),
        _ => match report.get("reason").and_then(Value::as_str) {
            Some(code)
                if !code.is_empty()
                    && code.len() <= 40
                    && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                let detail: String = report
                    .get("detail")
                    .and_then(Value::as_str)
                    .unwrap_or("the Management API secrets are not usable")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_DETAIL_CHARS)
                    .collect();
                LookupOutcome::from_failure(code, &detail)
            }
            _ => failed("lookup_failed"),
        },
    }
}

#[derive(Serialize)]
struct Validation<'a> {
    /// True when no issue is an error: the handler would start.
    ok: bool,
    issues: &'a [ConfigIssue],
    /// Whether a login can read the Management API (the `mfa` phone source is on), and so
    /// needs its secrets; known only for a configuration that compiles.
    #[serde(rename = "managementApi", skip_serializing_if = "Option::is_none")]
    management_api: Option<bool>,
}

/// `{"ok": ..., "issues": [...]}`: every problem of a configuration, errors and warnings; `ok`
/// when none is an error. Never throws.
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config_json: &str) -> String {
    match NativeCompiledConfig::compile_str(config_json) {
        Ok(compiled) => to_json(&Validation {
            ok: true,
            issues: compiled.warnings(),
            management_api: Some(compiled.uses_management_api()),
        }),
        Err(issues) => to_json(&Validation {
            ok: false,
            issues: &issues,
            management_api: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_reports() {
        assert_eq!(
            parse_lookup(r#"{"ok":true,"methods":[1]}"#),
            LookupOutcome::Methods(serde_json::json!([1]))
        );
        let failed = |c: &str| LookupOutcome::Failed { code: c.to_owned() };
        assert_eq!(
            parse_lookup(r#"{"ok":false,"reason":"mgmt_timeout"}"#),
            failed("mgmt_timeout")
        );
        assert_eq!(
            parse_lookup(r#"{"ok":false,"reason":"<script>"}"#),
            failed("lookup_failed")
        );
        assert_eq!(parse_lookup(r#"{"ok":false}"#), failed("lookup_failed"));
        assert_eq!(parse_lookup(r#"{"ok":true}"#), failed("mgmt_bad_response"));
        assert_eq!(parse_lookup("nope"), failed("mgmt_bad_response"));
        assert_eq!(parse_lookup("[]"), failed("mgmt_bad_response"));
    }

    /// The slot text of a login with an app_metadata number and the phone scope, for `config`.
    fn slot_text(config: &JsCompiledConfig) -> String {
        config
            .native
            .paths()
            .iter()
            .map(|path| match path.to_string().as_str() {
                "user.user_id" => r#""auth0|1""#,
                "user.app_metadata.phone_number" => r#""+44 (0)20 7946 0958""#,
                "transaction.requested_scopes" => r#"["openid","phone"]"#,
                _ => "",
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_missing_setup_is_logged_on_the_first_decision_only() {
        let Ok(config) = JsCompiledConfig::new("") else {
            panic!("the default configuration compiles");
        };
        let slots = slot_text(&config);
        let report = r#"{"ok":false,"reason":"mgmt_not_configured","detail":"the AUTH0_DOMAIN secret is not set"}"#;
        let decide = || -> Value {
            let text = config.finish(&slots, report, false).unwrap_or_default();
            serde_json::from_str(&text).unwrap_or_default()
        };
        let first = decide();
        assert_eq!(first["idToken"]["phone_number"], "+442079460958");
        assert_eq!(
            first["log"],
            "the mfa phone source is skipped because the Management API is not set up (the AUTH0_DOMAIN secret is not set); the next sources are tried. Logged once per Action instance."
        );
        assert_eq!(decide().get("log"), None);
        // A fault is no setup state: nothing to say once, the shim logs the failure itself.
        let Ok(config) = JsCompiledConfig::new("") else {
            panic!("the default configuration compiles");
        };
        let text = config
            .finish(&slots, r#"{"ok":false,"reason":"mgmt_timeout"}"#, false)
            .unwrap_or_default();
        let failed: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(failed["lookupFailed"], true);
        assert_eq!(failed.get("log"), None);
    }

    #[test]
    fn warnings_cross_as_a_json_array() {
        let Ok(quiet) = JsCompiledConfig::new("{}") else {
            panic!("{{}} compiles");
        };
        assert_eq!(quiet.warnings_json(), "[]");
        let Ok(doubtful) = JsCompiledConfig::new(
            r#"{"idToken":{"https://a.example.com/auth0.com":"user.email"}}"#,
        ) else {
            panic!("a warning does not stop compilation");
        };
        let warnings: Value = serde_json::from_str(&doubtful.warnings_json()).unwrap_or_default();
        assert_eq!(warnings[0]["code"], "namespace_lookalike");
        assert_eq!(warnings[0]["severity"], "warning");
        assert_eq!(warnings.as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn setup_failures_are_not_faults() {
        assert_eq!(
            parse_lookup(
                r#"{"ok":false,"reason":"mgmt_not_configured","detail":"the AUTH0_DOMAIN secret is not set"}"#
            ),
            LookupOutcome::NotConfigured {
                code: "mgmt_not_configured".to_owned(),
                detail: "the AUTH0_DOMAIN secret is not set".to_owned()
            }
        );
        assert!(matches!(
            parse_lookup(r#"{"ok":false,"reason":"mgmt_domain_refused","detail":"x\ny"}"#),
            LookupOutcome::NotConfigured { ref detail, .. } if detail == "xy"
        ));
    }

    #[test]
    fn validate_lists_issues() {
        assert_eq!(
            validate_config("{}"),
            r#"{"ok":true,"issues":[],"managementApi":true}"#
        );
        assert_eq!(
            validate_config(r#"{"phone":{"sources":["profile"]}}"#),
            r#"{"ok":true,"issues":[],"managementApi":false}"#
        );
        assert_eq!(
            validate_config(r#"{"phone":false}"#),
            r#"{"ok":true,"issues":[],"managementApi":false}"#
        );
        assert!(
            validate_config(r#"{"idToken":{"roles":"authorization.roles"}}"#)
                .contains("restricted_claim")
        );
    }
}

// ---- Phone-message delivery through Twilio Verify, and its feedback ([`crate::delivery`]) ----
//
// Compiled only with the `phone-messages` feature: the post-login Action loads a module built
// without it, so that it does not carry code it never calls (6 KB of gzipped wasm).
#[cfg(feature = "phone-messages")]
mod phone_messages {
    use super::*;

    use crate::config::MfaEndpoint;
    use crate::delivery::{self, Delivery, Feedback, LoginFacts, Refusal};

    #[derive(Serialize)]
    #[serde(
        tag = "status",
        rename_all = "lowercase",
        rename_all_fields = "camelCase"
    )]
    enum DeliveryOut<'a> {
        Send {
            to: &'a str,
            to_redacted: String,
            channel: &'static str,
            code: &'a str,
            locale: Option<&'static str>,
            locale_dropped: bool,
        },
        Refused {
            reason: &'static str,
            detail: Option<&'static str>,
            message: &'a str,
            recipient_redacted: &'a str,
        },
    }

    fn delivery_json(planned: &Result<Delivery, Refusal>) -> String {
        to_json(&match planned {
            Ok(d) => DeliveryOut::Send {
                to: d.to.as_str(),
                to_redacted: d.to.redacted(),
                channel: d.channel.name(),
                code: &d.code,
                locale: d.locale,
                locale_dropped: d.locale_dropped,
            },
            Err(r) => DeliveryOut::Refused {
                reason: r.reason.code(),
                detail: r.detail,
                message: &r.message,
                recipient_redacted: &r.recipient_redacted,
            },
        })
    }

    fn parse_json_input(text: &str, what: &str) -> Result<Value, BoundaryError> {
        serde_json::from_str(text).map_err(|_| BoundaryError {
            code: "INPUT_INVALID",
            message: format!("{what} is not JSON text"),
            issues: None,
        })
    }

    /// Plans a `send-phone-message` delivery. `message_options` is `event.message_options` as JSON
    /// (`null` when absent); `language` is `event.request.language`. Returns
    /// `{"status":"send", to, toRedacted, channel, code, locale, localeDropped}` or
    /// `{"status":"refused", reason, detail, message, recipientRedacted}`. Throws `INPUT_INVALID`
    /// only when the text is not JSON.
    #[wasm_bindgen(js_name = planSendPhoneMessage)]
    pub fn plan_send_phone_message(
        message_options: &str,
        language: Option<String>,
    ) -> Result<String, BoundaryError> {
        let options = parse_json_input(message_options, "message_options")?;
        Ok(delivery_json(&delivery::send_phone_message(
            &options,
            language.as_deref(),
        )))
    }

    /// Plans a `custom-phone-provider` delivery from `event.notification` as JSON; the same answer
    /// as [`plan_send_phone_message`].
    #[wasm_bindgen(js_name = planCustomPhoneProvider)]
    pub fn plan_custom_phone_provider(notification: &str) -> Result<String, BoundaryError> {
        let notification = parse_json_input(notification, "notification")?;
        Ok(delivery_json(&delivery::custom_phone_provider(
            &notification,
        )))
    }

    #[derive(Serialize)]
    #[serde(
        tag = "status",
        rename_all = "lowercase",
        rename_all_fields = "camelCase"
    )]
    enum FeedbackOut<'a> {
        Approve {
            to: &'a str,
            to_redacted: String,
            source: &'static str,
        },
        Lookup {
            lookup: &'a LookupRequest,
        },
        Skip {
            reason: &'static str,
            detail: Option<&'a str>,
        },
    }

    fn feedback_json(feedback: &Feedback) -> String {
        to_json(&match feedback {
            Feedback::Approve { to, source } => FeedbackOut::Approve {
                to: to.as_str(),
                to_redacted: to.redacted(),
                source: source.name(),
            },
            Feedback::Lookup(lookup) => FeedbackOut::Lookup { lookup },
            Feedback::Skip { reason, detail } => FeedbackOut::Skip {
                reason: reason.code(),
                detail: detail.as_deref(),
            },
        })
    }

    /// Reads the shim's facts: `{methods, phoneNumber, userId, protocol}` copied from the event,
    /// and `nowMs`, `maxAgeSeconds`, `mfaEndpoint` from the shim's validated options.
    fn parse_login_facts(text: &str) -> Result<LoginFacts, BoundaryError> {
        let invalid = |message: &str| BoundaryError {
            code: "INPUT_INVALID",
            message: format!("feedback facts: {message}"),
            issues: None,
        };
        let Value::Object(mut facts) = parse_json_input(text, "the feedback facts")? else {
            return Err(invalid("not a JSON object"));
        };
        let now_ms = facts
            .get("nowMs")
            .and_then(Value::as_f64)
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .ok_or_else(|| invalid("nowMs must be a time in epoch milliseconds"))?;
        let max_age_seconds = facts
            .get("maxAgeSeconds")
            .and_then(Value::as_i64)
            .filter(|s| (1..=delivery::MAX_FEEDBACK_MAX_AGE_SECONDS).contains(s))
            .ok_or_else(|| invalid("maxAgeSeconds must be a whole number from 1 to 86400"))?;
        let endpoint = match facts.get("mfaEndpoint").and_then(Value::as_str) {
            None | Some("authentication-methods") => MfaEndpoint::AuthenticationMethods,
            Some("enrollments") => MfaEndpoint::Enrollments,
            Some(_) => {
                return Err(invalid(
                    "mfaEndpoint must be 'authentication-methods' or 'enrollments'",
                ))
            }
        };
        Ok(LoginFacts {
            methods: facts.remove("methods"),
            phone_number: facts.remove("phoneNumber"),
            user_id: facts.remove("userId"),
            protocol: facts.remove("protocol"),
            // Whole seconds are enough for a window of minutes; the value is finite and >= 0.
            now_seconds: (now_ms / 1000.0).floor() as i64,
            max_age_seconds,
            endpoint,
        })
    }

    /// First step of the Verify feedback after a login: `{"status":"approve", to, toRedacted,
    /// source}`, `{"status":"lookup","lookup":{endpoint,userId}}` or `{"status":"skip", reason,
    /// detail}`. Throws `INPUT_INVALID` when the facts are malformed (a shim bug, not event data).
    #[wasm_bindgen(js_name = planVerifyFeedback)]
    pub fn plan_verify_feedback(facts: &str) -> Result<String, BoundaryError> {
        let facts = parse_login_facts(facts)?;
        Ok(feedback_json(&delivery::feedback(&facts)))
    }

    /// Second step, after the Management API lookup (`{"ok":true,"methods":[...]}` or
    /// `{"ok":false,"reason":"mgmt_..."}`): `approve` or `skip`. Never throws.
    #[wasm_bindgen(js_name = finishVerifyFeedback)]
    pub fn finish_verify_feedback(lookup: &str) -> String {
        feedback_json(&delivery::feedback_after_lookup(&parse_lookup(lookup)))
    }

    #[cfg(test)]
    mod delivery_boundary_tests {
        use super::*;
        use serde_json::json;

        fn parsed(text: &str) -> Value {
            serde_json::from_str(text).unwrap()
        }

        #[test]
        fn send_and_refused_shapes() {
            let sent = plan_send_phone_message(
                r#"{"recipient":"+1 415 555 0123","code":"123456","message_type":"voice"}"#,
                Some("pt_BR".to_owned()),
            )
            .unwrap();
            assert_eq!(
                parsed(&sent),
                json!({"status": "send", "to": "+14155550123", "toRedacted": "…0123", "channel": "call",
                       "code": "123456", "locale": "pt-BR", "localeDropped": false})
            );
            let refused =
                plan_send_phone_message(r#"{"recipient":"XXXXXXXX8730","code":"123456"}"#, None)
                    .unwrap();
            let refused = parsed(&refused);
            assert_eq!(refused["status"], "refused");
            assert_eq!(refused["reason"], "recipient_invalid");
            assert_eq!(refused["detail"], "phone_masked");
            assert_eq!(refused["recipientRedacted"], "…8730");
            let missing = parsed(&plan_send_phone_message("null", None).unwrap());
            assert_eq!(missing["reason"], "event_invalid");
            assert!(plan_send_phone_message("{", None).is_err());
        }

        #[test]
        fn custom_provider_shape() {
            let sent = plan_custom_phone_provider(
                r#"{"recipient":"+447700900123","code":"4829","delivery_method":"text","locale":"xx"}"#,
            )
            .unwrap();
            let sent = parsed(&sent);
            assert_eq!(sent["channel"], "sms");
            assert_eq!(sent["locale"], Value::Null);
            assert_eq!(sent["localeDropped"], true);
            assert!(plan_custom_phone_provider("nope").is_err());
        }

        #[test]
        fn feedback_shapes() {
            let facts = |extra: Value| {
                let mut base = json!({"nowMs": 1_714_557_600_000u64, "maxAgeSeconds": 600,
                    "userId": "auth0|u1", "phoneNumber": "+14155550123", "protocol": "oidc-basic-profile"});
                if let (Value::Object(b), Value::Object(e)) = (&mut base, extra) {
                    b.extend(e);
                }
                base.to_string()
            };
            let approve = plan_verify_feedback(&facts(
                json!({"methods": [{"name": "sms", "timestamp": "2024-05-01T09:59:00Z"}]}),
            ))
            .unwrap();
            assert_eq!(
                parsed(&approve),
                json!({"status": "approve", "to": "+14155550123", "toRedacted": "…0123", "source": "passwordless_sms"})
            );
            let lookup = plan_verify_feedback(&facts(json!({"mfaEndpoint": "enrollments",
                "methods": [{"name": "mfa", "type": "phone", "timestamp": "2024-05-01T09:59:00Z"}]})))
            .unwrap();
            assert_eq!(
                parsed(&lookup),
                json!({"status": "lookup", "lookup": {"endpoint": "enrollments", "userId": "auth0|u1"}})
            );
            let skip = plan_verify_feedback(&facts(json!({"methods": []}))).unwrap();
            assert_eq!(
                parsed(&skip),
                json!({"status": "skip", "reason": "no_phone_factor", "detail": null})
            );
            for bad in [
                json!({"maxAgeSeconds": 0}),
                json!({"maxAgeSeconds": 86_401}),
                json!({"nowMs": -1}),
                json!({"nowMs": "now"}),
                json!({"mfaEndpoint": "users"}),
            ] {
                assert!(plan_verify_feedback(&facts(bad.clone())).is_err(), "{bad}");
            }
            assert!(plan_verify_feedback("[]").is_err());
            let finished = finish_verify_feedback(r#"{"ok":false,"reason":"mgmt_forbidden"}"#);
            assert_eq!(
                parsed(&finished),
                json!({"status": "skip", "reason": "lookup_failed", "detail": "mgmt_forbidden"})
            );
            let finished = finish_verify_feedback(
                r#"{"ok":true,"methods":[{"type":"phone","confirmed":true,"phone_number":"+447700900123"}]}"#,
            );
            assert_eq!(parsed(&finished)["to"], "+447700900123");
        }
    }
}
