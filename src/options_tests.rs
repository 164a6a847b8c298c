use super::*;

fn entries(list: &[(&str, OptionValue)]) -> Vec<(String, OptionValue)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn checked(kind: HandlerKind, list: &[(&str, OptionValue)]) -> Result<HandlerOptions, String> {
    check(kind, Some(&entries(list)))
}

use OptionValue::{Number, Other, Text, Undefined};

#[test]
fn defaults_per_handler() {
    let post = checked(PostLogin, &[]).unwrap();
    assert_eq!(
        (post.timeout_ms, post.deadline_ms, post.on_error),
        (2500.0, 5000.0, OnError::Continue)
    );
    let send = checked(SendPhoneMessage, &[]).unwrap();
    assert_eq!((send.timeout_ms, send.deadline_ms), (3000.0, 8000.0));
    let feedback = checked(VerifyFeedback, &[]).unwrap();
    assert_eq!(
        (feedback.timeout_ms, feedback.deadline_ms),
        (1000.0, 1500.0)
    );
    assert_eq!(feedback.max_age_seconds, 600);
    assert_eq!(feedback.mfa_endpoint, MfaEndpoint::AuthenticationMethods);
    #[cfg(feature = "phone-messages")]
    assert_eq!(feedback.verify_base.as_str(), "https://verify.twilio.com");
    // An option given as undefined is the default.
    assert_eq!(
        checked(PostLogin, &[("timeoutMs", Undefined)])
            .unwrap()
            .timeout_ms,
        2500.0
    );
}

#[test]
fn given_values_are_kept() {
    let post = checked(
        PostLogin,
        &[
            ("timeoutMs", Number(0.5)),
            ("deadlineMs", Number(9000.0)),
            ("onError", Text("deny".into())),
            ("fetch", Other("function")),
            ("now", Other("function")),
            ("logger", Other("object")),
        ],
    )
    .unwrap();
    assert_eq!(
        (post.timeout_ms, post.deadline_ms, post.on_error),
        (0.5, 9000.0, OnError::Deny)
    );
    let feedback = checked(
        VerifyFeedback,
        &[
            ("maxAgeSeconds", Number(86_400.0)),
            ("mfaEndpoint", Text("enrollments".into())),
        ],
    )
    .unwrap();
    assert_eq!(
        (feedback.max_age_seconds, feedback.mfa_endpoint),
        (86_400, MfaEndpoint::Enrollments)
    );
    assert_eq!(
        checked(VerifyFeedback, &[("maxAgeSeconds", Number(1.0))])
            .unwrap()
            .max_age_seconds,
        1
    );
}

#[test]
fn each_mfa_endpoint_can_be_named() {
    // The two Management API endpoints the lookup reads (README: mfaEndpoint).
    for (text, endpoint) in [
        ("authentication-methods", MfaEndpoint::AuthenticationMethods),
        ("enrollments", MfaEndpoint::Enrollments),
    ] {
        assert_eq!(
            checked(VerifyFeedback, &[("mfaEndpoint", Text(text.into()))])
                .unwrap()
                .mfa_endpoint,
            endpoint,
            "{text}"
        );
    }
    assert_eq!(
        checked(PostLogin, &[("onError", Text("continue".into()))])
            .unwrap()
            .on_error,
        OnError::Continue
    );
}

#[test]
fn bad_values_say_what_is_expected() {
    for bad in [
        Number(0.0),
        Number(-1.0),
        Number(f64::NAN),
        Number(f64::INFINITY),
        Text("100".into()),
        Other("boolean"),
    ] {
        assert_eq!(
            checked(PostLogin, &[("timeoutMs", bad.clone())]).unwrap_err(),
            "options.timeoutMs must be a positive number of milliseconds"
        );
        assert_eq!(
            checked(SendPhoneMessage, &[("deadlineMs", bad)]).unwrap_err(),
            "options.deadlineMs must be a positive number of milliseconds"
        );
    }
    for bad in [Text("Deny".into()), Text("".into()), Other("boolean")] {
        assert_eq!(
            checked(PostLogin, &[("onError", bad)]).unwrap_err(),
            "options.onError must be 'continue' or 'deny'"
        );
    }
    for bad in [
        Number(0.0),
        Number(86_401.0),
        Number(1.5),
        Number(f64::NAN),
        Text("600".into()),
    ] {
        assert_eq!(
            checked(VerifyFeedback, &[("maxAgeSeconds", bad)]).unwrap_err(),
            "options.maxAgeSeconds must be a whole number of seconds from 1 to 86400"
        );
    }
    assert_eq!(
        checked(VerifyFeedback, &[("mfaEndpoint", Text("users".into()))]).unwrap_err(),
        "options.mfaEndpoint must be 'authentication-methods' or 'enrollments'"
    );
    assert_eq!(
        check(PostLogin, None).unwrap_err(),
        "options must be an object"
    );
}

#[test]
fn unknown_options_name_the_allowed_ones() {
    assert_eq!(
        checked(PostLogin, &[("timeout", Number(1.0)), ("retries", Number(2.0))]).unwrap_err(),
        "unknown option(s): timeout, retries; allowed: fetch, timeoutMs, deadlineMs, onError, logger, now"
    );
    assert_eq!(
        checked(SendPhoneMessage, &[("maxAgeSeconds", Number(5.0))]).unwrap_err(),
        "unknown option(s): maxAgeSeconds; allowed: fetch, timeoutMs, deadlineMs, logger, now, verifyBaseUrl"
    );
    assert_eq!(
        checked(VerifyFeedback, &[("onError", Text("deny".into()))]).unwrap_err(),
        "unknown option(s): onError; allowed: fetch, timeoutMs, deadlineMs, logger, now, verifyBaseUrl, maxAgeSeconds, mfaEndpoint"
    );
    assert_eq!(
        checked(PostLogin, &[("__proto__", Number(1.0))])
            .unwrap_err()
            .split(';')
            .next(),
        Some("unknown option(s): __proto__")
    );
}

#[test]
fn defaults_are_listed_per_kind() {
    let spec = |name: &str| OPTIONS.iter().find(|s| s.name == name).copied().unwrap();
    assert_eq!(spec("timeoutMs").default_for(VerifyFeedback), Some("1000"));
    assert_eq!(spec("onError").default_for(PostLogin), Some("continue"));
    assert_eq!(spec("onError").default_for(VerifyFeedback), None);
    assert_eq!(spec("fetch").default_for(PostLogin), None);
    for spec in OPTIONS {
        assert_eq!(spec.kinds.len(), spec.defaults.len(), "{}", spec.name);
    }
}

#[cfg(feature = "phone-messages")]
#[test]
fn the_verify_origin_is_checked() {
    assert_eq!(
        checked(
            SendPhoneMessage,
            &[("verifyBaseUrl", Text("http://127.0.0.1:4020".into()))]
        )
        .unwrap()
        .verify_base
        .as_str(),
        "http://127.0.0.1:4020"
    );
    assert_eq!(
        checked(SendPhoneMessage, &[("verifyBaseUrl", Other("object"))]).unwrap_err(),
        "options.verifyBaseUrl must be an absolute URL without whitespace"
    );
    assert!(checked(
        SendPhoneMessage,
        &[("verifyBaseUrl", Text("http://verify.example.com".into()))]
    )
    .unwrap_err()
    .starts_with("options.verifyBaseUrl"));
}
