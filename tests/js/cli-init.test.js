'use strict';
// `login-claims init [DIR]`: a new project whose unit test passes and whose Action matches its
// expected claims from the first run, and that never overwrites a file by surprise.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, cliRoot } = require('./under-test.js');
const { cli } = require('./cli-run.js');

const TEMPLATES = path.join(cliRoot, 'js', 'tools', 'templates');
const WRITTEN = ['action.js', 'event.json', 'expected.json', 'action.test.js'];
const versionOf = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;

let scratch;
before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-init-'));
});
after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Makes `require('login-claims')` of the project resolve to the runtime under test, as npm install would. */
function installRuntime(dir) {
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'login-claims'), 'junction');
}

describe('init', () => {
  it('writes the Action, the example login, its expected claims, a unit test and a package.json, and says what next', () => {
    const run = cli(['init', 'my-action'], { cwd: scratch });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.equal(
      run.stdout,
      [
        'login-claims init: wrote 5 files in my-action',
        '  action.js       the Action: its code for Auth0, and its configuration',
        '  event.json      an example login (authorization code, with the phone scope)',
        '  expected.json   the claims that login should get, and why',
        '  action.test.js  a unit test: the example login gets the expected claims',
        '  package.json    npm test runs the unit test; login-claims and login-claims-cli as dependencies',
        '',
        'Next:',
        '  cd my-action',
        '  npm install',
        '  npm test',
        '  npx login-claims simulate --action action.js --event event.json --expect expected.json',
        '',
      ].join('\n')
    );
    const dir = path.join(scratch, 'my-action');
    assert.deepEqual(fs.readdirSync(dir).sort(), [...WRITTEN, 'package.json'].sort());
    for (const name of WRITTEN) assert.ok(fs.readFileSync(path.join(dir, name)).equals(fs.readFileSync(path.join(TEMPLATES, name))), `${name} is the template, byte for byte`);
    assert.match(fs.readFileSync(path.join(dir, 'action.js'), 'utf8'), /^exports\.onExecutePostLogin = createPostLoginHandler\(config\);$/m);

    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'my-action');
    assert.equal(pkg.private, true);
    assert.deepEqual(pkg.scripts, { test: 'node --test' });
    assert.deepEqual(pkg.dependencies, { 'login-claims': versionOf(root) });
    assert.deepEqual(pkg.devDependencies, { 'login-claims-cli': versionOf(cliRoot) });

    const event = JSON.parse(fs.readFileSync(path.join(dir, 'event.json'), 'utf8'));
    assert.deepEqual(event.transaction.requested_scopes, ['openid', 'profile', 'phone']);
    assert.equal(event.request.query.response_type, 'code');
    assert.ok(!('secrets' in event), 'an example file holds no secret');
  });

  it('the project passes its own unit test under node --test', () => {
    const dir = path.join(scratch, 'my-action');
    installRuntime(dir);
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(process.execPath, ['--test'], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^(#|ℹ) tests 2$/m, 'both tests of action.test.js ran');
    assert.match(result.stdout, /^(#|ℹ) pass 2$/m);
    assert.match(result.stdout, /^(#|ℹ) fail 0$/m);
  });

  it('its Action matches its expected claims: simulate --action action.js --event event.json --expect expected.json exits 0', () => {
    const run = cli(['simulate', '--action', 'action.js', '--event', 'event.json', '--expect', 'expected.json'], { cwd: path.join(scratch, 'my-action') });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, 'expected.json: matched (4 claims, 4 reasons, whether denied)\n');
    const claims = JSON.parse(fs.readFileSync(path.join(scratch, 'my-action', 'expected.json'), 'utf8'));
    assert.deepEqual(claims.idToken, { phone_number: '+14155550123', phone_number_verified: true, 'https://my-app.example.com/plan': 'pro' });
    assert.deepEqual(claims.accessToken, { 'https://my-app.example.com/roles': ['member'] });
  });

  it('the unit test fails when the Action stops giving the expected claims', () => {
    const dir = path.join(scratch, 'changed');
    assert.equal(cli(['init', dir]).code, 0);
    installRuntime(dir);
    const action = path.join(dir, 'action.js');
    fs.writeFileSync(action, fs.readFileSync(action, 'utf8').replace("'user.app_metadata.plan'", "'user.app_metadata.tier'"));
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(process.execPath, ['--test'], { cwd: dir, env, encoding: 'utf8', timeout: 60000 });
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stdout, /^(#|ℹ) fail 1$/m);
    assert.equal(cli(['simulate', '--action', 'action.js', '--event', 'event.json', '--expect', 'expected.json'], { cwd: dir }).code, 1);
  });

  it('never overwrites: an existing file stops it before it writes anything, naming the file', () => {
    const dir = path.join(scratch, 'existing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'action.js'), '// my own Action\n');
    const run = cli(['init'], { cwd: dir });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^login-claims: action\.js already exists; nothing was written\n.*--force/);
    assert.deepEqual(fs.readdirSync(dir), ['action.js']);
    assert.equal(fs.readFileSync(path.join(dir, 'action.js'), 'utf8'), '// my own Action\n');

    fs.writeFileSync(path.join(dir, 'expected.json'), '{}');
    assert.match(cli(['init', dir]).stderr, /action\.js, .*expected\.json already exist; nothing was written/);
  });

  it('--force overwrites the files init writes, and keeps an existing package.json', () => {
    const dir = path.join(scratch, 'forced');
    fs.mkdirSync(dir);
    const ownPackage = '{ "name": "team-actions", "private": true }\n';
    fs.writeFileSync(path.join(dir, 'package.json'), ownPackage);
    fs.writeFileSync(path.join(dir, 'action.js'), '// old\n');
    const run = cli(['init', '--force', '.'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(fs.readFileSync(path.join(dir, 'action.js')).equals(fs.readFileSync(path.join(TEMPLATES, 'action.js'))));
    assert.equal(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'), ownPackage);
    assert.match(run.stdout, /^login-claims init: wrote 4 files in \.\n/);
    assert.match(run.stdout, /package\.json exists and was kept: add "login-claims" to its dependencies/);
    assert.doesNotMatch(run.stdout, /^ {2}cd /m, 'no cd into the current directory');
  });

  it('a DIR that is a file: exit 1', () => {
    const target = path.join(scratch, 'a-file');
    fs.writeFileSync(target, '');
    const run = cli(['init', target]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot write into .*a-file: it is not a directory/);
  });
});
