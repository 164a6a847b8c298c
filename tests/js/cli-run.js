'use strict';
// Runs the `login-claims` command of the package under test (cliRoot: the repository, or the
// installed login-claims-cli) as a user would, for the cli*.test.js suites. The child gets the
// test's environment without the variables that would change its output: the colour switches
// and the Action secrets the CLI reads from the environment.

const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { cliRoot } = require('./under-test.js');

const CLI = path.join(cliRoot, 'js', 'tools', 'cli.js');
const EXAMPLES = path.join(cliRoot, 'examples');
const example = (rel) => path.join(EXAMPLES, rel);

// Written out rather than read from the engine, so that a CLI reading other names fails the
// secrets tests instead of being agreed with.
const SECRET_NAMES = ['AUTH0_DOMAIN', 'AUTH0_TENANT_DOMAIN', 'MANAGEMENT_CLIENT_ID', 'MANAGEMENT_CLIENT_SECRET', 'MANAGEMENT_API_TOKEN'];

function childEnv(env) {
  const base = { ...process.env };
  for (const name of ['NO_COLOR', 'FORCE_COLOR', 'NODE_TEST_CONTEXT', ...SECRET_NAMES]) delete base[name];
  return { ...base, ...env };
}

/** Runs the CLI to completion (blocking: nothing in this process can answer it meanwhile). */
function cli(args, { env = {}, cwd = cliRoot } = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: childEnv(env), encoding: 'utf8', timeout: 60000 });
  assert.equal(result.error, undefined, `the CLI could not run: ${result.error}`);
  assert.notEqual(result.status, null, `the CLI did not exit by itself (signal ${result.signal})`);
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: for runs against servers of this process (a sample tenant). */
function cliAsync(args, { env = {}, cwd = cliRoot } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) reject(new Error(`the CLI did not exit by itself (signal ${signal})`));
      else resolve({ code, stdout, stderr });
    });
  });
}

function json(run) {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

module.exports = { CLI, EXAMPLES, example, SECRET_NAMES, cli, cliAsync, json };
