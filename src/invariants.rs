//! The promises a login keeps whatever its input, as executable checks: nothing panics; each
//! token's custom claims measure at most [`TOKEN_BUDGET_BYTES`] as compact JSON; with the phone
//! policy on, `phone_number` is E.164 (with an optional `;ext=`) and appears exactly when
//! `phone_number_verified` does; the trace lists every claim set and never a full number; a
//! machine ([`crate::transport`]) reaches its end within a bounded number of steps, never sends
//! after its deadline, never waits past it, and counts every request it asks for.
//!
//! The fuzz targets in `fuzz/` are one-line calls into the drivers here, so that `cargo test`
//! can replay the committed corpus and every minimized crash through the very same code. Compiled
//! only for tests and under cargo-fuzz, which passes `--cfg fuzzing`.
//!
//! Multi-part inputs (config, event or slots, lookup) are separated by [`PART_SEPARATOR`], a line
//! holding `---`: JSON text never contains it outside a string, and never a raw newline inside
//! one, so seeds stay readable files. Response sequences are raw bytes read by [`Script`].

use crate::claims::{PHONE_NUMBER, PHONE_NUMBER_VERIFIED};
use crate::config::{CompiledConfig, Severity};
use crate::engine::{Decision, LookupOutcome, Plan, TOKEN_BUDGET_BYTES};
use crate::event::EventView;
use crate::mfa;
use crate::phone;
use crate::trace::Outcome;
use serde_json::{json, Map, Value};

mod script;
pub use script::{drive, Driven, Script, MAX_STEPS};

pub const PART_SEPARATOR: &str = "\n---\n";

/// Slot lines as the shim would encode them (see [`crate::event`]): an empty line is no value,
/// `!unreadable` and any other `!` line the two faults, a JSON string the string itself, and any
/// other line JSON text, checked only when the slots are read. Keeps seeds and tests readable.
pub fn slot_records(lines: &str) -> Vec<u8> {
    use crate::event::{encode_text, tag};
    let mut out = Vec::new();
    if lines.is_empty() {
        return out;
    }
    for line in lines.split('\n') {
        match line {
            "" => out.push(tag::MISSING),
            "!unreadable" => out.push(tag::UNREADABLE),
            _ if line.starts_with('!') => out.push(tag::UNSUPPORTED),
            _ => match serde_json::from_str::<Value>(line) {
                Ok(Value::String(text)) => encode_text(&mut out, tag::STRING, &text),
                _ => encode_text(&mut out, tag::JSON, line),
            },
        }
    }
    out
}

/// A login event with values at every path the default policy reads, used to exercise configs.
fn sample_event() -> Value {
    json!({
        "transaction": {"protocol": "oidc-basic-profile", "requested_scopes": ["openid", "phone"]},
        "request": {"query": {"scope": "openid phone"}, "body": {}},
        "authorization": {"roles": ["admin"]},
        "organization": {"id": "org_1", "metadata": {"tier": "gold"}},
        "user": {
            "user_id": "auth0|1",
            "app_metadata": {"plan": "pro", "phone_number": "+44 20 7946 0958", "phone_verified": true},
            "user_metadata": {"locale": "fr"},
            "enrolledFactors": [{"type": "phone"}]
        }
    })
}

fn parts(data: &[u8], count: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(data);
    let mut parts: Vec<String> = text
        .splitn(count, PART_SEPARATOR)
        .map(str::to_owned)
        .collect();
    parts.resize(count, String::new());
    parts
}

/// `^\+[0-9]{7,15}(;ext=[0-9]{1,10})?$`, written out.
pub fn is_e164_claim(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('+') else {
        return false;
    };
    let (number, ext) = match rest.split_once(";ext=") {
        Some((number, ext)) => (number, Some(ext)),
        None => (rest, None),
    };
    let digits = |t: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    digits(number, 7..=15) && ext.map_or(true, |e| digits(e, 1..=10))
}

fn compact_len(claims: &Map<String, Value>) -> usize {
    serde_json::to_string(claims).map_or(usize::MAX, |s| s.len())
}

