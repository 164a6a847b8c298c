'use strict';
// `simulate --expect FILE`: the claims (and, when the file has them, the reasons and the denial)
// a run should give, compared with the run.
//
// The expected-claims file:
//   {
//     "idToken":     { "<claim>": <value>, ... },             required; compared whole
//     "accessToken": { "<claim>": <value>, ... },             required; compared whole
//     "reasons": {                                              optional; only the claims listed
//       "idToken":     { "<claim>": "<reason>" | ["<reason>", ...] },
//       "accessToken": { "<claim>": "<reason>" | ["<reason>", ...] }
//     },
//     "denied": false                                           optional
//   }
// A reason given as a string is the reason that decided the claim: that of the claim's last
// trace entry whose outcome is not `noted`. Given as a list, it is every reason the trace has for
// the claim, in order (the phone claim has one per source tried).

const { inputError } = require('./errors.js');
const { isPlainObject, typeName, readJsonFile } = require('./inputs.js');
const { closestMatch } = require('./args.js');
const { clean, count } = require('./io.js');

const TOKENS = ['idToken', 'accessToken'];
const TOKEN_TITLES = { idToken: 'ID token', accessToken: 'Access token' };
const EXPECTED_KEYS = ['idToken', 'accessToken', 'reasons', 'denied'];

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

function readExpected(file) {
  const expected = readJsonFile(file, 'expected-claims');
  const refuse = (problem) => inputError(`the expected-claims file ${file} is invalid: ${problem}`, ["See 'login-claims simulate --help' for its shape."]);
  if (!isPlainObject(expected)) throw refuse(`it must be a JSON object, not ${typeName(expected)}`);
  for (const key of Object.keys(expected)) {
    if (EXPECTED_KEYS.includes(key)) continue;
    const closest = closestMatch(key, EXPECTED_KEYS);
    throw refuse(`unknown key "${key}"${closest ? `; did you mean "${closest}"?` : ''} (allowed: ${EXPECTED_KEYS.join(', ')})`);
  }
  for (const token of TOKENS) {
    if (!hasOwn(expected, token)) throw refuse(`"${token}" is missing; give the claims the token should get ({} for none)`);
    if (!isPlainObject(expected[token])) throw refuse(`"${token}" must be an object of claim name to value, not ${typeName(expected[token])}`);
  }
  if (hasOwn(expected, 'denied') && typeof expected.denied !== 'boolean') throw refuse('"denied" must be true or false');
  if (hasOwn(expected, 'reasons')) {
    const reasons = expected.reasons;
    if (!isPlainObject(reasons)) throw refuse(`"reasons" must be an object such as {"idToken": {"phone_number": "phone_found"}}`);
    for (const key of Object.keys(reasons)) {
      if (!TOKENS.includes(key)) throw refuse(`"reasons" has the unknown key "${key}" (allowed: ${TOKENS.join(', ')})`);
      if (!isPlainObject(reasons[key])) throw refuse(`"reasons.${key}" must be an object of claim name to reason code`);
      for (const [claim, reason] of Object.entries(reasons[key])) {
        const ok = typeof reason === 'string' || (Array.isArray(reason) && reason.every((r) => typeof r === 'string'));
        if (!ok) throw refuse(`"reasons.${key}" of "${claim}" must be a reason code or a list of them`);
      }
    }
  }
  return expected;
}

/** The trace entries of one claim, in order. */
const entriesOf = (trace, token, claim) => trace.filter((entry) => entry.token === token && entry.claim === claim);

/** The entry that decided a claim: its last one whose outcome is not `noted` (else its last). */
function decidingEntry(trace, token, claim) {
  const entries = entriesOf(trace, token, claim);
  const deciding = entries.filter((entry) => entry.outcome !== 'noted');
  return deciding.length ? deciding[deciding.length - 1] : entries[entries.length - 1];
}

const same = (a, b) => canonical(a) === canonical(b);

