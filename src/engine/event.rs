//! The parts of a post-login event that a compiled configuration reads.
//!
//! Events carry user and app metadata of any size, so nothing converts a whole event: the
//! configuration lists the paths it needs ([`crate::CompiledConfig::paths`]) and the caller
//! hands over one slot per path, in the slot encoding below. The shim writes it straight into a
//! buffer inside the wasm memory; native callers encode a JSON event with
//! [`EventView::from_event`]. Nothing here builds a JSON value tree: a slot is its text, checked
//! once by the scanner ([`crate::engine::json`]), and read in place.
//!
//! # The slot encoding
//!
//! One record per path, in path order, each a tag byte, and for the tags that carry text its
//! length in bytes and the bytes. The length is four bytes of seven bits each, least significant
//! first (at most 2^28 − 1), so that every byte outside the texts is ASCII: a stream of valid
//! texts is valid UTF-8 as a whole, checked in one pass.
//!
//! | tag | slot |
//! | --- | --- |
//! | 0 | no value (missing, `undefined` or `null`) |
//! | 1 | reading the property threw (a getter or a Proxy trap) |
//! | 2 | a value JSON cannot express (function, symbol, bigint, cycle, a string with a lone surrogate) |
//! | 3 | a string, as UTF-8 (no JSON quoting or escapes) |
//! | 4 | `true` |
//! | 5 | `false` |
//! | 6 | any other value, as its JSON text (`JSON.stringify`) |
//!
//! A text slot that is not what its tag says (invalid UTF-8, JSON the scanner refuses, too deep,
//! a number beyond a double, a lone surrogate escape, more than [`MAX_SLOT_BYTES`]) spoils that
//! slot only: it reads as
//! [`SlotFault::Unsupported`]. A stream whose records cannot be framed (an unknown tag, a length
//! past the end, a length byte above 0x7f, bytes after the last record, a different number of
//! records than paths) is the caller's bug, refused whole ([`SlotsInvalid`]).

use crate::engine::json::{self, Json, Kind};
use crate::path::EventPath;
use std::borrow::Cow;

/// The largest length a record can state (four 7-bit bytes).
pub const MAX_RECORD_BYTES: usize = (1 << 28) - 1;

/// Largest text read for one value. A token's custom claims are capped at 100 KB, so a larger
/// value can never be set; this bounds the scan work a hostile event can cause.
pub const MAX_SLOT_BYTES: usize = 4 * 1024 * 1024;

/// The tags of the slot encoding (see the module documentation).
pub mod tag {
    pub const MISSING: u8 = 0;
    pub const UNREADABLE: u8 = 1;
    pub const UNSUPPORTED: u8 = 2;
    pub const STRING: u8 = 3;
    pub const TRUE: u8 = 4;
    pub const FALSE: u8 = 5;
    pub const JSON: u8 = 6;
}

/// Why a slot holds no value although the event may have one there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotFault {
    /// Reading the property threw (a getter or a Proxy trap).
    Unreadable,
    /// The value cannot be expressed as JSON: function, symbol, bigint, a cycle, nesting deeper
    /// than 127 levels, a lone UTF-16 surrogate, or more than 4 MiB of JSON.
    Unsupported,
}

