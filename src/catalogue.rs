//! Every code and name the package documents, gathered from where each is defined, for the
//! wasm's `catalogue()`: the CLI, the README's tests and generated types read it, so no list is
//! kept twice.

use crate::config::IssueCode;
use crate::management::{MgmtFailure, SECRET_NAMES};
use crate::options::{HandlerKind, OPTIONS};
use crate::trace::Reason;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalogue {
    /// Trace reason codes.
    pub reasons: Vec<&'static str>,
    /// Configuration issue codes.
    pub issues: Vec<IssueCode>,
    pub management_failures: Vec<Explained>,
    /// The Management API secrets the lookup reads.
    pub management_secrets: &'static [&'static str],
    #[cfg(feature = "phone-messages")]
    pub verify_failures: Vec<Explained>,
    #[cfg(feature = "phone-messages")]
    pub verify_secrets: &'static [&'static str],
    /// Why a phone message is refused before anything is sent.
    #[cfg(feature = "phone-messages")]
    pub refusal_reasons: Vec<&'static str>,
    pub options: Vec<OptionEntry>,
}

#[derive(Debug, Serialize)]
pub struct Explained {
    pub code: &'static str,
    pub explain: &'static str,
}

#[derive(Debug, Serialize)]
pub struct OptionEntry {
    pub name: &'static str,
    /// `postLogin`, `sendPhoneMessage`, `verifyFeedback`, with the default for each (null when
    /// the runtime's own applies).
    pub defaults: Vec<(&'static str, Option<&'static str>)>,
}

fn kind_name(kind: HandlerKind) -> &'static str {
    match kind {
        HandlerKind::PostLogin => "postLogin",
        HandlerKind::SendPhoneMessage => "sendPhoneMessage",
        HandlerKind::VerifyFeedback => "verifyFeedback",
    }
}

impl Catalogue {
    pub fn new() -> Catalogue {
        Catalogue {
            reasons: Reason::ALL.iter().map(|r| r.code()).collect(),
            issues: IssueCode::ALL.to_vec(),
            management_failures: MgmtFailure::ALL
                .iter()
                .map(|f| Explained {
                    code: f.code(),
                    explain: f.explain(),
                })
                .collect(),
            management_secrets: SECRET_NAMES,
            #[cfg(feature = "phone-messages")]
            verify_failures: crate::phone_message::VerifyFailure::ALL
                .iter()
                .map(|f| Explained {
                    code: f.code(),
                    explain: f.explain(),
                })
                .collect(),
            #[cfg(feature = "phone-messages")]
            verify_secrets: crate::phone_message::verify::VERIFY_SECRET_NAMES,
            #[cfg(feature = "phone-messages")]
            refusal_reasons: crate::phone_message::RefusalReason::ALL
                .iter()
                .map(|r| r.code())
                .collect(),
            options: OPTIONS
                .iter()
                .map(|spec| OptionEntry {
                    name: spec.name,
                    defaults: spec
                        .kinds
                        .iter()
                        .map(|kind| (kind_name(*kind), spec.default_for(*kind)))
                        .collect(),
                })
                .collect(),
        }
    }
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn wire() -> Value {
        serde_json::to_value(Catalogue::new()).unwrap()
    }

    fn codes(list: &Value) -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|item| {
                item["code"]
                    .as_str()
                    .unwrap_or_else(|| item.as_str().unwrap())
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn the_management_api_failures_are_the_twelve_documented_codes_each_explained() {
        let wire = wire();
        assert_eq!(
            codes(&wire["managementFailures"]),
            [
                "mgmt_not_configured",
                "mgmt_domain_refused",
                "mgmt_token_failed",
                "mgmt_unauthorized",
                "mgmt_forbidden",
                "mgmt_user_not_found",
                "mgmt_rate_limited",
                "mgmt_server_error",
                "mgmt_timeout",
                "mgmt_network",
                "mgmt_bad_response",
                "mgmt_response_too_large"
            ]
        );
        for failure in wire["managementFailures"].as_array().unwrap() {
            assert!(
                failure["explain"]
                    .as_str()
                    .is_some_and(|e| e.ends_with('.')),
                "{failure}"
            );
        }
        assert_eq!(
            wire["managementSecrets"],
            json!([
                "AUTH0_DOMAIN",
                "AUTH0_TENANT_DOMAIN",
                "MANAGEMENT_CLIENT_ID",
                "MANAGEMENT_CLIENT_SECRET",
                "MANAGEMENT_API_TOKEN"
            ])
        );
    }

    #[test]
    fn reasons_and_issues_are_listed_once_each() {
        let wire = wire();
        for list in ["reasons", "issues"] {
            let all = codes(&wire[list]);
            let mut unique = all.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(all.len(), unique.len(), "{list} repeats a code");
        }
        assert!(codes(&wire["reasons"]).contains(&"mfa_bad_response".to_owned()));
        assert!(codes(&wire["issues"]).contains(&"restricted_claim".to_owned()));
    }

    #[test]
    fn options_carry_their_defaults_per_handler() {
        let wire = wire();
        let post_login: Vec<(String, Value)> = wire["options"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|option| {
                let defaults = option["defaults"].as_array()?;
                let default = defaults.iter().find(|pair| pair[0] == "postLogin")?;
                Some((option["name"].as_str()?.to_owned(), default[1].clone()))
            })
            .collect();
        assert_eq!(
            post_login,
            [
                ("fetch".to_owned(), Value::Null),
                ("timeoutMs".to_owned(), json!("2500")),
                ("deadlineMs".to_owned(), json!("5000")),
                ("onError".to_owned(), json!("continue")),
                ("logger".to_owned(), Value::Null),
                ("now".to_owned(), Value::Null),
            ]
        );
    }

    #[cfg(feature = "phone-messages")]
    #[test]
    fn the_verify_failures_and_secrets_are_listed() {
        let wire = wire();
        assert_eq!(codes(&wire["verifyFailures"]).len(), 9);
        assert!(codes(&wire["verifyFailures"])
            .iter()
            .all(|c| c.starts_with("verify_")));
        assert_eq!(
            wire["verifySecrets"],
            json!([
                "TWILIO_ACCOUNT_SID",
                "TWILIO_AUTH_TOKEN",
                "TWILIO_VERIFY_SID"
            ])
        );
    }
}
