'use strict';
// A fetch for the JS suites that counts what the package sends and remembers the tokens it was
// given, so that a test can check that no detail or log line repeats one.

// Wraps the real fetch: records every call and every access token the token endpoint issued,
// so tests can count requests and check that no detail leaks a token.
function recordingFetch(inner = globalThis.fetch) {
  const calls = [];
  const issuedTokens = new Set();
  const fetch = async (url, init = {}) => {
    calls.push({ url: String(url), method: init.method || 'GET', headers: init.headers || {}, body: init.body });
    const response = await inner(url, init);
    if (String(url).endsWith('/oauth/token') && response.ok) {
      try {
        const body = await response.clone().json();
        if (body && typeof body.access_token === 'string') issuedTokens.add(body.access_token);
      } catch {
        // A fault-injected body is not JSON; nothing was issued.
      }
    }
    return response;
  };
  return { fetch, calls, issuedTokens };
}

module.exports = { recordingFetch };
