//! Tests of the two-step decision (`plan`, then `finish` with the lookup's outcome), on events
//! shaped like the ones Auth0 sends (shared/platform-facts.md).

use super::*;
use crate::invariants::slot_records;
use proptest::prelude::*;
use serde_json::json;

const DB_USER: &str = "auth0|65f1c0ffee4b8a0012a3b4c5";
const SMS_USER: &str = "sms|65f1c0ffee4b8a0012a3b4d6";
const CLIENT_ID: &str = "k3Jq9Vx2LmN8pR4sT6uW1yZ0aB5cD7eF";
const PASSWORD: &str = "correct-horse-battery-staple";
const ROLES: &str = "https://my-app.example.com/roles";
const PLAN: &str = "https://my-app.example.com/plan";

// --- events -------------------------------------------------------------------------------------

/// A database-connection user. `fields` are set over the defaults (top-level keys).
fn db_user(fields: Value) -> Value {
    let mut user = json!({
        "user_id": DB_USER,
        "email": "ada@example.com",
        "email_verified": true,
        "name": "Ada Lovelace",
        "nickname": "ada",
        "identities": [{
            "provider": "auth0",
            "user_id": "65f1c0ffee4b8a0012a3b4c5",
            "connection": "Username-Password-Authentication",
            "isSocial": false
        }],
        "app_metadata": {"plan": "pro"},
        "user_metadata": {"locale": "en-GB"},
        "multifactor": ["guardian"],
        "created_at": "2024-03-13T09:12:44.871Z",
        "updated_at": "2025-01-20T17:02:10.004Z",
        "last_login": "2025-01-20T17:02:09.997Z",
        "logins_count": 42
    });
    merge(&mut user, fields);
    user
}

/// A passwordless SMS user: Auth0 keeps the number on the profile.
fn sms_user(fields: Value) -> Value {
    let mut user = json!({
        "user_id": SMS_USER,
        "phone_number": "+15551234567",
        "phone_verified": true,
        "identities": [{
            "provider": "sms",
            "user_id": "65f1c0ffee4b8a0012a3b4d6",
            "connection": "sms",
            "isSocial": false
        }],
        "app_metadata": {},
        "user_metadata": {},
        "multifactor": [],
        "created_at": "2024-11-02T08:00:00.000Z"
    });
    merge(&mut user, fields);
    user
}

fn merge(target: &mut Value, fields: Value) {
    if let (Value::Object(target), Value::Object(fields)) = (target, fields) {
        for (key, value) in fields {
            target.insert(key, value);
        }
    }
}

fn common(user: Value, transaction: Value, request: Value) -> Value {
    json!({
        "transaction": transaction,
        "request": request,
        "client": {"client_id": CLIENT_ID, "name": "My App", "metadata": {}},
        "connection": {
            "id": "con_Xa1b2C3d4E5f6G7h",
            "name": "Username-Password-Authentication",
            "strategy": "auth0"
        },
        "tenant": {"id": "my-tenant"},
        "authorization": {"roles": ["editor", "billing"]},
        "organization": {
            "id": "org_W3xY4z5A6b7C8d9E",
            "name": "acme",
            "display_name": "Acme Corp",
            "metadata": {"tier": "gold"}
        },
        "secrets": {"MANAGEMENT_CLIENT_SECRET": "mgmt-secret-value"},
        "stats": {"logins_count": 42},
        "user": user
    })
}

/// An authorization-code login through `/authorize`: Auth0 fills `requested_scopes`.
fn authorize_event(user: Value, scopes: &[&str]) -> Value {
    common(
        user,
        json!({
            "protocol": "oidc-basic-profile",
            "requested_scopes": scopes,
            "locale": "en",
            "redirect_uri": "https://my-app.example.com/callback",
            "response_type": ["code"],
            "response_mode": "query",
            "state": "af0ifjsldkj"
        }),
        json!({
            "ip": "203.0.113.7",
            "hostname": "my-tenant.eu.auth0.com",
            "method": "GET",
            "language": "en-GB,en;q=0.9",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
            "query": {
                "client_id": CLIENT_ID,
                "response_type": "code",
                "redirect_uri": "https://my-app.example.com/callback",
                "scope": scopes.join(" "),
                "state": "af0ifjsldkj"
            },
            "body": {}
        }),
    )
}

/// A refresh-token exchange: no `requested_scopes`; the scope is in the request body.
fn refresh_event(user: Value, scope: &str) -> Value {
    let body = json!({
        "grant_type": "refresh_token",
        "client_id": CLIENT_ID,
        "refresh_token": "v1.MRrT3kq0UnZ1-GaTWQbD5cbLu2Yc4x",
        "scope": scope
    });
    token_endpoint_event(user, "oauth2-refresh-token", body)
}

/// The password grant (ROPG): no `requested_scopes`; the body also holds the password.
fn password_event(user: Value, scope: &str) -> Value {
    let body = json!({
        "grant_type": "password",
        "client_id": CLIENT_ID,
        "username": "ada@example.com",
        "password": PASSWORD,
        "audience": "https://api.my-app.example.com",
        "scope": scope
    });
    token_endpoint_event(user, "oauth2-password", body)
}

/// A POST to the token endpoint with `body`.
fn token_endpoint_event(user: Value, protocol: &str, body: Value) -> Value {
    common(
        user,
        json!({"protocol": protocol, "locale": "en"}),
        json!({
            "ip": "203.0.113.7",
            "hostname": "my-tenant.eu.auth0.com",
            "method": "POST",
            "language": "en",
            "query": {},
            "body": body
        }),
    )
}

fn remove(event: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
    if let Some(Value::Object(map)) = event.pointer_mut(parent) {
        map.remove(key);
    }
}

const PHONE_SCOPES: &[&str] = &["openid", "profile", "email", "phone"];
const NO_PHONE_SCOPES: &[&str] = &["openid", "profile", "email"];

// --- Management API responses -------------------------------------------------------------------

/// An `/authentication-methods` phone item.
fn phone_method(device: &str, number: &str, channel: &str, enrolled_at: &str) -> Value {
    json!({
        "id": format!("phone|{device}"),
        "type": "phone",
        "confirmed": true,
        "phone_number": number,
        "preferred_authentication_method": channel,
        "authentication_methods": [{"id": format!("{channel}|{device}"), "type": channel}],
        "created_at": enrolled_at,
        "enrolled_at": enrolled_at,
        "last_auth_at": "2025-01-20T17:02:09.000Z"
    })
}

/// The voice phone `dev_voice`, +15550000003.
fn voice_method(enrolled_at: &str) -> Value {
    phone_method("dev_voice", "+15550000003", "voice", enrolled_at)
}

fn totp_method(device: &str) -> Value {
    json!({
        "id": format!("totp|{device}"),
        "type": "totp",
        "confirmed": true,
        "created_at": "2024-05-02T10:00:00.000Z",
        "enrolled_at": "2024-05-02T10:00:30.000Z"
    })
}

fn methods(items: Vec<Value>) -> LookupOutcome {
    LookupOutcome::Methods(Value::Array(items))
}

/// The methods of a user with one SMS or voice phone, enrolled on 2024-05-01.
fn one_phone(number: &str, channel: &str) -> LookupOutcome {
    methods(vec![phone_method(
        "dev_x",
        number,
        channel,
        "2024-05-01T10:00:00.000Z",
    )])
}

fn failed(code: &str) -> LookupOutcome {
    LookupOutcome::Failed {
        code: code.to_owned(),
    }
}

// --- running ------------------------------------------------------------------------------------

fn compile(config: Value) -> CompiledConfig {
    CompiledConfig::compile(&config).unwrap_or_else(|issues| panic!("{config}: {issues:#?}"))
}

fn view(config: &CompiledConfig, event: &Value) -> EventView<'static> {
    EventView::from_event(event, config.paths())
}

fn plan(config: &CompiledConfig, event: &Value) -> Plan {
    config.plan(&view(config, event))
}

fn done(config: &CompiledConfig, event: &Value) -> Decision {
    match plan(config, event) {
        Plan::Done(decision) => decision,
        Plan::Lookup(request) => panic!("asked for a lookup: {request:?}"),
    }
}

fn lookup(config: &CompiledConfig, event: &Value) -> LookupRequest {
    match plan(config, event) {
        Plan::Lookup(request) => request,
        Plan::Done(decision) => panic!("decided without a lookup: {decision:#?}"),
    }
}

/// The decision of the default config on an `/authorize` login of `user` asking for the phone.
fn default_login(user: Value) -> Decision {
    done(&default_config(), &authorize_event(user, PHONE_SCOPES))
}

/// `finish` with `outcome`, after checking that the plan asked for the lookup.
fn after_lookup(config: &CompiledConfig, event: &Value, outcome: &LookupOutcome) -> Decision {
    lookup(config, event);
    config.finish(&view(config, event), outcome)
}

/// Both steps, the way the caller runs them.
fn login(config: &CompiledConfig, event: &Value, outcome: &LookupOutcome) -> Decision {
    match plan(config, event) {
        Plan::Done(decision) => decision,
        Plan::Lookup(_) => config.finish(&view(config, event), outcome),
    }
}

fn default_config() -> CompiledConfig {
    compile(json!({}))
}

fn trace_json(decision: &Decision) -> String {
    serde_json::to_string(&decision.trace).unwrap_or_default()
}

fn entries<'a>(decision: &'a Decision, claim: &str) -> Vec<&'a TraceEntry> {
    decision.trace.iter().filter(|e| e.claim == claim).collect()
}

/// The first entry of `claim` with `reason`.
fn entry<'a>(decision: &'a Decision, claim: &str, reason: Reason) -> &'a TraceEntry {
    decision
        .trace
        .iter()
        .find(|e| e.claim == claim && e.reason == reason)
        .unwrap_or_else(|| panic!("no {claim} entry with {reason:?}: {:#?}", decision.trace))
}

/// The reasons recorded for `phone_number`, in order, with their source.
fn phone_steps(decision: &Decision) -> Vec<(Reason, String)> {
    entries(decision, PHONE_NUMBER)
        .iter()
        .map(|e| (e.reason, e.source.clone().unwrap_or_default()))
        .collect()
}

fn step(reason: Reason, source: &str) -> (Reason, String) {
    (reason, source.to_owned())
}

/// The reasons recorded for `phone_number`, in order, with their source, are `expected`, written
/// `Reason@source > Reason@source > …` (no reason's name holds `@`, no source ` > `).
fn assert_steps(decision: &Decision, expected: &str) {
    let steps: Vec<String> = phone_steps(decision)
        .iter()
        .map(|(reason, source)| format!("{reason:?}@{source}"))
        .collect();
    assert_eq!(steps.join(" > "), expected, "{decision:#?}");
}

/// The phone claims are `found` (number, verified, source), reached through the `steps` (as in
/// `assert_steps`).
fn assert_found(decision: &Decision, found: (&str, bool, &str), steps: &str) {
    let (number, verified, source) = found;
    assert_phone(decision, number, verified, source);
    assert_steps(decision, steps);
}

fn assert_phone(decision: &Decision, number: &str, verified: bool, source: &str) {
    assert_eq!(
        decision.id_token.get(PHONE_NUMBER),
        Some(&json!(number)),
        "{decision:#?}"
    );
    assert_eq!(
        decision.id_token.get(PHONE_NUMBER_VERIFIED),
        Some(&json!(verified)),
        "{decision:#?}"
    );
    let set = entry(decision, PHONE_NUMBER, Reason::PhoneFound);
    assert_eq!(set.outcome, Outcome::Set);
    assert_eq!(set.source.as_deref(), Some(source));
    let set = entry(decision, PHONE_NUMBER_VERIFIED, Reason::PhoneFound);
    assert_eq!(set.outcome, Outcome::Set);
    assert_eq!(set.source.as_deref(), Some(source));
    assert!(!decision.access_token.contains_key(PHONE_NUMBER));
}

