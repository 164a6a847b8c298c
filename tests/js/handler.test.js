'use strict';
// The post-login handler end to end: the real package (repository or packed tarball), a
// recording fake of Auth0's `api`, and the sample tenant over real HTTP on 127.0.0.1. One test per
// rule a user relies on; each fails if its rule breaks.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { loadPackage, packageFile, root, kind } = require('./under-test.js');

const { startSampleTenant } = packageFile('js/tools/sample-tenant.js');
const { _resetForTests } = require('./lookup-client.js');

const CLIENT_ID = 'action-client';
const CLIENT_SECRET = 'action-secret-7f3a9c1e55d0';
const ROLES = 'https://my-app.example.com/roles';
const ORG = 'https://my-app.example.com/org_id';
const PLAN = 'https://my-app.example.com/plan';
const CONFIG = { accessToken: { [ROLES]: 'authorization.roles', [ORG]: 'organization.id', [PLAN]: 'user.app_metadata.plan' } };

let lc;
let tenant;
const logs = [];
const logger = { warn: (line) => logs.push(String(line)) };

function phoneMethod(id, number, channel = 'sms', enrolledAt = '2024-05-01T10:00:00.000Z') {
  return {
    id: `phone|${id}`, type: 'phone', confirmed: true, phone_number: number,
    preferred_authentication_method: channel,
    authentication_methods: [{ id: `${channel}|${id}`, type: channel }],
    created_at: enrolledAt, enrolled_at: enrolledAt,
  };
}

const USERS = {
  'auth0|mfa-sms': { authentication_methods: [phoneMethod('dev_1', '+14155550101'), { id: 'totp|dev_2', type: 'totp', confirmed: true }] },
  'auth0|mfa-voice': { authentication_methods: [phoneMethod('dev_3', '+447700900123', 'voice')] },
  'auth0|otp-only': { authentication_methods: [{ id: 'totp|dev_4', type: 'totp', confirmed: true }] },
};

function secrets(overrides = {}) {
  return { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET, ...overrides };
}

/** A realistic authorization-code login event. */
function loginEvent({ userId = 'auth0|mfa-sms', scopes = ['openid', 'profile', 'phone'], user = {}, extra = {} } = {}) {
  return {
    transaction: { protocol: 'oidc-basic-profile', requested_scopes: scopes },
    request: { ip: '203.0.113.7', hostname: 'tenant.example.com', method: 'GET', query: {}, body: {} },
    authorization: { roles: ['admin', 'billing'] },
    organization: { id: 'org_9aZ', name: 'acme', display_name: 'Acme' },
    client: { client_id: 'app_1', name: 'Web' },
    connection: { id: 'con_1', name: 'Username-Password-Authentication', strategy: 'auth0' },
    secrets: secrets(),
    user: { user_id: userId, email: 'u@example.com', app_metadata: { plan: 'pro' }, user_metadata: {}, enrolledFactors: [{ type: 'phone' }, { type: 'otp' }], ...user },
    ...extra,
  };
}

/** A recording fake of the Auth0 api object. */
function recordingApi({ cache } = {}) {
  const calls = [];
  const claims = { idToken: {}, accessToken: {} };
  const setter = (token) => ({
    setCustomClaim(name, value) {
      calls.push([token, name]);
      claims[token][name] = value;
    },
  });
  const entries = new Map();
  return {
    calls,
    claims,
    denied: [],
    idToken: setter('idToken'),
    accessToken: setter('accessToken'),
    access: { deny(reason) { this.owner.denied.push(reason); } },
    cache: cache || {
      get: (key) => entries.get(key),
      set: (key, value, options) => {
        entries.set(key, { value, expires_at: options.expires_at });
        return { type: 'success' };
      },
    },
    init() { this.access.owner = this; return this; },
  }.init();
}

/** A fetch that records every URL it is asked for. */
function recordingFetch() {
  const urls = [];
  const fetch = (url, init) => {
    urls.push(String(url));
    return globalThis.fetch(url, init);
  };
  return { fetch, urls };
}

