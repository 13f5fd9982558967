"""The engine's vocabulary: what a person did (a Turn) and what the crew answers (Events).

Chainlit, Slack and the terminal only translate these; none of them holds film logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from studio.errors import AuteurError

EventKind = Literal["message", "artifact", "question", "progress", "error"]


@dataclass
class Event:
    kind: EventKind
    text: str = ""
    author: str = "Producer"
    stage: str | None = None
    options: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "author": self.author, "text": self.text, "stage": self.stage,
                "options": self.options, "data": self.data}


@dataclass
class Turn:
    """What a person did: typed text (or a /command), pressed an option, or uploaded a file."""

    text: str = ""
    choice: str | None = None
    upload: tuple[str, bytes] | None = None


def say(text: str, author: str = "Producer", **kw: Any) -> Event:
    return Event("message", text, author, **kw)


def error(exc: AuteurError) -> Event:
    return Event("error", f"{exc.problem}. {exc.fix}".strip(), data=exc.to_dict())
