'use strict';
// Phone-message delivery through Twilio Verify and its post-login feedback, end to end: the real
// package (repository or packed tarball), a local Verify stand-in and the sample tenant over real
// HTTP on 127.0.0.1. One test per rule a user relies on; each fails if its rule breaks.

const { describe, it, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { loadPackage, loadPhonePackage, packageFile, root, phoneRoot, cliRoot } = require('./under-test.js');

const { startSampleVerify } = packageFile('js/tools/sample-verify.js');
const { startSampleTenant } = packageFile('js/tools/sample-tenant.js');
const { _resetForTests } = require('./lookup-client.js');

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'authtoken-4f9d2c7e1b8a';
const SERVICE_SID = `VA${'b2'.repeat(16)}`;
const SECRETS = { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_VERIFY_SID: SERVICE_SID };
const CLIENT_ID = 'feedback-client';
const CLIENT_SECRET = 'feedback-secret-51c0ffee';
const VERIFICATIONS = `/v2/Services/${SERVICE_SID}/Verifications`;

let lc;
let verify;
let tenant;
const logs = [];
const logger = { warn: (line) => logs.push(String(line)), log: (line) => logs.push(String(line)) };
// Every code and full number a test hands to a handler: none may reach a log line.
const codesUsed = new Set();
const numbersUsed = new Set();

function sendEvent({ recipient = '+1 (415) 555-0142', code = '482910', messageType = 'sms', language, secrets = SECRETS, action = 'second-factor-authentication' } = {}) {
  if (/^[0-9]{4,}$/.test(String(code))) codesUsed.add(String(code));
  if (typeof recipient === 'string') numbersUsed.add(recipient.replace(/[^0-9]/g, ''));
  const event = {
    message_options: { action, code, message_type: messageType, recipient, text: `Your verification code is ${code}` },
    request: { ip: '203.0.113.7', hostname: 'tenant.example.com', method: 'POST' },
    user: { user_id: 'auth0|u1' },
    secrets,
  };
  if (language !== undefined) event.request.language = language;
  return event;
}

function notificationEvent(notification) {
  if (notification.code) codesUsed.add(notification.code);
  if (notification.recipient) numbersUsed.add(String(notification.recipient).replace(/[^0-9]/g, ''));
  return { notification, secrets: SECRETS };
}

/** A post-login event whose session completed `methods` (timestamps default to now). */
function loginEvent({ methods = [], userId = 'auth0|mfa-sms', phoneNumber, protocol = 'oidc-basic-profile', secrets = {} } = {}) {
  const now = new Date().toISOString();
  return {
    authentication: { methods: methods.map((m) => ({ timestamp: now, ...m })) },
    transaction: { protocol, requested_scopes: ['openid'] },
    request: { ip: '203.0.113.7' },
    user: { user_id: userId, phone_number: phoneNumber, enrolledFactors: [{ type: 'phone' }] },
    secrets: { ...SECRETS, AUTH0_DOMAIN: tenant.url, MANAGEMENT_CLIENT_ID: CLIENT_ID, MANAGEMENT_CLIENT_SECRET: CLIENT_SECRET, ...secrets },
  };
}

function phoneMethod(id, number, channel) {
  numbersUsed.add(number.replace(/[^0-9]/g, ''));
  return {
    id: `phone|${id}`, type: 'phone', confirmed: true, phone_number: number,
    preferred_authentication_method: channel, authentication_methods: [{ id: `${channel}|${id}`, type: channel }],
    created_at: '2024-05-01T10:00:00.000Z', enrolled_at: '2024-05-01T10:00:00.000Z',
  };
}

/** A fetch that records every call and passes it on. */
function recordingFetch(inner = (url, init) => globalThis.fetch(url, init)) {
  const calls = [];
  const fetch = (url, init) => {
    calls.push({ url: String(url), init });
    return inner(url, init);
  };
  return { fetch, calls };
}

const sendHandler = (options = {}) => lc.createSendPhoneMessageHandler({ verifyBaseUrl: verify.url, logger, ...options });
const providerHandler = (options = {}) => lc.createCustomPhoneProviderHandler({ verifyBaseUrl: verify.url, logger, ...options });
const feedbackHandler = (options = {}) => lc.createVerifyFeedbackHandler({ verifyBaseUrl: verify.url, logger, ...options });

async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the handler to throw');
}

