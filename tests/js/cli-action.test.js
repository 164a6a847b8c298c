'use strict';
// `login-claims simulate|validate --action FILE` on Action files of a user's own, the secrets of
// a run (--secrets FILE, the environment, --tenant) and the handler-option flags. The Action
// files live in a scratch folder without node_modules: their require('login-claims') can only
// work through the CLI's own runtime.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { cliRoot } = require('./under-test.js');
const { example, cli, cliAsync, json } = require('./cli-run.js');

const TEMPLATE_ACTION = path.join(cliRoot, 'js', 'tools', 'templates', 'action.js');
const DENY_REASON = 'Login could not be completed. Please try again later.';

let scratch;
const file = (name, text) => {
  const full = path.join(scratch, name);
  fs.writeFileSync(full, text);
  return full;
};
const readExample = (rel) => JSON.parse(fs.readFileSync(example(rel), 'utf8'));
/** Runs the CLI in the scratch folder, so that files are named as a user would name them. */
const inScratch = (args, options = {}) => cli(args, { cwd: scratch, ...options });

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-action-'));
  fs.copyFileSync(example('events/passwordless-sms.json'), path.join(scratch, 'sms.json'));
  fs.copyFileSync(example('events/mfa-sms-and-app.json'), path.join(scratch, 'mfa.json'));
  const unknown = readExample('events/mfa-sms-and-app.json');
  unknown.user.user_id = 'auth0|not-in-the-tenant';
  file('unknown-user.json', JSON.stringify(unknown));
  fs.copyFileSync(TEMPLATE_ACTION, path.join(scratch, 'action.js'));
  assert.ok(!fs.existsSync(path.join(scratch, 'node_modules')));
});

after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const HEADER = "const { createPostLoginHandler } = require('login-claims');\n";

