'use strict';
// Where the CLI's text goes and how it is laid out: colour (only on a terminal, NO_COLOR off,
// FORCE_COLOR on), aligned tables, wrapped lines, terminal widths, and the last filter before
// any byte leaves: the values of the run's secrets are replaced by their names.

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] };

function plain(_style, text) {
  return text;
}

// For messages on standard error, which are never coloured.
const PLAIN_IO = { paint: plain, width: 100 };

function colourWanted(stream, env) {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

// Shorter values are left alone: replacing every "abc" of the output would garble it, and no
// credential is that short.
const MIN_REDACTED_LENGTH = 6;

/**
 * The output of one run: `out` (stdout) and `err` (stderr), both passed through the redaction of
 * every value given to `addSecrets`, as it is and as JSON would escape it.
 */
function makeIo(stdout, stderr, env) {
  const colour = colourWanted(stdout, env);
  const secrets = new Map();
  const redact = (text) => {
    let result = String(text);
    // Longest first, so that a secret holding another is replaced whole.
    for (const [value, name] of [...secrets].sort((a, b) => b[0].length - a[0].length)) result = result.split(value).join(`[secret ${name}]`);
    return result;
  };
  return {
    out: (text) => stdout.write(redact(text)),
    err: (text) => stderr.write(redact(text)),
    /** Registers secret values (name -> value); from now on none of them is written. */
    addSecrets(named) {
      for (const [name, value] of Object.entries(named)) {
        if (typeof value !== 'string' || value.length < MIN_REDACTED_LENGTH) continue;
        secrets.set(value, name);
        const escaped = JSON.stringify(value).slice(1, -1);
        if (escaped !== value) secrets.set(escaped, name);
      }
    },
    colour,
    paint: colour ? (style, text) => (text ? `\x1b[${ANSI[style][0]}m${text}\x1b[${ANSI[style][1]}m` : text) : plain,
    // A fixed width off a terminal keeps piped output the same on every machine.
    width: stdout.isTTY && stdout.columns ? Math.min(Math.max(stdout.columns, 60), 120) : 100,
  };
}

// ---- layout ----------------------------------------------------------------------------------

const COLUMN_GAP = '  ';

/**
 * Lines of a table whose columns line up. `style(text, column, row)` colours a padded cell
 * (row -1 is the header), so escape codes never count towards a column's width. The last
 * column is not padded: no line ends in spaces.
 */
function table(rows, { indent = '', header, style = (text) => text } = {}) {
  const all = header ? [header, ...rows] : rows;
  const cells = all.map((row) => row.map(clean));
  const widths = [];
  for (const row of cells) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] || 0, width(cell));
    });
  }
  return cells.map((row, index) => {
    const rowNumber = header ? index - 1 : index;
    const parts = row.map((cell, column) => {
      const padded = column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - width(cell));
      return style(padded, column, rowNumber);
    });
    return (indent + parts.join(COLUMN_GAP)).trimEnd();
  });
}

/** Words of `text` on lines of at most `columns` characters, each starting with `indent`. */
function wrap(text, columns, indent) {
  const room = Math.max(20, columns - width(indent));
  const lines = [];
  let line = '';
  for (const word of clean(text).split(/\s+/).filter(Boolean)) {
    if (line && width(line) + 1 + width(word) > room) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

// Claim names, trace details and issue texts can carry bytes from the event or the Management
// API; a control character among them must not reach the terminal as a command.
function clean(text) {
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Terminal columns of `text`: East Asian wide characters and most emoji take two. */
function width(text) {
  let columns = 0;
  for (const char of text) {
    const code = char.codePointAt(0);
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x1f300 && code <= 0x1faff) ||
      (code >= 0x20000 && code <= 0x3fffd);
    columns += wide ? 2 : 1;
  }
  return columns;
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

module.exports = { makeIo, plain, PLAIN_IO, table, wrap, clean, width, count, COLUMN_GAP };
