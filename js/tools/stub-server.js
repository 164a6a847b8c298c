'use strict';
// What the sample tenant and the sample Verify service share: a node:http server on loopback
// with a capped log of the requests it received, a queue of faults to inject (failNext), timers
// that close() clears, and the JSON and request-body plumbing. Each stand-in adds its routes.
// Never part of the Action entry: an Action cannot open a server.

const http = require('node:http');
const { listen } = require('./listen.js');

/**
 * Starts the server; `handle(req, res)` serves each request, `internalError(res)` answers one
 * whose handler threw before it answered.
 * @param {object} options
 * @param {(req: object, res: object) => Promise<void>} options.handle
 * @param {(res: object) => void} options.internalError
 * @param {number} options.maxLoggedRequests past this, the older half of the log is dropped.
 * @param {(spec: unknown) => boolean} options.isFaultSpec what failNext accepts as a spec.
 * @param {number} options.port
 * @param {string} options.host
 */
async function startStub({ handle, internalError, maxLoggedRequests, isFaultSpec, port, host }) {
  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) internalError(res);
      else res.destroy();
    });
  });
  const listening = await listen(server, port, host);
  const stub = {
    url: listening.origin,
    requests: [],
    faults: [],
    timers: new Set(),
    closing: false,
    /** Runs `fn` after `ms`, unless close() comes first. */
    later(ms, fn) {
      const timer = setTimeout(() => {
        stub.timers.delete(timer);
        fn();
      }, ms);
      stub.timers.add(timer);
    },
    delay(ms) {
      if (!(ms > 0)) return Promise.resolve();
      return new Promise((resolve) => stub.later(ms, resolve));
    },
    log(entry) {
      stub.requests.push(entry);
      if (stub.requests.length > maxLoggedRequests) stub.requests.splice(0, stub.requests.length / 2);
    },
    /** The first queued fault whose `path` (substring or RegExp) matches, used up once. */
    takeFault(path) {
      const index = stub.faults.findIndex(
        (spec) => spec.path === undefined || (spec.path instanceof RegExp ? spec.path.test(path) : path.includes(spec.path))
      );
      if (index === -1) return undefined;
      const spec = stub.faults[index];
      spec.remaining -= 1;
      if (spec.remaining <= 0) stub.faults.splice(index, 1);
      return spec;
    },
    /** The controls every stand-in offers; the stand-in adds its own with Object.assign. */
    controls() {
      return {
        url: stub.url,
        get requests() {
          return stub.requests;
        },
        resetRequests() {
          stub.requests = [];
        },
        failNext(spec) {
          if (!isFaultSpec(spec)) throw new TypeError('failNext: spec must be an object');
          const times = spec.times === undefined ? 1 : spec.times;
          if (!(Number.isInteger(times) && times > 0)) throw new TypeError('failNext: times must be a positive integer');
          stub.faults.push({ ...spec, remaining: times });
        },
        clearFaults() {
          stub.faults = [];
        },
        close() {
          stub.closing = true;
          for (const timer of stub.timers) clearTimeout(timer);
          stub.timers.clear();
          return listening.close();
        },
      };
    },
  };
  return stub;
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

// The request body, or undefined past `maxBytes` (the rest is not read) or on a read error.
function readBody(req, maxBytes) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (value) => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (chunk) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => settle(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => settle(undefined));
  });
}

module.exports = { startStub, sendJson, readBody };
