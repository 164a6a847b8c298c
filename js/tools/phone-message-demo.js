#!/usr/bin/env node
'use strict';
// One MFA code delivered through the local Verify stand-in, one refused delivery, and the
// post-login feedback that approves the delivered code: what Twilio received next to what the
// Action logged. Run it with `node js/tools/phone-message-demo.js`; `login-claims demo` can call
// phoneMessageDemo(). The credentials are drawn anew for every run and the numbers are fictional
// (555-01xx), so the output holds nothing worth copying.

const { randomBytes } = require('node:crypto');

/**
 * Runs the demo and writes it through `out`.
 * @param {object} [io]
 * @param {object} [io.lc] the runtime's API (default: require('login-claims')).
 * @param {(text: string) => void} [io.out] default process.stdout.write.
 * @param {(style: string, text: string) => string} [io.paint] styling, e.g. the CLI's colours.
 * @returns {Promise<{delivered: boolean, refused: boolean, approved: boolean}>}
 */
async function phoneMessageDemo(io = {}) {
  const lc = io.lc || require('login-claims');
  const out = io.out || ((text) => process.stdout.write(text));
  const paint = io.paint || ((_style, text) => text);
  const { startSampleVerify } = require('./sample-verify.js');

  const secrets = {
    TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
    TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
    TWILIO_VERIFY_SID: `VA${randomBytes(16).toString('hex')}`,
  };
  const verify = await startSampleVerify({
    accountSid: secrets.TWILIO_ACCOUNT_SID,
    authToken: secrets.TWILIO_AUTH_TOKEN,
    serviceSid: secrets.TWILIO_VERIFY_SID,
  });
  const logged = [];
  const logger = { log: (line) => logged.push(line), warn: (line) => logged.push(line) };
  const outcome = { delivered: false, refused: false, approved: false };
  const lines = [paint('bold', 'Phone messages through Twilio Verify (a local stand-in on 127.0.0.1)'), ''];
  const received = (request) =>
    `${request.method} ${request.path.replace(secrets.TWILIO_VERIFY_SID, 'VA…')}  ${Object.entries(request.form)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')}  → ${request.status}${request.authorized ? '' : ' (basic auth refused)'}`;

  try {
    const send = lc.createSendPhoneMessageHandler({ verifyBaseUrl: verify.url, logger });
    const event = {
      message_options: {
        action: 'second-factor-authentication',
        code: '482910',
        message_type: 'sms',
        recipient: '+1 (415) 555-0134',
        text: 'Your verification code is 482910',
      },
      request: { language: 'pt-BR' },
      secrets,
    };
    lines.push(paint('bold', '[1] send-phone-message: an SMS code, recipient written with spaces and brackets'));
    await send(event, { cache: lc.createMemoryCache() });
    outcome.delivered = true;
    lines.push(`${paint('dim', 'Twilio received')}  ${received(verify.requests[verify.requests.length - 1])}`);
    lines.push(`${paint('dim', 'Action logged')}    ${logged.splice(0).join('\n                 ')}`, '');

    lines.push(paint('bold', '[2] the same Action with a masked recipient: refused, nothing sent'));
    const before = verify.requests.length;
    try {
      await send({ ...event, message_options: { ...event.message_options, recipient: 'XXXXXXXX0134' } }, {});
    } catch (error) {
      outcome.refused = verify.requests.length === before;
      lines.push(`${paint('dim', 'thrown')}           ${error.code} (${error.reason}, ${error.detail})`);
    }
    lines.push(`${paint('dim', 'Twilio received')}  ${verify.requests.length - before} requests`);
    lines.push(`${paint('dim', 'Action logged')}    ${logged.splice(0).join('\n                 ')}`, '');

    lines.push(paint('bold', '[3] post-login feedback after the passwordless-SMS login that used the code'));
    const feedback = lc.createVerifyFeedbackHandler({ verifyBaseUrl: verify.url, logger });
    const result = await feedback(
      {
        authentication: { methods: [{ name: 'sms', timestamp: new Date().toISOString() }] },
        transaction: { protocol: 'oidc-basic-profile' },
        user: { user_id: 'sms|demo', phone_number: '+14155550134' },
        secrets,
      },
      { cache: lc.createMemoryCache() }
    );
    outcome.approved = result.status === 'approved';
    lines.push(`${paint('dim', 'Twilio received')}  ${received(verify.requests[verify.requests.length - 1])}`);
    lines.push(`${paint('dim', 'resolved to')}      ${JSON.stringify(result)}`);
    lines.push(`${paint('dim', 'Action logged')}    ${logged.splice(0).join('\n                 ')}`, '');
  } finally {
    await verify.close();
  }
  out(`${lines.join('\n')}\n`);
  return outcome;
}

if (require.main === module) {
  phoneMessageDemo().then(
    (outcome) => {
      process.exitCode = outcome.delivered && outcome.refused && outcome.approved ? 0 : 3;
    },
    (error) => {
      process.stderr.write(`phone-message demo failed: ${error && error.message}\n`);
      process.exitCode = 3;
    }
  );
}

module.exports = { phoneMessageDemo };
