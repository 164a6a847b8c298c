//! From the Action's secrets to where the lookup goes (the site) and how it authenticates.
//!
//! `AUTH0_DOMAIN` names the site: a host name (reached over https) or an origin; plain http only
//! to a loopback host. `AUTH0_TENANT_DOMAIN`, when set, names the canonical tenant domain the
//! token's audience must carry when `AUTH0_DOMAIN` is a custom domain. Client credentials
//! (`MANAGEMENT_CLIENT_ID` + `MANAGEMENT_CLIENT_SECRET`) win over a static
//! `MANAGEMENT_API_TOKEN`. Every value is trimmed; an empty one counts as not set.

use super::failures::{fail, Fail, MgmtFailure};
use crate::transport::{header_safe, parse_origin, OriginRefusal};

/// The secrets the lookup reads, in the order [`super::Lookup::secrets`] takes their values.
pub const SECRET_NAMES: &[&str] = &[
    "AUTH0_DOMAIN",
    "AUTH0_TENANT_DOMAIN",
    "MANAGEMENT_CLIENT_ID",
    "MANAGEMENT_CLIENT_SECRET",
    "MANAGEMENT_API_TOKEN",
];

/// Where requests go, and the audience the token is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Site {
    /// `https://tenant.eu.auth0.com`: requests go here.
    pub origin: String,
    /// `https://tenant.eu.auth0.com/api/v2/`, or the same of `AUTH0_TENANT_DOMAIN`.
    pub audience: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credentials {
    Client {
        client_id: String,
        client_secret: String,
    },
    /// `MANAGEMENT_API_TOKEN`: used as is, never cached, never renewed.
    Static(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    pub site: Site,
    pub credentials: Credentials,
}

/// `values` in the order of [`SECRET_NAMES`]; a missing or blank one is `None`.
pub(crate) fn resolve(values: &[Option<String>]) -> Result<Config, Fail> {
    let secret = |name: &str| crate::transport::secret(SECRET_NAMES, values, name);
    let not_configured = |detail: &str| fail(MgmtFailure::NotConfigured, detail);

    let Some(domain) = secret("AUTH0_DOMAIN") else {
        return Err(not_configured("the AUTH0_DOMAIN secret is not set"));
    };
    let mut site = parse_domain(domain, "AUTH0_DOMAIN")?;
    // With a custom domain, requests go to AUTH0_DOMAIN but the token's audience must name the
    // canonical tenant domain (Auth0 docs: configure features to use custom domains).
    if let Some(tenant) = secret("AUTH0_TENANT_DOMAIN") {
        site.audience = parse_domain(tenant, "AUTH0_TENANT_DOMAIN")?.audience;
    }

    let client_id = secret("MANAGEMENT_CLIENT_ID");
    let client_secret = secret("MANAGEMENT_CLIENT_SECRET");
    if let (Some(id), Some(secret)) = (client_id, client_secret) {
        return Ok(Config {
            site,
            credentials: Credentials::Client {
                client_id: id.to_owned(),
                client_secret: secret.to_owned(),
            },
        });
    }
    if let Some(token) = secret("MANAGEMENT_API_TOKEN") {
        if !header_safe(token) {
            return Err(not_configured(
                "MANAGEMENT_API_TOKEN contains characters that cannot go in an HTTP header",
            ));
        }
        return Ok(Config {
            site,
            credentials: Credentials::Static(token.to_owned()),
        });
    }
    if client_id.is_some() || client_secret.is_some() {
        let missing = if client_id.is_some() {
            "MANAGEMENT_CLIENT_SECRET"
        } else {
            "MANAGEMENT_CLIENT_ID"
        };
        return Err(not_configured(&format!(
            "{missing} is not set (client credentials need both secrets)"
        )));
    }
    Err(not_configured(
        "set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (or MANAGEMENT_API_TOKEN) to read the Management API",
    ))
}

fn parse_domain(raw: &str, name: &str) -> Result<Site, Fail> {
    let hint = format!(
        "{name} must be a host name such as tenant.eu.auth0.com or an origin such as https://login.example.com"
    );
    let origin = parse_origin(raw, true).map_err(|refusal| {
        let detail = match refusal {
            OriginRefusal::Whitespace => format!("{hint} (it contains whitespace)"),
            OriginRefusal::Malformed => hint.clone(),
            OriginRefusal::Scheme => {
                format!("{name} must use https (http only for a loopback test server)")
            }
            OriginRefusal::Credentials => format!("{name} must not contain credentials"),
            OriginRefusal::PathQueryFragment => {
                format!("{name} must not contain a path, query or fragment")
            }
            // Refused before any request: the client secret and the token would travel in
            // clear text.
            OriginRefusal::PlainHttp => {
                format!("{name} uses plain http to a host that is not loopback; use https")
            }
        };
        fail(MgmtFailure::DomainRefused, detail)
    })?;
    let origin = origin.as_str().to_owned();
    Ok(Site {
        audience: format!("{origin}/api/v2/"),
        origin,
    })
}
