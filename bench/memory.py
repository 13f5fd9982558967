"""Semantic memory: indexing throughput and query latency at 1k, 10k and 50k chunks.

Local-mode Qdrant in a temporary folder (and a Qdrant server too when QDRANT_URL
is set), the packaged MiniLM embeddings on CPU. Chunks are sentences of the
bundled screenplays, recombined. Prints a table; not a test.
Run: .venv/bin/python bench/memory.py [--sizes 1000,10000,50000] [--queries 50]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from memory.semantic import SemanticMemory, embedder, qdrant_client  # noqa: E402
from studio.chunks import Chunk, scene_texts  # noqa: E402

QUESTIONS = ["who is in the photograph?", "where does the sheriff wait?", "what does she pour him?",
             "why did he leave?", "what is hidden under the counter?", "who drives away at dawn?"]


def corpus(n: int) -> list[Chunk]:
    sentences: list[str] = []
    for path in [REPO / "studio/samples/night_shift.fountain", *sorted((REPO / "tests/golden/fountain").glob("*.fountain"))]:
        for _, text in scene_texts(path.read_text()):
            sentences += [s.strip() for s in text.replace("\n", " ").split(".") if len(s.strip()) > 20]
    rng = random.Random(7)
    return [Chunk("scene", str(i), ". ".join(rng.sample(sentences, 4)) + ".", "script", "bench") for i in range(n)]


def run(label: str, client, sizes: list[int], queries: int) -> None:
    emb = embedder()
    for size in sizes:
        mem = SemanticMemory(client, emb, server=label != "local")
        project = f"bench-{size}-{time.time_ns()}"
        chunks = corpus(size)
        started = time.perf_counter()
        mem.sync(project, "main", chunks, "bench")
        seconds = time.perf_counter() - started
        latencies = []
        for i in range(queries):
            t = time.perf_counter()
            mem.search(QUESTIONS[i % len(QUESTIONS)], project, "main", limit=5)
            latencies.append((time.perf_counter() - t) * 1000)
        latencies.sort()
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"{label:<8}{size:>8}{size / seconds:>14.0f}{statistics.median(latencies):>14.1f}{p95:>14.1f}",
              flush=True)
        mem.drop(project, "main")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'mode':<8}{'chunks':>8}{'index chunk/s':>14}{'query p50 ms':>14}{'query p95 ms':>14}")
    run("local", qdrant_client(url=None, api_key=None, path=Path(tempfile.mkdtemp(prefix="auteur-mem-"))), sizes,
        args.queries)
    if os.environ.get("QDRANT_URL"):
        run("server", qdrant_client(url=os.environ["QDRANT_URL"], api_key=os.environ.get("QDRANT_API_KEY"),
                                    path=Path(".")), sizes, args.queries)


if __name__ == "__main__":
    main()
