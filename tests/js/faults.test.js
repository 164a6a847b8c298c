'use strict';
// Faults at the handler level: every Management API and api.cache fault the client handles
// (management.test.js proves the client's reason codes), driven through simulatePostLogin and
// createPostLoginHandler with the sample tenant over real HTTP. Each fault must leave the login
// resolved, the other claims set and the failure code in the trace. Then hostile events through
// the wasm boundary, each with the trace reason it must give, an `api` that throws, and 200
// concurrent logins of different kinds. Last, everything this file made the package log (the
// logger, console, the traces) is scanned for tokens, the client secret and phone numbers.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { loadPackage, packageFile } = require('./under-test.js');

const { startSampleTenant } = packageFile('js/tools/sample-tenant.js');
const { _resetForTests } = require('./lookup-client.js');

const CLIENT_ID = 'fault-client';
const CLIENT_SECRET = 'fault-secret-c0ffee-9b1d7e4a';
const ROLES = 'https://my-app.example.com/roles';
const ORG = 'https://my-app.example.com/org_id';
const PLAN = 'https://my-app.example.com/plan';
const SETTINGS = 'https://my-app.example.com/settings';
const CONFIG = {
  accessToken: { [ROLES]: 'authorization.roles', [ORG]: 'organization.id', [PLAN]: 'user.app_metadata.plan' },
  idToken: { [SETTINGS]: 'user.app_metadata.settings' },
};
const MFA_NUMBER = '+14155550101';
const PROFILE_NUMBER = '+14155550177';
const METADATA_NUMBER = '+33612345678';
const OTHER_CLAIMS = { [ROLES]: ['admin', 'billing'], [ORG]: 'org_9aZ', [PLAN]: 'pro' };

let lc;
let tenant;

// ---- capture of everything logged ------------------------------------------------------------

const captured = [];
// Every token the token endpoint issued, remembered by the fetch the tests hand the package.
const { fetch: recordingFetch, issuedTokens } = require('./recording-fetch.js').recordingFetch();
const loggerLines = [];
const logger = {
  warn: (line) => {
    loggerLines.push(String(line));
    captured.push(String(line));
  },
};
const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'];
const realConsole = {};

function captureConsole() {
  for (const name of CONSOLE_METHODS) {
    realConsole[name] = console[name];
    console[name] = (...args) => captured.push(args.map(String).join(' '));
  }
}

function releaseConsole() {
  for (const name of CONSOLE_METHODS) console[name] = realConsole[name];
}

/** Records what the package shows: its trace and its deny reason. */
function keep(result) {
  captured.push(JSON.stringify(result.trace), String(result.denied));
  return result;
}

/** Every secret the captured text must not hold, and what it was found in. */
function leaks(text) {
  const found = [];
  const secrets = [CLIENT_SECRET, ...issuedTokens];
  for (const secret of secrets) if (text.includes(secret)) found.push(`secret ${secret.slice(0, 4)}…`);
  if (/Bearer|eyJ/.test(text)) found.push('a bearer token');
  for (const number of [MFA_NUMBER, PROFILE_NUMBER, METADATA_NUMBER]) {
    if (text.includes(number.slice(2))) found.push(`phone number …${number.slice(-4)}`);
  }
  // Sizes and durations are the only long numbers the package may print.
  const scanned = text.replace(/\b\d+ (bytes|ms)\b/g, '');
  const run = /\d{7,}/.exec(scanned);
  if (run) found.push(`a run of ${run[0].length} digits after "${scanned.slice(Math.max(0, run.index - 60), run.index)}"`);
  return found;
}


// ---- fixtures ------------------------------------------------------------------------------

function phoneMethod(id, number, channel = 'sms') {
  return {
    id: `phone|${id}`, type: 'phone', confirmed: true, phone_number: number, preferred_authentication_method: channel,
    authentication_methods: [{ id: `${channel}|${id}`, type: channel }],
    created_at: '2024-05-01T10:00:00.000Z', enrolled_at: '2024-05-01T10:00:00.000Z',
  };
}

const USERS = {
  'auth0|mfa-sms': { authentication_methods: [phoneMethod('dev_1', MFA_NUMBER), { id: 'totp|dev_2', type: 'totp', confirmed: true }] },
  'auth0|otp-only': { authentication_methods: [{ id: 'totp|dev_3', type: 'totp', confirmed: true }] },
};

function secrets(overrides = {}) {
  return { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET, ...overrides };
}

