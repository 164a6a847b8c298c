#!/usr/bin/env python3
"""Prints src/phone/countries.rs: the per-country dialling table, built from libphonenumber's metadata.

The metadata comes from PyPI's `phonenumbers` package (libphonenumber's metadata, republished for
Python). Only facts are taken from it: calling codes, national prefixes and the international
prefix patterns. The patterns are expanded here into literal digit strings by a small expander
written for this purpose (see `expand`); nothing of libphonenumber's code is used or ported.

    python3 -m venv /tmp/pn && /tmp/pn/bin/pip install phonenumbers==9.0.43
    /tmp/pn/bin/python tests/country-table/generate.py > src/phone/countries.rs

The output depends only on the metadata: running it twice gives the same bytes.
"""

import sys

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

# The version the committed src/phone/countries.rs was generated from. Another version still generates
# (its number goes into the header), with a note on stderr so the change is noticed.
PINNED_VERSION = "9.0.43"

# A pattern whose expansion has at most this many strings is kept whole.
MAX_EXPANSION = 8
# Expansions larger than this are not computed (China's pattern alone has 2,101 strings).
EXPANSION_LIMIT = 100_000

REGENERATE = (
    "python3 -m venv /tmp/pn && /tmp/pn/bin/pip install phonenumbers=={v} && "
    "/tmp/pn/bin/python tests/country-table/generate.py > src/phone/countries.rs"
)


class TooLarge(Exception):
    pass


class Unsupported(Exception):
    pass


# --- a tiny regex expander ------------------------------------------------------------------------
# Supports exactly what the international prefix patterns use: digits, `\d`, character classes of
# digits and digit ranges, non-capturing and capturing groups, alternation, and the quantifiers
# `?`, `{n}` and `{n,m}`. Anything else raises Unsupported, so a new construct in the metadata
# stops the generator instead of producing a wrong table.

DIGITS = "0123456789"


def _product(a, b):
    out = {x + y for x in a for y in b}
    if len(out) > EXPANSION_LIMIT:
        raise TooLarge()
    return out


class _Parser:
    def __init__(self, pattern):
        self.s = pattern
        self.i = 0

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else None

    def take(self):
        c = self.peek()
        if c is None:
            raise Unsupported(f"unexpected end of {self.s!r}")
        self.i += 1
        return c

    def parse(self):
        out = self.alternation()
        if self.peek() is not None:
            raise Unsupported(f"unexpected {self.peek()!r} at {self.i} in {self.s!r}")
        return out

    def alternation(self):
        out = set(self.sequence())
        while self.peek() == "|":
            self.take()
            out |= self.sequence()
            if len(out) > EXPANSION_LIMIT:
                raise TooLarge()
        return out

    def sequence(self):
        out = {""}
        while self.peek() not in (None, "|", ")"):
            out = _product(out, self.quantified())
        return out

    def quantified(self):
        atom = self.atom()
        c = self.peek()
        if c == "?":
            self.take()
            return atom | {""}
        if c == "{":
            self.take()
            spec = ""
            while self.peek() != "}":
                spec += self.take()
            self.take()
            lo_text, comma, hi_text = spec.partition(",")
            if comma and not hi_text:
                raise Unsupported(f"unbounded repetition in {self.s!r}")
            lo = int(lo_text)
            hi = int(hi_text) if comma else lo
            out = set()
            for n in range(lo, hi + 1):
                part = {""}
                for _i in range(n):
                    part = _product(part, atom)
                out |= part
            return out
        if c in ("*", "+"):
            raise Unsupported(f"unbounded repetition in {self.s!r}")
        return atom

    def atom(self):
        c = self.take()
        if c in DIGITS:
            return {c}
        if c == "\\":
            e = self.take()
            if e == "d":
                return set(DIGITS)
            raise Unsupported(f"escape \\{e} in {self.s!r}")
        if c == "[":
            return self.char_class()
        if c == "(":
            if self.s.startswith("?:", self.i):
                self.i += 2
            elif self.peek() == "?":
                raise Unsupported(f"group kind in {self.s!r}")
            out = self.alternation()
            if self.take() != ")":
                raise Unsupported(f"unbalanced group in {self.s!r}")
            return out
        raise Unsupported(f"{c!r} in {self.s!r}")

    def char_class(self):
        out = set()
        if self.peek() == "^":
            raise Unsupported(f"negated class in {self.s!r}")
        while self.peek() != "]":
            c = self.take()
            if c == "\\":
                if self.take() != "d":
                    raise Unsupported(f"escape in class in {self.s!r}")
                out |= set(DIGITS)
                continue
            if c not in DIGITS:
                raise Unsupported(f"{c!r} in class in {self.s!r}")
            if self.peek() == "-":
                self.take()
                hi = self.take()
                if hi not in DIGITS or hi < c:
                    raise Unsupported(f"range {c}-{hi} in {self.s!r}")
                out |= {chr(x) for x in range(ord(c), ord(hi) + 1)}
            else:
                out.add(c)
        self.take()
        return out