/// Asserts every promise of a decision. `exempt` is text the caller supplied that may itself
/// contain the emitted number's digits (configured paths, enrollment ids), so that finding them
/// in the trace is no leak.
pub fn check_decision(config: &CompiledConfig, decision: &Decision, exempt: &str) {
    for (key, claims) in [
        ("idToken", &decision.id_token),
        ("accessToken", &decision.access_token),
    ] {
        let size = compact_len(claims);
        assert!(
            size <= TOKEN_BUDGET_BYTES,
            "{key} claims measure {size} bytes"
        );
        let set: Vec<&str> = decision
            .trace
            .iter()
            .filter(|e| e.token == key && e.outcome == Outcome::Set)
            .map(|e| e.claim.as_str())
            .collect();
        assert_eq!(set.len(), claims.len(), "{key}: set entries {set:?}");
        for name in claims.keys() {
            assert!(set.contains(&name.as_str()), "{key}.{name} has no trace");
        }
        // A noted entry (malformed event data read as absent) decides nothing, so it may stand
        // beside a claim that is set.
        for entry in decision.trace.iter().filter(|e| e.token == key) {
            if entry.outcome != Outcome::Set && entry.outcome != Outcome::Noted {
                assert!(
                    !claims.contains_key(&entry.claim) || entry.claim == PHONE_NUMBER,
                    "{key}.{} is set but traced as {:?}",
                    entry.claim,
                    entry.outcome
                );
            }
        }
    }
    if !config.phone_enabled() {
        return;
    }
    for name in [PHONE_NUMBER, PHONE_NUMBER_VERIFIED] {
        assert!(
            !decision.access_token.contains_key(name),
            "{name} in access"
        );
    }
    let number = decision.id_token.get(PHONE_NUMBER);
    let verified = decision.id_token.get(PHONE_NUMBER_VERIFIED);
    assert_eq!(
        number.is_some(),
        verified.is_some(),
        "phone_number and phone_number_verified come together"
    );
    if decision.lookup_failed {
        assert!(number.is_none(), "a failed lookup withholds the number");
    }
    if let Some(number) = number {
        let Some(text) = number.as_str() else {
            panic!("phone_number is not a string: {number}");
        };
        assert!(is_e164_claim(text), "phone_number {text:?} is not E.164");
        assert_eq!(
            phone::normalize(text).map(phone::PhoneNumber::into_string),
            Ok(text.to_owned()),
            "the emitted number is its own normal form"
        );
        assert!(
            verified.is_some_and(Value::is_boolean),
            "verified is a boolean"
        );
        let digits: String = text
            .split(';')
            .next()
            .unwrap_or_default()
            .trim_start_matches('+')
            .to_owned();
        let trace = serde_json::to_string(&decision.trace).unwrap_or_default();
        assert!(
            !trace.contains(&digits) || exempt.contains(&digits),
            "the trace holds the full number {digits}: {trace}"
        );
    }
}

/// A decision made without the trace sets exactly the claims of the one made with it.
fn assert_same_claims(quiet: &Decision, explained: &Decision) {
    assert!(quiet.trace.is_empty(), "a trace was built unasked");
    assert_eq!(
        quiet.id_token, explained.id_token,
        "the trace changes idToken"
    );
    assert_eq!(
        quiet.access_token, explained.access_token,
        "the trace changes accessToken"
    );
    assert_eq!(quiet.lookup_failed, explained.lookup_failed);
}

