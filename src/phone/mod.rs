//! Normalizes phone numbers for the OIDC `phone_number` claim.
//!
//! OIDC Core 1.0 §5.1 asks for E.164 (`+15551234567`), with an extension in
//! RFC 3966 form (`;ext=89`). The values come from user and app metadata that
//! any holder of a Management API token may have written, and relying parties
//! treat the claim as a routable number, so the parser is strict and never
//! guesses: a value it cannot normalize is rejected with a stable reason code
//! rather than passed through. It runs on every login, so every input is
//! bounded before any work is done on it.

pub(crate) mod calling_codes;
pub mod countries;

use crate::countries::Country;

/// Longer than any sensibly formatted number (the longest normalized form is
/// 31 bytes), short enough that hostile values cost nothing to reject.
const MAX_RAW_BYTES: usize = 64;
/// Niue and Tokelau have 4-digit national numbers behind 3-digit codes.
const MIN_DIGITS: usize = 7;
/// The E.164 maximum.
const MAX_DIGITS: usize = 15;
const MAX_EXT_DIGITS: usize = 10;
/// The longest national (trunk) prefix of any country: Hungary's `06`.
const MAX_TRUNK_PREFIX_DIGITS: usize = 2;
/// How many trailing digits a redacted form may show.
const SHOWN_DIGITS: usize = 4;
const ELLIPSIS: char = '\u{2026}';

/// A phone number in E.164 form, optionally followed by an RFC 3966 extension (`+15551234567;ext=89`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    // Only `normalize` builds this, so it always holds the canonical form.
    full: String,
    national: bool,
}

impl PhoneNumber {
    /// The full normalized form, e.g. `+15551234567;ext=89`.
    pub fn as_str(&self) -> &str {
        &self.full
    }

    pub fn into_string(self) -> String {
        self.full
    }

    /// Whether the stored value was written without `+` (a national number, or one behind an
    /// international dialling prefix) and converted with the country it was given.
    pub fn was_national(&self) -> bool {
        self.national
    }

    /// A form safe for logs and traces: `…` and the last 4 digits of the
    /// E.164 part. The extension is left out because it can identify a person
    /// within an organisation.
    pub fn redacted(&self) -> String {
        let e164 = self.full.split(';').next().unwrap_or_default();
        // The E.164 part is ASCII and has at least 7 digits, so this slice
        // is always on a char boundary and holds exactly 4 digits.
        let tail = e164
            .get(e164.len().saturating_sub(SHOWN_DIGITS)..)
            .unwrap_or_default();
        let mut out = String::with_capacity(ELLIPSIS.len_utf8() + SHOWN_DIGITS);
        out.push(ELLIPSIS);
        out.push_str(tail);
        out
    }
}

/// Why a value could not be used as a `phone_number` claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneRejection {
    /// Not produced by [`normalize`]; the caller uses it for values of the
    /// wrong JSON type.
    NotAString,
    /// Empty, or only whitespace and formatting characters.
    Empty,
    /// Contains `X`, `x` or `*`: the Management API obfuscates numbers this
    /// way unless the tenant flag `disable_management_api_sms_obfuscation` is
    /// set.
    Masked,
    /// Does not start with `+` after trimming.
    NotInternational,
    /// Contains something other than ASCII digits and the allowed formatting.
    BadCharacters,
    /// Does not start with a country calling code the ITU has assigned.
    UnknownCountryCode,
    /// Fewer than 7 digits, country code included.
    TooShort,
    /// More than 15 digits, or a raw value longer than 64 bytes.
    TooLong,
    /// A `;` not followed by `ext=` and 1 to 10 digits.
    BadExtension,
}

impl PhoneRejection {
    /// A stable reason code for logs, metrics and callers' error handling.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAString => "phone_not_a_string",
            Self::Empty => "phone_empty",
            Self::Masked => "phone_masked",
            Self::NotInternational => "phone_not_international",
            Self::BadCharacters => "phone_bad_characters",
            Self::UnknownCountryCode => "phone_unknown_country_code",
            Self::TooShort => "phone_too_short",
            Self::TooLong => "phone_too_long",
            Self::BadExtension => "phone_bad_extension",
        }
    }

    /// One sentence telling whoever maintains the data what to change.
    pub fn explain(self) -> &'static str {
        match self {
            Self::NotAString => "The phone number must be stored as a JSON string.",
            Self::Empty => "The phone number is empty; store it in international format: + then the country calling code and the number.",
            Self::Masked => "The phone number is masked by the Management API; set the tenant flag disable_management_api_sms_obfuscation to true so that Actions see the real number.",
            Self::NotInternational => "The phone number must start with + and the country code; a national number (or one behind a dialling prefix such as 00 or 011) is converted only when phone.defaultCountry or phone.countryPath names its country.",
            Self::BadCharacters => "After the + the phone number may contain only digits 0-9, separated by spaces, hyphens, dots or parentheses.",
            Self::UnknownCountryCode => "The phone number does not start with a country calling code assigned by the ITU; check the digits right after the +.",
            Self::TooShort => "The phone number has fewer than 7 digits including the country code; check that no digits are missing.",
            Self::TooLong => "The phone number has more than 15 digits including the country code, or the stored value is longer than 64 bytes.",
            Self::BadExtension => "An extension must be written as ;ext= followed by 1 to 10 digits, and no other ; parameters are allowed.",
        }
    }
}

