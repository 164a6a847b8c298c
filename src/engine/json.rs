//! An allocation-free JSON scanner for the per-login hot path.
//!
//! [`Json::parse`] validates a text once (RFC 8259, strictly; nesting at most [`MAX_DEPTH`];
//! no lone UTF-16 surrogate escapes) without recursion and in linear time. The accessors then
//! walk the validated text without building a tree: [`Json::items`] and [`Json::get`] hand out
//! values borrowed from it, and only [`Json::as_str`] of a string with escapes allocates.
//!
//! The walkers rely on the text being valid (a `Json` is only made by `parse` or by them), but
//! they index with `get` throughout and end quietly on anything unexpected, so no input panics.

use std::borrow::Cow;

/// What a JSON value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// Why a text is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Not JSON: a bad or missing token, an unterminated value, an empty text.
    Syntax,
    /// Arrays and objects nested more than [`MAX_DEPTH`] deep.
    TooDeep,
    /// A `\u` escape of a UTF-16 surrogate that is not part of a high–low pair.
    LoneSurrogate,
    /// A value followed by more than whitespace.
    Trailing,
    /// A number beyond the range of a double (`1e999`): `JSON.stringify` never writes one, and
    /// serde_json refuses it too.
    OutOfRange,
}

/// The most arrays/objects nested inside one another that are accepted (127 levels OK, 128
/// refused).
pub const MAX_DEPTH: usize = 127;

/// One validated JSON value, borrowed from its text (outer whitespace trimmed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Json<'a> {
    text: &'a str,
    kind: Kind,
}

impl<'a> Json<'a> {
    /// Validates `text` as exactly one JSON value (RFC 8259; whitespace = space, \t, \n, \r
    /// around tokens): strict grammar (numbers `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
    /// literals true/false/null, strings with no raw control character < 0x20 and only the
    /// escapes \" \\ \/ \b \f \n \r \t \uXXXX), nesting ≤ [`MAX_DEPTH`], and every \u escape of
    /// a UTF-16 surrogate paired: a high surrogate escape (D800–DBFF) must be immediately
    /// followed by a \u escape of a low one (DC00–DFFF); a lone low or lone high is
    /// [`Invalid::LoneSurrogate`] (serde_json and Rust strings refuse them too).
    pub fn parse(text: &'a str) -> Result<Json<'a>, Invalid> {
        if plain_string_list(text.as_bytes()) {
            return Ok(Json {
                text,
                kind: Kind::Array,
            });
        }
        Json::scan(text)
    }

    /// [`Json::parse`] by the general scanner, for every text.
    fn scan(text: &'a str) -> Result<Json<'a>, Invalid> {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            pos: 0,
        };
        scanner.skip_ws();
        let start = scanner.pos;
        let kind = scanner.value()?;
        let end = scanner.pos;
        scanner.skip_ws();
        if scanner.pos != text.len() {
            return Err(Invalid::Trailing);
        }
        let text = text.get(start..end).ok_or(Invalid::Syntax)?;
        Ok(Json { text, kind })
    }

    /// A value [`Json::parse`] accepted earlier: its `text()` and `kind()`, not checked again
    /// (a slot's text is scanned once, when the slots are read).
    pub(crate) fn checked(text: &'a str, kind: Kind) -> Json<'a> {
        Json { text, kind }
    }

    /// What the value is.
    pub fn kind(self) -> Kind {
        self.kind
    }

    /// The value's JSON text, as given (no outer whitespace).
    pub fn text(self) -> &'a str {
        self.text
    }

    /// A boolean's value; None for other kinds.
    pub fn as_bool(self) -> Option<bool> {
        match self.kind {
            Kind::Bool => Some(self.text == "true"),
            _ => None,
        }
    }

    /// A string's value with escapes decoded: `Cow::Borrowed` when it has none (the common
    /// case), else owned. None for other kinds.
    pub fn as_str(self) -> Option<Cow<'a, str>> {
        if self.kind != Kind::String {
            return None;
        }
        string_content(self.text).map(decode)
    }

