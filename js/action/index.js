'use strict';
// The Action entry: the wasm is inlined (base64), because an Action cannot count on reading a
// file next to its code. Nothing is decoded until a handler is created, and each module only by
// the handlers that need it.

const { createApi, createMemoryCache } = require('./core.js');

const INLINED = {
  login_claims_decide: () => require('../../pkg/login_claims_decide_wasm.cjs'),
  login_claims: () => require('../../pkg/login_claims_wasm.cjs'),
  login_claims_phone: () => require('../../pkg/login_claims_phone_wasm.cjs'),
};

module.exports = {
  ...createApi((name) => Buffer.from(INLINED[name](), 'base64')),
  createMemoryCache,
};
