use super::*;
use serde_json::json;

/// A text record written by hand: tag, little-endian length, bytes.
fn record(tag: u8, text: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = text.len();
    out.extend((0..4).map(|i| ((length >> (7 * i)) & 0x7f) as u8));
    out.extend_from_slice(text);
    out
}

fn view(bytes: Vec<u8>, expected: usize) -> EventView<'static> {
    EventView::from_slot_bytes(bytes, expected).unwrap()
}

#[test]
fn every_tag_reads_as_documented() {
    let mut bytes = vec![0, 1, 2, 4, 5];
    bytes.extend(record(3, "+1 415 555 0100".as_bytes()));
    bytes.extend(record(6, b"[1,{\"b\":2}]"));
    bytes.extend(record(6, b"  7.5 "));
    let view = view(bytes, 8);
    assert_eq!(view.slot(0), Slot::Missing);
    assert_eq!(view.slot(1), Slot::Fault(SlotFault::Unreadable));
    assert_eq!(view.slot(2), Slot::Fault(SlotFault::Unsupported));
    assert_eq!(view.slot(3), Slot::Bool(true));
    assert_eq!(view.slot(4), Slot::Bool(false));
    assert_eq!(view.slot(5), Slot::Str("+1 415 555 0100"));
    let Slot::Json(list) = view.slot(6) else {
        panic!("a JSON slot: {:?}", view.slot(6));
    };
    assert_eq!((list.kind(), list.text()), (Kind::Array, "[1,{\"b\":2}]"));
    // The white space around a value is not part of it.
    let Slot::Json(number) = view.slot(7) else {
        panic!("a number slot");
    };
    assert_eq!((number.kind(), number.text()), (Kind::Number, "7.5"));
    assert_eq!(view.slot(99), Slot::Missing);
}

#[test]
fn json_null_and_booleans_read_as_their_slots() {
    let mut bytes = record(6, b"null");
    bytes.extend(record(6, b"true"));
    bytes.extend(record(6, b" false"));
    bytes.extend(record(6, b"\"a\\u0062\""));
    let view = view(bytes, 4);
    assert_eq!(view.slot(0), Slot::Missing);
    assert_eq!(view.slot(1), Slot::Bool(true));
    assert_eq!(view.slot(2), Slot::Bool(false));
    assert_eq!(view.slot(3).as_str().as_deref(), Some("ab"));
    assert_eq!(view.slot(3).kind(), Some(Kind::String));
}

#[test]
fn a_bad_text_spoils_its_slot_only() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut bytes = record(6, b"\"\\ud800\"");
    bytes.extend(record(6, deep.as_bytes()));
    bytes.extend(record(6, b"{\"a\":"));
    bytes.extend(record(3, &[0x66, 0xff, 0x6f]));
    bytes.extend(record(6, b"1 2"));
    bytes.extend(record(6, b""));
    bytes.extend(record(6, b"7"));
    let view = view(bytes, 7);
    for i in 0..6 {
        assert_eq!(
            view.slot(i),
            Slot::Fault(SlotFault::Unsupported),
            "slot {i}"
        );
    }
    assert_eq!(view.slot(6).json_len(), 1);
}

#[test]
fn invalid_utf8_spoils_only_its_slot_around_valid_neighbours() {
    let mut bytes = record(3, "é".as_bytes());
    bytes.extend(record(3, &[0xc3]));
    bytes.extend(record(6, "[\"ü\"]".as_bytes()));
    bytes.extend(record(3, &[0xe2, 0x82]));
    let view = view(bytes, 4);
    assert_eq!(view.slot(0), Slot::Str("é"));
    assert_eq!(view.slot(1), Slot::Fault(SlotFault::Unsupported));
    assert_eq!(view.slot(2).to_value(), Some(json!(["ü"])));
    assert_eq!(view.slot(3), Slot::Fault(SlotFault::Unsupported));
}

#[test]
fn an_oversized_text_is_unsupported() {
    let big = "a".repeat(MAX_SLOT_BYTES + 1);
    let fits = "a".repeat(MAX_SLOT_BYTES);
    let mut bytes = record(3, big.as_bytes());
    bytes.extend(record(3, fits.as_bytes()));
    let view = view(bytes, 2);
    assert_eq!(view.slot(0), Slot::Fault(SlotFault::Unsupported));
    assert_eq!(view.slot(1).as_str().map(|s| s.len()), Some(MAX_SLOT_BYTES));
}

