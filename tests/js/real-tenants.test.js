'use strict';
// What a production tenant hits, through the public API: a Management API that was never set up,
// custom domains, numbers as users store them, the scopes of the password and refresh-token
// flows, malformed event fields, configuration warnings, and a runtime without WebAssembly. Each
// expectation comes from Auth0's documentation (shared/platform-facts.md), not from the code.

const { describe, it, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { loadPackage, packageFile, root, cliRoot } = require('./under-test.js');

const { createManagementClient, _resetForTests } = require('./lookup-client.js');

const PHONE_SCOPES = ['openid', 'profile', 'phone'];

/** A user with an MFA phone factor and a number in app_metadata, and the given secrets. */
function enrolledLogin(secrets, extra = {}) {
  return {
    transaction: { protocol: 'oidc-basic-profile', requested_scopes: PHONE_SCOPES },
    request: { ip: '203.0.113.7', query: {}, body: {} },
    secrets,
    user: {
      user_id: 'auth0|65f1c0ffee4b8a0012a3b4c5',
      enrolledFactors: [{ type: 'phone' }],
      app_metadata: { phone_number: '+44 20 7946 0958', phone_verified: true },
      ...extra,
    },
  };
}

function recordingApi() {
  const api = {
    claims: { idToken: {}, accessToken: {} },
    denied: [],
    idToken: { setCustomClaim: (name, value) => Object.defineProperty(api.claims.idToken, name, { value, enumerable: true }) },
    accessToken: { setCustomClaim: (name, value) => Object.defineProperty(api.claims.accessToken, name, { value, enumerable: true }) },
    access: { deny: (reason) => api.denied.push(reason) },
    cache: { get: () => undefined, set: () => ({ type: 'success' }), delete: () => ({ type: 'success' }) },
  };
  return api;
}

function failingFetch(calls) {
  return async (url) => {
    calls.push(String(url));
    throw new Error('no request may be made');
  };
}

let lc;
beforeEach(async () => {
  lc = lc || (await loadPackage());
  _resetForTests();
});

describe('a Management API that was never set up is not a failed lookup', () => {
  const missing = [
    ['no secrets at all', undefined, 'AUTH0_DOMAIN'],
    ['no AUTH0_DOMAIN', { MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' }, 'AUTH0_DOMAIN'],
    ['only the client id', { AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_CLIENT_ID: 'a' }, 'MANAGEMENT_CLIENT_SECRET'],
    ['no credentials', { AUTH0_DOMAIN: 'tenant.eu.auth0.com' }, 'MANAGEMENT_CLIENT_ID'],
    ['a static token that cannot go in a header', { AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_API_TOKEN: 'tok en\n' }, 'MANAGEMENT_API_TOKEN'],
    ['an AUTH0_DOMAIN that is refused', { AUTH0_DOMAIN: 'http://tenant.example.com', MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' }, 'AUTH0_DOMAIN'],
  ];
  for (const [title, secrets, named] of missing) {
    it(`${title}: the mfa source is skipped, the next source gives the number, no request is made`, async () => {
      const calls = [];
      const result = await lc.simulatePostLogin(enrolledLogin(secrets), {}, { fetch: failingFetch(calls), logger: { warn() {} } });
      assert.deepEqual(calls, []);
      assert.deepEqual(result.idToken, { phone_number: '+442079460958', phone_number_verified: true });
      const skipped = result.trace.find((e) => e.reason === 'mfa_not_configured');
      assert.ok(skipped, JSON.stringify(result.trace));
      assert.equal(skipped.source, 'mfa');
      assert.match(skipped.detail, new RegExp(named));
      assert.ok(!result.trace.some((e) => e.reason === 'lookup_failed'));
      assert.equal(result.denied, undefined);
    });
  }

  it("is never denied with onError 'deny', and is logged once per Action instance, not per login", async () => {
    const lines = [];
    const handler = lc.createPostLoginHandler({}, { onError: 'deny', logger: { warn: (line) => lines.push(line) } });
    for (let i = 0; i < 3; i++) {
      const api = recordingApi();
      await handler(enrolledLogin({}), api);
      assert.deepEqual(api.denied, []);
      assert.deepEqual(api.claims.idToken, { phone_number: '+442079460958', phone_number_verified: true });
    }
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /mfa phone source is skipped.*AUTH0_DOMAIN/);
    // A new instance (a new handler) says it again.
    const again = [];
    await lc.createPostLoginHandler({}, { logger: { warn: (line) => again.push(line) } })(enrolledLogin({}), recordingApi());
    assert.equal(again.length, 1);
  });

  it("a fault keeps today's rule: claims withheld, onError applies", async () => {
    const lines = [];
    const handler = lc.createPostLoginHandler({}, {
      onError: 'deny',
      logger: { warn: (line) => lines.push(line) },
      fetch: async () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      },
    });
    const api = recordingApi();
    await handler(enrolledLogin({ AUTH0_DOMAIN: 'tenant.eu.auth0.com', MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' }), api);
    assert.equal(api.denied.length, 1);
    assert.deepEqual(api.claims.idToken, {});
    assert.match(lines.join('\n'), /phone lookup failed \(mgmt_network\)/);
  });
});

describe('custom domains', () => {
  it('the token audience names AUTH0_TENANT_DOMAIN while every request goes to AUTH0_DOMAIN', async () => {
    const calls = [];
    const fetch = async (url, init) => {
      calls.push({ url: new URL(url), init });
      if (String(url).endsWith('/oauth/token')) return Response.json({ access_token: 'tok', expires_in: 86400, token_type: 'Bearer' });
      return Response.json({ start: 0, limit: 50, total: 0, authenticators: [] });
    };
    const client = createManagementClient({
      secrets: {
        AUTH0_DOMAIN: 'login.example.com',
        AUTH0_TENANT_DOMAIN: 'my-tenant.eu.auth0.com',
        MANAGEMENT_CLIENT_ID: 'a',
        MANAGEMENT_CLIENT_SECRET: 'b',
      },
      fetch,
      timeoutMs: 500,
      deadline: Date.now() + 2000,
    });
    const result = await client.lookup('auth0|alice', 'authentication-methods');
    assert.equal(result.ok, true);
    assert.equal(calls.length, 2);
    const audience = new URL(JSON.parse(calls[0].init.body).audience);
    assert.equal(audience.href, 'https://my-tenant.eu.auth0.com/api/v2/');
    for (const call of calls) assert.equal(call.url.host, 'login.example.com');
    assert.notEqual(audience.host, calls[0].url.host);
  });

  it('without AUTH0_TENANT_DOMAIN the audience is AUTH0_DOMAIN; a malformed one is a setup state', async () => {
    const bodies = [];
    const fetch = async (url, init) => {
      if (String(url).endsWith('/oauth/token')) {
        bodies.push(JSON.parse(init.body));
        return Response.json({ access_token: 'tok', expires_in: 86400 });
      }
      return Response.json([]);
    };
    const secrets = { AUTH0_DOMAIN: 'my-tenant.eu.auth0.com', MANAGEMENT_CLIENT_ID: 'a', MANAGEMENT_CLIENT_SECRET: 'b' };
    await createManagementClient({ secrets, fetch, timeoutMs: 500, deadline: Date.now() + 2000 }).lookup('u', 'enrollments');
    assert.equal(bodies[0].audience, 'https://my-tenant.eu.auth0.com/api/v2/');
    const bad = await createManagementClient({ secrets: { ...secrets, AUTH0_TENANT_DOMAIN: 'my tenant' }, fetch, timeoutMs: 500, deadline: Date.now() + 2000 }).lookup('u', 'enrollments');
    assert.equal(bad.reason, 'mgmt_domain_refused');
    assert.match(bad.detail, /AUTH0_TENANT_DOMAIN/);
  });
});

describe('numbers as users store them', () => {
  const login = (number, country) => ({
    transaction: { requested_scopes: PHONE_SCOPES },
    user: { user_id: 'auth0|1', app_metadata: { phone_number: number, phone_verified: true, ...(country ? { country } : {}) } },
  });
  const metadataOnly = { phone: { sources: ['app_metadata'] } };

  it('a (0) after the country code is the trunk prefix and is dropped; Italy keeps its 0', async () => {
    for (const [stored, claim] of [
      ['+44 (0)20 7946 0958', '+442079460958'],
      ['+49 (0)170 1234567', '+491701234567'],
      ['+39 06 6988 4321', '+390669884321'],
    ]) {
      const result = await lc.simulatePostLogin(login(stored), metadataOnly);
      assert.equal(result.idToken.phone_number, claim, stored);
    }
  });

  it('national numbers are converted with phone.defaultCountry, and skipped without one', async () => {
    const cases = [
      ['020 7946 0958', 'GB', '+442079460958'],
      ['(415) 555-0123', 'us', '+14155550123'],
      ['1 415 555 0123', 'US', '+14155550123'],
      ['8 (495) 123-45-67', 'RU', '+74951234567'],
      ['06 6988 4321', 'IT', '+390669884321'],
      ['912 345 678', 'ES', '+34912345678'],
      ['00 44 20 7946 0958', 'DE', '+442079460958'],
      ['011 44 20 7946 0958', 'US', '+442079460958'],
      ['810 44 20 7946 0958', 'RU', '+442079460958'],
    ];
    for (const [stored, country, claim] of cases) {
      const result = await lc.simulatePostLogin(login(stored), { phone: { sources: ['app_metadata'], defaultCountry: country } });
      assert.equal(result.idToken.phone_number, claim, `${stored} in ${country}`);
      const found = result.trace.find((e) => e.claim === 'phone_number' && e.outcome === 'set');
      assert.match(found.detail, new RegExp(`${country.toUpperCase()}.*phone\\.defaultCountry`), found.detail);
    }
    const without = await lc.simulatePostLogin(login('020 7946 0958'), metadataOnly);
    assert.deepEqual(without.idToken, {});
    assert.ok(without.trace.some((e) => e.reason === 'phone_not_international'));
  });

  it("the user's country from phone.countryPath wins when it is a valid code", async () => {
    const config = { phone: { sources: ['app_metadata'], defaultCountry: 'GB', countryPath: 'user.app_metadata.country' } };
    const italian = await lc.simulatePostLogin(login('06 6988 4321', 'it'), config);
    assert.equal(italian.idToken.phone_number, '+390669884321');
    const found = italian.trace.find((e) => e.claim === 'phone_number' && e.outcome === 'set');
    assert.match(found.detail, /IT.*user\.app_metadata\.country/);
    const unknown = await lc.simulatePostLogin(login('020 7946 0958', 'XX'), config);
    assert.equal(unknown.idToken.phone_number, '+442079460958', 'an unknown code falls back to the default');
  });

  it('an unknown defaultCountry fails the handler; a countryPath into user_metadata needs the opt-in', () => {
    assert.throws(() => lc.createPostLoginHandler({ phone: { defaultCountry: 'UK' } }), (error) => error.code === 'CONFIG_INVALID' && error.issues[0].code === 'unknown_country');
    const report = lc.validateConfig({ phone: { countryPath: 'user.user_metadata.country' } });
    assert.equal(report.ok, false);
    assert.equal(report.issues[0].code, 'user_controlled_path');
    assert.equal(lc.validateConfig({ phone: { countryPath: { path: 'user.user_metadata.country', allowUserControlled: true } } }).ok, true);
  });
});

describe('the scopes of the password and refresh-token flows', () => {
  const user = { user_id: 'sms|1', phone_number: '+14155550123', phone_verified: true };
  const phoneClaims = { phone_number: '+14155550123', phone_number_verified: true };

  it('requested_scopes: [] is read like an absent field (ROPG with the scope in the body)', async () => {
    const event = { transaction: { protocol: 'oauth2-password', requested_scopes: [] }, request: { body: { scope: 'openid phone' }, query: {} }, user };
    assert.deepEqual((await lc.simulatePostLogin(event)).idToken, phoneClaims);
  });

  it('a refresh exchange with [] and no scope parameter keeps the original grant', async () => {
    const event = { transaction: { protocol: 'oauth2-refresh-token', requested_scopes: [] }, request: { body: { grant_type: 'refresh_token' }, query: {} }, user };
    assert.deepEqual((await lc.simulatePostLogin(event)).idToken, phoneClaims);
  });

  it('fields of the wrong type are named as malformed event data', async () => {
    const asString = await lc.simulatePostLogin({ transaction: { requested_scopes: 'openid phone' }, request: { query: {}, body: {} }, user });
    assert.deepEqual(asString.idToken, {});
    assert.ok(asString.trace.some((e) => e.reason === 'malformed_event_data' && e.source === 'transaction.requested_scopes'), JSON.stringify(asString.trace));
    assert.ok(!asString.trace.some((e) => e.reason === 'scope_not_requested'));

    const flag = await lc.simulatePostLogin({ transaction: { requested_scopes: PHONE_SCOPES }, user: { ...user, phone_verified: 'true' } });
    assert.deepEqual(flag.idToken, { phone_number: '+14155550123', phone_number_verified: false });
    const verified = flag.trace.find((e) => e.claim === 'phone_number_verified' && e.outcome === 'set');
    assert.equal(verified.reason, 'malformed_event_data');

    const factors = await lc.simulatePostLogin(
      { transaction: { requested_scopes: PHONE_SCOPES }, user: { user_id: 'auth0|1', enrolledFactors: { type: 'phone' } } },
      { phone: { sources: ['mfa'] } },
      { logger: { warn() {} } }
    );
    assert.ok(factors.trace.some((e) => e.reason === 'malformed_event_data' && e.source === 'user.enrolledFactors'), JSON.stringify(factors.trace));
  });
});

describe('configuration that helps', () => {
  it('a close unknown key gets a suggestion, not "remove it"', () => {
    const { ok, issues } = lc.validateConfig({ acessToken: {} });
    assert.equal(ok, false);
    assert.equal(issues[0].fix, 'did you mean `accessToken`?');
  });

  it('a root $schema key is accepted', () => {
    assert.equal(lc.validateConfig({ $schema: './node_modules/login-claims/config.schema.json', idToken: {} }).ok, true);
  });

  it('a full event path under phone.appMetadata is reported with the fix, and read as meant', async () => {
    const config = { phone: { sources: ['app_metadata'], appMetadata: { number: 'user.app_metadata.mobile' } } };
    const { ok, issues } = lc.validateConfig(config);
    assert.equal(ok, true);
    assert.equal(issues[0].code, 'app_metadata_full_path');
    assert.equal(issues[0].severity, 'warning');
    assert.equal(issues[0].fix, 'write "mobile"');
    const result = await lc.simulatePostLogin({ transaction: { requested_scopes: PHONE_SCOPES }, user: { app_metadata: { mobile: '+14155550123' } } }, config);
    assert.equal(result.idToken.phone_number, '+14155550123');
  });

  it('a doubt is a warning: validate says ok, the handler starts and logs it once', async () => {
    const name = 'https://my-app.example.com/auth0.com';
    const config = { idToken: { [name]: 'user.email' } };
    const { ok, issues } = lc.validateConfig(config);
    assert.equal(ok, true);
    assert.deepEqual(issues.map((i) => [i.code, i.severity]), [['namespace_lookalike', 'warning']]);
    const lines = [];
    const handler = lc.createPostLoginHandler(config, { logger: { warn: (line) => lines.push(line) } });
    const api = recordingApi();
    await handler({ user: { email: 'a@example.com' } }, api);
    await handler({ user: { email: 'a@example.com' } }, recordingApi());
    assert.equal(api.claims.idToken[name], 'a@example.com');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /namespace_lookalike/);
  });

  it('what Auth0 is documented to drop is an error: the handler refuses to start', () => {
    for (const name of ['https://auth0.com/roles', 'https://tenant.auth0.com/x', 'roles', 'urn:auth0:x']) {
      const { ok, issues } = lc.validateConfig({ idToken: { [name]: 'user.email' } });
      assert.equal(ok, false, name);
      assert.equal(issues[0].severity, 'error', name);
      assert.throws(() => lc.createPostLoginHandler({ idToken: { [name]: 'user.email' } }), (e) => e.code === 'CONFIG_INVALID', name);
    }
  });
});

describe('a runtime without WebAssembly (node --jitless)', () => {
  it('loads, lets logins go on or denies them as configured, and says why once', () => {
    const script = `
      const lc = require(${JSON.stringify(root)});
      (async () => {
        const out = { hasWasm: typeof WebAssembly };
        const lines = [];
        const logger = { warn: (l) => lines.push(l) };
        const api = () => { const a = { claims: [], denied: [], idToken: { setCustomClaim: (n) => a.claims.push(n) }, accessToken: { setCustomClaim: (n) => a.claims.push(n) }, access: { deny: (r) => a.denied.push(r) } }; return a; };
        const event = { transaction: { requested_scopes: ['phone'] }, user: { user_id: 'sms|1', phone_number: '+14155550123', phone_verified: true } };
        const go = lc.createPostLoginHandler({}, { logger });
        const first = api(); await go(event, first); await go(event, api());
        out.continueClaims = first.claims; out.continueDenied = first.denied; out.lines = lines.slice();
        const deny = lc.createPostLoginHandler({}, { onError: 'deny', logger: { warn() {} } });
        const denied = api(); await deny(event, denied); out.denied = denied.denied;
        out.validate = lc.validateConfig({});
        try { await lc.simulatePostLogin(event); } catch (e) { out.simulate = e.code; }
        const send = lc.createSendPhoneMessageHandler({ logger: { log() {}, warn() {} } });
        try { await send({ message_options: { recipient: '+14155550123', code: '123456', message_type: 'sms' } }); } catch (e) { out.send = [e.code, e.reason]; }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const run = spawnSync(process.execPath, ['--jitless', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const out = JSON.parse(run.stdout);
    assert.equal(out.hasWasm, 'undefined', 'the runtime under test really has no WebAssembly');
    assert.deepEqual(out.continueClaims, []);
    assert.deepEqual(out.continueDenied, []);
    assert.equal(out.lines.length, 1, out.lines.join('\n'));
    assert.match(out.lines[0], /ENGINE_UNAVAILABLE/);
    assert.equal(out.denied.length, 1);
    assert.doesNotMatch(out.denied[0], /WebAssembly/, 'the user sees the generic reason');
    assert.equal(out.validate.ok, false);
    assert.equal(out.validate.issues[0].code, 'engine_unavailable');
    assert.equal(out.simulate, 'ENGINE_UNAVAILABLE');
    assert.deepEqual(out.send, ['PHONE_MESSAGE_FAILED', 'engine_unavailable']);
  });

  it('the CLI says the engine is unavailable', () => {
    const cli = require('node:path').join(cliRoot, 'js', 'tools', 'cli.js');
    const run = spawnSync(process.execPath, ['--jitless', cli, 'validate', '--config', require('node:path').join(cliRoot, 'examples', 'config.json')], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stdout + run.stderr, /engine_unavailable/);
  });
});
