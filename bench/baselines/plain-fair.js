'use strict';
// The fair plain-JS baseline: a post-login Action written by hand, as a careful engineer would,
// that does the same work as ours for the benchmark configuration (bench/lib/events.js CONFIG:
// the default phone policy, roles and org id to the access token) on a login that needs no
// Management API lookup. No trace, no wasm, no dependencies. Per login it:
//
//   - decides whether the phone scope was requested where Auth0 puts it: a non-empty
//     transaction.requested_scopes (exact items), else request.body.scope (password and
//     refresh-token grants), else request.query.scope (whole words); a refresh-token exchange
//     that sends no scope keeps its original grant (the phone claims are set; Auth0 removes them
//     if that grant had no phone scope); a field of the wrong type counts as absent;
//   - takes the number from the profile (user.phone_number, verified only when
//     user.phone_verified is the boolean true), else from user.app_metadata.phone_number /
//     phone_verified; there is no MFA lookup here, which is what ours does when the Management
//     API is not set up (the `mfa` source is skipped, the next one tried);
//   - normalises it: at most 64 bytes as stored; masked numbers (X, x, *) refused; spaces (any
//     Unicode white space), hyphens, dots and parentheses removed; `+` required (the benchmark
//     configuration has no defaultCountry); an assigned country calling code; a parenthesised
//     trunk prefix right after the calling code dropped (`+44 (0)20 ...`), from a small table of
//     common countries; 7 to 15 digits (E.164); an extension kept as `;ext=` + 1 to 10 digits;
//   - copies each configured claim from its event path (dotted, own properties of objects; a
//     digit segment indexes an array), skipping null, missing and non-JSON values;
//   - keeps each token's custom claims within 100 000 bytes of JSON (`"name":value,` per claim,
//     measured as UTF-8 of JSON.stringify), dropping the largest first (ties by name), the phone
//     claims never.
//
// Claim names and paths are checked once, when the handler is created, as ours does in
// createPostLoginHandler: restricted names (roles, org_id, ...), Auth0's reserved namespaces, a
// standard OIDC claim at the root of the access token, the phone claims configured twice, paths
// into secrets, the raw request body or the prototype chain, unknown roots, more than 16
// segments, and user_metadata without `allowUserControlled: true`.
//
// plain-fair.check.js checks that it sets exactly the claims ours sets, on every event of
// bench/lib/events.js and on edge cases; the differences it does not cover are listed there.

// The benchmark configuration, written out as a hand-written Action would hold it.
const CLAIMS = {
  accessToken: {
    'https://my-app.example.com/roles': 'authorization.roles',
    'https://my-app.example.com/org_id': 'organization.id',
  },
};

const BUDGET_BYTES = 100000;
const MAX_RAW_BYTES = 64;
const REFRESH_TOKEN_PROTOCOL = 'oauth2-refresh-token';

// Unicode White_Space (what Rust's char::is_whitespace and str::trim use; JavaScript's \s also
// takes U+FEFF and leaves out U+0085), and the separators people write in numbers.
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, 'g');
const SEPARATORS = new RegExp(`[${WS}().-]`, 'g');
const LEADING_SEPARATORS = new RegExp(`^[${WS}).-]*`);
const MASK = /[Xx*]/;
const DIGITS = /^[0-9]*$/;
const EXT = /^ext=/i;
const EXT_DIGITS = /^[0-9]{1,10}$/;
const SCOPE_WORDS = /[ \t\n\f\r]+/;

// ITU-assigned country calling codes (the list the engine checks against).
const CALLING_CODES = new Set([
  1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49,
  51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86,
  90, 91, 92, 93, 94, 95, 98,
  211, 212, 213, 216, 218, 220, 221, 222, 223, 224, 225, 226, 227, 228, 229,
  230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249,
  250, 251, 252, 253, 254, 255, 256, 257, 258, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269,
  290, 291, 297, 298, 299,
  350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371, 372, 373, 374, 375, 376, 377, 378, 379,
  380, 381, 382, 383, 385, 386, 387, 388, 389, 420, 421, 423,
  500, 501, 502, 503, 504, 505, 506, 507, 508, 509, 590, 591, 592, 593, 594, 595, 596, 597, 598, 599,
  670, 672, 673, 674, 675, 676, 677, 678, 679, 680, 681, 682, 683, 685, 686, 687, 688, 689, 690, 691, 692,
  800, 808, 850, 852, 853, 855, 856, 870, 878, 880, 881, 882, 883, 886, 888,
  960, 961, 962, 963, 964, 965, 966, 967, 968, 970, 971, 972, 973, 974, 975, 976, 977, 979,
  991, 992, 993, 994, 995, 996, 998,
]);