fn assert_no_phone(decision: &Decision) {
    assert!(
        !decision.id_token.contains_key(PHONE_NUMBER),
        "{decision:#?}"
    );
    assert!(
        !decision.id_token.contains_key(PHONE_NUMBER_VERIFIED),
        "{decision:#?}"
    );
    assert!(
        !decision.trace.iter().any(|e| e.outcome == Outcome::Set
            && (e.claim == PHONE_NUMBER || e.claim == PHONE_NUMBER_VERIFIED)),
        "{decision:#?}"
    );
}

/// Both phone claims skipped because the phone scope was not requested where `source` says.
fn assert_scope_skipped(decision: &Decision, source: &str) {
    assert_both_skipped(decision, Reason::ScopeNotRequested, Some(source));
}

/// Both phone claims skipped for `reason`, with `source` when given.
fn assert_both_skipped(decision: &Decision, reason: Reason, source: Option<&str>) {
    assert_no_phone(decision);
    for claim in [PHONE_NUMBER, PHONE_NUMBER_VERIFIED] {
        let skipped = entry(decision, claim, reason);
        assert_eq!(skipped.outcome, Outcome::Skipped);
        assert_eq!(skipped.token, "idToken");
        if let Some(source) = source {
            assert_eq!(skipped.source.as_deref(), Some(source));
        }
    }
}

// --- the scope gate -----------------------------------------------------------------------------

#[test]
fn phone_scope_in_requested_scopes_lets_phone_claims_through() {
    let decision = default_login(sms_user(json!({})));
    assert_phone(&decision, "+15551234567", true, "profile");
    assert!(!decision.lookup_failed);
}

#[test]
fn phone_scope_in_the_body_of_a_refresh_token_exchange() {
    let config = default_config();
    let event = refresh_event(sms_user(json!({})), "openid phone offline_access");
    assert!(event.pointer("/transaction/requested_scopes").is_none());
    assert_phone(&done(&config, &event), "+15551234567", true, "profile");

    let event = refresh_event(sms_user(json!({})), "openid offline_access");
    assert_scope_skipped(&done(&config, &event), "request.body.scope");
}

#[test]
fn phone_scope_in_the_body_of_a_password_grant() {
    let config = default_config();
    let event = password_event(sms_user(json!({})), "openid profile phone");
    assert_phone(&done(&config, &event), "+15551234567", true, "profile");

    let event = password_event(sms_user(json!({})), "openid profile");
    assert_scope_skipped(&done(&config, &event), "request.body.scope");
}

#[test]
fn phone_scope_in_the_query_when_nothing_else_has_scopes() {
    let config = default_config();
    let mut event = authorize_event(sms_user(json!({})), PHONE_SCOPES);
    remove(&mut event, "/transaction/requested_scopes");
    assert_phone(&done(&config, &event), "+15551234567", true, "profile");

    let mut event = authorize_event(sms_user(json!({})), NO_PHONE_SCOPES);
    remove(&mut event, "/transaction/requested_scopes");
    assert_scope_skipped(&done(&config, &event), "request.query.scope");
}

#[test]
fn requested_scopes_take_precedence_over_the_raw_request() {
    let mut event = authorize_event(sms_user(json!({})), NO_PHONE_SCOPES);
    event["request"]["query"]["scope"] = json!("openid phone");
    let decision = done(&default_config(), &event);
    assert_scope_skipped(&decision, "transaction.requested_scopes");
}

#[test]
fn phone_scope_must_match_exactly() {
    let event = authorize_event(
        sms_user(json!({})),
        &["openid", "PHONE", "phone_number", "phones"],
    );
    assert_both_skipped(
        &done(&default_config(), &event),
        Reason::ScopeNotRequested,
        None,
    );
}

#[test]
fn without_the_phone_scope_both_claims_are_skipped_and_no_lookup_is_asked() {
    let config = default_config();
    // An MFA user whose number only a lookup could find.
    let user =
        db_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}, {"type": "otp"}]}));
    let decision = done(&config, &authorize_event(user.clone(), NO_PHONE_SCOPES));
    assert_scope_skipped(&decision, "transaction.requested_scopes");
    // Exactly the two skipped claims: no source was even tried.
    let phone_entries: Vec<_> = decision
        .trace
        .iter()
        .filter(|e| e.claim == PHONE_NUMBER || e.claim == PHONE_NUMBER_VERIFIED)
        .collect();
    assert_eq!(phone_entries.len(), 2, "{phone_entries:#?}");

    // No scope anywhere.
    let mut event = authorize_event(user, NO_PHONE_SCOPES);
    remove(&mut event, "/transaction/requested_scopes");
    remove(&mut event, "/request/query/scope");
    let decision = done(&config, &event);
    assert_both_skipped(&decision, Reason::ScopeNotRequested, None);
    let source = entry(&decision, PHONE_NUMBER, Reason::ScopeNotRequested)
        .source
        .clone();
    for place in [
        "transaction.requested_scopes",
        "request.body.scope",
        "request.query.scope",
    ] {
        assert!(
            source.as_deref().unwrap_or("").contains(place),
            "{source:?}"
        );
    }
}

#[test]
fn without_the_phone_scope_even_a_profile_number_is_skipped() {
    let decision = done(
        &default_config(),
        &authorize_event(sms_user(json!({})), NO_PHONE_SCOPES),
    );
    assert_scope_skipped(&decision, "transaction.requested_scopes");
}

// --- sources and fallbacks ----------------------------------------------------------------------

#[test]
fn profile_only() {
    // No enrolledFactors and `mfa` is next in line: the profile number makes a lookup needless.
    assert_found(
        &default_login(sms_user(json!({}))),
        ("+15551234567", true, "profile"),
        "PhoneFound@profile",
    );
}

#[test]
fn mfa_only() {
    let config = default_config();
    let user =
        db_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}, {"type": "otp"}]}));
    let event = authorize_event(user, PHONE_SCOPES);
    let request = lookup(&config, &event);
    assert_eq!(
        request,
        LookupRequest {
            endpoint: MfaEndpoint::AuthenticationMethods,
            user_id: DB_USER.to_owned()
        }
    );
    let outcome = one_phone("+15557654321", "sms");
    let decision = config.finish(&view(&config, &event), &outcome);
    assert_found(
        &decision,
        ("+15557654321", true, "mfa"),
        "SourceEmpty@profile > PhoneFound@mfa",
    );
    assert!(!decision.lookup_failed);
}

#[test]
fn app_metadata_only() {
    let user = db_user(json!({
        "enrolledFactors": [],
        "app_metadata": {"plan": "pro", "phone_number": "+44 20 7946 0958", "phone_verified": true}
    }));
    assert_found(
        &default_login(user),
        ("+442079460958", true, "app_metadata"),
        "SourceEmpty@profile > MfaNotEnrolled@mfa > PhoneFound@app_metadata",
    );
}

#[test]
fn invalid_profile_number_falls_back_to_mfa() {
    let config = default_config();
    // A national number: not E.164, so not usable.
    let user = db_user(json!({
        "phone_number": "(555) 123-4567",
        "phone_verified": true,
        "enrolledFactors": [{"type": "phone", "options": {}}]
    }));
    let event = authorize_event(user, PHONE_SCOPES);
    let decision = after_lookup(&config, &event, &one_phone("+15557654321", "sms"));
    assert_found(
        &decision,
        ("+15557654321", true, "mfa"),
        "PhoneNotInternational@profile > PhoneFound@mfa",
    );
}

#[test]
fn masked_profile_number_falls_back_to_the_next_source() {
    let user = db_user(json!({
        "phone_number": "+1123XXXXX",
        "phone_verified": true,
        "enrolledFactors": [{"type": "otp"}],
        "app_metadata": {"phone_number": "+15557654321", "phone_verified": true}
    }));
    assert_found(
        &default_login(user),
        ("+15557654321", true, "app_metadata"),
        "PhoneMasked@profile > MfaNotEnrolled@mfa > PhoneFound@app_metadata",
    );
}

#[test]
fn mfa_without_a_confirmed_phone_falls_back_to_app_metadata() {
    let config = default_config();
    let user = db_user(json!({
        "app_metadata": {"phone_number": "+15557654321", "phone_verified": true}
    }));
    let event = authorize_event(user, PHONE_SCOPES);
    lookup(&config, &event);
    let mut pending = phone_method("dev_p", "+15550001111", "sms", "2025-01-01T00:00:00.000Z");
    pending["confirmed"] = json!(false);
    let decision = config.finish(
        &view(&config, &event),
        &methods(vec![pending, totp_method("dev_t")]),
    );
    assert_found(
        &decision,
        ("+15557654321", true, "app_metadata"),
        "SourceEmpty@profile > MfaNoConfirmedPhone@mfa > PhoneFound@app_metadata",
    );
}

#[test]
fn all_sources_empty_gives_no_phone_number() {
    let config = default_config();
    let event = authorize_event(db_user(json!({})), PHONE_SCOPES);
    let decision = after_lookup(&config, &event, &methods(vec![]));
    assert_both_skipped(
        &decision,
        Reason::NoPhoneNumber,
        Some("profile, mfa, app_metadata"),
    );
    assert_steps(
        &decision,
        "SourceEmpty@profile > MfaNoConfirmedPhone@mfa > SourceEmpty@app_metadata > NoPhoneNumber@profile, mfa, app_metadata",
    );
    assert!(!decision.lookup_failed);

    // The same without a lookup, when enrolledFactors rules the MFA phone out.
    let event = authorize_event(db_user(json!({"enrolledFactors": []})), PHONE_SCOPES);
    assert_both_skipped(&done(&config, &event), Reason::NoPhoneNumber, None);
}

#[test]
fn custom_source_order_app_metadata_before_profile() {
    let config = compile(json!({"phone": {"sources": ["app_metadata", "profile"]}}));
    let user =
        sms_user(json!({"app_metadata": {"phone_number": "+15557654321", "phone_verified": true}}));
    let decision = done(&config, &authorize_event(user.clone(), PHONE_SCOPES));
    assert_phone(&decision, "+15557654321", true, "app_metadata");

    // The default order puts the profile first.
    let decision = default_login(user);
    assert_phone(&decision, "+15551234567", true, "profile");

    // app_metadata empty: the profile, second in line, is used.
    assert_found(
        &done(&config, &authorize_event(sms_user(json!({})), PHONE_SCOPES)),
        ("+15551234567", true, "profile"),
        "SourceEmpty@app_metadata > PhoneFound@profile",
    );
}

#[test]
fn a_source_left_out_of_the_order_is_never_read() {
    let config = compile(json!({"phone": {"sources": ["app_metadata"]}}));
    let user = sms_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}]}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_both_skipped(&decision, Reason::NoPhoneNumber, Some("app_metadata"));
}

#[test]
fn mfa_first_asks_for_a_lookup_before_reading_the_profile() {
    let config = compile(json!({"phone": {"sources": ["mfa", "profile"]}}));
    let event = authorize_event(sms_user(json!({})), PHONE_SCOPES);
    assert_eq!(lookup(&config, &event).user_id, SMS_USER);
    let decision = config.finish(&view(&config, &event), &methods(vec![]));
    assert_phone(&decision, "+15551234567", true, "profile");
}

