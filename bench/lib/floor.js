'use strict';
// The floor of the one-crossing design: ours with the engine's work free. `createFloorHandler`
// makes a real handler (reading the event as a path tree, writing the records into the wasm
// memory, one call into wasm, setting the claims from the answer) whose `decide`, once it has
// seen an event, is a call into a wasm function that only returns the status the engine
// answered for that event, after putting back the answer bytes the engine wrote for it (one
// typed-array copy and a WeakMap lookup, a few tens of ns that ours does not pay). Each login
// then sets exactly the claims ours sets. What ours costs above this figure is the engine's
// work; no speed-up of the engine can take ours below it.

const path = require('node:path');

// A wasm module exporting `f(status: i32, length: i32, explain: i32, now: f64) -> i32`, which
// returns `status`: the cheapest call the glue could make for a login.
const NOOP_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x09, 0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7c, 0x01, 0x7f, // type 0: (i32 i32 i32 f64) -> i32
  0x03, 0x02, 0x01, 0x00, // function 0, of type 0
  0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f": function 0
  0x0a, 0x06, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0b, // its body: local.get 0
]);

/** A handler of `config` from the package at `root` whose engine work is free (see above). */
function createFloorHandler(root, config) {
  const lc = require(root);
  lc.createPostLoginHandler(config); // loads the decide module
  const glue = require(path.join(root, 'pkg', 'login_claims_decide_glue.cjs'));
  const memory = glue.initSync().memory; // already initialised: the instance's exports
  const noop = new WebAssembly.Instance(new WebAssembly.Module(NOOP_WASM)).exports.f;
  // What the engine answered for each event: its status and the answer bytes.
  const answers = new WeakMap();
  let event;
  const Engine = glue.CompiledConfig;
  class FreeEngine extends Engine {
    decide(length, explain, now) {
      const answer = answers.get(event);
      if (answer === undefined) {
        const status = super.decide(length, explain, now);
        // The claim flags and the number (at most 31 bytes), as the engine left them. The
        // answer buffer stays where it is for the handler's life.
        const at = this.answerBuffer();
        answers.set(event, { status, bytes: new Uint8Array(memory.buffer).slice(at, at + 64), at });
        return status;
      }
      // A view of the memory, new only once the memory has grown (which empties the old one).
      if (this.view === undefined || this.view.length === 0) this.view = new Uint8Array(memory.buffer);
      this.view.set(answer.bytes, answer.at);
      return noop(answer.status, length, explain ? 1 : 0, now);
    }
  }
  glue.CompiledConfig = FreeEngine;
  let handler;
  try {
    handler = lc.createPostLoginHandler(config);
  } finally {
    glue.CompiledConfig = Engine;
  }
  return function onExecutePostLogin(login, api) {
    event = login;
    return handler(login, api);
  };
}

module.exports = { createFloorHandler, NOOP_WASM };