function loginEvent({ userId = 'auth0|mfa-sms', user = {}, secretsOverride } = {}) {
  return {
    transaction: { protocol: 'oidc-basic-profile', requested_scopes: ['openid', 'profile', 'phone'] },
    request: { ip: '203.0.113.7', hostname: 'tenant.example.com', method: 'GET', query: {}, body: {} },
    authorization: { roles: ['admin', 'billing'] },
    organization: { id: 'org_9aZ', name: 'acme', display_name: 'Acme' },
    client: { client_id: 'app_1', name: 'Web' },
    secrets: secretsOverride || secrets(),
    user: {
      user_id: userId, email: 'u@example.com', app_metadata: { plan: 'pro' }, user_metadata: {},
      enrolledFactors: [{ type: 'phone' }, { type: 'otp' }], ...user,
    },
  };
}

function recordingApi(cache) {
  const api = {
    claims: { idToken: {}, accessToken: {} },
    calls: [],
    denied: [],
    cache: cache || packageCache(),
  };
  for (const token of ['idToken', 'accessToken']) {
    api[token] = {
      setCustomClaim(name, value) {
        api.calls.push(`${token}:${name}`);
        api.claims[token][name] = value;
      },
    };
  }
  api.access = { deny: (reason) => api.denied.push(reason) };
  return api;
}

function packageCache() {
  return lc.createMemoryCache();
}

function tokenRequests(server = tenant) {
  return server.requests.filter((r) => r.path === '/oauth/token').length;
}

before(async () => {
  lc = await loadPackage();
  tenant = await startSampleTenant({ users: USERS, clients: { [CLIENT_ID]: CLIENT_SECRET } });
  captureConsole();
});

after(async () => {
  releaseConsole();
  await tenant.close();
});

beforeEach(() => {
  _resetForTests();
  tenant.resetRequests();
  tenant.clearFaults();
  tenant.setMaskNumbers(false);
});

// ---- Management API faults -----------------------------------------------------------------

// Bodies that echo what a careless client might log: the secret and the user's number.
const ECHO = JSON.stringify({ statusCode: 0, message: `rejected ${CLIENT_SECRET} for ${MFA_NUMBER}` });

/**
 * Each fault: how to cause it, the failure code the trace must carry, and what the log line must
 * name. `options` are handler options; `event` overrides the login event.
 */
