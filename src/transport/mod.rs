//! The transport policy.