// National (trunk) prefixes of common countries, by calling code, as written in parentheses
// after the code by people who address national and international callers at once. Countries
// without one (IT, ES, DK, NO, PL, ...) keep every digit. The engine knows all 245 countries.
const TRUNK_PREFIXES = new Map([
  [1, '1'], [7, '8'], [20, '0'], [27, '0'], [31, '0'], [32, '0'], [33, '0'], [36, '06'], [40, '0'],
  [41, '0'], [43, '0'], [44, '0'], [46, '0'], [49, '0'], [54, '0'], [55, '0'], [57, '0'], [60, '0'],
  [61, '0'], [62, '0'], [63, '0'], [64, '0'], [66, '0'], [81, '0'], [82, '0'], [84, '0'], [86, '0'],
  [90, '0'], [91, '0'], [92, '0'], [234, '0'], [254, '0'], [353, '0'], [358, '0'], [380, '0'], [972, '0'],
]);

// ---- the number --------------------------------------------------------------------------------

/** The E.164 form of a stored number (`+14155550123`, or with `;ext=89`), or undefined. */
function normalizePhone(raw) {
  if (raw.length > MAX_RAW_BYTES || Buffer.byteLength(raw, 'utf8') > MAX_RAW_BYTES) return undefined;
  const trimmed = raw.replace(TRIM, '');
  const semicolon = trimmed.indexOf(';');
  const number = semicolon === -1 ? trimmed : trimmed.slice(0, semicolon);
  if (MASK.test(number) || number.charCodeAt(0) !== 0x2b /* + */) return undefined;
  const text = number.slice(1);
  let digits = text.replace(SEPARATORS, '');
  if (!DIGITS.test(digits)) return undefined;
  const codeLength = callingCodeLength(digits);
  if (codeLength === 0) return undefined;
  const trunk = TRUNK_PREFIXES.get(Number(digits.slice(0, codeLength)));
  if (trunk !== undefined && digits.startsWith(trunk, codeLength) && parenthesisedAfter(text, codeLength) === trunk) {
    digits = digits.slice(0, codeLength) + digits.slice(codeLength + trunk.length);
  }
  if (digits.length < 7 || digits.length > 15) return undefined;
  if (semicolon === -1) return `+${digits}`;
  const param = trimmed.slice(semicolon + 1);
  if (!EXT.test(param)) return undefined;
  const ext = param.slice(4).replace(SEPARATORS, '');
  return EXT_DIGITS.test(ext) ? `+${digits};ext=${ext}` : undefined;
}

/** How many leading digits are the calling code: 1, 2 or 3, or 0 for none assigned. */
function callingCodeLength(digits) {
  if (digits.charCodeAt(0) === 0x30 /* 0 */) return 0;
  for (let length = 1; length <= 3 && length <= digits.length; length++) {
    if (CALLING_CODES.has(Number(digits.slice(0, length)))) return length;
  }
  return 0;
}

/** The text inside a parenthesis that opens right after the first `count` digits of `text`. */
function parenthesisedAfter(text, count) {
  let at = 0;
  for (let seen = 0; seen < count; at++) {
    const c = text.charCodeAt(at);
    if (c >= 0x30 && c <= 0x39) seen++;
  }
  const rest = text.slice(at).replace(LEADING_SEPARATORS, '');
  if (rest.charCodeAt(0) !== 0x28 /* ( */) return undefined;
  const close = rest.indexOf(')');
  return close === -1 ? undefined : rest.slice(1, close).replace(TRIM, '');
}

// ---- the phone claims --------------------------------------------------------------------------

function isObject(value) {
  return typeof value === 'object' && value !== null;
}

function hasWord(text, word) {
  return text.split(SCOPE_WORDS).includes(word);
}

/** Whether the phone scope was requested (see the header for where Auth0 puts it). */
function phoneScopeRequested(event) {
  const transaction = isObject(event.transaction) ? event.transaction : undefined;
  const requested = transaction && transaction.requested_scopes;
  if (Array.isArray(requested)) {
    let anyString = false;
    for (let i = 0; i < requested.length; i++) {
      if (typeof requested[i] === 'string') {
        if (requested[i] === 'phone') return true;
        anyString = true;
      }
    }
    if (anyString) return false;
  }
  const request = isObject(event.request) ? event.request : undefined;
  const body = request && isObject(request.body) ? request.body.scope : undefined;
  if (typeof body === 'string') return hasWord(body, 'phone');
  const query = request && isObject(request.query) ? request.query.scope : undefined;
  if (typeof query === 'string') return hasWord(query, 'phone');
  return transaction !== undefined && transaction.protocol === REFRESH_TOKEN_PROTOCOL;
}

