//! The Management API lookup: the user's confirmed phone enrollments.
//!
//! [`enrollments`] reads the answer (which enrollment, which number).

pub mod enrollments;