#[test]
fn an_oversized_json_text_or_one_not_utf8_spoils_its_slot_only() {
    // JSON of exactly the limit reads; one byte more does not, nor does oversized text that is
    // not UTF-8, and neither spoils the slots around it.
    let fits = format!("[{}]", "1,".repeat((MAX_SLOT_BYTES - 4) / 2) + "11");
    assert_eq!(fits.len(), MAX_SLOT_BYTES);
    let over = format!("[{}]", "1,".repeat((MAX_SLOT_BYTES - 2) / 2) + "1");
    assert_eq!(over.len(), MAX_SLOT_BYTES + 1);
    let mut not_utf8 = vec![b'a'; MAX_SLOT_BYTES + 1];
    not_utf8[7] = 0xff;
    let mut bytes = record(3, b"before");
    bytes.extend(record(6, fits.as_bytes()));
    bytes.extend(record(6, over.as_bytes()));
    bytes.extend(record(3, &not_utf8));
    bytes.extend(record(6, &not_utf8));
    bytes.extend(record(3, b"after"));
    let view = view(bytes, 6);
    assert_eq!(view.slot(0), Slot::Str("before"));
    assert_eq!(view.slot(1).json_len(), MAX_SLOT_BYTES);
    assert_eq!(view.slot(1).kind(), Some(Kind::Array));
    for i in 2..5 {
        assert_eq!(
            view.slot(i),
            Slot::Fault(SlotFault::Unsupported),
            "slot {i}"
        );
    }
    assert_eq!(view.slot(5), Slot::Str("after"));
}

#[test]
fn framing_errors_refuse_the_whole_stream() {
    assert_eq!(
        EventView::from_slot_bytes(vec![0, 9], 2),
        Err(SlotsInvalid::UnknownTag { at: 1, tag: 9 })
    );
    // A header cut short, and a length past the end.
    assert_eq!(
        EventView::from_slot_bytes(vec![3, 1, 0], 1),
        Err(SlotsInvalid::Truncated { at: 0 })
    );
    let mut long = record(6, b"12");
    long.truncate(6);
    assert_eq!(
        EventView::from_slot_bytes(long, 1),
        Err(SlotsInvalid::Truncated { at: 0 })
    );
    // The largest length a record can state, with nothing behind it.
    let huge = vec![0, 3, 0x7f, 0x7f, 0x7f, 0x7f];
    assert_eq!(
        EventView::from_slot_bytes(huge, 2),
        Err(SlotsInvalid::Truncated { at: 1 })
    );
    // A length byte with the high bit set is no length.
    assert_eq!(
        EventView::from_slot_bytes(vec![6, 1, 0, 0, 0x80, b'1'], 1),
        Err(SlotsInvalid::BadLength { at: 0 })
    );
    assert_eq!(
        EventView::from_slot_bytes(vec![0, 0], 3),
        Err(SlotsInvalid::Count {
            expected: 3,
            found: 2
        })
    );
    assert_eq!(
        EventView::from_slot_bytes(vec![0, 0, 0], 2),
        Err(SlotsInvalid::Count {
            expected: 2,
            found: 3
        })
    );
    assert!(EventView::from_slot_bytes(Vec::new(), 0).is_ok());
    assert_eq!(
        EventView::from_slot_bytes(Vec::new(), 1),
        Err(SlotsInvalid::Count {
            expected: 1,
            found: 0
        })
    );
}

#[test]
fn errors_say_where() {
    assert_eq!(
        SlotsInvalid::UnknownTag { at: 4, tag: 200 }.message(),
        "the event slots hold an unknown tag 200 at byte 4"
    );
    assert_eq!(
        SlotsInvalid::Truncated { at: 0 }.message(),
        "the event slots end inside the record at byte 0"
    );
    assert_eq!(
        SlotsInvalid::BadLength { at: 7 }.message(),
        "the event slots hold a malformed length in the record at byte 7"
    );
    assert_eq!(
        SlotsInvalid::Count {
            expected: 2,
            found: 1
        }
        .message(),
        "expected 2 event slots, got 1"
    );
}

