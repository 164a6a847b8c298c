'use strict';
// Profile of ours' warm login (the 0 KB login of the warm benchmark) with `node --cpu-prof`:
// a child process runs the handler in a loop for about 2 s; the profile's samples are grouped by
// where the time went (self time). Used by run.js for the note on the warm-cost target;
// `node bench/profile.js` prints it and keeps the .cpuprofile (open it in Chrome DevTools).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

if (process.argv[2] === '--child') {
  const events = require('./lib/events.js');
  const { pool } = require('./warm.js');
  const lc = require(path.join(__dirname, '..'));
  const handler = lc.createPostLoginHandler(events.CONFIG);
  const list = pool(0);
  const api = events.recordingApi(lc.createMemoryCache());
  (async () => {
    const end = Date.now() + Number(process.argv[3] || 2000);
    let i = 0;
    while (Date.now() < end) {
      for (let k = 0; k < 256; k++) await handler(list[i++ % list.length], api);
    }
  })();
  return;
}

function where(frame) {
  const url = frame.url || '';
  const name = frame.functionName || '(anonymous)';
  if (url.startsWith('wasm://') || /^(wasm-function|\$)/.test(name)) return 'wasm: the Rust core (decide: framing the slot records, the decision, the answer)';
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(program)' || name === '(idle)' || name === '(root)') return 'V8/Node outside JS (program, idle)';
  if (url.endsWith('login_claims_glue.cjs')) return 'wasm-bindgen glue (string copy in/out of wasm memory)';
  if (url.includes('node:internal/encoding') || url.includes('internal/encoding')) return 'TextEncoder/TextDecoder (string copy)';
  if (url.endsWith('js/action/core.js')) return `core.js ${name}()`;
  if (url.includes('/bench/')) return 'benchmark loop';
  if (url.startsWith('node:')) return `node internals (${url.replace('node:internal/', '')})`;
  return `${name} ${path.basename(url)}`;
}

function summarise(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) || 0) + 1);
  const groups = new Map();
  let total = 0;
  for (const [id, count] of counts) {
    const key = where(nodes.get(id).callFrame);
    groups.set(key, (groups.get(key) || 0) + count);
    total += count;
  }
  return [...groups]
    .map(([place, count]) => ({ place, share: count / total }))
    .sort((a, b) => b.share - a.share);
}

function profileWarm({ ms = 2000, keep = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-prof-'));
  try {
    execFileSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, __filename, '--child', String(ms)], { stdio: 'ignore' });
    const file = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    const rows = summarise(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    return { rows, file: keep ? path.join(dir, file) : undefined };
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { profileWarm };

if (require.main === module) {
  const { rows, file } = profileWarm({ keep: true });
  for (const row of rows) console.log(`${(row.share * 100).toFixed(1).padStart(5)}%  ${row.place}`);
  console.log(`profile: ${file}`);
}