    /// The items of an array, in order (an empty iterator for any other kind). Each item is a
    /// `Json` over its own text.
    pub fn items(self) -> Items<'a> {
        Items {
            text: self.text,
            // Past the `[`; a non-array starts at its end, so yields nothing.
            pos: if self.kind == Kind::Array {
                1
            } else {
                self.text.len()
            },
        }
    }

    /// An object's member by key (keys compared after decoding escapes); the LAST one when a
    /// key repeats, as JSON.parse and serde_json do. None for other kinds.
    pub fn get(self, key: &str) -> Option<Json<'a>> {
        self.members()
            .filter(|member| key_equals(member.raw_key, key))
            .last()
            .map(|member| member.value)
    }

    /// The members of an object, in text order, repeated keys included (an empty iterator for
    /// any other kind).
    pub fn members(self) -> Members<'a> {
        Members {
            text: self.text,
            pos: if self.kind == Kind::Object {
                1
            } else {
                self.text.len()
            },
        }
    }
}

/// One member of a JSON object; see [`Json::members`].
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// The key as written, escapes not decoded, quotes removed.
    raw_key: &'a str,
    pub value: Json<'a>,
}

impl<'a> Member<'a> {
    /// The key with its escapes decoded; borrowed when it has none.
    pub fn key(&self) -> Cow<'a, str> {
        decode(self.raw_key)
    }
}

/// The members of a JSON object; see [`Json::members`].
#[derive(Debug, Clone)]
pub struct Members<'a> {
    text: &'a str,
    /// Where the next member (or the whitespace or comma before it) starts; the text's length
    /// when done.
    pos: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = Member<'a>;

    fn next(&mut self) -> Option<Member<'a>> {
        let member = self.member();
        if member.is_none() {
            self.pos = self.text.len();
        }
        member
    }
}

impl<'a> Members<'a> {
    fn member(&mut self) -> Option<Member<'a>> {
        let bytes = self.text.as_bytes();
        let mut pos = skip_ws(bytes, self.pos);
        if bytes.get(pos) == Some(&b',') {
            pos = skip_ws(bytes, pos + 1);
        }
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(bytes, pos)?;
        let raw_key = self.text.get(pos + 1..key_end - 1)?;
        pos = skip_ws(bytes, key_end);
        if bytes.get(pos) != Some(&b':') {
            return None;
        }
        pos = skip_ws(bytes, pos + 1);
        let (value, end) = value_at(self.text, pos)?;
        self.pos = end;
        Some(Member { raw_key, value })
    }
}

impl std::iter::FusedIterator for Members<'_> {}

/// The items of a JSON array; see [`Json::items`].
#[derive(Debug, Clone)]
pub struct Items<'a> {
    /// The array's text.
    text: &'a str,
    /// Where the next item (or the whitespace or comma before it) starts; the text's length
    /// when done.
    pos: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Json<'a>;

    fn next(&mut self) -> Option<Json<'a>> {
        let bytes = self.text.as_bytes();
        let mut pos = skip_ws(bytes, self.pos);
        if bytes.get(pos) == Some(&b',') {
            pos = skip_ws(bytes, pos + 1);
        }
        let item = match bytes.get(pos) {
            None | Some(b']') => None,
            Some(_) => value_at(self.text, pos),
        };
        match item {
            // An empty item is not in a validated text; ending there guarantees progress.
            Some((value, end)) if end > pos => {
                self.pos = end;
                Some(value)
            }
            _ => {
                self.pos = self.text.len();
                None
            }
        }
    }
}

impl std::iter::FusedIterator for Items<'_> {}