describe('simulate --action', () => {
  it("runs the Action file, its require('login-claims') resolved to the CLI's runtime", () => {
    const out = json(inScratch(['simulate', '--action', 'action.js', '--event', 'sms.json', '--json']));
    // The template's configuration on the passwordless-SMS login (README, Quick start).
    assert.deepEqual(out.idToken, { 'https://my-app.example.com/plan': 'free', phone_number: '+14155550142', phone_number_verified: true });
    assert.deepEqual(out.accessToken, { 'https://my-app.example.com/roles': [] });
    assert.equal(out.denied, false);
    assert.ok(!('denyReason' in out));
    assert.deepEqual(
      out.trace.map((entry) => [entry.token, entry.claim, entry.outcome, entry.reason]),
      [
        ['idToken', 'phone_number', 'set', 'phone_found'],
        ['idToken', 'phone_number_verified', 'set', 'phone_found'],
        ['idToken', 'https://my-app.example.com/plan', 'set', 'value_copied'],
        ['accessToken', 'https://my-app.example.com/roles', 'set', 'value_copied'],
      ]
    );
    assert.equal(out.managementApiCalls, 0);
    assert.deepEqual(out.log, []);
  });

  it('the text report names the Action instead of a configuration', () => {
    const run = inScratch(['simulate', '--action', 'action.js', '--event', 'sms.json']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.startsWith('event   sms.json\naction  action.js (with the configuration and options it passes to createPostLoginHandler)\ntenant  none'), run.stdout);
    assert.match(run.stdout, /^ {2}phone_number {2,}"\+14155550142"$/m);
  });

  it("prints the claims the Action's own code sets, and says which ones the trace does not explain", () => {
    file(
      'wrapping.js',
      `${HEADER}console.log('loading');
const handler = createPostLoginHandler({ accessToken: { 'https://x.example.com/roles': 'authorization.roles' } });
exports.onExecutePostLogin = async (event, api) => {
  await handler(event, api);
  api.idToken.setCustomClaim('https://x.example.com/extra', 42);
  api.user.setAppMetadata('seen', true);
  console.log('login of', event.user.user_id);
};
`
    );
    const out = json(inScratch(['simulate', '--action', 'wrapping.js', '--event', 'sms.json', '--json']));
    assert.deepEqual(out.idToken, { phone_number: '+14155550142', phone_number_verified: true, 'https://x.example.com/extra': 42 });
    assert.deepEqual(out.accessToken, { 'https://x.example.com/roles': [] });
    assert.ok(!out.trace.some((entry) => entry.claim === 'https://x.example.com/extra'), 'the trace is the configuration only');
    assert.deepEqual(out.log, ['loading', 'login of sms|6650c1e2a4b3c2d1e0f9a801'], 'what the Action prints is in the log, not in the JSON stream');

    const text = inScratch(['simulate', '--action', 'wrapping.js', '--event', 'sms.json']).stdout.replace(/\s+/g, ' ');
    assert.ok(text.includes("Note: the trace does not explain idToken https://x.example.com/extra: the Action's own code, not the login-claims handler, decided it."), text);
    assert.ok(text.includes('Note: the Action also called api.user.setAppMetadata; the CLI records these calls without simulating them.'), text);
  });

  it("the Action's options reach its handler, and --on-error overrides them", () => {
    file('denying.js', `${HEADER}exports.onExecutePostLogin = createPostLoginHandler({}, { onError: 'deny', logger: console });\n`);
    const args = ['simulate', '--action', 'denying.js', '--event', 'unknown-user.json', '--tenant', example('tenant.json'), '--json'];
    const denied = json(inScratch(args));
    assert.equal(denied.denied, true);
    assert.equal(denied.denyReason, DENY_REASON);
    assert.ok(denied.trace.some((entry) => entry.failure === 'mgmt_user_not_found'), JSON.stringify(denied.trace));
    assert.equal(denied.log.length, 1, 'its logger: console goes into the log');
    assert.match(denied.log[0], /mgmt_user_not_found/);

    const continued = json(inScratch([...args, '--on-error', 'continue']));
    assert.equal(continued.denied, false);
    assert.ok(!('denyReason' in continued));

    const text = inScratch(args.filter((a) => a !== '--json'));
    assert.match(text.stdout, /^options onError: "deny"$/m);
    assert.match(text.stdout, /^Denied {2}api\.access\.deny\("Login could not be completed\. Please try again later\."\): Auth0 issues no token for this login$/m);
  });

  it('a file that creates no handler, two of them, or exports no onExecutePostLogin: exit 1, saying so', () => {
    file('no-handler.js', 'exports.onExecutePostLogin = async () => {};\n');
    file('two-handlers.js', `${HEADER}const a = createPostLoginHandler({});\nconst b = createPostLoginHandler({ phone: false });\nexports.onExecutePostLogin = a;\n`);
    file('no-export.js', `${HEADER}exports.handler = createPostLoginHandler({});\n`);
    const cases = [
      ['no-handler.js', /^login-claims: no-handler\.js never calls createPostLoginHandler from login-claims while it loads/],
      ['two-handlers.js', /^login-claims: two-handlers\.js calls createPostLoginHandler 2 times while it loads; the CLI needs exactly one/],
      ['no-export.js', /^login-claims: no-export\.js exports no onExecutePostLogin function/],
    ];
    for (const [name, message] of cases) {
      for (const command of [['simulate', '--event', 'sms.json'], ['validate']]) {
        const run = inScratch([...command, '--action', name]);
        assert.equal(run.code, 1, `${command[0]} ${name}: ${run.stderr}`);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, '');
      }
    }
  });

  it('a file that cannot load: exit 1 with the cause, and where in the file when known', () => {
    file('syntax.js', `${HEADER}exports.onExecutePostLogin = createPostLoginHandler({});\n}}\n`);
    file('throws.js', `${HEADER}\n\nthrow new Error('no config for this tenant');\n`);
    file('invalid.js', `${HEADER}exports.onExecutePostLogin = createPostLoginHandler({ accessToken: { roles: 'authorization.roles' } });\n`);
    file('bad-options.js', `${HEADER}exports.onExecutePostLogin = createPostLoginHandler({}, { onError: 'allow' });\n`);
    file('needs-axios.js', `const axios = require('axios-not-installed-here');\n${HEADER}exports.onExecutePostLogin = createPostLoginHandler({});\n`);
    const cases = [
      ['syntax.js', /^login-claims: cannot load the Action file syntax\.js at syntax\.js:3: SyntaxError: /],
      ['throws.js', /^login-claims: cannot load the Action file throws\.js at throws\.js:4:7: Error: no config for this tenant\n$/],
      ['invalid.js', /^login-claims: invalid\.js: createPostLoginHandler threw CONFIG_INVALID while the Action loaded \(as it would in Auth0, failing every login\): the configuration has 1 problem\n {2}1\. restricted_claim at accessToken\["roles"\]\n.*\n {5}fix: /],
      ['bad-options.js', /^login-claims: bad-options\.js: createPostLoginHandler threw OPTIONS_INVALID while the Action loaded at bad-options\.js:2:30: options\.onError must be 'continue' or 'deny'\n$/],
      ['needs-axios.js', /^login-claims: needs-axios\.js requires 'axios-not-installed-here', which cannot be found from \.; install the Action's other dependencies/],
      ['missing.js', /^login-claims: cannot read the Action file missing\.js: no such file\n$/],
      ['.', /^login-claims: cannot read the Action file \.: it is a directory\n$/],
    ];
    for (const [name, message] of cases) {
      const run = inScratch(['simulate', '--event', 'sms.json', '--action', name]);
      assert.equal(run.code, 1, `${name}: ${run.stderr}`);
      assert.match(run.stderr, message, name);
      assert.equal(run.stdout, '');
    }
  });

  it('an Action that throws during the login: exit 1, with the error and where', () => {
    file('throws-in-login.js', `${HEADER}const handler = createPostLoginHandler({});\nexports.onExecutePostLogin = async (event, api) => {\n  await handler(event, api);\n  throw new TypeError('event.user.app_metadata.tier is not a string');\n};\n`);
    const run = inScratch(['simulate', '--event', 'sms.json', '--action', 'throws-in-login.js']);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, "login-claims: throws-in-login.js: onExecutePostLogin threw at throws-in-login.js:5:9: TypeError: event.user.app_metadata.tier is not a string\nAuth0 fails the login when an Action throws.\n");
    assert.equal(run.stdout, '');
  });
});

