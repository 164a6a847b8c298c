#!/usr/bin/env node
'use strict';
// The `login-claims` command of the dev-only package login-claims-cli: shows, on a developer's
// machine or in CI and before deploying, which claims an Auth0 post-login Action gives a login
// and why. It runs the user's own Action file, or a configuration, through the `login-claims`
// runtime, loaded by its package name (a dependency of login-claims-cli; in the repository, the
// repository itself), so that every login goes through the bytes the deployed Action runs,
// optionally with a sample tenant on loopback answering the Management API lookups. It is never
// part of what an Action installs. Node built-ins only, Node 18 to 22.
//
// The modules under cli/: args (parsing), help (texts), io (output, layout, redaction), inputs
// (files and secrets), report (text of a run), action-loader (the user's Action file), simulate
// (simulate, validate), expect (--expect), init (init).

const path = require('node:path');
const { EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_FAILED, CliError, usageError, runError } = require('./cli/errors.js');
const { parseCommand, unknownCommand } = require('./cli/args.js');
const help = require('./cli/help.js');
const { makeIo, wrap } = require('./cli/io.js');
const { readJsonFile, readEvent, readTenant, readValidConfig } = require('./cli/inputs.js');
const { resultLines, validationLines } = require('./cli/report.js');
const { loadRuntime, catalogue, runtimeVersion } = require('./cli/runtime.js');

// This package's root: examples/ and playground/ are next to js/tools/ in the repository and in
// login-claims-cli alike.
const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(PACKAGE_ROOT, 'examples');

const ownVersion = () => require('../../package.json').version;

const FILE = { type: 'string', value: 'FILE' };
const FLAG = { type: 'boolean' };

const COMMANDS = {
  simulate: {
    help: () => help.simulateHelp(secretNames()),
    options: {
      event: FILE,
      action: FILE,
      config: FILE,
      secrets: FILE,
      tenant: FILE,
      'on-error': { type: 'string', value: 'value (continue or deny)' },
      'timeout-ms': { type: 'string', value: 'number of milliseconds' },
      'deadline-ms': { type: 'string', value: 'number of milliseconds' },
      expect: FILE,
      json: FLAG,
    },
    run: (args, io, env) => require('./cli/simulate.js').simulateCommand(args.values, io, env),
  },
  validate: {
    help: () => help.VALIDATE,
    options: { config: FILE, action: FILE, json: FLAG },
    run: (args, io) => require('./cli/simulate.js').validateCommand(args.values, io),
  },
  init: {
    help: () => help.INIT,
    options: { force: FLAG },
    positionals: ['DIR'],
    run: initCommand,
  },
  demo: { help: () => help.DEMO, options: {}, run: demoCommand },
  playground: { help: () => help.PLAYGROUND, options: { port: { type: 'string', value: 'PORT' } }, run: playgroundCommand },
};

/** The Action secrets the CLI reads from the environment: the engine's list. */
function secretNames() {
  try {
    return catalogue().managementSecrets;
  } catch {
    return ['(the Management API secrets; the engine could not be loaded to list them)'];
  }
}

// ---- dispatch --------------------------------------------------------------------------------

async function main(argv, io, env) {
  const [command, ...rest] = argv;
  if (command === undefined) throw usageError('no command given');
  if (command === '--help' || command === '-h') {
    io.out(help.TOP);
    return EXIT_OK;
  }
  if (command === 'help') return helpCommand(rest, io);
  if (command === '--version' || command === '-v') {
    io.out(`${ownVersion()}\n`);
    return EXIT_OK;
  }
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, command)) throw unknownCommand(command, Object.keys(COMMANDS));
  const spec = COMMANDS[command];
  const args = parseCommand(command, spec, rest);
  if (args.help) {
    io.out(spec.help());
    return EXIT_OK;
  }
  return spec.run(args, io, env);
}

/** `login-claims help [COMMAND]`. */
function helpCommand(rest, io) {
  if (rest.length === 0) {
    io.out(help.TOP);
    return EXIT_OK;
  }
  if (rest.length > 1) throw usageError(`help: unexpected argument '${rest[1]}'`);
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, rest[0])) throw unknownCommand(rest[0], Object.keys(COMMANDS));
  io.out(COMMANDS[rest[0]].help());
  return EXIT_OK;
}

// ---- commands --------------------------------------------------------------------------------

function initCommand(args, io) {
  const { initProject, initLines } = require('./cli/init.js');
  const result = initProject({ dir: args.positionals[0] || '.', force: args.values.force === true, runtimeVersion: runtimeVersion(), cliVersion: ownVersion() });
  io.out(`${initLines(result, io).join('\n')}\n`);
  return EXIT_OK;
}

async function demoCommand(_args, io) {
  const { simulateConfig, withSampleTenant, failureLines } = require('./cli/simulate.js');
  const lc = loadRuntime();
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
  await withSampleTenant(io, tenantSpec, async (tenant, secrets) => {
    for (const [index, login] of logins.entries()) {
      tenant.setMaskNumbers(login.maskNumbers === undefined ? tenantSpec.maskNumbers : login.maskNumbers === true);
      const result = await simulateConfig(lc, { ...login.event, secrets: { ...login.event.secrets, ...secrets } }, config);
      const masking = login.maskNumbers ? paint('dim', '  (tenant masks numbers)') : '';
      const lines = [
        paint('bold', `[${index + 1}/${logins.length}] ${login.title}`),
        `${paint('dim', 'event')}  ${shown(login.file)}${masking}`,
        ...wrap(login.note, io.width, '').map((line) => paint('dim', line)),
        '',
        ...resultLines(result, io, failureLines),
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
  // The same runtime also delivers MFA codes through Twilio Verify: one delivery, one refusal
  // and the post-login feedback, against a local Verify stand-in.
  io.out('\n');
  await require('./phone-message-demo.js').phoneMessageDemo({ lc, out: io.out, paint });
  return EXIT_OK;
}

/** Serves playground/ on 127.0.0.1 until SIGINT or SIGTERM (Ctrl-C). */
async function playgroundCommand(args, io) {
  const given = args.values.port;
  const port = given === undefined ? 0 : Number(given);
  if (!/^\d{1,5}$/.test(given === undefined ? '0' : given) || port > 65535) {
    throw usageError(`playground: --port must be a number from 0 to 65535, not '${given}'`, 'playground');
  }
  const { startPlaygroundServer } = require('./playground-server.js');
  let server;
  try {
    server = await startPlaygroundServer({ port, host: '127.0.0.1' });
  } catch (error) {
    throw runError(`could not serve the playground on 127.0.0.1:${port}: ${error.code || error.message}`);
  }
  io.out(
    `${[
      `login-claims playground: ${io.paint('bold', server.url)}`,
      "The page runs the Action's own code in your browser; nothing you type leaves it.",
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

// ---- entry -----------------------------------------------------------------------------------

async function run(argv, { stdout = process.stdout, stderr = process.stderr, env = process.env } = {}) {
  const io = makeIo(stdout, stderr, env);
  try {
    return await main(argv, io, env);
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
  let finished = false;
  // A user's Action that awaits a promise nobody settles empties the event loop before the run
  // ends; without this, Node would exit 0 having printed nothing.
  process.once('beforeExit', () => {
    if (finished) return;
    process.stderr.write("login-claims: the run stopped before it finished: something awaited a promise that never settles (the Action's onExecutePostLogin?)\n");
    process.exitCode = 1;
  });
  run(process.argv.slice(2)).then((code) => {
    finished = true;
    process.exitCode = code;
  });
}

module.exports = { run, EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_FAILED };
