//! The configuration: its schema, and its compilation into the form every login reuses.
//!
//! A configuration is JSON. Every key is optional; `{}` (or no configuration at all) means the
//! default phone policy and no custom claims.
//!
//! ```json
//! {
//!   "phone": {
//!     "sources": ["profile", "mfa", "app_metadata"],
//!     "mfaEndpoint": "authentication-methods",
//!     "appMetadata": { "number": "phone_number", "verified": "phone_verified" }
//!   },
//!   "idToken": { "https://my-app.example.com/plan": "user.app_metadata.plan" },
//!   "accessToken": {
//!     "https://my-app.example.com/roles": "authorization.roles",
//!     "https://my-app.example.com/org_id": "organization.id",
//!     "https://my-app.example.com/locale": { "path": "user.user_metadata.locale", "allowUserControlled": true }
//!   }
//! }
//! ```
//!
//! - `phone`: `false` turns the phone policy off; `true` or an object turns it on.
//!   - `enabled` (bool, default `true`).
//!   - `sources`: the order in which phone sources are tried; each of `profile` (the profile
//!     number of passwordless-SMS users), `mfa` (the confirmed SMS/voice MFA enrollment, read from
//!     the Management API) and `app_metadata`, at most once. Default: all three in that order.
//!   - `mfaEndpoint`: `authentication-methods` (default; scope `read:authentication_methods`,
//!     the complete list) or `enrollments` (scope `read:users`; only the first confirmed
//!     enrollment).
//!   - `appMetadata.number` / `appMetadata.verified`: dotted paths inside `user.app_metadata`
//!     (defaults `phone_number` and `phone_verified`).
//! - `idToken` / `accessToken`: claim name → event path (dotted, from the event root, digits
//!   index arrays: `user.identities.0.user_id`), or `{ "path": ..., "allowUserControlled":
//!   true }`. A path that reaches `user.user_metadata` (which users can edit themselves) is
//!   refused unless the entry opts in with `allowUserControlled`.
//!
//! Compilation reports every problem at once ([`ConfigIssue`]), each with the claim it concerns
//! and how to fix it. Unknown keys and wrong types are problems too: nothing silently falls back
//! to a default.

use crate::claims::{self, NameProblem, Token, PHONE_NUMBER, PHONE_NUMBER_VERIFIED};
use crate::path::{EventPath, PathProblem, KNOWN_ROOTS};
use serde::Serialize;
use serde_json::{Map, Value};

/// Stable codes of configuration problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// The configuration is not a JSON object (or is not JSON at all).
    NotAnObject,
    UnknownKey,
    WrongType,
    UnknownSource,
    DuplicateSource,
    NoSources,
    UnknownMfaEndpoint,
    EmptyClaimName,
    RestrictedClaim,
    ReservedNamespace,
    StandardClaimInAccessToken,
    DuplicateClaim,
    InvalidPath,
    UnknownPathRoot,
    SecretPath,
    CredentialPath,
    UserControlledPath,
}

/// One problem in a configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigIssue {
    pub code: IssueCode,
    /// Where in the configuration: `accessToken["roles"]`, `phone.sources[1]`, ...
    pub at: String,
    /// The claim concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    pub message: String,
    pub fix: String,
}

/// A phone source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneSource {
    Profile,
    Mfa,
    AppMetadata,
}

impl PhoneSource {
    pub fn name(self) -> &'static str {
        match self {
            PhoneSource::Profile => "profile",
            PhoneSource::Mfa => "mfa",
            PhoneSource::AppMetadata => "app_metadata",
        }
    }

    fn parse(text: &str) -> Option<PhoneSource> {
        [
            PhoneSource::Profile,
            PhoneSource::Mfa,
            PhoneSource::AppMetadata,
        ]
        .into_iter()
        .find(|s| s.name() == text)
    }
}

/// Which Management API endpoint the `mfa` source reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MfaEndpoint {
    #[serde(rename = "authentication-methods")]
    AuthenticationMethods,
    #[serde(rename = "enrollments")]
    Enrollments,
}

impl MfaEndpoint {
    pub fn name(self) -> &'static str {
        match self {
            MfaEndpoint::AuthenticationMethods => "authentication-methods",
            MfaEndpoint::Enrollments => "enrollments",
        }
    }
}

