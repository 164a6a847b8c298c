'use strict';
// Twilio Verify client for the phone-message Actions: asks Verify to deliver a code Auth0 made
// (`CustomCode`), and reports a verification as approved after the login (the feedback Fraud
// Guard learns from). It runs inside Auth0 Actions, so it uses only the caller's fetch, never
// throws (every problem becomes one reason code of VERIFY_FAILURES), bounds every request by a
// timeout and the caller's deadline, and no detail ever carries the auth token, the code, the
// full number or Twilio's own message text (which can quote the number).

const { fitsBeforeDeadline, sleep, retryDelayMs, errorCode, isLoopback, readCappedBytes, exchange } = require('./http.js');

const DEFAULT_BASE_URL = 'https://verify.twilio.com';
const MAX_BODY_BYTES = 64 * 1024;
const MAX_RATE_LIMIT_RETRIES = 2;
const MAX_SERVER_RETRIES = 2;
const SERVER_BACKOFF_MS = [200, 600];
// Without Retry-After we cannot know when Twilio will take the request again: one short guess.
const BLIND_RATE_LIMIT_BACKOFF_MS = 300;

const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const SERVICE_SID = /^VA[0-9a-fA-F]{32}$/;
const VERIFICATION_SID = /^VE[0-9a-fA-F]{32}$/;
// Visible ASCII only: anything else would make fetch throw on the header or split it.
const HEADER_SAFE = /^[\x21-\x7e]+$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

// Twilio error codes whose meaning we are sure of; any other code is reported by number only.
// (twilio.com/docs/errors)
const TWILIO_ERRORS = Object.freeze({
  20003: 'authentication failed: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN',
  20404: 'not found: check TWILIO_VERIFY_SID (for feedback: no pending verification for that number)',
  20429: 'too many requests',
  60200: 'invalid parameter',
  60203: 'max send attempts reached for this number',
  60205: 'SMS is not supported by this (landline) number',
  60410: 'delivery blocked by Verify Fraud Guard',
});

// 429 with one of these is a per-number limit, not load: retrying only burns another attempt.
const NOT_RETRYABLE_429 = new Set([60203]);

/**
 * Every reason code send() and approve() can resolve with, each with a one-line explanation.
 * @type {Readonly<Record<string, string>>}
 */
const VERIFY_FAILURES = Object.freeze({
  verify_not_configured:
    'TWILIO_ACCOUNT_SID (AC + 32 hex), TWILIO_AUTH_TOKEN or TWILIO_VERIFY_SID (VA + 32 hex) is missing or malformed; nothing was sent.',
  verify_unauthorized: 'Twilio answered 401 or 403: the Account SID and Auth Token do not match, or lack access to the service.',
  verify_not_found:
    'Twilio answered 404: no such Verify service, an unsupported locale (retried once without it), or for feedback no pending verification for that number.',
  verify_rejected: 'Twilio refused the request (4xx with a Twilio error code, e.g. 60200 invalid parameter, 60203 too many sends, 60410 Fraud Guard).',
  verify_rate_limited: 'Twilio answered 429 and waiting as told would pass the deadline, or the retries ran out.',
  verify_server_error: 'Twilio answered 5xx, also after the bounded retries.',
  verify_timeout: 'A request took longer than its timeout, or the deadline passed.',
  verify_network: 'The connection failed: refused, reset, DNS error, or the body read was cut off.',
  verify_bad_response: 'The answer was not usable: a redirect, an unexpected status, or a body over 64 KiB.',
});

/** Internal carrier of a reason code; never leaves this module. */
class VerifyFailure {
  constructor(reason, detail, extra) {
    this.reason = reason;
    this.detail = detail;
    this.twilioCode = extra && extra.twilioCode;
    this.status = extra && extra.status;
  }
}

function fail(reason, detail, extra) {
  return new VerifyFailure(reason, detail, extra);
}

function invalidOption(message) {
  const error = new TypeError(`createVerifyClient: ${message}`);
  error.code = 'ERR_INVALID_ARG_VALUE';
  return error;
}

/**
 * Checks a Verify base URL: https to any host, or plain http only to loopback (a test
 * stand-in), and nothing but an origin. The same rule as AUTH0_DOMAIN for the Management API.
 * @param {string} raw
 * @returns {string} the origin, e.g. 'https://verify.twilio.com'
 * @throws {TypeError} with a sentence saying what is wrong.
 */
