'use strict';
// The fair baseline sets exactly the claims ours sets:
//   node --test bench/baselines/plain-fair.check.js
// On every event of bench/lib/events.js and on hand-written edge cases, bench/baselines/plain-fair.js
// is compared with require('login-claims').simulatePostLogin(event, config) (a silent logger
// is passed; it changes no claim). The events carry no Management API secrets, so ours skips its
// `mfa` source (mfa_not_configured) as the baseline, which makes no lookup, always does.
//
// Deliberate differences (no Auth0 event has these; the last test pins each one, so that a
// change on either side shows):
//   - a parenthesised trunk prefix after the calling code is dropped only for the ~36 common
//     countries of the baseline's table; ours knows all 245 (`+380 (0)44 ...` is in the table,
//     `+212 (0)5 ...` is not, and the baseline then keeps the 0);
//   - no national numbers: the benchmark configuration has no phone.defaultCountry or
//     phone.countryPath, so neither converts a number without `+` (ours would with them);
//   - values JSON cannot carry faithfully are refused by ours and set as they are by the
//     baseline: nesting deeper than 128 levels, a lone UTF-16 surrogate, a boxed primitive
//     (new String('x')); and the baseline sets the event's own value where ours sets a JSON
//     copy (an `undefined` member, a Date: the same token once Auth0 serialises it);
//   - the budget measures the baseline's JSON.stringify text, ours serde_json's: a number
//     written with an exponent (1e21 is `1e+21` in JavaScript, `1e21` in Rust) can differ by a
//     byte;
//   - the phone fields are read with plain property access: a getter that throws there throws
//     out of the baseline, where ours reads it as absent (custom claim paths are guarded);
//   - only the configuration shapes the benchmark uses are checked at creation (claim names and
//     paths); ours also checks every key and type of the configuration.

const test = require('node:test');
const assert = require('node:assert/strict');
const lc = require('login-claims');
const events = require('../lib/events.js');
const fair = require('./plain-fair.js');

const { CONFIG } = events;
const SILENT = { logger: { warn() {}, log() {} } };
const FLOWS = ['authorize', 'refresh', 'password'];

async function claimsOfBoth(event, config = CONFIG) {
  const ours = await lc.simulatePostLogin(event, config, SILENT);
  const api = events.recordingApi(undefined);
  const handler = config === CONFIG ? fair.onExecutePostLogin : fair.createPlainFairHandler(config);
  await handler(event, api);
  return { ours: { idToken: ours.idToken, accessToken: ours.accessToken }, fair: api.claims };
}

async function same(event, config, label) {
  const { ours, fair: theirs } = await claimsOfBoth(event, config);
  assert.deepStrictEqual(theirs, ours, label);
  return ours;
}

/** A passwordless /authorize login that asked for the phone scope, with `change` applied. */
function loginWith(change, { flow = 'authorize', phoneScope = true, kind = 'passwordless', metadataBytes = 0 } = {}) {
  const event = structuredClone(events.eventOf({ flow, phoneScope, user: events.userOf(kind, 1, metadataBytes) }));
  if (change) change(event);
  return event;
}

test('the baseline carries the benchmark configuration', () => {
  assert.deepStrictEqual(fair.CLAIMS, { ...CONFIG });
});

test('every event of bench/lib/events.js', async () => {
  let withPhone = 0;
  for (const kind of events.USER_KINDS) {
    for (const flow of FLOWS) {
      for (const phoneScope of [true, false]) {
        for (const index of [0, 7, 4242]) {
          for (const metadataBytes of [0, 10 * 1024, 100 * 1024]) {
            const event = events.eventOf({ flow, phoneScope, user: events.userOf(kind, index, metadataBytes) });
            const ours = await same(event, CONFIG, `${kind} ${flow} phone scope ${phoneScope} user ${index} ${metadataBytes} B`);
            if (ours.idToken.phone_number) withPhone++;
          }
        }
      }
    }
  }
  assert.equal(withPhone, 3 * 3 * 3, 'passwordless users who asked for the phone scope get the number');
});