def expand(pattern):
    """Every string the pattern matches in full, or None when there are too many to list."""
    try:
        return _Parser(pattern).parse()
    except TooLarge:
        return None


def longest_first(strings):
    return sorted(strings, key=lambda s: (-len(s), s))


# --- choosing the international prefixes ------------------------------------------------------------


def international_prefixes(region, meta):
    """Returns (prefixes longest first, None) or (prefixes, why) when a fallback rule chose them."""
    pattern = meta.international_prefix
    if not pattern:
        raise Unsupported(f"{region} has no international prefix")
    strings = expand(pattern)
    if strings is not None and "" in strings:
        raise Unsupported(f"{region}: {pattern!r} matches the empty string")
    # Rule 1: a small expansion is kept whole.
    if strings is not None and len(strings) <= MAX_EXPANSION:
        return longest_first(strings), None
    size = "more than 100000" if strings is None else str(len(strings))
    # Rule 2: the preferred prefix, without libphonenumber's "~" (wait for a second dial tone).
    preferred = (meta.preferred_international_prefix or "").replace("~", "")
    if preferred:
        if not preferred.isdigit():
            raise Unsupported(f"{region}: preferred prefix {preferred!r}")
        return [preferred], f"{size} strings, rule 2"
    if strings is None:
        raise Unsupported(f"{region}: {pattern!r} is too large and has no preferred prefix")
    # Rule 3: a string of the expansion that every other one starts with: the plain prefix, the
    # others being it followed by a carrier code.
    shortest = min(strings, key=lambda s: (len(s), s))
    if all(s.startswith(shortest) for s in strings):
        return [shortest], f"{size} strings, rule 3"
    # Rule 4: no single dialled prefix stands for the others (each string is a carrier's own
    # prefix; the common beginning, if any, is not dialled alone): keep the whole expansion.
    return longest_first(strings), f"{size} strings, rule 4"


# --- the table ------------------------------------------------------------------------------------


def record(region, code, national, prefixes):
    """One line of TABLE, without its newline: `GB44:0:00`, `IT39:-:00`, `US1:1:011`."""
    assert len(region) == 2 and region.isascii() and region.isalpha() and region.isupper(), region
    assert 1 <= code <= 999, code
    assert national == "" or (national.isascii() and national.isdigit()), national
    assert prefixes and all(p.isascii() and p.isdigit() for p in prefixes), prefixes
    assert prefixes == longest_first(set(prefixes)), prefixes
    return f"{region}{code}:{national or '-'}:{','.join(prefixes)}"


def load():
    regions = {}
    shared_main = {}
    for code, members in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        geographic = [r for r in members if r != "001"]
        if not geographic:
            continue
        if len(geographic) != len(members):
            raise Unsupported(f"calling code {code} mixes 001 and regions")
        if len(geographic) > 1:
            shared_main[code] = geographic[0]
        for r in geographic:
            if r in regions:
                raise Unsupported(f"{r} under two calling codes")
            regions[r] = code
    if set(regions) != set(phonenumbers.SUPPORTED_REGIONS):
        raise Unsupported("COUNTRY_CODE_TO_REGION_CODE and SUPPORTED_REGIONS disagree")
    rows = []
    fallbacks = []
    for region in sorted(regions):
        meta = PhoneMetadata.metadata_for_region(region)
        if meta.country_code != regions[region]:
            raise Unsupported(f"{region}: calling code {meta.country_code} != {regions[region]}")
        national = meta.national_prefix or ""
        if national and not national.isdigit():
            raise Unsupported(f"{region}: national prefix {national!r}")
        prefixes, why = international_prefixes(region, meta)
        if why:
            fallbacks.append((region, meta.international_prefix, prefixes, why))
        rows.append((region, meta.country_code, national, prefixes))
    return rows, shared_main, fallbacks


