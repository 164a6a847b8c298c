'use strict';
// Post-login events shaped like Auth0's (platform-facts.md), for the three flows the benchmarks
// mix: an /authorize login (scopes in transaction.requested_scopes), a refresh-token exchange and
// a password grant (scopes only in request.body.scope). Users come in the kinds the mix counts;
// each kind also has the Management API data the sample tenant serves for it.

const ROLES_CLAIM = 'https://my-app.example.com/roles';
const ORG_CLAIM = 'https://my-app.example.com/org_id';

/** The configuration of our package in every benchmark: phone policy on (default) + roles + org. */
const CONFIG = Object.freeze({
  accessToken: { [ROLES_CLAIM]: 'authorization.roles', [ORG_CLAIM]: 'organization.id' },
});

const USER_KINDS = Object.freeze(['passwordless', 'sms-mfa', 'sms-otp', 'otp-only', 'no-mfa']);

function pad(n, width) {
  return String(n).padStart(width, '0');
}

/** A deterministic E.164 number per user index. */
function phoneOf(index) {
  return `+1415555${pad(index % 10000, 4)}`;
}

const KIND_TAG = { passwordless: 'a0', 'sms-mfa': 'b1', 'sms-otp': 'c2', 'otp-only': 'd3', 'no-mfa': 'e4' };

function userIdOf(kind, index) {
  const id = `64f0c0ffee${KIND_TAG[kind]}${pad(index, 6)}`;
  return kind === 'passwordless' ? `sms|${id}` : `auth0|${id}`;
}

/**
 * Metadata of about `bytes` bytes of JSON, split between app_metadata and user_metadata: the
 * kind of ballast (preferences, history, feature flags) that real profiles carry.
 */
function metadata(bytes, seed) {
  const half = (target, tag) => {
    const out = {};
    const items = [];
    let size = 2;
    for (let i = 0; size < target; i++) {
      const item = { id: `${tag}-${seed}-${i}`, at: '2025-01-20T17:02:09.000Z', note: `entry ${i} of ${tag} for user ${seed}`, tags: ['a', 'b', 'c'], score: i * 7 };
      items.push(item);
      size += JSON.stringify(item).length + 1;
    }
    if (items.length) out.history = items;
    return out;
  };
  return {
    app_metadata: { plan: 'pro', ...half(bytes / 2, 'app') },
    user_metadata: { locale: 'en-GB', ...half(bytes / 2, 'usr') },
  };
}

/** event.user for one kind, with `metadataBytes` of metadata. */
function userOf(kind, index, metadataBytes = 0) {
  const { app_metadata, user_metadata } = metadata(metadataBytes, index);
  const user = {
    user_id: userIdOf(kind, index),
    email: `user${index}@example.com`,
    email_verified: true,
    name: `User ${index}`,
    created_at: '2024-03-01T09:00:00.000Z',
    updated_at: '2025-01-20T17:02:09.000Z',
    last_login: '2025-01-20T17:02:09.000Z',
    logins_count: 42,
    multifactor: kind === 'sms-mfa' || kind === 'sms-otp' || kind === 'otp-only' ? ['guardian'] : [],
    identities: [{ provider: kind === 'passwordless' ? 'sms' : 'auth0', user_id: userIdOf(kind, index).split('|')[1], connection: kind === 'passwordless' ? 'sms' : 'Username-Password-Authentication', isSocial: false }],
    app_metadata,
    user_metadata,
  };
  switch (kind) {
    case 'passwordless':
      user.phone_number = phoneOf(index);
      user.phone_verified = true;
      user.enrolledFactors = [];
      break;
    case 'sms-mfa':
      user.enrolledFactors = [{ type: 'phone', options: { channel: 'sms' } }];
      break;
    case 'sms-otp':
      user.enrolledFactors = [{ type: 'phone', options: { channel: 'sms' } }, { type: 'otp' }];
      break;
    case 'otp-only':
      user.enrolledFactors = [{ type: 'otp' }];
      break;
    case 'no-mfa':
      user.enrolledFactors = [];
      break;
    default:
      throw new Error(`unknown user kind ${kind}`);
  }
  return user;
}

