//! Which scopes the login requested. Auth0 gives them in `transaction.requested_scopes` for
//! `/authorize` logins, but leaves that undefined in the password grant and in refresh-token
//! exchanges, where the scope is only in the raw request (`request.body.scope`, or
//! `request.query.scope`), space separated.
//!
//! A refresh-token exchange may carry no scope at all: the tokens then get the scopes of the
//! original grant, which the event does not show. The phone claims are produced in that case;
//! Auth0 itself removes them when the original grant had no `phone` scope.

use crate::engine::json::Kind;
use crate::event::Slot;

/// Where the requested scopes were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeSource {
    RequestedScopes,
    RequestBody,
    RequestQuery,
    /// A refresh-token exchange without a scope parameter: the original grant's scopes apply.
    OriginalGrant,
    /// None of the three places held scopes.
    Nowhere,
}

impl ScopeSource {
    pub fn path(self) -> &'static str {
        match self {
            ScopeSource::RequestedScopes => "transaction.requested_scopes",
            ScopeSource::RequestBody => "request.body.scope",
            ScopeSource::RequestQuery => "request.query.scope",
            ScopeSource::OriginalGrant => "transaction.protocol (refresh token: original grant)",
            ScopeSource::Nowhere => {
                "transaction.requested_scopes, request.body.scope, request.query.scope"
            }
        }
    }
}

/// The answer for one scope: whether it was requested, where that was read, and which places
/// held a value of the wrong type (read as absent, so the next place was consulted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeCheck {
    pub requested: bool,
    pub source: ScopeSource,
    /// Places holding malformed data, in the order consulted; empty on well-formed events (and
    /// then allocation-free).
    pub malformed: Vec<ScopeSource>,
}

/// Decides whether `wanted` was requested, from the three slots in Auth0's order of precedence.
///
/// `transaction.requested_scopes` "does not contain the expected information" in the password
/// and refresh-token flows, where Auth0 leaves it undefined or sends `[]`: an empty array counts
/// as absent, like a missing one. A place holding the wrong type (a string where an array of
/// strings belongs, a number where a space-separated string belongs) counts as absent too, and is
/// reported in `malformed`. `protocol` is `transaction.protocol`, consulted only when no place
/// holds scopes.
pub fn check(
    wanted: &str,
    requested_scopes: &Slot<'_>,
    body_scope: &Slot<'_>,
    query_scope: &Slot<'_>,
    protocol: &Slot<'_>,
) -> ScopeCheck {
    let mut malformed = Vec::new();
    match requested_scopes.kind() {
        Some(Kind::Array) => {
            let (mut strings, mut others, mut found) = (false, false, false);
            for item in requested_scopes.items() {
                match item.as_str() {
                    Some(scope) => {
                        strings = true;
                        found |= scope == wanted;
                    }
                    None => others = true,
                }
            }
            if others {
                malformed.push(ScopeSource::RequestedScopes);
            }
            if strings {
                return ScopeCheck {
                    requested: found,
                    source: ScopeSource::RequestedScopes,
                    malformed,
                };
            }
        }
        Some(_) => malformed.push(ScopeSource::RequestedScopes),
        None => {}
    }
    for (slot, source) in [
        (body_scope, ScopeSource::RequestBody),
        (query_scope, ScopeSource::RequestQuery),
    ] {
        match slot.as_str() {
            Some(text) => {
                return ScopeCheck {
                    requested: text.split_ascii_whitespace().any(|scope| scope == wanted),
                    source,
                    malformed,
                }
            }
            None if slot.is_value() => malformed.push(source),
            None => {}
        }
    }
    if protocol.as_str().as_deref() == Some(REFRESH_TOKEN_PROTOCOL) {
        return ScopeCheck {
            requested: true,
            source: ScopeSource::OriginalGrant,
            malformed,
        };
    }
    ScopeCheck {
        requested: false,
        source: ScopeSource::Nowhere,
        malformed,
    }
}