/// Bytes `s` takes as a JSON string literal, quotes included, escaped as JSON.stringify and
/// serde_json write it: `"` and `\` as two bytes, \b \f \n \r \t as two, any other char below
/// U+0020 as six (\u00XX), every other char as its UTF-8 bytes. Used to measure claims without
/// serialising them.
pub fn quoted_len(s: &str) -> usize {
    let extra: usize = s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 1,
            0x00..=0x1f => 5,
            _ => 0,
        })
        .sum();
    s.len() + 2 + extra
}

/// Appends `s` as a JSON string literal, escaped exactly as [`quoted_len`] measures (the
/// escapes of JSON.stringify and serde_json).
#[cfg_attr(login_claims_size, optimize(size))]
pub fn write_quoted(out: &mut String, s: &str) {
    out.push('"');
    let mut rest = s;
    while let Some(at) = rest
        .bytes()
        .position(|b| b < 0x20 || b == b'"' || b == b'\\')
    {
        let (run, tail) = rest.split_at(at);
        out.push_str(run);
        let mut chars = tail.chars();
        let byte = chars.next().map_or(0, |c| c as u32);
        match byte {
            0x22 => out.push_str("\\\""),
            0x5c => out.push_str("\\\\"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            0x09 => out.push_str("\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                for nibble in [byte >> 4, byte & 0xf] {
                    out.push(char::from(
                        HEX.get(nibble as usize).copied().unwrap_or(b'0'),
                    ));
                }
            }
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    out.push('"');
}

/// Appends `n` in decimal, as JSON writes a non-negative integer.
#[cfg_attr(login_claims_size, optimize(size))]
pub fn write_usize(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits.get(start..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

/// `n` in decimal, for messages (see `cat!`).
pub fn decimal(n: usize) -> String {
    let mut out = String::new();
    write_usize(&mut out, n);
    out
}

/// `s` as a JSON string literal; see [`write_quoted`].
#[cfg_attr(login_claims_size, optimize(size))]
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(quoted_len(s));
    write_quoted(&mut out, s);
    out
}

impl Invalid {
    /// What is wrong, for a message: "…is not valid JSON ({})".
    #[cfg_attr(login_claims_size, optimize(size))]
    pub fn describe(self) -> &'static str {
        match self {
            Invalid::Syntax => "a syntax error, or the text ends early",
            Invalid::TooDeep => "arrays and objects are nested more than 127 deep",
            Invalid::LoneSurrogate => "a string holds a lone UTF-16 surrogate",
            Invalid::Trailing => "more follows the value",
            Invalid::OutOfRange => "a number is out of the range of a double",
        }
    }
}

/// The digits of the least positive decimal that a double rounds to infinity: 2^1024 - 2^970,
/// halfway between the largest double and 2^1024 (a tie rounds to the even 2^1024). It is a
/// 309-digit integer; these are its significant digits.
const OVERFLOW_DIGITS: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether a number token (already checked against the grammar) is beyond the range of a
/// double, i.e. JSON.parse would read it as ±Infinity: its magnitude is at least
/// [`OVERFLOW_DIGITS`] × 10^(309 - len). Decided on the digits, exactly, without parsing a
/// float.
fn beyond_double(token: &[u8]) -> bool {
    let token = token.strip_prefix(b"-").unwrap_or(token);
    let (mantissa, exponent) = match token.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (
            token.get(..at).unwrap_or_default(),
            token.get(at + 1..).unwrap_or_default(),
        ),
        None => (token, &b""[..]),
    };
    let (negative, exponent_digits) = match exponent.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, exponent),
    };
    // Saturates: a number with a billion-digit exponent is as infinite (or as small) as one
    // with a ten-digit exponent.
    let exponent = exponent_digits.iter().fold(0i64, |value, &digit| {
        (value * 10 + i64::from(digit - b'0')).min(1 << 40)
    });
    let exponent = if negative { -exponent } else { exponent };
    let integer_digits = mantissa
        .iter()
        .position(|&b| b == b'.')
        .unwrap_or(mantissa.len());
    let digits = || mantissa.iter().copied().filter(|&b| b != b'.');
    let Some(leading_zeros) = digits().position(|digit| digit != b'0') else {
        return false; // zero
    };
    // The value is 0.D x 10^magnitude, where D are the digits from the first non-zero one.
    let magnitude = integer_digits as i64 - leading_zeros as i64 + exponent;
    let limit = OVERFLOW_DIGITS.len() as i64;
    if magnitude != limit {
        return magnitude > limit;
    }
    let mut significant = digits().skip(leading_zeros);
    for &bound in OVERFLOW_DIGITS {
        match significant.next() {
            Some(digit) if digit > bound => return true,
            Some(digit) if digit < bound => return false,
            Some(_) => {}
            // A prefix of the bound, with fewer digits: smaller (the bound ends in a non-zero).
            None => return false,
        }
    }
    true
}

