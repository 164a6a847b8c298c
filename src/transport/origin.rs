//! Origins given in secrets (`AUTH0_DOMAIN`, `AUTH0_TENANT_DOMAIN`) and options
//! (`verifyBaseUrl`): https to any host, plain http only to a loopback host (a local stand-in),
//! and nothing but an origin. Hosts are read as a WHATWG URL reads them (`Tenant.EU.auth0.com`
//! is `tenant.eu.auth0.com`, `127.1` is `127.0.0.1`, `[0:0::1]` is `[::1]`), so that one tenant
//! always has one origin and one token cache entry.

/// A checked origin, serialised as `URL.origin` does: lower-case host, default port dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    origin: String,
}

impl Origin {
    /// `https://tenant.eu.auth0.com`, `http://127.0.0.1:4010`.
    pub fn as_str(&self) -> &str {
        &self.origin
    }
}

/// Why a text is not a usable origin; the caller words it with the secret's or option's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginRefusal {
    /// Whitespace or control characters (URL() would silently drop tabs and newlines).
    Whitespace,
    /// Not a host name or an absolute URL.
    Malformed,
    /// A scheme other than https or http.
    Scheme,
    /// A user name or password.
    Credentials,
    /// A path, query or fragment.
    PathQueryFragment,
    /// Plain http to a host that is not loopback: secrets would travel in clear text.
    PlainHttp,
}

/// Reads `raw` as an origin. Without a scheme, `raw` is a host (with an optional port) reached
/// over https; `bare_host` false requires an absolute URL.
pub fn parse_origin(raw: &str, bare_host: bool) -> Result<Origin, OriginRefusal> {
    if raw.chars().any(|c| c <= '\u{20}' || c == '\u{7f}') {
        return Err(OriginRefusal::Whitespace);
    }
    let (scheme, rest) = match split_scheme(raw) {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None if bare_host && !raw.contains(['/', '?', '#', '@', '\\']) => ("https".to_owned(), raw),
        None => return Err(OriginRefusal::Malformed),
    };
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if scheme != "https" && scheme != "http" {
        return Err(OriginRefusal::Scheme);
    }
    if authority.contains('@') {
        return Err(OriginRefusal::Credentials);
    }
    if !(tail.is_empty() || tail == "/" || tail == "\\") {
        return Err(OriginRefusal::PathQueryFragment);
    }
    let (host, port) = split_port(authority).ok_or(OriginRefusal::Malformed)?;
    let host = parse_host(host).ok_or(OriginRefusal::Malformed)?;
    if scheme == "http" && !is_loopback(&host) {
        return Err(OriginRefusal::PlainHttp);
    }
    let default_port = if scheme == "https" { 443 } else { 80 };
    let origin = match port {
        Some(port) if port != default_port => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    };
    Ok(Origin { origin })
}

/// `scheme://rest` when `raw` starts with a URL scheme.
fn split_scheme(raw: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = raw.split_once("://")?;
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    let valid = first.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b));
    valid.then_some((scheme, rest))
}

/// `host[:port]`, `[v6][:port]`; an empty port is no port.
fn split_port(authority: &str) -> Option<(&str, Option<u32>)> {
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        match after.strip_prefix(':') {
            Some(port) => (host, Some(port)),
            None if after.is_empty() => (host, None),
            None => return None,
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.len() <= 5 && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(digits.parse().ok().filter(|p| *p <= 65_535)?)
        }
        Some(_) => return None,
    };
    Some((host, port))
}

/// The serialised host: a DNS name in lower case, a dotted IPv4 address, or `[v6]`.
fn parse_host(host: &str) -> Option<String> {
    if host.is_empty() || !host.is_ascii() || host.contains('%') {
        return None;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let address: std::net::Ipv6Addr = inner.parse().ok()?;
        return Some(format!("[{}]", ipv6_text(address.segments())));
    }
    let host = host.to_ascii_lowercase();
    if ends_in_number(&host) {
        return ipv4(&host).map(|a| std::net::Ipv4Addr::from(a).to_string());
    }
    let dns = host.len() <= 253 && host.split('.').all(dns_label);
    dns.then_some(host)
}

fn dns_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    let inner_ok = bytes
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    (1..=63).contains(&bytes.len())
        && inner_ok
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

/// WHATWG: a host whose last label is a number is an IPv4 address (or invalid).
fn ends_in_number(host: &str) -> bool {
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let last = trimmed.rsplit('.').next().unwrap_or("");
    !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last
                .strip_prefix("0x")
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())))
}

/// The WHATWG IPv4 parser: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last
/// part fills the remaining bytes.
fn ipv4(host: &str) -> Option<u32> {
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = trimmed.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let numbers: Vec<u64> = parts
        .iter()
        .map(|p| ipv4_number(p))
        .collect::<Option<_>>()?;
    let (last, leading) = numbers.split_last()?;
    if leading.iter().any(|n| *n > 255) {
        return None;
    }
    let room = 4 - leading.len() as u32;
    if *last >= 256u64.pow(room) {
        return None;
    }
    let mut address = *last;
    for (i, n) in leading.iter().enumerate() {
        address += n << (8 * (3 - i as u32));
    }
    u32::try_from(address).ok()
}

fn ipv4_number(part: &str) -> Option<u64> {
    if part.is_empty() {
        return None;
    }
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x") {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (part.get(1..)?, 8)
    } else {
        (part, 10)
    };
    if digits.is_empty() {
        return Some(0);
    }
    if digits.len() > 12 {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// An IPv6 address as WHATWG serialises it: lower-case hex pieces, the first longest run of two
/// or more zero pieces written `::`, never a dotted tail.
fn ipv6_text(pieces: [u16; 8]) -> String {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < 8 {
        if pieces.get(i) == Some(&0) {
            let start = i;
            while pieces.get(i) == Some(&0) {
                i += 1;
            }
            let len = i - start;
            if len >= 2 && best.map_or(true, |(_, l)| len > l) {
                best = Some((start, len));
            }
        } else {
            i += 1;
        }
    }
    let hex = |range: &[u16]| {
        range
            .iter()
            .map(|p| format!("{p:x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    match best {
        Some((start, len)) => {
            let (head, rest) = pieces.split_at(start);
            let tail = rest.get(len..).unwrap_or(&[]);
            format!("{}::{}", hex(head), hex(tail))
        }
        None => hex(&pieces),
    }
}

/// Loopback hosts as they are serialised here.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host == "[::1]"
        || host
            .strip_prefix("127.")
            .is_some_and(|rest| rest.split('.').count() == 3)
}
