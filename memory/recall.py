"""A project's memory: its chunks indexed on its branch, recall with sources, and agent context.

The index follows the repository: before a search, whatever changed since the
last sync is embedded again (only the chunks whose text changed), so the
index never drifts from the project, and `auteur memory reindex` rebuilds it
from nothing.
"""

from __future__ import annotations

import json
import logging
from typing import Callable

from config.settings import Settings, secret
from memory import layout
from memory.project_store import ProjectStore
from memory.semantic import Hit, MemoryUnavailable, SemanticMemory, embedder, library_errors, qdrant_client
from studio.chunks import (
    Chunk, beat_chunks, brief_chunks, decision_chunk, look_chunks, prompt_chunks, script_chunks, shot_chunks,
    source_chunks, take_chunk, treatment_chunks,
)
from studio.errors import AuteurError
from studio.stages import Stage

log = logging.getLogger("auteur.memory")
DECISIONS = layout.DECISIONS
CHARS_PER_TOKEN = 4


def open_memory(settings: Settings) -> SemanticMemory:
    with library_errors("opening the project's memory"):
        client = qdrant_client(url=settings.qdrant_url, api_key=secret(settings.qdrant_api_key),
                               path=settings.workspace / ".auteur" / "qdrant")
        return SemanticMemory(client, embedder(settings.embedding_model), server=bool(settings.qdrant_url))


def read_decisions(store: ProjectStore) -> list[dict]:
    path = store.path / DECISIONS
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def project_chunks(store: ProjectStore) -> list[Chunk]:
    """Every chunk of the project as it stands on the current branch."""
    chunks: list[Chunk] = []
    files = layout.STAGE_FILES
    readers = [
        (Stage.BRIEF, brief_chunks), (Stage.TREATMENT, treatment_chunks), (Stage.BEATS, beat_chunks),
        (Stage.LOOK, look_chunks), (Stage.SHOTS, shot_chunks), (Stage.PROMPTS, prompt_chunks),
    ]
    for stage, make in readers:
        art = store.read(stage)
        if art is not None:
            chunks += make(art, files[stage])
    source = store.read_source()
    if source is not None:
        chunks += source_chunks(source, layout.SOURCE_TEXT)
    script = store.read_script()
    if script is not None:
        chunks += script_chunks(script.fountain, files[Stage.SCRIPT])
    from memory.takes import Takes

    takes = Takes(store)
    renders = store.path / layout.RENDERS
    if renders.is_dir():
        for folder in sorted(renders.glob("Scene_*/Shot_*")):
            try:
                scene, shot = int(folder.parent.name.split("_")[1]), int(folder.name.split("_")[1])
            except (IndexError, ValueError):
                continue
            chunks += [take_chunk(t) for t in takes.list(scene, shot)]
    for k, d in enumerate(read_decisions(store), start=1):
        chunks.append(decision_chunk(k, d.get("text", ""), d.get("stage", ""), d.get("who", ""), DECISIONS))
    return chunks


class NothingYet(AuteurError):
    """The project has no chunks indexed yet: nothing to recall, and nothing wrong."""


class ProjectMemory:
    """The studio's MemoryPort: what it raises is ours (MemoryUnavailable for any failure of Qdrant or the
    embedding model), never a library's error."""

    def __init__(self, store: ProjectStore, memory: SemanticMemory) -> None:
        self.store = store
        self.memory = memory

    @property
    def key(self) -> tuple[str, str]:
        return self.store.manifest().id, self.store.git.branch

    def sync(self, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        project, branch = self.key
        commit = self.store.git.repo.head.commit.hexsha if self.store.git.has_commits() else ""
        chunks = project_chunks(self.store)
        with library_errors("indexing the project"):
            return self.memory.sync(project, branch, chunks, commit, progress)

    def reindex(self) -> dict[str, int]:
        project, branch = self.key
        with library_errors("dropping the old index"):
            self.memory.drop(project, branch)
        return self.sync()

    def recall(self, question: str, *, limit: int = 5, kinds: list[str] | None = None) -> list[Hit]:
        if not question.strip():
            raise AuteurError("the question is empty", 'ask in words, e.g. auteur recall "who is in the photograph?"')
        self.sync()
        return self._search(question, limit=limit, kinds=kinds)

    def _search(self, question: str, *, limit: int, kinds: list[str] | None) -> list[Hit]:
        """Search an index already in step with the repository."""
        project, branch = self.key
        with library_errors("searching"):
            empty = not self.memory.count(project, branch)
        if empty:
            raise NothingYet(f"{self.store.slug} has nothing to remember yet",
                             "import a screenplay or draft a stage first; memory fills as the project grows")
        with library_errors("searching"):
            return self.memory.search(question, project, branch, limit=limit, kinds=kinds)

    def context(self, stage: Stage, *, query: str = "", scene: int | None = None, budget_tokens: int = 600) -> str:
        """What an agent should know for a task, within a token budget.

        Global first (the logline, the beats, the character bible, the style), then
        local (the scene and the end of the one before), then the person's decisions
        and other chunks most related to the task.
        """
        budget = budget_tokens * CHARS_PER_TOKEN
        parts: list[str] = []

        def add(text: str) -> bool:
            nonlocal budget
            text = " ".join(text.split())
            if not text or budget <= 0:
                return False
            piece = text[: max(0, budget)]
            parts.append(piece)
            budget -= len(piece) + 1
            return True

        brief = self.store.read(Stage.BRIEF)
        if brief is not None and brief.logline:
            add(f"Logline: {brief.logline}")
        look = self.store.read(Stage.LOOK)
        if look is not None and stage.index > Stage.LOOK.index - 1:
            add("Characters: " + "; ".join(f"{c.name}: {c.visual or c.description}"[:120] for c in look.characters))
            add(f"Style: {look.style.medium}, {look.style.palette}, {look.style.lighting}")
        if scene is not None:
            script = self.store.read_script()
            if script is not None:
                from studio.chunks import scene_texts

                texts = scene_texts(script.fountain)
                if 1 < scene <= len(texts):
                    add(f"End of the scene before: {texts[scene - 2][1][-300:]}")
                if 1 <= scene <= len(texts):
                    add(f"This scene: {texts[scene - 1][1]}")
        try:
            self.sync()  # once, for both searches
            question = f"{stage.value}: {query}".strip()
            hits = self._search(question, limit=4, kinds=["decision"])
            hits += self._search(question, limit=3,
                                 kinds=["brief", "beat", "character", "scene", "treatment", "style", "state"])
        except NothingYet:  # a failing memory (MemoryUnavailable) is the engine's to report: recall goes off
            hits = []
        seen = set(parts)
        for hit in hits:
            label = "Decided before" if hit.kind == "decision" else f"From the {hit.kind}"
            line = f"{label}: {hit.text}"
            if line not in seen:
                seen.add(line)
                add(line)
        return "\n".join(parts)


def memory_for(store: ProjectStore, settings: Settings) -> ProjectMemory:
    return ProjectMemory(store, open_memory(settings))


__all__ = ["MemoryUnavailable", "ProjectMemory", "memory_for", "project_chunks", "read_decisions"]
