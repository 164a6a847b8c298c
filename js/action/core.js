'use strict';
// The Action shim: it does the I/O of a login (reading the event, performing the steps of the
// Management API lookup, setting claims) and leaves every decision to the Rust core: which
// claims, which requests, what to log and whether to deny. It is written once against an engine
// loader, so that the post-login entry (index.js) and the phone-message entry
// (js/phone-message/index.js), each inlining only its own wasm, share every line of it.

// What a denied user sees; deliberately generic, the log line has the cause.
const DENY_REASON = 'Login could not be completed. Please try again later.';

const DONE = Promise.resolve();
const DISCARD = () => undefined;

const BOXED = new Set(['[object Boolean]', '[object Number]', '[object String]', '[object BigInt]', '[object Symbol]']);

const hasOwn = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/** Builds an Error with a stable `code` (and optional extra properties). */
function codedError(code, message, extra) {
  const error = new Error(message);
  error.code = code;
  if (extra) Object.assign(error, extra);
  return error;
}

/**
 * JSON text of a configuration. Functions and symbols are refused rather than silently dropped
 * by JSON.stringify, so a malformed option never turns into a default without a word.
 */
function configJson(config) {
  if (config === undefined) return '';
  return JSON.stringify(config, (key, value) => {
    const type = typeof value;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
      throw new TypeError(`${key ? `\`${key}\`` : 'the configuration'} is a ${type}, not JSON data`);
    }
    return value;
  });
}

/**
 * The options only JavaScript can check: `fetch` and `now` are functions, `logger` an object.
 * Every other option is checked by the core when the handler is created.
 * @returns {{fetch: typeof fetch, now: () => number, logger: object|undefined}}
 */
function ioOptions(options) {
  const given = options !== null && typeof options === 'object' ? options : {};
  for (const key of ['fetch', 'now']) {
    if (given[key] !== undefined && typeof given[key] !== 'function') {
      throw codedError('OPTIONS_INVALID', `options.${key} must be a function`);
    }
  }
  if (given.logger !== undefined && (given.logger === null || typeof given.logger !== 'object')) {
    throw codedError('OPTIONS_INVALID', 'options.logger must be an object with warn()/log()');
  }
  return { fetch: given.fetch || globalThis.fetch, now: given.now || Date.now, logger: given.logger };
}

// ---- a login's slots, written straight into the engine's buffer --------------------------------
// The record format is src/engine/event.rs's: a tag byte, and for strings and JSON text the
// length in four 7-bit bytes (least significant first) and the UTF-8 bytes. Strings go as they
// are (no JSON.stringify); numbers as their JSON text; objects and arrays as JSON.stringify
// gives them.
const TAG_MISSING = 0;
const TAG_UNREADABLE = 1;
const TAG_UNSUPPORTED = 2;
const TAG_STRING = 3;
const TAG_TRUE = 4;
const TAG_FALSE = 5;
const TAG_JSON = 6;
// In a reading only: an array of strings, kept as a copy (the claim value) and written straight
// into the memory as the JSON text of a TAG_JSON record, without JSON.stringify.
const TAG_LIST = -1;
const MAX_RECORD_BYTES = 2 ** 28 - 1;

// The status bits `decide` and `Login.verdict` answer (src/boundary/post_login.rs `status`).
const LOOKUP = 1;
const PHONE = 2;
const VERIFIED = 4;
const LOG = 8;
const DENY = 16;
const FAULT = 64;

const utf8 = new TextEncoder();
// A UTF-16 surrogate without its partner: UTF-8 cannot carry it (encodeInto would write U+FFFD),
// and JSON.stringify would escape it into text the engine refuses, so the string is unsupported.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (text) => (typeof text.isWellFormed === 'function' ? text.isWellFormed() : !LONE_SURROGATE.test(text));

/**
 * What a login read at each path: `tags[i]`, `texts[i]` (the string, or the JSON text) and
 * `values[i]` (what setCustomClaim gets: the value itself for strings, booleans and numbers;
 * undefined for objects and arrays, which are copied from their JSON text).
 */
function newReading(count) {
  return { tags: new Array(count).fill(TAG_MISSING), texts: new Array(count).fill(''), values: new Array(count).fill(undefined) };
}

function copyReading(reading) {
  return { tags: reading.tags.slice(), texts: reading.texts.slice(), values: reading.values.slice() };
}

/** The most bytes the records of `reading` can take (what readEvent returned for it). */
function recordBound(reading, count) {
  let bound = 0;
  for (let i = 0; i < count; i++) bound += slotBound(reading.tags[i], reading.texts[i], reading.values[i]);
  return bound;
}

/**
 * The most bytes one record can take: a text's UTF-8 is at most 3 bytes per UTF-16 unit; a
 * list's JSON text at most 6 per unit (an escape such as \u001f) with quotes and commas.
 */
function slotBound(tag, text, value) {
  if (tag === TAG_STRING || tag === TAG_JSON) return 5 + 3 * text.length;
  if (tag !== TAG_LIST) return 1;
  let bound = 7;
  for (let k = 0; k < value.length; k++) bound += 3 + 6 * value[k].length;
  return bound;
}

/**
 * A copy of an array whose items are all strings, or undefined: what JSON.stringify would write
 * as the same list (so not for an array with a toJSON, holes, or items of other types).
 */
function stringList(array) {
  try {
    if (array.toJSON !== undefined) return undefined;
    const copy = [];
    for (let k = 0; k < array.length; k++) {
      const item = array[k];
      if (typeof item !== 'string') return undefined;
      copy.push(item);
    }
    return copy;
  } catch {
    return undefined; // a Proxy or getter that throws: JSON.stringify decides (jsonText)
  }
}

/**
 * Writes a list's JSON text at `at` when every item is printable ASCII needing no escape (the
 * case of scopes and roles): its length, or -1 for JSON.stringify to write it.
 */
function writeAsciiList(memory, at, list) {
  let pos = at;
  memory[pos++] = 0x5b; // [
  for (let k = 0; k < list.length; k++) {
    if (k > 0) memory[pos++] = 0x2c; // ,
    memory[pos++] = 0x22; // "
    const item = list[k];
    for (let j = 0; j < item.length; j++) {
      const c = item.charCodeAt(j);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return -1;
      memory[pos++] = c;
    }
    memory[pos++] = 0x22;
  }
  memory[pos++] = 0x5d; // ]
  return pos - at;
}

// What a node of a path tree holds when reading it, or a property above it, threw.
const THREW = Symbol('threw');

/**
 * The configuration's paths (segment arrays, in slot order) as a tree, so that a login reads
 * each shared prefix once (`event.user` once for all the user's paths): node 0 is the event,
 * each other node a segment under its parent, listed after it; `leaf[i]` is path i's node.
 */
function pathTree(paths) {
  const parent = [-1];
  const key = [''];
  const leaf = [];
  const index = new Map();
  for (const segments of paths) {
    let node = 0;
    for (const segment of segments) {
      const id = `${node}/${segment}`;
      let next = index.get(id);
      if (next === undefined) {
        next = parent.length;
        parent.push(node);
        key.push(segment);
        index.set(id, next);
      }
      node = next;
    }
    leaf.push(node);
  }
  return { parent, key, leaf, nodes: new Array(parent.length).fill(undefined) };
}

/**
 * Reads every path of the event (a `pathTree`) into `reading`; returns the most bytes their
 * records can take. Own properties only, so a path can never reach a prototype.
 */
function readEvent(event, tree, reading) {
  const { tags, texts, values } = reading;
  const { parent, key, leaf, nodes } = tree;
  nodes[0] = event;
  const count = nodes.length;
  let n = 1;
  // The try is around the loop, not in it (a try per node measured slower than the paths it
  // saves); a node that throws is marked and the loop resumes after it.
  while (n < count) {
    try {
      for (; n < count; n++) {
        const above = nodes[parent[n]];
        if (above !== null && typeof above === 'object') {
          nodes[n] = hasOwn(above, key[n]) ? above[key[n]] : undefined;
        } else {
          nodes[n] = above === THREW ? THREW : undefined;
        }
      }
    } catch {
      nodes[n++] = THREW; // a getter or a Proxy trap
    }
  }
  let bound = 0;
  for (let i = 0; i < leaf.length; i++) {
    let value = nodes[leaf[i]];
    let tag = TAG_MISSING;
    let text = '';
    if (value === THREW) {
      value = undefined;
      tag = TAG_UNREADABLE;
    }
    if (value !== undefined && value !== null) {
      switch (typeof value) {
        case 'string':
          tag = TAG_STRING;
          text = value;
          break;
        case 'boolean':
          tag = value ? TAG_TRUE : TAG_FALSE;
          break;
        case 'number':
          // JSON has no NaN or Infinity (JSON.stringify writes null): no value.
          if (Number.isFinite(value)) {
            tag = TAG_JSON;
            text = String(value);
          } else {
            value = undefined;
          }
          break;
        case 'object': {
          const list = Array.isArray(value) ? stringList(value) : undefined;
          if (list !== undefined) {
            tag = TAG_LIST;
            value = list;
            break;
          }
          value = jsonText(value);
          if (value === undefined) {
            tag = TAG_UNSUPPORTED;
          } else {
            tag = TAG_JSON;
            text = value;
            value = undefined;
          }
          break;
        }
        default:
          // function, symbol, bigint
          tag = TAG_UNSUPPORTED;
          value = undefined;
      }
    }
    tags[i] = tag;
    texts[i] = text;
    values[i] = value;
    bound += slotBound(tag, text, value);
  }
  // The login's objects are not kept past it.
  for (let n = 0; n < count; n++) nodes[n] = undefined;
  return bound;
}

/** JSON text of an object or array, or undefined when it has none (boxed primitives included). */
function jsonText(value) {
  try {
    // A boxed primitive (new Boolean(true)) would pass as its value through JSON.stringify,
    // and `phone_verified === true` must not be satisfied by an object. Arrays and plain
    // objects, the common case, cannot be one.
    if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && BOXED.has(Object.prototype.toString.call(value))) {
      return undefined;
    }
    return JSON.stringify(value);
  } catch {
    return undefined; // a cycle, a BigInt inside, a throwing getter or toJSON
  }
}

/** A text record's header at `pos`: the tag, and the length as four 7-bit bytes, least significant first. */
function writeHeader(memory, pos, tag, length) {
  memory[pos] = tag;
  memory[pos + 1] = length & 0x7f;
  memory[pos + 2] = (length >>> 7) & 0x7f;
  memory[pos + 3] = (length >>> 14) & 0x7f;
  memory[pos + 4] = length >>> 21;
}

/**
 * The answer's phone number (ASCII, at most 31 bytes, at `at`) as a string: a text the login
 * read when it holds exactly these bytes (a number stored in its E.164 form), else built.
 */
function answerNumber(bytes, at, length, texts) {
  for (let k = 0; k < texts.length; k++) {
    const text = texts[k];
    if (text.length !== length) continue;
    let i = 0;
    while (i < length && text.charCodeAt(i) === bytes[at + i]) i++;
    if (i === length) return text;
  }
  let number = '';
  for (let i = at; i < at + length; i++) number += String.fromCharCode(bytes[i]);
  return number;
}

// How far the last writeText wrote: an unsupported value's record is one byte, but the text may
// have been encoded past it first.
let reached = 0;

/**
 * Writes record `i` of `reading` (text that is not all ASCII, or longer than a record can state)
 * at `pos` in `memory`: its end (and `reached`). A string that is not well-formed UTF-16, or text
 * longer than a record can state, becomes an unsupported value (and so in `reading`).
 */
function writeText(memory, pos, tag, text, reading, i) {
  if (tag === TAG_STRING && !wellFormed(text)) {
    reading.tags[i] = TAG_UNSUPPORTED;
    memory[pos] = TAG_UNSUPPORTED;
    reached = pos + 1;
    return reached;
  }
  const begin = pos + 5;
  const length = utf8.encodeInto(text, memory.subarray(begin)).written;
  reached = begin + length;
  if (length > MAX_RECORD_BYTES) {
    // Longer than a record can state (256 MiB): not a value any token can carry.
    reading.tags[i] = TAG_UNSUPPORTED;
    memory[pos] = TAG_UNSUPPORTED;
    return pos + 1;
  }
  writeHeader(memory, pos, tag, length);
  return reached;
}

/**
 * What the last login of a handler left in its slot buffer, so that the next one does not copy
 * the same text again: for each record written by the ASCII paths, where it starts and ends, its
 * tag and the string or list it came from (`items[i]` undefined: not kept). Strings cannot
 * change and lists are kept as copies of their own, so an equal item means equal bytes. `count`
 * is the number of records it describes (0 while a write is under way, or before any).
 */
function newKept(count) {
  return { count: 0, at: -1, starts: new Array(count).fill(-1), ends: new Array(count).fill(-1), tags: new Array(count).fill(TAG_MISSING), items: new Array(count).fill(undefined) };
}

/** Whether two lists of strings (the reading's copies) have the same items. */
function sameList(a, b) {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Writes the records of `reading` at `at` in `memory`; returns the length written. With `kept`
 * (the handler's newKept), a record whose text the last login wrote at the same place, and
 * that this login has not written over, is left as it is; `kept` then describes this login's
 * records.
 */
function writeRecords(memory, at, reading, count, kept) {
  const { tags, texts, values } = reading;
  // Only a complete write at the same address can be reused (the memory keeps its bytes when it
  // grows, and the engine only reads them).
  const reuse = kept !== undefined && kept.count === count && kept.at === at;
  if (kept !== undefined) {
    kept.count = 0;
    kept.at = at;
  }
  let pos = at;
  // How far this login wrote: it matters only past `pos`, when a text was not ASCII after all.
  let dirty = at;
  for (let i = 0; i < count; i++) {
    const tag = tags[i];
    const start = pos;
    if (reuse && kept.starts[i] === start && dirty <= start && kept.tags[i] === tag && kept.items[i] !== undefined) {
      const item = kept.items[i];
      if (tag === TAG_LIST ? sameList(item, values[i]) : item === texts[i]) {
        pos = kept.ends[i];
        continue;
      }
    }
    // What this record leaves for the next login: only the ASCII paths below keep it.
    let item;
    if (tag === TAG_LIST) {
      const list = values[i];
      const length = writeAsciiList(memory, pos + 5, list);
      if (length >= 0 && length <= MAX_RECORD_BYTES) {
        writeHeader(memory, pos, TAG_JSON, length);
        pos += 5 + length;
        // Its own copy: the reading's is the claim value, which the api may change.
        if (kept !== undefined) item = list.slice();
      } else {
        // Text that needs escapes, or is not ASCII: JSON.stringify writes it, as for any array
        // (its text begins with what writeAsciiList wrote, and is longer).
        texts[i] = JSON.stringify(list);
        pos = writeText(memory, pos, TAG_JSON, texts[i], reading, i);
        dirty = Math.max(dirty, reached);
      }
    } else if (tag === TAG_STRING || tag === TAG_JSON) {
      const text = texts[i];
      // ASCII a byte at a time (the common case, and faster than encodeInto for short text).
      const n = text.length;
      const begin = pos + 5;
      let length = 0;
      while (length < n) {
        const c = text.charCodeAt(length);
        if (c > 0x7f) break;
        memory[begin + length] = c;
        length++;
      }
      if (length === n && n <= MAX_RECORD_BYTES) {
        writeHeader(memory, pos, tag, n);
        pos = begin + n;
        item = text;
      } else {
        pos = writeText(memory, pos, tag, text, reading, i);
        dirty = Math.max(dirty, begin + length, reached);
      }
    } else {
      memory[pos++] = tag;
    }
    if (kept !== undefined) {
      kept.starts[i] = start;
      kept.ends[i] = pos;
      kept.tags[i] = tag;
      kept.items[i] = item;
    }
  }
  if (kept !== undefined) kept.count = count;
  return pos - at;
}

/** One line to the logger, through warn() (or log() for `level` 'log'), else the other. Never throws. */
function logLine(logger, line, level = 'warn') {
  try {
    const sink = logger || console;
    const preferred = level === 'log' ? sink.log : sink.warn;
    const write = typeof preferred === 'function' ? preferred : level === 'log' ? sink.warn : sink.log;
    if (typeof write === 'function') write.call(sink, `login-claims: ${line}`);
  } catch {
    // A logger that throws must not break the login.
  }
}

// The wasm modules:
// - login_claims_decide, which every post-login handler loads: it decides a login from its event;
// - login_claims, the same engine with the Management API lookup, the trace and the tools'
//   exports: loaded by the first login that needs a lookup, and by simulatePostLogin and
//   validateConfig;
// - login_claims_phone, with the phone-message (Twilio Verify) code as well, which no post-login
//   Action loads.
const GLUE = {
  login_claims_decide: () => require('../../pkg/login_claims_decide_glue.cjs'),
  login_claims: () => require('../../pkg/login_claims_glue.cjs'),
  login_claims_phone: () => require('../../pkg/login_claims_phone_glue.cjs'),
};

// Nobody has published whether Auth0's Action sandbox always offers WebAssembly (Node started
// with --jitless does not). Without it nothing can be decided, and that is a defined state.
const ENGINE_UNAVAILABLE_MESSAGE =
  'WebAssembly is not available in this runtime (for example Node started with --jitless), so login-claims cannot decide any claim';

function engineUnavailableError() {
  return codedError('ENGINE_UNAVAILABLE', `login-claims: ${ENGINE_UNAVAILABLE_MESSAGE}`);
}

/**
 * The public API over engines whose wasm bytes come from `loadWasmBytes(moduleName)`. Each
 * module is compiled and instantiated synchronously on first use, once per process.
 */
function createApi(loadWasmBytes) {
  const engines = {};
  const memories = {};
  function engineLoader(name) {
    return () => {
      if (typeof WebAssembly !== 'object' || WebAssembly === null) throw engineUnavailableError();
      if (engines[name] === undefined) {
        const glue = GLUE[name]();
        memories[name] = glue.initSync({ module: new WebAssembly.Module(loadWasmBytes(name)) }).memory;
        engines[name] = glue;
      }
      return engines[name];
    };
  }
  const loadEngine = engineLoader('login_claims');

  /** The configuration's JSON text; CONFIG_INVALID when it has none. */
  function configText(config) {
    try {
      return configJson(config);
    } catch (error) {
      const issue = { code: 'not_an_object', at: '(root)', message: `the configuration is not JSON data: ${error.message}`, fix: 'pass a plain object of strings, booleans, arrays and objects' };
      throw codedError('CONFIG_INVALID', `invalid login-claims configuration: ${issue.message}`, { issues: [issue] });
    }
  }

  /** The configuration (JSON text) compiled in module `name`, with what its logins reuse. */
  function compile(json, options, name) {
    const engine = engineLoader(name)();
    const compiled = new engine.CompiledConfig(json, options);
    const { paths, claims, warnings } = JSON.parse(compiled.layoutJson());
    return {
      compiled,
      // Whether this module drives lookups itself; login_claims_decide hands them to login_claims.
      drivesLookups: typeof compiled.takeLogin === 'function',
      source: { json, options },
      lookupState: undefined,
      paths,
      tree: pathTree(paths),
      claims,
      warnings,
      memory: memories[name],
      bytes: new Uint8Array(memories[name].buffer),
      slotsAt: compiled.slotBuffer(0),
      capacity: 0,
      kept: newKept(paths.length),
      answerAt: compiled.answerBuffer(),
      reading: newReading(paths.length),
    };
  }

  /**
   * The wasm memory as bytes; a new view once the memory has grown. Growing detaches the old
   * buffer, which empties every view of it, so the length says it without the `buffer` getter.
   */
  function memoryBytes(state) {
    if (state.bytes.length === 0) state.bytes = new Uint8Array(state.memory.buffer);
    return state.bytes;
  }

  /** Sets one claim through the Auth0 api; a throwing api method costs only its claim. */
  function setClaim(api, tokenKey, name, value, trace, logger) {
    try {
      api[tokenKey].setCustomClaim(name, value);
    } catch (error) {
      if (trace) trace.push({ token: tokenKey, claim: name, outcome: 'skipped', reason: 'api_error', detail: 'api.setCustomClaim threw' });
      logLine(logger, `${tokenKey}.setCustomClaim failed for one claim (${error && error.name})`);
    }
  }

  /** Sets the claims the verdict (`status` and the answer buffer) names, with the values read. */
  function applyVerdict(state, status, reading, api, trace) {
    const bytes = memoryBytes(state);
    const { claims, answerAt } = state;
    const logger = state.io.logger;
    if (status & PHONE) {
      const number = answerNumber(bytes, answerAt + claims.length, (status >>> 8) & 0xff, reading.texts);
      setClaim(api, 'idToken', 'phone_number', number, trace, logger);
      setClaim(api, 'idToken', 'phone_number_verified', (status & VERIFIED) !== 0, trace, logger);
    }
    for (let k = 0; k < claims.length; k++) {
      if (bytes[answerAt + k] !== 1) continue;
      const { token, name, slot } = claims[k];
      const value = reading.values[slot];
      // JSON.parse makes plain data of an object's text, and keeps a key named __proto__ as data.
      setClaim(api, token, name, value === undefined ? JSON.parse(reading.texts[slot]) : value, trace, logger);
    }
  }

  /**
   * Writes `reading` as records into the state's slot buffer, grown to `bound` bytes first
   * (readEvent's bound; measured again when not given): the records' length.
   */
  function writeReading(state, reading, bound = recordBound(reading, state.paths.length)) {
    if (bound > state.capacity) {
      state.slotsAt = state.compiled.slotBuffer(bound);
      state.capacity = bound;
    }
    return writeRecords(memoryBytes(state), state.slotsAt, reading, state.paths.length, state.kept);
  }

  /** The status of the login in the slot buffer's first `length` bytes; throws INPUT_INVALID for slots the engine cannot frame. */
  function decide(compiled, length, explain, startedAt) {
    const status = compiled.decide(length, explain, startedAt);
    if (status & FAULT) throw codedError('INPUT_INVALID', compiled.takeFault());
    return status;
  }

  /**
   * The whole of one login. Never throws: faults become trace entries and a `failed` flag. A
   * login decided from the event returns its result at once; one that needs the Management API
   * returns a promise of it. `explain` asks the engine for the trace; the Action does not read
   * it, so it skips that work.
   */
  function runLogin(state, event, api, explain) {
    const { compiled, tree, io } = state;
    const result = { trace: [], managementApiCalls: 0, denied: undefined };
    let status;
    let startedAt;
    try {
      const reading = state.reading;
      const length = writeReading(state, reading, readEvent(event, tree, reading));
      startedAt = io.now();
      status = decide(compiled, length, explain, startedAt);
    } catch (error) {
      return settle(state, undefined, undefined, api, explain, result, error);
    }
    if (status & LOOKUP) return lookupLogin(state, event, api, explain, result, startedAt);
    return settle(state, status, state.reading, api, explain, result, undefined);
  }

  /**
   * The same configuration in login_claims, which drives lookups: compiled by the first login
   * that needs one (the decide module's configuration compiled there, so it cannot fail on its
   * own; a fault is the login's, as any other).
   */
  function lookupStateOf(state) {
    if (state.lookupState === undefined) {
      const { json, options } = state.source;
      state.lookupState = { ...compile(json, options, 'login_claims'), io: state.io };
    }
    return state.lookupState;
  }

  /** A login that reads the Management API: the lookup driven, then settled as any other. */
  async function lookupLogin(state, event, api, explain, result, startedAt) {
    // It keeps its own reading (the handler's is reused by the next login), and loads the
    // transport the first time a login needs it.
    const reading = copyReading(state.reading);
    let status;
    let fault;
    try {
      if (!state.drivesLookups) {
        // The decide module answered LOOKUP: login_claims decides the same slots again, with the
        // deadline from the login's start, and keeps the login to drive.
        state = lookupStateOf(state);
        const length = writeReading(state, reading);
        if ((decide(state.compiled, length, explain, startedAt) & LOOKUP) === 0) {
          throw codedError('INTERNAL_ERROR', 'the two engines disagree on whether the login needs a lookup');
        }
      }
      const { compiled, io } = state;
      const login = compiled.takeLogin();
      const { drive } = require('./transport.js');
      try {
        await drive(login, { fetch: io.fetch, now: io.now, secrets: safeGet(event, 'secrets'), cache: safeGet(api, 'cache') });
        status = login.verdict();
      } finally {
        result.managementApiCalls = login.requests();
        login.free();
      }
    } catch (error) {
      fault = error;
    }
    return settle(state, status, reading, api, explain, result, fault);
  }

  /** Logs, sets the claims of the verdict and applies the failure policy; the result. */
  function settle(state, status, reading, api, explain, result, fault) {
    const { compiled, io } = state;
    let denied = false;
    try {
      if (fault !== undefined) throw fault;
      if (explain) result.trace = JSON.parse(compiled.traceJson());
      if (status & LOG) logLine(io.logger, compiled.takeLog());
      denied = (status & DENY) !== 0;
      applyVerdict(state, status, reading, api, result.trace);
    } catch (error) {
      // Only a bug or a broken runtime gets here: the engine does not throw on event data.
      denied = compiled.denyOnFault;
      result.trace.push({ token: 'idToken', claim: '*', outcome: 'skipped', reason: 'internal_error', detail: String(error && error.message).slice(0, 200) });
      logLine(io.logger, `could not decide claims (${error && error.code ? error.code : 'internal error'})`);
    }
    if (denied && deny(api, io.logger)) result.denied = DENY_REASON;
    return result;
  }

  /** A compiled configuration with its io: in the decide module for handlers, else (the tools) in login_claims. */
  function prepare(config, options, name = 'login_claims') {
    const io = ioOptions(options);
    return { ...compile(configText(config), options, name), io };
  }

  /**
   * The post-login handler: `exports.onExecutePostLogin = createPostLoginHandler(config, options)`.
   * Throws CONFIG_INVALID (with `issues`) or OPTIONS_INVALID at creation, never during a login
   * with onError 'continue'. Configuration warnings are logged once, here.
   *
   * Without WebAssembly (ENGINE_UNAVAILABLE) it still returns a handler: each login goes on
   * without login-claims' claims (onError 'continue'; the cause is logged once) or is denied
   * with the generic reason (onError 'deny').
   */
  function createPostLoginHandler(config, options) {
    let state;
    try {
      state = prepare(config, options, 'login_claims_decide');
    } catch (error) {
      if (!error || error.code !== 'ENGINE_UNAVAILABLE') throw error;
      // Without the engine no option can be checked; only the failure policy is read.
      return unavailableHandler(ioOptions(options).logger, options !== null && typeof options === 'object' && options.onError === 'deny');
    }
    logWarnings(state);
    // A login decided from the event settles before this returns; one with a lookup, when its
    // promise does. Either way Auth0 gets a promise of undefined.
    return function onExecutePostLogin(event, api) {
      const result = runLogin(state, event, api, false);
      return typeof result.then === 'function' ? result.then(DISCARD) : DONE;
    };
  }

  function unavailableHandler(logger, denies) {
    let logged = false;
    return async function onExecutePostLogin(event, api) {
      if (!logged) {
        logged = true;
        logLine(logger, `ENGINE_UNAVAILABLE: ${ENGINE_UNAVAILABLE_MESSAGE}; logins ${denies ? 'are denied' : 'go on without its claims'}. Logged once per Action instance.`);
      }
      if (denies) deny(api, logger);
    };
  }

  // Loaded on first use: the phone-message handlers (Twilio Verify), which a claims-only Action
  // never parses, and the tools' part (simulatePostLogin, validateConfig), which no Action calls.
  const lazy = (load) => {
    let value;
    return () => (value === undefined ? (value = load()) : value);
  };
  const phoneMessageApi = lazy(() =>
    carriesPhoneModule()
      ? require('./phone-message.js').createPhoneMessageApi(engineLoader('login_claims_phone'), ioOptions)
      : requirePhonePackage(),
  );
  const toolApi = lazy(() => require('./simulate.js').createToolApi({ prepare, runLogin, loadEngine, logWarnings, configJson }));
  return {
    createPostLoginHandler,
    simulatePostLogin: (event, config, options) => toolApi().simulatePostLogin(event, config, options),
    validateConfig: (config) => toolApi().validateConfig(config),
    createSendPhoneMessageHandler: (options) => phoneMessageApi().createSendPhoneMessageHandler(options),
    createCustomPhoneProviderHandler: (options) => phoneMessageApi().createCustomPhoneProviderHandler(options),
    createVerifyFeedbackHandler: (options) => phoneMessageApi().createVerifyFeedbackHandler(options),
  };
}

/**
 * Whether this copy holds the phone-message module: the repository and login-claims-phone-message
 * do; the published login-claims, which a post-login Action installs, leaves it out (it would
 * double the download of every post-login Action).
 */
function carriesPhoneModule() {
  try {
    require.resolve('./phone-message.js');
    require.resolve('../../pkg/login_claims_phone_glue.cjs');
    return true;
  } catch {
    return false;
  }
}

/** The phone-message handlers of the sibling package, or an error that says how to get them. */
function requirePhonePackage() {
  try {
    return require('login-claims-phone-message');
  } catch (error) {
    if (!error || error.code !== 'MODULE_NOT_FOUND') throw error;
    throw codedError(
      'PHONE_MESSAGE_PACKAGE_MISSING',
      'login-claims: the phone-message handlers are in the package login-claims-phone-message: add it to the Action\'s dependencies and require it instead of login-claims',
    );
  }
}

/** Denies the login with the generic reason; true when api.access.deny did not throw. */
function deny(api, logger) {
  try {
    api.access.deny(DENY_REASON);
    return true;
  } catch (error) {
    logLine(logger, `api.access.deny threw (${error && error.name})`);
    return false;
  }
}

/** The configuration's warnings, one line each, once per compiled configuration. */
function logWarnings(state) {
  for (const line of state.warnings) logLine(state.io.logger, line);
}

function safeGet(object, key) {
  try {
    return object !== null && typeof object === 'object' ? object[key] : undefined;
  } catch {
    return undefined;
  }
}

/** An in-memory stand-in for Auth0's api.cache (js/action/simulate.js), loaded on first use. */
const createMemoryCache = (limits) => require('./simulate.js').createMemoryCache(limits);

module.exports = { createApi, createMemoryCache, pathTree, readEvent, newReading, newKept, writeRecords, codedError, logLine, safeGet, DENY_REASON, ENGINE_UNAVAILABLE_MESSAGE };