/// Slot indices of everything the phone policy reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PhoneSlots {
    pub sources: Vec<PhoneSource>,
    pub endpoint: MfaEndpoint,
    pub user_id: usize,
    pub number: usize,
    pub verified: usize,
    pub enrolled_factors: usize,
    pub metadata_number: usize,
    pub metadata_verified: usize,
    pub metadata_number_path: String,
    pub metadata_verified_path: String,
    pub requested_scopes: usize,
    pub body_scope: usize,
    pub query_scope: usize,
    pub protocol: usize,
}

/// A custom claim: copy the value at `path` (slot `slot`) into `name` on `token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClaimRule {
    pub token: Token,
    pub name: String,
    pub path: EventPath,
    pub slot: usize,
}

/// A validated configuration, compiled once per Action instance and reused by every login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledConfig {
    pub(crate) phone: Option<PhoneSlots>,
    pub(crate) claims: Vec<ClaimRule>,
    paths: Vec<EventPath>,
}

impl CompiledConfig {
    /// Compiles configuration JSON text; empty text means the default configuration.
    pub fn compile_str(text: &str) -> Result<CompiledConfig, Vec<ConfigIssue>> {
        if text.trim().is_empty() {
            return CompiledConfig::compile(&Value::Object(Map::new()));
        }
        match serde_json::from_str::<Value>(text) {
            Ok(value) => CompiledConfig::compile(&value),
            Err(error) => Err(vec![ConfigIssue {
                code: IssueCode::NotAnObject,
                at: "(root)".to_owned(),
                claim: None,
                message: format!("the configuration is not valid JSON ({error})"),
                fix: "pass a plain object such as { \"accessToken\": { ... } }".to_owned(),
            }]),
        }
    }

    /// Validates and compiles a configuration, reporting every problem at once.
    pub fn compile(config: &Value) -> Result<CompiledConfig, Vec<ConfigIssue>> {
        let mut compiler = Compiler::default();
        compiler.compile(config);
        if compiler.issues.is_empty() {
            Ok(CompiledConfig {
                phone: compiler.phone,
                claims: compiler.claims,
                paths: compiler.paths,
            })
        } else {
            Err(compiler.issues)
        }
    }

    /// The event paths this configuration reads, in slot order.
    pub fn paths(&self) -> &[EventPath] {
        &self.paths
    }

    /// Whether the phone policy is on.
    pub fn phone_enabled(&self) -> bool {
        self.phone.is_some()
    }
}

/// Validates a configuration without compiling it for use: the list of problems, empty when
/// there are none.
pub fn validate(config: &Value) -> Vec<ConfigIssue> {
    CompiledConfig::compile(config).err().unwrap_or_default()
}

#[derive(Default)]
struct Compiler {
    issues: Vec<ConfigIssue>,
    paths: Vec<EventPath>,
    phone: Option<PhoneSlots>,
    claims: Vec<ClaimRule>,
}

impl Compiler {
    fn issue(
        &mut self,
        code: IssueCode,
        at: String,
        claim: Option<&str>,
        message: String,
        fix: String,
    ) {
        self.issues.push(ConfigIssue {
            code,
            at,
            claim: claim.map(str::to_owned),
            message,
            fix,
        });
    }

    fn wrong_type(&mut self, at: &str, claim: Option<&str>, expected: &str, found: &Value) {
        self.issue(
            IssueCode::WrongType,
            at.to_owned(),
            claim,
            format!("`{at}` must be {expected}, not {}", type_name(found)),
            format!("give `{at}` {expected}, or leave it out for the default"),
        );
    }

