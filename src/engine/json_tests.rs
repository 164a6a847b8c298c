//! Tests of the JSON scanner. Expected values are written by hand from RFC 8259; serde_json is
//! only an oracle in the property tests.

use super::*;

fn parsed(text: &str) -> Json<'_> {
    match Json::parse(text) {
        Ok(json) => json,
        Err(invalid) => panic!("{text:?} was refused: {invalid:?}"),
    }
}

fn refused(text: &str) -> Invalid {
    match Json::parse(text) {
        Ok(json) => panic!("{text:?} was accepted: {json:?}"),
        Err(invalid) => invalid,
    }
}

fn string(text: &str) -> String {
    match parsed(text).as_str() {
        Some(value) => value.into_owned(),
        None => panic!("{text:?} is not a string"),
    }
}

fn nested(depth: usize) -> String {
    "[".repeat(depth) + &"]".repeat(depth)
}

#[test]
fn every_kind_is_recognised() {
    let cases = [
        ("null", Kind::Null),
        ("true", Kind::Bool),
        ("false", Kind::Bool),
        ("0", Kind::Number),
        ("-0", Kind::Number),
        ("12", Kind::Number),
        ("-1.5e+10", Kind::Number),
        ("2E-3", Kind::Number),
        ("0.25", Kind::Number),
        ("1e5", Kind::Number),
        ("\"\"", Kind::String),
        ("\"a\"", Kind::String),
        ("[]", Kind::Array),
        ("[[],{}]", Kind::Array),
        ("{}", Kind::Object),
        ("{\"a\":[{}]}", Kind::Object),
    ];
    for (text, kind) in cases {
        let json = parsed(text);
        assert_eq!(json.kind(), kind, "{text}");
        assert_eq!(json.text(), text);
    }
}

#[test]
fn outer_whitespace_is_trimmed_from_the_text() {
    let json = parsed(" \t\r\n[1, 2]\n ");
    assert_eq!(json.text(), "[1, 2]");
    assert_eq!(json.kind(), Kind::Array);
    assert_eq!(parsed("\n\"x\"\t").text(), "\"x\"");
}

#[test]
fn booleans() {
    assert_eq!(parsed("true").as_bool(), Some(true));
    assert_eq!(parsed("false").as_bool(), Some(false));
    assert_eq!(parsed("null").as_bool(), None);
    assert_eq!(parsed("\"true\"").as_bool(), None);
    assert_eq!(parsed("1").as_bool(), None);
}

