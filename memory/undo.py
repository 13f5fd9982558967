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

KEPT_ACTIONS = {"decision", "export", "note", "fix"}  # not a change of content: passed over (a fix's note reopens)
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
        _check_untouched(store, [*paths, layout.MANIFEST])
        summary = target.message.splitlines()[0].split(": ", 1)[-1][:80]
        with store.change(stage=stages[0], action="undo", summary=f"undo {summary}", author=author,
                          stages=stages) as change:
            for rel in paths:
                if rel == layout.MANIFEST:
                    continue  # the manifest is put back stage by stage below
                before = store.git.read_at(parent, rel)
                if before is None:
                    change.remove(rel)
                else:
                    change.write_bytes(rel, before)
            _put_back_stages(store, change, parent, target.commit)
            reopened = _reopen_notes(store, change, target)
            change.trailers["Auteur-Undoes"] = target.commit
            if reopened:
                change.trailers["Auteur-Reopens"] = ", ".join(reopened)
        return change, target


def _reopen_notes(store: ProjectStore, change: Change, target: CommitInfo) -> list[str]:
    """A review note a /fix marked done after the undone change goes back to open: what fixed it is undone. The
    fix commits newer than the change are read (notes.json before and after each) for the notes each closed."""
    from studio.review import ReviewNotes

    entries = store.history()
    newer = entries[:next((k for k, e in enumerate(entries) if e.commit == target.commit), 0)]
    closed: list[str] = []
    for entry in newer:
        if entry.trailers.get("Auteur-Action", "") != "fix":
            continue
        raw_before, raw_after = (store.git.read_at(rev, layout.REVIEW_NOTES)
                                 for rev in (f"{entry.commit}~1", entry.commit))
        if raw_after is None:
            continue
        was = {n.id: n.status for n in ReviewNotes.model_validate_json(raw_before).notes} if raw_before else {}
        closed += [n.id for n in ReviewNotes.model_validate_json(raw_after).notes
                   if n.status == "done" and was.get(n.id) != "done"]
    raw = store.git.read_at("HEAD", layout.REVIEW_NOTES)
    if not closed or raw is None:
        return []
    notes = ReviewNotes.model_validate_json(raw)
    reopened = []
    for note in notes.notes:
        if note.id in closed and note.status == "done":
            note.status, note.result = "open", f"reopened: its fix was undone ({note.result})"[:300]
            reopened.append(note.id)
    if reopened:
        change.write_model(layout.REVIEW_NOTES, notes)
    return reopened


def _check_untouched(store: ProjectStore, paths: list[str]) -> None:
    """Refuse to overwrite a file that holds what its history does not (a hand edit not brought in yet)."""
    out = store.git.git("status", "--porcelain", "--untracked-files=all", "--", *paths)
    dirty = [line[3:].strip('"') for line in out.splitlines() if line.strip()]
    if dirty:
        rel = dirty[0]
        stage = layout.stage_of_path(rel)
        keep = f"Keep it with `auteur edit {stage.value} {rel}` in the project folder" if stage and rel in \
            layout.STAGE_FILES.values() else "Keep it by committing it"
        raise StageError(
            f"{rel} has an edit that is not in the project's history yet, and undo would overwrite it",
            f"{keep}, or drop it with `git checkout -- {rel}`; then undo again",
        )


def _put_back_stages(store: ProjectStore, change: Change, parent: str, target: str) -> None:
    """The states (and model work) of the stages the undone change touched come back as they were before it;
    what later changes passed over by undo (an export, a decision) did to the manifest stays."""
    from studio.project import Project

    before_raw, after_raw = (store.git.read_at(rev, layout.MANIFEST) for rev in (parent, target))
    if before_raw is None or after_raw is None:
        return
    before, after = Project.model_validate_json(before_raw), Project.model_validate_json(after_raw)
    for stage in Stage:
        if before.stages[stage] != after.stages[stage]:
            change.project.stages[stage] = before.stages[stage].model_copy(deep=True)
    for key in {*before.llm, *after.llm}:
        if before.llm.get(key) == after.llm.get(key):
            continue
        if key in before.llm:
            change.project.llm[key] = before.llm[key].model_copy()
        else:
            change.project.llm.pop(key, None)
    if before.settings != after.settings:
        change.project.settings = before.settings.model_copy()
