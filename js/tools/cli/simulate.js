'use strict';
// `simulate` and `validate`: one login (or one configuration) through the runtime, from a
// configuration file or from the user's own Action file.

const { randomBytes } = require('node:crypto');
const { EXIT_OK, EXIT_INVALID, usageError, runError } = require('./errors.js');
const { isPlainObject, readEvent, readTenant, readValidConfig, readJsonFile, readSecretsFile, environmentSecrets } = require('./inputs.js');
const { loadRuntime, catalogue } = require('./runtime.js');
const { loadAction, runAction } = require('./action-loader.js');
const { readExpected, compare, comparisonLines } = require('./expect.js');
const { resultLines, failureLinesFrom, validationLines, MFA_SECRETS_HINT } = require('./report.js');

// The only client the sample tenant accepts. Its secret is drawn anew for every run, so that no
// example file and no output ever holds a credential worth copying.
const SAMPLE_CLIENT_ID = 'login-claims-cli';

/** The handler options each flag sets. */
const OPTION_FLAGS = [
  { flag: 'on-error', option: 'onError', value: (text) => text },
  // Text to number is the CLI's job; whether the number is acceptable is the runtime's.
  { flag: 'timeout-ms', option: 'timeoutMs', value: Number },
  { flag: 'deadline-ms', option: 'deadlineMs', value: Number },
];

const quietLogger = { warn() {}, log() {} };
const failureLines = failureLinesFrom(catalogue);
const clone = (value) => JSON.parse(JSON.stringify(value));

/** Runs `body` with a sample tenant on 127.0.0.1 and the secrets that reach it; always closes it. */
async function withSampleTenant(io, tenantSpec, body) {
  const { startSampleTenant } = require('../sample-tenant.js');
  const clientSecret = randomBytes(18).toString('base64url');
  io.addSecrets({ MANAGEMENT_CLIENT_SECRET: clientSecret });
  let tenant;
  try {
    tenant = await startSampleTenant({
      users: tenantSpec.users,
      maskNumbers: tenantSpec.maskNumbers,
      clients: { [SAMPLE_CLIENT_ID]: clientSecret },
      host: '127.0.0.1',
    });
  } catch (error) {
    throw runError(`could not start the sample tenant on 127.0.0.1: ${error.code || error.message}`);
  }
  const secrets = { AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: SAMPLE_CLIENT_ID, MANAGEMENT_CLIENT_SECRET: clientSecret };
  try {
    return await body(tenant, secrets);
  } finally {
    await tenant.close();
  }
}

/**
 * The event with the run's secrets: the event file's own, then those given (--secrets or the
 * environment); a sample tenant's replace every Management API secret.
 */
function withSecrets(event, given, tenantSecrets) {
  if (Object.keys(given).length === 0 && !tenantSecrets) return event;
  const secrets = { ...(isPlainObject(event.secrets) ? event.secrets : {}), ...given };
  if (tenantSecrets) {
    for (const name of catalogue().managementSecrets) delete secrets[name];
    Object.assign(secrets, tenantSecrets);
  }
  return { ...event, secrets };
}

/** One login through simulatePostLogin, with the lines the Action would have logged. */
async function simulateConfig(lc, event, config, options = {}) {
  const log = [];
  const logger = { warn: (line) => log.push(String(line)), log: (line) => log.push(String(line)) };
  const result = await simulated(lc, event, config, { ...options, logger });
  return {
    idToken: result.idToken,
    accessToken: result.accessToken,
    denied: result.denied !== undefined,
    ...(result.denied !== undefined ? { denyReason: result.denied } : {}),
    trace: result.trace,
    managementApiCalls: result.managementApiCalls,
    log,
  };
}

async function simulated(lc, event, config, options) {
  try {
    return await lc.simulatePostLogin(event, config, options);
  } catch (error) {
    if (error && error.code === 'ENGINE_UNAVAILABLE') throw runError(error.message.replace(/^login-claims: /, ''));
    throw error;
  }
}

/**
 * The handler options of --on-error, --timeout-ms and --deadline-ms, checked by the runtime's own
 * option check (createPostLoginHandler): a value it refuses is a usage error.
 */
