"""The review notes of the in-memory project (tests.fakes.FakeProject): what memory.review_notes keeps in Git, held
in memory, each save a commit on the cut stage by its author."""

from __future__ import annotations

from typing import Any

from studio.project import Author
from studio.review import ReviewNotes


class FakeReviewNotes:
    """ProjectPort's review-notes methods, for FakeProject (which gives _commit, _user and manifest)."""

    review: ReviewNotes | None = None

    def review_notes(self) -> ReviewNotes:
        return (self.review or ReviewNotes()).model_copy(deep=True)

    def save_review_notes(self, notes: ReviewNotes, *, summary: str, action: str = "note",
                          author: Author | None = None) -> Any:
        from tests.fakes import FakeChange

        self.review = notes.model_copy(deep=True)
        project: Any = self
        commit = project._commit(f"cut: {summary}", author or project._user,
                                 {"Auteur-Stage": "cut", "Auteur-Action": action})
        return FakeChange(commit, project.manifest())