    fn unknown_keys(
        &mut self,
        at: &str,
        claim: Option<&str>,
        object: &Map<String, Value>,
        known: &[&str],
    ) {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            // An empty key would make `at` empty (or end in a dot): show it as `""`.
            let key = if key.is_empty() { "\"\"" } else { key.as_str() };
            let place = if at.is_empty() {
                key.to_owned()
            } else {
                format!("{at}.{key}")
            };
            self.issue(
                IssueCode::UnknownKey,
                place,
                claim,
                format!("unknown key `{key}`"),
                format!("remove it; the keys allowed here are: {}", known.join(", ")),
            );
        }
    }

    /// The slot of a path, adding it when new.
    fn slot(&mut self, path: EventPath) -> usize {
        match self.paths.iter().position(|p| *p == path) {
            Some(index) => index,
            None => {
                self.paths.push(path);
                self.paths.len() - 1
            }
        }
    }

    fn compile(&mut self, config: &Value) {
        let Some(root) = config.as_object() else {
            if config.is_null() {
                return self.compile(&Value::Object(Map::new()));
            }
            self.issue(
                IssueCode::NotAnObject,
                "(root)".to_owned(),
                None,
                format!(
                    "the configuration must be an object, not {}",
                    type_name(config)
                ),
                "pass a plain object such as { \"accessToken\": { ... } }".to_owned(),
            );
            return;
        };
        self.unknown_keys("", None, root, &["phone", "idToken", "accessToken"]);
        let phone_on = self.compile_phone(root.get("phone"));
        for token in [Token::Id, Token::Access] {
            match root.get(token.key()) {
                None | Some(Value::Null) => {}
                Some(Value::Object(entries)) => {
                    for (name, entry) in entries {
                        self.compile_claim(token, name, entry, phone_on);
                    }
                }
                Some(other) => self.wrong_type(
                    token.key(),
                    None,
                    "an object of claim name → event path",
                    other,
                ),
            }
        }
    }

    /// Compiles the phone policy; returns whether it is on.
    fn compile_phone(&mut self, phone: Option<&Value>) -> bool {
        let empty = Map::new();
        let policy = match phone {
            None | Some(Value::Null) | Some(Value::Bool(true)) => &empty,
            Some(Value::Bool(false)) => return false,
            Some(Value::Object(policy)) => policy,
            Some(other) => {
                self.wrong_type("phone", None, "an object, true or false", other);
                return false;
            }
        };
        self.unknown_keys(
            "phone",
            None,
            policy,
            &["enabled", "sources", "mfaEndpoint", "appMetadata"],
        );
        let issues_before = self.issues.len();
        let enabled = match policy.get("enabled") {
            None | Some(Value::Bool(true)) => true,
            // Still validated below: a mistake must not wait until the policy is turned on.
            Some(Value::Bool(false)) => false,
            Some(other) => {
                self.wrong_type("phone.enabled", None, "true or false", other);
                true
            }
        };
        let sources = self.compile_sources(policy.get("sources"));
        let endpoint = match policy.get("mfaEndpoint") {
            None => MfaEndpoint::AuthenticationMethods,
            Some(Value::String(s)) if s == "authentication-methods" => {
                MfaEndpoint::AuthenticationMethods
            }
            Some(Value::String(s)) if s == "enrollments" => MfaEndpoint::Enrollments,
            Some(other @ Value::String(_)) => {
                self.issue(
                    IssueCode::UnknownMfaEndpoint,
                    "phone.mfaEndpoint".to_owned(),
                    None,
                    format!("unknown MFA endpoint {other}"),
                    "use \"authentication-methods\" (the complete list) or \"enrollments\""
                        .to_owned(),
                );
                MfaEndpoint::AuthenticationMethods
            }
            Some(other) => {
                self.wrong_type(
                    "phone.mfaEndpoint",
                    None,
                    "\"authentication-methods\" or \"enrollments\"",
                    other,
                );
                MfaEndpoint::AuthenticationMethods
            }
        };
        let (number_path, verified_path) = self.compile_app_metadata(policy.get("appMetadata"));
        if !enabled {
            return false;
        }
        if self.issues.len() != issues_before {
            return true;
        }
        let internal = |segments: &[&str]| EventPath::internal(segments);
        let metadata_path = |relative: &str| {
            let mut segments = vec!["user", "app_metadata"];
            segments.extend(relative.split('.'));
            EventPath::internal(&segments)
        };
        let slots = PhoneSlots {
            sources,
            endpoint,
            user_id: self.slot(internal(&["user", "user_id"])),
            number: self.slot(internal(&["user", "phone_number"])),
            verified: self.slot(internal(&["user", "phone_verified"])),
            enrolled_factors: self.slot(internal(&["user", "enrolledFactors"])),
            metadata_number: self.slot(metadata_path(&number_path)),
            metadata_verified: self.slot(metadata_path(&verified_path)),
            metadata_number_path: format!("user.app_metadata.{number_path}"),
            metadata_verified_path: format!("user.app_metadata.{verified_path}"),
            requested_scopes: self.slot(internal(&["transaction", "requested_scopes"])),
            body_scope: self.slot(internal(&["request", "body", "scope"])),
            query_scope: self.slot(internal(&["request", "query", "scope"])),
            protocol: self.slot(internal(&["transaction", "protocol"])),
        };
        self.phone = Some(slots);
        true
    }

    fn compile_sources(&mut self, sources: Option<&Value>) -> Vec<PhoneSource> {
        let default = vec![
            PhoneSource::Profile,
            PhoneSource::Mfa,
            PhoneSource::AppMetadata,
        ];
        let items = match sources {
            None => return default,
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.wrong_type("phone.sources", None, "an array of sources", other);
                return default;
            }
        };
        if items.is_empty() {
            self.issue(
                IssueCode::NoSources,
                "phone.sources".to_owned(),
                None,
                "no phone source is listed".to_owned(),
                "list at least one of \"profile\", \"mfa\", \"app_metadata\", or set \"phone\": false to turn the phone policy off".to_owned(),
            );
        }
        let mut parsed = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let at = format!("phone.sources[{index}]");
            match item.as_str().and_then(PhoneSource::parse) {
                Some(source) if parsed.contains(&source) => self.issue(
                    IssueCode::DuplicateSource,
                    at,
                    None,
                    format!("the source \"{}\" is listed twice", source.name()),
                    "list each source once, in the order they should be tried".to_owned(),
                ),
                Some(source) => parsed.push(source),
                None if !item.is_string() => {
                    self.wrong_type(&at, None, "a source name string", item)
                }
                None => self.issue(
                    IssueCode::UnknownSource,
                    at,
                    None,
                    format!("unknown phone source {item}"),
                    "use \"profile\", \"mfa\" or \"app_metadata\"".to_owned(),
                ),
            }
        }
        parsed
    }

    fn compile_app_metadata(&mut self, value: Option<&Value>) -> (String, String) {
        let mut number = "phone_number".to_owned();
        let mut verified = "phone_verified".to_owned();
        let fields = match value {
            None => return (number, verified),
            Some(Value::Object(fields)) => fields,
            Some(other) => {
                self.wrong_type(
                    "phone.appMetadata",
                    None,
                    "an object with `number` and `verified` paths",
                    other,
                );
                return (number, verified);
            }
        };
        self.unknown_keys("phone.appMetadata", None, fields, &["number", "verified"]);
        for (key, target) in [("number", &mut number), ("verified", &mut verified)] {
            let at = format!("phone.appMetadata.{key}");
            match fields.get(key) {
                None => {}
                Some(Value::String(relative)) => {
                    match EventPath::parse(&format!("user.app_metadata.{relative}")) {
                        Ok(_) => *target = relative.clone(),
                        Err(_) => self.issues.push(ConfigIssue {
                            code: IssueCode::InvalidPath,
                            at,
                            claim: None,
                            message: format!("`{relative}` is not a dotted path inside user.app_metadata"),
                            fix: "give a path relative to user.app_metadata, such as \"contact.phone\"".to_owned(),
                        }),
                    }
                }
                Some(other) => self.wrong_type(&at, None, "a path string", other),
            }
        }
        (number, verified)
    }

    fn compile_claim(&mut self, token: Token, name: &str, entry: &Value, phone_on: bool) {
        let at = format!("{}[{}]", token.key(), Value::String(name.to_owned()));
        let claim = Some(name);
        if let Some(problem) = claims::check_name(token, name) {
            let (code, message, fix) = match problem {
                NameProblem::Empty => (
                    IssueCode::EmptyClaimName,
                    "a claim name is empty".to_owned(),
                    "give the claim a name, such as https://example.com/plan".to_owned(),
                ),
                NameProblem::Restricted => (
                    IssueCode::RestrictedClaim,
                    format!("`{name}` is a claim Auth0 ignores: setting it does nothing"),
                    format!("use a namespaced name such as `{}`", claims::namespaced_example(name)),
                ),
                NameProblem::ReservedNamespace(ns) => (
                    IssueCode::ReservedNamespace,
                    format!("`{name}` is in the {ns} namespace, which Auth0 keeps for itself and ignores"),
                    format!("use your own domain, such as `{}`", claims::namespaced_example(name)),
                ),
                NameProblem::StandardClaimInAccessToken => (
                    IssueCode::StandardClaimInAccessToken,
                    format!("`{name}` is a standard OIDC claim; at the root of an access token it can corrupt the token"),
                    format!("use a namespaced name such as `{}` in the access token", claims::namespaced_example(name)),
                ),
            };
            self.issue(code, at.clone(), claim, message, fix);
        }
        if token == Token::Id && phone_on && (name == PHONE_NUMBER || name == PHONE_NUMBER_VERIFIED)
        {
            self.issue(
                IssueCode::DuplicateClaim,
                at.clone(),
                claim,
                format!("`{name}` is already produced by the phone policy; two producers of one claim"),
                "remove this entry and configure the number's sources under `phone`, or set \"phone\": false".to_owned(),
            );
        }
        let (path_text, allow_user_controlled) = match entry {
            Value::String(path) => (path.as_str(), false),
            Value::Object(fields) => {
                self.unknown_keys(&at, claim, fields, &["path", "allowUserControlled"]);
                let allow = match fields.get("allowUserControlled") {
                    None => false,
                    Some(Value::Bool(b)) => *b,
                    Some(other) => {
                        self.wrong_type(
                            &format!("{at}.allowUserControlled"),
                            claim,
                            "true or false",
                            other,
                        );
                        false
                    }
                };
                match fields.get("path") {
                    Some(Value::String(path)) => (path.as_str(), allow),
                    Some(other) => {
                        return self.wrong_type(
                            &format!("{at}.path"),
                            claim,
                            "an event path string",
                            other,
                        )
                    }
                    None => {
                        return self.issue(
                            IssueCode::InvalidPath,
                            at,
                            claim,
                            format!("the entry for `{name}` has no `path`"),
                            "add \"path\": \"user.app_metadata.…\"".to_owned(),
                        )
                    }
                }
            }
            other => {
                return self.wrong_type(
                    &at,
                    claim,
                    "an event path string or { \"path\": … }",
                    other,
                )
            }
        };
        let path = match EventPath::parse(path_text) {
            Ok(path) => path,
            Err(problem) => return self.path_issue(&at, name, path_text, problem),
        };
        if path.reaches_user_metadata() && !allow_user_controlled {
            return self.issue(
                IssueCode::UserControlledPath,
                at,
                claim,
                format!("`{path_text}` reads user_metadata, which users can change themselves; a token would carry whatever they wrote"),
                format!("read it from app_metadata instead, or opt in with {{ \"path\": \"{path_text}\", \"allowUserControlled\": true }}"),
            );
        }
        let slot = self.slot(path.clone());
        self.claims.push(ClaimRule {
            token,
            name: name.to_owned(),
            path,
            slot,
        });
    }

    fn path_issue(&mut self, at: &str, name: &str, text: &str, problem: PathProblem) {
        let (code, message, fix) = match problem {
            PathProblem::Malformed | PathProblem::TooDeep => (
                IssueCode::InvalidPath,
                format!("`{text}` is not a dotted event path"),
                "write segments separated by dots, such as \"user.app_metadata.plan\"".to_owned(),
            ),
            PathProblem::PrototypeSegment(segment) => (
                IssueCode::InvalidPath,
                format!("`{text}` contains `{segment}`, which reads JavaScript internals, not event data"),
                "name a data property of the event".to_owned(),
            ),
            PathProblem::UnknownRoot(root) => (
                IssueCode::UnknownPathRoot,
                format!("`{root}` is not a property of the post-login event"),
                format!("start the path with one of: {}", KNOWN_ROOTS.join(", ")),
            ),
            PathProblem::Secret => (
                IssueCode::SecretPath,
                format!("`{text}` reads the Action's secrets; a token would publish them"),
                "never put secrets in a token".to_owned(),
            ),
            PathProblem::RequestBody => (
                IssueCode::CredentialPath,
                format!("`{text}` reads the raw request body, which holds the user's password in the password grant"),
                "read the value from the user or the transaction instead".to_owned(),
            ),
        };
        self.issue(code, at.to_owned(), Some(name), message, fix);
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// Native only: these tests use proptest, which has no wasm32 randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "config_tests.rs"]
mod tests;
