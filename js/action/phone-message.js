'use strict';
// The phone-message Actions: Auth0's MFA (and custom-provider) codes delivered by Twilio Verify,
// and the post-login feedback that tells Verify which codes were used. The Rust core decides
// everything (recipient, channel, code and locale; the Verify requests and their retries;
// whether a login used a phone factor and which number; the log line and the Error); this file
// reads the event, performs the steps and hands the outcome to Auth0.

const { drive } = require('./transport.js');
const { codedError, logLine, safeGet } = require('./core.js');

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

/** The facts of a login the feedback reads, as JSON text; a value that cannot be serialized is left out. */
function loginFacts(event) {
  const user = safeGet(event, 'user');
  const facts = {
    methods: safeGet(safeGet(event, 'authentication'), 'methods'),
    phoneNumber: safeGet(user, 'phone_number'),
    userId: safeGet(user, 'user_id'),
    protocol: safeGet(safeGet(event, 'transaction'), 'protocol'),
  };
  for (const key of Object.keys(facts)) {
    try {
      JSON.stringify(facts[key]);
    } catch {
      delete facts[key];
    }
  }
  return JSON.stringify(facts);
}

const LATE = Symbol('late');

/** Writes the core's log line through warn() or log(). */
function report(logger, outcome) {
  if (outcome.line) logLine(logger, outcome.line, outcome.level);
}

/**
 * The phone-message part of the public API over the engine loader of createApi.
 * @param {() => object} loadEngine returns the initialised wasm glue (phone-message module).
 * @param {(options: unknown) => {fetch: typeof fetch, now: () => number, logger: object|undefined}} ioOptions
 */
function createPhoneMessageApi(loadEngine, ioOptions) {
  /** The handler state: the checked options in the core, or why nothing can be sent. */
  function prepare(kind, options) {
    const io = ioOptions(options);
    try {
      return { io, handler: new (loadEngine().PhoneMessageHandler)(kind, options) };
    } catch (error) {
      if (error && error.code === 'ENGINE_UNAVAILABLE') return { io, unavailable: error };
      throw error;
    }
  }

  const transport = (io, event, api) => ({ fetch: io.fetch, now: io.now, secrets: safeGet(event, 'secrets'), cache: safeGet(api, 'cache') });

  function createDeliveryHandler(kind, trigger, readEvent) {
    return (options) => {
      const { io, handler, unavailable } = prepare(kind, options);
      return async function onExecute(event) {
        if (unavailable) {
          logLine(io.logger, `${trigger}: ${unavailable.message}; nothing was sent`, 'warn');
          throw codedError('PHONE_MESSAGE_FAILED', unavailable.message, { reason: 'engine_unavailable' });
        }
        const machine = handler.deliver(...readEvent(event), io.now());
        let outcome;
        try {
          await drive(machine, transport(io, event));
          outcome = machine.outcome();
        } finally {
          machine.free();
        }
        report(io.logger, outcome);
        if (outcome.error) throw codedError(outcome.error.code, outcome.error.message, outcome.error.fields);
      };
    };
  }

  /**
   * `exports.onExecuteSendPhoneMessage = createSendPhoneMessageHandler(options)`.
   * Throws OPTIONS_INVALID at creation; during an execution, PHONE_MESSAGE_REFUSED (nothing
   * sent) or PHONE_MESSAGE_FAILED (Twilio did not take it), so that Auth0 records the failure.
   */
  const createSendPhoneMessageHandler = createDeliveryHandler('send-phone-message', 'send-phone-message', (event) => {
    const language = safeGet(safeGet(event, 'request'), 'language');
    return [fieldsJson(safeGet(event, 'message_options')), typeof language === 'string' ? language : undefined];
  });

  /**
   * `exports.onExecuteCustomPhoneProvider = createCustomPhoneProviderHandler(options)`.
   * The same contract as createSendPhoneMessageHandler, for `event.notification`.
   */
  const createCustomPhoneProviderHandler = createDeliveryHandler('custom-phone-provider', 'custom-phone-provider', (event) => [
    fieldsJson(safeGet(event, 'notification')),
    undefined,
  ]);

  /**
   * A post-login handler that posts Status=approved to Verify after a login that used an SMS
   * or voice factor. Resolves to what it did; never throws and never takes longer than
   * options.deadlineMs (plus a timer tick).
   */
  function createVerifyFeedbackHandler(options) {
    const { io, handler, unavailable } = prepare('verify-feedback', options);
    return async function onExecutePostLogin(event, api) {
      if (unavailable) {
        const outcome = { status: 'failed', reason: 'engine_unavailable', detail: unavailable.message, managementApiCalls: 0, verifyCalls: 0 };
        logLine(io.logger, `verify feedback: not sent (engine_unavailable): ${unavailable.message}; the login goes on`, 'warn');
        return outcome;
      }
      let machine;
      let work;
      let outcome;
      let timer;
      try {
        machine = handler.feedback(loginFacts(event), io.now());
        // The machine already stops at the deadline; this also covers a fetch or a stream that
        // ignores its abort signal, so the login is never held longer.
        const late = new Promise((resolve) => {
          timer = setTimeout(() => resolve(LATE), handler.guardMs);
        });
        work = drive(machine, transport(io, event, api)).then(() => undefined, (error) => error || new Error('error'));
        const settled = await Promise.race([work, late]);
        if (settled === LATE) outcome = machine.abandon();
        else if (settled) throw settled;
        else outcome = machine.outcome();
      } catch (error) {
        outcome = handler.internalError(String((error && error.code) || (error && error.name) || 'error'));
      } finally {
        clearTimeout(timer);
        // An abandoned machine answers done at its next step; it is freed once its driver stops.
        if (work) work.then(() => machine.free());
        else if (machine) machine.free();
      }
      report(io.logger, outcome);
      return outcome.result;
    };
  }

  return { createSendPhoneMessageHandler, createCustomPhoneProviderHandler, createVerifyFeedbackHandler };
}

module.exports = { createPhoneMessageApi };