#[test]
fn every_escape_decodes() {
    assert_eq!(string(r#""\"""#), "\"");
    assert_eq!(string(r#""\\""#), "\\");
    assert_eq!(string(r#""\/""#), "/");
    assert_eq!(string(r#""\b""#), "\u{8}");
    assert_eq!(string(r#""\f""#), "\u{c}");
    assert_eq!(string(r#""\n""#), "\n");
    assert_eq!(string(r#""\r""#), "\r");
    assert_eq!(string(r#""\t""#), "\t");
    assert_eq!(string(r#""\u0041""#), "A");
    assert_eq!(string(r#""\u00e9\u00C9""#), "éÉ");
    assert_eq!(string(r#""\u0000""#), "\u{0}");
    assert_eq!(string(r#""\u2028""#), "\u{2028}");
    assert_eq!(string(r#""\ud83d\ude00""#), "😀");
    assert_eq!(string(r#""\uD83D\uDE00""#), "😀");
    assert_eq!(string(r#""a\tb\\c\"d\u0041e😀f""#), "a\tb\\c\"dAe😀f");
    assert_eq!(string(r#""\\u0041""#), "\\u0041");
}

#[test]
fn strings_without_escapes_are_borrowed() {
    let plain = parsed("\"plain é 😀\"").as_str();
    assert!(
        matches!(plain, Some(Cow::Borrowed("plain é 😀"))),
        "{plain:?}"
    );
    let empty = parsed("\"\"").as_str();
    assert!(matches!(empty, Some(Cow::Borrowed(""))), "{empty:?}");
    let escaped = parsed(r#""a\nb""#).as_str();
    assert!(
        matches!(&escaped, Some(Cow::Owned(s)) if s == "a\nb"),
        "{escaped:?}"
    );
    assert_eq!(parsed("1").as_str(), None);
    assert_eq!(parsed("[\"a\"]").as_str(), None);
}

#[test]
fn truncated_texts_are_refused() {
    for text in [
        "\"abc", "[1,", "{\"a\":", "tru", "[", "{", "\"", "[1", "{\"a\"", "{\"a\":1", "nul",
        "fals", "\"\\", "\"\\u00", "[[]",
    ] {
        assert_eq!(refused(text), Invalid::Syntax, "{text:?}");
    }
}

#[test]
fn bad_numbers_are_refused() {
    for text in [
        "01", "-01", "00", "1.", ".5", "+1", "-", "1e", "1e+", "1.e5", "-.5", "1.5e", "[01]",
        "Infinity", "NaN", "--1",
    ] {
        assert_eq!(refused(text), Invalid::Syntax, "{text:?}");
    }
}

#[test]
fn bad_strings_are_refused() {
    for text in [
        "\"a\u{1}b\"",
        "\"\n\"",
        "\"\t\"",
        "\"\u{1f}\"",
        r#""\x""#,
        r#""\u12""#,
        r#""\u12g4""#,
        r#""\U0041""#,
        r#""\a""#,
        "'a'",
        "\"a\"\"",
    ] {
        assert!(Json::parse(text).is_err(), "{text:?}");
    }
    assert_eq!(refused("\"a\u{1}b\""), Invalid::Syntax);
    assert_eq!(refused(r#""\x""#), Invalid::Syntax);
    assert_eq!(refused(r#""\u12""#), Invalid::Syntax);
    assert_eq!(refused("'a'"), Invalid::Syntax);
    // DEL and non-ASCII are not control characters.
    assert_eq!(string("\"\u{7f}\u{80}\""), "\u{7f}\u{80}");
}

#[test]
fn lone_surrogates_are_refused() {
    for text in [
        r#""\ud800""#,
        r#""\ud800\u0041""#,
        r#""\udc00""#,
        r#""\udbff""#,
        r#""\udfff""#,
        r#""\ud83d\ud83d""#,
        r#""\ud83dx""#,
        r#""\ude00\ud83d""#,
        r#"["\ud800"]"#,
        r#"{"\udc00":1}"#,
    ] {
        assert_eq!(refused(text), Invalid::LoneSurrogate, "{text:?}");
    }
    // A high surrogate followed by a broken escape is a syntax error or a lone surrogate;
    // refused either way.
    assert!(Json::parse(r#""\ud800\u12""#).is_err());
}

#[test]
fn trailing_text_is_refused() {
    for text in [
        "1 2",
        "{}x",
        "[]]",
        "{}}",
        "\"a\"\"b\"",
        "true false",
        "1x",
        "null,",
    ] {
        assert_eq!(refused(text), Invalid::Trailing, "{text:?}");
    }
}

#[test]
fn other_syntax_errors_are_refused() {
    for text in [
        "",
        " ",
        " \t\r\n",
        "[1,]",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{\"a\"}",
        "{1:2}",
        "{a:1}",
        "{'a':1}",
        "{null:1}",
        "[1 2]",
        "[,1]",
        "[,]",
        "{,}",
        "{\"a\":1 \"b\":2}",
        "[}",
        "{]",
        "[1}",
        "{\"a\":1]",
        "\u{c}1",
        "\u{a0}1",
        "True",
        "nulls",
    ] {
        assert!(Json::parse(text).is_err(), "{text:?}");
    }
    assert_eq!(refused(""), Invalid::Syntax);
    assert_eq!(refused(" \n"), Invalid::Syntax);
    assert_eq!(refused("[1,]"), Invalid::Syntax);
    assert_eq!(refused("{\"a\":1,}"), Invalid::Syntax);
    assert_eq!(refused("{\"a\" 1}"), Invalid::Syntax);
    assert_eq!(refused("{1:2}"), Invalid::Syntax);
    assert_eq!(refused("[}"), Invalid::Syntax);
}

#[test]
fn depth_is_limited_to_max_depth() {
    assert_eq!(MAX_DEPTH, 127);
    assert_eq!(parsed(&nested(1)).kind(), Kind::Array);
    assert_eq!(parsed(&nested(127)).kind(), Kind::Array);
    assert_eq!(refused(&nested(128)), Invalid::TooDeep);
    let objects = "{\"a\":".repeat(126) + "[]" + &"}".repeat(126);
    assert_eq!(parsed(&objects).kind(), Kind::Object);
    let objects = "{\"a\":".repeat(127) + "[]" + &"}".repeat(127);
    assert_eq!(refused(&objects), Invalid::TooDeep);
    // Depth counts open containers, not how many there were.
    let wide = "[".to_string() + &vec![nested(126); 3].join(",") + "]";
    assert_eq!(parsed(&wide).items().count(), 3);
}

/// The limit is serde_json's, so that a value the scanner accepts is one the rendered decision
/// (serde_json) can hold.
#[test]
fn depth_limit_is_serde_jsons() {
    assert!(serde_json::from_str::<serde_json::Value>(&nested(127)).is_ok());
    assert!(serde_json::from_str::<serde_json::Value>(&nested(128)).is_err());
}

#[test]
fn a_very_deep_text_is_refused_without_overflowing_the_stack() {
    assert_eq!(refused(&nested(100_000)), Invalid::TooDeep);
    assert_eq!(refused(&"[".repeat(100_000)), Invalid::TooDeep);
    assert_eq!(refused(&"{\"a\":".repeat(100_000)), Invalid::TooDeep);
}

#[test]
fn containers_of_either_kind_at_the_same_level_are_told_apart() {
    // An object closed at a level, then an array opened at the same level, and back.
    let json = parsed(r#"[{},[1],{"a":[]},[{"b":2}],{}]"#);
    assert_eq!(json.items().count(), 5);
    assert_eq!(refused(r#"[{},[1}]"#), Invalid::Syntax);
    assert_eq!(refused(r#"[[],{"a":1]]"#), Invalid::Syntax);
}

#[test]
fn items_of_an_array() {
    let items: Vec<(&str, Kind)> = parsed(r#"[1,"a",{"b":[2]},true]"#)
        .items()
        .map(|item| (item.text(), item.kind()))
        .collect();
    assert_eq!(
        items,
        [
            ("1", Kind::Number),
            ("\"a\"", Kind::String),
            ("{\"b\":[2]}", Kind::Object),
            ("true", Kind::Bool),
        ]
    );
    let items: Vec<&str> = parsed(" [ 1 , 2 ] ").items().map(Json::text).collect();
    assert_eq!(items, ["1", "2"]);
    let items: Vec<&str> = parsed("[\n\"a]\\\"[,\" ,\t[ ] , null,-2.5e3\r]")
        .items()
        .map(Json::text)
        .collect();
    assert_eq!(items, ["\"a]\\\"[,\"", "[ ]", "null", "-2.5e3"]);
    assert_eq!(parsed("[]").items().count(), 0);
    assert_eq!(parsed("[ \n ]").items().count(), 0);
    let mut items = parsed("[[]]").items();
    assert_eq!(items.next().map(Json::text), Some("[]"));
    assert_eq!(items.next(), None);
    assert_eq!(items.next(), None);
}

#[test]
fn items_of_a_non_array_are_empty() {
    for text in ["{\"a\":1}", "\"[1]\"", "1", "null", "true"] {
        assert_eq!(parsed(text).items().count(), 0, "{text}");
    }
}

#[test]
fn items_are_values_that_can_be_looked_into() {
    let json = parsed(r#"[{"type":"phone","n":[3,4]}]"#);
    let first = json.items().next();
    let n = first.and_then(|item| item.get("n"));
    let n: Vec<&str> = n
        .map(|n| n.items().map(Json::text).collect())
        .unwrap_or_default();
    assert_eq!(n, ["3", "4"]);
    let kind = first
        .and_then(|item| item.get("type"))
        .and_then(Json::as_str);
    assert_eq!(kind.as_deref(), Some("phone"));
}

#[test]
fn get_members() {
    let json = parsed(r#"{ "a" : 1 , "b":"two", "c":{"d":[true]}, "e":null }"#);
    assert_eq!(json.get("a").map(Json::text), Some("1"));
    assert_eq!(json.get("a").map(Json::kind), Some(Kind::Number));
    assert_eq!(json.get("b").map(Json::text), Some("\"two\""));
    assert_eq!(json.get("c").map(Json::text), Some("{\"d\":[true]}"));
    assert_eq!(json.get("e").map(Json::kind), Some(Kind::Null));
    let d = json.get("c").and_then(|c| c.get("d"));
    assert_eq!(d.map(Json::text), Some("[true]"));
    assert_eq!(json.get("d"), None);
    assert_eq!(json.get(""), None);
    assert_eq!(json.get("A"), None);
    assert_eq!(json.get("\"a\""), None);
    assert_eq!(parsed("{}").get("a"), None);
}

#[test]
fn get_returns_the_last_of_a_repeated_key() {
    let json = parsed(r#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(json.get("a").map(Json::text), Some("3"));
    assert_eq!(json.get("b").map(Json::text), Some("2"));
    let json = parsed(r#"{"a":1,"\u0061":[5]}"#);
    assert_eq!(json.get("a").map(Json::text), Some("[5]"));
}

#[test]
fn get_compares_keys_after_decoding_escapes() {
    let json = parsed(r#"{"t\u0079pe":"phone"}"#);
    assert_eq!(json.get("type").map(Json::text), Some("\"phone\""));
    assert_eq!(json.get("t\\u0079pe"), None);
    assert_eq!(json.get("typ"), None);
    assert_eq!(json.get("typee"), None);
    let json = parsed(r#"{"a\"b":1,"\ud83d\ude00":2,"\\":3,"\n":4,"é":5,"\u00e9x":6}"#);
    assert_eq!(json.get("a\"b").map(Json::text), Some("1"));
    assert_eq!(json.get("😀").map(Json::text), Some("2"));
    assert_eq!(json.get("\\").map(Json::text), Some("3"));
    assert_eq!(json.get("\n").map(Json::text), Some("4"));
    assert_eq!(json.get("é").map(Json::text), Some("5"));
    assert_eq!(json.get("éx").map(Json::text), Some("6"));
    // Keys are not matched inside values or other keys.
    let json = parsed(r#"{"x":"a","y":{"a":1}}"#);
    assert_eq!(json.get("a"), None);
}

#[test]
fn get_on_a_non_object_is_none() {
    for text in ["[\"a\"]", "\"a\"", "1", "null", "false", "[{\"a\":1}]"] {
        assert_eq!(parsed(text).get("a"), None, "{text}");
    }
}

#[test]
fn quoted_len_measures_as_serde_json_writes() {
    let cases = [
        ("", 2),
        ("plain", 7),
        ("a\"b", 6),
        ("back\\slash", 13),
        ("\n\t\r\u{8}\u{c}", 12),
        ("\u{1}\u{1f}", 14),
        ("\u{0}", 8),
        ("é", 4),
        ("😀", 6),
        ("\u{2028}", 5),
        ("\u{7f}", 3),
        ("/", 3),
        ("<script>", 10),
    ];
    for (s, expected) in cases {
        assert_eq!(quoted_len(s), expected, "{s:?}");
        let written = serde_json::to_string(s).map(|json| json.len()).ok();
        assert_eq!(written, Some(expected), "{s:?}");
    }
}

#[test]
fn plain_string_lists_take_the_fast_path_and_read_as_the_scanner_reads_them() {
    for text in [
        r#"[]"#,
        r#"[""]"#,
        r#"["openid","phone"]"#,
        r#"["é","東京 😀"]"#,
    ] {
        assert!(plain_string_list(text.as_bytes()), "{text}");
        assert_eq!(Json::parse(text), Json::scan(text), "{text}");
        let list = parsed(text);
        assert_eq!((list.kind(), list.text()), (Kind::Array, text));
    }
    assert_eq!(
        parsed(r#"["openid","phone"]"#)
            .items()
            .filter_map(Json::as_str)
            .collect::<Vec<_>>(),
        ["openid", "phone"]
    );
    // Anything else goes to the scanner, which accepts or refuses it as before.
    for text in [
        "",
        "[",
        "]",
        "[,]",
        r#"[""#,
        r#"["a",]"#,
        r#"["a""b"]"#,
        r#"["a" ,"b"]"#,
        r#"[ "a"]"#,
        r#"["a\"b"]"#,
        r#"["\u0041"]"#,
        "[\"\u{1}\"]",
        "[\"a\"]\n",
        r#"["a",1]"#,
        r#"[["a"]]"#,
        r#"{"a":"b"}"#,
        r#""a""#,
    ] {
        assert!(!plain_string_list(text.as_bytes()), "{text:?}");
    }
    assert_eq!(refused(r#"["a",]"#), Invalid::Syntax);
    assert_eq!(refused(r#"["a""b"]"#), Invalid::Syntax);
    assert_eq!(refused("[\"\u{1}\"]"), Invalid::Syntax);
    assert_eq!(parsed(r#"["a\"b"]"#).items().count(), 1);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn any_string() -> impl Strategy<Value = String> {
        prop::collection::vec(any::<char>(), 0..12).prop_map(|chars| chars.into_iter().collect())
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("JSON has finite numbers", |f| f.is_finite())
                .prop_map(Value::from),
            any_string().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::vec((any_string(), inner), 0..6)
                    .prop_map(|members| Value::Object(members.into_iter().collect())),
            ]
        })
    }

    fn kind(value: &Value) -> Kind {
        match value {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn reparsed(json: Json<'_>) -> Result<Value, TestCaseError> {
        serde_json::from_str(json.text())
            .map_err(|error| TestCaseError::fail(format!("{:?}: {error}", json.text())))
    }

    /// Walks `json` with the scanner's accessors and checks each part against serde_json's
    /// reading of the same text.
    fn agrees(json: Json<'_>, expected: &Value) -> Result<(), TestCaseError> {
        prop_assert_eq!(json.kind(), kind(expected));
        prop_assert_eq!(&reparsed(json)?, expected);
        match expected {
            Value::Bool(b) => prop_assert_eq!(json.as_bool(), Some(*b)),
            Value::String(s) => {
                let decoded = json.as_str();
                prop_assert_eq!(decoded.as_deref(), Some(s.as_str()));
            }
            Value::Array(items) => {
                prop_assert_eq!(json.items().count(), items.len());
                for (item, expected) in json.items().zip(items) {
                    agrees(item, expected)?;
                }
            }
            Value::Object(members) => {
                for (key, expected) in members {
                    let member = json.get(key);
                    prop_assert!(member.is_some(), "{:?} not found in {}", key, json.text());
                    if let Some(member) = member {
                        agrees(member, expected)?;
                    }
                }
            }
            Value::Null | Value::Number(_) => {}
        }
        Ok(())
    }

    fn same_verdict(text: &str) -> Result<(), TestCaseError> {
        let ours = Json::parse(text);
        let theirs = serde_json::from_str::<Value>(text);
        prop_assert_eq!(
            ours.is_ok(),
            theirs.is_ok(),
            "{:?}: {:?} {:?}",
            text,
            ours,
            theirs
        );
        if let (Ok(json), Ok(value)) = (ours, theirs) {
            agrees(json, &value)?;
        }
        Ok(())
    }

    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            " ",
            "\n",
            "\"a\"",
            "\"\"",
            "\"\\u00e9\"",
            "\"\\ud83d\\ude00\"",
            "\"\\ud800\"",
            "\"\\n\"",
            "0",
            "-1.5e3",
            "12",
            "true",
            "null",
            "false",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn serde_json_output_is_accepted_and_read_back(value in any_value()) {
            let text = serde_json::to_string(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            // Floats are compared with serde_json's reading of its own text: without its
            // float_roundtrip feature that reading may differ in the last bit.
            let reread: Value = serde_json::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let json = Json::parse(&text);
            prop_assert!(json.is_ok(), "{:?}: {:?}", text, json);
            if let Ok(json) = json {
                prop_assert_eq!(json.text(), text.as_str());
                prop_assert_eq!(json.kind(), kind(&value));
                if let Value::String(s) = &value {
                    let decoded = json.as_str();
                    prop_assert_eq!(decoded.as_deref(), Some(s.as_str()));
                }
                agrees(json, &reread)?;
            }
            let pretty = serde_json::to_string_pretty(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let json = Json::parse(&pretty);
            prop_assert!(json.is_ok(), "{:?}: {:?}", pretty, json);
            if let Ok(json) = json {
                agrees(json, &reread)?;
            }
        }

        #[test]
        fn the_fast_path_answers_as_the_scanner(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["[", "]", "\"", ",", "a", "é", "\\", "\u{1}", " ", "1", "{", "}", ":", "\"x\""]),
                0..14,
            ),
            list in prop::collection::vec(any_string(), 0..5),
        ) {
            let text: String = pieces.concat();
            prop_assert_eq!(Json::parse(&text), Json::scan(&text), "{:?}", text);
            let written = serde_json::to_string(&list).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(Json::parse(&written), Json::scan(&written), "{:?}", written);
            prop_assert!(Json::parse(&written).is_ok());
        }

        #[test]
        fn quoted_len_is_the_length_serde_json_writes(s in any_string()) {
            let written = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(quoted_len(&s), written.len());
        }

        #[test]
        fn write_quoted_writes_what_serde_json_writes(s in any_string()) {
            let written = serde_json::to_string(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(&quoted(&s), &written);
            let mut appended = String::from("x");
            write_quoted(&mut appended, &s);
            prop_assert_eq!(appended, format!("x{written}"));
        }

        #[test]
        fn write_usize_writes_decimal(n in any::<usize>()) {
            let mut out = String::from("[");
            write_usize(&mut out, n);
            prop_assert_eq!(out, format!("[{n}"));
        }

        #[test]
        fn members_are_serde_json_s_members(value in any_value()) {
            let text = serde_json::to_string(&value).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let json = Json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            let keys: Vec<String> = json.members().map(|m| m.key().into_owned()).collect();
            let expected: Vec<String> = value.as_object().map_or_else(Vec::new, |o| o.keys().cloned().collect());
            prop_assert_eq!(keys, expected);
            for member in json.members() {
                let written = value.get(member.key().as_ref()).and_then(|v| serde_json::to_string(v).ok());
                prop_assert_eq!(Some(member.value.text()), written.as_deref());
            }
        }

        /// The exact range check agrees with Rust's correctly rounded float parser, around the
        /// boundary and far from it.
        #[test]
        fn out_of_range_is_what_rounds_to_infinity(
            sign in "-?",
            lead in "0{0,3}",
            digits in "1797693134862315[0-9]{0,12}|[1-9][0-9]{0,20}",
            point in 0usize..24,
            exponent in -40i64..40,
        ) {
            let split = point.min(digits.len());
            let (int, frac) = digits.split_at(split);
            let int = if int.is_empty() { "0" } else { int };
            let mantissa = if frac.is_empty() { int.to_owned() } else { format!("{int}.{frac}") };
            let shift = 308 - split as i64 + exponent;
            let text = format!("{sign}{lead}{mantissa}e{shift}");
            // Extra leading zeros are not JSON; the check itself must not care.
            let finite = text.parse::<f64>().map(f64::is_finite).unwrap_or(false);
            prop_assert_eq!(beyond_double(text.as_bytes()), !finite, "{}", text);
            // Without the extra leading zeros it is a JSON number, refused exactly when beyond.
            if lead.is_empty() {
                let json = Json::parse(&text).map(Json::kind);
                let expected = if finite { Ok(Kind::Number) } else { Err(Invalid::OutOfRange) };
                prop_assert_eq!(json, expected, "{}", text);
            }
        }

        #[test]
        fn json_ish_text_is_accepted_as_serde_json_accepts_it(
            text in "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,24}",
        ) {
            same_verdict(&text)?;
        }

        #[test]
        fn token_soup_is_accepted_as_serde_json_accepts_it(
            tokens in prop::collection::vec(token(), 0..16),
        ) {
            same_verdict(&tokens.concat())?;
        }

        #[test]
        fn any_text_is_scanned_without_panicking(text in any_string()) {
            if let Ok(json) = Json::parse(&text) {
                prop_assert_eq!(json.text(), text.trim_matches([' ', '\t', '\n', '\r']));
            }
        }
    }
}

#[test]
fn numbers_beyond_a_double_are_refused() {
    for text in ["1e999", "-1e309", "[1,2e400]", "{\"a\":1E+999}"] {
        assert_eq!(Json::parse(text), Err(Invalid::OutOfRange), "{text}");
    }
    let huge = "9".repeat(400);
    assert_eq!(Json::parse(&huge), Err(Invalid::OutOfRange));
    // Small ones underflow to zero, as in JavaScript; the largest double is fine.
    for text in ["1e-999", "1.7976931348623157e308", &"9".repeat(300)] {
        assert_eq!(
            Json::parse(text).map(Json::kind),
            Ok(Kind::Number),
            "{text}"
        );
    }
}

#[test]
fn strings_are_written_with_json_escapes() {
    let cases = [
        ("", r#""""#),
        ("plain", r#""plain""#),
        ("a\"b", r#""a\"b""#),
        ("back\\slash", r#""back\\slash""#),
        ("\n\t\r\u{8}\u{c}", r#""\n\t\r\b\f""#),
        ("\u{1}\u{1f}\u{0}", r#""\u0001\u001f\u0000""#),
        ("é😀\u{2028}\u{7f}/", "\"é😀\u{2028}\u{7f}/\""),
        ("__proto__", r#""__proto__""#),
    ];
    for (s, expected) in cases {
        assert_eq!(quoted(s), expected, "{s:?}");
        assert_eq!(quoted_len(s), expected.len(), "{s:?}");
        assert_eq!(string(expected), s, "{expected} reads back");
    }
}

#[test]
fn usize_is_written_in_decimal() {
    for (n, expected) in [(0, "0"), (7, "7"), (10, "10"), (1_000_000, "1000000")] {
        let mut out = String::new();
        write_usize(&mut out, n);
        assert_eq!(out, expected);
    }
    let mut out = String::new();
    write_usize(&mut out, usize::MAX);
    assert_eq!(out, usize::MAX.to_string());
}

#[test]
fn members_come_in_text_order_with_repeats_and_decoded_keys() {
    let object = parsed(r#" { "b" : 1 , "a\u0041" : [2, {"x": 3}] , "b" : "three", "" : null } "#);
    let members: Vec<(String, &str)> = object
        .members()
        .map(|m| (m.key().into_owned(), m.value.text()))
        .collect();
    assert_eq!(
        members,
        [
            ("b".to_owned(), "1"),
            ("aA".to_owned(), r#"[2, {"x": 3}]"#),
            ("b".to_owned(), r#""three""#),
            (String::new(), "null"),
        ]
    );
    // The last of a repeated key is the one `get` finds, as JSON.parse does.
    assert_eq!(object.get("b").map(Json::text), Some(r#""three""#));
    assert_eq!(object.get("aA").map(Json::kind), Some(Kind::Array));
    assert_eq!(object.get("a\\u0041"), None);
    for other in ["[1, 2]", r#""{\"a\": 1}""#, "{}", "null", "7"] {
        assert_eq!(parsed(other).members().count(), 0, "{other}");
    }
}

#[test]
fn every_refusal_is_described_apart() {
    let all = [
        Invalid::Syntax,
        Invalid::TooDeep,
        Invalid::LoneSurrogate,
        Invalid::Trailing,
        Invalid::OutOfRange,
    ];
    let mut texts: Vec<&str> = all.iter().map(|i| i.describe()).collect();
    assert!(texts.iter().all(|t| !t.is_empty()));
    texts.sort_unstable();
    texts.dedup();
    assert_eq!(texts.len(), all.len());
    assert!(refused(r#""\ud800""#).describe().contains("surrogate"));
    assert!(refused(&nested(128)).describe().contains("127"));
}

/// 2^1024 - 2^970 is the least decimal a double rounds to infinity (halfway to 2^1024, and the
/// tie goes to the even significand); everything below it is finite.
#[test]
fn the_range_of_a_double_ends_exactly_halfway_to_two_to_the_1024() {
    let bound = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
    let below = format!("{}1", &bound[..bound.len() - 1]);
    let cases: [(&str, bool); 16] = [
        (bound, true),
        (&below, false),
        ("1.7976931348623157e308", false),
        ("1.7976931348623158e308", false),
        ("1.7976931348623158079e308", false),
        ("1.797693134862315808e308", true),
        ("-1.797693134862315808e308", true),
        ("1e308", false),
        ("1e309", true),
        ("10e308", true),
        ("0.1e310", true),
        ("0.1e309", false),
        ("0e99999999999999999999999", false),
        ("0.000e+400", false),
        ("1e-99999999999999999999999", false),
        ("1E+99999999999999999999999", true),
    ];
    for (text, beyond) in cases {
        assert_eq!(beyond_double(text.as_bytes()), beyond, "{text}");
        let finite = text.parse::<f64>().map(f64::is_finite).unwrap_or(false);
        assert_eq!(beyond, !finite, "{text}: Rust's parser disagrees");
    }
    // With the exact bound's digits followed by more digits, or zeros.
    assert!(beyond_double(format!("{bound}.0000").as_bytes()));
    assert!(!beyond_double(format!("{below}.9999e0").as_bytes()));
    assert!(beyond_double(format!("0.{bound}e309").as_bytes()));
}