before(async () => {
  lc = await loadPackage();
  tenant = await startSampleTenant({ users: USERS, clients: { [CLIENT_ID]: CLIENT_SECRET } });
});

after(async () => {
  await tenant.close();
  // Nothing logged by any test may carry a secret, a token or a full phone number.
  const text = logs.join('\n');
  assert.ok(!text.includes(CLIENT_SECRET), 'client secret in logs');
  assert.ok(!/Bearer|eyJ/.test(text), 'token in logs');
  assert.ok(!/\+?\d{7,}/.test(text.replace(/:\d{2,5}\b/g, '')), `phone number in logs: ${text}`);
});

beforeEach(() => {
  _resetForTests();
  tenant.resetRequests();
  tenant.clearFaults();
  tenant.setMaskNumbers(false);
});

describe('public API', () => {
  it('exports the same names through CommonJS and ESM', async () => {
    const names = ['createPostLoginHandler', 'simulatePostLogin', 'validateConfig', 'createMemoryCache'];
    for (const name of names) assert.equal(typeof lc[name], 'function', name);
    const esm = await import(require('node:url').pathToFileURL(require('node:path').join(root, 'js', 'action', 'index.mjs')).href);
    const cjs = require(root);
    for (const name of names) assert.equal(esm[name], cjs[name], `${name} is one function in both`);
  });

  it('throws CONFIG_INVALID with every issue, each naming the claim and the fix', () => {
    let thrown;
    try {
      lc.createPostLoginHandler({ idToken: { roles: 'authorization.roles', phone_number: 'user.app_metadata.p' }, accessToken: { email: 'user.email', 'https://x.auth0.com/a': 'user.email' } });
    } catch (error) {
      thrown = error;
    }
    assert.ok(thrown instanceof Error);
    assert.equal(thrown.code, 'CONFIG_INVALID');
    assert.deepEqual(thrown.issues.map((i) => i.code).sort(), ['duplicate_claim', 'reserved_namespace', 'restricted_claim', 'standard_claim_in_access_token']);
    for (const issue of thrown.issues) {
      assert.equal(typeof issue.claim, 'string');
      assert.ok(issue.fix.length > 10, issue.fix);
    }
  });

  it('refuses configurations that are not JSON data instead of dropping parts', () => {
    for (const bad of [{ accessToken: { x: () => 1 } }, { phone: Symbol('x') }, { idToken: { a: 1n } }]) {
      assert.throws(() => lc.createPostLoginHandler(bad), (e) => e.code === 'CONFIG_INVALID' && e.issues.length === 1);
    }
    const cyclic = {};
    cyclic.self = cyclic;
    assert.throws(() => lc.createPostLoginHandler(cyclic), { code: 'CONFIG_INVALID' });
  });

  it('says why a configuration string with a lone surrogate is not JSON, in the handler and in validateConfig', () => {
    const config = { idToken: { 'https://my-app.example.com/\ud800': 'user.app_metadata.plan' } };
    assert.throws(
      () => lc.createPostLoginHandler(config),
      (e) => e.code === 'CONFIG_INVALID' && e.issues.length === 1 && e.issues[0].code === 'not_an_object' && /lone UTF-16 surrogate/.test(e.message)
    );
    const report = lc.validateConfig(config);
    assert.equal(report.ok, false);
    assert.match(report.issues[0].message, /^the configuration is not valid JSON \(a string holds a lone UTF-16 surrogate\)$/);
  });

  it('refuses invalid options', () => {
    for (const options of [{ onError: 'ignore' }, { timeoutMs: 0 }, { deadlineMs: 'soon' }, { fetch: 'x' }, { retries: 3 }, 7]) {
      assert.throws(() => lc.createPostLoginHandler(undefined, options), { code: 'OPTIONS_INVALID' });
    }
  });

  it('validateConfig never throws and reports every problem', () => {
    const cyclic = {};
    cyclic.self = cyclic;
    for (const input of [undefined, null, {}, 7, 'x', [], cyclic, { a: () => 1 }, { phone: 1n }, new Proxy({}, { ownKeys() { throw new Error('trap'); } })]) {
      const result = lc.validateConfig(input);
      assert.equal(typeof result.ok, 'boolean');
      assert.ok(Array.isArray(result.issues));
      assert.equal(result.ok, result.issues.length === 0);
    }
    assert.deepEqual(lc.validateConfig(undefined), { ok: true, issues: [], managementApi: true });
    assert.equal(lc.validateConfig({ idToken: { sub: 'user.user_id', a: 'secrets.X', b: 'nope.x' } }).issues.length, 3);
  });
});

