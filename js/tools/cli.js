#!/usr/bin/env node
'use strict';
// The `login-claims` command: shows, on the user's machine and before deploying, which claims a
// configuration gives a login and why. Every login goes through simulatePostLogin, the same path
// as the Action, optionally with a sample tenant on loopback answering the Management API
// lookups. Node built-ins only: the CLI ships inside the package the Action installs, so any
// dependency of the CLI would become a dependency of every Action.

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;
const EXIT_FAILED = 3;

// The only client the sample tenant accepts. Its secret is drawn anew for every run, so that no
// example file and no output ever holds a credential worth copying.
const SAMPLE_CLIENT_ID = 'login-claims-cli';

const TENANT_FILE_KEYS = ['users', 'maskNumbers'];
const TENANT_USER_KEYS = ['authentication_methods', 'enrollments'];

const HELP = `login-claims: see which claims your configuration gives each kind of login, and why.

Usage
  login-claims simulate --event FILE [--config FILE] [--tenant FILE] [--json]
  login-claims validate --config FILE [--json]
  login-claims demo
  login-claims playground [--port PORT]
  login-claims --help | --version

Commands
  simulate  Runs one login (a post-login event, JSON) exactly as the Action would and prints
            the ID-token claims, the access-token claims and the trace of reasons.
              --config FILE  the configuration (JSON); without it, the default: {}
              --tenant FILE  answers Management API lookups from a sample tenant on
                             127.0.0.1 holding the users of FILE, and points
                             event.secrets at it; without it, lookups use the
                             event's own secrets
              --json         prints {idToken, accessToken, trace, managementApiCalls, log}
  validate  Lists every problem of a configuration with its fix.
              --json         prints {ok, issues, managementApi}
  demo      Runs the bundled example logins (examples/) through a sample tenant on
            127.0.0.1 and prints the claims and reasons of each.
  playground
            Serves the playground on 127.0.0.1 and prints its URL: a page with editors for
            the configuration, the event and the MFA methods, showing the claims, the trace
            and the configuration issues as you type, decided by the same wasm in the
            browser. Nothing leaves the page. Ctrl-C stops it.
              --port PORT    the port (default 0: any free port)

Exit codes
  0  done (validate: no problem found)
  1  validate found problems, or an input file is missing, unreadable, not JSON or invalid
  2  usage error: unknown command or option, missing or repeated argument
  3  the run itself failed (the sample tenant or the playground could not start, or a bug)

Colour only when standard output is a terminal; NO_COLOR turns it off, FORCE_COLOR on.
`;

const COMMANDS = {
  simulate: { run: simulateCommand, values: ['event', 'config', 'tenant'], flags: ['json'], required: ['event'] },
  validate: { run: validateCommand, values: ['config'], flags: ['json'], required: ['config'] },
  demo: { run: demoCommand, values: [], flags: [], required: [] },
  playground: { run: playgroundCommand, values: ['port'], flags: [], required: [], valueNames: { port: 'PORT' } },
};

/** An expected failure: its message is for the user and its exit code for scripts. */
class CliError extends Error {
  constructor(exitCode, message, lines = []) {
    super(message);
    this.exitCode = exitCode;
    this.lines = lines;
  }
}

const usageError = (message) => new CliError(EXIT_USAGE, message, ["Run 'login-claims --help' for usage."]);
const inputError = (message, lines) => new CliError(EXIT_INVALID, message, lines);

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

// ---- arguments -------------------------------------------------------------------------------

