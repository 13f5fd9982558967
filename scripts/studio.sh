#!/usr/bin/env bash
# Set up and run the Auteur studio on the embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AUTEUR_WORKSPACE="${AUTEUR_WORKSPACE:-$PWD/workspace}"
exec .venv/bin/auteur demo "$@"
