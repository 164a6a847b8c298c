//! The user's confirmed phone enrollment, from a Management API lookup.
//!
//! Two response shapes are accepted: `/users/{id}/authentication-methods` (items of `type`
//! `phone` with `confirmed: true`; also wrapped as `{authenticators: [...]}` when asked with
//! `include_totals`) and `/users/{id}/enrollments` (items with `status: "confirmed"` and
//! `auth_method` `sms` or `voice`). Other factors (OTP, push, email, WebAuthn, recovery codes)
//! never carry a number and are ignored. When several phone enrollments qualify, SMS is
//! preferred over voice, then the most recently enrolled one.

use crate::countries::Country;
use crate::phone::{self, PhoneNumber, PhoneRejection};
use serde_json::{Map, Value};

/// How the enrolled phone receives codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Channel {
    // Order matters: a higher channel is preferred.
    Voice,
    Sms,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Voice => "voice",
        }
    }
}

/// A confirmed phone enrollment as the Management API described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneEnrollment {
    pub id: String,
    pub channel: Channel,
    /// As received: possibly masked, possibly not a valid number.
    pub number: Option<String>,
    /// `enrolled_at` (or `created_at`), as seconds since the epoch when it parses.
    pub enrolled_at: Option<i64>,
}

/// The response was not a list of methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadResponse;

/// Extracts the confirmed SMS/voice phone enrollments from a lookup response.
pub fn phone_enrollments(response: &Value) -> Result<Vec<PhoneEnrollment>, BadResponse> {
    let items = match response {
        Value::Array(items) => items,
        Value::Object(wrapper) => match wrapper.get("authenticators") {
            Some(Value::Array(items)) => items,
            _ => return Err(BadResponse),
        },
        _ => return Err(BadResponse),
    };
    // Every method the API lists is an object; anything else means the answer is not one.
    items
        .iter()
        .map(|item| item.as_object().ok_or(BadResponse))
        .filter_map(|item| item.map(confirmed_phone).transpose())
        .collect()
}

fn confirmed_phone(item: &Map<String, Value>) -> Option<PhoneEnrollment> {
    let text = |key: &str| item.get(key).and_then(Value::as_str);
    let channel = if let Some(status) = text("status") {
        // `/enrollments` shape.
        if status != "confirmed" {
            return None;
        }
        match text("auth_method")? {
            "sms" => Channel::Sms,
            "voice" => Channel::Voice,
            _ => return None,
        }
    } else {
        // `/authentication-methods` shape.
        if text("type")? != "phone" || item.get("confirmed") != Some(&Value::Bool(true)) {
            return None;
        }
        method_channel(item)
    };
    let number = text("phone_number")
        .or_else(|| text("identifier"))
        .map(str::to_owned);
    let enrolled_at = text("enrolled_at")
        .or_else(|| text("created_at"))
        .and_then(parse_timestamp);
    Some(PhoneEnrollment {
        id: text("id").unwrap_or("").chars().take(80).collect(),
        channel,
        number,
        enrolled_at,
    })
}

/// A phone method can receive codes by SMS, voice or both; its preferred channel decides, then
/// the channels it lists. A phone method that says nothing is an SMS enrollment (the default).
fn method_channel(item: &Map<String, Value>) -> Channel {
    match item
        .get("preferred_authentication_method")
        .and_then(Value::as_str)
    {
        Some("sms") => return Channel::Sms,
        Some("voice") => return Channel::Voice,
        _ => {}
    }
    let listed = |wanted: &str| {
        item.get("authentication_methods")
            .and_then(Value::as_array)
            .is_some_and(|methods| {
                methods
                    .iter()
                    .any(|m| m.get("type").and_then(Value::as_str) == Some(wanted))
            })
    };
    if !listed("sms") && listed("voice") {
        Channel::Voice
    } else {
        Channel::Sms
    }
}

/// The enrollment the phone claims use, or why none could be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// No confirmed SMS or voice enrollment.
    NoneConfirmed,
    /// The best enrollment, with its normalized number; `considered` confirmed phone
    /// enrollments were compared.
    Chosen {
        enrollment: PhoneEnrollment,
        number: PhoneNumber,
        considered: usize,
    },
    /// Confirmed enrollments exist but none has a valid number; the rejection of the preferred
    /// one (for a masked tenant, [`PhoneRejection::Masked`]).
    Unusable {
        rejection: PhoneRejection,
        considered: usize,
    },
}

