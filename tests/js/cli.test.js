'use strict';
// The `login-claims` command, spawned as a user runs it: `node js/tools/cli.js ...` of the package
// under test (repository or installed tarball). Each test guards one promise of the CLI: what it
// prints, the exit code a script relies on, or the clear message a mistake gets.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { loadPackage, root, cliRoot, repoRoot, packed } = require('./under-test.js');
const { CLI, example, cli, json } = require('./cli-run.js');

const ESC = '\x1b[';

let scratch;
function scratchFile(name, text) {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, text);
  return file;
}

const readExample = (rel) => JSON.parse(fs.readFileSync(example(rel), 'utf8'));

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-cli-'));
});

after(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('help, version and usage errors', () => {
  it('--help lists every command and the exit codes, on stdout, exit 0', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = cli(args);
      assert.equal(run.code, 0, args.join(' '));
      assert.equal(run.stderr, '');
      assert.match(run.stdout, /^ {2}login-claims simulate --event FILE \[--action FILE \| --config FILE\] \[options\]$/m);
      assert.match(run.stdout, /^ {2}login-claims validate \(--action FILE \| --config FILE\) \[--json\]$/m);
      assert.match(run.stdout, /^ {2}login-claims init \[DIR\] \[--force\]$/m);
      assert.match(run.stdout, /^ {2}login-claims demo$/m);
      assert.match(run.stdout, /^ {2}login-claims playground \[--port PORT\]$/m);
      assert.match(run.stdout, /^ {2}login-claims COMMAND --help /m);
      for (const command of ['simulate', 'validate', 'init', 'demo', 'playground']) assert.match(run.stdout, new RegExp(`^ {2}${command} +[A-Z]`, 'm'), command);
      assert.match(run.stdout, /^ {2}0 {2}done/m);
      assert.match(run.stdout, /^ {2}1 {2}a problem was found/m);
      assert.match(run.stdout, /^ {2}2 {2}usage error/m);
      assert.match(run.stdout, /^ {2}3 {2}the run itself failed/m);
      assert.match(run.stdout, /NO_COLOR/);
    }
  });

  it('each command has its own --help, the same as `help COMMAND`, listing its own options', () => {
    const options = {
      simulate: ['--event FILE', '--action FILE', '--config FILE', '--secrets FILE', '--tenant FILE', '--on-error continue|deny', '--timeout-ms N', '--deadline-ms N', '--expect FILE', '--json'],
      validate: ['--config FILE', '--action FILE', '--json'],
      init: ['--force'],
      demo: [],
      playground: ['--port PORT'],
    };
    const top = cli(['--help']).stdout;
    for (const [command, flags] of Object.entries(options)) {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command]]) {
        const run = cli(args);
        assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
        assert.equal(run.stderr, '');
        assert.notEqual(run.stdout, top, `${args.join(' ')} prints the command's help, not the list of commands`);
        assert.ok(run.stdout.startsWith(`login-claims ${command}: `), run.stdout.slice(0, 80));
        assert.match(run.stdout, new RegExp(`^Usage\\n {2}login-claims ${command}\\b`, 'm'));
        for (const flag of flags) assert.match(run.stdout, new RegExp(`^ {2}${flag.replace(/[|]/g, '\\|')}(  |$)`, 'm'), `${command}: ${flag}`);
        assert.match(run.stdout, /-h, --help|--help/);
      }
    }
    // --help wins over any other mistake on the line.
    assert.equal(cli(['simulate', '--bogus', '--help']).code, 0);
  });

  it('simulate --help names the environment variables it reads and the --expect format', () => {
    const run = cli(['simulate', '--help']);
    const flat = run.stdout.replace(/\s+/g, ' ');
    assert.ok(flat.includes('AUTH0_DOMAIN, AUTH0_TENANT_DOMAIN, MANAGEMENT_CLIENT_ID, MANAGEMENT_CLIENT_SECRET, MANAGEMENT_API_TOKEN'), run.stdout);
    assert.match(run.stdout, /"reasons": \{/);
    assert.match(run.stdout, /"denied": false/);
  });

  it('--version prints the CLI package version', () => {
    const run = cli(['--version']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), JSON.parse(fs.readFileSync(path.join(cliRoot, 'package.json'), 'utf8')).version);
  });

  it('usage mistakes exit 2 with a message on stderr and nothing on stdout', () => {
    const event = example('events/passwordless-sms.json');
    const config = example('config.json');
    const cases = [
      [[], /^login-claims: no command given\nRun 'login-claims --help' for usage\.\n$/],
      [['simulat'], /^login-claims: unknown command simulat; did you mean simulate\?\n/],
      [['valdiate'], /unknown command valdiate; did you mean validate\?/],
      [['frobnicate'], /unknown command frobnicate; the commands are simulate, validate, init, demo, playground/],
      [['help', 'simulat'], /unknown command simulat; did you mean simulate\?/],
      [['--verison'], /unknown option --verison; did you mean --version\?/],
      [['simulate'], /simulate: --event FILE is required/],
      [['simulate', '--event'], /--event needs a FILE/],
      [['simulate', '--event', '--json'], /--event needs a FILE/],
      [['simulate', '--event', event, '--event', event], /--event is given twice/],
      [['simulate', '--evnt', event], /^login-claims: simulate: unknown option --evnt; did you mean --event\?\nRun 'login-claims simulate --help' for usage\.\n$/],
      [['simulate', '--event', event, '--jsn'], /unknown option --jsn; did you mean --json\?/],
      [['simulate', '--event', event, '--tennant', 'x'], /unknown option --tennant; did you mean --tenant\?/],
      [['simulate', '--event', event, '--on-eror', 'deny'], /unknown option --on-eror; did you mean --on-error\?/],
      [['simulate', '--event', event, '--verbose'], /simulate: unknown option --verbose\n/],
      [['simulate', '--event', event, '-x'], /simulate: unknown option -x\n/],
      [['simulate', '--event', event, 'extra.json'], /unexpected argument 'extra\.json'/],
      [['simulate', '--event', event, '--json=yes'], /--json takes no value/],
      [['simulate', '--event', event, '--action', 'action.js', '--config', config], /--action and --config exclude each other/],
      [['validate'], /validate: --config FILE or --action FILE is required/],
      [['validate', '--config', config, '--action', 'action.js'], /--action and --config exclude each other/],
      [['validate', '--config='], /--config needs a FILE/],
      [['validate', '--conifg', config], /unknown option --conifg; did you mean --config\?/],
      [['init', 'a', 'b'], /init: unexpected argument 'b'/],
      [['init', '--froce'], /unknown option --froce; did you mean --force\?/],
      [['demo', '--json'], /demo: unknown option --json \(demo takes no options\)/],
      [['playground', '--port'], /--port needs a PORT/],
      [['playground', '--port', 'http'], /--port must be a number from 0 to 65535, not 'http'/],
      [['playground', '--port=70000'], /--port must be a number from 0 to 65535/],
      [['playground', '--port', '-1'], /--port needs a PORT|--port must be a number/],
      [['playground', '--json'], /unknown option --json/],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.match(run.stderr, /Run 'login-claims (\w+ )?--help' for usage\./);
      assert.equal(run.stdout, '');
    }
  });
});

