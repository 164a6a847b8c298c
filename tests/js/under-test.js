'use strict';
// Which copy of the packages the JS suites test: the repository (default), where all three
// packages are the repository itself, or the installed tarballs (LOGIN_CLAIMS_PACKED=<a
// node_modules directory holding login-claims, login-claims-phone-message and login-claims-cli>,
// set by ./build.sh test), loaded through CommonJS or ESM (LOGIN_CLAIMS_MODULE_KIND=cjs|esm).
// Every package keeps the repository's relative paths, so `path.join(cliRoot, 'js/tools/cli.js')`
// names the same file in both.

const path = require('node:path');
const { pathToFileURL } = require('node:url');

const repoRoot = path.join(__dirname, '..', '..');
const packed = process.env.LOGIN_CLAIMS_PACKED || '';
const kind = process.env.LOGIN_CLAIMS_MODULE_KIND || 'cjs';

/** The directory of the package `name` under test. */
function packageRoot(name) {
  return packed ? path.join(packed, name) : repoRoot;
}

/** The post-login runtime (what an Action's dependencies hold). */
const root = packageRoot('login-claims');
/** The phone-message runtime (send-phone-message and custom-phone-provider Actions). */
const phoneRoot = packageRoot('login-claims-phone-message');
/** The dev tools: the CLI, the sample tenant, the examples and the playground. */
const cliRoot = packageRoot('login-claims-cli');

/** The post-login package's public API, loaded the way a consumer of `kind` would. */
async function loadPackage() {
  if (kind === 'esm') return import(pathToFileURL(path.join(root, 'js', 'action', 'index.mjs')).href);
  return require(root);
}

/** The phone-message package's public API, loaded the same way. */
async function loadPhonePackage() {
  if (kind === 'esm') return import(pathToFileURL(path.join(phoneRoot, 'js', 'phone-message', 'index.mjs')).href);
  return require(path.join(phoneRoot, 'js', 'phone-message', 'index.js'));
}

/**
 * A module of the packages by its path inside them (for modules tests reach directly): from the
 * first of login-claims, login-claims-phone-message and login-claims-cli that holds it.
 */
function packageFile(relative) {
  const fs = require('node:fs');
  const holder = [root, phoneRoot, cliRoot].find((dir) => fs.existsSync(path.join(dir, relative)));
  if (!holder) throw new Error(`no package under test holds ${relative}`);
  return require(path.join(holder, relative));
}

module.exports = { root, phoneRoot, cliRoot, packed: Boolean(packed), repoRoot, kind, loadPackage, loadPhonePackage, packageFile, packageRoot };
