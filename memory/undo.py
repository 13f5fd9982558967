"""Undo: the newest change of a project put back as it was before it, as a new commit.

Undo is a stack: an undo undoes the newest change that is not itself undone, so saying it twice takes back the
last two changes. Its commit names the change it undid (the ``Auteur-Undoes`` trailer). Decisions a person stated
stay (they are what was said, not what was made), and a render's takes are never removed: another take is chosen.
"""

from __future__ import annotations

from typing import Any, ContextManager, Protocol

from memory import layout
from memory.change import Change
from memory.git_repo import Author, CommitInfo, GitRepo
from studio.errors import StageError
from studio.stages import Stage


class ProjectStore(Protocol):
    """What undo needs of memory.project_store.ProjectStore."""

    git: GitRepo

    def history(self) -> list[CommitInfo]: ...

    def _lock(self) -> Any: ...

    def change(self, *, stage: Stage, action: str, summary: str, author: Author,
               stages: list[Stage] | None = None) -> ContextManager[Change]: ...

KEPT_ACTIONS = {"decision", "export"}  # not a change of content: passed over
RENDERS = layout.RENDERS + "/"


def undoable(store: ProjectStore) -> CommitInfo:
    """The change an undo would take back: the newest that no later undo took back already."""
    undone = {e.trailers.get("Auteur-Undoes", "") for e in store.history() if e.trailers.get("Auteur-Undoes")}
    entries = store.history()
    for k, entry in enumerate(entries):
        action = entry.trailers.get("Auteur-Action", "")
        if action in KEPT_ACTIONS or action == "undo" or entry.commit in undone:
            continue
        if k + 1 >= len(entries) or action in ("create", "init"):
            break  # the project's first commit: there is nothing before it
        return entry
    raise StageError("there is nothing to undo", "the project is as it was made; /history shows its changes")


def undo(store: ProjectStore, *, author: Author) -> tuple[Change, CommitInfo]:
    """Put back every file the newest change wrote, as it was before it; one new commit."""
    with store._lock():
        target = undoable(store)
        parent = f"{target.commit}~1"
        paths = store.git.changed_paths(parent, target.commit)
        made = [p for p in paths if p.startswith(RENDERS) and not p.endswith(".json")
                and store.git.read_at(parent, p) is None]
        if made:
            raise StageError("the last change is a render, and takes are never removed",
                             "choose the take you want with /take SHOT N (see /takes SHOT)")
        named = {*target.trailers.get("Auteur-Stages", "").split(", "), target.trailers.get("Auteur-Stage", "")}
        stages = [s for s in Stage if s.value in named] or [Stage.BRIEF]
        summary = target.message.splitlines()[0].split(": ", 1)[-1][:80]
        with store.change(stage=stages[0], action="undo", summary=f"undo {summary}", author=author,
                          stages=stages) as change:
            for rel in paths:
                before = store.git.read_at(parent, rel)
                if before is None:
                    change.remove(rel)
                else:
                    change.write_bytes(rel, before)
            # The manifest as it was: the stages' statuses come back with the content.
            manifest = store.git.read_at(parent, layout.MANIFEST)
            if manifest is not None:
                from studio.project import Project

                change.project = Project.model_validate_json(manifest)
            change.trailers["Auteur-Undoes"] = target.commit
        return change, target
