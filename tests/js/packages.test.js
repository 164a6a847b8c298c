'use strict';
// The three npm packages: what each holds, that it holds everything it loads and nothing an
// Action does not need, the npm conventions of their manifests, and the generated code unions
// of the types. Against the repository it reads the manifests (scripts/pack.js stages the
// packages from them); against installed tarballs (LOGIN_CLAIMS_PACKED) it reads what npm
// installed.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, phoneRoot, cliRoot, repoRoot, packed } = require('./under-test.js');

const RUNTIME = 'login-claims';
const PHONE = 'login-claims-phone-message';
const CLI = 'login-claims-cli';
const REPO_URL = 'https://github.com/login-claims/login-claims';

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const manifests = {
  [RUNTIME]: readJson(path.join(repoRoot, 'package.json')),
  [PHONE]: readJson(path.join(repoRoot, 'packages', PHONE, 'package.json')),
  [CLI]: readJson(path.join(repoRoot, 'packages', CLI, 'package.json')),
};
const rootOf = { [RUNTIME]: root, [PHONE]: phoneRoot, [CLI]: cliRoot };

/** Whether a repository-relative file is covered by a manifest's `files` (files or folders/). */
const covers = (files, relative) => files.some((entry) => (entry.endsWith('/') ? relative.startsWith(entry) : relative === entry));

/**
 * Repository-relative paths of the files a fresh node has loaded after `script`, run in `dir`;
 * with `wait`, `script` is an async function's body, and the files are listed once it settled.
 */
function loaded(dir, script, { wait = false } = {}) {
  const report = 'process.stdout.write(JSON.stringify(Object.keys(require.cache)))';
  const program = wait ? `(async () => { ${script} })().then(() => ${report}, (error) => { console.error(error); process.exit(1); })` : `${script}; ${report}`;
  const run = spawnSync(process.execPath, ['-e', program], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout)
    .filter((file) => file !== '[eval]')
    .map((file) => path.relative(dir, file));
}

// A login that needs the Management API (the phone scope, an enrolled phone factor, no profile
// number), with a stub fetch that answers at once: what an Action with every post-login feature loads.
const LOOKUP_LOGIN = `
  const handler = require('./').createPostLoginHandler({ phone: { sources: ['mfa'] } }, {
    logger: { warn() {}, log() {} },
    fetch: async () => new Response('[]', { status: 200, headers: { 'content-type': 'application/json' } }),
  });
  const set = [];
  const token = { setCustomClaim: (name, value) => set.push(name) };
  await handler({
    user: { user_id: 'auth0|u1', enrolledFactors: [{ type: 'phone' }] },
    transaction: { requested_scopes: ['openid', 'phone'] },
    secrets: { AUTH0_DOMAIN: 'tenant.example.com', MANAGEMENT_API_TOKEN: 'static-token-for-the-test' },
  }, { idToken: token, accessToken: token, access: { deny() {} }, cache: { get() {}, set() { return { type: 'success' }; } } });
  if (set.length !== 0) throw new Error('no phone number was enrolled, yet ' + set.join(', ') + ' was set');
`;

const CONFIG = { accessToken: { 'https://my-app.example.com/roles': 'authorization.roles' } };

