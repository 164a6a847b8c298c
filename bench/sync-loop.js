'use strict';
// The warm login in a plain synchronous loop: ours (the real handler) against the fair plain-JS
// baseline, best of 9 runs of 200 000 logins over the warm benchmark's 64 events. No tinybench and
// no `await` (both handlers settle before they return), so the ratio is that of the work itself;
// bench/warm.js, which awaits each login as Auth0 does, is the published figure. The floor
// (bench/lib/floor.js) is ours with the engine's work free: what no faster engine goes below.
//   node bench/sync-loop.js [CHECKOUT]   (CHECKOUT: another work tree, e.g. a `git worktree` of
//   an older commit, to compare before and after; run the two alternately, a few times each)
const path = require('node:path');

const ROOT = path.resolve(process.argv[2] || path.join(__dirname, '..'));
const events = require(path.join(ROOT, 'bench', 'lib', 'events.js'));
const { pool } = require(path.join(ROOT, 'bench', 'warm.js'));
const ours = require(ROOT).createPostLoginHandler(events.CONFIG);
const fair = require(path.join(ROOT, 'bench', 'baselines', 'plain-fair.js')).onExecutePostLogin;
// The floor of this checkout's handler, when the checkout has the tool (older ones do not).
const floorTool = path.join(ROOT, 'bench', 'lib', 'floor.js');
const floor = require('node:fs').existsSync(floorTool) ? require(floorTool).createFloorHandler(ROOT, events.CONFIG) : undefined;

const list = pool(0);
const token = { setCustomClaim() {} };
const api = { idToken: token, accessToken: token, access: { deny() {} } };
const LOGINS = 200000;

function nsPerLogin(handler) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < LOGINS; i++) handler(list[i % list.length], api);
  return Number(process.hrtime.bigint() - start) / LOGINS;
}

const best = { ours: Infinity, fair: Infinity, floor: Infinity };
for (let run = 0; run < 9; run++) {
  best.ours = Math.min(best.ours, nsPerLogin(ours));
  best.fair = Math.min(best.fair, nsPerLogin(fair));
  if (floor) best.floor = Math.min(best.floor, nsPerLogin(floor));
}
const floorText = floor ? `, floor (the engine free) ${best.floor.toFixed(0)} ns, ratio ${(best.floor / best.fair).toFixed(2)}` : '';
console.log(`${ROOT}: ours ${best.ours.toFixed(0)} ns, fair ${best.fair.toFixed(0)} ns, ratio ${(best.ours / best.fair).toFixed(2)}${floorText}`);
