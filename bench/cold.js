'use strict';
// 2. Cold start: fresh node processes, interleaved (each round runs every variant once, in a
// shuffled order, so that machine noise falls on all of them alike). Variants: see cold-child.js;
// `fair` against `ours-nolookup` is the like-for-like pair (the same login, no network).

const path = require('node:path');
const { runJsonChild } = require('./lib/child.js');
const { startSampleTenant } = require('../js/tools/sample-tenant.js');
const events = require('./lib/events.js');
const { summary, median } = require('./lib/stats.js');
const { prng } = require('./mix.js');

const VARIANTS = ['ours', 'ours-nolookup', 'fair', 'axios', 'sdk', 'fetch', 'node'];
const CLIENT_ID = 'bench-action';
const CLIENT_SECRET = 'bench-secret-cold-start';

function runChild(nodeBin, variant, env) {
  return runJsonChild(nodeBin, path.join(__dirname, 'cold-child.js'), [variant], env);
}

async function measureColdStart({ rounds = 21, nodeBin = process.execPath, log = () => {} } = {}) {
  const tenant = await startSampleTenant({
    users: { [events.userOf('sms-mfa', 7).user_id]: events.tenantRecordOf('sms-mfa', 7) },
    clients: { [CLIENT_ID]: CLIENT_SECRET },
  });
  try {
    const tokenResponse = await fetch(`${tenant.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET, audience: `${tenant.url}/api/v2/` }),
    });
    const { access_token: staticToken } = await tokenResponse.json();
    const env = { BENCH_TENANT_URL: tenant.url, BENCH_CLIENT_ID: CLIENT_ID, BENCH_CLIENT_SECRET: CLIENT_SECRET, BENCH_STATIC_TOKEN: staticToken };

    // One unmeasured start of each warms the file-system cache.
    for (const variant of VARIANTS) await runChild(nodeBin, variant, env);
    tenant.resetRequests();

    const samples = Object.fromEntries(VARIANTS.map((v) => [v, []]));
    const random = prng(7);
    for (let round = 0; round < rounds; round++) {
      const order = [...VARIANTS].sort(() => random() - 0.5);
      for (const variant of order) samples[variant].push(await runChild(nodeBin, variant, env));
      if ((round + 1) % 7 === 0) log(`cold start: ${round + 1}/${rounds} rounds`);
    }
    const requestsPerStart = {};
    // Requests per start, by variant, from one extra start each (the tenant counts them all).
    for (const variant of VARIANTS) {
      tenant.resetRequests();
      await runChild(nodeBin, variant, env);
      requestsPerStart[variant] = tenant.requests.length;
    }

    const result = { rounds, nodeVersion: require('node:child_process').execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim(), variants: {} };
    for (const variant of VARIANTS) {
      const runs = samples[variant];
      const pick = (key) => runs.map((r) => r[key]);
      result.variants[variant] = {
        total: summary(pick('totalMs')),
        require: summary(pick('requireMs')),
        create: summary(pick('createMs')),
        login: summary(pick('loginMs')),
        wall: summary(pick('wallMs')),
        boot: summary(pick('bootMs')),
        phoneClaimEveryTime: runs.every((r) => r.phoneClaim),
        requests: requestsPerStart[variant],
      };
    }
    // Per-round ratios: each round's runs saw the same machine state.
    const ratio = (a, b, key) => {
      const values = samples[a].map((run, i) => run[key] / samples[b][i][key]);
      return { median: median(values), ...summary(values) };
    };
    result.ratios = {
      oursVsAxios: ratio('ours', 'axios', 'totalMs'),
      oursVsSdk: ratio('ours', 'sdk', 'totalMs'),
      oursVsAxiosWall: ratio('ours', 'axios', 'wallMs'),
      oursVsSdkWall: ratio('ours', 'sdk', 'wallMs'),
      oursNoLookupVsAxios: ratio('ours-nolookup', 'axios', 'totalMs'),
      // The cold target: ours on the no-lookup login against the plain-JS Action doing
      // the same work on the same login (≤ 2×).
      oursNoLookupVsFair: ratio('ours-nolookup', 'fair', 'totalMs'),
      oursNoLookupVsFairWall: ratio('ours-nolookup', 'fair', 'wallMs'),
    };
    return result;
  } finally {
    await tenant.close();
  }
}

module.exports = { measureColdStart };

if (require.main === module) {
  measureColdStart({ rounds: Number(process.argv[2]) || 5, nodeBin: process.argv[3] || process.execPath, log: console.error }).then((r) => console.log(JSON.stringify(r, null, 1)));
}
