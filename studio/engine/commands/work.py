"""Commands that move the work on: /next, /approve, /revise, /variants, /pick, /structure."""

from __future__ import annotations

from typing import Iterator

from studio.engine import stage_flow
from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.describe import describe
from studio.engine.events import Event
from studio.errors import StageError
from studio.models import Structure
from studio.stages import Stage


def register(registry: Registry) -> None:
    registry.add("next", "/next", "the crew drafts the next stage", next_)
    registry.add("approve", "/approve [STAGE]", "approve the stage in front of you (or the one named, the boards, "
                                                "clips and cut too)", approve)
    registry.add("revise", "/revise [STAGE:] NOTES", "send notes to the agent that leads the stage", revise)
    registry.add("variants", "/variants", "show the treatment variants", variants, reads_only=True)
    registry.add("pick", "/pick N", "choose treatment variant N", pick)
    registry.add("structure", "/structure NAME", "redo the beats on three-act, save-the-cat, heros-journey "
                                                 "or story-circle", structure)


def next_(conv: Conversation, args: str) -> Iterator[Event]:
    yield from stage_flow.go_next(conv)


def approve(conv: Conversation, args: str) -> Iterator[Event]:
    """'/approve boards anyway': approve even what is out of date (the answer to the Producer's question)."""
    words = args.split()
    anyway = words[-1:] == ["anyway"]
    if anyway:
        words = words[:-1]
    yield from stage_flow.approve(conv, Stage.parse(" ".join(words)) if words else None, anyway=anyway)


def revise(conv: Conversation, args: str) -> Iterator[Event]:
    stage = None
    head, _, rest = args.partition(" ")
    if head.endswith(":"):
        # '/revise look: warmer palette' names the stage; an unknown name is an error, not a note.
        stage, args = Stage.parse(head.rstrip(":")), rest
    yield from stage_flow.revise(conv, args, stage)


def variants(conv: Conversation, args: str) -> Iterator[Event]:
    store = conv.require_project()
    treatment = store.read(Stage.TREATMENT)
    count = len(treatment.variants) if treatment is not None else 0
    yield Event("question" if count > 1 else "message", describe(store, Stage.TREATMENT), author="Screenwriter",
                stage="treatment", options=[f"Use variant {k}" for k in range(1, count + 1)] if count > 1 else [])


def pick(conv: Conversation, args: str) -> Iterator[Event]:
    if not args.strip().isdigit():
        raise StageError("/pick needs a variant number", "e.g. /pick 2")
    yield from stage_flow.pick(conv, int(args))


def structure(conv: Conversation, args: str) -> Iterator[Event]:
    try:
        chosen = Structure(args.strip().lower())
    except ValueError:
        raise StageError(f"{args!r} is not a structure",
                         "use one of: " + ", ".join(s.value for s in Structure)) from None
    yield from stage_flow.draft(conv, Stage.BEATS, structure=chosen)