def render(rows, shared_main, fallbacks):
    version = phonenumbers.__version__
    out = []
    w = out.append
    w("//! The dialling facts of every country and territory: its ISO 3166-1 code, its ITU calling")
    w("//! code, its national (trunk) prefix and the international prefixes dialled from it.")
    w("//!")
    w(f"//! Generated from libphonenumber's metadata as published in PyPI's `phonenumbers` {version}")
    w("//! (facts only; none of libphonenumber's code) by `tests/country-table/generate.py`. Do not")
    w("//! edit by hand; regenerate with:")
    w("//!")
    w("//! ```text")
    for part in REGENERATE.format(v=version).split(" && "):
        w(f"//! {part}")
    w("//! ```")
    w("//!")
    w("//! Every region libphonenumber has metadata for is listed; its non-geographic entities")
    w('//! (region "001": +800, +808, +870, +878, +881, +882, +883, +888, +979) are not.')
    w("//!")
    w("//! libphonenumber gives the international prefix as a pattern. It becomes literal digit")
    w("//! strings, longest first, by the first of these rules that applies:")
    w("//!")
    w(f"//! 1. the pattern matches at most {MAX_EXPANSION} strings: all of them (`0(?:0|11)` gives")
    w('//!    `["011", "00"]`);')
    w("//! 2. libphonenumber names a preferred international prefix: that one alone, without the")
    w('//!    `~` that marks a second dial tone (`8~10` gives `"810"`);')
    w("//! 3. one of the strings begins every other (the rest are it followed by a carrier code):")
    w("//!    that one alone;")
    w("//! 4. otherwise every string the pattern matches: each is a prefix some carrier's")
    w("//!    subscribers dial, and no shorter string is dialled on its own.")
    w("//!")
    w("//! Chosen by rules 2 to 4 in this version:")
    w("//!")
    for region, pattern, prefixes, why in fallbacks:
        shown = ", ".join(prefixes) if len(prefixes) == 1 else "all of them"
        w(f"//! - {region} `{pattern}`")
        w(f"//!   ({why}): {shown}.")
    w(BODY_HEAD)
    w(TABLE_DOC)
    w("#[rustfmt::skip]")
    w('static TABLE: &str = "\\')
    for region, code, national, prefixes in rows:
        w(f"    {record(region, code, national, prefixes)}\\n\\")
    w('";')
    w("")
    w("/// The main country of each calling code that several regions share (libphonenumber's first")
    w("/// region for the code), sorted by code. A code that one region has is that region's.")
    w("#[rustfmt::skip]")
    w("#[cfg_attr(not(test), allow(dead_code))]")
    w("const SHARED_CODE_MAIN: &[(u16, [u8; 2])] = &[")
    items = [f'({code}, *b"{iso}")' for code, iso in sorted(shared_main.items())]
    for i in range(0, len(items), 6):
        w("    " + ", ".join(items[i : i + 6]) + ",")
    w("];")
    w(BODY_TAIL)
    return "\n".join(out) + "\n"


BODY_HEAD = r"""
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
"""

TABLE_DOC = r"""/// Every region libphonenumber has metadata for, one record a line, sorted by ISO code. A record
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
/// that the strings of every `Country` are slices of this one string."""

BODY_TAIL = r"""
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
}"""



def main():
    if phonenumbers.__version__ != PINNED_VERSION:
        print(
            f"note: phonenumbers {phonenumbers.__version__}, not the pinned {PINNED_VERSION}",
            file=sys.stderr,
        )
    rows, shared_main, fallbacks = load()
    sys.stdout.write(render(rows, shared_main, fallbacks))


if __name__ == "__main__":
    main()
