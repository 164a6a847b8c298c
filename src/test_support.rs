//! Fixtures the unit tests of several modules share.

use crate::transport::NetworkPhase::{self, Connecting, ReadingBody};
use crate::transport::TransportError;

/// Network failures as the transport reports them, each with the end of the failure's detail:
/// the phase, and the code in brackets when it is safe to repeat (a code that could quote
/// anything, a number for one, is dropped).
const NETWORK_CASES: &[(NetworkPhase, Option<&str>, &str)] = &[
    (
        Connecting,
        Some("ECONNREFUSED"),
        "while connecting (ECONNREFUSED)",
    ),
    (
        Connecting,
        Some("UND_ERR_SOCKET"),
        "while connecting (UND_ERR_SOCKET)",
    ),
    (
        ReadingBody,
        Some("ECONNRESET"),
        "while reading the body (ECONNRESET)",
    ),
    (
        ReadingBody,
        Some("UND_ERR_SOCKET"),
        "while reading the body (UND_ERR_SOCKET)",
    ),
    (Connecting, None, "while connecting"),
    (Connecting, Some("E"), "while connecting"),
    (
        Connecting,
        Some("econnreset +15551234567"),
        "while connecting",
    ),
    (
        ReadingBody,
        Some("bad +14155550142"),
        "while reading the body",
    ),
];

/// Transport errors with the failure and detail a caller should make of them: every network
/// failure of `NETWORK_CASES` as `network`, its detail `connection_failed` then the end, and then
/// the `others`.
pub(crate) fn transport_cases<F: Copy>(
    connection_failed: &str,
    network: F,
    others: &[(TransportError, F, &str)],
) -> Vec<(TransportError, F, String)> {
    let network_cases = NETWORK_CASES.iter().map(|&(phase, code, end)| {
        let code = code.map(str::to_owned);
        let detail = format!("{connection_failed} {end}");
        (TransportError::Network { phase, code }, network, detail)
    });
    let others = others
        .iter()
        .map(|(error, failure, detail)| (error.clone(), *failure, (*detail).to_owned()));
    network_cases.chain(others).collect()
}

/// The slot a JSON value becomes, as the shim encodes it (`null`: no value), for tests that
/// hand slots to the engine directly. The text is leaked, so the slot lives for the test.
pub(crate) fn slot(value: serde_json::Value) -> crate::event::Slot<'static> {
    let mut bytes = Vec::new();
    crate::event::encode_slot(&mut bytes, Some(&value));
    let view: &'static crate::event::EventView<'static> = Box::leak(Box::new(
        crate::event::EventView::from_slot_bytes(bytes, 1).unwrap_or_else(|e| panic!("{e:?}")),
    ));
    view.slot(0)
}
