'use strict';
// Baseline "seed 000": the hand-written Action of /work/shared/seeds/000 (our own code, written
// from that text). On EVERY login it reads GET /api/v2/users/{id}/enrollments with the static
// MANAGEMENT_API_TOKEN secret through axios, and sets phone_number from the first confirmed SMS
// enrollment. No scope check, no timeout, no retry, errors are logged and the login goes on.
//
// Only difference from the seed: AUTH0_DOMAIN may be a full origin ("http://127.0.0.1:PORT") so
// that the benchmark can point it at the sample tenant on loopback; a bare host still gets https.

const axios = require('axios');

// The seed logs with console.log; the benchmark swaps this to count errors quietly.
exports.log = (...args) => console.log(...args);

function origin(domain) {
  return /^https?:\/\//.test(domain) ? domain : `https://${domain}`;
}

exports.onExecutePostLogin = async (event, api) => {
  try {
    const response = await axios.get(`${origin(event.secrets.AUTH0_DOMAIN)}/api/v2/users/${event.user.user_id}/enrollments`, {
      headers: {
        Authorization: `Bearer ${event.secrets.MANAGEMENT_API_TOKEN}`,
      },
    });
    const smsEnrollment = response.data.find((enrollment) => enrollment.auth_method === 'sms' && enrollment.status === 'confirmed');
    if (smsEnrollment && smsEnrollment.phone_number) {
      api.idToken.setCustomClaim('phone_number', smsEnrollment.phone_number);
    }
  } catch (error) {
    exports.log('Error retrieving enrollment:', error && error.message);
  }
};
