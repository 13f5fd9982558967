"""Errors that reach a person: what went wrong, and what to do about it."""

from __future__ import annotations

import re

# An absolute path: a '/' that starts a word (not 'AC/DC', not '03_Renders/…', not '://'), two or more
# components ('/reference MARA' is a command, not a path), or a Windows drive. The server's folders are
# none of a person's business: such a path is shown as its last component.
ABSOLUTE_PATH = re.compile(r"""(?<![\w.~:/\\-])(?:[A-Za-z]:)?[/\\](?:[^\s/\\'"`,;:()<>\[\]{}]+[/\\])+"""
                           r"""([^\s/\\'"`,;:()<>\[\]{}]*)""")


def redact(text: str) -> str:
    """``text`` with every absolute path replaced by its last component ('/srv/ws/ann/x.png' → 'x.png')."""
    return ABSOLUTE_PATH.sub(lambda m: m.group(1) or _last(m.group(0)), text)


def _last(path: str) -> str:
    parts = [p for p in re.split(r"[/\\]", path) if p]
    return parts[-1] if parts else "<path>"


class AuteurError(Exception):
    """A problem a person can act on.

    ``problem`` names the input and the reason; ``fix`` says what to do next. Neither shows an
    absolute path of the server: each is shown as its last component.
    """

    exit_code = 1

    def __init__(self, problem: str, fix: str = "") -> None:
        problem, fix = redact(problem), redact(fix)
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