async function main(argv, io) {
  const [command, ...rest] = argv;
  if (command === undefined) throw usageError('no command given');
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${require('../../package.json').version}\n`);
    return EXIT_OK;
  }
  if (!hasOwn(COMMANDS, command)) throw usageError(`unknown command '${command}'`);
  const spec = COMMANDS[command];
  const options = parseOptions(command, rest, spec);
  if (options.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  return spec.run(options, io);
}

function parseOptions(command, args, spec) {
  const options = { help: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      options.help = true;
      continue;
    }
    const match = /^--([a-z][a-z-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!match) throw usageError(`${command}: unexpected argument '${arg}'`);
    const [, name, inline] = match;
    if (spec.flags.includes(name)) {
      if (inline !== undefined) throw usageError(`${command}: --${name} takes no value`);
      options[name] = true;
    } else if (spec.values.includes(name)) {
      const value = inline !== undefined ? inline : args[++i];
      // `--event --json` is a forgotten FILE, not a file named --json.
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) {
        throw usageError(`${command}: --${name} needs a ${valueName(spec, name)}`);
      }
      if (options[name] !== undefined) throw usageError(`${command}: --${name} is given twice`);
      options[name] = value;
    } else {
      throw usageError(`${command}: unknown option '--${name}'`);
    }
  }
  if (!options.help) {
    for (const name of spec.required) {
      if (options[name] === undefined) throw usageError(`${command}: --${name} ${valueName(spec, name)} is required`);
    }
  }
  return options;
}

function valueName(spec, name) {
  return spec.valueNames && hasOwn(spec.valueNames, name) ? spec.valueNames[name] : 'FILE';
}

// ---- input files -----------------------------------------------------------------------------

function readJsonFile(file, what) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw inputError(`cannot read the ${what} file ${file}: ${fileProblem(error)}`);
  }
  // Editors on Windows like to start UTF-8 files with a byte-order mark; JSON.parse does not.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw inputError(`the ${what} file ${file} is not valid JSON: ${jsonProblem(error, text)}`);
  }
}

function fileProblem(error) {
  const known = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied', EPERM: 'permission denied' };
  return known[error.code] || error.code || error.message;
}

// Node versions word JSON errors differently; all of them name a character position, which a
// person wants as a line and column.
function jsonProblem(error, text) {
  const message = String(error.message).replace(/\s*\(line \d+ column \d+\)$/, '');
  const at = /\s*in JSON at position (\d+)$/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.slice(0, at.index)} at line ${line}, column ${column}`;
}

function readEvent(file) {
  const event = readJsonFile(file, 'event');
  if (!isPlainObject(event)) {
    throw inputError(`the event file ${file} must hold one post-login event (a JSON object), not ${typeName(event)}`);
  }
  if (!isPlainObject(event.user)) {
    throw inputError(`the event file ${file} has no "user" object; every post-login event has one`);
  }
  return event;
}

function readTenant(file) {
  const tenant = readJsonFile(file, 'tenant');
  const problem = tenantProblem(tenant);
  if (problem) throw inputError(`the tenant file ${file} is invalid: ${problem}`);
  return { users: tenant.users || {}, maskNumbers: tenant.maskNumbers === true };
}

function tenantProblem(tenant) {
  if (!isPlainObject(tenant)) return `it must be a JSON object, not ${typeName(tenant)}`;
  const unknown = Object.keys(tenant).filter((key) => !TENANT_FILE_KEYS.includes(key));
  if (unknown.length) return `unknown key(s) ${unknown.join(', ')}; allowed: ${TENANT_FILE_KEYS.join(', ')}`;
  if (tenant.maskNumbers !== undefined && typeof tenant.maskNumbers !== 'boolean') return '"maskNumbers" must be true or false';
  if (tenant.users === undefined) return undefined;
  if (!isPlainObject(tenant.users)) return '"users" must be an object keyed by user_id';
  for (const [userId, user] of Object.entries(tenant.users)) {
    if (!isPlainObject(user)) return `users["${userId}"] must be an object such as {"authentication_methods": [...]}`;
    for (const key of Object.keys(user)) {
      if (!TENANT_USER_KEYS.includes(key)) return `users["${userId}"] has the unknown key ${key}; allowed: ${TENANT_USER_KEYS.join(', ')}`;
      if (!Array.isArray(user[key])) return `users["${userId}"].${key} must be an array`;
    }
  }
  return undefined;
}