describe('validate --action', () => {
  it("validates the configuration the Action passes to createPostLoginHandler", () => {
    const valid = inScratch(['validate', '--action', 'action.js']);
    assert.equal(valid.code, 0, valid.stderr);
    assert.match(valid.stdout, /^action\.js \(the configuration it passes to createPostLoginHandler\): valid, no problems found\n/);
    assert.deepEqual(json(inScratch(['validate', '--action', 'action.js', '--json'])), { ok: true, issues: [], managementApi: true });

    file('two-mistakes.js', `${HEADER}exports.onExecutePostLogin = createPostLoginHandler({ accessToken: { roles: 'authorization.roles', org_id: 'organization.id' } });\n`);
    const invalid = inScratch(['validate', '--action', 'two-mistakes.js']);
    assert.equal(invalid.code, 1);
    assert.equal(invalid.stderr, '', 'an invalid configuration is the answer here, not a load error');
    assert.match(invalid.stdout, /^two-mistakes\.js \(the configuration it passes to createPostLoginHandler\): 2 problems\n/);
    assert.match(invalid.stdout, /restricted_claim at accessToken\["roles"\]/);
    assert.match(invalid.stdout, /restricted_claim at accessToken\["org_id"\]/);
    const report = JSON.parse(inScratch(['validate', '--action', 'two-mistakes.js', '--json']).stdout);
    assert.equal(report.ok, false);
    assert.deepEqual(report.issues.map((issue) => [issue.code, issue.at]).sort(), [['restricted_claim', 'accessToken["org_id"]'], ['restricted_claim', 'accessToken["roles"]']]);
  });

  it("the runtime checks the Action's options too", () => {
    file('bad-timeout.js', `${HEADER}exports.onExecutePostLogin = createPostLoginHandler({}, { timeoutMs: 'soon' });\n`);
    const run = inScratch(['validate', '--action', 'bad-timeout.js']);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^OPTIONS_INVALID: the runtime refuses the options it passes: options\.timeoutMs must be a positive number of milliseconds$/m);
    const report = JSON.parse(inScratch(['validate', '--action', 'bad-timeout.js', '--json']).stdout);
    assert.deepEqual(report, { ok: false, issues: [], managementApi: true, optionsError: 'options.timeoutMs must be a positive number of milliseconds' });
  });
});

