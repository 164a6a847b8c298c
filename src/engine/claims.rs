//! Claim names: which ones Auth0 drops without a word, and which ones must not sit at the root of
//! an access token. Every rule here turns into a configuration issue at compile time, so that a
//! claim never silently goes missing in production.

/// Claim names Auth0 silently ignores when an Action sets them (Auth0 docs: Create custom
/// claims, "General restrictions"). Matched exactly, as Auth0 does.
pub const RESTRICTED_NAMES: &[&str] = &[
    "acr",
    "act",
    "active",
    "amr",
    "at_hash",
    "ath",
    "attest",
    "aud",
    "auth_time",
    "authorization_details",
    "azp",
    "c_hash",
    "client_id",
    "cnf",
    "cty",
    "dest",
    "entitlements",
    "events",
    "exp",
    "groups",
    "gty",
    "htm",
    "htu",
    "iat",
    "internalService",
    "iss",
    "jcard",
    "jku",
    "jti",
    "jwe",
    "jwk",
    "kid",
    "may_act",
    "mky",
    "nbf",
    "nonce",
    "object_id",
    "org_id",
    "org_name",
    "orig",
    "origid",
    "permissions",
    "roles",
    "rph",
    "s_hash",
    "sid",
    "sip_callid",
    "sip_cseq_num",
    "sip_date",
    "sip_from_tag",
    "sip_via_branch",
    "sub",
    "sub_jwk",
    "toe",
    "txn",
    "typ",
    "uuid",
    "vot",
    "vtm",
    "x5t#S256",
];

/// Namespaces Auth0 keeps for itself; a claim whose name contains one is ignored.
pub const RESERVED_NAMESPACES: &[&str] = &["auth0.com", "webtask.io", "webtask.run"];

/// The standard OIDC claims (OIDC Core 1.0 §5.1). At the root of an access token these have
/// corrupted tokens; there only namespaced names are safe.
pub const STANDARD_OIDC_CLAIMS: &[&str] = &[
    "sub",
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
];

/// The two claims the phone policy produces on the ID token.
pub const PHONE_NUMBER: &str = "phone_number";
pub const PHONE_NUMBER_VERIFIED: &str = "phone_number_verified";

/// Which token a claim goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Token {
    Id,
    Access,
}

impl Token {
    /// The name used in the configuration and in the trace.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn key(self) -> &'static str {
        match self {
            Token::Id => "idToken",
            Token::Access => "accessToken",
        }
    }
}

/// Why Auth0 would not accept a claim name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    Restricted,
    /// The name's host is a reserved namespace or one of its subdomains: Auth0 ignores it.
    ReservedNamespace(&'static str),
    /// A reserved namespace appears elsewhere in the name (a path segment, inside a longer host
    /// such as `auth0.com.example.org` or `myauth0.com`): Auth0 documents no such rule, so it
    /// is only a doubt.
    NamespaceLookalike(&'static str),
    StandardClaimInAccessToken,
}

/// Checks a claim name for a token against the rules Auth0 enforces silently.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn check_name(token: Token, name: &str) -> Option<NameProblem> {
    if name.trim().is_empty() {
        return Some(NameProblem::Empty);
    }
    if RESTRICTED_NAMES.contains(&name) {
        return Some(NameProblem::Restricted);
    }
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("urn:auth0") {
        return Some(NameProblem::ReservedNamespace("urn:auth0"));
    }
    let host = name_host(&lower);
    if let Some(ns) = RESERVED_NAMESPACES
        .iter()
        .find(|ns| is_domain_or_subdomain(host, ns))
    {
        return Some(NameProblem::ReservedNamespace(ns));
    }
    if let Some(ns) = RESERVED_NAMESPACES
        .iter()
        .find(|ns| find(&lower, ns).is_some())
    {
        return Some(NameProblem::NamespaceLookalike(ns));
    }
    if token == Token::Access && STANDARD_OIDC_CLAIMS.contains(&name) {
        return Some(NameProblem::StandardClaimInAccessToken);
    }
    None
}

