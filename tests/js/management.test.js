'use strict';
// Tests of js/management.js against js/sample-tenant.js over real HTTP on 127.0.0.1.
// Each test guards one rule of the client: if the rule broke, that test fails. Timeouts are
// small so the whole file stays fast; Auth0 facts used here come from shared/platform-facts.md.

const test = require('node:test');
const assert = require('node:assert/strict');
const { packageFile } = require('./under-test.js');
const { createManagementClient, MANAGEMENT_FAILURES, _resetForTests } = require('./lookup-client.js');
const { startSampleTenant } = packageFile('js/tools/sample-tenant.js');
const { recordingFetch } = require('./recording-fetch.js');

const { describe, it, beforeEach, afterEach, after } = test;

const CLIENT_ID = 'demo-client';
const CLIENT_SECRET = 'demo-secret-0123456789';
const PHONE = '+15551234567';

const unhandled = [];
process.on('unhandledRejection', (error) => unhandled.push(error));

let tenants = [];

beforeEach(() => {
  _resetForTests();
});

afterEach(async () => {
  await Promise.all(tenants.map((tenant) => tenant.close()));
  tenants = [];
});

async function startTenant(options = {}) {
  const tenant = await startSampleTenant({
    users: { 'auth0|alice': { authentication_methods: [phoneMethod(1, PHONE), totpMethod(2)] } },
    clients: { [CLIENT_ID]: CLIENT_SECRET },
    ...options,
  });
  tenants.push(tenant);
  return tenant;
}

function phoneMethod(n, number, extra = {}) {
  return {
    id: `phone|dev_${n}`,
    type: 'phone',
    confirmed: true,
    phone_number: number,
    preferred_authentication_method: 'sms',
    authentication_methods: [{ id: `sms|dev_${n}`, type: 'sms' }],
    created_at: '2024-05-01T10:00:00.000Z',
    enrolled_at: '2024-05-01T10:01:00.000Z',
    ...extra,
  };
}

function totpMethod(n) {
  return { id: `totp|dev_${n}`, type: 'totp', confirmed: true, created_at: '2024-05-02T10:00:00.000Z' };
}

function manyMethods(count) {
  return Array.from({ length: count }, (_, i) => (i % 2 ? totpMethod(i) : phoneMethod(i, `+1555000${String(i).padStart(4, '0')}`)));
}


// Behaves like api.cache (platform-facts.md): entries carry expires_at, keys are at most 64 bytes.
function memoryCache() {
  const entries = new Map();
  const log = [];
  return {
    entries,
    log,
    get(key) {
      log.push(['get', key]);
      return entries.get(key);
    },
    set(key, value, options) {
      log.push(['set', key, value, options]);
      if (Buffer.byteLength(key) > 64) return { type: 'error', code: 'KEY_TOO_LONG' };
      entries.set(key, { value, expires_at: options.expires_at });
      return { type: 'success' };
    },
    delete(key) {
      log.push(['delete', key]);
      entries.delete(key);
      return { type: 'success' };
    },
  };
}

function clientFor(tenant, overrides = {}) {
  const { secrets, ...rest } = overrides;
  return createManagementClient({
    secrets: secrets || {
      AUTH0_DOMAIN: tenant.url,
      MANAGEMENT_CLIENT_ID: CLIENT_ID,
      MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET,
    },
    fetch: globalThis.fetch,
    timeoutMs: 1000,
    deadline: Date.now() + 5000,
    ...rest,
  });
}

function tokenRequests(tenant) {
  return tenant.requests.filter((entry) => entry.path === '/oauth/token').length;
}

function apiRequests(tenant) {
  return tenant.requests.filter((entry) => entry.path.startsWith('/api/v2/')).length;
}

async function timed(promise) {
  const started = Date.now();
  const result = await promise;
  return { result, elapsed: Date.now() - started };
}

function assertFailure(result, reason) {
  assert.equal(result.ok, false, `expected ${reason}, got success`);
  assert.equal(result.reason, reason, `expected ${reason}, got ${result.reason}: ${result.detail}`);
  assert.equal(typeof result.detail, 'string');
  assert.ok(result.detail.length > 0 && result.detail.length < 300, 'detail is one short sentence');
  assert.ok(Object.prototype.hasOwnProperty.call(MANAGEMENT_FAILURES, result.reason));
}

