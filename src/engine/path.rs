//! Event paths: the dotted addresses (`user.app_metadata.plan`, `user.identities.0.user_id`) by
//! which a configuration names a value of the post-login event, and the rules on which of them
//! may become a claim.

use std::fmt;

/// Roots of the post-login event object that a claim may read from.
pub const KNOWN_ROOTS: &[&str] = &[
    "authentication",
    "authorization",
    "client",
    "connection",
    "organization",
    "request",
    "resource_server",
    "session",
    "stats",
    "tenant",
    "transaction",
    "user",
];

/// Segments that would walk an object's prototype chain in JavaScript instead of its data.
const PROTOTYPE_SEGMENTS: &[&str] = &["__proto__", "constructor", "prototype"];

/// Longest path accepted, in segments; real event paths are a handful deep.
const MAX_SEGMENTS: usize = 16;

/// A parsed event path. Segments are own-property names; a segment made of digits also indexes
/// an array.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventPath {
    segments: Vec<String>,
}

/// Why a path string is not a usable event path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathProblem {
    /// Empty, or with an empty segment (`user..plan`, `.user`).
    Malformed,
    /// More than [`MAX_SEGMENTS`] segments.
    TooDeep,
    /// A segment that reaches the JavaScript prototype chain.
    PrototypeSegment(String),
    /// The first segment is not a property of the post-login event.
    UnknownRoot(String),
    /// Secrets of the Action; copying them into a token would publish them.
    Secret,
    /// The request body carries the user's credentials in the password grant.
    RequestBody,
}

impl EventPath {
    /// Parses and checks a configured path.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn parse(text: &str) -> Result<EventPath, PathProblem> {
        let segments: Vec<String> = text.split('.').map(str::to_owned).collect();
        if text.is_empty() || segments.iter().any(String::is_empty) {
            return Err(PathProblem::Malformed);
        }
        if segments.len() > MAX_SEGMENTS {
            return Err(PathProblem::TooDeep);
        }
        if let Some(bad) = segments
            .iter()
            .find(|s| PROTOTYPE_SEGMENTS.contains(&s.as_str()))
        {
            return Err(PathProblem::PrototypeSegment(bad.clone()));
        }
        let root = segments.first().map(String::as_str).unwrap_or_default();
        if root == "secrets" {
            return Err(PathProblem::Secret);
        }
        if !KNOWN_ROOTS.contains(&root) {
            return Err(PathProblem::UnknownRoot(root.to_owned()));
        }
        if root == "request" && segments.get(1).map(String::as_str) == Some("body") {
            return Err(PathProblem::RequestBody);
        }
        if root == "request" && segments.len() == 1 {
            return Err(PathProblem::RequestBody);
        }
        Ok(EventPath { segments })
    }

    /// A path the engine itself reads; these are constants known to be valid.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub(crate) fn internal(segments: &[&str]) -> EventPath {
        EventPath {
            segments: segments.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// True when the value at this path contains data the user can write themselves:
    /// `user.user_metadata` or anything below it, and the whole `user` object.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn reaches_user_metadata(&self) -> bool {
        match self.segments.as_slice() {
            [user] => user == "user",
            [user, metadata, ..] => user == "user" && metadata == "user_metadata",
            [] => false,
        }
    }

    /// Reads this path from a JSON event, following own properties only.
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn read<'a>(&self, event: &'a serde_json::Value) -> Option<&'a serde_json::Value> {
        let mut current = event;
        for segment in &self.segments {
            current = match current {
                serde_json::Value::Object(map) => map.get(segment)?,
                serde_json::Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }
}

impl EventPath {
    /// The dotted text of the path (`to_string` without the formatting machinery).
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn text(&self) -> String {
        self.segments.join(".")
    }
}

