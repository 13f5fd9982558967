#!/usr/bin/env bash
# Set up and run the Auteur studio on the embedded defaults (no keys, no server):
# the crew in this terminal; with no terminal to talk in, the demo project.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AUTEUR_WORKSPACE="${AUTEUR_WORKSPACE:-$PWD/workspace}"
if [ -t 0 ] && [ -t 1 ]; then
  exec .venv/bin/auteur chat "$@"
fi
exec .venv/bin/auteur demo "$@"