describe('the Action loader', () => {
  const loader = () => require(path.join(cliRoot, 'js', 'tools', 'cli', 'action-loader.js'));
  // Resolution as a file of the scratch folder sees it (which has no node_modules and no package).
  const fromScratch = (request) => Module.createRequire(path.join(scratch, 'any.js')).resolve(request);

  it("resolves login-claims for the Action's file only while it loads, then puts resolution back", () => {
    const { loadAction } = loader();
    const resolveBefore = Module._resolveFilename;
    const cacheBefore = new Set(Object.keys(require.cache));
    const runtime = require(require.resolve('login-claims', { paths: [path.join(cliRoot, 'js', 'tools', 'cli')] }));
    const seen = file('sees-runtime.js', `const lc = require('login-claims');\nexports.simulatePostLogin = lc.simulatePostLogin;\nexports.onExecutePostLogin = lc.createPostLoginHandler({ phone: false });\n`);
    const calls = [];
    const loaded = loadAction(seen, { log: [], onCreate: (create, config, options) => (calls.push({ config, options }), async () => 'handler') });
    assert.deepEqual(calls, [{ config: { phone: false }, options: undefined }]);
    assert.deepEqual(loaded.config, { phone: false });
    assert.equal(typeof loaded.onExecutePostLogin, 'function');
    assert.equal(require(seen).simulatePostLogin, runtime.simulatePostLogin, "the Action got the CLI's runtime");
    assert.notEqual(runtime.createPostLoginHandler.toString(), loaded.onExecutePostLogin.toString());

    assert.equal(Module._resolveFilename, resolveBefore, 'the hook is gone');
    assert.ok(!Object.keys(require.cache).some((key) => key.includes('login-claims-cli-action')), 'no stand-in module is left in require.cache');
    assert.throws(() => fromScratch('login-claims'), { code: 'MODULE_NOT_FOUND' }, 'from the Action folder, login-claims is not resolvable again');
    for (const key of Object.keys(require.cache)) if (!cacheBefore.has(key)) assert.ok(key === seen || !key.includes('\u0000'), key);
  });

  it('puts resolution back when the file fails to load', () => {
    const { loadAction } = loader();
    const resolveBefore = Module._resolveFilename;
    const broken = file('broken-load.js', `${HEADER}createPostLoginHandler({});\nthrow new Error('boom');\n`);
    assert.throws(() => loadAction(broken, { log: [], onCreate: () => async () => {} }), /boom/);
    assert.equal(Module._resolveFilename, resolveBefore);
    assert.throws(() => fromScratch('login-claims'), { code: 'MODULE_NOT_FOUND' });
  });
});