/** What the sample tenant serves for that user (authentication methods; /enrollments derives). */
function tenantRecordOf(kind, index) {
  const at = '2024-05-01T10:00:00.000Z';
  const phone = {
    id: `phone|dev_${index}`, type: 'phone', confirmed: true, phone_number: phoneOf(index), name: 'SMS',
    preferred_authentication_method: 'sms', authentication_methods: [{ id: `sms|dev_${index}`, type: 'sms' }],
    created_at: at, enrolled_at: at, last_auth_at: '2025-01-20T17:02:09.000Z',
  };
  const totp = { id: `totp|dev_${index}`, type: 'totp', confirmed: true, created_at: at, enrolled_at: at };
  const methods = { 'sms-mfa': [phone], 'sms-otp': [phone, totp], 'otp-only': [totp] }[kind] || [];
  return { authentication_methods: methods };
}

const PHONE_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access'];
const NO_PHONE_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

/**
 * One post-login event. flow: 'authorize' | 'refresh' | 'password'; phoneScope: boolean.
 * `secrets` are set per approach (each talks to its own sample tenant).
 */
function eventOf({ flow, phoneScope, user, secrets = {} }) {
  const scopes = phoneScope ? PHONE_SCOPES : NO_PHONE_SCOPES;
  const scope = scopes.join(' ');
  const base = {
    authentication: { methods: [{ name: flow === 'refresh' ? 'federated' : 'pwd', timestamp: '2025-01-20T17:02:09.000Z' }] },
    authorization: { roles: ['admin', 'billing'] },
    organization: { id: 'org_9aZkQ2', name: 'acme', display_name: 'Acme Inc.', metadata: {} },
    client: { client_id: 'app_1x2y3z', name: 'Web', metadata: {} },
    connection: { id: 'con_1', name: 'Username-Password-Authentication', strategy: 'auth0', metadata: {} },
    resource_server: { identifier: 'https://api.my-app.example.com' },
    stats: { logins_count: 42 },
    tenant: { id: 'my-tenant' },
    secrets,
    user,
  };
  if (flow === 'authorize') {
    base.transaction = {
      protocol: 'oidc-basic-profile', requested_scopes: scopes, locale: 'en',
      redirect_uri: 'https://my-app.example.com/callback', response_type: ['code'], response_mode: 'query', state: 'af0ifjsldkj',
    };
    base.request = {
      ip: '203.0.113.7', hostname: 'my-tenant.eu.auth0.com', method: 'GET', language: 'en-GB,en;q=0.9', user_agent: 'Mozilla/5.0',
      query: { client_id: 'app_1x2y3z', response_type: 'code', redirect_uri: 'https://my-app.example.com/callback', scope, state: 'af0ifjsldkj' },
      body: {},
    };
  } else if (flow === 'refresh') {
    base.transaction = { protocol: 'oauth2-refresh-token', locale: 'en' };
    base.request = {
      ip: '203.0.113.7', hostname: 'my-tenant.eu.auth0.com', method: 'POST', language: 'en', query: {},
      body: { grant_type: 'refresh_token', client_id: 'app_1x2y3z', refresh_token: 'v1.MRrT3kq0UnZ1-GaTWQbD5cbLu2Yc4x', scope },
    };
  } else if (flow === 'password') {
    base.transaction = { protocol: 'oauth2-password', locale: 'en' };
    base.request = {
      ip: '203.0.113.7', hostname: 'my-tenant.eu.auth0.com', method: 'POST', language: 'en', query: {},
      body: { grant_type: 'password', client_id: 'app_1x2y3z', username: 'ada@example.com', password: 'correct horse battery staple', audience: 'https://api.my-app.example.com', scope },
    };
  } else {
    throw new Error(`unknown flow ${flow}`);
  }
  return base;
}

/** The same event with other secrets (a shallow copy: the rest is shared, never mutated). */
function withSecrets(event, secrets) {
  return { ...event, secrets };
}

/**
 * A stand-in for Auth0's post-login `api`: records claims; `cache` is the package's in-memory
 * api.cache with Auth0's documented limits, shared by the logins of one Action instance.
 */
function recordingApi(cache) {
  const claims = { idToken: {}, accessToken: {} };
  return {
    claims,
    idToken: { setCustomClaim: (name, value) => { claims.idToken[name] = value; } },
    accessToken: { setCustomClaim: (name, value) => { claims.accessToken[name] = value; } },
    access: { deny: () => { claims.denied = true; } },
    cache,
  };
}

module.exports = {
  CONFIG, ROLES_CLAIM, ORG_CLAIM, USER_KINDS, PHONE_SCOPES, NO_PHONE_SCOPES,
  userOf, tenantRecordOf, eventOf, withSecrets, recordingApi, phoneOf, metadata,
};
