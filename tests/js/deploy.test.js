'use strict';
// examples/deploy/ deploys the Action `login-claims init` writes as code: with the Auth0 Deploy
// CLI (its directory format) and with Terraform (the auth0/auth0 provider). No tenant is reachable
// here, so this checks what can be checked without one: each file has the fields and values the
// tools document (the sources are cited in each folder's README.md), the pinned dependency is this
// package at this version, the secrets are the ones the runtime reads and no file holds a value,
// and the Action code is the init template, byte for byte, whose configuration validates.
//
// examples/ ships with the CLI package (login-claims-cli), so the folders are read from cliRoot.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, cliRoot, loadPackage } = require('./under-test.js');
const { catalogue } = require('./lookup-client.js');

const DEPLOY = path.join(cliRoot, 'examples', 'deploy');
const DEPLOY_CLI = path.join(DEPLOY, 'auth0-deploy-cli');
const TERRAFORM = path.join(DEPLOY, 'terraform');
const TEMPLATE = fs.readFileSync(path.join(cliRoot, 'js', 'tools', 'templates', 'action.js'));
// The dependency the Action installs is the runtime package.
const RUNTIME = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// README, "Installing into an Auth0 Action": the domain and the client credentials of the lookup's
// application (AUTH0_TENANT_DOMAIN only with a custom domain; MANAGEMENT_API_TOKEN expires and is
// not what a deployment should pin).
const SECRETS = ['AUTH0_DOMAIN', 'MANAGEMENT_CLIENT_ID', 'MANAGEMENT_CLIENT_SECRET'];

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// ---- a minimal HCL reader: the subset main.tf uses ---------------------------------------------

/**
 * Parses HCL native syntax into {attributes, blocks: [{type, labels, body}]}. Expressions:
 * strings (kept with their `${...}` as written), numbers, booleans, null, tuples, objects, and
 * references and function calls as {ref} and {call, args}. Heredocs and operators are refused.
 */