/// Whether `bytes` is a compact array of strings without escapes or control characters
/// (`[]`, `["openid","phone"]`): what the shim writes for a list of scopes or roles. The general
/// scanner accepts every such text as an array too; this answers it in one tight pass.
fn plain_string_list(bytes: &[u8]) -> bool {
    let [b'[', inner @ .., b']'] = bytes else {
        return false;
    };
    let mut rest = inner;
    if rest.is_empty() {
        return true;
    }
    loop {
        let [b'"', after @ ..] = rest else {
            return false;
        };
        let Some(close) = after
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        else {
            return false;
        };
        match after.get(close..) {
            Some([b'"']) => return true,
            Some([b'"', b',', next @ ..]) => rest = next,
            _ => return false,
        }
    }
}

/// The validating pass of [`Json::parse`].
struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        self.pos = skip_ws(self.bytes, self.pos);
    }

    /// Consumes `byte` (after whitespace) or fails.
    fn expect(&mut self, byte: u8) -> Result<(), Invalid> {
        self.skip_ws();
        if self.peek() != Some(byte) {
            return Err(Invalid::Syntax);
        }
        self.pos += 1;
        Ok(())
    }

    /// One value at `pos`, iteratively: the open containers are a stack of bits (1 = object),
    /// one per level, so the depth is bounded by the width of the stack.
    fn value(&mut self) -> Result<Kind, Invalid> {
        let mut open: u128 = 0;
        let mut depth = 0usize;
        let mut outer = None;
        loop {
            // A value is expected here.
            self.skip_ws();
            let first = self.peek().ok_or(Invalid::Syntax)?;
            let kind = match first {
                b'[' | b'{' => {
                    if depth == MAX_DEPTH {
                        return Err(Invalid::TooDeep);
                    }
                    let object = first == b'{';
                    open = open & !(1 << depth) | u128::from(object) << depth;
                    depth += 1;
                    self.pos += 1;
                    self.skip_ws();
                    let close = if object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        depth -= 1;
                    } else {
                        if object {
                            self.member_key()?;
                        }
                        outer.get_or_insert(kind_of(first));
                        continue;
                    }
                    kind_of(first)
                }
                b'"' => {
                    self.string()?;
                    Kind::String
                }
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                    Kind::Number
                }
                b't' => self.literal(b"true", Kind::Bool)?,
                b'f' => self.literal(b"false", Kind::Bool)?,
                b'n' => self.literal(b"null", Kind::Null)?,
                _ => return Err(Invalid::Syntax),
            };
            let outer = *outer.get_or_insert(kind);
            // After a value: close containers until one continues with a comma.
            loop {
                if depth == 0 {
                    return Ok(outer);
                }
                let object = open >> (depth - 1) & 1 == 1;
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if object {
                            self.skip_ws();
                            self.member_key()?;
                        }
                        break;
                    }
                    Some(b']') if !object => {}
                    Some(b'}') if object => {}
                    _ => return Err(Invalid::Syntax),
                }
                self.pos += 1;
                depth -= 1;
            }
        }
    }

    /// A member's key and its colon, at `pos`.
    fn member_key(&mut self) -> Result<(), Invalid> {
        if self.peek() != Some(b'"') {
            return Err(Invalid::Syntax);
        }
        self.string()?;
        self.expect(b':')
    }

    fn literal(&mut self, word: &[u8], kind: Kind) -> Result<Kind, Invalid> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) != Some(word) {
            return Err(Invalid::Syntax);
        }
        self.pos = end;
        Ok(kind)
    }

    /// Consumes digits; false when there were none.
    fn digits(&mut self) -> bool {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos > start
    }

    fn number(&mut self) -> Result<(), Invalid> {
        let start = self.pos;
        self.number_token()?;
        let token = self.bytes.get(start..self.pos).unwrap_or_default();
        if beyond_double(token) {
            return Err(Invalid::OutOfRange);
        }
        Ok(())
    }

    /// The grammar of a number at `pos`.
    fn number_token(&mut self) -> Result<(), Invalid> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                // No leading zeros (serde_json says the same: an invalid number).
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(Invalid::Syntax);
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(Invalid::Syntax),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !self.digits() {
                return Err(Invalid::Syntax);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !self.digits() {
                return Err(Invalid::Syntax);
            }
        }
        Ok(())
    }

    /// A string at `pos` (its opening quote).
    fn string(&mut self) -> Result<(), Invalid> {
        self.pos += 1;
        loop {
            // Fast path: the run of plain bytes (any UTF-8 at or above 0x20).
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let run = rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or(Invalid::Syntax)?;
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => self.escape()?,
                _ => return Err(Invalid::Syntax),
            }
        }
    }

    /// An escape at `pos` (its backslash).
    fn escape(&mut self) -> Result<(), Invalid> {
        match self.bytes.get(self.pos + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 2;
                Ok(())
            }
            Some(b'u') => {
                let unit = hex4(self.bytes, self.pos + 2).ok_or(Invalid::Syntax)?;
                self.pos += 6;
                match unit {
                    0xd800..=0xdbff => {
                        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                            return Err(Invalid::LoneSurrogate);
                        }
                        let low = hex4(self.bytes, self.pos + 2).ok_or(Invalid::Syntax)?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(Invalid::LoneSurrogate);
                        }
                        self.pos += 6;
                        Ok(())
                    }
                    0xdc00..=0xdfff => Err(Invalid::LoneSurrogate),
                    _ => Ok(()),
                }
            }
            _ => Err(Invalid::Syntax),
        }
    }
}

