'use strict';
// The first logins of a fresh `node` process, before the engine tiers up: load and create as the
// Action does (timed, but not part of the figure), then run COUNT logins one after the other and
// print the phase times as JSON.
//   node bench/first-logins-child.js ours|fair [count]
// ours: require('login-claims').createPostLoginHandler(CONFIG); fair:
// bench/baselines/plain-fair.js (it builds its handler when loaded). The logins are the warm
// section's: passwordless SMS users who asked for the phone scope (number on the profile), roles
// and org id to the access token, no network; each login has its own event (a distinct user) and
// its own api object, all built before the clock starts.

const path = require('node:path');
const { performance } = require('node:perf_hooks');
const events = require('./lib/events.js');

const variant = process.argv[2];
const count = Number(process.argv[3]) || 100;
const list = Array.from({ length: count }, (_, i) =>
  events.eventOf({ flow: 'authorize', phoneScope: true, user: events.userOf('passwordless', i) })
);
const cache = {
  entries: new Map(),
  get(key) { return this.entries.get(key); },
  set(key, value, options = {}) { this.entries.set(key, { value, expires_at: options.expires_at || Date.now() + 900000 }); return { type: 'success' }; },
};
const apis = list.map(() => events.recordingApi(cache));

async function main() {
  const t0 = performance.now();
  let handler;
  if (variant === 'ours') {
    handler = require(path.join(__dirname, '..')).createPostLoginHandler(events.CONFIG);
  } else if (variant === 'fair') {
    handler = require('./baselines/plain-fair.js').onExecutePostLogin;
  } else {
    throw new Error(`unknown variant ${variant}`);
  }
  const t1 = performance.now();
  await handler(list[0], apis[0]);
  const t2 = performance.now();
  for (let i = 1; i < count; i++) await handler(list[i], apis[i]);
  const t3 = performance.now();
  const phoneEveryTime = apis.every((api, i) => api.claims.idToken.phone_number === events.phoneOf(i));
  process.stdout.write(JSON.stringify({
    variant,
    count,
    setupMs: t1 - t0,
    firstMs: t2 - t1,
    restMs: t3 - t2,
    totalMs: t3 - t1,
    phoneEveryTime,
  }));
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(String(error && error.stack));
    process.exit(1);
  }
);