function parseHcl(text) {
  const tokens = [];
  const re = /\s+|#[^\n]*|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\$]|\\.|\$\{[^}]*\}|\$(?!\{))*"|-?\d+(?:\.\d+)?|[A-Za-z_][\w-]*|[{}[\]()=,.:]|<<|./gy;
  for (let m; (m = re.exec(text)); ) {
    const t = m[0];
    if (/^(\s|#|\/\/|\/\*)/.test(t)) continue;
    if (t === '<<') throw new Error('heredocs are not part of the subset');
    if (!/^("|-?\d|[A-Za-z_]|[{}[\]()=,.:])/.test(t)) throw new Error(`unexpected ${JSON.stringify(t)} at ${m.index}`);
    tokens.push(t);
  }
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t) => assert.equal(next(), t, `HCL: expected ${t} near token ${i}`);
  const isName = (t) => t !== undefined && /^[A-Za-z_]/.test(t);
  const string = (t) => JSON.parse(t.replace(/\$\{/g, '\\u0024{'));

  function expression() {
    const t = next();
    if (t === undefined) throw new Error('HCL: unexpected end');
    if (t.startsWith('"')) return string(t);
    if (/^-?\d/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'null') return null;
    if (t === '[') {
      const items = [];
      while (peek() !== ']') {
        items.push(expression());
        if (peek() === ',') next();
      }
      next();
      return items;
    }
    if (t === '{') {
      const object = {};
      while (peek() !== '}') {
        const key = next();
        const name = key.startsWith('"') ? string(key) : key;
        assert.ok(['=', ':'].includes(next()), `HCL: object key ${name} without =`);
        object[name] = expression();
        if (peek() === ',') next();
      }
      next();
      return object;
    }
    if (isName(t)) {
      if (peek() === '(') {
        next();
        const args = [];
        while (peek() !== ')') {
          args.push(expression());
          if (peek() === ',') next();
        }
        next();
        return { call: t, args };
      }
      let ref = t;
      while (peek() === '.') {
        next();
        ref += `.${next()}`;
      }
      return { ref };
    }
    throw new Error(`HCL: unexpected ${t}`);
  }

  function body(end) {
    const attributes = {};
    const blocks = [];
    while (peek() !== end) {
      const name = next();
      assert.ok(isName(name), `HCL: expected a name, found ${name}`);
      if (peek() === '=') {
        next();
        assert.ok(!(name in attributes), `HCL: ${name} set twice`);
        attributes[name] = expression();
      } else {
        const labels = [];
        while (peek() !== '{') labels.push(string(next()));
        next();
        blocks.push({ type: name, labels, body: body('}') });
        next();
      }
    }
    return { attributes, blocks };
  }

  return body(undefined);
}

const blocksOf = (parsed, type, ...labels) => parsed.blocks.filter((b) => b.type === type && labels.every((l, k) => b.labels[k] === l));

function onlyBlock(parsed, type, ...labels) {
  const found = blocksOf(parsed, type, ...labels);
  assert.equal(found.length, 1, `exactly one ${[type, ...labels].join(' ')} block`);
  return found[0].body;
}

describe('the minimal HCL reader', () => {
  it('reads attributes, nested blocks, objects, references and calls, and refuses what it does not know', () => {
    const parsed = parseHcl('# c\nterraform {\n  a = { b = "x", "c" = 2 }\n}\nresource "t" "n" {\n  // c\n  code = file("${path.module}/a.js")\n  id = auth0_action.n.id\n  on = true\n  list = ["a", 1]\n  inner {\n    k = null\n  }\n}\n');
    assert.deepEqual(onlyBlock(parsed, 'terraform').attributes, { a: { b: 'x', c: 2 } });
    const resource = onlyBlock(parsed, 'resource', 't', 'n');
    assert.deepEqual(resource.attributes, { code: { call: 'file', args: ['${path.module}/a.js'] }, id: { ref: 'auth0_action.n.id' }, on: true, list: ['a', 1] });
    assert.deepEqual(onlyBlock(resource, 'inner').attributes, { k: null });
    assert.throws(() => parseHcl('a = <<EOT\nx\nEOT\n'), /heredocs/);
    assert.throws(() => parseHcl('a = 1 + 2'), /unexpected/);
    assert.throws(() => parseHcl('a = 1\na = 2'), /set twice/);
  });
});

// ---- the Action code -------------------------------------------------------------------------------

let scratch;
let lc;

before(async () => {
  lc = await loadPackage();
  // The Action's require('login-claims') resolves to the runtime package under test.
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'login-claims-deploy-'));
  fs.mkdirSync(path.join(scratch, 'node_modules'));
  fs.symlinkSync(root, path.join(scratch, 'node_modules', 'login-claims'), 'junction');
});

after(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

const CODE_FILES = [path.join(DEPLOY_CLI, 'actions', 'login-claims', 'code.js'), path.join(TERRAFORM, 'action.js')];

describe('the Action code of both examples', () => {
  it('is the template `login-claims init` writes, byte for byte', () => {
    for (const file of CODE_FILES) assert.ok(fs.readFileSync(file).equals(TEMPLATE), `${path.relative(DEPLOY, file)} differs from js/tools/templates/action.js`);
  });

  it('holds no keyword marker the Deploy CLI would replace (it replaces @@KEY@@ and ##KEY## in code files too)', () => {
    assert.doesNotMatch(TEMPLATE.toString('utf8'), /@@\w+@@|##\w+##/);
  });

  it('names the secrets the deployments set, each one the runtime reads', () => {
    const runtimeReads = catalogue().managementSecrets;
    for (const name of SECRETS) {
      assert.ok(runtimeReads.includes(name), `${name} is a secret the lookup reads`);
      assert.ok(TEMPLATE.toString('utf8').includes(name), `the template's comment names ${name}`);
    }
  });

  it("loads with login-claims, and its handler's configuration has no issue and sets the claims of a login", async () => {
    for (const [index, file] of CODE_FILES.entries()) {
      const copy = path.join(scratch, `action-${index}.js`);
      fs.copyFileSync(file, copy);
      const action = require(copy);
      assert.equal(typeof action.onExecutePostLogin, 'function');
      // The template's sources include mfa, so the configuration reads the Management API.
      assert.deepEqual(lc.validateConfig(action.config), { ok: true, issues: [], managementApi: true });

      // A passwordless-SMS login: the number is on the profile, no lookup is needed.
      const claims = { idToken: {}, accessToken: {} };
      const api = {
        idToken: { setCustomClaim: (name, value) => (claims.idToken[name] = value) },
        accessToken: { setCustomClaim: (name, value) => (claims.accessToken[name] = value) },
        access: { deny: () => assert.fail('no login is denied') },
        cache: lc.createMemoryCache(),
      };
      const event = {
        transaction: { protocol: 'oidc-basic-profile', requested_scopes: ['openid', 'phone'] },
        request: { query: {}, body: {} },
        user: { user_id: 'sms|6650c1e2a4b3c2d1e0f9a801', phone_number: '+1 415 555 0142', phone_verified: true, app_metadata: { plan: 'pro' } },
        authorization: { roles: ['support'] },
      };
      await action.onExecutePostLogin(event, api);
      assert.deepEqual(claims.idToken, { phone_number: '+14155550142', phone_number_verified: true, 'https://my-app.example.com/plan': 'pro' });
      assert.deepEqual(claims.accessToken, { 'https://my-app.example.com/roles': ['support'] });
    }
  });
});

// ---- Auth0 Deploy CLI ----------------------------------------------------------------------------------

describe('examples/deploy/auth0-deploy-cli (directory format)', () => {
  const actionsDir = path.join(DEPLOY_CLI, 'actions');
  const actionFiles = fs.readdirSync(actionsDir).filter((name) => name.endsWith('.json'));
  const action = readJson(path.join(actionsDir, actionFiles[0]));

  it('has one action file, with the fields the Deploy CLI documents and no other', () => {
    assert.deepEqual(actionFiles, ['login-claims.json']);
    // Its action schema (src/tools/auth0/handlers/actions.ts); `status` is a read-only build
    // state the CLI strips before creating or updating, so it is left out.
    const known = ['name', 'code', 'runtime', 'dependencies', 'secrets', 'supported_triggers', 'deployed', 'modules'];
    for (const key of Object.keys(action)) assert.ok(known.includes(key), `unknown field ${key}`);
    for (const key of ['name', 'code', 'supported_triggers']) assert.ok(key in action, `required field ${key}`);
    assert.equal(action.name, 'login-claims');
    assert.equal(action.runtime, 'node22');
    assert.deepEqual(action.supported_triggers, [{ id: 'post-login', version: 'v3' }]);
    assert.equal(action.deployed, true, 'deployed, so that the binding runs it');
  });

  it('its code is the file beside it, by a path relative to the folder given as --input_file', () => {
    assert.equal(action.code, `./actions/${action.name}/code.js`);
    const resolved = path.resolve(DEPLOY_CLI, action.code);
    assert.ok(resolved.startsWith(DEPLOY_CLI + path.sep), 'inside the input folder');
    assert.ok(fs.readFileSync(resolved).equals(TEMPLATE));
  });

  it('pins the dependency login-claims at the version of the package', () => {
    assert.deepEqual(action.dependencies, [{ name: RUNTIME.name, version: RUNTIME.version }]);
    assert.equal(RUNTIME.name, 'login-claims');
  });

  it('sets the secrets the runtime reads, each from a keyword placeholder and never a value', () => {
    assert.deepEqual(action.secrets.map((s) => s.name).sort(), [...SECRETS].sort());
    for (const secret of action.secrets) {
      assert.deepEqual(Object.keys(secret).sort(), ['name', 'value']);
      // A quoted @@KEY@@ is replaced by the value as a JSON string; the prefix keeps the keywords
      // apart from the Deploy CLI's own AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET.
      assert.equal(secret.value, `@@LOGIN_CLAIMS_${secret.name}@@`);
    }
  });

  it('binds the action to the post-login trigger by its name, and no other trigger', () => {
    const triggerFiles = fs.readdirSync(path.join(DEPLOY_CLI, 'triggers'));
    assert.deepEqual(triggerFiles, ['triggers.json']);
    const triggers = readJson(path.join(DEPLOY_CLI, 'triggers', 'triggers.json'));
    assert.deepEqual(Object.keys(triggers), ['post-login']);
    assert.deepEqual(triggers['post-login'], [{ action_name: action.name, display_name: action.name }]);
  });

  it('config.json manages only actions and triggers, deletes nothing, and holds no credential', () => {
    const config = readJson(path.join(DEPLOY_CLI, 'config.json'));
    assert.deepEqual(config, { AUTH0_INCLUDED_ONLY: ['actions', 'triggers'], AUTH0_ALLOW_DELETE: false });
  });

  it('README.md tells how to run it, with every keyword', () => {
    const readme = fs.readFileSync(path.join(DEPLOY_CLI, 'README.md'), 'utf8');
    assert.match(readme, /^a0deploy import --config_file config\.json --input_file \.$/m);
    for (const secret of action.secrets) assert.match(readme, new RegExp(`^export ${secret.value.slice(2, -2)}=`, 'm'), secret.name);
    assert.match(readme, /replaces all the bindings of each trigger/);
  });
});

// ---- Terraform ---------------------------------------------------------------------------------------------

describe('examples/deploy/terraform', () => {
  const tfFiles = fs.readdirSync(TERRAFORM).filter((name) => name.endsWith('.tf'));
  const main = parseHcl(fs.readFileSync(path.join(TERRAFORM, 'main.tf'), 'utf8'));
  const actions = blocksOf(main, 'resource', 'auth0_action');

  it('is one main.tf requiring the auth0/auth0 provider at a version with write-only secrets', () => {
    assert.deepEqual(tfFiles, ['main.tf']);
    const terraform = onlyBlock(main, 'terraform');
    // secrets_wo: provider 1.52.0 (its CHANGELOG), Terraform 1.11 (write-only arguments).
    assert.equal(terraform.attributes.required_version, '>= 1.11');
    const providers = onlyBlock(terraform, 'required_providers').attributes;
    assert.deepEqual(providers, { auth0: { source: 'auth0/auth0', version: '~> 1.52' } });
    assert.deepEqual(onlyBlock(main, 'provider', 'auth0'), { attributes: {}, blocks: [] }, 'credentials only from the environment');
  });

  it('auth0_action: the runtime, the post-login v3 trigger, deployed, and the code from action.js beside it', () => {
    assert.equal(actions.length, 1);
    const { attributes, blocks } = actions[0].body;
    assert.equal(attributes.name, 'login-claims');
    assert.equal(attributes.runtime, 'node22');
    assert.equal(attributes.deploy, true);
    assert.deepEqual(attributes.code, { call: 'file', args: ['${path.module}/action.js'] });
    assert.ok(fs.readFileSync(path.join(TERRAFORM, 'action.js')).equals(TEMPLATE));
    assert.deepEqual(blocks.filter((b) => b.type === 'supported_triggers').map((b) => b.body.attributes), [{ id: 'post-login', version: 'v3' }]);
  });

  it('auth0_action pins the dependency login-claims at the version of the package', () => {
    const dependencies = actions[0].body.blocks.filter((b) => b.type === 'dependencies').map((b) => b.body.attributes);
    assert.deepEqual(dependencies, [{ name: RUNTIME.name, version: RUNTIME.version }]);
  });

  it('auth0_action sets the secrets the runtime reads as write-only values of sensitive variables without defaults', () => {
    const { attributes, blocks } = actions[0].body;
    assert.deepEqual(blocks.filter((b) => b.type === 'secrets'), [], 'no `secrets` block: the provider keeps those in the state in plain text');
    const secrets = blocks.filter((b) => b.type === 'secrets_wo').map((b) => b.body.attributes);
    assert.deepEqual(secrets.map((s) => s.name).sort(), [...SECRETS].sort());
    for (const secret of secrets) {
      assert.deepEqual(Object.keys(secret).sort(), ['name', 'value']);
      const ref = /^var\.(\w+)$/.exec(secret.value.ref || '');
      assert.ok(ref, `${secret.name} comes from a variable`);
      const variable = onlyBlock(main, 'variable', ref[1]).attributes;
      assert.equal(variable.sensitive, true, `${ref[1]} is sensitive`);
      assert.equal(variable.type.ref, 'string');
      assert.ok(!('default' in variable), `${ref[1]} has no default value`);
      assert.equal(typeof variable.description, 'string');
    }
    assert.ok(Number.isInteger(attributes.secrets_wo_version) && attributes.secrets_wo_version >= 1);
  });

  it('auth0_trigger_actions binds that action to post-login by its id and name', () => {
    const bindings = blocksOf(main, 'resource', 'auth0_trigger_actions');
    assert.equal(bindings.length, 1);
    const { attributes, blocks } = bindings[0].body;
    assert.deepEqual(attributes, { trigger: 'post-login' });
    const label = actions[0].labels[1];
    assert.deepEqual(
      blocks.map((b) => [b.type, b.body.attributes]),
      [['actions', { id: { ref: `auth0_action.${label}.id` }, display_name: { ref: `auth0_action.${label}.name` } }]]
    );
  });

  it('declares only the variables the secrets use', () => {
    const used = actions[0].body.blocks.filter((b) => b.type === 'secrets_wo').map((b) => b.body.attributes.value.ref.slice('var.'.length));
    assert.deepEqual(blocksOf(main, 'variable').map((b) => b.labels[0]).sort(), used.sort());
  });

  it('README.md tells how to apply it, with every variable', () => {
    const readme = fs.readFileSync(path.join(TERRAFORM, 'README.md'), 'utf8');
    assert.match(readme, /^terraform apply$/m);
    for (const variable of blocksOf(main, 'variable')) assert.match(readme, new RegExp(`^export TF_VAR_${variable.labels[0]}=`, 'm'));
    assert.match(readme, /owns every binding of the post-login/);
  });

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  it('terraform fmt finds main.tf well-formed and formatted', { skip: terraform.status !== 0 && 'terraform is not installed' }, () => {
    const result = spawnSync('terraform', ['fmt', '-check', '-diff', '-no-color', path.join(TERRAFORM, 'main.tf')], { encoding: 'utf8', timeout: 60000 });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
});

describe('README: Deploying as code', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  it('comes right before Configuration and links both example folders', () => {
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.equal(headings[headings.indexOf('Deploying as code') + 1], 'Configuration');
    const start = readme.indexOf('## Deploying as code\n');
    const section = readme.slice(start, readme.indexOf('## Configuration\n'));
    const links = [...section.matchAll(/\]\((examples\/deploy\/[^)]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(links, ['examples/deploy/auth0-deploy-cli/', 'examples/deploy/terraform/']);
    for (const link of links) assert.ok(fs.existsSync(path.join(cliRoot, link, 'README.md')), link);
    assert.doesNotMatch(section, /```/, 'prose only');
  });
});
