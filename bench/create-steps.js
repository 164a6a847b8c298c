'use strict';
// Where creating the first handler goes, step by step, in this fresh process: requiring the
// inlined wasm (base64 source), decoding it, requiring the wasm-bindgen glue, compiling and
// instantiating the module, the first CompiledConfig (the benchmark configuration), its layout,
// and a second CompiledConfig (the same work once the functions it runs are compiled).
//   node bench/create-steps.js [MODULE]   (one fresh process; run it a few times, the figures vary)
// MODULE: login_claims_decide (the default: what a handler loads) or login_claims (what the first
// lookup login loads on top of it).
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { CONFIG } = require('./lib/events.js');

const pkg = path.join(__dirname, '..', 'pkg');
const name = process.argv[2] || 'login_claims_decide';
const steps = {};
let last = performance.now();
const step = (name) => {
  const now = performance.now();
  steps[name] = Number((now - last).toFixed(3));
  last = now;
};
const base64 = require(path.join(pkg, `${name}_wasm.cjs`));
step('require the base64 module');
const bytes = Buffer.from(base64, 'base64');
step('decode the base64');
const glue = require(path.join(pkg, `${name}_glue.cjs`));
step('require the glue');
const module_ = new WebAssembly.Module(bytes);
step('new WebAssembly.Module');
glue.initSync({ module: module_ });
step('instantiate');
const compiled = new glue.CompiledConfig(JSON.stringify(CONFIG), undefined);
step('first new CompiledConfig');
compiled.layoutJson();
step('layoutJson');
new glue.CompiledConfig(JSON.stringify(CONFIG), undefined).free();
step('second new CompiledConfig');
console.log(JSON.stringify(steps));
