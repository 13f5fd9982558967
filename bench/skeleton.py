"""How long finding a story's skeleton takes on a novel, and how much memory it holds.

Prints a table of figures; not a test. Run: .venv/bin/python bench/skeleton.py [--novel PATH]

The novel is Moby-Dick (Project Gutenberg #2701, about 212,000 words) read from the mirror of a public repository
under /work/.mirror when that mirror is on this machine (`git show`, nothing is downloaded); otherwise, or with
--repeat, it is built by repeating a corpus story (tests/corpus/stories) as chapters up to about 200,000 words.
The table says which it used.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from studio.skeleton import find_skeleton, passages_of  # noqa: E402

MIRROR = Path("/work/.mirror/clocasto+HaikuGenerator/repo")
MIRROR_PATH = "pg2701.txt"
CORPUS_STORY = REPO / "tests/corpus/stories/scandal_in_bohemia/story.txt"
TARGET_WORDS = 200_000


def novel(path: str | None, repeat: bool) -> tuple[str, str]:
    """The text, and where it came from in words."""
    if path:
        return Path(path).read_text(encoding="utf-8", errors="replace"), path
    if not repeat and MIRROR.is_dir():
        shown = subprocess.run(["git", f"--git-dir={MIRROR}", "show", f"HEAD:{MIRROR_PATH}"], capture_output=True,
                               check=False)
        if shown.returncode == 0:
            text = shown.stdout.decode("utf-8", errors="replace").replace("\r\n", "\n")
            return text, f"Moby-Dick, {MIRROR.parent.name}:{MIRROR_PATH} (mirror)"
    story = CORPUS_STORY.read_text(encoding="utf-8")
    copies = max(1, TARGET_WORDS // len(story.split()) + 1)
    text = "\n\n".join(f"CHAPTER {k}. A Scandal\n\n{story}" for k in range(1, copies + 1))
    return text, f"{CORPUS_STORY.parent.name} repeated {copies} times as chapters"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--novel", help="a .txt file to read instead")
    parser.add_argument("--repeat", action="store_true", help="build the novel from a corpus story")
    args = parser.parse_args()
    text, origin = novel(args.novel, args.repeat)
    chunks: list[tuple[int, int]] = []

    start = time.perf_counter()
    passages = passages_of(text)
    cut = time.perf_counter() - start
    skeleton = find_skeleton(text, passages, minutes=5.0, progress=lambda d, t: chunks.append((d, t)))
    total = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    tracemalloc.start()
    find_skeleton(text, passages, minutes=5.0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rows = [
        ("text", origin),
        ("words", f"{skeleton.words:,}"),
        ("passages / chapters", f"{len(passages):,} / {skeleton.chapters}"),
        ("progress calls", f"{len(chunks)} (every 200 passages)"),
        ("passages_of", f"{cut:.2f} s"),
        ("passages_of + find_skeleton", f"{total:.2f} s"),
        ("peak Python memory of find_skeleton", f"{peak / 2**20:.0f} MiB (tracemalloc)"),
        ("max resident set of the process", f"{rss_mb:.0f} MiB"),
        ("characters (top 8)", ", ".join(c.name for c in skeleton.characters[:8])),
        ("places (top 6)", ", ".join(p.name for p in skeleton.places[:6])),
        ("quotes / with a speaker", f"{len(skeleton.quotes):,} / {sum(1 for q in skeleton.quotes if q.speaker):,}"),
        ("events", f"{len(skeleton.events):,}"),
        ("span note (5 min)", skeleton.span.note),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
