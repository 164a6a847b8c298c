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
