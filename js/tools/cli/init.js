'use strict';
// `login-claims init [DIR]`: a project that holds a working post-login Action, an example login,
// the claims it should get, and a unit test that checks them. The files are the templates of
// js/tools/templates/, copied as they are; package.json is made from package.template.json with
// this release's versions, and only when DIR has none. Nothing existing is overwritten without
// --force, and package.json never is.

const fs = require('node:fs');
const path = require('node:path');
const { inputError } = require('./errors.js');
const { count } = require('./io.js');

const TEMPLATES = path.join(__dirname, '..', 'templates');

/** The files init writes, in the order it lists them, with what each is for. */
const FILES = [
  { name: 'action.js', template: 'action.js', what: 'the Action: its code for Auth0, and its configuration' },
  { name: 'event.json', template: 'event.json', what: 'an example login (authorization code, with the phone scope)' },
  { name: 'expected.json', template: 'expected.json', what: 'the claims that login should get, and why' },
  { name: 'action.test.js', template: 'action.test.js', what: 'a unit test: the example login gets the expected claims' },
];

/**
 * @param {{dir: string, force: boolean, runtimeVersion: string, cliVersion: string}} options
 * @returns {{dir: string, written: {name: string, what: string}[], keptPackageJson: boolean}}
 */
function initProject({ dir, force, runtimeVersion, cliVersion }) {
  const target = path.resolve(dir);
  let stat;
  try {
    stat = fs.statSync(target);
  } catch (error) {
    if (error.code !== 'ENOENT') throw inputError(`cannot use ${dir}: ${error.code || error.message}`);
  }
  if (stat && !stat.isDirectory()) throw inputError(`cannot write into ${dir}: it is not a directory`);

  const existing = FILES.filter((file) => fs.existsSync(path.join(target, file.name))).map((file) => file.name);
  if (existing.length && !force) {
    throw inputError(`${existing.map((name) => path.join(dir, name)).join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}; nothing was written`, [
      `Remove or rename ${existing.length === 1 ? 'it' : 'them'}, choose another DIR, or pass --force to overwrite the files init writes (package.json is never overwritten).`,
    ]);
  }
  const keptPackageJson = fs.existsSync(path.join(target, 'package.json'));

  const contents = FILES.map((file) => ({ ...file, bytes: fs.readFileSync(path.join(TEMPLATES, file.template)) }));
  if (!keptPackageJson) {
    contents.push({ name: 'package.json', what: 'npm test runs the unit test; login-claims and login-claims-cli as dependencies', bytes: Buffer.from(packageJson(target, runtimeVersion, cliVersion)) });
  }
  fs.mkdirSync(target, { recursive: true });
  for (const file of contents) {
    // 'wx' fails on a file that appeared since the check above, rather than overwriting it.
    const flag = force && file.name !== 'package.json' ? 'w' : 'wx';
    try {
      fs.writeFileSync(path.join(target, file.name), file.bytes, { flag });
    } catch (error) {
      if (error.code === 'EEXIST') throw inputError(`${path.join(dir, file.name)} already exists; it was not overwritten`);
      throw inputError(`cannot write ${path.join(dir, file.name)}: ${error.code || error.message}`);
    }
  }
  return { dir, written: contents.map(({ name, what }) => ({ name, what })), keptPackageJson };
}

function packageJson(target, runtimeVersion, cliVersion) {
  const pkg = JSON.parse(fs.readFileSync(path.join(TEMPLATES, 'package.template.json'), 'utf8'));
  const name = npmName(path.basename(target));
  if (name) pkg.name = name;
  pkg.dependencies['login-claims'] = runtimeVersion;
  pkg.devDependencies['login-claims-cli'] = cliVersion;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** The folder's name as an npm package name, or undefined when it cannot be one. */
function npmName(base) {
  const name = base
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name && name.length <= 214 ? name : undefined;
}

/** What init prints: the files written and the commands to run next. */
function initLines(result, io) {
  const paint = io.paint;
  const names = result.written.map((file) => file.name);
  const nameWidth = Math.max(...names.map((name) => name.length));
  const lines = [`login-claims init: wrote ${count(names.length, 'file')} in ${result.dir}`];
  for (const file of result.written) lines.push(`  ${file.name.padEnd(nameWidth)}  ${paint('dim', file.what)}`);
  if (result.keptPackageJson) {
    lines.push('', `${path.join(result.dir, 'package.json')} exists and was kept: add "login-claims" to its dependencies, "login-claims-cli" to its devDependencies and "test": "node --test" to its scripts.`);
  }
  lines.push('', 'Next:');
  if (path.resolve(result.dir) !== process.cwd()) lines.push(`  cd ${result.dir}`);
  lines.push('  npm install', '  npm test', '  npx login-claims simulate --action action.js --event event.json --expect expected.json');
  return lines;
}

module.exports = { initProject, initLines, FILES, TEMPLATES };
