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
//!   - `defaultCountry`: an ISO 3166-1 alpha-2 code (`"GB"`, case-insensitive). A number stored
//!     without `+` is then converted with that country's dialling rules; without it (and without
//!     `countryPath`) such numbers are skipped.
//!   - `countryPath`: an event path (`"user.app_metadata.country"`, or `{ "path": ...,
//!     "allowUserControlled": true }` for a path into `user_metadata`) holding the user's ISO
//!     code; a valid code there wins over `defaultCountry`.
//! - `$schema`: any string; editors use it to find the JSON Schema.
//! - `idToken` / `accessToken`: claim name → event path (dotted, from the event root, digits
//!   index arrays: `user.identities.0.user_id`), or `{ "path": ..., "allowUserControlled":
//!   true }`. A path that reaches `user.user_metadata` (which users can edit themselves) is
//!   refused unless the entry opts in with `allowUserControlled`.
//!
//! Compilation reports every problem at once ([`ConfigIssue`]), each with the claim it concerns,
//! how to fix it and a [`Severity`]. Unknown keys and wrong types are problems too: nothing
//! silently falls back to a default. An `error` is a configuration that cannot mean what was
//! written, or that Auth0 is documented to drop or reject; it stops compilation, and so the
//! handler, which fails every login of the tenant. Where there is only doubt (a name Auth0 may or
//! may not ignore, a value that looks like a mistake) the issue is a `warning`: compilation
//! succeeds and [`CompiledConfig::warnings`] lists it.

use crate::claims::{self, NameProblem, Token, PHONE_NUMBER, PHONE_NUMBER_VERIFIED};
use crate::countries::{self, Country};
use crate::engine::json::{self, Json, Kind};
use crate::path::{EventPath, PathProblem, KNOWN_ROOTS};
use serde::Serialize;
use std::borrow::Cow;

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
    /// `phone.defaultCountry` is not an ISO 3166-1 alpha-2 code with known dialling rules.
    UnknownCountry,
    /// A claim name that mentions a reserved namespace (`auth0.com`, ...) outside its host: in a
    /// path segment, or inside a longer host name. Auth0 documents only the namespaces
    /// themselves; a warning.
    NamespaceLookalike,
    /// `phone.appMetadata.*` written as a full event path (`user.app_metadata.phone`) where a path
    /// inside `user.app_metadata` belongs; read as the path inside. A warning.
    AppMetadataFullPath,
}

/// How serious a configuration issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The handler refuses to start.
    Error,
    /// Reported by `validate` and logged once; the handler starts.
    Warning,
}

