"""Commands a director uses in words too: /change, /show, /undo (so Slack and the terminal have them)."""

from __future__ import annotations

from typing import Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event
from studio.errors import StageError


def register(registry: Registry) -> None:
    registry.add("change", "/change WHAT", "change one thing, only where it shows: 'Nell wears a red coat', "
                 "'scene 2 at dawn', 'shot 1.2 from lower, at dusk'", change)
    registry.add("show", "/show WHAT", "show the script, scene N, a character's look, the shots of scene N, "
                 "the board of a shot, or the cut", show, reads_only=True)
    registry.add("undo", "/undo", "take back the last change (as a new version: nothing is lost)", undo)


def _intents(conv: Conversation, text: str, kinds: tuple[str, ...], usage: str) -> list:  # type: ignore[type-arg]
    from studio.engine.directing import known
    from studio.intents import parse

    if not text.strip():
        raise StageError(f"{usage} needs words", f"e.g. {usage} " + (
            "Nell wears a red coat" if "change" in kinds else "the script"))
    found = [i for i in parse(text, known(conv)) if i.kind in kinds]
    if not found:
        raise StageError(f"I could not read \u201c{text.strip()[:80]}\u201d as {usage.lstrip('/')}",
                         "name what and how, e.g. /change Nell wears a red coat, /change shot 1.2 from lower, "
                         "/show scene 2")
    return found


def change(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.directing import direct

    _intents(conv, args, ("change",), "/change")
    yield from direct(conv, args)


def show(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.showing import show_target

    words = args.strip()
    text = words if words.lower().startswith(("show", "let me see")) else f"show me {words}"
    for intent in _intents(conv, text, ("show",), "/show"):
        yield from show_target(conv, intent)


def undo(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.directing import stale_after_change
    from studio.engine.directing import undo as undo_last

    yield from undo_last(conv)
    yield from stale_after_change(conv)
