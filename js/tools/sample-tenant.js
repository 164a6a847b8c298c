'use strict';
// A local stand-in for an Auth0 tenant: the client-credentials token endpoint and the two
// Management API reads the Action uses, served over real HTTP on loopback with node:http.
// Tests, the CLI demo and benchmarks point AUTH0_DOMAIN at it; it can mask numbers, rate-limit,
// add latency and inject faults (statuses, HTML pages, resets, endless bodies).
// Never part of the Action entry: an Action cannot open a server.

const { randomBytes } = require('node:crypto');
const { methodsAnswer, auth0Error } = require('./tenant-methods.js');
const { startStub, sendJson, readBody } = require('./stub-server.js');

const MAX_REQUEST_BODY_BYTES = 64 * 1024;
const MAX_LOGGED_REQUESTS = 100000;
const MAX_LIVE_TOKENS = 100000;
const STREAM_CHUNK = Buffer.alloc(64 * 1024, 0x20);

/**
 * Starts a sample tenant on loopback.
 * @param {object} [options]
 * @param {Record<string, {authentication_methods?: object[], enrollments?: object[]}>} [options.users]
 * @param {Record<string, string>} [options.clients] client_id -> client_secret (default
 *   {'demo-client': 'demo-secret'}).
 * @param {boolean} [options.maskNumbers] emulate the default phone-number obfuscation.
 * @param {{perSecond: number, burst: number}} [options.rateLimit] token bucket for /api/v2.
 * @param {number} [options.latencyMs] delay added before every response.
 * @param {number} [options.tokenTtlSeconds] expires_in of issued tokens (default 86400).
 * @param {number} [options.port] default 0 (any free port).
 * @param {string} [options.host] default '127.0.0.1'.
 * @returns {Promise<SampleTenant>}
 *
 * @typedef {object} SampleTenant
 * @property {string} url origin such as 'http://127.0.0.1:PORT', usable as AUTH0_DOMAIN.
 * @property {{method: string, path: string, status: number, bytesSent?: number}[]} requests
 *   every request received, oldest first (path includes the query string).
 * @property {() => void} resetRequests
 * @property {() => void} clearFaults  drops the faults queued by failNext that were not used
 * @property {(spec: FaultSpec) => void} failNext
 * @property {() => void} revokeTokens every token issued so far gets 401 from now on.
 * @property {(users: object) => void} setUsers
 * @property {(mask: boolean) => void} setMaskNumbers
 * @property {() => Promise<void>} close stops the server and destroys open sockets.
 *
 * @typedef {object} FaultSpec answers the next matching request(s) instead of the emulation.
 * @property {string|RegExp} [path] substring of (or pattern for) the request path incl. query.
 * @property {number} [status] default 200.
 * @property {Record<string, string>} [headers]
 * @property {string} [body]
 * @property {string} [contentType] default 'application/json'; '' sends none.
 * @property {number} [delayMs] wait before answering.
 * @property {number} [times] how many requests it answers (default 1).
 * @property {boolean} [destroy] send the headers and part of a body, then reset the socket.
 * @property {number} [streamBytes] stream a JSON array of this many bytes (whitespace inside),
 *   honouring back-pressure; the request entry's bytesSent tells how much actually went out.
 */
