//! Tests of configuration compilation: the schema on top of `config.rs`, the issue codes, and
//! the claim-name and path rules of Auth0 (shared/platform-facts.md, "Claims").

use super::*;
use serde_json::{json, Value};

fn compiled(config: Value) -> CompiledConfig {
    match CompiledConfig::compile(&config) {
        Ok(compiled) => compiled,
        Err(issues) => panic!("{config} was refused: {issues:#?}"),
    }
}

fn issues(config: Value) -> Vec<ConfigIssue> {
    match CompiledConfig::compile(&config) {
        Ok(compiled) => panic!("{config} compiled: {compiled:?}"),
        Err(issues) => {
            assert!(!issues.is_empty(), "{config}: an error without issues");
            issues
        }
    }
}

/// The single issue (error or warning) of a configuration that has exactly one mistake.
fn only_issue(config: Value) -> ConfigIssue {
    let mut found = validate(&config);
    assert_eq!(found.len(), 1, "{config}: {found:#?}");
    found.remove(0)
}

fn path_texts(compiled: &CompiledConfig) -> Vec<String> {
    compiled.paths().iter().map(ToString::to_string).collect()
}

fn path_of(compiled: &CompiledConfig, slot: usize) -> String {
    compiled.paths()[slot].to_string()
}

/// `idToken["name"]`: how issues locate a claim entry.
fn claim_at(token: &str, name: &str) -> String {
    format!("{token}[{}]", Value::String(name.to_owned()))
}

fn phone(compiled: &CompiledConfig) -> &PhoneSlots {
    compiled
        .phone
        .as_ref()
        .unwrap_or_else(|| panic!("phone policy off: {compiled:?}"))
}

/// The default phone policy, checked slot by slot.
fn assert_default_phone_policy(compiled: &CompiledConfig) {
    let policy = phone(compiled);
    assert_eq!(
        policy.sources,
        [
            PhoneSource::Profile,
            PhoneSource::Mfa,
            PhoneSource::AppMetadata
        ]
    );
    assert_eq!(policy.endpoint, MfaEndpoint::AuthenticationMethods);
    assert_eq!(path_of(compiled, policy.user_id), "user.user_id");
    assert_eq!(path_of(compiled, policy.number), "user.phone_number");
    assert_eq!(path_of(compiled, policy.verified), "user.phone_verified");
    assert_eq!(
        path_of(compiled, policy.enrolled_factors),
        "user.enrolledFactors"
    );
    assert_eq!(
        path_of(compiled, policy.metadata_number),
        "user.app_metadata.phone_number"
    );
    assert_eq!(
        path_of(compiled, policy.metadata_verified),
        "user.app_metadata.phone_verified"
    );
    assert_eq!(
        policy.metadata_number_path,
        "user.app_metadata.phone_number"
    );
    assert_eq!(
        policy.metadata_verified_path,
        "user.app_metadata.phone_verified"
    );
    assert_eq!(
        path_of(compiled, policy.requested_scopes),
        "transaction.requested_scopes"
    );
    assert_eq!(path_of(compiled, policy.body_scope), "request.body.scope");
    assert_eq!(path_of(compiled, policy.query_scope), "request.query.scope");
    assert!(compiled.phone_enabled());
}

const DEFAULT_PHONE_PATHS: [&str; 10] = [
    "user.user_id",
    "user.phone_number",
    "user.phone_verified",
    "user.enrolledFactors",
    "user.app_metadata.phone_number",
    "user.app_metadata.phone_verified",
    "transaction.requested_scopes",
    "request.body.scope",
    "request.query.scope",
    "transaction.protocol",
];

fn sorted(mut items: Vec<String>) -> Vec<String> {
    items.sort();
    items
}

// --- no configuration, defaults ----------------------------------------------------------------

#[test]
fn empty_object_means_default_phone_policy_and_no_custom_claims() {
    let compiled = compiled(json!({}));
    assert_default_phone_policy(&compiled);
    assert!(compiled.claims.is_empty());
    assert_eq!(
        sorted(path_texts(&compiled)),
        sorted(
            DEFAULT_PHONE_PATHS
                .iter()
                .map(|p| (*p).to_owned())
                .collect()
        )
    );
}

#[test]
fn null_means_default() {
    let compiled = compiled(Value::Null);
    assert_default_phone_policy(&compiled);
    assert!(compiled.claims.is_empty());
    assert_eq!(compiled, self::compiled(json!({})));
}

#[test]
fn no_configuration_text_means_default() {
    let default = compiled(json!({}));
    for text in ["", "   ", "\n\t", "{}", "null", " null "] {
        assert_eq!(
            CompiledConfig::compile_str(text),
            Ok(default.clone()),
            "{text:?}"
        );
    }
}

#[test]
fn null_token_sections_mean_no_custom_claims() {
    let compiled = compiled(json!({"phone": null, "idToken": null, "accessToken": null}));
    assert_default_phone_policy(&compiled);
    assert!(compiled.claims.is_empty());
}

#[test]
fn validate_lists_nothing_for_a_valid_configuration() {
    assert_eq!(validate(&json!({})), vec![]);
    assert_eq!(
        validate(&json!({
            "phone": {"sources": ["mfa"], "mfaEndpoint": "enrollments"},
            "accessToken": {"https://my-app.example.com/roles": "authorization.roles"}
        })),
        vec![]
    );
}

#[test]
fn validate_lists_the_same_issues_as_compile() {
    let config = json!({"phone": {"sources": []}, "accessToken": {"roles": "authorization.roles"}});
    let from_compile = issues(config.clone());
    assert_eq!(validate(&config), from_compile);
    assert_eq!(from_compile.len(), 2);
}

// --- phone switch -------------------------------------------------------------------------------

#[test]
fn phone_false_turns_the_phone_policy_off() {
    let compiled = compiled(json!({"phone": false}));
    assert!(!compiled.phone_enabled());
    assert!(compiled.phone.is_none());
    assert!(compiled.paths().is_empty(), "{:?}", compiled.paths());
}

#[test]
fn phone_enabled_false_turns_the_phone_policy_off() {
    let compiled = compiled(json!({"phone": {"enabled": false}}));
    assert!(!compiled.phone_enabled());
    assert!(compiled.paths().is_empty());
}

#[test]
fn phone_true_is_the_default_policy() {
    let on = compiled(json!({"phone": true}));
    assert_default_phone_policy(&on);
    assert_eq!(on, compiled(json!({})));
    assert_eq!(compiled(json!({"phone": {"enabled": true}})), on);
    assert_eq!(compiled(json!({"phone": {}})), on);
}

#[test]
fn disabled_phone_policy_still_reports_its_mistakes() {
    // "Compilation reports every problem at once": a mistake under a disabled policy must not
    // wait until someone turns the policy on.
    let issue = only_issue(json!({"phone": {"enabled": false, "sources": ["sms"]}}));
    assert_eq!(issue.code, IssueCode::UnknownSource);
    assert_eq!(issue.at, "phone.sources[0]");
    let issue = only_issue(json!({"phone": {"enabled": false, "mfaEndpoint": "guardian"}}));
    assert_eq!(issue.code, IssueCode::UnknownMfaEndpoint);
    let issue = only_issue(json!({"phone": {"enabled": false, "appMetadata": "phone"}}));
    assert_eq!(issue.code, IssueCode::WrongType);
}

