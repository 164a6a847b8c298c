'use strict';
// Transport helpers shared by the two HTTP clients that run inside Actions (js/management.js for
// the Management API, js/verify.js for Twilio Verify): deadlines, waits, Retry-After, aborts,
// loopback hosts. Each client keeps its own failure codes; nothing here throws on bad input.

// A wait that ends exactly at the deadline is useless: the retried request needs time too.
const REQUEST_ROOM_MS = 100;
// setTimeout fires after 1 ms when given more than this, which would turn a long budget into none.
const MAX_TIMER_MS = 2147483647;

/** True when waiting `waitMs` still leaves room for one more request before `ctx.deadline`. */
function fitsBeforeDeadline(ctx, waitMs) {
  return ctx.now() + waitMs + Math.min(REQUEST_ROOM_MS, ctx.timeoutMs) <= ctx.deadline;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)));
}

/**
 * How long a 429 asks to wait, in ms: `retry-after` (seconds or an HTTP date), else
 * `x-ratelimit-reset` (Unix seconds, the Management API's header); undefined when neither reads.
 */
function retryDelayMs(headers, now) {
  const retryAfter = (headers.get('retry-after') || '').trim();
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Number(retryAfter) * 1000;
  if (/[a-z]/i.test(retryAfter)) {
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = (headers.get('x-ratelimit-reset') || '').trim();
  if (/^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now);
  return undefined;
}

/** A system error code (ECONNREFUSED, UND_ERR_SOCKET, ...) from an error or its causes. */
function errorCode(error) {
  for (let current = error, depth = 0; current && depth < 4; current = current.cause, depth += 1) {
    if (typeof current.code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(current.code)) return current.code;
  }
  return undefined;
}

/**
 * `promise`, or a rejection as soon as `signal` aborts: a fetch implementation that ignores its
 * signal cannot hold a login past its timeout. A late rejection of `promise` is swallowed.
 */
function untilAborted(promise, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      promise.then(undefined, () => {});
      reject(new Error('aborted'));
      return;
    }
    const onAbort = () => {
      promise.then(undefined, () => {});
      reject(new Error('aborted'));
    };
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

/** Cancels a response body we will not read, so its socket is released. */
function cancelQuietly(body) {
  if (body && typeof body.cancel === 'function') {
    try {
      body.cancel().catch(() => {});
    } catch {
      // A locked or already closed stream needs no cancelling.
    }
  }
}

/** Loopback host names as URL() spells them; URL() has already normalised 127.1, 0x7f.0.0.1, [0:0::1]. */
function isLoopback(host) {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * A response body as bytes, read no further than `maxBytes` (a 50 MB answer is stopped at the
 * cap, not buffered). Failures are the caller's own errors: `errors.tooLarge()`,
 * `errors.notBytes()` (a stream that yields something else) and `errors.unreadable()`.
 */
async function readCappedBytes(response, controller, maxBytes, errors) {
  const declared = Number(response.headers.get('content-length'));
  const body = response.body;
  if (Number.isFinite(declared) && declared > maxBytes) {
    cancelQuietly(body);
    controller.abort();
    throw errors.tooLarge();
  }
  if (body == null) return new Uint8Array(0);
  if (typeof body.getReader === 'function') return readStream(body.getReader(), controller, maxBytes, errors);
  if (typeof response.arrayBuffer === 'function') {
    // Not a WHATWG Response: the size can only be checked afterwards.
    const bytes = new Uint8Array(await untilAborted(Promise.resolve().then(() => response.arrayBuffer()), controller.signal));
    if (bytes.length > maxBytes) throw errors.tooLarge();
    return bytes;
  }
  throw errors.unreadable();
}

async function readStream(reader, controller, maxBytes, errors) {
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), controller.signal);
      if (done) break;
      if (!(value instanceof Uint8Array)) throw errors.notBytes();
      total += value.byteLength;
      // Stop at the cap instead of buffering whatever the server keeps sending.
      if (total > maxBytes) throw errors.tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    try {
      reader.cancel().catch(() => {});
    } catch {
      // An errored stream needs no cancelling.
    }
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

/**
 * One HTTP exchange, body included, within min(ctx.timeoutMs, the time left before ctx.deadline).
 * Redirects are not followed, so an Authorization header never goes to another host. Resolves to
 * {status, headers, text}; every failure is the caller's own error, built by `on`:
 * deadlinePassed(), timeout(budgetMs, cutByDeadline), network(error, phase), noResponse(),
 * read(response, controller) -> text (may throw the caller's errors), isOwn(error), sent().
 */
async function exchange(ctx, url, init, on) {
  const remaining = ctx.deadline - ctx.now();
  if (!(remaining > 0)) throw on.deadlinePassed();
  const budgetMs = Math.max(1, Math.floor(Math.min(ctx.timeoutMs, remaining, MAX_TIMER_MS)));
  const cutByDeadline = remaining < ctx.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, budgetMs);
  on.sent();
  try {
    let response;
    try {
      response = await untilAborted(
        Promise.resolve().then(() => ctx.fetch(url, { ...init, redirect: 'manual', signal: controller.signal })),
        controller.signal
      );
    } catch (error) {
      if (timedOut) throw on.timeout(budgetMs, cutByDeadline);
      throw on.network(error, 'connecting');
    }
    if (!response || typeof response.status !== 'number' || !response.headers || typeof response.headers.get !== 'function') {
      throw on.noResponse();
    }
    try {
      const text = await on.read(response, controller);
      return { status: response.status, headers: response.headers, text };
    } catch (error) {
      if (on.isOwn(error)) throw error;
      if (timedOut) throw on.timeout(budgetMs, cutByDeadline);
      throw on.network(error, 'reading the body');
    }
  } finally {
    clearTimeout(timer);
  }
}

module.exports = {
  exchange,
  readCappedBytes,
  MAX_TIMER_MS, fitsBeforeDeadline, sleep, retryDelayMs, errorCode, untilAborted, cancelQuietly, isLoopback };