describe('claims of a login', () => {
  it('passwordless-SMS user: profile number with phone_verified mapped to phone_number_verified, no lookup', async () => {
    const { fetch, urls } = recordingFetch();
    const handler = lc.createPostLoginHandler(CONFIG, { fetch, logger });
    const api = recordingApi();
    await handler(loginEvent({ userId: 'sms|65f0aa', user: { phone_number: '+1 (415) 555-0199', phone_verified: true, enrolledFactors: undefined } }), api);
    assert.deepEqual(api.claims.idToken, { phone_number: '+14155550199', phone_number_verified: true });
    assert.deepEqual(api.claims.accessToken, { [ROLES]: ['admin', 'billing'], [ORG]: 'org_9aZ', [PLAN]: 'pro' });
    assert.deepEqual(urls, []);
  });

  it('MFA user enrolled in SMS and an authenticator app gets the SMS number, verified', async () => {
    const { fetch, urls } = recordingFetch();
    const result = await lc.simulatePostLogin(loginEvent(), CONFIG, { fetch, logger });
    assert.deepEqual(result.idToken, { phone_number: '+14155550101', phone_number_verified: true });
    assert.equal(result.managementApiCalls, 2, 'one token request and one lookup');
    assert.deepEqual(urls.map((u) => new URL(u).pathname), ['/oauth/token', '/api/v2/users/auth0%7Cmfa-sms/authentication-methods']);
  });

  it('sets claims only through api.idToken/accessToken.setCustomClaim', async () => {
    const api = recordingApi();
    await lc.createPostLoginHandler(CONFIG, { logger })(loginEvent(), api);
    assert.deepEqual(api.calls.map(([t, n]) => `${t}:${n}`).sort(), [
      `accessToken:${ORG}`, `accessToken:${PLAN}`, `accessToken:${ROLES}`, 'idToken:phone_number', 'idToken:phone_number_verified',
    ]);
  });

  it('no phone scope: no phone claims and no Management API call', async () => {
    const { fetch, urls } = recordingFetch();
    const result = await lc.simulatePostLogin(loginEvent({ scopes: ['openid', 'profile'] }), CONFIG, { fetch });
    assert.deepEqual(result.idToken, {});
    assert.equal(result.accessToken[ROLES].length, 2);
    assert.deepEqual(urls, []);
    assert.ok(result.trace.some((e) => e.claim === 'phone_number' && e.reason === 'scope_not_requested'));
  });

  it('refresh-token exchange: scope read from request.body', async () => {
    const event = loginEvent();
    delete event.transaction.requested_scopes;
    event.transaction.protocol = 'oauth2-refresh-token';
    event.request.body = { grant_type: 'refresh_token', scope: 'openid phone offline_access' };
    const result = await lc.simulatePostLogin(event, CONFIG);
    assert.equal(result.idToken.phone_number, '+14155550101');
  });

  it('enrolledFactors without a phone: no lookup, falls through to app_metadata (unverified)', async () => {
    const { fetch, urls } = recordingFetch();
    const event = loginEvent({ userId: 'auth0|otp-only', user: { enrolledFactors: [{ type: 'otp' }], app_metadata: { phone_number: '+33 6 12 34 56 78' } } });
    const result = await lc.simulatePostLogin(event, undefined, { fetch });
    assert.deepEqual(result.idToken, { phone_number: '+33612345678', phone_number_verified: false });
    assert.deepEqual(urls, []);
  });

  it('enrollments endpoint when configured', async () => {
    const { fetch, urls } = recordingFetch();
    const result = await lc.simulatePostLogin(loginEvent({ userId: 'auth0|mfa-voice' }), { phone: { mfaEndpoint: 'enrollments' } }, { fetch });
    assert.equal(result.idToken.phone_number, '+447700900123');
    assert.ok(urls.some((u) => u.endsWith('/enrollments')));
  });

  it('masked numbers are never emitted; the trace names the tenant flag', async () => {
    tenant.setMaskNumbers(true);
    const result = await lc.simulatePostLogin(loginEvent(), undefined, { logger });
    assert.deepEqual(result.idToken, {});
    const masked = result.trace.find((e) => e.reason === 'phone_masked');
    assert.ok(masked, JSON.stringify(result.trace));
    assert.match(masked.detail, /disable_management_api_sms_obfuscation/);
  });

  it('the trace never carries a full phone number', async () => {
    const result = await lc.simulatePostLogin(loginEvent(), CONFIG);
    const text = JSON.stringify(result.trace);
    assert.ok(!text.includes('4155550101'), text);
    assert.ok(text.includes('0101'));
  });
});

