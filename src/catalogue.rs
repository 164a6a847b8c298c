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