// --- phone sources ------------------------------------------------------------------------------

#[test]
fn custom_source_order_is_kept() {
    let compiled = compiled(json!({"phone": {"sources": ["app_metadata", "profile"]}}));
    assert_eq!(
        phone(&compiled).sources,
        [PhoneSource::AppMetadata, PhoneSource::Profile]
    );
    let compiled =
        self::compiled(json!({"phone": {"sources": ["mfa", "app_metadata", "profile"]}}));
    assert_eq!(
        phone(&compiled).sources,
        [
            PhoneSource::Mfa,
            PhoneSource::AppMetadata,
            PhoneSource::Profile
        ]
    );
    let compiled = self::compiled(json!({"phone": {"sources": ["mfa"]}}));
    assert_eq!(phone(&compiled).sources, [PhoneSource::Mfa]);
}

#[test]
fn unknown_source_is_refused() {
    for bad in ["sms", "Profile", "user_metadata", ""] {
        let issue = only_issue(json!({"phone": {"sources": ["profile", bad]}}));
        assert_eq!(issue.code, IssueCode::UnknownSource, "{bad}");
        assert_eq!(issue.at, "phone.sources[1]");
        assert!(issue.fix.contains("app_metadata"), "{}", issue.fix);
    }
}

#[test]
fn duplicate_source_is_refused() {
    let issue = only_issue(json!({"phone": {"sources": ["mfa", "profile", "mfa"]}}));
    assert_eq!(issue.code, IssueCode::DuplicateSource);
    assert_eq!(issue.at, "phone.sources[2]");
}

#[test]
fn empty_source_list_is_refused() {
    let issue = only_issue(json!({"phone": {"sources": []}}));
    assert_eq!(issue.code, IssueCode::NoSources);
    assert_eq!(issue.at, "phone.sources");
    assert!(issue.fix.contains("\"phone\": false"), "{}", issue.fix);
}

// --- MFA endpoint -------------------------------------------------------------------------------

#[test]
fn mfa_endpoint_authentication_methods() {
    let compiled = compiled(json!({"phone": {"mfaEndpoint": "authentication-methods"}}));
    assert_eq!(
        phone(&compiled).endpoint,
        MfaEndpoint::AuthenticationMethods
    );
    assert_eq!(compiled, self::compiled(json!({})));
}

#[test]
fn mfa_endpoint_enrollments() {
    let compiled = compiled(json!({"phone": {"mfaEndpoint": "enrollments"}}));
    assert_eq!(phone(&compiled).endpoint, MfaEndpoint::Enrollments);
    assert_eq!(MfaEndpoint::Enrollments.name(), "enrollments");
    assert_eq!(
        serde_json::to_value(MfaEndpoint::Enrollments).ok(),
        Some(json!("enrollments"))
    );
    assert_eq!(
        serde_json::to_value(MfaEndpoint::AuthenticationMethods).ok(),
        Some(json!("authentication-methods"))
    );
}

#[test]
fn unknown_mfa_endpoint_is_refused() {
    for bad in [
        "guardian",
        "Enrollments",
        "authentication_methods",
        "users",
        "",
    ] {
        let issue = only_issue(json!({"phone": {"mfaEndpoint": bad}}));
        assert_eq!(issue.code, IssueCode::UnknownMfaEndpoint, "{bad}");
        assert_eq!(issue.at, "phone.mfaEndpoint");
        assert!(issue.fix.contains("enrollments"), "{}", issue.fix);
    }
}

// --- app_metadata paths -------------------------------------------------------------------------

#[test]
fn app_metadata_paths_are_configurable() {
    let compiled = compiled(json!({"phone": {"appMetadata": {
        "number": "contact.mobile", "verified": "contact.mobile_verified"
    }}}));
    let policy = phone(&compiled);
    assert_eq!(
        policy.metadata_number_path,
        "user.app_metadata.contact.mobile"
    );
    assert_eq!(
        policy.metadata_verified_path,
        "user.app_metadata.contact.mobile_verified"
    );
    assert_eq!(
        path_of(&compiled, policy.metadata_number),
        "user.app_metadata.contact.mobile"
    );
    assert_eq!(
        path_of(&compiled, policy.metadata_verified),
        "user.app_metadata.contact.mobile_verified"
    );
    assert!(!path_texts(&compiled).contains(&"user.app_metadata.phone_number".to_owned()));
}

#[test]
fn app_metadata_path_left_out_keeps_its_default() {
    let compiled = compiled(json!({"phone": {"appMetadata": {"number": "mobile"}}}));
    let policy = phone(&compiled);
    assert_eq!(policy.metadata_number_path, "user.app_metadata.mobile");
    assert_eq!(
        policy.metadata_verified_path,
        "user.app_metadata.phone_verified"
    );
}

#[test]
fn app_metadata_invalid_path_is_refused() {
    for bad in [
        "",
        "contact..mobile",
        ".mobile",
        "__proto__",
        "contact.constructor",
    ] {
        let issue = only_issue(json!({"phone": {"appMetadata": {"number": bad}}}));
        assert_eq!(issue.code, IssueCode::InvalidPath, "{bad:?}");
        assert_eq!(issue.at, "phone.appMetadata.number");
        assert!(!issue.fix.is_empty());
    }
    let issue = only_issue(json!({"phone": {"appMetadata": {"verified": "a..b"}}}));
    assert_eq!(issue.at, "phone.appMetadata.verified");
}

// --- every issue code ---------------------------------------------------------------------------

/// Every code: the crate's own list, held to the 20 codes by
/// `every_issue_code_is_listed_once_and_written_as_serde_writes_it`; `example` matches
/// exhaustively so a new code cannot be forgotten here.
const ALL_CODES: &[IssueCode] = IssueCode::ALL;

struct Example {
    config: Value,
    code_text: &'static str,
    at: String,
    claim: Option<&'static str>,
}

