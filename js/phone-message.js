'use strict';
// The phone-message Actions: Auth0's MFA (and custom-provider) codes delivered by Twilio Verify,
// and the post-login feedback that tells Verify which codes were used. The Rust core decides
// (recipient, channel, code and locale of a delivery; whether a login used a phone factor and
// which number); this file only reads the event, does the I/O and turns outcomes into log lines
// and Errors. No log line or Error ever carries the auth token, the code or more than the last
// 4 digits of a number.

const { createVerifyClient, parseVerifyBaseUrl, DEFAULT_BASE_URL } = require('./verify.js');
const { createManagementClient } = require('./management.js');

const SEND_DEFAULTS = Object.freeze({
  // Twilio usually answers within a second; a send that takes longer is worth waiting for, as
  // the user is looking at the code prompt.
  timeoutMs: 3000,
  // All Actions of a trigger share 20 s.
  deadlineMs: 8000,
});

const FEEDBACK_DEFAULTS = Object.freeze({
  // The user is waiting for the login to finish: the whole feedback gets 1.5 s at most.
  timeoutMs: 1000,
  deadlineMs: 1500,
  // Verify's default code lifetime: a phone factor older than this belongs to an earlier login.
  maxAgeSeconds: 600,
  mfaEndpoint: 'authentication-methods',
});

const SEND_OPTIONS = ['fetch', 'timeoutMs', 'deadlineMs', 'logger', 'now', 'verifyBaseUrl'];
const FEEDBACK_OPTIONS = [...SEND_OPTIONS, 'maxAgeSeconds', 'mfaEndpoint'];

// Skips that happen on most logins and need no one's attention: not logged.
const QUIET_SKIPS = new Set(['refresh_token', 'no_phone_factor', 'factor_not_recent']);

function codedError(code, message, extra) {
  const error = new Error(message);
  error.code = code;
  if (extra) {
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) error[key] = value;
  }
  return error;
}

function optionsError(message) {
  return codedError('OPTIONS_INVALID', message);
}

function checkOptions(options, known, defaults) {
  if (options === undefined || options === null) return { ...defaults, baseUrl: DEFAULT_BASE_URL };
  if (typeof options !== 'object') throw optionsError('options must be an object');
  const unknown = Object.keys(options).filter((key) => !known.includes(key));
  if (unknown.length) throw optionsError(`unknown option(s): ${unknown.join(', ')}; allowed: ${known.join(', ')}`);
  const merged = { ...defaults };
  for (const key of known) if (options[key] !== undefined) merged[key] = options[key];
  for (const key of ['timeoutMs', 'deadlineMs']) {
    const value = merged[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw optionsError(`options.${key} must be a positive number of milliseconds`);
    }
  }
  for (const key of ['fetch', 'now']) {
    if (merged[key] !== undefined && typeof merged[key] !== 'function') throw optionsError(`options.${key} must be a function`);
  }
  if (merged.logger !== undefined && (merged.logger === null || typeof merged.logger !== 'object')) {
    throw optionsError('options.logger must be an object with warn()/log()');
  }
  if (known.includes('maxAgeSeconds')) {
    const age = merged.maxAgeSeconds;
    if (!Number.isInteger(age) || age < 1 || age > 86400) throw optionsError('options.maxAgeSeconds must be a whole number of seconds from 1 to 86400');
    if (merged.mfaEndpoint !== 'authentication-methods' && merged.mfaEndpoint !== 'enrollments') {
      throw optionsError("options.mfaEndpoint must be 'authentication-methods' or 'enrollments'");
    }
  }
  merged.baseUrl = DEFAULT_BASE_URL;
  if (merged.verifyBaseUrl !== undefined) {
    try {
      merged.baseUrl = parseVerifyBaseUrl(merged.verifyBaseUrl);
    } catch (error) {
      throw optionsError(`options.${error.message}`);
    }
  }
  return merged;
}

