"""The timeline review's commands: /review (the view), /note, /notes and /fix (studio.engine.review)."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event

NOTE_USAGE = "/note TIME TEXT | /note SHOT TEXT"


def register(registry: Registry) -> None:
    from studio.engine import views
    from studio.engine.review import review_view

    views.register("review", review_view)
    registry.add("review", "/review", "the latest cut with its shots as markers and its review notes", review,
                 reads_only=True)
    registry.add("note", NOTE_USAGE, "a review note on the latest cut at a time (0:07.5, 7.5s, 00:00:07:12) or on a "
                 "shot (S02_SH003): the agent who owns it proposes a fix", note)
    registry.add("notes", "/notes [all]", "the review notes of the latest cut (of every cut: all)", notes,
                 reads_only=True)
    registry.add("fix", "/fix [NOTE|all] [no]", "carry out the proposed fix of a review note (or of every open one); "
                 "'no' declines it", fix)


def review(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.views import build

    yield build(conv, "review", args)


def note(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.review import add_note

    yield from add_note(conv, args)


def notes(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.review import list_notes

    yield from list_notes(conv, args)


def fix(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.review import fix as carry_out

    yield from carry_out(conv, args)