describe('the package split', () => {
  it('the post-login package holds every file a post-login Action loads, and no phone-message module, tool or raw wasm', () => {
    const files = manifests[RUNTIME].files;
    const used = [...loaded(root, LOOKUP_LOGIN, { wait: true }), ...loaded(root, `const lc = require('./'); lc.createPostLoginHandler(${JSON.stringify(CONFIG)}); lc.validateConfig({})`)];
    for (const wasm of ['login_claims_decide_wasm.cjs', 'login_claims_wasm.cjs']) assert.ok(used.includes(path.join('pkg', wasm)), used.join(', '));
    for (const file of used) assert.ok(covers(files, file.split(path.sep).join('/')) || file === 'package.json', `${file} is loaded but not packed`);
    for (const entry of files.filter((file) => !file.endsWith('.d.ts'))) {
      assert.doesNotMatch(entry, /\.wasm$|phone|js\/tools|examples|playground|docs/, `${entry} does not belong in the Action's dependency`);
    }
    // A lookup loads the transport too, which must be packed.
    assert.ok(covers(files, 'js/action/transport.js'));
  });

  it('a handler whose logins need no lookup loads login_claims_decide only: not the lookup module, not the transport', () => {
    const used = loaded(
      root,
      `const h = require('./').createPostLoginHandler({ phone: { sources: ['profile', 'mfa'] }, ...${JSON.stringify(CONFIG)} });
       const token = { setCustomClaim() {} };
       const api = { idToken: token, accessToken: token, access: { deny() {} } };
       h({ user: { user_id: 'auth0|u1', phone_number: '+14155550100', phone_verified: true }, transaction: { requested_scopes: ['openid', 'phone'] }, authorization: { roles: ['a'] } }, api);
       h({ user: { user_id: 'auth0|u2', enrolledFactors: [{ type: 'phone' }] }, transaction: { requested_scopes: ['openid'] } }, api);`,
    );
    assert.ok(used.includes(path.join('pkg', 'login_claims_decide_wasm.cjs')), used.join(', '));
    for (const file of ['login_claims_wasm.cjs', 'login_claims_glue.cjs']) assert.ok(!used.includes(path.join('pkg', file)), `${file} is loaded`);
    assert.ok(!used.includes(path.join('js', 'action', 'transport.js')), 'the transport is loaded');
  });

  it('the first login that needs a lookup loads login_claims and the transport', () => {
    const used = loaded(root, LOOKUP_LOGIN, { wait: true });
    for (const file of [path.join('pkg', 'login_claims_decide_wasm.cjs'), path.join('pkg', 'login_claims_wasm.cjs'), path.join('js', 'action', 'transport.js')]) {
      assert.ok(used.includes(file), `${file} is not loaded: ${used.join(', ')}`);
    }
  });

  it('the phone-message package holds every file its handlers load, and not the post-login wasm', () => {
    const files = manifests[PHONE].files;
    const entry = path.join(phoneRoot, manifests[PHONE].main);
    const used = loaded(phoneRoot, `require(${JSON.stringify(entry)}).createSendPhoneMessageHandler(); require(${JSON.stringify(entry)}).createVerifyFeedbackHandler()`);
    assert.ok(used.includes(path.join('pkg', 'login_claims_phone_wasm.cjs')), used.join(', '));
    for (const file of used) assert.ok(covers(files, file.split(path.sep).join('/')), `${file} is loaded but not packed`);
    assert.ok(!files.some((entry) => /login_claims_(wasm|glue)\.cjs$|\.wasm$/.test(entry)), files.join(', '));
  });

  it('the CLI package holds every file of js/tools it requires, and depends on both runtimes at this version', () => {
    const files = manifests[CLI].files;
    const version = manifests[RUNTIME].version;
    assert.deepEqual(manifests[CLI].dependencies, { [RUNTIME]: version, [PHONE]: version });
    assert.deepEqual(manifests[CLI].bin, { 'login-claims': 'js/tools/cli.js' });
    const tools = path.join(repoRoot, 'js', 'tools');
    for (const name of fs.readdirSync(tools, { recursive: true })) {
      if (!String(name).endsWith('.js')) continue;
      const source = fs.readFileSync(path.join(tools, name), 'utf8');
      for (const [, target] of source.matchAll(/require\((?:path\.join\(__dirname, )?'(\.[^']+)'/g)) {
        const relative = path.relative(repoRoot, path.resolve(path.dirname(path.join(tools, name)), target)).split(path.sep).join('/');
        const packedAnyway = relative === 'package.json'; // npm packs every package's own manifest
        assert.ok(packedAnyway || covers(files, relative) || covers(files, `${relative}.js`), `js/tools/${name} requires ${target}, which is not packed`);
      }
      assert.doesNotMatch(source, /require\([^)]*\.\.\/action\//, `js/tools/${name} must load the runtime by package name`);
    }
    // The playground serves the raw post-login wasm; the examples come with the CLI.
    for (const needed of ['pkg/login_claims_bg.wasm', 'examples/config.json', 'playground/index.html']) assert.ok(covers(files, needed), needed);
  });

  it('login-claims installed alone: the post-login handler works; the phone-message functions name the package to add', () => {
    // The runtime's files as npm would install them, into a project without the phone package.
    const os = require('node:os');
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-alone-'));
    try {
      const dir = path.join(project, 'node_modules', RUNTIME);
      for (const entry of [...manifests[RUNTIME].files, 'package.json']) {
        const from = path.join(root, entry);
        if (fs.existsSync(from)) fs.cpSync(from, path.join(dir, entry), { recursive: true });
      }
      const script = `
        const lc = require('login-claims');
        const claims = {};
        const api = { idToken: { setCustomClaim: (n, v) => (claims[n] = v) }, accessToken: { setCustomClaim: (n, v) => (claims[n] = v) }, access: { deny() {} } };
        lc.createPostLoginHandler({ phone: false, accessToken: { 'https://a.example.com/uid': 'user.user_id' } })({ user: { user_id: 'auth0|1' } }, api).then(() => {
          let error;
          try { lc.createSendPhoneMessageHandler(); } catch (e) { error = e; }
          process.stdout.write(JSON.stringify({ claims, code: error && error.code, message: error && error.message }));
        });`;
      const run = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const out = JSON.parse(run.stdout);
      assert.deepEqual(out.claims, { 'https://a.example.com/uid': 'auth0|1' });
      assert.equal(out.code, 'PHONE_MESSAGE_PACKAGE_MISSING');
      assert.match(out.message, /login-claims-phone-message/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('every manifest follows npm conventions: one version, license with a LICENSE file, repository, homepage, bugs, engines', () => {
    const version = manifests[RUNTIME].version;
    assert.match(fs.readFileSync(path.join(repoRoot, 'LICENSE'), 'utf8'), /^MIT License\n/);
    for (const [name, manifest] of Object.entries(manifests)) {
      assert.equal(manifest.name, name);
      assert.equal(manifest.version, version, name);
      assert.equal(manifest.license, 'MIT', name);
      assert.deepEqual(manifest.repository, { type: 'git', url: `git+${REPO_URL}.git` }, name);
      assert.equal(manifest.homepage, `${REPO_URL}#readme`, name);
      assert.deepEqual(manifest.bugs, { url: `${REPO_URL}/issues` }, name);
      assert.deepEqual(manifest.engines, { node: '>=18' }, name);
      assert.ok(manifest.description.length > 40, name);
    }
    for (const name of [RUNTIME, PHONE]) {
      const manifest = manifests[name];
      assert.equal(manifest.sideEffects, false, `${name}: nothing runs at require time that a bundler must keep`);
      assert.equal(manifest.dependencies, undefined, `${name} has no runtime dependency`);
      const dot = manifest.exports['.'];
      // ESM and CommonJS entries each with their own declarations (no ESM typed as CommonJS).
      assert.match(dot.import.types, /\.d\.mts$/);
      assert.match(dot.import.default, /\.mjs$/);
      assert.match(dot.require.types, /\.d\.ts$/);
      assert.match(dot.require.default, /\.js$/);
      assert.equal(manifest.types, dot.require.types, `${name}: node10 resolution reads "types"`);
      assert.equal(manifest.main, dot.require.default);
      for (const target of [dot.import.types, dot.import.default, dot.require.types, dot.require.default]) {
        assert.ok(covers(manifest.files, target.replace(/^\.\//, '')), `${name}: ${target} is not packed`);
      }
    }
  });

  it('installed where an Action gets them, every package holds its README, LICENSE and files', { skip: !packed && 'only against the installed tarballs' }, () => {
    for (const [name, dir] of Object.entries(rootOf)) {
      assert.equal(readJson(path.join(dir, 'package.json')).name, name);
      for (const file of ['README.md', 'LICENSE']) assert.ok(fs.existsSync(path.join(dir, file)), `${name}/${file}`);
    }
    assert.ok(!fs.existsSync(path.join(root, 'pkg', 'login_claims_phone_wasm.cjs')), 'login-claims carries no phone-message wasm');
    assert.ok(!fs.existsSync(path.join(root, 'js', 'tools')), 'login-claims carries no tools');
    assert.ok(fs.existsSync(path.join(cliRoot, 'js', 'tools', 'cli.js')));
  });

  it('what a post-login Action installs is at most 1.5 times what one with a lookup loads', { skip: !packed && 'only against the installed tarballs' }, () => {
    const size = (dir) =>
      fs.readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .reduce((sum, entry) => sum + fs.statSync(path.join(entry.parentPath || entry.path, entry.name)).size, 0);
    const used = loaded(root, LOOKUP_LOGIN, { wait: true });
    const loadedBytes = used.reduce((sum, file) => sum + fs.statSync(path.join(root, file)).size, 0);
    const installed = size(root);
    assert.ok(installed <= 1.5 * loadedBytes, `installed ${installed} bytes, loaded ${loadedBytes}`);
  });
});

describe('generated types', () => {
  it('js/action/codes.d.ts is what scripts/codes.js writes from the engine catalogue', { skip: packed && 'the generator is in the repository only' }, () => {
    const { render, TARGET } = require(path.join(repoRoot, 'scripts', 'codes.js'));
    assert.equal(fs.readFileSync(TARGET, 'utf8'), render(), 'stale: run node scripts/codes.js and commit js/action/codes.d.ts');
  });

  it('the code unions list every code of the catalogue', () => {
    const text = fs.readFileSync(path.join(root, 'js', 'action', 'codes.d.ts'), 'utf8');
    const union = (name) => {
      const match = new RegExp(`export type ${name} =\\n((?:  \\| '\\w+'\\n?)+);`).exec(text);
      assert.ok(match, `${name} is declared`);
      return [...match[1].matchAll(/'(\w+)'/g)].map((m) => m[1]);
    };
    const { catalogue } = require('./lookup-client.js');
    const c = catalogue();
    for (const code of c.reasons) assert.ok(union('ReasonCode').includes(code), code);
    for (const code of c.issues) assert.ok(union('IssueCode').includes(code), code);
    assert.deepEqual(union('ManagementFailureCode'), c.managementFailures.map((f) => f.code));
    assert.deepEqual(union('ManagementSecretName'), c.managementSecrets);
    // Hand-checked from docs/phone-messages.md and the README: the JS shim's own codes are in.
    for (const code of ['api_error', 'internal_error']) assert.ok(union('ReasonCode').includes(code), code);
    assert.ok(union('IssueCode').includes('engine_unavailable'));
    assert.deepEqual(union('PhoneMessageRefusalReason'), ['event_invalid', 'recipient_invalid', 'message_type_unknown', 'code_missing', 'code_invalid']);
    assert.deepEqual(union('VerifySecretName'), ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_VERIFY_SID']);
  });
});
