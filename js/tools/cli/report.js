'use strict';
// The human-readable report of a run (claims, denial, trace, Management API requests, the Action
// log) and of a validation (every issue with its fix).

const { table, wrap, clean, width, count, COLUMN_GAP } = require('./io.js');

const MAX_VALUE_WIDTH = 72;

const MFA_SECRETS_HINT =
  'add the Action secrets AUTH0_DOMAIN, MANAGEMENT_CLIENT_ID and MANAGEMENT_CLIENT_SECRET (and AUTH0_TENANT_DOMAIN with a custom domain) for the mfa source; without them it is skipped (mfa_not_configured) and the next source is tried.';

/**
 * @param {{idToken: object, accessToken: object, denied: boolean, denyReason?: string, trace: object[],
 *   managementApiCalls: number, log: string[], notSimulated?: string[]}} result
 * @param {{paint: Function, width: number}} io
 * @param {(trace: object[]) => string[]} failureLines what each failure code of the trace means
 */
function resultLines(result, io, failureLines) {
  const paint = io.paint;
  const lines = [];
  if (result.denied) {
    lines.push(`${paint('red', paint('bold', 'Denied'))}  api.access.deny(${JSON.stringify(result.denyReason || '')}): Auth0 issues no token for this login`, '');
  }
  for (const [title, claims] of [['ID token', result.idToken], ['Access token', result.accessToken]]) {
    lines.push(paint('bold', title));
    const rows = Object.keys(claims).map((name) => [name, claimValue(claims[name])]);
    if (rows.length === 0) lines.push(paint('dim', '  (no claims)'));
    else lines.push(...table(rows, { indent: '  ' }));
    lines.push('');
  }
  lines.push(paint('bold', 'Trace'));
  lines.push(...traceLines(result.trace, io));
  lines.push('');
  lines.push(`${paint('dim', 'Management API requests:')} ${result.managementApiCalls}`);
  for (const line of failureLines(result.trace)) lines.push(...wrap(line, io.width, '').map((text) => paint('dim', text)));
  if (result.log.length) {
    lines.push('', paint('bold', 'Action log'), ...result.log.flatMap((line) => wrap(line, io.width, '  ')));
  }
  if (result.untraced && result.untraced.length) {
    const claims = result.untraced.join(', ');
    lines.push('', ...wrap(`Note: the trace does not explain ${claims}: the Action's own code, not the login-claims handler, decided ${result.untraced.length === 1 ? 'it' : 'them'}.`, io.width, ''));
  }
  if (result.notSimulated && result.notSimulated.length) {
    const calls = result.notSimulated.join(', ');
    lines.push('', ...wrap(`Note: the Action also called ${calls}; the CLI records these calls without simulating them.`, io.width, ''));
  }
  return lines;
}

function claimValue(value) {
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  if (width(json) <= MAX_VALUE_WIDTH) return json;
  return `${[...json].slice(0, MAX_VALUE_WIDTH - 12).join('')}… (${Buffer.byteLength(json)} bytes; --json shows all)`;
}

const OUTCOME_STYLE = { set: 'green', skipped: 'yellow', dropped: 'red', noted: 'dim' };

function traceLines(trace, io) {
  if (trace.length === 0) return [io.paint('dim', '  (nothing to decide: the phone policy is off and no custom claim is configured)')];
  const header = ['OUTCOME', 'TOKEN', 'CLAIM', 'REASON', 'SOURCE'];
  const rows = trace.map((entry) => [entry.outcome, entry.token, entry.claim, entry.reason, entry.source || '']);
  const details = trace.map((entry) => {
    const detail = entry.detail || '';
    return entry.failure && !detail.includes(entry.failure) ? `${detail} (${entry.failure})`.trim() : detail;
  });
  const outcomeWidth = Math.max(...[header, ...rows].map((row) => width(row[0])));
  const detailIndent = ' '.repeat(2 + outcomeWidth + COLUMN_GAP.length);
  const tableLines = table(rows, {
    indent: '  ',
    header,
    style: (text, column, row) => {
      if (row < 0) return io.paint('dim', text);
      return column === 0 ? io.paint(OUTCOME_STYLE[rows[row][0]] || 'bold', text) : text;
    },
  });
  const lines = [tableLines[0]];
  tableLines.slice(1).forEach((line, row) => {
    lines.push(line);
    if (details[row]) lines.push(...wrap(details[row], io.width, detailIndent).map((text) => io.paint('dim', text)));
  });
  return lines;
}

/** One line per distinct Management API failure in the trace: what it means, from the engine catalogue. */
function failureLinesFrom(catalogue) {
  return (trace) => {
    const codes = [...new Set(trace.map((entry) => entry.failure).filter(Boolean))];
    if (codes.length === 0) return [];
    const failures = catalogue().managementFailures;
    return codes.map((code) => {
      const known = failures.find((failure) => failure.code === code);
      const meaning = known ? known.explain : 'see the README, "Failure codes"';
      return `${code}: ${meaning}`;
    });
  };
}

function validationLines(label, issues, io, managementApi) {
  const warnings = issues.filter((issue) => issue.severity === 'warning').length;
  const errors = issues.length - warnings;
  const lines =
    issues.length === 0
      ? [`${label}: ${io.paint('green', 'valid')}, no problems found`]
      : errors === 0
        ? [`${label}: ${io.paint('green', 'valid')}, ${io.paint('yellow', count(warnings, 'warning'))} (the handler starts)`, '', ...issueLines(issues, io)]
        : [`${label}: ${io.paint('red', count(errors, 'problem'))}${warnings ? `, ${count(warnings, 'warning')}` : ''}`, '', ...issueLines(issues, io)];
  if (managementApi) lines.push('', ...wrap(`Note: ${MFA_SECRETS_HINT}`, io.width, ''));
  return lines;
}

function issueLines(issues, { paint, width: columns }) {
  const numberWidth = String(issues.length).length;
  const lines = [];
  issues.forEach((issue, index) => {
    const number = `${String(index + 1).padStart(numberWidth)}.`;
    const indent = ' '.repeat(number.length + 3);
    const warning = issue.severity === 'warning';
    const label = warning ? `${paint('yellow', issue.code)} (warning)` : paint('red', issue.code);
    lines.push(`  ${number} ${label} at ${clean(issue.at)}`);
    lines.push(...wrap(issue.message, columns, indent));
    const [first, ...more] = wrap(`fix: ${issue.fix}`, columns, indent);
    lines.push(first.replace('fix:', paint('dim', 'fix:')), ...more);
  });
  return lines;
}

module.exports = { resultLines, traceLines, failureLinesFrom, validationLines, issueLines, claimValue, MFA_SECRETS_HINT };
