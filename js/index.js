'use strict';
// The Action entry: the wasm is inlined (base64), because an Action cannot count on reading a
// file next to its code. Nothing is decoded until the first handler is created.

const { createApi, createMemoryCache } = require('./core.js');

module.exports = {
  ...createApi(() => Buffer.from(require('../pkg/login_claims_wasm.cjs'), 'base64')),
  createMemoryCache,
};
