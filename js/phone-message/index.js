'use strict';
// The entry of login-claims-phone-message: the Twilio Verify handlers of the send-phone-message
// and custom-phone-provider Actions, with their own wasm inlined (base64) for the reason given
// in js/action/index.js. It carries none of the post-login module.

const { createApi } = require('../action/core.js');

const api = createApi((name) => {
  if (name !== 'login_claims_phone') throw new Error(`login-claims-phone-message carries no ${name} module`);
  return Buffer.from(require('../../pkg/login_claims_phone_wasm.cjs'), 'base64');
});

module.exports = {
  createSendPhoneMessageHandler: api.createSendPhoneMessageHandler,
  createCustomPhoneProviderHandler: api.createCustomPhoneProviderHandler,
  createVerifyFeedbackHandler: api.createVerifyFeedbackHandler,
};