// [stored, the claim ours sets (undefined: refused)], for the profile and app_metadata sources.
const NUMBERS = [
  ['+14155550123', '+14155550123'],
  ['+1 (415) 555-0123', '+14155550123'],
  ['+1.415.555.0123', '+14155550123'],
  ['  +1 415 555 0123\t', '+14155550123'],
  ['+1\u00a0415\u00a0555\u00a00123', '+14155550123'],
  ['+1\u2009(415)\u2009555\u20130123', undefined], // U+2013 is not a hyphen-minus
  ['+44 (0)20 7946 0958', '+442079460958'],
  ['+44(0)2079460958', '+442079460958'],
  ['+44 ( 0 ) 20 7946 0958', '+442079460958'],
  ['+44 - (0)20 7946 0958', '+442079460958'],
  ['+44 (020) 7946 0958', '+4402079460958'],
  ['+44 20 (0)7946 0958', '+442007946 0958'.replace(' ', '')],
  ['+44 () 20 7946 0958', '+442079460958'],
  ['+49 (0)170 1234567', '+491701234567'],
  ['+33 (0)1 23 45 67 89', '+33123456789'],
  ['+7 (8) 495 123-45-67', '+74951234567'],
  ['+36 (06) 1 234 5678', '+3612345678'],
  ['+39 06 6988 4321', '+390669884321'],
  ['+39 (0)6 6988 4321', '+390669884321'],
  ['+1 415 555 0123;ext=89', '+14155550123;ext=89'],
  ['+1 415 555 0123;EXT=8 9', '+14155550123;ext=89'],
  ['+1 415 555 0123;ext=', undefined],
  ['+1 415 555 0123;ext=12345678901', undefined],
  ['+1 415 555 0123;x=1', undefined],
  ['+1 415 555 0123;ext=1;ext=2', undefined],
  ['+683 4002', '+6834002'],
  ['XXXXXXXX0958', undefined],
  ['+1415555XXXX', undefined],
  ['+1 415 ***-0123', undefined],
  ['+1 415 555 0123;ext=x1', undefined],
  ['020 7946 0958', undefined],
  ['0044 20 7946 0958', undefined],
  ['14155550123', undefined],
  ['+44 20 7946 0958 0000', undefined],
  ['+999 1234 5678', undefined],
  ['+0 415 555 0123', undefined],
  ['+1 234', undefined],
  ['+12345', undefined],
  ['++14155550123', undefined],
  ['+1 415 555 0123 #', undefined],
  ['+１４１５５５５０１２３', undefined],
  [`+1 415 555 0123${' '.repeat(50)}`, undefined], // 65 bytes: over the 64-byte cap
  [`+1 415 555 0123${' '.repeat(49)}`, '+14155550123'], // 64 bytes
  ['+1 415 555 0123\u00a0'.padEnd(40, '\u00a0'), undefined], // 40 characters, 65 bytes
  ['', undefined],
  ['+', undefined],
  ['   ', undefined],
  ['\ufeff+14155550123', undefined],
  ['\u0085+14155550123\u0085', '+14155550123'],
];

test('numbers from the profile: formatted, masked, refused', async () => {
  for (const [stored, expected] of NUMBERS) {
    const ours = await same(loginWith((e) => { e.user.phone_number = stored; }), CONFIG, `profile ${JSON.stringify(stored)}`);
    assert.equal(ours.idToken.phone_number, expected, `ours on ${JSON.stringify(stored)}`);
  }
});

