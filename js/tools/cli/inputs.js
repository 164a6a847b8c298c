'use strict';
// The files a run reads (event, configuration, tenant, secrets) and the secrets it takes from
// the environment. Every refusal names the file and says what is wrong with it; none quotes a
// secret's value.

const fs = require('node:fs');
const { inputError } = require('./errors.js');
const { count, PLAIN_IO } = require('./io.js');
const { issueLines } = require('./report.js');

const TENANT_FILE_KEYS = ['users', 'maskNumbers'];
const TENANT_USER_KEYS = ['authentication_methods', 'enrollments'];

const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function readTextFile(file, what) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw inputError(`cannot read the ${what} file ${file}: ${fileProblem(error)}`);
  }
}

function readJsonFile(file, what) {
  let text = readTextFile(file, what);
  // Editors on Windows like to start UTF-8 files with a byte-order mark; JSON.parse does not.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw inputError(`the ${what} file ${file} is not valid JSON: ${jsonProblem(error, text)}`);
  }
}

function fileProblem(error) {
  const known = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a part of the path is not a directory' };
  return known[error.code] || error.code || error.message;
}

// Node versions word JSON errors differently; most name a character position, which a person
// wants as a line and column.
function jsonProblem(error, text) {
  const message = String(error.message)
    .replace(/\s*\(line \d+ column \d+\)$/, '')
    // Newer V8 quotes the text around the mistake ('Unexpected token 'M', "MANAGEMENT"... is not
    // valid JSON'); that text can be a secret, and the file it came from is named anyway.
    .replace(/,\s*(\.\.\.)?"[\s\S]*"(\.\.\.)? is not valid JSON$/, '');
  const at = /\s*in JSON at position (\d+)$/.exec(message);
  if (!at) return message;
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message.slice(0, at.index)} at line ${line}, column ${column}`;
}

function readEvent(file) {
  const event = readJsonFile(file, 'event');
  if (!isPlainObject(event)) {
    throw inputError(`the event file ${file} must hold one post-login event (a JSON object), not ${typeName(event)}`);
  }
  if (!isPlainObject(event.user)) {
    throw inputError(`the event file ${file} has no "user" object; every post-login event has one`);
  }
  if (event.secrets !== undefined && !isPlainObject(event.secrets)) {
    throw inputError(`the event file ${file}: "secrets" must be an object of secret name to string`);
  }
  return event;
}

function readTenant(file) {
  const tenant = readJsonFile(file, 'tenant');
  const problem = tenantProblem(tenant);
  if (problem) throw inputError(`the tenant file ${file} is invalid: ${problem}`);
  return { users: tenant.users || {}, maskNumbers: tenant.maskNumbers === true };
}

function tenantProblem(tenant) {
  if (!isPlainObject(tenant)) return `it must be a JSON object, not ${typeName(tenant)}`;
  const unknown = Object.keys(tenant).filter((key) => !TENANT_FILE_KEYS.includes(key));
  if (unknown.length) return `unknown key(s) ${unknown.join(', ')}; allowed: ${TENANT_FILE_KEYS.join(', ')}`;
  if (tenant.maskNumbers !== undefined && typeof tenant.maskNumbers !== 'boolean') return '"maskNumbers" must be true or false';
  if (tenant.users === undefined) return undefined;
  if (!isPlainObject(tenant.users)) return '"users" must be an object keyed by user_id';
  for (const [userId, user] of Object.entries(tenant.users)) {
    if (!isPlainObject(user)) return `users["${userId}"] must be an object such as {"authentication_methods": [...]}`;
    for (const key of Object.keys(user)) {
      if (!TENANT_USER_KEYS.includes(key)) return `users["${userId}"] has the unknown key ${key}; allowed: ${TENANT_USER_KEYS.join(', ')}`;
      if (!Array.isArray(user[key])) return `users["${userId}"].${key} must be an array`;
    }
  }
  return undefined;
}

/** The configuration of a file, refused with every problem listed when it is not valid. */
function readValidConfig(lc, file) {
  const config = readJsonFile(file, 'configuration');
  const { issues } = lc.validateConfig(config);
  // Warnings do not stop the handler, so they do not stop the simulation either.
  const errors = issues.filter((issue) => issue.severity !== 'warning').length;
  if (errors > 0) {
    throw inputError(`the configuration ${file} has ${count(errors, 'problem')}; nothing was simulated`, issueLines(issues, PLAIN_IO));
  }
  return config;
}

/**
 * The secrets of a --secrets file: a JSON object of secret name to string. The file is read
 * before anything else is printed, so that its values can be kept out of every line.
 */
function readSecretsFile(file) {
  const secrets = readJsonFile(file, 'secrets');
  if (!isPlainObject(secrets)) throw inputError(`the secrets file ${file} must hold a JSON object of secret name to string, not ${typeName(secrets)}`);
  for (const [name, value] of Object.entries(secrets)) {
    // The value is never quoted: only its type.
    if (typeof value !== 'string') throw inputError(`the secrets file ${file}: "${name}" must be a string, not ${typeName(value)}`);
  }
  return { ...secrets };
}

/** The environment variables named like the Action's secrets (`names`) that are set and not empty. */
function environmentSecrets(env, names) {
  const secrets = {};
  for (const name of names) {
    if (typeof env[name] === 'string' && env[name] !== '') secrets[name] = env[name];
  }
  return secrets;
}

module.exports = {
  isPlainObject,
  typeName,
  readTextFile,
  readJsonFile,
  readEvent,
  readTenant,
  readValidConfig,
  readSecretsFile,
  environmentSecrets,
};
