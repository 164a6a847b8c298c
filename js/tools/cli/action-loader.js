'use strict';
// Loads a user's Action file (CommonJS, as Auth0 runs it) and runs its own onExecutePostLogin.
//
// While the file loads, `require('login-claims')` and its subpaths resolve to the CLI's own
// runtime (a hook on Module._resolveFilename, for those requests only, removed once the file has
// loaded), so the Action needs no node_modules of its own and runs the engine the CLI reports
// on. The runtime it gets is a copy of the real exports whose createPostLoginHandler records the
// configuration and options it is called with; what it returns is the caller's to decide
// (`onCreate`). The console is captured for the load and for the login, so that what the Action
// prints becomes part of the report instead of corrupting it.

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const util = require('node:util');
const { inputError } = require('./errors.js');
const { issueLines } = require('./report.js');
const { count, PLAIN_IO } = require('./io.js');

const RUNTIME = 'login-claims';
const isRuntimeRequest = (request) => typeof request === 'string' && (request === RUNTIME || request.startsWith(`${RUNTIME}/`));

// Auth0 gives all Actions of a login 20 seconds together.
const ACTION_TIME_LIMIT_MS = 20000;

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

/** Sends console output into `lines` until the returned function restores it. */
function captureConsole(lines) {
  const saved = {};
  for (const method of CONSOLE_METHODS) {
    saved[method] = console[method];
    console[method] = (...args) => lines.push(util.format(...args));
  }
  return () => Object.assign(console, saved);
}

/** Runs `body` with console output going into `lines`; restores the console whatever happens. */
async function withConsole(lines, body) {
  const restore = captureConsole(lines);
  try {
    return await body();
  } finally {
    restore();
  }
}

function withConsoleSync(lines, body) {
  const restore = captureConsole(lines);
  try {
    return body();
  } finally {
    restore();
  }
}

/**
 * Loads the Action file.
 * @param {string} file as the user named it
 * @param {object} hooks
 * @param {(create: Function, config: unknown, options: unknown) => Function} hooks.onCreate makes what
 *   the Action's createPostLoginHandler call returns, given the real factory
 * @param {string[]} hooks.log receives the lines the Action prints while it loads
 * @returns {{config: unknown, options: unknown, onExecutePostLogin: Function}}
 * @throws {CliError} exit 1 when the file cannot load, or does not create exactly one handler
 *   or export onExecutePostLogin
 */
function loadAction(file, { onCreate, log }) {
  const full = path.resolve(file);
  let stat;
  try {
    stat = fs.statSync(full);
  } catch (error) {
    throw inputError(`cannot read the Action file ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.code || error.message}`);
  }
  if (!stat.isFile()) throw inputError(`cannot read the Action file ${file}: it is a directory`);
  const calls = [];
  const proxies = [];
  const originalResolve = Module._resolveFilename;

  // A module object in require.cache under a key that is no file, holding the runtime's exports
  // with createPostLoginHandler wrapped; `real` is the runtime entry's own file name.
  const proxyFor = (real) => {
    const exports = require(real);
    if (!exports || typeof exports.createPostLoginHandler !== 'function') return real;
    const key = `${real}\u0000login-claims-cli-action`;
    const create = exports.createPostLoginHandler;
    const proxy = new Module(key, module);
    proxy.filename = key;
    proxy.loaded = true;
    proxy.exports = {
      ...exports,
      createPostLoginHandler(config, options) {
        calls.push({ config, options });
        return onCreate(create, config, options);
      },
    };
    require.cache[key] = proxy;
    proxies.push(key);
    return key;
  };

  Module._resolveFilename = function resolveForAction(request, parent, isMain, options) {
    // The runtime as the CLI itself resolves it, from the CLI's own place.
    if (isRuntimeRequest(request)) return proxyFor(originalResolve.call(this, request, module, false));
    return originalResolve.call(this, request, parent, isMain, options);
  };
  let exported;
  try {
    exported = withConsoleSync(log, () => require(full));
  } catch (error) {
    throw loadFailure(file, full, error);
  } finally {
    Module._resolveFilename = originalResolve;
    for (const key of proxies) delete require.cache[key];
  }

  if (calls.length === 0) {
    throw inputError(
      `${file} never calls createPostLoginHandler from login-claims while it loads, so there is no configuration to simulate`,
      ["Create the handler at the top level of the file: exports.onExecutePostLogin = createPostLoginHandler(config, options);"]
    );
  }
  if (calls.length > 1) {
    throw inputError(
      `${file} calls createPostLoginHandler ${calls.length} times while it loads; the CLI needs exactly one, to know which configuration the Action uses`,
      ['Create one handler per Action file, at the top level.']
    );
  }
  const exportsObject = (exported !== null && typeof exported === 'object') || typeof exported === 'function';
  const onExecutePostLogin = exportsObject ? exported.onExecutePostLogin : undefined;
  if (typeof onExecutePostLogin !== 'function') {
    throw inputError(`${file} exports no onExecutePostLogin function; Auth0 calls exports.onExecutePostLogin(event, api) for each login`);
  }
  return { config: calls[0].config, options: calls[0].options, onExecutePostLogin };
}