const FAULTS = [
  {
    name: 'connection refused',
    code: 'mgmt_network',
    async setup(ctx) {
      const closed = await startSampleTenant({ users: USERS, clients: { [CLIENT_ID]: CLIENT_SECRET } });
      await closed.close();
      ctx.event = loginEvent({ secretsOverride: secrets({ AUTH0_DOMAIN: closed.url }) });
    },
  },
  { name: 'reset mid-body of the lookup', code: 'mgmt_network', fault: { path: '/authentication-methods', destroy: true } },
  { name: 'reset mid-body of the token answer', code: 'mgmt_network', fault: { path: '/oauth/token', destroy: true } },
  {
    name: 'lookup stalls past the timeout',
    code: 'mgmt_timeout',
    fault: { path: '/authentication-methods', delayMs: 2000 },
    options: { timeoutMs: 150, deadlineMs: 1500 },
    maxMs: 1000,
  },
  {
    name: 'token endpoint stalls past the deadline',
    code: 'mgmt_timeout',
    fault: { path: '/oauth/token', delayMs: 2000 },
    options: { timeoutMs: 1000, deadlineMs: 250 },
    maxMs: 800,
  },
  {
    name: '401 to the fresh token as well',
    code: 'mgmt_unauthorized',
    fault: { path: '/authentication-methods', status: 401, body: ECHO, times: 2 },
    check: () => assert.equal(tokenRequests(), 2, 'exactly one new token'),
  },
  {
    name: '403: the token lacks read:authentication_methods',
    code: 'mgmt_forbidden',
    fault: { path: '/authentication-methods', status: 403, body: ECHO },
    logNames: 'read:authentication_methods',
  },
  {
    name: '403 on /enrollments: the token lacks read:users',
    code: 'mgmt_forbidden',
    config: { ...CONFIG, phone: { mfaEndpoint: 'enrollments' } },
    fault: { path: '/enrollments', status: 403, body: ECHO },
    logNames: 'read:users',
  },
  { name: '404: no such user', code: 'mgmt_user_not_found', event: () => loginEvent({ userId: 'auth0|nobody' }) },
  {
    name: '429 with retry-after past the deadline',
    code: 'mgmt_rate_limited',
    fault: { path: '/authentication-methods', status: 429, headers: { 'retry-after': '30' } },
    maxMs: 500,
  },
  {
    name: '429 with x-ratelimit-reset past the deadline',
    code: 'mgmt_rate_limited',
    fault: () => ({ path: '/authentication-methods', status: 429, headers: { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 60) } }),
    maxMs: 500,
  },
  { name: '429 without headers, twice', code: 'mgmt_rate_limited', fault: { path: '/authentication-methods', status: 429, times: 2 } },
  { name: '502 on every try', code: 'mgmt_server_error', fault: { path: '/authentication-methods', status: 502, body: ECHO, times: 3 } },
  { name: '500 from the token endpoint on every try', code: 'mgmt_token_failed', fault: { path: '/oauth/token', status: 500, body: ECHO, times: 3 } },
  { name: 'token endpoint answers an HTML page', code: 'mgmt_token_failed', fault: { path: '/oauth/token', contentType: 'text/html', body: `<h1>${MFA_NUMBER}</h1>` } },
  { name: 'token answer without access_token', code: 'mgmt_token_failed', fault: { path: '/oauth/token', body: '{"token_type":"Bearer"}' } },
  { name: 'malformed JSON', code: 'mgmt_bad_response', fault: { path: '/authentication-methods', body: `{"start":0, ${MFA_NUMBER}` } },
  {
    name: 'an HTML error page with status 200',
    code: 'mgmt_bad_response',
    fault: { path: '/authentication-methods', contentType: 'text/html; charset=utf-8', body: `<!doctype html><p>Service Unavailable ${CLIENT_SECRET}</p>` },
  },
  { name: 'wrong content type', code: 'mgmt_bad_response', fault: { path: '/authentication-methods', contentType: 'text/plain', body: '[]' } },
  // The transport hands a well-formed answer on; the engine says it is no list of methods.
  { name: 'JSON of the wrong shape', code: 'mfa_bad_response', fault: { path: '/authentication-methods', body: '{"users":[]}' } },
  { name: 'a list holding a non-object', code: 'mfa_bad_response', fault: { path: '/authentication-methods', body: '["x"]' } },
  { name: 'enrollments that are no list', code: 'mfa_bad_response', config: { ...CONFIG, phone: { mfaEndpoint: 'enrollments' } }, fault: { path: '/enrollments', body: '{"enrollments":[]}' } },
  {
    name: 'a 50 MB body',
    code: 'mgmt_response_too_large',
    fault: { path: '/authentication-methods', streamBytes: 50 * 1024 * 1024 },
    maxMs: 2000,
  },
  {
    name: 'pagination loop (the server ignores ?page=)',
    code: 'mgmt_bad_response',
    fault: {
      path: '/authentication-methods',
      times: 30,
      body: JSON.stringify({
        start: 0, limit: 50, total: 120,
        authenticators: Array.from({ length: 50 }, (_, i) => ({ id: `totp|loop_${i}`, type: 'totp', confirmed: true })),
      }),
    },
  },
];

async function causeFault(spec) {
  const ctx = { event: spec.event ? spec.event() : loginEvent() };
  if (spec.setup) await spec.setup(ctx);
  if (spec.fault) tenant.failNext(typeof spec.fault === 'function' ? spec.fault() : spec.fault);
  return ctx;
}

