'use strict';
// config.schema.json is what an editor checks a configuration file against (completion, and a
// squiggle under a mistake); the Rust validator is what the Action checks it against when it
// loads. They must agree on structure: for every configuration this suite can find (the
// examples, the scenarios, the literals of the other JS and Rust tests), for hand-written edge
// cases at every key and for generated ones, the schema accepts a configuration exactly when
// validateConfig reports no structural issue. What is structural is decided per issue code in
// ISSUE_CODES below, which must name every code the engine has.

const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
// Ajv's default export validates draft-07, the draft the schema declares.
const Ajv = require('ajv');
const fc = require('fast-check');
const { root, cliRoot, repoRoot, loadPackage } = require('./under-test.js');
const { catalogue } = require('./lookup-client.js');

// The runtime package ships the schema at its root; the CLI package (with the examples) a copy.
const SCHEMA_FILE = path.join(root, 'config.schema.json');
const SCHEMA_TEXT = fs.readFileSync(SCHEMA_FILE, 'utf8');
const SCHEMA = JSON.parse(SCHEMA_TEXT);
const README = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

// ---- which issues are structural ---------------------------------------------------------------

/** The entry a claim or countryPath issue is about: `idToken["name"]`, `phone.countryPath`. */
function entryAt(config, at) {
  if (at === 'phone.countryPath') return config.phone.countryPath;
  const claim = /^(idToken|accessToken)\[(.*)\]$/.exec(at);
  assert.ok(claim, `an entry issue at an unexpected place: ${at}`);
  return config[claim[1]][JSON.parse(claim[2])];
}

/**
 * Every issue code (the engine catalogue's and the JS shim's), structural or not. Structural:
 * what the schema checks, so a configuration has such an issue exactly when the schema refuses
 * it. A function decides codes that are structural only in some cases.
 */
