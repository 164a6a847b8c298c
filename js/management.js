'use strict';
// Management API client for the post-login Action: reads a user's authentication methods (or
// Guardian enrollments) so the Action can find a phone number that is not on event.user.
// A login must never fail or stall because of this lookup, so lookup() never throws: every
// problem becomes one reason code of MANAGEMENT_FAILURES, every request is bounded by a per-request
// timeout and by the login's deadline, and tokens are cached so most logins make one request.
// It runs inside Auth0 Actions: only the caller's fetch is used (no node:http), nothing is logged,
// and no detail ever carries a token, a client secret or a phone number.

const { MAX_TIMER_MS, fitsBeforeDeadline, sleep, retryDelayMs, errorCode, isLoopback, readCappedBytes, exchange } = require('./http.js');

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_PAGES = 20;
const PER_PAGE = 50;
const MAX_RATE_LIMIT_RETRIES = 2;
const MAX_SERVER_RETRIES = 2;
const SERVER_BACKOFF_MS = [100, 300];
// Without retry-after / x-ratelimit-reset we cannot know when the bucket refills, so one short
// guess only: a second blind retry would mostly burn the same bucket again.
const BLIND_RATE_LIMIT_BACKOFF_MS = 250;
// api.cache allows at most 24 h (platform-facts.md).
const MAX_CACHE_LIFETIME_MS = 24 * 60 * 60 * 1000;
const MAX_CACHE_VALUE_BYTES = 4000;
const TOKEN_CACHE_PREFIX = 'lc:mgmt-token:';
// Visible ASCII only: anything else would make fetch throw on the Authorization header, or
// could smuggle a second header line.
const HEADER_SAFE_TOKEN = /^[\x21-\x7e]+$/;

const ENDPOINT_SCOPES = Object.freeze({
  'authentication-methods': 'read:authentication_methods',
  enrollments: 'read:users',
});

/**
 * Every reason code lookup() can resolve with, each with a one-line explanation.
 * @type {Readonly<Record<string, string>>}
 */
const MANAGEMENT_FAILURES = Object.freeze({
  mgmt_not_configured:
    'AUTH0_DOMAIN is missing, or neither MANAGEMENT_CLIENT_ID + MANAGEMENT_CLIENT_SECRET nor MANAGEMENT_API_TOKEN is set.',
  mgmt_domain_refused:
    'AUTH0_DOMAIN (or AUTH0_TENANT_DOMAIN) is not a host name or an absolute https URL (plain http only for loopback); nothing was sent.',
  mgmt_token_failed:
    'The client-credentials token request failed (non-2xx status or an unusable body) after its retries.',
  mgmt_unauthorized:
    'The Management API answered 401 even after one fresh token, or to a static token that cannot be renewed.',
  mgmt_forbidden:
    'The Management API answered 403: the token lacks the scope named in the detail.',
  mgmt_user_not_found: 'The Management API answered 404: it has no such user.',
  mgmt_rate_limited:
    'The Management API answered 429 and waiting as told would pass the deadline, or the retries ran out.',
  mgmt_server_error: 'The Management API answered 5xx, also after the bounded retries.',
  mgmt_timeout: 'A request took longer than its timeout, or the login deadline passed.',
  mgmt_network: 'The connection failed: refused, reset, DNS error, or the body read was cut off.',
  mgmt_bad_response:
    'The answer was not usable: not JSON, not application/json, wrong shape, unexpected status, or endless pagination.',
  mgmt_response_too_large: 'A response body was larger than 1 MiB; reading stopped at the cap.',
});

/** Internal carrier of a reason code; never leaves this module (lookup() turns it into a value). */
class ManagementFailure {
  constructor(reason, detail) {
    this.reason = reason;
    this.detail = detail;
  }
}

function fail(reason, detail) {
  return new ManagementFailure(reason, detail);
}

// Module memory lives as long as the Action instance, so consecutive logins reuse one token
// without touching api.cache. Keyed by origin + client id: two tenants or two M2M apps never mix.
const memoryTokens = new Map();
const inflightTokens = new Map();

