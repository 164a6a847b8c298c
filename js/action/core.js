'use strict';
// The Action shim: it does the I/O of a login (reading the event, performing the steps of the
// Management API lookup, setting claims) and leaves every decision to the Rust core: which
// claims, which requests, what to log and whether to deny. It is written once against an engine
// loader, so that the post-login entry (index.js) and the phone-message entry
// (js/phone-message/index.js), each inlining only its own wasm, share every line of it.

// What a denied user sees; deliberately generic, the log line has the cause.
const DENY_REASON = 'Login could not be completed. Please try again later.';

const BOXED = new Set(['[object Boolean]', '[object Number]', '[object String]', '[object BigInt]', '[object Symbol]']);

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/** Builds an Error with a stable `code` (and optional extra properties). */
function codedError(code, message, extra) {
  const error = new Error(message);
  error.code = code;
  if (extra) Object.assign(error, extra);
  return error;
}

/**
 * JSON text of a configuration. Functions and symbols are refused rather than silently dropped
 * by JSON.stringify, so a malformed option never turns into a default without a word.
 */
function configJson(config) {
  if (config === undefined) return '';
  return JSON.stringify(config, (key, value) => {
    const type = typeof value;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
      throw new TypeError(`${key ? `\`${key}\`` : 'the configuration'} is a ${type}, not JSON data`);
    }
    return value;
  });
}

/**
 * The options only JavaScript can check: `fetch` and `now` are functions, `logger` an object.
 * Every other option is checked by the core when the handler is created.
 * @returns {{fetch: typeof fetch, now: () => number, logger: object|undefined}}
 */
function ioOptions(options) {
  const given = options !== null && typeof options === 'object' ? options : {};
  for (const key of ['fetch', 'now']) {
    if (given[key] !== undefined && typeof given[key] !== 'function') {
      throw codedError('OPTIONS_INVALID', `options.${key} must be a function`);
    }
  }
  if (given.logger !== undefined && (given.logger === null || typeof given.logger !== 'object')) {
    throw codedError('OPTIONS_INVALID', 'options.logger must be an object with warn()/log()');
  }
  return { fetch: given.fetch || globalThis.fetch, now: given.now || Date.now, logger: given.logger };
}

/**
 * One line of slot text for a path: '' (no value), '!unreadable', '!unsupported' or JSON.
 * Own properties only, so a path can never reach a prototype.
 */
function readSlot(root, segments) {
  let value = root;
  try {
    for (let i = 0; i < segments.length; i++) {
      if (value === null || typeof value !== 'object') return '';
      const segment = segments[i];
      if (!hasOwn(value, segment)) return '';
      value = value[segment];
    }
  } catch {
    return '!unreadable';
  }
  if (value === undefined || value === null) return '';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'function':
    case 'symbol':
    case 'bigint':
      return '!unsupported';
    default:
      try {
        // A boxed primitive (new Boolean(true)) would pass as its value through JSON.stringify,
        // and `phone_verified === true` must not be satisfied by an object.
        if (typeof value === 'object' && BOXED.has(Object.prototype.toString.call(value))) return '!unsupported';
        const json = JSON.stringify(value);
        return json === undefined ? '!unsupported' : json;
      } catch {
        return '!unsupported';
      }
  }
}

function readSlots(event, paths) {
  let text = '';
  for (let i = 0; i < paths.length; i++) {
    if (i > 0) text += '\n';
    text += readSlot(event, paths[i]);
  }
  return text;
}

/** One line to the logger, through warn() (or log() for `level` 'log'), else the other. Never throws. */
function logLine(logger, line, level = 'warn') {
  try {
    const sink = logger || console;
    const preferred = level === 'log' ? sink.log : sink.warn;
    const write = typeof preferred === 'function' ? preferred : level === 'log' ? sink.warn : sink.log;
    if (typeof write === 'function') write.call(sink, `login-claims: ${line}`);
  } catch {
    // A logger that throws must not break the login.
  }
}

// The two wasm modules: the post-login engine, and the same core with the phone-message
// (Twilio Verify) code, which a claims-only Action never loads.
const GLUE = {
  login_claims: () => require('../../pkg/login_claims_glue.cjs'),
  login_claims_phone: () => require('../../pkg/login_claims_phone_glue.cjs'),
};

// Nobody has published whether Auth0's Action sandbox always offers WebAssembly (Node started
// with --jitless does not). Without it nothing can be decided, and that is a defined state.
const ENGINE_UNAVAILABLE_MESSAGE =
  'WebAssembly is not available in this runtime (for example Node started with --jitless), so login-claims cannot decide any claim';

function engineUnavailableError() {
  return codedError('ENGINE_UNAVAILABLE', `login-claims: ${ENGINE_UNAVAILABLE_MESSAGE}`);
}

/**
 * The public API over engines whose wasm bytes come from `loadWasmBytes(moduleName)`. Each
 * module is compiled and instantiated synchronously on first use, once per process.
 */
function createApi(loadWasmBytes) {
  const engines = {};
  function engineLoader(name) {
    return () => {
      if (typeof WebAssembly !== 'object' || WebAssembly === null) throw engineUnavailableError();
      if (engines[name] === undefined) {
        const glue = GLUE[name]();
        glue.initSync({ module: new WebAssembly.Module(loadWasmBytes(name)) });
        engines[name] = glue;
      }
      return engines[name];
    };
  }
  const loadEngine = engineLoader('login_claims');

  function compile(config, options) {
    let json;
    try {
      json = configJson(config);
    } catch (error) {
      const issue = { code: 'not_an_object', at: '(root)', message: `the configuration is not JSON data: ${error.message}`, fix: 'pass a plain object of strings, booleans, arrays and objects' };
      throw codedError('CONFIG_INVALID', `invalid login-claims configuration: ${issue.message}`, { issues: [issue] });
    }
    const engine = loadEngine();
    const compiled = new engine.CompiledConfig(json, options);
    return { compiled, paths: JSON.parse(compiled.pathsJson()), warnings: JSON.parse(compiled.warningLines()) };
  }

  /** Sets each claim through the Auth0 api; a throwing api method costs only its claim. */
  function applyClaims(decision, api, logger) {
    for (const [tokenKey, claims] of [['idToken', decision.idToken], ['accessToken', decision.accessToken]]) {
      for (const name of Object.keys(claims)) {
        try {
          api[tokenKey].setCustomClaim(name, claims[name]);
        } catch (error) {
          decision.trace.push({ token: tokenKey, claim: name, outcome: 'skipped', reason: 'api_error', detail: 'api.setCustomClaim threw' });
          logLine(logger, `${tokenKey}.setCustomClaim failed for one claim (${error && error.name})`);
        }
      }
    }
  }

  /**
   * The whole of one login. Never throws: faults become trace entries and a `failed` flag.
   * `explain` asks the engine for the trace; the Action does not read it, so it skips that work.
   */
  async function runLogin(state, event, api, explain) {
    const { compiled, paths, io } = state;
    const result = { trace: [], managementApiCalls: 0, denied: undefined };
    let decision;
    let denied = false;
    try {
      const planned = compiled.plan(readSlots(event, paths), explain, io.now());
      let text = planned;
      if (typeof planned !== 'string') {
        // A login that reads the Management API: the transport is loaded the first time one does.
        const { drive } = require('./transport.js');
        try {
          await drive(planned, { fetch: io.fetch, now: io.now, secrets: safeGet(event, 'secrets'), cache: safeGet(api, 'cache') });
          text = planned.decision();
        } finally {
          result.managementApiCalls = planned.requests();
          planned.free();
        }
      }
      decision = JSON.parse(text);
      if (decision.log) logLine(io.logger, decision.log);
      denied = decision.deny === true;
    } catch (error) {
      // Only a bug or a broken runtime gets here: the engine does not throw on event data.
      decision = undefined;
      denied = compiled.denyOnFault;
      result.trace.push({ token: 'idToken', claim: '*', outcome: 'skipped', reason: 'internal_error', detail: String(error && error.message).slice(0, 200) });
      logLine(io.logger, `could not decide claims (${error && error.code ? error.code : 'internal error'})`);
    }
    if (decision) {
      applyClaims(decision, api, io.logger);
      result.trace = decision.trace;
    }
    if (denied && deny(api, io.logger)) result.denied = DENY_REASON;
    return result;
  }

  function prepare(config, options) {
    const io = ioOptions(options);
    const { compiled, paths, warnings } = compile(config, options);
    return { compiled, paths, warnings, io };
  }

  /**
   * The post-login handler: `exports.onExecutePostLogin = createPostLoginHandler(config, options)`.
   * Throws CONFIG_INVALID (with `issues`) or OPTIONS_INVALID at creation, never during a login
   * with onError 'continue'. Configuration warnings are logged once, here.
   *
   * Without WebAssembly (ENGINE_UNAVAILABLE) it still returns a handler: each login goes on
   * without login-claims' claims (onError 'continue'; the cause is logged once) or is denied
   * with the generic reason (onError 'deny').
   */
  function createPostLoginHandler(config, options) {
    let state;
    try {
      state = prepare(config, options);
    } catch (error) {
      if (!error || error.code !== 'ENGINE_UNAVAILABLE') throw error;
      // Without the engine no option can be checked; only the failure policy is read.
      return unavailableHandler(ioOptions(options).logger, options !== null && typeof options === 'object' && options.onError === 'deny');
    }
    logWarnings(state);
    return async function onExecutePostLogin(event, api) {
      await runLogin(state, event, api, false);
    };
  }

  function unavailableHandler(logger, denies) {
    let logged = false;
    return async function onExecutePostLogin(event, api) {
      if (!logged) {
        logged = true;
        logLine(logger, `ENGINE_UNAVAILABLE: ${ENGINE_UNAVAILABLE_MESSAGE}; logins ${denies ? 'are denied' : 'go on without its claims'}. Logged once per Action instance.`);
      }
      if (denies) deny(api, logger);
    };
  }

  // Loaded on first use: the phone-message handlers (Twilio Verify), which a claims-only Action
  // never parses, and the tools' part (simulatePostLogin, validateConfig), which no Action calls.
  const lazy = (load) => {
    let value;
    return () => (value === undefined ? (value = load()) : value);
  };
  const phoneMessageApi = lazy(() =>
    carriesPhoneModule()
      ? require('./phone-message.js').createPhoneMessageApi(engineLoader('login_claims_phone'), ioOptions)
      : requirePhonePackage(),
  );
  const toolApi = lazy(() => require('./simulate.js').createToolApi({ prepare, runLogin, loadEngine, logWarnings, configJson }));
  return {
    createPostLoginHandler,
    simulatePostLogin: (event, config, options) => toolApi().simulatePostLogin(event, config, options),
    validateConfig: (config) => toolApi().validateConfig(config),
    createSendPhoneMessageHandler: (options) => phoneMessageApi().createSendPhoneMessageHandler(options),
    createCustomPhoneProviderHandler: (options) => phoneMessageApi().createCustomPhoneProviderHandler(options),
    createVerifyFeedbackHandler: (options) => phoneMessageApi().createVerifyFeedbackHandler(options),
  };
}

/**
 * Whether this copy holds the phone-message module: the repository and login-claims-phone-message
 * do; the published login-claims, which a post-login Action installs, leaves it out (it would
 * double the download of every post-login Action).
 */
function carriesPhoneModule() {
  try {
    require.resolve('./phone-message.js');
    require.resolve('../../pkg/login_claims_phone_glue.cjs');
    return true;
  } catch {
    return false;
  }
}

/** The phone-message handlers of the sibling package, or an error that says how to get them. */
function requirePhonePackage() {
  try {
    return require('login-claims-phone-message');
  } catch (error) {
    if (!error || error.code !== 'MODULE_NOT_FOUND') throw error;
    throw codedError(
      'PHONE_MESSAGE_PACKAGE_MISSING',
      'login-claims: the phone-message handlers are in the package login-claims-phone-message: add it to the Action\'s dependencies and require it instead of login-claims',
    );
  }
}

/** Denies the login with the generic reason; true when api.access.deny did not throw. */
function deny(api, logger) {
  try {
    api.access.deny(DENY_REASON);
    return true;
  } catch (error) {
    logLine(logger, `api.access.deny threw (${error && error.name})`);
    return false;
  }
}

/** The configuration's warnings, one line each, once per compiled configuration. */
function logWarnings(state) {
  for (const line of state.warnings) logLine(state.io.logger, line);
}

function safeGet(object, key) {
  try {
    return object !== null && typeof object === 'object' ? object[key] : undefined;
  } catch {
    return undefined;
  }
}

/** An in-memory stand-in for Auth0's api.cache (js/action/simulate.js), loaded on first use. */
const createMemoryCache = (limits) => require('./simulate.js').createMemoryCache(limits);

module.exports = { createApi, createMemoryCache, readSlot, codedError, logLine, safeGet, DENY_REASON, ENGINE_UNAVAILABLE_MESSAGE };
