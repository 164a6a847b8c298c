'use strict';
// One measurement in a fresh node process: runs `script` with `args`, and resolves to the JSON it
// prints on stdout plus `wallMs`, the time from spawn to exit as the parent saw it.

const { spawn } = require('node:child_process');

function runJsonChild(nodeBin, script, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(nodeBin, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) return reject(new Error(`${script} ${args.join(' ')} exited ${code}: ${err.slice(0, 500)}`));
      resolve({ ...JSON.parse(out), wallMs });
    });
  });
}

module.exports = { runJsonChild };