#[test]
fn configured_app_metadata_paths_are_read() {
    let config = compile(json!({"phone": {
        "sources": ["app_metadata"],
        "appMetadata": {"number": "contact.mobile", "verified": "contact.mobile_verified"}
    }}));
    let user = db_user(json!({"app_metadata": {
        "phone_number": "+15550000000",
        "phone_verified": false,
        "contact": {"mobile": "+49 151 23456789", "mobile_verified": true}
    }}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+4915123456789", true, "app_metadata");
}

#[test]
fn unreadable_profile_number_falls_back() {
    let config = compile(json!({"phone": {"sources": ["profile", "app_metadata"]}}));
    let user = sms_user(json!({"app_metadata": {"phone_number": "+15557654321"}}));
    let event = authorize_event(user, PHONE_SCOPES);
    let text = slot_text(&config, &event, &[("user.phone_number", "unreadable")]);
    let view = EventView::from_slot_bytes(slot_records(&text), config.paths().len())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let decision = match config.plan(&view) {
        Plan::Done(decision) => decision,
        Plan::Lookup(request) => panic!("{request:?}"),
    };
    assert_phone(&decision, "+15557654321", false, "app_metadata");
    assert_eq!(
        phone_steps(&decision)[0],
        step(Reason::UnreadableValue, "profile")
    );
}

#[test]
fn phone_number_that_is_not_a_string_is_skipped() {
    let config = compile(json!({"phone": {"sources": ["profile", "app_metadata"]}}));
    let user = db_user(json!({
        "phone_number": 15551234567_u64,
        "app_metadata": {"phone_number": ["+15557654321"]}
    }));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_steps(
        &decision,
        "PhoneNotAString@profile > PhoneNotAString@app_metadata > NoPhoneNumber@profile, app_metadata",
    );
}

#[test]
fn phone_policy_off_sets_and_traces_no_phone_claim() {
    let config = compile(json!({"phone": false, "accessToken": {ROLES: "authorization.roles"}}));
    let decision = done(&config, &authorize_event(sms_user(json!({})), PHONE_SCOPES));
    assert!(decision.id_token.is_empty());
    assert_eq!(
        decision.access_token.get(ROLES),
        Some(&json!(["editor", "billing"]))
    );
    assert!(decision
        .trace
        .iter()
        .all(|e| e.claim != PHONE_NUMBER && e.claim != PHONE_NUMBER_VERIFIED));
}

// --- the verified flag --------------------------------------------------------------------------

#[test]
fn verified_describes_the_emitted_number_not_an_earlier_source() {
    // The profile says verified, but its number is unusable; app_metadata has a number and no flag.
    let user = db_user(json!({
        "phone_number": "+1 555 12",
        "phone_verified": true,
        "enrolledFactors": [{"type": "otp"}],
        "app_metadata": {"phone_number": "+15557654321"}
    }));
    let decision = done(&default_config(), &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+15557654321", false, "app_metadata");
    assert_eq!(
        phone_steps(&decision)[0],
        step(Reason::PhoneTooShort, "profile")
    );
}

#[test]
fn a_later_sources_flag_does_not_verify_the_profile_number() {
    let user = db_user(json!({
        "phone_number": "+15551234567",
        "app_metadata": {"phone_number": "+15551234567", "phone_verified": true}
    }));
    let decision = done(&default_config(), &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+15551234567", false, "profile");
}

#[test]
fn mfa_numbers_are_verified() {
    let config = default_config();
    let user = db_user(json!({
        "phone_verified": false,
        "app_metadata": {"phone_verified": false},
        "enrolledFactors": [{"type": "phone", "options": {}}]
    }));
    let event = authorize_event(user, PHONE_SCOPES);
    let outcome = one_phone("+15557654321", "voice");
    assert_phone(
        &login(&config, &event, &outcome),
        "+15557654321",
        true,
        "mfa",
    );
}

#[test]
fn verified_only_when_the_flag_is_the_boolean_true() {
    let config = compile(json!({"phone": {"sources": ["app_metadata"]}}));
    for flag in [json!(false), json!(null)] {
        let user = db_user(
            json!({"app_metadata": {"phone_number": "+15557654321", "phone_verified": flag}}),
        );
        let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
        assert_phone(&decision, "+15557654321", false, "app_metadata");
    }
}

#[test]
fn a_verified_flag_of_another_type_is_named_as_malformed_not_folded_into_false() {
    let config = compile(json!({"phone": {"sources": ["app_metadata"]}}));
    for (flag, kind) in [
        (json!("true"), "a string"),
        (json!(1), "a number"),
        (json!("yes"), "a string"),
        (json!([true]), "an array"),
        (json!({"value": true}), "an object"),
    ] {
        let user = db_user(
            json!({"app_metadata": {"phone_number": "+15557654321", "phone_verified": flag}}),
        );
        let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
        assert_eq!(
            decision.id_token.get(PHONE_NUMBER),
            Some(&json!("+15557654321"))
        );
        assert_eq!(
            decision.id_token.get(PHONE_NUMBER_VERIFIED),
            Some(&json!(false))
        );
        let verified = entry(&decision, PHONE_NUMBER_VERIFIED, Reason::MalformedEventData);
        assert_eq!(verified.outcome, Outcome::Set);
        assert_eq!(verified.source.as_deref(), Some("app_metadata"));
        let detail = verified.detail.as_deref().unwrap_or_default();
        assert!(
            detail.contains("user.app_metadata.phone_verified"),
            "{detail}"
        );
        assert!(detail.contains(kind), "{detail}");
        assert!(detail.starts_with("false"), "{detail}");
    }
    let config = compile(json!({"phone": {"sources": ["profile"]}}));
    let decision = done(
        &config,
        &authorize_event(sms_user(json!({"phone_verified": "true"})), PHONE_SCOPES),
    );
    assert_eq!(
        decision.id_token.get(PHONE_NUMBER_VERIFIED),
        Some(&json!(false))
    );
    let verified = entry(&decision, PHONE_NUMBER_VERIFIED, Reason::MalformedEventData);
    assert!(verified
        .detail
        .as_deref()
        .is_some_and(|d| d.contains("user.phone_verified is a string")));
}

// --- when a lookup is asked for -----------------------------------------------------------------

#[test]
fn no_lookup_when_the_scope_is_missing() {
    let user = db_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}]}));
    let config = compile(json!({"phone": {"sources": ["mfa"]}}));
    assert!(matches!(
        plan(&config, &authorize_event(user.clone(), NO_PHONE_SCOPES)),
        Plan::Done(_)
    ));
    assert!(matches!(
        plan(&config, &refresh_event(user, "openid offline_access")),
        Plan::Done(_)
    ));
}

#[test]
fn no_lookup_when_an_earlier_source_gave_a_number() {
    let user = sms_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}]}));
    let decision = done(&default_config(), &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+15551234567", true, "profile");
}

#[test]
fn no_lookup_when_enrolled_factors_lists_no_phone() {
    let user = db_user(json!({"enrolledFactors": [
        {"type": "otp"}, {"type": "push-notification"}, {"type": "webauthn-roaming"}, {"type": "email"}
    ]}));
    let decision = done(&default_config(), &authorize_event(user, PHONE_SCOPES));
    let skipped = entry(&decision, PHONE_NUMBER, Reason::MfaNotEnrolled);
    assert_eq!(skipped.source.as_deref(), Some("mfa"));
    assert_eq!(skipped.outcome, Outcome::Skipped);
    assert_both_skipped(&decision, Reason::NoPhoneNumber, None);
}

#[test]
fn lookup_when_enrolled_factors_is_absent() {
    let event = authorize_event(db_user(json!({})), PHONE_SCOPES);
    assert!(event.pointer("/user/enrolledFactors").is_none());
    assert_eq!(lookup(&default_config(), &event).user_id, DB_USER);
    // Present but not a list proves nothing either.
    let event = authorize_event(
        db_user(json!({"enrolledFactors": {"type": "otp"}})),
        PHONE_SCOPES,
    );
    assert_eq!(lookup(&default_config(), &event).user_id, DB_USER);
}

#[test]
fn lookup_when_enrolled_factors_has_a_phone() {
    let user =
        db_user(json!({"enrolledFactors": [{"type": "otp"}, {"type": "phone", "options": {}}]}));
    let event = authorize_event(user, PHONE_SCOPES);
    assert_eq!(lookup(&default_config(), &event).user_id, DB_USER);
}

#[test]
fn lookup_request_carries_the_configured_endpoint_and_the_user_id() {
    let event = refresh_event(db_user(json!({})), "openid phone offline_access");
    let request = lookup(
        &compile(json!({"phone": {"mfaEndpoint": "enrollments"}})),
        &event,
    );
    assert_eq!(
        request,
        LookupRequest {
            endpoint: MfaEndpoint::Enrollments,
            user_id: DB_USER.to_owned()
        }
    );
    assert_eq!(
        serde_json::to_value(&request).ok(),
        Some(json!({"endpoint": "enrollments", "userId": DB_USER}))
    );
    let request = lookup(&default_config(), &event);
    assert_eq!(request.endpoint, MfaEndpoint::AuthenticationMethods);
}

#[test]
fn missing_user_id_skips_mfa() {
    for user_id in [None, Some(json!("")), Some(json!(42)), Some(json!(null))] {
        let mut user = db_user(json!({"app_metadata": {"phone_number": "+15557654321"}}));
        match &user_id {
            None => remove(&mut user, "/user_id"),
            Some(id) => user["user_id"] = id.clone(),
        }
        let decision = done(&default_config(), &authorize_event(user, PHONE_SCOPES));
        assert_eq!(
            phone_steps(&decision),
            [
                step(Reason::SourceEmpty, "profile"),
                step(Reason::MfaUserIdMissing, "mfa"),
                step(Reason::PhoneFound, "app_metadata")
            ],
            "{user_id:?}"
        );
    }
}

#[test]
fn no_lookup_without_mfa_among_the_sources() {
    let config = compile(json!({"phone": {"sources": ["profile", "app_metadata"]}}));
    let user = db_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}]}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_both_skipped(
        &decision,
        Reason::NoPhoneNumber,
        Some("profile, app_metadata"),
    );
}

// --- finish -------------------------------------------------------------------------------------

fn mfa_event() -> Value {
    authorize_event(
        db_user(json!({"enrolledFactors": [{"type": "phone", "options": {}}, {"type": "otp"}]})),
        PHONE_SCOPES,
    )
}

#[test]
fn sms_is_preferred_over_voice_then_the_latest() {
    let config = default_config();
    let event = mfa_event();
    let outcome = methods(vec![
        voice_method("2025-03-01T00:00:00.000Z"),
        phone_method("dev_old", "+15550000001", "sms", "2023-01-01T00:00:00.000Z"),
        phone_method("dev_new", "+15550000002", "sms", "2024-06-01T12:00:00.000Z"),
        totp_method("dev_totp"),
    ]);
    let decision = config.finish(&view(&config, &event), &outcome);
    assert_phone(&decision, "+15550000002", true, "mfa");

    // Voice only: the voice number.
    let outcome = methods(vec![voice_method("2025-03-01T00:00:00.000Z")]);
    assert_phone(
        &config.finish(&view(&config, &event), &outcome),
        "+15550000003",
        true,
        "mfa",
    );
}

#[test]
fn seed_002_user_with_sms_and_otp_gets_the_sms_number() {
    // Seed 002 enrolls SMS (+15551234567) and then Google Authenticator through the MFA API.
    let config = default_config();
    let event = mfa_event();
    let outcome = methods(vec![
        phone_method(
            "dev_sms002",
            "+15551234567",
            "sms",
            "2024-05-02T09:58:00.000Z",
        ),
        totp_method("dev_otp002"),
    ]);
    let decision = login(&config, &event, &outcome);
    assert_phone(&decision, "+15551234567", true, "mfa");
}

#[test]
fn otp_only_user_has_no_confirmed_phone() {
    let config = default_config();
    let user = db_user(json!({"enrolledFactors": [{"type": "otp"}]}));
    let event = authorize_event(user, PHONE_SCOPES);
    // enrolledFactors already shows no phone: no lookup.
    let decision = done(&config, &event);
    assert_eq!(
        entry(&decision, PHONE_NUMBER, Reason::MfaNotEnrolled)
            .source
            .as_deref(),
        Some("mfa")
    );
    // Asked anyway (enrolledFactors absent), the methods show only the OTP app.
    let event = authorize_event(db_user(json!({})), PHONE_SCOPES);
    let decision = login(&config, &event, &methods(vec![totp_method("dev_otp")]));
    assert_eq!(
        entry(&decision, PHONE_NUMBER, Reason::MfaNoConfirmedPhone)
            .source
            .as_deref(),
        Some("mfa")
    );
    assert_both_skipped(&decision, Reason::NoPhoneNumber, None);
}

