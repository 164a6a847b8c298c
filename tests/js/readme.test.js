'use strict';
// README.md is a promise to users: every command in it runs as shown, every code sample works,
// every output shown is the output, and every code it lists (reasons, failures, configuration
// problems, options, secrets) is one the package has, and the other way round. A README block of
// a kind this file does not know how to check fails the suite, so no sample goes unchecked.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { loadPackage, root, cliRoot, phoneRoot, packed } = require('./under-test.js');
const { catalogue } = require('./lookup-client.js');

// The sources (src/, build.sh) are only in the repository, also when the package under test is
// an installed tarball.
const REPO = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
// The CLI, its examples and its sample tenant are in the login-claims-cli package.
const CLI = path.join(cliRoot, 'js', 'tools', 'cli.js');

const source = (rel) => fs.readFileSync(path.join(REPO, rel), 'utf8');
const packageSource = (rel) => fs.readFileSync(path.join(root, rel), 'utf8');

// ---- reading the README ----------------------------------------------------------------------

/** Fenced blocks, also those indented inside list items, with the heading they are under. */
function codeBlocks(markdown) {
  const blocks = [];
  const fence = /^( *)```(\w*)\n([\s\S]*?)\n\1```$/gm;
  for (const match of markdown.matchAll(fence)) {
    const [, indent, lang, body] = match;
    const text = body
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
    const headings = [...markdown.slice(0, match.index).matchAll(/^#{1,3} (.+)$/gm)];
    blocks.push({ lang, text, at: match.index, heading: headings.length ? headings[headings.length - 1][1] : '' });
  }
  return blocks;
}

/** The text under a heading, up to the next heading. */
function section(title) {
  const start = README.search(new RegExp(`^#{2,3} ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  assert.notEqual(start, -1, `README has no section "${title}"`);
  const rest = README.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^#{1,3} /m);
  return end === -1 ? rest : rest.slice(0, end);
}

/** The backticked codes in the first column of a section's table. */
function tableCodes(title) {
  return [...section(title).matchAll(/^ *\| `([^`]+)` \|/gm)].map((m) => m[1]);
}

const sorted = (values) => [...new Set(values)].sort();

// ---- running what the README says ------------------------------------------------------------

function spawnCli(args, cwd) {
  const env = { ...process.env };
  // Colour and the Action secrets the CLI reads from the environment would change its output.
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'AUTH0_DOMAIN', 'AUTH0_TENANT_DOMAIN', 'MANAGEMENT_CLIENT_ID', 'MANAGEMENT_CLIENT_SECRET', 'MANAGEMENT_API_TOKEN']) delete env[name];
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60000 });
  assert.equal(result.error, undefined);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `login-claims playground` serves until Ctrl-C: it gets SIGINT after 2 s, as from a user's
 * Ctrl-C, and must have printed its URL by then and exit 0. (The page itself is tested in
 * tests/browser/playground.test.js.)
 */
function servePlayground(args) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: cliRoot, encoding: 'utf8', timeout: 2000, killSignal: 'SIGINT' });
  assert.ok(result.error === undefined || result.error.code === 'ETIMEDOUT', String(result.error));
  assert.match(result.stdout, /^login-claims playground: http:\/\/127\.0\.0\.1:\d+\/playground\/$/m);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Runs one README command line the way a user would (once per test run), or checks it when
 * running it here is not possible. Returns {code, stdout, stderr} of what ran.
 */
const commandRuns = new Map();

function runCommand(line) {
  if (!commandRuns.has(line)) commandRuns.set(line, runCommandOnce(line));
  return commandRuns.get(line);
}