#[test]
fn reads_paths_from_an_event() {
    let paths = vec![
        EventPath::parse("user.app_metadata.plan").unwrap(),
        EventPath::parse("organization.id").unwrap(),
        EventPath::parse("user.phone_number").unwrap(),
        EventPath::parse("user.app_metadata").unwrap(),
        EventPath::parse("user.email_verified").unwrap(),
    ];
    let event = json!({"user": {
        "app_metadata": {"plan": "pro"},
        "phone_number": null,
        "email_verified": false
    }});
    let view = EventView::from_event(&event, &paths);
    assert_eq!(view.slot(0), Slot::Str("pro"));
    assert_eq!(view.slot(1), Slot::Missing);
    assert_eq!(view.slot(2), Slot::Missing);
    assert_eq!(view.slot(3).kind(), Some(Kind::Object));
    assert_eq!(view.slot(3).to_value(), Some(json!({"plan": "pro"})));
    assert_eq!(view.slot(4), Slot::Bool(false));
}

#[test]
fn the_encoder_writes_the_documented_records() {
    let mut out = Vec::new();
    encode_slot(&mut out, None);
    encode_slot(&mut out, Some(&json!(null)));
    encode_slot(&mut out, Some(&json!(true)));
    encode_slot(&mut out, Some(&json!(false)));
    encode_slot(&mut out, Some(&json!("é")));
    encode_slot(&mut out, Some(&json!([1])));
    assert_eq!(
        out,
        [0, 0, 4, 5, 3, 2, 0, 0, 0, 0xc3, 0xa9, 6, 3, 0, 0, 0, b'[', b'1', b']']
    );
    // Seven bits a byte, least significant first: 300 = 44 + 2 × 128.
    let mut long = Vec::new();
    encode_text(&mut long, tag::STRING, &"x".repeat(300));
    assert_eq!(long.get(..5), Some(&[3, 44, 2, 0, 0][..]));
    assert_eq!(
        EventView::from_slot_bytes(long, 1)
            .unwrap()
            .slot(0)
            .json_len(),
        302
    );
}

#[test]
fn values_measure_as_compact_json() {
    let mut bytes = record(3, "a\"b\n".as_bytes());
    bytes.extend([4, 5, 0, 1]);
    bytes.extend(record(6, b"{\"k\":[1,2]}"));
    let view = view(bytes, 6);
    // "a\"b\n" is 8 bytes as JSON: the quotes, a, \", b, \n.
    assert_eq!(view.slot(0).json_len(), 8);
    assert_eq!(view.slot(1).json_len(), 4);
    assert_eq!(view.slot(2).json_len(), 5);
    assert_eq!(view.slot(3).json_len(), 0);
    assert_eq!(view.slot(4).json_len(), 0);
    assert_eq!(view.slot(5).json_len(), 11);
}

#[test]
fn accessors_answer_only_for_their_kind() {
    let mut bytes = record(6, b"[\"a\",2]");
    bytes.extend(record(3, b"x"));
    bytes.push(4);
    bytes.push(1);
    let view = view(bytes, 4);
    let list = view.slot(0);
    let items: Vec<&str> = list.items().map(|i| i.text()).collect();
    assert_eq!(items, ["\"a\"", "2"]);
    assert_eq!(list.as_str(), None);
    assert_eq!(list.as_bool(), None);
    assert!(list.is_value());
    assert_eq!(view.slot(1).items().count(), 0);
    assert_eq!(view.slot(1).as_bool(), None);
    assert_eq!(view.slot(2).as_bool(), Some(true));
    assert_eq!(view.slot(2).as_str(), None);
    assert!(!view.slot(3).is_value());
    assert_eq!(view.slot(3).kind(), None);
    assert_eq!(view.slot(3).to_value(), None);
}

#[test]
fn an_owned_view_reads_the_same() {
    let mut bytes = record(3, b"+14155550100");
    bytes.extend(record(6, b"[1]"));
    let owned = EventView::from_slot_bytes(&bytes[..], 2)
        .unwrap()
        .into_owned();
    drop(bytes);
    assert_eq!(owned.slot(0), Slot::Str("+14155550100"));
    assert_eq!(owned.slot(1).json_len(), 3);
}

#[test]
fn the_limits_are_the_documented_ones() {
    // Four 7-bit length bytes; 4 MiB of text for one value.
    assert_eq!(MAX_RECORD_BYTES, 0x7f | 0x7f << 7 | 0x7f << 14 | 0x7f << 21);
    assert_eq!(MAX_SLOT_BYTES, 4_194_304);
}

#[test]
fn an_object_slot_has_no_items() {
    let view = view(record(6, b"{\"a\":[1]}"), 1);
    assert_eq!(view.slot(0).items().count(), 0);
}
