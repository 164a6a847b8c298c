//! The dialling facts of every country and territory: its ISO 3166-1 code, its ITU calling
//! code, its national (trunk) prefix and the international prefixes dialled from it.
//!
//! Generated from libphonenumber's metadata as published in PyPI's `phonenumbers` 9.0.43
//! (facts only; none of libphonenumber's code) by `tests/country-table/generate.py`. Do not
//! edit by hand; regenerate with:
//!
//! ```text
//! python3 -m venv /tmp/pn
//! /tmp/pn/bin/pip install phonenumbers==9.0.43
//! /tmp/pn/bin/python tests/country-table/generate.py > src/countries.rs
//! ```
//!
//! Every region libphonenumber has metadata for is listed; its non-geographic entities
//! (region "001": +800, +808, +870, +878, +881, +882, +883, +888, +979) are not.
//!
//! libphonenumber gives the international prefix as a pattern. It becomes literal digit
//! strings, longest first, by the first of these rules that applies:
//!
//! 1. the pattern matches at most 8 strings: all of them (`0(?:0|11)` gives
//!    `["011", "00"]`);
//! 2. libphonenumber names a preferred international prefix: that one alone, without the
//!    `~` that marks a second dial tone (`8~10` gives `"810"`);
//! 3. one of the strings begins every other (the rest are it followed by a carrier code):
//!    that one alone;
//! 4. otherwise every string the pattern matches: each is a prefix some carrier's
//!    subscribers dial, and no shorter string is dialled on its own.
//!
//! Chosen by rules 2 to 4 in this version:
//!
//! - AU `001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011`
//!   (16 strings, rule 2): 0011.
//! - AX `00|99(?:[01469]|5(?:[14]1|3[23]|5[59]|77|88|9[09]))`
//!   (16 strings, rule 2): 00.
//! - BO `00(?:1\d)?`
//!   (11 strings, rule 3): 00.
//! - BR `00(?:1[245]|2[1-35]|31|4[13]|[56]5|99)`
//!   (13 strings, rule 4): all of them.
//! - CC `001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011`
//!   (16 strings, rule 2): 0011.
//! - CL `(?:0|1(?:1[0-69]|2[02-5]|5[13-58]|69|7[0167]|8[018]))0`
//!   (27 strings, rule 4): all of them.
//! - CN `00|1(?:[12]\d|79)\d\d00`
//!   (2101 strings, rule 2): 00.
//! - CX `001[14-689]|14(?:1[14]|34|4[17]|[56]6|7[47]|88)0011`
//!   (16 strings, rule 2): 0011.
//! - FI `00|99(?:[01469]|5(?:[14]1|3[23]|5[59]|77|88|9[09]))`
//!   (16 strings, rule 2): 00.
//! - HK `00(?:30|5[09]|[126-9]?)`
//!   (10 strings, rule 2): 00.
//! - IL `0(?:0|1(?:05|[2-9]))`
//!   (10 strings, rule 4): all of them.
//! - KR `00(?:[125689]|3(?:[46]5|91)|7(?:00|27|3|55|6[126]))`
//!   (16 strings, rule 4): all of them.
//! - SG `0[0-3]\d`
//!   (40 strings, rule 4): all of them.
//! - TH `00[1-9]`
//!   (9 strings, rule 4): all of them.
//! - UY `0(?:0|1[3-9]\d)`
//!   (71 strings, rule 2): 00.

/// The dialling facts of one country or territory, read from its record in `TABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case: "GB".
    pub iso: &'static str,
    /// ITU calling code: 44.
    pub calling_code: u16,
    /// The national (trunk) prefix dialled before a national number: "0" (GB, DE, FR), "1" (US,
    /// CA), "8" (RU, KZ), "" when the country has none (IT, ES).
    pub national_prefix: &'static str,
    /// The record's last field as it stands in `TABLE`: the international prefixes separated by
    /// commas, longest first ("011" for US, "0105,012,013,..." for IL). Read it through
    /// [`Country::international_prefixes`].
    international_prefixes: &'static str,
}

