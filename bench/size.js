'use strict';
// 1. Size: the .wasm and the Action entry JS (every file `require('login-claims')` loads to create
// a handler), raw, gzip -9 and brotli q11; next to them, what the hand-written Actions load
// (axios; the auth0 SDK) and what they install.

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');

const ROOT = path.join(__dirname, '..');

function compressed(buffer) {
  return {
    raw: buffer.length,
    gzip: zlib.gzipSync(buffer, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buffer, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
    }).length,
  };
}

/** Files loaded by a fresh node that runs `script` (require.cache after it). */
function loadedFiles(script) {
  const out = execFileSync(process.execPath, ['-e', `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out).filter((file) => file !== '[eval]' && fs.existsSync(file));
}

/** Sizes of a set of files: each, and all of them concatenated (as one bundle would ship). */
function closure(files) {
  const buffers = files.map((file) => fs.readFileSync(file));
  return {
    files: files.length,
    ...compressed(Buffer.concat(buffers)),
    each: files.map((file, i) => ({ file: path.relative(ROOT, file), ...compressed(buffers[i]) })),
  };
}

function dirBytes(dir) {
  let total = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = dirBytes(full);
      total += sub.bytes;
      files += sub.files;
    } else if (entry.isFile()) {
      total += fs.statSync(full).size;
      files += 1;
    }
  }
  return { bytes: total, files };
}

/** On-disk size of an installed package and its dependencies (flat node_modules). */
function installed(name) {
  const seen = new Set();
  const queue = [name];
  let bytes = 0;
  let files = 0;
  while (queue.length) {
    const pkg = queue.shift();
    if (seen.has(pkg)) continue;
    seen.add(pkg);
    const dir = path.join(ROOT, 'node_modules', pkg);
    if (!fs.existsSync(dir)) continue;
    const size = dirBytes(dir);
    bytes += size.bytes;
    files += size.files;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    queue.push(...Object.keys(manifest.dependencies || {}));
  }
  return { packages: seen.size, bytes, files, version: require(path.join(ROOT, 'node_modules', name, 'package.json')).version };
}

/** Raw bytes of the files a fresh node in `cwd` has in require.cache after `script`. */
function loadedBytes(cwd, script) {
  const out = execFileSync(process.execPath, ['-e', `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { cwd, encoding: 'utf8' });
  const files = JSON.parse(out).filter((file) => file !== '[eval]' && fs.existsSync(file));
  return { files: files.length, bytes: files.reduce((sum, file) => sum + fs.statSync(file).size, 0) };
}

/**
 * The three packages as npm publishes them (scripts/pack.js), each tarball's size, and for the
 * two runtime packages what an Action installs against what it loads: each tarball installed
 * alone into a scratch project (from the tarball, offline), then a fresh node that creates the
 * Action's handler there.
 */
function ourPackages() {
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-size-'));
  try {
    const packed = require('../scripts/pack.js').packAll(path.join(dir, 'tarballs'));
    const runtimes = {
      'login-claims': `require('login-claims').createPostLoginHandler(${JSON.stringify(require('./lib/events.js').CONFIG)})`,
      'login-claims-phone-message': `require('login-claims-phone-message').createSendPhoneMessageHandler()`,
    };
    return packed.map((p) => {
      const row = { name: p.name, tarball: p.size, unpacked: p.unpackedSize, files: p.entryCount };
      if (!runtimes[p.name]) return row;
      const project = path.join(dir, p.name);
      fs.mkdirSync(project);
      fs.writeFileSync(path.join(project, 'package.json'), '{"name":"scratch","private":true}');
      execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--offline', p.tarball], { cwd: project, stdio: 'ignore' });
      const installedDir = dirBytes(path.join(project, 'node_modules', p.name));
      const loaded = loadedBytes(project, runtimes[p.name]);
      return { ...row, installed: installedDir.bytes, installedFiles: installedDir.files, loaded: loaded.bytes, loadedFiles: loaded.files };
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function measureSize() {
  const module = (name) => {
    const bytes = fs.readFileSync(path.join(ROOT, 'pkg', `${name}_bg.wasm`));
    // What the module exports: whoever loads it compiles all of it, whatever it uses.
    return { ...compressed(bytes), exports: WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name) };
  };
  // The module every post-login Action loads; the one its first lookup login (and the tools)
  // load; the phone-message handlers'.
  const wasm = module('login_claims_decide');
  const lookupWasm = module('login_claims');
  const phoneWasm = module('login_claims_phone');
  const entry = closure(
    loadedFiles(`require(${JSON.stringify(ROOT)}).createPostLoginHandler(${JSON.stringify(require('./lib/events.js').CONFIG)})`)
  );
  const axiosLoaded = closure(loadedFiles(`require('axios')`));
  const auth0Loaded = closure(loadedFiles(`require('auth0')`));
  return {
    wasm,
    lookupWasm,
    phoneWasm,
    entry,
    packages: ourPackages(),
    baselines: {
      axios: { loaded: axiosLoaded, installed: installed('axios') },
      auth0: { loaded: auth0Loaded, installed: installed('auth0') },
    },
  };
}

module.exports = { measureSize, compressed };

if (require.main === module) console.log(JSON.stringify(measureSize(), (k, v) => (k === 'each' ? v.length : v), 2));
