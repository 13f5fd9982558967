#!/usr/bin/env bash
# Set up and run the Auteur studio on the embedded defaults (no keys, no servers to install):
# the Chainlit studio at http://127.0.0.1:${AUTEUR_PORT:-8000}, the Producer greeting you.
# Arguments go to `auteur ui` (e.g. --port 8080, --host 0.0.0.0). In a terminal only: `.venv/bin/auteur chat`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export AUTEUR_WORKSPACE="${AUTEUR_WORKSPACE:-$PWD/workspace}"
port="${AUTEUR_PORT:-8000}"
previous=""
for arg in "$@"; do  # the port said on the command line wins, as it does for `auteur ui`
  case "$arg" in --port=*) port="${arg#--port=}" ;; esac
  [ "$previous" = "--port" ] && port="$arg"
  previous="$arg"
done
echo "Auteur: open http://127.0.0.1:${port} in your browser (Ctrl-C stops the studio)."
exec .venv/bin/auteur ui --port "${AUTEUR_PORT:-8000}" "$@"
