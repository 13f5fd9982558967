"""Our redis-server for Celery jobs: an append-only file, synced every second, in the workspace.

``python -m tools.jobs.redis_server [ARGS…]`` runs it on 127.0.0.1:6379 with its data in
``$AUTEUR_WORKSPACE/.auteur/redis`` (further ARGS go to redis-server, e.g. ``--port 6380``). A
Redis killed or restarted then loses at most the last second of writes, and the jobs' journal on
disk (tools.jobs.journal) sends again whatever it lost. docker-compose.yml starts its redis with
the same settings.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

AOF = ["--appendonly", "yes", "--appendfsync", "everysec"]


def command(data: Path, *extra: str) -> list[str]:
    """The redis-server command line that keeps its data in ``data``."""
    return ["redis-server", *AOF, "--dir", str(data), "--bind", "127.0.0.1", *extra]


def main(argv: list[str]) -> None:
    from config.settings import Settings

    data = Settings.from_env().workspace / ".auteur" / "redis"
    data.mkdir(parents=True, exist_ok=True)
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed: `apt install redis-server` (or use AUTEUR_JOBS=local)")
    line = command(data, *argv)
    os.execvp(line[0], line)


if __name__ == "__main__":
    main(sys.argv[1:])