/** [number, verified] of the first source with a usable number, or undefined. */
function phoneClaims(event) {
  const user = event.user;
  if (!isObject(user) || !phoneScopeRequested(event)) return undefined;
  if (typeof user.phone_number === 'string') {
    const number = normalizePhone(user.phone_number);
    if (number !== undefined) return [number, user.phone_verified === true];
  }
  // (The `mfa` source would be here: this baseline makes no lookup.)
  const metadata = user.app_metadata;
  if (isObject(metadata) && typeof metadata.phone_number === 'string') {
    const number = normalizePhone(metadata.phone_number);
    if (number !== undefined) return [number, metadata.phone_verified === true];
  }
  return undefined;
}

// ---- custom claims -----------------------------------------------------------------------------

/** The value at a path: own properties of objects (a digit segment indexes an array). */
function valueAt(event, segments) {
  let value = event;
  for (let i = 0; i < segments.length; i++) {
    if (!isObject(value) || !Object.prototype.hasOwnProperty.call(value, segments[i])) return undefined;
    value = value[segments[i]];
  }
  return value;
}

/**
 * Sets a token's custom claims within the budget. `used` is what its claims already measure
 * (the braces, and the phone claims on the ID token).
 */
function setClaims(token, rules, event, used) {
  const values = [];
  const sizes = [];
  for (let i = 0; i < rules.length; i++) {
    let value;
    let json;
    try {
      value = valueAt(event, rules[i].segments);
      // JSON.stringify gives undefined for a function or a symbol, and 'null' for NaN.
      json = value === undefined || value === null ? undefined : JSON.stringify(value);
      if (json === 'null') json = undefined;
    } catch {
      json = undefined; // a throwing getter, a cycle or a BigInt: no claim
    }
    if (json === undefined) {
      values.push(undefined);
      sizes.push(0);
      continue;
    }
    const size = rules[i].nameBytes + Buffer.byteLength(json, 'utf8');
    values.push(value);
    sizes.push(size);
    used += size;
  }
  if (used > BUDGET_BYTES) {
    const order = [];
    for (let i = 0; i < rules.length; i++) if (values[i] !== undefined) order.push(i);
    order.sort((a, b) => sizes[b] - sizes[a] || (rules[a].name < rules[b].name ? -1 : 1));
    for (let k = 0; k < order.length && used > BUDGET_BYTES; k++) {
      used -= sizes[order[k]];
      values[order[k]] = undefined;
    }
  }
  for (let i = 0; i < rules.length; i++) {
    if (values[i] !== undefined) token.setCustomClaim(rules[i].name, values[i]);
  }
}

// ---- the configuration, checked once -----------------------------------------------------------