#[cfg_attr(not(test), allow(dead_code))]
impl Country {
    /// The international dialling prefixes as literal digit strings, longest first: "011" for
    /// US, "00" for GB, "810" for RU. There is at least one, and none is empty.
    pub fn international_prefixes(&self) -> impl Iterator<Item = &'static str> + 'static {
        pieces(self.international_prefixes, b',')
    }
}

/// The pieces of a string between the separator bytes, like `str::split` with an ASCII
/// separator. Written out because `str::split` brings in a UTF-8 aware searcher, about 1 KB of
/// wasm; this is a fifth of that.
#[derive(Debug, Clone)]
struct Pieces {
    rest: Option<&'static str>,
    separator: u8,
}

#[cfg_attr(not(test), allow(dead_code))]
fn pieces(text: &'static str, separator: u8) -> Pieces {
    Pieces {
        rest: Some(text),
        separator,
    }
}

impl Iterator for Pieces {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        let rest = self.rest?;
        match rest.bytes().position(|b| b == self.separator) {
            Some(at) => {
                self.rest = rest.get(at + 1..);
                rest.get(..at)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// Every region libphonenumber has metadata for, one record a line, sorted by ISO code. A record
/// is the ISO code (two upper-case letters), the calling code, `:`, the national prefix or `-`
/// when there is none, `:`, and the international prefixes separated by `,`, longest first:
///
/// ```text
/// GB44:0:00
/// IT39:-:00
/// US1:1:011
/// ```
///
/// Every record ends with `\n`. One string rather than an array of `Country` structs: in wasm32
/// each `&str` of a struct is a pointer and a length, so text records are a fraction of the size.
/// Records are parsed when looked up ([`by_iso`], [`all`]); nothing is allocated. A `static`, so
/// that the strings of every `Country` are slices of this one string.
#[rustfmt::skip]
static TABLE: &str = "\
    AC247:-:00\n\
    AD376:-:00\n\
    AE971:0:00\n\
    AF93:0:00\n\
    AG1:1:011\n\
    AI1:1:011\n\
    AL355:0:00\n\
    AM374:0:00\n\
    AO244:-:00\n\
    AR54:0:00\n\
    AS1:1:011\n\
    AT43:0:00\n\
    AU61:0:0011\n\
    AW297:-:00\n\
    AX358:0:00\n\
    AZ994:0:00\n\
    BA387:0:00\n\
    BB1:1:011\n\
    BD880:0:00\n\
    BE32:0:00\n\
    BF226:-:00\n\
    BG359:0:00\n\
    BH973:-:00\n\
    BI257:-:00\n\
    BJ229:-:00\n\
    BL590:0:00\n\
    BM1:1:011\n\
    BN673:-:00\n\
    BO591:0:00\n\
    BQ599:-:00\n\
    BR55:0:0012,0014,0015,0021,0022,0023,0025,0031,0041,0043,0055,0065,0099\n\
    BS1:1:011\n\
    BT975:-:00\n\
    BW267:-:00\n\
    BY375:8:810\n\
    BZ501:-:00\n\
    CA1:1:011\n\
    CC61:0:0011\n\
    CD243:0:00\n\
    CF236:-:00\n\
    CG242:-:00\n\
    CH41:0:00\n\
    CI225:-:00\n\
    CK682:-:00\n\
    CL56:-:1100,1110,1120,1130,1140,1150,1160,1190,1200,1220,1230,1240,1250,1510,1530,1540,1550,1580,1690,1700,1710,1760,1770,1800,1810,1880,00\n\
    CM237:-:00\n\
    CN86:0:00\n\
    CO57:0:00414,00444,00456,005,007,009\n\
    CR506:-:00\n\
    CU53:0:119\n\
    CV238:-:0\n\
    CW599:-:00\n\
    CX61:0:0011\n\
    CY357:-:00\n\
    CZ420:-:00\n\
    DE49:0:00\n\
    DJ253:-:00\n\
    DK45:-:00\n\
    DM1:1:011\n\
    DO1:1:011\n\
    DZ213:0:00\n\
    EC593:0:00\n\
    EE372:-:00\n\
    EG20:0:00\n\
    EH212:0:00\n\
    ER291:0:00\n\
    ES34:-:00\n\
    ET251:0:00\n\
    FI358:0:00\n\
    FJ679:-:052,00\n\
    FK500:-:00\n\
    FM691:-:00\n\
    FO298:-:00\n\
    FR33:0:00\n\
    GA241:-:00\n\
    GB44:0:00\n\
    GD1:1:011\n\
    GE995:0:00\n\
    GF594:0:00\n\
    GG44:0:00\n\
    GH233:0:00\n\
    GI350:-:00\n\
    GL299:-:00\n\
    GM220:-:00\n\
    GN224:-:00\n\
    GP590:0:00\n\
    GQ240:-:00\n\
    GR30:-:00\n\
    GT502:-:00\n\
    GU1:1:011\n\
    GW245:-:00\n\
    GY592:-:001\n\
    HK852:-:00\n\
    HN504:-:00\n\
    HR385:0:00\n\
    HT509:-:00\n\
    HU36:06:00\n\
    ID62:0:008,009\n\
    IE353:0:00\n\
    IL972:0:0105,012,013,014,015,016,017,018,019,00\n\
    IM44:0:00\n\
    IN91:0:00\n\
    IO246:-:00\n\
    IQ964:0:00\n\
    IR98:0:00\n\
    IS354:-:1001,1010,1020,1100,00\n\
    IT39:-:00\n\
    JE44:0:00\n\
    JM1:1:011\n\
    JO962:0:00\n\
    JP81:0:010\n\
    KE254:0:000\n\
    KG996:0:00\n\
    KH855:0:001,004,005,006,007,008,009\n\
    KI686:0:00\n\
    KM269:-:00\n\
    KN1:1:011\n\
    KP850:0:00,99\n\
    KR82:0:00345,00365,00391,00700,00727,00755,00761,00762,00766,0073,001,002,005,006,008,009\n\
    KW965:-:00\n\
    KY1:1:011\n\
    KZ7:8:810\n\
    LA856:0:00\n\
    LB961:0:00\n\
    LC1:1:011\n\
    LI423:0:00\n\
    LK94:0:00\n\
    LR231:0:00\n\
    LS266:-:00\n\
    LT370:0:00\n\
    LU352:-:00\n\
    LV371:-:00\n\
    LY218:0:00\n\
    MA212:0:00\n\
    MC377:0:00\n\
    MD373:0:00\n\
    ME382:0:00\n\
    MF590:0:00\n\
    MG261:0:00\n\
    MH692:1:011\n\
    MK389:0:00\n\
    ML223:-:00\n\
    MM95:0:00\n\
    MN976:0:001\n\
    MO853:-:00\n\
    MP1:1:011\n\
    MQ596:0:00\n\
    MR222:-:00\n\
    MS1:1:011\n\
    MT356:-:00\n\
    MU230:-:020,030,033,040,050,060,070,00\n\
    MV960:-:019,00\n\
    MW265:0:00\n\
    MX52:-:00,09\n\
    MY60:0:00\n\
    MZ258:-:00\n\
    NA264:0:00\n\
    NC687:-:00\n\
    NE227:-:00\n\
    NF672:-:00\n\
    NG234:0:009\n\
    NI505:-:00\n\
    NL31:0:00\n\
    NO47:-:00\n\
    NP977:0:00\n\
    NR674:-:00\n\
    NU683:-:00\n\
    NZ64:0:0161,00\n\
    OM968:-:00\n\
    PA507:-:00\n\
    PE51:0:191100,191200,191400,197700,199000,00\n\
    PF689:-:00\n\
    PG675:-:1401,1402,1403,00\n\
    PH63:0:00\n\
    PK92:0:00\n\
    PL48:-:00\n\
    PM508:0:00\n\
    PR1:1:011\n\
    PS970:0:00\n\
    PT351:-:00\n\
    PW680:-:011,012\n\
    PY595:0:00\n\
    QA974:-:00\n\
    RE262:0:00\n\
    RO40:0:00\n\
    RS381:0:00\n\
    RU7:8:810\n\
    RW250:0:00\n\
    SA966:0:00\n\
    SB677:-:00,01\n\
    SC248:-:010,00,01,02\n\
    SD249:0:00\n\
    SE46:0:00\n\
    SG65:-:000,001,002,003,004,005,006,007,008,009,010,011,012,013,014,015,016,017,018,019,020,021,022,023,024,025,026,027,028,029,030,031,032,033,034,035,036,037,038,039\n\
    SH290:-:00\n\
    SI386:0:1022,1066,1088,1099,00\n\
    SJ47:-:00\n\
    SK421:0:00\n\
    SL232:0:00\n\
    SM378:-:00\n\
    SN221:-:00\n\
    SO252:0:00\n\
    SR597:-:00\n\
    SS211:0:00\n\
    ST239:-:00\n\
    SV503:-:00\n\
    SX1:1:011\n\
    SY963:0:00\n\
    SZ268:-:00\n\
    TA290:-:00\n\
    TC1:1:011\n\
    TD235:-:00,16\n\
    TG228:-:00\n\
    TH66:0:001,002,003,004,005,006,007,008,009\n\
    TJ992:-:810\n\
    TK690:-:00\n\
    TL670:-:00\n\
    TM993:8:810\n\
    TN216:-:00\n\
    TO676:-:00\n\
    TR90:0:00\n\
    TT1:1:011\n\
    TV688:-:00\n\
    TW886:0:002,005,006,007,009,019\n\
    TZ255:0:000,005,006\n\
    UA380:0:00\n\
    UG256:0:000,005,007\n\
    US1:1:011\n\
    UY598:0:00\n\
    UZ998:-:00\n\
    VA39:-:00\n\
    VC1:1:011\n\
    VE58:0:00\n\
    VG1:1:011\n\
    VI1:1:011\n\
    VN84:0:00\n\
    VU678:-:00\n\
    WF681:-:00\n\
    WS685:-:0\n\
    XK383:0:00\n\
    YE967:0:00\n\
    YT262:0:00\n\
    ZA27:0:00\n\
    ZM260:0:00\n\
    ZW263:0:00\n\
";

/// The main country of each calling code that several regions share (libphonenumber's first
/// region for the code), sorted by code. A code that one region has is that region's.
#[rustfmt::skip]
#[cfg_attr(not(test), allow(dead_code))]
const SHARED_CODE_MAIN: &[(u16, [u8; 2])] = &[
    (1, *b"US"), (7, *b"RU"), (39, *b"IT"), (44, *b"GB"), (47, *b"NO"), (61, *b"AU"),
    (212, *b"MA"), (262, *b"RE"), (290, *b"SH"), (358, *b"FI"), (590, *b"GP"), (599, *b"CW"),
];

/// The records of `TABLE`, without their `\n`; the empty piece after the last `\n` is none.
#[cfg_attr(not(test), allow(dead_code))]
fn records() -> impl Iterator<Item = &'static str> {
    pieces(TABLE, b'\n').filter(|record| !record.is_empty())
}

/// Non-empty and ASCII digits only.
#[cfg_attr(not(test), allow(dead_code))]
fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A calling code: one to three digits, the first not 0.
#[cfg_attr(not(test), allow(dead_code))]
fn calling_code(digits: &str) -> Option<u16> {
    if !is_digits(digits) || digits.len() > 3 || digits.starts_with('0') {
        return None;
    }
    Some(
        digits
            .bytes()
            .fold(0, |code, digit| code * 10 + u16::from(digit - b'0')),
    )
}

/// One record of `TABLE` (see there), or `None` when it is malformed, which the generated table
/// never is (a test parses every record).
#[cfg_attr(not(test), allow(dead_code))]
fn parse(record: &'static str) -> Option<Country> {
    let iso = record.get(..2)?;
    if !iso.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let mut fields = pieces(record.get(2..)?, b':');
    let (code, national, international) = (fields.next()?, fields.next()?, fields.next()?);
    if fields.next().is_some() || !pieces(international, b',').all(is_digits) {
        return None;
    }
    let national_prefix = match national {
        "-" => "",
        digits if is_digits(digits) => digits,
        _ => return None,
    };
    Some(Country {
        iso,
        calling_code: calling_code(code)?,
        national_prefix,
        international_prefixes: international,
    })
}

/// The country whose record starts with `key`, an upper-case ISO code. Only the line starts are
/// compared; the one record found is parsed.
#[cfg_attr(not(test), allow(dead_code))]
fn by_key(key: &[u8]) -> Option<Country> {
    records()
        .find(|record| record.as_bytes().get(..2) == Some(key))
        .and_then(parse)
}

/// Case-insensitive lookup of exactly two ASCII letters ("gb" finds GB); anything else (three
/// letters, "", non-ASCII, an unknown code like "ZZ") is `None`.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn by_iso(code: &str) -> Option<Country> {
    let &[a, b] = code.as_bytes() else {
        return None;
    };
    if !a.is_ascii_alphabetic() || !b.is_ascii_alphabetic() {
        return None;
    }
    by_key(&[a.to_ascii_uppercase(), b.to_ascii_uppercase()])
}

/// Every country, sorted by ISO code.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn all() -> impl Iterator<Item = Country> {
    records().filter_map(parse)
}

