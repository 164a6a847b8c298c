// A post-login Action. Its only dependency is login-claims; `login-claims init` wrote this file.
// phone_number and phone_number_verified go into the ID token when the `phone` scope was
// requested; the claims below are copied from the event. Numbers kept only in MFA enrollments
// need the secrets AUTH0_DOMAIN, MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET; without them
// that source is skipped and no login is denied.
const { createPostLoginHandler } = require('login-claims');

/** @type {import('login-claims').Config} */
const config = {
  phone: { sources: ['profile', 'mfa', 'app_metadata'] },
  idToken: {
    'https://my-app.example.com/plan': 'user.app_metadata.plan',
  },
  accessToken: {
    'https://my-app.example.com/roles': 'authorization.roles',
  },
};

exports.onExecutePostLogin = createPostLoginHandler(config);
// Auth0 calls only onExecutePostLogin; the unit test reads the configuration from here.
exports.config = config;
