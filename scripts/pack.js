#!/usr/bin/env node
'use strict';
// Packs the three npm packages of this repository (a repository tool: it ships in none of them).
//
//   login-claims                the post-login Action's dependency: the repository's own
//                               package.json, whose `files` list only what an Action loads
//   login-claims-phone-message  the send-phone-message / custom-phone-provider Actions' dependency
//   login-claims-cli            a devDependency: the CLI, the sample tenant, examples, playground
//
// The last two are staged: packages/<name>/ holds their package.json; the files
// their `files` list names are copied from the repository with their paths unchanged, so that
// every relative require between them reads the same in the repository and in each package.
//
//   node scripts/pack.js DEST_DIR     packs all three into DEST_DIR and prints, as JSON, for each
//                                     {name, tarball, size, unpackedSize, entryCount}

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');
// The staged packages, each with the file that becomes its README.md.
const STAGED = {
  'login-claims-phone-message': 'docs/phone-messages.md',
  'login-claims-cli': 'packages/login-claims-cli/README.md',
};

/** Copies the manifest's `files` (files or folders, repository-relative) into `dir`. */
function stage(name) {
  const manifestDir = path.join(ROOT, 'packages', name);
  const manifest = JSON.parse(fs.readFileSync(path.join(manifestDir, 'package.json'), 'utf8'));
  const dir = path.join(ROOT, 'target', 'npm', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of manifest.files) {
    const from = path.join(ROOT, entry);
    if (!fs.existsSync(from)) throw new Error(`${name}: ${entry} is listed in packages/${name}/package.json but does not exist`);
    fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  fs.copyFileSync(path.join(manifestDir, 'package.json'), path.join(dir, 'package.json'));
  fs.copyFileSync(path.join(ROOT, STAGED[name]), path.join(dir, 'README.md'));
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(dir, 'LICENSE'));
  return dir;
}

/** `npm pack` of the package in `dir` into `dest`; npm's own report of it. */
function pack(dir, dest) {
  const out = execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', dest], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [report] = JSON.parse(out);
  return {
    name: report.name,
    tarball: path.join(dest, report.filename),
    size: report.size,
    unpackedSize: report.unpackedSize,
    entryCount: report.entryCount,
  };
}

function packAll(dest) {
  fs.mkdirSync(dest, { recursive: true });
  return [pack(ROOT, dest), ...Object.keys(STAGED).map((name) => pack(stage(name), dest))];
}

if (require.main === module) {
  const dest = process.argv[2];
  if (!dest) {
    process.stderr.write('usage: node scripts/pack.js DEST_DIR\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(packAll(path.resolve(dest)), null, 2)}\n`);
}

module.exports = { packAll, STAGED };
