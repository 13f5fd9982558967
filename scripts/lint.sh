#!/usr/bin/env bash
# The linters and the layer contracts (configured in pyproject.toml), with the tools of .venv
# (`bash scripts/setup.sh test` installs them): ruff, mypy (strict on studio/), import-linter's
# contracts, and scripts/check_cycles.py (no import cycle in our code, late imports included).
# Every check runs; the exit status is non-zero when any failed, and the last line says which.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
failed=()

check() {
  local name="$1"
  shift
  echo "== $name"
  if ! "$@"; then
    failed+=("$name")
  fi
}

check ruff "$bin/ruff" check --quiet --output-format concise .
check mypy "$bin/mypy"
check import-linter "$bin/lint-imports" --no-logo
check cycles "$bin/python" scripts/check_cycles.py

if [ "${#failed[@]}" -gt 0 ]; then
  echo "lint: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint: ruff, mypy, import-linter and the cycle check passed"
