#!/usr/bin/env bash
# One entry point for everything: installing the toolchain, building pkg/, testing, the demo.
#
#   ./build.sh setup   install what the build and the tests need (idempotent)
#   ./build.sh build   build pkg/ (wasm + JS glue + inlined wasm) and record its input hash
#   ./build.sh test    setup, then every check; the last lines are a summary
#   ./build.sh demo    run the local simulator on the bundled example logins
#   ./build.sh playground [--port PORT]   serve the playground page on 127.0.0.1
#   ./build.sh bundle  regenerate playground/bundle.js from js/, pkg/ and examples/
#   ./build.sh bench   regenerate BENCHMARKS.md
#   ./build.sh fuzz [seconds [target...]]   run the cargo-fuzz targets, one at a time
#
# The wasm32 standard library cannot be downloaded by rustup on machines without its download
# host; there the Debian rustc-web compiler and rust-web-src sources build std from source
# (-Zbuild-std). See README "Building from source".
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
WASM_PACK_VERSION=0.15.1
NODE_RUNTIMES=(18 22)
# Everything that decides the bytes of pkg/ besides the sources; part of the input hash.
BUILD_SETTINGS="wasm-pack build --release --target no-modules: login_claims_decide --no-default-features opt-level=3 --cfg login_claims_size, login_claims --no-default-features --features lookup opt-level=z, login_claims_phone --features phone-messages opt-level=z; target-feature=-reference-types,-multivalue; panic=immediate-abort; allocator talc; wasm-opt -Oz --converge --strip-debug --strip-producers; inline base64 v1"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    say "apt-get update"
    apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- wasm toolchain -----------------------------------------------------------------------------
# The release build (pkg/) always compiles std from Debian's rust-web-src (-Zbuild-std): only
# then can it use the immediate-abort panic strategy and drop reference types (see below), and it
# is the path verified on these machines. The test builds use rustup's prebuilt wasm32 std where
# `rustup target add` works (it hangs where its download host is unreachable, hence the
# timeout), and the same Debian recipe otherwise. The rustup outcome is remembered in target/.
WASM_CARGO_ARGS=()
WASM_RELEASE_RUSTFLAGS=""

debian_wasm_env() {
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
    apt_install rustc-web rust-web-src
  fi
  export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
  # Debian's rustc looks for rust-lld, which it does not ship; rustup's toolchain has one.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$(rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-gnu/bin/rust-lld"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER
  WASM_CARGO_ARGS=(-Zbuild-std=std,panic_abort)
  # - Debian's wasm-opt (binaryen 108) corrupts wasm-bindgen's externref table; without the
  #   reference-types feature no such table exists and wasm-opt -Oz is safe.
  # - immediate-abort drops the panic formatting machinery. No panic is reachable from input
  #   (the crate denies unwrap/expect/indexing/panic); this only removes dead weight.
  # Measured: 149 KB raw / 62.0 KB gzip without these and wasm-opt, 120 KB / 56.3 KB with them.
  WASM_RELEASE_RUSTFLAGS="-Ctarget-feature=-reference-types,-multivalue -Zunstable-options -Cpanic=immediate-abort"
}

rustup_wasm_target() {
  local marker=target/.rustup-wasm32
  if [ ! -f "$marker" ]; then
    local found=no
    if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      found=yes
    else
      say "rustup target add wasm32-unknown-unknown (60 s limit; its download host may be unreachable)"
      if timeout 60 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; then
        found=yes
      else
        say "rustup could not add the target: the tests build std from Debian's rust-web-src"
      fi
    fi
    mkdir -p target && echo "$found" >"$marker"
  fi
  [ "$(cat "$marker")" = yes ]
}

test_wasm_env() {
  if rustup_wasm_target; then
    WASM_CARGO_ARGS=()
  else
    debian_wasm_env
  fi
}

