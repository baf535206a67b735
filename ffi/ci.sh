#!/usr/bin/env bash
# FFI checks run by .ci/run (header, C test program under valgrind, Python example).
set -euo pipefail
echo "ffi checks: none yet"