impl IssueCode {
    /// Every code, in declaration order.
    pub const ALL: &'static [IssueCode] = &[
        IssueCode::NotAnObject,
        IssueCode::UnknownKey,
        IssueCode::WrongType,
        IssueCode::UnknownSource,
        IssueCode::DuplicateSource,
        IssueCode::NoSources,
        IssueCode::UnknownMfaEndpoint,
        IssueCode::EmptyClaimName,
        IssueCode::RestrictedClaim,
        IssueCode::ReservedNamespace,
        IssueCode::StandardClaimInAccessToken,
        IssueCode::DuplicateClaim,
        IssueCode::InvalidPath,
        IssueCode::UnknownPathRoot,
        IssueCode::SecretPath,
        IssueCode::CredentialPath,
        IssueCode::UserControlledPath,
        IssueCode::UnknownCountry,
        IssueCode::NamespaceLookalike,
        IssueCode::AppMetadataFullPath,
    ];

    /// The stable code, as it is written in issues (`restricted_claim`, ...).
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn code(self) -> &'static str {
        match self {
            IssueCode::NotAnObject => "not_an_object",
            IssueCode::UnknownKey => "unknown_key",
            IssueCode::WrongType => "wrong_type",
            IssueCode::UnknownSource => "unknown_source",
            IssueCode::DuplicateSource => "duplicate_source",
            IssueCode::NoSources => "no_sources",
            IssueCode::UnknownMfaEndpoint => "unknown_mfa_endpoint",
            IssueCode::EmptyClaimName => "empty_claim_name",
            IssueCode::RestrictedClaim => "restricted_claim",
            IssueCode::ReservedNamespace => "reserved_namespace",
            IssueCode::StandardClaimInAccessToken => "standard_claim_in_access_token",
            IssueCode::DuplicateClaim => "duplicate_claim",
            IssueCode::InvalidPath => "invalid_path",
            IssueCode::UnknownPathRoot => "unknown_path_root",
            IssueCode::SecretPath => "secret_path",
            IssueCode::CredentialPath => "credential_path",
            IssueCode::UserControlledPath => "user_controlled_path",
            IssueCode::UnknownCountry => "unknown_country",
            IssueCode::NamespaceLookalike => "namespace_lookalike",
            IssueCode::AppMetadataFullPath => "app_metadata_full_path",
        }
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn severity(self) -> Severity {
        match self {
            IssueCode::NamespaceLookalike | IssueCode::AppMetadataFullPath => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One problem in a configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigIssue {
    pub code: IssueCode,
    pub severity: Severity,
    /// Where in the configuration: `accessToken["roles"]`, `phone.sources[1]`, ...
    pub at: String,
    /// The claim concerned, when there is one.
    pub claim: Option<String>,
    pub message: String,
    pub fix: String,
}

impl ConfigIssue {
    /// Appends the issue as a JSON object: `{"code", "severity", "at", "claim"?, "message",
    /// "fix"}` (`claim` only when there is one).
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn write_json(&self, out: &mut String) {
        out.push_str("{\"code\":\"");
        out.push_str(self.code.code());
        out.push_str("\",\"severity\":\"");
        out.push_str(match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        });
        out.push_str("\",\"at\":");
        json::write_quoted(out, &self.at);
        if let Some(claim) = &self.claim {
            out.push_str(",\"claim\":");
            json::write_quoted(out, claim);
        }
        out.push_str(",\"message\":");
        json::write_quoted(out, &self.message);
        out.push_str(",\"fix\":");
        json::write_quoted(out, &self.fix);
        out.push('}');
    }
}

/// Issues as a JSON array of [`ConfigIssue::write_json`] objects.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn issues_json(issues: &[ConfigIssue]) -> String {
    let mut out = String::from("[");
    write_issues(&mut out, issues);
    out.push(']');
    out
}

#[cfg_attr(login_claims_size, optimize(size))]
fn write_issues(out: &mut String, issues: &[ConfigIssue]) {
    for (index, issue) in issues.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        issue.write_json(out);
    }
}

/// A phone source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneSource {
    Profile,
    Mfa,
    AppMetadata,
}

impl PhoneSource {
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn name(self) -> &'static str {
        match self {
            PhoneSource::Profile => "profile",
            PhoneSource::Mfa => "mfa",
            PhoneSource::AppMetadata => "app_metadata",
        }
    }

    #[cfg_attr(login_claims_size, optimize(size))]
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
    #[cfg_attr(login_claims_size, optimize(size))]
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
    /// The country of numbers stored without `+`: `phone.defaultCountry`...
    pub default_country: Option<Country>,
    /// ... unless the slot of `phone.countryPath` holds a valid ISO code.
    pub country: Option<(usize, String)>,
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
    /// Bytes of `"name":` plus the comma after the value: what the claim adds to its token's
    /// JSON besides the value.
    pub overhead: usize,
}

/// A validated configuration, compiled once per Action instance and reused by every login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledConfig {
    pub(crate) phone: Option<PhoneSlots>,
    pub(crate) claims: Vec<ClaimRule>,
    paths: Vec<EventPath>,
    warnings: Vec<ConfigIssue>,
}