/** The configuration of a file, refused with every problem listed when it is not valid. */
function readValidConfig(lc, file) {
  const config = readJsonFile(file, 'configuration');
  const { issues } = lc.validateConfig(config);
  if (issues.length) {
    throw inputError(`the configuration ${file} has ${count(issues.length, 'problem')}; nothing was simulated`, issueLines(issues, PLAIN_IO));
  }
  return config;
}

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

// ---- running logins --------------------------------------------------------------------------

function loadPackage() {
  // The Action's own entry, so that the CLI runs exactly the bytes the Action runs.
  return require('../action/index.js');
}

/** Runs `body` with a sample tenant on 127.0.0.1 and the secrets that reach it; always closes it. */
async function withSampleTenant(tenantSpec, body) {
  const { startSampleTenant } = require('./sample-tenant.js');
  const clientSecret = randomBytes(18).toString('base64url');
  let tenant;
  try {
    tenant = await startSampleTenant({
      users: tenantSpec.users,
      maskNumbers: tenantSpec.maskNumbers,
      clients: { [SAMPLE_CLIENT_ID]: clientSecret },
      host: '127.0.0.1',
    });
  } catch (error) {
    throw new CliError(EXIT_FAILED, `could not start the sample tenant on 127.0.0.1: ${error.code || error.message}`);
  }
  const secrets = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: SAMPLE_CLIENT_ID, MANAGEMENT_CLIENT_SECRET: clientSecret };
  try {
    return await body(tenant, secrets);
  } finally {
    await tenant.close();
  }
}

function withSecrets(event, secrets) {
  if (!secrets) return event;
  const own = isPlainObject(event.secrets) ? event.secrets : {};
  return { ...event, secrets: { ...own, ...secrets } };
}

/** One login through simulatePostLogin, with the lines the Action would have logged. */
async function simulate(lc, event, config, secrets) {
  const log = [];
  const logger = { warn: (line) => log.push(String(line)) };
  const result = await lc.simulatePostLogin(withSecrets(event, secrets), config, { logger });
  return {
    idToken: result.idToken,
    accessToken: result.accessToken,
    trace: result.trace,
    managementApiCalls: result.managementApiCalls,
    log,
  };
}

// ---- commands --------------------------------------------------------------------------------

const MFA_SECRETS_HINT =
  'add the Action secrets AUTH0_DOMAIN, MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (and AUTH0_TENANT_DOMAIN with a custom domain) for the mfa source; without them it is skipped (mfa_not_configured) and the next source is tried.';

