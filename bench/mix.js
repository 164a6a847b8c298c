'use strict';
// The login mix of the network benchmarks: what 1,000 executions of a post-login Action look like
// in a tenant that uses SMS MFA (the tenants seed 000 was written for). Every share is a stated
// assumption, not a measurement of a real tenant; the sensitivity table in BENCHMARKS.md shows
// how the result moves when the two shares that matter most change.
//
// Flows (post-login runs on each of them; platform-facts.md):
//   authorize 50%  /authorize logins (oidc-basic-profile): scopes in transaction.requested_scopes
//   refresh   40%  refresh-token exchanges: SPAs and mobile apps with rotating refresh tokens
//                  refresh many times per interactive login; scope in request.body.scope
//   password  10%  password grant (ROPG) from legacy/native clients; scope in request.body.scope
// Phone scope: requested in 50% of logins, in every flow alike (the apps of the tenant that
//   show or use the number ask for it; the others do not).
// Users (independent of the flow):
//   passwordless 10%  passwordless SMS users: the number is on the profile
//   sms-mfa      25%  SMS MFA enrolled (enrolledFactors lists a phone factor)
//   sms-otp       5%  SMS and OTP enrolled
//   otp-only     10%  OTP (authenticator app) only
//   no-mfa       50%  no factor enrolled (enrolledFactors is an empty array)
// Which logins need the Management API for the phone claim: phone scope requested, no number on
// the profile, a phone factor enrolled: 50% x 30% = 15% of logins. Seed 000 looks up on every
// login, whatever the scope and the factors.

const FLOWS = Object.freeze({ authorize: 0.5, refresh: 0.4, password: 0.1 });
const PHONE_SCOPE_SHARE = 0.5;
const USERS = Object.freeze({ passwordless: 0.1, 'sms-mfa': 0.25, 'sms-otp': 0.05, 'otp-only': 0.1, 'no-mfa': 0.5 });

/** A small seeded PRNG (mulberry32), so every run draws the same logins. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` logins with exactly the mix's proportions (largest-remainder rounding over the
 * flow x scope x user cells), in a seeded random order. Each login: {flow, phoneScope, kind,
 * userIndex, needsLookup}.
 */
function mixLogins(count = 1000, { seed = 20250120, phoneScopeShare = PHONE_SCOPE_SHARE, users = USERS, flows = FLOWS } = {}) {
  const cells = [];
  for (const [flow, fShare] of Object.entries(flows)) {
    for (const phoneScope of [true, false]) {
      const sShare = phoneScope ? phoneScopeShare : 1 - phoneScopeShare;
      for (const [kind, uShare] of Object.entries(users)) {
        const exact = count * fShare * sShare * uShare;
        cells.push({ flow, phoneScope, kind, n: Math.floor(exact), rest: exact - Math.floor(exact) });
      }
    }
  }
  let missing = count - cells.reduce((sum, c) => sum + c.n, 0);
  for (const cell of [...cells].sort((a, b) => b.rest - a.rest)) {
    if (missing <= 0) break;
    cell.n += 1;
    missing -= 1;
  }
  const logins = [];
  for (const cell of cells) {
    for (let i = 0; i < cell.n; i++) logins.push({ flow: cell.flow, phoneScope: cell.phoneScope, kind: cell.kind });
  }
  const random = prng(seed);
  for (let i = logins.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [logins[i], logins[j]] = [logins[j], logins[i]];
  }
  return logins.map((login, i) => {
    const hasMfaPhone = login.kind === 'sms-mfa' || login.kind === 'sms-otp';
    return {
      ...login,
      // 400 distinct users: some log in more than once, as in a real day.
      userIndex: i % 400,
      // The logins whose phone claim can only come from the Management API.
      needsLookup: login.phoneScope && hasMfaPhone,
    };
  });
}

/** The mix as rows for the documentation table. */
function describeMix() {
  return {
    flows: FLOWS,
    phoneScopeShare: PHONE_SCOPE_SHARE,
    users: USERS,
  };
}

module.exports = { mixLogins, describeMix, prng, FLOWS, USERS, PHONE_SCOPE_SHARE };
