'use strict';
// 3. Warm cost per login with no network: a passwordless SMS user who asked for the phone scope
// (the number is on the profile), roles and org id to the access token. Ours (the real handler
// from require('login-claims')) against two hand-written baselines, in the same process, through
// the same (event, api) call, measured with tinybench:
//   - fair: bench/baselines/plain-fair.js, the same work as ours (the same paths, the number
//     normalised, the same checks, the size budget; plain-fair.check.js shows it sets our claims);
//   - plain: bench/baselines/plain-claims.js, seed 001 plus two claims (E.164 check only): what
//     users write, and the baseline of the older targets;
//   - floor: ours with the engine's work free (bench/lib/floor.js): everything a login does
//     around the wasm call, and the call itself; what no faster engine can go below.
// Each sample runs BATCH logins over a pool of distinct events so that the timer's own cost (tens
// of ns) does not weigh on a sub-microsecond baseline. Rounds rotate the order of the tasks; each
// round's ratios are taken within the round, and the reported figures are medians over rounds.

const path = require('node:path');
const assert = require('node:assert/strict');
const events = require('./lib/events.js');
const { median } = require('./lib/stats.js');
const { createFloorHandler } = require('./lib/floor.js');

const ROOT = path.join(__dirname, '..');
const BATCH = 64;
const POOL = 64;
const SIZES = [0, 10 * 1024, 100 * 1024];

function pool(metadataBytes) {
  return Array.from({ length: POOL }, (_, i) =>
    events.eventOf({ flow: 'authorize', phoneScope: true, user: events.userOf('passwordless', i, metadataBytes) })
  );
}

function batchTask(handler, list, api) {
  let j = 0;
  return async () => {
    for (let k = 0; k < BATCH; k++) {
      await handler(list[j], api);
      j = (j + 1) % POOL;
    }
  };
}

async function measureWarm({ rounds = 5, timeMs = 250, log = () => {} } = {}) {
  const { Bench } = await import('tinybench');
  const lc = require(ROOT);
  const ours = lc.createPostLoginHandler(events.CONFIG);
  const plain = require('./baselines/plain-claims.js').onExecutePostLogin;
  const fair = require('./baselines/plain-fair.js').onExecutePostLogin;
  const floor = createFloorHandler(ROOT, events.CONFIG);

  // Same claims from all of them, or the comparison means nothing (the floor repeats its first
  // login's verdict, so it is checked on the number's presence and the other claims).
  {
    const api = events.recordingApi(lc.createMemoryCache());
    const event = pool(0)[0];
    await floor(event, api);
    const expected = events.recordingApi(lc.createMemoryCache());
    await ours(event, expected);
    assert.deepEqual(api.claims, expected.claims, 'the floor must set the claims ours sets');
  }
  for (const bytes of SIZES) {
    for (const event of pool(bytes).slice(0, 4)) {
      const seen = {};
      for (const [name, handler] of [['ours', ours], ['plain', plain], ['fair', fair]]) {
        const api = events.recordingApi(lc.createMemoryCache());
        await handler(event, api);
        seen[name] = api.claims;
      }
      assert.deepEqual(seen.plain, seen.ours, 'ours and the plain-JS baseline must set the same claims');
      assert.deepEqual(seen.fair, seen.ours, 'ours and the fair plain-JS baseline must set the same claims');
    }
  }

  const result = { batch: BATCH, pool: POOL, rounds, sizes: [] };
  for (const bytes of SIZES) {
    const list = pool(bytes);
    const actualBytes = JSON.stringify(list[0].user.app_metadata).length + JSON.stringify(list[0].user.user_metadata).length;
    const api = events.recordingApi(lc.createMemoryCache());
    const perRound = { ours: [], plain: [], fair: [], floor: [], ratio: [], fairRatio: [], floorRatio: [] };
    const handlers = [['ours', ours], ['fair', fair], ['plain', plain], ['floor', floor]];
    for (let round = 0; round < rounds; round++) {
      const bench = new Bench({ time: timeMs, warmupTime: 50, iterations: 20 });
      // Each task takes each place in the order in turn.
      const tasks = handlers.map((_, i) => handlers[(i + round) % handlers.length]);
      for (const [name, handler] of tasks) bench.add(name, batchTask(handler, list, api));
      await bench.run();
      const ns = {};
      for (const task of bench.tasks) {
        if (task.result.state !== 'completed') throw new Error(`warm ${task.name}: ${task.result.state} ${task.result.error || ''}`);
        ns[task.name] = (task.result.latency.p50 * 1e6) / BATCH;
      }
      perRound.ours.push(ns.ours);
      perRound.plain.push(ns.plain);
      perRound.fair.push(ns.fair);
      perRound.floor.push(ns.floor);
      perRound.floorRatio.push(ns.floor / ns.fair);
      perRound.ratio.push(ns.ours / ns.plain);
      perRound.fairRatio.push(ns.ours / ns.fair);
    }
    log(`warm: ${Math.round(bytes / 1024)} KB done`);
    result.sizes.push({
      metadataBytes: bytes,
      actualBytes,
      oursNs: median(perRound.ours),
      plainNs: median(perRound.plain),
      fairNs: median(perRound.fair),
      // ours / plain-claims (the older targets)
      ratio: median(perRound.ratio),
      ratioMin: Math.min(...perRound.ratio),
      ratioMax: Math.max(...perRound.ratio),
      // ours / plain-fair (the target: ≤ 1.5×)
      fairRatio: median(perRound.fairRatio),
      fairRatioMin: Math.min(...perRound.fairRatio),
      fairRatioMax: Math.max(...perRound.fairRatio),
      // ours with the engine free / plain-fair: the lowest ratio this design can reach
      floorNs: median(perRound.floor),
      floorRatio: median(perRound.floorRatio),
    });
  }
  result.phases = await phases(Bench, lc).catch((error) => ({ error: String(error && error.message) }));
  return result;
}

