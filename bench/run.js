'use strict';
// Regenerates BENCHMARKS.md in one run: ./build.sh bench (or npm run bench, or node bench/run.js).
//   --quick        few rounds, for checking the harness (figures not for publishing)
//   --no-write     print the Markdown instead of writing BENCHMARKS.md
// Sections run one after the other; inside each, ours and the baselines are interleaved so that
// the machine's noise falls on both. Raw results go to target/bench/results.json; `node
// bench/render.js target/bench/results.json` re-renders them without measuring again.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { measureSize } = require('./size.js');
const { measureColdStart } = require('./cold.js');
const { measureWarm } = require('./warm.js');
const { measureFirstLogins } = require('./first-logins.js');
const { measureNetwork } = require('./network.js');
const { measureRateLimit } = require('./ratelimit.js');
const { profileWarm } = require('./profile.js');
const { render, spliceInto } = require('./render.js');

const ROOT = path.join(__dirname, '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const log = (line) => process.stderr.write(`bench: ${line}\n`);

function git(...gitArgs) {
  try {
    return execFileSync('git', gitArgs, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/**
 * The Node binary of a major version through npx (as ./build.sh setup fetches Node 22), or none.
 * The Actions runtimes are Node 18 and Node 22.
 */
function nodeOf(major) {
  if (process.versions.node.startsWith(`${major}.`)) return process.execPath;
  try {
    return execFileSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], {
      cwd: os.tmpdir(), encoding: 'utf8', timeout: 120000, stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** This process's node, then Node 18 and Node 22 when they can be had (oldest first). */
function nodeBinaries() {
  const byMajor = new Map([[Number(process.versions.node.split('.')[0]), process.execPath]]);
  for (const major of [18, 22]) {
    const bin = byMajor.has(major) ? undefined : nodeOf(major);
    if (bin) byMajor.set(major, bin);
    else if (!byMajor.has(major)) log(`Node ${major} not available through npx: left out`);
  }
  return [...byMajor.entries()].sort(([a], [b]) => a - b).map(([, bin]) => bin);
}

async function main() {
  const started = Date.now();
  const status = git('status', '--porcelain');
  const results = {
    quick,
    run: {
      date: new Date().toISOString(),
      node: process.version,
      v8: process.versions.v8,
      cpu: os.cpus()[0] && os.cpus()[0].model,
      cores: os.cpus().length,
      memoryGiB: os.totalmem() / 2 ** 30,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      loadAverageAtStart: os.loadavg(),
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges: status === undefined ? undefined : status !== '',
      packageVersion: require(path.join(ROOT, 'package.json')).version,
    },
  };

  log('size');
  results.size = measureSize();

  const bins = nodeBinaries();
  results.cold = [];
  for (const nodeBin of bins) {
    log(`cold start with ${nodeBin}`);
    results.cold.push(await measureColdStart({ rounds: quick ? 3 : 21, nodeBin, log }));
  }
  results.firstLogins = [];
  for (const nodeBin of bins) {
    log(`first 100 logins with ${nodeBin}`);
    results.firstLogins.push(await measureFirstLogins({ rounds: quick ? 3 : 21, count: 100, nodeBin, log }));
  }

  log('warm cost per login');
  results.warm = await measureWarm({ rounds: quick ? 2 : 7, timeMs: quick ? 100 : 300, log });
  log('profile of the warm login (node --cpu-prof)');
  results.profile = profileWarm({ ms: quick ? 500 : 2000 });

  log('network on the mix, 50 ms round trip');
  results.network = await measureNetwork({ count: 1000, log });

  log('Free-plan rate limit, bursts of 100 logins in 10 s');
  results.rateLimit = await measureRateLimit({ log });

  results.run.durationSeconds = (Date.now() - started) / 1000;
  const outDir = path.join(ROOT, 'target', 'bench');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);

  const markdown = render(results);
  if (args.has('--no-write')) {
    process.stdout.write(markdown);
  } else {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    fs.writeFileSync(file, spliceInto(previous, markdown));
    log(`BENCHMARKS.md written (${Math.round(results.run.durationSeconds)} s)`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench: failed: ${error && error.stack}\n`);
  process.exit(1);
});