/** JSON with object keys sorted, so that key order never makes two claims differ. */
function canonical(value) {
  return JSON.stringify(value, (_key, v) => (isPlainObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/**
 * Compares a run with the expected-claims file.
 * @returns {{matched: boolean, compared: {claims: number, reasons: number, denied: boolean},
 *   differences: {what: string, claim?: string, expected?: unknown, got?: unknown, why?: string}[]}}
 *   `expected` or `got` is absent when the claim is not set (not expected, or not in the run).
 */
function compare(expected, run) {
  const differences = [];
  const compared = { claims: 0, reasons: 0, denied: hasOwn(expected, 'denied') };
  for (const token of TOKENS) {
    const want = expected[token];
    const got = run[token];
    const names = [...Object.keys(want), ...Object.keys(got).filter((name) => !hasOwn(want, name))];
    compared.claims += names.length;
    for (const claim of names) {
      const inWant = hasOwn(want, claim);
      const inGot = hasOwn(got, claim);
      if (inWant && inGot && same(want[claim], got[claim])) continue;
      const difference = { what: token, claim };
      if (inWant) difference.expected = want[claim];
      if (inGot) difference.got = got[claim];
      const entry = decidingEntry(run.trace, token, claim);
      difference.why = entry ? `${entry.outcome} ${entry.reason}${entry.source ? ` (${entry.source})` : ''}` : "not in the trace: set by the Action's own code";
      differences.push(difference);
    }
  }
  for (const token of TOKENS) {
    const wanted = (expected.reasons && expected.reasons[token]) || {};
    for (const [claim, reason] of Object.entries(wanted)) {
      compared.reasons += 1;
      const entries = entriesOf(run.trace, token, claim);
      const got = Array.isArray(reason) ? entries.map((entry) => entry.reason) : entries.length ? decidingEntry(run.trace, token, claim).reason : undefined;
      if (got !== undefined && same(reason, got)) continue;
      const difference = { what: `reasons.${token}`, claim, expected: reason };
      if (got !== undefined && !(Array.isArray(got) && got.length === 0)) difference.got = got;
      differences.push(difference);
    }
  }
  if (compared.denied && expected.denied !== run.denied) differences.push({ what: 'denied', expected: expected.denied, got: run.denied });
  return { matched: differences.length === 0, compared, differences };
}

/** The comparison as text: one line when it matched, else a diff (- expected, + got). */
function comparisonLines(label, comparison, io) {
  const paint = io.paint;
  const { compared, differences } = comparison;
  if (comparison.matched) {
    const parts = [count(compared.claims, 'claim')];
    if (compared.reasons) parts.push(count(compared.reasons, 'reason'));
    if (compared.denied) parts.push('whether denied');
    return [`${label}: ${paint('green', 'matched')} (${parts.join(', ')})`];
  }
  const lines = [`${label}: ${paint('red', count(differences.length, 'difference'))} from this run (${paint('red', '- expected')}, ${paint('green', '+ got')})`];
  let section;
  for (const difference of differences) {
    if (difference.what !== section) {
      section = difference.what;
      lines.push('', paint('bold', sectionTitle(section)));
    }
    if (difference.claim !== undefined) lines.push(`  ${clean(difference.claim)}`);
    lines.push(paint('red', `-   ${shown(difference, 'expected')}`));
    lines.push(paint('green', `+   ${shown(difference, 'got')}`));
    if (difference.why) lines.push(paint('dim', `    why: ${clean(difference.why)}`));
  }
  return lines;
}

function sectionTitle(what) {
  if (what === 'denied') return 'Denied';
  const [first, token] = what.split('.');
  return first === 'reasons' ? `Reasons (${TOKEN_TITLES[token]})` : TOKEN_TITLES[first];
}

function shown(difference, side) {
  if (!hasOwn(difference, side)) return difference.what.startsWith('reasons.') ? '(no trace entry)' : '(not set)';
  const value = difference[side];
  if (difference.what.startsWith('reasons.')) return clean(Array.isArray(value) ? value.join(', ') : value);
  return clean(JSON.stringify(value));
}

module.exports = { readExpected, compare, comparisonLines, decidingEntry };
