'use strict';
// Performs the steps a Rust machine asks for (src/transport): fetch with a timeout and a capped
// body read, timers, api.cache calls and event.secrets reads. It decides nothing: the machine
// chose every URL, header, timeout and wait, and it judges every answer, down to whether a
// status is worth a retry. Nothing here throws on what a server, a cache or an event holds.

/**
 * Runs `machine` to its end: `machine.next(now())` answers one step at a time.
 * @param {{next(now: number): object, secrets(v: unknown[]): void, received(o: object): void, cached(e: unknown): void}} machine
 * @param {{fetch: typeof fetch, now: () => number, secrets?: unknown, cache?: unknown}} io
 */
async function drive(machine, io) {
  for (;;) {
    const step = machine.next(io.now());
    switch (step.kind) {
      case 'done':
        return;
      case 'secrets':
        machine.secrets(step.names.map((name) => ownString(io.secrets, name)));
        break;
      case 'send':
        machine.received(await send(io.fetch, step));
        break;
      case 'wait':
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, step.untilMs - io.now())));
        break;
      case 'cacheGet':
        machine.cached(cacheGet(io.cache, step.key));
        break;
      case 'cacheSet':
        cacheCall(io.cache, 'set', step.key, step.value, { expires_at: step.expiresAtMs });
        break;
      case 'cacheDelete':
        cacheCall(io.cache, 'delete', step.key);
        break;
      default:
        throw new Error(`login-claims: unknown step ${step.kind}`);
    }
  }
}

function ownString(object, name) {
  try {
    if (object === null || typeof object !== 'object' || !Object.prototype.hasOwnProperty.call(object, name)) return undefined;
    const value = object[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

// api.cache is best effort: a method that is missing, throws or answers a promise counts as no
// cache (a promise is not what Auth0 returns; it is kept from becoming an unhandled rejection).
function cacheGet(cache, key) {
  const entry = cacheCall(cache, 'get', key);
  if (entry === null || typeof entry !== 'object') return undefined;
  try {
    const { value, expires_at: expiresAt } = entry;
    return { value: typeof value === 'string' ? value : undefined, expires_at: typeof expiresAt === 'number' ? expiresAt : undefined };
  } catch {
    return undefined;
  }
}

function cacheCall(cache, method, ...args) {
  try {
    if (!cache || typeof cache[method] !== 'function') return undefined;
    const outcome = cache[method](...args);
    if (outcome !== null && (typeof outcome === 'object' || typeof outcome === 'function') && typeof outcome.then === 'function') {
      outcome.then(undefined, () => {});
      return undefined;
    }
    return outcome;
  } catch {
    return undefined;
  }
}

const TIMEOUT = Object.freeze({ kind: 'failed', error: 'timeout' });
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
  try {
    let response;
    try {
      const init = { method: request.method, headers: Object.fromEntries(request.headers), redirect: 'manual', signal: controller.signal };
      if (request.body !== undefined) init.body = request.body;
      response = await untilAborted(Promise.resolve().then(() => fetchFn(request.url, init)), controller.signal);
    } catch (error) {
      return timedOut ? TIMEOUT : network(error, 'connecting');
    }
    let status;
    const headers = [];
    try {
      status = response.status;
      for (const name of request.responseHeaders) {
        const value = response.headers.get(name);
        if (typeof value === 'string') headers.push([name, value]);
      }
    } catch {
      return { kind: 'failed', error: 'no_response' };
    }
    if (typeof status !== 'number') return { kind: 'failed', error: 'no_response' };
    let bytes;
    try {
      bytes = await readCappedBytes(response, controller, request.maxBodyBytes);
    } catch (error) {
      if (error === TOO_LARGE || error === UNREADABLE) return { kind: 'failed', error };
      return timedOut ? TIMEOUT : network(error, 'reading_body');
    }
    return { kind: 'response', status, headers, body: decode(bytes, request.bodyAs) };
  } finally {
    clearTimeout(timer);
  }
}

function decode(bytes, bodyAs) {
  let text;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    return { invalid_utf8: lossyUtf8.decode(bytes) };
  }
  if (bodyAs === 'json') {
    try {
      return { json: JSON.parse(text) };
    } catch {
      // Not JSON: the machine says so, from the text.
    }
  }
  return { text };
}

/** A failed connection, with the system error code found on the error or its causes. */
function network(error, phase) {
  for (let current = error, depth = 0; current && depth < 4; current = current.cause, depth += 1) {
    try {
      if (typeof current.code === 'string') return { kind: 'failed', error: 'network', phase, code: current.code.slice(0, 64) };
    } catch {
      break;
    }
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
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      }
    );
  });
}

const TOO_LARGE = 'too_large';
const UNREADABLE = 'unreadable';

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
  const declared = Number(response.headers.get('content-length'));
  const body = response.body;
  if (Number.isFinite(declared) && declared > maxBytes) {
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
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), controller.signal);
      if (done) break;
      if (!(value instanceof Uint8Array)) throw UNREADABLE;
      total += value.byteLength;
      if (total > maxBytes) throw TOO_LARGE;
      chunks.push(value);
    }
  } catch (error) {
    cancelQuietly(reader);
    controller.abort();
    throw error;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

module.exports = { drive };
