//! The Management API lookup: the user's authentication methods (all pages merged) or Guardian
//! enrollments, read so that a login can find a phone number that is not on `event.user`.
//!
//! A login must never fail or stall because of it, so the lookup is a sans-IO state machine
//! ([`Lookup`]) that never panics and always ends: every problem becomes one reason code of the
//! catalogue ([`MgmtFailure`]) with a one-sentence detail that carries no token, client secret
//! or phone number; every request is bounded by a per-request timeout and the login's deadline
//! ([`crate::transport::Budget`]); 429 and 5xx answers are retried a bounded number of times;
//! pagination stops at [`MAX_PAGES`] and at the first sign of a loop. Client-credentials tokens
//! are kept in process memory ([`TokenMemory`]) and `api.cache`, and concurrent lookups of one
//! process share one token request, so most logins make one request.
//!
//! - [`secrets`]: which secrets set the lookup up, and how they are read.
//! - [`tokens`]: memory, cache key, expiry margin, single flight.
//! - [`lookup`]: the machine.
//! - [`failures`]: the catalogue.
//! - [`enrollments`]: reads the answer (which enrollment, which number).

pub mod enrollments;
pub mod failures;
pub mod lookup;
pub mod secrets;
pub mod tokens;

pub use failures::MgmtFailure;
pub use lookup::{Lookup, LookupResult, MAX_BODY_BYTES, MAX_PAGES, PER_PAGE, RETRY_POLICY};
pub use secrets::SECRET_NAMES;
pub use tokens::TokenMemory;
// The trait the lookup answers through, so that `Lookup::next` and friends are in scope with it.
pub use crate::transport::Machine;

// Test files end in `_tests.rs`: build.sh leaves them out of pkg/'s input hash.
#[cfg(test)]
#[path = "management_tests.rs"]
mod tests;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "property_tests.rs"]
mod proptests;
