"""One change of a project: the files it wrote (and what they held before), and what it did to the stages.

``ProjectStore.change`` makes one under the project's lock and commits it; the takes write through it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ContextManager, Protocol

from pydantic import BaseModel

from memory import atomic
from studio.names import inside
from studio.project import Author, Project
from studio.stages import Stage, Transition


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def to_json(model: BaseModel) -> str:
    return model.model_dump_json(indent=2) + "\n"


@dataclass
class Change:
    """What one change of the project wrote, and what it did to the stages.

    The bytes each file had before are kept, so a change that fails before its
    commit puts every file back without needing Git (whose index may be the very
    thing that failed).
    """

    project: Project
    root: Path  # the project's folder
    originals: dict[str, bytes | None] = field(default_factory=dict)
    transitions: list[Transition] = field(default_factory=list)
    commit: str | None = None
    trailers: dict[str, str] = field(default_factory=dict)  # more trailers for the commit's message

    @property
    def written(self) -> list[str]:
        return list(self.originals)

    def write_bytes(self, rel: str, data: bytes) -> bool:
        """Write ``rel`` atomically; return False (and write nothing) if it already holds ``data``.
        A path that leaves the project, or goes through a symbolic link, is refused (memory.atomic.contained)."""
        rel = inside(rel)
        path = atomic.contained(self.root, rel)
        current = path.read_bytes() if path.is_file() else None
        if current == data:
            return False
        self.originals.setdefault(rel, current)
        atomic.write_bytes(path, data)
        return True

    def write_text(self, rel: str, text: str) -> bool:
        return self.write_bytes(rel, text.encode("utf-8"))

    def write_model(self, rel: str, model: BaseModel) -> bool:
        return self.write_text(rel, to_json(model))

    def remove(self, rel: str) -> bool:
        """Remove ``rel`` (kept for a rollback); False when it is not there."""
        rel = inside(rel)
        path = atomic.contained(self.root, rel)
        if not path.is_file():
            return False
        self.originals.setdefault(rel, path.read_bytes())
        path.unlink()
        return True

    def write_new(self, rel: str, data: bytes) -> None:
        """A file that must not exist yet (a take): never overwrites."""
        rel = inside(rel)
        atomic.create_exclusive(atomic.contained(self.root, rel), data)
        self.originals.setdefault(rel, None)

    def rollback(self) -> None:
        for rel, data in reversed(list(self.originals.items())):
            path = self.root / rel
            if data is None:
                path.unlink(missing_ok=True)
            else:
                atomic.write_bytes(path, data)

    @property
    def made_stale(self) -> list[Stage]:
        out: list[Stage] = []
        for t in self.transitions:
            out.extend(s for s in t.made_stale if s not in out)
        return out


class ChangingStore(Protocol):
    """What the takes and the references need of a project store (memory.project_store.ProjectStore)."""

    path: Path

    def read(self, stage: Stage, model: Any = None) -> Any: ...

    def change(self, *, stage: Stage, action: str, summary: str, author: Author,
               stages: list[Stage] | None = None) -> ContextManager[Change]: ...

    def write_stage(self, change: Change, stage: Stage, model: BaseModel) -> bool: ...

    def user(self) -> Author: ...
