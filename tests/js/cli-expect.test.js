'use strict';
// `login-claims simulate --expect FILE`: a run compared with the claims a team expects, for CI.
// The run is the passwordless-SMS login through examples/config.json, whose result README.md
// shows (Quick start); every expected output below is written from that.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { example, cli } = require('./cli-run.js');

const ESC = '\x1b[';
let scratch;
const write = (name, value) => fs.writeFileSync(path.join(scratch, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));
const simulate = (expectFile, extra = [], env = {}) =>
  cli(['simulate', '--event', example('events/passwordless-sms.json'), '--config', example('config.json'), '--expect', expectFile, ...extra], { cwd: scratch, env });

const MATCHING = {
  idToken: { phone_number: '+14155550142', phone_number_verified: true, 'https://my-app.example.com/plan': 'free' },
  accessToken: { 'https://my-app.example.com/roles': [] },
  reasons: {
    idToken: { phone_number: 'phone_found' },
    accessToken: { 'https://my-app.example.com/org_id': 'missing_value', 'https://my-app.example.com/roles': 'value_copied' },
  },
  denied: false,
};

const DIFFERENT = {
  idToken: { phone_number: '+14155550199', phone_number_verified: true },
  accessToken: { 'https://my-app.example.com/roles': ['admin'], 'https://my-app.example.com/org_id': 'org_1' },
  reasons: { idToken: { phone_number: 'mfa_not_configured' }, accessToken: { 'https://my-app.example.com/org_id': ['value_copied'] } },
  denied: true,
};

const DIFF = `wrong.json: 7 differences from this run (- expected, + got)

ID token
  phone_number
-   "+14155550199"
+   "+14155550142"
    why: set phone_found (profile)
  https://my-app.example.com/plan
-   (not set)
+   "free"
    why: set value_copied (user.app_metadata.plan)

Access token
  https://my-app.example.com/roles
-   ["admin"]
+   []
    why: set value_copied (authorization.roles)
  https://my-app.example.com/org_id
-   "org_1"
+   (not set)
    why: skipped missing_value (organization.id)

Reasons (ID token)
  phone_number
-   mfa_not_configured
+   phone_found

Reasons (Access token)
  https://my-app.example.com/org_id
-   value_copied
+   missing_value

Denied
-   true
+   false
`;

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-expect-'));
  write('expected.json', MATCHING);
  write('wrong.json', DIFFERENT);
});