/**
 * Where ours' time goes, by step of core.js's runLogin, on the 0 KB login: reading the event
 * into the reusable reading, writing the slot records into the wasm buffer, the wasm call
 * (`decide`: records in, a status number and the answer bytes out). Uses internals of the
 * package (core.readEvent / writeRecords, the wasm glue), so it reports an error instead of
 * failing the run when those change.
 */
async function phases(Bench, lc) {
  const core = require(path.join(ROOT, 'js', 'action', 'core.js'));
  // The module a handler decides its logins in.
  const glue = require(path.join(ROOT, 'pkg', 'login_claims_decide_glue.cjs'));
  lc.createPostLoginHandler(events.CONFIG); // makes sure the engine is initialised
  const memory = glue.initSync().memory; // already initialised: the instance's exports
  const compiled = new glue.CompiledConfig(JSON.stringify(events.CONFIG), undefined);
  const { paths } = JSON.parse(compiled.layoutJson());
  const tree = core.pathTree(paths);
  const list = pool(0);
  const reading = core.newReading(paths.length);
  const at = compiled.slotBuffer(64 * 1024);
  // One view of the memory, as the shim keeps it: a new one only once the memory has grown
  // (which empties the old); a view per call would add its allocation to the write step.
  let bytes = new Uint8Array(memory.buffer);
  const view = () => (bytes.length === 0 ? (bytes = new Uint8Array(memory.buffer)) : bytes);
  const lengths = list.map((event) => {
    core.readEvent(event, tree, reading);
    return core.writeRecords(view(), at, reading, paths.length);
  });
  const status = compiled.decide(lengths[0], false, 0);
  // Decided without a lookup, with the phone claims.
  assert.equal(status & 1, 0);
  assert.equal(status & 2, 2);
  const ours = lc.createPostLoginHandler(events.CONFIG);
  const api = events.recordingApi(lc.createMemoryCache());

  const loop = (fn) => () => {
    for (let k = 0; k < BATCH; k++) fn(k % POOL);
  };
  let sink = 0;
  const bench = new Bench({ time: 250, warmupTime: 50, iterations: 20 });
  bench.add('whole login (handler)', batchTask(ours, list, api));
  bench.add('read the event (JS)', loop((i) => { sink += core.readEvent(list[i], tree, reading); }));
  // The records are written as the handler writes them: what the last login left is kept.
  const kept = core.newKept(paths.length);
  bench.add('write the slot records (JS)', loop((i) => { core.readEvent(list[i], tree, reading); sink += core.writeRecords(view(), at, reading, paths.length, kept); }));
  bench.add('decide: the wasm call (records in, status out)', loop((i) => {
    core.readEvent(list[i], tree, reading);
    core.writeRecords(view(), at, reading, paths.length, kept);
    sink += compiled.decide(lengths[i], false, 0);
  }));
  await bench.run();
  compiled.free();
  const rows = bench.tasks.map((task) => ({ step: task.name, ns: (task.result.latency.p50 * 1e6) / BATCH }));
  // Each step's own time: the rows are cumulative (read; read + write; read + write + decide).
  const own = rows.map((row, i) => (i >= 2 ? { ...row, own: row.ns - rows[i - 1].ns } : { ...row, own: row.ns }));
  return { rows: own, sink, slotBytes: lengths[0] };
}

module.exports = { measureWarm, pool, BATCH, POOL };

if (require.main === module) {
  measureWarm({ rounds: Number(process.argv[2]) || 3, log: console.error }).then((r) => console.log(JSON.stringify(r, null, 1)));
}
