'use strict';
// Property tests of the shim and the wasm core together (fast-check): whatever the event's
// shape, the handler resolves, no exception escapes, claims are set only through
// setCustomClaim, phone_number_verified only ever comes with an E.164 phone_number, and no
// token's claims exceed 100 KB. The Management API is a fake fetch whose answers are generated
// too, so no run touches the network. A failing run prints its seed and the shrunk input; rerun
// it with fc.assert(..., { seed, path }).

const { describe, it, before, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fc = require('fast-check');

// A fixed seed by default, so that ./build.sh test (and CI) replays the same inputs every run and
// a failure is reproducible; FC_SEED=random (or a number) explores new inputs.
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED || 20261125);
fc.configureGlobal({ seed });
const { loadPackage, packageFile } = require('./under-test.js');

const { _resetForTests } = require('./lookup-client.js');

const BUDGET_BYTES = 100000;
const E164 = /^\+[0-9]{7,15}(;ext=[0-9]{1,10})?$/;
const NS = 'https://my-app.example.com/';
const CONFIG = {
  idToken: { [`${NS}plan`]: 'user.app_metadata.plan', [`${NS}settings`]: 'user.app_metadata.settings' },
  accessToken: { [`${NS}roles`]: 'authorization.roles', [`${NS}org`]: 'organization.id', [`${NS}first`]: 'user.identities.0.user_id' },
};
const SECRETS = { AUTH0_DOMAIN: 'tenant.example.com', MANAGEMENT_CLIENT_ID: 'prop-client', MANAGEMENT_CLIENT_SECRET: 'prop-secret' };

const SILENT = { warn() {} };

let lc;

before(async () => {
  lc = await loadPackage();
});

beforeEach(() => _resetForTests());

// ---- the observed api --------------------------------------------------------------------

/**
 * An Auth0 api that records every claim and every property the shim touches. With onError
 * 'continue' the shim may touch only idToken/accessToken.setCustomClaim and cache.
 */
function observedApi() {
  const touched = new Set();
  const claims = { idToken: {}, accessToken: {} };
  const calls = [];
  const tokenApi = (token) =>
    new Proxy(
      {
        setCustomClaim(name, value) {
          calls.push([token, name]);
          Object.defineProperty(claims[token], name, { value, enumerable: true, writable: true, configurable: true });
        },
      },
      { get: (target, key) => (touched.add(`${token}.${String(key)}`), target[key]) }
    );
  const entries = new Map();
  const target = {
    idToken: tokenApi('idToken'),
    accessToken: tokenApi('accessToken'),
    access: { deny: () => calls.push(['deny']) },
    cache: {
      get: (key) => entries.get(key),
      set: (key, value, options) => (entries.set(key, { value, expires_at: options && options.expires_at }), { type: 'success' }),
    },
  };
  const api = new Proxy(target, { get: (t, key) => (touched.add(String(key)), t[key]) });
  return { api, claims, calls, touched };
}

function assertOnlyClaimSetters(observed) {
  for (const key of observed.touched) {
    assert.ok(['idToken', 'accessToken', 'cache', 'idToken.setCustomClaim', 'accessToken.setCustomClaim'].includes(key), `touched api.${key}`);
  }
  assert.ok(observed.calls.every(([what]) => what !== 'deny'), 'deny was called');
}

function assertPhoneClaims(claims) {
  const id = claims.idToken;
  assert.equal('phone_number' in id, 'phone_number_verified' in id, `phone claims come together: ${JSON.stringify(id)}`);
  if ('phone_number' in id) {
    assert.match(id.phone_number, E164);
    assert.equal(typeof id.phone_number_verified, 'boolean');
  }
  assert.ok(!('phone_number' in claims.accessToken) && !('phone_number_verified' in claims.accessToken));
}

function assertWithinBudget(claims) {
  for (const token of ['idToken', 'accessToken']) {
    const bytes = Buffer.byteLength(JSON.stringify(claims[token]));
    assert.ok(bytes <= BUDGET_BYTES, `${token} claims measure ${bytes} bytes`);
  }
}

// ---- a generated Management API ------------------------------------------------------------

