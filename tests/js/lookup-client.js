'use strict';
// The Management API lookup alone, for the tests of its rules (src/management in Rust): the
// wasm's ManagementLookup machine, driven by the Action's own transport (js/action/transport.js)
// exactly as a post-login login drives it. `createManagementClient` keeps the shape these tests
// have always used: `lookup(userId, endpoint)` resolves to {ok, methods | reason, detail, requests}.

const path = require('node:path');
const { root, packageFile } = require('./under-test.js');

const { drive } = packageFile('js/action/transport.js');

/** The wasm glue the package itself uses (one instance per process), initialised by the package. */
function engine() {
  require(root).validateConfig({});
  return require(path.join(root, 'pkg', 'login_claims_glue.cjs'));
}

/** A fresh Action instance: every token held in either module's memory is forgotten. */
function _resetForTests() {
  engine().resetTokenMemory();
  try {
    require(path.join(root, 'pkg', 'login_claims_phone_glue.cjs')).resetTokenMemory();
  } catch {
    // The phone-message module was not loaded in this process: it holds nothing.
  }
}

function invalid(message) {
  const error = new TypeError(`createManagementClient: ${message}`);
  error.code = 'ERR_INVALID_ARG_VALUE';
  return error;
}

function createManagementClient(options) {
  const { secrets, fetch: fetchFn, timeoutMs, deadline, cache, now = Date.now } = options || {};
  if (typeof fetchFn !== 'function') throw invalid('fetch must be a function');
  if (typeof now !== 'function') throw invalid('now must be a function returning epoch ms');
  if (typeof timeoutMs !== 'number' || typeof deadline !== 'number') throw invalid('timeoutMs and deadline must be numbers');
  const { ManagementLookup } = engine();
  try {
    new ManagementLookup('enrollments', '', timeoutMs, deadline).free();
  } catch (error) {
    throw invalid(error.message);
  }
  return {
    async lookup(userId, endpoint) {
      let machine;
      try {
        machine = new ManagementLookup(endpoint, userId, timeoutMs, deadline);
      } catch (error) {
        return { ok: false, reason: 'mgmt_not_configured', detail: error.message, requests: 0 };
      }
      try {
        await drive(machine, { fetch: fetchFn, now, secrets, cache });
        return machine.report();
      } finally {
        machine.free();
      }
    },
  };
}

const MANAGEMENT_FAILURES = Object.freeze(
  Object.fromEntries(JSON.parse(engine().catalogue()).managementFailures.map(({ code, explain }) => [code, explain]))
);

/** Every code and name the engine documents (src/catalogue.rs). */
const catalogue = () => JSON.parse(engine().catalogue());

module.exports = { createManagementClient, MANAGEMENT_FAILURES, _resetForTests, catalogue };