/// A configuration with exactly one mistake, of the given kind.
fn example(code: IssueCode) -> Example {
    let id = |name: &'static str, entry: Value| Example {
        config: json!({"idToken": {name: entry}}),
        code_text: "",
        at: claim_at("idToken", name),
        claim: Some(name),
    };
    let access = |name: &'static str, entry: Value| Example {
        config: json!({"accessToken": {name: entry}}),
        code_text: "",
        at: claim_at("accessToken", name),
        claim: Some(name),
    };
    let phone = |policy: Value, at: &str| Example {
        config: json!({ "phone": policy }),
        code_text: "",
        at: at.to_owned(),
        claim: None,
    };
    let (example, code_text) = match code {
        IssueCode::NotAnObject => (
            Example {
                config: json!(["idToken"]),
                code_text: "",
                at: "(root)".to_owned(),
                claim: None,
            },
            "not_an_object",
        ),
        IssueCode::UnknownKey => (
            phone(json!({"source": ["mfa"]}), "phone.source"),
            "unknown_key",
        ),
        IssueCode::WrongType => (
            phone(json!({"enabled": "yes"}), "phone.enabled"),
            "wrong_type",
        ),
        IssueCode::UnknownSource => (
            phone(json!({"sources": ["profile", "sms"]}), "phone.sources[1]"),
            "unknown_source",
        ),
        IssueCode::DuplicateSource => (
            phone(
                json!({"sources": ["profile", "profile"]}),
                "phone.sources[1]",
            ),
            "duplicate_source",
        ),
        IssueCode::NoSources => (phone(json!({"sources": []}), "phone.sources"), "no_sources"),
        IssueCode::UnknownMfaEndpoint => (
            phone(json!({"mfaEndpoint": "guardian"}), "phone.mfaEndpoint"),
            "unknown_mfa_endpoint",
        ),
        IssueCode::EmptyClaimName => (id("", json!("user.app_metadata.plan")), "empty_claim_name"),
        IssueCode::RestrictedClaim => (
            access("roles", json!("authorization.roles")),
            "restricted_claim",
        ),
        IssueCode::ReservedNamespace => (
            id(
                "https://my-tenant.eu.auth0.com/plan",
                json!("user.app_metadata.plan"),
            ),
            "reserved_namespace",
        ),
        IssueCode::StandardClaimInAccessToken => (
            access("email", json!("user.email")),
            "standard_claim_in_access_token",
        ),
        IssueCode::DuplicateClaim => (
            id("phone_number", json!("user.app_metadata.mobile")),
            "duplicate_claim",
        ),
        IssueCode::InvalidPath => (
            id(
                "https://my-app.example.com/plan",
                json!("user.app_metadata..plan"),
            ),
            "invalid_path",
        ),
        IssueCode::UnknownPathRoot => (
            id(
                "https://my-app.example.com/plan",
                json!("usr.app_metadata.plan"),
            ),
            "unknown_path_root",
        ),
        IssueCode::SecretPath => (
            access(
                "https://my-app.example.com/token",
                json!("secrets.MANAGEMENT_API_TOKEN"),
            ),
            "secret_path",
        ),
        IssueCode::CredentialPath => (
            access(
                "https://my-app.example.com/password",
                json!("request.body.password"),
            ),
            "credential_path",
        ),
        IssueCode::UserControlledPath => (
            id(
                "https://my-app.example.com/locale",
                json!("user.user_metadata.locale"),
            ),
            "user_controlled_path",
        ),
        IssueCode::UnknownCountry => (
            phone(json!({"defaultCountry": "UK"}), "phone.defaultCountry"),
            "unknown_country",
        ),
        IssueCode::NamespaceLookalike => (
            id(
                "https://my-app.example.com/auth0.com",
                json!("user.app_metadata.plan"),
            ),
            "namespace_lookalike",
        ),
        IssueCode::AppMetadataFullPath => (
            phone(
                json!({"appMetadata": {"number": "user.app_metadata.phone"}}),
                "phone.appMetadata.number",
            ),
            "app_metadata_full_path",
        ),
    };
    Example {
        code_text,
        ..example
    }
}

#[test]
fn every_issue_code_comes_from_a_config_with_exactly_that_mistake() {
    for &code in ALL_CODES {
        let example = example(code);
        let issue = only_issue(example.config.clone());
        assert_eq!(issue.code, code, "{}", example.config);
        assert_eq!(issue.at, example.at, "{code:?}");
        assert_eq!(issue.claim.as_deref(), example.claim, "{code:?}");
        assert!(!issue.fix.trim().is_empty(), "{code:?} has no fix");
        assert!(!issue.message.trim().is_empty(), "{code:?} has no message");
        // The code's wire form is the stable contract.
        assert_eq!(
            serde_json::to_value(code).ok(),
            Some(Value::String(example.code_text.to_owned()))
        );
        let serialized: Value =
            serde_json::from_str(&issues_json(std::slice::from_ref(&issue))).unwrap_or_default();
        let serialized = serialized[0].clone();
        assert_eq!(serialized["code"], json!(example.code_text));
        assert_eq!(
            serialized.get("claim").is_some(),
            example.claim.is_some(),
            "{serialized}"
        );
    }
}

#[test]
fn issue_codes_are_all_listed() {
    let mut texts: Vec<String> = ALL_CODES
        .iter()
        .map(|code| example(*code).code_text.to_owned())
        .collect();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 20);
}

// --- unknown keys and wrong types ---------------------------------------------------------------

#[test]
fn unknown_keys_are_refused_at_every_level() {
    let cases = [
        (json!({"idTokens": {}}), "idTokens".to_owned(), None),
        (
            json!({"phone": {"source": ["mfa"]}}),
            "phone.source".to_owned(),
            None,
        ),
        (
            json!({"phone": {"appMetadata": {"numbr": "mobile"}}}),
            "phone.appMetadata.numbr".to_owned(),
            None,
        ),
        (
            json!({"idToken": {"https://my-app.example.com/plan": {
                "path": "user.app_metadata.plan", "default": "free"
            }}}),
            format!(
                "{}.default",
                claim_at("idToken", "https://my-app.example.com/plan")
            ),
            Some("https://my-app.example.com/plan"),
        ),
        (
            json!({"accessToken": {"https://my-app.example.com/plan": {
                "path": "user.app_metadata.plan", "allowUsercontrolled": true
            }}}),
            format!(
                "{}.allowUsercontrolled",
                claim_at("accessToken", "https://my-app.example.com/plan")
            ),
            Some("https://my-app.example.com/plan"),
        ),
    ];
    for (config, at, claim) in cases {
        let issue = only_issue(config.clone());
        assert_eq!(issue.code, IssueCode::UnknownKey, "{config}");
        assert_eq!(issue.at, at, "{config}");
        assert_eq!(issue.claim.as_deref(), claim, "{config}");
        assert!(!issue.fix.is_empty());
    }
}

#[test]
fn unknown_key_fix_lists_the_allowed_keys() {
    let issue = only_issue(json!({"phone": {"order": ["mfa"]}}));
    let allowed = "enabled sources mfaEndpoint appMetadata defaultCountry countryPath";
    for key in allowed.split(' ') {
        assert!(issue.fix.contains(key), "{}", issue.fix);
    }
    let issue = only_issue(json!({"claims": {}}));
    for key in ["phone", "idToken", "accessToken"] {
        assert!(issue.fix.contains(key), "{}", issue.fix);
    }
}

