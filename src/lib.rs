//! login-claims: decides which phone and custom claims an Auth0 post-login Action puts into the
//! ID token and the access token, and records why.
//!
//! The core is plain Rust and does no I/O. A login runs in two steps so that the network is
//! touched only when the answer can change:
//!
//! 1. [`CompiledConfig::plan`] reads the parts of the event the configuration needs and either
//!    decides every claim, or asks for the user's MFA authentication methods.
//! 2. [`CompiledConfig::finish`] takes the outcome of that lookup (the list, or why it failed)
//!    and decides every claim.
//!
//! The configuration schema is documented on [`config`]; the reason codes of the trace on
//! [`trace::Reason`]. The only module that knows about JavaScript is `wasm`.
//!
//! The same core plans phone-message deliveries through Twilio Verify and the post-login
//! "approved" feedback Verify's Fraud Guard needs ([`delivery`]).
// `--cfg login_claims_size` (build.sh, the login_claims_decide module only, which is built at
// opt-level 3 for its per-login path): the code that runs once per handler (compiling the
// configuration, the claim-name and path rules, the options, the layout) carries
// `#[cfg_attr(login_claims_size, optimize(size))]`, which keeps it at the size it has at "z"
// (measured in BENCHMARKS.md, "The build settings"). The release build compiles std from source
// with RUSTC_BOOTSTRAP, so the unstable attribute is available there; every other build ignores it.
#![cfg_attr(login_claims_size, feature(optimize_attribute))]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo
    )
)]

// The wasm allocator: talc instead of std's dlmalloc. Measured on login_claims_decide: 2.2 KB
// gzip smaller, the per-login call as fast (BENCHMARKS.md, "The build settings").
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// `format!` for messages made of string pieces: concatenates `&str`, `String` and `Cow<str>`
/// pieces (numbers go through [`engine::json::decimal`]). The formatting machinery `format!`
/// needs is about 5 KB of wasm, which the module every Action loads does without.
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {
        [$(::core::convert::AsRef::<str>::as_ref(&$piece)),+].concat()
    };
}

// The rooms: the post-login engine, phone numbers, the transport policy every HTTP exchange
// follows, the Management API lookup, the phone-message (Twilio Verify) code, and the wasm
// boundary, which only delegates.
pub mod boundary;
pub mod catalogue;
pub mod engine;
pub mod management;
pub mod options;
pub mod phone;
#[cfg(feature = "phone-messages")]
pub mod phone_message;
pub mod transport;

// The promises of a login as checks, for the fuzz targets (`--cfg fuzzing`) and cargo test.
#[cfg(any(test, fuzzing))]
pub mod invariants;

// Short paths for the engine's parts and the shared number rules.
pub use boundary as wasm;
pub use engine::{claims, config, event, path, scope, trace};
pub use management::enrollments as mfa;
#[cfg(test)]
pub(crate) use phone::calling_codes;
pub use phone::countries;
#[cfg(feature = "phone-messages")]
pub use phone_message as delivery;

// Inputs the fuzz targets and property tests found, kept as tests. Native only: the drivers read
// files.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "regression_tests.rs"]
mod regression_tests;

// Fixtures the unit tests of several modules share.
#[cfg(test)]
mod test_support;

pub use config::{CompiledConfig, ConfigIssue, IssueCode};
pub use engine::{Decision, LookupOutcome, LookupRequest, Plan};
pub use event::{EventView, Slot, SlotFault};
pub use trace::{Outcome, Reason, TraceEntry};