#[test]
fn masked_mfa_numbers_are_reported() {
    let config = compile(json!({"phone": {"sources": ["mfa"]}}));
    let event = mfa_event();
    for masked in ["XXXXXXXX8730", "+1123XXXXX"] {
        let outcome = one_phone(masked, "sms");
        let decision = config.finish(&view(&config, &event), &outcome);
        let skipped = entry(&decision, PHONE_NUMBER, Reason::PhoneMasked);
        assert_eq!(skipped.source.as_deref(), Some("mfa"));
        let detail = skipped.detail.as_deref().unwrap_or("");
        assert!(
            detail.contains("disable_management_api_sms_obfuscation"),
            "{detail}"
        );
        assert_both_skipped(&decision, Reason::NoPhoneNumber, None);
        assert!(!decision.lookup_failed);
    }
}

#[test]
fn masked_enrollment_is_passed_over_for_a_readable_one() {
    let config = default_config();
    let outcome = methods(vec![
        phone_method(
            "dev_masked",
            "XXXXXXXX8730",
            "sms",
            "2025-01-01T00:00:00.000Z",
        ),
        voice_method("2021-01-01T00:00:00.000Z"),
    ]);
    let decision = config.finish(&view(&config, &mfa_event()), &outcome);
    assert_phone(&decision, "+15550000003", true, "mfa");
}

#[test]
fn enrollments_endpoint_shape() {
    let config = compile(json!({"phone": {"mfaEndpoint": "enrollments"}}));
    let event = mfa_event();
    assert_eq!(lookup(&config, &event).endpoint, MfaEndpoint::Enrollments);
    let outcome = methods(vec![json!({
        "id": "sms|dev_Ab12Cd34Ef56Gh78",
        "status": "confirmed",
        "type": "sms",
        "name": "+1 ******4567",
        "identifier": "+15551234567",
        "phone_number": "+15551234567",
        "auth_method": "sms",
        "enrolled_at": "2024-05-02T09:58:00.000Z",
        "last_auth": "2025-01-20T17:02:09.000Z"
    })]);
    let decision = config.finish(&view(&config, &event), &outcome);
    assert_phone(&decision, "+15551234567", true, "mfa");

    // A pending enrollment does not count.
    let outcome = methods(vec![json!({
        "id": "sms|dev_Ab12Cd34Ef56Gh78", "status": "pending", "auth_method": "sms",
        "phone_number": "+15551234567", "enrolled_at": "2024-05-02T09:58:00.000Z"
    })]);
    let decision = config.finish(&view(&config, &event), &outcome);
    assert_eq!(
        entry(&decision, PHONE_NUMBER, Reason::MfaNoConfirmedPhone)
            .source
            .as_deref(),
        Some("mfa")
    );
}

#[test]
fn paged_response_with_include_totals_is_read() {
    let config = default_config();
    let outcome = LookupOutcome::Methods(json!({
        "start": 0, "limit": 50, "total": 2,
        "authenticators": [
            phone_method("dev_x", "+15557654321", "sms", "2024-05-01T10:00:00.000Z"),
            totp_method("dev_t")
        ]
    }));
    let decision = config.finish(&view(&config, &mfa_event()), &outcome);
    assert_phone(&decision, "+15557654321", true, "mfa");
}

fn failure_config() -> CompiledConfig {
    compile(json!({
        "idToken": {PLAN: "user.app_metadata.plan"},
        "accessToken": {ROLES: "authorization.roles"}
    }))
}

/// An MFA user who also has a (different) number in app_metadata.
fn failure_event() -> Value {
    authorize_event(
        db_user(json!({
            "enrolledFactors": [{"type": "phone", "options": {}}],
            "app_metadata": {"plan": "pro", "phone_number": "+15559990000", "phone_verified": true}
        })),
        PHONE_SCOPES,
    )
}