/// The value at one path, read in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot<'a> {
    /// No value, or `null`.
    Missing,
    /// A string.
    Str(&'a str),
    Bool(bool),
    /// A number, array or object (or a string written as JSON), as checked JSON text.
    Json(Json<'a>),
    Fault(SlotFault),
}

impl<'a> Slot<'a> {
    /// Whether the slot holds a value.
    pub fn is_value(self) -> bool {
        matches!(self, Slot::Str(_) | Slot::Bool(_) | Slot::Json(_))
    }

    /// What the value is, or `None` without one.
    pub fn kind(self) -> Option<Kind> {
        match self {
            Slot::Str(_) => Some(Kind::String),
            Slot::Bool(_) => Some(Kind::Bool),
            Slot::Json(value) => Some(value.kind()),
            Slot::Missing | Slot::Fault(_) => None,
        }
    }

    /// A string value, escapes decoded.
    pub fn as_str(self) -> Option<Cow<'a, str>> {
        match self {
            Slot::Str(text) => Some(Cow::Borrowed(text)),
            Slot::Json(value) => value.as_str(),
            _ => None,
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self {
            Slot::Bool(value) => Some(value),
            _ => None,
        }
    }

    /// The items of an array value (none for any other slot).
    pub fn items(self) -> impl Iterator<Item = Json<'a>> {
        // Json::items is empty for anything but an array.
        let json = match self {
            Slot::Json(value) => Some(value),
            _ => None,
        };
        json.into_iter().flat_map(Json::items)
    }

    /// Bytes the value takes as compact JSON (`JSON.stringify`), without writing it; 0 without
    /// a value. JSON text is measured as given, so text with insignificant white space (never
    /// from `JSON.stringify`) only measures more.
    pub fn json_len(self) -> usize {
        match self {
            Slot::Str(text) => json::quoted_len(text),
            Slot::Bool(true) => 4,
            Slot::Bool(false) => 5,
            Slot::Json(value) => value.text().len(),
            Slot::Missing | Slot::Fault(_) => 0,
        }
    }

    /// The value as a `serde_json::Value`, for the rendered decision of tools and tests; `None`
    /// without one.
    pub fn to_value(self) -> Option<serde_json::Value> {
        match self {
            Slot::Str(text) => Some(serde_json::Value::String(text.to_owned())),
            Slot::Bool(value) => Some(serde_json::Value::Bool(value)),
            // Checked by the scanner, so serde_json reads it too (its depth limit is the same).
            Slot::Json(value) => serde_json::from_str(value.text()).ok(),
            Slot::Missing | Slot::Fault(_) => None,
        }
    }
}

/// How one record was read: where its text is, and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Missing,
    Fault(SlotFault),
    Bool(bool),
    /// A string at `start..end`.
    Str {
        start: usize,
        end: usize,
    },
    /// Checked JSON text at `start..end`.
    Json {
        start: usize,
        end: usize,
        kind: Kind,
    },
}

/// The slots of one login, in the order of the configuration's paths. Borrows the caller's
/// buffer ([`EventView::into_owned`] copies it, for a login that waits for a lookup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventView<'a> {
    /// The whole stream as text (its framing bytes are ASCII); a text that was not UTF-8 is
    /// blanked in a copy, its slot unsupported.
    text: Cow<'a, str>,
    entries: Vec<Entry>,
}

/// Slot bytes that cannot be framed, or that do not match the configuration's paths: a bug in
/// the caller, not bad data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotsInvalid {
    /// A record starts with a tag the encoding does not have.
    UnknownTag { at: usize, tag: u8 },
    /// A record's length, or its header, runs past the end.
    Truncated { at: usize },
    /// A record's length has a byte with the high bit set.
    BadLength { at: usize },
    /// The records are not one per path.
    Count { expected: usize, found: usize },
}

impl SlotsInvalid {
    /// One line for the error message.
    pub fn message(&self) -> String {
        match self {
            SlotsInvalid::UnknownTag { at, tag } => {
                cat!(
                    "the event slots hold an unknown tag ",
                    json::decimal(usize::from(*tag)),
                    " at byte ",
                    json::decimal(*at)
                )
            }
            SlotsInvalid::Truncated { at } => {
                cat!(
                    "the event slots end inside the record at byte ",
                    json::decimal(*at)
                )
            }
            SlotsInvalid::BadLength { at } => {
                cat!(
                    "the event slots hold a malformed length in the record at byte ",
                    json::decimal(*at)
                )
            }
            SlotsInvalid::Count { expected, found } => {
                cat!(
                    "expected ",
                    json::decimal(*expected),
                    " event slots, got ",
                    json::decimal(*found)
                )
            }
        }
    }
}