test('numbers from app_metadata, and the verified flag of each source', async () => {
  for (const [stored, expected] of NUMBERS) {
    const event = loginWith((e) => {
      delete e.user.phone_number;
      e.user.app_metadata.phone_number = stored;
      e.user.app_metadata.phone_verified = true;
    });
    const ours = await same(event, CONFIG, `app_metadata ${JSON.stringify(stored)}`);
    assert.equal(ours.idToken.phone_number, expected);
  }
  const verifiedValues = [true, false, 'true', 1, null, undefined, {}, [true]];
  for (const verified of verifiedValues) {
    await same(loginWith((e) => { e.user.phone_verified = verified; }), CONFIG, `profile verified ${String(verified)}`);
    await same(loginWith((e) => {
      delete e.user.phone_number;
      e.user.app_metadata.phone_number = '+44 20 7946 0958';
      e.user.app_metadata.phone_verified = verified;
    }), CONFIG, `app_metadata verified ${String(verified)}`);
  }
  // A refused profile number falls through to app_metadata, with that source's flag.
  const ours = await same(loginWith((e) => {
    e.user.phone_number = 'XXXXXXXX0958';
    e.user.phone_verified = true;
    e.user.app_metadata.phone_number = '+44 20 7946 0958';
  }), CONFIG, 'masked profile, app_metadata number');
  assert.deepStrictEqual(ours.idToken, { phone_number: '+442079460958', phone_number_verified: false });
  // Not strings.
  for (const stored of [14155550123, true, ['+14155550123'], { number: '+14155550123' }, null]) {
    await same(loginWith((e) => { e.user.phone_number = stored; }), CONFIG, `profile number ${JSON.stringify(stored)}`);
  }
  // An SMS-MFA user without a profile number: ours skips mfa (not set up), as the baseline.
  await same(loginWith((e) => { e.user.app_metadata.phone_number = '+14155550199'; }, { kind: 'sms-mfa' }), CONFIG, 'sms-mfa, app_metadata');
});

test('the trunk prefixes of the baseline table are the engine\'s', async () => {
  // Every assigned calling code, with the parenthesised groups that can be a trunk prefix: the
  // two agree except where the table leaves a country out (see the header).
  const codes = [1, 7, 20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98, 212, 234, 254, 262, 353, 358, 380,
    420, 590, 852, 886, 972, 998];
  const dropsMore = [];
  for (const code of codes) {
    for (const group of ['0', '1', '8', '06', '9']) {
      const stored = `+${code} (${group}) 123 4567`;
      const event = loginWith((e) => { e.user.phone_number = stored; });
      const { ours, fair: theirs } = await claimsOfBoth(event);
      if (ours.idToken.phone_number === theirs.idToken.phone_number) continue;
      // The only difference allowed: ours drops a prefix the baseline's table does not know.
      assert.equal(theirs.idToken.phone_number, `+${code}${group}1234567`, stored);
      assert.equal(ours.idToken.phone_number, `+${code}1234567`, stored);
      dropsMore.push(code);
    }
  }
  assert.ok(!dropsMore.some((code) => [1, 7, 44, 49, 33, 36, 380].includes(code)), `table countries: ${dropsMore}`);
  assert.ok(dropsMore.includes(212), 'Morocco is outside the table (a deliberate difference)');
});

test('where the phone scope is read', async () => {
  const cases = {
    'no phone scope (authorize)': loginWith(null, { phoneScope: false }),
    'password grant, scope in the body': loginWith(null, { flow: 'password' }),
    'password grant, no phone in the body': loginWith(null, { flow: 'password', phoneScope: false }),
    'password grant, no scope at all': loginWith((e) => { delete e.request.body.scope; }, { flow: 'password' }),
    'refresh, scope in the body': loginWith(null, { flow: 'refresh' }),
    'refresh, no phone in the body': loginWith(null, { flow: 'refresh', phoneScope: false }),
    'refresh without a scope keeps the original grant': loginWith((e) => { delete e.request.body.scope; }, { flow: 'refresh' }),
    'refresh with an empty scope': loginWith((e) => { e.request.body.scope = ''; }, { flow: 'refresh' }),
    'refresh, requested_scopes []': loginWith((e) => { e.transaction.requested_scopes = []; delete e.request.body.scope; }, { flow: 'refresh' }),
    'requested_scopes [] then the body': loginWith((e) => { e.transaction.requested_scopes = []; e.request.body = { scope: 'openid phone' }; }),
    'requested_scopes without phone wins over the body': loginWith((e) => { e.request.body = { scope: 'phone' }; }, { phoneScope: false }),
    'requested_scopes as a string (malformed)': loginWith((e) => { e.transaction.requested_scopes = 'openid phone'; e.request.query.scope = 'openid'; }),
    'requested_scopes of no strings': loginWith((e) => { e.transaction.requested_scopes = [1, null, { phone: true }]; }),
    'requested_scopes with a stray number': loginWith((e) => { e.transaction.requested_scopes = ['openid', 7, 'phone']; }),
    'query only': loginWith((e) => { delete e.transaction.requested_scopes; }),
    'query without phone': loginWith((e) => { delete e.transaction.requested_scopes; e.request.query.scope = 'openid phones'; }),
    'tabs and newlines between scopes': loginWith((e) => { delete e.transaction.requested_scopes; e.request.query.scope = 'openid\tphone\r\nemail'; }),
    'case and substrings do not match': loginWith((e) => { e.transaction.requested_scopes = ['PHONE', 'phone_number', 'telephone']; }),
    'a body scope of the wrong type, then the query': loginWith((e) => { delete e.transaction.requested_scopes; e.request.body = { scope: 42 }; }),
    'a body that is not an object': loginWith((e) => { delete e.transaction.requested_scopes; e.request.body = 'scope=phone'; }),
    'no transaction and no request': loginWith((e) => { delete e.transaction; delete e.request; }),
    'no user': loginWith((e) => { delete e.user; }),
  };
  for (const [label, event] of Object.entries(cases)) await same(event, CONFIG, label);
});