/** One line to the logger: warnings through warn(), the rest through log(). Never throws. */
function logLine(logger, level, line) {
  try {
    const sink = logger || console;
    const preferred = level === 'warn' ? sink.warn : sink.log;
    const fallback = level === 'warn' ? sink.log : sink.warn;
    const write = typeof preferred === 'function' ? preferred : fallback;
    if (typeof write === 'function') write.call(sink, `login-claims: ${line}`);
  } catch {
    // A logger that throws must not change the outcome.
  }
}

function safeGet(object, key) {
  try {
    return object !== null && typeof object === 'object' ? object[key] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The own string/number/boolean/null fields of a trigger object, as JSON text ('null' when it
 * is not an object or cannot be read). Nested values are left out: the core reads none.
 */
function fieldsJson(object) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return 'null';
  try {
    const copy = {};
    for (const key of Object.keys(object)) {
      const value = object[key];
      const type = typeof value;
      if (value === null || type === 'string' || type === 'number' || type === 'boolean') {
        Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    return JSON.stringify(copy);
  } catch {
    return 'null';
  }
}

/** JSON of an event value, or undefined when it is absent or cannot be serialized. */
function jsonValue(value) {
  if (value === undefined) return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describe(plan) {
  return `${plan.channel === 'call' ? 'voice call' : 'SMS'} to ${plan.toRedacted || 'the recipient'}`;
}

/**
 * The phone-message part of the public API over the engine loader of createApi.
 * @param {() => object} loadEngine returns the initialised wasm glue.
 */
function createPhoneMessageApi(loadEngine) {
  /** The engine, or the ENGINE_UNAVAILABLE error when this runtime has no WebAssembly. */
  function engineOrUnavailable() {
    try {
      return { engine: loadEngine() };
    } catch (error) {
      if (error && error.code === 'ENGINE_UNAVAILABLE') return { unavailable: error };
      throw error;
    }
  }

  /** Without an engine nothing can be checked or sent: the documented delivery failure. */
  function undeliverable(unavailable, options, trigger) {
    logLine(options.logger, 'warn', `${trigger}: ${unavailable.message}; nothing was sent`);
    return codedError('PHONE_MESSAGE_FAILED', unavailable.message, { reason: 'engine_unavailable' });
  }

  /** Sends one planned message, or throws the Error that makes Auth0 record a failed delivery. */
  async function deliver(planText, event, options, trigger) {
    const plan = JSON.parse(planText);
    if (plan.status === 'refused') {
      const parts = [plan.reason, plan.detail].filter(Boolean).join(', ');
      const to = plan.recipientRedacted ? ` for ${plan.recipientRedacted}` : '';
      logLine(options.logger, 'warn', `${trigger}: refused${to} (${parts}): ${plan.message}`);
      throw codedError('PHONE_MESSAGE_REFUSED', `login-claims: ${plan.message}`, {
        reason: plan.reason,
        detail: plan.detail === null ? undefined : plan.detail,
      });
    }
    const started = (options.now || Date.now)();
    const client = createVerifyClient({
      secrets: safeGet(event, 'secrets'),
      fetch: options.fetch || globalThis.fetch,
      timeoutMs: options.timeoutMs,
      deadline: started + options.deadlineMs,
      now: options.now,
      baseUrl: options.baseUrl,
    });
    const result = await client.send({ to: plan.to, channel: plan.channel, code: plan.code, locale: plan.locale || undefined });
    if (!result.ok) {
      const twilio = result.twilioCode === undefined ? '' : `, Twilio error ${result.twilioCode}`;
      logLine(options.logger, 'warn', `${trigger}: ${describe(plan)} failed (${result.reason}${twilio}): ${result.detail}`);
      throw codedError('PHONE_MESSAGE_FAILED', `login-claims: Twilio Verify did not take the ${describe(plan)}: ${result.detail}`, {
        reason: result.reason,
        twilioCode: result.twilioCode,
        status: result.status,
        moreInfo: result.twilioCode === undefined ? undefined : `https://www.twilio.com/docs/errors/${result.twilioCode}`,
      });
    }
    const notes = [];
    if (plan.locale && !result.localeDropped) notes.push(`locale ${plan.locale}`);
    if (plan.localeDropped) notes.push("the event's locale is not one Verify supports, so Verify picks one");
    if (result.localeDropped) notes.push(`Verify refused locale ${plan.locale}, sent again without it`);
    logLine(options.logger, 'log', `${trigger}: ${describe(plan)} handed to Twilio Verify${result.sid ? ` (${result.sid})` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`);
  }

  /**
   * `exports.onExecuteSendPhoneMessage = createSendPhoneMessageHandler(options)`.
   * Throws OPTIONS_INVALID at creation; during an execution, PHONE_MESSAGE_REFUSED (nothing
   * sent) or PHONE_MESSAGE_FAILED (Twilio did not take it), so that Auth0 records the failure.
   */
  function createSendPhoneMessageHandler(options) {
    const checked = checkOptions(options, SEND_OPTIONS, SEND_DEFAULTS);
    const { engine, unavailable } = engineOrUnavailable();
    return async function onExecuteSendPhoneMessage(event) {
      if (unavailable) throw undeliverable(unavailable, checked, 'send-phone-message');
      const language = safeGet(safeGet(event, 'request'), 'language');
      const planText = engine.planSendPhoneMessage(
        fieldsJson(safeGet(event, 'message_options')),
        typeof language === 'string' ? language : undefined
      );
      await deliver(planText, event, checked, 'send-phone-message');
    };
  }

  /**
   * `exports.onExecuteCustomPhoneProvider = createCustomPhoneProviderHandler(options)`.
   * The same contract as createSendPhoneMessageHandler, for `event.notification`.
   */
  function createCustomPhoneProviderHandler(options) {
    const checked = checkOptions(options, SEND_OPTIONS, SEND_DEFAULTS);
    const { engine, unavailable } = engineOrUnavailable();
    return async function onExecuteCustomPhoneProvider(event) {
      if (unavailable) throw undeliverable(unavailable, checked, 'custom-phone-provider');
      const planText = engine.planCustomPhoneProvider(fieldsJson(safeGet(event, 'notification')));
      await deliver(planText, event, checked, 'custom-phone-provider');
    };
  }

  /**
   * A post-login handler that posts Status=approved to Verify after a login that used an SMS
   * or voice factor. Resolves to what it did; never throws and never takes longer than
   * options.deadlineMs (plus a timer tick).
   */
  function createVerifyFeedbackHandler(options) {
    const checked = checkOptions(options, FEEDBACK_OPTIONS, FEEDBACK_DEFAULTS);
    const { engine, unavailable } = engineOrUnavailable();

    async function run(event, api, counts) {
      if (unavailable) return { status: 'failed', reason: 'engine_unavailable', detail: unavailable.message };
      const now = checked.now || Date.now;
      const started = now();
      const deadline = started + checked.deadlineMs;
      const user = safeGet(event, 'user');
      const facts = {
        methods: jsonValue(safeGet(safeGet(event, 'authentication'), 'methods')),
        phoneNumber: jsonValue(safeGet(user, 'phone_number')),
        userId: jsonValue(safeGet(user, 'user_id')),
        protocol: jsonValue(safeGet(safeGet(event, 'transaction'), 'protocol')),
        nowMs: started,
        maxAgeSeconds: checked.maxAgeSeconds,
        mfaEndpoint: checked.mfaEndpoint,
      };
      let plan = JSON.parse(engine.planVerifyFeedback(JSON.stringify(facts)));
      if (plan.status === 'lookup') {
        const management = createManagementClient({
          secrets: safeGet(event, 'secrets'),
          fetch: checked.fetch || globalThis.fetch,
          timeoutMs: checked.timeoutMs,
          deadline,
          cache: safeGet(api, 'cache'),
          now: checked.now,
        });
        const lookup = await management.lookup(plan.lookup.userId, plan.lookup.endpoint);
        counts.managementApiCalls += lookup.requests || 0;
        const report = lookup.ok ? { ok: true, methods: lookup.methods } : { ok: false, reason: lookup.reason };
        plan = JSON.parse(engine.finishVerifyFeedback(JSON.stringify(report)));
        if (!lookup.ok) plan.lookupDetail = lookup.detail;
      }
      if (plan.status === 'skip') {
        return { status: 'skipped', reason: plan.reason, detail: plan.detail || undefined, lookupDetail: plan.lookupDetail };
      }
      const verify = createVerifyClient({
        secrets: safeGet(event, 'secrets'),
        fetch: checked.fetch || globalThis.fetch,
        timeoutMs: checked.timeoutMs,
        deadline,
        now: checked.now,
        baseUrl: checked.baseUrl,
      });
      const approved = await verify.approve(plan.to);
      counts.verifyCalls += approved.requests;
      if (approved.ok) return { status: 'approved', source: plan.source, to: plan.toRedacted, sid: approved.sid };
      // Nothing pending for that number: the code was not sent through this Verify service, or
      // was already approved (another Action, an SSO login moments earlier).
      if (approved.reason === 'verify_not_found') return { status: 'skipped', reason: 'verify_nothing_pending', source: plan.source, to: plan.toRedacted };
      return { status: 'failed', reason: approved.reason, detail: approved.detail, twilioCode: approved.twilioCode, source: plan.source, to: plan.toRedacted };
    }

    function report(result) {
      const to = result.to ? ` for ${result.to}` : '';
      if (result.status === 'approved') {
        logLine(checked.logger, 'log', `verify feedback: approved${to} (${result.source})`);
      } else if (result.status === 'failed') {
        logLine(checked.logger, 'warn', `verify feedback: not sent${to} (${result.reason}${result.twilioCode ? `, Twilio error ${result.twilioCode}` : ''}): ${result.detail}; the login goes on`);
      } else if (result.reason === 'verify_nothing_pending') {
        logLine(checked.logger, 'log', `verify feedback: no pending verification${to}; nothing to approve`);
      } else if (!QUIET_SKIPS.has(result.reason)) {
        const detail = [result.detail, result.lookupDetail].filter(Boolean).join(': ');
        logLine(checked.logger, 'warn', `verify feedback: skipped (${result.reason}${detail ? `, ${detail}` : ''}); the login goes on`);
      }
    }

    return async function onExecutePostLogin(event, api) {
      const counts = { managementApiCalls: 0, verifyCalls: 0 };
      let timer;
      // The clients already stop at the deadline; this also covers a fetch or a stream that
      // ignores its abort signal, so the login is never held longer.
      const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve({ status: 'failed', reason: 'deadline', detail: `the feedback took longer than ${checked.deadlineMs} ms and was abandoned` }), checked.deadlineMs + 50);
      });
      const work = Promise.resolve()
        .then(() => run(event, api, counts))
        .catch((error) => ({ status: 'failed', reason: 'internal_error', detail: `unexpected ${(error && error.code) || (error && error.name) || 'error'}` }));
      let result;
      try {
        result = await Promise.race([work, late]);
      } finally {
        clearTimeout(timer);
      }
      const outcome = { ...result, managementApiCalls: counts.managementApiCalls, verifyCalls: counts.verifyCalls };
      for (const key of Object.keys(outcome)) if (outcome[key] === undefined) delete outcome[key];
      report(outcome);
      return outcome;
    };
  }

  return { createSendPhoneMessageHandler, createCustomPhoneProviderHandler, createVerifyFeedbackHandler };
}

module.exports = { createPhoneMessageApi, SEND_DEFAULTS, FEEDBACK_DEFAULTS };
