'use strict';
// Performs the steps a Rust machine asks for (src/transport): fetch with a timeout and a capped
// body read, timers, api.cache calls and event.secrets reads. It decides nothing: the machine
// chose every URL, header, timeout and wait, and it judges every answer, down to whether a
// status is worth a retry. Nothing here throws on what a server, a cache or an event holds.

// One function per step kind: each performs the step and hands the machine what it asked for.
const STEPS = {
  secrets: (machine, step, io) => machine.secrets(step.names.map((name) => ownString(io.secrets, name))),
  send: async (machine, step, io) => machine.received(await send(io.fetch, step)),
  wait: (machine, step, io) => new Promise((resolve) => setTimeout(resolve, Math.max(0, step.untilMs - io.now()))),
  cacheGet: (machine, step, io) => machine.cached(cacheEntry(cacheCall(io.cache, 'get', step.key))),
  cacheSet: (machine, step, io) => cacheCall(io.cache, 'set', step.key, step.value, { expires_at: step.expiresAtMs }),
  cacheDelete: (machine, step, io) => cacheCall(io.cache, 'delete', step.key),
};

/**
 * Runs `machine` (a Login, ManagementLookup, Delivery or Feedback of the wasm) to its end.
 * @param {{next(now: number): {kind: string}}} machine
 * @param {{fetch: typeof fetch, now: () => number, secrets?: unknown, cache?: unknown}} io
 */
async function drive(machine, io) {
  for (let step = machine.next(io.now()); step.kind !== 'done'; step = machine.next(io.now())) {
    await STEPS[step.kind](machine, step, io);
  }
}

function ownString(object, name) {
  try {
    const own = object !== null && typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, name);
    return own && typeof object[name] === 'string' ? object[name] : undefined;
  } catch {
    return undefined;
  }
}

// api.cache is best effort: a method that is missing, throws or answers a promise counts as no
// cache (a promise is not what Auth0 returns; it is kept from becoming an unhandled rejection).
function cacheCall(cache, method, ...args) {
  try {
    const outcome = cache && typeof cache[method] === 'function' ? cache[method](...args) : undefined;
    if (outcome !== null && typeof Object(outcome).then !== 'function') return outcome;
    if (outcome) outcome.then(undefined, () => {});
  } catch {
    // As if there were no cache.
  }
  return undefined;
}

function cacheEntry(entry) {
  try {
    if (entry === null || typeof entry !== 'object') return undefined;
    const { value, expires_at: expiresAt } = entry;
    return { value: typeof value === 'string' ? value : undefined, expires_at: typeof expiresAt === 'number' ? expiresAt : undefined };
  } catch {
    return undefined;
  }
}

const TIMEOUT = Object.freeze({ kind: 'failed', error: 'timeout' });
const NO_RESPONSE = Object.freeze({ kind: 'failed', error: 'no_response' });
const TOO_LARGE = 'too_large';
const UNREADABLE = 'unreadable';
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

/**
 * One HTTP exchange as the machine described it: no redirect is followed (an Authorization
 * header never goes to another host), and the request is aborted after `timeoutMs`, body
 * included. Resolves to the outcome the machine reads; never rejects.
 */
async function send(fetchFn, request) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const failed = (error, phase) => (timedOut ? TIMEOUT : network(error, phase));
  try {
    const init = { method: request.method, headers: Object.fromEntries(request.headers), body: request.body, redirect: 'manual', signal: controller.signal };
    let response;
    try {
      response = await untilAborted(Promise.resolve().then(() => fetchFn(request.url, init)), controller.signal);
    } catch (error) {
      return failed(error, 'connecting');
    }
    const headers = [];
    try {
      for (const name of request.responseHeaders) {
        const value = response.headers.get(name);
        if (typeof value === 'string') headers.push([name, value]);
      }
      if (typeof response.status !== 'number') return NO_RESPONSE;
    } catch {
      return NO_RESPONSE;
    }
    let bytes;
    try {
      bytes = await readCappedBytes(response, controller, request.maxBodyBytes);
    } catch (error) {
      return error === TOO_LARGE || error === UNREADABLE ? { kind: 'failed', error } : failed(error, 'reading_body');
    }
    return { kind: 'response', status: response.status, headers, body: decode(bytes, request.bodyAs) };
  } finally {
    clearTimeout(timer);
  }
}

/** The body as the machine asked for it: parsed JSON, else the text, else its lossy decoding. */
function decode(bytes, bodyAs) {
  let text;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    return { invalid_utf8: lossyUtf8.decode(bytes) };
  }
  try {
    if (bodyAs === 'json') return { json: JSON.parse(text) };
  } catch {
    // Not JSON: the machine says so, from the text.
  }
  return { text };
}

/** A failed connection, with the system error code found on the error or its causes. */
function network(error, phase) {
  try {
    for (let current = error, depth = 0; current && depth < 4; current = current.cause, depth += 1) {
      if (typeof current.code === 'string') return { kind: 'failed', error: 'network', phase, code: current.code.slice(0, 64) };
    }
  } catch {
    // A hostile error object: no code.
  }
  return { kind: 'failed', error: 'network', phase };
}

/**
 * `promise`, or a rejection as soon as `signal` aborts: a fetch implementation that ignores its
 * signal cannot hold a login past its timeout. A late rejection of `promise` is swallowed.
 */
function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      promise.then(undefined, () => {});
      reject(new Error('aborted'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = (done) => (value) => {
      signal.removeEventListener('abort', onAbort);
      done(value);
    };
    promise.then(settle(resolve), settle(reject));
  });
}

function cancelQuietly(stream) {
  try {
    stream.cancel().catch(() => {});
  } catch {
    // A locked, errored or closed stream needs no cancelling.
  }
}

/**
 * A response body as bytes, read no further than `maxBytes` (a 50 MB answer is stopped at the
 * cap, not buffered). Throws TOO_LARGE, UNREADABLE, or the stream's own error.
 */
async function readCappedBytes(response, controller, maxBytes) {
  const body = response.body;
  if (Number(response.headers.get('content-length')) > maxBytes) {
    if (body) cancelQuietly(body);
    controller.abort();
    throw TOO_LARGE;
  }
  if (body == null) return new Uint8Array(0);
  if (typeof body.getReader !== 'function') {
    if (typeof response.arrayBuffer !== 'function') throw UNREADABLE;
    // Not a WHATWG Response: the size can only be checked afterwards.
    const bytes = new Uint8Array(await untilAborted(Promise.resolve().then(() => response.arrayBuffer()), controller.signal));
    if (bytes.length > maxBytes) throw TOO_LARGE;
    return bytes;
  }
  const reader = body.getReader();
  const chunks = [];
  let total = 0;
  try {
    for (let read = await untilAborted(reader.read(), controller.signal); !read.done; read = await untilAborted(reader.read(), controller.signal)) {
      if (!(read.value instanceof Uint8Array)) throw UNREADABLE;
      total += read.value.byteLength;
      if (total > maxBytes) throw TOO_LARGE;
      chunks.push(read.value);
    }
  } catch (error) {
    cancelQuietly(reader);
    controller.abort();
    throw error;
  }
  const bytes = new Uint8Array(total);
  chunks.reduce((offset, chunk) => (bytes.set(chunk, offset), offset + chunk.byteLength), 0);
  return bytes;
}

module.exports = { drive };