/// The host part of a (lower-cased) claim name: after an optional `scheme://`, up to the first
/// `/`, `?` or `#`, without user info or port. A name without a scheme is read the same way, so
/// `tenant.auth0.com/plan` has the host `tenant.auth0.com`.
#[cfg_attr(login_claims_size, optimize(size))]
fn name_host(name: &str) -> &str {
    let split = find(name, "://").and_then(|at| Some((name.get(..at)?, name.get(at + 3..)?)));
    let after_scheme = match split {
        Some((scheme, rest))
            if !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) =>
        {
            rest
        }
        _ => name,
    };
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    host_port.split(':').next().unwrap_or_default()
}

/// Where `needle` first occurs in `haystack`. Names are short, so a plain scan does; the
/// standard library's substring searcher would add 2.6 KB to the module for these two uses.
fn find(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len().max(1))
        .position(|window| window == needle.as_bytes())
}

/// True when `host` is `domain` or one of its subdomains: `auth0.com` and `tenant.auth0.com`
/// are, `notauth0.com` and `auth0.com.example.org` are not.
#[cfg_attr(login_claims_size, optimize(size))]
fn is_domain_or_subdomain(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|head| head.ends_with('.'))
}

/// A namespaced name suggested in fixes: `https://example.com/<name>`, or
/// `https://example.com/claim` when that would itself be refused (`auth0.com` as the last part).
#[cfg_attr(login_claims_size, optimize(size))]
pub fn namespaced_example(name: &str) -> String {
    let tail = name.rsplit('/').next().unwrap_or(name);
    let example = cat!("https://example.com/", tail);
    if tail.trim().is_empty() || check_name(Token::Access, &example).is_some() {
        "https://example.com/claim".to_owned()
    } else {
        example
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_restricted_name_is_refused_on_both_tokens() {
        // The list as Auth0's "Create custom claims" page gives it, copied independently of the
        // table above so that a name missing there fails here.
        let documented = "acr act active amr at_hash ath attest aud auth_time \
            authorization_details azp c_hash client_id cnf cty dest entitlements events exp \
            groups gty htm htu iat internalService iss jcard jku jti jwe jwk kid may_act mky nbf \
            nonce object_id org_id org_name orig origid permissions roles rph s_hash sid \
            sip_callid sip_cseq_num sip_date sip_from_tag sip_via_branch sub sub_jwk toe txn typ \
            uuid vot vtm x5t#S256";
        let documented: Vec<&str> = documented.split_whitespace().collect();
        assert_eq!(documented.len(), RESTRICTED_NAMES.len());
        for name in documented {
            for token in [Token::Id, Token::Access] {
                assert_eq!(
                    check_name(token, name),
                    Some(NameProblem::Restricted),
                    "{name} on {token:?}"
                );
            }
        }
    }

    #[test]
    fn restricted_names_match_exactly() {
        assert_eq!(check_name(Token::Id, "Roles"), None);
        assert_eq!(check_name(Token::Id, "my_roles"), None);
        assert_eq!(check_name(Token::Id, "x5t#s256"), None);
    }

    #[test]
    fn only_a_real_scheme_is_read_as_one_when_finding_the_host() {
        // Text before "://" that is no URI scheme is part of the name, so the host is not the
        // reserved domain after it: a doubt, not a documented drop.
        for name in ["://auth0.com/x", "a b://auth0.com/x", "x_y://auth0.com/x"] {
            assert_eq!(
                check_name(Token::Id, name),
                Some(NameProblem::NamespaceLookalike("auth0.com")),
                "{name}"
            );
        }
        for name in [
            "https://auth0.com/x",
            "git+ssh://auth0.com/x",
            "a.b-c://auth0.com/x",
        ] {
            assert_eq!(
                check_name(Token::Id, name),
                Some(NameProblem::ReservedNamespace("auth0.com")),
                "{name}"
            );
        }
        assert_eq!(
            name_host("https://user@tenant.auth0.com:8443/p?q#f"),
            "tenant.auth0.com"
        );
        assert_eq!(name_host("tenant.auth0.com?x"), "tenant.auth0.com");
        assert_eq!(name_host("tenant.auth0.com#x"), "tenant.auth0.com");
    }

    #[test]
    fn reserved_namespaces_are_refused() {
        for name in [
            "https://auth0.com/roles",
            "https://tenant.auth0.com/plan",
            "http://x.webtask.io/a",
            "https://WEBTASK.RUN/a",
            "urn:auth0:roles",
            "URN:AUTH0:x",
        ] {
            assert!(
                matches!(
                    check_name(Token::Id, name),
                    Some(NameProblem::ReservedNamespace(_))
                ),
                "{name}"
            );
        }
        assert_eq!(
            check_name(Token::Id, "https://my-app.example.com/roles"),
            None
        );
    }

    #[test]
    fn only_the_domain_and_its_subdomains_are_the_reserved_namespace() {
        // A subdomain is the domain after a dot; any other host that merely ends with (or
        // contains) the domain's letters is a different host, so only a doubt.
        for host in [
            "auth0.com",
            "x.auth0.com",
            "a.b.auth0.com",
            "AUTH0.COM",
            "X.Auth0.Com",
        ] {
            for name in [format!("https://{host}/plan"), format!("{host}/plan")] {
                assert_eq!(
                    check_name(Token::Id, &name),
                    Some(NameProblem::ReservedNamespace("auth0.com")),
                    "{name}"
                );
            }
        }
        for host in [
            "notauth0.com",
            "my-auth0.com",
            "auth0.com.evil.example",
            "auth0.co",
            "xauth0.com",
        ] {
            let name = format!("https://{host}/plan");
            let expected = host
                .contains("auth0.com")
                .then_some(NameProblem::NamespaceLookalike("auth0.com"));
            assert_eq!(check_name(Token::Id, &name), expected, "{name}");
        }
        assert!(is_domain_or_subdomain("auth0.com", "auth0.com"));
        assert!(is_domain_or_subdomain("x.auth0.com", "auth0.com"));
        assert!(!is_domain_or_subdomain("notauth0.com", "auth0.com"));
        assert!(!is_domain_or_subdomain("my-auth0.com", "auth0.com"));
        assert!(!is_domain_or_subdomain(
            "auth0.com.evil.example",
            "auth0.com"
        ));
        assert!(!is_domain_or_subdomain("uth0.com", "auth0.com"));
        assert!(!is_domain_or_subdomain("", "auth0.com"));
        assert!(!is_domain_or_subdomain("auth0.com", "x.auth0.com"));
    }

    #[test]
    fn the_host_of_a_name_is_its_authority_without_user_and_port() {
        // WHATWG URL: scheme ":" "//" [userinfo "@"] host [":" port] then path, query or
        // fragment; a name without a scheme is read the same way.
        let cases = [
            ("https://tenant.auth0.com/plan", "tenant.auth0.com"),
            ("tenant.auth0.com/plan", "tenant.auth0.com"),
            ("tenant.auth0.com", "tenant.auth0.com"),
            ("https://a@b.example:1/x", "b.example"),
            ("https://a@b@c.example/x", "c.example"),
            ("https://c.example:443", "c.example"),
            ("https://c.example?q", "c.example"),
            ("https://c.example#f", "c.example"),
            ("https://", ""),
            ("roles", "roles"),
        ];
        for (name, host) in cases {
            assert_eq!(name_host(name), host, "{name}");
        }
    }

    #[test]
    fn standard_claims_only_refused_at_access_token_root() {
        for name in STANDARD_OIDC_CLAIMS {
            if RESTRICTED_NAMES.contains(name) {
                continue;
            }
            assert_eq!(
                check_name(Token::Access, name),
                Some(NameProblem::StandardClaimInAccessToken),
                "{name}"
            );
            assert_eq!(check_name(Token::Id, name), None, "{name}");
        }
        assert_eq!(check_name(Token::Access, "https://example.com/email"), None);
    }

    #[test]
    fn empty_names_are_refused() {
        assert_eq!(check_name(Token::Id, ""), Some(NameProblem::Empty));
        assert_eq!(check_name(Token::Access, "  "), Some(NameProblem::Empty));
    }

    #[test]
    fn namespaced_example_uses_the_last_segment() {
        assert_eq!(namespaced_example("roles"), "https://example.com/roles");
        assert_eq!(namespaced_example("a/b"), "https://example.com/b");
        assert_eq!(namespaced_example("a/"), "https://example.com/claim");
    }
}

// Native only: proptest has no wasm32-unknown-unknown randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn token() -> impl Strategy<Value = Token> {
        prop_oneof![Just(Token::Id), Just(Token::Access)]
    }

    /// Flips the ASCII case of the characters `mask` selects.
    fn recase(text: &str, mask: &[bool]) -> String {
        text.chars()
            .zip(mask.iter().cycle())
            .map(|(c, &flip)| match (flip, c.is_ascii_lowercase()) {
                (false, _) => c,
                (true, true) => c.to_ascii_uppercase(),
                (true, false) => c.to_ascii_lowercase(),
            })
            .collect()
    }

    /// Found by `the_suggested_name_is_always_accepted`: the fix for `auth0.com` suggested
    /// `https://example.com/auth0.com`, which is in the same reserved namespace.
    #[test]
    fn a_suggestion_never_repeats_a_reserved_namespace() {
        for name in [
            "auth0.com",
            "https://x.example.com/webtask.io",
            "WEBTASK.RUN",
        ] {
            assert_eq!(
                namespaced_example(name),
                "https://example.com/claim",
                "{name}"
            );
        }
        assert_eq!(
            namespaced_example("https://tenant.auth0.com/plan"),
            "https://example.com/plan"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_name_gets_an_answer(name in any::<String>(), token in token()) {
            let first = check_name(token, &name);
            prop_assert_eq!(first, check_name(token, &name));
            if name.trim().is_empty() {
                prop_assert_eq!(first, Some(NameProblem::Empty));
            }
        }

        #[test]
        fn restricted_names_are_refused_exactly(
            name in prop::sample::select(RESTRICTED_NAMES),
            mask in prop::collection::vec(any::<bool>(), 1..8),
            token in token(),
        ) {
            prop_assert_eq!(check_name(token, name), Some(NameProblem::Restricted));
            let variant = recase(name, &mask);
            if variant != name && !RESTRICTED_NAMES.contains(&variant.as_str()) {
                prop_assert_ne!(check_name(token, &variant), Some(NameProblem::Restricted));
            }
            // Namespaced, the same word is a fine claim name.
            prop_assert_eq!(check_name(token, &format!("https://my-app.example.com/{name}")), None);
        }

        #[test]
        fn reserved_namespaces_are_refused_in_any_case_and_position(
            ns in prop::sample::select(RESERVED_NAMESPACES),
            scheme in prop::sample::select(&["", "https://", "http://"][..]),
            sub in "([a-z0-9-]{1,10}\\.){0,2}",
            path in "(/[a-z0-9_-]{0,10}){0,3}",
            mask in prop::collection::vec(any::<bool>(), 1..12),
            token in token(),
        ) {
            let name = recase(&format!("{scheme}{sub}{ns}{path}"), &mask);
            prop_assert_eq!(check_name(token, &name), Some(NameProblem::ReservedNamespace(ns)), "{}", name);
        }

        #[test]
        fn urn_auth0_is_refused_in_any_case(rest in "[:a-z0-9_-]{0,12}", mask in prop::collection::vec(any::<bool>(), 1..12)) {
            let name = recase(&format!("urn:auth0{rest}"), &mask);
            prop_assert_eq!(check_name(Token::Id, &name), Some(NameProblem::ReservedNamespace("urn:auth0")));
        }

        #[test]
        fn names_under_your_own_domain_are_accepted(
            label in "[a-z0-9][a-z0-9-]{0,12}",
            path in "(/[a-zA-Z0-9_#-]{1,12}){1,3}",
            token in token(),
        ) {
            let name = format!("https://{label}.example.com{path}");
            prop_assert_eq!(check_name(token, &name), None, "{}", name);
        }

        #[test]
        fn standard_claims_are_refused_only_at_the_access_token_root(name in prop::sample::select(STANDARD_OIDC_CLAIMS)) {
            if !RESTRICTED_NAMES.contains(&name) {
                prop_assert_eq!(check_name(Token::Access, name), Some(NameProblem::StandardClaimInAccessToken));
                prop_assert_eq!(check_name(Token::Id, name), None);
            }
        }

        /// The fix a configuration issue suggests must itself be a name Auth0 keeps.
        #[test]
        fn the_suggested_name_is_always_accepted(
            name in prop_oneof![
                any::<String>(),
                "[a-z/.:]{0,6}(auth0\\.com|webtask\\.io|webtask\\.run|urn:auth0)[a-z/.]{0,6}",
            ],
            token in token(),
        ) {
            let example = namespaced_example(&name);
            prop_assert!(example.starts_with("https://example.com/"));
            prop_assert_eq!(check_name(token, &example), None, "{} suggested for {:?}", example, name);
        }
    }
}
