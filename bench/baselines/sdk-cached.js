'use strict';
// Baseline "token-caching pattern": the same work as seed 000 (read the user's enrollments on
// every login, set phone_number from the first confirmed SMS one), written the way users who
// follow the token-caching advice write it: the `auth0` SDK's ManagementClient with client
// credentials (MANAGEMENT_CLIENT_ID / MANAGEMENT_CLIENT_SECRET), created once at module level so
// that the SDK's own token cache lives as long as the Action instance (one token request per
// process). Default SDK settings otherwise: 60 s timeout, 2 retries on 429/5xx with back-off.
//
// Loopback workaround (benchmark only): the SDK always builds https://{domain} URLs. Here
// AUTH0_DOMAIN is "127.0.0.1:PORT" and the SDK's documented `fetch` option gets a fetch that
// rewrites https://127.0.0.1 to http://127.0.0.1 (nothing else is rewritten), and `audience` is
// given explicitly because the sample tenant expects http://127.0.0.1:PORT/api/v2/. A real
// Action passes neither option.

const { ManagementClient } = require('auth0');

exports.log = (...args) => console.log(...args);

const LOOPBACK_HTTPS = /^https:\/\/127\.0\.0\.1(?=[:/])/;

function loopbackFetch(input, init) {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  return fetch(url.replace(LOOPBACK_HTTPS, 'http://127.0.0.1'), init);
}

let management;
function managementClient(secrets) {
  if (!management) {
    const loopback = /^127\.0\.0\.1:\d+$/.test(secrets.AUTH0_DOMAIN);
    management = new ManagementClient({
      domain: secrets.AUTH0_DOMAIN,
      clientId: secrets.MANAGEMENT_CLIENT_ID,
      clientSecret: secrets.MANAGEMENT_CLIENT_SECRET,
      ...(loopback ? { fetch: loopbackFetch, audience: `http://${secrets.AUTH0_DOMAIN}/api/v2/` } : {}),
    });
  }
  return management;
}

exports.onExecutePostLogin = async (event, api) => {
  try {
    const enrollments = await managementClient(event.secrets).users.enrollments.get(event.user.user_id);
    const smsEnrollment = enrollments.find((enrollment) => enrollment.auth_method === 'sms' && enrollment.status === 'confirmed');
    if (smsEnrollment && smsEnrollment.phone_number) {
      api.idToken.setCustomClaim('phone_number', smsEnrollment.phone_number);
    }
  } catch (error) {
    exports.log('Error retrieving enrollment:', error && error.message);
  }
};

/** Benchmark only: forget the client (and so its cached token), as a new Action instance would. */
exports._reset = () => {
  management = undefined;
};
