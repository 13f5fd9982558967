"""How long the Fountain parser takes on hostile lines near the 1 MB upload limit: unclosed emphasis, notes and
boneyard marks repeated along one line (each once made the parser rescan the rest of the line from every mark).

Not a test. Run: .venv/bin/python bench/fountain_hostile.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.screenplay import read_fountain  # noqa: E402
from studio.uploads import MAX_FOUNTAIN  # noqa: E402

HEAD = b"INT. A - DAY\n\n"
LINES = {"unclosed *": b"*a ", "unclosed **": b"**a ", "unclosed _": b"_a ", "unclosed [[": b"[[a ",
         "unclosed /*": b"/*a ", "[[ on many lines": b"[[a\n"}


def main() -> None:
    print(f"{'hostile text':<20} {'bytes':>9} {'seconds':>8}")
    for label, unit in LINES.items():
        body = unit * ((MAX_FOUNTAIN - len(HEAD) - 1) // len(unit))
        started = time.perf_counter()
        try:
            read_fountain("hostile.fountain", HEAD + body + b"\n")
        except Exception as exc:  # a refusal is an answer too
            label += f" ({type(exc).__name__})"
        print(f"{label:<20} {len(body):>9} {time.perf_counter() - started:>8.2f}")


if __name__ == "__main__":
    main()