describe('simulate', () => {
  it('prints the ID-token claims, the access-token claims and the trace as aligned tables', () => {
    const run = cli(['simulate', '--event', example('events/passwordless-sms.json'), '--config', example('config.json')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    const section = (title) => {
      const start = lines.indexOf(title);
      assert.notEqual(start, -1, `no "${title}" section in\n${run.stdout}`);
      const end = lines.indexOf('', start);
      return lines.slice(start + 1, end);
    };
    const idToken = section('ID token');
    assert.deepEqual(
      idToken.map((line) => line.trim().split(/\s{2,}/)),
      [['https://my-app.example.com/plan', '"free"'], ['phone_number', '"+14155550142"'], ['phone_number_verified', 'true']]
    );
    // Values start in one column.
    assert.equal(new Set(idToken.map((line) => line.search(/["t]\S*$/))).size, 1, idToken.join('\n'));
    assert.deepEqual(section('Access token').map((line) => line.trim().split(/\s{2,}/)), [['https://my-app.example.com/roles', '[]']]);

    const trace = section('Trace');
    const header = trace[0];
    assert.match(header, /^ {2}OUTCOME +TOKEN +CLAIM +REASON +SOURCE$/);
    const rows = trace.filter((line) => /^ {2}(set|skipped|dropped) /.test(line));
    assert.equal(rows.length, 5, trace.join('\n'));
    for (const column of ['TOKEN', 'CLAIM', 'REASON', 'SOURCE']) {
      const at = header.indexOf(column);
      for (const row of rows) assert.match(row.slice(at - 2, at), /^ {2}$/, `${column} is not aligned:\n${trace.join('\n')}`);
      for (const row of rows) assert.notEqual(row[at], ' ', `${column} is not aligned:\n${trace.join('\n')}`);
    }
    assert.ok(rows.some((row) => /set +accessToken +https:\/\/my-app\.example\.com\/roles +value_copied +authorization\.roles$/.test(row)));
    assert.ok(rows.some((row) => /skipped +accessToken +https:\/\/my-app\.example\.com\/org_id +missing_value +organization\.id$/.test(row)));
    assert.ok(!/ $/m.test(run.stdout), 'no line ends in spaces');
  });

  it('--json is exactly what simulatePostLogin gives, plus denied and the Action log', async () => {
    const eventFile = example('events/passwordless-sms.json');
    const out = json(cli(['simulate', '--event', eventFile, '--config', example('config.json'), '--json']));
    assert.deepEqual(Object.keys(out), ['idToken', 'accessToken', 'denied', 'trace', 'managementApiCalls', 'log']);
    assert.equal(out.denied, false);
    const lc = await loadPackage();
    const expected = await lc.simulatePostLogin(readExample('events/passwordless-sms.json'), readExample('config.json'));
    assert.deepEqual(out.idToken, expected.idToken);
    assert.deepEqual(out.accessToken, expected.accessToken);
    assert.deepEqual(out.trace, expected.trace);
    assert.equal(out.managementApiCalls, 0);
    assert.deepEqual(out.log, []);
  });

  it('without --config the default configuration applies (phone claims only)', () => {
    const out = json(cli(['simulate', '--event', example('events/passwordless-sms.json'), '--json']));
    assert.deepEqual(out.idToken, { phone_number: '+14155550142', phone_number_verified: true });
    assert.deepEqual(out.accessToken, {});
  });

  it('--tenant answers the lookup from the sample tenant, whatever secrets the event carries', () => {
    const event = readExample('events/mfa-sms-and-app.json');
    event.secrets = { AUTH0_DOMAIN: 'my-tenant.eu.auth0.com', MANAGEMENT_API_TOKEN: 'expired-static-token' };
    const eventFile = scratchFile('mfa-with-secrets.json', JSON.stringify(event));
    const run = cli(['simulate', '--event', eventFile, '--config', example('config.json'), '--tenant', example('tenant.json'), '--json']);
    const out = json(run);
    assert.deepEqual(out.idToken, { 'https://my-app.example.com/plan': 'pro', phone_number: '+447700900461', phone_number_verified: true });
    assert.equal(out.managementApiCalls, 2, 'one token request and one lookup');
    assert.ok(!run.stdout.includes('secrets') && !run.stdout.includes('expired-static-token'));
  });

  it('--tenant with maskNumbers: the masked number is withheld and the trace says why', () => {
    const tenant = { ...readExample('tenant.json'), maskNumbers: true };
    const tenantFile = scratchFile('masking-tenant.json', JSON.stringify(tenant));
    const run = cli(['simulate', '--event', example('events/mfa-sms-and-app.json'), '--tenant', tenantFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /skipped +idToken +phone_number +phone_masked +mfa/);
    assert.match(run.stdout, /disable_management_api_sms_obfuscation/);
    assert.ok(!/^ {2}phone_number /m.test(run.stdout.split('Trace')[0]), 'no phone_number claim');
    assert.ok(!run.stdout.includes('0461"'), 'no number in the claims');
  });

  it('without --tenant and without secrets the mfa source is skipped as not set up, with what to add', () => {
    const run = cli(['simulate', '--event', example('events/mfa-sms-and-app.json')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'the Action log goes into the report, not to stderr');
    assert.doesNotMatch(run.stdout, /lookup_failed/, 'a missing setup is not a failed lookup');
    assert.match(run.stdout, /mfa_not_configured +mfa\n +no Management API lookup: the AUTH0_DOMAIN secret is not set/);
    assert.match(run.stdout, /mgmt_not_configured: AUTH0_DOMAIN is missing/);
    assert.match(run.stdout, /Action log\n {2}login-claims: the mfa phone source is skipped because the Management API is not set up/);
    assert.match(run.stdout, /Hint: add the Action secrets AUTH0_DOMAIN, MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET/);
    assert.match(run.stdout, /--tenant FILE/);
  });

  it('validate says which secrets the mfa source needs', () => {
    const run = cli(['validate', '--config', scratchFile('mfa-config.json', '{"phone": {"sources": ["mfa"]}}')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /AUTH0_DOMAIN/);
    assert.match(run.stdout, /mfa_not_configured/);
    const quiet = cli(['validate', '--config', scratchFile('no-mfa.json', '{"phone": {"sources": ["profile"]}}')]);
    assert.doesNotMatch(quiet.stdout, /AUTH0_DOMAIN/);
  });

  it('a user the tenant does not know: mgmt_user_not_found in the trace, exit 0', () => {
    const event = readExample('events/mfa-sms-and-app.json');
    event.user.user_id = 'auth0|not-in-the-tenant';
    const out = json(cli(['simulate', '--event', scratchFile('unknown-user.json', JSON.stringify(event)), '--tenant', example('tenant.json'), '--json']));
    assert.deepEqual(out.idToken, {});
    assert.ok(out.trace.some((entry) => entry.failure === 'mgmt_user_not_found'), JSON.stringify(out.trace));
    assert.equal(out.log.length, 1);
  });

  it('reads files with a UTF-8 byte-order mark', () => {
    const text = fs.readFileSync(example('events/passwordless-sms.json'), 'utf8');
    const out = json(cli(['simulate', '--event', scratchFile('bom.json', `\ufeff${text}`), '--json']));
    assert.equal(out.idToken.phone_number, '+14155550142');
  });

  it('missing, unreadable, malformed or wrong-shaped input files exit 1 with a clear message', () => {
    const event = example('events/passwordless-sms.json');
    const cases = [
      [['--event', path.join(scratch, 'nope.json')], /cannot read the event file .*nope\.json: no such file/],
      [['--event', scratch], /cannot read the event file .*: it is a directory/],
      [['--event', scratchFile('truncated.json', '{"user": {')], /the event file .*truncated\.json is not valid JSON: /],
      [['--event', scratchFile('trailing.json', '{\n  "user": {},\n}\n')], /is not valid JSON: .* at line 3, column 1$/m],
      [['--event', scratchFile('empty.json', '')], /the event file .*empty\.json is not valid JSON/],
      [['--event', scratchFile('array.json', '[]')], /must hold one post-login event \(a JSON object\), not an array/],
      [['--event', scratchFile('nouser.json', '{"transaction": {}}')], /has no "user" object/],
      [['--event', event, '--config', path.join(scratch, 'missing-config.json')], /cannot read the configuration file .*: no such file/],
      [['--event', event, '--config', scratchFile('bad-config.json', '{"idToken": }')], /the configuration file .*bad-config\.json is not valid JSON/],
      [['--event', event, '--tenant', path.join(scratch, 'missing-tenant.json')], /cannot read the tenant file/],
      [['--event', event, '--tenant', scratchFile('bad-tenant.json', '{"users": [}')], /the tenant file .* is not valid JSON/],
      [['--event', event, '--tenant', scratchFile('tenant-key.json', '{"usres": {}}')], /unknown key\(s\) usres; allowed: users, maskNumbers/],
      [['--event', event, '--tenant', scratchFile('tenant-users.json', '{"users": []}')], /"users" must be an object keyed by user_id/],
      [['--event', event, '--tenant', scratchFile('tenant-methods.json', '{"users": {"auth0|1": {"authentication_methods": {}}}}')], /users\["auth0\|1"\]\.authentication_methods must be an array/],
      [['--event', event, '--tenant', scratchFile('tenant-mask.json', '{"maskNumbers": "yes"}')], /"maskNumbers" must be true or false/],
    ];
    for (const [args, message] of cases) {
      const run = cli(['simulate', ...args]);
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    }
  });

  it('an invalid configuration exits 1, lists every problem with its fix and simulates nothing', () => {
    const run = cli(['simulate', '--event', example('events/passwordless-sms.json'), '--config', example('config-with-mistakes.json')]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /config-with-mistakes\.json has 12 problems; nothing was simulated/);
    assert.equal((run.stderr.match(/fix: /g) || []).length, 12);
    assert.match(run.stderr, /restricted_claim at accessToken\["roles"\]/);
  });
});

describe('validate', () => {
  it('a valid configuration: exit 0', () => {
    const run = cli(['validate', '--config', example('config.json')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /config\.json: valid, no problems found/);
  });

  it('every problem with its fix, exit 1', async () => {
    const file = example('config-with-mistakes.json');
    const run = cli(['validate', '--config', file]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, '');
    const lc = await loadPackage();
    const { issues } = lc.validateConfig(readExample('config-with-mistakes.json'));
    assert.equal(issues.length, 12);
    assert.match(run.stdout, /: 12 problems\n/);
    const flat = run.stdout.replace(/\s+/g, ' ');
    for (const issue of issues) {
      assert.ok(flat.includes(`${issue.code} at ${issue.at}`), `${issue.code} at ${issue.at}`);
      assert.ok(flat.includes(issue.message.replace(/\s+/g, ' ')), issue.message);
      assert.ok(flat.includes(`fix: ${issue.fix.replace(/\s+/g, ' ')}`), issue.fix);
    }
    const codes = new Set(issues.map((issue) => issue.code));
    for (const code of ['duplicate_claim', 'restricted_claim', 'user_controlled_path', 'secret_path', 'credential_path', 'unknown_path_root']) {
      assert.ok(codes.has(code), `the example shows ${code}`);
    }
  });

  it('--json prints validateConfig\'s answer; the exit code still says whether it is valid', async () => {
    const lc = await loadPackage();
    const bad = cli(['validate', '--config', example('config-with-mistakes.json'), '--json']);
    assert.equal(bad.code, 1);
    assert.deepEqual(JSON.parse(bad.stdout), lc.validateConfig(readExample('config-with-mistakes.json')));
    assert.deepEqual(json(cli(['validate', '--json', '--config', example('config.json')])), { ok: true, issues: [], managementApi: true });
  });

  it('a configuration that is JSON but not an object is a problem, not a crash', () => {
    const run = cli(['validate', '--config', scratchFile('array-config.json', '["accessToken"]')]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /not_an_object at \(root\)/);
  });

  it('missing and malformed files exit 1 with the file named', () => {
    const missing = cli(['validate', '--config', path.join(scratch, 'absent.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read the configuration file .*absent\.json: no such file/);
    const malformed = cli(['validate', '--config', scratchFile('comma.json', '{"phone": true,}')]);
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /comma\.json is not valid JSON: .*line 1, column 16/);
    assert.equal(malformed.stdout, '');
  });
});

describe('demo', () => {
  let run;
  before(() => {
    run = cli(['demo'], { cwd: os.tmpdir() });
  });

  function blocks() {
    const parts = run.stdout.split(/^\[\d+\/\d+\] /m);
    return parts.slice(1);
  }

  it('runs every bundled login and exits 0 by itself, from any directory', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const manifest = readExample('demo.json');
    assert.equal(blocks().length, manifest.logins.length);
    manifest.logins.forEach((login, index) => {
      assert.ok(blocks()[index].startsWith(`${login.title}\nevent  examples/${login.event}`), blocks()[index].slice(0, 200));
    });
  });

  it('each kind of login gets the claims it should', () => {
    const byTitle = Object.fromEntries(blocks().map((block) => [block.split('\n')[0], block]));
    const claim = (title, name) => {
      const block = byTitle[title];
      assert.ok(block, title);
      const claims = block.split('\nTrace\n')[0];
      const line = claims.split('\n').find((l) => l.trim().split(/\s{2,}/)[0] === name);
      return line && line.trim().split(/\s{2,}/)[1];
    };
    assert.equal(claim('Passwordless SMS login', 'phone_number'), '"+14155550142"');
    assert.equal(claim('Passwordless SMS login', 'phone_number_verified'), 'true');
    assert.equal(claim('Enrolled in SMS and an authenticator app through the MFA API', 'phone_number'), '"+447700900461"');
    assert.equal(claim('The same login while the tenant masks numbers', 'phone_number'), undefined);
    assert.match(byTitle['The same login while the tenant masks numbers'], /phone_masked/);
    assert.equal(claim('Number kept in app_metadata, phone scope requested', 'phone_number'), '"+61491570156"');
    assert.equal(claim('Number kept in app_metadata, phone scope requested', 'phone_number_verified'), 'false');
    assert.equal(claim('The same user without the phone scope', 'phone_number'), undefined);
    assert.match(byTitle['The same user without the phone scope'], /scope_not_requested/);
    assert.equal(claim('Refresh-token exchange', 'phone_number'), '"+447700900461"');
    assert.equal(claim('Password grant (resource owner password)', 'phone_number'), '"+14155550187"');
    assert.equal(claim('Password grant (resource owner password)', 'https://my-app.example.com/org_id'), undefined);
    assert.equal(claim('Organization login with roles', 'https://my-app.example.com/org_id'), '"org_Wq3nX8vT2kLp9RzA"');
    assert.equal(claim('Organization login with roles', 'https://my-app.example.com/roles'), '["billing-admin","member"]');
  });

  it('shows the configuration with mistakes through validate', () => {
    assert.match(run.stdout, /login-claims validate --config examples\/config-with-mistakes\.json\nexamples\/config-with-mistakes\.json: 12 problems/);
  });

  it('is deterministic: no port, no clock, the same bytes every run', () => {
    assert.ok(!/127\.0\.0\.1:\d/.test(run.stdout));
    assert.ok(!run.stdout.includes(new Date().toISOString().slice(0, 10)));
    assert.equal(cli(['demo']).stdout, run.stdout);
  });

  it('a reader that stops early (| head) ends the demo quietly', async () => {
    const child = spawn(process.execPath, [CLI, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });
});

describe('playground', () => {
  /** Starts `login-claims playground ARGS` and resolves once it has printed its URL. */
  function startPlayground(args = []) {
    const child = spawn(process.execPath, [CLI, 'playground', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => {
      output.stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output.stderr += chunk;
    });
    const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const url = new Promise((resolve, reject) => {
      child.stdout.on('data', () => {
        const match = /^login-claims playground: (http:\/\/127\.0\.0\.1:\d+\/playground\/)$/m.exec(output.stdout);
        if (match) resolve(match[1]);
      });
      exited.then(() => reject(new Error(`exited before printing its URL: ${output.stderr}`)));
    });
    return { child, output, exited, url };
  }

  it('serves the page, its bundle and the post-login wasm on 127.0.0.1, nothing else, until Ctrl-C', async () => {
    const run = startPlayground();
    try {
      const url = await run.url;
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type'), /^text\/html/);
      const html = await page.text();
      for (const file of ['style.css', 'bundle.js', 'app.js']) {
        assert.ok(html.includes(file), file);
        const response = await fetch(new URL(file, url));
        assert.equal(response.status, 200, file);
        assert.equal(await response.text(), fs.readFileSync(path.join(cliRoot, 'playground', file), 'utf8'), file);
      }
      const wasm = await fetch(new URL('../pkg/login_claims_bg.wasm', url));
      assert.equal(wasm.headers.get('content-type'), 'application/wasm');
      // The runtime's wasm, which it carries inlined (base64) for Actions.
      assert.deepEqual(Buffer.from(await wasm.arrayBuffer()), Buffer.from(require(path.join(root, 'pkg', 'login_claims_wasm.cjs')), 'base64'));
      for (const other of ['../js/action/core.js', '../package.json', '../examples/tenant.json', '..%2fpackage.json', '../pkg/login_claims_wasm.cjs']) {
        assert.equal((await fetch(new URL(other, url))).status, 404, other);
      }
      assert.equal((await fetch(url, { method: 'POST', body: '{}' })).status, 405);
      const redirect = await fetch(new URL('/', url), { redirect: 'manual' });
      assert.equal(redirect.status, 302);
      assert.equal(redirect.headers.get('location'), '/playground/');
    } finally {
      run.child.kill('SIGINT');
    }
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.match(run.output.stdout, /nothing you type leaves it/);
    assert.equal(run.output.stderr, '');
  });

  it('a port already in use exits 3 with the cause', async () => {
    const net = require('node:net');
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    try {
      const run = startPlayground(['--port', String(blocker.address().port)]);
      assert.deepEqual(await run.exited, { code: 3, signal: null });
      assert.match(run.output.stderr, /could not serve the playground on 127\.0\.0\.1:\d+: EADDRINUSE/);
      await run.url.catch(() => {});
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('the bundled examples', () => {
  const eventFiles = fs.readdirSync(example('events')).filter((name) => name.endsWith('.json'));

  it('the demo uses every event file, and every file it names exists', () => {
    const manifest = readExample('demo.json');
    assert.deepEqual([...new Set(manifest.logins.map((login) => login.event))].sort(), eventFiles.map((name) => `events/${name}`).sort());
    for (const file of [manifest.config, manifest.tenant, ...manifest.validate]) assert.ok(fs.existsSync(example(file)), file);
  });

  it('events carry the fields Auth0 sends, and no secret', () => {
    for (const name of eventFiles) {
      const event = readExample(`events/${name}`);
      for (const key of ['user', 'transaction', 'request', 'client', 'connection', 'authorization']) assert.ok(key in event, `${name}: ${key}`);
      assert.equal(typeof event.user.user_id, 'string', name);
      assert.ok(!('secrets' in event), `${name} carries secrets; the CLI fills them for --tenant runs`);
    }
    assert.ok(!/client_secret|clients/i.test(fs.readFileSync(example('tenant.json'), 'utf8')), 'the tenant file holds no credential');
  });

  it('the refresh-token and password-grant events have no transaction.requested_scopes; the scope is in the body', () => {
    for (const [name, protocol] of [['refresh-token.json', 'oauth2-refresh-token'], ['password-grant.json', 'oauth2-password']]) {
      const event = readExample(`events/${name}`);
      assert.equal(event.transaction.protocol, protocol);
      assert.ok(!('requested_scopes' in event.transaction), name);
      assert.match(event.request.body.scope, /\bphone\b/);
    }
  });
});

describe('terminal colour', () => {
  const args = ['simulate', '--event', example('events/passwordless-sms.json')];

  it('none when the output is not a terminal', () => {
    assert.ok(!cli(args).stdout.includes(ESC));
    assert.ok(!cli(['validate', '--config', example('config-with-mistakes.json')]).stdout.includes(ESC));
  });

  it('FORCE_COLOR turns it on; NO_COLOR always wins', () => {
    assert.ok(cli(args, { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
    assert.ok(!cli(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout.includes(ESC));
  });

  it('coloured tables still line up', () => {
    const strip = (text) => text.replace(/\x1b\[\d+m/g, '');
    const coloured = cli(args, { env: { FORCE_COLOR: '1' } }).stdout;
    assert.equal(strip(coloured).replace(/ +$/gm, ''), cli(args).stdout);
  });

  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  it('on a terminal: colour, unless NO_COLOR is set', { skip: script.status !== 0 && 'util-linux script(1) is not installed' }, () => {
    const onTty = (env) => {
      const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
      const base = { ...process.env };
      delete base.NO_COLOR;
      delete base.FORCE_COLOR;
      const result = spawnSync('script', ['-qec', command, '/dev/null'], { env: { ...base, ...env }, encoding: 'utf8', timeout: 60000 });
      assert.equal(result.status, 0, result.stderr);
      return result.stdout;
    };
    assert.ok(onTty({}).includes(ESC));
    assert.ok(!onTty({ NO_COLOR: '1' }).includes(ESC));
  });
});

describe('the bin', () => {
  it('is js/tools/cli.js of the CLI package and starts with a node shebang', () => {
    // Its manifest: installed, the package's own; in the repository, the one scripts/pack.js stages.
    const manifest = packed ? path.join(cliRoot, 'package.json') : path.join(repoRoot, 'packages', 'login-claims-cli', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    assert.equal(pkg.name, 'login-claims-cli');
    assert.equal(pkg.bin['login-claims'], 'js/tools/cli.js');
    // The CLI package depends on the runtimes only.
    for (const name of Object.keys(pkg.dependencies || {})) assert.ok(['login-claims', 'login-claims-phone-message'].includes(name), name);
    assert.ok(fs.readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'));
  });

  it('needs node: built-ins, files of js/tools/ and the runtime by its package name, never a path into it', () => {
    const tools = path.join(cliRoot, 'js', 'tools');
    const files = [CLI, ...fs.readdirSync(path.join(tools, 'cli')).filter((name) => name.endsWith('.js')).map((name) => path.join(tools, 'cli', name))];
    assert.ok(files.length >= 8, files.join('\n'));
    let byName = 0;
    for (const file of files) {
      const source = fs.readFileSync(file, 'utf8');
      for (const [, name] of source.matchAll(/require\(['"]([^'"]+)['"]\)/g)) {
        if (name.startsWith('node:')) continue;
        if (name === 'login-claims' || name === 'login-claims/package.json') {
          byName += 1;
          continue;
        }
        assert.ok(name.startsWith('.'), `${path.basename(file)} requires ${name}`);
        const target = path.resolve(path.dirname(file), name);
        const ownPackageJson = target === path.join(cliRoot, 'package.json');
        assert.ok(ownPackageJson || target.startsWith(tools + path.sep), `${path.basename(file)} requires ${name}, outside js/tools/`);
      }
    }
    assert.ok(byName >= 2, 'the runtime and its package.json are required by name');
  });
});