const phoneText = fc.oneof(
  fc.constantFrom('+14155550123', '+44 20 7946 0958', '+33 6 12 34 56 78'),
  fc.constantFrom('+1 (415) 555-0123', '+44 20 7946 0958', '+683 4002', 'XXXXXXXX8730', '+1123XXXXX', '0044 20 7946 0958', '', '+', '+14155550123;ext=12'),
  fc.array(fc.constantFrom('+', '1', '4', '7', '9', '0', ' ', '-', '(', ')', 'X', ';ext=', '\u00a0'), { maxLength: 20 }).map((p) => p.join(''))
);

const method = fc.record(
  {
    id: fc.oneof(fc.constantFrom('phone|dev_1', 'phone|dev_2', 'totp|dev_3'), fc.string()),
    type: fc.constantFrom('phone', 'totp', 'push', 'email', 'phone'),
    confirmed: fc.oneof(fc.boolean(), fc.constant('true')),
    phone_number: fc.oneof(phoneText, fc.anything()),
    preferred_authentication_method: fc.constantFrom('sms', 'voice', undefined),
    enrolled_at: fc.constantFrom('2024-05-01T10:00:00.000Z', '2023-01-01T00:00:00+02:00', 'yesterday', undefined),
    status: fc.constantFrom(undefined, undefined, 'confirmed', 'pending'),
    auth_method: fc.constantFrom(undefined, 'sms', 'voice', 'authenticator'),
  },
  { requiredKeys: ['type'] }
);

/** What the fake Management API answers: always the same for the same URL within one run. */
const managementApi = fc.record({
  token: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'ok', 'refused', 'html', 'network'),
  lookup: fc.oneof(
    { weight: 6, arbitrary: fc.array(method, { maxLength: 6 }).map((items) => ({ status: 200, body: JSON.stringify(items) })) },
    { weight: 1, arbitrary: fc.array(method, { maxLength: 3 }).map((items) => ({ status: 200, body: JSON.stringify({ start: 0, limit: 50, total: items.length, authenticators: items }) })) },
    { weight: 1, arbitrary: fc.json().map((body) => ({ status: 200, body })) },
    { weight: 1, arbitrary: fc.constantFrom(401, 403, 404, 302, 400).map((status) => ({ status, body: '{}' })) },
    { weight: 1, arbitrary: fc.constant({ status: 429, body: '{}', headers: { 'retry-after': '0' } }) },
    { weight: 1, arbitrary: fc.constant({ status: 200, body: '<html>down</html>', type: 'text/html' }) },
    { weight: 1, arbitrary: fc.constant('network') }
  ),
});

function fakeFetch(spec) {
  let tokens = 0;
  return async (url) => {
    if (String(url).endsWith('/oauth/token')) {
      if (spec.token === 'network') throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      if (spec.token === 'refused') return Response.json({ error: 'access_denied' }, { status: 401 });
      if (spec.token === 'html') return new Response('<html></html>', { headers: { 'content-type': 'text/html' } });
      tokens += 1;
      return Response.json({ access_token: `tok${tokens}`, expires_in: 86400, token_type: 'Bearer' });
    }
    const answer = spec.lookup;
    if (answer === 'network') throw new TypeError('fetch failed');
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.type || 'application/json', ...answer.headers } });
  };
}

// ---- events --------------------------------------------------------------------------------

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then',
  'user', 'app_metadata', 'phone_number', 'phone_verified', 'transaction', 'requested_scopes', 'request', 'body', 'scope',
  'authorization', 'roles', 'organization', 'id', 'identities', '0', 'length', 'secrets'];

const ANYTHING = fc.anything({
  withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true,
  withObjectString: true, withSparseArray: true, withTypedArray: true, stringUnit: 'binary', maxDepth: 4,
});

/** Objects keyed by names that reach JavaScript internals or the event's own paths, as own data properties. */
const hostileObject = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' }, ANYTHING, tie('object'), fc.array(tie('node'), { maxLength: 3 })),
  object: fc.array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS), tie('node')), { maxLength: 5 }).map((entries) => {
    const object = {};
    for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    return object;
  }),
})).object;

/** One of: a plain value, a getter or a Proxy that throws, or a frozen value. */
function hostile(arbitrary) {
  return fc.oneof(
    { weight: 6, arbitrary },
    { weight: 1, arbitrary: fc.constant(new Proxy({}, { get() { throw new Error('trap'); }, getOwnPropertyDescriptor() { throw new Error('trap'); } })) },
    { weight: 1, arbitrary: arbitrary.map((value) => (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) ? Object.freeze(value) : value)) }
  );
}

