"""A novel brought in as a story, end to end as the studio does it: read, skeleton found, kept in Git, every
passage embedded for /recall. Prints the seconds of each phase (from the engine's own progress events), the
pieces embedded, and the process's peak memory.

    .venv/bin/python bench/story_import.py            # Moby-Dick from the local mirror (see bench/skeleton.py)
    .venv/bin/python bench/story_import.py FILE.txt   # any story file (.txt, .md, .docx, .epub, .pdf)

Nothing is downloaded: the embedding model is the packaged MiniLM; the workspace is a temporary folder.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def story_file() -> tuple[str, bytes]:
    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
        return path.name, path.read_bytes()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from skeleton import novel  # bench/skeleton.py: Moby-Dick from the mirror, else a repeated corpus story

    text, _ = novel(None, repeat=False)
    return "moby_dick.txt", text.encode("utf-8")


def main() -> None:
    name, data = story_file()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(AUTEUR_WORKSPACE=tmp, AUTEUR_MEMORY="on")
        from config.container import Container
        from studio.engine.events import Turn

        session = Container().session()
        phases: dict[str, float] = {}
        start = last = time.perf_counter()
        phase = "read and check"
        embedded = 0
        for event in session.handle(Turn(upload=(name, data))):
            now = time.perf_counter()
            what = event.text.split(":")[0] if event.kind == "progress" else event.kind
            if event.kind == "progress" and what != phase:
                phases[phase] = phases.get(phase, 0.0) + now - last
                phase, last = what, now
            if event.kind == "progress" and what.startswith("Indexing"):
                embedded = max(embedded, int(event.data.get("total", 0)))
            if event.kind == "error":
                raise SystemExit(event.text)
        end = time.perf_counter()
        phases[phase] = phases.get(phase, 0.0) + end - last
        source = session.require_project().read_source()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'story':36} {name} ({len(data) / 1e6:.1f} MB)")
    if source is not None:
        print(f"{'words / passages / chapters':36} {source.skeleton.words:,} / {len(source.passages):,} / "
              f"{source.skeleton.chapters}")
    for what, seconds in phases.items():
        print(f"{what:36} {seconds:.1f} s")
    print(f"{'pieces embedded for /recall':36} {embedded:,}")
    print(f"{'total':36} {end - start:.1f} s")
    print(f"{'peak resident memory':36} {peak:.0f} MiB")


if __name__ == "__main__":
    main()