impl CompiledConfig {
    /// Validates and compiles configuration JSON text (empty text: the default configuration),
    /// reporting every problem at once: `Err` with all issues (warnings too) when at least one
    /// is an error, else the compiled configuration, which keeps its warnings. The text is
    /// read by the scanner of [`crate::engine::json`], as JSON.parse reads it (the last of a
    /// repeated key counts).
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn compile_str(text: &str) -> Result<CompiledConfig, Vec<ConfigIssue>> {
        let mut compiler = Compiler::default();
        let text = if text.trim().is_empty() { "{}" } else { text };
        match Json::parse(text) {
            Ok(config) => compiler.compile(config),
            Err(invalid) => compiler.issue(
                IssueCode::NotAnObject,
                "(root)".to_owned(),
                None,
                cat!(
                    "the configuration is not valid JSON (",
                    invalid.describe(),
                    ")"
                ),
                ROOT_FIX.to_owned(),
            ),
        }
        if compiler
            .issues
            .iter()
            .any(|issue| issue.severity == Severity::Error)
        {
            Err(compiler.issues)
        } else {
            Ok(CompiledConfig {
                phone: compiler.phone,
                claims: compiler.claims,
                paths: compiler.paths,
                warnings: compiler.issues,
            })
        }
    }

    /// [`CompiledConfig::compile_str`] of a value (tests and tools).
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn compile(config: &serde_json::Value) -> Result<CompiledConfig, Vec<ConfigIssue>> {
        CompiledConfig::compile_str(&config.to_string())
    }

    /// The warnings of a configuration that compiled: doubts worth a look, none of which stops
    /// the handler.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn warnings(&self) -> &[ConfigIssue] {
        &self.warnings
    }

    /// The event paths this configuration reads, in slot order.
    /// The custom claims, in the order [`crate::engine::Verdict::set`] indexes them: token,
    /// name and the slot of the value.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn claim_rules(&self) -> impl Iterator<Item = (Token, &str, usize)> {
        self.claims
            .iter()
            .map(|rule| (rule.token, rule.name.as_str(), rule.slot))
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn paths(&self) -> &[EventPath] {
        &self.paths
    }

    /// Whether the phone policy is on.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn phone_enabled(&self) -> bool {
        self.phone.is_some()
    }

    /// Whether a login may ask the Management API: the phone policy is on and lists `mfa`.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn uses_management_api(&self) -> bool {
        self.phone
            .as_ref()
            .is_some_and(|policy| policy.sources.contains(&PhoneSource::Mfa))
    }
}

/// Validates a configuration without compiling it for use: every issue, errors and warnings,
/// empty when there are none.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn validate(config: &serde_json::Value) -> Vec<ConfigIssue> {
    match CompiledConfig::compile(config) {
        Ok(compiled) => compiled.warnings,
        Err(issues) => issues,
    }
}

#[derive(Default)]
struct Compiler {
    issues: Vec<ConfigIssue>,
    paths: Vec<EventPath>,
    phone: Option<PhoneSlots>,
    claims: Vec<ClaimRule>,
}

