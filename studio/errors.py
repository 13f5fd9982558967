"""Errors that reach a person: what went wrong, and what to do about it."""

from __future__ import annotations


class AuteurError(Exception):
    """A problem a person can act on.

    ``problem`` names the input and the reason; ``fix`` says what to do next.
    """

    exit_code = 1

    def __init__(self, problem: str, fix: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.problem} — {self.fix}" if self.fix else self.problem

    def to_dict(self) -> dict[str, str]:
        return {"error": self.problem, "fix": self.fix, "kind": type(self).__name__}


class NotAScreenplay(AuteurError):
    """The input could not be read as a screenplay."""


class ProjectNotFound(AuteurError):
    """No project with that slug in the workspace."""


class InvalidName(AuteurError):
    """A title, slug or branch name that cannot be used."""


class StageError(AuteurError):
    """A stage operation that the stage's state does not allow."""


class RevisionNotFound(AuteurError):
    """A Git revision that does not exist in the project."""


class ProjectBusy(AuteurError):
    """Another process holds the project's lock."""
