//! The parts of a post-login event that a compiled configuration reads.
//!
//! Events carry user and app metadata of any size, so nothing converts a whole event: the
//! configuration lists the paths it needs ([`crate::CompiledConfig::paths`]) and the caller
//! hands over one slot per path. From JavaScript the slots arrive as text, one line per path
//! (see [`EventView::from_slot_text`]); native callers read a JSON event with
//! [`EventView::from_event`].

use crate::path::EventPath;
use serde_json::Value;

/// Largest JSON text read for one value. A token's custom claims are capped at 100 KB, so a
/// larger value can never be set; this bounds the parse work a hostile event can cause.
const MAX_SLOT_BYTES: usize = 4 * 1024 * 1024;

/// Why a slot holds no value although the event may have one there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotFault {
    /// Reading the property threw (a getter or a Proxy trap).
    Unreadable,
    /// The value cannot be expressed as JSON: function, symbol, bigint, a cycle, nesting deeper
    /// than 128 levels, a lone UTF-16 surrogate, or more than 4 MiB of JSON.
    Unsupported,
}

impl SlotFault {
    /// The marker used in slot text: `!unreadable` or `!unsupported`.
    pub fn marker(self) -> &'static str {
        match self {
            SlotFault::Unreadable => "unreadable",
            SlotFault::Unsupported => "unsupported",
        }
    }
}

/// The value at one path.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// No value, or `null`.
    Missing,
    Value(Value),
    Fault(SlotFault),
}

impl Slot {
    pub fn value(&self) -> Option<&Value> {
        match self {
            Slot::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        self.value().and_then(Value::as_str)
    }

    fn from_value(value: Value) -> Slot {
        if value.is_null() {
            Slot::Missing
        } else {
            Slot::Value(value)
        }
    }
}

/// The slots of one login, in the order of the configuration's paths.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    slots: Vec<Slot>,
}

/// Slot text that does not match the configuration's paths: a bug in the caller, not bad data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotCountMismatch {
    pub expected: usize,
    pub found: usize,
}

impl EventView {
    /// Reads each path from a JSON event (own properties only).
    pub fn from_event(event: &Value, paths: &[EventPath]) -> EventView {
        let slots = paths
            .iter()
            .map(|path| match path.read(event) {
                Some(value) => Slot::from_value(value.clone()),
                None => Slot::Missing,
            })
            .collect();
        EventView { slots }
    }

    /// Parses slot text: one line per path, each line empty (no value), `!unreadable`,
    /// `!unsupported`, or the value as JSON text. JSON text from `JSON.stringify` never holds a
    /// raw newline, so a newline separates slots unambiguously. A value that does not parse
    /// (too deep, lone surrogate escape, too long) becomes [`SlotFault::Unsupported`] for that
    /// slot only.
    pub fn from_slot_text(text: &str, expected: usize) -> Result<EventView, SlotCountMismatch> {
        let slots: Vec<Slot> = if expected == 0 && text.is_empty() {
            Vec::new()
        } else {
            text.split('\n').map(parse_slot).collect()
        };
        if slots.len() != expected {
            return Err(SlotCountMismatch {
                expected,
                found: slots.len(),
            });
        }
        Ok(EventView { slots })
    }

    pub fn slot(&self, index: usize) -> &Slot {
        self.slots.get(index).unwrap_or(&Slot::Missing)
    }
}

fn parse_slot(line: &str) -> Slot {
    if line.is_empty() {
        return Slot::Missing;
    }
    if let Some(marker) = line.strip_prefix('!') {
        return Slot::Fault(if marker == SlotFault::Unreadable.marker() {
            SlotFault::Unreadable
        } else {
            SlotFault::Unsupported
        });
    }
    if line.len() > MAX_SLOT_BYTES {
        return Slot::Fault(SlotFault::Unsupported);
    }
    match serde_json::from_str::<Value>(line) {
        Ok(value) => Slot::from_value(value),
        Err(_) => Slot::Fault(SlotFault::Unsupported),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slot_text_round_trip() {
        let view =
            EventView::from_slot_text("\"a\"\n\n!unreadable\n!unsupported\nnull\n[1,{\"b\":2}]", 6)
                .unwrap();
        assert_eq!(view.slot(0), &Slot::Value(json!("a")));
        assert_eq!(view.slot(1), &Slot::Missing);
        assert_eq!(view.slot(2), &Slot::Fault(SlotFault::Unreadable));
        assert_eq!(view.slot(3), &Slot::Fault(SlotFault::Unsupported));
        assert_eq!(view.slot(4), &Slot::Missing);
        assert_eq!(view.slot(5), &Slot::Value(json!([1, {"b": 2}])));
        assert_eq!(view.slot(99), &Slot::Missing);
    }

    #[test]
    fn slot_count_must_match() {
        assert_eq!(
            EventView::from_slot_text("1\n2", 3),
            Err(SlotCountMismatch {
                expected: 3,
                found: 2
            })
        );
        assert!(EventView::from_slot_text("", 0).is_ok());
        assert_eq!(
            EventView::from_slot_text("", 1).map(|v| v.slot(0).clone()),
            Ok(Slot::Missing)
        );
    }

    #[test]
    fn bad_json_only_spoils_its_slot() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let text = format!("\"\\ud800\"\n{deep}\n{{\"a\":\n7");
        let view = EventView::from_slot_text(&text, 4).unwrap();
        for i in 0..3 {
            assert_eq!(
                view.slot(i),
                &Slot::Fault(SlotFault::Unsupported),
                "slot {i}"
            );
        }
        assert_eq!(view.slot(3), &Slot::Value(json!(7)));
    }

    #[test]
    fn reads_paths_from_an_event() {
        let paths = vec![
            EventPath::parse("user.app_metadata.plan").unwrap(),
            EventPath::parse("organization.id").unwrap(),
            EventPath::parse("user.phone_number").unwrap(),
        ];
        let event = json!({"user": {"app_metadata": {"plan": "pro"}, "phone_number": null}});
        let view = EventView::from_event(&event, &paths);
        assert_eq!(view.slot(0), &Slot::Value(json!("pro")));
        assert_eq!(view.slot(1), &Slot::Missing);
        assert_eq!(view.slot(2), &Slot::Missing);
    }
}