#[test]
fn wrong_types_are_refused_at_every_level() {
    let plan = "https://my-app.example.com/plan";
    let cases = [
        (json!({"phone": 1}), "phone".to_owned(), None),
        (json!({"phone": "on"}), "phone".to_owned(), None),
        (
            json!({"phone": {"enabled": "yes"}}),
            "phone.enabled".to_owned(),
            None,
        ),
        (
            json!({"phone": {"enabled": 1}}),
            "phone.enabled".to_owned(),
            None,
        ),
        (
            json!({"phone": {"sources": "profile"}}),
            "phone.sources".to_owned(),
            None,
        ),
        (
            json!({"phone": {"sources": ["profile", 3]}}),
            "phone.sources[1]".to_owned(),
            None,
        ),
        (
            json!({"phone": {"mfaEndpoint": 5}}),
            "phone.mfaEndpoint".to_owned(),
            None,
        ),
        (
            json!({"phone": {"appMetadata": "phone_number"}}),
            "phone.appMetadata".to_owned(),
            None,
        ),
        (
            json!({"phone": {"appMetadata": {"number": 7}}}),
            "phone.appMetadata.number".to_owned(),
            None,
        ),
        (
            json!({"phone": {"appMetadata": {"verified": true}}}),
            "phone.appMetadata.verified".to_owned(),
            None,
        ),
        (
            json!({"idToken": ["user.app_metadata.plan"]}),
            "idToken".to_owned(),
            None,
        ),
        (
            json!({"accessToken": "authorization.roles"}),
            "accessToken".to_owned(),
            None,
        ),
        (
            json!({"idToken": {plan: 5}}),
            claim_at("idToken", plan),
            Some(plan),
        ),
        (
            json!({"accessToken": {plan: null}}),
            claim_at("accessToken", plan),
            Some(plan),
        ),
        (
            json!({"idToken": {plan: {"path": ["user", "app_metadata", "plan"]}}}),
            format!("{}.path", claim_at("idToken", plan)),
            Some(plan),
        ),
        (
            json!({"accessToken": {plan: {"path": "user.app_metadata.plan", "allowUserControlled": "yes"}}}),
            format!("{}.allowUserControlled", claim_at("accessToken", plan)),
            Some(plan),
        ),
    ];
    for (config, at, claim) in cases {
        let issue = only_issue(config.clone());
        assert_eq!(issue.code, IssueCode::WrongType, "{config}: {issue:?}");
        assert_eq!(issue.at, at, "{config}");
        assert_eq!(issue.claim.as_deref(), claim, "{config}");
        assert!(!issue.fix.is_empty());
    }
}

#[test]
fn configuration_that_is_not_an_object_is_refused() {
    for config in [
        json!(5),
        json!("phone"),
        json!([]),
        json!([{}]),
        json!(true),
        json!(false),
    ] {
        let issue = only_issue(config.clone());
        assert_eq!(issue.code, IssueCode::NotAnObject, "{config}");
        assert_eq!(issue.at, "(root)");
        assert!(!issue.fix.is_empty());
    }
}

#[test]
fn claim_entry_without_path_is_refused() {
    let name = "https://my-app.example.com/plan";
    let issue = only_issue(json!({"idToken": {name: {"allowUserControlled": true}}}));
    assert_eq!(issue.code, IssueCode::InvalidPath);
    assert_eq!(issue.claim.as_deref(), Some(name));
}

// --- every problem at once ----------------------------------------------------------------------

#[test]
fn every_problem_is_reported_at_once() {
    let config = json!({
        "phone": {
            "sources": ["profile", "sms", "profile"],
            "mfaEndpoint": "guardian",
            "appMetadata": {"number": "contact..phone"},
            "enable": true
        },
        "idToken": {
            "phone_number": "user.app_metadata.mobile",
            "roles": "authorization.roles",
            "https://my-app.example.com/locale": "user.user_metadata.locale",
            "https://my-app.example.com/key": "secrets.API_KEY"
        },
        "accessToken": {
            "email": "user.email",
            "https://auth0.com/plan": "user.app_metadata.plan",
            "https://my-app.example.com/password": "request.body.password",
            "https://my-app.example.com/org": "org.id",
            "https://my-app.example.com/n": 42,
            "": "user.app_metadata.plan",
            "https://my-app.example.com/p": "user.__proto__.x"
        },
        "claims": {}
    });
    let mut found: Vec<(IssueCode, String)> =
        issues(config).into_iter().map(|i| (i.code, i.at)).collect();
    let mut expected = vec![
        (IssueCode::UnknownKey, "claims".to_owned()),
        (IssueCode::UnknownKey, "phone.enable".to_owned()),
        (IssueCode::UnknownSource, "phone.sources[1]".to_owned()),
        (IssueCode::DuplicateSource, "phone.sources[2]".to_owned()),
        (
            IssueCode::UnknownMfaEndpoint,
            "phone.mfaEndpoint".to_owned(),
        ),
        (
            IssueCode::InvalidPath,
            "phone.appMetadata.number".to_owned(),
        ),
        (
            IssueCode::DuplicateClaim,
            claim_at("idToken", "phone_number"),
        ),
        (IssueCode::RestrictedClaim, claim_at("idToken", "roles")),
        (
            IssueCode::UserControlledPath,
            claim_at("idToken", "https://my-app.example.com/locale"),
        ),
        (
            IssueCode::SecretPath,
            claim_at("idToken", "https://my-app.example.com/key"),
        ),
        (
            IssueCode::StandardClaimInAccessToken,
            claim_at("accessToken", "email"),
        ),
        (
            IssueCode::ReservedNamespace,
            claim_at("accessToken", "https://auth0.com/plan"),
        ),
        (
            IssueCode::CredentialPath,
            claim_at("accessToken", "https://my-app.example.com/password"),
        ),
        (
            IssueCode::UnknownPathRoot,
            claim_at("accessToken", "https://my-app.example.com/org"),
        ),
        (
            IssueCode::WrongType,
            claim_at("accessToken", "https://my-app.example.com/n"),
        ),
        (IssueCode::EmptyClaimName, claim_at("accessToken", "")),
        (
            IssueCode::InvalidPath,
            claim_at("accessToken", "https://my-app.example.com/p"),
        ),
    ];
    let key = |(code, at): &(IssueCode, String)| (format!("{code:?}"), at.clone());
    found.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(found, expected);
}

#[test]
fn a_claim_with_a_bad_name_and_a_bad_path_gets_both_issues() {
    let issue_codes: Vec<IssueCode> = issues(json!({"accessToken": {"roles": "secrets.KEY"}}))
        .into_iter()
        .map(|i| i.code)
        .collect();
    assert_eq!(
        issue_codes,
        [IssueCode::RestrictedClaim, IssueCode::SecretPath]
    );
}

// --- claim names --------------------------------------------------------------------------------

/// The restricted names as Auth0's "Create custom claims" page lists them
/// (shared/platform-facts.md), kept apart from `claims::RESTRICTED_NAMES`.
const DOCUMENTED_RESTRICTED: &str = "acr act active amr at_hash ath attest aud auth_time \
    authorization_details azp c_hash client_id cnf cty dest entitlements events exp groups gty \
    htm htu iat internalService iss jcard jku jti jwe jwk kid may_act mky nbf nonce object_id \
    org_id org_name orig origid permissions roles rph s_hash sid sip_callid sip_cseq_num sip_date \
    sip_from_tag sip_via_branch sub sub_jwk toe txn typ uuid vot vtm x5t#S256";

