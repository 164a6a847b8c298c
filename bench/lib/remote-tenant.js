'use strict';
// The sample tenant (js/tools/sample-tenant.js) in a child process of its own, so that its timers
// (the simulated 50 ms round trip, the rate-limit bucket) do not wait behind the Actions under
// test on one event loop. The parent talks to it over IPC: the tenant's url, its request log
// summarised, resetRequests, close.

const path = require('node:path');
const { fork } = require('node:child_process');

if (require.main === module) {
  // Child side.
  const { startSampleTenant } = require(path.join(__dirname, '..', '..', 'js', 'tools', 'sample-tenant.js'));
  let tenant;
  process.on('message', async ({ id, cmd, options }) => {
    try {
      let value;
      if (cmd === 'start') {
        tenant = await startSampleTenant(options);
        value = tenant.url;
      } else if (cmd === 'counts') {
        const list = tenant.requests;
        const token = list.filter((r) => r.path.startsWith('/oauth/token')).length;
        value = { total: list.length, token, api: list.length - token, rateLimited: list.filter((r) => r.status === 429).length };
      } else if (cmd === 'reset') {
        tenant.resetRequests();
      } else if (cmd === 'close') {
        await tenant.close();
        process.send({ id, value: true }, () => process.exit(0));
        return;
      }
      process.send({ id, value });
    } catch (error) {
      process.send({ id, error: String(error && error.stack) });
    }
  });
} else {
  /** Starts a sample tenant in a child process; resolves to {url, counts(), reset(), close()}. */
  module.exports.startRemoteTenant = async function startRemoteTenant(options) {
    const child = fork(__filename, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let nextId = 0;
    const pending = new Map();
    child.on('message', ({ id, value, error }) => {
      const entry = pending.get(id);
      pending.delete(id);
      if (entry) (error ? entry.reject(new Error(error)) : entry.resolve(value));
    });
    child.on('exit', (code) => {
      // A close that the exit overtook (its answer and the exit race on a loaded machine) is done.
      for (const entry of pending.values()) {
        if (entry.cmd === 'close' && code === 0) entry.resolve(true);
        else entry.reject(new Error(`tenant process exited ${code}`));
      }
      pending.clear();
    });
    const call = (cmd, extra = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject, cmd });
        child.send({ id, cmd, ...extra });
      });
    const url = await call('start', { options });
    return {
      url,
      counts: () => call('counts'),
      reset: () => call('reset'),
      close: () => call('close'),
    };
  };
}
