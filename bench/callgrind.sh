#!/usr/bin/env bash
# Where the Rust core's time goes inside one login, by function. The shipped wasm is stripped,
# so `node --cpu-prof` (bench/profile.js) can only say "inside the wasm"; this builds the same
# code natively (bench/native: the decide module's settings, plus debug info), runs `decide` on
# the slot records of the warm benchmark's events under callgrind, and prints the costliest functions.
#   bench/callgrind.sh [ITERATIONS]     (needs valgrind; output in target/bench-native/)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench-native
mkdir -p "$OUT"
node -e '
  const core = require("./js/action/core.js");
  const events = require("./bench/lib/events.js");
  const { pool } = require("./bench/warm.js");
  const glue = require("./pkg/login_claims_decide_glue.cjs");
  require(".").createPostLoginHandler(events.CONFIG); // initialises the decide module
  const compiled = new glue.CompiledConfig(JSON.stringify(events.CONFIG), undefined);
  const { paths } = JSON.parse(compiled.layoutJson());
  const tree = core.pathTree(paths);
  const reading = core.newReading(paths.length);
  const memory = new Uint8Array(64 * 1024);
  const records = pool(0).map((event) => {
    core.readEvent(event, tree, reading);
    return Array.from(memory.subarray(0, core.writeRecords(memory, 0, reading, paths.length)));
  });
  require("fs").writeFileSync(process.argv[1], JSON.stringify({ config: events.CONFIG, records }));
' "$OUT/input.json"
CARGO_TARGET_DIR="$OUT" cargo build --quiet --release --manifest-path bench/native/Cargo.toml
BIN="$OUT/release/login-claims-bench-native"
"$BIN" "$OUT/input.json" 200000
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" "$BIN" "$OUT/input.json" "${1:-20000}" 2>&1 | grep -E 'refs|decisions'
echo
echo "== self cost (top 25) =="
callgrind_annotate --inclusive=no "$OUT/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n '2,26p' | cut -c1-160
echo
echo "== inclusive cost (top 40) =="
callgrind_annotate --inclusive=yes "$OUT/callgrind.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n '2,41p' | cut -c1-160
echo
echo "full profile: callgrind_annotate $OUT/callgrind.out (or kcachegrind)"