/// `transaction.protocol` of a refresh-token exchange.
pub const REFRESH_TOKEN_PROTOCOL: &str = "oauth2-refresh-token";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::SlotFault;
    use serde_json::json;

    fn v(value: serde_json::Value) -> Slot<'static> {
        crate::test_support::slot(value)
    }

    /// The three scope places, for a login that is not a refresh-token exchange.
    fn check(wanted: &str, requested: &Slot<'_>, body: &Slot<'_>, query: &Slot<'_>) -> ScopeCheck {
        super::check(
            wanted,
            requested,
            body,
            query,
            &v(json!("oidc-basic-profile")),
        )
    }

    #[test]
    fn refresh_without_scope_parameter_keeps_the_original_grant() {
        let refresh = v(json!(REFRESH_TOKEN_PROTOCOL));
        let c = super::check(
            "phone",
            &Slot::Missing,
            &Slot::Missing,
            &Slot::Missing,
            &refresh,
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: true,
                source: ScopeSource::OriginalGrant,
                malformed: vec![]
            }
        );
        // A scope parameter on the refresh narrows the grant: it is what counts.
        let c = super::check(
            "phone",
            &Slot::Missing,
            &v(json!("openid")),
            &Slot::Missing,
            &refresh,
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: false,
                source: ScopeSource::RequestBody,
                malformed: vec![]
            }
        );
        // The password grant without a scope requested nothing.
        let c = super::check(
            "phone",
            &Slot::Missing,
            &Slot::Missing,
            &Slot::Missing,
            &v(json!("oauth2-password")),
        );
        assert_eq!(c.source, ScopeSource::Nowhere);
        assert!(!c.requested);
    }

    #[test]
    fn requested_scopes_wins_when_present() {
        let c = check(
            "phone",
            &v(json!(["openid", "phone"])),
            &v(json!("openid")),
            &Slot::Missing,
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: true,
                source: ScopeSource::RequestedScopes,
                malformed: vec![]
            }
        );
        // Present but without phone: the body is not consulted.
        let c = check(
            "phone",
            &v(json!(["openid"])),
            &v(json!("openid phone")),
            &Slot::Missing,
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: false,
                source: ScopeSource::RequestedScopes,
                malformed: vec![]
            }
        );
    }

    #[test]
    fn body_scope_for_password_and_refresh_grants() {
        let c = check(
            "phone",
            &Slot::Missing,
            &v(json!("openid  phone\toffline_access")),
            &Slot::Missing,
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: true,
                source: ScopeSource::RequestBody,
                malformed: vec![]
            }
        );
        let c = check(
            "phone",
            &Slot::Missing,
            &v(json!("openid phones")),
            &v(json!("phone")),
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: false,
                source: ScopeSource::RequestBody,
                malformed: vec![]
            }
        );
    }

    #[test]
    fn query_scope_last() {
        let c = check(
            "phone",
            &Slot::Missing,
            &Slot::Missing,
            &v(json!("openid phone")),
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: true,
                source: ScopeSource::RequestQuery,
                malformed: vec![]
            }
        );
    }

    #[test]
    fn wrong_types_and_faults_fall_through_and_are_reported() {
        let c = check(
            "phone",
            &v(json!("openid phone")),
            &Slot::Fault(SlotFault::Unreadable),
            &v(json!("phone")),
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: true,
                source: ScopeSource::RequestQuery,
                malformed: vec![ScopeSource::RequestedScopes]
            }
        );
        let c = check(
            "phone",
            &v(json!([1, null, {"phone": true}])),
            &Slot::Missing,
            &Slot::Missing,
        );
        assert_eq!(
            c,
            ScopeCheck {
                requested: false,
                source: ScopeSource::Nowhere,
                malformed: vec![ScopeSource::RequestedScopes]
            }
        );
        // String items of a list with a stray non-string still count.
        let c = check(
            "phone",
            &v(json!(["openid", 7, "phone"])),
            &Slot::Missing,
            &Slot::Missing,
        );
        assert_eq!(
            (c.requested, c.source, c.malformed),
            (
                true,
                ScopeSource::RequestedScopes,
                vec![ScopeSource::RequestedScopes]
            )
        );
    }

    #[test]
    fn nowhere() {
        let c = check("phone", &Slot::Missing, &v(json!(42)), &Slot::Missing);
        assert_eq!(
            c,
            ScopeCheck {
                requested: false,
                source: ScopeSource::Nowhere,
                malformed: vec![ScopeSource::RequestBody]
            }
        );
        let c = check("phone", &Slot::Missing, &Slot::Missing, &Slot::Missing);
        assert!(c.malformed.is_empty());
    }

    /// Auth0 sends `requested_scopes: []` where it has nothing to say (password grant, refresh
    /// token): the raw request decides, as when the field is absent.
    #[test]
    fn an_empty_requested_scopes_counts_as_absent() {
        let empty = v(json!([]));
        let c = check("phone", &empty, &v(json!("openid phone")), &Slot::Missing);
        assert_eq!(
            c,
            ScopeCheck {
                requested: true,
                source: ScopeSource::RequestBody,
                malformed: vec![]
            }
        );
        let c = check("phone", &empty, &Slot::Missing, &v(json!("openid phone")));
        assert_eq!((c.requested, c.source), (true, ScopeSource::RequestQuery));
        let refresh = v(json!(REFRESH_TOKEN_PROTOCOL));
        let c = super::check("phone", &empty, &Slot::Missing, &Slot::Missing, &refresh);
        assert_eq!((c.requested, c.source), (true, ScopeSource::OriginalGrant));
        let c = check("phone", &empty, &Slot::Missing, &Slot::Missing);
        assert_eq!((c.requested, c.source), (false, ScopeSource::Nowhere));
        assert!(c.malformed.is_empty());
    }

    #[test]
    fn case_and_substrings_do_not_match() {
        let c = check(
            "phone",
            &v(json!(["PHONE", "phone_number", "telephone"])),
            &Slot::Missing,
            &Slot::Missing,
        );
        assert!(!c.requested);
    }
}