describe('Management API faults through the handler', () => {
  for (const spec of FAULTS) {
    it(`${spec.name}: resolves, keeps the other claims, traces ${spec.code}`, async () => {
      const ctx = await causeFault(spec);
      const before = loggerLines.length;
      const started = Date.now();
      const result = keep(await lc.simulatePostLogin(ctx.event, spec.config || CONFIG, { fetch: recordingFetch, logger, ...spec.options }));
      const elapsed = Date.now() - started;
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
      assert.deepEqual(result.idToken, {}, 'the phone claims are withheld');
      const failures = result.trace.filter((entry) => entry.failure !== undefined).map((entry) => entry.failure);
      assert.deepEqual(failures, [spec.code], JSON.stringify(result.trace));
      for (const claim of ['phone_number', 'phone_number_verified']) {
        assert.ok(result.trace.some((e) => e.claim === claim && e.reason === 'lookup_failed'), claim);
      }
      assert.equal(result.denied, undefined);
      const lines = loggerLines.slice(before);
      assert.equal(lines.length, 1, lines.join('\n'));
      assert.match(lines[0], new RegExp(spec.code));
      if (spec.logNames) assert.ok(lines[0].includes(spec.logNames), lines[0]);
      if (spec.maxMs) assert.ok(elapsed < spec.maxMs, `took ${elapsed} ms`);
      if (spec.check) spec.check();
    });
  }

  it("onError 'deny': every fault denies with the generic reason and still sets the other claims (console logging)", async () => {
    const reasons = new Set();
    for (const spec of FAULTS) {
      _resetForTests();
      tenant.clearFaults();
      const ctx = await causeFault(spec);
      const api = recordingApi();
      const before = captured.length;
      // No logger: the package logs through console, which this file captures.
      await lc.createPostLoginHandler(spec.config || CONFIG, { fetch: recordingFetch, onError: 'deny', ...spec.options })(ctx.event, api);
      assert.deepEqual(api.claims.accessToken, OTHER_CLAIMS, spec.name);
      assert.deepEqual(api.claims.idToken, {}, spec.name);
      assert.equal(api.denied.length, 1, spec.name);
      reasons.add(api.denied[0]);
      assert.ok(captured.slice(before).some((line) => line.includes(spec.code)), `${spec.name}: console line`);
    }
    assert.equal(reasons.size, 1, 'one generic reason, whatever the fault');
    assert.doesNotMatch([...reasons][0], /mgmt|http|token|\d{3}/i);
  });

  it('recovers without a failure: 429 with retry-after 0, one 503, and a revoked token', async () => {
    const faults = [
      { path: '/authentication-methods', status: 429, headers: { 'retry-after': '0' } },
      { path: '/authentication-methods', status: 503, body: ECHO },
      { path: '/authentication-methods', status: 401, body: ECHO },
    ];
    for (const fault of faults) {
      _resetForTests();
      tenant.failNext(fault);
      const result = keep(await lc.simulatePostLogin(loginEvent(), CONFIG, { fetch: recordingFetch, logger }));
      assert.deepEqual(result.idToken, { phone_number: MFA_NUMBER, phone_number_verified: true }, JSON.stringify(fault));
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
      assert.ok(!result.trace.some((entry) => entry.failure), JSON.stringify(result.trace));
    }
  });
});

// ---- api.cache faults ----------------------------------------------------------------------

describe('api.cache faults through the handler', () => {
  /** Two logins as two Action instances sharing one api.cache. */
  async function twoInstances(cache) {
    const results = [];
    for (let i = 0; i < 2; i++) {
      _resetForTests(); // a new instance: module memory gone, api.cache kept
      const api = recordingApi(cache);
      await lc.createPostLoginHandler(CONFIG, { fetch: recordingFetch, logger })(loginEvent(), api);
      results.push(api);
    }
    return results;
  }

  it('set answers an error: every login still gets its claims; each new instance asks for a token', async () => {
    const cache = { get: () => undefined, set: () => ({ type: 'error', code: 'INVALID_VALUE' }), delete: () => ({ type: 'error' }) };
    for (const api of await twoInstances(cache)) {
      assert.equal(api.claims.idToken.phone_number, MFA_NUMBER);
      assert.deepEqual(api.claims.accessToken, OTHER_CLAIMS);
    }
    assert.equal(tokenRequests(), 2);
  });

  it('entries vanish between get and the next instance: one more token request, nothing else', async () => {
    const entries = new Map();
    const cache = {
      get: (key) => entries.get(key),
      set: (key, value, options) => {
        entries.set(key, { value, expires_at: options.expires_at });
        entries.clear(); // best effort: gone right away
        return { type: 'success' };
      },
    };
    for (const api of await twoInstances(cache)) assert.equal(api.claims.idToken.phone_number, MFA_NUMBER);
    assert.equal(tokenRequests(), 2);
  });

  it('a revoked token left in api.cache by another instance: one 401, one new token, claims set', async () => {
    const cache = packageCache();
    await twoInstances(cache); // warms the cache
    tenant.revokeTokens();
    tenant.resetRequests();
    _resetForTests();
    const result = keep(await lc.simulatePostLogin(loginEvent(), CONFIG, { fetch: recordingFetch, logger, cache }));
    assert.equal(result.idToken.phone_number, MFA_NUMBER);
    assert.deepEqual(tenant.requests.map((r) => `${r.status} ${r.path.split('?')[0]}`), [
      '401 /api/v2/users/auth0%7Cmfa-sms/authentication-methods',
      '200 /oauth/token',
      '200 /api/v2/users/auth0%7Cmfa-sms/authentication-methods',
    ]);
  });

  it('get throws, returns junk, a rejecting promise or an expired entry: the token is requested, the login is whole', async () => {
    const caches = [
      { get() { throw new Error('cache down'); }, set() { throw new Error('cache down'); } },
      { get: () => ({ value: { token: 1 }, expires_at: 'soon' }), set: () => ({ type: 'success' }) },
      { get: () => Promise.reject(new Error('async cache')), set: () => Promise.reject(new Error('async cache')) },
      { get: () => ({ value: 'stale-token', expires_at: Date.now() - 1000 }), set: () => ({ type: 'success' }) },
      new Proxy({}, { get() { throw new Error('cache proxy'); } }),
    ];
    for (const cache of caches) {
      _resetForTests();
      tenant.resetRequests();
      const api = recordingApi(cache);
      await lc.createPostLoginHandler(CONFIG, { fetch: recordingFetch, logger })(loginEvent(), api);
      assert.equal(api.claims.idToken.phone_number, MFA_NUMBER);
      assert.equal(tokenRequests(), 1);
    }
  });
});