describe('Management API token', () => {
  it('one token request per cache lifetime, shared through api.cache across processes', async () => {
    const api = recordingApi();
    const handler = lc.createPostLoginHandler(undefined, { logger });
    await handler(loginEvent(), api);
    await handler(loginEvent({ userId: 'auth0|mfa-voice' }), api);
    _resetForTests(); // a new Action instance: module memory is gone, api.cache is not
    await handler(loginEvent(), api);
    const tokenRequests = tenant.requests.filter((r) => r.path === '/oauth/token');
    assert.equal(tokenRequests.length, 1);
    assert.equal(api.claims.idToken.phone_number, '+14155550101');
  });

  it('a revoked token is replaced once', async () => {
    const handler = lc.createPostLoginHandler(undefined, { logger });
    await handler(loginEvent(), recordingApi());
    tenant.revokeTokens();
    const api = recordingApi();
    await handler(loginEvent(), api);
    assert.equal(api.claims.idToken.phone_number, '+14155550101');
    assert.equal(tenant.requests.filter((r) => r.path === '/oauth/token').length, 2);
  });

  it('a static MANAGEMENT_API_TOKEN that is refused withholds the phone claims and keeps the rest', async () => {
    const event = loginEvent({ extra: { secrets: { AUTH0_DOMAIN: tenant.url, MANAGEMENT_API_TOKEN: 'static-token-that-expired' } } });
    const result = await lc.simulatePostLogin(event, CONFIG, { logger });
    assert.deepEqual(result.idToken, {});
    assert.equal(result.accessToken[ORG], 'org_9aZ');
    const failure = result.trace.find((e) => e.failure);
    assert.equal(failure.failure, 'mgmt_unauthorized');
  });

  it('api.cache that throws, is full or forgets does not matter', async () => {
    const caches = [
      { get() { throw new Error('boom'); }, set() { throw new Error('boom'); } },
      { get: () => undefined, set: () => ({ type: 'error', code: 'CACHE_FULL' }) },
      lc.createMemoryCache({ maxEntries: 0 }),
    ];
    for (const cache of caches) {
      _resetForTests();
      const api = recordingApi({ cache });
      await lc.createPostLoginHandler(undefined, { logger })(loginEvent(), api);
      assert.equal(api.claims.idToken.phone_number, '+14155550101');
    }
  });

  it('200 concurrent logins share one token request and each gets its own number', async () => {
    const users = {};
    for (let i = 0; i < 200; i++) users[`auth0|c${i}`] = { authentication_methods: [phoneMethod(`c${i}`, `+1415555${String(i).padStart(4, '0')}`)] };
    const crowd = await startSampleTenant({ users, clients: { [CLIENT_ID]: CLIENT_SECRET } });
    try {
      const handler = lc.createPostLoginHandler(undefined, { logger, deadlineMs: 15000, timeoutMs: 10000 });
      const apis = Array.from({ length: 200 }, () => recordingApi());
      await Promise.all(apis.map((api, i) => handler(loginEvent({ userId: `auth0|c${i}`, extra: { secrets: { AUTH0_DOMAIN: crowd.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET } } }), api)));
      apis.forEach((api, i) => assert.equal(api.claims.idToken.phone_number, `+1415555${String(i).padStart(4, '0')}`));
      assert.equal(crowd.requests.filter((r) => r.path === '/oauth/token').length, 1);
    } finally {
      await crowd.close();
    }
  });
});