/// The national prefix used with a calling code, taken from the code's main country
/// (libphonenumber's first region for that code): `Some("0")` for 44, `Some("1")` for 1,
/// `Some("8")` for 7, `None` for 39 (Italy has none) and for a code no country has.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) fn national_prefix_for_calling_code(code: u16) -> Option<&'static str> {
    let main = match SHARED_CODE_MAIN.binary_search_by_key(&code, |&(shared, _)| shared) {
        Ok(i) => SHARED_CODE_MAIN.get(i).and_then(|(_, iso)| by_key(iso)),
        Err(_) => all().find(|country| country.calling_code == code),
    }?;
    Some(main.national_prefix).filter(|prefix| !prefix.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calling_codes;

    fn country(iso: &str) -> Country {
        match by_iso(iso) {
            Some(country) => country,
            None => panic!("{iso} is missing"),
        }
    }

    fn countries() -> Vec<Country> {
        all().collect()
    }

    fn prefixes(country: &Country) -> Vec<&'static str> {
        country.international_prefixes().collect()
    }

    #[test]
    fn every_record_parses() {
        let malformed: Vec<_> = records().filter(|r| parse(r).is_none()).collect();
        assert!(malformed.is_empty(), "{malformed:?}");
        assert_eq!(all().count(), TABLE.lines().count());
        assert!(TABLE.ends_with('\n'));
        assert!(!TABLE.contains("\n\n"));
    }

    #[test]
    fn all_yields_245_countries() {
        // phonenumbers 9.0.43 has metadata for 245 regions; a new version may change this.
        assert_eq!(all().count(), 245);
    }

    // Nothing is lost in parsing: each country written back is its record, and its strings are
    // slices of the table.
    #[test]
    fn countries_are_their_records() {
        let table = TABLE.as_bytes().as_ptr_range();
        for (record, country) in records().zip(all()) {
            let national = match country.national_prefix {
                "" => "-",
                national => national,
            };
            let written = format!(
                "{}{}:{national}:{}",
                country.iso,
                country.calling_code,
                prefixes(&country).join(",")
            );
            assert_eq!(written, record);
            assert!(table.contains(&country.iso.as_ptr()), "{record}");
            assert!(
                table.contains(&country.international_prefixes.as_ptr()),
                "{record}"
            );
        }
    }

    #[test]
    fn pieces_split_like_str_split() {
        for text in [
            "", ",", ",,", "00", "00,", ",00", "0011,00", "a,,b", "Ä,ö,", "€,,x",
        ] {
            let pieces: Vec<_> = pieces(text, b',').collect();
            let split: Vec<_> = text.split(',').collect();
            assert_eq!(pieces, split, "{text:?}");
        }
    }

    #[test]
    fn malformed_records_are_none() {
        for record in [
            "",
            "G",
            "GB",
            "GB44",
            "GB44:0",
            "GB44:0:",
            "GB44:0:00:",
            "GB44:0:00:00",
            "GB44:0:00,",
            "GB44:0:,00",
            "GB44:0:00,,0",
            "GB44:0:0a",
            "GB44::00",
            "GB44:+0:00",
            "GB44:0-:00",
            "GB:0:00",
            "GB044:0:00",
            "GB4444:0:00",
            "GB+44:0:00",
            "GBx:0:00",
            "gb44:0:00",
            "G444:0:00",
            "ÄB44:0:00",
            "GÄ44:0:00",
            "\u{e9}44:0:00",
            "GB44:0:00\n",
            " GB44:0:00",
        ] {
            assert_eq!(parse(record), None, "{record:?}");
        }
        assert_eq!(
            parse("GB44:0:00"),
            Some(Country {
                iso: "GB",
                calling_code: 44,
                national_prefix: "0",
                international_prefixes: "00",
            })
        );
        assert_eq!(parse("IT39:-:00").map(|c| c.national_prefix), Some(""));
        assert_eq!(parse("AB999:0:00").map(|c| c.calling_code), Some(999));
    }

    #[test]
    fn sorted_by_iso_and_unique() {
        for pair in countries().windows(2) {
            assert!(
                pair[0].iso < pair[1].iso,
                "{} before {}",
                pair[0].iso,
                pair[1].iso
            );
        }
    }

    #[test]
    fn iso_codes_are_two_upper_case_letters() {
        for country in all() {
            let iso = country.iso.as_bytes();
            assert_eq!(iso.len(), 2, "{:?}", country.iso);
            assert!(iso.iter().all(u8::is_ascii_uppercase), "{:?}", country.iso);
        }
    }

    #[test]
    fn covers_the_world() {
        // libphonenumber has had metadata for about 245 regions for years.
        let count = all().count();
        assert!((240..=260).contains(&count), "{count}");
    }

    #[test]
    fn every_calling_code_is_assigned() {
        let unassigned: Vec<_> = all()
            .filter(|country| !calling_codes::is_assigned(country.calling_code))
            .map(|country| (country.iso, country.calling_code))
            .collect();
        assert!(
            unassigned.is_empty(),
            "not in calling_codes::ASSIGNED: {unassigned:?}"
        );
    }

    #[test]
    fn international_prefixes_are_digits_longest_first() {
        for country in all() {
            let prefixes = prefixes(&country);
            assert!(!prefixes.is_empty(), "{}", country.iso);
            for prefix in &prefixes {
                assert!(is_digits(prefix), "{}: {prefix:?}", country.iso);
            }
            for pair in prefixes.windows(2) {
                assert!(
                    pair[0].len() >= pair[1].len(),
                    "{}: {prefixes:?}",
                    country.iso
                );
                assert_ne!(pair[0], pair[1], "{}: {prefixes:?}", country.iso);
            }
        }
    }

    #[test]
    fn national_prefixes_are_digits() {
        for country in all() {
            let national = country.national_prefix;
            assert!(
                national.is_empty() || is_digits(national),
                "{}",
                country.iso
            );
        }
    }

    // Written from ITU and national numbering plans, not read back from the table.
    #[test]
    fn spot_checks() {
        let expect = |iso: &str, code: u16, national: &str, international: Option<&[&str]>| {
            let country = country(iso);
            assert_eq!(country.iso, iso);
            assert_eq!(country.calling_code, code, "{iso}");
            assert_eq!(country.national_prefix, national, "{iso}");
            if let Some(international) = international {
                assert_eq!(prefixes(&country), international, "{iso}");
            }
        };
        expect("GB", 44, "0", Some(&["00"]));
        expect("US", 1, "1", Some(&["011"]));
        expect("CA", 1, "1", Some(&["011"]));
        expect("DE", 49, "0", Some(&["00"]));
        expect("FR", 33, "0", Some(&["00"]));
        expect("IT", 39, "", Some(&["00"]));
        expect("ES", 34, "", Some(&["00"]));
        expect("RU", 7, "8", Some(&["810"]));
        expect("KZ", 7, "8", Some(&["810"]));
        expect("JP", 81, "0", Some(&["010"]));
        expect("AU", 61, "0", Some(&["0011"]));
        expect("HU", 36, "06", Some(&["00"]));
        expect("NZ", 64, "0", None);
        assert!(prefixes(&country("NZ")).contains(&"00"));
    }

    #[test]
    fn by_iso_ignores_case() {
        assert_eq!(by_iso("gb").map(|c| c.iso), Some("GB"));
        assert_eq!(by_iso("Gb").map(|c| c.iso), Some("GB"));
        assert_eq!(by_iso("gB").map(|c| c.iso), Some("GB"));
        assert_eq!(by_iso("us").map(|c| c.calling_code), Some(1));
        for country in all() {
            assert_eq!(by_iso(country.iso), Some(country));
            assert_eq!(by_iso(&country.iso.to_ascii_lowercase()), Some(country));
        }
    }

    #[test]
    fn by_iso_rejects_anything_but_a_known_two_letter_code() {
        for code in [
            "GBR",
            "",
            "G",
            "ZZ",
            "ÄB",
            "Ä",
            "G1",
            "1G",
            "G ",
            " G",
            "gb\0",
            "\u{212a}R",
            "\n",
            "G\n",
            "4:",
        ] {
            assert_eq!(by_iso(code), None, "{code:?}");
        }
    }

    #[test]
    fn national_prefix_of_a_calling_code() {
        assert_eq!(national_prefix_for_calling_code(44), Some("0"));
        assert_eq!(national_prefix_for_calling_code(1), Some("1"));
        assert_eq!(national_prefix_for_calling_code(7), Some("8"));
        assert_eq!(national_prefix_for_calling_code(39), None);
        assert_eq!(national_prefix_for_calling_code(49), Some("0"));
        assert_eq!(national_prefix_for_calling_code(36), Some("06"));
        assert_eq!(national_prefix_for_calling_code(34), None);
        assert_eq!(national_prefix_for_calling_code(999), None);
        assert_eq!(national_prefix_for_calling_code(800), None);
        assert_eq!(national_prefix_for_calling_code(0), None);
    }

    #[test]
    fn shared_codes_name_their_main_country() {
        let countries = countries();
        let iso_of = |iso: &[u8; 2]| match std::str::from_utf8(iso) {
            Ok(iso) => iso.to_owned(),
            Err(_) => panic!("{iso:?}"),
        };
        for pair in SHARED_CODE_MAIN.windows(2) {
            assert!(pair[0].0 < pair[1].0);
        }
        for (code, iso) in SHARED_CODE_MAIN {
            let iso = iso_of(iso);
            assert_eq!(country(&iso).calling_code, *code, "{iso}");
            let sharing = countries.iter().filter(|c| c.calling_code == *code).count();
            assert!(sharing > 1, "{code} has one region");
        }
        // A code several regions share must be listed, or its main country is a guess.
        for country in &countries {
            let code = country.calling_code;
            let sharing = countries.iter().filter(|c| c.calling_code == code).count();
            let listed = SHARED_CODE_MAIN.iter().any(|&(shared, _)| shared == code);
            assert_eq!(sharing > 1, listed, "{code}");
        }
        let main = |code| {
            SHARED_CODE_MAIN
                .iter()
                .find(|&&(c, _)| c == code)
                .map(|(_, iso)| iso_of(iso))
        };
        assert_eq!(main(1).as_deref(), Some("US"));
        assert_eq!(main(7).as_deref(), Some("RU"));
        assert_eq!(main(39).as_deref(), Some("IT"));
        assert_eq!(main(44).as_deref(), Some("GB"));
    }
}