function runCommandOnce(line) {
  assert.ok(!/['"|&;<>$`\\]/.test(line), `README commands are run without a shell; keep them plain: ${line}`);
  const words = line.split(/\s+/);
  const [first, second, ...rest] = words;
  if (first === './build.sh') {
    if (second === 'demo') {
      const result = spawnSync('bash', ['build.sh', 'demo'], { cwd: REPO, encoding: 'utf8', timeout: 120000 });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    }
    // setup installs toolchains, build rewrites pkg/ and test runs this very suite: here it is
    // only checked that build.sh has the command.
    assert.match(source('build.sh'), new RegExp(`^\\s*${second}\\) cmd_${second}\\b`, 'm'), `build.sh has no command ${second}`);
    return undefined;
  }
  if (first === 'node' && second === 'js/tools/cli.js') return spawnCli(rest, cliRoot);
  // What a user types in their own project: there, in the scratch project whose node_modules
  // holds the packages under test (as `npm install --save-dev login-claims-cli` installs them).
  if (PROJECT_COMMANDS.has(first)) {
    // A command may rely on those above it in the README (simulate --action on init's files).
    for (const earlier of projectLines.slice(0, projectLines.indexOf(line))) runCommand(earlier);
    return runInProject(words);
  }
  if (first === 'login-claims' && second === 'playground') return servePlayground([second, ...rest]);
  if (first === 'login-claims') return spawnCli([second, ...rest].filter((w) => w !== undefined), cliRoot);
  assert.fail(`README command not exercised by tests/js/readme.test.js: ${line}`);
}

const PROJECT_COMMANDS = new Set(['npm', 'npx', 'node']);

function runInProject([first, second, ...rest]) {
  if (first === 'npm') {
    // Not run (no registry here): the package it installs is the CLI's, as a devDependency, and
    // the project's node_modules holds it, as npm would.
    assert.equal(second, 'install');
    assert.deepEqual(rest, ['--save-dev', 'login-claims-cli'], 'the README installs the CLI as a devDependency');
    const cliManifest = packed ? path.join(cliRoot, 'package.json') : path.join(REPO, 'packages', 'login-claims-cli', 'package.json');
    assert.equal(JSON.parse(fs.readFileSync(cliManifest, 'utf8')).name, 'login-claims-cli');
    fs.writeFileSync(path.join(project, 'package.json'), `${JSON.stringify({ devDependencies: { 'login-claims-cli': '^0.1.0' } }, null, 2)}\n`);
    return undefined;
  }
  if (first === 'npx') {
    assert.equal(second, 'login-claims', 'npx runs the bin of login-claims-cli');
    return spawnCli(rest, project);
  }
  assert.deepEqual([first, second, ...rest], ['node', '--test'], 'node runs the unit test init wrote');
  // As typed in a terminal: not as a child of this test run (NODE_TEST_CONTEXT).
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const result = spawnSync(process.execPath, ['--test'], { cwd: project, env, encoding: 'utf8', timeout: 60000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function commandLines(block) {
  return block.text
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#'))
    .map((line) => {
      const [command, comment = ''] = line.split(/\s+#\s+/);
      const exits = /^exits (\d+)/.exec(comment);
      return { command: command.trim(), expectedCode: exits ? Number(exits[1]) : 0 };
    });
}

// ---- the Action snippets ---------------------------------------------------------------------

let scratch;
// The user's own project, for the commands the README has them type there.
let project;
let tenant;
let tenantSecrets;
let closedPort;

function readExample(rel) {
  return JSON.parse(fs.readFileSync(path.join(cliRoot, 'examples', rel), 'utf8'));
}

/** A fake Auth0 `api` that records what an Action does with it. */
function recordingApi(lc) {
  const claims = { idToken: {}, accessToken: {} };
  const denied = [];
  const setter = (token) => ({
    setCustomClaim(name, value) {
      claims[token][name] = value;
    },
  });
  return { claims, denied, idToken: setter('idToken'), accessToken: setter('accessToken'), access: { deny: (reason) => denied.push(reason) }, cache: lc.createMemoryCache() };
}

/** Loads a README sample as the Action file it is, resolving require('login-claims') to the package under test. */
function loadAction(code, name) {
  const file = path.join(scratch, `${name}.js`);
  fs.writeFileSync(file, code);
  return require(file);
}

/** Runs `body` with console output captured, so that a sample's logger: console stays quiet. */
async function capturingConsole(body) {
  const lines = [];
  const saved = { warn: console.warn, log: console.log };
  console.warn = (...args) => lines.push(args.join(' '));
  console.log = (...args) => lines.push(args.join(' '));
  try {
    await body();
  } finally {
    Object.assign(console, saved);
  }
  return lines;
}

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-readme-'));
  fs.mkdirSync(path.join(scratch, 'node_modules'));
  fs.symlinkSync(root, path.join(scratch, 'node_modules', 'login-claims'), 'junction');
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-readme-project-'));
  fs.mkdirSync(path.join(project, 'node_modules'));
  for (const [name, dir] of [['login-claims', root], ['login-claims-cli', cliRoot], ['login-claims-phone-message', phoneRoot]]) {
    fs.symlinkSync(dir, path.join(project, 'node_modules', name), 'junction');
  }

  const { startSampleTenant } = require(path.join(cliRoot, 'js', 'tools', 'sample-tenant.js'));
  tenant = await startSampleTenant({ users: readExample('tenant.json').users, clients: { 'readme-client': 'readme-secret-5c2b9e' } });
  tenantSecrets = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: 'readme-client', MANAGEMENT_CLIENT_SECRET: 'readme-secret-5c2b9e' };

  // A port nothing listens on: a lookup there fails at once with mgmt_network.
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closedPort = server.address().port;
  await new Promise((resolve) => server.close(resolve));
});

after(async () => {
  if (tenant) await tenant.close();
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.rmSync(project, { recursive: true, force: true });
});

// ---- the tests -------------------------------------------------------------------------------

const blocks = codeBlocks(README);
// The README's commands for the user's project, in README order.
const projectLines = blocks
  .filter((block) => block.lang === 'sh')
  .flatMap((block) => commandLines(block).map(({ command }) => command))
  .filter((line) => PROJECT_COMMANDS.has(line.split(/\s+/)[0]) && !line.startsWith('node js/tools/cli.js'));

describe('README code blocks', () => {
  it('every block is of a kind this suite checks', () => {
    assert.ok(blocks.length >= 10, `found only ${blocks.length} blocks`);
    for (const block of blocks) assert.ok(['sh', 'js', 'json', 'text'].includes(block.lang), `unchecked block (${block.lang || 'no language'}) under "${block.heading}"`);
  });

  it('every shell command runs as shown (exit code and, where the README shows it, the output)', () => {
    let ran = 0;
    blocks.forEach((block, index) => {
      if (block.lang !== 'sh') return;
      const lines = commandLines(block);
      assert.ok(lines.length > 0, `empty sh block under "${block.heading}"`);
      let last;
      for (const { command, expectedCode } of lines) {
        last = runCommand(command);
        if (last === undefined) continue;
        ran += 1;
        assert.equal(last.code, expectedCode, `${command}\n${last.stderr}`);
        if (expectedCode === 0) assert.ok(last.stdout.length > 0, `${command} printed nothing`);
      }
      const next = blocks[index + 1];
      if (next && next.lang === 'text' && README.slice(block.at, next.at).split('```').length === 3) {
        assert.ok(last, `the output under "${block.heading}" follows a command that is not run`);
        assert.equal(last.stdout, `${next.text}\n`, `README output of "${lines[lines.length - 1].command}" is not what it prints`);
      }
    });
    assert.ok(ran >= 6, `only ${ran} commands ran`);
  });

  it('./build.sh demo prints what login-claims demo prints', () => {
    const viaBuild = runCommand('./build.sh demo');
    assert.equal(viaBuild.code, 0, viaBuild.stderr);
    assert.equal(viaBuild.stdout, spawnCli(['demo'], cliRoot).stdout);
  });

  it('every output block is the output of the command just before it', () => {
    blocks.forEach((block, index) => {
      if (block.lang !== 'text') return;
      const previous = blocks[index - 1];
      assert.ok(previous && previous.lang === 'sh', `a text block under "${block.heading}" follows no command`);
    });
  });

  it('every JSON block is a valid configuration, or the tenant-settings body', async () => {
    const lc = await loadPackage();
    let configs = 0;
    for (const block of blocks.filter((b) => b.lang === 'json')) {
      const value = JSON.parse(block.text);
      if ('flags' in value) {
        assert.deepEqual(value, { flags: { disable_management_api_sms_obfuscation: true } });
        continue;
      }
      const { ok, issues } = lc.validateConfig(value);
      assert.deepEqual({ ok, issues }, { ok: true, issues: [] }, block.text);
      configs += 1;
    }
    assert.ok(configs >= 1);
  });

  it('every Action sample sets the claims of a login, and applies its failure policy', async () => {
    const lc = await loadPackage();
    const samples = blocks.filter((b) => b.lang === 'js' && b.text.includes('exports.onExecutePostLogin'));
    assert.ok(samples.length >= 2);
    for (const [index, sample] of samples.entries()) {
      const action = loadAction(sample.text, `action-${index}`);
      assert.equal(typeof action.onExecutePostLogin, 'function');
      const login = (secrets) => ({ ...readExample('events/mfa-sms-and-app.json'), secrets });

      const healthy = recordingApi(lc);
      await capturingConsole(() => action.onExecutePostLogin(login(tenantSecrets), healthy));
      assert.deepEqual(healthy.claims.idToken.phone_number, '+447700900461', sample.text);
      assert.equal(healthy.claims.idToken.phone_number_verified, true);
      assert.deepEqual(healthy.claims.accessToken['https://my-app.example.com/roles'], ['member']);
      assert.deepEqual(healthy.denied, []);

      const failing = recordingApi(lc);
      const unreachable = { ...tenantSecrets, AUTH0_DOMAIN: `http://127.0.0.1:${closedPort}` };
      const logged = await capturingConsole(() => action.onExecutePostLogin(login(unreachable), failing));
      assert.equal(failing.claims.idToken.phone_number, undefined, 'phone claims are withheld when the lookup fails');
      assert.deepEqual(failing.claims.accessToken['https://my-app.example.com/roles'], ['member'], 'custom claims are still set');
      const deny = /onError:\s*'deny'/.test(sample.text);
      assert.equal(failing.denied.length, deny ? 1 : 0, `onError ${deny ? "'deny'" : 'default'}`);
      assert.ok(logged.some((line) => line.includes('mgmt_network')), logged.join('\n'));
      assert.ok(!logged.join('\n').includes('readme-secret'), 'no secret in the log');
    }
  });

  it('the unit-test sample passes under node --test', () => {
    const samples = blocks.filter((b) => b.lang === 'js' && b.text.includes("require('node:test')"));
    assert.equal(samples.length, 1);
    const file = path.join(scratch, 'readme-sample.test.js');
    fs.writeFileSync(file, samples[0].text);
    // Without NODE_TEST_CONTEXT the inner run reports as a user's would, not to this runner.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const result = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: scratch, env, encoding: 'utf8', timeout: 60000 });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^# pass [2-9]/m);
    assert.match(result.stdout, /^# fail 0$/m);
  });

  it('every JS block is one of the samples above', () => {
    for (const block of blocks.filter((b) => b.lang === 'js')) {
      // Phone-message samples are run against the Verify stand-in by tests/js/phone-message.test.js.
      const phoneMessage = /exports\.onExecute(SendPhoneMessage|CustomPhoneProvider) =/.test(block.text);
      assert.ok(block.text.includes('exports.onExecutePostLogin') || block.text.includes("require('node:test')") || phoneMessage, `unchecked JS sample:\n${block.text}`);
    }
  });
});

describe('README reference tables match the code', () => {
  it('reason codes: every code of the engine catalogue and of the JS shim, and no other', () => {
    const rust = catalogue().reasons;
    assert.ok(rust.length >= 20);
    const shim = [...packageSource('js/action/core.js').matchAll(/reason: '([a-z_]+)'/g)].map((m) => m[1]);
    assert.deepEqual(sorted(tableCodes('Reason codes')), sorted([...rust, ...shim]));
  });

  it('numbers: every row of the Numbers table is what a login gets for that stored value', async () => {
    const lc = await loadPackage();
    const rows = section('Numbers')
      .split('\n')
      .filter((line) => /^\| `/.test(line))
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    assert.ok(rows.length >= 10, 'the table lists the examples');
    for (const [stored, country, claim] of rows) {
      const number = /^`(.*)`$/.exec(stored)[1];
      const phone = { sources: ['app_metadata'] };
      if (country !== 'any' && country !== 'none') phone.defaultCountry = /^`(.*)`$/.exec(country)[1];
      const event = { transaction: { requested_scopes: ['openid', 'phone'] }, user: { user_id: 'auth0|1', app_metadata: { phone_number: number } } };
      const result = await lc.simulatePostLogin(event, { phone });
      const refused = /^refused: `(\w+)`$/.exec(claim);
      if (refused) {
        assert.deepEqual(result.idToken, {}, stored);
        assert.ok(result.trace.some((e) => e.reason === refused[1]), `${stored}: ${JSON.stringify(result.trace)}`);
      } else {
        assert.equal(result.idToken.phone_number, /^`([^`]+)`/.exec(claim)[1], `${stored} in ${country}`);
      }
      if (country === 'any') {
        const elsewhere = await lc.simulatePostLogin(event, { phone: { ...phone, defaultCountry: 'JP' } });
        assert.deepEqual(elsewhere.idToken, result.idToken, `${stored}: a country changes nothing here`);
      }
    }
  });

  it('failure codes: exactly MANAGEMENT_FAILURES', () => {
    const { MANAGEMENT_FAILURES } = require('./lookup-client.js');
    assert.deepEqual(sorted(tableCodes('Failure codes')), sorted(Object.keys(MANAGEMENT_FAILURES)));
  });

  it('configuration problems: every IssueCode of the engine catalogue and of the JS shim', () => {
    const variants = catalogue().issues;
    const shimSource = packageSource('js/action/core.js') + packageSource('js/action/simulate.js');
    const shim = [...shimSource.matchAll(/code: '([a-z_]+)'/g)].map((m) => m[1]);
    assert.deepEqual(sorted(tableCodes('Configuration problems')), sorted([...variants, ...shim]));
  });

  it('options: every option createPostLoginHandler accepts, with its default', () => {
    const options = catalogue().options.filter((option) => option.defaults.some(([kind]) => kind === 'postLogin'));
    const rows = tableCodes('Options');
    assert.deepEqual(sorted(rows), sorted(options.map((option) => option.name)));
    for (const option of options) {
      const value = option.defaults.find(([kind]) => kind === 'postLogin')[1];
      if (value === null) continue;
      const name = option.name;
      const shown = /^\d+$/.test(value) ? `\`${value}\`` : `\`'${value}'\``;
      assert.match(section('Options'), new RegExp(`^\\| \`${name}\` \\| ${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`, 'm'), name);
    }
  });

  it('secrets and Management API scopes: the ones the client reads and needs', () => {
    const management = source('src/management/lookup.rs') + source('src/management/secrets.rs');
    const secrets = sorted(catalogue().managementSecrets);
    assert.deepEqual(secrets, ['AUTH0_DOMAIN', 'AUTH0_TENANT_DOMAIN', 'MANAGEMENT_API_TOKEN', 'MANAGEMENT_CLIENT_ID', 'MANAGEMENT_CLIENT_SECRET']);
    const install = section('Installing into an Auth0 Action');
    for (const name of secrets) assert.ok(install.includes(`\`${name}\``), name);
    assert.deepEqual(sorted(tableCodes('Installing into an Auth0 Action')), ['AUTH0_DOMAIN', 'AUTH0_TENANT_DOMAIN', 'MANAGEMENT_CLIENT_ID', 'MANAGEMENT_CLIENT_SECRET']);
    const scopes = [...new Set(management.match(/"read:\w+"/g).map((s) => s.slice(1, -1)))];
    assert.deepEqual(sorted(scopes), ['read:authentication_methods', 'read:users']);
    for (const scope of scopes) assert.ok(install.includes(`\`${scope}\``), scope);
    assert.match(install, /expires after 24 hours and the Action cannot refresh it/);
    assert.match(install, /`disable_management_api_sms_obfuscation`/);
  });

  it('limits and numbers are the ones in the code', () => {
    const number = (text, name) => Number(new RegExp(`${name}(?::\\s*\\w+)?\\s*=\\s*([\\d_]+)`).exec(text)[1].replace(/_/g, ''));
    const spaced = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
    const engine = source('src/engine/mod.rs');
    const phone = source('src/phone/mod.rs');
    const management = source('src/management/lookup.rs');
    const paths = source('src/engine/path.rs');
    assert.ok(README.includes(`within ${spaced(number(engine, 'TOKEN_BUDGET_BYTES'))} bytes`));
    assert.ok(README.includes(`${number(management, 'MAX_PAGES')} pages of ${number(management, 'PER_PAGE')} methods`));
    assert.match(management, /const MAX_BODY_BYTES: u32 = 1024 \* 1024;/);
    assert.ok(README.includes('1 MiB'));
    assert.ok(README.includes(`${number(phone, 'MIN_DIGITS')} to ${number(phone, 'MAX_DIGITS')}\ndigits`) || README.includes(`${number(phone, 'MIN_DIGITS')} to ${number(phone, 'MAX_DIGITS')} digits`));
    assert.ok(README.includes(`at most ${number(phone, 'MAX_RAW_BYTES')} bytes`));
    assert.ok(README.includes(`1 to ${number(phone, 'MAX_EXT_DIGITS')} digits`));
    assert.ok(README.includes(`at most ${number(paths, 'MAX_SEGMENTS')} segments`));
    const roots = /KNOWN_ROOTS: &\[&str\] = &\[([\s\S]*?)\];/.exec(paths)[1].match(/"(\w+)"/g).map((s) => s.slice(1, -1));
    const listed = /A path starts with one of ([\s\S]*?), and has/.exec(section('Configuration'))[1].match(/`(\w+)`/g).map((s) => s.slice(1, -1));
    assert.deepEqual(listed, roots);
  });

  it('the version to add as the Action dependency is the package version', () => {
    const { version } = JSON.parse(packageSource('package.json'));
    // Modules → Add Module, as the Action editor calls its dependencies now.
    assert.match(README, new RegExp(`\\*\\*Add Module\\*\\*: name \`login-claims\`,\\s+version \`${version.replace(/\./g, '\\.')}\``));
  });
});

describe('README structure', () => {
  it('has the sections users look for, including the placeholder for phone-message delivery', () => {
    for (const title of ['What it fixes in hand-written Actions', 'Quick start', 'Installing into an Auth0 Action', 'Configuration', 'Claims and reason codes', 'Failure policy', 'Limits', 'Building from source', 'Phone-message delivery (Twilio Verify)']) {
      section(title);
    }
  });

  // npm shows the README with relative links resolved against the package's `repository`, so a
  // link names a file of the repository (the examples are in login-claims-cli, the phone guide is
  // login-claims-phone-message's README, and both are files of the repository).
  it('relative links point to files of the repository, anchors to headings', () => {
    const slugs = [...README.matchAll(/^#{1,3} (.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^\w\s-]/g, '').replace(/\s/g, '-'));
    for (const [, target] of README.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^https?:/.test(target)) continue;
      if (target.startsWith('#')) assert.ok(slugs.includes(target.slice(1)), target);
      else assert.ok(fs.existsSync(path.join(REPO, target)), target);
    }
  });
});
