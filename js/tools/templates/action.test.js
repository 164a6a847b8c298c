// Unit test of action.js, written by `login-claims init`; `npm test` runs it. It runs the
// Action's configuration on the example login of event.json through simulatePostLogin, the same
// code path as the deployed Action, and checks the result against expected.json: the claims of
// each token, the reason that decided each claim listed under "reasons", and whether the login
// was denied. `npx login-claims simulate --action action.js --event event.json --expect
// expected.json` makes the same comparison from the command line, with a diff when it fails.
const test = require('node:test');
const assert = require('node:assert/strict');
const { simulatePostLogin, validateConfig } = require('login-claims');
const { config } = require('./action.js');
const event = require('./event.json');
const expected = require('./expected.json');

/**
 * What expected.json compares for a claim: given one reason, the one that decided it (that of
 * its last trace entry whose outcome is not "noted"); given a list, all of its reasons in order.
 */
function reasonsOf(trace, token, claim, expectedReason) {
  const entries = trace.filter((entry) => entry.token === token && entry.claim === claim);
  if (Array.isArray(expectedReason)) return entries.map((entry) => entry.reason);
  const deciding = entries.filter((entry) => entry.outcome !== 'noted');
  return deciding.length ? deciding[deciding.length - 1].reason : undefined;
}

test('the configuration has no problem', () => {
  assert.deepEqual(validateConfig(config).issues, []);
});

test('the example login gets the expected claims, for the expected reasons', async () => {
  const result = await simulatePostLogin(event, config);
  assert.deepEqual(result.idToken, expected.idToken);
  assert.deepEqual(result.accessToken, expected.accessToken);
  for (const token of ['idToken', 'accessToken']) {
    for (const [claim, reason] of Object.entries((expected.reasons || {})[token] || {})) {
      assert.deepEqual(reasonsOf(result.trace, token, claim, reason), reason, `${token} ${claim}`);
    }
  }
  if (expected.denied !== undefined) assert.equal(result.denied !== undefined, expected.denied);
});