fn kind_of(first: u8) -> Kind {
    match first {
        b'{' => Kind::Object,
        b'[' => Kind::Array,
        b'"' => Kind::String,
        b't' | b'f' => Kind::Bool,
        b'n' => Kind::Null,
        _ => Kind::Number,
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// Four hex digits at `pos`, as a UTF-16 code unit.
fn hex4(bytes: &[u8], pos: usize) -> Option<u16> {
    let digits = bytes.get(pos..pos + 4)?;
    digits.iter().try_fold(0u16, |unit, &b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        Some(unit << 4 | u16::from(digit))
    })
}

// The walkers below assume a validated text.

/// The end (one past the closing quote) of the string whose opening quote is at `pos`.
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut pos = pos + 1;
    loop {
        let run = bytes
            .get(pos..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\')?;
        pos += run;
        if bytes.get(pos) == Some(&b'"') {
            return Some(pos + 1);
        }
        // A backslash and the byte it escapes; the rest of a \u escape is plain.
        pos += 2;
    }
}

/// The end of the value that starts at `pos`.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut pos = pos;
            loop {
                match bytes.get(pos)? {
                    b'"' => {
                        pos = skip_string(bytes, pos)?;
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(pos + 1);
                        }
                    }
                    _ => {}
                }
                pos += 1;
            }
        }
        _ => {
            let mut pos = pos;
            while !matches!(
                bytes.get(pos),
                None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                pos += 1;
            }
            Some(pos)
        }
    }
}

