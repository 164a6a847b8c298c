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

    /// 2024-05-01T00:00:00Z: 2024-01-01 is 1_704_067_200, plus 31 + 29 + 31 + 30 days.
    const MAY_1_2024: i64 = 1_704_067_200 + (31 + 29 + 31 + 30) * 86_400;

    #[test]
    fn timestamp_offsets_are_subtracted_with_their_sign_and_minutes() {
        // RFC 3339 §5.6: local time minus the offset is UTC; "+05:30" is 5 h 30 min east.
        let cases = [
            ("2024-05-01T12:00:00+05:30", 6 * 3600 + 30 * 60),
            ("2024-05-01T02:00:00-08:00", 10 * 3600),
            ("2024-05-01T00:00:00-10:45", 10 * 3600 + 45 * 60),
            ("2024-05-01T23:59:00+23:59", 0),
            ("2024-05-01T10:00:00+00:00", 10 * 3600),
            ("2024-05-01T10:00:00-00:00", 10 * 3600),
        ];
        for (text, since_midnight) in cases {
            assert_eq!(
                parse_timestamp(text),
                Some(MAY_1_2024 + since_midnight),
                "{text}"
            );
        }
        assert_eq!(parse_timestamp("1970-01-01T00:00:00+01:00"), Some(-3600));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00-01:00"), Some(3600));
        for bad in [
            "2024-05-01T10:00:00+0530",
            "2024-05-01T10:00:00+05:3",
            "2024-05-01T10:00:00+5:30",
            "2024-05-01T10:00:00+05:30:00",
            "2024-05-01T10:00:00 05:30",
            "2024-05-01T10:00:00+0a:30",
            "2024-05-01T10:00:00+05:3a",
            "2024-05-01T10:00:00+05-30",
            "2024-05-01T10:00:00ZZ",
            "2024-05-01T10:00:00Z ",
            "2024-05-01T10:00:00UTC",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamp_fields_are_checked_at_their_range_edges() {
        // RFC 3339 §5.6: mday 01-31, hour 00-23, minute 00-59, second 00-60 (leap second).
        let ok = [
            ("2024-01-31T00:00:00Z", 1_704_067_200 + 30 * 86_400),
            ("2024-12-01T00:00:00Z", 1_704_067_200 + 335 * 86_400),
            ("1970-01-01T23:00:00Z", 23 * 3600),
            ("1970-01-01T00:59:00Z", 59 * 60),
            ("1970-01-01T00:00:59Z", 59),
            ("1970-01-01T23:59:60Z", 86_400),
            ("1970-01-01T12:34:56Z", 12 * 3600 + 34 * 60 + 56),
        ];
        for (text, expected) in ok {
            assert_eq!(parse_timestamp(text), Some(expected), "{text}");
        }
        for bad in [
            "2024-01-00T00:00:00Z",
            "2024-01-32T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "1970-01-01T24:00:00Z",
            "1970-01-01T00:60:00Z",
            "1970-01-01T00:00:61Z",
            "1970-01-01T99:99:99Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamp_separators_sit_at_their_rfc3339_positions() {
        // RFC 3339 §5.6 "full-date T full-time"; the note there allows `t` and a space.
        for text in [
            "1970-01-01T00:00:01Z",
            "1970-01-01t00:00:01Z",
            "1970-01-01 00:00:01Z",
            "1970-01-01T00:00:01z",
        ] {
            assert_eq!(parse_timestamp(text), Some(1), "{text}");
        }
        for bad in [
            "1970/01-01T00:00:01Z",
            "1970-01/01T00:00:01Z",
            "1970-01-01_00:00:01Z",
            "1970-01-01x00:00:01Z",
            "1970-01-01T00-00:01Z",
            "1970-01-01T00:00-01Z",
            "1970-01-01T00:00:01",
            "1970-1-01T00:00:01Z",
            "1970-01-1T00:00:01Z",
            "1970-01-01T0:00:01Z",
            "197a-01-01T00:00:01Z",
            "1970-01-01T00:00:0aZ",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn timestamp_fractions_are_skipped_whatever_their_length() {
        // time-secfrac = "." 1*DIGIT: at least one digit, the fraction is below a second.
        for text in [
            "1970-01-01T00:00:07.0Z",
            "1970-01-01T00:00:07.999Z",
            "1970-01-01T00:00:07.123456789Z",
            "1970-01-01T01:00:07.5+01:00",
        ] {
            assert_eq!(parse_timestamp(text), Some(7), "{text}");
        }
        for bad in [
            "1970-01-01T00:00:07.Z",
            "1970-01-01T00:00:07.",
            "1970-01-01T00:00:07.5",
            "1970-01-01T00:00:07,5Z",
            "1970-01-01T00:00:07.+01:00",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_days_follow_the_gregorian_calendar() {
        // Month lengths of 2023 (not a leap year) from January 1st = 1_672_531_200.
        let starts = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
        for (month, days) in starts.iter().enumerate() {
            let text = format!("2023-{:02}-01T00:00:00Z", month + 1);
            assert_eq!(
                parse_timestamp(&text),
                Some(1_672_531_200 + days * 86_400),
                "{text}"
            );
        }
        // Leap years: every 4th, not every 100th, but every 400th.
        assert_eq!(parse_timestamp("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        assert_eq!(parse_timestamp("2024-03-01T00:00:00Z"), Some(1_709_251_200));
        assert_eq!(parse_timestamp("2000-02-29T00:00:00Z"), Some(951_782_400));
        // 1900 is not a leap year: March 1st is 31 + 28 days after 1900-01-01 (-2_208_988_800).
        assert_eq!(
            parse_timestamp("1900-03-01T00:00:00Z"),
            Some(-2_208_988_800 + 59 * 86_400)
        );
        // 2100 is not either (2100-01-01 = 4_102_444_800).
        assert_eq!(
            parse_timestamp("2100-03-01T00:00:00Z"),
            Some(4_102_444_800 + 59 * 86_400)
        );
        // Before 1970, and before year 1 (year 0 is a leap year of the proleptic calendar).
        assert_eq!(parse_timestamp("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(parse_timestamp("1969-12-31T00:00:00Z"), Some(-86_400));
        assert_eq!(
            parse_timestamp("0001-01-01T00:00:00Z"),
            Some(-62_135_596_800)
        );
        assert_eq!(
            parse_timestamp("0000-01-01T00:00:00Z"),
            Some(-62_135_596_800 - 366 * 86_400)
        );
        assert_eq!(
            parse_timestamp("9999-12-31T23:59:59Z"),
            Some(253_402_300_799)
        );
    }

    #[test]
    fn the_preferred_method_decides_the_channel_before_the_listed_ones() {
        let phone = |preferred: Option<&str>, listed: &[&str]| {
            let mut item = json!({"id": "p", "type": "phone", "confirmed": true,
                "authentication_methods": listed.iter().map(|t| json!({"type": t})).collect::<Vec<_>>()});
            if let Some(p) = preferred {
                item["preferred_authentication_method"] = json!(p);
            }
            phone_enrollments(&json!([item])).unwrap()[0].channel
        };
        assert_eq!(phone(Some("sms"), &["voice"]), Channel::Sms);
        assert_eq!(phone(Some("voice"), &["sms"]), Channel::Voice);
        assert_eq!(phone(Some("voice"), &[]), Channel::Voice);
        assert_eq!(phone(Some("sms"), &[]), Channel::Sms);
        // Another preference says nothing about SMS or voice: the listed channels decide.
        assert_eq!(phone(Some("email"), &["voice"]), Channel::Voice);
        assert_eq!(phone(None, &["voice"]), Channel::Voice);
        assert_eq!(phone(None, &["sms"]), Channel::Sms);
        assert_eq!(phone(None, &["sms", "voice"]), Channel::Sms);
        assert_eq!(phone(None, &[]), Channel::Sms);
        assert_eq!(phone(None, &["otp"]), Channel::Sms);
    }

    #[test]
    fn channel_names_are_the_api_words() {
        assert_eq!(Channel::Sms.name(), "sms");
        assert_eq!(Channel::Voice.name(), "voice");
    }

    fn chosen_id(response: Value) -> String {
        match choose(phone_enrollments(&response).unwrap(), &|| None) {
            Choice::Chosen { enrollment, .. } => enrollment.id,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_newer_voice_enrollment_does_not_beat_an_older_sms_one() {
        let response = json!([
            {"id": "v|new", "status": "confirmed", "auth_method": "voice", "phone_number": "+15551230001", "enrolled_at": "2025-06-01T00:00:00Z"},
            {"id": "s|old", "status": "confirmed", "auth_method": "sms", "phone_number": "+15551230002", "enrolled_at": "2019-06-01T00:00:00Z"}
        ]);
        assert_eq!(chosen_id(response), "s|old");
        let voices = json!([
            {"id": "v|a", "status": "confirmed", "auth_method": "voice", "phone_number": "+15551230001", "enrolled_at": "2020-06-01T00:00:00Z"},
            {"id": "v|b", "status": "confirmed", "auth_method": "voice", "phone_number": "+15551230002", "enrolled_at": "2021-06-01T00:00:00Z"}
        ]);
        assert_eq!(chosen_id(voices), "v|b");
    }

    #[test]
    fn the_most_recent_enrollment_is_compared_in_utc() {
        // 10:00+05:30 is 04:30Z, earlier than 08:00Z although its text sorts later.
        let response = json!([
            method(
                "phone|east",
                "+15551230001",
                "sms",
                "2024-05-01T10:00:00+05:30"
            ),
            method("phone|utc", "+15551230002", "sms", "2024-05-01T08:00:00Z"),
        ]);
        assert_eq!(chosen_id(response), "phone|utc");
        // 02:00-08:00 is 10:00Z, later than 09:00Z.
        let response = json!([
            method("phone|utc", "+15551230002", "sms", "2024-05-01T09:00:00Z"),
            method(
                "phone|west",
                "+15551230001",
                "sms",
                "2024-05-01T02:00:00-08:00"
            ),
        ]);
        assert_eq!(chosen_id(response), "phone|west");
        // A time that does not parse sorts as the oldest.
        let response = json!([
            method("phone|a", "+15551230002", "sms", "yesterday"),
            method("phone|b", "+15551230001", "sms", "1970-01-01T00:00:00Z"),
        ]);
        assert_eq!(chosen_id(response), "phone|b");
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