test('custom claims: dotted paths, array indexes, user_metadata opt-in, values of every JSON type', async () => {
  const config = {
    idToken: {
      'https://x.example/first_identity': 'user.identities.0.user_id',
      'https://x.example/provider': 'user.identities.0.provider',
      'https://x.example/second_identity': 'user.identities.1.user_id',
      'https://x.example/plan': 'user.app_metadata.plan',
      'https://x.example/locale': { path: 'user.user_metadata.locale', allowUserControlled: true },
      'https://x.example/third_tag': 'user.app_metadata.history.2.tags.0',
      'https://x.example/logins': 'stats.logins_count',
      'https://x.example/verified': 'user.email_verified',
      'https://x.example/org': 'organization',
      'https://x.example/nothing': 'user.app_metadata.nothing',
      'https://x.example/null': 'user.app_metadata.null',
      'https://x.example/empty': 'user.app_metadata.empty',
      'https://x.example/length': 'authorization.roles.length',
      'https://x.example/not_into_strings': 'user.email.length',
      'https://x.example/auth0.com': 'tenant.id', // a lookalike: ours warns and still sets it
    },
    accessToken: {
      'https://x.example/second_role': 'authorization.roles.1',
      'https://x.example/roles': 'authorization.roles',
      'https://x.example/user': { path: 'user', allowUserControlled: true },
    },
  };
  for (const metadataBytes of [0, 1024]) {
    const event = loginWith((e) => {
      e.user.app_metadata.null = null;
      e.user.app_metadata.empty = '';
      e.user.identities.push({ provider: 'google-oauth2', user_id: '1077', connection: 'google-oauth2', isSocial: true });
    }, { metadataBytes });
    const ours = await same(event, config, `custom claims, ${metadataBytes} B`);
    assert.equal(ours.idToken['https://x.example/second_identity'], '1077');
    assert.equal(ours.idToken['https://x.example/length'], 2);
  }
  // Values JSON cannot carry, and reads that throw.
  const odd = {
    fn: () => 1, sym: Symbol('s'), big: 10n, nan: NaN, inf: Infinity, undef: undefined,
    cycle: (() => { const o = {}; o.self = o; return o; })(),
  };
  Object.defineProperty(odd, 'throws', { enumerable: true, get() { throw new Error('getter'); } });
  const oddConfig = { accessToken: Object.fromEntries(Object.keys(odd).map((k) => [`https://x.example/${k}`, `user.app_metadata.odd.${k}`])) };
  oddConfig.accessToken['https://x.example/inside'] = 'user.app_metadata.odd.throws.inside';
  await same(loginWith((e) => { e.user.app_metadata.odd = odd; }), oddConfig, 'values JSON cannot carry');
});

/** A login with `values` in app_metadata.big, one claim per entry of `claims` (name → key). */
function budgetLogin(values, { phoneScope = true } = {}) {
  return loginWith((e) => { e.user.app_metadata.big = values; }, { phoneScope });
}
const budgetConfig = (token, names) => ({ [token]: Object.fromEntries(names.map((n) => [`https://x/${n}`, `user.app_metadata.big.${n}`])) });