/**
 * For tests and the playground: forgets every token held in module memory and any in-flight
 * token request, as if the Action instance had just started (the playground shows every case as
 * the first login of a fresh instance). Never call it from the Action.
 * @returns {void}
 */
function _resetForTests() {
  memoryTokens.clear();
  inflightTokens.clear();
}

/**
 * Creates a Management API client for one login.
 * @param {object} options
 * @param {Record<string, string|undefined>} [options.secrets] event.secrets: AUTH0_DOMAIN and
 *   MANAGEMENT_CLIENT_ID + MANAGEMENT_CLIENT_SECRET (preferred) or MANAGEMENT_API_TOKEN.
 * @param {typeof fetch} options.fetch used for every request.
 * @param {number} options.timeoutMs per request, in ms (> 0).
 * @param {number} options.deadline epoch ms by which all network work of this login must end.
 * @param {object} [options.cache] Auth0 api.cache; every failure of it counts as "no cache".
 * @param {() => number} [options.now] clock in epoch ms, for tests (default Date.now).
 * @returns {{lookup: (userId: string, endpoint: 'authentication-methods'|'enrollments') =>
 *   Promise<{ok: true, methods: object[], requests: number} |
 *           {ok: false, reason: string, detail: string, requests: number}>}}
 * @throws {TypeError} (code ERR_INVALID_ARG_VALUE) when fetch, timeoutMs, deadline or now is
 *   malformed: those are the caller's bugs, not the tenant's state.
 */
function createManagementClient(options) {
  const { secrets, fetch: fetchFn, timeoutMs, deadline, cache, now = Date.now } = options || {};
  if (typeof fetchFn !== 'function') throw invalidOption('fetch must be a function');
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw invalidOption('timeoutMs must be a positive number of milliseconds');
  }
  if (typeof deadline !== 'number' || !Number.isFinite(deadline)) {
    throw invalidOption('deadline must be a finite epoch time in milliseconds');
  }
  if (typeof now !== 'function') throw invalidOption('now must be a function returning epoch ms');

  // Resolved once: a misconfiguration is a property of the secrets, not of one lookup.
  let config;
  try {
    config = resolveConfig(secrets);
  } catch (error) {
    config = error instanceof ManagementFailure ? error : fail('mgmt_not_configured', 'the secrets could not be read');
  }

  const ctx = { fetch: fetchFn, timeoutMs, deadline, cache, now, counter: null };

  return {
    /**
     * Reads all authentication methods (pages merged) or the enrollments of one user.
     * Never throws and never rejects.
     * @param {string} userId event.user.user_id
     * @param {'authentication-methods'|'enrollments'} endpoint
     */
    async lookup(userId, endpoint) {
      const lookupCtx = { ...ctx, counter: { requests: 0 } };
      try {
        if (config instanceof ManagementFailure) throw config;
        const methods = await runLookup(lookupCtx, config, userId, endpoint);
        return { ok: true, methods, requests: lookupCtx.counter.requests };
      } catch (error) {
        // Only our own failures carry a vetted detail; anything else may quote response bytes
        // (JSON.parse messages do), so it gets a fixed sentence.
        const failure =
          error instanceof ManagementFailure
            ? error
            : fail('mgmt_bad_response', 'an unexpected error occurred while handling the Management API answer');
        return { ok: false, reason: failure.reason, detail: failure.detail, requests: lookupCtx.counter.requests };
      }
    },
  };
}

function invalidOption(message) {
  const error = new TypeError(`createManagementClient: ${message}`);
  error.code = 'ERR_INVALID_ARG_VALUE';
  return error;
}