describe('failures', () => {
  it('options.fetch carries every network call', async () => {
    let calls = 0;
    const fetch = () => {
      calls++;
      return Promise.reject(new TypeError('fetch failed'));
    };
    const result = await lc.simulatePostLogin(loginEvent(), CONFIG, { fetch, logger });
    assert.ok(calls >= 1);
    assert.equal(tenant.requests.length, 0, 'nothing reached the tenant around options.fetch');
    assert.equal(result.trace.find((e) => e.failure).failure, 'mgmt_network');
  });

  it('plain http to a non-loopback host is refused without sending a byte', async () => {
    const { fetch, urls } = recordingFetch();
    const event = loginEvent({ extra: { secrets: secrets({ AUTH0_DOMAIN: 'http://tenant.example.com' }) } });
    const result = await lc.simulatePostLogin(event, CONFIG, { fetch, logger });
    assert.deepEqual(urls, []);
    assert.equal(result.trace.find((e) => e.failure).failure, 'mgmt_domain_refused');
    assert.equal(result.accessToken[PLAN], 'pro');
  });

  it("onError 'continue': a failing Management API keeps the login and the other claims, one log line", async () => {
    tenant.failNext({ path: '/api/v2/', status: 503, times: 10 });
    const before = logs.length;
    const api = recordingApi();
    await lc.createPostLoginHandler(CONFIG, { logger })(loginEvent(), api);
    assert.deepEqual(api.claims.idToken, {});
    assert.equal(api.claims.accessToken[ROLES].length, 2);
    assert.deepEqual(api.denied, []);
    assert.equal(logs.length - before, 1);
    assert.match(logs[logs.length - 1], /mgmt_server_error/);
  });

  it("onError 'deny': the login is denied with a generic reason", async () => {
    tenant.failNext({ path: '/api/v2/', status: 500, times: 10 });
    const api = recordingApi();
    await lc.createPostLoginHandler(CONFIG, { logger, onError: 'deny' })(loginEvent(), api);
    assert.equal(api.denied.length, 1);
    assert.doesNotMatch(api.denied[0], /mgmt|500|token/i);
  });

  it('a slow Management API costs at most the deadline', async () => {
    tenant.failNext({ path: '/api/v2/', delayMs: 3000, times: 5 });
    const started = Date.now();
    const result = await lc.simulatePostLogin(loginEvent(), CONFIG, { logger, timeoutMs: 200, deadlineMs: 400 });
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    assert.equal(result.trace.find((e) => e.failure).failure, 'mgmt_timeout');
    assert.equal(result.accessToken[ORG], 'org_9aZ');
  });

  it('a boxed true (new Boolean(true)) does not verify a number: the flag must be the boolean true', async () => {
    const event = loginEvent({ userId: 'sms|1', user: { phone_number: '+14155550100', phone_verified: new Boolean(true), enrolledFactors: [] } });
    const result = await lc.simulatePostLogin(event, CONFIG);
    assert.deepEqual(result.idToken, { phone_number: '+14155550100', phone_number_verified: false });
  });

  it('an api whose setCustomClaim throws loses only that claim', async () => {
    const api = recordingApi();
    api.accessToken.setCustomClaim = (name, value) => {
      if (name === ROLES) throw new Error('nope');
      api.claims.accessToken[name] = value;
    };
    await lc.createPostLoginHandler(CONFIG, { logger })(loginEvent(), api);
    assert.deepEqual(Object.keys(api.claims.accessToken).sort(), [ORG, PLAN]);
    assert.equal(api.claims.idToken.phone_number, '+14155550101');
  });

  it('hostile events never reject the handler', async () => {
    const handler = lc.createPostLoginHandler(CONFIG, { logger, fetch: () => Promise.reject(new Error('offline')) });
    const deep = {};
    let cursor = deep;
    for (let i = 0; i < 10000; i++) cursor = cursor.next = {};
    const throwing = new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); }, getOwnPropertyDescriptor() { throw new Error('trap'); } });
    const events = [
      undefined, null, 7, 'event', [], {},
      { user: null, transaction: 'x', request: 5 },
      { user: throwing, transaction: { requested_scopes: ['phone'] } },
      loginEvent({ user: { app_metadata: { plan: deep } } }),
      loginEvent({ user: { app_metadata: JSON.parse('{"__proto__": {"polluted": true}, "plan": "x"}') } }),
      loginEvent({ user: { phone_number: 'x'.repeat(1 << 20), app_metadata: { plan: '\ud800' } } }),
      Object.freeze(loginEvent({ userId: 'sms|1', user: { phone_number: '+14155550100', phone_verified: 'yes' } })),
    ];
    const withGetter = loginEvent();
    Object.defineProperty(withGetter.user, 'phone_number', { get() { throw new Error('getter'); }, enumerable: true });
    events.push(withGetter);
    for (const event of events) {
      const api = recordingApi();
      await handler(event, api);
    }
    assert.equal({}.polluted, undefined);
    const frozen = await lc.simulatePostLogin(events[11], CONFIG);
    assert.deepEqual(frozen.idToken, { phone_number: '+14155550100', phone_number_verified: false });
    const unreadable = await lc.simulatePostLogin(events[12], undefined, { fetch: () => Promise.reject(new Error('offline')) });
    assert.ok(unreadable.trace.some((e) => e.reason === 'unreadable_value'), JSON.stringify(unreadable.trace));
  });
});

