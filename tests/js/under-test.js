'use strict';
// Which copy of the package the JS suites test: the repository (default) or an installed
// tarball (LOGIN_CLAIMS_UNDER_TEST=.../node_modules/login-claims, set by ./build.sh test), loaded
// through CommonJS or ESM (LOGIN_CLAIMS_MODULE_KIND=cjs|esm).

const path = require('node:path');
const { pathToFileURL } = require('node:url');

const root = process.env.LOGIN_CLAIMS_UNDER_TEST || path.join(__dirname, '..', '..');
const kind = process.env.LOGIN_CLAIMS_MODULE_KIND || 'cjs';

/** The package's public API, loaded the way a consumer of `kind` would. */
async function loadPackage() {
  if (kind === 'esm') return import(pathToFileURL(path.join(root, 'js', 'action', 'index.mjs')).href);
  return require(root);
}

/** A file of the package by its path inside the package (for modules tests reach directly). */
function packageFile(relative) {
  return require(path.join(root, relative));
}

module.exports = { root, kind, loadPackage, packageFile };