function secretString(secrets, name) {
  const value = secrets[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function resolveConfig(secrets) {
  const source = secrets && typeof secrets === 'object' ? secrets : {};
  const domain = secretString(source, 'AUTH0_DOMAIN');
  if (!domain) throw fail('mgmt_not_configured', 'the AUTH0_DOMAIN secret is not set');
  const site = parseDomain(domain, 'AUTH0_DOMAIN');
  // With a custom domain, requests go to AUTH0_DOMAIN but the token's audience must name the
  // canonical tenant domain (Auth0 docs: configure features to use custom domains).
  const tenantDomain = secretString(source, 'AUTH0_TENANT_DOMAIN');
  if (tenantDomain) site.audience = parseDomain(tenantDomain, 'AUTH0_TENANT_DOMAIN').audience;

  const clientId = secretString(source, 'MANAGEMENT_CLIENT_ID');
  const clientSecret = secretString(source, 'MANAGEMENT_CLIENT_SECRET');
  if (clientId && clientSecret) return { site, credentials: { clientId, clientSecret } };

  const staticToken = secretString(source, 'MANAGEMENT_API_TOKEN');
  if (staticToken) {
    if (!HEADER_SAFE_TOKEN.test(staticToken)) {
      throw fail('mgmt_not_configured', 'MANAGEMENT_API_TOKEN contains characters that cannot go in an HTTP header');
    }
    return { site, staticToken };
  }
  if (clientId || clientSecret) {
    const missing = clientId ? 'MANAGEMENT_CLIENT_SECRET' : 'MANAGEMENT_CLIENT_ID';
    throw fail('mgmt_not_configured', `${missing} is not set (client credentials need both secrets)`);
  }
  throw fail(
    'mgmt_not_configured',
    'set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (or MANAGEMENT_API_TOKEN) to read the Management API'
  );
}

const domainHint = (name) =>
  `${name} must be a host name such as tenant.eu.auth0.com or an origin such as https://login.example.com`;

function parseDomain(raw, name) {
  const hint = domainHint(name);
  // URL() silently drops tabs and newlines inside a URL; a secret holding them is a mistake.
  if (/[\u0000-\u0020\u007f]/.test(raw)) throw fail('mgmt_domain_refused', `${hint} (it contains whitespace)`);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  if (!hasScheme && /[/?#@\\]/.test(raw)) throw fail('mgmt_domain_refused', hint);
  let url;
  try {
    url = new URL(hasScheme ? raw : `https://${raw}`);
  } catch {
    throw fail('mgmt_domain_refused', hint);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw fail('mgmt_domain_refused', `${name} must use https (http only for a loopback test server)`);
  }
  if (url.username || url.password) throw fail('mgmt_domain_refused', `${name} must not contain credentials`);
  // URL() drops an empty "?" or "#", so look at the raw text too.
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(raw)) {
    throw fail('mgmt_domain_refused', `${name} must not contain a path, query or fragment`);
  }
  const host = url.hostname;
  if (!isIpLiteral(host) && !isDnsName(host)) throw fail('mgmt_domain_refused', hint);
  if (url.protocol === 'http:' && !isLoopback(host)) {
    // Refused before any request: the client secret and the token would travel in clear text.
    throw fail('mgmt_domain_refused', `${name} uses plain http to a host that is not loopback; use https`);
  }
  // url.origin drops a default port, so "https://x:443" and "x" share one token cache entry.
  return { origin: url.origin, audience: `${url.origin}/api/v2/` };
}

function isIpLiteral(host) {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || (host.startsWith('[') && host.endsWith(']'));
}

function isDnsName(host) {
  if (host.length === 0 || host.length > 253) return false;
  return host.split('.').every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
}

async function runLookup(ctx, config, userId, endpoint) {
  if (!Object.prototype.hasOwnProperty.call(ENDPOINT_SCOPES, endpoint)) {
    throw fail('mgmt_not_configured', "the endpoint must be 'authentication-methods' or 'enrollments'");
  }
  if (typeof userId !== 'string' || userId === '') {
    throw fail('mgmt_user_not_found', 'the user id is empty, so there is no user to look up');
  }
  const auth = { token: undefined, refreshed: false };
  auth.token = config.staticToken !== undefined ? config.staticToken : await obtainToken(ctx, config, undefined);

  const userPath = `${config.site.origin}/api/v2/users/${encodeURIComponent(userId)}`;
  if (endpoint === 'enrollments') {
    const body = await getJson(ctx, config, auth, `${userPath}/enrollments`, endpoint);
    if (!Array.isArray(body) || !body.every(isPlainObject)) {
      throw fail('mgmt_bad_response', 'the enrollments answer is not an array of objects');
    }
    return body;
  }
  return readAllPages(ctx, config, auth, userPath, endpoint);
}

async function readAllPages(ctx, config, auth, userPath, endpoint) {
  const items = [];
  const seenIds = new Set();
  let previousRemaining = Infinity;
  for (let page = 0; ; page += 1) {
    if (page >= MAX_PAGES) {
      throw fail('mgmt_bad_response', `the authentication methods span more than ${MAX_PAGES} pages`);
    }
    const url = `${userPath}/authentication-methods?page=${page}&per_page=${PER_PAGE}&include_totals=true`;
    const body = await getJson(ctx, config, auth, url, endpoint);

    let pageItems;
    let start;
    let total;
    if (Array.isArray(body)) {
      pageItems = body;
    } else if (isPlainObject(body) && Array.isArray(body.authenticators)) {
      pageItems = body.authenticators;
      start = body.start;
      total = body.total;
      if (!isCount(start) || !isCount(total)) {
        throw fail('mgmt_bad_response', 'the authentication-methods page has no numeric start and total');
      }
    } else {
      throw fail('mgmt_bad_response', 'the authentication-methods answer is neither a list nor a page of authenticators');
    }
    if (!pageItems.every(isPlainObject)) {
      throw fail('mgmt_bad_response', 'an authentication method is not an object');
    }
    if (pageItems.length === 0) break;

    // A server that ignores ?page= would hand back page 0 forever; both checks catch that.
    if (start !== undefined && start !== items.length) {
      throw fail('mgmt_bad_response', `pagination loop: page ${page} starts at item ${start}, expected ${items.length}`);
    }
    const ids = pageItems.map((item) => item.id).filter((id) => typeof id === 'string');
    if (ids.length === pageItems.length && ids.every((id) => seenIds.has(id))) {
      throw fail('mgmt_bad_response', `pagination loop: page ${page} repeats items already read`);
    }
    for (const id of ids) seenIds.add(id);
    items.push(...pageItems);

    if (total !== undefined) {
      const remaining = total - items.length;
      if (remaining <= 0) break;
      if (remaining >= previousRemaining) {
        throw fail('mgmt_bad_response', `pagination loop: the total grows as fast as pages are read (page ${page})`);
      }
      previousRemaining = remaining;
    } else if (pageItems.length < PER_PAGE) {
      break;
    }
  }
  return items;
}

function isCount(value) {
  return Number.isInteger(value) && value >= 0;
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function getJson(ctx, config, auth, url, endpoint) {
  for (;;) {
    const response = await sendWithRetries(
      ctx,
      url,
      { method: 'GET', headers: { authorization: `Bearer ${auth.token}`, accept: 'application/json' } },
      'the Management API'
    );
    const { status } = response;
    if (status === 401) {
      if (config.staticToken !== undefined) {
        throw fail(
          'mgmt_unauthorized',
          'the Management API rejected MANAGEMENT_API_TOKEN (HTTP 401); a static token expires after 24 h, so set MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET instead'
        );
      }
      if (auth.refreshed) {
        throw fail('mgmt_unauthorized', 'the Management API answered 401 even to a freshly issued token');
      }
      auth.refreshed = true;
      auth.token = await obtainToken(ctx, config, auth.token);
      continue;
    }
    if (status === 403) {
      throw fail(
        'mgmt_forbidden',
        `the Management API token lacks the ${ENDPOINT_SCOPES[endpoint]} scope needed for /${endpoint} (HTTP 403)`
      );
    }
    if (status === 404) throw fail('mgmt_user_not_found', 'the Management API has no such user (HTTP 404)');
    if (status < 200 || status > 299) {
      const hint = status >= 300 && status < 400 ? ' (a redirect: AUTH0_DOMAIN may name the wrong host)' : '';
      throw fail('mgmt_bad_response', `the Management API answered HTTP ${status}${hint}`);
    }
    return parseJsonBody(response, 'mgmt_bad_response', 'the Management API answer');
  }
}

function parseJsonBody(response, reason, what) {
  const contentType = (response.headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json') {
    const looksHtml = /^\s*</.test(response.text);
    // Quote the server's header only when it is a plain media type: it must not smuggle data into detail.
    const plain = /^[a-z0-9.+-]{1,40}\/[a-z0-9.+-]{1,40}$/.test(contentType);
    const shown = contentType === '' ? 'no content type' : plain ? `content type ${contentType}` : 'an unexpected content type';
    throw fail(reason, `${what} has ${shown}${looksHtml ? ' and looks like an HTML page' : ''}, not application/json`);
  }
  try {
    return JSON.parse(response.text);
  } catch {
    throw fail(reason, `${what} is not valid JSON`);
  }
}

// ---- tokens -------------------------------------------------------------------------------

async function obtainToken(ctx, config, rejectedToken) {
  const { site, credentials } = config;
  const memoryKey = `${site.origin}\n${site.audience}\n${credentials.clientId}`;
  const cacheKey = TOKEN_CACHE_PREFIX + fnv1a64(memoryKey);

  if (rejectedToken !== undefined) {
    const held = memoryTokens.get(memoryKey);
    if (held && held.token === rejectedToken) memoryTokens.delete(memoryKey);
    cacheDelete(ctx.cache, cacheKey);
  }
  const held = memoryTokens.get(memoryKey);
  if (held && held.expiresAt > ctx.now() && held.token !== rejectedToken) return held.token;
  if (held) memoryTokens.delete(memoryKey);

  if (rejectedToken === undefined) {
    const cached = cacheGet(ctx.cache, cacheKey, ctx.now());
    if (cached) {
      if (cached.expiresAt !== undefined) memoryTokens.set(memoryKey, cached);
      return cached.token;
    }
  }

  // Single flight: a burst of logins on one instance shares one token request. The promise
  // never rejects, so a caller that gives up early leaves no unhandled rejection behind.
  const joined = inflightTokens.get(memoryKey);
  let result = await untilDeadline(ctx, joined || startTokenFlight(ctx, site, credentials, memoryKey, cacheKey));
  // A joined request runs within the deadline of the login that started it. When that cut it
  // short, this login, whose own deadline may be later, asks once more within its own.
  if (joined && !result.ok && result.failure.reason === 'mgmt_timeout' && ctx.deadline - ctx.now() > 0) {
    if (inflightTokens.get(memoryKey) === joined) inflightTokens.delete(memoryKey);
    const current = inflightTokens.get(memoryKey) || startTokenFlight(ctx, site, credentials, memoryKey, cacheKey);
    result = await untilDeadline(ctx, current);
  }
  if (!result.ok) throw result.failure;
  return result.token;
}

function startTokenFlight(ctx, site, credentials, memoryKey, cacheKey) {
  const flight = requestToken(ctx, site, credentials).then((result) => {
    if (result.ok) storeToken(ctx, memoryKey, cacheKey, result);
    return result;
  });
  inflightTokens.set(memoryKey, flight);
  const forget = () => {
    if (inflightTokens.get(memoryKey) === flight) inflightTokens.delete(memoryKey);
  };
  flight.then(forget, forget);
  return flight;
}

function storeToken(ctx, memoryKey, cacheKey, result) {
  if (result.expiresInSeconds === undefined) return;
  const lifetimeMs = result.expiresInSeconds * 1000;
  // Stop using a token well before it expires: clocks differ and a login may take seconds.
  const marginMs = Math.max(lifetimeMs * 0.1, 60 * 1000);
  const usableMs = Math.min(lifetimeMs - marginMs, MAX_CACHE_LIFETIME_MS);
  if (!(usableMs > 0)) return;
  const expiresAt = result.obtainedAt + usableMs;
  memoryTokens.set(memoryKey, { token: result.token, expiresAt });
  if (byteLength(result.token) <= MAX_CACHE_VALUE_BYTES) cacheSet(ctx.cache, cacheKey, result.token, expiresAt);
}

async function requestToken(ctx, site, credentials) {
  const obtainedAt = ctx.now();
  try {
    const response = await sendWithRetries(
      ctx,
      `${site.origin}/oauth/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credentials',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
          audience: site.audience,
        }),
      },
      'the token endpoint'
    );
    if (response.status < 200 || response.status > 299) {
      throw fail('mgmt_token_failed', tokenStatusDetail(response.status));
    }
    const body = parseJsonBody(response, 'mgmt_token_failed', 'the token response');
    if (!isPlainObject(body) || typeof body.access_token !== 'string' || !HEADER_SAFE_TOKEN.test(body.access_token)) {
      throw fail('mgmt_token_failed', 'the token response has no usable access_token');
    }
    if (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer') {
      throw fail('mgmt_token_failed', 'the token response is not a Bearer token');
    }
    const expiresIn = body.expires_in;
    const expiresInSeconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined;
    return { ok: true, token: body.access_token, expiresInSeconds, obtainedAt };
  } catch (error) {
    if (!(error instanceof ManagementFailure)) {
      return { ok: false, failure: fail('mgmt_token_failed', 'the token request failed unexpectedly') };
    }
    // Transport problems keep their own code (the fix differs); any unusable HTTP answer from the
    // token endpoint is a token failure.
    if (error.reason === 'mgmt_timeout' || error.reason === 'mgmt_network' || error.reason === 'mgmt_token_failed') {
      return { ok: false, failure: error };
    }
    return { ok: false, failure: fail('mgmt_token_failed', `token request: ${error.detail}`) };
  }
}

function tokenStatusDetail(status) {
  if (status === 401) return 'the token endpoint rejected MANAGEMENT_CLIENT_ID / MANAGEMENT_CLIENT_SECRET (HTTP 401)';
  if (status === 403) {
    return 'the token endpoint refused the grant (HTTP 403): authorize the application for the Management API audience';
  }
  return `the token endpoint answered HTTP ${status}`;
}

function untilDeadline(ctx, promise) {
  const remaining = ctx.deadline - ctx.now();
  const late = { ok: false, failure: fail('mgmt_timeout', 'the login deadline passed while waiting for a token') };
  if (!(remaining > 0)) return Promise.resolve(late);
  let timer;
  const expiry = new Promise((resolve) => {
    timer = setTimeout(() => resolve(late), Math.min(remaining, MAX_TIMER_MS));
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

// api.cache is best effort (entries vanish, sets fail, calls may throw): every odd answer is
// simply "no cache". A thenable is not what Auth0 returns, so it is ignored but kept from
// becoming an unhandled rejection. Even reading `cache.get` may throw (a getter, a Proxy).
function cacheGet(cache, key, now) {
  try {
    if (!cache || typeof cache.get !== 'function') return undefined;
    const entry = cache.get(key);
    if (isThenable(entry)) {
      entry.then(undefined, () => {});
      return undefined;
    }
    if (!entry || typeof entry !== 'object') return undefined;
    const { value, expires_at: expiresAt } = entry;
    if (typeof value !== 'string' || value === '' || !HEADER_SAFE_TOKEN.test(value)) return undefined;
    if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) {
      return expiresAt > now ? { token: value, expiresAt } : undefined;
    }
    return { token: value, expiresAt: undefined };
  } catch {
    return undefined;
  }
}

function cacheSet(cache, key, value, expiresAt) {
  try {
    if (!cache || typeof cache.set !== 'function') return;
    const outcome = cache.set(key, value, { expires_at: Math.floor(expiresAt) });
    if (isThenable(outcome)) outcome.then(undefined, () => {});
  } catch {
    // A full or failing cache only costs a token request on the next cold instance.
  }
}

function cacheDelete(cache, key) {
  try {
    if (!cache || typeof cache.delete !== 'function') return;
    const outcome = cache.delete(key);
    if (isThenable(outcome)) outcome.then(undefined, () => {});
  } catch {
    // The fresh token overwrites the entry anyway.
  }
}

function isThenable(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
}

const textEncoder = new TextEncoder();

function byteLength(text) {
  return textEncoder.encode(text).length;
}

// FNV-1a, 64 bit: a short, stable api.cache key (≤ 64 bytes) that does not spell out the domain
// or client id. Not a security boundary, so a non-cryptographic hash is enough.
function fnv1a64(text) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of textEncoder.encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

// ---- HTTP ---------------------------------------------------------------------------------

async function sendWithRetries(ctx, url, init, what) {
  let rateLimitRetries = 0;
  let serverRetries = 0;
  for (;;) {
    const response = await send(ctx, url, init, what);
    const { status } = response;
    if (status === 429) {
      const told = retryDelayMs(response.headers, ctx.now());
      if (rateLimitRetries >= MAX_RATE_LIMIT_RETRIES || (told === undefined && rateLimitRetries >= 1)) {
        throw fail('mgmt_rate_limited', `${what} still answered 429 after ${rateLimitRetries} retries`);
      }
      const waitMs = told === undefined ? BLIND_RATE_LIMIT_BACKOFF_MS : told;
      if (!fitsBeforeDeadline(ctx, waitMs)) {
        throw fail(
          'mgmt_rate_limited',
          `${what} answered 429 and asked to wait ${Math.ceil(waitMs)} ms, which would pass the login deadline`
        );
      }
      rateLimitRetries += 1;
      await sleep(waitMs);
      continue;
    }
    if (status >= 500 && status <= 599) {
      if (serverRetries >= MAX_SERVER_RETRIES) {
        throw fail('mgmt_server_error', `${what} answered HTTP ${status}, also after ${serverRetries} retries`);
      }
      const waitMs = SERVER_BACKOFF_MS[serverRetries];
      if (!fitsBeforeDeadline(ctx, waitMs)) {
        throw fail('mgmt_server_error', `${what} answered HTTP ${status} and no time is left to retry`);
      }
      serverRetries += 1;
      await sleep(waitMs);
      continue;
    }
    return response;
  }
}

// One HTTP exchange, body included, within min(timeoutMs, time left before the deadline).
// Resolves to {status, headers, text}; throws a ManagementFailure for timeouts, connection errors
// and oversized bodies.
async function send(ctx, url, init, what) {
  return exchange(ctx, url, init, {
    deadlinePassed: () => fail('mgmt_timeout', `the login deadline passed before ${what} could be asked`),
    timeout: (budgetMs, cutByDeadline) =>
      fail(
        'mgmt_timeout',
        cutByDeadline ? `${what} did not answer before the login deadline (${budgetMs} ms left)` : `${what} did not answer within ${budgetMs} ms`
      ),
    network: (error, phase) => networkFailure(error, what, phase),
    noResponse: () => fail('mgmt_bad_response', `${what} gave no HTTP response`),
    read: (response, controller) => readCappedText(response, controller, what),
    isOwn: (error) => error instanceof ManagementFailure,
    sent: () => {
      ctx.counter.requests += 1;
    },
  });
}

function networkFailure(error, what, phase) {
  const code = errorCode(error);
  return fail('mgmt_network', `${what} connection failed while ${phase}${code ? ` (${code})` : ''}`);
}

async function readCappedText(response, controller, what) {
  const bytes = await readCappedBytes(response, controller, MAX_BODY_BYTES, {
    tooLarge: () => fail('mgmt_response_too_large', `${what} sent more than ${MAX_BODY_BYTES} bytes; reading stopped`),
    notBytes: () => fail('mgmt_bad_response', `${what} body is not bytes`),
    unreadable: () => fail('mgmt_bad_response', `${what} has a body that cannot be read`),
  });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw fail('mgmt_bad_response', `${what} is not valid UTF-8`);
  }
}

module.exports = { createManagementClient, MANAGEMENT_FAILURES, _resetForTests };