/// Normalizes `raw` to E.164 with an optional `;ext=` extension. A number without `+` is
/// refused ([`PhoneRejection::NotInternational`]); see [`normalize_in`] to convert one.
pub fn normalize(raw: &str) -> Result<PhoneNumber, PhoneRejection> {
    normalize_in(raw, None)
}

/// Normalizes `raw` to E.164 with an optional `;ext=` extension, converting a number written
/// without `+` with the dialling rules of `country`:
///
/// - a number that starts with one of the country's international dialling prefixes (`00`,
///   `011`, `810`, ...) is an international number behind that prefix;
/// - any other is a national number: the country's national (trunk) prefix (`0`, `1`, `8`; Italy
///   and Spain have none) is removed and the country's calling code put in front.
///
/// After a calling code, a parenthesised national prefix (`+44 (0)20 7946 0958`) is the trunk
/// prefix some people write for national callers, and is dropped; an unparenthesised digit is
/// part of the number (`+39 06 ...`).
///
/// When several rules fail, the rejection is the first that applies in this
/// order: `TooLong` for a raw value over 64 bytes, then the variants in
/// declaration order (`Empty`, `Masked`, `NotInternational`,
/// `BadCharacters`, `UnknownCountryCode`, `TooShort`, `TooLong`,
/// `BadExtension`).
pub fn normalize_in(raw: &str, country: Option<&Country>) -> Result<PhoneNumber, PhoneRejection> {
    normalize_lazily(raw, || country.copied())
}

/// [`normalize_in`], asking for the country only when the number is written without `+`: a
/// login's country may take a lookup, and most stored numbers do not need one.
pub fn normalize_lazily(
    raw: &str,
    country: impl FnOnce() -> Option<Country>,
) -> Result<PhoneNumber, PhoneRejection> {
    // Most stored numbers are already E.164 (`+` and 7 to 15 digits, nothing else): such a
    // number is its own normal form when its calling code is assigned. Anything else, refusals
    // included, takes the general rules.
    if let Some(digits) = raw.strip_prefix('+') {
        if (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && assigned_country_code(digits).is_some()
        {
            return Ok(PhoneNumber {
                full: raw.to_owned(),
                national: false,
            });
        }
    }
    normalize_generally(raw, country)
}

/// [`normalize_lazily`] by the general rules, for every text.
fn normalize_generally(
    raw: &str,
    country: impl FnOnce() -> Option<Country>,
) -> Result<PhoneNumber, PhoneRejection> {
    // Before anything else: values can be megabytes of hostile input, and
    // even trimming one would cost a scan on every login.
    if raw.len() > MAX_RAW_BYTES {
        return Err(PhoneRejection::TooLong);
    }
    let trimmed = raw.trim();
    if trimmed.chars().all(|c| c == '+' || is_formatting(c)) {
        return Err(PhoneRejection::Empty);
    }

    let (number, param) = match trimmed.split_once(';') {
        Some((number, param)) => (number, Some(param)),
        None => (trimmed, None),
    };
    // The `ext` keyword has an `x` of its own, and anything after a second
    // `;` is a bad extension whatever it holds: only the number and the
    // extension's own value can carry the Management API's mask.
    let ext_value = param.and_then(strip_ext_keyword);
    let ext_own_value = ext_value.and_then(|value| value.split(';').next());
    if has_mask(number) || ext_own_value.is_some_and(has_mask) {
        return Err(PhoneRejection::Masked);
    }

    // `00` and `011` are only the exit codes of some countries, and a national number means
    // nothing without its country: without one, turning either into `+` would be a guess.
    let (digits, national) = match number.strip_prefix('+') {
        Some(international) => (international_digits(international)?, false),
        None => match country() {
            None => return Err(PhoneRejection::NotInternational),
            Some(country) => (national_digits(number, &country)?, true),
        },
    };

    if digits.len() < MIN_DIGITS {
        return Err(PhoneRejection::TooShort);
    }
    if digits.len() > MAX_DIGITS {
        return Err(PhoneRejection::TooLong);
    }

    let extension = match param {
        None => None,
        Some(_) => Some(
            ext_value
                .and_then(|value| value.strip_prefix('='))
                .and_then(ascii_digits)
                .filter(|ext| (1..=MAX_EXT_DIGITS).contains(&ext.len()))
                .ok_or(PhoneRejection::BadExtension)?,
        ),
    };

    let mut full = String::with_capacity(1 + digits.len() + ";ext=".len() + MAX_EXT_DIGITS);
    full.push('+');
    full.push_str(&digits);
    if let Some(ext) = extension {
        full.push_str(";ext=");
        full.push_str(&ext);
    }
    Ok(PhoneNumber { full, national })
}

/// The digits of an international number (the text after `+`, or after an international
/// dialling prefix), calling code first, with a parenthesised trunk prefix after the calling
/// code dropped.
fn international_digits(text: &str) -> Result<String, PhoneRejection> {
    let mut digits = ascii_digits(text).ok_or(PhoneRejection::BadCharacters)?;
    let code_len = assigned_country_code(&digits).ok_or(PhoneRejection::UnknownCountryCode)?;
    let group = after_digits(text, code_len)
        .trim_start_matches(|c: char| c != '(' && is_formatting(c))
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(')'))
        .map(|(inside, _)| inside.trim());
    // Only a parenthesised group of one or two digits right after the code can be a trunk
    // prefix (`(0)`, `(8)`, Hungary's `(06)`); the country data is consulted for nothing else,
    // so a plain number or an area code such as `(415)` costs no lookup.
    let Some(group) = group.filter(|g| (1..=MAX_TRUNK_PREFIX_DIGITS).contains(&g.len())) else {
        return Ok(digits);
    };
    let code = digits
        .get(..code_len)
        .and_then(|code| code.parse::<u16>().ok())
        .unwrap_or_default();
    if let Some(prefix) = countries::national_prefix_for_calling_code(code) {
        let range = code_len..code_len + prefix.len();
        // The group's digits are the ones right after the code; checked again so that the
        // removal can never cut anything else.
        if group == prefix && digits.get(range.clone()) == Some(prefix) {
            digits.replace_range(range, "");
        }
    }
    Ok(digits)
}

