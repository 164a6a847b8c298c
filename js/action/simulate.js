'use strict';
// The part of the public API that tools use and an Action never calls: simulatePostLogin (one
// login through the handler's own path, with an in-memory api), validateConfig and an in-memory
// api.cache. Loaded on first use, so an Action does not parse it.

const { ENGINE_UNAVAILABLE_MESSAGE } = require('./core.js');

// UTF-8 length without Buffer, so that the same code runs in a browser (the playground).
const utf8 = new TextEncoder();
const utf8Length = (text) => utf8.encode(text).length;

/** An in-memory stand-in for Auth0's api.cache, with its documented limits. */
function createMemoryCache(limits = {}) {
  const maxEntries = limits.maxEntries ?? 20;
  const entries = new Map();
  const now = () => Date.now();
  const live = (key) => {
    const entry = entries.get(key);
    if (entry && entry.expires_at <= now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    get(key) {
      const entry = live(key);
      return entry ? { value: entry.value, expires_at: entry.expires_at } : undefined;
    },
    set(key, value, options = {}) {
      if (typeof key !== 'string' || utf8Length(key) > 64) return { type: 'error', code: 'INVALID_KEY' };
      if (typeof value !== 'string' || utf8Length(value) > 4096) return { type: 'error', code: 'INVALID_VALUE' };
      for (const k of entries.keys()) live(k);
      if (!entries.has(key) && entries.size >= maxEntries) return { type: 'error', code: 'CACHE_FULL' };
      const ttl = options.ttl ?? 15 * 60 * 1000;
      const expiresAt = options.expires_at ?? now() + Math.min(ttl, 24 * 3600 * 1000);
      entries.set(key, { value, expires_at: expiresAt });
      return { type: 'success' };
    },
    delete(key) {
      entries.delete(key);
      return { type: 'success' };
    },
  };
}

/** The same claims, listed by name (the order a reader scans a table in). */
function byName(claims) {
  const sorted = {};
  for (const name of Object.keys(claims).sort()) {
    Object.defineProperty(sorted, name, { value: claims[name], enumerable: true, writable: true, configurable: true });
  }
  return sorted;
}

/** simulatePostLogin and validateConfig over the handler internals of createApi (core.js). */
function createToolApi({ prepare, runLogin, loadEngine, logWarnings, configJson }) {
  /**
   * Checks a configuration; never throws.
   * @returns {{ok: boolean, issues: object[], managementApi?: boolean}}
   */
  function validateConfig(config) {
    let json;
    try {
      json = configJson(config);
    } catch (error) {
      const message = `the configuration is not JSON data: ${error.message}`;
      return { ok: false, issues: [{ code: 'not_an_object', at: '(root)', message, fix: 'pass a plain object of strings, booleans, arrays and objects' }] };
    }
    try {
      return JSON.parse(loadEngine().validateConfig(json));
    } catch (error) {
      const missing = error && error.code === 'ENGINE_UNAVAILABLE';
      const message = missing ? ENGINE_UNAVAILABLE_MESSAGE : `the engine failed to load: ${error && error.message}`;
      const fix = missing ? 'run the Action on a runtime with WebAssembly (Node 18 or 22 as Auth0 starts them)' : 'reinstall the package';
      return { ok: false, issues: [{ code: 'engine_unavailable', severity: 'error', at: '(root)', message, fix }] };
    }
  }

  /**
   * Runs one login through the same path as the handler, with an in-memory `api`.
   * Resolves to { idToken, accessToken, trace, managementApiCalls, denied }; the lines the Action
   * would log go to options.logger. Rejects with ENGINE_UNAVAILABLE without WebAssembly.
   */
  async function simulatePostLogin(event, config, options) {
    const { cache, ...rest } = options || {};
    const state = prepare(config, options === undefined ? undefined : rest);
    logWarnings(state);
    const claims = { idToken: {}, accessToken: {} };
    const record = (token) => ({
      setCustomClaim(name, value) {
        // defineProperty keeps a claim named __proto__ as data.
        Object.defineProperty(claims[token], name, { value, enumerable: true, writable: true, configurable: true });
      },
    });
    const api = { idToken: record('idToken'), accessToken: record('accessToken'), access: { deny() {} }, cache: cache || createMemoryCache() };
    const { trace, managementApiCalls, denied } = await runLogin(state, event, api, true);
    return { idToken: byName(claims.idToken), accessToken: byName(claims.accessToken), trace, managementApiCalls, denied };
  }

  return { simulatePostLogin, validateConfig };
}

module.exports = { createMemoryCache, createToolApi };