/// Picks the enrollment: SMS before voice, then the latest enrolled, then the smallest id (so
/// that the choice never depends on the order of the response). An enrollment whose number does
/// not normalize is passed over for the next one.
/// `country` converts a number stored without `+`, as for every other source; it is asked only
/// for such a number.
pub fn choose(
    mut enrollments: Vec<PhoneEnrollment>,
    country: &dyn Fn() -> Option<Country>,
) -> Choice {
    let considered = enrollments.len();
    enrollments.sort_by(|a, b| {
        b.channel
            .cmp(&a.channel)
            .then(b.enrolled_at.cmp(&a.enrolled_at))
            .then(a.id.cmp(&b.id))
    });
    let mut first_rejection = None;
    for enrollment in enrollments {
        let normalized = match enrollment.number.as_deref() {
            Some(raw) => phone::normalize_lazily(raw, country),
            None => Err(PhoneRejection::Empty),
        };
        match normalized {
            Ok(number) => {
                return Choice::Chosen {
                    enrollment,
                    number,
                    considered,
                }
            }
            Err(rejection) => {
                first_rejection.get_or_insert(rejection);
            }
        }
    }
    match first_rejection {
        Some(rejection) => Choice::Unusable {
            rejection,
            considered,
        },
        None => Choice::NoneConfirmed,
    }
}