const ISSUE_CODES = {
  // The type of each value, the keys of each object, the enums: the structure itself.
  not_an_object: { structural: true, schema: 'type of the root' },
  unknown_key: { structural: true, schema: 'additionalProperties: false' },
  wrong_type: { structural: true, schema: 'type' },
  unknown_source: { structural: true, schema: 'enum of phone.sources items' },
  unknown_mfa_endpoint: { structural: true, schema: 'enum of phone.mfaEndpoint' },
  // Rules about values that JSON Schema expresses exactly, so the schema checks them too.
  duplicate_source: { structural: true, schema: 'uniqueItems of phone.sources' },
  no_sources: { structural: true, schema: 'minItems: 1 of phone.sources' },
  unknown_country: { structural: true, schema: 'pattern of phone.defaultCountry: every code with dialling rules, any case' },
  // A path entry object without `path` lacks a required member (structural); any other
  // invalid_path is the syntax of a path string (not structural).
  invalid_path: {
    structural: (issue, config) => {
      if (!['phone.countryPath'].includes(issue.at) && !/^(idToken|accessToken)\[/.test(issue.at)) return false;
      const entry = entryAt(config, issue.at);
      return typeof entry === 'object' && entry !== null && !Array.isArray(entry) && !('path' in entry);
    },
    schema: 'required: ["path"] of a claim source object',
  },
  // Not structural: what a path or a claim name means, which the schema leaves to validateConfig.
  empty_claim_name: { structural: false, why: 'a rule on claim names' },
  restricted_claim: { structural: false, why: 'the claim names Auth0 ignores' },
  reserved_namespace: { structural: false, why: 'the namespaces Auth0 keeps for itself' },
  namespace_lookalike: { structural: false, why: 'a warning on claim names' },
  standard_claim_in_access_token: { structural: false, why: 'the OIDC claim names, in one token only' },
  duplicate_claim: { structural: false, why: 'depends on phone and idToken together' },
  unknown_path_root: { structural: false, why: 'the roots of the post-login event' },
  secret_path: { structural: false, why: 'what a path reads' },
  credential_path: { structural: false, why: 'what a path reads' },
  user_controlled_path: { structural: false, why: 'a path together with allowUserControlled' },
  app_metadata_full_path: { structural: false, why: 'a warning on what a path string says' },
  // The shim's: no engine to validate with; nothing about the configuration.
  engine_unavailable: { structural: false, why: 'the runtime has no WebAssembly' },
};

function isStructural(issue, config) {
  const entry = ISSUE_CODES[issue.code];
  assert.ok(entry, `issue code ${issue.code} is not classified in ISSUE_CODES`);
  return typeof entry.structural === 'function' ? entry.structural(issue, config) : entry.structural;
}

// ---- the two validators --------------------------------------------------------------------------

let lc;
let validate;

before(async () => {
  lc = await loadPackage();
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  validate = ajv.compile(SCHEMA);
});

/** What each side says of one configuration. */
function verdicts(config) {
  const schemaValid = validate(config);
  const { issues } = lc.validateConfig(config);
  const structural = issues.filter((issue) => isStructural(issue, config));
  return { schemaValid, issues, structural, schemaErrors: validate.errors };
}

const show = (value) => JSON.stringify(value)?.slice(0, 300);

/**
 * Whether a configuration holds a string with a lone UTF-16 surrogate: JSON.stringify writes it
 * as a \\uD800-style escape (an odd run of backslashes before it), and its text is not JSON, so
 * validateConfig refuses it (`not_an_object`); a JSON Schema has no way to say so.
 */
const LONE_SURROGATE = /(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/** Asserts the agreement on one configuration and returns the verdicts. */
function agree(config, where) {
  const v = verdicts(config);
  if (LONE_SURROGATE.test(JSON.stringify(config) ?? '')) {
    assert.deepEqual(v.issues.map((i) => i.code), ['not_an_object'], `${where}: a lone surrogate is refused as not JSON`);
    return v;
  }
  assert.equal(
    v.schemaValid,
    v.structural.length === 0,
    `${where}: ${show(config)}\nschema ${v.schemaValid ? 'accepts' : `refuses (${show(v.schemaErrors)})`}, validateConfig reports ${show(v.issues.map((i) => [i.code, i.at]))}`
  );
  return v;
}

// ---- where the configurations come from ------------------------------------------------------------

/** The example configurations: every examples/*.json but the demo manifest and the sample tenant. */
function exampleConfigs() {
  const dir = path.join(cliRoot, 'examples');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'demo.json'), 'utf8'));
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'demo.json' && name !== manifest.tenant)
    .map((name) => ({ name: `examples/${name}`, file: path.join(dir, name), config: JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) }));
}

/** The configurations of the scenario files (tests/ exists only in the repository). */
function scenarioConfigs() {
  const dir = path.join(repoRoot, 'tests', 'scenarios');
  const found = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const { scenarios } = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    for (const scenario of scenarios) if ('config' in scenario) found.push({ name: `${name}: ${scenario.name}`, config: scenario.config });
  }
  return found;
}

/** The index just past the bracket that closes the one at `start`, skipping strings and comments. */
function closing(text, start) {
  const open = text[start];
  const close = { '{': '}', '(': ')' }[open];
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i += 1; i < text.length && text[i] !== c; i += 1) if (text[i] === '\\') i += 1;
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i === -1) return -1;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i) + 1;
    } else if (c === open) {
      depth += 1;
    } else if (c === close) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** A literal's value when it is plain JSON data with no free name in it, else undefined. */
function literalValue(source) {
  let value;
  try {
    value = vm.runInNewContext(`(${source})`, Object.create(null), { timeout: 100 });
  } catch {
    return undefined; // it names a variable, spreads one, calls a function...
  }
  let json;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined;
  }
  if (json === undefined) return undefined;
  const copy = JSON.parse(json);
  // Functions, symbols, undefined members and the like vanish in JSON: not a JSON configuration.
  return JSON.stringify(copy) === json && sameData(copy, value) ? copy : undefined;
}

