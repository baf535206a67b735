#!/usr/bin/env bash
# C ABI checks, run by .ci/run after `cargo test --workspace` (which already compares the committed
# header and schemas with freshly generated ones and runs the C test program once without valgrind):
#   1. builds the shared library as a vendor would (cargo build -p lac-timescales-ffi),
#   2. compiles ffi/tests/c/test_lact.c against it with -Wall -Wextra -Werror and runs it,
#   3. runs it again under valgrind, failing on any memory error or definite/indirect leak,
#   4. compiles ffi/tests/c/stress_lact.c (threads, profile re-registration, calls while a thread
#      exits) and runs it under valgrind the same way ("possibly lost" not shown: the process-
#      lifetime intern registry),
#   5. runs the Python ctypes example against it.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if command -v apt-get >/dev/null 2>&1; then
    echo "installing $2"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") >/dev/null
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "ffi/ci.sh: $1 is required" >&2; exit 1; }
}
need cc gcc
need valgrind valgrind
need python3 python3

cargo build --quiet -p lac-timescales-ffi
target_dir="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
lib_dir="$target_dir/debug"
lib="$lib_dir/liblac_timescales_ffi.so"
test -f "$lib"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
cc -std=c11 -Wall -Wextra -Werror -pedantic -pthread -I ffi/include ffi/tests/c/test_lact.c \
  -o "$out/test_lact" "$lib" "-Wl,-rpath,$lib_dir"

echo "C test program:"
"$out/test_lact"

echo "C test program under valgrind:"
valgrind -q --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite,indirect "$out/test_lact"

echo "C stress program (threads, profile re-registration, calls while a thread exits) under valgrind:"
cc -std=c11 -Wall -Wextra -Werror -pedantic -pthread -I ffi/include ffi/tests/c/stress_lact.c \
  -o "$out/stress_lact" "$lib" "-Wl,-rpath,$lib_dir"
valgrind -q --leak-check=full --error-exitcode=1 --errors-for-leak-kinds=definite,indirect \
  --show-possibly-lost=no "$out/stress_lact"

echo "Python example:"
python3 examples/python/schedule.py "$lib"

echo "C benchmark (smoke run: builds and runs it briefly; figures are not checked):"
cc -O2 -std=c11 -pthread -I ffi/include ffi/bench/bench_lact.c -o "$out/bench_lact" "$lib" "-Wl,-rpath,$lib_dir"
"$out/bench_lact" 0.05 2
