'use strict';
// 4. Network: Management API requests per 1,000 logins of the mix (bench/mix.js) and the latency
// each approach adds to a login when a Management API round trip takes 50 ms. The three
// approaches run side by side against three sample tenants (each in a process of its own):
// login i of the mix starts on all three, one right after the other (each in a macrotask of its
// own, so that no approach's synchronous work is timed as part of another's login), 16 logins in
// flight at a time.

const { mixLogins } = require('./mix.js');
const { startApproaches, allUsers, eventFor } = require('./lib/approaches.js');
const { quantile } = require('./lib/stats.js');
const events = require('./lib/events.js');

const LATENCY_MS = 50;
const IN_FLIGHT = 16;

async function inPool(items, size, fn) {
  let next = 0;
  const workers = Array.from({ length: size }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

function latency(values) {
  return values.length ? { n: values.length, p50: quantile(values, 0.5), p99: quantile(values, 0.99), max: Math.max(...values) } : { n: 0 };
}

async function measureNetwork({ count = 1000, log = () => {} } = {}) {
  const logins = mixLogins(count);
  const users = allUsers();
  let result;
  const approaches = await startApproaches(users, { latencyMs: LATENCY_MS });
  try {
    await approaches.newInstance();
    const runs = Object.fromEntries(approaches.names.map((name) => [name, new Array(logins.length)]));
    await inPool(logins, IN_FLIGHT, async (login, i) => {
      const event = eventFor(login);
      const started = [];
      for (const name of approaches.names) {
        await new Promise(setImmediate);
        started.push(approaches.login(name, event).then((run) => { runs[name][i] = run; }));
      }
      await Promise.all(started);
    });
    const counts = await approaches.requestCounts();
    result = { count, latencyMs: LATENCY_MS, inFlight: IN_FLIGHT, approaches: {} };
    for (const name of approaches.names) {
      const list = runs[name];
      const phoneOk = (run, login) => run.claims.idToken.phone_number === events.phoneOf(login.userIndex);
      const needing = logins.map((login, i) => [login, list[i]]).filter(([login]) => login.needsLookup);
      const noLookup = logins.map((login, i) => [login, list[i]]).filter(([login]) => !login.needsLookup);
      const byFlow = {};
      result.approaches[name] = {
        requests: counts[name],
        perThousand: (counts[name].total * 1000) / count,
        errorsLogged: approaches.errors[name],
        all: latency(list.map((r) => r.ms)),
        needingLookup: latency(needing.map(([, r]) => r.ms)),
        noLookup: latency(noLookup.map(([, r]) => r.ms)),
        noLookupRequests: name === 'ours' ? noLookup.reduce((sum, [, r]) => sum + r.requests, 0) : undefined,
        phoneClaimShare: needing.filter(([login, r]) => phoneOk(r, login)).length / needing.length,
        byFlow,
      };
      if (name === 'ours') {
        logins.forEach((login, i) => {
          const key = `${login.flow}|${login.phoneScope ? 'phone' : 'no phone'}`;
          const row = (byFlow[key] = byFlow[key] || { logins: 0, requests: 0 });
          row.logins += 1;
          row.requests += list[i].requests;
        });
      }
    }
    result.needsLookup = logins.filter((l) => l.needsLookup).length;
    log('network: mix done');
  } finally {
    await approaches.close();
  }
  // Counting needs no latency.
  const fast = await startApproaches(users, {});
  try {
    result.sensitivity = await sensitivity(fast, log);
  } finally {
    await fast.close();
  }
  return result;
}

/**
 * How ours' request count moves with the two assumptions that matter most: the share of logins
 * asking for the phone scope, and whether event.user.enrolledFactors is there (when it is
 * missing, ours cannot rule a phone enrollment out and looks up). The seed approach makes one
 * request per login whatever these are (measured above), so its figure is the login count.
 */
async function sensitivity(approaches, log) {
  const rows = [];
  for (const phoneScopeShare of [0.25, 0.5, 1]) {
    for (const enrolledFactors of [true, false]) {
      const logins = mixLogins(1000, { phoneScopeShare });
      await approaches.newInstance();
      let requests = 0;
      // Ours only: the counting fetch tells each login's requests.
      await inPool(logins, IN_FLIGHT, async (login) => {
        const run = await approaches.login('ours', eventFor(login, { enrolledFactors }));
        requests += run.requests;
      });
      rows.push({ phoneScopeShare, enrolledFactors, ours: requests, seed: logins.length, reduction: 1 - requests / logins.length });
    }
  }
  log('network: sensitivity done');
  return rows;
}

module.exports = { measureNetwork, LATENCY_MS };

if (require.main === module) {
  measureNetwork({ count: Number(process.argv[2]) || 1000, log: console.error }).then((r) => console.log(JSON.stringify(r, null, 1)));
}
