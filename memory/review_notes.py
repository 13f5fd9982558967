"""A project's review notes in Git: one JSON file of every note on every version of the cut
(layout.REVIEW_NOTES), and one commit for each note made and each note fixed, by the person."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import ValidationError

from memory import layout
from studio.errors import AuteurError
from studio.project import Author
from studio.review import ReviewNotes
from studio.stages import Stage

if TYPE_CHECKING:
    from memory.change import Change


class ProjectStore(Protocol):
    """What the notes need of memory.project_store.ProjectStore (named here, not imported: it imports us)."""

    path: Path

    @property
    def slug(self) -> str: ...

    def user(self) -> Author: ...

    def change(self, *, stage: Stage, action: str, summary: str, author: Author,
               stages: list[Stage] | None = ...) -> AbstractContextManager[Change, bool | None]: ...


def read_notes(store: ProjectStore) -> ReviewNotes:
    """The notes as the branch holds them; none when nobody has reviewed a cut yet."""
    path = store.path / layout.REVIEW_NOTES
    if not path.is_file():
        return ReviewNotes()
    try:
        return ReviewNotes.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise AuteurError(f"the review notes of {store.slug} ({layout.REVIEW_NOTES}) cannot be read "
                          f"({type(exc).__name__})",
                          "restore them from the history (/history cut, then /restore) or fix the file") from exc


def save_notes(store: ProjectStore, notes: ReviewNotes, *, summary: str, action: str,
               author: Author | None = None) -> Change:
    """All the notes written back in one commit on the cut stage ('cut: note n3 on S02_SH003 …')."""
    with store.change(stage=Stage.CUT, action=action, summary=summary[:120],
                      author=author or store.user()) as change:
        change.write_model(layout.REVIEW_NOTES, notes)
    return change