describe('secrets', () => {
  const { startSampleTenant } = require(path.join(cliRoot, 'js', 'tools', 'sample-tenant.js'));
  const CLIENT_ID = 'ci-client-3d9f2b7e81';
  const CLIENT_SECRET = 'ci-secret-Vq8#Lm2"xP0\\sZ7w';
  let tenant;

  before(async () => {
    tenant = await startSampleTenant({ users: readExample('tenant.json').users, clients: { [CLIENT_ID]: CLIENT_SECRET } });
  });
  after(async () => {
    if (tenant) await tenant.close();
  });

  /** Every way the run could print a value: as it is, JSON-escaped, or in part. */
  function assertNoSecret(run, values) {
    const printed = run.stdout + run.stderr;
    for (const value of values) {
      assert.ok(!printed.includes(value), `${value} was printed`);
      assert.ok(!printed.includes(JSON.stringify(value).slice(1, -1)), `${value} was printed JSON-escaped`);
    }
  }

  it('without --secrets, the environment variables named like the Action secrets go into event.secrets; never printed', async () => {
    const env = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET };
    const out = json(await cliAsync(['simulate', '--event', 'mfa.json', '--json'], { env, cwd: scratch }));
    assert.deepEqual(out.idToken, { phone_number: '+447700900461', phone_number_verified: true }, 'the lookup used the secrets');
    assert.equal(out.managementApiCalls, 2);

    for (const args of [['--json'], []]) {
      const run = await cliAsync(['simulate', '--event', 'mfa.json', ...args], { env, cwd: scratch });
      assert.equal(run.code, 0, run.stderr);
      assertNoSecret(run, [CLIENT_SECRET, CLIENT_ID, tenant.url]);
      if (args.length === 0) assert.match(run.stdout, /^secrets AUTH0_DOMAIN, MANAGEMENT_CLIENT_ID, MANAGEMENT_CLIENT_SECRET \(from the environment; values not shown\)$/m);
    }
  });

  it('--secrets FILE gives them instead of the environment; a failed token request prints none of them either', async () => {
    const secretsFile = file('secrets.json', JSON.stringify({ AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET }));
    const wrongEnv = { AUTH0_DOMAIN: 'http://127.0.0.1:9', MANAGEMENT_CLIENT_ID: 'env-client-1', MANAGEMENT_CLIENT_SECRET: 'env-secret-never-used' };
    const run = await cliAsync(['simulate', '--event', 'mfa.json', '--secrets', secretsFile, '--json'], { env: wrongEnv, cwd: scratch });
    assert.equal(json(run).idToken.phone_number, '+447700900461', 'the file wins; the environment is not read');
    assertNoSecret(run, [CLIENT_SECRET, CLIENT_ID, tenant.url, 'env-secret-never-used']);

    const wrong = file('wrong-secret.json', JSON.stringify({ AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: 'wrong-secret-5e1f0a' }));
    for (const args of [['--json'], []]) {
      const failed = await cliAsync(['simulate', '--event', 'mfa.json', '--secrets', wrong, ...args], { cwd: scratch });
      assert.equal(failed.code, 0, failed.stderr);
      assert.match(failed.stdout, /mgmt_token_failed/);
      assertNoSecret(failed, ['wrong-secret-5e1f0a', CLIENT_ID, tenant.url]);
    }
  });

  it('a secret an Action copies into a claim is printed as its name, in the report, the JSON and an --expect diff', async () => {
    file('leaky.js', `${HEADER}const handler = createPostLoginHandler({});\nexports.onExecutePostLogin = async (event, api) => {\n  await handler(event, api);\n  api.idToken.setCustomClaim('leak', event.secrets.MANAGEMENT_CLIENT_SECRET);\n  console.log('secret is', event.secrets.MANAGEMENT_CLIENT_SECRET);\n};\n`);
    const expected = file('leak-expected.json', JSON.stringify({ idToken: {}, accessToken: {} }));
    const env = { MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET };
    for (const args of [['--json'], [], ['--expect', expected], ['--expect', expected, '--json']]) {
      const run = await cliAsync(['simulate', '--action', 'leaky.js', '--event', 'sms.json', ...args], { env, cwd: scratch });
      assertNoSecret(run, [CLIENT_SECRET]);
      assert.match(run.stdout, /\[secret MANAGEMENT_CLIENT_SECRET\]/, args.join(' '));
    }
  });

  it('--tenant replaces the Management API secrets of the environment and of the event', async () => {
    const event = readExample('events/mfa-sms-and-app.json');
    event.secrets = { AUTH0_TENANT_DOMAIN: 'my-tenant.eu.auth0.com', MANAGEMENT_API_TOKEN: 'expired-static-token-1' };
    file('mfa-with-secrets.json', JSON.stringify(event));
    const env = { AUTH0_DOMAIN: 'http://127.0.0.1:9', MANAGEMENT_CLIENT_ID: 'env-client-2', MANAGEMENT_CLIENT_SECRET: 'env-secret-2-unused' };
    const run = await cliAsync(['simulate', '--event', 'mfa-with-secrets.json', '--tenant', example('tenant.json'), '--json'], { env, cwd: scratch });
    const out = json(run);
    assert.equal(out.idToken.phone_number, '+447700900461');
    assert.equal(out.managementApiCalls, 2, 'one token request and one lookup, at the sample tenant');
    assertNoSecret(run, ['expired-static-token-1', 'env-secret-2-unused']);
  });

  it('a --secrets file that is not an object of strings: exit 1, naming the key, never the value', () => {
    const cases = [
      [file('secrets-array.json', '["a"]'), /the secrets file .*secrets-array\.json must hold a JSON object of secret name to string, not an array/],
      [file('secrets-number.json', '{"AUTH0_DOMAIN": "x.example.com", "MANAGEMENT_CLIENT_SECRET": 918273645}'), /"MANAGEMENT_CLIENT_SECRET" must be a string, not a number/],
      [path.join(scratch, 'no-secrets.json'), /cannot read the secrets file .*no-secrets\.json: no such file/],
      // Not JSON at all (a .env file); newer Node would quote its start in the parse error.
      [file('secrets.env', 'S3CR3T_LEADS=x9q\n'), /the secrets file .*secrets\.env is not valid JSON: Unexpected token/],
      [file('secrets-short.env', 'S3CR3T\n'), /the secrets file .*secrets-short\.env is not valid JSON: Unexpected token/],
    ];
    for (const [secretsFile, message] of cases) {
      const run = inScratch(['simulate', '--event', 'sms.json', '--secrets', secretsFile]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.ok(!run.stderr.includes('918273645'));
      assert.ok(!run.stderr.includes('3CR3T'), run.stderr);
    }
  });
});