cmd_setup() {
  rustup_wasm_target || debian_wasm_env
  # The release build always needs Debian's compiler and std sources.
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ]; then
    apt_install rustc-web rust-web-src
  fi
  if ! have wasm-pack || [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
    say "cargo install wasm-pack $WASM_PACK_VERSION (about 3 min)"
    cargo install --quiet wasm-pack --version "$WASM_PACK_VERSION"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
    # --locked fails for this version: a locked dependency is no longer in the registry.
    say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version pinned in Cargo.toml)"
    cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
  local pkgs=()
  have chromium || pkgs+=(chromium)
  have chromedriver || pkgs+=(chromium-driver)
  have wasm-opt || pkgs+=(binaryen)
  [ ${#pkgs[@]} = 0 ] || apt_install "${pkgs[@]}"
  for v in "${NODE_RUNTIMES[@]}"; do
    if ! npx -y -p "node@$v" node --version >/dev/null 2>&1; then
      say "fetching Node $v from the npm registry"
      npx -y -p "node@$v" node --version >/dev/null
    fi
  done
  if ! have cargo-fuzz; then
    say "cargo install cargo-fuzz (a few minutes)"
    cargo install --quiet cargo-fuzz
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci (dev-dependencies only; the packages have no runtime dependency)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

# --- pkg/ and its freshness ---------------------------------------------------------------------
input_hash() {
  {
    echo "$BUILD_SETTINGS"
    echo "wasm-bindgen $WASM_BINDGEN_VERSION"
    # Unit-test files (*_tests.rs) do not reach the wasm, so they are left out.
    for f in Cargo.toml Cargo.lock $(find src -type f -name '*.rs' ! -name '*_tests.rs' | LC_ALL=C sort); do
      echo "== $f"
      cat "$f"
    done
  } | sha256sum | cut -d' ' -f1
}

# One wasm module: build_module NAME CARGO_ARGS... -> pkg/NAME_bg.wasm, NAME.js (wasm-pack's
# glue), NAME_glue.cjs (the glue as CommonJS) and NAME_wasm.cjs (the wasm as base64, for Actions,
# which cannot count on reading a file next to their code).
build_module() {
  local name=$1
  shift
  local out=target/pkg-$name
  rm -rf "$out"
  say "wasm-pack build $name (release, opt-level ${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z})"
  RUSTFLAGS="$WASM_RELEASE_RUSTFLAGS ${MODULE_RUSTFLAGS:-}" wasm-pack --quiet build --mode no-install --release --target no-modules \
    --out-dir "$out" --out-name "$name" --no-pack . "${WASM_CARGO_ARGS[@]}" "$@"
  if have wasm-opt; then
    say "wasm-opt -Oz $name"
    wasm-opt -Oz --converge --strip-debug --strip-producers --enable-bulk-memory --enable-sign-ext \
      --enable-mutable-globals --enable-nontrapping-float-to-int "$out/${name}_bg.wasm" -o "pkg/${name}_bg.wasm"
  else
    cp "$out/${name}_bg.wasm" pkg/
  fi
  cp "$out/$name.js" "$out/$name.d.ts" "$out/${name}_bg.wasm.d.ts" pkg/
  {
    echo "// Generated by build.sh from $name.js (wasm-bindgen --target no-modules)."
    cat "pkg/$name.js"
    echo "module.exports = wasm_bindgen;"
  } >"pkg/${name}_glue.cjs"
  {
    echo "// Generated by build.sh: ${name}_bg.wasm as base64, for runtimes that cannot read files."
    printf "module.exports = '%s';\n" "$(base64 -w0 "pkg/${name}_bg.wasm")"
  } >"pkg/${name}_wasm.cjs"
  say "pkg/${name}_bg.wasm: $(wc -c <"pkg/${name}_bg.wasm") bytes, $(gzip -9c "pkg/${name}_bg.wasm" | wc -c) gzipped"
}

cmd_build() {
  debian_wasm_env
  rm -rf pkg
  mkdir -p pkg
  # - login_claims_decide, which every post-login Action loads: it decides a login from its
  #   event, and leaves a login that needs the Management API to login_claims. It runs on every
  #   login, so it is built for speed (opt-level 3: its wasm call is about 3x faster than at "z"
  #   for about 9 KB more gzip; BENCHMARKS.md, "The build settings"), except the code that runs
  #   once per handler (compiling the configuration, checking options, the layout): with
  #   `--cfg login_claims_size` those functions carry #[optimize(size)] (src/lib.rs).
  # - login_claims: the same engine with the lookup, the trace and the tools' exports, loaded by
  #   the first lookup login and by simulatePostLogin/validateConfig; network-bound or a tool,
  #   so built for size (Cargo.toml's "z").
  # - login_claims_phone: everything, with the phone-message handlers; network-bound, "z".
  CARGO_PROFILE_RELEASE_OPT_LEVEL=3 MODULE_RUSTFLAGS="--cfg login_claims_size" \
    build_module login_claims_decide --no-default-features
  build_module login_claims --no-default-features --features lookup
  build_module login_claims_phone --features phone-messages
  printf 'inputs=%s\noutputs=%s\n' "$(input_hash)" "$(output_hash)" >pkg/BUILD_HASHES
  say "js/action/codes.d.ts (the code unions of the types, from the engine catalogue)"
  node scripts/codes.js
  cmd_bundle
}

# playground/bundle.js: the shim's sources, the post-login glue and the examples, each unchanged,
# for the page (js/tools/playground-server.js makes it; the page loads pkg/login_claims_bg.wasm itself).
cmd_bundle() {
  say "playground/bundle.js"
  node -e "require('./js/tools/playground-server.js').writeBundle()"
}

bundle_fresh() {
  node -e "process.exit(require('./js/tools/playground-server.js').bundleIsFresh() ? 0 : 1)" && return 0
  echo "playground/bundle.js does not match js/, pkg/ or examples/: run ./build.sh bundle and commit it" >&2
  return 1
}

output_hash() {
  (cd pkg && find . -type f ! -name BUILD_HASHES | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -d' ' -f1
}

check_fresh() {
  local recorded
  recorded=$(cat pkg/BUILD_HASHES 2>/dev/null || echo none)
  if [ "$recorded" = none ] || [ "$(sed -n 's/^inputs=//p' pkg/BUILD_HASHES)" != "$(input_hash)" ]; then
    echo "pkg/ does not match the sources (Rust sources, Cargo.toml, Cargo.lock or build settings changed): run ./build.sh build and commit pkg/" >&2
    return 1
  fi
  if [ "$(sed -n 's/^outputs=//p' pkg/BUILD_HASHES)" != "$(output_hash)" ]; then
    echo "files in pkg/ were changed by hand or are missing: run ./build.sh build and commit pkg/" >&2
    return 1
  fi
}

# --- tests --------------------------------------------------------------------------------------
RESULTS=()
FAILED=0
LOGDIR=target/test-logs
# Runs one check with its output in $LOGDIR; a failing check's output is shown in full, and
# every check gets one PASS/FAIL line in the summary.
step() {
  local name=$1
  shift
  mkdir -p "$LOGDIR"
  local log
  log="$LOGDIR/$(printf '%02d' $((${#RESULTS[@]} + 1)))-$(echo "$name" | tr -c 'a-zA-Z0-9' '-' | cut -c1-60).log"
  say "$name"
  local start=$SECONDS
  if "$@" >"$log" 2>&1; then
    RESULTS+=("PASS  $name ($((SECONDS - start)) s)")
    grep -E '^(# (tests|pass|fail) [0-9]+|test result:)' "$log" | sed 's/^/    /' | head -3 || true
  else
    RESULTS+=("FAIL  $name ($((SECONDS - start)) s)  see $log")
    FAILED=$((FAILED + 1))
    echo "---- last 400 lines of the failing check's output ($log) ----"
    tail -n 400 "$log"
    echo "---- end of output ----"
  fi
}

node_on() { # node_on VERSION args...: run node of that major version ('' = the machine's)
  local v=$1
  shift
  if [ -z "$v" ]; then node "$@"; else npx -y -p "node@$v" node "$@"; fi
}

js_suite() { # js_suite NODE_VERSION: the suites on the repository itself
  node_on "$1" --test tests/js/*.test.js
}

# Packs the three npm packages (scripts/pack.js) and installs them into a scratch CommonJS and a
# scratch ESM project, from the tarballs only (--offline: nothing comes from the registry).
PACKED=""
pack_scratch() {
  local dir
  dir=$(mktemp -d)
  node scripts/pack.js "$dir/tarballs" >"$dir/packed.json"
  local tarballs=()
  mapfile -t tarballs < <(node -e "for (const p of require('$dir/packed.json')) console.log(p.tarball)")
  for kind in cjs esm; do
    mkdir -p "$dir/$kind"
    local type=commonjs
    [ "$kind" = esm ] && type=module
    printf '{"name":"scratch-%s","private":true,"type":"%s"}\n' "$kind" "$type" >"$dir/$kind/package.json"
    (cd "$dir/$kind" && npm install --silent --no-audit --no-fund --offline "${tarballs[@]}" >/dev/null)
  done
  PACKED=$dir
}

# @arethetypeswrong/cli on the two runtime tarballs: every entry's types resolve, under node10,
# node16 (CommonJS and ESM) and bundler, with no ESM entry typed as CommonJS.
packed_attw() {
  local tgz
  for tgz in "$PACKED"/tarballs/login-claims-0*.tgz "$PACKED"/tarballs/login-claims-phone-message-*.tgz; do
    "$ROOT/node_modules/.bin/attw" --pack "$tgz" --format ascii || return 1
  done
}

# The typed consumer compiled against the installed tarball: proves the `types` condition of the
# exports map resolves for a real project, not only through the repository's path mapping.
# In the ESM project it reads the .d.mts declarations, in the CommonJS one the .d.ts.
packed_types() {
  local kind dir
  for kind in esm cjs; do
    dir="$PACKED/$kind"
    cp tests/types/consumer.ts "$dir/"
    printf '%s\n' '{"compilerOptions":{"strict":true,"noEmit":true,"target":"ES2022","module":"Node16","moduleResolution":"Node16","types":[],"lib":["ES2022","DOM"]},"files":["consumer.ts"]}' >"$dir/tsconfig.json"
    "$ROOT/node_modules/.bin/tsc" -p "$dir" || return 1
  done
}

packed_suite() { # packed_suite NODE_VERSION KIND
  local modules="$PACKED/$2/node_modules"
  [ -d "$modules/login-claims" ] && [ -d "$modules/login-claims-phone-message" ] && [ -d "$modules/login-claims-cli" ] || return 1
  local files=(tests/js/*.test.js)
  # The CLI is CommonJS whatever the consumer's module kind, so the cjs run covers its suites.
  [ "$2" = esm ] && mapfile -t files < <(printf '%s\n' tests/js/*.test.js | grep -v '^tests/js/cli')
  LOGIN_CLAIMS_PACKED="$modules" LOGIN_CLAIMS_MODULE_KIND="$2" node_on "$1" --test "${files[@]}"
}

cmd_test() {
  cmd_setup
  test_wasm_env
  step "pkg/ is fresh" check_fresh
  step "playground/bundle.js is fresh" bundle_fresh
  step "cargo fmt --check" cargo fmt --check
  step "cargo clippy --all-targets -D warnings" cargo clippy --quiet --all-targets -- -D warnings
  # login_claims_decide's features: the boundary without the lookup exports.
  step "cargo clippy --no-default-features -D warnings" cargo clippy --quiet --no-default-features -- -D warnings
  step "cargo test (native core)" cargo test --quiet
  step "cargo fuzz (brief)" cmd_fuzz 10
  step "wasm-pack test --node" wasm-pack test --mode no-install --node . "${WASM_CARGO_ARGS[@]}" --test node
  step "wasm-pack test --headless --chrome" env CHROMEDRIVER=/usr/bin/chromedriver \
    wasm-pack test --mode no-install --headless --chrome --chromedriver /usr/bin/chromedriver . \
    "${WASM_CARGO_ARGS[@]}" --test browser
  step "JS tests, Node $(node --version)" js_suite ""
  for v in "${NODE_RUNTIMES[@]}"; do
    step "JS tests, Node $v" js_suite "$v"
  done
  step "playground in headless Chromium" node --test tests/browser/playground.test.js
  step "the fair plain-JS benchmark baseline sets exactly our claims" node --test bench/baselines/plain-fair.check.js
  step "TypeScript declarations (tsc --noEmit on tests/types/consumer.ts)" npx tsc -p tests/types
  step "npm pack into scratch CJS and ESM projects" pack_scratch
  step "TypeScript declarations of the packed tarball" packed_types
  step "attw on the packed runtime packages" packed_attw
  for v in "" "${NODE_RUNTIMES[@]}"; do
    for kind in cjs esm; do
      step "JS tests on the packed tarball ($kind), Node ${v:-$(node --version)}" packed_suite "$v" "$kind"
    done
  done
  [ -n "$PACKED" ] && rm -rf "$PACKED"
  echo
  echo "Summary"
  printf '  %s\n' "${RESULTS[@]}"
  local passed=$((${#RESULTS[@]} - FAILED))
  echo "build.sh: $passed passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

cmd_demo() {
  have node || { echo "Node.js is required for the demo" >&2; exit 1; }
  node js/tools/cli.js demo
}

cmd_playground() {
  have node || { echo "Node.js is required for the playground" >&2; exit 1; }
  node js/tools/cli.js playground "$@"
}

cmd_bench() { # cmd_bench [--quick]: measure everything again and rewrite BENCHMARKS.md (a few minutes)
  have node || { echo "Node.js is required for the benchmarks" >&2; exit 1; }
  # Dev-dependencies only: the baselines' axios and auth0 SDK, and tinybench.
  if [ ! -d node_modules/tinybench ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci (dev-dependencies: axios, auth0, tinybench)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
  [ -f pkg/login_claims_wasm.cjs ] || cmd_build
  check_fresh || say "warning: measuring pkg/ as it is, which does not match the sources"
  node bench/run.js "$@"
}

# --- fuzzing ------------------------------------------------------------------------------------
# Targets (fuzz/fuzz_targets/) and the largest input each is given.
FUZZ_TARGETS=(config:4096 login:16384 handler:16384 slots:16384 lookup:16384 verify:8192 phone:256)

fuzz_cargo() { # fuzz_cargo ARGS...: `cargo fuzz` on a toolchain that takes its nightly-only flags
  # The wasm setup may have exported Debian's rustc; libFuzzer builds need rustup's, with ASan.
  local clean=(env -u RUSTC -u RUSTC_BOOTSTRAP -u RUSTFLAGS)
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    "${clean[@]}" cargo +nightly fuzz "$@"
  else
    "${clean[@]}" RUSTC_BOOTSTRAP=1 cargo fuzz "$@"
  fi
}

cmd_fuzz() { # cmd_fuzz [SECONDS [TARGET...]]: each target for SECONDS (default 60), one at a time
  local seconds=${1:-60} failed=0 only=" ${*:2} "
  have cargo-fuzz || cargo install --quiet cargo-fuzz
  fuzz_cargo build -a --fuzz-dir fuzz >/dev/null 2>&1 || fuzz_cargo build -a --fuzz-dir fuzz || return 1
  for spec in "${FUZZ_TARGETS[@]}"; do
    local target=${spec%%:*} max_len=${spec#*:} dict=fuzz/dictionaries/json.dict
    [ "$only" = "  " ] || [[ "$only" == *" $target "* ]] || continue
    [ "$target" = phone ] && dict=fuzz/dictionaries/phone.dict
    # New inputs go to the first directory, kept between runs but not committed; the second is
    # the committed seed corpus, which cargo test replays.
    local work=fuzz/target/corpus/$target log=fuzz/target/$target.log rc=0
    mkdir -p "$work"
    fuzz_cargo run -a --fuzz-dir fuzz "$target" "$work" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=5 \
      -dict="$dict" -print_final_stats=1 >"$log" 2>&1 || rc=$?
    local runs corpus
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(find "$work" -type f | wc -l)
    printf '%s\t%s\t%s s\t%s executions\t%s corpus files\t%s\n' "$(date -u +%FT%TZ)" "$target" \
      "$seconds" "${runs:-?}" "$corpus" "$([ $rc = 0 ] && echo ok || echo FAILED)" | tee -a fuzz/target/history.tsv
    if [ $rc != 0 ]; then
      failed=1
      grep -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" | head -20 >&2
      echo "fuzz $target failed; full log in $log. Minimize with:" >&2
      echo "  cargo +nightly fuzz tmin --fuzz-dir fuzz $target fuzz/artifacts/$target/<crash file>" >&2
    fi
  done
  [ $failed = 0 ]
}

# Everything above only defines functions, and the last line exits with main's status: bash reads
# a script as it runs it, so without the exit it would read on after main returns, and an edit to
# build.sh made while it ran would be read then.
main() {
  case "${1:-}" in
    setup) cmd_setup ;;
    build) cmd_build ;;
    test) cmd_test ;;
    demo) cmd_demo ;;
    playground) cmd_playground "${@:2}" ;;
    bundle) cmd_bundle ;;
    bench) cmd_bench "${@:2}" ;;
    fuzz) cmd_fuzz "${2:-60}" "${@:3}" ;;
    *)
      sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
      exit 2
      ;;
  esac
}

main "$@"; exit