#[test]
fn each_restricted_name_is_refused_as_an_id_token_claim() {
    let names: Vec<&str> = DOCUMENTED_RESTRICTED.split_whitespace().collect();
    assert_eq!(names.len(), 60);
    for name in names {
        let issue = only_issue(json!({"idToken": {name: "user.app_metadata.x"}}));
        assert_eq!(issue.code, IssueCode::RestrictedClaim, "{name}");
        assert_eq!(issue.claim.as_deref(), Some(name));
        assert_eq!(issue.at, claim_at("idToken", name));
        assert!(
            issue.fix.contains("https://example.com/"),
            "{name}: {}",
            issue.fix
        );
    }
}

#[test]
fn each_restricted_name_is_refused_as_an_access_token_claim() {
    let names: Vec<&str> = DOCUMENTED_RESTRICTED.split_whitespace().collect();
    assert_eq!(names.len(), 60);
    for name in names {
        let issue = only_issue(json!({"accessToken": {name: "user.app_metadata.x"}}));
        assert_eq!(issue.code, IssueCode::RestrictedClaim, "{name}");
        assert_eq!(issue.claim.as_deref(), Some(name));
        assert_eq!(issue.at, claim_at("accessToken", name));
        assert!(
            issue.fix.contains("https://example.com/"),
            "{name}: {}",
            issue.fix
        );
    }
}

#[test]
fn restricted_names_are_matched_exactly() {
    let compiled = compiled(json!({"accessToken": {
        "Roles": "authorization.roles",
        "my_roles": "authorization.roles",
        "https://my-app.example.com/roles": "authorization.roles"
    }}));
    assert_eq!(compiled.claims.len(), 3);
}

#[test]
fn reserved_namespaces_are_refused() {
    for name in [
        "https://auth0.com/plan",
        "https://my-tenant.eu.auth0.com/plan",
        "https://x.webtask.io/plan",
        "https://webtask.run/plan",
        "urn:auth0:plan",
        "URN:AUTH0:plan",
    ] {
        for token in ["idToken", "accessToken"] {
            let issue = only_issue(json!({ token: {name: "user.app_metadata.plan"} }));
            assert_eq!(issue.code, IssueCode::ReservedNamespace, "{token} {name}");
            assert_eq!(issue.claim.as_deref(), Some(name));
            assert!(!issue.fix.is_empty());
        }
    }
}

#[test]
fn standard_claims_are_refused_at_the_access_token_root() {
    for name in [
        "email",
        "name",
        "locale",
        "phone_number",
        "phone_number_verified",
        "address",
    ] {
        let issue = only_issue(json!({"accessToken": {name: "user.app_metadata.x"}}));
        assert_eq!(issue.code, IssueCode::StandardClaimInAccessToken, "{name}");
        assert_eq!(issue.claim.as_deref(), Some(name));
        assert!(issue.fix.contains("https://example.com/"), "{}", issue.fix);
    }
}

#[test]
fn standard_claims_are_allowed_in_the_id_token() {
    let compiled = compiled(json!({
        "idToken": {"email": "user.email", "name": "user.name", "locale": "user.app_metadata.locale"},
        "accessToken": {"https://my-app.example.com/email": "user.email"}
    }));
    assert_eq!(compiled.claims.len(), 4);
}

#[test]
fn phone_claims_in_id_token_duplicate_the_phone_policy() {
    for phone in [json!(true), json!({}), json!({"sources": ["app_metadata"]})] {
        for name in ["phone_number", "phone_number_verified"] {
            let issue =
                only_issue(json!({"phone": phone, "idToken": {name: "user.app_metadata.mobile"}}));
            assert_eq!(issue.code, IssueCode::DuplicateClaim, "{phone} {name}");
            assert_eq!(issue.claim.as_deref(), Some(name));
            assert!(issue.fix.contains("\"phone\": false"), "{}", issue.fix);
        }
    }
    // Without a `phone` key the policy is on too.
    let issue = only_issue(json!({"idToken": {"phone_number": "user.app_metadata.mobile"}}));
    assert_eq!(issue.code, IssueCode::DuplicateClaim);
}

#[test]
fn phone_claims_in_id_token_are_allowed_when_the_phone_policy_is_off() {
    for phone in [json!(false), json!({"enabled": false})] {
        let compiled = compiled(json!({"phone": phone, "idToken": {
            "phone_number": "user.app_metadata.mobile",
            "phone_number_verified": "user.app_metadata.mobile_verified"
        }}));
        assert!(!compiled.phone_enabled());
        assert_eq!(compiled.claims.len(), 2);
    }
}

#[test]
fn empty_claim_names_are_refused() {
    for name in ["", " ", "\t"] {
        let issue = only_issue(json!({"accessToken": {name: "user.app_metadata.plan"}}));
        assert_eq!(issue.code, IssueCode::EmptyClaimName, "{name:?}");
        assert_eq!(issue.claim.as_deref(), Some(name));
    }
}

// --- paths --------------------------------------------------------------------------------------

fn path_issue(path: Value) -> ConfigIssue {
    let name = "https://my-app.example.com/x";
    let issue = only_issue(json!({"accessToken": {name: path}}));
    assert_eq!(issue.claim.as_deref(), Some(name));
    assert!(!issue.fix.is_empty());
    issue
}

#[test]
fn unknown_path_roots_are_refused() {
    for path in [
        "usr.email",
        "event.user.email",
        "secret.KEY",
        "User.email",
        "api.idToken",
    ] {
        let issue = path_issue(json!(path));
        assert_eq!(issue.code, IssueCode::UnknownPathRoot, "{path}");
        assert!(issue.fix.contains("user"), "{}", issue.fix);
    }
}

#[test]
fn secret_paths_are_refused() {
    for path in [
        "secrets",
        "secrets.MANAGEMENT_API_TOKEN",
        "secrets.AUTH0_DOMAIN",
    ] {
        assert_eq!(
            path_issue(json!(path)).code,
            IssueCode::SecretPath,
            "{path}"
        );
    }
}

#[test]
fn request_body_paths_are_refused() {
    for path in [
        "request.body.password",
        "request.body",
        "request.body.scope",
        "request",
    ] {
        assert_eq!(
            path_issue(json!(path)).code,
            IssueCode::CredentialPath,
            "{path}"
        );
    }
    // Other parts of the request are data.
    compiled(json!({"accessToken": {"https://my-app.example.com/lang": "request.language"}}));
}

#[test]
fn prototype_segments_are_refused() {
    for path in [
        "__proto__",
        "user.__proto__",
        "user.__proto__.polluted",
        "user.app_metadata.constructor",
        "organization.metadata.prototype",
    ] {
        assert_eq!(
            path_issue(json!(path)).code,
            IssueCode::InvalidPath,
            "{path}"
        );
    }
}

#[test]
fn malformed_paths_are_refused() {
    let deep = vec!["a"; 17].join(".");
    for path in [
        "",
        ".",
        "user.",
        ".user",
        "user..plan",
        &format!("user.{deep}"),
    ] {
        assert_eq!(
            path_issue(json!(path)).code,
            IssueCode::InvalidPath,
            "{path:?}"
        );
    }
}

