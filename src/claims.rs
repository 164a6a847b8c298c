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
    ReservedNamespace(&'static str),
    StandardClaimInAccessToken,
}

/// Checks a claim name for a token against the rules Auth0 enforces silently.
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
    if let Some(ns) = RESERVED_NAMESPACES
        .iter()
        .find(|ns| contains_domain(&lower, ns))
    {
        return Some(NameProblem::ReservedNamespace(ns));
    }
    if token == Token::Access && STANDARD_OIDC_CLAIMS.contains(&name) {
        return Some(NameProblem::StandardClaimInAccessToken);
    }
    None
}

/// True when `domain` occurs in `name` as a whole domain or a parent domain of one:
/// `https://auth0.com/x` and `tenant.auth0.com` do, `https://notauth0.com/x` and
/// `auth0.community` do not.
fn contains_domain(name: &str, domain: &str) -> bool {
    let label_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    name.match_indices(domain).any(|(at, _)| {
        let before = name.get(..at).and_then(|s| s.chars().next_back());
        let after = name.get(at + domain.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(label_char) && !after.is_some_and(label_char)
    })
}

/// A namespaced name suggested in fixes: `https://example.com/<name>`.
pub fn namespaced_example(name: &str) -> String {
    let tail = name.rsplit('/').next().unwrap_or(name);
    let tail = if tail.trim().is_empty() {
        "claim"
    } else {
        tail
    };
    format!("https://example.com/{tail}")
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