function optionOverrides(values, lc) {
  const overrides = {};
  for (const { flag, option, value } of OPTION_FLAGS) {
    if (values[flag] !== undefined) overrides[option] = value(values[flag]);
  }
  if (Object.keys(overrides).length === 0) return overrides;
  try {
    lc.createPostLoginHandler(undefined, { ...overrides, logger: quietLogger });
  } catch (error) {
    if (!error || error.code !== 'OPTIONS_INVALID') throw error;
    const named = OPTION_FLAGS.find(({ option }) => String(error.message).includes(`options.${option} `) || String(error.message).includes(`options.${option}:`));
    const flags = named ? [named] : OPTION_FLAGS.filter(({ flag }) => values[flag] !== undefined);
    const given = flags.map(({ flag }) => `--${flag} ${values[flag]}`).join(' ');
    throw usageError(`simulate: ${given}: refused by the runtime: ${error.message}`, 'simulate');
  }
  return overrides;
}

/** The claims the Action set (or left out) differently from simulatePostLogin: its own code's doing. */
function untracedClaims(traced, claims) {
  const differing = [];
  for (const token of ['idToken', 'accessToken']) {
    const names = new Set([...Object.keys(traced[token]), ...Object.keys(claims[token])]);
    for (const name of names) {
      const a = Object.prototype.hasOwnProperty.call(traced[token], name) ? JSON.stringify(traced[token][name]) : undefined;
      const b = Object.prototype.hasOwnProperty.call(claims[token], name) ? JSON.stringify(claims[token][name]) : undefined;
      if (a !== b) differing.push(`${token} ${name}`);
    }
  }
  return differing;
}

/** The options a handler gets in the CLI: the Action's own, the flags over them, the CLI's logger. */
function mergedOptions(options, overrides, logger) {
  if (options === undefined || options === null) return { ...overrides, logger };
  // Not an object: the runtime refuses it, in its own words.
  if (!isPlainObject(options)) return options;
  return { ...options, ...overrides, logger };
}

function optionsShown(options) {
  if (!isPlainObject(options)) return '';
  return Object.entries(options)
    .filter(([name]) => name !== 'logger')
    .map(([name, value]) => `${name}: ${typeof value === 'function' ? 'a function' : JSON.stringify(value)}`)
    .join(', ');
}