#[test]
fn user_metadata_needs_allow_user_controlled() {
    for path in ["user.user_metadata.locale", "user.user_metadata", "user"] {
        let issue = path_issue(json!(path));
        assert_eq!(issue.code, IssueCode::UserControlledPath, "{path}");
        assert!(issue.fix.contains("allowUserControlled"), "{}", issue.fix);
        let issue = path_issue(json!({"path": path}));
        assert_eq!(issue.code, IssueCode::UserControlledPath, "{path}");
        let issue = path_issue(json!({"path": path, "allowUserControlled": false}));
        assert_eq!(issue.code, IssueCode::UserControlledPath, "{path}");
    }
}

#[test]
fn user_metadata_is_accepted_with_allow_user_controlled() {
    let name = "https://my-app.example.com/locale";
    for path in ["user.user_metadata.locale", "user.user_metadata", "user"] {
        let compiled = compiled(json!({"accessToken": {
            name: {"path": path, "allowUserControlled": true}
        }}));
        assert_eq!(compiled.claims.len(), 1);
        assert_eq!(compiled.claims[0].path.to_string(), path);
        assert_eq!(compiled.claims[0].name, name);
        assert_eq!(path_of(&compiled, compiled.claims[0].slot), path);
    }
}

#[test]
fn app_metadata_and_other_user_fields_need_no_opt_in() {
    let compiled = compiled(json!({"idToken": {
        "https://my-app.example.com/plan": "user.app_metadata.plan",
        "https://my-app.example.com/first_identity": "user.identities.0.user_id",
        "https://my-app.example.com/org": "organization.id"
    }}));
    assert_eq!(compiled.claims.len(), 3);
}

#[test]
fn object_entry_and_string_entry_compile_alike() {
    let name = "https://my-app.example.com/plan";
    let a = compiled(json!({"idToken": {name: "user.app_metadata.plan"}}));
    let b = compiled(json!({"idToken": {name: {"path": "user.app_metadata.plan"}}}));
    let c = compiled(
        json!({"idToken": {name: {"path": "user.app_metadata.plan", "allowUserControlled": false}}}),
    );
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert_eq!(a.claims[0].token, Token::Id);
}

// --- compile_str --------------------------------------------------------------------------------

#[test]
fn compile_str_of_invalid_json_is_not_an_object() {
    for text in [
        "{",
        "{\"idToken\": }",
        "phone: false",
        "{'phone': false}",
        "{} {}",
    ] {
        let issues = CompiledConfig::compile_str(text).err().unwrap_or_default();
        assert_eq!(issues.len(), 1, "{text:?}: {issues:?}");
        assert_eq!(issues[0].code, IssueCode::NotAnObject, "{text:?}");
        assert_eq!(issues[0].at, "(root)");
        assert!(!issues[0].fix.is_empty());
    }
}

#[test]
fn compile_str_of_json_that_is_not_an_object() {
    for text in ["[]", "5", "\"{}\"", "true"] {
        let issues = CompiledConfig::compile_str(text).err().unwrap_or_default();
        assert_eq!(issues.len(), 1, "{text:?}");
        assert_eq!(issues[0].code, IssueCode::NotAnObject, "{text:?}");
    }
}

#[test]
fn compile_str_compiles_like_compile() {
    let text = r#"{"phone": {"sources": ["mfa"]}, "accessToken": {"https://my-app.example.com/roles": "authorization.roles"}}"#;
    let value: Value = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(
        CompiledConfig::compile_str(text),
        CompiledConfig::compile(&value)
    );
    assert!(CompiledConfig::compile_str(text).is_ok());
}

/// The configuration text as JSON.parse reads it: the last of a repeated key counts, at every
/// level, and keys are compared after their escapes are decoded.
#[test]
fn compile_str_reads_repeated_and_escaped_keys_as_json_parse() {
    let text = r#"{
        "phone": {"sources": ["sms"]},
        "phone": {"sources": ["app_metadata"], "appMetadata": {"number": "a", "number": "tel"}},
        "id\u0054oken": {"https://my-app.example.com/plan": "user.app_metadata.tier"},
        "idToken": {
            "https://my-app.example.com/pl\u0061n": "user.app_metadata.old",
            "https://my-app.example.com/plan": "user.app_metadata.plan"
        }
    }"#;
    let compiled = match CompiledConfig::compile_str(text) {
        Ok(compiled) => compiled,
        Err(issues) => panic!("refused: {issues:#?}"),
    };
    let policy = compiled
        .phone
        .clone()
        .unwrap_or_else(|| panic!("phone is on"));
    assert_eq!(policy.sources, [PhoneSource::AppMetadata]);
    assert_eq!(policy.metadata_number_path, "user.app_metadata.tel");
    let claims: Vec<(Token, &str, String)> = compiled
        .claims
        .iter()
        .map(|r| (r.token, r.name.as_str(), r.path.to_string()))
        .collect();
    assert_eq!(
        claims,
        [(
            Token::Id,
            "https://my-app.example.com/plan",
            "user.app_metadata.plan".to_owned()
        )]
    );
}

/// Claims are compiled in the order of their names, whatever the order of the text: the order
/// of the layout's flags and of the issues.
#[test]
fn claims_and_issues_come_in_the_order_of_their_names() {
    let text = r#"{"phone": false, "accessToken": {
        "https://b.example.com/x": "user.app_metadata.b",
        "roles": "authorization.roles",
        "https://a.example.com/x": "user.app_metadata.a",
        "email": "user.email"
    }}"#;
    let issues = CompiledConfig::compile_str(text).err().unwrap_or_default();
    let at: Vec<&str> = issues.iter().map(|i| i.at.as_str()).collect();
    assert_eq!(at, [r#"accessToken["email"]"#, r#"accessToken["roles"]"#]);
    let fine = r#"{"phone": false, "accessToken": {
        "https://b.example.com/x": "user.app_metadata.b",
        "https://a.example.com/x": "user.app_metadata.a"
    }}"#;
    let compiled = match CompiledConfig::compile_str(fine) {
        Ok(compiled) => compiled,
        Err(issues) => panic!("{fine} refused: {issues:#?}"),
    };
    let names: Vec<&str> = compiled.claim_rules().map(|(_, name, _)| name).collect();
    assert_eq!(
        names,
        ["https://a.example.com/x", "https://b.example.com/x"]
    );
}