test('the 100 000-byte budget per token: 100 KB of metadata, exact edges, largest first, ties by name', async () => {
  // 100 KB of metadata copied whole: the two halves do not fit one token together.
  const whole = {
    accessToken: {
      'https://x/app': 'user.app_metadata',
      'https://x/usr': { path: 'user.user_metadata', allowUserControlled: true },
      'https://x/plan': 'user.app_metadata.plan',
    },
    idToken: { 'https://x/app': 'user.app_metadata' },
  };
  for (const metadataBytes of [10 * 1024, 100 * 1024, 200 * 1024]) {
    const ours = await same(loginWith(null, { metadataBytes }), whole, `whole metadata, ${metadataBytes} B`);
    if (metadataBytes === 100 * 1024) {
      const halves = ['https://x/app', 'https://x/usr'].filter((name) => name in ours.accessToken);
      assert.equal(halves.length, 1, 'one half, the larger, is dropped');
      assert.ok('https://x/plan' in ours.accessToken);
      assert.ok(ours.idToken['https://x/app'], 'the other token has its own budget');
    }
  }
  // `{"https://x/s":"…"}` is 18 bytes around the string: 99 982 characters fill it exactly.
  for (const [token, n, kept] of [['accessToken', 99982, true], ['accessToken', 99983, false], ['idToken', 99982, false]]) {
    const ours = await same(budgetLogin({ s: 'a'.repeat(n) }), budgetConfig(token, ['s']), `${token} ${n}`);
    assert.equal('https://x/s' in ours[token], kept, `${token} ${n}`);
  }
  // On the ID token the phone claims count (and are never dropped): without the phone scope
  // the same claim fits.
  const phoneBytes = 1 + 18 + '+14155550001'.length + 25 + 4 - 1;
  for (const [n, phoneScope, kept] of [[99982 - phoneBytes, true, true], [99983 - phoneBytes, true, false], [99983 - phoneBytes, false, true]]) {
    const ours = await same(budgetLogin({ s: 'a'.repeat(n) }, { phoneScope }), budgetConfig('idToken', ['s']), `id token ${n} ${phoneScope}`);
    assert.equal('https://x/s' in ours.idToken, kept, `id token ${n}, phone scope ${phoneScope}`);
  }
  // Bytes of UTF-8, escapes included.
  for (const [label, text, kept] of [
    ['2-byte characters, full', 'é'.repeat(49991), true],
    ['2-byte characters, one byte over', `${'é'.repeat(49991)}a`, false],
    ['3-byte characters, full', `${'€'.repeat(33327)}a`, true],
    ['3-byte characters, over', `${'€'.repeat(33328)}`, false],
    ['4-byte characters', '😀'.repeat(24996), false],
    ['escapes: \\n is 2 bytes', `${'\n'.repeat(49991)}`, true],
    ['escapes: \\u0001 is 6 bytes', `${'\u0001'.repeat(16663)}a'`, true],
    ['escapes: quotes', `${'"'.repeat(49992)}`, false],
  ]) {
    const ours = await same(budgetLogin({ s: text }), budgetConfig('accessToken', ['s']), label);
    assert.equal('https://x/s' in ours.accessToken, kept, label);
  }
  // Largest first, ties by name, until the rest fits.
  const sizes = { a: 60000, b: 60000, c: 30000, d: 10, e: 45000, f: 45000 };
  const values = Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, 'x'.repeat(n)]));
  for (const names of [['a', 'b'], ['b', 'a'], ['a', 'b', 'c', 'd'], ['c', 'f', 'e', 'd'], ['f', 'e'], ['a', 'c', 'd']]) {
    const ours = await same(budgetLogin(values), budgetConfig('accessToken', names), `drop order ${names}`);
    if (names.length === 2 && names.includes('a')) assert.deepStrictEqual(Object.keys(ours.accessToken), ['https://x/b'], 'a tie drops the first name');
  }
  // Objects and arrays are measured as their JSON.
  const list = Array.from({ length: 3000 }, (_, i) => ({ id: i, tag: `t${i}`, on: i % 2 === 0, score: i / 7 }));
  await same(budgetLogin({ list, small: [1, 2, 3], nested: { list } }), budgetConfig('accessToken', ['list', 'small', 'nested']), 'objects and arrays');
});

