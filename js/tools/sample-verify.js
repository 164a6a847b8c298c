'use strict';
// A local stand-in for Twilio Verify: the two endpoints the phone-message Actions use, served
// over real HTTP on loopback with node:http. It checks HTTP basic auth and form-encoded bodies
// the way Twilio does and answers with Twilio-style JSON errors
// ({code, message, more_info, status}). Tests and the demo point the handlers' verifyBaseUrl at
// it; failNext() injects statuses, Retry-After headers, delays and resets.
// Never part of the Action entry: an Action cannot open a server.

const { createHash } = require('node:crypto');
const { startStub, sendJson, readBody } = require('./stub-server.js');

const MAX_REQUEST_BODY_BYTES = 16 * 1024;
const MAX_LOGGED_REQUESTS = 10000;
// Twilio: at most 5 sends to one number within the 10-minute life of a verification.
const MAX_SENDS_PER_VERIFICATION = 5;
const VERIFICATION_TTL_MS = 10 * 60 * 1000;
const E164 = /^\+[1-9][0-9]{6,14}$/;
// A subset of Verify's locales, enough to exercise both answers.
const DEFAULT_LOCALES = ['ar', 'de', 'en', 'en-GB', 'es', 'fr', 'it', 'ja', 'nl', 'pt', 'pt-BR', 'zh', 'zh-CN', 'zh-HK'];

/**
 * Starts a Verify stand-in on loopback.
 * @param {object} options
 * @param {string} options.accountSid AC + 32 hex: the basic-auth user it accepts.
 * @param {string} options.authToken the basic-auth password it accepts.
 * @param {string} options.serviceSid VA + 32 hex: the only Verify service it has.
 * @param {string[]} [options.locales] the Locale values it accepts (others: 404, as Twilio).
 * @param {number} [options.port] default 0 (any free port).
 * @param {string} [options.host] default '127.0.0.1'.
 * @returns {Promise<SampleVerify>}
 *
 * @typedef {object} SampleVerify
 * @property {string} url origin such as 'http://127.0.0.1:PORT', usable as verifyBaseUrl.
 * @property {VerifyRequest[]} requests every request received, oldest first.
 * @property {() => void} resetRequests
 * @property {(spec: FaultSpec) => void} failNext answers the next matching request(s) with spec.
 * @property {() => void} clearFaults drops the faults failNext queued that were not used.
 * @property {(to: string) => object|undefined} verificationFor the latest verification of a number.
 * @property {() => void} clearVerifications forgets every verification (and so every send count).
 * @property {() => Promise<void>} close stops the server and destroys open sockets.
 *
 * @typedef {object} VerifyRequest
 * @property {string} method
 * @property {string} path decoded path, e.g. '/v2/Services/VA…/Verifications/+14155550123'
 * @property {number} status the status answered (0 while pending)
 * @property {boolean} authorized whether basic auth matched
 * @property {string} contentType the request's media type
 * @property {Record<string, string>} form the form fields, when the body was form-encoded
 *
 * @typedef {object} FaultSpec
 * @property {string|RegExp} [path] substring of (or pattern for) the decoded path.
 * @property {number} [status] default 500.
 * @property {number} [code] Twilio error code for the JSON error body (default by status).
 * @property {string} [body] a raw body instead of the Twilio error JSON.
 * @property {Record<string, string>} [headers] e.g. {'retry-after': '1'}.
 * @property {number} [delayMs] wait before answering.
 * @property {boolean} [destroy] reset the connection instead of answering.
 * @property {number} [times] how many requests it answers (default 1).
 */