before(async () => {
  // The phone-message handlers from their own package; the rest (createPostLoginHandler,
  // createMemoryCache) from the post-login one, as an Action with both dependencies has them.
  lc = { ...(await loadPackage()), ...(await loadPhonePackage()) };
  verify = await startSampleVerify({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, serviceSid: SERVICE_SID });
  tenant = await startSampleTenant({
    users: {
      'auth0|mfa-sms': { authentication_methods: [phoneMethod('p1', '+14155550177', 'sms'), { id: 'totp|t1', type: 'totp', confirmed: true }] },
      'auth0|mfa-voice': { authentication_methods: [phoneMethod('p2', '+447700900123', 'voice')] },
    },
    clients: { [CLIENT_ID]: CLIENT_SECRET },
  });
});

after(async () => {
  await verify.close();
  await tenant.close();
  // Nothing logged by any test may carry the auth token, a code or a full phone number.
  const text = logs.join('\n');
  assert.ok(logs.length > 10, 'the handlers logged');
  assert.ok(!text.includes(AUTH_TOKEN), 'auth token in logs');
  assert.ok(!text.includes(CLIENT_SECRET), 'client secret in logs');
  assert.ok(!/Basic |Bearer /.test(text), 'an Authorization header in logs');
  for (const code of codesUsed) assert.ok(!text.includes(code), `code ${code} in logs`);
  // Verification SIDs (VE + 32 hex) and ports may hold digit runs; neither is a number.
  const scrubbed = text.replace(/VE[0-9a-f]{32}/g, 'VE…').replace(/:\d{2,5}\b/g, ':PORT');
  assert.ok(!/\d{7,}/.test(scrubbed), `a long digit run (a phone number?) in logs: ${scrubbed}`);
  for (const number of numbersUsed) {
    if (number.length >= 7) assert.ok(!scrubbed.includes(number.slice(-7)), `number ending ${number.slice(-4)} in logs`);
  }
});

beforeEach(() => {
  _resetForTests();
  verify.resetRequests();
  verify.clearFaults();
  verify.clearVerifications();
  tenant.resetRequests();
  tenant.clearFaults();
  tenant.setMaskNumbers(false);
});

describe('public API', () => {
  const names = ['createSendPhoneMessageHandler', 'createCustomPhoneProviderHandler', 'createVerifyFeedbackHandler'];

  it('login-claims-phone-message exports the three handlers through CommonJS and ESM as one function each', async () => {
    const esm = await import(require('node:url').pathToFileURL(path.join(phoneRoot, 'js', 'phone-message', 'index.mjs')).href);
    const cjs = require(path.join(phoneRoot, 'js', 'phone-message', 'index.js'));
    assert.deepEqual(Object.keys(cjs).sort(), [...names].sort());
    for (const name of names) {
      assert.equal(typeof lc[name], 'function', name);
      assert.equal(esm[name], cjs[name], `${name} is one function in both`);
    }
  });

  it('login-claims forwards the three to the phone-message module, through CommonJS and ESM', async () => {
    const esm = await import(require('node:url').pathToFileURL(path.join(root, 'js', 'action', 'index.mjs')).href);
    const cjs = require(root);
    for (const name of names) {
      assert.equal(typeof cjs[name], 'function', name);
      assert.equal(esm[name], cjs[name], `${name} is one function in both`);
    }
    // A handler made through the forward delivers like one made by the phone-message package.
    await cjs.createSendPhoneMessageHandler({ verifyBaseUrl: verify.url, logger })(sendEvent({ recipient: '+14155550119', code: '583929' }), {});
    assert.deepEqual(verify.requests[0].form, { To: '+14155550119', Channel: 'sms', CustomCode: '583929' });
  });

  it('refuses invalid options when the handler is created', () => {
    const bad = [
      7,
      { retries: 3 },
      { timeoutMs: 0 },
      { deadlineMs: 'soon' },
      { fetch: 'fetch' },
      { logger: 'console' },
      { verifyBaseUrl: 'http://verify.example.com' },
      { verifyBaseUrl: 'https://verify.twilio.com/v2' },
      { verifyBaseUrl: 'https://user:pass@verify.twilio.com' },
      { verifyBaseUrl: 'ftp://127.0.0.1' },
      { verifyBaseUrl: 'verify.twilio.com' },
    ];
    for (const create of ['createSendPhoneMessageHandler', 'createCustomPhoneProviderHandler', 'createVerifyFeedbackHandler']) {
      for (const options of bad) assert.throws(() => lc[create](options), { code: 'OPTIONS_INVALID' }, `${create} ${JSON.stringify(options)}`);
    }
    for (const options of [{ maxAgeSeconds: 0 }, { maxAgeSeconds: 1.5 }, { maxAgeSeconds: 86401 }, { mfaEndpoint: 'users' }]) {
      assert.throws(() => lc.createVerifyFeedbackHandler(options), { code: 'OPTIONS_INVALID' });
      assert.throws(() => lc.createSendPhoneMessageHandler(options), { code: 'OPTIONS_INVALID' }, 'feedback-only options');
    }
    // https anywhere and plain http to loopback are accepted.
    lc.createSendPhoneMessageHandler({ verifyBaseUrl: 'https://verify.twilio.com' });
    lc.createSendPhoneMessageHandler({ verifyBaseUrl: 'http://localhost:8080/' });
    lc.createVerifyFeedbackHandler({ verifyBaseUrl: 'http://[::1]:8080', maxAgeSeconds: 60, mfaEndpoint: 'enrollments' });
  });
});