const RESTRICTED_NAMES = new Set([
  'acr', 'act', 'active', 'amr', 'at_hash', 'ath', 'attest', 'aud', 'auth_time', 'authorization_details',
  'azp', 'c_hash', 'client_id', 'cnf', 'cty', 'dest', 'entitlements', 'events', 'exp', 'groups', 'gty',
  'htm', 'htu', 'iat', 'internalService', 'iss', 'jcard', 'jku', 'jti', 'jwe', 'jwk', 'kid', 'may_act',
  'mky', 'nbf', 'nonce', 'object_id', 'org_id', 'org_name', 'orig', 'origid', 'permissions', 'roles',
  'rph', 's_hash', 'sid', 'sip_callid', 'sip_cseq_num', 'sip_date', 'sip_from_tag', 'sip_via_branch',
  'sub', 'sub_jwk', 'toe', 'txn', 'typ', 'uuid', 'vot', 'vtm', 'x5t#S256',
]);
const RESERVED_NAMESPACES = ['auth0.com', 'webtask.io', 'webtask.run'];
const STANDARD_CLAIMS = new Set([
  'sub', 'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
  'picture', 'website', 'email', 'email_verified', 'gender', 'birthdate', 'zoneinfo', 'locale',
  'phone_number', 'phone_number_verified', 'address', 'updated_at',
]);
const ROOTS = new Set([
  'authentication', 'authorization', 'client', 'connection', 'organization', 'request', 'resource_server',
  'session', 'stats', 'tenant', 'transaction', 'user',
]);
const PROTOTYPE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** The host of a claim name (`https://host/...`, or `host/...` without a scheme), lower case. */
function nameHost(lower) {
  const scheme = lower.indexOf('://');
  const rest = scheme > 0 && /^[a-z0-9+.-]+$/.test(lower.slice(0, scheme)) ? lower.slice(scheme + 3) : lower;
  const authority = rest.split(/[/?#]/)[0];
  return authority.slice(authority.lastIndexOf('@') + 1).split(':')[0];
}

function nameProblem(tokenKey, name) {
  if (name.trim() === '') return 'an empty claim name';
  if (RESTRICTED_NAMES.has(name)) return 'a claim Auth0 ignores';
  const lower = name.toLowerCase();
  const host = nameHost(lower);
  if (lower.startsWith('urn:auth0') || RESERVED_NAMESPACES.some((ns) => host === ns || host.endsWith(`.${ns}`))) {
    return "in Auth0's reserved namespace";
  }
  if (tokenKey === 'accessToken' && STANDARD_CLAIMS.has(name)) return 'a standard OIDC claim at the root of the access token';
  if (tokenKey === 'idToken' && (name === 'phone_number' || name === 'phone_number_verified')) return 'already set by the phone policy';
  return undefined;
}

function pathProblem(text, allowUserControlled) {
  const segments = text.split('.');
  if (text === '' || segments.includes('')) return ['not a dotted path'];
  if (segments.length > 16) return ['more than 16 segments'];
  if (segments.some((s) => PROTOTYPE_SEGMENTS.has(s))) return ['a segment that reaches the prototype chain'];
  if (segments[0] === 'secrets') return ["the Action's secrets"];
  if (!ROOTS.has(segments[0])) return ['not a property of the post-login event'];
  if (segments[0] === 'request' && (segments.length === 1 || segments[1] === 'body')) return ['the raw request (credentials)'];
  const userControlled = segments[0] === 'user' && (segments.length === 1 || segments[1] === 'user_metadata');
  if (userControlled && allowUserControlled !== true) return ['user_metadata without allowUserControlled: true'];
  return [undefined, segments];
}

/**
 * A handler for `claims` ({idToken?, accessToken?}: claim name → path, or {path,
 * allowUserControlled}); the phone policy is the default one. Throws on a claim Auth0 would
 * ignore or a path that must not become a claim, as createPostLoginHandler does.
 */
function createPlainFairHandler(claims = {}) {
  const problems = [];
  const rulesOf = (tokenKey) =>
    Object.keys(claims[tokenKey] || {}).flatMap((name) => {
      const entry = claims[tokenKey][name];
      const [text, allow] = typeof entry === 'string' ? [entry, false] : [entry && entry.path, entry && entry.allowUserControlled];
      const nameIssue = nameProblem(tokenKey, name);
      const [pathIssue, segments] = typeof text === 'string' ? pathProblem(text, allow) : ['no path'];
      if (nameIssue) problems.push(`${tokenKey} ${JSON.stringify(name)}: ${nameIssue}`);
      if (pathIssue) problems.push(`${tokenKey} ${JSON.stringify(name)}: ${pathIssue}`);
      if (nameIssue || pathIssue) return [];
      return [{ name, segments, nameBytes: Buffer.byteLength(JSON.stringify(name), 'utf8') + 2 }];
    });
  for (const key of Object.keys(claims)) {
    if (key !== 'idToken' && key !== 'accessToken' && !(key === 'phone' && claims.phone === true)) {
      problems.push(`${key}: this baseline knows only idToken, accessToken and the default phone policy`);
    }
  }
  const idRules = rulesOf('idToken');
  const accessRules = rulesOf('accessToken');
  if (problems.length) {
    const error = new Error(`invalid claims configuration: ${problems.join('; ')}`);
    error.code = 'CONFIG_INVALID';
    error.problems = problems;
    throw error;
  }
  // `{}` plus `"phone_number":"…",` and `"phone_number_verified":…,` around the number.
  const PHONE_BYTES = 1 + '"phone_number":"",'.length + '"phone_number_verified":,'.length;

  return async function onExecutePostLogin(event, api) {
    const phone = phoneClaims(event);
    let idUsed = 1;
    if (phone !== undefined) {
      api.idToken.setCustomClaim('phone_number', phone[0]);
      api.idToken.setCustomClaim('phone_number_verified', phone[1]);
      idUsed = PHONE_BYTES + phone[0].length + (phone[1] ? 4 : 5);
    }
    if (idRules.length) setClaims(api.idToken, idRules, event, idUsed);
    if (accessRules.length) setClaims(api.accessToken, accessRules, event, 1);
  };
}

exports.CLAIMS = CLAIMS;
exports.createPlainFairHandler = createPlainFairHandler;
exports.normalizePhone = normalizePhone;
exports.onExecutePostLogin = createPlainFairHandler(CLAIMS);