async function startSampleTenant(options = {}) {
  const {
    users = {},
    clients = { 'demo-client': 'demo-secret' },
    maskNumbers = false,
    rateLimit,
    latencyMs = 0,
    tokenTtlSeconds = 86400,
    port = 0,
    host = '127.0.0.1',
  } = options;
  if (!isPlainObject(clients) || !Object.values(clients).every((secret) => typeof secret === 'string')) {
    throw new TypeError('startSampleTenant: clients must map client ids to secret strings');
  }
  if (rateLimit !== undefined && !(isPositive(rateLimit.perSecond) && isPositive(rateLimit.burst))) {
    throw new TypeError('startSampleTenant: rateLimit needs positive perSecond and burst');
  }
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new TypeError('startSampleTenant: latencyMs must be >= 0');
  if (!isPositive(tokenTtlSeconds)) throw new TypeError('startSampleTenant: tokenTtlSeconds must be positive');

  const state = {
    users: copyUsers(users),
    maskNumbers: Boolean(maskNumbers),
    tokens: new Map(), // token -> expiry (epoch ms)
    bucket: rateLimit ? { tokens: rateLimit.burst, at: Date.now() } : undefined,
  };

  const stub = await startStub({
    handle,
    internalError: (res) => sendJson(res, 500, auth0Error(500, 'Internal Server Error', 'sample tenant error')),
    maxLoggedRequests: MAX_LOGGED_REQUESTS,
    isFaultSpec: isPlainObject,
    port,
    host,
  });
  const { url, delay } = stub;

  async function handle(req, res) {
    const entry = { method: req.method, path: req.url, status: 0 };
    stub.log(entry);

    const fault = stub.takeFault(req.url);
    if (fault) {
      req.resume();
      await delay(fault.delayMs);
      if (!stub.closing) serveFault(req, res, entry, fault);
      return;
    }

    const path = req.url.split('?')[0];
    if (req.method === 'POST' && path === '/oauth/token') {
      const body = await readBody(req, MAX_REQUEST_BODY_BYTES);
      await delay(latencyMs);
      return reply(res, entry, ...issueToken(req, body));
    }
    req.resume();
    const match = /^\/api\/v2\/users\/([^/]+)\/(authentication-methods|enrollments)$/.exec(path);
    if (!match || req.method !== 'GET') {
      await delay(latencyMs);
      return reply(res, entry, 404, auth0Error(404, 'Not Found', 'Not Found'));
    }
    const limited = takeRateLimitToken();
    await delay(latencyMs);
    if (limited.status === 429) return reply(res, entry, 429, auth0Error(429, 'Too Many Requests', 'Global limit has been reached'), limited.headers);
    return reply(res, entry, ...readUser(req, match), limited.headers);
  }

  function reply(res, entry, status, body, headers = {}) {
    entry.status = status;
    if (stub.closing || res.destroyed) return;
    sendJson(res, status, body, headers);
  }

  function serveFault(req, res, entry, spec) {
    const status = spec.status === undefined ? 200 : spec.status;
    entry.status = status;
    if (res.destroyed) return;
    const headers = {};
    const contentType = spec.contentType === undefined ? 'application/json' : spec.contentType;
    if (contentType !== '') headers['content-type'] = contentType;
    Object.assign(headers, spec.headers);
    if (spec.destroy) {
      res.writeHead(status, headers);
      res.write('{"start":0,"limit":50,"total":3,"authenticators":[{"id":');
      stub.later(20, () => req.socket.destroy());
      return;
    }
    if (spec.streamBytes !== undefined) {
      streamBody(res, entry, status, headers, spec.streamBytes);
      return;
    }
    res.writeHead(status, headers);
    res.end(spec.body === undefined ? '' : spec.body);
  }

  function streamBody(res, entry, status, headers, size) {
    res.writeHead(status, headers);
    entry.bytesSent = 0;
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        if (res.destroyed || stub.closing) return;
        const length = Math.min(STREAM_CHUNK.length, size - sent);
        const chunk = Buffer.from(STREAM_CHUNK.subarray(0, length));
        if (sent === 0) chunk[0] = 0x5b; // '['
        if (sent + length === size) chunk[length - 1] = 0x5d; // ']'
        sent += length;
        entry.bytesSent = sent;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  function takeRateLimitToken() {
    const bucket = state.bucket;
    if (!bucket) return { status: 200, headers: {} };
    const now = Date.now();
    bucket.tokens = Math.min(rateLimit.burst, bucket.tokens + ((now - bucket.at) / 1000) * rateLimit.perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const untilNextMs = allowed ? 0 : ((1 - bucket.tokens) / rateLimit.perSecond) * 1000;
    const untilFullMs = ((rateLimit.burst - bucket.tokens) / rateLimit.perSecond) * 1000;
    const headers = {
      'x-ratelimit-limit': String(rateLimit.burst),
      'x-ratelimit-remaining': String(Math.floor(bucket.tokens)),
      // Auth0 reports the reset as Unix seconds; on a refusal the next token is what matters.
      'x-ratelimit-reset': String(Math.ceil((now + (allowed ? untilFullMs : untilNextMs)) / 1000)),
    };
    if (!allowed) headers['retry-after'] = String(Math.max(1, Math.ceil(untilNextMs / 1000)));
    return { status: allowed ? 200 : 429, headers };
  }

  function issueToken(req, raw) {
    if (raw === undefined) return [413, { error: 'invalid_request', error_description: 'Request body too large' }];
    let body;
    const type = (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
    try {
      body = type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw);
    } catch {
      return [400, { error: 'invalid_request', error_description: 'Invalid request body' }];
    }
    if (!isPlainObject(body)) return [400, { error: 'invalid_request', error_description: 'Invalid request body' }];
    if (body.grant_type !== 'client_credentials') {
      return [403, { error: 'unsupported_grant_type', error_description: 'Unsupported grant type' }];
    }
    const secret = Object.prototype.hasOwnProperty.call(clients, body.client_id) ? clients[body.client_id] : undefined;
    if (secret === undefined || body.client_secret !== secret) {
      return [401, { error: 'access_denied', error_description: 'Unauthorized' }];
    }
    if (body.audience !== `${url}/api/v2/`) {
      return [403, { error: 'access_denied', error_description: `Service not found: ${String(body.audience).slice(0, 200)}` }];
    }
    const now = Date.now();
    for (const [token, expiresAt] of state.tokens) {
      if (expiresAt <= now || state.tokens.size >= MAX_LIVE_TOKENS) state.tokens.delete(token);
      else break;
    }
    const token = randomBytes(24).toString('base64url');
    state.tokens.set(token, now + tokenTtlSeconds * 1000);
    return [200, { access_token: token, expires_in: tokenTtlSeconds, token_type: 'Bearer', scope: 'read:users read:authentication_methods' }];
  }

  function readUser(req, match) {
    const header = req.headers.authorization || '';
    const bearer = /^Bearer (\S+)$/i.exec(header);
    if (!bearer) return [401, auth0Error(401, 'Unauthorized', 'Missing authentication')];
    const expiresAt = state.tokens.get(bearer[1]);
    if (expiresAt === undefined) return [401, auth0Error(401, 'Unauthorized', 'Invalid token')];
    if (expiresAt <= Date.now()) return [401, auth0Error(401, 'Unauthorized', 'Expired token received for JSON Web Token validation')];

    let userId;
    try {
      userId = decodeURIComponent(match[1]);
    } catch {
      return [400, auth0Error(400, 'Bad Request', 'Path validation error', 'invalid_uri')];
    }
    const user = Object.prototype.hasOwnProperty.call(state.users, userId) ? state.users[userId] : undefined;
    if (!user) return [404, auth0Error(404, 'Not Found', 'The user does not exist.', 'inexistent_user')];
    return methodsAnswer(user, match[2], req.url.split('?')[1], state.maskNumbers);
  }

  return Object.assign(stub.controls(), {
    revokeTokens() {
      state.tokens.clear();
    },
    setUsers(next) {
      state.users = copyUsers(next);
    },
    setMaskNumbers(mask) {
      state.maskNumbers = Boolean(mask);
    },
  });
}

function copyUsers(users) {
  if (!isPlainObject(users)) throw new TypeError('sample tenant: users must be an object keyed by user_id');
  return structuredClone(users);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPositive(value) {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

module.exports = { startSampleTenant };