async function simulateCommand(values, io, env) {
  if (values.event === undefined) throw usageError('simulate: --event FILE is required', 'simulate');
  if (values.action !== undefined && values.config !== undefined) {
    throw usageError('simulate: --action and --config exclude each other: the Action file holds its own configuration', 'simulate');
  }
  const lc = loadRuntime();
  // The secrets come first, so that no later line (not even an error) can show one of them.
  const given = values.secrets !== undefined ? readSecretsFile(values.secrets) : environmentSecrets(env, catalogue().managementSecrets);
  io.addSecrets(given);
  const event = readEvent(values.event);
  if (isPlainObject(event.secrets)) io.addSecrets(event.secrets);
  const tenantSpec = values.tenant === undefined ? undefined : readTenant(values.tenant);
  const expected = values.expect === undefined ? undefined : readExpected(values.expect);
  const overrides = optionOverrides(values, lc);

  const log = [];
  const recorder = { warn: (line) => log.push(String(line)), log: (line) => log.push(String(line)) };
  let action;
  let config;
  if (values.action !== undefined) {
    action = loadAction(values.action, { log, onCreate: (create, cfg, options) => create(cfg, mergedOptions(options, overrides, recorder)) });
    config = action.config;
  } else if (values.config !== undefined) {
    config = readValidConfig(lc, values.config);
  }
  const effectiveOptions = action ? mergedOptions(action.options, overrides, quietLogger) : { ...overrides };

  const runLogin = async (secrets) => {
    const loginEvent = withSecrets(event, given, secrets);
    if (!action) return simulateConfig(lc, loginEvent, config, effectiveOptions);
    // The trace first, from a cold start: the Action's run may reuse a token this one fetched.
    const traced = await simulated(lc, clone(loginEvent), config, { ...effectiveOptions, logger: quietLogger });
    const record = await runAction(values.action, action.onExecutePostLogin, clone(loginEvent), lc.createMemoryCache(), log);
    return {
      idToken: record.claims.idToken,
      accessToken: record.claims.accessToken,
      denied: record.denied,
      ...(record.denied ? { denyReason: record.denyReason } : {}),
      trace: traced.trace,
      managementApiCalls: traced.managementApiCalls,
      log,
      notSimulated: record.notSimulated,
      untraced: untracedClaims(traced, record.claims),
    };
  };
  const result = tenantSpec ? await withSampleTenant(io, tenantSpec, (_tenant, secrets) => runLogin(secrets)) : await runLogin(undefined);
  const { notSimulated, untraced, ...printed } = result;
  const comparison = expected ? compare(expected, result) : undefined;

  if (values.json) {
    const out = comparison ? { ...printed, expect: { file: values.expect, matched: comparison.matched, differences: comparison.differences } } : printed;
    io.out(`${JSON.stringify(out, null, 2)}\n`);
    return comparison && !comparison.matched ? EXIT_INVALID : EXIT_OK;
  }
  if (comparison) {
    io.out(`${comparisonLines(values.expect, comparison, io).join('\n')}\n`);
    return comparison.matched ? EXIT_OK : EXIT_INVALID;
  }

  const paint = io.paint;
  const label = (name) => paint('dim', name) + ' '.repeat(8 - name.length);
  const lines = [`${label('event')}${values.event}`];
  if (action) lines.push(`${label('action')}${values.action} (with the configuration and options it passes to createPostLoginHandler)`);
  else lines.push(`${label('config')}${values.config === undefined ? 'none (the default: {})' : values.config}`);
  const shownOptions = optionsShown(effectiveOptions);
  if (shownOptions) lines.push(`${label('options')}${shownOptions}`);
  if (Object.keys(given).length) {
    const from = values.secrets !== undefined ? values.secrets : 'the environment';
    lines.push(`${label('secrets')}${Object.keys(given).join(', ')} (from ${from}; values not shown)`);
  }
  lines.push(`${label('tenant')}${tenantSpec ? `${values.tenant} (sample tenant on 127.0.0.1)` : "none (lookups use the event's secrets)"}`);
  lines.push('', ...resultLines(result, io, failureLines));
  if (!tenantSpec && result.trace.some((entry) => entry.reason === 'mfa_not_configured')) {
    lines.push(
      '',
      `Hint: ${MFA_SECRETS_HINT}`,
      '      Pass them with --secrets FILE or as environment variables, or let --tenant FILE',
      '      answer the lookup from a sample tenant (see examples/tenant.json).'
    );
  }
  io.out(`${lines.join('\n')}\n`);
  return EXIT_OK;
}

async function validateCommand(values, io) {
  if (values.config !== undefined && values.action !== undefined) {
    throw usageError('validate: --action and --config exclude each other: the Action file holds its own configuration', 'validate');
  }
  if (values.config === undefined && values.action === undefined) throw usageError('validate: --config FILE or --action FILE is required', 'validate');
  const lc = loadRuntime();
  if (values.config !== undefined) {
    const report = lc.validateConfig(readJsonFile(values.config, 'configuration'));
    if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else io.out(`${validationLines(values.config, report.issues, io, report.managementApi).join('\n')}\n`);
    return report.ok ? EXIT_OK : EXIT_INVALID;
  }
  // The handler is not created: an invalid configuration is what is being asked about.
  const action = loadAction(values.action, { log: [], onCreate: () => async function onExecutePostLogin() {} });
  const report = lc.validateConfig(action.config);
  let optionsError;
  try {
    lc.createPostLoginHandler(undefined, mergedOptions(action.options, {}, quietLogger));
  } catch (error) {
    if (!error || error.code !== 'OPTIONS_INVALID') throw error;
    optionsError = error.message;
  }
  const ok = report.ok && optionsError === undefined;
  if (values.json) {
    io.out(`${JSON.stringify({ ...report, ok, ...(optionsError ? { optionsError } : {}) }, null, 2)}\n`);
    return ok ? EXIT_OK : EXIT_INVALID;
  }
  const lines = validationLines(`${values.action} (the configuration it passes to createPostLoginHandler)`, report.issues, io, report.managementApi);
  if (optionsError) lines.push('', `${io.paint('red', 'OPTIONS_INVALID')}: the runtime refuses the options it passes: ${optionsError}`);
  io.out(`${lines.join('\n')}\n`);
  return ok ? EXIT_OK : EXIT_INVALID;
}

module.exports = { simulateCommand, validateCommand, simulateConfig, withSampleTenant, failureLines };
