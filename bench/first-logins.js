'use strict';
// The first 100 logins of a fresh process (bench/first-logins-child.js): their total, after
// require + create, ours against the fair plain-JS baseline (bench/baselines/plain-fair.js).
// A warm login (section 3) is measured after the engine has tiered up; an Action instance that
// serves a few logins and is recycled never gets there, so this is what such an instance costs.
// Fresh processes, interleaved: each round starts both variants once, in a shuffled order; the
// ratio is taken within each round, and figures are medians over rounds.

const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { runJsonChild } = require('./lib/child.js');
const { summary, median } = require('./lib/stats.js');
const { prng } = require('./mix.js');

const VARIANTS = ['ours', 'fair'];

function runChild(nodeBin, variant, count) {
  return runJsonChild(nodeBin, path.join(__dirname, 'first-logins-child.js'), [variant, String(count)]);
}

async function measureFirstLogins({ rounds = 15, count = 100, nodeBin = process.execPath, log = () => {} } = {}) {
  // One unmeasured start of each warms the file-system cache.
  for (const variant of VARIANTS) await runChild(nodeBin, variant, count);
  const samples = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  const random = prng(11);
  for (let round = 0; round < rounds; round++) {
    const order = [...VARIANTS].sort(() => random() - 0.5);
    for (const variant of order) samples[variant].push(await runChild(nodeBin, variant, count));
    if ((round + 1) % 5 === 0) log(`first ${count} logins: ${round + 1}/${rounds} rounds`);
  }
  const result = {
    rounds,
    count,
    nodeVersion: execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim(),
    variants: {},
  };
  for (const variant of VARIANTS) {
    const runs = samples[variant];
    const pick = (key) => runs.map((r) => r[key]);
    result.variants[variant] = {
      setup: summary(pick('setupMs')),
      first: summary(pick('firstMs')),
      rest: summary(pick('restMs')),
      total: summary(pick('totalMs')),
      phoneClaimEveryTime: runs.every((r) => r.phoneEveryTime),
    };
  }
  const ratio = (key) => {
    const values = samples.ours.map((run, i) => run[key] / samples.fair[i][key]);
    return { median: median(values), ...summary(values) };
  };
  result.ratios = { total: ratio('totalMs'), first: ratio('firstMs'), rest: ratio('restMs') };
  return result;
}

module.exports = { measureFirstLogins };

if (require.main === module) {
  measureFirstLogins({ rounds: Number(process.argv[2]) || 5, nodeBin: process.argv[3] || process.execPath, log: console.error })
    .then((r) => console.log(JSON.stringify(r, null, 1)));
}