/// The value that starts at `pos` of `text`, and where it ends.
fn value_at(text: &str, pos: usize) -> Option<(Json<'_>, usize)> {
    let bytes = text.as_bytes();
    let first = *bytes.get(pos)?;
    let end = skip_value(bytes, pos)?;
    let value = Json {
        text: text.get(pos..end)?,
        kind: kind_of(first),
    };
    Some((value, end))
}

/// A string literal's text between its quotes.
fn string_content(literal: &str) -> Option<&str> {
    literal.get(1..literal.len().checked_sub(1)?)
}

/// Whether the raw (still escaped) text of a key decodes to `key`, without allocating.
fn key_equals(raw: &str, key: &str) -> bool {
    if !raw.as_bytes().contains(&b'\\') {
        return raw == key;
    }
    let mut key = key.as_bytes();
    for piece in (Pieces { rest: raw }) {
        let mut buffer = [0u8; 4];
        let part = match piece {
            Piece::Run(run) => run.as_bytes(),
            Piece::Char(c) => c.encode_utf8(&mut buffer).as_bytes(),
        };
        match key.strip_prefix(part) {
            Some(rest) => key = rest,
            None => return false,
        }
    }
    key.is_empty()
}

/// A validated string's content (the text between its quotes) with its escapes decoded:
/// borrowed when it has none (the common case).
fn decode(content: &str) -> Cow<'_, str> {
    if !content.as_bytes().contains(&b'\\') {
        return Cow::Borrowed(content);
    }
    let mut decoded = String::with_capacity(content.len());
    for piece in (Pieces { rest: content }) {
        match piece {
            Piece::Run(run) => decoded.push_str(run),
            Piece::Char(c) => decoded.push(c),
        }
    }
    Cow::Owned(decoded)
}

/// A piece of a decoded string: a run of text without escapes, or one escaped char.
enum Piece<'a> {
    Run(&'a str),
    Char(char),
}

/// The pieces of a validated string's content (the text between its quotes).
struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let bytes = self.rest.as_bytes();
        if *bytes.first()? != b'\\' {
            let run = bytes
                .iter()
                .position(|&b| b == b'\\')
                .unwrap_or(bytes.len());
            let (piece, rest) = (self.rest.get(..run), self.rest.get(run..));
            self.rest = rest.unwrap_or_default();
            return piece.map(Piece::Run);
        }
        let (c, used) = match bytes.get(1) {
            Some(b'"') => ('"', 2),
            Some(b'\\') => ('\\', 2),
            Some(b'/') => ('/', 2),
            Some(b'b') => ('\u{8}', 2),
            Some(b'f') => ('\u{c}', 2),
            Some(b'n') => ('\n', 2),
            Some(b'r') => ('\r', 2),
            Some(b't') => ('\t', 2),
            Some(b'u') => unicode_escape(bytes),
            // Not in a validated text.
            _ => (char::REPLACEMENT_CHARACTER, bytes.len()),
        };
        self.rest = self.rest.get(used..).unwrap_or_default();
        Some(Piece::Char(c))
    }
}

/// The char of the `\u` escape (or surrogate pair of them) that `bytes` starts with, and the
/// bytes it takes.
fn unicode_escape(bytes: &[u8]) -> (char, usize) {
    let Some(unit) = hex4(bytes, 2) else {
        return (char::REPLACEMENT_CHARACTER, bytes.len());
    };
    if (0xd800..=0xdbff).contains(&unit) && bytes.get(6..8) == Some(b"\\u") {
        if let Some(low @ 0xdc00..=0xdfff) = hex4(bytes, 8) {
            let scalar = 0x10000 + ((u32::from(unit) - 0xd800) << 10) + (u32::from(low) - 0xdc00);
            return (
                char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER),
                12,
            );
        }
    }
    (
        char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
        6,
    )
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