test('claim names and paths refused at creation, as ours refuses the configuration', () => {
  const refused = [
    { accessToken: { roles: 'authorization.roles' } },
    { accessToken: { org_id: 'organization.id' } },
    { idToken: { permissions: 'authorization.roles' } },
    { idToken: { 'x5t#S256': 'tenant.id' } },
    { accessToken: { 'https://tenant.auth0.com/plan': 'user.app_metadata.plan' } },
    { accessToken: { 'https://AUTH0.COM/plan': 'user.app_metadata.plan' } },
    { accessToken: { 'https://x.webtask.io/plan': 'user.app_metadata.plan' } },
    { accessToken: { 'urn:auth0:plan': 'user.app_metadata.plan' } },
    { accessToken: { email: 'user.email' } },
    { idToken: { phone_number: 'user.phone_number' } },
    { idToken: { '': 'user.email' } },
    { idToken: { '  ': 'user.email' } },
    { idToken: { 'https://x/locale': 'user.user_metadata.locale' } },
    { idToken: { 'https://x/user': 'user' } },
    { idToken: { 'https://x/locale': { path: 'user.user_metadata.locale', allowUserControlled: false } } },
    { idToken: { 'https://x/s': 'secrets.MANAGEMENT_CLIENT_SECRET' } },
    { idToken: { 'https://x/p': 'request.body.password' } },
    { idToken: { 'https://x/r': 'request' } },
    { idToken: { 'https://x/p': 'user.__proto__.x' } },
    { idToken: { 'https://x/p': 'user.constructor' } },
    { idToken: { 'https://x/p': 'user..plan' } },
    { idToken: { 'https://x/p': 'nope.plan' } },
    { idToken: { 'https://x/p': Array.from({ length: 17 }, () => 'a').join('.').replace(/^a/, 'user') } },
  ];
  for (const config of refused) {
    assert.equal(lc.validateConfig(config).ok, false, `ours refuses ${JSON.stringify(config)}`);
    assert.throws(() => fair.createPlainFairHandler(config), { code: 'CONFIG_INVALID' }, JSON.stringify(config));
  }
  const accepted = [
    CONFIG,
    { idToken: { email: 'user.email', 'https://x/roles': 'authorization.roles' } },
    { accessToken: { 'https://example.com/auth0.com': 'tenant.id', 'https://notauth0.com/x': 'tenant.id' } },
    { idToken: { 'https://x/locale': { path: 'user.user_metadata.locale', allowUserControlled: true } } },
    { accessToken: { 'https://x/q': 'request.query.scope', 'https://x/p': Array.from({ length: 16 }, () => 'a').join('.').replace(/^a/, 'user') } },
  ];
  for (const config of accepted) {
    assert.equal(lc.validateConfig(config).ok, true, `ours accepts ${JSON.stringify(config)}`);
    assert.doesNotThrow(() => fair.createPlainFairHandler(config), JSON.stringify(config));
  }
});

test('the deliberate differences listed in the header are real (and the only ones seen here)', async () => {
  const config = budgetConfig('accessToken', ['deep', 'surrogate', 'boxed']);
  let deep = [];
  for (let i = 0; i < 200; i++) deep = [deep];
  const event = budgetLogin({ deep, surrogate: 'a\ud800b', boxed: new String('x') });
  const { ours, fair: theirs } = await claimsOfBoth(event, config);
  assert.deepStrictEqual(ours.accessToken, {});
  assert.deepStrictEqual(Object.keys(theirs.accessToken).sort(), ['https://x/boxed', 'https://x/deep', 'https://x/surrogate']);
  // The event's value, against ours' JSON copy: equal once serialised as Auth0 does.
  const copy = budgetConfig('accessToken', ['withUndefined']);
  const both = await claimsOfBoth(budgetLogin({ withUndefined: { a: 1, b: undefined } }), copy);
  assert.notDeepStrictEqual(both.fair.accessToken, both.ours.accessToken);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(both.fair.accessToken)), both.ours.accessToken);
});
