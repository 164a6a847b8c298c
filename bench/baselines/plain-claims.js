'use strict';
// Baseline for the warm, network-free login: what a careful developer writes by hand for the
// same claims as our benchmark configuration, from seed 001 plus two custom claims.
//   - phone_number / phone_number_verified on the ID token from the profile (passwordless SMS
//     users), only when the phone scope was requested; the scope is read where Auth0 puts it:
//     transaction.requested_scopes, else request.body.scope (password and refresh-token grants),
//     else request.query.scope;
//   - the number must be E.164 (OIDC Core 5.1 requires it when phone_number_verified is true);
//   - the roles and the organization id on the access token, under namespaced names.
// It does not do the rest of what our core does (trace, size budget, restricted names, MFA
// lookup): the point is the cost of the same claims written plainly.

const ROLES_CLAIM = 'https://my-app.example.com/roles';
const ORG_CLAIM = 'https://my-app.example.com/org_id';
const E164 = /^\+[1-9][0-9]{1,14}$/;

function phoneScopeRequested(event) {
  const requested = event.transaction && event.transaction.requested_scopes;
  if (Array.isArray(requested)) return requested.includes('phone');
  const request = event.request || {};
  const raw = (request.body && request.body.scope) || (request.query && request.query.scope);
  return typeof raw === 'string' && raw.split(' ').includes('phone');
}

exports.onExecutePostLogin = async (event, api) => {
  const user = event.user;
  if (phoneScopeRequested(event) && typeof user.phone_number === 'string' && E164.test(user.phone_number)) {
    api.idToken.setCustomClaim('phone_number', user.phone_number);
    api.idToken.setCustomClaim('phone_number_verified', user.phone_verified === true);
  }
  if (event.authorization && Array.isArray(event.authorization.roles)) {
    api.accessToken.setCustomClaim(ROLES_CLAIM, event.authorization.roles);
  }
  if (event.organization && typeof event.organization.id === 'string') {
    api.accessToken.setCustomClaim(ORG_CLAIM, event.organization.id);
  }
};