impl fmt::Display for EventPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_known_roots() {
        for root in KNOWN_ROOTS {
            if *root == "request" {
                continue;
            }
            assert!(EventPath::parse(&format!("{root}.x")).is_ok(), "{root}");
        }
        assert!(EventPath::parse("request.query.scope").is_ok());
        assert!(EventPath::parse("organization.id").is_ok());
    }

    #[test]
    fn rejects_malformed_paths() {
        for text in ["", ".", "user.", ".user", "user..plan"] {
            assert_eq!(
                EventPath::parse(text),
                Err(PathProblem::Malformed),
                "{text:?}"
            );
        }
        let deep = vec!["user"; 17].join(".");
        assert_eq!(EventPath::parse(&deep), Err(PathProblem::TooDeep));
    }

    #[test]
    fn sixteen_segments_are_accepted_and_seventeen_refused() {
        let of = |n: usize| {
            let mut segments = vec!["user".to_owned()];
            segments.extend((1..n).map(|i| format!("s{i}")));
            segments
        };
        let sixteen = of(16);
        assert_eq!(
            EventPath::parse(&sixteen.join(".")).map(|p| p.segments().to_vec()),
            Ok(sixteen)
        );
        assert_eq!(
            EventPath::parse(&of(17).join(".")),
            Err(PathProblem::TooDeep)
        );
        // Depth is checked before the segments are: a too deep path is too deep.
        let deep_proto = format!("{}.__proto__", of(16).join("."));
        assert_eq!(EventPath::parse(&deep_proto), Err(PathProblem::TooDeep));
    }

    #[test]
    fn a_path_parses_into_its_dotted_segments() {
        let segments = |t: &str| EventPath::parse(t).map(|p| p.segments().to_vec());
        assert_eq!(segments("user"), Ok(vec!["user".to_owned()]));
        assert_eq!(
            segments("user.identities.0.user_id"),
            Ok(["user", "identities", "0", "user_id"]
                .map(str::to_owned)
                .to_vec())
        );
        // Only `.` separates; other punctuation and spaces stay inside a segment.
        assert_eq!(
            segments("user.app_metadata.a-b c/d[0]"),
            Ok(["user", "app_metadata", "a-b c/d[0]"]
                .map(str::to_owned)
                .to_vec())
        );
        assert_eq!(
            segments("request.query.scope"),
            Ok(["request", "query", "scope"].map(str::to_owned).to_vec())
        );
        // `body` is refused only right under `request`.
        assert_eq!(
            segments("request.query.body"),
            Ok(["request", "query", "body"].map(str::to_owned).to_vec())
        );
        assert_eq!(
            segments("user.body"),
            Ok(["user", "body"].map(str::to_owned).to_vec())
        );
        assert_eq!(
            EventPath::parse("request.body"),
            Err(PathProblem::RequestBody)
        );
        // Roots match exactly.
        assert_eq!(
            EventPath::parse("User.email"),
            Err(PathProblem::UnknownRoot("User".to_owned()))
        );
        assert_eq!(
            EventPath::parse("secrets_x.a"),
            Err(PathProblem::UnknownRoot("secrets_x".to_owned()))
        );
    }

    #[test]
    fn user_metadata_reach_needs_the_user_root() {
        let reach = |segments: &[&str]| EventPath::internal(segments).reaches_user_metadata();
        assert!(!reach(&[]));
        assert!(!reach(&["organization"]));
        assert!(!reach(&["organization", "user_metadata"]));
        assert!(!reach(&["user", "app_metadata"]));
        assert!(reach(&["user", "user_metadata", "a", "b"]));
    }

    #[test]
    fn rejects_prototype_segments() {
        for seg in ["__proto__", "constructor", "prototype"] {
            assert_eq!(
                EventPath::parse(&format!("user.app_metadata.{seg}")),
                Err(PathProblem::PrototypeSegment(seg.to_owned()))
            );
        }
    }

    #[test]
    fn rejects_unknown_roots_secrets_and_request_body() {
        assert_eq!(
            EventPath::parse("usr.email"),
            Err(PathProblem::UnknownRoot("usr".to_owned()))
        );
        assert_eq!(EventPath::parse("secrets.TOKEN"), Err(PathProblem::Secret));
        assert_eq!(EventPath::parse("secrets"), Err(PathProblem::Secret));
        assert_eq!(
            EventPath::parse("request.body.password"),
            Err(PathProblem::RequestBody)
        );
        assert_eq!(EventPath::parse("request"), Err(PathProblem::RequestBody));
    }

    #[test]
    fn user_metadata_reach() {
        let reach = |t: &str| EventPath::parse(t).map(|p| p.reaches_user_metadata());
        assert_eq!(reach("user"), Ok(true));
        assert_eq!(reach("user.user_metadata"), Ok(true));
        assert_eq!(reach("user.user_metadata.city"), Ok(true));
        assert_eq!(reach("user.app_metadata.city"), Ok(false));
        assert_eq!(reach("organization.metadata"), Ok(false));
    }

    #[test]
    fn reads_objects_and_array_indices() {
        let event =
            json!({"user": {"identities": [{"user_id": "1"}], "app_metadata": {"plan": "pro"}}});
        let read = |t: &str| {
            EventPath::parse(t)
                .ok()
                .and_then(|p| p.read(&event).cloned())
        };
        assert_eq!(read("user.app_metadata.plan"), Some(json!("pro")));
        assert_eq!(read("user.identities.0.user_id"), Some(json!("1")));
        assert_eq!(read("user.identities.1.user_id"), None);
        assert_eq!(read("user.identities.x"), None);
        assert_eq!(read("user.app_metadata.plan.length"), None);
        assert_eq!(
            EventPath::parse("user.a.b").unwrap().to_string(),
            "user.a.b"
        );
    }
}