async function tokenFrom(tenant) {
  const response = await fetch(`${tenant.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      audience: `${tenant.url}/api/v2/`,
    }),
  });
  return (await response.json()).access_token;
}

describe('configuration', () => {
  it('reports mgmt_not_configured without AUTH0_DOMAIN or credentials, sending nothing', async () => {
    const cases = [
      undefined,
      {},
      { MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' },
      { AUTH0_DOMAIN: '  ', MANAGEMENT_API_TOKEN: 'x' },
      { AUTH0_DOMAIN: 'tenant.eu.auth0.com' },
      { AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_CLIENT_ID: 'a' },
      { AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_CLIENT_SECRET: 'b' },
      { AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_API_TOKEN: 'has space' },
    ];
    for (const secrets of cases) {
      const recorder = recordingFetch();
      const client = createManagementClient({ secrets, fetch: recorder.fetch, timeoutMs: 500, deadline: Date.now() + 1000 });
      const result = await client.lookup('auth0|alice', 'authentication-methods');
      assertFailure(result, 'mgmt_not_configured');
      assert.equal(result.requests, 0);
      assert.equal(recorder.calls.length, 0, JSON.stringify(secrets));
    }
  });

  it('refuses http to non-loopback hosts and malformed domains without a single fetch call', async () => {
    const refused = [
      'http://tenant.eu.auth0.com',
      'http://10.0.0.1:4010',
      'http://192.168.1.10',
      'http://localhost.example.com',
      'http://127.0.0.1.nip.io',
      'http://[::ffff:127.0.0.1]',
      'ftp://tenant.eu.auth0.com',
      'https://tenant.eu.auth0.com/api/v2',
      'https://user:pw@tenant.eu.auth0.com',
      'https://tenant.eu.auth0.com?x=1',
      'https://tenant.eu.auth0.com#frag',
      'https://tenant.eu.auth0.com?',
      'tenant.eu.auth0.com/path',
      'tenant.eu.auth0.com?x',
      'user@tenant.eu.auth0.com',
      'tenant .eu.auth0.com',
      'ten\tant.eu.auth0.com',
      'tenant_eu.auth0.com',
      '-tenant.auth0.com',
      'https://',
      '//tenant.eu.auth0.com',
    ];
    for (const domain of refused) {
      const recorder = recordingFetch();
      const client = createManagementClient({
        secrets: { AUTH0_DOMAIN: domain, MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' },
        fetch: recorder.fetch,
        timeoutMs: 500,
        deadline: Date.now() + 1000,
      });
      const result = await client.lookup('auth0|alice', 'authentication-methods');
      assertFailure(result, 'mgmt_domain_refused');
      assert.equal(result.requests, 0, domain);
      assert.equal(recorder.calls.length, 0, domain);
    }
  });

  it('accepts host names, https origins and loopback http, with the matching audience', async () => {
    const cases = [
      ['tenant.eu.auth0.com', 'https://tenant.eu.auth0.com'],
      ['Tenant.EU.auth0.com', 'https://tenant.eu.auth0.com'],
      ['https://login.example.com', 'https://login.example.com'],
      ['https://login.example.com/', 'https://login.example.com'],
      ['https://tenant.auth0.com:443', 'https://tenant.auth0.com'],
      ['tenant.auth0.com:8443', 'https://tenant.auth0.com:8443'],
      ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
      ['http://127.1:4010', 'http://127.0.0.1:4010'],
      ['http://localhost:4010', 'http://localhost:4010'],
      ['http://[::1]:4010', 'http://[::1]:4010'],
    ];
    for (const [domain, origin] of cases) {
      _resetForTests();
      const calls = [];
      const fakeFetch = async (url, init) => {
        calls.push({ url, init });
        if (url.endsWith('/oauth/token')) {
          return Response.json({ access_token: 'tok', expires_in: 86400, token_type: 'Bearer' });
        }
        return Response.json({ start: 0, limit: 50, total: 0, authenticators: [] });
      };
      const client = createManagementClient({
        secrets: { AUTH0_DOMAIN: domain, MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' },
        fetch: fakeFetch,
        timeoutMs: 500,
        deadline: Date.now() + 1000,
      });
      const result = await client.lookup('auth0|alice', 'authentication-methods');
      assert.deepEqual(result, { ok: true, methods: [], requests: 2 }, domain);
      assert.equal(calls[0].url, `${origin}/oauth/token`);
      assert.equal(JSON.parse(calls[0].init.body).audience, `${origin}/api/v2/`);
      assert.equal(calls[1].url, `${origin}/api/v2/users/auth0%7Calice/authentication-methods?page=0&per_page=50&include_totals=true`);
      assert.equal(calls[1].init.headers.authorization, 'Bearer tok');
      assert.equal(calls[1].init.headers.accept, 'application/json');
    }
  });

  it('throws a TypeError for malformed options, which are caller bugs', () => {
    const good = { fetch: globalThis.fetch, timeoutMs: 100, deadline: Date.now() + 100 };
    for (const bad of [{ fetch: undefined }, { timeoutMs: 0 }, { timeoutMs: '100' }, { deadline: undefined }, { deadline: Infinity }, { deadline: NaN }, { now: 5 }]) {
      assert.throws(() => createManagementClient({ ...good, ...bad }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
    }
  });

  it('rejects an unknown endpoint or an empty user id without a request', async () => {
    const tenant = await startTenant();
    const client = clientFor(tenant);
    assertFailure(await client.lookup('auth0|alice', 'users'), 'mgmt_not_configured');
    assertFailure(await client.lookup('', 'enrollments'), 'mgmt_user_not_found');
    assert.equal(tenant.requests.length, 0);
  });
});

describe('tokens', () => {
  it('uses one client-credentials token for many lookups in one process', async () => {
    const tenant = await startTenant();
    const recorder = recordingFetch();
    const first = await clientFor(tenant, { fetch: recorder.fetch }).lookup('auth0|alice', 'authentication-methods');
    assert.equal(first.ok, true);
    assert.equal(first.requests, 2);
    assert.deepEqual(first.methods.map((item) => item.id), ['phone|dev_1', 'totp|dev_2']);
    const token = JSON.parse(recorder.calls[0].body);
    assert.deepEqual(token, {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      audience: `${tenant.url}/api/v2/`,
    });
    for (let i = 0; i < 5; i += 1) {
      const again = await clientFor(tenant).lookup('auth0|alice', i % 2 ? 'enrollments' : 'authentication-methods');
      assert.equal(again.ok, true);
      assert.equal(again.requests, 1);
    }
    assert.equal(tokenRequests(tenant), 1);
  });

  it('a new process finds the token in api.cache, under a short key with an early expiry', async () => {
    const tenant = await startTenant();
    const cache = memoryCache();
    const before = Date.now();
    assert.equal((await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments')).ok, true);
    const sets = cache.log.filter(([op]) => op === 'set');
    assert.equal(sets.length, 1);
    const [, key, , options] = sets[0];
    assert.ok(key.startsWith('lc:mgmt-token:'), key);
    assert.ok(Buffer.byteLength(key) <= 64);
    assert.ok(!key.includes(CLIENT_ID) && !key.includes('127.0.0.1'), 'the key does not spell out its inputs');
    // expires_in 86400: 10 % (8640 s) is more than 60 s, so the entry ends at 0.9 * 24 h.
    const expected = before + 86400 * 0.9 * 1000;
    assert.ok(Math.abs(options.expires_at - expected) < 5000, `${options.expires_at} vs ${expected}`);

    _resetForTests(); // a fresh Action instance: module memory is gone, api.cache is not
    const result = await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments');
    assert.equal(result.ok, true);
    assert.equal(result.requests, 1);
    assert.equal(tokenRequests(tenant), 1);

    // The memory copy is consulted first: a third lookup does not even ask api.cache.
    const reads = cache.log.filter(([op]) => op === 'get').length;
    assert.equal((await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments')).requests, 1);
    assert.equal(cache.log.filter(([op]) => op === 'get').length, reads);
  });

  it('keeps a margin of max(10 %, 60 s) before expiry and never caches a token that short', async () => {
    const tenant = await startTenant({ tokenTtlSeconds: 100 });
    const cache = memoryCache();
    const before = Date.now();
    await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments');
    const [, , , options] = cache.log.find(([op]) => op === 'set');
    assert.ok(Math.abs(options.expires_at - (before + 40000)) < 3000, 'expires_in 100 s minus 60 s');

    const shortTenant = await startTenant({ tokenTtlSeconds: 50 });
    const shortCache = memoryCache();
    await clientFor(shortTenant, { cache: shortCache }).lookup('auth0|alice', 'enrollments');
    await clientFor(shortTenant, { cache: shortCache }).lookup('auth0|alice', 'enrollments');
    assert.equal(shortCache.log.filter(([op]) => op === 'set').length, 0);
    assert.equal(tokenRequests(shortTenant), 2, 'a token usable for less than its margin is not reused');
  });

  it('ignores an expired api.cache entry', async () => {
    const tenant = await startTenant();
    const cache = memoryCache();
    await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments');
    const [key] = cache.entries.keys();
    cache.entries.set(key, { value: cache.entries.get(key).value, expires_at: Date.now() - 1 });
    _resetForTests();
    assert.equal((await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments')).requests, 2);
    assert.equal(tokenRequests(tenant), 2);
  });

  it('after a 401 drops the cached token and fetches a new one once', async () => {
    const tenant = await startTenant();
    const cache = memoryCache();
    await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments');
    const [key] = cache.entries.keys();
    const oldToken = cache.entries.get(key).value;
    tenant.revokeTokens();
    tenant.resetRequests();

    const result = await clientFor(tenant, { cache }).lookup('auth0|alice', 'authentication-methods');
    assert.equal(result.ok, true, result.detail);
    assert.equal(result.requests, 3);
    assert.deepEqual(
      tenant.requests.map((entry) => entry.status),
      [401, 200, 200]
    );
    assert.ok(cache.log.some(([op, k]) => op === 'delete' && k === key));
    assert.notEqual(cache.entries.get(key).value, oldToken);
    // The fresh token is now in memory: the next lookup needs no token request.
    assert.equal((await clientFor(tenant, { cache }).lookup('auth0|alice', 'enrollments')).requests, 1);
  });

  it('reports mgmt_unauthorized when even the fresh token gets 401', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 401, body: '{"statusCode":401}', times: 5 });
    const result = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assertFailure(result, 'mgmt_unauthorized');
    assert.equal(tokenRequests(tenant), 2, 'exactly one refresh');
    assert.equal(apiRequests(tenant), 2, 'exactly one retry of the lookup');
    assert.equal(result.requests, 4);
  });

  it('uses MANAGEMENT_API_TOKEN only without client credentials, and explains its 24 h expiry', async () => {
    const tenant = await startTenant();
    const staticToken = await tokenFrom(tenant);
    tenant.resetRequests();
    const secrets = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_API_TOKEN: staticToken };
    const result = await clientFor(tenant, { secrets }).lookup('auth0|alice', 'enrollments');
    assert.equal(result.ok, true);
    assert.equal(result.requests, 1);
    assert.equal(tokenRequests(tenant), 0);
    assert.equal(result.methods[0].phone_number, PHONE);

    // Both present: client credentials win, so a dead static token does not matter.
    const both = { ...secrets, MANAGEMENT_API_TOKEN: 'stale', MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET };
    assert.equal((await clientFor(tenant, { secrets: both }).lookup('auth0|alice', 'enrollments')).ok, true);
    assert.equal(tokenRequests(tenant), 1);

    tenant.revokeTokens();
    tenant.resetRequests();
    const expired = await clientFor(tenant, { secrets }).lookup('auth0|alice', 'enrollments');
    assertFailure(expired, 'mgmt_unauthorized');
    assert.match(expired.detail, /24 h/);
    assert.equal(expired.requests, 1, 'a static token cannot be refreshed');
    assert.equal(tokenRequests(tenant), 0);
  });

  it('reports mgmt_token_failed for refused credentials and unusable token answers', async () => {
    const tenant = await startTenant();
    const wrongSecret = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: 'nope' };
    const refused = await clientFor(tenant, { secrets: wrongSecret }).lookup('auth0|alice', 'enrollments');
    assertFailure(refused, 'mgmt_token_failed');
    assert.match(refused.detail, /401/);
    assert.equal(refused.requests, 1, 'a 401 from the token endpoint is not retried');

    const faults = [
      { status: 500, times: 3 },
      { status: 200, body: '<html>oops</html>', contentType: 'text/html' },
      { status: 200, body: '{"token_type":"Bearer"}' },
      { status: 200, body: '{"access_token":"a b"}' },
      { status: 200, body: '{"access_token":"abc","token_type":"mac"}' },
      { status: 429, headers: { 'retry-after': '60' } },
    ];
    for (const fault of faults) {
      _resetForTests();
      tenant.failNext({ path: '/oauth/token', ...fault });
      const result = await clientFor(tenant).lookup('auth0|alice', 'enrollments');
      assertFailure(result, 'mgmt_token_failed');
      assert.equal(apiRequests(tenant), 0, 'no lookup without a token');
    }
  });

  it('works when api.cache throws, answers errors, loses entries or holds junk', async () => {
    const tenant = await startTenant();
    const caches = {
      throwing: { get() { throw new Error('boom'); }, set() { throw new Error('boom'); }, delete() { throw new Error('boom'); } },
      erroring: { get: () => undefined, set: () => ({ type: 'error', code: 'CACHE_FULL' }) },
      forgetful: { get: () => undefined, set: () => ({ type: 'success' }) },
      junk: { get: () => ({ value: 42, expires_at: Date.now() + 60000 }), set: () => ({ type: 'success' }) },
      emptyString: { get: () => ({ value: '', expires_at: Date.now() + 60000 }), set: () => ({ type: 'success' }) },
      notAnObject: { get: () => 'token', set: () => ({ type: 'success' }) },
      asyncRejecting: { get: () => Promise.reject(new Error('async')), set: () => Promise.reject(new Error('async')) },
      wrongShape: 'not a cache',
    };
    for (const [name, cache] of Object.entries(caches)) {
      _resetForTests();
      tenant.resetRequests();
      const result = await clientFor(tenant, { cache }).lookup('auth0|alice', 'authentication-methods');
      assert.equal(result.ok, true, `${name}: ${result.detail}`);
      assert.equal(tokenRequests(tenant), 1, name);
    }
  });

  it('200 concurrent lookups share exactly one token request', async () => {
    const tenant = await startTenant({ latencyMs: 20 });
    const cache = memoryCache();
    const results = await Promise.all(
      Array.from({ length: 200 }, () => clientFor(tenant, { cache, timeoutMs: 4000, deadline: Date.now() + 8000 }).lookup('auth0|alice', 'enrollments'))
    );
    assert.ok(results.every((result) => result.ok), JSON.stringify(results.find((result) => !result.ok)));
    assert.equal(tokenRequests(tenant), 1);
    assert.equal(results.reduce((sum, result) => sum + result.requests, 0), 201, 'the token request is counted once');
  });
});

describe('reading', () => {
  it('follows pages: 120 methods arrive in 3 pages, merged in order', async () => {
    const methods = manyMethods(120);
    const tenant = await startTenant({ users: { 'auth0|many': { authentication_methods: methods } } });
    const result = await clientFor(tenant).lookup('auth0|many', 'authentication-methods');
    assert.equal(result.ok, true, result.detail);
    assert.deepEqual(result.methods.map((item) => item.id), methods.map((item) => item.id));
    assert.equal(result.requests, 4);
    assert.deepEqual(
      tenant.requests.filter((entry) => entry.path.includes('/authentication-methods')).map((entry) => new URL(entry.path, tenant.url).searchParams.get('page')),
      ['0', '1', '2']
    );
  });

  it('stops a pagination loop (a server that ignores ?page=) with mgmt_bad_response', async () => {
    const tenant = await startTenant();
    const page = { start: 0, limit: 50, total: 120, authenticators: manyMethods(50) };
    tenant.failNext({ path: '/authentication-methods', body: JSON.stringify(page), times: 30 });
    const result = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assertFailure(result, 'mgmt_bad_response');
    assert.match(result.detail, /loop/);
    assert.equal(apiRequests(tenant), 2);

    // Same with bare arrays, which carry no start/total: a repeated page is caught by its ids.
    _resetForTests();
    tenant.resetRequests();
    tenant.failNext({ path: '/authentication-methods', body: JSON.stringify(manyMethods(50)), times: 30 });
    const bare = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assertFailure(bare, 'mgmt_bad_response');
    assert.equal(apiRequests(tenant), 2);
  });

  it('stops after 20 pages with mgmt_bad_response', async () => {
    const tenant = await startTenant({ users: { 'auth0|huge': { authentication_methods: manyMethods(1100) } } });
    const result = await clientFor(tenant).lookup('auth0|huge', 'authentication-methods');
    assertFailure(result, 'mgmt_bad_response');
    assert.match(result.detail, /20 pages/);
    assert.equal(apiRequests(tenant), 20);
  });

  it('accepts a bare array page, and hands on items that are not objects for the engine to judge', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/authentication-methods', body: JSON.stringify([phoneMethod(9, PHONE)]) });
    const bare = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assert.equal(bare.ok, true, bare.detail);
    assert.deepEqual(bare.methods.map((item) => item.id), ['phone|dev_9']);

    // Whether the list is usable is decided once, by the engine (mfa_bad_response, faults.test.js).
    tenant.failNext({ path: '/authentication-methods', body: '{"start":0,"limit":50,"total":1,"authenticators":["x"]}' });
    const odd = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assert.deepEqual(odd, { ok: true, methods: ['x'], requests: 1 });
  });

  it('reads enrollments as one bare array: the first confirmed phone, masked when the tenant masks', async () => {
    const tenant = await startTenant({
      users: {
        'auth0|bob': {
          authentication_methods: [
            totpMethod(1),
            phoneMethod(2, '+15550000002', { confirmed: false }),
            phoneMethod(3, '+15559998888'),
            phoneMethod(4, '+15557776666'),
          ],
        },
      },
    });
    const plain = await clientFor(tenant).lookup('auth0|bob', 'enrollments');
    assert.equal(plain.ok, true);
    assert.deepEqual(plain.methods, [
      {
        id: 'sms|dev_3',
        status: 'confirmed',
        type: 'sms',
        phone_number: '+15559998888',
        auth_method: 'sms',
        enrolled_at: '2024-05-01T10:01:00.000Z',
      },
    ]);
    tenant.setMaskNumbers(true);
    const masked = await clientFor(tenant).lookup('auth0|bob', 'enrollments');
    assert.equal(masked.methods[0].phone_number, 'XXXXXXXX8888');
    const methods = await clientFor(tenant).lookup('auth0|bob', 'authentication-methods');
    assert.ok(methods.methods.filter((item) => item.type === 'phone').every((item) => item.phone_number.startsWith('XXXXXXXX')));

    // An answer of another shape is handed on as it came (the engine calls it mfa_bad_response).
    tenant.failNext({ path: '/enrollments', body: '{"enrollments":[]}' });
    const odd = await clientFor(tenant).lookup('auth0|bob', 'enrollments');
    assert.deepEqual(odd.methods, { enrollments: [] });
  });

  it('names the missing scope on 403 for each endpoint', async () => {
    const tenant = await startTenant();
    const body = '{"statusCode":403,"error":"Forbidden","message":"Insufficient scope"}';
    tenant.failNext({ path: '/authentication-methods', status: 403, body });
    const methods = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assertFailure(methods, 'mgmt_forbidden');
    assert.match(methods.detail, /read:authentication_methods/);
    tenant.failNext({ path: '/enrollments', status: 403, body });
    const enrollments = await clientFor(tenant).lookup('auth0|alice', 'enrollments');
    assertFailure(enrollments, 'mgmt_forbidden');
    assert.match(enrollments.detail, /read:users/);
    assert.equal(apiRequests(tenant), 2, '403 is not retried');
  });

  it('reports mgmt_user_not_found for an unknown user (Auth0 404 body)', async () => {
    const tenant = await startTenant();
    const recorder = recordingFetch();
    const result = await clientFor(tenant, { fetch: recorder.fetch }).lookup('auth0|nobody', 'authentication-methods');
    assertFailure(result, 'mgmt_user_not_found');
    const response = await fetch(`${tenant.url}/api/v2/users/auth0%7Cnobody/enrollments`, {
      headers: { authorization: `Bearer ${[...recorder.issuedTokens][0]}` },
    });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), {
      statusCode: 404,
      error: 'Not Found',
      message: 'The user does not exist.',
      errorCode: 'inexistent_user',
    });
  });

  it('encodes the user id into the path', async () => {
    const tenant = await startTenant({ users: { 'sms|+1/555?#': { authentication_methods: [totpMethod(1)] } } });
    const result = await clientFor(tenant).lookup('sms|+1/555?#', 'authentication-methods');
    assert.equal(result.ok, true, result.detail);
    assert.ok(tenant.requests.some((entry) => entry.path.startsWith('/api/v2/users/sms%7C%2B1%2F555%3F%23/')));
  });

  it('rejects HTML pages, other content types, malformed JSON and redirects with mgmt_bad_response', async () => {
    const tenant = await startTenant();
    const faults = [
      { status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><h1>Service Unavailable</h1>' },
      { status: 200, contentType: 'text/plain', body: '{"start":0,"limit":50,"total":0,"authenticators":[]}' },
      { status: 200, contentType: '', body: '[]' },
      { status: 200, contentType: 'application/json', body: '{"start":0,' },
      { status: 200, contentType: 'application/json', body: '' },
      // Followed, this redirect would succeed (it points at the real page on the same tenant).
      { status: 302, headers: { location: `${tenant.url}/api/v2/users/auth0%7Calice/authentication-methods?page=0&per_page=50&include_totals=true` }, body: '' },
      { status: 400, body: '{"statusCode":400}' },
    ];
    for (const fault of faults) {
      tenant.resetRequests();
      tenant.failNext({ path: '/authentication-methods', ...fault });
      const result = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
      assertFailure(result, 'mgmt_bad_response');
      assert.equal(apiRequests(tenant), 1, JSON.stringify(fault));
    }
  });
});

describe('rate limits and retries', () => {
  it('honours retry-after in seconds and as an HTTP date', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 429, headers: { 'retry-after': '1' } });
    const seconds = await timed(clientFor(tenant).lookup('auth0|alice', 'enrollments'));
    assert.equal(seconds.result.ok, true, seconds.result.detail);
    assert.ok(seconds.elapsed >= 950, `waited ${seconds.elapsed} ms`);
    assert.equal(seconds.result.requests, 3);

    const at = new Date(Date.now() + 1500).toUTCString(); // whole seconds: waits 0.5 to 1.5 s
    tenant.failNext({ path: '/api/v2/', status: 429, headers: { 'retry-after': at } });
    const date = await timed(clientFor(tenant).lookup('auth0|alice', 'enrollments'));
    assert.equal(date.result.ok, true, date.result.detail);
    assert.ok(date.elapsed >= 400, `waited ${date.elapsed} ms`);
  });

  it('honours x-ratelimit-reset (Unix seconds)', async () => {
    const tenant = await startTenant();
    const reset = Math.ceil(Date.now() / 1000) + 1;
    tenant.failNext({ path: '/api/v2/', status: 429, headers: { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    const { result, elapsed } = await timed(clientFor(tenant).lookup('auth0|alice', 'enrollments'));
    assert.equal(result.ok, true, result.detail);
    const secondTry = tenant.requests.filter((entry) => entry.path.startsWith('/api/v2/'))[1];
    assert.equal(secondTry.status, 200);
    assert.ok(Date.now() >= reset * 1000 - 20, 'retried only after the reset');
    assert.ok(elapsed >= 900, `waited ${elapsed} ms`);
  });

  it('gives up at once with mgmt_rate_limited when the wait would pass the deadline', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 429, headers: { 'retry-after': '5' } });
    const told = await timed(clientFor(tenant, { deadline: Date.now() + 1500 }).lookup('auth0|alice', 'enrollments'));
    assertFailure(told.result, 'mgmt_rate_limited');
    assert.ok(told.elapsed < 300, `gave up after ${told.elapsed} ms`);
    assert.equal(apiRequests(tenant), 1);

    tenant.failNext({ path: '/api/v2/', status: 429, headers: { 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 30) } });
    const reset = await timed(clientFor(tenant, { deadline: Date.now() + 1500 }).lookup('auth0|alice', 'enrollments'));
    assertFailure(reset.result, 'mgmt_rate_limited');
    assert.ok(reset.elapsed < 300);
  });

  it('retries a 429 at most twice', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 429, headers: { 'retry-after': '0' }, times: 3 });
    const result = await clientFor(tenant).lookup('auth0|alice', 'enrollments');
    assertFailure(result, 'mgmt_rate_limited');
    assert.equal(apiRequests(tenant), 3);
  });

  it('without rate-limit headers backs off once (~250 ms) and retries once', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 429 });
    const once = await timed(clientFor(tenant).lookup('auth0|alice', 'enrollments'));
    assert.equal(once.result.ok, true, once.result.detail);
    assert.ok(once.elapsed >= 240, `waited ${once.elapsed} ms`);

    tenant.resetRequests();
    tenant.failNext({ path: '/api/v2/', status: 429, times: 2 });
    const twice = await clientFor(tenant).lookup('auth0|alice', 'enrollments');
    assertFailure(twice, 'mgmt_rate_limited');
    assert.equal(apiRequests(tenant), 2);
  });

  it("lives with the sample tenant's token bucket (2/s, burst 2)", async () => {
    const tenant = await startTenant({ rateLimit: { perSecond: 2, burst: 2 } });
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await clientFor(tenant).lookup('auth0|alice', 'enrollments'));
    assert.ok(results.every((result) => result.ok), JSON.stringify(results));
    const limited = tenant.requests.filter((entry) => entry.status === 429);
    assert.equal(limited.length, 1);
  });

  it('retries 5xx twice with a short backoff, then succeeds', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 503, body: '{"statusCode":503}', times: 2 });
    const { result, elapsed } = await timed(clientFor(tenant).lookup('auth0|alice', 'authentication-methods'));
    assert.equal(result.ok, true, result.detail);
    assert.equal(apiRequests(tenant), 3);
    assert.ok(elapsed >= 380, `backed off ${elapsed} ms`);
  });

  it('reports mgmt_server_error when 5xx persists, or when no time is left to retry', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', status: 500, times: 3 });
    assertFailure(await clientFor(tenant).lookup('auth0|alice', 'enrollments'), 'mgmt_server_error');
    assert.equal(apiRequests(tenant), 3);

    await clientFor(tenant).lookup('auth0|alice', 'enrollments'); // token is warm; now a tight deadline
    tenant.resetRequests();
    tenant.failNext({ path: '/api/v2/', status: 502, times: 3 });
    const tight = await timed(clientFor(tenant, { deadline: Date.now() + 150 }).lookup('auth0|alice', 'enrollments'));
    assertFailure(tight.result, 'mgmt_server_error');
    assert.equal(apiRequests(tenant), 1);
    assert.ok(tight.elapsed < 150);
  });
});

describe('timeouts and transport', () => {
  it('times out a slow response after timeoutMs', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/api/v2/', delayMs: 3000, body: '[]' });
    const { result, elapsed } = await timed(clientFor(tenant, { timeoutMs: 200 }).lookup('auth0|alice', 'enrollments'));
    assertFailure(result, 'mgmt_timeout');
    assert.ok(elapsed >= 190 && elapsed < 200 + 150, `took ${elapsed} ms`);
  });

  it('stops at the deadline even when timeoutMs is longer', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/oauth/token', delayMs: 3000 });
    const { result, elapsed } = await timed(
      clientFor(tenant, { timeoutMs: 2000, deadline: Date.now() + 300 }).lookup('auth0|alice', 'enrollments')
    );
    assertFailure(result, 'mgmt_timeout');
    assert.match(result.detail, /deadline/);
    assert.ok(elapsed < 300 + 150, `took ${elapsed} ms`);

    // The same for the lookup itself, with a warm token.
    await clientFor(tenant).lookup('auth0|alice', 'enrollments');
    tenant.failNext({ path: '/api/v2/', delayMs: 3000 });
    const lookup = await timed(clientFor(tenant, { timeoutMs: 2000, deadline: Date.now() + 300 }).lookup('auth0|alice', 'enrollments'));
    assertFailure(lookup.result, 'mgmt_timeout');
    assert.equal(lookup.result.requests, 1);
    assert.ok(lookup.elapsed < 300 + 150, `took ${lookup.elapsed} ms`);
  });

  it('a login that joined a token request cut short by another login\'s deadline asks again within its own', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/oauth/token', delayMs: 600 });
    const hurried = clientFor(tenant, { timeoutMs: 2000, deadline: Date.now() + 150 }).lookup('auth0|alice', 'enrollments');
    const patient = clientFor(tenant, { timeoutMs: 2000, deadline: Date.now() + 3000 }).lookup('auth0|alice', 'enrollments');
    const [first, second] = await Promise.all([hurried, patient]);
    assertFailure(first, 'mgmt_timeout');
    assert.equal(second.ok, true, `${second.reason}: ${second.detail}`);
    assert.equal(tenant.requests.filter((r) => r.path === '/oauth/token').length, 2);
  });

  it('sends nothing once the deadline has passed', async () => {
    const tenant = await startTenant();
    const result = await clientFor(tenant, { deadline: Date.now() - 1 }).lookup('auth0|alice', 'enrollments');
    assertFailure(result, 'mgmt_timeout');
    assert.equal(result.requests, 0);
    assert.equal(tenant.requests.length, 0);
  });

  it('uses the injected clock for the deadline', async () => {
    const tenant = await startTenant();
    const result = await clientFor(tenant, { now: () => 2_000_000_000_000, deadline: 1_999_999_999_999 }).lookup('auth0|alice', 'enrollments');
    assertFailure(result, 'mgmt_timeout');
    assert.equal(tenant.requests.length, 0);
  });

  it('reports mgmt_network for a socket reset mid-response and for a refused connection', async () => {
    const tenant = await startTenant();
    tenant.failNext({ path: '/authentication-methods', destroy: true });
    const reset = await clientFor(tenant).lookup('auth0|alice', 'authentication-methods');
    assertFailure(reset, 'mgmt_network');

    const closed = await startTenant();
    const url = closed.url;
    await closed.close();
    const refused = await createManagementClient({
      secrets: { AUTH0_DOMAIN: url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET },
      fetch: globalThis.fetch,
      timeoutMs: 1000,
      deadline: Date.now() + 2000,
    }).lookup('auth0|alice', 'enrollments');
    assertFailure(refused, 'mgmt_network');
    assert.equal(refused.requests, 1);
  });

  it('stops reading a 50 MB body at 1 MiB with mgmt_response_too_large', async () => {
    const tenant = await startTenant();
    const size = 50 * 1024 * 1024;
    tenant.failNext({ path: '/authentication-methods', streamBytes: size });
    const heapBefore = process.memoryUsage().arrayBuffers;
    const { result, elapsed } = await timed(clientFor(tenant).lookup('auth0|alice', 'authentication-methods'));
    assertFailure(result, 'mgmt_response_too_large');
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const streamed = tenant.requests.find((entry) => entry.bytesSent !== undefined);
    assert.ok(streamed.bytesSent < size / 2, `server wrote ${streamed.bytesSent} bytes before the client hung up`);
    assert.ok(process.memoryUsage().arrayBuffers - heapBefore < 20 * 1024 * 1024, 'the body was not buffered');

    // A declared Content-Length over the cap is refused before reading.
    tenant.failNext({ path: '/authentication-methods', streamBytes: 2 * 1024 * 1024, headers: { 'content-length': String(2 * 1024 * 1024) } });
    assertFailure(await clientFor(tenant).lookup('auth0|alice', 'authentication-methods'), 'mgmt_response_too_large');
  });
});

describe('contract', () => {
  it('never puts the token, the client secret or a phone number in detail', async () => {
    const tenant = await startTenant({ users: { 'auth0|alice': { authentication_methods: [phoneMethod(1, PHONE)] } } });
    const recorder = recordingFetch();
    const details = [];
    const run = async (fault, options = {}) => {
      _resetForTests();
      if (fault) tenant.failNext(fault);
      const result = await clientFor(tenant, { fetch: recorder.fetch, timeoutMs: 300, ...options }).lookup('auth0|alice', 'authentication-methods');
      if (!result.ok) details.push(result.detail);
    };
    const echo = `{"message":"bad token ${CLIENT_SECRET} for ${PHONE}"}`;
    await run({ path: '/authentication-methods', status: 401, body: echo, times: 2 });
    await run({ path: '/authentication-methods', status: 403, body: echo });
    await run({ path: '/authentication-methods', status: 500, body: echo, times: 3 });
    await run({ path: '/authentication-methods', status: 200, body: `not json ${PHONE} ${CLIENT_SECRET}` });
    await run({ path: '/authentication-methods', status: 200, contentType: 'text/html', body: `<p>${PHONE}</p>` });
    await run({ path: '/oauth/token', status: 400, body: echo });
    await run({ path: '/oauth/token', status: 200, body: `{"access_token":"${PHONE} ${CLIENT_SECRET}"}` });
    await run({ path: '/authentication-methods', delayMs: 1000 });
    await run({ path: '/authentication-methods', destroy: true });
    const staticToken = await tokenFrom(tenant);
    tenant.revokeTokens();
    await run(undefined, { secrets: { AUTH0_DOMAIN: tenant.url, MANAGEMENT_API_TOKEN: staticToken } });
    await run(undefined, { secrets: { AUTH0_DOMAIN: `http://example.com`, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET } });

    assert.equal(details.length, 11);
    const secrets = [CLIENT_SECRET, PHONE, PHONE.slice(2), staticToken, ...recorder.issuedTokens];
    assert.ok(recorder.issuedTokens.size >= 3);
    for (const detail of details) {
      for (const secret of secrets) assert.ok(!detail.includes(secret), `detail "${detail}" leaks a secret`);
    }
  });

  it('MANAGEMENT_FAILURES is frozen and names exactly the twelve reason codes', () => {
    assert.ok(Object.isFrozen(MANAGEMENT_FAILURES));
    assert.deepEqual(Object.keys(MANAGEMENT_FAILURES).sort(), [
      'mgmt_bad_response',
      'mgmt_domain_refused',
      'mgmt_forbidden',
      'mgmt_network',
      'mgmt_not_configured',
      'mgmt_rate_limited',
      'mgmt_response_too_large',
      'mgmt_server_error',
      'mgmt_timeout',
      'mgmt_token_failed',
      'mgmt_unauthorized',
      'mgmt_user_not_found',
    ]);
    for (const text of Object.values(MANAGEMENT_FAILURES)) assert.ok(typeof text === 'string' && !text.includes('\n'));
  });

  it('never throws even when fetch itself throws synchronously or returns junk', async () => {
    const secrets = { AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_API_TOKEN: 'tok' };
    const fetches = [
      () => { throw new Error('sync'); },
      () => null,
      () => ({ status: 200 }),
      () => new Promise(() => {}), // never settles: the timeout must still fire
    ];
    for (const fetchFn of fetches) {
      const client = createManagementClient({ secrets, fetch: fetchFn, timeoutMs: 100, deadline: Date.now() + 1000 });
      const result = await client.lookup('auth0|alice', 'enrollments');
      assert.equal(result.ok, false);
      assert.ok(Object.prototype.hasOwnProperty.call(MANAGEMENT_FAILURES, result.reason));
    }
  });
});

after(() => {
  assert.deepEqual(unhandled, [], 'no unhandled rejections');
});