async function startSampleVerify(options) {
  const { accountSid, authToken, serviceSid, locales = DEFAULT_LOCALES, port = 0, host = '127.0.0.1' } = options || {};
  if (typeof accountSid !== 'string' || !/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new TypeError('startSampleVerify: accountSid must be AC + 32 hex digits');
  if (typeof authToken !== 'string' || authToken === '') throw new TypeError('startSampleVerify: authToken must be a non-empty string');
  if (typeof serviceSid !== 'string' || !/^VA[0-9a-fA-F]{32}$/.test(serviceSid)) throw new TypeError('startSampleVerify: serviceSid must be VA + 32 hex digits');

  const state = {
    verifications: new Map(), // sid -> verification
  };
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const stub = await startStub({
    handle,
    internalError: (res) => sendJson(res, 500, twilioError(20500, 'Internal Server Error', 500)),
    maxLoggedRequests: MAX_LOGGED_REQUESTS,
    isFaultSpec: (spec) => spec !== null && typeof spec === 'object',
    port,
    host,
  });
  const { delay } = stub;

  async function handle(req, res) {
    let path;
    try {
      path = decodeURIComponent(req.url.split('?')[0]);
    } catch {
      path = req.url;
    }
    const entry = {
      method: req.method,
      path,
      status: 0,
      authorized: req.headers.authorization === expectedAuth,
      contentType: (req.headers['content-type'] || '').split(';')[0].trim().toLowerCase(),
      form: {},
    };
    stub.log(entry);
    const raw = await readBody(req, MAX_REQUEST_BODY_BYTES);
    if (raw !== undefined && entry.contentType === 'application/x-www-form-urlencoded') {
      entry.form = Object.fromEntries(new URLSearchParams(raw));
    }

    const fault = stub.takeFault(path);
    if (fault) {
      await delay(fault.delayMs);
      if (stub.closing) return;
      if (fault.destroy) {
        entry.status = -1;
        req.socket.destroy();
        return;
      }
      const status = fault.status === undefined ? 500 : fault.status;
      entry.status = status;
      const headers = { ...fault.headers };
      if (fault.body !== undefined) {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(fault.body);
      } else {
        const code = fault.code === undefined ? defaultCode(status) : fault.code;
        sendJson(res, status, twilioError(code, `Sample Verify fault ${status}`, status), headers);
      }
      return;
    }

    const [status, body] = route(req, entry, raw);
    entry.status = status;
    if (!stub.closing && !res.destroyed) sendJson(res, status, body);
  }

  function route(req, entry, raw) {
    if (raw === undefined) return [413, twilioError(20001, 'Request body too large', 413)];
    if (!entry.authorized) return [401, twilioError(20003, 'Authenticate', 401)];
    const match = /^\/v2\/Services\/([^/]+)\/Verifications(?:\/([^/]+))?$/.exec(entry.path);
    if (!match || req.method !== 'POST') return notFound(entry.path);
    if (match[1] !== serviceSid) return notFound(entry.path);
    if (entry.contentType !== 'application/x-www-form-urlencoded') {
      return [400, twilioError(60200, 'Invalid parameter: the body must be application/x-www-form-urlencoded', 400)];
    }
    return match[2] === undefined ? createVerification(entry) : updateVerification(entry, match[2]);
  }

  function createVerification(entry) {
    const { To: to, Channel: channel, CustomCode: customCode, Locale: locale } = entry.form;
    if (typeof to !== 'string' || !E164.test(to)) return [400, twilioError(60200, `Invalid parameter \`To\`: ${String(to).slice(0, 40)}`, 400)];
    if (channel !== 'sms' && channel !== 'call') return [400, twilioError(60200, 'Invalid parameter `Channel`', 400)];
    if (customCode !== undefined && !/^[0-9]{4,10}$/.test(customCode)) return [400, twilioError(60200, 'Invalid parameter `CustomCode`', 400)];
    if (locale !== undefined && !locales.includes(locale)) return notFound(entry.path);
    const now = Date.now();
    let verification = [...state.verifications.values()].find((v) => v.to === to && v.status === 'pending' && v.expiresAt > now);
    if (verification) {
      if (verification.sendCodeAttempts.length >= MAX_SENDS_PER_VERIFICATION) {
        return [429, twilioError(60203, 'Max send attempts reached', 429)];
      }
    } else {
      verification = {
        // Derived, not random, so that a demo prints the same thing every run.
        sid: `VE${createHash('md5').update(`${to}#${(state.sequence = (state.sequence || 0) + 1)}`).digest('hex')}`,
        to,
        status: 'pending',
        createdAt: now,
        expiresAt: now + VERIFICATION_TTL_MS,
        sendCodeAttempts: [],
      };
      state.verifications.set(verification.sid, verification);
    }
    verification.channel = channel;
    verification.code = customCode;
    verification.locale = locale;
    verification.sendCodeAttempts.push({ time: new Date(now).toISOString(), channel });
    return [201, resource(verification)];
  }

  function updateVerification(entry, key) {
    const status = entry.form.Status;
    if (status !== 'approved' && status !== 'canceled') return [400, twilioError(60200, 'Invalid parameter `Status`', 400)];
    const now = Date.now();
    const verification = /^VE[0-9a-f]{32}$/.test(key)
      ? state.verifications.get(key)
      : [...state.verifications.values()].reverse().find((v) => v.to === key && v.status === 'pending' && v.expiresAt > now);
    if (!verification || verification.status !== 'pending') return notFound(entry.path);
    verification.status = status;
    return [200, resource(verification)];
  }

  function resource(v) {
    return {
      sid: v.sid,
      service_sid: serviceSid,
      account_sid: accountSid,
      to: v.to,
      channel: v.channel,
      status: v.status,
      valid: v.status === 'approved',
      lookup: {},
      amount: null,
      payee: null,
      send_code_attempts: v.sendCodeAttempts,
      date_created: new Date(v.createdAt).toISOString(),
      date_updated: new Date().toISOString(),
      url: `https://verify.twilio.com/v2/Services/${serviceSid}/Verifications/${v.sid}`,
    };
  }

  return Object.assign(stub.controls(), {
    clearVerifications() {
      state.verifications.clear();
    },
    verificationFor(to) {
      return [...state.verifications.values()].reverse().find((v) => v.to === to);
    },
  });
}

// Twilio's 404 quotes the resource path, number included; the handlers must never repeat it.
function notFound(path) {
  return [404, twilioError(20404, `The requested resource ${path.replace(/^\/v2/, '')} was not found`, 404)];
}

function defaultCode(status) {
  if (status === 429) return 20429;
  if (status === 401) return 20003;
  if (status === 404) return 20404;
  if (status >= 500) return 20500;
  return 60200;
}

function twilioError(code, message, status) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

module.exports = { startSampleVerify };