#[test]
fn failed_lookup_withholds_both_phone_claims() {
    let config = failure_config();
    let event = failure_event();
    let decision = after_lookup(&config, &event, &failed("mgmt_timeout"));
    assert!(decision.lookup_failed);
    assert_both_skipped(&decision, Reason::LookupFailed, None);
    // The failure code is in the trace.
    let mfa = decision
        .trace
        .iter()
        .find(|e| e.source.as_deref() == Some("mfa") && e.failure.is_some())
        .unwrap_or_else(|| panic!("{:#?}", decision.trace));
    assert_eq!(mfa.failure.as_deref(), Some("mgmt_timeout"));
    assert!(trace_json(&decision).contains(r#""failure":"mgmt_timeout""#));
    // app_metadata, after mfa, was not used: no trace entry names it.
    assert!(
        decision
            .trace
            .iter()
            .all(|e| e.source.as_deref() != Some("app_metadata")),
        "{:#?}",
        decision.trace
    );
    // Custom claims are still set.
    assert_eq!(decision.id_token.get(PLAN), Some(&json!("pro")));
    assert_eq!(
        decision.access_token.get(ROLES),
        Some(&json!(["editor", "billing"]))
    );
}

#[test]
fn failed_lookup_is_ignored_when_mfa_is_not_reached() {
    let config = failure_config();
    let decision = config.finish(
        &view(&config, &authorize_event(sms_user(json!({})), PHONE_SCOPES)),
        &failed("mgmt_timeout"),
    );
    assert_phone(&decision, "+15551234567", true, "profile");
    assert!(!decision.lookup_failed);
}

#[test]
fn bad_response_shape_withholds_like_a_failure() {
    let config = failure_config();
    let event = failure_event();
    for bad in [
        json!({"statusCode": 403, "error": "Forbidden", "message": "Insufficient scope"}),
        json!({"authenticators": {}}),
        json!("phone"),
        json!(null),
    ] {
        let decision = config.finish(&view(&config, &event), &LookupOutcome::Methods(bad.clone()));
        assert!(decision.lookup_failed, "{bad}");
        assert_no_phone(&decision);
        let skipped = entry(&decision, PHONE_NUMBER, Reason::MfaBadResponse);
        assert_eq!(skipped.source.as_deref(), Some("mfa"));
        assert_eq!(skipped.outcome, Outcome::Skipped);
        assert!(skipped.failure.is_some(), "{skipped:?}");
        assert_both_skipped(&decision, Reason::LookupFailed, None);
        assert!(decision
            .trace
            .iter()
            .all(|e| e.source.as_deref() != Some("app_metadata")));
        assert_eq!(
            decision.access_token.get(ROLES),
            Some(&json!(["editor", "billing"]))
        );
    }
}

#[test]
fn finish_agrees_with_a_plan_that_needed_no_lookup() {
    let config = failure_config();
    let event = authorize_event(sms_user(json!({})), PHONE_SCOPES);
    let planned = done(&config, &event);
    let finished = config.finish(&view(&config, &event), &methods(vec![]));
    assert_eq!(planned, finished);
}

// --- custom claims ------------------------------------------------------------------------------

#[test]
fn custom_claims_are_copied_as_json() {
    let config = compile(json!({
        "phone": false,
        "idToken": {
            "https://my-app.example.com/plan": "user.app_metadata.plan",
            "https://my-app.example.com/seats": "user.app_metadata.seats",
            "https://my-app.example.com/beta": "user.app_metadata.beta",
            "https://my-app.example.com/first_identity": "user.identities.0.provider"
        },
        "accessToken": {
            ROLES: "authorization.roles",
            "https://my-app.example.com/org": "organization",
            "https://my-app.example.com/ratio": "user.app_metadata.ratio"
        }
    }));
    let user = db_user(
        json!({"app_metadata": {"plan": "pro", "seats": 25, "beta": false, "ratio": 0.75}}),
    );
    let decision = done(&config, &authorize_event(user, NO_PHONE_SCOPES));
    let mut id = Map::new();
    id.insert("https://my-app.example.com/plan".into(), json!("pro"));
    id.insert("https://my-app.example.com/seats".into(), json!(25));
    id.insert("https://my-app.example.com/beta".into(), json!(false));
    id.insert(
        "https://my-app.example.com/first_identity".into(),
        json!("auth0"),
    );
    assert_eq!(decision.id_token, id);
    let mut access = Map::new();
    access.insert(ROLES.into(), json!(["editor", "billing"]));
    access.insert(
        "https://my-app.example.com/org".into(),
        json!({"id": "org_W3xY4z5A6b7C8d9E", "name": "acme", "display_name": "Acme Corp", "metadata": {"tier": "gold"}}),
    );
    access.insert("https://my-app.example.com/ratio".into(), json!(0.75));
    assert_eq!(decision.access_token, access);
    // One Set entry per claim, naming its token and path.
    assert_eq!(decision.trace.len(), 7);
    for e in &decision.trace {
        assert_eq!(
            (e.outcome, e.reason),
            (Outcome::Set, Reason::ValueCopied),
            "{e:?}"
        );
    }
    let roles = entry(&decision, ROLES, Reason::ValueCopied);
    assert_eq!(roles.token, "accessToken");
    assert_eq!(roles.source.as_deref(), Some("authorization.roles"));
    let plan = entry(&decision, PLAN, Reason::ValueCopied);
    assert_eq!(plan.token, "idToken");
    assert_eq!(plan.source.as_deref(), Some("user.app_metadata.plan"));
}

#[test]
fn user_metadata_is_copied_when_allowed() {
    let locale = "https://my-app.example.com/locale";
    let config = compile(json!({"accessToken": {
        locale: {"path": "user.user_metadata.locale", "allowUserControlled": true}
    }}));
    let decision = done(
        &config,
        &authorize_event(db_user(json!({})), NO_PHONE_SCOPES),
    );
    assert_eq!(decision.access_token.get(locale), Some(&json!("en-GB")));
}

#[test]
fn custom_claims_do_not_depend_on_the_phone_scope() {
    let config = failure_config();
    for event in [
        authorize_event(db_user(json!({})), NO_PHONE_SCOPES),
        password_event(db_user(json!({})), "openid"),
    ] {
        let decision = done(&config, &event);
        assert_eq!(decision.id_token.get(PLAN), Some(&json!("pro")));
        assert_eq!(
            decision.access_token.get(ROLES),
            Some(&json!(["editor", "billing"]))
        );
    }
}

#[test]
fn missing_or_null_values_are_skipped() {
    let config = compile(json!({
        "phone": false,
        "idToken": {PLAN: "user.app_metadata.plan"},
        "accessToken": {
            "https://my-app.example.com/org": "organization.id",
            "https://my-app.example.com/deep": "user.app_metadata.plan.tier"
        }
    }));
    let mut event = authorize_event(
        db_user(json!({"app_metadata": {"plan": null}})),
        NO_PHONE_SCOPES,
    );
    remove(&mut event, "/organization");
    let decision = done(&config, &event);
    assert!(decision.id_token.is_empty());
    assert!(decision.access_token.is_empty());
    for (claim, path) in [
        (PLAN, "user.app_metadata.plan"),
        ("https://my-app.example.com/org", "organization.id"),
        (
            "https://my-app.example.com/deep",
            "user.app_metadata.plan.tier",
        ),
    ] {
        let skipped = entry(&decision, claim, Reason::MissingValue);
        assert_eq!(skipped.outcome, Outcome::Skipped);
        assert_eq!(skipped.source.as_deref(), Some(path));
    }
}

/// Slot text for `config`'s paths read from `event`, with `faults` (`path`, marker) in place of
/// the value.
fn slot_text(config: &CompiledConfig, event: &Value, faults: &[(&str, &str)]) -> String {
    config
        .paths()
        .iter()
        .map(|path| {
            let text = path.to_string();
            if let Some((_, marker)) = faults.iter().find(|(p, _)| *p == text) {
                return format!("!{marker}");
            }
            path.read(event)
                .map(|value| serde_json::to_string(value).unwrap_or_default())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn slot_faults_are_skipped_with_their_reason() {
    let getter = "https://my-app.example.com/getter";
    let bigint = "https://my-app.example.com/bigint";
    let config = compile(json!({
        "idToken": {PLAN: "user.app_metadata.plan", getter: "user.app_metadata.getter"},
        "accessToken": {bigint: "user.app_metadata.big", ROLES: "authorization.roles"}
    }));
    let event = authorize_event(
        sms_user(json!({"app_metadata": {"plan": "pro"}})),
        PHONE_SCOPES,
    );
    let text = slot_text(
        &config,
        &event,
        &[
            ("user.app_metadata.getter", "unreadable"),
            ("user.app_metadata.big", "unsupported"),
        ],
    );
    let view = EventView::from_slot_bytes(slot_records(&text), config.paths().len())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let decision = match config.plan(&view) {
        Plan::Done(decision) => decision,
        Plan::Lookup(request) => panic!("{request:?}"),
    };
    assert_phone(&decision, "+15551234567", true, "profile");
    assert_eq!(decision.id_token.get(PLAN), Some(&json!("pro")));
    assert!(!decision.id_token.contains_key(getter));
    assert!(!decision.access_token.contains_key(bigint));
    assert_eq!(
        decision.access_token.get(ROLES),
        Some(&json!(["editor", "billing"]))
    );
    let skipped = entry(&decision, getter, Reason::UnreadableValue);
    assert_eq!(
        (skipped.outcome, skipped.token),
        (Outcome::Skipped, "idToken")
    );
    let skipped = entry(&decision, bigint, Reason::UnsupportedValue);
    assert_eq!(
        (skipped.outcome, skipped.token),
        (Outcome::Skipped, "accessToken")
    );
}

#[test]
fn value_that_does_not_parse_is_unsupported() {
    let config = compile(json!({"phone": false, "idToken": {PLAN: "user.app_metadata.plan"}}));
    assert_eq!(config.paths().len(), 1);
    let view = EventView::from_slot_bytes(slot_records("\"\\ud800\""), 1)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let decision = match config.plan(&view) {
        Plan::Done(decision) => decision,
        Plan::Lookup(request) => panic!("{request:?}"),
    };
    assert!(decision.id_token.is_empty());
    assert_eq!(
        entry(&decision, PLAN, Reason::UnsupportedValue).outcome,
        Outcome::Skipped
    );
}

// --- the size budget ----------------------------------------------------------------------------

fn serialized_len(claims: &Map<String, Value>) -> usize {
    serde_json::to_string(claims)
        .map(|s| s.len())
        .unwrap_or(usize::MAX)
}

fn blob_claims(token: &str, sizes: &[(&str, usize)]) -> (CompiledConfig, Value) {
    let mut rules = Map::new();
    let mut metadata = Map::new();
    for (name, size) in sizes {
        let key = format!("blob_{}", name.rsplit('/').next().unwrap_or(name));
        rules.insert(
            (*name).to_owned(),
            json!(format!("user.app_metadata.{key}")),
        );
        metadata.insert(key, json!("x".repeat(*size)));
    }
    let config = compile(json!({ token: rules }));
    let event = authorize_event(db_user(json!({"app_metadata": metadata})), NO_PHONE_SCOPES);
    (config, event)
}

fn dropped(decision: &Decision) -> Vec<String> {
    decision
        .trace
        .iter()
        .filter(|e| e.outcome == Outcome::Dropped)
        .map(|e| {
            assert_eq!(e.reason, Reason::TokenSizeBudget, "{e:?}");
            e.claim.clone()
        })
        .collect()
}

const A: &str = "https://my-app.example.com/a";
const B: &str = "https://my-app.example.com/b";
const C: &str = "https://my-app.example.com/c";
const D: &str = "https://my-app.example.com/d";

#[test]
fn over_the_budget_the_largest_claim_is_dropped_first() {
    let (config, event) = blob_claims(
        "accessToken",
        &[(A, 60_000), (B, 50_000), (C, 10), (D, 30_000)],
    );
    let decision = done(&config, &event);
    assert_eq!(dropped(&decision), [A]);
    let kept: Vec<&String> = decision.access_token.keys().collect();
    assert_eq!(kept, [B, C, D]);
    assert!(serialized_len(&decision.access_token) <= TOKEN_BUDGET_BYTES);
    let drop = entry(&decision, A, Reason::TokenSizeBudget);
    assert_eq!(
        (drop.outcome, drop.token),
        (Outcome::Dropped, "accessToken")
    );
    assert_eq!(drop.source.as_deref(), Some("user.app_metadata.blob_a"));
    assert!(entries(&decision, A)
        .iter()
        .all(|e| e.outcome != Outcome::Set));
}

#[test]
fn claims_are_dropped_until_the_rest_fits() {
    let (config, event) = blob_claims("idToken", &[(A, 60_000), (B, 55_000), (C, 50_000)]);
    let decision = done(&config, &event);
    let mut gone = dropped(&decision);
    gone.sort();
    assert_eq!(gone, [A, B]);
    assert_eq!(decision.id_token.keys().collect::<Vec<_>>(), [C]);
    assert!(serialized_len(&decision.id_token) <= TOKEN_BUDGET_BYTES);
}

#[test]
fn equal_sizes_are_dropped_in_name_order() {
    let (config, event) = blob_claims("accessToken", &[(B, 60_000), (A, 60_000)]);
    let decision = done(&config, &event);
    assert_eq!(dropped(&decision), [A]);
    assert_eq!(decision.access_token.keys().collect::<Vec<_>>(), [B]);
}

#[test]
fn a_single_claim_over_the_budget_is_dropped() {
    let (config, event) = blob_claims("accessToken", &[(A, 150_000), (B, 10)]);
    let decision = done(&config, &event);
    assert_eq!(dropped(&decision), [A]);
    assert_eq!(decision.access_token.get(B), Some(&json!("x".repeat(10))));
}

#[test]
fn kept_claims_serialize_within_the_budget_at_the_boundary() {
    // `{"<name>":"<value>"}` is 7 bytes plus the name and the value.
    let overhead = 7 + A.len();
    let fits = TOKEN_BUDGET_BYTES - overhead;
    let (config, event) = blob_claims("accessToken", &[(A, fits)]);
    let decision = done(&config, &event);
    assert_eq!(serialized_len(&decision.access_token), TOKEN_BUDGET_BYTES);
    assert!(dropped(&decision).is_empty());

    let (config, event) = blob_claims("accessToken", &[(A, fits + 1)]);
    let decision = done(&config, &event);
    assert_eq!(
        dropped(&decision),
        [A],
        "{} bytes kept",
        serialized_len(&decision.access_token)
    );
    assert!(decision.access_token.is_empty());
}

#[test]
fn phone_claims_count_towards_the_budget_and_are_never_dropped() {
    let config = compile(json!({"idToken": {A: "user.app_metadata.blob"}}));
    // Alone, the custom claim fits; with the phone claims next to it, it does not.
    let size = TOKEN_BUDGET_BYTES - (7 + A.len()) - 10;
    let user = sms_user(json!({"app_metadata": {"blob": "x".repeat(size)}}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+15551234567", true, "profile");
    assert_eq!(dropped(&decision), [A]);
    assert_eq!(decision.id_token.len(), 2);
    assert!(serialized_len(&decision.id_token) <= TOKEN_BUDGET_BYTES);

    // Many large claims: all may go, the phone claims stay.
    let config = compile(
        json!({"idToken": {A: "user.app_metadata.blob", B: "user.app_metadata.blob", C: "user.app_metadata.blob"}}),
    );
    let user = sms_user(json!({"app_metadata": {"blob": "x".repeat(TOKEN_BUDGET_BYTES)}}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+15551234567", true, "profile");
    let mut gone = dropped(&decision);
    gone.sort();
    assert_eq!(gone, [A, B, C]);
}

#[test]
fn each_token_has_its_own_budget() {
    let config = compile(json!({
        "idToken": {A: "user.app_metadata.blob"},
        "accessToken": {A: "user.app_metadata.blob"}
    }));
    let user = db_user(json!({"app_metadata": {"blob": "x".repeat(60_000)}}));
    let decision = done(&config, &authorize_event(user, NO_PHONE_SCOPES));
    assert!(dropped(&decision).is_empty());
    assert!(decision.id_token.contains_key(A) && decision.access_token.contains_key(A));
}

// --- what the trace may hold --------------------------------------------------------------------

#[test]
fn the_trace_never_holds_a_full_phone_number() {
    let numbers = [
        "+15551234567",
        "+447700900123",
        "+4915123456789",
        "+15557654321",
        "+15550000002",
        "+15550000003",
    ];
    let config = default_config();
    let mut decisions = vec![
        done(&config, &authorize_event(sms_user(json!({})), PHONE_SCOPES)),
        // Rejected values are redacted too.
        done(
            &config,
            &authorize_event(
                db_user(json!({
                    "phone_number": "+1 555 123 4567;ext=1;x",
                    "enrolledFactors": [],
                    "app_metadata": {"phone_number": "004477 0090 0123"}
                })),
                PHONE_SCOPES,
            ),
        ),
        done(
            &config,
            &authorize_event(
                db_user(json!({
                    "phone_number": "+0 4915123456789",
                    "enrolledFactors": [{"type": "otp"}],
                    "app_metadata": {"phone_number": "+49 151 23456789", "phone_verified": true}
                })),
                PHONE_SCOPES,
            ),
        ),
    ];
    let outcome = methods(vec![
        phone_method("dev_v", "+15550000003", "voice", "2025-03-01T00:00:00.000Z"),
        phone_method("dev_s", "+15550000002", "sms", "2024-06-01T12:00:00.000Z"),
        phone_method("dev_m", "+1557654321XX", "sms", "2025-06-01T12:00:00.000Z"),
    ]);
    decisions.push(login(&config, &mfa_event(), &outcome));
    decisions.push(login(&config, &mfa_event(), &failed("mgmt_timeout")));
    for decision in &decisions {
        let trace = trace_json(decision);
        for number in numbers {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            assert!(!trace.contains(&digits), "{digits} in {trace}");
            // At most the last 4 digits: never the last 5.
            assert!(
                !trace.contains(&digits[digits.len() - 5..]),
                "{number} in {trace}"
            );
        }
    }
    // And the numbers were really used.
    assert_eq!(
        decisions[0].id_token.get(PHONE_NUMBER),
        Some(&json!("+15551234567"))
    );
    assert_eq!(
        decisions[2].id_token.get(PHONE_NUMBER),
        Some(&json!("+4915123456789"))
    );
    assert_eq!(
        decisions[3].id_token.get(PHONE_NUMBER),
        Some(&json!("+15550000002"))
    );
}

#[test]
fn the_trace_never_holds_a_claim_value() {
    let config = compile(json!({
        "idToken": {PLAN: "user.app_metadata.plan"},
        "accessToken": {
            "https://my-app.example.com/tier": "organization.metadata.tier",
            A: "user.app_metadata.blob"
        }
    }));
    let user = sms_user(json!({"app_metadata": {
        "plan": "plan-sentinel-7d1e",
        "blob": format!("blob-sentinel-{}", "y".repeat(120_000))
    }}));
    let mut event = password_event(user, "openid phone");
    event["organization"]["metadata"]["tier"] = json!("tier-sentinel-93ab");
    let decision = done(&config, &event);
    assert_eq!(
        decision.id_token.get(PLAN),
        Some(&json!("plan-sentinel-7d1e"))
    );
    assert_eq!(dropped(&decision), [A]);
    let trace = trace_json(&decision);
    for sentinel in [
        "plan-sentinel",
        "tier-sentinel",
        "blob-sentinel",
        "yyyy",
        PASSWORD,
        "15551234567",
    ] {
        assert!(!trace.contains(sentinel), "{sentinel} in {trace}");
    }
    // The password is in no token either.
    let all = serde_json::to_string(&decision).unwrap_or_default();
    assert!(!all.contains(PASSWORD));
}

// --- properties ---------------------------------------------------------------------------------

const VALID_NUMBERS: &[&str] = &[
    "+15551234567",
    "+1 (212) 555-0199",
    "+44 20 7946 0958",
    "+49 151 23456789",
    "+683 4002",
    "+12125550199;ext=89",
];
const OTHER_NUMBERS: &[&str] = &[
    "XXXXXXXX8730",
    "+1123XXXXX",
    "(212) 555-0199",
    "004420 7946 0958",
    "+0 212 555 0199",
    "+1 555 12",
    "",
    "   ",
    "phone",
];
const PIECES: &[&str] = &[
    "1", "4", "5", "7", "9", "0", "+", " ", "-", "(", ")", "X", ";ext=", "2",
];

fn phone_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(VALID_NUMBERS).prop_map(str::to_owned),
        2 => prop::sample::select(OTHER_NUMBERS).prop_map(str::to_owned),
        2 => prop::collection::vec(prop::sample::select(PIECES), 0..18).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
}

/// A value at a phone-number path: usually a string, sometimes absent or of another type.
fn phone_value() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        6 => phone_text().prop_map(|s| Some(Value::String(s))),
        2 => Just(None),
        1 => Just(Some(Value::Null)),
        1 => any::<i64>().prop_map(|n| Some(json!(n))),
        1 => Just(Some(json!(["+15551234567"]))),
    ]
}

fn verified_flag() -> impl Strategy<Value = Option<Value>> {
    prop::sample::select(vec![
        None,
        Some(json!(true)),
        Some(json!(true)),
        Some(json!(false)),
        Some(json!("true")),
        Some(json!(1)),
        Some(json!(null)),
        Some(json!([true])),
    ])
}

const SCOPE_WORDS: &[&str] = &[
    "openid",
    "profile",
    "email",
    "phone",
    "offline_access",
    "PHONE",
    "phones",
];

fn scope_list() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(SCOPE_WORDS), 0..5)
}

/// Scope words that include `phone` somewhere.
fn scope_list_with_phone() -> impl Strategy<Value = Vec<&'static str>> {
    (scope_list(), any::<prop::sample::Index>()).prop_map(|(mut words, at)| {
        let at = at.index(words.len() + 1);
        words.insert(at, "phone");
        words
    })
}

fn requested_scopes() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        4 => scope_list_with_phone().prop_map(|s| Some(json!(s))),
        2 => scope_list().prop_map(|s| Some(json!(s))),
        1 => scope_list().prop_map(|s| Some(json!(s.join(" ")))),
        1 => Just(Some(json!([1, null, {"phone": true}]))),
    ]
}

fn scope_text() -> impl Strategy<Value = Option<Value>> {
    let separator = prop::sample::select(vec![" ", " ", "  ", "\t", "+"]);
    prop_oneof![
        2 => Just(None),
        3 => (scope_list_with_phone(), separator.clone())
            .prop_map(|(s, sep)| Some(json!(s.join(sep)))),
        2 => (scope_list(), separator)
            .prop_map(|(s, sep)| Some(json!(s.join(sep)))),
        1 => scope_list().prop_map(|s| Some(json!(s))),
    ]
}

fn enrolled_factors() -> impl Strategy<Value = Option<Value>> {
    let factor = prop::sample::select(vec![
        json!({"type": "phone", "options": {}}),
        json!({"type": "otp"}),
        json!({"type": "push-notification"}),
        json!({"type": "email"}),
        json!({"type": "webauthn-roaming"}),
        json!({"type": "webauthn-platform"}),
        json!({"kind": "phone"}),
        json!("phone"),
        json!(null),
    ]);
    let with_phone = (
        prop::collection::vec(factor.clone(), 0..3),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut factors, at)| {
            let at = at.index(factors.len() + 1);
            factors.insert(at, json!({"type": "phone", "options": {}}));
            Some(Value::Array(factors))
        });
    prop_oneof![
        3 => Just(None),
        3 => with_phone,
        2 => prop::collection::vec(factor, 0..4).prop_map(|f| Some(Value::Array(f))),
        1 => Just(Some(json!({"type": "phone"}))),
        1 => Just(Some(json!("phone"))),
    ]
}