const maybe = (arbitrary) => fc.option(arbitrary, { nil: undefined, freq: 3 });
const bigString = fc.integer({ min: 0, max: 70000 }).chain((n) => fc.constantFrom('x', 'é', '😀', '"', '\u0001').map((c) => c.repeat(n)));

const realisticEvent = fc
  .record({
    userId: hostile(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('auth0|65f0aa', 'sms|1', '') }, { weight: 1, arbitrary: ANYTHING })),
    phone: maybe(hostile(fc.oneof({ weight: 3, arbitrary: phoneText }, { weight: 1, arbitrary: ANYTHING }))),
    phoneVerified: maybe(fc.oneof(fc.boolean(), ANYTHING)),
    factors: maybe(hostile(fc.oneof(fc.array(fc.record({ type: fc.constantFrom('phone', 'otp', 'push-notification', 'email') }), { maxLength: 3 }), ANYTHING))),
    metadataPhone: maybe(fc.oneof(phoneText, ANYTHING)),
    metadataVerified: maybe(fc.oneof(fc.boolean(), ANYTHING)),
    scopes: maybe(hostile(fc.oneof(
      { weight: 4, arbitrary: fc.constant(['openid', 'phone']) },
      { weight: 2, arbitrary: fc.subarray(['openid', 'profile', 'phone', 'email']) },
      { weight: 1, arbitrary: ANYTHING }
    ))),
    bodyScope: maybe(fc.oneof(fc.constantFrom('openid phone', 'openid', 'phone\toffline_access'), ANYTHING)),
    protocol: maybe(fc.constantFrom('oidc-basic-profile', 'oauth2-password', 'oauth2-refresh-token')),
    plan: maybe(hostile(fc.oneof(ANYTHING, bigString))),
    settings: maybe(hostile(fc.oneof(hostileObject, bigString))),
    roles: maybe(hostile(fc.oneof(fc.array(fc.string()), ANYTHING))),
    org: maybe(fc.oneof(fc.string(), ANYTHING)),
    identities: maybe(fc.oneof(fc.array(fc.record({ user_id: fc.oneof(fc.string(), bigString) }), { maxLength: 2 }), ANYTHING)),
  })
  .map((f) => {
    const user = { user_id: f.userId, email: 'u@example.com', user_metadata: {}, identities: f.identities };
    if (f.phone !== undefined) user.phone_number = f.phone;
    if (f.phoneVerified !== undefined) user.phone_verified = f.phoneVerified;
    if (f.factors !== undefined) user.enrolledFactors = f.factors;
    user.app_metadata = { plan: f.plan, settings: f.settings, phone_number: f.metadataPhone, phone_verified: f.metadataVerified };
    return {
      fields: f,
      event: {
        transaction: { protocol: f.protocol, requested_scopes: f.scopes },
        request: { ip: '203.0.113.7', query: {}, body: f.bodyScope === undefined ? {} : { scope: f.bodyScope } },
        authorization: { roles: f.roles },
        organization: { id: f.org },
        secrets: SECRETS,
        user,
      },
    };
  });

const phoneConfig = fc.constantFrom(
  undefined,
  { sources: ['app_metadata', 'profile'] },
  { sources: ['mfa'], mfaEndpoint: 'enrollments' },
  { sources: ['mfa', 'app_metadata', 'profile'] },
  false
);

function protoSnapshot() {
  return [Object.prototype, Array.prototype, Function.prototype].map((p) => Object.getOwnPropertyNames(p).join(','));
}

// ---- properties ----------------------------------------------------------------------------