// ---- hostile events through the wasm boundary ----------------------------------------------

function deepObject(depth) {
  const root = {};
  let cursor = root;
  for (let i = 0; i < depth; i++) cursor = cursor.next = {};
  return root;
}

const throwingProxy = () =>
  new Proxy({}, {
    get() { throw new Error('trap'); },
    has() { throw new Error('trap'); },
    getOwnPropertyDescriptor() { throw new Error('trap'); },
    ownKeys() { throw new Error('trap'); },
  });

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) deepFreeze(value[key]);
    Object.freeze(value);
  }
  return value;
}

/** A phone-scoped event with no Management API reach, so only the event decides. */
function offlineEvent(user = {}, extra = {}) {
  const event = loginEvent({ userId: 'sms|1', user: { enrolledFactors: [{ type: 'otp' }], ...user } });
  return { ...event, ...extra };
}

function reasonOf(result, claim) {
  return result.trace.filter((e) => e.claim === claim).map((e) => e.reason);
}

const HOSTILE = [
  {
    name: 'no event at all, and an empty one',
    events: () => [undefined, null, {}, 7, 'event', []],
    expect(result) {
      assert.deepEqual(result.accessToken, {});
      assert.deepEqual(reasonOf(result, PLAN), ['missing_value']);
      assert.deepEqual(reasonOf(result, 'phone_number'), ['scope_not_requested']);
    },
  },
  {
    name: 'wrong types everywhere',
    events: () => [{ user: 'x', transaction: 5, request: [], authorization: 'admin', organization: 7, secrets: 1 }],
    expect(result) {
      assert.deepEqual(result.accessToken, {});
      assert.deepEqual(reasonOf(result, ROLES), ['missing_value']);
      assert.deepEqual(reasonOf(result, 'phone_number'), ['scope_not_requested']);
    },
  },
  {
    name: 'wrong types at the phone paths',
    events: () => [offlineEvent({ phone_number: 14155550177, phone_verified: 'true', user_id: { id: 1 }, app_metadata: { plan: 'pro', phone_number: ['+33612345678'] } })],
    expect(result) {
      assert.deepEqual(result.idToken, {});
      assert.deepEqual(reasonOf(result, 'phone_number'), ['phone_not_a_string', 'mfa_not_enrolled', 'phone_not_a_string', 'no_phone_number']);
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
    },
  },
  {
    name: '__proto__, constructor and prototype keys in metadata',
    events: () => [offlineEvent({
      app_metadata: JSON.parse('{"__proto__":{"plan":"evil","phone_number":"+14155550177"},"constructor":{"prototype":{"plan":"evil"}},"settings":{"__proto__":{"admin":true},"constructor":"c","prototype":1}}'),
    })],
    expect(result) {
      assert.deepEqual(reasonOf(result, PLAN), ['missing_value']);
      const settings = result.idToken[SETTINGS];
      assert.ok(Object.prototype.hasOwnProperty.call(settings, '__proto__'), 'kept as data');
      assert.equal(Object.getPrototypeOf(settings), Object.prototype);
      assert.equal(settings.admin, undefined);
      assert.equal({}.admin, undefined);
      assert.equal({}.plan, undefined);
      assert.ok(!('phone_number' in result.idToken), 'no number from a __proto__ key');
    },
  },
  {
    name: 'values inherited through a prototype are not read',
    events: () => [offlineEvent({ app_metadata: Object.create({ plan: 'inherited', settings: { a: 1 } }) })],
    expect(result) {
      assert.deepEqual(reasonOf(result, PLAN), ['missing_value']);
      assert.deepEqual(reasonOf(result, SETTINGS), ['missing_value']);
    },
  },
  {
    name: '1 MB strings',
    events: () => [offlineEvent({ phone_number: `+1${'5'.repeat(1 << 20)}`, app_metadata: { plan: 'x'.repeat(1 << 20), settings: 'ok' } })],
    expect(result) {
      assert.deepEqual(reasonOf(result, PLAN), ['token_size_budget']);
      assert.equal(reasonOf(result, 'phone_number')[0], 'phone_too_long');
      assert.equal(result.idToken[SETTINGS], 'ok');
      assert.equal(result.accessToken[ROLES].length, 2);
    },
  },
  {
    name: 'a 5 MB value, over the 4 MiB a slot may hold',
    events: () => [offlineEvent({ app_metadata: { plan: 'pro', settings: { blob: 'y'.repeat(5 << 20) } } })],
    expect(result) {
      assert.deepEqual(reasonOf(result, SETTINGS), ['unsupported_value']);
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
    },
  },
  {
    name: 'metadata nested 10,000 deep',
    events: () => [offlineEvent({ app_metadata: { plan: 'pro', settings: deepObject(10000) } })],
    expect(result) {
      assert.deepEqual(reasonOf(result, SETTINGS), ['unsupported_value']);
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
    },
  },
  {
    name: 'lone UTF-16 surrogates in values and keys',
    events: () => [offlineEvent({ phone_number: '+1415555\ud8000177', app_metadata: { plan: '\ud800', settings: { '\udc00': 1 } } })],
    expect(result) {
      assert.deepEqual(reasonOf(result, PLAN), ['unsupported_value']);
      assert.deepEqual(reasonOf(result, SETTINGS), ['unsupported_value']);
      assert.equal(reasonOf(result, 'phone_number')[0], 'unsupported_value');
      assert.equal(result.accessToken[ORG], 'org_9aZ');
    },
  },
  {
    name: 'getters that throw',
    events: () => [(() => {
      const event = offlineEvent({ phone_number: PROFILE_NUMBER });
      Object.defineProperty(event.user.app_metadata, 'plan', { get() { throw new Error('getter'); }, enumerable: true });
      Object.defineProperty(event.user, 'phone_verified', { get() { throw new Error('getter'); }, enumerable: true });
      return event;
    })()],
    expect(result) {
      assert.deepEqual(reasonOf(result, PLAN), ['unreadable_value']);
      // The number stays; a verified flag that cannot be read is not true.
      assert.deepEqual(result.idToken, { phone_number: PROFILE_NUMBER, phone_number_verified: false });
    },
  },
  (() => {
    let reads = 0;
    return {
      name: 'a getter above several paths, which throws: read once, and only the paths below it are lost',
      events: () => {
        reads = 0;
        const event = offlineEvent({ phone_number: PROFILE_NUMBER, phone_verified: true });
        Object.defineProperty(event.user, 'app_metadata', { get() { reads++; throw new Error('getter'); }, enumerable: true });
        return [event];
      },
      expect(result) {
        // Below it: the plan, the settings and the metadata's number (a source after the profile).
        assert.deepEqual(reasonOf(result, PLAN), ['unreadable_value']);
        assert.deepEqual(reasonOf(result, SETTINGS), ['unreadable_value']);
        assert.deepEqual(result.idToken, { phone_number: PROFILE_NUMBER, phone_number_verified: true });
        assert.deepEqual(result.accessToken, { [ROLES]: OTHER_CLAIMS[ROLES], [ORG]: OTHER_CLAIMS[ORG] });
        assert.equal(reads, 1, 'each property of the event is read once per login');
      },
    };
  })(),
  {
    name: 'Proxies that throw on every access',
    events: () => [offlineEvent({ app_metadata: throwingProxy() }, { organization: throwingProxy() }), throwingProxy()],
    expect(result, index) {
      if (index === 0) {
        assert.deepEqual(reasonOf(result, PLAN), ['unreadable_value']);
        assert.deepEqual(reasonOf(result, ORG), ['unreadable_value']);
        assert.ok(reasonOf(result, 'phone_number').includes('unreadable_value'));
        assert.deepEqual(result.accessToken, { [ROLES]: ['admin', 'billing'] });
      } else {
        assert.deepEqual(result.accessToken, {});
        assert.ok(result.trace.every((e) => e.reason === 'unreadable_value' || e.outcome === 'skipped'));
      }
    },
  },
  {
    name: 'values JSON cannot carry: functions, symbols, BigInts, cycles, a throwing toJSON',
    events: () => {
      const cyclic = { a: 1 };
      cyclic.self = cyclic;
      return [() => 1, Symbol('s'), 10n, { n: 10n }, cyclic, { toJSON() { throw new Error('toJSON'); } }].map((settings) =>
        offlineEvent({ app_metadata: { plan: 'pro', settings } }));
    },
    expect(result) {
      assert.deepEqual(reasonOf(result, SETTINGS), ['unsupported_value']);
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
    },
  },
  {
    name: 'a deep-frozen event',
    events: () => [deepFreeze(offlineEvent({ phone_number: PROFILE_NUMBER, phone_verified: true, app_metadata: { plan: 'pro', settings: { theme: 'dark' } } }))],
    expect(result) {
      assert.deepEqual(result.idToken, { phone_number: PROFILE_NUMBER, phone_number_verified: true, [SETTINGS]: { theme: 'dark' } });
      assert.deepEqual(result.accessToken, OTHER_CLAIMS);
    },
  },
];