impl Compiler {
    #[cfg_attr(login_claims_size, optimize(size))]
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
            severity: code.severity(),
            at,
            claim: claim.map(str::to_owned),
            message,
            fix,
        });
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn wrong_type(&mut self, at: &str, claim: Option<&str>, expected: &str, found: Json<'_>) {
        self.issue(
            IssueCode::WrongType,
            at.to_owned(),
            claim,
            cat!("`", at, "` must be ", expected, ", not ", type_name(found)),
            cat!(
                "give `",
                at,
                "` ",
                expected,
                ", or leave it out for the default"
            ),
        );
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn unknown_keys(&mut self, at: &str, claim: Option<&str>, object: &Object<'_>, known: &[&str]) {
        for key in object.keys().filter(|k| !known.contains(k)) {
            // An empty key would make `at` empty (or end in a dot): show it as `""`.
            let key = if key.is_empty() { "\"\"" } else { key };
            let place = if at.is_empty() {
                key.to_owned()
            } else {
                cat!(at, ".", key)
            };
            let fix = match closest_key(key, known) {
                Some(close) => cat!("did you mean `", close, "`?"),
                None => cat!("remove it; the keys allowed here are: ", known.join(", ")),
            };
            self.issue(
                IssueCode::UnknownKey,
                place,
                claim,
                cat!("unknown key `", key, "`"),
                fix,
            );
        }
    }

    /// The slot of a path, adding it when new.
    #[cfg_attr(login_claims_size, optimize(size))]
    fn slot(&mut self, path: EventPath) -> usize {
        match self.paths.iter().position(|p| *p == path) {
            Some(index) => index,
            None => {
                self.paths.push(path);
                self.paths.len() - 1
            }
        }
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn compile(&mut self, config: Json<'_>) {
        let root = match config.kind() {
            Kind::Null => Object::default(),
            Kind::Object => Object::of(config),
            _ => {
                return self.issue(
                    IssueCode::NotAnObject,
                    "(root)".to_owned(),
                    None,
                    cat!(
                        "the configuration must be an object, not ",
                        type_name(config)
                    ),
                    ROOT_FIX.to_owned(),
                )
            }
        };
        self.unknown_keys(
            "",
            None,
            &root,
            &["phone", "idToken", "accessToken", "$schema"],
        );
        match root.get("$schema") {
            Some(other) if other.kind() != Kind::String => {
                self.wrong_type("$schema", None, "a string (the schema's URL)", other)
            }
            _ => {}
        }
        let phone_on = self.compile_phone(root.get("phone"));
        for token in [Token::Id, Token::Access] {
            match root.get(token.key()) {
                None => {}
                Some(entries) if entries.kind() == Kind::Null => {}
                Some(entries) if entries.kind() == Kind::Object => {
                    for (name, entry) in Object::of(entries).members() {
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
    #[cfg_attr(login_claims_size, optimize(size))]
    fn compile_phone(&mut self, phone: Option<Json<'_>>) -> bool {
        let policy = match phone {
            None => Object::default(),
            Some(value) => match (value.kind(), value.as_bool()) {
                (Kind::Null, _) | (_, Some(true)) => Object::default(),
                (_, Some(false)) => return false,
                (Kind::Object, _) => Object::of(value),
                _ => {
                    self.wrong_type("phone", None, "an object, true or false", value);
                    return false;
                }
            },
        };
        self.unknown_keys(
            "phone",
            None,
            &policy,
            &[
                "enabled",
                "sources",
                "mfaEndpoint",
                "appMetadata",
                "defaultCountry",
                "countryPath",
            ],
        );
        let enabled = match policy.get("enabled") {
            None => true,
            // Still validated below: a mistake must not wait until the policy is turned on.
            Some(value) => value.as_bool().unwrap_or_else(|| {
                self.wrong_type("phone.enabled", None, "true or false", value);
                true
            }),
        };
        let sources = self.compile_sources(policy.get("sources"));
        let endpoint = match policy.get("mfaEndpoint").map(|v| (v, v.as_str())) {
            None => MfaEndpoint::AuthenticationMethods,
            Some((_, Some(s))) if s == "authentication-methods" => {
                MfaEndpoint::AuthenticationMethods
            }
            Some((_, Some(s))) if s == "enrollments" => MfaEndpoint::Enrollments,
            Some((_, Some(other))) => {
                self.issue(
                    IssueCode::UnknownMfaEndpoint,
                    "phone.mfaEndpoint".to_owned(),
                    None,
                    cat!("unknown MFA endpoint ", json::quoted(&other)),
                    "use \"authentication-methods\" (the complete list) or \"enrollments\""
                        .to_owned(),
                );
                MfaEndpoint::AuthenticationMethods
            }
            Some((other, None)) => {
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
        let default_country = self.compile_default_country(policy.get("defaultCountry"));
        let country_path = policy
            .get("countryPath")
            .and_then(|entry| self.path_entry("phone.countryPath", None, entry));
        if !enabled {
            return false;
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
            metadata_number_path: cat!("user.app_metadata.", number_path),
            metadata_verified_path: cat!("user.app_metadata.", verified_path),
            default_country,
            country: country_path.map(|path| {
                let text = path.text();
                (self.slot(path), text)
            }),
            requested_scopes: self.slot(internal(&["transaction", "requested_scopes"])),
            body_scope: self.slot(internal(&["request", "body", "scope"])),
            query_scope: self.slot(internal(&["request", "query", "scope"])),
            protocol: self.slot(internal(&["transaction", "protocol"])),
        };
        self.phone = Some(slots);
        true
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn compile_sources(&mut self, sources: Option<Json<'_>>) -> Vec<PhoneSource> {
        let default = vec![
            PhoneSource::Profile,
            PhoneSource::Mfa,
            PhoneSource::AppMetadata,
        ];
        let items = match sources {
            None => return default,
            Some(items) if items.kind() == Kind::Array => items,
            Some(other) => {
                self.wrong_type("phone.sources", None, "an array of sources", other);
                return default;
            }
        };
        if items.items().next().is_none() {
            self.issue(
                IssueCode::NoSources,
                "phone.sources".to_owned(),
                None,
                "no phone source is listed".to_owned(),
                "list at least one of \"profile\", \"mfa\", \"app_metadata\", or set \"phone\": false to turn the phone policy off".to_owned(),
            );
        }
        let mut parsed = Vec::new();
        for (index, item) in items.items().enumerate() {
            let at = cat!("phone.sources[", json::decimal(index), "]");
            match item.as_str().as_deref().and_then(PhoneSource::parse) {
                Some(source) if parsed.contains(&source) => self.issue(
                    IssueCode::DuplicateSource,
                    at,
                    None,
                    cat!("the source \"", source.name(), "\" is listed twice"),
                    "list each source once, in the order they should be tried".to_owned(),
                ),
                Some(source) => parsed.push(source),
                None if item.kind() != Kind::String => {
                    self.wrong_type(&at, None, "a source name string", item)
                }
                None => self.issue(
                    IssueCode::UnknownSource,
                    at,
                    None,
                    cat!(
                        "unknown phone source ",
                        json::quoted(&item.as_str().unwrap_or_default())
                    ),
                    "use \"profile\", \"mfa\" or \"app_metadata\"".to_owned(),
                ),
            }
        }
        parsed
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn compile_app_metadata(&mut self, value: Option<Json<'_>>) -> (String, String) {
        let mut number = "phone_number".to_owned();
        let mut verified = "phone_verified".to_owned();
        let fields = match value {
            None => return (number, verified),
            Some(fields) if fields.kind() == Kind::Object => Object::of(fields),
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
        self.unknown_keys("phone.appMetadata", None, &fields, &["number", "verified"]);
        for (key, target) in [("number", &mut number), ("verified", &mut verified)] {
            let at = cat!("phone.appMetadata.", key);
            match fields.get(key).map(|v| (v, v.as_str())) {
                None => {}
                Some((_, Some(written))) => {
                    // A full event path where a path inside app_metadata belongs: what was meant
                    // is plain, so it is read that way, with a warning.
                    let relative = match written.strip_prefix("user.app_metadata.") {
                        Some(inside) if !inside.is_empty() => {
                            self.issue(
                                IssueCode::AppMetadataFullPath,
                                at.clone(),
                                None,
                                cat!(
                                    "`",
                                    written,
                                    "` is a full event path, but `phone.appMetadata.",
                                    key,
                                    "` is a path inside user.app_metadata; it is read as `",
                                    inside,
                                    "`"
                                ),
                                cat!("write \"", inside, "\""),
                            );
                            inside
                        }
                        _ => &written,
                    };
                    match EventPath::parse(&cat!("user.app_metadata.", relative)) {
                        Ok(_) => *target = relative.to_owned(),
                        Err(_) => self.issue(
                            IssueCode::InvalidPath,
                            at,
                            None,
                            cat!(
                                "`",
                                relative,
                                "` is not a dotted path inside user.app_metadata"
                            ),
                            "give a path relative to user.app_metadata, such as \"contact.phone\""
                                .to_owned(),
                        ),
                    }
                }
                Some((other, None)) => self.wrong_type(&at, None, "a path string", other),
            }
        }
        (number, verified)
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn compile_claim(&mut self, token: Token, name: &str, entry: Json<'_>, phone_on: bool) {
        let at = cat!(token.key(), "[", json::quoted(name), "]");
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
                    cat!("`", name, "` is a claim Auth0 ignores: setting it does nothing"),
                    cat!("use a namespaced name such as `", claims::namespaced_example(name), "`"),
                ),
                NameProblem::ReservedNamespace(ns) => (
                    IssueCode::ReservedNamespace,
                    cat!("`", name, "` is in the ", ns, " namespace, which Auth0 keeps for itself and ignores"),
                    cat!("use your own domain, such as `", claims::namespaced_example(name), "`"),
                ),
                NameProblem::NamespaceLookalike(ns) => (
                    IssueCode::NamespaceLookalike,
                    cat!("`", name, "` mentions ", ns, " outside its host; Auth0 documents only ", ns, " and its subdomains as reserved, so it may or may not keep this claim"),
                    cat!("if the claim goes missing, use a name without ", ns, ", such as `", claims::namespaced_example(name), "`"),
                ),
                NameProblem::StandardClaimInAccessToken => (
                    IssueCode::StandardClaimInAccessToken,
                    cat!("`", name, "` is a standard OIDC claim; at the root of an access token it can corrupt the token"),
                    cat!("use a namespaced name such as `", claims::namespaced_example(name), "` in the access token"),
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
                cat!("`", name, "` is already produced by the phone policy; two producers of one claim"),
                "remove this entry and configure the number's sources under `phone`, or set \"phone\": false".to_owned(),
            );
        }
        let Some(path) = self.path_entry(&at, claim, entry) else {
            return;
        };
        let slot = self.slot(path.clone());
        self.claims.push(ClaimRule {
            token,
            name: name.to_owned(),
            path,
            slot,
            overhead: crate::engine::json::quoted_len(name) + 2,
        });
    }

    /// An event path entry: a path string, or `{ "path": ..., "allowUserControlled": true }`.
    /// `None` when it has an issue (reported).
    #[cfg_attr(login_claims_size, optimize(size))]
    fn path_entry(&mut self, at: &str, claim: Option<&str>, entry: Json<'_>) -> Option<EventPath> {
        let what = claim.map_or_else(
            || cat!("`", at, "`"),
            |name| cat!("the entry for `", name, "`"),
        );
        let (path_text, allow_user_controlled) = match entry.kind() {
            Kind::String => (entry.as_str().unwrap_or_default(), false),
            Kind::Object => {
                let fields = Object::of(entry);
                self.unknown_keys(at, claim, &fields, &["path", "allowUserControlled"]);
                let allow = match fields.get("allowUserControlled") {
                    None => false,
                    Some(value) if value.kind() == Kind::Bool => value.as_bool() == Some(true),
                    Some(other) => {
                        self.wrong_type(
                            &cat!(at, ".allowUserControlled"),
                            claim,
                            "true or false",
                            other,
                        );
                        false
                    }
                };
                match fields.get("path") {
                    Some(path) if path.kind() == Kind::String => {
                        (path.as_str().unwrap_or_default(), allow)
                    }
                    Some(other) => {
                        self.wrong_type(&cat!(at, ".path"), claim, "an event path string", other);
                        return None;
                    }
                    None => {
                        self.issue(
                            IssueCode::InvalidPath,
                            at.to_owned(),
                            claim,
                            cat!(what, " has no `path`"),
                            "add \"path\": \"user.app_metadata.…\"".to_owned(),
                        );
                        return None;
                    }
                }
            }
            _ => {
                self.wrong_type(at, claim, "an event path string or { \"path\": … }", entry);
                return None;
            }
        };
        let path_text: &str = &path_text;
        let path = match EventPath::parse(path_text) {
            Ok(path) => path,
            Err(problem) => {
                self.path_issue(at, claim, path_text, problem);
                return None;
            }
        };
        if path.reaches_user_metadata() && !allow_user_controlled {
            self.issue(
                IssueCode::UserControlledPath,
                at.to_owned(),
                claim,
                cat!("`", path_text, "` reads user_metadata, which users can change themselves; a token would carry whatever they wrote"),
                cat!("read it from app_metadata instead, or opt in with { \"path\": \"", path_text, "\", \"allowUserControlled\": true }"),
            );
            return None;
        }
        Some(path)
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn compile_default_country(&mut self, value: Option<Json<'_>>) -> Option<Country> {
        match value.map(|v| (v, v.kind(), v.as_str())) {
            None | Some((_, Kind::Null, _)) => None,
            Some((_, _, Some(code))) => {
                let country = countries::by_iso(&code);
                if country.is_none() {
                    self.issue(
                        IssueCode::UnknownCountry,
                        "phone.defaultCountry".to_owned(),
                        None,
                        cat!(
                            json::quoted(&code),
                            " is not an ISO 3166-1 alpha-2 country code with known dialling rules"
                        ),
                        "use the two-letter code of the country, such as \"GB\", \"US\" or \"DE\""
                            .to_owned(),
                    );
                }
                country
            }
            Some((other, _, None)) => {
                self.wrong_type(
                    "phone.defaultCountry",
                    None,
                    "a two-letter country code such as \"GB\"",
                    other,
                );
                None
            }
        }
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn path_issue(&mut self, at: &str, claim: Option<&str>, text: &str, problem: PathProblem) {
        let (code, message, fix) = match problem {
            PathProblem::Malformed | PathProblem::TooDeep => (
                IssueCode::InvalidPath,
                cat!("`", text, "` is not a dotted event path"),
                "write segments separated by dots, such as \"user.app_metadata.plan\"".to_owned(),
            ),
            PathProblem::PrototypeSegment(segment) => (
                IssueCode::InvalidPath,
                cat!("`", text, "` contains `", segment, "`, which reads JavaScript internals, not event data"),
                "name a data property of the event".to_owned(),
            ),
            PathProblem::UnknownRoot(root) => (
                IssueCode::UnknownPathRoot,
                cat!("`", root, "` is not a property of the post-login event"),
                cat!("start the path with one of: ", KNOWN_ROOTS.join(", ")),
            ),
            PathProblem::Secret => (
                IssueCode::SecretPath,
                cat!("`", text, "` reads the Action's secrets; a token would publish them"),
                "never put secrets in a token".to_owned(),
            ),
            PathProblem::RequestBody => (
                IssueCode::CredentialPath,
                cat!("`", text, "` reads the raw request body, which holds the user's password in the password grant"),
                "read the value from the user or the transaction instead".to_owned(),
            ),
        };
        self.issue(code, at.to_owned(), claim, message, fix);
    }
}

/// The allowed key a mistyped one most likely meant: the same key in another case, or one at
/// most two edits away (one for short keys), the nearest first.
#[cfg_attr(login_claims_size, optimize(size))]
fn closest_key<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
    // At most four chars (`chars().count()` would add a counting routine to the module).
    let limit = if key.chars().nth(4).is_none() { 1 } else { 2 };
    known
        .iter()
        .map(|candidate| {
            (
                edit_distance(&key, &candidate.to_ascii_lowercase()),
                *candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours each cost one. Keys are short, so the quadratic table is nothing.
#[cfg_attr(login_claims_size, optimize(size))]
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut table: Vec<usize> = vec![0; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            let value = if i == 0 || j == 0 {
                i + j
            } else {
                let same = a.get(i - 1) == b.get(j - 1);
                let get = |i, j| table.get(at(i, j)).copied().unwrap_or(usize::MAX - 1);
                let mut best = (get(i - 1, j) + 1)
                    .min(get(i, j - 1) + 1)
                    .min(get(i - 1, j - 1) + usize::from(!same));
                if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                    best = best.min(get(i - 2, j - 2) + 1);
                }
                best
            };
            if let Some(cell) = table.get_mut(at(i, j)) {
                *cell = value;
            }
        }
    }
    table
        .get(at(a.len(), b.len()))
        .copied()
        .unwrap_or(usize::MAX)
}

#[cfg_attr(login_claims_size, optimize(size))]
fn type_name(value: Json<'_>) -> &'static str {
    match value.kind() {
        Kind::Null => "null",
        Kind::Bool => "a boolean",
        Kind::Number => "a number",
        Kind::String => "a string",
        Kind::Array => "an array",
        Kind::Object => "an object",
    }
}

/// The fix of a configuration that is not an object.
const ROOT_FIX: &str = "pass a plain object such as { \"accessToken\": { ... } }";

/// An object's members as JSON.parse leaves them (the last of a repeated key), in the order of
/// their keys: the order in which claims are compiled and issues reported.
#[derive(Default)]
struct Object<'a> {
    members: Vec<(Cow<'a, str>, Json<'a>)>,
}

impl<'a> Object<'a> {
    /// The members of `value`, an object.
    #[cfg_attr(login_claims_size, optimize(size))]
    fn of(value: Json<'a>) -> Object<'a> {
        let mut members: Vec<_> = value
            .members()
            .map(|member| (member.key(), member.value))
            .collect();
        // Stable: a repeated key's members stay in text order, and the last one is kept.
        crate::engine::sort_small(&mut members, |a, b| a.0 < b.0);
        members.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(&mut later.1, &mut earlier.1);
            }
            same
        });
        Object { members }
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn get(&self, key: &str) -> Option<Json<'a>> {
        let index = self
            .members
            .binary_search_by(|(name, _)| name.as_ref().cmp(key))
            .ok()?;
        self.members.get(index).map(|(_, value)| *value)
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.members.iter().map(|(name, _)| name.as_ref())
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    fn members(&self) -> impl Iterator<Item = (&str, Json<'a>)> {
        self.members
            .iter()
            .map(|(name, value)| (name.as_ref(), *value))
    }
}

/// Every problem of a configuration, errors and warnings, as `validateConfig` answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// True when no issue is an error: the handler would start.
    pub ok: bool,
    pub issues: Vec<ConfigIssue>,
    /// Whether a login can read the Management API (the `mfa` phone source is on), and so
    /// needs its secrets; known only for a configuration that compiles.
    pub management_api: Option<bool>,
}

impl Validation {
    /// `{"ok": ..., "issues": [...], "managementApi"?: ...}` (`managementApi` only when known).
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn to_json(&self) -> String {
        let mut out = String::from(if self.ok {
            "{\"ok\":true,\"issues\":["
        } else {
            "{\"ok\":false,\"issues\":["
        });
        write_issues(&mut out, &self.issues);
        out.push(']');
        match self.management_api {
            Some(true) => out.push_str(",\"managementApi\":true"),
            Some(false) => out.push_str(",\"managementApi\":false"),
            None => {}
        }
        out.push('}');
        out
    }
}

/// Checks configuration JSON (empty text: the default); never fails.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn validation(text: &str) -> Validation {
    match CompiledConfig::compile_str(text) {
        Ok(compiled) => Validation {
            ok: true,
            issues: compiled.warnings().to_vec(),
            management_api: Some(compiled.uses_management_api()),
        },
        Err(issues) => Validation {
            ok: false,
            issues,
            management_api: None,
        },
    }
}

// Native only: these tests use proptest, which has no wasm32 randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "config_tests.rs"]
mod tests;
