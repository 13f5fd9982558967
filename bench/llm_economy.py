"""LLM economy: calls, tokens and seconds per stage for a one-minute short, idea to prompts.

Runs `auteur run` with the embedded model (or AUTEUR_MODEL) in a temporary
workspace and prints a table. Not a test. Run: .venv/bin/python bench/llm_economy.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AUTEUR = Path(sys.executable).parent / "auteur"
IDEA = "A night-shift waitress recognises the stranger at the counter"


def main() -> None:
    env = {**os.environ, "AUTEUR_WORKSPACE": tempfile.mkdtemp(prefix="auteur-llm-bench-")}
    started = time.perf_counter()
    proc = subprocess.run([str(AUTEUR), "run", "--idea", IDEA, "--minutes", "1", "--until", "prompts", "--yes",
                           "--json"], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    out = json.loads(proc.stdout)
    model = os.environ.get("AUTEUR_MODEL", "llamacpp/smollm2-135m")
    print(f"model: {model}; one-minute short from an idea to prompts; wall {wall:.1f} s")
    print(f"{'stage':<12}{'calls':>7}{'tokens':>9}{'seconds':>10}")
    for stage, usage in out["llm_by_stage"].items():
        print(f"{stage:<12}{usage['calls']:>7}{usage['tokens']:>9}{usage['seconds']:>10.1f}")
    total = out["llm"]
    print(f"{'total':<12}{total['calls']:>7}{total['tokens']:>9}{total['seconds']:>10.1f}")


if __name__ == "__main__":
    main()
