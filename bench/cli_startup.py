"""How fast the `auteur` command answers, and how long the core operations take.

Prints a table of figures; not a test. Run: .venv/bin/python bench/cli_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AUTEUR = Path(sys.executable).parent / "auteur"
SAMPLE = REPO / "studio/samples/night_shift.fountain"


def timed(cmd: list[str], env: dict, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ws = tempfile.mkdtemp(prefix="auteur-bench-")
    env = {**os.environ, "AUTEUR_WORKSPACE": ws}
    subprocess.run([str(AUTEUR), "new", "Bench", "--json"], env=env, check=True, capture_output=True)
    subprocess.run([str(AUTEUR), "import", str(SAMPLE)], env=env, check=True, capture_output=True)
    rows = [
        ("auteur --help", timed([str(AUTEUR), "--help"], env, 10)),
        ("auteur status --json", timed([str(AUTEUR), "status", "--json"], env, 10)),
        ("auteur scenes --json", timed([str(AUTEUR), "scenes", "--json"], env, 10)),
        ("auteur history --json", timed([str(AUTEUR), "history", "--json"], env, 10)),
    ]
    sys.path.insert(0, str(REPO))
    from studio.breakdown import break_down
    from studio.fountain import parse

    text = SAMPLE.read_text() * 20  # a feature-length script: ~125 pages
    parse_times = []
    for _ in range(5):
        t = time.perf_counter()
        bd = break_down(parse(text))
        parse_times.append(time.perf_counter() - t)
    print(f"{'operation':<42}{'p50 ms':>10}{'max ms':>10}")
    for name, times in rows + [(f"parse + breakdown, {len(bd.scenes)} scenes", parse_times)]:
        print(f"{name:<42}{statistics.median(times) * 1000:>10.1f}{max(times) * 1000:>10.1f}")


if __name__ == "__main__":
    main()