describe('handler options: --on-error, --timeout-ms, --deadline-ms', () => {
  it('reach the handler: a lookup to a server that never answers times out after --timeout-ms', async () => {
    const sockets = [];
    const silent = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    try {
      const secrets = file('silent.json', JSON.stringify({ AUTH0_DOMAIN: `http://127.0.0.1:${silent.address().port}`, MANAGEMENT_CLIENT_ID: 'c', MANAGEMENT_CLIENT_SECRET: 'silent-secret' }));
      const run = await cliAsync(['simulate', '--event', 'mfa.json', '--secrets', secrets, '--timeout-ms', '150', '--deadline-ms', '400', '--json'], { cwd: scratch });
      const out = json(run);
      assert.ok(out.trace.some((entry) => entry.failure === 'mgmt_timeout'), JSON.stringify(out.trace));
      assert.equal(out.log.length, 1);
      assert.match(out.log[0], /did not answer within 150 ms/);

      const denied = json(await cliAsync(['simulate', '--event', 'mfa.json', '--secrets', secrets, '--timeout-ms', '150', '--on-error', 'deny', '--json'], { cwd: scratch }));
      assert.equal(denied.denied, true);
      assert.equal(denied.denyReason, DENY_REASON);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('values the runtime refuses are usage errors, in the runtime\'s own words', () => {
    const cases = [
      [['--on-error', 'allow'], /^login-claims: simulate: --on-error allow: refused by the runtime: options\.onError must be 'continue' or 'deny'\n/],
      [['--timeout-ms', 'soon'], /^login-claims: simulate: --timeout-ms soon: refused by the runtime: options\.timeoutMs must be a positive number of milliseconds\n/],
      [['--deadline-ms', '-5'], /^login-claims: simulate: --deadline-ms -5: refused by the runtime: options\.deadlineMs must be a positive number of milliseconds\n/],
      [['--timeout-ms', '0'], /--timeout-ms 0: refused by the runtime: options\.timeoutMs must be a positive number/],
    ];
    for (const [flags, message] of cases) {
      for (const source of [[], ['--action', 'action.js']]) {
        const run = inScratch(['simulate', '--event', 'sms.json', ...source, ...flags]);
        assert.equal(run.code, 2, `${flags.join(' ')}: ${run.stderr}`);
        assert.match(run.stderr, message);
        assert.match(run.stderr, /Run 'login-claims simulate --help' for usage\./);
        assert.equal(run.stdout, '');
      }
    }
  });
});