/** What went wrong while the file loaded, with where in the file when the stack says. */
function loadFailure(file, full, error) {
  if (error && error.code === 'CONFIG_INVALID' && Array.isArray(error.issues)) {
    const errors = error.issues.filter((issue) => issue.severity !== 'warning').length || error.issues.length;
    return inputError(
      `${file}: createPostLoginHandler threw CONFIG_INVALID while the Action loaded (as it would in Auth0, failing every login): the configuration has ${count(errors, 'problem')}`,
      issueLines(error.issues, PLAIN_IO)
    );
  }
  const where = locationIn(error, full);
  const at = where ? ` at ${path.relative(process.cwd(), full) || file}:${where}` : '';
  if (error && error.code === 'OPTIONS_INVALID') {
    return inputError(`${file}: createPostLoginHandler threw OPTIONS_INVALID while the Action loaded${at}: ${error.message}`);
  }
  if (error && error.code === 'MODULE_NOT_FOUND') {
    // The file itself exists (loadAction checked): one of its own requires failed.
    const missing = /Cannot find module '([^']+)'/.exec(String(error.message));
    return inputError(`${file} requires ${missing ? `'${missing[1]}'` : 'a module'}, which cannot be found from ${path.dirname(file)}; install the Action's other dependencies (npm install)`);
  }
  const name = error && error.name ? error.name : 'Error';
  const message = error && error.message !== undefined ? error.message : String(error);
  return inputError(`cannot load the Action file ${file}${at}: ${name}: ${message}`);
}

/** "LINE:COLUMN" (or "LINE") of the first place in `full` that the error's stack names. */
function locationIn(error, full) {
  const stack = error && typeof error.stack === 'string' ? error.stack : '';
  const escaped = full.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(stack);
  if (!match) return undefined;
  return match[2] ? `${match[1]}:${match[2]}` : match[1];
}

/**
 * An Auth0 post-login `api` that records what the Action does: the claims it sets, whether it
 * denies, and the names of the other api methods it calls (not simulated).
 */
function recordingApi(cache) {
  const claims = { idToken: {}, accessToken: {} };
  const record = { claims, denied: false, denyReason: undefined, notSimulated: [] };
  const setter = (token) => (name, value) => {
    // defineProperty keeps a claim named __proto__ as data.
    Object.defineProperty(claims[token], name, { value, enumerable: true, writable: true, configurable: true });
  };
  const known = {
    idToken: { setCustomClaim: setter('idToken') },
    accessToken: { setCustomClaim: setter('accessToken') },
    access: {
      deny(reason) {
        if (!record.denied) record.denyReason = String(reason);
        record.denied = true;
      },
    },
    cache,
  };
  const other = (namespace, method) => {
    const name = `api.${namespace}.${method}`;
    if (!record.notSimulated.includes(name)) record.notSimulated.push(name);
  };
  const namespaceProxy = (namespace, target) =>
    new Proxy(target, {
      get(object, property) {
        if (typeof property !== 'string' || property === 'then') return object[property];
        if (property in object) return object[property];
        return () => other(namespace, property);
      },
    });
  const api = new Proxy(
    {},
    {
      get(_object, property) {
        if (typeof property !== 'string' || property === 'then') return undefined;
        if (property === 'cache') return cache;
        return namespaceProxy(property, known[property] || {});
      },
    }
  );
  return { api, record };
}

/**
 * Runs the Action's own onExecutePostLogin on `event`, with the console captured into `log`.
 * @throws {CliError} exit 1 when it throws, rejects or takes longer than Auth0 allows
 */
async function runAction(file, onExecutePostLogin, event, cache, log) {
  const { api, record } = recordingApi(cache);
  let timer;
  const limit = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeLimit()), ACTION_TIME_LIMIT_MS);
  });
  try {
    await withConsole(log, () => Promise.race([Promise.resolve().then(() => onExecutePostLogin(event, api)), limit]));
  } catch (error) {
    if (error instanceof TimeLimit) {
      throw inputError(`${file}: onExecutePostLogin did not finish within ${ACTION_TIME_LIMIT_MS / 1000} s, the time Auth0 gives all Actions of a login`);
    }
    const where = locationIn(error, path.resolve(file));
    const name = error && error.name ? error.name : 'Error';
    const message = error && error.message !== undefined ? error.message : String(error);
    const at = where ? ` at ${path.relative(process.cwd(), path.resolve(file)) || file}:${where}` : '';
    throw inputError(`${file}: onExecutePostLogin threw${at}: ${name}: ${message}`, ['Auth0 fails the login when an Action throws.']);
  } finally {
    clearTimeout(timer);
  }
  return record;
}

class TimeLimit extends Error {}

module.exports = { loadAction, runAction, recordingApi, ACTION_TIME_LIMIT_MS };
