#!/usr/bin/env bash
# The Python package's checks, run by .ci/run (after the Rust steps, which build the examples the
# tests compare against). Installs what it needs itself, in a throwaway virtual environment:
#   1. rustfmt and clippy on the extension crate (its own workspace, see python/Cargo.toml),
#   2. builds the wheel as a user would (release) and checks it is one abi3 wheel for CPython 3.9+,
#   3. installs it with numpy, pandas, polars, pytest and mypy,
#   4. type checks: mypy --strict on the package, stubtest of the stub against the built module,
#   5. the pytest suite and the doctests of the installed package (pytest's "no tests ran",
#      exit status 5, is a failure).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command -v python3 >/dev/null || { echo "python/ci.sh: python3 is required" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --upgrade pip
"$py" -m pip install --quiet numpy pandas polars maturin pytest mypy

echo "extension crate: fmt and clippy"
(cd python && cargo fmt --all --check && cargo clippy --all-targets --quiet -- -D warnings)

echo "building the wheel (release)"
start=$(date +%s)
"$py" -m pip wheel --quiet --no-deps ./python -w "$work/dist"
echo "wheel built in $(( $(date +%s) - start )) s: $(cd "$work/dist" && ls)"
ls "$work/dist"/lac_timescales-*-cp39-abi3-*.whl >/dev/null || { echo "python/ci.sh: expected one cp39-abi3 wheel" >&2; exit 1; }
"$py" -m pip install --quiet "$work/dist"/lac_timescales-*.whl

echo "type checks"
"$py" -m mypy --strict python/lac_timescales python/tests/typing_usage.py
(cd "$work" && "$py" -m mypy.stubtest lac_timescales)

echo "pytest (from outside the source tree, so the installed package is tested)"
status=0
(cd "$work" && "$work/venv/bin/pytest" -q -p no:cacheprovider "$root/python/tests" --doctest-modules --pyargs lac_timescales) || status=$?
if [ "$status" -eq 5 ]; then
  echo "python/ci.sh: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