/// The digits of a number written without `+`, in `country`'s dialling plan, as an
/// international number: calling code first.
fn national_digits(text: &str, country: &Country) -> Result<String, PhoneRejection> {
    let digits = ascii_digits(text).ok_or(PhoneRejection::BadCharacters)?;
    // International prefixes first: Russia's `810` starts with its trunk prefix `8`.
    if let Some(prefix) = country
        .international_prefixes()
        .find(|prefix| digits.starts_with(*prefix))
    {
        return international_digits(after_digits(text, prefix.len()));
    }
    let national = digits
        .strip_prefix(country.national_prefix)
        .filter(|_| !country.national_prefix.is_empty())
        .unwrap_or(&digits);
    let mut full = crate::engine::json::decimal(usize::from(country.calling_code));
    full.push_str(national);
    Ok(full)
}

/// What follows the first `count` ASCII digits of `text`.
fn after_digits(text: &str, count: usize) -> &str {
    let mut seen = 0;
    for (at, c) in text.char_indices() {
        if seen == count {
            return text.get(at..).unwrap_or_default();
        }
        if c.is_ascii_digit() {
            seen += 1;
        }
    }
    ""
}

/// For a value that failed to normalize: at most the last 4 digits found in
/// it, e.g. "…4567", or "" when it has fewer than 4 digits. Never the full
/// input.
pub fn redact_raw(raw: &str) -> String {
    // Scanning from the end stops after 4 digits, so only a hostile value
    // with almost no digits costs a full (byte-wise, cheap) pass.
    let reversed: Vec<u8> = raw
        .bytes()
        .rev()
        .filter(u8::is_ascii_digit)
        .take(SHOWN_DIGITS)
        .collect();
    if reversed.len() < SHOWN_DIGITS {
        return String::new();
    }
    let mut out = String::with_capacity(ELLIPSIS.len_utf8() + SHOWN_DIGITS);
    out.push(ELLIPSIS);
    out.extend(reversed.iter().rev().map(|&b| char::from(b)));
    out
}

/// Separators people and address books put in numbers. Any Unicode
/// whitespace counts because copy-pasted numbers often carry U+00A0.
fn is_formatting(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')')
}

fn has_mask(s: &str) -> bool {
    s.contains(['X', 'x', '*'])
}

/// What follows a case-insensitive `ext` at the start of a `;` parameter.
fn strip_ext_keyword(param: &str) -> Option<&str> {
    let keyword = param.get(..3)?;
    if keyword.eq_ignore_ascii_case("ext") {
        param.get(3..)
    } else {
        None
    }
}

/// The ASCII digits of `s` with formatting dropped, or `None` if `s` has
/// anything else. Other Unicode digits are refused: relying parties expect
/// 0-9 only, and converting scripts would be guessing.
fn ascii_digits(s: &str) -> Option<String> {
    let mut digits = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !is_formatting(c) {
            return None;
        }
    }
    Some(digits)
}

/// The length of the calling code `digits` start with. Country codes are prefix-free, so the
/// first of the 1-, 2- and 3-digit prefixes found in the table is the only possible match.
fn assigned_country_code(digits: &str) -> Option<usize> {
    let mut code: u16 = 0;
    for (i, b) in digits.bytes().take(3).enumerate() {
        // No code starts with 0, and without this check "01" would read as 1.
        if !b.is_ascii_digit() || (i == 0 && b == b'0') {
            return None;
        }
        code = code * 10 + u16::from(b - b'0');
        if calling_codes::is_assigned(code) {
            return Some(i + 1);
        }
    }
    None
}