function sameData(copy, value) {
  if (copy === null || typeof copy !== 'object') return Object.is(copy, value) || (copy === 0 && value === 0);
  if (typeof value !== 'object' || value === null || Array.isArray(copy) !== Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === Object.keys(copy).length && keys.every((k) => sameData(copy[k], value[k]));
}

/**
 * The object literals the JS suites pass as a configuration: the first argument of
 * validateConfig and createPostLoginHandler, the second of simulatePostLogin, and the values of
 * `config =`, `config:` and `CONFIG =`. Those that are plain JSON data are kept.
 */
function jsTestConfigs() {
  const dir = path.join(repoRoot, 'tests', 'js');
  const found = [];
  const self = path.basename(__filename);
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.test.js') && n !== self)) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const starts = /\b(?:validateConfig|createPostLoginHandler)\(\s*(?=\{)|\bsimulatePostLogin\(|\b(?:config|CONFIG)\s*[=:]\s*(?=\{)/g;
    for (const match of text.matchAll(starts)) {
      let at = match.index + match[0].length;
      if (match[0].startsWith('simulatePostLogin')) {
        // The second argument: skip the event, the first.
        const args = closing(text, at - 1);
        let depth = 0;
        let comma = -1;
        for (let i = at; i < args - 1 && comma === -1; i += 1) {
          const c = text[i];
          if ('{[('.includes(c)) depth += 1;
          else if ('}])'.includes(c)) depth -= 1;
          else if (c === ',' && depth === 0) comma = i;
        }
        if (comma === -1) continue;
        at = comma + 1;
        while (/\s/.test(text[at])) at += 1;
        if (text[at] !== '{') continue;
      }
      const end = closing(text, at);
      if (end === -1) continue;
      const value = literalValue(text.slice(at, end));
      if (value !== undefined) found.push({ name: `${name}:${text.slice(0, at).split('\n').length}`, config: value });
    }
  }
  return found;
}

