'use strict';
// Command-line parsing over node:util.parseArgs (Node 18.3+; `tokens` since 18.7). parseArgs
// splits the words; the rules a person gets a message for are applied here, token by token,
// because parseArgs' own strict-mode errors are worded differently from one Node version to the
// next and name no alternative: an unknown option or command gets the closest known one.

const { parseArgs } = require('node:util');
const { usageError, runError } = require('./errors.js');

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Parses the words after the command.
 * @param {string} command the subcommand, for messages
 * @param {{options: Record<string, {type: 'string'|'boolean', value?: string}>, positionals?: string[]}} spec
 *   `value` names a string option's argument in messages (default FILE); `positionals` names
 *   the positional arguments the command takes, in order (default none)
 * @param {string[]} args
 * @returns {{help: boolean, values: Record<string, string|boolean>, positionals: string[]}}
 */
function parseCommand(command, spec, args) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, option] of Object.entries(spec.options)) options[name] = { type: option.type };
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  // Node 18.3 to 18.6 have parseArgs without tokens.
  if (!Array.isArray(tokens)) throw runError(`this Node.js (${process.version}) is too old for login-claims: use Node 18.7 or later`);

  // --help wins over every other mistake on the line: whoever asks for help gets it.
  if (tokens.some((token) => token.kind === 'option' && token.name === 'help')) return { help: true, values: {}, positionals: [] };

  const values = {};
  const positionals = [];
  const allowedPositionals = spec.positionals || [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (positionals.length >= allowedPositionals.length) throw usageError(`${command}: unexpected argument '${token.value}'`, command);
      positionals.push(token.value);
      continue;
    }
    const { name, rawName } = token;
    if (!hasOwn(spec.options, name)) throw unknownOption(command, rawName, Object.keys(spec.options));
    const option = spec.options[name];
    if (hasOwn(values, name)) throw usageError(`${command}: --${name} is given twice`, command);
    if (option.type === 'boolean') {
      if (token.value !== undefined) throw usageError(`${command}: --${name} takes no value`, command);
      values[name] = true;
      continue;
    }
    // `--event --json` is a forgotten FILE, not a file named --json.
    const value = token.value;
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('--'))) {
      throw usageError(`${command}: --${name} needs a ${option.value || 'FILE'}`, command);
    }
    values[name] = value;
  }
  return { help: false, values, positionals };
}

function unknownOption(command, rawName, names) {
  const known = ['help', ...names].map((name) => `--${name}`);
  const closest = closestMatch(rawName.startsWith('--') ? rawName : `-${rawName}`, known);
  const hint = closest ? `; did you mean ${closest}?` : names.length === 0 ? ` (${command} takes no options)` : '';
  return usageError(`${command}: unknown option ${rawName}${hint}`, command);
}

/** The message of an unknown command, with the closest known one. */
function unknownCommand(word, commands) {
  if (word.startsWith('-')) {
    const closest = closestMatch(word, ['--help', '--version']);
    return usageError(`unknown option ${word}${closest ? `; did you mean ${closest}?` : '; options go after the command'}`);
  }
  const closest = closestMatch(word, commands);
  return usageError(`unknown command ${word}${closest ? `; did you mean ${closest}?` : `; the commands are ${commands.join(', ')}`}`);
}

/**
 * The candidate nearest to `word` by edit distance (insertions, deletions, substitutions and
 * swaps of two neighbours), when it is near enough to be a typo: at most a third of its length,
 * and at least 1. Ties go to the earlier candidate.
 */
function closestMatch(word, candidates) {
  let best;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const core = best.replace(/^-+/, '');
  return bestDistance <= Math.max(1, Math.floor(core.length / 3)) ? best : undefined;
}

/** Optimal-string-alignment distance: Levenshtein plus the swap of two adjacent characters. */
function editDistance(a, b) {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

module.exports = { parseCommand, unknownCommand, closestMatch, editDistance };
