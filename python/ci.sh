#!/usr/bin/env bash
# The Python package's checks, run by .ci/run (after the Rust steps, which build the examples the
# tests compare against). Installs what it needs itself, in a throwaway virtual environment:
#   1. rustfmt and clippy on the extension crate (its own workspace, see python/Cargo.toml),
#   2. builds the wheel as a user would (release) and checks it is one abi3 wheel for CPython 3.9+,
#   3. installs it with numpy, pandas, polars, pytest and mypy,
#   4. type checks: mypy --strict on the package, stubtest of the stub against the built module,
#   5. the pytest suite and the doctests of the installed package (pytest's "no tests ran",
#      exit status 5, is a failure),
#   6. the same wheel and suite on CPython 3.9, the oldest the abi3 wheel claims, when a python3.9
#      is found (pyenv's or on PATH; with the newest numpy, pandas and polars that support it);
#      otherwise it says plainly that 3.9 was skipped.
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

# pytest from outside the source tree, so the installed package is tested; "no tests ran" (exit
# status 5) is a failure.
run_pytest() {
  local status=0
  (cd "$work" && "$1" -q -p no:cacheprovider "$root/python/tests" --doctest-modules --pyargs lac_timescales) || status=$?
  if [ "$status" -eq 5 ]; then
    echo "python/ci.sh: pytest collected no tests" >&2
    return 1
  fi
  return "$status"
}

echo "pytest ($("$py" -c 'import platform; print("CPython", platform.python_version())'))"
run_pytest "$work/venv/bin/pytest"

# CPython 3.9: the abi3 wheel says it serves 3.9 and later, so the suite runs there too.
py39=""
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.9.*/bin/python3.9 "$(command -v python3.9 || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ] \
    && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 9))' >/dev/null 2>&1; then
    py39=$candidate
    break
  fi
done
if [ -z "$py39" ]; then
  echo "CPython 3.9: skipped: no CPython 3.9 on this machine"
  exit 0
fi
echo "pytest on CPython $("$py39" -c 'import platform; print(platform.python_version())') ($py39), the same wheel"
"$py39" -m venv "$work/venv39"
"$work/venv39/bin/python" -m pip install --quiet --upgrade pip
"$work/venv39/bin/python" -m pip install --quiet numpy pandas polars pytest "$work/dist"/lac_timescales-*.whl
"$work/venv39/bin/python" -m pip list 2>/dev/null | grep -iE '^(numpy|pandas|polars|pytest) ' | tr -s ' ' | paste -sd ',' - || true
run_pytest "$work/venv39/bin/pytest"