/// Ids of the lookup response's items: the trace may name the chosen enrollment by id.
fn response_ids(response: &Value) -> String {
    let items = match response {
        Value::Array(items) => items.as_slice(),
        Value::Object(wrapper) => wrapper
            .get("authenticators")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
        _ => &[],
    };
    items
        .iter()
        .filter_map(|item| item.get("id").and_then(Value::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fuzz target `config`: any text as a configuration.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let compiled = CompiledConfig::compile_str(&text);
    assert_eq!(
        compiled,
        CompiledConfig::compile_str(&text),
        "compiling is deterministic"
    );
    // The scanner reads the text as serde_json does: the same configuration from serde_json's
    // value (keys sorted, the last of a repeated key, escapes decoded), and the same texts
    // refused.
    match serde_json::from_str::<Value>(&text) {
        Ok(value) => assert_eq!(
            compiled,
            CompiledConfig::compile(&value),
            "the scanner and serde_json read {text:?} alike"
        ),
        Err(_) if !text.trim().is_empty() => assert!(
            compiled.as_ref().is_err_and(|issues| issues
                .iter()
                .any(|i| i.code == crate::config::IssueCode::NotAnObject)),
            "serde_json refuses {text:?}, so must the scanner"
        ),
        Err(_) => {}
    }
    let listed = crate::config::validation(&text).to_json();
    match &compiled {
        Err(issues) => {
            assert!(!issues.is_empty());
            for issue in issues {
                assert!(!issue.at.is_empty() && !issue.message.is_empty() && !issue.fix.is_empty());
            }
            let parsed: Value = serde_json::from_str(&listed).unwrap_or_default();
            assert_eq!(
                parsed["ok"],
                Value::Bool(false),
                "an error fails validation"
            );
            assert_eq!(
                parsed["issues"].as_array().map(Vec::len),
                Some(issues.len())
            );
            assert!(issues.iter().any(|i| i.severity == Severity::Error));
        }
        Ok(config) => {
            let parsed: Value = serde_json::from_str(&listed).unwrap_or_default();
            assert_eq!(parsed["ok"], Value::Bool(true));
            assert_eq!(
                parsed["issues"].as_array().map(Vec::len),
                Some(config.warnings().len())
            );
            assert!(config
                .warnings()
                .iter()
                .all(|i| i.severity == Severity::Warning));
            layout_agrees(config);
            for event in [Value::Null, sample_event()] {
                let view = EventView::from_event(&event, config.paths());
                match config.plan(&view) {
                    Plan::Done(decision) => check_decision(config, &decision, &text),
                    Plan::Lookup(_) => {
                        let outcome = LookupOutcome::Failed {
                            code: "mgmt_timeout".to_owned(),
                        };
                        check_decision(config, &config.finish(&view, &outcome), &text);
                    }
                }
            }
        }
    }
}

/// The layout the shim reads once is JSON that lists every path (as its segments), every claim
/// (its token, name and slot) and every warning, in order.
fn layout_agrees(config: &CompiledConfig) {
    let Ok(options) = crate::options::check(crate::options::HandlerKind::PostLogin, Some(&[]))
    else {
        return;
    };
    let handler = crate::engine::login::Handler::new(config.clone(), options);
    let layout: Value = match serde_json::from_str(&handler.layout_json()) {
        Ok(layout) => layout,
        Err(error) => panic!("the layout is not JSON ({error})"),
    };
    let paths: Vec<Value> = config
        .paths()
        .iter()
        .map(|path| json!(path.segments()))
        .collect();
    assert_eq!(layout["paths"], Value::Array(paths));
    let claims: Vec<Value> = config
        .claim_rules()
        .map(|(token, name, slot)| json!({"token": token.key(), "name": name, "slot": slot}))
        .collect();
    assert_eq!(layout["claims"], Value::Array(claims));
    assert_eq!(layout["warnings"], json!(handler.warning_lines()));
}

/// Fuzz target `login`: config JSON, event JSON and lookup JSON (a JSON string stands for a
/// failure code), through compile, plan and finish.
pub fn login(data: &[u8]) {
    let parts = parts(data, 3);
    let (config_text, event_text, lookup_text) = (&parts[0], &parts[1], &parts[2]);
    let Ok(config) = CompiledConfig::compile_str(config_text) else {
        return;
    };
    let Ok(event) = serde_json::from_str::<Value>(event_text) else {
        return;
    };
    let lookup = match serde_json::from_str::<Value>(lookup_text) {
        Ok(Value::String(code)) => LookupOutcome::Failed { code },
        Ok(response) => LookupOutcome::Methods(response),
        Err(_) => LookupOutcome::Failed {
            code: "mgmt_bad_response".to_owned(),
        },
    };
    let view = EventView::from_event(&event, config.paths());
    let mut exempt = config_text.clone();
    let quiet = config.plan_with(&view, false);
    match config.plan(&view) {
        Plan::Done(decision) => {
            check_decision(&config, &decision, &exempt);
            assert_eq!(
                config.finish(&view, &lookup),
                decision,
                "finish() handed a lookup the plan did not need decides differently"
            );
            let Plan::Done(quiet) = quiet else {
                panic!("without the trace, the plan asks for a lookup");
            };
            assert_same_claims(&quiet, &decision);
        }
        Plan::Lookup(request) => {
            assert_eq!(
                quiet,
                Plan::Lookup(request.clone()),
                "the trace changes the plan"
            );
            let user_id = event.pointer("/user/user_id").and_then(Value::as_str);
            assert_eq!(Some(request.user_id.as_str()), user_id);
            assert!(!request.user_id.is_empty());
            let failed = LookupOutcome::Failed {
                code: "mgmt_timeout".to_owned(),
            };
            let decision = config.finish(&view, &failed);
            assert!(decision.lookup_failed);
            check_decision(&config, &decision, &exempt);
            if let LookupOutcome::Methods(response) = &lookup {
                exempt.push_str(&response_ids(response));
                let decision = config.finish(&view, &lookup);
                assert_eq!(
                    decision.lookup_failed,
                    mfa::phone_enrollments(response).is_err(),
                    "only an unreadable response fails the lookup"
                );
                check_decision(&config, &decision, &exempt);
                assert_same_claims(&config.finish_with(&view, &lookup, false), &decision);
            } else {
                check_decision(&config, &config.finish(&view, &lookup), &exempt);
            }
        }
    }
}

/// Fuzz target `handler`: config JSON, slot text and a response sequence, through the
/// post-login handler the Action runs: the slots are refused exactly when their count is wrong,
/// the trace never changes the claims, and a lookup driven through any answers still ends in a
/// decision that keeps every promise of [`check_decision`].
pub fn handler(data: &[u8]) {
    use crate::engine::login::{Handler, Planned};
    use std::cell::RefCell;
    use std::rc::Rc;
    let parts = parts(data, 3);
    let (config_text, slots, responses) = (&parts[0], &parts[1], &parts[2]);
    let Ok(config) = CompiledConfig::compile_str(config_text) else {
        return;
    };
    let Ok(options) = crate::options::check(crate::options::HandlerKind::PostLogin, Some(&[]))
    else {
        panic!("no options are valid options");
    };
    let expected = config.paths().len();
    let lines = if slots.is_empty() && expected == 0 {
        0
    } else {
        slots.split('\n').count()
    };
    assert_eq!(
        EventView::from_slot_bytes(slot_records(slots), expected).is_ok(),
        lines == expected
    );
    let mut fitted: Vec<&str> = slots.split('\n').collect();
    fitted.resize(expected, "");
    let fitted = slot_records(&fitted.join("\n"));
    let Ok(event) = EventView::from_slot_bytes(&fitted[..], expected) else {
        panic!("fitted slot text was refused");
    };
    let handler = Handler::new(config.clone(), options);
    let memory = Rc::new(RefCell::new(crate::management::TokenMemory::default()));
    let quiet = handler.plan(event.clone(), false, 1_000_000.0, &memory);
    match handler.plan(event.clone(), true, 1_000_000.0, &memory) {
        Planned::Done(verdict) => {
            let decision = verdict.render(&config, &event);
            check_decision(&config, &decision, config_text);
            let Planned::Done(quiet) = quiet else {
                panic!("without the trace, the plan asks for a lookup");
            };
            assert_same_claims(&quiet.render(&config, &event), &decision);
        }
        Planned::Lookup(mut login) => {
            assert!(
                matches!(quiet, Planned::Lookup(_)),
                "the trace changes the plan"
            );
            let deadline = 1_000_000.0 + 5_000.0;
            let mut script = Script::new(responses.as_bytes());
            let driven = drive(&mut script, 1_000_000.0, deadline, login.as_mut());
            driven.check(deadline);
            assert_eq!(login.requests() as usize, driven.sends);
            let Some(verdict) = handler.finish(&mut login) else {
                panic!("a login that answered done has no decision");
            };
            let decision = verdict.render(&config, login.event());
            let mut exempt = config_text.clone();
            exempt.push_str(responses);
            check_decision(&config, &decision, &exempt);
            if let Some(result) = login.lookup_result() {
                let unreadable = matches!(&result.outcome, LookupOutcome::Methods(m) if mfa::phone_enrollments(m).is_err());
                let failed = matches!(result.outcome, LookupOutcome::Failed { .. });
                assert_eq!(decision.lookup_failed, failed || unreadable);
            }
        }
    }
}

/// Fuzz target `slots`: a count byte (mod 16: the records expected) and slot record bytes (see
/// [`crate::event`]), through [`EventView::from_slot_bytes`] and every slot's accessors. The
/// stream is refused exactly when it does not frame, by the framing written out here, into
/// exactly that many records of known tags; a text record reads as serde_json reads its text
/// (values, `null`, refusals; only a number out of f64 range, which serde_json refuses and
/// `JSON.stringify` never writes, is left out); a string record is its UTF-8 bytes; and the
/// lengths, items and members the engine reads agree with serde_json's.
pub fn slots(data: &[u8]) {
    let (expected, records) = data
        .split_first()
        .map_or((0, data), |(count, rest)| (usize::from(count % 16), rest));
    let framed = frame_records(records);
    let read = EventView::from_slot_bytes(records, expected);
    match (&framed, &read) {
        (Some(found), Ok(_)) => assert_eq!(found.len(), expected),
        (Some(found), Err(error)) => {
            assert_ne!(
                found.len(),
                expected,
                "refused a well-framed stream: {error:?}"
            );
            assert!(
                matches!(error, crate::event::SlotsInvalid::Count { expected: e, .. } if *e == expected),
                "a well-framed stream of {} records refused as {error:?}",
                found.len()
            );
        }
        (None, Ok(_)) => panic!("a stream that does not frame was read"),
        (None, Err(error)) => {
            if let crate::event::SlotsInvalid::UnknownTag { at, tag } = error {
                assert_eq!(records.get(*at), Some(tag), "{error:?}");
            }
            assert!(!error.message().is_empty());
        }
    }
    // The slots themselves, read with the count they frame into.
    let Some(found) = framed else {
        return;
    };
    let Ok(view) = EventView::from_slot_bytes(records, found.len()) else {
        panic!("{} well-framed records were refused", found.len());
    };
    let owned = view.clone().into_owned();
    for (index, record) in found.iter().enumerate() {
        let slot = view.slot(index);
        assert_eq!(owned.slot(index), slot, "into_owned changes slot {index}");
        check_slot(*record, slot);
    }
    assert_eq!(view.slot(found.len()), crate::event::Slot::Missing);
}

/// The records of a slot stream, framed independently of [`crate::event`]: each a tag and, for
/// the two text tags (3 and 6), its text bytes after a length of four 7-bit bytes; `None` for a
/// stream that does not frame (an unknown tag, a length byte above 0x7f, a header or text that
/// runs past the end).
fn frame_records(mut rest: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut records = Vec::new();
    while let Some((&tag, after)) = rest.split_first() {
        match tag {
            0 | 1 | 2 | 4 | 5 => {
                records.push((tag, &[][..]));
                rest = after;
            }
            3 | 6 => {
                let (header, after) = (after.get(..4)?, after.get(4..)?);
                // Four bytes of seven bits each, least significant first.
                if header.iter().any(|&byte| byte > 0x7f) {
                    return None;
                }
                let length = header
                    .iter()
                    .enumerate()
                    .map(|(i, &byte)| usize::from(byte) << (7 * i))
                    .sum::<usize>();
                records.push((tag, after.get(..length)?));
                rest = after.get(length..)?;
            }
            _ => return None,
        }
    }
    Some(records)
}

/// One slot against its record (a tag and text bytes, framed by [`frame_records`]).
fn check_slot((tag, bytes): (u8, &[u8]), slot: crate::event::Slot<'_>) {
    use crate::event::{Slot, SlotFault, MAX_SLOT_BYTES};
    let compact = |value: &Value| serde_json::to_string(value).map_or(0, |text| text.len());
    let text = Some(bytes)
        .filter(|b| b.len() <= MAX_SLOT_BYTES)
        .and_then(|b| std::str::from_utf8(b).ok());
    match (tag, text) {
        (0, _) => assert_eq!(slot, Slot::Missing),
        (1, _) => assert_eq!(slot, Slot::Fault(SlotFault::Unreadable)),
        (2, _) => assert_eq!(slot, Slot::Fault(SlotFault::Unsupported)),
        (4 | 5, _) => {
            let value = tag == 4;
            assert_eq!(slot, Slot::Bool(value));
            assert_eq!(slot.json_len(), compact(&Value::Bool(value)));
        }
        (_, None) => assert_eq!(
            slot,
            Slot::Fault(SlotFault::Unsupported),
            "{} bytes, not UTF-8 or too many",
            bytes.len()
        ),
        (3, Some(text)) => {
            assert_eq!(slot, Slot::Str(text));
            assert_eq!(slot.as_str().as_deref(), Some(text));
            let value = Value::String(text.to_owned());
            assert_eq!(slot.json_len(), compact(&value), "{text:?}");
            assert_eq!(slot.to_value(), Some(value));
        }
        (_, Some(text)) => match serde_json::from_str::<Value>(text) {
            // Including a number past f64's range, which JSON.stringify never writes.
            Err(error) => assert_eq!(
                slot,
                Slot::Fault(SlotFault::Unsupported),
                "serde_json refuses {text:?} ({error})"
            ),
            Ok(Value::Null) => assert_eq!(slot, Slot::Missing, "{text:?}"),
            Ok(value) => check_json_slot(text, &value, slot),
        },
    }
}

/// A JSON record's slot against serde_json's parse of its text.
fn check_json_slot(text: &str, value: &Value, slot: crate::event::Slot<'_>) {
    use crate::engine::json::Kind;
    use crate::event::Slot;
    assert!(
        slot.is_value(),
        "serde_json reads {text:?}, the slot is {slot:?}"
    );
    assert_eq!(slot.to_value().as_ref(), Some(value), "{text:?}");
    let kind = match value {
        Value::Null => Kind::Null,
        Value::Bool(_) => Kind::Bool,
        Value::Number(_) => Kind::Number,
        Value::String(_) => Kind::String,
        Value::Array(_) => Kind::Array,
        Value::Object(_) => Kind::Object,
    };
    assert_eq!(slot.kind(), Some(kind), "{text:?}");
    assert_eq!(slot.as_str().as_deref(), value.as_str(), "{text:?}");
    assert_eq!(slot.as_bool(), value.as_bool(), "{text:?}");
    if serde_json::to_string(value).is_ok_and(|written| written == text) {
        assert_eq!(slot.json_len(), text.len(), "{text:?}");
    }
    if let Slot::Json(json) = slot {
        check_members(json, value);
    }
    assert_eq!(
        slot.items().count(),
        value.as_array().map_or(0, Vec::len),
        "{text:?}"
    );
}

/// What the engine reads of a JSON value in place (its items, each item's items and members,
/// its `type` member) against serde_json's value. An item's text must itself read as the item.
fn check_members(json: crate::engine::json::Json<'_>, value: &Value) {
    let wanted = value.get("type").filter(|_| value.is_object());
    let got = json.get("type").map(|member| {
        let Ok(member) = serde_json::from_str::<Value>(member.text()) else {
            panic!("the `type` member's text {:?} is not JSON", member.text());
        };
        member
    });
    assert_eq!(got.as_ref(), wanted, "the `type` member of {}", json.text());
    let items: Vec<_> = json.items().collect();
    let expected: &[Value] = value.as_array().map_or(&[], Vec::as_slice);
    assert_eq!(items.len(), expected.len(), "the items of {}", json.text());
    for (item, expected) in items.into_iter().zip(expected) {
        let Ok(read) = serde_json::from_str::<Value>(item.text()) else {
            panic!("the item text {:?} is not JSON", item.text());
        };
        assert_eq!(&read, expected, "an item of {}", json.text());
        if matches!(expected, Value::Array(_) | Value::Object(_)) {
            check_members(item, expected);
        }
    }
}

/// Fuzz target `lookup`: a response sequence through the Management API lookup machine, with
/// client credentials (the first byte's low bit picks the static token instead): always done
/// within [`MAX_STEPS`], never past the deadline, every request counted, the failure (if any)
/// one of the catalogue, and no secret in its detail.
pub fn lookup(data: &[u8]) {
    use crate::config::MfaEndpoint;
    use crate::engine::LookupRequest;
    use crate::management::{Lookup, MgmtFailure, TokenMemory};
    use crate::transport::Budget;
    use std::cell::RefCell;
    use std::rc::Rc;
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let endpoint = if flags & 2 == 0 {
        MfaEndpoint::AuthenticationMethods
    } else {
        MfaEndpoint::Enrollments
    };
    let request = LookupRequest {
        endpoint,
        user_id: "auth0|fuzz".to_owned(),
    };
    let start = 1_000_000.0;
    let deadline = start + f64::from(flags >> 2) * 100.0;
    let Ok(budget) = Budget::new(2_500.0, deadline) else {
        panic!("a finite budget is valid");
    };
    let memory = Rc::new(RefCell::new(TokenMemory::default()));
    let mut machine = Lookup::new(request, budget, memory);
    let secrets = script::fuzz_secrets(flags & 1 == 1);
    let mut script = Script::new(rest).with_secrets(secrets);
    let driven = drive(&mut script, start, deadline, &mut machine);
    driven.check(deadline);
    let Some(result) = machine.result() else {
        panic!("done without a result");
    };
    assert_eq!(result.requests as usize, driven.sends);
    match (&result.outcome, result.failure) {
        (LookupOutcome::Methods(_), None) => {}
        (_, Some(failure)) => {
            assert!(MgmtFailure::ALL.contains(&failure));
            for secret in script::FUZZ_SECRET_VALUES {
                assert!(!result.detail.contains(secret), "{}", result.detail);
            }
        }
        (outcome, None) => panic!("a failure without its code: {outcome:?}"),
    }
}

/// Fuzz target `verify`: a flags byte and a response sequence through one Twilio Verify call
/// (a send with a locale, a send without, or an approve): always done within the machine's own
/// step bound, never past the deadline, every request counted, and no secret, code or full
/// number in the detail of a failure.
#[cfg(feature = "phone-messages")]
pub fn verify(data: &[u8]) {
    use crate::phone_message::verify::MAX_VERIFY_STEPS;
    use crate::phone_message::{
        parse_verify_base_url, VerifyAction, VerifyCall, VerifyChannel, VerifyFailure,
        VerifyResult, DEFAULT_VERIFY_BASE_URL,
    };
    use crate::transport::Budget;
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let Ok(to) = crate::phone::normalize("+14155550123") else {
        panic!("a valid number");
    };
    let action = match flags % 3 {
        0 => VerifyAction::Send {
            to: to.clone(),
            channel: VerifyChannel::Sms,
            code: "482913".to_owned(),
            locale: Some("fr".to_owned()),
        },
        1 => VerifyAction::Send {
            to: to.clone(),
            channel: VerifyChannel::Call,
            code: "482913".to_owned(),
            locale: None,
        },
        _ => VerifyAction::Approve { to: to.clone() },
    };
    let start = 1_000_000.0;
    let deadline = start + f64::from(flags >> 2) * 100.0;
    let (Ok(budget), Ok(base)) = (
        Budget::new(3_000.0, deadline),
        parse_verify_base_url(DEFAULT_VERIFY_BASE_URL),
    ) else {
        panic!("the default budget and base are valid");
    };
    let mut call = VerifyCall::new(action, base, budget);
    let token = "fuzz-auth-token-0123";
    let secrets = vec![
        Some("AC0123456789abcdef0123456789abcdef".to_owned()),
        Some(token.to_owned()),
        Some("VA0123456789abcdef0123456789abcdef".to_owned()),
    ];
    let mut script = Script::new(rest).with_secrets(secrets);
    let driven = drive(&mut script, start, deadline, &mut call);
    driven.check(deadline);
    assert!(
        driven.steps <= MAX_VERIFY_STEPS as usize + 1,
        "{} steps",
        driven.steps
    );
    match call.result() {
        Some(VerifyResult::Ok { requests, .. }) => assert_eq!(*requests as usize, driven.sends),
        Some(VerifyResult::Failed {
            failure,
            detail,
            requests,
            ..
        }) => {
            assert_eq!(*requests as usize, driven.sends);
            assert!(VerifyFailure::ALL.contains(failure));
            for secret in [token, "482913", "14155550123"] {
                assert!(!detail.contains(secret), "{detail}");
            }
        }
        None => panic!("done without a result"),
    }
}

/// Fuzz target `phone`: any text through the normalizer and the redaction.
pub fn phone(data: &[u8]) {
    // The first byte picks the country numbers without `+` are converted with (or none).
    let (pick, text) = data
        .split_first()
        .map_or((0, data), |(first, rest)| (*first, rest));
    let raw = String::from_utf8_lossy(text);
    let country = crate::countries::all().nth(usize::from(pick));
    let digit_count = |s: &str| s.bytes().filter(u8::is_ascii_digit).count();
    let plain = phone::normalize(&raw);
    if let Ok(number) = &plain {
        let text = number.as_str();
        assert!(is_e164_claim(text), "{text:?} from {raw:?}");
        assert_eq!(
            phone::normalize(text).as_ref(),
            Ok(number),
            "normalizing is idempotent"
        );
        let kept: String = raw.chars().filter(char::is_ascii_digit).collect();
        let emitted: String = text.chars().filter(char::is_ascii_digit).collect();
        assert!(
            kept == emitted || (raw.contains('(') && drops_one_short_run(&kept, &emitted)),
            "only formatting, or a parenthesised trunk prefix, is dropped: {raw:?} gave {text:?}"
        );
        assert!(digit_count(&number.redacted()) <= 4);
    }
    let converted = phone::normalize_in(&raw, country.as_ref());
    if raw.trim_start().starts_with('+') || country.is_none() {
        assert_eq!(converted, plain, "a country changes only numbers without +");
    }
    if let Ok(number) = &converted {
        let text = number.as_str();
        assert!(is_e164_claim(text), "{text:?} from {raw:?} in {country:?}");
        let again = phone::normalize(text);
        assert_eq!(
            again.as_ref().map(phone::PhoneNumber::as_str),
            Ok(text),
            "a converted number is its own normal form"
        );
    }
    assert!(digit_count(&phone::redact_raw(&raw)) <= 4);
    let _ = mfa::parse_timestamp(&raw);
}

/// Whether `shorter` is `longer` with one run of one or two digits taken out.
fn drops_one_short_run(longer: &str, shorter: &str) -> bool {
    (1..=2).any(|len| {
        longer.len() == shorter.len() + len
            && (0..=shorter.len()).any(|at| {
                longer.get(..at) == shorter.get(..at) && longer.get(at + len..) == shorter.get(at..)
            })
    })
}

// Native only: proptest and the corpus files need the host.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    /// Bytes of compact JSON, by serde_json: the measure the engine must agree with.
    fn json_len(value: &Value) -> usize {
        serde_json::to_string(value).map_or(0, |text| text.len())
    }
    use proptest::prelude::*;
    use std::path::Path;

    /// Every committed seed and every saved crash, through its target's driver.
    #[test]
    fn the_fuzz_corpus_and_artifacts_replay_cleanly() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
        type Driver = fn(&[u8]);
        let targets: [(&str, Driver); 7] = [
            ("config", config),
            ("login", login),
            ("handler", handler),
            ("slots", slots),
            ("lookup", lookup),
            #[cfg(feature = "phone-messages")]
            ("verify", verify),
            #[cfg(not(feature = "phone-messages"))]
            ("verify", |_| {}),
            ("phone", phone),
        ];
        let mut replayed = 0;
        for (name, driver) in targets {
            for dir in ["corpus", "artifacts"] {
                let Ok(entries) = std::fs::read_dir(root.join(dir).join(name)) else {
                    continue;
                };
                for entry in entries.flatten() {
                    let path = entry.path();
                    if !path.is_file() {
                        continue;
                    }
                    let data = std::fs::read(&path).unwrap_or_default();
                    let outcome = std::panic::catch_unwind(|| driver(&data));
                    assert!(outcome.is_ok(), "{} fails", path.display());
                    replayed += 1;
                }
            }
        }
        assert!(replayed >= 12, "only {replayed} corpus files found");
    }

    /// The edges the `slots` seeds cover, each with what it must read as, and through the
    /// driver.
    #[test]
    fn slot_records_read_as_the_encoding_says_at_the_edges() {
        use crate::event::{encode_text, tag, Slot, SlotFault, SlotsInvalid};
        let drive = |count: usize, records: &[u8]| {
            let mut input = vec![u8::try_from(count).unwrap_or(0)];
            input.extend_from_slice(records);
            slots(&input);
        };
        let refused: [(&[u8], usize, SlotsInvalid); 7] = [
            (&[3, 1, 0], 1, SlotsInvalid::Truncated { at: 0 }),
            (
                &[0, 6, 5, 0, 0, 0, b'1'],
                2,
                SlotsInvalid::Truncated { at: 1 },
            ),
            (
                &[6, 0x7f, 0x7f, 0x7f, 0x7f, b'1'],
                1,
                SlotsInvalid::Truncated { at: 0 },
            ),
            (
                &[0, 6, 0xff, 0xff, 0xff, 0xff, b'1'],
                2,
                SlotsInvalid::BadLength { at: 1 },
            ),
            (&[0, 7], 2, SlotsInvalid::UnknownTag { at: 1, tag: 7 }),
            (
                &[4, 5],
                1,
                SlotsInvalid::Count {
                    expected: 1,
                    found: 2,
                },
            ),
            (
                &[],
                1,
                SlotsInvalid::Count {
                    expected: 1,
                    found: 0,
                },
            ),
        ];
        for (records, count, error) in refused {
            assert_eq!(EventView::from_slot_bytes(records, count), Err(error));
            drive(count, records);
        }
        let deep = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        let json = [
            (r#""\ud800""#, None),
            (r#""\ud800\u0041""#, None),
            (r#""\ud83d\ude00""#, Some("\u{1f600}")),
            (
                r#""\" \\ \/ \b \f \n \r \t \u0041""#,
                Some("\" \\ / \u{8} \u{c} \n \r \t A"),
            ),
            (&deep(127), Some("")),
            (&deep(128), None),
            ("1 x", None),
            (" \t[1, {\"type\": 2}]\r\n", Some("")),
            ("null", Some("")),
        ];
        let mut records = Vec::new();
        for (text, _) in &json {
            encode_text(&mut records, tag::JSON, text);
        }
        // A string record that is not UTF-8.
        records.extend_from_slice(&[tag::STRING, 2, 0, 0, 0, 0xc3, 0x28]);
        let count = json.len() + 1;
        let Ok(view) = EventView::from_slot_bytes(&records[..], count) else {
            panic!("well-framed records were refused");
        };
        for (index, (text, read)) in json.iter().enumerate() {
            let slot = view.slot(index);
            match read {
                None => assert_eq!(slot, Slot::Fault(SlotFault::Unsupported), "{text}"),
                Some("") => {}
                Some(decoded) => assert_eq!(slot.as_str().as_deref(), Some(*decoded), "{text}"),
            }
        }
        assert!(view.slot(4).is_value(), "127 levels are read");
        let spaced = view.slot(7);
        assert_eq!((spaced.json_len(), spaced.items().count()), (16, 2));
        assert_eq!(view.slot(8), Slot::Missing, "null is no value");
        assert_eq!(view.slot(9), Slot::Fault(SlotFault::Unsupported));
        drive(count, &records);
    }

    #[test]
    fn e164_shape() {
        for good in ["+1234567", "+123456789012345", "+14155550123;ext=1"] {
            assert!(is_e164_claim(good), "{good}");
        }
        for bad in [
            "1234567",
            "+123456",
            "+1234567890123456",
            "+1415555012a",
            "+14155550123;ext=",
            "+14155550123;ext=12345678901",
            "+14155550123;x=1",
        ] {
            assert!(!is_e164_claim(bad), "{bad}");
        }
    }

    const NAMES: &[&str] = &[
        "https://my-app.example.com/a",
        "https://my-app.example.com/b",
        "https://my-app.example.com/c",
        "plan",
        "x",
    ];

    /// Claims of many sizes on both tokens, around and over the budget, with the phone claims
    /// taking their share of the ID token.
    fn budget_case() -> impl Strategy<Value = (Value, Value)> {
        (
            prop::collection::vec(
                (
                    any::<bool>(),
                    prop::sample::select(NAMES),
                    0usize..6,
                    prop_oneof![
                        0usize..200,
                        20_000usize..40_000,
                        49_900usize..50_100,
                        99_900usize..100_100,
                    ],
                ),
                0..8,
            ),
            any::<bool>(),
        )
            .prop_map(|(claims, phone)| {
                let mut id = Map::new();
                let mut access = Map::new();
                let mut metadata = Map::new();
                for (index, (on_id, name, suffix, size)) in claims.into_iter().enumerate() {
                    let key = format!("v{index}");
                    // A multi-byte character and an escaped one, so that bytes, not chars, count.
                    metadata.insert(key.clone(), json!(format!("é\"{}", "x".repeat(size))));
                    let name = format!("{name}{suffix}");
                    let path = json!(format!("user.app_metadata.{key}"));
                    if on_id {
                        id.insert(name, path);
                    } else {
                        access.insert(format!("https://my-app.example.com/{name}"), path);
                    }
                }
                let config = json!({"idToken": id, "accessToken": access, "phone": phone});
                let event = json!({
                    "transaction": {"requested_scopes": ["openid", "phone"]},
                    "user": {"user_id": "sms|1", "phone_number": "+1 415 555 0123", "phone_verified": true, "app_metadata": metadata}
                });
                (config, event)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn plans_never_exceed_the_size_budget((config_json, event) in budget_case()) {
            let config = match CompiledConfig::compile(&config_json) {
                Ok(config) => config,
                Err(issues) => return Err(TestCaseError::fail(format!("{issues:?}"))),
            };
            let view = EventView::from_event(&event, config.paths());
            let Plan::Done(decision) = config.plan(&view) else {
                return Err(TestCaseError::fail("a profile number needs no lookup"));
            };
            check_decision(&config, &decision, "");
            if config.phone_enabled() {
                prop_assert_eq!(decision.id_token.get(PHONE_NUMBER), Some(&json!("+14155550123")));
            }
            // Largest first: no kept custom claim is larger than a dropped one of its token.
            let size = |token: &str, name: &str| {
                let path = config_json[token][name].as_str().unwrap_or_default();
                let key = path.rsplit('.').next().unwrap_or_default();
                json_len(&json!(name)) + json_len(&event["user"]["app_metadata"][key]) + 2
            };
            for (token, claims) in [("idToken", &decision.id_token), ("accessToken", &decision.access_token)] {
                let smallest_dropped = decision
                    .trace
                    .iter()
                    .filter(|e| e.token == token && e.outcome == Outcome::Dropped)
                    .map(|e| size(token, &e.claim))
                    .min();
                if let Some(smallest) = smallest_dropped {
                    for name in claims.keys().filter(|n| config_json[token].get(n.as_str()).is_some()) {
                        prop_assert!(size(token, name) <= smallest, "{} kept over a smaller dropped claim", name);
                    }
                }
            }
        }

        #[test]
        fn login_driver_holds_on_structured_events(
            plan in prop::option::of(prop_oneof![
                Just(json!("pro")),
                Just(json!(null)),
                Just(json!({"__proto__": {"x": 1}})),
                any::<i64>().prop_map(|n| json!(n)),
            ]),
            number in prop::option::of(prop_oneof![
                Just("+1 415 555 0123".to_owned()),
                Just("XXXXXXXX0123".to_owned()),
                "[+0-9 ()x;ext=-]{0,24}",
            ]),
            verified in prop::option::of(any::<bool>()),
            scopes in prop::option::of(prop::collection::vec(prop::sample::select(&["openid", "phone", "email"][..]), 0..3)),
            lookup in prop_oneof![
                Just("\"mgmt_timeout\"".to_owned()),
                Just(r#"[{"id":"phone|1","type":"phone","confirmed":true,"phone_number":"+44 20 7946 0958"}]"#.to_owned()),
                Just(r#"{"authenticators":[]}"#.to_owned()),
                Just("7".to_owned()),
            ],
        ) {
            let config = json!({"idToken": {"https://my-app.example.com/plan": "user.app_metadata.plan"}});
            let mut user = json!({"user_id": "auth0|1", "app_metadata": {}});
            if let Some(plan) = plan { user["app_metadata"]["plan"] = plan; }
            if let Some(number) = number { user["phone_number"] = json!(number); }
            if let Some(verified) = verified { user["phone_verified"] = json!(verified); }
            let mut event = json!({"user": user});
            if let Some(scopes) = scopes { event["transaction"] = json!({"requested_scopes": scopes}); }
            let input = [config.to_string(), event.to_string(), lookup].join(PART_SEPARATOR);
            login(input.as_bytes());
            handler([config.to_string(), String::new(), String::new()].join(PART_SEPARATOR).as_bytes());
        }
    }
}
