'use strict';
// The runtime the CLI runs logins with: the `login-claims` package, loaded by its name. In the
// repository the name resolves to the repository itself (Node's package self-reference); in
// the login-claims-cli package it is a dependency. Either way the CLI runs the bytes an Action
// runs, and never reaches into the runtime by a relative path.

const path = require('node:path');
const { runError } = require('./errors.js');

let runtime;

/** The public API of `login-claims`. */
function loadRuntime() {
  if (runtime === undefined) runtime = require('login-claims');
  return runtime;
}

/** The directory of the installed `login-claims` package. */
function runtimeRoot() {
  return path.dirname(require.resolve('login-claims/package.json'));
}

let parsedCatalogue;

/**
 * The engine's catalogue (src/catalogue.rs): reasons, issues, Management API failures and
 * secrets, options. validateConfig initialises the engine; the glue module it loaded is the one
 * read here, by its place in the runtime package.
 */
function catalogue() {
  if (parsedCatalogue === undefined) {
    const { issues } = loadRuntime().validateConfig({});
    const unavailable = issues.find((issue) => issue.code === 'engine_unavailable');
    if (unavailable) throw runError(`engine_unavailable: ${unavailable.message}`);
    const glue = require(path.join(runtimeRoot(), 'pkg', 'login_claims_glue.cjs'));
    parsedCatalogue = JSON.parse(glue.catalogue());
  }
  return parsedCatalogue;
}

/** The version of the runtime package. */
function runtimeVersion() {
  return require('login-claims/package.json').version;
}

module.exports = { loadRuntime, runtimeRoot, catalogue, runtimeVersion };