async function simulateCommand(options, io) {
  const lc = loadPackage();
  const event = readEvent(options.event);
  const config = options.config === undefined ? undefined : readValidConfig(lc, options.config);
  const tenantSpec = options.tenant === undefined ? undefined : readTenant(options.tenant);
  const result = tenantSpec
    ? await withSampleTenant(tenantSpec, (_tenant, secrets) => simulate(lc, event, config, secrets))
    : await simulate(lc, event, config, undefined);
  if (options.json) {
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return EXIT_OK;
  }
  const paint = io.paint;
  const configShown = options.config === undefined ? 'none (the default: {})' : options.config;
  const tenantShown = options.tenant === undefined ? "none (lookups use the event's secrets)" : `${options.tenant} (sample tenant on 127.0.0.1)`;
  const lines = [
    `${paint('dim', 'event')}   ${options.event}`,
    `${paint('dim', 'config')}  ${configShown}`,
    `${paint('dim', 'tenant')}  ${tenantShown}`,
    '',
    ...resultLines(result, io),
  ];
  if (options.tenant === undefined && result.trace.some((entry) => entry.reason === 'mfa_not_configured')) {
    lines.push(
      '',
      `Hint: ${MFA_SECRETS_HINT}`,
      '      Or --tenant FILE answers the lookup from a sample tenant (see examples/tenant.json).'
    );
  }
  io.out(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

function validateCommand(options, io) {
  const lc = loadPackage();
  const config = readJsonFile(options.config, 'configuration');
  const report = lc.validateConfig(config);
  if (options.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    io.out(`${validationLines(options.config, report.issues, io, report.managementApi).join('\n')}\n`);
  }
  return report.ok ? EXIT_OK : EXIT_INVALID;
}

async function demoCommand(_options, io) {
  const lc = loadPackage();
  const manifestFile = path.join(EXAMPLES_DIR, 'demo.json');
  const manifest = readJsonFile(manifestFile, 'demo');
  const configFile = path.join(EXAMPLES_DIR, manifest.config);
  const tenantFile = path.join(EXAMPLES_DIR, manifest.tenant);
  const config = readValidConfig(lc, configFile);
  const tenantSpec = readTenant(tenantFile);
  const logins = manifest.logins.map((login) => ({
    ...login,
    file: path.join(EXAMPLES_DIR, login.event),
    event: readEvent(path.join(EXAMPLES_DIR, login.event)),
  }));
  const paint = io.paint;

  io.out(
    `${[
      paint('bold', `login-claims demo: ${logins.length} example logins through a sample tenant on 127.0.0.1`),
      `${paint('dim', 'config')}  ${shown(configFile)} (valid)`,
      `${paint('dim', 'users')}   ${shown(tenantFile)}`,
      '',
    ].join('\n')}\n`
  );
  await withSampleTenant(tenantSpec, async (tenant, secrets) => {
    for (const [index, login] of logins.entries()) {
      tenant.setMaskNumbers(login.maskNumbers === undefined ? tenantSpec.maskNumbers : login.maskNumbers === true);
      const result = await simulate(lc, login.event, config, secrets);
      const masking = login.maskNumbers ? paint('dim', '  (tenant masks numbers)') : '';
      const lines = [
        paint('bold', `[${index + 1}/${logins.length}] ${login.title}`),
        `${paint('dim', 'event')}  ${shown(login.file)}${masking}`,
        ...wrap(login.note, io.width, '').map((line) => paint('dim', line)),
        '',
        ...resultLines(result, io),
        '',
      ];
      io.out(`${lines.join('\n')}\n`);
    }
  });
  for (const file of manifest.validate) {
    const full = path.join(EXAMPLES_DIR, file);
    const report = lc.validateConfig(readJsonFile(full, 'configuration'));
    const lines = [paint('bold', `login-claims validate --config ${shown(full)}`), ...validationLines(shown(full), report.issues, io)];
    io.out(`${lines.join('\n')}\n`);
  }
  // The same package also delivers MFA codes through Twilio Verify: one delivery, one refusal
  // and the post-login feedback, against a local Verify stand-in.
  io.out('\n');
  await require('./phone-message-demo.js').phoneMessageDemo({ lc, out: io.out, paint });
  return EXIT_OK;
}

/** Serves playground/ on 127.0.0.1 until SIGINT or SIGTERM (Ctrl-C). */
async function playgroundCommand(options, io) {
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!/^\d{1,5}$/.test(options.port === undefined ? '0' : options.port) || port > 65535) {
    throw usageError(`playground: --port must be a number from 0 to 65535, not '${options.port}'`);
  }
  const { startPlaygroundServer } = require('./playground-server.js');
  let server;
  try {
    server = await startPlaygroundServer({ port, host: '127.0.0.1' });
  } catch (error) {
    throw new CliError(EXIT_FAILED, `could not serve the playground on 127.0.0.1:${port}: ${error.code || error.message}`);
  }
  io.out(
    `${[
      `login-claims playground: ${io.paint('bold', server.url)}`,
      'The page runs the Action\'s own code in your browser; nothing you type leaves it.',
      'Press Ctrl-C to stop.',
    ].join('\n')}\n`
  );
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return EXIT_OK;
}

/** A packaged file as the user would name it from the package root, with / on every system. */
function shown(file) {
  return path.relative(PACKAGE_ROOT, file).split(path.sep).join('/');
}

// ---- output ----------------------------------------------------------------------------------

const MAX_VALUE_WIDTH = 72;

function resultLines(result, io) {
  const paint = io.paint;
  const lines = [];
  for (const [title, claims] of [['ID token', result.idToken], ['Access token', result.accessToken]]) {
    lines.push(paint('bold', title));
    const rows = Object.keys(claims).map((name) => [name, claimValue(claims[name])]);
    if (rows.length === 0) lines.push(paint('dim', '  (no claims)'));
    else lines.push(...table(rows, { indent: '  ' }));
    lines.push('');
  }
  lines.push(paint('bold', 'Trace'));
  lines.push(...traceLines(result.trace, io));
  lines.push('');
  lines.push(`${paint('dim', 'Management API requests:')} ${result.managementApiCalls}`);
  for (const line of failureLines(result.trace)) lines.push(...wrap(line, io.width, '').map((text) => paint('dim', text)));
  if (result.log.length) {
    lines.push('', paint('bold', 'Action log'), ...result.log.flatMap((line) => wrap(line, io.width, '  ')));
  }
  return lines;
}

function claimValue(value) {
  const json = JSON.stringify(value);
  if (width(json) <= MAX_VALUE_WIDTH) return json;
  return `${[...json].slice(0, MAX_VALUE_WIDTH - 12).join('')}… (${Buffer.byteLength(json)} bytes; --json shows all)`;
}

const OUTCOME_STYLE = { set: 'green', skipped: 'yellow', dropped: 'red', noted: 'dim' };

function traceLines(trace, io) {
  if (trace.length === 0) return [io.paint('dim', '  (nothing to decide: the phone policy is off and no custom claim is configured)')];
  const header = ['OUTCOME', 'TOKEN', 'CLAIM', 'REASON', 'SOURCE'];
  const rows = trace.map((entry) => [entry.outcome, entry.token, entry.claim, entry.reason, entry.source || '']);
  const details = trace.map((entry) => {
    const detail = entry.detail || '';
    return entry.failure && !detail.includes(entry.failure) ? `${detail} (${entry.failure})`.trim() : detail;
  });
  const outcomeWidth = Math.max(...[header, ...rows].map((row) => width(row[0])));
  const detailIndent = ' '.repeat(2 + outcomeWidth + COLUMN_GAP.length);
  const tableLines = table(rows, {
    indent: '  ',
    header,
    style: (text, column, row) => {
      if (row < 0) return io.paint('dim', text);
      return column === 0 ? io.paint(OUTCOME_STYLE[rows[row][0]] || 'bold', text) : text;
    },
  });
  const lines = [tableLines[0]];
  tableLines.slice(1).forEach((line, row) => {
    lines.push(line);
    if (details[row]) lines.push(...wrap(details[row], io.width, detailIndent).map((text) => io.paint('dim', text)));
  });
  return lines;
}

/** One line per distinct Management API failure in the trace: what it means. */
function failureLines(trace) {
  // The catalogue lives in the engine (src/catalogue.rs); validateConfig initialises it.
  require('../action/index.js').validateConfig({});
  const failures = JSON.parse(require('../../pkg/login_claims_glue.cjs').catalogue()).managementFailures;
  const codes = [...new Set(trace.map((entry) => entry.failure).filter(Boolean))];
  return codes.map((code) => {
    const known = failures.find((failure) => failure.code === code);
    const meaning = known ? known.explain : 'see the README, "Failure codes"';
    return `${code}: ${meaning}`;
  });
}

function validationLines(label, issues, io, managementApi) {
  const warnings = issues.filter((issue) => issue.severity === 'warning').length;
  const errors = issues.length - warnings;
  const lines =
    issues.length === 0
      ? [`${label}: ${io.paint('green', 'valid')}, no problems found`]
      : errors === 0
        ? [`${label}: ${io.paint('green', 'valid')}, ${io.paint('yellow', count(warnings, 'warning'))} (the handler starts)`, '', ...issueLines(issues, io)]
        : [`${label}: ${io.paint('red', count(errors, 'problem'))}${warnings ? `, ${count(warnings, 'warning')}` : ''}`, '', ...issueLines(issues, io)];
  if (managementApi) lines.push('', ...wrap(`Note: ${MFA_SECRETS_HINT}`, io.width, ''));
  return lines;
}

function issueLines(issues, { paint, width: columns }) {
  const numberWidth = String(issues.length).length;
  const lines = [];
  issues.forEach((issue, index) => {
    const number = `${String(index + 1).padStart(numberWidth)}.`;
    const indent = ' '.repeat(number.length + 3);
    const warning = issue.severity === 'warning';
    const label = warning ? `${paint('yellow', issue.code)} (warning)` : paint('red', issue.code);
    lines.push(`  ${number} ${label} at ${clean(issue.at)}`);
    lines.push(...wrap(issue.message, columns, indent));
    const [first, ...more] = wrap(`fix: ${issue.fix}`, columns, indent);
    lines.push(first.replace('fix:', paint('dim', 'fix:')), ...more);
  });
  return lines;
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

// ---- text layout -----------------------------------------------------------------------------

const COLUMN_GAP = '  ';

/**
 * Lines of a table whose columns line up. `style(text, column, row)` colours a padded cell
 * (row -1 is the header), so escape codes never count towards a column's width. The last
 * column is not padded: no line ends in spaces.
 */
function table(rows, { indent = '', header, style = (text) => text } = {}) {
  const all = header ? [header, ...rows] : rows;
  const cells = all.map((row) => row.map(clean));
  const widths = [];
  for (const row of cells) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] || 0, width(cell));
    });
  }
  return cells.map((row, index) => {
    const rowNumber = header ? index - 1 : index;
    const parts = row.map((cell, column) => {
      const padded = column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - width(cell));
      return style(padded, column, rowNumber);
    });
    return (indent + parts.join(COLUMN_GAP)).trimEnd();
  });
}