fn user_id() -> impl Strategy<Value = Option<Value>> {
    prop::sample::select(vec![
        Some(json!(DB_USER)),
        Some(json!(DB_USER)),
        Some(json!(DB_USER)),
        Some(json!(SMS_USER)),
        Some(json!("")),
        Some(json!(42)),
        None,
    ])
}

/// Timestamps with their order by hand; the unparsable one sorts as the oldest.
const TIMES: &[(&str, Option<u8>)] = &[
    ("2023-01-01T00:00:00.000Z", Some(1)),
    ("2024-06-01T12:00:00.000Z", Some(2)),
    ("2025-02-01T08:30:00Z", Some(3)),
    ("yesterday", None),
];
const DEVICES: &[&str] = &["dev_a", "dev_b", "dev_c", "dev_d"];

fn method_item() -> impl Strategy<Value = Value> {
    let time = 0..TIMES.len();
    prop_oneof![
        // `/authentication-methods`.
        (
            phone_text(),
            prop::sample::select(vec![Some(true), Some(true), Some(true), Some(false), None]),
            prop::sample::select(vec!["sms", "voice", "none"]),
            time.clone(),
            prop::sample::select(vec![
                "phone", "phone", "phone", "phone", "totp", "push", "email"
            ]),
            prop::sample::select(DEVICES),
        )
            .prop_map(|(number, confirmed, channel, time, kind, device)| {
                let mut item = json!({
                    "id": format!("{kind}|{device}"),
                    "type": kind,
                    "phone_number": number,
                    "created_at": TIMES[time].0,
                    "enrolled_at": TIMES[time].0
                });
                if let Some(confirmed) = confirmed {
                    item["confirmed"] = json!(confirmed);
                }
                if channel != "none" {
                    item["preferred_authentication_method"] = json!(channel);
                    item["authentication_methods"] =
                        json!([{"id": format!("{channel}|{device}"), "type": channel}]);
                }
                item
            }),
        // `/enrollments`.
        (
            phone_text(),
            prop::sample::select(vec!["confirmed", "confirmed", "pending"]),
            prop::sample::select(vec!["sms", "voice", "authenticator", "guardian"]),
            time,
            prop::sample::select(DEVICES),
        )
            .prop_map(|(number, status, method, time, device)| json!({
                "id": format!("{method}|{device}"),
                "status": status,
                "auth_method": method,
                "identifier": number,
                "enrolled_at": TIMES[time].0
            })),
    ]
}