after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('simulate --expect', () => {
  it('a run that matches: exit 0 and one line saying so', () => {
    const run = simulate('expected.json');
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'expected.json: matched (4 claims, 3 reasons, whether denied)\n');
    assert.equal(run.stderr, '');
  });

  it('claims are compared as JSON values: key order does not matter, reasons and denied only when given', () => {
    write('claims-only.json', { accessToken: { 'https://my-app.example.com/roles': [] }, idToken: { 'https://my-app.example.com/plan': 'free', phone_number_verified: true, phone_number: '+14155550142' } });
    const run = simulate('claims-only.json');
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.stdout, 'claims-only.json: matched (4 claims)\n');
  });

  it('a list of reasons is every trace entry of the claim, in order', () => {
    const mfa = ['simulate', '--event', example('events/mfa-sms-and-app.json'), '--config', example('config.json'), '--expect'];
    write('mfa-reasons.json', {
      idToken: { 'https://my-app.example.com/plan': 'pro' },
      accessToken: { 'https://my-app.example.com/roles': ['member'] },
      reasons: { idToken: { phone_number: ['source_empty', 'mfa_not_configured', 'source_empty', 'no_phone_number'], phone_number_verified: 'no_phone_number' } },
    });
    const run = cli([...mfa, 'mfa-reasons.json'], { cwd: scratch });
    assert.equal(run.code, 0, run.stdout);
    assert.equal(run.stdout, 'mfa-reasons.json: matched (2 claims, 2 reasons)\n');

    write('mfa-reasons-short.json', { idToken: { 'https://my-app.example.com/plan': 'pro' }, accessToken: { 'https://my-app.example.com/roles': ['member'] }, reasons: { idToken: { phone_number: ['mfa_not_configured'] } } });
    const short = cli([...mfa, 'mfa-reasons-short.json'], { cwd: scratch });
    assert.equal(short.code, 1);
    assert.equal(
      short.stdout,
      'mfa-reasons-short.json: 1 difference from this run (- expected, + got)\n\nReasons (ID token)\n  phone_number\n-   mfa_not_configured\n+   source_empty, mfa_not_configured, source_empty, no_phone_number\n'
    );
  });

  it('a run that differs: exit 1 and a diff per token and claim, - expected and + got', () => {
    const run = simulate('wrong.json');
    assert.equal(run.code, 1);
    assert.equal(run.stdout, DIFF);
    assert.equal(run.stderr, '');
  });

  it('colours the diff red and green with FORCE_COLOR; the text is the same without the escapes', () => {
    const run = simulate('wrong.json', [], { FORCE_COLOR: '1' });
    assert.equal(run.code, 1);
    assert.ok(run.stdout.includes(`${ESC}31m-   "+14155550199"${ESC}39m\n${ESC}32m+   "+14155550142"${ESC}39m\n`), run.stdout);
    assert.ok(run.stdout.includes(`${ESC}31m-   true${ESC}39m\n${ESC}32m+   false${ESC}39m\n`));
    assert.equal(run.stdout.replace(/\x1b\[\d+m/g, ''), DIFF);
    assert.ok(simulate('expected.json', [], { FORCE_COLOR: '1' }).stdout.includes(`${ESC}32mmatched${ESC}39m`));
  });

  it('no colour with NO_COLOR, even with FORCE_COLOR, nor off a terminal', () => {
    assert.equal(simulate('wrong.json', [], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, DIFF);
    assert.equal(simulate('wrong.json', [], { NO_COLOR: '1' }).stdout, DIFF);
    assert.ok(!simulate('wrong.json').stdout.includes(ESC));
  });

  it('with --json: the result and an expect block with every difference, same exit code', () => {
    const matched = simulate('expected.json', ['--json']);
    assert.equal(matched.code, 0);
    assert.deepEqual(JSON.parse(matched.stdout).expect, { file: 'expected.json', matched: true, differences: [] });

    const run = simulate('wrong.json', ['--json']);
    assert.equal(run.code, 1);
    const out = JSON.parse(run.stdout);
    assert.deepEqual(Object.keys(out), ['idToken', 'accessToken', 'denied', 'trace', 'managementApiCalls', 'log', 'expect']);
    assert.equal(out.expect.matched, false);
    assert.deepEqual(out.expect.differences, [
      { what: 'idToken', claim: 'phone_number', expected: '+14155550199', got: '+14155550142', why: 'set phone_found (profile)' },
      { what: 'idToken', claim: 'https://my-app.example.com/plan', got: 'free', why: 'set value_copied (user.app_metadata.plan)' },
      { what: 'accessToken', claim: 'https://my-app.example.com/roles', expected: ['admin'], got: [], why: 'set value_copied (authorization.roles)' },
      { what: 'accessToken', claim: 'https://my-app.example.com/org_id', expected: 'org_1', why: 'skipped missing_value (organization.id)' },
      { what: 'reasons.idToken', claim: 'phone_number', expected: 'mfa_not_configured', got: 'phone_found' },
      { what: 'reasons.accessToken', claim: 'https://my-app.example.com/org_id', expected: ['value_copied'], got: ['missing_value'] },
      { what: 'denied', expected: true, got: false },
    ]);
  });

  it('an expected-claims file of the wrong shape: exit 1, saying what is wrong, before anything runs', () => {
    const cases = [
      ['list.json', '[]', /the expected-claims file list\.json is invalid: it must be a JSON object, not an array/],
      ['typo.json', { idtoken: {}, accessToken: {} }, /unknown key "idtoken"; did you mean "idToken"\? \(allowed: idToken, accessToken, reasons, denied\)/],
      ['no-access.json', { idToken: {} }, /"accessToken" is missing; give the claims the token should get \(\{\} for none\)/],
      ['claims-list.json', { idToken: [], accessToken: {} }, /"idToken" must be an object of claim name to value, not an array/],
      ['denied.json', { idToken: {}, accessToken: {}, denied: 'no' }, /"denied" must be true or false/],
      ['reasons.json', { idToken: {}, accessToken: {}, reasons: { idToken: { phone_number: 3 } } }, /"reasons\.idToken" of "phone_number" must be a reason code or a list of them/],
      ['reasons-token.json', { idToken: {}, accessToken: {}, reasons: { id_token: {} } }, /"reasons" has the unknown key "id_token"/],
      ['broken.json', '{"idToken": {', /the expected-claims file broken\.json is not valid JSON/],
      ['absent.json', undefined, /cannot read the expected-claims file absent\.json: no such file/],
    ];
    for (const [name, content, message] of cases) {
      if (content !== undefined) write(name, content);
      const run = simulate(name);
      assert.equal(run.code, 1, `${name}: ${run.stderr}`);
      assert.match(run.stderr, message, name);
      assert.equal(run.stdout, '');
    }
  });
});