// Native only: proptest has no wasm32-unknown-unknown randomness source.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::calling_codes::ASSIGNED;
    use proptest::prelude::*;
    use PhoneRejection::*;

    const ALL: [PhoneRejection; 9] = [
        NotAString,
        Empty,
        Masked,
        NotInternational,
        BadCharacters,
        UnknownCountryCode,
        TooShort,
        TooLong,
        BadExtension,
    ];

    fn ok(raw: &str) -> String {
        match normalize(raw) {
            Ok(n) => n.into_string(),
            Err(e) => panic!("{raw:?} was rejected: {e:?}"),
        }
    }

    fn rejected(raw: &str) -> PhoneRejection {
        match normalize(raw) {
            Ok(n) => panic!("{raw:?} was accepted as {:?}", n.as_str()),
            Err(e) => e,
        }
    }

    fn count_ascii_digits(s: &str) -> usize {
        s.bytes().filter(u8::is_ascii_digit).count()
    }

    /// Hand-written `^\+[0-9]{7,15}(;ext=[0-9]{1,10})?$`.
    fn is_canonical(s: &str) -> bool {
        let Some(rest) = s.strip_prefix('+') else {
            return false;
        };
        let (e164, ext) = match rest.split_once(";ext=") {
            Some((e164, ext)) => (e164, Some(ext)),
            None => (rest, None),
        };
        let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        let e164_ok = (7..=15).contains(&e164.len()) && all_digits(e164);
        let ext_ok = ext.map_or(true, |x| (1..=10).contains(&x.len()) && all_digits(x));
        e164_ok && ext_ok
    }

    /// Independent of `has_assigned_country_code`: a linear scan by text.
    fn starts_with_assigned_code(canonical: &str) -> bool {
        let digits = canonical.trim_start_matches('+');
        ASSIGNED
            .iter()
            .any(|code| digits.starts_with(&code.to_string()))
    }

    #[test]
    fn national_formats_of_several_countries() {
        assert_eq!(ok("+1 (415) 555-0123"), "+14155550123");
        assert_eq!(ok("+44 20 7946 0958"), "+442079460958");
        assert_eq!(ok("+49 30 12345678"), "+493012345678");
        assert_eq!(ok("+49 151 23456789"), "+4915123456789");
        assert_eq!(ok("+91 98765 43210"), "+919876543210");
        assert_eq!(ok("+683 4002"), "+6834002");
        assert_eq!(ok("+690 3456"), "+6903456");
    }

    fn national(raw: &str, iso: &str) -> Result<String, PhoneRejection> {
        let country = countries::by_iso(iso);
        assert!(country.is_some(), "{iso} is not in the table");
        normalize_in(raw, country.as_ref()).map(PhoneNumber::into_string)
    }

    #[test]
    fn a_parenthesised_trunk_prefix_after_the_country_code_is_dropped() {
        // Written for national and international callers at once: the (0) is dialled only
        // from inside the country.
        assert_eq!(ok("+44 (0)20 7946 0958"), "+442079460958");
        assert_eq!(ok("+44(0)2079460958"), "+442079460958");
        assert_eq!(ok("+44 ( 0 ) 20 7946 0958"), "+442079460958");
        assert_eq!(ok("+49 (0)170 1234567"), "+491701234567");
        assert_eq!(ok("+33 (0)1 23 45 67 89"), "+33123456789");
        assert_eq!(ok("+7 (8) 495 123-45-67"), "+74951234567");
        // Italy has no trunk prefix: its leading 0 is part of the number.
        assert_eq!(ok("+39 06 6988 4321"), "+390669884321");
        assert_eq!(ok("+39 (0)6 6988 4321"), "+390669884321");
        // A parenthesised area code is not a trunk prefix.
        assert_eq!(ok("+1 (415) 555-0123"), "+14155550123");
        assert_eq!(ok("+44 (020) 7946 0958"), "+4402079460958");
        // Only right after the calling code.
        assert_eq!(
            ok("+44 20 (0)7946 0958"),
            "+442007946 0958".replace(' ', "")
        );
        assert!(normalize("+44 (0)20 7946 0958").is_ok_and(|n| !n.was_national()));
    }

    #[test]
    fn the_country_is_asked_for_only_when_a_number_has_no_plus() {
        let never = || -> Option<Country> { panic!("a number with + needs no country") };
        assert_eq!(
            normalize_lazily("+44 (0)20 7946 0958", never).map(PhoneNumber::into_string),
            Ok("+442079460958".to_owned())
        );
        assert_eq!(normalize_lazily("XXXX0958", never), Err(Masked));
        let mut asked = 0;
        let result = normalize_lazily("020 7946 0958", || {
            asked += 1;
            countries::by_iso("GB")
        });
        assert_eq!(
            result.map(PhoneNumber::into_string),
            Ok("+442079460958".to_owned())
        );
        assert_eq!(asked, 1);
    }

    #[test]
    fn no_country_has_a_trunk_prefix_longer_than_the_rule_reads() {
        assert!(countries::all().all(|c| c.national_prefix.len() <= MAX_TRUNK_PREFIX_DIGITS));
        // Hungary's two-digit trunk prefix, and area codes of two digits that are not one.
        assert_eq!(ok("+36 (06) 1 234 5678"), "+3612345678");
        assert_eq!(ok("+49 (30) 12345678"), "+493012345678");
        assert_eq!(ok("+44 () 20 7946 0958"), "+442079460958");
    }

    #[test]
    fn national_numbers_are_refused_without_a_country() {
        assert_eq!(rejected("020 7946 0958"), NotInternational);
        assert_eq!(rejected("0044 20 7946 0958"), NotInternational);
        assert_eq!(rejected("011 44 20 7946 0958"), NotInternational);
    }

    #[test]
    fn national_numbers_take_the_country_calling_code_without_the_trunk_prefix() {
        assert_eq!(national("020 7946 0958", "GB"), Ok("+442079460958".into()));
        assert_eq!(national("07700 900123", "gb"), Ok("+447700900123".into()));
        assert_eq!(national("030 12345678", "DE"), Ok("+493012345678".into()));
        assert_eq!(national("01 23 45 67 89", "FR"), Ok("+33123456789".into()));
        // NANP: the trunk prefix is 1, and it is optional.
        assert_eq!(national("(415) 555-0123", "US"), Ok("+14155550123".into()));
        assert_eq!(national("1 415 555 0123", "US"), Ok("+14155550123".into()));
        assert_eq!(national("416-555-0123", "CA"), Ok("+14165550123".into()));
        // Russia and Kazakhstan: trunk prefix 8.
        assert_eq!(
            national("8 (495) 123-45-67", "RU"),
            Ok("+74951234567".into())
        );
        assert_eq!(national("8 727 123 4567", "KZ"), Ok("+77271234567".into()));
        // No trunk prefix: the leading 0 stays.
        assert_eq!(national("06 6988 4321", "IT"), Ok("+390669884321".into()));
        assert_eq!(national("912 345 678", "ES"), Ok("+34912345678".into()));
        assert_eq!(national("03-1234-5678", "JP"), Ok("+81312345678".into()));
        assert!(
            normalize_in("020 7946 0958", countries::by_iso("GB").as_ref())
                .is_ok_and(|n| n.was_national())
        );
    }

    #[test]
    fn an_international_dialling_prefix_means_an_international_number_follows() {
        assert_eq!(
            national("00 44 20 7946 0958", "DE"),
            Ok("+442079460958".into())
        );
        assert_eq!(
            national("0044 (0)20 7946 0958", "FR"),
            Ok("+442079460958".into())
        );
        assert_eq!(
            national("011 44 20 7946 0958", "US"),
            Ok("+442079460958".into())
        );
        // Russia's 810 starts with its trunk prefix 8: the longer rule wins.
        assert_eq!(
            national("810 49 30 12345678", "RU"),
            Ok("+493012345678".into())
        );
        assert_eq!(
            national("0011 44 20 7946 0958", "AU"),
            Ok("+442079460958".into())
        );
        assert_eq!(
            national("010 1 415 555 0123", "JP"),
            Ok("+14155550123".into())
        );
        // What follows the prefix is checked like any international number.
        assert_eq!(national("00 999 1234 5678", "GB"), Err(UnknownCountryCode));
        assert_eq!(national("00 44", "GB"), Err(TooShort));
    }

    #[test]
    fn converted_numbers_keep_every_other_rule() {
        assert_eq!(national("020 7946 095X", "GB"), Err(Masked));
        assert_eq!(national("020 7946 0958 #5", "GB"), Err(BadCharacters));
        assert_eq!(
            national("020 7946 0958;ext=5", "GB"),
            Ok("+442079460958;ext=5".into())
        );
        assert_eq!(national("0", "GB"), Err(TooShort));
        assert_eq!(national("020 7946 0958 1234 5678", "GB"), Err(TooLong));
        assert_eq!(national("", "GB"), Err(Empty));
        // A number with + ignores the country.
        assert_eq!(national("+1 415 555 0123", "GB"), Ok("+14155550123".into()));
    }

    #[test]
    fn digit_count_boundaries() {
        // Niue: 3-digit code and 4-digit number is the shortest real number.
        assert_eq!(ok("+683 4002"), "+6834002");
        assert_eq!(rejected("+683 400"), TooShort);
        assert_eq!(rejected("+1 555 12"), TooShort);
        assert_eq!(rejected("+1"), TooShort);
        assert_eq!(ok("+881 6 1234 5678 901"), "+881612345678901");
        assert_eq!(rejected("+881 6 1234 5678 9012"), TooLong);
        assert_eq!(rejected("+44 20 7946 0958 0000"), TooLong);
    }

    #[test]
    fn extension_does_not_count_towards_digits() {
        assert_eq!(
            ok("+881 6 1234 5678 901;ext=1234567890"),
            "+881612345678901;ext=1234567890"
        );
        assert_eq!(rejected("+683 400;ext=1"), TooShort);
    }

    #[test]
    fn masks_from_the_management_api() {
        assert_eq!(rejected("XXXXXXXX8730"), Masked);
        assert_eq!(rejected("+1123XXXXX"), Masked);
        assert_eq!(rejected("+1 415 555 xxxx"), Masked);
        assert_eq!(rejected("+1 415 555 ****"), Masked);
        assert_eq!(rejected("  +44 20 7946 *958 "), Masked);
        assert_eq!(rejected("+14155550123;ext=X9"), Masked);
        assert_eq!(rejected("+14155550123;EXT=**"), Masked);
        // An `x` extension marker is indistinguishable from a mask.
        assert_eq!(rejected("+1 415 555 0123 x89"), Masked);
    }

    #[test]
    fn ext_keyword_is_not_a_mask() {
        assert_eq!(ok("+14155550123;EXT=12"), "+14155550123;ext=12");
        assert_eq!(ok("+14155550123;ext=12"), "+14155550123;ext=12");
    }

    #[test]
    fn formatting_is_dropped() {
        assert_eq!(ok("+1.415.555.0123"), "+14155550123");
        assert_eq!(ok("+1-415-555-0123"), "+14155550123");
        assert_eq!(ok("+1 (415) 555-0123"), "+14155550123");
        assert_eq!(ok("+ 1 415 555 0123"), "+14155550123");
        assert_eq!(ok("\t +1 415 555 0123 \r\n"), "+14155550123");
        assert_eq!(ok("+4.4-2(0)7 9 4 6.0-9-5-8"), "+442079460958");
    }

    #[test]
    fn unicode_whitespace_is_formatting() {
        assert_eq!(ok("+44\u{a0}20\u{a0}7946\u{a0}0958"), "+442079460958");
        assert_eq!(ok("\u{a0}+44 20 7946 0958\u{a0}"), "+442079460958");
        assert_eq!(ok("+44\u{202f}20\u{3000}7946\u{2009}0958"), "+442079460958");
    }

    #[test]
    fn extension_is_kept_and_normalized() {
        assert_eq!(ok("+1 415 555 0123;ext=89"), "+14155550123;ext=89");
        assert_eq!(ok("+1 415 555 0123 ;EXT=8-9"), "+14155550123;ext=89");
        assert_eq!(ok("+1-415-555-0123;Ext=(12) 34"), "+14155550123;ext=1234");
        assert_eq!(ok("+1 415 555 0123;eXt= 7 "), "+14155550123;ext=7");
        assert_eq!(
            ok("+1 415 555 0123;ext=1234567890"),
            "+14155550123;ext=1234567890"
        );
    }

    #[test]
    fn bad_extensions() {
        assert_eq!(rejected("+14155550123;ext=12345678901"), BadExtension);
        assert_eq!(rejected("+14155550123;ext="), BadExtension);
        assert_eq!(rejected("+14155550123;ext= - "), BadExtension);
        assert_eq!(rejected("+14155550123;ext=12a"), BadExtension);
        assert_eq!(rejected("+14155550123;ext=+1"), BadExtension);
        assert_eq!(rejected("+14155550123;ext=12;ext=3"), BadExtension);
        assert_eq!(rejected("+14155550123;ext"), BadExtension);
        assert_eq!(rejected("+14155550123;ext:12"), BadExtension);
        assert_eq!(rejected("+14155550123;"), BadExtension);
        assert_eq!(rejected("+14155550123; ext=1"), BadExtension);
        assert_eq!(rejected("+14155550123;isub=123"), BadExtension);
        assert_eq!(rejected("+14155550123;ext=١٢"), BadExtension);
    }

    #[test]
    fn not_international() {
        assert_eq!(rejected("0044 20 7946 0958"), NotInternational);
        assert_eq!(rejected("011 44 20 7946 0958"), NotInternational);
        assert_eq!(rejected("(415) 555-0123"), NotInternational);
        assert_eq!(rejected("14155550123"), NotInternational);
        assert_eq!(rejected("(+44) 20 7946 0958"), NotInternational);
        assert_eq!(rejected("phone"), NotInternational);
        assert_eq!(rejected(";ext=12"), NotInternational);
    }

    #[test]
    fn bad_characters() {
        assert_eq!(rejected("++14155550123"), BadCharacters);
        assert_eq!(rejected("+1 415 555 0123 +1"), BadCharacters);
        assert_eq!(rejected("+1 800 FLOWERS"), BadCharacters);
        assert_eq!(rejected("+1/415/555/0123"), BadCharacters);
        assert_eq!(rejected("+1_415_555_0123"), BadCharacters);
        assert_eq!(rejected("+1\u{200b}4155550123"), BadCharacters);
        // Arabic-Indic and fullwidth digits: only ASCII 0-9 count.
        assert_eq!(rejected("+٩٧١٥٠١٢٣٤٥٦٧"), BadCharacters);
        assert_eq!(rejected("+１４１５５５５０１２３"), BadCharacters);
    }

    #[test]
    fn unknown_country_codes() {
        assert_eq!(rejected("+0 415 555 0123"), UnknownCountryCode);
        // Without care, "01" would be read as country code 1.
        assert_eq!(rejected("+01 415 555 0123"), UnknownCountryCode);
        assert_eq!(rejected("+28 1234 5678"), UnknownCountryCode);
        assert_eq!(rejected("+210 1234 5678"), UnknownCountryCode);
        assert_eq!(rejected("+384 1234 5678"), UnknownCountryCode);
        assert_eq!(rejected("+422 123 456 789"), UnknownCountryCode);
        assert_eq!(rejected("+671 123 4567"), UnknownCountryCode);
        assert_eq!(rejected("+693 123 4567"), UnknownCountryCode);
        assert_eq!(rejected("+999 1234 5678"), UnknownCountryCode);
        assert_eq!(rejected("+2"), UnknownCountryCode);
        assert_eq!(rejected("+;ext=1"), UnknownCountryCode);
    }

    #[test]
    fn recently_assigned_and_non_geographic_codes() {
        assert_eq!(ok("+211 912 345 678"), "+211912345678");
        assert_eq!(ok("+383 44 123 456"), "+38344123456");
        assert_eq!(ok("+800 1234 5678"), "+80012345678");
        assert_eq!(ok("+882 16 1234 5678"), "+8821612345678");
        assert_eq!(ok("+979 1 234 5678"), "+97912345678");
        assert_eq!(ok("+970 59 123 4567"), "+970591234567");
    }

    #[test]
    fn empty_values() {
        assert_eq!(rejected(""), Empty);
        assert_eq!(rejected("   "), Empty);
        assert_eq!(rejected("\u{a0}\t\n"), Empty);
        assert_eq!(rejected("+"), Empty);
        assert_eq!(rejected(" ( - ) "), Empty);
        assert_eq!(rejected("+ ()"), Empty);
    }

    #[test]
    fn raw_length_limit_is_64_bytes() {
        let at_limit = format!("+14155550123{}", " ".repeat(52));
        assert_eq!(at_limit.len(), 64);
        assert_eq!(ok(&at_limit), "+14155550123");
        let over = format!("+14155550123{}", " ".repeat(53));
        assert_eq!(over.len(), 65);
        assert_eq!(rejected(&over), TooLong);
        // The limit comes before every other rule.
        let masked = format!("XXXXXXXX8730{}", " ".repeat(53));
        assert_eq!(rejected(&masked), TooLong);
        assert_eq!(rejected(&" ".repeat(65)), TooLong);
    }

    #[test]
    fn megabyte_inputs_are_too_long() {
        let digits = format!("+1{}", "5".repeat(1 << 20));
        let spaces = " ".repeat(1 << 20);
        let masked = "X".repeat(1 << 20);
        for _ in 0..1000 {
            assert_eq!(normalize(&digits), Err(TooLong));
            assert_eq!(normalize(&spaces), Err(TooLong));
            assert_eq!(normalize(&masked), Err(TooLong));
        }
    }

    #[test]
    fn megabyte_inputs_are_rejected_quickly() {
        let spaces = format!("{}+14155550123", " ".repeat(1 << 20));
        let start = std::time::Instant::now();
        for _ in 0..1000 {
            assert_eq!(normalize(&spaces), Err(TooLong));
        }
        // A single scan of the input per call would take far longer than this.
        assert!(start.elapsed() < std::time::Duration::from_millis(100));
    }

    #[test]
    fn output_normalizes_to_itself() {
        for raw in [
            "+1 (415) 555-0123",
            "+44\u{a0}20 7946 0958",
            "+683 4002",
            "+881 6 1234 5678 901;EXT=1-234",
        ] {
            let once = ok(raw);
            assert_eq!(ok(&once), once);
        }
    }

    #[test]
    fn accessors() {
        let n = normalize("+1 415 555 0123;ext=89").expect("valid number");
        assert_eq!(n.as_str(), "+14155550123;ext=89");
        assert_eq!(n.clone().into_string(), "+14155550123;ext=89");
    }

    #[test]
    fn redacted_shows_only_last_four_digits() {
        let n = normalize("+1 415 555 0123;ext=89").expect("valid number");
        assert_eq!(n.redacted(), "…0123");
        let n = normalize("+683 4002").expect("valid number");
        assert_eq!(n.redacted(), "…4002");
        let n = normalize("+881 6 1234 5678 901;ext=1234567890").expect("valid number");
        assert_eq!(n.redacted(), "…8901");
    }

    #[test]
    fn redact_raw_keeps_at_most_four_digits() {
        assert_eq!(redact_raw("XXXXXXXX8730"), "…8730");
        assert_eq!(redact_raw("+1123XXXXX"), "…1123");
        assert_eq!(redact_raw("+1 (415) 555-01 23"), "…0123");
        assert_eq!(redact_raw("0044 20 7946 0958"), "…0958");
        assert_eq!(redact_raw("1234"), "…1234");
        assert_eq!(redact_raw("123"), "");
        assert_eq!(redact_raw("12a3"), "");
        assert_eq!(redact_raw(""), "");
        assert_eq!(redact_raw("phone"), "");
        assert_eq!(redact_raw("٩٧١٥٠١٢"), "");
        assert_eq!(redact_raw(&"9".repeat(1 << 20)), "…9999");
        assert_eq!(
            redact_raw(&format!("12345{}", "x".repeat(1 << 20))),
            "…2345"
        );
    }

    #[test]
    fn reason_codes_are_stable() {
        let codes: Vec<&str> = ALL.iter().map(|r| r.code()).collect();
        assert_eq!(
            codes,
            [
                "phone_not_a_string",
                "phone_empty",
                "phone_masked",
                "phone_not_international",
                "phone_bad_characters",
                "phone_unknown_country_code",
                "phone_too_short",
                "phone_too_long",
                "phone_bad_extension",
            ]
        );
    }

    #[test]
    fn explanations_are_single_sentences() {
        for r in ALL {
            let text = r.explain();
            assert!(text.ends_with('.'), "{r:?}");
            assert!(text.len() < 220, "{r:?}");
        }
        assert!(Masked
            .explain()
            .contains("disable_management_api_sms_obfuscation"));
        assert!(NotInternational.explain().contains("00"));
    }

    #[test]
    fn table_is_sorted_unique_and_in_range() {
        assert!(ASSIGNED.windows(2).all(|w| w[0] < w[1]));
        assert!(ASSIGNED.iter().all(|&c| (1..=999).contains(&c)));
    }

    #[test]
    fn table_is_prefix_free() {
        for a in ASSIGNED {
            for b in ASSIGNED {
                let (a, b) = (a.to_string(), b.to_string());
                assert!(a == b || !b.starts_with(&a), "{a} is a prefix of {b}");
            }
        }
    }

    #[test]
    fn table_spot_checks() {
        for code in [
            1, 7, 20, 27, 44, 49, 91, 211, 212, 383, 683, 690, 800, 808, 870, 878, 881, 882, 883,
            886, 888, 970, 979, 991,
        ] {
            assert!(
                calling_codes::is_assigned(code),
                "{code} should be assigned"
            );
        }
        for code in [
            0, 210, 214, 259, 280, 289, 292, 384, 422, 671, 684, 693, 801, 851, 871, 879, 969, 978,
            990, 997, 999,
        ] {
            assert!(!calling_codes::is_assigned(code), "{code} should be spare");
        }
    }

    /// Pieces of things people type into phone fields, masks included.
    const PHONE_PIECES: &[&str] = &[
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "1", "4", "9", "+", "-", ".", "(",
        ")", " ", "\u{a0}", ";", "ext=", "EXT=", ";ext=", "X", "x", "*",
    ];

    fn phone_like() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            prop::collection::vec(prop::sample::select(PHONE_PIECES), 0..30),
        )
            .prop_map(|(plus, pieces)| {
                let body = pieces.concat();
                if plus {
                    format!("+{body}")
                } else {
                    body
                }
            })
    }

    const SEPARATORS: &[&str] = &["", "", "", " ", "-", ".", "(", ")", "\u{a0}"];

    fn digits_with_separators(max: usize) -> impl Strategy<Value = Vec<(u8, &'static str)>> {
        prop::collection::vec((0u8..10, prop::sample::select(SEPARATORS)), 0..=max)
    }

    fn render(parts: &[(u8, &str)]) -> (String, String) {
        let mut text = String::new();
        let mut digits = String::new();
        for (d, sep) in parts {
            let c = char::from(b'0' + d);
            text.push(c);
            text.push_str(sep);
            digits.push(c);
        }
        (text, digits)
    }

    /// The structured property below trusts `render`; were it to drop digits or separators,
    /// every case would fall to `TooShort` and the property would hold without testing much.
    #[test]
    fn render_writes_every_digit_and_separator_in_order() {
        assert_eq!(
            render(&[(4, "-"), (1, ""), (5, " "), (0, "\u{a0}"), (9, ")")]),
            ("4-15 0\u{a0}9)".to_owned(), "41509".to_owned())
        );
        assert_eq!(render(&[]), (String::new(), String::new()));
    }

    fn check_output_properties(raw: &str) -> Result<(), TestCaseError> {
        if let Ok(n) = normalize(raw) {
            let out = n.as_str();
            prop_assert!(is_canonical(out), "{out:?} from {raw:?}");
            prop_assert!(starts_with_assigned_code(out), "{out:?}");
            prop_assert_eq!(normalize(out), Ok(n.clone()));
            // Normalization only drops characters; it never invents digits.
            let kept: String = raw.chars().filter(char::is_ascii_digit).collect();
            let emitted: String = out.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(kept, emitted);
            let redacted = n.redacted();
            prop_assert!(count_ascii_digits(&redacted) <= 4);
            prop_assert!(redacted.starts_with('…'));
        }
        prop_assert!(count_ascii_digits(&redact_raw(raw)) <= 4);
        Ok(())
    }

    #[test]
    fn an_e164_number_is_its_own_normal_form_and_anything_near_takes_the_general_rules() {
        for raw in [
            "+14155550123",
            "+447700900123",
            "+4915112345678",
            "+1234567",
        ] {
            assert_eq!(
                normalize(raw).map(|n| n.as_str().to_owned()),
                Ok(raw.to_owned())
            );
            assert_eq!(
                normalize_lazily(raw, || None),
                normalize_generally(raw, || None)
            );
        }
        let refused = [
            ("+123456", TooShort),
            ("+1234567890123456", TooLong),
            ("+0123456789", UnknownCountryCode),
            ("+2801234567", UnknownCountryCode),
            ("+1415555012x", Masked),
        ];
        for (raw, rejection) in refused {
            assert_eq!(normalize(raw), Err(rejection), "{raw}");
        }
        // Not E.164 as stored, so normalised by the general rules.
        assert_eq!(
            normalize(" +1 415 555 0123").map(|n| n.as_str().to_owned()),
            Ok("+14155550123".to_owned())
        );
    }

    proptest! {
        #[test]
        fn the_e164_shortcut_answers_as_the_general_rules(
            digits in "[0-9]{0,17}",
            before in prop::sample::select(&["+", "", " +", "++", "+(", "00"][..]),
            after in prop::sample::select(&["", " ", ";ext=12", "x", ")"][..]),
        ) {
            let raw = format!("{before}{digits}{after}");
            let gb = countries::by_iso("GB");
            prop_assert_eq!(normalize_lazily(&raw, || None), normalize_generally(&raw, || None), "{:?}", raw);
            prop_assert_eq!(normalize_lazily(&raw, || gb), normalize_generally(&raw, || gb), "{:?}", raw);
        }

        #[test]
        fn any_string_is_handled(raw in any::<String>()) {
            check_output_properties(&raw)?;
        }

        #[test]
        fn phone_like_strings_are_handled(raw in phone_like()) {
            check_output_properties(&raw)?;
        }

        #[test]
        fn structured_numbers_follow_the_rules(
            code in prop::sample::select(ASSIGNED),
            national in digits_with_separators(16),
            ext in prop::option::of((
                prop::sample::select(&["ext=", "EXT=", "Ext="][..]),
                digits_with_separators(12),
            )),
        ) {
            let (national_text, national_digits) = render(&national);
            // Not vacuous: the rendered number holds exactly the generated digits.
            prop_assert_eq!(national_digits.len(), national.len());
            prop_assert_eq!(
                national_text.chars().filter(char::is_ascii_digit).collect::<String>(),
                national_digits.clone()
            );
            let mut raw = format!("+{code} {national_text}");
            let mut expected_ext = None;
            if let Some((keyword, parts)) = &ext {
                let (ext_text, ext_digits) = render(parts);
                prop_assert_eq!(ext_digits.len(), parts.len());
                raw.push(';');
                raw.push_str(keyword);
                raw.push_str(&ext_text);
                expected_ext = Some(ext_digits);
            }
            let digits = format!("{code}{national_digits}");
            let expected = if raw.len() > 64 {
                Err(TooLong)
            } else if digits.len() < 7 {
                Err(TooShort)
            } else if digits.len() > 15 {
                Err(TooLong)
            } else {
                match expected_ext {
                    None => Ok(format!("+{digits}")),
                    Some(e) if (1..=10).contains(&e.len()) => Ok(format!("+{digits};ext={e}")),
                    Some(_) => Err(BadExtension),
                }
            };
            prop_assert_eq!(normalize(&raw).map(PhoneNumber::into_string), expected);
            check_output_properties(&raw)?;
        }
    }
}