/** Words of `text` on lines of at most `columns` characters, each starting with `indent`. */
function wrap(text, columns, indent) {
  const room = Math.max(20, columns - width(indent));
  const lines = [];
  let line = '';
  for (const word of clean(text).split(/\s+/).filter(Boolean)) {
    if (line && width(line) + 1 + width(word) > room) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

// Claim names, trace details and issue texts can carry bytes from the event or the Management
// API; a control character among them must not reach the terminal as a command.
function clean(text) {
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Terminal columns of `text`: East Asian wide characters and most emoji take two. */
function width(text) {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0);
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd);
    columns += wide ? 2 : 1;
  }
  return columns;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };

function plain(_style, text) {
  return text;
}

// For messages on standard error, which are never coloured.
const PLAIN_IO = { paint: plain, width: 100 };

function colourWanted(stream, env) {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

function makeIo(stdout, stderr, env) {
  const colour = colourWanted(stdout, env);
  return {
    out: (text) => stdout.write(text),
    err: (text) => stderr.write(text),
    paint: colour ? (style, text) => (text ? `\x1b[${ANSI[style][0]}m${text}\x1b[${ANSI[style][1]}m` : text) : plain,
    // A fixed width off a terminal keeps piped output the same on every machine.
    width: stdout.isTTY && stdout.columns ? Math.min(Math.max(stdout.columns, 60), 120) : 100,
  };
}

// ---- entry -----------------------------------------------------------------------------------

async function run(argv, { stdout = process.stdout, stderr = process.stderr, env = process.env } = {}) {
  const io = makeIo(stdout, stderr, env);
  try {
    return await main(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.err([`login-claims: ${error.message}`, ...error.lines].join('\n') + '\n');
      return error.exitCode;
    }
    const what = error && error.stack ? error.stack : String(error);
    io.err(`login-claims: internal error: ${what}\nPlease report it with the command that caused it.\n`);
    return EXIT_FAILED;
  }
}

if (require.main === module) {
  // `login-claims demo | head` closes the pipe early; that is not an error worth a stack trace.
  process.stdout.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode || EXIT_OK);
    throw error;
  });
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

module.exports = { run, table, wrap, width, EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_FAILED };
