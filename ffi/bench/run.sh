#!/usr/bin/env bash
# Builds the release library and runs the C benchmark (ffi/bench/bench_lact.c) beside the native
# Rust schedule (example bench_native); with --callgrind, also counts instructions per call
# (valgrind's callgrind: N=21 calls minus N=1, divided by 20), which the machine's load does not
# change. Not run by CI (ffi/ci.sh runs a smoke pass). Usage: bash ffi/bench/run.sh [--callgrind]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --quiet --release -p lac-timescales-ffi
cargo build --quiet --release -p lac-timescales-ffi --example bench_native
lib="$PWD/target/release/liblac_timescales_ffi.so"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cc -O2 -std=c11 -pthread -I ffi/include ffi/bench/bench_lact.c -o "$out/bench_lact" "$lib" "-Wl,-rpath,$PWD/target/release"
echo "load: $(uptime)"
echo "C ABI (lact_schedule_json, the README's Dudley sample request):"
"$out/bench_lact" 3 2
echo "native Rust (schedule::schedule on the same request, parsed once):"
target/release/examples/bench_native 3 2
if [ "${1:-}" = "--callgrind" ]; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 | sed -n 's/.*Collected : //p'; }
  c1=$(count "$out/bench_lact" calls 1); c21=$(count "$out/bench_lact" calls 21)
  n1=$(count target/release/examples/bench_native calls 1); n21=$(count target/release/examples/bench_native calls 21)
  echo "instructions per lact_schedule_json call: $(( (c21 - c1) / 20 ))"
  echo "instructions per native schedule:         $(( (n21 - n1) / 20 ))"
fi