impl<'a> EventView<'a> {
    /// Reads slot bytes (see the module documentation) holding `expected` records.
    pub fn from_slot_bytes(
        bytes: impl Into<Cow<'a, [u8]>>,
        expected: usize,
    ) -> Result<EventView<'a>, SlotsInvalid> {
        let bytes = bytes.into();
        let mut records = Vec::with_capacity(expected);
        let mut at = 0;
        while at < bytes.len() {
            if records.len() == expected {
                return Err(SlotsInvalid::Count {
                    expected,
                    found: expected + 1,
                });
            }
            let (record, next) = frame(&bytes, at)?;
            records.push(record);
            at = next;
        }
        if records.len() != expected {
            return Err(SlotsInvalid::Count {
                expected,
                found: records.len(),
            });
        }
        let text = match bytes {
            Cow::Borrowed(b) => match std::str::from_utf8(b) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => Cow::Owned(blank_invalid(b.to_vec(), &mut records)),
            },
            Cow::Owned(b) => match String::from_utf8(b) {
                Ok(text) => Cow::Owned(text),
                Err(error) => Cow::Owned(blank_invalid(error.into_bytes(), &mut records)),
            },
        };
        let entries = records.iter().map(|r| r.read(&text)).collect();
        Ok(EventView { text, entries })
    }

    /// The same slots, owning their bytes.
    pub fn into_owned(self) -> EventView<'static> {
        EventView {
            text: Cow::Owned(self.text.into_owned()),
            entries: self.entries,
        }
    }

    /// The slot at `index` (a missing slot past the end).
    pub fn slot(&self, index: usize) -> Slot<'_> {
        match self.entries.get(index) {
            None | Some(Entry::Missing) => Slot::Missing,
            Some(Entry::Fault(fault)) => Slot::Fault(*fault),
            Some(Entry::Bool(value)) => Slot::Bool(*value),
            Some(&Entry::Str { start, end }) => match self.text.get(start..end) {
                Some(text) => Slot::Str(text),
                None => Slot::Fault(SlotFault::Unsupported),
            },
            Some(&Entry::Json { start, end, kind }) => match self.text.get(start..end) {
                Some(text) => Slot::Json(Json::checked(text, kind)),
                None => Slot::Fault(SlotFault::Unsupported),
            },
        }
    }
}

impl EventView<'static> {
    /// Reads each path from a JSON event (own properties only), through the slot encoding.
    pub fn from_event(event: &serde_json::Value, paths: &[EventPath]) -> EventView<'static> {
        let mut bytes = Vec::new();
        for path in paths {
            encode_slot(&mut bytes, path.read(event));
        }
        match EventView::from_slot_bytes(bytes, paths.len()) {
            Ok(view) => view,
            // The encoder writes one well-framed record per path.
            Err(_) => EventView {
                text: Cow::Owned(String::new()),
                entries: vec![Entry::Missing; paths.len()],
            },
        }
    }
}

/// Appends the record of one value (`None` or `null`: no value), as the shim writes it.
pub fn encode_slot(out: &mut Vec<u8>, value: Option<&serde_json::Value>) {
    match value {
        None | Some(serde_json::Value::Null) => out.push(tag::MISSING),
        Some(serde_json::Value::Bool(true)) => out.push(tag::TRUE),
        Some(serde_json::Value::Bool(false)) => out.push(tag::FALSE),
        Some(serde_json::Value::String(text)) => encode_text(out, tag::STRING, text),
        Some(other) => encode_text(out, tag::JSON, &other.to_string()),
    }
}

/// Appends a text record: the tag, the length, the bytes.
pub fn encode_text(out: &mut Vec<u8>, tag: u8, text: &str) {
    out.push(tag);
    let length = text.len().min(MAX_RECORD_BYTES);
    out.extend((0..4).map(|i| ((length >> (7 * i)) & 0x7f) as u8));
    out.extend_from_slice(text.as_bytes().get(..length).unwrap_or_default());
}