/// Parses an RFC 3339 timestamp (`2024-05-01T10:00:00.000Z`, `...+02:00`) to seconds since
/// the epoch. Anything else is `None`, which sorts as the oldest.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |acc, d| {
            d.is_ascii_digit().then(|| acc * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = b.get(19..)?;
    if let Some((b'.', tail)) = rest.split_first() {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = tail.get(digits..)?;
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let two = |x: u8, y: u8| -> Option<i64> {
                (x.is_ascii_digit() && y.is_ascii_digit())
                    .then(|| i64::from(x - b'0') * 10 + i64::from(y - b'0'))
            };
            let minutes = two(*h1, *h2)? * 60 + two(*m1, *m2)?;
            if *sign == b'+' {
                minutes * 60
            } else {
                -minutes * 60
            }
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method(id: &str, number: &str, preferred: &str, enrolled_at: &str) -> Value {
        json!({
            "id": id, "type": "phone", "confirmed": true, "phone_number": number,
            "preferred_authentication_method": preferred,
            "authentication_methods": [{"id": format!("{preferred}|{id}"), "type": preferred}],
            "created_at": "2020-01-01T00:00:00.000Z", "enrolled_at": enrolled_at
        })
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("1970-01-02T00:00:00.123Z"), Some(86_400));
        assert_eq!(parse_timestamp("2000-03-01T00:00:00Z"), Some(951_868_800));
        assert_eq!(
            parse_timestamp("2024-05-01T12:00:00+02:00"),
            Some(1_714_557_600)
        );
        assert_eq!(
            parse_timestamp("2024-05-01T10:00:00.5Z"),
            Some(1_714_557_600)
        );
        for bad in [
            "",
            "2024-05-01",
            "2024-13-01T00:00:00Z",
            "2024-05-01T10:00:00",
            "2024-05-01T10:00:00.Z",
            "２０２４-05-01T10:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_list_with_an_item_that_is_not_an_object_is_no_answer() {
        for item in [json!("junk"), json!(7), json!(null), json!([])] {
            let response = json!([
                method("phone|a", "+15551230001", "sms", "2024-01-01T00:00:00Z"),
                item
            ]);
            assert_eq!(phone_enrollments(&response), Err(BadResponse), "{response}");
            let wrapped = json!({"authenticators": response});
            assert_eq!(phone_enrollments(&wrapped), Err(BadResponse));
        }
    }

    #[test]
    fn authentication_methods_shape_keeps_only_confirmed_phones() {
        let response = json!([
            method("phone|a", "+15551230001", "sms", "2024-01-01T00:00:00.000Z"),
            {"id": "totp|b", "type": "totp", "confirmed": true},
            {"id": "push|c", "type": "push", "confirmed": true},
            {"id": "email|d", "type": "email", "confirmed": true},
            {"id": "webauthn|e", "type": "webauthn-roaming", "confirmed": true},
            {"id": "phone|f", "type": "phone", "confirmed": false, "phone_number": "+15551230002"},
            {"id": "phone|g", "type": "phone", "phone_number": "+15551230003"}
        ]);
        let found = phone_enrollments(&response).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "phone|a");
        assert_eq!(found[0].channel, Channel::Sms);
        let wrapped = json!({"start": 0, "limit": 50, "total": 1, "authenticators": [method("phone|a", "+15551230001", "voice", "2024-01-01T00:00:00Z")]});
        let found = phone_enrollments(&wrapped).unwrap();
        assert_eq!(found[0].channel, Channel::Voice);
    }

    #[test]
    fn enrollments_shape() {
        let response = json!([
            {"id": "sms|1", "status": "confirmed", "auth_method": "sms", "phone_number": "+447700900123", "enrolled_at": "2023-01-01T00:00:00Z"},
            {"id": "sms|2", "status": "pending", "auth_method": "sms", "phone_number": "+447700900124"},
            {"id": "otp|3", "status": "confirmed", "auth_method": "authenticator"},
            {"id": "g|4", "status": "confirmed", "auth_method": "guardian"},
            {"id": "v|5", "status": "confirmed", "auth_method": "voice", "identifier": "+447700900125"}
        ]);
        let found = phone_enrollments(&response).unwrap();
        assert_eq!(
            found.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["sms|1", "v|5"]
        );
        assert_eq!(found[1].number.as_deref(), Some("+447700900125"));
    }

    #[test]
    fn bad_shapes() {
        for bad in [
            json!({}),
            json!({"authenticators": {}}),
            json!("x"),
            json!(1),
        ] {
            assert_eq!(phone_enrollments(&bad), Err(BadResponse));
        }
        assert_eq!(phone_enrollments(&json!([])), Ok(vec![]));
    }

    #[test]
    fn channel_from_listed_methods() {
        let voice_only = json!([{"id": "p", "type": "phone", "confirmed": true, "authentication_methods": [{"type": "voice"}]}]);
        assert_eq!(
            phone_enrollments(&voice_only).unwrap()[0].channel,
            Channel::Voice
        );
        let both = json!([{"id": "p", "type": "phone", "confirmed": true, "authentication_methods": [{"type": "voice"}, {"type": "sms"}]}]);
        assert_eq!(phone_enrollments(&both).unwrap()[0].channel, Channel::Sms);
    }

    #[test]
    fn sms_preferred_over_voice_then_latest() {
        let response = json!([
            method(
                "phone|voice-new",
                "+15551230001",
                "voice",
                "2025-01-01T00:00:00Z"
            ),
            method(
                "phone|sms-old",
                "+15551230002",
                "sms",
                "2021-01-01T00:00:00Z"
            ),
            method(
                "phone|sms-new",
                "+15551230003",
                "sms",
                "2024-01-01T00:00:00Z"
            ),
        ]);
        match choose(phone_enrollments(&response).unwrap(), &|| None) {
            Choice::Chosen {
                enrollment,
                number,
                considered,
            } => {
                assert_eq!(enrollment.id, "phone|sms-new");
                assert_eq!(number.as_str(), "+15551230003");
                assert_eq!(considered, 3);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn choice_does_not_depend_on_response_order() {
        let a = method("phone|a", "+15551230001", "sms", "2024-01-01T00:00:00Z");
        let b = method("phone|b", "+15551230002", "sms", "2024-01-01T00:00:00Z");
        let one = choose(
            phone_enrollments(&json!([a.clone(), b.clone()])).unwrap(),
            &|| None,
        );
        let two = choose(phone_enrollments(&json!([b, a])).unwrap(), &|| None);
        assert_eq!(one, two);
    }

    #[test]
    fn invalid_numbers_are_passed_over_and_masks_reported() {
        let response = json!([
            method("phone|a", "XXXXXXXX8730", "sms", "2025-01-01T00:00:00Z"),
            method("phone|b", "+15551230002", "voice", "2021-01-01T00:00:00Z"),
        ]);
        match choose(phone_enrollments(&response).unwrap(), &|| None) {
            Choice::Chosen { enrollment, .. } => assert_eq!(enrollment.id, "phone|b"),
            other => panic!("{other:?}"),
        }
        let masked = json!([method(
            "phone|a",
            "+1123XXXXX",
            "sms",
            "2025-01-01T00:00:00Z"
        )]);
        assert_eq!(
            choose(phone_enrollments(&masked).unwrap(), &|| None),
            Choice::Unusable {
                rejection: PhoneRejection::Masked,
                considered: 1
            }
        );
        assert_eq!(choose(vec![], &|| None), Choice::NoneConfirmed);
    }
}