/** The json!(...) literals of the Rust validator's own tests that are plain JSON (src/ is repository-only). */
function rustTestConfigs() {
  const file = path.join(repoRoot, 'src', 'engine', 'config_tests.rs');
  const text = fs.readFileSync(file, 'utf8');
  const found = [];
  for (const match of text.matchAll(/json!\(/g)) {
    const end = closing(text, match.index + match[0].length - 1);
    if (end === -1) continue;
    const body = text.slice(match.index + match[0].length, end - 1);
    try {
      found.push({ name: `config_tests.rs:${text.slice(0, match.index).split('\n').length}`, config: JSON.parse(body) });
    } catch {
      // A Rust expression inside (a variable, a format!): not a literal.
    }
  }
  return found;
}

// ---- hand-written edge cases, with the verdict the README's key table gives --------------------------

const CLAIM = 'https://my-app.example.com/x';

/**
 * For each place in a configuration: values the README's key table allows there (`valid`) and
 * values of another type, unknown keys, values outside an enum and the like (`invalid`). Each
 * is put alone into an otherwise empty configuration.
 */
const SLOTS = [
  { at: [], valid: [{}, null], invalid: [7, 'x', '', [], true, false, [{}]] },
  { at: ['$schema'], valid: ['', './node_modules/login-claims/config.schema.json', '../config.schema.json', 'https://example.com/s.json'], invalid: [null, 1, true, {}, []] },
  { at: ['phone'], valid: [true, false, null, {}], invalid: [0, 1, 'on', 'true', [], [true]] },
  { at: ['phone', 'enabled'], valid: [true, false], invalid: [null, 'yes', 'false', 1, 0, [], {}] },
  {
    at: ['phone', 'sources'],
    valid: [['profile'], ['mfa'], ['app_metadata'], ['app_metadata', 'profile'], ['mfa', 'app_metadata', 'profile'], ['profile', 'mfa', 'app_metadata']],
    invalid: [[], null, 'profile', {}, true, ['sms'], ['Profile'], ['app-metadata'], [''], [1], [null], [true], [['profile']], [{}], ['profile', 'profile'], ['mfa', 'profile', 'mfa'], ['profile', 'mfa', 'app_metadata', 'profile']],
  },
  { at: ['phone', 'mfaEndpoint'], valid: ['authentication-methods', 'enrollments'], invalid: ['enrolments', 'Enrollments', 'authentication_methods', '', null, 1, true, ['enrollments'], {}] },
  {
    at: ['phone', 'appMetadata'],
    valid: [{}, { number: 'mobile' }, { verified: 'contact.verified' }, { number: 'phone_number', verified: 'phone_verified' }],
    invalid: [null, 'phone', [], true, 1, { number: 1 }, { number: null }, { verified: null }, { verified: true }, { number: ['mobile'] }, { Number: 'x' }, { number: 'x', extra: 1 }, { '': 'x' }],
  },
  { at: ['phone', 'defaultCountry'], valid: ['GB', 'gb', 'Gb', 'gB', 'US', 'us', 'DE', 'IT', 'RU', 'JP', null], invalid: ['UK', 'ZZ', 'XX', 'G', 'GBR', '', ' GB', 'GB ', 'G1', '44', 'ĞB', 'ＧＢ', 1, 44, true, [], ['GB'], {}] },
  {
    at: ['phone', 'countryPath'],
    valid: ['user.app_metadata.country', { path: 'user.app_metadata.country' }, { path: 'user.app_metadata.country', allowUserControlled: false }, { path: 'user.user_metadata.country', allowUserControlled: true }],
    invalid: [null, 1, true, [], ['user.app_metadata.country'], {}, { allowUserControlled: true }, { path: 1 }, { path: null }, { path: 'user.app_metadata.country', allowUserControlled: 'yes' }, { path: 'user.app_metadata.country', allowUserControlled: null }, { path: 'user.x', extra: 1 }, { Path: 'user.x' }],
  },
  { at: ['idToken'], valid: [{}, null], invalid: [[], 'x', 1, true, [{ a: 'user.email' }]] },
  { at: ['accessToken'], valid: [{}, null], invalid: [[], 'x', 0, false] },
  ...['idToken', 'accessToken'].map((token) => ({
    at: [token, CLAIM],
    valid: ['user.email', 'organization.id', 'user.identities.0.user_id', { path: 'user.email' }, { path: 'user.email', allowUserControlled: false }, { path: 'user.user_metadata.locale', allowUserControlled: true }],
    invalid: [null, 1, true, [], ['user.email'], {}, { allowUserControlled: true }, { path: null }, { path: 7 }, { path: ['user', 'email'] }, { path: 'user.email', allowUserControlled: null }, { path: 'user.email', allowUserControlled: 1 }, { path: 'user.email', allow: true }, { path: 'user.email', AllowUserControlled: true }],
  })),
];

/** Unknown keys at each level that has fixed keys: near misses, other cases, the empty key, __proto__. */
const UNKNOWN_KEYS = [
  { at: [], keys: ['acessToken', 'idtoken', 'Phone', 'phones', 'schema', '$id', '', '__proto__', 'constructor'] },
  { at: ['phone'], keys: ['source', 'Sources', 'enable', 'mfa_endpoint', 'app_metadata', 'countrycode', '', '__proto__'] },
  { at: ['phone', 'appMetadata'], keys: ['numbers', 'phone_number', 'Verified', ''] },
  { at: ['idToken', CLAIM], keys: ['paths', 'allowusercontrolled', ''], base: { path: 'user.email' } },
  { at: ['phone', 'countryPath'], keys: ['value', ''], base: { path: 'user.app_metadata.country' } },
];

/** A configuration with `value` at `at`, built from JSON so that a `__proto__` key stays a key. */
function withValue(at, value) {
  if (at.length === 0) return value;
  let text = JSON.stringify(value);
  for (const key of [...at].reverse()) text = `{${JSON.stringify(key)}:${text}}`;
  return JSON.parse(text);
}

/**
 * Configurations with no structural problem but with each semantic one: the schema must accept
 * them, and validateConfig must report the code (so the classification above is exercised).
 */
const SEMANTIC = [
  ['empty_claim_name', { idToken: { '': 'user.email' } }],
  ['restricted_claim', { accessToken: { roles: 'authorization.roles' } }],
  ['reserved_namespace', { accessToken: { 'https://my-app.auth0.com/plan': 'user.app_metadata.plan' } }],
  ['namespace_lookalike', { idToken: { 'https://my-app.example.com/auth0.com': 'user.email' } }],
  ['standard_claim_in_access_token', { accessToken: { email: 'user.email' } }],
  ['duplicate_claim', { idToken: { phone_number: 'user.app_metadata.phone_number' } }],
  ['invalid_path', { idToken: { [CLAIM]: 'user..email' } }],
  ['invalid_path', { idToken: { [CLAIM]: '' } }],
  ['invalid_path', { accessToken: { [CLAIM]: { path: 'user.__proto__.x' } } }],
  ['invalid_path', { accessToken: { [CLAIM]: Array.from({ length: 17 }, (_, i) => (i === 0 ? 'user' : `s${i}`)).join('.') } }],
  ['invalid_path', { phone: { countryPath: 'user.' } }],
  ['invalid_path', { phone: { appMetadata: { number: 'a..b' } } }],
  ['invalid_path', { phone: { appMetadata: { verified: '' } } }],
  ['unknown_path_root', { accessToken: { [CLAIM]: 'organisation.id' } }],
  ['unknown_path_root', { phone: { countryPath: { path: 'country' } } }],
  ['secret_path', { accessToken: { [CLAIM]: 'secrets.MANAGEMENT_CLIENT_SECRET' } }],
  ['credential_path', { accessToken: { [CLAIM]: 'request.body.password' } }],
  ['credential_path', { accessToken: { [CLAIM]: 'request' } }],
  ['user_controlled_path', { idToken: { [CLAIM]: 'user.user_metadata.city' } }],
  ['user_controlled_path', { idToken: { [CLAIM]: { path: 'user', allowUserControlled: false } } }],
  ['user_controlled_path', { phone: { countryPath: 'user.user_metadata.country' } }],
  ['app_metadata_full_path', { phone: { appMetadata: { number: 'user.app_metadata.mobile' } } }],
];

function handWrittenCases() {
  const cases = [];
  for (const slot of SLOTS) {
    for (const value of slot.valid) cases.push({ name: `${slot.at.join('.') || '(root)'} = ${show(value)}`, config: withValue(slot.at, value), structural: false });
    for (const value of slot.invalid) cases.push({ name: `${slot.at.join('.') || '(root)'} = ${show(value)}`, config: withValue(slot.at, value), structural: true });
  }
  for (const { at, keys, base = {} } of UNKNOWN_KEYS) {
    for (const key of keys) {
      const text = JSON.stringify(base).replace(/^\{/, `{${JSON.stringify(key)}:1${Object.keys(base).length ? ',' : ''}`);
      const value = JSON.parse(text);
      cases.push({ name: `unknown key ${show(key)} in ${at.join('.') || '(root)'}`, config: at.length ? withValue(at, value) : value, structural: true });
    }
  }
  for (const [code, config] of SEMANTIC) cases.push({ name: `${code}: ${show(config)}`, config, structural: false, code });
  return cases;
}

// ---- the tests -------------------------------------------------------------------------------------

describe('config.schema.json', () => {
  it('is a draft-07 schema that Ajv compiles in strict mode, with $id, title and a description on every property', () => {
    assert.equal(SCHEMA.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.match(SCHEMA.$id, /^https:\/\/.+\/config\.schema\.json$/);
    assert.equal(typeof SCHEMA.title, 'string');
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    assert.equal(ajv.validateSchema(SCHEMA), true, show(ajv.errors));
    const undescribed = [];
    const walk = (schema, where) => {
      if (!schema || typeof schema !== 'object') return;
      if (typeof schema.description !== 'string' || schema.description.length < 10) undescribed.push(where);
      for (const [key, sub] of Object.entries(schema.properties || {})) walk(sub, `${where}.${key}`);
      for (const [key, sub] of Object.entries(schema.definitions || {})) walk(sub, `#/definitions/${key}`);
      if (schema.items) walk(schema.items, `${where}[]`);
    };
    walk(SCHEMA, '(root)');
    assert.deepEqual(undescribed, []);
  });

  it('its properties are the keys of the README configuration table', () => {
    const start = README.search(/^## Configuration$/m);
    assert.notEqual(start, -1);
    const rest = README.slice(start).split('\n').slice(1).join('\n');
    const configuration = rest.slice(0, rest.search(/^#{1,3} /m));
    const table = [...configuration.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    assert.ok(table.length >= 10, `the README table lists ${table.length} keys`);
    const keys = [];
    const walk = (schema, prefix) => {
      for (const [key, sub] of Object.entries(schema.properties || {})) {
        // The table lists the leaves, and the keys that take another value than their object
        // (`phone`: true or false); `phone.appMetadata` is only its two paths.
        if (!(sub.type === 'object' && sub.properties)) keys.push(prefix + key);
        walk(sub, `${prefix}${key}.`);
      }
    };
    walk(SCHEMA, '');
    assert.deepEqual([...keys].sort(), [...table].sort());
    // The top level, as the brief of the schema: the keys the Rust validator allows at the root.
    assert.deepEqual(Object.keys(SCHEMA.properties).sort(), table.filter((k) => !k.includes('.')).sort());
  });

  it('its properties are those of the Config and PhonePolicy types of index.d.ts', () => {
    const types = fs.readFileSync(path.join(root, 'js', 'action', 'index.d.ts'), 'utf8');
    const members = (name) => {
      const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(types);
      assert.ok(body, name);
      return [...body[1].matchAll(/^ {2}(\$?\w+)\?:/gm)].map((m) => m[1]).sort();
    };
    assert.deepEqual(members('Config'), Object.keys(SCHEMA.properties).sort());
    assert.deepEqual(members('PhonePolicy'), Object.keys(SCHEMA.properties.phone.properties).sort());
  });

  it('the README names it by the path an installed package has', () => {
    const { name } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const line = `"$schema": "./node_modules/${name}/config.schema.json"`;
    assert.ok(README.includes(`\`${line}\``), `README shows ${line}`);
    assert.ok(README.includes('[config.schema.json](config.schema.json)'), 'README links the schema');
  });

  it('the copy next to the examples (the CLI package) is the same file', () => {
    const copy = path.join(cliRoot, 'config.schema.json');
    assert.equal(fs.readFileSync(copy, 'utf8'), SCHEMA_TEXT);
  });
});

describe('the issue codes', () => {
  it('every code of the engine catalogue and of the JS shim is classified, and no other', () => {
    const shimSource = fs.readFileSync(path.join(root, 'js', 'action', 'core.js'), 'utf8') + fs.readFileSync(path.join(root, 'js', 'action', 'simulate.js'), 'utf8');
    const shim = [...shimSource.matchAll(/code: '([a-z_]+)'/g)].map((m) => m[1]);
    const codes = [...new Set([...catalogue().issues, ...shim])].sort();
    assert.ok(codes.length >= 20, codes.join(' '));
    assert.deepEqual(Object.keys(ISSUE_CODES).sort(), codes);
    for (const [code, entry] of Object.entries(ISSUE_CODES)) {
      assert.ok(['boolean', 'function'].includes(typeof entry.structural), code);
      assert.ok(entry.structural === false ? entry.why : entry.schema, `${code} says why`);
    }
  });
});

describe('the schema and validateConfig agree', () => {
  it('on the example configurations, which name the schema with $schema and have only the problems they are meant to show', () => {
    const examples = exampleConfigs();
    assert.ok(examples.length >= 2, examples.map((e) => e.name).join(' '));
    for (const { name, file, config } of examples) {
      assert.equal(config.$schema, '../config.schema.json', `${name} names the schema for editors`);
      const target = path.resolve(path.dirname(file), config.$schema);
      assert.equal(fs.readFileSync(target, 'utf8'), SCHEMA_TEXT, `${name}: $schema resolves to the schema`);
      agree(config, name);
    }
    const byName = Object.fromEntries(examples.map((e) => [e.name, e.config]));
    assert.equal(validate(byName['examples/config.json']), true, 'the example configuration is valid');
    // The mistakes example is the demo of validate: its structural mistakes (an unknown source,
    // a source listed twice, a misspelt endpoint) are the ones an editor underlines too.
    const mistakes = verdicts(byName['examples/config-with-mistakes.json']);
    assert.equal(mistakes.schemaValid, false);
    assert.deepEqual(mistakes.structural.map((i) => i.code).sort(), ['duplicate_source', 'unknown_mfa_endpoint', 'unknown_source']);
  });

  it('on every scenario configuration', () => {
    const scenarios = scenarioConfigs();
    assert.ok(scenarios.length >= 10, `${scenarios.length} scenarios`);
    for (const { name, config } of scenarios) agree(config, name);
  });

  it('on the configuration literals of the other JS suites', () => {
    const literals = jsTestConfigs();
    assert.ok(literals.length >= 15, `only ${literals.length} literals found: ${literals.map((l) => l.name).join(' ')}`);
    let refused = 0;
    for (const { name, config } of literals) if (!agree(config, name).schemaValid) refused += 1;
    assert.ok(refused >= 1 && refused < literals.length, `${refused} of ${literals.length} refused`);
  });

  it("on the JSON literals of the Rust validator's own tests", () => {
    const literals = rustTestConfigs();
    assert.ok(literals.length >= 60, `only ${literals.length} literals found`);
    let refused = 0;
    for (const { name, config } of literals) if (!agree(config, name).schemaValid) refused += 1;
    assert.ok(refused >= 10 && refused < literals.length - 10, `${refused} of ${literals.length} refused`);
  });

  it('on wrong types, unknown keys and values outside the allowed set at every key, as the README table says', () => {
    const cases = handWrittenCases();
    const seen = new Set();
    for (const { name, config, structural, code } of cases) {
      const v = agree(config, name);
      assert.equal(v.schemaValid, !structural, `${name}: the README table ${structural ? 'does not allow' : 'allows'} this`);
      if (code) assert.ok(v.issues.some((i) => i.code === code), `${name}: validateConfig reports ${code}: ${show(v.issues)}`);
      for (const issue of v.issues) seen.add(`${issue.code}:${isStructural(issue, config)}`);
    }
    // Every code is exercised, the structural ones as refusals and the others as acceptances;
    // invalid_path both ways.
    const expected = Object.entries(ISSUE_CODES)
      .filter(([code]) => code !== 'engine_unavailable')
      .flatMap(([code, { structural }]) => (typeof structural === 'function' ? [`${code}:true`, `${code}:false`] : [`${code}:${structural}`]));
    assert.deepEqual(expected.filter((key) => !seen.has(key)), []);
  });

  it('on every two-letter defaultCountry in any case: the schema lists exactly the countries with dialling rules', () => {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    const accepted = [];
    for (const a of letters) {
      for (const b of letters) {
        const codes = [a + b, (a + b).toLowerCase(), a + b.toLowerCase(), a.toLowerCase() + b];
        const verdict = codes.map((code) => agree({ phone: { defaultCountry: code } }, code).schemaValid);
        assert.ok(verdict.every((x) => x === verdict[0]), `${a}${b}: the case of a code changes nothing`);
        if (verdict[0]) accepted.push(a + b);
      }
    }
    // README: "The dialling data of 245 countries comes from libphonenumber's published metadata."
    const countries = Number(/dialling data of (\d+) countries/.exec(README)[1]);
    assert.equal(accepted.length, countries, `the schema accepts ${accepted.length} codes`);
    for (const code of ['GB', 'US', 'DE', 'IT', 'RU', 'JP', 'FR', 'IN', 'BR']) assert.ok(accepted.includes(code), code);
    for (const code of ['UK', 'ZZ', 'XX', 'EU']) assert.ok(!accepted.includes(code), code);
  });

  it('on generated configurations near the valid ones', () => {
    // Mostly the allowed shapes (with every semantic mistake), sometimes any JSON at a key, now
    // and then an unknown key; undefined members vanish in the JSON round trip.
    const maybe = (arb) => fc.oneof({ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 20, arbitrary: arb });
    const rare = (arb) => fc.oneof({ weight: 20, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
    const path = fc.constantFrom('user.email', 'user.app_metadata.plan', 'organization.id', 'authorization.roles', 'user.user_metadata.locale', 'user', 'secrets.X', 'request.body.password', 'request', 'nope.x', 'user..x', '', 'user.__proto__', 'user.app_metadata.country', 'user.identities.0.user_id');
    const source = maybe(fc.oneof(path, fc.record({ path: maybe(path), allowUserControlled: maybe(fc.boolean()), extra: rare(fc.constant(1)) }, { requiredKeys: ['path', 'extra'] })));
    const names = fc.constantFrom('https://my-app.example.com/plan', 'https://a.example.com/roles', 'roles', 'email', 'phone_number', 'phone_number_verified', 'https://x.auth0.com/a', '', 'sub', 'https://my-app.example.com/auth0.com', '__proto__', 'ü');
    const claims = maybe(fc.oneof(fc.constant(null), fc.dictionary(names, source, { maxKeys: 4 })));
    const sources = maybe(fc.oneof(fc.shuffledSubarray(['profile', 'mfa', 'app_metadata'], { minLength: 1 }), fc.array(maybe(fc.constantFrom('profile', 'mfa', 'app_metadata', 'sms', 'Profile')), { maxLength: 4 })));
    const metadataPath = maybe(fc.constantFrom('phone_number', 'phone_verified', 'contact.phone', 'user.app_metadata.mobile', 'user.app_metadata.', 'a..b', ''));
    const phone = maybe(
      fc.oneof(
        fc.constantFrom(true, false, null),
        fc.record(
          {
            enabled: maybe(fc.boolean()),
            sources,
            mfaEndpoint: maybe(fc.constantFrom('authentication-methods', 'enrollments', 'enrolments')),
            appMetadata: maybe(fc.record({ number: metadataPath, verified: metadataPath, extra: rare(fc.constant(1)) }, { requiredKeys: ['extra'] })),
            defaultCountry: maybe(fc.oneof(fc.constantFrom('GB', 'us', 'Zz', 'UK', '', null), fc.string({ maxLength: 3 }))),
            countryPath: source,
            Sources: rare(fc.constant(['mfa'])),
          },
          { requiredKeys: ['Sources'] }
        )
      )
    );
    const config = maybe(
      fc.record({ phone, idToken: claims, accessToken: claims, $schema: maybe(fc.constant('../config.schema.json')), acessToken: rare(fc.constant({})) }, { requiredKeys: ['acessToken'] })
    ).map((value) => (value === undefined ? value : JSON.parse(JSON.stringify(value))));
    let refused = 0;
    let runs = 0;
    fc.assert(
      fc.property(config, (value) => {
        runs += 1;
        if (!agree(value, 'generated').schemaValid) refused += 1;
      }),
      { numRuns: 3000 }
    );
    assert.ok(refused > runs / 10 && refused < runs - runs / 10, `${refused} of ${runs} refused: the generator must make both`);
  });
});

describe('where they differ on purpose', () => {
  it('a string with a lone UTF-16 surrogate: not representable in UTF-8, the engine refuses it as JSON; no schema keyword sees encodings', () => {
    for (const config of [{ $schema: '\ud800' }, { idToken: { '\udc00': 'user.email' } }, { idToken: { [CLAIM]: 'user.\ud800' } }]) {
      const v = verdicts(config);
      assert.equal(v.schemaValid, true);
      assert.deepEqual(v.issues.map((i) => i.code), ['not_an_object']);
    }
  });
});