/// Why a text is not JSON is said: a lone surrogate is not a syntax error.
#[test]
fn compile_str_says_why_a_text_is_not_json() {
    for (text, why) in [
        (
            r#"{"idToken": {"https://a.example.com/\ud800": "user.name"}}"#,
            "lone UTF-16 surrogate",
        ),
        ("{\"phone\": false", "ends early"),
        ("{} {}", "more follows"),
        (r#"{"phone": {"enabled": 1e999}}"#, "out of the range"),
    ] {
        let issues = CompiledConfig::compile_str(text).err().unwrap_or_default();
        let message = issues.first().map_or("", |i| i.message.as_str());
        assert!(
            message.starts_with("the configuration is not valid JSON ("),
            "{message}"
        );
        assert!(message.contains(why), "{text}: {message}");
    }
}

/// `CONFIG_INVALID.issues` and `validateConfig` as JSON: each issue's fields, `claim` only
/// when there is one, hostile text escaped.
#[test]
fn issues_are_written_as_json_objects() {
    let issue = |claim: Option<&str>| ConfigIssue {
        code: IssueCode::RestrictedClaim,
        severity: Severity::Error,
        at: "accessToken[\"a\\\"b\"]".to_owned(),
        claim: claim.map(str::to_owned),
        message: "line\nbreak \u{1} é".to_owned(),
        fix: "{\"path\": …}".to_owned(),
    };
    let written: Value =
        serde_json::from_str(&issues_json(&[issue(Some("a\"b")), issue(None)])).unwrap_or_default();
    let expected_one = json!({
        "code": "restricted_claim",
        "severity": "error",
        "at": "accessToken[\"a\\\"b\"]",
        "claim": "a\"b",
        "message": "line\nbreak \u{1} é",
        "fix": "{\"path\": …}"
    });
    let mut expected_two = expected_one.clone();
    expected_two.as_object_mut().map(|o| o.remove("claim"));
    assert_eq!(written, json!([expected_one, expected_two]));
    assert_eq!(issues_json(&[]), "[]");
    let warning = ConfigIssue {
        severity: Severity::Warning,
        ..issue(None)
    };
    let written: Value = serde_json::from_str(&issues_json(&[warning])).unwrap_or_default();
    assert_eq!(written[0]["severity"], "warning");
}

#[test]
fn validation_is_written_as_validate_config_answers() {
    let read = |text: &str| -> Value {
        serde_json::from_str(&validation(text).to_json()).unwrap_or_default()
    };
    assert_eq!(
        read("{}"),
        json!({"ok": true, "issues": [], "managementApi": true})
    );
    assert_eq!(
        read(r#"{"phone": false}"#),
        json!({"ok": true, "issues": [], "managementApi": false})
    );
    let refused = read(r#"{"phone": 5}"#);
    assert_eq!(refused["ok"], false);
    assert_eq!(refused.get("managementApi"), None);
    assert_eq!(refused["issues"][0]["code"], "wrong_type");
    assert_eq!(refused["issues"][0]["at"], "phone");
    let warned = read(r#"{"idToken": {"https://auth0.com.example.com/x": "user.name"}}"#);
    assert_eq!(warned["ok"], true);
    assert_eq!(warned["issues"][0]["code"], "namespace_lookalike");
}

// --- slots --------------------------------------------------------------------------------------

#[test]
fn paths_are_deduplicated() {
    let compiled = compiled(json!({
        "idToken": {"https://my-app.example.com/plan": "user.app_metadata.plan"},
        "accessToken": {
            "https://my-app.example.com/plan": "user.app_metadata.plan",
            "https://my-app.example.com/uid": "user.user_id"
        }
    }));
    let texts = path_texts(&compiled);
    let mut unique = texts.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), texts.len(), "{texts:?}");
    // The phone policy's 10 paths plus one new path: user.user_id is the policy's own.
    assert_eq!(texts.len(), 11, "{texts:?}");
    let slot_of = |token: Token, name: &str| {
        compiled
            .claims
            .iter()
            .find(|r| r.token == token && r.name == name)
            .map(|r| r.slot)
            .unwrap_or_else(|| panic!("no rule {name}"))
    };
    let id_plan = slot_of(Token::Id, "https://my-app.example.com/plan");
    let access_plan = slot_of(Token::Access, "https://my-app.example.com/plan");
    assert_eq!(id_plan, access_plan);
    assert_eq!(path_of(&compiled, id_plan), "user.app_metadata.plan");
    assert_eq!(
        slot_of(Token::Access, "https://my-app.example.com/uid"),
        phone(&compiled).user_id
    );
}

#[test]
fn app_metadata_number_and_verified_may_share_a_path() {
    let compiled =
        compiled(json!({"phone": {"appMetadata": {"number": "phone", "verified": "phone"}}}));
    let policy = phone(&compiled);
    assert_eq!(policy.metadata_number, policy.metadata_verified);
    assert_eq!(compiled.paths().len(), 9);
}

#[test]
fn without_the_phone_policy_only_claim_paths_are_read() {
    let compiled = compiled(json!({"phone": false, "accessToken": {
        "https://my-app.example.com/roles": "authorization.roles",
        "https://my-app.example.com/org": "organization.id"
    }}));
    assert_eq!(
        sorted(path_texts(&compiled)),
        ["authorization.roles", "organization.id"]
    );
}

/// What `pathsJson` hands the shim (wasm only): each path as its segment list, so the shim
/// walks own properties one by one and an array index stays a segment of its own.
#[test]
fn paths_are_handed_on_as_their_exact_segments() {
    let compiled = compiled(json!({"phone": false, "idToken": {
        "https://my-app.example.com/uid": "user.identities.0.user_id",
        "https://my-app.example.com/plan": "user.app_metadata.plan",
        "https://my-app.example.com/org": "organization"
    }}));
    let mut segments: Vec<Vec<String>> = compiled
        .paths()
        .iter()
        .map(|p| p.segments().to_vec())
        .collect();
    segments.sort();
    let expected: Vec<Vec<String>> = vec![
        vec!["organization".to_owned()],
        ["user", "app_metadata", "plan"].map(str::to_owned).to_vec(),
        ["user", "identities", "0", "user_id"]
            .map(str::to_owned)
            .to_vec(),
    ];
    assert_eq!(segments, expected);
}

// --- real tenants: suggestions, $schema, severities, countries -------------------------------

#[test]
fn a_close_unknown_key_gets_a_suggestion_instead_of_remove_it() {
    for (config, at, close) in [
        (json!({"acessToken": {}}), "acessToken", "accessToken"),
        (json!({"IdToken": {}}), "IdToken", "idToken"),
        (
            json!({"phone": {"sorces": ["mfa"]}}),
            "phone.sorces",
            "sources",
        ),
        (
            json!({"phone": {"defaultcountry": "GB"}}),
            "phone.defaultcountry",
            "defaultCountry",
        ),
        (
            json!({"phone": {"appMetadata": {"numbr": "x"}}}),
            "phone.appMetadata.numbr",
            "number",
        ),
        (
            json!({"idToken": {"https://a.example.com/x": {"path": "user.email", "allowUsercontrolled": true}}}),
            "idToken[\"https://a.example.com/x\"].allowUsercontrolled",
            "allowUserControlled",
        ),
    ] {
        let issue = only_issue(config.clone());
        assert_eq!(issue.code, IssueCode::UnknownKey, "{config}");
        assert_eq!(issue.at, at);
        assert_eq!(issue.fix, format!("did you mean `{close}`?"), "{config}");
        assert!(!issue.fix.contains("remove"), "{config}");
    }
    // Nothing close: the allowed keys are listed.
    let issue = only_issue(json!({"claims": {}}));
    assert!(issue.fix.starts_with("remove it"), "{}", issue.fix);
}

#[test]
fn edit_distance_counts_each_edit_once() {
    assert_eq!(edit_distance("abc", "abc"), 0);
    assert_eq!(edit_distance("acesstoken", "accesstoken"), 1);
    assert_eq!(edit_distance("sorces", "sources"), 1);
    assert_eq!(
        edit_distance("soucres", "sources"),
        1,
        "a swap of neighbours is one edit"
    );
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("abcd", "ad"), 2, "each deletion costs one");
    assert_eq!(edit_distance("ad", "abcd"), 2, "each insertion costs one");
    assert_eq!(
        edit_distance("xsoucres", "sources"),
        2,
        "a swap after another edit costs one more"
    );
    assert_eq!(
        edit_distance("abcd", "axyd"),
        2,
        "each substitution costs one"
    );
    assert_eq!(edit_distance("", "abc"), 3);
    assert_eq!(edit_distance("abc", ""), 3);
    assert_eq!(closest_key("phon", &["phone", "idToken"]), Some("phone"));
    assert_eq!(
        closest_key("pho", &["phone"]),
        None,
        "two edits on a short key is too far"
    );
}

#[test]
fn a_schema_key_is_accepted_at_the_root() {
    let compiled = compiled(json!({"$schema": "./node_modules/login-claims/config.schema.json"}));
    assert!(compiled.warnings().is_empty());
    let issue = only_issue(json!({"$schema": 1}));
    assert_eq!(
        (issue.code, issue.at.as_str()),
        (IssueCode::WrongType, "$schema")
    );
    // Only at the root.
    assert_eq!(
        only_issue(json!({"phone": {"$schema": "x"}})).code,
        IssueCode::UnknownKey
    );
}

#[test]
fn a_full_event_path_under_app_metadata_is_read_as_meant_with_a_warning() {
    let compiled = compiled(json!({"phone": {"appMetadata": {
        "number": "user.app_metadata.contact.phone",
        "verified": "user.app_metadata.contact.phone_verified"
    }}}));
    let policy = phone(&compiled);
    assert_eq!(
        path_of(&compiled, policy.metadata_number),
        "user.app_metadata.contact.phone"
    );
    assert_eq!(
        path_of(&compiled, policy.metadata_verified),
        "user.app_metadata.contact.phone_verified"
    );
    let warnings = compiled.warnings();
    assert_eq!(warnings.len(), 2);
    assert!(warnings
        .iter()
        .all(|w| w.code == IssueCode::AppMetadataFullPath && w.severity == Severity::Warning));
    assert_eq!(warnings[0].at, "phone.appMetadata.number");
    assert_eq!(warnings[0].fix, "write \"contact.phone\"");
}

#[test]
fn reserved_namespace_hosts_are_errors_and_lookalikes_warnings() {
    for name in [
        "https://auth0.com/roles",
        "https://tenant.eu.auth0.com/plan",
        "tenant.auth0.com/plan",
        "https://user@auth0.com:443/x",
        "http://x.webtask.io/a",
        "https://WEBTASK.RUN/a",
        "urn:auth0:roles",
    ] {
        let issue = only_issue(json!({"idToken": {name: "user.email"}}));
        assert_eq!(issue.code, IssueCode::ReservedNamespace, "{name}");
        assert_eq!(issue.severity, Severity::Error, "{name}");
    }
    for name in [
        "https://my-app.example.com/auth0.com",
        "https://auth0.com.example.org/x",
        "https://notauth0.com/x",
        "https://my-auth0.com/x",
        "https://example.com/a?from=webtask.io",
    ] {
        let config = json!({"idToken": {name: "user.email"}});
        let compiled = compiled(config.clone());
        let warnings = compiled.warnings();
        assert_eq!(warnings.len(), 1, "{name}");
        assert_eq!(warnings[0].code, IssueCode::NamespaceLookalike, "{name}");
        assert_eq!(warnings[0].severity, Severity::Warning);
        assert_eq!(compiled.claims.len(), 1, "the claim is still set: {name}");
    }
}

#[test]
fn severities_follow_what_auth0_documents() {
    for &code in ALL_CODES {
        let expected = match code {
            IssueCode::NamespaceLookalike | IssueCode::AppMetadataFullPath => Severity::Warning,
            _ => Severity::Error,
        };
        assert_eq!(code.severity(), expected, "{code:?}");
    }
    // A warning beside an error: compilation fails with both listed.
    let found = issues(
        json!({"idToken": {"roles": "authorization.roles", "https://x.example.com/auth0.com": "user.email"}}),
    );
    assert_eq!(found.len(), 2);
    assert_eq!(
        validate(&json!({"idToken": {"https://x.example.com/auth0.com": "user.email"}})).len(),
        1
    );
}

#[test]
fn default_country_and_country_path_compile() {
    let compiled = compiled(
        json!({"phone": {"defaultCountry": "de", "countryPath": "user.app_metadata.country"}}),
    );
    let policy = phone(&compiled);
    assert_eq!(policy.default_country.map(|c| c.iso), Some("DE"));
    let (slot, text) = policy.country.clone().unwrap_or_default();
    assert_eq!(text, "user.app_metadata.country");
    assert_eq!(path_of(&compiled, slot), "user.app_metadata.country");
    for bad in [json!("UK"), json!("GBR"), json!(""), json!("g")] {
        let issue = only_issue(json!({"phone": {"defaultCountry": bad}}));
        assert_eq!(issue.code, IssueCode::UnknownCountry, "{bad}");
        assert_eq!(issue.severity, Severity::Error);
    }
    assert_eq!(
        only_issue(json!({"phone": {"defaultCountry": 44}})).code,
        IssueCode::WrongType
    );
}

#[test]
fn a_country_path_into_user_metadata_needs_the_opt_in() {
    let issue = only_issue(json!({"phone": {"countryPath": "user.user_metadata.country"}}));
    assert_eq!(issue.code, IssueCode::UserControlledPath);
    assert_eq!(issue.at, "phone.countryPath");
    let compiled = compiled(
        json!({"phone": {"countryPath": {"path": "user.user_metadata.country", "allowUserControlled": true}}}),
    );
    assert!(phone(&compiled).country.is_some());
    assert_eq!(
        only_issue(json!({"phone": {"countryPath": "secrets.X"}})).code,
        IssueCode::SecretPath
    );
    assert_eq!(
        only_issue(json!({"phone": {"countryPath": 5}})).code,
        IssueCode::WrongType
    );
}

#[test]
fn app_metadata_prefix_alone_is_an_invalid_path_not_a_full_path() {
    let issue = only_issue(json!({"phone": {"appMetadata": {"number": "user.app_metadata."}}}));
    assert_eq!(issue.code, IssueCode::InvalidPath);
    assert_eq!(issue.at, "phone.appMetadata.number");
}

#[test]
fn every_issue_code_is_listed_once_and_written_as_serde_writes_it() {
    let mut seen = std::collections::HashSet::new();
    for code in IssueCode::ALL {
        assert!(seen.insert(code.code()), "{code:?} twice");
        assert_eq!(
            serde_json::to_value(code).unwrap(),
            serde_json::Value::from(code.code())
        );
    }
    // The README's table is checked against this list; a variant missing here would be missing
    // there too. Count the enum's variants by their serde names, which cannot be forgotten.
    assert_eq!(IssueCode::ALL.len(), 20);
}
