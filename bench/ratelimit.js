'use strict';
// 5. Under the Free-plan limit (2 requests/s, burst 2; platform-facts.md) with the same 50 ms
// round trip: 100 logins arrive in 10 s (one every 100 ms) on all three approaches at once, each
// against its own rate-limited sample tenant. Counted: of the logins whose phone number can only
// come from the Management API (SMS-MFA users who asked for the phone scope), the share that got
// their phone_number claim. A login still running after 20 s (the Actions limit) counts as
// failed. Two bursts: 100 logins of the mix, and 100 logins that all need the lookup.

const { mixLogins } = require('./mix.js');
const { startApproaches, allUsers, eventFor } = require('./lib/approaches.js');
const { quantile } = require('./lib/stats.js');
const events = require('./lib/events.js');

const RATE_LIMIT = { perSecond: 2, burst: 2 };
const LATENCY_MS = 50;
const SPACING_MS = 100;
const ACTION_LIMIT_MS = 20000;

function withLimit(promise) {
  let timer;
  const limit = new Promise((resolve) => { timer = setTimeout(() => resolve(undefined), ACTION_LIMIT_MS); });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function burst(approaches, logins) {
  await approaches.newInstance();
  const runs = Object.fromEntries(approaches.names.map((name) => [name, []]));
  const all = [];
  const t0 = Date.now();
  for (let i = 0; i < logins.length; i++) {
    const wait = t0 + i * SPACING_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const event = eventFor(logins[i]);
    for (const name of approaches.names) {
      all.push(withLimit(approaches.login(name, event)).then((run) => { runs[name][i] = run; }));
    }
  }
  await Promise.all(all);
  const counts = await approaches.requestCounts();
  const out = {};
  for (const name of approaches.names) {
    const needing = logins.map((login, i) => [login, runs[name][i]]).filter(([login]) => login.needsLookup);
    const got = needing.filter(([login, run]) => run && run.claims.idToken.phone_number === events.phoneOf(login.userIndex)).length;
    const times = runs[name].filter(Boolean).map((run) => run.ms);
    out[name] = {
      needing: needing.length,
      gotPhone: got,
      share: needing.length ? got / needing.length : NaN,
      overActionLimit: runs[name].filter((run) => !run).length,
      requests: counts[name],
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      max: Math.max(...times),
    };
  }
  return out;
}

async function measureRateLimit({ log = () => {} } = {}) {
  const approaches = await startApproaches(allUsers(), { latencyMs: LATENCY_MS, rateLimit: RATE_LIMIT });
  try {
    const mix = mixLogins(100, { seed: 424242 });
    const mixResult = await burst(approaches, mix);
    log('rate limit: mix burst done');
    // Wait for the buckets to refill before the second burst.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const allNeed = Array.from({ length: 100 }, (_, i) => ({ flow: 'authorize', phoneScope: true, kind: i % 2 ? 'sms-mfa' : 'sms-otp', userIndex: i, needsLookup: true }));
    const allNeedResult = await burst(approaches, allNeed);
    log('rate limit: all-lookup burst done');
    return { rateLimit: RATE_LIMIT, latencyMs: LATENCY_MS, spacingMs: SPACING_MS, logins: 100, mix: mixResult, allNeedLookup: allNeedResult };
  } finally {
    await approaches.close();
  }
}

module.exports = { measureRateLimit, RATE_LIMIT };

if (require.main === module) {
  measureRateLimit({ log: console.error }).then((r) => console.log(JSON.stringify(r, null, 1)));
}
