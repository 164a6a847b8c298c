'use strict';
// The three approaches side by side, each against its own sample tenant (so that request counts
// and rate-limit buckets never mix), all driven through the real (event, api) call:
//   ours  require('login-claims').createPostLoginHandler(CONFIG), client credentials
//   seed  bench/baselines/seed-axios.js (seed 000: axios, static token, lookup on every login)
//   sdk   bench/baselines/sdk-cached.js (auth0 SDK ManagementClient, token cached per process)

const path = require('node:path');
const { AsyncLocalStorage } = require('node:async_hooks');
const { performance } = require('node:perf_hooks');
const { startRemoteTenant } = require('./remote-tenant.js');
const events = require('./events.js');

const ROOT = path.join(__dirname, '..', '..');
const CLIENT_ID = 'bench-action';
const CLIENT_SECRET = 'bench-secret-network';
const NAMES = ['ours', 'seed', 'sdk'];

/** users: {user_id: tenant record}; tenantOptions: latencyMs, rateLimit. */
async function startApproaches(users, tenantOptions = {}) {
  const lc = require(ROOT);
  // The engine's token memory (one per process), forgotten between runs like a fresh instance.
  // It lives in login_claims, the module lookup logins run in; validateConfig initialises it.
  lc.validateConfig({});
  const glue = require(path.join(ROOT, 'pkg', 'login_claims_glue.cjs'));
  const seed = require('../baselines/seed-axios.js');
  const sdk = require('../baselines/sdk-cached.js');
  const errors = { seed: 0, sdk: 0, ours: 0 };
  seed.log = () => { errors.seed += 1; };
  sdk.log = () => { errors.sdk += 1; };

  // Per-login request count for ours: the handler's documented `fetch` option, passed through.
  const perLogin = new AsyncLocalStorage();
  const countingFetch = (url, init) => {
    const store = perLogin.getStore();
    if (store) store.requests += 1;
    return fetch(url, init);
  };
  const ours = lc.createPostLoginHandler(events.CONFIG, { fetch: countingFetch, logger: { warn: () => { errors.ours += 1; } } });

  const tenants = {};
  await Promise.all(NAMES.map(async (name) => {
    tenants[name] = await startRemoteTenant({ users, clients: { [CLIENT_ID]: CLIENT_SECRET }, ...tenantOptions });
  }));
  const tokenResponse = await fetch(`${tenants.seed.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, audience: `${tenants.seed.url}/api/v2/` }),
  });
  const staticToken = (await tokenResponse.json()).access_token;

  const secrets = {
    ours: { AUTH0_DOMAIN: tenants.ours.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET },
    seed: { AUTH0_DOMAIN: tenants.seed.url, MANAGEMENT_API_TOKEN: staticToken },
    sdk: { AUTH0_DOMAIN: tenants.sdk.url.replace(/^http:\/\//, ''), MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET },
  };
  const handlers = { ours, seed: seed.onExecutePostLogin, sdk: sdk.onExecutePostLogin };
  let caches = {};

  /** A new Action instance for every approach: no token in memory, an empty api.cache. */
  async function newInstance() {
    glue.resetTokenMemory();
    sdk._reset();
    caches = Object.fromEntries(NAMES.map((name) => [name, lc.createMemoryCache()]));
    await Promise.all(NAMES.map((name) => tenants[name].reset()));
    errors.seed = errors.sdk = errors.ours = 0;
  }

  /** One login of one approach: {ms, requests (ours only), claims}. */
  async function login(name, event) {
    const api = events.recordingApi(caches[name]);
    const store = { requests: 0 };
    const started = performance.now();
    await perLogin.run(store, () => handlers[name](events.withSecrets(event, secrets[name]), api));
    return { ms: performance.now() - started, requests: name === 'ours' ? store.requests : undefined, claims: api.claims };
  }

  /** Requests each tenant received since newInstance(): {total, token, api, rateLimited}. */
  async function requestCounts() {
    const counts = {};
    for (const name of NAMES) counts[name] = await tenants[name].counts();
    return counts;
  }

  async function close() {
    for (const name of NAMES) await tenants[name].close();
  }

  await newInstance();
  return { names: NAMES, login, newInstance, requestCounts, errors, close };
}

/** The sample tenant's users: every kind of user at every index the mix uses. */
function allUsers(indexes = 400) {
  const users = {};
  for (const kind of events.USER_KINDS) {
    for (let i = 0; i < indexes; i++) users[events.userOf(kind, i).user_id] = events.tenantRecordOf(kind, i);
  }
  return users;
}

/** The event of one mix login. */
function eventFor({ flow, phoneScope, kind, userIndex }, { enrolledFactors = true } = {}) {
  const user = events.userOf(kind, userIndex);
  if (!enrolledFactors) delete user.enrolledFactors;
  return events.eventOf({ flow, phoneScope, user });
}

module.exports = { startApproaches, allUsers, eventFor, NAMES };
