'use strict';
// How fast the configured paths of the warm benchmark can be walked in JS, by three designs,
// without classifying or copying what they reach (ns per login, best of 9 × 200 000 over the
// warm benchmark's 64 events):
//   - linear: each path from the event, as readEvent did before the path tree;
//   - tree: each shared prefix once, as readEvent does now (core.pathTree);
//   - generated: a function built per configuration with `new Function`, reading by name. The
//     shim does not do this (code built from configuration text); it is here to measure what it
//     would gain.
// All three check own properties at every step, as the shim must.
//   node bench/path-walk.js
const path = require('node:path');
const events = require('./lib/events.js');
const { pool } = require('./warm.js');
const core = require('../js/action/core.js');
const glue = require('../pkg/login_claims_decide_glue.cjs');

require('..').createPostLoginHandler(events.CONFIG); // initialises the decide module
const compiled = new glue.CompiledConfig(JSON.stringify(events.CONFIG), undefined);
const { paths } = JSON.parse(compiled.layoutJson());
compiled.free();
const list = pool(0);
const own = Object.prototype.hasOwnProperty;
const isObject = (v) => v !== null && typeof v === 'object';

function linear(event) {
  let found = 0;
  for (const segments of paths) {
    let v = event;
    for (let k = 0; k < segments.length && v !== undefined; k++) v = isObject(v) && own.call(v, segments[k]) ? v[segments[k]] : undefined;
    if (v !== undefined) found++;
  }
  return found;
}

const { parent, key, leaf } = core.pathTree(paths);
const nodes = new Array(parent.length);
function tree(event) {
  nodes[0] = event;
  for (let n = 1; n < nodes.length; n++) {
    const above = nodes[parent[n]];
    nodes[n] = isObject(above) && own.call(above, key[n]) ? above[key[n]] : undefined;
  }
  let found = 0;
  for (let i = 0; i < leaf.length; i++) if (nodes[leaf[i]] !== undefined) found++;
  return found;
}

const body = ['let found = 0, v;'];
for (const segments of paths) {
  body.push('v = event;');
  for (const s of segments) {
    const name = JSON.stringify(s);
    body.push(`v = v !== null && typeof v === 'object' && own.call(v, ${name}) ? v[${name}] : undefined;`);
  }
  body.push('if (v !== undefined) found++;');
}
body.push('return found;');
const generated = new Function('own', `return function generated(event) {\n${body.join('\n')}\n};`)(own);

for (const walk of [linear, tree, generated]) {
  if (walk(list[0]) !== linear(list[0])) throw new Error(`${walk.name} reaches other values`);
}
const nsPerLogin = (walk) => {
  let best = Infinity;
  for (let run = 0; run < 9; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200000; i++) walk(list[i % list.length]);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 200000);
  }
  return best.toFixed(0);
};
console.log(`${paths.length} paths: linear ${nsPerLogin(linear)} ns, tree ${nsPerLogin(tree)} ns, generated ${nsPerLogin(generated)} ns`);
