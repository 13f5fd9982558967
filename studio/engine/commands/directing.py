"""Commands a director uses in words too: /change, /show, /undo (so Slack and the terminal have them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from studio.engine.commands.registry import Registry
from studio.engine.conversation import Conversation
from studio.engine.events import Event, say
from studio.errors import StageError

if TYPE_CHECKING:  # the parser loads with the first words read, not with the registry
    from studio.intents import Intent, Known


def register(registry: Registry) -> None:
    registry.add("change", "/change WHAT", "change one thing, only where it shows: 'Nell wears a red coat', "
                 "'scene 2 at dawn', 'shot 1.2 from lower, at dusk'", change)
    registry.add("show", "/show WHAT", "show the script, scene N, a character's look, the shots of scene N, "
                 "the board of a shot, or the cut", show, reads_only=True)
    registry.add("undo", "/undo", "take back the last change (as a new version: nothing is lost)", undo)


def _read(conv: Conversation, text: str, kinds: tuple[str, ...], usage: str) -> tuple[list[Intent], Known]:
    """The words read as the director's words are (studio.engine.directing.read); at least one of ``kinds``."""
    from studio.engine.directing import read

    if not text.strip():
        raise StageError(f"{usage} needs words", f"e.g. {usage} " + (
            "Nell wears a red coat" if "change" in kinds else "the script"))
    done = read(conv, text)
    if not any(i.kind in kinds for i in done[0]):
        raise StageError(f"I could not read \u201c{text.strip()[:80]}\u201d as {usage.lstrip('/')}",
                         "name what and how, e.g. /change Nell wears a red coat, /change shot 1.2 from lower, "
                         "/show scene 2")
    return done


def change(conv: Conversation, args: str) -> Iterator[Event]:
    """Only the changes of the words: '/change her coat is red, then cut scene 2' changes the coat and says the
    rest was not done (a command named for one thing does not approve, cut or render)."""
    from studio.engine.directing import direct
    from studio.intents import describe

    intents, known = _read(conv, args, ("change",), "/change")
    rest = [i for i in intents if i.kind != "change"]
    yield from direct(conv, args, ([i for i in intents if i.kind == "change"], known))
    if rest:
        said = "; ".join(describe(i) for i in rest)
        yield say(f"Not done: /change makes changes only ({said}): say that on its own.",
                  data={"not_done": [describe(i) for i in rest]})


def show(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.showing import show_target

    words = args.strip()
    text = words if words.lower().startswith(("show", "let me see")) else f"show me {words}"
    for intent in _read(conv, text, ("show",), "/show")[0]:
        if intent.kind == "show":
            yield from show_target(conv, intent)


def undo(conv: Conversation, args: str) -> Iterator[Event]:
    from studio.engine.directing import stale_after_change
    from studio.engine.directing import undo as undo_last

    yield from undo_last(conv)
    yield from stale_after_change(conv)
