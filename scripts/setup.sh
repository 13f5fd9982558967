#!/usr/bin/env bash
# Set up Auteur on a fresh machine: system packages (when we may install them),
# a virtual environment in .venv, and the project with the extras asked for.
#   scripts/setup.sh            the studio
#   scripts/setup.sh test       the studio and everything the tests need
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

# git-lfs keeps renders out of the Git object store; cmake and a C++ compiler build
# llama-cpp-python (the embedded model) when pip has no wheel for it yet; espeak-ng
# speaks the characters' lines on the embedded defaults.
system_packages=(git git-lfs cmake g++ espeak-ng)
# The tests render exported PDFs to PNG with pdftoppm, start a real redis-server for
# the Celery jobs, and drive the Chainlit studio in a headless chromium.
[ "$extras" = "test" ] && system_packages+=(pdftoppm redis-server chromium)

missing=()
for pkg in "${system_packages[@]}"; do
  deb="$pkg"
  [ "$pkg" = "pdftoppm" ] && deb=poppler-utils
  [ "$pkg" = "chromium" ] && [ -x /usr/bin/chromium ] && continue
  command -v "$pkg" >/dev/null 2>&1 || dpkg -s "$deb" >/dev/null 2>&1 || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install ${missing[*]} with your package manager" >&2
  fi
fi

PY="${PYTHON:-python3}"
"$PY" - <<'PYCHECK'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"Auteur needs Python 3.11 or newer; this is {sys.version.split()[0]}")
PYCHECK
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# torch, when a later extra needs it, is pinned to the CPU build: see constraints.txt.
spec="."
[ -n "$extras" ] && spec=".[$extras]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e "$spec"
