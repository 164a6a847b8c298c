'use strict';
// The same API as the main entry, for hosts that can read files: the wasm is read from
// pkg/*_bg.wasm instead of being carried inline as base64.

const { createApi, createMemoryCache } = require('./core.js');

module.exports = {
  ...createApi((name) => require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'pkg', `${name}_bg.wasm`))),
  createMemoryCache,
};