function parseVerifyBaseUrl(raw) {
  if (typeof raw !== 'string' || /[\u0000-\u0020\u007f]/.test(raw)) {
    throw new TypeError('verifyBaseUrl must be an absolute URL without whitespace');
  }
  let url;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError('verifyBaseUrl must be an absolute URL such as https://verify.twilio.com');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError('verifyBaseUrl must use https');
  if (url.username || url.password) throw new TypeError('verifyBaseUrl must not contain credentials');
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(raw)) {
    throw new TypeError('verifyBaseUrl must be an origin, without a path, query or fragment');
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    // The auth token and the code would travel in clear text.
    throw new TypeError('verifyBaseUrl may use plain http only for a loopback host (a local stand-in); use https');
  }
  return url.origin;
}

function secretString(secrets, name) {
  let value;
  try {
    value = secrets[name];
  } catch {
    return undefined;
  }
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function resolveConfig(secrets) {
  const source = secrets !== null && typeof secrets === 'object' ? secrets : {};
  const accountSid = secretString(source, 'TWILIO_ACCOUNT_SID');
  const authToken = secretString(source, 'TWILIO_AUTH_TOKEN');
  const serviceSid = secretString(source, 'TWILIO_VERIFY_SID');
  const missing = [
    !accountSid && 'TWILIO_ACCOUNT_SID',
    !authToken && 'TWILIO_AUTH_TOKEN',
    !serviceSid && 'TWILIO_VERIFY_SID',
  ].filter(Boolean);
  if (missing.length) return fail('verify_not_configured', `the secret(s) ${missing.join(', ')} are not set`);
  if (!ACCOUNT_SID.test(accountSid)) return fail('verify_not_configured', 'TWILIO_ACCOUNT_SID is not AC followed by 32 hex digits');
  if (!SERVICE_SID.test(serviceSid)) {
    return fail('verify_not_configured', 'TWILIO_VERIFY_SID is not VA followed by 32 hex digits (the Verify service SID)');
  }
  if (!HEADER_SAFE.test(authToken)) {
    return fail('verify_not_configured', 'TWILIO_AUTH_TOKEN contains characters that cannot go in an HTTP header');
  }
  return {
    serviceSid,
    authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`, 'utf8').toString('base64')}`,
  };
}

/**
 * Creates a Verify client for one Action execution.
 * @param {object} options
 * @param {Record<string, string|undefined>} [options.secrets] event.secrets: TWILIO_ACCOUNT_SID,
 *   TWILIO_AUTH_TOKEN, TWILIO_VERIFY_SID.
 * @param {typeof fetch} options.fetch used for every request.
 * @param {number} options.timeoutMs per request, in ms (> 0).
 * @param {number} options.deadline epoch ms by which all requests of this execution must end.
 * @param {() => number} [options.now] clock in epoch ms (default Date.now).
 * @param {string} [options.baseUrl] an origin already checked by parseVerifyBaseUrl
 *   (default https://verify.twilio.com).
 * @returns {{
 *   send: (message: {to: string, channel: 'sms'|'call', code: string, locale?: string}) => Promise<VerifyResult>,
 *   approve: (to: string) => Promise<VerifyResult>,
 * }} both never throw and never reject.
 * @typedef {{ok: true, sid?: string, requests: number, localeDropped?: boolean} |
 *   {ok: false, reason: string, detail: string, twilioCode?: number, status?: number, requests: number}} VerifyResult
 * @throws {TypeError} (code ERR_INVALID_ARG_VALUE) when fetch, timeoutMs, deadline or now is
 *   malformed: those are the caller's bugs.
 */
function createVerifyClient(options) {
  const { secrets, fetch: fetchFn, timeoutMs, deadline, now = Date.now, baseUrl = DEFAULT_BASE_URL } = options || {};
  if (typeof fetchFn !== 'function') throw invalidOption('fetch must be a function');
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw invalidOption('timeoutMs must be a positive number of milliseconds');
  }
  if (typeof deadline !== 'number' || !Number.isFinite(deadline)) throw invalidOption('deadline must be a finite epoch time in ms');
  if (typeof now !== 'function') throw invalidOption('now must be a function returning epoch ms');
  const origin = parseVerifyBaseUrl(baseUrl);

  let config;
  try {
    config = resolveConfig(secrets);
  } catch {
    config = fail('verify_not_configured', 'the secrets could not be read');
  }
  const base = () => `${origin}/v2/Services/${config.serviceSid}/Verifications`;

  async function run(work) {
    const ctx = { fetch: fetchFn, timeoutMs, deadline, now, requests: 0 };
    try {
      if (config instanceof VerifyFailure) throw config;
      const value = await work(ctx);
      return { ok: true, ...value, requests: ctx.requests };
    } catch (error) {
      const failure = error instanceof VerifyFailure ? error : fail('verify_bad_response', 'an unexpected error occurred while handling the Twilio answer');
      const result = { ok: false, reason: failure.reason, detail: failure.detail, requests: ctx.requests };
      if (failure.twilioCode !== undefined) result.twilioCode = failure.twilioCode;
      if (failure.status !== undefined) result.status = failure.status;
      return result;
    }
  }

  return {
    /** Creates a verification: Verify delivers `code` to `to` by `channel`. */
    send(message) {
      return run(async (ctx) => {
        const { to, channel, code, locale } = message || {};
        // The plan comes from the Rust core; these checks only keep a caller's bug from
        // sending something odd.
        if (typeof to !== 'string' || !E164.test(to)) throw fail('verify_rejected', 'the recipient is not an E.164 number; nothing was sent');
        if (channel !== 'sms' && channel !== 'call') throw fail('verify_rejected', "the channel must be 'sms' or 'call'; nothing was sent");
        if (typeof code !== 'string' || !/^[0-9]{4,10}$/.test(code)) throw fail('verify_rejected', 'the code is not 4 to 10 digits; nothing was sent');
        const form = { To: to, Channel: channel, CustomCode: code };
        if (typeof locale === 'string' && locale !== '') form.Locale = locale;
        let response = await post(ctx, config, base(), form);
        let localeDropped = false;
        // Verify answers 404 to a locale it does not support; Twilio's advice is to retry
        // without it, so that the number's country picks the language.
        if (response.status === 404 && form.Locale !== undefined) {
          delete form.Locale;
          localeDropped = true;
          response = await post(ctx, config, base(), form);
        }
        if (response.status < 200 || response.status > 299) throw statusFailure(response, 'the verification');
        const body = parseJson(response.text);
        const sid = body && typeof body.sid === 'string' && VERIFICATION_SID.test(body.sid) ? body.sid : undefined;
        // A 2xx is Twilio's word that the message is on its way, even when the body is odd.
        return localeDropped ? { sid, localeDropped } : { sid };
      });
    },

    /** Marks the pending verification of `to` as approved (Status=approved). */
    approve(to) {
      return run(async (ctx) => {
        if (typeof to !== 'string' || !E164.test(to)) throw fail('verify_rejected', 'the number is not E.164; nothing was sent');
        const response = await post(ctx, config, `${base()}/${encodeURIComponent(to)}`, { Status: 'approved' });
        if (response.status < 200 || response.status > 299) throw statusFailure(response, 'the feedback');
        const body = parseJson(response.text);
        const sid = body && typeof body.sid === 'string' && VERIFICATION_SID.test(body.sid) ? body.sid : undefined;
        return { sid };
      });
    },
  };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Twilio's error body `{code, message, more_info, status}`: only the numeric code is kept. */
function twilioCodeOf(response) {
  const body = parseJson(response.text);
  const code = body !== null && typeof body === 'object' ? body.code : undefined;
  return Number.isInteger(code) && code > 0 && code < 1000000 ? code : undefined;
}

function describeTwilioCode(code) {
  if (code === undefined) return '';
  const known = Object.prototype.hasOwnProperty.call(TWILIO_ERRORS, code) ? `: ${TWILIO_ERRORS[code]}` : '';
  return ` (Twilio error ${code}${known})`;
}

function statusFailure(response, what) {
  const { status } = response;
  const twilioCode = twilioCodeOf(response);
  const detail = `Twilio answered HTTP ${status} to ${what}${describeTwilioCode(twilioCode)}`;
  const extra = { twilioCode, status };
  if (status === 401 || status === 403) return fail('verify_unauthorized', detail, extra);
  if (status === 404) return fail('verify_not_found', detail, extra);
  if (status >= 300 && status < 400) return fail('verify_bad_response', `${detail}: a redirect, which is not followed`, extra);
  if (status >= 400 && status < 500) return fail('verify_rejected', detail, extra);
  return fail('verify_bad_response', detail, extra);
}

// ---- HTTP ---------------------------------------------------------------------------------

async function post(ctx, config, url, form) {
  const init = {
    method: 'POST',
    headers: {
      authorization: config.authorization,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: new URLSearchParams(form).toString(),
  };
  let rateLimitRetries = 0;
  let serverRetries = 0;
  for (;;) {
    const response = await send(ctx, url, init);
    const { status } = response;
    if (status === 429) {
      const twilioCode = twilioCodeOf(response);
      const extra = { twilioCode, status };
      if (NOT_RETRYABLE_429.has(twilioCode)) {
        throw fail('verify_rejected', `Twilio answered HTTP 429${describeTwilioCode(twilioCode)}`, extra);
      }
      const told = retryDelayMs(response.headers, ctx.now());
      if (rateLimitRetries >= MAX_RATE_LIMIT_RETRIES || (told === undefined && rateLimitRetries >= 1)) {
        throw fail('verify_rate_limited', `Twilio still answered 429 after ${rateLimitRetries} retries${describeTwilioCode(twilioCode)}`, extra);
      }
      const waitMs = told === undefined ? BLIND_RATE_LIMIT_BACKOFF_MS : told;
      if (!fitsBeforeDeadline(ctx, waitMs)) {
        throw fail('verify_rate_limited', `Twilio answered 429 and asked to wait ${Math.ceil(waitMs)} ms, which would pass the deadline`, extra);
      }
      rateLimitRetries += 1;
      await sleep(waitMs);
      continue;
    }
    if (status >= 500 && status <= 599) {
      const extra = { twilioCode: twilioCodeOf(response), status };
      if (serverRetries >= MAX_SERVER_RETRIES) {
        throw fail('verify_server_error', `Twilio answered HTTP ${status}, also after ${serverRetries} retries${describeTwilioCode(extra.twilioCode)}`, extra);
      }
      const waitMs = SERVER_BACKOFF_MS[serverRetries];
      if (!fitsBeforeDeadline(ctx, waitMs)) {
        throw fail('verify_server_error', `Twilio answered HTTP ${status} and no time is left to retry${describeTwilioCode(extra.twilioCode)}`, extra);
      }
      serverRetries += 1;
      await sleep(waitMs);
      continue;
    }
    return response;
  }
}

// One HTTP exchange, body included, within min(timeoutMs, time left before the deadline).
async function send(ctx, url, init) {
  return exchange(ctx, url, init, {
    deadlinePassed: () => fail('verify_timeout', 'the deadline passed before Twilio could be asked'),
    timeout: (budgetMs, cutByDeadline) =>
      fail('verify_timeout', cutByDeadline ? `Twilio did not answer before the deadline (${budgetMs} ms left)` : `Twilio did not answer within ${budgetMs} ms`),
    network: (error, phase) => networkFailure(error, phase),
    noResponse: () => fail('verify_bad_response', 'Twilio gave no HTTP response'),
    read: (response, controller) => readCappedText(response, controller),
    isOwn: (error) => error instanceof VerifyFailure,
    sent: () => {
      ctx.requests += 1;
    },
  });
}

function networkFailure(error, phase) {
  const code = errorCode(error);
  return fail('verify_network', `the connection to Twilio failed while ${phase}${code ? ` (${code})` : ''}`);
}

async function readCappedText(response, controller) {
  const bytes = await readCappedBytes(response, controller, MAX_BODY_BYTES, {
    tooLarge: () => fail('verify_bad_response', `Twilio sent more than ${MAX_BODY_BYTES} bytes; reading stopped`),
    notBytes: () => fail('verify_bad_response', 'the Twilio body is not bytes'),
    unreadable: () => fail('verify_bad_response', 'the Twilio body cannot be read'),
  });
  // Twilio's answers are JSON; a body that is not UTF-8 is simply unusable, not fatal.
  return new TextDecoder('utf-8').decode(bytes);
}

module.exports = { createVerifyClient, parseVerifyBaseUrl, VERIFY_FAILURES, TWILIO_ERRORS, DEFAULT_BASE_URL };