describe('loading', () => {
  // In a fresh process: the Action entry reads no file for the wasm and compiles it once, on
  // first use, not when the package is required.
  it('the inlined entry compiles the wasm lazily, once, without reading a .wasm file or loading unused modules', () => {
    const script = `
      const fs = require('node:fs');
      const read = [];
      for (const name of ['readFileSync', 'openSync', 'readFile']) {
        const original = fs[name];
        fs[name] = function (p, ...rest) { read.push(String(p)); return original.call(this, p, ...rest); };
      }
      let compiled = 0;
      const Original = WebAssembly.Module;
      WebAssembly.Module = new Proxy(Original, { construct(target, args) { compiled++; return Reflect.construct(target, args); } });
      const lc = require(${JSON.stringify(root)});
      const afterRequire = compiled;
      lc.createPostLoginHandler();
      lc.createPostLoginHandler({ accessToken: { 'https://a.example.com/x': 'user.user_id' } });
      const phoneMessagesLoaded = Object.keys(require.cache).some((file) => /phone-message|verify\.js$/.test(file));
      console.log(JSON.stringify({ afterRequire, compiled, wasmReads: read.filter((p) => p.endsWith('.wasm')), phoneMessagesLoaded }));
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    // A claims-only Action does not even parse the phone-message modules.
    assert.deepEqual(JSON.parse(run.stdout), { afterRequire: 0, compiled: 1, wasmReads: [], phoneMessagesLoaded: false });
  });
});