/// One framed record: its tag and where its text is (empty for the tags without one).
#[derive(Debug, Clone, Copy)]
struct Record {
    tag: u8,
    start: usize,
    end: usize,
    /// The text is not UTF-8 (blanked in the view's copy).
    invalid: bool,
}

/// Frames the record at `at`: the record, and where the next one starts.
fn frame(bytes: &[u8], at: usize) -> Result<(Record, usize), SlotsInvalid> {
    let Some(&tag) = bytes.get(at) else {
        return Err(SlotsInvalid::Truncated { at });
    };
    // A record without text: its place is never read.
    let simple = Record {
        tag,
        start: at,
        end: at,
        invalid: false,
    };
    match tag {
        tag::MISSING | tag::UNREADABLE | tag::UNSUPPORTED | tag::TRUE | tag::FALSE => {
            return Ok((simple, at + 1))
        }
        tag::STRING | tag::JSON => {}
        _ => return Err(SlotsInvalid::UnknownTag { at, tag }),
    }
    let header = bytes
        .get(at + 1..at + 5)
        .ok_or(SlotsInvalid::Truncated { at })?;
    if header.iter().any(|&byte| byte >= 0x80) {
        return Err(SlotsInvalid::BadLength { at });
    }
    let length = header
        .iter()
        .rev()
        .fold(0usize, |length, &byte| (length << 7) | usize::from(byte));
    let start = at + 5;
    let end = start + length;
    if end > bytes.len() {
        return Err(SlotsInvalid::Truncated { at });
    }
    let record = Record {
        tag,
        start,
        end,
        invalid: false,
    };
    Ok((record, end))
}

/// `bytes` with every text that is not UTF-8 overwritten by spaces (its record marked), so that
/// the rest reads in place.
fn blank_invalid(mut bytes: Vec<u8>, records: &mut [Record]) -> String {
    for record in records.iter_mut() {
        let text = bytes.get(record.start..record.end).unwrap_or_default();
        if std::str::from_utf8(text).is_err() {
            record.invalid = true;
            if let Some(text) = bytes.get_mut(record.start..record.end) {
                text.fill(b' ');
            }
        }
    }
    // Only framing bytes (ASCII) and valid texts are left; a stray byte outside any record
    // cannot exist, since the records cover the stream.
    String::from_utf8(bytes).unwrap_or_default()
}

impl Record {
    /// How the record reads, given the stream's text.
    fn read(&self, text: &str) -> Entry {
        let unsupported = Entry::Fault(SlotFault::Unsupported);
        match self.tag {
            tag::MISSING => return Entry::Missing,
            tag::UNREADABLE => return Entry::Fault(SlotFault::Unreadable),
            tag::TRUE => return Entry::Bool(true),
            tag::FALSE => return Entry::Bool(false),
            tag::STRING | tag::JSON => {}
            _ => return unsupported,
        }
        if self.invalid || self.end - self.start > MAX_SLOT_BYTES {
            return unsupported;
        }
        let (start, end) = (self.start, self.end);
        if self.tag == tag::STRING {
            return Entry::Str { start, end };
        }
        let Some(body) = text.get(start..end) else {
            return unsupported;
        };
        match Json::parse(body) {
            Ok(value) => match value.kind() {
                Kind::Null => Entry::Missing,
                Kind::Bool => Entry::Bool(value.as_bool() == Some(true)),
                kind => {
                    // The value's own text, without the white space around it.
                    let offset = value.text().as_ptr() as usize - body.as_ptr() as usize;
                    Entry::Json {
                        start: start + offset,
                        end: start + offset + value.text().len(),
                        kind,
                    }
                }
            },
            Err(_) => unsupported,
        }
    }
}

#[cfg(test)]
#[path = "event_tests.rs"]
mod tests;