fn lookup_outcome() -> impl Strategy<Value = LookupOutcome> {
    prop_oneof![
        5 => prop::collection::vec(method_item(), 0..5).prop_map(|items| LookupOutcome::Methods(Value::Array(items))),
        1 => prop::collection::vec(method_item(), 0..3).prop_map(|items| LookupOutcome::Methods(json!({
            "start": 0, "limit": 50, "total": items.len(), "authenticators": items
        }))),
        1 => prop::sample::select(vec!["mgmt_timeout", "mgmt_forbidden", "mgmt_rate_limited"])
            .prop_map(failed),
        1 => prop::sample::select(vec![json!({}), json!("x"), json!(null), json!({"authenticators": 3})])
            .prop_map(LookupOutcome::Methods),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    phone_on: bool,
    sources: Vec<&'static str>,
    endpoint: &'static str,
    user_id: Option<Value>,
    profile_number: Option<Value>,
    profile_verified: Option<Value>,
    metadata_number: Option<Value>,
    metadata_verified: Option<Value>,
    enrolled_factors: Option<Value>,
    requested_scopes: Option<Value>,
    body_scope: Option<Value>,
    query_scope: Option<Value>,
    blobs: Vec<usize>,
    lookup: LookupOutcome,
}

prop_compose! {
    fn case()(
        (phone_on, sources, endpoint) in (
            prop::bool::weighted(0.9),
            prop::sample::subsequence(vec!["profile", "mfa", "app_metadata"], 1..=3).prop_shuffle(),
            prop::sample::select(vec!["authentication-methods", "enrollments"]),
        ),
        (user_id, profile_number, profile_verified, metadata_number, metadata_verified) in
            (user_id(), phone_value(), verified_flag(), phone_value(), verified_flag()),
        (enrolled_factors, requested_scopes, body_scope, query_scope) in
            (enrolled_factors(), requested_scopes(), scope_text(), scope_text()),
        blobs in prop::collection::vec(
            prop_oneof![3 => 0usize..2_000, 2 => 20_000usize..70_000],
            4,
        ),
        lookup in lookup_outcome(),
    ) -> Case {
        Case {
            phone_on, sources, endpoint, user_id, profile_number, profile_verified,
            metadata_number, metadata_verified, enrolled_factors, requested_scopes, body_scope,
            query_scope, blobs, lookup,
        }
    }
}

const BLOB_CLAIMS: [(&str, &str); 4] = [
    ("idToken", A),
    ("idToken", B),
    ("accessToken", C),
    ("accessToken", D),
];

impl Case {
    fn config(&self) -> CompiledConfig {
        let mut config = json!({
            "idToken": {A: "user.app_metadata.blob0", B: "user.app_metadata.blob1"},
            "accessToken": {C: "user.app_metadata.blob2", D: "user.app_metadata.blob3"}
        });
        config["phone"] = if self.phone_on {
            json!({"sources": self.sources, "mfaEndpoint": self.endpoint})
        } else {
            json!(false)
        };
        compile(config)
    }

    fn event(&self) -> Value {
        let mut event = authorize_event(db_user(json!({})), &[]);
        let set = |event: &mut Value, pointer: &str, value: &Option<Value>| {
            remove(event, pointer);
            if let Some(value) = value {
                let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", pointer));
                if let Some(Value::Object(map)) = event.pointer_mut(parent) {
                    map.insert(key.to_owned(), value.clone());
                }
            }
        };
        set(&mut event, "/user/user_id", &self.user_id);
        set(&mut event, "/user/phone_number", &self.profile_number);
        set(&mut event, "/user/phone_verified", &self.profile_verified);
        set(
            &mut event,
            "/user/app_metadata/phone_number",
            &self.metadata_number,
        );
        set(
            &mut event,
            "/user/app_metadata/phone_verified",
            &self.metadata_verified,
        );
        set(&mut event, "/user/enrolledFactors", &self.enrolled_factors);
        set(
            &mut event,
            "/transaction/requested_scopes",
            &self.requested_scopes,
        );
        set(&mut event, "/request/body/scope", &self.body_scope);
        set(&mut event, "/request/query/scope", &self.query_scope);
        for (index, size) in self.blobs.iter().enumerate() {
            event["user"]["app_metadata"][format!("blob{index}")] = json!("z".repeat(*size));
        }
        event
    }

    /// Whether `phone` was requested, by Auth0's order: requested_scopes when it is a list,
    /// else the body's scope string, else the query's.
    fn phone_requested(&self) -> bool {
        let words = |v: &Value| {
            v.as_str()
                .map(|s| s.split_ascii_whitespace().any(|w| w == "phone"))
        };
        match &self.requested_scopes {
            Some(Value::Array(items)) if items.iter().any(Value::is_string) => {
                items.iter().any(|i| i == "phone")
            }
            _ => self
                .body_scope
                .as_ref()
                .and_then(words)
                .or_else(|| self.query_scope.as_ref().and_then(words))
                .unwrap_or(false),
        }
    }

    /// The reason the phone claims are skipped with when `phone` was not requested: malformed
    /// event data when no place held well-formed scopes and one held the wrong type.
    fn scope_reason(&self) -> Reason {
        let is_text = |v: &Option<Value>| matches!(v, Some(Value::String(_)));
        let wrong_text = |v: &Option<Value>| matches!(v, Some(v) if !v.is_string() && !v.is_null());
        let (deciding_list, wrong_list) = match &self.requested_scopes {
            Some(Value::Array(items)) => (
                items.iter().any(Value::is_string),
                items.iter().any(|i| !i.is_string()),
            ),
            Some(Value::Null) | None => (false, false),
            Some(_) => (false, true),
        };
        let nowhere = !deciding_list && !is_text(&self.body_scope) && !is_text(&self.query_scope);
        let malformed = wrong_list || wrong_text(&self.body_scope) || wrong_text(&self.query_scope);
        if nowhere && malformed {
            Reason::MalformedEventData
        } else {
            Reason::ScopeNotRequested
        }
    }

    fn user_id_usable(&self) -> bool {
        matches!(&self.user_id, Some(Value::String(id)) if !id.is_empty())
    }

    fn factors_rule_out_phone(&self) -> bool {
        match &self.enrolled_factors {
            Some(Value::Array(factors)) => !factors
                .iter()
                .any(|f| f.get("type") == Some(&json!("phone"))),
            _ => false,
        }
    }

    /// The number, normalized, and whether its own flag is the boolean true.
    fn event_source(&self, source: &str) -> Option<(String, bool)> {
        let (number, flag) = match source {
            "profile" => (&self.profile_number, &self.profile_verified),
            _ => (&self.metadata_number, &self.metadata_verified),
        };
        let text = number.as_ref()?.as_str()?;
        let normalized = phone::normalize(text).ok()?.into_string();
        Some((normalized, flag == &Some(json!(true))))
    }
}

#[derive(Debug)]
enum Expected {
    PhoneOff,
    ScopeMissing,
    Found {
        source: &'static str,
        numbers: Vec<String>,
        verified: bool,
    },
    Withheld,
    NoNumber,
}

/// The enrollments of a response that qualify, from the rules in mfa.rs's module docs: the
/// numbers of the best ones (SMS before voice, then latest, then smallest id), all of them if
/// several tie. `Err` for a response that is not a list.
fn best_mfa_numbers(response: &Value) -> Result<Vec<String>, ()> {
    let items = match response {
        Value::Array(items) => items,
        Value::Object(map) => map
            .get("authenticators")
            .and_then(Value::as_array)
            .ok_or(())?,
        _ => return Err(()),
    };
    let time_rank = |item: &Value| {
        let text = item.get("enrolled_at").and_then(Value::as_str);
        TIMES
            .iter()
            .find(|(t, _)| Some(*t) == text)
            .and_then(|(_, rank)| *rank)
    };
    let mut usable = Vec::new();
    for item in items {
        let (sms, number) = if let Some(status) = item.get("status") {
            let sms = match item.get("auth_method").and_then(Value::as_str) {
                Some("sms") => true,
                Some("voice") => false,
                _ => continue,
            };
            if status != "confirmed" {
                continue;
            }
            (sms, item.get("identifier"))
        } else {
            if item.get("type") != Some(&json!("phone"))
                || item.get("confirmed") != Some(&json!(true))
            {
                continue;
            }
            (
                item.get("preferred_authentication_method") != Some(&json!("voice")),
                item.get("phone_number"),
            )
        };
        let Some(Ok(number)) = number.and_then(Value::as_str).map(phone::normalize) else {
            continue;
        };
        let id = item
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        usable.push((
            (sms, time_rank(item)),
            std::cmp::Reverse(id),
            number.into_string(),
        ));
    }
    let best = usable.iter().map(|(rank, id, _)| (*rank, id.clone())).max();
    Ok(usable
        .into_iter()
        .filter(|(rank, id, _)| Some((*rank, id.clone())) == best)
        .map(|(_, _, number)| number)
        .collect())
}

/// What the decision should be, and whether a lookup is needed to reach it.
fn expected(case: &Case) -> (Expected, bool) {
    if !case.phone_on {
        return (Expected::PhoneOff, false);
    }
    if !case.phone_requested() {
        return (Expected::ScopeMissing, false);
    }
    for &source in &case.sources {
        match source {
            "mfa" => {
                if case.factors_rule_out_phone() || !case.user_id_usable() {
                    continue;
                }
                let LookupOutcome::Methods(response) = &case.lookup else {
                    return (Expected::Withheld, true);
                };
                match best_mfa_numbers(response) {
                    Err(()) => return (Expected::Withheld, true),
                    Ok(numbers) if !numbers.is_empty() => {
                        return (
                            Expected::Found {
                                source: "mfa",
                                numbers,
                                verified: true,
                            },
                            true,
                        )
                    }
                    Ok(_) => {
                        // Nothing usable: the later sources decide, after the lookup.
                        let (rest, _) = expected_after(case, source);
                        return (rest, true);
                    }
                }
            }
            _ => {
                if let Some(found) = event_found(case, source) {
                    return (found, false);
                }
            }
        }
    }
    (Expected::NoNumber, false)
}

/// The event sources after `after` in the order.
fn expected_after(case: &Case, after: &str) -> (Expected, bool) {
    let position = case.sources.iter().position(|s| *s == after).unwrap_or(0);
    for &source in &case.sources[position + 1..] {
        if let Some(found) = event_found(case, source) {
            return (found, true);
        }
    }
    (Expected::NoNumber, true)
}

/// The number an event source (`profile` or an app_metadata path) gives, as the expected
/// decision.
fn event_found(case: &Case, source: &str) -> Option<Expected> {
    let (number, verified) = case.event_source(source)?;
    let source = if source == "profile" {
        "profile"
    } else {
        "app_metadata"
    };
    Some(Expected::Found {
        source,
        numbers: vec![number],
        verified,
    })
}

/// Digit runs of the fixed explanation texts: `PhoneRejection::Empty` shows an example number
/// (+14155550123), which is documentation, not a user's number.
fn explanation_digits() -> Vec<String> {
    use crate::phone::PhoneRejection as R;
    let all = [
        R::NotAString,
        R::Empty,
        R::Masked,
        R::NotInternational,
        R::BadCharacters,
        R::UnknownCountryCode,
        R::TooShort,
        R::TooLong,
        R::BadExtension,
    ];
    all.iter()
        .flat_map(|r| r.explain().split(|c: char| !c.is_ascii_digit()))
        .filter(|run| run.len() >= 7)
        .map(str::to_owned)
        .collect()
}

/// Every string used as a phone number in the case, as its digits, when it has 7 or more.
fn number_digits(case: &Case) -> Vec<String> {
    let mut texts: Vec<String> = [&case.profile_number, &case.metadata_number]
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    if let LookupOutcome::Methods(response) = &case.lookup {
        let items = response
            .as_array()
            .or_else(|| response.get("authenticators").and_then(Value::as_array));
        for item in items.into_iter().flatten() {
            for key in ["phone_number", "identifier"] {
                if let Some(text) = item.get(key).and_then(Value::as_str) {
                    texts.push(text.to_owned());
                }
            }
        }
    }
    let documented = explanation_digits();
    texts
        .iter()
        .map(|t| t.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|d| d.len() >= 7 && !documented.iter().any(|doc| doc.contains(d.as_str())))
        .collect()
}

fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let config = case.config();
    let event = case.event();
    let view = EventView::from_event(&event, config.paths());
    let (expected, needs_lookup) = expected(case);
    let decision = match config.plan(&view) {
        Plan::Done(decision) => {
            prop_assert!(!needs_lookup, "a lookup was needed: {expected:?}");
            decision
        }
        Plan::Lookup(request) => {
            prop_assert!(needs_lookup, "needless lookup {request:?}: {expected:?}");
            prop_assert_eq!(request.endpoint.name(), case.endpoint);
            prop_assert_eq!(Some(json!(request.user_id)), case.user_id.clone());
            config.finish(&view, &case.lookup)
        }
    };

    let number = decision.id_token.get(PHONE_NUMBER);
    let verified = decision.id_token.get(PHONE_NUMBER_VERIFIED);
    prop_assert_eq!(number.is_some(), verified.is_some());
    prop_assert!(!decision.access_token.contains_key(PHONE_NUMBER));
    match &expected {
        Expected::Found {
            source,
            numbers,
            verified: expected_verified,
        } => {
            let number = number
                .and_then(Value::as_str)
                .unwrap_or("(none)")
                .to_owned();
            prop_assert!(numbers.contains(&number), "{number} not in {numbers:?}");
            prop_assert_eq!(verified.cloned(), Some(json!(*expected_verified)));
            let set = decision
                .trace
                .iter()
                .find(|e| e.claim == PHONE_NUMBER && e.outcome == Outcome::Set);
            prop_assert_eq!(set.and_then(|e| e.source.as_deref()), Some(*source));
            // The property itself: verified only if the emitting source said so, or was MFA.
            if verified == Some(&json!(true)) {
                let own_flag = match *source {
                    "profile" => case.profile_verified.clone(),
                    "app_metadata" => case.metadata_verified.clone(),
                    _ => Some(json!(true)),
                };
                prop_assert_eq!(own_flag, Some(json!(true)));
            }
        }
        _ => prop_assert!(number.is_none(), "{:?} with {expected:?}", number),
    }
    prop_assert_eq!(
        decision.lookup_failed,
        matches!(expected, Expected::Withheld)
    );
    // Both phone claims end with the same reason.
    let both_end_with = |reason: Reason| {
        [PHONE_NUMBER, PHONE_NUMBER_VERIFIED].iter().all(|claim| {
            decision
                .trace
                .iter()
                .rfind(|e| e.claim == *claim)
                .map(|e| e.reason)
                == Some(reason)
        })
    };
    match expected {
        Expected::PhoneOff => prop_assert!(decision
            .trace
            .iter()
            .all(|e| e.claim != PHONE_NUMBER && e.claim != PHONE_NUMBER_VERIFIED)),
        Expected::ScopeMissing => prop_assert!(both_end_with(case.scope_reason())),
        Expected::Withheld => prop_assert!(both_end_with(Reason::LookupFailed)),
        Expected::NoNumber => prop_assert!(both_end_with(Reason::NoPhoneNumber)),
        Expected::Found { source, .. } => {
            let last = |claim: &str| {
                decision
                    .trace
                    .iter()
                    .rfind(|e| e.claim == claim)
                    .map(|e| e.reason)
            };
            prop_assert_eq!(last(PHONE_NUMBER), Some(Reason::PhoneFound));
            let own_flag = match source {
                "profile" => case.profile_verified.clone(),
                "app_metadata" => case.metadata_verified.clone(),
                _ => None,
            };
            let malformed = own_flag.is_some_and(|flag| !flag.is_boolean() && !flag.is_null());
            let expected_reason = if malformed {
                Reason::MalformedEventData
            } else {
                Reason::PhoneFound
            };
            prop_assert_eq!(last(PHONE_NUMBER_VERIFIED), Some(expected_reason));
        }
    }

    // The budget, per token, and one trace entry per custom claim.
    prop_assert!(serialized_len(&decision.id_token) <= TOKEN_BUDGET_BYTES);
    prop_assert!(serialized_len(&decision.access_token) <= TOKEN_BUDGET_BYTES);
    for (token, name) in BLOB_CLAIMS {
        let claims = if token == "idToken" {
            &decision.id_token
        } else {
            &decision.access_token
        };
        let lines: Vec<_> = decision
            .trace
            .iter()
            .filter(|e| e.token == token && e.claim == name)
            .collect();
        prop_assert_eq!(lines.len(), 1, "{:?}", lines);
        prop_assert_eq!(lines[0].outcome == Outcome::Set, claims.contains_key(name));
    }

    // No phone number in the trace.
    let trace = trace_json(&decision);
    for digits in number_digits(case) {
        prop_assert!(!trace.contains(&digits), "{digits} in {trace}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn decisions_hold_their_promises_on_arbitrary_events(case in case()) {
        check_case(&case)?;
    }
}

// --- refresh without scope, plan/finish agreement, unsupported values ----------------------------

#[test]
fn refresh_without_a_scope_parameter_keeps_the_phone_claims_of_the_original_grant() {
    let mut event = refresh_event(sms_user(json!({})), "openid phone");
    remove(&mut event, "/request/body/scope");
    let decision = done(&default_config(), &event);
    assert_phone(&decision, "+15551234567", true, "profile");
}

#[test]
fn password_grant_without_a_scope_parameter_requested_no_phone_scope() {
    let mut event = password_event(sms_user(json!({})), "openid phone");
    remove(&mut event, "/request/body/scope");
    let decision = done(&default_config(), &event);
    assert_both_skipped(&decision, Reason::ScopeNotRequested, None);
}

#[test]
fn finish_agrees_with_plan_when_enrolled_factors_rule_out_a_phone() {
    let event = authorize_event(
        db_user(
            json!({"enrolledFactors": [{"type": "otp"}], "app_metadata": {"phone_number": "+33612345678"}}),
        ),
        &["openid", "phone"],
    );
    let config = default_config();
    let planned = done(&config, &event);
    let finished = config.finish(&view(&config, &event), &failed("mgmt_timeout"));
    assert_eq!(planned, finished);
    assert_phone(&finished, "+33612345678", false, "app_metadata");
}

#[test]
fn unsupported_profile_value_is_reported_as_such() {
    let config = compile(json!({"phone": {"sources": ["profile", "app_metadata"]}}));
    let event = authorize_event(
        sms_user(json!({"phone_number": null})),
        &["openid", "phone"],
    );
    let mut slots: Vec<String> = config
        .paths()
        .iter()
        .map(|p| p.read(&event).map(Value::to_string).unwrap_or_default())
        .collect();
    let index = config
        .paths()
        .iter()
        .position(|p| p.to_string() == "user.phone_number")
        .unwrap();
    slots[index] = "!unsupported".to_owned();
    let view = EventView::from_slot_bytes(slot_records(&slots.join("\n")), slots.len()).unwrap();
    let Plan::Done(decision) = config.plan(&view) else {
        panic!("no lookup expected without the mfa source")
    };
    assert!(
        decision
            .trace
            .iter()
            .any(|e| e.reason == Reason::UnsupportedValue && e.source.as_deref() == Some("profile")),
        "{}",
        trace_json(&decision)
    );
}

// --- real tenants: setup states, empty scope lists, malformed fields, national numbers --------

/// A database user with an MFA phone factor and a number in app_metadata.
fn enrolled_user_with_metadata_number() -> Value {
    db_user(json!({
        "enrolledFactors": [{"type": "phone", "options": {}}],
        "app_metadata": {"phone_number": "+44 20 7946 0958", "phone_verified": true}
    }))
}

#[test]
fn a_management_api_that_is_not_set_up_skips_the_mfa_source_for_the_next_one() {
    let config = default_config();
    let event = authorize_event(enrolled_user_with_metadata_number(), PHONE_SCOPES);
    lookup(&config, &event);
    for code in ["mgmt_not_configured", "mgmt_domain_refused"] {
        let outcome = LookupOutcome::from_failure(code, "the AUTH0_DOMAIN secret is not set");
        let decision = login(&config, &event, &outcome);
        assert!(!decision.lookup_failed, "a setup state is not a fault");
        assert_eq!(
            decision.mfa_not_configured.as_deref(),
            Some("the AUTH0_DOMAIN secret is not set")
        );
        assert_phone(&decision, "+442079460958", true, "app_metadata");
        let skipped = entry(&decision, PHONE_NUMBER, Reason::MfaNotConfigured);
        assert_eq!(skipped.outcome, Outcome::Skipped);
        assert_eq!(skipped.source.as_deref(), Some("mfa"));
        assert_eq!(skipped.failure.as_deref(), Some(code));
        assert!(skipped
            .detail
            .as_deref()
            .is_some_and(|d| d.contains("AUTH0_DOMAIN")));
        assert_steps(
            &decision,
            "SourceEmpty@profile > MfaNotConfigured@mfa > PhoneFound@app_metadata",
        );
    }
}

#[test]
fn a_fault_still_withholds_the_phone_claims() {
    let config = default_config();
    let event = authorize_event(enrolled_user_with_metadata_number(), PHONE_SCOPES);
    for code in [
        "mgmt_timeout",
        "mgmt_network",
        "mgmt_server_error",
        "mgmt_rate_limited",
        "mgmt_unauthorized",
        "mgmt_forbidden",
        "mgmt_bad_response",
        "mgmt_token_failed",
    ] {
        let decision = login(&config, &event, &LookupOutcome::from_failure(code, "x"));
        assert!(decision.lookup_failed, "{code}");
        assert_eq!(decision.mfa_not_configured, None);
        assert_both_skipped(&decision, Reason::LookupFailed, None);
    }
}

#[test]
fn mfa_as_the_only_source_without_setup_gives_no_number_and_no_fault() {
    let config = compile(json!({"phone": {"sources": ["mfa"]}}));
    let event = authorize_event(enrolled_user_with_metadata_number(), PHONE_SCOPES);
    let decision = login(
        &config,
        &event,
        &LookupOutcome::from_failure("mgmt_not_configured", "set the secrets"),
    );
    assert!(!decision.lookup_failed);
    assert_both_skipped(&decision, Reason::NoPhoneNumber, None);
}

#[test]
fn an_empty_requested_scopes_list_reads_the_request_like_an_absent_one() {
    let config = default_config();
    // ROPG with requested_scopes: [] and the scope in the body.
    let mut event = password_event(sms_user(json!({})), "openid phone");
    event["transaction"]["requested_scopes"] = json!([]);
    assert_phone(&done(&config, &event), "+15551234567", true, "profile");
    // A refresh-token exchange with [] and no scope parameter keeps the original grant.
    let mut event = refresh_event(sms_user(json!({})), "");
    remove(&mut event, "/request/body/scope");
    event["transaction"]["requested_scopes"] = json!([]);
    assert_phone(&done(&config, &event), "+15551234567", true, "profile");
    // A refresh-token exchange with [] that narrows the scope: the body decides.
    let mut event = refresh_event(sms_user(json!({})), "openid");
    event["transaction"]["requested_scopes"] = json!([]);
    assert_scope_skipped(&done(&config, &event), "request.body.scope");
}

#[test]
fn requested_scopes_of_the_wrong_type_is_named_as_malformed() {
    let config = default_config();
    // A string where Auth0 documents an array, with the body scope to fall back on.
    let mut event = password_event(sms_user(json!({})), "openid phone");
    event["transaction"]["requested_scopes"] = json!("openid phone");
    let decision = done(&config, &event);
    assert_phone(&decision, "+15551234567", true, "profile");
    let noted = entry(&decision, PHONE_NUMBER, Reason::MalformedEventData);
    assert_eq!(noted.outcome, Outcome::Noted);
    assert_eq!(
        noted.source.as_deref(),
        Some("transaction.requested_scopes")
    );
    assert!(noted
        .detail
        .as_deref()
        .is_some_and(|d| d.contains("a string")));
    // With nothing to fall back on the claims are skipped for that reason, not folded into
    // scope_not_requested.
    let mut event = authorize_event(sms_user(json!({})), PHONE_SCOPES);
    event["transaction"]["requested_scopes"] = json!("openid phone");
    remove(&mut event, "/request/query/scope");
    let decision = done(&config, &event);
    assert_no_phone(&decision);
    for claim in [PHONE_NUMBER, PHONE_NUMBER_VERIFIED] {
        let last = entries(&decision, claim)
            .last()
            .map(|e| (e.outcome, e.reason));
        assert_eq!(
            last,
            Some((Outcome::Skipped, Reason::MalformedEventData)),
            "{claim}"
        );
    }
    assert!(decision
        .trace
        .iter()
        .all(|e| e.reason != Reason::ScopeNotRequested));
}

#[test]
fn enrolled_factors_of_the_wrong_type_is_named_and_the_lookup_still_made() {
    let config = default_config();
    let user = db_user(json!({"enrolledFactors": {"type": "phone"}}));
    let event = authorize_event(user, PHONE_SCOPES);
    lookup(&config, &event);
    let decision = login(&config, &event, &one_phone("+15557654321", "sms"));
    assert_phone(&decision, "+15557654321", true, "mfa");
    let noted = entry(&decision, PHONE_NUMBER, Reason::MalformedEventData);
    assert_eq!(noted.outcome, Outcome::Noted);
    assert_eq!(noted.source.as_deref(), Some("user.enrolledFactors"));
    assert!(noted
        .detail
        .as_deref()
        .is_some_and(|d| d.contains("an object")));
}

#[test]
fn national_numbers_use_the_default_country_and_say_so() {
    let config = compile(json!({"phone": {"sources": ["app_metadata"], "defaultCountry": "gb"}}));
    let user =
        db_user(json!({"app_metadata": {"phone_number": "020 7946 0958", "phone_verified": true}}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_phone(&decision, "+442079460958", true, "app_metadata");
    let found = entry(&decision, PHONE_NUMBER, Reason::PhoneFound);
    let detail = found.detail.as_deref().unwrap_or_default();
    assert!(
        detail.contains("GB") && detail.contains("phone.defaultCountry"),
        "{detail}"
    );
    // Without a country the same number is refused as before.
    let config = compile(json!({"phone": {"sources": ["app_metadata"]}}));
    let user = db_user(json!({"app_metadata": {"phone_number": "020 7946 0958"}}));
    let decision = done(&config, &authorize_event(user, PHONE_SCOPES));
    assert_eq!(
        phone_steps(&decision).first(),
        Some(&step(Reason::PhoneNotInternational, "app_metadata"))
    );
}

#[test]
fn the_users_country_wins_over_the_default_when_valid() {
    let config = compile(json!({"phone": {
        "sources": ["app_metadata"],
        "defaultCountry": "GB",
        "countryPath": "user.app_metadata.country"
    }}));
    let with = |country: Value| {
        let user =
            db_user(json!({"app_metadata": {"phone_number": "06 6988 4321", "country": country}}));
        done(&config, &authorize_event(user, PHONE_SCOPES))
    };
    let decision = with(json!("it"));
    assert_phone(&decision, "+390669884321", false, "app_metadata");
    let detail = entry(&decision, PHONE_NUMBER, Reason::PhoneFound)
        .detail
        .clone()
        .unwrap_or_default();
    assert!(
        detail.contains("IT") && detail.contains("user.app_metadata.country"),
        "{detail}"
    );
    // Unknown or malformed codes fall back to the default (GB drops the trunk 0).
    for bad in [json!("XX"), json!("ITA"), json!(39), json!(null)] {
        assert_phone(
            &with(bad),
            "+4466988 4321".replace(' ', "").as_str(),
            false,
            "app_metadata",
        );
    }
    // The profile and the MFA numbers follow the same rule.
    let config = compile(json!({"phone": {"sources": ["profile"], "defaultCountry": "US"}}));
    let decision = done(
        &config,
        &authorize_event(
            sms_user(json!({"phone_number": "(415) 555-0123"})),
            PHONE_SCOPES,
        ),
    );
    assert_phone(&decision, "+14155550123", true, "profile");
    let config = compile(json!({"phone": {"sources": ["mfa"], "defaultCountry": "US"}}));
    let event = authorize_event(db_user(json!({})), PHONE_SCOPES);
    let decision = login(&config, &event, &one_phone("415 555 0123", "sms"));
    assert_phone(&decision, "+14155550123", true, "mfa");
}

#[test]
fn malformed_details_name_what_the_field_holds() {
    let config = default_config();
    let mut event = authorize_event(sms_user(json!({})), PHONE_SCOPES);
    event["transaction"]["requested_scopes"] = json!([1, null]);
    let decision = done(&config, &event);
    let noted = entry(&decision, PHONE_NUMBER, Reason::MalformedEventData);
    assert_eq!(
        noted.detail.as_deref(),
        Some("transaction.requested_scopes is an array with non-string items, not an array of strings (malformed event data); read as absent")
    );
    // The query still holds the scope: the claims are set from it.
    assert_phone(&decision, "+15551234567", true, "profile");
    let config = compile(json!({"phone": {"sources": ["profile"]}}));
    let event = authorize_event(sms_user(json!({"phone_verified": ["yes"]})), PHONE_SCOPES);
    let decision = done(&config, &event);
    let verified = entry(&decision, PHONE_NUMBER_VERIFIED, Reason::MalformedEventData);
    assert!(
        verified.detail.as_deref().is_some_and(|d| d
            .contains("user.phone_verified is an array, not true or false (malformed event data)")),
        "{:?}",
        verified.detail
    );
}

/// `sort_small` sorts as the standard stable sort does: repeated keys keep their order.
#[test]
fn sort_small_is_a_stable_sort() {
    let cases: [&[u8]; 6] = [
        &[],
        &[1],
        &[2, 1],
        &[3, 1, 2, 1, 3, 0],
        &[5, 4, 3, 2, 1, 0],
        &[1, 1, 1],
    ];
    for case in cases {
        let mut ours: Vec<(u8, usize)> = case.iter().copied().zip(0..).collect();
        let mut standard = ours.clone();
        sort_small(&mut ours, |a, b| a.0 < b.0);
        standard.sort_by_key(|item| item.0);
        assert_eq!(ours, standard, "{case:?}");
    }
}