describe('hostile events through the wasm boundary', () => {
  for (const spec of HOSTILE) {
    it(`${spec.name}: a trace reason, never a rejection`, async () => {
      for (const [index, event] of spec.events().entries()) {
        const result = keep(await lc.simulatePostLogin(event, CONFIG, { fetch: recordingFetch, logger }));
        assert.ok(!result.trace.some((e) => e.reason === 'internal_error'), JSON.stringify(result.trace));
        spec.expect(result, index);
      }
    });
  }

  it('one handler takes every hostile event in turn and then still decides a normal login exactly', async () => {
    const handler = lc.createPostLoginHandler(CONFIG, { fetch: recordingFetch, logger });
    for (const spec of HOSTILE) for (const event of spec.events()) await handler(event, recordingApi());
    const api = recordingApi();
    await handler(offlineEvent({ phone_number: PROFILE_NUMBER, phone_verified: true, app_metadata: { plan: 'pro', settings: [1, 'a'] } }), api);
    assert.deepEqual(api.claims.idToken, { phone_number: PROFILE_NUMBER, phone_number_verified: true, [SETTINGS]: [1, 'a'] });
    assert.deepEqual(api.claims.accessToken, OTHER_CLAIMS);
  });
});

describe('an api that throws', () => {
  it('every setCustomClaim throws: the login resolves, one log line per lost claim, no value logged', async () => {
    const api = recordingApi();
    for (const token of ['idToken', 'accessToken']) api[token].setCustomClaim = () => { throw new TypeError(`refused ${PROFILE_NUMBER}`); };
    const before = loggerLines.length;
    await lc.createPostLoginHandler(CONFIG, { logger })(offlineEvent({ phone_number: PROFILE_NUMBER, phone_verified: true, app_metadata: { plan: 'pro', settings: 's' } }), api);
    const lines = loggerLines.slice(before);
    assert.equal(lines.length, 6, lines.join('\n'));
    assert.ok(lines.every((line) => /setCustomClaim failed for one claim \(TypeError\)/.test(line)));
  });

  it('api missing, a Proxy that throws, tokens that are null, deny that throws: the login resolves', async () => {
    const event = offlineEvent({ phone_number: PROFILE_NUMBER });
    const apis = [
      undefined,
      null,
      throwingProxy(),
      { idToken: null, accessToken: 7, access: null },
      { idToken: throwingProxy(), accessToken: { get setCustomClaim() { throw new Error('getter'); } }, access: { deny() { throw new Error('deny'); } } },
      Object.freeze({ idToken: Object.freeze({ setCustomClaim() {} }), accessToken: Object.freeze({ setCustomClaim() {} }), access: Object.freeze({ deny() {} }) }),
    ];
    tenant.failNext({ path: '/authentication-methods', status: 500, times: 100 });
    for (const onError of ['continue', 'deny']) {
      const handler = lc.createPostLoginHandler(CONFIG, { logger, fetch: recordingFetch, onError });
      for (const api of apis) {
        await handler(event, api);
        await handler(loginEvent(), api); // with a failing lookup, so that deny is reached
      }
    }
  });
});