describe('send-phone-message', () => {
  it('sends To in E.164, Channel sms, CustomCode and Locale, form-encoded with basic auth', async () => {
    const { fetch, calls } = recordingFetch();
    const result = await sendHandler({ fetch })(sendEvent({ language: 'pt_BR' }), { cache: lc.createMemoryCache() });
    assert.equal(result, undefined);
    assert.equal(verify.requests.length, 1);
    const request = verify.requests[0];
    assert.equal(request.method, 'POST');
    assert.equal(request.path, VERIFICATIONS);
    assert.equal(request.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual(request.form, { To: '+14155550142', Channel: 'sms', CustomCode: '482910', Locale: 'pt-BR' });
    assert.equal(request.status, 201);
    assert.equal(request.authorized, true);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].init.headers.authorization, `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    assert.equal(calls[0].init.redirect, 'manual', 'the Authorization header never follows a redirect');
    assert.equal(verify.verificationFor('+14155550142').code, '482910');
  });

  it("voice becomes Verify's call channel", async () => {
    await sendHandler()(sendEvent({ messageType: 'voice', recipient: '+44 7700 900123', code: '771203' }));
    assert.equal(verify.requests[0].form.Channel, 'call');
    assert.equal(verify.requests[0].form.To, '+447700900123');
  });

  it('maps the language to a Verify locale, and leaves an unsupported one out', async () => {
    const send = sendHandler();
    for (const [language, expected] of [['en-US', 'en'], ['zh-Hant-HK', 'zh-HK'], ['tlh', undefined], ['zh-TW', undefined], [undefined, undefined]]) {
      verify.resetRequests();
      await send(sendEvent({ language, code: '550381' }));
      assert.equal(verify.requests.length, 1);
      assert.equal(verify.requests[0].form.Locale, expected, String(language));
    }
  });

  it('a locale Verify refuses with 404 is sent once more without it', async () => {
    // "ko" is a Verify locale, but this stand-in's service does not take it.
    await sendHandler()(sendEvent({ language: 'ko-KR', recipient: '+82 10 1234 5678', code: '660192' }));
    assert.deepEqual(verify.requests.map((r) => [r.form.Locale, r.status]), [['ko', 404], [undefined, 201]]);
    assert.ok(logs.some((line) => /sent again without it/.test(line)));
  });

  it('an invalid recipient is never sent', async () => {
    const { fetch, calls } = recordingFetch();
    const send = sendHandler({ fetch });
    for (const [recipient, detail] of [
      ['4155550142', 'phone_not_international'],
      ['+1 415 55', 'phone_too_short'],
      ['+999 4155 5501 42', 'phone_unknown_country_code'],
      ['+1 415 555 0142 ;ext=12', 'phone_has_extension'],
      ['+1-800-FLOWERS', 'phone_bad_characters'],
      ['', 'phone_empty'],
      [14155550142, 'phone_not_a_string'],
      [null, 'phone_not_a_string'],
    ]) {
      const error = await rejection(send(sendEvent({ recipient })));
      assert.ok(error instanceof Error);
      assert.equal(error.code, 'PHONE_MESSAGE_REFUSED', String(recipient));
      assert.equal(error.reason, 'recipient_invalid');
      assert.equal(error.detail, detail, String(recipient));
    }
    const noRecipient = sendEvent();
    delete noRecipient.message_options.recipient;
    assert.equal((await rejection(send(noRecipient))).detail, 'phone_not_a_string');
    assert.equal(calls.length, 0, 'no request left the Action');
    assert.equal(verify.requests.length, 0);
  });

  it('a masked recipient is refused', async () => {
    const { fetch, calls } = recordingFetch();
    for (const recipient of ['XXXXXXXX0142', '+1415XXXXX42', '+1 415 555 ****']) {
      const error = await rejection(sendHandler({ fetch })(sendEvent({ recipient })));
      assert.equal(error.code, 'PHONE_MESSAGE_REFUSED');
      assert.equal(error.detail, 'phone_masked');
      assert.match(error.message, /masked/);
    }
    assert.equal(calls.length, 0);
    assert.match(logs[logs.length - 1], /refused for …5 \*\*\*\*|refused.*phone_masked/);
  });

  it('a code that is not 4 to 10 digits, or an unknown message type, is refused without a request', async () => {
    const send = sendHandler();
    for (const code of ['123', '12345678901', '12 345', 'abcdef', 123456]) {
      const error = await rejection(send(sendEvent({ code })));
      assert.equal(error.reason, 'code_invalid', String(code));
      assert.ok(!error.message.includes(String(code)) || String(code).length < 4, 'the code is not quoted');
    }
    const unknown = await rejection(send(sendEvent({ messageType: 'whatsapp' })));
    assert.equal(unknown.reason, 'message_type_unknown');
    const missing = await rejection(send({ secrets: SECRETS }));
    assert.equal(missing.reason, 'event_invalid');
    assert.equal(verify.requests.length, 0);
  });

  it('basic auth: a wrong token fails with Twilio 20003 on the thrown Error', async () => {
    const error = await rejection(sendHandler()(sendEvent({ secrets: { ...SECRETS, TWILIO_AUTH_TOKEN: 'not-the-token' } })));
    assert.equal(error.code, 'PHONE_MESSAGE_FAILED');
    assert.equal(error.reason, 'verify_unauthorized');
    assert.equal(error.twilioCode, 20003);
    assert.equal(error.status, 401);
    assert.equal(error.moreInfo, 'https://www.twilio.com/docs/errors/20003');
    assert.equal(verify.requests[0].authorized, false);
  });

  it('missing or malformed secrets fail before anything is sent', async () => {
    const { fetch, calls } = recordingFetch();
    for (const secrets of [{}, null, 'secrets', { ...SECRETS, TWILIO_VERIFY_SID: 'MG123' }, { ...SECRETS, TWILIO_ACCOUNT_SID: 'AC1' }, { ...SECRETS, TWILIO_AUTH_TOKEN: 'a b' }]) {
      const error = await rejection(sendHandler({ fetch })(sendEvent({ secrets })));
      assert.equal(error.code, 'PHONE_MESSAGE_FAILED');
      assert.equal(error.reason, 'verify_not_configured');
    }
    assert.equal(calls.length, 0);
  });

  it("Twilio's error code (and not its message, which quotes the number) reaches the Error", async () => {
    verify.failNext({ path: VERIFICATIONS, status: 400, code: 60410, body: JSON.stringify({ code: 60410, message: 'Verification delivery attempt blocked for +14155550142', more_info: 'https://www.twilio.com/docs/errors/60410', status: 400 }) });
    const error = await rejection(sendHandler()(sendEvent()));
    assert.equal(error.reason, 'verify_rejected');
    assert.equal(error.twilioCode, 60410);
    assert.equal(error.status, 400);
    assert.match(error.message, /Twilio error 60410: delivery blocked by Verify Fraud Guard/);
    assert.ok(!error.message.includes('4155550142'));
  });

  it('429 is retried after the Retry-After the answer asks for', async () => {
    verify.failNext({ path: VERIFICATIONS, status: 429, code: 20429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await sendHandler()(sendEvent({ code: '310475' }));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
    assert.deepEqual(verify.requests.map((r) => r.status), [429, 201]);
  });

  it('429 whose Retry-After would pass the deadline fails at once; 60203 is never retried', async () => {
    verify.failNext({ path: VERIFICATIONS, status: 429, code: 20429, headers: { 'retry-after': '30' } });
    const started = Date.now();
    const late = await rejection(sendHandler()(sendEvent()));
    assert.ok(Date.now() - started < 1000);
    assert.equal(late.reason, 'verify_rate_limited');
    assert.equal(late.twilioCode, 20429);
    verify.resetRequests();
    verify.failNext({ path: VERIFICATIONS, status: 429, code: 60203 });
    const capped = await rejection(sendHandler()(sendEvent()));
    assert.equal(capped.reason, 'verify_rejected');
    assert.equal(capped.twilioCode, 60203);
    assert.equal(verify.requests.length, 1, 'no retry for a per-number limit');
  });

  it("5xx is retried twice, then fails with Twilio's code on the thrown Error", async () => {
    verify.failNext({ path: VERIFICATIONS, status: 503, code: 20503, times: 3 });
    const error = await rejection(sendHandler()(sendEvent()));
    assert.equal(error.code, 'PHONE_MESSAGE_FAILED');
    assert.equal(error.reason, 'verify_server_error');
    assert.equal(error.twilioCode, 20503);
    assert.equal(error.status, 503);
    assert.deepEqual(verify.requests.map((r) => r.status), [503, 503, 503]);
    verify.resetRequests();
    verify.failNext({ path: VERIFICATIONS, status: 500 });
    await sendHandler()(sendEvent({ code: '908172' }));
    assert.deepEqual(verify.requests.map((r) => r.status), [500, 201]);
  });

  it('a slow Verify times out within timeoutMs, and nothing is retried after a timeout', async () => {
    verify.failNext({ path: VERIFICATIONS, delayMs: 3000, status: 201 });
    const started = Date.now();
    const error = await rejection(sendHandler({ timeoutMs: 200 })(sendEvent()));
    assert.ok(Date.now() - started < 900, `took ${Date.now() - started} ms`);
    assert.equal(error.reason, 'verify_timeout');
    assert.equal(verify.requests.length, 1);
  });

  it('options.fetch carries every call; connection failures are verify_network', async () => {
    const { fetch, calls } = recordingFetch(() => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })));
    const error = await rejection(sendHandler({ fetch })(sendEvent()));
    assert.equal(error.reason, 'verify_network');
    assert.match(error.message, /ECONNREFUSED/);
    assert.equal(calls.length, 1);
    assert.equal(verify.requests.length, 0, 'nothing reached Verify around options.fetch');
  });

  it('a redirect is not followed', async () => {
    verify.failNext({ path: VERIFICATIONS, status: 302, headers: { location: 'https://elsewhere.example/' }, body: '' });
    const error = await rejection(sendHandler()(sendEvent()));
    assert.equal(error.reason, 'verify_bad_response');
    assert.equal(verify.requests.length, 1);
  });
});

describe('custom-phone-provider', () => {
  it('text and voice notifications with their locale', async () => {
    const send = providerHandler();
    await send(notificationEvent({ recipient: '+33 6 12 34 56 78', code: '204816', delivery_method: 'text', locale: 'fr-CA', message_type: 'otp_verify', as_text: 'Code 204816' }));
    await send(notificationEvent({ recipient: '+33612345678', code: '204817', delivery_method: 'voice', message_type: 'otp_enroll' }));
    assert.deepEqual(verify.requests.map((r) => r.form), [
      { To: '+33612345678', Channel: 'sms', CustomCode: '204816', Locale: 'fr' },
      { To: '+33612345678', Channel: 'call', CustomCode: '204817' },
    ]);
  });

  it('a notification without a code is refused: Verify only delivers codes', async () => {
    const error = await rejection(providerHandler()(notificationEvent({ recipient: '+33612345678', delivery_method: 'text', message_type: 'blocked_account', as_text: 'Your account was blocked' })));
    assert.equal(error.code, 'PHONE_MESSAGE_REFUSED');
    assert.equal(error.reason, 'code_missing');
    assert.match(error.message, /blocked_account/);
    const masked = await rejection(providerHandler()(notificationEvent({ recipient: '+33XXXXXXX78', code: '204818' })));
    assert.equal(masked.detail, 'phone_masked');
    assert.equal(verify.requests.length, 0);
  });
});

describe('Verify feedback after the login', () => {
  it('passwordless SMS: Status=approved for the profile number', async () => {
    await sendHandler()(sendEvent({ recipient: '+14155550188', code: '640213' }));
    const { fetch, calls } = recordingFetch();
    const result = await feedbackHandler({ fetch })(loginEvent({ methods: [{ name: 'sms' }], userId: 'sms|abc', phoneNumber: '+14155550188' }), {});
    assert.deepEqual(result, { status: 'approved', source: 'passwordless_sms', to: '…0188', sid: verify.verificationFor('+14155550188').sid, managementApiCalls: 0, verifyCalls: 1 });
    const request = verify.requests[verify.requests.length - 1];
    assert.equal(request.path, `${VERIFICATIONS}/+14155550188`);
    assert.deepEqual(request.form, { Status: 'approved' });
    assert.equal(request.authorized, true);
    assert.equal(verify.verificationFor('+14155550188').status, 'approved');
    assert.equal(calls.length, 1, 'no Management API call for passwordless SMS');
  });

  it('MFA by SMS or voice: the confirmed enrollment, read from the Management API, is approved', async () => {
    await sendHandler()(sendEvent({ recipient: '+44 7700 900123', messageType: 'voice', code: '129584' }));
    const result = await feedbackHandler()(loginEvent({ userId: 'auth0|mfa-voice', methods: [{ name: 'pwd' }, { name: 'mfa', type: 'phone' }] }), { cache: lc.createMemoryCache() });
    assert.equal(result.status, 'approved');
    assert.equal(result.source, 'mfa_phone');
    assert.equal(result.to, '…0123');
    assert.equal(result.managementApiCalls, 2, 'one token request and one lookup');
    assert.deepEqual(tenant.requests.map((r) => r.path.split('?')[0]), ['/oauth/token', '/api/v2/users/auth0%7Cmfa-voice/authentication-methods']);
    assert.equal(verify.verificationFor('+447700900123').status, 'approved');
  });

  it('only logins that used a recent SMS or voice factor give feedback; the others make no request', async () => {
    const { fetch, calls } = recordingFetch();
    const feedback = feedbackHandler({ fetch });
    const hourAgo = new Date(Date.now() - 3600 * 1000).toISOString();
    const cases = [
      [loginEvent({ methods: [{ name: 'pwd' }] }), 'no_phone_factor'],
      [loginEvent({ methods: [{ name: 'pwd' }, { name: 'mfa', type: 'otp' }] }), 'no_phone_factor'],
      [loginEvent({ methods: [{ name: 'federated' }, { name: 'mfa', type: 'push-notification' }] }), 'no_phone_factor'],
      [loginEvent({ methods: [{ name: 'email' }] }), 'no_phone_factor'],
      [loginEvent({ methods: [{ name: 'sms', timestamp: hourAgo }], phoneNumber: '+14155550188' }), 'factor_not_recent'],
      [loginEvent({ methods: [{ name: 'sms' }], phoneNumber: '+14155550188', protocol: 'oauth2-refresh-token' }), 'refresh_token'],
      [{ user: { user_id: 'auth0|x' } }, 'no_phone_factor'],
    ];
    for (const [event, reason] of cases) {
      const result = await feedback(event, {});
      assert.equal(result.status, 'skipped');
      assert.equal(result.reason, reason, JSON.stringify(event.authentication));
    }
    assert.equal(calls.length, 0);
  });

  it('a masked enrollment is skipped with the reason, and Verify is not called', async () => {
    tenant.setMaskNumbers(true);
    const before = logs.length;
    const result = await feedbackHandler()(loginEvent({ methods: [{ name: 'mfa', type: 'phone' }] }), {});
    assert.equal(result.status, 'skipped');
    assert.equal(result.reason, 'enrollment_number_invalid');
    assert.equal(result.detail, 'phone_masked');
    assert.equal(verify.requests.length, 0);
    assert.match(logs.slice(before).join('\n'), /enrollment_number_invalid, phone_masked/);
  });

  it('no pending verification (404) is a skip, not a failure', async () => {
    const result = await feedbackHandler()(loginEvent({ methods: [{ name: 'sms' }], userId: 'sms|new', phoneNumber: '+14155550199' }), {});
    assert.equal(result.status, 'skipped');
    assert.equal(result.reason, 'verify_nothing_pending');
    assert.equal(verify.requests[0].status, 404);
  });

  it('never delays the login past its short deadline, even when Verify or fetch hangs', async () => {
    await sendHandler()(sendEvent({ recipient: '+14155550166', code: '781203' }));
    verify.failNext({ path: `${VERIFICATIONS}/`, delayMs: 5000, status: 200 });
    let started = Date.now();
    const slow = await feedbackHandler()(loginEvent({ methods: [{ name: 'sms' }], phoneNumber: '+14155550166' }), {});
    assert.ok(Date.now() - started < 1700, `default deadline 1500 ms, took ${Date.now() - started} ms`);
    assert.equal(slow.status, 'failed');
    assert.equal(slow.reason, 'verify_timeout');

    // A fetch that never settles and ignores its abort signal.
    started = Date.now();
    const hung = await feedbackHandler({ fetch: () => new Promise(() => {}), deadlineMs: 300 })(loginEvent({ methods: [{ name: 'mfa', type: 'phone' }] }), {});
    assert.ok(Date.now() - started < 600, `took ${Date.now() - started} ms`);
    assert.equal(hung.status, 'skipped');
    assert.equal(hung.reason, 'lookup_failed');
    assert.equal(hung.detail, 'mgmt_timeout');
  });

  it('never throws: Verify failing, hostile events, a throwing logger', async () => {
    await sendHandler()(sendEvent({ recipient: '+14155550155', code: '391028' }));
    verify.failNext({ path: `${VERIFICATIONS}/`, status: 500, times: 10 });
    const failed = await feedbackHandler()(loginEvent({ methods: [{ name: 'sms' }], phoneNumber: '+14155550155' }), {});
    assert.equal(failed.status, 'failed');
    assert.equal(failed.reason, 'verify_server_error');
    assert.equal(failed.twilioCode, 20500);

    const throwing = new Proxy({}, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } });
    const withGetter = loginEvent({ methods: [{ name: 'sms' }] });
    Object.defineProperty(withGetter.user, 'phone_number', { get() { throw new Error('getter'); }, enumerable: true });
    const events = [undefined, null, 7, 'event', [], {}, { authentication: throwing }, { authentication: { methods: throwing } }, withGetter,
      loginEvent({ methods: [{ name: 'sms' }], phoneNumber: 'x'.repeat(1 << 20) }), { ...loginEvent(), authentication: { methods: 'sms' } }];
    const feedback = lc.createVerifyFeedbackHandler({ verifyBaseUrl: verify.url, logger: { warn() { throw new Error('logger'); }, log() { throw new Error('logger'); } } });
    for (const event of events) {
      const result = await feedback(event, throwing);
      assert.ok(['skipped', 'failed'].includes(result.status), JSON.stringify(result));
    }
  });
});

describe('docs/phone-messages.md', () => {
  const docsFile = path.join(__dirname, '..', '..', 'docs', 'phone-messages.md');

  /**
   * The ```js blocks of the guide and of the README's phone-message section, dedented (some sit
   * inside a numbered list).
   */
  function samples() {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Phone-message delivery'), readme.indexOf('\n## ', readme.indexOf('## Phone-message delivery') + 5));
    const text = `${fs.readFileSync(docsFile, 'utf8')}\n${section}`;
    return [...text.matchAll(/^( *)```js\n([\s\S]*?)^\1```/gm)].map(([, indent, body]) =>
      body.split('\n').map((line) => line.slice(indent.length)).join('\n')
    );
  }

  /** Runs a sample as the body of an Action module whose dependency is the package under test. */
  function load(code) {
    const module = { exports: {} };
    const requireInAction = (name) => {
      if (name === 'login-claims' || name === 'login-claims-phone-message') return lc;
      throw new Error(`the sample requires ${name}, which an Action would not have`);
    };
    new Function('exports', 'require', 'module', code)(module.exports, requireInAction, module);
    return module.exports;
  }

  /** Runs `work` with the real Verify origin routed to the stand-in and console captured. */
  async function asDeployed(work) {
    const realFetch = globalThis.fetch;
    const realLog = console.log;
    const realWarn = console.warn;
    globalThis.fetch = (url, init) => realFetch(String(url).replace('https://verify.twilio.com', verify.url), init);
    console.log = (line) => logs.push(String(line));
    console.warn = (line) => logs.push(String(line));
    try {
      return await work();
    } finally {
      globalThis.fetch = realFetch;
      console.log = realLog;
      console.warn = realWarn;
    }
  }

  it('every code sample runs as written against the Verify stand-in', async () => {
    const found = samples();
    assert.ok(found.length >= 4, `${found.length} samples`);
    const seen = new Set();
    await asDeployed(async () => {
      for (const code of found) {
        const actionExports = load(code);
        const names = Object.keys(actionExports);
        assert.equal(names.length, 1, `one entry point per sample: ${names}`);
        seen.add(names[0]);
        verify.resetRequests();
        if (names[0] === 'onExecuteSendPhoneMessage') {
          await actionExports.onExecuteSendPhoneMessage(sendEvent({ recipient: '+14155550111', code: '583920', language: 'en' }), {});
          assert.deepEqual(verify.requests[0].form, { To: '+14155550111', Channel: 'sms', CustomCode: '583920', Locale: 'en' });
        } else if (names[0] === 'onExecuteCustomPhoneProvider') {
          await actionExports.onExecuteCustomPhoneProvider(notificationEvent({ recipient: '+14155550112', code: '583921', delivery_method: 'voice' }), {});
          assert.deepEqual(verify.requests[0].form, { To: '+14155550112', Channel: 'call', CustomCode: '583921' });
        } else if (names[0] === 'onExecutePostLogin') {
          await lc.createSendPhoneMessageHandler({ logger })(sendEvent({ recipient: '+14155550113', code: '583922' }), {});
          const claims = {};
          const api = {
            idToken: { setCustomClaim: (n, v) => (claims[n] = v) },
            accessToken: { setCustomClaim: (n, v) => (claims[n] = v) },
            access: { deny: () => assert.fail('denied') },
            cache: lc.createMemoryCache(),
          };
          const event = loginEvent({ methods: [{ name: 'sms' }], userId: 'sms|doc', phoneNumber: '+14155550113' });
          event.authorization = { roles: ['admin'] };
          await actionExports.onExecutePostLogin(event, api);
          assert.deepEqual(claims['https://my-app.example.com/roles'], ['admin']);
          assert.equal(verify.verificationFor('+14155550113').status, 'approved');
        } else {
          assert.fail(`unexpected entry point ${names[0]}`);
        }
      }
    });
    assert.deepEqual([...seen].sort(), ['onExecuteCustomPhoneProvider', 'onExecutePostLogin', 'onExecuteSendPhoneMessage']);
  });
});

describe('demo', () => {
  it('shows one delivery against the local Verify stand-in, one refusal and the feedback', () => {
    const run = spawnSync(process.execPath, [path.join(cliRoot, 'js', 'tools', 'phone-message-demo.js')], { encoding: 'utf8', timeout: 30000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /To=\+14155550134 Channel=sms CustomCode=482910 Locale=pt-BR {2}→ 201/);
    assert.match(run.stdout, /PHONE_MESSAGE_REFUSED \(recipient_invalid, phone_masked\)/);
    assert.match(run.stdout, /Status=approved {2}→ 200/);
    // What the Action logged (as opposed to what Twilio received) holds only the last 4 digits.
    const logged = run.stdout.split('\n').filter((line) => line.includes('login-claims:'));
    assert.ok(logged.length >= 3);
    for (const line of logged) assert.ok(!/4155550134|482910/.test(line), line);
  });
});
