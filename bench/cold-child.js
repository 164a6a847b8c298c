'use strict';
// One cold start, in a fresh `node` process: load what the Action loads, create the handler, run
// one login that needs the Management API (an SMS-MFA user who asked for the phone scope: the
// login every approach exists for), then print the phase times as JSON and exit.
//   node bench/cold-child.js ours|ours-nolookup|fair|axios|sdk|fetch|node
// ours-nolookup: ours with a login that needs no lookup (a passwordless SMS user), the common
// case; fair: bench/baselines/plain-fair.js on that same login (the plain-JS Action doing the
// same work; it builds its handler when loaded, so its require includes the create); fetch: nothing but one request with Node's global fetch (whose first use loads undici,
// which ours' client uses and axios does not); node: nothing loaded, the floor of every process.
// BENCH_TENANT_URL, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_STATIC_TOKEN come from cold.js.
// Everything the harness needs is loaded before the clock starts; only the variant's own
// modules are loaded inside the measured span.

const path = require('node:path');
const { performance } = require('node:perf_hooks');
const events = require('./lib/events.js');

const variant = process.argv[2];
const env = process.env;
const url = env.BENCH_TENANT_URL;
const user = events.userOf(variant === 'ours-nolookup' || variant === 'fair' ? 'passwordless' : 'sms-mfa', 7);
const base = events.eventOf({ flow: 'authorize', phoneScope: true, user });
const secrets = {
  'ours-nolookup': { AUTH0_DOMAIN: url, MANAGEMENT_CLIENT_ID: env.BENCH_CLIENT_ID, MANAGEMENT_CLIENT_SECRET: env.BENCH_CLIENT_SECRET },
  ours: { AUTH0_DOMAIN: url, MANAGEMENT_CLIENT_ID: env.BENCH_CLIENT_ID, MANAGEMENT_CLIENT_SECRET: env.BENCH_CLIENT_SECRET },
  axios: { AUTH0_DOMAIN: url, MANAGEMENT_API_TOKEN: env.BENCH_STATIC_TOKEN },
  fair: { AUTH0_DOMAIN: url, MANAGEMENT_CLIENT_ID: env.BENCH_CLIENT_ID, MANAGEMENT_CLIENT_SECRET: env.BENCH_CLIENT_SECRET },
  sdk: { AUTH0_DOMAIN: url && url.replace(/^http:\/\//, ''), MANAGEMENT_CLIENT_ID: env.BENCH_CLIENT_ID, MANAGEMENT_CLIENT_SECRET: env.BENCH_CLIENT_SECRET },
}[variant];
const event = events.withSecrets(base, secrets);
// A fresh api.cache, as for a new instance whose token is not cached yet (the conservative case
// for us: Auth0's api.cache often still holds the token of an earlier instance).
const cache = {
  entries: new Map(),
  get(key) { return this.entries.get(key); },
  set(key, value, options = {}) { this.entries.set(key, { value, expires_at: options.expires_at || Date.now() + 900000 }); return { type: 'success' }; },
};
const api = events.recordingApi(cache);

async function main() {
  const t0 = performance.now();
  let handler;
  let t1;
  let t2;
  if (variant === 'ours' || variant === 'ours-nolookup') {
    const lc = require(path.join(__dirname, '..'));
    t1 = performance.now();
    handler = lc.createPostLoginHandler(events.CONFIG);
    t2 = performance.now();
  } else if (variant === 'fair') {
    handler = require('./baselines/plain-fair.js').onExecutePostLogin;
    t1 = t2 = performance.now();
  } else if (variant === 'axios') {
    handler = require('./baselines/seed-axios.js').onExecutePostLogin;
    t1 = t2 = performance.now();
  } else if (variant === 'sdk') {
    handler = require('./baselines/sdk-cached.js').onExecutePostLogin;
    t1 = t2 = performance.now();
  } else if (variant === 'fetch') {
    t1 = t2 = performance.now();
    await (await fetch(`${url}/api/v2/users/none/enrollments`)).text();
  } else if (variant === 'node') {
    t1 = t2 = performance.now();
  } else {
    throw new Error(`unknown variant ${variant}`);
  }
  if (handler) await handler(event, api);
  const t3 = performance.now();
  process.stdout.write(JSON.stringify({
    variant,
    bootMs: t0,
    requireMs: t1 - t0,
    createMs: t2 - t1,
    loginMs: t3 - t2,
    totalMs: t3 - t0,
    phoneClaim: api.claims.idToken.phone_number === events.phoneOf(7),
  }));
}

main().then(
  // Exit at once: keep-alive sockets would otherwise hold the process open.
  () => process.exit(0),
  (error) => {
    process.stderr.write(String(error && error.stack));
    process.exit(1);
  }
);