describe('any event shape', () => {
  it('fc.anything() as the event: the handler resolves and only sets claims', async () => {
    const handler = lc.createPostLoginHandler(CONFIG, { fetch: fakeFetch({ token: 'network', lookup: 'network' }), logger: SILENT });
    await fc.assert(
      fc.asyncProperty(ANYTHING, async (event) => {
        const observed = observedApi();
        await handler(event, observed.api);
        assertOnlyClaimSetters(observed);
        assertPhoneClaims(observed.claims);
      }),
      { numRuns: 500 }
    );
  });

  it('objects keyed __proto__, constructor, toJSON, then, ...: no rejection, no prototype pollution', async () => {
    const before = protoSnapshot();
    const handler = lc.createPostLoginHandler(CONFIG, { fetch: fakeFetch({ token: 'network', lookup: 'network' }), logger: SILENT });
    await fc.assert(
      fc.asyncProperty(hostileObject, hostileObject, async (event, metadata) => {
        const observed = observedApi();
        await handler(event, observed.api);
        const withUser = { transaction: { requested_scopes: ['phone'] }, secrets: SECRETS, user: { user_id: 'auth0|1', app_metadata: metadata } };
        await handler(withUser, observed.api);
        assertOnlyClaimSetters(observed);
        assertPhoneClaims(observed.claims);
        assert.equal({}.polluted, undefined);
        assert.deepEqual(protoSnapshot(), before, 'a prototype gained a property');
      }),
      { numRuns: 300 }
    );
  });
});

describe('realistic events with random field types and a generated Management API', () => {
  it('the handler and the simulator set the same claims, and every promise holds', async () => {
    await fc.assert(
      fc.asyncProperty(realisticEvent, managementApi, phoneConfig, async ({ event, fields }, server, phone) => {
        const config = { ...CONFIG, phone };
        const fetch = fakeFetch(server);
        const observed = observedApi();
        _resetForTests();
        await lc.createPostLoginHandler(config, { fetch, logger: SILENT })(event, observed.api);
        assertOnlyClaimSetters(observed);
        assertPhoneClaims(observed.claims);
        assertWithinBudget(observed.claims);

        _resetForTests();
        const simulated = await lc.simulatePostLogin(event, config, { fetch, logger: SILENT });
        assert.ok(!simulated.trace.some((e) => e.reason === 'internal_error'), JSON.stringify(simulated.trace));
        assert.deepEqual({ idToken: simulated.idToken, accessToken: simulated.accessToken }, observed.claims, 'the trace changes no claim');

        const id = simulated.idToken;
        if (phone === false) assert.ok(!('phone_number' in id));
        // An empty list says nothing (Auth0 sends [] in the password and refresh-token flows).
        const decidingList = Array.isArray(fields.scopes) && fields.scopes.length > 0 && fields.scopes.every((s) => typeof s === 'string');
        if (decidingList && !fields.scopes.includes('phone')) {
          assert.ok(!('phone_number' in id), 'no phone scope, no phone claims');
        }
        if (id.phone_number_verified === true) {
          const vouched = fields.phoneVerified === true || fields.metadataVerified === true || simulated.managementApiCalls > 0;
          assert.ok(vouched, 'verified true only from a true flag or a confirmed enrollment');
        }
      }),
      { numRuns: 400 }
    );
  });

  it('over 100 KB of claims: each token stays within the budget, largest claims dropped first', async () => {
    const sizes = fc.array(fc.tuple(fc.integer({ min: 0, max: 60000 }), fc.constantFrom('x', 'é', '😀', '"', '\n')), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(sizes, sizes, async (idSizes, accessSizes) => {
        const metadata = {};
        const config = { idToken: {}, accessToken: {} };
        const add = (token, list) =>
          list.forEach(([size, char], i) => {
            metadata[`${token}${i}`] = char.repeat(size);
            config[token][`${NS}${token}/${i}`] = `user.app_metadata.${token}${i}`;
          });
        add('idToken', idSizes);
        add('accessToken', accessSizes);
        const event = { transaction: { requested_scopes: ['phone'] }, user: { user_id: 'sms|1', phone_number: '+14155550123', phone_verified: true, app_metadata: metadata } };
        const result = await lc.simulatePostLogin(event, config);
        assertWithinBudget(result);
        assert.equal(result.idToken.phone_number, '+14155550123', 'the phone claims are never dropped');
        for (const token of ['idToken', 'accessToken']) {
          const size = (name) => Buffer.byteLength(JSON.stringify({ [name]: metadata[config[token][name].split('.').pop()] })) - 2;
          const dropped = result.trace.filter((e) => e.token === token && e.reason === 'token_size_budget').map((e) => size(e.claim));
          const kept = Object.keys(result[token]).filter((name) => name in config[token]).map(size);
          if (dropped.length) assert.ok(Math.max(...kept, 0) <= Math.min(...dropped), `${token}: kept ${kept} dropped ${dropped}`);
        }
      }),
      { numRuns: 60 }
    );
  });
});