// ---- concurrency ---------------------------------------------------------------------------

describe('concurrency', () => {
  it('200 concurrent logins of four kinds share one token request; every claim lands on its own login', async () => {
    const users = {};
    const kinds = ['mfa', 'missing', 'profile', 'otp'];
    const number = (i) => `+1415556${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 200; i++) {
      if (kinds[i % 4] === 'mfa') users[`auth0|c${i}`] = { authentication_methods: [phoneMethod(`c${i}`, number(i))] };
      if (kinds[i % 4] === 'otp') users[`auth0|c${i}`] = { authentication_methods: [{ id: `totp|c${i}`, type: 'totp', confirmed: true }] };
    }
    const crowd = await startSampleTenant({ users, clients: { [CLIENT_ID]: CLIENT_SECRET }, latencyMs: 10 });
    try {
      const handler = lc.createPostLoginHandler(CONFIG, { fetch: recordingFetch, logger, deadlineMs: 15000, timeoutMs: 10000 });
      const crowdSecrets = { AUTH0_DOMAIN: crowd.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET };
      const eventFor = (i) => {
        const kind = kinds[i % 4];
        const user = { app_metadata: { plan: `plan-${i}`, settings: { n: i }, ...(kind === 'otp' ? { phone_number: number(i) } : {}) } };
        if (kind === 'profile') Object.assign(user, { phone_number: number(i), phone_verified: true, enrolledFactors: undefined });
        if (kind === 'otp') user.enrolledFactors = undefined; // forces the lookup, which finds no phone
        const event = loginEvent({ userId: kind === 'profile' ? `sms|c${i}` : `auth0|c${i}`, user, secretsOverride: crowdSecrets });
        event.organization = { id: `org_${i}` };
        event.authorization = { roles: [`role-${i}`] };
        return event;
      };
      // Half through the handler with its own api, half through the simulator: one module.
      const runs = Array.from({ length: 200 }, (_, i) => {
        if (i % 2 === 0) {
          const api = recordingApi();
          return handler(eventFor(i), api).then(() => ({ idToken: api.claims.idToken, accessToken: api.claims.accessToken }));
        }
        return lc.simulatePostLogin(eventFor(i), CONFIG, { fetch: recordingFetch, logger, deadlineMs: 15000, timeoutMs: 10000 }).then(keep);
      });
      const results = await Promise.all(runs);
      results.forEach((result, i) => {
        const kind = kinds[i % 4];
        assert.deepEqual(result.accessToken, { [ROLES]: [`role-${i}`], [ORG]: `org_${i}`, [PLAN]: `plan-${i}` }, `login ${i}`);
        const phone = {
          mfa: { phone_number: number(i), phone_number_verified: true },
          missing: {},
          profile: { phone_number: number(i), phone_number_verified: true },
          otp: { phone_number: number(i), phone_number_verified: false },
        }[kind];
        assert.deepEqual(result.idToken, { ...phone, [SETTINGS]: { n: i } }, `login ${i} (${kind})`);
        if (result.trace && kind === 'missing') {
          assert.equal(result.trace.find((e) => e.failure).failure, 'mgmt_user_not_found', `login ${i}`);
        }
      });
      assert.equal(tokenRequests(crowd), 1, 'one token request for all 200');
      assert.equal(crowd.requests.filter((r) => r.path.startsWith('/api/v2/')).length, 150, 'one lookup per login that needs one');
    } finally {
      await crowd.close();
    }
  });
});

// ---- nothing leaked ------------------------------------------------------------------------

describe('log output of the fault suites', () => {
  it('the leak scanner finds each kind of leak it looks for', () => {
    for (const planted of [`x ${CLIENT_SECRET} y`, 'Authorization: Bearer abc', `number ${MFA_NUMBER}`, 'tel 4155550177', 'id 123456789']) {
      assert.ok(leaks(planted).length > 0, planted);
    }
    assert.deepEqual(leaks('login-claims: phone lookup failed (mgmt_timeout): …0101 after 150 ms, 1048576 bytes'), []);
  });

  it('holds no token, client secret or full phone number', () => {
    assert.ok(issuedTokens.size >= 3, `only ${issuedTokens.size} tokens were issued: the scan would prove little`);
    assert.ok(captured.length > 100, `only ${captured.length} lines captured`);
    const text = captured.join('\n');
    assert.deepEqual(leaks(text), [], 'see the captured lines');
  });
});