// Native only: proptest has no wasm32-unknown-unknown randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use crate::event::SlotFault;
    use crate::test_support::slot as test_slot;
    use proptest::prelude::*;
    use serde_json::json;

    const WORDS: &[&str] = &[
        "openid",
        "profile",
        "email",
        "phone",
        "offline_access",
        "phones",
        "telephone",
        "PHONE",
        "phone:read",
        "",
    ];
    const GAPS: &[&str] = &[" ", "  ", "\t", "\n", "\r\n", " \u{c} "];

    fn scope_text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (prop::sample::select(WORDS), prop::sample::select(GAPS)),
            0..6,
        )
        .prop_map(|parts| parts.into_iter().map(|(w, g)| format!("{w}{g}")).collect())
    }

    /// Anything a slot can hold: absent, a fault, scope text, a list, or a wrong type.
    fn slot() -> impl Strategy<Value = Slot<'static>> {
        prop_oneof![
            Just(Slot::Missing),
            Just(Slot::Fault(SlotFault::Unreadable)),
            Just(Slot::Fault(SlotFault::Unsupported)),
            scope_text().prop_map(|t| test_slot(json!(t))),
            prop::collection::vec(prop::sample::select(WORDS), 0..4)
                .prop_map(|w| test_slot(json!(w))),
            prop_oneof![
                Just(json!(7)),
                Just(json!(true)),
                Just(json!({"phone": true})),
                Just(json!([1, null, ["phone"]])),
                Just(json!("oauth2-refresh-token")),
            ]
            .prop_map(test_slot),
        ]
    }

    fn protocol() -> impl Strategy<Value = Slot<'static>> {
        prop_oneof![
            slot(),
            Just(test_slot(json!(REFRESH_TOKEN_PROTOCOL))),
            Just(test_slot(json!("oidc-basic-profile"))),
        ]
    }

    fn holds_scopes(slot: &Slot<'_>) -> bool {
        slot.as_str().is_some()
    }

    /// A list with at least one string: the only kind of requested_scopes that decides.
    fn is_deciding_list(slot: &Slot<'_>) -> bool {
        slot.kind() == Some(Kind::Array) && slot.items().any(|i| i.kind() == Kind::String)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// A non-empty list of strings in transaction.requested_scopes decides alone, by exact
        /// items.
        #[test]
        fn a_scope_list_decides_alone(
            items in prop::collection::vec(prop::sample::select(WORDS), 1..5),
            body in slot(), query in slot(), proto in protocol(),
            other_body in slot(), other_query in slot(), other_proto in protocol(),
        ) {
            let list = test_slot(json!(items));
            let c = check("phone", &list, &body, &query, &proto);
            prop_assert_eq!(&c, &check("phone", &list, &other_body, &other_query, &other_proto));
            prop_assert_eq!(c.source, ScopeSource::RequestedScopes);
            prop_assert_eq!(c.requested, items.contains(&"phone"));
            prop_assert!(c.malformed.is_empty());
        }

        /// Otherwise the first string of body and query decides, by whole space-separated words.
        #[test]
        fn scope_text_is_matched_by_whole_words(
            scopes in slot().prop_filter("not a deciding list", |s| !is_deciding_list(s)),
            body in slot(), query in slot(), proto in protocol(),
        ) {
            let c = check("phone", &scopes, &body, &query, &proto);
            let text = [(&body, ScopeSource::RequestBody), (&query, ScopeSource::RequestQuery)]
                .into_iter()
                .find(|(slot, _)| holds_scopes(slot));
            match text {
                Some((slot, source)) => {
                    let text = slot.as_str().unwrap_or_default();
                    let words: Vec<&str> = text
                        .split([' ', '\t', '\n', '\r', '\u{c}'])
                        .collect();
                    prop_assert_eq!((c.requested, c.source), (words.contains(&"phone"), source));
                }
                None if proto.as_str().as_deref() == Some(REFRESH_TOKEN_PROTOCOL) => {
                    prop_assert_eq!((c.requested, c.source), (true, ScopeSource::OriginalGrant));
                }
                None => prop_assert_eq!((c.requested, c.source), (false, ScopeSource::Nowhere)),
            }
        }

        /// Faults and wrong types are the same as nothing there.
        #[test]
        fn faults_and_wrong_types_count_as_absent(
            scopes in slot(), body in slot(), query in slot(), proto in protocol(),
        ) {
            let absent = |slot: &Slot<'static>, keep: fn(&Slot<'_>) -> bool| if keep(slot) { *slot } else { Slot::Missing };
            let c = check("phone", &scopes, &body, &query, &proto);
            let cleaned = check(
                "phone",
                &absent(&scopes, is_deciding_list),
                &absent(&body, holds_scopes),
                &absent(&query, holds_scopes),
                &absent(&proto, holds_scopes),
            );
            prop_assert_eq!((c.requested, c.source), (cleaned.requested, cleaned.source));
            prop_assert!(cleaned.malformed.is_empty());
        }

        /// Exactly the places holding a value of the wrong type are reported, in order, among
        /// those consulted before the deciding one.
        #[test]
        fn malformed_places_are_reported(
            scopes in slot(), body in slot(), query in slot(), proto in protocol(),
        ) {
            let c = check("phone", &scopes, &body, &query, &proto);
            let wrong_list = |s: &Slot<'_>| match s.kind() {
                Some(Kind::Array) => s.items().any(|i| i.kind() != Kind::String),
                Some(_) => true,
                None => false,
            };
            let wrong_text = |s: &Slot<'_>| s.kind().is_some_and(|k| k != Kind::String);
            let mut expected = Vec::new();
            if wrong_list(&scopes) {
                expected.push(ScopeSource::RequestedScopes);
            }
            if !is_deciding_list(&scopes) {
                if wrong_text(&body) {
                    expected.push(ScopeSource::RequestBody);
                }
                if !holds_scopes(&body) && wrong_text(&query) {
                    expected.push(ScopeSource::RequestQuery);
                }
            }
            prop_assert_eq!(c.malformed, expected);
        }
    }
}
