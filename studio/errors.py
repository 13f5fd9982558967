"""Errors that reach a person: what went wrong, and what to do about it."""

from __future__ import annotations

import re

# An absolute path: a '/' that starts a word (not 'AC/DC', not '03_Renders/…', not '://'), two or more
# components ('/reference MARA' is a command, not a path), or a Windows drive. The server's folders are
# none of a person's business: such a path is shown as its last component.
ABSOLUTE_PATH = re.compile(r"""(?<![\w.~:/\\-])(?:[A-Za-z]:)?[/\\](?:[^\s/\\'"`,;:()<>\[\]{}]+[/\\])+"""
                           r"""([^\s/\\'"`,;:()<>\[\]{}]*)""")


_ROOTS: list[str] = []  # the server's folders (the workspace), taken out as they are, whatever their names hold


def hide_root(folder: str) -> None:
    """Take ``folder`` (an absolute path) out of every message, even where its name has spaces or brackets that
    the pattern would stop at: a path under it is shown from there ('/srv/my ws/ann/x.pdf' → 'ann/x.pdf')."""
    folder = folder.rstrip("/\\")
    if folder and folder not in _ROOTS:
        _ROOTS.append(folder)
        _ROOTS.sort(key=len, reverse=True)


def redact(text: str) -> str:
    """``text`` with every absolute path replaced by its last component ('/srv/ws/ann/x.png' → 'x.png'), and the
    server's folders (hide_root) taken out, 'file://' included."""
    for root in _ROOTS:
        if root in text:
            text = re.sub(r"(?:file://)?" + re.escape(root) + r"(?:[/\\]|\b)", "", text)
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


class ModelOutputError(AuteurError):
    """The model answered, but with no valid draft even after a repair (agents.llm.structured raises it)."""


class ModelUnreachable(AuteurError):
    """The model could not be reached or refused the call: a server down, a key refused."""
